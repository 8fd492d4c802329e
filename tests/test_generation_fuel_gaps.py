"""Fuel rows incomplete but not empty, which ``generation-exceeds-fuel`` (an error: more
electricity sold than the fuel holds) cannot catch: two warnings.

``generation-efficiency-high``: no coal plant turns more than about 47 % of its coal's energy
(net calorific value) into electricity, no gas plant more than about 64 %: a plant selling
above 50 % (coal, biomass) or 65 % (gas, oil, the rest) of its project's fuel is a warning at
its sold cell. ``generation-period-without-fuel``: a fuel-burning plant's Generation row for
a period that none of its project's Fuel rows touches, at its gross generation cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import validate_file
from tests.workbooks import minimal, write_workbook


def _validated(tmp_path: Path, generation: list[list[object]],
               fuel: list[list[object]], kinds: dict[str, str],
               periods: bool = False) -> list:
    """The findings of a workbook with these Generation and Fuel rows (``periods``: each
    row's last two values are its period_start and period_end) and these projects."""
    columns = ["period_start", "period_end"] if periods else []
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct"],
                *[[pid, pid, "CN", "energy", kind, "operation", 100]
                  for pid, kind in kinds.items()]]
    submission = validate_file(write_workbook(tmp_path / "wb.xlsx", minimal(
        Projects=projects,
        Fuel=[["project_id", "fuel", "quantity", "unit", "use", *columns], *fuel],
        Generation=[["project_id", "technology", "gross_generation_mwh", "net_export_mwh",
                     *columns], *generation])))
    return submission.findings.items


def test_a_plant_selling_more_of_its_fuel_than_its_kind_can_is_a_warning(
        tmp_path: Path) -> None:
    """By hand (1 MWh = 3.6 GJ; the fuel given in GJ, so its energy is the quantity):
    - P1 coal: sells 7 000 MWh = 25 200 GJ of 50 000 GJ of coal = 50.4 % > 50 %: warning at
      its net_export cell D2;
    - P2 gas: 6 500 MWh = 23 400 GJ of 36 000 GJ = exactly 65 %: a combined cycle can, fine;
    - P3 gas: the export blank, so the gross 8 000 MWh = 28 800 GJ is sold, of 30 000 GJ =
      96 % > 65 %: warning at its gross cell C5 (its first row, 4, sold 0 MWh: not selling);
    - P4 coal: 25 200 GJ sold of 20 000 GJ: more than burned, the error, not the warning;
    - P5 coal: 25 200 GJ of 100 000 GJ = 25.2 %, an ordinary plant: fine;
    - P6 biomass: 5 000 MWh = 18 000 GJ of 30 000 GJ of wood = 60 % > 50 %: warning at D7.
    """
    generation = [["P1", "coal_power", 7_500, 7_000],
                  ["P2", "gas_power", 7_000, 6_500],
                  ["P3", "gas_power", 0, 0],
                  ["P3", "gas_power", 8_000, None],
                  ["P4", "coal_power", 7_500, 7_000],
                  ["P6", "biomass_power", 5_500, 5_000],
                  ["P5", "coal_power", 7_500, 7_000]]
    fuel = [["P1", "bituminous_coal", 30_000, "GJ", "stationary"],
            ["P1", "bituminous_coal", 20_000, "GJ", "stationary"],
            ["P2", "natural_gas", 36_000, "GJ", "stationary"],
            ["P3", "natural_gas", 30_000, "GJ", "stationary"],
            ["P4", "bituminous_coal", 20_000, "GJ", "stationary"],
            ["P5", "bituminous_coal", 100_000, "GJ", "stationary"],
            ["P6", "wood", 30_000, "GJ", "stationary"]]
    findings = _validated(tmp_path, generation, fuel, {
        "P1": "coal_power", "P2": "gas_power", "P3": "gas_power", "P4": "coal_power",
        "P5": "coal_power", "P6": "biomass_power"})
    high = [f for f in findings if f.code == "generation-efficiency-high"]
    assert [(f.severity, f.sheet, f.cell, f.field, f.value, f.params) for f in high] == [
        ("warning", "Generation", "D2", "net_export_mwh", 7_000,
         {"project_id": "P1", "technology": "coal_power", "sold_gj": "25,200",
          "fuel_gj": "50,000", "efficiency": 50.4, "ceiling": 50}),
        ("warning", "Generation", "C5", "gross_generation_mwh", 8_000,
         {"project_id": "P3", "technology": "gas_power", "sold_gj": "28,800",
          "fuel_gj": "30,000", "efficiency": 96.0, "ceiling": 65}),
        ("warning", "Generation", "D7", "net_export_mwh", 5_000,
         {"project_id": "P6", "technology": "biomass_power", "sold_gj": "18,000",
          "fuel_gj": "30,000", "efficiency": 60.0, "ceiling": 50})]
    assert [(f.code, f.cell) for f in findings if f.code == "generation-exceeds-fuel"] == [
        ("generation-exceeds-fuel", "D6")]
    assert high[0].message() == (
        "P1 sells 25,200 GJ of electricity from a coal_power plant: 50.4 % of the 50,000 GJ "
        "of fuel on its Fuel rows, more than the 50 % the most efficient plants of its kind "
        "turn into electricity. Some of its fuel is probably missing: its Scope 1 emissions "
        "and the energy consumed (GRI 302-1) would be understated.")
    assert high[0].hint() == (
        "Check that the Fuel sheet holds all the fuel the plant burned in the period "
        "(project_id P1), and the generation figures and their unit (MWh).")
    assert high[0].message("zh").startswith(
        "P1 的煤电项目售出25,200吉焦电量，相当于其“燃料燃烧”记录中50,000吉焦燃料的50.4%")
    assert "“燃料燃烧”工作表" in high[0].hint("zh")


def test_the_ceiling_of_a_project_with_two_kinds_of_plant_is_the_higher(
        tmp_path: Path) -> None:
    """P1 has a coal and a gas plant: 7 000 + 3 000 MWh = 36 000 GJ sold of 60 000 GJ of
    fuel = 60 %: above coal's 50 % but a combined cycle's 65 % allows it, so no warning.
    Solar output is not fuel's: P2's 9 000 MWh of solar beside 1 000 MWh of gas (3 600 GJ of
    10 000 GJ = 36 %) is fine."""
    generation = [["P1", "coal_power", 7_500, 7_000], ["P1", "gas_power", 3_200, 3_000],
                  ["P2", "solar_pv", 9_500, 9_000], ["P2", "gas_power", 1_100, 1_000]]
    fuel = [["P1", "bituminous_coal", 40_000, "GJ", "stationary"],
            ["P1", "natural_gas", 20_000, "GJ", "stationary"],
            ["P2", "natural_gas", 10_000, "GJ", "stationary"]]
    findings = _validated(tmp_path, generation, fuel, {"P1": "coal_power",
                                                      "P2": "gas_power"})
    assert [f for f in findings if f.code.startswith("generation-")] == []


def test_generation_in_a_period_no_fuel_row_touches_is_a_warning(tmp_path: Path) -> None:
    """P1 (coal) reports its coal for January to March, month by month, and its power for
    January to April: April's row (Excel row 5) has no fuel behind it. Its year looks fine
    (3 × 2 800 + 2 300 = 10 700 MWh = 38 520 GJ sold of 120 000 GJ of coal = 32.1 %): only
    the periods show that April's coal is missing. P2 (gas) reports its gas as one row with a
    blank period (the whole year): covered.
    P3 (coal) reports its coal by quarter: February is inside Q1, covered. P4 (oil) has fuel
    for January only, and a row from 31 January to 28 February: one day shared, covered.
    P5 (solar) burns nothing: no fuel needed. P1's May row generated nothing: not judged.
    """
    generation = [["P1", "coal_power", 3_000, 2_800, "2024-01-01", "2024-01-31"],
                  ["P1", "coal_power", 3_000, 2_800, "2024-02-01", "2024-02-29"],
                  ["P1", "coal_power", 3_000, 2_800, "2024-03-01", "2024-03-31"],
                  ["P1", "coal_power", 2_500, 2_300, "2024-04-01", "2024-04-30"],
                  ["P1", "coal_power", 0, 0, "2024-05-01", "2024-05-31"],
                  ["P2", "gas_power", 3_000, 2_900, "2024-06-01", "2024-06-30"],
                  ["P3", "coal_power", 1_000, 900, "2024-02-01", "2024-02-29"],
                  ["P4", "oil_power", 100, 90, "2024-01-31", "2024-02-28"],
                  ["P5", "solar_pv", 500, 480, "2024-07-01", "2024-07-31"]]
    fuel = [["P1", "bituminous_coal", 40_000, "GJ", "stationary", "2024-01-01", "2024-01-31"],
            ["P1", "bituminous_coal", 40_000, "GJ", "stationary", "2024-02-01", "2024-02-29"],
            ["P1", "bituminous_coal", 40_000, "GJ", "stationary", "2024-03-01", "2024-03-31"],
            ["P2", "natural_gas", 50_000, "GJ", "stationary", None, None],
            ["P3", "bituminous_coal", 90_000, "GJ", "stationary", "2024-01-01", "2024-03-31"],
            ["P4", "fuel_oil", 5_000, "GJ", "stationary", "2024-01-01", "2024-01-31"]]
    findings = _validated(tmp_path, generation, fuel, {
        "P1": "coal_power", "P2": "gas_power", "P3": "coal_power", "P4": "oil_power",
        "P5": "solar_pv"}, periods=True)
    gaps = [f for f in findings if f.code == "generation-period-without-fuel"]
    assert [(f.severity, f.sheet, f.cell, f.field, f.value, f.params) for f in gaps] == [
        ("warning", "Generation", "C5", "gross_generation_mwh", 2_500,
         {"project_id": "P1", "technology": "coal_power", "start": "2024-04-01",
          "end": "2024-04-30"})]
    assert gaps[0].message() == (
        "P1's coal_power plant generated 2500 MWh from 2024-04-01 to 2024-04-30, but no Fuel "
        "row of P1 covers a day of that period: the fuel it burned then is probably missing, "
        "and with it the plant's Scope 1 emissions and part of the energy consumed "
        "(GRI 302-1).")
    assert gaps[0].hint().startswith("Add the fuel burned in that period to the Fuel sheet "
                                     "(project_id P1")
    assert gaps[0].message("zh").startswith(
        "P1 的煤电项目在2024-04-01至2024-04-30期间发电2500兆瓦时")
    # the year's energy is plausible (32.1 %): no other generation finding
    assert not {f.code for f in findings} & {"generation-efficiency-high",
                                              "generation-exceeds-fuel",
                                              "generation-fuel-missing"}


def test_a_fuel_row_with_an_error_of_its_own_leaves_its_plant_unjudged(
        tmp_path: Path) -> None:
    """A Fuel row rejected for its own error is fuel the sheet holds, not fuel missing: its
    error (#N/A in the quantity, a text date) is the one finding about it. P1 (coal) sells
    7 000 MWh = 25 200 GJ; its rows hold 20 000 GJ and a quantity that is #N/A, which made
    "more electricity than fuel" (generation-exceeds-fuel: 25 200 > 20 000 GJ). P2's only
    Fuel row has a date that is no date: "no Fuel row for P2" (generation-fuel-missing) and
    "generation in a period without fuel" were said of it. P3, whose fuel rows are fine and
    too small (10 000 GJ for 25 200 GJ sold), is still the error it is."""
    generation = [["P1", "coal_power", 7_500, 7_000, "2024-01-01", "2024-12-31"],
                  ["P2", "gas_power", 7_500, 7_000, "2024-01-01", "2024-12-31"],
                  ["P3", "coal_power", 7_500, 7_000, "2024-01-01", "2024-12-31"]]
    fuel = [["P1", "bituminous_coal", 20_000, "GJ", "stationary", "2024-01-01", "2024-06-30"],
            ["P1", "bituminous_coal", "#N/A", "GJ", "stationary", "2024-07-01", "2024-12-31"],
            ["P2", "natural_gas", 90_000, "GJ", "stationary", "2024-01-01", "31.12.2024"],
            ["P3", "bituminous_coal", 10_000, "GJ", "stationary", "2024-01-01", "2024-12-31"]]
    findings = _validated(tmp_path, generation, fuel, {
        "P1": "coal_power", "P2": "gas_power", "P3": "coal_power"}, periods=True)
    assert [(f.code, f.sheet, f.cell) for f in findings if f.sheet in ("Fuel", "Generation")
            and f.code != "project-rows-unusable"] == [
        ("cell-error-value", "Fuel", "C3"), ("not-a-date", "Fuel", "G4"),
        ("generation-exceeds-fuel", "Generation", "D4")]
    assert findings[-1].params["project_id"] == "P3"


def test_every_technology_has_the_chinese_name_of_the_template_drop_down() -> None:
    """A Generation finding names the technology in Chinese by the label the Chinese
    template's drop-down shows beside the id ("煤电（coal_power）"): one label, every type."""
    from envreport.render.vocabulary import PROJECT_TYPES as REPORT_LABELS
    from envreport.schema import vocabulary
    from envreport.schema.sheets import PROJECT_TYPES
    from envreport.schema.vocabulary import drop_down_entries

    names = {code: vocabulary.label_in(vocabulary.PROJECT_TYPES, code, "zh")
             for code in PROJECT_TYPES}
    assert [code for code, name in names.items() if not re.match("[\u4e00-\u9fff]", name)] == []
    entries = drop_down_entries(PROJECT_TYPES, "zh")
    assert entries == tuple(f"{names[c]}（{c}）" for c in PROJECT_TYPES)
    # the form itself, written out: the label, then the id in full-width brackets
    assert entries[list(PROJECT_TYPES).index("coal_power")] == "煤电（coal_power）"
    assert set(REPORT_LABELS) == set(PROJECT_TYPES)
    assert (names["coal_power"], names["solar_pv"]) == ("煤电", "光伏")
    assert vocabulary.label_in(vocabulary.PROJECT_TYPES, "coal_power", "en") == "Coal power"
