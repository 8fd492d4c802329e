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
from envreport.io.safety import UnreadableWorkbookError, preflight

__all__ = [
    "RawSheet",
    "RawWorkbook",
    "UnreadableWorkbookError",
    "WorkbookRead",
    "file_sha256",
    "preflight",
    "read_workbook",
    "safe_sha256",
    "start_read",
]
