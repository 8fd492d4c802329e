"""What turns one unit of a fuel's workbook quantity into net energy: the parts resolution
multiplies (docs/methodology.md, "Scope 1: combustion") and where each comes from.

Defined once, here, beside the library: the metrics put it in ``results.json``
(``energy_contents``) and the report prints it; neither decides it again. A gross-basis
energy unit (therm, MMBtu) × the net/gross ratio of the fuel's state; a mass × the NCV; a
volume × density × NCV, or × the submission's NCV per volume; a net energy unit as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from envreport.factors.library import FactorLibrary
from envreport.units import GROSS_BASIS_UNITS, dimension_of, ratio_factor

#: the library's NCV unit (the same number as GJ/t and MJ/kg)
LIBRARY_NCV_UNIT = "TJ/Gg"


class GivenFactor(Protocol):
    """A factor the submission gave itself (a ``Factors`` row): its value as given."""

    @property
    def value(self) -> float: ...

    @property
    def unit(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EnergyParts:
    """The parts of one fuel's net energy per unit of one workbook unit.

    ``*_source`` is a library part's short citation (as the trail's ``factor_source``) and
    ``*_reference`` its full English reference; a part the submission gave
    (``*_override``) has the ``Factors`` row's own source and no reference. A part that does
    not apply to the unit is ``None``.
    """

    gross_to_net: float | None = None
    gross_to_net_source: str | None = None
    gross_to_net_reference: str | None = None
    density: float | None = None
    density_unit: str | None = None
    density_source: str | None = None
    density_reference: str | None = None
    density_override: bool = False
    ncv: float | None = None
    ncv_unit: str | None = None
    ncv_source: str | None = None
    ncv_reference: str | None = None
    ncv_override: bool = False


def energy_parts(lib: FactorLibrary, fuel: str, unit: str,
                 given: Mapping[tuple[str, str], GivenFactor]) -> EnergyParts:
    """The parts of ``fuel``'s net energy per ``unit``, as resolution converts it.

    ``given`` holds the submission's factors by (``factor_type``, fuel id): ``("ncv", fuel)``
    replaces the library's NCV (per mass, or per volume, which then replaces density × NCV)
    and ``("density", fuel)`` the library's density.
    """
    dimension = dimension_of(unit)
    ncv = given.get(("ncv", fuel))
    ncv_per_volume = ncv is not None and ratio_factor(ncv.unit, LIBRARY_NCV_UNIT) is None
    if dimension == "energy" and unit in GROSS_BASIS_UNITS:
        ratio = lib.gross_to_net(str(lib.fuels.loc[fuel, "state"]))
        return EnergyParts(gross_to_net=ratio.value,
                           gross_to_net_source=lib.citations.get(ratio.source, ratio.source),
                           gross_to_net_reference=ratio.source)
    if dimension == "volume" and ncv is not None and ncv_per_volume:
        return EnergyParts(ncv=ncv.value, ncv_unit=ncv.unit, ncv_source=ncv.source,
                           ncv_override=True)
    if dimension not in ("mass", "volume"):
        return EnergyParts()  # a net energy unit: as it is
    density = given.get(("density", fuel))
    default_density = lib.density(fuel) if dimension == "volume" else None
    with_density = EnergyParts()
    if dimension == "volume" and density is not None:
        with_density = EnergyParts(density=density.value, density_unit=density.unit,
                                   density_source=density.source, density_override=True)
    elif default_density is not None:
        with_density = EnergyParts(
            density=default_density.value, density_unit=default_density.unit,
            density_source=lib.citations.get(default_density.source, default_density.source),
            density_reference=default_density.source)
    if ncv is not None:
        return replace(with_density, ncv=ncv.value, ncv_unit=ncv.unit, ncv_source=ncv.source,
                       ncv_override=True)
    default_ncv = lib.ncv(fuel)
    return replace(with_density, ncv=default_ncv.value, ncv_unit=LIBRARY_NCV_UNIT,
                   ncv_source=lib.citations.get(default_ncv.source, default_ncv.source),
                   ncv_reference=default_ncv.source)
