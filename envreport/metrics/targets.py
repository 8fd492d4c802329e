"""Targets: each Targets row with its target value, current value and progress."""

from __future__ import annotations

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import figure, int_or_none, sum_or_none
from envreport.results.models import Energy, Ghg, TargetEntry, Waste, Water
from envreport.schema import Sheet
from envreport.schema.sheets import TargetMetric
from envreport.submission import Submission


def current_values(ghg: Ghg, energy: Energy, water: Water,
                   waste: Waste) -> dict[TargetMetric, float | None]:
    """This period's value of every target metric (``schema.sheets.TARGET_METRICS``)."""
    return {
        "scope1_tco2e": ghg.scope1_tco2e,
        "scope2_location_tco2e": ghg.scope2_location_tco2e,
        "scope2_market_tco2e": ghg.scope2_market_tco2e,
        # Scope 1 + 2 follows the intensity figure's definition: location-based Scope 2.
        "scope1_2_tco2e": sum_or_none(ghg.scope1_tco2e, ghg.scope2_location_tco2e),
        "scope1_2_market_tco2e": sum_or_none(ghg.scope1_tco2e, ghg.scope2_market_tco2e),
        "water_withdrawal_m3": water.withdrawal_m3,
        "water_consumption_m3": water.consumption_m3,
        "energy_total_gj": energy.total_consumption_gj,
        "waste_total_t": waste.total_t,
        "waste_disposed_t": waste.disposed_t,
    }


def targets(submission: Submission,
            current: dict[TargetMetric, float | None]) -> list[TargetEntry] | None:
    """The Targets rows by Excel row; ``None`` when the sheet has no rows.

    ``current`` is :func:`current_values`; a metric it does not know has no current value.
    """
    rows = rows_of(submission, Sheet.TARGETS)
    if rows is None:
        return None
    lookup = {str(metric): value for metric, value in current.items()}
    out = []
    for record in rows.sort_values("row").to_dict("records"):  # a handful of targets
        base = figure(record.get("base_value"))
        reduction_pct = figure(record.get("target_reduction_pct"))
        target = figure(base * (1 - reduction_pct / 100.0)) \
            if base is not None and reduction_pct is not None else None
        now = lookup.get(str(record.get("metric")))
        progress = None
        if base is not None and target is not None and now is not None and base != target:
            progress = figure(100.0 * (base - now) / (base - target))
        out.append(TargetEntry(metric=record.get("metric"),
                               base_year=int_or_none(record.get("base_year")),
                               base_value=base,
                               target_year=int_or_none(record.get("target_year")),
                               target_value=target, current_value=now,
                               progress_pct=progress, row=int(record["row"])))
    return out
