"""The portal's defences: headers, cookies, CSRF, login throttle, escaping, caps, downloads."""

from __future__ import annotations

import io
import os
import re
from functools import partial

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from envreport.ledger import Ledger
from envreport.portal import PortalSettings, create_app
from envreport.portal.security import (
    CONTENT_SECURITY_POLICY,
    LoginThrottle,
    content_disposition,
    safe_filename,
    shown_filename,
)
from envreport.portal.web import XLSX, attachment
from tests.portal.support import FAULTY, GROUP, PASSWORDS, Seeded, csrf_of, login, upload


@pytest.mark.parametrize("path", ["/login", "/health", "/static/portal.css", "/nope",
                                  "/api/v1/me", "/api/openapi.json"])
def test_every_answer_carries_the_security_headers(clients: dict[str, TestClient],
                                                   path: str) -> None:
    answer = clients["anon"].get(path, follow_redirects=False)
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style(clients: dict[str, TestClient],
                                              seeded: Seeded) -> None:
    for role, path in (("sub", "/"), ("sub", f"/submissions/{seeded.srea_id}"),
                       ("aud", "/board"), ("adm", "/admin"), ("adm", "/admin/audit")):
        html = clients[role].get(path).text
        for marker in ("<script>", "style=", "<style"):
            assert marker not in html, (path, marker)
        assert re.findall(r"<[^>]*\son[a-z]+=", html) == [], path  # no inline handlers
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/portal.js" defer>']


def test_session_cookie_flags(seeded: Seeded, tmp_path: object) -> None:
    app = create_app(PortalSettings(db_url=seeded.url, secret="k" * 48, workers=1))
    for base, secure in (("http://127.0.0.1", False), ("https://portal.example", True)):
        client = TestClient(app, base_url=base)
        cookie = login(client, "aud").headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        assert ("Secure" in cookie) is secure


def test_forms_without_the_csrf_token_are_refused(clients: dict[str, TestClient],
                                                  tokens: dict[str, str]) -> None:
    answer = clients["anon"].post("/login", data={"username": "aud",
                                                  "password": PASSWORDS["aud"]})
    assert answer.status_code == 403
    admin = clients["adm"]
    for path, form in (("/admin/entities", {"entity_id": "X1", "name": "X"}),
                       ("/admin/periods", {"year": "2030", "state": "open"}),
                       ("/logout", {})):
        assert admin.post(path, data=form, follow_redirects=False).status_code == 403
        wrong = admin.post(path, data={**form, "csrf_token": "forged"}, follow_redirects=False)
        assert wrong.status_code == 403
    assert admin.get("/admin").status_code == 200  # still logged in
    assert "X1" not in [e["entity_id"] for e in admin.get(
        "/api/v1/entities", headers={"authorization": f"Bearer {tokens['adm']}"}).json()]


def test_a_session_cookie_from_another_secret_is_worthless(seeded: Seeded) -> None:
    one = create_app(PortalSettings(db_url=seeded.url, secret="a" * 48, workers=1))
    two = create_app(PortalSettings(db_url=seeded.url, secret="b" * 48, workers=1))
    first = TestClient(one, base_url="http://127.0.0.1")
    login(first, "adm")
    second = TestClient(two, base_url="http://127.0.0.1", cookies=first.cookies)
    assert second.get("/admin", follow_redirects=False).status_code == 303


def test_login_errors_are_generic_and_throttled(fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    unknown = login(client, "nobody", "whatever-password")
    wrong = login(client, "aud", "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong user name or password." in unknown.text
    assert "Wrong user name or password." in wrong.text
    for _ in range(3):
        assert login(client, "aud", "wrong-password").status_code == 401
    # five failures from this address: even the right password is refused now
    blocked = login(client, "aud")
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.text
    token = client.post("/api/v1/token", json={"username": "aud", "password": PASSWORDS["aud"]})
    assert token.status_code == 429
    with Ledger(seeded.url) as ledger:
        actions = [e["action"] for e in ledger.audit_log(50)]
    assert actions.count("login_failed") == 5
    assert "login_blocked" in actions


def test_throttle_window_slides() -> None:
    now = [0.0]
    throttle = LoginThrottle(max_failures=2, window_seconds=60, clock=lambda: now[0])
    throttle.failed("ip:a")
    throttle.failed("ip:a")
    assert throttle.blocked("ip:a")
    assert not throttle.blocked("ip:b")
    now[0] = 61.0
    assert not throttle.blocked("ip:a")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(fresh: tuple[TestClient, Seeded], target: str) -> None:
    client, _ = fresh
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf_token": token, "username": "aud",
                                         "password": PASSWORDS["aud"], "next": target},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    switch = client.get(f"/lang/zh?next={target}", follow_redirects=False)
    assert switch.headers["location"] == "/"


def test_what_users_typed_is_escaped_everywhere(fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    login(client, "aud")
    token = csrf_of(client.get("/board").text)
    comment = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    answer = client.post(f"/submissions/{seeded.srea_id}/review", follow_redirects=False,
                         data={"csrf_token": token, "decision": "returned", "comment": comment})
    assert answer.status_code == 303
    submitter = TestClient(client.app, base_url="http://127.0.0.1")
    login(submitter, "sub")
    page = submitter.get(f"/submissions/{seeded.srea_id}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in page
    assert "<script>" not in page
    assert "<img" not in page
    home = submitter.get("/").text  # the entity's name holds markup too (seed)
    assert "Silk Road East Africa &lt;b&gt;&amp;&lt;/b&gt;" in home


def test_a_body_above_the_cap_is_refused_before_it_is_read(tmp_path: object,
                                                           seeded: Seeded) -> None:
    app = create_app(PortalSettings(db_url=seeded.url, secret="c" * 48, workers=1,
                                    max_upload_bytes=10_000))
    client = TestClient(app, base_url="http://127.0.0.1")
    login(client, "sub")
    answer = upload(client, "big.xlsx", b"PK\x03\x04" + b"\0" * 200_000)
    assert answer.status_code == 413
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_download_names_are_safe() -> None:
    assert safe_filename('../../etc/pa"ss\r\nwd;.xlsx') == "pa_ss__wd_.xlsx"
    assert safe_filename("报告 2024.xlsx") == "2024.xlsx"
    assert safe_filename("...") == "download"
    # a name with no ASCII letter keeps its type: it was "xlsx", refused as no workbook
    assert safe_filename("丝路能源.xlsx", "upload.xlsx") == "upload.xlsx"
    assert safe_filename("报告.XLSM") == "download.XLSM"
    assert safe_filename("._.xlsx", "upload.xlsx") == "upload.xlsx"


def test_shown_names_fit_a_file_name_on_disk() -> None:
    assert shown_filename("C:\\报送\\丝路\u202e能源\x00.xlsx", "upload.xlsx") == "丝路能源.xlsx"
    assert shown_filename("..", "upload.xlsx") == "upload.xlsx"
    emoji = shown_filename("\U0001f600" * 100 + ".xlsx", "upload.xlsx")  # 4 bytes each
    assert emoji == "\U0001f600" * 48 + ".xlsx"
    assert len(emoji.encode()) <= 200
    assert shown_filename("报" * 100 + ".xlsx", "upload.xlsx") == "报" * 65 + ".xlsx"
    assert safe_filename("a" * 300).startswith("a")
    assert len(safe_filename("a" * 300)) == 120


def test_a_download_keeps_its_name_in_utf_8_beside_an_ascii_one() -> None:
    """丝路能源.xlsx downloaded as submission.xlsx: the header carried only an ASCII name.
    Now RFC 6266: the ASCII name for old clients, the owner's name as UTF-8 ``filename*``
    (RFC 5987); a quote, a semicolon, CR and LF can neither close a parameter, add one nor
    start another header line."""
    answer = attachment(b"PK", "丝路能源.xlsx", XLSX)
    assert dict(answer.raw_headers)[b"content-disposition"] == (
        b"attachment; filename=\"submission.xlsx\"; "
        b"filename*=UTF-8''%E4%B8%9D%E8%B7%AF%E8%83%BD%E6%BA%90.xlsx")
    hostile = attachment(b"PK", 'a"b; filename=evil.exe\r\nSet-Cookie: x=1.xlsx', XLSX)
    assert dict(hostile.raw_headers)[b"content-disposition"] == (
        b"attachment; filename=\"a_b__filename_evil.exeSet-Cookie__x_1.xlsx\"; "
        b"filename*=UTF-8''a%22b%3B%20filename%3Devil.exeSet-Cookie%3A%20x%3D1.xlsx")
    assert content_disposition("report.en.html", "report") == \
        "attachment; filename=\"report.en.html\"; filename*=UTF-8''report.en.html"


def test_downloads_are_attachments(clients: dict[str, TestClient], seeded: Seeded) -> None:
    sub = clients["sub"]
    for path, name in ((f"/submissions/{seeded.srea_id}/annotated",
                        "faulty_submission.annotated.xlsx"),
                       (f"/submissions/{seeded.srea_id}/file", "faulty_submission.xlsx"),
                       ("/entities/SREA/template", "envreport-SREA-en.xlsx")):
        answer = sub.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == \
            f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        assert answer.headers["content-type"] == XLSX
        load_workbook(io.BytesIO(answer.content))  # a real workbook


def test_a_group_report_file_downloads_alike_from_the_page_and_the_api(
        clients: dict[str, TestClient], tokens: dict[str, str]) -> None:
    """The admin page and the API give a built report's file by one helper: its bytes, as
    ``group-<year>-<name>``, an attachment (a file put where a build writes it: no build)."""
    built = clients["adm"].app.state.portal.reports_dir / "2031" / "group" / "results.json"
    built.parent.mkdir(parents=True)
    built.write_bytes(b'{"schema_version": 2}')
    header = "attachment; filename=\"group-2031-results.json\"; " \
             "filename*=UTF-8''group-2031-results.json"
    for answer in (clients["adm"].get("/admin/reports/2031/results.json"),
                   clients["anon"].get("/api/v1/reports/2031/results.json",
                                       headers={"authorization": f"Bearer {tokens['adm']}"})):
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == header
        assert answer.content == b'{"schema_version": 2}'


def test_uploads_for_another_entity_or_a_closed_period_are_not_recorded(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        before = len(ledger.submissions())
    login(client, "sub")  # SREA only
    other = upload(client, "sre.xlsx", (GROUP / "sre.xlsx").read_bytes())
    assert other.status_code == 422
    assert "This workbook is for entity SRE, which you may not submit for." in other.text
    with Ledger(seeded.url) as ledger:
        ledger.close_period(2024, by="test")
    closed = upload(client, FAULTY.name, FAULTY.read_bytes())
    assert closed.status_code == 422
    assert "The period 2024 is closed: it accepts no more submissions." in closed.text
    with Ledger(seeded.url) as ledger:
        assert len(ledger.submissions()) == before
        refused = [e for e in ledger.audit_log(20) if e["action"] == "upload_refused"]
    assert [e["detail"]["entity"] for e in refused] == ["SREA", "SRE"]


def test_a_dying_worker_is_replaced(seeded: Seeded) -> None:
    import asyncio

    from envreport.portal.access import RefusedError
    from envreport.portal.jobs import Workers, warm_up

    workers = Workers(seeded.url, processes=1)
    try:
        # os._exit itself, not a function of this module: the spawned worker would import
        # this module (FastAPI's test client, the portal) to find it, seconds of CPU
        with pytest.raises(RefusedError, match="worker process ended"):
            asyncio.run(workers._run(partial(os._exit, 9), 60))
        asyncio.run(workers._run(warm_up, 120))  # the next job gets a fresh pool
    finally:
        workers.close()


# Requests PostgreSQL cannot carry out: a NUL character (it can neither store nor compare
# one) and an id beyond its 32-bit INTEGER. Each reached the database and answered 500 there.
NUL_PAGES = [("GET", "/submissions?entity=%00", None), ("GET", "/submissions?entity=SRE%00", None),
             ("POST", "/submissions/{other}/review", {"decision": "returned",
                                                      "comment": "see E2\x00"})]
NUL_API = [("GET", "/api/v1/submissions?entity=%00", None),
           ("POST", "/api/v1/submissions/{other}/review", {"decision": "returned",
                                                           "comment": "see E2\x00"}),
           ("POST", "/api/v1/entities", {"entity_id": "NUL1", "name": "Silk\x00Road"})]


def test_a_nul_character_is_a_malformed_request(clients: dict[str, TestClient],
                                                tokens: dict[str, str], seeded: Seeded) -> None:
    """SQLite takes a NUL, PostgreSQL refuses it with an exception: the portal refuses it
    first, on both (a page 400, the API 422), and nothing is recorded."""
    with Ledger(seeded.url) as ledger:
        before = (ledger.reviews(seeded.sre_id), ledger.entities(), ledger.audit_log(1))
    for method, path, form in NUL_PAGES:
        browser = clients["aud"]
        data = {**(form or {}), "csrf_token": csrf_of(browser.get("/login").text)}
        url = path.format(other=seeded.sre_id)
        answer = browser.get(url) if method == "GET" else browser.post(url, data=data)
        assert answer.status_code == 400, (path, answer.status_code)
        assert "The request is incomplete or malformed." in answer.text
    anon = clients["anon"]
    login_form = {"csrf_token": csrf_of(anon.get("/login").text), "username": "aud\x00",
                  "password": PASSWORDS["aud"]}
    assert anon.post("/login", data=login_form).status_code == 400
    # one check for the address, a form and a JSON body (security.refuse_nul_in_request):
    # the same answer, naming where the NUL is as FastAPI names a request's parts
    for role, (method, path, body), where in [("aud", NUL_API[0], ["query", "entity"]),
                                              ("aud", NUL_API[1], ["body", "comment"]),
                                              ("adm", NUL_API[2], ["body", "name"])]:
        answer = anon.request(method, path.format(other=seeded.sre_id), json=body,
                              headers={"authorization": f"Bearer {tokens[role]}"})
        assert answer.status_code == 422, (path, answer.status_code)
        assert answer.json() == {"detail": [{"loc": where, "type": "value_error",
                                             "msg": "a NUL character in the text"}]}
    token = anon.post("/api/v1/token", json={"username": "aud\x00", "password": "x"})
    assert (token.status_code, token.json()["detail"][0]["loc"]) == (422, ["body", "username"])
    # no review (not even with the NUL dropped), no entity NUL1, no line in the audit log
    with Ledger(seeded.url) as ledger:
        assert (ledger.reviews(seeded.sre_id), ledger.entities(), ledger.audit_log(1)) == before


def test_postgresql_answers_a_nul_or_a_huge_id_as_sqlite_does(postgres_cluster: object,
                                                              tmp_path: object) -> None:
    """On a PostgreSQL ledger: ``?entity=%00``, a NUL login name or review comment, and
    submission 2147483648 (past INTEGER) answered 500; now 400/422 and 404."""
    url = postgres_cluster.create_database()  # type: ignore[attr-defined]
    with Ledger(url) as ledger:
        ledger.add_entity("SRE", "Silk Road Energy", by="test")
        ledger.add_user("aud", "auditor", [], PASSWORDS["aud"], by="test")
    app = create_app(PortalSettings(db_url=url, secret="p" * 48, workers=1))
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    token = client.post("/api/v1/token", json={"username": "aud",
                                               "password": PASSWORDS["aud"]}).json()["token"]
    api = {"authorization": f"Bearer {token}"}
    assert [client.request(method, path, headers=api, json=body).status_code
            for method, path, body in [
                ("GET", "/api/v1/submissions?entity=%00", None),
                ("POST", "/api/v1/token", {"username": "aud\x00", "password": "x"}),
                ("GET", "/api/v1/submissions/2147483648", None),
                ("GET", "/api/v1/submissions/2147483648/annotated", None),
                ("POST", "/api/v1/submissions/2147483648/review",
                 {"decision": "returned", "comment": "why"}),
                ("POST", "/api/v1/submissions/1/review",
                 {"decision": "returned", "comment": "see E2\x00"})]] == [
        422, 422, 404, 404, 404, 422]
    assert login(client, "aud").status_code == 303  # the browser's way in
    assert [client.get(path).status_code for path in (
        "/submissions?entity=%00", "/submissions/2147483648",
        "/submissions/2147483648/file")] == [400, 404, 404]
    form = {"csrf_token": csrf_of(client.get("/login").text), "username": "aud\x00",
            "password": "x"}
    assert client.post("/login", data=form).status_code == 400


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_actor_is_escaped_whether_a_label_or_a_name(lang: str) -> None:
    # the command line's OS login comes from the environment and is shown inside the muted
    # label; an account's name is shown as it is: both are text in the page
    from envreport.portal.web import environment

    page = environment(lang).from_string(
        '{% from "portal/_macros.html" import actor %}{{ actor(name) }}')
    label = {"en": "Command line (login &lt;b&gt;x&lt;/b&gt;)",
             "zh": "命令行（登录名 &lt;b&gt;x&lt;/b&gt;）"}[lang]
    assert page.render(name="cli:<b>x</b>") == (
        f'<span class="muted system-actor">{label}</span>')
    assert page.render(name="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert page.render(name="cli") == '<span class="muted system-actor">{}</span>'.format(
        {"en": "Command line", "zh": "命令行"}[lang])
