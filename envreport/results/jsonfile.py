"""results.json as bytes or a file: stable key order, the trail encoded column by column.

The layout: an indented object, and any list longer than :data:`ONE_LINE_PER_ENTRY` written
one compact entry per line (``{"sheet": "Fuel", "row": 2, ...}``), which still diffs and greps
well. The trail (``calculations``) is encoded straight from its DataFrame, a chunk of rows at
a time: each column's values become JSON text once per distinct value (text columns) or with
one C call per value (numbers), and the entries are formatted from those columns. No dict per
entry is ever made, and a file is written as it is encoded: a 500 000-row workbook's trail is
about half a gigabyte of JSON, which is never held whole.

The bytes are exactly those of ``json.dumps`` on :meth:`~envreport.results.Results.to_json_dict`
laid out as above (a test compares them on every sample).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from envreport.results.trail import TrailRecords, trail_columns

#: lists longer than this are written one entry per line: the indenting encoder is pure
#: Python and took 9 s for a 100 000-row trail
ONE_LINE_PER_ENTRY = 200

#: trail rows encoded at once: bounds the text held in memory (about 25 MB per chunk)
CHUNK_ROWS = 50_000

# One encoder for every entry of a long list (json.dumps would build a new one per call).
_encode_entry = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                                 separators=(", ", ": ")).encode


def _dump(value: Any, **options: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, **options)


def iter_results_json(results: Any, trail_text: bytes | None = None) -> Iterator[bytes]:
    """results.json's bytes in pieces. ``results`` is the model (its trail is encoded from the
    DataFrame) or the JSON form (a dict).

    ``trail_text`` is the ``calculations`` value as :func:`trail_json` encoded it for these
    same results: written as given, not encoded again (``build --ledger`` stores results.json
    in the ledger, then writes it with the ledger's periods added, the trail unchanged).
    """
    if isinstance(results, dict):
        sections: Iterator[tuple[str, Any]] = iter(results.items())
    else:
        sections = _model_sections(results)
    yield b"{\n"
    for index, (key, value) in enumerate(sections):
        yield (b",\n" if index else b"") + f"  {_dump(key)}: ".encode()
        if key == "calculations" and trail_text is not None:
            yield trail_text
        else:
            yield from _value_pieces(value)
    yield b"\n}\n"


def _value_pieces(value: Any) -> Iterator[bytes]:
    """One top-level value of results.json, laid out as the module docstring says."""
    if isinstance(value, pd.DataFrame):
        yield from _trail_list(value)
    elif isinstance(value, list | TrailRecords) and len(value) > ONE_LINE_PER_ENTRY:
        yield from _long_list(value)
    else:
        if isinstance(value, TrailRecords):  # a short trail: written as a list would be
            value = list(value)
        yield _dump(value, indent=2).replace("\n", "\n  ").encode()


def results_json(results: Any, trail_text: bytes | None = None) -> bytes:
    """results.json's bytes: UTF-8, stable key order, so two runs give identical files."""
    return b"".join(iter_results_json(results, trail_text))


def write_results_json(results: Any, path: Path, trail_text: bytes | None = None) -> None:
    """Write results.json to ``path`` as it is encoded (never held whole in memory)."""
    with path.open("wb") as file:
        _write_all(iter_results_json(results, trail_text), file)


def trail_json(results: Any) -> bytes:
    """The ``calculations`` value of results.json as :func:`results_json` writes it (without
    the key), for writing the same trail into several documents with one encoding."""
    if isinstance(results, dict):
        value = results.get("calculations")
    else:
        value = results.calculations if "calculations" in results.model_fields_set else None
    return b"".join(_value_pieces(value))


def _write_all(pieces: Iterator[bytes], file: BinaryIO) -> None:
    # Small pieces are gathered into one write: a system call per key would be wasteful.
    pending: list[bytes] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            file.write(b"".join(pending))
            pending, size = [], 0
    file.write(b"".join(pending))


def _model_sections(results: Any) -> Iterator[tuple[str, Any]]:
    """The model's keys in contract order, as :meth:`Results.to_json_dict` writes them, with
    the trail left a DataFrame."""
    from envreport.results.models import _dump as dump_section

    for name in type(results).model_fields:
        if name not in results.model_fields_set:
            continue
        value = getattr(results, name)
        yield name, value if name == "calculations" else dump_section(value)


def _long_list(value: Any) -> Iterator[bytes]:
    yield b"[\n"
    for number, entry in enumerate(value):
        yield (",\n    " if number else "    ").encode() + _encode_entry(entry).encode()
    yield b"\n  ]"


def _trail_list(trail: pd.DataFrame) -> Iterator[bytes]:
    """The trail as a JSON list, one entry per line when it is long (as :func:`_long_list`)."""
    if len(trail) <= ONE_LINE_PER_ENTRY:  # short: indented like any other list
        yield _dump(list(TrailRecords(trail)), indent=2).replace("\n", "\n  ").encode()
        return
    keys = trail_columns(trail)
    # "{"sheet": %s, "row": %s, ...}": one format per entry, done in C by str.__mod__
    template = "{" + ", ".join(f"{_dump(key)}: %s" for key in keys) + "}"
    yield b"[\n"
    for start in range(0, len(trail), CHUNK_ROWS):
        chunk = trail.iloc[start:start + CHUNK_ROWS]
        columns = [json_texts(chunk[key]) for key in keys]
        entries = map(template.__mod__, zip(*columns, strict=True))
        text = ",\n    ".join(entries)
        yield ((",\n    " if start else "    ") + text).encode()
    yield b"\n  ]"


def json_texts(column: pd.Series) -> list[str]:
    """Each value of ``column`` as JSON text, as ``json.dumps`` writes the value
    :class:`TrailRecords` gives for it (NaN and missing values: ``null``)."""
    kind = column.dtype.kind
    if kind == "f":
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.isinf(values).any():
            raise ValueError("Out of range float values are not JSON compliant")
        # Factors, GWPs and shares repeat a lot: each distinct number written once (-0.0 and
        # 0.0 are one for factorize, so a column with -0.0 is written value by value).
        number_codes, numbers = pd.factorize(values, use_na_sentinel=True)
        if 2 * len(numbers) < len(values) and not np.any((values == 0) & np.signbit(values)):
            written = np.array([*map(float.__repr__, numbers.tolist()), "null"], dtype=object)
            repeated: list[str] = written[number_codes].tolist()  # code -1 (NaN): null
            return repeated
        texts = list(map(float.__repr__, values.tolist()))
        for position in np.flatnonzero(np.isnan(values)).tolist():
            texts[position] = "null"
        return texts
    if kind in "iu" and not column.hasnans:
        return list(map(int.__repr__, column.to_numpy().tolist()))
    if kind == "b" and not column.hasnans:
        return ["true" if v else "false" for v in column.to_numpy().tolist()]
    # Text and mixed columns: encoded once per distinct value, then looked up.
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    distinct = list(uniques)
    if not all(type(v) is str for v in distinct):  # numbers mixed in: 1 and 1.0 and True
        return [_dump(v) for v in TrailRecords.column_values(column)]  # factorize as one
    encoded = np.array([*map(_dump, distinct), "null"], dtype=object)
    looked_up: list[str] = encoded[codes].tolist()  # code -1 (missing) takes the last: null
    return looked_up
