"""The annotated copy: the submission with every finding's cell highlighted and commented.

Errors are filled red, warnings amber; each cell's comment holds its findings' messages and
hints. A ``Findings`` sheet comes first, one row per finding with a link to its cell, so an
auditor or the subsidiary can walk through them in order.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from envreport.findings import Finding, Findings
from envreport.i18n import gettext
from envreport.schema import normalise_sheet_name

ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
WARNING_FILL = PatternFill("solid", fgColor="FFE08A")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LINK_FONT = Font(color="0563C1", underline="single")
_COLUMNS = ("Severity", "Code", "Sheet", "Cell", "Field", "Value", "Message", "Hint")
_WIDTHS = (10, 28, 14, 8, 22, 20, 70, 60)


def write_annotated(source: Path, findings: Findings, out: Path, lang: str = "en") -> Path:
    """Copy ``source`` to ``out`` with the findings marked on their cells."""
    # keep_vba=False: an .xlsm's macros are never carried into the annotated copy.
    book = load_workbook(source, keep_vba=False, keep_links=False)
    sheets = {normalise_sheet_name(name): book[name] for name in book.sheetnames}
    if "findings" in sheets:  # a re-annotated copy: replace the old list
        book.remove(sheets.pop("findings"))

    per_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        sheet = sheets.get(normalise_sheet_name(finding.sheet or ""))
        if sheet is not None and finding.cell:
            per_cell[(sheet.title, finding.cell)].append(finding)
    for (title, reference), cell_findings in per_cell.items():
        cell = book[title][reference]
        worst = "error" if any(f.severity == "error" for f in cell_findings) else "warning"
        cell.fill = ERROR_FILL if worst == "error" else WARNING_FILL
        text = "\n\n".join(
            f"[{gettext(f.severity, lang)}] {f.code}: {f.message(lang)}\n→ {f.hint(lang)}"
            for f in cell_findings
        )
        cell.comment = Comment(text, "envreport", width=360, height=120 + 60 * len(cell_findings))

    listing = book.create_sheet("Findings", 0)
    _write_listing(listing, findings, sheets, lang)
    book.active = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _text(value: object) -> object:
    """A finding's value as a cell can hold it."""
    if value is None or isinstance(value, int | float | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _write_listing(sheet: Worksheet, findings: Findings, sheets: dict[str, Worksheet],
                   lang: str) -> None:
    for col, (label, width) in enumerate(zip(_COLUMNS, _WIDTHS, strict=True), start=1):
        cell = sheet.cell(1, col, gettext(label, lang))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for row, finding in enumerate(findings, start=2):
        target = sheets.get(normalise_sheet_name(finding.sheet or ""))
        values = (gettext(finding.severity, lang), finding.code, finding.sheet, finding.cell,
                  finding.field, _text(finding.value), finding.message(lang),
                  finding.hint(lang))
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
        sheet.cell(row, 1).fill = ERROR_FILL if finding.severity == "error" else WARNING_FILL
        if target is not None:
            link_cell = sheet.cell(row, 4 if finding.cell else 3)
            link_cell.hyperlink = f"#{quote_sheetname(target.title)}!{finding.cell or 'A1'}"
            link_cell.font = _LINK_FONT
    if findings.truncated:
        sheet.cell(len(findings) + 2, 1, gettext("More findings were not listed.", lang))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{max(len(findings) + 1, 2)}"
