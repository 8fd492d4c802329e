"""The batch orchestrator: inspect every workbook, plan, build, write the status board.

Three phases, the first and the third spread over worker processes:

1. *inspect* — each workbook is read and validated by a worker, which pickles the submission
   into a scratch folder and returns a small :class:`~envreport.batch.jobs.Inspected`;
2. *plan* — the main process matches files to the parent's roster, decides states, folders
   and the findings across submissions (:mod:`envreport.batch.plan`);
3. *build* — one task per readable workbook (annotated copy, report) and one for the group
   (:mod:`envreport.batch.consolidate`), each reading its pickles and writing its own outputs.

The main process never holds a submission's tables: memory is one submission per worker plus
the group's merged rows in the worker that builds the group. Then the status board is written.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from envreport.batch.consolidate import GroupBuilt, GroupTask, build_group
from envreport.batch.jobs import EntityBuilt, EntityTask, Inspected, build_entity, inspect_workbook
from envreport.batch.naming import GROUP_FOLDER, find_workbooks
from envreport.batch.plan import BatchUsageError, Plan, make_plan
from envreport.batch.status import write_status_board

T = TypeVar("T")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

__all__ = ["BatchOutcome", "BatchProgress", "BatchUsageError", "run_batch"]


class BatchProgress(Protocol):
    """Where the batch reports progress: one total, then one step per finished task."""

    def start(self, total: int) -> None: ...

    def advance(self, description: str) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        return None

    def advance(self, description: str) -> None:
        return None


@dataclass
class BatchOutcome:
    """What a batch did: the board's content, the files written and the exit code."""

    out_dir: Path
    exit_code: int
    board: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one line each, for the terminal


class _InProcess(Executor):
    """``--workers 1``: run every task here, in order, with no process start-up."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # surfaced by future.result(), as in a pool
            future.set_exception(error)
        return future


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _ready() -> bool:
    return True


def _executor(workers: int) -> Executor:
    """A process pool whose workers are already started (call before any thread starts).

    On Linux the workers are forked from this process after the report code is imported, so
    they start warm and share its pages; measured here, forked workers build a report about
    1.5 times faster than forkserver or spawn workers, which warm up their own imports and
    caches. The fork happens before the progress bar's thread exists (see ``run_batch``), so
    no lock can be inherited held. Elsewhere (macOS, Windows) workers are spawned.
    """
    if workers <= 1:
        return _InProcess()
    if sys.platform == "linux":
        import envreport.metrics
        import envreport.pipeline
        import envreport.render
        import envreport.workbook.annotate  # noqa: F401 - imported for the forked workers

        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pool.submit(_ready).result()  # with fork, every worker is started by the first submit
    return pool


def _each(pool: Executor, calls: Iterable[tuple[Callable[..., T], tuple[Any, ...]]],
          progress: BatchProgress, label: Callable[[T], str]) -> list[T]:
    futures = [pool.submit(fn, *args) for fn, args in calls]
    for future in as_completed(futures):
        progress.advance(label(future.result()))
    return [f.result() for f in futures]


def run_batch(inputs: Sequence[Path], out_dir: Path, *, workers: int | None = None,
              langs: list[str] | None = None, pdf: bool = True,
              progress: BatchProgress | None = None) -> BatchOutcome:
    """Validate and build every workbook among ``inputs``, the group and the status board.

    Raises :class:`BatchUsageError` (exit 2, nothing written) when no workbook is found, an
    input does not exist, or two workbooks claim to be the parent.
    """
    progress = progress or _Silent()
    files, absent = find_workbooks(inputs)
    if absent:
        raise BatchUsageError("not found: " + ", ".join(str(p) for p in absent))
    if not files:
        raise BatchUsageError("no workbooks (*.xlsx, *.xlsm) among the inputs")
    workers = workers or default_workers()
    lang = (langs or ["en"])[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="envreport-batch-"))
    try:
        with _executor(min(workers, len(files) + 1)) as pool:
            # inspect + one build per file + the group: the bar's total is known up front
            progress.start(2 * len(files) + 1)
            inspected: list[Inspected] = _each(
                pool, ((inspect_workbook, (i, path, scratch)) for i, path in enumerate(files)),
                progress, lambda r: f"read {r.file_name}")
            plan = make_plan(inspected)
            return _build(pool, plan, out_dir, langs, lang, pdf, progress, len(files))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _build(pool: Executor, plan: Plan, out_dir: Path, langs: list[str] | None, lang: str,
           pdf: bool, progress: BatchProgress, n_files: int) -> BatchOutcome:
    entity_tasks = []
    for entry in plan.entries:
        item = entry.inspected
        if item is None or item.pickle is None or entry.folder is None:
            continue
        extra = [gf.finding for gf in entry.group_findings]
        entity_tasks.append(EntityTask(item.index, item.path, item.pickle,
                                       out_dir / entry.folder, entry.build, extra, langs, pdf,
                                       lang))
    group_task = None
    if plan.group_buildable and plan.approach:
        group_task = GroupTask(plan.members, plan.approach, [gf.finding for gf in plan.findings],
                               [gf.to_dict(lang) for gf in plan.findings],
                               [{"entity_id": e.entity_id, "file_name": e.file_name,
                                 "sha256": e.sha256, "state": e.state} for e in plan.entries],
                               out_dir / GROUP_FOLDER, langs, pdf)
    # the group first: it is the longest task, so it should not start last
    group_future = pool.submit(build_group, group_task) if group_task else None
    futures = [pool.submit(build_entity, task) for task in entity_tasks]
    skipped = n_files - len(entity_tasks) + (0 if group_future else 1)
    for _ in range(skipped):
        progress.advance("skipped")
    pending: list[Future[Any]] = [*futures, *([group_future] if group_future else [])]
    folders = {task.index: task.folder.name for task in entity_tasks}
    for future in as_completed(pending):
        result = future.result()
        progress.advance("built group" if isinstance(result, GroupBuilt)
                         else f"built {folders.get(result.index)}")
    built: dict[int, EntityBuilt] = {f.result().index: f.result() for f in futures}
    group = group_future.result() if group_future else None

    board = write_status_board(plan, built, group, out_dir, lang)
    files = [path for b in built.values() for path in b.files]
    if group:
        files += group.files
    files += [out_dir / name for name in ("status.json", "status.html", "status.xlsx")]
    names = {e.inspected.index: e.file_name for e in plan.entries if e.inspected}
    messages = [f"{names.get(b.index)}: build failed: {b.failure}"
                for b in built.values() if b.failure]
    if group and group.failure:
        messages.append(f"group: build failed: {group.failure}")
    return BatchOutcome(out_dir, _exit_code(plan, built, group), board, files, messages)


def _exit_code(plan: Plan, built: dict[int, EntityBuilt], group: GroupBuilt | None) -> int:
    if plan.parent is None:
        # No parent: nothing to consolidate. Misuse (2) when every file is a fine subsidiary;
        # when a file is unreadable or invalid it may be the parent: a data problem (1).
        broken = any(e.state in ("unreadable", "invalid") for e in plan.entries)
        return EXIT_INVALID if broken else EXIT_USAGE
    bad_state = any(e.state in ("invalid", "unreadable", "missing") for e in plan.entries)
    group_errors = any(gf.finding.severity == "error" for gf in plan.findings)
    failed = any(b.failure for b in built.values()) or (group is not None and group.failure)
    no_group = group is None
    return EXIT_INVALID if bad_state or group_errors or failed or no_group else EXIT_OK
