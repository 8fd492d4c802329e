"""``energy_contents``: per fuel and workbook unit, the density and NCV (or net/gross ratio)
that turned the Fuel sheet's quantities into the trail's TJ, with their publications.

Per fuel and unit, never per row: the resolved Fuel rows are grouped once with pandas, and
the parts of each group come from :func:`envreport.factors.energy_content.energy_parts`, the
one definition the report prints too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
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
    # one code per fuel and unit (factorized once: grouping the text columns with pandas
    # took 45 ms at 100 000 rows, this about a third of it)
    fuel_codes, fuels = pd.factorize(ok["fuel"])
    unit_codes, units = pd.factorize(ok["unit"])
    code = fuel_codes.astype(np.int64) * len(units) + unit_codes
    counts = np.bincount(code, minlength=len(fuels) * len(units))
    # the first row with a quantity of each: by code, then Excel row (a stable sort: the
    # first of equal rows, a group's members in order, as the trail has them)
    tj, quantity = ok["tj"].to_numpy(dtype="float64"), ok["quantity"].to_numpy(dtype="float64")
    positive = np.flatnonzero(quantity > 0)
    order = positive[np.lexsort((ok["row"].to_numpy()[positive], code[positive]))]
    starts = order[np.r_[True, code[order][1:] != code[order][:-1]]] if len(order) else order
    # the trail's TJ and quantity are figures (12 significant digits): so is the quotient
    gj_per_unit = {int(code[at]): _ratio(figure(tj[at]), figure(quantity[at])) for at in starts}
    entries = [EnergyContent(
        fuel=fuels[at // len(units)], input_unit=units[at % len(units)], rows=int(counts[at]),
        gj_per_unit=figure(gj_per_unit.get(at)),
        **asdict(energy_parts(library, fuels[at // len(units)], units[at % len(units)], given)))
        for at in np.flatnonzero(counts).tolist()]
    entries.sort(key=lambda entry: (entry.fuel, entry.input_unit))
    return entries


def _ratio(tj: float | None, quantity: float | None) -> float | None:
    """GJ per unit: ``tj`` × 1000 over ``quantity``."""
    return tj * 1000.0 / quantity if tj is not None and quantity else None
