"""Every route × every role, anonymous included: the status code each one gets.

A submitter asking for another entity's object by id gets 404 on every object route (pages
and API), exactly as for an id that does not exist; a role that may not act gets 403;
anonymous visitors are sent to the login page (pages) or get 401 (API).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from envreport.portal.web import XLSX
from tests.portal.support import GROUP, Seeded, csrf_of

ANON_PAGE = 303  # to the login page
# (method, path, form, {client: status}); {own}: sub's (SREA) submission, {other}: SRE's.
PAGES: list[tuple[str, str, dict[str, str] | None, dict[str, int]]] = [
    ("GET", "/health", None, {"anon": 200, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/login", None, {"anon": 200, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/lang/zh?next=/board", None, {"anon": 303, "sub": 303, "aud": 303, "adm": 303}),
    ("GET", "/", None, {"anon": ANON_PAGE, "sub": 200, "aud": 303, "adm": 303}),
    ("GET", "/upload", None, {"anon": ANON_PAGE, "sub": 200, "aud": 403, "adm": 403}),
    ("POST", "/upload", {}, {"anon": ANON_PAGE, "sub": 400, "aud": 403, "adm": 403}),
    ("GET", "/submissions", None, {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/submissions?entity=SRE", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{own}", None, {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{other}", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{own}/annotated", None,
     {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{other}/annotated", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{own}/file", None,
     {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/submissions/{other}/file", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/submissions/999999", None, {"anon": ANON_PAGE, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/submissions/9223372036854775808", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/submissions?period=99999999999999999999", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/submissions/999999/annotated", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 404, "adm": 404}),
    ("POST", "/submissions/{other}/review", {"decision": "signed_off", "comment": "ok"},
     {"anon": ANON_PAGE, "sub": 403, "aud": 303, "adm": 403}),
    ("POST", "/submissions/999999/review", {"decision": "signed_off", "comment": "ok"},
     {"anon": ANON_PAGE, "sub": 403, "aud": 404, "adm": 403}),
    ("GET", "/entities/SREA", None, {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/entities/SRE", None, {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/entities/NOPE", None, {"anon": ANON_PAGE, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/entities/SREA/template", None,
     {"anon": ANON_PAGE, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/entities/SRE/template", None,
     {"anon": ANON_PAGE, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/board", None, {"anon": ANON_PAGE, "sub": 403, "aud": 200, "adm": 200}),
    ("GET", "/board?period=2024&state=invalid", None,
     {"anon": ANON_PAGE, "sub": 403, "aud": 200, "adm": 200}),
    ("GET", "/admin", None, {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 200}),
    ("POST", "/admin/entities", {"entity_id": "NEW{role}", "name": "New"},
     {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 303}),
    ("POST", "/admin/users", {"name": "u{role}", "role": "auditor", "password": "long-enough-1"},
     {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 303}),
    ("POST", "/admin/periods", {"year": "2025", "state": "open"},
     {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 303}),
    ("POST", "/admin/reports/2022", {}, {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 404}),
    ("GET", "/admin/reports/2024/report.en.pdf", None,
     {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 404}),
    ("GET", "/admin/reports/2024/passwd", None,
     {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 404}),
    ("GET", "/admin/audit", None, {"anon": ANON_PAGE, "sub": 403, "aud": 403, "adm": 200}),
]

API: list[tuple[str, str, object, dict[str, int]]] = [
    ("GET", "/api/v1/me", None, {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/entities", None, {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("POST", "/api/v1/entities", {"entity_id": "API{role}", "name": "Via API"},
     {"anon": 401, "sub": 403, "aud": 403, "adm": 201}),
    ("GET", "/api/v1/entities/SREA/template", None,
     {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/entities/SRE/template", None,
     {"anon": 401, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/entities/SRE/history", None,
     {"anon": 401, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/entities/SREA/history", None,
     {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/periods", None, {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("PUT", "/api/v1/periods/2026", {"open": True},
     {"anon": 401, "sub": 403, "aud": 403, "adm": 200}),
    ("GET", "/api/v1/submissions", None, {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/submissions?entity=SRE", None,
     {"anon": 401, "sub": 404, "aud": 200, "adm": 200}),
    ("POST", "/api/v1/submissions", "sre.xlsx", {"anon": 401, "sub": 422, "aud": 403, "adm": 403}),
    ("GET", "/api/v1/submissions/{own}", None, {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/submissions/{other}", None,
     {"anon": 401, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/submissions/999999", None, {"anon": 401, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/api/v1/submissions/9223372036854775808", None,
     {"anon": 401, "sub": 404, "aud": 404, "adm": 404}),
    ("GET", "/api/v1/board/99999999999999999999", None,
     {"anon": 401, "sub": 403, "aud": 404, "adm": 404}),
    ("GET", "/api/v1/submissions/{other}/annotated", None,
     {"anon": 401, "sub": 404, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/submissions/{own}/annotated", None,
     {"anon": 401, "sub": 200, "aud": 200, "adm": 200}),
    ("POST", "/api/v1/submissions/{other}/review", {"decision": "signed_off", "comment": ""},
     {"anon": 401, "sub": 403, "aud": 200, "adm": 403}),
    ("POST", "/api/v1/submissions/999999/review", {"decision": "signed_off", "comment": ""},
     {"anon": 401, "sub": 403, "aud": 404, "adm": 403}),
    ("GET", "/api/v1/board/2024", None, {"anon": 401, "sub": 403, "aud": 200, "adm": 200}),
    ("GET", "/api/v1/users", None, {"anon": 401, "sub": 403, "aud": 403, "adm": 200}),
    ("POST", "/api/v1/users", {"name": "api{role}", "role": "submitter", "entities": ["SRI"],
                               "password": "long-enough-2"},
     {"anon": 401, "sub": 403, "aud": 403, "adm": 201}),
    ("POST", "/api/v1/reports/2022", None, {"anon": 401, "sub": 403, "aud": 403, "adm": 404}),
    ("GET", "/api/v1/reports/2024/results.json", None,
     {"anon": 401, "sub": 403, "aud": 403, "adm": 404}),
    ("GET", "/api/v1/audit", None, {"anon": 401, "sub": 403, "aud": 403, "adm": 200}),
]


def _path(template: str, seeded: Seeded) -> str:
    return template.format(own=seeded.srea_id, other=seeded.sre_id)


def _cases(table: list, roles: tuple[str, ...]) -> list:  # type: ignore[type-arg]
    return [pytest.param(method, path, body, role, expected[role],
                         id=f"{method} {path} as {role}")
            for method, path, body, expected in table for role in roles]


@pytest.mark.parametrize(("method", "path", "form", "role", "status"),
                         _cases(PAGES, ("anon", "sub", "aud", "adm")))
def test_page_status_per_role(clients: dict[str, TestClient], seeded: Seeded, method: str,
                              path: str, form: dict[str, str] | None, role: str,
                              status: int) -> None:
    client = clients[role]
    url = _path(path, seeded)
    if method == "GET":
        answer = client.get(url, follow_redirects=False)
    else:
        data = {k: v.format(role=role) for k, v in (form or {}).items()}
        data["csrf_token"] = csrf_of(client.get("/login").text)
        answer = client.post(url, data=data, follow_redirects=False)
    assert answer.status_code == status, answer.text[:300]
    if status == ANON_PAGE and role == "anon":
        assert answer.headers["location"].startswith(("/login?next=", "/"))


@pytest.mark.parametrize(("method", "path", "body", "role", "status"),
                         _cases(API, ("anon", "sub", "aud", "adm")))
def test_api_status_per_role(clients: dict[str, TestClient], tokens: dict[str, str],
                             seeded: Seeded, method: str, path: str, body: object, role: str,
                             status: int) -> None:
    client = clients["anon"]  # the API ignores cookies: only the bearer token counts
    headers = {"authorization": f"Bearer {tokens[role]}"} if role != "anon" else {}
    url = _path(path, seeded)
    if isinstance(body, str):  # a workbook to upload
        with (GROUP / body).open("rb") as handle:
            answer = client.post(url, headers=headers, files={"workbook": (body, handle, XLSX)})
    elif isinstance(body, dict):
        payload = {k: v.format(role=role) if isinstance(v, str) else v for k, v in body.items()}
        answer = client.request(method, url, headers=headers, json=payload)
    else:
        answer = client.request(method, url, headers=headers)
    assert answer.status_code == status, answer.text[:300]
    if status == 401:
        assert answer.json() == {"detail": "Log in first."}


def test_second_submitter_is_kept_out_of_the_first_ones_entity(
        clients: dict[str, TestClient], tokens: dict[str, str], seeded: Seeded) -> None:
    own, other = seeded.sre_id, seeded.srea_id  # sub2 submits for SRE
    browser = clients["sub2"]
    assert browser.get(f"/submissions/{own}").status_code == 200
    for path in (f"/submissions/{other}", f"/submissions/{other}/annotated",
                 f"/submissions/{other}/file", "/entities/SREA", "/entities/SREA/template"):
        assert browser.get(path).status_code == 404, path
    api = {"authorization": f"Bearer {tokens['sub2']}"}
    assert clients["anon"].get(f"/api/v1/submissions/{other}", headers=api).status_code == 404
    listed = clients["anon"].get("/api/v1/submissions", headers=api).json()
    assert {s["entity_id"] for s in listed} == {"SRE"}
    assert [e["entity_id"] for e in clients["anon"].get("/api/v1/entities",
                                                        headers=api).json()] == ["SRE"]


def test_api_rejects_a_forged_token(clients: dict[str, TestClient]) -> None:
    answer = clients["anon"].get("/api/v1/me", headers={"authorization": "Bearer forged"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
