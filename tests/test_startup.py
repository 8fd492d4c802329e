"""What ``envreport validate`` imports: only what validating and printing need.

Every process pays for its imports before reading a cell, so the validate path keeps the
version lookup, babel's ``.po`` reader, rich's progress display and every later stage
(metrics, render, ledger, portal, openpyxl, WeasyPrint) out; each is imported where it is
used. Run in a fresh interpreter, as a user's command would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from envreport.cli import app
from tests.conftest import ROOT, SAMPLES

FAULTY = SAMPLES / "faulty" / "faulty_submission.xlsx"

# Modules the validate command must not import (a prefix covers the package's modules).
NOT_ON_THE_VALIDATE_PATH = (
    "babel", "rich.progress", "envreport.metrics", "envreport.render", "envreport.results",
    "envreport.ledger", "envreport.portal", "envreport.batch", "envreport.workbook",
    "weasyprint", "openpyxl", "jinja2", "sqlalchemy", "fastapi", "uvicorn", "pint",
    # pandas imports pyarrow and pyarrow.compute when it can (about 0.07 s of CPU); validate
    # uses none of it (pipeline.pandas_without_arrow)
    "pyarrow",
    # pycountry's import looks its own version up in every installed distribution's
    # metadata; the cell types read its countries and currencies from schema/iso_codes.json
    "pycountry",
)

# One probe for every test: the CLI in a fresh interpreter, as a user's command runs, with
# what it imported, what it had imported when each reading child was forked, and how many
# objects it had frozen at the end. The command's quick end (``os._exit`` once its output is
# flushed) is recorded instead, so that the probe can report.
_PROBE = """
import gc, json, os, sys
sys.argv = ["envreport", *sys.argv[1:]]
from envreport.io import reader
started = reader._IsolatedRead.start
loaded_at_fork = []

def start(*args, **kwargs):
    loaded_at_fork.append(sorted(m for m in ("pandas", "numpy", "envreport.schema",
                                             "envreport.validate", "pydantic")
                                 if m in sys.modules))
    return started(*args, **kwargs)

reader._IsolatedRead.start = start
import envreport.cli
ended_now = []
envreport.cli._end_now = ended_now.append
from envreport.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
plugin_loader = sys.modules.get("pydantic.plugin._loader")
print(json.dumps({"exit": code, "modules": sorted(sys.modules),
                  "loaded_at_fork": loaded_at_fork, "frozen": gc.get_freeze_count(),
                  "ended_now": ended_now,
                  # None until pydantic has looked its plugins up among the entry points
                  "plugins_looked_up": getattr(plugin_loader, "_plugins", None) is not None,
                  "disable_plugins_after": os.environ.get("PYDANTIC_DISABLE_PLUGINS")}),
      file=sys.stderr)
"""


def _probe(*args: str) -> tuple[dict[str, Any], str]:
    """Run the CLI through :data:`_PROBE`: what it reported, and the command's stdout."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


@lru_cache(maxsize=1)
def _json_validate_of_the_faulty_sample() -> tuple[dict[str, Any], str]:
    """The probe of ``validate FAULTY --format json`` (its stderr piped: no progress shown),
    run once for the tests that look at what it imported and how it ends (each reads what
    it needs and changes nothing)."""
    return _probe("validate", str(FAULTY), "--format", "json")


def _imported_by(*args: str) -> tuple[int, list[str]]:
    """Run the CLI in a fresh interpreter: its exit code and every module it imported."""
    probe, _ = _probe(*args)
    return probe["exit"], probe["modules"]


def _fresh_python(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (which must succeed)."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


def _unwanted(modules: list[str]) -> list[str]:
    return [m for m in modules
            if any(m == name or m.startswith(f"{name}.") for name in NOT_ON_THE_VALIDATE_PATH)]


def test_validate_imports_only_what_it_needs() -> None:
    exit_code, modules = _imported_by("validate", str(FAULTY), "-q")
    assert exit_code == 1  # the faulty sample was validated, its errors found
    assert "envreport.validate" in modules
    assert "pandas" in modules
    assert _unwanted(modules) == []


def test_a_small_build_imports_neither_weasyprint_nor_pycountry_nor_pyarrow(
        tmp_path: Path) -> None:
    exit_code, modules = _imported_by("build", str(SAMPLES / "group" / "sre.xlsx"), "-o",
                                      str(tmp_path), "--no-pdf", "--lang", "en,zh", "-q")
    assert exit_code == 0
    assert "envreport.render" in modules  # the report was rendered
    assert (tmp_path / "report.en.html").is_file()
    assert (tmp_path / "report.zh.html").is_file()
    # a small workbook: pandas' own text columns (pipeline._small_workbook)
    assert [m for m in modules
            if m.split(".")[0] in ("weasyprint", "pycountry", "pyarrow")] == []


def test_only_a_small_workbook_is_built_without_pyarrow(tmp_path: Path) -> None:
    from envreport.pipeline import SMALL_WORKBOOK_BYTES, _small_workbook

    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    small.write_bytes(b"x" * SMALL_WORKBOOK_BYTES)
    large.write_bytes(b"x" * (SMALL_WORKBOOK_BYTES + 1))
    assert _small_workbook(small)
    assert not _small_workbook(large)
    assert not _small_workbook(tmp_path / "missing.xlsx")  # its read says what is wrong


def test_zh_messages_load_babel_only_when_asked() -> None:
    exit_code, modules = _imported_by("validate", str(FAULTY), "-q",
                                      "--lang", "zh")
    assert exit_code == 1
    assert "babel.messages.pofile" in modules  # the Chinese catalogue was read
    assert [m for m in _unwanted(modules) if not m.startswith("babel")] == []


def test_importing_the_package_does_not_read_its_metadata() -> None:
    code = "import sys, envreport; print('importlib.metadata' in sys.modules)"
    assert _fresh_python(code).strip() == "False"


def test_version_is_the_package_metadata() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"envreport {version('envreport')}\n"


# What a help does not need: the reader, pandas and numpy (the run's settings and the early
# read are skipped for a command line with --help).
NOT_FOR_HELP = ("envreport.io", "pandas", "numpy")

_HELP_PROBE = """
import json, sys
sys.argv = ["envreport", *sys.argv[1:]]
from envreport.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


@pytest.mark.parametrize(("args", "usage"), [
    (["--help"], "Usage: envreport [OPTIONS] COMMAND [ARGS]..."),
    (["validate", "--help"], "Usage: envreport validate [OPTIONS] FILE"),
    (["build", "--help"], "Usage: envreport build [OPTIONS] FILE"),
    (["ledger", "list", "--help"], "Usage: envreport ledger list [OPTIONS]"),
])
def test_help_imports_only_what_printing_it_needs(args: list[str], usage: str) -> None:
    done = subprocess.run([sys.executable, "-c", _HELP_PROBE, *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe["exit"] == 0
    assert done.stdout.splitlines()[1].strip() == usage
    assert [m for m in probe["modules"]
            if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_HELP)] == []


def test_validate_starts_reading_before_the_heavy_imports() -> None:
    # The reading child is forked before pandas and the schema models are imported: this
    # process imports them (about half a second) while the child reads. It is forked even
    # before typer parses the arguments (typer imports pydantic for it: about 0.1 s), and
    # the command uses that read: two children in all, the read and the pass over the XML.
    probe, _ = _probe("validate", "--format", "json", str(FAULTY), "-q")
    assert probe["exit"] == 1
    assert probe["loaded_at_fork"] == [[], []]  # the read, the pass over the XML


def test_build_starts_reading_before_typer_parses_its_arguments(tmp_path: Path) -> None:
    # As validate: a build waits for its read before anything else of it, so the reading
    # children are forked before typer's parsing imports pydantic, and the build uses them.
    out = tmp_path / "out"
    probe, _ = _probe("build", str(SAMPLES / "group" / "sre.xlsx"), "-o", str(out),
                      "--no-pdf", "--lang", "en", "-q")
    assert probe["exit"] == 0
    assert probe["loaded_at_fork"] == [[], []]  # the read, the pass over the XML: no other
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.json"]


def test_a_ledger_build_reads_only_through_the_ledger(tmp_path: Path) -> None:
    # build --ledger reads the workbook its own way: no read is started before the parsing
    # (it would be stopped unused, having taken the other core meanwhile)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    probe, _ = _probe("build", str(SAMPLES / "group" / "sre.xlsx"), "-o", str(tmp_path / "out"),
                      "--no-pdf", "--lang", "en", "-q", "--ledger", "--db", db)
    assert probe["exit"] == 0
    assert len(probe["loaded_at_fork"]) == 2
    assert all("pydantic" in loaded for loaded in probe["loaded_at_fork"])


def test_a_read_started_for_another_file_is_not_used(tmp_path: Path) -> None:
    # The early read is a guess (the first argument naming a workbook): here it names the
    # annotated copy to write, which exists (--force: replaced); the command reads its own
    # file instead and finds its errors, and the guessed read is stopped.
    out = tmp_path / "copy.xlsx"
    out.write_bytes(FAULTY.read_bytes())
    clean = SAMPLES / "group" / "sre.xlsx"
    probe, stdout = _probe("validate", "--annotate", str(out), str(clean), "--format", "json",
                           "-q", "--force")
    assert len(probe["loaded_at_fork"]) == 4  # the guessed read, then the command's own
    assert probe["exit"] == 0
    assert json.loads(stdout)["file"] == clean.name


def test_an_early_read_is_stopped_on_a_usage_error() -> None:
    # A read started before the arguments were parsed is stopped when they are refused.
    probe, _ = _probe("validate", "--no-such-option", str(FAULTY))
    assert probe["exit"] == 2
    assert probe["loaded_at_fork"] == [[], []]


def test_validate_leaves_its_objects_to_the_end_of_the_process() -> None:
    # Python's finalisation would run the cyclic collector over every object (pandas,
    # pyarrow, the cells: about 0.1 s); once validate has written everything they are frozen.
    probe, stdout = _json_validate_of_the_faulty_sample()
    assert probe["exit"] == 1
    assert probe["frozen"] > 10_000  # every object alive then (0 when nothing was frozen)
    assert json.loads(stdout)["valid"] is False  # the report was written whole first


def test_validate_ends_at_once_with_its_exit_code_and_its_whole_output() -> None:
    # Python's finalisation (every module torn down, every object freed: about 0.04 s of a
    # 100 000-row validation) is skipped once the report is written and flushed.
    probe, _ = _json_validate_of_the_faulty_sample()
    assert probe["ended_now"] == [1]
    done = subprocess.run([sys.executable, "-m", "envreport.cli", "validate", str(FAULTY),
                           "--format", "json", "-q"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == ""
    report = json.loads(done.stdout)  # the whole report, flushed before the end
    assert report["valid"] is False
    assert len(report["findings"]) == 23


def test_a_profiled_validate_ends_as_usual_for_its_profiler_to_report() -> None:
    # cProfile writes its table at the ordinary end, which the quick end would skip
    done = subprocess.run([sys.executable, "-m", "cProfile", "-s", "tottime", "-m",
                           "envreport.cli", "validate", str(FAULTY), "--format", "json", "-q"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    # (cProfile ends with 0 whatever the command's exit code)
    report, _, profile = done.stdout.partition("\n}\n")
    assert json.loads(report + "\n}")["valid"] is False
    assert "function calls" in profile  # cProfile's report, after the JSON


def test_pandas_without_arrow_leaves_pyarrow_importable() -> None:
    # In a fresh interpreter: pandas imported within sees no pyarrow (its text columns are
    # its own), and pyarrow can still be imported afterwards (an export of the ledger).
    code = ("import sys\n"
            "from envreport.pipeline import pandas_without_arrow\n"
            "with pandas_without_arrow():\n"
            "    import pandas\n"
            "print('pyarrow' in sys.modules, pandas.Series(['a']).dtype.storage)\n"
            "import pyarrow\n"
            "print(pyarrow.__name__)\n")
    assert _fresh_python(code).split() == ["False", "python", "pyarrow"]


def test_validate_as_json_imports_no_rich_and_looks_for_no_pydantic_plugin() -> None:
    # rich is imported only to print through a console (rich.console and rich.text before
    # the fork, about 15 ms; rich.table 5 ms more), which the JSON report is not, and
    # pydantic's plugins are switched off (PYDANTIC_DISABLE_PLUGINS) for validate's run, so
    # pydantic never reads the installed distributions' entry points; pydantic did validate,
    # and the environment is given back as it was.
    probe, _ = _json_validate_of_the_faulty_sample()
    assert probe["exit"] == 1
    assert "pydantic" in probe["modules"]
    assert [m for m in probe["modules"] if m.split(".")[0] == "rich"] == []
    assert probe["plugins_looked_up"] is False
    assert probe["disable_plugins_after"] is None


def test_validate_without_pydantic_plugins_and_three_commands_on_one_blas_thread() -> None:
    # validate's process switches pydantic's plugins off; validate, build and batch start
    # OpenBLAS on one thread (its threads would spin on the core the reading, rendering and
    # task children need); a build (whose process a user may observe with a plugin) keeps
    # pydantic's default, and another command (the portal) both defaults. numpy imported
    # within the settings starts no OpenBLAS thread, and the environment is given back.
    code = ("import os\n"
            "from envreport.cli import _command_settings\n"
            "names = ('PYDANTIC_DISABLE_PLUGINS', 'OPENBLAS_NUM_THREADS')\n"
            "for command in ('serve', 'build', 'batch', 'validate'):\n"
            "    with _command_settings([command, 'x.xlsx']):\n"
            "        print(*(os.environ.get(name) for name in names))\n"
            "        if command == 'build':\n"
            "            import numpy\n"
            "print(*(os.environ.get(name) for name in names))\n"
            "print(len(os.listdir('/proc/self/task')))\n")
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYDANTIC_DISABLE_PLUGINS", "OPENBLAS_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True, env=env)
    assert done.stdout.split() == ["None", "None", "None", "1", "None", "1", "__all__", "1",
                                   "None", "None", "1"]


@pytest.mark.parametrize(("setting", "name", "users_value"), [
    # a user who asks OpenBLAS for threads keeps them
    ("blas_on_one_thread", "OPENBLAS_NUM_THREADS", "2"),
    # a user who names the plugins to skip (or none) keeps their choice
    ("pydantic_without_plugins", "PYDANTIC_DISABLE_PLUGINS", "logfire")])
def test_the_commands_settings_keep_the_users_own(
        monkeypatch: pytest.MonkeyPatch, setting: str, name: str, users_value: str) -> None:
    """The user's own value, within and after."""
    from envreport import pipeline

    monkeypatch.setenv(name, users_value)
    with getattr(pipeline, setting)():
        assert os.environ[name] == users_value
    assert os.environ[name] == users_value


def test_validate_in_a_callers_process_leaves_the_collector_on() -> None:
    # The command runs without the cyclic collector (the CLI's process ends after it); run
    # by a caller (here the test's runner), the collector is on again after it.
    import gc

    result = CliRunner().invoke(app, ["validate", str(FAULTY), "-q"])
    assert result.exit_code == 1
    assert gc.isenabled()


@pytest.mark.parametrize(("options", "collecting"), [(["--no-pdf"], False), ([], True)])
def test_a_build_without_pdf_runs_without_the_collector(
        options: list[str], collecting: bool, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # build --no-pdf, like validate, runs without the cyclic collector (its process ends
    # after it); a build with PDFs keeps it (WeasyPrint's objects); run by a caller, the
    # collector is on again after either
    import gc

    from envreport import pipeline

    seen: list[bool] = []

    def build_report(*args: Any, **kwargs: Any) -> pipeline.BuildOutcome:
        seen.append(gc.isenabled())
        return pipeline.BuildOutcome(submission=None, results={})  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build_report", build_report)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "in.xlsx"), "-o",
                                      str(tmp_path / "out"), "-q", *options])
    assert result.exit_code == 0, result.output
    assert seen == [collecting]
    assert gc.isenabled()


@pytest.mark.parametrize(("tty", "environ", "may_be"), [
    (False, {}, False), (True, {}, True), (False, {"FORCE_COLOR": "1"}, True),
    (False, {"FORCE_COLOR": ""}, False), (False, {"TTY_COMPATIBLE": "1"}, True),
    (True, {"TTY_COMPATIBLE": "0"}, True), (None, {}, False)])
def test_no_terminal_is_decided_without_rich_only_where_rich_agrees(
        tty: bool | None, environ: dict[str, str], may_be: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI leaves its progress display out, without importing rich, only when rich's own
    # console would find no terminal there either (None: a stream without isatty).
    import io

    from rich.console import Console

    from envreport.console import may_be_a_terminal

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return bool(tty)

    stream: object = Stream() if tty is not None else type("Bare", (), {"write": print})()
    if not may_be_a_terminal(stream):
        assert not Console(file=stream).is_terminal  # type: ignore[arg-type]
    # a tty, or a terminal said to be there (a tty with TTY_COMPATIBLE=0 only "may" be one:
    # rich is asked then)
    assert may_be_a_terminal(stream) is may_be


@pytest.mark.parametrize("text", [
    "wrote /tmp/out/results.json", "已写入：/tmp/报告 2024/report.zh.html",
    "wrote /tmp/[bold]x[/bold]/:smile:/results.json", "wrote " + "长" * 300,
    "a\x00b\x1b[31mc\x7f\x85\u2028d\u202ee\u0301  ", "two\nlines", ""])
def test_a_plain_line_is_the_bytes_rich_would_print(text: str) -> None:
    # A build's "wrote PATH" lines are written without rich (its import was about 15 ms at
    # the build's end) only where rich's console would print the very same bytes: no
    # terminal, and none of the characters rich's Text changes (tabs, BEL, BS, VT, FF, CR).
    import io

    from envreport.console import plain_console, write_plain_line

    printed = io.StringIO()
    plain_console(soft_wrap=True, file=printed).print(text, highlight=False)
    written = io.StringIO()
    assert write_plain_line(written, text)
    assert written.getvalue() == printed.getvalue() == text + "\n"


@pytest.mark.parametrize(("text", "rich_prints"), [
    ("a\tb", "a       b\n"),  # a tab expanded to the next stop of 8
    *((f"a{control}b", "ab\n") for control in "\r\x07\x08\x0b\x0c"),  # controls dropped
])
def test_a_line_rich_would_change_is_left_to_rich(text: str, rich_prints: str) -> None:
    import io

    from envreport.console import plain_console, write_plain_line

    written = io.StringIO()
    assert not write_plain_line(written, text)
    assert written.getvalue() == ""
    printed = io.StringIO()
    plain_console(soft_wrap=True, file=printed).print(text, highlight=False)
    assert printed.getvalue() == rich_prints  # why: rich writes it otherwise


def test_a_plain_line_on_a_terminal_is_left_to_rich() -> None:
    import io

    from envreport.console import write_plain_line

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    assert not write_plain_line(terminal, "wrote /tmp/out/results.json")
    assert terminal.getvalue() == ""
