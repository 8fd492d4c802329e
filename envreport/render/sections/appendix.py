"""Calculation appendix: the trail aggregated for print, and its first rows for the HTML.

Both read the columnar trail with numpy (:mod:`~envreport.render.sections.trail_frame`): the
time they take grows with the trail, the text they produce does not. The trail's rows come
with each cell as printed (:class:`TrailRow`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from markupsafe import Markup

from envreport.i18n import gettext
from envreport.render import vocabulary as v
from envreport.render.formatters import Formatters
from envreport.render.sections.common import sheet_title
from envreport.render.sections.trail_frame import (
    TrailKeys,
    column_values_at,
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
    # a group's input rows, each once: a row whose quantity a contractual instrument covers
    # in part is two entries of its group (the part covered and the rest), one row of the
    # workbook (a project's rows are all of one submission: its sheet and row name them)
    _, first_of_row = first_of_each(
        [*keys, trail_keys("sheet", text_or_blank), trail_keys("row", number_or_zero)])
    rows = np.bincount(groups[first_of_row], minlength=count)
    # bincount adds each group's entries in trail order, as a running sum would
    activity = np.bincount(groups, weights=numbers(trail["activity"]), minlength=count)
    gas_t = np.bincount(groups, weights=numbers(trail["gas_t"]) * numbers(trail["share"]),
                        minlength=count)
    tco2e = np.bincount(groups, weights=numbers(trail["tco2e"]), minlength=count)
    totals = []
    # each group's keys, read column by column: the texts it is labelled by (a missing value
    # is "", as it has no label)
    group_keys = zip(*([key.distinct[code] for code in key.codes[first].tolist()]
                       for key in keys), strict=True)
    for number, key in enumerate(group_keys):
        project_id, scope, category, method, fuel, gas, activity_unit = key
        totals.append((key, {
            "project_id": project_id,
            "scope_label": v.label(v.SCOPES, scope),
            "source_label": v.label(v.SOURCES, category),
            "method_label": v.label(v.METHODS, method),
            "fuel_label": v.label(v.FUELS, fuel) if fuel else "",
            "gas": gas,
            "activity_unit": activity_unit,
            "rows": int(rows[number]), "activity": float(activity[number]),
            "gas_t": float(gas_t[number]), "tco2e": float(tco2e[number]),
        }))
    return [group for _, group in sorted(totals, key=lambda item: item[0])]


class AppendixRow(NamedTuple):
    """One row of the appendix's table of totals, each cell as the report prints it (as
    :class:`TrailRow`'s)."""

    first_of_project: bool
    project_id: str
    scope: Markup | str
    source: str
    fuel: str
    gas: str
    rows: Markup | str
    activity: Markup | str
    tco2e: Markup | str


def appendix_rows(totals: list[dict[str, Any]], lang: str) -> list[AppendixRow]:
    """The totals of :func:`aggregate_calculations` as the appendix prints them."""
    fmt = Formatters(lang)
    scopes: dict[tuple[str, str], Markup | str] = {}  # a few of each: made once
    labels: dict[str, str] = {}
    printed = []
    for number, total in enumerate(totals):
        scope = (total["scope_label"], total["method_label"])
        if scope not in scopes:
            scopes[scope] = scope_cell(fmt, *scope)
        for label in (total["source_label"], total["fuel_label"]):
            if label not in labels:
                labels[label] = fmt.label(label)
        printed.append(AppendixRow(
            number == 0 or totals[number - 1]["project_id"] != total["project_id"],
            total["project_id"], scopes[scope], labels[total["source_label"]],
            labels[total["fuel_label"]], total["gas"], fmt.integer(total["rows"]),
            fmt.with_unit(fmt.number(total["activity"]), total["activity_unit"]),
            fmt.number(total["tco2e"])))
    return printed


class TrailRow(NamedTuple):
    """One row of the HTML's trail table, each cell as the report prints it. Formatted here
    with the templates' own filters (:class:`Formatters`) rather than by the template, where
    2 000 rows of eleven cells, each a filter call or a translated phrase, cost a quarter of
    the report's rendering (0.04 s at 100 000 input rows)."""

    sheet: str | None
    row: int | None
    project_id: str | None
    scope: Markup | str
    source: str
    activity: Markup | str
    factor: Markup | str
    gas: str | None
    gwp: Markup | str
    share: Markup | str
    tco2e: Markup | str


#: the columns :func:`trail_rows` prints from
_TRAIL_ROW_COLUMNS = ("sheet", "row", "project_id", "scope", "category", "method", "activity",
                      "activity_unit", "factor", "factor_unit", "gas", "gwp", "share", "tco2e")


def scope_cell(fmt: Formatters, scope_label: str, method_label: str) -> Markup | str:
    """A scope's label as the appendix prints it, with its Scope 2 method's when it has one
    ("Scope 2 (location-based)"): what the template's ``_("%(scope)s (%(method)s)", …)``
    gives, the translation as markup and its arguments escaped."""
    if not method_label:
        return fmt.label(scope_label)
    return Markup(gettext("%(scope)s (%(method)s)", fmt.lang)) % {
        "scope": fmt.label(scope_label), "method": fmt.inner_label(method_label)}


def trail_rows(trail: pd.DataFrame | TrailKeys, lang: str = "en") -> dict[str, Any]:
    """The row-level trail in input order, up to :data:`HTML_TRAIL_ROW_LIMIT` rows
    (:class:`TrailRow`); each row's sheet as the reader's template names it (燃料燃烧 for
    Fuel in Chinese)."""
    keys = keyed(trail)
    trail = keys.trail
    first: np.ndarray = np.arange(0)
    if not trail.empty:
        first = sorted_by([keys("sheet", str), keys("row", number_or_zero), keys("gas", str),
                           keys("method", text_or_blank)],
                          limit=HTML_TRAIL_ROW_LIMIT)
    fmt = Formatters(lang)
    # the labelled cells once per value: a trail has a few sheets, scopes and sources
    sheets: dict[str | None, str | None] = {}
    scopes: dict[tuple[str | None, str | None], Markup | str] = {}
    sources: dict[str | None, str] = {}
    rows = []
    for (sheet, row, project_id, scope, category, method, activity, activity_unit, factor,
         factor_unit, gas, gwp, share, tco2e) in zip(
            *column_values_at(trail, first, _TRAIL_ROW_COLUMNS), strict=True):
        if sheet not in sheets:
            sheets[sheet] = sheet_title(sheet, lang) if sheet else sheet
        if (scope, method) not in scopes:
            scopes[scope, method] = scope_cell(fmt, v.label(v.SCOPES, scope),
                                               v.label(v.METHODS, method) if method else "")
        if category not in sources:
            sources[category] = fmt.label(v.label(v.SOURCES, category))
        rows.append(TrailRow(
            sheets[sheet], row, project_id, scopes[scope, method], sources[category],
            fmt.with_unit(fmt.number(activity), activity_unit),
            fmt.with_unit(fmt.factor(factor), factor_unit), gas, fmt.factor(gwp),
            fmt.share(share), fmt.number(tco2e)))
    return {
        "rows": rows,
        "total": len(trail),
        "limit": HTML_TRAIL_ROW_LIMIT,
        "truncated": len(trail) > HTML_TRAIL_ROW_LIMIT,
    }
