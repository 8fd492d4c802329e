"""The results keys the report reads beyond contract v1's list, against hand calculations.

by_project's descriptive fields, ghg.monthly_tco2e, data_quality, mitigation.actions,
compliance.incident_list, and the Scope 1 source split with off-road machinery. Conventions
as in test_metrics.py: reporting year 2024 (366 days), AR6, operational control, one project
P1 in China in the energy sector unless a test says otherwise.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from metrics_support import fuel, organization, project, results_of, submission, table

from envreport.metrics import compute
from envreport.render.context import build_context

REL = 1e-9
MONTHS_2024 = [f"2024-{m:02d}" for m in range(1, 13)]
DAYS_2024 = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
# test_metrics.py's hand calculations for 1000 L diesel (tCO2e)
DIESEL_STATIONARY = 2.685637584
DIESEL_MOBILE = 2.7191468304
DIESEL_OFFROAD = 2.9629766964
SERIES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e")


def monthly(results, key):
    return [m[key] for m in results["ghg"]["monthly_tco2e"]]


def adds_up_exactly(parts, total):
    """The parts' decimal sum is the total, and fsum at the results' 12 digits is too."""
    decimal_sum = sum(Decimal(repr(p)) for p in parts)
    return (decimal_sum == Decimal(repr(total))
            and float(f"{math.fsum(parts):.12g}") == total)


# --- 1. by_project carries the project's descriptive fields -----------------------------------
def test_by_project_descriptive_fields():
    p = project(project_name_zh="光伏一期", eia_status="approved",
                eia_approval_date="2021-03-15", construction_start="2021-06-01",
                operation_start="2022-11-30", environmental_standard="ifc_ps",
                protected_area_distance_km=3.5, installed_capacity_mw=120.0,
                water_stressed=True, ownership_pct=60.0)
    entry = results_of(submission([p]))["by_project"][0]
    assert entry["project_name_zh"] == "光伏一期"
    assert entry["eia_status"] == "approved"
    assert entry["eia_approval_date"] == "2021-03-15"
    assert entry["construction_start"] == "2021-06-01"
    assert entry["operation_start"] == "2022-11-30"
    assert entry["environmental_standard"] == "ifc_ps"
    assert entry["protected_area_distance_km"] == 3.5
    assert entry["installed_capacity_mw"] == 120.0
    assert entry["water_stressed"] is True
    assert entry["ownership_pct"] == 60.0


def test_by_project_blank_descriptive_fields_are_null():
    p = project(eia_status="in_progress", eia_approval_date=None, construction_start=None,
                operation_start=None, environmental_standard=None, project_name_zh=None,
                protected_area_distance_km=None, installed_capacity_mw=None,
                water_stressed=None)
    entry = results_of(submission([p]))["by_project"][0]
    for key in ("eia_approval_date", "construction_start", "operation_start",
                "environmental_standard", "project_name_zh", "protected_area_distance_km",
                "installed_capacity_mw", "water_stressed"):
        assert entry[key] is None, key
    json.dumps(entry, allow_nan=False)  # no NaN, no Timestamp


def test_by_project_fields_absent_from_the_sheet_are_null():
    # a Projects table without the optional columns at all
    entry = results_of(submission())["by_project"][0]
    assert entry["installed_capacity_mw"] is None
    assert entry["eia_approval_date"] is None
    assert entry["water_stressed"] is None


def test_descriptive_fields_do_not_become_country_or_entity_sums():
    p1 = project("P1", installed_capacity_mw=100.0, protected_area_distance_km=2.0)
    p2 = project("P2", installed_capacity_mw=50.0, protected_area_distance_km=9.0)
    country = results_of(submission([p1, p2]))["by_country"][0]
    assert "installed_capacity_mw" not in country
    assert "protected_area_distance_km" not in country
    assert "ownership_pct" not in country


def test_report_context_reads_the_project_fields():
    # the policy-alignment table: EIA approved (2021-03-15) before construction (2021-06-01);
    # the biodiversity table: 3.5 km < 5 km; the annex: capacity
    before = project("P1", eia_approval_date="2021-03-15", construction_start="2021-06-01",
                     protected_area_distance_km=3.5, installed_capacity_mw=120.0,
                     environmental_standard="host_country")
    after = project("P2", eia_approval_date="2022-01-10", construction_start="2021-06-01",
                    protected_area_distance_km=12.0)
    ctx = build_context(compute(submission([before, after])), "en")
    rows = {p["project_id"]: p for p in ctx["projects"]}
    assert rows["P1"]["eia_before_construction"] == "Yes"
    assert rows["P2"]["eia_before_construction"] == "No"
    assert rows["P1"]["near_protected_area"] is True
    assert rows["P2"]["near_protected_area"] is False
    assert rows["P1"]["installed_capacity_mw"] == 120.0
    assert rows["P1"]["environmental_standard"] == "host_country"
    assert ctx["present"]["biodiversity"] is True


# --- 2. ghg.monthly_tco2e --------------------------------------------------------------------
def test_monthly_row_for_the_whole_year_is_spread_by_days():
    # no period columns: the row covers 2024-01-01..2024-12-31, 366 days;
    # January = 2.685637584 × 31/366 = 0.227472691…, February × 29/366, …
    r = results_of(submission(Fuel=[fuel(1000, "L")]))
    series = r["ghg"]["monthly_tco2e"]
    assert [m["month"] for m in series] == MONTHS_2024
    for got, days in zip(monthly(r, "scope1_tco2e"), DAYS_2024, strict=True):
        assert got == pytest.approx(DIESEL_STATIONARY * days / 366, rel=1e-10)
    assert adds_up_exactly(monthly(r, "scope1_tco2e"), r["ghg"]["scope1_tco2e"])
    # no Electricity sheet: Scope 2 is not reported, month by month too
    assert monthly(r, "scope2_location_tco2e") == [None] * 12
    assert monthly(r, "scope2_market_tco2e") == [None] * 12


def test_monthly_row_spanning_two_months():
    # 2024-01-16..2024-02-14 = 30 days: 16 in January, 14 in February
    # January 2.685637584 × 16/30 = 1.4323400448; February × 14/30 = 1.2532975392
    row = {**fuel(1000, "L"), "period_start": "2024-01-16", "period_end": "2024-02-14"}
    r = results_of(submission(Fuel=[row]))
    s1 = monthly(r, "scope1_tco2e")
    assert s1[0] == 1.4323400448
    assert s1[1] == 1.2532975392
    assert s1[2:] == [0.0] * 10
    assert s1[0] + s1[1] == r["ghg"]["scope1_tco2e"] == DIESEL_STATIONARY


def test_monthly_rows_of_single_months_and_scope2():
    # Fuel: 1000 L in March, 1000 L mobile in July. Electricity: 1000 MWh in May at the CHN
    # MEE 2023 factor 0.5306 kg/kWh = 530.6 t (location = market: no instrument, no supplier)
    fuel_rows = [{**fuel(1000, "L"), "period_start": "2024-03-01", "period_end": "2024-03-31"},
                 {**fuel(1000, "L", use="mobile"), "period_start": "2024-07-01",
                  "period_end": "2024-07-31"}]
    el = [{"project_id": "P1", "quantity": 1000, "unit": "MWh",
           "period_start": "2024-05-01", "period_end": "2024-05-31"}]
    r = results_of(submission(Fuel=fuel_rows, Electricity=el))
    s1 = monthly(r, "scope1_tco2e")
    assert s1[2] == DIESEL_STATIONARY
    assert s1[6] == DIESEL_MOBILE
    assert sum(x for i, x in enumerate(s1) if i not in (2, 6)) == 0.0
    for key in ("scope2_location_tco2e", "scope2_market_tco2e"):
        assert monthly(r, key) == [0.0] * 4 + [530.6] + [0.0] * 7


def test_monthly_is_after_the_consolidation_share():
    # equity share, P1 owned 40 %: 0.4 × 2.685637584 = 1.0742550336 in April
    org = organization(consolidation_approach="equity_share")
    row = {**fuel(1000, "L"), "period_start": "2024-04-01", "period_end": "2024-04-30"}
    r = results_of(submission([project(ownership_pct=40.0)], org=org, Fuel=[row]))
    assert monthly(r, "scope1_tco2e")[3] == 1.0742550336 == r["ghg"]["scope1_tco2e"]


def test_monthly_includes_fugitive_and_offroad_but_not_biogenic_or_other_gases():
    # June: 10 kg HFC-134a × 1530 = 15.3 t; off-road diesel 2.9629766964;
    # HCFC-22 (other gases) and wood's biogenic CO2 stay out of the months
    june = {"period_start": "2024-06-01", "period_end": "2024-06-30"}
    r = results_of(submission(
        Fuel=[{**fuel(1000, "L", use="offroad"), **june}, {**fuel(1, "t", "wood"), **june}],
        Refrigerants=[{"project_id": "P1", "gas": "HFC-134a", "quantity_kg": 10, **june},
                      {"project_id": "P1", "gas": "HCFC-22", "quantity_kg": 10, **june}]))
    june_s1 = monthly(r, "scope1_tco2e")[5]
    assert june_s1 == r["ghg"]["scope1_tco2e"]
    wood_nonco2 = r["ghg"]["scope1_tco2e"] - 15.3 - DIESEL_OFFROAD
    assert 0 < wood_nonco2 < 0.2  # wood's CH4 and N2O only, not its 1.75 t of biogenic CO2
    assert r["ghg"]["other_gases_tco2e"] > 0


def test_monthly_follows_a_reporting_period_that_is_not_a_calendar_year():
    org = organization(reporting_period_start=pd.Timestamp("2024-04-01").date(),
                       reporting_period_end=pd.Timestamp("2025-03-31").date())
    row = {**fuel(1000, "L"), "period_start": "2025-02-01", "period_end": "2025-02-28"}
    r = results_of(submission(org=org, Fuel=[row, fuel(1000, "L")]))
    series = r["ghg"]["monthly_tco2e"]
    assert [m["month"] for m in series] == [
        "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10",
        "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    # the blank-period row: 365 days (2025 is not a leap year); February 2025 has 28
    feb = DIESEL_STATIONARY + DIESEL_STATIONARY * 28 / 365
    assert series[10]["scope1_tco2e"] == pytest.approx(feb, rel=1e-10)
    assert adds_up_exactly(monthly(r, "scope1_tco2e"), r["ghg"]["scope1_tco2e"])


def test_monthly_period_outside_the_reporting_period_is_clipped_or_spread():
    # validation rejects such rows; metrics stays total-preserving if handed one:
    # 2023-12-17..2024-01-15 keeps its 15 January days; a 2023 row counts as the whole year
    straddling = {**fuel(1000, "L"), "period_start": "2023-12-17", "period_end": "2024-01-15"}
    before = {**fuel(1000, "L"), "period_start": "2023-05-01", "period_end": "2023-05-31"}
    r = results_of(submission(Fuel=[straddling]))
    assert monthly(r, "scope1_tco2e")[0] == DIESEL_STATIONARY
    r = results_of(submission(Fuel=[before]))
    assert monthly(r, "scope1_tco2e")[4] == pytest.approx(DIESEL_STATIONARY * 31 / 366,
                                                           rel=1e-10)


def test_monthly_is_null_without_emitting_rows():
    water = [{"project_id": "P1", "flow": "withdrawal", "source": "surface",
              "quantity": 10, "unit": "m3"}]
    assert results_of(submission(Water=water))["ghg"]["monthly_tco2e"] is None
    assert results_of(submission())["ghg"]["monthly_tco2e"] is None
    # biogenic CO2 alone is not an emission of the scopes, but wood's CH4/N2O are Scope 1
    assert results_of(submission(Fuel=[fuel(1, "t", "wood")]))["ghg"]["monthly_tco2e"] is not None


def test_monthly_only_scope2():
    el = [{"project_id": "P1", "quantity": 1000, "unit": "MWh"}]
    r = results_of(submission(Electricity=el))
    assert monthly(r, "scope1_tco2e") == [None] * 12
    # 530.6 t over 366 days: January 530.6 × 31/366 = 44.941530054…
    assert monthly(r, "scope2_location_tco2e")[0] == pytest.approx(530.6 * 31 / 366, rel=1e-10)
    assert adds_up_exactly(monthly(r, "scope2_location_tco2e"), 530.6)


def test_monthly_thirds_round_to_the_last_digit_and_add_up():
    # three projects' rows of one third each share every month: the months are rounded at
    # the total's 12th significant digit and still add up to the total exactly
    rows = [{**fuel(1000 / 3, "L"), "period_start": f"2024-{m:02d}-01",
             "period_end": f"2024-{m:02d}-{d:02d}"}
            for m, d in zip(range(1, 13), DAYS_2024, strict=True) for _ in range(3)]
    rows += [fuel(777.7, "L", use="offroad")]
    r = results_of(submission(Fuel=rows))
    total = r["ghg"]["scope1_tco2e"]
    s1 = monthly(r, "scope1_tco2e")
    assert adds_up_exactly(s1, total)
    assert all(len(repr(x).replace(".", "").lstrip("0")) <= 12 for x in s1)


@st.composite
def period_rows(draw):
    start = draw(st.integers(0, 365))
    end = draw(st.integers(start, 365))
    first = pd.Timestamp("2024-01-01")
    return {"project_id": draw(st.sampled_from(["P1", "P2"])),
            "period_start": first + pd.Timedelta(days=start),
            "period_end": first + pd.Timedelta(days=end)}


@given(st.lists(st.tuples(period_rows(), st.floats(1e-3, 1e6),
                          st.sampled_from(["stationary", "mobile", "offroad"])),
                min_size=1, max_size=8),
       st.lists(st.tuples(period_rows(), st.floats(1e-3, 1e6)), min_size=0, max_size=4),
       st.one_of(st.just(0.0), st.floats(0.01, 100.0)))
def test_monthly_adds_up_to_the_annual_totals(fuels, electricity, p2_pct):
    projects = [project("P1", ownership_pct=100.0),
                project("P2", host_country="KEN", ownership_pct=p2_pct)]
    sheets = {"Fuel": [{**fuel(q, "L", use=use, project_id=p["project_id"]), **p}
                       for p, q, use in fuels]}
    if electricity:
        sheets["Electricity"] = [{**p, "quantity": q, "unit": "kWh"} for p, q in electricity]
    r = results_of(submission(projects, org=organization(consolidation_approach="equity_share"),
                           **sheets))
    series = r["ghg"]["monthly_tco2e"]
    assert [m["month"] for m in series] == MONTHS_2024
    for key in SERIES:
        total = r["ghg"][key]
        if total is None:
            assert monthly(r, key) == [None] * 12
            continue
        parts = monthly(r, key)
        assert all(x >= 0 for x in parts)
        assert adds_up_exactly(parts, total)
        assert math.fsum(parts) == pytest.approx(total, rel=1e-15)


def test_two_computes_give_identical_json():
    rows = [{**fuel(1000 + i, "L", use=u), "period_start": f"2024-{m:02d}-05",
             "period_end": f"2024-{m + 1:02d}-20", "data_quality": q}
            for i, (m, u, q) in enumerate([(1, "stationary", "estimated"), (3, "mobile", None),
                                           (6, "offroad", "metered"), (10, "stationary", None)])]
    el = [{"project_id": "P1", "quantity": 12, "unit": "MWh", "period_start": "2024-02-10",
           "period_end": "2024-08-31", "data_quality": "invoice"}]
    mit = [{"project_id": "P1", "action": "LED", "category": "energy_efficiency",
            "status": "completed", "annual_reduction_tco2e": 3.0,
            "completion_date": "2024-05-01"}]
    inc = [{"project_id": "P1", "date": "2024-03-02", "type": "spill", "severity": "minor"}]

    def dump():
        sub = submission(Fuel=rows, Electricity=el, Mitigation=mit, Incidents=inc)
        return json.dumps(results_of(sub), ensure_ascii=False, allow_nan=False)

    assert dump() == dump()


def test_shuffled_rows_give_the_same_months():
    rows = [{**fuel(100 * (i + 1), "L"), "period_start": f"2024-{i + 1:02d}-03",
             "period_end": f"2024-{i + 2:02d}-11"} for i in range(10)]
    frame = table(rows)
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a = results_of(submission(Fuel=frame))["ghg"]["monthly_tco2e"]
    b = results_of(submission(Fuel=shuffled))["ghg"]["monthly_tco2e"]
    assert a == b


# --- 3. data_quality -------------------------------------------------------------------------
def test_data_quality_estimated_share_by_sheet():
    # Fuel 4 rows, 1 estimated (25 %); Electricity 1 row, estimated (100 %); Water 5 rows,
    # none (0 %); Waste absent. Overall 2 / 10 = 20 %.
    fuels = [{**fuel(1, "L"), "data_quality": q}
             for q in ("estimated", "metered", "invoice", None)]
    el = [{"project_id": "P1", "quantity": 1, "unit": "MWh", "data_quality": "estimated"}]
    water = [{"project_id": "P1", "flow": "withdrawal", "source": "surface",
              "quantity": 1, "unit": "m3", "data_quality": "metered"}] * 5
    dq = results_of(submission(Fuel=fuels, Electricity=el, Water=water))["data_quality"]
    assert dq["estimated_share_pct"] == 20.0
    assert dq["by_sheet"] == {
        "Fuel": {"rows": 4, "estimated": 1, "share_pct": 25.0},
        "Electricity": {"rows": 1, "estimated": 1, "share_pct": 100.0},
        "Water": {"rows": 5, "estimated": 0, "share_pct": 0.0},
    }


def test_data_quality_without_the_column_counts_no_estimate():
    # a sheet without data_quality at all: its rows count, none as estimated;
    # 1 of 3 rows estimated overall = 33.3333333333 %
    waste = [{"project_id": "P1", "waste_type": "scrap", "hazardous": False, "quantity": 1,
              "unit": "t", "disposal": "recycling"}] * 2
    fuels = [{**fuel(1, "L"), "data_quality": "estimated"}]
    dq = results_of(submission(Fuel=fuels, Waste=waste))["data_quality"]
    assert dq["by_sheet"]["Waste"] == {"rows": 2, "estimated": 0, "share_pct": 0.0}
    assert dq["estimated_share_pct"] == 33.3333333333


def test_data_quality_reads_an_estimate_whatever_its_case_and_spaces():
    # each distinct text is tested once and the rows counted by it: 3 of 6 rows estimated
    fuels = [{**fuel(1, "L"), "data_quality": q}
             for q in (" Estimated ", "ESTIMATED", "estimated", None, "metered", "estimate")]
    dq = results_of(submission(Fuel=fuels))["data_quality"]
    assert dq["by_sheet"] == {"Fuel": {"rows": 6, "estimated": 3, "share_pct": 50.0}}


def test_data_quality_is_null_without_activity_rows():
    refrigerants = [{"project_id": "P1", "gas": "HFC-134a", "quantity_kg": 1}]
    assert results_of(submission())["data_quality"] is None
    assert results_of(submission(Refrigerants=refrigerants))["data_quality"] is None


def test_report_context_reads_the_estimated_share():
    fuels = [{**fuel(1, "L"), "data_quality": q} for q in ("estimated", "metered")]
    ctx = build_context(compute(submission(Fuel=fuels)), "en")
    assert ctx["data_quality"]["estimated_share_pct"] == 50.0


# --- 4. mitigation.actions and compliance.incident_list --------------------------------------
def _boundary():
    """Equity share: P1 60 %, P2 100 %, P0 at 0 % (outside the boundary)."""
    return ([project("P2", ownership_pct=100.0), project("P1", ownership_pct=60.0),
             project("P0", ownership_pct=0.0)],
            organization(consolidation_approach="equity_share"))


def test_mitigation_actions_listed_by_project_then_row_inside_the_boundary():
    projects, org = _boundary()
    mit = [
        {"project_id": "P2", "action": "Solar rooftop", "category": "renewable_energy",
         "status": "completed", "annual_reduction_tco2e": 120.0, "investment": 50000.0,
         "currency": "USD", "completion_date": "2024-06-30"},
        {"project_id": "P1", "action": "VFD pumps", "category": "energy_efficiency",
         "status": "in_progress", "annual_reduction_tco2e": 30.0, "investment": None,
         "currency": None, "completion_date": None},
        {"project_id": "P0", "action": "Outside", "category": "other", "status": "completed",
         "annual_reduction_tco2e": 999.0},
        {"project_id": "P1", "action": "LED", "category": "energy_efficiency",
         "status": "completed", "annual_reduction_tco2e": 10.0, "investment": 2000.0,
         "currency": "CNY", "completion_date": "2024-02-01"},
    ]
    r = results_of(submission(projects, org=org, Mitigation=mit))
    actions = r["mitigation"]["actions"]
    # rows 2..5: P1 rows 3 and 5, then P2 row 2; P0 (0 %) left out
    assert [(a["project_id"], a["row"]) for a in actions] == [("P1", 3), ("P1", 5), ("P2", 2)]
    assert actions[0] == {
        "project_id": "P1", "row": 3, "action": "VFD pumps", "action_zh": None,
        "category": "energy_efficiency", "status": "in_progress",
        "annual_reduction_tco2e": 30.0, "investment": None,
        "currency": "CNY", "completion_date": None, "consolidation_share": 0.6}
    assert actions[2]["completion_date"] == "2024-06-30"
    assert actions[2]["currency"] == "USD"
    assert actions[2]["investment"] == 50000.0
    # the total counts completed actions after the share: 0.6 × 10 + 1.0 × 120 = 126
    assert r["mitigation"]["actions_reduction_tco2e"] == 126.0


def test_mitigation_actions_null_without_rows_and_empty_outside_the_boundary():
    projects, org = _boundary()
    assert results_of(submission(projects, org=org))["mitigation"]["actions"] is None
    only_outside = [{"project_id": "P0", "action": "x", "category": "other",
                     "status": "planned"}]
    r = results_of(submission(projects, org=org, Mitigation=only_outside))
    assert r["mitigation"]["actions"] == []


def test_incident_list_by_date_then_row_with_fines_in_reporting_currency():
    projects, org = _boundary()
    inc = [
        {"project_id": "P2", "date": "2024-05-03", "type": "spill", "severity": "major",
         "description": "Diesel spill", "fine_amount": 1000.0, "currency": "USD",
         "status": "closed", "corrective_action": "Bund rebuilt"},
        {"project_id": "P1", "date": "2024-02-10", "type": "complaint", "severity": "minor",
         "description": None, "fine_amount": None, "currency": None, "status": "open",
         "corrective_action": None},
        {"project_id": "P0", "date": "2024-01-01", "type": "penalty", "severity": "major",
         "fine_amount": 5.0},
        {"project_id": "P1", "date": "2024-05-03", "type": "penalty", "severity": "moderate",
         "fine_amount": 200.0, "currency": None},
    ]
    fx = [{"currency": "USD", "rate_to_reporting_currency": 7.1}]
    r = results_of(submission(projects, org=org, Incidents=inc, FxRates=fx))
    lst = r["compliance"]["incident_list"]
    # 2024-02-10 (row 3), then 2024-05-03 rows 2 and 5; P0 (0 %) left out
    assert [(i["date"], i["row"]) for i in lst] == [
        ("2024-02-10", 3), ("2024-05-03", 2), ("2024-05-03", 5)]
    assert lst[1] == {
        "project_id": "P2", "row": 2, "incident_id": None, "related_incident_id": None,
        "counted": True, "incident_row": 2, "date": "2024-05-03", "type": "spill",
        "severity": "major", "description": "Diesel spill", "description_zh": None,
        "fine_amount": 1000.0, "currency": "USD", "fine_reporting_currency": 7100.0,
        "incident_fines_reporting_currency": 7100.0, "consolidation_share": 1.0,
        "status": "closed", "corrective_action": "Bund rebuilt", "corrective_action_zh": None}
    assert lst[0]["fine_amount"] is None
    assert lst[0]["fine_reporting_currency"] is None
    assert lst[0]["currency"] == "CNY"
    assert lst[2]["fine_reporting_currency"] == 200.0
    # counts unscaled inside the boundary; fines are money paid, in full, never scaled by
    # the share (contract version 2, issue 11): 7100 + 200 = 7300 (not 7100 + 0.6 × 200)
    assert r["compliance"]["incidents"] == 3
    assert r["compliance"]["major_incidents"] == 1
    assert r["compliance"]["fines"] == 7300.0
    assert r["compliance"]["fines"] == sum(i["fine_reporting_currency"] or 0.0 for i in lst)


def test_incident_list_null_without_rows():
    assert results_of(submission())["compliance"]["incident_list"] is None


def test_report_context_reads_actions_and_incidents():
    mit = [{"project_id": "P1", "action": "LED", "category": "energy_efficiency",
            "status": "completed", "annual_reduction_tco2e": 3.0}]
    inc = [{"project_id": "P1", "date": "2024-03-02", "type": "spill", "severity": "minor",
            "fine_amount": 50.0}]
    ctx = build_context(compute(submission(Mitigation=mit, Incidents=inc)), "en")
    assert ctx["mitigation"]["actions"][0]["reduction"] == 3.0
    assert ctx["compliance"]["list"][0]["date"] == "2024-03-02"
    assert ctx["compliance"]["list"][0]["fine"] == 50.0
    assert ctx["compliance"]["list"][0]["currency"] == "CNY"


# --- 5. Scope 1 sources add up, off-road inside mobile combustion ----------------------------
def test_scope1_categories_and_sources_add_up_with_offroad():
    # stationary 2.685637584 + mobile 2.7191468304 + off-road 2.9629766964
    # = 8.3677611108, + fugitive 10 kg HFC-134a × 1530 = 15.3 → Scope 1 = 23.6677611108
    r = results_of(submission(
        Fuel=[fuel(1000, "L"), fuel(1000, "L", use="mobile"), fuel(1000, "L", use="offroad")],
        Refrigerants=[{"project_id": "P1", "gas": "HFC-134a", "quantity_kg": 10}]))
    g = r["ghg"]
    assert g["scope1_tco2e"] == pytest.approx(23.6677611108, rel=REL)
    by_category: dict[str, float] = {}
    for c in r["calculations"]:
        if c["scope"] == "1":
            by_category[c["category"]] = by_category.get(c["category"], 0.0) + c["tco2e"]
    assert by_category == pytest.approx({
        "stationary_combustion": DIESEL_STATIONARY, "mobile_combustion": DIESEL_MOBILE,
        "offroad_combustion": DIESEL_OFFROAD, "fugitive": 15.3}, rel=REL)
    assert math.fsum(by_category.values()) == pytest.approx(g["scope1_tco2e"], rel=1e-12)
    src = g["scope1_by_source_tco2e"]
    assert set(src) == {"stationary_combustion", "mobile_combustion", "fugitive"}
    assert src["stationary_combustion"] == DIESEL_STATIONARY
    # off-road machinery is mobile combustion in the GHG Protocol's source categories
    assert src["mobile_combustion"] == pytest.approx(DIESEL_MOBILE + DIESEL_OFFROAD, rel=REL)
    assert src["fugitive"] == 15.3
    assert float(f"{math.fsum(src.values()):.12g}") == g["scope1_tco2e"]
    # and is disclosed on its own as a part of it, not added a second time
    assert g["scope1_offroad_tco2e"] == DIESEL_OFFROAD
    assert g["scope1_offroad_tco2e"] < src["mobile_combustion"]
    assert adds_up_exactly(monthly(r, "scope1_tco2e"), g["scope1_tco2e"])


def test_scope1_offroad_only_is_all_mobile():
    r = results_of(submission(Fuel=[fuel(1000, "L", use="offroad")]))
    g = r["ghg"]
    assert g["scope1_by_source_tco2e"] == {"stationary_combustion": 0.0,
                                           "mobile_combustion": DIESEL_OFFROAD,
                                           "fugitive": None}
    assert g["scope1_offroad_tco2e"] == g["scope1_tco2e"] == DIESEL_OFFROAD


def test_organization_carries_base_year_and_parent() -> None:
    from tests.conftest import sample_results

    results = sample_results()  # group/sre.xlsx, computed once per test process
    assert results["organization"]["base_year"] == 2021
    assert results["organization"]["parent_entity_id"] == "CSIG"
