"""Compliance: incidents and fines (GRI 2-27) and EIA coverage of active projects.

Incidents are counted once: a row whose ``related_incident_id`` names another row's
``incident_id`` (a penalty for a spill, a follow-up of a complaint) is part of that incident,
not another one; its fine and corrective action belong to it. Fines are the money paid, in
full, for the projects inside the boundary (share above 0) — never multiplied by a share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.metrics.finance import in_reporting_currency
from envreport.metrics.numbers import (
    column_or_blank,
    exact_sum,
    figure,
    figure_list,
    is_missing,
    iso_date_list,
    records,
    text_list,
)
from envreport.results.models import Compliance, IncidentEntry
from envreport.schema import Sheet
from envreport.submission import Submission

_SEVERITY_RANK = {"minor": 0, "moderate": 1, "major": 2}


def compliance(submission: Submission, shares: pd.DataFrame, rates: dict[str, float],
               reporting: str) -> Compliance:
    """Incident counts, fines and EIA coverage; the incident list of the boundary."""
    inside = shares[shares["share"] > 0]
    active = inside[inside["status"].isin(["construction", "operation"])]
    eia = (figure(100.0 * (active["eia_status"] == "approved").sum() / len(active))
           if len(active) and "eia_status" in active.columns else None)
    incidents = rows_of(submission, Sheet.INCIDENTS)
    if incidents is None:
        return Compliance(incidents=None, major_incidents=None, fines=None,
                          eia_coverage_pct=eia, incident_list=None)
    share = incidents["project_id"].map(shares["share"]).fillna(0.0)
    in_boundary = share > 0
    fines = in_reporting_currency(
        incidents["fine_amount"] if "fine_amount" in incidents.columns
        else pd.Series(np.nan, index=incidents.index),
        incidents["currency"] if "currency" in incidents.columns else None, rates, reporting)
    root = incident_roots(incidents)
    position = pd.Series(np.arange(len(incidents)), index=incidents.index)
    is_incident = root == position
    counted = is_incident & in_boundary  # counts are unscaled
    # An incident is major when its own row, or a row that belongs to it, says so.
    rank = incidents["severity"].map(_SEVERITY_RANK).fillna(0)
    worst = rank.groupby(root).max()
    major = position[counted].map(worst) == _SEVERITY_RANK["major"]
    return Compliance(incidents=int(counted.sum()),
                      major_incidents=int(major.sum()),
                      fines=figure(exact_sum(fines[in_boundary].fillna(0.0))),
                      eia_coverage_pct=eia,
                      incident_list=incident_list(incidents, share, fines, root, reporting))


def incident_roots(incidents: pd.DataFrame) -> pd.Series:
    """The position (0, 1, ... in sheet order) of the incident each row belongs to.

    An incident's own row is its own root. A row with ``related_incident_id`` follows it to
    the row whose ``incident_id`` it names, through a chain (a follow-up of a penalty) to the
    row that names none. A link that cannot be followed (validation reports it as an error)
    leaves the row an incident of its own. In a group's merged sheet the ids are the members'
    own, so a link stays inside its entity (``entity_id``).
    """
    count = len(incidents)
    positions = list(range(count))
    if "related_incident_id" not in incidents.columns or "incident_id" not in incidents.columns:
        return pd.Series(positions, index=incidents.index, dtype="int64")
    scope = (incidents["entity_id"].astype(object).tolist() if "entity_id" in incidents.columns
             else [None] * count)
    position_of = {(entity, iid): pos for pos, entity, iid in
                   zip(positions, scope, incidents["incident_id"], strict=True)
                   if not is_missing(iid)}
    parent = {pos: position_of.get((entity, related)) for pos, entity, related in
              zip(positions, scope, incidents["related_incident_id"], strict=True)
              if not is_missing(related)}
    roots = []
    for pos in positions:
        seen = {pos}
        current = pos
        while (following := parent.get(current)) is not None and following not in seen:
            current = following
            seen.add(current)
        roots.append(current if parent.get(current) is None else pos)
    return pd.Series(roots, index=incidents.index, dtype="int64")


def incident_list(incidents: pd.DataFrame, share: pd.Series, fines: pd.Series,
                  root: pd.Series, reporting: str) -> list[IncidentEntry]:
    """The Incidents rows of projects in the boundary, each incident followed by its rows.

    Incidents are ordered by date then Excel row; the penalty and follow-up rows that belong
    to one (``counted`` false, ``incident_row`` the Excel row of its incident) come right
    after it, by date. ``fine_amount`` and ``currency`` as reported (a blank currency is the
    reporting currency); ``fine_reporting_currency`` is the fine converted with FxRates, in
    full: ``compliance.fines`` is their sum. ``incident_fines_reporting_currency`` on an
    incident's row is the sum over the incident and every row that belongs to it.
    """
    dates = pd.to_datetime(column_or_blank(incidents, "date"), errors="coerce")
    position = pd.Series(np.arange(len(incidents)), index=incidents.index)
    frame = incidents.assign(_share=share, _fine=fines, _date=dates, _root=root,
                             _pos=position)
    root_date = frame["_root"].map(frame.set_index("_pos")["_date"])
    root_row = frame["_root"].map(frame.set_index("_pos")["row"])
    frame = frame.assign(_root_date=root_date, _root_row=root_row,
                         _own=frame["_root"] != frame["_pos"])[share > 0]
    frame = frame.sort_values(["_root_date", "_root_row", "_root", "_own", "_date", "row"],
                              kind="stable", na_position="last")
    incident_fines = frame.groupby("_root")["_fine"].apply(
        lambda s: exact_sum(s.fillna(0.0)) if s.notna().any() else np.nan)
    own = frame["_root"] == frame["_pos"]
    currency = column_or_blank(frame, "currency").astype(object)
    return [IncidentEntry(**record) for record in records({
        "project_id": text_list(frame["project_id"]),
        "row": frame["row"].astype("int64").tolist(),
        "incident_id": text_list(column_or_blank(frame, "incident_id")),
        "related_incident_id": text_list(column_or_blank(frame, "related_incident_id")),
        "counted": own.tolist(),
        "incident_row": frame["_root_row"].astype("int64").tolist(),
        "date": iso_date_list(frame["_date"]),
        "type": text_list(column_or_blank(frame, "type")),
        "severity": text_list(column_or_blank(frame, "severity")),
        "description": text_list(column_or_blank(frame, "description")),
        "description_zh": text_list(column_or_blank(frame, "description_zh")),
        "fine_amount": figure_list(column_or_blank(frame, "fine_amount")),
        "currency": text_list(currency.where(currency.notna(), reporting or None)),
        "fine_reporting_currency": figure_list(frame["_fine"]),
        "incident_fines_reporting_currency": figure_list(
            frame["_pos"].map(incident_fines).where(own)),
        "consolidation_share": figure_list(frame["_share"]),
        "status": text_list(column_or_blank(frame, "status")),
        "corrective_action": text_list(column_or_blank(frame, "corrective_action")),
        "corrective_action_zh": text_list(column_or_blank(frame, "corrective_action_zh")),
    })]
