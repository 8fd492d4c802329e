"""Build :class:`Submission` objects directly from rows, for metrics and factor tests.

Tables get the dtypes validation produces (see the Submission docstring): floats for
numbers, nullable booleans, ``object`` strings, a ``row`` column numbered from Excel row 2.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from envreport.findings import Findings
from envreport.metrics import compute
from envreport.submission import InputFile, Organization, Submission

NUMERIC = {
    "quantity", "ownership_pct", "installed_capacity_mw", "protected_area_distance_km",
    "latitude", "longitude", "instrument_quantity", "instrument_factor_kg_per_kwh",
    "supplier_factor_kg_per_kwh", "gross_generation_mwh", "net_export_mwh", "quantity_kg",
    "quantity_t", "limit_exceedances", "fine_amount", "annual_reduction_tco2e", "investment",
    "amount", "value", "year", "base_year", "base_value", "target_year",
    "target_reduction_pct", "rate_to_reporting_currency",
}
BOOLEAN = {"operational_control", "financial_control", "water_stressed", "treated",
           "hazardous"}
DATES = {"construction_start", "operation_start", "eia_approval_date", "period_start",
         "period_end", "date", "completion_date", "issue_date", "maturity_date"}

PROJECT_DEFAULTS: dict[str, Any] = {
    "project_name": "Project", "host_country": "CHN", "sector": "energy",
    "project_type": "solar_pv", "status": "operation", "ownership_pct": 100.0,
    "operational_control": True, "financial_control": True, "eia_status": "approved",
}


def table(rows: list[dict[str, Any]], first_row: int = 2) -> pd.DataFrame:
    """A Submission table from dicts, with validation's dtypes and Excel row numbers."""
    frame = pd.DataFrame(rows)
    if "row" not in frame.columns:
        frame.insert(0, "row", range(first_row, first_row + len(frame)))
    for col in frame.columns:
        if col in NUMERIC:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        elif col in BOOLEAN:
            frame[col] = frame[col].astype("boolean")
        elif col in DATES:
            frame[col] = pd.to_datetime(frame[col])
        elif col != "row":
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["row"] = frame["row"].astype("int64")
    return frame


def project(project_id: str = "P1", **fields: Any) -> dict[str, Any]:
    """A Projects row with sensible defaults (100 % owned and controlled, in China)."""
    return {"project_id": project_id, **PROJECT_DEFAULTS, **fields}


def organization(**fields: Any) -> Organization:
    """An Organization for calendar 2024 in CNY, operational control, AR6 unless given."""
    base: dict[str, Any] = {
        "entity_id": "E1", "organization_name": "Test Co",
        "reporting_period_start": date(2024, 1, 1), "reporting_period_end": date(2024, 12, 31),
        "reporting_currency": "CNY", "consolidation_approach": "operational_control",
    }
    base.update(fields)
    return Organization(**base)


def submission(projects: list[dict[str, Any]] | None = None, org: Organization | None = None,
               **sheets: list[dict[str, Any]] | pd.DataFrame) -> Submission:
    """A Submission with the given sheets (``Fuel=[{...}]``); Projects default to one P1."""
    tables = {"Projects": table(projects if projects is not None else [project()])}
    for name, rows in sheets.items():
        tables[name] = rows if isinstance(rows, pd.DataFrame) else table(rows)
    return Submission(source=InputFile("test.xlsx", "0" * 64), organization=org or organization(),
                      tables=tables, findings=Findings())


def fuel(quantity: float, unit: str, fuel_id: str = "diesel", use: str = "stationary",
         project_id: str = "P1") -> dict[str, Any]:
    """A Fuel row."""
    return {"project_id": project_id, "fuel": fuel_id, "quantity": quantity, "unit": unit,
            "use": use}


def trail_total(results: dict[str, Any], scope: str, method: str | None = None) -> float:
    """The sum of the trail's tco2e for a scope (and Scope 2 method)."""
    return sum(c["tco2e"] for c in results["calculations"]
               if c["scope"] == scope and (method is None or c["method"] == method))


def results_of(sub: Submission) -> dict[str, Any]:
    """The results.json content of ``sub`` (what ``envreport build`` writes)."""
    return compute(sub).to_json_dict()
