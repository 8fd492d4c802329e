"""Policy flags: projects that call for attention under the lender's environmental policy."""

from __future__ import annotations

from typing import Any

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.results.models import PolicyFlag
from envreport.submission import Submission

# China's pledge of 21 September 2021: no new coal power abroad (docs/methodology.md).
COAL_PLEDGE = pd.Timestamp("2021-09-22")
PROTECTED_AREA_KM = 5.0


def policy_flags(submission: Submission, shares: pd.DataFrame) -> list[PolicyFlag]:
    """One flag per (project in the boundary, rule it meets), by project then code."""
    projects = shares[shares["share"] > 0]
    flags: list[PolicyFlag] = []

    def column(name: str, default: Any = None) -> pd.Series:
        return projects[name] if name in projects.columns \
            else pd.Series(default, index=projects.index)

    construction_start = pd.to_datetime(column("construction_start"), errors="coerce")
    approval = pd.to_datetime(column("eia_approval_date"), errors="coerce")
    status, eia = column("status"), column("eia_status")
    new_coal = (column("project_type") == "coal_power") & (
        (status == "planning")
        | ((status == "construction")
           & (construction_start.isna() | (construction_start >= COAL_PLEDGE))))
    rules = [
        ("new-coal-power", new_coal,
         "New coal power project (planning, or construction from 22 September 2021)."),
        ("eia-missing", status.isin(["construction", "operation"])
         & ~eia.isin(["approved", "not_required"]),
         "Project in construction or operation without an approved EIA."),
        ("eia-after-construction",
         approval.notna() & construction_start.notna() & (approval > construction_start),
         "EIA approved after construction started."),
        ("protected-area",
         pd.to_numeric(column("protected_area_distance_km"), errors="coerce")
         < PROTECTED_AREA_KM, "Within 5 km of a protected area."),
    ]
    water = rows_of(submission, "Water")
    if water is not None and "water_stressed" in projects.columns:
        withdrawing = water.loc[water["flow"] == "withdrawal", "project_id"].unique()
        stressed = column("water_stressed").astype("boolean").fillna(False).astype(bool)
        rules.append(("water-stress", stressed & projects["project_id"].isin(withdrawing),
                      "Withdraws water in a water-stressed area."))
    for code, mask, message in rules:
        hit = mask.astype("boolean").fillna(False).astype(bool)
        for project_id in projects.loc[hit, "project_id"]:
            flags.append(PolicyFlag(project_id=str(project_id), code=code, message=message))
    return sorted(flags, key=lambda flag: (flag.project_id, flag.code))
