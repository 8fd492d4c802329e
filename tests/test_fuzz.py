"""The mutation fuzzer in CI: mutants of the sample workbooks, every one handled.

Each class of :mod:`fuzzing` gets ``PER_CLASS`` mutants (48 in all, seed 0), run through the
real command in forked children two at a time (``validate --format json --annotate``, plus
text output and ``build --no-pdf`` for some classes). Per command: exit code 0, 1 or 2; no
traceback; stdout strict JSON (no NaN or Infinity) in JSON mode, results.json too after a
build; no formula in an annotated copy; under 20 s of CPU (killed after 180 s of wall time)
and 1 GiB of resident memory. The long run is ``python scripts/fuzz.py --long N`` (the
first CI campaign ran 20 mutants per class; ``--long 2000`` is the campaign before a release).

Crashes this campaign found, each now a named regression test in test_hostile.py:

- ``zip-bytes/0``, ``deflate/0``: ``Error -3 while decompressing data`` escaped as exit 70
  (test_corrupt_deflate_stream_is_one_line);
- ``number/0``: a cell holding 1e400 printed ``Infinity`` into the JSON report
  (test_infinite_cell_value_is_text_in_json); 1e308 crashed build
  (test_number_whose_products_overflow_is_an_error_at_its_cell);
- ``text/1``: a unit ``(((`` raised pint's TokenError, ``text/2``: ``10**10**10`` hung
  (test_unit_expression_is_looked_up_never_evaluated);
- the terminal markup of ``text/*`` crashed text output
  (test_terminal_markup_in_cells_prints_as_plain_text).
"""

from __future__ import annotations

import json

import fuzzing
import pytest

# Mutant n mutates sample n % 4: one round of the samples gives every class every sample,
# and holds every mutant that ever found a crash (the list above; all below 4). The suite's
# time bounds the rest: each mutant is up to three CLI runs, and a second round cost 30 s of
# CPU (a tenth of the suite's budget under -n 2); the volume is the long campaign's job
# (scripts/fuzz.py, --long N), run before a release.
PER_CLASS = len(fuzzing.SAMPLES)
#: the mutants that found crashes: the CI campaign always runs them again
FOUND_CRASHES = ("zip-bytes/0", "deflate/0", "number/0", "text/1", "text/2")


@pytest.mark.parametrize("cls", list(fuzzing.MUTATORS))
def test_mutants_are_handled(cls: str) -> None:
    outcomes = fuzzing.run_campaign(list(fuzzing.mutants(PER_CLASS, seed=0, classes=(cls,))))
    assert len(outcomes) >= PER_CLASS
    failures = [f"{o.mutant} {o.args[0]}: {'; '.join(o.problems)}" for o in outcomes
                if o.problems]
    assert not failures, "\n".join(failures)
    assert {o.code for o in outcomes} <= {0, 1, 2}
    if cls in ("text", "number", "date"):  # readable mutants: their annotated copies checked
        assert sum(o.annotated for o in outcomes) >= PER_CLASS // 2


def test_the_ci_campaign_covers_every_class_on_every_sample() -> None:
    campaign = list(fuzzing.mutants(PER_CLASS, seed=0))
    pairs = {(m.name.split("/")[0], m.source) for m in campaign}
    assert pairs == {(cls, sample.name) for cls in fuzzing.MUTATORS
                     for sample in fuzzing.SAMPLES}
    assert set(FOUND_CRASHES) <= {m.name for m in campaign}


def test_mutants_are_reproducible_and_different() -> None:
    first = fuzzing.make_mutant("cell-type", 3)
    assert fuzzing.make_mutant("cell-type", 3).data == first.data
    assert fuzzing.make_mutant("cell-type", 4).data != first.data
    assert first.source == fuzzing.SAMPLES[3].name


def test_the_checks_catch_what_they_claim(tmp_path) -> None:
    """The oracle itself: NaN in JSON, exit 70, a traceback and a timeout are all reported."""
    base = fuzzing.Outcome("x/0", ("validate", "--format", "json"), 0, '{"a": 1}', "", 1.0,
                           100.0)
    assert fuzzing.problems(base, json_output=True) == []
    nan = fuzzing.Outcome(**{**base.__dict__, "stdout": '{"a": NaN}'})
    assert "NaN" in fuzzing.problems(nan, json_output=True)[0]
    crashed = fuzzing.Outcome(**{**base.__dict__, "code": 70, "stdout": "",
                                 "stderr": "error: internal error: OverflowError"})
    assert len(fuzzing.problems(crashed, json_output=True)) == 3
    slow = fuzzing.Outcome(**{**base.__dict__, "seconds": 60.0, "cpu": 25.0,
                              "timed_out": True, "code": -9, "stdout": ""})
    assert fuzzing.problems(slow, json_output=True) == ["still running after 60 s",
                                                        "took 25.0 s of CPU"]
    big = fuzzing.Outcome(**{**base.__dict__, "peak_mb": 2048.0})
    assert fuzzing.problems(big, json_output=True) == ["peaked at 2048 MB"]
    json.loads(base.stdout)  # the base case really is JSON
