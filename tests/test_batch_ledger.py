"""batch --ledger: each valid workbook is computed once, and the ledger stores what is built.

The batch records every workbook in the ledger before it builds the reports; both need the
workbook's results. They are computed by the task that reads the workbook and handed to both
(``jobs.ComputedPickles``), never computed again by the main process or the build task.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import envreport.metrics
from envreport.batch import run_batch
from envreport.ledger import Ledger
from envreport.ledger import tables as t
from envreport.pipeline import load_submission, results_json
from tests.conftest import SAMPLES


def test_batch_ledger_computes_each_valid_workbook_once(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # compute() notes the workbook it computes in a file: the batch's tasks are forked
    # processes, which inherit the wrapper and append to the same file.
    calls = tmp_path / "computed.txt"
    real = envreport.metrics.compute

    def counting(submission: Any, *args: Any, **kwargs: Any) -> Any:
        with calls.open("a", encoding="utf-8") as handle:
            handle.write(f"{submission.source.name}\n")
        return real(submission, *args, **kwargs)

    monkeypatch.setattr(envreport.metrics, "compute", counting)
    db = f"sqlite:///{tmp_path / 'l.db'}"
    out = tmp_path / "batch"
    outcome = run_batch([SAMPLES / "group"], out, workers=1, langs=["en"], pdf=False,
                        ledger_url=db)
    assert outcome.exit_code == 0, outcome.messages
    computed = Counter(calls.read_text(encoding="utf-8").splitlines())
    # each member once (in the task that read it); parent.xlsx a second time as the merged
    # group (whose source is the parent's workbook), in the group's task
    assert computed == {"parent.xlsx": 2, "sre.xlsx": 1, "sri.xlsx": 1}

    # What the ledger stores is what compute gives for the workbook, byte for byte, and what
    # the batch wrote (a new ledger: no earlier period changes the report's results.json).
    monkeypatch.setattr(envreport.metrics, "compute", real)
    with Ledger(db) as ledger, ledger.engine.connect() as connection:
        stored = dict(connection.execute(
            select(t.submissions.c.entity_id, t.results.c.results_json)
            .join(t.results, t.results.c.submission_id == t.submissions.c.id)).all())
    assert set(stored) == {"CSIG", "SRE", "SRI", "CSIG:group"}
    for entity, name in (("CSIG", "parent.xlsx"), ("SRE", "sre.xlsx"), ("SRI", "sri.xlsx")):
        expected = results_json(real(load_submission(SAMPLES / "group" / name)))
        assert stored[entity].encode() == expected, entity
        assert (out / entity / "results.json").read_bytes() == expected, entity


def test_workbooks_already_in_the_ledger_are_not_recorded_again(tmp_path: Path) -> None:
    # run_batch(recorded=...), the portal's group build: the members are its uploads. None
    # is recorded again; each report is noted on the submission given for its file (SRE's
    # first upload, though the same file was uploaded again since: the id given is used,
    # not the newest of its content); the group is recorded once.
    db = f"sqlite:///{tmp_path / 'l.db'}"
    books = tmp_path / "books"
    books.mkdir()
    with Ledger(db) as ledger:
        ids = {}
        for name in ("parent.xlsx", "sre.xlsx", "sri.xlsx"):
            (books / name).write_bytes((SAMPLES / "group" / name).read_bytes())
            ids[name] = ledger.record(books / name, by="web-user", source="web").id
        again = ledger.record(books / "sre.xlsx", by="web-user", source="web").id
    outcome = run_batch([books], tmp_path / "out", workers=1, langs=["en"], pdf=False,
                        ledger_url=db, ledger_by="hq",
                        recorded={books / name: i for name, i in ids.items()})
    assert outcome.exit_code == 0, outcome.messages
    assert outcome.recorded == []  # nothing recorded: no line for the terminal
    with Ledger(db) as ledger:
        assert [(r.entity_id, r.received_by) for r in ledger.submissions()] == [
            ("CSIG", "web-user"), ("SRE", "web-user"), ("SRI", "web-user"),
            ("SRE", "web-user"), ("CSIG:group", "hq")]
        group = ledger.submissions(entity="CSIG:group")[0].id
        assert set(ledger.reports_using([*ids.values(), again, group])) == {
            *ids.values(), group}
        with ledger.engine.connect() as connection:
            noted = connection.execute(select(t.report_builds.c.submission_id,
                                              t.report_builds.c.by)).all()
    assert sorted(noted) == sorted([(i, "hq") for i in ids.values()] + [(group, "hq")])
    # the reports are those of the same workbooks built with --ledger in a new ledger
    built = run_batch([SAMPLES / "group"], tmp_path / "ledger", workers=1, langs=["en"],
                      pdf=False, ledger_url=f"sqlite:///{tmp_path / 'other.db'}")
    assert built.exit_code == 0, built.messages
    for folder in ("CSIG", "SRE", "SRI"):
        assert (tmp_path / "out" / folder / "results.json").read_bytes() == (
            tmp_path / "ledger" / folder / "results.json").read_bytes(), folder


def test_batch_notes_each_report_on_the_submission_it_recorded(tmp_path: Path) -> None:
    # batch --ledger (no ids given): every workbook is recorded, then each member's report is
    # noted on the submission just recorded for its file (SRE's 3, the current one of its
    # content, not the copy recorded before the batch, 1), and the group's build on its own
    # record (5), consolidated from the members' recorded here (2, 3, 4).
    db = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger(db) as ledger:
        assert ledger.record(SAMPLES / "group" / "sre.xlsx", by="x", source="cli").id == 1
    outcome = run_batch([SAMPLES / "group"], tmp_path / "out", workers=1, langs=["en"],
                        pdf=False, ledger_url=db, ledger_by="hq")
    assert outcome.exit_code == 0, outcome.messages
    assert outcome.recorded == [
        "recorded parent.xlsx as submission 2 (valid, current)",
        "recorded sre.xlsx as submission 3 (valid, current)",
        "recorded sri.xlsx as submission 4 (valid, current)"]
    with Ledger(db) as ledger:
        assert [(r.entity_id, r.id, r.status) for r in ledger.submissions()] == [
            ("SRE", 1, "superseded"), ("CSIG", 2, "current"), ("SRE", 3, "current"),
            ("SRI", 4, "current"), ("CSIG:group", 5, "current")]
        builds = sorted((b.submission_id, b.used) for b in ledger.report_builds())
    # no earlier period: a member's report compares with nothing
    assert builds == [(2, ()), (3, ()), (4, ()), (5, (2, 3, 4))]
