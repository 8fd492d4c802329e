"""Validate the rows of one sheet against its model, in bulk, and build its typed table.

The rows go through pydantic as one list (one call into the compiled validator, which
collects every error of every row). Only when some rows fail are the good ones validated
again on their own. Accepted rows become a pandas DataFrame with the dtypes documented in
:mod:`envreport.submission`; every row keeps its Excel row number in the ``row`` column.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from envreport.findings import Finding
from envreport.io.formulas import split_reference
from envreport.schema import RowContext, SheetRow, SheetSpec
from envreport.validate.errors import findings_from_errors
from envreport.validate.layout import SheetLayout, iter_records


@dataclass
class SheetOutcome:
    """What validating one sheet produced."""

    spec: SheetSpec
    layout: SheetLayout
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    read: int = 0
    blank: int = 0


@lru_cache(maxsize=32)
def _adapter(model: type[SheetRow]) -> TypeAdapter[list[SheetRow]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def validate_table(layout: SheetLayout, context: RowContext) -> SheetOutcome:
    """Validate every data row of a table sheet; rows with an error are left out."""
    spec = layout.spec
    row_numbers: list[int] = []
    records: list[dict[str, Any]] = []
    blank = 0
    for excel_row, record in iter_records(layout):
        if record is None:
            blank += 1
            continue
        row_numbers.append(excel_row)
        records.append(record)

    findings: list[Finding] = []
    rejected: set[int] = set()

    formula_cells = _formula_cells(layout)
    for (letter, excel_row), name in formula_cells.items():
        findings.append(Finding("formula-no-cached-value", "error", spec.name, excel_row, letter,
                                name))
        rejected.add(excel_row)

    adapter = _adapter(spec.model)
    try:
        models = adapter.validate_python(records, context=context)
        good = list(range(len(records)))
    except ValidationError as exc:
        by_index: dict[int, list[Any]] = defaultdict(list)
        for error in exc.errors(include_url=False):
            by_index[int(error["loc"][0])].append(error)
        skip = set(layout.missing_required)
        for index, errors in sorted(by_index.items()):
            excel_row = row_numbers[index]
            record = records[index]
            rejected.add(excel_row)
            for finding in findings_from_errors(
                errors, sheet=spec.name, row=excel_row,
                letter_of=layout.letters.get, value_of=record.get,
            ):
                # A missing column is reported once at the header; a formula cell once.
                if finding.code == "required-missing" and (
                    finding.field in skip or (finding.column, excel_row) in formula_cells
                ):
                    continue
                findings.append(finding)
        good = [i for i in range(len(records)) if i not in by_index]
        models = adapter.validate_python([records[i] for i in good], context=context)

    if layout.missing_required:
        # Without a required column no row can be used; the header finding says why.
        rejected.update(row_numbers)

    kept = [(row_numbers[i], m) for i, m in zip(good, models, strict=True)
            if row_numbers[i] not in rejected]
    frame = build_frame(spec, [r for r, _ in kept], [m for _, m in kept], context)
    return SheetOutcome(spec, layout, frame, findings, read=len(records), blank=blank)


def _formula_cells(layout: SheetLayout) -> dict[tuple[str, int], str | None]:
    """(letter, row) → field of the sheet's data cells holding formulas without values."""
    by_letter = {letter: name for name, letter in layout.letters.items()}
    cells: dict[tuple[str, int], str | None] = {}
    for reference in layout.raw.formula_cells:
        parts = split_reference(reference)
        if parts and parts[1] >= 2:
            cells[parts] = by_letter.get(parts[0])
    return cells


def build_frame(spec: SheetSpec, rows: list[int], models: list[SheetRow],
                context: RowContext) -> pd.DataFrame:
    """Accepted rows as a DataFrame with contract columns, ``row``, and documented dtypes."""
    names = list(spec.fields)
    frame = pd.DataFrame([m.__dict__ for m in models], columns=names)
    for name, kind in spec.kinds.items():
        column = frame[name]
        if kind == "date":
            frame[name] = pd.to_datetime(column, errors="coerce")
        elif kind == "bool":
            frame[name] = column.astype("boolean")
        elif kind == "number":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "integer":
            frame[name] = column.astype("Int64")
        else:
            frame[name] = column.astype(object).where(column.notna(), None)
    if spec.activity and context.period_start and context.period_end:
        frame["period_start"] = frame["period_start"].fillna(_ts(context.period_start))
        frame["period_end"] = frame["period_end"].fillna(_ts(context.period_end))
    frame.insert(0, "row", pd.Series(rows, dtype="int64"))
    return frame


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)
