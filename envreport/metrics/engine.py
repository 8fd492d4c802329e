"""Every figure of results.json from a :class:`~envreport.submission.Submission`.

The method is the GHG Protocol Corporate Standard and Scope 2 Guidance with the decisions of
spec/methods.md; ``docs/methodology.md`` describes it as implemented. The emission figures
are sums of the calculation trail (one entry per input row × gas × method), so that an
auditor can rebuild every total from ``calculations``.

pandas does the work column-wise; factors are resolved once per distinct key
(:mod:`envreport.metrics.resolve`). The output is plain JSON-able data: floats, strings,
``None``; lists sorted by stable keys; no timestamps, so the same input gives the same dict.
"""

from __future__ import annotations

import gc
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

import envreport
from envreport.factors.library import GAS_GROUPS, FactorLibrary, load_library
from envreport.metrics.resolve import (
    RENEWABLE_INSTRUMENTS,
    Overrides,
    grid_table,
    parse_overrides,
    project_shares,
    resolve_electricity,
    resolve_fuel,
    resolve_refrigerants,
    rows_of,
)
from envreport.schema.sheets import DIVERTED_ROUTES
from envreport.submission import Submission
from envreport.units import conversion_factor, dimension_of

SCHEMA_VERSION = "1"
TRAIL_KEYS = ("sheet", "row", "project_id", "fuel", "scope", "category", "method", "method_note",
              "activity", "activity_unit", "factor", "factor_unit", "factor_source", "gas",
              "gas_group", "gas_t", "gwp", "share", "tco2e", "input_quantity", "input_unit")
RENEWABLE_TECH = ("solar_pv", "wind", "hydro", "biomass_power")
DIVERTED = DIVERTED_ROUTES  # GRI 306-4 recovery operations, defined with the Waste sheet
GJ_PER_MWH = 3.6  # exact: 1 MWh = 3.6 GJ
# China's pledge of 21 September 2021: no new coal power abroad (spec/methods.md).
COAL_PLEDGE = pd.Timestamp("2021-09-22")
PROTECTED_AREA_KM = 5.0
_SHEET_ORDER = {"Fuel": 0, "Refrigerants": 1, "Electricity": 2}
_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}
# The series of ghg.monthly_tco2e: Scope 1, Scope 2 location- and market-based.
MONTHLY_SERIES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e")
# Sheets with a data_quality column (metered | invoice | estimated).
DATA_QUALITY_SHEETS = ("Fuel", "Electricity", "Water", "Waste")
# The project's descriptive fields carried into by_project (the report's policy-alignment,
# biodiversity and annex tables read them by these names).
PROJECT_TEXT = ("project_name_zh", "eia_status", "environmental_standard")
PROJECT_DATES = ("eia_approval_date", "construction_start", "operation_start")
PROJECT_NUMBERS = ("protected_area_distance_km", "installed_capacity_mw", "ownership_pct")


# --- numbers ------------------------------------------------------------------------------
def _denoise(values: np.ndarray | pd.Series) -> np.ndarray:
    """Round to 12 significant digits, column-wise: drops binary noise, keeps every figure.

    Applied the same way to every float of the trail and the totals, so that re-running on
    shuffled input, or summing in another order, gives the same printed numbers.
    """
    x = np.asarray(values, dtype="float64")
    out = x.copy()
    # Tiny magnitudes (far below any reported figure) are left alone: scaling them would
    # overflow the power of ten.
    ok = np.isfinite(x) & (np.abs(x) > 1e-250)
    if ok.any():
        mag = np.floor(np.log10(np.abs(x[ok])))
        decimals = (11 - mag).astype(int)
        pos = decimals >= 0
        scaled = x[ok]
        res = np.empty_like(scaled)
        p = np.power(10.0, decimals[pos])
        res[pos] = np.round(scaled[pos] * p) / p
        q = np.power(10.0, -decimals[~pos])
        res[~pos] = np.round(scaled[~pos] / q) * q
        out[ok] = res
    return out


def _num(value: float | None) -> float | None:
    """One figure for the results: ``None`` stays ``None``, NaN becomes ``None``."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return float(_denoise(np.array([value]))[0]) + 0.0  # + 0.0 turns -0.0 into 0.0


def _sum_or_none(*parts: float | None) -> float | None:
    """A total over several sources: the sum of the non-null parts, null when all are."""
    present = [p for p in parts if p is not None]
    return _num(math.fsum(present)) if present else None


def _fsum(series: pd.Series) -> float:
    return math.fsum(series.to_numpy(dtype="float64"))


def _dict_sum(frame: pd.DataFrame, key: str, value: str) -> dict[str, float]:
    grouped = frame.groupby(key, sort=True)[value].apply(_fsum)
    return {str(k): _num(v) or 0.0 for k, v in grouped.items()}


# --- plain values of one cell (small tables: projects, actions, incidents) -----------------
def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _iso(value: Any) -> str | None:
    """A date cell as ``YYYY-MM-DD``; ``None`` when blank."""
    if _missing(value):
        return None
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date().isoformat()


def _flag(value: Any) -> bool | None:
    return None if _missing(value) else bool(value)


# --- column-wise values (lists that may be long) ------------------------------------------
def _text_list(column: pd.Series) -> list[str | None]:
    return [None if _missing(v) else str(v) for v in column.astype(object).tolist()]


def _iso_list(column: pd.Series) -> list[str | None]:
    stamps = pd.to_datetime(column, errors="coerce")
    text = stamps.dt.strftime("%Y-%m-%d")
    return [None if _missing(v) else v for v in text.astype(object).tolist()]


def _num_list(column: pd.Series | np.ndarray) -> list[float | None]:
    values = _denoise(pd.to_numeric(pd.Series(column), errors="coerce").to_numpy("float64"))
    return [None if math.isnan(v) else v + 0.0 for v in values.tolist()]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or a column of blanks when the sheet has no such column."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


# --- trail --------------------------------------------------------------------------------
def _fuel_trail(f: pd.DataFrame, lib: FactorLibrary, gwp_set: str) -> pd.DataFrame:
    ok = f[f["problem"].isna() & f["tj"].notna()]
    if ok.empty:
        return pd.DataFrame(columns=list(TRAIL_KEYS))
    ch4_gas = np.where(ok["biogenic"], lib.combustion_ch4_gas(gwp_set, True),  # type: ignore[arg-type]
                       lib.combustion_ch4_gas(gwp_set, False))  # type: ignore[arg-type]
    col = f"{gwp_set.lower()}_gwp100"
    gwp_ch4 = pd.Series(ch4_gas, index=ok.index).map(lib.gwp[col]).to_numpy()
    gwp_n2o = float(lib.gwp.loc["N2O", col])
    fallback_note = np.where(ok["fallback"], "no CH4/N2O factors for this use: stationary "
                             "energy-industries factors used", None)
    none = pd.Series(None, index=ok.index, dtype=object)
    ch4_src = ok.get("ch4_src_override", none).fillna(ok["nonco2_src"])
    n2o_src = ok.get("n2o_src_override", none).fillna(ok["nonco2_src"])
    parts = []
    for gas, ef, src, gwp, scope, note in (
        ("CO2", ok["co2_ef"], ok["co2_src"], 1.0,
         np.where(ok["biogenic"], "biogenic", "1"), None),
        ("CH4", ok["ch4_ef"], ch4_src, gwp_ch4, "1", fallback_note),
        ("N2O", ok["n2o_ef"], n2o_src, gwp_n2o, "1", fallback_note),
    ):
        gas_t = ok["tj"] * ef / 1000.0
        parts.append(pd.DataFrame({
            "sheet": "Fuel", "row": ok["row"], "project_id": ok["project_id"],
            "fuel": ok["fuel"], "scope": scope, "category": ok["category"], "method": None,
            "method_note": note,
            "activity": ok["tj"], "activity_unit": "TJ", "factor": ef,
            "factor_unit": "kg/TJ", "factor_source": src, "gas": gas, "gas_group": gas,
            "gas_t": gas_t, "gwp": gwp, "share": ok["share"],
            "tco2e": gas_t * gwp * ok["share"],
            "input_quantity": ok["quantity"], "input_unit": ok["unit"],
        }))
    return pd.concat(parts, ignore_index=True)


def _refrigerant_trail(r: pd.DataFrame) -> pd.DataFrame:
    ok = r[r["problem"].isna()]
    if ok.empty:
        return pd.DataFrame(columns=list(TRAIL_KEYS))
    gas_t = ok["quantity_kg"] / 1000.0
    return pd.DataFrame({
        "sheet": "Refrigerants", "row": ok["row"], "project_id": ok["project_id"], "fuel": None,
        # HCFCs and other non-Kyoto gases are reported apart, never in Scope 1.
        "scope": np.where(ok["group"] == "other", "other", "1"), "category": "fugitive",
        "method": None, "method_note": None, "activity": ok["quantity_kg"],
        "activity_unit": "kg", "factor": 1.0, "factor_unit": "kg/kg",
        "factor_source": ok["source"], "gas": ok["gas"], "gas_group": ok["group"],
        "gas_t": gas_t, "gwp": ok["gwp"], "share": ok["share"],
        "tco2e": gas_t * ok["gwp"] * ok["share"], "input_quantity": ok["quantity_kg"],
        "input_unit": "kg",
    })


def _electricity_trail(e: pd.DataFrame) -> pd.DataFrame:
    ok = e[e["problem"].isna() & e["kwh"].notna()]
    if ok.empty:
        return pd.DataFrame(columns=list(TRAIL_KEYS))

    def part(mask: pd.Series, method: str, kwh: pd.Series, factor: Any, src: Any,
             note: Any) -> pd.DataFrame:
        sel = ok[mask]
        kwh, factor = kwh[mask], pd.Series(factor, index=ok.index)[mask]
        src = pd.Series(src, index=ok.index)[mask]
        note = pd.Series(note, index=ok.index, dtype=object)[mask]
        gas_t = kwh * factor / 1000.0
        return pd.DataFrame({
            "sheet": "Electricity", "row": sel["row"], "project_id": sel["project_id"],
            "fuel": None,
            "scope": "2", "category": "purchased_energy", "method": method,
            "method_note": note, "activity": kwh, "activity_unit": "kWh", "factor": factor,
            "factor_unit": "kg/kWh", "factor_source": src, "gas": "CO2e", "gas_group": "CO2e",
            "gas_t": gas_t, "gwp": 1.0, "share": sel["share"], "tco2e": gas_t * sel["share"],
            "input_quantity": sel["quantity"], "input_unit": sel["unit"],
        })

    instr_note = "contractual instrument (" + ok["instrument"].astype(str) + ")"
    instr_src = np.where(ok["instrument_factor"].notna(),
                         "instrument factor (Electricity sheet)",
                         "contractual instrument: renewable attributes, 0 kg/kWh")
    parts = [
        part(ok["kwh"] > 0, "location", ok["kwh"], ok["loc_factor"], ok["loc_src"],
             ok["loc_note"]),
        part(ok["covered_kwh"] > 0, "market", ok["covered_kwh"], ok["covered_factor"],
             instr_src, instr_note),
        part(ok["rest_kwh"] > 0, "market", ok["rest_kwh"], ok["rest_factor"], ok["rest_src"],
             ok["rest_note"].where(ok["energy_type"] == "electricity", ok["loc_note"])),
    ]
    return pd.concat(parts, ignore_index=True)


def _trail(f: pd.DataFrame | None, r: pd.DataFrame | None, e: pd.DataFrame | None,
           lib: FactorLibrary, gwp_set: str) -> pd.DataFrame:
    parts = []
    if f is not None:
        parts.append(_fuel_trail(f, lib, gwp_set))
    if r is not None:
        parts.append(_refrigerant_trail(r))
    if e is not None:
        parts.append(_electricity_trail(e))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(TRAIL_KEYS))
    t = pd.concat(parts, ignore_index=True)[list(TRAIL_KEYS)]
    t["_sheet"] = t["sheet"].map(_SHEET_ORDER)
    t["_gas"] = t["gas"].map(_GAS_ORDER).fillna(9)
    t["_method"] = t["method"].map({"location": 0, "market": 1}).fillna(0)
    t["_covered"] = t["method_note"].astype(str).str.startswith("contractual").astype(int)
    # Sorting by the Excel row (not input order) makes the trail, and every sum over it,
    # independent of the order the rows arrived in.
    t = t.sort_values(["_sheet", "row", "_gas", "gas", "_method", "_covered"], kind="stable")
    t = t.drop(columns=["_sheet", "_gas", "_method", "_covered"]).reset_index(drop=True)
    # Short citations on every entry; factor_sources (in the results) has the full text.
    full = t["factor_source"]
    distinct = {s: lib.citations.get(s, s) for s in full.dropna().unique()}
    t["factor_source"] = full.map(distinct)
    t.attrs["factor_sources"] = {short: long for long, short in distinct.items()}
    for c in ("activity", "factor", "gas_t", "gwp", "share", "tco2e", "input_quantity"):
        t[c] = _denoise(pd.to_numeric(t[c], errors="coerce"))
    t["row"] = t["row"].astype("int64")
    return t


def _trail_records(t: pd.DataFrame) -> list[dict[str, Any]]:
    """The trail as JSON-able dicts; built column-wise (``tolist`` gives Python scalars)."""
    if t.empty:
        return []
    columns = []
    for key in TRAIL_KEYS:
        col = t[key]
        values = col.tolist()
        if col.hasnans:
            values = [None if v is None or v != v else v for v in values]
        columns.append(values)
    # A million new dicts would trigger the cyclic GC over and over, each pass scanning every
    # object the process holds (the raw workbook too): pause it, the dicts hold no cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [dict(zip(TRAIL_KEYS, rec, strict=True)) for rec in zip(*columns, strict=True)]
    finally:
        if enabled:
            gc.enable()


# --- sections -----------------------------------------------------------------------------
def _ghg(t: pd.DataFrame, f: pd.DataFrame | None, r: pd.DataFrame | None,
         e: pd.DataFrame | None) -> dict[str, Any]:
    s1 = t[t["scope"] == "1"]
    fuel_present, ref_present = f is not None, r is not None

    def tot(frame: pd.DataFrame) -> float:
        return _num(_fsum(frame["tco2e"])) or 0.0

    by_source: dict[str, float | None] = {
        "stationary_combustion": tot(s1[s1["category"] == "stationary_combustion"])
        if fuel_present else None,
        # Off-road machinery is mobile combustion in the GHG Protocol's source categories.
        "mobile_combustion": tot(s1[s1["category"].isin(["mobile_combustion",
                                                         "offroad_combustion"])])
        if fuel_present else None,
        "fugitive": tot(s1[s1["category"] == "fugitive"]) if ref_present else None,
    }
    scope1 = _sum_or_none(*by_source.values())
    by_gas = None
    if scope1 is not None:
        mass = s1["gas_t"] * s1["share"]
        by_gas = {g: _num(_fsum(mass[s1["gas_group"] == g])) or 0.0 for g in GAS_GROUPS}
    s2 = t[t["scope"] == "2"]
    loc = tot(s2[s2["method"] == "location"]) if e is not None else None
    mkt = tot(s2[s2["method"] == "market"]) if e is not None else None
    bio = t[t["scope"] == "biogenic"]
    return {
        "scope1_tco2e": scope1,
        "scope1_by_source_tco2e": by_source,
        "scope1_offroad_tco2e": tot(s1[s1["category"] == "offroad_combustion"])
        if fuel_present else None,
        "scope1_by_gas_t": by_gas,
        "scope2_location_tco2e": loc,
        "scope2_market_tco2e": mkt,
        "biogenic_co2_t": _num(_fsum(bio["gas_t"] * bio["share"])) if fuel_present else None,
        "other_gases_tco2e": tot(t[t["scope"] == "other"]) if ref_present else None,
    }


def _row_periods(sub: Submission, sheets: tuple[str, ...]) -> pd.DataFrame:
    """``sheet``, ``row``, ``period_start``, ``period_end`` (datetime64[D], NaT when blank)."""
    parts = []
    for sheet in sheets:
        rows = rows_of(sub, sheet)
        if rows is None:
            continue
        parts.append(pd.DataFrame({
            "sheet": sheet, "row": rows["row"].to_numpy("int64"),
            "period_start": pd.to_datetime(_column(rows, "period_start"), errors="coerce")
            .to_numpy("datetime64[D]"),
            "period_end": pd.to_datetime(_column(rows, "period_end"), errors="coerce")
            .to_numpy("datetime64[D]"),
        }))
    if not parts:
        return pd.DataFrame({"sheet": pd.Series(dtype=object), "row": pd.Series(dtype="int64"),
                             "period_start": pd.Series(dtype="datetime64[s]"),
                             "period_end": pd.Series(dtype="datetime64[s]")})
    return pd.concat(parts, ignore_index=True)


def _apportion(raw: list[float], total: float) -> list[float]:
    """Split ``total`` in proportion to ``raw`` so that the parts add up to it exactly.

    ``total`` is a figure of the results (12 significant digits). Each part is a whole number
    of units of the total's last digit (largest-remainder rounding, ties to the earlier
    month), so the parts are as clean as every other figure and their decimal sum *is* the
    total: ``sum(Decimal(repr(p)) for p in parts) == Decimal(repr(total))``.
    """
    if not raw:
        return []
    if total == 0:
        return [0.0] * len(raw)
    exact = Decimal(repr(total))
    # The unit of the 12th significant digit, or of the last digit the total has if it has
    # more (a figure far below any reported one, which rounding left with binary noise).
    exponent = min(exact.adjusted() - 11, int(exact.as_tuple().exponent))
    units = int(exact.scaleb(-exponent))
    # Exact rational shares (a dozen months): a month without activity gets exactly 0.
    weights = [Fraction(r) for r in raw]
    if sum(weights) <= 0 or min(weights) < 0:
        weights = [Fraction(1)] * len(raw)
    weight = sum(weights)
    targets = [units * w / weight for w in weights]
    whole = [math.floor(x) for x in targets]
    # The 0 to len(raw) - 1 units left over go to the largest remainders.
    order = sorted(range(len(raw)), key=lambda i: (-(targets[i] - whole[i]), i))
    for i in order[:units - sum(whole)]:
        whole[i] += 1
    return [float(Decimal(w).scaleb(exponent)) + 0.0 for w in whole]


def _monthly(sub: Submission, t: pd.DataFrame, ghg: dict[str, Any]
             ) -> list[dict[str, Any]] | None:
    """Scope 1 and Scope 2 per calendar month of the reporting period (ghg.monthly_tco2e).

    Each trail entry is spread over the months of its row's own period (``period_start`` to
    ``period_end``, both inclusive; blank = the reporting period) in proportion to the days
    of each month inside it; the part of a period outside the reporting period is dropped
    (validation rejects such rows anyway) and a period with no day inside it counts as the
    whole reporting period. The months of each series are then rounded like every figure
    and made to add up exactly to the annual total (:func:`_apportion`). Vectorised: entries
    are summed per (series, period) first, so the expansion to months is as long as the
    number of distinct periods × months, whatever the number of rows.
    """
    org = sub.organization
    emitting = t[t["scope"].isin(["1", "2"])]
    if org is None or emitting.empty:
        return None
    p0 = np.datetime64(org.reporting_period_start, "D")
    p1 = np.datetime64(org.reporting_period_end, "D")
    if p1 < p0:
        return None
    series = np.select([emitting["scope"] == "1", emitting["method"] == "location",
                        emitting["method"] == "market"], [0, 1, 2], default=-1)
    frame = pd.DataFrame({"sheet": emitting["sheet"].to_numpy(),
                          "row": emitting["row"].to_numpy("int64"), "series": series,
                          "v": emitting["tco2e"].to_numpy("float64")})
    frame = frame[frame["series"] >= 0]
    periods = _row_periods(sub, tuple(pd.unique(frame["sheet"])))
    frame = frame.merge(periods, on=["sheet", "row"], how="left", sort=False)
    start = frame["period_start"].to_numpy("datetime64[D]")
    end = frame["period_end"].to_numpy("datetime64[D]")
    start = np.where(np.isnat(start), p0, start)
    end = np.where(np.isnat(end), p1, end)
    outside = (end < start) | (end < p0) | (start > p1)
    start = np.where(outside, p0, np.maximum(start, p0))
    end = np.where(outside, p1, np.minimum(end, p1))
    # One line per (series, period): the trail is sorted, so the sums are reproducible.
    per_period = (pd.DataFrame({"series": frame["series"].to_numpy(), "start": start,
                                "end": end, "v": frame["v"].to_numpy()})
                  .groupby(["series", "start", "end"], sort=True)["v"].sum())
    keys = per_period.index.to_frame(index=False)
    s = keys["start"].to_numpy("datetime64[D]")
    e = keys["end"].to_numpy("datetime64[D]")
    first_month = s.astype("datetime64[M]")
    n_months = (e.astype("datetime64[M]") - first_month).astype("int64") + 1
    idx = np.repeat(np.arange(len(n_months)), n_months)
    offset = np.arange(idx.size) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = first_month[idx] + offset.astype("timedelta64[M]")
    lo = np.maximum(s[idx], month.astype("datetime64[D]"))
    hi = np.minimum(e[idx] + np.timedelta64(1, "D"),
                    (month + np.timedelta64(1, "M")).astype("datetime64[D]"))
    days = (hi - lo).astype("int64")
    span = ((e - s).astype("int64") + 1)[idx]
    spread = (pd.DataFrame({"series": keys["series"].to_numpy()[idx], "month": month,
                            "v": per_period.to_numpy()[idx] * days / span})
              .groupby(["series", "month"], sort=True)["v"].sum())
    months = np.arange(p0.astype("datetime64[M]"), p1.astype("datetime64[M]")
                       + np.timedelta64(1, "M"))
    values: dict[str, list[float | None]] = {}
    for code, key in enumerate(MONTHLY_SERIES):
        total = ghg.get(key)
        if total is None:
            values[key] = [None] * len(months)
            continue
        present = code in spread.index.get_level_values("series")
        raw = (spread.xs(code, level="series").reindex(months, fill_value=0.0) if present
               else pd.Series(0.0, index=months))
        values[key] = _apportion(raw.to_numpy("float64").tolist(), total)
    return [{"month": str(m), **{key: values[key][i] for key in MONTHLY_SERIES}}
            for i, m in enumerate(months)]


def _energy(f: pd.DataFrame | None, e: pd.DataFrame | None,
            gen: pd.DataFrame | None) -> tuple[dict[str, Any], pd.DataFrame]:
    """Energy per GRI 302-1; also returns per-project GJ for by_project."""
    per_project = []
    fuel_gj = purchased = renewable = None
    by_fuel = None
    if f is not None:
        ok = f[f["tj"].notna() & f["problem"].isna()]
        gj = ok["tj"] * 1000.0 * ok["share"]
        fuel_gj = _num(_fsum(gj))
        renewable = _num(_fsum(gj[ok["biogenic"]]))
        by_fuel = _dict_sum(ok.assign(gj=gj), "fuel", "gj")
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    if e is not None:
        ok = e[e["kwh"].notna()]
        gj = ok["kwh"] * 0.0036 * ok["share"]
        purchased = _num(_fsum(gj))
        # Electricity covered by a renewable-attribute instrument counts as renewable.
        covered = ok["instrument"].isin(RENEWABLE_INSTRUMENTS)
        renewable_el = _fsum(ok["covered_kwh"][covered] * 0.0036 * ok["share"][covered])
        renewable = _sum_or_none(renewable, renewable_el)
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    total = _sum_or_none(fuel_gj, purchased)
    self_gen = sold = None
    if gen is not None:
        ren = gen["technology"].isin(RENEWABLE_TECH)
        self_gen = _num(_fsum(gen["gross_generation_mwh"][ren] * GJ_PER_MWH
                              * gen["share"][ren]))
        sold = _num(_fsum(gen["net_export_mwh"].fillna(0.0) * GJ_PER_MWH * gen["share"]))
    energy = {
        "total_consumption_gj": total,
        "fuel_gj": fuel_gj,
        "purchased_gj": purchased,
        "renewable_gj": renewable if total is not None else None,
        "non_renewable_gj": _num(total - (renewable or 0.0)) if total is not None else None,
        "by_fuel_gj": by_fuel,
        "self_generated_renewable_gj": self_gen,
        "sold_gj": sold,
    }
    pp = (pd.concat(per_project, ignore_index=True) if per_project
          else pd.DataFrame(columns=["project_id", "gj"]))
    return energy, pp


def _generation(sub: Submission, shares: pd.DataFrame, lib: FactorLibrary, ov: Overrides,
                year: int) -> pd.DataFrame | None:
    gen = rows_of(sub, "Generation")
    if gen is None:
        return None
    g = pd.DataFrame({"row": gen["row"].to_numpy(), "project_id": gen["project_id"].to_numpy(),
                      "technology": gen["technology"].astype(object).to_numpy()})
    g["gross_generation_mwh"] = pd.to_numeric(gen["gross_generation_mwh"],
                                              errors="coerce").fillna(0.0).to_numpy()
    g["net_export_mwh"] = (pd.to_numeric(gen["net_export_mwh"], errors="coerce").to_numpy()
                           if "net_export_mwh" in gen.columns else np.nan)
    g["share"] = g["project_id"].map(shares["share"]).fillna(0.0).astype("float64")
    g["host_country"] = g["project_id"].map(shares["host_country"])
    grid = grid_table(g["host_country"], year, lib, ov)
    sens = grid_table(g["host_country"], year, lib, ov, role="sensitivity")
    delivered = g["net_export_mwh"].fillna(g["gross_generation_mwh"])
    ren = g["technology"].isin(RENEWABLE_TECH)
    # kg/kWh × MWh = t: the factor per kWh equals tonnes per MWh.
    factor = g["host_country"].map(grid["factor"]).astype("float64")
    g["avoided_t"] = np.where(ren, delivered * factor * g["share"], 0.0)
    g["avoided_ifi_t"] = np.where(
        ren, delivered * g["host_country"].map(sens["factor"]).astype("float64") * g["share"],
        0.0)
    return g


def _action_list(mit: pd.DataFrame, share: pd.Series,
                 reporting: str) -> list[dict[str, Any]]:
    """The Mitigation rows of projects in the boundary, by project then Excel row.

    Each action as reported (reduction and investment unscaled; ``consolidation_share`` says
    how much of it the boundary counts); a blank currency is the reporting currency.
    """
    inside = mit.assign(_share=share)[share > 0]
    inside = inside.sort_values(["project_id", "row"], kind="stable")
    currency = _column(inside, "currency").astype(object)
    columns = {
        "project_id": _text_list(inside["project_id"]),
        "row": inside["row"].astype("int64").tolist(),
        "action": _text_list(_column(inside, "action")),
        "category": _text_list(_column(inside, "category")),
        "status": _text_list(_column(inside, "status")),
        "annual_reduction_tco2e": _num_list(_column(inside, "annual_reduction_tco2e")),
        "investment": _num_list(_column(inside, "investment")),
        "currency": _text_list(currency.where(currency.notna(), reporting or None)),
        "completion_date": _iso_list(_column(inside, "completion_date")),
        "consolidation_share": _num_list(inside["_share"]),
    }
    return [dict(zip(columns, rec, strict=True)) for rec in zip(*columns.values(), strict=True)]


def _mitigation(sub: Submission, gen: pd.DataFrame | None, shares: pd.DataFrame,
                year: int, lib: FactorLibrary, ov: Overrides,
                reporting: str = "") -> dict[str, Any]:
    mit = rows_of(sub, "Mitigation")
    actions = action_list = None
    if mit is not None:
        m_share = mit["project_id"].map(shares["share"]).fillna(0.0)
        red = pd.to_numeric(_column(mit, "annual_reduction_tco2e"), errors="coerce").fillna(0.0)
        done = mit["status"] == "completed"
        actions = _num(_fsum(red[done] * m_share[done]))
        action_list = _action_list(mit, m_share, reporting)
    out: dict[str, Any] = {"renewable_generation_mwh": None, "avoided_tco2e": None,
                           "avoided_tco2e_ifi_combined_margin": None,
                           "actions_reduction_tco2e": actions, "avoided_factors": [],
                           "actions": action_list}
    if gen is not None:
        ren = gen["technology"].isin(RENEWABLE_TECH)
        out["renewable_generation_mwh"] = _num(_fsum(gen["gross_generation_mwh"][ren]
                                                     * gen["share"][ren]))
        out["avoided_tco2e"] = _num(_fsum(gen["avoided_t"].fillna(0.0)))
        out["avoided_tco2e_ifi_combined_margin"] = _num(_fsum(gen["avoided_ifi_t"]
                                                              .fillna(0.0)))
        countries = sorted(gen.loc[ren, "host_country"].dropna().unique())
        loc = grid_table(countries, year, lib, ov)
        sens = grid_table(countries, year, lib, ov, role="sensitivity")
        out["avoided_factors"] = [
            {"country": c, "factor_kg_per_kwh": _num(loc.loc[c, "factor"]),
             "factor_source": loc.loc[c, "source"],
             "sensitivity_factor_kg_per_kwh": _num(sens.loc[c, "factor"]),
             "sensitivity_source": sens.loc[c, "source"]} for c in countries
        ]
    return out


def _to_m3(frame: pd.DataFrame) -> pd.Series:
    units = {u: conversion_factor(u, "m3") for u in frame["unit"].dropna().unique()
             if dimension_of(u) == "volume"}
    return pd.to_numeric(frame["quantity"], errors="coerce") * frame["unit"].map(units)


def _to_t(frame: pd.DataFrame) -> pd.Series:
    units = {u: conversion_factor(u, "t") for u in frame["unit"].dropna().unique()
             if dimension_of(u) == "mass"}
    return pd.to_numeric(frame["quantity"], errors="coerce") * frame["unit"].map(units)


def _water(sub: Submission, shares: pd.DataFrame) -> tuple[dict[str, Any], pd.DataFrame]:
    keys = ("withdrawal_m3", "discharge_m3", "consumption_m3", "withdrawal_stressed_m3",
            "withdrawal_by_source_m3", "discharge_by_destination_m3")
    w = rows_of(sub, "Water")
    if w is None:
        return dict.fromkeys(keys), pd.DataFrame(columns=["project_id", "m3"])
    share = w["project_id"].map(shares["share"]).fillna(0.0)
    m3 = (_to_m3(w) * share).fillna(0.0)
    wd = w["flow"] == "withdrawal"
    dc = w["flow"] == "discharge"
    stressed_col = shares["water_stressed"] if "water_stressed" in shares.columns else None
    stressed = (w["project_id"].map(stressed_col).astype("boolean").fillna(False)
                .astype(bool) if stressed_col is not None else pd.Series(False, index=w.index))
    withdrawal, discharge = _fsum(m3[wd]), _fsum(m3[dc])
    frame = pd.DataFrame({"source": w["source"], "m3": m3})
    data = {
        "withdrawal_m3": _num(withdrawal),
        "discharge_m3": _num(discharge),
        "consumption_m3": _num(withdrawal - discharge),
        "withdrawal_stressed_m3": _num(_fsum(m3[wd & stressed])),
        "withdrawal_by_source_m3": _dict_sum(frame[wd], "source", "m3"),
        "discharge_by_destination_m3": _dict_sum(frame[dc], "source", "m3"),
    }
    return data, pd.DataFrame({"project_id": w["project_id"][wd], "m3": m3[wd]})


def _waste(sub: Submission, shares: pd.DataFrame) -> tuple[dict[str, Any], pd.DataFrame]:
    w = rows_of(sub, "Waste")
    keys = ("total_t", "hazardous_t", "diverted_t", "disposed_t")
    if w is None:
        return dict.fromkeys(keys), pd.DataFrame(columns=["project_id", "t"])
    share = w["project_id"].map(shares["share"]).fillna(0.0)
    t = (_to_t(w) * share).fillna(0.0)
    haz = w["hazardous"].astype("boolean").fillna(False).astype(bool)
    div = w["disposal"].isin(DIVERTED)
    data = {"total_t": _num(_fsum(t)), "hazardous_t": _num(_fsum(t[haz])),
            "diverted_t": _num(_fsum(t[div])), "disposed_t": _num(_fsum(t[~div]))}
    return data, pd.DataFrame({"project_id": w["project_id"], "t": t})


def _fx(sub: Submission) -> dict[str, float]:
    """Units of reporting currency per unit of each currency (reporting currency = 1)."""
    rates: dict[str, float] = {}
    fx = rows_of(sub, "FxRates")
    if fx is not None:
        for cur, rate in zip(fx["currency"], pd.to_numeric(fx["rate_to_reporting_currency"],
                                                           errors="coerce"), strict=True):
            if isinstance(cur, str) and not math.isnan(rate):
                rates[cur.upper()] = float(rate)
    if sub.organization is not None:
        rates[sub.organization.reporting_currency.upper()] = 1.0
    return rates


def _money(amount: pd.Series, currency: pd.Series | None, rates: dict[str, float],
           reporting: str) -> pd.Series:
    cur = (currency.fillna(reporting) if currency is not None
           else pd.Series(reporting, index=amount.index))
    return pd.to_numeric(amount, errors="coerce") * cur.astype(str).str.upper().map(rates)


def _compliance(sub: Submission, shares: pd.DataFrame, rates: dict[str, float],
                reporting: str) -> dict[str, Any]:
    inside = shares[shares["share"] > 0]
    active = inside[inside["status"].isin(["construction", "operation"])]
    eia = (_num(100.0 * (active["eia_status"] == "approved").sum() / len(active))
           if len(active) and "eia_status" in active.columns else None)
    inc = rows_of(sub, "Incidents")
    if inc is None:
        return {"incidents": None, "major_incidents": None, "fines": None,
                "eia_coverage_pct": eia, "incident_list": None}
    share = inc["project_id"].map(shares["share"]).fillna(0.0)
    counted = inc[share > 0]  # counts cover projects in the boundary, unscaled
    fines = _money(inc["fine_amount"] if "fine_amount" in inc.columns
                   else pd.Series(np.nan, index=inc.index),
                   inc["currency"] if "currency" in inc.columns else None, rates, reporting)
    return {"incidents": len(counted),
            "major_incidents": int((counted["severity"] == "major").sum()),
            "fines": _num(_fsum((fines * share).fillna(0.0))),
            "eia_coverage_pct": eia,
            "incident_list": _incident_list(inc, share, fines, reporting)}


def _incident_list(inc: pd.DataFrame, share: pd.Series, fines: pd.Series,
                   reporting: str) -> list[dict[str, Any]]:
    """The Incidents rows of projects in the boundary, by date then Excel row.

    ``fine_amount`` and ``currency`` as reported (a blank currency is the reporting
    currency); ``fine_reporting_currency`` is the fine converted with FxRates, unscaled:
    ``compliance.fines`` is the sum of ``fine_reporting_currency × consolidation_share``.
    """
    frame = inc.assign(_share=share, _fine=fines,
                       _date=pd.to_datetime(_column(inc, "date"), errors="coerce"))[share > 0]
    frame = frame.sort_values(["_date", "row"], kind="stable", na_position="last")
    currency = _column(frame, "currency").astype(object)
    columns = {
        "project_id": _text_list(frame["project_id"]),
        "row": frame["row"].astype("int64").tolist(),
        "date": _iso_list(frame["_date"]),
        "type": _text_list(_column(frame, "type")),
        "severity": _text_list(_column(frame, "severity")),
        "description": _text_list(_column(frame, "description")),
        "fine_amount": _num_list(_column(frame, "fine_amount")),
        "currency": _text_list(currency.where(currency.notna(), reporting or None)),
        "fine_reporting_currency": _num_list(frame["_fine"]),
        "consolidation_share": _num_list(frame["_share"]),
        "status": _text_list(_column(frame, "status")),
        "corrective_action": _text_list(_column(frame, "corrective_action")),
    }
    return [dict(zip(columns, rec, strict=True)) for rec in zip(*columns.values(), strict=True)]


def _data_quality(sub: Submission) -> dict[str, Any] | None:
    """Share of activity rows marked ``estimated``, per sheet and over all of them.

    Over the accepted rows of the sheets with a ``data_quality`` column (Fuel, Electricity,
    Water, Waste) that have rows, whatever the project's share; a blank is not an estimate.
    ``None`` when none of these sheets has rows.
    """
    by_sheet: dict[str, dict[str, Any]] = {}
    for sheet in DATA_QUALITY_SHEETS:
        rows = rows_of(sub, sheet)
        if rows is None:
            continue
        quality = _column(rows, "data_quality").astype(object)
        estimated = int(quality.where(quality.notna(), "").astype(str).str.strip().str.lower()
                        .eq("estimated").sum())
        by_sheet[sheet] = {"rows": len(rows), "estimated": estimated,
                           "share_pct": _num(100.0 * estimated / len(rows))}
    if not by_sheet:
        return None
    n = sum(s["rows"] for s in by_sheet.values())
    k = sum(s["estimated"] for s in by_sheet.values())
    return {"estimated_share_pct": _num(100.0 * k / n), "by_sheet": by_sheet}


def _green_finance(sub: Submission, rates: dict[str, float], reporting: str) -> dict[str, Any]:
    gf = rows_of(sub, "GreenFinance")
    if gf is None:
        return {"total": None, "by_instrument": None}
    # Green finance is raised by the entity, not by one project: no consolidation share.
    value = _money(gf["amount"], gf["currency"], rates, reporting).fillna(0.0)
    frame = pd.DataFrame({"instrument": gf["instrument"], "v": value})
    return {"total": _num(_fsum(value)), "by_instrument": _dict_sum(frame, "instrument", "v")}


def _pollutants(sub: Submission, shares: pd.DataFrame) -> dict[str, float] | None:
    p = rows_of(sub, "Pollutants")
    if p is None:
        return None
    share = p["project_id"].map(shares["share"]).fillna(0.0)
    t = pd.to_numeric(p["quantity_t"], errors="coerce").fillna(0.0) * share
    return _dict_sum(pd.DataFrame({"pollutant": p["pollutant"].astype(str), "t": t}),
                     "pollutant", "t")


def _policy_flags(sub: Submission, shares: pd.DataFrame) -> list[dict[str, str]]:
    p = shares[shares["share"] > 0]
    flags: list[dict[str, str]] = []

    def col(name: str, default: Any = None) -> pd.Series:
        return p[name] if name in p.columns else pd.Series(default, index=p.index)

    cstart = pd.to_datetime(col("construction_start"), errors="coerce")
    approval = pd.to_datetime(col("eia_approval_date"), errors="coerce")
    status, eia = col("status"), col("eia_status")
    coal = (col("project_type") == "coal_power") & (
        (status == "planning")
        | ((status == "construction") & (cstart.isna() | (cstart >= COAL_PLEDGE))))
    rules = [
        ("new-coal-power", coal,
         "New coal power project (planning, or construction from 22 September 2021)."),
        ("eia-missing", status.isin(["construction", "operation"])
         & ~eia.isin(["approved", "not_required"]),
         "Project in construction or operation without an approved EIA."),
        ("eia-after-construction", approval.notna() & cstart.notna() & (approval > cstart),
         "EIA approved after construction started."),
        ("protected-area", pd.to_numeric(col("protected_area_distance_km"), errors="coerce")
         < PROTECTED_AREA_KM, "Within 5 km of a protected area."),
    ]
    water = rows_of(sub, "Water")
    if water is not None and "water_stressed" in p.columns:
        withdrawing = water.loc[water["flow"] == "withdrawal", "project_id"].unique()
        stressed = col("water_stressed").astype("boolean").fillna(False).astype(bool)
        rules.append(("water-stress", stressed & p["project_id"].isin(withdrawing),
                      "Withdraws water in a water-stressed area."))
    for code, mask, message in rules:
        for pid in p.loc[mask.astype("boolean").fillna(False).astype(bool), "project_id"]:
            flags.append({"project_id": str(pid), "code": code, "message": message})
    return sorted(flags, key=lambda x: (x["project_id"], x["code"]))


_TARGET_METRICS = {
    "scope1_tco2e": lambda r: r["ghg"]["scope1_tco2e"],
    "scope2_location_tco2e": lambda r: r["ghg"]["scope2_location_tco2e"],
    "scope2_market_tco2e": lambda r: r["ghg"]["scope2_market_tco2e"],
    # Scope 1 + 2 follows the intensity figure's definition: location-based Scope 2.
    "scope1_2_tco2e": lambda r: _sum_or_none(r["ghg"]["scope1_tco2e"],
                                             r["ghg"]["scope2_location_tco2e"]),
    "scope1_2_market_tco2e": lambda r: _sum_or_none(r["ghg"]["scope1_tco2e"],
                                                    r["ghg"]["scope2_market_tco2e"]),
    "water_withdrawal_m3": lambda r: r["water"]["withdrawal_m3"],
    "water_consumption_m3": lambda r: r["water"]["consumption_m3"],
    "energy_total_gj": lambda r: r["energy"]["total_consumption_gj"],
    "waste_total_t": lambda r: r["waste"]["total_t"],
    "waste_disposed_t": lambda r: r["waste"]["disposed_t"],
}


def _targets(sub: Submission, results: dict[str, Any]) -> list[dict[str, Any]] | None:
    t = rows_of(sub, "Targets")
    if t is None:
        return None
    out = []
    for rec in t.sort_values("row").to_dict("records"):  # a handful of targets
        base = _num(rec.get("base_value"))
        pct = _num(rec.get("target_reduction_pct"))
        target = _num(base * (1 - pct / 100.0)) if base is not None and pct is not None \
            else None
        getter = _TARGET_METRICS.get(str(rec.get("metric")))
        current = getter(results) if getter else None
        progress = None
        if None not in (base, target, current) and base != target:
            progress = _num(100.0 * (base - current) / (base - target))
        out.append({"metric": rec.get("metric"), "base_year": _int(rec.get("base_year")),
                    "base_value": base, "target_year": _int(rec.get("target_year")),
                    "target_value": target, "current_value": current,
                    "progress_pct": progress, "row": int(rec["row"])})
    return out


def _int(v: Any) -> int | None:
    try:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
    except (TypeError, ValueError):
        return None


def _intensity(sub: Submission, ghg: dict[str, Any], t: pd.DataFrame,
               gen: pd.DataFrame | None) -> dict[str, Any]:
    org = sub.organization
    s12 = _sum_or_none(ghg["scope1_tco2e"], ghg["scope2_location_tco2e"])
    revenue = org.revenue if org else None
    employees = org.employees if org else None
    per_mwh = None
    if gen is not None and ghg["scope1_tco2e"] is not None:
        generating = gen[gen["gross_generation_mwh"] > 0]
        mwh = _fsum(generating["gross_generation_mwh"] * generating["share"])
        s1 = t[(t["scope"] == "1") & t["project_id"].isin(generating["project_id"].unique())]
        per_mwh = _num(_fsum(s1["tco2e"]) / mwh) if mwh > 0 else None
    return {
        "tco2e_per_million_revenue": _num(s12 / (revenue / 1e6))
        if s12 is not None and revenue else None,
        "tco2e_per_employee": _num(s12 / employees) if s12 is not None and employees else None,
        "tco2e_per_mwh_generated": per_mwh,
    }


def _sum_by(frame: pd.DataFrame | None, value: str, present: bool) -> dict[str, float] | None:
    """Per-project sums; ``None`` (not reported) when the topic's sheet has no rows."""
    if not present:
        return None
    if frame is None or frame.empty:
        return {}
    return frame.groupby("project_id")[value].apply(_fsum).to_dict()


def _by_project(sub: Submission, shares: pd.DataFrame, t: pd.DataFrame,
                topics: dict[str, tuple[pd.DataFrame | None, str, bool]]
                ) -> list[dict[str, Any]]:
    def trail_sum(mask: pd.Series, present: bool) -> dict[str, float] | None:
        return _sum_by(t[mask], "tco2e", present)

    s1_present = topics["scope1"][2]
    s2_present = topics["scope2"][2]
    sums = {
        "scope1_tco2e": trail_sum(t["scope"] == "1", s1_present),
        "scope2_location_tco2e": trail_sum((t["scope"] == "2") & (t["method"] == "location"),
                                           s2_present),
        "scope2_market_tco2e": trail_sum((t["scope"] == "2") & (t["method"] == "market"),
                                         s2_present),
        "biogenic_co2_t": _sum_by(
            t[t["scope"] == "biogenic"].assign(v=lambda x: x["gas_t"] * x["share"]), "v",
            topics["biogenic"][2]),
        "other_gases_tco2e": trail_sum(t["scope"] == "other", topics["other"][2]),
    }
    for key, (frame, value, present) in topics.items():
        if key in {"scope1", "scope2", "biogenic", "other"}:
            continue
        sums[key] = _sum_by(frame, value, present)
    out = []
    for pid, p in shares.sort_index().iterrows():  # one entry per project: small
        entry: dict[str, Any] = {
            "project_id": str(pid), "project_name": p.get("project_name"),
            "host_country": p.get("host_country"), "sector": p.get("sector"),
            "project_type": p.get("project_type"), "status": p.get("status"),
            "consolidation_share": _num(p["share"]), "in_boundary": bool(p["share"] > 0),
        }
        # The project as described in the Projects sheet (blank → None).
        entry.update({k: _text(p.get(k)) for k in PROJECT_TEXT})
        entry.update({k: _iso(p.get(k)) for k in PROJECT_DATES})
        entry.update({k: _num(pd.to_numeric(p.get(k), errors="coerce"))
                      for k in PROJECT_NUMBERS})
        entry["water_stressed"] = _flag(p.get("water_stressed"))
        for key, values in sums.items():
            entry[key] = None if values is None else (_num(values.get(pid, 0.0)) or 0.0)
        out.append(entry)
    return out


def _by_country(projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = [k for k in (projects[0] if projects else {}) if k.endswith(("_tco2e", "_t", "_gj",
                                                                         "_m3", "_mwh"))]
    countries: dict[str, dict[str, Any]] = {}
    for p in projects:
        c = countries.setdefault(str(p["host_country"]), {
            "country": str(p["host_country"]), "projects": 0,
            **{k: [] for k in keys}})
        c["projects"] += 1
        for k in keys:
            if p[k] is not None:
                c[k].append(p[k])
    out = []
    for name in sorted(countries):
        c = countries[name]
        out.append({"country": name, "projects": c["projects"],
                    **{k: (_num(math.fsum(c[k])) if c[k] else None) for k in keys}})
    return out


def _period(org: Any) -> dict[str, str | None]:
    def iso(d: Any) -> str | None:
        if d is None:
            return None
        return d.isoformat() if isinstance(d, date) else str(d)

    return {"start": iso(org.reporting_period_start) if org else None,
            "end": iso(org.reporting_period_end) if org else None}


# --- entry point --------------------------------------------------------------------------
def compute(submission: Submission) -> dict[str, Any]:
    """The complete results.json content of ``submission`` (spec/results.md).

    Every key of the contract is present; a topic whose sheet has no rows is ``None``.
    Rows that validation rejected are not in the submission; rows whose factors cannot be
    resolved (they carry an error finding from :func:`check_factors`) are left out of the
    figures. The same submission always gives the same dict.
    """
    sub = submission
    org = sub.organization
    lib = load_library()
    gwp_set = (org.gwp_set if org and org.gwp_set else "AR6").upper()
    year = org.reporting_year if org else 0
    reporting = org.reporting_currency.upper() if org else ""
    ov = parse_overrides(sub, lib)
    shares = project_shares(sub)

    f = resolve_fuel(sub, lib, ov)
    r = resolve_refrigerants(sub, lib, ov, gwp_set)
    e = resolve_electricity(sub, lib, ov)
    gen = _generation(sub, shares, lib, ov, year)
    t = _trail(f, r, e, lib, gwp_set)

    ghg = _ghg(t, f, r, e)
    energy, energy_pp = _energy(f, e, gen)
    water, water_pp = _water(sub, shares)
    waste, waste_pp = _waste(sub, shares)
    rates = _fx(sub)
    findings = sub.findings
    results: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool_version": envreport.__version__,
        "input": {"file_name": sub.source.name, "sha256": sub.source.sha256},
        "organization": {
            "entity_id": org.entity_id if org else None,
            "name": org.organization_name if org else None,
            "name_zh": org.organization_name_zh if org else None,
            "consolidation_approach": org.consolidation_approach if org else None,
            "reporting_currency": reporting or None,
            "revenue": org.revenue if org else None,
            "employees": org.employees if org else None,
            "base_year": org.base_year if org else None,
            "parent_entity_id": org.parent_entity_id if org else None,
        },
        "period": _period(org),
        "reporting_year": year or None,
        "gwp_set": gwp_set,
        "factor_library": {"version": lib.version},
        "factor_overrides": [o.to_result() for o in sorted(ov.applied, key=lambda o: o.row)],
        "ghg": ghg,
        "energy": energy,
        "water": water,
        "waste": waste,
        "pollutants_t": _pollutants(sub, shares),
        "compliance": _compliance(sub, shares, rates, reporting),
        "green_finance": _green_finance(sub, rates, reporting),
    }
    results["mitigation"] = _mitigation(sub, gen, shares, year, lib, ov, reporting)
    results["ghg"]["intensity"] = _intensity(sub, ghg, t, gen)
    results["ghg"]["monthly_tco2e"] = _monthly(sub, t, ghg)
    results["data_quality"] = _data_quality(sub)
    results["targets"] = _targets(sub, results)
    results["policy_flags"] = _policy_flags(sub, shares)
    gen_pp = None
    if gen is not None:
        ren = gen["technology"].isin(RENEWABLE_TECH)
        gen_pp = pd.DataFrame({"project_id": gen["project_id"],
                               "mwh": gen["gross_generation_mwh"] * gen["share"] * ren,
                               "avoided": gen["avoided_t"].fillna(0.0)})
    topics = {
        "scope1": (None, "", ghg["scope1_tco2e"] is not None),
        "scope2": (None, "", e is not None),
        "biogenic": (None, "", f is not None),
        "other": (None, "", r is not None),
        "energy_gj": (energy_pp, "gj", f is not None or e is not None),
        "water_withdrawal_m3": (water_pp, "m3", water["withdrawal_m3"] is not None),
        "waste_t": (waste_pp, "t", waste["total_t"] is not None),
        "renewable_generation_mwh": (gen_pp, "mwh", gen is not None),
        "avoided_tco2e": (gen_pp, "avoided", gen is not None),
    }
    results["by_project"] = _by_project(sub, shares, t, topics)
    results["by_country"] = _by_country(results["by_project"])
    results["factor_sources"] = dict(sorted(t.attrs.get("factor_sources", {}).items()))
    results["calculations"] = _trail_records(t)
    results["validation"] = {"errors": len(findings.errors),
                             "warnings": len(findings.warnings)}
    return results
