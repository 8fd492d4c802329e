"""Energy per GRI 302-1 (each term its own line) and its intensity (GRI 302-3)."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import labelled_rows, per_revenue
from envreport.render.vocabulary import N_
from envreport.results import Results


def energy_section(results: Results, lang: str) -> dict[str, Any]:
    """Fuel, purchased, self-generated and sold energy, the renewable part, intensities."""
    energy = results.energy
    currency = results.organization.reporting_currency
    intensity = energy.intensity
    return {
        "total": energy.total_consumption_gj,
        "fuel": energy.fuel_gj,
        "purchased": energy.purchased_gj,
        "renewable": energy.renewable_gj,
        "non_renewable": energy.non_renewable_gj,
        "by_fuel": labelled_rows(energy.by_fuel_gj, v.FUELS),
        "self_generated": energy.self_generated_renewable_gj,
        "sold": energy.sold_gj,
        "renewable_fuel": energy.renewable_fuel_gj,
        "non_renewable_fuel": energy.non_renewable_fuel_gj,
        "purchased_renewable": energy.purchased_renewable_gj,
        "renewable_share": energy.renewable_share_pct,
        "intensity": None if intensity is None else [
            {"label": N_("Energy consumption per million of revenue"),
             "value": intensity.gj_per_million_revenue,
             "unit": per_revenue("GJ", currency, lang)},
            {"label": N_("Energy consumption per employee"),
             "value": intensity.gj_per_employee,
             "unit": N_("GJ / employee")},
        ],
    }
