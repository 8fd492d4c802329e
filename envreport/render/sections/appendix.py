"""Calculation appendix: the trail aggregated for print, and its first rows for the HTML."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from envreport.render import vocabulary as v

#: the HTML shows the row-level calculation trail up to this many rows (the PDF never shows
#: it: it carries the aggregated appendix and the complete trail as an attached CSV)
HTML_TRAIL_ROW_LIMIT = 2000


def aggregate_calculations(calcs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Project × scope × source × method × fuel/gas totals: as long as the factor set, not the
    input, so that the PDF stays short at any input size."""
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for calc in calcs:
        fuel = calc.get("fuel")
        key = (
            str(calc.get("project_id") or ""), str(calc.get("scope") or ""),
            str(calc.get("category") or ""), str(calc.get("method") or ""),
            str(fuel or ""), str(calc.get("gas") or ""), str(calc.get("activity_unit") or ""),
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "project_id": key[0],
                "scope_label": v.label(v.SCOPES, calc.get("scope")),
                "source_label": v.label(v.SOURCES, calc.get("category")),
                "method_label": v.label(v.METHODS, calc.get("method") or ""),
                "fuel_label": v.label(v.FUELS, fuel) if fuel else "",
                "gas": calc.get("gas") or "",
                "activity_unit": calc.get("activity_unit") or "",
                "rows": 0, "activity": 0.0, "gas_t": 0.0, "tco2e": 0.0,
            }
        group["rows"] += 1
        group["activity"] += calc.get("activity") or 0.0
        group["gas_t"] += (calc.get("gas_t") or 0.0) * (calc.get("share") or 0.0)
        group["tco2e"] += calc.get("tco2e") or 0.0
    return [groups[key] for key in sorted(groups)]


def trail_rows(calcs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The row-level trail in input order, up to :data:`HTML_TRAIL_ROW_LIMIT` rows."""
    # The first rows in trail order: nsmallest is sorted(...)[:n] (stable too) without
    # holding a sorted copy of the whole trail.
    ordered = heapq.nsmallest(
        HTML_TRAIL_ROW_LIMIT, calcs,
        key=lambda c: (str(c.get("sheet")), c.get("row") or 0, str(c.get("gas")),
                       str(c.get("method") or "")))
    return {
        "rows": [
            {"sheet": c.get("sheet"), "row": c.get("row"), "project_id": c.get("project_id"),
             "scope_label": v.label(v.SCOPES, c.get("scope")),
             "source_label": v.label(v.SOURCES, c.get("category")),
             "method_label": v.label(v.METHODS, c.get("method")) if c.get("method") else "",
             "activity": c.get("activity"), "activity_unit": c.get("activity_unit"),
             "factor": c.get("factor"), "factor_unit": c.get("factor_unit"),
             "gas": c.get("gas"), "gwp": c.get("gwp"), "share": c.get("share"),
             "tco2e": c.get("tco2e")}
            for c in ordered
        ],
        "total": len(calcs),
        "limit": HTML_TRAIL_ROW_LIMIT,
        "truncated": len(calcs) > HTML_TRAIL_ROW_LIMIT,
    }
