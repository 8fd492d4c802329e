"""An entity's Chinese name on the pages in Chinese.

Found walking the portal in Chinese: every page named the entities in English ("Silk Road
Energy Co., Ltd.") although their workbooks give organization_name_zh (丝路能源有限公司),
which the batch's status board shows. The name comes from the entity's newest submission.
"""

from __future__ import annotations

import io

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
    home = clients["sub2"].get("/?lang=zh").text
    assert '<h2><a href="/entities/SRE">丝路能源有限公司</a>' in home
    entity = clients["sub2"].get("/entities/SRE?lang=zh").text
    assert "<h1>丝路能源有限公司 <span" in entity
    admin = clients["adm"].get("/admin?lang=zh").text
    assert '<td>丝路东非有限公司</td>' in admin
    # the prefilled template carries it too
    template = clients["sub2"].get("/entities/SRE/template?lang=en")
    book = load_workbook(io.BytesIO(template.content))
    fields = {row[0]: row[1] for row in book["Organization"].iter_rows(values_only=True)}
    assert fields["organization_name"] == "Silk Road Energy"
    assert fields["organization_name_zh"] == "丝路能源有限公司"
