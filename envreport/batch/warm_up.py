"""The batch process's warm-up: what its task processes need, imported and compiled once.

Each task is forked from the batch's process and starts with what that process has loaded:
a forked worker builds a report about 1.5 times faster than one that imports and loads for
itself. Reading needs little and is loaded before the first task (:func:`warm_up_reading`);
what the reports need comes in short steps while the workbooks are read
(:func:`warm_up_reports`, :meth:`~envreport.batch.isolate.TaskRunner.run`'s ``meanwhile``),
and a language asked for late is compiled before the builds (:func:`compile_missing`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envreport.batch.jobs import Inspected


def warm_up_reading() -> None:
    """Import what reading and validating a workbook needs, once, here: each task's process is
    forked from this one and starts with it (a forked worker built a report about 1.5 times
    faster than one that imports and loads for itself). Only that: it is done before the
    first task is forked, while the other cores wait (the annotated copies' openpyxl, 0.13 s
    of CPU, is a step of the report warm-up: a read never writes a workbook)."""
    # imported for the forked tasks
    import envreport.pipeline  # noqa: F401
    from envreport.factors import load_library
    from envreport.i18n import SUPPORTED_LANGUAGES, load_translations

    load_library()
    for lang in SUPPORTED_LANGUAGES:
        load_translations(lang)


#: What a report's build imports beyond the warm-up for reading, in the order the imports
#: nest: each a step of the warm-up (0.05-0.1 s here, except WeasyPrint's own, about 0.35 s:
#: its cffi declarations are one module). Importing a module that a later one imports anyway
#: only cuts that import into parts; a name a later release of a library drops is skipped.
_CHART_MODULES = ("matplotlib", "matplotlib.text", "matplotlib.axes", "matplotlib.figure",
                  "envreport.render.charts")
_PDF_MODULES = ("fontTools.subset", "tinyhtml5", "tinycss2", "cssselect2",
                "envreport.render.pdf")
#: The annotated copies' writer (openpyxl): for the build tasks, never a read.
_ANNOTATING_MODULES = ("openpyxl", "envreport.workbook")


def warm_up_reports(pdf: bool, first: str,
                     languages: Callable[[], Collection[str]]) -> Iterator[Callable[[], None]]:
    """Import and compile what building a report needs, for the build tasks forked after it,
    in steps of about a tenth of a second or less.

    Done while the workbooks are being read (:meth:`TaskRunner.run`'s ``meanwhile``), so that
    it is not a serial step before them: per build task it saves WeasyPrint's import (about
    1.4 s of CPU) and compiling the report's templates (0.3 s per language). In short steps,
    so that a reading task that finishes meanwhile is followed by the next one at once (a
    step is one template or one module). The templates of ``first`` are compiled first; each
    other language's only if ``languages()``, asked when its turn comes, names it (the
    languages asked for, or those of the workbooks read by then): a batch of English reports
    does not compile the Chinese templates. What a workbook read later asks for is compiled
    before the reports are built (:func:`compile_missing`)."""
    from envreport.i18n import SUPPORTED_LANGUAGES

    def import_modules() -> None:
        # imported for the forked tasks
        import envreport.metrics
        import envreport.render  # noqa: F401

    yield import_modules
    # imported by the step above, not before it: this generator's start comes before the
    # first task is forked
    from envreport.render import compile_report_templates_stepwise

    yield from compile_report_templates_stepwise(first)
    for name in (*_CHART_MODULES, *(_PDF_MODULES if pdf else ()), *_ANNOTATING_MODULES):
        yield functools.partial(_prefetch, name)
    for lang in SUPPORTED_LANGUAGES:
        if lang != first and lang in languages():
            yield from compile_report_templates_stepwise(lang)


def _prefetch(module: str) -> None:
    """Import ``module`` now (a warm-up step); a library's module that is not there is
    skipped: ``envreport.render``'s own imports are what the reports need."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError:
        if module.startswith("envreport."):
            raise


def report_languages(langs: list[str] | None, read: Iterable[Inspected]) -> set[str]:
    """The languages the reports of a batch are written in: ``--lang``, else every language
    a readable workbook asks for (its own report's; the parent's are the group's and the
    board's)."""
    if langs:
        return set(langs)
    return {lang for item in read if item.organization is not None
            for lang in item.organization.report_languages}


def compile_missing(languages: Iterable[str]) -> None:
    """Before the reports are built: the templates of ``languages`` that the warm-up left
    out (a workbook read after the warm-up asks for one). Those compiled cost a look-up."""
    from envreport.i18n import SUPPORTED_LANGUAGES
    from envreport.render import compile_report_templates

    wanted = set(languages)
    compile_report_templates(lang for lang in SUPPORTED_LANGUAGES if lang in wanted)
