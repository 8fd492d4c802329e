"""Statements and management approach: the enterprise's own words (the Narrative sheet) and
what the reader must be told besides the figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText
from envreport.results import Results
from envreport.schema.sheets import NARRATIVE_TOPICS

#: The climate standards whose structure the report names, each with the day it was issued.
#: A report cites one only if it existed when the report was published: IFRS S2 (ISSB,
#: 26 June 2023) and China's Corporate Sustainability Disclosure Standard No. 1 — Climate
#: (Trial) (《企业可持续披露准则第1号——气候（试行）》, Ministry of Finance with the Ministry of
#: Ecology and Environment and other authorities, 25 December 2025; its exposure draft of
#: 30 April 2025 is not the standard).
CLIMATE_STANDARDS: tuple[tuple[str, dt.date], ...] = (
    ("ifrs_s2", dt.date(2023, 6, 26)),
    ("china_climate", dt.date(2025, 12, 25)),
)


def climate_standards(results: Results) -> list[str]:
    """The climate standards (:data:`CLIMATE_STANDARDS`) the report may cite: those issued by
    its ``publication_date``, the day the report speaks from. Without one (a draft), by the
    end of the reporting period: a report is published after its period ends, so a standard
    issued by then existed at publication too; one issued later might not have."""
    day = results.organization.publication_date or results.period.end
    if not day:
        return []
    published = dt.date.fromisoformat(day)
    return [name for name, issued in CLIMATE_STANDARDS if issued <= published]


def narrative(results: Results, text: FreeText) -> dict[str, list[dict[str, Any]]]:
    """The enterprise's own words by topic, in workbook order."""
    by_topic: dict[str, list[dict[str, Any]]] = {t: [] for t in NARRATIVE_TOPICS}
    for item in results.narrative or []:
        shown = text(item, "text")
        if shown is not None:
            # a member's words in a group report: cited by the entity that wrote them
            shown["entity"] = item.entity_id
            by_topic.setdefault(item.topic or "other", []).append(shown)
    return by_topic


def statements(results: Results, projects: list[dict[str, Any]],
               words: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Boundary and exclusions, base year and its recalculation policy, the basis of targets,
    the position on coal power, the climate standards the report may cite."""
    org, base_year = results.organization, results.base_year
    threshold = (base_year.threshold_pct if base_year is not None
                 else org.recalculation_threshold_pct)
    return {
        "consolidation_label": v.label(v.CONSOLIDATION, org.consolidation_approach),
        "excluded": [p for p in projects if not p["in_boundary"]],
        "base_year": org.base_year or (base_year.year if base_year is not None else None),
        "threshold_pct": 5.0 if threshold is None else threshold,
        "recalculated": bool(base_year is not None and base_year.recalculated),
        "target_bases": sorted({v.label(v.TARGET_METRICS, t.metric)
                                for t in results.targets or []}),
        "coal_projects": [p for p in projects if p["coal_power"]],
        "coal_text": words.get("coal_policy") or [],
        "climate_standards": climate_standards(results),
    }
