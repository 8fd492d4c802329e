"""``envreport factors``: the library's factors with their sources, as tables.

:func:`factor_tables` returns plain data (title, columns, rows) for a fuel, a country or a
gas, or an overview when nothing is asked; :func:`print_factors` renders the same tables
with rich on a console the caller owns (the CLI wires the flags to these arguments).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from envreport.factors.library import GWP_SETS, FactorLibrary, load_library, record


@dataclass(frozen=True, slots=True)
class FactorTable:
    """One table of factors: a title, column headings and rows of plain values."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (for ``--format json``)."""
        return {"title": self.title, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows]}


class FactorLookupError(LookupError):
    """The fuel, country or gas asked for is not in the library."""


def _country(text: str) -> str:
    from envreport.factors.resolve import country_alpha3

    iso3 = country_alpha3(text)
    if iso3 is None:
        raise FactorLookupError(f"{text!r} is not a recognised country")
    return iso3


def _nearest(written: str, known: Iterable[str]) -> str:
    """", did you mean diesel?" when a known id is near what was written (the findings' own
    rule, :mod:`envreport.suggest`), else nothing."""
    from envreport.suggest import did_you_mean

    by_case = {str(k).casefold(): str(k) for k in known}
    suggestion = did_you_mean(written.casefold(), by_case)
    return f" (did you mean {suggestion}?)" if suggestion else ""


def fuel_tables(lib: FactorLibrary, fuel_id: str) -> list[FactorTable]:
    """NCV, CO2 factor, density and CH4/N2O per context of one fuel."""
    fid = fuel_id.strip().lower()
    if not lib.has_fuel(fid):
        raise FactorLookupError(f"{fuel_id!r} is not a fuel of the factor library"
                                f"{_nearest(fid, lib.fuel_ids())}; envreport factors "
                                f"lists the fuels")
    r = record(lib.fuels, fid)
    props = FactorTable(
        f"{fid} — {r['fuel_name']} ({'biogenic CO2' if r['biogenic'] else 'fossil'})",
        ("factor", "value", "unit", "source"))
    props.rows.append(("NCV", float(r["ncv_tj_per_gg"]), "TJ/Gg", r["factor_source"]))
    props.rows.append(("CO2", float(r["co2_kg_per_tj"]), "kg/TJ", r["factor_source"]))
    density = lib.density(fid)
    if density is not None:
        props.rows.append(("density", density.value, density.unit, density.source))
    n = lib.nonco2[lib.nonco2["fuel_id"] == fid]
    nonco2 = FactorTable(f"{fid} — CH4 and N2O by combustion context",
                         ("context", "CH4 kg/TJ", "N2O kg/TJ", "source"))
    for _, row in n.iterrows():
        nonco2.rows.append((row["context"], float(row["ch4_kg_per_tj"]),
                            float(row["n2o_kg_per_tj"]), row["factor_source"]))
    return [props, nonco2]


def country_tables(lib: FactorLibrary, country: str) -> list[FactorTable]:
    """Every grid factor of a country (alpha-2, alpha-3 or name), the used ones marked."""
    iso3 = _country(country)
    g = lib.grid[lib.grid["country_iso3"] == iso3].sort_values(["role", "factor_type", "year"])
    if g.empty:
        raise FactorLookupError(f"the factor library has no grid factor for {iso3}")
    table = FactorTable(f"{iso3} — electricity grid factors",
                        ("year", "kg CO2e/kWh", "use", "type", "basis", "source"))
    for _, r in g.iterrows():
        use = {"location": "Scope 2 location-based", "sensitivity": "avoided-emissions "
               "sensitivity", "alternative": "shown only"}[r["role"]]
        table.rows.append((int(r["year"]), float(r["kg_co2e_per_kwh"]), use, r["factor_type"],
                           r["basis"], r["factor_source"]))
    return [table]


def gas_tables(lib: FactorLibrary, gas: str) -> list[FactorTable]:
    """The GWP100 of a gas (any alias) in AR4, AR5 and AR6, with its group and source."""
    name = lib.resolve_gas(gas)
    if name is None:
        raise FactorLookupError(f"{gas!r} has no GWP in the factor library"
                                f"{_nearest(gas.strip(), lib.gwp.index)}; envreport factors "
                                f"lists the gases")
    r = record(lib.gwp, name)
    table = FactorTable(f"{name} — GWP100 ({r['group']}"
                        f"{'' if r['kyoto'] == 'yes' else ', outside the Kyoto basket'})",
                        ("set", "GWP100", "source"))
    for s in GWP_SETS:
        table.rows.append((s, float(r[f"{s.lower()}_gwp100"]), r[f"factor_source_{s.lower()}"]))
    return [table]


def overview_tables(lib: FactorLibrary) -> list[FactorTable]:
    """The fuels, gases and grid countries the library knows."""
    fuels = FactorTable(f"Fuels (factor library {lib.version})",
                        ("fuel", "name", "NCV TJ/Gg", "CO2 kg/TJ", "biogenic"))
    for fid in lib.fuel_ids():
        r = record(lib.fuels, fid)
        fuels.rows.append((fid, r["fuel_name"], float(r["ncv_tj_per_gg"]),
                           float(r["co2_kg_per_tj"]), bool(r["biogenic"])))
    gases = FactorTable("Gases (GWP100)", ("gas", "group", "AR4", "AR5", "AR6"))
    for gas, gwp in lib.gwp.iterrows():
        gases.rows.append((gas, gwp["group"], float(gwp["ar4_gwp100"]),
                           float(gwp["ar5_gwp100"]), float(gwp["ar6_gwp100"])))
    grid = FactorTable("Grid countries", ("country", "location-based factor types"))
    for iso3 in lib.grid_countries():
        types = sorted(set(lib.grid.loc[(lib.grid["country_iso3"] == iso3)
                                        & (lib.grid["role"] == "location"), "factor_type"]))
        grid.rows.append((iso3, ", ".join(types)))
    return [fuels, gases, grid]


def factor_tables(fuel: str | None = None, country: str | None = None, gas: str | None = None,
                  library: FactorLibrary | None = None) -> list[FactorTable]:
    """The tables ``envreport factors [--fuel ID | --country ISO | --gas NAME]`` shows.

    Raises :class:`FactorLookupError` when the fuel, country or gas is unknown.
    """
    lib = library or load_library()
    tables: list[FactorTable] = []
    if fuel:
        tables += fuel_tables(lib, fuel)
    if country:
        tables += country_tables(lib, country)
    if gas:
        tables += gas_tables(lib, gas)
    return tables or overview_tables(lib)


def print_factors(console: Console, fuel: str | None = None, country: str | None = None,
                  gas: str | None = None) -> None:
    """Print :func:`factor_tables` on ``console`` with rich."""
    for ft in factor_tables(fuel=fuel, country=country, gas=gas):
        table = Table(title=ft.title, show_lines=False)
        for col in ft.columns:
            table.add_column(col, overflow="fold")
        for row in ft.rows:
            table.add_row(*("" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
                            for v in row))
        console.print(table)
