"""A call given its own room on CPython's frame stack (envreport.stack_room): the same result
and errors, and a recursion that goes up and down across a 16 KiB chunk's end no longer
maps a chunk (and faults its pages in) at each crossing, however deep the caller is."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable

import pytest

from envreport.stack_room import with_stack_room

cpython = pytest.mark.skipif(sys.implementation.name != "cpython",
                             reason="CPython's frame stack")

DESCENTS = 500


def _down(depth: int) -> int:
    return 0 if depth == 0 else _down(depth - 1) + 1


def _up_and_down() -> int:
    """500 descents 300 calls deep: 300 frames of ``_down`` (a dozen slots of 8 bytes each)
    are more than one 16 KiB chunk, so each descent crosses at least one chunk's end."""
    return sum(_down(300) for _ in range(DESCENTS))


def _page_faults(call: Callable[[], object]) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _deeper(depth: int, call: Callable[[], object]) -> object:
    return call() if depth == 0 else _deeper(depth - 1, call)


def test_the_call_returns_what_the_function_returns() -> None:
    assert with_stack_room(_up_and_down) == 300 * DESCENTS
    assert with_stack_room(lambda: "drawn") == "drawn"


def test_the_functions_error_is_raised() -> None:
    def fails() -> None:
        raise ValueError("no room")

    with pytest.raises(ValueError, match="no room"):
        with_stack_room(fails)


@cpython
def test_a_deep_recursion_maps_no_chunk_at_each_crossing() -> None:
    """Called as usual, each descent maps a fresh chunk and faults at least a page of it in;
    with room, one chunk is mapped for the whole call (its few used pages faulted in once),
    at every depth of the caller (where a chunk ends depends on it)."""
    assert _page_faults(_up_and_down) >= DESCENTS
    for depth in range(0, 40, 3):
        assert _page_faults(lambda depth=depth: _deeper(
            depth, lambda: with_stack_room(_up_and_down))) < 50, depth
