"""What keeps the fast paths fast without timing anything (timings are scripts/benchmark.py's):
the stored unit conversions are pint's, and `validate` / `build --no-pdf` import only what
they use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from envreport.units import (
    BY_CANONICAL,
    CONVERSIONS_FILE,
    conversion_factor,
    conversion_table,
    pint_conversion,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inputs" / "group" / "sre.xlsx"


def test_stored_conversions_are_what_pint_computes_now() -> None:
    stored = json.loads(CONVERSIONS_FILE.read_text(encoding="utf-8"))
    assert stored == conversion_table(), "run scripts/gen_docs.py"
    # 8 mass, 8 volume and 9 energy units: every ordered pair within a dimension
    assert len(stored) == 8 * 8 + 8 * 8 + 9 * 9


def test_stored_iso_codes_are_pycountrys_now() -> None:
    from envreport.schema.iso_codes import ISO_CODES_FILE, iso_code_table, iso_code_text

    assert ISO_CODES_FILE.read_text(encoding="utf-8") == iso_code_text(), \
        "run scripts/gen_docs.py"
    stored = json.loads(ISO_CODES_FILE.read_text(encoding="utf-8"))
    assert stored == iso_code_table()
    assert ["KE", "KEN", "Kenya", None, "Republic of Kenya"] in stored["countries"]
    assert stored["chinese_country_names"]["肯尼亚"] == "KEN"
    assert ["KES", "Kenyan Shilling"] in stored["currencies"]
    assert stored["chinese_currency_names"]["肯尼亚先令"] == "KES"


def test_country_and_currency_look_ups_agree_with_pycountry() -> None:
    # The cell types read the stored table, not pycountry: every code and name of every
    # country and currency (and awkward texts) gives what pycountry's own look-ups give.
    import pycountry

    from envreport.schema.types import _currency_code, country_alpha3

    def pycountry_alpha3(text: str) -> str | None:  # the parser's order of look-ups
        country = None
        if len(text) == 2:
            country = pycountry.countries.get(alpha_2=text.upper())
        elif len(text) == 3:
            country = pycountry.countries.get(alpha_3=text.upper())
        if country is None:
            for candidate in pycountry.countries:
                names = {getattr(candidate, attr).lower() for attr in
                         ("name", "common_name", "official_name") if hasattr(candidate, attr)}
                if text.lower() in names:
                    return str(candidate.alpha_3)
            return None
        return str(country.alpha_3)

    texts = ["ke", "Ke", "kEN", "xx", "XXX", "ss", "ß", "Türkiye", "Côte d'Ivoire", "Korea",
             "Tanzania", "tanzania, united republic of", "Viet Nam", "Vietnam", "Bolivia"]
    for c in pycountry.countries:
        texts += [c.alpha_2, c.alpha_3.lower(), c.name, c.name.upper(),
                  *(getattr(c, a) for a in ("common_name", "official_name") if hasattr(c, a))]
    aliases = {"russia", "turkey", "south korea", "korea", "north korea", "iran", "syria",
               "tanzania", "bolivia", "venezuela", "moldova", "czech republic", "uk", "usa",
               "united states of america", "brunei", "cape verde", "ivory coast", "hong kong",
               "macau", "dr congo", "democratic republic of the congo",
               "republic of the congo"}
    for text in texts:
        if text.lower() not in aliases:  # aliases are the parser's own, before pycountry
            assert country_alpha3(text) == pycountry_alpha3(text), text
    for currency in pycountry.currencies:
        assert _currency_code(currency.alpha_3.lower()) == currency.alpha_3
    for text in ["KSH", "RMB", "XXY", "usd ", "eu"]:
        expected = text.strip().upper()
        found = len(expected) == 3 and pycountry.currencies.get(alpha_3=expected) is not None
        assert _currency_code(text) == (expected if found else None), text


@pytest.mark.parametrize(("unit", "target", "factor"), [
    ("kg", "t", 0.001), ("Nm3", "m3", 1.0), ("scf", "m3", 0.02679), ("MWh", "GJ", 3.6),
    ("toe", "GJ", 41.868), ("lb", "t", 0.00045359237), ("US gallon", "L", 3.785411784),
])
def test_conversion_factor_reads_the_stored_table(unit: str, target: str,
                                                  factor: float) -> None:
    assert conversion_factor(unit, target) == factor


def test_across_dimensions_pint_still_refuses() -> None:
    import pint

    with pytest.raises(pint.DimensionalityError):
        pint_conversion(BY_CANONICAL["kg"], BY_CANONICAL["L"])


# Modules a command must not import: each costs a noticeable share of a second at start-up.
_HEAVY = ("weasyprint", "matplotlib", "jinja2", "pint", "envreport.render", "envreport.metrics")


def _imported_after(args: list[str]) -> set[str]:
    # (the command's quick end, os._exit, is turned off: the modules are listed after it)
    code = ("import sys\nimport envreport.cli\nfrom envreport.cli import main\n"
            "envreport.cli._end_now = lambda code: None\n"
            f"sys.argv = ['envreport', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    return set(done.stderr.split())


def test_validate_imports_no_renderer_metrics_or_pint() -> None:
    modules = _imported_after(["validate", str(SAMPLE), "--format", "json"])
    assert "envreport.validate" in modules
    assert sorted(m for m in modules if m.split(".")[0] in _HEAVY or m in _HEAVY
                  or any(m.startswith(h + ".") for h in _HEAVY)) == []


def _batch_call(args: list[str]) -> dict[str, Any]:
    """What ``envreport batch ARGS`` hands to ``run_batch``, stopped there (nothing read or
    built): whether sqlalchemy was imported by then, and ``ledger_by``."""
    code = ("import json, sys\nimport envreport.batch\nfrom envreport.cli import main\n"
            "def stop(*args, **kwargs):\n"
            "    print(json.dumps({'sqlalchemy': 'sqlalchemy' in sys.modules,"
            " 'ledger_by': kwargs['ledger_by']}))\n"
            "    raise SystemExit(0)\n"
            "envreport.batch.run_batch = stop\n"
            f"sys.argv = ['envreport', 'batch', *{args!r}]\n"
            "main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_batch_without_the_ledger_forks_its_first_read_without_importing_it(
        tmp_path: Path) -> None:
    """The ledger's modules (sqlalchemy, about 0.2 s of CPU) were imported for every batch
    to name who records (``ledger_by``), before the first task was forked: a serial step
    with the other cores idle. Only --ledger needs them, and names the login."""
    import getpass

    from envreport.ledger.accounts import cli_actor

    group = str(SAMPLE.parent)
    assert _batch_call([group, "-o", str(tmp_path / "out")]) == {
        "sqlalchemy": False, "ledger_by": None}
    with_ledger = _batch_call([group, "-o", str(tmp_path / "out"), "--ledger",
                               "--db", f"sqlite:///{tmp_path / 'ledger.db'}"])
    assert with_ledger == {"sqlalchemy": True, "ledger_by": cli_actor(getpass.getuser())}


# (a build without the PDF imports no WeasyPrint: tests/test_startup.py, whose probe of
# ``build --no-pdf`` checks it with pycountry and pyarrow in one fresh interpreter)


@pytest.fixture(scope="module")
def batch_warm_ups() -> dict[str, dict[str, object]]:
    """What a batch's forked tasks inherit: the modules imported and the templates compiled
    by the warm-up of the batch's process: for reading ("reading"), then for the reports
    without PDFs for a batch whose workbooks ask for English only ("en_only"), then without
    PDFs in both languages ("no_pdf"), then with PDFs ("pdf"). One fresh interpreter for
    them all (a start costs seconds of CPU): each can only add to what the one before it
    left, so they run in that order."""
    code = ("import json, sys\n"
            "from envreport.batch.warm_up import warm_up_reading, warm_up_reports\n"
            "seen = {}\n"
            "warm_up_reading()\n"
            "seen['reading'] = {'openpyxl': 'openpyxl' in sys.modules}\n"
            "for name, pdf, langs in (('en_only', False, {'en'}), ('no_pdf', False,"
            " {'en', 'zh'}), ('pdf', True, {'en', 'zh'})):\n"
            "    for step in warm_up_reports(pdf, 'en', lambda: langs):\n"
            "        step()\n"
            "    from envreport.render.environment import shared_environment\n"
            "    compiled = {lang: sorted(key[1] for key in"
            " shared_environment(lang).cache.keys()) for lang in ('en', 'zh')}\n"
            "    seen[name] = {'weasyprint': 'weasyprint' in sys.modules,"
            " 'workbook': 'envreport.workbook' in sys.modules, 'compiled': compiled}\n"
            "print(json.dumps(seen))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_batch_warm_up_compiles_every_report_template_before_forking(
        batch_warm_ups: dict[str, dict[str, object]]) -> None:
    warm = batch_warm_ups["no_pdf"]
    assert warm["weasyprint"] is False  # batch --no-pdf pays no WeasyPrint import
    for lang in ("en", "zh"):
        compiled = warm["compiled"][lang]  # type: ignore[index]
        assert {"report.html", "_partials/_style.css", "sections/ghg.html",
                "sections/group.html", "status/status.html"} <= set(compiled)
        assert not [name for name in compiled if name.startswith("portal/")]


def test_the_reads_are_forked_before_the_annotated_copies_writer_is_imported(
        batch_warm_ups: dict[str, dict[str, object]]) -> None:
    # openpyxl (0.13 s of CPU) is for the build tasks' annotated copies: a step of the
    # report warm-up, beside the first reads, not before them
    assert batch_warm_ups["reading"]["openpyxl"] is False
    assert batch_warm_ups["en_only"]["workbook"] is True


def test_batch_warm_up_compiles_no_language_the_workbooks_do_not_ask_for(
        batch_warm_ups: dict[str, dict[str, object]]) -> None:
    warm = batch_warm_ups["en_only"]
    assert "sections/ghg.html" in warm["compiled"]["en"]  # type: ignore[index]
    assert warm["compiled"]["zh"] == []  # type: ignore[index]


def test_batch_warm_up_imports_weasyprint_when_pdfs_are_wanted(
        batch_warm_ups: dict[str, dict[str, object]]) -> None:
    assert batch_warm_ups["pdf"]["weasyprint"] is True


def test_a_batch_s_reports_languages_are_lang_else_those_its_workbooks_ask_for() -> None:
    """What the warm-up compiles (and what is compiled after the reads, for a workbook read
    late): ``--lang``, else every readable workbook's ``report_languages``."""
    from types import SimpleNamespace

    from envreport.batch.warm_up import report_languages

    def read(*langs: str) -> Any:
        return SimpleNamespace(organization=SimpleNamespace(report_languages=langs))

    unreadable: Any = SimpleNamespace(organization=None)
    assert report_languages(None, [read("en"), unreadable]) == {"en"}
    assert report_languages(None, [read("en"), read("en", "zh")]) == {"en", "zh"}
    assert report_languages(None, [unreadable]) == set()
    assert report_languages(["zh"], [read("en")]) == {"zh"}


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


def _lowered_niceness() -> int:
    """What a task started a step lower than this process reports as its niceness: under a
    real-time policy (a benchmark's) the step is a real-time priority, the niceness stays."""
    from envreport.batch.isolate import LOWERED_NICENESS

    if os.sched_getscheduler(0) != os.SCHED_OTHER:
        return _niceness()
    return min(19, _niceness() + LOWERED_NICENESS)


def test_the_report_warm_up_runs_while_the_first_workbooks_are_read(tmp_path: Path) -> None:
    """TaskRunner.run's ``meanwhile``: once, after the first tasks are started (not before
    them, a serial step), beside one task fewer than the workers at the usual priority (this
    process is busy on a core of its own meanwhile) and one more a step lower, which takes a
    core only when no other process wants it; tasks started after it inherit what it loaded,
    at the usual priority."""
    from envreport.batch.isolate import Limits, TaskRunner

    events: list[str] = []
    state = {"warm": False}

    def warm() -> None:
        events.append(f"meanwhile with {len(runner._running)} running")
        state["warm"] = True

    runner = TaskRunner(2, Limits(seconds=60), tmp_path)
    answers: dict[int, tuple[bool, int]] = {}
    runner.run(((i, lambda: (state["warm"], _niceness()), ()) for i in range(5)),
               lambda key, answer: answers.__setitem__(key, answer), [warm])
    assert events == ["meanwhile with 2 running"]
    # the first two were forked before the warm-up (the second a step lower), the others
    # after it: they inherited it
    usual, lowered = _niceness(), _lowered_niceness()
    assert answers == {0: (False, usual), 1: (False, lowered), 2: (True, usual),
                       3: (True, usual), 4: (True, usual)}


def test_one_worker_still_runs_a_task_beside_the_warm_up(tmp_path: Path) -> None:
    # one task at a time, as asked, at the usual priority: none a step lower beside it
    from envreport.batch.isolate import Limits, TaskRunner

    events: list[int] = []
    answers: dict[int, int] = {}
    runner = TaskRunner(1, Limits(seconds=60), tmp_path)
    runner.run([(i, _niceness, ()) for i in range(2)],
               lambda key, answer: answers.__setitem__(key, answer),
               [lambda: events.append(len(runner._running))])
    assert events == [1]
    assert answers == {0: _niceness(), 1: _niceness()}


def test_tasks_that_finish_during_the_warm_up_are_followed_between_its_steps(
        tmp_path: Path) -> None:
    """A warm-up in steps: after each step the finished tasks are collected and the next
    ones started (they inherit the steps done so far), not only after the last step; the
    steps are taken one at a time, each after the answers collected before it."""
    from envreport.batch.isolate import Limits, TaskRunner

    state: dict[str, int] = {}
    answers: dict[int, int | None] = {}
    answered_before_second: list[int] = []

    def first_step() -> None:
        # the task started before it finishes while it runs (waited for here without
        # being reaped: the runner collects it)
        for pid in runner._running:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        state["steps"] = 1

    def second_step() -> None:
        state["steps"] = 2

    def steps() -> Iterator[Callable[[], None]]:
        yield first_step
        answered_before_second.append(len(answers))  # asked when the step is taken
        yield second_step

    runner = TaskRunner(2, Limits(seconds=60), tmp_path)
    runner.run(((i, state.get, ("steps",)) for i in range(5)),
               lambda key, answer: answers.__setitem__(key, answer), steps())
    # 0 and 1 before the warm-up; 2 and 3 between its steps, in the slots 0 and 1 freed;
    # 4 after it
    assert answers == {0: None, 1: None, 2: 1, 3: 1, 4: 2}
    assert answered_before_second == [2]


def test_warm_up_steps_left_when_the_tasks_are_done_still_run(tmp_path: Path) -> None:
    from envreport.batch.isolate import Limits, TaskRunner

    ran: list[int] = []
    TaskRunner(2, Limits(seconds=60), tmp_path).run(
        [(0, abs, (-1,))], lambda key, answer: None,
        [lambda: ran.append(1), lambda: ran.append(2), lambda: ran.append(3)])
    assert ran == [1, 2, 3]


def test_templates_compiled_ahead_are_the_ones_the_report_renders_with(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """build compiles the templates while the workbook is read (and a batch before it forks):
    the report must render with that same environment, not compile them all again."""
    import jinja2

    from envreport.render import compile_report_templates, render_html
    from envreport.render.environment import shared_environment
    from tests.conftest import sample_results_model

    assert shared_environment("zh") is shared_environment("zh", None)
    results = sample_results_model()  # SAMPLE's, computed once per test process
    compile_report_templates(["zh"])
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None,
            *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    assert "<html" in render_html(results, "zh")
    assert compiled == []
