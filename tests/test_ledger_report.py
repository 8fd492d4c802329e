"""Each topic's table of a report built with the ledger shows the prior period beside this one.

Two years of one entity, P1 in Pakistan, with hand-worked figures:

- Scope 1 is HFC-134a leaks, GWP 1,300 under AR5 and 1,530 under AR6: 2023 (AR5) 12 kg =
  15.6 t as reported, restated under AR6 18.36 t; 2024 (AR6) 11 kg = 16.83 t, a change of
  (16.83 − 18.36) / 18.36 = −8.3 %.
- Purchased electricity 100 MWh in 2023, 110 MWh in 2024, energy 360 → 396 GJ (+10.0 %).
  Pakistan's grid factor of each year (Ember, 0.42569 and 0.39861 tCO2e/MWh; no residual mix,
  so the market-based figure is the same): Scope 2 42.569 → 43.8471 t, +3.0 %.
- Water withdrawn from surface water 1,000 → 1,250 m³ (+25.0 %), 400 → 300 m³ discharged
  (−25.0 %); consumption 600 → 950 m³ (+58.3 %).
- Waste 8 t recycled and 2 t hazardous to landfill in 2023; 6 t recycled and 3 t hazardous in
  2024: generated 10 → 9 t (−10.0 %), non-hazardous 8 → 6 t (−25.0 %), hazardous +50.0 %.

The consolidated group's report compares the group's own stored periods the same way.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from envreport.ledger import Ledger
from envreport.ledger.build import with_periods
from envreport.render import render_html
from tests.html_tables import row_cells
from tests.workbooks import organization_rows, write_workbook

#: what R means, the comparison chapter's last sentence when the prior period is restated
R_SAID = {"en": "A prior figure marked R differs from the one first reported (the last column) "
                "at the precision shown; the others are as first reported.",
          "zh": "标有R的上期数值与原报告数值（末列）在所示精度下不同；其余数值与原报告相同。"}


def _workbook(path: Path, year: int, *, gwp: str, leak_kg: float, mwh: float,
              withdrawn: float, discharged: float, recycled: float, hazardous: float,
              entity: str = "CMP", base_year: int | None = None,
              diesel_l: float | None = None) -> Path:
    organization = organization_rows(entity, year, gwp)
    if base_year is not None:
        organization.append(["base_year", base_year])
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct", "eia_status", "eia_approval_date"],
                ["P1", "Plant P1", "PK", "manufacturing", "manufacturing", "operation", 100,
                 "approved", date(2015, 1, 1)]]
    fuel = {} if diesel_l is None else {"Fuel": [
        ["project_id", "fuel", "quantity", "unit", "use"],
        ["P1", "diesel", diesel_l, "L", "stationary"]]}
    return write_workbook(path, {
        "Organization": organization, "Projects": projects, **fuel,
        "Refrigerants": [["project_id", "gas", "quantity_kg"], ["P1", "HFC-134a", leak_kg]],
        "Electricity": [["project_id", "energy_type", "quantity", "unit", "instrument"],
                        ["P1", "electricity", mwh, "MWh", "none"]],
        "Water": [["project_id", "flow", "source", "quantity", "unit"],
                  ["P1", "withdrawal", "surface", withdrawn, "m3"],
                  ["P1", "discharge", "surface", discharged, "m3"]],
        "Waste": [["project_id", "waste_type", "hazardous", "quantity", "unit", "disposal"],
                  ["P1", "scrap", "no", recycled, "t", "recycling"],
                  ["P1", "oil sludge", "yes", hazardous, "t", "landfill"]],
    })


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BeautifulSoup]:
    folder = tmp_path_factory.mktemp("topic-tables")
    with Ledger(f"sqlite:///{folder / 'ledger.db'}") as ledger:
        ledger.record(_workbook(folder / "c2023.xlsx", 2023, gwp="AR5", leak_kg=12, mwh=100,
                                withdrawn=1000, discharged=400, recycled=8, hazardous=2,
                                base_year=2023))
        current = ledger.record(_workbook(folder / "c2024.xlsx", 2024, gwp="AR6", leak_kg=11,
                                          mwh=110, withdrawn=1250, discharged=300,
                                          recycled=6, hazardous=3, base_year=2023))
        assert current.valid, current.findings
        results = with_periods(current.results, ledger.comparison(current))
    return {lang: BeautifulSoup(render_html(results, lang), "html.parser")
            for lang in ("en", "zh")}


def test_ghg_tables_compare_with_the_restated_prior(reports: dict[str, Any]) -> None:
    soup = reports["en"]
    heads = [th.get_text(" ", strip=True)
             for th in soup.find(id="table-scopes").find("thead").find_all("th")]
    assert heads == ["Scope", "Location-based (tCO2e)", "Prior period", "Change",
                     "Market-based (tCO2e)", "Prior period", "Change"]
    # Scope 1: 16.8 now, 18.4 restated (R) with 15.6 as reported under it, −8.3 %.
    scope1 = row_cells(soup, "table-scopes", "Scope 1")
    assert scope1[1:4] == ["16.8", "18.4 R 15.6", "-8.3 %"]
    assert scope1[4:] == scope1[1:4]
    # Scope 2 does not depend on the GWP set: 42.569 t restated as first reported, no R
    scope2 = row_cells(soup, "table-scopes", "Scope 2")
    assert scope2[1:4] == scope2[4:] == ["43.8", "42.6", "+3.0 %"]
    assert row_cells(soup, "table-scope1-source", "Fugitive (refrigerants, SF6)")[3:] == [
        "18.4 R 15.6", "-8.3 %"]
    pakistan = row_cells(soup, "table-by-country", "Pakistan")
    assert pakistan[1:4] == ["16.8", "18.4 R 15.6", "-8.3 %"]
    assert pakistan[4:7] == pakistan[7:] == ["43.8", "42.6", "+3.0 %"]


def test_energy_water_and_waste_tables_compare(reports: dict[str, Any]) -> None:
    soup = reports["en"]
    # Energy, water and waste do not depend on the GWP set: the period is restated, but
    # these figures are as first reported, so none is marked R (r16 marked every one).
    assert row_cells(soup, "table-energy", "+ Purchased electricity, heat, steam and cooling")[1:] \
        == ["396", "360", "+10.0 %"]
    assert row_cells(soup, "table-energy", "Total energy consumption")[1:] == [
        "396", "360", "+10.0 %"]
    assert row_cells(soup, "table-water", "Water withdrawal")[1:] == ["1,250", "1,000", "+25.0 %"]
    assert row_cells(soup, "table-water", "Water discharge")[1:] == ["300", "400", "-25.0 %"]
    assert row_cells(soup, "table-water", "Water consumption")[1:] == ["950", "600", "+58.3 %"]
    assert row_cells(soup, "Withdrawal by source", "Surface water")[3:] == ["1,000", "+25.0 %"]
    assert row_cells(soup, "table-waste", "Waste generated")[1:] == ["9.0", "10.0", "-10.0 %"]
    assert row_cells(soup, "table-waste", "Hazardous")[1:] == ["3.0", "2.0", "+50.0 %"]
    assert row_cells(soup, "table-waste", "Non-hazardous")[1:] == ["6.0", "8.0", "-25.0 %"]
    assert row_cells(soup, "Waste by recovery or disposal operation", "Recycling")[3:] == [
        "8.0", "-25.0 %"]
    note = soup.find(id="waste").find("p", class_="note").get_text(" ", strip=True)
    assert note == ("Prior period: 1 January 2023 to 31 December 2023 (ledger), restated. R: "
                    "the figure differs from the one first reported, shown in grey below it; "
                    "a figure without R is as first reported.")


def test_chinese_topic_tables_compare(reports: dict[str, Any]) -> None:
    soup = reports["zh"]
    heads = [th.get_text(strip=True)
             for th in soup.find(id="table-water").find("thead").find_all("th")]
    assert heads[1:] == ["本期", "上期", "变化"]
    assert row_cells(soup, "table-water", "取水量")[1:] == ["1,250", "1,000", "+25.0%"]
    assert row_cells(soup, "table-scopes", "范围一")[1:4] == ["16.8", "18.4 R 15.6", "-8.3%"]
    assert soup.find(id="ghg").find("p", class_="note").get_text() == (
        "上期：2023年1月1日至2023年12月31日（台账），已重述。R：该数值与原报告数值不同，"
        "原报告数值以灰色列于其下；未标R的数值与原报告相同。")


def test_without_a_prior_period_the_tables_keep_their_columns(tmp_path: Path) -> None:
    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        first = ledger.record(_workbook(tmp_path / "c2024.xlsx", 2024, gwp="AR6", leak_kg=11,
                                        mwh=110, withdrawn=1250, discharged=300, recycled=6,
                                        hazardous=3))
        results = with_periods(first.results, ledger.comparison(first))
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-scopes", "Scope 1") == ["Scope 1", "16.8", "16.8"]
    assert row_cells(soup, "table-water", "Water withdrawal") == ["Water withdrawal", "1,250"]
    assert "Prior period" not in soup.find(id="ghg").get_text()


def test_the_consolidated_group_compares_its_own_periods(tmp_path: Path) -> None:
    """A group's periods are stored as ``<parent>:group``; its report's tables compare them.

    2023 (AR5): parent 10 kg + subsidiary 2 kg of HFC-134a = 15.6 t as reported, 18.36 t
    restated under AR6; 2024 (AR6): 11 + 2 kg = 19.89 t, +8.3 %.
    """
    import pandas as pd

    from envreport.metrics import compute
    from envreport.pipeline import load_submission
    from envreport.submission import Submission
    from tests.test_ledger import workbook

    def merged(year: int, gwp: str, parent_kg: float) -> tuple[Submission, Any]:
        parent = load_submission(workbook(tmp_path / f"p{year}.xlsx", year, {"A1": parent_kg},
                                          gwp=gwp, entity="PARENT"))
        child = load_submission(workbook(tmp_path / f"s{year}.xlsx", year, {"B1": 2},
                                         gwp=gwp, entity="SUB"))
        tables = {sheet: pd.concat([parent.tables[sheet], child.tables[sheet]],
                                   ignore_index=True) for sheet in parent.tables}
        group = Submission(parent.source, parent.organization, tables, rows=parent.rows)
        return group, compute(group)

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        ledger.record_group(*merged(2023, "AR5", 10))
        group, results = merged(2024, "AR6", 11)
        record = ledger.record_group(group, results)
        results = with_periods(results, ledger.comparison(results, entity=record.entity_id))
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-scopes", "Scope 1")[1:4] == ["19.9", "18.4 R 15.6", "+8.3 %"]
    assert row_cells(soup, "table-scope1-source", "Fugitive (refrigerants, SF6)")[3:] == [
        "18.4 R 15.6", "+8.3 %"]
    assert row_cells(soup, "table-by-country", "Pakistan")[1:4] == ["19.9", "18.4 R 15.6", "+8.3 %"]


def _is_legend_sample(d: str) -> bool:
    points = re.fullmatch(r"M ([\d.]+) ([\d.]+)\s*L ([\d.]+) ([\d.]+)\s*L ([\d.]+) ([\d.]+)\s*", d)
    if points is None:
        return False
    x0, y0, x1, y1, x2, y2 = map(float, points.groups())
    return y0 == y1 == y2 and round(x1 - x0, 1) == round(x2 - x1, 1) == 8.0


def test_the_history_chart_keeps_its_legend_below_the_plot(reports: dict[str, Any]) -> None:
    """The legend sits below the plot, outside the figure matplotlib draws on; the chart is
    drawn once and cropped, so the canvas must hold it or the legend's line samples (paths)
    would be dropped while its markers and labels stayed."""
    for lang, soup in reports.items():
        chart = soup.find("svg", id=None, attrs={"aria-label": (
            "Emissions by period" if lang == "en" else "各期间排放量")})
        assert chart is not None, lang
        # a legend's line sample: two level segments through the marker, "M x y L x+8 y
        # L x+16 y" (the chart's groups are unwrapped: the samples are found by shape)
        samples = [path["d"] for path in chart.find_all("path") if _is_legend_sample(path["d"])]
        assert len(samples) == 2, samples  # Scope 2 location- and market-based
        # the crop (viewBox) shows the legend: its samples lie inside it
        left, top, width, height = map(float, chart["viewbox"].split())
        for d in samples:
            x, y = map(float, d.split()[1:3])
            assert left < x < left + width
            assert top < y < top + height


def test_chinese_key_figures_and_comparison_read_in_chinese(reports: dict[str, Any]) -> None:
    """A restated change on a key-figure card is marked （R） in Chinese, " (R)" in English;
    the comparison's captions name their unit in Chinese and its base-year heading sets the
    year against the Chinese without a space."""
    zh, en = reports["zh"], reports["en"]
    card = zh.find(class_="kpi").get_text("|", strip=True)
    assert card == "16.8|吨二氧化碳当量|范围一排放量|较上期-8.3%（R）"
    assert en.find(class_="kpi").get_text("|", strip=True) == (
        "16.8|tCO2e|Scope 1 emissions|-8.3 % against the prior period (R)")
    comparison = zh.find(id="comparison").get_text("", strip=True)
    assert "tCO2e" not in comparison
    assert "基准年 " not in comparison
    # the heading names the year as Chinese does (was 基准年2023, the number run on)
    assert [h.get_text() for h in zh.find(id="comparison").find_all("h3")
            if h.get_text().startswith("基准年")] == ["基准年（2023年）"]
    policy = zh.find(id="comparison").get_text()
    # the standard's title as the rest of the report writes it, without a colon
    assert "《温室气体核算体系企业核算与报告标准》第5章" in policy
    assert "按排放源划分的范围一排放量（吨二氧化碳当量）" in comparison


def test_gri_2_4_points_at_the_restated_figures(reports: dict[str, Any]) -> None:
    """2023 is restated under AR6 (GWP set AR5 → AR6): GRI 2-4 (restatements of information)
    leads to the comparison chapter, where the restated figures stand with the reasons and
    the figures as reported, not to the base-year policy in the statements."""
    for lang, title in (("en", "Comparison with earlier periods"), ("zh", "与以往期间的比较")):
        row = next(tr for tr in reports[lang].find(id="table-gri").find_all("tr")
                   if tr.find("td") and tr.find("td").get_text(strip=True) == "2-4")
        link = row.find("a")
        assert link["href"] == "#comparison"
        assert link.get_text(strip=True) == title
        assert reports[lang].find(id="comparison") is not None


def test_the_base_year_table_shows_each_figure_as_reported(reports: dict[str, Any]) -> None:
    """Base year 2023 (AR5), read under this report's AR6: Scope 1 restated 18.36 t, 15.6 t
    as reported; Scope 2 42.569 t by both methods, as used and as reported. The one trigger,
    the GWP change, is (18.36 − 15.6) / (15.6 + 42.569) = 4.7 % of the base year: below the
    5 % threshold, the base year stands. The market-based figure as reported was a dash
    written into the template, whatever the ledger held."""
    for lang in ("en", "zh"):
        table = reports[lang].find(id="table-base-year")
        rows = [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                for row in table.find("tbody").find_all("tr")]
        assert [row[1:] for row in rows] == [["18.4", "15.6"], ["42.6", "42.6"],
                                             ["42.6", "42.6"]]
    assert ("The base year stands: the changes add up to 4.7 % of the base year, below the "
            "threshold.") in reports["en"].get_text(" ", strip=True)


def test_a_prior_period_corrected_after_use_is_said_restated(tmp_path: Path) -> None:
    """2023 first reported 10 kg of HFC-134a (15.3 t under AR6) and a 2024 report used it;
    2023 was resubmitted with 12 kg (18.36 t). The next 2024 report (9 kg, 13.77 t, −25.0 %)
    compares with 18.36 t and says the period was restated, 15.3 t beside it; it compared
    with 18.36 t without a word before."""
    from tests.test_ledger import workbook

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        first = ledger.record(workbook(tmp_path / "b1.xlsx", 2023, {"P1": 10}))
        used = ledger.record(workbook(tmp_path / "c1.xlsx", 2024, {"P1": 9}))
        ledger.note_report(used.id, ledger.comparison(used)["used_submission_ids"])
        corrected = ledger.record(workbook(tmp_path / "b2.xlsx", 2023, {"P1": 12}))
        current = ledger.record(workbook(tmp_path / "c2.xlsx", 2024, {"P1": 9}))
        results = with_periods(current.results, ledger.comparison(current))
    said = {
        "en": "Its figures are restated: the period was resubmitted with corrections after "
              f"a report had used it (submission {first.id}, replaced by submission "
              f"{corrected.id}). " + R_SAID["en"],
        "zh": "上期数据已重述：该期间在被报告使用后重新报送并更正"
              f"（第{first.id}号报送，由第{corrected.id}号报送取代）。" + R_SAID["zh"]}
    _assert_comparison_says(results, said, first_reported="15.3")


def test_a_prior_period_restated_by_method_and_corrected_after_use_says_both(
        tmp_path: Path) -> None:
    """2023 first reported under AR5 10 kg of HFC-134a (13.0 t at GWP 1,300) and a 2024
    report used it; 2023 was resubmitted under AR5 with 12 kg. The 2024 report under AR6
    (9 kg, 13.77 t) compares with the corrected 12 kg restated at 1,530 (18.36 t, −25.0 %),
    13.0 t beside it as first reported, and names the method change, then the correction."""
    from tests.test_ledger import workbook

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        first = ledger.record(workbook(tmp_path / "b1.xlsx", 2023, {"P1": 10}, gwp="AR5"))
        used = ledger.record(workbook(tmp_path / "c1.xlsx", 2024, {"P1": 9}))
        ledger.note_report(used.id, ledger.comparison(used)["used_submission_ids"])
        corrected = ledger.record(workbook(tmp_path / "b2.xlsx", 2023, {"P1": 12}, gwp="AR5"))
        current = ledger.record(workbook(tmp_path / "c2.xlsx", 2024, {"P1": 9}))
        sections = ledger.comparison(current)
    prior = sections["comparison"]["prior_period"]
    assert (prior["restated"], prior["restatement_reasons"], prior["submission_id"],
            prior["replaced_submission_id"]) == (True, ["GWP set AR5 → AR6"], corrected.id,
                                                 first.id)
    results = with_periods(current.results, sections)
    said = {
        "en": "Its figures are restated: they were recomputed from the stored rows under "
              "this report's methods, because the methods changed (GWP set AR5 → AR6). The "
              "period was also resubmitted with corrections after a report had used it "
              f"(submission {first.id}, replaced by submission {corrected.id}). "
              + R_SAID["en"],
        "zh": "上期数据已重述：由于方法发生变化（全球变暖潜势（GWP）版本 AR5 → AR6），"
              "已按本报告的方法根据台账中保存的数据行重新计算。"
              f"该期间在被报告使用后还曾重新报送更正（第{first.id}号报送，由第{corrected.id}号"
              "报送取代）。" + R_SAID["zh"]}
    _assert_comparison_says(results, said, first_reported="13.0")


def _assert_comparison_says(results: Any, said: dict[str, str], first_reported: str) -> None:
    """The comparison chapter of the 2024 report (9 kg, 13.77 t) against 2023 corrected to
    12 kg (18.36 t, R, −25.0 %), in English and Chinese: its first paragraph ends with
    ``said``, and the Scope 1 row gives ``first_reported`` as first reported."""
    for lang in ("en", "zh"):
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        text = soup.find(id="comparison").find("p").get_text()
        # after the prior period's sentence: a space in English, none between Chinese ones
        assert text.endswith(("ledger. " if lang == "en" else "31日。") + said[lang]), text
        scope1 = "Scope 1 (tCO2e)" if lang == "en" else "范围一 （吨二氧化碳当量）"  # two elements
        assert row_cells(soup, "table-comparison", scope1)[1:] == [
            "13.8", "18.4 R", "-25.0 %" if lang == "en" else "-25.0%", first_reported]


def test_only_the_figures_a_correction_changed_are_marked_r(tmp_path: Path) -> None:
    """2023 (AR6 both years) first reported 10 kg of HFC-134a (15.3 t) and 1,000 L of diesel
    burnt in a boiler (2.685637584 t, 36.12 GJ: the reference's worked example), Scope 1
    17.985637584 t; 100 MWh bought (Scope 2 42.569 t), 1,000 m³ withdrawn. A 2024 report used
    it; 2023 was corrected: 2,000 L of diesel (5.371275168 t, 72.24 GJ), Scope 1
    20.671275168 t, energy 360 + 72.24 = 432.24 GJ (396.12 first), and 1,000.2 m³ withdrawn.

    The next 2024 report (11 kg: 16.83 t, 1,000 L: Scope 1 19.515637584 t, −5.6 %) compares
    with the corrected period: R on Scope 1 (20.7, first 18.0) and energy (432, first 396),
    not on Scope 2 (42.6 both) nor on water: 1,000.2 m³ reads 1,000 as first reported, so
    it is no restatement the reader sees, though the stored figures differ by 0.2."""
    import json

    from envreport.results.jsonfile import results_json

    def year(path: str, year: int, diesel_l: float, withdrawn: float, leak_kg: float,
             mwh: float) -> Path:
        return _workbook(tmp_path / path, year, gwp="AR6", leak_kg=leak_kg, mwh=mwh,
                         withdrawn=withdrawn, discharged=400, recycled=8, hazardous=2,
                         diesel_l=diesel_l)

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        ledger.record(year("b1.xlsx", 2023, 1000, 1000, 10, 100))
        used = ledger.record(year("c1.xlsx", 2024, 1000, 1250, 11, 110))
        ledger.note_report(used.id, ledger.comparison(used)["used_submission_ids"])
        ledger.record(year("b2.xlsx", 2023, 2000, 1000.2, 10, 100))
        current = ledger.record(year("c2.xlsx", 2024, 1000, 1250, 11, 110))
        results = with_periods(current.results, ledger.comparison(current))
    figures = json.loads(results_json(results))["comparison"]["figures"]
    assert json.loads(results_json(results))["comparison"]["prior_period"]["restated"] is True
    flags = {key: (figures[key]["prior"], figures[key]["prior_as_reported"],
                   figures[key]["prior_restated"])
             for key in ("ghg.scope1_tco2e", "ghg.scope2_location_tco2e",
                         "energy.total_consumption_gj", "water.withdrawal_m3")}
    assert flags == {
        "ghg.scope1_tco2e": (pytest.approx(20.671275168), pytest.approx(17.985637584), True),
        "ghg.scope2_location_tco2e": (pytest.approx(42.569), pytest.approx(42.569), False),
        "energy.total_consumption_gj": (pytest.approx(432.24), pytest.approx(396.12), True),
        "water.withdrawal_m3": (pytest.approx(1000.2), 1000, False)}
    for lang, scope1, scope2, energy, water, change in (
            ("en", "Scope 1 (tCO2e)", "Scope 2, location-based (tCO2e)",
             "Energy consumption (GJ)", "Water withdrawal (m³)", "-5.6 %"),
            ("zh", "范围一 （吨二氧化碳当量）", "范围二（基于位置） （吨二氧化碳当量）",
             "能源消耗量 （吉焦）", "取水量 （立方米）", "-5.6%")):
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        assert row_cells(soup, "table-comparison", scope1)[1:] == [
            "19.5", "20.7 R", change, "18.0"]
        assert row_cells(soup, "table-comparison", scope2)[1:3] == ["43.8", "42.6"]
        assert row_cells(soup, "table-comparison", energy)[2] == "432 R"
        assert row_cells(soup, "table-comparison", water)[1:3] == ["1,250", "1,000"]
        marked = [cells[0] for cells in (
            [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            for tr in soup.find(id="table-comparison").find("tbody").find_all("tr"))
            if cells[2].endswith(" R")]
        assert marked == [scope1, energy]
        # the GHG chapter: 20.7 R, 18.0 in grey under it; Scope 2 as first reported
        assert row_cells(soup, "table-scopes", "Scope 1" if lang == "en" else "范围一")[2] \
            == "20.7 R 18.0"
        assert row_cells(soup, "table-scopes", "Scope 2" if lang == "en" else "范围二")[2] \
            == "42.6"
        cards = [card.get_text("|", strip=True) for card in soup.select(".kpi")]
        assert [card.endswith(("(R)", "（R）")) for card in cards[:2]] == [True, False]
    # a results.json written before the flag (prior_restated) renders the same marks: the
    # report judges its figures by the same rounding
    from envreport.results import load_results

    data = json.loads(results_json(results))
    for change in data["comparison"]["figures"].values():
        del change["prior_restated"]
    older = BeautifulSoup(render_html(load_results(data), "en"), "html.parser")
    assert [tr.find_all("td")[2].get_text(" ", strip=True) for tr in
            older.find(id="table-comparison").find("tbody").find_all("tr")][:3] == [
        "20.7 R", "42.6", "42.6"]
