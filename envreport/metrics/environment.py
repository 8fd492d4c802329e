"""Water (GRI 303), waste (GRI 306) and pollutants, scaled by the consolidation share.

Splits the standards ask for: water by quality (GRI 303-3/303-4: freshwater, other), withdrawal
in water-stressed areas by source; waste diverted (306-4) and disposed (306-5) by on-site or
off-site operation; water pollutants (COD, NH3-N) under water discharge (GRI 303-4 and the
MEE format), apart from air emissions (GRI 305-7). A row whose optional split column is blank
counts under ``unspecified``, so every split adds up to its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import column_or_blank, exact_sum, figure, sums_by
from envreport.results.models import Waste, Water
from envreport.schema import Sheet
from envreport.schema.sheets import (
    AIR_POLLUTANTS,
    DIVERTED_ROUTES,
    WASTE_LOCATIONS,
    WATER_POLLUTANTS,
    WATER_QUALITIES,
)
from envreport.submission import Submission
from envreport.units import conversion_factor, dimension_of

UNSPECIFIED = "unspecified"
SectionModel = TypeVar("SectionModel", Water, Waste)


def _split(values: pd.Series, keys: pd.Series, known: tuple[str, ...]) -> dict[str, float]:
    """``values`` summed per key, every ``known`` key present; blanks under ``unspecified``."""
    keys = keys.astype(object).where(keys.notna(), UNSPECIFIED)
    sums = sums_by(pd.DataFrame({"key": keys, "value": values}), "key", "value")
    out = {key: sums.get(key, 0.0) for key in known}
    if UNSPECIFIED in sums:
        out[UNSPECIFIED] = sums[UNSPECIFIED]
    return out


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
    rows = rows_of(submission, Sheet.WATER)
    if rows is None:
        empty = dict.fromkeys(Water.model_fields)
        empty["discharge_pollutants_t"] = pollutant_split(submission, shares).water
        return TopicSection(Water.model_validate(empty),
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
    quality = column_or_blank(rows, "water_quality")
    stressed_withdrawal = withdrawal_rows & stressed
    figures = Water(
        withdrawal_m3=figure(withdrawal),
        discharge_m3=figure(discharge),
        consumption_m3=figure(withdrawal - discharge),
        withdrawal_stressed_m3=figure(exact_sum(m3[stressed_withdrawal])),
        withdrawal_by_source_m3=sums_by(by_source[withdrawal_rows], "source", "m3"),
        discharge_by_destination_m3=sums_by(by_source[discharge_rows], "source", "m3"),
        withdrawal_by_quality_m3=_split(m3[withdrawal_rows], quality[withdrawal_rows],
                                        WATER_QUALITIES),
        discharge_by_quality_m3=_split(m3[discharge_rows], quality[discharge_rows],
                                       WATER_QUALITIES),
        withdrawal_stressed_by_source_m3=sums_by(by_source[stressed_withdrawal], "source",
                                                 "m3"),
        withdrawal_stressed_by_quality_m3=_split(m3[stressed_withdrawal],
                                                 quality[stressed_withdrawal], WATER_QUALITIES),
        discharge_pollutants_t=pollutant_split(submission, shares).water,
    )
    return TopicSection(figures, pd.DataFrame({"project_id": rows["project_id"][withdrawal_rows],
                                               "m3": m3[withdrawal_rows]}))


def waste(submission: Submission, shares: pd.DataFrame) -> TopicSection[Waste]:
    """Generated, hazardous, diverted and disposed waste (t); per project: total (``t``)."""
    rows = rows_of(submission, Sheet.WASTE)
    if rows is None:
        return TopicSection(Waste.model_validate(dict.fromkeys(Waste.model_fields)),
                            pd.DataFrame(columns=["project_id", "t"]))
    share = rows["project_id"].map(shares["share"]).fillna(0.0)
    tonnes = (_in_unit(rows, "t", "mass") * share).fillna(0.0)
    hazardous = rows["hazardous"].astype("boolean").fillna(False).astype(bool)
    diverted = rows["disposal"].isin(DIVERTED_ROUTES)
    location = column_or_blank(rows, "location")
    routes = pd.DataFrame({"disposal": rows["disposal"], "t": tonnes})
    figures = Waste(
        total_t=figure(exact_sum(tonnes)),
        hazardous_t=figure(exact_sum(tonnes[hazardous])),
        diverted_t=figure(exact_sum(tonnes[diverted])),
        disposed_t=figure(exact_sum(tonnes[~diverted])),
        hazardous_diverted_t=figure(exact_sum(tonnes[diverted & hazardous])),
        hazardous_disposed_t=figure(exact_sum(tonnes[~diverted & hazardous])),
        by_disposal_t=sums_by(routes, "disposal", "t"),
        diverted_by_location_t=_split(tonnes[diverted], location[diverted], WASTE_LOCATIONS),
        disposed_by_location_t=_split(tonnes[~diverted], location[~diverted], WASTE_LOCATIONS),
        hazardous_diverted_by_location_t=_split(tonnes[diverted & hazardous],
                                                location[diverted & hazardous], WASTE_LOCATIONS),
        hazardous_disposed_by_location_t=_split(tonnes[~diverted & hazardous],
                                                location[~diverted & hazardous],
                                                WASTE_LOCATIONS))
    return TopicSection(figures, pd.DataFrame({"project_id": rows["project_id"], "t": tonnes}))


@dataclass(frozen=True, slots=True)
class PollutantSplit:
    """Tonnes per pollutant: all of them, and apart by medium (``None``: no Pollutants rows).

    ``air`` holds the air pollutants of GRI 305-7, ``water`` those discharged to water
    (COD, NH3-N: GRI 303-4), ``other`` the names outside both lists (accepted with a warning).
    """

    all: dict[str, float] | None
    air: dict[str, float] | None
    water: dict[str, float] | None
    other: dict[str, float] | None


def pollutant_split(submission: Submission, shares: pd.DataFrame) -> PollutantSplit:
    """Tonnes per pollutant, scaled by share, and the same split into air, water and other."""
    rows = rows_of(submission, Sheet.POLLUTANTS)
    if rows is None:
        return PollutantSplit(None, None, None, None)
    share = rows["project_id"].map(shares["share"]).fillna(0.0)
    tonnes = pd.to_numeric(rows["quantity_t"], errors="coerce").fillna(0.0) * share
    frame = pd.DataFrame({"pollutant": rows["pollutant"].astype(str), "t": tonnes})
    air = frame["pollutant"].isin(AIR_POLLUTANTS)
    water = frame["pollutant"].isin(WATER_POLLUTANTS)
    return PollutantSplit(sums_by(frame, "pollutant", "t"),
                          sums_by(frame[air], "pollutant", "t"),
                          sums_by(frame[water], "pollutant", "t"),
                          sums_by(frame[~air & ~water], "pollutant", "t"))
