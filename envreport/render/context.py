"""The typed results → the report context: plain data shaped for the templates.

:func:`build_context` assembles the context from one function per report section
(:mod:`envreport.render.sections`), each reading attributes of
:class:`envreport.results.Results`. The templates only loop and test; an optional field the
results leave unset is ``None`` here, never missing (the environment's ``StrictUndefined``
would stop the render).
"""

from __future__ import annotations

from typing import Any

from envreport.render.sections import (
    appendix,
    compliance,
    cover,
    data_quality,
    energy,
    ghg,
    group,
    indexes,
    key_figures,
    methodology,
    mitigation,
    pollutants,
    projects,
    statements,
    waste,
    water,
)
from envreport.render.sections.appendix import HTML_TRAIL_ROW_LIMIT
from envreport.render.sections.common import FreeText
from envreport.render.sections.trail_frame import TrailKeys
from envreport.render.vocabulary import N_
from envreport.results import Results

__all__ = ["HTML_TRAIL_ROW_LIMIT", "build_context", "chart_context"]


def _section(sid: str, title: str, present: bool = True) -> dict[str, Any]:
    return {"id": sid, "title": title, "present": present}


def _table_of_contents(results: Results, is_group: bool) -> list[dict[str, Any]]:
    """The report's sections in order; ``present`` false for one the report leaves out."""
    return [
        _section("key-figures", N_("Key figures")),
        _section("comparison", N_("Comparison with earlier periods"),
                 results.comparison is not None),
        _section("about", N_("About this report")),
        _section("statements", N_("Statements and management approach")),
        _section("group", N_("Group structure and submissions"), is_group),
        _section("ghg", N_("Greenhouse gas emissions")),
        _section("energy", N_("Energy")),
        _section("mitigation", N_("Climate change mitigation")),
        _section("water", N_("Water")),
        _section("waste", N_("Waste")),
        _section("pollutants", N_("Air emissions")),
        _section("biodiversity", N_("Biodiversity and protected areas")),
        _section("compliance", N_("Environmental compliance")),
        _section("green-finance", N_("Green finance")),
        _section("policy", N_("Alignment with the Green Belt and Road Opinions")),
        _section("annex-projects", N_("Annex: projects")),
        _section("gri", N_("GRI content index")),
        _section("mee", N_("Mapping to China's MEE disclosure format")),
        _section("methodology", N_("Methodology and emission factors")),
        _section("appendix", N_("Calculation appendix")),
        _section("data-quality", N_("Data quality")),
    ]


def _present(project_rows: list[dict[str, Any]]) -> dict[str, bool]:
    """Which optional sections the report prints at all."""
    return {
        "key-figures": True, "about": True, "ghg": True, "energy": True, "mitigation": True,
        "water": True, "waste": True, "pollutants": True,
        "biodiversity": any(p["protected_area_distance_km"] is not None
                            or p["protected_area_flag"] for p in project_rows),
        "compliance": True, "green-finance": True,
        "policy": bool(project_rows), "annex-projects": bool(project_rows),
    }


def _has_data(results: Results, present: dict[str, bool], air_rows: list[dict[str, Any]] | None
              ) -> dict[str, bool]:
    """Which sections carry data: one that only says "not reported" covers no disclosure."""
    r = results
    return {
        "key-figures": True,
        "about": True,
        "ghg": r.ghg.scope1_tco2e is not None or r.ghg.scope2_location_tco2e is not None,
        "energy": r.energy.total_consumption_gj is not None,
        "mitigation": mitigation.has_mitigation_data(r),
        "water": r.water.withdrawal_m3 is not None or r.water.discharge_m3 is not None,
        "waste": r.waste.total_t is not None,
        "pollutants": air_rows is not None,
        "biodiversity": present["biodiversity"],
        "compliance": r.compliance.incidents is not None,
        "green-finance": r.green_finance.total is not None,
        "policy": present["policy"],
        "annex-projects": present["annex-projects"],
    }


def chart_context(results: Results, lang: str) -> dict[str, Any]:
    """The part of the context the charts are drawn from (:func:`charts.all_charts` reads
    nothing else): made first, so that the charts are drawn (by a build's child) while the
    rest of the context is made."""
    return {
        "ghg": ghg.ghg_section(results, results.calculations, lang),
        "by_country": ghg.by_country(results),
        "energy": energy.energy_section(results, lang),
        "water": water.water_section(results),
        "monthly": ghg.monthly(results),
    }


def build_context(results: Results, lang: str, validation: dict[str, Any] | None = None,
                  languages: list[str] | None = None,
                  charted: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the templates print, from the typed results.

    ``validation`` is the ``validate --format json`` object for the data-quality section;
    ``languages`` are the languages of this build (see :func:`cover.report_languages`).
    ``charted``: :func:`chart_context` of the same results and language, already made.
    """
    if charted is None:
        charted = chart_context(results, lang)
    # the trail is columnar in the model, and the sections that summarise it read its
    # columns: no dict per entry; each column keyed once for all of them
    calcs = TrailKeys(results.calculations)
    currency = results.organization.reporting_currency
    text = FreeText(lang)
    project_rows = projects.project_rows(results, text)
    air_rows = pollutants.air_pollutants(results)
    present = _present(project_rows)
    has_data = _has_data(results, present, air_rows)
    group_ctx = group.group_section(results, text)
    words = statements.narrative(results, text)
    contents = _table_of_contents(results, group_ctx is not None)
    front = cover.front_matter(results, cover.report_languages(results, lang, languages), lang,
                               text)
    energy_contents, energy_cited = methodology.energy_contents(results, calcs, lang)
    factors = methodology.factors_used(calcs, lang, results.gwp_set)
    gwp_cited = methodology.combustion_gwp_sources(factors, results.gwp_set, calcs)
    context: dict[str, Any] = {
        "lang": lang,
        "meta": cover.meta(results, lang, text),
        "org": cover.organization(results),
        "languages": front["languages"],
        "front": front,
        "gwp_set": results.gwp_set,
        "tool_version": results.tool_version,
        "schema_version": results.schema_version,
        "factor_library_version": results.factor_library.version,
        "input": {"file_name": results.input.file_name, "sha256": results.input.sha256},
        "sections": [s for s in contents if s["present"]],
        "section_titles": {s["id"]: s["title"] for s in contents},
        "present": present,
        "has_data": has_data,
        "group": group_ctx,
        "key_figures": key_figures.key_figures(results),
        "ghg": charted["ghg"],
        "by_country": charted["by_country"],
        "projects": project_rows,
        "projects_in_boundary": [p for p in project_rows if p["in_boundary"]],
        "energy": charted["energy"],
        "mitigation": mitigation.mitigation_section(results, lang, text),
        "targets": mitigation.targets(results),
        "water": charted["water"],
        "waste": waste.waste_section(results),
        "pollutants": air_rows,
        "other_pollutants": pollutants.other_pollutants(results),
        "water_pollutants": pollutants.water_pollutants(results),
        "ods": ghg.ods(results, lang),
        "compliance": compliance.compliance_section(results.compliance, currency, text),
        "green_finance": mitigation.green_finance(results),
        "policy_flags": projects.policy_flags(results),
        **indexes.gri(results, words, {**has_data, "group": group_ctx is not None}),
        "narrative": words,
        "statements": statements.statements(results, project_rows, words),
        "mee": indexes.mee_mapping(has_data),
        "factors": factors,
        "grid_factors": methodology.grid_factors(results, calcs, lang),
        "overrides": methodology.overrides(results, text),
        "exchange_rates": methodology.exchange_rates(results, text),
        "energy_contents": energy_contents,
        "factor_sources": methodology.factor_sources(results, lang,
                                                     {**energy_cited, **gwp_cited}),
        "appendix": appendix.appendix_rows(appendix.aggregate_calculations(calcs), lang),
        "trail": appendix.trail_rows(calcs, lang),
        "monthly": charted["monthly"],
    }
    # last: it counts the untranslated free texts every section above printed
    context["data_quality"] = data_quality.data_quality(results, validation, text)
    return context
