"""The template: generated from the models, styled, with drop-downs, and it round-trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from envreport.factors.resolve import fuel_id
from envreport.schema import SHEETS, SHEETS_BY_NAME, normalise_header, sheet_spec
from envreport.workbook.template import write_template
from tests.conftest import validate_file

FILL: dict[str, list[dict[str, object]]] = {
    "Projects": [{"project_id": "P1", "project_name": "Solar", "host_country": "PK",
                  "sector": "energy", "project_type": "solar_pv", "status": "operation",
                  "ownership_pct": 80, "eia_status": "approved",
                  "eia_approval_date": date(2020, 1, 1), "installed_capacity_mw": 20}],
    "Fuel": [{"project_id": "P1", "fuel": "diesel", "quantity": 1000, "unit": "L",
              "use": "stationary", "period_start": date(2024, 1, 1),
              "period_end": date(2024, 1, 31), "data_quality": "invoice"}],
    "Electricity": [{"project_id": "P1", "quantity": 5000, "unit": "kWh"}],
    "Generation": [{"project_id": "P1", "technology": "solar_pv",
                    "gross_generation_mwh": 3000, "net_export_mwh": 2940,
                    "period_start": date(2024, 6, 1), "period_end": date(2024, 6, 30)}],
    "Refrigerants": [{"project_id": "P1", "gas": "R-410A", "quantity_kg": 2.5}],
    "Water": [{"project_id": "P1", "flow": "withdrawal", "source": "ground", "quantity": 100,
               "unit": "m3"}],
    "Waste": [{"project_id": "P1", "waste_type": "oil", "hazardous": "yes", "quantity": 2,
               "unit": "t", "disposal": "recycling"}],
    "Pollutants": [{"project_id": "P1", "pollutant": "NOx", "quantity_t": 1.5}],
    "Incidents": [{"project_id": "P1", "date": date(2024, 3, 3), "type": "complaint",
                   "severity": "minor"}],
    "Mitigation": [{"project_id": "P1", "action": "LED lighting",
                    "category": "energy_efficiency", "status": "completed",
                    "annual_reduction_tco2e": 12}],
    "GreenFinance": [{"instrument": "green_bond", "amount": 1e8, "currency": "CNY",
                      "project_ids": "P1"}],
    "Factors": [{"factor_type": "grid", "key": "PAK", "gas": "CO2e", "value": 0.4,
                 "unit": "kg/kWh", "source": "NEPRA 2024"}],
    "Targets": [{"metric": "scope1_tco2e", "base_year": 2020, "base_value": 100,
                 "target_year": 2030, "target_reduction_pct": 30}],
    "FxRates": [{"currency": "USD", "rate_to_reporting_currency": 7.1, "source": "PBOC"}],
}
ORG = {"entity_id": "T1", "organization_name": "Template Test Co.",
       "reporting_period_start": date(2024, 1, 1), "reporting_period_end": date(2024, 12, 31),
       "reporting_currency": "CNY", "consolidation_approach": "equity_share"}


def fill_template(path: Path) -> None:
    """Fill a blank template the way a person would: by the headers it shows."""
    book = load_workbook(path)
    # by contract name, whatever the template's language named the tabs
    tabs = {spec.name: book[title] for title in book.sheetnames
            if (spec := sheet_spec(title)) is not None}
    org = tabs["Organization"]
    aliases = SHEETS_BY_NAME["Organization"].header_aliases
    for row in range(2, org.max_row + 1):
        field = aliases.get(normalise_header(org.cell(row, 1).value))
        if field in ORG:
            org.cell(row, 2, ORG[field])
    for name, records in FILL.items():
        sheet = tabs[name]
        aliases = SHEETS_BY_NAME[name].header_aliases
        columns = {aliases[normalise_header(c.value)]: c.column for c in sheet[1]}
        for offset, record in enumerate(records):
            for field, value in record.items():
                sheet.cell(2 + offset, columns[field], value)
    book.save(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_filled_template_validates_without_errors(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / f"template.{lang}.xlsx", lang)
    fill_template(path)
    submission = validate_file(path)
    assert submission.findings.flatten(("sheet", "cell", "code")) == []
    assert submission.valid
    # Every filled sheet came back with its row, under canonical field names.
    for name, records in FILL.items():
        assert submission.rows[name].accepted == len(records), name
    assert submission.tables["Fuel"].loc[0, "quantity"] == 1000
    assert submission.tables["Projects"].loc[0, "host_country"] == "PAK"


def test_blank_template_reports_what_is_missing(tmp_path: Path) -> None:
    submission = validate_file(write_template(tmp_path / "t.xlsx"))
    codes = submission.findings.flatten(("sheet", "code"))
    assert ["Projects", "sheet-empty"] in codes
    assert ["Organization", "required-missing"] in codes
    assert not any(code == "sheet-unknown" for _, code in codes)  # Instructions, Lists


def test_template_structure(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert book.sheetnames[0] == "Instructions"
    assert book.sheetnames[1:-1] == [spec.name for spec in SHEETS]
    assert book["Lists"].sheet_state == "hidden"
    fuel = book["Fuel"]
    assert fuel.freeze_panes == "A2"
    headers = [c.value for c in fuel[1]]
    assert headers[:5] == ["project_id", "period_start", "period_end", "fuel", "quantity"]
    assert fuel["D1"].font.b is True  # fuel: required → bold
    assert fuel["B1"].font.b is False  # period_start: optional
    comment = fuel["E1"].comment.text
    assert comment.startswith("quantity\n")
    assert comment.endswith("Required")
    use_comment = fuel["G1"].comment.text
    assert "stationary, mobile, offroad" in use_comment
    assert fuel.column_dimensions["B"].number_format == "yyyy-mm-dd"
    # A drop-down on every enumerated column: Fuel's fuel, use and data_quality.
    validated = {str(dv.sqref).split(":")[0] for dv in fuel.data_validations.dataValidation}
    assert {"D2", "G2", "H2"} <= validated
    units = book["Generation"]["E1"].value
    assert units == "gross_generation_mwh (MWh)"


def test_every_enumerated_column_has_a_drop_down(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    for spec in SHEETS:
        if spec.key_value:
            continue
        sheet = book[spec.name]
        validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
        for index, field in enumerate(spec.fields, start=1):
            if spec.allowed_values(field):
                letter = sheet.cell(1, index).column_letter
                assert f"{letter}2" in validated, (spec.name, field)


def test_chinese_template_has_chinese_labels_and_chinese_tabs(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "t.xlsx", "zh"))
    assert book.sheetnames[0] == "说明"
    assert book.sheetnames[1:4] == ["机构信息", "项目", "燃料燃烧"]
    assert book.sheetnames[1:-1] == [spec.title_zh for spec in SHEETS]
    projects = book["项目"]
    assert projects["A1"].value == "项目编号"
    assert "唯一的项目编码" in projects["A1"].comment.text
    # a header's note lists the values as the drop-down offers them, with Chinese punctuation
    lines = book["燃料燃烧"]["D1"].comment.text.split("\n")
    assert lines[0] == "fuel"
    assert lines[2].startswith("可选值：天然气（natural_gas）、柴油（diesel）、汽油（gasoline）")
    assert book["废弃物"]["F1"].comment.text == (
        "hazardous\n是否属于危险废物？\n可选值：“是”或“否”\n必填")  # was "可选值: 是 或 否"
    assert book["机构信息"]["A2"].value == "主体编号"
    instructions = book["说明"]
    assert "每个主题填写一张工作表" in instructions["A3"].value
    # the sheet list links to the Chinese tabs
    assert instructions["A10"].value == "燃料燃烧"
    assert instructions["A10"].hyperlink.target == "#'燃料燃烧'!A1"
    # Chinese punctuation in the Chinese text (found walking the portal's zh template, r11)
    assert instructions["B8"].value == (
        "机构信息（必需的工作表）：每个字段一行：A 列为字段名，B 列为取值。")
    assert instructions["C8"].value == (
        "主体编号、机构名称、报告期开始、报告期结束、报告币种、合并方法")
    assert instructions["B10"].value.startswith("燃料燃烧：锅炉")
    english = load_workbook(write_template(tmp_path / "en.xlsx", "en"))["Instructions"]
    assert english["B8"].value.startswith("Organisation (required sheet): One row per field")
    assert english["C10"].value == "project_id, fuel, quantity, unit, use"


def test_chinese_instructions_and_notes_use_the_names_the_template_shows(tmp_path: Path) -> None:
    """Walked as a new user (r15): the Narrative row of 说明 named its Chinese column
    “内容（中文）”, a header the 叙述 sheet does not have (it is 中文内容); the note on
    因子覆盖's factor_type called ncv 低位热值 where its own drop-down says 低位发热量."""
    book = load_workbook(write_template(tmp_path / "t.xlsx", "zh"))
    narrative = book["叙述"]
    assert [c.value for c in narrative[1]] == ["主题", "内容", "中文内容"]
    instructions = book["说明"]
    row = next(r for r in range(1, instructions.max_row + 1)
               if instructions.cell(r, 1).value == "叙述")
    assert instructions.cell(row, 2).value.endswith(
        "按行序显示在报告相应章节；“中文内容”为中文文本。")
    note = book["因子覆盖"]["A1"].comment.text.split("\n")
    assert note[1] == "因子类型：燃料排放因子、低位发热量、密度、电网或制冷剂 GWP。"
    assert note[2] == ("可选值：燃料排放因子（fuel）、低位发热量（ncv）、密度（density）、"
                       "电网排放因子（grid）、制冷剂全球变暖潜势（refrigerant）")


@pytest.mark.parametrize(("lang", "fuel_label", "fuel", "yes_no"),
                         [("en", "fuel", "diesel", '"yes,no"'),
                          ("zh", "燃料", "柴油（diesel）", '"是,否"')])
def test_instructions_print_on_one_page_width_with_an_example_row(
        tmp_path: Path, lang: str, fuel_label: str, fuel: str, yes_no: str) -> None:
    book = load_workbook(write_template(tmp_path / "t.xlsx", lang))
    sheet = book.worksheets[0]
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.orientation == "landscape"
    rows = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)}
    # the example's drop-down values as the drop-downs offer them (walked as a new user, r15:
    # the Chinese example showed diesel where the Chinese drop-down offers 柴油（diesel）)
    assert rows[fuel_label] == fuel
    assert any(isinstance(k, str) and "1,784" in k for k in rows)
    # yes/no columns offer the words of the template's language (both are read back)
    waste = book[SHEETS_BY_NAME["Waste"].tab(lang)]
    formulas = {dv.formula1 for dv in waste.data_validations.dataValidation}
    assert yes_no in formulas


def test_chinese_drop_downs_show_chinese_labels_that_read_back_as_ids(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", "zh")
    book = load_workbook(path)
    lists = book["Lists"]
    entries = {cell.value for column in lists.iter_cols() for cell in column if cell.value}
    assert "光伏（solar_pv）" in entries
    assert "权益比例法（equity_share）" in entries or any(
        e.endswith("（equity_share）") for e in entries)
    # a person picks the Chinese entries: the workbook reads back as the ids
    fill_template(path)
    book = load_workbook(path)
    projects = book["项目"]
    aliases = SHEETS_BY_NAME["Projects"].header_aliases
    columns = {aliases[normalise_header(c.value)]: c.column for c in projects[1]}
    projects.cell(2, columns["project_type"], "光伏（solar_pv）")
    projects.cell(2, columns["status"], "运营（operation）")
    # the fuel's drop-down too: its entry was 'not a fuel of the factor library. Did you mean
    # diesel?' (walked as a data clerk, r14); its label alone reads as the id as well
    fuel = book["燃料燃烧"]
    assert "柴油（diesel）" in entries
    for row, written in ((2, "柴油（diesel）"), (3, "柴油"), (4, "Natural gas")):
        for col, value in enumerate(c.value for c in fuel[2]):
            fuel.cell(row, col + 1, value)
        fuel.cell(row, 4, written)
    book.save(path)
    submission = validate_file(path)
    assert not [f for f in submission.findings if f.severity == "error"]
    row = submission.tables["Projects"].iloc[0]
    assert (row["project_type"], row["status"]) == ("solar_pv", "operation")
    assert [fuel_id(text) for text in submission.tables["Fuel"]["fuel"]] == [
        "diesel", "diesel", "natural_gas"]


@pytest.mark.parametrize(("lang", "chinese_names", "percentages", "multiples"), [
    ("en", "English or Chinese name", "Percentages (headers ending in (%)): 45 or 45% for 45 %",
     "not a multiple of one (10,000 kWh): convert the quantity (× 10 in MWh)"),
    ("zh", "英文或中文名称", "百分比（表头以 (%) 结尾的列）：45%填45或45%",
     "不要填写“万千瓦时”“万吨”等倍数单位，请换算数量（1万千瓦时等于10 MWh，1万吨等于10 kt）"),
])
def test_instructions_rules_are_what_the_validator_accepts(
        tmp_path: Path, lang: str, chinese_names: str, percentages: str, multiples: str) -> None:
    """The Instructions sheet's rules, as a clerk follows them (walked as a new user, r14): a
    country in Chinese and a percentage typed 45 or 45% are read; 45% kept as text is refused
    with a hint that names the percent sign, in the template's language."""
    path = write_template(tmp_path / f"t.{lang}.xlsx", lang)
    rules = next(cell.value for (cell,) in load_workbook(path).worksheets[0].iter_rows(max_col=1)
                 if str(cell.value).startswith(("Dates:", "日期：")))
    assert chinese_names in rules
    assert percentages in rules
    # a unit written as a multiple (万千瓦时) is refused (unit-multiple): the rules say so
    # before the clerk types one (walked in Chinese, r17)
    assert multiples in rules
    fill_template(path)
    book = load_workbook(path)
    projects = book[SHEETS_BY_NAME["Projects"].tab(lang)]
    headers = {normalise_header(c.value): c.column for c in projects[1]}
    aliases = SHEETS_BY_NAME["Projects"].header_aliases
    column = {aliases[h]: col for h, col in headers.items()}
    second = [c.value for c in projects[2]]
    for row in (3, 4):  # two more projects like the first
        for col, value in enumerate(second, start=1):
            projects.cell(row, col, value)
        projects.cell(row, column["project_id"], f"P{row - 1}")
    projects.cell(2, column["host_country"], "巴基斯坦")
    projects.cell(2, column["ownership_pct"], 45)
    projects.cell(3, column["ownership_pct"], 0.45).number_format = "0%"  # 45% typed in Excel
    projects.cell(4, column["ownership_pct"], "45%").number_format = "@"  # a text cell
    book.save(path)
    submission = validate_file(path)
    assert submission.findings.flatten(("sheet", "cell", "code")) == [
        ["Projects", "H4", "not-a-number"]]
    assert submission.tables["Projects"].loc[0, "host_country"] == "PAK"
    assert list(submission.tables["Projects"]["ownership_pct"]) == [45, 45]
    hint = submission.findings.items[0].hint(lang)
    assert hint == {
        "en": "Type the number alone, without a unit, a percent sign or thousands separators "
              "(e.g. 1250.5; 45 for 45 %).",
        "zh": "请只填写数字，不要带单位、百分号或千位分隔符（例如1250.5；45%填45）。"}[lang]
