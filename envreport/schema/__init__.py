"""The workbook contract in code: sheet models, cell types and the sheet registry."""

from envreport.schema.base import RowContext, SheetRow, Violation
from envreport.schema.registry import (
    FINDINGS_TABS,
    INSTRUCTIONS_TABS,
    LISTS_TAB,
    PROJECT_SHEETS,
    SHEETS,
    SHEETS_BY_KEY,
    SHEETS_BY_NAME,
    Sheet,
    SheetSpec,
    normalise_header,
    normalise_sheet_name,
    sheet_heading,
    sheet_spec,
    template_position,
)

__all__ = [
    "FINDINGS_TABS",
    "INSTRUCTIONS_TABS",
    "LISTS_TAB",
    "PROJECT_SHEETS",
    "SHEETS",
    "SHEETS_BY_KEY",
    "SHEETS_BY_NAME",
    "RowContext",
    "Sheet",
    "SheetRow",
    "SheetSpec",
    "Violation",
    "normalise_header",
    "normalise_sheet_name",
    "sheet_heading",
    "sheet_spec",
    "template_position",
]
