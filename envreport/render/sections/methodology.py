"""Methodology and emission factors: every factor the trail used with its publication, the
grid factors behind Scope 2 with their basis, the submission's own factors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from envreport.factors import load_library
from envreport.render import vocabulary as v
from envreport.render.sections.common import citation
from envreport.results import Results

#: a grid factor's basis, by the words its publication's use names
LIFECYCLE, COMBUSTION = "lifecycle", "combustion"


def factors_used(calcs: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every fuel, gas and refrigerant factor the trail used, once, with the use it applies
    to (which table's CH4 and N2O: diesel on the road and in a boiler differ)."""
    applies_to = load_library().applies_to
    seen: dict[tuple[str, ...], dict[str, Any]] = {}
    for calc in calcs:
        if calc.get("scope") == "2":
            continue  # grid factors have their own table
        key = (
            str(calc.get("category") or ""), str(calc.get("fuel") or ""),
            str(calc.get("gas") or ""),
            repr(calc.get("factor")), str(calc.get("factor_unit") or ""),
            str(calc.get("factor_source") or ""), repr(calc.get("gwp")),
        )
        if key not in seen:
            source = calc.get("factor_source") or ""
            use = applies_to.get(source)
            seen[key] = {
                "source_label": v.label(v.SOURCES, calc.get("category")),
                "fuel_label": v.label(v.FUELS, calc.get("fuel")) if calc.get("fuel") else "",
                "gas": calc.get("gas") or "",
                "factor": calc.get("factor"),
                "factor_unit": calc.get("factor_unit") or "",
                "gwp": calc.get("gwp"),
                "applies_to": (use[1] if lang == "zh" else use[0]) if use else "",
                "citation": citation(source, lang),
            }
    return [seen[key] for key in sorted(seen)]


def grid_factors(results: Results, calcs: Sequence[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The grid factors behind Scope 2 (location-based): country, data year, basis and
    publication of each, and the share of Scope 2 on each basis when they mix."""
    lib = load_library()
    hosts = {p.project_id: p.host_country for p in results.by_project}
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    tco2e_by_basis: dict[str, float] = defaultdict(float)
    for calc in calcs:
        if calc.get("scope") != "2" or calc.get("method") != "location":
            continue
        source = calc.get("factor_source") or ""
        country = hosts.get(str(calc.get("project_id")))
        use = lib.applies_to.get(source)
        basis = None if use is None else (LIFECYCLE if "lifecycle" in use[0] else COMBUSTION)
        if basis is not None:
            tco2e_by_basis[basis] += calc.get("tco2e") or 0.0
        key = (str(country), source, repr(calc.get("factor")))
        if key in rows:
            continue
        full = results.factor_sources.get(source)
        year = None
        if full is not None:
            match = lib.grid[(lib.grid["country_iso3"] == country)
                             & (lib.grid["factor_source"] == full)
                             & ((lib.grid["kg_co2e_per_kwh"] - (calc.get("factor") or 0)).abs()
                                < 1e-9)]
            year = int(match["year"].iloc[0]) if not match.empty else None
        rows[key] = {
            "country": country, "year": year, "factor": calc.get("factor"),
            "factor_unit": calc.get("factor_unit") or "",
            "basis": (use[1] if lang == "zh" else use[0]) if use else None,
            # a factor from the submission (Factors sheet) cites the enterprise's own source
            "citation": citation(source, lang) if use else source,
        }
    scope2 = sum(tco2e_by_basis.values())
    mixed = scope2 > 0 and all(tco2e_by_basis.get(b, 0) > 0 for b in (LIFECYCLE, COMBUSTION))
    return {
        "rows": [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1]))],
        "lifecycle_pct": tco2e_by_basis[LIFECYCLE] / scope2 * 100 if mixed else None,
        "combustion_pct": tco2e_by_basis[COMBUSTION] / scope2 * 100 if mixed else None,
    }


def overrides(results: Results) -> list[dict[str, Any]]:
    """The factors the submission gave itself (Factors sheet), labelled."""
    return [
        {"factor_type": v.label(v.OVERRIDE_TYPES, o.factor_type),
         "key": v.label(v.FUELS, o.key), "gas": o.gas, "value": o.value, "unit": o.unit,
         "source": o.source, "sheet": o.sheet, "row": o.row}
        for o in results.factor_overrides
    ]


def factor_sources(results: Results, lang: str) -> list[dict[str, Any]]:
    """Each publication cited, short and in full, in the report language."""
    return [
        {"citation": citation(key, lang), "reference": citation(text, lang)}
        for key, text in sorted(results.factor_sources.items())
    ]
