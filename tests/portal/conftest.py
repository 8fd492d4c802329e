"""Fixtures of the portal tests: one seeded ledger and app per module, a client per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from envreport.portal import PortalSettings, create_app
from tests.portal.support import PASSWORDS, Seeded, login, seed


@pytest.fixture(scope="session", autouse=True)
def workers_start_on_their_first_job() -> Iterator[None]:
    """The apps of these tests start no upload worker until they hand it a job.

    A portal app warms its worker pool as it starts (``Workers.warm``: a spawned interpreter
    that imports the pipeline, about 1.3 s of CPU), so that a server's first upload is not
    the slow one. The suite starts an app per module and one per test of ``fresh``, and most
    never upload: each of those spawned a worker for nothing. A job still spawns its worker
    (the same import, at the first job instead of at the start), and a server started as its
    own process (``envreport serve``: test_e2e, test_load) warms as it always does. No test
    here measures the first upload's latency."""
    from envreport.portal.jobs import Workers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Workers, "warm", lambda self: None)
        yield


@pytest.fixture(scope="session")
def seeded_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """Seed one ledger per run (recording and hashing take seconds); tests get copies."""
    folder = tmp_path_factory.mktemp("seed")
    return folder / "ledger.db", seed(folder)


def copy_of_seed(seeded_once: tuple[Path, Seeded], folder: Path) -> Seeded:
    database, seeded = seeded_once
    shutil.copyfile(database, folder / "ledger.db")
    return Seeded(f"sqlite:///{folder / 'ledger.db'}", seeded.srea_id, seeded.sre_id)


@pytest.fixture(scope="module")
def seeded(seeded_once: tuple[Path, Seeded], tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return copy_of_seed(seeded_once, tmp_path_factory.mktemp("portal"))


@pytest.fixture(scope="module")
def app_and_root(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("reports")
    app = create_app(PortalSettings(db_url=seeded.url, reports_dir=folder, secret="s" * 48,
                                    workers=1))
    with TestClient(app, base_url="http://127.0.0.1") as root:  # runs the lifespan once
        yield root


@pytest.fixture(scope="module")
def clients(app_and_root: TestClient) -> dict[str, TestClient]:
    """A logged-in browser per user, and ``anon``."""
    app = app_and_root.app
    out = {"anon": TestClient(app, base_url="http://127.0.0.1")}
    for name in PASSWORDS:
        client = TestClient(app, base_url="http://127.0.0.1")
        assert login(client, name).status_code == 303
        out[name] = client
    return out


@pytest.fixture(scope="module")
def tokens(app_and_root: TestClient) -> dict[str, str]:
    out = {}
    for name, password in PASSWORDS.items():
        answer = app_and_root.post("/api/v1/token", json={"username": name,
                                                          "password": password})
        assert answer.status_code == 200, answer.text
        out[name] = answer.json()["token"]
    return out


@pytest.fixture
def fresh(seeded_once: tuple[Path, Seeded],
          tmp_path: Path) -> Iterator[tuple[TestClient, Seeded]]:
    """An app of its own (for tests that change state or count failures)."""
    seeded = copy_of_seed(seeded_once, tmp_path)
    app = create_app(PortalSettings(db_url=seeded.url, reports_dir=tmp_path / "reports",
                                    secret="f" * 48, workers=1))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, seeded
