"""Where each field of a sheet sits in the file: header matching and column letters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from envreport.findings import Finding, column_letter
from envreport.io.formulas import EXCEL_ERRORS
from envreport.io.reader import RawSheet
from envreport.schema import SheetSpec, normalise_header


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetLayout:
    """The header row of one sheet, matched to the contract."""

    spec: SheetSpec
    raw: RawSheet
    columns: dict[str, int] = field(default_factory=dict)  # field → row index of the value
    letters: dict[str, str] = field(default_factory=dict)  # field → column letter
    missing_required: tuple[str, ...] = ()
    # Excel error values typed or stored as text ("#N/A"), found while reading the records:
    # (field, Excel row) → the error value. They are left out of the record.
    text_errors: dict[tuple[str, int], str] = field(default_factory=dict)

    def letter(self, index: int) -> str:
        return column_letter(index + 1 + self.raw.column_offset)


def match_headers(spec: SheetSpec, raw: RawSheet) -> tuple[SheetLayout, list[Finding]]:
    """Match row 1 of ``raw`` to the fields of ``spec``; report unknown and missing columns."""
    layout = SheetLayout(spec, raw)
    findings: list[Finding] = []
    header = raw.rows[0] if raw.rows else []
    aliases = spec.header_aliases
    for index, text in enumerate(header):
        letter = layout.letter(index)
        if is_blank(text):
            if any(len(row) > index and not is_blank(row[index]) for row in raw.rows[1:]):
                findings.append(Finding("column-no-header", "warning", spec.name, 1, letter))
            continue
        name = aliases.get(normalise_header(text))
        if name is None:
            findings.append(Finding("column-unknown", "warning", spec.name, 1, letter,
                                    value=str(text)))
        elif name in layout.columns:
            findings.append(Finding("column-duplicate", "error", spec.name, 1, letter, name,
                                    value=str(text)))
        else:
            layout.columns[name] = index
            layout.letters[name] = letter
    missing = tuple(f for f in spec.required_fields if f not in layout.columns)
    layout.missing_required = missing
    # Point at the first free header cell: that is where the column should be added.
    free_letter = layout.letter(len(header))
    findings.extend(
        Finding("column-missing", "error", spec.name, 1, free_letter, name) for name in missing
    )
    return layout, findings


def iter_records(layout: SheetLayout) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(Excel row, {field: value}) for each data row; ``None`` for a fully blank row.

    Blank cells are left out of the record, so a blank required cell is "missing". A row
    whose only values sit in unknown columns is not blank: it is validated, and rejected.
    """
    columns = list(layout.columns.items())
    for offset, row in enumerate(layout.raw.rows[1:]):
        record: dict[str, Any] = {}
        width = len(row)
        for name, index in columns:
            if index < width:
                value = row[index]
                if value.__class__ is str:
                    value = value.strip()
                    if not value:
                        continue
                    if value[0] == "#" and value.upper() in EXCEL_ERRORS:
                        layout.text_errors[(name, offset + 2)] = value.upper()
                        continue
                elif value is None:
                    continue
                record[name] = value
        # A row is blank only if *every* cell is, including those of unknown columns.
        if not record and all(c is None or (c.__class__ is str and not c.strip()) for c in row):
            yield offset + 2, None
        else:
            yield offset + 2, record
