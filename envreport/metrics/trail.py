"""The calculation trail: one entry per input row × gas × method, columnar.

The emission figures of the results are sums over this table, so an auditor can rebuild every
total from ``calculations``. It stays a pandas DataFrame with the columns of
:data:`~envreport.results.TRAIL_COLUMNS` until results.json is written
(:func:`envreport.results.trail_records`): a Python object per entry would cost about ten
times the memory. Its text columns are categories (a few dozen distinct texts repeated over a
million entries), and the parts it is made of are plain numpy arrays until then: a DataFrame
would copy every text into a string column of its own first.
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
from envreport.schema.sheets import GwpSet

# The trail's float columns, rounded like every figure (numbers.denoise).
TRAIL_FLOATS = ("activity", "factor", "gas_t", "gwp", "share", "tco2e", "input_quantity")
# The trail's text columns, held as categories.
TRAIL_TEXTS = ("sheet", "project_id", "fuel", "scope", "category", "method", "method_note",
               "activity_unit", "factor_unit", "factor_source", "gas", "gas_group",
               "input_unit")
_SHEET_ORDER = {Sheet.FUEL: 0, Sheet.REFRIGERANTS: 1, Sheet.ELECTRICITY: 2}
_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}
CONTRACTUAL_NOTE_PREFIX = "contractual instrument"

#: texts of a part of the trail: each entry's code into the part's own distinct texts (-1:
#: missing)
Texts = tuple[np.ndarray, list[str]]
#: part of the trail: a column per trail field, all as long; texts as codes, so that no
#: Python string is made per entry (a text column of a DataFrame would copy each text too)
Part = dict[str, Any]  # np.ndarray, or Texts for a text column


def _texts(value: Any, length: int) -> Texts:
    """A text column of a part: a scalar repeated (``None``: missing), a column's values, or
    their :data:`Texts` already made (a column shared by several parts: factorized once)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, pd.Series | np.ndarray):
        codes, uniques = pd.factorize(value, use_na_sentinel=True)
        return codes, list(uniques)
    if value is None:
        return np.full(length, -1, dtype=np.int32), []
    return np.zeros(length, dtype=np.int32), [value]


def _numbers(value: Any, length: int, dtype: str) -> np.ndarray:
    """A number column of a part: a scalar repeated, or a column's values."""
    if isinstance(value, pd.Series | np.ndarray):
        if dtype == "float64" and np.asarray(value).dtype.kind not in "fiub":
            value = pd.to_numeric(pd.Series(value, dtype=object), errors="coerce")
        return np.asarray(value, dtype=dtype)
    return np.full(length, value, dtype=dtype)


def _part(length: int, **columns: Any) -> Part:
    """A part of the trail from its columns (scalars are repeated)."""
    return {name: _texts(columns[name], length) if name in TRAIL_TEXTS else
            _numbers(columns[name], length, "int64" if name == "row" else "float64")
            for name in TRAIL_COLUMNS}


def _computable(rows: pd.DataFrame, computable: pd.Series) -> pd.DataFrame:
    """The rows that can be computed: all of them in any build (a row that cannot carries an
    error, and an invalid workbook is not built), so the frame itself, not a copy of it."""
    return rows if computable.all() else rows[computable]


def fuel_trail(fuel: pd.DataFrame, library: FactorLibrary, gwp_set: GwpSet) -> list[Part]:
    """CO2, CH4 and N2O entries of each computable Fuel row (from ``resolve_fuel``)."""
    ok = _computable(fuel, fuel["problem"].isna() & fuel["tj"].notna())
    if ok.empty:
        return []
    ch4_gas = np.where(ok["biogenic"],
                       library.combustion_ch4_gas(gwp_set, True),
                       library.combustion_ch4_gas(gwp_set, False))
    gwp_column = f"{gwp_set.lower()}_gwp100"
    gwp_ch4 = pd.Series(ch4_gas, index=ok.index).map(library.gwp[gwp_column]).to_numpy()
    gwp_n2o = float(library.gwp[gwp_column].loc["N2O"])
    fallback_note = ok["fallback"].map({True: "no CH4/N2O factors for this use: stationary "
                                              "energy-industries factors used", False: None})
    blank = pd.Series(None, index=ok.index, dtype=object)
    ch4_source = ok.get("ch4_src_override", blank).fillna(ok["nonco2_src"])
    n2o_source = ok.get("n2o_src_override", blank).fillna(ok["nonco2_src"])
    tj, share = ok["tj"].to_numpy(dtype="float64"), ok["share"].to_numpy(dtype="float64")
    # the same in the CO2, CH4 and N2O parts: each text column factorized once
    project, fuel_ids, category, unit = (
        _texts(ok[name], len(ok)) for name in ("project_id", "fuel", "category", "unit"))
    parts = []
    for gas, factor, source, gwp, scope, note in (
        ("CO2", ok["co2_ef"], ok["co2_src"], 1.0,
         np.where(ok["biogenic"], "biogenic", "1"), None),
        ("CH4", ok["ch4_ef"], ch4_source, gwp_ch4, "1", fallback_note),
        ("N2O", ok["n2o_ef"], n2o_source, gwp_n2o, "1", fallback_note),
    ):
        gas_t = tj * _numbers(factor, len(ok), "float64") / 1000.0
        parts.append(_part(
            len(ok), sheet=Sheet.FUEL, row=ok["row"], project_id=project,
            fuel=fuel_ids, scope=scope, category=category, method=None,
            method_note=note, activity=tj, activity_unit="TJ", factor=factor,
            factor_unit="kg/TJ", factor_source=source, gas=gas, gas_group=gas,
            gas_t=gas_t, gwp=gwp, share=share, tco2e=gas_t * gwp * share,
            input_quantity=ok["quantity"], input_unit=unit))
    return parts


def refrigerant_trail(refrigerants: pd.DataFrame) -> list[Part]:
    """One entry per computable Refrigerants row (from ``resolve_refrigerants``)."""
    ok = _computable(refrigerants, refrigerants["problem"].isna())
    if ok.empty:
        return []
    gas_t = ok["quantity_kg"] / 1000.0
    return [_part(
        len(ok), sheet=Sheet.REFRIGERANTS, row=ok["row"], project_id=ok["project_id"],
        fuel=None,
        # HCFCs and other non-Kyoto gases are reported apart, never in Scope 1.
        scope=np.where(ok["group"] == "other", "other", "1"), category="fugitive",
        method=None, method_note=None, activity=ok["quantity_kg"],
        activity_unit="kg", factor=1.0, factor_unit="kg/kg",
        factor_source=ok["source"], gas=ok["gas"], gas_group=ok["group"],
        gas_t=gas_t, gwp=ok["gwp"], share=ok["share"],
        tco2e=gas_t * ok["gwp"] * ok["share"], input_quantity=ok["quantity_kg"],
        input_unit="kg")]


def electricity_trail(electricity: pd.DataFrame) -> list[Part]:
    """Location-based, instrument-covered and residual market-based entries per row."""
    ok = _computable(electricity, electricity["problem"].isna() & electricity["kwh"].notna())
    if ok.empty:
        return []

    def entries(mask: pd.Series, method: str, kwh: pd.Series, factor: Any, source: Any,
                note: Any) -> Part:
        selected = ok.loc[mask, ["row", "project_id", "share", "quantity", "unit"]]
        kwh, factor = kwh[mask], pd.Series(factor, index=ok.index)[mask]
        source = pd.Series(source, index=ok.index, dtype=object)[mask]
        note = pd.Series(note, index=ok.index, dtype=object)[mask]
        gas_t = kwh * factor / 1000.0
        return _part(
            len(selected), sheet=Sheet.ELECTRICITY, row=selected["row"],
            project_id=selected["project_id"], fuel=None,
            scope="2", category="purchased_energy", method=method,
            method_note=note, activity=kwh, activity_unit="kWh", factor=factor,
            factor_unit="kg/kWh", factor_source=source, gas="CO2e",
            gas_group="CO2e", gas_t=gas_t, gwp=1.0, share=selected["share"],
            tco2e=gas_t * selected["share"],
            input_quantity=selected["quantity"], input_unit=selected["unit"])

    instrument_note = f"{CONTRACTUAL_NOTE_PREFIX} (" + ok["instrument"].astype(str) + ")"
    instrument_source = np.where(ok["instrument_factor"].notna(),
                                 INSTRUMENT_FACTOR_SOURCE, RENEWABLE_INSTRUMENT_SOURCE)
    return [
        entries(ok["kwh"] > 0, "location", ok["kwh"], ok["loc_factor"], ok["loc_src"],
                ok["loc_note"]),
        entries(ok["covered_kwh"] > 0, "market", ok["covered_kwh"], ok["covered_factor"],
                instrument_source, instrument_note),
        entries(ok["rest_kwh"] > 0, "market", ok["rest_kwh"], ok["rest_factor"],
                ok["rest_src"],
                ok["rest_note"].where(ok["energy_type"] == "electricity", ok["loc_note"])),
    ]


def _per_category(column: pd.Categorical, key: Any, missing: Any) -> np.ndarray:
    """``key`` of each entry of a categorical column, worked out once per category (a missing
    entry takes ``missing``)."""
    keyed = np.array([*map(key, column.categories), missing])
    per_entry: np.ndarray = keyed[column.codes]  # code -1 (missing) takes the last
    return per_entry


def _stack(parts: list[Part]) -> dict[str, Any]:
    """The parts' columns one under the other, texts as categories (sorted)."""
    columns: dict[str, Any] = {}
    for name in TRAIL_COLUMNS:
        if name in TRAIL_TEXTS:
            pieces: list[Texts] = [part.pop(name) for part in parts]
            union = sorted({text for _, distinct in pieces for text in distinct})
            position = {text: number for number, text in enumerate(union)}
            codes = np.concatenate([
                np.array([*(position[t] for t in distinct), -1], dtype=np.int32)[part_codes]
                for part_codes, distinct in pieces])  # a part's code -1 takes the last: -1
            columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(union))
        else:  # each part's column is freed as soon as it is copied
            columns[name] = np.concatenate([part.pop(name) for part in parts])
    return columns


def build_trail(fuel: pd.DataFrame | None, refrigerants: pd.DataFrame | None,
                electricity: pd.DataFrame | None, library: FactorLibrary,
                gwp_set: GwpSet) -> pd.DataFrame:
    """The whole trail, sorted by sheet, Excel row, gas and method, floats rounded.

    ``trail.attrs["factor_sources"]`` maps each short citation to its full text.
    """
    parts: list[Part] = []
    if fuel is not None:
        parts += fuel_trail(fuel, library, gwp_set)
    if refrigerants is not None:
        parts += refrigerant_trail(refrigerants)
    if electricity is not None:
        parts += electricity_trail(electricity)
    parts = [p for p in parts if len(p["row"])]
    if not parts:
        return empty_trail()
    columns = _stack(parts)
    del parts
    # Sorting by the Excel row (not input order) makes the trail, and every sum over it,
    # independent of the order the rows arrived in. One stable lexsort over numpy keys (the
    # last key sorts first), applied a column at a time before the frame is made (one copy
    # of a column alive at once, never two of the whole trail).
    order = np.lexsort((
        _per_category(columns["method_note"],
                      lambda note: str(note).startswith(CONTRACTUAL_NOTE_PREFIX), False),
        _per_category(columns["method"], {"location": 0, "market": 1}.get, 0),
        columns["gas"].codes,  # categories are sorted, and a gas is never blank
        _per_category(columns["gas"], lambda gas: _GAS_ORDER.get(gas, 9), 9),
        columns["row"],
        _per_category(columns["sheet"], _SHEET_ORDER.get, 3),
    ))
    for name in TRAIL_COLUMNS:
        columns[name] = columns[name][order]
        if name in TRAIL_FLOATS:
            columns[name] = denoise(columns[name])
    del order
    trail = pd.DataFrame(columns)
    del columns
    # Short citations on every entry; factor_sources (in the results) has the full text.
    full = trail["factor_source"]
    distinct = {s: library.citations.get(s, s) for s in full.dropna().unique()}
    trail["factor_source"] = full.map(distinct).astype("category")
    trail.attrs["factor_sources"] = {short: long for long, short in distinct.items()}
    return trail
