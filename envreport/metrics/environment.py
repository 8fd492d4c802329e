"""Water (GRI 303), waste (GRI 306) and pollutants, scaled by the consolidation share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import exact_sum, figure, sums_by
from envreport.results.models import Waste, Water
from envreport.schema.sheets import DIVERTED_ROUTES
from envreport.submission import Submission
from envreport.units import conversion_factor, dimension_of

SectionModel = TypeVar("SectionModel", Water, Waste)


@dataclass(frozen=True, slots=True)
class TopicSection(Generic[SectionModel]):
    """A section's figures and the per-project quantities (``project_id`` and a value)."""

    figures: SectionModel
    per_project: pd.DataFrame


def _in_unit(frame: pd.DataFrame, target: str, dimension: str) -> pd.Series:
    """``quantity`` in ``target`` (NaN where the row's unit is not of ``dimension``)."""
    units = {u: conversion_factor(u, target) for u in frame["unit"].dropna().unique()
             if dimension_of(u) == dimension}
    return pd.to_numeric(frame["quantity"], errors="coerce") * frame["unit"].map(units)


def water(submission: Submission, shares: pd.DataFrame) -> TopicSection[Water]:
    """Withdrawal, discharge, consumption (m³); per project: withdrawal (``m3``)."""
    rows = rows_of(submission, "Water")
    if rows is None:
        return TopicSection(Water.model_validate(dict.fromkeys(Water.model_fields)),
                            pd.DataFrame(columns=["project_id", "m3"]))
    share = rows["project_id"].map(shares["share"]).fillna(0.0)
    m3 = (_in_unit(rows, "m3", "volume") * share).fillna(0.0)
    withdrawal_rows = rows["flow"] == "withdrawal"
    discharge_rows = rows["flow"] == "discharge"
    stressed_by_project = shares["water_stressed"] if "water_stressed" in shares.columns \
        else None
    stressed = (rows["project_id"].map(stressed_by_project).astype("boolean").fillna(False)
                .astype(bool) if stressed_by_project is not None
                else pd.Series(False, index=rows.index))
    withdrawal, discharge = exact_sum(m3[withdrawal_rows]), exact_sum(m3[discharge_rows])
    by_source = pd.DataFrame({"source": rows["source"], "m3": m3})
    figures = Water(
        withdrawal_m3=figure(withdrawal),
        discharge_m3=figure(discharge),
        consumption_m3=figure(withdrawal - discharge),
        withdrawal_stressed_m3=figure(exact_sum(m3[withdrawal_rows & stressed])),
        withdrawal_by_source_m3=sums_by(by_source[withdrawal_rows], "source", "m3"),
        discharge_by_destination_m3=sums_by(by_source[discharge_rows], "source", "m3"),
    )
    return TopicSection(figures, pd.DataFrame({"project_id": rows["project_id"][withdrawal_rows],
                                               "m3": m3[withdrawal_rows]}))


def waste(submission: Submission, shares: pd.DataFrame) -> TopicSection[Waste]:
    """Generated, hazardous, diverted and disposed waste (t); per project: total (``t``)."""
    rows = rows_of(submission, "Waste")
    if rows is None:
        return TopicSection(Waste.model_validate(dict.fromkeys(Waste.model_fields)),
                            pd.DataFrame(columns=["project_id", "t"]))
    share = rows["project_id"].map(shares["share"]).fillna(0.0)
    tonnes = (_in_unit(rows, "t", "mass") * share).fillna(0.0)
    hazardous = rows["hazardous"].astype("boolean").fillna(False).astype(bool)
    diverted = rows["disposal"].isin(DIVERTED_ROUTES)
    figures = Waste(total_t=figure(exact_sum(tonnes)),
                    hazardous_t=figure(exact_sum(tonnes[hazardous])),
                    diverted_t=figure(exact_sum(tonnes[diverted])),
                    disposed_t=figure(exact_sum(tonnes[~diverted])))
    return TopicSection(figures, pd.DataFrame({"project_id": rows["project_id"], "t": tonnes}))


def pollutants(submission: Submission, shares: pd.DataFrame) -> dict[str, float] | None:
    """Tonnes per pollutant, scaled by share; ``None`` when the sheet has no rows."""
    rows = rows_of(submission, "Pollutants")
    if rows is None:
        return None
    share = rows["project_id"].map(shares["share"]).fillna(0.0)
    tonnes = pd.to_numeric(rows["quantity_t"], errors="coerce").fillna(0.0) * share
    return sums_by(pd.DataFrame({"pollutant": rows["pollutant"].astype(str), "t": tonnes}),
                   "pollutant", "t")
