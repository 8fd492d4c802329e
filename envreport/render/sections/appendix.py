"""Calculation appendix: the trail aggregated for print, and its first rows for the HTML.

Both read the columnar trail with numpy (:mod:`~envreport.render.sections.trail_frame`): the
time they take grows with the trail, the text they produce does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from envreport.render import vocabulary as v
from envreport.render.sections.common import sheet_title
from envreport.render.sections.trail_frame import (
    TrailKeys,
    entries_at,
    first_of_each,
    keyed,
    number_or_zero,
    numbers,
    sorted_by,
    text_or_blank,
)

#: the HTML shows the row-level calculation trail up to this many rows (the PDF never shows
#: it: it carries the aggregated appendix and the complete trail as an attached CSV)
HTML_TRAIL_ROW_LIMIT = 2000

#: what the appendix totals by, in its order
_GROUP_BY = ("project_id", "scope", "category", "method", "fuel", "gas", "activity_unit")


def aggregate_calculations(trail: pd.DataFrame | TrailKeys) -> list[dict[str, Any]]:
    """Project × scope × source × method × fuel/gas totals: as long as the factor set, not the
    input, so that the PDF stays short at any input size. Sorted by the text of the keys."""
    trail_keys = keyed(trail)
    trail = trail_keys.trail
    if trail.empty:
        return []
    keys = [trail_keys(column, text_or_blank) for column in _GROUP_BY]
    groups, first = first_of_each(keys)
    count = len(first)
    # bincount adds each group's entries in trail order, as a running sum would
    rows = np.bincount(groups, minlength=count)
    activity = np.bincount(groups, weights=numbers(trail["activity"]), minlength=count)
    gas_t = np.bincount(groups, weights=numbers(trail["gas_t"]) * numbers(trail["share"]),
                        minlength=count)
    tco2e = np.bincount(groups, weights=numbers(trail["tco2e"]), minlength=count)
    totals = []
    # each group's keys, read column by column
    group_keys = zip(*([key.distinct[code] for code in key.codes[first].tolist()]
                       for key in keys), strict=True)
    for number, (key, calc) in enumerate(zip(group_keys, entries_at(trail, first),
                                             strict=True)):
        fuel = calc.get("fuel")
        totals.append((key, {
            "project_id": key[0],
            "scope_label": v.label(v.SCOPES, calc.get("scope")),
            "source_label": v.label(v.SOURCES, calc.get("category")),
            "method_label": v.label(v.METHODS, calc.get("method") or ""),
            "fuel_label": v.label(v.FUELS, fuel) if fuel else "",
            "gas": calc.get("gas") or "",
            "activity_unit": calc.get("activity_unit") or "",
            "rows": int(rows[number]), "activity": float(activity[number]),
            "gas_t": float(gas_t[number]), "tco2e": float(tco2e[number]),
        }))
    return [group for _, group in sorted(totals, key=lambda item: item[0])]


def trail_rows(trail: pd.DataFrame | TrailKeys, lang: str = "en") -> dict[str, Any]:
    """The row-level trail in input order, up to :data:`HTML_TRAIL_ROW_LIMIT` rows; each
    row's sheet as the reader's template names it (燃料燃烧 for Fuel in Chinese)."""
    keys = keyed(trail)
    trail = keys.trail
    first: np.ndarray = np.arange(0)
    if not trail.empty:
        first = sorted_by([keys("sheet", str), keys("row", number_or_zero), keys("gas", str),
                           keys("method", text_or_blank)],
                          limit=HTML_TRAIL_ROW_LIMIT)
    return {
        "rows": [
            {"sheet": sheet_title(c["sheet"], lang) if c.get("sheet") else c.get("sheet"),
             "row": c.get("row"), "project_id": c.get("project_id"),
             "scope_label": v.label(v.SCOPES, c.get("scope")),
             "source_label": v.label(v.SOURCES, c.get("category")),
             "method_label": v.label(v.METHODS, c.get("method")) if c.get("method") else "",
             "activity": c.get("activity"), "activity_unit": c.get("activity_unit"),
             "factor": c.get("factor"), "factor_unit": c.get("factor_unit"),
             "gas": c.get("gas"), "gwp": c.get("gwp"), "share": c.get("share"),
             "tco2e": c.get("tco2e")}
            for c in entries_at(trail, first)
        ],
        "total": len(trail),
        "limit": HTML_TRAIL_ROW_LIMIT,
        "truncated": len(trail) > HTML_TRAIL_ROW_LIMIT,
    }
