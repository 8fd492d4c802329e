"""envreport.findings.Findings: the limit, for findings appended and inserted in order."""

from __future__ import annotations

from envreport.findings import Finding, Findings


def _at(sheet: str | None, row: int, column: str) -> Finding:
    return Finding("required-missing", "error", sheet, row, column, "unit")


def test_insert_keeps_the_reading_order_and_both_ways_stop_at_the_limit() -> None:
    findings = Findings([_at("Fuel", 5, "B"), _at("Fuel", 9, "A")], limit=4)
    # Projects comes before Fuel in the template; row 5's AA after its B; the file's own first
    findings.insert(_at("Fuel", 5, "AA"))
    findings.insert(_at(None, 0, ""))
    assert [(f.sheet, f.row, f.column) for f in findings] == [
        (None, 0, ""), ("Fuel", 5, "B"), ("Fuel", 5, "AA"), ("Fuel", 9, "A")]
    assert not findings.truncated
    findings.insert(_at("Projects", 2, "A"))
    assert [f.sheet for f in findings] == [None, "Fuel", "Fuel", "Fuel"]
    assert findings.truncated
    beyond = Findings([_at("Fuel", 2, "A")], limit=1)
    assert not beyond.truncated
    beyond.add(_at("Fuel", 3, "A"))
    assert [f.row for f in beyond] == [2]
    assert beyond.truncated
