"""The key figures at the front of the report."""

from __future__ import annotations

from typing import Any

from envreport.render.sections.common import figure
from envreport.render.vocabulary import N_
from envreport.results import Results


def key_figures(results: Results) -> list[dict[str, Any]]:
    """Ten headline figures, each ``None`` (printed "not reported") when not computed.

    Each carries its results key path (``ghg.scope1_tco2e``), under which a comparison with
    the prior period (``build --ledger``) holds its change.
    """
    ghg, mitigation = results.ghg, results.mitigation
    return [
        figure(N_("Scope 1 emissions"), ghg.scope1_tco2e, "tCO2e", key="ghg.scope1_tco2e"),
        figure(N_("Scope 2 emissions, location-based"), ghg.scope2_location_tco2e, "tCO2e",
               key="ghg.scope2_location_tco2e"),
        figure(N_("Scope 2 emissions, market-based"), ghg.scope2_market_tco2e, "tCO2e",
               key="ghg.scope2_market_tco2e"),
        figure(N_("Biogenic CO2 (outside the scopes)"), ghg.biogenic_co2_t, "t",
               key="ghg.biogenic_co2_t"),
        figure(N_("Energy consumption"), results.energy.total_consumption_gj, "GJ",
               key="energy.total_consumption_gj"),
        figure(N_("Renewable electricity generated"), mitigation.renewable_generation_mwh,
               "MWh", key="mitigation.renewable_generation_mwh"),
        figure(N_("Avoided emissions"), mitigation.avoided_tco2e, "tCO2e",
               key="mitigation.avoided_tco2e"),
        figure(N_("Water withdrawal"), results.water.withdrawal_m3, "m³",
               key="water.withdrawal_m3"),
        figure(N_("Waste generated"), results.waste.total_t, "t", key="waste.total_t"),
        figure(N_("Environmental incidents"), results.compliance.incidents, "", 0,
               key="compliance.incidents"),
    ]
