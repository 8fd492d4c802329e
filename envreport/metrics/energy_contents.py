"""``energy_contents``: per fuel and workbook unit, the density and NCV (or net/gross ratio)
that turned the Fuel sheet's quantities into the trail's TJ, with their publications.

Per fuel and unit, never per row: the resolved Fuel rows are grouped once with pandas, and
the parts of each group come from :func:`envreport.factors.energy_content.energy_parts`, the
one definition the report prints too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

import pandas as pd

from envreport.factors.energy_content import energy_parts
from envreport.factors.library import FactorLibrary
from envreport.metrics.numbers import figure
from envreport.results.models import EnergyContent, FactorOverride


def energy_contents(fuel: pd.DataFrame | None, overrides: Sequence[FactorOverride],
                    library: FactorLibrary) -> list[EnergyContent] | None:
    """One entry per fuel and unit of the Fuel rows converted to energy (``tj`` set, no
    problem), sorted by fuel and unit; ``None`` without a Fuel sheet.

    ``gj_per_unit`` is read off the row the report's table reads it from: the first (by
    Excel row, the trail's order) with a positive quantity, its TJ × 1000 over its quantity.
    """
    if fuel is None:
        return None
    ok = fuel.loc[fuel["tj"].notna() & fuel["problem"].isna(),
                  ["row", "fuel", "unit", "quantity", "tj"]]
    if ok.empty:
        return []
    given = {(o.factor_type, o.key): o for o in overrides}
    keys = ["fuel", "unit"]
    rows = ok.groupby(keys, sort=True).size()
    with_quantity = ok[ok["quantity"] > 0]
    first = with_quantity.loc[with_quantity.groupby(keys, sort=True)["row"].idxmin()]
    # the trail's TJ and quantity are figures (12 significant digits): so is the quotient
    gj_per_unit = {(f, u): _ratio(figure(tj), figure(quantity)) for f, u, tj, quantity in zip(
        first["fuel"].tolist(), first["unit"].tolist(), first["tj"].tolist(),
        first["quantity"].tolist(), strict=True)}
    entries = []
    for (fuel_id, unit), count in zip(rows.index.tolist(), rows.tolist(), strict=True):
        entries.append(EnergyContent(
            fuel=fuel_id, input_unit=unit, rows=int(count),
            gj_per_unit=figure(gj_per_unit.get((fuel_id, unit))),
            **asdict(energy_parts(library, fuel_id, unit, given))))
    return entries


def _ratio(tj: float | None, quantity: float | None) -> float | None:
    """GJ per unit: ``tj`` × 1000 over ``quantity``."""
    return tj * 1000.0 / quantity if tj is not None and quantity else None
