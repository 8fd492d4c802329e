"""The admin's downloadable status board lists the entities the portal's board page lists.

The seeded ledger knows CSIG (the parent, no submission yet), SRE, SREA and SRI (no
submission). The group build found only the current submission (SRE's): its board
(status.json, .html, .xlsx) had one line while the board page had four. Both now list
``service.board_entities``.
"""

from __future__ import annotations

import json
from pathlib import Path

from envreport.ledger import Ledger
from envreport.portal import service
from envreport.portal.access import Principal
from envreport.portal.jobs import build_group
from tests.portal.support import Seeded


def test_the_downloadable_board_lists_the_board_pages_entities(seeded: Seeded,
                                                               tmp_path: Path) -> None:
    with Ledger(seeded.url) as ledger:
        page = service.board(ledger, Principal("adm", "admin"), 2024)
    outcome = build_group(seeded.url, 2024, str(tmp_path / "2024"), "adm")
    assert outcome["built"] is False  # no parent has submitted: no group report yet
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
        listed = service.board_entities(ledger, 2024)
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
