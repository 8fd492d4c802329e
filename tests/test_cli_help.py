"""``--help`` of every command reads well in an 80- and a 120-column terminal: prose flows as
paragraphs (no line of a word or two left in the middle of one), every word of the docstring
is shown, the batch output layout stays a block, line for line, and a flag is shown as it is
typed, without a value (``--force``, not ``--force <bool>``)."""

from __future__ import annotations

import inspect
import re
from itertools import pairwise
from typing import Any

import pytest
import typer.main
from typer._click import Context
from typer.core import TyperOption
from typer.testing import CliRunner

from envreport.cli import app

BOX_CHARS = "╭│╰"
SHORT = 12  # a line of prose shorter than this inside a paragraph is a wrap gone wrong


def _commands() -> list[tuple[list[str], Any]]:
    """Every command and group of the CLI, top level included, with its argv path."""
    found: list[tuple[list[str], Any]] = []

    def walk(path: list[str], command: Any) -> None:
        found.append((path, command))
        # typer >= 0.29 carries its own copy of click: a group is whatever has sub-commands
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk([*path, name], sub)

    walk([], typer.main.get_command(app))
    return found


COMMANDS = _commands()
IDS = [" ".join(path) or "envreport" for path, _ in COMMANDS]


def _help(path: list[str], columns: int) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def _prose_lines(output: str) -> list[str]:
    """The lines outside the boxes (usage and the command's help), stripped."""
    stripped = (line.strip() for line in output.splitlines())
    return [line for line in stripped if not line or line[0] not in BOX_CHARS]


def test_every_command_is_covered() -> None:
    names = set(IDS)
    for expected in ("envreport", "validate", "build", "batch", "template", "factors",
                     "serve", "demo", "schema", "ledger", "ledger add", "ledger list",
                     "ledger history", "ledger export", "users", "users add"):
        assert expected in names


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_prose_has_no_stranded_short_line(path: list[str], command: Any,
                                          columns: int) -> None:
    lines = _prose_lines(_help(path, columns))
    for here, after in pairwise(lines):
        if here and after:  # inside a paragraph: the next line continues it
            assert len(here) >= SHORT, f"{here!r} stranded before {after!r}:\n" + "\n".join(lines)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_word_of_the_help_is_shown_in_order(path: list[str], command: Any,
                                                  columns: int) -> None:
    shown = " ".join(" ".join(_prose_lines(_help(path, columns))).split())
    written = inspect.cleandoc(command.help or "").replace("\b", "")
    assert " ".join(written.split()) in shown


@pytest.mark.parametrize("columns", [80, 120])
def test_batch_output_layout_stays_a_block(columns: int) -> None:
    lines = _help(["batch"], columns).splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.strip() == "DIR/status.html, status.xlsx, status.json")
    block = [line.rstrip() for line in lines[start:start + 9]]
    assert block == [
        "   DIR/status.html, status.xlsx, status.json",
        "       the status board (state of every file; status.zh.html,",
        "       status.zh.xlsx ... in each further language)",
        "   DIR/<entity_id>/report.html|pdf, results.json",
        "       each valid submission's report",
        "   DIR/<entity_id>/annotated.xlsx",
        "       each submission with findings",
        "   DIR/group/report.html|pdf, results.json",
        "       the consolidated group report",
    ]


def test_a_long_paragraph_wraps_at_the_terminal_width_only() -> None:
    at_80 = _prose_lines(_help(["build"], 80))
    assert at_80[at_80.index("With --ledger the submission is first recorded in the ledger, "
                             "and the report"):][:3] == [
        "With --ledger the submission is first recorded in the ledger, and the report",
        "compares it with the entity's earlier periods there (prior period,",
        "restatement, base year).",
    ]
    at_120 = _prose_lines(_help(["build"], 120))
    assert at_120[at_120.index("Validate, compute and write results.json and the report "
                               "(HTML, PDF)."):][2:4] == [
        "With --ledger the submission is first recorded in the ledger, and the report compares "
        "it with the entity's earlier",
        "periods there (prior period, restatement, base year).",
    ]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_kept_blocks_fit_an_80_column_terminal(path: list[str], command: Any) -> None:
    """A block shown line for line is not wrapped again at 80 columns (78 inside the margins)."""
    shown = [line.rstrip() for line in _help(path, 80).splitlines()]
    doc = (inspect.getdoc(command.callback) if command.callback else None) or ""
    for paragraph in doc.split("\n\n"):
        if paragraph.startswith("\b\n"):
            for line in paragraph.removeprefix("\b\n").splitlines():
                assert len(line) <= 78
                assert " " + line in shown


def _shown_after(option: str, output: str) -> str:
    """The first word shown after ``option``'s names on its row of the options box: its
    value placeholder, or for a flag the first word of its help."""
    row = re.search(rf"^│\s*\*?\s*{re.escape(option)}(?:\s+-\w)?\s+(\S+)", output,
                    re.MULTILINE)
    assert row, f"{option} has no row:\n{output}"
    return row.group(1)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_a_flag_is_shown_without_a_value_and_an_option_with_one(path: list[str],
                                                                 command: Any) -> None:
    """typer would show ``--force <bool>`` (and ``--help <bool>``), inviting ``--force true``,
    a usage error; a flag takes no value, an option that takes one keeps its placeholder."""
    output = _help(path, 120)
    assert "<bool>" not in output
    options = [param for param in command.get_params(Context(command))
               if isinstance(param, TyperOption)]
    assert any(option.opts == ["--help"] for option in options)
    for option in options:
        long_name = next(name for name in option.opts if name.startswith("--"))
        shown = _shown_after(long_name, output)
        if option.is_flag:
            assert shown == option.help.split()[0], (long_name, output)
        else:  # one value each time the option is given, also when it may be repeated
            assert shown.startswith("<"), (long_name, output)
            assert "list[" not in shown, (long_name, output)


def test_build_shows_its_flags_bare_and_its_output_folder_as_a_path() -> None:
    rows = {" ".join(line.strip("│ ").split()) for line in _help(["build"], 120).splitlines()}
    for row in ("* --output -o <path> Output folder. [required]",
                "--no-pdf Write HTML and JSON only.",
                "--quiet -q No progress output.",
                "--ledger Record in the ledger and compare with earlier periods.",
                "--help Show this message and exit."):
        assert row in rows
    top = {" ".join(line.strip("│ ").split()) for line in _help([], 120).splitlines()}
    assert {"--version Show the version and exit.", "--help Show this message and exit."} <= top


# The usage line of every command, as typed: an argument in upper case (typer 0.29 writes
# ``{file}``, ``{inputs}...``), as the groups show ``COMMAND [ARGS]...``.
USAGE = {
    "envreport": "envreport [OPTIONS] COMMAND [ARGS]...",
    "template": "envreport template [OPTIONS]",
    "validate": "envreport validate [OPTIONS] FILE",
    "build": "envreport build [OPTIONS] FILE",
    "demo": "envreport demo [OPTIONS]",
    "batch": "envreport batch [OPTIONS] INPUTS...",
    "factors": "envreport factors [OPTIONS]",
    "schema": "envreport schema [OPTIONS]",
    "serve": "envreport serve [OPTIONS]",
    "ledger": "envreport ledger [OPTIONS] COMMAND [ARGS]...",
    "ledger add": "envreport ledger add [OPTIONS] FILES...",
    "ledger list": "envreport ledger list [OPTIONS]",
    "ledger history": "envreport ledger history [OPTIONS] ENTITY",
    "ledger export": "envreport ledger export [OPTIONS]",
    "users": "envreport users [OPTIONS] COMMAND [ARGS]...",
    "users add": "envreport users add [OPTIONS] NAME",
}


WIDE = 200  # a terminal where no option's help wraps


def _rows(output: str) -> set[str]:
    """The rows of the help's boxes, each with its words one space apart."""
    return {" ".join(line.strip("│ ").split()) for line in output.splitlines()}


def test_every_command_has_its_usage_line() -> None:
    assert sorted(USAGE) == sorted(IDS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_the_usage_line_names_arguments_in_upper_case(path: list[str], command: Any) -> None:
    usage = next(line.strip() for line in _help(path, 120).splitlines() if "Usage:" in line)
    assert usage == "Usage: " + USAGE[" ".join(path) or "envreport"]


def test_an_argument_given_several_times_shows_the_type_of_one() -> None:
    """typer's <list[Path]> read as if the list were typed as one value."""
    assert "* inputs... <path> Workbooks, or folders of them. [required]" in _rows(
        _help(["batch"], WIDE))
    assert "* files... <path> Submission workbooks. [required]" in _rows(_help(["ledger", "add"],
                                                                          WIDE))
    for path, _command in COMMANDS:
        assert "list[" not in _help(path, 120), path


@pytest.mark.parametrize(("args", "usage", "missing"), [
    (["batch", "-o", "out"], "envreport batch [OPTIONS] INPUTS...", "'INPUTS...'"),
    (["validate"], "envreport validate [OPTIONS] FILE", "'FILE'"),
    (["ledger", "history"], "envreport ledger history [OPTIONS] ENTITY", "'ENTITY'"),
])
def test_a_missing_argument_is_named_as_the_usage_line_names_it(args: list[str], usage: str,
                                                                missing: str) -> None:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 2
    lines = [line.strip("│ ") for line in result.output.splitlines()]
    assert lines[0] == "Usage: " + usage
    assert f"Missing argument {missing}." in lines


def test_a_number_with_a_range_is_shown_as_its_type_and_the_range() -> None:
    """``<int> [x>=1]`` (docs/cli.md), not typer's ``<int range> [x>=1]``."""
    batch = _rows(_help(["batch"], WIDE))
    assert "--workers -j <int> [x>=1] Worker processes (default: the number of cores; 1 runs " \
           "in this process)." in batch
    assert any(row.startswith("--timeout <float> [x>=1] Seconds one workbook's") for row in batch)
    assert any(row.startswith("--memory <int> [x>=64] Megabytes of memory") for row in batch)
    serve = _rows(_help(["serve"], WIDE))
    assert "--port <int> [1<=x<=65535] Port (default: 8000)." in serve
    assert "--workers <int> [x>=1] Processes that check uploads and build reports " \
           "(default: 2)." in serve
    for path, _command in COMMANDS:
        assert " range>" not in _help(path, 120), path


def test_the_languages_and_the_ledger_are_shown_as_what_they_take() -> None:
    build = _rows(_help(["build"], WIDE))
    assert ("--lang <en|zh|en,zh> The report's languages (default: each workbook's own "
            "report_languages); the command's messages are in the first.") in build
    assert ("--db <url> The ledger: an SQLAlchemy URL (default $ENVREPORT_DB or "
            "sqlite:///envreport.db).") in build
    assert "--format <text|json> text (the default) to read, json for a program." in _rows(
        _help(["validate"], WIDE))
    assert "* --role <admin|auditor|submitter> The account's role. [required]" in _rows(
        _help(["users", "add"], WIDE))


def test_help_is_english_whatever_the_lang() -> None:
    """docs/cli.md: --help stays English; --lang zh before --help changes none of it."""
    for args in (["batch"], ["build"], ["validate"], ["template"]):
        result = CliRunner().invoke(app, [*args, "--lang", "zh", "--help"],
                                    env={"COLUMNS": "120"})
        assert result.exit_code == 0
        assert result.output == _help(args, 120)


def _box_lines(output: str) -> list[str]:
    """Each line inside the boxes, stripped: a line that holds only a mark is one whose name
    and type columns are blank, the mark alone in the help column."""
    return [line.strip("│ ") for line in output.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_no_default_or_required_mark_is_left_on_a_line_of_its_own(
        path: list[str], command: Any, columns: int) -> None:
    """typer sets "[default: 600]" (or "[required]") beside an option's help only when both
    fit on one line, else alone under it: batch --timeout's "[default: 600]" at 80 columns.
    A default is stated in the help itself ("(default: 600)"), and a required value's help
    leaves room for its mark."""
    output = _help(path, columns)
    for line in _box_lines(output):
        assert not re.fullmatch(r"\[(default: [^]]*|required)\]", line), (line, output)
    assert "[default:" not in output


def test_each_default_is_stated_in_the_options_help_as_the_command_applies_it() -> None:
    """The default a help states is the parameter's default (the value the command runs with
    when the option is not given), for every option that has one and is not a flag."""
    stated = 0
    for path, command in COMMANDS:
        for param in command.get_params(Context(command)):
            if not isinstance(param, TyperOption) or param.is_flag or param.default is None:
                continue
            default = getattr(param.default, "value", param.default)
            help_text = param.help or ""
            assert (f"(default: {default})" in help_text
                    or help_text.startswith(f"{default} (the default)")), (path, param.opts)
            stated += 1
    assert stated == 11  # template/validate --lang, --format x4, batch x2, serve x3
