"""The Fuel rows are resolved to their factors once a validation (validate/fuel_resolution.py):
the generation check and the factor checks read the same resolution."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from envreport.factors import resolve
from envreport.pipeline import read_and_validate
from envreport.schema import Sheet
from envreport.validate import factor_checks, fuel_resolution

SRE = Path(__file__).resolve().parents[1] / "sample_inputs" / "group" / "sre.xlsx"


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of Fuel rows of each resolution the validation asks for."""
    calls: list[int] = []

    def counting(sub: Any, lib: Any, ov: Any) -> Any:
        calls.append(len(sub.tables[Sheet.FUEL]))
        return resolve.resolve_fuel(sub, lib, ov)

    monkeypatch.setattr(fuel_resolution, "resolve_fuel", counting)
    monkeypatch.setattr(factor_checks, "resolve_fuel", counting)
    return calls


def test_a_validation_with_power_sold_from_fuel_resolves_the_fuel_rows_once(
        resolved: list[int]) -> None:
    """sre.xlsx sells power from fuel: its 76 Fuel rows resolved once, for both checks (the
    factor checks asked again for one row of each project, fuel, unit and use)."""
    _raw, submission = read_and_validate(SRE)
    assert len(submission.tables[Sheet.FUEL]) == 76
    assert resolved == [76]


def test_the_factor_checks_alone_resolve_one_row_of_each_combination(
        resolved: list[int]) -> None:
    """When no other check has resolved the Fuel rows (no power sold from fuel), the factor
    checks resolve one row of each distinct project, fuel, unit and use: 7 of sre's 76."""
    _raw, submission = read_and_validate(SRE)
    resolved.clear()
    findings = list(factor_checks.check_factors(submission, None,
                                                fuel_resolution.FuelResolution(submission)))
    assert resolved == [7]
    assert findings == []  # sre's fuels are all known and convertible


def test_the_factor_checks_say_the_same_from_the_resolved_rows_as_from_one_of_each(
        ) -> None:
    """A fault in two of sre's Fuel rows: an unknown fuel in row 4 and a coal in litres in
    row 7, each found at its own cell whether the factor checks read every row resolved by
    the generation check or resolve one row of each combination themselves."""
    _raw, submission = read_and_validate(SRE)
    fuel = submission.tables[Sheet.FUEL].copy()
    fuel.loc[2, "fuel"] = "bituminous_coall"  # row 4 (a header row, then rows 2, 3, 4)
    fuel.loc[5, "unit"] = "L"  # row 7: coal is weighed, not measured by volume
    faulty = replace(submission, tables={**submission.tables, Sheet.FUEL: fuel})
    rows = fuel_resolution.FuelResolution(faulty)
    assert rows.if_resolved() is None
    rows.rows()
    assert rows.if_resolved() is not None
    for findings in (list(factor_checks.check_factors(faulty, None, rows)),
                     list(factor_checks.check_factors(faulty))):
        assert [(f.code, f.severity, f.sheet, f.cell, f.value, f.params) for f in findings] == [
            ("fuel-unknown", "error", "Fuel", "D4", "bituminous_coall",
             {"suggestion": "bituminous_coal or sub_bituminous_coal"}),
            ("fuel-volume-not-convertible", "error", "Fuel", "F7", "L",
             {"fuel": "bituminous_coal"})]
