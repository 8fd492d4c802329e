"""The report's "Comparison with earlier periods" section, from results' ``comparison``,
``history`` and ``base_year`` (filled from the ledger by ``build --ledger``).

Only reads the results model: what the rows mean (restatement, base-year triggers) is decided
in ``envreport.ledger.compare``; this module picks labels and orders rows for the template
``sections/comparison.html`` and draws the trend chart.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from envreport.i18n import gettext
from envreport.render import vocabulary as v
from envreport.render.formatters import Formatters, differs_as_shown
from envreport.render.vocabulary import N_
from envreport.results import Results

# The figures of the comparison table, in order, with their unit.
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("ghg.scope1_tco2e", N_("Scope 1"), "tCO2e"),
    ("ghg.scope2_location_tco2e", N_("Scope 2, location-based"), "tCO2e"),
    ("ghg.scope2_market_tco2e", N_("Scope 2, market-based"), "tCO2e"),
    ("ghg.biogenic_co2_t", N_("Biogenic CO2"), "t"),
    ("energy.total_consumption_gj", N_("Energy consumption"), "GJ"),
    ("energy.renewable_gj", N_("Renewable energy"), "GJ"),
    ("water.withdrawal_m3", N_("Water withdrawal"), "m³"),
    ("water.discharge_m3", N_("Water discharge"), "m³"),
    ("water.consumption_m3", N_("Water consumption"), "m³"),
    ("waste.total_t", N_("Waste"), "t"),
    ("waste.hazardous_t", N_("Hazardous waste"), "t"),
    ("mitigation.renewable_generation_mwh", N_("Renewable electricity generated"), "MWh"),
)
TRIGGERS = {
    "structural-divestment": N_("Structural change: divestment"),
    "structural-acquisition": N_("Structural change: acquisition"),
    "methodology-change": N_("Change in calculation methodology"),
    "error-correction": N_("Correction of an error"),
}
_COUNTRY_FIGURES = ("scope1_tco2e", "scope2_location_tco2e")


def _row(label: str, unit: str, entry: dict[str, Any]) -> dict[str, Any]:
    restated = entry.get("prior_restated")
    if restated is None and "prior_as_reported" in entry:  # a results.json written without the flag
        restated = differs_as_shown(entry.get("prior"), entry["prior_as_reported"])
    return {"label": label, "unit": unit, "current": entry.get("current"),
            "prior": entry.get("prior"), "change_pct": entry.get("change_pct"),
            "as_reported": entry.get("prior_as_reported"),
            # marked R: restated, and reading otherwise than as first reported
            "restated": bool(restated)}


def _calendar_year(start: str, end: str) -> int | None:
    """The year when a period is exactly one calendar year (printed as "2023"), else None."""
    if start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]:
        return int(start[:4])
    return None


def periods_context(results: Results, fmt: Formatters) -> dict[str, Any] | None:
    """What ``sections/comparison.html`` prints, or ``None`` without an earlier period."""
    comparison = results.comparison
    if comparison is None:
        return None
    figures = {key: change.model_dump(exclude_unset=True)
               for key, change in comparison.figures.items()}
    prior = comparison.prior_period
    key_rows = [_row(label, unit, figures[key]) for key, label, unit in KEY_FIGURES
                if key in figures and (figures[key].get("current") is not None
                                       or figures[key].get("prior") is not None)]
    source_rows = []
    for code, label in v.SCOPE1_SOURCES.items():
        entry = figures.get(f"ghg.scope1_by_source_tco2e.{code}")
        if entry and (entry.get("current") or entry.get("prior")):
            source_rows.append(_row(label, "tCO2e", entry))
    # by the country's English name in both languages, as the GHG chapter's table
    english = Formatters("en")
    countries = sorted({key.split(".")[1] for key in figures if key.startswith("by_country.")},
                       key=lambda iso: (english.country(iso), iso))
    country_rows = []
    for iso in countries:
        entries = [figures.get(f"by_country.{iso}.{name}") or {} for name in _COUNTRY_FIGURES]
        country_rows.append({"country": iso, "scope1": _row("", "tCO2e", entries[0]),
                             "scope2": _row("", "tCO2e", entries[1])})
    base = results.base_year
    base_ctx = None
    if base is not None:
        base_ctx = {
            **base.model_dump(exclude_unset=True),
            # the triggers are the ledger's only when the base year's submission is in it
            "triggers": [{**t.model_dump(exclude_unset=True),
                          "label": v.label(TRIGGERS, t.code)}
                         for t in base.triggers] if base.in_ledger else [],
        }
    history = results.history or []
    return {
        # every compared figure by its results key: the key-figures boxes and each topic's
        # table print their prior period and change from here
        "figures": {key: _row("", "", entry) for key, entry in figures.items()},
        "prior_start": prior.start, "prior_end": prior.end,
        "restated": prior.restated,
        # corrected after a report used the period: the submission it replaced, and its own
        "replaced_submission_id": prior.replaced_submission_id,
        # a group's: each member's submission it was consolidated from, corrected since
        "member_corrections": [c.model_dump() for c in prior.member_corrections or []],
        "submission_id": prior.submission_id,
        "restatement_reasons": [v.restatement_reason(text, fmt.lang)
                                for text in prior.restatement_reasons],
        "key_rows": key_rows, "source_rows": source_rows, "country_rows": country_rows,
        "history": [{**h.model_dump(exclude_unset=True),
                     "calendar_year": _calendar_year(h.period_start, h.period_end)}
                    for h in history],
        "history_restated": any(h.restated for h in history),
        "base": base_ctx,
        "targets": [{**t.model_dump(exclude_unset=True),
                     "metric_label": v.label(v.TARGET_METRICS, t.metric)}
                    for t in results.targets or []
                    if "trajectory_value" in t.model_fields_set],
    }


def history_chart(periods: dict[str, Any] | None, fmt: Formatters) -> Markup | None:
    """Scope 1 and Scope 2 (both methods) per period, oldest first (up to ten periods).

    Scope 2 is often a hundredth of Scope 1: on one scale its lines would lie on the axis, so
    it has its own panel with its own scale (as the monthly chart does).
    """
    if not periods or len(periods["history"]) < 2:
        return None
    # matplotlib only when there is a history to draw: a build's charts may be drawn by a
    # child process (pipeline), so that the build itself never imports it
    from envreport.render.charts import PALETTE, chart_style, new_figure, style_panel, to_svg

    history = periods["history"]
    lang = fmt.lang
    with chart_style(lang):
        fig = new_figure(3.4)
        top, bottom = fig.subplots(2, 1, sharex=True)
        labels = [str(h["calendar_year"] or f"{h['period_start']} – {h['period_end']}")
                  for h in history]
        positions = list(range(len(history)))
        panels = (
            (top, gettext("Scope 1", lang),
             [("scope1_tco2e", gettext("Scope 1", lang), PALETTE[0], "o")]),
            (bottom, gettext("Scope 2", lang),
             [("scope2_location_tco2e", gettext("Scope 2, location-based", lang),
               PALETTE[4], "s"),
              ("scope2_market_tco2e", gettext("Scope 2, market-based", lang), PALETTE[2],
               "^")]),
        )
        for ax, heading, series in panels:
            for key, label, colour, marker in series:
                values = [h.get(key) for h in history]
                ax.plot(positions, [value if value is not None else float("nan")
                                    for value in values], color=colour, marker=marker,
                        label=label)
            style_panel(ax, heading, fmt)
        bottom.set_xticks(positions, labels)
        # below the plot: above it the legend runs into the panel's heading
        bottom.legend(frameon=False, fontsize=8, ncols=2, loc="upper center",
                      bbox_to_anchor=(0.5, -0.25))
        return to_svg(fig, "history", gettext("Emissions by period", lang))
