"""Saving an openpyxl workbook deterministically: the same content gives the same bytes.

openpyxl stamps the save time twice: ``docProps/core.xml`` (``modified``, and ``created``
when the workbook was made) and the date of every zip entry (the write-only sheets' temporary
files carry their own mtime). Here both are one pinned time: ``SOURCE_DATE_EPOCH`` when set
(the reproducible-builds convention), else :data:`FIXED_TIME`.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

__all__ = ["FIXED_TIME", "document_time", "save_pinned"]

# The time written when SOURCE_DATE_EPOCH is not set. Any fixed value makes the bytes stable;
# this one is recognisably not a real save time.
FIXED_TIME = datetime(2024, 1, 1)
# A zip entry cannot be dated before 1980.
_ZIP_EPOCH = datetime(1980, 1, 1)


def document_time() -> datetime:
    """The time written into every xlsx we produce (naive, UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None), _ZIP_EPOCH)
    return FIXED_TIME


class _PinnedZip(ZipFile):
    """A zip archive whose every entry is dated ``stamp`` whatever the clock or file says."""

    def __init__(self, target: Path | IO[bytes], stamp: datetime) -> None:
        super().__init__(target, "w", ZIP_DEFLATED, allowZip64=True)
        self._stamp = stamp.timetuple()[:6]

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=self._stamp)
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname: str | ZipInfo, data: Any,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        # openpyxl writes each sheet from a temporary file; stream it (sheets can be large)
        # under a pinned date instead of the file's mtime.
        info = self._info(str(arcname or filename))
        info.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(info, "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target, 1 << 20)


def save_pinned(book: Workbook, target: Path | IO[bytes]) -> None:
    """Save ``book`` to ``target`` (a path or a binary file) with every time pinned to
    :func:`document_time`, so the same workbook gives byte-identical files."""
    stamp = document_time()
    book.properties.created = stamp
    book.properties.modified = stamp
    if book.write_only and not book.worksheets:
        book.create_sheet()
    ExcelWriter(book, _PinnedZip(target, stamp)).save()
