"""Validation shared with a forked child (``validate(raw, parallel=True)``): the same
findings in the same order, the same tables and counts as in one process; a child that dies
costs time only, a bug in it is raised as it would be here."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pandas as pd
import pytest

import envreport.validate as validation
from envreport.forked import ForkedCall, fork_available
from envreport.io import read_workbook
from envreport.schema import SHEETS, Sheet
from envreport.submission import Submission
from envreport.validate import validate

ROOT = Path(__file__).resolve().parent.parent
# A valid workbook with every activity sheet, and the faulty sample: errors in many sheets
# (rejected rows, unknown fuels, factor problems), so that findings come from both sides.
WORKBOOKS = [ROOT / "sample_inputs" / "group" / "sre.xlsx",
             ROOT / "sample_inputs" / "faulty" / "faulty_submission.xlsx"]

SHEETS_BY_NAME = {spec.name: spec for spec in SHEETS}
needs_fork = pytest.mark.skipif(not fork_available(), reason="Linux with two cores only")


def _same(one: Submission, other: Submission) -> None:
    assert list(other.findings) == list(one.findings)
    assert other.rows == one.rows
    assert other.tables.keys() == one.tables.keys()
    for name, frame in one.tables.items():
        pd.testing.assert_frame_equal(other.tables[name], frame)


@needs_fork
@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_shared_validation_finds_what_one_process_finds(path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    raw = read_workbook(path)
    alone = validate(raw)
    monkeypatch.setattr(validation, "PARALLEL_MIN_CELLS", 0)  # these small files too
    children: list[int] = []
    start = ForkedCall.__init__

    def counted(self: ForkedCall, what: str, function: object) -> None:
        start(self, what, function)  # type: ignore[arg-type]
        children.append(self.pid or 0)

    monkeypatch.setattr(ForkedCall, "__init__", counted)
    shared = validate(raw, parallel=True)
    assert len(children) == 2  # the tables, then the heavy checks
    assert all(children)
    assert sum(map(len, alone.tables.values())) > 0
    assert len(alone.findings) > 0 or path.name == "sre.xlsx"  # the faulty sample has some
    _same(alone, shared)


@needs_fork
def test_the_largest_sheet_goes_to_the_child_and_projects_stays_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_workbook(WORKBOOKS[0])
    monkeypatch.setattr(validation, "PARALLEL_MIN_CELLS", 0)
    named: list[str] = []
    start = ForkedCall.__init__

    def recorded(self: ForkedCall, what: str, function: object) -> None:
        named.append(what)
        start(self, what, function)  # type: ignore[arg-type]

    monkeypatch.setattr(ForkedCall, "__init__", recorded)
    validate(raw, parallel=True)
    sheets = named[0].removeprefix("validating ").split(", ")
    # the work of a sheet: its data rows × (its columns in the file + the sheet's fields)
    work = {s.name: (len(s.rows) - 1) * (len([c for c in s.rows[0] if c not in (None, "")])
                                         + len(SHEETS_BY_NAME[s.name].fields))
            for s in raw.sheets if s.name in SHEETS_BY_NAME and s.rows
            and not SHEETS_BY_NAME[s.name].key_value}
    largest = max((name for name in work if name != Sheet.PROJECTS), key=work.__getitem__)
    assert sheets[0] == largest
    assert Sheet.PROJECTS not in sheets
    assert named[1] == "the factor checks"


def test_a_small_workbook_is_validated_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_workbook(WORKBOOKS[0])
    monkeypatch.setattr(ForkedCall, "__init__", lambda *a: pytest.fail("forked"))
    validate(raw, parallel=True)  # sre.xlsx holds far fewer cells than PARALLEL_MIN_CELLS


@needs_fork
def test_a_child_that_dies_costs_only_time(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_workbook(WORKBOOKS[1])
    alone = validate(raw)
    monkeypatch.setattr(validation, "PARALLEL_MIN_CELLS", 0)
    real = validation._table

    def killed(layout: object, context: object) -> object:
        if os.getpid() != parent:  # in the child: as if killed for its memory
            os.kill(os.getpid(), signal.SIGKILL)
        return real(layout, context)  # type: ignore[arg-type]

    parent = os.getpid()
    monkeypatch.setattr(validation, "_table", killed)
    _same(alone, validate(raw, parallel=True))


@needs_fork
def test_a_bug_in_the_child_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_workbook(WORKBOOKS[0])
    monkeypatch.setattr(validation, "PARALLEL_MIN_CELLS", 0)
    parent = os.getpid()

    def broken(submission: object, letters: object, fuel_rows: object) -> list[object]:
        if os.getpid() != parent:
            raise KeyError("grid_country")
        return []

    monkeypatch.setattr(validation, "_factor_findings", broken)
    with pytest.raises(KeyError, match="grid_country"):
        validate(raw, parallel=True)
