"""A call given its own room on CPython's frame stack (:func:`with_stack_room`).

CPython (3.11 and later) keeps the frames of Python calls in chunks of 16 KiB, each mapped
from the kernel (``mmap``) when a call finds no room left in the current chunk and unmapped
as soon as the call that opened it returns. A deep recursion that goes up and down across
the end of a chunk, as WeasyPrint's layout and drawing do (boxes within boxes), maps a
fresh chunk, faults its pages in and unmaps it at every crossing. Where the ends fall depends
only on how deep the caller already is: a group report's layout did it 35 000 times in a
build's ``write_pdf`` and 12 500 times in WeasyPrint called alone on the same HTML (minor
page faults 45 000 against 14 000, system CPU 0.25-0.35 s against 0.08-0.14 s), and
14 000 to 40 000 page faults when called a few frames deeper or shallower. This is CPython's
issue gh-142183 ("Calls across stack chunks perform badly"), fixed in March 2026 by keeping
one freed chunk per thread for the next crossing (gh-145789, backported to 3.13 as
gh-146123); 3.11, which this project supports, keeps none.

:func:`with_stack_room` calls through a frame whose code declares an evaluation stack far
larger than it uses (``co_stacksize``): CPython maps a chunk large enough for that frame
(1 MiB) on entering it, and every frame of the call and of what it calls goes in the half
of the chunk the frame leaves free (512 KiB, the frames of a few thousand nested calls), so
nothing is mapped or unmapped until it returns. The declared stack is never written: it
costs address space, no memory. Elsewhere (another Python, or a code object that cannot be
changed) the call is made as usual; the result is the same either way.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import TypeVar

__all__ = ["with_stack_room"]

T = TypeVar("T")

#: the evaluation stack the calling frame declares, in slots (8 bytes): CPython maps a chunk
#: of 16 KiB doubled until it holds the frame and 1 000 slots more, so a frame just over
#: 64 Ki slots (512 KiB) gets a chunk of 1 MiB with 512 KiB left for the call's own frames
ROOM_SLOTS = 64 * 1024


def _call(function: Callable[[], T]) -> T:
    return function()


def _with_declared_stack(call: Callable[[Callable[[], T]], T]
                         ) -> Callable[[Callable[[], T]], T]:
    """``call`` with its code's stack made :data:`ROOM_SLOTS` deep; ``call`` itself where
    that cannot be done."""
    if sys.implementation.name != "cpython":
        return call
    try:
        code = call.__code__.replace(co_stacksize=ROOM_SLOTS)
    except (AttributeError, TypeError, ValueError):
        return call
    roomy: Callable[[Callable[[], T]], T] = types.FunctionType(
        code, call.__globals__, call.__name__)
    return roomy


_call_with_room = _with_declared_stack(_call)


def with_stack_room(function: Callable[[], T]) -> T:
    """``function()``, its frames (and those of everything it calls) kept in one chunk of
    CPython's frame stack mapped once, instead of chunks mapped and unmapped each time a
    deep recursion crosses from one into the next."""
    return _call_with_room(function)
