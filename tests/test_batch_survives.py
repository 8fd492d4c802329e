"""Twenty good workbooks, five hostile ones and one that hangs, in one folder (issues 10, 15).

The twenty (a parent and its nineteen subsidiaries) are all built, with the group; the six
others are on the status board as unreadable with their reason; the batch exits 1 and
leaves nothing behind but its outputs. The crashing and the hanging member are real
workbooks whose validation is made to abort the interpreter or sleep (patched for those two
file names; every task is forked from the test's process, so the patch is what it runs).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import hostile_files as hf
import pytest
from openpyxl import load_workbook
from test_batch_limits import member

import envreport.batch.jobs as jobs
from envreport.batch import Limits, run_batch

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="task isolation forks (Linux)")]

SUBSIDIARIES = [f"SUB{n:02d}" for n in range(1, 20)]
#: the per-task time limit of this batch (production's default is ``Limits().seconds``, 600 s):
#: the hanging member holds a task slot until it, so the test waits this long. Short, but
#: still about ten times the longest real task here on a quiet machine (the group of twenty,
#: HTML only, about a second of CPU): 8 s was too little on a machine loaded four times over
#: its cores. A real task over it fails the test (every member must be valid).
HANG_SECONDS = 12
HOSTILE = {  # file → what its line on the board must say
    "bomb.xlsx": "(a zip bomb?); refused",
    "truncated.xlsx": "damaged or truncated",
    "notes.xlsx": "not an Excel workbook",
    "entity-bomb.xlsx": "declares XML entities",
    "crash.xlsx": "its process crashed (SIGABRT); stopped",
    # named to be read first (inputs are read in name order): the other reads go on beside
    # its wait instead of after it
    "0-hang.xlsx": f"it took more than {HANG_SECONDS} s; stopped",
}


def test_twenty_good_five_hostile_and_one_hanging(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    member(inputs, "PARENT", roster=SUBSIDIARIES)
    for eid in SUBSIDIARIES:
        member(inputs, eid)
    hf.zip_bomb_sheet(inputs / "bomb.xlsx")
    hf.truncated_workbook(inputs / "truncated.xlsx")
    hf.text_file(inputs / "notes.xlsx")
    hf.entity_bomb_sheet(inputs / "entity-bomb.xlsx")
    member(inputs, "CRASHER", "crash.xlsx")
    member(inputs, "SLEEPER", "0-hang.xlsx")
    real = jobs.validate

    def validate(raw: Any) -> Any:
        if raw.path.name == "crash.xlsx":
            os.abort()  # an interpreter crash, as a C library's bug would cause
        if raw.path.name == "0-hang.xlsx":
            time.sleep(3600)  # a unit cell that never finishes evaluating
        return real(raw)

    monkeypatch.setattr(jobs, "validate", validate)
    out = tmp_path / "out"
    started = time.monotonic()
    outcome = run_batch([inputs], out, workers=2, pdf=False,
                        limits=Limits(seconds=HANG_SECONDS, memory_bytes=2 * 2**30))
    elapsed = time.monotonic() - started
    assert outcome.exit_code == 1
    assert elapsed < 300

    data = json.loads((out / "status.json").read_text())
    assert data["complete"] is True
    assert data["counts"] == {"valid": 20, "valid_with_warnings": 0, "invalid": 0,
                              "unreadable": 6, "missing": 0, "unexpected": 0}
    entries = {e["file"]: e for e in data["entities"]}
    for eid in ["PARENT", *SUBSIDIARIES]:
        entry = entries[f"{eid}.xlsx"]
        assert entry["state"] == "valid", eid
        assert entry["in_group"] is True, eid
        assert (out / eid / "report.html").is_file(), eid
        assert (out / eid / "results.json").is_file(), eid
    for name, reason in HOSTILE.items():
        entry = entries[name]
        assert entry["state"] == "unreadable", name
        assert entry["outputs"]["folder"] is None, name
        message = entry["findings"][0]["message"]
        assert message.startswith(f"{name} cannot be read as a workbook: "), message
        assert reason in message, (name, message)
    assert data["group"]["built"] is True
    group = json.loads((out / "group" / "results.json").read_text())
    assert len(group["by_entity"]) == 20
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["PARENT", *SUBSIDIARIES, "group", "status.html", "status.json", "status.xlsx"])
    board = load_workbook(out / "status.xlsx")
    assert board["unreadable"].max_row == 7  # the header and the six
    assert not any(cell.data_type == "f" for ws in board.worksheets
                   for row in ws.iter_rows() for cell in row)
