"""Shared fixtures: the bundled samples and a validator shortcut."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import argon2
import pytest
from hypothesis import HealthCheck, settings

from envreport.io import read_workbook
from envreport.ledger import accounts
from envreport.submission import Submission
from envreport.validate import validate

# Bytecode is written even where the environment forbids it (PYTHONDONTWRITEBYTECODE, which
# this project's development machine sets), as .ci/run does: otherwise each xdist worker
# rewrites the asserts of every test module again at collection (about 4 s of CPU each), and
# each interpreter the suite starts (the CLI in its own process, servers, probes) compiles
# envreport again. The caches go to the checkout's __pycache__ folders (ignored by git).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inputs"

# Hypothesis profiles: in CI the same examples every run (derandomize: a red build is a
# real failure, never bad luck; failures found once are kept as @example); while developing,
# fresh random examples. Tests set no max_examples of their own: the profile decides (the
# exceptions are pure functions checked against a reference implementation — babel's number
# format, json.dumps — where hundreds of examples cost under 2 s and are the point). In CI,
# 10 generated examples besides every @example: the metrics properties compute a submission
# once or twice per example (about 0.15 s each), and 15 cost the suite some 6 s of CPU more
# for examples that, derandomized, are the same ones every run; the dev profile keeps 15 fresh
# ones per run, which is where new failures are found.
settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config: pytest.Config) -> None:
    """``pytest -n 2`` hands out tests one by one ("load"), so that each worker builds a
    module's shared fixtures for itself: test_pdf's PDFs, test_e2e's server and browser, the
    portal's seeded apps, the wheel of test_packaging. "loadscope" sends each module to one
    worker, which builds them once. (Not "loadgroup" with marks: pytest-xdist 3.8 ignores
    its groups under pytest 9.2, pytest-dev/pytest-xdist#1386.) ``--dist`` given on the
    command line other than "load" is kept."""
    # Ctrl-C as an interactive run has it. A run started as a background job of a shell
    # without job control (``nohup pytest ... &`` in a script) inherits SIGINT ignored, and
    # Python keeps it so: the tests of what Ctrl-C does (test_pipeline_templates, the
    # batch's) then fail, one by waiting for ever. Each xdist worker runs this too, and the
    # processes the tests start get the default back when they exec.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadscope"
        # xdist would hand out the modules with the most tests first, which puts the
        # two-test browser journey last, alone on one worker: keep the order below instead.
        config.option.loadscopereorder = False
    # What runs keep between them (the compiled templates, render.template_cache; the
    # loaded factor library, factors.library_cache) goes to a folder of this test session,
    # never to the user's cache directory: set before anything is collected, and inherited
    # by the suite's subprocesses (each xdist worker makes its own; the names are
    # envreport.cache_folder's CACHE_DIR_VARIABLE and NO_CACHE_VARIABLE)
    global _TEMPLATE_CACHE
    _TEMPLATE_CACHE = tempfile.mkdtemp(prefix="envreport-test-cache-")
    os.environ["ENVREPORT_CACHE_DIR"] = _TEMPLATE_CACHE
    os.environ.pop("ENVREPORT_NO_CACHE", None)


_TEMPLATE_CACHE: str | None = None


def pytest_unconfigure(config: pytest.Config) -> None:
    if _TEMPLATE_CACHE is not None:
        shutil.rmtree(_TEMPLATE_CACHE, ignore_errors=True)


# The longest modules, longest first (seconds of one worker's time, CPU plus the waits for a
# hanging task, measured under -n 2): each is handed to the worker that is free first, and the
# many short modules after them fill the gaps, so that no long one runs alone at the end.
LONGEST_FIRST = (
    "tests/portal/test_e2e.py",  # ~40: a server, a browser, the group's two PDFs
    "tests/test_batch_limits.py",  # ~30: 25 of CPU, and two hanging tasks waited out
    "tests/test_batch.py",  # ~30: batches and groups of the three samples
    "tests/test_hostile.py",  # ~29
    "tests/test_ledger.py",  # ~27: SQLite and PostgreSQL
    "tests/test_fuzz.py",  # ~27 of CPU, its commands two at a time
    "tests/test_batch_survives.py",  # ~16 of CPU, and a 12 s hang waited out
    "tests/portal/test_security.py",  # ~22
    "tests/test_render.py",  # ~22
    "tests/test_pdf.py",  # ~18: four PDFs
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: every other test keeps its collection order


# The cyclic collector's full passes walk every object alive: in a worker, everything that
# collecting the suite imported (pandas, WeasyPrint, FastAPI, Hypothesis, every test module),
# which no pass will ever free. Frozen, they are out of the passes, as a pre-forking server
# does after its imports (envreport's own forks do the same): over test_render and
# test_batch, the time in full passes fell by about half. envreport unfreezes in the parent
# after a batch forks its tasks, so each module starts by freezing again if that happened
# (after a collection, so that no garbage is kept). The tests' own objects are collected as
# ever.
_frozen_for: list[str] = [""]


def _freeze_what_is_loaded() -> None:
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    _freeze_what_is_loaded()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    module = item.nodeid.split("::")[0]
    if module != _frozen_for[0]:
        _frozen_for[0] = module
        if gc.get_freeze_count() == 0:
            _freeze_what_is_loaded()


@pytest.fixture
def collector_unfrozen() -> Iterator[None]:
    """Nothing frozen during the test (for a test of what envreport freezes itself); the
    suite's freeze is made again after it."""
    gc.unfreeze()
    try:
        yield
    finally:
        _freeze_what_is_loaded()


_REAL_PASSWORD_HASHER = accounts.password_hasher


def _quick_password_hasher() -> argon2.PasswordHasher:
    """argon2id with the least work and memory: the accounts' real parameters (3 passes over
    64 MiB) cost about 0.18 s of CPU per hash and per check, and the portal's and the
    ledger's tests make and check a hundred or so. What they test (a password is hashed, the
    right one passes, a wrong one is refused, nothing stores it in clear) does not depend on
    the cost; a check reads the parameters from the stored hash."""
    return argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """The accounts' hasher (``accounts.password_hasher``) made quick in the suite's
    processes and what they fork. A server started as its own process (``envreport serve``)
    checks these hashes as quickly and hashes with the real parameters."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "password_hasher", _quick_password_hasher)
        yield


@pytest.fixture
def secure_password_hashes() -> Iterator[None]:
    """The accounts' own hasher, as the portal runs it, for one test: the quick one above
    must never hide the cost the accounts' passwords are really hashed with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "password_hasher", _REAL_PASSWORD_HASHER)
        yield


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` imported as the module ``name`` (the scripts are no package;
    registered in sys.modules, where dataclasses look a module up while a class is built)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def validate_file(path: Path) -> Submission:
    """Read and validate a workbook, as ``envreport validate`` does."""
    return validate(read_workbook(path))


@lru_cache(maxsize=1)
def _sample_computed() -> tuple[Any, str]:
    """The sample ``sre.xlsx`` computed once per test process: the model and its
    ``results.json`` (encoded at once, so that nothing a test does to the model can reach
    the JSON the other tests read)."""
    from envreport.metrics import compute
    from envreport.pipeline import results_json

    model = compute(validate_file(SAMPLES / "group" / "sre.xlsx"))
    return model, results_json(model).decode()


def _sample_results_json() -> str:
    return _sample_computed()[1]


def sample_results_model() -> Any:
    """``compute()``'s ``Results`` for the sample workbook ``sre.xlsx``, shared by every test
    of the process: read it, or change a ``model_copy()`` of it, never the model itself."""
    return _sample_computed()[0]


def sample_results() -> dict:
    """``results.json`` as ``compute()`` writes it for the sample workbook ``sre.xlsx`` (a
    fresh copy each call: render tests change it to test one rule at a time)."""
    return json.loads(_sample_results_json())


@pytest.fixture(scope="session")
def sample_results_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's ``results.json`` on disk (for a fresh process to read)."""
    path = tmp_path_factory.mktemp("results") / "results.json"
    path.write_text(_sample_results_json(), encoding="utf-8")
    return path


# --- the ledger: the same tests on SQLite and on a real PostgreSQL ---------------------------
@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the session, or a skip that prints why not."""
    from tests.postgres_cluster import PostgresUnavailableError, start_cluster

    try:
        cluster = start_cluster()
    except PostgresUnavailableError as error:
        pytest.skip(f"PostgreSQL tests skipped: {error}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty ledger database: an SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("postgres_cluster").create_database()
