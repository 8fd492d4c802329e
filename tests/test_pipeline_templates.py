"""The report's rendering prepared by forked children while a build validates and computes.

A build that is its process's one job (the CLI's) compiles the templates in a child on the
other core (unless an earlier run kept their code: ``render.template_cache``) and loads its
code through Jinja's bytecode cache (``render.template_cache.TemplateCode``), and its charts
are drawn by a child that imported matplotlib meanwhile (``forked.ForkedServer``). The
report must be the same bytes, the build's own process must compile nothing and never import
matplotlib, a child that fails must cost only time, and a template changed since the child
compiled it must be compiled again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from envreport.forked import ForkedCall, ForkedCallError, ForkedServer
from envreport.pipeline import build_report
from envreport.render.environment import compiled_template_code, make_environment
from envreport.render.template_cache import TemplateCode
from tests.conftest import ROOT, SAMPLES

WORKBOOK = SAMPLES / "group" / "sre.xlsx"

# Builds WORKBOOK as the CLI does (process_ends) and prints how many templates this process
# compiled itself and whether it imported matplotlib; with "fail", both children fail.
_PROBE = """
import json, sys, jinja2
import envreport.rendering_ahead as rendering_ahead
import envreport.render.environment as environment
compiled = []
original = jinja2.Environment.compile
def counting(self, source, name=None, *args, **kwargs):
    compiled.append(name)
    return original(self, source, name, *args, **kwargs)
jinja2.Environment.compile = counting
if sys.argv[3] == "fail":
    def failing(langs):
        raise RuntimeError("no templates here")
    environment.compiled_template_code = failing
    rendering_ahead._draw_charts = failing
from envreport.forked import ForkedCall, ForkedCallError, ForkedServer
from envreport.pipeline import build_report
build_report(sys.argv[1], sys.argv[2], ["en"], pdf=False, process_ends=True)
print(json.dumps([len(compiled), "matplotlib" in sys.modules]))
"""


# Builds WORKBOOK as the CLI does and prints, in order, when validation finished and when the
# charts' child was told to prepare.
_ORDER_PROBE = """
import json, sys
import envreport.rendering_ahead as rendering_ahead
import envreport.validate as validate
from envreport.pipeline import build_report
events = []
finish, tell = validate.Validation.finish, rendering_ahead.RenderingElsewhere.workbook_read
def finishing(self, raw):
    submission = finish(self, raw)
    events.append("validated")
    return submission
def telling(self):
    if self.read_signal is not None:
        events.append("charts' child told")
    tell(self)
validate.Validation.finish = finishing
rendering_ahead.RenderingElsewhere.workbook_read = telling
if sys.argv[3] == "shared":  # the checks shared with a forked child, as a large workbook's
    validate.PARALLEL_MIN_CELLS = 0
build_report(sys.argv[1], sys.argv[2], ["en"], pdf=False, process_ends=True)
print(json.dumps(events))
"""


def _build_in_own_process(out: Path, mode: str) -> tuple[int, bool]:
    """Templates the build's own process compiled, and whether it imported matplotlib
    (with "fail", no template code kept from earlier runs is used either)."""
    environ = dict(os.environ, **({"ENVREPORT_NO_CACHE": "1"} if mode == "fail" else {}))
    done = subprocess.run([sys.executable, "-c", _PROBE, str(WORKBOOK), str(out), mode],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                          env=environ)
    assert done.returncode == 0, done.stderr
    compiled, matplotlib = json.loads(done.stdout.splitlines()[-1])
    return compiled, matplotlib


@pytest.fixture(scope="module")
def built_here(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """WORKBOOK built in this process, as a library call does (no children): the report
    each build of its own process must equal, made once for the module's two such builds."""
    here = tmp_path_factory.mktemp("built") / "here"
    build_report(WORKBOOK, here, ["en"], pdf=False)
    return here


def test_a_build_of_its_own_process_compiles_no_template_and_writes_the_same_report(
        tmp_path: Path, built_here: Path) -> None:
    assert _build_in_own_process(tmp_path / "child", "ok") == (0, False)
    for name in ("report.html", "results.json"):
        assert (tmp_path / "child" / name).read_bytes() == (built_here / name).read_bytes()


def test_a_failed_child_costs_only_time(tmp_path: Path, built_here: Path) -> None:
    # every template the report uses is compiled, and the charts drawn, in the build's own
    # process instead
    compiled, matplotlib = _build_in_own_process(tmp_path / "failed", "fail")
    assert compiled >= 20
    assert matplotlib
    assert ((tmp_path / "failed" / "report.html").read_bytes()
            == (built_here / "report.html").read_bytes())


def test_the_childs_code_is_what_the_environment_compiles_itself() -> None:
    codes = compiled_template_code(["en", "zh"])
    # compiled once for both: no filter is evaluated while compiling, so the code does not
    # depend on the language (tests/test_template_cache.py)
    assert codes["en"] is codes["zh"]
    for lang in ("en", "zh"):
        env = make_environment(lang)
        # every template of the report; the portal's pages and the batch's status board are
        # not the report's (a build does not render them: NOT_THE_REPORTS)
        names = env.list_templates(filter_func=lambda n: n.endswith((".html", ".css"))
                                   and not n.startswith(("portal/", "status/")))
        assert len(codes[lang]) == len(names) > 20
        cache = TemplateCode()
        cache.codes.update(codes[lang])
        for name in names:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            bucket = cache.get_bucket(env, name, filename, source)
            assert bucket.code == env.compile(source, name, filename), (lang, name)


def test_a_template_changed_since_it_was_compiled_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("before {{ x }}", encoding="utf-8")
    first = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    first.bytecode_cache = compiled = TemplateCode()
    assert first.get_template("page.html").render(x=1) == "before 1"
    assert len(compiled.codes) == 1

    page.write_text("after {{ x }}", encoding="utf-8")
    second = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    second.bytecode_cache = handed = TemplateCode()
    handed.codes.update(compiled.codes)
    assert second.get_template("page.html").render(x=2) == "after 2"
    # and an unchanged one is loaded from the code handed over, not compiled
    third = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    third.bytecode_cache = again = TemplateCode()
    again.codes.update(handed.codes)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    setattr(third, "compile", refuse)  # noqa: B010 - an instance attribute over the method
    assert third.get_template("page.html").render(x=3) == "after 3"


def _double(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} is negative")
    return 2 * value


def test_a_forked_server_answers_each_request_and_raises_its_errors() -> None:
    prepared: list[int] = []
    server = ForkedServer("doubling", lambda: prepared.append(os.getpid()), _double)
    try:
        assert [server.call(n) for n in (1, 2, 21)] == [2, 4, 42]
        with pytest.raises(ValueError, match="-1 is negative"):
            server.call(-1)
        assert server.call(5) == 10  # a failed request leaves the child serving
        assert prepared == []  # prepared in the child, not here
    finally:
        server.close()
    with pytest.raises(ForkedCallError):
        server.call(1)


def test_a_forked_servers_failed_preparation_is_raised_by_each_call() -> None:
    def unprepared() -> None:
        raise RuntimeError("no matplotlib")

    server = ForkedServer("drawing", unprepared, _double)
    try:
        for _ in range(2):
            with pytest.raises(RuntimeError, match="no matplotlib"):
                server.call(1)
    finally:
        server.close()


def test_a_forked_server_that_died_is_a_forked_call_error() -> None:
    server = ForkedServer("doubling", lambda: None, _double)
    assert server.pid is not None
    os.kill(server.pid, signal.SIGKILL)
    with pytest.raises(ForkedCallError, match="doubling stopped without answering"):
        server.call(1)
    server.close()  # (already reaped: nothing left to do)


def test_a_forked_server_leaves_ctrl_c_to_its_parent() -> None:
    # Ctrl-C reaches the whole process group: the parent stops its build and with it the
    # child (close); the child must never act on it itself (a KeyboardInterrupt in the
    # child, just forked, would run the parent's code on there)
    server = ForkedServer("doubling", lambda: None, _double)
    try:
        assert server.pid is not None
        os.kill(server.pid, signal.SIGINT)
        assert server.call(2) == 4
    finally:
        server.close()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # here, as it was


def test_a_forked_call_interrupted_while_its_answer_waits_ends_there() -> None:
    # The templates' child answers more than a pipe holds, so it waits in its write until
    # the build joins it; Ctrl-C then must end it there, never run the build's code on in
    # it (which stopped the build's other children and said "cannot write" on exit)
    call = ForkedCall("a large answer", lambda: b"x" * (1 << 20))
    pid, pipe = call.pid, call.pipe
    assert pid is not None
    assert pipe is not None
    time.sleep(0.5)  # the child is waiting in its write
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    ended, status = os.waitpid(pid, os.WNOHANG)
    while not ended and time.monotonic() < deadline:  # a child that ignored it: fail, not hang
        time.sleep(0.05)
        ended, status = os.waitpid(pid, os.WNOHANG)
    if not ended:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pipe)
        pytest.fail("the child went on writing its answer after Ctrl-C")
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 1
    os.close(pipe)
    call.pid = call.pipe = None


def test_a_forked_server_answers_requests_sent_ahead_in_their_order() -> None:
    # a build sends the charts' request, makes the rest of the context, then takes the answer
    server = ForkedServer("doubling", lambda: None, _double)
    try:
        server.send(3)
        server.send(-2)
        server.send(4)
        assert server.answer() == 6
        with pytest.raises(ValueError, match="-2 is negative"):
            server.answer()
        assert server.answer() == 8
    finally:
        server.close()
    with pytest.raises(ForkedCallError):
        server.send(1)


def test_the_charts_drawn_elsewhere_are_awaited_when_the_template_first_reads_one() -> None:
    from markupsafe import Markup

    from envreport.render import ChartsOnFirstUse

    asked: list[int] = []

    def drawing() -> dict[str, Markup | None]:
        asked.append(1)
        return {"monthly": Markup("<svg/>"), "water": None}

    charts = ChartsOnFirstUse(drawing, {"history": None})
    assert asked == []  # nothing awaited until a chart is read
    env = Environment(autoescape=True)
    page = env.from_string("{{ charts.monthly }}|{{ charts.water is none }}|"
                           "{{ charts.history is none }}|{{ charts|length }}")
    assert page.render(charts=charts) == "<svg/>|True|True|3"
    assert asked == [1]  # awaited once


# The charts' child's preparation (rendering_ahead._prepare_charts) in a fresh interpreter, where
# matplotlib is first imported: what its artists' `set` methods then say and accept.
_CHARTS_CHILD = """
import inspect, json
from envreport.rendering_ahead import _prepare_charts
_prepare_charts(["en"])
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
line = Figure().add_subplot().plot([0, 1], [1, 2])[0]
line.set(linewidth=3.5, color="#1b6f5c")
line.set(ls="--")  # an alias, as matplotlib's own `set` takes it
try:
    line.set(thickness=2)
    unknown = ""
except AttributeError as error:
    unknown = str(error)
print(json.dumps([Line2D.set.__doc__, list(inspect.signature(Line2D.set).parameters),
                  line.get_linewidth(), line.get_color(), line.get_linestyle(), unknown]))
"""


def test_the_charts_child_imports_matplotlib_without_its_property_lists() -> None:
    # matplotlib writes every artist's settable properties into the docstring of its `set`
    # method as the class is defined (a third of its import), and a signature naming each
    # of them (a fifth of the rest); the charts' child, which only draws, skips both. The
    # report drawn by such a child is byte-identical (the build-of-its-own-process test
    # above); what `set` sets, its aliases and its error for an unknown property are unchanged
    done = subprocess.run([sys.executable, "-c", _CHARTS_CHILD], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    doc, parameters, width, color, style, unknown = json.loads(done.stdout.splitlines()[-1])
    assert doc is None
    assert parameters == ["self", "kwargs"]
    assert (width, color, style) == (3.5, "#1b6f5c", "--")
    assert unknown == "Line2D.set() got an unexpected keyword argument 'thickness'"
    # in this process (matplotlib imported as usual, with its documentation) the same
    # method lists every property, in its docstring and its signature
    import inspect

    from matplotlib.lines import Line2D

    assert "Supported properties are\n\nProperties:\n" in (Line2D.set.__doc__ or "")
    assert "\n    linewidth: float\n" in (Line2D.set.__doc__ or "")
    assert {"self", "linewidth", "color", "xdata", "antialiased"} <= set(
        inspect.signature(Line2D.set).parameters)


def test_a_process_that_imported_matplotlib_keeps_its_documentation() -> None:
    import matplotlib.artist

    from envreport.rendering_ahead import _without_artist_property_docs

    documenting = matplotlib.artist.kwdoc
    signing = matplotlib.artist.Artist.__dict__["_update_set_signature_and_docstring"]
    _without_artist_property_docs()
    assert matplotlib.artist.kwdoc is documenting
    assert matplotlib.artist.Artist.__dict__["_update_set_signature_and_docstring"] is signing


def test_the_languages_asked_for_are_loaded_before_the_rendering_children_are_forked() -> None:
    # babel's data and the translations of each language of --lang are loaded once, in the
    # build's process, before it forks the templates' and the charts' children, which
    # inherit them (each used to load them for itself, and the build again after compute)
    from envreport import i18n, rendering_ahead
    from envreport.render import formatters

    for cached in (i18n._catalogue, formatters._babel_locale, formatters._western_digits):
        cached.cache_clear()
    children = rendering_ahead.prepare_rendering(["zh"], elsewhere=True)
    assert children is not None
    children.close()
    assert i18n._catalogue.cache_info().currsize == 1  # zh's, read from its .po files
    assert formatters._western_digits.cache_info().currsize == 1
    # without --lang the workbook's languages are not known: nothing is loaded ahead
    i18n._catalogue.cache_clear()
    children = rendering_ahead.prepare_rendering(None, elsewhere=True)
    assert children is not None
    children.close()
    assert i18n._catalogue.cache_info().currsize == 0
    i18n.load_translations("en")  # English is the source: no catalogue to read
    assert i18n._catalogue.cache_info().currsize == 0


@pytest.mark.parametrize(("checks", "order"), [
    ("shared", ["validated", "charts' child told"]),
    ("here", ["charts' child told", "validated"])])
def test_the_build_tells_the_charts_child_once_the_checks_forked_child_is_done(
        tmp_path: Path, checks: str, order: list[str]) -> None:
    # the checks across sheets that a large workbook shares with a forked child come first
    # (matplotlib's import beside them made the build wait for them); a small workbook's
    # checks stay in the build's process, and the child prepares beside them
    done = subprocess.run([sys.executable, "-c", _ORDER_PROBE, str(WORKBOOK), str(tmp_path),
                           checks], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == order
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "results.json"]


def test_the_charts_child_prepares_once_the_workbook_is_read() -> None:
    # while the workbook is read both cores are busy (the reading child, validation): the
    # charts' child waits for the build's word (the end of a pipe) before importing
    # matplotlib, on the core that validation's checks and compute leave free
    import threading

    from envreport.rendering_ahead import _prepare_charts

    waiting, told = os.pipe()
    childs_copy = os.dup(told)  # what the forked child inherits (and closes)
    prepared = threading.Event()

    def child() -> None:
        _prepare_charts(["en"], (waiting, childs_copy))
        prepared.set()

    thread = threading.Thread(target=child)
    thread.start()
    try:
        assert not prepared.wait(0.3)  # waits while the workbook is read
    finally:
        os.close(told)  # RenderingElsewhere.workbook_read
    assert prepared.wait(120)
    thread.join()
