"""The calculation trail: the schema of its entries, and the columnar form (a DataFrame)
to and from the ``calculations`` list of results.json.

Also the base of every results model (:class:`Section`): the trail's entry is the first.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any, Literal, overload

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

Figure = float | None
Scope = Literal["1", "2", "biogenic", "other"]


class Section(BaseModel):
    """Base of every results model: no unknown keys, attributes as declared."""

    model_config = ConfigDict(extra="forbid")


class TrailEntry(Section):
    """One entry of the calculation trail: an input row × gas × method that emits.

    ``tco2e`` is after the consolidation share, so every total is the sum of its entries.

    ``factor_source`` is a publication's short citation, whose full reference
    ``factor_sources`` gives; a factor the Electricity row gave itself is cited by the row's
    supplier and document: "supplier factor: <supplier>, <source_ref> (Electricity sheet)"
    (or "instrument factor: ..."), whose ``factor_sources`` entry adds the rows that used it
    ("... (Electricity sheet, rows 14–19)"); what the row leaves blank the citation says is
    missing ("supplier factor: no supplier or document given (Electricity sheet)"). A
    certificate at 0 kg/kWh (an instrument without its own factor) is cited by the row's
    document likewise: "renewable attributes, 0 kg/kWh: <supplier>, <source_ref>
    (Electricity sheet)", or "renewable attributes, 0 kg/kWh: <supplier>, no document given
    (Electricity sheet)".
    """

    sheet: str
    row: int
    project_id: str | None
    fuel: str | None
    scope: Scope
    category: str
    method: Literal["location", "market"] | None
    method_note: str | None
    activity: Figure
    activity_unit: str
    factor: Figure
    factor_unit: str
    factor_source: str | None
    gas: str
    gas_group: str | None
    gas_t: Figure
    gwp: Figure
    share: Figure
    tco2e: Figure
    input_quantity: Figure
    input_unit: str | None
    entity_id: str | None = None  # group results only


# The trail's columns, in output order (entity_id only in group results).
TRAIL_COLUMNS: tuple[str, ...] = tuple(k for k in TrailEntry.model_fields if k != "entity_id")


def trail_columns(trail: pd.DataFrame) -> list[str]:
    """The trail's output columns: :data:`TRAIL_COLUMNS`, then ``entity_id`` when present."""
    return [*TRAIL_COLUMNS, *(["entity_id"] if "entity_id" in trail.columns else [])]


def empty_trail() -> pd.DataFrame:
    """A trail without entries (every column present)."""
    return pd.DataFrame(columns=list(TRAIL_COLUMNS))


class TrailRecords(Sequence[dict[str, Any]]):
    """The trail's entries as JSON-able dicts, made one at a time as they are read.

    Holds one Python list per column (``tolist`` gives Python scalars, NaN becomes ``None``);
    an entry's dict exists only while it is used. A million held dicts cost over a gigabyte
    at 500 000 input rows; the writers of results.json and calculations.csv and the report's
    aggregations only need to walk the entries.
    """

    def __init__(self, trail: pd.DataFrame) -> None:
        self._trail = trail
        self._keys = trail_columns(trail) if not trail.empty else []
        self._length = len(trail) if self._keys else 0

    @cached_property
    def _columns(self) -> list[list[Any]]:
        # Made at the first read, not at construction: the ledger takes the results' JSON
        # form for its figures, which skip the trail (0.7 s for a 100 000-row trail).
        return [self.column_values(self._trail[key]) for key in self._keys]

    @staticmethod
    def column_values(column: pd.Series) -> list[Any]:
        """A column's values as JSON-able Python scalars: NaN and missing become ``None``."""
        values = column.tolist()
        if column.hasnans:
            values = [None if v is None or v != v else v for v in values]
        return values

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("trail entry out of range")
        return dict(zip(self._keys, (column[index] for column in self._columns), strict=True))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        keys = self._keys
        for values in zip(*self._columns, strict=True):
            yield dict(zip(keys, values, strict=True))


def first_positions(groups: np.ndarray) -> np.ndarray:
    """Where each group first occurs, for groups numbered 0, 1, 2 ... in order of first
    appearance (as ``pd.factorize`` numbers them): an entry starts a group when its number
    exceeds every number before it."""
    groups = np.asarray(groups, dtype=np.int64)
    if not len(groups):
        return np.arange(0)
    before = np.maximum.accumulate(np.concatenate(([-1], groups[:-1])))
    starts: np.ndarray = np.flatnonzero(groups > before)
    return starts


def trail_records(trail: pd.DataFrame) -> list[dict[str, Any]]:
    """The trail as a list of JSON-able dicts (what results.json's ``calculations`` holds)."""
    # A million new dicts would trigger the cyclic GC over and over, each pass scanning every
    # object the process holds (the raw workbook too): pause it, the dicts hold no cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(TrailRecords(trail))
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
