"""The report: typed results → self-contained HTML → PDF (plus the calculation trail CSV).

Public API (called by the pipeline):

- :func:`render_html` — one self-contained HTML page (inline CSS and SVG charts, nothing
  fetched), deterministic byte for byte;
- :func:`write_pdf` — the HTML as an A4 PDF/A-3b with attachments;
- :func:`trail_csv` — the full row-level calculation trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from envreport.i18n import check_language
from envreport.render.context import HTML_TRAIL_ROW_LIMIT, build_context, chart_context
from envreport.render.environment import (
    PAGE_COUNT,
    PAGE_NUMBER,
    make_environment,
    shared_environment,
)
from envreport.render.fonts import MissingFontError, cjk_font_path, require_fonts
from envreport.render.formatters import Formatters
from envreport.render.periods import history_chart, periods_context
from envreport.render.trail import trail_csv
from envreport.results import Results, load_results

__all__ = [
    "HTML_TRAIL_ROW_LIMIT",
    "ChartDrawer",
    "ChartsOnFirstUse",
    "MissingFontError",
    "cjk_font_path",
    "compile_report_templates",
    "compile_report_templates_stepwise",
    "draw_charts_here",
    "make_environment",
    "render_html",
    "shared_environment",
    "trail_csv",
    "write_pdf",
]


def compile_report_templates(langs: Iterable[str]) -> None:
    """Compile the report's templates (not the portal's) in each of ``langs`` now."""
    for lang in langs:
        for step in compile_report_templates_stepwise(lang):
            step()


def compile_report_templates_stepwise(lang: str) -> Iterator[Callable[[], None]]:
    """Compiling the report's templates (not the portal's) in ``lang``, one template a step:
    a warm-up taken between other work (a batch's, between its reads)."""
    from envreport.render.environment import template_names

    env = shared_environment(lang)
    for name in template_names(env, exclude="portal/"):
        def compile_template(name: str = name) -> None:
            env.get_template(name)
        yield compile_template


#: Starts drawing every chart of the report from its part of the context
#: (:func:`context.chart_context`, as :func:`charts.all_charts` reads it) and returns at
#: once a function that gives the charts, waiting for them if need be.
ChartDrawer = Callable[[dict[str, Any], Formatters], Callable[[], dict[str, Markup | None]]]


def draw_charts_here(context: dict[str, Any], fmt: Formatters) -> dict[str, Markup | None]:
    """Every chart of the report, drawn in this process (matplotlib: imported on first use,
    about 0.3 s of CPU, so that a build whose charts a child draws never imports it)."""
    require_fonts()
    from envreport.render.charts import all_charts

    return all_charts(context, fmt)


class ChartsOnFirstUse(Mapping[str, Markup | None]):
    """The report's charts as the template reads them (``charts.monthly``), awaited from the
    drawing (a :data:`ChartDrawer`'s answer) only when the template first reads one; ``more``
    are charts already drawn here."""

    def __init__(self, drawing: Callable[[], dict[str, Markup | None]],
                 more: dict[str, Markup | None]) -> None:
        self._drawing, self._more = drawing, more
        self._charts: dict[str, Markup | None] | None = None

    def _drawn(self) -> dict[str, Markup | None]:
        if self._charts is None:
            self._charts = {**self._drawing(), **self._more}
        return self._charts

    def __getitem__(self, name: str) -> Markup | None:
        return self._drawn()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._drawn())

    def __len__(self) -> int:
        return len(self._drawn())


def __getattr__(name: str) -> Any:
    """``write_pdf`` is imported on first use: WeasyPrint's import costs about half a second,
    which ``build --no-pdf`` and ``batch --no-pdf`` should not pay."""
    if name == "write_pdf":
        from envreport.render.pdf import write_pdf

        return write_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_html(
    results: Results | dict[str, Any],
    lang: str,
    *,
    validation: dict[str, Any] | None = None,
    user_templates: Path | None = None,
    languages: list[str] | None = None,
    draw_charts: ChartDrawer | None = None,
) -> str:
    """The report for ``results`` (the model or its results.json content) in ``lang`` as one
    HTML document.

    ``validation`` is the ``validate --format json`` object (README) for the data-quality
    section. Templates in ``user_templates`` override the built-in ones of the same name.
    ``languages`` are all the languages of this build, named on the cover.
    ``draw_charts``: draws the charts instead of :func:`charts.all_charts` here (a build's
    child process that has matplotlib imported: ``pipeline``), checking the fonts itself;
    started before the rest of the context is made, and awaited after.
    """
    check_language(lang)
    if draw_charts is None:
        require_fonts()
    if not isinstance(results, Results):
        # stored results (the ledger's, of any schema version) through the one migration
        results = load_results(results)
    fmt = Formatters(lang)
    charted = chart_context(results, lang)
    # Comparison with earlier periods (results from build --ledger); None without them.
    periods = periods_context(results, fmt)
    if draw_charts is None:
        context = build_context(results, lang, validation, languages, charted)
        charts = draw_charts_here(charted, fmt)
        charts["history"] = history_chart(periods, fmt)
        context["charts"] = charts
    else:  # drawn elsewhere while the rest of the context is made here, and the template
        # renders what comes before its first chart (the appendix first: report.html)
        drawing = draw_charts(charted, fmt)
        context = build_context(results, lang, validation, languages, charted)
        context["charts"] = ChartsOnFirstUse(drawing, {"history": history_chart(periods, fmt)})
    context["periods"] = periods
    context["page_no"] = PAGE_NUMBER
    context["page_count"] = PAGE_COUNT
    env = shared_environment(lang, user_templates)
    return env.get_template("report.html").render(**context)
