"""Find formula cells that carry no cached value.

A workbook written by a tool that does not calculate (openpyxl, some exporters) stores
formulas with an empty cached value; every fast reader then sees a blank or a 0. The only
way to tell is the sheet XML itself: a ``<c>`` with an ``<f>`` child and no (or an empty)
``<v>``. The scan is streamed with a defused parser, and skipped entirely for sheets whose
XML contains no ``<f`` at all — the usual case — so it costs one decompression pass.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

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


def _mentions_formula(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as member:
        while chunk := member.read(_CHUNK):
            if b"<f" in tail + chunk:
                return True
            tail = chunk[-2:]
    return False


def formulas_without_values(path: Path) -> dict[str, list[str]]:
    """Sheet name → A1 references of formula cells with no cached value."""
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        try:
            parts = sheet_parts(archive)
        except KeyError:
            return found
        names = set(archive.namelist())
        for sheet_name, part in parts.items():
            if part not in names or not _mentions_formula(archive, part):
                continue
            cells: list[str] = []
            with archive.open(part) as member:
                for _event, element in SafeET.iterparse(member, events=("end",)):
                    if element.tag != f"{_NS_MAIN}c":
                        continue
                    formula = element.find(f"{_NS_MAIN}f")
                    if formula is not None:
                        value = element.find(f"{_NS_MAIN}v")
                        if value is None or not (value.text or "").strip():
                            cells.append(element.get("r", ""))
                    element.clear()
            if cells:
                found[sheet_name] = cells
    return found


def split_reference(reference: str) -> tuple[str, int] | None:
    """``"C7"`` → ``("C", 7)``."""
    match = _CELL_REF.match(reference)
    return (match.group(1), int(match.group(2))) if match else None
