"""The calculation trail: one entry per input row × gas × method, columnar.

The emission figures of the results are sums over this table, so an auditor can rebuild every
total from ``calculations``. It stays a pandas DataFrame with the columns of
:data:`~envreport.results.TRAIL_COLUMNS` until results.json is written
(:func:`envreport.results.trail_records`): a Python object per entry would cost about ten
times the memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from envreport.factors.library import FactorLibrary
from envreport.factors.resolve import INSTRUMENT_FACTOR_SOURCE, RENEWABLE_INSTRUMENT_SOURCE
from envreport.metrics.numbers import denoise
from envreport.results.models import TRAIL_COLUMNS
from envreport.results.trail import empty_trail
from envreport.schema import Sheet

# The trail's float columns, rounded like every figure (numbers.denoise).
TRAIL_FLOATS = ("activity", "factor", "gas_t", "gwp", "share", "tco2e", "input_quantity")
# The trail's text columns, held as categories.
TRAIL_TEXTS = ("sheet", "project_id", "fuel", "scope", "category", "method", "method_note",
               "activity_unit", "factor_unit", "factor_source", "gas", "gas_group",
               "input_unit")
_SHEET_ORDER = {Sheet.FUEL: 0, Sheet.REFRIGERANTS: 1, Sheet.ELECTRICITY: 2}
_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}
CONTRACTUAL_NOTE_PREFIX = "contractual instrument"


def fuel_trail(fuel: pd.DataFrame, library: FactorLibrary, gwp_set: str) -> pd.DataFrame:
    """CO2, CH4 and N2O entries of each computable Fuel row (from ``resolve_fuel``)."""
    ok = fuel[fuel["problem"].isna() & fuel["tj"].notna()]
    if ok.empty:
        return empty_trail()
    ch4_gas = np.where(ok["biogenic"],
                       library.combustion_ch4_gas(gwp_set, True),  # type: ignore[arg-type]
                       library.combustion_ch4_gas(gwp_set, False))  # type: ignore[arg-type]
    gwp_column = f"{gwp_set.lower()}_gwp100"
    gwp_ch4 = pd.Series(ch4_gas, index=ok.index).map(library.gwp[gwp_column]).to_numpy()
    gwp_n2o = float(library.gwp.at["N2O", gwp_column])  # type: ignore[arg-type]
    fallback_note = ok["fallback"].map({True: "no CH4/N2O factors for this use: stationary "
                                              "energy-industries factors used", False: None})
    blank = pd.Series(None, index=ok.index, dtype=object)
    ch4_source = ok.get("ch4_src_override", blank).fillna(ok["nonco2_src"])
    n2o_source = ok.get("n2o_src_override", blank).fillna(ok["nonco2_src"])
    parts = []
    for gas, factor, source, gwp, scope, note in (
        ("CO2", ok["co2_ef"], ok["co2_src"], 1.0,
         np.where(ok["biogenic"], "biogenic", "1"), None),
        ("CH4", ok["ch4_ef"], ch4_source, gwp_ch4, "1", fallback_note),
        ("N2O", ok["n2o_ef"], n2o_source, gwp_n2o, "1", fallback_note),
    ):
        gas_t = ok["tj"] * factor / 1000.0
        parts.append(pd.DataFrame({
            "sheet": Sheet.FUEL, "row": ok["row"], "project_id": ok["project_id"],
            "fuel": ok["fuel"], "scope": scope, "category": ok["category"], "method": None,
            "method_note": note,
            "activity": ok["tj"], "activity_unit": "TJ", "factor": factor,
            "factor_unit": "kg/TJ", "factor_source": source, "gas": gas, "gas_group": gas,
            "gas_t": gas_t, "gwp": gwp, "share": ok["share"],
            "tco2e": gas_t * gwp * ok["share"],
            "input_quantity": ok["quantity"], "input_unit": ok["unit"],
        }))
    return pd.concat(parts, ignore_index=True)


def refrigerant_trail(refrigerants: pd.DataFrame) -> pd.DataFrame:
    """One entry per computable Refrigerants row (from ``resolve_refrigerants``)."""
    ok = refrigerants[refrigerants["problem"].isna()]
    if ok.empty:
        return empty_trail()
    gas_t = ok["quantity_kg"] / 1000.0
    return pd.DataFrame({
        "sheet": Sheet.REFRIGERANTS, "row": ok["row"], "project_id": ok["project_id"], "fuel": None,
        # HCFCs and other non-Kyoto gases are reported apart, never in Scope 1.
        "scope": np.where(ok["group"] == "other", "other", "1"), "category": "fugitive",
        "method": None, "method_note": None, "activity": ok["quantity_kg"],
        "activity_unit": "kg", "factor": 1.0, "factor_unit": "kg/kg",
        "factor_source": ok["source"], "gas": ok["gas"], "gas_group": ok["group"],
        "gas_t": gas_t, "gwp": ok["gwp"], "share": ok["share"],
        "tco2e": gas_t * ok["gwp"] * ok["share"], "input_quantity": ok["quantity_kg"],
        "input_unit": "kg",
    })


def electricity_trail(electricity: pd.DataFrame) -> pd.DataFrame:
    """Location-based, instrument-covered and residual market-based entries per row."""
    ok = electricity[electricity["problem"].isna() & electricity["kwh"].notna()]
    if ok.empty:
        return empty_trail()

    def entries(mask: pd.Series, method: str, kwh: pd.Series, factor: Any, source: Any,
                note: Any) -> pd.DataFrame:
        selected = ok[mask]
        kwh, factor = kwh[mask], pd.Series(factor, index=ok.index)[mask]
        source = pd.Series(source, index=ok.index)[mask]
        note = pd.Series(note, index=ok.index, dtype=object)[mask]
        gas_t = kwh * factor / 1000.0
        return pd.DataFrame({
            "sheet": Sheet.ELECTRICITY, "row": selected["row"],
            "project_id": selected["project_id"], "fuel": None,
            "scope": "2", "category": "purchased_energy", "method": method,
            "method_note": note, "activity": kwh, "activity_unit": "kWh", "factor": factor,
            "factor_unit": "kg/kWh", "factor_source": source, "gas": "CO2e",
            "gas_group": "CO2e", "gas_t": gas_t, "gwp": 1.0, "share": selected["share"],
            "tco2e": gas_t * selected["share"],
            "input_quantity": selected["quantity"], "input_unit": selected["unit"],
        })

    instrument_note = f"{CONTRACTUAL_NOTE_PREFIX} (" + ok["instrument"].astype(str) + ")"
    instrument_source = np.where(ok["instrument_factor"].notna(),
                                 INSTRUMENT_FACTOR_SOURCE, RENEWABLE_INSTRUMENT_SOURCE)
    parts = [
        entries(ok["kwh"] > 0, "location", ok["kwh"], ok["loc_factor"], ok["loc_src"],
                ok["loc_note"]),
        entries(ok["covered_kwh"] > 0, "market", ok["covered_kwh"], ok["covered_factor"],
                instrument_source, instrument_note),
        entries(ok["rest_kwh"] > 0, "market", ok["rest_kwh"], ok["rest_factor"],
                ok["rest_src"],
                ok["rest_note"].where(ok["energy_type"] == "electricity", ok["loc_note"])),
    ]
    return pd.concat(parts, ignore_index=True)


def _per_category(column: pd.Series, key: Any, missing: Any) -> np.ndarray:
    """``key`` of each entry of a categorical column, worked out once per category (a missing
    entry takes ``missing``)."""
    keyed = np.array([*map(key, column.cat.categories), missing])
    return keyed[column.cat.codes.to_numpy()]  # code -1 (missing) takes the last


def build_trail(fuel: pd.DataFrame | None, refrigerants: pd.DataFrame | None,
                electricity: pd.DataFrame | None, library: FactorLibrary,
                gwp_set: str) -> pd.DataFrame:
    """The whole trail, sorted by sheet, Excel row, gas and method, floats rounded.

    ``trail.attrs["factor_sources"]`` maps each short citation to its full text.
    """
    parts = []
    if fuel is not None:
        parts.append(fuel_trail(fuel, library, gwp_set))
    if refrigerants is not None:
        parts.append(refrigerant_trail(refrigerants))
    if electricity is not None:
        parts.append(electricity_trail(electricity))
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_trail()
    trail = pd.concat(parts, ignore_index=True)[list(TRAIL_COLUMNS)]
    del parts
    # Text columns as categories: a million entries repeat a few dozen distinct texts, held
    # once each instead of once per entry (about a quarter of the memory).
    for name in TRAIL_TEXTS:
        trail[name] = trail[name].astype("category")
    # Sorting by the Excel row (not input order) makes the trail, and every sum over it,
    # independent of the order the rows arrived in. One stable lexsort over numpy keys (the
    # last key sorts first), one copy of the frame.
    order = np.lexsort((
        _per_category(trail["method_note"],
                      lambda note: str(note).startswith(CONTRACTUAL_NOTE_PREFIX), False),
        _per_category(trail["method"], {"location": 0, "market": 1}.get, 0),
        trail["gas"].cat.codes.to_numpy(),  # categories are sorted, and a gas is never blank
        _per_category(trail["gas"], lambda gas: _GAS_ORDER.get(gas, 9), 9),
        trail["row"].to_numpy(),
        _per_category(trail["sheet"], _SHEET_ORDER.get, 3),
    ))
    trail = trail.take(order).reset_index(drop=True)
    # Short citations on every entry; factor_sources (in the results) has the full text.
    full = trail["factor_source"]
    distinct = {s: library.citations.get(s, s) for s in full.dropna().unique()}
    trail["factor_source"] = full.map(distinct).astype("category")
    trail.attrs["factor_sources"] = {short: long for long, short in distinct.items()}
    for name in TRAIL_FLOATS:
        trail[name] = denoise(pd.to_numeric(trail[name], errors="coerce"))
    trail["row"] = trail["row"].astype("int64")
    return trail
