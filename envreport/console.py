"""Terminal presentation: the validation table, progress, one-line errors.

Kept apart from the CLI's flag handling (STYLE.md, convention 4): the CLI decides *what*
to show, this module decides *how* it looks.

Everything printed may carry text from a workbook (sheet names, values in messages), and a
cell can hold ``[/bold]`` or ``[link=file:///…]``: rich would parse that as markup (and
crash on an unbalanced tag) or ``:emoji:`` codes. So every console is made by
:func:`plain_console`, which turns both off, and data goes into tables as ``Text``.
"""

from __future__ import annotations

import errno
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from envreport.i18n import gettext

# rich is imported by the functions that make a console or print, not here: this module is
# imported before the reading children of ``envreport validate`` are forked, and
# ``--format json`` prints nothing through rich (rich.console and rich.text: about 15 ms of
# CPU; rich.table, with rich.box, another 5 ms).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


@cache
def _console_class() -> type[Console]:
    """rich's console, with a closed output left to the command line to answer (a class
    made once, when the first console is)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """The output's reader has gone (``| head``): rich would end the process with
            exit code 1, envreport's code for a submission with errors; the CLI gives its
            own (2)."""
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the output's reader has closed it")

    return _Console


def plain_console(**options: Any) -> Console:
    """A rich console that prints strings as they are: no markup, no emoji codes."""
    return _console_class()(markup=False, emoji=False, **options)


def may_be_a_terminal(stream: object) -> bool:
    """Whether a rich console writing to ``stream`` may find it a terminal; ``False`` only
    where rich's ``Console.is_terminal`` surely would too (a stream that is no tty, with
    neither ``TTY_COMPATIBLE=1`` nor a ``FORCE_COLOR`` set), so that a command can leave out
    its progress display without making a console, or importing rich."""
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # closed: no terminal (rich's answer too)
        return False


# What rich's console changes in a plain line it prints (``Text`` strips these control
# characters and expands tabs); any other text it writes as it is, then a newline.
_RICH_CHANGES = frozenset("\t\a\b\v\f\r")


def write_plain_line(stream: Any, text: str) -> bool:
    """Write ``text`` and a newline to ``stream`` as :func:`plain_console` (``soft_wrap``,
    no highlighting) would print it there, without rich, when that is certain: ``stream`` is
    no terminal and ``text`` holds nothing rich would change. Whether it was written (else
    the caller prints it through rich). A build's ``wrote PATH`` lines are its last work:
    rich's import and first console were about 15 ms of CPU there, after every child had
    ended, for the same bytes."""
    if may_be_a_terminal(stream) or not _RICH_CHANGES.isdisjoint(text):
        return False
    stream.write(text + "\n")
    stream.flush()  # as rich does after each print
    return True


_STAGES = {
    "read": "Reading the workbook",
    "validate": "Validating",
    "compute": "Computing the figures",
}


def stage_label(stage: str, lang: str = "en") -> str:
    """A person's description of a pipeline stage (``pdf:zh`` → ``Writing the PDF (zh)``)."""
    # the report's language in brackets as the language writes them: " (zh)", "（zh）"
    if stage.startswith("render:"):
        return gettext("Rendering the HTML", lang) + gettext(" ({language})", lang).format(
            language=stage.split(":", 1)[1])
    if stage.startswith("pdf:"):
        return gettext("Writing the PDF", lang) + gettext(" ({language})", lang).format(
            language=stage.split(":", 1)[1])
    return gettext(_STAGES.get(stage, stage), lang)


@contextmanager
def progress_reporter(console: Console, enabled: bool, lang: str = "en"
                      ) -> Iterator[Callable[[str], None]]:
    """A callback that shows each stage, in ``lang``, with a spinner on a terminal; silent
    otherwise."""
    if not enabled or not console.is_terminal:
        yield lambda _stage: None
        return
    # Imported only when a spinner is shown: piped, quiet and batch runs never need it, and
    # rich.progress adds its columns, spinners and live display to every start-up.
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        current: list[TaskID] = []

        def report(stage: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
            current.append(progress.add_task(stage_label(stage, lang), total=None))

        yield report
        if current:
            progress.update(current[-1], completed=1, total=1)


def print_validation(console: Console, report: dict[str, Any], lang: str = "en") -> None:
    """The validation report as a readable table grouped by sheet, then the row accounting."""
    from rich.table import Table
    from rich.text import Text

    from envreport.schema import sheet_heading  # lazily, as rich: validate's startup

    status = gettext("valid", lang) if report["valid"] else gettext("INVALID", lang)
    style = "bold green" if report["valid"] else "bold red"
    summary = Text()
    # in Chinese with its own colon and comma: "faulty_submission.xlsx：无效，19个错误，4个警告"
    summary.append(f"{report['file']}{gettext(': ', lang)}", style="bold")
    summary.append(status, style=style)
    # one sentence, so that Chinese writes its numbers as the report does (no space between
    # a number and Chinese text: "19个错误，4个警告") and its own comma
    summary.append(gettext(" — ", lang) + gettext("{errors} errors, {warnings} warnings",
                                                   lang).format(
        errors=report["errors"], warnings=report["warnings"]))
    console.print(summary)
    by_sheet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in report["findings"]:
        by_sheet[finding["sheet"] or gettext("(file)", lang)].append(finding)
    for sheet, findings in by_sheet.items():
        table = Table(title=Text(sheet_heading(sheet, lang)), title_justify="left",
                      title_style="bold", expand=False,
                      show_lines=False)
        table.add_column(gettext("Cell", lang), no_wrap=True)
        table.add_column(gettext("Severity", lang), no_wrap=True)
        table.add_column(gettext("Code", lang), no_wrap=True)
        table.add_column(gettext("Message", lang), overflow="fold")
        for f in findings:
            severity = Text(gettext(f["severity"], lang),
                            style="red" if f["severity"] == "error" else "yellow")
            table.add_row(Text(f["cell"] or "—"), severity, Text(f["code"]),
                          _message_and_hint(f, lang))
        console.print(table)
    if report.get("truncated"):
        console.print(gettext("More findings were not listed.", lang), style="yellow")
    if report["rows"]:
        rows = Table(title=gettext("Rows", lang), title_justify="left", title_style="bold")
        for label in ("Sheet", "read", "accepted", "rejected", "blank"):
            rows.add_column(gettext(label, lang), justify="left" if label == "Sheet" else "right")
        for sheet, count in report["rows"].items():
            # named as the findings' groups above are: 项目（Projects） in Chinese
            rows.add_row(Text(sheet_heading(sheet, lang)),
                         *(str(count[k]) for k in ("read", "accepted", "rejected", "blank")))
        console.print(rows)


def _message_and_hint(finding: dict[str, Any], lang: str) -> Text:
    """The message, then how to fix it on its own line: a preparer needs both."""
    from rich.text import Text

    text = Text(finding["message"])
    if finding.get("hint"):
        text.append("\n")
        text.append(f"{gettext('Hint', lang)}{gettext(': ', lang)}{finding['hint']}", style="dim")
    return text


def print_error(console: Console, message: str, lang: str = "en") -> None:
    """One clear line, no traceback; ``error: `` in ``lang`` (Chinese ``错误：``)."""
    from rich.text import Text

    console.print(Text(gettext("error: ", lang), style="bold red") + Text(message),
                  highlight=False, soft_wrap=True)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def print_submissions(console: Console, rows: list[dict[str, Any]]) -> None:
    """``ledger list``: one line per submission; the command line's actions by their label
    ("Command line (login root)"), an account by its name."""
    from rich.table import Table

    from envreport.ledger.accounts import actor_label

    table = Table(show_lines=False)
    for header in ("id", "entity", "period", "status", "outcome", "file", "sha256",
                   "received (UTC)", "by"):
        table.add_column(header)
    for row in rows:
        period = (f"{row['period_start']}–{row['period_end']}" if row["period_end"] else "—")
        table.add_row(str(row["id"]), row["entity_id"] or "—", period, row["status"],
                      row["outcome"], row["file_name"], row["sha256"][:12],
                      (row["received_at"] or "")[:19],
                      actor_label(row["received_by"], "en") or row["received_by"])
    console.print(table)


def print_history(console: Console, entity: str, periods: list[dict[str, Any]]) -> None:
    """``ledger history``: key figures per period; restated ones marked."""
    from rich.table import Table

    table = Table(title=f"{entity}: periods in the ledger")
    for header in ("period", "Scope 1 tCO2e", "Scope 2 location", "Scope 2 market",
                   "energy GJ", "restated", "Scope 1 as reported"):
        table.add_column(header, justify="right" if header != "period" else "left")
    for p in periods:
        table.add_row(f"{p['period_start']}–{p['period_end']}", _number(p["scope1_tco2e"]),
                      _number(p["scope2_location_tco2e"]), _number(p["scope2_market_tco2e"]),
                      _number(p["energy_total_gj"]),
                      ", ".join(p.get("restatement_reasons") or []) if p["restated"] else "",
                      _number(p["as_reported_scope1_tco2e"]))
    console.print(table)
