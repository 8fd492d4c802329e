"""The annotated copy: the submission as envreport read it, every finding's cell marked.

The copy is written from the cell values envreport read (:class:`~envreport.io.RawWorkbook`),
never by re-opening the submission with openpyxl's loader: a file the reader accepted may
still trip openpyxl (odd date, boolean or error cells, a missing ``styles.xml``, a garbled
``[Content_Types].xml``, a huge ``numFmtId``), and a submission's formulas, macros, links and
styles have no business in a file we hand back. Every value from the workbook is written as
a number or as a string cell — never a formula, whatever it begins with.

Errors are filled red, warnings amber; each cell's comment holds its findings' messages and
hints; a finding about a range (merged cells) marks every cell of it. A ``Findings`` sheet
comes first, one row per finding with a link to its cell, laid out to print on the width of
a page.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from envreport.findings import Finding, Findings
from envreport.i18n import bracketed, fill, gettext
from envreport.io import RawWorkbook
from envreport.io.formulas import sheet_parts, split_reference
from envreport.safe_text import FORMULA_TRIGGERS, cell_text, set_text_cell
from envreport.schema import FINDINGS_TABS, normalise_sheet_name, sheet_spec
from envreport.workbook.printing import row_height
from envreport.workbook.saving import save_pinned

ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
WARNING_FILL = PatternFill("solid", fgColor="FFE08A")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LINK_FONT = Font(color="0563C1", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_COLUMNS = ("Severity", "Code", "Sheet", "Cell", "Field", "Value", "Message", "Hint")
_WIDTHS = (8, 22, 12, 7, 16, 14, 50, 40)
# A finding about a range marks at most this many of its cells (a merge over a whole sheet
# must not make the copy huge).
MAX_RANGE_CELLS = 10_000
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})$")
_EXCEL_MAX_ROW, _EXCEL_MAX_COL = 1_048_576, 16_384
_ILLEGAL_TITLE = re.compile(r"[\\/*?:\[\]\x00-\x1f]")

__all__ = ["ERROR_FILL", "WARNING_FILL", "AnnotationRefusedError", "write_annotated"]


class AnnotationRefusedError(Exception):
    """No annotated copy is written for this workbook; ``reason`` says why, in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def write_annotated(raw: RawWorkbook, findings: Findings, out: Path, lang: str = "en") -> Path:
    """Write ``raw``'s cells to ``out`` with ``findings`` marked; return ``out``.

    Raises :class:`AnnotationRefusedError` for a workbook whose sheets share one part (the
    reader reads such a part once per sheet; copying it would multiply it again). The file
    appears at ``out`` only when complete (written to a temporary name, then renamed).
    """
    refuse_aliased_sheets(raw.path)
    # the folder first: a path that cannot be written stops before any sheet is copied
    out.parent.mkdir(parents=True, exist_ok=True)
    # the listing's tab in each language: a submission's own tab of either name (an annotated
    # copy uploaded again) is left out of the copy, as validation skips it (AUXILIARY_SHEETS)
    listings = {normalise_sheet_name(name) for name in FINDINGS_TABS.values()}
    sheets = [s for s in raw.sheets if normalise_sheet_name(s.name) not in listings]
    book = Workbook(write_only=True)
    listing = book.create_sheet(FINDINGS_TABS.get(lang, FINDINGS_TABS["en"]))
    titles = _titles([s.name for s in sheets])
    by_name = {normalise_sheet_name(s.name): titles[i] for i, s in enumerate(sheets)}
    # Findings name the canonical sheet (Fuel); a Chinese template's tab is 燃料燃烧.
    for i, s in enumerate(sheets):
        spec = sheet_spec(s.name)
        if spec is not None:
            by_name.setdefault(normalise_sheet_name(spec.name), titles[i])
    marks = _marks(findings, by_name)
    _write_listing(listing, findings, by_name, lang)
    for index, sheet in enumerate(sheets):
        target = book.create_sheet(titles[index])
        # a formula without a value reads as blank too: the copy shows it as text
        shown = {**{ref: f for ref, f in sheet.formula_cells.items() if f}, **sheet.error_cells}
        _write_sheet(target, _with_error_values(sheet.rows, shown,
                                                sheet.column_offset),
                     sheet.column_offset, marks.get(titles[index], {}), lang)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        save_pinned(book, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _with_error_values(rows: list[list[Any]], errors: dict[str, str],
                       offset: int) -> list[list[Any]]:
    """``rows`` with each Excel error value (``#N/A``) back in its cell (openpyxl writes the
    text as the error value it is, never a formula), and each formula without a computed value
    as its text (a string cell, never a formula: :func:`_cell`): the reader reads either as a
    blank, and a blank cell marked red hid what its finding is about. The rows read are not
    changed: the rows touched are copies."""
    if not errors:
        return rows
    rows = list(rows)
    for reference, text in errors.items():
        parts = split_reference(reference)
        if parts is None:
            continue
        row, col = parts[1] - 1, column_index_from_string(parts[0]) - 1 - offset
        if col < 0 or not 0 <= row < _EXCEL_MAX_ROW:
            continue
        if row >= len(rows):  # trailing rows holding only error values read as blank
            rows.extend([] for _ in range(row + 1 - len(rows)))
        cells = list(rows[row])
        cells.extend([None] * (col + 1 - len(cells)))
        if cells[col] is None or cells[col] == "":
            cells[col] = text
        rows[row] = cells
    return rows


def refuse_aliased_sheets(path: Path) -> None:
    """Refuse a workbook in which two sheets name the same part (2,500 such sheets took
    32 s to copy): it is not a real submission, and its copy would be that many times the
    part."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                return  # not SpreadsheetML (an .ods): its sheets cannot share a part this way
            parts = sheet_parts(archive)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise AnnotationRefusedError(f"its sheet list cannot be read ({error})") from None
    except Exception:  # the reader accepted the file; a sheet list we cannot map is no alias
        return
    shared = [part for part, n in Counter(parts.values()).items() if n > 1]
    if shared:
        raise AnnotationRefusedError(
            f"{len(parts)} sheets name {len(set(parts.values()))} parts (sheets sharing one "
            f"part, e.g. {shared[0]}); refused")


def _titles(names: list[str]) -> list[str]:
    """A valid, unique sheet title for each sheet (Excel: 31 characters, no ``[]:*?/\\``)."""
    taken = {name.casefold() for name in FINDINGS_TABS.values()}
    titles = []
    for number, name in enumerate(names, start=1):
        base = _ILLEGAL_TITLE.sub("_", name).strip("'")[:31] or f"Sheet{number}"
        title, n = base, 1
        while title.casefold() in taken:
            n += 1
            title = f"{base[:31 - len(str(n)) - 1]}~{n}"
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _cells_of(finding: Finding) -> Iterator[tuple[int, int]]:
    """(row, column) of the cells a finding is about: its cell, or every cell of its range."""
    reference = finding.params.get("range") if finding.params else None
    match = _RANGE.match(str(reference)) if reference else None
    if match:
        c1, r1, c2, r2 = (column_index_from_string(match[1]), int(match[2]),
                          column_index_from_string(match[3]), int(match[4]))
        r1, r2 = sorted((min(r1, _EXCEL_MAX_ROW), min(r2, _EXCEL_MAX_ROW)))
        c1, c2 = sorted((min(c1, _EXCEL_MAX_COL), min(c2, _EXCEL_MAX_COL)))
        count = 0
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                count += 1
                if count > MAX_RANGE_CELLS:
                    return
                yield row, col
        return
    if finding.row and finding.column:
        try:
            col = column_index_from_string(finding.column)
        except ValueError:
            return
        if 1 <= finding.row <= _EXCEL_MAX_ROW and 1 <= col <= _EXCEL_MAX_COL:
            yield finding.row, col


def _sheet_named(sheet: str | None, tab: str | None, lang: str) -> str | None:
    """The listing's sheet: the tab of this copy the link goes to, which the preparer looks
    for, with the canonical name the JSON and the cell references use beside it when they
    differ (a Chinese template's ``燃料燃烧（Fuel）``; ``Fuel`` alone on an English tab)."""
    if tab is None or tab == sheet or sheet is None:
        return sheet
    return f"{tab}{bracketed(sheet, lang)}" if lang == "zh" else f"{tab} ({sheet})"


def _marks(findings: Findings, by_name: dict[str, str]
           ) -> dict[str, dict[tuple[int, int], list[Finding]]]:
    """Sheet title → (row, column) → the findings about that cell."""
    marks: dict[str, dict[tuple[int, int], list[Finding]]] = defaultdict(
        lambda: defaultdict(list))
    for finding in findings:
        title = by_name.get(normalise_sheet_name(finding.sheet or ""))
        if title is not None:
            for position in _cells_of(finding):
                marks[title][position].append(finding)
    return marks


def _value(value: Any) -> Any:
    """A value read from the workbook as an openpyxl cell value that is never a formula."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**15 else str(value)  # beyond Excel's 15 digits
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value.replace(tzinfo=None) if isinstance(value, dt.time) else value
    return cell_text(value)


def _value_text(value: Any) -> Any:
    """A finding's value as the preparer typed it: the reader holds a number as a float, so
    the 245000 of a cell read '245000.0' in the listing; a whole number is written whole."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**15:
        return str(int(value))
    return value


def _cell(sheet: Worksheet, value: Any) -> Any:
    """What to append for ``value``: plain values as they are, text that could be read as a
    formula as an explicit string cell."""
    value = _value(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return set_text_cell(WriteOnlyCell(sheet), value)
    return value


def _comment(cell_findings: list[Finding], lang: str) -> Comment:
    """The cell's findings, each its severity, code, message and hint; in Chinese with
    Chinese brackets and colon (【错误】required-missing：单位（unit）为必填项…)."""
    heading = gettext("[{severity}] {code}: {message}", lang)
    text = "\n\n".join(
        fill(heading, {"severity": gettext(f.severity, lang), "code": f.code,
                       "message": f.message(lang)}, lang) + f"\n→ {f.hint(lang)}"
        for f in cell_findings[:20])
    if len(cell_findings) > 20:
        text += f"\n\n(+{len(cell_findings) - 20})"
    return Comment(cell_text(text), "envreport", width=360,
                   height=120 + 60 * min(len(cell_findings), 20))


def _write_sheet(sheet: Worksheet, rows: list[list[Any]], offset: int,
                 marks: dict[tuple[int, int], list[Finding]], lang: str) -> None:
    marked_rows: dict[int, dict[int, list[Finding]]] = defaultdict(dict)
    for (row, col), cell_findings in marks.items():
        marked_rows[row][col] = cell_findings
    last_row = max([len(rows), *marked_rows])
    for number in range(1, last_row + 1):
        values = rows[number - 1] if number <= len(rows) else []
        out: list[Any] = [None] * offset + [_cell(sheet, v) for v in values]
        for col, cell_findings in sorted(marked_rows.get(number, {}).items()):
            if col > len(out):
                out.extend([None] * (col - len(out)))
            current = out[col - 1]
            cell = current if isinstance(current, Cell) else WriteOnlyCell(
                sheet, current)
            worst = any(f.severity == "error" for f in cell_findings)
            cell.fill = ERROR_FILL if worst else WARNING_FILL
            cell.comment = _comment(cell_findings, lang)
            out[col - 1] = cell
        sheet.append(out)


def _write_listing(sheet: Worksheet, findings: Findings, by_name: dict[str, str],
                   lang: str) -> None:
    """The ``Findings`` sheet: one wrapped row per finding, linked to its cell; prints on
    the width of a landscape page with the header on every page."""
    for col, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.auto_filter.ref = f"A1:H{max(len(findings) + 1, 2)}"
    header = []
    for label in _COLUMNS:
        cell = set_text_cell(WriteOnlyCell(sheet), gettext(label, lang))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row, finding in enumerate(findings, start=2):
        title = by_name.get(normalise_sheet_name(finding.sheet or ""))
        texts = (gettext(finding.severity, lang), finding.code,
                 _sheet_named(finding.sheet, title, lang), finding.cell,
                 finding.field, _value_text(finding.value), finding.message(lang),
                 finding.hint(lang))
        # sized to its wrapped text before it is written (a write-only row is final)
        sheet.row_dimensions[row].height = row_height(zip(texts, _WIDTHS, strict=True))
        cells = []
        for value in texts:
            cell = WriteOnlyCell(sheet)
            if value is not None and value != "":
                set_text_cell(cell, value)
            cell.alignment = _WRAP
            cells.append(cell)
        cells[0].fill = ERROR_FILL if finding.severity == "error" else WARNING_FILL
        if title is not None:
            link = cells[3] if finding.cell else cells[2]
            link.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(title)}!"
                                                         f"{finding.cell or 'A1'}")
            link.font = _LINK_FONT
        sheet.append(cells)
    if findings.truncated:
        sheet.append([set_text_cell(WriteOnlyCell(sheet),
                                    gettext("More findings were not listed.", lang))])
