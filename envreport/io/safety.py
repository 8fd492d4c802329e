"""Pre-flight checks that run before any parser sees a workbook.

Neither openpyxl nor python-calamine protects itself from a zip bomb, and calamine aborts
the whole process when an allocation fails (shared/reference/security.md). So the zip's
central directory is read first and the file refused when what it declares is beyond what
a real submission needs. Both zipfile and calamine stop at the declared sizes, so a lying
header fails with a CRC or size error instead of inflating.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

# Real data: about 410 bytes of sheet XML per row and a member ratio near 7:1. The limits
# leave room for a 1 000 000-row submission and nothing near a bomb.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TOTAL_INFLATED_BYTES = 600 * 1024 * 1024
MAX_MEMBER_INFLATED_BYTES = 500 * 1024 * 1024
MAX_MEMBER_RATIO = 120  # inflated / compressed, for members above RATIO_CHECK_FLOOR
RATIO_CHECK_FLOOR = 8 * 1024 * 1024
MAX_MEMBERS = 5_000
# A DOCTYPE must come before the root element, so the head of each part shows it.
XML_HEAD_BYTES = 4096

_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


class UnreadableWorkbookError(Exception):
    """The file cannot be read as a workbook at all. ``reason`` says why, for a person."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ZipSummary:
    """What the zip's central directory declares."""

    members: int
    inflated_bytes: int


def preflight(path: Path) -> ZipSummary:
    """Refuse files that are not safe, real ``.xlsx`` workbooks; explain why in one line."""
    if not path.exists():
        raise UnreadableWorkbookError(path, "the file does not exist")
    if not path.is_file():
        raise UnreadableWorkbookError(path, "this is not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableWorkbookError(path, "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise UnreadableWorkbookError(
            path, f"the file is {size / 2**20:.0f} MB, above the {MAX_FILE_BYTES // 2**20} MB "
            "limit for one submission")
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(_CFB_MAGIC):
            handle.seek(0)
            # Encrypted .xlsx files are OLE containers with an EncryptionInfo stream.
            container = handle.read(min(size, 4 * 1024 * 1024))
            if _ENCRYPTION_MARK in container:
                raise UnreadableWorkbookError(
                    path, "the workbook is password-protected (encrypted); save it without a "
                    "password")
            raise UnreadableWorkbookError(
                path, "this is a legacy Excel 97-2003 (.xls) file; save it as .xlsx")
    if not head.startswith(_ZIP_MAGIC):
        kind = _guess_text_kind(path)
        raise UnreadableWorkbookError(path, f"this is not an Excel workbook ({kind})")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            summary = _check_members(path, infos)
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise UnreadableWorkbookError(
                    path, "this zip file is not an Excel workbook (it has no xl/workbook.xml)")
            _check_xml_heads(path, archive, infos)
    except zipfile.BadZipFile as exc:
        raise UnreadableWorkbookError(
            path, f"the file is damaged or truncated (not a complete zip archive: {exc})"
        ) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableWorkbookError(path, f"the file is damaged ({exc})") from None
    return summary


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> ZipSummary:
    if len(infos) > MAX_MEMBERS:
        raise UnreadableWorkbookError(path, f"the archive holds {len(infos)} parts; refused")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_INFLATED_BYTES or (
            info.file_size > RATIO_CHECK_FLOOR
            and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1)
        ):
            raise UnreadableWorkbookError(
                path, f"the part {info.filename} would inflate to {info.file_size / 2**20:.0f} MB "
                f"from {info.compress_size / 2**20:.1f} MB (a zip bomb?); refused")
    if total > MAX_TOTAL_INFLATED_BYTES:
        raise UnreadableWorkbookError(
            path, f"the workbook would inflate to {total / 2**20:.0f} MB, above the "
            f"{MAX_TOTAL_INFLATED_BYTES // 2**20} MB limit; refused")
    return ZipSummary(members=len(infos), inflated_bytes=total)


def _check_xml_heads(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part that declares a DOCTYPE (entities are how XML bombs work)."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as member:
            head = member.read(XML_HEAD_BYTES)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise UnreadableWorkbookError(
                path, f"the part {info.filename} declares XML entities (a possible XML bomb); "
                "refused")


def _guess_text_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(512).lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html")):
        return "it looks like an HTML page"
    if head.startswith(b"%pdf"):
        return "it looks like a PDF"
    if head.startswith(b"<?xml"):
        return "it looks like a plain XML file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown binary content"
    return "it looks like a text or CSV file renamed to .xlsx"
