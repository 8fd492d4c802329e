"""The row-level calculation trail as CSV (attached to the PDF, complete at any size)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from envreport.results import Results
from envreport.results.trail import TrailRecords, trail_columns
from envreport.safe_text import csv_safe

#: contract fields first (docs/results.md, ``calculations``), in this order
TRAIL_FIELDS = (
    "sheet", "row", "project_id", "scope", "category", "method", "method_note", "fuel",
    "activity", "activity_unit", "factor", "factor_unit", "factor_source", "gas", "gas_t",
    "gwp", "share", "tco2e",
)

#: trail rows turned into CSV at once (the model's trail is written column by column)
CHUNK_ROWS = 50_000


def trail_csv(results: Results | dict[str, Any]) -> bytes:
    """Every entry of the trail as UTF-8 CSV (with a BOM, so spreadsheet programs read
    Chinese text correctly); keys beyond the contract follow, sorted.

    ``results`` is the model (its trail is written from the DataFrame, a chunk of rows at a
    time, with no dict per entry) or the JSON form (``results["calculations"]``, a list).
    Text from the workbook (project ids, fuels, notes) can begin with ``=``: every field goes
    through :func:`csv_safe`, so no spreadsheet program opens a live formula."""
    buffer = io.StringIO()
    # RFC 4180 line ends: with "\n" alone, csv leaves a bare "\r" from data unquoted, and the
    # reader then splits the row there.
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(results, dict):
        calcs = results.get("calculations") or []
        fields = _fields({key for calc in calcs for key in calc})
        writer.writerow(fields)
        writer.writerows([csv_safe(calc.get(key)) for key in fields] for calc in calcs)
    else:
        trail = results.calculations
        fields = _fields(set(trail_columns(trail)) if not trail.empty else set())
        writer.writerow(fields)
        for start in range(0, len(trail), CHUNK_ROWS):
            chunk = trail.iloc[start:start + CHUNK_ROWS]
            columns = [_csv_fields(chunk[key]) if key in chunk.columns else [""] * len(chunk)
                       for key in fields]
            writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue().encode("utf-8-sig")


def _fields(keys: Iterable[str]) -> list[str]:
    return [*TRAIL_FIELDS, *sorted(set(keys) - set(TRAIL_FIELDS))]


def _csv_fields(column: pd.Series) -> list[Any]:
    """:func:`csv_safe` of each value of ``column`` (as :class:`TrailRecords` gives it), made
    once per distinct text; numbers stay numbers for the CSV writer (which writes a float's
    repr), a missing or infinite one is empty."""
    kind = column.dtype.kind
    if kind == "f":
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        finite = np.where(np.isfinite(values), values, np.nan)
        return TrailRecords.column_values(pd.Series(finite))
    if kind in "iu" and not column.hasnans:
        return column.to_numpy().tolist()
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    distinct = list(uniques)
    if not all(type(v) is str for v in distinct):  # numbers mixed in: keep them apart
        return [csv_safe(v) for v in TrailRecords.column_values(column)]
    fields = np.array([*map(csv_safe, distinct), ""], dtype=object)
    looked_up: list[Any] = fields[codes].tolist()  # code -1 (missing) takes the last: empty
    return looked_up
