"""Where each field of a sheet sits in the file (header matching, column letters), and the
cells of each field, read column by column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from envreport.findings import Finding, column_letter
from envreport.io.formulas import EXCEL_ERRORS
from envreport.io.reader import RawSheet
from envreport.schema import SheetSpec, normalise_header
from envreport.schema.kinds import field_kind
from envreport.schema.types import shows_nothing
from envreport.suggest import did_you_mean
from envreport.units import (
    BASE_UNIT,
    BY_CANONICAL,
    ENGLISH_MULTIPLIERS,
    MULTIPLIERS,
    UnitError,
    conversion_factor,
    dimension_of,
    fold,
    header_multiplier,
    normalise_unit,
    unit_multiple,
)

# How far down a header row pushed down by titles or notes is looked for.
HEADER_SEARCH_ROWS = 10
_BRACKETED = re.compile(r"[\(\[（【]([^\)\]）】]*)[\)\]）】]\s*$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and shows_nothing(value))


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


def hidden_column_findings(raw: RawSheet, sheet: str, field_at: dict[int, str],
                           first_data: int = 1) -> list[Finding]:
    """A warning per column hidden in the workbook that holds a value in its data rows (from
    ``raw.rows[first_data]``), at its header cell (row 1). ``field_at``: the field each read
    column holds, by its index in the rows.

    Every reader reads a hidden column like a shown one, so a column a person hid to leave
    it out (a quantity, say) would count in the report unnoticed. Its values are used all the
    same: a warning, not an error. Columns hidden beyond the data (a common way to tidy a
    sheet) hold nothing and say nothing.
    """
    data = raw.rows[first_data:]
    if not raw.hidden_columns or not data:
        return []
    width = max(map(len, raw.rows))
    header = raw.rows[0] if first_data else []
    findings: list[Finding] = []
    for first, last in raw.hidden_columns:
        # Excel column c (1 is A) is index c - 1 - column_offset of the rows read
        for index in range(max(first - 1 - raw.column_offset, 0),
                           min(last - raw.column_offset, width)):
            if not any(index < len(row) and not is_blank(row[index]) for row in data):
                continue
            text = header[index] if index < len(header) else None
            findings.append(Finding("column-hidden", "warning", sheet, 1,
                                    column_letter(index + 1 + raw.column_offset),
                                    field_at.get(index), None if is_blank(text) else str(text)))
    return findings


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
    # and as Chinese writes them: 千瓦, 兆瓦 (a multiple, 万千瓦, is judged as its unit is)
    "MW": {"w": "W", "kw": "kW", "mw": "MW", "gw": "GW", "mwp": "MW", "mwac": "MW",
           "瓦": "W", "千瓦": "kW", "兆瓦": "MW", "吉瓦": "GW"},
    "km": {"m": "m", "km": "km", "mi": "mi", "mile": "mi", "miles": "mi", "公里": "km",
           "米": "m", "千米": "km"},
    "%": {"%": "%", "percent": "%", "pct": "%"},
    # and as Chinese writes them: 吨二氧化碳当量, 千吨二氧化碳当量, 吨CO2e (a multiple,
    # 万吨二氧化碳当量, 万吨CO2e, the usual unit of a reduction, is judged as its unit is)
    "tCO2e": {"tco2e": "tCO2e", "tco2": "tCO2e", "ktco2e": "ktCO2e",
              "kgco2e": "kgCO2e", "mtco2e": "MtCO2e", "吨二氧化碳当量": "tCO2e",
              "吨二氧化碳": "tCO2e", "千克二氧化碳当量": "kgCO2e", "千吨二氧化碳当量": "ktCO2e",
              "吨co2e": "tCO2e", "吨co2": "tCO2e", "千克co2e": "kgCO2e", "千吨co2e": "ktCO2e"},
    "kg/kWh": {"kg/kwh": "kg/kWh", "g/kwh": "g/kWh", "kg/mwh": "kg/MWh", "t/mwh": "t/MWh",
               "tco2/mwh": "t/MWh", "kgco2/kwh": "kg/kWh", "kgco2e/kwh": "kg/kWh"},
}


def _unit_conflict(spec: SheetSpec, name: str, text: str) -> tuple[str, str] | None:
    """(header unit, fixed unit) when a bracketed unit contradicts the field's fixed unit.

    Only a recognisable unit is judged: one of the vocabulary (``GWh`` against ``MWh``), a
    multiple of one (``万千瓦时``, 10 MWh, against ``MWh``: the column's numbers would be read
    as MWh, ten times too small) or of :data:`_OTHER_UNITS` (``kW`` against ``MW``). Other
    bracketed text is a label.
    """
    fixed = spec.extra(name).get("unit")
    written = bracketed_text(text)
    if not fixed or written is None:
        return None
    others = _OTHER_UNITS.get(fixed)
    if others is not None:
        key = fold(written)
        meant = _other_unit(others, key)
        if meant is not None:
            return (written, fixed) if meant != fixed else None
        # a Chinese multiple of one of them (万千瓦, 十万千瓦, 百万千瓦: 10, 100, 1 000 MW;
        # 万吨CO2e, 万tCO2e) or an English one (thousand tCO2e, '000 tCO2e, millions of tCO2e)
        counted = _english_multiple_of(key)
        multiplied = any(key.startswith(word) and _other_unit(others, key[len(word):])
                         for word in MULTIPLIERS) or (
            counted is not None and _other_unit(others, counted[1]) is not None)
        return (written, fixed) if multiplied else None
    try:
        return (written, fixed) if normalise_unit(written) != normalise_unit(fixed) else None
    except UnitError:
        multiple = unit_multiple(written)
        counted = _english_multiple_of(fold(written))
        if multiple is None and counted is not None:
            # an English multiple of a vocabulary unit (million kWh against MWh: the column's
            # numbers would be read as MWh, a thousand times too small)
            dimension = dimension_of(counted[1])
            if dimension is None:
                return None  # a label (Thousand Islands plant), or thousand tons (ambiguous)
            if dimension != dimension_of(fixed):
                return written, fixed
            times = counted[0] * conversion_factor(counted[1], fixed)
            return (written, fixed) if abs(times - 1) > 1e-9 else None  # thousand kg is the t
        if multiple is None or (multiple.times == 1 and multiple.target == fixed):
            return None  # a label, or the fixed unit itself (千千瓦时 is the MWh)
        return written, fixed


def _english_multiple_of(key: str) -> tuple[int, str] | None:
    """(factor, the text counted) of a folded header text that is an English multiple of
    something (thousand tco2e: 1 000, tco2e; millions of kwh: 1 000 000, kwh), or ``None``.

    Its words are :data:`ENGLISH_MULTIPLIERS`; its grammar is not that of
    :func:`~envreport.units.header_multiplier`'s pattern, on purpose: this one reads any text
    after the multiple, for the caller to judge as a unit (``000 t``, ``thousand kwh``),
    where the pattern reads a three-letter word there as a currency and refuses a bare
    ``000`` (a code, not a multiple) but accepts a currency before the multiple."""
    for word, factor in ENGLISH_MULTIPLIERS.items():
        if (english := re.match(rf"{re.escape(word)}s?(?: of)? ", key)):
            return factor, key[english.end():]
    return None


def _other_unit(others: dict[str, str], key: str) -> str | None:
    """The unit of :data:`_OTHER_UNITS` a folded header text writes, spaced or not: Chinese
    puts no space between 吨 and CO2e (吨CO2e) and English may (t CO2e, per cent)."""
    key = key.strip()
    return others.get(key) or others.get(key.replace(" ", ""))


def multiplier_finding(spec: SheetSpec, name: str, text: str, row: int,
                       letter: str) -> Finding | None:
    """``header-multiplier`` when the bracketed text of a number field's header (or of an
    Organization field's name) counts the values in a multiple: 营业收入（万元） over 123.4 was
    read as 123.4 of the currency, not 1 234 000, in silence. So is a multiple of a unit that
    is no unit of the list (quantity（万吨）: 10 000 t), whatever the unit column says."""
    written = bracketed_text(text)
    if written is None or field_kind(spec.fields[name].annotation) != "number":
        return None
    if spec.extra(name).get("unit") and english_multiple(written) is not None:
        return None  # a unit against the fixed one, judged there (thousand kWh is the MWh)
    factor = multiple_factor(written)
    if factor is None:
        return None
    return multiplier(spec, name, text, row, letter, written, factor)


def multiplier(spec: SheetSpec, name: str, text: str, row: int, letter: str, written: str,
               factor: int) -> Finding:
    """The ``header-multiplier`` finding of a header whose bracketed ``written`` counts its
    column in ``factor`` (judged with the header alone, or with the rows' unit)."""
    return Finding("header-multiplier", "error", spec.name, row, letter, name, text,
                   {"multiplier": written, "factor": f"{factor:,}"})


def multiple_factor(written: str) -> int | None:
    """The factor a header's bracketed text counts its column in (万元, 万, thousands: 10 000,
    10 000, 1 000; a multiple of a unit, 万吨, 千吨: 10 000, 1 000), or ``None``."""
    return header_multiplier(written) or _unlisted_multiple(written)


def english_multiple(written: str) -> int | None:
    """The factor of a header's bracketed text that is an English multiple of a vocabulary
    unit (``000 t``, ``'000 t``, ``thousand kWh``: 1 000), or ``None``. The accountants' bare
    000 before a unit counts in thousands as '000 does: the header pattern refuses it (a bare
    000 may be a code), but a unit after it makes it a multiple."""
    counted = _english_multiple_of(fold(written))
    if counted is None or dimension_of(counted[1]) is None:
        return None
    return counted[0]


def bracketed_text(text: str) -> str | None:
    """The text in a header's trailing brackets (``quantity (MWh)``: ``MWh``), or ``None``."""
    match = _BRACKETED.search(text)
    written = match.group(1).strip() if match is not None else ""
    return written or None


def counted_unit(written: str) -> tuple[int, str] | None:
    """(factor, vocabulary unit) of a header's bracketed text that names a unit or counts in
    a multiple of one: ``MWh`` (1, MWh), ``千升`` (1, kL), ``千立方米`` (1 000, m3),
    ``万吨`` (10 000, t), ``thousand kWh`` (1 000, kWh); ``None`` for anything else (a
    label, a bare multiple: 万, thousands; an ambiguous unit: tons)."""
    try:
        return 1, normalise_unit(written)
    except UnitError:
        pass
    multiple = unit_multiple(written)
    if multiple is not None:
        return multiple.factor, multiple.unit
    counted = _english_multiple_of(fold(written))
    if counted is None:
        return None
    try:
        return counted[0], normalise_unit(counted[1])
    except UnitError:
        return None


def _unlisted_multiple(text: str) -> int | None:
    """The factor of a multiple of a vocabulary unit that no unit of the list is (万吨, 亿千瓦时),
    or of a spelling of the list that counts its dimension's base unit in a multiple (千吨,
    the kt by name, is a thousand tonnes: the unit column's t reads it 1 000 times too small),
    or ``None``: a unit (千克 is kg) or a multiple that is one (千立方米, the ML) is read with
    the row's unit column."""
    multiple = unit_multiple(text)
    if multiple is None:
        return None
    try:
        normalise_unit(text)
    except UnitError:
        return multiple.factor if multiple.times > 1 else None
    base = BASE_UNIT[BY_CANONICAL[multiple.unit].dimension]
    return multiple.factor if multiple.unit == base else None


def _read_against_rows(spec: SheetSpec, name: str, text: str) -> bool:
    """Whether the header of ``name`` names a unit (or a multiple of one) that its rows' unit
    column may contradict: judged with the rows (:mod:`envreport.validate.row_units`)."""
    written = bracketed_text(text)
    return (name in spec.row_unit_fields and written is not None
            and counted_unit(written) is not None)


def _column_suggestion(spec: SheetSpec, key: str) -> dict[str, str]:
    """The contract columns nearest to an unknown header (``key``: its normalised text;
    "quantiy" → quantity), for the "Did you mean …?" of ``column-unknown``: a typo costs the
    whole column."""
    suggestion = did_you_mean(key, spec.field_keys)
    return {"suggestion": suggestion} if suggestion else {}


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
        key = normalise_header(text)
        name = aliases.get(key)
        if name is None:
            findings.append(Finding("column-unknown", "warning", spec.name, 1, letter,
                                    value=str(text), params=_column_suggestion(spec, key)))
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
            elif _read_against_rows(spec, name, str(text)):
                pass  # judged against the rows' unit column, once the rows are read
            elif (multiplied := multiplier_finding(spec, name, str(text), 1, letter)):
                findings.append(multiplied)
    missing = tuple(f for f in spec.required_fields if f not in layout.columns)
    layout.missing_required = missing
    # Point at the first free header cell: that is where the column should be added.
    free_letter = layout.letter(len(header))
    findings.extend(
        Finding("column-missing", "error", spec.name, 1, free_letter, name) for name in missing
    )
    return layout, findings


@dataclass
class Column:
    """One field's cells on the data rows of a sheet, kept as distinct values.

    A number cell (a ``float``, what spreadsheets store) is in :attr:`numbers` where
    :attr:`is_number` is set; any other cell is ``values[codes[i]]``: text stripped, dates,
    booleans, integers as read, and ``None`` for a blank cell or an Excel error typed as text.
    """

    is_number: np.ndarray  # bool per row
    numbers: np.ndarray  # float64 per row, NaN where the cell is not a number
    codes: np.ndarray  # index into ``values`` per row, -1 at number cells
    values: list[Any]  # the distinct other cells

    def cell(self, index: int) -> Any:
        """The cell of data row ``index`` (``None`` when blank)."""
        if self.is_number[index]:
            return float(self.numbers[index])
        return self.values[self.codes[index]]

    def blank(self) -> np.ndarray:
        """Per row: is the cell blank (or an Excel error, which is not a value)?"""
        blank = np.array([v is None for v in self.values] + [False], dtype=bool)
        picked: np.ndarray = blank[self.codes]  # code -1 (a number) picks the trailing False
        return picked

    def take(self, keep: np.ndarray) -> Column:
        return Column(self.is_number[keep], self.numbers[keep], self.codes[keep], self.values)


@dataclass
class SheetColumns:
    """The data rows of a table sheet (fully blank rows left out), column by column."""

    rows: np.ndarray  # the Excel row number of each data row
    columns: dict[str, Column]  # field → its cells; a field without a column is absent
    blank: int  # fully blank rows

    def __len__(self) -> int:
        return len(self.rows)

    def record(self, index: int) -> dict[str, Any]:
        """Data row ``index`` as {field: value} of its non-blank cells (for the model)."""
        record = {}
        for name, column in self.columns.items():
            value = column.cell(index)
            if value is not None:
                record[name] = value
        return record


def factorize(values: np.ndarray, kinds: set[type] | None = None) -> tuple[np.ndarray, list[Any]]:
    """Codes and distinct values of an object array. Unlike ``==``, which makes ``1``,
    ``1.0`` and ``True`` one value, the type is part of what is distinct. ``kinds``: the
    types of the values, when known."""
    if kinds is None:
        kinds = set(map(type, values))
    if kinds <= {str}:  # a string only ever equals a string: pandas' hash table is safe
        # (and none is missing: no pass looking for one)
        codes, uniques = pd.factorize(values)
        return codes.astype(np.intp, copy=False), list(uniques)
    index: dict[tuple[type, Any], int] = {}
    codes = np.fromiter((index.setdefault((v.__class__, v), len(index)) for v in values),
                        dtype=np.intp, count=len(values))
    return codes, [v for _, v in index]


class _FirstSeen(dict[Any, int]):
    """Each key's number in the order the keys were first seen (a new key gets the next)."""

    def __missing__(self, key: Any) -> int:
        self[key] = number = len(self)
        return number


def _text_codes(cells: list[Any]) -> tuple[np.ndarray, list[Any]] | None:
    """Codes and distinct values of a column that holds texts only (what :func:`factorize`
    gives), in one pass of dict lookups: the reader made equal texts one object, whose hash
    is kept, so this is about twice as fast as pandas' hash table over an object array made
    first, and needs no pass for the cells' types. ``None`` when a cell is not a text (or
    the first is not: a number column is not tried). Every distinct key being a text proves
    every cell was one: no other kind of value equals a text, so none can hide behind one."""
    if not cells or cells[0].__class__ is not str:
        return None
    first_seen = _FirstSeen()
    codes = np.fromiter(map(first_seen.__getitem__, cells), dtype=np.intp, count=len(cells))
    if any(key.__class__ is not str for key in first_seen):
        return None
    return codes, list(first_seen)


def _cells(rows: list[list[Any]], index: int) -> list[Any]:
    """Column ``index`` of ``rows`` (``None`` beyond a short row)."""
    try:
        return list(map(itemgetter(index), rows))
    except IndexError:  # a blank row read as [] or a ragged row
        return [row[index] if index < len(row) else None for row in rows]


def _is_number(cells: list[Any], kinds: set[type]) -> np.ndarray:
    """Per cell: is it a ``float`` (what spreadsheets store numbers as)? Cell by cell only
    in a column of numbers and other cells: a text column has none, a number column only
    those."""
    if float not in kinds:
        return np.zeros(len(cells), dtype=bool)
    if kinds == {float}:
        return np.ones(len(cells), dtype=bool)
    return np.fromiter((c.__class__ is float for c in cells), dtype=bool, count=len(cells))


def _clean(value: Any) -> Any:
    """A distinct cell as the record holds it: stripped text; ``None`` when blank."""
    if value.__class__ is str:
        return None if shows_nothing(value) else value.strip()
    return value


def read_columns(layout: SheetLayout) -> SheetColumns:
    """The data rows of ``layout``'s sheet column by column (one pass per read column).

    Blank cells become ``None``, so a blank required cell is "missing". An Excel error typed
    as text (``#N/A``) is noted in ``layout.text_errors`` and read as blank. A row is blank
    only if *every* cell is, including those of unknown columns: a row whose only values
    sit in unknown columns is validated, and rejected.
    """
    data = layout.raw.rows[1:]
    count = len(data)
    columns: dict[str, Column] = {}
    has_value = np.zeros(count, dtype=bool)
    for name, index in layout.columns.items():
        listed = _cells(data, index)
        texts = _text_codes(listed)
        if texts is not None:  # texts only (the usual column): no number, one pass
            is_number = np.zeros(count, dtype=bool)
            numbers = np.full(count, np.nan)
            codes, raw_values = texts
        else:
            kinds = set(map(type, listed))
            is_number = _is_number(listed, kinds)
            cells = np.empty(count, dtype=object)
            cells[:] = listed
            numbers = np.full(count, np.nan)
            numbers[is_number] = cells[is_number].astype(np.float64)
            codes = np.full(count, -1, dtype=np.intp)
            other_codes, raw_values = factorize(cells[~is_number], kinds - {float})
            codes[~is_number] = other_codes
        values = [_clean(v) for v in raw_values]
        errors = [i for i, v in enumerate(values)
                  if v.__class__ is str and v[0] == "#" and v.upper() in EXCEL_ERRORS]
        for code in errors:
            for offset in np.flatnonzero(codes == code):
                layout.text_errors[(name, int(offset) + 2)] = values[code].upper()
        # An error value is a value (the row is not blank), not one the model can read.
        has_value |= ~Column(is_number, numbers, codes, values).blank()
        for code in errors:
            values[code] = None
        columns[name] = Column(is_number, numbers, codes, values)
    # Rows without a value in any read column: blank unless an unknown column has one.
    blank = np.zeros(count, dtype=bool)
    for offset in np.flatnonzero(~has_value):
        blank[offset] = all(c is None or (c.__class__ is str and shows_nothing(c))
                            for c in data[offset])
    keep = ~blank
    rows = np.arange(2, count + 2, dtype=np.int64)[keep]
    if blank.any():
        columns = {name: column.take(keep) for name, column in columns.items()}
    return SheetColumns(rows, columns, int(blank.sum()))
