"""The typed columns of the validated tables (:func:`envreport.schema.kinds.typed_column`)
and a row rule computed on them with numpy.

A text or choice column is made as one object array, and a column of numbers already read
as floats is taken as it is: both must be the columns the general construction gives (a
pandas Series of the values, its missing values as None, or ``to_numeric`` as float64),
dtype, values and the type of each value alike, whatever the cells held. The period rules'
masks (:func:`envreport.schema.sheets._outside_reporting`) must be pandas' on such columns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from envreport.schema.kinds import typed_column, typed_frame

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


def test_the_period_rules_mask_what_pandas_did_on_every_kind_of_period() -> None:
    # schema.sheets._outside_reporting works on the typed columns' datetime64 arrays; each
    # row here against the reporting year 2024, its result as the pandas formulation gave it
    from datetime import date

    from envreport.schema import RowContext
    from envreport.schema.sheets import FuelSheet, _outside_reporting

    day = date.fromisoformat
    periods = [(None, None), (day("2024-01-01"), day("2024-12-31")),  # blank; the year itself
               (day("2023-12-31"), None), (None, day("2025-01-01")),  # a day out either way
               (day("2023-06-01"), day("2025-06-01")),  # both ends out: at the start
               (day("2024-03-01"), day("2024-02-01")),  # ends before it starts: another rule
               # wholly outside, one end blank: a blank start is taken as never before the
               # period, a blank end as never after it, so neither is reported by this rule
               # (period-single-date-outside reports them, tests/test_validate_columns.py)
               (None, day("2023-06-01")), (day("2025-02-01"), None),
               (day("2024-06-01"), None), (None, day("2024-06-01"))]
    frame = typed_frame(FuelSheet, {name: [None] * len(periods) for name in FuelSheet.model_fields}
                        | {"period_start": [s for s, _ in periods],
                           "period_end": [e for _, e in periods]})
    context = RowContext(day("2024-01-01"), day("2024-12-31"))
    first, last = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    own_start, own_end = frame["period_start"], frame["period_end"]
    outside = ~(own_end < own_start) & (own_start.notna() | own_end.notna()) & (
        (own_start.fillna(first) < first) | (own_end.fillna(last) > last))
    early = own_start.notna() & (own_start < first)
    at_start, at_end = _outside_reporting(frame, context, "period_start", "period_end")
    assert at_start.tolist() == (outside & early).tolist() == [
        False, False, True, False, True, False, False, False, False, False]
    assert at_end.tolist() == (outside & ~early).tolist() == [
        False, False, False, True, False, False, False, False, False, False]
    empty = frame.iloc[:0]
    assert [len(mask) for mask in _outside_reporting(empty, context, "period_start",
                                                     "period_end")] == [0, 0]
