"""Energy (GRI 302-1) and the projects' own generation.

Purchased electricity and generation are converted with the units registry (kWh → GJ,
MWh → GJ), so the conversion factors are defined once, in :mod:`envreport.units`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from envreport.factors.library import FactorLibrary
from envreport.factors.resolve import Overrides, grid_table, rows_of
from envreport.metrics.numbers import exact_sum, figure, sum_or_none, sums_by
from envreport.results.models import Energy
from envreport.schema.sheets import RENEWABLE_INSTRUMENTS, RENEWABLE_TECHNOLOGIES
from envreport.submission import Submission
from envreport.units import conversion_factor

GJ_PER_KWH = conversion_factor("kWh", "GJ")  # 0.0036, exact
GJ_PER_MWH = conversion_factor("MWh", "GJ")  # 3.6, exact


@dataclass(frozen=True, slots=True)
class EnergySection:
    """The ``energy`` section and the per-project GJ its figures are made of."""

    figures: Energy
    per_project_gj: pd.DataFrame  # project_id, gj


def energy(fuel: pd.DataFrame | None, electricity: pd.DataFrame | None,
           generation: pd.DataFrame | None) -> EnergySection:
    """Energy per GRI 302-1 from the resolved Fuel and Electricity rows and the generation."""
    per_project = []
    fuel_gj = purchased = renewable = None
    by_fuel = None
    if fuel is not None:
        ok = fuel[fuel["tj"].notna() & fuel["problem"].isna()]
        gj = ok["tj"] * 1000.0 * ok["share"]
        fuel_gj = figure(exact_sum(gj))
        renewable = figure(exact_sum(gj[ok["biogenic"]]))
        by_fuel = sums_by(ok.assign(gj=gj), "fuel", "gj")
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    if electricity is not None:
        ok = electricity[electricity["kwh"].notna()]
        gj = ok["kwh"] * GJ_PER_KWH * ok["share"]
        purchased = figure(exact_sum(gj))
        # Electricity covered by a renewable-attribute instrument counts as renewable.
        covered = ok["instrument"].isin(RENEWABLE_INSTRUMENTS)
        renewable_electricity = exact_sum(ok["covered_kwh"][covered] * GJ_PER_KWH
                                          * ok["share"][covered])
        renewable = sum_or_none(renewable, renewable_electricity)
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    total = sum_or_none(fuel_gj, purchased)
    self_generated = sold = None
    if generation is not None:
        renewable_rows = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
        self_generated = figure(exact_sum(
            generation["gross_generation_mwh"][renewable_rows] * GJ_PER_MWH
            * generation["share"][renewable_rows]))
        sold = figure(exact_sum(generation["net_export_mwh"].fillna(0.0) * GJ_PER_MWH
                                * generation["share"]))
    figures = Energy(
        total_consumption_gj=total,
        fuel_gj=fuel_gj,
        purchased_gj=purchased,
        renewable_gj=renewable if total is not None else None,
        non_renewable_gj=figure(total - (renewable or 0.0)) if total is not None else None,
        by_fuel_gj=by_fuel,
        self_generated_renewable_gj=self_generated,
        sold_gj=sold,
    )
    per_project_gj = (pd.concat(per_project, ignore_index=True) if per_project
                      else pd.DataFrame(columns=["project_id", "gj"]))
    return EnergySection(figures, per_project_gj)


def generation_rows(submission: Submission, shares: pd.DataFrame, library: FactorLibrary,
                    overrides: Overrides, year: int) -> pd.DataFrame | None:
    """Each Generation row with its share, host country and avoided emissions (t).

    Avoided emissions = delivered MWh (net export, else gross) × the host grid's factor, for
    renewable technologies; ``avoided_ifi_t`` uses the IFI combined-margin factor instead.
    """
    rows = rows_of(submission, "Generation")
    if rows is None:
        return None
    generation = pd.DataFrame({"row": rows["row"].to_numpy(),
                               "project_id": rows["project_id"].to_numpy(),
                               "technology": rows["technology"].astype(object).to_numpy()})
    generation["gross_generation_mwh"] = pd.to_numeric(
        rows["gross_generation_mwh"], errors="coerce").fillna(0.0).to_numpy()
    generation["net_export_mwh"] = (
        pd.to_numeric(rows["net_export_mwh"], errors="coerce").to_numpy()
        if "net_export_mwh" in rows.columns else np.nan)
    generation["share"] = (generation["project_id"].map(shares["share"]).fillna(0.0)
                           .astype("float64"))
    generation["host_country"] = generation["project_id"].map(shares["host_country"])
    grid = grid_table(generation["host_country"], year, library, overrides)
    sensitivity = grid_table(generation["host_country"], year, library, overrides,
                             role="sensitivity")
    delivered = generation["net_export_mwh"].fillna(generation["gross_generation_mwh"])
    renewable = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
    # kg/kWh × MWh = t: the factor per kWh equals tonnes per MWh.
    factor = generation["host_country"].map(grid["factor"]).astype("float64")
    generation["avoided_t"] = np.where(renewable, delivered * factor * generation["share"], 0.0)
    generation["avoided_ifi_t"] = np.where(
        renewable, delivered * generation["host_country"].map(sensitivity["factor"])
        .astype("float64") * generation["share"], 0.0)
    return generation
