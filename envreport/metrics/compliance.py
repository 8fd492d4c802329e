"""Compliance: incidents and fines (GRI 2-27) and EIA coverage of active projects."""

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
    iso_date_list,
    records,
    text_list,
)
from envreport.results.models import Compliance, IncidentEntry
from envreport.submission import Submission


def compliance(submission: Submission, shares: pd.DataFrame, rates: dict[str, float],
               reporting: str) -> Compliance:
    """Incident counts, fines and EIA coverage; the incident list of the boundary."""
    inside = shares[shares["share"] > 0]
    active = inside[inside["status"].isin(["construction", "operation"])]
    eia = (figure(100.0 * (active["eia_status"] == "approved").sum() / len(active))
           if len(active) and "eia_status" in active.columns else None)
    incidents = rows_of(submission, "Incidents")
    if incidents is None:
        return Compliance(incidents=None, major_incidents=None, fines=None,
                          eia_coverage_pct=eia, incident_list=None)
    share = incidents["project_id"].map(shares["share"]).fillna(0.0)
    counted = incidents[share > 0]  # counts cover projects in the boundary, unscaled
    fines = in_reporting_currency(
        incidents["fine_amount"] if "fine_amount" in incidents.columns
        else pd.Series(np.nan, index=incidents.index),
        incidents["currency"] if "currency" in incidents.columns else None, rates, reporting)
    return Compliance(incidents=len(counted),
                      major_incidents=int((counted["severity"] == "major").sum()),
                      fines=figure(exact_sum((fines * share).fillna(0.0))),
                      eia_coverage_pct=eia,
                      incident_list=incident_list(incidents, share, fines, reporting))


def incident_list(incidents: pd.DataFrame, share: pd.Series, fines: pd.Series,
                  reporting: str) -> list[IncidentEntry]:
    """The Incidents rows of projects in the boundary, by date then Excel row.

    ``fine_amount`` and ``currency`` as reported (a blank currency is the reporting
    currency); ``fine_reporting_currency`` is the fine converted with FxRates, unscaled:
    ``compliance.fines`` is the sum of ``fine_reporting_currency × consolidation_share``.
    """
    frame = incidents.assign(
        _share=share, _fine=fines,
        _date=pd.to_datetime(column_or_blank(incidents, "date"), errors="coerce"))[share > 0]
    frame = frame.sort_values(["_date", "row"], kind="stable", na_position="last")
    currency = column_or_blank(frame, "currency").astype(object)
    return [IncidentEntry(**record) for record in records({
        "project_id": text_list(frame["project_id"]),
        "row": frame["row"].astype("int64").tolist(),
        "date": iso_date_list(frame["_date"]),
        "type": text_list(column_or_blank(frame, "type")),
        "severity": text_list(column_or_blank(frame, "severity")),
        "description": text_list(column_or_blank(frame, "description")),
        "fine_amount": figure_list(column_or_blank(frame, "fine_amount")),
        "currency": text_list(currency.where(currency.notna(), reporting or None)),
        "fine_reporting_currency": figure_list(frame["_fine"]),
        "consolidation_share": figure_list(frame["_share"]),
        "status": text_list(column_or_blank(frame, "status")),
        "corrective_action": text_list(column_or_blank(frame, "corrective_action")),
    })]
