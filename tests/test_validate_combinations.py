"""Rows numbered by their combination of values (envreport.validate.combinations): the
same numbers as pandas' groupby, the same repeats as DataFrame.duplicated, on the awkward
values a validated table holds (blanks of every kind, signed zeros, dates, flags, texts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from envreport.validate.combinations import combination_ids

FRAME = pd.DataFrame({
    "text": ["a", None, "a", np.nan, "b", None, "a", "b"],
    "number": [0.0, -0.0, 0.0, np.nan, 1.5, np.nan, 0.0, 1.5],
    "day": pd.to_datetime(["2024-01-01", None, "2024-01-01", None, "2024-02-01", None,
                           "2024-01-01", "2024-02-01"]),
    "flag": [True, False, True, False, True, False, True, False],
    "label": pd.array(["x", "y", "x", None, "x", None, "x", "x"], dtype="str"),
})


@pytest.mark.parametrize("columns", [["text"], ["number"], ["day"], ["flag"], ["label"],
                                     ["text", "number"], ["text", "day", "flag"],
                                     list(FRAME.columns)])
def test_the_same_numbers_as_pandas_groupby_and_the_same_repeats_as_duplicated(
        columns: list[str]) -> None:
    ids = combination_ids([FRAME[c] for c in columns])
    expected = FRAME.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    assert ids.tolist() == expected.tolist()
    repeated = np.bincount(ids)[ids] > 1
    assert repeated.tolist() == FRAME.duplicated(columns, keep=False).tolist()


def test_hand_worked_numbers() -> None:
    # (a, 0), (None, -0), (a, 0), (NaN, NaN), (b, 1.5), (None, NaN), (a, 0), (b, 1.5):
    # None and NaN are one blank, -0.0 is 0.0
    ids = combination_ids([FRAME["text"], FRAME["number"]])
    assert ids.tolist() == [0, 1, 0, 2, 3, 2, 0, 3]


def test_many_columns_of_many_values_do_not_overflow() -> None:
    rows = 200_000
    generator = np.random.default_rng(5)
    columns = [generator.integers(0, rows, rows) for _ in range(6)]
    ids = combination_ids(columns)
    expected = pd.DataFrame(dict(enumerate(columns))).groupby(
        list(range(6)), sort=False).ngroup().to_numpy()
    assert ids.tolist() == expected.tolist()
