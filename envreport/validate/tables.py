"""Validate the rows of one sheet against its model, column by column, and build its table.

Each field is checked on the whole column (:mod:`envreport.validate.fields`: every distinct
value once, with the field's own validator); the model's row rules
(:class:`~envreport.schema.base.RowRule`) are evaluated on the typed columns of the rows
whose fields all pass. Only the rows with a field error go through the sheet model one by
one, so that their findings are worded by pydantic's errors exactly as for a single row.
Accepted rows become a pandas DataFrame with the dtypes documented in
:mod:`envreport.submission`; every row keeps its Excel row number in the ``row`` column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from envreport.findings import Finding
from envreport.io.formulas import split_reference
from envreport.schema import RowContext, SheetRow, SheetSpec
from envreport.schema.kinds import typed_frame
from envreport.validate.errors import findings_from_errors, findings_from_violations
from envreport.validate.fields import CheckedField, check_field, list_adapter
from envreport.validate.layout import (
    Column,
    SheetColumns,
    SheetLayout,
    hidden_column_findings,
    read_columns,
)
from envreport.validate.row_units import row_unit_findings


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
    # The sheet's cells as read, column by column (every data row, accepted or not).
    cells: SheetColumns | None = None


@lru_cache(maxsize=32)
def _adapter(model: type[SheetRow]) -> TypeAdapter[list[SheetRow]]:
    return list_adapter(model)


class _RowValues(Mapping[str, Any]):
    """The validated values of one data row, as a row rule's ``params`` reads them."""

    def __init__(self, checked: Mapping[str, CheckedField], index: int) -> None:
        self._checked, self._index = checked, index

    def __getitem__(self, name: str) -> Any:
        return self._checked[name].value(self._index)

    def __iter__(self) -> Iterator[str]:
        return iter(self._checked)

    def __len__(self) -> int:
        return len(self._checked)


def validate_table(layout: SheetLayout, context: RowContext) -> SheetOutcome:
    """Validate every data row of a table sheet; rows with an error are left out."""
    spec = layout.spec
    cells = read_columns(layout)
    row_numbers = cells.rows
    count = len(cells)

    findings: list[Finding] = []
    rejected: set[int] = set()

    # Cells whose own finding explains why they hold no value: a formula without a cached
    # value, an Excel error value, a merged range. "required but blank" would mislead there.
    formula_cells = _cells_with_text(layout, layout.raw.formula_cells)
    for (letter, excel_row), (name, formula) in formula_cells.items():
        findings.append(Finding("formula-no-cached-value", "error", spec.name, excel_row, letter,
                                name, formula or None))
        rejected.add(excel_row)
    external_cells = _cells_with_text(layout, layout.raw.external_cells)
    for (letter, excel_row), (name, formula) in external_cells.items():
        findings.append(Finding("formula-external-link", "error", spec.name, excel_row, letter,
                                name, formula))
        rejected.add(excel_row)
    explained: set[tuple[str, int]] = set(formula_cells)
    for (letter, excel_row), (name, error) in _error_cells(layout).items():
        findings.append(Finding("cell-error-value", "error", spec.name, excel_row, letter, name,
                                error))
        rejected.add(excel_row)
        explained.add((letter, excel_row))
    merged: list[tuple[int, int, int, int]] = []  # (first column, last column, top, bottom)
    findings.extend(_merged_findings(layout, set(row_numbers.tolist()), rejected, merged))
    findings.extend(_hidden_row_findings(layout, row_numbers))
    findings.extend(hidden_column_findings(layout.raw, spec.name,
                                           {index: name for name, index in layout.columns.items()}))
    percent_rows, percent_elsewhere = _apply_percent_formats(layout, cells)
    for letter, excel_row, name, number in percent_elsewhere:
        findings.append(Finding("number-formatted-as-percent", "warning", spec.name,
                                excel_row, letter, name, number,
                                {"shown": f"{number * 100:.12g}%"}))

    checked = {name: check_field(spec.model, name, cells.columns.get(name), count, context)
               for name in spec.fields}
    findings.extend(row_unit_findings(layout, cells, checked))
    field_error = np.zeros(count, dtype=bool)
    loud = np.zeros(count, dtype=bool)  # an error that gets a finding of its own
    required = set(spec.required_fields)
    for name, result in checked.items():
        field_error |= result.error
        silent = np.zeros(count, dtype=bool)
        if name in required:
            # A blank required cell explained elsewhere: the missing column's header finding,
            # the cell's formula or error finding, the merged range's finding.
            silent = result.blank & _explained_rows(name, layout, row_numbers, explained,
                                                    merged)
        loud |= result.error & ~silent

    row_findings: list[tuple[int, Finding]] = []
    row_findings.extend(_model_findings(layout, cells, checked, np.flatnonzero(loud), explained,
                                        merged, context))
    rejected.update(row_numbers[field_error].tolist())

    # The model's row rules, on every row whose fields all pass (rejected or not: a row with
    # a formula cell still gets its other findings in the same run).
    passing = np.flatnonzero(~field_error)
    frame = typed_frame(spec.model, {name: result.values[passing]
                                     for name, result in checked.items()})
    broken = np.zeros(len(passing), dtype=bool)
    for position, violations in _rule_violations(spec.model, frame, checked, passing, context):
        index = int(passing[position])
        broken[position] = True
        row_findings.extend((index, finding) for finding in findings_from_violations(
            violations, sheet=spec.name, row=int(row_numbers[index]),
            letter_of=layout.letters.get, value_of=_cell_of(cells, index)))
    rejected.update(row_numbers[passing[broken]].tolist())
    row_findings.sort(key=lambda item: item[0])  # stable: a row's findings keep their order
    findings.extend(finding for _, finding in row_findings)

    if layout.missing_required:
        # Without a required column no row can be used; the header finding says why.
        rejected.update(row_numbers.tolist())

    keep = ~broken
    if rejected:
        keep &= ~np.isin(row_numbers[passing], np.fromiter(rejected, dtype=np.int64))
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
    frame = _finish_frame(spec, frame, row_numbers[passing[keep]], context)
    findings.extend(_fraction_warnings(layout, frame, percent_rows))
    rejected_records = {int(row): cells.record(i) for i, row in enumerate(row_numbers)
                        if int(row) in rejected} if rejected else {}
    return SheetOutcome(spec, layout, frame, findings, read=count, blank=cells.blank,
                        rejected_records=rejected_records, cells=cells)


def _cell_of(cells: SheetColumns, index: int) -> Any:
    """``field → cell`` of data row ``index``, as the row's record holds it."""
    def value_of(name: str) -> Any:
        column = cells.columns.get(name)
        return column.cell(index) if column is not None else None
    return value_of


def _explained_rows(name: str, layout: SheetLayout, row_numbers: np.ndarray,
                    explained: set[tuple[str, int]], merged: list[tuple[int, int, int, int]]
                    ) -> np.ndarray:
    """Per data row: is a blank cell of ``name`` already explained by another finding?"""
    if name in layout.missing_required:
        return np.ones(len(row_numbers), dtype=bool)
    letter = layout.letters.get(name)
    found = np.zeros(len(row_numbers), dtype=bool)
    if letter is None:
        return found
    rows = [row for column, row in explained if column == letter]
    if rows:
        found |= np.isin(row_numbers, rows)
    number = _column_number(letter)
    for first, last, top, bottom in merged:
        if first <= number <= last:
            found |= (row_numbers >= top) & (row_numbers <= bottom)
    return found


def _model_findings(layout: SheetLayout, cells: SheetColumns,
                    checked: Mapping[str, CheckedField], indexes: np.ndarray,
                    explained: set[tuple[str, int]], merged: list[tuple[int, int, int, int]],
                    context: RowContext) -> Iterator[tuple[int, Finding]]:
    """The findings of the rows with field errors, from the sheet model's own errors.

    A row's errors depend only on the cells that fail (no row rule runs on a row with a field
    error), so rows failing with the same cells share one validation: a column of 100 000
    copies of one unknown unit costs one, not 100 000 (each with its "did you mean").
    """
    if not len(indexes):
        return
    spec = layout.spec
    failing = [(name, result.error, cells.columns.get(name)) for name, result in checked.items()
               if result.error[indexes].any()]
    first_of: dict[tuple[Any, ...], int] = {}
    signatures = []
    for index in indexes.tolist():
        signature = tuple((name, _cell_key(column, index)) for name, error, column in failing
                          if error[index])
        signatures.append(signature)
        first_of.setdefault(signature, index)
    shared = list(first_of)
    records = [cells.record(first_of[signature]) for signature in shared]
    by_signature: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    try:
        _adapter(spec.model).validate_python(records, context=context)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            by_signature[shared[int(error["loc"][0])]].append(error)
    if len(by_signature) != len(records):
        # The column checks use the model's own validators: they cannot disagree with it.
        raise RuntimeError(f"{spec.name}: the column checks and the model disagree")
    record_of = dict(zip(shared, records, strict=True))
    skip = set(layout.missing_required)
    for index, signature in zip(indexes.tolist(), signatures, strict=True):
        excel_row = int(cells.rows[index])
        for finding in findings_from_errors(
            by_signature[signature], sheet=spec.name, row=excel_row,
            letter_of=layout.letters.get, value_of=record_of[signature].get,
        ):
            # A missing column is reported once at the header; a formula cell once.
            if finding.code == "required-missing" and (
                finding.field in skip or (finding.column, excel_row) in explained
                or _in_ranges(finding.column, excel_row, merged)
            ):
                continue
            yield index, finding


def _cell_key(column: Column | None, index: int) -> Any:
    """What identifies the cell of data row ``index``: its distinct value or its number."""
    if column is None:
        return None
    if column.is_number[index]:
        return float(column.numbers[index]).hex()  # -0.0 and 0.0 apart, as the finding shows
    return int(column.codes[index])


def _rule_violations(model: type[SheetRow], frame: pd.DataFrame,
                     checked: Mapping[str, CheckedField], passing: np.ndarray,
                     context: RowContext) -> Iterator[tuple[int, list[Any]]]:
    """(position in ``frame``, the row's violations in rule order) for each broken row."""
    broken: dict[int, list[Any]] = defaultdict(list)
    for rule in model.row_rules:
        for position in np.flatnonzero(rule.mask(frame, context)):
            values = _RowValues(checked, int(passing[position]))
            broken[int(position)].append(rule.violation(values, context))
    yield from sorted(broken.items())


def _finish_frame(spec: SheetSpec, frame: pd.DataFrame, rows: np.ndarray,
                  context: RowContext) -> pd.DataFrame:
    """Blank activity periods filled with the reporting period, and the ``row`` column."""
    if spec.activity and context.period_start and context.period_end:
        frame["period_start"] = frame["period_start"].fillna(_ts(context.period_start))
        frame["period_end"] = frame["period_end"].fillna(_ts(context.period_end))
    frame.insert(0, "row", pd.Series(rows, dtype="int64"))
    return frame


def _error_cells(layout: SheetLayout) -> dict[tuple[str, int], tuple[str | None, str]]:
    """(letter, row) → (field, error value) of the data cells of read columns holding an Excel
    error: stored as an error (``t="e"``, found by the XML scan) or typed as text."""
    errors = layout.raw.error_cells
    cells: dict[tuple[str, int], tuple[str | None, str]] = {
        cell: (name, errors[reference])
        for reference, cell, name in _data_cells(layout, errors) if name is not None}
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


def _hidden_row_findings(layout: SheetLayout, row_numbers: np.ndarray) -> list[Finding]:
    """A warning per range of rows hidden in the workbook (hidden, or filtered out by an
    AutoFilter) that holds data rows, at its first data row. Every reader reads them like
    the rows shown, so rows a person hid to leave them out, or never saw, would count in the
    report unnoticed. They are used all the same: a warning, not an error."""
    if not layout.raw.hidden_rows or not len(row_numbers):
        return []
    findings: list[Finding] = []
    letter = layout.letter(0)  # the first column read
    for first, last in layout.raw.hidden_rows:
        start = int(np.searchsorted(row_numbers, first, "left"))
        stop = int(np.searchsorted(row_numbers, last, "right"))
        if stop <= start:
            continue  # only blank rows are hidden there
        top, bottom = int(row_numbers[start]), int(row_numbers[stop - 1])
        rows = str(top) if top == bottom else f"{top}–{bottom}"
        # count: the rows the message names, so that one row reads "Row 6 is hidden"
        findings.append(Finding("row-hidden", "warning", layout.spec.name, top, letter,
                                params={"rows": rows, "count": bottom - top + 1}))
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


def _apply_percent_formats(layout: SheetLayout, cells: SheetColumns
                           ) -> tuple[dict[str, set[int]], list[tuple[str, int, str, float]]]:
    """Read the numbers of percent-formatted cells, in one pass over them.

    In ``*_pct`` columns they are multiplied by 100: typing ``51%`` in Excel stores 0.51 with
    a percent format; the contract's ``_pct`` fields are numbers from 0 to 100, so that cell
    means 51. Elsewhere they are read as stored (``50%`` typed into a quantity is 0.5), which
    may not be what the person saw or meant: a warning at the cell says which number was
    read, never 0.5 t in silence. Returns field → the Excel rows read as percentages, and
    (letter, Excel row, field, number) of each percent-formatted number elsewhere.
    """
    done: dict[str, set[int]] = {}
    elsewhere: list[tuple[str, int, str, float]] = []
    if not layout.raw.percent_cells:
        return done, elsewhere
    percent = _percent_fields(layout)
    fields = {letter: name for name, letter in layout.letters.items()}
    index_of = {int(row): i for i, row in enumerate(cells.rows)}
    for reference in layout.raw.percent_cells:
        parts = split_reference(reference)
        if parts is None or parts[0] not in fields or parts[1] not in index_of:
            continue
        letter, excel_row = parts
        name = fields[letter]
        column = cells.columns[name]
        index = index_of[excel_row]
        value = column.cell(index)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if letter not in percent:
            elsewhere.append((letter, excel_row, name, float(value)))
            continue
        # 0.51 × 100 = 51, not 51.000000000000007; the cell is a number from now on.
        column.numbers[index] = float(f"{value * 100:.12g}")
        column.is_number[index] = True
        column.codes[index] = -1
        done.setdefault(name, set()).add(excel_row)
    return done, elsewhere


def _fraction_warnings(layout: SheetLayout, frame: pd.DataFrame,
                       percent_rows: dict[str, set[int]]) -> list[Finding]:
    """A plain 0 < value ≤ 1 in a ``*_pct`` column: a fraction typed where a percentage
    belongs (0.51 for 51 %)? When other rows are above 1, ``pct-looks-like-fraction``; when
    none is and one is below 1 (0.5 and 1: half and all, as fractions), the whole column
    looks typed as fractions, ``pct-all-fractions``, at each such cell: each would be
    consolidated at 0.5 % and 1 %. Warnings only, the value kept as written (0.5 % can be
    meant); a cell formatted as a percentage was read as one and is never suspect."""
    findings: list[Finding] = []
    if frame.empty:
        return findings
    for letter, name in _percent_fields(layout).items():
        values = frame[name]
        formatted = frame["row"].isin(percent_rows.get(name, set()))
        # a formatted cell is evidence that the others are percentages (51 % read as 51),
        # never that they are fractions (0.5 % read as 0.5 is a percentage as shown)
        plain = values[~formatted]
        if (values > 1).any():
            code = "pct-looks-like-fraction"
        elif ((plain > 0) & (plain < 1)).any():
            code = "pct-all-fractions"
        else:  # blanks, zeros and ones only: nothing says they are fractions
            continue
        suspect = frame[(values > 0) & (values <= 1) & ~formatted]
        for row, value in zip(suspect["row"], suspect[name], strict=True):
            findings.append(Finding(code, "warning", layout.spec.name, int(row), letter, name,
                                    float(value)))
    return findings


def _data_cells(layout: SheetLayout,
                references: Iterable[str]) -> Iterator[tuple[str, tuple[str, int], str | None]]:
    """Each of ``references`` that is a data cell (row 2 on): the reference, its (letter,
    row) and the field its column holds (None for a column not read)."""
    by_letter = {letter: name for name, letter in layout.letters.items()}
    for reference in references:
        parts = split_reference(reference)
        if parts and parts[1] >= 2:
            yield reference, parts, by_letter.get(parts[0])


def _cells_with_text(layout: SheetLayout, texts: Mapping[str, str]
                     ) -> dict[tuple[str, int], tuple[str | None, str]]:
    """(letter, row) → field and text of the sheet's data cells among ``texts`` (reference →
    text): the formulas without a value ("" when the cell writes none), or those reading
    another workbook (their value is that workbook's, as last cached, not this one's)."""
    return {cell: (name, texts[reference]) for reference, cell, name in
            _data_cells(layout, texts)}


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)
