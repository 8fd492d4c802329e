"""What a reader sees in the report, in Chinese and in English: one unit rule in Chinese,
Chinese punctuation, every English text of the Chinese report marked and counted, and a
table's total printed once when the table breaks across pages.

The sample report's own layout (key-figure cards and country names that never break a word,
a heading kept with its table) is read in tests/test_pdf.py, from the layout its shared PDFs
are written from, rather than laid out a second time here.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import pytest
from bs4 import BeautifulSoup
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TableRowGroupBox

from envreport.render import render_html
from envreport.render.fetcher import RestrictedURLFetcher, asset_dir
from tests.conftest import sample_results
from tests.test_pdf import boxes


@cache
def html(lang: str) -> str:
    """The sample's report, rendered once per language for every test that only reads it."""
    return render_html(sample_results(), lang)


@cache
def soup(lang: str) -> BeautifulSoup:
    return BeautifulSoup(html(lang), "html.parser")


# --- one unit rule in Chinese ---------------------------------------------------------

def test_chinese_report_names_every_unit_in_chinese() -> None:
    """吨二氧化碳当量, 立方米, 吉焦 and 吨 everywhere in Chinese (headings, cards, captions,
    sentences, the appendix), never tCO2e, m³, GJ or a bare t beside them."""
    body = soup("zh").find("body")
    text = body.get_text(" ", strip=True)
    assert "tCO2e" not in text
    assert "m³" not in text
    assert not re.search(r"\bGJ\b", text)
    assert not re.search(r"[（(]t[）)]|，t$", text)
    cards = [c.get_text("", strip=True) for c in body.select(".kpi .v")]
    assert cards[0] == "2,612,261吨二氧化碳当量"
    assert cards[4] == "19,530,040吉焦"
    assert cards[7] == "364,607,077立方米"
    appendix_head = [th.get_text("", strip=True)
                     for th in body.find(id="table-appendix").find("thead").find_all("th")]
    assert appendix_head[-1] == "吨二氧化碳当量"
    assert (body.find(id="mitigation-ifi").get_text(strip=True)
            == "若采用开发性金融机构评估项目时使用的国际金融机构统一组合边际电网因子，"
               "避免排放量将为743,951吨二氧化碳当量，而非614,943吨二氧化碳当量。")
    assert "各气体排放质量（吨），边界内" in text
    assert "取水、排水和耗水（GRI 303-3、303-4、303-5），立方米" in text
    # the English report keeps the symbols
    assert "2,612,261 tCO2e" in soup("en").find(class_="kpi").get_text(" ", strip=True)


def test_a_chinese_term_is_the_same_in_every_table() -> None:
    """GWP is 全球变暖潜势 on the cover, in the key figures and in the factor table; NCV is
    低位发热量 in the methodology and in the factors' uses."""
    text = soup("zh").find("body").get_text("", strip=True)
    assert "增温潜势" not in text
    assert "净发热值与" not in text
    factors = soup("zh").find(id="table-factors").get_text("", strip=True)
    assert "全球变暖潜势（100年）" in factors
    assert "低位发热量与二氧化碳排放因子" in factors
    # NCV is 低位发热量 in the energy note and the publications too, never 低位发热值 or 净发热值
    assert "低位发热值" not in text
    assert "净发热值" not in text
    assert "能源按低位发热量计。" in text
    sources = soup("zh").find(id="table-factor-sources").get_text("", strip=True)
    assert "表1.2（低位发热量）" in sources
    # the GHG Protocol Corporate Standard has one title: on the about page and the methodology
    assert "《温室气体核算体系企业标准》" not in text
    assert text.count("《温室气体核算体系企业核算与报告标准》") >= 3
    # the two "of which" lines under the energy total read alike
    energy = [th.get_text("", strip=True) for th in soup("zh").find(id="energy").find_all("th")]
    assert "其中：可再生能源" in energy
    assert "其中：不可再生能源" in energy


def test_energy_note_says_how_the_renewable_part_is_made() -> None:
    """"of which renewable 80,654 GJ" under "+ self-generated renewable 5,357,371": the note
    says the renewable electricity sold (5,276,717 GJ) comes off the renewable part."""
    en = soup("en").find(id="energy").find("p", class_="note").get_text(" ", strip=True)
    assert en.endswith("electricity sold is subtracted (GRI 302-1). The renewable part is the "
                       "renewable fuel, the purchased energy covered by contractual instruments "
                       "and the self-generated renewable electricity, less the renewable "
                       "electricity sold.")
    zh = soup("zh").find(id="energy").find("p", class_="note").get_text("", strip=True)
    assert zh.endswith("售出的能源予以扣减（GRI 302-1）。其中可再生能源为可再生燃料、合同工具覆盖的"
                       "外购能源与自发可再生电力之和，减去售出的可再生电力。")


def test_methodology_says_how_each_fuel_quantity_became_energy() -> None:
    """An auditor turns a Fuel row into TJ from the report alone. Worked by hand: diesel
    0.84 kg/L × 43 GJ/t = 0.03612 GJ/L (505,739 L at Sulawesi → 18.27 TJ, the appendix's
    18.3); gasoline 0.74 × 44.3 = 0.032782 GJ/L; MMBtu 1.055056 GJ gross × 0.90 = 0.9495504 GJ;
    coal at the submission's 22.6 MJ/kg. Each printed as applied, not to four digits: the
    parts must multiply to the printed energy (1.055 × 0.9 is not 0.9496), and the energy
    times a quantity to the trail's (0.9495504 × 15,901,503 MMBtu = 15,099,278.5 GJ, the gas
    of the energy table; 0.9496 missed it by 788 GJ)."""
    def rows(lang: str) -> list[list[str]]:
        table = soup(lang).find(id="table-energy-contents").find("tbody")
        # the publication's table numbers are spans of their own (never broken): read whole
        return [[" ".join(td.get_text().split()) if td is tr.find_all("td")[-1]
                 else td.get_text(" ", strip=True) for td in tr.find_all("td")]
                for tr in table.find_all("tr")]
    assert rows("en") == [
        ["Bituminous coal", "t", "22.6", "Net calorific value 22.6 MJ/kg", "Factors, row 2"],
        ["Diesel", "L", "0.03612", "Density 0.84 kg/L × Net calorific value 43 GJ/t",
         "density: GHG Protocol stationary combustion tool, v4.0; IPCC 2006, Vol. 2, "
         "Tables 1.2 and 1.4"],
        ["Gasoline", "L", "0.032782", "Density 0.74 kg/L × Net calorific value 44.3 GJ/t",
         "density: GHG Protocol stationary combustion tool, v4.0; IPCC 2006, Vol. 2, "
         "Tables 1.2 and 1.4"],
        ["Natural gas", "MMBtu", "0.9495504", "Gross energy 1.055056 GJ × Net/gross ratio 0.9",
         "IPCC 2006, Vol. 2, Section 1.4.1.2"]]
    assert round(0.9495504 * 15_901_503) == 15_099_279 == round(
        sample_results()["energy"]["by_fuel_gj"]["natural_gas"])
    zh = rows("zh")
    assert zh[3][2:4] == ["0.9495504", "高位发热量1.055056吉焦 × 低位与高位发热量之比0.9"]
    assert zh[0] == ["烟煤", "吨", "22.6", "低位发热量22.6兆焦/千克", "“因子覆盖”表第2行"]
    assert zh[1][3] == "密度0.84千克/升 × 低位发热量43吉焦/吨"
    # the density cites its publication (r14: "the factor library's default", no publication)
    assert zh[1][4] == ("密度：温室气体核算体系固定源燃烧计算工具，第4.0版；"
                        "IPCC 2006，第二卷，表1.2、表1.4")
    # the ratio's and the density's publications join the publications cited, in full
    sources = soup("en").find(id="table-factor-sources").get_text(" ", strip=True)
    assert ("IPCC 2006, Vol. 2, Section 1.4.1.2 IPCC (2006). 2006 IPCC Guidelines for National "
            "Greenhouse Gas Inventories, Volume 2: Energy, Chapter 1, Section 1.4.1.2 "
            "(conversion between gross and net calorific values)") in sources
    # the version number is a span of its own (never broken): read the cells' text whole
    cells = [" ".join(td.get_text().split())
             for td in soup("en").find(id="table-factor-sources").find_all("td")]
    assert ["GHG Protocol stationary combustion tool, v4.0", "World Resources Institute and "
            "World Business Council for Sustainable Development (n.d.). GHG Protocol tool for "
            "stationary combustion, version 4.0: default fuel densities"] in [
        cells[i:i + 2] for i in range(0, len(cells), 2)]
    zh_sources = soup("zh").find(id="table-factor-sources").get_text("", strip=True)
    assert ("温室气体核算体系固定源燃烧计算工具，第4.0版世界资源研究所、世界可持续发展工商理事会："
            "《温室气体核算体系固定源燃烧计算工具》第4.0版，年份不详，燃料默认密度") in zh_sources


def test_a_fuels_ch4_and_n2o_cite_the_publication_of_the_gwp_they_were_weighted_with() -> None:
    """The sample's combustion CH4 is weighted with AR6's fossil methane (29.8, Table 7.15)
    and N2O with 273 (Table 7.SM.7): the factor table cited only the emission factor's IPCC
    2006 table, and Table 7.15 was nowhere in the publications cited, so an auditor could not
    say where 29.8 came from (a refrigerant's row cites its GWP's table already)."""
    def rows(lang: str) -> dict[tuple[str, str, str], list[str]]:
        body = soup(lang).find(id="table-factors").find("tbody")
        cells = [[" ".join(td.get_text().split()) if td is tr.find_all("td")[-1]
                  else td.get_text(" ", strip=True) for td in tr.find_all("td")]
                 for tr in body.find_all("tr")]
        return {(c[0], c[1], c[2]): c for c in cells}
    en = rows("en")
    assert en[("Stationary combustion", "Bituminous coal", "CH4")][5:] == [
        "29.8", "Stationary combustion, energy industries",
        "IPCC 2006, Vol. 2, Table 2.2; GWP: IPCC AR6 WG I, Table 7.15"]
    assert en[("Stationary combustion", "Bituminous coal", "N2O")][7] == (
        "IPCC 2006, Vol. 2, Table 2.2; GWP: IPCC AR6 WG I, Table 7.SM.7")
    assert en[("Stationary combustion", "Bituminous coal", "CO2")][7] == (
        "IPCC 2006, Vol. 2, Tables 1.2 and 1.4")
    assert en[("Fugitive (refrigerants, SF6)", "", "SF6")][7] == "IPCC AR6 WG I, Table 7.SM.7"
    assert rows("zh")[("固定燃烧", "烟煤", "CH4")][7] == (
        "IPCC 2006，第二卷，表2.2；全球变暖潜势：IPCC第六次评估报告第一工作组，表7.15")
    sources = " ".join(" ".join(td.get_text().split())
                       for td in soup("en").find(id="table-factor-sources").find_all("td"))
    # a table number is never broken across lines ("Table 7.SM." then "7")
    assert [span.get_text() for span in soup("en").find(id="table-factors").select(
        "td:last-child .nobr")][:2] == ["7.SM.7", "7.SM.7"]
    assert ("IPCC AR6 WG I, Table 7.15 IPCC (2021). Climate Change 2021: The Physical Science "
            "Basis. Working Group I contribution to the Sixth Assessment Report, Chapter 7, "
            "Table 7.15") in sources


def test_each_fuels_parts_multiply_to_the_energy_the_trail_applied() -> None:
    """The "Made of" column re-traces resolution's conversion (factors/energy_content
    energy_parts, in results.json's energy_contents); the energy per unit is the one the
    trail applied. Multiplied out, in GJ per unit of the workbook, the parts are that energy,
    so the two cannot drift apart unseen."""
    from envreport.render.sections.methodology import energy_contents
    from envreport.render.vocabulary import ENERGY_PARTS
    from envreport.results import load_results
    from envreport.units import conversion_factor, dimension_of, ratio_factor

    results = load_results(sample_results())
    rows, _ = energy_contents(results, results.calculations, "en")
    assert len(rows) == 4
    for row in rows:
        unit, product = row["unit"], 1.0
        for part in row["parts"]:
            name = next(key for key, label in ENERGY_PARTS.items() if label == part["name"])
            # an NCV is per mass, unless it stands alone for a volume (the submission's
            # NCV per m3)
            target = {"gross": "GJ", "ratio": None, "density": f"t/{unit}",
                      "ncv": "GJ/t" if dimension_of(unit) != "volume" or len(row["parts"]) > 1
                      else f"GJ/{unit}"}[name]
            factor = 1.0 if target is None else ratio_factor(part["unit"], target)
            assert factor is not None, (row["fuel"], part)
            product *= part["value"] * factor
        if dimension_of(unit) == "mass":
            product *= conversion_factor(unit, "t")
        assert product == pytest.approx(row["gj_per_unit"], rel=1e-9), row["fuel"]


def test_scope2_section_states_the_basis_of_its_grid_factors() -> None:
    """Every grid factor of the demo is Ember's (lifecycle CO2e): the Scope 2 section says so
    under its table, not only the methodology's grid table. With Uzbekistan's rows on a
    combustion-CO2 publication the two bases mix: 686.17 of 4,508.90 tCO2e, 15.2 %, on the
    combustion basis, 84.8 % lifecycle, said in the Scope 2 section and the methodology."""
    note = soup("en").find(id="ghg").find(id="scope2-basis-note").get_text(" ", strip=True)
    assert note.startswith("Scope 2 (location-based) is calculated with lifecycle CO2e grid "
                           "factors, which include the emissions upstream of generation")
    zh = soup("zh").find(id="ghg").find(id="scope2-basis-note").get_text("", strip=True)
    assert zh.startswith("范围二（基于位置）采用全生命周期二氧化碳当量电网排放因子计算")
    mixed = copy.deepcopy(sample_results())
    for calc in mixed["calculations"]:
        if calc["project_id"] == "SRE-UZ-TL" and calc.get("method") == "location":
            calc["factor_source"] = "MEE and NBS, 2023 electricity CO2 factors"
    page = BeautifulSoup(render_html(mixed, "en"), "html.parser")
    said = ("Scope 2 (location-based) combines factors on two bases: 84.8 % of it is calculated "
            "with lifecycle CO2e factors and 15.2 % with combustion CO2 factors, so the total "
            "mixes the two.")
    assert page.find(id="ghg").find(id="scope2-basis-note").get_text(" ", strip=True) == said
    assert page.find(id="scope2-bases").get_text(" ", strip=True) == said


def test_gri_omissions_the_workbook_cannot_fill_do_not_blame_the_submission() -> None:
    """304-3, 304-4, 306-1 and 306-2 have no column in the workbook: their omission says the
    information is not collected, not that "the submission has no data" or "gives no text"."""
    def row(lang: str, code: str) -> str:
        for tr in soup(lang).find(id="gri").find("tbody").find_all("tr"):
            cells = tr.find_all("td")
            if cells and cells[0].get_text(strip=True) == code:
                return cells[-1].get_text("", strip=True)
        raise AssertionError(code)
    for code in ("304-3", "304-4", "306-1", "306-2"):
        assert row("en", code) == ("Information unavailable or incomplete: This information "
                                   "is not collected from the projects for this report.")
        assert row("zh", code).endswith("本报告未向各项目收集该信息。")
    # the sample is one entity's report: it has projects, not subsidiaries (a group's says
    # "from the subsidiaries")
    assert row("en", "305-3").endswith("Scope 3 emissions are not collected from the "
                                       "projects.")
    assert row("zh", "305-3").endswith("未向各项目收集范围三排放数据。")
    # 302-4 is energy saved in GJ; the sample's actions are in tCO2e only (78,000 tCO2e for
    # the Sulawesi retrofit), so the index may not point at them as if it were reported
    for lang, said in (("en", "Information unavailable or incomplete: Reduction actions are "
                              "quantified in tCO2e; the energy they save (GJ) is not collected."),
                       ("zh", "减排措施以吨二氧化碳当量计量，未收集其节约的能源量（吉焦）。")):
        assert row(lang, "302-4").endswith(said)


def test_about_names_every_gri_standard_the_index_covers() -> None:
    """The index covers GRI 2-1 to 2-5 and 2-27, 302 to 306: the about page says the same."""
    def standards(lang: str) -> str:
        rows = soup(lang).find(id="about").find_all("tr")
        return next(tr.find("td").get_text("", strip=True) for tr in rows
                    if tr.find("th").get_text(strip=True) in ("Standards and frameworks",
                                                               "标准与框架"))
    assert "GRI 2 (2-1 to 2-5, 2-27), 302, 303, 304, 305 and 306;" in standards("en")
    assert "GRI 2（2-1至2-5、2-27）、302、303、304、305和306；" in standards("zh")
    codes = {tr.find("td").get_text(strip=True)
             for tr in soup("en").find(id="table-gri").find("tbody").find_all("tr")}
    assert {"2-1", "2-5", "2-27", "302-1", "306-5"} <= codes


def test_chinese_trail_names_each_sheet_as_the_chinese_template_does() -> None:
    """The row-level trail's sheet column reads 外购能源 / 燃料燃烧 in Chinese, as the data
    quality section and the Chinese template's tabs do; English keeps Electricity / Fuel."""
    def sheets(lang: str) -> list[str]:
        rows = soup(lang).find(id="table-trail").find("tbody").find_all("tr")
        return [row.find("td").get_text(strip=True) for row in rows]
    assert sheets("en")[0] == "Electricity"
    assert "Fuel" in sheets("en")
    assert sheets("zh")[0] == "外购能源"
    assert "燃料燃烧" in sheets("zh")
    assert "制冷剂与 SF6" in sheets("zh")
    assert not {"Electricity", "Fuel", "Refrigerants"} & set(sheets("zh"))


def test_waste_location_total_row_carries_the_hazardous_totals() -> None:
    """The on-site/off-site table's total row fills every column: diverted 230 + 55,080,
    of which hazardous 0 + 18.1; disposed 9,988 + 159, of which hazardous 0 + 10.9 (= the
    29.0 t hazardous waste generated)."""
    total = soup("en").find(id="table-waste-location").find("tfoot").find_all("td")
    assert [td.get_text(strip=True) for td in total] == [
        "Total", "55,310", "18.1", "10,147", "10.9"]


def test_an_incident_with_a_follow_up_shows_the_id_the_follow_up_names() -> None:
    """The penalty row reads "↳ SRE-INC-2024-02": the August SO2 exceedance it belongs to
    shows that id under its project, so the reference resolves on the page."""
    rows = soup("en").find(id="table-incidents").find("tbody").find_all("tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    exceedance = next(c for c in cells if c[0] == "21 August 2024")
    assert exceedance[1] == "SRE-ID-COAL SRE-INC-2024-02"
    penalty = next(c for c in cells if c[0] == "8 October 2024")
    assert penalty[1] == "↳ SRE-INC-2024-02"
    spill = next(c for c in cells if c[0] == "14 March 2024")
    assert spill[1] == "SRE-ID-COAL"  # no follow-up: its id is not printed


# --- Chinese punctuation and language ---------------------------------------------------

def test_chinese_report_uses_full_width_punctuation_around_its_labels() -> None:
    body = soup("zh").find("body")
    statement = body.find(id="gri-statement-of-use").get_text("", strip=True)
    assert statement.startswith("使用声明：丝路能源有限公司参照GRI标准")
    standards = body.find(id="gri-statement-of-use").find_next("p").get_text("", strip=True)
    assert standards.startswith("所用标准：《GRI 1：基础2021》；")
    assert standards.endswith("《GRI 306：废弃物2020》。")
    omissions = [td.get_text("", strip=True) for td in body.select("#table-gri td")
                 if td.find(class_="omitted")]
    # each omission's reason, then a full-width colon (2-4, 302-2, 302-4, 302-5, 304-3,
    # 304-4, 305-3, 306-1, 306-2)
    unavailable = "信息不可获得或不完整"
    assert [o.partition("：")[0] for o in omissions] == [
        "不适用", unavailable, unavailable, "不适用", *[unavailable] * 5]
    assert "丝路能源有限公司（SRE）" in body.find(id="about").get_text("", strip=True)
    # English keeps its own
    en = soup("en").find(id="gri-statement-of-use").get_text(" ", strip=True)
    assert en.startswith("Statement of use: Silk Road Energy Co., Ltd. has reported")
    assert "Silk Road Energy Co., Ltd. (SRE)" in soup("en").find(id="about").get_text(" ")


def test_a_factor_override_source_is_chinese_or_marked_and_counted() -> None:
    """The Factors sheet's source is free text: the Chinese report prints its source_zh;
    without one, the English source marked (未翻译) and counted in the data-quality line."""
    def source_and_count(page: BeautifulSoup) -> tuple[Any, int | None]:
        cell = page.find(id="table-overrides").find("tbody").find_all("td")[5]
        line = page.find(id="table-data-quality").find(string=re.compile("无中文译文的文本"))
        return cell, int(line.find_next("td").get_text()) if line else None

    def rendered(results: dict, lang: str) -> BeautifulSoup:
        return BeautifulSoup(render_html(results, lang), "html.parser")

    cell, counted = source_and_count(soup("zh"))  # the sample as it is
    results = sample_results()
    assert cell.get_text(strip=True).startswith("苏拉威西电厂：2024年48批到厂煤收到基")
    assert cell.find(class_="untranslated") is None
    del results["factor_overrides"][0]["source_zh"]
    cell, without = source_and_count(rendered(results, "zh"))
    assert cell.get_text(" ", strip=True).startswith("Sulawesi plant: weighted average")
    assert cell.find(class_="untranslated").get_text() == "（未翻译）"
    assert without == counted + 1
    cell, _none = source_and_count(rendered(results, "en"))
    assert cell.get_text(strip=True).startswith("Sulawesi plant: weighted average")


def test_chinese_catalogue_sets_numbers_against_han_without_a_space() -> None:
    """One rule for a number beside Chinese text: no space (2021年, 第2页, 距保护区5公里以内),
    as in most of the catalogue; '100 年' and '第 2 页' beside '2021年' read as two styles."""
    from babel.messages.pofile import read_po

    from envreport.resources import package_data

    han, number = r"[\u4e00-\u9fff]", r"(?:\d|%\(\w+\)s)"
    # the report's catalogues: its own and the comparison with earlier periods'
    for domain in ("report", "periods"):
        path = package_data("locale", "zh", "LC_MESSAGES", f"{domain}.po")
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale="zh")
        spaced = [m.string for m in catalogue if m.id and isinstance(m.string, str)
                  and re.search(rf"{han} {number}|{number} {han}", m.string)]
        assert spaced == [], domain
        # and one unit rule: the Chinese names, never the symbols
        symbols = [m.string for m in catalogue if m.id and isinstance(m.string, str)
                   and re.search(r"tCO2e|\bGJ\b|m³|（t）|，t$", m.string)]
        assert symbols == [], domain
        if domain == "report":
            assert ("第%(page)s页，共%(pages)s页"
                    == next(m.string for m in catalogue if m.id == "Page %(page)s of %(pages)s"))


def test_the_portals_figures_follow_the_unit_rule_too() -> None:
    """The portal's comparison with the prior period names its units as the report does
    (its 'Waste (t)' read 废弃物（t） beside 范围一（吨二氧化碳当量））."""
    from envreport.i18n import gettext
    from envreport.portal.service import COMPARED_FIGURES

    headings = [gettext(label, "zh") for _key, label in COMPARED_FIGURES]
    assert headings == ["范围一（吨二氧化碳当量）", "范围二，基于位置（吨二氧化碳当量）",
                        "范围二，基于市场（吨二氧化碳当量）", "能源消耗量（吉焦）",
                        "取水量（立方米）", "废弃物（吨）"]


def test_a_message_in_two_catalogues_has_one_translation() -> None:
    """The zh catalogues are merged into one table (i18n._catalogue, later files winning):
    a message that two of them translate differently would read one way or the other
    depending on the files' names, never as its own catalogue says."""
    from babel.messages.pofile import read_po

    from envreport.resources import package_data

    translations: dict[str, set[str]] = {}
    for path in sorted(package_data("locale", "zh", "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
                if message.id and isinstance(message.id, str) and message.string:
                    translations.setdefault(message.id, set()).add(str(message.string))
    assert "Energy consumption (GJ)" in translations  # in the report's and the portal's
    assert {m: t for m, t in translations.items() if len(t) > 1} == {}


@pytest.mark.slow
def test_a_total_is_printed_once_after_the_rows_it_adds_up() -> None:
    """A table that breaks across pages repeats its heading, not its total: the total stood
    under the first rows alone on the first page (SRI's emissions by project: two rows, then
    合计 47,945, the other two rows on the next page)."""
    report = html("zh")
    style = report[report.index("<style>"):report.index("</style>") + len("</style>")]
    rows = "".join(f"<tr><td>P{i}</td><td class='n'>{i}</td></tr>" for i in range(90))
    page = (f"<!DOCTYPE html><html lang='zh-Hans'><head>{style}</head><body>"
            f"<div class='table-wrap long'><table id='t'><thead><tr><th>项目</th><th>排放</th>"
            f"</tr></thead><tbody>{rows}</tbody><tfoot><tr><td>合计</td><td class='n'>4,005"
            f"</td></tr></tfoot></table></div></body></html>")
    document = HTML(string=page, base_url=asset_dir().as_uri() + "/",
                    url_fetcher=RestrictedURLFetcher()).render()
    assert len(document.pages) >= 2
    pages_of = {}
    for number, laid in enumerate(document.pages, start=1):
        for box in boxes(laid._page_box):
            tag = getattr(box, "element_tag", None)
            if tag in ("thead", "tfoot") and isinstance(box, TableRowGroupBox):
                pages_of.setdefault(tag, []).append(number)
    assert pages_of["thead"] == list(range(1, len(document.pages) + 1))
    assert pages_of["tfoot"] == [len(document.pages)]


def test_no_space_after_a_chinese_colon() -> None:
    """"整改措施：" and "绿色融资总额：" run on into their text, as Chinese does; English keeps
    its space after the colon."""
    zh, en = soup("zh"), soup("en")
    action = zh.find(id="table-incidents").find(class_="incident").get_text("", strip=False)
    assert "整改措施：" in action
    assert "整改措施： " not in action
    assert "绿色融资总额：<strong>" in str(zh.find(id="green-finance"))
    assert zh.find(id="green-finance").find("p").get_text() == "绿色融资总额：2,268,255,000人民币"
    assert en.find(id="green-finance").find("p").get_text() == (
        "Green finance raised: 2,268,255,000 CNY")
    assert "Corrective action: " in en.find(id="table-incidents").get_text()


def test_the_space_between_two_texts_is_the_one_rule_of_i18n_gap() -> None:
    """The report's templates set two texts side by side (two sentences, a label and its
    value) with ``gap``, the environment's one spacing rule (i18n.gap): no template spells a
    space of its own for a language, and there is no second global for it."""
    from envreport.render.environment import builtin_template_dir, make_environment

    for lang, expected in (("en", "Green finance raised: 5"), ("zh", "绿色融资总额：5")):
        env = make_environment(lang)
        assert "sp" not in env.globals
        assert env.from_string('{% set label = _("Green finance raised:") %}'
                               "{{ label }}{{ gap(label, 5) }}5").render() == expected
    own = [path.name for path in builtin_template_dir().rglob("*.html")
           if re.search(r'lang == "en" else ""|set sp |{{ sp }}',
                        path.read_text(encoding="utf-8"))]
    assert own == []


def test_an_excluded_project_is_named_by_its_id_then_its_name() -> None:
    """The statement on the boundary lists an excluded project as "ID (name)", with brackets
    of the report's language."""
    results = sample_results()
    results["by_project"][1]["in_boundary"] = False
    for lang, expected in (
            ("en", "Excluded from the boundary: SRE-ID-COAL (Sulawesi 2×350 MW Coal-fired "
                   "Power Plant)."),
            ("zh", "边界外项目：SRE-ID-COAL（苏拉威西2×350兆瓦燃煤电厂）。")):
        page = BeautifulSoup(render_html(results, lang), "html.parser")
        assert expected in [p.get_text() for p in page.find(id="statements").find_all("p")]


def test_a_label_inside_a_phrase_is_lower_case_in_english_only() -> None:
    """The appendix's "Scope 2 (location-based)": the method's label inside the scope's
    brackets, by the inner_label filter rather than an if on the language in the template."""
    from envreport.render.environment import builtin_template_dir, make_environment

    phrase = ('{{ _("%(scope)s (%(method)s)", scope="Scope 2"|label, '
              'method="Location-based"|inner_label) }}')
    assert make_environment("en").from_string(phrase).render() == "Scope 2 (location-based)"
    assert make_environment("zh").from_string(phrase).render() == "范围二（基于位置）"
    appendix = (builtin_template_dir() / "sections" / "appendix.html").read_text("utf-8")
    assert 'lang == "en"' not in appendix
