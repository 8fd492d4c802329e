"""The exchange rates a report used: results.json's ``exchange_rates`` and the methodology's
"Exchange rates" table, worked by hand from the samples (a lender recomputes the money).

sre.xlsx converts a 250,000,000 IDR fine at 0.0004487 (FxRates row 4) = 112,175 CNY and a
150,000,000 USD green loan at 7.1217 (row 2) = 1,068,255,000 CNY. The group converts every
member's money with the parent's FxRates (parent.xlsx: USD row 2, EUR row 3, IDR row 5):
SRI's 60,000,000 EUR sustainability-linked loan at 7.7011 = 462,066,000 CNY, and the group's
green loans are SRE's 1,068,255,000 CNY + SRI's 400,000,000 CNY = 1,468,255,000 CNY.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from envreport.render import render_html
from tests.conftest import sample_results
from tests.metrics_support import project, results_of, submission
from tests.test_batch_support import GROUP, group_results

USD_SOURCE = "PBOC central parity, 2024 annual average"
USD_SOURCE_ZH = "中国人民银行人民币汇率中间价，2024年年平均"
CROSS_SOURCE = ("Cross rate via USD (PBOC central parity and the central bank's USD rate, "
                "2024 annual averages)")
CROSS_SOURCE_ZH = "经美元套算（中国人民银行中间价与该国央行美元汇率，2024年年平均）"


def _idr(row: int, **extra: Any) -> dict[str, Any]:
    return {"currency": "IDR", "rate_to_reporting_currency": 0.0004487,
            "reporting_currency": "CNY", "source": CROSS_SOURCE, "source_zh": CROSS_SOURCE_ZH,
            "sheet": "FxRates", "row": row, **extra,
            "converted": [{"field": "compliance.fines", "sheet": "Incidents", "rows": 1,
                           "amount": 250_000_000.0, "amount_reporting_currency": 112_175.0}]}


def _usd(**extra: Any) -> dict[str, Any]:
    return {"currency": "USD", "rate_to_reporting_currency": 7.1217,
            "reporting_currency": "CNY", "source": USD_SOURCE, "source_zh": USD_SOURCE_ZH,
            "sheet": "FxRates", "row": 2, **extra,
            "converted": [{"field": "green_finance.total", "sheet": "GreenFinance", "rows": 1,
                           "amount": 150_000_000.0,
                           "amount_reporting_currency": 1_068_255_000.0}]}


def test_an_entity_lists_the_rates_it_converted_money_with() -> None:
    results = sample_results()
    # 250,000,000 × 0.0004487 = 112,175; 150,000,000 × 7.1217 = 1,068,255,000; SRE's other
    # rates (EUR, BDT, PKR, KZT) convert nothing: its BDT and USD investments are shown as
    # reported, so they are not listed
    assert results["exchange_rates"] == [_idr(4), _usd()]
    assert results["compliance"]["fines"] == 112_175.0
    # the green loan plus the 1,200,000,000 CNY green bond, which no rate converts
    assert results["green_finance"]["total"] == 2_268_255_000.0
    keys = list(results)
    assert keys.index("exchange_rates") == keys.index("energy_contents") + 1


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    scratch = tmp_path_factory.mktemp("fx-group")
    results, _ = group_results([GROUP / f"{n}.xlsx" for n in ("parent", "sre", "sri")],
                               scratch)
    return results


def test_a_group_lists_the_parents_rates_for_every_members_money(group: dict) -> None:
    eur = {"currency": "EUR", "rate_to_reporting_currency": 7.7011,
           "reporting_currency": "CNY", "source": USD_SOURCE, "source_zh": USD_SOURCE_ZH,
           "sheet": "FxRates", "row": 3, "entity_id": "CSIG",
           "converted": [{"field": "green_finance.total", "sheet": "GreenFinance", "rows": 1,
                          "amount": 60_000_000.0, "amount_reporting_currency": 462_066_000.0}]}
    # the parent's rows (IDR is row 5 of parent.xlsx, row 4 of sre.xlsx)
    assert group["exchange_rates"] == [eur, _idr(5, entity_id="CSIG"), _usd(entity_id="CSIG")]
    # 1,068,255,000 (SRE, USD) + 400,000,000 (SRI, CNY)
    assert group["green_finance"]["by_instrument"]["green_loan"] == 1_468_255_000.0
    assert group["compliance"]["fines"] == 112_175.0


def test_the_group_report_prints_the_table_in_english_and_chinese(group: dict) -> None:
    en = BeautifulSoup(render_html(group, "en"), "html.parser")
    zh = BeautifulSoup(render_html(group, "zh"), "html.parser")
    assert _rows(en) == [
        ["Currency", "Rate to CNY", "Source", "Cell", "Converted"],
        ["EUR", "7.7011", USD_SOURCE, "CSIG: FxRates, row 3",
         "Green finance: 60,000,000 EUR = 462,066,000 CNY (GreenFinance, 1 row)"],
        ["IDR", "0.0004487", CROSS_SOURCE, "CSIG: FxRates, row 5",
         "Fines: 250,000,000 IDR = 112,175 CNY (Incidents, 1 row)"],
        ["USD", "7.1217", USD_SOURCE, "CSIG: FxRates, row 2",
         "Green finance: 150,000,000 USD = 1,068,255,000 CNY (GreenFinance, 1 row)"]]
    assert _rows(zh) == [
        ["币种", "折合人民币汇率", "来源", "单元格", "折算内容"],
        ["欧元", "7.7011", USD_SOURCE_ZH, "CSIG：“汇率”表第3行",
         "绿色金融：60,000,000欧元折合462,066,000人民币（“绿色金融”表1行）"],
        ["印度尼西亚卢比", "0.0004487", CROSS_SOURCE_ZH, "CSIG：“汇率”表第5行",
         "罚款金额：250,000,000印度尼西亚卢比折合112,175人民币（“环境事件”表1行）"],
        ["美元", "7.1217", USD_SOURCE_ZH, "CSIG：“汇率”表第2行",
         "绿色金融：150,000,000美元折合1,068,255,000人民币（“绿色金融”表1行）"]]
    assert _intro(en) == (
        "Money in another currency is converted to CNY with the submission's exchange rates: "
        "each row's amount times the rate. Rates that converted nothing are not listed; "
        "investments in mitigation actions are shown as reported, in their own currency. "
        "Every member's money is converted with the parent's rates.")
    assert _intro(zh) == (
        "其他币种的金额按报送数据中的汇率折算为人民币：每行金额乘以汇率。未用于折算的汇率不予列示；"
        "减排行动的投资额按报送时的币种列示，未经折算。各成员企业的金额均按母公司的汇率折算。")
    # in the methodology, after the submission's factor overrides
    table = en.find(id="table-exchange-rates")
    assert table.find_parent("section")["id"] == "methodology"
    assert table.find_previous("table")["id"] == "table-overrides"


def _rows(soup: BeautifulSoup) -> list[list[str]]:
    table = soup.find(id="table-exchange-rates")
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
            for tr in table.find_all("tr")]


def _intro(soup: BeautifulSoup) -> str:
    return str(soup.find(id="table-exchange-rates").find_previous("p").get_text(strip=True))


def test_an_entitys_table_names_no_member() -> None:
    soup = BeautifulSoup(render_html(sample_results(), "en"), "html.parser")
    assert [row[3] for row in _rows(soup)[1:]] == ["FxRates, row 4", "FxRates, row 2"]
    assert "parent's rates" not in _intro(soup)


FX = [{"currency": "USD", "rate_to_reporting_currency": 7.0, "source": "Bank A"},
      {"currency": "EUR", "rate_to_reporting_currency": 8.0, "source": "Bank B"},
      {"currency": "KES", "rate_to_reporting_currency": 0.05, "source": "Bank C"}]


def _fine(project_id: str, amount: float | None, currency: str | None) -> dict[str, Any]:
    return {"project_id": project_id, "date": "2024-03-01", "type": "penalty",
            "severity": "minor", "fine_amount": amount, "currency": currency}


def test_only_money_the_figures_count_is_listed() -> None:
    # P2 is outside the boundary: its 99 EUR fine is not in compliance.fines, so EUR
    # converted nothing; KES converts nothing at all; CNY and a blank currency need no rate;
    # a row without an amount converts nothing
    projects = [project("P1"), project("P2", operational_control=False)]
    incidents = [_fine("P1", 1000, "USD"), _fine("P1", 500, None), _fine("P1", 300, "CNY"),
                 _fine("P1", None, "KES"), _fine("P1", 250, "USD"), _fine("P2", 99, "EUR")]
    green = [{"instrument": "green_bond", "amount": 100, "currency": "USD"},
             {"instrument": "green_loan", "amount": 50, "currency": "CNY"}]
    r = results_of(submission(projects, Incidents=incidents, GreenFinance=green, FxRates=FX))
    # fines: (1000 + 250) × 7 = 8,750 + 500 + 300 = 9,550 CNY; green: 100 × 7 + 50 = 750
    assert r["compliance"]["fines"] == 9_550.0
    assert r["green_finance"]["total"] == 750.0
    assert r["exchange_rates"] == [{
        "currency": "USD", "rate_to_reporting_currency": 7.0, "reporting_currency": "CNY",
        "source": "Bank A", "sheet": "FxRates", "row": 2,
        "converted": [
            {"field": "compliance.fines", "sheet": "Incidents", "rows": 2, "amount": 1250.0,
             "amount_reporting_currency": 8750.0},
            {"field": "green_finance.total", "sheet": "GreenFinance", "rows": 1,
             "amount": 100.0, "amount_reporting_currency": 700.0}]}]
    html = render_html(r, "en")
    assert ("Fines: 1,250 USD = 8,750 CNY (Incidents, 2 rows)<br>Green finance: 100 USD = "
            "700 CNY (GreenFinance, 1 row)") in html


def test_no_money_converted_no_table() -> None:
    green = [{"instrument": "green_bond", "amount": 100, "currency": "CNY"}]
    r = results_of(submission(GreenFinance=green, FxRates=FX))
    assert r["exchange_rates"] == []
    html = render_html(r, "en")
    assert "table-exchange-rates" not in html
    assert "Exchange rates" not in html
    # results stored before the key: no table either
    del r["exchange_rates"]
    assert "table-exchange-rates" not in render_html(r, "zh")


def test_a_hostile_source_is_one_bounded_line_printed_as_text(tmp_path: Path) -> None:
    source = ("=HYPERLINK(\"http://x\")\u202e <b>rates</b>\n\n" + "long " * 40).strip()
    fx = [{"currency": "USD", "rate_to_reporting_currency": 7.0, "source": source}]
    green = [{"instrument": "green_bond", "amount": 100, "currency": "USD"}]
    r = results_of(submission(GreenFinance=green, FxRates=fx))
    (rate,) = r["exchange_rates"]
    # one line, no direction control, 120 characters with the ellipsis
    expected = ("=HYPERLINK(\"http://x\") <b>rates</b> " + "long " * 40)[:119].rstrip() + "…"
    assert rate["source"] == expected
    assert len(expected) == 120
    html = render_html(r, "en")
    assert "&lt;b&gt;rates&lt;/b&gt;" in html
    assert "<b>rates</b>" not in html
    # the Source cell is that text, as text
    assert _rows(BeautifulSoup(html, "html.parser"))[1][2] == expected


def test_a_currency_given_twice_converts_with_its_last_row_and_names_it() -> None:
    # FxRates rows 2 and 3 both give USD (the second in lower case): the figures use the
    # last, 7.2, and the entry names row 3 and its source, so the reader recomputes 100 × 7.2
    fx = [{"currency": "USD", "rate_to_reporting_currency": 7.0, "source": "Bank A"},
          {"currency": "usd", "rate_to_reporting_currency": 7.2, "source": "Bank B"}]
    green = [{"instrument": "green_bond", "amount": 100, "currency": "USD"}]
    r = results_of(submission(GreenFinance=green, FxRates=fx))
    assert r["green_finance"]["total"] == 720.0
    assert r["exchange_rates"] == [{
        "currency": "USD", "rate_to_reporting_currency": 7.2, "reporting_currency": "CNY",
        "source": "Bank B", "sheet": "FxRates", "row": 3,
        "converted": [{"field": "green_finance.total", "sheet": "GreenFinance", "rows": 1,
                       "amount": 100.0, "amount_reporting_currency": 720.0}]}]
