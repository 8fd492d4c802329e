"""The batch orchestrator: inspect every workbook, plan, build, write the status board.

Three phases, the first and the third spread over task processes — one forked per task,
under a time and memory limit (:mod:`envreport.batch.isolate`), ``--workers`` at a time:

1. *inspect* — each workbook is read and validated by a task, which pickles the submission
   (and the cells it read) into the work folder and returns a small
   :class:`~envreport.batch.jobs.Inspected`;
2. *plan* — the main process matches files to the parent's roster, decides states, folders
   and the findings across submissions (:mod:`envreport.batch.plan`);
3. *build* — one task per readable workbook (annotated copy, report) and one for the group
   (:mod:`envreport.batch.consolidate`), each reading its pickles and writing its own outputs.

The main process never holds a submission's tables: memory is one submission per task plus
the group's merged rows in the task that builds the group. Then the status board is written.
Outputs are built inside a work folder in ``-o`` and renamed into place when a task is done;
Ctrl-C kills the tasks and writes the board for what finished, marked incomplete.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from envreport.batch.consolidate import GroupBuilt, GroupTask, build_group
from envreport.batch.isolate import Call, Failed, Interrupted, Limits, TaskRunner
from envreport.batch.jobs import (
    EntityBuilt,
    EntityTask,
    Inspected,
    Recording,
    build_entity,
    inspect_workbook,
    load_submission_pickle,
)
from envreport.batch.naming import (
    ALL_BOARD_FILES,
    BOARD_FILES,
    GROUP_FOLDER,
    RESERVED,
    find_workbooks,
    sanitise,
)
from envreport.batch.plan import BatchUsageError, KnownEntity, Plan, make_plan
from envreport.batch.reasons import FAILED, INTERRUPTED, failure_line, stopped_lines
from envreport.batch.status import board_languages, write_status_board
from envreport.batch.warm_up import (
    compile_missing,
    report_languages,
    warm_up_reading,
    warm_up_reports,
)
from envreport.exit_codes import EXIT_FAILED, EXIT_INVALID, EXIT_OK
from envreport.i18n import SUPPORTED_LANGUAGES
from envreport.io import safe_sha256

WORK_PREFIX = ".envreport-work-"

__all__ = ["BatchInterruptedError", "BatchOutcome", "BatchProgress", "BatchUsageError",
           "Limits", "ProgressStep", "run_batch"]


#: A finished task: a workbook read (``name``: its file), a report folder built (``name``:
#: the folder), the group report built, or a workbook with nothing to build. The words the
#: bar shows, in the command's language, are the presentation's (``batch/progress.py``).
ProgressStep = Literal["read", "built", "built group", "skipped"]


class BatchProgress(Protocol):
    """Where the batch reports progress: one total, then one step per finished task."""

    def start(self, total: int) -> None: ...

    def advance(self, step: ProgressStep, name: str = "") -> None: ...


class SilentProgress:
    def start(self, total: int) -> None:
        return None

    def advance(self, step: ProgressStep, name: str = "") -> None:
        return None


@dataclass
class BatchOutcome:
    """What a batch did: the board's content, the files written and the exit code."""

    out_dir: Path
    exit_code: int
    board: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one line each, for the terminal
    recorded: list[str] = field(default_factory=list)  # batch --ledger: one line a workbook
    # why no group report was built (the group's errors), in each language of the catalogue:
    # the portal's admin page says it in its own language (the board is in one)
    group_not_built: dict[str, list[str]] = field(default_factory=dict)
    # what failed, as data (``messages`` says it in English): each ``{"file", "kind",
    # "technical"}``, kind ``report`` (a member's), ``annotated`` or ``group`` (file None),
    # technical the failure's own text; the portal says each in its page's language
    failures: list[dict[str, str | None]] = field(default_factory=list)
    # a batch stopped before it finished: what it had done, as data (``messages`` says it in
    # English; the command in its language): reasons.stopped_lines
    stopped: dict[str, Any] = field(default_factory=dict)


class BatchInterruptedError(Exception):
    """The batch was stopped (Ctrl-C) before it finished; ``outcome`` says what was done."""

    def __init__(self, outcome: BatchOutcome) -> None:
        super().__init__("interrupted")
        self.outcome = outcome


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def _stop_on_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C asks the batch to stop (it kills its tasks and writes what it has); a second
    Ctrl-C interrupts at once. Outside the main thread, Ctrl-C is left as it is."""
    requested = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield requested.is_set
        return

    def handler(signum: int, frame: Any) -> None:
        if requested.is_set():
            raise KeyboardInterrupt
        requested.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def run_batch(inputs: Sequence[Path], out_dir: Path, *, workers: int | None = None,
              langs: list[str] | None = None, pdf: bool = True,
              progress: BatchProgress | None = None, limits: Limits | None = None,
              ledger_url: str | None = None, ledger_by: str | None = None,
              member_pdf: bool = True, known: Sequence[KnownEntity] = (),
              recorded: Mapping[Path, int] | None = None) -> BatchOutcome:
    """Validate and build every workbook among ``inputs``, the group and the status board.

    Every workbook is read, and every report built, in its own process under ``limits``
    (:mod:`envreport.batch.isolate`). Raises :class:`BatchUsageError` (exit 2, nothing
    written) when no workbook is found, an input does not exist, or two workbooks claim to
    be the parent; :class:`BatchInterruptedError` after Ctrl-C, with the board written for
    what finished (marked incomplete). With ``ledger_url`` every workbook is recorded there
    as the batch validated it, in the order of the inputs, each report and the group's
    compare with the ledger's earlier periods, and the group is recorded as
    ``<parent>:group``, all by ``ledger_by`` (the command line without a login, ``cli``,
    unless given). ``member_pdf=False`` keeps the PDF (when ``pdf``) for the group
    report only: each member's report is HTML and results.json (the portal's group build,
    whose users download the consolidated report). ``known``: the entities the caller
    expects beyond the roster (the portal's), each without a file on the board as missing
    (:func:`~envreport.batch.plan.make_plan`). ``recorded`` (with ``ledger_url``): the
    workbooks are in the ledger already, each the submission whose id is given for its path
    (the portal's uploads, with their reviews): none is recorded again; each report
    compares with the ledger as that submission (a workbook without an id, as the newest
    submission of its file and period) and notes its build, and the group is recorded.
    """
    progress = progress or SilentProgress()
    limits = limits or Limits()
    ledger = _recording(ledger_url, ledger_by)
    found = find_workbooks(inputs)
    if found.absent:
        raise BatchUsageError("not-found", paths=[str(p) for p in found.absent])
    if not found.files and not found.skipped:
        raise BatchUsageError("no-workbooks")
    workers = workers or default_workers()
    lang = (langs or ["en"])[0]
    files = found.files
    made = _first_missing(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    earlier = _earlier_folders(out_dir)
    # Inside -o (nothing is written elsewhere), and on its file system: outputs are built
    # here and renamed into place when complete.
    scratch = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out_dir))
    state = _State(files, found.skipped, earlier)
    try:
        with _stop_on_interrupt() as stop:
            warm_up_reading()
            runner = TaskRunner(min(workers, len(files) + 1), limits, scratch, stop)
            try:
                progress.start(2 * len(files) + 1)
                warm_up = warm_up_reports(
                    pdf, lang, lambda: report_languages(langs, state.read.values()))
                # computed once for the ledger's record and the build: only when recording
                state.inspected = _inspect(runner, files, scratch, progress, state, warm_up,
                                           compute_results=ledger is not None
                                           and recorded is None)
                # planned first: a batch refused (two parents) records nothing either
                plan = make_plan([*state.inspected, *_skipped(found.skipped, len(files))],
                                 known)
                # every workbook's submission in the ledger by resolved path: the ones given
                # (nothing recorded), or those recorded here; none without a ledger
                lines, ids = (([], _by_path(recorded)) if recorded is not None
                              else _record(ledger, state.inspected) if ledger is not None
                              else ([], {}))
                state.plan = plan
                compile_missing(report_languages(langs, state.inspected)
                                 | set(board_languages(langs, plan)))
                outcome = _build(runner, plan, out_dir, scratch, langs, lang, pdf, progress,
                                 state, ledger, member_pdf, ids,
                                 reports_as_given=recorded is not None)
                outcome.recorded = lines
                return outcome
            except Interrupted:
                raise BatchInterruptedError(_interrupted(state, out_dir, langs)) from None
            except Exception:
                if state.building:  # outputs may be in place: the board says it is partial
                    _mark_failed(state, out_dir, langs)
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if made is not None:  # a batch refused or failed before writing: no empty -o left
            _remove_empty_folders(out_dir, made)


def _first_missing(out_dir: Path) -> Path | None:
    """The outermost folder of ``out_dir`` (itself included) that does not exist yet."""
    missing = None
    for folder in (out_dir, *out_dir.parents):
        if folder.exists() or folder.is_symlink():
            break
        missing = folder
    return missing


def _remove_empty_folders(out_dir: Path, made: Path) -> None:
    """``out_dir`` and its parents up to ``made`` (the folders this batch created), each
    only while it is empty: a refused batch leaves no empty output folder behind."""
    for folder in (out_dir, *out_dir.parents):
        try:
            folder.rmdir()  # refused when not empty: then it and its parents stay
        except OSError:
            return
        if folder == made:
            return


def _mark_failed(state: _State, out_dir: Path, langs: list[str] | None) -> None:
    """After an error in the build phase (the board cannot be written, a disk full, a bug):
    the folders built so far stay, and the board says the batch is incomplete, what was not
    built naming the error, as after Ctrl-C. When even that board cannot be written, the
    previous run's board is removed: no board is better than one that shows other states."""
    try:
        _interrupted(state, out_dir, langs, FAILED)
    except Exception:  # the error that stopped the batch is the one the caller reports
        for name in ALL_BOARD_FILES:
            with contextlib.suppress(OSError):
                (out_dir / name).unlink()


@dataclass
class _State:
    """How far a batch got: what an interrupted batch reports."""

    files: list[Path]
    skipped: list[tuple[Path, str]]
    earlier: set[str]  # the folders the previous run's board names
    read: dict[int, Inspected] = field(default_factory=dict)
    inspected: list[Inspected] | None = None
    plan: Plan | None = None
    built: dict[int, EntityBuilt] = field(default_factory=dict)
    group: GroupBuilt | None = None
    group_done: bool = False
    building: bool = False  # the build phase has begun: outputs may be in -o


def _inspect(runner: TaskRunner, files: list[Path], scratch: Path,
             progress: BatchProgress, state: _State,
             meanwhile: Iterable[Callable[[], None]] = (),
             compute_results: bool = False) -> list[Inspected]:
    """Read and validate every file, each in its task (and, ``compute_results``, compute
    the valid ones there: see :func:`inspect_workbook`)."""
    results = state.read

    def done(index: int, answer: Inspected | Failed) -> None:
        if isinstance(answer, Failed):
            path = files[index]
            answer = Inspected(index, path, path.name, safe_sha256(path),
                               unreadable=answer.reason)
        results[index] = answer
        progress.advance("read", answer.file_name)

    # The largest files first, so that the last read to start is a short one: the reports
    # are built only when every workbook is read, and a long read started last would leave
    # the other cores idle until it ends.
    order = sorted(range(len(files)), key=lambda i: (-_size(files[i]), i))
    runner.run(((i, inspect_workbook, (i, files[i], scratch, compute_results))
                for i in order), done, meanwhile)
    return [results[i] for i in range(len(files))]


def _size(path: Path) -> int:
    """The size of ``path`` in bytes (0 when it cannot be read: its task says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _recording(url: str | None, by: str | None) -> Recording | None:
    """batch --ledger: ``url`` and who records there, ``by`` (the command line without a login
    name, :data:`~envreport.ledger.CLI_ACTOR`, unless given); ``None`` without a ledger."""
    if url is None:
        return None
    from envreport.ledger import CLI_ACTOR  # sqlalchemy's import: only with a ledger

    return Recording(url, CLI_ACTOR if by is None else by)


def _record(recording: Recording, inspected: list[Inspected]
            ) -> tuple[list[str], dict[str, int]]:
    """batch --ledger: record every workbook in the ledger, in input order (a later one of
    the same entity and period supersedes an earlier one, as on the command line), each as
    the batch validated and computed it: a 100 000-row workbook is neither validated nor
    computed a second time (its build task writes the same results). One line per workbook
    for the terminal, and each submission's id by the file's resolved path."""
    from envreport.ledger import Ledger

    lines = []
    ids = {}
    with Ledger(recording.url) as ledger:
        for item in inspected:
            # no pickle: the batch could not read it; the ledger records why, its own way
            submission = load_submission_pickle(item.pickle) if item.pickle else None
            computed, trail = item.computed.load() if item.computed else (None, None)
            record = ledger.record(item.path, by=recording.by, source="cli",
                                   submission=submission,
                                   computed=computed, trail_text=trail)
            lines.append(f"recorded {item.file_name} as submission {record.id} "
                         f"({record.outcome}, {record.status})")
            ids[str(item.path.resolve())] = int(record.id)
    return lines, ids


def _by_path(recorded: Mapping[Path, int]) -> dict[str, int]:
    """The submission ids of ``run_batch(recorded=...)`` by each file's resolved path (the
    batch finds a folder's files by their own spelling of it)."""
    return {str(path.resolve()): submission_id for path, submission_id in recorded.items()}


def _skipped(skipped: list[tuple[Path, str]], first_index: int) -> list[Inspected]:
    """Input entries that are not followed (links out of the folder, devices, FIFOs): on the
    board as unreadable, with the reason."""
    return [Inspected(first_index + n, path, path.name, None, unreadable=reason)
            for n, (path, reason) in enumerate(skipped)]


def _build(runner: TaskRunner, plan: Plan, out_dir: Path, scratch: Path,
           langs: list[str] | None, lang: str, pdf: bool, progress: BatchProgress,
           state: _State, ledger: Recording | None = None,
           member_pdf: bool = True, ledger_ids: Mapping[str, int] | None = None,
           reports_as_given: bool = False) -> BatchOutcome:
    """The build phase. ``ledger_ids``: every workbook's submission in the ledger (given, or
    just recorded), by resolved path: the group notes its members'. ``reports_as_given``
    (the portal's uploads): each report is built as its submission there, even when the
    same content was uploaded again since; otherwise (recorded just now) as the ledger finds
    it by its content and period, the current submission of them."""
    ids = ledger_ids or {}
    staging = scratch / "out"
    staging.mkdir()
    state.building = True
    entity_tasks = []
    for entry in plan.entries:
        item = entry.inspected
        if item is None or item.pickle is None or entry.folder is None:
            continue
        extra = [gf.finding for gf in entry.group_findings]
        entity_tasks.append(EntityTask(item.index, item.path, item.pickle,
                                       staging / entry.folder, entry.build, extra, langs,
                                       pdf and member_pdf, lang, ledger, item.computed,
                                       item.compute_failure,
                                       ids.get(str(item.path.resolve()))
                                       if reports_as_given else None))
    group_task = None
    paths = {e.inspected.pickle: str(e.inspected.path.resolve())
             for e in plan.entries if e.inspected is not None and e.inspected.pickle}
    members = {m.entity_id: ids.get(paths.get(m.pickle, "")) for m in plan.members}
    if plan.group_buildable and plan.approach:
        group_task = GroupTask(plan.members, plan.approach, [gf.finding for gf in plan.findings],
                               [gf.to_dict(lang) for gf in plan.findings],
                               [{"entity_id": e.entity_id, "file_name": e.file_name,
                                 "sha256": e.sha256, "state": e.state} for e in plan.entries],
                               staging / GROUP_FOLDER, langs, pdf, ledger,
                               {e: i for e, i in members.items() if i is not None})
    for _ in range(len(state.files) - len(entity_tasks) + (0 if group_task else 1)):
        progress.advance("skipped")
    folders = {task.index: task.folder.name for task in entity_tasks}

    def done(key: int | str, answer: EntityBuilt | GroupBuilt | Failed) -> None:
        if key == GROUP_FOLDER:
            group = answer if isinstance(answer, GroupBuilt) else GroupBuilt(
                failure=_reason(answer))
            group.files = _install(staging / GROUP_FOLDER, out_dir / GROUP_FOLDER,
                                   group.files, scratch)
            state.group, state.group_done = group, True
            progress.advance("built group")
            return
        assert isinstance(key, int)
        built = answer if isinstance(answer, EntityBuilt) else EntityBuilt(
            key, failure=_reason(answer))
        built.files = _install(staging / folders[key], out_dir / folders[key], built.files,
                               scratch)
        state.built[key] = built
        progress.advance("built", folders[key])

    # Longest first, so that no long task starts last while the other cores idle: the group
    # (every member's rows), then the reports by their rows, then the annotated copies of
    # the workbooks without a report.
    rows = {e.inspected.index: e.inspected.rows for e in plan.entries if e.inspected}
    entity_tasks.sort(key=lambda task: (not task.build, -rows[task.index], task.index))
    calls: list[Call] = [(GROUP_FOLDER, build_group, (group_task,))] if group_task else []
    calls += [(task.index, build_entity, (task,)) for task in entity_tasks]
    runner.run(calls, done)
    state.group_done = True
    # in the order of the inputs, whatever order the tasks finished in
    group, built = state.group, dict(sorted(state.built.items()))

    board, board_files = write_status_board(plan, built, group, out_dir,
                                            board_languages(langs, plan))
    _remove_stale(out_dir, state.earlier, {e.folder for e in plan.entries if e.folder}
                  | ({GROUP_FOLDER} if group_task else set()))
    files = [path for b in built.values() for path in b.files]
    if group:
        files += group.files
    files += board_files
    names = {e.inspected.index: e.file_name for e in plan.entries if e.inspected}
    failures: list[dict[str, str | None]] = [
        {"file": names.get(b.index), "kind": "report", "technical": b.failure}
        for b in built.values() if b.failure]
    failures += [{"file": names.get(b.index), "kind": "annotated",
                  "technical": b.annotate_failure}
                 for b in built.values() if b.annotate_failure]
    if group and group.failure:
        failures.append({"file": None, "kind": "group", "technical": group.failure})
    messages = [failure_line(f, "en") for f in failures]
    errors = [gf.finding for gf in plan.findings if gf.finding.severity == "error"]
    why = {} if board["group"]["built"] else {
        lang_: [error.message(lang_) for error in errors] for lang_ in SUPPORTED_LANGUAGES}
    return BatchOutcome(out_dir, _exit_code(plan, built, group), board, files, messages,
                        group_not_built=why, failures=failures)


def _reason(answer: object) -> str:
    """Why a task gave no answer of its kind."""
    return answer.reason if isinstance(answer, Failed) else f"unexpected answer: {answer!r}"


def _install(staged: Path, final: Path, files: list[Path], scratch: Path) -> list[Path]:
    """Put a task's finished outputs in place of the folder's old content, in one rename.

    Only the files the task reported as written are kept (a file cut short by a failure is
    not); a task that wrote nothing leaves no folder, and the previous run's folder goes:
    each folder holds exactly this run's outputs.
    """
    keep = {path.name for path in files}
    if staged.is_dir():
        for path in staged.iterdir():
            if path.name not in keep:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    old = scratch / f"old-{final.name}"
    if final.is_dir() and not final.is_symlink():
        os.rename(final, old)
    elif final.exists() or final.is_symlink():
        final.unlink()
    if staged.is_dir() and keep:
        os.rename(staged, final)
    shutil.rmtree(old, ignore_errors=True)
    return [final / path.name for path in files]


def _interrupted(state: _State, out_dir: Path, langs: list[str] | None,
                 reason: str = INTERRUPTED) -> BatchOutcome:
    """The board for what finished, marked incomplete, ``reason`` on each report not built;
    what was done and what was not."""
    plan = state.plan or make_plan([])
    not_done: list[str] = []
    if state.inspected is None:
        not_done = [path.name for path in state.files]
    else:
        for entry in plan.entries:
            item = entry.inspected
            if item is not None and item.pickle is not None and item.index not in state.built:
                state.built[item.index] = EntityBuilt(item.index, failure=reason)
                not_done.append(entry.file_name or "")
        if plan.group_buildable and not state.group_done:
            state.group = GroupBuilt(failure=reason)
            not_done.append("group")
    board, board_files = write_status_board(plan, state.built, state.group, out_dir,
                                            board_languages(langs, plan), not_done=not_done)
    done = [f"{b.index}" for b in state.built.values() if b.failure != reason]
    read = len(state.read)
    stopped = {"read": read, "total": len(state.files), "built": len(done),
               "group_built": bool(state.group and state.group.failure is None),
               "not_done": not_done}
    return BatchOutcome(out_dir, EXIT_FAILED, board, board_files,
                        stopped_lines(stopped, "en"), stopped=stopped)


def _earlier_folders(out_dir: Path) -> set[str]:
    """The folders the previous run's board names (its entities' and the group's)."""
    try:
        data = json.loads((out_dir / BOARD_FILES[0]).read_text(encoding="utf-8"))
        return {str(e["outputs"]["folder"]) for e in data["entities"]
                if e.get("outputs", {}).get("folder")} | {GROUP_FOLDER}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()  # no board, or not one of ours: nothing is removed


def _remove_stale(out_dir: Path, earlier: set[str], current: set[str]) -> None:
    """After a complete run, the folders of the previous run that this run has no entity
    for (a file removed, or now unreadable): the outputs in ``-o`` are this run's only.
    Only plain folder names that envreport itself hands out are touched."""
    for name in earlier - current:
        path = out_dir / name
        ours = name == GROUP_FOLDER or (sanitise(name) == name
                                        and name.casefold() not in RESERVED)
        if not ours or path.is_symlink() or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)


def _remove_leftovers(out_dir: Path) -> None:
    """Work folders of a batch that was killed (not interrupted: that one cleans up)."""
    for path in out_dir.glob(f"{WORK_PREFIX}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _exit_code(plan: Plan, built: dict[int, EntityBuilt], group: GroupBuilt | None) -> int:
    if plan.parent is None:
        # No parent: nothing to consolidate. Misuse (2) when every file is a fine subsidiary;
        # when a file is unreadable or invalid it may be the parent: a data problem (1); a
        # report that could not be built is one too.
        broken = any(e.state in ("unreadable", "invalid") for e in plan.entries)
        failed_build = any(b.failure for b in built.values())
        return EXIT_INVALID if broken or failed_build else EXIT_FAILED
    # a known entity off the roster without a file (role unexpected) is not the group's
    bad_state = any(e.state in ("invalid", "unreadable")
                    or (e.state == "missing" and e.role != "unexpected") for e in plan.entries)
    group_errors = any(gf.finding.severity == "error" for gf in plan.findings)
    failed = any(b.failure for b in built.values()) or (group is not None and group.failure)
    no_group = group is None
    return EXIT_INVALID if bad_state or group_errors or failed or no_group else EXIT_OK
