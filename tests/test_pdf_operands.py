"""pydyf's operands written by the stand-in while a PDF is drawn: pydyf's bytes for every
value, the same PDF, and pydyf's own function whenever the stand-in cannot be trusted."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pydyf
import pytest

from envreport.render import pdf as pdf_module
from envreport.render.pdf_operands import _stand_in, operands_written_faster


class Name(str):
    """A string subclass (pydyf writes it through ``str()``)."""


def values() -> list[Any]:
    """What reaches ``_to_bytes``, and what could: bytes, strings, every kind of float and
    int, and the types the stand-in hands to pydyf (a bool, a float, an int and a str
    subclass, pydyf's objects, a Decimal)."""
    pick = random.Random(14)
    floats = [pick.uniform(-10.0 ** e, 10.0 ** e) for e in range(-8, 17) for _ in range(40)]
    floats += [round(pick.uniform(-1000, 1000), d) for d in range(8) for _ in range(40)]
    floats += [0.0, -0.0, 1.0, -1.0, 0.5, 1e-7, -1e-7, 5e-7, 4.9999995e-7, 0.0000005,
               2.5e-6, 1e16, 1e22, 1e300, -1e300, 123456.0000005, float("inf"),
               float("-inf"), 0.1 + 0.2, 1 / 3, 2 / 3, 595.2756, 841.8898]
    ints = [0, 1, -1, 7, 255, 65535, -2**31, 2**70, *(pick.randint(-10**9, 10**9)
                                                     for _ in range(200))]
    others = [b"", b"BT", b"/F1 12 Tf", True, False, "/Name", "", Name("/F2"), np.float64(1.5),
              np.float64(3.0), np.int64(4), Decimal("1.25"), pydyf.Array([1, 2.5, b"x"]),
              pydyf.Dictionary({"Type": "/Page", "Width": 595.2756}), pydyf.String("(a)"),
              pydyf.String("环境报告")]
    return [*floats, *ints, *others]


def test_the_stand_in_writes_every_value_as_pydyf_does() -> None:
    pydyfs = pydyf._to_bytes
    stand_in = _stand_in(pydyfs)
    differ = [v for v in values() if stand_in(v) != pydyfs(v)]
    assert differ == []
    assert [stand_in(v) for v in (2.0, -0.5, 1e-7, 12)] == [b"2", b"-0.5", b"0.", b"12"]
    assert stand_in(True) == b"True"  # (pydyf's, through its function)
    for function in (pydyfs, stand_in):  # a String of other letters is written in UTF-16
        with pytest.raises(UnicodeEncodeError):
            function("环境")


def test_the_stand_in_is_in_place_only_inside() -> None:
    pydyfs = pydyf._to_bytes
    with operands_written_faster():
        assert pydyf._to_bytes is not pydyfs
        assert pydyf.Stream(stream=[b"q", 1.5]).data == (
            b"<</Length 5>>\nstream\nq\n1.5\nendstream")
        with operands_written_faster():  # a second write meanwhile: nothing more replaced
            inner = pydyf._to_bytes
        assert pydyf._to_bytes is inner
    assert pydyf._to_bytes is pydyfs


def test_the_stand_in_is_put_back_after_an_error() -> None:
    pydyfs = pydyf._to_bytes
    with pytest.raises(RuntimeError), operands_written_faster():
        raise RuntimeError
    assert pydyf._to_bytes is pydyfs
    with operands_written_faster():  # and the next write stands in again
        assert pydyf._to_bytes is not pydyfs


def test_another_pydyf_keeps_its_own_function(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_format(item: Any) -> bytes:  # another pydyf: three decimals
        return f"{item:.3f}".encode() if isinstance(item, float) else str(item).encode()

    def other_signature(item: Any, precision: int = 6) -> bytes:
        return str(item).encode()

    for function in (other_format, other_signature):
        monkeypatch.setattr(pydyf, "_to_bytes", function)
        with operands_written_faster():
            assert pydyf._to_bytes is function
        assert pydyf._to_bytes is function


PAGE = ("<!doctype html><html lang='en'><body><h1>Emissions 2025</h1>"
        "<table style='border-collapse:collapse'><tr><th>Scope 1</th><td>1,234.5</td></tr>"
        "<tr><td style='border-bottom:0.7px solid #999'>Scope 2</td><td>0.125</td></tr></table>"
        "<svg width='120' height='40' viewBox='0 0 120 40'><path d='M 1.25 2.5 L 100.333 "
        "30.1 z' fill='#1b6f5c' stroke='#000' stroke-width='0.8'/><text x='3.3' y='20.7' "
        "font-size='9px' transform='rotate(-45 3.3 20.7)'>2025-01</text></svg></body></html>")


def test_a_pdf_is_the_same_file_with_the_stand_in(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pydyfs = pydyf._to_bytes
    created = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    attachments = [("results.json", b'{"total": 12.5}', "Every figure")]
    faster, plain = tmp_path / "faster.pdf", tmp_path / "plain.pdf"
    stood_in = []

    @contextlib.contextmanager
    def watched() -> Iterator[None]:
        with operands_written_faster():
            stood_in.append(pydyf._to_bytes is not pydyfs)
            yield

    monkeypatch.setattr(pdf_module, "operands_written_faster", watched)
    pdf_module.write_pdf(PAGE, faster, attachments=attachments, created=created)
    assert stood_in == [True]
    monkeypatch.setattr(pdf_module, "operands_written_faster", contextlib.nullcontext)
    pdf_module.write_pdf(PAGE, plain, attachments=attachments, created=created)
    assert faster.read_bytes() == plain.read_bytes()
    assert pydyf._to_bytes is pydyfs  # (nothing left in place)
