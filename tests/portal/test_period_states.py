"""Opening an open period (closing a closed one) changes nothing and records nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from envreport.ledger import Ledger
from tests.portal.support import PASSWORDS, Seeded, csrf_of, login


def _period_entries(url: str) -> list[tuple[str, str]]:
    with Ledger(url) as ledger:
        return [(entry["action"], entry["detail"]["year"]) for entry in ledger.audit_log(500)
                if entry["action"].startswith("period.")]


def test_a_period_in_the_state_asked_for_records_nothing(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    before = _period_entries(seeded.url)  # the seed: 2023 opened, closed; 2024 opened
    assert before == [("period.open", 2024), ("period.closed", 2023), ("period.open", 2023)]
    token = client.post("/api/v1/token", json={"username": "adm",
                                               "password": PASSWORDS["adm"]}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    # the API: the answer says the state, the audit log has no second opening
    for year, wanted in ((2024, True), (2023, False)):
        answer = client.put(f"/api/v1/periods/{year}", json={"open": wanted}, headers=bearer)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"year": year, "open": wanted}
    # the admin page's form: the same
    login(client, "adm")
    csrf = csrf_of(client.get("/admin").text)
    for year, state in (("2024", "open"), ("2023", "closed")):
        answer = client.post("/admin/periods", data={"year": year, "state": state,
                                                     "csrf_token": csrf},
                             follow_redirects=False)
        assert answer.status_code == 303
    assert _period_entries(seeded.url) == before
    with Ledger(seeded.url) as ledger:
        assert [(p["year"], p["state"]) for p in ledger.periods()] == [
            (2023, "closed"), (2024, "open")]
        assert ledger.open_period(2024, by="test") is False
        assert ledger.close_period(2024, by="test") is True  # a change is recorded
    assert _period_entries(seeded.url) == [("period.closed", 2024), *before]
