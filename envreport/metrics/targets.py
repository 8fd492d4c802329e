"""Targets: each Targets row with its target value, current value and progress, and the
check of a target's base value in its base year's own workbook.

A target's ``base_value`` is the workbook's word for the base year's figure. In the base
year's own workbook that figure is also computed: the two must agree within
:data:`BASE_VALUE_TOLERANCE_PCT` (:mod:`envreport.results.tolerance`), or the progress of
every later report is measured from a figure the base year itself contradicts
(``target-base-value-differs``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from envreport.factors.resolve import rows_of
from envreport.findings import Finding, message_figure
from envreport.metrics.numbers import figure, int_or_none, sum_or_none
from envreport.results.models import Energy, Ghg, TargetEntry, Waste, Water
from envreport.results.tolerance import BASE_VALUE_TOLERANCE_PCT, differs
from envreport.schema import Sheet
from envreport.schema.sheets import TargetMetric
from envreport.submission import Submission

# What each target metric is, as the results' figures (key paths, as the ledger flattens
# them) summed: the one definition of the current value and of the ledger's base-year value.
# Scope 1 + 2 follows the intensity figure's definition: location-based Scope 2.
METRIC_FIGURES: dict[TargetMetric, tuple[str, ...]] = {
    "scope1_tco2e": ("ghg.scope1_tco2e",),
    "scope2_location_tco2e": ("ghg.scope2_location_tco2e",),
    "scope2_market_tco2e": ("ghg.scope2_market_tco2e",),
    "scope1_2_tco2e": ("ghg.scope1_tco2e", "ghg.scope2_location_tco2e"),
    "scope1_2_market_tco2e": ("ghg.scope1_tco2e", "ghg.scope2_market_tco2e"),
    "water_withdrawal_m3": ("water.withdrawal_m3",),
    "water_consumption_m3": ("water.consumption_m3",),
    "energy_total_gj": ("energy.total_consumption_gj",),
    "waste_total_t": ("waste.total_t",),
    "waste_disposed_t": ("waste.disposed_t",),
}
_FIGURES_BY_NAME: dict[str, tuple[str, ...]] = {str(k): v for k, v in METRIC_FIGURES.items()}


def metric_value(metric: str | None, figures: Mapping[str, float | None]) -> float | None:
    """The value of target ``metric`` from results figures by key path; ``None`` for a metric
    envreport does not compute or when none of its figures is reported."""
    keys = _FIGURES_BY_NAME.get(metric) if metric is not None else None
    if keys is None:
        return None
    return sum_or_none(*(figures.get(key) for key in keys))


def current_values(ghg: Ghg, energy: Energy, water: Water,
                   waste: Waste) -> dict[TargetMetric, float | None]:
    """This period's value of every target metric (``schema.sheets.TARGET_METRICS``)."""
    sections = {"ghg": ghg, "energy": energy, "water": water, "waste": waste}
    figures = {key: getattr(sections[key.split(".")[0]], key.split(".")[1])
               for keys in METRIC_FIGURES.values() for key in keys}
    return {metric: metric_value(metric, figures) for metric in METRIC_FIGURES}


def target_and_progress(base: float | None, reduction_pct: float | None,
                        now: float | None) -> tuple[float | None, float | None]:
    """``(target value, progress %)`` of a reduction of ``reduction_pct`` from ``base``.

    ``target = base × (1 − reduction_pct / 100)``; ``progress = (base − now) ÷ (base −
    target) × 100``: negative when ``now`` is above the base value, over 100 past the target.
    """
    target = figure(base * (1 - reduction_pct / 100.0)) \
        if base is not None and reduction_pct is not None else None
    progress = None
    if base is not None and target is not None and now is not None and base != target:
        progress = figure(100.0 * (base - now) / (base - target))
    return target, progress


def targets(submission: Submission,
            current: dict[TargetMetric, float | None]) -> list[TargetEntry] | None:
    """The Targets rows by Excel row; ``None`` when the sheet has no rows.

    ``current`` is :func:`current_values`; a metric it does not know has no current value.
    A parent's own workbook computed alone (:attr:`Submission.targets_are_the_groups`)
    measures none of its targets: they are the group's, measured in the group report.
    """
    rows = rows_of(submission, Sheet.TARGETS)
    if rows is None:
        return None
    group = submission.targets_are_the_groups
    lookup = {} if group else {str(metric): value for metric, value in current.items()}
    out = []
    for record in rows.sort_values("row").to_dict("records"):  # a handful of targets
        base = figure(record.get("base_value"))
        reduction_pct = figure(record.get("target_reduction_pct"))
        now = lookup.get(str(record.get("metric")))
        target, progress = target_and_progress(base, reduction_pct, now)
        out.append(TargetEntry(metric=record.get("metric"),
                               base_year=int_or_none(record.get("base_year")),
                               base_value=base,
                               target_year=int_or_none(record.get("target_year")),
                               target_value=target, current_value=now,
                               progress_pct=progress, row=int(record["row"]),
                               target_reduction_pct=reduction_pct,
                               group_target=True if group else None))
    return out


def base_value_findings(submission: Submission,
                        entries: Iterable[TargetEntry]) -> list[Finding]:
    """``target-base-value-differs`` at the base_value cell of each target whose base year
    is this workbook's reporting year and whose base value is not the figure this workbook
    computes for its metric (beyond :data:`BASE_VALUE_TOLERANCE_PCT`)."""
    organization = submission.organization
    if organization is None:
        return []
    year = organization.reporting_year
    column = submission.letters.get(Sheet.TARGETS, {}).get("base_value")
    found = []
    for entry in entries:
        if entry.base_year != year:
            continue
        finding = base_value_finding(entry, entry.current_value, column)
        if finding is not None:
            found.append(finding)
    return found


def base_value_finding(entry: TargetEntry, computed: float | None,
                       column: str | None) -> Finding | None:
    """``target-base-value-differs`` at ``entry``'s base_value cell (``column`` of its row)
    when its base value is more than :data:`BASE_VALUE_TOLERANCE_PCT` from ``computed``,
    the figure of its metric in its base year: this workbook's own (:func:`base_value_findings`)
    or a group's, consolidated from its members' base-year submissions
    (``batch.base_year``); ``None`` when they agree or either is unknown."""
    stated = entry.base_value
    if stated is None or computed is None or not differs(stated, computed):
        return None
    difference_pct = f"{(stated - computed) / computed * 100:+.2f}" if computed else "—"
    return Finding(
        "target-base-value-differs", "warning", Sheet.TARGETS, entry.row, column,
        "base_value", stated,
        {"metric": entry.metric, "base_year": entry.base_year, "stated": message_figure(stated),
         "computed": message_figure(computed), "difference_pct": difference_pct,
         "tolerance_pct": BASE_VALUE_TOLERANCE_PCT})
