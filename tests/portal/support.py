"""Shared set-up of the portal tests: a seeded ledger, logged-in clients, a live server."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from envreport.ledger import Ledger
from tests.conftest import ROOT, SAMPLES

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


def login(client: httpx.Client, name: str, password: str | None = None) -> httpx.Response:
    """Log ``client`` in through the form (as a browser would)."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "username": name,
                                       "password": password or PASSWORDS[name], "next": "/"},
                       follow_redirects=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(db_url: str, workdir: Path, workers: int = 2) -> Iterator[str]:
    """``envreport serve`` on 127.0.0.1 and a free port (loopback only), stopped afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENVREPORT_SECRET": "test-secret-" + "x" * 40}
    process = subprocess.Popen(
        [sys.executable, "-c", "from envreport.cli import main; main()", "serve", "--db",
         db_url, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"the portal did not start: {output[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
