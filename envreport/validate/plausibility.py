"""Plausibility: what an auditor would query (docs/methodology.md).

Warnings never reject a row. The one exception is generation above what the installed
capacity can physically produce in the period: that is impossible, so it is an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

import numpy as np
import pandas as pd

from envreport.codes import Severity
from envreport.findings import Finding, message_figure
from envreport.schema import Sheet
from envreport.schema.sheets import NON_FUEL_RENEWABLE_TECHNOLOGIES, delivered_mwh
from envreport.submission import Submission
from envreport.units import conversion_factor
from envreport.validate.cross import Letters
from envreport.validate.fuel_resolution import FuelResolution

# Capacity-factor ceilings per technology (docs/methodology.md); thermal covers the rest.
CAPACITY_FACTOR_CEILING = {"solar_pv": 0.35, "wind": 0.60, "hydro": 0.95}
THERMAL_CEILING = 0.95
# The share of its fuel's energy (net calorific value) a plant sells as electricity, above
# which its Fuel rows are very likely incomplete (a warning, ``generation-efficiency-high``):
# the best ultra-supercritical coal units reach about 47 % and biomass units less; the best
# combined-cycle gas turbines about 64 %, the highest of any fuel-burning plant.
FUEL_EFFICIENCY_CEILING = {"coal_power": 0.50, "biomass_power": 0.50}
FUEL_EFFICIENCY_CEILING_OTHER = 0.65  # gas, oil and the rest: combined cycle's best
ESTIMATED_SHARE_LIMIT = 0.20
GJ_PER_MWH = conversion_factor("MWh", "GJ")  # 3.6, exact
OUTLIER_RATIO = 10
OUTLIER_MIN_ROWS = 3  # a median of fewer rows says little

_OUTLIER_KEYS = {
    Sheet.FUEL: ("fuel", "unit"),
    Sheet.ELECTRICITY: ("energy_type", "unit"),
    Sheet.WATER: ("flow", "unit"),
}


def _letter(letters: Letters, sheet: str, field: str) -> str | None:
    return letters.get(sheet, {}).get(field)


# Typed readers of one validated cell. pandas' annotations type ``DataFrame.at`` as any scalar
# at all (a str, a Timestamp, an Interval ...); the column's dtype, documented in
# envreport.submission, says which it is. The tables keep their default integer index.
def _row_at(frame: pd.DataFrame, idx: int) -> int:
    """The Excel row number of a validated row."""
    return int(frame["row"].loc[idx])


def _number_at(frame: pd.DataFrame, idx: int, column: str) -> float:
    """A number of a validated row (a float64 column; the callers' masks exclude blanks)."""
    return float(frame[column].loc[idx])


def _date_at(frame: pd.DataFrame, idx: int, column: str) -> date:
    """A date of a validated row (a datetime64 column; the callers' masks exclude blanks)."""
    return pd.Timestamp(frame[column].loc[idx]).date()


def generation_vs_capacity(generation: pd.DataFrame, projects: pd.DataFrame,
                           letters: Letters) -> Iterator[Finding]:
    """Generation above capacity × hours (error) or above the technology's ceiling (warning)."""
    if generation.empty:
        return
    capacity = projects.drop_duplicates("project_id").set_index("project_id")[
        "installed_capacity_mw"]
    frame = generation.assign(capacity=generation["project_id"].map(capacity))
    frame = frame[frame["capacity"].notna() & (frame["capacity"] > 0)]
    if frame.empty:
        return
    days = (frame["period_end"] - frame["period_start"]).dt.days + 1
    hours = days * 24
    max_mwh = frame["capacity"] * hours
    factor = frame["gross_generation_mwh"] / max_mwh
    ceiling = frame["technology"].map(CAPACITY_FACTOR_CEILING).fillna(THERMAL_CEILING)
    column = _letter(letters, Sheet.GENERATION, "gross_generation_mwh")
    for idx in frame.index[factor > 1]:
        yield Finding("generation-exceeds-capacity", "error", Sheet.GENERATION,
                      _row_at(frame, idx), column, "gross_generation_mwh",
                      _number_at(frame, idx, "gross_generation_mwh"),
                      {"capacity_mw": message_figure(_number_at(frame, idx, "capacity")),
                       "hours": int(hours[idx]), "max_mwh": message_figure(max_mwh[idx])})
    for idx in frame.index[(factor > ceiling) & (factor <= 1)]:
        yield Finding("generation-capacity-factor-high", "warning", Sheet.GENERATION,
                      _row_at(frame, idx), column, "gross_generation_mwh",
                      _number_at(frame, idx, "gross_generation_mwh"),
                      {"capacity_factor": round(float(factor[idx]) * 100, 1),
                       "ceiling": round(float(ceiling[idx]) * 100),
                       "technology": frame.at[idx, "technology"]})


def net_export_missing(generation: pd.DataFrame, letters: Letters) -> Iterator[Finding]:
    """A blank net_export_mwh: the whole gross generation is then taken as sold (a warning).

    Energy sold is subtracted from the GRI 302-1 total and drives avoided emissions, so the
    figure is asked for rather than silently assumed. Without the column, or with the column
    blank in every row, one warning at the header row says so (not one per row).
    """
    if generation.empty:
        return
    column = _letter(letters, Sheet.GENERATION, "net_export_mwh")
    blank = generation[generation["net_export_mwh"].isna()]
    if column is None or len(blank) == len(generation):
        yield Finding("net-export-missing", "warning", Sheet.GENERATION, 1, column,
                      "net_export_mwh", None, {"rows": len(generation)})
        return
    for row in blank["row"]:
        yield Finding("net-export-missing", "warning", Sheet.GENERATION, int(row), column,
                      "net_export_mwh", None, {"rows": 1})


def _sold_from_fuel(generation: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The Generation rows of plants that burn fuel and sell electricity; the MWh each sold
    (``net_export_mwh``, else the gross, as metrics takes it); whether the export was given."""
    exported = generation["net_export_mwh"].notna()
    sold = delivered_mwh(generation)
    burns_fuel = ~generation["technology"].isin(NON_FUEL_RENEWABLE_TECHNOLOGIES)
    selling = generation[burns_fuel & (sold > 0)]
    return selling, sold[selling.index], exported[selling.index]


def _sold_finding(code: str, generation: pd.DataFrame, idx: int, exported: bool,
                  letters: Letters, severity: Severity = "error",
                  **params: object) -> Finding:
    """A finding at the sold-energy cell of a Generation row: ``net_export_mwh``, or
    ``gross_generation_mwh`` where the export is blank (the whole generation is taken)."""
    field = "net_export_mwh" if exported else "gross_generation_mwh"
    return Finding(code, severity, Sheet.GENERATION, _row_at(generation, idx),
                   _letter(letters, Sheet.GENERATION, field), field,
                   _number_at(generation, idx, field),
                   {"project_id": str(generation.at[idx, "project_id"]),
                    "technology": str(generation.at[idx, "technology"]), **params})


def generation_without_fuel(generation: pd.DataFrame, fuel: pd.DataFrame | None,
                            letters: Letters,
                            incomplete_fuel: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """Electricity sold from a plant that burns fuel, by a project with no Fuel row (error).

    GRI 302-1 counts a thermal plant's fuel and subtracts the electricity it sells
    (docs/methodology.md, the boundary): without the fuel only the subtraction is left, so the
    energy consumed is understated — below zero for a plant that is most of the entity —
    and the plant's Scope 1 emissions are missing. The finding is at the sold-energy cell
    (``net_export_mwh``, or ``gross_generation_mwh`` where the export is blank and the
    whole generation is taken as sold). A project in ``incomplete_fuel`` (a Fuel row rejected for
    an error of its own) has fuel, only not readable yet: not judged.
    """
    if generation.empty:
        return
    fuelled = (set(fuel["project_id"]) if fuel is not None else set()) | incomplete_fuel
    selling, _sold, exported = _sold_from_fuel(generation)
    for idx in selling.index[~selling["project_id"].isin(fuelled)]:
        yield _sold_finding("generation-fuel-missing", generation, idx, bool(exported[idx]),
                            letters)


def generation_period_without_fuel(generation: pd.DataFrame, fuel: pd.DataFrame | None,
                                   letters: Letters,
                                   incomplete_fuel: frozenset[str] = frozenset()
                                   ) -> Iterator[Finding]:
    """A fuel-burning plant's Generation row for a period that no Fuel row of its project
    overlaps by a single day (warning, at its gross generation): a project that reports fuel
    month by month and power for more months than fuel (nine months of coal for a year of
    power) is missing the other months' fuel — and their Scope 1 emissions — even when the
    fuel it has is enough energy to pass :func:`generation_beyond_fuel`.

    Projects without any Fuel row are :func:`generation_without_fuel`'s; a Fuel row with a
    blank period covers the whole reporting period (validation fills it in), so only a
    project whose Fuel rows name their periods can be flagged; nor one in ``incomplete_fuel``
    (a Fuel row rejected for an error of its own: its period is not known).
    """
    if generation.empty or fuel is None or fuel.empty:
        return
    generating = generation[
        ~generation["technology"].isin(NON_FUEL_RENEWABLE_TECHNOLOGIES)
        & (generation["gross_generation_mwh"] > 0) & generation["period_start"].notna()
        & generation["period_end"].notna()
        & generation["project_id"].isin(set(fuel["project_id"]) - incomplete_fuel)]
    if generating.empty:
        return
    uncovered: list[int] = []
    burned = fuel[fuel["project_id"].isin(set(generating["project_id"]))]
    for project_id, periods in burned.groupby("project_id", sort=False):
        if periods["period_start"].isna().any() or periods["period_end"].isna().any():
            continue  # a period not known: not judged
        periods = periods.sort_values("period_start")
        starts = periods["period_start"].to_numpy()
        # the latest end among the Fuel rows that start on or before each one's start
        latest_end = np.maximum.accumulate(periods["period_end"].to_numpy())
        rows = generating[generating["project_id"] == project_id]
        # the Fuel rows starting on or before a Generation row's last day; one of them
        # overlaps it when the latest of their ends is on or after its first day
        last = np.searchsorted(starts, rows["period_end"].to_numpy(), side="right") - 1
        covered = (last >= 0) & (latest_end[np.maximum(last, 0)]
                                 >= rows["period_start"].to_numpy())
        uncovered += list(rows.index[~covered])
    column = _letter(letters, Sheet.GENERATION, "gross_generation_mwh")
    for idx in sorted(uncovered, key=lambda i: _row_at(generation, i)):
        yield Finding("generation-period-without-fuel", "warning", Sheet.GENERATION,
                      _row_at(generation, idx), column, "gross_generation_mwh",
                      _number_at(generation, idx, "gross_generation_mwh"),
                      {"project_id": str(generation.at[idx, "project_id"]),
                       "technology": str(generation.at[idx, "technology"]),
                       "start": _date_at(generation, idx, "period_start").isoformat(),
                       "end": _date_at(generation, idx, "period_end").isoformat()})


def fuel_rows_weighed_in(submission: Submission) -> np.ndarray:
    """The Fuel rows :func:`generation_beyond_fuel` weighs (ascending table positions): every
    row of the projects that sell electricity from fuel."""
    generation = submission.tables.get(Sheet.GENERATION)
    fuel = submission.tables.get(Sheet.FUEL)
    if generation is None or fuel is None:
        return np.empty(0, dtype=np.intp)
    selling = _sold_from_fuel(generation)[0]
    return np.flatnonzero(fuel["project_id"].isin(set(selling["project_id"])).to_numpy())


def fuel_rows_weighed(fuel_rows: FuelResolution) -> np.ndarray:
    """:func:`fuel_rows_weighed_in` the submission ``fuel_rows`` resolves (its need, worked
    out once for the need and the check)."""
    return fuel_rows.answer(fuel_rows_weighed_in)


def generation_beyond_fuel(submission: Submission, letters: Letters,
                           incomplete_fuel: frozenset[str] = frozenset(),
                           fuel_rows: FuelResolution | None = None) -> Iterator[Finding]:
    """A plant that sells more electricity than the energy of all the fuel its project burned
    (error): no plant turns more than its fuel into electricity, so its Fuel rows are
    incomplete (a month of coal for a year of power) and GRI 302-1, which subtracts the
    sale, would understate the energy consumed — below zero in the worst case. Then the
    plants whose sale is less than their fuel, but more than any plant of the kind makes of
    it (:func:`generation_efficiency_high`, a warning).

    The fuel's energy is what metrics computes (:func:`envreport.factors.resolve.resolve_fuel`,
    NCV basis, before the consolidation share, like the generation it is compared with), of
    the Fuel rows of the projects concerned (:func:`fuel_rows_weighed_in`); ``fuel_rows``
    resolves them once, in one call, with those of
    :func:`~envreport.validate.factor_checks.check_factors`. A project with a
    Fuel row that cannot be computed (an unknown fuel: an error of its own) is not judged,
    nor one in ``incomplete_fuel`` (a Fuel row rejected for an error of its own: a quantity
    that is #N/A would make the fuel look short). One finding per project, at the sold-energy
    cell of its first row.
    """
    generation = submission.tables.get(Sheet.GENERATION)
    fuel = submission.tables.get(Sheet.FUEL)
    if generation is None or generation.empty or fuel is None or fuel.empty:
        return
    selling, sold, exported = _sold_from_fuel(generation)
    selling = selling[selling["project_id"].isin(set(fuel["project_id"]))]
    if selling.empty:
        return
    fuel_rows = fuel_rows or FuelResolution(submission)
    resolved = fuel_rows.rows(fuel_rows.answer(fuel_rows_weighed_in))
    if resolved is None:
        return
    unknown = set(resolved.loc[resolved["problem"].notna() | resolved["tj"].isna(),
                               "project_id"]) | incomplete_fuel
    fuel_gj = (resolved["tj"] * 1000.0).groupby(resolved["project_id"]).sum()
    sold_gj = (sold[selling.index] * GJ_PER_MWH).groupby(selling["project_id"]).sum()
    for project_id, gj in sold_gj.items():
        burned = float(fuel_gj.get(project_id, 0.0))
        if project_id in unknown or gj <= burned:
            continue
        idx = selling.index[selling["project_id"] == project_id][0]
        yield _sold_finding("generation-exceeds-fuel", generation, idx, bool(exported[idx]),
                            letters, sold_gj=message_figure(float(gj)),
                            fuel_gj=message_figure(burned))
    yield from generation_efficiency_high(generation, selling, exported, sold_gj, fuel_gj,
                                          unknown, letters)


def generation_efficiency_high(generation: pd.DataFrame, selling: pd.DataFrame,
                               exported: pd.Series, sold_gj: pd.Series, fuel_gj: pd.Series,
                               unknown: set[str], letters: Letters) -> Iterator[Finding]:
    """A plant that sells less electricity than its project's fuel holds, but a larger share
    of it than the most efficient plants of its kind turn into electricity (warning): the
    Fuel rows are most likely incomplete — some of the fuel burned is missing — yet hold
    enough energy to pass :func:`generation_beyond_fuel`'s error. Scope 1 and the energy
    consumed (GRI 302-1) would then be understated.

    The share is a floor of the plant's true efficiency: the electricity sold (not the gross
    generation) against all its project's fuel (also what it burns for other uses), so an
    honest plant is not flagged. The ceiling is the highest of its Generation rows'
    technologies (:data:`FUEL_EFFICIENCY_CEILING`). Given, by project, the sold and fuel
    energy (GJ) and the projects whose fuel could not be computed (not judged). One finding
    per project, at the sold-energy cell of its first row.
    """
    ceilings = selling["technology"].map(FUEL_EFFICIENCY_CEILING).fillna(
        FUEL_EFFICIENCY_CEILING_OTHER).groupby(selling["project_id"]).max().to_dict()
    for project_id, gj in sold_gj.items():
        burned = float(fuel_gj.get(project_id, 0.0))
        if project_id in unknown or burned <= 0 or gj > burned:
            continue  # not computed, or the error's case (more sold than burned)
        share, ceiling = float(gj) / burned, float(ceilings[project_id])
        if share <= ceiling:
            continue
        idx = selling.index[selling["project_id"] == project_id][0]
        yield _sold_finding("generation-efficiency-high", generation, idx,
                            bool(exported[idx]), letters, severity="warning",
                            sold_gj=message_figure(float(gj)), fuel_gj=message_figure(burned),
                            efficiency=round(share * 100, 1), ceiling=round(ceiling * 100))


def outliers(tables: Mapping[str, pd.DataFrame], letters: Letters) -> Iterator[Finding]:
    """A quantity more than 10× the median of its project and fuel (or energy, or flow)."""
    for sheet, keys in _OUTLIER_KEYS.items():
        frame = tables.get(sheet)
        if frame is None or len(frame) < OUTLIER_MIN_ROWS:
            continue
        group = frame.groupby(["project_id", *keys], dropna=False, sort=False)["quantity"]
        median = group.transform("median")
        size = group.transform("size")
        flagged = (size >= OUTLIER_MIN_ROWS) & (median > 0) & \
            (frame["quantity"] > OUTLIER_RATIO * median)
        column = _letter(letters, sheet, "quantity")
        for idx in frame.index[flagged]:
            yield Finding("value-outlier", "warning", sheet, _row_at(frame, idx), column,
                          "quantity", _number_at(frame, idx, "quantity"),
                          {"median": message_figure(median[idx]),
                           "key": frame.at[idx, keys[0]]})


def eia_warnings(projects: pd.DataFrame, letters: Letters) -> Iterator[Finding]:
    """Active projects without an approved EIA; dates out of order around construction."""
    active = projects["status"].isin(["construction", "operation"])
    lacking = active & ~projects["eia_status"].isin(["approved", "not_required"])
    column = _letter(letters, Sheet.PROJECTS, "eia_status")
    for idx in projects.index[lacking]:
        yield Finding("eia-not-approved", "warning", Sheet.PROJECTS, _row_at(projects, idx),
                      column, "eia_status", projects.at[idx, "eia_status"],
                      {"status": projects.at[idx, "status"],
                       "eia_status": projects.at[idx, "eia_status"]})
    # Dates out of order (warnings): construction before the EIA approval; operation before
    # construction. The finding sits on the date that breaks the order.
    yield from _out_of_order(projects, letters, "construction-before-eia",
                             first="eia_approval_date", then="construction_start",
                             at="eia_approval_date")
    yield from _out_of_order(projects, letters, "operation-before-construction",
                             first="construction_start", then="operation_start",
                             at="operation_start")


def _out_of_order(projects: pd.DataFrame, letters: Letters, code: str, *, first: str,
                  then: str, at: str) -> Iterator[Finding]:
    """Projects whose ``then`` date comes before their ``first`` date."""
    wrong = projects[first].notna() & projects[then].notna() & (projects[then] < projects[first])
    column = _letter(letters, Sheet.PROJECTS, at)
    for idx in projects.index[wrong]:
        yield Finding(code, "warning", Sheet.PROJECTS, _row_at(projects, idx), column, at,
                      _date_at(projects, idx, at),
                      {"construction_start": _date_at(projects, idx, "construction_start")})


def estimated_share(tables: Mapping[str, pd.DataFrame], letters: Letters) -> Iterator[Finding]:
    """More than 20 % of a sheet's activity rows marked ``estimated``: a sheet warning."""
    for sheet, frame in tables.items():
        if frame is None or frame.empty or "data_quality" not in frame:
            continue
        share = float((frame["data_quality"] == "estimated").mean())
        if share > ESTIMATED_SHARE_LIMIT:
            yield Finding("estimated-share-high", "warning", sheet, 1,
                          _letter(letters, sheet, "data_quality"), "data_quality", None,
                          {"share": round(share * 100, 1)})


def ignored_values(tables: Mapping[str, pd.DataFrame], letters: Letters) -> Iterator[Finding]:
    """Values that the contract says are ignored in context: say so, never silently."""
    water = tables.get(Sheet.WATER)
    if water is not None and not water.empty:
        bad = water[(water["flow"] == "withdrawal") & water["treated"].notna()]
        for row in bad["row"]:
            yield Finding("treated-on-withdrawal", "warning", Sheet.WATER, int(row),
                          _letter(letters, Sheet.WATER, "treated"), "treated")
    power = tables.get(Sheet.ELECTRICITY)
    if power is not None and not power.empty:
        bad = power[(power["instrument"] == "none") & power["instrument_quantity"].notna()]
        for row, value in zip(bad["row"], bad["instrument_quantity"], strict=True):
            yield Finding("instrument-quantity-without-instrument", "warning", Sheet.ELECTRICITY,
                          int(row), _letter(letters, Sheet.ELECTRICITY, "instrument_quantity"),
                          "instrument_quantity", float(value))
