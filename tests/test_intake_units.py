"""Units are looked up in a curated vocabulary, never evaluated (issue 9: ambiguous units)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from envreport.units import (
    AMBIGUOUS,
    VOCABULARY,
    UnitError,
    conversion_factor,
    dimension_of,
    normalise_unit,
    ratio_factor,
    vocabulary_markdown,
)
from tests.conftest import ROOT, validate_file
from tests.workbooks import minimal, write_workbook


@pytest.mark.parametrize(("text", "canonical"), [
    ("tonnes", "t"), ("t", "t"), ("metric ton", "t"), ("Metric_Tons", "t"), ("吨", "t"),
    ("m3", "m3"), ("m³", "m3"), ("M3", "m3"), ("Nm3", "m3"), ("cubic metres", "m3"),
    ("KWH", "kWh"), ("kwh", "kWh"), ("MWH", "MWh"), ("ML", "ML"), ("litres", "L"),
    ("l", "L"), ("US gallon", "US_gallon"), ("imperial_gallon", "imperial_gallon"),
    ("short ton", "short_ton"), ("mmbtu", "MMBtu"), (" kg ", "kg"),
])
def test_accountants_spellings_are_looked_up(text: str, canonical: str) -> None:
    assert normalise_unit(text) == canonical


@pytest.mark.parametrize(("text", "choices"), [
    ("ton", ("t", "short_ton")), ("tons", ("t", "short_ton")), ("mt", ("t", "short_ton")),
    ("MT", ("t", "short_ton")), ("Mt", ("t", "short_ton")),
    ("gal", ("US_gallon", "imperial_gallon")), ("gallons", ("US_gallon", "imperial_gallon")),
    ("ml", ("ML", "L")), ("mL", ("ML", "L")),
])
def test_ambiguous_spellings_are_refused_with_the_choices(text: str, choices: tuple) -> None:
    with pytest.raises(UnitError) as caught:
        normalise_unit(text)
    assert caught.value.ambiguous == choices


@pytest.mark.parametrize("text", ["10**10**10", "kWh/L", "meter**3", "1e999 t", "(", "m3)",
                                  "__import__('os')", "Mm3", "drums", "x" * 10_000])
def test_free_text_is_never_evaluated(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(UnitError):
        normalise_unit(text)
    assert time.perf_counter() - started < 0.5


def test_conversions_between_vocabulary_units_are_exact() -> None:
    assert conversion_factor("short_ton", "t") == 0.90718474
    assert conversion_factor("imperial_gallon", "L") == 4.54609
    assert conversion_factor("US_gallon", "L") == 3.785411784
    assert conversion_factor("bbl", "m3") == 0.158987294928
    assert conversion_factor("MWh", "GJ") == 3.6
    assert conversion_factor("scf", "m3") == 0.02679
    assert conversion_factor("tonnes", "kg") == 1000.0
    with pytest.raises(UnitError):
        conversion_factor("meter**3", "m3")


def test_every_vocabulary_unit_has_its_dimension() -> None:
    for unit in VOCABULARY:
        assert dimension_of(unit.canonical) == unit.dimension
        for alias in unit.aliases:
            assert normalise_unit(alias) == unit.canonical, alias
    assert dimension_of("tons") is None


def test_units_doc_is_generated_from_the_vocabulary() -> None:
    committed = (ROOT / "docs" / "units.md").read_text(encoding="utf-8")
    assert committed == vocabulary_markdown(), "docs/units.md drifted: run scripts/gen_docs.py"
    for spelling in AMBIGUOUS:
        assert f"| `{spelling}` |" in committed


def test_unit_findings_name_the_cell_and_the_fix(tmp_path: Path) -> None:
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 10, "tons", "offroad"],
            ["P2", "diesel", 10, "MT", "offroad"],
            ["P2", "diesel", 10, "gal", "offroad"],
            ["P2", "diesel", 10, "litter", "offroad"],
            ["P2", "diesel", 10, "10**10**10", "offroad"],
            ["P2", "diesel", 10, "M3", "offroad"]]
    water = [["project_id", "flow", "source", "quantity", "unit"],
             ["P1", "withdrawal", "ground", 10, "kWh"],
             ["P1", "withdrawal", "ground", 10, "cubic metres"],
             ["P1", "withdrawal", "ground", 10, "cubes"]]
    submission = validate_file(write_workbook(tmp_path / "u.xlsx",
                                              minimal(Fuel=fuel, Water=water)))
    found = [(f.sheet, f.cell, f.code) for f in submission.findings]
    assert found == [
        ("Fuel", "D2", "unit-ambiguous"), ("Fuel", "D3", "unit-ambiguous"),
        ("Fuel", "D4", "unit-ambiguous"), ("Fuel", "D5", "unit-unknown"),
        ("Fuel", "D6", "unit-unknown"), ("Water", "E2", "unit-wrong-dimension"),
        ("Water", "E4", "unit-unknown"),
    ]
    by_cell = {f.cell: f for f in submission.findings}
    # the hints name the units themselves: a subsidiary on the portal has no docs/units.md
    assert by_cell["D2"].hint() == "Write t or short_ton instead, whichever is meant."
    assert by_cell["D2"].hint("zh") == "请根据实际含义改写为 t 或 short_ton。"
    assert by_cell["D6"].hint() == (
        "Write one of the units the column accepts: t, kg, g, kt, Gg, lb, short_ton, "
        "long_ton, L, kL, m3, ML, US_gallon, imperial_gallon, bbl, scf, kWh, MWh, GWh, MJ, "
        "GJ, TJ, MMBtu, therm, toe; or the unit's full name, in English or Chinese.")
    assert by_cell["E4"].hint() == (  # Water: volumes only
        "Write one of the units the column accepts: L, kL, m3, ML, US_gallon, "
        "imperial_gallon, bbl, scf; or the unit's full name, in English or Chinese.")
    assert by_cell["E4"].hint("zh") == (
        "请填写该列接受的单位之一：L、kL、m3、ML、US_gallon、imperial_gallon、bbl、scf；"
        "也可写单位的英文或中文全称。")
    assert not [f for f in submission.findings
                for lang in ("en", "zh") if "docs/" in f.hint(lang) + f.message(lang)]
    assert by_cell["D4"].hint() .startswith("Write US_gallon or imperial_gallon instead")
    assert by_cell["D5"].message() == ("'litter' is not a recognised unit. "
                                       "Did you mean L?")
    assert by_cell["D5"].message("zh") == "“litter”不是可识别的单位。您是否想输入 L？"
    # M3 is cubic metres to a preparer, not mega-cubic-metres: row 7 is accepted as m3.
    assert submission.tables["Fuel"]["unit"].tolist() == ["m3"]
    assert submission.tables["Water"]["unit"].tolist() == ["m3"]


def test_a_multiple_of_a_unit_says_how_to_convert_never_suggests_its_unit(
        tmp_path: Path) -> None:
    """万千瓦时 (10 000 kWh), as Chinese statistics write large quantities, is no unit of the
    vocabulary; its nearest spelling, 千瓦时, is: "did you mean kWh?" would have the quantity
    kept and read 10 000 times too small (walked in Chinese, r17). A multiple says what it is
    and how to convert; one that is a unit of the list (千立方米 = ML) suggests that unit."""
    electricity = [["project_id", "quantity", "unit"],
                   ["P2", 12, "万千瓦时"], ["P2", 3, "亿千瓦时"], ["P2", 5, "万度"]]
    water = [["project_id", "flow", "source", "quantity", "unit"],
             ["P1", "withdrawal", "ground", 2, "千立方米"],
             ["P1", "withdrawal", "ground", 2, "万立方米"],
             ["P1", "withdrawal", "ground", 2, "万吨"]]
    submission = validate_file(write_workbook(tmp_path / "u.xlsx", minimal(
        Electricity=electricity, Water=water)))
    assert [(f.sheet, f.cell, f.code) for f in submission.findings] == [
        ("Electricity", "C2", "unit-multiple"), ("Electricity", "C3", "unit-multiple"),
        ("Electricity", "C4", "unit-multiple"), ("Water", "E2", "unit-unknown"),
        ("Water", "E3", "unit-multiple"), ("Water", "E4", "unit-unknown")]
    by_cell = {f.cell: f for f in submission.findings}
    assert by_cell["C2"].message() == (
        "'万千瓦时' is 10,000 kWh: a multiple of a unit, which the unit column does not take.")
    assert by_cell["C2"].hint() == (
        "Convert the quantity: multiply it by 10 and write MWh as its unit "
        "(1 万千瓦时 = 10 MWh).")
    assert by_cell["C2"].message("zh") == "“万千瓦时”是10,000 kWh，即单位的倍数，单位列不接受倍数。"
    assert by_cell["C2"].hint("zh") == "请换算数量：乘以10，单位填写 MWh（1万千瓦时等于10 MWh）。"
    assert by_cell["C3"].hint() == (  # 10^8 kWh = 100 GWh
        "Convert the quantity: multiply it by 100 and write GWh as its unit "
        "(1 亿千瓦时 = 100 GWh).")
    assert by_cell["E3"].hint("zh") == "请换算数量：乘以10，单位填写 ML（1万立方米等于10 ML）。"
    # a thousand cubic metres is the megalitre: the same quantity, another spelling
    assert by_cell["E2"].message() == "'千立方米' is not a recognised unit. Did you mean ML?"
    # a multiple of a mass on a volume column: no suggestion, not its unit t either
    assert by_cell["E4"].message() == "'万吨' is not a recognised unit."


@pytest.mark.parametrize(("text", "target", "factor"), [
    ("kg/GJ", "kg/TJ", 1000.0), ("MJ/kg", "TJ/Gg", 1.0), ("MJ/Nm³", "MJ/m3", 1.0),
    ("kg/L", "t/m3", 1.0), ("kg/Nm3", "t/m3", 0.001), ("g/kWh", "kg/kWh", 0.001),
    ("kg/MWh", "kg/kWh", 0.001), ("1", "1", 1.0),
])
def test_factor_units_are_ratios_of_vocabulary_units(text: str, target: str,
                                                     factor: float) -> None:
    assert ratio_factor(text, target) == factor


@pytest.mark.parametrize("text", ["10**10**10", "kg/TJ/TJ", "kg/kWh", "kg*TJ", "m**3",
                                  "tCO2/TJ", "x" * 10_000])
def test_factor_units_outside_the_vocabulary_do_not_fit(text: str) -> None:
    started = time.perf_counter()
    assert ratio_factor(text, "TJ/Gg") is None
    assert time.perf_counter() - started < 0.5


def test_factor_override_with_an_expression_unit_is_invalid_not_evaluated(
        tmp_path: Path) -> None:
    factors = [["factor_type", "key", "gas", "value", "unit", "source"],
               ["fuel", "diesel", "CO2", 74.1, "10**10**10", "lab"],
               ["fuel", "diesel", "CH4", 3.9, "kg/GJ", "lab"]]
    started = time.perf_counter()
    submission = validate_file(write_workbook(tmp_path / "f.xlsx", minimal(Factors=factors)))
    assert time.perf_counter() - started < 30
    assert [(f.cell, f.code) for f in submission.findings] == [("B2", "override-invalid")]
    assert submission.findings.items[0].message() == (
        "The fuel override for 'diesel' cannot be applied: unit '10**10**10' does not fit a "
        "fuel factor.")
