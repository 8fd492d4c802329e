"""Methodology and emission factors: every factor the trail used with its publication, the
grid factors behind Scope 2 with their basis, the submission's own factors, and the exchange
rates that converted money."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from envreport.factors import FactorLibrary, load_library
from envreport.factors.energy_content import EnergyParts, energy_parts
from envreport.i18n import gettext
from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText, citation, sheet_title
from envreport.render.sections.trail_frame import (
    TrailKeys,
    entries_at,
    first_of_each,
    keyed,
    numbers,
    text_or_blank,
)
from envreport.results import EnergyContent, Results
from envreport.schema import Sheet
from envreport.schema.sheets import GWP_SETS, GwpSet
from envreport.units import conversion_factor

#: a grid factor's basis, by the words its publication's use names
LIFECYCLE, COMBUSTION = "lifecycle", "combustion"


def factors_used(trail: pd.DataFrame | TrailKeys, lang: str,
                 gwp_set: str | None = None) -> list[dict[str, Any]]:
    """Every fuel, gas and refrigerant factor the trail used, once, with the use it applies
    to (which table's CH4 and N2O: diesel on the road and in a boiler differ) and, for a
    fuel's CH4 and N2O, the publication of the GWP applied (``gwp_citation``; a refrigerant's
    factor is its GWP's publication already)."""
    lib = load_library()
    applies_to = lib.applies_to
    trail_keys = keyed(trail)
    trail = trail_keys.trail
    if trail.empty:
        return []
    # grid factors (Scope 2) have their own table
    used = np.flatnonzero((trail["scope"] != "2").to_numpy(dtype=bool, na_value=True))
    if not len(used):
        return []
    keys = [trail_keys(column, key).at(used) for column, key in (
        ("category", text_or_blank), ("fuel", text_or_blank), ("gas", text_or_blank),
        ("factor", repr), ("factor_unit", text_or_blank), ("factor_source", text_or_blank),
        ("gwp", repr))]
    _, first = first_of_each(keys)
    seen = []
    for position, calc in zip(first, entries_at(trail, used[first]), strict=True):
        source = calc.get("factor_source") or ""
        use = applies_to.get(source)
        seen.append((tuple(key[position] for key in keys), {
            "source_label": v.label(v.SOURCES, calc.get("category")),
            "fuel_label": v.label(v.FUELS, calc.get("fuel")) if calc.get("fuel") else "",
            "gas": calc.get("gas") or "",
            "factor": calc.get("factor"),
            "factor_unit": calc.get("factor_unit") or "",
            "gwp": calc.get("gwp"),
            "applies_to": (use[1] if lang == "zh" else use[0]) if use else "",
            "citation": citation(source, lang),
            "gwp_citation": citation(short, lang) if (short := _combustion_gwp_citation(
                lib, calc, gwp_set)) else "",
        }))
    return [row for _, row in sorted(seen, key=lambda item: item[0])]


def _combustion_gwp_citation(lib: FactorLibrary, calc: dict[str, Any],
                             gwp_set: str | None) -> str:
    """The short citation of the GWP a Fuel entry's CH4 or N2O was weighted with (AR6's
    fossil methane 29.8 is Table 7.15's, N2O's 273 Table 7.SM.7's), or "" for any other."""
    gas, fuel = calc.get("gas"), calc.get("fuel")
    if gwp_set not in GWP_SETS or calc.get("sheet") != Sheet.FUEL or gas not in ("CH4", "N2O") \
            or not fuel or not lib.has_fuel(str(fuel)):
        return ""
    short, _ = _combustion_gwp_publication(lib, str(fuel), str(gas), gwp_set)
    return short


def combustion_gwp_sources(factors: list[dict[str, Any]], gwp_set: str | None,
                           trail: pd.DataFrame | TrailKeys) -> dict[str, str]:
    """The GWP publications the fuel factors' table cites (short → full English), for the
    list of publications cited."""
    lib = load_library()
    cited: dict[str, str] = {}
    trail_keys = keyed(trail)
    trail = trail_keys.trail
    if gwp_set not in GWP_SETS or trail.empty or not any(f["gwp_citation"] for f in factors):
        return cited
    fuels = trail_keys("fuel", text_or_blank)
    on_fuel_sheet = (trail["sheet"] == Sheet.FUEL).to_numpy(dtype=bool, na_value=False)
    # each fuel of the Fuel sheet's entries (a missing one is "": no library fuel)
    for fuel in sorted(fuels.distinct[code] for code in np.unique(fuels.codes[on_fuel_sheet])):
        if not lib.has_fuel(fuel):
            continue
        for gas in ("CH4", "N2O"):
            short, full = _combustion_gwp_publication(lib, fuel, gas, gwp_set)
            cited[short] = full
    return cited


@lru_cache(maxsize=256)
def _combustion_gwp_publication(lib: FactorLibrary, fuel: str, gas: str,
                                gwp_set: GwpSet) -> tuple[str, str]:
    """The publication of the GWP that ``fuel``'s combustion ``gas`` (CH4 or N2O) is
    weighted with in ``gwp_set``: its short citation and its full English one. CH4 is
    fossil or non-fossil methane by the fuel (library.combustion_ch4_gas). Kept per fuel and
    gas (the library's rows are read with pandas, about 0.1 ms a look-up: 4 ms a report)."""
    name = lib.combustion_ch4_gas(gwp_set, lib.is_biogenic(fuel)) if gas == "CH4" else gas
    full = lib.gwp_value(name, gwp_set).source
    return str(lib.citations.get(full, full)), full


def grid_factors(results: Results, trail: pd.DataFrame | TrailKeys, lang: str
                 ) -> dict[str, Any]:
    """The grid factors behind Scope 2 (location-based): country, data year, basis and
    publication of each, and the share of Scope 2 on each basis when they mix."""
    lib = load_library()
    hosts = {p.project_id: p.host_country for p in results.by_project}
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    tco2e_by_basis: dict[str, float] = defaultdict(float)
    trail_keys = keyed(trail)
    trail = trail_keys.trail
    location = np.arange(0)
    if not trail.empty:
        location = np.flatnonzero(((trail["scope"] == "2") & (trail["method"] == "location"))
                                  .to_numpy(dtype=bool, na_value=False))
    if len(location):
        sources = trail_keys("factor_source", text_or_blank).at(location)

        def basis_of(source: str) -> str | None:
            use = lib.applies_to.get(source)
            return None if use is None else (LIFECYCLE if "lifecycle" in use[0] else COMBUSTION)

        bases = sources.map(basis_of)
        tco2e = numbers(trail["tco2e"])[location]
        for basis in (LIFECYCLE, COMBUSTION):  # summed in trail order, as a running sum
            on_basis = bases.equals(basis)
            if on_basis.any():
                tco2e_by_basis[basis] = float(np.bincount(
                    np.zeros(int(on_basis.sum()), dtype=np.intp), weights=tco2e[on_basis])[0])
        countries = trail_keys("project_id", str).at(location).map(
            lambda project: str(hosts.get(project)))
        factors = trail_keys("factor", repr).at(location)
        _, first = first_of_each([countries, sources, factors])
        for position, calc in zip(first, entries_at(trail, location[first]), strict=True):
            source, country = sources[position], hosts.get(str(calc.get("project_id")))
            use = lib.applies_to.get(source)
            rows[(str(country), source, factors[position])] = {
                "country": country,
                "year": _grid_year(lib, country, source, results.factor_sources.get(source),
                                   calc.get("factor")),
                "factor": calc.get("factor"),
                "factor_unit": calc.get("factor_unit") or "",
                "basis": (use[1] if lang == "zh" else use[0]) if use else None,
                # a factor from the submission (Factors sheet) cites the enterprise's own
                # source
                "citation": citation(source, lang) if use else source,
            }
    scope2 = sum(tco2e_by_basis.values())
    on = [b for b in (LIFECYCLE, COMBUSTION) if tco2e_by_basis.get(b, 0) > 0]
    mixed = len(on) == 2
    return {
        "rows": [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1]))],
        # the basis of Scope 2 (location-based), which the GHG section states: lifecycle,
        # combustion, "mixed", or None without Scope 2 on a library factor
        "basis": "mixed" if mixed else (on[0] if on else None),
        "lifecycle_pct": tco2e_by_basis[LIFECYCLE] / scope2 * 100 if mixed else None,
        "combustion_pct": tco2e_by_basis[COMBUSTION] / scope2 * 100 if mixed else None,
    }


def _grid_year(lib: FactorLibrary, country: str | None, source: str, full: str | None,
               factor: float | None) -> int | None:
    """The data year of the library's grid factor a Scope 2 entry applied: the country's
    factor of that value from that publication, the publication known by its id through its
    short citation (the trail's ``factor_source``) or its full text (``factor_sources``).
    Either suffices: a stored results.json may hold a publication's older full text (the
    library corrects a citation's text, never its id), which its short citation still
    finds. ``None`` for a factor the submission gave itself."""
    ids = {lib.publication_ids[text] for text in (source, full) if text in lib.publication_ids}
    if not ids:
        return None
    # the first such row of the library's grid table
    value = factor or 0
    return min(((position, year) for publication in ids
                for position, kwh, year in _grid_rows(lib).get((country, publication), ())
                if abs(kwh - value) < 1e-9), default=(None, None))[1]


@lru_cache(maxsize=4)
def _grid_rows(lib: FactorLibrary) -> dict[tuple[str | None, str], list[tuple[int, float, int]]]:
    """The library's grid factors by country and publication: each row's position in the
    table, its kg CO2e per kWh and its data year (filtering the table with pandas took about
    0.5 ms a grid factor the report lists)."""
    grid = lib.grid
    rows: dict[tuple[str | None, str], list[tuple[int, float, int]]] = defaultdict(list)
    for position, (country, publication, kwh, year) in enumerate(zip(
            grid["country_iso3"].tolist(), grid["publication"].tolist(),
            grid["kg_co2e_per_kwh"].tolist(), grid["year"].tolist(), strict=True)):
        rows[(country, publication)].append((position, kwh, int(year)))
    return dict(rows)


def overrides(results: Results, text: FreeText) -> list[dict[str, Any]]:
    """The factors the submission gave itself (Factors sheet), labelled; each one's source in
    the report language (its ``source_zh`` in Chinese, else the source marked untranslated)."""
    return [
        {"factor_type": v.label(v.OVERRIDE_TYPES, o.factor_type),
         "key": v.label(v.FUELS, o.key), "gas": o.gas, "value": o.value, "unit": o.unit,
         "source": text(o, "source"), "sheet": sheet_title(o.sheet, text.lang), "row": o.row}
        for o in results.factor_overrides
    ]


def exchange_rates(results: Results, text: FreeText) -> list[dict[str, Any]]:
    """The exchange rates that converted money (``results.exchange_rates``), each with its
    source in the report language, its cell and what it converted: the figure, the amount
    as reported and as counted, the sheet and how many of its rows. Empty when no money was
    converted (or the results were stored before the key)."""
    lang = text.lang
    rows = []
    for rate in results.exchange_rates or []:
        converted = []
        for use in rate.converted:
            kind = "one" if use.rows == 1 else "several"
            converted.append({
                "what": v.label(v.CONVERTED_FIELDS, use.field),
                "amount": use.amount, "amount_reporting": use.amount_reporting_currency,
                "rows": gettext(v.CONVERTED_ROWS[kind], lang) % {
                    "sheet": sheet_title(use.sheet, lang), "count": use.rows}})
        rows.append({"currency": rate.currency, "rate": rate.rate_to_reporting_currency,
                     "reporting": rate.reporting_currency, "source": text(rate, "source"),
                     "sheet": sheet_title(rate.sheet, lang), "row": rate.row,
                     "entity": rate.entity_id, "converted": converted})
    return rows


def factor_sources(results: Results, lang: str,
                   also: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each publication cited, short and in full, in the report language: the trail's, and
    ``also`` (short → full) that the methodology's other tables cite; with the short citation
    as results.json and calculations.csv hold it (English), which a report in another
    language prints beside its own, so that its reader finds an entry's source here."""
    return [
        {"citation": citation(key, lang), "reference": citation(text, lang), "key": key}
        for key, text in sorted({**(also or {}), **results.factor_sources}.items())
    ]


def energy_contents(results: Results, trail: pd.DataFrame | TrailKeys,
                    lang: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """How each fuel's quantity became net energy, per fuel and workbook unit: the energy of
    one unit as applied (GJ) and what it is made of — a gross-basis unit's energy and IPCC's
    net/gross ratio, a volume's density, the NCV — each with its publication, or the
    submission's row when the submission gave it. With the fuel factors above, a Fuel row's
    tCO2e can be worked by hand. Read from ``results.energy_contents``; results stored before
    that key are explained from the trail the same way (:func:`energy_parts`).

    Returns the rows, and the publications they cite that the trail's own sources lack
    (short citation → full English text, as ``Results.factor_sources``), for the list of
    publications cited."""
    given = {(o.factor_type, o.key): o for o in results.factor_overrides}
    contents = ([_Content(e.fuel, e.input_unit, e.gj_per_unit, e)
                 for e in results.energy_contents]
                if results.energy_contents is not None else _contents_from_trail(trail, given))
    cited: dict[str, str] = {}
    rows = []
    for content in contents:
        if content.gj_per_unit is None:  # no row with a quantity tells the energy per unit
            continue
        made_of = _EnergyParts(given, results.factor_sources, lang)
        made_of.explain(content.fuel, content.unit, content.parts)
        cited.update(made_of.cited)
        rows.append({
            "fuel": content.fuel, "fuel_label": v.label(v.FUELS, content.fuel),
            "unit": content.unit, "gj_per_unit": content.gj_per_unit,
            "parts": made_of.parts, "sources": made_of.sources,
        })
    rows.sort(key=lambda row: (row["fuel"], row["unit"]))
    return rows, cited


#: the parts of a fuel's energy per unit: a results entry's, or the library's (older results)
_Parts = EnergyContent | EnergyParts


@dataclass(frozen=True, slots=True)
class _Content:
    """One fuel and workbook unit of the table, before it is worded."""

    fuel: str
    unit: str
    gj_per_unit: float | None
    parts: _Parts


def _contents_from_trail(trail: pd.DataFrame | TrailKeys,
                         given: dict[tuple[str, str], Any]) -> list[_Content]:
    """For results stored without ``energy_contents``: each fuel and unit of the trail's Fuel
    entries, its energy per unit from the first entry with a quantity (the trail's TJ over
    the row's quantity) and its parts from the library and the submission's factors."""
    keys = keyed(trail)
    trail = keys.trail
    if trail.empty:
        return []
    # a row of quantity 0 tells nothing of the energy per unit: the first row with some.
    # Positions, not a filtered copy of the trail: two columns are read, none copied.
    positions = np.flatnonzero(
        (trail["sheet"] == Sheet.FUEL).to_numpy(dtype=bool, na_value=False)
        & (numbers(trail["input_quantity"]) > 0))
    if not len(positions):
        return []
    lib = load_library()
    _, first = first_of_each([keys("fuel", text_or_blank).at(positions),
                              keys("input_unit", text_or_blank).at(positions)])
    contents = []
    for calc in entries_at(trail, positions[first]):
        fuel, unit = str(calc.get("fuel") or ""), str(calc.get("input_unit") or "")
        if not lib.has_fuel(fuel):
            continue
        quantity, tj = calc.get("input_quantity"), calc.get("activity")
        contents.append(_Content(
            fuel, unit, tj * 1000.0 / quantity if quantity and tj is not None else None,
            energy_parts(lib, fuel, unit, given)))
    return contents


class _EnergyParts:
    """The parts of one fuel's net energy per workbook unit, and where each comes from,
    worded for the report."""

    def __init__(self, given: dict[tuple[str, str], Any], trail_sources: dict[str, str],
                 lang: str) -> None:
        self.given, self.trail_sources, self.lang = given, trail_sources, lang
        self.parts: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self.cited: dict[str, str] = {}

    def part(self, name: str, value: float, unit: str) -> None:
        self.parts.append({"name": v.ENERGY_PARTS[name], "value": value, "unit": unit})

    def from_library(self, short: str | None, full: str | None,
                     part: str | None = None) -> None:
        """Cite the library's publication (``short``, in full ``full``); ``part`` names the
        part it is the publication of when the citation alone would not say (a density
        beside the NCV's)."""
        short = short or full or ""
        if short not in self.trail_sources:
            self.cited[short] = full or short
        self.sources.append({"citation": citation(short, self.lang), "part": part})

    def from_submission(self, factor_type: str, fuel: str, source: str | None) -> None:
        override = self.given.get((factor_type, fuel))
        if override is None:  # not listed in factor_overrides: its source as written
            self.sources.append({"citation": source or "", "part": None})
            return
        # in a group report, the member whose workbook has the row
        self.sources.append({"sheet": sheet_title(override.sheet, self.lang),
                             "row": override.row, "entity": override.entity_id})

    def explain(self, fuel: str, unit: str, parts: _Parts) -> None:
        """Word the parts in the order they multiply: a gross-basis unit's energy and the
        net/gross ratio; a volume's density; the NCV (per mass, or per volume alone)."""
        if parts.gross_to_net is not None:
            self.part("gross", conversion_factor(unit, "GJ"), "GJ")
            self.part("ratio", parts.gross_to_net, "")
            self.from_library(parts.gross_to_net_source, parts.gross_to_net_reference)
            return
        if parts.density is not None:
            self.part("density", parts.density, parts.density_unit or "")
            if parts.density_override:
                self.from_submission("density", fuel, parts.density_source)
            else:
                # the density's own publication (the tool it is the default of), labelled:
                # the NCV's publication follows it
                self.from_library(parts.density_source, parts.density_reference,
                                  part="density")
        if parts.ncv is not None:
            if parts.ncv_override:
                self.part("ncv", parts.ncv, parts.ncv_unit or "")
                self.from_submission("ncv", fuel, parts.ncv_source)
            else:
                # the library's TJ/Gg, printed as the same number in GJ/t
                self.part("ncv", parts.ncv, "GJ/t")
                self.from_library(parts.ncv_source, parts.ncv_reference)
