"""A factor an Electricity row gives itself (supplier's, instrument's) is cited by the row's
supplier and document (source_ref): in the trail, in ``factor_sources`` with the rows that
used it, in calculations.csv and in the report's publications cited, in English and Chinese.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from envreport.factors import supplied
from envreport.render import render_html, trail_csv
from envreport.render.vocabulary import supplied_citation
from envreport.safe_text import FORMULA_TRIGGERS
from tests.metrics_support import results_of, submission
from tests.test_batch_support import GROUP, copy_samples, group_results, own_results

JIANGSU = "supplier factor: State Grid Jiangsu, SGJS-2024-EF (Electricity sheet)"
HEAT = "supplier factor: Nanjing Heat Co., no document given (Electricity sheet)"
PPA = "instrument factor: Wind PPA Ltd, PPA-7 (Electricity sheet)"
HOSTILE_SUPPLIER = "=cmd|' /C calc'!A0"
HOSTILE_DOCUMENT = "<b>x</b>\u202e" + "y" * 200


def _electricity() -> list[dict[str, Any]]:
    # Excel rows 2 to 7 (tests.metrics_support.table)
    return [
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier": "State Grid Jiangsu",
         "source_ref": "SGJS-2024-EF", "supplier_factor_kg_per_kwh": 0.6},
        {"project_id": "P1", "quantity": 500, "unit": "kWh", "supplier": "State Grid Jiangsu",
         "source_ref": "SGJS-2024-EF", "supplier_factor_kg_per_kwh": 0.6},
        {"project_id": "P1", "quantity": 2000, "unit": "kWh", "energy_type": "heat",
         "supplier": "Nanjing Heat Co.", "supplier_factor_kg_per_kwh": 0.25},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "ppa",
         "instrument_quantity": 1000, "instrument_factor_kg_per_kwh": 0.1,
         "supplier": "Wind PPA Ltd", "source_ref": "PPA-7"},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier_factor_kg_per_kwh": 0.45},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier": HOSTILE_SUPPLIER,
         "source_ref": HOSTILE_DOCUMENT, "supplier_factor_kg_per_kwh": 0.5},
    ]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return results_of(submission(Electricity=_electricity()))


def _market(results: dict[str, Any], row: int) -> list[tuple[float, float, str]]:
    return [(c["factor"], c["tco2e"], c["factor_source"]) for c in results["calculations"]
            if c["row"] == row and c["method"] == "market"]


def test_each_supplied_factor_cites_its_supplier_and_document(results: dict[str, Any]) -> None:
    # 1 000 kWh × 0.6 kg/kWh = 0.6 t; 500 kWh × 0.6 = 0.3 t, the same document
    assert _market(results, 2) == [(0.6, 0.6, JIANGSU)]
    assert _market(results, 3) == [(0.6, 0.3, JIANGSU)]
    # heat: the supplier's factor for both methods, 2 000 kWh × 0.25 = 0.5 t; no document
    heat = [(c["method"], c["tco2e"], c["factor_source"]) for c in results["calculations"]
            if c["row"] == 4]
    assert heat == [("location", 0.5, HEAT), ("market", 0.5, HEAT)]
    # the PPA's own factor: 1 000 kWh × 0.1 = 0.1 t, the row's supplier and document
    assert _market(results, 5) == [(0.1, 0.1, PPA)]
    # a row naming neither says so: 1 000 kWh × 0.45 = 0.45 t
    neither = "supplier factor: no supplier or document given (Electricity sheet)"
    assert supplied.SUPPLIER_FACTOR_SOURCE == neither
    assert _market(results, 6) == [(0.45, 0.45, neither)]
    # 0.6 + 0.3 + 0.5 + 0.1 + 0.45 + 0.5 (row 7)
    assert results["ghg"]["scope2_market_tco2e"] == pytest.approx(2.45, abs=1e-9)
    sources = results["factor_sources"]
    assert sources[JIANGSU] == ("supplier factor: State Grid Jiangsu, SGJS-2024-EF "
                                "(Electricity sheet, rows 2–3)")
    assert sources[HEAT] == ("supplier factor: Nanjing Heat Co., no document given "
                             "(Electricity sheet, row 4)")
    assert sources[PPA] == "instrument factor: Wind PPA Ltd, PPA-7 (Electricity sheet, row 5)"
    assert sources[neither] == ("supplier factor: no supplier or document given "
                                "(Electricity sheet, row 6)")


def test_the_workbook_text_is_bounded_on_one_line_and_inert(results: dict[str, Any]) -> None:
    [(_, tco2e, cited)] = _market(results, 7)
    assert tco2e == 0.5  # 1 000 kWh × 0.5 kg/kWh
    # the direction control dropped, the document cut to 120 characters with "…"
    document = "<b>x</b>" + "y" * (supplied.PART_MAX - 9) + "…"
    assert len(document) == supplied.PART_MAX
    assert cited == f"supplier factor: {HOSTILE_SUPPLIER}, {document} (Electricity sheet)"
    # calculations.csv: the citation starts with our words, so no field starts a formula
    lines = list(csv.DictReader(io.StringIO(trail_csv(results).decode("utf-8-sig"))))
    assert [line["factor_source"] for line in lines
            if line["row"] == "7" and line["method"] == "market"] == [cited]
    assert not [value for line in lines for value in line.values()
                if value and value.startswith(FORMULA_TRIGGERS)]
    # the report: the supplier's "<b>" is text, never markup
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    table = soup.find(id="table-factor-sources")
    assert table.find("b") is None
    assert f"{cited[:-1]}, row 7)" in [td.get_text("", strip=True) for td in table("td")]


def test_the_publications_cited_list_each_document_in_english_and_chinese(
        results: dict[str, Any]) -> None:
    def listed(lang: str) -> list[list[str]]:
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        return [[td.get_text("", strip=True) for td in tr("td")]
                for tr in soup.find(id="table-factor-sources").find("tbody")("tr")]

    assert [JIANGSU, "supplier factor: State Grid Jiangsu, SGJS-2024-EF (Electricity sheet, "
            "rows 2–3)"] in listed("en")
    zh = listed("zh")
    assert ["供应商排放因子：State Grid Jiangsu, SGJS-2024-EF（外购能源表）",
            "供应商排放因子：State Grid Jiangsu, SGJS-2024-EF（外购能源表，第2–3行）",
            JIANGSU] in zh
    assert ["合同工具排放因子：Wind PPA Ltd, PPA-7（外购能源表）",
            "合同工具排放因子：Wind PPA Ltd, PPA-7（外购能源表，第5行）", PPA] in zh
    assert ["供应商排放因子：未提供供应商及来源凭证（外购能源表）",
            "供应商排放因子：未提供供应商及来源凭证（外购能源表，第6行）",
            supplied.SUPPLIER_FACTOR_SOURCE] in zh


def test_sri_port_rows_cite_the_ceylon_electricity_board_invoice_of_each_month() -> None:
    results = own_results(GROUP / "sri.xlsx")
    # Electricity row 14, SRI-LK-PORT (85 %): 2 817.7 MWh = 2 817 700 kWh × 0.489 kg/kWh
    # = 1 377.8553 t, × 0.85 = 1 171.177005 tCO2e, market-based on CEB's factor
    ceb = ("supplier factor: Ceylon Electricity Board (CEB), CEB-GALLE-2024-01-94449 "
           "(Electricity sheet)")
    assert _market(results, 14) == [(0.489, 1171.177005, ceb)]
    assert results["factor_sources"][ceb] == f"{ceb[:-1]}, row 14)"
    # CEB's factor for the first half-year only: rows 14 to 19, an invoice each
    cited = sorted(k for k in results["factor_sources"] if k.startswith("supplier factor:"))
    assert len(cited) == 6
    assert [results["factor_sources"][k][-7:] for k in cited] == [
        f"row {row})" for row in range(14, 20)]
    # row 20 (July): no supplier factor, the location-based factor (Ember's 0.50978)
    assert [source for _, _, source in _market(results, 20)] == [
        "Ember 2024, data year 2022"]


@pytest.mark.parametrize(("rows", "expected"), [
    ([14], ("14", 1)),
    ([19, 14, 15, 16, 25, 15], ("14–16, 19, 25", 5)),
    (list(range(2, 60, 2)), (", ".join(str(r) for r in range(2, 26, 2)) + ", …", 29)),
])
def test_row_ranges(rows: list[int], expected: tuple[str, int]) -> None:
    assert supplied.row_ranges(rows) == expected


def test_a_name_holding_our_own_words_does_not_move_the_parts() -> None:
    short = supplied.source(supplied.SUPPLIER, "A (Electricity sheet, row 3)", "doc")
    assert short == "supplier factor: A (Electricity sheet, row 3), doc (Electricity sheet)"
    full = supplied.with_rows(short, {None: range(2, 60, 2)})
    assert full.endswith("(Electricity sheet, rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, "
                         "24, … (29 rows in all))")
    cited = supplied.parse(full)
    assert cited == supplied.Cited(supplied.SUPPLIER, "A (Electricity sheet, row 3), doc", (
        supplied.Rows(None, "2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24", 29),))
    assert supplied.parse("Factors sheet row 2: supplier factor: x (Electricity sheet)") is None
    # a row naming neither: what is missing in place of the names; our opening words with
    # nothing after them (or the fixed text of earlier versions) are no citation
    assert supplied.parse(supplied.INSTRUMENT_FACTOR_SOURCE) == supplied.Cited(
        supplied.INSTRUMENT, "no supplier or document given", None)
    assert supplied.parse("instrument factor (Electricity sheet)") is None
    assert supplied.parse("supplier factor:  (Electricity sheet)") is None


def test_a_groups_citation_names_the_member_whose_rows_used_it(tmp_path: Path) -> None:
    group, _ = group_results(copy_samples(tmp_path / "src"), tmp_path / "scratch")
    ceb = ("supplier factor: Ceylon Electricity Board (CEB), CEB-GALLE-2024-01-94449 "
           "(Electricity sheet)")
    # SRI's row 14 in the group: 1 377.8553 t × 0.85 (the port) × 0.70 (SRI) = 819.8239035
    assert [(c["entity_id"], c["tco2e"]) for c in group["calculations"]
            if c["factor_source"] == ceb] == [("SRI", 819.8239035)]
    assert group["factor_sources"][ceb] == f"{ceb[:-1]}, SRI: row 14)"
    assert supplied_citation(group["factor_sources"][ceb], "zh") == (
        "供应商排放因子：Ceylon Electricity Board (CEB), CEB-GALLE-2024-01-94449"
        "（外购能源表，SRI：第14行）")
    # two members citing one document: each member's rows, members in order
    assert supplied.with_rows(ceb, {"SRI": [14, 15, 16, 19], "SRE": [3]}) == (
        f"{ceb[:-1]}, SRE: row 3; SRI: rows 14–16, 19)")
    assert supplied_citation(f"{ceb[:-1]}, SRE: row 3; SRI: rows 14–16, 19)", "zh") == (
        "供应商排放因子：Ceylon Electricity Board (CEB), CEB-GALLE-2024-01-94449"
        "（外购能源表，SRE：第3行；SRI：第14–16、19行）")


KPLC = "Kenya Power and Lighting Company (KPLC)"


def _certificate(document: str) -> str:
    return f"renewable attributes, 0 kg/kWh: {KPLC}, {document} (Electricity sheet)"


def test_sri_rail_rows_cite_the_document_of_each_months_i_rec() -> None:
    results = own_results(GROUP / "sri.xlsx")
    # Electricity rows 8 to 13 (July to December), SRI-KE-RAIL (share 1): an I-REC covering
    # about half of each month at 0 kg/kWh, the rest on Ember's 0.08483 kg/kWh
    july = _certificate("KPLC-2024-07-21579")
    assert _market(results, 8) == [(0.08483, 40.71763653, "Ember 2025, data year 2024"),
                                   (0.0, 0.0, july)]
    covered = [(c["row"], c["activity"], c["tco2e"], c["factor_source"])
               for c in results["calculations"] if c["factor"] == 0.0
               and c["method"] == "market" and c["sheet"] == "Electricity"]
    # 959 981 kWh, of which the I-REC's 479 990; …; December 868 165 kWh, 434 082
    assert covered == [
        (8, 479990.0, 0.0, july),
        (9, 451961.0, 0.0, _certificate("KPLC-2024-08-99784")),
        (10, 468942.0, 0.0, _certificate("KPLC-2024-09-83347")),
        (11, 458467.0, 0.0, _certificate("KPLC-2024-10-65790")),
        (12, 433095.0, 0.0, _certificate("KPLC-2024-11-13602")),
        (13, 434082.0, 0.0, _certificate("KPLC-2024-12-28386"))]
    # each statement its own citation, with the row that used it; no fixed text left
    assert results["factor_sources"][july] == f"{july[:-1]}, row 8)"
    cited = sorted(k for k in results["factor_sources"] if k.startswith("renewable"))
    assert [results["factor_sources"][k][-7:] for k in cited] == [
        " row 8)", " row 9)", "row 10)", "row 11)", "row 12)", "row 13)"]
    assert "contractual instrument: renewable attributes, 0 kg/kWh" not in results[
        "factor_sources"]
    # calculations.csv carries the same short citation
    lines = list(csv.DictReader(io.StringIO(trail_csv(results).decode("utf-8-sig"))))
    assert [(line["activity"], line["tco2e"], line["factor_source"]) for line in lines
            if line["sheet"] == "Electricity" and line["row"] == "8"
            and line["factor"] == "0.0"] == [("479990.0", "0.0", july)]

    def listed(lang: str) -> list[list[str]]:
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        return [[td.get_text("", strip=True) for td in tr("td")]
                for tr in soup.find(id="table-factor-sources").find("tbody")("tr")]

    assert [july, f"{july[:-1]}, row 8)"] in listed("en")
    assert [f"可再生能源属性，0千克/千瓦时：{KPLC}, KPLC-2024-07-21579（外购能源表）",
            f"可再生能源属性，0千克/千瓦时：{KPLC}, KPLC-2024-07-21579（外购能源表，第8行）",
            july] in listed("zh")


def test_a_certificate_without_a_document_says_the_document_is_missing() -> None:
    """A certificate row without a source_ref cited the fixed "contractual instrument:
    renewable attributes, 0 kg/kWh", as if a document backed the zero; a supplier's or an
    instrument's factor says "no document given" (r18): so does the certificate now."""
    # Excel rows 2 to 7: 1 000 kWh each, the instrument covering 400 kWh at 0 kg/kWh
    rows = [{"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": kind,
             "instrument_quantity": 400, "supplier": supplier, "source_ref": document}
            for kind, supplier, document in (
                ("rec", "Grid Co", "REC-RED-1"), ("go", "Grid Co", "REC-RED-1"),
                ("ppa", "Grid Co", None), ("green_tariff", "Grid Co", " \u202e "),
                ("i_rec", "Grid Co", HOSTILE_DOCUMENT), ("i_rec", None, None))]
    results = results_of(submission(Electricity=rows))
    covered = [(c["row"], c["activity"], c["tco2e"], c["factor_source"])
               for c in results["calculations"] if c["method"] == "market" and c["factor"] == 0]
    rec = "renewable attributes, 0 kg/kWh: Grid Co, REC-RED-1 (Electricity sheet)"
    # the statement cut to 120 characters, its direction control dropped
    hostile = ("renewable attributes, 0 kg/kWh: Grid Co, <b>x</b>"
               + "y" * (supplied.PART_MAX - 9) + "… (Electricity sheet)")
    # a row without a document (blank, or only a space and a direction control) says so
    grid = "renewable attributes, 0 kg/kWh: Grid Co, no document given (Electricity sheet)"
    neither = ("renewable attributes, 0 kg/kWh: no supplier or document given "
               "(Electricity sheet)")
    # 400 kWh × 0 kg/kWh = 0 t on each row
    assert covered == [(2, 400.0, 0.0, rec), (3, 400.0, 0.0, rec), (4, 400.0, 0.0, grid),
                       (5, 400.0, 0.0, grid), (6, 400.0, 0.0, hostile),
                       (7, 400.0, 0.0, neither)]
    # one document (or none), several rows: one citation with its rows; no fixed text left
    assert {k: v for k, v in results["factor_sources"].items()
            if k.startswith(("renewable", "contractual"))} == {
        rec: f"{rec[:-1]}, rows 2–3)", grid: f"{grid[:-1]}, rows 4–5)",
        hostile: f"{hostile[:-1]}, row 6)", neither: f"{neither[:-1]}, row 7)"}
    # calculations.csv: the same short citation
    lines = list(csv.DictReader(io.StringIO(trail_csv(results).decode("utf-8-sig"))))
    assert [(line["row"], line["factor_source"]) for line in lines
            if line["method"] == "market" and line["factor"] == "0.0"] == [
        ("2", rec), ("3", rec), ("4", grid), ("5", grid), ("6", hostile), ("7", neither)]

    def listed(lang: str) -> dict[str, list[str]]:
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        cells = [[td.get_text("", strip=True) for td in tr("td")]
                 for tr in soup.find(id="table-factor-sources").find("tbody")("tr")]
        return {line[-1] if lang == "zh" else line[0]: line[:2] for line in cells}

    en = listed("en")
    assert en[grid] == [grid, "renewable attributes, 0 kg/kWh: Grid Co, no document given "
                              "(Electricity sheet, rows 4–5)"]
    assert en[neither] == [neither, "renewable attributes, 0 kg/kWh: no supplier or document "
                                    "given (Electricity sheet, row 7)"]
    zh = listed("zh")
    attributes = "可再生能源属性，0千克/千瓦时："
    assert zh[grid] == [f"{attributes}Grid Co，未提供来源凭证（外购能源表）",
                        f"{attributes}Grid Co，未提供来源凭证（外购能源表，第4–5行）"]
    assert zh[neither] == [f"{attributes}未提供供应商及来源凭证（外购能源表）",
                           f"{attributes}未提供供应商及来源凭证（外购能源表，第7行）"]
    # the rest of each row: 600 kWh on the grid, so Scope 2 market-based has no 0 there
    assert sum(c["activity"] for c in results["calculations"]
               if c["method"] == "market" and c["factor"] != 0) == 3600.0


def test_a_groups_certificate_citation_names_the_member(tmp_path: Path) -> None:
    group, _ = group_results(copy_samples(tmp_path / "src"), tmp_path / "scratch")
    july = _certificate("KPLC-2024-07-21579")
    assert [(c["entity_id"], c["activity"], c["tco2e"]) for c in group["calculations"]
            if c["factor_source"] == july] == [("SRI", 479990.0, 0.0)]
    assert group["factor_sources"][july] == f"{july[:-1]}, SRI: row 8)"
    assert supplied_citation(group["factor_sources"][july], "zh") == (
        f"可再生能源属性，0千克/千瓦时：{KPLC}, KPLC-2024-07-21579（外购能源表，SRI：第8行）")


def test_a_citation_says_what_the_row_gave_and_what_is_missing() -> None:
    # Excel rows 2 to 6 (tests.metrics_support.table): supplier factors on 1 000 or 2 000 kWh
    hostile = "=HYPERLINK(\"x\")<i>" + "z" * 200
    rows = [
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier": "Acme Power",
         "supplier_factor_kg_per_kwh": 0.5},
        {"project_id": "P1", "quantity": 2000, "unit": "kWh", "source_ref": "INV-9",
         "supplier_factor_kg_per_kwh": 0.4},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier_factor_kg_per_kwh": 0.45},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "supplier": hostile,
         "supplier_factor_kg_per_kwh": 0.3},
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "ppa",
         "instrument_quantity": 1000, "instrument_factor_kg_per_kwh": 0.1, "source_ref": "PPA-7"},
    ]
    results = results_of(submission(Electricity=rows))
    acme = "supplier factor: Acme Power, no document given (Electricity sheet)"
    invoice = "supplier factor: no supplier named, INV-9 (Electricity sheet)"
    neither = "supplier factor: no supplier or document given (Electricity sheet)"
    # the supplier cut to 120 characters ("…"), then our words
    cut = "=HYPERLINK(\"x\")<i>" + "z" * (supplied.PART_MAX - 19) + "…"
    named = f"supplier factor: {cut}, no document given (Electricity sheet)"
    ppa = "instrument factor: no supplier named, PPA-7 (Electricity sheet)"
    # 1 000 kWh × 0.5 = 0.5 t; 2 000 × 0.4 = 0.8 t; 1 000 × 0.45; 1 000 × 0.3; 1 000 × 0.1
    assert [_market(results, row) for row in range(2, 7)] == [
        [(0.5, 0.5, acme)], [(0.4, 0.8, invoice)], [(0.45, 0.45, neither)],
        [(0.3, 0.3, named)], [(0.1, 0.1, ppa)]]
    # each names the rows that used it, so the auditor finds the rows without a document
    assert {k: v for k, v in results["factor_sources"].items() if "factor:" in k} == {
        acme: "supplier factor: Acme Power, no document given (Electricity sheet, row 2)",
        invoice: "supplier factor: no supplier named, INV-9 (Electricity sheet, row 3)",
        neither: "supplier factor: no supplier or document given (Electricity sheet, row 4)",
        named: f"supplier factor: {cut}, no document given (Electricity sheet, row 5)",
        ppa: "instrument factor: no supplier named, PPA-7 (Electricity sheet, row 6)"}
    # calculations.csv: the same texts, none starting a formula
    lines = list(csv.DictReader(io.StringIO(trail_csv(results).decode("utf-8-sig"))))
    assert [(line["row"], line["factor_source"]) for line in lines
            if line["method"] == "market"] == [
        ("2", acme), ("3", invoice), ("4", neither), ("5", named), ("6", ppa)]
    assert not [value for line in lines for value in line.values()
                if value and value.startswith(FORMULA_TRIGGERS)]

    def listed(lang: str) -> dict[str, list[str]]:
        soup = BeautifulSoup(render_html(results, lang), "html.parser")
        table = soup.find(id="table-factor-sources")
        assert table.find("i") is None  # the supplier's "<i>" is text
        cells = [[td.get_text("", strip=True) for td in tr("td")]
                 for tr in table.find("tbody")("tr")]
        return {line[-1] if lang == "zh" else line[0]: line[:2] for line in cells}

    en = listed("en")
    assert en[acme] == [acme, results["factor_sources"][acme]]
    assert en[named] == [named, results["factor_sources"][named]]
    zh = listed("zh")
    assert zh[acme] == ["供应商排放因子：Acme Power，未提供来源凭证（外购能源表）",
                        "供应商排放因子：Acme Power，未提供来源凭证（外购能源表，第2行）"]
    assert zh[invoice] == ["供应商排放因子：未注明供应商，INV-9（外购能源表）",
                           "供应商排放因子：未注明供应商，INV-9（外购能源表，第3行）"]
    assert zh[neither] == ["供应商排放因子：未提供供应商及来源凭证（外购能源表）",
                           "供应商排放因子：未提供供应商及来源凭证（外购能源表，第4行）"]
    assert zh[named][1] == f"供应商排放因子：{cut}，未提供来源凭证（外购能源表，第5行）"
    assert zh[ppa] == ["合同工具排放因子：未注明供应商，PPA-7（外购能源表）",
                       "合同工具排放因子：未注明供应商，PPA-7（外购能源表，第6行）"]


def test_a_name_holding_our_missing_words_keeps_the_document() -> None:
    # a supplier typed as "X, no document given" beside a document: the document is there
    short = supplied.source(supplied.SUPPLIER, "X, no document given", "D-1")
    assert short == "supplier factor: X, no document given, D-1 (Electricity sheet)"
    assert supplied.lacking(supplied.parse(short).named) == (None, "X, no document given, D-1")
    assert supplied.lacking("no supplier named, X, no document given") == (
        "document", "no supplier named, X")


#: what a run before r18 wrote for a factor or certificate whose row named no supplier and
#: no document (its results.json is rendered again, e.g. by the portal)
EARLIER_FIXED = {
    "supplier factor: no supplier or document given (Electricity sheet)":
        ("supplier factor (Electricity sheet)", "供应商排放因子（外购能源表）"),
    "instrument factor: no supplier or document given (Electricity sheet)":
        ("instrument factor (Electricity sheet)", "合同工具排放因子（外购能源表）"),
    "renewable attributes, 0 kg/kWh: no supplier or document given (Electricity sheet)":
        ("contractual instrument: renewable attributes, 0 kg/kWh",
         "合同工具：可再生能源属性，0千克/千瓦时"),
}


def test_an_earlier_runs_fixed_citations_are_still_translated() -> None:
    # Excel rows 2 to 4: a supplier's factor, an instrument's, a certificate, none named
    rows = [{"project_id": "P1", "quantity": 1000, "unit": "kWh",
             "supplier_factor_kg_per_kwh": 0.45},
            {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "ppa",
             "instrument_quantity": 1000, "instrument_factor_kg_per_kwh": 0.1},
            {"project_id": "P1", "quantity": 1000, "unit": "kWh", "instrument": "rec",
             "instrument_quantity": 1000}]
    results = results_of(submission(Electricity=rows))
    # the results.json of that run: the fixed texts, short and full alike (no rows)
    for entry in results["calculations"]:
        if entry["factor_source"] in EARLIER_FIXED:
            entry["factor_source"] = EARLIER_FIXED[entry["factor_source"]][0]
    for now, (before, _zh) in EARLIER_FIXED.items():
        del results["factor_sources"][now]
        results["factor_sources"][before] = before
    soup = BeautifulSoup(render_html(results, "zh"), "html.parser")
    cells = [[td.get_text("", strip=True) for td in tr("td")]
             for tr in soup.find(id="table-factor-sources").find("tbody")("tr")]
    listed = {line[-1]: line[:2] for line in cells}
    assert {before: listed[before] for before, _zh in EARLIER_FIXED.values()} == {
        before: [zh, zh] for before, zh in EARLIER_FIXED.values()}
