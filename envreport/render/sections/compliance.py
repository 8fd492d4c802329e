"""Environmental compliance: incidents counted once, fines in full, EIA coverage (GRI 2-27)."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText
from envreport.results import Compliance


def _incidents(compliance: Compliance, currency: str | None, text: FreeText
               ) -> list[dict[str, Any]]:
    """Incidents in results order, each with the penalty and follow-up rows that belong to it
    (``counted`` false) and its corrective action."""
    incidents: list[dict[str, Any]] = []
    by_row: dict[Any, dict[str, Any]] = {}
    for i in compliance.incident_list or []:
        row: dict[str, Any] = {
            "project_id": i.project_id, "date": i.date,
            "incident_id": i.incident_id,
            "type_label": v.label(v.INCIDENT_TYPES, i.type),
            "severity_label": v.label(v.SEVERITIES, i.severity),
            "description": text(i, "description"),
            "corrective_action": text(i, "corrective_action"),
            "fine": i.fine_amount, "currency": i.currency or currency,
            "status_label": v.label(v.OPEN_CLOSED, i.status),
            "related": [],
        }
        parent = by_row.get(i.incident_row)
        if i.counted is False and parent is not None:
            parent["related"].append(row)
        else:
            incidents.append(row)
            by_row[i.row] = row
    return incidents


def compliance_section(compliance: Compliance, currency: str | None, text: FreeText
                       ) -> dict[str, Any]:
    """Counts, fines, EIA coverage and the incident list."""
    return {
        "incidents": compliance.incidents,
        "major": compliance.major_incidents,
        "fines": compliance.fines,
        "eia_coverage": compliance.eia_coverage_pct,
        "list": _incidents(compliance, currency, text),
    }
