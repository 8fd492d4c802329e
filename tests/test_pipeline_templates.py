"""The report's templates compiled by a forked child while a build validates and computes.

A build that is its process's one job (the CLI's) compiles the templates in a child on the
other core and loads its code through an in-memory Jinja bytecode cache
(``render.environment.CompiledElsewhere``). The report must be the same bytes, the build's
own process must compile nothing, a child that fails must cost only time, and a template
changed since the child compiled it must be compiled again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from envreport.pipeline import build_report
from envreport.render.environment import (
    CompiledElsewhere,
    compiled_template_code,
    make_environment,
)
from tests.conftest import ROOT, SAMPLES

WORKBOOK = SAMPLES / "group" / "sre.xlsx"

# Builds WORKBOOK as the CLI does (process_ends) and prints how many templates this process
# compiled itself; with "fail", the child's compiling raises.
_PROBE = """
import sys, jinja2
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
from envreport.pipeline import build_report
build_report(sys.argv[1], sys.argv[2], ["en"], pdf=False, process_ends=True)
print(len(compiled))
"""


def _build_in_own_process(out: Path, mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(WORKBOOK), str(out), mode],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_a_build_of_its_own_process_compiles_no_template_and_writes_the_same_report(
        tmp_path: Path) -> None:
    build_report(WORKBOOK, tmp_path / "here", ["en"], pdf=False)
    assert _build_in_own_process(tmp_path / "child", "ok") == 0
    for name in ("report.html", "results.json"):
        assert (tmp_path / "child" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()


def test_a_failed_child_costs_only_time(tmp_path: Path) -> None:
    build_report(WORKBOOK, tmp_path / "here", ["en"], pdf=False)
    # every template the report uses is compiled in the build's own process instead
    assert _build_in_own_process(tmp_path / "failed", "fail") >= 20
    assert ((tmp_path / "failed" / "report.html").read_bytes()
            == (tmp_path / "here" / "report.html").read_bytes())


def test_the_childs_code_is_what_the_environment_compiles_itself() -> None:
    codes = compiled_template_code(["en", "zh"])
    for lang in ("en", "zh"):
        env = make_environment(lang)
        names = env.list_templates(filter_func=lambda n: n.endswith((".html", ".css"))
                                   and not n.startswith("portal/"))
        assert len(codes[lang]) == len(names) > 20
        cache = CompiledElsewhere()
        cache.codes.update(codes[lang])
        for name in names:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            bucket = cache.get_bucket(env, name, filename, source)
            assert bucket.code == env.compile(source, name, filename), (lang, name)


def test_a_template_changed_since_it_was_compiled_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("before {{ x }}", encoding="utf-8")
    first = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    first.bytecode_cache = compiled = CompiledElsewhere()
    assert first.get_template("page.html").render(x=1) == "before 1"
    assert len(compiled.codes) == 1

    page.write_text("after {{ x }}", encoding="utf-8")
    second = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    second.bytecode_cache = handed = CompiledElsewhere()
    handed.codes.update(compiled.codes)
    assert second.get_template("page.html").render(x=2) == "after 2"
    # and an unchanged one is loaded from the code handed over, not compiled
    third = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True)
    third.bytecode_cache = again = CompiledElsewhere()
    again.codes.update(handed.codes)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    setattr(third, "compile", refuse)  # noqa: B010 - an instance attribute over the method
    assert third.get_template("page.html").render(x=3) == "after 3"
