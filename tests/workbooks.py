"""Builders of small submission workbooks for tests (written with openpyxl)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = list[list[Any]]

ORGANIZATION: Rows = [
    ["field", "value"],
    ["entity_id", "TEST"],
    ["organization_name", "Test Energy Co."],
    ["reporting_period_start", date(2024, 1, 1)],
    ["reporting_period_end", date(2024, 12, 31)],
    ["reporting_currency", "CNY"],
    ["consolidation_approach", "equity_share"],
]

PROJECTS: Rows = [
    ["project_id", "project_name", "host_country", "sector", "project_type", "status",
     "ownership_pct", "eia_status", "eia_approval_date", "installed_capacity_mw"],
    ["P1", "Solar One", "PK", "energy", "solar_pv", "operation", 100, "approved",
     date(2019, 5, 1), 50],
    ["P2", "Rail Two", "Kenya", "transport", "railway", "construction", 60, "approved",
     date(2020, 3, 1), None],
]

FUEL: Rows = [
    ["project_id", "fuel", "quantity", "unit", "use", "period_start", "period_end"],
    ["P2", "diesel", 1000, "L", "offroad", date(2024, 1, 1), date(2024, 1, 31)],
    ["P2", "diesel", 1200, "L", "offroad", date(2024, 2, 1), date(2024, 2, 29)],
]


def organization_rows(entity: str, year: int, gwp: str = "AR6") -> Rows:
    """The Organization sheet of ``entity`` for calendar ``year`` (equity share, CNY)."""
    return [
        ["field", "value"], ["entity_id", entity], ["organization_name", f"{entity} Co."],
        ["reporting_period_start", date(year, 1, 1)],
        ["reporting_period_end", date(year, 12, 31)],
        ["reporting_currency", "CNY"], ["consolidation_approach", "equity_share"],
        ["gwp_set", gwp],
    ]


def write_workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    """Write ``sheets`` (name → rows, row 1 = header) to ``path``."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def minimal(**overrides: Rows | None) -> dict[str, Rows]:
    """A small valid submission; pass ``Sheet=rows`` to replace or ``Sheet=None`` to drop."""
    sheets: dict[str, Rows] = {
        "Organization": [list(r) for r in ORGANIZATION],
        "Projects": [list(r) for r in PROJECTS],
        "Fuel": [list(r) for r in FUEL],
    }
    for name, rows in overrides.items():
        if rows is None:
            sheets.pop(name, None)
        else:
            sheets[name] = rows
    return sheets


def leaking_plant_sheets(entity: str, year: int, plant: str, leak_kg: float,
                         gwp: str = "AR6") -> dict[str, Rows]:
    """The group tests' workbook: ``entity``'s one plant in Pakistan leaking ``leak_kg`` of
    HFC-134a in ``year``; the parent, GRP, holds 60 % of SUB (its Subsidiaries sheet)."""
    sheets: dict[str, Rows] = {
        "Organization": organization_rows(entity, year, gwp),
        "Projects": [["project_id", "project_name", "host_country", "sector", "project_type",
                      "status", "ownership_pct", "eia_status", "eia_approval_date"],
                     [plant, f"Plant {plant}", "PK", "manufacturing", "manufacturing",
                      "operation", 100, "approved", date(2015, 1, 1)]],
        "Refrigerants": [["project_id", "gas", "quantity_kg"], [plant, "HFC-134a", leak_kg]]}
    if entity == "GRP":
        sheets["Subsidiaries"] = [["entity_id", "entity_name", "ownership_pct"],
                                  ["SUB", "Sub Co.", 60]]
    return sheets
