"""Every figure of results.json from a :class:`~envreport.submission.Submission`.

The method is the GHG Protocol Corporate Standard and Scope 2 Guidance, described as
implemented in ``docs/methodology.md``. Factors are resolved once per distinct key
(:mod:`envreport.factors.resolve`); each topic module computes its section; the emission
figures are sums of the calculation trail (:mod:`envreport.metrics.trail`). The output has
no timestamps, so the same input gives the same results.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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
from envreport.metrics.energy import energy, energy_intensity, generation_rows
from envreport.metrics.energy_contents import energy_contents
from envreport.metrics.environment import pollutant_split, waste, water
from envreport.metrics.finance import exchange_rates, fx_rows, green_finance, rates_used
from envreport.metrics.ghg import ghg_totals, intensity, monthly
from envreport.metrics.mitigation import mitigation
from envreport.metrics.narrative import narrative
from envreport.metrics.ods import ods
from envreport.metrics.policy import policy_flags
from envreport.metrics.projects import ProjectTopic, TrailTopics, by_country, by_project
from envreport.metrics.quality import data_quality
from envreport.metrics.targets import base_value_findings, current_values, targets
from envreport.metrics.trail import build_trail
from envreport.results.models import (
    SCHEMA_VERSION,
    FactorLibraryVersion,
    FactorOverride,
    InputFile,
    Organization,
    Period,
    Results,
    Validation,
)
from envreport.schema.sheets import DEFAULT_GWP_SET, RENEWABLE_TECHNOLOGIES, GwpSet
from envreport.submission import Organization as OrganizationSheet
from envreport.submission import Submission


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _organization(organization: OrganizationSheet | None, reporting: str) -> Organization:
    if organization is None:
        return Organization.model_validate(dict.fromkeys(Organization.model_fields))
    return Organization(
        entity_id=organization.entity_id, name=organization.organization_name,
        name_zh=organization.organization_name_zh,
        consolidation_approach=organization.consolidation_approach,
        reporting_currency=reporting or None, revenue=organization.revenue,
        employees=organization.employees, base_year=organization.base_year,
        parent_entity_id=organization.parent_entity_id,
        report_status=organization.report_status,
        publication_date=_iso(organization.publication_date),
        assurance_level=organization.assurance_level,
        assurance_provider=organization.assurance_provider,
        assurance_provider_zh=organization.assurance_provider_zh,
        assurance_standard=organization.assurance_standard,
        recalculation_threshold_pct=organization.recalculation_threshold_pct,
        contact_name=organization.contact_name, contact_name_zh=organization.contact_name_zh,
        contact_email=organization.contact_email,
        report_languages=list(organization.report_languages))


def compute(submission: Submission,
            trail_ready: Callable[[pd.DataFrame], None] | None = None) -> Results:
    """Every figure of ``submission``: the content of results.json (docs/results.md).

    Every field of the contract is set; a topic whose sheet has no rows is ``None``.
    Rows that validation rejected are not in the submission; rows whose factors cannot be
    resolved (they carry an error finding from ``check_factors``) are left out of the
    figures. The same submission always gives the same results.

    ``trail_ready`` is called with the calculation trail as soon as it is made, as it will
    be in the results (nothing changes it afterwards): a build starts writing it meanwhile.
    """
    organization = submission.organization
    library = load_library()
    # the sheet's choice, already read as its canonical id (AR6, AR5 or AR4)
    gwp_set: GwpSet = organization.gwp_set if organization else DEFAULT_GWP_SET
    year = organization.reporting_year if organization else 0
    reporting = organization.reporting_currency.upper() if organization else ""
    overrides = parse_overrides(submission, library)
    shares = project_shares(submission)

    fuel = resolve_fuel(submission, library, overrides)
    refrigerants = resolve_refrigerants(submission, library, overrides, gwp_set)
    electricity = resolve_electricity(submission, library, overrides)
    generation = generation_rows(submission, shares, library, overrides, year)
    trail, factor_sources = build_trail(fuel, refrigerants, electricity, library, gwp_set)
    if trail_ready is not None:
        trail_ready(trail)

    ghg = ghg_totals(trail, fuel_reported=fuel is not None,
                     refrigerants_reported=refrigerants is not None,
                     electricity_reported=electricity is not None)
    ghg.intensity = intensity(submission, ghg, trail, generation)
    ghg.monthly_tco2e = monthly(submission, trail, ghg)
    energy_section = energy(fuel, electricity, generation)
    energy_section.figures.intensity = energy_intensity(
        organization, energy_section.figures.total_consumption_gj)
    pollutant_parts = pollutant_split(submission, shares)
    water_section = water(submission, shares)
    waste_section = waste(submission, shares)
    given_rates = fx_rows(submission)  # read once: the rates, and the rows they cite
    rates = exchange_rates(submission, given_rates)

    generation_per_project = None
    if generation is not None:
        renewable = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
        generation_per_project = pd.DataFrame({
            "project_id": generation["project_id"],
            "mwh": generation["gross_generation_mwh"] * generation["share"] * renewable,
            "avoided": generation["avoided_t"].fillna(0.0)})
    reported = TrailTopics(scope1=ghg.scope1_tco2e is not None,
                           scope2=electricity is not None, biogenic=fuel is not None,
                           other_gases=refrigerants is not None)
    topics = {
        "energy_gj": ProjectTopic(energy_section.per_project_gj, "gj",
                                  fuel is not None or electricity is not None),
        "water_withdrawal_m3": ProjectTopic(water_section.per_project, "m3",
                                            water_section.figures.withdrawal_m3 is not None),
        "waste_t": ProjectTopic(waste_section.per_project, "t",
                                waste_section.figures.total_t is not None),
        "renewable_generation_mwh": ProjectTopic(generation_per_project, "mwh",
                                                 generation is not None),
        "avoided_tco2e": ProjectTopic(generation_per_project, "avoided", generation is not None),
    }
    projects = by_project(shares, trail, reported, topics)
    target_entries = targets(submission, current_values(ghg, energy_section.figures,
                                                        water_section.figures,
                                                        waste_section.figures))
    findings = submission.findings
    # The one check that needs the computed figures (a base year's workbook that states
    # another base value): its warnings join validation's before they are counted, once
    # however often the submission is computed, in validation's reading order.
    for finding in base_value_findings(submission, target_entries or []):
        if finding not in findings.items:
            findings.insert(finding)
    compliance_section = compliance(submission, shares, rates, reporting)
    applied = [FactorOverride(**o.to_result()) for o in sorted(overrides.applied,
                                                                key=lambda o: o.row)]
    return Results(
        schema_version=SCHEMA_VERSION,
        tool_version=envreport.__version__,
        input=InputFile(file_name=submission.source.name, sha256=submission.source.sha256),
        organization=_organization(organization, reporting),
        period=Period(start=_iso(organization.reporting_period_start) if organization else None,
                      end=_iso(organization.reporting_period_end) if organization else None),
        reporting_year=year or None,
        gwp_set=gwp_set,
        factor_library=FactorLibraryVersion(version=library.version),
        factor_overrides=applied,
        ghg=ghg,
        energy=energy_section.figures,
        water=water_section.figures,
        waste=waste_section.figures,
        pollutants_t=pollutant_parts.all,
        air_pollutants_t=pollutant_parts.air,
        other_pollutants_t=pollutant_parts.other,
        ods=ods(refrigerants, library),
        compliance=compliance_section,
        green_finance=green_finance(submission, rates, reporting),
        mitigation=mitigation(submission, generation, shares, year, library, overrides,
                              reporting),
        data_quality=data_quality(submission),
        targets=target_entries,
        policy_flags=policy_flags(submission, shares),
        narrative=narrative(submission),
        by_project=projects,
        by_country=by_country(projects),
        factor_sources=dict(sorted(factor_sources.items())),
        energy_contents=energy_contents(fuel, applied, library),
        exchange_rates=rates_used(submission, compliance_section, given_rates, rates,
                                  reporting),
        calculations=trail,
        validation=Validation(errors=len(findings.errors), warnings=len(findings.warnings)),
        # Filled from the ledger (envreport.ledger) when it holds earlier periods.
        comparison=None,
        history=None,
        base_year=None,
    )
