"""The typed columns of the validated tables (:func:`envreport.schema.kinds.typed_column`).

A text or choice column is made as one object array, and a column of numbers already read
as floats is taken as it is: both must be the columns the general construction gives (a
pandas Series of the values, its missing values as None, or ``to_numeric`` as float64),
dtype, values and the type of each value alike, whatever the cells held.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from envreport.schema.kinds import typed_column

AWKWARD = ["a", None, float("nan"), pd.NA, pd.NaT, "", " ", "None", "nan", "中文", "x" * 300]


def _general(values: Any, kind: str) -> pd.Series:
    """The construction before the fast paths, for every kind they cover."""
    column = pd.Series(values, dtype=None if kind == "number" else object)
    if kind == "number":
        return pd.to_numeric(column, errors="coerce").astype("float64")
    return column.where(column.notna(), None)


@pytest.mark.parametrize("kind", ["text", "enum"])
@pytest.mark.parametrize("as_array", [False, True])
def test_a_text_column_is_the_general_constructions(kind: str, as_array: bool) -> None:
    values: Any = np.array(AWKWARD, dtype=object) if as_array else list(AWKWARD)
    fast, general = typed_column(values, kind), _general(values, kind)
    pd.testing.assert_series_equal(fast, general, check_exact=True)
    assert fast.dtype == object
    assert [type(v) for v in fast] == [type(v) for v in general]
    # missing values are None: NaN, pd.NA and NaT alike; every text kept as it was
    assert fast.tolist() == ["a", None, None, None, None, "", " ", "None", "nan", "中文",
                             "x" * 300]
    # the caller's values are left as they were (their NaN and NA not made None)
    assert math.isnan(values[2])
    assert values[3] is pd.NA


@pytest.mark.parametrize("values", [[], [None], ["b"], [None, None]])
def test_short_text_columns_are_the_general_constructions(values: list[Any]) -> None:
    pd.testing.assert_series_equal(typed_column(values, "text"), _general(values, "text"),
                                   check_exact=True)


def test_a_float_column_is_taken_as_it_is() -> None:
    values = np.array([1.5, -0.0, float("nan"), 1e308, -1e-300, 0.1 + 0.2])
    fast, general = typed_column(values, "number"), _general(values, "number")
    pd.testing.assert_series_equal(fast, general, check_exact=True)
    assert np.signbit(fast[1])  # -0.0 stays -0.0
    fast[0] = 99.0  # a column of its own: the caller's array is not changed through it
    assert values[0] == 1.5
