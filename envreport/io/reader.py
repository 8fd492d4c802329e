"""Read a workbook fast into plain cell values that remember where they came from.

python-calamine reads 100 000 rows in well under a second here (openpyxl's read-only mode
takes about 8 s), so it does all the reading; openpyxl is only used to write. Row *i* of a
:class:`RawSheet` is Excel row *i + 1*; column *j* is Excel column *j + 1 + column_offset*
(calamine starts each row at the first used column, but always at row 1).
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import fcntl
import functools
import gc
import hashlib
import os
import pickle
import re
import resource
import signal
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import python_calamine as calamine

from envreport.findings import column_letter
from envreport.forked import lower_priority, stop_child
from envreport.io.formulas import (
    EXCEL_ERRORS,
    SheetScan,
    scan_cells,
    scan_ods,
    sheet_parts,
)
from envreport.io.safety import (
    EXCEL_SUFFIXES,
    MAX_FILE_BYTES,
    ArchiveFacts,
    UnreadableWorkbookError,
    check_archive,
    check_contents,
)
from envreport.safe_text import DIRECTION_CONTROLS, holds_direction_control

# Beyond this a sheet is truncated with a finding rather than read without end.
MAX_ROWS_PER_SHEET = 1_000_000
# What reading may take beyond the process's own size: a 1 000 000-row sheet fits. The
# budget grows with the cells the pre-flight counted, from a floor that keeps a small hostile
# file (cells the pre-flight's scan cannot place, read by calamine into a huge range) well
# under 500 MB of resident memory.
MAX_READ_MEMORY_BYTES = 3 * 2**30
MIN_READ_MEMORY_BYTES = 400 * 2**20
READ_MEMORY_PER_CELL = 300  # bytes: calamine's cell, the Python value, the row lists
MAX_READ_CPU_SECONDS = 300


@dataclass
class RawSheet:
    """One worksheet's values from A1, trailing blank rows dropped, blank rows empty lists."""

    name: str
    rows: list[list[Any]]
    column_offset: int = 0
    truncated: bool = False
    # A1 refs without cached values → the formula as shown ("" when not written in the cell)
    formula_cells: dict[str, str] = field(default_factory=dict)
    external_cells: dict[str, str] = field(default_factory=dict)  # A1 → formula reading a file
    error_cells: dict[str, str] = field(default_factory=dict)  # A1 ref → "#DIV/0!"
    percent_cells: list[str] = field(default_factory=list)  # A1 refs with a % number format
    merged: list[str] = field(default_factory=list)  # merged ranges, "A3:A6"
    hidden: bool = False  # the sheet is hidden in the workbook (read all the same)
    # rows hidden or filtered out in the workbook, (first, last) 1-based: read all the same
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    # columns hidden in the workbook, (first, last) 1-based (1 is A): read all the same
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    # the text cells whose direction controls (U+202E ...) were dropped: (row, column) as
    # indexes in ``rows``
    direction_cells: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    """A workbook as read: the file's identity and its worksheets in file order."""

    path: Path
    sha256: str
    sheets: list[RawSheet]

    @property
    def name(self) -> str:
        return self.path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def safe_sha256(path: Path) -> str | None:
    """SHA-256 of a file that may be missing or unreadable (for reports about bad files).

    Only a file that would be read is hashed: one beyond the size limit (a 16 GiB file, a
    link to one) gets ``None`` at once instead of minutes of hashing.
    """
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return file_sha256(path)
    except OSError:
        return None


def read_memory_budget(cells: int) -> int:
    """Bytes the reading child may add to its size, for a workbook of ``cells`` cells."""
    return min(MAX_READ_MEMORY_BYTES,
               MIN_READ_MEMORY_BYTES + READ_MEMORY_PER_CELL * max(cells, 0))


def read_workbook(path: Path | str) -> RawWorkbook:
    """Read every worksheet of ``path``; raise :class:`UnreadableWorkbookError` if it cannot be.

    :func:`start_read`, then :meth:`WorkbookRead.finish`: see there.
    """
    reading = start_read(path)
    try:
        return reading.finish()
    finally:
        reading.cancel()


def start_read(path: Path | str) -> WorkbookRead:
    """Run the checks that read no cells and start calamine reading ``path`` in a child.

    The checks of :func:`check_archive` take milliseconds; the child then reads while the
    caller goes on: a command imports its later stages (pandas, the schema models) meanwhile,
    so that the read and the imports overlap on two cores. Call :meth:`WorkbookRead.finish`
    for the workbook, and :meth:`WorkbookRead.cancel` in a ``finally`` (nothing once
    finished): a child whose answer is not wanted is stopped.
    """
    path = Path(path)
    facts = check_archive(path)
    # The child starts with a budget sized from the sheets' XML; once the pass has counted
    # the cells, the budget they give (never larger) replaces it.
    budget = read_memory_budget(facts.cell_estimate)
    read = functools.partial(_stream_sheets, ods=facts.ods)  # the format the checks saw
    reading = _IsolatedRead.start(path, budget, job=read)
    # The pass over the XML runs in a second child, under the same caps: this process
    # imports the later stages meanwhile (three processes share the two cores).
    try:
        scanning = _IsolatedRead.start(path, budget, job=lambda path: _scan(path, facts))
    except BaseException:
        reading.cancel()
        raise
    return WorkbookRead(path, facts, reading, scanning)


class WorkbookRead:
    """A read under way (:func:`start_read`): the archive checked, calamine reading in one
    child, the single pass over the sheet XML (:func:`check_contents`, then the formula scan
    of the few sheets it marked) in another."""

    def __init__(self, path: Path, facts: ArchiveFacts, reading: _IsolatedRead,
                 scanning: _IsolatedRead) -> None:
        self.path, self.facts, self.reading, self.scanning = path, facts, reading, scanning

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """The sheet names the workbook lists (empty when unknown), before any cell is read:
        what a caller may prepare for meanwhile."""
        return self.facts.sheet_names

    def finish(self, each: Callable[[RawSheet], None] | None = None) -> RawWorkbook:
        """The workbook as read, or :class:`UnreadableWorkbookError`.

        The pass's answer comes first: a refusal by it wins over whatever calamine found,
        and stops the reading child. ``each`` is given every sheet in file order as soon as
        it has arrived whole (with what the pass found in it), while the next ones are still
        read: a caller validates it meanwhile. What it raises is raised here.
        """
        path, facts, reading = self.path, self.facts, self.reading
        sha256 = file_sha256(path)
        scans, cells = self.scanning.collect()
        memory = read_memory_budget(cells)
        reading.narrow(memory)

        def arrived(sheet: RawSheet) -> None:
            scan = scans.get(sheet.name, SheetScan())
            sheet.formula_cells = scan.formula_cells
            sheet.external_cells = scan.external_cells
            sheet.error_cells = scan.error_cells
            sheet.percent_cells = scan.percent_cells
            sheet.merged = scan.merged or sheet.merged
            sheet.hidden_rows = scan.hidden_rows
            sheet.hidden_columns = scan.hidden_columns
            if each is not None:
                each(sheet)

        # Real Excel error values that calamine does not know; a made-up one (#NOPE) is a
        # damaged file, and calamine refuses it as such.
        unsupported = {name for name, scan in scans.items()
                       if not facts.ods and set(scan.error_cells.values()) - CALAMINE_ERRORS
                       and set(scan.error_cells.values()) <= EXCEL_ERRORS}
        if not unsupported:
            sheets = reading.collect(arrived)
        else:
            reading.cancel()
            with tempfile.TemporaryDirectory(prefix="envreport-") as folder:
                copy = _errors_as_text(path, unsupported, Path(folder) / "errors-as-text.xlsx")
                sheets = _IsolatedRead.start(copy, memory).collect(arrived)  # an .xlsx
        return RawWorkbook(path=path, sha256=sha256, sheets=sheets)

    def cancel(self) -> None:
        """Stop the children still at work (nothing once finished)."""
        self.scanning.cancel()
        self.reading.cancel()


def _scan(path: Path, facts: ArchiveFacts) -> tuple[dict[str, SheetScan], int]:
    """The pass over the sheet XML (refusing bombs), what the fast reader cannot see, and
    the cells the sheets hold (for an .ods, estimated from its size)."""
    if facts.ods:
        marked, cells = set(), facts.cell_estimate
    else:
        contents = check_contents(path, facts)
        marked, cells = contents.marked_parts, contents.cells
    try:
        return (scan_ods(path) if facts.ods else scan_cells(path, marked)), cells
    except zipfile.BadZipFile as exc:  # a CRC or size that does not match: a lying header
        raise UnreadableWorkbookError(path, f"the file is damaged ({exc})") from None
    except Exception as exc:  # a malformed part
        raise UnreadableWorkbookError(path, f"the workbook's XML is malformed ({exc})") from None


# The error values python-calamine reads (as a blank); any other (#SPILL!, #CALC!, ...) makes
# it refuse the whole workbook.
CALAMINE_ERRORS = frozenset({"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!",
                             "#NULL!"})


def _errors_as_text(path: Path, sheet_names: set[str], target: Path) -> Path:
    """A copy of ``path`` whose named sheets store their error cells as text cells.

    The scan has already recorded every error cell; the copy only lets calamine read the
    rest of the sheet. The error text (``#SPILL!``) is what the cell then holds.
    """
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w",
                                                          zipfile.ZIP_DEFLATED) as out:
        parts = {part for name, part in sheet_parts(source).items() if name in sheet_names}
        for info in source.infolist():
            data = source.read(info)
            if info.filename in parts:
                data = data.replace(b't="e"', b't="str"').replace(b"t='e'", b"t='str'")
            out.writestr(info, data)
    return target


def _stream_sheets(path: Path, ods: bool = False) -> Iterator[RawSheet]:
    """Each worksheet of ``path`` in file order, as soon as it is read; ``ods``: an
    OpenDocument spreadsheet, as the pre-flight found (:attr:`ArchiveFacts.ods`), so that
    calamine reads the format whose XML was checked.

    calamine parses a sheet without the GIL, so the sheets are parsed by two threads, each
    with its own handle on the workbook, each taking the next sheet in file order when it is
    free (a single sheet, or an .ods, whose one part calamine parses as it opens: one
    thread), while this one turns each parsed sheet into Python values (and, in the reading
    child, sends it to the parent). A failure is reported for the first sheet in file order
    that has one, after both threads have stopped: as when the sheets were read one by one,
    and whatever the timing (if calamine aborts on a later sheet meanwhile, the process dies
    of that, every time).
    """
    parsing: _ParseQueue | None = None
    try:
        book = _open_book(path, ods)
        names = [meta.name for meta in book.sheets_metadata
                 if meta.typ == calamine.SheetTypeEnum.WorkSheet]  # not chart or macro sheets
        hidden = {meta.name for meta in book.sheets_metadata
                  if meta.visible != calamine.SheetVisibleEnum.Visible}
        parsing = _ParseQueue(path, ods, names, book)
        parsing.begin(1 if ods or len(names) < 2 else _PARSING_THREADS)
        for name in names:
            sheet = parsing.take(name)
            yield _read_sheet(sheet, name, hidden=name in hidden)
            del sheet
    except calamine.PasswordError:
        raise UnreadableWorkbookError(path, "the workbook is password-protected") from None
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError) as exc:
        raise UnreadableWorkbookError(path, f"the workbook is damaged ({exc})") from None
    except (ValueError, OSError, TypeError) as exc:
        raise UnreadableWorkbookError(path, f"the workbook cannot be read ({exc})") from None
    finally:
        if parsing is not None:
            parsing.stop()
            parsing.wait()


# Threads that parse sheets in the reading child (each with its own handle on the workbook).
_PARSING_THREADS = 2
# Parsed sheets the threads hold, or are parsing, before the caller takes them (memory: each
# is a rectangle): both threads parse while one sheet waits for the caller.
_PARSED_AHEAD = _PARSING_THREADS + 1


class _ParseQueue:
    """The sheets to parse, in file order, shared by the parsing threads: each parses the
    next one not yet taken with calamine's ``get_sheet_by_name`` (which releases the GIL),
    on its own handle on the workbook.

    A thread that starts late (the cores busy with other work: the pass over the XML, in
    its own child) or meets a large sheet leaves the next ones to the other, instead of a
    share fixed in advance (a thread given half the XML up front could start it only once
    the pass had ended). The threads hold, or are parsing, at most :data:`_PARSED_AHEAD`
    sheets not yet taken (each is the dense rectangle calamine made); a thread stops at its
    first failure (what calamine raised is kept for that sheet), or when told to. No thread
    to be had (the memory cap leaves no room for a stack): the sheets are parsed here, when
    taken. Taken in file order, the sheets cannot all wait behind one that no thread will
    parse: every sheet before the first failure is parsed.
    """

    def __init__(self, path: Path, ods: bool, names: list[str],
                 book: calamine.CalamineWorkbook | None) -> None:
        self.path, self.ods, self.names, self.book = path, ods, names, book
        self.parsed: dict[str, calamine.CalamineSheet | BaseException] = {}
        self.ready = threading.Condition()
        self.next = 0  # the index of the next sheet to parse
        self.parsing = 0  # sheets being parsed now
        self.stopped = False
        self.bounded = False  # whether to wait for the caller before parsing more
        self.threads: list[threading.Thread] = []

    def begin(self, threads: int) -> None:
        """Start ``threads`` parsing threads (fewer when no more can be had)."""
        self.bounded = True
        for number in range(threads):
            # the first thread parses with the handle opened already; each other opens its own
            thread = threading.Thread(target=self._parse_all, args=(number == 0,), daemon=True)
            try:
                thread.start()
            except RuntimeError:
                break
            self.threads.append(thread)
        self.bounded = bool(self.threads)

    def _parse_all(self, uses_opened_book: bool = True, last: str | None = None) -> None:
        """Parse the sheets in turn (``last``: up to that one) until stopped or failed."""
        try:
            book = ((self.book if uses_opened_book else None)
                    or _open_book(self.path, self.ods))
        except BaseException as exc:  # raised for the next sheet, by take()
            with self.ready:
                if self.next < len(self.names):
                    self.next += 1
                    self._put(self.names[self.next - 1], exc)
            return
        while True:
            with self.ready:
                self.ready.wait_for(lambda: self.stopped or not self.bounded
                                    or len(self.parsed) + self.parsing < _PARSED_AHEAD)
                if self.stopped or self.next >= len(self.names):
                    return
                name = self.names[self.next]
                self.next += 1
                self.parsing += 1
            try:
                sheet: calamine.CalamineSheet | BaseException = book.get_sheet_by_name(name)
            except BaseException as exc:  # raised in the caller, by take()
                sheet = exc
            with self.ready:
                self.parsing -= 1
                self._put(name, sheet)
            if isinstance(sheet, BaseException) or name == last:
                return

    def _put(self, name: str, sheet: calamine.CalamineSheet | BaseException) -> None:
        self.parsed[name] = sheet  # with self.ready held
        self.ready.notify_all()

    def take(self, name: str) -> calamine.CalamineSheet:
        """The parsed sheet ``name`` (waiting for it), or what calamine raised for it."""
        if not self.threads and name not in self.parsed:  # no thread: this one, now
            self._parse_all(last=name)
        with self.ready:
            self.ready.wait_for(lambda: name in self.parsed)
            sheet = self.parsed.pop(name)
            self.ready.notify_all()  # room for the next sheet
        if isinstance(sheet, BaseException):
            raise sheet
        return sheet

    def stop(self) -> None:
        with self.ready:
            self.stopped = True
            self.ready.notify_all()

    def wait(self) -> None:
        for thread in self.threads:
            thread.join()
        self.threads = []


def _open_book(path: Path, ods: bool) -> calamine.CalamineWorkbook:
    """calamine picks its parser by the file's extension; an .ods saved as "x.xlsx" (or an
    .xlsx as "x.ods") is opened from its bytes, where calamine looks at the content."""
    suffix = path.suffix.lower()
    if (ods and suffix == ".ods") or (not ods and suffix in EXCEL_SUFFIXES):
        return calamine.CalamineWorkbook.from_path(str(path))
    with path.open("rb") as handle:
        return calamine.CalamineWorkbook.from_filelike(handle)


# The child's exit status when it ran out of memory while sending its answer.
_EXIT_MEMORY = 3
# The reading child's GIL switch interval (Python's default: 5 ms).
_SWITCH_SECONDS = 0.0005
# The child's first byte: its limits are set (the parent may lower them from then on).
_STARTED = b"+"
# The pipe's size for the child's answer: Linux's largest for an unprivileged process.
_PIPE_BYTES = 1 << 20


class _IsolatedRead:
    """calamine reading ``path`` in a forked child capped in memory and CPU (or another job
    on the file: the pass over its XML runs the same way).

    calamine allocates the dense rectangle from the first to the last used cell and copies a
    shared string into every cell that uses it: two cells at A1 and XFD1048576 ask for
    512 GB, one 32 KB string used by 20 000 cells for over a gigabyte. A failed allocation
    aborts the process (SIGABRT, uncatchable), so it happens in a child whose death is
    reported as an unreadable file. Off Linux (no fork, no /proc, no enforced RLIMIT_AS),
    calamine runs in-process when the answer is collected.

    The child sends a pickle per sheet through a pipe as soon as the sheet is read, and this
    process unpickles it while the child reads the next (the bytes are never held whole);
    equal texts are one object, so the pickle says each once and the rows the parent
    rebuilds share them (a 500 000-row sheet has a few hundred distinct texts).
    """

    def __init__(self, path: Path, memory: int, pid: int | None = None, pipe: int | None = None,
                 size: int = 0, job: Callable[[Path], Any] | None = None) -> None:
        self.path, self.memory, self.pid, self.pipe = path, memory, pid, pipe
        self.job = job or _stream_sheets  # what the child does with the file
        self.size = size  # this process's size when it forked: the child's, as it starts
        self.started = False  # whether the child's "limits set" byte has been read

    @classmethod
    def start(cls, path: Path, memory: int = MAX_READ_MEMORY_BYTES,
              job: Callable[[Path], Any] | None = None) -> _IsolatedRead:
        """Fork the child that runs ``job`` (default: calamine's read) on ``path``."""
        job = job or _stream_sheets
        if not sys.platform.startswith("linux") or os.environ.get("ENVREPORT_READ_IN_PROCESS"):
            return cls(path, memory, None, None, job=job)
        reap_children(block=False)
        read_end, write_end = os.pipe()
        # Room for the sheets the child reads while this process waits for the pass's
        # verdict (64 KB by default): the child goes on reading meanwhile.
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        size = _address_space_size()
        pid = os.fork()
        if pid == 0:  # the child: read, send one pickled answer, leave without cleanup
            os.close(read_end)
            os._exit(_child_reads(path, memory, write_end, job))
        os.close(write_end)
        return cls(path, memory, pid, read_end, size, job)

    def narrow(self, memory: int) -> None:
        """Lower the child's memory cap to ``memory`` beyond its starting size.

        Waits for the child's first byte, written once it has set its own limits (lowering
        them before would make its setrlimit fail). A child that has died meanwhile is left
        as it is: :meth:`collect` reports why.
        """
        if self.pid is None or self.pipe is None or memory >= self.memory:
            return
        if not self._started():
            return
        limit = self.size + memory
        try:
            resource.prlimit(self.pid, resource.RLIMIT_AS, (limit, limit))
        except (OSError, ValueError):  # the child has already ended
            return
        self.memory = memory

    def _started(self) -> bool:
        if not self.started:
            assert self.pipe is not None
            self.started = os.read(self.pipe, 1) == _STARTED
        return self.started

    def collect(self, each: Callable[[Any], None] | None = None) -> Any:
        """What the child's job returned (the sheets it read), or the reason it could not.

        A job that returns an iterator (the read) sends each of its items as it comes: they
        arrive here as a list, each unpickled while the child works on the next, and given
        to ``each`` as it arrives (what ``each`` raises stops the child and is raised here).
        """
        if self.pid is None:
            value = self.job(self.path)
            if not isinstance(value, Iterator):
                return value
            items = []
            for item in value:
                items.append(item)
                if each is not None:
                    each(item)
            return items
        assert self.pipe is not None
        answer: Any = None
        parts: list[Any] = []
        failure: BaseException | None = None  # raised by ``each``
        try:
            if not self._started():
                raise EOFError  # the child died before it could set its limits
            with os.fdopen(self.pipe, "rb") as incoming:
                self.pipe = None
                collecting = gc.isenabled()
                gc.disable()  # a million new lists would start collections that find nothing
                try:
                    answer = pickle.load(incoming)
                    while answer[0] == "part":
                        parts.append(answer[1])
                        answer = None
                        if each is not None:
                            try:
                                each(parts[-1])
                            except BaseException as exc:
                                failure = exc  # the pipe closes: the child ends
                                break
                        answer = pickle.load(incoming)
                finally:
                    if collecting:
                        gc.enable()
        except Exception:  # cut short: the child died while writing
            answer = None
        finally:
            if failure is not None:
                os.kill(self.pid, signal.SIGKILL)
            wait_status = _wait(self.pid, answer is not None and answer[0] in ("ok", "parts"))
            self.pid = None
        if failure is not None:
            raise failure
        if os.WIFSIGNALED(wait_status):
            raise UnreadableWorkbookError(
                self.path, _death_reason(os.WTERMSIG(wait_status), self.memory))
        if answer is None:
            if os.WIFEXITED(wait_status) and os.WEXITSTATUS(wait_status) == _EXIT_MEMORY:
                raise UnreadableWorkbookError(self.path,
                                              _death_reason(signal.SIGABRT, self.memory))
            raise UnreadableWorkbookError(self.path,
                                          "reading it failed unexpectedly; refused")
        kind, value = answer
        if kind == "ok":
            return value
        if kind == "parts":
            return parts
        if kind == "memory":
            raise UnreadableWorkbookError(self.path, _death_reason(signal.SIGABRT, self.memory))
        if kind == "bug":
            raise RuntimeError(f"reading {self.path.name} failed: {value}")
        raise UnreadableWorkbookError(self.path, value)

    def cancel(self) -> None:
        """Stop a child whose answer is no longer wanted (nothing once collected)."""
        stop_child(self.pid, self.pipe)
        self.pid = self.pipe = None


def _child_reads(path: Path, memory: int, write_end: int,
                 job: Callable[[Path], Any] = _stream_sheets) -> int:
    """In the forked child: run ``job`` on ``path`` under the caps, send the answer; the exit
    status.

    Each pickle is sent as soon as it is made: ``("part", item)`` for each item of a job that
    returns an iterator, then one last answer (``("parts", None)`` after the items).
    """
    try:
        gc.disable()  # the child lives for one read; collections would only cost time
        # The parsing threads need the GIL only to hand over a parsed sheet: a short switch
        # interval lets them go on to the next while this thread converts one (5 ms waits).
        sys.setswitchinterval(_SWITCH_SECONDS)
        # calamine's allocation-failure report is not for the user, nor the dump of a
        # faulthandler enabled in the parent (pytest, PYTHONFAULTHANDLER): it writes to its
        # own copy of stderr, which the dup2 below would not silence
        faulthandler.disable()
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)
        _limit_child_resources(memory)
        _yield_to_parent()
        os.write(write_end, _STARTED)
        with os.fdopen(write_end, "wb") as out:
            try:
                result = job(path)
                if isinstance(result, Iterator):
                    for part in result:
                        try:
                            pickle.dump(("part", part), out, protocol=pickle.HIGHEST_PROTOCOL)
                        except MemoryError:
                            return _EXIT_MEMORY
                        out.flush()
                        del part  # what is sent is not kept: the child holds one sheet
                    result = None
                    answer: tuple[str, Any] = ("parts", None)
                else:
                    answer = ("ok", result)
            except UnreadableWorkbookError as exc:
                answer = ("unreadable", exc.reason)
            except MemoryError:
                answer = ("memory", None)
            except Exception as exc:  # a bug, not bad input: the parent re-raises it
                answer = ("bug", f"{type(exc).__name__}: {exc}")
            try:
                pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                return _EXIT_MEMORY
    except BaseException:  # the parent reports a child that said nothing
        return 1
    return 0


# Children that have sent their whole answer and are ending: reaped later (reap_children).
_ENDING: set[int] = set()


def _wait(pid: int, answered: bool) -> int:
    """The wait status of child ``pid``, reaped; a child that has answered in full
    (``answered``) and is still ending is reaped later, by :func:`reap_children`.

    A child's exit unmaps everything it shared with this process and what it read (a few
    milliseconds for 10 000 rows, about 20 ms for 100 000): nothing this process needs to
    wait for once it holds the answer. Its status is then a clean exit, as it sends nothing
    after its answer but leaves.
    """
    if answered:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        _ENDING.add(pid)
        return 0
    return os.waitpid(pid, 0)[1]


def reap_children(block: bool = True) -> None:
    """Reap the reading children that answered and were left to end (each new read reaps
    those that have ended; this process reaps the rest when it exits). ``block``: wait for
    them (their CPU then counts in ``RUSAGE_CHILDREN``)."""
    for pid in list(_ENDING):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # reaped by someone else (a wait for any child)
            done = pid
        if done:
            _ENDING.discard(pid)


atexit.register(reap_children)


def _death_reason(signal_number: int, memory: int) -> str:
    """Why the reading child died, for a person (``memory``: its budget in bytes)."""
    if signal_number == signal.SIGXCPU:
        return f"reading it took more than {MAX_READ_CPU_SECONDS} s of CPU; refused"
    if signal_number in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL):
        return (f"reading it would need more than {memory // 2**20} MB of memory (cells "
                "spread over a huge range, or a long text repeated in very many cells: a "
                "bomb?); refused")
    return "reading it failed unexpectedly; refused"


def _address_space_size() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


# How much lower than the parent's the reading children's priority is, when the parent runs
# under the ordinary scheduler (a nice value; under a real-time policy, one priority step).
CHILD_NICENESS = 5


def _yield_to_parent() -> None:
    """Run this child at a lower priority than the process that forked it.

    The parent has its own work meanwhile, which the command's answer waits for: its imports
    and preparation (about 0.5 s of CPU), then validating each sheet as it arrives. The
    children's answer is wanted only once that is done; at the same priority, the two
    children's three threads took turns with the parent on two cores, and every step of the
    parent was late by their share. A step lower, the parent keeps a core while the children
    share the other, and they have both whenever the parent waits (how a step lower is
    taken, under each scheduler: :func:`~envreport.forked.lower_priority`).
    """
    lower_priority(CHILD_NICENESS)


def _limit_child_resources(memory: int) -> None:
    """Cap the child's address space at what it has now plus ``memory``, and its CPU."""
    limit = _address_space_size() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    used = int(resource.getrusage(resource.RUSAGE_SELF).ru_utime)
    resource.setrlimit(resource.RLIMIT_CPU, (used + MAX_READ_CPU_SECONDS,
                                             used + MAX_READ_CPU_SECONDS + 5))


def _read_sheet(sheet: calamine.CalamineSheet, name: str, hidden: bool = False) -> RawSheet:
    start = sheet.start
    column_offset = start[1] if start else 0
    rows = list(islice(sheet.iter_rows(), MAX_ROWS_PER_SHEET + 1))
    truncated = len(rows) > MAX_ROWS_PER_SHEET
    del rows[MAX_ROWS_PER_SHEET:]
    texts: dict[str, str] = {}
    one = texts.setdefault
    for index, row in enumerate(rows):
        if row.count("") == len(row):
            rows[index] = []  # a blank (formatted) row keeps its place, not its empty cells
        else:  # calamine makes a new str per cell: equal texts become one object
            rows[index] = [one(cell, cell) if cell.__class__ is str else cell for cell in row]
    direction_cells = _clean_texts(rows, texts)
    # Trailing rows with no value (formatting only) carry nothing; drop them from the end.
    while rows and all(cell == "" or cell is None for cell in rows[-1]):
        rows.pop()
    return RawSheet(name=name, rows=rows, column_offset=column_offset, truncated=truncated,
                    merged=_merged_ranges(sheet), hidden=hidden,
                    direction_cells=direction_cells)


# What no text leaves the reader with: NUL and the direction controls.
_UNSHOWN_CHARACTERS = f"\x00{DIRECTION_CONTROLS}"
_UNSHOWN = re.compile(f"[{_UNSHOWN_CHARACTERS}]")


def _clean_texts(rows: list[list[Any]], texts: dict[str, str]) -> list[tuple[int, int]]:
    """Drop every NUL character and direction control from the sheet's texts (``texts``: its
    distinct ones), in place; the cells that held a direction control (row, column: indexes
    in ``rows``), for the warning ``text-direction-control``.

    Excel writes a NUL in a cell as ``_x0000_`` (a value, a header, an Organization field
    name); it means nothing, and PostgreSQL cannot store it in a text column: a header or a
    finding echoing one made the ledger refuse the whole workbook ("internal error:
    DataError", the portal's 500). A direction control (U+202E ...) makes a name or a number
    show other than it reads, in every report, page and finding that shows it
    (``safe_text.DIRECTION_CONTROLS``). Dropped here, where every text leaves the reader, no
    later stage (rows, findings, entity names, reports) can carry one. The distinct texts
    are searched at once; the rows are walked again only when one holds such a character.
    """
    joined = "".join(texts)  # a search per character over one text: a few ms for 100 000
    if not any(character in joined for character in _UNSHOWN_CHARACTERS):
        return []
    cleaned = {text: _UNSHOWN.sub("", text) for text in texts if _UNSHOWN.search(text)}
    turned = {text for text in cleaned if holds_direction_control(text)}
    cells: list[tuple[int, int]] = []
    for index, row in enumerate(rows):
        if any(cell.__class__ is str and cell in cleaned for cell in row):
            cells.extend((index, column) for column, cell in enumerate(row)
                         if cell.__class__ is str and cell in turned)
            rows[index] = [cleaned.get(cell, cell) if cell.__class__ is str else cell
                           for cell in row]
    return cells


def _merged_ranges(sheet: Any) -> list[str]:
    """The sheet's merged ranges as A1 text ("A3:A6"); calamine gives 0-based corners."""
    ranges = getattr(sheet, "merged_cell_ranges", None) or []
    return [f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in ranges]
