"""The group's targets against its base year consolidated from the members' base-year
submissions in the ledger (batch --ledger; envreport.batch.base_year).

Hand-worked figures. Group GRP (equity share) holds SUB at 60 %; HFC-134a leaks, AR6 GWP
1,530 (10 kg = 15.3 tCO2e):

- 2021, the base year: GRP's plant HQ leaks 10 kg = 15.3 t; SUB's plant S1 leaks 20 kg =
  30.6 t, 60 % of it in the group = 18.36 t. The group's 2021 Scope 1: 15.3 + 18.36 = 33.66 t.
- 2024: GRP's Targets state 2021 base values of 40 for Scope 1 ((40 − 33.66) ÷ 33.66 =
  +18.84 %, beyond the 0.5 % allowed: the warning, at Targets C2) and 33.7 for Scope 1 + 2
  (no Scope 2 here: 33.66; 0.12 % off, stated rounded: no warning).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from envreport.batch.base_year import check_group_base_values
from envreport.batch.consolidate import GroupTask, build_group, compute_group, merge
from envreport.batch.jobs import Recording
from envreport.batch.plan import make_plan
from envreport.batch.status import board_data
from envreport.ledger import Ledger, group_with_periods, tables
from tests.test_batch_support import inspect_all
from tests.workbooks import leaking_plant_sheets, write_workbook

TARGETS = [["metric", "base_year", "base_value", "target_year", "target_reduction_pct"],
           ["scope1_tco2e", 2021, 40, 2030, 50], ["scope1_2_tco2e", 2021, 33.7, 2030, 50]]


def _workbook(folder: Path, entity: str, year: int, plant: str, leak_kg: float,
              targets: list[list[Any]] = TARGETS, gwp: str = "AR6") -> Path:
    sheets = leaking_plant_sheets(entity, year, plant, leak_kg, gwp)
    if entity == "GRP" and year == 2024:
        sheets["Targets"] = targets
    return write_workbook(folder / f"{entity.lower()}_{year}.xlsx", sheets)


def _group(folder: Path, url: str, members_2021: tuple[str, ...],
           targets: list[list[Any]] = TARGETS, gwp_2021: str = "AR6") -> tuple[GroupTask, Any]:
    folder.mkdir()
    with Ledger(url) as ledger:
        for entity, plant, kg in (("GRP", "HQ", 10), ("SUB", "S1", 20)):
            if entity in members_2021:
                assert ledger.record(_workbook(folder, entity, 2021, plant, kg,
                                               gwp=gwp_2021)).valid
    today = [_workbook(folder, "GRP", 2024, "HQ", 12, targets),
             _workbook(folder, "SUB", 2024, "S1", 25)]
    plan = make_plan(inspect_all(today, folder / "scratch"))
    assert plan.approach == "equity_share"
    task = GroupTask(plan.members, plan.approach, [g.finding for g in plan.findings], [], [],
                     folder / "group", langs=["en", "zh"], pdf=False,
                     ledger=Recording(url, "cli:tester"))
    return task, plan


@pytest.fixture(scope="module")
def both_recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, GroupTask, Any]:
    """The ledger's URL, the group's task and its plan, both members' 2021 recorded: read
    by the tests, which compute or build the group each from it."""
    folder = tmp_path_factory.mktemp("both-recorded")
    url = f"sqlite:///{folder / 'ledger.db'}"
    return (url, *_group(folder / "in", url, ("GRP", "SUB")))


def test_targets_against_the_members_consolidated_base_year(
        both_recorded: tuple[str, GroupTask, Any]) -> None:
    url, task, _plan = both_recorded
    merged, results = compute_group(task)
    warnings = results.validation.warnings
    with Ledger(url) as ledger:
        checked, found = check_group_base_values(ledger, task, merged, results, merge)
    scope1, both = checked.targets or []
    assert (scope1.base_value_recorded, both.base_value_recorded) == (
        pytest.approx(33.66), pytest.approx(33.66))
    assert (scope1.base_value_consolidated, scope1.base_value_differs) == (True, True)
    assert (both.base_value_consolidated, both.base_value_differs) == (True, False)
    assert scope1.base_value_unchecked is None
    assert [(f.code, f.sheet, f.cell, f.value) for f in found] == [
        ("target-base-value-differs", "Targets", "C2", 40)]
    assert found[0].message("en") == (
        "base_value (40) is not the scope1_tco2e computed for 2021, the target's base year, "
        "from that year's own data: 33.66 (+18.84 %, more than the 0.5 % allowed for "
        "rounding). Every report measures the target's progress from base_value.")
    assert found[0].message("zh").startswith(
        "基准值（base_value）为40，不是根据目标基准年2021年自身数据计算的"
        "范围一排放量（吨二氧化碳当量）："
        "计算值为33.66（相差+18.84%")
    assert checked.validation.warnings == warnings + 1
    assert found[0] in merged.findings.items  # the group report's findings list it


def test_a_member_without_a_base_year_submission_is_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    task, _plan = _group(tmp_path / "in", url, ("GRP",))  # SUB's 2021 was never recorded
    merged, results = compute_group(task)
    with Ledger(url) as ledger:
        checked, found = check_group_base_values(ledger, task, merged, results, merge)
    assert found == []
    assert [(t.base_value_recorded, t.base_value_differs, t.base_value_unchecked)
            for t in checked.targets or []] == [(None, None, ["SUB"])] * 2
    assert checked.to_json_dict()["targets"][0]["base_value_unchecked"] == ["SUB"]
    from envreport.render import render_html

    notes = {lang: [p.get_text(" ", strip=True) for p in BeautifulSoup(
        render_html(checked, lang), "html.parser").select("p.target-unchecked")]
        for lang in ("en", "zh")}
    assert notes["en"][0] == (
        "Scope 1 emissions (tCO2e): the base value could not be checked against the group's "
        "base year 2021: the ledger holds no submission of 2021 for SUB.")
    assert notes["zh"][0] == ("范围一排放量（吨二氧化碳当量）："
                              "无法以集团2021年基准年数值核对基准值：台账中没有SUB的2021年提交。")
    assert len(notes["en"]) == len(notes["zh"]) == 2


def test_a_base_value_stated_restated_to_todays_gwp_set_is_right(tmp_path: Path) -> None:
    # 2021 recorded under AR5 (HFC-134a 1,300): HQ 13.0 t + 60 % of SUB's 26.0 t = 28.6 t as
    # reported; under the group's AR6 today (1,530) the same base year is 33.66 t. A base
    # value stated either way is right, as for an entity's base year in the ledger; 40 is
    # neither (+39.86 % from 28.6, +18.84 % from 33.66): the warning, against as reported
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    task, _plan = _group(tmp_path / "in", url, ("GRP", "SUB"), [
        TARGETS[0][:], ["scope1_tco2e", 2021, 33.66, 2030, 50],
        ["scope1_2_tco2e", 2021, 28.6, 2030, 50], ["scope1_2_market_tco2e", 2021, 40, 2030, 50]],
        gwp_2021="AR5")
    merged, results = compute_group(task)
    with Ledger(url) as ledger:
        checked, found = check_group_base_values(ledger, task, merged, results, merge)
    assert [(t.metric, t.base_value_recorded, t.base_value_consolidated, t.base_value_differs)
            for t in checked.targets or []] == [
        ("scope1_tco2e", pytest.approx(28.6), True, False),
        ("scope1_2_tco2e", pytest.approx(28.6), True, False),
        ("scope1_2_market_tco2e", pytest.approx(28.6), True, True)]
    assert [(f.code, f.cell, f.params["computed"], f.params["difference_pct"])
            for f in found] == [("target-base-value-differs", "C4", "28.6", "+39.86")]


def test_the_group_build_reports_and_boards_the_check(
        both_recorded: tuple[str, GroupTask, Any]) -> None:
    _url, task, plan = both_recorded
    built = build_group(task)
    assert built.failure is None
    data = json.loads((task.folder / "results.json").read_text(encoding="utf-8"))
    scope1 = data["targets"][0]
    assert (scope1["base_value_recorded"], scope1["base_value_consolidated"],
            scope1["base_value_differs"]) == (pytest.approx(33.66), True, True)
    assert [f.code for f in built.findings] == ["target-base-value-differs"]
    board = board_data(plan, {}, built, task.folder.parent.parent, "en")  # the batch's out
    assert [(f["entity_id"], f["code"], f["cell"]) for f in board["group"]["findings"]] == [
        ("GRP", "target-base-value-differs", "C2")]
    for lang, note in (
            ("en", "Scope 1 emissions (tCO2e): the base value the workbook states, 40.0, is not "
                   "the group's base year 2021 as its members' submissions of that year in the "
                   "ledger consolidate, 33.7."),
            ("zh", "范围一排放量（吨二氧化碳当量）：工作簿所填的基准值40.0与台账中"
                   "各成员2021年提交数据合并所得的集团基准年数值33.7不符。")):
        soup = BeautifulSoup((task.folder / f"report.{lang}.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert [p.get_text(" ", strip=True) for p in soup.select("p.target-differs")] == [note]


def test_the_group_is_recorded_as_reported(both_recorded: tuple[str, GroupTask, Any]) -> None:
    # batch --ledger records the group after its base-year check: the stored record carries
    # the check's fields and its warning (Targets C2, 40 against 33.66), as results.json does
    url, task, _plan = both_recorded
    folder = task.folder.parent / "recorded"
    built = build_group(replace(task, folder=folder, langs=["en"]))
    assert built.failure is None
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    with Ledger(url) as ledger:
        newest = ledger.submissions(entity="GRP:group")[-1]
        record = ledger.submission(newest.id)
    assert record is not None
    assert record.results is not None
    assert newest.received_by == "cli:tester"  # the task's, as the batch's members are
    checked = [(t.get("base_value_recorded"), t.get("base_value_consolidated"),
                t.get("base_value_differs"), t.get("base_value_unchecked"))
               for t in data["targets"]]
    assert checked == [(33.66, True, True, None), (33.66, True, False, None)]
    assert [(t.get("base_value_recorded"), t.get("base_value_consolidated"),
             t.get("base_value_differs"), t.get("base_value_unchecked"))
            for t in record.results["targets"]] == checked
    assert record.results["validation"] == data["validation"] == {"errors": 0, "warnings": 1}
    assert (record.outcome, record.errors, record.warnings) == ("valid_with_warnings", 0, 1)
    assert [(f["code"], f["sheet"], f["cell"], f["value"]) for f in record.findings] == [
        ("target-base-value-differs", "Targets", "C2", 40)]
    assert record.findings[0]["message"].startswith(
        "base_value (40) is not the scope1_tco2e computed for 2021")


def test_the_groups_own_base_year_warning_is_on_the_board(tmp_path: Path) -> None:
    # a target of the reporting year's base: the group's own compute checks it (2024: HQ
    # 12 kg = 18.36 t, SUB 25 kg = 38.25 t × 60 % = 22.95 t; 41.31 t), and a stated 40
    # ((40 − 41.31) ÷ 41.31 = −3.17 %) is on the board's group findings as in the report
    this_year = [TARGETS[0], ["scope1_tco2e", 2024, 40, 2030, 50]]
    today = [_workbook(tmp_path, "GRP", 2024, "HQ", 12, this_year),
             _workbook(tmp_path, "SUB", 2024, "S1", 25)]
    plan = make_plan(inspect_all(today, tmp_path / "scratch"))
    assert plan.approach is not None
    built = build_group(GroupTask(plan.members, plan.approach, [], [], [], tmp_path / "group",
                                  langs=["en"], pdf=False))
    assert built.failure is None
    assert [(f.code, f.cell, f.params["computed"], f.params["difference_pct"])
            for f in built.findings] == [("target-base-value-differs", "C2", "41.31", "-3.17")]
    board = board_data(plan, {}, built, tmp_path, "en")
    assert [(f["entity_id"], f["code"]) for f in board["group"]["findings"]] == [
        ("GRP", "target-base-value-differs")]
    data = json.loads((tmp_path / "group" / "results.json").read_text(encoding="utf-8"))
    assert data["validation"]["warnings"] == 1


def test_a_group_in_its_own_base_year_names_its_new_record(tmp_path: Path) -> None:
    # compared before it is recorded, the group's base-year section could not name its own
    # record: once recorded, the section says the base year is in the ledger as that record
    # (as when the group was recorded first), and the earlier period used is noted
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    earlier = [_workbook(tmp_path, "GRP", 2023, "HQ", 10),
               _workbook(tmp_path, "SUB", 2023, "S1", 20)]
    plan = make_plan(inspect_all(earlier, tmp_path / "scratch-2023"))
    assert plan.approach is not None
    merged, results = compute_group(GroupTask(plan.members, plan.approach, [], [], [],
                                              tmp_path / "g2023"))
    with Ledger(url) as ledger:
        first = ledger.record_group(merged, results)
    task, _plan = _group(tmp_path / "in", url, ())
    merged, results = compute_group(task)
    assert results.organization is not None
    results = results.model_copy(update={"organization": results.organization.model_copy(
        update={"base_year": 2024})})
    reported, found = group_with_periods(url, merged, results, lambda _l, r: (r, []))
    assert found == []
    with Ledger(url) as ledger:
        second = ledger.submissions(entity="GRP:group")[-1]
        with ledger.engine.connect() as connection:
            used = [json.loads(text) for text in connection.execute(
                select(tables.report_builds.c.used_submission_ids).where(
                    tables.report_builds.c.submission_id == second.id)).scalars()]
    assert second.id != first.id
    assert reported.base_year is not None
    assert (reported.base_year.year, reported.base_year.in_ledger,
            reported.base_year.submission_id) == (2024, True, second.id)
    # 2024: HQ 12 kg = 18.36 t, SUB 25 kg = 38.25 t × 60 % = 22.95 t
    assert reported.base_year.scope1_tco2e == pytest.approx(41.31)
    assert reported.comparison is not None  # against 2023, noted as used by this report
    assert used == [[first.id]]


def test_the_base_year_leaves_out_an_override_as_the_batch_does(tmp_path: Path) -> None:
    """SUB's workbooks, 2021 and 2024, carry its own override of HFC-134a's GWP (1,000):
    GRP's HQ leaks the gas without it, so the group leaves it out (override-invalid), in
    2024 as it would have in 2021. The base year consolidated from the ledger's 2021
    submissions by the same rule: 15.3 + 60 % of 30.6 = 33.66 t, what the target states
    (not 10 kg × 1,000 + 60 % of 20 kg × 1,000 = 22 t, the override applied to every member's
    rows, and a warning the group's own 2021 report would not give)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    folder = tmp_path / "in"
    folder.mkdir()

    def workbook(entity: str, year: int, plant: str, kg: float) -> Path:
        sheets = leaking_plant_sheets(entity, year, plant, kg)
        if entity == "SUB":
            sheets["Factors"] = [["factor_type", "key", "gas", "value", "unit", "source"],
                                 ["refrigerant", "HFC-134a", None, 1000, "1", "Datasheet"]]
        if entity == "GRP" and year == 2024:
            sheets["Targets"] = [TARGETS[0], ["scope1_tco2e", 2021, 33.66, 2030, 50]]
        return write_workbook(folder / f"{entity.lower()}_{year}.xlsx", sheets)

    with Ledger(url) as ledger:
        assert ledger.record(workbook("GRP", 2021, "HQ", 10)).valid
        assert ledger.record(workbook("SUB", 2021, "S1", 20)).valid
    plan = make_plan(inspect_all([workbook("GRP", 2024, "HQ", 12),
                                  workbook("SUB", 2024, "S1", 25)], folder / "scratch"))
    assert [(g.finding.code, g.entity_id) for g in plan.findings] == [
        ("override-invalid", "SUB")]
    task = GroupTask(plan.members, plan.approach, [g.finding for g in plan.findings], [], [],
                     folder / "group", langs=["en"], pdf=False)
    merged, results = compute_group(task)
    with Ledger(url) as ledger:
        checked, found = check_group_base_values(ledger, task, merged, results, merge)
    [target] = checked.targets or []
    assert (target.base_value_recorded, target.base_value_differs, found) == (
        pytest.approx(33.66), False, [])


def _divesting_group(folder: Path, url: str, group_2021: bool) -> Any:
    """GRP's group of 2024 compared, checked and recorded as ``batch --ledger`` does, the
    members' 2021 submissions in the ledger (SUB then had two plants, S2 gone by 2024), with
    the group's own 2021 record too when ``group_2021``."""
    folder.mkdir()

    def book(entity: str, year: int, plants: dict[str, float],
             targets: list[list[Any]] | None = None) -> Path:
        (first, kg), *more = plants.items()
        sheets = leaking_plant_sheets(entity, year, first, kg)
        for plant, leak in more:
            sheets["Projects"].append([plant, f"Plant {plant}", "PK", "manufacturing",
                                       "manufacturing", "operation", 100, "approved",
                                       sheets["Projects"][1][-1]])
            sheets["Refrigerants"].append([plant, "HFC-134a", leak])
        sheets["Organization"].append(["base_year", 2021])
        if targets is not None:
            sheets["Targets"] = targets
        return write_workbook(folder / f"{entity.lower()}_{year}.xlsx", sheets)

    earlier = [book("GRP", 2021, {"HQ": 10}), book("SUB", 2021, {"S1": 20, "S2": 10})]
    with Ledger(url) as ledger:
        for path in earlier:
            assert ledger.record(path).valid
    if group_2021:
        plan = make_plan(inspect_all(earlier, folder / "scratch-2021"))
        assert plan.approach is not None
        merged, results = compute_group(GroupTask(plan.members, plan.approach, [], [], [],
                                                  folder / "g2021"))
        with Ledger(url) as ledger:
            ledger.record_group(merged, results)
    targets = [TARGETS[0], ["scope1_tco2e", 2021, 42.84, 2030, 50]]
    today = [book("GRP", 2024, {"HQ": 12}, targets), book("SUB", 2024, {"S1": 25})]
    plan = make_plan(inspect_all(today, folder / "scratch"))
    assert plan.approach is not None
    task = GroupTask(plan.members, plan.approach, [], [], [], folder / "group")
    merged, results = compute_group(task)
    reported, _found = group_with_periods(
        url, merged, results,
        lambda ledger, compared: check_group_base_values(ledger, task, merged, compared,
                                                         merge))
    return reported


def test_a_group_target_is_recalculated_only_from_the_groups_own_base_year_record(
        tmp_path: Path) -> None:
    """2021: HQ 10 kg = 15.3 t; SUB's S1 20 kg = 30.6 t and S2 10 kg = 15.3 t, 60 % in the
    group: 15.3 + 27.54 = 42.84 t, the base value GRP states. S2 is gone in 2024 (HQ 12 kg =
    18.36 t, S1 25 kg = 38.25 t × 60 % = 22.95 t: 41.31 t). GHG Protocol ch. 5: S2's
    15.3 × 60 % = 9.18 t (21.4 %) leave the base year: 33.66 t, the target 16.83 t, progress
    (33.66 − 41.31) ÷ (33.66 − 16.83) = −45.45 %, above the base year.

    With the group's own 2021 record in the ledger (a ``batch --ledger`` of 2021) the group's
    report does so, by the entity's rule. With the members' 2021 submissions alone, the base
    value is checked against their consolidation (42.84, as stated) but not recalculated:
    progress is measured from the stated 42.84, target 21.42: (42.84 − 41.31) ÷ 21.42 =
    +7.14 %, on the way to the target (docs/ledger.md says so; the gap is the lead's)."""
    recorded = _divesting_group(tmp_path / "with", f"sqlite:///{tmp_path / 'a.db'}", True)
    assert recorded.base_year is not None
    assert (recorded.base_year.recalculated, recorded.base_year.scope1_tco2e) == (
        True, pytest.approx(33.66))
    [trigger] = recorded.base_year.triggers
    assert (trigger.code, trigger.project_id, trigger.effect_tco2e) == (
        "structural-divestment", "S2", pytest.approx(-9.18))
    [target] = recorded.targets or []
    assert (target.base_value, target.base_value_recalculated, target.base_value_source,
            target.target_value, target.progress_pct) == (
        42.84, pytest.approx(33.66), "ledger_recalculated", pytest.approx(16.83),
        pytest.approx(-45.4545454545))

    members_only = _divesting_group(tmp_path / "without", f"sqlite:///{tmp_path / 'b.db'}",
                                    False)
    assert members_only.base_year is None
    [target] = members_only.targets or []
    assert (target.base_value_recorded, target.base_value_consolidated,
            target.base_value_recalculated, target.base_value_source,
            target.target_value, target.progress_pct) == (
        pytest.approx(42.84), True, None, "workbook", pytest.approx(21.42),
        pytest.approx(7.1428571429))
