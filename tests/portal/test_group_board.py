"""The admin's downloadable status board lists the entities the portal's board page lists.

The seeded ledger knows CSIG (the parent, no submission yet), SRE, SREA and SRI (no
submission). The group build found only the current submission (SRE's): its board
(status.json, .html, .xlsx) had one line while the board page had four. Both now list
``service.board_entities``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from envreport.ledger import Ledger
from envreport.portal import service
from envreport.portal.access import Principal
from envreport.portal.jobs import build_group
from tests.portal.support import PASSWORDS, Seeded, login


@contextmanager
def selects() -> Iterator[list[tuple[str, str]]]:
    """Each SELECT of any engine while open, in order: the table it reads first (its FROM)
    and the statement, white space folded."""
    read: list[tuple[str, str]] = []

    def note(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        folded = " ".join(statement.split())
        found = re.match(r"SELECT .*? FROM (\w+)", folded)
        if found:
            read.append((found.group(1), folded))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield read
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def test_one_board_view_reads_the_submissions_once(clients: dict[str, TestClient]) -> None:
    # the period's submissions were read twice (the rows' states, then the current ones
    # whose rosters name entities) and each one's reviews in a query of its own; the
    # session's user was found among every account read with its entities
    with selects() as read:
        page = clients["aud"].get("/board?period=2024")
    assert page.status_code == 200
    assert [table for table, _statement in read] == [
        "users", "user_entities", "period_events",  # the session's user, the periods
        "submissions", "reviews",  # the period's submissions, their reviews
        "submissions", "entities",  # the entities, with their Chinese names
        "rows_subsidiaries"]  # the rosters of the current submissions
    assert [statement.split(" WHERE ")[1] for _table, statement in read[:2]] == [
        "users.name = ?", "user_entities.user_name = ? ORDER BY user_entities.entity_id"]
    soup = BeautifulSoup(page.text, "html.parser")
    assert [tr["data-entity"] for tr in soup.select("tr[data-entity]")] == [
        "CSIG", "SRE", "SREA", "SRI"]
    assert [o["value"] for o in soup.select("select[name=entity] option")] == [
        "", "CSIG", "SRE", "SREA", "SRI"]


def test_the_downloadable_board_lists_the_board_pages_entities(seeded: Seeded,
                                                               tmp_path: Path) -> None:
    with Ledger(seeded.url) as ledger:
        page = service.board(ledger, Principal("adm", "admin"), 2024)
    with selects() as read:
        outcome = build_group(seeded.url, 2024, str(tmp_path / "2024"), "adm")
    # the period's submissions read once: the board's entities and the files built
    assert [table for table, _statement in read].count("submissions") == 2  # and the names
    assert outcome["built"] is False  # no parent has submitted: no group report yet
    # the status board links its members' reports beside it: downloaded alone, its links
    # were dead; the zip holds the folder as the board links it
    with zipfile.ZipFile(tmp_path / "2024" / "reports.zip") as bundle:
        zipped = bundle.namelist()
    on_disk = sorted(p.relative_to(tmp_path / "2024").as_posix()
                     for p in (tmp_path / "2024").rglob("*") if p.is_file())
    assert zipped == [name for name in on_disk if name != "reports.zip"]
    linked = set(re.findall(r'href="([^"#][^"]*)"', (tmp_path / "2024" / "status.html")
                            .read_text(encoding="utf-8")))
    assert {"SRE/report.en.html", "status.zh.html"} <= linked <= set(zipped)
    board = json.loads((tmp_path / "2024" / "status.json").read_text(encoding="utf-8"))
    downloaded = {e["entity_id"]: e["state"] for e in board["entities"]}
    assert {r["entity_id"]: r["state"] for r in page["rows"]} == {
        "CSIG": "missing", "SRE": "valid", "SREA": "invalid", "SRI": "missing"}
    # the same entities; SREA's rejected workbook is not current in the ledger, so the group
    # build (current submissions only) has no file of it: missing there, invalid on the page
    assert downloaded == {"CSIG": "missing", "SRE": "valid", "SREA": "missing",
                          "SRI": "missing"}
    assert [e["entity_id"] for e in board["entities"]] == ["SRE", "CSIG", "SREA", "SRI"]
    assert [(e["role"], e["errors"], e["findings"]) for e in board["entities"][1:]] == [
        ("subsidiary", 0, [])] * 3  # no parent, no roster: nothing the group needs
    names = {e["entity_id"]: e["entity_name"] for e in board["entities"]}
    assert names["SRI"] == "Silk Road Infrastructure"  # the portal's name for it


def test_a_roster_entity_the_portal_does_not_know_is_on_both_boards(
        seeded_once: tuple[Path, Seeded], tmp_path: Path) -> None:
    # CSIG's 2024 workbook lists SRX on its roster, an entity nobody added to the portal:
    # the group build's board lists it as missing (entity-missing), so the board page does
    # too, with the roster's name and CSIG as its parent
    from envreport.batch import KnownEntity
    from envreport.batch.plan import make_plan
    from tests.conftest import SAMPLES
    from tests.portal.conftest import copy_of_seed
    from tests.test_batch_support import edit_workbook, inspect_all

    seeded = copy_of_seed(seeded_once, tmp_path)
    parent = edit_workbook(SAMPLES / "group" / "parent.xlsx", tmp_path / "parent.xlsx",
                           append_rows={"Subsidiaries": [{
                               "entity_id": "SRX", "entity_name": "Silk Road Express",
                               "ownership_pct": 51, "operational_control": "yes",
                               "financial_control": "yes"}]})
    with Ledger(seeded.url) as ledger:
        assert ledger.record(parent, by="test").valid
        page = service.board(ledger, Principal("adm", "admin"), 2024)
        listed = service.board_entities(ledger, ledger.submissions(period=2024))
    rows = {r["entity_id"]: (r["name"], r["parent_id"], r["state"]) for r in page["rows"]}
    assert rows == {"CSIG": ("China Silk Road Infrastructure Group", None, "valid"),
                    "SRE": ("Silk Road Energy", "CSIG", "valid"),
                    "SREA": ("Silk Road East Africa <b>&</b>", "CSIG", "invalid"),
                    "SRI": ("Silk Road Infrastructure", "CSIG", "missing"),
                    "SRX": ("Silk Road Express", "CSIG", "missing")}
    # the group build's plan over the current submissions (CSIG's and SRE's files), with
    # the same list as its known entities: the same five entities
    plan = make_plan(inspect_all([parent, SAMPLES / "group" / "sre.xlsx"], tmp_path / "s"),
                     [KnownEntity(e["entity_id"], e["name"], e["name_zh"]) for e in listed])
    assert {e.entity_id: e.state for e in plan.entries} == {
        "CSIG": "valid", "SRE": "valid", "SREA": "missing", "SRI": "missing", "SRX": "missing"}


def test_the_admin_page_says_why_no_group_report_was_built(
        seeded: Seeded, clients: dict[str, TestClient], tmp_path: Path) -> None:
    # The seeded 2024 has no parent submission (no Subsidiaries sheet): the admin page said
    # "No group report was built." and no more; the reason was only inside status.json.
    outcome = build_group(seeded.url, 2024, str(tmp_path / "2024"), "adm")
    assert outcome["built"] is False
    assert outcome["reasons"] == {
        "en": ["None of the inputs has a Subsidiaries sheet, so there is no group to "
               "consolidate."],
        "zh": ["所有输入文件均没有“子公司”工作表，因此没有可合并的集团。"]}
    admin = clients["adm"]
    admin.app.state.portal.last_build[2024] = outcome
    try:
        for lang, said in (
                ("en", "No group report was built. None of the inputs has a Subsidiaries "
                       "sheet, so there is no group to consolidate."),
                ("zh", "未生成集团报告。所有输入文件均没有“子公司”工作表，因此没有可合并的集团。")):
            page = BeautifulSoup(admin.get(f"/admin?lang={lang}").text, "html.parser")
            assert [p.get_text() for p in page.select("#reports p.alert")] == [said]
    finally:
        del admin.app.state.portal.last_build[2024]


def test_the_api_says_why_no_group_report_was_built(tokens: dict[str, str],
                                                     clients: dict[str, TestClient]) -> None:
    # 409 said "No group report was built: " and nothing after the colon; a year that is no
    # period was a 409 too, where the admin page's Build answers 404
    api = clients["anon"]
    answer = api.post("/api/v1/reports/2024",
                      headers={"authorization": f"Bearer {tokens['adm']}"})
    assert (answer.status_code, answer.json()) == (409, {"detail": (
        "No group report was built: None of the inputs has a Subsidiaries sheet, so there is "
        "no group to consolidate.")})
    answer = api.post("/api/v1/reports/2022",
                      headers={"authorization": f"Bearer {tokens['adm']}"})
    assert (answer.status_code, answer.json()) == (404, {"detail": "No such period."})


def test_the_audit_page_says_why_no_group_report_was_built_in_its_language(
        fresh: tuple[TestClient, Seeded]) -> None:
    # r16: 审计日志 showed a build's reasons as stored, "en ['None of the inputs …'] 和 zh
    # [...]", and a period without a submission's in English ("no workbooks …"): both are
    # stored in each language and read in the page's
    client, _seeded = fresh
    token = client.post("/api/v1/token", json={"username": "adm", "password": PASSWORDS["adm"]})
    bearer = {"authorization": f"Bearer {token.json()['token']}"}
    for year in (2023, 2024):  # 2023: no submission; 2024: no parent's
        assert client.post(f"/api/v1/reports/{year}", headers=bearer).status_code == 409
    login(client, "adm")

    def details(lang: str) -> list[str]:
        page = BeautifulSoup(client.get(f"/admin/audit?lang={lang}").text, "html.parser")
        return [row.select("td")[3].get_text() for row in page.select("#audit tbody tr")
                if row["data-action"] == "report_build"]

    assert details("zh") == [
        "报告期：2024；已生成：否；各状态报送数：有效1和缺失3；"
        "原因：所有输入文件均没有“子公司”工作表，因此没有可合并的集团。",
        "报告期：2023；已生成：否；原因：输入中没有工作簿（*.xlsx、*.xlsm、*.ods）"]
    assert details("en") == [
        "Reporting period: 2024; Built: No; Submissions by state: Valid 1 and Missing 3; "
        "Reason: None of the inputs has a Subsidiaries sheet, so there is no "
        "group to consolidate.",
        "Reporting period: 2023; Built: No; Reason: no workbooks (*.xlsx, *.xlsm, "
        "*.ods) among the inputs"]
