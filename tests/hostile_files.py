"""Builders of hostile input files for the hardening tests (tests/test_hostile.py).

Everything is generated at test time into a temporary folder: small, fast, deterministic,
no network. Zip archives are written by hand (:func:`write_zip`) so that a test can make
the central directory say what it likes — a lying size, a huge declared size — and so
that a member of a gigabyte can be stored from a few hundred kilobytes of deflate blocks
(:func:`repeated_deflate`) without compressing a gigabyte at test time.
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_inputs" / "group" / "sre.xlsx"  # a real, valid submission

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# --------------------------------------------------------------------------------------
# Zip writing by hand


@dataclass
class Member:
    """One zip member as it will be written. ``data`` is what the member really holds
    (already deflated when ``method`` is ZIP_DEFLATED); the ``declared_*`` fields, when
    set, are what the local header and central directory claim instead of the truth."""

    name: str
    data: bytes
    method: int
    crc: int
    size: int  # the true inflated size
    declared_size: int | None = None
    declared_compress_size: int | None = None


def deflated(name: str, payload: bytes, level: int = 9) -> Member:
    """A member holding ``payload`` compressed with raw deflate."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(payload) + comp.flush()
    return Member(name, data, zipfile.ZIP_DEFLATED, zlib.crc32(payload), len(payload))


def repeated_deflate(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Member:
    """A member that inflates to ``head + chunk * times + tail``, built in milliseconds.

    Each piece is compressed by a fresh compressor and ended with a full flush, which
    byte-aligns it and leaves no back-reference into the piece before: pieces of raw
    deflate made this way may be concatenated, and the chunk's blocks repeated ``times``
    times. The CRC is computed the honest way, over the real content.
    """

    def piece(payload: bytes, last: bool) -> bytes:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        return comp.compress(payload) + comp.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)

    data = piece(head, False) + piece(chunk, False) * times + piece(tail, True)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, data, zipfile.ZIP_DEFLATED, crc, len(head) + len(chunk) * times + len(tail))


def write_zip(path: Path, members: Iterable[Member]) -> Path:
    """Write a plain (non-zip64) archive; sizes are whatever each member declares."""
    local = bytearray()
    central = bytearray()
    count = 0
    for m in members:
        size = m.size if m.declared_size is None else m.declared_size
        csize = len(m.data) if m.declared_compress_size is None else m.declared_compress_size
        name = m.name.encode()
        offset = len(local)
        local += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, m.method, 0, 0x21,
                             m.crc, csize, size, len(name), 0) + name + m.data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, m.method, 0,
                               0x21, m.crc, csize, size, len(name), 0, 0, 0, 0, 0,
                               offset) + name
        count += 1
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central),
                       len(local), 0)
    path.write_bytes(bytes(local) + bytes(central) + eocd)
    return path


# --------------------------------------------------------------------------------------
# Minimal SpreadsheetML packages


def sheet_xml(rows: Iterable[str] = (), *, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'{XML_DECL}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">{dim}<sheetData>'
            + "".join(rows) + "</sheetData></worksheet>").encode()


def inline_row(number: int, values: Iterable[object]) -> str:
    """A ``<row>`` of inline strings and numbers starting at column A."""
    cells = []
    for index, value in enumerate(values):
        ref = f"{chr(65 + index)}{number}"
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    return f'<row r="{number}">' + "".join(cells) + "</row>"


STYLES = (f'{XML_DECL}<styleSheet xmlns="{NS_MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill>'
          '<fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
          '</cellStyleXfs><cellXfs count="2">'
          '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '</cellXfs></styleSheet>').encode()


def package_members(sheets: dict[str, bytes | Member], *,
                    shared_strings: bytes | Member | None = None) -> list[Member]:
    """The members of a minimal workbook: one worksheet part per entry of ``sheets``."""
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>',
                 f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>']
    wb_sheets, rels, parts = [], [], []
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        part = f"xl/worksheets/sheet{number}.xml"
        overrides.append(f'<Override PartName="/{part}" ContentType="{_CT}.worksheet+xml"/>')
        wb_sheets.append(f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>')
        rels.append(f'<Relationship Id="rId{number}" Type="{NS_REL}/worksheet" '
                    f'Target="worksheets/sheet{number}.xml"/>')
        parts.append(xml if isinstance(xml, Member) else deflated(part, xml))
    rels.append(f'<Relationship Id="rIdStyles" Type="{NS_REL}/styles" Target="styles.xml"/>')
    if shared_strings is not None:
        overrides.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>')
        rels.append(f'<Relationship Id="rIdStrings" Type="{NS_REL}/sharedStrings" '
                    'Target="sharedStrings.xml"/>')
        parts.append(shared_strings if isinstance(shared_strings, Member)
                     else deflated("xl/sharedStrings.xml", shared_strings))
    content_types = (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(overrides) + "</Types>")
    root_rels = (f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" '
                 f'Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'{XML_DECL}<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheets>'
                + "".join(wb_sheets) + "</sheets></workbook>")
    wb_rels = f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}">' + "".join(rels) + "</Relationships>"
    return [
        deflated("[Content_Types].xml", content_types.encode()),
        deflated("_rels/.rels", root_rels.encode()),
        deflated("xl/workbook.xml", workbook.encode()),
        deflated("xl/_rels/workbook.xml.rels", wb_rels.encode()),
        deflated("xl/styles.xml", STYLES),
        *parts,
    ]


def minimal_workbook(path: Path, sheets: dict[str, bytes | Member], *,
                     shared_strings: bytes | Member | None = None) -> Path:
    return write_zip(path, package_members(sheets, shared_strings=shared_strings))


# --------------------------------------------------------------------------------------
# The hostile files, one builder per case


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def text_file(path: Path) -> Path:
    path.write_text("entity_id,project_id,fuel,quantity\nSRE,P1,diesel,1200\n", encoding="utf-8")
    return path


def truncated_workbook(path: Path) -> Path:
    """The first half of a real workbook: local headers intact, no central directory."""
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# A compound file (OLE/CFB, the container of .xls and of encrypted .xlsx), version 3,
# 512-byte sectors, written by hand: header, one FAT sector, one directory sector, then the
# streams. Streams are padded to 4096 bytes (the mini-stream cutoff) so that no mini FAT is
# needed; everything else follows [MS-CFB].
_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _cfb_entry(name: str, kind: int, *, child: int = _NOSTREAM, right: int = _NOSTREAM,
               start: int = 0, size: int = 0) -> bytes:
    """One 128-byte directory entry (kind 1 storage, 2 stream, 5 root), coloured black."""
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NOSTREAM, right, child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size))


def compound_file(path: Path, streams: dict[str, bytes], *, directory_last: bool = False,
                  ) -> Path:
    """A minimal, structurally valid compound file holding ``streams`` under the root.

    With ``directory_last`` the directory sector is written after the streams' data, as
    some writers do: a test then checks that detection does not depend on the directory
    sitting near the start of the file. At most three streams (one directory sector).
    """
    sector = 512
    assert len(streams) <= 3
    padded = {name: data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0")
              for name, data in streams.items()}
    used = sum(len(d) // sector for d in padded.values()) + 1  # + the directory
    fat_sectors = 1
    while used + fat_sectors > fat_sectors * sector // 4:
        fat_sectors += 1
    assert fat_sectors <= 109, "no DIFAT sectors"
    fat = [_FATSECT] * fat_sectors
    layout: dict[str, int] = {}
    if not directory_last:
        directory_sector = len(fat)
        fat.append(_ENDOFCHAIN)
    for name, data in padded.items():
        layout[name] = len(fat)
        count = len(data) // sector
        fat += [layout[name] + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
    if directory_last:
        directory_sector = len(fat)
        fat.append(_ENDOFCHAIN)
    fat += [_FREESECT] * (fat_sectors * sector // 4 - len(fat))
    names = list(padded)
    entries = [_cfb_entry("Root Entry", 5, child=1 if names else _NOSTREAM, start=_ENDOFCHAIN)]
    for index, name in enumerate(names, start=1):
        entries.append(_cfb_entry(name, 2, right=index + 1 if index < len(names) else _NOSTREAM,
                                  start=layout[name], size=len(streams[name])))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (_CFB_MAGIC + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
              + struct.pack("<H", 6) + bytes(6)
              + struct.pack("<IIII", 0, fat_sectors, directory_sector, 0)
              + struct.pack("<IIIII", 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *range(fat_sectors), *[_FREESECT] * (109 - fat_sectors)))
    body = [struct.pack(f"<{len(fat)}I", *fat)]
    if not directory_last:
        body.append(directory)
    body += list(padded.values())
    if directory_last:
        body.append(directory)
    path.write_bytes(header.ljust(sector, b"\0") + b"".join(body))
    return path


def legacy_xls(path: Path) -> Path:
    """An Excel 97-2003 file: a compound file with a ``Workbook`` stream (a BOF record)."""
    bof = struct.pack("<HHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0) + bytes(4)
    return compound_file(path, {"Workbook": bof})


def encrypted_workbook(path: Path, *, large: bool = False) -> Path:
    """What Excel writes for a password-protected .xlsx, closely enough for detection.

    Excel writes a compound file whose root holds an ``EncryptionInfo`` stream (version,
    flags, then the agile-encryption XML descriptor), an ``EncryptedPackage`` stream (the
    package's size, then the AES-encrypted zip) and a ``\\x06DataSpaces`` storage that
    describes the transform. The approximation: no DataSpaces storage, an EncryptionInfo
    holding the version header and an empty ``<encryption>`` descriptor, and seeded
    pseudo-random bytes instead of ciphertext. With ``large`` the package is 5 MB and the
    directory is written after it, so the stream names sit beyond the first 4 MB.
    """
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
        b'xmlns="http://schemas.microsoft.com/office/2006/encryption"/>')
    size = 5 * 1024 * 1024 if large else 8192
    package = struct.pack("<Q", size) + random.Random(size).randbytes(size)
    return compound_file(path, {"EncryptionInfo": info, "EncryptedPackage": package},
                         directory_last=large)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + "]>\n")


def entity_bomb_shared_strings(path: Path) -> Path:
    sst = (BILLION_LAUGHS + f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1">'
           '<si><t>&lol9;</t></si></sst>').encode()
    sheet = sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return minimal_workbook(path, {"Projects": sheet}, shared_strings=sst)


def entity_bomb_sheet(path: Path) -> Path:
    sheet = (BILLION_LAUGHS + f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
             '</worksheet>').encode()
    return minimal_workbook(path, {"Projects": sheet})


def xxe_workbook(path: Path, *, padding: int = 0, target: str = "file:///etc/passwd") -> Path:
    """A sheet that pulls in /etc/passwd through an external entity.

    ``padding`` puts that many bytes of XML comment before the DOCTYPE (legal: comments may
    precede it) to test that the refusal does not depend on where the DOCTYPE sits.
    """
    comment = f"<!--{'x' * padding}-->\n" if padding else ""
    sheet = (f'<?xml version="1.0"?>\n{comment}<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
             f'"{target}">]><worksheet xmlns="{NS_MAIN}"><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>'
             '</worksheet>').encode()
    return minimal_workbook(path, {"Projects": sheet})


_ROW = b'<row r="1" spans="1:8"><c r="A1" t="inlineStr"><is><t>bomb</t></is></c></row>'


def zip_bomb_sheet(path: Path, *, inflated_mb: int = 700) -> Path:
    """A real bomb: a sheet whose XML inflates to ``inflated_mb`` MB from well under 1 MB."""
    chunk = _ROW * (1024 * 1024 // len(_ROW))
    head = f'{XML_DECL}<worksheet xmlns="{NS_MAIN}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    times = inflated_mb * 1024 * 1024 // len(chunk) + 1
    member = repeated_deflate("xl/worksheets/sheet1.xml", head, chunk, times, tail)
    return minimal_workbook(path, {"Projects": member})


def zip_bomb_many_parts(path: Path, *, parts: int = 70, part_mb: int = 7) -> Path:
    """Many sheets, each below the per-part ratio check (8 MB), together 490 MB from 1.3 MB."""
    head = f'{XML_DECL}<worksheet xmlns="{NS_MAIN}"><sheetData>'.encode()
    chunk = _ROW * (1024 * 1024 // len(_ROW))
    sheets: dict[str, bytes | Member] = {
        f"Sheet{n}": repeated_deflate(f"xl/worksheets/sheet{n}.xml", head, chunk, part_mb,
                                      b"</sheetData></worksheet>")
        for n in range(1, parts + 1)}
    return minimal_workbook(path, sheets)


def zip_bomb_declared(path: Path, *, declared: int = 1536 * 1024 * 1024) -> Path:
    """A sheet whose central directory declares ``declared`` bytes; the data is small."""
    sheet = deflated("xl/worksheets/sheet1.xml", sheet_xml([_ROW.decode()]))
    sheet.declared_size = declared
    return minimal_workbook(path, {"Projects": sheet})


def shared_string_bomb(path: Path, *, inflated_mb: int = 1024) -> Path:
    """One shared string of ``inflated_mb`` MB, referenced by a cell, from about 1 MB."""
    head = f'{XML_DECL}<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    chunk = b"A" * (1024 * 1024)
    sst = repeated_deflate("xl/sharedStrings.xml", head, chunk, inflated_mb, b"</t></si></sst>")
    sheet = sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return minimal_workbook(path, {"Projects": sheet}, shared_strings=sst)


def shared_string_amplifier(path: Path, *, string_kb: int = 1024, cells: int = 20_000) -> Path:
    """A modest shared string referenced by many cells: small parts, huge once read.

    Every part is within the size and ratio limits (the string is 1 MB, the sheet a few
    hundred KB of XML), but a reader that copies the string into every cell that
    references it would need ``string_kb * cells`` KB (20 GB by default).
    """
    sst = (f'{XML_DECL}<sst xmlns="{NS_MAIN}" count="{cells}" uniqueCount="1"><si><t>'
           + "A" * (string_kb * 1024) + "</t></si></sst>").encode()
    rows = (f'<row r="{r}">' + "".join('<c t="s"><v>0</v></c>' for _ in range(10)) + "</row>"
            for r in range(1, cells // 10 + 1))
    return minimal_workbook(path, {"Projects": sheet_xml(rows)}, shared_strings=sst)


def aliased_sheets(path: Path, *, sheets: int = 1000, rows: int = 20_000) -> Path:
    """One 4 MB sheet part named by ``sheets`` sheets of the workbook: a 360 KB file."""
    xml = sheet_xml(inline_row(r, [f"P{r}", "name", 1.5, "x"]) for r in range(1, rows + 1))
    members = package_members({"Projects": xml})
    workbook = (f'{XML_DECL}<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheets>'
                + "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId1"/>'
                          for n in range(1, sheets + 1))
                + "</sheets></workbook>").encode()
    members = [deflated(m.name, workbook) if m.name == "xl/workbook.xml" else m
               for m in members]
    return write_zip(path, members)


def lying_header(path: Path, *, declared: int = 200) -> Path:
    """A sheet whose headers declare ``declared`` bytes, while its data inflates to 50 MB."""
    head = f'{XML_DECL}<worksheet xmlns="{NS_MAIN}"><sheetData>'.encode()
    chunk = _ROW * (1024 * 1024 // len(_ROW))
    member = repeated_deflate("xl/worksheets/sheet1.xml", head, chunk, 50,
                              b"</sheetData></worksheet>")
    member.declared_size = declared
    return minimal_workbook(path, {"Projects": member})


def sparse_range(path: Path, *, spaced: bool = False, positional: bool = False) -> Path:
    """Two cells, A1 and XFD1048576: 1.5 KB on disk, a 16 384 × 1 048 576 range to a reader.

    With ``spaced`` the far reference is written ``r      =      "XFD1048576"`` (legal XML
    that calamine reads) so that it slips past the pre-flight's scan and reaches the reader,
    which must then fail inside its memory-capped child. With ``positional`` the far row's
    cell has no reference (it sits in row 1048576 by position) and XFD is reached in row 1.
    """
    equals = " " * 6 + "=" + " " * 6 if spaced else "="
    rows = [inline_row(1, ["project_id"]),
            f'<row r="1048576"><c r{equals}"XFD1048576"><v>1</v></c></row>']
    if positional:
        rows = ['<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>',
                '<row r="1048576"><c><v>1</v></c></row>']
    return minimal_workbook(path, {"Projects": sheet_xml(rows)})


def blank_formatted_rows(path: Path, *, last_row: int = 1_000_000,
                         interior: bool = False) -> Path:
    """The sample with styled blank rows in its Projects sheet down to row ``last_row``.

    Every row is ``<row r="N" s="2" customFormat="1"/>``, as Excel writes rows that were
    formatted and never filled. With ``interior`` the last real project is moved to row
    ``last_row``, so the blank rows sit between real ones instead of trailing.
    """
    import re

    from envreport.io.formulas import sheet_parts

    with zipfile.ZipFile(SAMPLE) as source:
        part = sheet_parts(source)["Projects"]
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    out = []
    for name, data in members:
        if name != part:
            out.append(deflated(name, data))
            continue
        rows = re.findall(rb'<row r="(\d+)"', data)
        first_blank = int(rows[-1]) + 1
        moved = b""
        if interior:
            last = re.search(rb'<row r="' + rows[-1] + rb'".*?</row>', data, re.S)
            assert last is not None
            moved = re.sub(rb'r="([A-Z]*)' + rows[-1] + rb'"',
                           lambda m: b'r="' + m.group(1) + str(last_row).encode() + b'"',
                           last.group(0))
            data = data.replace(last.group(0), b"")
            first_blank -= 1
        stop = last_row if interior else last_row + 1
        blank = b"".join(b'<row r="%d" s="2" customFormat="1"/>' % n
                         for n in range(first_blank, stop))
        data = data.replace(b"</sheetData>", blank + moved + b"</sheetData>")
        data = re.sub(rb'<dimension ref="A1:([A-Z]+)\d+"', lambda m: b'<dimension ref="A1:'
                      + m.group(1) + str(last_row).encode() + b'"', data)
        out.append(deflated(name, data, level=1))
    return write_zip(path, out)


def unrelated_sheet_only(path: Path) -> Path:
    sheet = sheet_xml([inline_row(1, ["Notes"]), inline_row(2, ["nothing to see here"])])
    return minimal_workbook(path, {"Notes": sheet})


def copy_of_sample(path: Path) -> Path:
    shutil.copyfile(SAMPLE, path)
    return path


def macro_workbook(path: Path) -> Path:
    """The sample saved as .xlsm: a vbaProject.bin part and the macro-enabled content type."""
    vba = compound_file(path.with_suffix(".vba"), {"VBA": b"Attribute VB_Name = \"x\"\r\n"
                                                   b"Sub AutoOpen()\r\nShell \"calc\"\r\nEnd Sub"})
    vba_bytes = vba.read_bytes()
    vba.unlink()
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w",
                                                            zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml",
                                    b"ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType='
                                    b'"application/vnd.ms-office.vbaProject"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type='
                                    b'"http://schemas.microsoft.com/office/2006/relationships/'
                                    b'vbaProject" Target="vbaProject.bin"/></Relationships>')
            target.writestr(info.filename, data)
        target.writestr("xl/vbaProject.bin", vba_bytes)
    return path


def formula_without_value(path: Path, *, sheet: str = "Fuel", cell: str = "D2") -> Path:
    """The sample with one cell replaced by a formula that has no cached value.

    The sheet part is patched in place (no re-save), so everything else stays as it was.
    """
    import re

    from envreport.io.formulas import sheet_parts

    with zipfile.ZipFile(SAMPLE) as source:
        part = sheet_parts(source)[sheet]
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"[^>]*?(/>|>.*?</c>)', re.S)
    out = []
    for name, data in members:
        if name == part:
            data, count = pattern.subn(f'<c r="{cell}"><f>1+1</f></c>'.encode(), data, count=1)
            assert count == 1, f"{cell} not found in {part}"
        out.append(deflated(name, data))
    return write_zip(path, out)


# --------------------------------------------------------------------------------------
# Crashers found by the fuzzing campaign (issue 10) and big files (issue 15)


def sample_cell_patched(path: Path, sheet: str, cell: str, cell_xml: str,
                        source: Path = SAMPLE) -> Path:
    """The sample (or ``source``) with one cell's XML replaced by ``cell_xml`` (the part
    patched in place)."""
    import re

    from envreport.io.formulas import sheet_parts

    with zipfile.ZipFile(source) as archive:
        part = sheet_parts(archive)[sheet]
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"[^>]*?(/>|>.*?</c>)', re.S)
    out = []
    for name, data in members:
        if name == part:
            data, count = pattern.subn(cell_xml.encode(), data, count=1)
            assert count == 1, f"{cell} not found in {part}"
        out.append(deflated(name, data))
    return write_zip(path, out)


def corrupt_deflate(path: Path) -> Path:
    """The sample with one sheet's deflate stream damaged (headers and CRC intact).

    The first byte of a deflate stream starts its first block; 0xFF makes that a block of the
    reserved type 3, which zlib refuses: ``Error -3 while decompressing data: invalid block
    type`` — the error that escaped as exit 70.
    """
    with zipfile.ZipFile(SAMPLE) as source:
        members = [deflated(info.filename, source.read(info)) for info in source.infolist()]
    for member in members:
        if member.name == "xl/worksheets/sheet3.xml":
            member.data = b"\xff" + member.data[1:]
    return write_zip(path, members)


def far_cell(path: Path, reference: str = "AL1048576", *, spaced: bool = False) -> Path:
    """A small Projects sheet plus one number at ``reference`` (35 KB in the issue's case).

    With ``spaced`` the reference is written ``r = "…"`` so that only calamine places it.
    """
    equals = " = " if spaced else "="
    row = int(re.sub(r"^[A-Z]+", "", reference) or 1)
    rows = [inline_row(1, ["project_id", "project_name"]), inline_row(2, ["P1", "One"]),
            f'<row r="{row}"><c r{equals}"{reference}"><v>1</v></c></row>']
    return minimal_workbook(path, {"Projects": sheet_xml(rows)})


def sparse_file(path: Path, size: int = 16 * 2**30) -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole), starting like a zip."""
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(size)
    return path
