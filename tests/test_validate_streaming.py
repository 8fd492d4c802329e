"""Validation as the sheets arrive (``Validation.add`` while the read goes on, then
``finish``): the same findings in the same order, tables and counts as ``validate`` of the
whole workbook, whatever the order of the sheets; each table is validated as soon as it and
the Organization sheet are in hand, and the read hands each sheet over with what the pass
over the XML found in it."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import envreport.validate as validation
from envreport.io import RawSheet, UnreadableWorkbookError, read_workbook, start_read
from envreport.pipeline import read_and_validate
from envreport.submission import Submission
from envreport.validate import Validation, validate
from tests.workbooks import minimal, write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "sample_inputs" / "group" / "sre.xlsx",
           ROOT / "sample_inputs" / "group" / "parent.xlsx",
           ROOT / "sample_inputs" / "faulty" / "faulty_submission.xlsx"]


def _same(one: Submission, other: Submission) -> None:
    assert list(other.findings) == list(one.findings)
    assert other.rows == one.rows
    assert other.organization == one.organization
    assert other.tables.keys() == one.tables.keys()
    for name, frame in one.tables.items():
        pd.testing.assert_frame_equal(other.tables[name], frame)


def _reordered(source: Path, target: Path, first: list[str]) -> Path:
    """A copy of ``source`` whose sheets ``first`` come last, in that order (Organization
    after the tables it dates)."""
    book = load_workbook(source)
    for name in first:
        book.move_sheet(name, offset=len(book.sheetnames) - 1 - book.sheetnames.index(name))
    book.save(target)
    return target


def _streamed(path: Path) -> tuple[Submission, list[tuple[str, list[str]]]]:
    """``path`` validated sheet by sheet as the read hands them over; with, for each sheet
    handed over, the tables validated by the time the next one arrives."""
    seen: list[tuple[str, list[str]]] = []
    streaming = Validation()

    def arrived(sheet: RawSheet) -> None:
        streaming.add(sheet)
        seen.append((sheet.name, sorted(streaming._tables)))

    reading = start_read(path)
    try:
        raw = reading.finish(arrived)
    finally:
        reading.cancel()
    return streaming.finish(raw), seen


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_a_streamed_validation_finds_what_validate_finds(path: Path) -> None:
    alone = validate(read_workbook(path))
    streamed, seen = _streamed(path)
    assert [name for name, _ in seen] == [s.name for s in read_workbook(path).sheets]
    _same(alone, streamed)
    if path.name == "sre.xlsx":  # Organization first: each table as soon as it arrives
        assert seen[0] == ("Organization", [])
        for name, done in seen[1:]:
            assert name in done


def test_tables_before_organization_wait_for_it(tmp_path: Path) -> None:
    """Rows are checked against the reporting period: a table that arrives before the
    Organization sheet is validated once it has come, with the same findings."""
    path = _reordered(SAMPLES[2], tmp_path / "org-last.xlsx", ["Organization"])
    names = [s.name for s in read_workbook(path).sheets]
    assert names[-1] == "Organization"
    streamed, seen = _streamed(path)
    assert all(done == [] for _, done in seen[:-1])  # nothing before Organization
    assert seen[-1][1] == sorted(streamed.tables)  # then every table at once
    _same(validate(read_workbook(path)), streamed)
    assert len(streamed.findings) > 0


def test_without_organization_the_tables_are_validated_at_the_end(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "no-org.xlsx", minimal(Organization=None))
    streamed, seen = _streamed(path)
    assert all(done == [] for _, done in seen)
    _same(validate(read_workbook(path)), streamed)
    assert ["Organization", None, "sheet-missing"] in streamed.findings.flatten()


def test_a_duplicate_sheet_is_reported_and_not_validated(tmp_path: Path) -> None:
    sheets = minimal()
    sheets["fuel "] = [["project_id", "fuel"], ["P404", "unobtainium"]]
    path = write_workbook(tmp_path / "dup.xlsx", sheets)
    streamed, _ = _streamed(path)
    _same(validate(read_workbook(path)), streamed)
    assert ["Fuel", None, "sheet-duplicate"] in streamed.findings.flatten()


def test_each_sheet_arrives_with_what_the_pass_found_in_it(tmp_path: Path) -> None:
    """The formula without a cached value (found by the pass over the XML, not by calamine)
    is on the sheet when it is handed over, so that its table can be validated then."""
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 10, "L", "offroad"],
            ["P2", "diesel", "=C2*2", "L", "offroad"]]
    path = write_workbook(tmp_path / "formula.xlsx", minimal(Fuel=fuel))
    handed: dict[str, list[str]] = {}
    reading = start_read(path)
    try:
        reading.finish(lambda sheet: handed.update({sheet.name: list(sheet.formula_cells)}))
    finally:
        reading.cancel()
    assert handed == {"Organization": [], "Projects": [], "Fuel": ["C3"]}
    streamed, _ = _streamed(path)
    assert streamed.findings.flatten() == [["Fuel", "C3", "formula-no-cached-value"]]


def test_what_the_caller_raises_stops_the_read_and_is_raised(tmp_path: Path) -> None:
    """A failure while a sheet is validated (a bug) is raised as it is, not taken for an
    unreadable file; the reading child is stopped and reaped."""
    path = write_workbook(tmp_path / "wb.xlsx", minimal())
    reading = start_read(path)
    pid = reading.reading.pid

    def fails(sheet: RawSheet) -> None:
        raise ZeroDivisionError(sheet.name)

    try:
        with pytest.raises(ZeroDivisionError, match="Organization"):
            reading.finish(fails)
    finally:
        reading.cancel()
    if pid is not None:  # on Linux: the child has been reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_an_unreadable_file_is_still_refused_after_sheets_were_validated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read fails after the first sheets were handed over: the refusal is what the
    caller gets (the half-validated workbook is dropped)."""
    path = write_workbook(tmp_path / "wb.xlsx", minimal())
    from envreport.io import reader

    real = reader._read_sheet

    def fails_on_fuel(sheet: object, name: str, hidden: bool = False) -> RawSheet:
        if name == "Fuel":
            raise ValueError("a damaged sheet")
        return real(sheet, name, hidden)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_read_sheet", fails_on_fuel)
    tables: list[str] = []
    table = validation._table
    monkeypatch.setattr(validation, "_table",
                        lambda layout, context: tables.append(layout.spec.name)
                        or table(layout, context))
    with pytest.raises(UnreadableWorkbookError, match="a damaged sheet"):
        read_and_validate(path)
    assert tables == ["Projects"]  # validated while the read went on


def test_the_pipeline_validates_the_tables_while_reading(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """read_and_validate hands each sheet to the validation as it arrives: every table of
    the sample is validated before the read has ended, none after."""
    from envreport.io import reader

    events: list[str] = []
    finish = reader.WorkbookRead.finish

    def finishing(self: reader.WorkbookRead, each: object = None) -> object:
        raw = finish(self, each)  # type: ignore[arg-type]
        events.append("read")
        return raw

    table = validation._table
    monkeypatch.setattr(reader.WorkbookRead, "finish", finishing)
    monkeypatch.setattr(validation, "_table",
                        lambda layout, context: events.append(layout.spec.name)
                        or table(layout, context))
    raw, submission = read_and_validate(SAMPLES[0])
    assert events[-1] == "read"
    assert sorted(events[:-1]) == sorted(submission.tables)
    _same(validate(raw), submission)
