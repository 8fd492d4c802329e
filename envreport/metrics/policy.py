"""Policy flags: projects that call for attention under the lender's environmental policy."""

from __future__ import annotations

from typing import Any

import pandas as pd

from envreport.codes import COAL_PLEDGE_DATE, POLICY_FLAGS, PROTECTED_AREA_KM
from envreport.factors.resolve import rows_of
from envreport.results.models import PolicyFlag
from envreport.schema import Sheet
from envreport.submission import Submission

COAL_PLEDGE = pd.Timestamp(COAL_PLEDGE_DATE)


def policy_flags(submission: Submission, shares: pd.DataFrame) -> list[PolicyFlag]:
    """One flag per (project in the boundary, rule it meets), by project then code.

    The codes and their messages are registered in :data:`envreport.codes.POLICY_FLAGS`.
    """
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
        ("new-coal-power", new_coal),
        ("eia-missing", status.isin(["construction", "operation"])
         & ~eia.isin(["approved", "not_required"])),
        ("eia-after-construction",
         approval.notna() & construction_start.notna() & (approval > construction_start)),
        ("protected-area",
         pd.to_numeric(column("protected_area_distance_km"), errors="coerce")
         < PROTECTED_AREA_KM),
    ]
    water = rows_of(submission, Sheet.WATER)
    if water is not None and "water_stressed" in projects.columns:
        withdrawing = water.loc[water["flow"] == "withdrawal", "project_id"].unique()
        stressed = column("water_stressed").astype("boolean").fillna(False).astype(bool)
        rules.append(("water-stress", stressed & projects["project_id"].isin(withdrawing)))
    for code, mask in rules:
        message = POLICY_FLAGS[code].text("en")
        hit = mask.astype("boolean").fillna(False).astype(bool)
        for project_id in projects.loc[hit, "project_id"]:
            flags.append(PolicyFlag(project_id=str(project_id), code=code, message=message))
    return sorted(flags, key=lambda flag: (flag.project_id, flag.code))
