"""Greenhouse gases: Scope 1 and 2 with their parts and intensities (GRI 305-1, 2, 4), the
table by host country, and ozone-depleting substances (GRI 305-6)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from envreport.factors.resolve import RESIDUAL_MIX_FALLBACK_NOTE
from envreport.render import vocabulary as v
from envreport.render.formatters import Formatters
from envreport.render.sections.common import citation, labelled_rows, per_revenue, total
from envreport.render.vocabulary import N_
from envreport.results import Results


def ghg_section(results: Results, trail: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Scope 1 and 2 (both methods), their parts and intensities."""
    ghg = results.ghg
    currency = results.organization.reporting_currency
    s1, s2l, s2m = ghg.scope1_tco2e, ghg.scope2_location_tco2e, ghg.scope2_market_tco2e
    intensity = ghg.intensity
    # market-based entries where the residual mix fell back to the location-based factor
    market_fallbacks = 0 if trail.empty else int(
        ((trail["method"] == "market") & (trail["method_note"] == RESIDUAL_MIX_FALLBACK_NOTE))
        .to_numpy(dtype=bool, na_value=False).sum())
    return {
        "scope1": s1,
        "scope2_location": s2l,
        "scope2_market": s2m,
        "total_location": total(s1, s2l),
        "total_market": total(s1, s2m),
        "biogenic": ghg.biogenic_co2_t,
        "other_gases": ghg.other_gases_tco2e,
        "by_source": labelled_rows(ghg.scope1_by_source_tco2e.model_dump(), v.SCOPE1_SOURCES),
        "offroad": ghg.scope1_offroad_tco2e,
        "by_gas": labelled_rows(ghg.scope1_by_gas_t, {}),
        "intensity": [
            {"label": N_("Scope 1 + 2 (location-based) per million of revenue"),
             "value": intensity and intensity.tco2e_per_million_revenue,
             "unit": per_revenue("tCO2e", currency, lang)},
            {"label": N_("Scope 1 + 2 (location-based) per employee"),
             "value": intensity and intensity.tco2e_per_employee,
             "unit": N_("tCO2e / employee")},
            {"label": N_("Scope 1 of generating projects per MWh generated"),
             "value": intensity and intensity.tco2e_per_mwh_generated,
             "unit": "tCO2e / MWh"},
        ],
        "market_fallbacks": market_fallbacks,
    }


def by_country(results: Results) -> list[dict[str, Any]]:
    """Emissions and energy per host country."""
    english = Formatters("en")
    return [
        {"country": c.country, "scope1_tco2e": c.scope1_tco2e,
         "scope2_location_tco2e": c.scope2_location_tco2e,
         "scope2_market_tco2e": c.scope2_market_tco2e, "energy_gj": c.energy_gj}
        # by the country's English name, in both languages: the ISO code put Sri Lanka
        # (LKA) between Laos and Pakistan
        for c in sorted(results.by_country, key=lambda c: (english.country(c.country),
                                                            str(c.country)))
    ]


def monthly(results: Results) -> list[dict[str, Any]] | None:
    """Scope 1 and 2 per calendar month, for the monthly chart."""
    series = results.ghg.monthly_tco2e
    return None if series is None else [m.model_dump() for m in series]


def ods(results: Results, lang: str) -> dict[str, Any] | None:
    """Ozone-depleting substances released (GRI 305-6), in tonnes of CFC-11 equivalent."""
    if results.ods is None:
        return None
    return {
        "cfc11_eq_t": results.ods.cfc11_eq_t,
        "by_gas": [{"gas": g.gas, "released_kg": g.released_kg, "odp": g.odp,
                    "cfc11_eq_t": g.cfc11_eq_t, "citation": citation(g.source, lang)}
                   for g in results.ods.by_gas],
    }
