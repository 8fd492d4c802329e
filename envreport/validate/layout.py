"""Where each field of a sheet sits in the file: header matching and column letters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from envreport.findings import Finding, column_letter
from envreport.io.formulas import EXCEL_ERRORS
from envreport.io.reader import RawSheet
from envreport.schema import SheetSpec, normalise_header
from envreport.units import UnitError, fold, normalise_unit

# How far down a header row pushed down by titles or notes is looked for.
HEADER_SEARCH_ROWS = 10
_BRACKETED = re.compile(r"[\(\[（【]([^\)\]）】]*)[\)\]）】]\s*$")


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
    layout, findings = _match_row_1(spec, raw)
    if layout.missing_required:
        header_row = _header_further_down(spec, raw)
        if header_row is not None:
            # A title or note above the header: one finding that says so, not a list of
            # "unknown column" and "add the column project_id". No row can be read.
            layout.columns, layout.letters = {}, {}
            layout.missing_required = spec.required_fields
            return layout, [Finding("header-not-in-row-1", "error", spec.name, header_row,
                                    layout.letter(0), params={"header_row": header_row})]
    return layout, findings


def _header_further_down(spec: SheetSpec, raw: RawSheet) -> int | None:
    """The Excel row (2 to 10) holding every required header of ``spec``, if any."""
    aliases = spec.header_aliases
    required = set(spec.required_fields)
    for index, row in enumerate(raw.rows[1:HEADER_SEARCH_ROWS], start=2):
        names = {aliases.get(normalise_header(c)) for c in row if isinstance(c, str)}
        if required <= names:
            return index
    return None


# Units written in headers of fixed-unit columns that are not in the unit vocabulary, by the
# fixed unit they compete with (folded spellings). A bracketed text outside these and the
# vocabulary is a label, as the contract says, and is not judged.
_OTHER_UNITS: dict[str, dict[str, str]] = {
    "MW": {"w": "W", "kw": "kW", "mw": "MW", "gw": "GW", "mwp": "MW", "mwac": "MW"},
    "km": {"m": "m", "km": "km", "mi": "mi", "mile": "mi", "miles": "mi", "公里": "km"},
    "%": {"%": "%", "percent": "%", "pct": "%", "per cent": "%"},
    "tCO2e": {"tco2e": "tCO2e", "t co2e": "tCO2e", "tco2": "tCO2e", "ktco2e": "ktCO2e",
              "kgco2e": "kgCO2e", "mtco2e": "MtCO2e"},
    "kg/kWh": {"kg/kwh": "kg/kWh", "g/kwh": "g/kWh", "kg/mwh": "kg/MWh", "t/mwh": "t/MWh",
               "tco2/mwh": "t/MWh", "kgco2/kwh": "kg/kWh", "kgco2e/kwh": "kg/kWh"},
}


def _unit_conflict(spec: SheetSpec, name: str, text: str) -> tuple[str, str] | None:
    """(header unit, fixed unit) when a bracketed unit contradicts the field's fixed unit.

    Only a recognisable unit is judged: one of the vocabulary (``GWh`` against ``MWh``) or
    of :data:`_OTHER_UNITS` (``kW`` against ``MW``). Other bracketed text is a label.
    """
    fixed = spec.extra(name).get("unit")
    match = _BRACKETED.search(text)
    if not fixed or not match or not match.group(1).strip():
        return None
    written = match.group(1).strip()
    others = _OTHER_UNITS.get(fixed)
    if others is not None:
        meant = others.get(fold(written))
        return (written, fixed) if meant is not None and meant != fixed else None
    try:
        return (written, fixed) if normalise_unit(written) != normalise_unit(fixed) else None
    except UnitError:
        return None


def _match_row_1(spec: SheetSpec, raw: RawSheet) -> tuple[SheetLayout, list[Finding]]:
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
            conflict = _unit_conflict(spec, name, str(text))
            if conflict is not None:
                findings.append(Finding("header-unit-conflict", "error", spec.name, 1, letter,
                                        name, str(text), {"header_unit": conflict[0],
                                                          "fixed_unit": conflict[1]}))
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
