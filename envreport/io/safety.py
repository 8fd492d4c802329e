"""Pre-flight checks that run before any parser sees a workbook.

Neither openpyxl nor python-calamine protects itself from a zip bomb, and calamine aborts
the whole process when an allocation fails (shared/reference/security.md). So the zip's
central directory is read first and the file refused when what it declares is beyond what
a real submission needs. Both zipfile and calamine stop at the declared sizes, so a lying
header fails with a CRC or size error instead of inflating.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol
from xml.parsers import expat

import re2

from envreport.codes import Prose
from envreport.findings import Finding, FindingError, column_letter
from envreport.io.formulas import has_cell_marks, percent_style_pattern, percent_styles, sheet_parts

# Real data: about 410 bytes of sheet XML per row and a member ratio near 7:1. The limits
# leave room for a 1 000 000-row submission and nothing near a bomb.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TOTAL_INFLATED_BYTES = 600 * 1024 * 1024
MAX_MEMBER_INFLATED_BYTES = 500 * 1024 * 1024
MAX_MEMBER_RATIO = 120  # inflated / compressed, for members above RATIO_CHECK_FLOOR
RATIO_CHECK_FLOOR = 8 * 1024 * 1024
MAX_MEMBERS = 5_000
# Shared text that cells may copy out, in all: a million rows of ten 25-character strings.
MAX_SHARED_TEXT_CHARS = 250_000_000
# Cells in the rectangles the sheets span, in all: a million rows of 40 columns.
MAX_RANGE_CELLS = 40_000_000
# calamine holds the rectangle densely, about 42 bytes a cell (one cell at AL1048576, 40
# million cells, took 1.65 GB). A rectangle beyond RANGE_FLOOR_CELLS (~250 MB) must be at
# least a quarter filled with real cells: real sheets are dense, a bomb is two far cells.
RANGE_FLOOR_CELLS = 6_000_000
RANGE_CELLS_PER_CELL = 4
# Excel's grid: references beyond it are not from any spreadsheet program.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384  # XFD
# A DOCTYPE must come before the root element: each part's prolog is read in steps of
# XML_HEAD_BYTES, and refused when longer than XML_PROLOG_MAX_BYTES (no real part comes near).
XML_HEAD_BYTES = 4096
XML_PROLOG_MAX_BYTES = 256 * 1024

#: what a workbook's name may end in: an Excel workbook's, and an OpenDocument spreadsheet's
#: (LibreOffice, WPS). What the file is, its content decides (:func:`check_archive`), not its
#: name; the command line's early read, a batch's folder search and the portal's upload form
#: take these names.
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
WORKBOOK_SUFFIXES = (*EXCEL_SUFFIXES, ".ods")
#: an OpenDocument spreadsheet's media type, the text of its ``mimetype`` part (ODF 1.2,
#: part 3, 3.3): what says a zip is an .ods, and how the portal sends one back
ODS_MEDIA_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
#: an Excel workbook's media types: ECMA-376's for an .xlsx, Microsoft's for a macro-enabled
#: .xlsm (what Excel itself serves one as); how the portal sends each back, by its name
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_MEDIA_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.12"
#: each of :data:`WORKBOOK_SUFFIXES` with its media type
WORKBOOK_MEDIA_TYPES: dict[str, str] = {
    ".xlsx": XLSX_MEDIA_TYPE, ".xlsm": XLSM_MEDIA_TYPE, ".ods": ODS_MEDIA_TYPE}

_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


class UnreadableWorkbookError(FindingError):
    """The file cannot be read as a workbook at all. ``reason`` says why, for a person; the
    ``unreadable-file`` finding (:attr:`finding`) says it in every language."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(Finding("unreadable-file", "error",
                                 params={"file": self.path.name, "reason": Prose(reason)}))

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"

    def __reduce__(self) -> tuple[type[UnreadableWorkbookError], tuple[Path, str]]:
        # pickled across the batch's worker processes: rebuilt from its two arguments
        return type(self), (self.path, self.reason)


@dataclass
class ArchiveFacts:
    """What the cheap checks of :func:`check_archive` learnt: enough to start reading."""

    ods: bool
    sheet_bytes: int  # inflated bytes of the parts holding cells (content.xml for .ods)
    # The sheet names xl/workbook.xml lists (empty when unknown: an .ods, a malformed list):
    # what the later stages may prepare for while the cells are read. Not a check.
    sheet_names: tuple[str, ...] = ()

    @property
    def cell_estimate(self) -> int:
        """An upper estimate of the cells, before any part is inflated (sizes the reader)."""
        per_cell = _ODS_BYTES_PER_CELL if self.ods else _XLSX_MIN_BYTES_PER_CELL
        return self.sheet_bytes // per_cell


@dataclass
class ContentFacts:
    """What the one pass over the sheet XML in :func:`check_contents` found."""

    cells: int = 0
    marked_parts: set[str] = field(default_factory=set)  # parts with a formula/error/% mark


def preflight(path: Path) -> int:
    """Refuse files that are not safe, real ``.xlsx`` workbooks; explain why in one line.

    :func:`check_archive` then :func:`check_contents`. Returns the number of cells the
    sheets hold (for an .ods, an estimate from the size of its content).
    """
    facts = check_archive(path)
    if facts.ods:
        return facts.cell_estimate
    return check_contents(path, facts).cells


def check_archive(path: Path) -> ArchiveFacts:
    """The checks that read no sheet data: the file's size and kind, the zip's directory,
    each XML part's prolog and the sheet list. Milliseconds, whatever the file's size.

    Nothing is read before the size is known (a 16 GiB file is refused from its ``stat``).
    """
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
            # Encrypted .xlsx files are OLE containers with an EncryptionInfo stream. Its
            # directory entry may sit anywhere (after a large EncryptedPackage, say), so the
            # whole container is scanned; it is at most MAX_FILE_BYTES.
            if _contains(handle, _ENCRYPTION_MARK):
                raise UnreadableWorkbookError(
                    path, "the workbook is password-protected (encrypted); save it without a "
                    "password")
            raise UnreadableWorkbookError(
                path, "this is a legacy Excel 97-2003 (.xls) file; save it as .xlsx")
    if not head.startswith(_ZIP_MAGIC):
        if path.suffix.lower() in (".csv", ".tsv"):
            raise UnreadableWorkbookError(
                path, "this is a CSV file, not a workbook; open it in Excel or LibreOffice and "
                "save it as an .xlsx workbook")
        kind = _guess_text_kind(path)
        raise UnreadableWorkbookError(path, f"this is not an Excel workbook ({kind})")
    with _zip_errors(path):
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_members(path, infos)
            names = {info.filename for info in infos}
            if _is_ods(archive, names):
                _check_xml_heads(path, archive, infos)
                content = next(info for info in infos if info.filename == "content.xml")
                return ArchiveFacts(ods=True, sheet_bytes=content.file_size)
            if "xl/workbook.xml" not in names:
                raise UnreadableWorkbookError(
                    path, "this zip file is not an Excel workbook (it has no xl/workbook.xml)")
            _check_xml_heads(path, archive, infos)
            _check_sheet_volume(path, archive, infos)
            strings = _shared_string_infos(infos)
            named = _named_parts(archive)
            sheet_bytes = sum(info.file_size
                              for info in _sheet_infos(archive, infos, strings, named))
            return ArchiveFacts(ods=False, sheet_bytes=sheet_bytes,
                                sheet_names=tuple(named or ()))
    raise AssertionError("unreachable")  # _zip_errors re-raises every error it catches


def check_contents(path: Path, facts: ArchiveFacts) -> ContentFacts:
    """The checks that look at every cell of an .xlsx, in one pass over each sheet's XML.

    The shared text the cells would copy, the rectangle each sheet spans, and which sheets
    hold a formula, an error value or a percent-formatted cell (those alone are parsed
    again, by :func:`envreport.io.formulas.scan_cells`).
    """
    with _zip_errors(path):
        with zipfile.ZipFile(path) as archive:
            return _scan_sheets(path, archive, archive.infolist(), facts)
    raise AssertionError("unreachable")


@contextmanager
def _zip_errors(path: Path) -> Iterator[None]:
    """A damaged archive, said in one line for a person."""
    try:
        yield
    except zipfile.BadZipFile as exc:
        raise UnreadableWorkbookError(
            path, f"the file is damaged or truncated (not a complete zip archive: {exc})"
        ) from None
    except zlib.error as exc:  # a corrupt deflate stream ("Error -3 while decompressing")
        raise UnreadableWorkbookError(
            path, f"the file is damaged (a compressed part cannot be inflated: {exc})") from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableWorkbookError(path, f"the file is damaged ({exc})") from None


# content.xml of a LibreOffice sheet holds about 60 bytes per filled cell; the estimate sizes
# the reading child's memory budget (which caps whatever calamine makes of the file).
_ODS_BYTES_PER_CELL = 60
# The shortest cell Excel or LibreOffice writes with a value, <c r="A1"><v>1</v></c>, is 22
# bytes of sheet XML: the sheet parts' size over this bounds the cells before any is read.
_XLSX_MIN_BYTES_PER_CELL = 20


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument spreadsheet (.ods: LibreOffice, WPS), read with the same guarantees:
    no Excel workbook part, and a ``mimetype`` part saying :data:`ODS_MEDIA_TYPE` (only its
    first bytes inflated, so a bomb there costs nothing)."""
    if "xl/workbook.xml" in names or "mimetype" not in names or "content.xml" not in names:
        return False
    expected = ODS_MEDIA_TYPE.encode()
    with archive.open("mimetype") as member:
        return member.read(len(expected) + 2).strip() == expected


def is_ods_workbook(content: bytes) -> bool:
    """Whether ``content`` (a whole file) is what the reader reads as an .ods, whatever its
    name: the portal types a stored submission's download by it."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _is_ods(archive, set(archive.namelist()))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError):
        return False  # no zip, or a damaged one: no .ods


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
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
    # Many parts each just under RATIO_CHECK_FLOOR add up: the same ratio holds for the whole.
    compressed = sum(info.compress_size for info in infos)
    if total > RATIO_CHECK_FLOOR and total > MAX_MEMBER_RATIO * max(compressed, 1):
        raise UnreadableWorkbookError(
            path, f"the workbook would inflate to {total / 2**20:.0f} MB from "
            f"{compressed / 2**20:.1f} MB (a zip bomb?); refused")


def _check_xml_heads(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part that declares a DOCTYPE (entities are how XML bombs work).

    A DOCTYPE may follow any number of comments and processing instructions, so the prolog
    is read token by token up to the root element (at most XML_PROLOG_MAX_BYTES), in UTF-8
    or UTF-16; a fixed-size head could be pushed past with a long comment.
    """
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        verdict = _prolog_verdict(archive, info)
        if verdict:
            raise UnreadableWorkbookError(path, f"the part {info.filename} {verdict}; refused")


def _prolog_verdict(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why the prolog of ``info`` is refused, or ``None`` when it is plain."""
    with archive.open(info) as member:
        raw = member.read(XML_HEAD_BYTES)
        while True:
            text = _decode_head(raw)
            position = 0
            while True:
                while position < len(text) and text[position] in " \t\r\n\ufeff":
                    position += 1
                rest = text[position:position + 9]
                if rest.startswith(("<?", "<!--")):
                    closer = "?>" if rest.startswith("<?") else "-->"
                    end = text.find(closer, position + 2)
                    if end < 0:
                        break  # the token goes on past what was read: read more
                    position = end + len(closer)
                    continue
                if rest.startswith("<!"):
                    return "declares XML entities (a possible XML bomb)"
                if len(rest) < 9 and len(raw) < info.file_size:
                    break  # too little read to tell
                return None  # the root element (or not XML: the parsers will say)
            if len(raw) >= XML_PROLOG_MAX_BYTES:
                return "has an XML prolog longer than is plausible"
            more = member.read(XML_HEAD_BYTES)
            if not more:
                return None
            raw += more


def _decode_head(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"<\x00")):
        return raw[: len(raw) // 2 * 2].decode("utf-16-le", "replace")
    if raw.startswith((b"\xfe\xff", b"\x00<")):
        return raw[: len(raw) // 2 * 2].decode("utf-16-be", "replace")
    return raw.decode("utf-8", "replace")  # a BOM becomes U+FEFF, skipped like a space


def _contains(handle: BinaryIO, mark: bytes, chunk_size: int = 4 * 1024 * 1024) -> bool:
    """Whether ``mark`` occurs anywhere in ``handle`` from its position on."""
    tail = b""
    while chunk := handle.read(chunk_size):
        if mark in tail + chunk:
            return True
        tail = chunk[-(len(mark) - 1):]
    return False


def _check_sheet_volume(path: Path, archive: zipfile.ZipFile,
                        infos: list[zipfile.ZipInfo]) -> None:
    """Refuse sheet lists that make a reader parse far more XML than the archive holds.

    Each ``<sheet>`` of xl/workbook.xml names its part through the relationships; a
    thousand sheets naming one 4 MB part (a 357 KB file) made calamine parse 4 GB: minutes
    of CPU and 3 GB of memory. The XML the sheet list asks to parse, part sizes counted once
    per sheet naming them, must stay within MAX_TOTAL_INFLATED_BYTES.
    """
    from defusedxml import ElementTree as SafeET

    names = {info.filename for info in infos}
    sizes = {info.filename: info.file_size for info in infos}
    if "xl/_rels/workbook.xml.rels" not in names:
        return  # no sheet can be found: the readers will say so
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except zipfile.BadZipFile:
        raise
    except Exception:
        return  # malformed: the readers will say so
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter()
               if rel.tag.rsplit("}", 1)[-1] == "Relationship"}
    sheets = [element for element in workbook.iter()
              if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "sheet"]
    if len(sheets) > MAX_MEMBERS:
        raise UnreadableWorkbookError(path, f"the workbook lists {len(sheets)} sheets; refused")
    volume = 0
    for sheet in sheets:
        rel_id = next((value for key, value in sheet.attrib.items()
                       if key.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rel_id, "")
        # The ways readers resolve a target; the largest part any of them names counts.
        candidates = {target, target.lstrip("/"),
                      posixpath.normpath(posixpath.join("xl", target))}
        volume += max(sizes.get(candidate, 0) for candidate in candidates)
    if volume > MAX_TOTAL_INFLATED_BYTES:
        raise UnreadableWorkbookError(
            path, f"its {len(sheets)} sheets would have {volume / 2**20:.0f} MB of XML read "
            f"(sheets sharing one part?), above the {MAX_TOTAL_INFLATED_BYTES // 2**20} MB "
            "limit; refused")


def _shared_string_infos(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    return [info for info in infos
            if info.filename.lower().rsplit("/", 1)[-1] == "sharedstrings.xml"]


def _shared_lengths(path: Path, archive: zipfile.ZipFile, strings: list[zipfile.ZipInfo],
                    sheet_bytes: int) -> list[int]:
    """Characters of text in each shared string (the longest over the parts), or ``[]``
    when no sheet can copy out enough text to matter.

    Every cell that uses a shared string has an attribute whose value is ``s``, at least 4
    bytes of sheet XML (`` t="s"``): the sheets' size over 4, times the size of the
    shared-strings parts, bounds the text the cells could copy. Below the limit (a
    workbook of tens of thousands of rows, say) nothing needs counting.
    """
    if sheet_bytes // 4 * sum(info.file_size for info in strings) <= MAX_SHARED_TEXT_CHARS:
        return []
    lengths: list[int] = []
    for info in strings:
        for index, length in enumerate(_shared_string_lengths(archive, info)):
            if index < len(lengths):
                lengths[index] = max(lengths[index], length)
            else:
                lengths.append(length)
    return lengths if max(lengths, default=0) else []


def _shared_string_lengths(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[int]:
    """Characters of text in each ``<si>`` of a shared-strings part (rich runs included)."""
    lengths: list[int] = []
    depth_in_si = 0
    current = 0

    def start(name: str, _attrs: object) -> None:
        nonlocal depth_in_si, current
        if depth_in_si or name.rsplit(":", 1)[-1] == "si":
            if not depth_in_si:
                current = 0
            depth_in_si += 1

    def end(_name: str) -> None:
        nonlocal depth_in_si
        if depth_in_si:
            depth_in_si -= 1
            if not depth_in_si:
                lengths.append(current)

    def text(data: str) -> None:
        nonlocal current
        if depth_in_si:
            current += len(data)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    with archive.open(info) as member:
        try:
            while chunk := member.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise zipfile.BadZipFile(f"{info.filename} is not well-formed XML ({exc})") from None
    return lengths


def _named_parts(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name → part, as the workbook lists them; ``None`` when the list is malformed."""
    try:
        return sheet_parts(archive)
    except Exception:
        return None


def _sheet_infos(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                 exclude: list[zipfile.ZipInfo],
                 named_parts: dict[str, str] | None = None) -> list[zipfile.ZipInfo]:
    """The worksheet parts: those the workbook names, and anything under xl/worksheets/.

    ``named_parts``: :func:`_named_parts` when the caller has it already."""
    listed = named_parts if named_parts is not None else _named_parts(archive)
    if listed is None:  # a malformed workbook part: look at every XML part instead
        named = {info.filename for info in infos if info.filename.lower().endswith(".xml")}
    else:
        named = set(listed.values())
    skip = {info.filename for info in exclude}
    return [info for info in infos if info.filename not in skip and (
        info.filename in named or info.filename.startswith("xl/worksheets/"))]


_SHARED_CELL = re.compile(rb'<c\b[^>]*?\st="s"[^>]*>\s*<v>(\d{1,10})</v>')
_VALUE_S = (b'"s"', b"'s'")
# Wider than Excel's grid (4 letters, 12 digits) so that references beyond it are seen.
_CELL_ROW = re.compile(rb"""r=["'][A-Z]{1,4}(\d{1,12})["']""")
_CELL_COL = re.compile(rb"""r=["']([A-Z]{1,4})\d{1,12}["']""")
# A row that holds cells (not self-closing): its cells without r="…" sit in this row.
_FILLED_ROW_REF = re.compile(
    rb"""<(?:\w{1,16}:)?row\s[^>]{0,512}?r\s{0,4}=\s{0,4}["'](\d{1,12})["'][^>/]{0,512}>""")
# A cell written <c r=…> (every writer's form) and the other ways a cell may start.
_CELL_START = b"<c "
_REFERENCED_CELL_START = b'<c r="'
_TAIL_BYTES = 8192
_ODD_CELL_START = re.compile(rb"<c[>\t\n\r]")
# Any cell start but <c r=": when none is there, the <c r=" count is the cell count (one
# search with a literal prefix, instead of counting <c and looking for the odd forms).
_UNREFERENCED_CELL_START = re.compile(rb"""<c(?:[>\t\n\r]| (?!r="))""")
# Inflated XML scanned at a time: a chunk stays in the core's 2 MB cache through the scans.
_CHUNK_BYTES = 1 << 20
_LONGEST_CELL_BYTES = 65536  # a cell longer than this may be cut between two chunks


@dataclass
class _SheetTally:
    """What one pass over one sheet part counts (see :func:`_scan_sheets`)."""

    cells: int = 0
    referenced: int = 0  # cells with an r="A1" reference
    max_row: int = 0
    max_col: int = 0
    shared_possible: int = 0  # attribute values "s": a bound on shared-string cells
    shared_matched: int = 0  # cells written <c … t="s"><v>N</v>, exactly counted
    shared_text: int = 0  # characters those cells copy
    marked: bool = False  # a formula, error value, percent style or hidden row is in the XML


def _scan_sheets(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                 facts: ArchiveFacts) -> ContentFacts:
    """One pass over each sheet's XML: shared text copied out, the rectangle spanned, marks.

    **Shared text.** A reader gives every cell that uses a shared string its own copy, so
    one 32 KB string used by 20 000 cells — a file of 9 KB, every part small — becomes over
    a gigabyte once read. The text each sheet would copy is totalled: exactly (string
    length by index) for cells written the way Excel and LibreOffice write them,
    ``<c … t="s"><v>N</v>``; and when a sheet has any other form, bounded by (values "s" in
    the sheet) × (longest string); it must stay within MAX_SHARED_TEXT_CHARS.

    **Rectangles.** calamine holds each sheet as the dense rectangle from A1 to its last
    row and column: two cells, A1 and XFD10000, ask for 5 GB; A1 and XFD1048576 for 512 GB;
    one cell at AL1048576 for 1.65 GB. The largest row and column in the cells' ``r="…"``
    references bound the rectangle (when some cell has none, the rows that hold cells are
    looked at too). References beyond Excel's grid are refused; the rectangles' sum must
    stay within MAX_RANGE_CELLS, and beyond RANGE_FLOOR_CELLS be filled at least 1 in
    RANGE_CELLS_PER_CELL. References written in unusual ways (spaces around ``=``, a
    namespace prefix) are not seen here: the read itself runs under a memory cap
    (envreport.io.reader).

    **Marks.** Whether the XML holds ``<f``, an error type or a percent style's ``s="N"``:
    only such sheets are parsed cell by cell (envreport.io.formulas).

    Every scan is a C loop over inflated bytes: a ``count`` of the cell starts and one RE2
    search that proves a chunk ordinary (:func:`_tally_usual`); only a chunk it does not
    prove is searched exactly (``count``, ``in``, ``findall``: :func:`_tally_exactly`).
    """
    strings = _shared_string_infos(infos)
    lengths = _shared_lengths(path, archive, strings, facts.sheet_bytes)
    percent = percent_style_pattern(percent_styles(archive))
    found = ContentFacts()
    shared_total = rectangles = 0
    for info in _sheet_infos(archive, infos, strings):
        tally = _tally_sheet(archive, info, lengths, percent)
        if lengths:
            longest = max(lengths)
            shared_total += (tally.shared_text if tally.shared_matched == tally.shared_possible
                             else tally.shared_possible * longest)
            if shared_total > MAX_SHARED_TEXT_CHARS:
                raise UnreadableWorkbookError(
                    path, f"its cells repeat shared text {shared_total / 1e6:.0f} million "
                    f"characters long in all, beyond the limit of "
                    f"{MAX_SHARED_TEXT_CHARS // 10**6} million (a bomb?); refused")
        max_row, max_col = tally.max_row, tally.max_col
        if tally.cells > tally.referenced:  # cells placed by position: their rows count too
            max_row = max(max_row, _last_filled_row(archive, info))
        if max_row > EXCEL_MAX_ROWS or max_col > EXCEL_MAX_COLUMNS:
            raise UnreadableWorkbookError(
                path, f"{info.filename} has cells up to row {max_row:,} and column "
                f"{max_col:,}, beyond Excel's grid ({EXCEL_MAX_ROWS:,} rows, columns A to "
                "XFD); refused")
        rectangles += max_row * max(max_col, 1)
        found.cells += tally.cells
        if rectangles > MAX_RANGE_CELLS or (
                rectangles > RANGE_FLOOR_CELLS and rectangles > RANGE_CELLS_PER_CELL * found.cells):
            raise UnreadableWorkbookError(
                path, f"the cells of {info.filename} span {max_row} rows × {max_col} columns, "
                f"{rectangles / 1e6:.0f} million cells to hold (a bomb?); refused")
        if tally.marked:
            found.marked_parts.add(info.filename)
    return found


def _tally_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, lengths: list[int],
                 percent: re.Pattern[bytes] | None) -> _SheetTally:
    """Count, in one streamed pass over one sheet part, what :func:`_scan_sheets` checks."""
    tally = _SheetTally()
    carry = b""
    with archive.open(info) as member:
        while True:
            chunk = member.read(_CHUNK_BYTES)
            buffer = carry + chunk
            # Scan up to the start of the last cell (a tag boundary, so no reference, mark or
            # shared cell is cut in two); the rest waits for the next chunk. The scans stop
            # at the cut instead of copying what lies before it.
            cut = len(buffer)
            if chunk:
                cut = buffer.rfind(b"<c")
                if cut <= 0 or len(buffer) - cut > _LONGEST_CELL_BYTES:
                    cut = buffer.rfind(b"<")
                if cut <= 0:
                    cut = len(buffer)
            _tally_part(buffer, cut, tally, lengths, percent)
            carry = buffer[cut:]
            if not chunk:
                break
    return tally


def _tally_part(xml: bytes, end: int, tally: _SheetTally, lengths: list[int],
                percent: re.Pattern[bytes] | None) -> None:
    """Add to ``tally`` what the first ``end`` bytes of ``xml`` hold."""
    referenced = xml.count(_REFERENCED_CELL_START, 0, end)
    bounds = _tail_bounds(xml, end, tally)
    if not _tally_usual(xml, end, tally, referenced, bounds, percent):
        _tally_exactly(xml, end, tally, referenced, bounds, percent)
    if lengths:
        tally.shared_possible += sum(xml.count(mark, 0, end) for mark in _VALUE_S)
        indices = Counter(_SHARED_CELL.findall(xml, 0, end))
        tally.shared_matched += sum(indices.values())
        tally.shared_text += sum(lengths[int(index)] * count for index, count in indices.items()
                                 if int(index) < len(lengths))


def _tally_usual(xml: bytes, end: int, tally: _SheetTally, referenced: int,
                 bounds: tuple[int, int] | None, percent: re.Pattern[bytes] | None) -> bool:
    """Tally ``xml[:end]`` in the usual case, proved by one search: every cell starts
    ``<c r="``, no reference goes beyond the last cells' row and column (``bounds``:
    :func:`_tail_bounds`, found once for this and :func:`_tally_exactly`), and no mark is in
    it (once the sheet is marked, marks are no longer looked for). ``False``, with nothing
    tallied, when the search finds any of these: :func:`_tally_exactly` then counts.

    The search is RE2's (a DFA: each byte is read once whatever the alternatives), where
    the same patterns as separate ``re`` searches read the XML four times and stop at every
    ``<c r="`` for the reference (20 ms instead of 7 for 10 000 rows).
    """
    if bounds is None or _UNREFERENCED_CELL_START.search(xml, max(end - 8, 0), end):
        return False  # no reference in the tail; a cell start cut by the end: look closely
    marks = None if tally.marked else (percent.pattern if percent is not None else b"")
    if _usual_cells(*bounds, marks).search(xml, 0, end) is not None:
        return False
    tally.cells += referenced
    tally.referenced += referenced
    tally.max_row, tally.max_col = bounds
    return True


def _tally_exactly(xml: bytes, end: int, tally: _SheetTally, referenced: int,
                   bounds: tuple[int, int] | None, percent: re.Pattern[bytes] | None) -> None:
    """Tally ``xml[:end]`` whatever it holds (its cells, their largest row and column, its
    marks), search by search."""
    if _UNREFERENCED_CELL_START.search(xml, 0, end) is None:
        cells = referenced  # every cell is <c r="
    else:
        cells = xml.count(_CELL_START, 0, end)
        if _ODD_CELL_START.search(xml, 0, end):
            cells += len(_ODD_CELL_START.findall(xml, 0, end))
    tally.cells += cells
    if not (referenced == cells and _tally_last_references(xml, end, tally, referenced, bounds)):
        rows = _CELL_ROW.findall(xml, 0, end)
        if rows:
            tally.referenced += len(rows)
            tally.max_row = max(tally.max_row, max(map(int, rows)))
            tally.max_col = max(tally.max_col,
                                *map(_column_number, set(_CELL_COL.findall(xml, 0, end))))
    if not tally.marked:
        tally.marked = has_cell_marks(xml, percent, end)


def _tail_bounds(xml: bytes, end: int, tally: _SheetTally) -> tuple[int, int] | None:
    """The largest row and column so far, with the references of the last cells of
    ``xml[:end]`` (``None`` when there is none among them)."""
    tail = xml[max(end - _TAIL_BYTES, 0):end]
    rows = _CELL_ROW.findall(tail)
    if not rows:
        return None
    return (max(tally.max_row, max(map(int, rows))),
            max(tally.max_col, *map(_column_number, set(_CELL_COL.findall(tail)))))


def _tally_last_references(xml: bytes, end: int, tally: _SheetTally, referenced: int,
                           bounds: tuple[int, int] | None) -> bool:
    """The largest row and column of ``xml[:end]``, every cell of which starts ``<c r="``,
    from its last references — if one search proves no reference in it goes further.

    Writers put rows in order, so the last cells hold the largest row, and a search for a
    reference beyond it (:func:`_beyond`) finds none: one C scan instead of a number for
    every cell. ``referenced``: the caller's count of ``<c r="`` in ``xml[:end]``;
    ``bounds``: :func:`_tail_bounds`, also the caller's. Otherwise (``False``) the caller
    counts every reference.
    """
    if bounds is None or _beyond(*bounds).search(xml, 0, end):
        return False
    tally.max_row, tally.max_col = bounds
    tally.referenced += referenced
    return True


# What _tally_usual's search looks for, besides a reference beyond the bounds: a cell start
# other than <c r=" (a superset of _UNREFERENCED_CELL_START, which needs a look-ahead RE2
# does not have), then the marks of formulas.has_cell_marks.
_ODD_CELL_STARTS = rb"""<c[>\t\n\r]|<c (?:[^r]|r[^=]|r=[^"])"""
_MARKS = rb"""<f|t=["']e["']|hidden=["'](?:1|true)["']"""


class _Search(Protocol):
    def search(self, text: bytes, pos: int, endpos: int) -> object | None: ...


@lru_cache(maxsize=64)
def _usual_cells(row: int, column: int, marks: bytes | None) -> _Search:
    """RE2's search for anything but the usual (:func:`_tally_usual`): an odd cell start, a
    reference past ``row`` or ``column``, and with ``marks`` (the percent styles' pattern,
    ``b""`` when none) a mark. Bytes are characters (Latin-1), as for ``re``."""
    branches = [_ODD_CELL_STARTS, _beyond_pattern(row, column)]
    if marks is not None:
        branches += [_MARKS, marks] if marks else [_MARKS]
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    search: _Search = re2.compile(b"|".join(b"(?:" + branch + b")" for branch in branches),
                                  options)
    return search


@lru_cache(maxsize=64)
def _beyond(row: int, column: int) -> re.Pattern[bytes]:
    """A cell reference (as :data:`_CELL_ROW` reads them) past ``row`` or ``column``: more
    digits or letters, or as many and a larger one at the first place they differ. Leading
    zeros (``A007``) count as more digits: the caller then counts exactly."""
    # Possessive letters: a row bound starts with a digit, so giving letters back never
    # matches, and not trying saves a third of the search.
    return re.compile(_beyond_pattern(row, column, letters=b"[A-Z]{1,4}+"))


def _beyond_pattern(row: int, column: int, letters: bytes = b"[A-Z]{1,4}") -> bytes:
    """:func:`_beyond`'s pattern (``letters``: the pattern of the letters before a row
    number); as it is, in the syntax ``re`` and RE2 share."""
    digits = str(row).encode()
    column_letters = column_letter(column).encode() if column else b""

    def larger(text: bytes, most: int, kind: bytes, upper: int) -> bytes | None:
        branches = [kind + b"{%d,%d}" % (len(text) + 1, most)] if len(text) < most else []
        for place, char in enumerate(text):
            if char < upper:
                rest = len(text) - place - 1
                branches.append(text[:place] + b"[%c-%c]" % (char + 1, upper)
                                + (kind + b"{%d}" % rest if rest else b""))
        return b"(?:" + b"|".join(branches) + b")" if branches else None  # None: none larger

    past: list[bytes] = []
    if (past_row := larger(digits, 12, rb"\d", ord("9"))) is not None:
        past.append(letters + past_row)
    if (past_column := larger(column_letters, 4, b"[A-Z]", ord("Z"))) is not None:
        past.append(past_column + rb"\d{1,12}")
    if not past:
        return rb"[^\x00-\xff]"  # nothing is larger: a byte that is none
    return rb"""r=["'](?:""" + b"|".join(past) + rb""")["']"""


def _last_filled_row(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    last = 0
    carry = b""
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            buffer = carry + chunk
            for match in _FILLED_ROW_REF.finditer(buffer):
                last = max(last, int(match.group(1)))
            carry = buffer[-1100:]
    return last


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


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
    if path.suffix.lower() == ".ods":  # a LibreOffice user's file: named as it was named
        return "it looks like a text or CSV file renamed to .ods"
    return "it looks like a text or CSV file renamed to .xlsx"
