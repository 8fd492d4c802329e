"""Energy (GRI 302-1, 302-3) and the projects' own generation.

GRI 302-1 e: total energy consumed = fuel + purchased energy + self-generated electricity
from non-fuel renewables (solar, wind, hydro) − energy sold. Electricity made from fuel is
already counted as the fuel, so only its sale is subtracted. Energy sold is ``net_export_mwh``;
a blank is taken as the whole gross generation (as for avoided emissions) and validation warns
(``net-export-missing``). Every term is its own key, scaled by the consolidation share.

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
from envreport.results.models import Energy, EnergyIntensity
from envreport.schema import Sheet
from envreport.schema.sheets import (
    NON_FUEL_RENEWABLE_TECHNOLOGIES,
    RENEWABLE_INSTRUMENTS,
    RENEWABLE_TECHNOLOGIES,
    delivered_mwh,
)
from envreport.submission import Organization, Submission
from envreport.units import conversion_factor

GJ_PER_KWH = conversion_factor("kWh", "GJ")  # 0.0036, exact
GJ_PER_MWH = conversion_factor("MWh", "GJ")  # 3.6, exact


@dataclass(frozen=True, slots=True)
class EnergySection:
    """The ``energy`` section and the per-project GJ its figures are made of."""

    figures: Energy
    per_project_gj: pd.DataFrame  # project_id, gj


def _negated(value: float | None) -> float | None:
    return None if value is None else -value


def energy(fuel: pd.DataFrame | None, electricity: pd.DataFrame | None,
           generation: pd.DataFrame | None) -> EnergySection:
    """Energy per GRI 302-1 from the resolved Fuel and Electricity rows and the generation.

    Renewable energy consumed = renewable (biomass) fuel + purchased energy covered by a
    renewable-attribute instrument + self-generated non-fuel renewable electricity − the
    part of the energy sold that came from renewable generation. Purchased electricity is
    never counted as renewable *fuel*: it has its own key, ``purchased_renewable_gj``.
    """
    per_project = []
    fuel_gj = renewable_fuel = purchased = purchased_renewable = None
    by_fuel = None
    if fuel is not None:
        # only the columns read here: the resolved frame has some twenty-five (a copy of it
        # all was the peak memory of a 500 000-row build)
        ok = fuel.loc[fuel["tj"].notna() & fuel["problem"].isna(),
                      ["tj", "share", "biogenic", "fuel", "project_id"]]
        gj = ok["tj"] * 1000.0 * ok["share"]
        fuel_gj = figure(exact_sum(gj))
        renewable_fuel = figure(exact_sum(gj[ok["biogenic"]]))
        by_fuel = sums_by(ok.assign(gj=gj), "fuel", "gj")
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    if electricity is not None:
        ok = electricity.loc[electricity["kwh"].notna(),
                             ["kwh", "share", "instrument", "covered_kwh", "project_id"]]
        gj = ok["kwh"] * GJ_PER_KWH * ok["share"]
        purchased = figure(exact_sum(gj))
        covered = ok["instrument"].isin(RENEWABLE_INSTRUMENTS)
        purchased_renewable = figure(exact_sum(ok["covered_kwh"][covered] * GJ_PER_KWH
                                               * ok["share"][covered]))
        per_project.append(pd.DataFrame({"project_id": ok["project_id"], "gj": gj}))
    self_generated = sold = sold_renewable = sold_from_gross = None
    if generation is not None:
        share = generation["share"]
        non_fuel = generation["technology"].isin(NON_FUEL_RENEWABLE_TECHNOLOGIES)
        renewable_output = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
        generated_gj = generation["gross_generation_mwh"] * GJ_PER_MWH * share
        blank = generation["net_export_mwh"].isna()
        sold_gj = delivered_mwh(generation) * GJ_PER_MWH * share
        self_generated = figure(exact_sum(generated_gj[non_fuel]))
        sold = figure(exact_sum(sold_gj))
        sold_renewable = figure(exact_sum(sold_gj[renewable_output]))
        sold_from_gross = figure(exact_sum(sold_gj[blank]))
        per_project.append(pd.DataFrame({
            "project_id": generation["project_id"],
            "gj": generated_gj.where(non_fuel, 0.0) - sold_gj}))
    total = sum_or_none(fuel_gj, purchased, self_generated, _negated(sold))
    renewable = (sum_or_none(renewable_fuel, purchased_renewable, self_generated,
                             _negated(sold_renewable)) or 0.0) if total is not None else None
    figures = Energy(
        total_consumption_gj=total,
        fuel_gj=fuel_gj,
        purchased_gj=purchased,
        renewable_gj=figure(renewable),
        non_renewable_gj=figure(total - renewable)
        if total is not None and renewable is not None else None,
        by_fuel_gj=by_fuel,
        self_generated_renewable_gj=self_generated,
        sold_gj=sold,
        renewable_fuel_gj=renewable_fuel,
        non_renewable_fuel_gj=figure(fuel_gj - renewable_fuel)
        if fuel_gj is not None and renewable_fuel is not None else None,
        purchased_renewable_gj=purchased_renewable,
        sold_renewable_gj=sold_renewable,
        sold_from_gross_gj=sold_from_gross,
        renewable_share_pct=figure(100.0 * renewable / total)
        if total and renewable is not None and total > 0 else None,
        intensity=None,  # set by compute with the organisation (energy_intensity)
    )
    per_project_gj = (pd.concat(per_project, ignore_index=True) if per_project
                      else pd.DataFrame(columns=["project_id", "gj"]))
    return EnergySection(figures, per_project_gj)


def energy_intensity(organization: Organization | None, total_gj: float | None
                     ) -> EnergyIntensity:
    """GRI 302-3: energy consumed (the 302-1 total) per million of revenue and per employee."""
    revenue = organization.revenue if organization else None
    employees = organization.employees if organization else None
    return EnergyIntensity(
        gj_per_million_revenue=figure(total_gj / (revenue / 1e6))
        if total_gj is not None and revenue else None,
        gj_per_employee=figure(total_gj / employees)
        if total_gj is not None and employees else None,
    )


def generation_rows(submission: Submission, shares: pd.DataFrame, library: FactorLibrary,
                    overrides: Overrides, year: int) -> pd.DataFrame | None:
    """Each Generation row with its share, host country and avoided emissions (t).

    Avoided emissions = delivered MWh (net export, else gross) × the host grid's factor, for
    renewable technologies; ``avoided_ifi_t`` uses the IFI combined-margin factor instead.
    """
    rows = rows_of(submission, Sheet.GENERATION)
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
    delivered = delivered_mwh(generation)
    renewable = generation["technology"].isin(RENEWABLE_TECHNOLOGIES)
    # kg/kWh × MWh = t: the factor per kWh equals tonnes per MWh.
    factor = generation["host_country"].map(grid["factor"]).astype("float64")
    generation["avoided_t"] = np.where(renewable, delivered * factor * generation["share"], 0.0)
    generation["avoided_ifi_t"] = np.where(
        renewable, delivered * generation["host_country"].map(sensitivity["factor"])
        .astype("float64") * generation["share"], 0.0)
    return generation
