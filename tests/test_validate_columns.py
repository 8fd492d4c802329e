"""Column-wise validation: the row rules declared once on the models, the column checks
agreeing with the model cell by cell (types kept apart, bounds read from the field)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from envreport.io.reader import RawSheet, RawWorkbook
from envreport.schema import SHEETS, RowContext
from envreport.schema.base import RowRule
from envreport.schema.sheets import ElectricitySheet, FuelSheet
from envreport.validate import validate
from tests.workbooks import ORGANIZATION, PROJECTS

CONTEXT = RowContext(date(2024, 1, 1), date(2024, 12, 31), "equity_share")


def run(**sheets: list[list[Any]]) -> Any:
    """Validate an in-memory workbook (Organization and Projects of the minimal one)."""
    raw = [RawSheet("Organization", [list(r) for r in ORGANIZATION]),
           RawSheet("Projects", [list(r) for r in PROJECTS])]
    raw += [RawSheet(name, rows) for name, rows in sheets.items()]
    return validate(RawWorkbook(Path("columns.xlsx"), "0" * 64, raw))


def cells(submission: Any, sheet: str) -> list[tuple[str | None, str, Any]]:
    """(cell, code, value) of the sheet's errors (warnings such as duplicates apart)."""
    return [(f.cell, f.code, f.value) for f in submission.findings.errors if f.sheet == sheet]


def test_every_row_rule_is_declared_as_a_row_rule() -> None:
    # One declaration per rule: no model keeps a hand-written rule_* method beside them.
    for spec in SHEETS:
        names = [n for n in dir(spec.model) if n.startswith("rule_")]
        assert all(isinstance(getattr(spec.model, n), RowRule) for n in names), spec.name
        assert len(spec.model.row_rules) == len(names)


def test_one_model_and_the_whole_sheet_break_the_same_rule_at_the_same_field() -> None:
    record = {"project_id": "P1", "quantity": 100, "unit": "kWh", "instrument": "rec",
              "instrument_quantity": 150, "period_start": date(2024, 6, 1),
              "period_end": date(2025, 2, 1)}
    with pytest.raises(ValidationError) as raised:
        ElectricitySheet.model_validate(record, context=CONTEXT)
    violations = raised.value.errors()[0]["ctx"]["violations"]
    assert [(v.code, v.field, v.params) for v in violations] == [
        ("instrument-quantity-exceeds", "instrument_quantity", {"quantity": 100.0}),
        ("period-outside-reporting", "period_end",
         {"start": "2024-06-01", "end": "2025-02-01", "period_start": "2024-01-01",
          "period_end": "2024-12-31"}),
    ]
    header = list(record)
    sub = run(Electricity=[header, list(record.values()), ["P1", 100, "kWh", "rec", 50, "", ""]])
    assert cells(sub, "Electricity") == [
        ("E2", "instrument-quantity-exceeds", 150),
        ("G2", "period-outside-reporting", date(2025, 2, 1)),
    ]
    assert sub.tables["Electricity"]["row"].tolist() == [3]


def test_a_period_starting_early_is_reported_at_its_start_and_a_reversed_one_at_its_end() -> None:
    fuel = [["project_id", "fuel", "quantity", "unit", "use", "period_start", "period_end"],
            ["P2", "diesel", 10, "L", "offroad", date(2023, 12, 1), date(2024, 1, 31)],
            ["P2", "diesel", 10, "L", "offroad", date(2024, 3, 1), date(2024, 2, 1)],
            ["P2", "diesel", 10, "L", "offroad", "", date(2025, 1, 31)],
            ["P2", "diesel", 10, "L", "offroad", date(2024, 2, 1), ""]]
    sub = run(Fuel=fuel)
    assert [(c, code) for c, code, _ in cells(sub, "Fuel")] == [
        ("F2", "period-outside-reporting"), ("G3", "period-end-before-start"),
        ("G4", "period-outside-reporting")]
    # Each finding is the one the model gives for that row alone.
    for row in fuel[1:4]:
        record = {k: v for k, v in zip(fuel[0], row, strict=True) if v != ""}
        with pytest.raises(ValidationError):
            FuelSheet.model_validate(record, context=CONTEXT)
    table = sub.tables["Fuel"]
    assert table["row"].tolist() == [5]
    # A blank end is the reporting period's.
    assert table["period_end"].tolist() == [pd.Timestamp(2024, 12, 31)]


# Each activity sheet with its required columns after its period: the period is B and C.
_ACTIVITY = {
    "Fuel": (["fuel", "quantity", "unit", "use"], ["diesel", 10, "L", "offroad"]),
    "Electricity": (["quantity", "unit"], [100, "MWh"]),
    "Generation": (["technology", "gross_generation_mwh", "net_export_mwh"], ["solar_pv", 5, 0]),
    "Refrigerants": (["gas", "quantity_kg"], ["HFC-134a", 2]),
    "Water": (["flow", "source", "quantity", "unit"], ["withdrawal", "ground", 30, "m3"]),
    "Waste": (["waste_type", "hazardous", "quantity", "unit", "disposal"],
              ["sludge", "no", 3, "t", "landfill"]),
    "Pollutants": (["pollutant", "quantity_t"], ["SO2", 1]),
}


def test_a_period_with_one_date_blank_is_the_reporting_periods_bound_on_every_sheet() -> None:
    # A blank date is the reporting period's bound (2024-01-01 / 2024-12-31): the period it
    # makes must itself lie inside the reporting period and end on or after its start.
    day = date.fromisoformat
    periods = [
        ("", day("2023-06-30")),  # 2: blank start, end before the year: C2, ends before start
        ("", day("2023-12-31")),  # 3: the day before: C3
        ("", day("2024-01-01")),  # 4: ends on the year's first day: a one-day period, fine
        ("", day("2024-06-30")),  # 5: inside: fine
        ("", day("2025-01-31")),  # 6: end after the year: C6, outside as before
        (day("2023-12-01"), ""),  # 7: blank end, start before the year: B7, as before
        (day("2024-07-01"), ""),  # 8: inside: fine
        (day("2024-12-31"), ""),  # 9: starts on the year's last day: fine
        (day("2025-01-01"), ""),  # 10: the day after: B10
        (day("2025-02-01"), ""),  # 11: start after the year: B11, ends before start
        ("", ""),  # 12: the whole year
    ]
    sheets = {}
    for name, (fields, values) in _ACTIVITY.items():
        sheets[name] = [["project_id", "period_start", "period_end", *fields]] + [
            ["P1", start, end, *values] for start, end in periods]
    sub = run(**sheets)
    single, outside = "period-single-date-outside", "period-outside-reporting"
    for name in _ACTIVITY:
        assert cells(sub, name) == [
            ("C2", single, date(2023, 6, 30)), ("C3", single, date(2023, 12, 31)),
            ("C6", outside, date(2025, 1, 31)), ("B7", outside, date(2023, 12, 1)),
            ("B10", single, date(2025, 1, 1)), ("B11", single, date(2025, 2, 1))], name
        assert sub.tables[name]["row"].tolist() == [4, 5, 8, 9, 12], name
        assert sub.tables[name]["period_start"].min() == pd.Timestamp(2024, 1, 1)
    [blank_start] = [f for f in sub.findings.errors if (f.sheet, f.cell) == ("Water", "C2")]
    [blank_end] = [f for f in sub.findings.errors if (f.sheet, f.cell) == ("Water", "B11")]
    assert blank_start.severity == blank_end.severity == "error"
    assert blank_start.message() == (
        "period_end (2023-06-30) is outside the reporting period 2024-01-01 to 2024-12-31; the "
        "row's other date is blank, so it is taken as 2024-01-01 and the row's period would "
        "end before it starts.")
    assert blank_end.message() == (
        "period_start (2025-02-01) is outside the reporting period 2024-01-01 to 2024-12-31; "
        "the row's other date is blank, so it is taken as 2024-12-31 and the row's period "
        "would end before it starts.")
    assert blank_end.hint() == (
        "Report only activity of this reporting period, or correct period_start.")
    assert blank_start.message("zh") == (
        "期间结束（period_end）为2023-06-30，不在报告期2024-01-01至2024-12-31之内；该行另一日期为空，"
        "按2024-01-01计，该行期间将在开始之前就已结束。")
    assert blank_start.hint("zh") == "请只填报本报告期内的活动数据，或更正期间结束（period_end）。"
    # The model alone breaks the same rule at the same field (the one-row frame's rules).
    with pytest.raises(ValidationError) as raised:
        FuelSheet.model_validate({"project_id": "P1", "fuel": "diesel", "quantity": 1,
                                  "unit": "L", "use": "offroad",
                                  "period_end": date(2023, 6, 30)}, context=CONTEXT)
    [violation] = raised.value.errors()[0]["ctx"]["violations"]
    assert (violation.code, violation.field, violation.params) == (
        single, "period_end", {"filled": "2024-01-01", "period_start": "2024-01-01",
                               "period_end": "2024-12-31"})
    # Without a reporting period (Organization's dates invalid) no period rule can apply.
    assert FuelSheet.model_validate({"project_id": "P1", "fuel": "diesel", "quantity": 1,
                                     "unit": "L", "use": "offroad",
                                     "period_start": date(2025, 2, 1)},
                                    context=RowContext()).period_end is None


def test_one_column_of_mixed_types_is_checked_value_by_value() -> None:
    # 1, 1.0 and True are equal in Python; each is its own distinct value here.
    fuel = [["project_id", "fuel", "quantity", "unit", "use", "source_ref"],
            ["P2", "diesel", 1, "L", "offroad", 101.0],
            ["P2", "diesel", 1.0, "L", "offroad", "101"],
            ["P2", "diesel", True, "L", "offroad", True],
            ["P2", "diesel", " 2.5 ", "L", "offroad", " x "],
            ["P2", "diesel", "1,234", "L", "offroad", None]]
    sub = run(Fuel=fuel)
    assert cells(sub, "Fuel") == [("C4", "not-a-number", True), ("C6", "not-a-number", "1,234")]
    table = sub.tables["Fuel"]
    assert table["row"].tolist() == [2, 3, 5]
    assert table["quantity"].tolist() == [1.0, 1.0, 2.5]
    assert table["source_ref"].tolist() == ["101", "101", "x"]


def test_number_cells_are_checked_against_the_bounds_the_field_declares() -> None:
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 0.0, "L", "offroad"],
            ["P2", "diesel", -0.5, "L", "offroad"],
            ["P2", "diesel", 1e19, "L", "offroad"],
            ["P2", "diesel", float("inf"), "L", "offroad"],
            ["P2", "diesel", float("nan"), "L", "offroad"],
            ["P2", "diesel", 1e18, "L", "offroad"]]
    sub = run(Fuel=fuel)
    assert [(c, code) for c, code, _ in cells(sub, "Fuel")] == [
        ("C3", "value-out-of-range"), ("C4", "number-too-large"), ("C5", "not-a-number"),
        ("C6", "not-a-number")]
    assert sub.tables["Fuel"]["quantity"].tolist() == [0.0, 1e18]


def test_rows_failing_with_the_same_cells_get_each_their_own_findings() -> None:
    # One validation serves every row that fails with the same cells; each finding still
    # names its own row and value (-0.0 stays -0.0).
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 10, "lbs?", "offroad"],
            ["P2", "diesel", 20, "lbs?", "offroad"],
            ["P2", "diesel", 30, "lbs?", "nowhere"],
            ["P2", "diesel", -0.0, "L", "offroad"]]
    rates = [["currency", "rate_to_reporting_currency", "source"],
             ["USD", 0.0, "bank"], ["EUR", -0.0, "bank"], ["KES", 0.05, "bank"]]
    sub = run(Fuel=fuel, FxRates=rates)
    assert [(c, code) for c, code, _ in cells(sub, "Fuel")] == [
        ("D2", "unit-unknown"), ("D3", "unit-unknown"), ("D4", "unit-unknown"),
        ("E4", "value-not-allowed")]
    assert sub.tables["Fuel"]["row"].tolist() == [5]
    found = [(c, code, math.copysign(1, value)) for c, code, value in cells(sub, "FxRates")]
    assert found == [("B2", "value-out-of-range", 1.0), ("B3", "value-out-of-range", -1.0)]


def test_each_fields_own_validator_agrees_with_a_one_field_model_of_it() -> None:
    # validate.fields takes each field's schema from the sheet model's own (no model made per
    # field): on awkward values of every kind, every field of every sheet passes, fails and
    # converts exactly as a one-field model of that field declared the same way (the way
    # it was checked before, create_model with the field's annotation, FieldInfo and config).
    from pydantic import create_model

    from envreport.validate.fields import _field_validator

    values: list[Any] = [None, "", "  ", "x", "Kenya", "KE", "KEN", "kenya ", "tCO2e", "kg",
                         "diesel", "Diesel", "L", "kWh", "yes", "no", "TRUE", True, False, 0,
                         1, -1, 2.5, -0.5, 1e20, float("nan"), "12", "1,234.5", "2024-03-01",
                         "2025-12-31", "2023-12-31", "01/03/2024", date(2024, 3, 1),
                         date(2030, 1, 1), 45352, 45352.5, "P-01", "PRJ-001", "equity_share",
                         "=1+1", "a" * 600, "\u0000", "肯尼亚", "other"]
    compared = 0
    for spec in SHEETS:
        for name, info in spec.model.model_fields.items():
            definition: dict[str, Any] = {name: (info.annotation, info)}
            single = create_model(f"{spec.model.__name__}_{name}",
                                  __config__=spec.model.model_config, **definition)
            validator = _field_validator(spec.model, name)
            for value in values:
                try:
                    expected: Any = ("ok", getattr(single.model_validate({name: value},
                                                                        context=CONTEXT), name))
                except ValidationError as exc:
                    expected = ("error", [(e["type"], e["msg"]) for e in exc.errors()])
                try:
                    [(fields, _, _)] = validator.validate_python([{name: value}],
                                                                 context=CONTEXT)
                    got: Any = ("ok", fields[name])
                except ValidationError as exc:
                    got = ("error", [(e["type"], e["msg"]) for e in exc.errors()])
                assert repr(got) == repr(expected), (spec.name, name, value)
                compared += 1
    assert compared == len(values) * sum(len(s.model.model_fields) for s in SHEETS)


@pytest.mark.parametrize("cells", [
    ["diesel", "petrol", "diesel", " ", "petrol", "#N/A"],  # texts only: the one-pass codes
    ["diesel", 1.0, "diesel", True, 1.0],  # a number among texts: types kept apart
    ["1", 1.0, True, 1, "True"],  # equal to each other for ==, not for the column
    ["x", -0.0, 0.0, False, 0],
    ["x", date(2024, 1, 1), "x", None],
    [1.0, "diesel", "diesel"],  # a first cell that is no text: not tried as texts
    [],
])
def test_a_columns_codes_are_the_same_whichever_way_they_are_made(cells: list[Any]) -> None:
    # Texts-only columns are coded by one pass of dict lookups (_text_codes), any other by
    # the type-aware factorize: a column holding anything but texts must never be coded as
    # texts (1.0 and True, -0.0 and 0.0 are equal keys of a dict), and a texts-only one must
    # get the codes and distinct values factorize gives.
    import numpy as np

    from envreport.validate.layout import _text_codes, factorize

    texts = _text_codes(cells)
    if all(type(cell) is str for cell in cells) and cells:
        assert texts is not None
        codes, distinct = texts
        expected_codes, expected = factorize(np.array(cells, dtype=object))
        assert codes.tolist() == expected_codes.tolist()
        assert distinct == expected
    else:
        assert texts is None
