"""The one Jinja environment factory of the report.

Autoescape is on for every template whatever its file name (``select_autoescape`` matches
suffixes and would leave ``*.html.j2`` unescaped), undefined names fail loudly
(``StrictUndefined``), a user template folder shadows the built-ins (``ChoiceLoader``), and
the formatters and translations are registered here and nowhere else. The compiled templates
are kept between runs (:mod:`envreport.render.template_cache`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, nodes
from markupsafe import Markup

from envreport.i18n import bracketed, check_language, gap, gettext, list_separator
from envreport.render.fonts import BODY_FONTS, css_font_family
from envreport.render.formatters import Formatters
from envreport.render.template_cache import TemplateCode, compile_tag
from envreport.render.vocabulary import restatement_reason
from envreport.resources import resource_dir

#: A printed page's number and the number of pages, in a translated running footer ("Page
#: %(page)s of %(pages)s"): the PDF's page counters (``counter(page)``, ``counter(pages)``).
PAGE_NUMBER = Markup('<span class="page-no"></span>')
PAGE_COUNT = Markup('<span class="page-count"></span>')
_COUNTERS = {str(PAGE_NUMBER): "counter(page)", str(PAGE_COUNT): "counter(pages)"}
_COUNTER_SPLIT = re.compile("(" + "|".join(re.escape(marker) for marker in _COUNTERS) + ")")


def css_content(text: str) -> Markup:
    """``text``, escaped HTML with :data:`PAGE_NUMBER` and :data:`PAGE_COUNT` in it, as a CSS
    ``content`` value: its words as CSS strings, the markers as the page counters.

    The running footer's "Page 3 of 14" is then one text box for WeasyPrint to lay out and
    draw on every page, not four (two words and two counters, each a box of its own). Each
    string is escaped for CSS inside an HTML ``<style>``: quotes and backslashes, and ``<``
    (no ``</style>`` can end the stylesheet early)."""
    tokens = []
    for part in _COUNTER_SPLIT.split(str(text)):
        if part in _COUNTERS:
            tokens.append(_COUNTERS[part])
        elif part:
            plain = Markup(part).unescape()
            tokens.append('"' + re.sub(r'[\\"<\n]', lambda m: f"\\{ord(m[0]):x} ", plain) + '"')
    return Markup(" ".join(tokens) or '""')


def builtin_template_dir() -> Path:
    """The templates that ship with envreport (top-level ``templates/``, in the wheel too)."""
    return resource_dir("templates")


def make_environment(lang: str, user_templates: Path | None = None) -> Environment:
    """A Jinja environment for ``lang``; templates in ``user_templates`` win over built-ins."""
    check_language(lang)
    loaders = []
    if user_templates is not None:
        loaders.append(FileSystemLoader(str(user_templates)))
    loaders.append(FileSystemLoader(str(builtin_template_dir())))
    env = ReportEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def _gettext(message: str) -> str:
        return gettext(message, lang)

    def _ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural, lang)

    # newstyle: translations are escaped like any other value and take %(name)s arguments
    # jinja2.ext.i18n adds this method to the environment at run time (Environment.extend),
    # which jinja2's own annotations of Environment cannot show
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    filters: dict[str, Any] = {
        **Formatters(lang).filters(),
        "restatement_reason": lambda text: restatement_reason(text, lang),
        "css_content": css_content,
    }
    env.filters.update(filters)
    env.rendered_only = frozenset(filters)  # (see ReportEnvironment)
    env.globals["lang"] = lang
    # the space between two pieces of text set side by side (two sentences, a label and its
    # value), by the one rule of every surface (i18n.gap): templates write no space of their own
    env.globals["gap"] = lambda before, after: gap(str(before), str(after), lang)
    # a list's separator and a code's brackets, each language's from one place (i18n)
    env.globals["list_separator"] = list_separator(lang)
    env.globals["bracketed"] = lambda text: bracketed(str(text), lang)
    # the stylesheet's font stacks, each language's (the page's lang attribute picks one)
    env.globals["font_family"] = {code: css_font_family(code) for code in BODY_FONTS}
    # the compiled templates kept between runs, as __pycache__ (template_cache)
    env.bytecode_cache = TemplateCode(keep=True)
    return env


class ReportEnvironment(Environment):
    """A Jinja environment whose filters named in :attr:`rendered_only` (envreport's own)
    run only when a template is rendered, never while it is compiled.

    Jinja evaluates a filter on constant arguments while it compiles (``{{ "tCO2e"|unit }}``)
    and writes the text into the template's code: the code would then depend on the
    language and on envreport's formatting and translations, and code kept by an earlier
    envreport, or compiled in the other language, would print stale text (template_cache).
    The compiler here sees, in their place, functions that refuse (Jinja then leaves the
    call to the template, as for any value it cannot know) with the same calling convention,
    so the code is the same call of the same name; when rendering, the filters are the
    real ones, called as they always were (no wrapper: the appendix calls them 30 000 times
    at 100 000 rows)."""

    rendered_only: frozenset[str] = frozenset()

    def compile(  # (Jinja's own signature; its overloads by `raw` say what it returns)
            self, source: str | nodes.Template, name: str | None = None,
            filename: str | None = None, raw: bool = False, defer_init: bool = False) -> Any:
        if not self.rendered_only:
            # (mypy cannot match Jinja's overloads when `raw` is a plain bool, as it is here)
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        compiling = self.overlay()  # (shares everything else: settings, extensions)
        compiling.rendered_only = frozenset()
        compiling.filters = {name: _refused_while_compiling(function)
                             if name in self.rendered_only else function
                             for name, function in self.filters.items()}
        return compiling.compile(source, name, filename, raw, defer_init)


class _NotWhileCompilingError(Exception):
    """A filter of :attr:`ReportEnvironment.rendered_only` called by Jinja's compiler."""


def _refused_while_compiling(function: Callable[..., Any]) -> Callable[..., Any]:
    """What the compiler sees in place of ``function`` (:class:`ReportEnvironment`): Jinja
    takes its error as "not a constant" and writes the call into the code, with the
    arguments ``function`` is called with (its ``jinja_pass_arg``, if any, kept)."""
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise _NotWhileCompilingError

    if hasattr(function, "jinja_pass_arg"):
        # (Jinja's own pass_context & co. set this attribute on a function, as here)
        refuse.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return refuse


def shared_environment(lang: str, user_templates: Path | None = None) -> Environment:
    """The environment of :func:`make_environment`, made once per language and template
    folder in this process: compiling the report's templates costs about as much as drawing
    its charts, and a batch's forked tasks inherit the compiled templates from the warm-up.
    Jinja checks each template file's modification time on use, so an edited template is
    still read again. Callers render with it and never change it."""
    # one cache key however the call is written: ("en") and ("en", None) were two
    # environments, so the templates compiled ahead were compiled again for the report
    return _environment_of(lang, user_templates)


@lru_cache(maxsize=8)
def _environment_of(lang: str, user_templates: Path | None) -> Environment:
    return make_environment(lang, user_templates)


def template_names(env: Environment, exclude: str | tuple[str, ...] = "") -> list[str]:
    """Every template of ``env`` that a warm-up compiles: HTML and the included CSS, not
    those under the folder or folders ``exclude``."""
    return [name for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".css")))
            if not (exclude and name.startswith(exclude))]


def compile_templates(env: Environment, exclude: str | tuple[str, ...] = "") -> None:
    """Compile every template of ``env`` (:func:`template_names`) into its cache now: a
    warm-up before forking, so that the children start with them compiled."""
    for name in template_names(env, exclude):
        env.get_template(name)


#: the templates a build's report does not use: the portal's pages and a batch's status
#: board (``status/status.html``, an eighth of the compiling)
NOT_THE_REPORTS = ("portal/", "status/")


def _template_code(env: Environment) -> TemplateCode:
    """``env``'s bytecode cache, a :class:`TemplateCode` (one in memory only, if it had
    another)."""
    cache = env.bytecode_cache
    if not isinstance(cache, TemplateCode):
        env.bytecode_cache = cache = TemplateCode()
    return cache


def compiled_template_code(langs: list[str], exclude: tuple[str, ...] = NOT_THE_REPORTS
                           ) -> dict[str, dict[str, bytes]]:
    """The report's templates (not the portal's, nor the status board's:
    :data:`NOT_THE_REPORTS`) compiled for each of ``langs``, as Jinja's
    bytecode cache holds them: lang → key → marshalled code. For a build's forked child: the
    compiling (Jinja's parsing and code generation, about a fifth of a second of CPU) is
    done on the other core while the build validates and computes, and
    :func:`use_compiled_template_code` hands the code to the build's environments; the code
    is also kept for the next runs (template_cache), and what was kept is read, not
    compiled. The code is the same in every language (no filter is evaluated while
    compiling: :class:`ReportEnvironment`), so it is compiled once for all of them (once per
    :func:`~envreport.render.template_cache.compile_tag`)."""
    codes: dict[str, dict[str, bytes]] = {}
    by_tag: dict[str, dict[str, bytes]] = {}
    for lang in langs:
        env = make_environment(lang)
        tag = compile_tag(env)
        if tag not in by_tag:
            cache = _template_code(env)
            compile_templates(env, exclude=exclude)
            by_tag[tag] = cache.codes
        codes[lang] = by_tag[tag]
    return codes


def use_compiled_template_code(codes: dict[str, dict[str, bytes]]) -> None:
    """Load templates of :func:`shared_environment` from ``codes``
    (:func:`compiled_template_code`'s) instead of compiling them here."""
    for lang, by_key in codes.items():
        _template_code(shared_environment(lang)).codes.update(by_key)


def kept_template_code(langs: list[str], exclude: tuple[str, ...] = NOT_THE_REPORTS) -> bool:
    """Whether the code of every report template (:func:`compiled_template_code`'s) is kept
    from an earlier run for each of ``langs`` (template_cache), read now into
    :func:`shared_environment`'s cache if so: the report then needs no compiling (loading the
    code is about 5 ms a language, against 0.2 s of CPU to compile it). False at the first
    template whose code is missing or stale (its source changed)."""
    read: dict[str, dict[str, bytes]] = {}  # by compile_tag: one reading for every language
    for lang in langs:
        env = shared_environment(lang)
        cache = _template_code(env)
        tag = compile_tag(env)
        if tag in read:
            cache.codes.update(read[tag])  # (each still checked against its source when used)
            continue
        loader = env.loader
        assert loader is not None  # (make_environment's)
        for name in template_names(env, exclude):
            source, filename, _ = loader.get_source(env, name)
            if cache.get_bucket(env, name, filename, source).code is None:
                return False
        read[tag] = cache.codes
    return True
