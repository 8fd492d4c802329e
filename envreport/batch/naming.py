"""Input discovery and output folder names for a batch.

Entity ids come from the workbooks, i.e. from outside: they become folder names only after
sanitising (letters, digits, ``-``, ``_``, ``.``; docs/batch.md), never ``.``/``..`` or a name
that Windows reserves, never longer than :data:`MAX_FOLDER_CHARS`; ``group`` (the group
report's folder) and the board's file names are reserved. Names are
compared case-insensitively, so two ids that differ only in case (or that sanitise to the
same text) still get two folders on a case-insensitive file system.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from envreport.batch import reasons
from envreport.i18n import SUPPORTED_LANGUAGES
from envreport.io import WORKBOOK_SUFFIXES

GROUP_FOLDER = "group"
# the board in the batch's first language (status.json's messages are in it too)
BOARD_FILES = ("status.json", "status.html", "status.xlsx")


def board_pages(langs: Sequence[str]) -> dict[str, tuple[str, str]]:
    """lang → (HTML, XLSX) of the board in that language: ``status.html`` and
    ``status.xlsx`` for the first, ``status.<lang>.html`` and ``.xlsx`` for each other."""
    return {lang: (BOARD_FILES[1], BOARD_FILES[2]) if n == 0
            else (f"status.{lang}.html", f"status.{lang}.xlsx")
            for n, lang in enumerate(dict.fromkeys(langs))}


#: every name a board page can have (whichever languages a run chose)
ALL_BOARD_FILES = frozenset({*BOARD_FILES, *(name for lang in SUPPORTED_LANGUAGES
                                             for name in board_pages(["", lang])[lang])})
# The group's folder and the board's files: an entity id never takes their names (in any
# case: the file system may not tell them apart).
RESERVED = frozenset({GROUP_FOLDER, *ALL_BOARD_FILES})
# Folder names are cut here (file systems refuse names over 255 bytes); a cut name ends
# with a hash of the whole id, so it stays the same from run to run. The board keeps the id.
MAX_FOLDER_CHARS = 80
# CON, PRN, ... cannot be folder names on Windows, whatever the extension.
_WINDOWS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                      *(f"lpt{i}" for i in range(10))})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class FoundInputs:
    """What the inputs hold: workbooks to read, inputs not found, entries not followed."""

    files: list[Path] = field(default_factory=list)
    absent: list[Path] = field(default_factory=list)
    # (path, reason): workbook-named entries that are not read — links out of the input
    # folder, FIFOs, devices. They are on the board as unreadable, with the reason.
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def _is_workbook_name(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES) and not name.startswith("~$")


def _kind(mode: int) -> str | None:
    """Why an entry that is not a regular file is not read (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return reasons.FIFO
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return reasons.DEVICE
    if stat.S_ISSOCK(mode):
        return reasons.SOCKET
    return reasons.NOT_A_FILE


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _entry(path: Path, root: Path) -> tuple[Path | None, str | None]:
    """(the file to read, or None with the reason it is not read) for one folder entry."""
    try:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not _inside(target, root):
                return None, reasons.LINK_OUTSIDE
            path = target
        reason = _kind(os.stat(path).st_mode)  # stat only: a FIFO is never opened
    except OSError as error:
        return None, reasons.NOT_EXAMINED.format(detail=error.strerror or error)
    return (None, reason) if reason else (path, None)


def find_workbooks(inputs: Sequence[Path]) -> FoundInputs:
    """The workbooks among ``inputs`` (folders searched recursively), and what is not read.

    Files named directly are taken whatever their suffix (a wrongly named file is then
    reported as unreadable, not silently skipped); in folders only ``*.xlsx``, ``*.xlsm``
    and ``*.ods`` are
    taken, skipping Excel's ``~$`` lock files. Folders are walked without following links
    (no loop can hang the walk); a workbook-named link is read only when it points to a
    regular file inside the folder; FIFOs and devices are never opened. The result is sorted
    and without repeats, so the order of the arguments never changes the outcome.
    """
    found: dict[str, Path] = {}
    out = FoundInputs()
    for item in inputs:
        if item.is_dir():
            root = Path(os.path.realpath(item))
            for folder, dirs, names in os.walk(item, followlinks=False):
                dirs.sort()
                for name in sorted(names):
                    if not _is_workbook_name(name):
                        continue
                    path, reason = _entry(Path(folder) / name, root)
                    if path is not None:
                        found.setdefault(str(path.resolve()), Path(folder) / name)
                    else:
                        out.skipped.append((Path(folder) / name, reason or reasons.NOT_READ))
        elif item.is_file():
            found.setdefault(str(item.resolve()), item)
        elif item.exists():
            out.skipped.append((item, _kind(item.stat().st_mode) or reasons.NOT_READ))
        else:
            out.absent.append(item)
    out.files = [found[key] for key in sorted(found)]
    out.skipped.sort(key=lambda pair: str(pair[0]))
    return out


def sanitise(text: str) -> str:
    """``text`` as a safe folder name: letters, digits, ``-``, ``_``, ``.`` only, at most
    :data:`MAX_FOLDER_CHARS` characters."""
    name = _UNSAFE.sub("_", text.strip()).strip(".")
    if not name:
        return "_"
    if name.casefold() in _WINDOWS or name.split(".")[0].casefold() in _WINDOWS:
        name = f"_{name}"
    if len(name) > MAX_FOLDER_CHARS:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = f"{name[:MAX_FOLDER_CHARS - 11].rstrip('.')}~{digest}"
    return name


class FolderNames:
    """Hands out unique, safe folder names (case-insensitively unique)."""

    def __init__(self, reserved: Iterable[str] = RESERVED) -> None:
        self._taken = {name.casefold() for name in reserved}

    def take(self, wanted: str) -> str:
        """A unique folder name for ``wanted``: sanitised, ``-2``, ``-3`` ... on a clash."""
        base = sanitise(wanted)
        name, n = base, 1
        while name.casefold() in self._taken:
            n += 1
            name = f"{base}-{n}"
        self._taken.add(name.casefold())
        return name
