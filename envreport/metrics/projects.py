"""Per project and per host country: the figures of each project in the boundary."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from envreport.metrics.numbers import (
    exact_sums,
    figure,
    flag_or_none,
    iso_date,
    text_or_none,
)
from envreport.results.models import PROJECT_FIGURES, CountryEntry, ProjectEntry

# The project's descriptive fields carried into by_project (the report's policy-alignment,
# biodiversity and annex tables read them by these names).
PROJECT_TEXT = ("project_name_zh", "eia_status", "environmental_standard",
                "eia_authority", "eia_authority_zh", "protected_area_name",
                "protected_area_name_zh")
PROJECT_DATES = ("eia_approval_date", "construction_start", "operation_start", "acquired_date")
PROJECT_NUMBERS = ("protected_area_distance_km", "installed_capacity_mw", "ownership_pct")


@dataclass(frozen=True, slots=True)
class ProjectTopic:
    """One per-project figure: the quantities it sums and whether its sheet was reported."""

    per_project: pd.DataFrame | None  # project_id and value_column
    value_column: str
    reported: bool


@dataclass(frozen=True, slots=True)
class TrailTopics:
    """Which trail-based figures are reported (their sheet has rows)."""

    scope1: bool
    scope2: bool
    biogenic: bool
    other_gases: bool


def _sums_per_project(frame: pd.DataFrame | None, value: str,
                      reported: bool) -> dict[str, float] | None:
    """Per-project sums; ``None`` (not reported) when the topic's sheet has no rows."""
    if not reported:
        return None
    if frame is None or frame.empty:
        return {}
    return _per_project(frame["project_id"], frame[value])


def _per_project(projects: Any, values: Any) -> dict[str, float]:
    """The exact sum of ``values`` per project id."""
    return {str(project_id): total
            for project_id, total in exact_sums(projects, values).items()}


def by_project(shares: pd.DataFrame, trail: pd.DataFrame, reported: TrailTopics,
               topics: dict[str, ProjectTopic]) -> list[ProjectEntry]:
    """One entry per project of the Projects sheet (in the boundary or not), by id."""
    # the trail's columns as arrays, the entries of each sum picked out of them: a selection
    # of the trail's frame would copy every column it keeps
    project = trail["project_id"].array
    tco2e = trail["tco2e"].to_numpy(dtype="float64")
    scope = trail["scope"]

    def trail_sum(mask: pd.Series, present: bool,
                  values: np.ndarray = tco2e) -> dict[str, float] | None:
        if not present:
            return None
        picked = mask.to_numpy(dtype=bool)
        return _per_project(project[picked], values[picked])

    scope2 = scope == "2"
    sums = {
        "scope1_tco2e": trail_sum(scope == "1", reported.scope1),
        "scope2_location_tco2e": trail_sum(scope2 & (trail["method"] == "location"),
                                           reported.scope2),
        "scope2_market_tco2e": trail_sum(scope2 & (trail["method"] == "market"),
                                         reported.scope2),
        "biogenic_co2_t": trail_sum(scope == "biogenic", reported.biogenic,
                                    trail["gas_t"].to_numpy(dtype="float64")
                                    * trail["share"].to_numpy(dtype="float64")),
        "other_gases_tco2e": trail_sum(scope == "other", reported.other_gases),
    }
    for key, topic in topics.items():
        sums[key] = _sums_per_project(topic.per_project, topic.value_column, topic.reported)
    out = []
    for project_id, project in shares.sort_index().iterrows():  # one entry per project
        entry: dict[str, Any] = {
            "project_id": str(project_id),
            **{k: text_or_none(project.get(k))
               for k in ("project_name", "host_country", "sector", "project_type", "status")},
            "consolidation_share": figure(project["share"]),
            "in_boundary": bool(project["share"] > 0),
        }
        # The project as described in the Projects sheet (blank → None).
        entry.update({k: text_or_none(project.get(k)) for k in PROJECT_TEXT})
        entry.update({k: iso_date(project.get(k)) for k in PROJECT_DATES})
        # an absent column reads as NaN (a figure of None), as a blank cell does
        entry.update({k: figure(pd.to_numeric(project.get(k, math.nan), errors="coerce"))
                      for k in PROJECT_NUMBERS})
        entry["water_stressed"] = flag_or_none(project.get("water_stressed"))
        for key, values in sums.items():
            entry[key] = None if values is None else (figure(values.get(str(project_id), 0.0))
                                                      or 0.0)
        out.append(ProjectEntry(**entry))
    return out


def by_country(projects: list[ProjectEntry]) -> list[CountryEntry]:
    """The by_project figures summed per host country (a figure none reports stays null)."""
    grouped: dict[str, list[ProjectEntry]] = {}
    for project in projects:
        grouped.setdefault(str(project.host_country), []).append(project)
    out = []
    for name in sorted(grouped):
        members = grouped[name]
        sums: dict[str, float | None] = {}
        for key in PROJECT_FIGURES:
            values = [v for v in (getattr(p, key) for p in members) if v is not None]
            sums[key] = figure(math.fsum(values)) if values else None
        out.append(CountryEntry(country=name, projects=len(members), **sums))
    return out
