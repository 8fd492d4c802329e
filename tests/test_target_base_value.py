"""A target's base value against the base year's own figure (target-base-value-differs).

Hand-worked figures: 1 000 L of diesel, stationary, AR6, is 2.685637584 tCO2e of Scope 1
(tests/test_metrics.test_targets_progress). The tolerance is 0.5 % of that figure:
0.01342818792 t, so a base value of 2.69 (0.0044 t off, 0.16 %) passes and 2.70
(0.0143624 t off, +0.53 %) is a warning.
"""

from __future__ import annotations

import pickle
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from metrics_support import fuel, organization, results_of, submission

from envreport.codes import CODES
from envreport.findings import Finding, message_figure, reading_order
from envreport.metrics import compute
from envreport.metrics.targets import BASE_VALUE_TOLERANCE_PCT, target_and_progress
from envreport.pipeline import check_computed_figures, load_submission
from envreport.submission import Submission
from tests.conftest import SAMPLES, sample_results

SRE_2021 = SAMPLES / "history" / "sre_2021.xlsx"
SCOPE1 = 2.685637584


def _scope1_target(base_value: float, base_year: int = 2024) -> Submission:
    sub = submission(Fuel=[fuel(1000, "L")],
                     Targets=[{"metric": "scope1_tco2e", "base_year": base_year,
                               "base_value": base_value, "target_year": 2030,
                               "target_reduction_pct": 50}])
    sub.letters = {"Targets": {"metric": "A", "base_year": "B", "base_value": "C"}}
    return sub


def _differs(sub: Submission) -> list[list[object]]:
    return [f for f in sub.findings.flatten(("code", "cell", "severity", "value"))
            if f[0] == "target-base-value-differs"]


def test_tolerance_is_half_a_per_cent() -> None:
    assert BASE_VALUE_TOLERANCE_PCT == 0.5
    assert CODES["target-base-value-differs"].severity == "warning"


def test_base_value_within_rounding_passes() -> None:
    sub = _scope1_target(2.69)
    results = results_of(sub)
    assert _differs(sub) == []
    assert results["validation"]["warnings"] == 0


def test_base_value_beyond_tolerance_is_a_warning_at_its_cell() -> None:
    sub = _scope1_target(2.70)
    results = results_of(sub)
    assert _differs(sub) == [["target-base-value-differs", "C2", "warning", 2.7]]
    assert results["validation"]["warnings"] == 1  # counted with validation's warnings
    (finding,) = [f for f in sub.findings if f.code == "target-base-value-differs"]
    # (2.70 − 2.685637584) ÷ 2.685637584 = +0.5348 %
    assert finding.message("en") == (
        "base_value (2.7) is not the scope1_tco2e computed for 2024, the target's base year, "
        "from that year's own data: 2.68564 (+0.53 %, more than the 0.5 % allowed for "
        "rounding). Every report measures the target's progress from base_value.")
    assert finding.message("zh") == (
        "基准值（base_value）为2.7，不是根据目标基准年2024年自身数据计算的"
        "范围一排放量（吨二氧化碳当量）：计算值为2.68564（相差+0.53%，超过舍入允许的0.5%）。"
        "各期报告均以基准值（base_value）衡量目标进展。")
    assert finding.hint("zh") == ("请在基准值（base_value）中填写计算所得的基准年数值"
                                  "（2.68564）；如基准值无误，请更正活动数据。")
    assert finding.hint("en") == ("State the base year's figure as computed (2.68564) in "
                                  "base_value, or correct the activity data if base_value "
                                  "is right.")


def test_figures_are_written_as_every_finding_writes_them() -> None:
    """1 000 000 L of diesel is 2 685.637584 tCO2e: six significant digits below a million,
    as the plausibility findings write theirs (findings.message_figure; it was rounded to
    the tonne, 2,686, by a rule of its own)."""
    sub = submission(Fuel=[fuel(1_000_000, "L")],
                     Targets=[{"metric": "scope1_tco2e", "base_year": 2024,
                               "base_value": 2700.5, "target_year": 2030,
                               "target_reduction_pct": 50}])
    sub.letters = {"Targets": {"base_value": "C"}}
    compute(sub)
    (finding,) = [f for f in sub.findings if f.code == "target-base-value-differs"]
    assert finding.params["stated"] == "2,700.5"
    assert finding.params["computed"] == "2,685.64"
    assert message_figure(1_795_706.4) == "1,795,706"
    assert message_figure(-25_200.0) == "-25,200"
    assert message_figure(0.52345678) == "0.523457"
    # rounded to six digits, 999 999.6 is a million and 0.000015 is below 0.0001: written
    # out, never in exponent notation ("1e+06", "1.5e-05" in a message)
    assert message_figure(999_999.6) == "1,000,000"
    assert message_figure(999_999.4) == "999,999"
    assert message_figure(0.000015) == "0.000015"
    assert message_figure(0.000123456789) == "0.000123457"


def test_computed_twice_warns_once() -> None:
    sub = _scope1_target(10)
    compute(sub)
    compute(sub)
    assert len(_differs(sub)) == 1


def test_the_warning_takes_its_place_in_reading_order() -> None:
    """compute() adds the warning (Targets C2) where validation's order puts it: after the
    file's own finding and the earlier sheets', before a later row of Targets, a later
    column of its row and a later sheet — not after them all, as it was appended."""
    sub = _scope1_target(2.70)
    made = [Finding("sheet-unknown", "warning", "Notes"),
            Finding("value-outlier", "warning", "Narrative", 2, "B", "text"),
            Finding("pct-looks-like-fraction", "warning", "Targets", 3, "E",
                    "target_reduction_pct"),
            Finding("duplicate-row", "warning", "Targets", 2, "AA", "target_year"),
            Finding("estimated-share-high", "warning", "Fuel", params={"share": 25}),
            Finding("assurance-detail-missing", "warning", None)]
    sub.findings.extend(sorted(made, key=reading_order))  # as validation leaves them
    compute(sub)
    assert sub.findings.flatten(("sheet", "cell", "code")) == [
        [None, None, "assurance-detail-missing"],
        ["Fuel", None, "estimated-share-high"],
        ["Targets", "C2", "target-base-value-differs"],
        ["Targets", "AA2", "duplicate-row"],
        ["Targets", "E3", "pct-looks-like-fraction"],
        ["Narrative", "B2", "value-outlier"],
        ["Notes", None, "sheet-unknown"],  # a sheet outside the contract: last
    ]
    # validation sorts with the same function: its findings are a fixed point of it
    assert sub.findings.items == sorted(sub.findings.items, key=reading_order)


def test_other_base_year_is_not_checked() -> None:
    # 2021 is not this workbook's year: its figure for 2021 is not in this workbook
    sub = _scope1_target(10, base_year=2021)
    results_of(sub)
    assert _differs(sub) == []


def test_base_year_workbook_of_another_year() -> None:
    # the same row in a 2021 workbook is checked against the 2021 figure
    sub = _scope1_target(10, base_year=2021)
    sub.organization = organization(reporting_period_start=date(2021, 1, 1),
                                    reporting_period_end=date(2021, 12, 31))
    results_of(sub)
    assert [f[:2] for f in _differs(sub)] == [["target-base-value-differs", "C2"]]


def test_validate_computes_only_for_a_computed_metric_of_its_base_year(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # check_computed_figures computes (about 0.1 s of CPU at 10 000 rows) only when a
    # Targets row of this year's base has a metric envreport computes: a metric of the
    # workbook's own, or another base year, has nothing to check
    import envreport.metrics

    calls: list[Submission] = []
    monkeypatch.setattr(envreport.metrics, "compute", calls.append)
    for metric, base_year, computed in (("renewable_share_pct", 2024, False),
                                        ("scope1_tco2e", 2021, False),
                                        ("scope1_tco2e", 2024, True)):
        sub = submission(Fuel=[fuel(1000, "L")],
                         Targets=[{"metric": metric, "base_year": base_year,
                                   "base_value": 10, "target_year": 2030,
                                   "target_reduction_pct": 50}])
        calls.clear()
        check_computed_figures(sub)
        assert (calls == [sub]) is computed, (metric, base_year)


def test_negative_progress() -> None:
    # base 100, −15 % → target 85; now 145.7 → (100 − 145.7) ÷ (100 − 85) × 100 = −304.67 %
    target, progress = target_and_progress(100.0, 15.0, 145.7)
    assert target == 85.0
    assert progress == pytest.approx(-304.6666667)


def test_demo_progress_is_negative_without_the_ledger() -> None:
    # group/sre.xlsx (2024): base 1 795 706, −15 % → 1 795 706 × 0.85 = 1 526 350.1; Scope 1
    # + 2 in 2024 is 2 616 770 (the gas plant since 2022): progress (1 795 706 − 2 616 770)
    # ÷ (1 795 706 − 1 526 350.1) = −821 064 ÷ 269 355.9 = −304.8 %
    (target,) = sample_results()["targets"]
    assert (target["base_value"], target["target_value"]) == (1_795_706, 1_526_350.1)
    assert round(target["current_value"]) == 2_616_770
    assert round(target["progress_pct"], 1) == -304.8
    assert "base_value_source" not in target  # the ledger's keys: absent without it


@pytest.fixture(scope="module")
def sre_2021_checked() -> Submission:
    """The committed base-year sample as `envreport validate` checks it."""
    sub = load_submission(SRE_2021)
    check_computed_figures(sub)
    return sub


def test_sample_base_year_states_its_own_figure(sre_2021_checked: Submission) -> None:
    # 1 792 599 + 3 107 = 1 795 706, the Targets row's base value (scripts/make_samples.py)
    assert _differs(sre_2021_checked) == []


@pytest.fixture(scope="module")
def old_base_value(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2021 sample with the base value the samples stated before (2 750 000) in C2."""
    path = tmp_path_factory.mktemp("old-base-value") / "sre_2021.xlsx"
    shutil.copy(SRE_2021, path)
    book = openpyxl.load_workbook(path)
    assert book["Targets"]["C1"].value == "base_value"
    book["Targets"]["C2"] = 2_750_000
    book.save(path)
    return path


def test_sample_with_the_old_base_value_warns_at_c2(old_base_value: Path) -> None:
    # the base value the samples stated before: 2 750 000 against 1 795 706.024 computed,
    # (2 750 000 − 1 795 706.024) ÷ 1 795 706.024 = +53.14 %
    path = old_base_value
    sub = load_submission(path)
    assert _differs(sub) == []  # validation alone cannot know: the figure is computed
    check_computed_figures(sub)
    assert _differs(sub) == [["target-base-value-differs", "C2", "warning", 2_750_000]]
    (finding,) = [f for f in sub.findings if f.code == "target-base-value-differs"]
    assert finding.message("en") == (
        "base_value (2,750,000) is not the scope1_2_tco2e computed for 2021, the target's "
        "base year, from that year's own data: 1,795,706 (+53.14 %, more than the 0.5 % "
        "allowed for rounding). Every report measures the target's progress from base_value.")
    assert "计算值为1,795,706（相差+53.14%" in finding.message("zh")


@pytest.mark.parametrize("compute_results", [False, True], ids=["batch", "batch-ledger"])
def test_batch_inspection_counts_the_warning_of_a_base_year_workbook_computed_once(
        old_base_value: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        compute_results: bool) -> None:
    # a batch's inspection (the status board's counts, the annotated copy) sees it too,
    # without --ledger; and it keeps that compute for the build: the report's 7 warnings are
    # the board's 7 (not a second compute's). batch --ledger computes each valid workbook in
    # its inspection: that compute adds the warning, and the workbook is not computed a
    # second time for it alone
    import envreport.metrics
    from envreport.batch.jobs import inspect_workbook

    calls: list[Submission] = []

    def counted(submission: Submission, *args: object, **kwargs: object) -> object:
        calls.append(submission)
        return compute(submission, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(envreport.metrics, "compute", counted)
    inspected = inspect_workbook(0, old_base_value, tmp_path, compute_results=compute_results)
    assert len(calls) == 1
    assert inspected.warnings == 7  # the sample's 6 (factor years) and this one
    assert (inspected.computed is not None, inspected.compute_failure) == (True, None)
    results, _ = inspected.computed.load()  # type: ignore[union-attr]
    assert results.validation.warnings == 7
    assert inspected.pickle is not None
    with inspected.pickle.open("rb") as handle:  # what the build and the annotated copy read
        assert _differs(pickle.load(handle)) == [
            ["target-base-value-differs", "C2", "warning", 2_750_000]]


def test_ledger_stores_it_and_the_portal_copy_marks_its_cell(old_base_value: Path,
                                                             tmp_path: Path) -> None:
    from envreport.ledger import Ledger
    from envreport.portal.jobs import annotate_stored

    path = old_base_value
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with Ledger(url) as ledger:
        record = ledger.record(path)
    assert (record.outcome, record.warnings) == ("valid_with_warnings", 7)
    copy = tmp_path / "annotated.xlsx"
    copy.write_bytes(annotate_stored(url, record.id, "en"))
    comment = openpyxl.load_workbook(copy)["Targets"]["C2"].comment
    assert comment is not None
    assert comment.text.startswith("[warning] target-base-value-differs: base_value "
                                   "(2,750,000) is not the scope1_2_tco2e")


def test_base_year_report_shows_no_progress(sre_2021_checked: Submission) -> None:
    # the 2021 sample's own report: base 1 795 706 against 1 795 706.024 computed, a
    # progress of −0.0000089 %: printed 0.0 %, not ">-0.1 %", and not "above the base year"
    from envreport.render.sections.mitigation import targets

    results = compute(sre_2021_checked)
    assert results.targets is not None
    assert results.targets[0].progress_pct == pytest.approx(-8.9027e-06, rel=1e-3)
    (row,) = targets(results)
    assert (row["progress_pct"], row["above_base"]) == (0.0, False)


def test_a_parents_own_workbook_measures_none_of_the_groups_targets(tmp_path: Path) -> None:
    """A parent's Targets are the group's (the group report takes them): computed alone, the
    parent's headquarters figures (2,884 tCO2e, 57,496 m³) measure neither target, and a base
    year of the reporting year warns of nothing (it had claimed 499 % and 999.8 % progress,
    and with base year 2024 warned +65,128 %). The merged group measures them."""
    copy = tmp_path / "parent.xlsx"
    shutil.copy(SAMPLES / "group" / "parent.xlsx", copy)
    book = openpyxl.load_workbook(copy)
    for row in book["Targets"].iter_rows(min_row=2, max_row=3, min_col=2, max_col=2):
        row[0].value = 2024  # base years of the reporting year
    book.save(copy)
    parent = load_submission(copy)
    assert parent.targets_are_the_groups
    check_computed_figures(parent)
    results = compute(parent)
    assert [(t.metric, t.base_value, t.target_value, t.current_value, t.progress_pct,
             t.group_target) for t in results.targets or []] == [
        ("scope1_2_tco2e", 1_881_200, pytest.approx(1_504_960), None, None, True),
        ("water_withdrawal_m3", 371_000_000, pytest.approx(333_900_000), None, None, True)]
    from bs4 import BeautifulSoup

    from envreport.render import render_html

    for lang, note in (("en", "These are the group's targets: their current values and "
                              "progress, against the consolidated figures, are in the group "
                              "report."),
                       ("zh", "以上为集团目标：其当前值及相对合并数据的进展见集团报告。")):
        soup = BeautifulSoup(render_html(results, lang=lang), "html.parser")
        cells = [td.get_text() for td in soup.find(id="table-targets").find("tbody").find_all(
            "tr")[0].find_all("td")]
        assert cells[1:] == ["2024", "1,881,200", "2030", "1,504,960", "—", "—"]
        assert note in soup.find(id="table-targets").find_parent("div").find_next(
            "p", class_="note").get_text()
    assert "target-base-value-differs" not in {f.code for f in parent.findings.items}
    # merged into the group, the same rows are measured against the consolidated figures
    assert not Submission(parent.source, parent.organization, parent.tables, parent.findings,
                          {}, consolidated=True).targets_are_the_groups


def test_batch_reports_the_inspections_failed_compute_as_the_builds(
        old_base_value: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the base-year check fails when the workbook is read (the task's memory, a bug) and
    # would succeed later: the board counted 6 warnings, without target-base-value-differs,
    # so the build must not write a report with 7 — it reports the same failure instead
    import envreport.metrics
    from envreport.batch.jobs import EntityTask, build_entity, inspect_workbook

    failures = [MemoryError("the task's limit")]

    def fails_once(submission: Submission, *args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()
        return compute(submission, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(envreport.metrics, "compute", fails_once)
    inspected = inspect_workbook(0, old_base_value, tmp_path)
    assert (inspected.warnings, inspected.computed) == (6, None)
    assert inspected.compute_failure == "MemoryError: the task's limit"
    assert inspected.pickle is not None
    folder = tmp_path / "sre"
    built = build_entity(EntityTask(0, old_base_value, inspected.pickle, folder, True,
                                    pdf=False, compute_failure=inspected.compute_failure))
    assert built.failure == "MemoryError: the task's limit"
    assert (built.headline, built.languages) == (None, [])
    assert sorted(p.name for p in folder.iterdir()) == ["annotated.xlsx"]  # no report
