"""results.json ``energy_contents``: per fuel and workbook unit, the density and NCV (or the
net/gross ratio) that turned the Fuel sheet's quantities into the trail's TJ, with their
publications, so that a Fuel entry can be re-derived from results.json alone; the report's
"Fuel quantities to net energy" table reads it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from envreport.factors import load_library
from envreport.metrics.energy_contents import energy_contents as computed_contents
from envreport.render.sections.methodology import energy_contents as report_contents
from envreport.results import Results, load_results
from envreport.results.models import FactorOverride
from tests.conftest import sample_results, sample_results_model

IPCC_NCV = "IPCC 2006, Vol. 2, Tables 1.2 and 1.4"
IPCC_NCV_REFERENCE = (
    "IPCC (2006). 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2: "
    "Energy, Chapter 1, Table 1.2 (net calorific values) and Table 1.4 (CO2 emission "
    "factors)")
GHGP_DENSITY = "GHG Protocol stationary combustion tool, v4.0"
GHGP_DENSITY_REFERENCE = (
    "World Resources Institute and World Business Council for Sustainable Development (n.d.). "
    "GHG Protocol tool for stationary combustion, version 4.0: default fuel densities")
NO_PARTS = dict.fromkeys((
    "density", "density_unit", "density_source", "density_reference", "ncv", "ncv_unit",
    "ncv_source", "ncv_reference", "gross_to_net", "gross_to_net_source",
    "gross_to_net_reference"))


@pytest.fixture(scope="module")
def sre() -> Results:
    return sample_results_model()  # group/sre.xlsx (the demo), computed once per process


def test_the_demos_fuels_carry_their_density_and_ncv_with_publications() -> None:
    """The demo (sre.xlsx), as written to results.json. Worked by hand:
    diesel, L: 0.84 kg/L × 43 TJ/Gg = 0.84 t/kL × 43 GJ/t = 36.12 GJ/kL = 0.03612 GJ/L
    (0.03612 TJ/kL); natural gas, MMBtu: 1.055056 GJ (gross) × 0.9 = 0.9495504 GJ;
    bituminous coal, t: the workbook's own 22.6 MJ/kg (Factors row 2) = 22.6 GJ/t."""
    contents = sample_results()["energy_contents"]
    assert [(c["fuel"], c["input_unit"], c["rows"]) for c in contents] == [
        ("bituminous_coal", "t", 12), ("diesel", "L", 40), ("gasoline", "L", 12),
        ("natural_gas", "MMBtu", 12)]
    coal, diesel, _, gas = contents
    assert diesel == {
        **NO_PARTS, "fuel": "diesel", "input_unit": "L", "rows": 40, "gj_per_unit": 0.03612,
        "density": 0.84, "density_unit": "kg/L", "density_source": GHGP_DENSITY,
        "density_reference": GHGP_DENSITY_REFERENCE, "density_override": False,
        "ncv": 43.0, "ncv_unit": "TJ/Gg", "ncv_source": IPCC_NCV,
        "ncv_reference": IPCC_NCV_REFERENCE, "ncv_override": False}
    assert list(diesel)[:4] == ["fuel", "input_unit", "rows", "gj_per_unit"]
    assert coal == {
        **NO_PARTS, "fuel": "bituminous_coal", "input_unit": "t", "rows": 12,
        "gj_per_unit": 22.6, "density_override": False, "ncv": 22.6, "ncv_unit": "MJ/kg",
        "ncv_source": "Sulawesi plant: weighted average as-received NCV of the 48 coal "
                      "shipments of 2024, laboratory certificates SCI-MKS-2024-C-0001 to "
                      "-0048 (ISO 1928)",
        "ncv_override": True}
    assert gas == {
        **NO_PARTS, "fuel": "natural_gas", "input_unit": "MMBtu", "rows": 12,
        "gj_per_unit": 0.9495504, "density_override": False, "ncv_override": False,
        "gross_to_net": 0.9, "gross_to_net_source": "IPCC 2006, Vol. 2, Section 1.4.1.2",
        "gross_to_net_reference": "IPCC (2006). 2006 IPCC Guidelines for National Greenhouse "
        "Gas Inventories, Volume 2: Energy, Chapter 1, Section 1.4.1.2 (conversion between "
        "gross and net calorific values)"}


def test_every_fuel_entry_is_rederived_from_results_json_alone() -> None:
    """What the auditor does with the file: each Fuel entry's TJ is its quantity × its fuel
    and unit's energy per unit, and that energy is the product of the parts listed (the
    unit's own size from docs/units.md); every Fuel row is counted once in ``rows``."""
    from envreport.units import conversion_factor, ratio_factor

    data = sample_results()
    by_key = {(c["fuel"], c["input_unit"]): c for c in data["energy_contents"]}
    fuel_entries = [e for e in data["calculations"] if e["sheet"] == "Fuel"]
    assert fuel_entries
    for entry in fuel_entries:
        content = by_key[(entry["fuel"], entry["input_unit"])]
        assert entry["activity"] == pytest.approx(
            entry["input_quantity"] * content["gj_per_unit"] / 1000.0, rel=1e-11, abs=1e-15)
    rows = {(e["fuel"], e["input_unit"]): set() for e in fuel_entries}
    for entry in fuel_entries:
        rows[(entry["fuel"], entry["input_unit"])].add(entry["row"])
    assert {key: len(found) for key, found in rows.items()} == {
        key: c["rows"] for key, c in by_key.items()}
    for (_, unit), c in by_key.items():
        if c["gross_to_net"] is not None:
            product = conversion_factor(unit, "GJ") * c["gross_to_net"]
        else:
            # GJ per t of the NCV, × t per unit (the density's, for a volume)
            product = c["ncv"] * (ratio_factor(c["ncv_unit"], "TJ/Gg") or 0.0)
            product *= (c["density"] * (ratio_factor(c["density_unit"], "t/m3") or 0.0)
                        * conversion_factor(unit, "m3")) if c["density"] is not None \
                else conversion_factor(unit, "t")
        assert c["gj_per_unit"] == pytest.approx(product, rel=1e-12), unit


def _fuel_frame(**columns: list) -> pd.DataFrame:
    rows = len(columns["row"])
    return pd.DataFrame({"problem": [None] * rows, **columns})


def test_per_fuel_and_unit_from_the_first_row_with_a_quantity() -> None:
    """A row of quantity 0 tells nothing of the energy per unit: the first row (by Excel
    row) with some gives it; a row that could not be converted (a problem, no TJ) is not
    counted; a fuel whose rows all have 0 has no energy per unit. Submission factors: a
    density with the library's NCV, an NCV per volume alone."""
    library = load_library()
    frame = _fuel_frame(
        row=[9, 4, 5, 6, 7, 8, 3],
        fuel=["gasoline", "gasoline", "diesel", "natural_gas", "diesel", "lpg", "gasoline"],
        unit=["L", "L", "L", "m3", "L", "kg", "L"],
        quantity=[2000.0, 1000.0, 0.0, 500.0, 10.0, 0.0, 0.0],
        tj=[0.06645, 0.033225, 0.0, 0.019, np.nan, 0.0, 0.0])
    frame.loc[4, "problem"] = "fuel-volume-not-convertible"
    overrides = [
        FactorOverride(factor_type="density", key="gasoline", gas=None, value=0.75,
                       unit="kg/L", source="lab", sheet="Factors", row=3),
        FactorOverride(factor_type="ncv", key="natural_gas", gas=None, value=38.0,
                       unit="MJ/m3", source="supplier", sheet="Factors", row=2)]
    contents = computed_contents(frame, overrides, library)
    assert contents is not None
    got = {(c.fuel, c.input_unit): c for c in contents}
    assert list(got) == [("diesel", "L"), ("gasoline", "L"), ("lpg", "kg"),
                         ("natural_gas", "m3")]
    assert [(c.rows, c.gj_per_unit) for c in contents] == [
        (1, None), (3, 0.033225), (1, None), (1, 0.038)]
    gasoline, gas = got[("gasoline", "L")], got[("natural_gas", "m3")]
    assert (gasoline.density, gasoline.density_unit, gasoline.density_source,
            gasoline.density_reference, gasoline.density_override) == (
        0.75, "kg/L", "lab", None, True)
    assert (gasoline.ncv, gasoline.ncv_unit, gasoline.ncv_source, gasoline.ncv_override) == (
        44.3, "TJ/Gg", IPCC_NCV, False)
    assert (gas.density, gas.ncv, gas.ncv_unit, gas.ncv_source, gas.ncv_override) == (
        None, 38.0, "MJ/m3", "supplier", True)
    assert computed_contents(None, [], library) is None  # no Fuel sheet: null
    assert computed_contents(frame.iloc[4:5], [], library) == []  # nothing converted


def test_the_report_reads_the_table_from_results(sre: Results) -> None:
    """Every fact once: the report prints what results.json holds (a changed entry shows),
    and results stored before the key get the same table from the trail and the library."""
    rows, cited = report_contents(sre, sre.calculations, "en")
    diesel = next(r for r in rows if r["fuel"] == "diesel")
    assert diesel["gj_per_unit"] == 0.03612
    assert [(p["value"], p["unit"]) for p in diesel["parts"]] == [(0.84, "kg/L"),
                                                                   (43.0, "GJ/t")]
    assert diesel["sources"] == [{"citation": GHGP_DENSITY, "part": "density"},
                                 {"citation": IPCC_NCV, "part": None}]
    assert cited == {  # the publications the trail's own sources lack
        GHGP_DENSITY: GHGP_DENSITY_REFERENCE,
        "IPCC 2006, Vol. 2, Section 1.4.1.2": "IPCC (2006). 2006 IPCC Guidelines for National "
        "Greenhouse Gas Inventories, Volume 2: Energy, Chapter 1, Section 1.4.1.2 (conversion "
        "between gross and net calorific values)"}
    assert next(r for r in rows if r["fuel"] == "bituminous_coal")["sources"] == [
        {"sheet": "Factors", "row": 2, "entity": None}]

    assert sre.energy_contents is not None
    changed = [c.model_copy(update={"gj_per_unit": 0.05}) if c.fuel == "diesel" else c
               for c in sre.energy_contents]
    rows_changed, _ = report_contents(sre.model_copy(update={"energy_contents": changed}),
                                      sre.calculations, "en")
    assert next(r for r in rows_changed if r["fuel"] == "diesel")["gj_per_unit"] == 0.05

    stored = sample_results()
    del stored["energy_contents"]
    older = load_results(stored)
    assert older.energy_contents is None
    assert "energy_contents" not in older.to_json_dict()  # not invented on the way back out
    rows_older, cited_older = report_contents(older, older.calculations, "en")
    assert cited_older == cited
    for new, old in zip(rows, rows_older, strict=True):
        assert {**new, "gj_per_unit": None} == {**old, "gj_per_unit": None}
        assert math.isclose(new["gj_per_unit"], old["gj_per_unit"], rel_tol=1e-12)
