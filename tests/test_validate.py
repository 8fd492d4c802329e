"""Validation: exact findings at exact cells, row accounting, header and type handling."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from envreport.schema import SHEETS
from tests.conftest import SAMPLES, validate_file
from tests.workbooks import FUEL, ORGANIZATION, PROJECTS, minimal, write_workbook

FAULTY = SAMPLES / "faulty" / "faulty_submission.xlsx"


def check(tmp_path: Path, **sheets):
    return validate_file(write_workbook(tmp_path / "wb.xlsx", minimal(**sheets)))


def test_faulty_sample_gives_exactly_the_committed_findings() -> None:
    expected = json.loads(FAULTY.with_suffix(".expected.json").read_text())
    submission = validate_file(FAULTY)
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == \
        expected["findings"]
    assert {k: v.to_dict() for k, v in submission.rows.items()} == expected["rows"]


@pytest.mark.parametrize("name", ["parent.xlsx", "sre.xlsx", "sri.xlsx"])
def test_group_samples_are_valid_and_every_row_is_accounted_for(name: str) -> None:
    submission = validate_file(SAMPLES / "group" / name)
    assert submission.findings.errors == []
    for sheet, count in submission.rows.items():
        assert count.read == count.accepted + count.rejected, sheet
        if sheet in submission.tables:
            assert len(submission.tables[sheet]) == count.accepted


def test_minimal_workbook_is_valid_and_typed(tmp_path: Path) -> None:
    submission = check(tmp_path)
    assert submission.valid
    assert submission.findings.flatten() == []
    projects = submission.tables["Projects"]
    # Countries are normalised to ISO alpha-3 whatever was typed (PK, Kenya).
    assert list(projects["host_country"]) == ["PAK", "KEN"]
    assert list(projects["row"]) == [2, 3]
    assert str(projects["eia_approval_date"].dtype).startswith("datetime64")
    fuel = submission.tables["Fuel"]
    assert fuel["quantity"].tolist() == [1000.0, 1200.0]
    assert fuel["unit"].tolist() == ["L", "L"]
    assert submission.organization is not None
    assert submission.organization.reporting_year == 2024


def test_headers_match_ignoring_case_spaces_underscores_units_and_chinese(tmp_path: Path) -> None:
    fuel = [
        ["用途", " Project ID ", "FUEL", "Quantity (L)", "unit", "Period_Start"],
        ["offroad", "P2", "diesel", 500, "L", "2024-03-01"],
    ]
    submission = check(tmp_path, Fuel=fuel)
    assert submission.findings.flatten() == []
    row = submission.tables["Fuel"].iloc[0]
    assert (row["use"], row["project_id"], row["quantity"]) == ("offroad", "P2", 500.0)
    assert row["period_start"] == pd.Timestamp("2024-03-01")
    # A blank period_end means the end of the reporting period.
    assert row["period_end"] == pd.Timestamp("2024-12-31")


def test_unknown_missing_and_duplicate_columns(tmp_path: Path) -> None:
    fuel = [
        ["project_id", "fuel", "quantity", "use", "colour", "fuel"],
        ["P2", "diesel", 500, "offroad", "blue", "diesel"],
    ]
    submission = check(tmp_path, Fuel=fuel)
    # unit is missing: one error at the first free header cell; the row cannot be used.
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Fuel", "E1", "column-unknown", "warning"],
        ["Fuel", "F1", "column-duplicate", "error"],
        ["Fuel", "G1", "column-missing", "error"],
    ]
    assert submission.rows["Fuel"].to_dict() == {"read": 1, "accepted": 0, "rejected": 1,
                                                 "blank": 0}


def test_cell_type_errors_are_reported_at_their_cells(tmp_path: Path) -> None:
    fuel = [
        ["project_id", "fuel", "quantity", "unit", "use", "period_start", "data_quality"],
        ["P2", "diesel", "12,5 t", "L", "offroad", None, None],
        ["P2", "diesel", -1, "L", "offroad", None, None],
        ["P2", "diesel", 10, "kWh/L", "offroad", None, None],
        ["P2", "diesel", 10, "drums", "offroad", None, None],
        ["P2", "diesel", 10, "MWh", "flying", "2024-02-30", "guess"],
        [None, None, None, None, None, None, None],
        ["P2", None, 10, "t", "offroad", None, None],
    ]
    submission = check(tmp_path, Fuel=fuel)
    assert submission.findings.flatten() == [
        ["Fuel", "C2", "not-a-number"],
        ["Fuel", "C3", "value-out-of-range"],
        # kWh/L is no unit of the vocabulary: unit texts are looked up, never evaluated.
        ["Fuel", "D4", "unit-unknown"],
        ["Fuel", "D5", "unit-unknown"],
        ["Fuel", "E6", "value-not-allowed"],
        ["Fuel", "F6", "not-a-date"],
        ["Fuel", "G6", "value-not-allowed"],
        ["Fuel", "B8", "required-missing"],
    ]
    assert submission.rows["Fuel"].to_dict() == {"read": 6, "accepted": 0, "rejected": 6,
                                                 "blank": 1}


def test_numbers_typed_in_full_width_read_as_typed(tmp_path: Path) -> None:
    """A Chinese input method in full-width mode types the point, the sign and the digits
    full-width (１２００．５): the number it shows, not not-a-number (walked in Chinese, r17);
    a superscript is no digit (10² is not 102)."""
    fuel = [
        ["project_id", "fuel", "quantity", "unit", "use"],
        ["P2", "diesel", "１２００．５", "L", "offroad"],
        ["P2", "diesel", "１２００", "L", "offroad"],
        ["P2", "diesel", "＋０．５", "L", "offroad"],
        ["P2", "diesel", "10²", "L", "offroad"],
        # a thousands separator is refused full-width too, as 1,200 is (docs/workbook.md)
        ["P2", "diesel", "１，２００．５", "L", "offroad"],
    ]
    submission = check(tmp_path, Fuel=fuel)
    assert submission.findings.flatten() == [["Fuel", "C5", "not-a-number"],
                                             ["Fuel", "C6", "not-a-number"]]
    assert submission.tables["Fuel"]["quantity"].tolist() == [1200.5, 1200.0, 0.5]


def test_date_text_is_a_date_alone_or_with_its_time_never_its_first_ten_characters(
        tmp_path: Path) -> None:
    """"2024-03-01至2024-03-31" typed into period_end was read as its first ten characters,
    1 March: the month's row became a day's, silently (walked in Chinese, r17). A date with
    the time a text export adds is its day; a date typed full-width is that date."""
    fuel = [
        ["project_id", "fuel", "quantity", "unit", "use", "period_start", "period_end"],
        ["P2", "diesel", 10, "L", "offroad", "2024-03-01", "2024-03-01至2024-03-31"],
        ["P2", "diesel", 11, "L", "offroad", "2024-03-01 00:00:00", "2024-03-31T00:00:00Z"],
        ["P2", "diesel", 12, "L", "offroad", "２０２４－０４－０１", "２０２４－０４－３０"],
        # the full-width space a Chinese input method types before the time
        ["P2", "diesel", 13, "L", "offroad", "２０２４－０５－０１　００：００",
         "２０２４－０５－３１　００：００：００"],
    ]
    submission = check(tmp_path, Fuel=fuel)
    assert submission.findings.flatten() == [["Fuel", "G2", "not-a-date"]]
    read = submission.tables["Fuel"]
    assert read["period_start"].tolist() == [pd.Timestamp("2024-03-01"),
                                             pd.Timestamp("2024-04-01"),
                                             pd.Timestamp("2024-05-01")]
    assert read["period_end"].tolist() == [pd.Timestamp("2024-03-31"),
                                           pd.Timestamp("2024-04-30"),
                                           pd.Timestamp("2024-05-31")]


def test_cross_field_rules_each_at_the_faulty_cell(tmp_path: Path) -> None:
    projects = [PROJECTS[0] + ["operation_start", "construction_start"],
                ["P1", "Solar", "PK", "energy", "solar_pv", "operation", 100, "approved", None,
                 50, None, None],
                ["P2", "Rail", "KE", "transport", "railway", "construction", 60, "pending", None,
                 None, date(2021, 1, 1), date(2022, 1, 1)]]
    electricity = [
        ["project_id", "quantity", "unit", "instrument", "instrument_quantity", "period_start",
         "period_end"],
        ["P2", 100, "MWh", "i_rec", 150, None, None],
        ["P2", 100, "MWh", "none", None, "2024-05-01", "2024-04-01"],
        ["P2", 100, "MWh", "none", None, "2023-12-01", "2024-01-31"],
    ]
    submission = check(tmp_path, Projects=projects, Electricity=electricity, Fuel=None)
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Projects", "I2", "eia-approval-date-missing", "error"],
        ["Projects", "H3", "eia-not-approved", "warning"],
        ["Projects", "K3", "operation-before-construction", "warning"],
        ["Electricity", "E2", "instrument-quantity-exceeds", "error"],
        ["Electricity", "G3", "period-end-before-start", "error"],
        ["Electricity", "F4", "period-outside-reporting", "error"],
    ]
    # a drop-down's value written into the Chinese sentence is named as the Chinese
    # drop-down shows it, 已批准（approved） (walked in Chinese, r15: "为 approved")
    eia = submission.findings.items[0]
    assert eia.message("en") == "eia_status is approved but eia_approval_date is blank."
    assert eia.message("zh") == (
        "环评状态（eia_status）为已批准（approved），但环评批复日期（eia_approval_date）为空。")


def test_unknown_duplicate_and_rejected_projects(tmp_path: Path) -> None:
    projects = [PROJECTS[0], PROJECTS[1], PROJECTS[2],
                ["P1", "Again", "PK", "energy", "solar_pv", "operation", 100, "approved",
                 date(2019, 5, 1), 50],
                ["P3", "Broken", "Atlantis", "energy", "wind", "operation", 100, "not_required",
                 None, 10]]
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P9", "diesel", 10, "L", "offroad"],
            ["P3", "diesel", 10, "L", "stationary"]]
    submission = check(tmp_path, Projects=projects, Fuel=fuel)
    assert submission.findings.flatten() == [
        ["Projects", "A4", "project-duplicate"],
        ["Projects", "C5", "country-unknown"],
        ["Fuel", "A2", "project-unknown"],
        ["Fuel", "A3", "project-rows-unusable"],
    ]
    assert submission.rows["Fuel"].rejected == 2


def test_duplicate_activity_rows_are_warnings_and_still_accepted(tmp_path: Path) -> None:
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 10, "L", "offroad"],
            ["P2", "diesel", 10, "L", "offroad"]]
    submission = check(tmp_path, Fuel=fuel)
    # Issue 9: a possible duplicate is flagged at both rows, each naming the other.
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Fuel", "A2", "duplicate-row", "warning"], ["Fuel", "A3", "duplicate-row", "warning"]]
    assert [f.params["other_row"] for f in submission.findings] == [3, 2]
    assert submission.rows["Fuel"].accepted == 2


def test_duplicate_rows_in_groups_of_three_after_unit_conversion(tmp_path: Path) -> None:
    # 1 784 L is 1.784 m3 and 5 L is 0.005 m3 (conversion noise rounded away). Rows 2, 4 and
    # 6 are one group: row 2 names row 4, the others row 2. Rows 3 and 7 are another; row 5
    # differs in its use, row 8 in its period.
    fuel = [["project_id", "fuel", "quantity", "unit", "use", "period_start", "period_end"],
            ["P2", "diesel", 1.784, "m3", "offroad", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 5, "L", "stationary", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 1784, "L", "offroad", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 1.784, "m3", "stationary", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 1.784, "m3", "offroad", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 0.005, "m3", "stationary", "2024-01-01", "2024-01-31"],
            ["P2", "diesel", 5, "L", "stationary", "2024-02-01", "2024-02-29"]]
    submission = check(tmp_path, Fuel=fuel)
    duplicates = [(f.row, f.params["other_row"], f.params["key"]) for f in submission.findings
                  if f.code == "duplicate-row"]
    assert duplicates == [(2, 4, "fuel/use"), (3, 7, "fuel/use"), (4, 2, "fuel/use"),
                          (6, 2, "fuel/use"), (7, 3, "fuel/use")]
    assert submission.rows["Fuel"].accepted == 7


def test_outlier_and_estimated_share_warnings(tmp_path: Path) -> None:
    rows = [["project_id", "fuel", "quantity", "unit", "use", "period_start", "period_end",
             "data_quality"]]
    for month in range(1, 13):
        quantity = 50_000 if month == 7 else 1000 + month
        quality = "estimated" if month <= 3 else "metered"
        end = (pd.Timestamp(2024, month, 1) + pd.offsets.MonthEnd(0)).date()
        rows.append(["P2", "diesel", quantity, "L", "offroad", date(2024, month, 1), end,
                     quality])
    submission = check(tmp_path, Fuel=rows)
    # 3 of 12 rows estimated = 25 % > 20 %: a warning at the data_quality header.
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Fuel", "H1", "estimated-share-high", "warning"],
        ["Fuel", "C8", "value-outlier", "warning"],
    ]


def test_generation_above_capacity_is_an_error_above_ceiling_a_warning(tmp_path: Path) -> None:
    # P1: 50 MW solar. January: 31 d × 24 h × 50 MW = 37 200 MWh is the physical maximum;
    # the 35 % solar ceiling is 13 020 MWh.
    generation = [["project_id", "technology", "gross_generation_mwh", "period_start",
                   "period_end"],
                  ["P1", "solar_pv", 37_201, "2024-01-01", "2024-01-31"],
                  ["P1", "solar_pv", 13_021, "2024-02-01", "2024-02-29"],
                  ["P1", "solar_pv", 9_000, "2024-03-01", "2024-03-31"]]
    submission = check(tmp_path, Generation=generation)
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        # no net_export_mwh column: energy sold is taken as the gross (version 2 warning)
        ["Generation", None, "net-export-missing", "warning"],
        ["Generation", "C2", "generation-exceeds-capacity", "error"],
        ["Generation", "C3", "generation-capacity-factor-high", "warning"],
    ]
    assert submission.findings.items[1].params["max_mwh"] == "37,200"
    # February 2024: 29 d × 24 h × 50 MW = 34 800 MWh; 13 021 of it is 37.4 % (> 35 %)
    high = submission.findings.items[2]
    assert high.message() == ("13021 MWh means a capacity factor of 37.4 %, above the 35 % a "
                              "solar_pv plant reaches.")
    # in Chinese the technology is the Chinese template's drop-down label, the figures set
    # against the Chinese as every Chinese message sets them
    assert high.message("zh") == "13021兆瓦时对应的容量系数为37.4%，高于光伏项目可达到的35%。"


def test_organization_missing_unknown_and_duplicate_fields(tmp_path: Path) -> None:
    org = [r for r in ORGANIZATION if r[0] != "reporting_currency"]
    org += [["colour", "green"], ["entity_id", "AGAIN"], ["gwp_set", "ar5"]]
    submission = check(tmp_path, Organization=org)
    assert submission.findings.flatten(("sheet", "cell", "code", "field")) == [
        ["Organization", None, "field-missing", "reporting_currency"],
        # rows: 1 header, 2–6 the five fields kept, 7 colour, 8 entity_id again
        ["Organization", "A7", "field-unknown", None],
        ["Organization", "A8", "field-duplicate", "entity_id"],
    ]
    assert submission.organization is None


def test_organization_accepts_lower_case_gwp_and_chinese_booleans(tmp_path: Path) -> None:
    org = [*ORGANIZATION, ["gwp_set", "ar5"], ["report_languages", "zh, en"]]
    projects = [PROJECTS[0] + ["water_stressed"], PROJECTS[1] + ["是"], PROJECTS[2] + ["否"]]
    submission = check(tmp_path, Organization=org, Projects=projects)
    assert submission.valid
    assert submission.organization.gwp_set == "AR5"
    assert submission.organization.report_languages == ("en", "zh")
    assert submission.tables["Projects"]["water_stressed"].tolist() == [True, False]


def test_missing_required_sheets(tmp_path: Path) -> None:
    submission = validate_file(write_workbook(tmp_path / "x.xlsx", {"Notes": [["hello"]]}))
    assert submission.findings.flatten(("sheet", "cell", "code")) == [
        ["Organization", None, "sheet-missing"],
        ["Projects", None, "sheet-missing"],
        ["Notes", None, "sheet-unknown"],
    ]


def test_a_percent_formatted_number_outside_the_pct_columns_is_a_warning_at_its_cell(
        tmp_path: Path) -> None:
    # 50% typed into a quantity is stored as 0.5 with a percent format: read as stored, but
    # never 0.5 t in silence. In ownership_pct the same format means 51 (the shown percent).
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    book["Fuel"]["E3"].value, book["Fuel"]["E3"].number_format = 0.5, "0%"
    book["Projects"]["H3"].value, book["Projects"]["H3"].number_format = 0.51, "0%"
    book.save(tmp_path / "sre.xlsx")
    submission = validate_file(tmp_path / "sre.xlsx")
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Fuel", "E3", "number-formatted-as-percent", "warning"]]
    finding = next(iter(submission.findings))
    from envreport.codes import message_for

    assert message_for(finding, "en") == (
        "quantity is formatted as a percentage: the cell shows 50%; 0.5 was read.")
    assert message_for(finding, "zh") == (
        "消耗量（quantity）设置了百分比格式：单元格显示为50%，读取的数值是0.5。")
    fuel = submission.tables["Fuel"]
    assert fuel.loc[fuel["row"] == 3, "quantity"].tolist() == [0.5]
    projects = submission.tables["Projects"]
    assert projects.loc[projects["row"] == 3, "ownership_pct"].tolist() == [51.0]


def test_an_unread_fuel_sheet_is_said_at_its_header_not_on_each_generation_row(
        tmp_path: Path) -> None:
    # A typo in a header, or a renamed tab, leaves the Fuel sheet unread: that is said at the
    # header (or the tab), not as "the Fuel sheet has no row for SRE-ID-COAL" on each of the
    # 24 Generation rows of the coal and gas plants. Without any Fuel sheet it still is.
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    book["Fuel"]["E1"] = "quantiy"
    book.save(tmp_path / "typo.xlsx")
    typo_findings = validate_file(tmp_path / "typo.xlsx").findings
    assert typo_findings.flatten(("sheet", "cell", "code")) == [["Fuel", "E1", "column-unknown"],
                                                                ["Fuel", "J1", "column-missing"]]
    typo = next(iter(typo_findings))
    from envreport.codes import message_for

    assert message_for(typo, "en") == ("The column 'quantiy' is not part of sheet Fuel; its "
                                       "values were not read. Did you mean quantity?")
    assert message_for(typo, "zh").endswith("您是否想输入 quantity？")
    # the header quoted as the cell holds it, in Chinese quotes: "列备注不属于…" read as one
    # word (walked in Chinese, r17)
    assert message_for(typo, "zh").startswith("列“quantiy”不属于工作表“燃料燃烧”，")
    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    book["Fuel"].title = "Fuels"
    book.save(tmp_path / "renamed.xlsx")
    assert validate_file(tmp_path / "renamed.xlsx").findings.flatten(
        ("sheet", "cell", "code")) == [["Fuels", None, "sheet-renamed"]]
    del book["Fuels"]
    book.save(tmp_path / "none.xlsx")
    codes = [f[0] for f in validate_file(tmp_path / "none.xlsx").findings.flatten(("code",))]
    assert codes == ["generation-fuel-missing"] * 24
    # A header error that leaves the rows read (project_id twice) is no reason to stay
    # silent: a Fuel sheet with no rows at all still has no row for the thermal plants.
    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    book["Fuel"]["J1"] = "project_id"
    book["Fuel"].delete_rows(2, book["Fuel"].max_row)
    book.save(tmp_path / "duplicate.xlsx")
    found = validate_file(tmp_path / "duplicate.xlsx").findings.flatten(("sheet", "cell", "code"))
    assert found[0] == ["Fuel", "J1", "column-duplicate"]
    assert [(sheet, code) for sheet, _cell, code in found[1:]] == [
        ("Generation", "generation-fuel-missing")] * 24


def test_an_unknown_project_id_suggests_the_listed_one(tmp_path: Path) -> None:
    # The same id in other case, or one character off, is a typo of a listed project.
    from openpyxl import load_workbook

    from envreport.codes import message_for

    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    book["Fuel"]["A2"] = "sre-id-coal"
    book["Water"]["A2"] = "SRE-PK-S0L"
    book["Waste"]["A2"] = "NOTHING-LIKE-IT"
    book.save(tmp_path / "ids.xlsx")
    messages = {(f.sheet, f.cell): message_for(f, "en")
                for f in validate_file(tmp_path / "ids.xlsx").findings}
    assert messages == {
        ("Fuel", "A2"): "project_id 'sre-id-coal' is not listed on the Projects sheet. "
                        "Did you mean SRE-ID-COAL?",
        ("Water", "A2"): "project_id 'SRE-PK-S0L' is not listed on the Projects sheet. "
                         "Did you mean SRE-PK-SOL?",
        ("Waste", "A2"): "project_id 'NOTHING-LIKE-IT' is not listed on the Projects sheet."}


def test_an_id_in_the_wrong_case_suggests_a_listed_project_whose_row_has_errors(
        tmp_path: Path) -> None:
    """'p2' where Projects lists P2: no "Did you mean P2?" when P2's own row was rejected
    for an error (the ids suggested were those of the accepted rows only)."""
    from envreport.codes import message_for

    projects = [list(row) for row in PROJECTS]
    projects[2][6] = 160  # P2's ownership_pct: its row is rejected
    fuel = [list(row) for row in FUEL]
    fuel[1][0] = "p2"
    path = write_workbook(tmp_path / "case.xlsx", minimal(Projects=projects, Fuel=fuel))
    messages = {(f.sheet, f.cell): message_for(f, "en")
                for f in validate_file(path).findings if f.sheet == "Fuel"}
    assert messages == {
        ("Fuel", "A2"): "project_id 'p2' is not listed on the Projects sheet. Did you mean P2?",
        ("Fuel", "A3"): "project_id 'P2' has errors on the Projects sheet (row 3), so this row "
                        "was not used."}


def test_a_missing_projects_sheet_is_one_finding_not_a_factor_error_per_row(
        tmp_path: Path) -> None:
    # A subsidiary's workbook without its Projects sheet: its Electricity rows have no grid
    # country of their own and no host country to fall back on. That is the missing sheet,
    # said once, not "There is no electricity factor for None" on each of the 24 rows.
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "group" / "sre.xlsx")
    assert book["Electricity"]["G2"].value is None  # grid_country blank: the host's grid
    del book["Projects"]
    book.save(tmp_path / "sre.xlsx")
    submission = validate_file(tmp_path / "sre.xlsx")
    assert submission.findings.flatten(("sheet", "cell", "code")) == [
        ["Projects", None, "sheet-missing"]]


def test_parent_may_omit_projects(tmp_path: Path) -> None:
    subsidiaries = [["entity_id", "ownership_pct"], ["SUB1", 100]]
    submission = check(tmp_path, Projects=None, Fuel=None, Subsidiaries=subsidiaries)
    assert submission.valid, submission.findings.flatten()


def test_a_parent_without_projects_but_with_project_rows_misses_the_sheet(
        tmp_path: Path) -> None:
    # The group's parent without its Projects sheet: its 28 Fuel and 12 Electricity rows (of
    # CSIG-HQ-BJ, on no Projects row) were left out in silence, the workbook valid with Scope
    # 2 at 0. The sheet is missing, once, as for any other workbook.
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "group" / "parent.xlsx")
    del book["Projects"]
    book.save(tmp_path / "parent.xlsx")
    submission = validate_file(tmp_path / "parent.xlsx")
    assert submission.findings.flatten(("sheet", "cell", "code")) == [
        ["Projects", None, "sheet-missing"]]


def test_formula_without_cached_value_is_found(tmp_path: Path) -> None:
    fuel = [["project_id", "fuel", "quantity", "unit", "use"],
            ["P2", "diesel", 10, "L", "offroad"],
            ["P2", "diesel", "=C2*2", "L", "offroad"]]
    submission = check(tmp_path, Fuel=fuel)
    assert submission.findings.flatten() == [["Fuel", "C3", "formula-no-cached-value"]]
    assert submission.rows["Fuel"].rejected == 1
    # the message names the column, as every other finding at a cell does (walked as a new
    # user, r15: "The cell holds a formula …" — and the annotated copy holds no formula)
    finding = submission.findings.items[0]
    assert finding.message("en") == "quantity holds a formula with no computed value."
    assert finding.message("zh") == "消耗量（quantity）中是公式，但没有已计算的结果值。"
    # the formula is the finding's value, and the annotated copy shows it in its cell as
    # text: a blank red cell hid what its finding was about (walked in Chinese, r17)
    assert finding.value == "=C2*2"
    from openpyxl import load_workbook

    from envreport.io import read_workbook
    from envreport.workbook.annotate import write_annotated

    path = tmp_path / "wb.xlsx"
    out = write_annotated(read_workbook(path), submission.findings, tmp_path / "copy.xlsx")
    cell = load_workbook(out)["Fuel"]["C3"]
    assert (cell.value, cell.data_type) == ("=C2*2", "s")


def test_money_in_a_currency_without_rate(tmp_path: Path) -> None:
    incidents = [["project_id", "date", "type", "severity", "fine_amount", "currency"],
                 ["P2", "2024-03-01", "penalty", "minor", 1000, "USD"],
                 ["P2", "2024-04-01", "penalty", "minor", 1000, "CNY"]]
    submission = check(tmp_path, Incidents=incidents)
    assert submission.findings.flatten() == [["Incidents", "F2", "fx-rate-missing"]]
    rates = [["currency", "rate_to_reporting_currency", "source"], ["USD", 7.1, "PBOC"]]
    assert check(tmp_path, Incidents=incidents, FxRates=rates).findings.flatten() == []


def test_every_contract_sheet_has_a_model_with_its_required_columns() -> None:
    required = {spec.name: spec.required_fields for spec in SHEETS}
    assert required["Fuel"] == ("project_id", "fuel", "quantity", "unit", "use")
    assert required["Electricity"] == ("project_id", "quantity", "unit")
    assert required["FxRates"] == ("currency", "rate_to_reporting_currency", "source")
    assert required["Narrative"] == ("topic", "text")
    assert len(SHEETS) == 17  # 16 of contract version 1, plus Narrative (version 2)


def test_a_huge_header_is_quoted_briefly(tmp_path: Path) -> None:
    header = "x" * 32_000
    fuel = [["project_id", "fuel", "quantity", "unit", "use", header],
            ["P2", "diesel", 10, "L", "offroad", "note"]]
    finding = check(tmp_path, Fuel=fuel).findings.items[0]
    assert finding.code == "column-unknown"
    assert len(finding.message()) < 250
    assert len(finding.to_dict()["value"]) == 1000


def test_many_rules_each_reported_at_its_cell(tmp_path: Path) -> None:
    org = [*ORGANIZATION[:6], ["consolidation_approach", "operational_control"]]
    header = PROJECTS[0] + ["operational_control", "water_stressed", "construction_start"]
    projects = [header,
                # EIA approved 2019-05-01, construction from 2018: a warning, row accepted
                PROJECTS[1] + [True, "no", date(2018, 1, 1)],
                PROJECTS[2] + [None, "no", None],  # control blank under operational_control
                ["P3", "R" * 32_767, "KE", "transport", "railway", "planning", 100,
                 "not_started", None, None, False, "maybe", None]]
    sheets = minimal(
        Organization=org, Projects=projects,
        Fuel=[["project_id", "fuel", "quantity", "unit", "use", None],
              ["P1", "bituminous_coal", 10, "L", "stationary", "stray note"]],
        Electricity=[["project_id", "quantity", "unit", "instrument", "instrument_quantity"],
                     ["P1", 10, "MWh", "none", 5]],
        Generation=[["project_id", "technology", "gross_generation_mwh", "net_export_mwh"],
                    ["P1", "solar_pv", 10, 11]],
        Refrigerants=[["project_id", "gas", "quantity_kg"], ["P1", "R-999", 1]],
        Water=[["project_id", "flow", "source", "quantity", "unit", "treated"],
               ["P1", "withdrawal", "ground", 10, "m3", "yes"]],
        GreenFinance=[["instrument", "amount", "currency", "issue_date", "maturity_date"],
                      ["green_bond", 1e6, "CNY", "2024-06-01", "2024-01-01"]],
        Targets=[["metric", "base_year", "base_value", "target_year", "target_reduction_pct"],
                 ["scope1_tco2e", 2020.5, 100, 2030, 10],
                 ["scope1_tco2e", 2030, 100, 2025, 10]],
    )
    path = write_workbook(tmp_path / "rules.xlsx", sheets)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.copy_worksheet(book["Targets"]).title = " targets "
    book.save(path)
    submission = validate_file(path)
    assert submission.findings.flatten(("sheet", "cell", "code")) == [
        ["Projects", "I2", "construction-before-eia"],
        ["Projects", "K3", "control-missing"],
        ["Projects", "L4", "not-a-boolean"],
        ["Fuel", "F1", "column-no-header"],
        ["Fuel", "D2", "fuel-volume-not-convertible"],
        ["Electricity", "E2", "instrument-quantity-without-instrument"],
        ["Generation", "D2", "net-export-exceeds-generation"],
        ["Refrigerants", "B2", "refrigerant-unknown"],
        ["Water", "F2", "treated-on-withdrawal"],
        ["GreenFinance", "E2", "maturity-before-issue"],
        ["Targets", None, "sheet-duplicate"],
        ["Targets", "B2", "not-an-integer"],
        ["Targets", "D3", "target-year-not-after-base"],
    ]
    treated = next(f for f in submission.findings.items if f.code == "treated-on-withdrawal")
    assert treated.message("zh") == "是否处理（treated）仅适用于排水，取水行中的该值已被忽略。"
    unused = next(f for f in submission.findings.items
                  if f.code == "instrument-quantity-without-instrument")
    assert unused.message("en") == (
        "instrument_quantity is given but instrument is none; it was ignored.")
    assert unused.message("zh") == (
        "填写了工具覆盖量（instrument_quantity），但合同工具（instrument）为无（none），"
        "该覆盖量已被忽略。")


def test_factor_findings_skip_rows_of_unknown_projects(tmp_path: Path) -> None:
    electricity = [["project_id", "quantity", "unit"], ["P9", 10, "MWh"]]
    submission = check(tmp_path, Electricity=electricity)
    # Only the cause is reported, not "no grid factor" for a country nobody named.
    assert submission.findings.flatten() == [["Electricity", "A2", "project-unknown"]]


def test_a_currency_given_twice_is_reported_at_the_later_row(tmp_path: Path) -> None:
    # USD on rows 2 and 4 at different rates (the money is converted with row 4's: which
    # one is right?), EUR on rows 3 and 5 at the same rate (one row is redundant); IDR once
    header = ["currency", "rate_to_reporting_currency", "source"]
    rates = [header, ["USD", 7.1, "PBOC"], ["EUR", 7.7011, "PBOC"], ["usd", 7.1217, "Bank"],
             ["EUR", 7.7011, "ECB"], ["IDR", 0.0004487, "BI"]]
    findings = check(tmp_path, FxRates=rates).findings
    assert findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["FxRates", "A4", "fx-rate-conflict", "error"],
        ["FxRates", "A5", "fx-rate-repeated", "warning"]]
    conflict, repeated = findings.items
    assert conflict.message("en") == (
        "USD is also given on row 2 at another rate (7.1, this row 7.1217): money in USD is "
        "converted with the last row's rate, which may not be the right one.")
    assert conflict.message("zh") == (
        "USD 在第2行也有汇率，且与本行不同（该行为7.1，本行为7.1217）：USD 金额按最后一行的汇率"
        "折算，而该汇率未必正确。")
    assert conflict.hint("zh") == "请只为 USD 保留一行，填写正确的汇率及其来源。"
    assert repeated.message("en") == (
        "EUR is also given on row 3, at the same rate (7.7011): money in EUR is converted "
        "with the last row.")
    assert repeated.message("zh") == (
        "EUR 在第3行也有汇率，且与本行相同（7.7011）：EUR 金额按最后一行折算。")
    assert repeated.hint("en") == "Delete one of the two rows for EUR."
