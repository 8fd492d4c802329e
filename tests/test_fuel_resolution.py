"""The Fuel rows are resolved to their factors once a validation (validate/fuel_resolution.py):
the generation check and the factor checks read the same resolution."""

from __future__ import annotations

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
    assert findings == list(factor_checks.check_factors(submission))
