"""Reading the columnar trail for the report, without a Python object per entry.

The sections that summarise the trail (the appendix, the factors used, the grid factors)
group and order its entries by keys such as ``str(fuel or "")``. Those keys are computed
here once per distinct value of a column and spread over the entries with numpy; only the
few entries a section prints become dicts (:func:`entries_at`). The values are those of
:class:`~envreport.results.TrailRecords`: NaN and missing are ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from envreport.results import TrailRecords


class EntryKeys(np.ndarray):
    """Each entry's key (an object array), and ``codes``: each entry's number among the
    distinct keys (equal numbers, equal keys), so that grouping and sorting by the keys use
    integers rather than hashing a million texts. An array derived from one (a slice, a
    comparison) has no ``codes``."""

    codes: np.ndarray | None = None
    distinct: list[Any] | None = None  # the key of each code

    def __array_finalize__(self, obj: Any) -> None:
        self.codes = self.distinct = None


def per_entry(column: pd.Series, key: Callable[[Any], Any]) -> np.ndarray:
    """``key(value)`` for each entry of ``column`` (an object array), computed once per
    distinct value (a float column with -0.0 value by value: 0.0 and -0.0 differ in
    ``repr``, factorize makes them one)."""
    kind = column.dtype.kind
    if kind == "f":
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.any((values == 0) & np.signbit(values)):
            return np.array(list(map(key, TrailRecords.column_values(column))), dtype=object)
        codes, numbers = pd.factorize(values, use_na_sentinel=True)
        distinct: list[Any] = numbers.tolist()
    elif kind in "iub" and not column.hasnans:
        codes, numbers = pd.factorize(column.to_numpy(), use_na_sentinel=True)
        distinct = numbers.tolist()
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        distinct = list(uniques)
        if not all(type(value) is str for value in distinct):  # numbers mixed in: 1, 1.0
            return np.array(list(map(key, TrailRecords.column_values(column))), dtype=object)
    # np.array would make a 2-D array of tuple keys: fill an object array instead; a
    # missing value (code -1) takes the last, key(None), asked only when there is one
    missing = [key(None)] if np.any(codes < 0) else []
    keyed = np.empty(len(distinct) + len(missing), dtype=object)
    keyed[:] = [*map(key, distinct), *missing]
    # distinct values can share a key (None and "" are both ""): numbered by key
    key_codes, keys = pd.factorize(keyed, use_na_sentinel=False)
    entries: EntryKeys = keyed[codes].view(EntryKeys)
    entries.codes = key_codes[codes]
    entries.distinct = list(keys)
    return entries


def _codes(key: np.ndarray, sort: bool = False) -> np.ndarray:
    """Each entry's number among the distinct values of ``key`` (in Python's order of the
    values when ``sort``)."""
    codes: np.ndarray | None = getattr(key, "codes", None)
    distinct: list[Any] | None = getattr(key, "distinct", None)
    if codes is None or distinct is None:
        factorized: np.ndarray = pd.factorize(key, sort=sort, use_na_sentinel=False)[0]
        return factorized
    if not sort:
        return codes
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[sorted(range(len(distinct)), key=distinct.__getitem__)] = np.arange(len(distinct))
    ranked: np.ndarray = rank[codes]
    return ranked


def text_or_blank(value: Any) -> str:
    """The sections' text key of a value: ``str(value or "")``."""
    return str(value or "")


def numbers(column: pd.Series) -> np.ndarray:
    """A float column with missing values as 0.0 (``value or 0.0`` for each entry)."""
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(values), 0.0, values)


def entries_at(trail: pd.DataFrame, positions: Sequence[int] | np.ndarray
               ) -> list[dict[str, Any]]:
    """The entries at ``positions`` as dicts (what :class:`TrailRecords` gives for them)."""
    return list(TrailRecords(trail.iloc[np.asarray(positions, dtype=np.intp)]))


def first_of_each(keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group the entries by the tuple of ``keys``: each entry's group number (groups
    numbered in order of first appearance) and the position of each group's first entry."""
    groups = np.zeros(len(keys[0]) if keys else 0, dtype=np.int64)
    for key in keys:  # the tuple's codes, folded in one key at a time (never overflows)
        codes = _codes(key)
        groups, _ = pd.factorize(groups * (int(codes.max(initial=0)) + 1) + codes)
    _, first = np.unique(groups, return_index=True)
    return groups, first


def sorted_by(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The positions of the entries sorted by the tuple of ``keys`` (Python's order of each
    key's values), equal tuples in trail order."""
    codes = [_codes(key, sort=True) for key in keys]
    return np.lexsort(codes[::-1])  # lexsort: the last key sorts first; stable
