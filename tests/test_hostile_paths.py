"""Paths from data (issue 10): entity ids and file names never place a file outside ``-o``.

A parent and subsidiaries whose entity ids are path traversals, absolute paths, Windows
device and board names, dots, 300 characters — listed in the parent's roster too — go
through a real batch. Every file written is inside ``-o``, one folder level down at most
for an entity; nothing outside ``-o`` changes; the board keeps every full id.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from workbooks import ORGANIZATION, minimal, write_workbook

from envreport.batch import run_batch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="batch isolation forks (Linux)")

HOSTILE_IDS = (
    "../../escape",
    "/tmp/absolute",
    "..",
    ".",
    "a\\..\\b",
    "CON",
    "status.html",
    "GROUP",
    "x" * 300,
    "~root",
    "$(touch pwned)",
)


def _workbook(folder: Path, name: str, entity_id: str, roster: list[str] | None = None) -> Path:
    sheets = minimal()
    org = [list(row) for row in ORGANIZATION]
    org[1][1] = entity_id
    sheets["Organization"] = org
    for sheet in ("Projects", "Fuel"):  # project ids unique across the group
        for row in sheets[sheet][1:]:
            row[0] = f"{name}-{row[0]}"
    if roster:
        sheets["Subsidiaries"] = [["entity_id", "entity_name", "ownership_pct"],
                                  *([eid, f"Sub {n}", 100] for n, eid in enumerate(roster))]
    return write_workbook(folder / f"{name}.xlsx", sheets)


def _tree(root: Path, skip: Path) -> dict[str, float]:
    seen = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) != skip]
        for name in files:
            path = Path(folder, name)
            seen[str(path)] = path.lstat().st_mtime
    return seen


def test_hostile_entity_ids_write_only_inside_the_output_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "deep" / "in"
    inputs.mkdir(parents=True)
    _workbook(inputs, "parent", "PARENT", roster=list(HOSTILE_IDS))
    for number, entity_id in enumerate(HOSTILE_IDS):
        _workbook(inputs, f"sub{number}", entity_id)
    out = tmp_path / "deep" / "out"
    before = _tree(tmp_path, out)
    outcome = run_batch([inputs], out, workers=2, pdf=False)

    assert _tree(tmp_path, out) == before  # nothing created or touched outside -o
    assert not Path("/tmp/absolute").exists() or not any(Path("/tmp/absolute").iterdir())
    assert not (tmp_path / "escape").exists()
    assert not (Path.cwd() / "pwned").exists()
    root = out.resolve()
    for path in out.rglob("*"):
        resolved = path.resolve()
        assert root in resolved.parents, path
        assert not path.is_symlink(), path
        assert len(path.relative_to(out).parts) <= 2, path  # out/<entity>/<file>
        assert len(path.name) <= 255
    board = json.loads((out / "status.json").read_text(encoding="utf-8"))
    ids = {entry["entity_id"] for entry in board["entities"]}
    assert set(HOSTILE_IDS) <= ids  # the full ids on the board, 300 characters included
    folders = {entry["entity_id"]: entry["outputs"]["folder"] for entry in board["entities"]
               if entry.get("outputs") and entry["outputs"].get("folder")}
    assert len(set(folders.values())) == len(folders)  # one folder each
    for entity_id in HOSTILE_IDS:
        folder = out / folders[entity_id]
        assert folder.parent == out, (entity_id, folder)
        assert (folder / "report.html").is_file(), entity_id
    assert (out / "status.html").is_file()
    assert (out / "group" / "report.html").is_file()
    assert outcome.exit_code == 0
