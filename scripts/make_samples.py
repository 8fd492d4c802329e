"""Write the sample submission workbooks under ``sample_inputs/``.

Run: ``.venv/bin/python scripts/make_samples.py [OUT_DIR]`` (default: the repository's
``sample_inputs/``).

Writes
- ``group/parent.xlsx``, ``group/sre.xlsx``, ``group/sri.xlsx``: a fictional Belt-and-Road group
  (China Silk Road Infrastructure Group and its two subsidiaries), reporting year 2024, CNY,
  equity share, AR6. Every sheet of the input contract (shared/spec/workbook.md) is used.
- ``faulty/faulty_submission.xlsx``: one plausible workbook with deliberate faults at known
  cells (``FAULTS`` below), and ``faulty/README.md``, the fault table generated from ``FAULTS``.

The output is deterministic: every random figure comes from a ``random.Random`` seeded per
workbook, the workbook properties carry a fixed timestamp, and the zip members are rewritten
with a fixed date, so a re-run gives byte-identical files. All names, figures, invoice numbers
and exchange rates are illustrative sample data, not facts about real companies.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sample_inputs"

YEAR = 2024
PERIOD_START = dt.date(YEAR, 1, 1)
PERIOD_END = dt.date(YEAR, 12, 31)
FIXED_TIME = dt.datetime(2025, 3, 31, 9, 0, 0)
_ZIP_TIME = (2025, 3, 31, 9, 0, 0)

# The canonical header of every table sheet, in the order the samples write it
# (shared/spec/workbook.md, contract version 1).
COLUMNS: dict[str, list[str]] = {
    "Projects": [
        "project_id", "project_name", "project_name_zh", "host_country", "sector",
        "project_type", "status", "ownership_pct", "operational_control", "financial_control",
        "installed_capacity_mw", "construction_start", "operation_start", "eia_status",
        "eia_approval_date", "eia_authority", "environmental_standard",
        "protected_area_distance_km", "water_stressed", "latitude", "longitude",
    ],
    "Fuel": [
        "project_id", "period_start", "period_end", "fuel", "quantity", "unit", "use",
        "data_quality", "source_ref",
    ],
    "Electricity": [
        "project_id", "period_start", "period_end", "energy_type", "quantity", "unit",
        "grid_country", "supplier", "instrument", "instrument_quantity",
        "instrument_factor_kg_per_kwh", "supplier_factor_kg_per_kwh", "source_ref",
    ],
    "Generation": [
        "project_id", "period_start", "period_end", "technology", "gross_generation_mwh",
        "net_export_mwh",
    ],
    "Refrigerants": ["project_id", "period_start", "period_end", "gas", "quantity_kg", "method"],
    "Water": [
        "project_id", "period_start", "period_end", "flow", "source", "quantity", "unit",
        "treated",
    ],
    "Waste": [
        "project_id", "period_start", "period_end", "waste_type", "hazardous", "quantity",
        "unit", "disposal",
    ],
    "Pollutants": [
        "project_id", "period_start", "period_end", "pollutant", "quantity_t",
        "limit_exceedances", "standard",
    ],
    "Incidents": [
        "project_id", "date", "type", "severity", "description", "fine_amount", "currency",
        "status", "corrective_action",
    ],
    "Mitigation": [
        "project_id", "action", "category", "status", "annual_reduction_tco2e", "investment",
        "currency", "completion_date",
    ],
    "GreenFinance": [
        "instrument", "amount", "currency", "issue_date", "maturity_date", "use_of_proceeds",
        "project_ids", "standard",
    ],
    "Factors": ["factor_type", "key", "gas", "value", "unit", "year", "source"],
    "Targets": ["metric", "base_year", "base_value", "target_year", "target_reduction_pct"],
    "Subsidiaries": [
        "entity_id", "entity_name", "ownership_pct", "operational_control", "financial_control",
    ],
    "FxRates": ["currency", "rate_to_reporting_currency", "source"],
}
SHEET_ORDER = ["Organization", *COLUMNS]

Row = dict[str, Any]


# --- helpers -------------------------------------------------------------------------------
def months(year: int = YEAR) -> list[tuple[dt.date, dt.date]]:
    """The twelve calendar months of ``year`` as (first day, last day)."""
    return [
        (dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1]))
        for m in range(1, 13)
    ]


def quarters(year: int = YEAR) -> list[tuple[dt.date, dt.date]]:
    """The four quarters of ``year``."""
    return [
        (dt.date(year, q * 3 - 2, 1),
         dt.date(year, q * 3, calendar.monthrange(year, q * 3)[1]))
        for q in range(1, 5)
    ]


def hours(start: dt.date, end: dt.date) -> int:
    """Hours in the inclusive date range."""
    return ((end - start).days + 1) * 24


def monthly(project_id: str, rng: random.Random, base: float, spread: float,
            decimals: int = 0, **fields: Any) -> list[Row]:
    """Twelve monthly rows of ``base`` ± ``spread`` (relative)."""
    rows = []
    for start, end in months():
        qty = round(base * rng.uniform(1 - spread, 1 + spread), decimals)
        rows.append({"project_id": project_id, "period_start": start, "period_end": end,
                     **fields, "quantity": int(qty) if decimals == 0 else qty})
    return rows


def with_refs(rows: list[Row], prefix: str, rng: random.Random) -> list[Row]:
    """Give every row an invoice-like ``source_ref`` (prefix-YYYY-MM-nnnnn)."""
    for row in rows:
        start = row.get("period_start") or PERIOD_START
        row["source_ref"] = f"{prefix}-{start:%Y-%m}-{rng.randint(10000, 99999)}"
    return rows


# --- the parent: China Silk Road Infrastructure Group --------------------------------------
FX_SOURCE_PBOC = "PBOC central parity, 2024 annual average"
FX_SOURCE_CROSS = "Cross rate via USD (PBOC central parity and the central bank's USD rate, " \
    "2024 annual averages)"
FX_RATES: dict[str, tuple[float, str]] = {
    "USD": (7.1217, FX_SOURCE_PBOC),
    "EUR": (7.7011, FX_SOURCE_PBOC),
    "PKR": (0.02557, FX_SOURCE_CROSS),
    "IDR": (0.0004487, FX_SOURCE_CROSS),
    "KES": (0.05383, FX_SOURCE_CROSS),
    "LKR": (0.02370, FX_SOURCE_CROSS),
    "EGP": (0.1600, FX_SOURCE_CROSS),
    "BDT": (0.06190, FX_SOURCE_CROSS),
    "KZT": (0.01518, FX_SOURCE_CROSS),
    "UZS": (0.000563, FX_SOURCE_CROSS),
    "RSD": (0.06580, FX_SOURCE_CROSS),
    "LAK": (0.000339, FX_SOURCE_CROSS),
}


def fx_rows(currencies: Iterable[str]) -> list[Row]:
    return [{"currency": c, "rate_to_reporting_currency": FX_RATES[c][0],
             "source": FX_RATES[c][1]} for c in currencies]


def organization(entity_id: str, name: str, name_zh: str, parent: str | None,
                 revenue: int, employees: int, contact: str, email: str) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = [
        ("entity_id", entity_id),
        ("organization_name", name),
        ("organization_name_zh", name_zh),
    ]
    if parent:
        fields.append(("parent_entity_id", parent))
    fields += [
        ("reporting_period_start", PERIOD_START),
        ("reporting_period_end", PERIOD_END),
        ("reporting_currency", "CNY"),
        ("consolidation_approach", "equity_share"),
        ("gwp_set", "AR6"),
        ("base_year", 2021),
        ("revenue", revenue),
        ("employees", employees),
        ("report_languages", "en,zh"),
        ("contact_name", contact),
        ("contact_email", email),
    ]
    return fields


def project(pid: str, name: str, name_zh: str, country: str, sector: str, ptype: str,
            status: str, ownership: float, capacity: float | None, construction: dt.date,
            operation: dt.date | None, eia_date: dt.date, authority: str, standard: str,
            protected_km: float, water_stressed: bool, lat: float, lon: float) -> Row:
    return {
        "project_id": pid, "project_name": name, "project_name_zh": name_zh,
        "host_country": country, "sector": sector, "project_type": ptype, "status": status,
        "ownership_pct": ownership, "operational_control": "yes", "financial_control": "yes",
        "installed_capacity_mw": capacity, "construction_start": construction,
        "operation_start": operation, "eia_status": "approved", "eia_approval_date": eia_date,
        "eia_authority": authority, "environmental_standard": standard,
        "protected_area_distance_km": protected_km,
        "water_stressed": "yes" if water_stressed else "no", "latitude": lat, "longitude": lon,
    }


def parent_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-CSIG-2024")
    org = organization("CSIG", "China Silk Road Infrastructure Group Co., Ltd.",
                       "中国丝路基建集团有限公司", None, 86_400_000_000, 18_650,
                       "Wang Li", "esg@csig.example.com")
    hq = "CSIG-HQ-BJ"
    projects = [project(
        hq, "CSIG Headquarters Office and Vehicle Fleet, Beijing", "集团北京总部办公楼及公务车队",
        "CHN", "other", "other", "operation", 100, None, dt.date(2012, 3, 1),
        dt.date(2014, 10, 1), dt.date(2011, 11, 18),
        "Beijing Municipal Ecology and Environment Bureau", "china", 28.0, True, 39.9087,
        116.4526)]

    fuel = with_refs(monthly(hq, rng, 2350, 0.12, fuel="gasoline", unit="L", use="mobile",
                             data_quality="invoice"), "SINOPEC-FC", rng)
    lpg = with_refs(monthly(hq, rng, 920, 0.10, fuel="lpg", unit="kg", use="stationary",
                            data_quality="invoice"), "BJGAS-LPG", rng)
    for row in lpg[-2:]:  # December deliveries not yet invoiced when the books closed
        row["data_quality"] = "estimated"
    genset = [{"project_id": hq, "period_start": s, "period_end": e, "fuel": "diesel",
               "quantity": rng.randint(260, 340), "unit": "L", "use": "stationary",
               "data_quality": "metered"} for s, e in quarters()]
    fuel += lpg + with_refs(genset, "HQ-GENSET-LOG", rng)

    electricity = []
    for i, (start, end) in enumerate(months()):
        summer = 1.25 if start.month in (6, 7, 8) else 1.0
        electricity.append({
            "project_id": hq, "period_start": start, "period_end": end,
            "energy_type": "electricity",
            "quantity": int(410_000 * summer * rng.uniform(0.94, 1.06)), "unit": "kWh",
            "grid_country": "CN" if i % 3 == 0 else None,
            "supplier": "State Grid Beijing Electric Power Company", "instrument": "none"})
    with_refs(electricity, "SGCC-BJ", rng)

    water = []
    for start, end in months():
        w = int(4800 * rng.uniform(0.9, 1.12))
        water.append({"project_id": hq, "period_start": start, "period_end": end,
                      "flow": "withdrawal", "source": "third_party", "quantity": w,
                      "unit": "m3"})
        water.append({"project_id": hq, "period_start": start, "period_end": end,
                      "flow": "discharge", "source": "third_party",
                      "quantity": int(w * 0.82), "unit": "m3", "treated": "no"})

    waste = []
    for start, end in quarters():
        waste += [
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "office general waste", "hazardous": "no",
             "quantity": round(rng.uniform(21, 27), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "paper and cardboard", "hazardous": "no",
             "quantity": round(rng.uniform(7.5, 10.5), 1), "unit": "t",
             "disposal": "recycling"},
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "kitchen food waste", "hazardous": "no",
             "quantity": round(rng.uniform(11, 14), 1), "unit": "t",
             "disposal": "composting"},
        ]
    waste.append({"project_id": hq, "period_start": PERIOD_START, "period_end": PERIOD_END,
                  "waste_type": "waste electrical and electronic equipment", "hazardous": "yes",
                  "quantity": 1380, "unit": "kg", "disposal": "recycling"})
    waste.append({"project_id": hq, "period_start": PERIOD_START, "period_end": PERIOD_END,
                  "waste_type": "spent toner cartridges and fluorescent tubes",
                  "hazardous": "yes", "quantity": 215, "unit": "kg",
                  "disposal": "other_disposal"})

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Refrigerants": [{"project_id": hq, "period_start": PERIOD_START,
                          "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 8.4,
                          "method": "screening"}],
        "Water": water,
        "Waste": waste,
        "GreenFinance": [{
            "instrument": "green_bond", "amount": 3_000_000_000, "currency": "CNY",
            "issue_date": dt.date(2023, 6, 15), "maturity_date": dt.date(2028, 6, 15),
            "use_of_proceeds": "Refinancing of the group's solar, wind and hydropower "
                               "projects held through Silk Road Energy",
            "standard": "China Green Bond Endorsed Projects Catalogue (2021 edition); "
                        "ICMA Green Bond Principles"}],
        "Targets": [
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": 2_950_000,
             "target_year": 2030, "target_reduction_pct": 20},
            {"metric": "water_withdrawal_m3", "base_year": 2022, "base_value": 371_000_000,
             "target_year": 2027, "target_reduction_pct": 10},
        ],
        "Subsidiaries": [
            {"entity_id": "SRE", "entity_name": "Silk Road Energy Co., Ltd.",
             "ownership_pct": 100, "operational_control": "yes", "financial_control": "yes"},
            {"entity_id": "SRI", "entity_name": "Silk Road Infrastructure Co., Ltd.",
             "ownership_pct": 70, "operational_control": "yes", "financial_control": "yes"},
        ],
        "FxRates": fx_rows(FX_RATES),
    }
    return org, sheets


# --- Silk Road Energy ----------------------------------------------------------------------
# (project, technology, capacity MW, capacity-factor range, auxiliary share, energy)
_PLANTS = [
    ("SRE-PK-SOL", "solar_pv", 200, (0.165, 0.235), 0.02),
    ("SRE-KZ-WND", "wind", 150, (0.29, 0.41), 0.02),
    ("SRE-LA-HYD", "hydro", 240, (0.38, 0.63), 0.01),
    ("SRE-ID-COAL", "coal_power", 700, (0.56, 0.69), 0.07),
    ("SRE-BD-GAS", "gas_power", 450, (0.50, 0.60), 0.03),
]
COAL_NCV_MJ_PER_KG = 22.6
COAL_NET_EFFICIENCY = 0.385
GAS_EFFICIENCY = 0.52
GJ_PER_MMBTU = 1.055056


def _seasonal_cf(ptype: str, month: int, lo: float, hi: float, rng: random.Random) -> float:
    """A capacity factor in [lo, hi] with the technology's season."""
    shape = {
        "solar_pv": [0.3, 0.45, 0.7, 0.9, 1.0, 0.95, 0.7, 0.65, 0.75, 0.65, 0.4, 0.25],
        "wind": [0.8, 0.85, 0.9, 0.7, 0.5, 0.3, 0.25, 0.3, 0.5, 0.7, 0.85, 0.9],
        "hydro": [0.2, 0.1, 0.05, 0.1, 0.3, 0.6, 0.9, 1.0, 0.95, 0.7, 0.45, 0.3],
    }.get(ptype)
    if shape is None:
        return rng.uniform(lo, hi)
    s = min(1.0, max(0.0, shape[month - 1] + rng.uniform(-0.08, 0.08)))
    return lo + (hi - lo) * s


def sre_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-SRE-2024")
    org = organization("SRE", "Silk Road Energy Co., Ltd.", "丝路能源有限公司", "CSIG",
                       21_300_000_000, 4_820, "Chen Jing", "hse@sre.example.com")
    projects = [
        project("SRE-PK-SOL", "Cholistan 200 MW Solar PV Power Plant", "乔利斯坦200兆瓦光伏电站",
                "PK", "energy", "solar_pv", "operation", 100, 200, dt.date(2019, 4, 15),
                dt.date(2020, 9, 30), dt.date(2018, 12, 10),
                "Punjab Environmental Protection Agency", "ifc_ps", 42.0, False, 29.2831,
                71.9475),
        project("SRE-KZ-WND", "Karatau 150 MW Wind Farm", "卡拉套150兆瓦风电场", "KAZ",
                "energy", "wind", "operation", 80, 150, dt.date(2020, 5, 4),
                dt.date(2021, 12, 20), dt.date(2020, 2, 14),
                "Ministry of Ecology and Natural Resources of Kazakhstan", "host_country", 18.5,
                False, 43.5712, 69.7538),
        project("SRE-LA-HYD", "Nam Phak 240 MW Hydropower Station", "南帕克240兆瓦水电站",
                "LAO", "energy", "hydro", "operation", 70, 240, dt.date(2016, 10, 3),
                dt.date(2021, 3, 15), dt.date(2016, 6, 30),
                "Ministry of Natural Resources and Environment, Lao PDR", "ifc_ps", 3.2, False,
                20.4127, 102.5846),
        project("SRE-ID-COAL", "Sulawesi 2×350 MW Coal-fired Power Plant",
                "苏拉威西2×350兆瓦燃煤电厂", "ID", "energy", "coal_power", "operation", 51, 700,
                dt.date(2015, 7, 1), dt.date(2018, 11, 28), dt.date(2015, 3, 16),
                "Ministry of Environment and Forestry (KLHK), Indonesia", "world_bank_ehs",
                35.0, False, -2.8316, 122.1489),
        project("SRE-BD-GAS", "Meghna 450 MW Combined-Cycle Gas Power Plant",
                "梅格纳450兆瓦燃气联合循环电站", "Bangladesh", "energy", "gas_power", "operation",
                100, 450, dt.date(2019, 2, 1), dt.date(2022, 1, 10), dt.date(2018, 9, 20),
                "Department of Environment, Bangladesh", "ifc_ps", 60.0, False, 23.6044,
                90.6012),
        project("SRE-UZ-TL", "Syrdarya–Tashkent 500 kV Transmission Line and Substation",
                "锡尔河—塔什干500千伏输变电工程", "UZ", "energy", "transmission", "operation",
                100, None, dt.date(2021, 3, 1), dt.date(2023, 6, 30), dt.date(2020, 12, 15),
                "Ministry of Ecology, Environmental Protection and Climate Change, Uzbekistan",
                "host_country", 12.0, False, 40.8342, 68.6617),
    ]

    generation: list[Row] = []
    gross_by: dict[str, list[float]] = {}
    for pid, ptype, cap, (lo, hi), aux in _PLANTS:
        gross_by[pid] = []
        for start, end in months():
            cf = _seasonal_cf(ptype, start.month, lo, hi, rng)
            gross = round(cap * hours(start, end) * cf, 1)
            gross_by[pid].append(gross)
            generation.append({"project_id": pid, "period_start": start, "period_end": end,
                               "technology": ptype, "gross_generation_mwh": gross,
                               "net_export_mwh": round(gross * (1 - aux), 1)})

    fuel: list[Row] = []
    coal = []
    for (start, end), gross in zip(months(), gross_by["SRE-ID-COAL"], strict=True):
        tonnes = gross * 3.6 / COAL_NET_EFFICIENCY / COAL_NCV_MJ_PER_KG
        coal.append({"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
                     "fuel": "bituminous_coal", "quantity": round(tonnes * rng.uniform(0.99,
                                                                                        1.01)),
                     "unit": "t", "use": "stationary", "data_quality": "metered"})
    fuel += with_refs(coal, "WB-SUL", rng)
    fuel += with_refs(monthly("SRE-ID-COAL", rng, 42_000, 0.2, fuel="diesel", unit="L",
                              use="stationary", data_quality="metered"), "PTM-HSD", rng)
    gas = []
    for (start, end), gross in zip(months(), gross_by["SRE-BD-GAS"], strict=True):
        mmbtu = gross * 3.6 / GAS_EFFICIENCY / 0.9 / GJ_PER_MMBTU
        gas.append({"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
                    "fuel": "natural_gas", "quantity": round(mmbtu * rng.uniform(0.99, 1.01)),
                    "unit": "MMBtu", "use": "stationary", "data_quality": "invoice"})
    fuel += with_refs(gas, "TGTDCL-INV", rng)
    fuel += with_refs(monthly("SRE-PK-SOL", rng, 1850, 0.15, fuel="diesel", unit="L",
                              use="mobile", data_quality="invoice"), "PSO-FC", rng)
    fuel += with_refs(monthly("SRE-KZ-WND", rng, 1240, 0.15, fuel="gasoline", unit="L",
                              use="mobile", data_quality="invoice"), "KMG-FC", rng)
    fuel += with_refs(monthly("SRE-UZ-TL", rng, 930, 0.15, fuel="diesel", unit="L",
                              use="mobile", data_quality="invoice"), "UNG-FC", rng)
    hydro_genset = [{"project_id": "SRE-LA-HYD", "period_start": s, "period_end": e,
                     "fuel": "diesel", "quantity": rng.randint(1800, 2600), "unit": "L",
                     "use": "stationary", "data_quality": "estimated"} for s, e in quarters()]
    fuel += with_refs(hydro_genset, "NPH-GEN-LOG", rng)

    electricity: list[Row] = []
    for pid, supplier, base, unit, grid in [
        ("SRE-PK-SOL", "Multan Electric Power Company (MEPCO)", 118, "MWh", None),
        ("SRE-KZ-WND", "KEGOC", 74, "MWh", "KZ"),
        ("SRE-ID-COAL", "PT PLN (Persero)", 640, "MWh", None),
        ("SRE-UZ-TL", "Regional Electric Networks JSC", 46_500, "kWh", "UZB"),
    ]:
        rows = monthly(pid, rng, base, 0.25, decimals=1 if unit == "MWh" else 0,
                       energy_type="electricity", unit=unit, grid_country=grid,
                       supplier=supplier, instrument="none")
        electricity += with_refs(rows, f"{pid.split('-')[1]}-EB", rng)

    water: list[Row] = []
    for start, end in months():
        sea_ml = round(rng.uniform(55_000, 62_000))
        water += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "sea", "quantity": sea_ml, "unit": "ML"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "ground", "quantity": rng.randint(36_000, 44_000),
             "unit": "m3"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "sea", "quantity": round(sea_ml * 0.995),
             "unit": "ML", "treated": "yes"},
        ]
        gas_w = rng.randint(610_000, 690_000)
        water += [
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "surface", "quantity": gas_w, "unit": "m3"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "surface", "quantity": int(gas_w * 0.27),
             "unit": "m3", "treated": "yes"},
        ]
        water.append({"project_id": "SRE-PK-SOL", "period_start": start, "period_end": end,
                      "flow": "withdrawal", "source": "ground",
                      "quantity": rng.randint(2200, 2900), "unit": "m3"})
        hyd_w = rng.randint(1100, 1350)
        water += [
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "surface", "quantity": hyd_w, "unit": "m3"},
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "surface", "quantity": int(hyd_w * 0.8),
             "unit": "m3", "treated": "yes"},
        ]

    waste: list[Row] = []
    for (start, end), coal_row in zip(months(), coal, strict=True):
        t = coal_row["quantity"]
        waste += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "fly ash", "hazardous": "no",
             "quantity": round(t * 0.048 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "recycling"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "bottom ash and slag", "hazardous": "no",
             "quantity": round(t * 0.012 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "landfill"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "FGD gypsum", "hazardous": "no",
             "quantity": round(t * 0.019 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "recycling"},
        ]
    for start, end in quarters():
        waste += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating and hydraulic oil", "hazardous": "yes",
             "quantity": round(rng.uniform(6, 9), 2), "unit": "t",
             "disposal": "recovery_other"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating oil", "hazardous": "yes",
             "quantity": round(rng.uniform(1.8, 2.6), 2), "unit": "t",
             "disposal": "incineration_energy_recovery"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "waste_type": "general plant waste", "hazardous": "no",
             "quantity": round(rng.uniform(30, 42), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "waste_type": "driftwood and debris from intake trash racks", "hazardous": "no",
             "quantity": round(rng.uniform(40, 120)), "unit": "t", "disposal": "composting"},
        ]
    waste += [
        {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "spent ion-exchange resin", "hazardous": "yes", "quantity": 2400,
         "unit": "kg", "disposal": "incineration"},
        {"project_id": "SRE-PK-SOL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "damaged PV modules", "hazardous": "no", "quantity": 18.4, "unit": "t",
         "disposal": "recycling"},
        {"project_id": "SRE-PK-SOL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "waste transformer oil", "hazardous": "yes", "quantity": 620,
         "unit": "kg", "disposal": "incineration"},
        {"project_id": "SRE-KZ-WND", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "waste gearbox oil", "hazardous": "yes", "quantity": 3.2, "unit": "t",
         "disposal": "recovery_other"},
    ]

    pollutants: list[Row] = []
    coal_std = "Indonesia MoEF Regulation P.15/2019 (thermal power plant emission standards)"
    for (start, end), coal_row in zip(months(), coal, strict=True):
        t = coal_row["quantity"]
        august = start.month == 8
        pollutants += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "SO2", "quantity_t": round(t * 0.00096 * (1.35 if august else 1), 1),
             "limit_exceedances": 2 if august else 0, "standard": coal_std},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "NOx", "quantity_t": round(t * 0.0016 * rng.uniform(0.95, 1.05), 1),
             "limit_exceedances": 0, "standard": coal_std},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "PM", "quantity_t": round(t * 0.00009 * rng.uniform(0.9, 1.1), 2),
             "limit_exceedances": 0, "standard": coal_std},
        ]
    for row in gas:
        pollutants.append({
            "project_id": "SRE-BD-GAS", "period_start": row["period_start"],
            "period_end": row["period_end"], "pollutant": "NOx",
            "quantity_t": round(row["quantity"] * 0.000021, 1), "limit_exceedances": 0,
            "standard": "Bangladesh Environment Conservation Rules 2023, Schedule 2"})

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Generation": generation,
        "Refrigerants": [
            {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "SF6", "quantity_kg": 3.6,
             "method": "mass_balance"},
            {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 22.0,
             "method": "mass_balance"},
            {"project_id": "SRE-UZ-TL", "period_start": PERIOD_START, "period_end": PERIOD_END,
             "gas": "SF6", "quantity_kg": 11.2, "method": "mass_balance"},
            {"project_id": "SRE-BD-GAS", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 14.5,
             "method": "screening"},
        ],
        "Water": water,
        "Waste": waste,
        "Pollutants": pollutants,
        "Incidents": [
            {"project_id": "SRE-ID-COAL", "date": dt.date(2024, 3, 14), "type": "spill",
             "severity": "minor",
             "description": "About 0.4 m3 of hydraulic oil leaked from a coal-yard "
                            "stacker-reclaimer onto paved ground; contained with absorbents, "
                            "no release to drains or sea.",
             "status": "closed",
             "corrective_action": "Hose replaced; hydraulic hoses added to the monthly "
                                  "inspection list."},
            {"project_id": "SRE-ID-COAL", "date": dt.date(2024, 8, 21), "type": "exceedance",
             "severity": "moderate",
             "description": "Hourly SO2 above the permit limit on two days while an FGD "
                            "absorber recirculation pump was out of service.",
             "status": "closed",
             "corrective_action": "Standby pump repaired; unit load limited automatically "
                                  "when an absorber pump trips."},
            {"project_id": "SRE-ID-COAL", "date": dt.date(2024, 10, 8), "type": "penalty",
             "severity": "moderate",
             "description": "Administrative fine from the provincial environment agency for "
                            "the August SO2 exceedance.",
             "fine_amount": 250_000_000, "currency": "IDR", "status": "closed",
             "corrective_action": "Fine paid; root-cause report submitted to the agency."},
            {"project_id": "SRE-LA-HYD", "date": dt.date(2024, 6, 12), "type": "biodiversity",
             "severity": "minor",
             "description": "Fish stranded in the tailrace channel after a rapid turbine "
                            "shutdown.",
             "status": "closed",
             "corrective_action": "Ramp-down rate limited; fish rescue procedure added."},
        ],
        "Mitigation": [
            {"project_id": "SRE-ID-COAL",
             "action": "Wet limestone-gypsum flue-gas desulphurisation (FGD) upgrade",
             "category": "pollution_control", "status": "completed",
             "investment": 42_000_000, "currency": "USD",
             "completion_date": dt.date(2022, 11, 30)},
            {"project_id": "SRE-ID-COAL",
             "action": "Turbine flow-path and boiler efficiency retrofit (heat rate -9 g/kWh)",
             "category": "energy_efficiency", "status": "completed",
             "annual_reduction_tco2e": 78_000, "investment": 18_500_000, "currency": "USD",
             "completion_date": dt.date(2023, 9, 30)},
            {"project_id": "SRE-ID-COAL",
             "action": "Biomass co-firing (5 % palm kernel shell by energy)",
             "category": "fuel_switch", "status": "planned", "annual_reduction_tco2e": 96_000,
             "investment": 6_200_000, "currency": "USD",
             "completion_date": dt.date(2026, 6, 30)},
            {"project_id": "SRE-BD-GAS", "action": "Inlet-air chilling and HRSG tuning",
             "category": "energy_efficiency", "status": "in_progress",
             "annual_reduction_tco2e": 21_000, "investment": 820_000_000, "currency": "BDT",
             "completion_date": dt.date(2025, 6, 30)},
            {"project_id": "SRE-PK-SOL", "action": "Robotic waterless module cleaning",
             "category": "other", "status": "in_progress", "investment": 1_150_000,
             "currency": "USD", "completion_date": dt.date(2025, 3, 31)},
        ],
        "GreenFinance": [
            {"instrument": "green_loan", "amount": 150_000_000, "currency": "USD",
             "issue_date": dt.date(2022, 3, 1), "maturity_date": dt.date(2034, 3, 1),
             "use_of_proceeds": "Refinancing of the construction of Nam Phak hydropower "
                                "station",
             "project_ids": "SRE-LA-HYD", "standard": "LMA/APLMA Green Loan Principles"},
            {"instrument": "green_bond", "amount": 1_200_000_000, "currency": "CNY",
             "issue_date": dt.date(2024, 4, 18), "maturity_date": dt.date(2027, 4, 18),
             "use_of_proceeds": "Solar and wind power generation",
             "project_ids": "SRE-PK-SOL,SRE-KZ-WND",
             "standard": "China Green Bond Principles (2022)"},
        ],
        "Factors": [
            {"factor_type": "ncv", "key": "bituminous_coal", "value": COAL_NCV_MJ_PER_KG,
             "unit": "MJ/kg", "year": 2024,
             "source": "Sulawesi plant: weighted average as-received NCV of the 48 coal "
                       "shipments of 2024, laboratory certificates SCI-MKS-2024-C-0001 to "
                       "-0048 (ISO 1928)"},
        ],
        "Targets": [
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": 2_750_000,
             "target_year": 2030, "target_reduction_pct": 15},
        ],
        "FxRates": fx_rows(["USD", "EUR", "IDR", "BDT", "PKR", "KZT"]),
    }
    return org, sheets


# --- Silk Road Infrastructure --------------------------------------------------------------
def sri_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-SRI-2024")
    org = organization("SRI", "Silk Road Infrastructure Co., Ltd.", "丝路基础设施有限公司",
                       "CSIG", 34_700_000_000, 9_310, "Liu Yang", "hse@sri.example.com")
    projects = [
        project("SRI-KE-RAIL", "Naivasha–Kisumu Standard Gauge Railway (operation)",
                "内瓦沙—基苏木标准轨距铁路（运营）", "Kenya", "transport", "railway",
                "operation", 100, None, dt.date(2019, 10, 1), dt.date(2022, 11, 15),
                dt.date(2019, 7, 25), "National Environment Management Authority (NEMA), Kenya",
                "ifc_ps", 8.5, False, -0.7167, 36.4333),
        project("SRI-LK-PORT", "Galle Bay Container Terminal", "加勒湾集装箱码头", "Sri Lanka",
                "transport", "port", "operation", 85, None, dt.date(2018, 5, 2),
                dt.date(2021, 8, 1), dt.date(2018, 1, 22),
                "Central Environmental Authority, Sri Lanka", "ifc_ps", 14.0, False, 6.0329,
                80.2168),
        project("SRI-EG-PARK", "Ain Sokhna Sino-Egyptian Industrial Park, Phase III",
                "苏赫纳中埃产业园三期", "EG", "infrastructure", "industrial_park", "operation", 60,
                None, dt.date(2019, 9, 1), dt.date(2022, 4, 1), dt.date(2019, 5, 12),
                "Egyptian Environmental Affairs Agency (EEAA)", "host_country", 45.0, True,
                29.6205, 32.3347),
        project("SRI-RS-ROAD", "Šumadija Expressway, Section 2", "舒马迪亚高速公路第二标段",
                "Serbia", "transport", "road", "construction", 100, None, dt.date(2023, 4, 3),
                None, dt.date(2023, 1, 20),
                "Ministry of Environmental Protection of the Republic of Serbia", "eu", 6.8,
                False, 44.0128, 20.9114),
    ]

    fuel: list[Row] = []
    fuel += with_refs(monthly("SRI-KE-RAIL", rng, 640_000, 0.08, fuel="diesel", unit="L",
                              use="offroad", data_quality="invoice"), "KPC-INV", rng)
    rail_gasoline = monthly("SRI-KE-RAIL", rng, 3500, 0.12, fuel="gasoline", unit="L",
                            use="mobile", data_quality="invoice")
    fuel += with_refs(rail_gasoline, "TOTAL-KE-FC", rng)
    fuel += with_refs(monthly("SRI-LK-PORT", rng, 178_000, 0.1, fuel="diesel", unit="L",
                              use="offroad", data_quality="metered"), "CPC-LK", rng)
    fuel += with_refs(monthly("SRI-LK-PORT", rng, 610, 0.1, fuel="lpg", unit="kg",
                              use="stationary", data_quality="invoice"), "LAUGFS", rng)
    fuel += with_refs(monthly("SRI-EG-PARK", rng, 850_000, 0.1, fuel="natural_gas",
                              unit="m3", use="stationary", data_quality="metered"),
                      "EGAS-MTR", rng)
    road = monthly("SRI-RS-ROAD", rng, 245_000, 0.12, fuel="diesel", unit="L",
                   use="offroad", data_quality="invoice")
    for row in road[:2]:  # winter shutdown: lower site activity
        row["quantity"] = int(row["quantity"] * 0.55)
    fuel += with_refs(road, "NIS-INV", rng)
    road_gasoline = monthly("SRI-RS-ROAD", rng, 4100, 0.12, fuel="gasoline", unit="L",
                            use="mobile", data_quality="invoice")
    for row in road_gasoline[-3:]:  # fuel cards of a subcontractor: invoices outstanding
        row["data_quality"] = "estimated"
    fuel += with_refs(road_gasoline, "NIS-FC", rng)
    for row in rail_gasoline[-2:]:
        row["data_quality"] = "estimated"

    electricity: list[Row] = []
    rail = monthly("SRI-KE-RAIL", rng, 905_000, 0.07, energy_type="electricity", unit="kWh",
                   supplier="Kenya Power and Lighting Company (KPLC)", instrument="none")
    for row in rail[6:]:  # I-RECs from geothermal bought for the second half-year
        row["instrument"] = "i_rec"
        row["instrument_quantity"] = int(row["quantity"] * 0.5)
    electricity += with_refs(rail, "KPLC", rng)
    port = monthly("SRI-LK-PORT", rng, 2650, 0.09, decimals=1, energy_type="electricity",
                   unit="MWh", supplier="Ceylon Electricity Board (CEB)", instrument="none")
    for row in port[:6]:  # CEB published a supplier factor for the first half only
        row["supplier_factor_kg_per_kwh"] = 0.489
    electricity += with_refs(port, "CEB-GALLE", rng)
    electricity += with_refs(monthly(
        "SRI-EG-PARK", rng, 10_800, 0.1, decimals=1, energy_type="electricity", unit="MWh",
        grid_country="EGY", supplier="Egyptian Electricity Transmission Company (EETC)",
        instrument="none"), "EETC", rng)
    electricity += with_refs(monthly(
        "SRI-RS-ROAD", rng, 78_000, 0.15, energy_type="electricity", unit="kWh",
        grid_country="Serbia", supplier="Elektrodistribucija Srbije", instrument="none"),
        "EDS", rng)

    water: list[Row] = []
    for pid, w_src, w_base, d_dest, d_share, treated in [
        ("SRI-KE-RAIL", "ground", 9000, "third_party", 0.72, "yes"),
        ("SRI-LK-PORT", "third_party", 18_000, "sea", 0.66, "yes"),
        ("SRI-EG-PARK", "third_party", 210_000, "sea", 0.76, "yes"),
        ("SRI-RS-ROAD", "surface", 14_000, "surface", 0.18, "yes"),
    ]:
        for start, end in months():
            w = int(w_base * rng.uniform(0.9, 1.1))
            water += [
                {"project_id": pid, "period_start": start, "period_end": end,
                 "flow": "withdrawal", "source": w_src, "quantity": w, "unit": "m3"},
                {"project_id": pid, "period_start": start, "period_end": end,
                 "flow": "discharge", "source": d_dest, "quantity": int(w * d_share),
                 "unit": "m3", "treated": treated},
            ]

    waste: list[Row] = []
    for start, end in months():
        waste += [
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "excavated soil and rock", "hazardous": "no",
             "quantity": round(rng.uniform(18_000, 30_000)), "unit": "t", "disposal": "reuse"},
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "construction and demolition waste", "hazardous": "no",
             "quantity": round(rng.uniform(1200, 2000)), "unit": "t",
             "disposal": "recycling"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "wastewater treatment sludge", "hazardous": "yes",
             "quantity": round(rng.uniform(40, 60), 1), "unit": "t",
             "disposal": "incineration"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "general industrial waste", "hazardous": "no",
             "quantity": round(rng.uniform(300, 400), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "scrap metal", "hazardous": "no",
             "quantity": round(rng.uniform(120, 180), 1), "unit": "t", "disposal": "recycling"},
            {"project_id": "SRI-KE-RAIL", "period_start": start, "period_end": end,
             "waste_type": "station and depot general waste", "hazardous": "no",
             "quantity": round(rng.uniform(35, 50), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "general terminal waste", "hazardous": "no",
             "quantity": round(rng.uniform(20, 30), 1), "unit": "t", "disposal": "landfill"},
        ]
    for start, end in quarters():
        waste += [
            {"project_id": "SRI-KE-RAIL", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating oil", "hazardous": "yes",
             "quantity": round(rng.uniform(8, 12), 2), "unit": "t",
             "disposal": "recovery_other"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "waste oil and oily rags", "hazardous": "yes",
             "quantity": round(rng.uniform(2000, 3500)), "unit": "kg",
             "disposal": "incineration_energy_recovery"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "scrap metal", "hazardous": "no",
             "quantity": round(rng.uniform(25, 40), 1), "unit": "t", "disposal": "recycling"},
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "waste bitumen and contaminated absorbents", "hazardous": "yes",
             "quantity": round(rng.uniform(2, 4), 2), "unit": "t", "disposal": "incineration"},
        ]

    pollutants: list[Row] = []
    for start, end in months():
        pollutants += [
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "pollutant": "COD", "quantity_t": round(rng.uniform(7.5, 10.5), 2),
             "limit_exceedances": 0,
             "standard": "Egyptian Law 4/1994, executive regulations (Decree 1095/2011)"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "pollutant": "NH3-N", "quantity_t": round(rng.uniform(0.45, 0.8), 3),
             "limit_exceedances": 0,
             "standard": "Egyptian Law 4/1994, executive regulations (Decree 1095/2011)"},
        ]

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Refrigerants": [
            {"project_id": "SRI-KE-RAIL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 65.0,
             "method": "mass_balance"},
            *[{"project_id": "SRI-LK-PORT", "period_start": s, "period_end": e,
               "gas": "HFC-134a", "quantity_kg": round(rng.uniform(9, 15), 1),
               "method": "mass_balance"} for s, e in quarters()],
            {"project_id": "SRI-EG-PARK", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 30.5,
             "method": "screening"},
            {"project_id": "SRI-EG-PARK", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "SF6", "quantity_kg": 2.1,
             "method": "mass_balance"},
        ],
        "Water": water,
        "Waste": waste,
        "Pollutants": pollutants,
        "Incidents": [
            {"project_id": "SRI-RS-ROAD", "date": dt.date(2024, 5, 17), "type": "complaint",
             "severity": "minor",
             "description": "Residents of a village next to the haul road complained about "
                            "dust from trucks.",
             "status": "closed",
             "corrective_action": "Water bowser on the haul road twice a day; speed limit "
                                  "30 km/h near houses."},
            {"project_id": "SRI-KE-RAIL", "date": dt.date(2024, 9, 3), "type": "complaint",
             "severity": "minor",
             "description": "Noise from night-time freight trains reported by residents near "
                            "a level crossing.",
             "status": "open",
             "corrective_action": "Horn-use protocol under review with the community."},
            {"project_id": "SRI-LK-PORT", "date": dt.date(2024, 11, 2), "type": "spill",
             "severity": "minor",
             "description": "About 150 L of diesel spilled while refuelling a terminal "
                            "tractor; contained on the quay, none reached the sea.",
             "status": "closed",
             "corrective_action": "Drip trays and spill kits at every refuelling point."},
        ],
        "Mitigation": [
            {"project_id": "SRI-KE-RAIL",
             "action": "Automatic engine start-stop on locomotives (idle reduction)",
             "category": "energy_efficiency", "status": "completed",
             "annual_reduction_tco2e": 3_900, "investment": 2_300_000, "currency": "USD",
             "completion_date": dt.date(2024, 5, 31)},
            {"project_id": "SRI-EG-PARK",
             "action": "20 MWp rooftop solar on the park's standard factory buildings",
             "category": "renewable_energy", "status": "in_progress",
             "annual_reduction_tco2e": 17_500, "investment": 95_000_000, "currency": "CNY",
             "completion_date": dt.date(2025, 9, 30)},
            {"project_id": "SRI-LK-PORT",
             "action": "Electrification of rubber-tyred gantry cranes (E-RTG)",
             "category": "electrification", "status": "planned",
             "annual_reduction_tco2e": 6_800, "investment": 11_500_000, "currency": "USD",
             "completion_date": dt.date(2026, 12, 31)},
            {"project_id": "SRI-RS-ROAD", "action": "Warm-mix asphalt for all wearing courses",
             "category": "energy_efficiency", "status": "in_progress",
             "annual_reduction_tco2e": 1_200, "investment": 1_900_000, "currency": "EUR",
             "completion_date": dt.date(2025, 10, 31)},
            {"project_id": "SRI-RS-ROAD", "action": "Compensatory afforestation of 35 ha",
             "category": "afforestation", "status": "planned",
             "annual_reduction_tco2e": 250, "investment": 410_000, "currency": "EUR",
             "completion_date": dt.date(2026, 4, 30)},
        ],
        "GreenFinance": [
            {"instrument": "sustainability_linked_loan", "amount": 60_000_000,
             "currency": "EUR", "issue_date": dt.date(2023, 3, 15),
             "maturity_date": dt.date(2030, 3, 15),
             "use_of_proceeds": "Construction of Šumadija Expressway Section 2; margin linked "
                                "to the site's diesel intensity",
             "project_ids": "SRI-RS-ROAD",
             "standard": "LMA Sustainability-Linked Loan Principles"},
            {"instrument": "green_loan", "amount": 400_000_000, "currency": "CNY",
             "issue_date": dt.date(2024, 7, 1), "maturity_date": dt.date(2031, 7, 1),
             "use_of_proceeds": "Rooftop solar and wastewater treatment at Ain Sokhna",
             "project_ids": "SRI-EG-PARK",
             "standard": "Green Industry Guidance Catalogue (2019); LMA Green Loan Principles"},
        ],
        "Targets": [
            {"metric": "water_withdrawal_m3", "base_year": 2022, "base_value": 2_150_000,
             "target_year": 2027, "target_reduction_pct": 10},
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": 118_000,
             "target_year": 2030, "target_reduction_pct": 25},
        ],
        "FxRates": fx_rows(["USD", "EUR", "KES", "LKR", "EGP", "RSD"]),
    }
    return org, sheets


# --- the faulty workbook -------------------------------------------------------------------
KEEP = object()  # the fault is the row as written (nothing to overwrite)


@dataclass(frozen=True)
class Fault:
    """One deliberate fault: where it is, what is wrong, the finding it should produce."""

    sheet: str
    row: int  # Excel row; 1 = the header row
    field: str
    value: Any
    what: str
    code: str
    severity: str = "error"
    also: tuple[tuple[str, Any], ...] = ()  # other cells of the row that make it plausible


FAULTS: list[Fault] = [
    Fault("Projects", 7, "eia_approval_date", None,
          "eia_status is approved but eia_approval_date is blank", "eia-approval-date-missing"),
    Fault("Projects", 5, "project_id", "EA-RAIL-01",
          "project_id EA-RAIL-01 listed a second time (first at row 3)", "project-duplicate"),
    Fault("Projects", 6, "host_country", "Tanzanya", "misspelt, unknown country",
          "country-unknown"),
    Fault("Fuel", 1, "internal_note", "internal_note",
          "column internal_note is not part of the contract", "column-unknown", "warning"),
    Fault("Fuel", 7, "quantity", 245_000,
          "245 000 L in June, more than 10 × the median of the project's diesel rows",
          "value-outlier", "warning"),
    Fault("Fuel", 16, "quantity", -5_200, "negative quantity", "value-out-of-range"),
    Fault("Fuel", 18, "quantity", "=E17*2",
          "formula without a cached value (saved by openpyxl)", "formula-no-cached-value"),
    Fault("Fuel", 20, "period_end", dt.date(2024, 6, 30),
          "period_end 2024-06-30 before period_start 2024-07-01", "period-end-before-start"),
    Fault("Fuel", 22, "unit", "drums", "unit not known to the units registry (1 550 drums)",
          "unit-unknown", also=(("quantity", 1_550),)),
    Fault("Fuel", 27, "fuel", "HSD", "HSD (high-speed diesel) is not a fuel id of the library",
          "fuel-unknown"),
    Fault("Fuel", 29, "project_id", "EA-SOL-10", "project_id not on the Projects sheet",
          "project-unknown"),
    Fault("Fuel", 31, "unit", None, "required unit blank", "required-missing"),
    Fault("Fuel", 33, "period_start", dt.date(2023, 12, 1),
          "row for December 2023, outside the reporting period 2024",
          "period-outside-reporting",
          also=(("period_end", dt.date(2023, 12, 31)), ("source_ref", "KOL-INV-2023-12-40417"))),
    Fault("Fuel", 38, "quantity", KEEP, "row 38 repeats row 37 (same project, period, fuel, "
          "quantity)", "duplicate-row", "warning"),
    Fault("Electricity", 5, "unit", "kg", "a mass unit in an energy column",
          "unit-wrong-dimension"),
    Fault("Electricity", 9, "instrument_quantity", 900_000,
          "instrument_quantity 900 000 kWh above the row's quantity",
          "instrument-quantity-exceeds"),
    Fault("Generation", 2, "gross_generation_mwh", 40_000,
          "40 000 MWh in January from 50 MW (at most 50 × 744 = 37 200 MWh)",
          "generation-exceeds-capacity"),
    Fault("Refrigerants", 2, "quantity_kg", "12,5 t", "text in a number column",
          "not-a-number"),
    Fault("Waste", 1, "disposal", None, "required column disposal missing from the header",
          "column-missing"),
    Fault("Incidents", 2, "date", "2024-02-30", "text that is not a date (30 February)",
          "not-a-date"),
    Fault("Incidents", 3, "currency", "KSH",
          "KSH is not an ISO 4217 code (Kenyan shilling is KES)", "currency-unknown"),
]


def faulty_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]],
                               dict[str, list[str]]]:
    rng = random.Random("envreport-sample-faulty-2024")
    org = organization("SREA", "Silk Road East Africa Co., Ltd.", "丝路东非有限公司", None,
                       2_450_000_000, 1_240, "Otieno Achieng", "hse@srea.example.com")
    projects = [
        project("EA-SOL-01", "Garissa North 50 MW Solar PV Plant", "加里萨北50兆瓦光伏电站", "KE",
                "energy", "solar_pv", "operation", 100, 50, dt.date(2021, 2, 1),
                dt.date(2022, 3, 15), dt.date(2020, 10, 5),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 22.0,
                True, -0.4532, 39.6461),
        project("EA-RAIL-01", "Naivasha Inland Container Depot Rail Services",
                "内瓦沙内陆集装箱堆场铁路服务", "KEN", "transport", "railway", "operation", 100,
                None, dt.date(2019, 6, 1), dt.date(2021, 1, 10), dt.date(2019, 3, 18),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 9.0,
                False, -0.7172, 36.4310),
        project("EA-ROAD-02", "Addis–Adama Expressway Widening", "亚的斯—阿达玛高速公路拓宽工程",
                "ETH", "transport", "road", "construction", 100, None, dt.date(2024, 2, 1),
                None, dt.date(2023, 11, 30), "Ethiopian Environmental Protection Authority",
                "world_bank_ehs", 15.0, False, 8.8220, 38.9010),
        project("EA-RAIL-01", "Naivasha ICD Rail Siding Extension", "内瓦沙堆场铁路专用线延伸",
                "Kenya", "transport", "railway", "construction", 100, None,
                dt.date(2024, 5, 6), None, dt.date(2024, 3, 1),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 9.0,
                False, -0.7190, 36.4290),
        project("EA-PARK-03", "Dar es Salaam Logistics Park", "达累斯萨拉姆物流园",
                "Tanzania", "infrastructure", "industrial_park", "planning", 100, None,
                None, None, None, None, "host_country", 30.0, False, -6.8235, 39.2695),
    ]
    projects[4]["eia_status"] = "not_started"
    projects.append(project(
        "EA-WND-04", "Marsabit East 100 MW Wind Farm", "马萨比特东100兆瓦风电场", "Kenya",
        "energy", "wind", "construction", 100, 100, dt.date(2024, 9, 2), None,
        dt.date(2024, 6, 14), "National Environment Management Authority (NEMA), Kenya",
        "ifc_ps", 11.0, False, 2.3284, 37.9899))  # row 7: no activity rows yet

    fuel: list[Row] = []
    fuel += monthly("EA-ROAD-02", rng, 21_000, 0.08, fuel="diesel", unit="L", use="offroad",
                    data_quality="invoice")  # rows 2-13
    fuel += monthly("EA-RAIL-01", rng, 310_000, 0.06, fuel="diesel", unit="L",
                    use="offroad", data_quality="invoice")  # rows 14-25
    fuel += monthly("EA-SOL-01", rng, 820, 0.1, fuel="gasoline", unit="L", use="mobile",
                    data_quality="invoice")  # rows 26-37
    fuel.append(dict(fuel[-1]))  # row 38: a duplicate of row 37
    with_refs(fuel, "KOL-INV", rng)
    fuel[-1]["source_ref"] = fuel[-2]["source_ref"]
    fuel[0]["internal_note"] = "check with site accountant"

    electricity = monthly("EA-RAIL-01", rng, 760_000, 0.06, energy_type="electricity",
                          unit="kWh", supplier="Kenya Power and Lighting Company (KPLC)",
                          instrument="none")
    electricity[7]["instrument"] = "i_rec"  # row 9
    with_refs(electricity, "KPLC", rng)

    generation = []
    for start, end in months():
        gross = round(50 * hours(start, end) * rng.uniform(0.19, 0.23), 1)
        generation.append({"project_id": "EA-SOL-01", "period_start": start,
                           "period_end": end, "technology": "solar_pv",
                           "gross_generation_mwh": gross,
                           "net_export_mwh": round(gross * 0.98, 1)})

    water = []
    for start, end in months():
        w = rng.randint(7000, 9000)
        water += [
            {"project_id": "EA-RAIL-01", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "ground", "quantity": w, "unit": "m3"},
            {"project_id": "EA-RAIL-01", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "third_party", "quantity": int(w * 0.7),
             "unit": "m3", "treated": "yes"},
        ]

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Generation": generation,
        "Refrigerants": [
            {"project_id": "EA-RAIL-01", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 12.5,
             "method": "mass_balance"},
            {"project_id": "EA-RAIL-01", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 6.0,
             "method": "screening"},
        ],
        "Water": water,
        "Waste": [
            {"project_id": "EA-ROAD-02", "period_start": s, "period_end": e,
             "waste_type": "construction and demolition waste", "hazardous": "no",
             "quantity": round(rng.uniform(300, 500)), "unit": "t"} for s, e in quarters()
        ],
        "Incidents": [
            {"project_id": "EA-ROAD-02", "date": dt.date(2024, 2, 28), "type": "complaint",
             "severity": "minor", "description": "Dust from the haul road reported by a "
                                                 "roadside market.",
             "status": "closed", "corrective_action": "Daily watering of the haul road."},
            {"project_id": "EA-RAIL-01", "date": dt.date(2024, 7, 9), "type": "penalty",
             "severity": "minor",
             "description": "County fine for late renewal of the effluent discharge licence.",
             "fine_amount": 150_000, "currency": "KES", "status": "closed",
             "corrective_action": "Licence renewed; renewal dates added to the permit "
                                  "register."},
        ],
        "FxRates": fx_rows(["USD", "KES"]),
    }
    columns = {name: list(COLUMNS[name]) for name in sheets}
    columns["Fuel"].append("internal_note")
    columns["Waste"].remove("disposal")

    for fault in FAULTS:
        if fault.row == 1 or fault.value is KEEP:
            continue
        row = sheets[fault.sheet][fault.row - 2]
        row[fault.field] = fault.value
        row.update(fault.also)
    return org, sheets, columns


def fault_cell(fault: Fault, columns: dict[str, list[str]]) -> str:
    """The Excel cell a fault sits in (the header row's cell, or 'row 1' for a missing column)."""
    header = columns[fault.sheet]
    if fault.value is KEEP:
        return f"row {fault.row}"
    if fault.field not in header:
        return "row 1 (header)"
    return f"{get_column_letter(header.index(fault.field) + 1)}{fault.row}"


def faulty_readme(columns: dict[str, list[str]]) -> str:
    lines = [
        "# faulty_submission.xlsx — a workbook with deliberate faults",
        "",
        "A plausible single-entity submission (Silk Road East Africa Co., Ltd., `SREA`, 2024)",
        "with one deliberate fault per line below, each at a known cell. It is generated by",
        "`scripts/make_samples.py` from its `FAULTS` table, which also writes this file: edit",
        "the script, not this file. `faulty_submission.expected.json` (written by the lead from",
        "the validator) pins the findings the validator actually produces.",
        "",
        "Codes are those of `envreport/codes.py`. Each fault sits on a row of its own, and no",
        "activity row refers to a project whose Projects row is faulty, so that one fault gives",
        "one finding; a validator may still add consequences (the table lists the finding each",
        "fault is there to test).",
        "",
        "| # | sheet | cell | what is wrong | finding code | severity |",
        "|---|---|---|---|---|---|",
    ]
    for i, f in enumerate(FAULTS, 1):
        lines.append(f"| {i} | {f.sheet} | {fault_cell(f, columns)} | {f.what} | `{f.code}` "
                     f"| {f.severity} |")
    return "\n".join(lines) + "\n"


# --- writing -------------------------------------------------------------------------------
def write_workbook(path: Path, org: list[tuple[str, Any]], sheets: dict[str, list[Row]],
                   columns: dict[str, list[str]] | None = None) -> None:
    """Write one submission workbook: Organization first, then the table sheets."""
    columns = columns or COLUMNS
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "Organization"
    ws.append(["field", "value"])
    for field, value in org:
        ws.append([field, value])
        if isinstance(value, dt.date):
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    for cell in ws[1]:
        cell.font = bold
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 50

    for name in SHEET_ORDER[1:]:
        if name not in sheets:
            continue
        ws = wb.create_sheet(name)
        header = columns[name]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in sheets[name]:
            ws.append([row.get(field) for field in header])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for i, field in enumerate(header, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, len(field) + 2)
        ws.freeze_panes = "A2"

    wb.properties.creator = "envreport scripts/make_samples.py"
    wb.properties.title = "envreport sample submission"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member dates and the fixed modified time.

    openpyxl stamps ``modified`` with the time of saving and each zip member with the
    current time; both would make every re-run a different file.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, content)
    return out.getvalue()


_FILES_TABLE = [
    ("`group/parent.xlsx`",
     "China Silk Road Infrastructure Group Co., Ltd. (`CSIG`), the parent: Organization, its "
     "Beijing headquarters and vehicle fleet (Fuel, Electricity, Refrigerants, Water, Waste), "
     "a green bond, group Targets, the `Subsidiaries` roster (SRE 100 %, SRI 70 %) and "
     "`FxRates` to CNY"),
    ("`group/sre.xlsx`",
     "Silk Road Energy Co., Ltd. (`SRE`): solar (Pakistan), wind (Kazakhstan), hydro (Laos, "
     "3.2 km from a protected area), an existing coal plant (Indonesia, 51 %, in operation "
     "since 2018, with FGD and an efficiency retrofit), a combined-cycle gas plant "
     "(Bangladesh), a 500 kV line and substation (Uzbekistan); monthly Fuel, Generation, "
     "Water, Waste and Pollutants; a measured coal NCV in `Factors`; an IDR penalty"),
    ("`group/sri.xlsx`",
     "Silk Road Infrastructure Co., Ltd. (`SRI`): railway (Kenya, I-RECs in the second "
     "half-year), container terminal (Sri Lanka, supplier factor on some rows), industrial "
     "park (Egypt, water-stressed), expressway under construction (Serbia)"),
    ("`faulty/faulty_submission.xlsx`",
     "one workbook with deliberate faults at known cells; the table is in `faulty/README.md`"),
    ("`**/*.expected.json`",
     "the validator's expected output for a workbook, written by the lead from the validator"),
]

SAMPLES_README = (
    "# Sample inputs\n\n"
    "Sample submission workbooks (input contract: `shared/spec/workbook.md`), generated by\n"
    "`scripts/make_samples.py` (`.venv/bin/python scripts/make_samples.py`), which also writes\n"
    "this file. The script is deterministic: re-running it gives the same files. Edit the\n"
    "script, not the workbooks. Every company, project, figure, invoice number and exchange\n"
    "rate is illustrative sample data.\n\n"
    "| file | what it is |\n|---|---|\n"
    + "".join(f"| {name} | {what} |\n" for name, what in _FILES_TABLE)
    + "\n"
    "The three `group/` workbooks are one batch: reporting year 2024 (2024-01-01 to\n"
    "2024-12-31), reporting currency CNY, consolidation approach `equity_share`, GWP set AR6,\n"
    "11 projects in 11 host countries. Countries are written as ISO alpha-2 (`PK`), alpha-3\n"
    "(`KAZ`) or English short names (`Kenya`) on purpose: the contract accepts all three.\n"
    "Activity sheets hold one row per month (small streams per quarter or year); generation\n"
    "stays within each plant's capacity × hours, with capacity factors typical of the\n"
    "technology. The FX rates are rounded 2024 averages for illustration, not an\n"
    "authoritative rate source.\n"
)


def make_samples(out_dir: Path) -> list[Path]:
    """Write every sample workbook (and the generated READMEs) under ``out_dir``."""
    out_dir = Path(out_dir)
    written = []
    for name, build in [("parent", parent_workbook), ("sre", sre_workbook),
                        ("sri", sri_workbook)]:
        org, sheets = build()
        path = out_dir / "group" / f"{name}.xlsx"
        write_workbook(path, org, sheets)
        written.append(path)
    org, sheets, columns = faulty_workbook()
    path = out_dir / "faulty" / "faulty_submission.xlsx"
    write_workbook(path, org, sheets, columns)
    written.append(path)
    readme = out_dir / "faulty" / "README.md"
    readme.write_text(faulty_readme(columns), encoding="utf-8")
    written.append(readme)
    top = out_dir / "README.md"
    top.write_text(SAMPLES_README, encoding="utf-8")
    written.append(top)
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    for path in make_samples(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
