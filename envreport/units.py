"""Units: one pint registry for the whole project, extended with the units bills use.

pint 0.25 knows ``L``, ``m³``, ``t``, ``ML``, ``gallon`` and ``therm`` but not ``m3``,
``MMBtu``, ``US_gallon``, ``scf`` or ``Nm3`` (spec/workbook.md); they are defined here.
Gas volumes are *normal* volumes (0 °C, 101.325 kPa): ``m3`` and ``Nm3`` are the same unit,
and a standard cubic foot (60 °F, 14.696 psi) is 0.026 79 Nm³ (spec/methods.md) — not the
geometric 0.028 317 m³ — because the factor library's densities are at normal conditions.

Conversions are done once per distinct unit text (cached), then applied to whole columns:
no per-row pint work in the hot path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import pint

Dimension = Literal["mass", "volume", "energy"]

_DIMENSIONALITY: dict[Dimension, str] = {
    "mass": "[mass]",
    "volume": "[length] ** 3",
    "energy": "[mass] * [length] ** 2 / [time] ** 2",
}

# The base unit each dimension converts to in metrics.
BASE_UNIT: dict[Dimension, str] = {"mass": "t", "volume": "m3", "energy": "GJ"}

# Units quoted on a gross (higher heating value) basis; converted to net in metrics.
GROSS_BASIS_UNITS = frozenset({"therm", "MMBtu"})


def _build_registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(cache_folder=None, autoconvert_offset_to_baseunit=True)
    ureg.define("m3 = meter ** 3 = Nm3 = Sm3")
    ureg.define("scf = 0.02679 * m3")
    ureg.define("MMBtu = 1e6 * BTU = mmbtu")
    ureg.define("US_gallon = gallon")
    ureg.define("toe = 41.868 * GJ")
    return ureg


UREG = _build_registry()

# Spellings people type that pint does not read as meant.
_ALIASES = {
    "m³": "m3",
    "nm³": "m3",
    "nm3": "m3",
    "sm3": "m3",
    "cubic_meter": "m3",
    "cubic meter": "m3",
    "cubic metre": "m3",
    "litre": "L",
    "liter": "L",
    "litres": "L",
    "liters": "L",
    "l": "L",
    "tonne": "t",
    "tonnes": "t",
    "metric_ton": "t",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "gj": "GJ",
    "mj": "MJ",
    "tj": "TJ",
    "mmbtu": "MMBtu",
    "gal": "US_gallon",
    "gallon": "US_gallon",
    "gallons": "US_gallon",
    "us_gallon": "US_gallon",
    "ml": "ML",  # megalitre: water reporting never uses millilitres
    "megalitre": "ML",
    "megaliter": "ML",
    "kg": "kg",
    "t": "t",
}


class UnitError(ValueError):
    """A unit text that does not parse, or parses to the wrong dimension."""


@lru_cache(maxsize=512)
def normalise_unit(text: str) -> str:
    """Return the canonical spelling of a unit text, or raise :class:`UnitError`.

    ``"m³"``, ``"Nm3"`` and ``"m3"`` all become ``"m3"``; unknown units raise.
    """
    cleaned = re.sub(r"\s+", " ", str(text)).strip()
    if not cleaned:
        raise UnitError("blank unit")
    canonical = _ALIASES.get(cleaned.lower(), cleaned)
    try:
        UREG.parse_units(canonical)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError,
            AttributeError, TypeError, SyntaxError) as exc:
        raise UnitError(f"unknown unit {text!r}") from exc
    return canonical


@lru_cache(maxsize=512)
def dimension_of(unit: str) -> Dimension | None:
    """The dimension (mass, volume, energy) of a normalised unit, or ``None`` for others."""
    dims = UREG.parse_units(unit).dimensionality
    for name, spec in _DIMENSIONALITY.items():
        if dims == UREG.get_dimensionality(spec):
            return name
    return None


@lru_cache(maxsize=512)
def conversion_factor(unit: str, target: str) -> float:
    """Multiply a quantity in ``unit`` by this to express it in ``target``."""
    # 15 significant digits: drop binary noise (1e-3 not 0.0010000000000000002) so that
    # figures are reproducible and hand-checkable.
    return float(f"{UREG.Quantity(1.0, unit).to(target).magnitude:.15g}")


def check_unit(text: str, allowed: tuple[Dimension, ...]) -> str:
    """Normalise ``text`` and check its dimension is one of ``allowed``."""
    unit = normalise_unit(text)
    dim = dimension_of(unit)
    if dim not in allowed:
        raise UnitError(f"{text!r} is not a unit of {' or '.join(allowed)}")
    return unit
