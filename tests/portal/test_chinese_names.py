"""An entity's Chinese name on the pages in Chinese.

Found walking the portal in Chinese: every page named the entities in English ("Silk Road
Energy Co., Ltd.") although their workbooks give organization_name_zh (丝路能源有限公司),
which the batch's status board shows. The name comes from the entity's newest submission.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from envreport.ledger import Ledger
from tests.portal.support import Seeded


def test_entities_carry_the_chinese_name_of_their_newest_submission(seeded: Seeded) -> None:
    with Ledger(seeded.url) as ledger:
        names = {e["entity_id"]: e["name_zh"] for e in ledger.entities()}
    # SREA and SRE have submitted (the faulty workbook, sre.xlsx); CSIG and SRI have not
    assert names == {"CSIG": None, "SRE": "丝路能源有限公司", "SREA": "丝路东非有限公司",
                     "SRI": None}


def test_pages_in_chinese_name_entities_in_chinese(clients: dict[str, TestClient],
                                                   seeded: Seeded) -> None:
    board = clients["aud"].get("/board?lang=zh").text
    assert '<td>SRE</td><td>丝路能源有限公司</td>' in board
    assert '<td>SRI</td><td>Silk Road Infrastructure</td>' in board  # no Chinese name given
    english = clients["aud"].get("/board?lang=en").text
    assert '<td>SRE</td><td>Silk Road Energy</td>' in english
    # the code after the name in full-width brackets, without a space (in English, half-width)
    home = clients["sub2"].get("/?lang=zh").text
    assert ('<h2><a href="/entities/SRE">丝路能源有限公司</a>'
            '<span class="muted">（SRE）</span></h2>') in home
    entity = clients["sub2"].get("/entities/SRE?lang=zh").text
    assert '<h1>丝路能源有限公司<span class="muted">（SRE）</span></h1>' in entity
    english = clients["sub2"].get("/entities/SRE?lang=en").text
    assert '<h1>Silk Road Energy <span class="muted">(SRE)</span></h1>' in english
    admin = clients["adm"].get("/admin?lang=zh").text
    assert '<td>丝路东非有限公司</td>' in admin
    # the prefilled template carries it too
    template = clients["sub2"].get("/entities/SRE/template?lang=en")
    book = load_workbook(io.BytesIO(template.content))
    fields = {row[0]: row[1] for row in book["Organization"].iter_rows(values_only=True)}
    assert fields["organization_name"] == "Silk Road Energy"
    assert fields["organization_name_zh"] == "丝路能源有限公司"


def test_the_prefilled_template_writes_a_name_as_text_never_a_formula(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A name comes from a submission: one that starts with '=' stays text in the template,
    # and a control character (which openpyxl refuses in a cell) is dropped, not a crash.
    from envreport.portal import service
    from envreport.portal.access import Principal

    monkeypatch.setattr(service, "entity", lambda _ledger, _user, entity_id: {
        "entity_id": entity_id, "name": '=HYPERLINK("http://x.example","Silk")',
        "name_zh": "丝路\x07能源", "parent_id": None})
    monkeypatch.setattr(service, "periods", lambda _ledger: [{"year": 2024, "open": True}])
    content, name = service.prefilled_template(None, Principal("sub", "submitter", ("SRE",)),
                                               "SRE", "en", tmp_path)
    assert name == "envreport-SRE-en.xlsx"
    sheet = load_workbook(io.BytesIO(content))["Organization"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows()}
    assert cells["organization_name"].value == '=HYPERLINK("http://x.example","Silk")'
    assert cells["organization_name"].data_type == "s"
    assert cells["organization_name_zh"].value == "丝路能源"
    # the open period's dates, as Excel dates (not text)
    assert cells["reporting_period_start"].is_date
    assert (cells["reporting_period_start"].value, cells["reporting_period_end"].value) == (
        datetime(2024, 1, 1), datetime(2024, 12, 31))
    assert cells["entity_id"].value == "SRE"


def test_the_board_names_each_entity_as_the_entity_list_does(seeded: Seeded) -> None:
    from envreport.portal import service
    from envreport.portal.access import Principal

    with Ledger(seeded.url) as ledger:
        board = service.board(ledger, Principal("aud", "auditor"), 2024)
    # each row: the entity's fields, in the order service.entities gives them, and its state
    assert [list(r) for r in board["rows"]] == [
        ["entity_id", "name", "name_zh", "parent_id", "state", "submission"]] * 4
    rows = {r["entity_id"]: (r["name"], r["name_zh"], r["parent_id"], r["state"])
            for r in board["rows"]}
    assert rows == {
        "CSIG": ("China Silk Road Infrastructure Group", None, None, "missing"),
        "SRE": ("Silk Road Energy", "丝路能源有限公司", "CSIG", "valid"),
        "SREA": ("Silk Road East Africa <b>&</b>", "丝路东非有限公司", "CSIG", "invalid"),
        "SRI": ("Silk Road Infrastructure", None, "CSIG", "missing")}
    assert rows["SRE"][3] == board["rows"][1]["submission"]["state"]
