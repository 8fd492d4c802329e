"""Greenhouse gases: Scope 1 by source and gas, Scope 2 both methods, months, intensity.

Every figure here is a sum over the calculation trail (:mod:`envreport.metrics.trail`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from envreport.factors.library import GAS_GROUPS
from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import (
    apportion,
    column_or_blank,
    exact_sum,
    figure,
    fsum_array,
    is_in,
    sum_or_none,
)
from envreport.results.models import Ghg, Intensity, MonthlyEmissions, Scope1BySource
from envreport.submission import Submission

# The series of ghg.monthly_tco2e: Scope 1, Scope 2 location- and market-based.
MONTHLY_SERIES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e")


def ghg_totals(trail: pd.DataFrame, fuel_reported: bool, refrigerants_reported: bool,
               electricity_reported: bool) -> Ghg:
    """Scope 1 (by source, by gas), Scope 2 (location, market), biogenic CO2, other gases.

    A topic whose sheet has no rows is ``None`` (not reported), not 0.
    """
    # the entries of each total picked out of the columns' arrays by a mask: a selection of
    # the trail's frame would copy every column it keeps
    tco2e = trail["tco2e"].to_numpy(dtype="float64")
    mass = trail["gas_t"].to_numpy(dtype="float64") * trail["share"].to_numpy(dtype="float64")
    scope, category, method = trail["scope"], trail["category"], trail["method"]
    scope1 = (scope == "1").to_numpy(dtype=bool)

    def total(mask: pd.Series | np.ndarray) -> float:
        return figure(fsum_array(tco2e[np.asarray(mask, dtype=bool)])) or 0.0

    def in_scope1(categories: list[str]) -> np.ndarray:
        chosen: np.ndarray = scope1 & is_in(category, categories)
        return chosen

    by_source = Scope1BySource(
        stationary_combustion=total(in_scope1(["stationary_combustion"]))
        if fuel_reported else None,
        # Off-road machinery is mobile combustion in the GHG Protocol's source categories.
        mobile_combustion=total(in_scope1(["mobile_combustion", "offroad_combustion"]))
        if fuel_reported else None,
        fugitive=total(in_scope1(["fugitive"])) if refrigerants_reported else None,
    )
    scope1_total = sum_or_none(by_source.stationary_combustion, by_source.mobile_combustion,
                               by_source.fugitive)
    by_gas = None
    if scope1_total is not None:
        gas_group = trail["gas_group"]
        by_gas = {g: figure(fsum_array(mass[scope1 & (gas_group == g).to_numpy(dtype=bool)]))
                  or 0.0 for g in GAS_GROUPS}
    scope2 = scope == "2"
    location = total(scope2 & (method == "location")) if electricity_reported else None
    market = total(scope2 & (method == "market")) if electricity_reported else None
    return Ghg(
        scope1_tco2e=scope1_total,
        scope1_by_source_tco2e=by_source,
        scope1_offroad_tco2e=total(in_scope1(["offroad_combustion"]))
        if fuel_reported else None,
        scope1_by_gas_t=by_gas,
        scope2_location_tco2e=location,
        scope2_market_tco2e=market,
        biogenic_co2_t=figure(fsum_array(mass[(scope == "biogenic").to_numpy(dtype=bool)]))
        if fuel_reported else None,
        other_gases_tco2e=total(scope == "other") if refrigerants_reported else None,
    )


def row_periods(submission: Submission, sheet: str, rows: np.ndarray,
                projects: np.ndarray | pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """``period_start`` and ``period_end`` (datetime64[D], NaT when blank or no such row) of
    the given ``rows`` of ``sheet`` (of the given ``projects``): looked up by row number, no
    table joined per entry.

    A group's merged submission holds the rows of several workbooks, so one row number can
    occur once per member; a project belongs to one member (the batch refuses a project id
    in two), so the row number and the project id together name one row.
    """
    start = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    table = rows_of(submission, sheet)
    if table is None:
        return start, end
    table_rows = pd.Index(table["row"].to_numpy("int64"))
    if table_rows.is_unique:
        position = table_rows.get_indexer(rows)
    else:
        position = pd.MultiIndex.from_arrays(
            [table["project_id"].to_numpy(object), table_rows]).get_indexer(
            pd.MultiIndex.from_arrays([np.asarray(projects, dtype=object), rows]))
    found = position >= 0
    for name, out in (("period_start", start), ("period_end", end)):
        dates = pd.to_datetime(column_or_blank(table, name), errors="coerce").to_numpy(
            "datetime64[D]")
        out[found] = dates[position[found]]
    return start, end


def monthly(submission: Submission, trail: pd.DataFrame, ghg: Ghg
            ) -> list[MonthlyEmissions] | None:
    """Scope 1 and Scope 2 per calendar month of the reporting period (ghg.monthly_tco2e).

    Each trail entry is spread over the months of its row's own period (``period_start`` to
    ``period_end``, both inclusive; blank = the reporting period) in proportion to the days
    of each month inside it; the part of a period outside the reporting period is dropped
    (validation rejects such rows anyway) and a period with no day inside it counts as the
    whole reporting period. The months of each series are then rounded like every figure
    and made to add up exactly to the annual total (:func:`apportion`). Vectorised: entries
    are summed per (series, period) first, so the expansion to months is as long as the
    number of distinct periods × months, whatever the number of rows.
    """
    organization = submission.organization
    # Only the six columns read here, and the sheet as a code: a copy of the whole trail, and
    # a text per entry to merge on, were the peak memory of a 500 000-row build.
    emitting_rows = is_in(trail["scope"], ["1", "2"])
    if organization is None or not emitting_rows.any():
        return None
    period_start = np.datetime64(organization.reporting_period_start, "D")
    period_end = np.datetime64(organization.reporting_period_end, "D")
    if period_end < period_start:
        return None
    emitting = trail.loc[emitting_rows,
                         ["sheet", "row", "project_id", "scope", "method", "tco2e"]]
    series = np.select([emitting["scope"] == "1", emitting["method"] == "location",
                        emitting["method"] == "market"], [0, 1, 2], default=-1)
    kept = series >= 0
    sheet_codes, sheet_names = pd.factorize(emitting["sheet"].array[kept])  # by its codes
    entry_rows = emitting["row"].to_numpy("int64")[kept]
    # the trail's categories as they are: made texts only where a row number is not enough
    entry_projects = emitting["project_id"].array[kept]
    start = np.full(len(entry_rows), np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    for code, sheet in enumerate(sheet_names):
        on_sheet = sheet_codes == code
        start[on_sheet], end[on_sheet] = row_periods(submission, sheet, entry_rows[on_sheet],
                                                    entry_projects[on_sheet])
    start = np.where(np.isnat(start), period_start, start)
    end = np.where(np.isnat(end), period_end, end)
    outside = (end < start) | (end < period_start) | (start > period_end)
    start = np.where(outside, period_start, np.maximum(start, period_start))
    end = np.where(outside, period_end, np.minimum(end, period_end))
    # One line per (series, period): the trail is sorted, so the sums are reproducible.
    per_period = (pd.DataFrame({"series": series[kept], "start": start, "end": end,
                                "v": emitting["tco2e"].to_numpy("float64")[kept]})
                  .groupby(["series", "start", "end"], sort=True)["v"].sum())
    keys = per_period.index.to_frame(index=False)
    starts = keys["start"].to_numpy("datetime64[D]")
    ends = keys["end"].to_numpy("datetime64[D]")
    first_month = starts.astype("datetime64[M]")
    n_months = (ends.astype("datetime64[M]") - first_month).astype("int64") + 1
    idx = np.repeat(np.arange(len(n_months)), n_months)
    offset = np.arange(idx.size) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = first_month[idx] + offset.astype("timedelta64[M]")
    low = np.maximum(starts[idx], month.astype("datetime64[D]"))
    high = np.minimum(ends[idx] + np.timedelta64(1, "D"),
                      (month + np.timedelta64(1, "M")).astype("datetime64[D]"))
    days = (high - low).astype("int64")
    span = ((ends - starts).astype("int64") + 1)[idx]
    spread = (pd.DataFrame({"series": keys["series"].to_numpy()[idx], "month": month,
                            "v": per_period.to_numpy()[idx] * days / span})
              .groupby(["series", "month"], sort=True)["v"].sum())
    months = np.arange(period_start.astype("datetime64[M]"),
                       period_end.astype("datetime64[M]") + np.timedelta64(1, "M"))
    values: dict[str, Sequence[float | None]] = {}
    for code, key in enumerate(MONTHLY_SERIES):
        total = getattr(ghg, key)
        if total is None:
            values[key] = [None] * len(months)
            continue
        present = code in spread.index.get_level_values("series")
        raw = (spread.xs(code, level="series").reindex(months, fill_value=0.0) if present
               else pd.Series(0.0, index=months))
        values[key] = apportion(raw.to_numpy("float64").tolist(), total)
    return [MonthlyEmissions(month=str(m), **{key: values[key][i] for key in MONTHLY_SERIES})
            for i, m in enumerate(months)]


def intensity(submission: Submission, ghg: Ghg, trail: pd.DataFrame,
              generation: pd.DataFrame | None) -> Intensity:
    """Scope 1 + 2 (location) per million of revenue and per employee; Scope 1 per MWh."""
    organization = submission.organization
    scope12 = sum_or_none(ghg.scope1_tco2e, ghg.scope2_location_tco2e)
    revenue = organization.revenue if organization else None
    employees = organization.employees if organization else None
    per_mwh = None
    if generation is not None and ghg.scope1_tco2e is not None:
        generating = generation[generation["gross_generation_mwh"] > 0]
        mwh = exact_sum(generating["gross_generation_mwh"] * generating["share"])
        scope1 = trail[(trail["scope"] == "1")
                       & trail["project_id"].isin(generating["project_id"].unique())]
        per_mwh = figure(exact_sum(scope1["tco2e"]) / mwh) if mwh > 0 else None
    return Intensity(
        tco2e_per_million_revenue=figure(scope12 / (revenue / 1e6))
        if scope12 is not None and revenue else None,
        tco2e_per_employee=figure(scope12 / employees)
        if scope12 is not None and employees else None,
        tco2e_per_mwh_generated=per_mwh,
    )
