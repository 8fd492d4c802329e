"""Error pages speak the person's language, also for the answers Starlette makes itself;
times say their zone; the new-user form shows every entity it offers.

Found walking the portal in Chinese: an unknown address showed "404 Not Found" and a wrong
method "405 Method Not Allowed" (Starlette's English reason phrases) on a Chinese page.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.portal.support import Seeded


def test_an_unknown_address_says_not_found_in_each_language(
        clients: dict[str, TestClient]) -> None:
    for role in ("anon", "sub"):
        english = clients[role].get("/no-such-page?lang=en")
        assert english.status_code == 404
        assert "<h1>404</h1>\n<p>Not found.</p>" in english.text
        chinese = clients[role].get("/no-such-page?lang=zh")
        assert chinese.status_code == 404
        assert "<h1>404</h1>\n<p>未找到。</p>" in chinese.text
        assert "Not Found" not in chinese.text


def test_a_wrong_method_is_said_in_each_language(clients: dict[str, TestClient]) -> None:
    english = clients["anon"].put("/login?lang=en")
    assert english.status_code == 405
    assert "<p>This address does not take this kind of request.</p>" in english.text
    chinese = clients["anon"].put("/login?lang=zh")
    assert chinese.status_code == 405
    assert "<p>此地址不接受这种请求。</p>" in chinese.text
    assert "Method Not Allowed" not in chinese.text


def test_the_api_gives_the_same_words_as_json(tokens: dict[str, str],
                                              clients: dict[str, TestClient]) -> None:
    answer = clients["anon"].get("/api/v1/no-such-thing",
                                 headers={"authorization": f"Bearer {tokens['aud']}"})
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Not found."}


def test_an_internal_error_is_a_page_in_the_language_or_json(
        clients: dict[str, TestClient], tokens: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure nobody foresaw (here: the ledger's periods cannot be read) answered
    Starlette's bare "Internal Server Error" in English, on a Chinese page and to the API,
    whose errors are {"detail"}. Still 500, in the portal's words."""
    from envreport.portal import service

    def broken(*_args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service, "periods", broken)
    browser = TestClient(clients["sub"].app, base_url="http://127.0.0.1",
                         cookies=clients["sub"].cookies, raise_server_exceptions=False)
    page = browser.get("/upload?lang=zh")
    assert page.status_code == 500
    assert "<h1>500</h1>\n<p>服务器出错。错误已记录，请稍后再试。</p>" in page.text
    api = browser.get("/api/v1/periods", headers={"authorization": f"Bearer {tokens['aud']}"})
    assert (api.status_code, api.json()) == (500, {
        "detail": "Something went wrong on the server. It has been logged; try again later."})


def test_times_on_the_pages_say_they_are_utc(clients: dict[str, TestClient],
                                            seeded: Seeded) -> None:
    # The ledger keeps UTC; a subsidiary in Nairobi must not read 05:23 as its own time.
    from envreport.ledger import Ledger

    with Ledger(seeded.url) as ledger:
        received = ledger.submission(seeded.sre_id, with_results=False).received_at
    shown = f"{received:%Y-%m-%d %H:%M} UTC"
    for role, path in (("sub2", f"/submissions/{seeded.sre_id}"), ("sub2", "/"),
                       ("aud", "/board"), ("aud", "/submissions"), ("sub2", "/entities/SRE")):
        assert shown in clients[role].get(path).text, (role, path)


def test_the_new_user_form_shows_every_entity_up_to_eight(
        clients: dict[str, TestClient]) -> None:
    # The entity list was three rows high: a fourth entity (SRI) was cut in half and easy to
    # miss when giving a submitter its entities.
    page = clients["adm"].get("/admin").text
    assert '<select name="entities" multiple size="4">' in page
