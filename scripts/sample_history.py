"""Earlier years of the demo entity (Silk Road Energy, ``SRE``) for the ledger's demo.

``make_samples.py`` calls :func:`history_workbooks`; it derives each earlier year from the
2024 workbook so that the years stay one story:

- ``history/sre_2021.xlsx`` — the base year (``base_year`` 2021 in every year's workbook),
  computed with the AR5 GWP set. It holds a project the later years do not: ``SRE-VN-HFO``,
  a 60 MW heavy-fuel-oil plant in Vietnam. The combined-cycle gas plant (operating from 2022)
  and the transmission line (from mid-2023) are still under construction.
- ``history/sre_2023.xlsx`` — AR5 still; ``SRE-VN-HFO`` is ``divested`` (sold on 30 June
  2023: fuel and generation for January to June only).
- ``group/sre.xlsx`` (2024, AR6) no longer lists ``SRE-VN-HFO``.

Recorded in the ledger in that order, the 2024 report restates 2023 and 2021 under AR6
(methodology change), compares 2024 with 2023, and recalculates the base year because the
divestment's effect exceeds the 5 % threshold.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]
Workbook = tuple[list[tuple[str, Any]], dict[str, list[Row]]]

HISTORY_GWP_SET = "AR5"
DIVESTED_PROJECT = "SRE-VN-HFO"
DIVESTED_ON = dt.date(2023, 6, 30)
# Activity in earlier years relative to 2024, per project, before the seeded noise.
_ACTIVITY_SCALE = {2021: 0.93, 2023: 0.97}
# Sheets whose rows are activity in the period (dates move to the earlier year).
_ACTIVITY_SHEETS = ("Fuel", "Electricity", "Generation", "Refrigerants", "Water", "Waste",
                    "Pollutants")
_QUANTITY_FIELDS = ("quantity", "quantity_kg", "quantity_t", "gross_generation_mwh",
                    "net_export_mwh")
# Sheets that describe 2024 events (incidents, actions, finance): left out of earlier years.
_LEFT_OUT = ("Incidents", "Mitigation", "GreenFinance", "Narrative")

HFO_MW = 60
HFO_CAPACITY_FACTOR = 0.45
HFO_NET_EFFICIENCY = 0.38
HFO_NCV_GJ_PER_T = 40.4


def _in_year(day: dt.date, year: int) -> dt.date:
    """The same calendar day in ``year`` (29 February becomes the 28th)."""
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def _hfo_project(status: str) -> Row:
    return {
        "project_id": DIVESTED_PROJECT, "project_name": "Can Tho 2×30 MW Heavy Fuel Oil Power "
        "Plant", "project_name_zh": "芹苴2×30兆瓦重油电厂", "host_country": "VN",
        "sector": "energy", "project_type": "oil_power", "status": status,
        "ownership_pct": 100, "operational_control": "yes", "financial_control": "yes",
        "installed_capacity_mw": HFO_MW, "construction_start": dt.date(2008, 3, 1),
        "operation_start": dt.date(2010, 1, 15), "eia_status": "approved",
        "eia_approval_date": dt.date(2007, 11, 20),
        "eia_authority": "Ministry of Natural Resources and Environment, Viet Nam",
        "eia_authority_zh": "越南自然资源与环境部",
        "environmental_standard": "host_country", "protected_area_distance_km": 48.0,
        "water_stressed": "no", "latitude": 10.0452, "longitude": 105.7469,
    }


def _hfo_activity(year: int, until: dt.date | None, rng: random.Random) -> dict[str, list[Row]]:
    fuel, generation = [], []
    for month in range(1, 13):
        start = dt.date(year, month, 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        if until is not None and start > until:
            break
        hours = ((end - start).days + 1) * 24
        gross = round(HFO_MW * hours * HFO_CAPACITY_FACTOR * rng.uniform(0.9, 1.1), 1)
        tonnes = gross * 3.6 / HFO_NET_EFFICIENCY / HFO_NCV_GJ_PER_T
        generation.append({"project_id": DIVESTED_PROJECT, "period_start": start,
                           "period_end": end, "technology": "oil_power",
                           "gross_generation_mwh": gross,
                           "net_export_mwh": round(gross * 0.95, 1)})
        fuel.append({"project_id": DIVESTED_PROJECT, "period_start": start, "period_end": end,
                     "fuel": "fuel_oil", "quantity": round(tonnes), "unit": "t",
                     "use": "stationary", "data_quality": "metered",
                     "source_ref": f"CT-HFO-{year}-{month:02d}"})
    return {"Fuel": fuel, "Generation": generation}


def _earlier_year(current: Workbook, year: int) -> Workbook:
    org, sheets = current
    rng = random.Random(f"envreport-sample-SRE-{year}")
    period_end = dt.date(year, 12, 31)
    shifted_org: list[tuple[str, Any]] = []
    for field, value in org:
        if field == "reporting_period_start":
            value = dt.date(year, 1, 1)
        elif field == "reporting_period_end":
            value = period_end
        elif field == "gwp_set":
            value = HISTORY_GWP_SET
        elif field == "publication_date" and isinstance(value, dt.date):
            value = _in_year(value, year + 1)
        elif field == "report_status":
            value = "final"
        shifted_org.append((field, value))

    operating_from: dict[str, dt.date] = {}
    projects = []
    for project in sheets["Projects"]:
        project = dict(project)
        start = project.get("operation_start")
        if isinstance(start, dt.date):
            operating_from[project["project_id"]] = start
            if start > period_end:
                project["status"] = "construction"
                project["operation_start"] = None
        projects.append(project)
    hfo_status = "divested" if year >= DIVESTED_ON.year else "operation"
    projects.append(_hfo_project(hfo_status))

    out: dict[str, list[Row]] = {"Projects": projects}
    for name, rows in sheets.items():
        if name in ("Projects", *_LEFT_OUT):
            continue
        if name not in _ACTIVITY_SHEETS:
            out[name] = [_year_field(dict(r), year) for r in rows]
            continue
        kept = []
        scale = _ACTIVITY_SCALE[year]
        for row in rows:
            row = dict(row)
            row["period_start"] = _in_year(row["period_start"], year)
            row["period_end"] = _in_year(row["period_end"], year)
            begun = operating_from.get(row.get("project_id", ""))
            if begun is not None and row["period_end"] < begun:
                continue  # not yet operating (or built) in that month
            noise = scale * rng.uniform(0.97, 1.03)
            for field in _QUANTITY_FIELDS:
                value = row.get(field)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    row[field] = round(value * noise, 1)
            kept.append(row)
        out[name] = kept
    until = DIVESTED_ON if year >= DIVESTED_ON.year else None
    for name, rows in _hfo_activity(year, until, rng).items():
        out[name] = out.get(name, []) + rows
    return shifted_org, out


def _year_field(row: Row, year: int) -> Row:
    if row.get("factor_type") == "ncv" and "year" in row:
        row["year"] = year
    return row


def history_workbooks(current_sre: Callable[[], Workbook]) -> dict[str, Workbook]:
    """``history/sre_2021`` and ``history/sre_2023`` derived from the 2024 workbook."""
    return {f"sre_{year}": _earlier_year(current_sre(), year) for year in (2021, 2023)}
