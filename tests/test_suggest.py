"""One "Did you mean …?" (envreport.suggest), used by every finding that suggests a value."""

from __future__ import annotations

import ast

from envreport.schema import SHEETS
from envreport.schema.types import suggest_currency
from envreport.suggest import CUTOFF, did_you_mean, nearest
from envreport.units import suggest_units
from envreport.validate.cross import _ProjectSuggestions
from envreport.validate.errors import _closest_allowed
from envreport.validate.factor_checks import fuel_suggestion
from envreport.validate.layout import _column_suggestion
from tests.conftest import ROOT

PACKAGE = ROOT / "envreport"


def test_nearest_values_best_first_each_once_exact_spelling_alone() -> None:
    countries = {"tanzania": "Tanzania", "tza": "Tanzania", "kenya": "Kenya"}
    assert nearest("tanzanya", countries) == ["Tanzania"]  # two spellings, one value
    assert nearest("kenya", countries) == ["Kenya"]
    assert nearest("", countries) == []
    assert nearest("zzzz", countries) == []
    assert did_you_mean("ea-rail-1", ["ea-rail-01", "ea-rail-02", "sre-id-coal"]) == (
        "ea-rail-01 or ea-rail-02")
    # difflib's ratio: one wrong letter in four is above the cutoff, one in three below
    assert CUTOFF == 0.7
    assert did_you_mean("fule", ["fuel", "unit"]) == "fuel"  # ratio 0.75
    assert did_you_mean("gaz", ["gas"]) is None  # ratio 0.67
    # a hostile cell is compared by its first 64 characters only
    assert did_you_mean("quantity" + "x" * 32_000, ["quantity"]) is None


def test_every_kind_of_suggestion_goes_through_it() -> None:
    """The real suggestions of each finding that makes one, as the user reads them."""
    fuel_sheet = next(spec for spec in SHEETS if spec.name == "Fuel")
    assert _column_suggestion(fuel_sheet, "unti") == {"suggestion": "unit"}  # was none (0.8)
    assert _column_suggestion(fuel_sheet, "quantiy") == {"suggestion": "quantity"}
    projects = _ProjectSuggestions({"EA-RAIL-01", "EA-RAIL-02", "SRE-ID-COAL"})
    assert projects("sre-id-coal") == {"suggestion": "SRE-ID-COAL"}
    assert projects("EA-RAIL-1") == {"suggestion": "EA-RAIL-01 or EA-RAIL-02"}
    assert projects("ZZZ") == {}
    assert _closest_allowed("operaton", "'planning', 'construction' or 'operation'") == (
        "operation")
    assert _closest_allowed("constuction", "'construction' or 'consolidation'") == (
        "construction")  # was "construction or consolidation" (0.6)
    assert suggest_units("kwhh") == ("kWh",)
    assert suggest_currency("Tanzanian shiling") == "TZS"
    assert fuel_suggestion("disel") == "diesel or biodiesel"


def test_a_known_value_written_as_one_whole_word_is_suggested() -> None:
    """A longer name around a right value (ratio under the cutoff) still suggests it."""
    project_types = "'solar_pv', 'wind', 'hydro', 'biomass_power', 'coal_power'"
    assert _closest_allowed("wind_farm", project_types) == "wind"  # difflib ratio 0.62
    assert _closest_allowed("Wind-Farm", project_types) == "wind"
    eia = "'approved', 'pending', 'not_started' or 'not_required'"
    assert _closest_allowed("pending approval", eia) == "pending"  # ratio 0.61
    # a word two values are is no answer; neither is a part of a word, nor a lone word
    assert did_you_mean("wind_or_hydro", ["wind", "hydro"]) is None
    assert did_you_mean("windfarm", ["wind"]) is None
    assert _closest_allowed("constuction", "'consolidation' or 'equity'") is None
    assert _closest_allowed("farm", project_types) is None
    # a single word of exactly one value: the short name a person writes for it
    assert _closest_allowed("coal", project_types) == "coal_power"  # difflib ratio 0.57
    assert _closest_allowed("Solar", project_types) == "solar_pv"
    assert _closest_allowed("power", project_types) is None  # two values hold it
    assert did_you_mean("pv", ["solar_pv"]) is None  # too short to name a value
    # difflib's answer, when there is one, is not replaced
    assert did_you_mean("fule oil", ["fuel_oil", "oil"]) == "fuel_oil"


def test_no_other_module_matches_by_itself() -> None:
    """difflib is called in envreport/suggest.py only: one cutoff, one way to suggest."""
    callers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = isinstance(node, ast.Import) and any(
                alias.name == "difflib" for alias in node.names)
            if imported or (isinstance(node, ast.ImportFrom) and node.module == "difflib"):
                callers.append(path.relative_to(PACKAGE).as_posix())
    assert callers == ["suggest.py"]
