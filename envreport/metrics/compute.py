"""Every figure of results.json from a :class:`~envreport.submission.Submission`.

The method is the GHG Protocol Corporate Standard and Scope 2 Guidance, described as
implemented in ``docs/methodology.md``. Factors are resolved once per distinct key
(:mod:`envreport.factors.resolve`); each topic module computes its section; the emission
figures are sums of the calculation trail (:mod:`envreport.metrics.trail`). The output has
no timestamps, so the same input gives the same results.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

import envreport
from envreport.factors.library import load_library
from envreport.factors.resolve import (
    parse_overrides,
    project_shares,
    resolve_electricity,
    resolve_fuel,
    resolve_refrigerants,
)
from envreport.metrics.compliance import compliance
from envreport.metrics.energy import energy, generation_rows
from envreport.metrics.environment import pollutants, waste, water
from envreport.metrics.finance import exchange_rates, green_finance
from envreport.metrics.ghg import ghg_totals, intensity, monthly
from envreport.metrics.mitigation import mitigation
from envreport.metrics.policy import policy_flags
from envreport.metrics.projects import ProjectTopic, TrailTopics, by_country, by_project
from envreport.metrics.quality import data_quality
from envreport.metrics.targets import targets
from envreport.metrics.trail import build_trail, trail_records
from envreport.schema.sheets import RENEWABLE_TECHNOLOGIES
from envreport.submission import Submission

SCHEMA_VERSION = "1"


def _period(organization: Any) -> dict[str, str | None]:
    def iso(day: Any) -> str | None:
        if day is None:
            return None
        return day.isoformat() if isinstance(day, date) else str(day)

    return {"start": iso(organization.reporting_period_start) if organization else None,
            "end": iso(organization.reporting_period_end) if organization else None}


def compute(submission: Submission) -> dict[str, Any]:
    """The complete results.json content of ``submission`` (docs/results.md).

    Every key of the contract is present; a topic whose sheet has no rows is ``None``.
    Rows that validation rejected are not in the submission; rows whose factors cannot be
    resolved (they carry an error finding from ``check_factors``) are left out of the
    figures. The same submission always gives the same dict.
    """
    organization = submission.organization
    library = load_library()
    gwp_set = (organization.gwp_set if organization and organization.gwp_set
               else "AR6").upper()
    year = organization.reporting_year if organization else 0
    reporting = organization.reporting_currency.upper() if organization else ""
    overrides = parse_overrides(submission, library)
    shares = project_shares(submission)

    fuel = resolve_fuel(submission, library, overrides)
    refrigerants = resolve_refrigerants(submission, library, overrides, gwp_set)
    electricity = resolve_electricity(submission, library, overrides)
    generation = generation_rows(submission, shares, library, overrides, year)
    trail = build_trail(fuel, refrigerants, electricity, library, gwp_set)

    ghg = ghg_totals(trail, fuel_reported=fuel is not None,
                     refrigerants_reported=refrigerants is not None,
                     electricity_reported=electricity is not None)
    energy_section = energy(fuel, electricity, generation)
    water_section = water(submission, shares)
    waste_section = waste(submission, shares)
    rates = exchange_rates(submission)
    findings = submission.findings
    results: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool_version": envreport.__version__,
        "input": {"file_name": submission.source.name, "sha256": submission.source.sha256},
        "organization": {
            "entity_id": organization.entity_id if organization else None,
            "name": organization.organization_name if organization else None,
            "name_zh": organization.organization_name_zh if organization else None,
            "consolidation_approach": organization.consolidation_approach
            if organization else None,
            "reporting_currency": reporting or None,
            "revenue": organization.revenue if organization else None,
            "employees": organization.employees if organization else None,
            "base_year": organization.base_year if organization else None,
            "parent_entity_id": organization.parent_entity_id if organization else None,
        },
        "period": _period(organization),
        "reporting_year": year or None,
        "gwp_set": gwp_set,
        "factor_library": {"version": library.version},
        "factor_overrides": [o.to_result()
                             for o in sorted(overrides.applied, key=lambda o: o.row)],
        "ghg": ghg,
        "energy": energy_section.figures,
        "water": water_section.figures,
        "waste": waste_section.figures,
        "pollutants_t": pollutants(submission, shares),
        "compliance": compliance(submission, shares, rates, reporting),
        "green_finance": green_finance(submission, rates, reporting),
    }
    results["mitigation"] = mitigation(submission, generation, shares, year, library,
                                       overrides, reporting)
    results["ghg"]["intensity"] = intensity(submission, ghg, trail, generation)
    results["ghg"]["monthly_tco2e"] = monthly(submission, trail, ghg)
    results["data_quality"] = data_quality(submission)
    results["targets"] = targets(submission, results)
    results["policy_flags"] = policy_flags(submission, shares)
    generation_per_project = None
    if generation is not None:
        renewable = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
        generation_per_project = pd.DataFrame({
            "project_id": generation["project_id"],
            "mwh": generation["gross_generation_mwh"] * generation["share"] * renewable,
            "avoided": generation["avoided_t"].fillna(0.0)})
    reported = TrailTopics(scope1=ghg["scope1_tco2e"] is not None,
                           scope2=electricity is not None, biogenic=fuel is not None,
                           other_gases=refrigerants is not None)
    topics = {
        "energy_gj": ProjectTopic(energy_section.per_project_gj, "gj",
                                  fuel is not None or electricity is not None),
        "water_withdrawal_m3": ProjectTopic(water_section.per_project, "m3",
                                            water_section.figures["withdrawal_m3"] is not None),
        "waste_t": ProjectTopic(waste_section.per_project, "t",
                                waste_section.figures["total_t"] is not None),
        "renewable_generation_mwh": ProjectTopic(generation_per_project, "mwh",
                                                 generation is not None),
        "avoided_tco2e": ProjectTopic(generation_per_project, "avoided", generation is not None),
    }
    results["by_project"] = by_project(shares, trail, reported, topics)
    results["by_country"] = by_country(results["by_project"])
    results["factor_sources"] = dict(sorted(trail.attrs.get("factor_sources", {}).items()))
    results["calculations"] = trail_records(trail)
    results["validation"] = {"errors": len(findings.errors),
                             "warnings": len(findings.warnings)}
    return results
