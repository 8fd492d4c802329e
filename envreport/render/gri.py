"""The GRI content index: every disclosure of the topics the report covers, where it is, or
why it is omitted (GRI 1: Foundation 2021, Requirement 6).

A disclosure points at the element of the report that answers it (the templates print its
page with CSS ``target-counter``); an omitted one carries one of GRI 1's four reasons and the
explanation. The version of each standard is named once, in :data:`STANDARDS`.
"""

from __future__ import annotations

from typing import Any

from envreport.render.vocabulary import N_
from envreport.results import Results

#: standard → its title and edition, as the content index names it
STANDARDS = {
    "1": N_("GRI 1: Foundation 2021"),
    "2": N_("GRI 2: General Disclosures 2021"),
    "302": N_("GRI 302: Energy 2016"),
    "303": N_("GRI 303: Water and Effluents 2018"),
    "304": N_("GRI 304: Biodiversity 2016"),
    "305": N_("GRI 305: Emissions 2016"),
    "306": N_("GRI 306: Waste 2020"),
}

#: GRI 1's reasons for omission
NOT_APPLICABLE = N_("Not applicable")
UNAVAILABLE = N_("Information unavailable or incomplete")
CONFIDENTIAL = N_("Confidentiality constraints")
LEGAL = N_("Legal prohibitions")

NO_DATA = N_("The submission has no data for this disclosure.")
#: for the disclosures the workbook has no column for: no submission could fill them, so
#: "the submission has no data" would blame the submitter
NOT_COLLECTED = N_("This information is not collected from the projects for this report.")

#: disclosures that GRI's new topic standards replace (effective for reports from 2027)
SUCCESSORS = N_("GRI 102: Climate Change 2025 will replace disclosures 305-1 to 305-5, and "
                "GRI 103: Energy 2025 will replace GRI 302, for reports published from "
                "1 January 2027; the index will then follow them.")


def _row(code: str, title: str, anchor: str | None, reason: str | None = None,
         explanation: str | None = None) -> dict[str, Any]:
    # ``anchor`` is a section id, or "section#element" for an element inside the section
    section, _, element = (anchor or "").partition("#")
    found = reason is None and bool(anchor)
    return {"code": code, "standard": code.split("-")[0], "title": title,
            "section": section if found else None,
            "anchor": (element or section) if found else None,
            "reason": reason, "explanation": explanation}


def gri_index(results: Results, narrative_topics: set[str], sections: dict[str, bool]
              ) -> list[dict[str, Any]]:
    """The content index rows for ``results``.

    ``narrative_topics`` are the topics the enterprise wrote text for; ``sections`` says which
    report sections carry data.
    """
    def covered(code: str, title: str, anchor: str, ok: bool,
                explanation: str = NO_DATA) -> dict[str, Any]:
        return _row(code, title, anchor) if ok else _row(code, title, None, UNAVAILABLE,
                                                         explanation)

    restated = bool(results.base_year is not None and results.base_year.recalculated) or any(
        h.restated for h in results.history or [])
    ods, energy, ghg = results.ods, results.energy, results.ghg
    water, waste, mitigation = results.water, results.waste, results.mitigation
    return [
        _row("2-1", N_("Organizational details"), "about"),
        _row("2-2", N_("Entities included in the organization's sustainability reporting"),
             "group" if sections.get("group") else "annex-projects"),
        _row("2-3", N_("Reporting period, frequency and contact point"), "about"),
        # the restated figures, their reasons and effects are in the comparison chapter
        # (present whenever the ledger gave an earlier period); the policy alone otherwise
        _row("2-4", N_("Restatements of information"),
             "comparison" if results.comparison is not None
             else "statements#statement-base-year") if restated else
        _row("2-4", N_("Restatements of information"), None, NOT_APPLICABLE,
             N_("No information of an earlier report is restated in this report.")),
        _row("2-5", N_("External assurance"), "statements#statement-assurance"),
        covered("2-27", N_("Compliance with laws and regulations"), "compliance",
                sections.get("compliance", False)),
        covered("302-1", N_("Energy consumption within the organization"), "energy",
                sections.get("energy", False)),
        _row("302-2", N_("Energy consumption outside of the organization"), None, UNAVAILABLE,
             N_("Energy consumed outside the organization (value chain) is not collected.")),
        covered("302-3", N_("Energy intensity"), "energy#table-energy-intensity",
                energy.intensity is not None
                and any(x is not None for x in energy.intensity.model_dump().values()),
                N_("Revenue or energy consumption is not reported.")),
        # 302-4 asks for the energy saved (GJ); the Mitigation sheet quantifies an action
        # in tCO2e only, so pointing at the actions' table would claim a figure never shown
        _row("302-4", N_("Reduction of energy consumption"), None, UNAVAILABLE,
             N_("Reduction actions are quantified in tCO2e; the energy they save (GJ) is not "
                "collected.")),
        _row("302-5", N_("Reductions in energy requirements of products and services"), None,
             NOT_APPLICABLE, N_("The organization's products and services are outside the "
                                "scope of this environmental report.")),
        covered("303-1", N_("Interactions with water as a shared resource"),
                "water#narrative-water",
                "water" in narrative_topics, N_("The submission gives no text on water.")),
        covered("303-2", N_("Management of water discharge-related impacts"),
                "water#narrative-water", "water" in narrative_topics,
                N_("The submission gives no text on water.")),
        covered("303-3", N_("Water withdrawal"), "water", water.withdrawal_m3 is not None),
        covered("303-4", N_("Water discharge"), "water", water.discharge_m3 is not None),
        covered("303-5", N_("Water consumption"), "water", water.consumption_m3 is not None),
        covered("304-1", N_("Operational sites owned, leased, managed in, or adjacent to, "
                            "protected areas and areas of high biodiversity value outside "
                            "protected areas"), "biodiversity", sections.get("biodiversity",
                                                                          False)),
        covered("304-2", N_("Significant impacts of activities, products and services on "
                            "biodiversity"), "biodiversity#narrative-biodiversity",
                "biodiversity" in narrative_topics,
                N_("The submission gives no text on biodiversity.")),
        _row("304-3", N_("Habitats protected or restored"), None, UNAVAILABLE, NOT_COLLECTED),
        _row("304-4", N_("IUCN Red List species and national conservation list species with "
                         "habitats in areas affected by operations"), None, UNAVAILABLE,
             NOT_COLLECTED),
        covered("305-1", N_("Direct (Scope 1) GHG emissions"), "ghg", ghg.scope1_tco2e is not None),
        covered("305-2", N_("Energy indirect (Scope 2) GHG emissions"), "ghg",
                ghg.scope2_location_tco2e is not None),
        # an entity's report (a subsidiary's own) has projects, not subsidiaries
        _row("305-3", N_("Other indirect (Scope 3) GHG emissions"), None, UNAVAILABLE,
             N_("Scope 3 emissions are not collected from the subsidiaries.")
             if sections.get("group") else
             N_("Scope 3 emissions are not collected from the projects.")),
        covered("305-4", N_("GHG emissions intensity"), "ghg#table-intensity",
                ghg.intensity is not None
                and any(x is not None for x in ghg.intensity.model_dump().values())),
        covered("305-5", N_("Reduction of GHG emissions"), "mitigation",
                mitigation.actions_reduction_tco2e is not None),
        _row("305-6", N_("Emissions of ozone-depleting substances (ODS)"), "ghg#table-ods")
        if ods and ods.by_gas else
        _row("305-6", N_("Emissions of ozone-depleting substances (ODS)"), None, NOT_APPLICABLE,
             N_("No ozone-depleting substance is reported among the refrigerants."))
        if ods is not None else
        _row("305-6", N_("Emissions of ozone-depleting substances (ODS)"), None, UNAVAILABLE,
             N_("The submission has no refrigerant data.")),
        covered("305-7", N_("Nitrogen oxides (NOx), sulfur oxides (SOx), and other significant "
                            "air emissions"), "pollutants", sections.get("pollutants", False)),
        _row("306-1", N_("Waste generation and significant waste-related impacts"), None,
             UNAVAILABLE, NOT_COLLECTED),
        _row("306-2", N_("Management of significant waste-related impacts"), None, UNAVAILABLE,
             NOT_COLLECTED),
        covered("306-3", N_("Waste generated"), "waste", waste.total_t is not None),
        covered("306-4", N_("Waste diverted from disposal"), "waste", waste.diverted_t is not None),
        covered("306-5", N_("Waste directed to disposal"), "waste", waste.disposed_t is not None),
    ]
