"""Find in the sheet XML what the fast reader cannot see: formulas without values, Excel
error values, percent-formatted cells, hidden rows and hidden columns.

A workbook written by a tool that does not calculate (openpyxl, some exporters) stores
formulas with an empty cached value; every fast reader then sees a blank or a 0. calamine
also returns an error cell (``#DIV/0!``) as a blank, and a cell typed as ``51%`` as 0.51
without its format. The only way to tell is the XML itself: a ``<c>`` with an ``<f>`` child
and no (or an empty) ``<v>``; a ``<c t="e">``; a ``<c s="N">`` whose cell format ``N`` has a
percent number format in ``xl/styles.xml``; a ``<row hidden="1">`` (hidden, or filtered out
by an AutoFilter) or a ``<col min max hidden="1">``, whose values every reader returns like
any other's. The scan is
streamed with a defused parser, and skipped entirely for sheets whose XML contains none of
those marks — the usual case — so it costs one decompression pass.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from envreport.findings import column_letter

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_CHUNK = 1 << 20


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each worksheet's name to its XML part inside the archive."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels_xml = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "")
               for rel in rels_xml.iter(f"{_NS_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


# Excel's error values: a cell holding one has no value, whatever the reader returns for it.
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
# Built-in number formats that show a percentage (ECMA-376 §18.8.30): 0% and 0.00%.
_BUILTIN_PERCENT_FORMATS = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass
class SheetScan:
    """What the fast reader cannot see in one worksheet's XML."""

    # formulas without a cached value: A1 → formula as shown (=100*2), "" when the cell's
    # XML holds none (a shared formula's other cells: only its first cell writes it)
    formula_cells: dict[str, str] = field(default_factory=dict)
    # formulas that read another workbook (their cached value came from it): A1 → formula
    # as shown (=[1]Sheet1!A1)
    external_cells: dict[str, str] = field(default_factory=dict)
    error_cells: dict[str, str] = field(default_factory=dict)  # A1 → "#DIV/0!"
    percent_cells: list[str] = field(default_factory=list)  # cells shown with a % format
    merged: list[str] = field(default_factory=list)  # merged ranges ("A3:A6"), .ods only
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)  # (first, last), 1-based
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last), 1-based

    def hide(self, first: int, last: int) -> None:
        """Note rows ``first`` to ``last`` as hidden, joined to the range just before them."""
        _join(self.hidden_rows, first, last)

    def hide_columns(self, first: int, last: int) -> None:
        """Note columns ``first`` to ``last`` (1 is A) as hidden, joined to the range just
        before them."""
        _join(self.hidden_columns, first, last)


def _join(ranges: list[tuple[int, int]], first: int, last: int) -> None:
    if ranges and ranges[-1][1] == first - 1:
        first = ranges.pop()[0]
    ranges.append((first, last))


def is_percent_format(code: str) -> bool:
    """A number format code that shows a percentage (a ``%`` outside quotes and brackets)."""
    return "%" in _QUOTED.sub("", code)


def percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell formats (``cellXfs``) whose number format shows a percentage."""
    try:
        styles = SafeET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    custom: dict[int, str] = {}
    for fmt in styles.iter(f"{_NS_MAIN}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    found: set[int] = set()
    cell_xfs = styles.find(f"{_NS_MAIN}cellXfs")
    if cell_xfs is None:
        return frozenset()
    for index, xf in enumerate(cell_xfs.iter(f"{_NS_MAIN}xf")):
        try:
            number_format = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        if number_format in _BUILTIN_PERCENT_FORMATS or is_percent_format(
                custom.get(number_format, "")):
            found.add(index)
    return frozenset(found)


_ERROR_TYPE = re.compile(rb"""t=["']e["']""")
#: the values of an xsd:boolean attribute that say true, as a <row hidden=...> may write it
_XSD_TRUE = ("1", "true")
_HIDDEN_MARK = rb"""hidden=["'](?:""" + "|".join(_XSD_TRUE).encode() + rb""")["']"""
# Only <row> and <col> carry hidden= in sheet XML.
_HIDDEN = re.compile(_HIDDEN_MARK)
_FORMULA = re.compile(b"<f")  # the regex engine's literal search is twice bytes.find's speed


def percent_style_pattern(percent: frozenset[int]) -> re.Pattern[bytes] | None:
    """A pattern for ``s="N"`` with N a percent style, or ``None`` when there is none."""
    if not percent:
        return None
    styles = b"|".join(b"%d" % index for index in sorted(percent))
    return re.compile(rb"""s=["'](?:""" + styles + rb""")["']""")


def has_cell_marks(xml: bytes, percent: re.Pattern[bytes] | None,
                   end: int | None = None, hidden: bool = True) -> bool:
    """Whether a piece of sheet XML (cut between tags; its first ``end`` bytes) holds a
    formula (``<f``), an error value (``t="e"``), a percent style (``percent``) or, with
    ``hidden``, a hidden row or column (``hidden="1"``): whether the sheet needs a scan. Each
    test is one C scan; their absence, the usual case, proves there is nothing to find.
    """
    end = len(xml) if end is None else end
    return (_FORMULA.search(xml, 0, end) is not None
            or _ERROR_TYPE.search(xml, 0, end) is not None
            or (hidden and _HIDDEN.search(xml, 0, end) is not None)
            or (percent is not None and percent.search(xml, 0, end) is not None))


def _windows(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces of about a megabyte, each cut before its last tag start (a
    tag is never split), without copying what follows the cut twice."""
    carry = b""
    with archive.open(part) as member:
        while chunk := member.read(_CHUNK):
            window = carry + chunk
            cut = window.rfind(b"<")  # marks sit inside tags: look up to the last tag start
            if cut <= 0:
                cut = len(window)
            yield window[:cut]
            carry = window[cut:]
    yield carry


def _needs_parse(archive: zipfile.ZipFile, part: str,
                 percent: re.Pattern[bytes] | None) -> bool:
    """Whether the part holds a mark only a parse can place (a formula, an error value, a
    percent style); hidden rows and columns need none (:func:`_hidden_rows_and_columns`)."""
    return any(has_cell_marks(window, percent, hidden=False)
               for window in _windows(archive, part))


# A <row> or <col> tag that hides its row (hidden, or filtered out) or its columns, and the
# row number, or the first and last column (min, max), in it.
_HIDDEN_TAG = re.compile(rb"<(row|col)\b[^>]*?\b" + _HIDDEN_MARK + rb"[^>]*>")
_ROW_NUMBER = re.compile(rb"""\br=["'](\d+)["']""")
_COLUMN_MIN = re.compile(rb"""\bmin=["'](\d+)["']""")
_COLUMN_MAX = re.compile(rb"""\bmax=["'](\d+)["']""")
# Excel's last column (XFD): a <col max> beyond it hides nothing more that can hold a value.
_MAX_COLUMNS = 16_384


def _hide_columns(scan: SheetScan, first: str | bytes | None, last: str | bytes | None) -> None:
    """Note a ``<col min max>`` range as hidden (``max`` is ``min`` when absent); a range
    whose bounds are not numbers hides nothing that can be told."""
    if first is None or not first.isdigit() or (last is not None and not last.isdigit()):
        return
    low = int(first)
    high = min(int(last) if last is not None else low, _MAX_COLUMNS)
    if 1 <= low <= high:
        scan.hide_columns(low, high)


def _hidden_rows_and_columns(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """The hidden rows and columns of a sheet, found by one regular-expression scan of its
    XML rather than a parse: an AutoFilter hides rows in many a workbook with nothing else to
    parse for, and parsing a 100 000-row sheet costs seconds where the scan costs
    milliseconds."""
    scan = SheetScan()
    for window in _windows(archive, part):
        for tag in _HIDDEN_TAG.finditer(window):
            if tag.group(1) == b"col":
                low, high = _COLUMN_MIN.search(tag.group()), _COLUMN_MAX.search(tag.group())
                _hide_columns(scan, low.group(1) if low else None,
                              high.group(1) if high else None)
                continue
            number = _ROW_NUMBER.search(tag.group())
            if number is not None:
                scan.hide(int(number.group(1)), int(number.group(1)))
    return scan


def _has_any(archive: zipfile.ZipFile, part: str, marks: tuple[bytes, ...]) -> bool:
    overlap = max(len(m) for m in marks) - 1
    tail = b""
    with archive.open(part) as member:
        while chunk := member.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in marks):
                return True
            tail = chunk[-overlap:]
    return False


# A reference to another workbook: [1]Sheet1!A1 in .xlsx (the index of an external link
# part; [0] is the workbook itself), ['file:///…/other.ods'#$Sheet1.A1] in .ods.
_EXTERNAL_XLSX = re.compile(r"\[[1-9]\d*\]")
_EXTERNAL_ODS = re.compile(r"\['[^']*'#")


def _scan_part(archive: zipfile.ZipFile, part: str, percent: frozenset[int]) -> SheetScan:
    scan = SheetScan()
    external_shared: dict[str, str] = {}  # a shared formula's si → its master's text
    cell_tag, formula_tag, value_tag = f"{_NS_MAIN}c", f"{_NS_MAIN}f", f"{_NS_MAIN}v"
    row_tag, column_tag = f"{_NS_MAIN}row", f"{_NS_MAIN}col"
    with archive.open(part) as member:
        for _event, element in SafeET.iterparse(member, events=("end",)):
            if element.tag == column_tag:
                if element.get("hidden") in _XSD_TRUE:
                    _hide_columns(scan, element.get("min"), element.get("max"))
                continue
            if element.tag == row_tag:
                number = element.get("r", "")
                if element.get("hidden") in _XSD_TRUE and number.isdigit():
                    scan.hide(int(number), int(number))
                element.clear()
                continue
            if element.tag != cell_tag:
                continue
            reference = element.get("r", "")
            value = element.find(value_tag)
            text = (value.text or "").strip() if value is not None else ""
            formula = element.find(formula_tag)
            if formula is not None:
                _note_external(scan, reference, formula, external_shared)
            if formula is not None and not text:
                scan.formula_cells[reference] = shown_formula(formula.text) \
                    if formula.text else ""
            elif element.get("t") == "e":
                scan.error_cells[reference] = text or "#VALUE!"
            style = element.get("s")
            if percent and style is not None and style.isdigit() and int(style) in percent:
                scan.percent_cells.append(reference)
            element.clear()
    return scan


def shown_formula(formula: str) -> str:
    """A formula as a spreadsheet shows it (``=[1]Sheet1!A1``; .ods without its ``of:``)."""
    text = formula.removeprefix("of:")
    return text if text.startswith("=") else f"={text}"


def _note_external(scan: SheetScan, reference: str, formula: Element,
                   external_shared: dict[str, str]) -> None:
    """Note ``reference`` when its formula reads another workbook: written out, or the
    shared formula (``<f t="shared" si="0"/>``) of a master cell that does."""
    written = formula.text or ""
    shared = formula.get("si") if formula.get("t") == "shared" else None
    if _EXTERNAL_XLSX.search(written):
        scan.external_cells[reference] = shown_formula(written)
        if shared is not None:
            external_shared[shared] = shown_formula(written)
    elif shared is not None and not written and shared in external_shared:
        scan.external_cells[reference] = external_shared[shared]


def scan_cells(path: Path, marked_parts: set[str]) -> dict[str, SheetScan]:
    """Sheet name → its formulas without values, error cells, percent-formatted cells,
    hidden rows and hidden columns.

    Only the parts in ``marked_parts`` — those the pre-flight's pass saw a mark in
    (:func:`has_cell_marks`) — are scanned. A part whose only marks are hidden rows or
    columns is not parsed: they are found by :func:`_hidden_rows_and_columns`.
    """
    found: dict[str, SheetScan] = {}
    if not marked_parts:
        return found  # the usual case: no sheet holds a mark
    with zipfile.ZipFile(path) as archive:
        try:
            parts = sheet_parts(archive)
        except KeyError:
            return found
        percent = percent_styles(archive)
        pattern = percent_style_pattern(percent)
        names = set(archive.namelist())
        for sheet_name, part in parts.items():
            if part not in names or part not in marked_parts:
                continue
            if _needs_parse(archive, part, pattern):
                scan = _scan_part(archive, part, percent)  # hidden rows and columns included
            else:
                scan = _hidden_rows_and_columns(archive, part)
            if scan.formula_cells or scan.error_cells or scan.percent_cells or \
                    scan.hidden_rows or scan.hidden_columns or scan.external_cells:
                found[sheet_name] = scan
    return found


def split_reference(reference: str) -> tuple[str, int] | None:
    """``"C7"`` → ``("C", 7)``."""
    match = _CELL_REF.match(reference)
    return (match.group(1), int(match.group(2))) if match else None


# --- OpenDocument spreadsheets (.ods, as LibreOffice and WPS save them) -------------------------
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_MARKS = (b"percentage", b"table:formula=", b"number-rows-spanned",
              b"number-columns-spanned", b'value-type="error"', b'visibility="collapse"',
              b'visibility="filter"')
# The table:visibility of a row or column that is not shown (collapsed, or filtered out).
_ODS_HIDDEN = ("collapse", "filter")
# Repetition counts beyond Excel's grid are clamped: only positions inside it matter.
_ODS_MAX_ROWS, _ODS_MAX_COLUMNS = 1_048_576, 16_384


def _repeat(element: Element, name: str, limit: int) -> int:
    text = element.get(f"{_NS_TABLE}{name}", "1")
    return min(int(text), limit) if text.isdigit() and int(text) > 0 else 1


def _hidden_span(element: Element, before: int, repeated: int,
                 limit: int) -> tuple[int, int] | None:
    """The rows or columns (1-based, first and last) a collapsed or filtered-out
    ``table:table-row`` or ``table:table-column`` covers, ``before`` of them preceding it
    and ``repeated`` its count; None when it is shown or starts past ``limit``."""
    if element.get(f"{_NS_TABLE}visibility") not in _ODS_HIDDEN or before >= limit:
        return None
    return before + 1, min(before + repeated, limit)


def scan_ods(path: Path) -> dict[str, SheetScan]:
    """The :class:`SheetScan` of each table of an .ods file.

    calamine reads .ods values but not what this scan finds in ``content.xml``: formulas
    without a computed value (``table:formula`` and no ``office:value``), error results
    (``calcext:value-type="error"``), percentages (``office:value-type="percentage"``),
    spanned (merged) cells and hidden or filtered-out rows and columns
    (``table:visibility``). Positions count repeated rows and columns.
    """
    scans: dict[str, SheetScan] = {}
    with zipfile.ZipFile(path) as archive:
        if not _has_any(archive, "content.xml", _ODS_MARKS):
            return scans
        table_tag, row_tag = f"{_NS_TABLE}table", f"{_NS_TABLE}table-row"
        column_tag = f"{_NS_TABLE}table-column"
        cell_tags = {f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"}
        name, row, column, declared = "", 0, 0, 0  # declared: <table:table-column>s so far
        with archive.open("content.xml") as member:
            for event, element in SafeET.iterparse(member, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == table_tag:
                        name, row, declared = element.get(f"{_NS_TABLE}name", ""), 0, 0
                    elif tag == row_tag:
                        column = 0
                    continue
                if tag in cell_tags:
                    columns = _repeat(element, "number-columns-repeated", _ODS_MAX_COLUMNS)
                    if row < _ODS_MAX_ROWS and column < _ODS_MAX_COLUMNS:
                        _ods_cell(element, name, row, column, scans)
                    column += columns
                    element.clear()
                elif tag == column_tag:
                    columns = _repeat(element, "number-columns-repeated", _ODS_MAX_COLUMNS)
                    if span := _hidden_span(element, declared, columns, _ODS_MAX_COLUMNS):
                        scans.setdefault(name, SheetScan()).hide_columns(*span)
                    declared += columns
                elif tag == row_tag:
                    rows = _repeat(element, "number-rows-repeated", _ODS_MAX_ROWS)
                    if span := _hidden_span(element, row, rows, _ODS_MAX_ROWS):
                        scans.setdefault(name, SheetScan()).hide(*span)
                    row += rows
                    element.clear()
    return scans


def _ods_cell(element: Element, sheet: str, row: int, column: int,
              scans: dict[str, SheetScan]) -> None:
    get = element.get
    reference = f"{column_letter(column + 1)}{row + 1}"
    value_type = get(f"{_NS_OFFICE}value-type")
    formula = get(f"{_NS_TABLE}formula")
    if get(f"{_NS_CALCEXT}value-type") == "error":
        text = "".join(element.itertext()).strip()
        scans.setdefault(sheet, SheetScan()).error_cells[reference] = text or "#VALUE!"
    elif formula is not None and value_type is None:
        scans.setdefault(sheet, SheetScan()).formula_cells[reference] = shown_formula(formula)
    if formula is not None and _EXTERNAL_ODS.search(formula):
        scans.setdefault(sheet, SheetScan()).external_cells[reference] = shown_formula(formula)
    if value_type == "percentage":
        scans.setdefault(sheet, SheetScan()).percent_cells.append(reference)
    rows = _repeat(element, "number-rows-spanned", _ODS_MAX_ROWS)
    columns = _repeat(element, "number-columns-spanned", _ODS_MAX_COLUMNS)
    if rows > 1 or columns > 1:
        last = f"{column_letter(column + columns)}{row + rows}"
        scans.setdefault(sheet, SheetScan()).merged.append(f"{reference}:{last}")
