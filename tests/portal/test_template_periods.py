"""The prefilled template of each open period, not only the newest (r16: a subsidiary
correcting 2023 while 2024 was open could only get a template dated 2024)."""

from __future__ import annotations

import io
from datetime import datetime

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from envreport.ledger import Ledger
from tests.portal.support import PASSWORDS, Seeded, login


def _period(content: bytes) -> tuple[datetime, datetime]:
    sheet = load_workbook(io.BytesIO(content))["Organization"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    return values["reporting_period_start"], values["reporting_period_end"]


def _links(client: TestClient, path: str) -> list[tuple[str, str]]:
    page = BeautifulSoup(client.get(path).text, "html.parser")
    return [(a["href"], a.get_text()) for a in page.select("p.template-links a")]


def test_the_template_of_each_open_period(fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        ledger.open_period(2023, by="test")  # 2023 reopened for a correction, 2024 open
    login(client, "sub")
    both = [("/entities/SREA/template?year=2024", "Download the template for 2024"),
            ("/entities/SREA/template?year=2023", "Download the template for 2023")]
    assert _links(client, "/") == both
    assert _links(client, "/entities/SREA") == both
    assert [text for _, text in _links(client, "/?lang=zh")] == [
        "下载2024年的填报模板", "下载2023年的填报模板"]
    for year in (2023, 2024):
        answer = client.get(f"/entities/SREA/template?year={year}")
        assert answer.status_code == 200
        assert _period(answer.content) == (datetime(year, 1, 1), datetime(year, 12, 31))
        assert (f'filename="envreport-SREA-{year}-en.xlsx"'
                in answer.headers["content-disposition"])
    # without a year: the newest open period's, under its name of before
    newest = client.get("/entities/SREA/template")
    assert _period(newest.content) == (datetime(2024, 1, 1), datetime(2024, 12, 31))
    assert 'filename="envreport-SREA-en.xlsx"' in newest.headers["content-disposition"]
    # a year that is no open period is nothing to download
    for year in ("2022", "0", "99999999999"):
        assert client.get(f"/entities/SREA/template?year={year}").status_code == 404
    # the API: the same choice, the same refusal
    token = client.post("/api/v1/token", json={"username": "sub",
                                               "password": PASSWORDS["sub"]}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    api = client.get("/api/v1/entities/SREA/template?year=2023&lang=en", headers=bearer)
    assert api.status_code == 200
    assert _period(api.content) == (datetime(2023, 1, 1), datetime(2023, 12, 31))
    with Ledger(seeded.url) as ledger:
        ledger.close_period(2023, by="test")
    assert client.get("/api/v1/entities/SREA/template?year=2023",
                      headers=bearer).status_code == 404
    assert client.get("/entities/SREA/template?year=2023").status_code == 404
    assert _links(client, "/") == both[:1]
    # no period open: the undated template, as before
    with Ledger(seeded.url) as ledger:
        ledger.close_period(2024, by="test")
    assert _links(client, "/") == [("/entities/SREA/template",
                                    "Download the template for this entity")]
    assert _period(client.get("/entities/SREA/template").content) == (None, None)
