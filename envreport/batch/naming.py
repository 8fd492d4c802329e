"""Input discovery and output folder names for a batch.

Entity ids come from the workbooks, i.e. from outside: they become folder names only after
sanitising (letters, digits, ``-``, ``_``, ``.``; spec/cli.md), never ``.``/``..`` or a name
that Windows reserves, and ``group`` (the group report's folder) is reserved. Names are
compared case-insensitively, so two ids that differ only in case (or that sanitise to the
same text) still get two folders on a case-insensitive file system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
GROUP_FOLDER = "group"
RESERVED = frozenset({GROUP_FOLDER})
# CON, PRN, ... cannot be folder names on Windows, whatever the extension.
_WINDOWS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                      *(f"lpt{i}" for i in range(10))})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def find_workbooks(inputs: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The workbooks among ``inputs`` (folders searched recursively) and the inputs not found.

    Files named directly are taken whatever their suffix (a wrongly named file is then
    reported as unreadable, not silently skipped); in folders only ``*.xlsx``/``*.xlsm`` are
    taken, skipping Excel's ``~$`` lock files. The result is sorted and without repeats, so
    the order of the arguments never changes the outcome.
    """
    found: dict[str, Path] = {}
    absent: list[Path] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if (path.is_file() and path.suffix.lower() in WORKBOOK_SUFFIXES
                        and not path.name.startswith("~$")):
                    found.setdefault(str(path.resolve()), path)
        elif item.is_file():
            found.setdefault(str(item.resolve()), item)
        else:
            absent.append(item)
    return [found[key] for key in sorted(found)], absent


def sanitise(text: str) -> str:
    """``text`` as a safe folder name: letters, digits, ``-``, ``_``, ``.`` only."""
    name = _UNSAFE.sub("_", text.strip()).strip(".")
    if not name:
        return "_"
    if name.casefold() in _WINDOWS or name.split(".")[0].casefold() in _WINDOWS:
        name = f"_{name}"
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
