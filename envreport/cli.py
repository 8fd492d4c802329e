"""The ``envreport`` command: a thin shell over :mod:`envreport.pipeline`.

Flags are parsed here, the library does the work, :mod:`envreport.console` presents it.
Exit codes (:mod:`envreport.exit_codes`, README "Exit codes"): 0 success, 1 the
submission has errors, 2 anything else that stops a command (a file that cannot be read as a
workbook, a misuse, an output that cannot be written, Ctrl-C, an internal error).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import gc
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext, suppress
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from envreport.batch_defaults import TASK_MEMORY_MB, TASK_SECONDS
from envreport.console import (
    may_be_a_terminal,
    plain_console,
    print_error,
    print_validation,
    progress_reporter,
    write_plain_line,
)
from envreport.exit_codes import EXIT_FAILED, EXIT_INVALID, EXIT_OK, INTERRUPTED
from envreport.findings import FindingError
from envreport.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, gettext, list_separator
from envreport.resources import resource_dir

P = ParamSpec("P")

if TYPE_CHECKING:
    from rich.console import Console

    # typer >= 0.29 carries its own copy of click, whose classes its commands extend
    from typer._click import Command as ClickCommand
    from typer._click import Context as ClickContext
    from typer._click import HelpFormatter, Parameter
    from typer.models import CommandInfo

    from envreport.io import RawWorkbook
    from envreport.io.reader import WorkbookRead
    from envreport.ledger import Ledger
    from envreport.submission import Submission

    # what the super() of :class:`_HelpAsTyped` reaches in either class that mixes it in
    _HelpBase = ClickCommand
else:
    _HelpBase = object

# Set by a command whose process may end without the collector's last pass (see main).
_ENDS_WITHOUT_COLLECTION: list[bool] = []
# Set by main: the command runs as the process's own (not in a caller's, as a test's runner).
_RUN_BY_MAIN: list[bool] = []
# The read main started before the arguments were parsed (see _start_read_early).
_EARLY_READS: list[WorkbookRead] = []
# The exit code typer gives a KeyboardInterrupt it catches itself (typer.core._main), which
# main turns into exit_codes.INTERRUPTED and EXIT_FAILED.
_TYPER_INTERRUPTED = 130


# ctx.meta key: the group was given no arguments, its help is shown for a misuse (exit 2)
_HELP_FOR_MISUSE = "envreport.help_for_misuse"


@contextmanager
def _help_read_as_far_as_wanted(ctx: ClickContext) -> Iterator[None]:
    """Help printed to a reader that closes it early (``envreport --help | head -1``) was
    given as far as it was wanted: exit 0, as ``git --help | head`` does. Typer prints help
    with a rich console of its own, whose answer to the closed pipe is to put stdout on
    /dev/null and raise ``SystemExit(1)``, envreport's code for a submission with errors;
    printing help raises no other exit. Help shown for a misuse (``envreport`` or
    ``envreport ledger`` alone) keeps the misuse's exit 2."""
    try:
        yield
    except SystemExit as stopped:
        if stopped.code in (None, EXIT_OK):
            raise
        raise SystemExit(EXIT_FAILED if ctx.meta.get(_HELP_FOR_MISUSE) else EXIT_OK) from None


def _params_as_typed(params: list[Parameter], ctx: ClickContext) -> list[Parameter]:
    """``params`` shown in help as they are typed. Every flag (``--force``, ``-q``,
    ``--help``, ``--version``) without a value placeholder: typer's help shows a parameter's
    ``metavar`` in its type column, and a flag that has none as ``<bool>`` (``--force
    <bool>``), which invites ``--force true``, a usage error: a flag takes no value. An empty
    ``metavar`` leaves the column blank; an option that takes a value keeps its ``<path>``,
    ``<text>`` or choices. A number with a range as ``<int> [x>=1]``, not typer's ``<int
    range> [x>=1]``: the range is shown beside it. An option that may be repeated (``users add
    --entity``) as the type of one value, ``<str>``, not typer's ``<list[str]>``, which invites
    a list; every argument as an :class:`_Argument`. Done on the command's parameters, not
    where each is declared, so that ``--help`` (which click adds to every command itself) and
    a parameter added later are covered too."""
    for param in params:
        if isinstance(param, TyperOption) and param.metavar is None:
            if param.is_flag:
                param.metavar = ""
            elif param.type_descriptor.is_ranged:
                param.metavar = f"<{param.type_descriptor.ranged_type_name}>"
            elif param.type_descriptor.is_list:
                param.metavar = _type_of_one(param, ctx)
        elif type(param) is TyperArgument:
            # typer makes every argument a TyperArgument itself (typer.Argument takes no
            # class), so the class is changed here, once: _Argument only overrides how it
            # is shown
            param.__class__ = _Argument
    return params


def _type_of_one(param: TyperArgument | TyperOption, ctx: ClickContext) -> str | None:
    """The type column of one value of a list ``param`` (``<path>`` of ``list[Path]``): typer's
    own, of a copy whose type is the list's element."""
    (one,) = get_args(param.type_descriptor.annotation)
    each = copy.copy(param)
    each.type_descriptor = dataclasses.replace(param.type_descriptor, annotation=one)
    return each.display_type(ctx)


class _Argument(TyperArgument):
    """An argument named in upper case where a command is used (``FILE``, ``INPUTS...``), as
    the groups name theirs (``COMMAND [ARGS]...``) and as click always has; typer 0.29 writes
    ``{file}``, ``{inputs}...``. Its type column shows the type of one value (``<path>``
    beside ``inputs...``), where typer shows a list's, ``<list[Path]>``, which reads as if
    the list were typed as one value."""

    def _shown_name(self) -> str:
        """``FILE``, ``INPUTS...``; ``[NAME]`` when it may be left out."""
        name = self.display_name_raw.upper() + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"

    def get_usage_pieces(self, ctx: ClickContext) -> list[str]:
        return [self._shown_name()]

    def get_error_hint(self) -> str:
        # "Missing argument 'INPUTS...'": the name the usage line above it shows
        return f"'{self._shown_name()}'"

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        if self.type_descriptor.is_list:
            return _type_of_one(self, ctx)
        return super().display_type_rich(ctx)


class _HelpAsTyped(_HelpBase):
    """What a command and a group (envreport, ledger, users) share: help that ends with exit
    0 when its reader stops early (:func:`_help_read_as_far_as_wanted`), and parameters shown
    as they are typed (:func:`_params_as_typed`)."""

    def get_params(self, ctx: ClickContext) -> list[Parameter]:
        return _params_as_typed(super().get_params(ctx), ctx)

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        with _help_read_as_far_as_wanted(ctx):
            super().format_help(ctx, formatter)


class _Command(_HelpAsTyped, TyperCommand):
    """A command: see :class:`_HelpAsTyped`."""


class _Group(_HelpAsTyped, TyperGroup):
    """A group (envreport, ledger, users): see :class:`_HelpAsTyped`; its help shown because
    it was given nothing to do ends with 2."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        # typer prints the help of a group given no arguments while it makes the usage
        # error (exit 2) that follows, so the help is told beforehand
        ctx.meta[_HELP_FOR_MISUSE] = not args and self.no_args_is_help
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_Group,
    name="envreport",
    help="Environmental disclosure reports from submission workbooks: template, validate, "
    "build, batch.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _console_when_used(**options: Any) -> Callable[[], Console]:
    """stdout's or stderr's console (:func:`~envreport.console.plain_console`), made on
    first use: rich's import (about 15 ms of CPU, before the reading children of ``envreport
    validate`` are forked) is paid by a command that prints through it, not by
    ``validate --format json``."""
    return functools.cache(lambda: plain_console(**options))


stdout = _console_when_used(soft_wrap=False)
# stderr carries lines (a path written, the portal's address, an error): never wrapped at the
# console's width, which cut a path or URL in two where a log or a script reads it
stderr = _console_when_used(stderr=True, soft_wrap=True)


def _progress(enabled: bool) -> AbstractContextManager[Callable[[str], None]]:
    """The stages shown on stderr (:func:`~envreport.console.progress_reporter`); nothing,
    and no console made, when stderr is surely no terminal (piped, as a script's)."""
    if enabled and may_be_a_terminal(sys.stderr):
        return progress_reporter(stderr(), enabled, _lang())
    return nullcontext(_no_progress)


def _no_progress(_stage: str) -> None:
    return None


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Language(StrEnum):  # i18n.SUPPORTED_LANGUAGES (tests/test_facts_once)
    en = "en"
    zh = "zh"


# The language of the command's own messages (``error:``, ``wrote``, its usage errors): the
# first language of its --lang, set as --lang is parsed (eager, so before the other options'
# checks), back to English for each command (_root). Its words are in findings.po.
_MESSAGES_IN: ContextVar[str] = ContextVar("messages_in", default=DEFAULT_LANGUAGE)


def _lang() -> str:
    """The language of the command's own messages (see ``_MESSAGES_IN``)."""
    return _MESSAGES_IN.get()


def _error(message: str) -> None:
    """``message`` on stderr, after ``error:`` in the command's language."""
    print_error(stderr(), message, _lang())


def _unknown_language(value: str) -> str:
    """What every command's --lang says of a value that is not a language envreport writes
    (validate and template through :func:`_language`, build and batch through
    :func:`_languages`), in the command's language."""
    lang = _lang()
    return gettext("'{value}' is not a supported language: use {choices}", lang).format(
        value=value, choices=list_separator(lang).join(SUPPORTED_LANGUAGES))


def _language(value: str | Language) -> Language:
    """--lang of validate and template (one language), parsed: another value is refused in
    the words of :func:`_unknown_language`, not typer's ("Value error, 'fr' is not one of")."""
    if value not in SUPPORTED_LANGUAGES:
        raise typer.BadParameter(_unknown_language(str(value)), param_hint="--lang")
    return Language(value)


def _messages_in_language(value: Language) -> Language:
    """--lang of validate and template: their messages are in that language too."""
    _MESSAGES_IN.set(value.value)
    return value


def _messages_in_first_language(value: str | None) -> str | None:
    """--lang of build and batch (``en``, ``zh``, ``en,zh``): the messages in the first
    language; a value that is not one is refused by :func:`_languages`, in English."""
    first = (value or "").split(",")[0].strip().lower()
    if first in SUPPORTED_LANGUAGES:
        _MESSAGES_IN.set(first)
    return value


# An option's default is stated in its help, in its words ("(default: 600)"), and typer's own
# "[default: 600]" is off (show_default=False): typer lays that bracket out beside the help
# only when both fit on one line, else on a line of its own under it (batch --timeout at 80
# columns), as it does "[required]" — which the argument's help leaves room for.
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8000
SERVE_WORKERS = 2

# The arguments and options several commands take, each declared once.
WorkbookArgument = Annotated[Path, typer.Argument(
    help="The workbook (.xlsx, .xlsm, .ods).")]
FormatOption = Annotated[OutputFormat, typer.Option(
    "--format", show_default=False,
    help=f"{OutputFormat.text} (the default) to read, {OutputFormat.json} for a program.")]
# --lang and --db show what they take (typer's placeholder for either: <str>)
ReportLanguagesOption = Annotated[str | None, typer.Option(
    "--lang", metavar="<en|zh|en,zh>", help="The report's languages (default: each "
    "workbook's own report_languages); the command's messages are in the first.",
    is_eager=True, callback=_messages_in_first_language)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="<url>", help="The ledger: an SQLAlchemy URL (default $ENVREPORT_DB or "
    "sqlite:///envreport.db).")]
LedgerFlag = Annotated[bool, typer.Option(
    "--ledger", help="Record in the ledger and compare with earlier periods.")]
OutDirOption = Annotated[Path, typer.Option("--output", "-o", help="Output folder.")]
NoPdfOption = Annotated[bool, typer.Option("--no-pdf", help="Write HTML and JSON only.")]


def _languages(text: str | None) -> list[str] | None:
    """``en``, ``zh`` or ``en,zh`` → a list; exit 2 on anything else."""
    if text is None:
        return None
    langs = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in langs if lang not in SUPPORTED_LANGUAGES]
    if not langs or unknown:
        raise typer.BadParameter(_unknown_language(unknown[0] if unknown else text),
                                 param_hint="--lang")
    return list(dict.fromkeys(langs))


def _version(value: bool) -> None:
    if value:
        # envreport.__version__ is looked up in the package metadata only now (see
        # envreport/__init__.py), so no other command pays for importlib.metadata.
        from envreport import __version__

        try:
            stdout().print(f"envreport {__version__}")
        except BrokenPipeError:  # read as far as wanted (| true): as --help, exit 0
            _stdout_to_devnull()
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """envreport: environmental disclosure reports from submission workbooks."""
    _MESSAGES_IN.set(DEFAULT_LANGUAGE)  # each command sets its own (tests run several)


def _xlsx_name(path: Path | None) -> Path | None:
    """A workbook envreport writes is named ``*.xlsx``: Excel refuses to open an .xlsx
    workbook named ``.csv`` or ``.xls``, so such a name is a misuse (exit 2), not a file."""
    if path is not None and path.suffix.lower() != ".xlsx":
        raise typer.BadParameter(gettext("{name}: the workbook's name must end in .xlsx",
                                         _lang()).format(name=path.name))
    return path


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write (.xlsx).",
                                         callback=_xlsx_name)],
    lang: Annotated[Language, typer.Option(
        "--lang", help=f"Language of labels and messages (default: {Language.en}).",
        show_default=False, is_eager=True,
        parser=_language, callback=_messages_in_language)] = Language.en,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output if it exists.")] = False,
) -> None:
    """Write the blank submission workbook: one sheet per topic, drop-downs, instructions."""
    if not force and _is_existing_file(output):
        # a blank template over a workbook someone has filled in would lose their work
        _error(gettext("{path} exists already and is not replaced: it may be a filled-in "
                       "workbook. Write the template to another file, or add --force to "
                       "replace it", _lang()).format(path=output))
        raise typer.Exit(EXIT_FAILED)
    from envreport.workbook.template import write_template

    path = write_template(output, lang.value)
    _wrote(path)


def _is_existing_file(path: Path) -> bool:
    """Whether a workbook the command is asked to write would replace a file (a folder of
    that name is left to the write, which says it cannot)."""
    return path.exists() and not path.is_dir()


def _without_collection(command: Callable[P, None]) -> Callable[P, None]:
    """``command`` run with the cyclic garbage collector off: a command that validates one
    workbook (or builds its report without a PDF) and ends. Its collections (of the cells
    read, the checks' frames, the report's text) found next to nothing, in 0.05-0.1 s of CPU
    at 100 000 rows (a build's: 0.03 s at 100 000 rows, 0.13 s at 500 000, the peak RSS the
    same); refcounting still frees what the command lets go. The collector is on again after
    it, unless the process ends now (see main): turned on, its first collection would scan
    every object the command made (0.01-0.03 s)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        collecting = gc.isenabled()
        gc.disable()
        try:
            command(*args, **kwargs)
        finally:
            if collecting and not (_RUN_BY_MAIN and _ENDS_WITHOUT_COLLECTION):
                gc.enable()

    return run


@app.command()
@_without_collection
def validate(
    file: WorkbookArgument,
    output_format: FormatOption = OutputFormat.text,
    annotate: Annotated[Path | None, typer.Option(
        "--annotate", help="Write a copy with each finding's cell highlighted (.xlsx).",
        callback=_xlsx_name)] = None,
    lang: Annotated[Language, typer.Option("--lang", show_default=False,
                                           help=f"Language of messages (default: {Language.en}).",
                                           is_eager=True, parser=_language,
                                           callback=_messages_in_language)] =
    Language.en,
    quiet: QuietOption = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the annotated copy if it exists.")] = False,
) -> None:
    """Check a submission the way an auditor would; exit 1 when it has errors."""
    if annotate is not None and _same_file(annotate, file):
        # The copy would replace the submission itself: the subsidiary's own workbook lost.
        raise typer.BadParameter(gettext(
            "{name} is the workbook being validated: write the annotated copy to another "
            "file", _lang()).format(name=annotate.name), param_hint="--annotate")
    if annotate is not None and not force and _is_existing_file(annotate):
        # as `template`: the copy over another workbook (a sister entity's submission, a
        # filled-in one) would lose it; before the read, so nothing is done for nothing
        _error(gettext("{path} exists already and is not replaced: it may be a filled-in "
                       "workbook. Write the annotated copy to another file, or add --force "
                       "to replace it", _lang()).format(path=annotate))
        raise typer.Exit(EXIT_FAILED)
    # envreport.validate (pandas, the models) is imported by read_and_validate once the read
    # has started, so that the imports and the read overlap; not here, before it.
    from envreport.io import UnreadableWorkbookError, safe_sha256
    from envreport.pipeline import pandas_without_arrow, read_and_validate

    try:
        with _progress(not quiet) as progress, pandas_without_arrow():
            raw, submission = read_and_validate(file, progress, parallel=True,
                                                process_ends=True, started=_early_read(file))
    except UnreadableWorkbookError as error:
        from envreport.validate.report import unreadable_finding, unreadable_report

        if output_format is OutputFormat.json:
            report = unreadable_report(error, lang.value, safe_sha256(file))
            _print_json(report)
        else:
            _error(unreadable_finding(error).message(lang.value))
        raise typer.Exit(EXIT_FAILED) from None
    from envreport.pipeline import check_computed_figures
    from envreport.validate.report import validation_report

    check_computed_figures(submission)  # a target's base value, in its base year's workbook
    report = validation_report(submission, lang.value)
    written = True
    if annotate is not None:  # first: a reader that stops early (| head) still gets the copy
        written = _annotate(raw, submission, annotate, lang.value)
    if output_format is OutputFormat.json:
        _print_json(report)
    else:
        # A console made now reads the terminal's width now (COLUMNS), not at import.
        print_validation(plain_console(soft_wrap=False), report, lang.value)
    _ENDS_WITHOUT_COLLECTION.append(True)  # everything written and closed: see main
    if not written:  # an output asked for that cannot be written: 2, as for a build
        raise typer.Exit(EXIT_FAILED)
    raise typer.Exit(EXIT_OK if submission.valid else EXIT_INVALID)


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one existing file (a link, another spelling of the path)."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # either does not exist (yet): not the same file
        return False


def _asks_for_help(args: list[str]) -> bool:
    """Whether the command line asks for a help, which typer prints first whatever else it
    holds (a workbook named too): nothing is read, no setting made for a run."""
    return "--help" in args


def _start_read_early(args: list[str]) -> None:
    """Start reading the workbook of ``envreport validate`` or ``build`` before typer parses
    the arguments: the parsing (typer builds a pydantic adapter per option, importing
    pydantic) is about 0.1 s of CPU that the reading children would otherwise wait for (a
    build waits for its read first as validate does: until its sheets are in hand, nothing
    else of it can start). A guess: the first argument that names an existing workbook file;
    the command uses the read only if its own argument is that file (:func:`_early_read`),
    and reads again otherwise. Not for ``build --ledger``, which reads through the ledger,
    nor for a help (``validate --help``, printed by typer first whatever follows), which
    reads nothing. Any failure here is left to the command's own read, which reports it."""
    if (not args or args[0] not in ("validate", "build") or "--ledger" in args
            or _asks_for_help(args)):
        return
    # the reader (about 20 ms of imports) for a command that reads only: not for a help,
    # template or the ledger's commands
    from envreport.io import WORKBOOK_SUFFIXES, start_read

    for arg in args[1:]:
        if (not arg.startswith("-") and arg.lower().endswith(WORKBOOK_SUFFIXES)
                and os.path.isfile(arg)):
            with suppress(Exception):  # said by the command's own read, if it fails again
                _EARLY_READS.append(start_read(arg))
            return


def _early_read(file: Path) -> WorkbookRead | None:
    """The read :func:`_start_read_early` started of ``file``, once; any other is stopped."""
    while _EARLY_READS:
        reading = _EARLY_READS.pop()
        if reading.path == file:
            return reading
        reading.cancel()
    return None


def _wrote(path: Path) -> None:
    """``wrote PATH`` on stderr, in the command's language."""
    line = gettext("wrote {path}", _lang()).format(path=path)
    if not write_plain_line(sys.stderr, line):
        stderr().print(line, highlight=False)


def _print_json(value: object) -> None:
    """``value`` as indented JSON on stdout, as it is: no console rendering (rich's first
    render of a 100 KB report cost 0.07 s, for the same bytes). A stdout that cannot carry
    the text (``PYTHONIOENCODING=ascii``) gets the same JSON with its characters escaped."""
    try:
        sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    except UnicodeEncodeError:  # raised before anything is written: the text is encoded whole
        sys.stdout.write(json.dumps(value, ensure_ascii=True, indent=2) + "\n")


def _annotate(raw: RawWorkbook, submission: Submission, out: Path, lang: str) -> bool:
    """The annotated copy, a side product: its failure is one line and never hides the
    validation. Whether the path asked for could be written: when it cannot (its folder is a
    file, no permission, a full disk) the command exits 2 as a build does, with the build's
    words; a workbook the copy refuses, or a bug in it, leaves the exit code alone."""
    from envreport.workbook.annotate import AnnotationRefusedError, write_annotated

    try:
        write_annotated(raw, submission.findings, out, lang)
    except AnnotationRefusedError as error:
        _error(gettext("an annotated copy cannot be written for this file: {reason}",
                       lang).format(reason=error.reason))
    except OSError as error:
        _cannot_write(error, out, gettext("no annotated copy was written", lang), lang)
        return False
    except Exception as error:  # a side product: a bug in it must not hide the validation
        _error(gettext("an annotated copy cannot be written for this file: {reason}",
                       lang).format(reason=f"{type(error).__name__}: {error}"))
    else:
        _wrote(out)
    return True


def _exits_on_finding(command: Callable[P, None]) -> Callable[P, None]:
    """The one place a :class:`FindingError` (an unreadable workbook, ...) becomes its message
    on stderr and its exit code: the commands that build let it rise to here."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except FindingError as error:
            _error(error.finding.message(_lang()))
            raise typer.Exit(error.exit_code) from None

    return run


@app.command()
@_exits_on_finding
def build(
    file: WorkbookArgument,
    output: OutDirOption,
    lang: ReportLanguagesOption = None,
    no_pdf: NoPdfOption = False,
    quiet: QuietOption = False,
    ledger: LedgerFlag = False,
    db: DbOption = None,
) -> None:
    """Validate, compute and write results.json and the report (HTML, PDF).

    With --ledger the submission is first recorded in the ledger, and the report compares
    it with the entity's earlier periods there (prior period, restatement, base year).
    """
    _db_needs_ledger(db, ledger)
    if ledger:
        _build_with_ledger(file, output, _languages(lang), pdf=not no_pdf, quiet=quiet, db=db)
        return
    # Without a PDF, without the collector (_without_collection). WeasyPrint makes millions
    # of objects, some in cycles: a build with PDFs keeps it (write_pdf freezes the rest).
    (_without_collection(_build) if no_pdf else _build)(
        file, output, _languages(lang), pdf=not no_pdf, quiet=quiet)


def _db_needs_ledger(db: str | None, ledger: bool) -> None:
    """--db names the ledger of --ledger: given alone, it is a misuse (exit 2)."""
    if db is not None and not ledger:
        raise typer.BadParameter(gettext("--db needs --ledger", _lang()), param_hint="--db")


def _build_with_ledger(file: Path, output: Path, langs: list[str] | None, *, pdf: bool,
                       quiet: bool, db: str | None) -> None:
    from envreport.ledger.build import build_with_ledger

    with (_build_failures_exit(file, output,
                               gettext("it was recorded in the ledger, nothing was built",
                                       _lang())),
          _open_ledger(db) as led, _progress(not quiet) as progress):
        outcome, record = build_with_ledger(file, output, led, langs, pdf=pdf,
                                            by=_cli_user(), progress=progress)
    stderr().print(f"recorded {file.name} as submission {record.id} ({record.status})",
                 highlight=False)
    for path in outcome.files:
        _wrote(path)


def _build(file: Path, output: Path, langs: list[str] | None, *, pdf: bool,
           quiet: bool) -> None:
    from envreport.pipeline import build_report

    with (_build_failures_exit(file, output, gettext("nothing was built", _lang())),
          _progress(not quiet) as progress):
        outcome = build_report(file, output, langs, pdf=pdf, progress=progress,
                               process_ends=True, started=_early_read(file))
    for path in outcome.files:
        _wrote(path)
    _ENDS_WITHOUT_COLLECTION.append(True)  # every output written and closed: see main


@contextmanager
def _build_failures_exit(file: Path, output: Path, consequence: str) -> Iterator[None]:
    """Turn the ways a build stops (invalid workbook, missing font, an output that cannot be
    written: named, else ``output``) into a message and exit."""
    from envreport.pipeline import InvalidSubmissionError

    try:
        yield
    except InvalidSubmissionError as error:
        import shlex

        count = len(error.submission.findings.errors)
        # the command is to be copied: a path with a space or a quote is quoted for the shell;
        # the Chinese sentence's command adds --lang zh, so that it shows them in Chinese
        _error(gettext("{file} has {count} error(s); {consequence}. See them with: "
                       "envreport validate {path}", _lang()).format(
                           file=file.name, count=count, consequence=consequence,
                           path=shlex.quote(str(file))))
        raise typer.Exit(EXIT_INVALID) from None
    except RuntimeError as error:
        # envreport.render (matplotlib, the templates: a second) is imported once a build
        # has failed, not before it starts: the build imports it while the workbook is read.
        from envreport.render import MissingFontError

        if not isinstance(error, MissingFontError):
            raise
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None
    except OSError as error:  # the output cannot be written (a full disk, no permission)
        _cannot_write(error, output, gettext("the report is incomplete", _lang()), _lang())
        raise typer.Exit(EXIT_FAILED) from None


def _cannot_write(error: OSError, path: Path, consequence: str, lang: str) -> None:
    """The one line of an output that cannot be written (``validate --annotate``, ``build``):
    the path and why (:func:`_unusable`), and ``consequence``; the caller exits 2."""
    named, reason = _unusable(error, path, lang)
    _error(gettext("cannot write {path}: {reason}; {consequence}", lang).format(
        path=named, reason=reason, consequence=consequence))


def _unusable(error: OSError, path: Path | str, lang: str) -> tuple[str, str]:
    """Which path the user gave cannot be used, and why, for a person: the error's path
    (else ``path``, the output asked for) and the system's words, except where a folder to
    make is a file, or lies under one (``-o afile/sub``): then that file, named as the user
    wrote it, and "it is a file, not a folder", where os.mkdir's "File exists" or "Not a
    directory" on the path asked for would not say which file is in the way."""
    named = os.fsdecode(error.filename) if error.filename else str(path)
    if isinstance(error, FileExistsError | NotADirectoryError):
        asked = Path(named)
        in_the_way = next((p for p in (asked, *asked.parents) if p.is_file()), None)
        if in_the_way is not None:
            return str(in_the_way), gettext("it is a file, not a folder", lang)
    return named, error.strerror or str(error)


@app.command()
@_exits_on_finding
def demo(
    output: OutDirOption,
    no_pdf: NoPdfOption = False,
    quiet: QuietOption = False,
) -> None:
    """Build the full bilingual report from the bundled sample workbook."""
    sample = resource_dir("sample_inputs") / "group" / "sre.xlsx"
    _build(sample, output, ["en", "zh"], pdf=not no_pdf, quiet=quiet)


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(
        help="Workbooks, or folders of them.")],
    output: OutDirOption,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-j", min=1, help="Worker processes (default: the number of cores; "
        "1 runs in this process).")] = None,
    lang: ReportLanguagesOption = None,
    no_pdf: NoPdfOption = False,
    quiet: QuietOption = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, show_default=False,
        help="Seconds one workbook's reading, or one report, may take (default: "
        f"{TASK_SECONDS}); beyond them it is stopped and reported.")] =
    TASK_SECONDS,
    memory: Annotated[int, typer.Option(
        "--memory", min=64, show_default=False,
        help="Megabytes of memory one workbook's reading, or one report, may use (default: "
        f"{TASK_MEMORY_MB}); beyond them it is stopped and reported.")] = TASK_MEMORY_MB,
    ledger: LedgerFlag = False,
    db: DbOption = None,
) -> None:
    """Validate every workbook; one report per submission, the group report, a status board.

    A folder given is searched for *.xlsx, *.xlsm and *.ods files. With --ledger every
    workbook is first recorded in the ledger (valid or not), the consolidated group is
    recorded as <parent>:group, and every report compares with the earlier periods there.

    The parent is the workbook whose Subsidiaries sheet has rows; its roster lists the
    submissions the group expects. Output layout (docs/batch.md):

    \b
      DIR/status.html, status.xlsx, status.json
          the status board (state of every file; status.zh.html,
          status.zh.xlsx ... in each further language)
      DIR/<entity_id>/report.html|pdf, results.json
          each valid submission's report
      DIR/<entity_id>/annotated.xlsx
          each submission with findings
      DIR/group/report.html|pdf, results.json
          the consolidated group report

    Entity ids are sanitised into folder names (letters, digits, -, _, .; at most 80
    characters); "group" and the board's file names are reserved. Each workbook is read,
    and each report built, in its own process under --timeout and --memory: one that
    exceeds them is reported and the others go on. Ctrl-C stops at once, writes the board
    for what finished (marked incomplete) and exits 2; run again to complete it.

    States: valid, valid_with_warnings, invalid, unreadable, missing, unexpected.

    Exit 0 when every expected submission is valid, 1 when any is invalid, unreadable or
    missing or the group has errors (everything buildable is still built), 2 on misuse
    (no workbooks, more than one parent, no parent) or Ctrl-C.
    """
    from envreport.batch import BatchInterruptedError, BatchUsageError, Limits, run_batch
    from envreport.batch.progress import batch_bar
    from envreport.batch.reasons import failure_line, stopped_lines
    from envreport.batch.status import summary_counts

    _db_needs_ledger(db, ledger)
    limits = Limits(seconds=timeout, memory_bytes=memory * 2**20)
    ledger_url = _ledger_url(db) if ledger else None
    ledger_errors: tuple[type[Exception], ...] = ()  # sqlalchemy imported only for --ledger
    if ledger:
        from envreport.ledger import LedgerError

        ledger_errors = (LedgerError,)
    try:
        with batch_bar(stderr(), not quiet, _lang()) as progress:
            outcome = run_batch(inputs, output, workers=workers, langs=_languages(lang),
                                pdf=not no_pdf, progress=progress, limits=limits,
                                ledger_url=ledger_url,
                                # the ledger's modules (sqlalchemy, about 0.2 s of CPU) only
                                # for --ledger: imported before the first task is forked,
                                # every batch waited for them with its other cores idle
                                ledger_by=_cli_user() if ledger else None)
    except ledger_errors as error:  # recording a workbook failed: one line, exit 2
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None
    except BatchUsageError as error:
        _error(error.message(_lang()))
        raise typer.Exit(EXIT_FAILED) from None
    except BatchInterruptedError as interrupted:
        # what it had done, in the command's language (outcome.messages: in English)
        for message in stopped_lines(interrupted.outcome.stopped, _lang()):
            _error(message)
        stderr().print(gettext("wrote {path} (incomplete)", _lang()).format(
            path=output / "status.html"), highlight=False)
        raise typer.Exit(interrupted.outcome.exit_code) from None
    for line in outcome.recorded:
        stderr().print(line, highlight=False)
    lang_ = _lang()
    # each report not built, in the command's language (outcome.messages: in English)
    for failure in outcome.failures:
        _error(failure_line(failure, lang_))
    counts = summary_counts(outcome.board["counts"], lang_)
    group = (gettext("group report built", lang_) if outcome.board["group"]["built"]
             else gettext("no group report", lang_))
    if outcome.board["parent"]["entity_id"] is None:
        group += gettext(" (no parent workbook: include the one with the Subsidiaries sheet)",
                         lang_)
    stderr().print(gettext("{counts}; {group}; wrote {path}", lang_).format(
        counts=counts, group=group, path=output / "status.html"), highlight=False)
    # every output written and closed, every task reaped: see main. The batch's process
    # holds the warm-up (WeasyPrint, matplotlib, pandas, the compiled templates), whose
    # teardown by Python's finalisation took 0.15-0.4 s of CPU after the last report, a
    # serial step at the end of the batch.
    _ENDS_WITHOUT_COLLECTION.append(True)
    raise typer.Exit(outcome.exit_code)


def _ledger_url(db: str | None) -> str:
    """batch --ledger: the ledger's URL, once opened (made or upgraded) here, so that a
    ledger that cannot be used stops the batch before any work. The batch records each
    workbook as it validates it."""
    with _open_ledger(db) as led:
        return led.url


ledger_app = typer.Typer(help="The ledger: every submission of every entity and period.",
                         no_args_is_help=True, cls=_Group)
app.add_typer(ledger_app, name="ledger")


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _cli_user() -> str:
    """Who records from the command line: ``cli:<login>``, the OS login name as a detail of
    the command line (the portal shows "Command line (login root)"), never the bare login,
    which would read as a portal account of that name; ``cli`` when there is no login."""
    import getpass

    from envreport.ledger.accounts import cli_actor

    try:
        return cli_actor(getpass.getuser())
    except (KeyError, OSError):
        return cli_actor(None)


@contextmanager
def _open_ledger(db: str | None) -> Iterator[Ledger]:
    """The ledger, closed afterwards; a LedgerError anywhere inside is one line, exit 2."""
    from envreport.ledger import Ledger, LedgerError

    try:
        with Ledger(db) as led:
            yield led
    except LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None


@ledger_app.command("add")
def ledger_add(
    files: Annotated[list[Path], typer.Argument(help="Submission workbooks.")],
    db: DbOption = None,
) -> None:
    """Validate each workbook and record it (valid or not) in the ledger.

    Exit 0 when every workbook is valid, 1 when any has errors, 2 when any cannot be read
    as a workbook (each one is recorded all the same).
    """
    exit_code = EXIT_OK
    with _open_ledger(db) as led:
        for file in files:
            record = led.record(file, by=_cli_user(), source="cli")
            what = (f"{record.entity_id} {record.period_start}–{record.period_end}"
                    if record.entity_id else "no entity (unreadable)")
            stdout().print(f"{file.name}: {record.outcome}, {record.errors} error(s), "
                         f"{record.warnings} warning(s) — submission {record.id}, {what}, "
                         f"{record.status}", highlight=False, soft_wrap=True)  # a line each
            if record.outcome == "unreadable":
                exit_code = EXIT_FAILED
            elif not record.valid and exit_code == EXIT_OK:
                exit_code = EXIT_INVALID
    raise typer.Exit(exit_code)


@ledger_app.command("list")
def ledger_list(
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity.")] = None,
    period: Annotated[int | None, typer.Option("--period", help="Only this year.")] = None,
    db: DbOption = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Submissions with entity, period, state, file, SHA-256, when and by whom."""
    from envreport.console import print_submissions

    with _open_ledger(db) as led:
        records = led.submissions(entity=entity, period=period)
    rows = [record.to_dict() for record in records]
    if output_format is OutputFormat.json:
        _print_json(rows)
    else:
        print_submissions(plain_console(width=max(stdout().width, 160)), rows)


@ledger_app.command("history")
def ledger_history(
    entity: Annotated[str, typer.Argument(help="The entity id.")],
    db: DbOption = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """The entity's periods with key figures, restated where methods changed."""
    from envreport.batch.consolidate import regrouped
    from envreport.console import print_history
    from envreport.ledger import is_group_entity

    with _open_ledger(db) as led:
        # a group's period whose member was corrected since its report: consolidated again
        # (the batch's consolidation), as the group's next report compares with it
        periods = led.history(entity, regrouped if is_group_entity(entity) else None)
    if not periods:
        # Nothing to show is no submission with errors (exit 1): a command that cannot do
        # what it was asked ends with 2, as README's exit codes say.
        _error(f"{entity}: no valid submission in the ledger")
        raise typer.Exit(EXIT_FAILED)
    if output_format is OutputFormat.json:
        _print_json(periods)
    else:
        print_history(plain_console(width=max(stdout().width, 160)), entity, periods)


@ledger_app.command("export")
def ledger_export(
    output: OutDirOption,
    export_format: Annotated[ExportFormat, typer.Option(
        "--format", show_default=False,
        help=f"{ExportFormat.csv} (the default) or {ExportFormat.parquet}.")] = ExportFormat.csv,
    db: DbOption = None,
) -> None:
    """Every table of the ledger, for analysis elsewhere (pandas, DuckDB, a BI tool)."""
    from envreport.ledger.export import export_tables

    with _open_ledger(db) as led:
        paths = export_tables(led.engine, output, export_format.value)
    stderr().print(f"wrote {len(paths)} tables to {output}", highlight=False)


@app.command()
def factors(
    fuel: Annotated[str | None, typer.Option("--fuel", help="A fuel id, e.g. diesel.")] = None,
    country: Annotated[str | None, typer.Option(
        "--country", help="A country: ISO code or name.")] = None,
    gas: Annotated[str | None, typer.Option("--gas", help="A gas, e.g. R-410A.")] = None,
) -> None:
    """Show the built-in factor library and each factor's source."""
    from envreport.factors.show import FactorLookupError, print_factors

    try:
        print_factors(plain_console(width=max(stdout().width, 160)), fuel=fuel, country=country,
                      gas=gas)
    except FactorLookupError as error:
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None


@app.command()
def schema(output: OutDirOption) -> None:
    """Write the JSON Schemas of the workbook's sheets."""
    from envreport.schema.export import export_schemas

    for path in export_schemas(output):
        _wrote(path)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(
        "--host", show_default=False,
        help=f"The address to listen on (default: {SERVE_HOST}).")] = SERVE_HOST,
    port: Annotated[int, typer.Option(
        "--port", min=1, max=65535, show_default=False,
        help=f"Port (default: {SERVE_PORT}).")] = SERVE_PORT,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Open period 2024 and record the bundled group sample (parent, SRE, "
        "SRI) when the ledger has no submissions yet.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, show_default=False,
        help=f"Processes that check uploads and build reports (default: {SERVE_WORKERS}).")] =
    SERVE_WORKERS,
) -> None:
    """Start the web portal for subsidiaries, auditors and headquarters (docs/portal.md)."""
    import uvicorn

    from envreport.ledger import LedgerError
    from envreport.portal import PortalSettings, create_app
    from envreport.portal.demo import seed_demo

    taken = _address_problem(host, port)
    if taken is not None:  # before the ledger is opened and the banner printed
        _error(taken)
        raise typer.Exit(EXIT_FAILED)
    try:
        application = create_app(PortalSettings(db_url=db, workers=workers))
        if demo:
            for line in seed_demo(application.state.portal.ledger):
                stderr().print(line, highlight=False)
    except LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None
    stderr().print(f"envreport portal on http://{host}:{port}/ (ledger: "
                 f"{application.state.portal.ledger.where}); Ctrl+C stops it", highlight=False)
    # proxy headers only from a proxy on this machine: X-Forwarded-Proto makes cookies Secure
    try:
        uvicorn.run(application, host=host, port=port, proxy_headers=True,
                    forwarded_allow_ips="127.0.0.1", log_level="warning", server_header=False)
    except SystemExit as stopped:  # uvicorn's start-up failure is exit 3: ours are 0, 1, 2
        if stopped.code not in (None, 0):
            raise typer.Exit(EXIT_FAILED) from None


def _address_problem(host: str, port: int) -> str | None:
    """Why the portal cannot listen on ``host:port`` (taken, unknown host), or ``None``.

    Probed with a socket bound as uvicorn binds its own (SO_REUSEADDR), so that a taken
    port is one line and exit 2, not uvicorn's "ERROR: [Errno 98]" and exit 3 after the
    banner said the portal was up."""
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        return f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


users_app = typer.Typer(help="Accounts for the web portal.", no_args_is_help=True,
                        cls=_Group)
app.add_typer(users_app, name="users")


class Role(StrEnum):
    admin = "admin"
    auditor = "auditor"
    submitter = "submitter"


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name to log in with.")],
    role: Annotated[Role, typer.Option(
        "--role", help="The account's role.")],
    entity: Annotated[list[str] | None, typer.Option(
        "--entity",
        help="An entity the submitter submits for (repeat for several).")] = None,
    db: DbOption = None,
) -> None:
    """Create a portal account; the password is asked for (or read from $ENVREPORT_PASSWORD).

    --role says what the account may do on the portal (docs/portal.md)."""
    from envreport.ledger import Ledger, LedgerError, is_group_entity
    from envreport.ledger.accounts import AccountNameError, check_account_name
    from envreport.portal.admin import MIN_PASSWORD
    from envreport.suggest import did_you_mean

    try:  # the ledger checks it again; here before the password is asked for, twice
        check_account_name(name)
    except AccountNameError as error:  # repr: a name's control characters escaped
        _error(f"user {name!r} not added: {error}")
        raise typer.Exit(EXIT_FAILED) from None
    entities = list(entity or [])
    if role is Role.submitter and not entities:
        raise typer.BadParameter("a submitter needs at least one --entity", param_hint="--entity")
    try:
        password = os.environ.get("ENVREPORT_PASSWORD") or typer.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True)
    except typer.Abort:  # Ctrl-C or the input's end at the prompt: typer would exit 1
        _error(f"no password given; {name} was not added")
        raise typer.Exit(EXIT_FAILED) from None
    if len(password) < MIN_PASSWORD:
        _error(f"the password needs at least {MIN_PASSWORD} characters")
        raise typer.Exit(EXIT_FAILED)
    groups = [e for e in entities if is_group_entity(e)]
    if groups:  # the group build's record (<parent>:group): nobody submits for it
        _error(f"user {name!r} not added: {', '.join(groups)} is a group's record, no entity "
               "anyone submits for; give the parent's id")
        raise typer.Exit(EXIT_FAILED)
    try:
        with Ledger(url=db) as ledger:
            known = {e["entity_id"] for e in ledger.entities()}
            ledger.add_user(name, role.value, entities, password, by=_cli_user())
    except LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_FAILED) from None
    suffix = f" for {', '.join(entities)}" if entities else ""
    stderr().print(f"added {role.value} {name}{suffix}", highlight=False)
    # An entity the ledger does not know yet is accepted (docs/portal.md: the account is
    # made before `serve --demo` or the entity's first upload adds it), but said: a mistyped
    # id would otherwise leave an account that can upload for nothing, without a word.
    for unknown in (e for e in dict.fromkeys(entities) if e not in known):
        nearest = did_you_mean(unknown, sorted(e for e in known if not is_group_entity(e)))
        stderr().print(
            f"note: entity {unknown} is not in the ledger yet: its first submission adds it "
            f"({name}'s upload, `envreport ledger add`), or an admin on the portal's "
            "Administration page" + (f"; did you mean {nearest}?" if nearest else ""),
            highlight=False)


def _flowing(help_text: str) -> str:
    """A docstring as help that a terminal of any width wraps well: each prose paragraph
    joined into one line (rich, which typer renders help with, keeps a single line break and
    would wrap each ~90-character source line again, leaving a word or two on a line of its
    own), and each paragraph marked ``\\b`` (as click marks it) kept line for line, without
    the marker, so a layout stays aligned."""
    paragraphs = []
    for paragraph in inspect.cleandoc(help_text).split("\n\n"):
        if paragraph.startswith("\b\n"):
            paragraphs.append(paragraph.removeprefix("\b\n"))
        else:
            paragraphs.append(" ".join(line.strip() for line in paragraph.splitlines()))
    return "\n\n".join(paragraphs)


def _ends_with_exit_2(command: Callable[P, None]) -> Callable[P, None]:
    """``command`` with envreport's exit code 2 where typer has codes of its own: Ctrl-C
    (typer: a silent 130) is said in one line; a stdout its reader has closed (``| head``;
    typer: exit 1, the code of a submission with errors) ends silently, as the reader wanted
    no more, with stdout on /dev/null so that the last flush does not fail again."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            _error(INTERRUPTED)
            raise typer.Exit(EXIT_FAILED) from None
        except BrokenPipeError:  # the command's only pipe written here is stdout
            _stdout_to_devnull()
            raise typer.Exit(EXIT_FAILED) from None

    return run


def _stdout_to_devnull() -> None:
    """stdout, whose reader has closed it, on /dev/null, so that the last flush at the
    process's end does not fail again."""
    with suppress(OSError, ValueError):  # no stdout with a descriptor: as it is
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _commands(typer_app: typer.Typer) -> Iterator[CommandInfo]:
    """Every command of ``typer_app`` and of its sub-apps."""
    yield from typer_app.registered_commands
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            yield from _commands(group.typer_instance)


def _finish_commands(typer_app: typer.Typer) -> None:
    """Give every command its docstring as flowing help (see :func:`_flowing`), exit 2
    for Ctrl-C and a closed stdout (:func:`_ends_with_exit_2`), and exit 0 for help whose
    reader stops early (:class:`_Command`); done once, here, so a command added later is
    covered too."""
    for command in _commands(typer_app):
        if command.cls in (None, TyperCommand):  # typer's default: no class of its own
            command.cls = _Command
        doc = command.help if isinstance(command.help, str) else inspect.getdoc(command.callback)
        if doc:
            command.help = _flowing(doc)
        if command.callback is not None:
            command.callback = _ends_with_exit_2(command.callback)


_finish_commands(app)


# The commands whose process starts numpy's OpenBLAS on one thread (see _command_settings).
# None of them multiplies a matrix. Measured for build and batch (whole processes, against
# main without it, alternated at real-time priority, medians; docs/performance.md): build
# --no-pdf of 100 000 rows 1.99 -> 1.93 s (CPU 3.29 -> 3.11 s), of 10 000 rows 1.16 -> 1.13 s
# (CPU 1.83 -> 1.66 s), of 500 000 rows 6.70 -> 6.43 s (CPU 10.4 -> 9.7 s); batch of 8
# workbooks, -j 2 --no-pdf, 3.91 -> 3.88 s (CPU 6.00 -> 5.87 s) (these two: the same code with
# and without OPENBLAS_NUM_THREADS=1 set from outside).
_BLAS_ON_ONE_THREAD = ("validate", "build", "batch")


def _command_settings(args: list[str]) -> AbstractContextManager[object]:
    """The process's settings for the command it runs, from typer's parsing of the
    arguments on. ``validate``, ``build`` and ``batch``: numpy's OpenBLAS without its
    spinning threads (``pipeline.blas_on_one_thread``: ``OPENBLAS_NUM_THREADS=1``; each
    spins on the core the reading, rendering or task children need). ``validate``, a
    process that validates one workbook and ends, also builds pydantic's validators without
    looking for its plugins among every installed distribution's entry points
    (``pipeline.pydantic_without_plugins``: ``PYDANTIC_DISABLE_PLUGINS``). Either unless the
    user set it; nothing for the other commands, nor for a help."""
    if not args or args[0] not in _BLAS_ON_ONE_THREAD or _asks_for_help(args):
        return nullcontext()
    from envreport.pipeline import blas_on_one_thread, pydantic_without_plugins

    settings = ExitStack()
    if args[0] == "validate":
        settings.enter_context(pydantic_without_plugins())
    settings.enter_context(blas_on_one_thread())
    return settings


def main() -> None:
    """Console-script entry point: no traceback reaches the user unless asked for."""
    _RUN_BY_MAIN.append(True)
    try:
        _start_read_early(sys.argv[1:])
        with _command_settings(sys.argv[1:]):
            app()
    except SystemExit as done:
        if done.code == _TYPER_INTERRUPTED:  # Ctrl-C while typer parsed the arguments
            _error(INTERRUPTED)
            sys.exit(EXIT_FAILED)
        if _ENDS_WITHOUT_COLLECTION and isinstance(done.code, int):
            _end_now(done.code)
        raise
    except KeyboardInterrupt:  # Ctrl-C before typer started (the early read)
        _error(INTERRUPTED)
        sys.exit(EXIT_FAILED)
    except Exception as error:  # a bug, not bad input: say so in one line
        if os.environ.get("ENVREPORT_DEBUG"):
            raise
        if isinstance(error, OSError) and error.filename:
            # A path the user gave cannot be used (-o names a folder, a missing or read-only
            # place): the path and why, not "internal error ... please report it".
            # (template, schema, batch, ledger export; build and validate --annotate say
            # it with what was not written: _cannot_write)
            # the colon of the message's language (in Chinese "：", as "无法写入 x：…")
            named, reason = _unusable(error, error.filename, _lang())
            _error(f"{named}{gettext(': ', _lang())}{reason}")
        else:
            _error(gettext("internal error: {error} (set ENVREPORT_DEBUG=1 for the "
                           "traceback, and please report it)", _lang()).format(
                               error=f"{type(error).__name__}: {error}"))
        sys.exit(EXIT_FAILED)
    finally:
        while _EARLY_READS:  # not the command's (a usage error, --help): stopped
            _EARLY_READS.pop().cancel()
        if _ENDS_WITHOUT_COLLECTION:
            # The process ends next. Python's finalisation would run the cyclic garbage
            # collector over every object (pandas, pyarrow, the workbook's cells: about
            # 0.1 s of a validation); frozen, they are left to the end of the process.
            # Only after validate, which has closed everything it wrote.
            gc.freeze()


def _end_now(code: int) -> None:
    """End the process with ``code`` once its output is flushed, skipping Python's
    finalisation (every module torn down, every object freed: about 0.04 s after a
    100 000-row validation). Only for a command that has written and closed everything
    (``_ENDS_WITHOUT_COLLECTION``); logging's own exit handler, the one a command may
    rely on, still runs, and so does the reader's (its children reaped, their CPU
    counted). Returns if the output cannot be flushed (a closed pipe), for the ordinary
    end to report it as before, and under a profiler or a tracer (pyinstrument, cProfile,
    coverage), which reports at the ordinary end."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    if "logging" in sys.modules:
        import logging

        logging.shutdown()
    if "envreport.io.reader" in sys.modules:  # its exit handler too: the reading children
        from envreport.io.reader import reap_children

        reap_children()
    os._exit(code)


if __name__ == "__main__":
    main()
