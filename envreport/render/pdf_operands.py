"""pydyf's writing of PDF operands, the same bytes made faster while a PDF is drawn.

WeasyPrint draws a page through pydyf's stream operators (``move_to``, ``set_text_matrix``,
``set_color_rgb``...), each of which writes its numbers with ``pydyf._to_bytes``, as pydyf
writes every dictionary, array and stream when the file is written: about 60 000 calls for
a 14-page report, most of them floats going through three ``isinstance`` tests, a text
format and an ASCII encoding. :func:`operands_written_faster` puts a stand-in for it in
place while inside: exact ``bytes``, ``int``, ``float`` and ``str`` values are written
directly as bytes, in pydyf's own form (an integral float as an integer, any other with six
decimals, trailing zeros dropped; a string in ASCII); anything else (a subclass, a bool, a
PDF object) goes to pydyf's function. The PDF is the same file, byte for byte.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pydyf


def _stand_in(pydyfs: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    """A ``_to_bytes`` giving ``pydyfs``'s bytes, faster for exact bytes, ints and floats."""

    def to_bytes(item: Any, _bytes: type = bytes, _float: type = float, _int: type = int,
                 _str: type = str, _type: type = type) -> bytes:
        kind = _type(item)
        if kind is _bytes:
            return item  # type: ignore[no-any-return]
        if kind is _float:
            if item.is_integer():
                return b"%d" % item
            return (b"%f" % item).rstrip(b"0")
        if kind is _int:  # (not bool: pydyf writes True as "True")
            return b"%d" % item
        if kind is _str:  # (a String with other letters catches the UnicodeEncodeError)
            return item.encode("ascii")  # type: ignore[no-any-return]
        return pydyfs(item)

    return to_bytes


#: values the stand-in must write as pydyf does before it is used: an integral float, the
#: sign of zero, rounding at the sixth decimal, a value too small for six decimals (pydyf
#: writes "0."), large and special values, and ints
_PROBES = (0.0, -0.0, 1.0, -3.0, 0.5, 12.345678, 2.0000004, -0.1234565, 1e-07, 1e16,
           123456789.125, float("inf"), float("nan"), 0, -7, 2**70, "/F1", "")
#: the parameters of the function stood in for (as checked in pydyf 0.13.0)
_PARAMETERS = ("item",)
#: held while the stand-in is in place: a second write at the same time (another thread)
#: must not take the stand-in for pydyf's function and leave it in place after
_STANDING_IN = threading.Lock()


@contextmanager
def operands_written_faster() -> Iterator[None]:
    """While inside, ``pydyf._to_bytes`` is the stand-in (module docstring), put back after.
    Left alone when pydyf's function has another signature or writes any of the probe values
    otherwise (another pydyf), or while another write stands in for it: the same PDF then,
    only made a little slower."""
    pydyfs: Callable[[Any], bytes] | None = getattr(pydyf, "_to_bytes", None)
    if (pydyfs is None or tuple(inspect.signature(pydyfs).parameters) != _PARAMETERS
            or not _STANDING_IN.acquire(blocking=False)):
        yield
        return
    try:
        stand_in = _stand_in(pydyfs)
        if any(stand_in(probe) != pydyfs(probe) for probe in _PROBES):
            yield
            return
        pydyf._to_bytes = stand_in
        try:
            yield
        finally:
            pydyf._to_bytes = pydyfs
    finally:
        _STANDING_IN.release()
