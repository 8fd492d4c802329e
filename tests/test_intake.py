"""Intake of workbooks as accountants really fill them (issue 9): error values, percent
formats, merged cells, years in date cells, renamed sheets, title rows, header units,
duplicates across units, formats, and every problem of a row in one pass."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from envreport.submission import Submission
from tests.conftest import validate_file
from tests.workbooks import FUEL, ORGANIZATION, PROJECTS, minimal, write_workbook

Edit = Callable[[Workbook], None]
runner = CliRunner()


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


def _in_brackets(header: str) -> str:
    """The text in a header's trailing brackets, ASCII or full-width: what a
    header-multiplier finding quotes (``quantity（万吨）``: ``万吨``)."""
    opening = header.index("(") if "(" in header else header.index("（")
    return header[opening + 1:-1]


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


# --- percent-formatted cells --------

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


def test_a_column_of_fractions_is_a_warning_at_each_cell(tmp_path: Path) -> None:
    # 0.5 and 1 (half and all, typed as fractions) would be consolidated at 0.5 % and 1 %:
    # each cell is marked, the values kept as written.
    projects = [list(r) for r in PROJECTS]
    projects[1][6], projects[2][6] = 0.5, 1
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission) == [("Projects", "G2", "pct-all-fractions"),
                                 ("Projects", "G3", "pct-all-fractions")]
    assert {f.severity for f in submission.findings} == {"warning"}
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [0.5, 1.0]
    first = submission.findings.items[0]
    assert first.message() == (
        "ownership_pct is 0.5 and no row of this column is above 1: percentages typed as "
        "fractions (0.5 for 50 %)? As written it counts as 0.5 %.")
    assert first.message("zh") == (
        "持股比例（ownership_pct）为0.5，且该列没有大于1的数值：是否把百分比写成了小数"
        "（50%写成0.5）？按所填数值计为0.5%。")
    assert first.hint() == ("Type percentages as numbers from 0 to 100: 100 for all, and "
                            "for a half 50 or 50%.")
    assert first.hint("zh") == "百分比请填写0到100之间的数：全部填100，一半填50或50%。"


def test_ones_and_percent_formatted_fractions_are_not_suspect(tmp_path: Path) -> None:
    # all 1 (1 % each, or all of each: nothing tells) and cells formatted as percentages
    # (0.5 shown as 50 %, read as 50) raise nothing
    projects = [list(r) for r in PROJECTS]
    projects[1][6], projects[2][6] = 1, 1
    assert found(validate_file(build(tmp_path, Projects=projects))) == []
    projects[1][6], projects[2][6] = 0.5, 0.25
    submission = validate_file(build(tmp_path, _percent("Projects", "G2", "G3"), "pct.xlsx",
                                     Projects=projects))
    assert found(submission) == []
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [50.0, 25.0]
    # a cell shown as 0.5 % is a percentage as shown: it says nothing of a plain 1 beside it
    projects[1][6], projects[2][6] = 0.005, 1
    submission = validate_file(build(tmp_path, _percent("Projects", "G2"), "small.xlsx",
                                     Projects=projects))
    assert found(submission) == []
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [0.5, 1.0]


def test_percent_format_outside_pct_columns_changes_no_value_and_says_so(
        tmp_path: Path) -> None:
    submission = validate_file(build(tmp_path, _percent("Fuel", "C2")))
    assert submission.tables["Fuel"]["quantity"].tolist() == [1000.0, 1200.0]
    assert found(submission) == [("Fuel", "C2", "number-formatted-as-percent")]


# --- hidden rows --------

def _five_months_of_fuel() -> list[list[Any]]:
    return [list(FUEL[0])] + [["P2", "diesel", 1000 + 100 * i, "L", "offroad",
                               date(2024, 1 + i, 1), date(2024, 1 + i, 28)] for i in range(5)]


@pytest.mark.parametrize("percent", [False, True])
def test_hidden_rows_holding_data_are_read_and_flagged(tmp_path: Path, percent: bool) -> None:
    """Rows 3-4 hidden by hand, row 6 filtered out (openpyxl writes both as <row hidden>), row
    8 hidden but blank: one warning per hidden range with data, at its first data row; every
    row is used (5 × 1,000-1,400 L, 6,000 L), none rejected. Found by a scan of the rows'
    tags, and by the parse of a sheet that has more to find (``percent``: a quantity shown as
    a percentage)."""
    def hide(book: Workbook) -> None:
        for row in (3, 4, 6, 8):
            book["Fuel"].row_dimensions[row].hidden = True
        if percent:
            book["Fuel"]["C2"].number_format = "0%"

    submission = validate_file(build(tmp_path, hide, Fuel=_five_months_of_fuel()))
    shown = [("Fuel", "C2", "number-formatted-as-percent")] if percent else []
    assert found(submission) == [*shown, ("Fuel", "A3", "row-hidden"),
                                 ("Fuel", "A6", "row-hidden")]
    hidden = [f for f in submission.findings if f.code == "row-hidden"]
    # a range in the plural, one row in the singular (was "Row(s) 6 are hidden")
    assert [f.message("en") for f in hidden] == [
        "Rows 3–4 are hidden in the workbook (hidden, or filtered out), but hold values: "
        "they were read, and count in the report like every other row.",
        "Row 6 is hidden in the workbook (hidden, or filtered out), but holds values: it was "
        "read, and counts in the report like every other row."]
    assert [f.message("zh") for f in hidden] == [
        "第3–4行在工作簿中被隐藏（隐藏或被筛选掉），但有数值：这些行已被读取，与其他行一样计入报告。",
        "第6行在工作簿中被隐藏（隐藏或被筛选掉），但有数值：该行已被读取，与其他行一样计入报告。"]
    assert submission.valid
    assert submission.tables["Fuel"]["quantity"].sum() == 6000.0


def test_a_hidden_sheet_holding_data_is_read_and_flagged(tmp_path: Path) -> None:
    """Fuel hidden ("not applicable") with its two rows, Water hidden with only its header:
    one warning, for Fuel, and its 2,200 L are used."""
    def hide(book: Workbook) -> None:
        book["Fuel"].sheet_state = "hidden"
        book.create_sheet("Water").append(["project_id", "flow", "source", "quantity", "unit"])
        book["Water"].sheet_state = "veryHidden"

    submission = validate_file(build(tmp_path, hide))
    assert found(submission) == [("Fuel", None, "sheet-hidden")]
    (finding,) = submission.findings.items
    assert finding.message("en") == (
        "The sheet Fuel is hidden in the workbook, but was read: its 2 rows with values count "
        "in the report like those of any other sheet.")
    assert finding.message("zh").startswith("工作表“燃料燃烧”在工作簿中被隐藏，但已被读取")
    assert submission.valid
    assert submission.tables["Fuel"]["quantity"].sum() == 2200.0


def test_rows_collapsed_or_filtered_in_an_ods_are_flagged(tmp_path: Path) -> None:
    from tests.odsfiles import write_ods

    path = write_ods(tmp_path / "lo.ods", minimal(Fuel=_five_months_of_fuel()))
    content = _ods_content(path)
    fuel = content.index('table:name="Fuel"')
    rows = [i for i in range(len(content)) if content.startswith("<table:table-row>", i)
            and i > fuel]
    # Fuel's rows 4 (collapsed) and 5 (filtered out); rewritten from the last, so that the
    # earlier positions stay right
    for position, visibility in ((rows[4], "filter"), (rows[3], "collapse")):
        content = (content[:position] + f'<table:table-row table:visibility="{visibility}">'
                   + content[position + len("<table:table-row>"):])
    _replace_ods_content(path, content)
    submission = validate_file(path)
    assert found(submission) == [("Fuel", "A4", "row-hidden")]
    assert submission.findings.items[0].params == {"rows": "4–5", "count": 2}
    assert submission.tables["Fuel"]["quantity"].sum() == 6000.0


# --- hidden columns --------

@pytest.mark.parametrize("percent", [False, True])
def test_a_hidden_column_holding_data_is_read_and_flagged(tmp_path: Path,
                                                          percent: bool) -> None:
    """Fuel's quantity column (C) hidden, and H:Z hidden beyond the data: one warning, at
    C1, and the 5 quantities (1,000-1,400 L, 6,000 L) are used. Found by the scan of the
    tags, and by the parse of a sheet that has more to find (``percent``: a use shown as a
    percentage, outside the data)."""
    def hide(book: Workbook) -> None:
        book["Fuel"].column_dimensions["C"].hidden = True
        book["Fuel"].column_dimensions.group("H", "Z", hidden=True)
        if percent:
            book["Fuel"]["C2"].number_format = "0%"

    submission = validate_file(build(tmp_path, hide, Fuel=_five_months_of_fuel()))
    shown = [("Fuel", "C2", "number-formatted-as-percent")] if percent else []
    assert found(submission) == [("Fuel", "C1", "column-hidden"), *shown]
    finding = submission.findings.items[0]
    assert (finding.field, finding.value) == ("quantity", "quantity")
    assert finding.message("en") == (
        "Column C is hidden in the workbook, but holds values: they were read, and count in "
        "the report like those of every other column.")
    assert finding.message("zh") == (
        "C列在工作簿中被隐藏，但有数值：这些数值已被读取，与其他列的数值一样计入报告。")
    assert submission.valid
    assert submission.tables["Fuel"]["quantity"].sum() == 6000.0


def test_hidden_columns_with_only_a_header_or_nothing_say_nothing(tmp_path: Path) -> None:
    """B:C hidden with their data: one warning each (B1, C1). A hidden column whose header
    has no value below it (H, a note) says nothing."""
    fuel = _five_months_of_fuel()
    fuel[0].append("note")

    def hide(book: Workbook) -> None:
        book["Fuel"].column_dimensions.group("B", "C", hidden=True)
        book["Fuel"].column_dimensions["H"].hidden = True

    submission = validate_file(build(tmp_path, hide, Fuel=fuel))
    assert [item for item in found(submission) if item[2] == "column-hidden"] == [
        ("Fuel", "B1", "column-hidden"), ("Fuel", "C1", "column-hidden")]


def test_the_organization_value_column_hidden_is_read_and_flagged(tmp_path: Path) -> None:
    """The Organization sheet's value column (B) hidden: the record is read from it all the
    same (entity TEST), with one warning at B1."""
    def hide(book: Workbook) -> None:
        book["Organization"].column_dimensions["B"].hidden = True

    submission = validate_file(build(tmp_path, hide))
    assert found(submission) == [("Organization", "B1", "column-hidden")]
    assert submission.organization is not None
    assert submission.organization.entity_id == "TEST"


def test_columns_collapsed_in_an_ods_are_flagged(tmp_path: Path) -> None:
    """Fuel's columns declared A:B shown, C:D collapsed (repeated), E filtered out: three
    warnings at C1, D1, E1; the quantities are used."""
    from tests.odsfiles import write_ods

    path = write_ods(tmp_path / "lo.ods", minimal(Fuel=_five_months_of_fuel()))
    content = _ods_content(path)
    opening = '<table:table table:name="Fuel">'
    columns = ('<table:table-column table:number-columns-repeated="2"/>'
               '<table:table-column table:visibility="collapse" '
               'table:number-columns-repeated="2"/>'
               '<table:table-column table:visibility="filter"/><table:table-column/>')
    assert content.count(opening) == 1
    _replace_ods_content(path, content.replace(opening, opening + columns))
    submission = validate_file(path)
    assert found(submission) == [("Fuel", "C1", "column-hidden"),
                                 ("Fuel", "D1", "column-hidden"),
                                 ("Fuel", "E1", "column-hidden")]
    assert submission.tables["Fuel"]["quantity"].sum() == 6000.0


# --- merged cells --------

def test_merged_cells_in_the_data_are_an_error_naming_the_range(tmp_path: Path) -> None:
    fuel = [list(FUEL[0])] + [["P2", "diesel", 100 + i, "L", "offroad", None, None]
                              for i in range(5)]

    def edit(book: Workbook) -> None:
        book["Fuel"].merge_cells("A3:A6")
    submission = validate_file(build(tmp_path, edit, Fuel=fuel))
    assert found(submission) == [("Fuel", "A3", "merged-cells")]
    assert submission.findings.items[0].message() == (
        "Merged cells A3:A6: write the value in every row.")
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


# --- dates --------

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


def test_year_typed_into_a_date_formatted_cell_is_named_as_a_year(tmp_path: Path) -> None:
    # The template formats date columns yyyy-mm-dd: 2020 typed there is stored as day 2020
    # and shown as 1905-07-12, and the reader gets that date.
    projects = [list(r) for r in PROJECTS]
    projects[1][8] = 2020

    def edit(book: Workbook) -> None:
        book["Projects"]["I2"].number_format = "yyyy-mm-dd"
    submission = validate_file(build(tmp_path, edit, Projects=projects))
    finding = submission.findings.items[0]
    assert (finding.cell, finding.code) == ("I2", "date-looks-like-year")
    assert finding.message() == "eia_approval_date holds 2020, which looks like a year, not a date."
    assert finding.hint().startswith("Enter the full date, e.g. 2020-06-30")


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


# --- long text and did-you-mean --------

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
        "“Tanzanya”不是可识别的国家。您是否想输入 Tanzania？")
    assert messages["Projects", "F3"][0].endswith("Did you mean operation?")
    assert messages["Fuel", "E2"][0].endswith("Did you mean offroad?")
    finance_finding = next(f for f in submission.findings if f.sheet == "GreenFinance")
    assert finance_finding.message() == ("'KSH' is not an ISO 4217 currency code. "
                                         "Did you mean KES?")
    assert finance_finding.message("zh").endswith("您是否想输入 KES？")


# --- sheets, header row and header units --------

def _rename(old: str, new: str) -> Edit:
    def edit(book: Workbook) -> None:
        book[old].title = new
    return edit


def test_renamed_contract_sheet_is_an_error_naming_it_and_the_fix(tmp_path: Path) -> None:
    submission = validate_file(build(tmp_path, _rename("Fuel", "Fuel use")))
    assert found(submission) == [("Fuel use", None, "sheet-renamed")]
    finding = submission.findings.items[0]
    assert finding.severity == "error"
    assert finding.message() == ("The sheet Fuel use has the header of the Fuel sheet but "
                                 "another name, so its rows were not read.")
    assert finding.hint() == "Rename the sheet Fuel use to Fuel (double-click its tab)."
    assert not submission.valid


def test_renamed_sheet_with_chinese_headers_and_a_copy_of_a_present_sheet(tmp_path: Path) -> None:
    water = [["项目编号", "flow", "source", "quantity", "unit"],
             ["P1", "withdrawal", "ground", 10, "m3"]]

    def edit(book: Workbook) -> None:
        book["Water"].title = "用水"
        book.copy_worksheet(book["Projects"]).title = "Projects 2023"
    submission = validate_file(build(tmp_path, edit, Water=water))
    assert [(f.sheet, f.code, f.params) for f in submission.findings] == [
        ("Projects 2023", "sheet-renamed", {"contract_sheet": "Projects"}),
        ("用水", "sheet-renamed", {"contract_sheet": "Water"}),
    ]


def test_unknown_sheet_names_its_row_count(tmp_path: Path) -> None:
    def edit(book: Workbook) -> None:
        book.create_sheet("Fuel copy").append(FUEL[0])  # a header without rows: no harm
        notes = book.create_sheet("Notes")
        for row in (["note"], ["checked by finance"], [None], ["totals agree"]):
            notes.append(row)
        book.create_sheet("Empty")
    submission = validate_file(build(tmp_path, edit))
    assert [(f.sheet, f.code, f.severity, f.params) for f in submission.findings] == [
        ("Empty", "sheet-unknown", "warning", {"data_rows": 0}),
        ("Fuel copy", "sheet-unknown", "warning", {"data_rows": 0}),
        ("Notes", "sheet-unknown", "warning", {"data_rows": 2}),
    ]
    assert submission.findings.items[2].message().endswith(
        "(2 rows with values below row 1).")


def test_title_row_above_the_header_says_where_the_header_is(tmp_path: Path) -> None:
    fuel = [["Fuel consumption 2024 — Silk Road Rail"], *FUEL]
    electricity = [["Purchased electricity"], ["(all sites)"],
                   ["project_id", "quantity", "unit"], ["P1", 10, "MWh"]]
    submission = validate_file(build(tmp_path, Fuel=fuel, Electricity=electricity))
    assert found(submission) == [("Fuel", "A2", "header-not-in-row-1"),
                                 ("Electricity", "A3", "header-not-in-row-1")]
    assert submission.findings.items[0].message() == (
        "The header must be in row 1 (found in row 2).")
    assert submission.tables["Fuel"].empty
    assert submission.rows["Fuel"].rejected == 3


def test_header_unit_contradicting_the_fixed_unit_is_flagged_at_the_header(
        tmp_path: Path) -> None:
    generation = [["project_id", "technology", "gross_generation_mwh (GWh)",
                   "net_export_mwh [MWh]"], ["P1", "solar_pv", 80, 75]]
    refrigerants = [["project_id", "gas", "quantity_kg (t)"], ["P1", "HFC-134a", 2]]
    pollutants = [["project_id", "pollutant", "quantity_t (tonnes)"], ["P1", "SO2", 2]]
    projects = [list(r) for r in PROJECTS]
    projects[0][6], projects[0][9] = "ownership_pct (percent)", "installed_capacity_mw (kW)"
    submission = validate_file(build(tmp_path, Generation=generation, Projects=projects,
                                     Refrigerants=refrigerants, Pollutants=pollutants))
    assert found(submission) == [("Projects", "J1", "header-unit-conflict"),
                                 ("Generation", "C1", "header-unit-conflict"),
                                 ("Refrigerants", "C1", "header-unit-conflict")]
    assert submission.findings.items[1].message() == (
        "The header 'gross_generation_mwh (GWh)' names the unit GWh, but "
        "gross_generation_mwh is always in MWh.")


def test_a_header_unit_written_as_a_chinese_multiple_contradicts_the_fixed_unit(
        tmp_path: Path) -> None:
    """总发电量（万千瓦时） over 12 read 12 MWh in silence, the 120 MWh meant; 装机容量（万千瓦）
    12 MW, not 120 (walked in Chinese, r17): the multiple is a unit that contradicts the
    column's, an error at the header, as GWh is."""
    generation = [["project_id", "technology", "总发电量（万千瓦时）", "上网电量 (千千瓦时)"],
                  ["P1", "solar_pv", 12, 11]]
    projects = [list(r) for r in PROJECTS]
    projects[0][9] = "装机容量（万千瓦）"
    submission = validate_file(build(tmp_path, Generation=generation, Projects=projects))
    # 千千瓦时 is the MWh itself: no conflict
    assert found(submission) == [("Projects", "J1", "header-unit-conflict"),
                                 ("Generation", "C1", "header-unit-conflict")]
    assert submission.findings.items[1].message("zh") == (
        "表头“总发电量（万千瓦时）”标注的单位是万千瓦时，但总发电量（gross_generation_mwh）的单位"
        "固定为 MWh。")


def test_a_header_counting_in_a_multiple_is_an_error_never_read_as_the_number_itself(
        tmp_path: Path) -> None:
    """营业收入（万元） over 123.4 read 123.4 CNY of revenue, not 1 234 000, and every
    intensity 10 000 times too high, in silence (walked in Chinese, r17); so did 投资额（万元）,
    a fine in thousands and a generation in 万. A unit or a label in brackets stays as it was."""
    organization = [*ORGANIZATION, ["营业收入（万元）", 123.4], ["employees (people)", 80]]
    generation = [["project_id", "technology", "gross_generation_mwh (万)", "net_export_mwh"],
                  ["P1", "solar_pv", 8, 7]]
    incidents = [["project_id", "date", "type", "severity", "fine_amount (CNY thousands)",
                  "currency"], ["P2", date(2024, 3, 1), "penalty", "minor", 5, "CNY"]]
    fuel = [["project_id", "fuel", "quantity (L)", "unit", "use"],
            ["P2", "diesel", 1000, "L", "offroad"]]
    submission = validate_file(build(tmp_path, Organization=organization,
                                     Generation=generation, Incidents=incidents, Fuel=fuel))
    assert found(submission) == [("Organization", "A8", "header-multiplier"),
                                 ("Generation", "C1", "header-multiplier"),
                                 ("Incidents", "E1", "header-multiplier")]
    revenue = submission.findings.items[0]
    assert revenue.message() == (
        "The header '营业收入（万元）' counts in 万元, but revenue takes the number itself: its "
        "values would be read 10,000 times too small.")
    assert revenue.message("zh") == (
        "表头“营业收入（万元）”以“万元”计，但营业收入（revenue）应填写数值本身：所填数值将被读小"
        "10,000倍。")
    assert revenue.hint("zh") == "请将数值乘以10,000，并删去表头中的“万元”。"
    assert submission.findings.items[2].hint() == (
        "Multiply the values by 1,000 and remove CNY thousands from the header.")


@pytest.mark.parametrize(("header", "conflict"), [
    ("装机容量（十万千瓦）", True), ("装机容量（百万千瓦）", True), ("装机容量（亿千瓦）", True),
    ("装机容量（万kW）", True), ("装机容量（兆瓦）", False), ("装机容量（千瓦）", True),
    ("装机容量（合计）", False),
])
def test_any_chinese_multiple_of_a_capacity_unit_contradicts_the_fixed_mw(
        tmp_path: Path, header: str, conflict: bool) -> None:
    """Only 万千瓦 was known: 装机容量（百万千瓦） over 1.2 read 1.2 MW, not 1 200, in silence.
    A multiple of any power unit is judged as 万千瓦 is; 兆瓦 is the MW; other text a label."""
    projects = [list(r) for r in PROJECTS]
    projects[0][9] = header
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission) == ([("Projects", "J1", "header-unit-conflict")] if conflict
                                 else [])


@pytest.mark.parametrize(("header", "conflict"), [
    ("年减排量（万吨二氧化碳当量）", True), ("年减排量（千吨二氧化碳当量）", True),
    ("年减排量（吨二氧化碳当量）", False), ("年减排量（tCO2e）", False),
    ("年减排量（预计）", False),
    # Latin letters after the Chinese multiple or unit, as Chinese statements also write them
    ("年减排量（万吨co2e）", True), ("年减排量（万tCO2e）", True), ("年减排量（万吨 CO2e）", True),
    ("年减排量（千吨CO₂e）", True), ("年减排量（吨CO2e）", False), ("年减排量（t CO2e）", False),
    # and an English multiple of it
    ("年减排量 (thousand tCO2e)", True), ("年减排量 ('000 t CO2e)", True),
    ("年减排量 (millions of tCO2e)", True), ("年减排量 (per thousand)", False),
    # the accountants' 000 without its apostrophe, before a unit (a bare 000 is no multiple)
    ("年减排量 (000 tCO2e)", True),
])
def test_a_reduction_in_a_chinese_multiple_of_tco2e_contradicts_the_fixed_unit(
        tmp_path: Path, header: str, conflict: bool) -> None:
    """年减排量（万吨二氧化碳当量） over 1.5 read 1.5 tCO2e, not 15 000, in silence: the Chinese
    name of the column's unit was no unit to the header check, so neither was its multiple."""
    mitigation = [["project_id", "action", "category", "status", header],
                  ["P1", "LED", "energy_efficiency", "completed", 1.5]]
    submission = validate_file(build(tmp_path, Mitigation=mitigation))
    assert found(submission) == ([("Mitigation", "E1", "header-unit-conflict")] if conflict
                                 else [])


@pytest.mark.parametrize(("header", "unit", "factor"), [
    ("quantity（万吨）", "t", "10,000"), ("quantity (亿千瓦时)", "kWh", "100,000,000"),
    ("quantity (万立方米)", "m3", "10,000"),
    # the factor is the multiple in the row's unit: 万吨 is 10 kt, 亿千瓦时 100 GWh
    ("quantity（万吨）", "kt", "10"), ("quantity (亿千瓦时)", "GWh", "100"),
    ("quantity (万立方米)", "ML", "10"), ("quantity（千吨）", "kg", "1,000,000"),
    # a unit, or a multiple that is a unit of the list, that the unit column agrees with
    ("quantity (千克)", "kg", None), ("quantity (千立方米)", "ML", None),
    ("quantity (L)", "L", None),
    ("quantity（千吨）", "kt", None), ("quantity (million kWh)", "GWh", None),
])
def test_a_quantity_header_counting_in_a_multiple_of_a_unit_is_refused(
        tmp_path: Path, header: str, unit: str, factor: str | None) -> None:
    """quantity（万吨） over 1.2 with t in the unit column read 1.2 t, not 12 000 t, in silence:
    only a bare multiple (万, 万元) was header-multiplier, and the column has no fixed unit
    for header-unit-conflict to judge. Its hint said "multiply by 10,000" whatever the unit
    column said: over kt that made 12 000 kt of 12 kt (r18); 千吨 over kt is right as it is."""
    fuel = [["project_id", "fuel", header, "unit", "use"], ["P2", "diesel", 1000, unit, "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    if factor is None:
        assert found(submission) == []
        return
    assert found(submission) == [("Fuel", "C1", "header-multiplier")]
    multiple = _in_brackets(header)
    assert submission.findings.items[0].hint() == (
        f"Multiply the values by {factor} and remove {multiple} from the header.")


def test_a_reduction_in_wan_tonnes_co2e_names_both_units(tmp_path: Path) -> None:
    """年减排量（万吨CO2e） over 1.5 read 1.5 tCO2e, not 15 000, in silence: 吨 before the
    Latin CO2e was no unit to the header check (only 万tCO2e and 万吨二氧化碳当量 were)."""
    mitigation = [["project_id", "action", "category", "status", "年减排量（万吨CO2e）"],
                  ["P1", "LED", "energy_efficiency", "completed", 1.5]]
    submission = validate_file(build(tmp_path, Mitigation=mitigation))
    assert found(submission) == [("Mitigation", "E1", "header-unit-conflict")]
    conflict = submission.findings.items[0]
    assert (conflict.params["header_unit"], conflict.params["fixed_unit"]) == ("万吨CO2e",
                                                                               "tCO2e")
    assert conflict.hint() == (
        "Convert the values to tCO2e and write the header as annual_reduction_tco2e.")
    assert conflict.hint("zh") == (
        "请将数值换算为 tCO2e，并将表头写为年减排量（annual_reduction_tco2e）。")


@pytest.mark.parametrize(("header", "factor"), [
    ("quantity (thousand tonnes)", "1,000"), ("quantity (thousand t)", "1,000"),
    ("quantity（千吨）", "1,000"), ("quantity (thousands of tonnes)", "1,000"),
    ("quantity ('000 t)", "1,000"), ("quantity (million t)", "1,000,000"),
    # a unit, a rate and a label stay labels, read with the unit column
    ("quantity (t)", None), ("quantity (吨)", None), ("quantity (thousand kg)", None),
    ("quantity (per thousand)", None), ("quantity (Thousand Islands plant)", None),
])
def test_a_quantity_header_counting_in_thousands_of_tonnes_is_refused(
        tmp_path: Path, header: str, factor: str | None) -> None:
    """quantity (thousand tonnes), (thousand t) and （千吨） over 1.2 with t in the unit column
    read 1.2 t, not 1 200 t, in silence: an English multiple was known only before a currency
    and 千吨, the kt by name, was read as a unit (a label on this column)."""
    fuel = [["project_id", "fuel", header, "unit", "use"], ["P2", "diesel", 1.2, "t", "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    if factor is None:
        assert found(submission) == []
        fuel_rows = submission.tables["Fuel"]
        assert (fuel_rows["quantity"].tolist(), fuel_rows["unit"].tolist()) == ([1.2], ["t"])
        return
    assert found(submission) == [("Fuel", "C1", "header-multiplier")]
    multiple = _in_brackets(header)
    finding = submission.findings.items[0]
    assert finding.hint() == (
        f"Multiply the values by {factor} and remove {multiple} from the header.")
    assert finding.hint("zh") == f"请将数值乘以{factor}，并删去表头中的“{multiple}”。"


@pytest.mark.parametrize(("unit", "factor"), [("t", "1,000"), ("kg", "1,000,000"),
                                             ("kt", None)])
def test_a_bare_000_before_a_unit_counts_in_thousands_of_it(
        tmp_path: Path, unit: str, factor: str | None) -> None:
    """quantity (000 t) over rows in t was header-unit-row-conflict saying "1 000 t = 1,000 t":
    nobody could follow it. The accountants' 000 before a unit counts in thousands as '000
    does (r18): over t it is header-multiplier by 1,000, over kg by 1,000,000 (a thousand
    tonnes in the rows' kg), over kt it agrees."""
    fuel = [["project_id", "fuel", "quantity (000 t)", "unit", "use"],
            ["P2", "diesel", 1.2, unit, "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    if factor is None:
        assert found(submission) == []
        return
    assert found(submission) == [("Fuel", "C1", "header-multiplier")]
    finding = submission.findings.items[0]
    assert finding.message() == (
        f"The header 'quantity (000 t)' counts in 000 t, but quantity takes the number "
        f"itself: its values would be read {factor} times too small.")
    assert finding.message("zh") == (
        f"表头“quantity (000 t)”以“000 t”计，但消耗量（quantity）应填写数值本身："
        f"所填数值将被读小{factor}倍。")
    assert finding.hint() == (
        f"Multiply the values by {factor} and remove 000 t from the header.")
    assert finding.hint("zh") == f"请将数值乘以{factor}，并删去表头中的“000 t”。"


@pytest.mark.parametrize(("header", "code"), [
    ("gross_generation_mwh (million kWh)", "header-unit-conflict"),
    ("gross_generation_mwh (thousand t)", "header-unit-conflict"),
    ("gross_generation_mwh (thousand kWh)", None), ("gross_generation_mwh (thousands)",
                                                    "header-multiplier"),
])
def test_an_english_multiple_of_a_unit_on_a_fixed_unit_column_is_judged_as_its_unit(
        tmp_path: Path, header: str, code: str | None) -> None:
    """gross_generation_mwh (million kWh) over 8 is 8 GWh, 8 000 MWh: header-multiplier's hint
    (multiply by 1,000,000) would have made it 8 000 000; a thousand kWh is the MWh itself."""
    generation = [["project_id", "technology", header, "net_export_mwh"],
                  ["P1", "solar_pv", 8, 7]]
    submission = validate_file(build(tmp_path, Generation=generation))
    assert found(submission) == ([("Generation", "C1", code)] if code else [])
    if code == "header-unit-conflict":
        assert submission.findings.items[0].hint() == (
            "Convert the values to MWh and write the header as gross_generation_mwh.")


@pytest.mark.parametrize(("sheet", "rows", "cell", "header_unit", "row_unit", "relation"), [
    ("Water", [["project_id", "flow", "source", "quantity（千立方米）", "unit"],
               ["P1", "withdrawal", "ground", 2.5, "m3"]], "D1", "千立方米", "m3",
     "1千立方米 = 1,000 m3"),
    ("Fuel", [["project_id", "fuel", "quantity（千升）", "unit", "use"],
              ["P2", "diesel", 1.2, "L", "offroad"]], "C1", "千升", "L", "1千升 = 1,000 L"),
    ("Electricity", [["project_id", "quantity (MWh)", "unit"], ["P1", 120, "kWh"]], "B1",
     "MWh", "kWh", "1 MWh = 1,000 kWh"),
    ("Waste", [["project_id", "waste_type", "hazardous", "数量（吨）", "unit", "disposal"],
               ["P1", "sludge", "no", 3, "千克", "landfill"]], "D1", "吨", "kg",
     "1吨 = 1,000 kg"),
    ("Electricity", [["project_id", "quantity", "unit", "instrument", "instrument_quantity (MWh)"],
                     ["P1", 120, "kWh", "rec", 40]], "E1", "MWh", "kWh", "1 MWh = 1,000 kWh"),
    # the other way round, and across dimensions (a mass over a volume)
    ("Water", [["project_id", "flow", "source", "quantity (L)", "unit"],
               ["P1", "withdrawal", "ground", 2.5, "m3"]], "D1", "L", "m3", "1 L = 0.001 m3"),
    ("Fuel", [["project_id", "fuel", "quantity（吨）", "unit", "use"],
              ["P2", "diesel", 1.2, "L", "offroad"]], "C1", "吨", "L", "吨 ≠ L"),
])
def test_a_header_unit_the_rows_unit_column_contradicts_is_an_error_at_the_header(
        tmp_path: Path, sheet: str, rows: list[list[Any]], cell: str, header_unit: str,
        row_unit: str, relation: str) -> None:
    """quantity（千立方米） over m3 read 2.5 m3 and quantity (MWh) over kWh 120 kWh, in silence:
    a unit of the list in a header's brackets was a label, so the unit column decided, and
    nobody was told that one of the two is wrong, a thousand times off (r18)."""
    submission = validate_file(build(tmp_path, **{sheet: rows}))
    assert found(submission) == [(sheet, cell, "header-unit-row-conflict")]
    finding = submission.findings.items[0]
    field = finding.field
    assert (finding.severity, finding.row, finding.column, finding.value) == (
        "error", 1, cell[0], rows[0][ord(cell[0]) - 65])
    assert finding.message() == (
        f"The header {rows[0][ord(cell[0]) - 65]!r} names the unit {header_unit}, but the unit "
        f"column of row 2 says {row_unit} ({relation}): {field} is read in {row_unit}, and if "
        f"its value is in {header_unit} it is wrong.")
    assert finding.hint() == (
        f"Check which unit the values are in: if {row_unit}, remove {header_unit} from the "
        f"header; if {header_unit}, convert them to {row_unit}, or write their unit in the "
        "unit column.")


def test_a_header_unit_against_the_rows_in_chinese(tmp_path: Path) -> None:
    water = [["project_id", "flow", "source", "水量（千立方米）", "unit"],
             ["P1", "withdrawal", "ground", 2.5, "立方米"],
             ["P1", "withdrawal", "ground", 3.5, "m³"]]
    submission = validate_file(build(tmp_path, Water=water))
    assert found(submission) == [("Water", "D1", "header-unit-row-conflict")]
    finding = submission.findings.items[0]
    assert finding.params["rows"] == "2–3"
    assert finding.message("zh") == (
        "表头“水量（千立方米）”标注的单位是千立方米，但第2–3行的单位列为 m3（1千立方米 = 1,000 m3）"
        "：水量（quantity）按 m3 读取，若这些数值以千立方米计，则数值有误。")
    assert finding.hint("zh") == (
        "请核实数值所用的单位：若为 m3，请删去表头中的“千立方米”；若为千立方米，请将数值换算为"
        " m3，或在单位列中填写其单位。")


@pytest.mark.parametrize(("header", "units", "read"), [
    ("quantity (m3)", ["m3", "m³", "立方米", "Nm3"], ["m3"] * 4),
    ("quantity（千立方米）", ["ML", "megalitres"], ["ML", "ML"]),
    ("quantity（千升）", ["kL", "m3"], ["kL", "m3"]),  # a kilolitre is a cubic metre
    ("quantity (thousand L)", ["m3"], ["m3"]), ("quantity (L)", ["L", "升"], ["L", "L"]),
])
def test_a_header_unit_the_rows_agree_with_says_nothing(tmp_path: Path, header: str,
                                                         units: list[str],
                                                         read: list[str]) -> None:
    water = [["project_id", "flow", "source", header, "unit"],
             *(["P1", "withdrawal", "ground", 2.5 + i, unit] for i, unit in enumerate(units))]
    submission = validate_file(build(tmp_path, Water=water))
    assert found(submission) == []
    # each row read as written, in its own unit: no multiple applied
    rows = submission.tables["Water"]
    assert (rows["quantity"].tolist(), rows["unit"].tolist()) == (
        [2.5 + i for i in range(len(units))], read)


def test_each_unit_of_the_rows_that_contradicts_the_header_names_its_rows(
        tmp_path: Path) -> None:
    """One finding per unit of the rows, at the header cell, naming its rows: a row in the
    header's unit says nothing; m³ and m3 are one unit."""
    units = ["m3", "ML", "m³", "L", "m3", "m3", "ML"]
    water = [["project_id", "flow", "source", "quantity（千立方米）", "unit"],
             *(["P1", "withdrawal", "ground", 1 + i, unit] for i, unit in enumerate(units))]
    submission = validate_file(build(tmp_path, Water=water))
    assert [(f.cell, f.code, f.params["row_unit"], f.params["rows"], f.params["count"])
            for f in submission.findings] == [
        ("D1", "header-unit-row-conflict", "m3", "2, 4, 6–7", 4),
        ("D1", "header-unit-row-conflict", "L", "5", 1)]
    assert submission.findings.items[0].message() == (
        "The header 'quantity（千立方米）' names the unit 千立方米, but the unit column of rows "
        "2, 4, 6–7 says m3 (1千立方米 = 1,000 m3): quantity is read in m3, and if its values "
        "are in 千立方米 they are wrong.")


def test_a_long_column_in_a_contradicting_unit_is_one_finding_naming_its_first_rows(
        tmp_path: Path) -> None:
    """300 rows alternating kWh and MWh under quantity (MWh): one finding for the kWh rows,
    which names five of their 150 ranges, not 150 findings."""
    electricity = [["project_id", "quantity (MWh)", "unit"],
                   *(["P1", 1000 + i, "kWh" if i % 2 == 0 else "MWh"] for i in range(300))]
    submission = validate_file(build(tmp_path, Electricity=electricity))
    assert found(submission) == [("Electricity", "B1", "header-unit-row-conflict")]
    assert submission.findings.items[0].params == {
        "header_unit": "MWh", "row_unit": "kWh", "relation": "1 MWh = 1,000 kWh",
        "rows": "2, 4, 6, 8, 10, …", "count": 150}


def test_row_ranges_names_consecutive_rows_as_ranges() -> None:
    from envreport.findings import row_ranges

    assert row_ranges(np.array([2, 3, 4, 5, 8, 10, 11]), 5) == "2–5, 8, 10–11"
    assert row_ranges(np.array([7]), 5) == "7"
    assert row_ranges(np.array([2, 4, 6, 8, 10]), 5) == "2, 4, 6, 8, 10"
    assert row_ranges(np.array([2, 4, 6, 8, 10, 11, 13]), 5) == "2, 4, 6, 8, 10–11, …"
    # a citation's rows: in any order, a repeat once (supplied.row_ranges)
    assert row_ranges([19, 14, 15, 16, 17, 18, 25, 14], 5) == "14–19, 25"
    assert row_ranges([9, 3, 1], 2) == "1, 3, …"


def test_a_multiple_over_rows_in_two_units_names_each_units_rows(tmp_path: Path) -> None:
    """quantity（万吨） over t and kt rows: 10 000 t for some, 10 kt for the others; no one
    factor fits, so each unit's rows are named."""
    fuel = [["project_id", "fuel", "quantity（万吨）", "unit", "use"],
            ["P2", "diesel", 1.2, "t", "offroad"], ["P2", "diesel", 1.5, "kt", "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    assert [(f.cell, f.code, f.params["row_unit"], f.params["rows"])
            for f in submission.findings] == [("C1", "header-unit-row-conflict", "t", "2"),
                                              ("C1", "header-unit-row-conflict", "kt", "3")]


@pytest.mark.parametrize(("text", "layout", "pattern"), [
    ("000 t", (1_000, "t"), None), ("thousand kwh", (1_000, "kwh"), 1_000),
    ("millions of kwh", (1_000_000, "kwh"), 1_000_000), ("in thousands t", None, 1_000),
    ("cny thousand", None, 1_000), ("000", None, None),
])
def test_the_two_readers_of_an_english_multiple_differ_in_what_they_match(
        text: str, layout: tuple[int, str] | None, pattern: int | None) -> None:
    """Review r18: layout's reader and units' header pattern share the words and factors
    (ENGLISH_MULTIPLIERS), not the grammar; one grammar for both would change what either
    matches (000 t before a unit; a currency or "in" before the multiple)."""
    from envreport.units import header_multiplier
    from envreport.validate.layout import _english_multiple_of

    assert _english_multiple_of(text) == layout
    assert header_multiplier(text) == pattern


def test_a_multiple_without_a_valid_unit_in_its_rows_counts_as_written(tmp_path: Path) -> None:
    """No row to compare with (the unit cell is refused): the multiple is read as before."""
    fuel = [["project_id", "fuel", "quantity（万吨）", "unit", "use"],
            ["P2", "diesel", 1.2, "tons", "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    assert found(submission) == [("Fuel", "C1", "header-multiplier"),
                                 ("Fuel", "D2", "unit-ambiguous")]
    assert submission.findings.items[0].params["factor"] == "10,000"


def test_thousand_in_a_text_column_header_is_a_label(tmp_path: Path) -> None:
    """A plant's name in a text column's brackets is no multiple: only number columns count."""
    fuel = [["project_id", "fuel (Thousand Islands plant)", "quantity", "unit", "use"],
            ["P2", "diesel", 1.2, "t", "offroad"]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    assert found(submission) == []
    fuel_rows = submission.tables["Fuel"]
    assert (fuel_rows["fuel"].tolist(), fuel_rows["quantity"].tolist()) == (["diesel"], [1.2])


@pytest.mark.parametrize(("text", "factor"), [
    # a currency before the multiple, or two after it, as Chinese statements write them
    ("人民币千元", 1_000), ("人民币万元", 10_000), ("万元人民币", 10_000), ("￥万元", 10_000),
    # English: a currency on either side, the accountants' '000, billions, "in"
    ("CNY thousand", 1_000), ("thousand yuan", 1_000), ("RMB'000", 1_000),
    ("HK$'000", 1_000), ("RMB’000s", 1_000), ("in thousands", 1_000),
    ("thousands of CNY", 1_000), ("US$ million", 1_000_000), ("CNY billion", 1_000_000_000),
    ("USD bn", 1_000_000_000),
    # no multiple: a rate per thousand is the number itself; units and labels stay labels
    ("per thousand", None), ("per million", None), ("CNY", None), ("元", None),
    ("people", None), ("人", None), ("%", None), ("百分比", None), ("千米", None),
    ("000", None),
])
def test_a_header_multiple_is_read_with_its_currency_on_either_side(
        text: str, factor: int | None) -> None:
    """'Revenue (RMB'000)', 营业收入（人民币万元） and 'CNY billion' were read as the number itself
    (only a currency after the multiple, of one word, and thousands or millions were known);
    'injury rate (per thousand)' was refused as if it counted in thousands."""
    from envreport.units import header_multiplier

    assert header_multiplier(text) == factor


def test_an_organization_field_counting_in_thousands_of_a_currency_is_refused(
        tmp_path: Path) -> None:
    """The field names 营业收入（人民币千元） and 'Revenue (RMB'000)', as annual reports
    write them."""
    for name, multiplier, factor in (("营业收入（人民币千元）", "人民币千元", "1,000"),
                                     ("revenue (RMB'000)", "RMB'000", "1,000")):
        organization = [*ORGANIZATION, [name, 123.4]]
        submission = validate_file(build(tmp_path, Organization=organization))
        assert found(submission) == [("Organization", "A8", "header-multiplier")]
        assert submission.findings.items[0].hint() == (
            f"Multiply the values by {factor} and remove {multiplier} from the header.")


# --- duplicates across units --------

def test_same_activity_in_two_units_is_a_possible_duplicate_at_both_rows(tmp_path: Path) -> None:
    fuel = [list(FUEL[0]),
            ["P2", "diesel", 1.784, "m³", "offroad", date(2024, 6, 1), date(2024, 6, 30)],
            ["P2", "diesel", 1784, "L", "offroad", date(2024, 6, 1), date(2024, 6, 30)],
            ["P2", "diesel", 1784, "L", "offroad", date(2024, 7, 1), date(2024, 7, 31)],
            ["P2", "diesel", 1784, "kg", "offroad", date(2024, 7, 1), date(2024, 7, 31)]]
    water = [["project_id", "flow", "source", "quantity", "unit"],
             ["P1", "withdrawal", "ground", 2.5, "ML"],
             ["P1", "withdrawal", "ground", 2500, "m3"],
             ["P1", "withdrawal", "sea", 2500, "m3"]]
    submission = validate_file(build(tmp_path, Fuel=fuel, Water=water))
    assert [(f.sheet, f.cell, f.code, f.params["other_row"]) for f in submission.findings] == [
        ("Fuel", "A2", "duplicate-row", 3), ("Fuel", "A3", "duplicate-row", 2),
        ("Water", "A2", "duplicate-row", 3), ("Water", "A3", "duplicate-row", 2),
    ]
    assert submission.findings.items[0].message() == (
        "This row and row 3 have the same project, period, fuel/use and quantity (compared "
        "after unit conversion).")
    assert len(submission.tables["Fuel"]) == 4  # warnings: every row is still used


# --- every problem in one pass --------

def test_rows_of_a_faulty_project_still_get_their_own_findings(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[2][2] = "Narnia"  # P2's host country: P2's rows are unusable
    fuel = [list(FUEL[0]), ["P2", "unobtainium", 10, "L", "offroad", None, None]]
    waste = [["project_id", "waste_type", "hazardous", "quantity", "unit", "disposal",
              "period_start", "period_end"],
             ["P2", "sludge", "no", 3, "t", "landfill", date(2023, 11, 1),
              date(2023, 11, 30)]]
    submission = validate_file(build(tmp_path, Projects=projects, Fuel=fuel, Waste=waste))
    assert found(submission) == [
        ("Projects", "C3", "country-unknown"),
        ("Fuel", "A2", "project-rows-unusable"),
        ("Fuel", "B2", "fuel-unknown"),
        ("Waste", "G2", "period-outside-reporting"),
    ]


def test_green_finance_naming_a_project_with_errors_says_so(tmp_path: Path) -> None:
    """A green bond financing P2, whose Projects row has an error, was told "project_id
    'P2' is not listed on the Projects sheet" while P2 is listed there (row 3): the other
    sheets' rows of such a project say it has errors (project-rows-unusable); so does the
    finance row now. A project on no row stays project-unknown."""
    projects = [list(r) for r in PROJECTS]
    projects[2][2] = "Narnia"  # P2's host country
    finance = [["instrument", "amount", "currency", "project_ids"],
               ["green_bond", 1e6, "CNY", "P1,P2,P9"]]
    submission = validate_file(build(tmp_path, Projects=projects, GreenFinance=finance))
    on_finance = [(f.cell, f.code, f.message()) for f in submission.findings
                  if f.sheet == "GreenFinance"]
    assert on_finance == [
        ("D2", "project-rows-unusable", "project_id 'P2' has errors on the Projects sheet "
                                        "(row 3), so this row was not used."),
        ("D2", "project-unknown", "project_id 'P9' is not listed on the Projects sheet.")]


def test_a_name_of_only_invisible_characters_is_blank(tmp_path: Path) -> None:
    """A project name of a zero-width space (or a byte-order mark and a joiner) was accepted
    while one of spaces was blank: a required name that shows nothing in the report. Both
    are blank now; a zero-width character inside a name is kept."""
    projects = [list(r) for r in PROJECTS]
    projects[1][1], projects[2][1] = "\u200b", "\ufeff\u200d "
    organization = [list(r) for r in ORGANIZATION]
    organization[2][1] = "Test\u200bEnergy Co."
    submission = validate_file(build(tmp_path, Projects=projects, Organization=organization))
    assert [(f.sheet, f.cell, f.code) for f in submission.findings.items
            if f.sheet == "Projects"] == [("Projects", "B2", "required-missing"),
                                          ("Projects", "B3", "required-missing")]
    assert submission.organization is not None
    assert submission.organization.organization_name == "Test\u200bEnergy Co."


def test_unknown_fuel_is_reported_with_the_unit_and_use_errors_of_its_row(
        tmp_path: Path) -> None:
    fuel = [list(FUEL[0]), ["P2", "disel", 10, "drums", "flying", None, None],
            ["P2", "diesel", 10, "tons", "offroad", None, None]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    assert found(submission) == [("Fuel", "B2", "fuel-unknown"), ("Fuel", "D2", "unit-unknown"),
                                 ("Fuel", "E2", "value-not-allowed"),
                                 ("Fuel", "D3", "unit-ambiguous")]
    assert submission.findings.items[0].message() == (
        "'disel' is not a fuel of the factor library. Did you mean diesel or biodiesel?")


def test_an_unknown_fuel_is_echoed_as_its_cell_holds_it(tmp_path: Path) -> None:
    """An unknown fuel on an otherwise sound row was echoed as the id it was looked up by
    ('heavy_fuel_oyl', "+cmd|'_/c_calc'!a0"): text the preparer never typed, and the JSON
    report's value differed from the cell's. Now the cell's text, as on a row with other
    errors (the test above)."""
    march = [date(2024, 3, 1), date(2024, 3, 31)]  # sound rows: only the fuel is unknown
    fuel = [list(FUEL[0]), ["P2", "Heavy Fuel Oyl", 10, "t", "offroad", *march],
            ["P2", "+cmd|' /C calc'!A0", 10, "t", "offroad", *march],
            ["P2", " Disel ", 10, "t", "offroad", *march]]
    submission = validate_file(build(tmp_path, Fuel=fuel))
    unknown = [f for f in submission.findings.items if f.code == "fuel-unknown"]
    assert [(f.cell, f.value, f.message()) for f in unknown] == [
        ("B2", "Heavy Fuel Oyl", "'Heavy Fuel Oyl' is not a fuel of the factor library."),
        ("B3", "+cmd|' /C calc'!A0",
         "\"+cmd|' /C calc'!A0\" is not a fuel of the factor library."),
        ("B4", "Disel", "'Disel' is not a fuel of the factor library. "
                        "Did you mean diesel or biodiesel?")]


def test_rows_are_checked_against_the_period_when_organization_has_other_errors(
        tmp_path: Path) -> None:
    organization = [list(r) for r in ORGANIZATION]
    organization[5][1] = "RMB"  # reporting_currency: not an ISO code
    fuel = [list(FUEL[0]),
            ["P2", "unobtainium", 10, "L", "offroad", date(2023, 12, 1), date(2023, 12, 31)]]
    submission = validate_file(build(tmp_path, Organization=organization, Fuel=fuel))
    assert found(submission) == [("Organization", "B6", "currency-unknown"),
                                 ("Fuel", "B2", "fuel-unknown"),
                                 ("Fuel", "F2", "period-outside-reporting")]
    assert submission.findings.items[0].message().endswith("Did you mean CNY?")


# --- formats: .csv, .xls, .ods --------

def test_csv_file_is_named_as_such(tmp_path: Path) -> None:
    from envreport.io import UnreadableWorkbookError, read_workbook

    path = tmp_path / "fuel.csv"
    path.write_text("project_id,fuel,quantity\nP1,diesel,1200\n", encoding="utf-8")
    with pytest.raises(UnreadableWorkbookError) as caught:
        read_workbook(path)
    assert caught.value.reason == ("this is a CSV file, not a workbook; open it in Excel or "
                                   "LibreOffice and save it as an .xlsx workbook")


def test_xls_is_one_line_naming_the_format(tmp_path: Path) -> None:
    from envreport.cli import app
    from tests import hostile_files as hf

    path = hf.legacy_xls(tmp_path / "old.xls")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "legacy Excel 97-2003 (.xls)" in lines[0]
    assert "save it as .xlsx" in lines[0]


def _ods_sheets() -> dict[str, list[list[Any]]]:
    from tests.odsfiles import Percent

    sheets = minimal()
    sheets["Projects"] = [list(r) for r in PROJECTS]
    sheets["Projects"][1][6] = Percent(0.51)
    return sheets


def test_ods_is_read_with_the_same_rules(tmp_path: Path) -> None:
    from tests.odsfiles import write_ods

    submission = validate_file(write_ods(tmp_path / "wps.ods", _ods_sheets()))
    assert found(submission) == []
    assert submission.tables["Projects"]["ownership_pct"].tolist() == [51.0, 60.0]
    assert submission.tables["Fuel"]["quantity"].tolist() == [1000.0, 1200.0]
    # Saved under the wrong extension it is still read from its content.
    renamed = tmp_path / "wps.xlsx"
    renamed.write_bytes((tmp_path / "wps.ods").read_bytes())
    assert validate_file(renamed).tables["Projects"]["ownership_pct"].tolist() == [51.0, 60.0]


def test_ods_error_values_formulas_and_merged_cells_are_found(tmp_path: Path) -> None:
    from tests.odsfiles import write_ods

    path = write_ods(tmp_path / "lo.ods", _ods_sheets())
    text = _ods_content(path)
    # C2 of Fuel: a formula LibreOffice could not compute (#DIV/0!), D3 a formula without a
    # stored result; A2:A3 of Fuel merged (LibreOffice writes the covered cell).
    fuel_rows = text.split('table:name="Fuel">')[1]
    row2 = fuel_rows.split("<table:table-row>")[2]
    new_row2 = row2.replace(
        '<table:table-cell office:value-type="float" office:value="1000">'
        "<text:p>1000</text:p></table:table-cell>",
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "</table:table-cell>", 1).replace(
        '<table:table-cell office:value-type="string"><text:p>P2</text:p></table:table-cell>',
        '<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
        "<text:p>P2</text:p></table:table-cell>", 1)
    row3 = fuel_rows.split("<table:table-row>")[3]
    new_row3 = row3.replace(
        '<table:table-cell office:value-type="string"><text:p>L</text:p></table:table-cell>',
        '<table:table-cell table:formula="of:=[.Z1]"/>', 1).replace(
        '<table:table-cell office:value-type="string"><text:p>P2</text:p></table:table-cell>',
        "<table:covered-table-cell/>", 1)
    text = text.replace(row2, new_row2).replace(row3, new_row3).replace(
        "office:version=", 'xmlns:calcext="urn:org:documentfoundation:names:experimental:'
        'calc:xmlns:calcext:1.0" office:version=')
    _replace_ods_content(path, text)
    submission = validate_file(path)
    assert found(submission) == [("Fuel", "A2", "merged-cells"),
                                 ("Fuel", "C2", "cell-error-value"),
                                 ("Fuel", "D3", "formula-no-cached-value")]
    assert submission.findings.items[0].params == {"range": "A2:A3"}
    assert submission.findings.items[2].value == "=[.Z1]"  # as LibreOffice shows it


def test_ods_formula_reading_another_file_is_an_error_at_its_cell(tmp_path: Path) -> None:
    """LibreOffice's link to another file (['file:///…'#$Sheet1.A1]) with a stored result
    is read as that result by calamine: the scan finds it, an error at its cell, the
    formula shown without its of: prefix."""
    from tests.odsfiles import write_ods

    path = write_ods(tmp_path / "linked.ods", _ods_sheets())
    text = _ods_content(path)
    fuel_rows = text.split('table:name="Fuel">')[1]
    row2 = fuel_rows.split("<table:table-row>")[2]
    new_row2 = row2.replace(
        '<table:table-cell office:value-type="float" office:value="1000">',
        "<table:table-cell table:formula=\"of:=['file:///tmp/other.ods'#$Sheet1.A1]\" "
        'office:value-type="float" office:value="1000">', 1)
    assert new_row2 != row2
    _replace_ods_content(path, text.replace(row2, new_row2))
    submission = validate_file(path)
    assert found(submission) == [("Fuel", "C2", "formula-external-link")]
    assert submission.findings.items[0].value == "=['file:///tmp/other.ods'#$Sheet1.A1]"


def _ods_content(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("content.xml").decode()


def _replace_ods_content(path: Path, text: str) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["content.xml"] = text.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype"
                             else zipfile.ZIP_DEFLATED)


def test_ods_bomb_in_content_is_refused_like_an_xlsx_part(tmp_path: Path) -> None:
    from envreport.io import UnreadableWorkbookError, read_workbook
    from tests.odsfiles import write_ods

    path = write_ods(tmp_path / "bomb.ods", _ods_sheets())
    text = _ods_content(path).replace(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "aaaa">]>')
    _replace_ods_content(path, text)
    with pytest.raises(UnreadableWorkbookError) as caught:
        read_workbook(path)
    assert "content.xml declares XML entities" in caught.value.reason


# --- console --------

def test_text_output_shows_the_hint_under_the_message(tmp_path: Path) -> None:
    from envreport.cli import app

    fuel = [list(FUEL[0]), ["P2", "diesel", 10, "tons", "offroad", None, None]]
    result = runner.invoke(app, ["validate", str(build(tmp_path, Fuel=fuel))],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "'tons' is written for more than one unit, so it is not accepted." in result.output
    assert "Hint: Write t or short_ton instead, whichever is meant." in result.output
    result = runner.invoke(app, ["validate", str(build(tmp_path, Fuel=fuel)), "--lang", "zh"],
                           env={"COLUMNS": "200"})
    # Chinese punctuation in Chinese output: the full-width colon and comma
    assert "修改建议：请根据实际含义改写为 t 或 short_ton" in result.output
    assert "无效，1个错误，0个警告" in result.output


def test_chinese_country_names_are_read_and_chinese_currency_names_suggest_the_code(
        tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][2], projects[2][2] = "巴基斯坦", "肯尼"
    finance = [["instrument", "amount", "currency"], ["green_bond", 1e6, "肯尼亚先令"]]
    submission = validate_file(build(tmp_path, Projects=projects, GreenFinance=finance))
    assert found(submission) == [("Projects", "C3", "country-unknown"),
                                 ("Fuel", "A2", "project-rows-unusable"),
                                 ("Fuel", "A3", "project-rows-unusable"),
                                 ("GreenFinance", "C2", "currency-unknown")]
    assert submission.tables["Projects"]["host_country"].tolist() == ["PAK"]
    assert submission.findings.items[0].message("zh") == (
        "“肯尼”不是可识别的国家。您是否想输入 Kenya？")
    assert submission.findings.items[3].message().endswith("Did you mean KES?")


def test_chinese_official_country_names_are_read_as_the_english_ones_are(
        tmp_path: Path) -> None:
    """People's Republic of China is read; so is 中华人民共和国, as a Chinese subsidiary
    writes its own country (walked in Chinese, r17: country-unknown, no suggestion)."""
    projects = [list(r) for r in PROJECTS]
    projects[1][2], projects[2][2] = "中华人民共和国", "肯尼亚共和国"
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission) == []
    assert submission.tables["Projects"]["host_country"].tolist() == ["CHN", "KEN"]


def test_percent_formatted_organization_threshold_is_read_as_a_percentage(
        tmp_path: Path) -> None:
    organization = [*ORGANIZATION, ["recalculation_threshold_pct", 0.05]]

    def edit(book: Workbook) -> None:
        book["Organization"][f"B{len(organization)}"].number_format = "0%"
    submission = validate_file(build(tmp_path, edit, Organization=organization))
    assert found(submission) == []
    assert submission.organization is not None
    assert submission.organization.recalculation_threshold_pct == 5.0


def test_a_huge_merged_range_is_one_finding_not_a_hang(tmp_path: Path) -> None:
    import time
    import zipfile

    def edit(book: Workbook) -> None:
        book["Fuel"].merge_cells("H2:H3")  # widened below: openpyxl would fill every cell
    path = build(tmp_path, edit)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    part = "xl/worksheets/sheet3.xml"
    assert b'ref="H2:H3"' in members[part]
    members[part] = members[part].replace(b'ref="H2:H3"', b'ref="H2:XFD1048576"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    started = time.perf_counter()
    submission = validate_file(path)
    assert time.perf_counter() - started < 20
    assert found(submission) == [("Fuel", "H2", "merged-cells")]
    assert submission.rows["Fuel"].rejected == 2


# --- a drop-down's label typed alone (the Chinese template) --------

def test_a_label_typed_alone_reads_as_its_id_and_the_copy_keeps_it(tmp_path: Path) -> None:
    # The Chinese drop-down offers 光伏（solar_pv）; a Chinese user types 光伏. Its English
    # label reads as the id too, case and spaces aside.
    from envreport.pipeline import read_and_validate
    from envreport.workbook.annotate import write_annotated

    projects = [list(r) for r in PROJECTS]
    projects[1][4], projects[1][5] = "光伏", "运营期"
    projects[2][4], projects[2][5] = " solar  pv ", "Construction"
    raw, submission = read_and_validate(build(tmp_path, Projects=projects))
    assert found(submission) == []
    table = submission.tables["Projects"]
    assert table["project_type"].tolist() == ["solar_pv", "solar_pv"]
    assert table["status"].tolist() == ["operation", "construction"]
    # the annotated copy is written from what was read: the cell as the user typed it
    copy = load_workbook(write_annotated(raw, submission.findings, tmp_path / "copy.xlsx", "zh"))
    assert copy["Projects"]["E2"].value == "光伏"
    assert copy["Projects"]["E2"].comment is None


def test_a_value_near_a_label_is_suggested_by_it_with_the_list_whole(tmp_path: Path) -> None:
    projects = [list(r) for r in PROJECTS]
    projects[1][4], projects[1][5] = "光伏电站", "运营"
    submission = validate_file(build(tmp_path, Projects=projects))
    assert found(submission)[:2] == [("Projects", "E2", "value-not-allowed"),
                                     ("Projects", "F2", "value-not-allowed")]
    project_type, status = submission.findings.items[:2]
    assert project_type.params["suggestion"] == "solar_pv"
    # every allowed value, none cut off at the tenth
    assert project_type.message().endswith(
        "'mining', 'oil_gas' or 'other'. Did you mean solar_pv?")
    assert project_type.message("zh").endswith("采矿（mining）、油气（oil_gas）或其他（other）。"
                                               "您是否想输入 solar_pv？")
    assert status.message() == (
        "'运营' is not an allowed value of status; allowed: 'planning', 'construction', "
        "'operation', 'decommissioned' or 'divested'. Did you mean operation?")
    assert status.message("zh") == (
        "“运营”不是项目状态（status）的允许取值；允许的取值：规划期（planning）、"
        "建设期（construction）、运营期（operation）、已退役（decommissioned）或"
        "已剥离（divested）。您是否想输入 operation？")


def test_a_label_two_values_share_is_refused_naming_both(tmp_path: Path, monkeypatch) -> None:
    # No column's values share a label today; a vocabulary that gave wind Solar PV's label
    # (光伏 in Chinese) must read 光伏 as neither, and say so at the cell.
    from envreport.schema import vocabulary

    def forget() -> None:  # the labels are cached per column: none may outlive the test
        vocabulary.labels_of.cache_clear()
        vocabulary.ids_by_label.cache_clear()

    twins = {**vocabulary.PROJECT_TYPES, "wind": "Solar PV"}
    monkeypatch.setattr(vocabulary, "CHOICE_TABLES", (twins, *vocabulary.CHOICE_TABLES))
    forget()
    try:
        projects = [list(r) for r in PROJECTS]
        projects[1][4] = "光伏"
        submission = validate_file(build(tmp_path, Projects=projects))
    finally:
        monkeypatch.undo()
        forget()
    finding = submission.findings.items[0]
    assert (finding.code, finding.sheet, finding.cell, finding.severity, finding.value) == (
        "value-label-ambiguous", "Projects", "E2", "error", "光伏")
    assert finding.message() == "'光伏' is the label of both solar_pv and wind in project_type."
    assert finding.message("zh") == (
        "“光伏”在项目类型（project_type）中同时是 solar_pv 和 wind 的名称。")
    assert submission.tables["Projects"]["project_id"].tolist() == ["P2"]  # P1 rejected


def test_a_column_labels_its_values_from_its_own_list(tmp_path: Path) -> None:
    # assurance_level's none is "not assured" (未经鉴证), not the energy instrument's "None"
    # (无) that the first list holding a `none` gave it; the label typed alone reads as it
    from envreport.schema import SHEETS_BY_NAME
    from envreport.schema.vocabulary import drop_down_entries

    organization = SHEETS_BY_NAME["Organization"].allowed_values("assurance_level")
    assert drop_down_entries(organization, "zh") == (
        "未经鉴证（none）", "有限保证（limited）", "合理保证（reasonable）")
    water = SHEETS_BY_NAME["Water"].allowed_values("water_quality")
    assert drop_down_entries(water, "zh")[1] == "其他水（other）"
    submission = validate_file(build(
        tmp_path, Organization=[*ORGANIZATION, ["assurance_level", "未经鉴证"]]))
    assert found(submission) == []
    assert submission.organization.assurance_level == "none"


@pytest.mark.parametrize(("written", "level"), [
    ("有限保证", "limited"), ("合理保证", "reasonable"),  # today's labels (CICPA / ISAE 3000)
    ("有限鉴证", "limited"), ("合理鉴证", "reasonable"),  # a former template's, still read
    ("有限鉴证（limited）", "limited")])
def test_an_assurance_level_reads_by_its_label_and_its_former_label(
        tmp_path: Path, written: str, level: str) -> None:
    submission = validate_file(build(tmp_path, Organization=[
        *ORGANIZATION, ["assurance_level", written], ["assurance_provider", "Audit Co."],
        ["assurance_standard", "ISAE 3000"]]))
    assert found(submission) == []
    assert submission.organization.assurance_level == level
