"""The admin's group build compares with earlier periods, as ``batch --ledger`` does.

The portal built the group report of a period from the ledger's current submissions with
no ledger: ``comparison`` was null, and no build was noted, so a period corrected later was
not marked restated. Now the build compares each report with the ledger, notes the build on
each member's upload (not recorded again) and records the group as ``GRP:group``.

Hand-worked figures (equity share; HFC-134a leaks, AR6 GWP 1,530: 10 kg = 15.3 tCO2e).
Group GRP holds SUB at 60 %:

- 2021: GRP's plant HQ leaks 10 kg = 15.3 t; SUB's plant S1 leaks 20 kg = 30.6 t, 60 % of
  it in the group = 18.36 t. The group's Scope 1: 15.3 + 18.36 = 33.66 t.
- 2022: HQ 12 kg = 18.36 t; S1 25 kg = 38.25 t, 60 % = 22.95 t. Group: 41.31 t, against
  2021 (41.31 − 33.66) ÷ 33.66 = 7.65 ÷ 33.66 = 5 ÷ 22 = +22.7272… %; SUB's own report:
  (38.25 − 30.6) ÷ 30.6 = +25 %.
- SUB's 2021 corrected to 22 kg = 33.66 t (60 % = 20.196 t): the group's 2021 is then
  15.3 + 20.196 = 35.496 t, and 2022 against it (41.31 − 35.496) ÷ 35.496 = 3.8 ÷ 23.2
  = +16.3793… %; SUB's (38.25 − 33.66) ÷ 33.66 = 3 ÷ 22 = +13.6363… %.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from envreport.ledger import Ledger
from tests.portal.support import Seeded, csrf_of, login
from tests.workbooks import leaking_plant_sheets, write_workbook

SCOPE1 = "ghg.scope1_tco2e"


def _workbook(folder: Path, entity: str, year: int, plant: str, leak_kg: float) -> Path:
    return write_workbook(folder / f"{entity.lower()}_{year}_{leak_kg}.xlsx",
                          leaking_plant_sheets(entity, year, plant, leak_kg))


def _upload(url: str, path: Path) -> int:
    """Record ``path`` as the portal's upload form does (a submission of the web)."""
    with Ledger(url) as ledger:
        record = ledger.record(path, by="adm", source="web")
        assert record.valid, record.findings
        return int(record.id)


def _build(admin: TestClient, year: int) -> dict[str, Any]:
    """Press the admin page's Build button for ``year`` and wait for the build to end."""
    portal = admin.app.state.portal
    portal.last_build.pop(year, None)
    token = csrf_of(admin.get("/admin").text)
    answer = admin.post(f"/admin/reports/{year}", data={"csrf_token": token},
                        follow_redirects=False)
    assert answer.status_code == 303
    deadline = time.monotonic() + 600
    while year in portal.building or year not in portal.last_build:
        assert time.monotonic() < deadline, "the build did not end"
        time.sleep(0.2)
    outcome: dict[str, Any] = portal.last_build[year]
    assert outcome["built"] is True, outcome
    return outcome


def _results(root: Path, year: int, folder: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (root / str(year) / folder / "results.json").read_text(encoding="utf-8"))
    return data


def _count(url: str, entity: str) -> int:
    with Ledger(url) as ledger:
        return len(ledger.submissions(entity=entity))


@pytest.fixture
def two_periods(fresh: tuple[TestClient, Seeded], tmp_path: Path
                ) -> tuple[TestClient, Seeded, Path, dict[str, int]]:
    """2021 and 2022 of GRP and SUB uploaded, each built once from the admin page."""
    root, seeded = fresh
    with Ledger(seeded.url) as ledger:
        for year in (2021, 2022):
            ledger.open_period(year, by="test")
    books = tmp_path / "books"
    books.mkdir()
    ids = {f"{entity}{year}": _upload(seeded.url, _workbook(books, entity, year, plant, kg))
           for entity, year, plant, kg in (("GRP", 2021, "HQ", 10), ("SUB", 2021, "S1", 20),
                                           ("GRP", 2022, "HQ", 12), ("SUB", 2022, "S1", 25))}
    assert login(root, "adm").status_code == 303
    _build(root, 2021)
    _build(root, 2022)
    return root, seeded, tmp_path / "reports", ids


def test_the_second_periods_group_report_compares_with_the_first(
        two_periods: tuple[TestClient, Seeded, Path, dict[str, int]]) -> None:
    admin, seeded, reports, ids = two_periods
    first = _results(reports, 2021, "group")
    assert first["comparison"] is None  # no earlier period in the ledger
    assert first["ghg"]["scope1_tco2e"] == pytest.approx(33.66)
    group = _results(reports, 2022, "group")
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(41.31)
    prior = group["comparison"]["prior_period"]
    assert (prior["start"], prior["end"], prior["restated"]) == (
        "2021-01-01", "2021-12-31", False)
    scope1 = group["comparison"]["figures"][SCOPE1]
    assert scope1["prior"] == pytest.approx(33.66)
    assert scope1["change_pct"] == pytest.approx(500 / 22)
    assert [(h["period_end"], round(h["scope1_tco2e"], 2)) for h in group["history"]] == [
        ("2021-12-31", 33.66), ("2022-12-31", 41.31)]
    # the member's report too, against its own upload of 2021
    member = _results(reports, 2022, "SUB")["comparison"]
    assert member["prior_period"]["submission_id"] == ids["SUB2021"]
    assert member["figures"][SCOPE1]["change_pct"] == pytest.approx(25.0)
    # the HTML report has the chapter, the first period's none
    for year, chapters in ((2021, 0), (2022, 1)):
        html = (reports / str(year) / "group" / "report.en.html").read_text(encoding="utf-8")
        assert html.count('<section class="chapter" id="comparison">') == chapters, year

    with Ledger(seeded.url) as ledger:
        groups = ledger.submissions(entity="GRP:group")
        # the group recorded once per build, by the admin who built it
        assert [(g.period_year, g.received_by, g.status) for g in groups] == [
            (2021, "adm", "current"), (2022, "adm", "current")]
        assert prior["submission_id"] == groups[0].id
        # the members are not recorded again: each is its upload, with the build noted on it
        assert {e: len(ledger.submissions(entity=e)) for e in ("GRP", "SUB")} == {
            "GRP": 2, "SUB": 2}
        assert set(ledger.reports_using([ids["SUB2021"], groups[0].id])) == {
            ids["SUB2021"], groups[0].id}

    # the group is no entity of the portal's lists
    listed = admin.get("/api/v1/entities",
                       headers={"authorization": f"Bearer {_token(admin)}"}).json()
    entities = ["CSIG", "GRP", "SRE", "SREA", "SRI", "SUB"]  # the seeded ones, GRP and SUB
    assert sorted(e["entity_id"] for e in listed) == entities
    board = admin.get("/board?period=2022").text
    assert "GRP:group" not in board
    assert 'data-entity="SUB"' in board
    listing = admin.get("/submissions").text
    assert "GRP:group" not in listing
    assert not any(f'/submissions/{g.id}"' in listing for g in groups)
    assert f'/submissions/{ids["SUB2021"]}"' in listing
    assert "GRP:group" not in admin.get("/admin").text
    assert admin.get(f"/submissions/{groups[0].id}").status_code == 404
    # a period built again is no new member: the downloadable board lists the same entities
    board_data = json.loads((reports / "2022" / "status.json").read_text(encoding="utf-8"))
    assert sorted(e["entity_id"] for e in board_data["entities"]) == entities


def _token(client: TestClient) -> str:
    answer = client.post("/api/v1/token", json={"username": "adm",
                                                "password": "adm-password-1"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_a_correction_of_the_first_period_marks_the_second_builds_prior_restated(
        two_periods: tuple[TestClient, Seeded, Path, dict[str, int]], tmp_path: Path) -> None:
    admin, seeded, reports, ids = two_periods
    with Ledger(seeded.url) as ledger:
        first_group = ledger.submissions(entity="GRP:group", period=2021)[0].id
        # the group's build noted the members' uploads it was consolidated from
        assert ledger.built_from(first_group) == {ids["GRP2021"], ids["SUB2021"]}
    corrected = _upload(seeded.url, _workbook(tmp_path / "books", "SUB", 2021, "S1", 22))

    # 2022 built again: SUB's report marks its 2021 restated (the upload its first build
    # used was corrected), and so does the group's, its 2021 consolidated again from the
    # members' current uploads without building 2021 again
    _build(admin, 2022)
    member = _results(reports, 2022, "SUB")["comparison"]
    assert member["prior_period"]["restated"] is True
    assert member["prior_period"]["submission_id"] == corrected
    assert member["prior_period"]["replaced_submission_id"] == ids["SUB2021"]
    assert member["figures"][SCOPE1]["prior_as_reported"] == pytest.approx(30.6)
    assert member["figures"][SCOPE1]["change_pct"] == pytest.approx(300 / 22)
    group = _results(reports, 2022, "group")
    prior = group["comparison"]["prior_period"]
    assert (prior["submission_id"], prior["restated"], prior["restatement_reasons"]) == (
        first_group, True, [])
    assert "replaced_submission_id" not in prior  # the group's 2021 itself is not replaced
    assert prior["member_corrections"] == [{"entity_id": "SUB", "submission_id": corrected,
                                            "replaced_submission_id": ids["SUB2021"]}]
    scope1 = group["comparison"]["figures"][SCOPE1]
    assert scope1["prior"] == pytest.approx(35.496)  # 15.3 + 60 % of 33.66
    assert scope1["prior_as_reported"] == pytest.approx(33.66)
    assert scope1["change_pct"] == pytest.approx(380 / 23.2)
    assert [(h["period_end"], round(h["scope1_tco2e"], 3), h["restated"],
             round(h["as_reported_scope1_tco2e"], 3)) for h in group["history"]] == [
        ("2021-12-31", 35.496, True, 33.66), ("2022-12-31", 41.31, False, 41.31)]
    html = {lang: (reports / "2022" / "group" / f"report.{lang}.html").read_text(
        encoding="utf-8") for lang in ("en", "zh")}
    assert ("Its figures are restated: a member's submission that the group report of "
            "the period was consolidated from has been corrected since (SUB's submission "
            f"{ids['SUB2021']}, replaced by submission {corrected}), so the period is "
            "consolidated again from the members' current submissions.") in html["en"]
    assert (f"上期数据已重述：编制该期间集团报告所合并的成员报送此后已更正（SUB的第"
            f"{ids['SUB2021']}号报送，由第{corrected}号报送取代），因此已按各成员当前的报送"
            "重新合并该期间。") in html["zh"]

    # 2021 built again from the corrected upload, then 2022: the group's 2021 is the newer
    # record, which replaced the one a report used (no member of it corrected since)
    _build(admin, 2021)
    _build(admin, 2022)
    group = _results(reports, 2022, "group")["comparison"]
    prior = group["prior_period"]
    assert (prior["start"], prior["end"], prior["restated"]) == (
        "2021-01-01", "2021-12-31", True)
    assert prior["replaced_submission_id"] == first_group
    assert "member_corrections" not in prior
    scope1 = group["figures"][SCOPE1]
    assert scope1["prior"] == pytest.approx(35.496)
    assert scope1["prior_as_reported"] == pytest.approx(33.66)
    assert scope1["change_pct"] == pytest.approx(380 / 23.2)
    # five builds, five group records; the members' uploads only (SUB's correction)
    assert _count(seeded.url, "GRP:group") == 5
    assert (_count(seeded.url, "GRP"), _count(seeded.url, "SUB")) == (2, 3)
