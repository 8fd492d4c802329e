"""Factor resolution shared by metrics and validation: which factor applies to which row.

:func:`envreport.metrics.compute` and :func:`envreport.validate.factor_checks.check_factors`
both call these functions, so a row that validation flags is exactly a row metrics cannot
compute, and a fallback that validation warns about is the one metrics applies.

Everything is column-wise: units and factors are looked up once per *distinct* key (unit
text, fuel, country) and then mapped or merged onto the rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from envreport.codes import (
    OVERRIDE_BLANK,
    OVERRIDE_FUEL_GAS,
    OVERRIDE_GRID_GAS,
    OVERRIDE_NEGATIVE,
    OVERRIDE_NOT_A_COUNTRY,
    OVERRIDE_NOT_A_FUEL,
    OVERRIDE_REPEATED,
    OVERRIDE_TYPE,
    OVERRIDE_UNIT,
    OVERRIDE_ZERO,
    own_reason,
)
from envreport.factors import supplied
from envreport.factors.library import (
    FactorLibrary,
    GridRole,
    classify_gas_name,
    gas_key,
    load_library,
    record,
)

# the fixed texts, where the trail's other notes are (the report translates them all)
from envreport.factors.supplied import INSTRUMENT_FACTOR_SOURCE as INSTRUMENT_FACTOR_SOURCE
from envreport.factors.supplied import SUPPLIER_FACTOR_SOURCE as SUPPLIER_FACTOR_SOURCE
from envreport.i18n import HAN_CHAR
from envreport.schema import Sheet
from envreport.schema.base import LABELLED_CHOICE
from envreport.schema.sheets import HEAT_TYPES
from envreport.schema.types import country_alpha3 as parse_country_alpha3
from envreport.schema.vocabulary import fold_label, ids_by_label
from envreport.submission import Submission
from envreport.units import GROSS_BASIS_UNITS, conversion_factor, dimension_of, ratio_factor

#: np.where's "no value" branch: an object ``None``, which is what numpy makes of a bare
#: ``None`` there (numpy's annotations do not accept a bare ``None`` as an array)
NO_VALUE = np.array(None, dtype=object)

# Project sector → IPCC stationary table (docs/methodology.md "CH4 and N2O factors by Fuel.use").
SECTOR_CONTEXT = {
    "energy": "energy_industries",
    "manufacturing": "manufacturing",
    "mining": "manufacturing",
    "oil_gas": "manufacturing",
    "infrastructure": "manufacturing",
    "transport": "manufacturing",
}
USE_CONTEXT = {"mobile": "road", "offroad": "offroad"}
USE_CATEGORY = {
    "stationary": "stationary_combustion",
    "mobile": "mobile_combustion",
    "offroad": "offroad_combustion",
}


# What resolution (and the trail) writes in English where a factor is not a citation; the
# report translates these texts and counts the residual-mix fallbacks by them.
# (a supplier's or instrument's factor, and a certificate at 0 kg/kWh, is cited with the
# row's supplier and document: envreport.factors.supplied. RENEWABLE_INSTRUMENT_SOURCE is
# what a certificate without a document was cited as before r18: the results.json of an
# earlier run still carries it, and its report still translates it)
RENEWABLE_INSTRUMENT_SOURCE = "contractual instrument: renewable attributes, 0 kg/kWh"
RESIDUAL_MIX_FALLBACK_NOTE = "no residual mix in the factor library: location-based factor used"
HEAT_SUPPLIER_NOTE = ("no grid-average factor for purchased heat, steam or cooling; "
                      "the supplier's factor is used for both methods")

def rows_of(sub: Submission, sheet: str) -> pd.DataFrame | None:
    """The accepted rows of ``sheet``, or ``None`` when it is absent or has no rows."""
    table = sub.table(sheet)
    if table is None or len(table) == 0:
        return None
    return table


def country_alpha3(text: object) -> str | None:
    """ISO alpha-3 of a country as the workbook accepts it (:func:`schema.types.country_alpha3`),
    or ``WLD`` (the library's world average); ``None`` if unknown."""
    if isinstance(text, str) and text.strip().upper() == "WLD":
        return "WLD"
    return parse_country_alpha3(text)


# --- consolidation ------------------------------------------------------------------------
def project_shares(sub: Submission) -> pd.DataFrame:
    """Projects with their consolidation ``share`` (0–1), indexed by ``project_id``.

    equity_share → ownership_pct / 100; operational/financial control → 1 when the entity
    has that control, else 0 (a blank counts as no control: validation reports it).
    """
    projects = sub.table(Sheet.PROJECTS)
    cols = ["project_id", "host_country", "sector", "project_type", "status"]
    if projects is None or len(projects) == 0:
        empty = pd.DataFrame(columns=[*cols, "share"])
        return empty.set_index("project_id", drop=False)
    p = projects.copy()
    approach = sub.organization.consolidation_approach if sub.organization else ""
    if approach == "equity_share":
        ownership = p["ownership_pct"] if "ownership_pct" in p.columns else pd.Series(
            np.nan, index=p.index)
        share = pd.to_numeric(ownership, errors="coerce").fillna(0.0) / 100.0
    else:
        flag = p[approach] if approach in p.columns else pd.Series(False, index=p.index)
        share = flag.astype("boolean").fillna(False).astype("float64")
    p["share"] = share.clip(lower=0.0, upper=1.0).astype("float64")
    return p.drop_duplicates("project_id").set_index("project_id", drop=False)


# --- overrides ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Override:
    """One accepted row of the ``Factors`` sheet, with its value in the library's unit."""

    factor_type: str
    key: str
    gas: str | None
    value: float  # as given
    unit: str  # as given
    canonical: float  # in the unit metrics use (kg/TJ, TJ/Gg, MJ/m3, t/m3, kg/kWh, 1)
    source: str
    row: int
    source_zh: str | None = None  # the workbook's Chinese text of the source (version 2)

    def citation(self) -> str:
        return f"Factors sheet row {self.row}: {self.source}"

    def to_result(self) -> dict[str, Any]:
        """The results.json entry; ``source_zh`` only when the workbook gives one."""
        out: dict[str, Any] = {"factor_type": self.factor_type, "key": self.key,
                               "gas": self.gas, "value": self.value, "unit": self.unit,
                               "source": self.source, "sheet": Sheet.FACTORS, "row": self.row}
        if self.source_zh:
            out["source_zh"] = self.source_zh
        return out


@dataclass
class Overrides:
    """The Factors sheet split into what applies and what cannot (with the reason)."""

    applied: list[Override] = field(default_factory=list)
    invalid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    fuel: dict[tuple[str, str], Override] = field(default_factory=dict)
    ncv_mass: dict[str, Override] = field(default_factory=dict)
    ncv_volume: dict[str, Override] = field(default_factory=dict)
    density: dict[str, Override] = field(default_factory=dict)
    grid: dict[str, Override] = field(default_factory=dict)
    refrigerant: dict[str, Override] = field(default_factory=dict)  # by gas_key


def override_target(factor_type: object, key: object) -> tuple[str, str] | None:
    """(the rows a Factors row touches: fuel | grid | refrigerant, its key as resolution
    keys it) — ``None`` when the type is unknown or a grid key is no country or heat type.

    The one normalisation of override keys: :func:`parse_overrides` and the group batch
    (which must know which member's rows an override reaches) both use it.
    """
    kind = str(factor_type or "").strip().lower()
    text = str(key or "").strip()
    if kind in {"fuel", "ncv", "density"}:
        return "fuel", text.lower()
    if kind == "grid":
        if text.lower() in HEAT_TYPES:
            return "grid", text.lower()
        iso3 = country_alpha3(text)
        return ("grid", iso3) if iso3 else None
    if kind == "refrigerant":
        return "refrigerant", gas_key(text)
    return None


def _to(value: float, unit: str, target: str) -> float | None:
    """``value`` in ``unit`` expressed in ``target``; ``None`` when the unit does not fit.

    The unit text is looked up in the unit vocabulary (:func:`envreport.units.ratio_factor`),
    never evaluated: ``10**10**10`` is no unit, not a number to compute.
    """
    if unit.strip() in {"", "-"}:
        return None
    factor = ratio_factor(unit, target)
    return None if factor is None else value * factor


def parse_overrides(sub: Submission, lib: FactorLibrary) -> Overrides:
    """Read the Factors sheet: what each override replaces, and which rows are invalid."""
    out = Overrides()
    table = rows_of(sub, Sheet.FACTORS)
    if table is None:
        return out
    for rec in table.sort_values("row").to_dict("records"):  # a handful of rows: a loop is fine
        row = int(rec["row"])
        ftype = str(rec.get("factor_type") or "").strip().lower()
        key_text = str(rec.get("key") or "").strip()
        gas = rec.get("gas")
        gas = str(gas).strip() if isinstance(gas, str) and gas.strip() else None
        value = rec.get("value")
        unit = str(rec.get("unit") or "").strip()
        source = str(rec.get("source") or "").strip()
        source_zh = rec.get("source_zh")
        source_zh = str(source_zh).strip() if isinstance(source_zh, str) and source_zh else None
        params = {"factor_type": ftype, "key": key_text}

        # the row's own (bound now, the loop goes on); ``values`` fill the sentence in
        def bad(sentence: str, params: dict[str, Any] = params, this_row: int = row,
                **values: Any) -> None:
            out.invalid.append((this_row, {**params, "reason": own_reason(sentence, **values)}))

        if value is None or (isinstance(value, float) and math.isnan(value)):
            bad(OVERRIDE_BLANK)
            continue
        value = float(value)
        if value < 0:
            bad(OVERRIDE_NEGATIVE)
            continue
        canonical: float | None
        key = key_text
        target_key = override_target(ftype, key_text)
        if ftype in {"fuel", "ncv", "density"}:
            key = target_key[1] if target_key else key_text.lower()
            if not lib.has_fuel(key):
                bad(OVERRIDE_NOT_A_FUEL, key=key_text)
                continue
        if ftype == "fuel":
            if gas is None or gas.upper() not in {"CO2", "CH4", "N2O"}:
                bad(OVERRIDE_FUEL_GAS)
                continue
            gas = gas.upper()
            canonical = _to(value, unit, "kg/TJ")
            target: dict[Any, Override] = out.fuel
            slot: Any = (key, gas)
        elif ftype == "ncv":
            mass_based = _to(value, unit, "TJ/Gg")
            volume_based = _to(value, unit, "MJ/m3")
            canonical = mass_based if mass_based is not None else volume_based
            target = out.ncv_mass if mass_based is not None else out.ncv_volume
            slot = key
        elif ftype == "density":
            canonical = _to(value, unit, "t/m3")
            target, slot = out.density, key
        elif ftype == "grid":
            if gas is not None and gas.upper() not in {"CO2E", "CO2"}:
                bad(OVERRIDE_GRID_GAS)
                continue
            gas = "CO2e"
            if target_key is None:
                bad(OVERRIDE_NOT_A_COUNTRY, key=key_text)
                continue
            key = target_key[1]
            canonical = _to(value, unit, "kg/kWh")
            target, slot = out.grid, key
        elif ftype == "refrigerant":
            canonical = value if unit in {"1", "", "-"} else _to(value, unit, "1")
            known = lib.resolve_gas(key_text)
            key = known or key_text
            target, slot = out.refrigerant, gas_key(key_text)
        else:
            bad(OVERRIDE_TYPE)
            continue
        if canonical is None:
            bad(OVERRIDE_UNIT, unit=unit, factor_type=ftype)
            continue
        if canonical <= 0 and ftype in {"ncv", "density"}:
            bad(OVERRIDE_ZERO)
            continue
        if slot in target:
            bad(OVERRIDE_REPEATED, row=target[slot].row)
            continue
        ov = Override(ftype, key, gas, value, unit, canonical, source, row, source_zh)
        target[slot] = ov
        out.applied.append(ov)
    return out


# --- units --------------------------------------------------------------------------------
def unit_maps(units: Iterable[str]) -> pd.DataFrame:
    """Per distinct unit text: its dimension and factor to the base unit of that dimension."""
    records = []
    for unit in sorted(u for u in pd.unique(pd.Series(units, dtype=object).dropna())
                       if isinstance(u, str)):
        try:
            dim = dimension_of(unit)
        except (ValueError, AttributeError, TypeError):  # dimension_of looks up, never parses
            dim = None
        base = {"mass": "t", "volume": "m3", "energy": "GJ"}.get(dim or "")
        to_base = conversion_factor(unit, base) if base else np.nan
        records.append({"unit": unit, "dim": dim, "to_base": to_base,
                        "gross": unit in GROSS_BASIS_UNITS})
    frame = pd.DataFrame(records, columns=["unit", "dim", "to_base", "gross"])
    return frame.set_index("unit")


# --- fuel combustion ----------------------------------------------------------------------
def _id_form(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def fuel_id(text: str) -> str:
    """A fuel as typed → the library's id form ("Natural Gas" → natural_gas).

    The fuel column reads its drop-down as every other drop-down column does
    (:data:`envreport.schema.base.Choice`): the Chinese template's entry as the id in its
    brackets ("柴油（diesel）" → diesel), and a fuel's label alone as its id ("柴油" → diesel;
    an English label is its id's form already), unless two fuels share it. Anything else
    keeps its id form, which the library does not know (``fuel-unknown``)."""
    form = _id_form(text)
    lib = load_library()
    if lib.has_fuel(form):
        return form
    if (match := LABELLED_CHOICE.search(text.strip())) and lib.has_fuel(_id_form(match[1])):
        return _id_form(match[1])
    if not HAN_CHAR.search(text):
        # every English label is its id's id form already; the Chinese ones need the
        # Chinese catalogue (babel), which an English validation does not import
        return form
    named = ids_by_label(lib.fuel_ids()).get(fold_label(text))
    return named[0] if named is not None and len(named) == 1 else form


def _texts(values: Any, index: pd.Index) -> pd.Series:
    """A text column kept as Python objects: each row points at one of a few shared strings.

    pandas 3 would infer its own string dtype, which stores every row's text again (at
    500 000 rows the resolved Fuel frame was the peak memory of a build)."""
    return pd.Series(np.asarray(values, dtype=object), index=index, dtype=object)


class _Keys:
    """A key column factorized once: each lookup runs per distinct key, then is spread to the
    rows by code, so no lookup makes a value (or a string) per row."""

    def __init__(self, column: pd.Series) -> None:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        self.codes = codes  # -1: missing, which takes the appended "no value" below
        self.index = column.index
        self.uniques = pd.Series(np.asarray(uniques, dtype=object), dtype=object)

    def _spread(self, per_key: np.ndarray, missing: Any) -> np.ndarray:
        return np.append(per_key, np.array([missing], dtype=per_key.dtype))[self.codes]

    def text(self, table: Any) -> pd.Series:
        """``table`` (a mapping or Series) looked up for each row; missing: NaN."""
        per_key = self.uniques.map(table).to_numpy(dtype=object, na_value=np.nan)
        return _texts(self._spread(per_key, np.nan), self.index)

    def number(self, table: Any) -> pd.Series:
        per_key = pd.to_numeric(self.uniques.map(table), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)
        return pd.Series(self._spread(per_key, np.nan), index=self.index)

    def flag(self, table: Any, value: bool = True) -> pd.Series:
        """True where the looked-up value is ``value`` (missing or anything else: False)."""
        per_key = self.uniques.map(table).eq(value).to_numpy(dtype=bool)
        return pd.Series(self._spread(per_key, False), index=self.index)


def _fuel_ids(column: pd.Series) -> pd.Series:
    """Fuel ids compared case- and space-insensitively (:func:`fuel_id`)."""
    keys = _Keys(column)
    return keys.text({v: fuel_id(v) for v in keys.uniques if isinstance(v, str)})


def _energy_notes(ov: Overrides, by_fuel: _Keys, is_mass: pd.Series, vol_ncv: pd.Series,
                  vol_density: pd.Series) -> pd.Series:
    """Per Fuel row, the parts of its energy the Factors sheet gave (missing: none), for its
    trail entries' ``method_note``. Without it the trail of a row whose NCV is the submission's
    read as the library's: the CO2 entry cites IPCC Tables 1.2 (NCV) and 1.4, and its TJ is
    not the quantity times IPCC's NCV (the sample's coal: 22.6 MJ/kg measured, 25.8 in IPCC)."""
    ncv = {key: f"net calorific value from {o.citation()}" for key, o in ov.ncv_mass.items()}
    per_volume = {key: f"net calorific value per volume from {o.citation()}"
                  for key, o in ov.ncv_volume.items()}
    by_density = {key: "; ".join(note for note in (
        f"density from {ov.density[key].citation()}" if key in ov.density else None,
        ncv.get(key)) if note) for key in {*ov.density, *ov.ncv_mass}}
    notes = by_fuel.text(ncv).where(is_mass)
    notes = notes.mask(vol_ncv, by_fuel.text(per_volume))
    return notes.mask(vol_density, by_fuel.text(by_density)).astype(object)


def resolve_fuel(sub: Submission, lib: FactorLibrary, ov: Overrides) -> pd.DataFrame | None:
    """Each Fuel row with its energy (TJ), CO2/CH4/N2O factors, sources and problem, if any.

    ``problem`` is a finding code (``fuel-unknown``, ``gas-volume-needs-ncv``,
    ``fuel-volume-not-convertible``) for rows that cannot be computed; ``fallback`` marks rows
    whose use has no CH4/N2O factors and take the energy-industries ones.

    Every lookup runs once per distinct fuel, unit, project or context (:class:`_Keys`), and
    text columns hold shared Python strings (:func:`_texts`): no string is made per row.
    """
    fuel = rows_of(sub, Sheet.FUEL)
    if fuel is None:
        return None
    shares = project_shares(sub)
    index = pd.RangeIndex(len(fuel))
    fuel_ids = _fuel_ids(pd.Series(fuel["fuel"].to_numpy(dtype=object), index=index,
                                   dtype=object))
    f = pd.DataFrame({
        "row": fuel["row"].to_numpy(),
        "project_id": _texts(fuel["project_id"].to_numpy(dtype=object), index),
        "fuel": fuel_ids,
        "quantity": pd.to_numeric(fuel["quantity"], errors="coerce").to_numpy(),
        "unit": _texts(fuel["unit"].to_numpy(dtype=object), index),
        "use": _texts(fuel["use"].to_numpy(dtype=object), index).fillna("stationary"),
    }, index=index)
    project = _Keys(f["project_id"])
    f["share"] = project.number(shares["share"]).fillna(0.0).astype("float64")
    f["sector"] = project.text(shares["sector"]) if len(shares) else None
    props = lib.fuels
    by_fuel = _Keys(f["fuel"])
    f["known"] = by_fuel.flag({k: True for k in props.index})
    ncv = props["ncv_tj_per_gg"].copy()
    ncv_src = props["factor_source"].copy()
    co2 = props["co2_kg_per_tj"].copy()
    co2_src = props["factor_source"].copy()
    density = props["density_t_per_m3"].copy()
    for key, o in ov.ncv_mass.items():
        ncv[key], ncv_src[key] = o.canonical, o.citation()
    for key, o in ov.density.items():
        density[key] = o.canonical
    for (key, gas), o in ov.fuel.items():
        if gas == "CO2":
            co2[key], co2_src[key] = o.canonical, o.citation()
    ncv_vol = pd.Series({k: o.canonical for k, o in ov.ncv_volume.items()}, dtype="float64")
    f["biogenic"] = by_fuel.flag(props["biogenic"].to_dict())
    f["ncv"] = by_fuel.number(ncv)
    f["ncv_volume"] = by_fuel.number(ncv_vol)
    f["density"] = by_fuel.number(density)
    f["co2_ef"] = by_fuel.number(co2)
    f["co2_src"] = by_fuel.text(co2_src)
    f["ncv_src"] = by_fuel.text(ncv_src)

    units = unit_maps(f["unit"])
    by_unit = _Keys(f["unit"])
    f["to_base"] = by_unit.number(units["to_base"])
    gross = by_unit.flag(units["gross"].to_dict())
    base = f["quantity"] * f["to_base"]  # t, m3 or GJ
    # compared once per distinct unit and fuel, not per row (a missing one: never equal)
    is_mass, is_vol, is_energy = (by_unit.flag(units["dim"] == s)
                                  for s in ("mass", "volume", "energy"))
    is_gas = by_fuel.flag(props["state"] == "gas")
    # Gross-basis units to net with IPCC's ratios (docs/methodology.md).
    g2n = np.where(is_gas, lib.gross_to_net("gas").value, lib.gross_to_net("liquid").value)
    net_ratio = np.where(gross, g2n, 1.0)
    tj = pd.Series(np.nan, index=f.index)
    tj = tj.mask(is_mass, base / 1000.0 * f["ncv"])
    vol_ncv = is_vol & f["ncv_volume"].notna()
    vol_density = is_vol & ~vol_ncv & f["density"].notna()
    tj = tj.mask(vol_ncv, base * f["ncv_volume"] / 1e6)
    tj = tj.mask(vol_density, base * f["density"] / 1000.0 * f["ncv"])
    tj = tj.mask(is_energy, base * net_ratio / 1000.0)
    f["tj"] = tj
    if ov.ncv_mass or ov.ncv_volume or ov.density:
        f["energy_note"] = _energy_notes(ov, by_fuel, is_mass, vol_ncv, vol_density)

    problem = pd.Series(None, index=f.index, dtype=object)
    vol_stuck = is_vol & ~vol_ncv & ~vol_density
    problem = problem.mask(vol_stuck & is_gas, "gas-volume-needs-ncv")
    problem = problem.mask(vol_stuck & ~is_gas, "fuel-volume-not-convertible")
    problem = problem.mask(~f["known"], "fuel-unknown")
    f["problem"] = problem

    # CH4/N2O context from use and sector; fall back to energy industries when absent.
    stationary_ctx = _Keys(f["sector"]).text(SECTOR_CONTEXT).fillna("commercial")
    by_use = _Keys(f["use"])  # also gives the category, below
    f["context"] = by_use.text(USE_CONTEXT).fillna(stationary_ctx)
    # Each distinct (fuel, context) pair is looked up once in the CH4/N2O table.
    nonco2 = lib.nonco2.set_index(["fuel_id", "context"])
    by_context = _Keys(f["context"])
    combined = (by_fuel.codes + 1) * (len(by_context.uniques) + 1) + (by_context.codes + 1)
    _, first, pair_codes = np.unique(combined, return_index=True, return_inverse=True)
    pairs = pd.MultiIndex.from_arrays(
        [f["fuel"].to_numpy(dtype=object)[first], f["context"].to_numpy(dtype=object)[first]],
        names=["fuel_id", "context"])

    def spread(per_pair: np.ndarray) -> np.ndarray:
        return per_pair[pair_codes]

    has_pair = pairs.isin(nonco2.index)
    f["fallback"] = f["known"].to_numpy() & ~spread(has_pair)
    lookup = pd.MultiIndex.from_arrays(
        [pairs.get_level_values(0),
         np.where(has_pair, pairs.get_level_values(1), "energy_industries")])
    found = lookup.isin(nonco2.index)
    reindexed = nonco2.reindex(lookup)

    f["nonco2_context"] = _texts(spread(np.asarray(lookup.get_level_values(1), dtype=object)),
                                 index)
    f["ch4_ef"] = spread(np.where(found, reindexed["ch4_kg_per_tj"].to_numpy(dtype="float64"),
                                  np.nan))
    f["n2o_ef"] = spread(np.where(found, reindexed["n2o_kg_per_tj"].to_numpy(dtype="float64"),
                                  np.nan))
    f["nonco2_src"] = _texts(spread(np.where(
        found, reindexed["factor_source"].to_numpy(dtype=object, na_value=np.nan), np.nan)),
        index)
    for (key, gas), o in ov.fuel.items():
        if gas in {"CH4", "N2O"}:
            hit = f["fuel"] == key
            f.loc[hit, f"{gas.lower()}_ef"] = o.canonical
            if f"{gas.lower()}_src_override" not in f:
                f[f"{gas.lower()}_src_override"] = _texts(np.full(len(f), np.nan, object),
                                                          index)
            f.loc[hit, f"{gas.lower()}_src_override"] = o.citation()
    f["category"] = by_use.text(USE_CATEGORY).fillna("stationary_combustion")
    return f


# --- grid factors -------------------------------------------------------------------------
def grid_table(countries: Iterable[str], year: int, lib: FactorLibrary, ov: Overrides,
               role: GridRole = "location") -> pd.DataFrame:
    """Per distinct country: factor (kg/kWh), source, factor year, later flag, missing flag.

    A ``grid`` override for the country wins over the library (location role only).
    """
    records = []
    for c in sorted(c for c in pd.unique(pd.Series(countries, dtype=object).dropna())
                    if isinstance(c, str)):
        o = ov.grid.get(c) if role == "location" else None
        if o is not None:
            records.append({"country": c, "factor": o.canonical, "source": o.citation(),
                            "factor_year": None, "later": False, "missing": False})
            continue
        choice = lib.grid_factor(c, year, role=role)
        if choice is None:
            records.append({"country": c, "factor": np.nan, "source": None,
                            "factor_year": None, "later": False, "missing": True})
        else:
            records.append({"country": c, "factor": choice.value, "source": choice.source,
                            "factor_year": choice.year, "later": choice.later_than_period,
                            "missing": False})
    frame = pd.DataFrame(records, columns=["country", "factor", "source", "factor_year",
                                           "later", "missing"])
    # The year as the library gives it, also beside a country without one (None): a float
    # column would make it 2025.0 in a finding's parameters (validate --format json).
    frame["factor_year"] = pd.Series([r["factor_year"] for r in records], dtype=object)
    return frame.set_index("country")


# --- purchased energy ---------------------------------------------------------------------
def resolve_electricity(sub: Submission, lib: FactorLibrary,
                        ov: Overrides) -> pd.DataFrame | None:
    """Each Electricity row in kWh with its location and market factors and problems."""
    el = rows_of(sub, Sheet.ELECTRICITY)
    if el is None:
        return None
    shares = project_shares(sub)
    year = sub.organization.reporting_year if sub.organization else 0
    # Text columns as shared Python strings and lookups once per distinct key (as in
    # :func:`resolve_fuel`): pandas 3 string columns would copy each row's text.
    index = pd.RangeIndex(len(el))
    e = pd.DataFrame({"row": el["row"].to_numpy(),
                      "project_id": _texts(el["project_id"].to_numpy(dtype=object), index)},
                     index=index)
    project = _Keys(e["project_id"])
    e["share"] = project.number(shares["share"]).fillna(0.0).astype("float64")
    n = len(el)

    def col(name: str) -> np.ndarray:
        return el[name].to_numpy() if name in el.columns else np.full(n, None, dtype=object)

    e["energy_type"] = pd.Series(col("energy_type"), dtype=object).fillna("electricity")
    e["quantity"] = pd.to_numeric(pd.Series(col("quantity")), errors="coerce")
    e["unit"] = pd.Series(col("unit"), dtype=object)
    host = project.text(shares["host_country"]) if len(shares) else None
    e["grid_country"] = pd.Series(col("grid_country"), dtype=object).fillna(host)
    e["instrument"] = pd.Series(col("instrument"), dtype=object).fillna("none")
    def num(name: str) -> pd.Series:
        return pd.to_numeric(pd.Series(col(name), dtype="float64"), errors="coerce")

    e["instrument_quantity"] = num("instrument_quantity")
    e["instrument_factor"] = num("instrument_factor_kg_per_kwh")
    e["supplier_factor"] = num("supplier_factor_kg_per_kwh")
    # each factor the row gives is cited by the row's supplier and document
    # (docs/methodology.md "Scope 2 market-based")
    supplier_name, document = pd.Series(col("supplier")), pd.Series(col("source_ref"))
    e["supplier_src"] = supplied.sources(supplied.SUPPLIER, supplier_name, document,
                                         e["supplier_factor"].notna(), index)
    has_instr = ~_Keys(e["instrument"]).flag({"none": True})
    # the kWh an instrument covers: its own factor, else a certificate at 0 kg/kWh, each
    # cited by the row's supplier and document (or what the row leaves blank)
    own_factor = e["instrument_factor"].notna()
    e["instrument_src"] = supplied.sources(
        supplied.INSTRUMENT, supplier_name, document, own_factor, index).fillna(
        supplied.sources(supplied.CERTIFICATE, supplier_name, document,
                         has_instr & ~own_factor, index))

    by_unit = _Keys(e["unit"])
    to_kwh = {u: conversion_factor(u, "kWh") for u in by_unit.uniques
              if dimension_of(u) == "energy"}
    factor = by_unit.number(to_kwh)
    e["kwh"] = e["quantity"] * factor
    by_type = _Keys(e["energy_type"])  # also gives the heat overrides, below
    is_elec = by_type.flag({"electricity": True})

    grid = grid_table(e.loc[is_elec, "grid_country"], year, lib, ov)
    by_country = _Keys(e["grid_country"])
    e["loc_factor"] = np.where(is_elec, by_country.number(grid["factor"]), np.nan)
    e["loc_src"] = _texts(np.where(is_elec, by_country.text(grid["source"]), NO_VALUE), index)
    e["factor_year"] = np.where(is_elec, by_country.text(grid["factor_year"]), NO_VALUE)
    # flag() reads a missing mapping (no country) as not True / not False: "no" / "missing"
    e["later"] = is_elec & by_country.flag(grid["later"].to_dict())
    missing = is_elec & ~by_country.flag(grid["missing"].to_dict(), False)
    e["loc_note"] = None
    # Heat, steam, cooling: no grid average exists, so the supplier's factor (or a Factors
    # override keyed by the energy type) is used for both methods (docs/methodology.md).
    heat = ~is_elec
    heat_override = by_type.number({k: o.canonical for k, o in ov.grid.items()
                                    if k in HEAT_TYPES})
    heat_override_src = by_type.text({k: o.citation() for k, o in ov.grid.items()
                                      if k in HEAT_TYPES})
    use_supplier = heat & e["supplier_factor"].notna()
    use_ov = heat & ~use_supplier & heat_override.notna()
    e.loc[use_supplier, "loc_factor"] = e.loc[use_supplier, "supplier_factor"]
    e.loc[use_supplier, "loc_src"] = e.loc[use_supplier, "supplier_src"]
    e.loc[use_ov, "loc_factor"] = heat_override[use_ov]
    e.loc[use_ov, "loc_src"] = heat_override_src[use_ov]
    e.loc[heat, "loc_note"] = HEAT_SUPPLIER_NOTE
    problem = pd.Series(None, index=e.index, dtype=object)
    problem = problem.mask(missing, "grid-factor-missing")
    problem = problem.mask(heat & ~use_supplier & ~use_ov, "energy-factor-missing")
    e["problem"] = problem

    # Market-based hierarchy (Scope 2 Guidance): instrument, supplier, then location as the
    # residual mix is not in the library.
    covered_q = e["instrument_quantity"].fillna(e["quantity"])
    covered = np.clip(np.where(has_instr, np.minimum(covered_q * factor, e["kwh"]), 0.0),
                      0.0, None)
    # A certificate equal to the row to 12 significant digits (how every figure is rounded)
    # covers all of it: the float step a unit conversion leaves over is not a residual.
    rest = e["kwh"] - covered
    e["covered_kwh"] = np.where(has_instr & (rest.abs() <= e["kwh"].abs() * 1e-12),
                                e["kwh"], covered)
    e["covered_factor"] = e["instrument_factor"].fillna(0.0)
    e["rest_kwh"] = e["kwh"] - e["covered_kwh"]
    supplier = e["supplier_factor"].notna()
    e["rest_factor"] = np.where(supplier, e["supplier_factor"], e["loc_factor"])
    e["rest_src"] = _texts(np.where(supplier, e["supplier_src"], e["loc_src"]), index)
    # the residual's note: none for a supplier's factor, the residual-mix fallback else; heat,
    # steam and cooling keep their own note (no residual mix, no grid average either)
    e["rest_note"] = _texts(np.where(heat, HEAT_SUPPLIER_NOTE, np.where(
        supplier, NO_VALUE, RESIDUAL_MIX_FALLBACK_NOTE)), index)
    return e


# --- refrigerants -------------------------------------------------------------------------
def resolve_refrigerants(sub: Submission, lib: FactorLibrary, ov: Overrides,
                         gwp_set: str) -> pd.DataFrame | None:
    """Each Refrigerants row with the gas's library name, group, GWP, source and problem.

    As for Fuel and Electricity, each lookup runs once per distinct project and gas text
    (:class:`_Keys`), and text columns hold shared Python strings (:func:`_texts`).
    """
    ref = rows_of(sub, Sheet.REFRIGERANTS)
    if ref is None:
        return None
    shares = project_shares(sub)
    index = pd.RangeIndex(len(ref))
    r = pd.DataFrame({"row": ref["row"].to_numpy(),
                      "project_id": _texts(ref["project_id"].to_numpy(dtype=object), index),
                      "gas_given": _texts(ref["gas"].to_numpy(dtype=object), index),
                      "quantity_kg": pd.to_numeric(ref["quantity_kg"], errors="coerce")
                      .to_numpy()}, index=index)
    r["share"] = _Keys(r["project_id"]).number(shares["share"]).fillna(0.0).astype("float64")
    by_gas = _Keys(r["gas_given"])
    records: list[tuple[Any, ...]] = []
    col = f"{gwp_set.lower()}_gwp100"
    for given in sorted(g for g in by_gas.uniques if isinstance(g, str)):
        o = ov.refrigerant.get(gas_key(given))
        known = lib.resolve_gas(given)
        if o is not None:
            name = known or given.strip()
            group = lib.gas_group(name) if known else classify_gas_name(given)
            records.append((given, name, group, o.canonical, o.citation()))
        elif known is not None:
            row = record(lib.gwp, known)
            records.append((given, known, row["group"], float(row[col]),
                            row[f"factor_source_{gwp_set.lower()}"]))
        else:
            records.append((given, given, None, np.nan, None))
    look = pd.DataFrame(records, columns=["given", "gas", "group", "gwp", "source"])
    look = look.set_index("given")
    r["gas"] = by_gas.text(look["gas"])
    r["group"] = by_gas.text(look["group"])
    r["gwp"] = by_gas.number(look["gwp"])
    r["source"] = by_gas.text(look["source"])
    r["problem"] = np.where(
        r["gwp"].isna(), "refrigerant-unknown", NO_VALUE)
    return r
