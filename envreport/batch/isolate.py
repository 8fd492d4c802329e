"""Each batch task in its own process, under a time and a memory limit, killable at once.

A batch must survive its worst member: a workbook whose unit cell hangs, one whose reading
or report needs gigabytes, one that crashes the interpreter. A task pool whose workers run
many tasks cannot stop one task without breaking the pool, so here every task (read one
workbook, build one report) runs in a child forked for it:

- the child is forked from the batch's process, whose report code is already imported: it
  starts warm and shares those pages, and whatever one hostile workbook does to its
  process ends with that process;
- its address space is capped (``RLIMIT_AS``, soft limit only, so that the reader's own
  capped child can still set its limit) at what the process has plus ``memory_bytes``; a
  ``MemoryError`` or a death by the kernel is reported as the memory limit;
- it is given ``seconds`` of wall-clock time, then killed (``SIGKILL`` to its process
  group: its own children, like the reader's, go with it);
- it is the leader of its own process group, so a Ctrl-C at the terminal reaches only the
  batch's main process, which decides: it kills the running children and reports;
- it dies with the batch's process (``PR_SET_PDEATHSIG``), never left running alone.

The answer travels back as a pickle file written to a temporary name and renamed, so a
child killed half-way leaves no answer rather than half of one. Linux only (``fork``);
elsewhere the tasks run in-process, without limits.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import pickle
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envreport.batch import reasons
from envreport.batch_defaults import TASK_MEMORY_MB, TASK_SECONDS
from envreport.forked import fork_with_frozen_heap, lower_priority

_POLL_SECONDS = 0.02
#: How much lower a call beside the warm-up beyond the usual ones runs under the ordinary
#: scheduler (a nice value; under a real-time policy, one priority step): as the reader's
#: children yield to the process that forked them.
LOWERED_NICENESS = 5
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """What one task may take: wall-clock seconds and memory beyond the batch's own."""

    seconds: float = float(TASK_SECONDS)
    memory_bytes: int = TASK_MEMORY_MB * 2**20

    def describe_time(self) -> str:
        return reasons.TIMED_OUT.format(seconds=f"{self.seconds:g}")

    def describe_memory(self) -> str:
        return reasons.OUT_OF_MEMORY.format(megabytes=self.memory_bytes // 2**20)


@dataclass
class Failed:
    """A task that gave no answer: why, in one line."""

    reason: str


@dataclass
class _Running:
    key: Any
    answer: Path
    deadline: float
    killed_for_time: bool = False


Call = tuple[Any, Callable[..., Any], tuple[Any, ...]]  # (key, function, arguments)


def isolation_available() -> bool:
    """Whether tasks can run in limited child processes here (Linux: fork, rlimits)."""
    return sys.platform.startswith("linux")


class Interrupted(Exception):  # noqa: N818 - a state, not an error
    """The run was stopped (Ctrl-C) before every task finished."""


class TaskRunner:
    """Runs calls in forked children, ``workers`` at a time; see the module's docstring."""

    def __init__(self, workers: int, limits: Limits, scratch: Path,
                 stop_requested: Callable[[], bool] = lambda: False) -> None:
        self.workers = max(1, workers)
        self.limits = limits
        self.scratch = scratch
        self.stop_requested = stop_requested
        self._running: dict[int, _Running] = {}
        self._serial = 0

    def run(self, calls: Iterable[Call], done: Callable[[Any, Any], None],
            meanwhile: Iterable[Callable[[], None]] = ()) -> None:
        """Run every call; ``done(key, answer or Failed)`` as each finishes, in any order.

        ``meanwhile`` are steps of the parent's own work (a warm-up for later tasks), each
        called once in this process while the calls run instead of before them, in order;
        children started after a step inherit what it loaded. The steps are taken from
        ``meanwhile`` one at a time, as they come (a generator may decide a step from the
        answers ``done`` has had so far). Between two steps finished children are collected
        and the next calls started: keep each step short, a child that finishes during a
        step is followed only when the step ends. While steps are left this process is busy
        on a core of its own, so one call fewer runs beside them at the usual priority (one
        at least): three processes on two cores would only slow the warm-up that later tasks
        wait for. With two workers or more, the last one's call is started a step lower
        (:func:`~envreport.forked.lower_priority`): it takes a core only when none of the
        others wants it, as when a call has finished during a step and its core would wait
        idle for the step's end (WeasyPrint's import is one step of 0.3 s).
        Steps left when every call is done are called before returning.

        Raises :class:`Interrupted` (every child killed) when ``stop_requested()`` turns
        true or a ``KeyboardInterrupt`` arrives.
        """
        queue = deque(calls)
        steps = iter(meanwhile)
        step = next(steps, None)
        try:
            while queue or self._running:
                if self.stop_requested():
                    raise Interrupted
                # beside a warm-up step, the calls past this many start a step lower
                at_usual_priority = (self.workers if step is None
                                     else max(1, self.workers - 1))
                while queue and len(self._running) < self.workers:
                    key, fn, args = queue.popleft()
                    if isolation_available():
                        self._start(key, fn, args, lowered=len(self._running) >= at_usual_priority)
                    else:
                        done(key, _in_process(fn, args))
                        if self.stop_requested():
                            raise Interrupted
                if step is not None:
                    step()
                    self._reap(done)  # before the next step is taken: it may depend on them
                    step = next(steps, None)
                elif not self._reap(done):
                    time.sleep(_POLL_SECONDS)
            while step is not None:
                step()
                step = next(steps, None)
        except KeyboardInterrupt:
            self.stop()
            raise Interrupted from None
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Kill every running child (and its own children) now, and reap them."""
        for pid in list(self._running):
            _kill_group(pid)
        for pid, running in list(self._running.items()):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            running.answer.unlink(missing_ok=True)
            del self._running[pid]

    def _start(self, key: Any, fn: Callable[..., Any], args: tuple[Any, ...],
               lowered: bool = False) -> None:
        self._serial += 1
        answer = self.scratch / f"answer-{self._serial}.pickle"
        pid = fork_with_frozen_heap()
        if pid == 0:  # the child: never returns
            _child(fn, args, answer, self.limits, lowered)
        with contextlib.suppress(OSError):  # also here: a kill before the child's own call
            os.setpgid(pid, pid)
        self._running[pid] = _Running(key, answer, time.monotonic() + self.limits.seconds)

    def _reap(self, done: Callable[[Any, Any], None]) -> bool:
        """Collect finished children, kill overdue ones; whether any finished."""
        finished = False
        now = time.monotonic()
        for pid, running in list(self._running.items()):
            try:
                reaped, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: treat as a death without answer
                reaped, status = pid, 0
            if reaped == 0:
                if now > running.deadline and not running.killed_for_time:
                    running.killed_for_time = True
                    _kill_group(pid)
                continue
            del self._running[pid]
            finished = True
            done(running.key, self._answer(running, status))
        return finished

    def _answer(self, running: _Running, status: int) -> Any:
        try:
            with running.answer.open("rb") as handle:
                kind, value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError):
            kind, value = None, None
        finally:
            running.answer.unlink(missing_ok=True)
        if kind == "ok":
            return value
        if kind == "memory":
            return Failed(self.limits.describe_memory())
        if kind == "error":
            return Failed(reasons.INTERNAL_ERROR.format(detail=value))
        if running.killed_for_time:
            return Failed(self.limits.describe_time())
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            return Failed(self.limits.describe_memory())  # not us: the kernel's OOM killer
        if os.WIFSIGNALED(status):
            try:
                name = signal.Signals(os.WTERMSIG(status)).name
            except ValueError:
                name = f"signal {os.WTERMSIG(status)}"
            return Failed(reasons.CRASHED.format(signal=name))
        return Failed(reasons.NO_ANSWER)


def _in_process(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    try:
        return fn(*args)
    except MemoryError:
        return Failed(reasons.NO_MEMORY_LEFT)
    except Exception as error:  # one task never stops the batch
        return Failed(reasons.INTERNAL_ERROR.format(detail=f"{type(error).__name__}: {error}"))


def _child(fn: Callable[..., Any], args: tuple[Any, ...], answer: Path, limits: Limits,
           lowered: bool = False) -> None:
    """Run ``fn(*args)`` under the limits (``lowered``: a step below the batch's process)
    and leave its answer in ``answer``; never return."""
    status = 0
    try:
        os.setpgid(0, 0)
        _die_with_parent()
        if lowered:
            lower_priority(LOWERED_NICENESS)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch's process decides
        _quiet()
        _cap_memory(limits.memory_bytes)
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as error:  # reported on the board; the batch goes on
            reply = ("error", f"{type(error).__name__}: {error}")
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as error:  # an answer that cannot be pickled is a bug: say so
            data = pickle.dumps(("error", f"{type(error).__name__}: {error}"))
        partial = answer.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, answer)
    except BaseException:  # the parent reports a child without an answer
        status = 1
    finally:
        os._exit(status)


def _quiet() -> None:
    """A task's crash is reported on the board in one line; what a dying interpreter or C
    library prints (a fatal-error dump, an allocator's complaint) is not for the terminal.
    ``ENVREPORT_DEBUG=1`` keeps it."""
    if os.environ.get("ENVREPORT_DEBUG"):
        return
    faulthandler.disable()
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)


def _cap_memory(budget: int) -> None:
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)  # not yet its own group leader
