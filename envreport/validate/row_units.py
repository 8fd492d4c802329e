"""A quantity's header unit against its rows' unit column.

A quantity column is read in the unit its row's ``unit`` cell names; a unit in its header's
brackets is a label (docs/workbook.md). When the label names another unit than the rows
(``quantity（千立方米）`` over ``m3``, ``quantity (MWh)`` over ``kWh``), one of the two is
wrong and the figures may be a thousand times off: nobody can tell which from the sheet.

The check reads the validated unit column once per distinct cell (not per row) and reports
at the header cell, one finding per unit of the rows that disagrees, naming its rows: a
column of 100 000 rows in one wrong unit is one finding, as a hidden range of rows is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from envreport.findings import Finding, message_figure, row_ranges
from envreport.i18n import gap
from envreport.units import conversion_factor, dimension_of
from envreport.validate.fields import CheckedField
from envreport.validate.layout import (
    SheetColumns,
    SheetLayout,
    bracketed_text,
    counted_unit,
    english_multiple,
    multiple_factor,
    multiplier,
)

# How many ranges of rows a finding names before "…": the header cell is the place to go to.
ROW_RANGES_SHOWN = 5


def row_unit_findings(layout: SheetLayout, cells: SheetColumns,
                      checked: Mapping[str, CheckedField]) -> list[Finding]:
    """The header unit of each quantity column of ``layout`` against its rows' units.

    Nothing where they agree (``quantity (m3)`` over ``m³``; ``quantity (thousand kWh)`` over
    ``MWh``). A header that counts in a multiple (``万吨``, ``千吨``) over rows all in one
    unit it is a whole multiple of is ``header-multiplier``, its factor in that unit (万吨
    over ``kt``: 10); any other disagreement is ``header-unit-row-conflict`` per unit of the
    rows. With no row to compare (no valid unit), a multiple is ``header-multiplier`` as
    written.
    """
    spec = layout.spec
    findings: list[Finding] = []
    header = layout.raw.rows[0] if layout.raw.rows else []
    for name in spec.row_unit_fields:
        index = layout.columns.get(name)
        if index is None:
            continue
        text = str(header[index])
        written = bracketed_text(text)
        if written is None or (meant := counted_unit(written)) is None:
            continue  # no unit in the header: judged (or not) with the header
        letter = layout.letters[name]
        by_unit = _rows_by_unit(cells, checked, name)
        # an English multiple of a unit counts in that multiple, 000 t as '000 t does
        multiple = multiple_factor(written) or english_multiple(written)
        if not by_unit:
            if multiple is not None:
                findings.append(multiplier(spec, name, text, 1, letter, written, multiple))
            continue
        times = {unit: _times(meant, unit) for unit in by_unit}
        differing = [unit for unit, ratio in times.items()
                     if ratio is None or abs(ratio - 1) > 1e-9]
        if not differing:
            continue
        ratio = times[differing[0]]
        if multiple is not None and len(by_unit) == 1 and ratio is not None \
                and ratio >= 2 and abs(ratio - round(ratio)) <= 1e-9 * ratio:
            findings.append(multiplier(spec, name, text, 1, letter, written, round(ratio)))
            continue
        for unit in differing:
            rows = cells.rows[by_unit[unit]]
            findings.append(Finding("header-unit-row-conflict", "error", spec.name, 1, letter,
                                    name, text, {"header_unit": written, "row_unit": unit,
                                                 "relation": _relation(written, times[unit],
                                                                       unit),
                                                 "rows": row_ranges(rows, ROW_RANGES_SHOWN),
                                                 "count": len(rows)}))
    return findings


def _rows_by_unit(cells: SheetColumns, checked: Mapping[str, CheckedField],
                  name: str) -> dict[str, np.ndarray]:
    """Canonical unit → the data rows (indexes, ascending) with a value in ``name`` and that
    unit in a valid unit cell, in the order each unit first appears."""
    units, column = checked.get("unit"), cells.columns.get("unit")
    if units is None or column is None:
        return {}
    compared = ~checked[name].blank & ~units.error & ~units.blank
    # the unit cells' distinct texts (m³ and m3 are two, one unit): one look-up per text
    codes = column.codes
    distinct, first = np.unique(codes[compared], return_index=True)
    if not len(distinct):
        return {}
    at = np.flatnonzero(compared)
    by_unit: dict[str, list[int]] = {}
    for code, position in sorted(zip(distinct.tolist(), first.tolist(), strict=True),
                                 key=lambda pair: pair[1]):
        by_unit.setdefault(str(units.values[at[position]]), []).append(code)
    return {unit: np.flatnonzero(compared & np.isin(codes, same))
            for unit, same in by_unit.items()}


def _times(meant: tuple[int, str], unit: str) -> float | None:
    """How many ``unit`` one of the header's (factor, unit) is; ``None`` across dimensions."""
    factor, header_unit = meant
    if dimension_of(header_unit) != dimension_of(unit):
        return None
    return factor * conversion_factor(header_unit, unit)


def _relation(written: str, times: float | None, unit: str) -> str:
    """How far apart the header's unit and the row's are, in figures and units only (both
    languages read it): ``1 MWh = 1,000 kWh``, ``1千立方米 = 1,000 m3`` (no space between a
    number and a Chinese unit, as Chinese writes it); ``吨 ≠ L`` across dimensions."""
    if times is None:
        return f"{written} ≠ {unit}"
    return f"1{gap('1', written, 'zh')}{written} = {message_figure(times)} {unit}"

