"""envreport batch: group consolidation worked by hand, exit codes, layout, determinism.

The consolidation tests compute the group without rendering (the same code path the batch
uses: inspect → plan → merged submission → metrics.compute); the CLI tests run the command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envreport.batch import ProgressStep, run_batch
from envreport.batch.naming import FolderNames, sanitise
from envreport.batch.plan import KnownEntity, make_plan
from envreport.batch.progress import step_label
from envreport.cli import app
from tests.conftest import SAMPLES
from tests.test_batch_support import (
    GROUP,
    copy_samples,
    edit_workbook,
    group_results,
    inspect_all,
    own_results,
)

runner = CliRunner()
KEYS = (("ghg", "scope1_tco2e"), ("ghg", "scope2_location_tco2e"),
        ("ghg", "scope2_market_tco2e"), ("energy", "total_consumption_gj"),
        ("water", "withdrawal_m3"))


def fig(results: dict, section: str, key: str) -> float:
    return results[section][key]


def unscaled(results: dict, project_id: str, key: str) -> float:
    """A project's full (100 %) figure, from an entity's own by_project and its share."""
    entry = next(p for p in results["by_project"] if p["project_id"] == project_id)
    return entry[key] / entry["consolidation_share"]


# --- consolidation, worked by hand ---------------------------------------------------------
def test_equity_share_group_is_parent_plus_shares_of_subsidiaries(tmp_path: Path) -> None:
    # The parent CSIG holds SRE 100 % and SRI 70 % (Subsidiaries); all three use equity_share,
    # so each subsidiary's own figures already carry its projects' shares:
    #   group = CSIG own + 1.00 × SRE own + 0.70 × SRI own
    #   scope 1 = 121.273489722 + 1.00 × 2 612 261.09358 + 0.70 × 47 944.680324
    #           = 2 645 943.6433 tCO2e
    paths = copy_samples(tmp_path / "in")
    group, _ = group_results(paths, tmp_path / "scratch")
    csig, sre, sri = (own_results(GROUP / f"{n}.xlsx") for n in ("parent", "sre", "sri"))
    for section, key in KEYS:
        hand = fig(csig, section, key) + 1.00 * fig(sre, section, key) \
            + 0.70 * fig(sri, section, key)
        assert fig(group, section, key) == pytest.approx(hand, rel=1e-9), key
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(2_645_943.6433, abs=1e-3)
    # by_entity: each entity's contribution; the contributions add up to the group
    by = {e["entity_id"]: e for e in group["by_entity"]}
    assert [e["entity_id"] for e in group["by_entity"]] == ["CSIG", "SRE", "SRI"]
    assert (by["SRE"]["share"], by["SRI"]["share"]) == (1.0, 0.7)
    # each entity's Chinese name, from its own workbook's organization_name_zh
    assert [by[e]["name_zh"] for e in ("CSIG", "SRE", "SRI")] == [
        csig["organization"]["name_zh"], sre["organization"]["name_zh"],
        sri["organization"]["name_zh"]]
    assert by["SRI"]["name_zh"] == "丝路基础设施有限公司"
    assert by["SRI"]["scope1_tco2e"] == pytest.approx(0.7 * sri["ghg"]["scope1_tco2e"])
    # energy_contents is the merged submission's, as factor_sources is: each fuel and unit
    # once, its rows the members' rows together, its energy and parts each member's
    contents = {(c["fuel"], c["input_unit"]): c for c in group["energy_contents"]}
    assert [c["rows"] for c in group["energy_contents"]] == [12, 80, 48, 24, 12, 12]
    for key, content in contents.items():
        theirs = [c for member in (csig, sre, sri) for c in member["energy_contents"]
                  if (c["fuel"], c["input_unit"]) == key]
        assert content["rows"] == sum(c["rows"] for c in theirs), key  # diesel 4 + 40 + 36
        assert all({**c, "rows": 0} == {**content, "rows": 0} for c in theirs), key
    assert sum(e["scope1_tco2e"] for e in by.values()) == pytest.approx(
        group["ghg"]["scope1_tco2e"])
    # a subsidiary project's share in the group is the product of the chain: 70 % × 85 %
    port = next(p for p in group["by_project"] if p["project_id"] == "SRI-LK-PORT")
    assert port["consolidation_share"] == pytest.approx(0.595)
    assert port["entity_id"] == "SRI"
    assert {c["entity_id"] for c in group["calculations"]} == {"CSIG", "SRE", "SRI"}
    # SRE's ncv override applies to SRE's coal only, and is named with its entity
    assert [(o["entity_id"], o["key"]) for o in group["factor_overrides"]] == [
        ("SRE", "bituminous_coal")]
    # the group's intensity uses the parent's revenue
    s12 = group["ghg"]["scope1_tco2e"] + group["ghg"]["scope2_location_tco2e"]
    assert group["ghg"]["intensity"]["tco2e_per_million_revenue"] == pytest.approx(
        s12 / 86_400, rel=1e-9)


def _operational_control_variants(tmp_path: Path) -> list[Path]:
    # Parent: operational_control; it operates SRE but not SRI (Subsidiaries flags).
    # SRE keeps its own equity_share approach; its coal plant is not operated by SRE.
    src = tmp_path / "src"
    parent, sre, sri = copy_samples(src)
    edit_workbook(parent, org={"consolidation_approach": "operational_control"},
                  cells={"Subsidiaries": {("SRI", "operational_control"): "no"}})
    edit_workbook(sre, cells={"Projects": {("SRE-ID-COAL", "operational_control"): "no"}})
    return [parent, sre, sri]


def test_operational_control_counts_controlled_chain_fully(tmp_path: Path) -> None:
    paths = _operational_control_variants(tmp_path)
    group, plan = group_results(paths, tmp_path / "scratch")
    assert plan.findings == []
    csig = own_results(GROUP / "parent.xlsx")
    sre = own_results(GROUP / "sre.xlsx")
    # Hand calculation: CSIG's own office (operated, 100 %) + every SRE project that SRE
    # operates at 100 % (its own figures divided by its equity share), except the coal plant
    # (not operated: 0) + nothing of SRI (the parent does not operate SRI: 0).
    #   scope 1 = 121.273489722 + 847 953.879576 (BD-GAS/1.0) + 28.0256157183/0.8 (KZ-WND)
    #           + 15.785909155/0.7 (LA-HYD) + 60.6396934648 (PK-SOL) + 312.490508488 (UZ-TL)
    operated = ["SRE-BD-GAS", "SRE-KZ-WND", "SRE-LA-HYD", "SRE-PK-SOL", "SRE-UZ-TL"]
    for key in ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj"):
        section = "energy" if key == "energy_gj" else "ghg"
        own_key = "total_consumption_gj" if key == "energy_gj" else key
        hand = csig[section][own_key] + sum(unscaled(sre, p, key) for p in operated)
        assert fig(group, section, own_key) == pytest.approx(hand, rel=1e-9), key
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(
        121.273489722 + 847_953.879576 + 28.0256157183 / 0.8 + 15.785909155 / 0.7
        + 60.6396934648 + 312.490508488, rel=1e-9)
    shares = {p["project_id"]: p["consolidation_share"] for p in group["by_project"]}
    assert shares["SRE-ID-COAL"] == 0.0
    assert shares["SRE-KZ-WND"] == 1.0
    assert all(shares[p] == 0.0 for p in shares if p.startswith("SRI-"))
    by = {e["entity_id"]: e for e in group["by_entity"]}
    assert by["SRI"]["share"] == 0.0
    assert by["SRI"]["scope1_tco2e"] == 0.0


def test_financial_control_counts_only_controlled_subsidiaries(tmp_path: Path) -> None:
    # Parent: financial_control; it controls SRI, not SRE. Every SRI project has
    # financial_control = yes, so SRI counts at 100 % of every project:
    #   scope 1 = 121.273489722 + 0 × SRE + (11 452.6232411/0.6 + 22 823.3002841
    #             + 5 650.9463669/0.85 + 8 017.81043184)
    src = tmp_path / "src"
    parent, sre, sri = copy_samples(src)
    edit_workbook(parent, org={"consolidation_approach": "financial_control"},
                  cells={"Subsidiaries": {("SRE", "financial_control"): "no"}})
    group, _ = group_results([parent, sre, sri], tmp_path / "scratch")
    csig = own_results(GROUP / "parent.xlsx")
    sri_own = own_results(GROUP / "sri.xlsx")
    sri_projects = ["SRI-EG-PARK", "SRI-KE-RAIL", "SRI-LK-PORT", "SRI-RS-ROAD"]
    for key in ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e"):
        hand = csig["ghg"][key] + sum(unscaled(sri_own, p, key) for p in sri_projects)
        assert group["ghg"][key] == pytest.approx(hand, rel=1e-9), key
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(
        121.273489722 + 11_452.6232411 / 0.6 + 22_823.3002841 + 5_650.9463669 / 0.85
        + 8_017.81043184, rel=1e-9)


def test_project_in_two_submissions_is_counted_once_and_reported(tmp_path: Path) -> None:
    # SRI reports SRE's solar plant id for its railway: the railway's rows are left out of the
    # group (the id is counted from SRE, first in the roster) and the clash is an error:
    #   group scope 1 = CSIG + SRE + 0.70 × (SRI own − SRI-KE-RAIL)
    parent, sre, sri = copy_samples(tmp_path / "in")
    edit_workbook(sri, rename_project=("SRI-KE-RAIL", "SRE-PK-SOL"))
    group, plan = group_results([parent, sre, sri], tmp_path / "scratch")
    assert [(g.finding.code, g.entity_id, g.finding.sheet, g.finding.cell)
            for g in plan.findings] == [("project-in-two-submissions", "SRI", "Projects", "A2")]
    # the parent's and SRE's copies are the samples unchanged: their results are the ones
    # computed once per process
    csig, sre_own = (own_results(GROUP / f"{n}.xlsx") for n in ("parent", "sre"))
    sri_own = own_results(sri)
    rail = next(p for p in sri_own["by_project"] if p["project_id"] == "SRE-PK-SOL")
    hand = (csig["ghg"]["scope1_tco2e"] + sre_own["ghg"]["scope1_tco2e"]
            + 0.7 * (sri_own["ghg"]["scope1_tco2e"] - rail["scope1_tco2e"]))
    assert group["ghg"]["scope1_tco2e"] == pytest.approx(hand, rel=1e-9)


def test_cross_submission_findings(tmp_path: Path) -> None:
    # SRI uses AR5 (excluded: GWP sets differ); the parent has no EUR rate (SRE's money is
    # all in currencies the parent has, SRI is excluded, so no fx finding); a second SRE
    # file (both invalid: entity-duplicate).
    parent, sre, sri = copy_samples(tmp_path / "in")
    edit_workbook(sri, org={"gwp_set": "AR5"})
    twin = edit_workbook(sre, tmp_path / "in" / "sre_copy.xlsx")
    plan = make_plan(inspect_all([parent, sre, sri, twin], tmp_path / "scratch"))
    codes = sorted((g.finding.code, g.entity_id, g.file_name) for g in plan.findings)
    assert codes == [("entity-duplicate", "SRE", "sre.xlsx"),
                     ("entity-duplicate", "SRE", "sre_copy.xlsx"),
                     ("group-gwp-mismatch", "SRI", "sri.xlsx")]
    states = {(e.entity_id, e.file_name): e.state for e in plan.entries}
    assert states == {("CSIG", "parent.xlsx"): "valid", ("SRE", "sre.xlsx"): "invalid",
                      ("SRE", "sre_copy.xlsx"): "invalid", ("SRI", "sri.xlsx"): "invalid"}
    folders = sorted(e.folder for e in plan.entries)
    assert folders == ["CSIG", "SRE.sre", "SRE.sre_copy", "SRI"]
    assert [m.entity_id for m in plan.members] == ["CSIG"]
    # the two files are listed as each language lists (walked in Chinese, r15: the Chinese
    # board read "bad_en.xlsx, good_en.xlsx", an English comma in a Chinese sentence)
    twice = next(g.finding for g in plan.findings if g.finding.code == "entity-duplicate")
    assert twice.message("en") == (
        "SRE is reported by more than one file: sre.xlsx, sre_copy.xlsx.")
    assert twice.message("zh") == "SRE 由多个文件报送：sre.xlsx、sre_copy.xlsx。"


def test_known_entities_without_a_file_are_listed_missing(tmp_path: Path) -> None:
    # the portal's entities (make_plan's ``known``): each without a file and off the roster
    # gets a missing line of its own, without a finding (the group does not need it); one
    # with a file or on the roster is listed once, as the roster and the files say
    parent, sre = copy_samples(tmp_path / "in", ("parent", "sre"))
    inspected = inspect_all([parent, sre], tmp_path / "scratch")
    known = [KnownEntity("CSIG", "China Silk Road Infrastructure Group"),
             KnownEntity("SRE", "Silk Road Energy"),
             KnownEntity("SREA", "Silk Road East Africa", "丝路东非有限公司"),
             KnownEntity("SRI", "Silk Road Infrastructure")]
    plan = make_plan(inspected, known)
    assert [(e.entity_id, e.entity_name, e.entity_name_zh, e.role, e.state, e.file_name)
            for e in plan.entries] == [
        ("CSIG", "China Silk Road Infrastructure Group Co., Ltd.", "中国丝路基建集团有限公司",
         "parent", "valid", "parent.xlsx"),
        ("SRE", "Silk Road Energy Co., Ltd.", "丝路能源有限公司", "subsidiary",
         "valid", "sre.xlsx"),
        ("SRI", "Silk Road Infrastructure Co., Ltd.", "丝路基础设施有限公司", "subsidiary",
         "missing", None),  # on the roster: as before, entity-missing
        ("SREA", "Silk Road East Africa", "丝路东非有限公司", "unexpected", "missing", None)]
    assert [(g.finding.code, g.entity_id) for g in plan.findings] == [("entity-missing", "SRI")]
    assert plan.entries[3].group_findings == []
    # without a parent there is no roster: every known entity without a file is missing
    alone = make_plan(inspected[1:], known)
    assert [(e.entity_id, e.role, e.state) for e in alone.entries] == [
        ("SRE", "subsidiary", "valid"), ("CSIG", "subsidiary", "missing"),
        ("SREA", "subsidiary", "missing"), ("SRI", "subsidiary", "missing")]
    assert [g.finding.code for g in alone.findings] == ["parent-missing"]


def test_money_in_a_currency_the_parent_has_no_rate_for(tmp_path: Path) -> None:
    parent, sre, sri = copy_samples(tmp_path / "in")
    edit_workbook(parent, delete_rows={"FxRates": ("currency", "EUR")})
    group, plan = group_results([parent, sre, sri], tmp_path / "scratch")
    fx = [(g.entity_id, g.finding.sheet, g.finding.cell, g.finding.value)
          for g in plan.findings if g.finding.code == "fx-rate-missing"]
    # SRI's two EUR investments (Mitigation rows 5, 6) and its EUR loan (GreenFinance row 2)
    assert fx == [("SRI", "Mitigation", "G5", "EUR"), ("SRI", "Mitigation", "G6", "EUR"),
                  ("SRI", "GreenFinance", "C2", "EUR")]
    assert group["validation"]["errors"] == len(fx)


def test_conflicting_override_is_left_out_of_the_group(tmp_path: Path) -> None:
    # SRE's ncv override for bituminous coal would also change SRI's coal if SRI burnt some.
    parent, sre, sri = copy_samples(tmp_path / "in")
    edit_workbook(sri, cells={"Fuel": {}}, append_rows={"Fuel": [{
        "project_id": "SRI-KE-RAIL", "fuel": "bituminous_coal", "quantity": 10, "unit": "t",
        "use": "stationary"}]})
    group, plan = group_results([parent, sre, sri], tmp_path / "scratch")
    assert [(g.finding.code, g.entity_id, g.finding.sheet) for g in plan.findings] == [
        ("override-invalid", "SRE", "Factors")]
    # why, in the board's language (the group rule's own sentence)
    assert [plan.findings[0].finding.message(lang) for lang in ("en", "zh")] == [
        "The ncv override for 'bituminous_coal' cannot be applied: in the group it would also "
        "apply to the rows of SRI, which do not use it; the group uses the library factor.",
        "“bituminous_coal”的低位发热量覆盖值无法应用：在集团中它也会用于 SRI 的行，"
        "而这些行并未使用它；集团采用因子库的因子。"]
    assert group["factor_overrides"] == []
    # and the coal's energy is the library's for both members' rows (25.8 TJ/Gg, IPCC)
    coal = next(c for c in group["energy_contents"] if c["fuel"] == "bituminous_coal")
    assert (coal["rows"], coal["gj_per_unit"], coal["ncv"], coal["ncv_unit"],
            coal["ncv_source"], coal["ncv_override"]) == (
        13, 25.8, 25.8, "TJ/Gg", "IPCC 2006, Vol. 2, Tables 1.2 and 1.4", False)


# --- folder names ----------------------------------------------------------------------------
@pytest.mark.parametrize(("entity_id", "folder"), [
    ("SRE-ID", "SRE-ID"), ("../../etc", "_.._etc"), ("a/b c", "a_b_c"), ("..", "_"),
    ("CON", "_CON"), ("中国", "_"), ("group", "group-2"), ("x.y_z-1", "x.y_z-1"),
])
def test_entity_ids_are_sanitised(entity_id: str, folder: str) -> None:
    assert FolderNames().take(entity_id) == folder


def test_folder_names_unique_ignoring_case() -> None:
    names = FolderNames()
    assert [names.take(x) for x in ("sre", "SRE", "S/RE", "S_RE")] == [
        "sre", "SRE-2", "S_RE", "S_RE-2"]
    assert sanitise("  ok  ") == "ok"


# --- the command ------------------------------------------------------------------------------
def _batch(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["batch", *args])
    return result.exit_code, result.output


def test_batch_of_samples_layout_exit_code_and_determinism(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _batch(str(GROUP), "-o", str(out), "--no-pdf", "--lang", "en",
                          "--workers", "2")
    assert code == 0, output
    for path in ("status.html", "status.xlsx", "status.json", "group/report.html",
                 "group/results.json", "CSIG/report.html", "CSIG/results.json",
                 "SRE/report.html", "SRE/results.json", "SRI/report.html", "SRI/results.json"):
        assert (out / path).is_file(), path
    assert not list(out.rglob("annotated.xlsx"))  # no findings, no annotated copies
    assert not list(out.rglob("*.pdf"))
    group = json.loads((out / "group/results.json").read_text())
    assert group["input"]["file_name"] == "parent.xlsx"
    assert [(i["entity_id"], i["state"]) for i in group["inputs"]] == [
        ("CSIG", "valid"), ("SRE", "valid"), ("SRI", "valid")]
    assert {i["sha256"] for i in group["inputs"]} == {
        json.loads((out / f"{e}/results.json").read_text())["input"]["sha256"]
        for e in ("CSIG", "SRE", "SRI")}
    # The same inputs, named in another order, with one worker, in one process:
    # byte-identical results. (This second batch is also the one whose progress shows the
    # build order below: one batch of the group fewer for the suite.)
    steps: list[str] = []

    class Recorded:
        def start(self, total: int) -> None:
            return None

        def advance(self, step: ProgressStep, name: str = "") -> None:
            steps.append(step_label(step, name))

    again = tmp_path / "again"
    outcome = run_batch([GROUP / "sri.xlsx", GROUP / "parent.xlsx", GROUP / "sre.xlsx"], again,
                        workers=1, langs=["en"], pdf=False, progress=Recorded())
    assert outcome.exit_code == 0
    for path in ("group/results.json", "SRE/results.json", "status.json"):
        assert (out / path).read_bytes() == (again / path).read_bytes(), path
    # The build tasks start longest first (the group, then the reports by their accepted
    # rows: SRE 425, SRI 387, CSIG 105), so that no long one starts last on one core while
    # the others idle; the outcome lists them in the order of the inputs all the same.
    # One worker: the tasks finish in the order they start.
    assert [s for s in steps if s.startswith("built")] == [
        "built group", "built SRE", "built SRI", "built CSIG"]
    # The workbooks are read largest file first (sre 42 139 bytes, sri 37 668, parent
    # 21 692), so that the read the reports wait for last is a short one.
    assert [s for s in steps if s.startswith("read")] == [
        "read sre.xlsx", "read sri.xlsx", "read parent.xlsx"]
    reports = [p.parent.name for p in outcome.files if p.name == "report.html"]
    # parent.xlsx, sre.xlsx, sri.xlsx: the inputs in file-name order, whatever order the
    # command named them in
    assert reports == ["CSIG", "SRE", "SRI", "group"]


def test_batch_misuse_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _batch(str(empty), "-o", str(tmp_path / "o1"))[0] == 2
    code, output = _batch(str(tmp_path / "nothere"), "-o", str(tmp_path / "o2"))
    assert code == 2
    assert "not found" in output
    # two parents
    a = copy_samples(tmp_path / "two", ("parent",))[0]
    edit_workbook(a, tmp_path / "two" / "parent2.xlsx", org={"entity_id": "OTHER"})
    code, output = _batch(str(tmp_path / "two"), "-o", str(tmp_path / "o3"), "--no-pdf")
    assert code == 2
    assert "more than one parent" in output
    assert not (tmp_path / "o3" / "status.json").exists()


def test_a_refused_batch_lists_its_files_as_its_language_does(tmp_path: Path) -> None:
    """Walked in Chinese (r15): the refusals listed their files with an English comma and
    brackets in a Chinese sentence ("p1.xlsx (CSIG), p2.xlsx (CSIG)", "nope1, nope2")."""
    a = copy_samples(tmp_path / "two", ("parent",))[0]
    edit_workbook(a, tmp_path / "two" / "parent2.xlsx", org={"entity_id": "OTHER"})
    absent = [str(tmp_path / "nope1"), str(tmp_path / "nope2")]
    for lang, parents, missing in (
            ("en", "error: more than one parent workbook (a Subsidiaries sheet with rows): "
                   "parent.xlsx (CSIG), parent2.xlsx (OTHER); a batch consolidates one group",
             f"error: not found: {absent[0]}, {absent[1]}"),
            ("zh", "错误：母公司工作簿不止一个（“子公司”工作表有数据行）："
                   "parent.xlsx（CSIG）、parent2.xlsx（OTHER）；一次批处理只合并一个集团",
             f"错误：未找到：{absent[0]}、{absent[1]}")):
        code, output = _batch(str(tmp_path / "two"), "-o", str(tmp_path / f"o.{lang}"),
                              "--no-pdf", "--lang", lang)
        assert (code, output.strip().splitlines()[-1]) == (2, parents)
        code, output = _batch(*absent, "-o", str(tmp_path / f"n.{lang}"), "--lang", lang)
        assert (code, output.strip().splitlines()[-1]) == (2, missing)


def test_batch_without_parent_builds_what_it_can_and_exits_2(tmp_path: Path) -> None:
    copy_samples(tmp_path / "in", ("sri",))
    out = tmp_path / "out"
    code, output = _batch(str(tmp_path / "in"), "-o", str(out), "--no-pdf", "--lang", "en",
                          "-j", "1")
    assert code == 2
    assert "no parent workbook" in output
    board = json.loads((out / "status.json").read_text())
    assert [f["code"] for f in board["group"]["findings"]] == ["parent-missing"]
    assert board["group"]["built"] is False
    assert (out / "SRI" / "report.html").is_file()
    assert not (out / "group").exists()


def test_an_invalid_file_outside_the_roster_is_unexpected(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("parent.xlsx", "sre.xlsx", "sri.xlsx"):
        (inputs / name).write_bytes((SAMPLES / "group" / name).read_bytes())
    faulty = SAMPLES / "faulty" / "faulty_submission.xlsx"
    (inputs / faulty.name).write_bytes(faulty.read_bytes())
    out = tmp_path / "out"
    # English only: one report per member (the parent asks for both languages), and the
    # stranger's report, which must not exist, has the one name report.html
    code, _ = _batch(str(inputs), "-o", str(out), "--no-pdf", "--lang", "en", "-q")
    # Every expected submission is valid; the stranger does not change the exit code.
    assert code == 0
    board = json.loads((out / "status.json").read_text())
    assert board["counts"]["unexpected"] == 1
    assert board["counts"]["invalid"] == 0
    stranger = next(e for e in board["entities"] if e["entity_id"] == "SREA")
    assert stranger["state"] == "unexpected"
    assert stranger["errors"] == 19  # faulty_submission.expected.json's error findings
    assert not (out / "SREA" / "report.html").exists()
    assert (out / "SREA" / "annotated.xlsx").exists()


def test_duplicate_files_get_no_report_on_the_roster_or_off_it(tmp_path: Path) -> None:
    # Two files of HQX, off the parent's roster: hqx_good is SRE's valid workbook renamed,
    # hqx_bad the faulty sample renamed (19 errors of its own). entity-duplicate is an error
    # for both, so neither gets a report, though hqx_good has no error of its own; both keep
    # their annotated copies (walked r15: HQX.good_en/report.html was built). Beside them
    # two files of SRE, on the roster: both invalid, no report either.
    inputs = tmp_path / "in"
    _, sre = copy_samples(inputs, ("parent", "sre"))
    edit_workbook(sre, inputs / "hqx_good.xlsx", org={"entity_id": "HQX"})
    edit_workbook(SAMPLES / "faulty" / "faulty_submission.xlsx", inputs / "hqx_bad.xlsx",
                  org={"entity_id": "HQX"})
    edit_workbook(sre, inputs / "sre_copy.xlsx")
    plan = make_plan(inspect_all(sorted(inputs.iterdir()), tmp_path / "scratch"))
    assert [(e.folder, e.role, e.state, e.build) for e in plan.entries] == [
        ("CSIG", "parent", "valid", True),
        ("SRE.sre", "subsidiary", "invalid", False),
        ("SRE.sre_copy", "subsidiary", "invalid", False),
        (None, "subsidiary", "missing", False),  # SRI: on the roster, no file
        ("HQX.hqx_bad", "unexpected", "unexpected", False),
        ("HQX.hqx_good", "unexpected", "unexpected", False)]
    out = tmp_path / "out"
    code, _ = _batch(str(inputs), "-o", str(out), "--no-pdf", "--lang", "en", "-q")
    assert code == 1  # SRE's duplicates: a roster entity without a valid submission
    board = {e["file"]: e for e in json.loads((out / "status.json").read_text())["entities"]}
    assert (board["hqx_good.xlsx"]["errors"], board["hqx_bad.xlsx"]["errors"]) == (1, 20)
    for folder in ("HQX.hqx_good", "HQX.hqx_bad", "SRE.sre", "SRE.sre_copy"):
        assert not (out / folder / "report.html").exists(), folder
        assert not (out / folder / "results.json").exists(), folder
        assert (out / folder / "annotated.xlsx").is_file(), folder
    assert (out / "CSIG" / "report.html").is_file()
