"""The calculation trail between the columnar form (a DataFrame) and ``calculations`` JSON."""

from __future__ import annotations

import gc
from typing import Any

import pandas as pd

from envreport.results.models import TRAIL_COLUMNS


def trail_columns(trail: pd.DataFrame) -> list[str]:
    """The trail's output columns: :data:`TRAIL_COLUMNS`, then ``entity_id`` when present."""
    return [*TRAIL_COLUMNS, *(["entity_id"] if "entity_id" in trail.columns else [])]


def empty_trail() -> pd.DataFrame:
    """A trail without entries (every column present)."""
    return pd.DataFrame(columns=list(TRAIL_COLUMNS))


def trail_records(trail: pd.DataFrame) -> list[dict[str, Any]]:
    """The trail as JSON-able dicts; built column-wise (``tolist`` gives Python scalars)."""
    if trail.empty:
        return []
    keys = trail_columns(trail)
    columns = []
    for key in keys:
        column = trail[key]
        values = column.tolist()
        if column.hasnans:
            values = [None if v is None or v != v else v for v in values]
        columns.append(values)
    # A million new dicts would trigger the cyclic GC over and over, each pass scanning every
    # object the process holds (the raw workbook too): pause it, the dicts hold no cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [dict(zip(keys, rec, strict=True)) for rec in zip(*columns, strict=True)]
    finally:
        if enabled:
            gc.enable()


def trail_from_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    """A stored ``calculations`` list back into the columnar trail."""
    if not records:
        return empty_trail()
    frame = pd.DataFrame.from_records(records)
    for column in TRAIL_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[[c for c in trail_columns(frame)]]
