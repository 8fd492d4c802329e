"""The one orchestrator: load → validate → compute → render, top to bottom.

The CLI (and any later web page) calls only this module. Nothing here prints; progress is
reported through an optional callback, and problems come back as values or as the two
exceptions below, which carry what the CLI needs to say.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envreport.i18n import SUPPORTED_LANGUAGES
from envreport.io import RawWorkbook, UnreadableWorkbookError, start_read
from envreport.io.reader import CHILD_NICENESS, WorkbookRead
from envreport.rendering_ahead import RenderingElsewhere, prepare_rendering, use_compiled_templates

# Imported where they are needed: metrics and results where a build needs them (`validate`
# never pays for their import); pandas, pydantic and the schema models once the read has
# started (read_and_validate), so that the imports and the read overlap.
if TYPE_CHECKING:
    from envreport.forked import ForkedCall
    from envreport.render import ChartDrawer
    from envreport.results import Results
    from envreport.submission import Submission

Progress = Callable[[str], None]

__all__ = [
    "BuildOutcome",
    "InvalidSubmissionError",
    "UnreadableWorkbookError",
    "build_report",
    "check_computed_figures",
    "load_submission",
    "read_and_validate",
    "results_json",
    "trail_json",
    "write_outputs",
]


class InvalidSubmissionError(Exception):
    """The workbook has errors: nothing is built from it."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(f"{submission.source.name}: {len(submission.findings.errors)} error(s)")
        self.submission = submission


@dataclass
class BuildOutcome:
    """What a build wrote."""

    submission: Submission
    results: Results | dict[str, Any]  # a dict: results the ledger stored and extended
    files: list[Path] = field(default_factory=list)


def _noop(_stage: str) -> None:
    return None


def _nothing() -> None:
    return None


def load_submission(path: Path | str, progress: Progress = _noop,
                    meanwhile: Callable[[], None] = _nothing, *,
                    parallel: bool = False) -> Submission:
    """Read and validate one workbook (raises :class:`UnreadableWorkbookError`)."""
    return read_and_validate(path, progress, meanwhile, parallel=parallel)[1]


def read_and_validate(path: Path | str, progress: Progress = _noop,
                      meanwhile: Callable[[], None] = _nothing, *, parallel: bool = False,
                      process_ends: bool = False,
                      started: WorkbookRead | None = None,
                      read: Callable[[bool], None] | None = None
                      ) -> tuple[RawWorkbook, Submission]:
    """The cells as read and the validated submission (for the annotated copy, which is
    written from what envreport read). Raises :class:`UnreadableWorkbookError`.

    The read starts first, in its child process; the validation's modules (pandas,
    pydantic, the schema models: about half a second) are imported while the child reads,
    then ``meanwhile`` is called (a build imports the renderer). Each table sheet is
    validated as soon as it has arrived, while the next ones are read; the checks across
    sheets run once the workbook is in hand. ``parallel``: a large
    workbook's checks are shared with a forked child (``validate``'s own argument: for a
    process that may fork, as the CLI's). ``process_ends``: the process ends after this one
    job (the CLI's validate and build): the imports may be frozen for good
    (:func:`_collector_paused`). ``started``: the read of ``path``, already started
    by the caller (the CLI starts it before parsing its arguments). ``read`` is called once
    the whole workbook is in hand, before the checks across sheets, with whether they are
    shared with a forked child.
    """
    progress("read")
    reading = started if started is not None else start_read(path)
    try:
        with _collector_paused(freeze_for_good=process_ends):
            from envreport.validate import Validation, prepare  # heavy: see the docstring

            prepare(reading.sheet_names)  # the factor library, the fields' validators:
            # also while the children work
        meanwhile()
        # Each sheet is validated as it arrives, while the child reads the next ones.
        validation = Validation(parallel=parallel)
        raw: RawWorkbook = reading.finish(validation.add)
    finally:
        reading.cancel()
    if read is not None:
        read(validation.checks_shared())
    progress("validate")
    return raw, validation.finish(raw)


def states_base_year_target(submission: Submission) -> bool:
    """Whether a Targets row's base year is the reporting year, on a metric envreport
    computes: the one workbook whose validation needs its figures computed
    (``metrics.targets.base_value_findings`` checks the row's base_value against them; a
    metric of the workbook's own has no figure to check it with)."""
    from envreport.schema import Sheet
    from envreport.schema.sheets import TARGET_METRICS

    table = submission.table(Sheet.TARGETS)
    organization = submission.organization
    if table is None or organization is None or len(table) == 0 \
            or submission.targets_are_the_groups:
        return False
    checked = (table["base_year"] == organization.reporting_year) \
        & table["metric"].isin(TARGET_METRICS)
    return bool(checked.any())


def check_computed_figures(submission: Submission) -> None:
    """Add to a valid submission's findings those only its computed figures can make (a
    target's base value that its base year's own workbook contradicts). Computes only for a
    workbook of a target's base year (:func:`states_base_year_target`): ``validate`` of any
    other workbook costs nothing more. A build gets the same findings from its compute."""
    if not submission.valid or not states_base_year_target(submission):
        return
    from envreport.metrics import compute  # only here: validate does not import metrics

    compute(submission)


@contextlib.contextmanager
def _collector_paused(*, freeze_for_good: bool) -> Iterator[None]:
    """The cyclic garbage collector paused: the imports and the preparation make hundreds
    of thousands of objects (modules, classes, pydantic's validators), which start
    collections of the older generations that find next to nothing.

    ``freeze_for_good``: the first time (the process's imports), what was made is then
    frozen, as a pre-forking server does after its imports: collected, it would all be
    scanned once more as soon as the collector runs again (0.02-0.05 s), and the collector
    will never free a module or a class. Only for a process that ends after this one job
    (the CLI's validate and build): ``write_pdf`` unfreezes what it freezes only when nothing
    was frozen before it (Python cannot unfreeze a part), so in a process that goes on to
    build report after report (a script calling ``build_report``), an earlier freeze would
    make every PDF keep, for good, the cyclic garbage alive when it began (about 2.5 MiB per
    demo build)."""
    collecting = gc.isenabled()
    first = freeze_for_good and "envreport.validate" not in sys.modules
    gc.disable()
    try:
        yield
    finally:
        if first:
            gc.freeze()
        if collecting:
            gc.enable()


@contextlib.contextmanager
def pandas_without_arrow() -> Iterator[None]:
    """pandas imported as if pyarrow were not installed, when it is imported within.

    pandas imports pyarrow (and pyarrow.compute) at its own import when it can: about
    0.07 s of CPU, and nothing ``envreport validate`` does uses it (its text columns are
    then pandas' own, the values and findings the same). For a process that validates and
    ends (the CLI's ``validate``), and the CLI's build of a small workbook
    (:func:`_small_workbook`): a larger build keeps pyarrow's columns. No effect once pandas
    is imported (as it is in any process that validated before); pyarrow itself can still
    be imported afterwards, pandas just does not use it.
    """
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        yield
        return
    # None in sys.modules makes `import pyarrow` raise ImportError, which pandas takes as
    # "not installed"; typeshed types sys.modules' values as modules, hence the ignore
    sys.modules["pyarrow"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "pyarrow" in sys.modules and sys.modules["pyarrow"] is None:
            del sys.modules["pyarrow"]


#: A build's workbook up to this size on disk (about 150 000 activity rows; 100 000 rows take
#: 2.8 MB, 500 000 rows 13.7 MB) imports pandas without pyarrow (:func:`_small_workbook`).
SMALL_WORKBOOK_BYTES = 4_000_000


def _small_workbook(path: Path | str) -> bool:
    """Whether a build of ``path`` is faster with pandas' own text columns than with
    pyarrow's (:func:`pandas_without_arrow`; the outputs are the same bytes either way).
    Measured, whole ``build --no-pdf`` processes at real-time priority: 10 000 rows 1.71 ->
    1.54 s (peak RSS 207 -> 155 MiB: pyarrow's import, and the factor library and the
    fields' validators made sooner), 100 000 rows 2.36 -> 2.17 s, but 500 000 rows 6.85 ->
    7.55 s (text columns of Python objects cost compute more than the import saves).
    A file that cannot be looked at counts as large: its read reports it."""
    try:
        return os.stat(path).st_size <= SMALL_WORKBOOK_BYTES
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def pydantic_without_plugins() -> Iterator[None]:
    """pydantic's validators built, within, as if no pydantic plugin were installed.

    Before it builds a validator, pydantic looks for plugins (which observe validations, as
    logfire's does) among the entry points of every installed distribution, reading each
    distribution's metadata before the first sheet model is built. ``envreport validate``
    observes nothing, so for the CLI's ``validate`` (a process that validates and ends)
    pydantic's documented switch ``PYDANTIC_DISABLE_PLUGINS=__all__`` is set within. A value
    the user set is kept as it is (they may want a plugin to see the validation); outside,
    the environment is as it was.
    """
    with _environment_default("PYDANTIC_DISABLE_PLUGINS", "__all__"):
        yield


@contextlib.contextmanager
def blas_on_one_thread() -> Iterator[None]:
    """numpy's OpenBLAS started, within, with one thread: ``OPENBLAS_NUM_THREADS=1``.

    Loaded with numpy, OpenBLAS starts a thread per core, and each spins while it waits for
    work: on this project's 2-core machine that is about 0.11 s of CPU on the other core
    during pandas' import (0.23 against 0.34 s of CPU for the import, the same wall time),
    the core the reading children need. ``envreport validate``, ``build`` and ``batch``
    multiply no matrix (pandas' sums and groupings do not call BLAS), so for their process
    OpenBLAS runs on the calling thread. A value the user set is kept; outside, the
    environment is as it was (OpenBLAS reads it only once, when numpy is first imported).
    """
    with _environment_default("OPENBLAS_NUM_THREADS", "1"):
        yield


@contextlib.contextmanager
def _environment_default(name: str, value: str) -> Iterator[None]:
    """The environment variable ``name`` set to ``value`` within, unless the user set it."""
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


def results_json(results: Results | dict[str, Any]) -> bytes:
    """results.json bytes: UTF-8, stable key order, so two runs give identical files.

    ``results`` is the model or its :meth:`~envreport.results.Results.to_json_dict`.
    """
    from envreport.results.jsonfile import results_json as encode  # build only: see imports

    return encode(results)


def trail_json(results: Results) -> bytes:
    """The calculation trail of ``results`` encoded as results.json writes it: encoded once,
    then given as ``trail_text`` to :func:`write_outputs` (and to the ledger's record)."""
    from envreport.results.jsonfile import trail_json as encode  # build only: see imports

    return encode(results)


def pdf_creation_time() -> datetime:
    """The PDF's creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def report_names(langs: Sequence[str]) -> dict[str, tuple[str, str]]:
    """lang → (html, pdf): ``report.html`` for one language, ``report.en.html`` for several."""
    if len(langs) == 1:
        return {langs[0]: ("report.html", "report.pdf")}
    return {lang: (f"report.{lang}.html", f"report.{lang}.pdf") for lang in langs}


class TrailBeingWritten:
    """results.json being written by a forked child since compute made the trail
    (:func:`build_report`): the trail's text, most of the file, is encoded while the rest of
    the results is computed, on the other core. :meth:`send` gives the child the rest of the
    results; :meth:`join` waits for the file, encoding the last chunks of the trail here
    meanwhile (this process has nothing else to do then); :meth:`cancel` stops the child
    and removes what it wrote.

    ``behind``: the child runs at a lower priority than this process and its other children
    (``forked.lower_priority``), for a build that is its process's one job: results.json is
    wanted last, while the report's charts (drawn by the charts' child once compute is done)
    and this process's compute and rendering are what the build waits for. At the same
    priority the child took half the other core from the charts' child while it drew, and
    the build waited for the charts."""

    def __init__(self, trail: Any, out_dir: Path, *, behind: bool = False) -> None:
        from envreport.forked import ForkedCall, lower_priority
        from envreport.results.jsonfile import write_results_json_from_trail

        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / "results.json"
        self.trail = trail
        # the results' bytes before and after the trail, from this process to the child
        self.parts_path = out_dir / ".results.json.parts"
        self.parts_path.unlink(missing_ok=True)
        self.sent = self.finished = False
        self.tail = b""
        parent = os.getpid()

        def wait() -> tuple[bytes, bytes]:
            while (ready := self._parts()) is None:
                if os.getppid() != parent:  # the build's process has gone: nothing to wait for
                    raise RuntimeError("the build stopped before its results were complete")
                time.sleep(0.005)
            return ready

        # two pipes: this process asks the child to share the chunks left (once it waits for
        # the file, :meth:`join`); the child says where it stops
        asked, ask = os.pipe()
        told, tell = os.pipe()
        self.ask: int | None = ask
        self.told: int | None = told
        os.set_blocking(asked, False)
        stops: list[int] = []  # (the child's answer, once given)

        def share(number: int, count: int) -> int:
            """In the child, before chunk ``number``: where it stops (``count``: at the end)."""
            if stops:
                return stops[0]
            try:
                asking = os.read(asked, 1)
            except BlockingIOError:  # not asked (yet)
                return count
            # asked: the build takes up to SHARED_CHUNKS of the second half of what is left
            # (an end of the pipe without a word: it will never ask)
            taken = min(SHARED_CHUNKS, (count - number) // 2) if asking else 0
            stops.append(count - taken)
            with contextlib.suppress(OSError):
                os.write(tell, stops[0].to_bytes(8, "big"))
                os.close(tell)
            return stops[0]

        def write() -> None:
            if behind:
                lower_priority(WRITER_NICENESS)
            write_results_json_from_trail(trail, self.path, self._parts, wait, share=share)

        self.call = ForkedCall("writing results.json", write)
        os.close(asked)
        os.close(tell)

    def _parts(self) -> tuple[bytes, bytes] | None:
        """In the child: the parts, once this process has written them (renamed into place
        whole, so never read half-written)."""
        try:
            data = self.parts_path.read_bytes()
        except FileNotFoundError:
            return None
        size = int.from_bytes(data[:8], "big")
        return data[8:8 + size], data[8 + size:]

    def send(self, results: Results) -> None:
        """Give the child the rest of ``results`` (once)."""
        from envreport.results.jsonfile import results_json_parts

        if self.sent:
            return
        head, self.tail = results_json_parts(results)
        pending = self.parts_path.with_name(self.parts_path.name + ".tmp")
        pending.write_bytes(len(head).to_bytes(8, "big") + head + self.tail)
        os.replace(pending, self.parts_path)
        self.sent = True

    def _share(self) -> list[bytes]:
        """The chunks of the trail the child left to this process (asked now), encoded
        here, then the end of the list and the results after the trail: what is appended
        to the child's file. Nothing when the child had too little left, or had finished."""
        from envreport.results.jsonfile import TRAIL_LIST_END, trail_chunk_count, trail_chunks

        ask, told = self.ask, self.told
        self.ask = self.told = None
        if ask is None or told is None:
            return []
        try:
            try:
                os.write(ask, b"s")
            except OSError:  # the child has gone (finished): it wrote everything
                return []
            finally:
                os.close(ask)
            with os.fdopen(told, "rb") as answer:
                told = None
                stop = answer.read(8)
        finally:
            if told is not None:
                os.close(told)
        count = trail_chunk_count(self.trail)
        if len(stop) < 8 or (first := int.from_bytes(stop, "big")) >= count:
            return []
        return [*trail_chunks(self.trail, first, count), TRAIL_LIST_END, self.tail]

    def join(self) -> None:
        """Wait for results.json (the child's failure is raised here)."""
        try:
            rest = self._share() if self.sent else []
            self.call.join()
            if rest:
                with self.path.open("ab") as file:
                    for piece in rest:
                        file.write(piece)
            self.finished = True
        finally:
            self._close_pipes()
            self.parts_path.unlink(missing_ok=True)

    def _close_pipes(self) -> None:
        for end in (self.ask, self.told):
            if end is not None:
                with contextlib.suppress(OSError):
                    os.close(end)
        self.ask = self.told = None

    def cancel(self) -> None:
        self.call.cancel()
        self._close_pipes()
        self.parts_path.unlink(missing_ok=True)
        if not self.finished:  # never a half-written results.json left behind
            self.path.unlink(missing_ok=True)


#: how much lower than the build's the priority of results.json's child is, under the
#: ordinary scheduler (:class:`TrailBeingWritten`'s ``behind``): the reading children's, one
#: fact defined once
WRITER_NICENESS = CHILD_NICENESS

#: the most chunks of the trail's text (``jsonfile.CHUNK_ROWS`` entries each, about 12 MB)
#: the build's process encodes itself while it waits for results.json's child: the second
#: half of what is left when it asks, at most this (what it holds in memory until the child
#: has written the rest)
SHARED_CHUNKS = 4


def write_outputs(submission: Submission, results: Results | dict[str, Any], out_dir: Path,
                  langs: Sequence[str], *, pdf: bool = True,
                  progress: Progress = _noop, trail_text: bytes | None = None,
                  parallel: bool = False,
                  trail_written: TrailBeingWritten | None = None,
                  draw_charts: ChartDrawer | None = None) -> list[Path]:
    """Write results.json and the report in each language into ``out_dir``.

    ``results`` is the model, or its JSON form (results the ledger stored and extended).
    ``trail_text``: the trail of these results already encoded for results.json
    (``jsonfile.trail_json``; the ledger encoded it to store results.json), written as is.
    ``parallel``: results.json is written by a forked child while this process renders the
    report (a build's own process; a batch's tasks already run side by side, one per core).
    ``trail_written``: the trail's text is being written since compute made it; results.json
    is finished around it once the report is rendered.
    ``draw_charts``: how the report's charts are drawn (``render_html``'s).
    """
    from envreport.forked import ForkedCall
    from envreport.results import load_results
    from envreport.results.jsonfile import write_results_json

    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    # results.json is written from the model (its trail column by column, as it is encoded)
    # or from stored results as given; the renderer reads the model (stored results are
    # validated into it once, here).
    model = load_results(results) if isinstance(results, dict) else results
    results_path = out_dir / "results.json"
    writing: ForkedCall | TrailBeingWritten | None = None
    if trail_written is not None and not isinstance(results, dict):
        trail_written.send(results)
        writing = trail_written
    elif parallel and trail_text is None:  # (an encoded trail is only written: nothing to share)
        writing = ForkedCall("writing results.json",
                             lambda: write_results_json(results, results_path))
    else:
        write_results_json(results, results_path, trail_text)
    files.append(results_path)
    try:
        files += _write_reports(submission, results, model, out_dir, langs, pdf=pdf,
                                progress=progress, results_written=writing,
                                draw_charts=draw_charts)
    except Exception:  # results.json is still finished, as when it was written first
        if writing is not None:
            with contextlib.suppress(Exception):  # the report's error is the one to tell
                writing.join()
        raise
    except BaseException:  # interrupted: stopped, no half-written file left behind
        if writing is not None:
            writing.cancel()
            results_path.unlink(missing_ok=True)
        raise
    if writing is not None:
        writing.join()
    _remove_earlier_reports(out_dir, files)
    return files


def _remove_earlier_reports(out_dir: Path, written: list[Path]) -> None:
    """The reports an earlier build left in ``out_dir`` that this one did not write: after a
    build in two languages, one in English writes ``report.html`` beside the earlier
    ``report.en.html`` and ``report.zh.html``; a build ``--no-pdf``, ``report.html`` beside
    the earlier ``report.pdf``. Left, they would pass for this build's report in another
    language or format, with the earlier figures. Only the names :func:`report_names` hands
    out are removed (a folder of such a name is left alone): anything else in ``out_dir`` is
    the user's."""
    # the names of a build in one language (report.html) and of one in several (report.en.html)
    ours = {name for langs in (SUPPORTED_LANGUAGES[:1], SUPPORTED_LANGUAGES)
            for names in report_names(langs).values() for name in names}
    for name in sorted(ours - {path.name for path in written}):
        path = out_dir / name
        if path.is_symlink() or path.is_file():
            path.unlink()


def _write_reports(submission: Submission, results: Results | dict[str, Any], model: Results,
                   out_dir: Path, langs: Sequence[str], *, pdf: bool, progress: Progress,
                   results_written: ForkedCall | TrailBeingWritten | None,
                   draw_charts: ChartDrawer | None = None) -> list[Path]:
    """The report (HTML, and PDF with its attachments) in each language."""
    from envreport.render import render_html, trail_csv  # heavy: only when rendering
    from envreport.validate.report import validation_report

    files: list[Path] = []
    results_path = out_dir / "results.json"
    # each language's validation report is made once (English is also the PDFs' attachment)
    validations = {lang: validation_report(submission, lang) for lang in langs}
    # the same attachments in every language: made (and results.json read back) once, for
    # the first PDF
    attachments: list[tuple[str, bytes, str]] | None = None
    for lang, (html_name, pdf_name) in report_names(langs).items():
        progress(f"render:{lang}")
        html = render_html(model, lang, validation=validations[lang], languages=list(langs),
                           draw_charts=draw_charts)
        html_path = out_dir / html_name
        html_path.write_text(html, encoding="utf-8")
        files.append(html_path)
        if pdf:
            from envreport.render import write_pdf  # WeasyPrint: only when a PDF is wanted

            progress(f"pdf:{lang}")
            pdf_path = out_dir / pdf_name
            if attachments is None:
                validation = validations.get("en") or validation_report(submission)
                others = [("validation.json",
                           json.dumps(validation, ensure_ascii=False, indent=2).encode(),
                           "Validation report of the input workbook"),
                          ("calculations.csv", trail_csv(results), "Row-level calculation trail")]
                if results_written is not None:  # the PDF carries results.json: finished first
                    results_written.join()
                attachments = [("results.json", results_path.read_bytes(),
                                "Every figure of this report (results.json)"), *others]
            write_pdf(html, pdf_path, attachments=attachments, created=pdf_creation_time())
            files.append(pdf_path)
    return files


def build_report(path: Path | str, out_dir: Path | str, langs: Sequence[str] | None = None, *,
                 pdf: bool = True, progress: Progress = _noop,
                 process_ends: bool = False, started: WorkbookRead | None = None
                 ) -> BuildOutcome:
    """Validate ``path``, compute its figures and write the report into ``out_dir``.

    ``langs`` defaults to the workbook's ``report_languages``. Raises
    :class:`InvalidSubmissionError` when the workbook has errors (nothing is written).
    ``process_ends``: the build is its process's one job (the CLI), so its memory allocator
    may keep what it frees for reuse (``forked.keep_freed_memory``: about 0.2 s of a
    500 000-row compute; set once the reading children are forked, which are unchanged),
    and its validation shares a large workbook's checks with a forked child on the other
    core, as ``envreport validate`` does (a batch's builds already run one per core).
    ``started``: the read of ``path``, already started by the caller (the CLI starts it
    before parsing its arguments: :func:`read_and_validate`).
    """
    from envreport.forked import fork_available

    # a build that is its process's one job compiles the templates in a forked child
    compile_elsewhere = process_ends and fork_available()
    elsewhere: list[RenderingElsewhere] = []

    def meanwhile() -> None:
        if (children := prepare_rendering(langs, elsewhere=compile_elsewhere)) is not None:
            elsewhere.append(children)
        # compute's modules too (about 0.03 s), while the workbook is read: this process
        # waits for the reading child then
        import envreport.metrics  # noqa: F401
        if process_ends:
            from envreport.forked import keep_freed_memory

            keep_freed_memory()

    def workbook_read(checks_forked: bool) -> None:
        # the charts' child prepares now (see RenderingElsewhere.workbook_read), unless the
        # checks across sheets are shared with a forked child: then once they are done
        if not checks_forked:
            for children in elsewhere:
                children.workbook_read()

    trail_written: list[TrailBeingWritten] = []  # started by compute once the trail is made
    try:
        with (pandas_without_arrow() if process_ends and _small_workbook(path)
              else contextlib.nullcontext()):
            submission = read_and_validate(path, progress, meanwhile, parallel=process_ends,
                                           process_ends=process_ends, started=started,
                                           read=workbook_read)[1]
        if not submission.valid:
            raise InvalidSubmissionError(submission)
        for children in elsewhere:  # (told already unless the checks were shared)
            children.workbook_read()
        assert submission.organization is not None
        from envreport.metrics import compute  # not at module level: see the imports above

        progress("compute")
        out = Path(out_dir)
        results = compute(submission, trail_ready=(
            (lambda trail: trail_written.append(
                TrailBeingWritten(trail, out, behind=process_ends)))
            if fork_available() else None))
        for children in elsewhere:
            use_compiled_templates(children.templates)
        chosen = list(langs or submission.organization.report_languages)
        files = write_outputs(submission, results, out, chosen, pdf=pdf, progress=progress,
                              parallel=True,
                              trail_written=trail_written[0] if trail_written else None,
                              draw_charts=elsewhere[0].draw_charts if elsewhere else None)
    except BaseException:
        for writing in trail_written:  # (a no-op once results.json is finished)
            writing.cancel()
        raise
    finally:
        for children in elsewhere:
            children.close()
    return BuildOutcome(submission, results, files)
