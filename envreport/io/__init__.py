"""Opening workbooks safely and reading them fast."""

from envreport.io.reader import RawSheet, RawWorkbook, file_sha256, read_workbook, safe_sha256
from envreport.io.safety import UnreadableWorkbookError, preflight

__all__ = [
    "RawSheet",
    "RawWorkbook",
    "UnreadableWorkbookError",
    "file_sha256",
    "preflight",
    "read_workbook",
    "safe_sha256",
]
