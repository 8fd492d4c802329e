"""Shared set-up of the portal tests: a seeded ledger, logged-in clients, a live server."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from envreport.ledger import Ledger
from envreport.portal.web import XLSX
from tests.conftest import SAMPLES, load_script

FAULTY = SAMPLES / "faulty" / "faulty_submission.xlsx"
GROUP = SAMPLES / "group"
PASSWORDS = {"sub": "sub-password-1", "sub2": "sub2-password-1", "aud": "aud-password-1",
             "adm": "adm-password-1"}
ROLES = {"sub": "submitter", "sub2": "submitter", "aud": "auditor", "adm": "admin"}
ENTITIES = {"sub": ["SREA"], "sub2": ["SRE"]}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Seeded:
    """Ids of what :func:`seed` recorded."""

    url: str
    srea_id: int  # the faulty workbook, SREA (sub's entity)
    sre_id: int  # SRE's valid workbook (sub2's entity)


def seed(folder: Path) -> Seeded:
    """A ledger with the group's entities, 2024 open, 2023 closed, four users, two uploads."""
    url = f"sqlite:///{folder / 'ledger.db'}"
    with Ledger(url) as ledger:
        ledger.add_entity("CSIG", "China Silk Road Infrastructure Group", by="test")
        ledger.add_entity("SRE", "Silk Road Energy", parent="CSIG", by="test")
        ledger.add_entity("SRI", "Silk Road Infrastructure", parent="CSIG", by="test")
        ledger.add_entity("SREA", "Silk Road East Africa <b>&</b>", parent="CSIG", by="test")
        ledger.open_period(2023, by="test")
        ledger.close_period(2023, by="test")
        ledger.open_period(2024, by="test")
        for name, role in ROLES.items():
            ledger.add_user(name, role, ENTITIES.get(name, []), PASSWORDS[name], by="test")
        srea = ledger.record(FAULTY, by="sub", source="web")
        sre = ledger.record(GROUP / "sre.xlsx", by="sub2", source="web")
    return Seeded(url, srea.id, sre.id)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def login(client: httpx2.Client, name: str, password: str | None = None) -> httpx2.Response:
    """Log ``client`` in through the form (as a browser would)."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "username": name,
                                       "password": password or PASSWORDS[name], "next": "/"},
                       follow_redirects=False)


def upload(client: httpx2.Client, filename: str, content: bytes, media_type: str = XLSX,
           **options: Any) -> httpx2.Response:
    """Post ``content`` as ``filename`` through the upload form of the logged-in ``client``
    (its CSRF token taken from the form, as a browser would)."""
    token = csrf_of(client.get("/upload").text)
    return client.post("/upload", data={"csrf_token": token},
                       files={"workbook": (filename, content, media_type)},
                       **options)


# one definition of the live server and the load test: scripts/portal_load.py
portal_load = load_script("portal_load")
live_server = portal_load.live_server


def corrected_workbook(folder: Path) -> Path:
    """SREA's corrected submission: the group's valid SRE workbook under SREA's identity."""
    from openpyxl import load_workbook

    book = load_workbook(GROUP / "sre.xlsx")
    sheet = book["Organization"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "entity_id":
            row[1].value = "SREA"
        elif row[0].value == "organization_name":
            row[1].value = "Silk Road East Africa Co., Ltd."
        elif row[0].value == "organization_name_zh":
            row[1].value = "丝路东非有限公司"
    path = folder / "faulty_submission_fixed.xlsx"
    book.save(path)
    return path
