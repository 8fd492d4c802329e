"""The sample workbooks: generated deterministically, realistic, and true to the contract.

``scripts/make_samples.py`` writes ``sample_inputs/``; these tests run it into temporary
folders and check what it writes against the input contract (shared/spec/workbook.md) and the
plausibility rules of shared/spec/methods.md.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry
import pytest
from openpyxl import load_workbook

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GROUP = ("parent", "sre", "sri")

# The contract's columns per sheet (shared/spec/workbook.md); required ones first.
REQUIRED: dict[str, set[str]] = {
    "Projects": {"project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct", "eia_status"},
    "Fuel": {"project_id", "fuel", "quantity", "unit", "use"},
    "Electricity": {"project_id", "quantity", "unit"},
    "Generation": {"project_id", "technology", "gross_generation_mwh"},
    "Refrigerants": {"project_id", "gas", "quantity_kg"},
    "Water": {"project_id", "flow", "source", "quantity", "unit"},
    "Waste": {"project_id", "waste_type", "hazardous", "quantity", "unit", "disposal"},
    "Pollutants": {"project_id", "pollutant", "quantity_t"},
    "Incidents": {"project_id", "date", "type", "severity"},
    "Mitigation": {"project_id", "action", "category", "status"},
    "GreenFinance": {"instrument", "amount", "currency"},
    "Factors": {"factor_type", "key", "value", "unit", "source"},
    "Targets": {"metric", "base_year", "base_value", "target_year", "target_reduction_pct"},
    "Subsidiaries": {"entity_id", "ownership_pct"},
    "FxRates": {"currency", "rate_to_reporting_currency", "source"},
    "Narrative": {"topic", "text"},
}
PERIOD = {"period_start", "period_end"}
OPTIONAL: dict[str, set[str]] = {
    "Projects": {"project_name_zh", "operational_control", "financial_control",
                 "installed_capacity_mw", "construction_start", "operation_start",
                 "eia_approval_date", "eia_authority", "environmental_standard",
                 "protected_area_distance_km", "water_stressed", "latitude", "longitude",
                 "eia_authority_zh", "protected_area_name", "protected_area_name_zh",
                 "acquired_date"},
    "Fuel": PERIOD | {"data_quality", "source_ref"},
    "Electricity": PERIOD | {"energy_type", "grid_country", "supplier", "instrument",
                             "instrument_quantity", "instrument_factor_kg_per_kwh",
                             "supplier_factor_kg_per_kwh", "source_ref"},
    "Generation": PERIOD | {"net_export_mwh"},
    "Refrigerants": PERIOD | {"method"},
    "Water": PERIOD | {"treated", "water_quality"},
    "Waste": PERIOD | {"waste_type_zh", "location"},
    "Pollutants": PERIOD | {"limit_exceedances", "standard", "standard_zh"},
    "Incidents": {"description", "fine_amount", "currency", "status", "corrective_action",
                  "incident_id", "related_incident_id", "description_zh",
                  "corrective_action_zh"},
    "Mitigation": {"annual_reduction_tco2e", "investment", "currency", "completion_date",
                   "action_zh"},
    "GreenFinance": {"issue_date", "maturity_date", "use_of_proceeds", "project_ids",
                     "standard", "use_of_proceeds_zh", "standard_zh"},
    "Factors": {"gas", "year", "source_zh"},
    "Targets": set(),
    "Subsidiaries": {"entity_name", "operational_control", "financial_control",
                     "entity_name_zh"},
    "FxRates": {"source_zh"},
    "Narrative": {"text_zh"},
}
# Version 2 additions that every sample must use somewhere (the demo shows them).
V2_COLUMNS: dict[str, set[str]] = {
    "Projects": {"eia_authority_zh", "protected_area_name", "protected_area_name_zh"},
    "Water": {"water_quality"},
    "Waste": {"waste_type_zh", "location"},
    "Incidents": {"incident_id", "related_incident_id", "description_zh",
                  "corrective_action_zh"},
    "Narrative": {"topic", "text", "text_zh"},
}
ORG_REQUIRED = {"entity_id", "organization_name", "reporting_period_start",
                "reporting_period_end", "reporting_currency", "consolidation_approach"}
ORG_FIELDS = ORG_REQUIRED | {"organization_name_zh", "parent_entity_id", "gwp_set",
                             "base_year", "revenue", "employees", "report_languages",
                             "contact_name", "contact_name_zh", "contact_email",
                             "report_status", "assurance_provider_zh",
                             "publication_date", "assurance_level", "assurance_provider",
                             "assurance_standard", "recalculation_threshold_pct"}

ENUMS: dict[tuple[str, str], set[str]] = {
    ("Projects", "sector"): {"energy", "transport", "infrastructure", "manufacturing",
                             "mining", "oil_gas", "agriculture", "real_estate", "other"},
    ("Projects", "project_type"): {"solar_pv", "wind", "hydro", "biomass_power",
                                   "coal_power", "gas_power", "oil_power", "transmission",
                                   "railway", "road", "port", "airport", "industrial_park",
                                   "manufacturing", "mining", "oil_gas", "other"},
    ("Projects", "status"): {"planning", "construction", "operation", "decommissioned",
                             "divested"},
    ("Projects", "eia_status"): {"approved", "pending", "not_started", "not_required"},
    ("Projects", "environmental_standard"): {"host_country", "china", "ifc_ps",
                                             "world_bank_ehs", "eu", "other"},
    ("Fuel", "fuel"): {"natural_gas", "diesel", "gasoline", "fuel_oil", "lpg",
                       "jet_kerosene", "kerosene", "crude_oil", "naphtha", "bituminous_coal",
                       "sub_bituminous_coal", "lignite", "anthracite", "coking_coal",
                       "petroleum_coke", "coke", "peat", "wood", "charcoal", "biodiesel",
                       "bioethanol", "biogas", "landfill_gas"},
    ("Fuel", "use"): {"stationary", "mobile", "offroad"},
    ("Fuel", "data_quality"): {"metered", "invoice", "estimated"},
    ("Electricity", "energy_type"): {"electricity", "heat", "steam", "cooling"},
    ("Electricity", "instrument"): {"none", "rec", "i_rec", "go", "ppa", "green_tariff"},
    ("Refrigerants", "method"): {"mass_balance", "screening"},
    ("Water", "flow"): {"withdrawal", "discharge"},
    ("Water", "source"): {"surface", "ground", "sea", "produced", "third_party"},
    ("Waste", "disposal"): {"reuse", "recycling", "composting", "recovery_other",
                            "incineration_energy_recovery", "incineration", "landfill",
                            "other_disposal"},
    ("Pollutants", "pollutant"): {"SO2", "NOx", "PM", "PM10", "PM2.5", "VOC", "COD", "NH3-N"},
    ("Incidents", "type"): {"spill", "exceedance", "complaint", "penalty", "biodiversity",
                            "other"},
    ("Incidents", "severity"): {"minor", "moderate", "major"},
    ("Incidents", "status"): {"open", "closed"},
    ("Mitigation", "category"): {"energy_efficiency", "renewable_energy", "fuel_switch",
                                 "electrification", "methane_capture", "ccus",
                                 "pollution_control", "afforestation", "other"},
    ("Mitigation", "status"): {"planned", "in_progress", "completed"},
    ("GreenFinance", "instrument"): {"green_bond", "green_loan", "sustainability_linked_loan",
                                     "green_fund", "other"},
    ("Factors", "factor_type"): {"fuel", "ncv", "density", "grid", "refrigerant"},
    ("Water", "water_quality"): {"freshwater", "other"},
    ("Waste", "location"): {"onsite", "offsite"},
    ("Narrative", "topic"): {"governance", "strategy", "risk_management", "targets",
                             "consolidation", "base_year_policy", "coal_policy", "biodiversity",
                             "water", "assurance", "other"},
}
ACTIVITY_SHEETS = ("Fuel", "Electricity", "Generation", "Water", "Waste", "Pollutants")


make_samples_module = load_script("make_samples")


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in wb.worksheets}


def _tables(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(Organization fields, {sheet: rows as dicts}) of one workbook."""
    cells = _cells(path)
    org = {field: value for field, value in cells["Organization"][1:]}
    tables = {}
    for name, rows in cells.items():
        if name == "Organization":
            continue
        header = rows[0]
        tables[name] = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    return org, tables


def _alpha3(country: str) -> str:
    return pycountry.countries.lookup(country).alpha_3


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    make_samples_module.make_samples(out)
    return out


@pytest.fixture(scope="module")
def group(out_dir: Path) -> dict[str, tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]]:
    return {name: _tables(out_dir / "group" / f"{name}.xlsx") for name in GROUP}


def _xlsx(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*.xlsx"))


def test_generation_is_deterministic(out_dir: Path, tmp_path: Path) -> None:
    # the module's samples (no test writes into them) and a second generation of its own
    first, second = out_dir, tmp_path / "b"
    make_samples_module.make_samples(second)
    files = _xlsx(first)
    assert files == _xlsx(second)
    assert len(files) == 6  # group (3), faulty, history (2: the ledger demo)
    for rel in files:
        assert _cells(first / rel) == _cells(second / rel), rel
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    for readme in ("README.md", "faulty/README.md"):
        assert (first / readme).read_text() == (second / readme).read_text()


def test_committed_samples_are_up_to_date(out_dir: Path) -> None:
    committed = ROOT / "sample_inputs"
    for rel in _xlsx(out_dir):
        assert _cells(committed / rel) == _cells(out_dir / rel), (
            f"{rel} is stale: run .venv/bin/python scripts/make_samples.py")
    for readme in ("README.md", "faulty/README.md"):
        assert (committed / readme).read_text() == (out_dir / readme).read_text()


@pytest.mark.parametrize("name", GROUP)
def test_headers_are_the_contract_names(out_dir: Path, name: str) -> None:
    cells = _cells(out_dir / "group" / f"{name}.xlsx")
    assert cells["Organization"][0] == ("field", "value")
    org_fields = [row[0] for row in cells["Organization"][1:]]
    assert set(org_fields) <= ORG_FIELDS
    assert ORG_REQUIRED <= set(org_fields)
    assert len(org_fields) == len(set(org_fields))
    for sheet, rows in cells.items():
        if sheet == "Organization":
            continue
        header = set(rows[0])
        assert REQUIRED[sheet] <= header, sheet
        assert header <= REQUIRED[sheet] | OPTIONAL[sheet], sheet


def test_group_shape(group: dict) -> None:
    orgs = {name: org for name, (org, _) in group.items()}
    assert orgs["parent"]["entity_id"] == "CSIG"
    assert {orgs["sre"]["parent_entity_id"], orgs["sri"]["parent_entity_id"]} == {"CSIG"}
    roster = {row["entity_id"] for row in group["parent"][1]["Subsidiaries"]}
    assert roster == {orgs["sre"]["entity_id"], orgs["sri"]["entity_id"]}
    for org in orgs.values():
        assert org["reporting_period_start"] == dt.datetime(2024, 1, 1)
        assert org["reporting_period_end"] == dt.datetime(2024, 12, 31)
        assert org["reporting_currency"] == "CNY"
        assert org["consolidation_approach"] == "equity_share"
        assert org["gwp_set"] == "AR6"

    projects = [p for _, tables in group.values() for p in tables.get("Projects", [])]
    ids = [p["project_id"] for p in projects]
    assert len(ids) >= 10
    assert len(ids) == len(set(ids)), "a project in two submissions would be counted twice"
    countries = {_alpha3(p["host_country"]) for p in projects}
    assert len(countries) >= 6
    spellings = {len(p["host_country"]) for p in projects}
    assert {2, 3} <= spellings, "alpha-2 and alpha-3 codes both used"
    assert max(spellings) > 3, "English names used too"
    assert any(p["protected_area_distance_km"] < 5 for p in projects)
    assert any(p["water_stressed"] == "yes" for p in projects)
    assert any(p["status"] == "construction" for p in projects)
    coal = [p for p in projects if p["project_type"] == "coal_power"]
    assert coal
    for p in coal:  # an existing plant, not new coal power (spec/methods.md policy flags)
        assert p["status"] == "operation"
        assert p["construction_start"] < dt.datetime(2021, 9, 22)


def test_host_countries_have_grid_factors(group: dict) -> None:
    grid_csv = SHARED / "reference" / "grid_factors.csv"
    if not grid_csv.exists():
        pytest.skip("shared/reference is not next to the checkout")
    with grid_csv.open(encoding="utf-8") as f:
        known = {row["country_iso3"] for row in csv.DictReader(f)}
    for _, tables in group.values():
        for p in tables.get("Projects", []):
            assert _alpha3(p["host_country"]) in known, p["project_id"]


def test_every_contract_sheet_is_used(group: dict) -> None:
    used = {"Organization"}
    for _, tables in group.values():
        used |= {name for name, rows in tables.items() if rows}
    assert used == {"Organization", *REQUIRED}


def test_rows_follow_the_contract(group: dict) -> None:
    for name, (org, tables) in group.items():
        project_ids = {p["project_id"] for p in tables.get("Projects", [])}
        for sheet, rows in tables.items():
            for i, row in enumerate(rows, 2):
                where = f"{name} {sheet} row {i}"
                for field in REQUIRED[sheet]:
                    assert row[field] not in (None, ""), f"{where}: {field} blank"
                if "project_id" in row and sheet != "Projects":
                    assert row["project_id"] in project_ids, where
                for (enum_sheet, field), allowed in ENUMS.items():
                    if enum_sheet == sheet and row.get(field) is not None:
                        assert row[field] in allowed, f"{where}: {field}={row[field]!r}"
                if "period_start" in row and row["period_start"] is not None:
                    assert isinstance(row["period_start"], dt.datetime), where
                    assert isinstance(row["period_end"], dt.datetime), where
                    assert (org["reporting_period_start"] <= row["period_start"]
                            <= row["period_end"] <= org["reporting_period_end"]), where
                for field in ("quantity", "quantity_kg", "quantity_t", "gross_generation_mwh"):
                    if field in row:
                        assert isinstance(row[field], int | float), where
                        assert row[field] >= 0, where
        for p in tables.get("Projects", []):
            assert 0 <= p["ownership_pct"] <= 100
            if p["eia_status"] == "approved":
                assert isinstance(p["eia_approval_date"], dt.datetime)


def _months(rows: list[dict[str, Any]]) -> set[int]:
    return {row["period_start"].month for row in rows
            if row["period_end"] - row["period_start"] < dt.timedelta(days=31)}


def test_activity_sheets_are_monthly(group: dict) -> None:
    every_month = set(range(1, 13))
    for name, (_, tables) in group.items():
        for sheet in ("Fuel", "Electricity", "Water"):  # monthly in every workbook
            assert _months(tables[sheet]) == every_month, f"{name} {sheet}"
    for sheet in ACTIVITY_SHEETS:  # small streams may be quarterly or yearly
        months: set[int] = set()
        for _, tables in group.values():
            months |= _months(tables.get(sheet, []))
        assert months == every_month, sheet


def test_no_generation_above_capacity_times_hours(group: dict) -> None:
    ceilings = {"solar_pv": 0.35, "wind": 0.60, "hydro": 0.95, "coal_power": 0.95,
                "gas_power": 0.95}
    checked = 0
    for _, tables in group.values():
        capacity = {p["project_id"]: p["installed_capacity_mw"]
                    for p in tables.get("Projects", [])}
        for row in tables.get("Generation", []):
            hours = ((row["period_end"] - row["period_start"]).days + 1) * 24
            cap = capacity[row["project_id"]]
            assert cap, row["project_id"]
            assert row["gross_generation_mwh"] <= cap * hours
            assert row["gross_generation_mwh"] <= cap * hours * ceilings[row["technology"]]
            assert row["net_export_mwh"] <= row["gross_generation_mwh"]
            checked += 1
    assert checked >= 60


def test_estimated_share_below_20_percent(group: dict) -> None:
    for name, (_, tables) in group.items():
        rows = tables.get("Fuel", [])
        estimated = sum(row["data_quality"] == "estimated" for row in rows)
        assert estimated, f"{name}: some estimates make the sample realistic"
        assert estimated / len(rows) < 0.2, name


def test_withdrawal_exceeds_discharge(group: dict) -> None:
    to_m3 = {"m3": 1, "ML": 1000}
    for _, tables in group.values():
        totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for row in tables.get("Water", []):
            totals[row["project_id"]][row["flow"]] += row["quantity"] * to_m3[row["unit"]]
        for pid, flows in totals.items():
            assert flows["withdrawal"] > flows["discharge"], pid


def test_money_has_fx_rates(group: dict) -> None:
    for name, (org, tables) in group.items():
        rates = {row["currency"] for row in tables.get("FxRates", [])}
        for sheet in ("Incidents", "Mitigation", "GreenFinance"):
            for row in tables.get(sheet, []):
                currency = row.get("currency")
                if currency and currency != org["reporting_currency"]:
                    assert currency in rates, f"{name} {sheet}: {currency}"


def test_faulty_workbook_has_each_fault_at_its_cell(out_dir: Path) -> None:
    path = out_dir / "faulty" / "faulty_submission.xlsx"
    wb = load_workbook(path)
    readme = (out_dir / "faulty" / "README.md").read_text(encoding="utf-8")
    _, _, columns = make_samples_module.faulty_workbook()
    for fault in make_samples_module.FAULTS:
        cell = make_samples_module.fault_cell(fault, columns)
        assert f"| {fault.sheet} | {cell} |" in readme
        assert f"`{fault.code}`" in readme
        ws = wb[fault.sheet]
        header = [c.value for c in ws[1]]
        if fault.code == "column-missing":
            assert fault.field not in header
        elif fault.code == "column-unknown":
            assert fault.field in header
        elif fault.code == "duplicate-row":
            assert ([c.value for c in ws[fault.row]] == [c.value for c in ws[fault.row - 1]])
        else:
            expected = fault.value
            if isinstance(expected, dt.date):
                expected = dt.datetime.combine(expected, dt.time())
            assert ws[cell].value == expected, cell
    codes = {f.code for f in make_samples_module.FAULTS}
    assert len(codes) == len(make_samples_module.FAULTS)


def test_fault_codes_exist() -> None:
    codes = pytest.importorskip("envreport.codes")
    for fault in make_samples_module.FAULTS:
        assert fault.code in codes.CODES, fault.code
        assert codes.CODES[fault.code].severity == fault.severity, fault.code


def _validate(path: Path) -> list[Any]:
    reader = pytest.importorskip("envreport.io.reader")
    validation = pytest.importorskip("envreport.validate")
    return list(validation.validate(reader.read_workbook(path)).findings)


@pytest.mark.parametrize("name", GROUP)
def test_group_workbooks_validate_without_errors(out_dir: Path, name: str) -> None:
    findings = _validate(out_dir / "group" / f"{name}.xlsx")
    errors = [(f.sheet, f.cell, f.code) for f in findings if f.severity == "error"]
    assert errors == []


def test_validator_finds_every_documented_fault(out_dir: Path) -> None:
    findings = _validate(out_dir / "faulty" / "faulty_submission.xlsx")
    found = {(f.sheet, f.cell, f.code) for f in findings}
    found_by_sheet = {(f.sheet, f.code) for f in findings}
    _, _, columns = make_samples_module.faulty_workbook()
    for fault in make_samples_module.FAULTS:
        cell = make_samples_module.fault_cell(fault, columns)
        if cell.startswith("row"):  # header-row and whole-row faults: the sheet is enough
            assert (fault.sheet, fault.code) in found_by_sheet, fault
        else:
            assert (fault.sheet, cell, fault.code) in found, fault


# The topics the demo's Narrative must cover in both languages (issue 11).
NARRATIVE_TOPICS = {"governance", "strategy", "risk_management", "targets", "consolidation",
                    "base_year_policy", "coal_policy", "assurance"}


def test_every_free_text_has_its_chinese_text(group: dict) -> None:
    from envreport.schema.sheets import TRANSLATED_TEXT
    for name, (org, tables) in group.items():
        assert org["organization_name_zh"], name
        for sheet, pairs in TRANSLATED_TEXT.items():
            for i, row in enumerate(tables.get(sheet, []), 2):
                for text, text_zh in pairs.items():
                    if row.get(text):
                        zh = row.get(text_zh)
                        assert zh, f"{name} {sheet} row {i}: {text} has no {text_zh}"
                        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), zh


def test_the_version_2_columns_are_written_and_used(group: dict) -> None:
    for sheet, columns in V2_COLUMNS.items():
        for column in columns:
            used = [row[column] for _, tables in group.values()
                    for row in tables.get(sheet, []) if row.get(column) is not None]
            assert used, f"{sheet}.{column} is never filled"
    for name, (org, _) in group.items():
        assert org["report_status"] in ("draft", "final"), name
        assert org["assurance_level"] in ("none", "limited", "reasonable"), name
        assert org["recalculation_threshold_pct"] == 5, name
    statuses = {org["report_status"] for org, _ in group.values()}
    assert statuses == {"draft", "final"}, "a draft and a final report are both shown"


def test_every_generation_row_says_what_was_exported(group: dict) -> None:
    rows = [row for _, tables in group.values() for row in tables.get("Generation", [])]
    assert rows
    assert all(0 < row["net_export_mwh"] <= row["gross_generation_mwh"] for row in rows)


def test_the_demo_narrative_covers_every_topic_in_both_languages(group: dict) -> None:
    for name in ("parent", "sre"):
        rows = group[name][1]["Narrative"]
        assert {row["topic"] for row in rows} >= NARRATIVE_TOPICS, name
        assert all(row["text"] and row["text_zh"] for row in rows), name


def test_the_penalty_names_its_incident(group: dict) -> None:
    incidents = group["sre"][1]["Incidents"]
    by_id = {row["incident_id"]: row for row in incidents if row["incident_id"]}
    penalty = next(row for row in incidents if row["type"] == "penalty")
    assert penalty["fine_amount"] == 250_000_000
    assert penalty["currency"] == "IDR"
    assert by_id[penalty["related_incident_id"]]["type"] == "exceedance"
    assert by_id[penalty["related_incident_id"]]["date"] == dt.datetime(2024, 8, 21)
    for _, tables in group.values():
        ids = [row["incident_id"] for row in tables.get("Incidents", []) if row["incident_id"]]
        assert len(ids) == len(set(ids))


def _narrative(tables: dict[str, list[dict[str, Any]]], topic: str) -> tuple[str, str]:
    """The English and Chinese text of the Narrative rows on ``topic``, joined (SRE has two
    "strategy" rows)."""
    rows = [row for row in tables["Narrative"] if row["topic"] == topic]
    return " ".join(row["text"] for row in rows), "".join(row["text_zh"] for row in rows)


def test_the_group_base_year_narrative_says_which_projects_ran_all_2021(group: dict) -> None:
    """The Projects sheets: only three projects operated from before 1 January 2021 (the
    headquarters 2014, Cholistan September 2020, Sulawesi November 2018); three started in
    2021, three in 2022, one in 2023 and one is under construction. The parent's narrative
    said every project of today reported all of 2021."""
    projects = [p for _, tables in group.values() for p in tables["Projects"]]
    start = {p["project_id"]: p["operation_start"] for p in projects}
    whole_2021 = {pid for pid, day in start.items() if day and day <= dt.datetime(2021, 1, 1)}
    assert whole_2021 == {"CSIG-HQ-BJ", "SRE-PK-SOL", "SRE-ID-COAL"}
    by_year: dict[int, set[str]] = defaultdict(set)
    for pid, day in start.items():
        if day and day > dt.datetime(2021, 1, 1):
            by_year[day.year].add(pid)
    assert dict(by_year) == {2021: {"SRE-LA-HYD", "SRI-LK-PORT", "SRE-KZ-WND"},
                             2022: {"SRE-BD-GAS", "SRI-EG-PARK", "SRI-KE-RAIL"},
                             2023: {"SRE-UZ-TL"}}
    assert (start["SRE-LA-HYD"].month, start["SRI-LK-PORT"].month,
            start["SRE-KZ-WND"].month) == (3, 8, 12)
    assert {pid for pid, day in start.items() if day is None} == {"SRI-RS-ROAD"}

    en, zh = _narrative(group["parent"][1], "base_year_policy")
    assert "every project" not in en
    assert "每个项目" not in zh
    assert ("Of the projects the Group holds today, only the headquarters, the Cholistan solar "
            "plant and the Sulawesi coal plant operated throughout 2021; Nam Phak started "
            "operating in March 2021, the Galle Bay terminal in August and Karatau in "
            "December.") in en
    assert ("Meghna, Ain Sokhna and the Naivasha–Kisumu railway started in 2022, the "
            "Syrdarya–Tashkent line in 2023, and the Šumadija expressway is still under "
            "construction.") in en
    assert ("在集团目前持有的项目中，2021年全年运营的只有集团总部、乔利斯坦光伏电站和苏拉威西"
            "燃煤电厂") in zh
    assert "锡尔河—塔什干输变电工程于2023年投运，舒马迪亚高速公路仍在建设中" in zh
    en, zh = _narrative(group["sre"][1], "base_year_policy")
    assert "Nam Phak started operating in March 2021 and Karatau in December 2021" in en
    assert "南帕克电站于2021年3月投运，卡拉套风电场于2021年12月投运" in zh


def test_the_renewable_share_in_sre_narrative_is_its_generation_sheet(group: dict) -> None:
    """SRE's Generation sheet, 2024 gross MWh: solar 367,544.3, wind 480,817.6 (80 %), hydro
    1,051,371.9 (70 %), coal 3,890,907.0 (51 %), gas 2,174,379.6: renewables 1,899,733.8 of
    7,965,020.4 in full (23.9 %), 1,488,158.7 of 5,646,900.9 at the equity share (26.4 %).
    The narrative said "about a fifth"."""
    tables = group["sre"][1]
    share = {p["project_id"]: p["ownership_pct"] / 100 for p in tables["Projects"]}
    renewable = {"solar_pv", "wind", "hydro"}
    full = defaultdict(float)
    held = defaultdict(float)
    for row in tables["Generation"]:
        kind = "renewable" if row["technology"] in renewable else "fossil"
        full[kind] += row["gross_generation_mwh"]
        held[kind] += row["gross_generation_mwh"] * share[row["project_id"]]
    assert round(full["renewable"], 1) == 1_899_733.8
    assert round(full["renewable"] + full["fossil"], 1) == 7_965_020.4
    assert round(held["renewable"], 1) == 1_488_158.7
    assert round(held["renewable"] + held["fossil"], 1) == 5_646_900.9
    in_full = round(100 * full["renewable"] / (full["renewable"] + full["fossil"]))
    at_share = round(100 * held["renewable"] / (held["renewable"] + held["fossil"]))
    assert (in_full, at_share) == (24, 26)

    en, zh = _narrative(tables, "strategy")
    assert "a fifth" not in en
    assert "五分之一" not in zh
    assert ("Solar, wind and hydropower made about a quarter of its gross generation in 2024: "
            "26 % at its equity share, 24 % counting each plant in full.") in en
    assert "约占其总发电量的四分之一：按股权比例计为26%，按各电厂全额计为24%" in zh
