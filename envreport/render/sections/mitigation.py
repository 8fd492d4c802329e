"""Climate change mitigation: renewable generation, avoided emissions with the IFI
combined-margin sensitivity, actions; the targets and green finance beside them."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText, citation, labelled_rows
from envreport.results import Results


def mitigation_section(results: Results, lang: str, text: FreeText) -> dict[str, Any]:
    """Generation, avoided emissions (both factor sets) and the mitigation actions."""
    mitigation = results.mitigation
    return {
        "generation": mitigation.renewable_generation_mwh,
        "avoided": mitigation.avoided_tco2e,
        "actions_reduction": mitigation.actions_reduction_tco2e,
        "avoided_ifi": mitigation.avoided_tco2e_ifi_combined_margin,
        "avoided_factors": [
            {"country": f.country, "factor": f.factor_kg_per_kwh,
             "citation": citation(f.factor_source, lang),
             "ifi_factor": f.sensitivity_factor_kg_per_kwh,
             "ifi_citation": citation(f.sensitivity_source, lang)}
            for f in mitigation.avoided_factors
        ],
        "actions": None if mitigation.actions is None else [
            {"project_id": a.project_id, "action": text(a, "action"),
             "category_label": v.label(v.ACTION_CATEGORIES, a.category),
             "status_label": v.label(v.ACTION_STATUSES, a.status),
             "reduction": a.annual_reduction_tco2e,
             "reduction_applies": a.category in v.GHG_ACTION_CATEGORIES,
             "investment": a.investment, "currency": a.currency,
             "completion_date": a.completion_date}
            for a in mitigation.actions
        ],
    }


def has_mitigation_data(results: Results) -> bool:
    """Whether any mitigation figure (not only the list of actions) is reported."""
    mitigation = results.mitigation
    return any(getattr(mitigation, name) is not None
               for name in type(mitigation).model_fields if name != "actions")


# A progress is printed to one decimal: below half a tenth of a point it is none, not
# ">-0.1 %" (the base year's own report, whose stated base value is its computed figure
# rounded to the tonne: 1 795 706 against 1 795 706.02, −0.0000089 %).
PROGRESS_NIL = 0.05


def _progress(value: float | None) -> float | None:
    return 0.0 if value is not None and abs(value) < PROGRESS_NIL else value


def targets(results: Results) -> list[dict[str, Any]]:
    """The targets with their progress, and the base year as the ledger holds it (``build
    --ledger``: as recorded, as recalculated, whether the workbook's base value differs)."""
    return [
        {"metric_label": v.label(v.TARGET_METRICS, t.metric),
         "base_year": t.base_year, "base_value": t.base_value,
         "target_year": t.target_year, "target_value": t.target_value,
         "current_value": t.current_value, "progress_pct": _progress(t.progress_pct),
         # negative (as printed, to one decimal): the current value is above the base value
         "above_base": t.progress_pct is not None and t.progress_pct <= -PROGRESS_NIL,
         "base_value_recorded": t.base_value_recorded,
         "base_value_recalculated": t.base_value_recalculated,
         "base_value_differs": bool(t.base_value_differs),
         "recalculated": t.base_value_source == "ledger_recalculated",
         "states_recalculated": _states(t.base_value, t.base_value_recalculated),
         # the group report: the base year consolidated from the members' submissions in the
         # ledger, or the members without one (the base value could not be checked)
         "base_value_consolidated": bool(t.base_value_consolidated),
         "base_value_unchecked": list(t.base_value_unchecked or []),
         "group_target": bool(t.group_target)}
        for t in results.targets or []
    ]


def _states(stated: float | None, recalculated: float | None) -> bool:
    """Whether the workbook's base value is the recalculated base year, stated as a base
    value is (rounded): within the tolerance ``target-base-value-differs`` and
    ``base_value_differs`` allow, so the note and the flag never contradict each other."""
    from envreport.results import differs

    return stated is not None and recalculated is not None and not differs(stated,
                                                                           recalculated)


def green_finance(results: Results) -> dict[str, Any]:
    """Green finance by instrument."""
    finance = results.green_finance
    return {"total": finance.total,
            "by_instrument": labelled_rows(finance.by_instrument, v.INSTRUMENTS)}
