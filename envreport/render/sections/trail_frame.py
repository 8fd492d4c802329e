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


def per_entry(column: pd.Series, key: Callable[[Any], Any]) -> np.ndarray:
    """``key(value)`` for each entry of ``column`` (an object array), computed once per
    distinct text; floats go through ``key`` one by one (0.0 and -0.0 differ in ``repr``)."""
    if column.dtype.kind in "fiub":
        return np.array(list(map(key, TrailRecords.column_values(column))), dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    distinct = list(uniques)
    if not all(type(v) is str for v in distinct):  # numbers mixed in: 1, 1.0 and True
        return np.array(list(map(key, TrailRecords.column_values(column))), dtype=object)
    # np.array would make a 2-D array of tuple keys: fill an object array instead
    keyed = np.empty(len(distinct) + 1, dtype=object)
    keyed[:] = [*map(key, distinct), key(None)]
    return keyed[codes]  # code -1 (missing) takes the last


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
        codes, distinct = pd.factorize(key, use_na_sentinel=False)
        groups, _ = pd.factorize(groups * len(distinct) + codes)
    _, first = np.unique(groups, return_index=True)
    return groups, first


def sorted_by(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The positions of the entries sorted by the tuple of ``keys`` (Python's order of each
    key's values), equal tuples in trail order."""
    codes = [pd.factorize(key, sort=True, use_na_sentinel=False)[0] for key in keys]
    return np.lexsort(codes[::-1])  # lexsort: the last key sorts first; stable
