"""The factor library: fuel, GWP and grid factors read from the shipped CSVs, with sources.

Every number comes from ``envreport/factors/data/*.csv`` (no factor is written in code);
each row carries its publisher, document, table and edition, and every lookup returns the
value *and* its publication's full reference (``publications.csv``) so that the calculation
trail and the report can cite it. How a value reached the library (the transcription, tool or
snapshot it was read from: the ``transcription``, ``density_note`` and ``notes`` columns) is
for maintainers and is never returned as a source. The library is
loaded and validated once per process (:func:`load_library` is cached; kept between runs
by :mod:`envreport.factors.library_cache`): a malformed data file is a packaging bug and
raises :class:`FactorLibraryError` at first use.

Metrics merge on the DataFrames (``fuels``, ``nonco2``, ``gwp``, ``grid``) for whole columns;
the typed lookups serve single values (tests, ``envreport factors``, validation messages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from envreport.factors.library_cache import kept_or_loaded
from envreport.schema.sheets import GWP_SETS as CONTRACT_GWP_SETS
from envreport.schema.sheets import GwpSet

#: the GWP sets oldest first (AR4, AR5, AR6), the order of the library's columns and of
#: ``envreport factors``; the workbook contract (schema.sheets) defines which exist
GWP_SETS: tuple[GwpSet, ...] = tuple(sorted(CONTRACT_GWP_SETS))

# The fuel ids of the workbook contract (docs/workbook.md); the library must know each.
CONTRACT_FUELS: tuple[str, ...] = (
    "natural_gas", "diesel", "gasoline", "fuel_oil", "lpg", "jet_kerosene", "kerosene",
    "crude_oil", "naphtha", "bituminous_coal", "sub_bituminous_coal", "lignite",
    "anthracite", "coking_coal", "petroleum_coke", "coke", "peat", "wood", "charcoal",
    "biodiesel", "bioethanol", "biogas", "landfill_gas",
)

# Gas groups of results.json's ghg.scope1_by_gas_t; "other" is outside the Kyoto basket.
GAS_GROUPS: tuple[str, ...] = ("CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3")

# CH4/N2O contexts. Stationary ones follow IPCC Ch.2 tables; mobile ones Ch.3.
CONTEXT_TABLE = {
    "energy_industries": "IPCC 2006 Vol.2 Table 2.2 (energy industries)",
    "manufacturing": "IPCC 2006 Vol.2 Table 2.3 (manufacturing industries and construction)",
    "commercial": "IPCC 2006 Vol.2 Table 2.4 (commercial/institutional)",
    "residential": "IPCC 2006 Vol.2 Table 2.5 (residential)",
    "road": "IPCC 2006 Vol.2 Table 3.2.2 (road transport)",
    "offroad": "IPCC 2006 Vol.2 Table 3.3.1 (off-road machinery)",
    "ships": "IPCC 2006 Vol.2 Table 3.5.3 (navigation)",
    "aviation": "IPCC 2006 Vol.2 Table 3.6.5 (civil aviation)",
    "rail": "IPCC 2006 Vol.2 Table 3.4.1 (railways)",
}


#: the grid factors a calculation looks up (grid.csv's ``role``): ``location`` for Scope 2 and
#: avoided emissions, ``sensitivity`` (the IFI combined margin) shown beside avoided emissions
GridRole = Literal["location", "sensitivity"]


class FactorLibraryError(RuntimeError):
    """The shipped factor data is malformed (a packaging bug, not a user error)."""



def record(table: pd.DataFrame, key: Any) -> dict[str, Any]:
    """The row of ``table`` whose index is ``key`` (unique), as a dict of plain values."""
    return {str(name): value for name, value in table.loc[key].items()}

@dataclass(frozen=True, slots=True)
class Sourced:
    """A factor value with its unit and where it comes from."""

    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class GridChoice:
    """The grid factor chosen for a country and reporting year, and why."""

    country: str
    year: int
    value: float  # kg CO2e per kWh
    source: str
    factor_type: str
    basis: str
    later_than_period: bool  # every available year is after the reporting year

    @property
    def unit(self) -> str:
        return "kg/kWh"


def gas_key(name: object) -> str:
    """A gas name reduced for matching: upper case without spaces, ``-`` or ``_``.

    ``"HFC-134a"``, ``"hfc 134a"`` and ``"HFC134A"`` all give ``"HFC134A"``.
    """
    return re.sub(r"[\s_\-]+", "", str(name)).upper()


def _read(name: str) -> pd.DataFrame:
    text = files("envreport.factors").joinpath("data", name).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def _numeric(frame: pd.DataFrame, column: str, file: str, allow_blank: bool = False) -> None:
    values = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    bad = values.isna() & (frame[column] != "") | (values < 0)
    if not allow_blank:
        bad |= frame[column] == ""
    if bad.any():
        raise FactorLibraryError(f"{file}: {column} is not a non-negative number in rows "
                                 f"{list(frame.index[bad] + 2)}")
    frame[column] = values.astype("float64")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FactorLibraryError(f"{file}: missing columns {missing}")
    for c in ("publisher", "document", "edition"):
        if c in columns and (frame[c] == "").any():
            raise FactorLibraryError(f"{file}: a row has no {c} (every factor needs a source)")


class FactorLibrary:
    """The loaded, validated factor tables. Use :func:`load_library` rather than this."""

    def __init__(self) -> None:
        self.version: str = (
            files("envreport.factors").joinpath("data", "VERSION").read_text("utf-8").strip()
        )
        self.publications = self._load_publications()
        self.fuels = self._load_fuels()
        self.nonco2 = self._load_nonco2()
        self.gwp = self._load_gwp()
        self.ods = self._load_ods()
        self.grid = self._load_grid()
        # the grid indexed once (the library does not change once loaded), and each grid
        # choice made once: see grid_factor
        self._grid_rows = _grid_rows(self.grid)
        self._grid_choices: dict[tuple[str, int, str], GridChoice | None] = {}
        self.constants = self._load_constants()
        self.citations = self._citations()
        #: English citation text (short or full) → its Chinese text, for the Chinese report
        self.chinese: dict[str, str] = {
            **dict(zip(self.publications["publication"],
                       self.publications["publication_zh"], strict=True)),
            **dict(zip(self.publications["citation"],
                       self.publications["citation_zh"], strict=True)),
        }
        #: English citation text (short or full) → its publication's id (``cn_mee_nbs_2022``),
        #: which stays when the text is corrected: a stored results.json may hold older text
        self.publication_ids: dict[str, str] = {
            text: pid for column in ("citation", "publication") for text, pid in zip(
                self.publications[column], self.publications["publication_id"], strict=True)}
        #: short citation → (use, use in Chinese): which use and sector a factor applies to
        self.applies_to: dict[str, tuple[str, str]] = {
            c: (en, zh) for c, en, zh in zip(
                self.publications["citation"], self.publications["applies_to"],
                self.publications["applies_to_zh"], strict=True)}
        self._gas_index: dict[str, str] = {}
        for gas, aliases in zip(self.gwp.index, self.gwp["aliases"], strict=True):
            for name in (gas, *[a for a in aliases.split(";") if a]):
                self._gas_index[gas_key(name)] = gas
        self._ods_index: dict[str, str] = {}
        for gas, aliases in zip(self.ods.index, self.ods["aliases"], strict=True):
            for name in (gas, *[a for a in aliases.split(";") if a]):
                self._ods_index[gas_key(name)] = gas

    # --- loading and validation ------------------------------------------------------------
    def _load_publications(self) -> pd.DataFrame:
        p = _read("publications.csv")
        columns = ("publication_id", "citation", "citation_zh", "publication", "publication_zh",
                   "applies_to", "applies_to_zh")
        _require(p, columns, "publications.csv")
        for column in columns[:5]:
            if (p[column] == "").any():
                raise FactorLibraryError(f"publications.csv: a row has no {column}")
        for column in ("publication_id", "citation", "publication"):
            if p[column].duplicated().any():
                raise FactorLibraryError(f"publications.csv: duplicate {column}")
        return p.set_index("publication_id", drop=False)

    def _cite(self, frame: pd.DataFrame, file: str, column: str = "publication") -> list[str]:
        """The full English publication text cited by each row of ``frame``."""
        unknown = set(frame[column]) - set(self.publications.index)
        if unknown:
            raise FactorLibraryError(f"{file}: {column} names no publication: {sorted(unknown)}")
        return list(self.publications.loc[frame[column], "publication"])

    def _load_fuels(self) -> pd.DataFrame:
        f = _read("fuels.csv")
        _require(f, ("fuel_id", "state", "biogenic", "ncv_tj_per_gg", "co2_kg_per_tj",
                     "density", "density_unit", "publisher", "document", "table", "edition",
                     "publication", "density_publication"), "fuels.csv")
        for col in ("ncv_tj_per_gg", "co2_kg_per_tj"):
            _numeric(f, col, "fuels.csv")
        _numeric(f, "density", "fuels.csv", allow_blank=True)
        if f["fuel_id"].duplicated().any():
            raise FactorLibraryError("fuels.csv: duplicate fuel_id")
        missing = sorted(set(CONTRACT_FUELS) - set(f["fuel_id"]))
        if missing:
            raise FactorLibraryError(f"fuels.csv: contract fuels missing: {missing}")
        if not f["state"].isin(["gas", "liquid", "solid"]).all():
            raise FactorLibraryError("fuels.csv: state must be gas, liquid or solid")
        # kg/L and kg/Nm3 both become t/m3 so one merge converts every volume to mass.
        to_t_per_m3 = f["density_unit"].map({"kg/L": 1.0, "kg/Nm3": 0.001, "": float("nan")})
        if to_t_per_m3.isna().ne(f["density"].isna()).any():
            raise FactorLibraryError("fuels.csv: density_unit must be kg/L or kg/Nm3")
        f["density_t_per_m3"] = f["density"] * to_t_per_m3
        f["biogenic"] = f["biogenic"].eq("yes")
        f["factor_source"] = self._cite(f, "fuels.csv")
        # a density cites its own publication (the tool it is the default of), not the NCV's
        if f["density_publication"].eq("").ne(f["density"].isna()).any():
            raise FactorLibraryError("fuels.csv: a density needs a density_publication, and "
                                     "only a density has one")
        with_density = f["density"].notna()
        f["density_source"] = None
        f.loc[with_density, "density_source"] = self._cite(f[with_density], "fuels.csv",
                                                           "density_publication")
        return f.set_index("fuel_id", drop=False)

    def _load_nonco2(self) -> pd.DataFrame:
        n = _read("fuel_nonco2.csv")
        _require(n, ("fuel_id", "context", "ch4_kg_per_tj", "n2o_kg_per_tj", "publisher",
                     "document", "table", "edition"), "fuel_nonco2.csv")
        _numeric(n, "ch4_kg_per_tj", "fuel_nonco2.csv")
        _numeric(n, "n2o_kg_per_tj", "fuel_nonco2.csv")
        unknown = set(n["fuel_id"]) - set(self.fuels.index)
        if unknown or not n["context"].isin(list(CONTEXT_TABLE)).all():
            raise FactorLibraryError(f"fuel_nonco2.csv: unknown fuel or context {unknown}")
        if n.duplicated(["fuel_id", "context"]).any():
            raise FactorLibraryError("fuel_nonco2.csv: duplicate (fuel_id, context)")
        # The stationary energy-industries row is every fuel's fallback (methods.md).
        without = set(self.fuels.index) - set(n.loc[n["context"] == "energy_industries",
                                                   "fuel_id"])
        if without:
            raise FactorLibraryError(f"fuel_nonco2.csv: no energy_industries row for {without}")
        n["factor_source"] = self._cite(n, "fuel_nonco2.csv")
        return n

    def _load_gwp(self) -> pd.DataFrame:
        g = _read("gwp.csv")
        _require(g, ("gas", "group", "kyoto", "aliases", "ar4_gwp100", "ar5_gwp100",
                     "ar6_gwp100", "publisher", "document", "edition"), "gwp.csv")
        for s in GWP_SETS:
            _numeric(g, f"{s.lower()}_gwp100", "gwp.csv")
        if not g["group"].isin([*GAS_GROUPS, "other"]).all():
            raise FactorLibraryError("gwp.csv: unknown gas group")
        for s in GWP_SETS:
            g[f"factor_source_{s.lower()}"] = self._cite(g, "gwp.csv", f"publication_{s.lower()}")
        return g.set_index("gas", drop=False)

    def _load_ods(self) -> pd.DataFrame:
        """Ozone-depleting potentials of the controlled substances (GRI 305-6)."""
        o = _read("ods.csv")
        _require(o, ("gas", "aliases", "annex", "group", "odp", "publisher", "document",
                     "edition", "table", "publication"), "ods.csv")
        _numeric(o, "odp", "ods.csv")
        if o["gas"].duplicated().any():
            raise FactorLibraryError("ods.csv: duplicate gas")
        o["factor_source"] = self._cite(o, "ods.csv")
        return o.set_index("gas", drop=False)

    def _load_grid(self) -> pd.DataFrame:
        g = _read("grid.csv")
        _require(g, ("country_iso3", "year", "kg_co2e_per_kwh", "factor_type", "role", "basis",
                     "publisher", "document", "edition", "publication"), "grid.csv")
        _numeric(g, "kg_co2e_per_kwh", "grid.csv")
        g["year"] = pd.to_numeric(g["year"], errors="raise").astype("int64")
        if not g["role"].isin(["location", "alternative", "sensitivity"]).all():
            raise FactorLibraryError("grid.csv: role must be location, alternative or "
                                     "sensitivity")
        loc = g[g["role"] == "location"]
        if loc.duplicated(["country_iso3", "year"]).any():
            raise FactorLibraryError("grid.csv: two location factors for a country and year")
        g["factor_source"] = self._cite(g, "grid.csv")
        return g

    def _citations(self) -> dict[str, str]:
        """Full publication text → its short citation for the calculation trail.

        The trail repeats a source on every entry; the short form keeps results.json small,
        and ``factor_sources`` in the results maps each short form back to the full text.
        Both are publications (publications.csv): how a value reached the library is
        provenance, kept in the data files' own columns and never printed in a report.
        """
        return dict(zip(self.publications["publication"], self.publications["citation"],
                        strict=True))

    def _load_constants(self) -> dict[str, Sourced]:
        c = _read("constants.csv")
        _require(c, ("name", "value", "unit", "publisher", "document", "edition"),
                 "constants.csv")
        _numeric(c, "value", "constants.csv")
        return {r["name"]: Sourced(float(r["value"]), r["unit"], source)
                for (_, r), source in zip(c.iterrows(), self._cite(c, "constants.csv"),
                                          strict=True)}

    def gross_to_net(self, state: str) -> Sourced:
        """The NCV/GCV ratio applied to gross-basis units (therm, MMBtu) of a fuel state."""
        name = "gross_to_net_gas" if state == "gas" else "gross_to_net_liquid_solid"
        return self.constants[name]

    # --- fuels -----------------------------------------------------------------------------
    def fuel_ids(self) -> tuple[str, ...]:
        """Every fuel id the library knows, contract fuels first."""
        extra = sorted(set(self.fuels.index) - set(CONTRACT_FUELS))
        return (*CONTRACT_FUELS, *extra)

    def has_fuel(self, fuel_id: str) -> bool:
        return fuel_id in self.fuels.index

    def ncv(self, fuel_id: str) -> Sourced:
        """Net calorific value in TJ/Gg (= MJ/kg = GJ/t)."""
        r = record(self.fuels, fuel_id)
        return Sourced(float(r["ncv_tj_per_gg"]), "TJ/Gg", r["factor_source"])

    def co2_factor(self, fuel_id: str) -> Sourced:
        """CO2 per unit of net energy, kg/TJ (full oxidation)."""
        r = record(self.fuels, fuel_id)
        return Sourced(float(r["co2_kg_per_tj"]), "kg/TJ", r["factor_source"])

    def density(self, fuel_id: str) -> Sourced | None:
        """Density in kg/L (liquids) or kg/Nm3 (gases), or ``None`` when none is known."""
        r = record(self.fuels, fuel_id)
        if pd.isna(r["density"]):
            return None
        return Sourced(float(r["density"]), r["density_unit"], r["density_source"])

    def nonco2_factor(self, fuel_id: str, gas: Literal["CH4", "N2O"],
                      context: str) -> Sourced | None:
        """CH4 or N2O in kg/TJ for a combustion context, or ``None`` when the table has none."""
        n = self.nonco2
        hit = n[(n["fuel_id"] == fuel_id) & (n["context"] == context)]
        if hit.empty:
            return None
        r = hit.iloc[0]
        return Sourced(float(r[f"{gas.lower()}_kg_per_tj"]), "kg/TJ", r["factor_source"])

    def is_biogenic(self, fuel_id: str) -> bool:
        return bool(self.fuels.loc[fuel_id, "biogenic"])

    # --- gases -----------------------------------------------------------------------------
    def resolve_gas(self, name: object) -> str | None:
        """The library's name for a gas (``"r134a"`` → ``"HFC-134a"``), or ``None``."""
        return self._gas_index.get(gas_key(name))

    def gas_group(self, gas: str) -> str:
        """CO2, CH4, N2O, HFCs, PFCs, SF6, NF3 or ``other`` (outside the Kyoto basket)."""
        known = self.resolve_gas(gas)
        if known is not None:
            return str(self.gwp.loc[known, "group"])
        return classify_gas_name(gas)

    def odp(self, gas: object) -> Sourced | None:
        """The ozone-depleting potential of a gas (any alias, ``"R-22"``), or ``None``.

        ``None`` means the gas is not a controlled substance of the Montreal Protocol's
        annexes in the library (HFCs, PFCs, SF6: their ODP is 0).
        """
        known = self._ods_index.get(gas_key(gas))
        if known is None:
            return None
        row = record(self.ods, known)
        return Sourced(float(row["odp"]), "t CFC-11 eq / t", row["factor_source"])

    def ods_name(self, gas: object) -> str | None:
        """The library's name of a controlled ozone-depleting substance, or ``None``."""
        return self._ods_index.get(gas_key(gas))

    def gwp_value(self, gas: str, gwp_set: GwpSet) -> Sourced:
        """The GWP100 of a gas (any alias) in ``gwp_set``; ``KeyError`` for an unknown gas."""
        known = self.resolve_gas(gas)
        if known is None:
            raise KeyError(gas)
        r = record(self.gwp, known)
        return Sourced(float(r[f"{gwp_set.lower()}_gwp100"]), "1",
                       r[f"factor_source_{gwp_set.lower()}"])

    def combustion_ch4_gas(self, gwp_set: GwpSet, biogenic: bool) -> str:
        """Which methane row applies to combustion CH4 (docs/methodology.md 'GWP').

        AR6 distinguishes fossil (29.8) and non-fossil (27.0) methane; AR5 (28) and AR4 (25)
        use their single methane value for all CH4, as the project's method decides.
        """
        if gwp_set == "AR6":
            return "CH4_non_fossil" if biogenic else "CH4_fossil"
        return "CH4"

    # --- grid ------------------------------------------------------------------------------
    def grid_countries(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.grid["country_iso3"])))

    def grid_factor(self, country: str, reporting_year: int,
                    role: GridRole = "location") -> GridChoice | None:
        """The factor of ``country`` for ``reporting_year`` by the year rule of methods.md.

        The latest year not after the reporting year; when every year is later, the earliest
        (``later_than_period`` is then true and validation warns). ``None``: no factor.
        """
        # chosen once per country, year and role: validation and compute ask for the same few
        key = (country, reporting_year, role)
        if key not in self._grid_choices:
            self._grid_choices[key] = _grid_choice(self._grid_rows.get((country, role)),
                                                   country, reporting_year)
        return self._grid_choices[key]


def classify_gas_name(name: str) -> str:
    """Group a gas the library does not list, by its name (for refrigerant overrides)."""
    key = gas_key(name)
    if key.startswith(("HCFC", "CFC", "HALON", "R22", "R12", "R11")):
        return "other"
    if key.startswith(("HFC", "R4", "R5", "R134", "R32", "R125", "R143", "R152", "R227",
                       "R23")):
        return "HFCs"
    if key.startswith(("PFC", "CF4", "C2F6", "C3F8", "R14", "R116", "R218")):
        return "PFCs"
    if key in {"SF6", "NF3", "N2O", "CO2", "CH4"}:
        return "NF3" if key == "NF3" else "SF6" if key == "SF6" else key
    return "other"


def _grid_choice(rows: list[tuple[Any, ...]] | None, country: str,
                 reporting_year: int) -> GridChoice | None:
    """:meth:`FactorLibrary.grid_factor` from the country's grid factors of the role."""
    if not rows:
        return None
    not_after = [row for row in rows if row[0] <= reporting_year]
    later = not not_after
    # The first of the earliest years, or of the latest not after the period (file order).
    year, value, source, factor_type, basis = (min(rows, key=lambda row: row[0]) if later
                                               else max(not_after, key=lambda row: row[0]))
    return GridChoice(country, int(year), float(value), source, factor_type, basis, later)


def _grid_rows(g: pd.DataFrame) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    """(country, role) → its grid factors as (year, kg CO2e/kWh, source, factor type, basis),
    in file order: a grid choice is then a look-up, not a filter over the whole table."""
    rows: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for country, role, *row in zip(g["country_iso3"], g["role"], g["year"],
                                   g["kg_co2e_per_kwh"], g["factor_source"], g["factor_type"],
                                   g["basis"], strict=True):
        rows.setdefault((country, role), []).append(tuple(row))
    return rows


@cache
def load_library() -> FactorLibrary:
    """The factor library, loaded and validated once per process, or as an earlier run
    loaded it from the same data by the same code (:mod:`envreport.factors.library_cache`)."""
    return kept_or_loaded(FactorLibrary, FactorLibrary, loaded_from)


def loaded_from() -> list[bytes]:
    """What a loaded library depends on besides Python, pandas and numpy: each data file's
    name and bytes, this module's source (how they are read and checked) and the workbook
    contract's GWP sets."""
    data = files("envreport.factors").joinpath("data")
    parts = [part for entry in sorted(data.iterdir(), key=lambda entry: entry.name)
             if entry.is_file() for part in (entry.name.encode(), entry.read_bytes())]
    return [*parts, Path(__file__).read_bytes(), repr(GWP_SETS).encode()]
