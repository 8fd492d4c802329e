"""The Fuel rows are resolved to their factors once a validation (validate/fuel_resolution.py):
the generation check and the factor checks read the same resolution, of the rows either
needs and no other."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from envreport.factors import resolve
from envreport.pipeline import read_and_validate
from envreport.schema import Sheet
from envreport.validate import factor_checks, fuel_resolution, plausibility

SRE = Path(__file__).resolve().parents[1] / "sample_inputs" / "group" / "sre.xlsx"


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of Fuel rows of each resolution the validation asks for."""
    calls: list[int] = []

    def counting(sub: Any, lib: Any, ov: Any) -> Any:
        calls.append(len(sub.tables[Sheet.FUEL]))
        return resolve.resolve_fuel(sub, lib, ov)

    monkeypatch.setattr(fuel_resolution, "resolve_fuel", counting)
    return calls


def test_a_validation_with_power_sold_from_fuel_resolves_the_rows_both_checks_need_once(
        resolved: list[int]) -> None:
    """sre.xlsx sells power from coal and gas: the 36 Fuel rows of those two plants (12 each
    of coal, diesel and gas) for the generation check and, in the same call, the first row of
    each of the other 4 projects' 4 combinations of project, fuel, unit and use for the
    factor checks (the plants' 3 are among the 36): 40 of 76, where resolving each check's
    rows apart took two calls and 43 rows."""
    _raw, submission = read_and_validate(SRE)
    assert len(submission.tables[Sheet.FUEL]) == 76
    assert resolved == [40]


def test_fuel_rows_of_projects_that_sell_no_power_are_not_resolved(
        resolved: list[int], tmp_path: Path) -> None:
    """300 more Fuel rows of the solar, wind and transmission projects (which sell no power
    from fuel) add no row to resolve: the generation check does not weigh them and the
    factor checks' combinations are the same 7."""
    book = openpyxl.load_workbook(SRE)
    fuel = book["Fuel"]
    others = [row for row in fuel.iter_rows(min_row=2, values_only=True)
              if row[0] in {"SRE-PK-SOL", "SRE-KZ-WND", "SRE-UZ-TL"}]
    assert len(others) == 36
    for i in range(300):
        fuel.append([*others[i % 36][:8], f"EXTRA-{i}"])
    path = tmp_path / "sre_more_fuel.xlsx"
    book.save(path)
    _raw, submission = read_and_validate(path)
    assert len(submission.tables[Sheet.FUEL]) == 376
    assert resolved == [40]


def test_each_check_alone_resolves_only_its_rows(resolved: list[int]) -> None:
    """Alone, the factor checks resolve one row of each of sre's 7 combinations, and the
    generation check the 36 rows of the two plants that sell power from fuel."""
    _raw, submission = read_and_validate(SRE)
    resolved.clear()
    findings = list(factor_checks.check_factors(
        submission, None, fuel_resolution.FuelResolution(submission,
                                                         factor_checks.fuel_rows_judged)))
    assert resolved == [7]
    assert findings == []  # sre's fuels are all known and convertible
    resolved.clear()
    assert list(factor_checks.check_factors(submission)) == []
    assert resolved == [7]
    resolved.clear()
    assert list(plausibility.generation_beyond_fuel(submission, {})) == []
    assert resolved == [36]


def test_a_row_no_need_named_is_resolved_when_asked() -> None:
    """A check that named no need still gets its rows: those outside the first resolution
    resolved then (sre's rows 0 and 1 of the coal plant resolved first, row 40 after)."""
    _raw, submission = read_and_validate(SRE)
    rows = fuel_resolution.FuelResolution(submission)
    first = rows.rows(np.array([0, 1]))
    assert first is not None
    assert list(first["row"]) == [2, 3]
    assert rows.resolved == 2
    again = rows.rows(np.array([1]))
    assert again is not None
    assert list(again["row"]) == [3]
    assert rows.resolved == 2
    later = rows.rows(np.array([1, 40]))
    assert later is not None
    assert list(later["row"]) == [3, 42]
    assert rows.resolved == 4
    assert rows.rows(np.array([], dtype=np.intp)) is None


def test_the_factor_checks_say_the_same_from_the_shared_rows_as_from_their_own(
        ) -> None:
    """A fault in two of sre's Fuel rows: an unknown fuel in row 4 and a coal in litres in
    row 7, each found at its own cell whether the factor checks read the rows resolved with
    the generation check's (which asked first) or resolve their own."""
    _raw, submission = read_and_validate(SRE)
    fuel = submission.tables[Sheet.FUEL].copy()
    fuel.loc[2, "fuel"] = "bituminous_coall"  # row 4 (a header row, then rows 2, 3, 4)
    fuel.loc[5, "unit"] = "L"  # row 7: coal is weighed, not measured by volume
    faulty = replace(submission, tables={**submission.tables, Sheet.FUEL: fuel})
    rows = fuel_resolution.FuelResolution(faulty, factor_checks.fuel_rows_judged,
                                          plausibility.fuel_rows_weighed)
    assert list(plausibility.generation_beyond_fuel(faulty, {}, frozenset(), rows)) == []
    assert rows.resolved == 40  # the 2 faulty rows' combinations: the coal plant's, weighed
    for findings in (list(factor_checks.check_factors(faulty, None, rows)),
                     list(factor_checks.check_factors(faulty))):
        assert [(f.code, f.severity, f.sheet, f.cell, f.value, f.params) for f in findings] == [
            ("fuel-unknown", "error", "Fuel", "D4", "bituminous_coall",
             {"suggestion": "bituminous_coal or sub_bituminous_coal"}),
            ("fuel-volume-not-convertible", "error", "Fuel", "F7", "L",
             {"fuel": "bituminous_coal"})]
    assert rows.resolved == 40  # nothing more asked
