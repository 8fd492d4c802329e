"""Error pages speak the person's language, also for the answers Starlette makes itself;
times say their zone; the new-user form shows every entity it offers.

Found walking the portal in Chinese: an unknown address showed "404 Not Found" and a wrong
method "405 Method Not Allowed" (Starlette's English reason phrases) on a Chinese page.
"""

from __future__ import annotations

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
