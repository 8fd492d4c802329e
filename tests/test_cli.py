"""The CLI: JSON equals the library's report, exit codes, annotated copy, schema export."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from typer.testing import CliRunner

from envreport import cli
from envreport.cli import app
from envreport.docs import findings_markdown
from envreport.schema.export import schema_files
from envreport.validate.report import validation_report
from tests.conftest import ROOT, SAMPLES, validate_file
from tests.workbooks import minimal, write_workbook

runner = CliRunner()
FAULTY = SAMPLES / "faulty" / "faulty_submission.xlsx"


def test_validate_json_is_exactly_the_library_report() -> None:
    result = runner.invoke(app, ["validate", str(FAULTY), "--format", "json", "--quiet"])
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed == validation_report(validate_file(FAULTY))
    expected = json.loads(FAULTY.with_suffix(".expected.json").read_text())["findings"]
    assert printed["errors"] == sum(severity == "error" for *_, severity in expected) == 19
    assert printed["warnings"] == sum(severity == "warning" for *_, severity in expected) == 4
    first = printed["findings"][0]
    assert set(first) == {"severity", "code", "sheet", "cell", "row", "column", "field",
                          "value", "message", "hint"}
    for sheet, count in printed["rows"].items():
        assert count["read"] == count["accepted"] + count["rejected"], sheet


def test_validate_text_groups_by_sheet_and_exit_zero_when_valid() -> None:
    result = runner.invoke(app, ["validate", str(SAMPLES / "group" / "sre.xlsx"), "-q"])
    assert result.exit_code == 0
    assert "sre.xlsx: valid — 0 errors, 0 warnings" in result.stdout
    faulty = runner.invoke(app, ["validate", str(FAULTY), "-q"])
    assert faulty.exit_code == 1
    assert "INVALID" in faulty.stdout
    assert "generation-exceeds-capacity" in faulty.stdout


@lru_cache(maxsize=1)
def _faulty_in_chinese() -> Result:
    """``validate faulty_submission.xlsx --lang zh -q``, run once for the tests that read its
    console table."""
    return runner.invoke(app, ["validate", str(FAULTY), "--lang", "zh", "-q"])


def test_validate_messages_in_chinese() -> None:
    result = runner.invoke(app, ["validate", str(FAULTY), "--format", "json", "--lang", "zh",
                                 "-q"])
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["code"] == "project-duplicate"
    # the text names the sheet as the Chinese template does; its position stays canonical
    assert (finding["sheet"], finding["cell"]) == ("Projects", "A5")
    assert finding["message"] == (
        "项目编号（project_id）“EA-RAIL-01”在“项目”工作表中出现了不止一次（首次出现在第3行）。")
    # the console heads each sheet's findings by both names
    table = _faulty_in_chinese().stdout
    headings = [line.strip() for line in table.splitlines() if line.strip().endswith("）")
                and not line.startswith(("│", "┃"))]
    assert headings[:2] == ["项目（Projects）", "燃料燃烧（Fuel）"]


def test_unreadable_file_gives_one_finding_and_exit_two(tmp_path: Path) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("id,value\n1,2\n")
    result = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"]] == ["unreadable-file"]
    assert "notes.xlsx" in report["findings"][0]["message"]
    text = runner.invoke(app, ["validate", str(bad)])
    assert text.exit_code == 2
    assert "Traceback" not in text.output


def test_misuse_exits_two() -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["build", str(FAULTY), "-o", "x", "--lang", "fr"]).exit_code == 2


@pytest.mark.parametrize(("argv", "said"), [
    # every command with --lang, one wording (walked r15: validate and template said typer's
    # "Value error, 'fr' is not one of 'en', 'zh'.", build "'fr': use en, zh or en,zh")
    (["validate", str(FAULTY), "--lang", "fr"],
     "Invalid value for --lang: 'fr' is not a supported language: use en, zh"),
    (["template", "-o", "blank.xlsx", "--lang", "fr"],
     "Invalid value for --lang: 'fr' is not a supported language: use en, zh"),
    (["build", str(FAULTY), "-o", "out", "--lang", "fr"],
     "Invalid value for --lang: 'fr' is not a supported language: use en, zh"),
    (["batch", str(FAULTY), "-o", "out", "--lang", "en,fr"],
     "Invalid value for --lang: 'fr' is not a supported language: use en, zh"),
    # in Chinese when the first language is Chinese (build and batch take a list)
    (["build", str(FAULTY), "-o", "out", "--lang", "zh,fr"],
     "Invalid value for --lang: 不支持语言“fr”：请使用 en、zh"),
    (["batch", str(FAULTY), "-o", "out", "--lang", "zh,de"],
     "Invalid value for --lang: 不支持语言“de”：请使用 en、zh"),
])
def test_an_unknown_language_is_refused_in_one_wording(
        argv: list[str], said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert said in " ".join(result.output.replace("│", " ").split())
    assert "Value error" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_annotated_copy_marks_each_finding(tmp_path: Path) -> None:
    out = tmp_path / "annotated.xlsx"
    result = runner.invoke(app, ["validate", str(FAULTY), "--annotate", str(out), "-q"])
    assert result.exit_code == 1
    book = load_workbook(out)
    assert book.sheetnames[0] == "Findings"
    listing = book["Findings"]
    rows = list(listing.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 23  # every finding of faulty_submission.expected.json
    assert rows[0][:4] == ("error", "project-duplicate", "Projects", "A5")
    # the value as typed: the reader's floats 245000.0 and -5200.0 are whole numbers
    values = {row[3]: row[5] for row in rows if row[2] == "Fuel"}
    assert (values["E7"], values["E16"]) == ("245000", "-5200")
    assert listing["D2"].hyperlink.location == "'Projects'!A5" or \
        listing["D2"].hyperlink.target == "#'Projects'!A5"
    cell = book["Generation"]["E2"]
    assert cell.fill.fgColor.rgb.endswith("F4B6B6")  # error: red
    assert "generation-exceeds-capacity" in cell.comment.text
    warning = book["Fuel"]["E7"]
    assert warning.fill.fgColor.rgb.endswith("FFE08A")  # warning: amber


def test_build_refuses_a_workbook_with_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(FAULTY), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    errors = len(validate_file(FAULTY).findings.errors)
    assert result.output == (f"error: {FAULTY.name} has {errors} error(s); nothing was built. "
                             f"See them with: envreport validate {FAULTY}\n")
    assert not (tmp_path / "out").exists()
    # the command is to be copied into a shell: a path with a space is quoted (walked as a
    # new user, r15: "envreport validate my data/faulty copy.xlsx" named two files)
    spaced = tmp_path / "my data" / "faulty copy.xlsx"
    spaced.parent.mkdir()
    spaced.write_bytes(FAULTY.read_bytes())
    result = runner.invoke(app, ["build", str(spaced), "-o", str(tmp_path / "out"), "-q"])
    assert (result.exit_code, result.output) == (
        1, f"error: faulty copy.xlsx has {errors} error(s); nothing was built. "
           f"See them with: envreport validate '{spaced}'\n")


def test_schema_export_matches_committed_schemas(tmp_path: Path) -> None:
    # results.schema.json is the output contract (tests/test_results_model.py), not a sheet
    committed = {p.name: p.read_text() for p in (ROOT / "schemas").glob("*.json")
                 if p.name != "results.schema.json"}
    assert committed == schema_files(), "schemas/ drifted: run python scripts/gen_docs.py"
    result = runner.invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert {p.name for p in tmp_path.iterdir()} == set(committed)


def test_finding_codes_doc_is_generated_from_the_code() -> None:
    committed = (ROOT / "docs" / "findings.md").read_text()
    assert committed == findings_markdown(), "docs/findings.md drifted: run scripts/gen_docs.py"


def test_template_command_writes_both_languages(tmp_path: Path) -> None:
    # the Chinese template's tabs are Chinese too (docs/workbook.md, "Reading rules")
    first_header = {"en": "project_id", "zh": "项目编号"}
    tabs = {"en": ("Instructions", "Projects"), "zh": ("说明", "项目")}
    for lang in ("en", "zh"):
        out = tmp_path / f"t.{lang}.xlsx"
        assert runner.invoke(app, ["template", "-o", str(out), "--lang", lang]).exit_code == 0
        book = load_workbook(out)
        instructions, projects = tabs[lang]
        assert book.sheetnames[0] == instructions
        assert book[projects]["A1"].value == first_header[lang]


def test_a_written_path_is_one_line_however_long(tmp_path: Path) -> None:
    """``wrote PATH`` on a stderr that is no terminal (a log, a script's pipe) was wrapped at
    80 columns, cutting the path in two (``wrote /tmp/…/re`` / ``port.xlsx``): a path
    copied from the log did not exist. The serve banner's ledger URL was cut the same way."""
    out = tmp_path / ("a-folder-with-a-name-long-enough-to-pass-eighty-columns" * 2) / "t.xlsx"
    out.parent.mkdir()
    result = runner.invoke(app, ["template", "-o", str(out)], env={"COLUMNS": "80"})
    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")


def test_build_writes_results_json_without_pdf(tmp_path: Path) -> None:
    """... into a folder an earlier build in two languages, with PDFs, wrote to: its reports
    go (they would pass for this build's, with the earlier figures), the user's files and a
    folder of a report's name stay."""
    workbook = write_workbook(tmp_path / "wb.xlsx", minimal())
    out = tmp_path / "out"
    out.mkdir()
    for earlier in ("report.pdf", "report.en.html", "report.en.pdf", "report.zh.html",
                    "results.json", "notes.txt", "report.fr.html"):
        (out / earlier).write_text("earlier", encoding="utf-8")
    (out / "report.zh.pdf").mkdir()
    result = runner.invoke(app, ["build", str(workbook), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    results = json.loads((out / "results.json").read_text())
    assert results["organization"]["entity_id"] == "TEST"
    assert sorted(path.name for path in out.iterdir()) == [
        "notes.txt", "report.fr.html", "report.html", "report.zh.pdf", "results.json"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "earlier"
    assert (out / "report.zh.pdf").is_dir()


def test_two_builds_of_one_workbook_are_byte_identical(tmp_path: Path) -> None:
    sample = SAMPLES / "group" / "sri.xlsx"
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = runner.invoke(app, ["build", str(sample), "-o", str(out), "--no-pdf",
                                     "--lang", "en,zh", "-q"])
        assert result.exit_code == 0, result.output
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert set(outputs[0]) == {"results.json", "report.en.html", "report.zh.html"}
    assert outputs[0] == outputs[1]
    results = json.loads(outputs[0]["results.json"])
    assert results["input"]["file_name"] == "sri.xlsx"
    assert len(results["input"]["sha256"]) == 64


def test_json_report_on_a_stdout_that_cannot_carry_chinese_is_escaped_not_an_error() -> None:
    args = ["validate", str(SAMPLES / "faulty" / "faulty_submission.xlsx"), "--format", "json",
            "--lang", "zh", "-q"]
    # the ASCII-only stdout is a process's own (PYTHONIOENCODING is read at its start); the
    # UTF-8 report it is compared with runs in this process (typer's CliRunner writes UTF-8)
    ascii_out = subprocess.run([sys.executable, "-m", "envreport.cli", *args], cwd=ROOT,
                               capture_output=True, check=False,
                               env={**os.environ, "PYTHONIOENCODING": "ascii"})
    utf8_out = runner.invoke(app, args)
    assert ascii_out.returncode == utf8_out.exit_code == 1
    assert ascii_out.stdout.isascii()
    assert b"\\u" in ascii_out.stdout  # the Chinese messages, escaped
    assert not utf8_out.stdout.isascii()  # the same messages, in Chinese
    assert json.loads(ascii_out.stdout) == json.loads(utf8_out.stdout_bytes.decode("utf-8"))


def test_ctrl_c_in_any_command_is_one_line_and_exit_two(tmp_path: Path, monkeypatch) -> None:
    """typer answers a KeyboardInterrupt in a command with a silent exit 130; envreport's
    codes are 0, 1 and 2 only."""
    import envreport.pipeline
    from envreport.factors import show

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(envreport.pipeline, "build_report", interrupted)
    monkeypatch.setattr(show, "print_factors", interrupted)
    for argv in (["build", str(FAULTY), "-o", str(tmp_path / "out"), "-q"], ["factors"]):
        result = runner.invoke(app, argv)
        assert (result.exit_code, result.output) == (2, "error: interrupted\n"), argv


def run_main(argv: list[str], monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    """``envreport ARGV`` through the console script's ``main`` in this process: its exit code
    and what it wrote to stderr. (main's own state is fresh for it and put back after.)"""
    monkeypatch.setattr(sys, "argv", ["envreport", *argv])
    monkeypatch.setattr(cli, "_RUN_BY_MAIN", [])
    monkeypatch.setattr(cli, "_ENDS_WITHOUT_COLLECTION", [])
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        cli.main()
    return done.value.code, capsys.readouterr().err


def test_an_internal_error_is_one_line_and_exit_two(tmp_path: Path, monkeypatch,
                                                    capsys) -> None:
    """A bug (here: the pipeline raising) is one line naming it, exit 2, never 70 nor a
    traceback; ENVREPORT_DEBUG=1 shows the traceback (Python's, at the end of the process:
    that half is run as its own process)."""
    import envreport.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.delenv("ENVREPORT_DEBUG", raising=False)
    monkeypatch.setattr(envreport.pipeline, "build_report", broken)
    argv = ["build", str(FAULTY), "-o", str(tmp_path / "out"), "-q"]
    assert run_main(argv, monkeypatch, capsys) == (
        2, "error: internal error: ZeroDivisionError: a bug (set ENVREPORT_DEBUG=1 for the "
           "traceback, and please report it)\n")
    program = ("import sys, envreport.pipeline as pipeline\n"
               "def broken(*args, **kwargs): raise ZeroDivisionError('a bug')\n"
               "pipeline.build_report = broken\n"
               "from envreport.cli import main\n"
               f"sys.argv = ['envreport', *{argv!r}]\n"
               "main()\n")
    debug = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "ENVREPORT_DEBUG": "1"},
                           timeout=120, check=False)
    assert "Traceback" in debug.stderr
    assert "ZeroDivisionError: a bug" in debug.stderr


def test_db_without_ledger_is_a_misuse_in_build_and_batch(tmp_path: Path) -> None:
    ledger = f"sqlite:///{tmp_path / 'ledger.db'}"
    for command in ("build", "batch"):
        result = runner.invoke(app, [command, str(FAULTY), "-o", str(tmp_path / command),
                                     "--db", ledger, "-q"])
        assert result.exit_code == 2, command
        assert "--db needs --ledger" in result.output, command
        assert not (tmp_path / command).exists()  # nothing started
        assert not (tmp_path / "ledger.db").exists()


def test_ctrl_c_while_the_cli_is_imported_is_one_line_and_exit_two() -> None:
    """The entry point (envreport.__main__, the console script's) catches Ctrl-C during the
    CLI's own imports, which Python would end with a traceback and a death by SIGINT."""
    program = ("import sys\n"
               "class CtrlC:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'typer':\n"
               "            raise KeyboardInterrupt\n"
               "sys.meta_path.insert(0, CtrlC())\n"
               "sys.argv = ['envreport', 'validate', 'x.xlsx']\n"
               "from envreport.__main__ import main\n"
               "main()\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
                         check=False)
    # the README's words and code, not the module's constants (which the child also reads)
    assert (run.returncode, run.stderr) == (2, "error: interrupted\n")
    version = subprocess.run([sys.executable, "-m", "envreport", "--version"],
                             capture_output=True, text=True, timeout=60, check=False,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (version.returncode, version.stdout.split()[0]) == (0, "envreport")


def test_users_add_without_a_password_exits_two(tmp_path: Path, monkeypatch) -> None:
    """The prompt's end (no input, or Ctrl-C) is click's Abort, which typer answers with
    exit 1, the code of a submission with errors."""
    monkeypatch.delenv("ENVREPORT_PASSWORD", raising=False)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    result = runner.invoke(app, ["users", "add", "bob", "--role", "admin", "--db", url],
                           input="")
    assert result.exit_code == 2
    assert result.output.endswith("error: no password given; bob was not added\n")


@pytest.mark.parametrize(("argv", "code"), [
    # ``envreport factors | head``: rich's answer to the closed pipe was exit 1, the code of a
    # submission with errors; the reader wanted no more, so nothing is said, exit 2
    (["factors"], 2),
    # help read in part (``| head -1``) is help read: exit 0, as ``git --help | head``
    (["validate", "--help"], 0)])
def test_a_stdout_closed_by_its_reader_ends_silently(argv: list[str], code: int) -> None:
    """Through a real pipe, with the reader gone before anything is printed."""
    program = (f"import sys\nsys.argv = {['envreport', *argv]!r}\n"
               "from envreport.cli import main\nmain()\n")
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None
    process.stdout.close()  # before the command has printed (its imports take longer)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (code, b"")


class _ClosedPipe:
    """A stdout whose reader has gone (``| head -1`` after the first line): every write is
    EPIPE. Its descriptor is a file's, for rich to put /dev/null on."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, path: Path) -> None:
        self._file = path.open("w")

    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        """Nothing is buffered."""

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return False


def _help_paths() -> list[list[str]]:
    """``--help`` of the top level, of every group and of every command."""
    import typer.main

    paths: list[list[str]] = []

    def walk(path: list[str], command: object) -> None:
        paths.append([*path, "--help"])
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk([*path, name], sub)

    walk([], typer.main.get_command(app))
    return paths


def test_help_and_version_read_only_in_part_exit_zero(tmp_path: Path, monkeypatch) -> None:
    """``envreport --help | head -1`` (and every command's help, and --version): the help
    was given as far as the reader wanted, so exit 0 as ``git --help | head`` does; rich's
    own answer to the closed pipe was exit 1, the code of a submission with errors.
    ``envreport | head -1`` stays the misuse it is without the pipe: exit 2."""
    misuses = [[], ["ledger"]]  # help for a group given nothing to do: exit 2 all the same
    paths = [*_help_paths(), ["--version"], *misuses]
    assert ["validate", "--help"] in paths
    assert ["ledger", "list", "--help"] in paths
    for argv in paths:
        closed = _ClosedPipe(tmp_path / f"{'-'.join(argv)}.out")
        monkeypatch.setattr(sys, "stdout", closed)
        monkeypatch.setattr(sys, "argv", ["envreport", *argv])
        monkeypatch.setattr(cli, "_RUN_BY_MAIN", [])  # main's own state, fresh (run_main)
        monkeypatch.setattr(cli, "_ENDS_WITHOUT_COLLECTION", [])
        # a console of its own: the closed pipe leaves the console it met quiet for good
        monkeypatch.setattr(cli, "stdout", cli._console_when_used(soft_wrap=False))
        with pytest.raises(SystemExit) as done:
            cli.main()
        monkeypatch.undo()
        assert done.value.code in ((2,) if argv in misuses else (0, None)), argv


def test_an_output_path_that_cannot_be_used_names_it_not_an_internal_error(
        tmp_path: Path, monkeypatch, capsys) -> None:
    """``-o`` naming a folder, or a place that does not exist and cannot be made: the path
    and why, exit 2 (was "internal error: IsADirectoryError ... please report it")."""
    monkeypatch.delenv("ENVREPORT_DEBUG", raising=False)
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    folder = tmp_path / "blank.xlsx"  # a folder named like the workbook
    folder.mkdir()
    for argv, expected in (
            (["template", "-o", str(folder)], f"error: {folder}: Is a directory\n"),
            # a folder to make under a file names the file, as -o naming the file does
            # (was "a file/schemas: Not a directory"; walked as a new user, r15)
            (["schema", "-o", str(blocker / "schemas")],
             f"error: {blocker}: it is a file, not a folder\n"),
            (["schema", "-o", str(blocker / "sub" / "schemas")],
             f"error: {blocker}: it is a file, not a folder\n"),
            (["template", "-o", str(blocker / "sub" / "t.xlsx")],
             f"error: {blocker}: it is a file, not a folder\n"),
            (["batch", str(SAMPLES / "group"), "-o", str(blocker / "out"), "--no-pdf", "-q"],
             f"error: {blocker}: it is a file, not a folder\n"),
            (["demo", "-o", str(blocker / "out"), "--no-pdf"],
             f"error: cannot write {blocker}: it is a file, not a folder; "
             "the report is incomplete\n"),
            # -o naming a file where a folder is made said "File exists" (os.mkdir's words),
            # which a clerk cannot act on (walked as a new user, r14)
            (["schema", "-o", str(blocker)], f"error: {blocker}: it is a file, not a folder\n"),
            # the Chinese colon, as in 无法写入 x：… (was "x: 这是…"; walked in Chinese, r15)
            (["template", "-o", str(blocker / "t.xlsx"), "--lang", "zh"],
             f"错误：{blocker}：这是一个文件，不是文件夹\n")):
        assert run_main(argv, monkeypatch, capsys) == (2, expected)
    assert blocker.read_text() == "x"


def test_the_annotated_copy_is_written_when_the_reader_stops_early(tmp_path: Path) -> None:
    """``validate --annotate out.xlsx | head -3``: the copy is written although the pipe
    closes before the table is printed (it was not: printing ended the command first)."""
    out = tmp_path / "annotated.xlsx"
    program = ("import sys\nfrom envreport.cli import main\n"
               f"sys.argv = ['envreport', 'validate', {str(FAULTY)!r}, '--annotate', "
               f"{str(out)!r}, '-q']\nmain()\n")
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(program)} | head -n 1"
    run = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
                         check=False)
    assert run.stdout == "faulty_submission.xlsx: INVALID — 19 errors, 4 warnings\n"
    assert load_workbook(out).sheetnames[0] == "Findings"


def test_a_workbook_envreport_writes_must_be_named_xlsx(tmp_path: Path) -> None:
    """``template -o blank.csv`` wrote an .xlsx workbook named .csv, which Excel refuses to
    open: a misuse, exit 2, nothing written."""
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "blank.csv")])
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # click's box wraps the text
    assert "blank.csv: the workbook's name must end in .xlsx" in said
    result = runner.invoke(app, ["validate", str(FAULTY), "--annotate",
                                 str(tmp_path / "annotated.xls"), "-q"])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
    assert runner.invoke(app, ["template", "-o", str(tmp_path / "Blank.XLSX")]).exit_code == 0


def test_the_annotated_copy_never_replaces_the_workbook_it_annotates(tmp_path: Path) -> None:
    """``validate book.xlsx --annotate book.xlsx`` wrote the copy over the submission itself
    (the subsidiary's workbook lost, its Findings sheet in its place): a misuse, exit 2,
    the workbook untouched, also when the two paths are spelled differently."""
    book = tmp_path / "book.xlsx"
    book.write_bytes(FAULTY.read_bytes())
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["validate", str(book), "--annotate",
                                 str(tmp_path / "sub" / ".." / "book.xlsx"), "-q"])
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())
    assert ("Invalid value for --annotate: book.xlsx is the workbook being validated: write "
            "the annotated copy to another file") in said
    assert book.read_bytes() == FAULTY.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "sub"]


def test_the_annotated_copy_never_replaces_another_file_unless_forced(tmp_path: Path) -> None:
    """``validate a.xlsx --annotate b.xlsx`` wrote the copy over b.xlsx, whatever it was
    (a sister entity's filled-in workbook), where ``template`` refuses: refused as
    ``template`` refuses (exit 2 before the read, the file named, untouched) unless
    ``--force``."""
    book = write_workbook(tmp_path / "a.xlsx", minimal())
    other = tmp_path / "b.xlsx"
    other.write_bytes(FAULTY.read_bytes())
    result = runner.invoke(app, ["validate", str(book), "--annotate", str(other), "-q"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"error: {other} exists already and is not replaced: it may be a filled-in "
               "workbook. Write the annotated copy to another file, or add --force to "
               "replace it\n")
    result = runner.invoke(app, ["validate", str(book), "--annotate", str(other), "-q",
                                 "--lang", "zh"])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{other} 已存在，未被覆盖：它可能是已填写的工作簿。请将批注副本写入其他"
           "文件，或加上 --force 以覆盖\n")
    assert other.read_bytes() == FAULTY.read_bytes()
    result = runner.invoke(app, ["validate", str(book), "--annotate", str(other), "-q",
                                 "--force"])
    assert result.exit_code == 0, result.output
    assert load_workbook(other, read_only=True).sheetnames == [  # the copy, in its place
        "Findings", "Organization", "Projects", "Fuel"]


def test_the_chinese_row_accounting_names_the_sheets_as_the_findings_do() -> None:
    """``validate --lang zh``: the row table named every sheet in English (Organization,
    Projects ...) under findings headed 项目（Projects）; it names them the same way."""
    result = _faulty_in_chinese()
    assert result.exit_code == 1
    lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
    assert "机构信息（Organization） 17 17 0 0" in lines
    assert "汇率（FxRates） 2 2 0 0" in lines
    assert not any(line.startswith("Organization ") for line in lines)


def test_the_commands_own_messages_follow_lang(tmp_path: Path) -> None:
    """``--lang zh``: the ``error:`` prefix, a missing or refused file, a build stopped by
    errors, a refused batch and our own usage errors are Chinese (click's frame around a
    usage error, "Invalid value for", stays as click prints it); the next command without
    --lang is English again. ``build --lang zh,en``: the first language."""
    missing = tmp_path / "nothere.xlsx"
    result = runner.invoke(app, ["validate", str(missing), "--lang", "zh", "-q"])
    assert (result.exit_code, result.stderr) == (
        2, "错误：nothere.xlsx 无法作为工作簿读取：文件不存在\n")
    result = runner.invoke(app, ["build", str(missing), "-o", str(tmp_path / "o"),
                                 "--lang", "zh,en", "-q"])
    assert (result.exit_code, result.stderr) == (
        2, "错误：nothere.xlsx 无法作为工作簿读取：文件不存在\n")
    result = runner.invoke(app, ["build", str(FAULTY), "-o", str(tmp_path / "o"),
                                 "--lang", "zh", "--no-pdf", "-q"])
    assert (result.exit_code, result.stderr) == (
        1, f"错误：faulty_submission.xlsx 有19个错误；未生成任何内容。查看错误："
           f"envreport validate {FAULTY} --lang zh\n")  # its findings in Chinese too (r15)
    assert not (tmp_path / "o").exists()
    result = runner.invoke(app, ["batch", str(missing), "-o", str(tmp_path / "b"),
                                 "--lang", "zh", "-q"])
    assert (result.exit_code, result.stderr) == (2, f"错误：未找到：{missing}\n")
    result = runner.invoke(app, ["build", str(FAULTY), "-o", str(tmp_path / "o"),
                                 "--lang", "zh", "--db", "x"])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2
    assert "Invalid value for --db: --db 须与 --ledger 一起使用" in said
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "blank.csv"), "--lang", "zh"])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2
    assert "blank.csv：工作簿的文件名必须以 .xlsx 结尾" in said
    result = runner.invoke(app, ["validate", str(missing), "-q"])
    assert (result.exit_code, result.stderr) == (
        2, "error: nothere.xlsx cannot be read as a workbook: the file does not exist\n")


def test_the_stages_on_a_terminal_follow_lang(monkeypatch) -> None:
    """``validate --lang zh`` on a terminal: the spinner's stages are Chinese too (they were
    English: the catalogue had them, the spinner never asked)."""
    import io

    buffer = io.StringIO()
    monkeypatch.setattr(cli, "stderr", lambda: cli.plain_console(file=buffer,
                                                                 force_terminal=True))
    monkeypatch.setattr(cli, "may_be_a_terminal", lambda _stream: True)
    result = runner.invoke(app, ["validate", str(FAULTY), "--lang", "zh"])
    assert result.exit_code == 1
    assert "正在读取工作簿" in buffer.getvalue()
    assert "正在校验" in buffer.getvalue()
    assert "Reading the workbook" not in buffer.getvalue()


def test_the_batch_bar_on_a_terminal_follows_lang(monkeypatch, tmp_path) -> None:
    """``batch --lang zh`` on a terminal: the bar's words are Chinese too (they were English:
    the batch handed the bar English sentences). One workbook that cannot be read, so no
    report is built."""
    import io

    buffer = io.StringIO()
    monkeypatch.setattr(cli, "stderr", lambda: cli.plain_console(file=buffer,
                                                                 force_terminal=True))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "broken.xlsx").write_bytes(b"not a workbook")
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(tmp_path / "out"),
                                 "--lang", "zh", "--no-pdf", "-j", "1"])
    assert result.exit_code == 1, result.output
    shown = buffer.getvalue()
    # the bar's words, in the order they were drawn: its title, the one workbook read, and
    # the two steps with nothing to build (its report folder, the group report)
    words = re.findall(r"\x1b\[2K(\S+)", shown)
    assert words == ["批处理", "已读取：broken.xlsx", "已跳过", "已跳过", "已跳过"], shown
    assert "read broken.xlsx" not in shown
    assert "skipped" not in shown


def test_the_batch_bar_words_in_each_language() -> None:
    """Every step the batch reports, as the bar words it in English and in Chinese."""
    from envreport.batch.progress import step_label

    steps = [("read", "sre.xlsx"), ("built", "SRE"), ("built group", ""), ("skipped", "")]
    assert [step_label(step, name) for step, name in steps] == [  # type: ignore[arg-type]
        "read sre.xlsx", "built SRE", "built group", "skipped"]
    assert [step_label(step, name, "zh") for step, name in steps] == [  # type: ignore[arg-type]
        "已读取：sre.xlsx", "已生成：SRE", "已生成集团报告", "已跳过"]


def test_batch_summary_line_counts_the_states_in_the_lang(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``batch --lang zh``'s summary line names each state as the Chinese board does
    (无法读取, the label of status.zh.html's counts line), not by its English id. A batch
    that finished ends its process at once (``main``: no finalisation), as build does."""
    ends_at_once: list[bool] = []
    monkeypatch.setattr(cli, "_ENDS_WITHOUT_COLLECTION", ends_at_once)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "broken.xlsx").write_bytes(b"hello")  # unreadable: no workbook is built

    def summary(*lang: str) -> str:
        out = tmp_path / f"out{len(lang)}"
        result = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--no-pdf", "-q",
                                     *lang])
        assert result.exit_code == 1
        return "".join(result.stderr.splitlines()).replace(str(out), "OUT")

    assert summary("--lang", "zh") == (
        "无法读取：1；未生成集团报告（缺少母公司工作簿：请一并提供含有“子公司”工作表的那一份）；"
        "已写入：OUT/status.html")
    assert summary().startswith("1 unreadable; no group report (no parent workbook")
    assert ends_at_once == [True, True]  # once the summary line was written, each time


def test_the_template_never_replaces_a_workbook_unless_forced(tmp_path: Path) -> None:
    """``template -o filled.xlsx`` wrote a blank template over a workbook someone had filled
    in: refused (exit 2, the file named, untouched) unless ``--force``."""
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(FAULTY.read_bytes())
    result = runner.invoke(app, ["template", "-o", str(filled)])
    assert (result.exit_code, result.stderr) == (
        2, f"error: {filled} exists already and is not replaced: it may be a filled-in "
           "workbook. Write the template to another file, or add --force to replace it\n")
    result = runner.invoke(app, ["template", "-o", str(filled), "--lang", "zh"])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{filled} 已存在，未被覆盖：它可能是已填写的工作簿。请将模板写入其他文件，"
           "或加上 --force 以覆盖\n")
    assert filled.read_bytes() == FAULTY.read_bytes()
    result = runner.invoke(app, ["template", "-o", str(filled), "--force"])
    assert result.exit_code == 0
    assert load_workbook(filled).sheetnames[0] == "Instructions"


@pytest.mark.parametrize(("command", "consequence"), [
    (["validate", str(FAULTY), "--annotate", "{blocker}/copy.xlsx"],
     ("no annotated copy was written", "未写出批注副本")),
    (["build", str(SAMPLES / "group" / "sre.xlsx"), "-o", "{blocker}", "--no-pdf"],
     ("the report is incomplete", "报告不完整")),
    # a folder under the file: the file is named all the same (was "cannot write
    # blocker/sub: Not a directory"; walked r15)
    (["validate", str(FAULTY), "--annotate", "{blocker}/sub/copy.xlsx"],
     ("no annotated copy was written", "未写出批注副本")),
    (["build", str(SAMPLES / "group" / "sre.xlsx"), "-o", "{blocker}/sub", "--no-pdf"],
     ("the report is incomplete", "报告不完整"))])
def test_an_output_whose_folder_is_a_file_cannot_be_written_exit_2(
        tmp_path: Path, command: list[str], consequence: tuple[str, str]) -> None:
    """``validate --annotate blocker/copy.xlsx`` where ``blocker`` is a file said "...for
    this file: FileExistsError: [Errno 17] ...", ``build -o blocker`` "cannot write blocker:
    File exists": now one line in the same words (one helper) and exit code 2, the
    validation's report still printed."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    for lang, expected, summary in (
            ("en", f"error: cannot write {blocker}: it is a file, not a folder; "
                   f"{consequence[0]}\n",
             "faulty_submission.xlsx: INVALID — 19 errors, 4 warnings"),
            ("zh", f"错误：无法写入 {blocker}：这是一个文件，不是文件夹；{consequence[1]}\n",
             "faulty_submission.xlsx：无效，19个错误，4个警告")):
        result = runner.invoke(app, [*(arg.format(blocker=blocker) for arg in command),
                                     "-q", "--lang", lang])
        assert (result.exit_code, result.stderr) == (2, expected)
        if command[0] == "validate":  # the report all the same
            assert result.stdout.splitlines()[0] == summary
    assert blocker.read_text() == "x"
