"""A batch survives its worst member: limits, crashes, stale outputs, names, paths, Ctrl-C.

Small generated workbooks (tests/workbooks.py), ``--no-pdf``. Where a member must hang,
crash or eat memory on purpose, the test patches the validator for that one file name; the
batch forks each task from the test's process, so the patch is what the task runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from workbooks import ORGANIZATION, minimal, write_workbook

import envreport.batch.jobs as jobs
from envreport.batch import Limits, run_batch
from envreport.batch.naming import MAX_FOLDER_CHARS, FolderNames
from envreport.cli import app

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="task isolation forks (Linux)")


def member(folder: Path, entity_id: str, file_name: str | None = None, *,
           roster: list[str] | None = None, **overrides: Any) -> Path:
    """A small valid submission of ``entity_id`` (its own project ids); a parent when
    ``roster`` is given."""
    sheets = minimal(**overrides)
    org = [list(r) for r in ORGANIZATION]
    org[1][1] = entity_id
    sheets["Organization"] = org
    prefix = f"{len(entity_id)}-{abs(hash(entity_id)) % 10**8}"
    for name in ("Projects", "Fuel"):
        for row in sheets[name][1:]:
            row[0] = f"{prefix}-{row[0]}"
    if roster:
        sheets["Subsidiaries"] = [["entity_id", "entity_name", "ownership_pct"],
                                  *([eid, f"Sub {eid[:20]}", 100] for eid in roster)]
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / (file_name or f"{entity_id[:40]}.xlsx"), sheets)


def fail_to_compute(monkeypatch: pytest.MonkeyPatch, file_name: str) -> None:
    """Make the figures of the workbook whose name ends with ``file_name`` fail to compute
    (``ValueError: boom``), so that its report is not built, the others' are: the batch's
    task processes are forked from here, so they see the stand-in."""
    from envreport import metrics

    real_compute = metrics.compute

    def compute(submission: Any) -> Any:
        if submission.source.name.endswith(file_name):
            raise ValueError("boom")
        return real_compute(submission)

    monkeypatch.setattr(metrics, "compute", compute)


def board(out: Path) -> dict[str, Any]:
    return json.loads((out / "status.json").read_text())


def by_file(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["file"]: e for e in data["entities"] if e["file"]}


def _patch_validate(monkeypatch: pytest.MonkeyPatch, behaviour: dict[str, Any]) -> None:
    """Make the validator misbehave for the named files only (see the module docstring)."""
    real = jobs.validate

    def validate(raw: Any) -> Any:
        action = behaviour.get(raw.path.name)
        if action is not None:
            action()
        return real(raw)

    monkeypatch.setattr(jobs, "validate", validate)


def test_board_names_are_reserved_and_long_ids_capped(tmp_path: Path) -> None:
    names = FolderNames()
    taken = [names.take(eid) for eid in ("status.json", "STATUS.XLSX", "Status.Html", "group")]
    assert [t.casefold() for t in taken] == ["status.json-2", "status.xlsx-2", "status.html-2",
                                             "group-2"]
    long_a, long_b = "A" * 299 + "1", "A" * 299 + "2"
    folder_a, folder_b = names.take(long_a), names.take(long_b)
    assert len(folder_a) <= MAX_FOLDER_CHARS
    assert folder_a != folder_b
    assert FolderNames().take(long_a) == folder_a  # the same id, the same folder, every run

    inputs = tmp_path / "in"
    for eid in ("status.json", "STATUS.XLSX", "status.html"):
        member(inputs, eid, f"{eid.replace('.', '_')}.xlsx")
    member(inputs, long_a, "long.xlsx")
    out = tmp_path / "out"
    outcome = run_batch([inputs], out, workers=2, pdf=False)
    assert outcome.exit_code == 2  # no parent: nothing to consolidate, everything else built
    for name in ("status.json", "status.html", "status.xlsx"):
        assert (out / name).is_file(), name
    entries = by_file(board(out))
    assert entries["long.xlsx"]["entity_id"] == long_a  # the full id on the board
    folder = entries["long.xlsx"]["outputs"]["folder"]
    assert len(folder) <= MAX_FOLDER_CHARS
    assert (out / folder / "report.html").is_file()
    assert entries["status_json.xlsx"]["outputs"]["folder"] == "status.json-2"
    assert (out / "status.json-2" / "results.json").is_file()


def test_a_failed_annotated_copy_never_costs_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import envreport.workbook as workbook

    def broken(*args: Any, **kwargs: Any) -> Path:
        raise zipfile_error

    zipfile_error = __import__("zipfile").BadZipFile("Bad CRC-32 for file 'xl/theme.xml'")
    monkeypatch.setattr(workbook, "write_annotated", broken)  # what batch calls
    inputs = tmp_path / "in"
    fuel = minimal()["Fuel"]
    fuel.append(list(fuel[1]))  # a repeated row: a warning (duplicate-row), still valid
    member(inputs, "WARN", Fuel=fuel)
    out = tmp_path / "out"
    run_batch([inputs], out, workers=1, pdf=False)
    entry = by_file(board(out))["WARN.xlsx"]
    assert entry["state"] == "valid_with_warnings"
    assert entry["build_failure"] is None
    assert "BadZipFile" in entry["annotate_failure"]
    assert (out / "WARN" / "report.html").is_file()
    assert (out / "WARN" / "results.json").is_file()
    assert not (out / "WARN" / "annotated.xlsx").exists()


def test_each_folder_holds_exactly_this_runs_outputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    path = member(inputs, "SUB")
    out = tmp_path / "out"
    run_batch([inputs], out, workers=1, pdf=False)
    assert sorted(p.name for p in (out / "SUB").iterdir()) == ["report.html", "results.json"]
    # the subsidiary becomes invalid: its old report must not stay beside the new copy
    sheets = minimal()
    sheets["Projects"][2][2] = "Atlantis"
    member(inputs, "SUB", path.name, Projects=sheets["Projects"])
    outcome = run_batch([inputs], out, workers=1, pdf=False)
    assert outcome.exit_code == 1
    assert sorted(p.name for p in (out / "SUB").iterdir()) == ["annotated.xlsx"]
    assert by_file(board(out))["SUB.xlsx"]["state"] == "invalid"
    assert sorted(p.name for p in out.iterdir()) == ["SUB", "status.html", "status.json",
                                                      "status.xlsx"]
    # a member that goes (or becomes unreadable) takes its folder along; others are kept
    member(inputs, "OTHER")
    (out / "notes-of-the-auditor").mkdir()
    run_batch([inputs], out, workers=1, pdf=False)
    assert (out / "OTHER" / "report.html").is_file()
    path.write_text("not a workbook any more")
    run_batch([inputs], out, workers=1, pdf=False)
    assert by_file(board(out))["SUB.xlsx"]["state"] == "unreadable"
    assert sorted(p.name for p in out.iterdir()) == ["OTHER", "notes-of-the-auditor",
                                                      "status.html", "status.json",
                                                      "status.xlsx"]


def test_links_fifos_devices_and_folders_named_like_workbooks(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    member(inputs, "GOOD")
    outside = member(tmp_path / "elsewhere", "SECRET")
    (inputs / "out-link.xlsx").symlink_to(outside)
    (inputs / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(inputs / "pipe.xlsx")
    member(inputs / "folder.xlsx", "NESTED")  # a directory named like a workbook: searched
    (inputs / "loop").symlink_to(inputs, target_is_directory=True)  # never walked
    (inputs / "inside-link.xlsx").symlink_to(inputs / "GOOD.xlsx")  # the same file: once
    before = {p for p in tmp_path.rglob("*") if "out" not in p.relative_to(tmp_path).parts}
    out = tmp_path / "out"
    outcome = run_batch([inputs], out, workers=2, pdf=False, limits=Limits(seconds=60))
    entries = by_file(board(out))
    assert entries["out-link.xlsx"]["state"] == "unreadable"
    assert "outside the input folder; not followed" in \
        entries["out-link.xlsx"]["findings"][0]["message"]
    assert "outside the input folder" in entries["zero.xlsx"]["findings"][0]["message"]
    assert "FIFO" in entries["pipe.xlsx"]["findings"][0]["message"]
    assert entries["NESTED.xlsx"]["state"] == "valid"
    assert entries["GOOD.xlsx"]["state"] == "valid"
    assert "SECRET" not in json.dumps(board(out))
    assert len(board(out)["entities"]) == 5
    assert outcome.exit_code == 1
    after = {p for p in tmp_path.rglob("*") if "out" not in p.relative_to(tmp_path).parts}
    assert after == before  # nothing written outside -o


_SLOW_BATCH = textwrap.dedent("""
    import sys, time
    import envreport.metrics as metrics
    real = metrics.compute
    def compute(submission):
        if submission.source.name.startswith("slow"):
            time.sleep(3600)
        return real(submission)
    metrics.compute = compute
    from envreport.cli import main
    sys.argv = ["envreport", *sys.argv[1:]]
    main()
""")


def test_ctrl_c_stops_promptly_writes_an_incomplete_board_and_a_rerun_completes_it(
        tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for eid in ("FAST1", "FAST2"):
        member(inputs, eid)
    for eid in ("SLOW1", "SLOW2"):
        member(inputs, eid, f"slow-{eid}.xlsx")
    out = tmp_path / "out"
    command = [sys.executable, "-c", _SLOW_BATCH, "batch", str(inputs), "-o", str(out),
               "--no-pdf", "--quiet", "-j", "2"]
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, text=True)
    try:
        deadline = time.monotonic() + 180
        while not ((out / "FAST1" / "report.html").exists()
                   and (out / "FAST2" / "report.html").exists()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the fast members were never built"
            time.sleep(0.2)
        time.sleep(0.5)  # the slow ones are now asleep in their tasks
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2  # envreport's codes are 0, 1 and 2 only
    assert time.monotonic() - sent < 10  # promptly: the tasks were killed, not waited for
    assert "Traceback" not in stderr
    assert "interrupted: read 4 of 4 workbook(s), built 2 report folder(s)" in stderr
    assert "not done: slow-SLOW1.xlsx, slow-SLOW2.xlsx" in stderr
    data = board(out)
    assert data["complete"] is False
    assert data["not_done"] == ["slow-SLOW1.xlsx", "slow-SLOW2.xlsx"]
    entries = by_file(data)
    assert entries["slow-SLOW1.xlsx"]["build_failure"] == "not built: the batch was interrupted"
    assert entries["FAST1.xlsx"]["outputs"]["report_html"] == "FAST1/report.html"
    assert "Incomplete: the batch stopped before it finished." in (out / "status.html").read_text()
    # nothing that looks complete but is not: no half-built folder, no temporary file
    assert sorted(p.name for p in out.iterdir()) == ["FAST1", "FAST2", "status.html",
                                                      "status.json", "status.xlsx"]
    note = load_workbook(out / "status.xlsx")["incomplete"]  # the first sheet says so
    assert load_workbook(out / "status.xlsx").sheetnames[:2] == ["incomplete", "all"]
    assert [c.value for c in note["A"]] == [
        "Incomplete: the batch stopped before it finished.",
        "Run the same command again to complete it.", "Not done", "slow-SLOW1.xlsx",
        "slow-SLOW2.xlsx"]
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    assert str(inputs) not in ps  # no task left running

    # the same command again, in this process: the interrupted run above is the one that
    # needs a process of its own (a real SIGINT); an interpreter's start here is 2 s of CPU
    rerun = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "--no-pdf",
                                     "--quiet"])
    assert rerun.exit_code == 2, rerun.output  # complete now (no parent here: exit 2)
    data = board(out)
    assert data["complete"] is True
    assert {e["state"] for e in data["entities"]} == {"valid"}
    assert "incomplete" not in load_workbook(out / "status.xlsx").sheetnames
    assert (out / "SLOW1" / "report.html").is_file()


PAYLOADS = ('=HYPERLINK("http://evil.example","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
            "@SUM(1)")


def test_status_xlsx_holds_no_formula_from_data_and_keeps_its_links(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for n, payload in enumerate(PAYLOADS, start=1):
        projects = minimal()["Projects"]
        if n == 5:
            projects[2][2] = "Atlantis"  # an error: this one gets an annotated copy
        path = member(inputs, f"E{n}", Projects=projects)
        book = load_workbook(path)
        assert book["Organization"]["A3"].value == "organization_name"
        book["Organization"]["B3"].value = payload
        book["Organization"]["B3"].data_type = "s"  # typed as text, not a formula
        book.save(path)
    out = tmp_path / "out"
    run_batch([inputs], out, workers=2, pdf=False)
    book = load_workbook(out / "status.xlsx")
    assert [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"] == []
    rows = {row[0].value: row for row in book["all"].iter_rows(min_row=2)}
    for n, payload in enumerate(PAYLOADS, start=1):
        assert rows[f"E{n}"][1].value == payload
        assert rows[f"E{n}"][1].data_type == "s"
    assert rows["E5"][13].hyperlink.target == "E5/annotated.xlsx"
    assert rows["E1"][14].hyperlink.target == "E1/report.html"
    copy = load_workbook(out / "E5" / "annotated.xlsx")
    assert copy["Organization"]["B3"].value == PAYLOADS[4]
    assert copy["Organization"]["B3"].data_type == "s"


def test_a_clean_workbook_with_only_a_group_finding_gets_its_annotated_copy(
        tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    member(inputs, "PARENT", roster=["SUB"])
    member(inputs, "SUB")
    member(inputs, "STRAY")  # clean, but not on the roster: entity-not-in-roster
    out = tmp_path / "out"
    run_batch([inputs], out, workers=2, pdf=False)
    entry = by_file(board(out))["STRAY.xlsx"]
    assert entry["state"] == "unexpected"
    assert entry["outputs"]["annotated"] == "STRAY/annotated.xlsx"
    listing = list(load_workbook(out / "STRAY" / "annotated.xlsx")["Findings"].iter_rows(
        min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in listing] == [("entity-not-in-roster", "Organization")]
    assert not (out / "SUB" / "annotated.xlsx").exists()  # no findings, no copy


def test_members_over_their_time_or_memory_limit_are_stopped_and_the_rest_go_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """A read that hangs, one that eats memory, one that crashes the interpreter, and a build
    that hangs: each is stopped with its reason, and the good members are built. One batch
    for all four (each wait for a hang is the suite's time), through the command's
    --timeout and --memory."""
    # In this process (typer's CliRunner): the options and the lines are the command's, and
    # the tasks are forked from here, so the patches below are what they run; a fresh
    # interpreter would add only its start (seconds of CPU).
    import envreport.metrics as metrics

    inputs = tmp_path / "in"
    member(inputs, "GOOD1")
    member(inputs, "GOOD2")
    member(inputs, "READER", "hang-read.xlsx")
    member(inputs, "GREEDY", "greedy.xlsx")
    member(inputs, "CRASH", "crash.xlsx")
    member(inputs, "BUILDER", "hang-build.xlsx")
    out = tmp_path / "out"
    _patch_validate(monkeypatch, {
        "hang-read.xlsx": lambda: time.sleep(3600),
        "greedy.xlsx": lambda: bytearray(2 * 2**30),
        "crash.xlsx": os.abort,
    })
    real_compute = metrics.compute

    def compute(submission: Any) -> Any:
        if submission.source.name == "hang-build.xlsx":
            time.sleep(3600)
        return real_compute(submission)

    monkeypatch.setattr(metrics, "compute", compute)
    started = time.monotonic()
    # the test waits out --timeout twice (the hanging read, then the hanging build): 5 s is
    # still ten times what a good member's read or build takes on a quiet machine (HTML only)
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "--no-pdf",
                                      "--quiet", "--timeout", "5", "--memory", "512"])
    assert time.monotonic() - started < 120
    assert result.exit_code == 1, result.output
    assert "hang-build.xlsx: build failed: it took more than 5 s; stopped" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Fatal Python error" not in capfd.readouterr().err  # one line on the board only
    entries = by_file(board(out))
    reasons = {name: entries[name]["findings"][0]["message"]
               for name in ("hang-read.xlsx", "greedy.xlsx", "crash.xlsx")}
    assert {entries[n]["state"] for n in reasons} == {"unreadable"}
    assert "it took more than 5 s; stopped" in reasons["hang-read.xlsx"]
    assert "it needed more than 512 MB of memory; stopped" in reasons["greedy.xlsx"]
    assert "crashed (SIGABRT)" in reasons["crash.xlsx"]
    assert entries["hang-build.xlsx"]["state"] == "valid"
    assert entries["hang-build.xlsx"]["build_failure"] == "it took more than 5 s; stopped"
    assert not (out / "BUILDER").exists()  # nothing half built
    for name in ("GOOD1.xlsx", "GOOD2.xlsx"):
        assert entries[name]["state"] == "valid"
        assert (out / entries[name]["outputs"]["folder"] / "report.html").is_file()
    assert not list(out.glob(".envreport-work-*"))


def test_a_refused_batch_leaves_no_output_folder_and_records_nothing(tmp_path: Path) -> None:
    """Two parents: refused (exit 2) after reading, before any output. ``-o`` and the
    folders above it that the batch made are gone again (they were left empty); a folder
    that was there before stays, as it was; with --ledger nothing is recorded."""
    from envreport.ledger import Ledger

    inputs = tmp_path / "in"
    member(inputs, "P1", roster=["SUB"])
    member(inputs, "P2", roster=["SUB"])
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    kept = tmp_path / "kept"
    kept.mkdir()
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(kept / "made" / "out"),
                                      "-j", "1", "--no-pdf", "-q", "--ledger", "--db", url])
    assert result.exit_code == 2
    assert "error: more than one parent workbook" in result.output
    assert list(kept.iterdir()) == []
    with Ledger(url) as ledger:
        assert ledger.submissions() == []


def test_an_error_while_building_leaves_a_board_marked_incomplete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk full while the reports are put in place: the error rises, the folder built
    stays, and the board written instead is the incomplete one, naming the report not built
    and why. When no board can be written, the previous run's does not stay to show the old
    states."""
    import envreport.batch.run as batch_run

    inputs = tmp_path / "in"
    member(inputs, "SUB")
    member(inputs, "SUB2")
    out = tmp_path / "out"
    run_batch([inputs], out, workers=1, pdf=False)  # the previous run: a complete board
    real = batch_run._install
    calls: list[int] = []

    def full_disk(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the first report is in place, the second is not
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_run, "_install", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run_batch([inputs], out, workers=1, pdf=False)
    data = board(out)
    (installed,) = [e for e in data["entities"] if e["build_failure"] is None]
    (not_built,) = [e for e in data["entities"] if e["build_failure"] is not None]
    assert data["complete"] is False
    assert data["not_done"] == [not_built["file"]]
    assert not_built["build_failure"] == "not built: the batch stopped on an error"
    assert (out / installed["outputs"]["folder"] / "report.html").is_file()
    assert "Incomplete" in (out / "status.html").read_text()
    monkeypatch.setattr(batch_run, "_install", real)
    # the incomplete board cannot be written either: no board at all
    monkeypatch.setattr(batch_run, "write_status_board", lambda *a, **k: (_ for _ in ()).throw(
        OSError(28, "No space left on device")))
    with pytest.raises(OSError, match="No space left"):
        run_batch([inputs], out, workers=1, pdf=False)
    assert sorted(p.name for p in out.iterdir()) == ["SUB", "SUB2"]
