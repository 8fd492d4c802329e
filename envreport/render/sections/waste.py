"""Waste generated, diverted and disposed (GRI 306-3/4/5)."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import labelled_rows
from envreport.results import Results, Waste


def _by_location(waste: Waste) -> list[dict[str, Any]] | None:
    """Diverted (GRI 306-4) and disposed (306-5) waste, on site and off site, each with its
    hazardous part; "location not stated" only where rows left it blank."""
    if waste.diverted_by_location_t is None:
        return None
    splits = {"diverted": waste.diverted_by_location_t or {},
              "diverted_hazardous": waste.hazardous_diverted_by_location_t or {},
              "disposed": waste.disposed_by_location_t or {},
              "disposed_hazardous": waste.hazardous_disposed_by_location_t or {}}
    rows = []
    for where in v.WASTE_LOCATIONS:
        row = {name: split.get(where) for name, split in splits.items()}
        if where == "unspecified" and not any(row.values()):
            continue
        rows.append({"label": v.label(v.WASTE_LOCATIONS, where), **row})
    return rows


def waste_section(results: Results) -> dict[str, Any]:
    """The waste figures, by disposal route and by location."""
    waste = results.waste
    return {
        "total": waste.total_t,
        "hazardous": waste.hazardous_t,
        "non_hazardous": (waste.total_t - waste.hazardous_t)
        if waste.total_t is not None and waste.hazardous_t is not None else None,
        "diverted": waste.diverted_t,
        "disposed": waste.disposed_t,
        "by_disposal": labelled_rows(waste.by_disposal_t, v.DISPOSAL),
        "by_location": _by_location(waste),
        # the hazardous columns' totals, for the total row of the on-site/off-site table
        "diverted_hazardous": waste.hazardous_diverted_t,
        "disposed_hazardous": waste.hazardous_disposed_t,
    }
