"""Projects (the annex and the Green Belt and Road alignment table) and policy flags."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from envreport.codes import PROTECTED_AREA_KM
from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText
from envreport.render.vocabulary import N_
from envreport.results import ProjectEntry, Results

#: the project fields the templates print as they are
_FIELDS = (
    "project_id", "project_name", "project_name_zh", "host_country", "sector",
    "project_type", "status", "consolidation_share", "installed_capacity_mw",
    "construction_start", "operation_start", "eia_status", "eia_approval_date",
    "environmental_standard", "protected_area_distance_km", "water_stressed",
    "scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj",
    "water_withdrawal_m3",
)


def _eia_before_construction(project: ProjectEntry) -> str:
    """Whether the EIA was approved before construction started."""
    start, approval = project.construction_start, project.eia_approval_date
    if project.eia_status == "not_required":
        return N_("Not required")
    if start is None:
        return N_("Construction not started")
    if approval is None:
        return N_("No")
    return N_("Yes") if approval <= start else N_("No")


def project_rows(results: Results, text: FreeText) -> list[dict[str, Any]]:
    """Every project with its labels, flags and what applies to it."""
    flags: dict[str, list[str]] = defaultdict(list)
    for flag in results.policy_flags:
        flags[flag.project_id].append(flag.code)
    rows = []
    for project in results.by_project:
        row: dict[str, Any] = {name: getattr(project, name) for name in _FIELDS}
        codes = flags.get(project.project_id, [])
        distance = project.protected_area_distance_km
        row.update({
            "in_boundary": project.in_boundary,
            "type_label": v.label(v.PROJECT_TYPES, project.project_type),
            "status_label": v.label(v.STATUSES, project.status),
            "eia_label": v.label(v.EIA, project.eia_status),
            "standard_label": v.label(v.STANDARDS, project.environmental_standard),
            "flags": [v.label(v.POLICY_FLAGS, code) for code in codes],
            "near_protected_area": distance is not None and distance < PROTECTED_AREA_KM,
            "eia_before_construction": _eia_before_construction(project),
            "name": text(project, "project_name"),
            "coal_power": project.project_type == "coal_power",
            "capacity_applies": project.project_type in v.POWER_PROJECT_TYPES,
            "protected_area_flag": "protected-area" in codes,
            "new_coal": "new-coal-power" in codes,
        })
        rows.append(row)
    return rows


def policy_flags(results: Results) -> list[dict[str, Any]]:
    """The Green Belt and Road policy flags, labelled."""
    return [
        {"project_id": f.project_id, "code": f.code,
         "label": v.label(v.POLICY_FLAGS, f.code), "message": f.message}
        for f in results.policy_flags
    ]
