"""The read's single pass over the sheet XML and the reading child's hand-over.

The pass takes the largest row and column from the last references of each chunk and
proves with one search that no reference goes further (envreport.io.safety); these tests
hold it to an exact count of every reference, on sheets written in order and on sheets
that hide a far cell anywhere. The child sends its rows through a pipe; what arrives must
be what calamine read in this process.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import hostile_files as hf
import pytest

from envreport.findings import column_letter
from envreport.io import read_workbook
from envreport.io.formulas import has_cell_marks, percent_style_pattern
from envreport.io.reader import _IsolatedRead, _stream_sheets
from envreport.io.safety import _beyond, _tally_sheet, _usual_cells

# The reading child (fork, RLIMIT_AS, /proc) exists on Linux only; elsewhere calamine reads
# in-process.
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: fork")

_REF = re.compile(rb"""r=["']([A-Z]{1,4})(\d{1,12})["']""")


def _exact(xml: bytes) -> tuple[int, int]:
    """The largest row and column over every reference, counted one by one (each distinct
    column's letters turned into its number once: a sheet has a handful)."""
    refs = _REF.findall(xml)
    rows = max(int(row) for _, row in refs)
    columns = max(sum((letter - 64) * 26**place for place, letter in enumerate(reversed(col)))
                  for col in {col for col, _ in refs})
    return rows, columns


@pytest.fixture
def forked_pids(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of every child os.fork starts during the test, in order."""
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    return forked


def _row(number: int, width: int, first: str | None = None) -> str:
    cells = [f'<c r="{column_letter(j + 1)}{number}"><v>{number * j}</v></c>'
             for j in range(width)]
    if first is not None:
        cells[0] = f'<c r="{first}"><v>1</v></c>'
    return f'<row r="{number}">' + "".join(cells) + "</row>"


@lru_cache(maxsize=2)
def _rows(rows: int, width: int) -> tuple[str, ...]:
    """The rows in order (made once per shape: the tests differ only in their far cell)."""
    return tuple(_row(number, width) for number in range(1, rows + 1))


def _sheet(rows: int, width: int, far: tuple[int, str] | None = None) -> bytes:
    """``rows`` rows in order; with ``far`` = (at row, reference), that row's first cell
    moved to the reference (a far cell hidden in the middle)."""
    body = list(_rows(rows, width))
    if far:
        body[far[0] - 1] = _row(far[0], width, far[1])
    return hf.sheet_xml(body)


def _tally(tmp_path: Path, xml: bytes) -> tuple[int, int, int]:
    path = tmp_path / "sheet.zip"
    # deflated as in a workbook, at the fastest level: the pass reads what it inflates
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("sheet.xml", xml)
    with zipfile.ZipFile(path) as archive:
        tally = _tally_sheet(archive, archive.getinfo("sheet.xml"), [], None)
    return tally.max_row, tally.max_col, tally.cells


@pytest.mark.parametrize("far", [
    None,
    (3, "F200000"),  # a far row early in the first chunk
    (30_000, "B999999"),  # in a middle chunk
    (59_999, "ZZ2"),  # a far column near the end
    (45_000, "A0000007"),  # leading zeros: the same row, more digits
    (12_345, "XFD1048576"),
])
def test_the_pass_finds_the_exact_largest_reference(far: tuple[int, str] | None,
                                                    tmp_path: Path) -> None:
    xml = _sheet(60_000, 6, far)  # 11 MB of XML: three 4 MB chunks
    assert _tally(tmp_path, xml) == (*_exact(xml), 60_000 * 6)


def test_the_pass_finds_a_far_cell_in_any_chunk(tmp_path: Path) -> None:
    """Over 4 MB of XML (two chunks and more), a far cell placed at random."""
    rnd = random.Random(5)
    for _ in range(3):
        at = rnd.randrange(1, 150_000)
        far = (at, f"{rnd.choice(['A', 'H', 'AB'])}{rnd.randrange(at, 900_000)}")
        xml = _sheet(150_000, 4, far)
        assert len(xml) > 8 * 2**20
        assert _tally(tmp_path, xml)[:2] == _exact(xml), far


@pytest.mark.parametrize(("cell", "row", "column"), [
    ('<c r="C2"><v>7</v></c>', 2, 3),  # the usual form: the <c r=" count is the cell count
    ('<c t="n"><v>7</v></c>', 2, 2),  # no reference: placed by position in its row
    ("<c><v>7</v></c>", 2, 2),
    ('<c\n r="D9"><v>7</v></c>', 9, 4),  # an odd start, its reference still counted
    ('<c s="0" r="E2"><v>7</v></c>', 2, 5),  # r= not first: counted the long way
])
def test_every_form_of_cell_start_is_counted(cell: str, row: int, column: int,
                                              tmp_path: Path) -> None:
    xml = hf.sheet_xml(['<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>',
                        f'<row r="2"><c r="A2"><v>3</v></c>{cell}</row>'])
    assert _tally(tmp_path, xml) == (row, column, 4)


@pytest.mark.parametrize(("row", "column", "inside", "beyond"), [
    (50001, 6, ["A50001", "F1", "A9999", "E50000"], ["A50002", "G1", "AA1", "A100000"]),
    (9, 26, ["Z9", "A1"], ["AA1", "A10"]),
    (1_048_576, 16_384, ["XFD1048576", "XFC1048576"], ["XFE1", "A1048577", "AAAA1"]),
])
def test_beyond_matches_exactly_the_references_past_a_corner(
        row: int, column: int, inside: list[str], beyond: list[str]) -> None:
    pattern = _beyond(row, column)
    for reference in inside:
        assert not pattern.search(f'<c r="{reference}">'.encode()), reference
    for reference in beyond:
        assert pattern.search(f"<c r='{reference}'>".encode()), reference


@pytest.mark.parametrize(("row", "column", "inside", "beyond"), [
    (50001, 6, ["A50001", "F1", "A9999", "E50000"], ["A50002", "G1", "AA1", "A100000"]),
    (9, 26, ["Z9", "A1"], ["AA1", "A10"]),
    (1_048_576, 16_384, ["XFD1048576", "XFC1048576"], ["XFE1", "A1048577", "AAAA1"]),
    (999_999_999_999, 475_254, ["ZZZZ999999999999", "A1"], []),  # nothing is larger
])
def test_the_re2_search_finds_what_beyond_finds(row: int, column: int, inside: list[str],
                                                beyond: list[str]) -> None:
    # The pass's one search (RE2) must find every reference _beyond finds, and no other in
    # the usual cells; otherwise a far cell would pass unseen.
    usual = _usual_cells(row, column, None)
    for reference in inside:
        cell = f'<c r="{reference}" t="n"><v>1</v></c>'.encode()
        assert usual.search(cell, 0, len(cell)) is None, reference
        assert not _beyond(row, column).search(cell)
    for reference in beyond:
        for quote in "\"'":
            cell = f"<c r={quote}{reference}{quote}><v>1</v></c>".encode()
            assert usual.search(cell, 0, len(cell)) is not None, reference


@pytest.mark.parametrize("odd", [
    "<c><v>7</v></c>", "<c\tr='A1'>", '<c s="0" r="A1">', "<c r='A1'>", "<c\nr=\"A1\">",
    '<c r="A1"><f>B1*2</f><v></v></c>', '<c r="A1" t="e"><v>#N/A</v></c>',
    "<c r='A1' t='e'>", '<c r="A1" s="3"><v>0.5</v></c>',
])
def test_the_re2_search_finds_every_odd_cell_start_and_mark(odd: str) -> None:
    # Whatever the exact searches would see (an odd cell start, a formula, an error value,
    # a percent style: s="3" here) makes the one search fail, so that they run.
    percent = percent_style_pattern(frozenset({3}))
    assert percent is not None
    xml = f'<row r="1"><c r="A1"><v>1</v></c>{odd}<c r="B1"><v>2</v></c></row>'.encode()
    assert _usual_cells(1, 2, percent.pattern).search(xml, 0, len(xml)) is not None
    usual = b'<row r="1"><c r="A1" s="2"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>'
    assert not has_cell_marks(usual, percent)
    assert _usual_cells(1, 2, percent.pattern).search(usual, 0, len(usual)) is None


def test_the_child_hands_back_what_calamine_reads_here(tmp_path: Path) -> None:
    path = hf.copy_of_sample(tmp_path / "sample.xlsx")
    here = list(_stream_sheets(path))  # in this process
    there = _IsolatedRead.start(path).collect()
    assert [(s.name, s.rows, s.column_offset, s.merged) for s in there] == \
        [(s.name, s.rows, s.column_offset, s.merged) for s in here]


@pytest.mark.parametrize("name", ["both.xlsx", "both.ods"])
def test_the_reader_reads_the_format_the_pre_flight_checked(tmp_path: Path, name: str) -> None:
    """A zip that is an .xlsx and carries an OpenDocument content.xml too: the pre-flight
    checks it as an .xlsx (its sheet parts, their formulas), so calamine must read those,
    never the content.xml nothing checked. Named .ods, the reading child, which looked at
    the zip again on its own, read the OpenDocument decoy instead."""
    from odsfiles import write_ods

    rows = [hf.inline_row(1, ["project_id", "fuel"]), hf.inline_row(2, ["P001", "diesel"])]
    path = hf.minimal_workbook(tmp_path / name, {"Fuel": hf.sheet_xml(rows)})
    decoy = write_ods(tmp_path / "decoy.ods", {"Decoy": [["fuel"], ["=1/0"]]})
    with zipfile.ZipFile(decoy) as source, zipfile.ZipFile(path, "a") as target:
        for member in source.namelist():
            target.writestr(member, source.read(member))
    assert [(sheet.name, sheet.rows) for sheet in read_workbook(path).sheets] == [
        ("Fuel", [["project_id", "fuel"], ["P001", "diesel"]])]


def test_equal_texts_arrive_as_one_object(tmp_path: Path) -> None:
    """calamine makes a new str per cell; the 500 000-row workbook held 2 million of them."""
    rows = [hf.inline_row(1, ["project_id", "fuel"])]
    rows += [hf.inline_row(n, ["P001", "diesel"]) for n in range(2, 2002)]
    path = hf.minimal_workbook(tmp_path / "texts.xlsx", {"Fuel": hf.sheet_xml(rows)})
    sheet = read_workbook(path).sheets[0]
    assert len(sheet.rows) == 2001
    assert len({id(row[0]) for row in sheet.rows[1:]}) == 1
    assert len({id(row[1]) for row in sheet.rows[1:]}) == 1
    assert sheet.rows[1999] == ["P001", "diesel"]


@linux_only
def test_a_refused_file_stops_the_reading_child(tmp_path: Path,
                                                forked_pids: list[int]) -> None:
    """The pass refuses while calamine may already be reading: the child is killed and
    reaped, none is left behind."""
    from envreport.io import UnreadableWorkbookError

    forked = forked_pids
    path = hf.shared_string_amplifier(tmp_path / "amp.xlsx", string_kb=32)
    with pytest.raises(UnreadableWorkbookError, match="repeat shared text"):
        read_workbook(path)
    assert len(forked) == 2  # the reading child was started before the pass refused
    for pid in forked:  # the reading child and the pass's own: both have been reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@linux_only
def test_a_bomb_that_kills_the_reading_child_still_gets_the_pass_s_message(
        tmp_path: Path, forked_pids: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine aborts the reading child (its memory cap) while the pass over the XML is
    still at work: the message is the pass's refusal, not "would need more than N MB of
    memory" (the dead reader's). A guard for any design that lets the two share a fate (the
    pass as a thread of the reading child was measured and not kept: see the README)."""
    from envreport.io import UnreadableWorkbookError, reader

    scan = reader._scan

    def slow(path: Path, facts: Any) -> Any:
        time.sleep(0.3)  # calamine aborts long before the pass is done
        return scan(path, facts)

    def abort(path: Path, ods: bool = False) -> Any:  # calamine's failed allocation: SIGABRT
        os.abort()
        yield  # a generator, as the read is

    monkeypatch.setattr(reader, "_scan", slow)
    monkeypatch.setattr(reader, "_stream_sheets", abort)
    path = hf.shared_string_amplifier(tmp_path / "amp.xlsx", string_kb=32)
    with pytest.raises(UnreadableWorkbookError) as refused:
        read_workbook(path)
    assert refused.value.reason == ("its cells repeat shared text 655 million characters "
                                    "long in all, beyond the limit of 250 million (a bomb?); "
                                    "refused")
    assert len(forked_pids) == 2  # the reading child and the pass's
    # a workbook the pass accepts: the dead reader's own message
    clean = hf.copy_of_sample(tmp_path / "sample.xlsx")
    with pytest.raises(UnreadableWorkbookError, match=r"would need more than \d+ MB of memory"):
        read_workbook(clean)
    assert len(forked_pids) == 4


@linux_only
def test_the_childs_cap_narrows_to_the_cells_counted(tmp_path: Path) -> None:
    """The child starts under a cap sized from the sheets' XML; once the pass has counted
    the cells, the cap they give replaces it (read from the child's /proc/PID/limits)."""
    from envreport.io.reader import read_memory_budget

    rows = [hf.inline_row(n, [n * 1.5, n * 2.5, n * 3.5]) for n in range(1, 6001)]
    path = hf.minimal_workbook(tmp_path / "numbers.xlsx", {"Fuel": hf.sheet_xml(rows)})
    reading = _IsolatedRead.start(path, read_memory_budget(10**6))  # 700 MB: the XML's guess
    try:
        reading.narrow(read_memory_budget(18_000))
        limits = Path(f"/proc/{reading.pid}/limits").read_text()
        line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
        assert int(line.split()[3]) == reading.size + 400 * 2**20 + 300 * 18_000
        assert reading.memory == read_memory_budget(18_000)
        assert len(reading.collect()[0].rows) == 6000  # the answer (> a pipe's 64 KB) arrives
    finally:
        reading.cancel()


def test_the_sheet_names_are_known_before_the_cells_arrive(tmp_path: Path) -> None:
    """start_read lists the workbook's sheets from xl/workbook.xml at once (the pipeline
    prepares their validators while the children read); the read itself then agrees."""
    from envreport.io import start_read

    rows = [hf.inline_row(1, ["project_id", "fuel"]), hf.inline_row(2, ["P1", "diesel"])]
    path = hf.minimal_workbook(tmp_path / "two.xlsx", {"Fuel": hf.sheet_xml(rows),
                                                       "燃料燃烧 notes": hf.sheet_xml(rows[:1])})
    reading = start_read(path)
    try:
        assert reading.sheet_names == ("Fuel", "燃料燃烧 notes")
        assert [sheet.name for sheet in reading.finish().sheets] == ["Fuel", "燃料燃烧 notes"]
    finally:
        reading.cancel()


def test_a_damaged_sheet_is_reported_in_file_order_whatever_thread_parsed_it(
        tmp_path: Path) -> None:
    """Two threads parse the sheets; the failure reported is the first in file order (the
    sheet "Two"), as when they were read one by one — not the one that may happen first
    ("Three", failing at once, parsed by the thread done with "Two" while "One" is
    parsed)."""
    from envreport.io import UnreadableWorkbookError

    good = hf.sheet_xml([hf.inline_row(n, ["x", n]) for n in range(1, 3000)])
    bad_number = hf.sheet_xml([hf.inline_row(1, ["a"]),
                               '<row r="2"><c r="A2" t="n"><v>abc</v></c></row>'])
    # the largest sheet, so parsed alone, and failing at once, while "One" is parsed
    bad_first = hf.sheet_xml([hf.inline_row(1, ["a"]),
                              '<row r="2"><c r="A2" t="b"><v>7</v></c></row>',
                              *(hf.inline_row(n, ["y", n]) for n in range(3, 8000))])
    path = hf.minimal_workbook(tmp_path / "two-bad.xlsx",
                               {"One": good, "Two": bad_number, "Three": bad_first})
    alone = hf.minimal_workbook(tmp_path / "three-bad.xlsx", {"Three": bad_first})
    with pytest.raises(UnreadableWorkbookError, match="Unrecognized boolean cell value: 7"):
        read_workbook(alone)
    for _ in range(3):
        with pytest.raises(UnreadableWorkbookError) as refused:
            read_workbook(path)
        assert refused.value.reason == ("the workbook is damaged (Parse float error: invalid "
                                        "float literal)")


@linux_only
def test_a_child_that_has_answered_is_reaped_after_the_read_never_left_behind(
        tmp_path: Path, forked_pids: list[int]) -> None:
    """The read returns once it holds the child's whole answer; the children are reaped
    then or later (the next read, reap_children, this process's exit), never left."""
    from envreport.io import reader

    forked = forked_pids
    reader.reap_children()  # those of earlier reads, still ending (it reaps, never forks)
    from openpyxl import load_workbook

    path = hf.copy_of_sample(tmp_path / "sample.xlsx")
    names = load_workbook(path, read_only=True).sheetnames
    assert [sheet.name for sheet in read_workbook(path).sheets] == names  # every sheet, in order
    assert len(forked) == 2  # the reading child and the pass's
    assert set(reader._ENDING) <= set(forked)
    reader.reap_children()
    assert not reader._ENDING
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


class _CountingBook:
    """Stands in for calamine's workbook: "parses" a sheet into its name (``slow``: after
    that many seconds)."""

    def __init__(self, slow: dict[str, float] | None = None) -> None:
        self.parsed: list[str] = []
        self.slow = slow or {}

    def get_sheet_by_name(self, name: str) -> str:
        time.sleep(self.slow.get(name, 0))
        self.parsed.append(name)
        return name


def _settle(condition: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # and a moment more, for a thread that would go on


def test_the_parsing_threads_hold_three_sheets_at_most_until_they_are_taken() -> None:
    """Each parsed sheet is calamine's dense rectangle: the threads parse ahead of the
    caller by three sheets (both parse while one waits), then wait; stop() ends a waiting
    thread."""
    from envreport.io.reader import _PARSED_AHEAD, _ParseQueue

    assert _PARSED_AHEAD == 3
    book = _CountingBook()
    queue = _ParseQueue(Path("unused.xlsx"), False, list("abcdef"),
                        book)  # type: ignore[arg-type]
    queue.begin(1)
    _settle(lambda: len(book.parsed) >= 3)
    assert book.parsed == ["a", "b", "c"]
    assert queue.take("a") == "a"
    _settle(lambda: len(book.parsed) >= 4)
    assert book.parsed == ["a", "b", "c", "d"]
    assert [queue.take(name) for name in "bcdef"] == list("bcdef")
    queue.wait()

    waiting = _ParseQueue(Path("unused.xlsx"), False, list("abcdef"),
                          _CountingBook())  # type: ignore[arg-type]
    waiting.begin(1)
    _settle(lambda: len(waiting.parsed) >= 3)
    waiting.stop()
    waiting.wait()  # returns: the thread saw the stop instead of waiting for a take
    assert sorted(waiting.parsed) == list("abc")


def _priority_of_child() -> tuple[int, int, int]:
    """What a job in the reading child sees of its own scheduling: policy, real-time
    priority, niceness."""
    return os.sched_getscheduler(0), os.sched_getparam(0).sched_priority, os.nice(0)


@linux_only
def test_the_reading_children_run_below_this_process(tmp_path: Path) -> None:
    """This process's own work (imports, validating each sheet as it arrives) is what the
    answer waits for: the children run a step lower, and take the cores it leaves."""
    from envreport.io.reader import CHILD_NICENESS

    path = hf.copy_of_sample(tmp_path / "sample.xlsx")
    here = os.nice(0)
    policy, priority, nice = _IsolatedRead.start(
        path, job=lambda _: _priority_of_child()).collect()
    assert (policy, priority) == (os.SCHED_OTHER, 0)
    assert nice == min(here + CHILD_NICENESS, 19)
    assert os.nice(0) == here  # this process is left as it was


@linux_only
def test_under_a_real_time_policy_the_children_are_one_priority_lower(tmp_path: Path) -> None:
    """As a benchmark runs them (SCHED_RR): one step below this process, never below the
    lowest real-time priority (which would drop them under every ordinary process)."""
    path = hf.copy_of_sample(tmp_path / "sample.xlsx")
    before = os.sched_getscheduler(0), os.sched_getparam(0)
    seen: dict[int, tuple[int, int, int]] = {}
    try:
        for priority in (5, 1):
            try:
                os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(priority))
            except PermissionError:
                pytest.skip("setting a real-time policy needs CAP_SYS_NICE")
            seen[priority] = _IsolatedRead.start(
                path, job=lambda _: _priority_of_child()).collect()
    finally:
        os.sched_setscheduler(0, *before)
    assert seen[5][:2] == (os.SCHED_RR, 4)
    assert seen[1][:2] == (os.SCHED_RR, 1)


def test_a_thread_held_up_by_one_sheet_leaves_the_next_ones_to_the_other(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheets are not shared out in advance: while the first thread parses a slow
    sheet, the second parses the next ones in file order (up to the bound)."""
    from envreport.io import reader

    held_up, free = _CountingBook({"a": 0.5}), _CountingBook()
    monkeypatch.setattr(reader, "_open_book", lambda path, ods: free)
    queue = reader._ParseQueue(Path("unused.xlsx"), False, list("abcdef"),
                               held_up)  # type: ignore[arg-type]
    queue.begin(2)
    _settle(lambda: len(free.parsed) >= 2)
    assert held_up.parsed == []
    assert free.parsed == ["b", "c"]  # then the bound: "a" is being parsed
    assert [queue.take(name) for name in "abcdef"] == list("abcdef")
    queue.wait()
    assert held_up.parsed[0] == "a"
    assert sorted(held_up.parsed + free.parsed) == list("abcdef")


def test_without_a_thread_each_sheet_is_parsed_when_it_is_taken(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No thread to be had (the memory cap leaves no room for a stack): each sheet is
    parsed as it is taken, one rectangle at a time, not every sheet at the first take."""
    import threading

    from envreport.io import reader

    def no_room(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_room)
    book = _CountingBook()
    queue = reader._ParseQueue(Path("unused.xlsx"), False, list("abc"),
                               book)  # type: ignore[arg-type]
    queue.begin(2)
    assert queue.threads == []
    assert queue.take("a") == "a"
    assert book.parsed == ["a"]
    assert queue.take("b") == "b"
    assert book.parsed == ["a", "b"]
    assert queue.take("c") == "c"
    assert book.parsed == list("abc")
    assert queue.parsed == {}
