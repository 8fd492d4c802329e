"""Targets against the ledger's base year (build --ledger): recorded, recalculated, flagged.

Hand-worked figures. Entity TGT, equity share, HFC-134a leaks (GWP 1,300 under AR5, 1,530
under AR6), water withdrawn from surface water:

- 2021 (AR5), the base year: P1 and P2 leak 10 kg each, Scope 1 = 2 × 13.0 = 26.0 t as
  reported; 1,200 m³ withdrawn. Its Targets row states 26 (its own figure: no warning).
- 2024 (AR6): P1 only (P2 is gone: a structural divestment), 9 kg = 13.77 t; 1,100 m³.
  Its Targets rows: Scope 1, base 2021, base value 30 (not the 26.0 recorded: flagged,
  +15.4 %), −50 % by 2030; water withdrawal, base 2021, base value 1,000 (the ledger
  recorded 1,200: flagged), −10 % by 2030.
- The base year under AR6: 2 × 15.3 = 30.6 t; the triggers: methodology change +4.6 t,
  P2's divestment −15.3 t; |4.6| + |−15.3| = 19.9 t = 76.5 % of 26.0 ≥ 5 %: recalculated,
  30.6 − 15.3 = 15.3 t.
- Scope 1 target recalculated with its base year: 15.3 × (1 − 0.5) = 7.65 t; progress
  (15.3 − 13.77) ÷ (15.3 − 7.65) = 1.53 ÷ 7.65 = 20.0 % (against the workbook's 30 it would
  claim (30 − 13.77) ÷ 15 = 108.2 %); trajectory in 2024, 3 of 9 years: 15.3 − 7.65 × 3/9
  = 12.75, and 13.77 is above it: not on track.
- Water is not recalculated (the triggers are Scope 1 and 2): base 1,000, target 900,
  progress (1,000 − 1,100) ÷ 100 = −100.0 %: above the base year.
- A Scope 1 + 2 target (no Scope 2 here: Scope 1 + 2 = Scope 1) whose workbook already
  states the recalculated base year, 15.3: not flagged (26.0 as reported, but 15.3 as
  recalculated), the same 7.65 and 20.0 % as the Scope 1 target.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from envreport.ledger import Ledger
from envreport.ledger.build import with_periods
from envreport.render import render_html
from tests.workbooks import organization_rows, write_workbook

Rows = list[list[Any]]


def _workbook(path: Path, year: int, gwp: str, leaks: dict[str, float], withdrawn: float,
              targets: Rows) -> Path:
    organization = [*organization_rows("TGT", year, gwp), ["base_year", 2021]]
    projects: Rows = [["project_id", "project_name", "host_country", "sector", "project_type",
                       "status", "ownership_pct", "eia_status", "eia_approval_date"]]
    projects += [[pid, f"Plant {pid}", "PK", "manufacturing", "manufacturing", "operation",
                  100, "approved", date(2015, 1, 1)] for pid in leaks]
    return write_workbook(path, {
        "Organization": organization, "Projects": projects,
        "Refrigerants": [["project_id", "gas", "quantity_kg"],
                         *([pid, "HFC-134a", kg] for pid, kg in leaks.items())],
        "Water": [["project_id", "flow", "source", "quantity", "unit"],
                  ["P1", "withdrawal", "surface", withdrawn, "m3"]],
        "Targets": [["metric", "base_year", "base_value", "target_year",
                     "target_reduction_pct"], *targets],
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("target-ledger")
    with Ledger(f"sqlite:///{folder / 'ledger.db'}") as ledger:
        base = ledger.record(_workbook(folder / "t2021.xlsx", 2021, "AR5",
                                       {"P1": 10, "P2": 10}, 1200,
                                       [["scope1_tco2e", 2021, 26, 2030, 50]]))
        assert base.valid, base.findings
        current = ledger.record(_workbook(
            folder / "t2024.xlsx", 2024, "AR6", {"P1": 9}, 1100,
            [["scope1_tco2e", 2021, 30, 2030, 50],
             ["water_withdrawal_m3", 2021, 1000, 2030, 10],
             ["scope1_2_tco2e", 2021, 15.3, 2030, 50]]))
        assert current.valid, current.findings
        results = with_periods(current.results, ledger.comparison(current.results))
        base_warnings = base.warnings
    return {"results": results, "base_warnings": base_warnings,
            "html": {lang: BeautifulSoup(render_html(results, lang), "html.parser")
                     for lang in ("en", "zh")}}


def test_base_year_workbook_states_its_own_figure(built: dict[str, Any]) -> None:
    assert built["base_warnings"] == 0


def test_scope1_target_is_recalculated_with_its_base_year(built: dict[str, Any]) -> None:
    scope1, _water, _both = built["results"]["targets"]
    assert scope1["base_value"] == 30  # the workbook's, kept
    assert scope1["base_value_recorded"] == pytest.approx(26.0)
    assert scope1["base_value_differs"] is True
    assert scope1["base_value_recalculated"] == pytest.approx(15.3)
    assert scope1["base_value_source"] == "ledger_recalculated"
    assert scope1["target_value"] == pytest.approx(7.65)
    assert scope1["current_value"] == pytest.approx(13.77)
    assert scope1["progress_pct"] == pytest.approx(20.0)
    assert scope1["trajectory_value"] == pytest.approx(12.75)
    assert scope1["on_track"] is False


def test_water_target_is_compared_not_recalculated(built: dict[str, Any]) -> None:
    _scope1, water, _both = built["results"]["targets"]
    assert water["base_value_recorded"] == pytest.approx(1200)
    assert water["base_value_differs"] is True
    assert water["base_value_recalculated"] is None
    assert water["base_value_source"] == "workbook"
    assert (water["target_value"], water["progress_pct"]) == (900, pytest.approx(-100.0))
    # 1,000 − 100 × 3/9 = 966.67; 1,100 is above it
    assert water["trajectory_value"] == pytest.approx(966.6666667)
    assert water["on_track"] is False


def test_a_base_value_stated_as_recalculated_is_not_flagged(built: dict[str, Any]) -> None:
    *_others, both = built["results"]["targets"]
    assert both["base_value_recorded"] == pytest.approx(26.0)
    assert both["base_value_recalculated"] == pytest.approx(15.3)
    assert both["base_value_differs"] is False
    assert (both["target_value"], both["progress_pct"]) == (pytest.approx(7.65),
                                                             pytest.approx(20.0))


def _rows(soup: BeautifulSoup) -> list[list[str]]:
    table = soup.find(id="table-targets")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")]


def test_report_states_the_ledger_base_year_en(built: dict[str, Any]) -> None:
    soup = built["html"]["en"]
    assert _rows(soup) == [
        ["Metric", "Base year", "Base value", "Base year in the ledger", "Target year",
         "Target value", "Current value", "Progress"],
        ["Scope 1 emissions (tCO2e)", "2021", "30.0", "26.0 as reported 15.3 recalculated",
         "2030", "7.7", "13.8", "20.0 %"],
        ["Water withdrawal (m³)", "2021", "1,000", "1,200 as reported", "2030", "900", "1,100",
         "-100.0 % above the base year"],
        ["Scope 1 + 2 emissions (tCO2e)", "2021", "15.3", "26.0 as reported 15.3 recalculated",
         "2030", "7.7", "13.8", "20.0 %"],
    ]
    notes = [p.get_text(" ", strip=True) for p in soup.select("p.target-recalculated")]
    assert notes == [
        "Scope 1 emissions (tCO2e): the base year 2021 was recalculated in the ledger (GHG "
        "Protocol Corporate Standard, chapter 5), and the target with it (chapter 11): the "
        "target value and the progress are measured from the recalculated base year, 15.3, "
        "not from the base value the workbook states, 30.0.",
        "Scope 1 + 2 emissions (tCO2e): the base year 2021 was recalculated in the ledger (GHG "
        "Protocol Corporate Standard, chapter 5), and the target with it (chapter 11): the "
        "target value and the progress are measured from the recalculated base year, 15.3, "
        "which the workbook states."]
    differs = [p.get_text(" ", strip=True) for p in soup.select("p.target-differs")]
    assert differs == [
        "Scope 1 emissions (tCO2e): the base value the workbook states, 30.0, is not the base "
        "year's figure as recorded in the ledger, 26.0.",
        "Water withdrawal (m³): the base value the workbook states, 1,000, is not the base "
        "year's figure as recorded in the ledger, 1,200."]


def test_a_base_value_stated_rounded_states_the_recalculated_base_year(
        built: dict[str, Any]) -> None:
    # 15.36 is the recalculated 15.3 stated rounded (0.39 %, within the 0.5 % the flag
    # allows): not flagged, so the note says the workbook states it — decided on the
    # figures, not on the printed "15.4" against "15.3"
    import copy

    from envreport.render.sections.mitigation import targets
    from envreport.results import load_results

    results = copy.deepcopy(built["results"])
    both = results["targets"][2]
    both["base_value"] = 15.36
    assert both["base_value_differs"] is False
    model = load_results(results)
    assert [t["states_recalculated"] for t in targets(model)] == [False, False, True]
    soup = BeautifulSoup(render_html(model, "en"), "html.parser")
    notes = [p.get_text(" ", strip=True) for p in soup.select("p.target-recalculated")]
    assert notes[1].endswith("measured from the recalculated base year, 15.3, which the "
                             "workbook states.")
    assert _rows(soup)[3][2] == "15.4"


def test_report_states_the_ledger_base_year_zh(built: dict[str, Any]) -> None:
    soup = built["html"]["zh"]
    rows = _rows(soup)
    assert rows[0][3] == "台账中的基准年数值"
    assert rows[1][3] == "26.0 原报告值 15.3 重新计算值"
    # as the report sets a number beside Chinese: no space (docs/cli.md, "Chinese text")
    cell = soup.find(id="table-targets").find_all("tr")[1].find_all(["th", "td"])[3]
    assert cell.get_text("") == "26.0原报告值15.3重新计算值"
    english = (built["html"]["en"].find(id="table-targets").find_all("tr")[1]
               .find_all(["th", "td"])[3])
    assert english.get_text("") == "26.0 as reported15.3 recalculated"  # a line break between
    assert rows[2][-1] == "-100.0% 高于基准年"
    note, _stated = [p.get_text(" ", strip=True) for p in soup.select("p.target-recalculated")]
    assert note.endswith("目标值和进展以重新计算后的基准年数值15.3衡量，"
                         "而非工作簿所填的基准值30.0。")


def test_each_base_year_is_read_from_the_ledger_once(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two targets of one base year: the base year's figures are read once for both."""
    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        base = ledger.record(_workbook(tmp_path / "t2021.xlsx", 2021, "AR5", {"P1": 10}, 1200,
                                       [["scope1_tco2e", 2021, 13, 2030, 50]]))
        current = ledger.record(_workbook(
            tmp_path / "t2024.xlsx", 2024, "AR5", {"P1": 9}, 1100,
            [["scope1_tco2e", 2021, 13, 2030, 50],
             ["water_withdrawal_m3", 2021, 1200, 2030, 10]]))
        read: list[int] = []
        figures = Ledger.figures

        def counted(self: Ledger, submission_id: int) -> dict[str, float | None]:
            read.append(submission_id)
            return figures(self, submission_id)

        monkeypatch.setattr(Ledger, "figures", counted)
        progress = ledger.comparison(current.results)["target_progress"]
    assert [t["base_value_recorded"] for t in progress] == [pytest.approx(13.0), 1200]
    # once, as the prior period (PeriodSource), for both targets too (2 before: the targets
    # read it again; 3 before that: once each)
    assert read.count(base.id) == 1
    assert read.count(current.id) == 0  # this period's figures are its results


def test_the_ledger_sections_are_figures_like_every_other(built: dict[str, Any]) -> None:
    """docs/results.md: every amount is rounded to 12 significant digits, and a figure not
    reported is null, never 0. The sections the ledger adds carried their sums' binary noise
    (the methodology change's 30.6 − 26.0 = 4.600000000000001 t, the change of Scope 1
    (13.77 − 30.6) / 30.6 = −55.00000000000001 %) and gave the recalculated base year a
    Scope 2 of 0 where no period reported any."""
    results = built["results"]
    base = results["base_year"]
    assert [t["effect_tco2e"] for t in base["triggers"]] == [4.6, -15.3]
    assert [t["effect_pct"] for t in base["triggers"]] == [17.6923076923, -58.8461538462]
    assert base["total_effect_pct"] == 76.5384615385  # 19.9 / 26.0
    assert (base["scope1_tco2e"], base["scope2_location_tco2e"],
            base["scope2_market_tco2e"]) == (15.3, None, None)
    assert results["comparison"]["figures"]["ghg.scope1_tco2e"] == {
        "current": 13.77, "prior": 30.6, "change_pct": -55.0, "prior_as_reported": 26.0,
        "prior_restated": True}
    assert [t["trajectory_value"] for t in results["targets"]] == [12.75, 966.666666667, 12.75]
