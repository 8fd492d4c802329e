"""The status board and the group report when submissions are invalid, missing, unexpected
or unreadable: every one is shown (JSON, HTML, XLSX, the group's inputs) and the valid ones
still build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from typer.testing import CliRunner

from envreport.cli import app
from tests.test_batch_support import copy_samples, edit_workbook

FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj")


def _board(entities: list[dict[str, Any]], figures: dict[str, Any], group: dict[str, Any],
           **fields: Any) -> dict[str, Any]:
    """A board's data as status.json holds it: an equity-share group under CSIG, nothing
    counted, no group report built; ``group`` and ``fields`` replace what a test needs."""
    from envreport.batch.status import STATES

    return {"tool_version": "0", "parent": {"entity_id": "CSIG", "file": "p.xlsx"},
            "consolidation_approach": "equity_share", "period": {"start": None, "end": None},
            "counts": dict.fromkeys(STATES, 0),
            "group": {"built": False, "build_failure": None, "figures": figures,
                      "findings": [], **group},
            "entities": entities, **fields}


def _entity(figures: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid subsidiary SRE without findings or outputs; ``fields`` replace what a test
    needs."""
    return {"entity_id": "SRE", "entity_name": "Silk Road Energy", "role": "subsidiary",
            "file": "sre.xlsx", "sha256": None, "state": "valid", "errors": 0, "warnings": 0,
            "figures": figures, "build_failure": None, "findings": [],
            "outputs": {"report_html": None, "annotated": None}, **fields}


def test_invalid_missing_unexpected_and_unreadable_are_on_the_board(tmp_path: Path) -> None:
    src = tmp_path / "in"
    parent, sre, sri = copy_samples(src)
    # roster: SRE, SRI and SRX (SRX never submits)
    edit_workbook(parent, append_rows={"Subsidiaries": [{
        "entity_id": "SRX", "entity_name": "Silk Road X Co., Ltd.", "ownership_pct": 50,
        "operational_control": "no", "financial_control": "no"}]})
    # SRI: a negative fuel quantity → invalid
    edit_workbook(sri, cells={"Fuel": {("SRI-KE-RAIL", "quantity"): -5}})
    # SRZ: a valid workbook whose entity is not on the roster → unexpected
    edit_workbook(sre, src / "srz.xlsx", org={"entity_id": "SRZ"})
    (src / "broken.xlsx").write_bytes(b"this is not a workbook")
    out = tmp_path / "out"
    out.mkdir()
    # an earlier run's Chinese board: this English-only run removes it (it would be stale)
    (out / "status.zh.html").write_text("old board", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(src), "-o", str(out), "--no-pdf",
                                      "--lang", "en", "--workers", "2"])
    assert result.exit_code == 1, result.output
    assert not (out / "status.zh.html").exists()
    assert not (out / "status.zh.xlsx").exists()

    expected = {"CSIG": "valid", "SRE": "valid", "SRI": "invalid", "SRX": "missing",
                "SRZ": "unexpected", None: "unreadable"}
    # --- status.json
    board = json.loads((out / "status.json").read_text())
    states = {e["entity_id"]: e["state"] for e in board["entities"]}
    assert states == expected
    by_id = {e["entity_id"]: e for e in board["entities"]}
    assert by_id[None]["file"] == "broken.xlsx"
    assert by_id[None]["findings"][0]["code"] == "unreadable-file"
    sri_entry = by_id["SRI"]
    assert sri_entry["errors"] >= 1
    assert sri_entry["findings"][0]["sheet"] == "Fuel"
    assert sri_entry["outputs"]["annotated"] == "SRI/annotated.xlsx"
    assert sri_entry["outputs"]["report_html"] is None
    assert len(sri_entry["sha256"]) == 64
    assert by_id["SRE"]["figures"]["scope1_tco2e"] > 0
    assert by_id["SRX"]["file"] is None
    assert board["counts"] == {"valid": 2, "valid_with_warnings": 0, "invalid": 1,
                               "unreadable": 1, "missing": 1, "unexpected": 1}
    assert sorted(f["code"] for f in board["group"]["findings"]) == [
        "entity-missing", "entity-not-in-roster"]

    # --- status.html: parsed, one row per line, sortable, nothing fetched
    soup = BeautifulSoup((out / "status.html").read_text(), "html.parser")
    rows = soup.select("table#status tbody tr")
    assert {(r["data-entity"] or None, r["data-state"]) for r in rows} == set(expected.items())
    assert all(th.get("data-type") for th in soup.select("table#status th"))
    assert not soup.select("script[src], link[href], img[src]")
    sri_row = soup.select_one('tr[data-entity="SRI"]')
    assert sri_row is not None
    assert sri_row.select_one('a[href="SRI/annotated.xlsx"]') is not None
    assert "entity-missing" in soup.select_one("table#group-findings").get_text()
    # people read labels, not ids (the ids stay in data-state and in status.json)
    cells = {r["data-entity"] or None: [c.get_text(" ", strip=True) for c in r.find_all("td")]
             for r in rows}
    assert cells["SRI"][0].endswith("Subsidiary")
    assert cells["SRI"][3] == "Invalid"
    assert cells["SRZ"][0].endswith("Not on the roster")
    assert cells["SRZ"][3] == "Unexpected"
    assert cells[None][:4] == ["— Entity not identified", "broken.xlsx",
                               by_id[None]["sha256"][:12], "Unreadable"]
    assert cells["CSIG"][0].endswith("Parent")
    counts = soup.select_one("#counts").get_text(" ", strip=True)
    assert counts == ("Valid: 2 Valid with warnings: 0 Invalid: 1 Unreadable: 1 "
                      "Missing: 1 Unexpected: 1")
    assert "Consolidation approach: Equity share ·" in soup.get_text(" ")
    assert "equity_share" not in soup.get_text()
    group_findings = [[c.get_text() for c in r.find_all("td")]
                      for r in soup.select("table#group-findings tbody tr")]
    assert sorted((r[2], r[3]) for r in group_findings) == [
        ("Error", "entity-missing"), ("Warning", "entity-not-in-roster")]
    assert soup.select_one("#languages") is None  # one language: no other page to link

    # --- status.xlsx: one sheet per state, a link to each annotated workbook
    book = load_workbook(out / "status.xlsx")
    for state in ("valid", "valid_with_warnings", "invalid", "unreadable", "missing",
                  "unexpected"):
        assert state in book.sheetnames

    def column_a(sheet: str) -> list[object]:
        return [row[0].value for row in book[sheet].iter_rows(min_row=2)]
    assert column_a("invalid") == ["SRI"]
    assert column_a("missing") == ["SRX"]
    assert column_a("unexpected") == ["SRZ"]
    assert [row[3].value for row in book["unreadable"].iter_rows(min_row=2)] == ["broken.xlsx"]
    assert sorted(column_a("valid")) == ["CSIG", "SRE"]
    link = book["invalid"].cell(2, 14)
    assert link.value == "SRI/annotated.xlsx"
    assert link.hyperlink.target == "SRI/annotated.xlsx"
    # the lines by their labels; the sheets keep the states' ids (scripts open them by name)
    assert [c.value for c in book["invalid"][2]][:8] == [
        "SRI", "Silk Road Infrastructure Co., Ltd.", "Subsidiary", "sri.xlsx",
        sri_entry["sha256"], "Invalid", 1, 0]
    assert book["unexpected"].cell(2, 3).value == "Not on the roster"
    # the group_findings sheet keeps ids and codes (scripts read it), one row per finding
    assert sorted((r[0], r[2], r[3]) for r in book["group_findings"].iter_rows(
        min_row=2, values_only=True)) == [("SRX", "error", "entity-missing"),
                                          ("SRZ", "warning", "entity-not-in-roster")]

    # --- the group report: built from the valid ones, says what is not included
    group = json.loads((out / "group/results.json").read_text())
    assert {(i["entity_id"], i["state"]) for i in group["inputs"]} == set(expected.items())
    assert [e["entity_id"] for e in group["by_entity"]] == ["CSIG", "SRE"]
    sre_own = json.loads((out / "SRE/results.json").read_text())
    csig_own = json.loads((out / "CSIG/results.json").read_text())
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(
        csig_own["ghg"]["scope1_tco2e"] + sre_own["ghg"]["scope1_tco2e"], rel=1e-9)
    cover = BeautifulSoup((out / "group/report.html").read_text(), "html.parser")
    note = cover.select_one("#cover-submissions").get_text(" ", strip=True)
    assert "SRI" in note
    assert "SRX" in note
    assert "SRZ" in note
    # valid ones still build; the unexpected one gets its own report, not the group's
    for path in ("CSIG/report.html", "SRE/report.html", "SRZ/report.html",
                 "SRI/annotated.xlsx"):
        assert (out / path).is_file(), path
    assert not (out / "SRI" / "report.html").exists()
    annotated = load_workbook(out / "SRI/annotated.xlsx")
    assert annotated.sheetnames[0] == "Findings"


def test_status_html_escapes_what_workbooks_say() -> None:
    from envreport.batch.status import STATES, render_status_html

    evil = '<script>alert("x")</script>'
    figures = dict.fromkeys(("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e",
                             "energy_gj"))
    data = {
        "tool_version": "0", "parent": {"entity_id": evil, "file": evil},
        "consolidation_approach": "equity_share", "period": {"start": None, "end": None},
        "counts": dict.fromkeys(STATES, 0),
        "group": {"built": False, "build_failure": None, "figures": figures,
                  "findings": [{"entity_id": evil, "file": evil, "severity": "error",
                                "code": "entity-missing", "sheet": None, "cell": None,
                                "message": evil}]},
        "entities": [{"entity_id": evil, "entity_name": evil, "role": "subsidiary",
                      "file": evil, "sha256": None, "state": "invalid", "errors": 1,
                      "warnings": 0, "figures": figures, "build_failure": None,
                      "findings": [{"code": "x", "sheet": evil, "cell": "A1",
                                    "message": evil}],
                      "outputs": {"report_html": None, "annotated": None}}],
    }
    html = render_status_html(data)
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1  # only the board's own sort script
    assert evil in soup.select_one("table#status").get_text()


def test_batch_help_documents_the_layout() -> None:
    result = CliRunner().invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    for text in ("status.html", "annotated.xlsx", "group/report", "--workers", "reserved"):
        assert text in result.output


def test_status_board_reconciles_each_entity_with_the_group_total(tmp_path: Path) -> None:
    """The board's group table: each entity after its share, and a total row that is the group
    report's own figure (SRI at 70 %: its own Scope 1 times 0.7)."""
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", "sample_inputs/group", "-o", str(out),
                                      "--no-pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    board = json.loads((out / "status.json").read_text(encoding="utf-8"))
    sri_own = next(e for e in board["entities"] if e["entity_id"] == "SRI")
    sri_group = next(e for e in board["group"]["by_entity"] if e["entity_id"] == "SRI")
    assert sri_group["share"] == 0.7
    assert sri_group["scope1_tco2e"] == pytest.approx(0.7 * sri_own["figures"]["scope1_tco2e"])
    total = sum(e["scope1_tco2e"] for e in board["group"]["by_entity"])
    assert total == pytest.approx(board["group"]["figures"]["scope1_tco2e"])
    soup = BeautifulSoup((out / "status.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find("table", id="group-reconciliation")
    rows = {r.find(["td", "th"]).get_text(): [c.get_text() for c in r.find_all(["td", "th"])]
            for r in table.find_all("tr")[1:]}
    assert rows["SRI"][1] == "70 %"
    assert rows["SRI"][2] == f"{round(sri_group['scope1_tco2e']):,}"
    assert rows["Group total"][2] == f"{round(board['group']['figures']['scope1_tco2e']):,}"
    # --- the parent asks for English and Chinese: a board page in each, linked both ways
    assert board["languages"] == ["en", "zh"]
    assert board["group"]["reports"] == {"en": "group/report.en.html",
                                         "zh": "group/report.zh.html"}
    assert sri_own["outputs"]["reports"] == {"en": "SRI/report.en.html",
                                             "zh": "SRI/report.zh.html"}
    assert [(a["href"], a.get_text()) for a in soup.select("#languages a")] == [
        ("status.zh.html", "中文")]
    assert [(a["href"], a.get_text()) for a in soup.select("a.group-report")] == [
        ("group/report.en.html", "English"), ("group/report.zh.html", "Chinese")]
    zh = BeautifulSoup((out / "status.zh.html").read_text(encoding="utf-8"), "html.parser")
    assert zh.html["lang"] == "zh-Hans"
    assert zh.h1.get_text() == "报送状态"
    assert [(a["href"], a.get_text()) for a in zh.select("#languages a")] == [
        ("status.html", "English")]
    # the page's own language first
    assert [(a["href"], a.get_text()) for a in zh.select("a.group-report")] == [
        ("group/report.zh.html", "中文"), ("group/report.en.html", "英文")]
    # no space after the Chinese colon (was "集团报告： 中文 · 英文")
    assert zh.select_one("#group-built").get_text() == "集团报告：中文 · 英文"
    assert soup.select_one("#group-built").get_text() == "Group report: English · Chinese"
    sri_row = zh.select_one('tr[data-entity="SRI"]')
    assert sri_row["data-state"] == "valid"  # the id stays where scripts look
    sri_cells = [c.get_text(" ", strip=True) for c in sri_row.find_all("td")]
    assert sri_cells[0] == "SRI 丝路基础设施有限公司 子公司"  # the Chinese name, its role
    assert sri_own["entity_name_zh"] == "丝路基础设施有限公司"
    english_sri = soup.select_one('tr[data-entity="SRI"]').find("td").get_text(" ", strip=True)
    assert english_sri == "SRI Silk Road Infrastructure Co., Ltd. Subsidiary"
    assert sri_cells[3] == "有效"
    assert [a.get_text() for a in sri_row.select("a.report")] == ["报告（中文）", "报告（英文）"]
    assert [a["href"] for a in sri_row.select("a.report")] == ["SRI/report.zh.html",
                                                               "SRI/report.en.html"]
    # a range as Chinese writes it (was 2024-01-01 – 2024-12-31)
    assert ("母公司：CSIG（parent.xlsx） · 合并方法：股权比例法 · "
            "报告期：2024-01-01至2024-12-31") in zh.get_text()
    assert ("Parent: CSIG (parent.xlsx) · Consolidation approach: Equity share · Reporting "
            "period: 2024-01-01 – 2024-12-31") in soup.get_text()
    assert zh.select_one("#counts").get_text(" ", strip=True) == (
        "有效： 3 有效（有警告）： 0 无效： 0 无法读取： 0 缺失： 0 名单外： 0")
    zh_rows = {r.find(["td", "th"]).get_text(): [c.get_text() for c in r.find_all(["td", "th"])]
               for r in zh.find("table", id="group-reconciliation").find_all("tr")[1:]}
    assert zh_rows["集团合计"][2] == rows["Group total"][2]
    # 主体, the board's own column and the reports' word for an entity (was 各实体)
    assert "合并至集团：各主体按适用比例计入后的数据" in zh.get_text()
    assert "吨二氧化碳当量" in zh.find("table", id="group-reconciliation").thead.get_text()
    # the group's figures: a number against its Chinese unit, a Latin symbol spaced
    scope1 = rows["Group total"][2]
    assert zh.select_one("#group-figures").get_text().startswith(
        f"范围一：{scope1}吨二氧化碳当量 ·")
    assert soup.select_one("#group-figures").get_text().startswith(
        f"Scope 1: {scope1} tCO2e ·")
    book = load_workbook(out / "status.zh.xlsx")
    assert book.sheetnames[:2] == ["all", "valid"]
    header = [c.value for c in book["all"][1]]
    assert header[:8] == ["主体", "名称", "角色", "文件", "SHA-256", "状态", "错误", "警告"]
    sri_line = next(r for r in book["all"].iter_rows(min_row=2, values_only=True)
                    if r[0] == "SRI")
    assert (sri_line[1], sri_line[2], sri_line[5], sri_line[14]) == (
        "丝路基础设施有限公司", "子公司", "有效", "SRI/report.zh.html")
    english = next(r for r in load_workbook(out / "status.xlsx")["all"].iter_rows(
        min_row=2, values_only=True) if r[0] == "SRI")
    assert (english[2], english[5], english[14]) == ("Subsidiary", "Valid", "SRI/report.en.html")


def test_every_text_of_the_status_board_has_a_chinese_translation() -> None:
    from babel.messages.extract import extract_from_file

    from envreport.batch.status import _COLUMNS, _LABELS, SENTENCES
    from envreport.i18n import missing_translations
    from tests.conftest import ROOT

    found: set[str] = {*_COLUMNS, *SENTENCES}
    for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract", str(ROOT / "templates" / "status" / "status.html"),
            keywords={"_": None}, options={"extensions": "jinja2.ext.i18n"}):
        found.add(message if isinstance(message, str) else message[0])
    for table in _LABELS.values():
        found |= set(table.values())
    assert {"Submission status", "report (%(language)s)", "Valid with warnings",
            "Not on the roster", "Equity share"} <= found
    assert missing_translations(sorted(found), "zh") == []


def test_an_interrupted_boards_banner_in_chinese() -> None:
    from envreport.batch.status import render_status_html

    data = _board([], dict.fromkeys(FIGURES), {}, languages=["en", "zh"], complete=False,
                  not_done=["sre.xlsx", "group"], consolidation_approach="operational_control",
                  period={"start": "2024-01-01", "end": "2024-12-31"})
    zh = BeautifulSoup(render_status_html(data, "zh"), "html.parser")
    assert zh.select_one("#incomplete").get_text() == (
        "不完整：批处理未完成即已停止。再次运行同一命令即可完成。未完成：sre.xlsx、集团报告")
    assert "合并方法：运营控制法" in zh.get_text()
    assert [(a["href"], a.get_text()) for a in zh.select("#languages a")] == [
        ("status.html", "English")]
    en = BeautifulSoup(render_status_html(data, "en"), "html.parser")
    assert en.select_one("#incomplete").get_text() == (
        "Incomplete: the batch stopped before it finished. Run the same command again to "
        "complete it. Not done: sre.xlsx, Group report")


def test_chinese_board_keeps_its_headings_and_entity_names_whole() -> None:
    """In a 1280-px window the Chinese board printed 错/误 and 警/告 over its narrow columns of
    counts and 丝路能源有限公/司 under SRE: its headings and the names under the ids break
    only at a bracket or a space (keep-all: the board is read in a browser, never printed)."""
    from envreport.batch.status import render_status_html

    figures = dict.fromkeys(FIGURES, 1.0)
    data = _board([_entity(figures, entity_name_zh="丝路能源有限公司")], figures, {})
    zh = BeautifulSoup(render_status_html(data, "zh"), "html.parser")
    assert ":lang(zh) th, :lang(zh) td.entity small { word-break: keep-all; }" in (
        zh.find("style").get_text())
    assert zh.find("html")["lang"] == "zh-Hans"
    heads = [th.get_text() for th in zh.select("table#status thead th")]
    assert heads[4:6] == ["错误", "警告"]
    entity = zh.select_one("table#status tbody td.entity")
    assert [s.get_text() for s in entity.find_all("small")] == ["丝路能源有限公司", "子公司"]


def test_every_table_of_the_board_scrolls_in_its_own_box_on_a_phone() -> None:
    """At 390 px the board was 1047 px wide (1165 in Chinese): its tables had no box of their
    own. Each of the three now sits in one that scrolls sideways on screen."""
    from envreport.batch.status import render_status_html

    figures = dict.fromkeys(FIGURES, 1.0)
    finding = {"entity_id": "SREA", "file": "x.xlsx", "severity": "warning",
               "code": "entity-not-in-roster", "sheet": "Organization", "cell": None,
               "message": "not on the roster"}
    data = _board([_entity(figures)], figures, {
        "built": True, "report_html": "group/report.html", "findings": [finding],
        "by_entity": [{"entity_id": "SRE", "share": 1.0, **figures}]})
    for lang in ("en", "zh"):
        soup = BeautifulSoup(render_status_html(data, lang), "html.parser")
        tables = soup.find_all("table")
        assert [(t["id"], t.parent.name, t.parent.get("class")) for t in tables] == [
            ("group-reconciliation", "div", ["table-wrap"]),
            ("group-findings", "div", ["table-wrap"]),
            ("status", "div", ["table-wrap"])]
        style = soup.find("style").get_text()
        assert "@media screen {\n  .table-wrap { overflow-x: auto; }" in style
        # on a phone a caption wraps to the window and stays in view as its table scrolls
        phone = style[style.index("@media (max-width: 40rem)"):]
        assert "caption { position: sticky; left: 0; max-width: calc(100vw - 2.75rem); }" in phone


def test_the_xlsx_boards_first_findings_are_at_their_places(tmp_path: Path) -> None:
    """status.xlsx listed a finding about a sheet as "Subsidiaries!: …" and the file's own as
    " !: …", and in Chinese with an English colon (walked as a new user, r15): each is now at
    its place as the page gives it, the sheet, !cell when there is one, in the board's
    language."""
    from envreport.batch.status import write_status_xlsx

    figures = dict.fromkeys(FIGURES)
    findings = [
        {"severity": "error", "code": "entity-missing", "sheet": "Subsidiaries", "cell": None,
         "message": "SRE is on the Subsidiaries sheet but no workbook was submitted."},
        {"severity": "error", "code": "value-out-of-range", "sheet": "Fuel", "cell": "E4",
         "message": "quantity must be ≥ 0, got -5."},
        {"severity": "error", "code": "unreadable-file", "sheet": None, "cell": None,
         "message": "x.xlsx cannot be read as a workbook"}]
    data = _board([_entity(figures, state="invalid", findings=findings)], figures, {})
    for lang, colon in (("en", ": "), ("zh", "：")):
        book = load_workbook(write_status_xlsx(data, tmp_path / f"status.{lang}.xlsx", lang))
        assert book["all"].cell(2, 13).value.split("\n") == [
            f"entity-missing Subsidiaries{colon}SRE is on the Subsidiaries sheet but no "
            "workbook was submitted.",
            f"value-out-of-range Fuel!E4{colon}quantity must be ≥ 0, got -5.",
            f"unreadable-file{colon}x.xlsx cannot be read as a workbook"]


def test_a_failed_build_reads_in_the_boards_language_its_error_a_technical_detail() -> None:
    # the board showed a member's failed build as the exception's text alone, in English on
    # status.zh.html too ("ValueError: boom"); now a sentence in the board's language, the
    # text after it labelled as a technical detail. status.json keeps build_failure as is.
    from envreport.batch.status import render_status_html

    figures = dict.fromkeys(FIGURES)
    data = _board([_entity(figures, build_failure="ValueError: boom")], figures,
                  {"build_failure": "it took more than 600 s; stopped"})
    for lang, member, group in (
            ("en", "The report could not be built. Technical detail: ValueError: boom",
             "No group report was built. Reason: it took more than 600 s; stopped"),
            ("zh", "报告未能生成。技术细节：ValueError: boom",
             "未生成集团报告。原因：用时超过600秒，已停止")):
        soup = BeautifulSoup(render_status_html(data, lang), "html.parser")
        assert soup.select_one("tr p.build-failure").get_text() == member
        assert soup.select_one("#group-not-built").get_text() == group
        # the exception's text a technical detail; the batch's own reason is not one
        label = "Technical detail: " if lang == "en" else "技术细节："
        assert [s.get_text() for s in soup.select(".technical")] == [label + "ValueError: boom"]


def test_a_group_figure_not_reported_is_said_without_its_unit() -> None:
    # the group's line on the board read "Scope 2, market-based: Not reported tCO2e" (未报告吨
    # 二氧化碳当量) where the group has no market-based figure, as the key figures did (r17)
    from envreport.batch.status import render_status_html

    figures = {"scope1_tco2e": 1200.0, "scope2_location_tco2e": 30.5,
               "scope2_market_tco2e": None, "energy_gj": 7.25}
    data = _board([_entity(figures)], figures, {
        "built": True, "report_html": "group/report.html",
        "by_entity": [{"entity_id": "SRE", "share": 1.0, **figures}]})
    for lang, line in (
            ("en", "Scope 1: 1,200 tCO2e · Scope 2, location-based: 30.5 tCO2e · Scope 2, "
                   "market-based: Not reported · Energy: 7.2 GJ"),
            ("zh", "范围一：1,200吨二氧化碳当量 · 范围二（基于位置）：30.5吨二氧化碳当量 · "
                   "范围二（基于市场）：未报告 · 能源：7.2吉焦")):
        soup = BeautifulSoup(render_status_html(data, lang), "html.parser")
        assert " ".join(soup.select_one("#group-figures").get_text().split()) == line


def test_a_members_failed_build_beside_a_built_group_report_is_on_the_board() -> None:
    # the label's macro was defined in the branch of a group not built: with the group
    # built, a member's failed report made the board itself fail ('technical' is undefined)
    from envreport.batch.status import render_status_html

    figures = {"scope1_tco2e": 1.0, "scope2_location_tco2e": 2.0, "scope2_market_tco2e": 3.0,
               "energy_gj": 4.0}
    data = _board([_entity(figures, build_failure="ValueError: boom")], figures,
                  {"built": True, "report_html": "group/report.en.html", "reports": {},
                   "by_entity": []})
    for lang, member in (("en", "The report could not be built. Technical detail: "
                                "ValueError: boom"),
                         ("zh", "报告未能生成。技术细节：ValueError: boom")):
        soup = BeautifulSoup(render_status_html(data, lang), "html.parser")
        assert soup.select_one("#group-built a.group-report")["href"] == "group/report.en.html"
        assert soup.select_one("tr p.build-failure").get_text() == member


def test_a_valid_members_failed_build_says_its_figures_were_not_computed(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A valid member whose report failed to build showed "Not reported" (未报告) in its figure
    columns, as if its workbook held none, and status.xlsx did not show the failure at all
    (r18): the page and the sheet now say the report was not built, and why."""
    from tests.test_batch_limits import fail_to_compute, member

    inputs = tmp_path / "in"
    member(inputs, "SRE")
    member(inputs, "SRI")
    fail_to_compute(monkeypatch, "SRE.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "--no-pdf",
                                      "--quiet", "-j", "1", "--lang", "en,zh"])
    assert result.exit_code == 1, result.output
    data = json.loads((out / "status.json").read_text())
    sre = next(e for e in data["entities"] if e["entity_id"] == "SRE")
    assert (sre["state"], sre["build_failure"], sre["figures"]) == (
        "valid", "ValueError: boom", dict.fromkeys(FIGURES))
    sri = next(e for e in data["entities"] if e["entity_id"] == "SRI")
    assert sri["build_failure"] is None
    for lang, page, sheet, not_built, why in (
            ("en", "status.html", "status.xlsx", "Report not built",
             "The report could not be built. Technical detail: ValueError: boom"),
            ("zh", "status.zh.html", "status.zh.xlsx", "报告未生成",
             "报告未能生成。技术细节：ValueError: boom")):
        soup = BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")
        cells = soup.select_one('tr[data-entity="SRE"]')("td", class_="n")[2:]
        assert [c.get_text() for c in cells] == [not_built] * 4
        assert [c["class"] for c in cells] == [["n", "not-built"]] * 4
        assert soup.select_one('tr[data-entity="SRE"] p.build-failure').get_text() == why
        # the member whose report was built, without Scope 2 data: "Not reported" there
        reported = "Not reported" if lang == "en" else "未报告"
        assert [c.get_text() for c in soup.select_one(
            'tr[data-entity="SRI"]')("td", class_="n")[3:]] == [reported, reported, "47.7"]
        ws = load_workbook(out / sheet)["all"]
        lines = {row[0].value: row for row in ws.iter_rows(min_row=2)}
        assert [c.value for c in lines["SRE"][8:12]] == [not_built] * 4
        assert lines["SRE"][15].value == why
        assert lines["SRI"][15].value is None
        # SRI has no Electricity sheet: its Scope 2 is not reported (blank in the sheet);
        # its energy 1 000 + 1 200 L of diesel in a 60 % owned project, 1 320 L × 0.84 kg/L
        # × 43.0 GJ/t = 47.6784 GJ
        assert [c.value for c in lines["SRI"][9:12]] == [None, None, 47.6784]
        assert ws["P1"].value == ("Not written" if lang == "en" else "未写入")


def test_the_xlsx_board_says_a_refused_annotated_copy_as_text(tmp_path: Path) -> None:
    """status.xlsx showed no refused annotated copy: its column P now says it, and a failure's
    text is a text cell, never a live formula (an exception may quote a workbook's cell)."""
    from envreport.batch import reasons
    from envreport.batch.status import write_status_xlsx

    figures = {"scope1_tco2e": 1.5, "scope2_location_tco2e": 2.0,
               "scope2_market_tco2e": None, "energy_gj": 4.0}
    data = _board([_entity(figures, annotate_failure="=HYPERLINK(\"x\") BadZipFile"),
                   _entity(figures, entity_id="SRI",
                           annotate_failure=reasons.TIMED_OUT.format(seconds="600"))],
                  figures, {})
    for lang, technical, timed_out in (
            ("en", "No annotated copy was written. Technical detail: =HYPERLINK(\"x\") "
                   "BadZipFile",
             "No annotated copy was written. Reason: it took more than 600 s; stopped"),
            ("zh", "未写入批注副本。技术细节：=HYPERLINK(\"x\") BadZipFile",
             "未写入批注副本。原因：用时超过600秒，已停止")):
        ws = load_workbook(write_status_xlsx(data, tmp_path / f"s.{lang}.xlsx", lang))["all"]
        assert [(ws.cell(row, 16).value, ws.cell(row, 16).data_type) for row in (2, 3)] == [
            (technical, "s"), (timed_out, "s")]
        # a report built: its figures as they are, a figure it has not blank
        assert [ws.cell(2, col).value for col in range(9, 13)] == [1.5, 2, None, 4]
        # column P is filtered and wide enough for a sentence, like the others
        assert (ws.auto_filter.ref, ws.column_dimensions["P"].width) == ("A1:P3", 50)
