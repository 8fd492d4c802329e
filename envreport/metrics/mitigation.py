"""Mitigation: renewable generation, avoided emissions and the Mitigation actions."""

from __future__ import annotations

import pandas as pd

from envreport.factors.library import FactorLibrary
from envreport.factors.resolve import Overrides, grid_table, rows_of
from envreport.metrics.numbers import (
    column_or_blank,
    exact_sum,
    figure,
    figure_list,
    iso_date_list,
    records,
    text_list,
    text_or_none,
)
from envreport.results.models import ActionEntry, AvoidedFactor, Mitigation
from envreport.schema import Sheet
from envreport.schema.sheets import RENEWABLE_TECHNOLOGIES
from envreport.submission import Submission


def action_list(actions: pd.DataFrame, share: pd.Series,
                reporting: str) -> list[ActionEntry]:
    """The Mitigation rows of projects in the boundary, by project then Excel row.

    Each action as reported (reduction and investment unscaled; ``consolidation_share`` says
    how much of it the boundary counts); a blank currency is the reporting currency.
    """
    inside = actions.assign(_share=share)[share > 0]
    inside = inside.sort_values(["project_id", "row"], kind="stable")
    currency = column_or_blank(inside, "currency").astype(object)
    return [ActionEntry(**record) for record in records({
        "project_id": text_list(inside["project_id"]),
        "row": inside["row"].astype("int64").tolist(),
        "action": text_list(column_or_blank(inside, "action")),
        "action_zh": text_list(column_or_blank(inside, "action_zh")),
        "category": text_list(column_or_blank(inside, "category")),
        "status": text_list(column_or_blank(inside, "status")),
        "annual_reduction_tco2e": figure_list(column_or_blank(inside,
                                                              "annual_reduction_tco2e")),
        "investment": figure_list(column_or_blank(inside, "investment")),
        "currency": text_list(currency.where(currency.notna(), reporting or None)),
        "completion_date": iso_date_list(column_or_blank(inside, "completion_date")),
        "consolidation_share": figure_list(inside["_share"]),
    })]


def mitigation(submission: Submission, generation: pd.DataFrame | None, shares: pd.DataFrame,
               year: int, library: FactorLibrary, overrides: Overrides,
               reporting: str = "") -> Mitigation:
    """The ``mitigation`` section (generation from :func:`energy.generation_rows`)."""
    actions = rows_of(submission, Sheet.MITIGATION)
    completed_reduction = listed = None
    if actions is not None:
        share = actions["project_id"].map(shares["share"]).fillna(0.0)
        reduction = pd.to_numeric(column_or_blank(actions, "annual_reduction_tco2e"),
                                  errors="coerce").fillna(0.0)
        done = actions["status"] == "completed"
        completed_reduction = figure(exact_sum(reduction[done] * share[done]))
        listed = action_list(actions, share, reporting)
    if generation is None:
        return Mitigation(renewable_generation_mwh=None, avoided_tco2e=None,
                          avoided_tco2e_ifi_combined_margin=None,
                          actions_reduction_tco2e=completed_reduction, avoided_factors=[],
                          actions=listed)
    renewable = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
    countries = sorted(generation.loc[renewable, "host_country"].dropna().unique())
    location = grid_table(countries, year, library, overrides)
    sensitivity = grid_table(countries, year, library, overrides, role="sensitivity")
    return Mitigation(
        renewable_generation_mwh=figure(exact_sum(
            generation["gross_generation_mwh"][renewable] * generation["share"][renewable])),
        avoided_tco2e=figure(exact_sum(generation["avoided_t"].fillna(0.0))),
        avoided_tco2e_ifi_combined_margin=figure(exact_sum(
            generation["avoided_ifi_t"].fillna(0.0))),
        actions_reduction_tco2e=completed_reduction,
        avoided_factors=[
            AvoidedFactor(country=c, factor_kg_per_kwh=figure(location.loc[c, "factor"]),
                          factor_source=text_or_none(location.loc[c, "source"]),
                          sensitivity_factor_kg_per_kwh=figure(sensitivity.loc[c, "factor"]),
                          sensitivity_source=text_or_none(sensitivity.loc[c, "source"]))
            for c in countries],
        actions=listed)
