"""Intake of workbooks as accountants really fill them (issue 9): error values, percent
formats, merged cells, years in date cells, renamed sheets, title rows, header units,
duplicates across units, formats, and every problem of a row in one pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from envreport.submission import Submission
from tests.conftest import validate_file
from tests.workbooks import FUEL, PROJECTS, minimal, write_workbook

Edit = Callable[[Workbook], None]


def build(tmp_path: Path, edit: Edit | None = None, name: str = "wb.xlsx",
          **sheets: Any) -> Path:
    """A minimal submission with ``sheets`` replaced, then ``edit`` applied with openpyxl."""
    path = write_workbook(tmp_path / name, minimal(**sheets))
    if edit is not None:
        book = load_workbook(path)
        edit(book)
        book.save(path)
    return path


def found(submission: Submission) -> list[tuple[str | None, str | None, str]]:
    return [(f.sheet, f.cell, f.code) for f in submission.findings]


def set_error(book: Workbook, sheet: str, cell: str, error: str) -> None:
    book[sheet][cell].value = error
    book[sheet][cell].data_type = "e"


# --- Excel error values ------------------------------------------------------------------

@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!",
                                   "#NULL!", "#SPILL!", "#CALC!"])
def test_every_excel_error_value_is_an_error_at_its_cell(tmp_path: Path, error: str) -> None:
    electricity = [["project_id", "quantity", "unit", "instrument", "instrument_quantity"],
                   ["P1", 100, "MWh", "rec", 40], ["P1", 100, "MWh", "rec", 40]]
    path = build(tmp_path, lambda b: set_error(b, "Electricity", "E2", error),
                 Electricity=electricity)
    submission = validate_file(path)
    assert found(submission) == [("Electricity", "E2", "cell-error-value")]
    finding = submission.findings.items[0]
    assert finding.message() == f"instrument_quantity holds the Excel error {error}, not a value."
    # The row is not used: never "the certificate covers the whole row" by default.
    assert submission.tables["Electricity"]["row"].tolist() == [3]


def test_error_values_in_required_optional_and_organization_cells(tmp_path: Path) -> None:
    def edit(book: Workbook) -> None:
        set_error(book, "Fuel", "C2", "#DIV/0!")  # quantity, required
        set_error(book, "Fuel", "G3", "#N/A")  # period_end, optional: never the default
        set_error(book, "Organization", "B6", "#REF!")  # reporting_currency
    submission = validate_file(build(tmp_path, edit))
    assert found(submission) == [
        ("Organization", "B6", "cell-error-value"),
        ("Fuel", "C2", "cell-error-value"),
        ("Fuel", "G3", "cell-error-value"),
    ]
    assert [f.value for f in submission.findings] == ["#REF!", "#DIV/0!", "#N/A"]
    assert submission.tables["Fuel"].empty


def test_error_values_typed_as_text_are_errors_too(tmp_path: Path) -> None:
    fuel = [list(FUEL[0]), ["P2", "diesel", "#N/A", "L", "offroad", None, None],
            ["P2", "diesel", 5, "L", "offroad", "#value!", None]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    assert found(submission) == [("Fuel", "C2", "cell-error-value"),
                                 ("Fuel", "F3", "cell-error-value")]
    assert submission.findings.items[1].value == "#VALUE!"


# --- percent-formatted cells ---------------------------------------------------------------

def _percent(sheet: str, *cells: str) -> Edit:
    def edit(book: Workbook) -> None:
        for cell in cells:
            book[sheet][cell].number_format = "0%"
    return edit


def test_percent_formatted_ownership_is_read_as_a_percentage(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][6] = 0.51  # typed as 51% in Excel
    projects[2][6] = 0.075  # typed as 7.5%
    submission = validate_file(build(tmp_path, _percent("Projects", "G2", "G3"),
                                     Projects=projects))
    assert found(submission) == []
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [51.0, 7.5]


def test_percent_format_with_decimals_and_custom_code(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][6] = 0.3333

    def edit(book: Workbook) -> None:
        book["Projects"]["G2"].number_format = '0.00" "%'
    submission = validate_file(build(tmp_path, edit, Projects=projects))
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [33.33, 60.0]


def test_unformatted_fraction_among_percentages_is_a_warning(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[2][6] = 0.6  # P2 at 60 %, typed as a fraction
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission) == [("Projects", "G3", "pct-looks-like-fraction")]
    assert submission.findings.items[0].severity == "warning"
    # A warning only: 0.6 % may be meant; the value is kept as written.
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [100.0, 0.6]


def test_fraction_alone_in_its_column_is_not_flagged(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][6], projects[2][6] = 0.5, 1
    assert found(validate_file(build(tmp_path, Projects=projects))) == []


def test_percent_format_outside_pct_columns_changes_nothing(tmp_path: Path) -> None:
    submission = validate_file(build(tmp_path, _percent("Fuel", "C2")))
    assert submission.tables["Fuel"]["quantity"].tolist() == [1000.0, 1200.0]


# --- merged cells ---------------------------------------------------------------------------

def test_merged_cells_in_the_data_are_an_error_naming_the_range(tmp_path: Path) -> None:
    fuel = [list(FUEL[0])] + [["P2", "diesel", 100 + i, "L", "offroad", None, None]
                              for i in range(5)]

    def edit(book: Workbook) -> None:
        book["Fuel"].merge_cells("A3:A6")
    submission = validate_file(build(tmp_path, edit, Fuel=fuel))
    assert found(submission) == [("Fuel", "A3", "merged-cells")]
    assert submission.findings.items[0].message() == (
        "merged cells A3:A6: write the value in every row.")
    assert submission.tables["Fuel"]["row"].tolist() == [2]
    assert submission.rows["Fuel"].to_dict() == {"read": 5, "accepted": 1, "rejected": 4,
                                                 "blank": 0}


def test_horizontal_merge_and_a_merged_title_in_the_header(tmp_path: Path) -> None:
    fuel = [[*FUEL[0], "source_ref"],
            ["P2", "diesel", 100, "L", "offroad", None, None, "inv 1"],
            ["P2", "diesel", 100, "L", "offroad", None, None, "inv 2"]]

    def edit(book: Workbook) -> None:
        book["Fuel"].merge_cells("F2:G2")
        book["Projects"].merge_cells("K1:L1")  # outside the data: not reported
    submission = validate_file(build(tmp_path, edit, Fuel=fuel))
    assert found(submission) == [("Fuel", "F2", "merged-cells")]
    assert submission.findings.items[0].params == {"range": "F2:G2"}


# --- dates -----------------------------------------------------------------------------------

def test_bare_year_in_a_date_cell_says_it_looks_like_a_year(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][8] = 2020  # eia_approval_date
    projects[2][8] = "2019"
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission) == [("Projects", "I2", "date-looks-like-year"),
                                 ("Projects", "I3", "date-looks-like-year"),
                                 ("Fuel", "A2", "project-rows-unusable"),
                                 ("Fuel", "A3", "project-rows-unusable")]
    assert submission.findings.items[0].message() == (
        "eia_approval_date holds 2020, which looks like a year, not a date.")
    assert submission.tables["Projects"].empty


def test_dates_before_1990_or_after_the_period_are_errors(tmp_path: Path) -> None:
    fuel = [list(FUEL[0]),
            ["P2", "diesel", 10, "L", "offroad", date(1985, 1, 1), date(1985, 1, 31)],
            ["P2", "diesel", 10, "L", "offroad", date(2024, 1, 1), date(2026, 1, 31)],
            ["P2", "diesel", 10, "L", "offroad", 45300, 45310]]  # serial days in 2024
    finance = [["instrument", "amount", "currency", "issue_date", "maturity_date"],
               ["green_bond", 1e6, "CNY", date(2024, 6, 1), date(2034, 6, 1)]]
    submission = validate_file(build(tmp_path, Fuel=fuel, GreenFinance=finance))
    assert found(submission) == [("Fuel", "F2", "date-implausible"),
                                 ("Fuel", "G2", "date-implausible"),
                                 ("Fuel", "G3", "date-implausible")]
    assert submission.findings.items[2].message() == (
        "period_end is 2026-01-31: dates before 1990-01-01 or after 2026-01-01 are not "
        "accepted here.")
    # A bond maturing in ten years is planned, not misread.
    assert len(submission.tables["GreenFinance"]) == 1
    assert submission.tables["Fuel"]["row"].tolist() == [4]


# --- long text and did-you-mean ------------------------------------------------------------------

def test_long_free_text_is_kept_whole(tmp_path: Path) -> None:
    text = "Spill of 200 L diesel contained on site. " * 790  # 32,390 characters
    incidents = [["project_id", "date", "type", "severity", "description"],
                 ["P1", date(2024, 5, 1), "spill", "minor", text.strip()]]
    submission = validate_file(build(tmp_path, Incidents=incidents))
    assert found(submission) == []
    assert submission.tables["Incidents"]["description"].iloc[0] == text.strip()


def test_did_you_mean_for_countries_currencies_enums_and_units(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][2] = "Tanzanya"
    projects[2][5] = "operaton"
    finance = [["instrument", "amount", "currency"], ["green_bond", 1e6, "KSH"]]
    fuel = [list(FUEL[0]), ["P2", "diesel", 10, "litres", "ofroad", None, None]]
    submission = validate_file(build(tmp_path, Projects=projects, GreenFinance=finance,
                                     Fuel=fuel))
    messages = {(f.sheet, f.cell): (f.message(), f.message("zh")) for f in submission.findings
                if f.code != "project-rows-unusable"}
    assert messages["Projects", "C2"] == (
        "'Tanzanya' is not a recognised country. Did you mean Tanzania?",
        "'Tanzanya' 不是可识别的国家。您是否想输入 Tanzania？")
    assert messages["Projects", "F3"][0].endswith("Did you mean operation?")
    assert messages["Fuel", "E2"][0].endswith("Did you mean offroad?")
    finance_finding = next(f for f in submission.findings if f.sheet == "GreenFinance")
    assert finance_finding.message() == ("'KSH' is not an ISO 4217 currency code. "
                                         "Did you mean KES?")
    assert finance_finding.message("zh").endswith("您是否想输入 KES？")
