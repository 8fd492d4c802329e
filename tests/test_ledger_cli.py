"""``envreport ledger add|list|history|export`` and ``build --ledger`` (spec: the CLI's version 2
additions): exit codes, one-line errors, the JSON list, formula-safe exports, and the demo of
three years of the sample entity (restated prior year, base year recalculated)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from envreport.cli import app
from envreport.ledger import Ledger, tables
from tests.conftest import SAMPLES
from tests.test_ledger import workbook
from tests.workbooks import write_workbook

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ledger_add_exit_codes_and_json_list(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "root")  # getpass.getuser reads it first
    db = f"sqlite:///{tmp_path / 'l.db'}"
    good = workbook(tmp_path / "good.xlsx", 2024, {"P1": 10})
    bad = workbook(tmp_path / "bad.xlsx", 2024, {"P1": -1})
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a workbook")
    assert invoke("ledger", "add", str(good), "--db", db)[0] == 0
    assert invoke("ledger", "add", str(bad), "--db", db)[0] == 1
    code, _out, err = invoke("ledger", "add", str(garbage), "--db", db)
    assert code == 2
    assert "Traceback" not in err
    code, out, _err = invoke("ledger", "list", "--db", db, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["file_name"], r["outcome"], r["status"]) for r in rows] == [
        ("good.xlsx", "valid", "current"), ("bad.xlsx", "invalid", "rejected"),
        ("garbage.xlsx", "unreadable", "rejected")]
    assert rows[0]["sha256"] == __import__("hashlib").sha256(good.read_bytes()).hexdigest()
    # recorded by the command line under its login, not as "root": a portal account's name
    assert {r["received_by"] for r in rows} == {"cli:root"}
    # the text lists the same time, and says it is UTC (a subsidiary in Beijing reads it)
    assert rows[0]["received_at"].endswith("+00:00")
    code, text, _err = invoke("ledger", "list", "--db", db)
    assert code == 0
    assert "received (UTC)" in text
    assert rows[0]["received_at"][:19] in text
    assert text.count("Command line (login root)") == 3
    assert "cli:root" not in text
    code, out, _err = invoke("ledger", "list", "--db", db, "--entity", "TEST", "--period",
                             "2023", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    # an entity the ledger has no valid period of: the command cannot do it (2), no
    # submission with errors (1)
    assert invoke("ledger", "history", "NOPE", "--db", db) == (
        2, "", "error: NOPE: no valid submission in the ledger\n")


@pytest.mark.parametrize("content", [b"garbage" * 50, b"SQLite format 3\x00" + b"\xff" * 500])
def test_damaged_ledger_is_one_line_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "l.db"
    path.write_bytes(content)
    code, _out, err = invoke("ledger", "list", "--db", f"sqlite:///{path}")
    assert code == 2
    assert err.startswith("error: ")
    assert str(path) in err
    assert "Traceback" not in err
    assert path.read_bytes() == content  # never altered


def test_newer_ledger_is_refused_with_one_line(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    db = f"sqlite:///{tmp_path / 'l.db'}"
    Ledger(db).close()
    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    code, _out, err = invoke("ledger", "list", "--db", db)
    assert code == 2
    assert "made by a newer envreport" in err
    assert len(err.strip().splitlines()) == 1


def test_export_csv_is_formula_safe_and_parquet_reads_back(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    path = workbook(tmp_path / "w.xlsx", 2024, {"P1": 10})
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Projects"]["B2"] = "=HYPERLINK(\"http://x\",\"y\")"
    book["Projects"]["B2"].data_type = "s"
    book.save(path)
    assert invoke("ledger", "add", str(path), "--db", db)[0] == 0
    assert invoke("ledger", "export", "-o", str(tmp_path / "csv"), "--db", db)[0] == 0
    with (tmp_path / "csv" / "rows_projects.csv").open(encoding="utf-8", newline="") as handle:
        projects = list(csv.DictReader(handle))
    assert projects[0]["project_name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    code, _out, _err = invoke("ledger", "export", "-o", str(tmp_path / "pq"), "--format",
                              "parquet", "--db", db)
    assert code == 0
    submissions = pd.read_parquet(tmp_path / "pq" / "submissions.parquet")
    assert list(submissions["file_name"]) == ["w.xlsx"]
    refrigerants = pd.read_parquet(tmp_path / "pq" / "rows_refrigerants.parquet")
    assert refrigerants["quantity_kg"].tolist() == [10.0]
    files = pd.read_parquet(tmp_path / "pq" / "submission_files.parquet")
    assert files["content"].iloc[0] == path.read_bytes()


def test_export_leaves_the_credentials_in_the_ledger(tmp_path: Path) -> None:
    # An export goes to BI tools and shared folders: the portal's password hashes (argon2,
    # attackable offline) and API token hashes are not in it; who has an account is.
    db = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger(db) as ledger:
        ledger.add_user("hq", "admin", password="a-long-password-1")
        token = ledger.issue_token("hq")
    for export_format in ("csv", "parquet"):
        out = tmp_path / export_format
        assert invoke("ledger", "export", "-o", str(out), "--format", export_format,
                      "--db", db)[0] == 0
        read = {"csv": pd.read_csv, "parquet": pd.read_parquet}[export_format]
        users = read(out / f"users.{export_format}")
        tokens = read(out / f"api_tokens.{export_format}")
        assert list(users.columns) == ["name", "role", "created_at"]
        assert users["name"].tolist() == ["hq"]
        assert list(tokens.columns) == ["user_name", "created_at"]
        assert tokens["user_name"].tolist() == ["hq"]
        everything = b"".join(path.read_bytes() for path in sorted(out.iterdir()))
        assert b"$argon2" not in everything
        assert hashlib.sha256(token.encode()).hexdigest().encode() not in everything


def test_three_years_of_the_sample_entity(tmp_path: Path) -> None:
    """The README's walk-through: record 2021 and 2023, build 2024 with --ledger."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    history = SAMPLES / "history"
    code, out, err = invoke("ledger", "add", str(history / "sre_2021.xlsx"),
                            str(history / "sre_2023.xlsx"), "--db", db)
    assert code == 0, err
    # one line per workbook, however narrow the terminal (scripts read it line by line)
    assert out.splitlines() == [
        "sre_2021.xlsx: valid_with_warnings, 0 error(s), 6 warning(s) — submission 1, SRE "
        "2021-01-01–2021-12-31, current",
        "sre_2023.xlsx: valid, 0 error(s), 0 warning(s) — submission 2, SRE "
        "2023-01-01–2023-12-31, current"]
    out_dir = tmp_path / "report"
    code, _out, err = invoke("build", str(SAMPLES / "group" / "sre.xlsx"), "-o", str(out_dir),
                             "--ledger", "--db", db, "--no-pdf", "--lang", "en,zh", "-q")
    assert code == 0, err
    results = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    prior = results["comparison"]["prior_period"]
    assert (prior["start"], prior["end"], prior["restated"]) == (
        "2023-01-01", "2023-12-31", True)
    scope1 = results["comparison"]["figures"]["ghg.scope1_tco2e"]
    assert scope1["change_pct"] == pytest.approx(
        (scope1["current"] - scope1["prior"]) / scope1["prior"] * 100)
    assert scope1["prior"] != scope1["prior_as_reported"]  # AR5 → AR6 changes CH4 and N2O
    assert [h["period_end"][:4] for h in results["history"]] == ["2021", "2023", "2024"]
    base = results["base_year"]
    codes = {t["code"]: t for t in base["triggers"]}
    assert set(codes) == {"methodology-change", "structural-divestment"}
    assert codes["structural-divestment"]["project_id"] == "SRE-VN-HFO"
    assert codes["structural-divestment"]["effect_pct"] < -5
    assert base["recalculated"] is True
    assert base["scope1_tco2e"] == pytest.approx(
        base["as_reported_scope1_tco2e"] + codes["methodology-change"]["effect_tco2e"]
        + codes["structural-divestment"]["effect_tco2e"]
        - (base["scope2_location_tco2e"] - base["as_reported_scope2_location_tco2e"]),
        rel=1e-9)
    # SRE's Scope 1 + 2 target: base 2021 stated as its 2021 workbook computes it (1 792 599
    # + 3 107 = 1 795 706), −15 % by 2030. The base year recalculated (AR6, without the
    # divested plant) is 1 618 122 + 3 107 = 1 621 229, and the target with it: 1 621 229 ×
    # 0.85 = 1 378 045; progress (1 621 229 − 2 616 770) ÷ (1 621 229 − 1 378 045) = −409.4 %
    (target,) = results["targets"]
    assert (target["base_value"], target["base_value_differs"]) == (1_795_706, False)
    assert round(target["base_value_recorded"]) == 1_795_706
    assert target["base_value_source"] == "ledger_recalculated"
    # each of the three is a figure of results.json, rounded to 12 significant digits
    assert target["base_value_recalculated"] == pytest.approx(
        base["scope1_tco2e"] + base["scope2_location_tco2e"], rel=1e-11)
    assert [round(target[key]) for key in ("base_value_recalculated", "target_value",
                                            "current_value")] == [1_621_229, 1_378_045,
                                                                  2_616_770]
    assert round(target["progress_pct"], 1) == -409.4
    html = (out_dir / "report.en.html").read_text(encoding="utf-8")
    assert "-409.4 %<br><small class=\"flag\">above the base year</small>" in html
    assert "Comparison with earlier periods" in html
    assert "The base year was recalculated" in html
    assert "SRE-VN-HFO" in html
    assert "GWP set AR5 → AR6" in html
    # The key-figures page shows each box's change against the restated prior period,
    # marked (R) where the restatement changed the figure: Scope 1 (AR5 → AR6), not Scope 2
    # (grid factors per MWh; 2023's reads as first reported)
    figures = results["comparison"]["figures"]
    scope2 = figures["ghg.scope2_location_tco2e"]
    assert (scope1["prior_restated"], scope2["prior_restated"]) == (True, False)
    assert f"{scope1['change_pct']:+.1f} % against the prior period (R)</div>" in html
    assert f"{scope2['change_pct']:+.1f} % against the prior period</div>" in html
    chinese = (out_dir / "report.zh.html").read_text(encoding="utf-8")
    assert "与以往期间的比较" in chinese
    assert "基准年已重新计算" in chinese
    assert "全球变暖潜势（GWP）版本 AR5 → AR6" in chinese
    code, out, _err = invoke("ledger", "history", "SRE", "--db", db, "--format", "json")
    assert code == 0
    assert [(p["period_end"], p["restated"]) for p in json.loads(out)] == [
        ("2021-12-31", True), ("2023-12-31", True), ("2024-12-31", False)]


def test_build_ledger_invalid_workbook_is_recorded_and_exits_1(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    bad = write_workbook(tmp_path / "bad.xlsx", {"Organization": [["field", "value"]]})
    code, _out, err = invoke("build", str(bad), "-o", str(tmp_path / "o"), "--ledger", "--db",
                             db, "--no-pdf", "-q")
    assert code == 1
    assert "recorded in the ledger" in err
    assert not (tmp_path / "o" / "results.json").exists()
    assert [r.outcome for r in Ledger(db).submissions()] == ["invalid"]


def test_batch_ledger_records_every_workbook_and_the_group(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "root")  # getpass.getuser reads it first
    db = f"sqlite:///{tmp_path / 'l.db'}"
    # SRE's 2023 is in the ledger already: its 2024 report compares with it.
    assert invoke("ledger", "add", str(SAMPLES / "history" / "sre_2023.xlsx"), "--db", db)[0] \
        == 0
    out_dir = tmp_path / "batch"
    code, _out, err = invoke("batch", str(SAMPLES / "group"), "-o", str(out_dir), "--ledger",
                             "--db", db, "--no-pdf", "--lang", "en", "--workers", "1", "-q")
    assert code == 0, err
    with Ledger(db) as led:
        current = {(r.entity_id, r.period_year) for r in led.submissions(current_only=True)}
        # all by the command line under its login: the members, the group and the reports
        # compared with earlier periods (the group and the reports were by "cli", no login)
        received = {(r.entity_id, r.period_year): r.received_by for r in led.submissions()}
        with led.engine.connect() as connection:
            built = [(row.submission_id, row.by)
                     for row in connection.execute(select(tables.report_builds))]
        entity_of = {r.id: (r.entity_id, r.period_year) for r in led.submissions()}
        actions = Counter((entry["action"], entry["actor"]) for entry in led.audit_log())
    assert current == {("SRE", 2023), ("SRE", 2024), ("SRI", 2024), ("CSIG", 2024),
                       ("CSIG:group", 2024)}
    assert received == dict.fromkeys(current, "cli:root")
    # every report built is noted (what it published, so a later correction is restated):
    # the three members' 2024 reports (SRE's compared with 2023) and the group's
    assert sorted((entity_of[submission], by) for submission, by in built) == [
        (("CSIG", 2024), "cli:root"), (("CSIG:group", 2024), "cli:root"),
        (("SRE", 2024), "cli:root"), (("SRI", 2024), "cli:root")]
    # every action by the command line's login, counted: each entity added as first
    # recorded (SRE by `ledger add`, SRI, CSIG, CSIG:group), the four workbooks (SRE 2023,
    # then SRE, SRI, CSIG 2024), the group, and the four reports
    assert actions == {("entity.add", "cli:root"): 4, ("submission.record", "cli:root"): 4,
                       ("group.record", "cli:root"): 1, ("report.build", "cli:root"): 4}
    sre = json.loads((out_dir / "SRE" / "results.json").read_text(encoding="utf-8"))
    assert sre["comparison"]["prior_period"]["end"] == "2023-12-31"
    assert sre["comparison"]["prior_period"]["restated"] is True
    group = json.loads((out_dir / "group" / "results.json").read_text(encoding="utf-8"))
    assert group["comparison"] is None  # the group's first period in the ledger
    board = json.loads((out_dir / "status.json").read_text(encoding="utf-8"))
    assert board["group"]["built"] is True


def test_build_ledger_stores_and_writes_the_bytes_a_plain_build_writes(tmp_path: Path) -> None:
    """results.json is encoded once by ``build --ledger``: the ledger stores exactly the bytes
    a build without the ledger writes, and the build writes them (the trail not encoded
    again). A new ledger has no earlier period, so all three are identical."""
    from sqlalchemy import select

    from envreport.ledger import tables as t

    db = f"sqlite:///{tmp_path / 'l.db'}"
    sample = str(SAMPLES / "group" / "sre.xlsx")
    code, _out, err = invoke("build", sample, "-o", str(tmp_path / "plain"), "--no-pdf",
                             "--lang", "en", "-q")
    assert code == 0, err
    code, _out, err = invoke("build", sample, "-o", str(tmp_path / "led"), "--ledger",
                             "--db", db, "--no-pdf", "--lang", "en", "-q")
    assert code == 0, err
    plain = (tmp_path / "plain" / "results.json").read_bytes()
    with Ledger(db) as led, led.engine.connect() as connection:
        stored = connection.execute(select(t.results.c.results_json)).scalar_one()
        record = led.submission(1)
        assert record is not None
        # the one stored submission is this workbook, recorded as the results' source
        assert (record.file_name, record.entity_id, record.status) == ("sre.xlsx", "SRE",
                                                                      "current")
        assert record.sha256 == hashlib.sha256(Path(sample).read_bytes()).hexdigest()
    assert len(json.loads(plain)["calculations"]) > 200  # long: written one entry per line
    assert stored.encode() == plain
    assert (tmp_path / "led" / "results.json").read_bytes() == plain
