"""The three journeys over HTTP: submitter, auditor, admin, and the same through the API."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from envreport.ledger import Ledger
from envreport.portal.web import XLSX
from envreport.schema import sheet_heading
from tests.conftest import ROOT, validate_file
from tests.portal.support import (
    FAULTY,
    PASSWORDS,
    Seeded,
    corrected_workbook,
    csrf_of,
    login,
    upload,
)


def _upload(client: TestClient, path: Path, name: str | None = None) -> str:
    answer = upload(client, name or path.name, path.read_bytes(), follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    return str(answer.headers["location"])


def _findings(html: str) -> dict[str, list[tuple[str, str]]]:
    """sheet → [(cell, code)] as the page groups them."""
    soup = BeautifulSoup(html, "html.parser")
    groups: dict[str, list[tuple[str, str]]] = {}
    for heading in soup.select("#findings h3"):
        table = heading.find_next("table")
        groups[heading.get_text(strip=True)] = [
            (row["data-cell"], row["data-code"]) for row in table.select("tbody tr")]
    return groups


def test_submitter_journey(fresh: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    client, seeded = fresh
    login(client, "sub")

    template = client.get("/entities/SREA/template")
    organization = load_workbook(io.BytesIO(template.content))["Organization"]
    values = {row[0].value: row[1].value for row in organization.iter_rows(min_row=2)}
    assert values["entity_id"] == "SREA"
    assert values["organization_name"] == "Silk Road East Africa <b>&</b>"
    assert values["parent_entity_id"] == "CSIG"
    assert values["reporting_period_start"] == datetime(2024, 1, 1)
    assert values["reporting_period_end"] == datetime(2024, 12, 31)
    # the Chinese template: Chinese tabs (机构信息 is Organization), prefilled the same way
    chinese = load_workbook(io.BytesIO(client.get("/entities/SREA/template?lang=zh").content))
    assert "Organization" not in chinese.sheetnames
    labels = {row[0].value: row[1].value for row in chinese["机构信息"].iter_rows(min_row=2)}
    assert labels["主体编号"] == "SREA"

    page_url = _upload(client, FAULTY)
    page = client.get(page_url).text
    groups = _findings(page)
    # every finding of the library's validation, at its cell, grouped by sheet in order
    library = validate_file(FAULTY).findings
    expected: dict[str, list[tuple[str, str]]] = {}
    for sheet, cell, code in library.flatten():
        expected.setdefault(sheet, []).append((cell or "", code))
    assert groups == expected
    assert groups["Projects"] == [("A5", "project-duplicate"), ("D6", "country-unknown"),
                                  ("O7", "eia-approval-date-missing")]
    assert groups["Fuel"][:3] == [("J1", "column-unknown"), ("E7", "value-outlier"),
                                  ("E16", "value-out-of-range")]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("#error-count").get_text() == str(len(library.errors))
    first = soup.select_one("#findings tbody tr")
    assert library.items[0].message("en") in first.get_text()
    assert "EA-RAIL-01" in first.get_text()

    chinese = client.get(page_url + "?lang=zh").text
    # headed by the Chinese tab, as the messages name it, and the canonical name in brackets
    assert list(_findings(chinese)) == [sheet_heading(sheet, "zh") for sheet in groups]
    assert next(iter(_findings(chinese))) == "项目（Projects）"
    assert library.items[0].message("zh") in BeautifulSoup(
        chinese, "html.parser").select_one("#findings tbody tr").get_text()

    submission_id = int(page_url.rsplit("/", 1)[1])
    annotated = client.get(f"/submissions/{submission_id}/annotated")
    book = load_workbook(io.BytesIO(annotated.content))
    assert book.sheetnames[0] == "Findings"
    listed = [(r[2], r[3], r[1]) for r in book["Findings"].iter_rows(min_row=2, values_only=True)
              if r[1]]
    assert ("Projects", "A5", "project-duplicate") in listed
    assert "project-duplicate" in book["Projects"]["A5"].comment.text

    fixed_url = _upload(client, corrected_workbook(tmp_path), "faulty_submission.xlsx")
    fixed = client.get(fixed_url).text
    assert 'id="no-findings"' in fixed
    assert "state-valid" in fixed
    with Ledger(seeded.url) as ledger:
        statuses = {r.id: r.status for r in ledger.submissions(entity="SREA")}
    assert sorted(statuses.values()) == ["current", "superseded", "superseded"]

    history = client.get("/entities/SREA").text
    assert history.count("/submissions/") >= 3
    home = client.get("/").text
    assert "2024" in home
    assert "state-valid" in home


def test_auditor_reviews_and_the_submitter_sees_the_comment(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    login(client, "aud")
    board = BeautifulSoup(client.get("/board?period=2024").text, "html.parser")
    states = {row["data-entity"]: row.select_one(".badge")["class"][1]
              for row in board.select("#board tbody tr")}
    assert states == {"CSIG": "state-missing", "SRE": "state-valid",
                      "SREA": "state-invalid", "SRI": "state-missing"}
    invalid_only = BeautifulSoup(client.get("/board?period=2024&state=invalid").text,
                                 "html.parser")
    assert [r["data-entity"] for r in invalid_only.select("#board tbody tr")] == ["SREA"]

    page = client.get(f"/submissions/{seeded.srea_id}").text
    token = csrf_of(page)
    returned = client.post(f"/submissions/{seeded.srea_id}/review", follow_redirects=False,
                           data={"csrf_token": token, "decision": "returned",
                                 "comment": "Fix the duplicated project P-KE-01."})
    assert returned.status_code == 303
    empty = client.post(f"/submissions/{seeded.sre_id}/review",
                        data={"csrf_token": token, "decision": "returned", "comment": " "})
    assert empty.status_code == 400
    signed = client.post(f"/submissions/{seeded.sre_id}/review", follow_redirects=False,
                         data={"csrf_token": token, "decision": "signed_off", "comment": ""})
    assert signed.status_code == 303

    submitter = TestClient(client.app, base_url="http://127.0.0.1")
    login(submitter, "sub")
    seen = BeautifulSoup(submitter.get(f"/submissions/{seeded.srea_id}").text, "html.parser")
    assert seen.select_one("#reviews blockquote").get_text() == \
        "Fix the duplicated project P-KE-01."
    assert seen.select_one("#reviews .review-returned") is not None
    with Ledger(seeded.url) as ledger:
        actions = [(e["action"], e["actor"]) for e in ledger.audit_log(10)]
    assert ("review.signed_off", "aud") in actions
    assert ("review.returned", "aud") in actions


def test_admin_manages_entities_users_periods_and_sees_the_audit_log(
        fresh: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    client, seeded = fresh
    login(client, "adm")
    token = csrf_of(client.get("/admin").text)
    steps = [("/admin/entities", {"entity_id": "SRK", "name": "Silk Road Kenya",
                                  "parent_id": "CSIG"}),
             ("/admin/users", {"name": "kim", "role": "submitter", "entities": "SRK",
                               "password": "kim-password-1"}),
             ("/admin/periods", {"year": "2024", "state": "closed"})]
    for path, form in steps:
        answer = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
    page = client.get("/admin").text
    assert "Silk Road Kenya" in page
    assert "kim" in page
    duplicate = client.post("/admin/entities", data={"entity_id": "SRK", "name": "again",
                                                     "csrf_token": token})
    assert duplicate.status_code == 409
    assert "Entity SRK exists already." in duplicate.text
    chinese = client.post("/admin/entities?lang=zh", data={"entity_id": "SRK", "name": "again",
                                                           "csrf_token": token})
    assert chinese.status_code == 409
    assert "主体 SRK 已存在。" in chinese.text
    assert "exists already" not in chinese.text
    # Trojan Source: a name whose letters show reversed on every page and report
    turned = client.post("/admin/entities?lang=zh", data={
        "entity_id": "SRX", "name": "Silk Road \u202eynapmoC", "csrf_token": token})
    assert turned.status_code == 400
    assert "名称中不能含有不可见的文字方向控制符（U+202A–U+202E、U+2066–U+2069）。" in turned.text
    short = client.post("/admin/users", data={"name": "lee", "role": "auditor",
                                              "password": "short", "csrf_token": token})
    assert short.status_code == 400
    again = client.post("/admin/users", data={"name": "kim", "role": "auditor",
                                              "password": "kim-password-2", "csrf_token": token})
    assert again.status_code == 409
    assert "User kim exists already." in again.text
    with Ledger(seeded.url) as ledger:
        assert not ledger.is_open(2024)
        assert ledger.user("kim").entities == ("SRK",)
    audit = BeautifulSoup(client.get("/admin/audit").text, "html.parser")
    actions = [row["data-action"] for row in audit.select("#audit tbody tr")]
    assert actions[:4] == ["period.closed", "user.add", "entity.add", "login"]
    # each action as a person reads it, its details as text (an entity by its name), in the
    # page's language; an action the page does not know by its code, a value escaped; a
    # state by the word the status board counts it under (unexpected: Unexpected, 名单外)
    with Ledger(seeded.url) as ledger:
        ledger.audit("mystery.action", "adm", {"odd_key": [1, 2], "built": False,
                                               "file": "<b>x</b>.xlsx", "entity": "SRK",
                                               "counts": {"missing": 1, "valid": 3,
                                                          "invalid": 0, "unexpected": 1}})

    def rows(lang: str) -> list[list[str]]:
        answer = client.get(f"/admin/audit?lang={lang}")
        assert "<b>x</b>" not in answer.text
        page = BeautifulSoup(answer.text, "html.parser")
        return [[td.get_text() for td in row.select("td")[1:]]
                for row in page.select("#audit tbody tr")[:5]]

    assert rows("en") == [
        ["adm", "mystery.action", "Entity: Silk Road Kenya (SRK); File: <b>x</b>.xlsx; "
                                  "Built: No; Submissions by state: Valid 3, Missing 1 and "
                                  "Unexpected 1; "
                                  "odd_key: 1 and 2"],
        ["adm", "Period closed", "Reporting period: 2024"],
        ["adm", "User added", "Name: kim; Role: submitter; Entities: SRK"],
        ["adm", "Entity added", "Entity: Silk Road Kenya (SRK); Name: Silk Road Kenya; "
                                "Parent: China Silk Road Infrastructure Group (CSIG)"],
        ["adm", "Signed in", "Through: web; Address: testclient"]]
    assert rows("zh") == [
        ["adm", "mystery.action", "主体：Silk Road Kenya（SRK）；文件：<b>x</b>.xlsx；已生成：否；"
                                  "各状态报送数：有效3、缺失1和名单外1；odd_key：1和2"],
        ["adm", "关闭报告期", "报告期：2024"],
        ["adm", "新增用户", "名称：kim；角色：填报人；主体：SRK"],
        ["adm", "新增主体", "主体：Silk Road Kenya（SRK）；名称：Silk Road Kenya；"
                          "母公司：China Silk Road Infrastructure Group（CSIG）"],
        ["adm", "登录", "途径：网页；来源地址：testclient"]]
    # a user's entities listed as the page's language lists them
    with Ledger(seeded.url) as ledger:
        ledger.add_user("two", "submitter", ["SRE", "SRI"], "two-password-1", by="adm")
    for lang, listed in (("en", "SRE and SRI"), ("zh", "SRE和SRI")):
        users = BeautifulSoup(client.get(f"/admin?lang={lang}").text, "html.parser")
        row = next(r for r in users.select("tr") if r.td is not None
                   and r.td.get_text() == "two")
        assert row.select("td")[2].get_text() == listed
    kim = TestClient(client.app, base_url="http://127.0.0.1")
    assert login(kim, "kim", "kim-password-1").status_code == 303
    assert kim.get("/entities/SRK/template").status_code == 200
    # who acted without an account (the command line, the demo data) is a muted label in
    # the page's language, never a name: the zh page read "cli" and "demo", and a user named
    # "cli" looked like the command line; no account may take those names
    # The command line records under its OS login as cli:<login> (r14: it recorded the bare
    # login, "root", which read as a portal account of that name); a row an older envreport
    # recorded so is shown as stored, not rewritten
    with Ledger(seeded.url) as ledger:
        ledger.open_period(2025, by="cli")
        ledger.open_period(2026, by="demo")
        ledger.open_period(2027, by="cli:root")
        ledger.close_period(2027, by="root")
    for lang, words in (("en", ["Command line (login root)", "Demo data", "Command line"]),
                        ("zh", ["命令行（登录名 root）", "演示数据", "命令行"])):
        audit = BeautifulSoup(client.get(f"/admin/audit?lang={lang}").text, "html.parser")
        actors = [row.select("td")[1] for row in audit.select("#audit tbody tr")[:5]]
        assert (actors[0].span, actors[0].get_text()) == (None, "root")  # as stored
        assert [str(td.span) for td in actors[1:4]] == [
            f'<span class="muted system-actor">{word}</span>' for word in words]
        assert actors[4].span is None
        assert actors[4].get_text() == "kim"  # signed in
    for name in ("cli", "Demo"):
        taken = client.post("/admin/users?lang=zh", data={
            "name": name, "role": "auditor", "password": "long-password-1", "csrf_token": token})
        assert taken.status_code == 400
        assert (f"名称 {name} 留作无账户操作（命令行、演示数据）的标记，不能用作用户名。"
                in taken.text)
    # a submission's page: "Command line (login root)", not followed by "(command line)"
    # again; a bare login an older envreport recorded, as stored, by its channel
    unreadable = tmp_path / "not-a-workbook.xlsx"
    unreadable.write_bytes(b"not a workbook")
    with Ledger(seeded.url) as ledger:
        ids = [ledger.record(unreadable, by=by, source="cli").id for by in ("cli:root", "root")]
    for lang, shown in (("en", ["Command line (login root)", "root (command line)"]),
                        ("zh", ["命令行（登录名 root）", "root（命令行）"])):
        received = [BeautifulSoup(client.get(f"/submissions/{i}?lang={lang}").text,
                                  "html.parser").select("dd")[-2].get_text() for i in ids]
        assert [text.split(" · ")[1] for text in received] == shown
    # nor the command line's cli:<login> form: a portal name holds no ":"
    taken = client.post("/admin/users", data={
        "name": "cli:root", "role": "auditor", "password": "long-password-1",
        "csrf_token": token})
    assert taken.status_code == 400
    assert "User names are letters, digits, &#39;-&#39;, &#39;_&#39;, &#39;.&#39;, &#39;@&#39;" \
        in taken.text
    # nor the command line's label (the ledger's rule, the same from `users add`)
    label = client.post("/admin/users?lang=zh", data={
        "name": "Command line (login root)", "role": "auditor", "password": "long-password-1",
        "csrf_token": token})
    assert label.status_code == 400
    assert "用户名由字母、数字、“-”、“_”、“.”和“@”组成（最多100个字符）。" in label.text
    with Ledger(seeded.url) as ledger:
        assert ledger.user("Command line (login root)") is None
        assert ledger.user("cli") is None
        assert ledger.user("Demo") is None
        assert ledger.user("cli:root") is None
    # a failed sign-in as "cli" is someone typing that name, not the command line: as typed,
    # without the direction control a name typed at the login form may hold
    stranger = TestClient(client.app, base_url="http://127.0.0.1")
    for typed in ("cli", "\u202eilc"):
        assert login(stranger, typed, "not-the-password").status_code == 401
    audit = BeautifulSoup(client.get("/admin/audit?lang=zh").text, "html.parser")
    failed = [row.select("td")[1] for row in audit.select("#audit tbody tr")[:2]]
    assert [(td.span, td.get_text()) for td in failed] == [(None, "ilc"), (None, "cli")]


def test_an_erp_submits_through_the_api(fresh: tuple[TestClient, Seeded]) -> None:
    client, _seeded = fresh
    token = client.post("/api/v1/token", json={"username": "sub",
                                               "password": PASSWORDS["sub"]}).json()["token"]
    headers = {"authorization": f"Bearer {token}"}
    with FAULTY.open("rb") as handle:
        answer = client.post("/api/v1/submissions?lang=zh", headers=headers,
                             files={"workbook": ("faulty_submission.xlsx", handle, XLSX)})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["entity_id"], body["period"], body["state"]) == ("SREA", 2024, "invalid")
    library = validate_file(FAULTY).findings
    assert body["errors"] == len(library.errors)
    assert body["warnings"] == len(library.warnings)
    assert [(f["sheet"], f["cell"], f["code"]) for f in body["findings"][:2]] == [
        ("Projects", "A5", "project-duplicate"), ("Projects", "D6", "country-unknown")]
    assert body["findings"][0]["message"] == library.items[0].message("zh")
    assert "EA-RAIL-01" in body["findings"][0]["message"]
    assert body["source"] == "api"
    auditor = client.post("/api/v1/token", json={"username": "aud",
                                                 "password": PASSWORDS["aud"]}).json()["token"]
    board = client.get("/api/v1/board/2024", headers={"authorization": f"Bearer {auditor}"})
    states = {r["entity_id"]: r["state"] for r in board.json()["rows"]}
    assert states["SREA"] == "invalid"
    assert states["SRE"] == "valid"
    assert board.json()["counts"]["missing"] == 2


def test_lists_show_the_latest_review(fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        ledger.review(seeded.sre_id, decision="returned", comment="first", by="aud")
        ledger.review(seeded.sre_id, decision="signed_off", comment="", by="aud")
    login(client, "aud")
    board = BeautifulSoup(client.get("/board?period=2024").text, "html.parser")
    row = board.select_one("tr[data-entity='SRE']")
    assert row.select_one(".review-signed_off") is not None
    assert row.select_one(".review-returned") is None
    listed = BeautifulSoup(client.get("/submissions?entity=SRE").text, "html.parser")
    assert listed.select_one("tbody .review-signed_off") is not None


def test_auditor_sees_figures_against_the_prior_period(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        ledger.record(ROOT / "sample_inputs" / "history" / "sre_2023.xlsx", by="seed")
        expected = ledger.comparison(ledger.submission(seeded.sre_id))["comparison"]
    login(client, "aud")
    page = BeautifulSoup(client.get(f"/submissions/{seeded.sre_id}").text, "html.parser")
    heading = page.find("h2", string=lambda s: s and s.startswith("Against the prior period"))
    assert heading.get_text() == "Against the prior period (2023-01-01 – 2023-12-31, restated)"
    rows = {r.select("td")[0].get_text(): [c.get_text() for c in r.select("td")[1:]]
            for r in heading.find_next("table").select("tbody tr")}
    scope1 = expected["figures"]["ghg.scope1_tco2e"]
    change = f"{scope1['change_pct']:+.1f} %"
    assert rows["Scope 1 (tCO2e)"][2] == change
    assert change == "-0.6 %"  # 2 612 261 t against 2 628 532 t restated under AR6


def test_restatement_reasons_are_in_the_pages_language(fresh: tuple[TestClient, Seeded]) -> None:
    """The reason's leading word is translated, as in the report; AR5 → AR6 stays as stored."""
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        ledger.record(ROOT / "sample_inputs" / "history" / "sre_2023.xlsx", by="seed")
    login(client, "aud")
    for lang, expected in (("en", "restated: GWP set AR5 → AR6"),
                           ("zh", "已重述：全球变暖潜势（GWP）版本 AR5 → AR6")):
        page = BeautifulSoup(client.get(f"/submissions/{seeded.sre_id}?lang={lang}").text,
                             "html.parser")
        reasons = page.select_one("h2 + p.muted")
        assert reasons is not None
        assert reasons.get_text() == expected
        heading = reasons.find_previous("h2")
        assert heading is not None
        assert heading.get_text() == {
            "en": "Against the prior period (2023-01-01 – 2023-12-31, restated)",
            "zh": "与上一报告期对比（2023-01-01至2023-12-31，已重述）"}[lang]
        # the change in per cent as the report writes it: no space before % in Chinese
        scope1 = heading.find_next("table").select_one("tbody tr").select("td")
        assert scope1[3].get_text() == {"en": "-0.6 %", "zh": "-0.6%"}[lang]


def test_the_api_gives_who_acted_as_stored_and_says_what_it_means(
        fresh: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    """The JSON API gives who acted as the ledger stores it, as it gives every code (a state,
    an audit action): ``cli:root`` where the pages show "Command line (login root)", so that
    a program tells the command line by it; the OpenAPI description of each such field says
    what it holds (docs/portal.md says the same)."""
    client, seeded = fresh
    unreadable = tmp_path / "not-a-workbook.xlsx"
    unreadable.write_bytes(b"not a workbook")
    with Ledger(seeded.url) as ledger:
        recorded = ledger.record(unreadable, by="cli:root", source="cli").id
        ledger.open_period(2027, by="cli")
    token = client.post("/api/v1/token", json={"username": "adm",
                                               "password": PASSWORDS["adm"]}).json()["token"]
    headers = {"authorization": f"Bearer {token}"}
    rows = client.get("/api/v1/submissions", headers=headers).json()
    assert [(row["received_by"], row["source"]) for row in rows
            if row["id"] == recorded] == [("cli:root", "cli")]
    audit = client.get("/api/v1/audit?limit=4", headers=headers).json()
    assert [(entry["actor"], entry["action"]) for entry in audit] == [
        ("adm", "login"), ("adm", "token.issue"), ("cli", "period.open"),
        ("cli:root", "submission.record")]
    properties = {name: schema.get("properties", {}) for name, schema
                  in client.get("/api/openapi.json").json()["components"]["schemas"].items()}
    said = ("Who acted, as the ledger stores it: a portal account's name; cli:<login> for the "
            "command line run under that OS login (cli:root; the pages show \"Command line "
            "(login root)\"); cli for the command line without a login name; demo for the "
            "data of serve --demo. No account can take cli, demo or a name with ':'. A ledger "
            "written by an envreport before cli:<login> holds the bare login.")
    assert properties["Submission"]["received_by"]["description"] == said
    assert properties["Review"]["by"]["description"] == said
    assert properties["AuditEntry"]["actor"]["description"] == (
        said + " A failed or blocked sign-in (login_failed, login_blocked): the name typed, - "
        "for none.")
    assert properties["Submission"]["source"]["description"] == (
        "How it came: web (the upload page), api, or cli (the command line: envreport ledger "
        "add, build --ledger, batch --ledger, the data of serve --demo).")
