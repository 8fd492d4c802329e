"""One call run in a forked child beside the caller, its failure raised in the caller.

A build writes results.json (half a gigabyte for a 500 000-row workbook) and renders the
report from the same computed results; neither needs the other. The child is forked after
compute, so it has the results without copying them (copy-on-write pages), and the two
cores of a small machine each do one. The child sends back one pickle: what the call
returned (validation's checks run this way: their findings come back), or the exception it
raised, which :meth:`ForkedCall.join` raises in the caller as if the call had run there (so
a full disk or a permission problem is reported exactly as before). A child that dies
without answering (killed, out of memory) is a :class:`ForkedCallError`.

Linux only (``fork`` with copy-on-write, and no threads that the child would need); elsewhere
the call runs in the caller, at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

__all__ = ["ForkedCall", "ForkedCallError", "ForkedServer", "fork_available",
           "fork_with_frozen_heap", "keep_freed_memory", "lower_priority", "stop_child"]


class ForkedCallError(RuntimeError):
    """The child ended without an answer."""


def fork_available() -> bool:
    """Whether calls can run in a forked child here (Linux, more than one core to use)."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


class ForkedCall:
    """``function()`` running in a forked child; :meth:`join` waits, returns what it
    returned (pickled by the child) and raises its error."""

    def __init__(self, what: str, function: Callable[[], Any]) -> None:
        self.what = what  # named in the message when the child dies: "writing results.json"
        self.pid: int | None = None
        self.pipe: int | None = None
        self.result: Any = None  # what the call returned, once joined
        if not fork_available():
            self.result = function()  # in the caller: a failure is raised here, now
            return
        read_end, write_end = os.pipe()
        # Buffered output would be written twice (by the parent and by the child): flushed.
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:  # never back into the parent's code: a Ctrl-C (KeyboardInterrupt) while the
                # answer waits in a full pipe for the parent ran the parent's code on here
                os.close(read_end)
                code = _run_in_child(function, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.pipe = pid, read_end

    def join(self) -> Any:
        """Wait for the child and return what the call returned; raise the exception it
        raised, or :class:`ForkedCallError`."""
        if self.pid is None or self.pipe is None:
            return self.result
        with os.fdopen(self.pipe, "rb") as incoming:
            self.pipe = None
            answer = incoming.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and answer.startswith(_DONE):
            returned = answer[len(_DONE):]
            self.result = pickle.loads(returned) if returned else None
            return self.result
        if answer.startswith(_FAILED):
            text, pickled = pickle.loads(answer[len(_FAILED):])
            try:
                error = pickle.loads(pickled)
            except Exception:  # an exception that cannot be rebuilt here: its text
                error = ForkedCallError(f"{self.what} failed: {text}")
            raise error
        if os.WIFSIGNALED(status):
            raise ForkedCallError(f"{self.what} stopped: the process was killed "
                                  f"({signal.Signals(os.WTERMSIG(status)).name})")
        raise ForkedCallError(f"{self.what} stopped without finishing")

    def cancel(self) -> None:
        """Stop the child (the caller failed meanwhile and will not use its work)."""
        stop_child(self.pid, self.pipe)
        self.pid = self.pipe = None


class ForkedServer:
    """A forked child that runs ``prepare()`` once (its imports, say) as soon as it is forked,
    then answers requests one at a time with ``handle(request)`` until :meth:`close`.

    For work whose preparation can start before its input exists: a build's charts, whose
    child imports matplotlib while the build validates and computes, then draws what the
    build sends it. Requests and answers travel pickled over two pipes; an exception of
    ``prepare`` or ``handle`` is raised by :meth:`call` (as :class:`ForkedCall` raises it),
    and a child that is gone is a :class:`ForkedCallError`. Linux only, as ForkedCall."""

    def __init__(self, what: str, prepare: Callable[[], None],
                 handle: Callable[[Any], Any]) -> None:
        self.what = what
        requests_in, requests_out = os.pipe()
        answers_in, answers_out = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        # Ctrl-C is the parent's to act on (it stops the child): the child ignores it, and
        # it is held back around the fork so that it cannot reach the child before that
        # (a KeyboardInterrupt there would run the parent's code on in the child).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:  # the child never returns into its parent's code
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                    os.close(requests_out)
                    os.close(answers_in)
                    code = _serve(prepare, handle, requests_in, answers_out)
                finally:
                    os._exit(code)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(requests_in)
        os.close(answers_out)
        self.pid: int | None = pid
        self.requests = os.fdopen(requests_out, "wb")
        self.answers = os.fdopen(answers_in, "rb")

    def call(self, request: Any) -> Any:
        """``handle(request)`` in the child: what it returned, or its exception raised."""
        self.send(request)
        return self.answer()

    def send(self, request: Any) -> None:
        """Give the child ``request`` and return at once, while the child works on it: its
        :meth:`answer` is then awaited (one answer per request, in order)."""
        if self.pid is None:
            raise ForkedCallError(f"{self.what}: the child was stopped")
        try:
            _send(self.requests, request)
        except OSError as error:
            self.close()
            raise ForkedCallError(f"{self.what} stopped without answering") from error

    def answer(self) -> Any:
        """What ``handle`` returned for the oldest request :meth:`send` gave, or its
        exception raised."""
        if self.pid is None:
            raise ForkedCallError(f"{self.what}: the child was stopped")
        try:
            status, value = _receive(self.answers)
        except (OSError, EOFError, pickle.UnpicklingError) as error:
            self.close()
            raise ForkedCallError(f"{self.what} stopped without answering") from error
        if status == _FAILED:
            raise value
        return value

    def close(self) -> None:
        """Stop the child (it has answered all it was asked, or it is not wanted)."""
        if self.pid is None:
            return
        for pipe in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                pipe.close()
        stop_child(self.pid, None)
        self.pid = None


def _send(pipe: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(8, "big") + data)
    pipe.flush()


def _receive(pipe: BinaryIO) -> Any:
    head = pipe.read(8)
    if len(head) < 8:
        raise EOFError("the pipe was closed")
    size = int.from_bytes(head, "big")
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("the pipe was closed mid-message")
    return pickle.loads(data)


def _serve(prepare: Callable[[], None], handle: Callable[[Any], Any], requests_in: int,
           answers_out: int) -> int:
    """In a :class:`ForkedServer`'s child: prepare, then answer until the requests end."""
    gc.disable()  # as _run_in_child: the child's collections would only copy inherited pages
    unprepared: BaseException | None = None
    try:
        prepare()
    except BaseException as error:  # told in answer to the first request
        unprepared = error
    with os.fdopen(requests_in, "rb") as requests, os.fdopen(answers_out, "wb") as answers:
        while True:
            try:
                request = _receive(requests)
            except EOFError:
                return 0
            try:
                if unprepared is not None:
                    raise unprepared
                answer: tuple[bytes, Any] = (_DONE, handle(request))
            except BaseException as error:
                answer = (_FAILED, _picklable(error))
            try:
                _send(answers, answer)
            except OSError:
                return 1


def _picklable(error: BaseException) -> BaseException:
    """``error`` if it survives pickling, else a :class:`ForkedCallError` with its text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return ForkedCallError(f"{type(error).__name__}: {error}")
    return error


def stop_child(pid: int | None, pipe: int | None) -> None:
    """Stop a forked child whose answer is no longer wanted: close the pipe it answers on,
    kill it and reap it (either may be ``None``: nothing there)."""
    if pipe is not None:
        os.close(pipe)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # it had ended already: still to be reaped
            pass
        os.waitpid(pid, 0)


def lower_priority(niceness: int) -> None:
    """Run this process (a child) at a lower priority than the one that forked it: under
    the ordinary scheduler ``niceness`` more (a process cannot take it back); under a
    real-time policy (a benchmark's) one priority step lower, the lowest staying as it is.
    A child whose work is wanted later than its parent's then takes the cores the parent
    and its other children leave."""
    with contextlib.suppress(OSError):
        policy = os.sched_getscheduler(0)
        if policy in (os.SCHED_RR, os.SCHED_FIFO):
            priority = os.sched_getparam(0).sched_priority
            if priority > os.sched_get_priority_min(policy):
                os.sched_setscheduler(0, policy, os.sched_param(priority - 1))
        else:
            os.nice(niceness)


def fork_with_frozen_heap() -> int:
    """``os.fork()`` with the caller's objects frozen out of the child's garbage collections.

    Walking every inherited object would write to, and so copy, all of the parent's pages
    (about a sixth of a small task's CPU). The caller's own collections are unchanged: it
    unfreezes at once. Returns what ``os.fork`` returns (0 in the child)."""
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        raise
    if pid:
        gc.unfreeze()
    return pid


_DONE = b"done"
_FAILED = b"failed:"


def keep_freed_memory() -> None:
    """Let glibc's malloc keep the memory this process frees, for its next allocations.

    By default each large block (a chunk of results.json's text, a column) is mapped from
    the kernel and unmapped when freed, so the next one faults in fresh pages again: in a
    freshly forked child that was a second of system time for a 500 000-row results.json
    (1.7 s instead of 2.4-2.9 s), and about 0.2 s of a 500 000-row compute. For processes
    that end after their work (a child, a build), so nothing needs returning. Other C
    libraries (no ``mallopt``): left as they are."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 256 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    except (OSError, AttributeError):
        pass


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def _run_in_child(function: Callable[[], Any], write_end: int) -> int:
    """In the child: run ``function``, send what happened; the exit status."""
    # The child lives for one call: a collection would only visit (and so copy) the pages of
    # every object inherited from the parent.
    gc.disable()
    keep_freed_memory()
    try:
        result = function()
        # nothing more for None (results.json's writer): only a result is pickled
        answer = _DONE if result is None else \
            _DONE + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # everything is sent back, to be raised in the parent
        text = f"{type(error).__name__}: {error}"
        try:
            pickled = pickle.dumps(error)
        except Exception:  # an exception that cannot be pickled: its text only
            pickled = b""
        answer = _FAILED + pickle.dumps((text, pickled))
    try:
        with os.fdopen(write_end, "wb") as outgoing:
            outgoing.write(answer)
    except OSError:
        return 1
    return 0 if answer.startswith(_DONE) else 1
