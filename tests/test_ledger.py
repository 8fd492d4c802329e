"""The ledger: storing submissions, superseding, restating, the base year — on SQLite and on a
real PostgreSQL (``ledger_url`` runs each test on both).

Hand-worked figures come from refrigerant leaks of HFC-134a, whose GWP is 1,300 under AR5 and
1,530 under AR6 (IPCC AR5 WG1 Table 8.A.1; AR6 WG1 Table 7.SM.7): 10 kg are 13.0 tCO2e under
AR5 and 15.3 tCO2e under AR6. Each test workbook has only such rows, so Scope 1 is exactly
the sum of kg × GWP / 1000.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from envreport.ledger import Ledger, LedgerError
from envreport.ledger import tables as t
from tests.conftest import ROOT, SAMPLES
from tests.workbooks import organization_rows, write_workbook


def workbook(path: Path, year: int, leaks: dict[str, float], *, gwp: str = "AR6",
             base_year: int | None = None, threshold: float | None = None,
             entity: str = "TEST", divested: tuple[str, ...] = (),
             acquired: dict[str, date] | None = None,
             ownership: dict[str, float] | None = None, control: bool = False,
             period_end: date | None = None) -> Path:
    """A submission whose Scope 1 is HFC-134a leaks (kg) of projects P1, P2, ... (each held
    at 100 % unless ``ownership`` says otherwise; equity share, or with ``control``
    operational control of every project) in calendar ``year``, or from 1 January to
    ``period_end``"""
    organization = organization_rows(entity, year, gwp)
    if period_end is not None:
        organization = [["reporting_period_end", period_end]
                        if row[0] == "reporting_period_end" else row for row in organization]
    if control:
        organization = [["consolidation_approach", "operational_control"]
                        if row[0] == "consolidation_approach" else row for row in organization]
    if base_year is not None:
        organization.append(["base_year", base_year])
    if threshold is not None:
        organization.append(["recalculation_threshold_pct", threshold])
    projects = [["project_id", "project_name", "host_country", "sector", "project_type",
                 "status", "ownership_pct", "eia_status", "eia_approval_date",
                 "acquired_date", *(["operational_control"] if control else [])]]
    refrigerants = [["project_id", "gas", "quantity_kg"]]
    for project_id, kg in leaks.items():
        status = "divested" if project_id in divested else "operation"
        projects.append([project_id, f"Plant {project_id}", "PK", "manufacturing",
                         "manufacturing", status, (ownership or {}).get(project_id, 100),
                         "approved", date(2015, 1, 1),
                         (acquired or {}).get(project_id), *(["yes"] if control else [])])
        refrigerants.append([project_id, "HFC-134a", kg])
    return write_workbook(path, {"Organization": organization, "Projects": projects,
                                 "Refrigerants": refrigerants})


@pytest.fixture
def ledger(ledger_url: str) -> Any:
    with Ledger(ledger_url) as led:
        yield led


def test_records_valid_submission_with_rows_results_and_audit(ledger: Ledger,
                                                               tmp_path: Path) -> None:
    path = workbook(tmp_path / "t2024.xlsx", 2024, {"P1": 10, "P2": 2})
    record = ledger.record(path, by="alice", source="web")
    assert (record.entity_id, record.period_start, record.period_end) == (
        "TEST", date(2024, 1, 1), date(2024, 12, 31))
    assert (record.outcome, record.status, record.received_by, record.source) == (
        "valid", "current", "alice", "web")
    assert record.size_bytes == path.stat().st_size
    assert ledger.file_bytes(record.id) == path.read_bytes()
    stored = ledger.submission(record.id)
    assert stored is not None
    assert stored.results is not None
    assert stored.results["ghg"]["scope1_tco2e"] == pytest.approx(15.3 + 3.06)
    assert ledger.figures(record.id)["by_project.P2.scope1_tco2e"] == pytest.approx(3.06)
    with ledger.engine.connect() as connection:
        rows = connection.execute(select(t.ROW_TABLES["Refrigerants"].c.project_id,
                                         t.ROW_TABLES["Refrigerants"].c.quantity_kg,
                                         t.ROW_TABLES["Refrigerants"].c.excel_row)
                                  .order_by(t.ROW_TABLES["Refrigerants"].c.excel_row)).all()
    assert [tuple(r) for r in rows] == [("P1", 10.0, 2), ("P2", 2.0, 3)]
    actions = [entry["action"] for entry in ledger.audit_log()]
    assert actions == ["submission.record", "entity.add"]


def test_resubmission_supersedes_and_invalid_is_kept_without_replacing(
        ledger: Ledger, tmp_path: Path) -> None:
    first = ledger.record(workbook(tmp_path / "a.xlsx", 2024, {"P1": 10}))
    second = ledger.record(workbook(tmp_path / "b.xlsx", 2024, {"P1": 12}))
    # An invalid resubmission (negative quantity) is stored with its finding at its cell ...
    broken = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": -5}))
    statuses = {r.id: r.status for r in ledger.submissions(entity="TEST")}
    assert statuses == {first.id: "superseded", second.id: "current", broken.id: "rejected"}
    assert broken.outcome == "invalid"
    stored = ledger.submission(broken.id)
    assert stored is not None
    assert [(f["sheet"], f["cell"]) for f in stored.findings if f["severity"] == "error"] == [
        ("Refrigerants", "C2")]
    assert stored.results is None
    # ... and the earlier valid one stays the one that counts.
    assert [r.id for r in ledger.submissions(period=2024, current_only=True)] == [second.id]
    # Nothing was updated in place: the first submission's figures are as they were.
    assert ledger.figures(first.id)["ghg.scope1_tco2e"] == pytest.approx(15.3)


def test_prior_period_restated_under_new_gwp_set_and_change_pct(ledger: Ledger,
                                                                 tmp_path: Path) -> None:
    ledger.record(workbook(tmp_path / "t2023.xlsx", 2023, {"P1": 10, "P2": 2}, gwp="AR5"))
    current = ledger.record(workbook(tmp_path / "t2024.xlsx", 2024, {"P1": 11}))
    sections = ledger.comparison(current)
    comparison = sections["comparison"]
    assert comparison["prior_period"]["start"] == "2023-01-01"
    assert comparison["prior_period"]["restated"] is True
    scope1 = comparison["figures"]["ghg.scope1_tco2e"]
    # 2023 as reported under AR5: (10 + 2) kg × 1,300 = 15.6 t; restated under AR6:
    # 12 kg × 1,530 = 18.36 t. 2024: 11 kg × 1,530 = 16.83 t, i.e. −8.33 % on 18.36.
    assert scope1["prior_as_reported"] == pytest.approx(15.6)
    assert scope1["prior"] == pytest.approx(18.36)
    assert scope1["current"] == pytest.approx(16.83)
    assert scope1["change_pct"] == pytest.approx((16.83 - 18.36) / 18.36 * 100)
    assert scope1["change_pct"] == pytest.approx(-8.3333333)
    # No Scope 2 in either year: nothing to compare, never a division by zero.
    assert comparison["figures"]["ghg.scope2_location_tco2e"]["change_pct"] is None
    history = sections["history"]
    assert [(h["period_end"], h["restated"]) for h in history] == [
        ("2023-12-31", True), ("2024-12-31", False)]
    assert history[0]["scope1_tco2e"] == pytest.approx(18.36)
    assert history[0]["as_reported_scope1_tco2e"] == pytest.approx(15.6)
    # The stored 2023 figures themselves are untouched.
    assert ledger.history("TEST")[0]["as_reported_scope1_tco2e"] == pytest.approx(15.6)


def test_no_earlier_period_gives_null_sections(ledger: Ledger, tmp_path: Path) -> None:
    record = ledger.record(workbook(tmp_path / "t2024.xlsx", 2024, {"P1": 10}))
    sections = ledger.comparison(record)
    assert (sections["comparison"], sections["history"], sections["base_year"]) == (
        None, None, None)


def test_base_year_recalculated_after_divestment_above_threshold(ledger: Ledger,
                                                                 tmp_path: Path) -> None:
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10, "P2": 2}, gwp="AR5",
                           base_year=2023))
    current = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 11}, base_year=2023))
    base = ledger.comparison(current)["base_year"]
    # Base year as reported (AR5): 15.6 t. Methodology change to AR6: +2.76 t (17.69 %);
    # P2 gone: its AR6 base-year emissions, 2 kg × 1,530 = 3.06 t, leave (−19.62 %).
    triggers = {trigger["code"]: trigger for trigger in base["triggers"]}
    assert set(triggers) == {"methodology-change", "structural-divestment"}
    assert triggers["methodology-change"]["effect_tco2e"] == pytest.approx(2.76)
    assert triggers["methodology-change"]["effect_pct"] == pytest.approx(2.76 / 15.6 * 100)
    assert triggers["structural-divestment"]["project_id"] == "P2"
    assert triggers["structural-divestment"]["effect_tco2e"] == pytest.approx(-3.06)
    assert triggers["structural-divestment"]["effect_pct"] == pytest.approx(-19.6153846)
    assert base["recalculated"] is True
    assert base["threshold_pct"] == 5.0
    assert base["as_reported_scope1_tco2e"] == pytest.approx(15.6)
    assert base["scope1_tco2e"] == pytest.approx(18.36 - 3.06)


def test_base_year_stands_below_threshold_and_threshold_is_the_workbooks(
        ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10, "P2": 0.1}, base_year=2023))
    below = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 11, "P2": 0.1},
                                   base_year=2023, divested=("P2",)))
    base = ledger.comparison(below)["base_year"]
    # Same methods (AR6): the only trigger is P2's divestment, 0.1 kg × 1,530 = 0.153 t of
    # a 15.453 t base year = 0.99 %, below 5 %: the base year stands as reported.
    [trigger] = base["triggers"]
    assert trigger["code"] == "structural-divestment"
    assert trigger["effect_tco2e"] == pytest.approx(-0.153)
    assert trigger["effect_pct"] == pytest.approx(-0.153 / 15.453 * 100)
    assert base["recalculated"] is False
    assert base["scope1_tco2e"] == pytest.approx(15.453)
    # With the workbook's own threshold at 0.5 % the same divestment recalculates it.
    strict = ledger.record(workbook(tmp_path / "d.xlsx", 2024, {"P1": 11, "P2": 0.1},
                                    base_year=2023, divested=("P2",), threshold=0.5))
    base = ledger.comparison(strict)["base_year"]
    assert base["threshold_pct"] == 0.5
    assert base["recalculated"] is True
    assert base["scope1_tco2e"] == pytest.approx(15.3)


def test_error_correction_after_a_report_used_the_base_year(ledger: Ledger,
                                                            tmp_path: Path) -> None:
    first = ledger.record(workbook(tmp_path / "b1.xlsx", 2023, {"P1": 10}, base_year=2023))
    report = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 11}, base_year=2023))
    ledger.note_report(report.id, ledger.comparison(report)["used_submission_ids"])
    ledger.record(workbook(tmp_path / "b2.xlsx", 2023, {"P1": 11}, base_year=2023))
    again = ledger.record(workbook(tmp_path / "c2.xlsx", 2024, {"P1": 11}, base_year=2023))
    base = ledger.comparison(again)["base_year"]
    [trigger] = base["triggers"]
    # The corrected base year: 11 kg instead of 10 kg, +1.53 t on the 16.83 t now reported.
    assert trigger["code"] == "error-correction"
    assert str(first.id) in trigger["detail"]
    assert trigger["effect_tco2e"] == pytest.approx(1.53)
    assert base["recalculated"] is True


def test_a_prior_period_corrected_after_a_report_used_it_is_restated(ledger: Ledger,
                                                                     tmp_path: Path) -> None:
    # 2023 reported 10 kg (15.3 t); the 2024 report compared with it; 2023 was then
    # resubmitted with 12 kg (18.36 t). The next 2024 report compared with 18.36 t but said
    # nothing of a restatement: "restated" was false and the 15.3 t published was gone.
    first = ledger.record(workbook(tmp_path / "b1.xlsx", 2023, {"P1": 10}))
    report = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 9}))
    sections = ledger.comparison(report)
    ledger.note_report(report.id, sections["used_submission_ids"])
    assert sections["comparison"]["prior_period"]["restated"] is False
    assert "replaced_submission_id" not in sections["comparison"]["prior_period"]
    corrected = ledger.record(workbook(tmp_path / "b2.xlsx", 2023, {"P1": 12}))
    again = ledger.record(workbook(tmp_path / "c2.xlsx", 2024, {"P1": 9}))
    sections = ledger.comparison(again)
    prior = sections["comparison"]["prior_period"]
    assert (prior["restated"], prior["restatement_reasons"], prior["submission_id"],
            prior["replaced_submission_id"]) == (True, [], corrected.id, first.id)
    scope1 = sections["comparison"]["figures"]["ghg.scope1_tco2e"]
    # 9 kg × 1,530 = 13.77 t against 12 kg = 18.36 t (-25 %), first reported 10 kg = 15.3 t
    assert scope1 == pytest.approx({"current": 13.77, "prior": 18.36, "change_pct": -25.0,
                                    "prior_as_reported": 15.3, "prior_restated": True})
    history = sections["history"][0]
    assert (history["restated"], history["scope1_tco2e"],
            history["as_reported_scope1_tco2e"]) == (True, pytest.approx(18.36),
                                                      pytest.approx(15.3))
    # recorded again with the same figures (another file: a group built anew), after a
    # report used the corrected one: nothing is corrected, nothing restated
    ledger.note_report(again.id, sections["used_submission_ids"])
    ledger.record(workbook(tmp_path / "b3.xlsx", 2023, {"P1": 12}, threshold=5))
    repeat = ledger.comparison(ledger.record(workbook(tmp_path / "c3.xlsx", 2024, {"P1": 9})))
    assert repeat["comparison"]["prior_period"]["restated"] is False


def test_a_period_corrected_after_its_own_report_is_restated(ledger: Ledger,
                                                             tmp_path: Path) -> None:
    # 2023's own report (the entity's first period: nothing to compare with) published
    # 10 kg (15.3 t); 2023 was then corrected to 12 kg (18.36 t). The 2024 report compared
    # with 18.36 t without a word: only a report that compared with 2023 counted as using it.
    from envreport.ledger.build import build_with_ledger

    _, first = build_with_ledger(workbook(tmp_path / "b1.xlsx", 2023, {"P1": 10}),
                                 tmp_path / "out", ledger, ["en"], pdf=False)
    corrected = ledger.record(workbook(tmp_path / "b2.xlsx", 2023, {"P1": 12}))
    sections = ledger.comparison(ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 9})))
    prior = sections["comparison"]["prior_period"]
    assert (prior["restated"], prior["submission_id"], prior["replaced_submission_id"]) == (
        True, corrected.id, first.id)
    # 9 kg × 1,530 = 13.77 t against 18.36 t (-25 %), first reported 15.3 t
    assert sections["comparison"]["figures"]["ghg.scope1_tco2e"] == pytest.approx(
        {"current": 13.77, "prior": 18.36, "change_pct": -25.0, "prior_as_reported": 15.3,
         "prior_restated": True})


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _writer(work: Callable[..., None], *args: object) -> multiprocessing.process.BaseProcess:
    """``work(*args)`` in a process of its own, with its own connections: forked from this
    one, which has imported the ledger already (a fresh interpreter cost each writer about
    1.5 s of CPU for its imports; the tests are about the database, not the start). A
    failure's traceback is on the child's stderr, which pytest shows."""
    process = multiprocessing.get_context("fork").Process(target=work, args=args)
    process.start()
    return process


def _record_and_stop_inside_the_transaction(url: str, path: Path, marker: Path) -> None:
    import envreport.ledger.api as api

    def stop_here(submission_id: object) -> None:
        marker.write_text(str(submission_id))
        time.sleep(120)

    api.after_rows_hook = stop_here  # in the child only
    Ledger(url).record(path)


def test_killed_write_leaves_nothing(ledger_url: str, tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", 2024, {"P1": 10, "P2": 2})
    Ledger(ledger_url).close()  # the schema exists before the writer starts
    marker = tmp_path / "inside-transaction"
    writer = _writer(_record_and_stop_inside_the_transaction, ledger_url, path, marker)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert writer.is_alive(), f"the writer ended with {writer.exitcode}"
        assert time.monotonic() < deadline, "the writer never reached the hook"
        time.sleep(0.1)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    assert writer.exitcode == -signal.SIGKILL
    with Ledger(ledger_url) as led:
        assert led.submissions() == []
        with led.engine.connect() as connection:
            for table in (t.submissions, t.submission_files, t.findings, t.results, t.figures,
                          t.ROW_TABLES["Refrigerants"], t.ROW_TABLES["Projects"],
                          t.entities, t.audit_log):
                assert connection.execute(select(func.count()).select_from(table)).scalar() \
                    == 0, table.name
        # The ledger still works after the kill.
        assert led.record(path).status == "current"


def _record_all(url: str, paths: list[str]) -> None:
    led = Ledger(url)
    for path in paths:
        led.record(path, by="worker")


def test_two_concurrent_writers_lose_nothing(ledger_url: str, tmp_path: Path) -> None:
    Ledger(ledger_url).close()
    batches = []
    for worker, entity in enumerate(("AAA", "BBB")):
        batches.append([str(workbook(tmp_path / f"{entity}{year}.xlsx", year,
                                     {"P1": 10 + worker, "P2": year - 2020}, entity=entity))
                        for year in (2021, 2022, 2023)])
    writers = [_writer(_record_all, ledger_url, paths) for paths in batches]
    for writer in writers:
        writer.join(timeout=300)
        assert writer.exitcode == 0, "a writer failed: its traceback is in the captured stderr"
    with Ledger(ledger_url) as led:
        records = led.submissions()
        assert sorted((r.entity_id, r.period_year) for r in records) == [
            (e, y) for e in ("AAA", "BBB") for y in (2021, 2022, 2023)]
        assert all(r.status == "current" for r in records)
        for record in records:  # each kept its own rows and figures
            expected = ((10 if record.entity_id == "AAA" else 11) + record.period_year - 2020
                        ) * 1.53
            assert led.figures(record.id)["ghg.scope1_tco2e"] == pytest.approx(expected)
        assert sum(1 for a in led.audit_log(100) if a["action"] == "submission.record") == 6


def test_newer_schema_is_refused_and_not_altered(ledger_url: str) -> None:
    Ledger(ledger_url).close()
    from sqlalchemy import create_engine

    engine = create_engine(ledger_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(LedgerError, match="made by a newer envreport") as raised:
        Ledger(ledger_url)
    assert "\n" not in str(raised.value)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == "9999"
    engine.dispose()


def test_migrations_build_exactly_the_tables_the_code_uses(ledger_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Ledger(ledger_url) as led, led.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), t.metadata)
    assert differences == []


def test_the_shipped_heads_read_from_the_files_are_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from envreport.ledger.store import MIGRATIONS, shipped_heads

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert shipped_heads() == frozenset(ScriptDirectory.from_config(config).get_heads())


def test_an_up_to_date_ledger_opens_without_alembic(ledger_url: str) -> None:
    Ledger(ledger_url).close()  # made and migrated here
    opened = _python("import sys\nfrom envreport.ledger import Ledger\n"
                     "Ledger(sys.argv[1]).close()\nprint('alembic' in sys.modules)", ledger_url)
    out, err = opened.communicate(timeout=120)
    assert (opened.returncode, out.strip()) == (0, "False"), err


def test_every_contract_column_has_a_place_in_its_row_table() -> None:
    from envreport.schema.registry import SHEETS

    missing = [(spec.name, name) for spec in SHEETS if not spec.key_value
               for name in spec.fields if name not in t.ROW_KINDS.get(spec.name, {})]
    assert missing == [], "add a migration with these columns (envreport/ledger/migrations)"


def test_corrupt_sqlite_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="not an envreport ledger"):
        Ledger(f"sqlite:///{path}")
    # A damaged database (valid header, garbage after it) is one line too.
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(LedgerError, match="cannot be opened as a ledger"):
        Ledger(f"sqlite:///{path}")


def test_stored_rows_recompute_to_the_stored_results(tmp_path: Path) -> None:
    from envreport.metrics import compute

    with Ledger(f"sqlite:///{tmp_path / 'l.db'}") as led:
        record = led.record(SAMPLES / "group" / "sre.xlsx")
        stored = led.submission(record.id)
        assert stored is not None
        assert stored.results is not None
        again = compute(led.load_submission(record))
        if not isinstance(again, dict):
            again = json.loads(__import__("envreport.pipeline").pipeline.results_json(again))
        assert {k: v for k, v in again.items() if k != "input"} == {
            k: v for k, v in stored.results.items() if k != "input"}


@pytest.mark.usefixtures("secure_password_hashes")
def test_account_passwords_are_hashed_with_argon2id_at_its_secure_cost(tmp_path: Path) -> None:
    # The suite hashes with the least cost (conftest); the accounts themselves must keep
    # RFC 9106's second recommended profile, argon2-cffi's default: argon2id, 3 passes over
    # 64 MiB, 4 lanes. The parameters are read back from the stored hash.
    import argon2

    with Ledger(f"sqlite:///{tmp_path / 'l.db'}") as led:
        led.add_user("alice", "submitter", ["TEST"], "correct horse")
        with led.engine.connect() as connection:
            stored = connection.execute(select(t.users.c.password_hash)).scalar_one()
        assert led.verify_password("alice", "correct horse")
        assert not led.verify_password("alice", "wrong")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    parameters = argon2.extract_parameters(stored)
    assert (parameters.type, parameters.time_cost, parameters.memory_cost,
            parameters.parallelism) == (argon2.Type.ID, 3, 65536, 4)


def test_users_tokens_reviews_and_periods(ledger: Ledger, tmp_path: Path) -> None:
    ledger.add_user("alice", "submitter", ["TEST"], "correct horse")
    assert ledger.verify_password("alice", "correct horse")
    assert not ledger.verify_password("alice", "wrong")
    assert not ledger.verify_password("nobody", "correct horse")
    with pytest.raises(LedgerError, match="already exists"):
        ledger.add_user("alice", "admin", [], "x")
    token = ledger.issue_token("alice")
    user = ledger.user_for_token(token)
    assert user is not None
    assert (user.name, user.role, user.entities) == ("alice", "submitter", ("TEST",))
    assert ledger.user_for_token(token + "x") is None
    with ledger.engine.connect() as connection:  # only the hash is stored
        assert connection.execute(select(t.api_tokens.c.token_sha256)).scalar() != token
    record = ledger.record(workbook(tmp_path / "t.xlsx", 2024, {"P1": 1}))
    ledger.review(record.id, "returned", "P1 looks low", by="bob")
    ledger.review(record.id, "signed_off", "explained", by="bob")
    stored = ledger.submission(record.id)
    assert stored is not None
    assert stored.review is not None
    assert (stored.review["decision"], stored.review["comment"]) == ("signed_off", "explained")
    assert [r["decision"] for r in ledger.reviews(record.id)] == ["returned", "signed_off"]
    # a list's reviews in one query: each submission's newest, none for one without any
    assert ledger.latest_reviews([record.id, record.id, record.id + 1]) == {
        record.id: ledger.reviews(record.id)[-1]}
    # one account by its indexed row: the same as the whole list gives it, or none
    assert ledger.user("alice") == next(u for u in ledger.users() if u.name == "alice")
    assert ledger.user("Alice") is None
    ledger.open_period(2024)
    ledger.close_period(2024)
    assert not ledger.is_open(2024)
    assert ledger.periods()[0]["state"] == "closed"
    assert [a["action"] for a in ledger.audit_log(4)] == [
        "period.closed", "period.open", "review.signed_off", "review.returned"]


def test_group_periods_are_recorded_apart_and_restated(ledger: Ledger, tmp_path: Path) -> None:
    import pandas as pd

    from envreport.metrics import compute
    from envreport.pipeline import load_submission
    from envreport.submission import Submission

    def merged(year: int, gwp: str, parent_kg: float, subsidiary_kg: float) -> Any:
        # As the batch merges a group: the same Excel row numbers come from two workbooks.
        parent = load_submission(workbook(tmp_path / f"p{year}.xlsx", year, {"A1": parent_kg},
                                          gwp=gwp, entity="PARENT"))
        child = load_submission(workbook(tmp_path / f"s{year}.xlsx", year,
                                         {"B1": subsidiary_kg}, gwp=gwp, entity="SUB"))
        tables = {sheet: pd.concat([parent.tables[sheet], child.tables[sheet]],
                                   ignore_index=True) for sheet in parent.tables}
        group = Submission(parent.source, parent.organization, tables, rows=parent.rows)
        return group, compute(group)

    ledger.record_group(*merged(2023, "AR5", 10, 2))
    group, results = merged(2024, "AR6", 11, 2)
    record = ledger.record_group(group, results)
    assert record.entity_id == "PARENT:group"
    assert ledger.submissions(entity="PARENT") == []  # the parent's own periods untouched
    with pytest.raises(LedgerError, match="not in the ledger"):
        ledger.file_bytes(record.id)
    scope1 = ledger.comparison(results, entity="PARENT:group")["comparison"]["figures"][
        "ghg.scope1_tco2e"]
    # 2023 group: 12 kg, 15.6 t under AR5, restated 18.36 t under AR6; 2024: 13 kg, 19.89 t.
    assert (scope1["prior_as_reported"], scope1["prior"], scope1["current"]) == (
        pytest.approx(15.6), pytest.approx(18.36), pytest.approx(19.89))
    with ledger.engine.connect() as connection:
        rows = connection.execute(select(t.ROW_TABLES["Refrigerants"].c.excel_row,
                                         t.ROW_TABLES["Refrigerants"].c.extra).where(
            t.ROW_TABLES["Refrigerants"].c.submission_id == record.id)).all()
    assert [(r[0], json.loads(r[1])["source_row"]) for r in rows] == [(1, 2), (2, 2)]


def test_oversized_file_is_recorded_unread(tmp_path: Path) -> None:
    from envreport.io.safety import MAX_FILE_BYTES

    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:  # sparse: no disk used, but beyond the size limit
        handle.truncate(MAX_FILE_BYTES + 1)
    with Ledger(f"sqlite:///{tmp_path / 'l.db'}") as led:
        record = led.record(big)
        assert (record.outcome, record.status, record.sha256, record.size_bytes) == (
            "unreadable", "rejected", "", MAX_FILE_BYTES + 1)
        stored = led.submission(record.id)
        assert stored is not None
        assert [f["code"] for f in stored.findings] == ["unreadable-file"]
        with pytest.raises(LedgerError, match="no workbook stored"):
            led.file_bytes(record.id)


def test_an_older_ledger_is_upgraded_in_place(ledger_url: str, tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from envreport.ledger.store import MIGRATIONS, head_revision

    with Ledger(ledger_url) as led:
        record = led.record(workbook(tmp_path / "t.xlsx", 2024, {"P1": 10}))
    engine = create_engine(ledger_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == "0001"
    engine.dispose()
    with Ledger(ledger_url) as led:  # opening upgrades it, keeping what it holds
        with led.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")) \
                .scalar() == head_revision()
        assert [r.id for r in led.submissions()] == [record.id]
        assert led.figures(record.id)["ghg.scope1_tco2e"] == pytest.approx(15.3)


def _one_acquisition(base: dict[str, Any], effect: float, pct: float, detail: str) -> None:
    """The base year's one trigger is P9's acquisition: ``effect`` tCO2e joining it, ``pct``
    % of the 15.3 t base year as reported, said as ``detail``; the base year now holds it."""
    [trigger] = base["triggers"]
    assert (trigger["code"], trigger["project_id"], trigger["effect_tco2e"],
            trigger["effect_pct"], trigger["detail"]) == (
        "structural-acquisition", "P9", pytest.approx(effect), pytest.approx(pct), detail)
    assert base["scope1_tco2e"] == pytest.approx(15.3 + effect)


def test_acquisition_adds_the_projects_base_year_from_the_sellers_submission(
        ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023))
    bought = {"P9": date(2024, 3, 1)}
    first = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                   base_year=2023, acquired=bought))
    # No base-year figures for P9 in the ledger: flagged, nothing added, base year stands.
    [flagged] = ledger.comparison(first)["base_year"]["triggers"]
    assert (flagged["code"], flagged["project_id"], flagged["effect_tco2e"]) == (
        "structural-acquisition", "P9", 0.0)
    # The seller's 2023 submission holds P9: 2 kg × 1,530 = 3.06 t join a 15.3 t base year.
    ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER"))
    base = ledger.comparison(first)["base_year"]
    [trigger] = base["triggers"]
    assert trigger["effect_tco2e"] == pytest.approx(3.06)
    assert trigger["effect_pct"] == pytest.approx(20.0)
    assert base["recalculated"] is True
    assert base["scope1_tco2e"] == pytest.approx(15.3 + 3.06)


def test_an_acquired_projects_base_year_is_taken_only_from_a_whole_base_year(
        ledger: Ledger, tmp_path: Path) -> None:
    """The seller's half-year 2023 submission (1 January to 30 June: 1 kg of P9) is not the
    project's 2023 base year: nothing is taken from it, the acquisition is flagged. Its
    full-year one (2 kg × 1,530 = 3.06 t) is taken: 20 % of a 15.3 t base year."""
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023))
    half = ledger.record(workbook(tmp_path / "h.xlsx", 2023, {"P9": 1}, entity="SELLER",
                                  period_end=date(2023, 6, 30)))
    assert (half.period_start, half.period_end, half.status) == (
        date(2023, 1, 1), date(2023, 6, 30), "current")
    first = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                   base_year=2023, acquired={"P9": date(2024, 3, 1)}))
    base = ledger.comparison(first)["base_year"]
    [flagged] = base["triggers"]
    assert (flagged["code"], flagged["effect_tco2e"], flagged["detail"]) == (
        "structural-acquisition", 0.0, "P9 acquired 2024-03-01; no base-year submission for "
        "it in the ledger, so nothing is added")
    assert base["scope1_tco2e"] == pytest.approx(15.3)
    whole = ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER"))
    base = ledger.comparison(first)["base_year"]
    _one_acquisition(base, 3.06, 20.0, (
        "P9 acquired 2024-03-01: its base-year emissions join the base year at the 100 % "
        f"held now, from SELLER's submission {whole.id} (held there at 100 %: 3.06 tCO2e "
        "× 100 % ÷ 100 %)"))


def test_an_acquired_projects_base_year_is_at_the_share_held_now(
        ledger: Ledger, tmp_path: Path) -> None:
    """GHG Protocol ch. 5: the base year is recalculated as if the acquired project had been
    held then, at the share held now. The seller's figure is at the seller's share: it is
    divided by it and multiplied by the acquirer's. P9 leaks 2 kg of HFC-134a in 2023
    (2 × 1,530 = 3.06 t at 100 %); the acquirer's 2023 base year is P1, 10 kg = 15.3 t."""
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023))
    bought = {"P9": date(2024, 3, 1)}
    # the seller held all of P9 (3.06 t), the acquirer holds 60 % now: 3.06 × 60 % = 1.836 t
    # join the base year (12 % of 15.3 t), not 3.06 t
    seller = ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER"))
    held = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                  base_year=2023, acquired=bought, ownership={"P9": 60}))
    base = ledger.comparison(held)["base_year"]
    _one_acquisition(base, 1.836, 12.0, (
        "P9 acquired 2024-03-01: its base-year emissions join the base year at the 60 % "
        f"held now, from SELLER's submission {seller.id} (held there at 100 %: 3.06 tCO2e "
        "× 60 % ÷ 100 %)"))
    assert base["recalculated"] is True


def test_an_acquired_projects_base_year_held_in_part_by_the_seller_is_scaled_up(
        ledger: Ledger, tmp_path: Path) -> None:
    """The seller held half of P9 (its 2023 record: 2 kg × 1,530 × 50 % = 1.53 t), the
    acquirer holds all of it now: the project's whole 3.06 t join a 15.3 t base year (20 %),
    not the seller's half."""
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023))
    seller = ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER",
                                    ownership={"P9": 50}))
    assert ledger.figures(seller.id)["by_project.P9.scope1_tco2e"] == pytest.approx(1.53)
    held = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                  base_year=2023, acquired={"P9": date(2024, 3, 1)}))
    base = ledger.comparison(held)["base_year"]
    _one_acquisition(base, 3.06, 20.0, (
        "P9 acquired 2024-03-01: its base-year emissions join the base year at the 100 % "
        f"held now, from SELLER's submission {seller.id} (held there at 50 %: 1.53 tCO2e "
        "× 100 % ÷ 50 %)"))


def test_an_acquired_projects_base_year_is_scaled_from_the_sellers_own_approach(
        ledger: Ledger, tmp_path: Path) -> None:
    """The seller held 50 % of P9 under equity share (1.53 t); the acquirer consolidates by
    operational control and controls it: 100 %. Restated under the acquirer's approach, the
    seller's workbook (no control column) would hold none of P9 and nothing could be
    scaled: its share is read under its own approach, 1.53 ÷ 50 % × 100 % = 3.06 t join
    the 15.3 t base year (20 %)."""
    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023,
                           control=True))
    seller = ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER",
                                    ownership={"P9": 50}))
    held = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                  base_year=2023, acquired={"P9": date(2024, 3, 1)},
                                  control=True))
    base = ledger.comparison(held)["base_year"]
    _one_acquisition(base, 3.06, 20.0, (
        "P9 acquired 2024-03-01: its base-year emissions join the base year at the 100 % "
        f"held now, from SELLER's submission {seller.id} (held there at 50 %: 1.53 tCO2e "
        "× 100 % ÷ 50 %)"))


def test_an_acquired_projects_base_year_is_an_entitys_own_chosen_by_entity_id(
        ledger: Ledger, tmp_path: Path) -> None:
    """P9, acquired after the 2023 base year, is in three 2023 records, each recorded before
    the one after it: the group HOLD:group's (its report's figures: P9 at 60 %, 2 kg ×
    1,530 × 60 % = 1.836 t), ZED's (3 kg = 4.59 t) and SELLER's (2 kg = 3.06 t). A group's
    record holds its share, not the project: never taken. Of the entities, SELLER is the
    first by entity id (not by when it was recorded), and the trigger says so and names ZED:
    3.06 t join a 15.3 t base year, 20 %."""
    from envreport.metrics import compute
    from envreport.pipeline import load_submission

    ledger.record(workbook(tmp_path / "b.xlsx", 2023, {"P1": 10}, base_year=2023))
    held = load_submission(workbook(tmp_path / "h.xlsx", 2023, {"P9": 2}, entity="HOLD"))
    projects = held.table("Projects")
    assert projects is not None
    projects["ownership_pct"] = 60.0
    group = ledger.record_group(held, compute(held))
    assert ledger.figures(group.id)["by_project.P9.scope1_tco2e"] == pytest.approx(1.836)
    zed = ledger.record(workbook(tmp_path / "z.xlsx", 2023, {"P9": 3}, entity="ZED"))
    seller = ledger.record(workbook(tmp_path / "s.xlsx", 2023, {"P9": 2}, entity="SELLER"))
    first = ledger.record(workbook(tmp_path / "c.xlsx", 2024, {"P1": 10, "P9": 4},
                                   base_year=2023, acquired={"P9": date(2024, 3, 1)}))
    base = ledger.comparison(first)["base_year"]
    _one_acquisition(base, 3.06, 20.0, (
        "P9 acquired 2024-03-01: its base-year emissions join the base year at the 100 % "
        f"held now, from SELLER's submission {seller.id} (held there at 100 %: 3.06 tCO2e × "
        f"100 % ÷ 100 %; the first by entity id of those holding it; also ZED's submission "
        f"{zed.id})"))
    # the group's record alone holds it: nothing is taken from it, the acquisition is flagged
    ledger.record(workbook(tmp_path / "s2.xlsx", 2023, {"P8": 2}, entity="SELLER"))
    ledger.record(workbook(tmp_path / "z2.xlsx", 2023, {"P8": 2}, entity="ZED"))
    [flagged] = ledger.comparison(first)["base_year"]["triggers"]
    assert (flagged["effect_tco2e"], flagged["detail"]) == (
        0.0, "P9 acquired 2024-03-01; no base-year submission for it in the ledger, so "
        "nothing is added")


def test_a_validated_submission_is_recorded_without_validating_again(
        ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import envreport.metrics
    import envreport.pipeline
    from envreport.metrics import compute

    path = workbook(tmp_path / "t2024.xlsx", 2024, {"P1": 10, "P2": 2})
    submission = envreport.pipeline.load_submission(path)
    computed = compute(submission)

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("validated or computed a second time")

    monkeypatch.setattr(envreport.pipeline, "load_submission", refused)
    monkeypatch.setattr(envreport.metrics, "compute", refused)
    record = ledger.record(path, by="batch", submission=submission, computed=computed)
    assert (record.outcome, record.status, record.received_by) == ("valid", "current", "batch")
    assert record.computed is computed
    # The same rows, results and figures as when the ledger validates for itself: 12 kg of
    # HFC-134a under AR6 (1,530) = 18.36 t.
    assert ledger.figures(record.id)["ghg.scope1_tco2e"] == pytest.approx(18.36)
    assert ledger.file_bytes(record.id) == path.read_bytes()
    # An invalid one is kept with its findings, from the submission given.
    broken = workbook(tmp_path / "bad.xlsx", 2024, {"P1": -5})
    monkeypatch.undo()
    invalid = envreport.pipeline.load_submission(broken)
    monkeypatch.setattr(envreport.pipeline, "load_submission", refused)
    stored = ledger.record(broken, submission=invalid)
    assert (stored.outcome, stored.status) == ("invalid", "rejected")


def test_postgresql_compresses_stored_results_json_with_lz4(ledger: Ledger,
                                                             tmp_path: Path) -> None:
    """Migration 0004: pglz took the server twice as long as lz4 to write a large
    results.json; SQLite stores text as it is."""
    if ledger.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no column compression")
    record = ledger.record(workbook(tmp_path / "w.xlsx", 2024, {f"P{n}": n for n in
                                                                  range(1, 40)}))
    with ledger.engine.connect() as connection:
        choices = connection.execute(text(
            "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
        )).scalar()
        if "lz4" not in choices:
            pytest.skip("this PostgreSQL server was built without lz4")
        used = connection.execute(text(
            "SELECT pg_column_compression(results_json) FROM results "
            "WHERE submission_id = :id"), {"id": record.id}).scalar()
    assert used == "lz4"


def test_a_periods_figures_as_reported_are_shared_read_only(ledger: Ledger,
                                                            tmp_path: Path) -> None:
    """The periods, the base year and the targets share one read of a record's figures
    (PeriodSource.as_reported): none of them can change what the others read."""
    from envreport.ledger.compare import Methods, PeriodSource

    record = ledger.record(workbook(tmp_path / "t2023.xlsx", 2023, {"P1": 10, "P2": 2},
                                    gwp="AR5"))
    source = PeriodSource(ledger, Methods(gwp_set="AR5", factor_library_version=None,
                                          consolidation_approach=None))
    figures = source.as_reported(record)
    assert figures is source.as_reported(record)  # read once
    assert figures["ghg.scope1_tco2e"] == pytest.approx(15.6)
    with pytest.raises(TypeError):
        figures["ghg.scope1_tco2e"] = 0.0  # type: ignore[index]


def test_text_holding_nul_is_refused_alike_on_sqlite_and_postgresql(ledger: Ledger,
                                                                     tmp_path: Path) -> None:
    """PostgreSQL refuses NUL (U+0000) in text with its own DataError (a 500 from any path
    that let one through); SQLite would store it. The ledger refuses it itself, before the
    database sees it, the same way on both, and records nothing (r14: only the portal and
    the reader guarded it)."""
    import envreport.pipeline

    tail = ": the ledger does not take text holding a NUL character (U+0000); nothing was " \
           "recorded"
    with pytest.raises(LedgerError) as refused:
        ledger.add_entity("NUL1", "Silk\x00Road", by="adm")
    assert str(refused.value) == "name" + tail
    with pytest.raises(LedgerError) as refused:  # nor compared in a query
        ledger.submissions(entity="SRE\x00")
    assert str(refused.value) == "entity_id_1" + tail
    # the accepted rows, sent by COPY on PostgreSQL (which bypasses SQLAlchemy) and by the
    # driver's executemany on SQLite
    path = workbook(tmp_path / "t2024.xlsx", 2024, {"P1": 10})
    submission = envreport.pipeline.load_submission(path)
    projects = submission.tables["Projects"]
    projects.loc[projects.index[0], "project_name"] = "Plant\x00 1"
    with pytest.raises(LedgerError) as refused:
        ledger.record(path, by="batch", submission=submission)
    assert str(refused.value) == "rows_projects.project_name" + tail
    assert (ledger.entities(), ledger.submissions(), ledger.audit_log()) == ([], [], [])
    projects.loc[projects.index[0], "project_name"] = "Plant 1"  # the same, without it
    assert ledger.record(path, by="batch", submission=submission).outcome == "valid"


def test_the_command_lines_actor_keeps_only_the_printable_login_within_the_column() -> None:
    """``cli:<login>``: the login comes from the environment (LOGNAME, USER ...), so what
    cannot be shown (NUL, escapes, invisible direction controls) is dropped, and the name
    fits the actor columns (String(100)); no login at all is the plain ``cli``."""
    from envreport.ledger.accounts import actor_label, cli_actor

    assert cli_actor("ro\x00ot\x1b[31m\u202e ") == "cli:root[31m"
    assert cli_actor("\u202e\x00 ") == cli_actor("") == cli_actor(None) == "cli"
    assert cli_actor("张" * 150) == "cli:" + "张" * 96
    assert actor_label("cli:张三", "zh") == "命令行（登录名张三）"  # no gap between Han
    assert actor_label("cli:root", "zh") == "命令行（登录名 root）"
    assert actor_label("cli:root", "en") == "Command line (login root)"
    assert actor_label("root", "en") is None  # a bare login (an older ledger's) is a name


def test_no_account_takes_a_name_the_ledger_records_actions_without_one_by() -> None:
    """The portal and `users add` (both through the ledger's rule) refuse ``cli``, ``demo``
    in any case, by the sentence that says they are reserved, and every name of the command
    line's ``cli:<login>`` form by the rule itself, which allows no ``:``; a name that only
    begins or ends with them is an account's like any other."""
    from envreport.ledger.accounts import (
        ACCOUNT_NAME_RULE,
        RESERVED_NAME,
        AccountNameError,
        check_account_name,
        cli_actor,
    )

    refused = {}
    for name in ("cli", "CLI", "Demo", "cli:x", "CLI:X", " CLI:X", cli_actor("root"), "x:cli"):
        with pytest.raises(AccountNameError) as error:
            check_account_name(name)
        refused[name] = (error.value.template, str(error.value))
    rule = (ACCOUNT_NAME_RULE, "User names are letters, digits, '-', '_', '.', '@' (up to 100).")
    assert refused == {
        "cli": (RESERVED_NAME, "The name cli is reserved for actions taken without an account."),
        "CLI": (RESERVED_NAME, "The name CLI is reserved for actions taken without an account."),
        "Demo": (RESERVED_NAME,
                 "The name Demo is reserved for actions taken without an account."),
        "cli:x": rule, "CLI:X": rule, " CLI:X": rule, "cli:root": rule, "x:cli": rule,
    }
    for name in ("clix", "cli.x", "cli-root", "x.cli", "demo1", "root"):
        check_account_name(name)  # an ordinary account name: nothing raised
