"""The GRI content index and the mapping to China's MEE disclosure format."""

from __future__ import annotations

from typing import Any

from envreport.render.gri import STANDARDS, SUCCESSORS, gri_index
from envreport.render.vocabulary import N_
from envreport.results import Results


def gri(results: Results, words: dict[str, list[dict[str, Any]]],
        has_data: dict[str, bool]) -> dict[str, Any]:
    """The content index rows, the standards' versions and their announced successors, and
    the standards the rows cover as the document's keywords name them ("GRI 302")."""
    rows = gri_index(results, {topic for topic, items in words.items() if items}, has_data)
    covered = {row["standard"] for row in rows}
    return {
        "gri": rows,
        "gri_standards": [{"code": code, "title": title} for code, title in STANDARDS.items()],
        "gri_successors": SUCCESSORS,
        # in STANDARDS' order; GRI 1 sets the requirements and has no disclosure of its own
        "gri_keywords": [f"GRI {code}" for code in STANDARDS if code in covered],
    }


def mee_mapping(has_data: dict[str, bool]) -> list[dict[str, Any]]:
    """Each part of the MEE format with the report sections that answer it."""
    def row(number: str, title: str, sections: list[str], note: str | None = None
            ) -> dict[str, Any]:
        covered = [s for s in sections if has_data.get(s)]
        return {"number": number, "title": title, "sections": covered, "note": note}

    return [
        row("—", N_("Summary of key environmental information"), ["key-figures"]),
        row("1", N_("Basic information"), ["about", "annex-projects"]),
        row("2", N_("Environmental management information"), ["compliance", "policy"],
            N_("Permits, environmental protection tax, pollution liability insurance and "
               "credit rating are not covered by this report.")),
        row("3", N_("Pollutant generation, treatment and discharge"),
            ["pollutants", "waste", "water"]),
        row("4", N_("Carbon emissions"), ["ghg", "energy", "mitigation"]),
        # the Measures (Art. 12) ask here for the emergency plans for environmental incidents
        # and the response to heavy-pollution weather: the report gives the incidents that
        # happened and the corrective action on each, not the plans
        row("5", N_("Ecological and environmental emergency information"), ["compliance"],
            N_("Emergency plans for environmental incidents and the response to "
               "heavy-pollution weather are not covered by this report.")),
        row("6", N_("Ecological and environmental violations"), ["compliance"]),
        row("7", N_("Temporary disclosures made during the year"), []),
        row("8", N_("Other environmental information"),
            ["biodiversity", "green-finance", "policy"]),
    ]
