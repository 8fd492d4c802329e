"""Ozone-depleting substances (GRI 305-6) from the Refrigerants sheet.

Each refrigerant released is weighed by its ozone-depleting potential (ODP) from the
Montreal Protocol's annexes (``envreport/factors/data/ods.csv``): tonnes of CFC-11
equivalent = kg released × ODP / 1000, scaled by the consolidation share. Gases that are not
controlled substances (HFCs, PFCs, SF6) deplete no ozone and add nothing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from envreport.factors.library import FactorLibrary
from envreport.metrics.numbers import exact_sum, figure
from envreport.results.models import Ods, OdsEntry


def ods(refrigerants: pd.DataFrame | None, library: FactorLibrary) -> Ods | None:
    """``{"cfc11_eq_t", "by_gas": [{"gas", "released_kg", "odp", "cfc11_eq_t", "source"}]}``.

    ``None`` when there is no Refrigerants sheet; ``cfc11_eq_t`` 0 and ``by_gas`` empty when
    none of the gases released is an ozone-depleting substance.
    """
    if refrigerants is None:
        return None
    # each distinct gas name looked up once (a row's name is any spelling of the gas)
    codes, given = pd.factorize(refrigerants["gas_given"], use_na_sentinel=True)
    found = [library.ods_name(name) if isinstance(name, str) else None for name in given]
    names = pd.Series(np.array([*found, None], dtype=object)[codes], index=refrigerants.index)
    rows = refrigerants.assign(ods_gas=names)
    rows = rows[rows["ods_gas"].notna() & rows["quantity_kg"].notna()]
    by_gas = []
    for gas, group in rows.groupby("ods_gas", sort=True):
        odp = library.odp(gas)
        if odp is None:  # cannot happen: ods_name found the gas in the same table
            continue
        released_kg = exact_sum(group["quantity_kg"] * group["share"])
        by_gas.append(OdsEntry(gas=str(gas), released_kg=figure(released_kg), odp=odp.value,
                               cfc11_eq_t=figure(released_kg * odp.value / 1000.0),
                               source=odp.source))
    return Ods(cfc11_eq_t=figure(math.fsum(entry.cfc11_eq_t or 0.0 for entry in by_gas)),
               by_gas=by_gas)
