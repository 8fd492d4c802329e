"""Reading the columnar trail for the report, without a Python object per entry.

The sections that summarise the trail (the appendix, the factors used, the grid factors)
group and order its entries by keys such as ``str(fuel or "")``. Those keys are computed
here once per distinct value of a column and spread over the entries with numpy; only the
few entries a section prints become dicts (:func:`entries_at`). The values are those of
:class:`~envreport.results.TrailRecords`: NaN and missing are ``None``. One
:class:`TrailKeys` per trail keys each column once for every section of a report (a section
that reads some of the entries takes their keys :meth:`~EntryKeys.at` their positions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from envreport.results import TrailRecords
from envreport.results.trail import first_positions

#: the integer type of the entries' codes: a report's keys are held while its sections are
#: made (a dozen columns of a million entries at 500 000 input rows), and none has 2**31
#: distinct values
CODE_DTYPE = np.int32


class EntryKeys:
    """Each entry's key, held as ``codes`` (each entry's number among the distinct keys:
    equal numbers, equal keys) into ``distinct``: grouping and sorting by the keys use the
    integers, and no Python object is made per entry."""

    def __init__(self, codes: np.ndarray, distinct: Sequence[Any]) -> None:
        # ``distinct`` a range: the keys are its numbers, in order (:func:`_whole_numbers`)
        self.codes, self.distinct = codes, distinct

    @classmethod
    def of(cls, keys: list[Any]) -> EntryKeys:
        """The keys given one per entry."""
        return _keyed(np.arange(len(keys), dtype=CODE_DTYPE), keys)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, position: int) -> Any:
        return self.distinct[self.codes[position]]

    def at(self, positions: np.ndarray) -> EntryKeys:
        """The keys of the entries at ``positions`` (some of the trail's entries, in order)."""
        return EntryKeys(self.codes[positions], self.distinct)

    def equals(self, value: Any) -> np.ndarray:
        """Whether each entry's key is ``value``."""
        matches = np.array([key == value for key in self.distinct], dtype=bool)
        on: np.ndarray = matches[self.codes]
        return on

    def map(self, key: Callable[[Any], Any]) -> EntryKeys:
        """``key`` of each entry's key, computed once per distinct key."""
        return _keyed(self.codes, [key(value) for value in self.distinct])


def per_entry(column: pd.Series, key: Callable[[Any], Any]) -> EntryKeys:
    """``key(value)`` for each entry of ``column``, computed once per distinct value (a
    float column with -0.0 value by value: 0.0 and -0.0 differ in ``repr``, factorize
    makes them one)."""
    kind = column.dtype.kind
    if key is number_or_zero and kind == "i" and (
            whole := _whole_numbers(column.to_numpy(dtype=np.int64))) is not None:
        return whole
    distinct: list[Any]
    if isinstance(column.dtype, pd.CategoricalDtype) and all(
            type(value) is str for value in column.cat.categories):
        # the trail's text columns: already numbered (-1 for missing), nothing to hash
        codes, distinct = column.cat.codes.to_numpy(), column.cat.categories.tolist()
    elif kind == "f":
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.any((values == 0) & np.signbit(values)):
            return EntryKeys.of(list(map(key, TrailRecords.column_values(column))))
        codes, numbers = pd.factorize(values, use_na_sentinel=True)
        distinct = numbers.tolist()
    elif kind in "iub" and not column.hasnans:
        codes, numbers = pd.factorize(column.to_numpy(), use_na_sentinel=True)
        distinct = numbers.tolist()
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        distinct = list(uniques)
        if not all(type(value) is str for value in distinct):  # numbers mixed in: 1, 1.0
            return EntryKeys.of(list(map(key, TrailRecords.column_values(column))))
    codes = np.asarray(codes, dtype=CODE_DTYPE)
    if np.any(codes < 0):  # a missing value: the last key, key(None), asked only then
        return _keyed(np.where(codes < 0, len(distinct), codes),
                      [*map(key, distinct), key(None)])
    return _keyed(codes, list(map(key, distinct)))


class TrailKeys:
    """The keys of one trail's entries, each column keyed once by each key function and
    shared by every section of a report: they group and sort by the same columns (the fuel,
    the factor's source, the factor), each keying 200 000 entries at 100 000 input rows.
    ``key`` is a named function (a lambda made at each call would never be found again)."""

    def __init__(self, trail: pd.DataFrame) -> None:
        self.trail = trail
        self._made: dict[tuple[str, Callable[[Any], Any]], EntryKeys] = {}

    def __call__(self, column: str, key: Callable[[Any], Any]) -> EntryKeys:
        """:func:`per_entry` of the trail's ``column`` by ``key``, made at the first call."""
        made = self._made.get((column, key))
        if made is None:
            made = self._made[(column, key)] = per_entry(self.trail[column], key)
        return made


def _keyed(codes: np.ndarray, keyed: list[Any]) -> EntryKeys:
    """Entries with ``codes`` into values whose keys are ``keyed``: distinct values can
    share a key (None and "" are both ""), so the keys are numbered again."""
    # np.array would make a 2-D array of tuple keys: fill an object array instead
    array = np.empty(len(keyed), dtype=object)
    array[:] = keyed
    key_codes, distinct = pd.factorize(array, use_na_sentinel=False)
    if len(distinct) == len(keyed):  # no two share a key: the entries' codes stand
        return EntryKeys(codes, keyed)
    return EntryKeys(np.asarray(key_codes, dtype=CODE_DTYPE)[codes], list(distinct))


def _whole_numbers(values: np.ndarray) -> EntryKeys | None:
    """Integers keyed by :func:`number_or_zero` (each is its own key, 0 too): numbered by
    their distance from the smallest, so that the numbers are also their order (a row
    number each: 100 000 distinct values to hash, key and sort otherwise). None when there
    are none, or they span too wide a range to number so."""
    if not len(values):
        return None
    low, high = int(values.min()), int(values.max())
    if high - low >= np.iinfo(CODE_DTYPE).max:
        return None
    return EntryKeys((values - low).astype(CODE_DTYPE), range(low, high + 1))


def _ranks(key: EntryKeys) -> np.ndarray:
    """Each entry's rank in Python's order of the distinct keys."""
    if isinstance(key.distinct, range):  # numbered in order already
        return key.codes
    order = sorted(range(len(key.distinct)), key=key.distinct.__getitem__)
    rank = np.empty(len(order), dtype=CODE_DTYPE)
    rank[order] = np.arange(len(order))
    ranked: np.ndarray = rank[key.codes]
    return ranked


def text_or_blank(value: Any) -> str:
    """The sections' text key of a value: ``str(value or "")``."""
    return str(value or "")


def number_or_zero(value: Any) -> Any:
    """The sections' key of a row number: ``value or 0`` (a missing one sorts first; a
    column of integers is keyed without calling it: :func:`_whole_numbers`)."""
    return value or 0


def keyed(trail: pd.DataFrame | TrailKeys) -> TrailKeys:
    """The :class:`TrailKeys` of ``trail``: itself when it is one (the report's, shared by
    its sections), else a new one (a section called alone)."""
    return trail if isinstance(trail, TrailKeys) else TrailKeys(trail)


def numbers(column: pd.Series) -> np.ndarray:
    """A float column with missing values as 0.0 (``value or 0.0`` for each entry)."""
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(values), 0.0, values)


def entries_at(trail: pd.DataFrame, positions: Sequence[int] | np.ndarray
               ) -> list[dict[str, Any]]:
    """The entries at ``positions`` as dicts (what :class:`TrailRecords` gives for them)."""
    return list(TrailRecords(trail.iloc[np.asarray(positions, dtype=np.intp)]))


def column_values_at(trail: pd.DataFrame, positions: np.ndarray, columns: Sequence[str]
                     ) -> list[list[Any]]:
    """The values of ``columns`` at ``positions``, a list per column (as
    :class:`TrailRecords` gives them; ``None`` throughout for a column the trail lacks)."""
    return [TrailRecords.column_values(trail[name].iloc[positions]) if name in trail.columns
            else [None] * len(positions) for name in columns]


def first_of_each(keys: Sequence[EntryKeys]) -> tuple[np.ndarray, np.ndarray]:
    """Group the entries by the tuple of ``keys``: each entry's group number (groups
    numbered in order of first appearance) and the position of each group's first entry."""
    groups = np.zeros(len(keys[0]) if keys else 0, dtype=np.int64)
    size = 1  # how many values ``groups`` can hold
    for key in keys:  # the tuple's codes in mixed radix, numbered down before it could overflow
        radix = len(key.distinct) + 1
        if size * radix >= 1 << 62:
            groups, distinct = pd.factorize(groups)
            size = len(distinct)
        groups, size = groups * radix + key.codes, size * radix
    groups, _ = pd.factorize(groups)  # one factorization, not one per key
    return groups, first_positions(groups)


def sorted_by(keys: Sequence[EntryKeys], limit: int | None = None) -> np.ndarray:
    """The positions of the entries sorted by the tuple of ``keys`` (Python's order of each
    key's values), equal tuples in trail order; only the first ``limit`` when given."""
    ranks = [_ranks(key) for key in keys]
    length = len(keys[0]) if keys else 0
    # One number per entry, the ranks and then the position (for the trail order of equal
    # tuples) in mixed radix, when it fits in 63 bits: the first ``limit`` are then found
    # without sorting every entry.
    radices = [len(key.distinct) for key in keys] + [length]
    if limit is not None and limit < length and math.prod(radices) < 1 << 62:
        combined = np.zeros(length, dtype=np.int64)
        for rank, radix in zip([*ranks, np.arange(length)], radices, strict=True):
            combined = combined * radix + rank
        smallest = np.argpartition(combined, limit)[:limit]
        chosen: np.ndarray = smallest[np.argsort(combined[smallest])]
        return chosen
    order: np.ndarray = np.lexsort(ranks[::-1])  # lexsort: the last key sorts first; stable
    return order if limit is None else order[:limit]
