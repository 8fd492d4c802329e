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

import contextlib
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson
import pandas as pd

from envreport.results.trail import TrailRecords, first_positions, trail_columns

#: lists longer than this are written one entry per line: the indenting encoder is pure
#: Python and took 9 s for a 100 000-row trail
ONE_LINE_PER_ENTRY = 200

#: trail rows encoded at once: bounds the text held in memory (about 12 MB per chunk; half
#: the memory a process touches afresh for 50 000 rows, and a fifth less system time in the
#: build's writer of results.json, whose new pages each cost a fault)
CHUNK_ROWS = 25_000

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


#: what a build's writer of results.json holds of the trail's text in memory while it waits
#: for the rest of the results; the text beyond it waits in a temporary file (see
#: write_results_json_from_trail). A 100 000-row build's rest comes 0.2 s after the trail,
#: with about 50 MB encoded: written to the temporary file and copied again it cost the
#: writer 0.06-0.1 s of system time (8 MB held)
HOLD_BYTES = 64 << 20

# results_json_parts: where the trail's text goes (compared by identity)
_TRAIL_MARK = bytes(bytearray(b"trail"))


def results_json_parts(results: Any) -> tuple[bytes, bytes]:
    """results.json's bytes before and after the trail's text (the ``calculations`` value)."""
    before: list[bytes] = []
    after: list[bytes] | None = None  # once the trail's place is passed
    for piece in iter_results_json(results, _TRAIL_MARK):
        if piece is _TRAIL_MARK:
            after = []
        else:
            (before if after is None else after).append(piece)
    if after is None:
        raise ValueError("these results have no calculation trail")
    return b"".join(before), b"".join(after)


def write_results_json_from_trail(trail: pd.DataFrame, path: Path,
                                  parts: Callable[[], tuple[bytes, bytes] | None],
                                  wait: Callable[[], tuple[bytes, bytes]],
                                  hold: int = HOLD_BYTES,
                                  share: Callable[[int, int], int] | None = None) -> None:
    """results.json written from its trail, started before the rest of the results exists.

    The trail's text is encoded at once, never waiting: the file is begun once ``parts()``
    gives the results' bytes before and after it (:func:`results_json_parts`); until then
    up to ``hold`` bytes of the trail's text are held in memory and the rest is written to
    an unnamed temporary file beside ``path`` (copied into the file by the kernel once it is
    begun), and ``wait()`` blocks for the parts only once the whole trail is encoded. The
    bytes are those of :func:`write_results_json` for the same results.

    ``share(next, count)``, asked before each chunk of a long trail (:func:`trail_chunks`):
    the chunk this writer stops before (``count``: it writes them all). Once it says less,
    the file ends with the chunk before it, and another process appends the rest of the
    chunks, :data:`TRAIL_LIST_END` and the results after the trail.
    """
    # An earlier build's results.json is emptied now, while the rest of the results is
    # computed, not when the file is begun: emptying a file whose pages the kernel is still
    # writing out waits for them (0.05 s for 100 MB written 12 s before, as by the build
    # before this one into the same folder), which at the end kept the build waiting. (A
    # file that cannot be emptied is left to the opening below, which says why.)
    with contextlib.suppress(OSError):
        os.truncate(path, 0)
    held: list[bytes] = []
    size = 0
    file: BinaryIO | None = None
    spilled: BinaryIO | None = None  # the text beyond ``hold``, while the parts are awaited
    tail = b""

    def begin(ready: tuple[bytes, bytes]) -> BinaryIO:
        """The file begun: the results before the trail, then the trail's text so far
        (``file`` is set at once, so that it is closed whatever fails)."""
        nonlocal file, tail
        head, tail = ready
        file = begun = path.open("wb")
        begun.write(head)
        # each held piece written as it is and let go (joined first, they were a copy of up
        # to HOLD_BYTES in fresh memory: a page fault per 4 KiB, 0.05 s of system time at
        # 100 000 rows); the memory let go holds the next pieces
        held.reverse()
        while held:
            begun.write(held.pop())
        if spilled is not None:
            begun.flush()
            _copy_file(spilled, begun)
        return begun

    shared = False  # the chunks from some point on are another process's

    def pieces() -> Iterator[bytes]:
        nonlocal shared
        count = trail_chunk_count(trail)
        if share is None or count == 0:
            yield from _value_pieces(trail)
            return
        yield TRAIL_LIST_START
        chunks = trail_chunks(trail, 0, count)
        for number in range(count):
            if share(number, count) <= number:
                shared = True
                return
            yield next(chunks)
        yield TRAIL_LIST_END

    try:
        for piece in pieces():
            if file is None:
                ready = parts()
                if ready is None:
                    if spilled is None and size + len(piece) <= hold:
                        held.append(piece)
                        size += len(piece)
                    else:
                        if spilled is None:
                            spilled = tempfile.TemporaryFile(dir=path.parent)
                        spilled.write(piece)
                    continue
                file = begin(ready)
            file.write(piece)
        if file is None:
            file = begin(wait())
        if not shared:
            file.write(tail)
    finally:
        if file is not None:
            file.close()
        if spilled is not None:
            spilled.close()


def _copy_file(source: BinaryIO, target: BinaryIO) -> None:
    """All of ``source`` appended to ``target`` (flushed), by the kernel where it can
    (``copy_file_range``: no pass through this process's memory)."""
    source.flush()
    source.seek(0)
    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is not None:
        copied = 0
        try:
            while count := copy_range(source.fileno(), target.fileno(), 1 << 30):
                copied += count
            target.seek(0, os.SEEK_END)  # the buffered file's position after the copy
            return
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            # the rest read back from where the kernel stopped (it refuses at the first call,
            # before it copies anything, on a file system it cannot copy on)
            source.seek(copied)
            target.seek(0, os.SEEK_END)
    shutil.copyfileobj(source, target, 16 << 20)


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
    yield TRAIL_LIST_START
    yield from trail_chunks(trail, 0, trail_chunk_count(trail))
    yield TRAIL_LIST_END


#: what a long trail's list begins and ends with, around its chunks (:func:`trail_chunks`)
TRAIL_LIST_START, TRAIL_LIST_END = b"[\n", b"\n  ]"


def trail_chunk_count(trail: pd.DataFrame) -> int:
    """How many chunks of :data:`CHUNK_ROWS` entries a long trail's text is made of (none
    for a short one, written whole: see :func:`_trail_list`)."""
    return 0 if len(trail) <= ONE_LINE_PER_ENTRY else -(-len(trail) // CHUNK_ROWS)


def trail_chunks(trail: pd.DataFrame, first: int, end: int) -> Iterator[bytes]:
    """The text of a long trail's chunks ``first`` to ``end`` (excluded), each the same
    bytes whoever encodes it and whatever was encoded before (two processes may share the
    chunks: ``pipeline.TrailBeingWritten``)."""
    keys = trail_columns(trail)
    many_numbers: set[str] = set()  # float columns found many-valued in an earlier chunk
    for number in range(first, end):
        start = number * CHUNK_ROWS
        text = _entry_lines(trail.iloc[start:start + CHUNK_ROWS], keys, many_numbers)
        # every entry begins with the separator: the list's first has the indent alone
        yield (text[len(ENTRY_SEPARATOR) - len("    "):] if start == 0 else text).encode()


#: what comes before each entry of a long list (the list's first: the indent alone)
ENTRY_SEPARATOR = ",\n    "


def _entry_lines(chunk: pd.DataFrame, keys: list[str], many_numbers: set[str]) -> str:
    """The chunk's entries, each ``ENTRY_SEPARATOR{"sheet": ..., ...}``, as one text.

    Each entry is cut into pieces: a value of a column with many distinct values (the row,
    the computed numbers) is a piece of its own, and the text between two such values (keys,
    punctuation and the few-valued columns: sheet, project, fuel, units, factor, GWP, ...) is
    one piece, made once per distinct combination of its values. The pieces are then joined
    by one ``str.join``: no Python code runs per entry (a format per entry took twice as long).
    A float column found many-valued in one chunk is written value by value in the next
    ones, without counting its values again (``many_numbers``: the text is the same either
    way, only the work differs).
    """
    length = len(chunk)
    pieces: list[list[str]] = []
    # the text since the last many-valued column: literal text and few-valued columns
    between: list[str | _FewValues] = [ENTRY_SEPARATOR + "{"]
    for number, key in enumerate(keys):
        between.append((", " if number else "") + _dump(key) + ": ")
        column = chunk[key]
        value = _json_column(column, key not in many_numbers)
        if isinstance(value, _FewValues):
            between.append(value)
        else:
            if column.dtype.kind == "f":
                many_numbers.add(key)
            pieces += [_joined(between, length), value]
            between = []
    between.append("}")
    pieces.append(_joined(between, length))
    interleaved: list[str] = [""] * (length * len(pieces))
    for position, piece in enumerate(pieces):
        interleaved[position::len(pieces)] = piece
    return "".join(interleaved)


class _FewValues:
    """A column with few distinct values: each entry's code into their JSON texts."""

    def __init__(self, codes: np.ndarray, texts: list[str]) -> None:
        self.codes, self.texts = codes, texts  # code -1: missing, written null


def _joined(parts: list[str | _FewValues], length: int) -> list[str]:
    """Each entry's text of ``parts`` (literal text and few-valued columns, in order), made
    once per distinct combination of the columns' values."""
    columns = [part for part in parts if isinstance(part, _FewValues)]
    if not columns:
        return ["".join(part for part in parts if isinstance(part, str))] * length
    # the combination's code: mixed radix over the columns' codes, factorized down to
    # 0..count-1 (and before it could overflow)
    combined, size = np.zeros(length, dtype=np.int64), 1
    for column in columns:
        radix = len(column.texts) + 1
        if size * radix >= 1 << 62:
            combined = pd.factorize(combined)[0].astype(np.int64)
            size = int(combined.max()) + 1
        combined, size = combined * radix + (column.codes + 1), size * radix
    combined = pd.factorize(combined)[0]
    first = first_positions(combined)  # where each combination first occurs
    count = len(first)
    # each part's text in each combination (a column's code -1, missing: null)
    texts_of = [[part] * count if isinstance(part, str) else
                np.array([*part.texts, "null"], dtype=object)[part.codes[first]].tolist()
                for part in parts]
    texts = list(map("".join, zip(*texts_of, strict=True)))
    looked_up: list[str] = np.array(texts, dtype=object)[combined].tolist()
    return looked_up


def _json_column(column: pd.Series, count_numbers: bool = True) -> list[str] | _FewValues:
    """The JSON text of each value of ``column``, as ``json.dumps`` writes the value
    :class:`TrailRecords` gives for it (NaN and missing values: ``null``): for a column of
    few distinct values, their texts and each entry's code (floats: unless not
    ``count_numbers``)."""
    kind = column.dtype.kind
    if kind == "f":
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.isinf(values).any():
            raise ValueError("Out of range float values are not JSON compliant")
        if not count_numbers:
            return float_texts(values)
        # Factors, GWPs and shares repeat a lot: each distinct number written once (-0.0 and
        # 0.0 are one for factorize, so a column with -0.0 is written value by value).
        number_codes, numbers = pd.factorize(values, use_na_sentinel=True)
        if _few(len(numbers), len(values)) and not np.any((values == 0) & np.signbit(values)):
            return _FewValues(number_codes, float_texts(numbers))
        return float_texts(values)
    if kind in "iu" and not column.hasnans:
        integers = np.ascontiguousarray(column.to_numpy(dtype="int64"))  # orjson needs it so
        return orjson.dumps(integers, option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
    if kind == "b" and not column.hasnans:
        return _FewValues(column.to_numpy().astype(np.int64), ["false", "true"])
    # Text and mixed columns: encoded once per distinct value (a category's codes are used
    # as they are; texts of unused categories are never looked up).
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, distinct = column.cat.codes.to_numpy(), list(column.cat.categories)
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        distinct = list(uniques)
    if not all(type(v) is str for v in distinct):  # numbers mixed in: 1 and 1.0 and True
        return [_dump(v) for v in TrailRecords.column_values(column)]  # factorize as one
    texts = list(map(_dump, distinct))
    if _few(len(texts), len(column)):
        return _FewValues(np.asarray(codes, dtype=np.int64), texts)
    looked_up: list[str] = np.array([*texts, "null"], dtype=object)[codes].tolist()
    return looked_up  # code -1 (missing) takes the last: null


def _few(distinct: int, length: int) -> bool:
    """Whether a column of ``length`` entries with ``distinct`` values is written through
    the combinations of few-valued columns (:func:`_joined`) rather than value by value: the
    combinations of many-valued ones would be nearly as many as the entries."""
    return distinct * 16 <= length


def float_texts(values: np.ndarray) -> list[str]:
    """``repr`` of each float of ``values`` (NaN: ``null``), as ``json.dumps`` writes it,
    made by orjson (ten times faster than ``float.__repr__`` per value).

    orjson writes the same shortest round-trip digits as ``repr`` (both are correctly
    rounded), and the same text from 1e-4 to 1e16; outside that range the two differ
    (``0.00001`` and ``1e-5`` against ``1e-05``), so those values are written by ``repr``.
    :data:`ORJSON_WRITES_REPR` checks the agreement once on awkward values.
    """
    if not ORJSON_WRITES_REPR:
        return ["null" if v != v else float.__repr__(v) for v in values.tolist()]
    values = np.ascontiguousarray(values, dtype=np.float64)  # orjson needs it so
    texts = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
    magnitude = np.abs(values)
    # 0.0 and -0.0 are written alike; NaN compares false everywhere: stays null
    outside = np.flatnonzero(((magnitude >= 1e16) | (magnitude < 1e-4)) & (magnitude != 0))
    for position, value in zip(outside.tolist(), values[outside].tolist(), strict=True):
        texts[position] = float.__repr__(value)
    return texts


def _orjson_writes_repr() -> bool:
    awkward = [0.1 + 0.2, 1e-4, 0.00012345678901234, 123.0, -0.0, 0.0, 9999999999999998.0,
               1e15, 2 / 3, 5e-4, 1234567.125, 1234567890123456.8, -42.5]
    written = orjson.dumps(np.array(awkward), option=orjson.OPT_SERIALIZE_NUMPY)
    return written.decode() == "[" + ",".join(map(float.__repr__, awkward)) + "]"


#: orjson writes these numbers as ``repr`` does (else every float is written by ``repr``)
ORJSON_WRITES_REPR = _orjson_writes_repr()
