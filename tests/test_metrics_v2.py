"""The version 2 figures, against hand calculations (each shown in the test's comment).

GRI 302-1 terms with generation and exports, incidents counted once with their penalties,
fines in full under equity share, water pollutants under water, ozone-depleting substances
(GRI 305-6), water by quality and stress (303-3) and waste by on/off-site (306-4/306-5).
Conventions as in test_metrics.py: reporting year 2024, CNY, projects in China.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from metrics_support import fuel, organization, project, results_of, submission

from envreport.factors.library import load_library
from envreport.metrics import compute
from tests.conftest import sample_results, validate_file
from tests.workbooks import minimal, write_workbook

REL = 1e-9
EQUITY = organization(consolidation_approach="equity_share", revenue=1e9, employees=100)


# --- energy, GRI 302-1 and 302-3 --------------------------------------------------------------
def energy_submission():
    projects = [project("P1"),  # solar, 100 %
                project("P2", project_type="coal_power", ownership_pct=50.0),
                project("P3", project_type="wind")]
    return submission(
        projects, org=EQUITY,
        Fuel=[fuel(100_000, "GJ", "bituminous_coal", project_id="P2"),
              fuel(100, "GJ", "wood", project_id="P1")],
        Electricity=[{"project_id": "P1", "quantity": 100, "unit": "MWh",
                      "instrument": "i_rec", "instrument_quantity": 40}],
        Generation=[
            {"project_id": "P1", "technology": "solar_pv", "gross_generation_mwh": 1000,
             "net_export_mwh": 950},
            {"project_id": "P2", "technology": "coal_power", "gross_generation_mwh": 10_000,
             "net_export_mwh": 9_300},
            {"project_id": "P3", "technology": "wind", "gross_generation_mwh": 500}])


def test_gri_302_1_every_term_and_the_total():
    # fuel: coal 100 000 GJ × 50 % = 50 000; wood 100 (renewable fuel) → 50 100
    # purchased: 100 MWh × 3.6 = 360 GJ, of which 40 MWh under I-RECs = 144 GJ
    # self-generated non-fuel renewable: solar 1000 × 3.6 = 3600 + wind 500 × 3.6 = 1800 = 5400
    # sold: solar 950 × 3.6 = 3420; coal 9300 × 3.6 × 50 % = 16 740; wind blank → its gross
    #   500 × 3.6 = 1800 → 21 960, of which renewable 5220 and from gross 1800
    # total = 50 100 + 360 + 5400 − 21 960 = 33 900
    energy = results_of(energy_submission())["energy"]
    assert energy["fuel_gj"] == pytest.approx(50_100, rel=REL)
    assert energy["renewable_fuel_gj"] == pytest.approx(100, rel=REL)
    assert energy["non_renewable_fuel_gj"] == pytest.approx(50_000, rel=REL)
    assert energy["purchased_gj"] == pytest.approx(360, rel=REL)
    assert energy["purchased_renewable_gj"] == pytest.approx(144, rel=REL)
    assert energy["self_generated_renewable_gj"] == pytest.approx(5400, rel=REL)
    assert energy["sold_gj"] == pytest.approx(21_960, rel=REL)
    assert energy["sold_renewable_gj"] == pytest.approx(5220, rel=REL)
    assert energy["sold_from_gross_gj"] == pytest.approx(1800, rel=REL)
    assert energy["total_consumption_gj"] == pytest.approx(33_900, rel=REL)


def test_renewable_share_counts_certificates_apart_from_renewable_fuel():
    # renewable consumed = wood 100 + I-REC electricity 144 + own renewables 5400 − their
    # sales 5220 = 424 GJ; non-renewable 33 900 − 424 = 33 476; share 424 / 33 900
    energy = results_of(energy_submission())["energy"]
    assert energy["renewable_gj"] == pytest.approx(424, rel=REL)
    assert energy["non_renewable_gj"] == pytest.approx(33_476, rel=REL)
    assert energy["renewable_share_pct"] == pytest.approx(100 * 424 / 33_900, rel=REL)
    # certificates are not renewable *fuel*
    assert energy["renewable_fuel_gj"] == pytest.approx(100, rel=REL)


def test_energy_intensity_302_3_and_per_project_energy_add_up():
    # 33 900 GJ / (1e9 / 1e6) = 33.9 GJ per million; / 100 employees = 339 GJ
    # per project: P1 100 + 360 + 3600 − 3420 = 640; P2 50 000 − 16 740 = 33 260; P3 0
    results = results_of(energy_submission())
    assert results["energy"]["intensity"] == {"gj_per_million_revenue": pytest.approx(33.9),
                                              "gj_per_employee": pytest.approx(339.0)}
    by_project = {p["project_id"]: p["energy_gj"] for p in results["by_project"]}
    assert by_project == {"P1": pytest.approx(640), "P2": pytest.approx(33_260),
                          "P3": pytest.approx(0, abs=1e-9)}


def test_generation_alone_gives_its_own_use():
    # solar gross 1000, net 980 → consumed 1000 × 3.6 − 980 × 3.6 = 72 GJ, all renewable
    energy = results_of(submission(Generation=[{
        "project_id": "P1", "technology": "solar_pv", "gross_generation_mwh": 1000,
        "net_export_mwh": 980}]))["energy"]
    assert energy["total_consumption_gj"] == pytest.approx(72, rel=REL)
    assert energy["renewable_gj"] == pytest.approx(72, rel=REL)
    assert energy["fuel_gj"] is None
    assert energy["purchased_gj"] is None


# --- incidents and fines ---------------------------------------------------------------------
def incidents_submission():
    projects = [project("P1"), project("P2", ownership_pct=51.0),
                project("P4", ownership_pct=0.0)]
    rows = [
        {"project_id": "P2", "incident_id": "INC-1", "date": "2024-08-21",
         "type": "exceedance", "severity": "moderate", "description": "SO2 above limit",
         "corrective_action": "Pump repaired"},
        {"project_id": "P1", "incident_id": "INC-3", "date": "2024-03-01", "type": "spill",
         "severity": "minor"},
        {"project_id": "P2", "incident_id": "INC-2", "related_incident_id": "INC-1",
         "date": "2024-10-08", "type": "penalty", "severity": "moderate",
         "fine_amount": 100_000, "currency": "USD", "corrective_action": "Fine paid"},
        {"project_id": "P2", "related_incident_id": "INC-2", "date": "2024-11-02",
         "type": "penalty", "severity": "major", "fine_amount": 5_000},
        {"project_id": "P4", "incident_id": "INC-9", "date": "2024-05-05", "type": "spill",
         "severity": "major", "fine_amount": 1_000_000},
    ]
    rates = [{"currency": "USD", "rate_to_reporting_currency": 7.0, "source": "test"}]
    return submission(projects, org=EQUITY, Incidents=rows, FxRates=rates)


def test_a_penalty_is_counted_with_its_incident():
    # INC-1 (with its penalty INC-2 and the surcharge that names INC-2) and INC-3: 2
    # incidents; INC-9 is at a 0 % project, outside the boundary
    compliance = results_of(incidents_submission())["compliance"]
    assert compliance["incidents"] == 2
    # INC-1 is major: a row that belongs to it (the surcharge) says major
    assert compliance["major_incidents"] == 1


def test_fines_are_paid_in_full_never_scaled_by_the_share():
    # 100 000 USD × 7.0 = 700 000 + 5 000 CNY = 705 000 CNY, although P2 is held at 51 %
    # (scaled it would be 359 550); the 0 % project's fine is outside the boundary
    compliance = results_of(incidents_submission())["compliance"]
    assert compliance["fines"] == pytest.approx(705_000, rel=REL)


def test_the_incident_list_shows_each_incident_with_its_rows():
    listing = results_of(incidents_submission())["compliance"]["incident_list"]
    assert [(i["incident_id"], i["related_incident_id"], i["counted"], i["incident_row"])
            for i in listing] == [("INC-3", None, True, 3),
                                  ("INC-1", None, True, 2),
                                  ("INC-2", "INC-1", False, 2),
                                  (None, "INC-2", False, 2)]
    inc1 = listing[1]
    assert inc1["incident_fines_reporting_currency"] == pytest.approx(705_000, rel=REL)
    assert listing[0]["incident_fines_reporting_currency"] is None
    assert [i["fine_reporting_currency"] for i in listing] == [
        None, None, pytest.approx(700_000), pytest.approx(5_000)]
    assert listing[2]["corrective_action"] == "Fine paid"


def test_without_links_every_row_is_an_incident_as_in_version_1():
    rows = [{"project_id": "P1", "date": "2024-03-01", "type": "spill", "severity": "minor"},
            {"project_id": "P1", "date": "2024-04-01", "type": "penalty", "severity": "minor",
             "fine_amount": 10}]
    compliance = results_of(submission(Incidents=rows))["compliance"]
    assert compliance["incidents"] == 2
    assert compliance["fines"] == 10.0
    assert [i["counted"] for i in compliance["incident_list"]] == [True, True]


# --- pollutants, ODS, water and waste -------------------------------------------------------
def test_water_pollutants_sit_under_water_not_air():
    projects = [project("P1"), project("P2", ownership_pct=50.0)]
    rows = [{"project_id": "P1", "pollutant": "SO2", "quantity_t": 5},
            {"project_id": "P2", "pollutant": "COD", "quantity_t": 10},
            {"project_id": "P2", "pollutant": "NH3-N", "quantity_t": 1},
            {"project_id": "P1", "pollutant": "Hg", "quantity_t": 0.1}]
    r = results_of(submission(projects, org=EQUITY, Pollutants=rows))
    assert r["air_pollutants_t"] == {"SO2": 5.0}
    assert r["water"]["discharge_pollutants_t"] == {"COD": 5.0, "NH3-N": 0.5}
    assert r["other_pollutants_t"] == {"Hg": 0.1}
    assert r["pollutants_t"] == {"COD": 5.0, "Hg": 0.1, "NH3-N": 0.5, "SO2": 5.0}
    assert r["water"]["withdrawal_m3"] is None  # no Water sheet: withdrawal not reported


def test_ozone_depleting_substances_from_refrigerants():
    # R-22 = HCFC-22, ODP 0.055 (Montreal Protocol Annex C): 200 kg × 50 % = 100 kg
    # × 0.055 = 5.5 kg = 0.0055 t CFC-11 eq; HFC-134a has no ODP
    projects = [project("P1"), project("P2", ownership_pct=50.0)]
    rows = [{"project_id": "P2", "gas": "R-22", "quantity_kg": 200},
            {"project_id": "P1", "gas": "HFC-134a", "quantity_kg": 5}]
    ods = results_of(submission(projects, org=EQUITY, Refrigerants=rows))["ods"]
    assert ods["cfc11_eq_t"] == pytest.approx(0.0055, rel=REL)
    [entry] = ods["by_gas"]
    assert (entry["gas"], entry["released_kg"], entry["odp"]) == ("HCFC-22", 100.0, 0.055)
    assert "Montreal Protocol" in entry["source"]
    assert results_of(submission())["ods"] is None


def test_the_odp_library_knows_aliases_and_cites_the_protocol():
    library = load_library()
    assert library.odp("R-22").value == 0.055
    assert library.odp("hcfc141b").value == 0.11
    assert library.odp("Halon-1301").value == 10.0
    assert library.odp("HFC-134a") is None
    assert "Ozone Secretariat" in library.odp("CFC-11").source


def test_water_by_quality_and_withdrawal_in_stressed_areas():
    # P1 (stressed, 100 %): ground 1000 fresh, sea 500 other, discharge 300 fresh
    # P2 (50 %): surface 2000 with no quality → 1000 unspecified
    projects = [project("P1", water_stressed=True), project("P2", ownership_pct=50.0)]
    rows = [{"project_id": "P1", "flow": "withdrawal", "source": "ground", "quantity": 1000,
             "unit": "m3", "water_quality": "freshwater"},
            {"project_id": "P1", "flow": "withdrawal", "source": "sea", "quantity": 500,
             "unit": "m3", "water_quality": "other"},
            {"project_id": "P2", "flow": "withdrawal", "source": "surface", "quantity": 2000,
             "unit": "m3"},
            {"project_id": "P1", "flow": "discharge", "source": "surface", "quantity": 300,
             "unit": "m3", "water_quality": "freshwater"}]
    water = results_of(submission(projects, org=EQUITY, Water=rows))["water"]
    assert water["withdrawal_m3"] == 2500.0
    assert water["withdrawal_by_quality_m3"] == {"freshwater": 1000.0, "other": 500.0,
                                                 "unspecified": 1000.0}
    assert water["discharge_by_quality_m3"] == {"freshwater": 300.0, "other": 0.0}
    assert water["withdrawal_stressed_m3"] == 1500.0
    assert water["withdrawal_stressed_by_source_m3"] == {"ground": 1000.0, "sea": 500.0}
    assert water["withdrawal_stressed_by_quality_m3"] == {"freshwater": 1000.0, "other": 500.0}


def test_waste_diverted_and_disposed_by_location():
    rows = [{"project_id": "P1", "waste_type": "scrap", "hazardous": False, "quantity": 10,
             "unit": "t", "disposal": "recycling", "location": "offsite"},
            {"project_id": "P1", "waste_type": "sludge", "hazardous": True, "quantity": 5000,
             "unit": "kg", "disposal": "landfill", "location": "onsite"},
            {"project_id": "P1", "waste_type": "food", "hazardous": False, "quantity": 2,
             "unit": "t", "disposal": "composting"}]
    waste = results_of(submission(Waste=rows))["waste"]
    assert waste["diverted_by_location_t"] == {"onsite": 0.0, "offsite": 10.0,
                                               "unspecified": 2.0}
    assert waste["disposed_by_location_t"] == {"onsite": 5.0, "offsite": 0.0}
    assert waste["hazardous_disposed_by_location_t"] == {"onsite": 5.0, "offsite": 0.0}
    assert waste["hazardous_diverted_by_location_t"] == {"onsite": 0.0, "offsite": 0.0}
    assert (waste["hazardous_diverted_t"], waste["hazardous_disposed_t"]) == (0.0, 5.0)
    assert waste["by_disposal_t"] == {"composting": 2.0, "landfill": 5.0, "recycling": 10.0}


# --- statements and narrative ----------------------------------------------------------------
def test_statement_fields_and_narrative_reach_the_results():
    org = organization(report_status="final", assurance_level="limited",
                       assurance_provider="Audit & Co", assurance_standard="ISAE 3410",
                       recalculation_threshold_pct=10.0)
    rows = [{"topic": "coal_policy", "text": "No new coal.", "text_zh": "不新建煤电。"},
            {"topic": "governance", "text": "The board oversees.", "text_zh": None}]
    r = results_of(submission(org=org, Narrative=rows))
    o = r["organization"]
    assert (o["report_status"], o["assurance_level"], o["assurance_provider"],
            o["assurance_standard"], o["recalculation_threshold_pct"]) == (
        "final", "limited", "Audit & Co", "ISAE 3410", 10.0)
    assert r["narrative"] == [
        {"topic": "coal_policy", "text": "No new coal.", "text_zh": "不新建煤电。", "row": 2},
        {"topic": "governance", "text": "The board oversees.", "text_zh": None, "row": 3}]
    assert results_of(submission())["narrative"] is None


# --- the samples: the demo's figures as the issue describes them ----------------------------
def test_the_demo_counts_the_penalty_once_and_its_fine_in_full() -> None:
    # SRE: spill, SO2 exceedance (+ its penalty), fish stranding = 3 incidents; the fine
    # 250 000 000 IDR × 0.0004487 = 112 175 CNY in full, although the coal plant is 51 %
    results = sample_results()  # group/sre.xlsx, computed once per test process
    assert results["compliance"]["incidents"] == 3
    assert results["compliance"]["fines"] == pytest.approx(112_175, rel=REL)
    energy = results["energy"]
    assert energy["total_consumption_gj"] == pytest.approx(
        energy["fuel_gj"] + energy["purchased_gj"] + energy["self_generated_renewable_gj"]
        - energy["sold_gj"], rel=REL)
    assert energy["self_generated_renewable_gj"] > 5.3e6  # 5.36 PJ of own renewables
    assert energy["renewable_gj"] > 0
    assert results["ods"]["by_gas"][0]["gas"] == "HCFC-22"


# --- validation: a blank net export is asked for ---------------------------------------------
def test_a_blank_net_export_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    generation = [["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                  ["P1", "solar_pv", 5000, 4900],
                  ["P1", "solar_pv", 4000, None]]
    submission_ = validate_file(write_workbook(tmp_path / "wb.xlsx",
                                               minimal(Generation=generation)))
    assert submission_.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Generation", "D3", "net-export-missing", "warning"]]


def test_a_net_export_column_blank_in_every_row_is_one_warning_at_its_header(
        tmp_path: Path) -> None:
    generation = [["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                  ["P1", "solar_pv", 5000, None], ["P1", "solar_pv", 4000, None]]
    submission_ = validate_file(write_workbook(tmp_path / "wb.xlsx",
                                               minimal(Generation=generation)))
    [finding] = submission_.findings.items
    assert (finding.code, finding.row, finding.cell, finding.params) == (
        "net-export-missing", 1, "D1", {"rows": 2})


def test_without_the_net_export_column_one_warning_names_the_header(tmp_path: Path) -> None:
    generation = [["project_id", "technology", "gross_generation_mwh"],
                  ["P1", "solar_pv", 5000], ["P1", "solar_pv", 4000]]
    submission_ = validate_file(write_workbook(tmp_path / "wb.xlsx",
                                               minimal(Generation=generation)))
    [finding] = submission_.findings.items
    assert (finding.code, finding.row, finding.cell, finding.params) == (
        "net-export-missing", 1, None, {"rows": 2})


def test_electricity_sold_from_fuel_without_fuel_rows_is_an_error_at_the_sold_cell(
        tmp_path: Path) -> None:
    """A gas plant (P2) sells power but the Fuel sheet has no row for it: GRI 302-1 would
    subtract 9 300 MWh × 3.6 = 33 480 GJ sold from a consumption that never counted the gas
    (here nothing else: −33 480 GJ). Solar (P1) burns nothing and a plant with its fuel (P3)
    is fine; a blank export is taken as the gross, so that cell is named."""
    generation = [["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                  ["P1", "solar_pv", 5000, 4900],
                  ["P2", "gas_power", 10_000, 9_300],
                  ["P3", "coal_power", 8_000, 7_500],
                  ["P2", "gas_power", 2_000, None],
                  ["P2", "gas_power", 0, 0]]  # sold nothing: nothing subtracted
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P3", "bituminous_coal", 100_000, "GJ", "stationary"]]
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct"],
                ["P1", "Solar", "CN", "energy", "solar_pv", "operation", 100],
                ["P2", "Gas", "CN", "energy", "gas_power", "operation", 100],
                ["P3", "Coal", "CN", "energy", "coal_power", "operation", 100]]
    submission_ = validate_file(write_workbook(tmp_path / "wb.xlsx", minimal(
        Projects=projects, Fuel=fuel, Generation=generation)))
    missing = [f for f in submission_.findings.items if f.code == "generation-fuel-missing"]
    assert [(f.severity, f.sheet, f.cell, f.field, f.value) for f in missing] == [
        ("error", "Generation", "D3", "net_export_mwh", 9_300),
        ("error", "Generation", "C5", "gross_generation_mwh", 2_000)]
    assert missing[0].message() == (
        "P2 sells 9300 MWh from a gas_power plant, but the Fuel sheet has no row for P2: the "
        "energy consumed (GRI 302-1) would subtract electricity whose fuel it never counted, "
        "and can turn negative.")
    assert missing[0].hint().startswith("Add the fuel the plant burned to the Fuel sheet with "
                                        "project_id P2")
    assert "P2" in missing[0].message("zh")
    assert "燃料" in missing[0].message("zh")
    assert "“燃料燃烧”工作表" in missing[0].hint("zh")
    assert not submission_.valid


def test_a_plant_selling_more_than_its_fuel_holds_is_an_error_at_the_sold_cell(
        tmp_path: Path) -> None:
    """P4 (gas) sells 10 000 MWh = 36 000 GJ but its Fuel rows hold 12 000 + 8 000 = 20 000 GJ
    (a part of the year's gas): impossible, the fuel is incomplete. P3 (coal) sells 7 500 MWh
    = 27 000 GJ from 100 000 GJ of coal: fine. P5's blank export is taken as its gross
    (5 000 MWh = 18 000 GJ > 1 000 GJ), so its gross cell is named. P6 burns an unknown fuel:
    that row's own error says so, its balance is not judged."""
    generation = [["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                  ["P3", "coal_power", 8_000, 7_500],
                  ["P4", "gas_power", 6_000, 5_500],
                  ["P4", "gas_power", 5_000, 4_500],
                  ["P5", "oil_power", 5_000, None],
                  ["P6", "gas_power", 9_000, 8_000]]
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P3", "bituminous_coal", 100_000, "GJ", "stationary"],
            ["P4", "natural_gas", 12_000, "GJ", "stationary"],
            ["P4", "natural_gas", 8_000, "GJ", "stationary"],
            ["P5", "fuel_oil", 1_000, "GJ", "stationary"],
            ["P6", "moonshine", 5, "t", "stationary"]]
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct"],
                *[[pid, pid, "CN", "energy", kind, "operation", 100] for pid, kind in (
                    ("P3", "coal_power"), ("P4", "gas_power"), ("P5", "oil_power"),
                    ("P6", "gas_power"))]]
    submission_ = validate_file(write_workbook(tmp_path / "wb.xlsx", minimal(
        Projects=projects, Fuel=fuel, Generation=generation)))
    beyond = [f for f in submission_.findings.items if f.code == "generation-exceeds-fuel"]
    assert [(f.severity, f.sheet, f.cell, f.value, f.params) for f in beyond] == [
        ("error", "Generation", "D3", 5_500, {"project_id": "P4", "technology": "gas_power",
                                              "sold_gj": "36,000", "fuel_gj": "20,000"}),
        ("error", "Generation", "C5", 5_000, {"project_id": "P5", "technology": "oil_power",
                                              "sold_gj": "18,000", "fuel_gj": "1,000"})]
    assert beyond[0].message() == (
        "P4 sells 36,000 GJ of electricity from a gas_power plant, more than the 20,000 GJ of "
        "fuel on its Fuel rows: no plant makes more electricity than its fuel holds, so fuel "
        "is missing, and the energy consumed (GRI 302-1) would be understated.")
    assert beyond[0].message("zh").startswith("P4 的燃气发电项目售出36,000吉焦电量")
    assert "fuel-unknown" in {f.code for f in submission_.findings.items}
    assert "generation-fuel-missing" not in {f.code for f in submission_.findings.items}


# --- the same rules through a real workbook: read, validated, computed ---------------------
def test_a_workbook_with_generation_exports_and_a_penalty(tmp_path: Path) -> None:
    # Equity share. P1 solar (100 %), P2 coal (50 %), both in China.
    # Energy: coal 100 000 GJ × 50 % = 50 000; purchased 100 MWh = 360 GJ; solar 1 000 MWh
    # = 3 600 GJ generated, 950 MWh = 3 420 GJ sold; coal plant sold 9 300 MWh × 3.6 × 50 %
    # = 16 740 GJ → total 50 000 + 360 + 3 600 − 3 420 − 16 740 = 33 800 GJ.
    # Incidents: an exceedance at P2 and its penalty (USD 10 000 × 7.0 = 70 000 CNY, in full
    # although P2 is held at 50 %) = 1 incident, fines 70 000.
    organization = [["field", "value"], ["entity_id", "E2E"], ["organization_name", "E2E Co."],
                    ["reporting_period_start", "2024-01-01"],
                    ["reporting_period_end", "2024-12-31"], ["reporting_currency", "CNY"],
                    ["consolidation_approach", "equity_share"]]
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct", "eia_status", "eia_approval_date",
                 "installed_capacity_mw"],
                ["P1", "Solar", "CN", "energy", "solar_pv", "operation", 100, "approved",
                 "2019-05-01", 50],
                ["P2", "Coal", "CN", "energy", "coal_power", "operation", 50, "approved",
                 "2015-05-01", 600]]
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "bituminous_coal", 100_000, "GJ", "stationary"]]
    electricity = [["project_id", "quantity", "unit"], ["P1", 100, "MWh"]]
    generation = [["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                  ["P1", "solar_pv", 1000, 950], ["P2", "coal_power", 10_000, 9_300]]
    incidents = [["project_id", "incident_id", "related_incident_id", "date", "type",
                  "severity", "fine_amount", "currency"],
                 ["P2", "I-1", None, "2024-08-21", "exceedance", "moderate", None, None],
                 ["P2", "I-2", "I-1", "2024-10-08", "penalty", "moderate", 10_000, "USD"]]
    rates = [["currency", "rate_to_reporting_currency", "source"], ["USD", 7.0, "test"]]
    path = write_workbook(tmp_path / "e2e.xlsx", {
        "Organization": organization, "Projects": projects, "Fuel": fuel,
        "Electricity": electricity, "Generation": generation, "Incidents": incidents,
        "FxRates": rates})
    submission_ = validate_file(path)
    assert submission_.findings.flatten() == []
    results = compute(submission_).to_json_dict()
    energy = results["energy"]
    assert energy["fuel_gj"] == pytest.approx(50_000, rel=REL)
    assert energy["purchased_gj"] == pytest.approx(360, rel=REL)
    assert energy["self_generated_renewable_gj"] == pytest.approx(3_600, rel=REL)
    assert energy["sold_gj"] == pytest.approx(3_420 + 16_740, rel=REL)
    assert energy["total_consumption_gj"] == pytest.approx(33_800, rel=REL)
    assert energy["renewable_gj"] == pytest.approx(180, rel=REL)  # solar 3 600 − 3 420
    assert results["compliance"]["incidents"] == 1
    assert results["compliance"]["fines"] == pytest.approx(70_000, rel=REL)
