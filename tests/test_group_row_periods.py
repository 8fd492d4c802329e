"""A group's merged rows: one row number per member, each row's own period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from envreport.metrics.ghg import row_periods
from envreport.submission import InputFile, Submission


def test_the_same_row_number_in_two_members_keeps_each_rows_own_period() -> None:
    # Fuel row 2 of member A (project PA, January) and row 2 of member B (project PB, March):
    # merged into one table, a lookup by row number alone cannot tell them apart.
    fuel = pd.DataFrame({
        "row": pd.Series([2, 3, 2], dtype="int64"),
        "project_id": ["PA", "PA", "PB"],
        "period_start": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
        "period_end": pd.to_datetime(["2024-01-31", None, "2024-03-31"]),
        "entity_id": ["A", "A", "B"],
    })
    merged = Submission(source=InputFile("group", ""), organization=None,
                        tables={"Fuel": fuel})
    start, end = row_periods(merged, "Fuel", np.array([2, 2, 3, 4]),
                             np.array(["PB", "PA", "PA", "PA"], dtype=object))
    assert [str(d) for d in start] == ["2024-03-01", "2024-01-01", "NaT", "NaT"]
    assert [str(d) for d in end] == ["2024-03-31", "2024-01-31", "NaT", "NaT"]


def test_one_workbooks_rows_are_looked_up_by_row_number() -> None:
    fuel = pd.DataFrame({"row": pd.Series([5, 2], dtype="int64"), "project_id": ["P", "P"],
                         "period_start": pd.to_datetime(["2024-06-01", "2024-02-01"]),
                         "period_end": pd.to_datetime(["2024-06-30", "2024-02-29"])})
    one = Submission(source=InputFile("x.xlsx", ""), organization=None, tables={"Fuel": fuel})
    start, end = row_periods(one, "Fuel", np.array([2, 5]), np.array(["P", "P"], dtype=object))
    assert [str(d) for d in start] == ["2024-02-01", "2024-06-01"]
    assert [str(d) for d in end] == ["2024-02-29", "2024-06-30"]
