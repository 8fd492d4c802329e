"""scripts/compare_findings.py: what a report may differ in under --text-may-differ."""

from __future__ import annotations

import json

from envreport.findings import Finding
from tests.conftest import load_script

compare_findings = load_script("compare_findings")


def _report(*findings: Finding, lang: str = "zh") -> list[object]:
    return [1, json.dumps({"file": "x.xlsx", "findings": [f.to_dict(lang) for f in findings]},
                          ensure_ascii=False)]


def test_only_the_text_of_the_findings_is_left_out() -> None:
    without_text = compare_findings._without_text
    projects = Finding("project-duplicate", "error", "Projects", 5, "A", "project_id", "P1",
                       {"first_row": 3})
    reworded = _report(projects)
    before = [1, str(reworded[1]).replace("“项目”工作表", "Projects 工作表")]
    assert before != reworded
    assert without_text(before) == without_text(reworded)
    # another cell, another code or another exit code still differs
    moved = Finding("project-duplicate", "error", "Projects", 6, "A", "project_id", "P1",
                    {"first_row": 3})
    assert without_text(_report(moved)) != without_text(reworded)
    assert without_text([2, reworded[1]]) != without_text(reworded)
    # a report that is no JSON is compared as printed
    assert without_text([2, "cannot read"]) == [2, "cannot read"]
