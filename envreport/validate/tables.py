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
    # The values of the rejected rows (Excel row → {field: value}), for checks that must
    # still see them (an unknown fuel on a row rejected for its unit).
    rejected_records: dict[int, dict[str, Any]] = field(default_factory=dict)


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

    # Cells whose own finding explains why they hold no value: a formula without a cached
    # value, an Excel error value, a merged range. "required but blank" would mislead there.
    formula_cells = _formula_cells(layout)
    for (letter, excel_row), name in formula_cells.items():
        findings.append(Finding("formula-no-cached-value", "error", spec.name, excel_row, letter,
                                name))
        rejected.add(excel_row)
    explained: set[tuple[str, int]] = set(formula_cells)
    for (letter, excel_row), (name, error) in _error_cells(layout).items():
        findings.append(Finding("cell-error-value", "error", spec.name, excel_row, letter, name,
                                error))
        rejected.add(excel_row)
        explained.add((letter, excel_row))
    merged: list[tuple[int, int, int, int]] = []  # (first column, last column, top, bottom)
    findings.extend(_merged_findings(layout, set(row_numbers), rejected, merged))
    percent_rows = _apply_percent_formats(layout, row_numbers, records)

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
                    finding.field in skip or (finding.column, excel_row) in explained
                    or _in_ranges(finding.column, excel_row, merged)
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
    findings.extend(_fraction_warnings(layout, frame, percent_rows))
    rejected_records = {row: record for row, record in zip(row_numbers, records, strict=True)
                        if row in rejected} if rejected else {}
    return SheetOutcome(spec, layout, frame, findings, read=len(records), blank=blank,
                        rejected_records=rejected_records)


def _error_cells(layout: SheetLayout) -> dict[tuple[str, int], tuple[str | None, str]]:
    """(letter, row) → (field, error value) of the data cells of read columns holding an Excel
    error: stored as an error (``t="e"``, found by the XML scan) or typed as text."""
    by_letter = {letter: name for name, letter in layout.letters.items()}
    cells: dict[tuple[str, int], tuple[str | None, str]] = {}
    for reference, error in layout.raw.error_cells.items():
        parts = split_reference(reference)
        if parts and parts[1] >= 2 and parts[0] in by_letter:
            cells[parts] = (by_letter[parts[0]], error)
    for (name, excel_row), error in layout.text_errors.items():
        cells[(layout.letters[name], excel_row)] = (name, error)
    return cells


def _merged_findings(layout: SheetLayout, data_rows: set[int], rejected: set[int],
                     merged: list[tuple[int, int, int, int]]) -> list[Finding]:
    """One error per merged range that reaches the data rows, at its top-left cell.

    A merged range keeps its value in the top-left cell only: the other rows would be read
    as blank (a required value missing, or an optional default applied silently). Every row
    of the range is rejected until the value is written in each row.
    """
    findings: list[Finding] = []
    by_letter = {letter: name for name, letter in layout.letters.items()}
    for text in layout.raw.merged:
        first, _, last = text.partition(":")
        start, end = split_reference(first), split_reference(last or first)
        if start is None or end is None or end[1] < 2:
            continue  # a merged title in the header row is the header's business
        top = max(start[1], 2)
        bottom = end[1]
        findings.append(Finding("merged-cells", "error", layout.spec.name, top, start[0],
                                by_letter.get(start[0]), params={"range": text}))
        # A hostile range may span a million rows: walk the shorter of the two.
        if bottom - top < len(data_rows):
            rejected.update(row for row in range(top, bottom + 1) if row in data_rows)
        else:
            rejected.update(row for row in data_rows if top <= row <= bottom)
        merged.append((_column_number(start[0]), _column_number(end[0]), top, bottom))
    return findings


def _in_ranges(letter: str | None, row: int, ranges: list[tuple[int, int, int, int]]) -> bool:
    if not ranges or letter is None:
        return False
    column = _column_number(letter)
    return any(first <= column <= last and top <= row <= bottom
               for first, last, top, bottom in ranges)


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _percent_fields(layout: SheetLayout) -> dict[str, str]:
    """Letter → field of the read columns that hold percentages (``*_pct``)."""
    return {letter: name for name, letter in layout.letters.items() if name.endswith("_pct")}


def _apply_percent_formats(layout: SheetLayout, row_numbers: list[int],
                           records: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Multiply by 100 the numbers of percent-formatted cells in ``*_pct`` columns.

    Typing ``51%`` in Excel stores 0.51 with a percent format; the contract's ``_pct`` fields
    are numbers from 0 to 100, so that cell means 51. Returns field → the Excel rows so read.
    """
    fields = _percent_fields(layout)
    done: dict[str, set[int]] = {}
    if not fields or not layout.raw.percent_cells:
        return done
    index_of = {row: i for i, row in enumerate(row_numbers)}
    for reference in layout.raw.percent_cells:
        parts = split_reference(reference)
        if parts is None or parts[0] not in fields or parts[1] not in index_of:
            continue
        name = fields[parts[0]]
        record = records[index_of[parts[1]]]
        value = record.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            record[name] = float(f"{value * 100:.12g}")  # 0.51 × 100 = 51, not 51.000000000000007
            done.setdefault(name, set()).add(parts[1])
    return done


def _fraction_warnings(layout: SheetLayout, frame: pd.DataFrame,
                       percent_rows: dict[str, set[int]]) -> list[Finding]:
    """A plain 0 < value ≤ 1 in a ``*_pct`` column whose other rows are above 1: a fraction
    typed where a percentage belongs (0.51 for 51 %)? A warning: 0.5 % can be meant."""
    findings: list[Finding] = []
    if frame.empty:
        return findings
    for letter, name in _percent_fields(layout).items():
        values = frame[name]
        if not (values > 1).any():
            continue
        formatted = frame["row"].isin(percent_rows.get(name, set()))
        suspect = frame[(values > 0) & (values <= 1) & ~formatted]
        for row, value in zip(suspect["row"], suspect[name], strict=True):
            findings.append(Finding("pct-looks-like-fraction", "warning", layout.spec.name,
                                    int(row), letter, name, float(value)))
    return findings


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
