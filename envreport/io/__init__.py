"""Opening workbooks safely and reading them fast."""

from envreport.io.reader import (
    RawSheet,
    RawWorkbook,
    WorkbookRead,
    file_sha256,
    read_workbook,
    safe_sha256,
    start_read,
)
from envreport.io.safety import (
    EXCEL_SUFFIXES,
    ODS_MEDIA_TYPE,
    WORKBOOK_MEDIA_TYPES,
    WORKBOOK_SUFFIXES,
    XLSM_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    UnreadableWorkbookError,
    is_ods_workbook,
    preflight,
)

__all__ = [
    "EXCEL_SUFFIXES",
    "ODS_MEDIA_TYPE",
    "WORKBOOK_MEDIA_TYPES",
    "WORKBOOK_SUFFIXES",
    "XLSM_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "RawSheet",
    "RawWorkbook",
    "UnreadableWorkbookError",
    "WorkbookRead",
    "file_sha256",
    "is_ods_workbook",
    "preflight",
    "read_workbook",
    "safe_sha256",
    "start_read",
]
