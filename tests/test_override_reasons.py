"""Why a Factors override cannot be applied reads in the message's language.

The ``override-invalid`` message was translated around an English ``{reason}`` ("“diesel”的
燃料排放因子覆盖值无法应用：value is blank。"), the group rule's sentence too ("in the group
it would also apply to the rows of …"). Each reason envreport writes is now a msgid of
findings.po (envreport.codes.OVERRIDE_REASONS), said in the finding's language with its
values as the cell held them; the English message (validation.json's) is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from envreport.codes import OVERRIDE_BLANK, OVERRIDE_IN_GROUP, own_reason
from envreport.findings import Finding
from tests.conftest import validate_file
from tests.workbooks import minimal, write_workbook


def test_each_reason_of_a_workbooks_override_reads_in_the_findings_language(
        tmp_path: Path) -> None:
    factors = [["factor_type", "key", "gas", "value", "unit", "source"],
               ["fuel", "diesel", "CO2", 74100, "kg/TJ", "lab"],          # row 2
               ["fuel", "dieselx", "CO2", 74100, "kg/TJ", "lab"],         # row 3
               ["grid", "Atlantis", None, 0.5, "kg/kWh", "lab"],          # row 4
               ["fuel", "diesel", "CH4", 3.9, "kg/TJ", "lab"],            # row 5
               ["fuel", "diesel", "CH4", 3.9, "kg/TJ", "lab"]]            # row 6
    submission = validate_file(write_workbook(tmp_path / "f.xlsx", minimal(Factors=factors)))
    invalid = [f for f in submission.findings if f.code == "override-invalid"]
    assert [(f.cell, f.message("en")) for f in invalid] == [
        ("B3", "The fuel override for 'dieselx' cannot be applied: 'dieselx' is not a fuel "
               "of the library."),
        ("B4", "The grid override for 'Atlantis' cannot be applied: 'Atlantis' is not a "
               "country (or heat, steam, cooling)."),
        ("B6", "The fuel override for 'diesel' cannot be applied: repeats the override in "
               "row 5.")]
    assert [f.message("zh") for f in invalid] == [
        "“dieselx”的燃料排放因子覆盖值无法应用：“dieselx”不是因子库中的燃料。",
        "“Atlantis”的电网排放因子覆盖值无法应用：“Atlantis”不是国家（也不是 heat、steam 或 "
        "cooling）。",
        "“diesel”的燃料排放因子覆盖值无法应用：与第5行的覆盖值重复。"]
    # what validation.json writes: the English message, as before
    assert invalid[2].to_dict()["message"] == (
        "The fuel override for 'diesel' cannot be applied: repeats the override in row 5.")


def test_a_reason_without_values_reads_in_the_findings_language() -> None:
    # (the schema reports a blank value first; the Factors rule's own sentence all the same)
    finding = Finding("override-invalid", "error", "Factors", 2, "B", "key", "diesel",
                      {"factor_type": "fuel", "key": "diesel",
                       "reason": own_reason(OVERRIDE_BLANK)})
    assert finding.message("en") == (
        "The fuel override for 'diesel' cannot be applied: value is blank.")
    assert finding.message("zh") == "“diesel”的燃料排放因子覆盖值无法应用：数值（value）为空。"


def test_the_group_rules_reason_reads_in_the_findings_language() -> None:
    finding = Finding("override-invalid", "error", "Factors", 2, "B", "key", "bituminous_coal",
                      {"factor_type": "ncv", "key": "bituminous_coal",
                       "reason": own_reason(OVERRIDE_IN_GROUP, entities="SRI, SREA")})
    assert finding.message("en") == (
        "The ncv override for 'bituminous_coal' cannot be applied: in the group it would also "
        "apply to the rows of SRI, SREA, which do not use it; the group uses the library "
        "factor.")
    assert finding.message("zh") == (
        "“bituminous_coal”的低位发热量覆盖值无法应用：在集团中它也会用于 SRI, SREA 的行，"
        "而这些行并未使用它；集团采用因子库的因子。")


def test_a_reason_envreport_did_not_write_stays_as_written() -> None:
    # a text that only looks like one of the sentences (not a Prose) is not translated
    finding = Finding("override-invalid", "error", "Factors", 2, "B", "key", "diesel",
                      {"factor_type": "fuel", "key": "diesel", "reason": "value is blank"})
    assert finding.message("zh") == "“diesel”的燃料排放因子覆盖值无法应用：value is blank。"
