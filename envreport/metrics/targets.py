"""Targets: each Targets row with its target value, current value and progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import figure, int_or_none, sum_or_none
from envreport.submission import Submission

# Where each target metric's current value is read in the results.
TARGET_METRICS: dict[str, Callable[[dict[str, Any]], float | None]] = {
    "scope1_tco2e": lambda r: r["ghg"]["scope1_tco2e"],
    "scope2_location_tco2e": lambda r: r["ghg"]["scope2_location_tco2e"],
    "scope2_market_tco2e": lambda r: r["ghg"]["scope2_market_tco2e"],
    # Scope 1 + 2 follows the intensity figure's definition: location-based Scope 2.
    "scope1_2_tco2e": lambda r: sum_or_none(r["ghg"]["scope1_tco2e"],
                                            r["ghg"]["scope2_location_tco2e"]),
    "scope1_2_market_tco2e": lambda r: sum_or_none(r["ghg"]["scope1_tco2e"],
                                                   r["ghg"]["scope2_market_tco2e"]),
    "water_withdrawal_m3": lambda r: r["water"]["withdrawal_m3"],
    "water_consumption_m3": lambda r: r["water"]["consumption_m3"],
    "energy_total_gj": lambda r: r["energy"]["total_consumption_gj"],
    "waste_total_t": lambda r: r["waste"]["total_t"],
    "waste_disposed_t": lambda r: r["waste"]["disposed_t"],
}


def targets(submission: Submission, results: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The Targets rows by Excel row; ``None`` when the sheet has no rows."""
    rows = rows_of(submission, "Targets")
    if rows is None:
        return None
    out = []
    for record in rows.sort_values("row").to_dict("records"):  # a handful of targets
        base = figure(record.get("base_value"))
        reduction_pct = figure(record.get("target_reduction_pct"))
        target = figure(base * (1 - reduction_pct / 100.0)) \
            if base is not None and reduction_pct is not None else None
        current_of = TARGET_METRICS.get(str(record.get("metric")))
        current = current_of(results) if current_of else None
        progress = None
        if base is not None and target is not None and current is not None \
                and base != target:
            progress = figure(100.0 * (base - current) / (base - target))
        out.append({"metric": record.get("metric"),
                    "base_year": int_or_none(record.get("base_year")),
                    "base_value": base, "target_year": int_or_none(record.get("target_year")),
                    "target_value": target, "current_value": current,
                    "progress_pct": progress, "row": int(record["row"])})
    return out
