"""A member's correction of an earlier period reaches the group's comparison (batch --ledger).

The group's report of a period is recorded as ``GRP:group``, its build noted on the members'
submissions it was consolidated from. When one of them is corrected afterwards, the next
period's group report restates that period: consolidated again from the members' current
submissions, the figures as first reported beside them, and the base year's
``error-correction`` trigger when it is the base year. (tests/portal/test_group_periods.py
has the portal's Build.)

Hand-worked figures (equity share; HFC-134a leaks, AR6 GWP 1,530: 10 kg = 15.3 tCO2e).
Group GRP holds SUB at 60 %; GRP's base year is 2021:

- 2021: GRP's plant HQ leaks 10 kg = 15.3 t; SUB's plant S1 20 kg = 30.6 t, 60 % of it in
  the group = 18.36 t. The group's Scope 1: 15.3 + 18.36 = 33.66 t.
- 2022: HQ 12 kg = 18.36 t; S1 25 kg = 38.25 t, 60 % = 22.95 t. Group: 41.31 t, against
  2021 (41.31 − 33.66) ÷ 33.66 = 5 ÷ 22 = +22.7272… %.
- SUB's 2021 corrected to 22 kg = 33.66 t (60 % = 20.196 t): the group's 2021 as it now
  stands is 15.3 + 20.196 = 35.496 t, and 2022 against it (41.31 − 35.496) ÷ 35.496
  = 3.8 ÷ 23.2 = +16.3793… %. As the base year's correction: 35.496 − 33.66 = +1.836 t,
  1.836 ÷ 33.66 = 5.4545… % of the base year as reported, at or above the 5 % threshold:
  the base year is recalculated to 35.496 t.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from envreport.cli import app
from envreport.ledger import Ledger
from tests.workbooks import leaking_plant_sheets, write_workbook

SCOPE1 = "ghg.scope1_tco2e"


def _workbook(folder: Path, entity: str, year: int, plant: str, leak_kg: float,
              gwp: str = "AR6") -> Path:
    sheets = leaking_plant_sheets(entity, year, plant, leak_kg, gwp)
    if entity == "GRP":
        sheets["Organization"].append(["base_year", 2021])
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / f"{entity.lower()}_{year}.xlsx", sheets)


def _batch(inputs: Path, out: Path, db: str, exit_code: int = 0) -> dict[str, Any]:
    """``envreport batch INPUTS -o OUT --ledger --db DB`` (HTML in en and zh): the group's
    results.json. ``exit_code`` 1: the group has an error finding (an override left out)."""
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "--ledger",
                                      "--db", db, "--no-pdf", "--lang", "en,zh", "-j", "1",
                                      "-q"])
    assert result.exit_code == exit_code, result.output
    data: dict[str, Any] = json.loads((out / "group" / "results.json").read_text("utf-8"))
    return data


def _add(workbook: Path, db: str) -> None:
    """``envreport ledger add WORKBOOK --db DB``: a correction recorded outside a batch."""
    added = CliRunner().invoke(app, ["ledger", "add", str(workbook), "--db", db])
    assert added.exit_code == 0, added.output


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Any]]:
    """2021 and 2022 built with batch --ledger, SUB's 2021 corrected with ``ledger add``,
    2022 built again: the folder, the ledger and the two 2022 group results."""
    root = tmp_path_factory.mktemp("group-corrections")
    db = f"sqlite:///{root / 'ledger.db'}"
    for year, hq, s1 in ((2021, 10, 20), (2022, 12, 25)):
        _workbook(root / str(year), "GRP", year, "HQ", hq)
        _workbook(root / str(year), "SUB", year, "S1", s1)
    _batch(root / "2021", root / "out2021", db)
    before = _batch(root / "2022", root / "before", db)
    fixed = _workbook(root / "fix", "SUB", 2021, "S1", 22)
    _add(fixed, db)
    after = _batch(root / "2022", root / "after", db)
    return root, db, {"before": before, "after": after}


def test_before_the_correction_the_prior_period_is_as_built(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    comparison = corrected[2]["before"]["comparison"]
    assert comparison["prior_period"]["restated"] is False
    assert "member_corrections" not in comparison["prior_period"]
    scope1 = comparison["figures"][SCOPE1]
    assert (scope1["current"], scope1["prior"]) == (pytest.approx(41.31), pytest.approx(33.66))
    assert scope1["change_pct"] == pytest.approx(500 / 22)


def test_a_members_correction_restates_the_groups_prior_period(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    _root, db, data = corrected
    with Ledger(db) as ledger:
        group_2021 = ledger.submissions(entity="GRP:group", period=2021)
        sub_2021 = [r.id for r in ledger.submissions(entity="SUB", period=2021)]
        grp_2021 = [r.id for r in ledger.submissions(entity="GRP", period=2021)]
        # the group's 2021 recorded once (not built again), its members' noted on its build
        assert (len(group_2021), len(sub_2021)) == (1, 2)
        assert ledger.built_from(group_2021[0].id) == {grp_2021[0], sub_2021[0]}
    prior = data["after"]["comparison"]["prior_period"]
    assert (prior["submission_id"], prior["restated"], prior["restatement_reasons"]) == (
        group_2021[0].id, True, [])
    assert prior["member_corrections"] == [{
        "entity_id": "SUB", "submission_id": sub_2021[1], "replaced_submission_id": sub_2021[0]}]
    assert "replaced_submission_id" not in prior
    figures = data["after"]["comparison"]["figures"]
    assert figures[SCOPE1]["prior"] == pytest.approx(35.496)
    assert figures[SCOPE1]["prior_as_reported"] == pytest.approx(33.66)
    assert figures[SCOPE1]["change_pct"] == pytest.approx(380 / 23.2)
    assert figures[SCOPE1]["prior_restated"] is True  # 35.5 reads otherwise than 33.7
    # each row of the chapter's tables as it now stands: every tonne is a leak in Pakistan
    for key in ("ghg.scope1_by_source_tco2e.fugitive", "by_country.PAK.scope1_tco2e"):
        assert (figures[key]["prior"], figures[key]["prior_as_reported"]) == (
            pytest.approx(35.496), pytest.approx(33.66)), key
    assert [(h["period_end"], h["scope1_tco2e"], h["restated"], h["as_reported_scope1_tco2e"])
            for h in data["after"]["history"]] == [
        ("2021-12-31", pytest.approx(35.496), True, pytest.approx(33.66)),
        ("2022-12-31", pytest.approx(41.31), False, pytest.approx(41.31))]


def test_the_groups_history_shows_the_period_as_it_now_stands(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    _root, db, _data = corrected
    answer = CliRunner().invoke(app, ["ledger", "history", "GRP:group", "--db", db,
                                      "--format", "json"])
    assert answer.exit_code == 0, answer.output
    with Ledger(db) as ledger:
        old, new = (r.id for r in ledger.submissions(entity="SUB", period=2021))
    assert [(p["period_end"], p["scope1_tco2e"], p["restated"], p["as_reported_scope1_tco2e"],
             p.get("member_corrections")) for p in json.loads(answer.output)] == [
        ("2021-12-31", pytest.approx(35.496), True, pytest.approx(33.66),
         [{"entity_id": "SUB", "submission_id": new, "replaced_submission_id": old}]),
        # 2022 built again after the correction: from the members' current submissions
        ("2022-12-31", pytest.approx(41.31), False, pytest.approx(41.31), None)]


def test_the_history_reads_the_report_builds_once(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    """Each of the group's periods asks which reports used its submissions and which members
    its builds used: the ledger's report_builds are read once for all of them, not once or
    twice a period."""
    from sqlalchemy import event

    from envreport.batch.consolidate import regrouped

    _root, db, _data = corrected
    statements: list[str] = []
    with Ledger(db) as ledger:
        event.listen(ledger.engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        periods = ledger.history("GRP:group", regrouped)
    assert [p["scope1_tco2e"] for p in periods] == [pytest.approx(35.496),
                                                     pytest.approx(41.31)]
    assert sum("FROM report_builds" in s for s in statements) == 1


def test_the_corrected_base_year_is_an_error_correction(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    _root, db, data = corrected
    with Ledger(db) as ledger:
        sub_2021 = [r.id for r in ledger.submissions(entity="SUB", period=2021)]
    base = data["after"]["base_year"]
    assert [(t["code"], t["effect_tco2e"], t["effect_pct"]) for t in base["triggers"]] == [
        ("error-correction", pytest.approx(1.836), pytest.approx(1.836 / 33.66 * 100))]
    assert base["triggers"][0]["detail"] == (
        "base year's member submissions corrected after the group report used them: SUB "
        f"(submission {sub_2021[0]}, replaced by submission {sub_2021[1]})")
    assert base["recalculated"] is True  # 5.45 % ≥ 5 %
    assert (base["scope1_tco2e"], base["as_reported_scope1_tco2e"]) == (
        pytest.approx(35.496), pytest.approx(33.66))
    assert data["before"]["base_year"]["triggers"] == []


def test_the_report_says_why_in_en_and_zh(
        corrected: tuple[Path, str, dict[str, Any]]) -> None:
    root, db, _data = corrected
    with Ledger(db) as ledger:
        old, new = (r.id for r in ledger.submissions(entity="SUB", period=2021))
    said = {
        "en": ("The prior period is 1 January 2021 to 31 December 2021, as recorded in the "
               "ledger. Its figures are restated: a member's submission that the group "
               "report of the period was consolidated from has been corrected since (SUB's "
               f"submission {old}, replaced by submission {new}), so the period is "
               "consolidated again from the members' current submissions. A prior figure "
               "marked R differs from the one first reported (the last column) at the precision "
               "shown; the others are as first reported."),
        "zh": ("上期为台账记录的2021年1月1日至2021年12月31日。上期数据已重述：编制该期间"
               f"集团报告所合并的成员报送此后已更正（SUB的第{old}号报送，由第{new}号报送取代），"
               "因此已按各成员当前的报送重新合并该期间。标有R的上期数值与原报告数值（末列）在所示"
               "精度下不同；其余数值与原报告相同。"),
    }
    # printed to three significant figures: 41.31 → 41.3, 35.496 → 35.5 (R), 33.66 → 33.7;
    # 2021 marked R in the history, the base year's correction labelled
    change = {"en": "+16.4 %", "zh": "+16.4%"}
    label = {"en": "Correction of an error", "zh": "错误更正"}
    for lang, sentence in said.items():
        page = BeautifulSoup((root / "after" / "group" / f"report.{lang}.html").read_text(
            "utf-8"), "html.parser")
        chapter = page.find("section", id="comparison")
        assert chapter is not None
        assert chapter.find("p").get_text() == sentence
        assert _cells(chapter, "table-comparison")[0][1:] == [
            "41.3", "35.5 R", change[lang], "33.7"], lang
        assert [(row[0], row[1], row[-1]) for row in _cells(chapter, "table-history")] == [
            ("2021 R", "35.5", "33.7"), ("2022", "41.3", "41.3")], lang
        trigger = _cells(chapter, "table-base-year-triggers")
        assert [(row[0].startswith(label[lang]), row[2:]) for row in trigger] == [
            (True, ["1.8", change[lang].replace("+16.4", "5.5")])], lang


def _cells(chapter: Any, table: str) -> list[list[str]]:
    """Each body row's cells of the chapter's table ``table``, as read."""
    return [[cell.get_text(" ", strip=True) for cell in row("td")]
            for row in chapter.find("table", id=table).find("tbody")("tr")]


def test_a_correction_and_a_change_of_method_each_have_their_effect(tmp_path: Path) -> None:
    """2021 reported under AR5 (HFC-134a 1,300): HQ 10 kg = 13 t, SUB 20 kg = 26 t, 60 % =
    15.6 t; the group's 2021 as reported 28.6 t. SUB's 2021 corrected to 22 kg, then 2022
    built under AR6: the group's 2021 now stands at 15.3 + 60 % of 33.66 = 35.496 t. Its
    recorded rows under AR6 alone give 15.3 + 18.36 = 33.66 t: the methodology change is
    33.66 − 28.6 = +5.06 t, the correction 35.496 − 33.66 = +1.836 t (not both in each)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    _workbook(tmp_path / "2021", "GRP", 2021, "HQ", 10, "AR5")
    _workbook(tmp_path / "2021", "SUB", 2021, "S1", 20, "AR5")
    _workbook(tmp_path / "2022", "GRP", 2022, "HQ", 12)
    _workbook(tmp_path / "2022", "SUB", 2022, "S1", 25)
    assert _batch(tmp_path / "2021", tmp_path / "out2021", db)["ghg"]["scope1_tco2e"] == (
        pytest.approx(28.6))
    fixed = _workbook(tmp_path / "fix", "SUB", 2021, "S1", 22, "AR5")
    _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    prior = data["comparison"]["prior_period"]
    assert (prior["restated"], prior["restatement_reasons"],
            [c["entity_id"] for c in prior["member_corrections"]]) == (
        True, ["GWP set AR5 → AR6"], ["SUB"])
    scope1 = data["comparison"]["figures"][SCOPE1]
    assert (scope1["prior"], scope1["prior_as_reported"]) == (
        pytest.approx(35.496), pytest.approx(28.6))
    triggers = {t["code"]: t["effect_tco2e"] for t in data["base_year"]["triggers"]}
    assert triggers == {"methodology-change": pytest.approx(5.06),
                        "error-correction": pytest.approx(1.836)}
    assert data["base_year"]["total_effect_pct"] == pytest.approx(6.896 / 28.6 * 100)
    with Ledger(db) as ledger:
        old, new = (r.id for r in ledger.submissions(entity="SUB", period=2021))
    # the method's sentence first, then the member's correction as the further reason
    also = {"en": ("A member's submission that the group report of the period was "
                   f"consolidated from has also been corrected since (SUB's submission {old}, "
                   f"replaced by submission {new}): the period is consolidated again from the "
                   "members' current submissions under this report's methods."),
            "zh": (f"编制该期间集团报告所合并的成员报送此后也已更正（SUB的第{old}号报送，"
                   f"由第{new}号报送取代），该期间已按本报告的方法和各成员当前的报送重新合并。")}
    for lang, sentence in also.items():
        page = BeautifulSoup((tmp_path / "out2022" / "group" / f"report.{lang}.html")
                             .read_text("utf-8"), "html.parser")
        text = page.find("section", id="comparison").find("p").get_text()
        assert sentence in text, lang
        assert text.index(sentence) > text.index("AR6"), lang


def _two_years(root: Path, db: str) -> None:
    """2021 and 2022 of GRP and SUB as the module's fixture has them; 2021 built."""
    for year, hq, s1 in ((2021, 10, 20), (2022, 12, 25)):
        _workbook(root / str(year), "GRP", year, "HQ", hq)
        _workbook(root / str(year), "SUB", year, "S1", s1)
    _batch(root / "2021", root / "out2021", db)


def test_a_correction_with_the_same_figures_restates_nothing(tmp_path: Path) -> None:
    """SUB's 2021 recorded again, another file (its plant renamed) with the same leak: the
    group's 2021 consolidated again is 33.66 t as reported, so nothing is restated, no
    member correction is named and the base year has no trigger (as a member's own period
    recorded again with the same figures)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    _two_years(tmp_path, db)
    sheets = leaking_plant_sheets("SUB", 2021, "S1", 20)
    sheets["Projects"][1][1] = "Plant S1, renamed"
    (tmp_path / "fix").mkdir()
    same = write_workbook(tmp_path / "fix" / "sub_2021.xlsx", sheets)
    _add(same, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    prior = data["comparison"]["prior_period"]
    assert (prior["restated"], "member_corrections" in prior) == (False, False)
    assert data["comparison"]["figures"][SCOPE1]["prior"] == pytest.approx(33.66)
    assert data["base_year"]["triggers"] == []



def test_the_parents_correction_of_a_share_restates_with_the_new_share(tmp_path: Path) -> None:
    """GRP's 2021 corrected: it held 70 % of SUB, not 60 %. The group's 2021 as it now
    stands: 15.3 + 70 % of 30.6 = 15.3 + 21.42 = 36.72 t (not 33.66 t again, the share of
    the period's report); the correction's effect 36.72 − 33.66 = +3.06 t."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    _two_years(tmp_path, db)
    sheets = leaking_plant_sheets("GRP", 2021, "HQ", 10)
    sheets["Organization"].append(["base_year", 2021])
    sheets["Subsidiaries"][1][2] = 70
    (tmp_path / "fix").mkdir()
    fixed = write_workbook(tmp_path / "fix" / "grp_2021.xlsx", sheets)
    _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    prior = data["comparison"]["prior_period"]
    assert [c["entity_id"] for c in prior["member_corrections"]] == ["GRP"]
    figures = data["comparison"]["figures"]
    assert (figures[SCOPE1]["prior"], figures[SCOPE1]["prior_as_reported"]) == (
        pytest.approx(36.72), pytest.approx(33.66))
    assert [(t["code"], t["effect_tco2e"]) for t in data["base_year"]["triggers"]] == [
        ("error-correction", pytest.approx(3.06))]


def test_a_member_corrected_twice_is_one_correction_to_its_newest(tmp_path: Path) -> None:
    """SUB's 2021 corrected to 22 kg, then again to 24 kg (36.72 t, 60 % = 22.032 t): the
    group's 2021 now stands at 15.3 + 22.032 = 37.332 t; one member correction, from the
    submission the report used to the newest (the one between was never used)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    _two_years(tmp_path, db)
    for kg in (22, 24):
        fixed = _workbook(tmp_path / f"fix{kg}", "SUB", 2021, "S1", kg)
        _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    with Ledger(db) as ledger:
        used, _between, newest = (r.id for r in ledger.submissions(entity="SUB", period=2021))
    assert data["comparison"]["prior_period"]["member_corrections"] == [
        {"entity_id": "SUB", "submission_id": newest, "replaced_submission_id": used}]
    assert data["comparison"]["figures"][SCOPE1]["prior"] == pytest.approx(37.332)
    assert [(t["code"], t["effect_tco2e"]) for t in data["base_year"]["triggers"]] == [
        ("error-correction", pytest.approx(37.332 - 33.66))]


# SUB's own override of HFC-134a's GWP (a supplier's datasheet, 1,000): it applies to SUB's
# workbook only, so the group leaves it out when another member leaks the same gas without it
# (envreport.batch.plan, override-invalid), and applies it when none does.
_OVERRIDE = [["factor_type", "key", "gas", "value", "unit", "source"],
             ["refrigerant", "HFC-134a", None, 1000, "1", "Supplier datasheet"]]


def _sub_with_override(folder: Path, year: int, leak_kg: float) -> Path:
    sheets = leaking_plant_sheets("SUB", year, "S1", leak_kg)
    sheets["Factors"] = _OVERRIDE
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / f"sub_{year}.xlsx", sheets)


def _grp_leaking(folder: Path, year: int, leaks: list[tuple[str, float]]) -> Path:
    """GRP's workbook of ``year``, its plant HQ leaking each (gas, kg) of ``leaks``."""
    sheets = leaking_plant_sheets("GRP", year, "HQ", 0)
    sheets["Organization"].append(["base_year", 2021])
    sheets["Refrigerants"] = [["project_id", "gas", "quantity_kg"],
                              *(["HQ", gas, kg] for gas, kg in leaks)]
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / f"grp_{year}.xlsx", sheets)


def test_an_override_the_period_left_out_stays_out_when_consolidated_again(
        tmp_path: Path) -> None:
    """GRP's HQ leaks HFC-134a too, without SUB's override: the group of 2021 leaves it out,
    every tonne at AR6's 1,530: 15.3 + 60 % of 30.6 = 33.66 t. SUB's 2021 corrected to 22 kg
    (its override unchanged): consolidated again by the same rule, the override stays out:
    15.3 + 60 % of 33.66 = 35.496 t, the correction's +1.836 t the only change (not 10 kg ×
    1,000 + 60 % of 22 kg × 1,000 = 23.2 t, the override applied to GRP's rows too)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    for year, hq, s1 in ((2021, 10, 20), (2022, 12, 25)):
        _workbook(tmp_path / str(year), "GRP", year, "HQ", hq)
        _sub_with_override(tmp_path / str(year), year, s1)
    first = _batch(tmp_path / "2021", tmp_path / "out2021", db, exit_code=1)
    assert [(f["code"], f["entity_id"]) for f in first["group_findings"]] == [
        ("override-invalid", "SUB")]
    assert first["ghg"]["scope1_tco2e"] == pytest.approx(33.66)
    fixed = _sub_with_override(tmp_path / "fix", 2021, 22)
    _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db, exit_code=1)
    assert [c["entity_id"] for c in data["comparison"]["prior_period"]["member_corrections"]] \
        == ["SUB"]
    scope1 = data["comparison"]["figures"][SCOPE1]
    assert (scope1["current"], scope1["prior"], scope1["prior_as_reported"]) == (
        pytest.approx(41.31), pytest.approx(35.496), pytest.approx(33.66))
    assert [(t["code"], t["effect_tco2e"]) for t in data["base_year"]["triggers"]] == [
        ("error-correction", pytest.approx(1.836))]


def test_an_override_the_corrected_period_would_leave_out_is_left_out(tmp_path: Path) -> None:
    """The other way: GRP's HQ leaks 10 kg of HFC-32 only (AR6 771: 7.71 t), so SUB's
    override applies in the group of 2021: 7.71 + 60 % of 20 kg × 1,000 = 7.71 + 12 = 19.71 t.
    GRP's 2021 corrected: HQ also leaked 2 kg of HFC-134a. Consolidated again as the batch
    would consolidate those workbooks, SUB's override is left out (it would apply to GRP's
    row): 7.71 + 2 × 1.53 + 60 % of 20 × 1.53 = 7.71 + 3.06 + 18.36 = 29.13 t (not 7.71 +
    2.0 + 12 = 21.71 t, the override applied to GRP's new row)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    _grp_leaking(tmp_path / "2021", 2021, [("HFC-32", 10)])
    _sub_with_override(tmp_path / "2021", 2021, 20)
    _grp_leaking(tmp_path / "2022", 2022, [("HFC-32", 10)])
    _sub_with_override(tmp_path / "2022", 2022, 20)
    assert _batch(tmp_path / "2021", tmp_path / "out2021", db)["ghg"]["scope1_tco2e"] == (
        pytest.approx(19.71))
    fixed = _grp_leaking(tmp_path / "fix", 2021, [("HFC-32", 10), ("HFC-134a", 2)])
    _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    assert [c["entity_id"] for c in data["comparison"]["prior_period"]["member_corrections"]] \
        == ["GRP"]
    scope1 = data["comparison"]["figures"][SCOPE1]
    # 2022 as 2021 first was: the override applies, 19.71 t
    assert (scope1["current"], scope1["prior"], scope1["prior_as_reported"]) == (
        pytest.approx(19.71), pytest.approx(29.13), pytest.approx(19.71))


def _with_approach(folder: Path, entity: str, year: int, leak_kg: float, approach: str) -> Path:
    """The module's workbook of ``entity`` (GRP: plant HQ, SUB: S1) with every project and
    SUB operationally controlled (GRP's Subsidiaries sheet), GRP on ``approach``."""
    sheets = leaking_plant_sheets(entity, year, "HQ" if entity == "GRP" else "S1", leak_kg)
    sheets["Projects"][0].append("operational_control")
    sheets["Projects"][1].append(True)
    if entity == "GRP":
        sheets["Organization"] = [row if row[0] != "consolidation_approach"
                                  else ["consolidation_approach", approach]
                                  for row in sheets["Organization"]]
        sheets["Organization"].append(["base_year", 2021])
        sheets["Subsidiaries"][0].append("operational_control")
        sheets["Subsidiaries"][1].append(True)
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / f"{entity.lower()}_{year}.xlsx", sheets)


def test_a_correction_after_a_change_of_approach_restates_under_todays(tmp_path: Path) -> None:
    """2021 built under operational control (GRP controls SUB, SUB its plant): 15.3 + 30.6 =
    45.9 t. 2022 under equity share: 18.36 + 60 % of 38.25 = 41.31 t. SUB's 2021 corrected to
    22 kg. Compared like with like, 2021 is consolidated again under equity share, this
    report's approach, as the reason says: 15.3 + 60 % of 33.66 = 35.496 t, and 2022 against it
    (41.31 − 35.496) ÷ 35.496 = +16.3793… % (not 15.3 + 33.66 = 48.96 t, 2021's approach).
    The base year's triggers: the change of approach is 2021 as built (20 kg) under equity
    share less as reported: 15.3 + 18.36 − 45.9 = −12.24 t (not the group's merged rows under
    equity share, which hold SUB's plant at 100 %: 45.9 t again, no effect); the correction
    35.496 − 33.66 = +1.836 t."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    for year, hq, s1, approach in ((2021, 10, 20, "operational_control"),
                                   (2022, 12, 25, "equity_share")):
        _with_approach(tmp_path / str(year), "GRP", year, hq, approach)
        _with_approach(tmp_path / str(year), "SUB", year, s1, approach)
    assert _batch(tmp_path / "2021", tmp_path / "out2021", db)["ghg"]["scope1_tco2e"] == (
        pytest.approx(45.9))
    fixed = _with_approach(tmp_path / "fix", "SUB", 2021, 22, "operational_control")
    _add(fixed, db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    prior = data["comparison"]["prior_period"]
    assert (prior["restated"], prior["restatement_reasons"],
            [c["entity_id"] for c in prior["member_corrections"]]) == (
        True, ["consolidation operational_control → equity_share"], ["SUB"])
    scope1 = data["comparison"]["figures"][SCOPE1]
    assert (scope1["current"], scope1["prior"], scope1["prior_as_reported"],
            scope1["change_pct"]) == (pytest.approx(41.31), pytest.approx(35.496),
                                      pytest.approx(45.9), pytest.approx(380 / 23.2))
    assert {t["code"]: t["effect_tco2e"] for t in data["base_year"]["triggers"]} == {
        "methodology-change": pytest.approx(-12.24), "error-correction": pytest.approx(1.836)}
    assert data["base_year"]["scope1_tco2e"] == pytest.approx(35.496)
    with Ledger(db) as ledger:
        old, new = (r.id for r in ledger.submissions(entity="SUB", period=2021))
    said = {"en": ("Its figures are restated: they were recomputed from the stored rows under "
                   "this report's methods, because the methods changed (consolidation "
                   "operational_control → equity_share). A member's submission that the group "
                   "report of the period was consolidated from has also been corrected since "
                   f"(SUB's submission {old}, replaced by submission {new}): the period is "
                   "consolidated again from the members' current submissions under this "
                   "report's methods."),
            "zh": ("上期数据已重述：由于方法发生变化（合并方法 operational_control → "
                   "equity_share），已按本报告的方法根据台账中保存的数据行重新计算。"
                   f"编制该期间集团报告所合并的成员报送此后也已更正（SUB的第{old}号报送，"
                   f"由第{new}号报送取代），该期间已按本报告的方法和各成员当前的报送重新合并。")}
    for lang, sentence in said.items():
        page = BeautifulSoup((tmp_path / "out2022" / "group" / f"report.{lang}.html")
                             .read_text("utf-8"), "html.parser")
        assert sentence in page.find("section", id="comparison").find("p").get_text(), lang


def test_a_change_of_approach_alone_consolidates_the_period_again(tmp_path: Path) -> None:
    """No correction: 2021 built under operational control (45.9 t), 2022 under equity
    share. 2021 restated under equity share is its members' submissions consolidated again
    with GRP's 60 % of SUB: 15.3 + 18.36 = 33.66 t (the group's merged rows recomputed keep
    SUB's plant at 100 %, its control: 45.9 t)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    for year, hq, s1, approach in ((2021, 10, 20, "operational_control"),
                                   (2022, 12, 25, "equity_share")):
        _with_approach(tmp_path / str(year), "GRP", year, hq, approach)
        _with_approach(tmp_path / str(year), "SUB", year, s1, approach)
    _batch(tmp_path / "2021", tmp_path / "out2021", db)
    data = _batch(tmp_path / "2022", tmp_path / "out2022", db)
    prior = data["comparison"]["prior_period"]
    assert (prior["restated"], prior["restatement_reasons"], "member_corrections" in prior) \
        == (True, ["consolidation operational_control → equity_share"], False)
    scope1 = data["comparison"]["figures"][SCOPE1]
    assert (scope1["prior"], scope1["prior_as_reported"]) == (
        pytest.approx(33.66), pytest.approx(45.9))
    assert [(t["code"], t["effect_tco2e"]) for t in data["base_year"]["triggers"]] == [
        ("methodology-change", pytest.approx(33.66 - 45.9))]
