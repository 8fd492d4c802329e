"""The rendering a build prepares while its workbook is read, in forked children.

One child compiles the report's templates (their code comes back to the build's Jinja
environments) unless an earlier run kept their code (``render.template_cache``: then it is
read in this process, a few milliseconds); the other imports matplotlib and then draws each
context's charts it is sent, so that the build's own process never imports matplotlib; the
data of each language asked for is loaded before either is forked, which inherit it. A
child that fails or dies costs only time: the build compiles or draws for itself. Used by
:func:`envreport.pipeline.build_report`; Linux only, as :mod:`envreport.forked`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markupsafe import Markup

    from envreport.forked import ForkedCall, ForkedServer
    from envreport.render.formatters import Formatters


@dataclass
class RenderingElsewhere:
    """The children of a build that prepare its rendering beside it
    (:func:`prepare_rendering`): one compiles the templates (None: their code was kept by
    an earlier run, and is read), one imports matplotlib and then draws the charts it is
    sent."""

    templates: ForkedCall | None
    charts: ForkedServer
    #: the pipe that tells the charts' child the workbook is read and validated (its write
    #: end; None once told): see :func:`_prepare_charts`
    read_signal: int | None = None

    def workbook_read(self) -> None:
        """Tell the charts' child that the workbook is read (and validated, when its checks
        are shared with a forked child): it prepares now.

        Not before: until then both cores are busy, reading the workbook, then with the
        checks across sheets that a large workbook shares with a forked child (which the
        build waits for: matplotlib's import beside it made it 0.04-0.1 s later). Compute,
        which comes next, leaves the other core free; the charts are wanted after it. A
        small workbook's checks stay in the build's process: the child is told once the
        workbook is read (told only after them, a 10 000-row build waited for the charts'
        preparation)."""
        if self.read_signal is not None:
            os.close(self.read_signal)  # (the child waits for the end of the pipe)
            self.read_signal = None

    def draw_charts(self, context: dict[str, Any], fmt: Formatters
                    ) -> Callable[[], dict[str, Markup | None]]:
        """The report's charts, sent to the child to draw while this process goes on; the
        function returned waits for them. Drawn here when the child cannot (it died, or
        failed: the failure is then raised here as it would have been)."""
        from envreport.render import draw_charts_here

        try:
            self.charts.send((context, fmt.lang))
        except Exception:
            return lambda: draw_charts_here(context, fmt)

        def drawn() -> dict[str, Markup | None]:
            try:
                charts: dict[str, Markup | None] = self.charts.answer()
            except Exception:
                return draw_charts_here(context, fmt)
            return charts

        return drawn

    def close(self) -> None:
        self.workbook_read()
        if self.templates is not None:
            self.templates.cancel()  # (no-ops once their work is taken)
        self.charts.close()


def prepare_rendering(langs: Sequence[str] | None, *, elsewhere: bool = False
                       ) -> RenderingElsewhere | None:
    """What rendering needs, made while the workbook is read: the renderer's modules
    (matplotlib, babel, Jinja: about a second) and the templates of the languages asked
    for (the workbook's own are known once it is validated).

    ``elsewhere``: by forked children, beside this process's validation and compute: the
    templates compiled (:func:`use_compiled_templates` takes their code; in every language
    when none is asked for), and matplotlib imported by the child that will draw the charts
    (this process never imports it); returned."""
    from envreport.i18n import SUPPORTED_LANGUAGES, load_translations
    from envreport.render import compile_report_templates

    # an unknown language is reported where the report is rendered, as before
    known = [lang for lang in langs or () if lang in SUPPORTED_LANGUAGES]
    if not elsewhere:
        import envreport.render.charts  # matplotlib  # noqa: F401
        compile_report_templates(known)
        return None
    from envreport.forked import ForkedCall, ForkedServer
    from envreport.render.environment import (
        NOT_THE_REPORTS,
        compiled_template_code,
        kept_template_code,
    )
    from envreport.render.formatters import Formatters

    wanted = known if langs is not None else list(SUPPORTED_LANGUAGES)
    for lang in known:
        # The data of each language asked for, loaded once, here, before the forks: babel's
        # CLDR tables (14 ms of CPU for English) and envreport's translations (read from the
        # .po files: 48 ms for Chinese). The charts' child formats its labels, and this
        # process the report: each loaded them for itself, this one after compute, while the
        # build waits. (Without --lang the workbook's languages are not known yet: nothing
        # is loaded ahead.)
        Formatters(lang).number(1.5)  # any number: babel's locale and number data read
        load_translations(lang)
    # The charts' child prepares (matplotlib's import: 0.15-0.25 s of CPU) once the workbook
    # is read and validated (RenderingElsewhere.workbook_read): while this process computes,
    # the other core is free.
    signal_in, signal_out = os.pipe()
    charts = ForkedServer("drawing the report's charts",
                          lambda: _prepare_charts(wanted, (signal_in, signal_out)), _draw_charts)
    os.close(signal_in)
    report_templates = NOT_THE_REPORTS + _NOT_IN_ONE_WORKBOOKS_REPORT
    templates: ForkedCall | None = None
    if not kept_template_code(wanted, report_templates):
        # at this process's priority (not a step below, as the reading children): on a
        # machine busy with other work, a lower priority left the build waiting for the code
        templates = ForkedCall("compiling the report's templates",
                               lambda: compiled_template_code(wanted, report_templates))
    return RenderingElsewhere(templates, charts, signal_out)


#: report templates that the report of one workbook built on its own never renders: the
#: comparison with earlier periods (a ledger's build) and the group's structure (a batch's
#: group report). The templates' child leaves them out (an eighth of its compiling, on the
#: core that also imports matplotlib); one rendered after all is compiled where it is.
_NOT_IN_ONE_WORKBOOKS_REPORT = ("sections/comparison.html", "sections/group.html")


def _prepare_charts(langs: list[str], read_signal: tuple[int, int] | None = None) -> None:
    """In the charts' child, before it is sent anything: matplotlib imported, its font list
    read and the fonts of each language found (what the first chart would do first).
    ``read_signal``: a pipe (its two ends) whose end the build closes once the workbook is
    read and validated (:meth:`RenderingElsewhere.workbook_read`; or by ending): waited for
    first."""
    if read_signal is not None:
        waiting, told = read_signal
        os.close(told)  # (this child's copy: the pipe ends when the build's is closed)
        with contextlib.suppress(OSError):
            os.read(waiting, 1)
        os.close(waiting)
    _without_artist_property_docs()
    import envreport.render.charts  # noqa: F401 - matplotlib
    from envreport.render.fonts import chart_font_families, require_fonts

    require_fonts()
    for lang in langs:
        chart_font_families(lang)


def _without_artist_property_docs() -> None:
    """matplotlib imported, in the charts' child, without the property lists of its
    artists' docstrings and ``set`` signatures.

    As each of matplotlib's artist classes is defined (about 120 at its import), it writes
    the docstring of the class's ``set`` method: every settable property with the values it
    accepts, read from each setter's own docstring (``matplotlib.artist.kwdoc``). That is
    about a third of the import's CPU (0.06-0.08 s of 0.24-0.30 s), for text nothing in a
    child that only draws charts reads. The signature it gives ``set`` (every property a
    keyword, found by reading every method's docstring for aliases) was a fifth of what was
    left (about 0.035 s). The ``set`` methods set what they did and every drawing is as
    before (the report's SVG is byte-identical); ``inspect.signature`` of one says
    ``(self, **kwargs)``. Only for that child: a process where matplotlib may be used
    interactively keeps its documentation."""
    if "matplotlib" in sys.modules:  # imported already: its classes have their docstrings
        return
    import matplotlib.artist

    # A module function of matplotlib's, replaced for good in this child (nothing there
    # reads the docs). As checked in matplotlib 3.11.2: Artist.__init_subclass__ calls
    # _update_set_signature_and_docstring, which looks kwdoc up in matplotlib.artist as
    # each class is defined. Should a release stop doing so, the child is only slower
    # again, and test_the_charts_child_imports_matplotlib_without_its_property_lists fails.
    matplotlib.artist.kwdoc = _no_property_list
    # The signature of each class's `set` (every property a keyword) is introspection's
    # alone, as its docstring: matplotlib reads neither to set or draw, and making it was a
    # fifth of the import's CPU left (each class's methods listed, their docstrings read to
    # find the aliases, a Parameter per property). Replaced in this child as kwdoc is, and
    # checked by the same test: a release that renames the hook leaves the child slower.
    matplotlib.artist.Artist._update_set_signature_and_docstring = (  # type: ignore[attr-defined]
        classmethod(_set_without_signature))


def _no_property_list(artist: object) -> str:
    """``matplotlib.artist.kwdoc`` in the charts' child: see
    :func:`_without_artist_property_docs`."""
    return ""


def _set_without_signature(cls: type) -> None:
    """``Artist._update_set_signature_and_docstring`` in the charts' child: the class's
    ``set`` (which sets what it is given as matplotlib's does) only marked as matplotlib's own,
    as the original marks it, so that each subclass gets its own too; no signature listing
    the properties, no docstring (see :func:`_without_artist_property_docs`)."""
    # a function object takes any attribute; typeshed's Callable declares none
    cls.set._autogenerated_signature = True  # type: ignore[attr-defined]


def _draw_charts(request: tuple[dict[str, Any], str]) -> dict[str, Markup | None]:
    """In the charts' child: every chart of a context, in its language."""
    from envreport.render import draw_charts_here
    from envreport.render.formatters import Formatters

    context, lang = request
    return draw_charts_here(context, Formatters(lang))


def use_compiled_templates(compiling: ForkedCall | None) -> None:
    """The templates' code from the child of :func:`prepare_rendering` used by the report's
    environments (None: no child, the code kept by an earlier run was read). A child that
    failed or died costs only time: the templates are then compiled here as they are
    rendered (a template's own error is raised there)."""
    from envreport.render.environment import use_compiled_template_code

    if compiling is None:
        return
    try:
        codes = compiling.join()
    except Exception:  # compiled here instead (see the docstring)
        return
    use_compiled_template_code(codes)
