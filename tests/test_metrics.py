"""metrics.compute against hand calculations (each shown in the test's comment).

Conventions: reporting year 2024, AR6, operational control, one project P1 in China in the
energy sector unless a test says otherwise. Figures in tCO2e unless named.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_support import fuel, organization, project, results_of, submission, trail_total

from envreport.validate.factor_checks import check_factors

REL = 1e-9


def s1(results):
    return results["ghg"]["scope1_tco2e"]


# --- the worked example and fuel families ---------------------------------------------------
def test_reference_worked_example_diesel_1000_litres_stationary():
    # reference/README.md: 1000 L × 0.84 kg/L = 0.00084 Gg × 43.0 TJ/Gg = 0.03612 TJ
    # CO2 0.03612 × 74100 = 2676.492 kg; CH4 0.03612 × 3 = 0.10836 kg × 29.8 = 3.229128
    # N2O 0.03612 × 0.6 = 0.021672 kg × 273 = 5.916456 → 2685.637584 kg = 2.6856 t
    r = results_of(submission(Fuel=[fuel(1000, "L")]))
    assert s1(r) == pytest.approx(2.685637584, rel=REL)
    assert round(s1(r), 4) == 2.6856
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(2.676492, rel=REL)
    assert r["ghg"]["scope1_by_gas_t"]["CH4"] == pytest.approx(0.00010836, rel=REL)
    assert r["energy"]["fuel_gj"] == pytest.approx(36.12, rel=REL)
    assert [c["gas"] for c in r["calculations"]] == ["CO2", "CH4", "N2O"]
    assert {c["input_unit"] for c in r["calculations"]} == {"L"}


def test_diesel_mobile_road():
    # road (Table 3.2.2) CH4 3.9, N2O 3.9 kg/TJ: 0.03612 TJ →
    # CH4 0.140868 kg × 29.8 = 4.1978664; N2O 0.140868 × 273 = 38.456964
    # 2676.492 + 4.1978664 + 38.456964 = 2719.1468304 kg (reference: "about 2,719")
    r = results_of(submission(Fuel=[fuel(1000, "L", use="mobile")]))
    assert s1(r) == pytest.approx(2.7191468304, rel=REL)
    assert r["ghg"]["scope1_by_source_tco2e"]["mobile_combustion"] == pytest.approx(s1(r))


def test_diesel_offroad():
    # off-road (Table 3.3.1) CH4 4.15, N2O 28.6 kg/TJ: CH4 0.149898 × 29.8 = 4.4669604;
    # N2O 1.033032 × 273 = 282.017736; total 2962.9766964 kg
    r = results_of(submission(Fuel=[fuel(1000, "L", use="offroad")]))
    assert s1(r) == pytest.approx(2.9629766964, rel=REL)
    assert r["ghg"]["scope1_offroad_tco2e"] == pytest.approx(s1(r))
    assert {c["category"] for c in r["calculations"]} == {"offroad_combustion"}


def test_natural_gas_by_volume():
    # 1000 m3 × 0.717 kg/Nm3 = 0.717 t = 0.000717 Gg × 48 TJ/Gg = 0.034416 TJ
    # CO2 × 56100 = 1930.7376; CH4 × 1 × 29.8 = 1.0255968; N2O × 0.1 × 273 = 0.9395568
    # = 1932.7027536 kg
    r = results_of(submission(Fuel=[fuel(1000, "m3", "natural_gas")]))
    assert s1(r) == pytest.approx(1.9327027536, rel=REL)


def test_natural_gas_by_gross_energy():
    # 100 MMBtu = 105.5056 GJ (gross) × 0.90 = 94.95504 GJ net = 0.09495504 TJ
    # CO2 × 56100 = 5326.977744; CH4 × 29.8 = 2.829660192; N2O 0.009495504 × 273 =
    # 2.592272592 → 5332.399676784 kg
    r = results_of(submission(Fuel=[fuel(100, "MMBtu", "natural_gas")]))
    assert s1(r) == pytest.approx(5.332399676784, rel=REL)
    assert r["energy"]["fuel_gj"] == pytest.approx(94.95504, rel=REL)


def test_liquid_by_gross_energy_uses_095():
    # 10 MMBtu gasoline = 10.55056 GJ × 0.95 = 10.023032 GJ = 0.010023032 TJ
    # CO2 × 69300 = 694.5961176 kg
    r = results_of(submission(Fuel=[fuel(10, "MMBtu", "gasoline")]))
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(0.6945961176, rel=REL)


def test_net_energy_unit_is_taken_as_net():
    # 1 TJ of diesel (GJ are net): CO2 74100 kg
    r = results_of(submission(Fuel=[fuel(1000, "GJ")]))
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(74.1, rel=REL)


def test_coal_by_mass_in_manufacturing_uses_table_2_3():
    # 10 t = 0.01 Gg × 25.8 = 0.258 TJ; CO2 × 94600 = 24406.8;
    # CH4 Table 2.3: 10 × 0.258 = 2.58 kg × 29.8 = 76.884; N2O 1.5 → 0.387 × 273 = 105.651
    # = 24589.335 kg
    sub = submission([project(sector="manufacturing")], Fuel=[fuel(10, "t", "bituminous_coal")])
    assert s1(results_of(sub)) == pytest.approx(24.589335, rel=REL)


def test_wood_commercial_is_biogenic_with_nonfossil_methane():
    # sector "other" → Table 2.4. 10 t × 15.6 = 0.156 TJ; CO2 112000 → 17472 kg biogenic
    # CH4 300 → 46.8 kg × 27.0 (non-fossil) = 1263.6; N2O 4 → 0.624 × 273 = 170.352
    # Scope 1 = 1433.952 kg; biogenic CO2 = 17.472 t
    sub = submission([project(sector="other")], Fuel=[fuel(10, "t", "wood")])
    r = results_of(sub)
    assert s1(r) == pytest.approx(1.433952, rel=REL)
    assert r["ghg"]["biogenic_co2_t"] == pytest.approx(17.472, rel=REL)
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == 0.0
    assert r["energy"]["renewable_gj"] == pytest.approx(156.0, rel=REL)
    assert {c["scope"] for c in r["calculations"] if c["gas"] == "CO2"} == {"biogenic"}


def test_bioethanol_by_volume_uses_method_density():
    # 1000 L × 0.789 kg/L = 0.000789 Gg × 27 TJ/Gg = 0.021303 TJ; biogenic CO2 × 70800 =
    # 1508.2524 kg
    r = results_of(submission(Fuel=[fuel(1000, "L", "bioethanol")]))
    assert r["ghg"]["biogenic_co2_t"] == pytest.approx(1.5082524, rel=REL)


def test_us_gallons_convert_through_density():
    # 100 US gal = 0.3785411784 m3 × 0.84 t/m3 = 0.317974589856 t × 43 = 0.0136729073638 TJ
    # CO2 × 74100 = 1013.16243566 kg
    r = results_of(submission(Fuel=[fuel(100, "US_gallon")]))
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(1.01316243566, rel=1e-9)


def test_mobile_fuel_without_road_factors_falls_back_with_warning():
    # fuel_oil has no road factors → energy-industries CH4 3 / N2O 0.6 and a warning
    sub = submission(Fuel=[fuel(1, "t", "fuel_oil", use="mobile")])
    r = results_of(sub)
    ch4 = next(c for c in r["calculations"] if c["gas"] == "CH4")
    assert ch4["factor"] == 3.0
    assert "energy-industries" in ch4["method_note"]
    assert [f.code for f in check_factors(sub)] == ["fuel-use-fallback"]


# --- GWP sets -----------------------------------------------------------------------------
@pytest.mark.parametrize(("gwp_set", "expected_kg"), [
    # CH4 0.10836 kg, N2O 0.021672 kg, CO2 2676.492 kg
    ("AR6", 2676.492 + 0.10836 * 29.8 + 0.021672 * 273),  # 2685.637584
    ("AR5", 2676.492 + 0.10836 * 28 + 0.021672 * 265),  # 2685.26916
    ("AR4", 2676.492 + 0.10836 * 25 + 0.021672 * 298),  # 2685.659256
])
def test_each_gwp_set(gwp_set, expected_kg):
    r = results_of(submission(org=organization(gwp_set=gwp_set), Fuel=[fuel(1000, "L")]))
    assert r["gwp_set"] == gwp_set
    assert s1(r) == pytest.approx(expected_kg / 1000, rel=REL)


# --- fugitive -----------------------------------------------------------------------------
def test_fugitive_blends_sf6_and_hcfc_apart():
    # R-410A 10 kg × 2256 = 22.56 t; SF6 1 kg × 25200 = 25.2 t → Scope 1 47.76
    # HCFC-22 5 kg × 1960 = 9.8 t → other_gases, not Scope 1
    rows = [{"project_id": "P1", "gas": "R-410A", "quantity_kg": 10},
            {"project_id": "P1", "gas": "SF6", "quantity_kg": 1},
            {"project_id": "P1", "gas": "HCFC-22", "quantity_kg": 5}]
    r = results_of(submission(Refrigerants=rows))
    g = r["ghg"]
    assert g["scope1_tco2e"] == pytest.approx(47.76, rel=REL)
    assert g["scope1_by_source_tco2e"] == {"stationary_combustion": None,
                                           "mobile_combustion": None,
                                           "fugitive": pytest.approx(47.76, rel=REL)}
    assert g["other_gases_tco2e"] == pytest.approx(9.8, rel=REL)
    assert g["scope1_by_gas_t"]["HFCs"] == pytest.approx(0.01)
    assert g["scope1_by_gas_t"]["SF6"] == pytest.approx(0.001)
    assert g["biogenic_co2_t"] is None  # no Fuel sheet


def test_fugitive_ar5_blend():
    # R-404A AR5 3943 × 2 kg = 7.886 t
    r = results_of(submission(org=organization(gwp_set="AR5"),
                           Refrigerants=[{"project_id": "P1", "gas": "R-404A",
                                          "quantity_kg": 2}]))
    assert r["ghg"]["scope1_tco2e"] == pytest.approx(7.886, rel=REL)


# --- Scope 2 ------------------------------------------------------------------------------
def elec(quantity=1000, unit="MWh", **fields):
    return {"project_id": "P1", "quantity": quantity, "unit": unit, **fields}


def test_scope2_location_and_market_without_instruments():
    # CHN 2024 → MEE 2023 0.5306 kg/kWh × 1 000 000 kWh = 530.6 t, both methods;
    # market falls back to location (no residual mix), disclosed in method_note
    r = results_of(submission(Electricity=[elec()]))
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(530.6, rel=REL)
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(530.6, rel=REL)
    market = [c for c in r["calculations"] if c["method"] == "market"]
    assert "residual mix" in market[0]["method_note"]


def test_scope2_market_with_rec():
    # 400 MWh covered by RECs at 0; 600 MWh × 0.5306 = 318.36 t
    r = results_of(submission(Electricity=[elec(instrument="rec", instrument_quantity=400)]))
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(530.6, rel=REL)
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(318.36, rel=REL)
    assert r["energy"]["renewable_gj"] == pytest.approx(400 * 3.6, rel=REL)


def test_scope2_market_with_instrument_factor_and_supplier():
    # 400 MWh × 0.1 = 40 t; rest 600 MWh × supplier 0.3 = 180 t → 220 t
    r = results_of(submission(Electricity=[elec(instrument="ppa", instrument_quantity=400,
                                             instrument_factor_kg_per_kwh=0.1,
                                             supplier_factor_kg_per_kwh=0.3)]))
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(220.0, rel=REL)
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(530.6, rel=REL)


def test_scope2_supplier_only_and_whole_row_instrument():
    # supplier 0.25 × 1000 MWh = 250 t; a green tariff with no quantity covers all → 0
    r = results_of(submission(Electricity=[elec(supplier_factor_kg_per_kwh=0.25),
                                        elec(instrument="green_tariff")]))
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(250.0, rel=REL)
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(1061.2, rel=REL)


def test_scope2_grid_country_and_kwh():
    # grid_country KEN overrides host CHN; 2024 Ember 0.08483 × 50 000 kWh = 4.2415 t
    r = results_of(submission(Electricity=[elec(50000, "kWh", grid_country="KEN")]))
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(4.2415, rel=REL)
    assert r["energy"]["purchased_gj"] == pytest.approx(180.0, rel=REL)


def test_heat_needs_supplier_factor():
    # 100 GJ heat = 27777.78 kWh × 0.2 kg/kWh = 5.5556 t in both methods
    ok = submission(Electricity=[elec(100, "GJ", energy_type="heat",
                                      supplier_factor_kg_per_kwh=0.2)])
    r = results_of(ok)
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(100 / 0.0036 * 0.2 / 1000)
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(100 / 0.0036 * 0.2 / 1000)
    # both entries say why the supplier's factor serves both methods (not "no residual mix")
    from envreport.factors.resolve import HEAT_SUPPLIER_NOTE

    assert [(c["method"], c["method_note"]) for c in r["calculations"]] == [
        ("location", HEAT_SUPPLIER_NOTE), ("market", HEAT_SUPPLIER_NOTE)]
    bad = submission(Electricity=[elec(100, "GJ", energy_type="steam")])
    assert [(f.code, f.cell) for f in check_factors(bad)] == [("energy-factor-missing", "E2")]
    assert results_of(bad)["ghg"]["scope2_location_tco2e"] == 0.0


# --- consolidation ------------------------------------------------------------------------
def test_equity_share():
    # 40 % × 2.685637584 = 1.0742550336
    sub = submission([project(ownership_pct=40)], org=organization(
        consolidation_approach="equity_share"), Fuel=[fuel(1000, "L")])
    r = results_of(sub)
    assert s1(r) == pytest.approx(1.0742550336, rel=REL)
    assert r["by_project"][0]["consolidation_share"] == 0.4
    assert {c["share"] for c in r["calculations"]} == {0.4}


@pytest.mark.parametrize("approach", ["operational_control", "financial_control"])
def test_control_approaches(approach):
    # P1 controlled → 100 %; P2 not → 0 %, shown in by_project outside the boundary
    projects = [project("P1", **{approach: True, "ownership_pct": 30}),
                project("P2", **{approach: False, "ownership_pct": 90})]
    sub = submission(projects, org=organization(consolidation_approach=approach),
                     Fuel=[fuel(1000, "L", project_id="P1"), fuel(1000, "L", project_id="P2")])
    r = results_of(sub)
    assert s1(r) == pytest.approx(2.685637584, rel=REL)
    p2 = next(p for p in r["by_project"] if p["project_id"] == "P2")
    assert (p2["consolidation_share"], p2["in_boundary"], p2["scope1_tco2e"]) == (0.0, False,
                                                                                    0.0)


# --- overrides ----------------------------------------------------------------------------
def override(factor_type, key, value, unit, gas=None, source="lab certificate"):
    return {"factor_type": factor_type, "key": key, "gas": gas, "value": value, "unit": unit,
            "source": source}


def test_fuel_co2_override_recorded():
    # CO2 70000 kg/TJ × 0.03612 TJ = 2528.4 kg (instead of 2676.492)
    sub = submission(Fuel=[fuel(1000, "L")],
                     Factors=[override("fuel", "diesel", 70000, "kg/TJ", gas="CO2")])
    r = results_of(sub)
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(2.5284, rel=REL)
    assert r["factor_overrides"] == [{"factor_type": "fuel", "key": "diesel", "gas": "CO2",
                                      "value": 70000.0, "unit": "kg/TJ",
                                      "source": "lab certificate", "sheet": "Factors",
                                      "row": 2}]
    co2 = r["calculations"][0]
    assert co2["factor_source"] == "Factors sheet row 2: lab certificate"


def test_biogas_volume_with_ncv_override():
    # 1000 Nm3 × 20 MJ/Nm3 = 0.02 TJ; CO2 54600 → 1092 kg biogenic;
    # CH4 1 → 0.02 kg × 27.0 = 0.54; N2O 0.1 → 0.002 × 273 = 0.546 → 1.086 kg Scope 1
    sub = submission(Fuel=[fuel(1000, "m3", "biogas")],
                     Factors=[override("ncv", "biogas", 20, "MJ/Nm3")])
    assert list(check_factors(sub)) == []
    r = results_of(sub)
    assert r["ghg"]["biogenic_co2_t"] == pytest.approx(1.092, rel=REL)
    assert s1(r) == pytest.approx(0.001086, rel=REL)


def test_biogas_volume_without_override_is_an_error():
    sub = submission(Fuel=[fuel(1000, "m3", "biogas")])
    assert [(f.code, f.cell) for f in check_factors(sub)] == [("gas-volume-needs-ncv", "F2")]


def test_density_and_mass_ncv_overrides():
    # density 0.85 kg/L, NCV 42 MJ/kg: 1000 L → 0.85 t × 42 = 0.0357 TJ × 74100 = 2645.37 kg
    sub = submission(Fuel=[fuel(1000, "L")],
                     Factors=[override("density", "diesel", 0.85, "kg/L"),
                              override("ncv", "diesel", 42, "MJ/kg")])
    r = results_of(sub)
    assert r["ghg"]["scope1_by_gas_t"]["CO2"] == pytest.approx(2.64537, rel=REL)
    assert [o["row"] for o in r["factor_overrides"]] == [2, 3]


def test_the_trail_names_the_factors_rows_a_fuel_rows_energy_came_from():
    """An NCV or density override changes every gas's activity (TJ) of the rows it converts;
    the trail said nothing of it, and its CO2 entry cites IPCC Tables 1.2 (NCV) and 1.4, so
    the sample's coal (22.6 MJ/kg measured) read as IPCC's 25.8. By hand: fuel oil 1000 L ×
    0.95 kg/L (row 3) × 41 MJ/kg (row 2) = 0.03895 TJ; 10 t × 41 = 0.41 TJ; diesel 1000 L at
    the library's 0.84 × 43 = 0.03612 TJ, no note. Fuel oil in a road vehicle also takes the
    energy-industries CH4/N2O factors: both notes on those two entries."""
    sub = submission([project(sector="transport", project_type="railway")],
                     Fuel=[fuel(1000, "L", "fuel_oil", use="mobile"), fuel(10, "t", "fuel_oil"),
                           fuel(1000, "L")],
                     Factors=[override("ncv", "fuel_oil", 41, "MJ/kg", source="lab"),
                              override("density", "fuel_oil", 0.95, "kg/L", source="bill")])
    r = results_of(sub)
    density, ncv = "density from Factors sheet row 3: bill", \
        "net calorific value from Factors sheet row 2: lab"
    fallback = "no CH4/N2O factors for this use: stationary energy-industries factors used"
    assert [(c["row"], c["gas"], c["activity"], c["method_note"])
            for c in r["calculations"]] == [
        (2, "CO2", 0.03895, f"{density}; {ncv}"),
        (2, "CH4", 0.03895, f"{density}; {ncv}; {fallback}"),
        (2, "N2O", 0.03895, f"{density}; {ncv}; {fallback}"),
        (3, "CO2", 0.41, ncv), (3, "CH4", 0.41, ncv), (3, "N2O", 0.41, ncv),
        (4, "CO2", 0.03612, None), (4, "CH4", 0.03612, None), (4, "N2O", 0.03612, None)]


def test_grid_and_refrigerant_overrides():
    # grid CN (alpha-2) 0.6 kg/kWh × 1000 MWh = 600 t; R-999 GWP 100 × 10 kg = 1 t (HFC name
    # unknown to the library → classified by name as "other")
    sub = submission(Electricity=[elec()],
                     Refrigerants=[{"project_id": "P1", "gas": "HFC-999", "quantity_kg": 10}],
                     Factors=[override("grid", "CN", 0.6, "kg/kWh", gas="CO2e"),
                              override("refrigerant", "HFC-999", 100, "1")])
    assert list(check_factors(sub)) == []
    r = results_of(sub)
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(600.0, rel=REL)
    assert r["ghg"]["scope1_tco2e"] == pytest.approx(1.0, rel=REL)


def test_invalid_overrides_are_reported_and_ignored():
    sub = submission(Fuel=[fuel(1000, "L")],
                     Factors=[override("fuel", "diesel", 1, "kg/TJ", gas="SF6"),
                              override("ncv", "unobtainium", 1, "MJ/kg"),
                              override("density", "diesel", 1, "kWh"),
                              override("grid", "Atlantis", 1, "kg/kWh")])
    findings = list(check_factors(sub))
    assert [(f.code, f.row) for f in findings] == [("override-invalid", n) for n in (2, 3, 4,
                                                                                     5)]
    r = results_of(sub)
    assert r["factor_overrides"] == []
    assert s1(r) == pytest.approx(2.685637584, rel=REL)


# --- mitigation, water, waste -------------------------------------------------------------
def test_avoided_emissions_net_export_else_gross():
    # P1 solar CHN: net 900 MWh × 0.5306 = 477.54 t; P2 wind (no net): 1000 × 0.5306 = 530.6
    # coal P3 is not renewable: no avoided emissions
    projects = [project("P1"), project("P2", project_type="wind"),
                project("P3", project_type="coal_power", status="operation")]
    gen = [{"project_id": "P1", "technology": "solar_pv", "gross_generation_mwh": 1000,
            "net_export_mwh": 900},
           {"project_id": "P2", "technology": "wind", "gross_generation_mwh": 1000},
           {"project_id": "P3", "technology": "coal_power", "gross_generation_mwh": 5000}]
    r = results_of(submission(projects, Generation=gen))
    m = r["mitigation"]
    assert m["avoided_tco2e"] == pytest.approx(1008.14, rel=REL)
    assert m["renewable_generation_mwh"] == pytest.approx(2000.0)
    # IFI combined margin (sensitivity, CHN 2021) is shown, not used
    assert m["avoided_tco2e_ifi_combined_margin"] > 0
    assert m["actions_reduction_tco2e"] is None
    # GRI 302-1 (contract version 2): own renewables 2000 MWh × 3.6 = 7200 GJ are in the
    # total, energy sold is subtracted: P1 900, P2 blank → its gross 1000, coal P3 blank →
    # its gross 5000: 6900 MWh × 3.6 = 24 840 GJ; total 7200 − 24 840 = −17 640 (no Fuel)
    assert r["energy"]["self_generated_renewable_gj"] == pytest.approx(7200.0)
    assert r["energy"]["sold_gj"] == pytest.approx(24_840.0)
    assert r["energy"]["sold_from_gross_gj"] == pytest.approx(21_600.0)  # P2 and P3
    assert r["energy"]["total_consumption_gj"] == pytest.approx(-17_640.0)


def test_completed_actions_only():
    rows = [{"project_id": "P1", "action": "LED", "category": "energy_efficiency",
             "status": "completed", "annual_reduction_tco2e": 12.5},
            {"project_id": "P1", "action": "PV", "category": "renewable_energy",
             "status": "planned", "annual_reduction_tco2e": 100}]
    assert results_of(submission(Mitigation=rows))["mitigation"]["actions_reduction_tco2e"] == 12.5


def test_water_balance_and_stress():
    # withdrawal 1000 m3 + 0.5 ML (500 m3) = 1500; discharge 300; consumption 1200;
    # P1 is water-stressed: stressed withdrawal 1500 and a policy flag
    rows = [{"project_id": "P1", "flow": "withdrawal", "source": "surface", "quantity": 1000,
             "unit": "m3"},
            {"project_id": "P1", "flow": "withdrawal", "source": "ground", "quantity": 0.5,
             "unit": "ML"},
            {"project_id": "P1", "flow": "discharge", "source": "surface", "quantity": 300,
             "unit": "m3"}]
    r = results_of(submission([project(water_stressed=True)], Water=rows))
    version_1 = {key: r["water"][key] for key in (
        "withdrawal_m3", "discharge_m3", "consumption_m3", "withdrawal_stressed_m3",
        "withdrawal_by_source_m3", "discharge_by_destination_m3")}
    assert version_1 == {"withdrawal_m3": 1500.0, "discharge_m3": 300.0,
                          "consumption_m3": 1200.0, "withdrawal_stressed_m3": 1500.0,
                          "withdrawal_by_source_m3": {"ground": 500.0, "surface": 1000.0},
                          "discharge_by_destination_m3": {"surface": 300.0}}
    assert {"project_id": "P1", "code": "water-stress",
            "message": "Withdraws water in a water-stressed area."} in r["policy_flags"]


def test_waste_balance():
    # 10 t recycled (diverted), 5 t hazardous landfill, 2000 kg incinerated → 17 / 10 / 7 / 5
    rows = [{"project_id": "P1", "waste_type": "scrap", "hazardous": False, "quantity": 10,
             "unit": "t", "disposal": "recycling"},
            {"project_id": "P1", "waste_type": "sludge", "hazardous": True, "quantity": 5,
             "unit": "t", "disposal": "landfill"},
            {"project_id": "P1", "waste_type": "mixed", "hazardous": False, "quantity": 2000,
             "unit": "kg", "disposal": "incineration"}]
    waste = results_of(submission(Waste=rows))["waste"]
    assert {key: waste[key] for key in ("total_t", "hazardous_t", "diverted_t",
                                        "disposed_t")} == {
        "total_t": 17.0, "hazardous_t": 5.0, "diverted_t": 10.0, "disposed_t": 7.0}


# --- null vs zero, contract keys ----------------------------------------------------------
CONTRACT = [
    "schema_version", "tool_version", "input.file_name", "input.sha256",
    "organization.entity_id", "organization.name", "organization.consolidation_approach",
    "period.start", "period.end", "gwp_set", "factor_library.version", "factor_overrides",
    "ghg.scope1_tco2e", "ghg.scope1_by_source_tco2e", "ghg.scope1_by_gas_t",
    "ghg.scope2_location_tco2e", "ghg.scope2_market_tco2e", "ghg.biogenic_co2_t",
    "ghg.other_gases_tco2e", "ghg.intensity.tco2e_per_million_revenue",
    "ghg.intensity.tco2e_per_employee", "ghg.intensity.tco2e_per_mwh_generated",
    "energy.total_consumption_gj", "energy.fuel_gj", "energy.purchased_gj",
    "energy.renewable_gj", "energy.non_renewable_gj", "energy.by_fuel_gj",
    "energy.self_generated_renewable_gj", "energy.sold_gj",
    "mitigation.renewable_generation_mwh", "mitigation.avoided_tco2e",
    "mitigation.actions_reduction_tco2e", "water.withdrawal_m3", "water.discharge_m3",
    "water.consumption_m3", "water.withdrawal_stressed_m3", "water.withdrawal_by_source_m3",
    "water.discharge_by_destination_m3", "waste.total_t", "waste.hazardous_t",
    "waste.diverted_t", "waste.disposed_t", "pollutants_t", "compliance.incidents",
    "compliance.major_incidents", "compliance.fines", "compliance.eia_coverage_pct",
    "green_finance.total", "green_finance.by_instrument", "targets", "policy_flags",
    "by_project", "by_country", "calculations", "validation.errors", "validation.warnings",
    "comparison", "history", "base_year",
]


def _get(d, path):
    for part in path.split("."):
        assert part in d, path
        d = d[part]
    return d


def test_every_contract_key_present_and_topics_null_without_rows():
    r = results_of(submission())
    for path in CONTRACT:
        _get(r, path)
    assert r["schema_version"] == "2"
    # v2: null without a ledger holding earlier periods of the entity
    assert (r["comparison"], r["history"], r["base_year"]) == (None, None, None)
    assert r["factor_library"]["version"] == "2026.1"
    for path in ("ghg.scope1_tco2e", "ghg.scope2_location_tco2e", "ghg.biogenic_co2_t",
                 "energy.total_consumption_gj", "water.withdrawal_m3", "waste.total_t",
                 "pollutants_t", "compliance.incidents", "green_finance.total",
                 "mitigation.avoided_tco2e", "targets", "ghg.scope1_by_gas_t"):
        assert _get(r, path) is None, path
    assert r["calculations"] == []
    assert r["compliance"]["eia_coverage_pct"] == 100.0
    json.dumps(r, allow_nan=False)  # plain JSON


def test_empty_sheet_is_null_and_rows_without_contribution_are_zero():
    import pandas as pd

    empty_fuel = pd.DataFrame(columns=["row", "project_id", "fuel", "quantity", "unit", "use"])
    assert results_of(submission(Fuel=empty_fuel))["ghg"]["scope1_tco2e"] is None
    r = results_of(submission(Fuel=[fuel(1000, "L")]))
    assert r["ghg"]["biogenic_co2_t"] == 0.0  # fuels present, none biomass
    assert r["ghg"]["scope1_by_source_tco2e"]["mobile_combustion"] == 0.0
    assert r["ghg"]["scope1_by_source_tco2e"]["fugitive"] is None


# --- compliance, finance, targets, flags, intensity ---------------------------------------
def test_compliance_fines_in_reporting_currency_and_counts():
    # 1000 USD × 7.1 = 7100 CNY + 500 CNY = 7600; P2 is outside the boundary (0 %): its
    # incident is not counted and its fine is scaled to 0
    projects = [project("P1"), project("P2", operational_control=False)]
    incidents = [{"project_id": "P1", "date": "2024-03-01", "type": "penalty",
                  "severity": "major", "fine_amount": 1000, "currency": "USD"},
                 {"project_id": "P1", "date": "2024-04-01", "type": "spill",
                  "severity": "minor", "fine_amount": 500, "currency": None},
                 {"project_id": "P2", "date": "2024-05-01", "type": "spill",
                  "severity": "major", "fine_amount": 99, "currency": "CNY"}]
    fx = [{"currency": "USD", "rate_to_reporting_currency": 7.1, "source": "PBoC"}]
    c = results_of(submission(projects, Incidents=incidents, FxRates=fx))["compliance"]
    assert (c["incidents"], c["major_incidents"]) == (2, 1)
    assert c["fines"] == pytest.approx(7600.0)


def test_green_finance():
    rows = [{"instrument": "green_bond", "amount": 100, "currency": "USD"},
            {"instrument": "green_loan", "amount": 50, "currency": "CNY"}]
    fx = [{"currency": "USD", "rate_to_reporting_currency": 7.0, "source": "x"}]
    g = results_of(submission(GreenFinance=rows, FxRates=fx))["green_finance"]
    assert g == {"total": 750.0, "by_instrument": {"green_bond": 700.0, "green_loan": 50.0}}


def test_targets_progress():
    # base 10 t, −50 % → target 5; current Scope 1 = 2.685637584 → progress
    # (10 − 2.685637584) / (10 − 5) = 146.287 %
    rows = [{"metric": "scope1_tco2e", "base_year": 2020, "base_value": 10,
             "target_year": 2030, "target_reduction_pct": 50}]
    (t,) = results_of(submission(Fuel=[fuel(1000, "L")], Targets=rows))["targets"]
    assert (t["target_value"], t["base_year"]) == (5.0, 2020)
    assert t["progress_pct"] == pytest.approx(146.2872483, rel=1e-6)


def test_policy_flags():
    projects = [
        project("C1", project_type="coal_power", status="planning"),
        project("C2", project_type="coal_power", status="construction",
                construction_start="2021-06-01"),  # before the pledge: no flag
        project("C3", project_type="coal_power", status="construction",
                construction_start="2022-01-01", eia_status="pending"),
        project("E1", eia_approval_date="2023-06-01", construction_start="2023-01-01",
                protected_area_distance_km=2.5),
        project("Z0", project_type="coal_power", status="planning",
                operational_control=False),  # outside the boundary: not flagged
    ]
    flags = [(f["project_id"], f["code"]) for f in results_of(submission(projects))["policy_flags"]]
    assert flags == [("C1", "new-coal-power"), ("C3", "eia-missing"),
                     ("C3", "new-coal-power"), ("E1", "eia-after-construction"),
                     ("E1", "protected-area")]


def test_intensities():
    # Scope 1 2.685637584 + Scope 2 530.6 = 533.285637584; revenue 2 million → 266.64...;
    # 10 employees → 53.3285637584; per MWh: Scope 1 of generating P1 / 1000 MWh
    org = organization(revenue=2_000_000, employees=10)
    gen = [{"project_id": "P1", "technology": "solar_pv", "gross_generation_mwh": 1000}]
    r = results_of(submission(org=org, Fuel=[fuel(1000, "L")], Electricity=[elec()],
                           Generation=gen))
    i = r["ghg"]["intensity"]
    assert i["tco2e_per_million_revenue"] == pytest.approx(266.642818792, rel=REL)
    assert i["tco2e_per_employee"] == pytest.approx(53.3285637584, rel=REL)
    assert i["tco2e_per_mwh_generated"] == pytest.approx(0.002685637584, rel=REL)


def test_pollutants_scaled():
    rows = [{"project_id": "P1", "pollutant": "SO2", "quantity_t": 2.0},
            {"project_id": "P1", "pollutant": "SO2", "quantity_t": 1.0},
            {"project_id": "P1", "pollutant": "Hg", "quantity_t": 0.001}]
    sub = submission([project(ownership_pct=50)],
                     org=organization(consolidation_approach="equity_share"), Pollutants=rows)
    assert results_of(sub)["pollutants_t"] == {"Hg": 0.0005, "SO2": 1.5}
    assert [f.code for f in check_factors(sub)] == ["pollutant-unlisted"]


# --- grid rule findings and trail ---------------------------------------------------------
def test_grid_factor_later_than_period_warns_once_per_country():
    projects = [project("P1", host_country="GBR")]
    sub = submission(projects, Electricity=[elec(project_id="P1"), elec(project_id="P1")])
    assert [(f.code, f.cell) for f in check_factors(sub)] == [
        ("factor-year-later-than-period", "G2")]
    assert results_of(sub)["ghg"]["scope2_location_tco2e"] == pytest.approx(354.0)  # 2×1000×0.177


def test_grid_factor_missing_is_an_error_not_a_zero():
    sub = submission([project(host_country="XKX")], Electricity=[elec()])
    assert [f.code for f in check_factors(sub)] == ["grid-factor-missing"]


def test_custom_column_letters():
    sub = submission(Fuel=[fuel(1, "t", "unobtainium")])
    (f,) = check_factors(sub, {"Fuel": {"fuel": "B"}})
    assert (f.cell, f.code) == ("B2", "fuel-unknown")


def test_totals_equal_trail_sums_and_by_country():
    projects = [project("P1"), project("P2", host_country="KEN")]
    sub = submission(projects, Fuel=[fuel(1000, "L"), fuel(500, "L", project_id="P2")],
                     Electricity=[elec(), elec(project_id="P2", instrument="rec")],
                     Refrigerants=[{"project_id": "P2", "gas": "R-32", "quantity_kg": 3}])
    r = results_of(sub)
    assert r["ghg"]["scope1_tco2e"] == pytest.approx(trail_total(r, "1"), rel=1e-12)
    assert r["ghg"]["scope2_market_tco2e"] == pytest.approx(trail_total(r, "2", "market"))
    assert r["ghg"]["scope2_location_tco2e"] == pytest.approx(trail_total(r, "2", "location"))
    assert sum(c["scope1_tco2e"] for c in r["by_country"]) == pytest.approx(s1(r))
    assert [c["country"] for c in r["by_country"]] == ["CHN", "KEN"]
    for c in r["calculations"]:
        assert c["tco2e"] == pytest.approx(c["gas_t"] * c["gwp"] * c["share"], rel=1e-9)


def test_deterministic():
    sub = submission(Fuel=[fuel(1000, "L"), fuel(3, "t", "lignite")], Electricity=[elec()])
    first, second = results_of(sub), results_of(sub)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@pytest.mark.parametrize(("fuel_id", "amounts"), [
    # the same diesel three ways: 1000 L = 0.84 t = 36.12 GJ (0.84 t × 43 GJ/t)
    ("diesel", [(1000, "L"), (0.84, "t"), (36.12, "GJ")]),
    # natural gas: 1000 m3 = 0.717 t = 34.416 GJ; 1000 m3 = 37327.36 scf (1 scf = 0.02679 m3)
    ("natural_gas", [(1000, "m3"), (717, "kg"), (34.416, "GJ"), (1000 / 0.02679, "scf")]),
    # coal: 1 t = 25.8 GJ = 25800 MJ
    ("bituminous_coal", [(1, "t"), (25.8, "GJ"), (25800, "MJ")]),
    # wood (biogenic): 1 t = 15.6 GJ
    ("wood", [(1, "t"), (15.6, "GJ")]),
])
def test_each_fuel_family_by_mass_volume_and_energy_agree(fuel_id, amounts):
    results = [results_of(submission(Fuel=[fuel(q, u, fuel_id)])) for q, u in amounts]
    first = results[0]
    for r in results[1:]:
        assert s1(r) == pytest.approx(s1(first), rel=1e-9)
        assert r["ghg"]["biogenic_co2_t"] == pytest.approx(first["ghg"]["biogenic_co2_t"],
                                                           rel=1e-9)
        assert r["energy"]["fuel_gj"] == pytest.approx(first["energy"]["fuel_gj"], rel=1e-9)


def test_fuel_ids_are_matched_ignoring_case_and_spaces():
    sub = submission(Fuel=[fuel(1000, "L", " Diesel "), fuel(1000, "m3", "Natural Gas")])
    assert list(check_factors(sub)) == []
    assert results_of(sub)["energy"]["by_fuel_gj"] == {"diesel": pytest.approx(36.12),
                                                     "natural_gas": pytest.approx(34.416)}


def test_generation_needs_host_country_factor():
    # avoided emissions use the host country's factor: none for XKX → error at the row;
    # GBR's only factor (2025) is after 2024 → one warning for the country
    projects = [project("P1", host_country="GBR", project_type="wind"),
                project("P2", host_country="XKX", project_type="wind")]
    gen = [{"project_id": p, "technology": "wind", "gross_generation_mwh": 5}
           for p in ("P1", "P2", "P1")]
    sub = submission(projects, Generation=gen)
    assert sorted((f.sheet, f.cell, f.code) for f in check_factors(sub)) == [
        ("Generation", "A2", "factor-year-later-than-period"),
        ("Generation", "A3", "grid-factor-missing")]
    # GBR 2 × 5 MWh × 0.177 t/MWh = 1.77 t
    assert results_of(sub)["mitigation"]["avoided_tco2e"] == pytest.approx(1.77)


def test_denoise_rounds_to_12_significant_digits_column_wise():
    import math

    import numpy as np

    from envreport.metrics.numbers import denoise

    given = np.array([0.1 + 0.2, 1234567.891234567, 123456789012345.6, 2.5e-7 * 3,
                      -2676.4920000000004, 1e-300, 0.0, -0.0, math.nan, math.inf, 7.0])
    expected = [0.3, 1234567.89123, 123456789012000.0, 7.5e-7, -2676.492,
                1e-300,  # far below any figure: left as it is (its scale would overflow)
                0.0, -0.0, math.nan, math.inf, 7.0]
    out = denoise(given)
    assert [repr(v) for v in out.tolist()] == [repr(v) for v in expected]
    # a column gives each value what the value alone gives (figure() rounds one at a time)
    assert [repr(float(denoise(np.array([v]))[0])) for v in given.tolist()] == \
        [repr(v) for v in out.tolist()]
    assert denoise(np.array([])).shape == (0,)


@settings(max_examples=500)  # a pure function against its reference: see conftest
@given(st.floats(allow_nan=False) | st.floats(min_value=1e-12, max_value=1e15)
       | st.sampled_from([1e-250, 1.0000000001e-250, 9.99e-251, 5e-324, 1e12, 999999999999.5,
                          -2.675, 1.7976931348623157e308, 0.1 + 0.2, -0.0]))
def test_one_figure_is_denoised_as_its_column_would_be(value: float) -> None:
    import math

    import numpy as np

    from envreport.metrics.numbers import _denoise_one, denoise, figure

    alone, in_column = _denoise_one(value), float(denoise(np.array([value]))[0])
    assert repr(alone) == repr(in_column)
    assert figure(value) == (None if math.isnan(value) else in_column + 0.0)


def test_shared_texts_tells_entries_apart_by_object_then_by_text():
    import numpy as np
    import pandas as pd

    from envreport.metrics.trail import _shared_texts

    cite = "IPCC 2006, Vol. 2, Table 2.2"
    same_text = "".join(["IPCC 2006, Vol. 2, ", "Table 2.2"])  # equal text, another object
    assert same_text == cite
    assert same_text is not cite
    column = pd.Series([cite, None, cite, np.nan, same_text] * 20, dtype=object)
    codes, distinct = _shared_texts(column)
    assert distinct == [cite, same_text]
    assert codes[:5].tolist() == [0, -1, 0, -1, 1]
    # many distinct objects: factorized by text as any column
    many = pd.Series([f"source {i % 40}" for i in range(100)], dtype=object)
    codes, distinct = _shared_texts(many)
    assert distinct == [f"source {i}" for i in range(40)]
    assert codes.tolist() == [i % 40 for i in range(100)]


def test_exact_sums_is_groupby_with_exact_sum_keys_sorted_missing_keys_left_out():
    import numpy as np
    import pandas as pd

    from envreport.metrics.numbers import exact_sum, exact_sums

    keys = pd.Series(["b", "a", None, "b", "c", "a", np.nan, "b", "a"], dtype=object)
    values = pd.Series([0.1, 1e16, 5.0, 0.2, 3.0, 1.0, 7.0, 0.3, 1.0])
    sums = exact_sums(keys, values)
    expected = values.groupby(keys, sort=True).apply(exact_sum).to_dict()
    assert list(sums) == ["a", "b", "c"] == list(expected)
    # exactly rounded: a naive sum gives 1e16 and 0.6000000000000001
    assert sums == expected == {"a": 1e16 + 2.0, "b": 0.6, "c": 3.0}
    # a categorical's keys in its categories' order, unused categories left out
    categorical = pd.Categorical(["x", "z", "x"], categories=["z", "y", "x"])
    assert list(exact_sums(categorical, np.array([1.0, 2.0, 3.0])).items()) == [
        ("z", 2.0), ("x", 4.0)]
    assert exact_sums(pd.Series([], dtype=object), np.array([])) == {}


@settings(max_examples=400)  # a pure function against its reference: see conftest
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, max_value=1e280,
                          min_value=-1e280)
                | st.sampled_from([5e-324, -5e-324, 2.0 ** -53, 1.0, -1.0, 0.1, 1e16, -0.0]),
                min_size=1, max_size=300),
       st.integers(min_value=1, max_value=40))
def test_the_exact_sum_of_a_long_array_is_math_fsums(values: list[float], copies: int) -> None:
    # the correctly rounded sum is one float: worked out by integers, it is fsum's, ties to
    # even, cancellation and subnormals included (``copies``: long arrays, several blocks)
    import math

    import numpy as np

    from envreport.metrics import numbers
    from envreport.metrics.numbers import _exact_sum, fsum_array

    array = np.array(values * copies)
    expected = math.fsum(array)
    exact = _exact_sum(array)
    assert exact is None if expected == 0 else exact == expected
    assert repr(fsum_array(array)) == repr(expected)  # (-0.0 too: left to fsum)
    blocks = np.resize(array, numbers._SUM_BLOCK * 2 + 7)  # three blocks
    expected = math.fsum(blocks)
    exact = _exact_sum(blocks)
    assert exact is None if expected == 0 else exact == expected


def test_the_exact_sum_leaves_to_fsum_what_fsum_must_say() -> None:
    import math

    import numpy as np

    from envreport.metrics.numbers import EXACT_SUM_FROM, _exact_sum, fsum_array

    # a tie between two floats goes to the even one, as fsum rounds: 1 + 2**-53 is 1.0,
    # 1 + 3 * 2**-53 is 1 + 2**-51
    ones = np.ones(EXACT_SUM_FROM)
    assert _exact_sum(np.append(ones, 2.0 ** -53)) == 1000.0
    assert _exact_sum(np.array([1.0, 2.0 ** -53, 2.0 ** -53, 2.0 ** -53] * 300)) \
        == math.fsum([1.0, 2.0 ** -53, 2.0 ** -53, 2.0 ** -53] * 300)
    # not finite, near the largest float, or zero (its sign): fsum's answer
    for odd in (math.inf, math.nan, 1e300):
        assert _exact_sum(np.append(ones, odd)) is None
    assert _exact_sum(np.array([1.0, -1.0] * 600)) is None
    assert repr(fsum_array(np.array([-0.0] * 2000))) == repr(math.fsum([-0.0] * 2000))
    assert math.isnan(fsum_array(np.append(ones, math.nan)))
    with np.errstate(over="ignore"):
        assert math.isinf(fsum_array(np.append(ones, math.inf)))


def test_is_in_reads_a_categorical_by_its_codes_as_isin_does() -> None:
    import numpy as np
    import pandas as pd

    from envreport.metrics.numbers import is_in

    # unused and missing categories, a missing entry: what Series.isin says, by codes
    texts = pd.Series(pd.Categorical(["1", None, "2", "biogenic", "1"],
                                     categories=["2", "1", "other", "biogenic"]))
    assert is_in(texts, ["1", "2"]).tolist() == [True, False, True, False, True]
    assert is_in(texts, ["other"]).tolist() == [False] * 5
    assert is_in(texts, []).tolist() == [False] * 5
    assert is_in(texts, ["biogenic", "x"]).tolist() == texts.isin(["biogenic", "x"]).tolist() \
        == [False, False, False, True, False]
    # any other column: Series.isin itself
    plain = pd.Series(["1", None, "2", np.nan], dtype=object)
    assert is_in(plain, ["1", "2"]).tolist() == [True, False, True, False]
    assert is_in(plain, ["1"]).dtype == bool
