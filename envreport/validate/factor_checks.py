"""Factor findings: rows whose factors the library cannot supply, at the exact cell.

:func:`check_factors` runs on the submission validation has built (accepted rows) and
uses the same resolution as metrics (:mod:`envreport.factors.resolve`), so every row it
reports as an error is a row metrics could not compute, and every warning describes what
metrics did. Validation adds these findings; a submission with errors builds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envreport.codes import Severity
from envreport.factors.library import load_library
from envreport.factors.resolve import (
    fuel_id,
    grid_table,
    parse_overrides,
    project_shares,
    resolve_electricity,
    resolve_refrigerants,
    rows_of,
)
from envreport.findings import Finding, column_letter
from envreport.schema import Sheet
from envreport.schema.registry import SHEETS
from envreport.schema.sheets import (
    RENEWABLE_TECHNOLOGIES,
    STANDARD_POLLUTANTS,
    gwp_set_or_default,
)
from envreport.submission import Submission
from envreport.suggest import did_you_mean
from envreport.validate.combinations import combination_ids
from envreport.validate.fuel_resolution import FuelResolution, with_rows

ROW_OWN_CODES = frozenset({"fuel-unknown", "refrigerant-unknown", "gas-volume-needs-ncv",
                           "fuel-volume-not-convertible", "fuel-use-fallback",
                           "override-invalid"})


def fuel_suggestion(text: object) -> str | None:
    """The library fuels nearest to an unknown one ("disel" → diesel), for "did you mean"."""
    if not isinstance(text, str) or not text.strip():
        return None
    return did_you_mean(fuel_id(text), load_library().fuel_ids())


def _suggestion(value: str | None) -> dict[str, str]:
    return {"suggestion": value} if value else {}


def unknown_fuels(rows: Iterable[tuple[int, object]], column: str | None) -> Iterator[Finding]:
    """``fuel-unknown`` for rows that validation rejected for other reasons (their unit, use,
    quantity): the fuel is reported in the same pass as the row's other errors."""
    lib = load_library()
    for row, text in rows:
        if isinstance(text, str) and text.strip() and not lib.has_fuel(fuel_id(text)):
            yield Finding("fuel-unknown", "error", Sheet.FUEL, row, column, "fuel", text.strip(),
                          _suggestion(fuel_suggestion(text)))


@dataclass(frozen=True)
class _Combinations:
    """The rows of a sheet numbered by the combination of the cells their factor problems
    depend on (``of_row``), and the position of each combination's first row (``first``)."""

    of_row: np.ndarray
    first: np.ndarray


def _combinations(frame: pd.DataFrame, keys: list[str], given: Iterable[str] = ()
                  ) -> _Combinations:
    """``frame``'s rows by their combination of ``keys`` and of whether the ``given`` cells
    are filled: the cells a row's factor problems depend on (its quantity is not one)."""
    by = [frame[k] for k in keys if k in frame] + [frame[k].notna() for k in given if k in frame]
    # as groupby(by, dropna=False, sort=False).ngroup()
    of_row = combination_ids(by) if by else np.zeros(len(frame), dtype=np.int64)
    _, first = np.unique(of_row, return_index=True)  # combination i first at first[i]
    return _Combinations(of_row, first)


FUEL_KEYS = ["project_id", "fuel", "unit", "use"]


def fuel_combinations(sub: Submission) -> _Combinations | None:
    """The Fuel rows by project, fuel, unit and use (``None`` without a Fuel row)."""
    frame = rows_of(sub, Sheet.FUEL)
    return None if frame is None else _combinations(frame, FUEL_KEYS)


def fuel_rows_judged(fuel_rows: FuelResolution) -> np.ndarray:
    """The Fuel rows :func:`check_factors` resolves (table positions): the first of each
    project, fuel, unit and use."""
    combinations = fuel_rows.answer(fuel_combinations)
    return combinations.first if combinations is not None else np.empty(0, dtype=np.intp)


def _flagged_rows(sub: Submission, sheet: str, combinations: _Combinations,
                  resolve: Callable[[np.ndarray], pd.DataFrame | None],
                  flagged: Callable[[pd.DataFrame], pd.Series],
                  echo: str | None = None) -> pd.DataFrame | None:
    """The rows of ``sheet`` that ``resolve`` flags, resolving the first row of each of
    their ``combinations`` (``resolve``: given their table positions) once, so 50 000 fuel
    rows cost the resolution of a few dozen. Each flagged row keeps its own ``row`` and
    ``quantity``, and in ``given`` its cell of column ``echo`` as the workbook has it (the
    resolution normalises it); table order."""
    frame = rows_of(sub, sheet)
    if frame is None:
        return None
    resolved = resolve(combinations.first)
    if resolved is None:
        return None
    combination = combinations.of_row
    hit = flagged(resolved).to_numpy(dtype=bool)[combination]
    rows: pd.DataFrame = resolved.iloc[combination[hit]].reset_index(drop=True)
    rows["row"] = frame["row"].to_numpy()[hit]
    if "quantity" in frame:
        rows["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").to_numpy()[hit]
    if echo is not None and echo in frame:
        rows["given"] = frame[echo].to_numpy(dtype=object)[hit]
    return rows


def default_columns() -> dict[str, dict[str, str]]:
    """Sheet → field → column letter in the template's column order (the sheet's model)."""
    return {spec.name: {f: column_letter(i) for i, f in enumerate(spec.fields, start=1)}
            for spec in SHEETS if not spec.key_value}


def check_factors(submission: Submission,
                  columns: Mapping[str, Mapping[str, str]] | None = None,
                  fuel_rows: FuelResolution | None = None) -> Iterator[Finding]:
    """Yield the factor findings of ``submission`` at their cells.

    ``columns`` maps sheet → field → column letter as read from the workbook's header row;
    sheets or fields it lacks fall back to the template's order. ``fuel_rows``: the Fuel
    rows resolved once for this check and the validation's others (this one's rows named by
    :func:`fuel_rows_judged`); without it, this check resolves its own.
    """
    sub = submission
    lib = load_library()
    letters = default_columns()
    for sheet, fields in (columns or {}).items():
        # The workbook's own header decides; a field it lacks (an optional column left out,
        # such as grid_country) is pointed at through the row's project_id cell instead.
        letters[sheet] = {**fields, "_fallback": fields.get("project_id", "A")}

    def at(code: str, severity: Severity, sheet: str, row: int, field: str, value: object,
           **params: object) -> Finding:
        value = None if isinstance(value, float) and pd.isna(value) else value
        sheet_letters = letters.get(sheet, {})
        column = sheet_letters.get(field, sheet_letters.get("_fallback"))
        return Finding(code=code, severity=severity, sheet=sheet, row=int(row),
                       column=column, field=field, value=value, params=dict(params))

    ov = parse_overrides(sub, lib)
    for row, params in ov.invalid:
        yield at("override-invalid", "error", Sheet.FACTORS, row, "key", params.get("key"),
                 **params)

    year = sub.organization.reporting_year if sub.organization else 0
    gwp_set = gwp_set_or_default(sub.organization.gwp_set if sub.organization else None)

    # alone, a resolution of its own: it resolves the rows asked, the same overrides
    fuel_rows = fuel_rows or FuelResolution(sub)
    fuel = fuel_rows.answer(fuel_combinations)
    flagged = None if fuel is None else _flagged_rows(
        sub, Sheet.FUEL, fuel, fuel_rows.rows,
        lambda f: f["problem"].notna() | f["fallback"], echo="fuel")
    if flagged is not None:
        for rec in flagged.to_dict("records"):  # only the rows with a problem
            code = rec["problem"]
            if code == "fuel-unknown":
                # the cell as written ('Heavy Fuel Oyl'), as unknown_fuels echoes it, not the
                # id it was looked up by ('heavy_fuel_oyl'), which the preparer never typed
                text = rec["given"].strip() if isinstance(rec["given"], str) else rec["fuel"]
                yield at(code, "error", Sheet.FUEL, rec["row"], "fuel", text,
                         **_suggestion(fuel_suggestion(text)))
            elif code in {"gas-volume-needs-ncv", "fuel-volume-not-convertible"}:
                yield at(code, "error", Sheet.FUEL, rec["row"], "unit", rec["unit"],
                         fuel=rec["fuel"])
            elif rec["fallback"]:
                yield at("fuel-use-fallback", "warning", Sheet.FUEL, rec["row"], "use",
                         rec["use"], fuel=rec["fuel"], use=rec["use"])

    r = resolve_refrigerants(sub, lib, ov, gwp_set.upper())
    if r is not None:
        for rec in r[r["problem"].notna()].to_dict("records"):
            yield at("refrigerant-unknown", "error", Sheet.REFRIGERANTS, rec["row"], "gas",
                     rec["gas_given"])

    # What decides an Electricity row's factor problems: its project (host country), energy
    # type, grid country and whether it has a supplier factor.
    electricity = rows_of(sub, Sheet.ELECTRICITY)
    e = None if electricity is None else _flagged_rows(
        sub, Sheet.ELECTRICITY,
        _combinations(electricity, ["project_id", "energy_type", "grid_country"],
                      given=["supplier_factor_kg_per_kwh"]),
        lambda first: resolve_electricity(with_rows(sub, Sheet.ELECTRICITY, first), lib, ov),
        lambda e: e["problem"].notna() | e["later"])
    if e is not None:
        warned: set[str] = set()
        for rec in e.sort_values("row").to_dict("records"):
            if rec["problem"] == "grid-factor-missing":
                if pd.isna(rec["grid_country"]):
                    # No grid country and no host country: the row's project is on no
                    # Projects row, which only a missing Projects sheet lets through (an
                    # unknown project is rejected before). sheet-missing says so, once;
                    # not "no electricity factor for None" on every row.
                    continue
                yield at("grid-factor-missing", "error", Sheet.ELECTRICITY, rec["row"],
                         "grid_country", rec["grid_country"])
            elif rec["problem"] == "energy-factor-missing":
                yield at("energy-factor-missing", "error", Sheet.ELECTRICITY, rec["row"],
                         "quantity", rec["quantity"], energy_type=rec["energy_type"])
            elif rec["later"] and rec["grid_country"] not in warned:
                # One warning per country: the same factor applies to all its rows.
                warned.add(rec["grid_country"])
                yield at("factor-year-later-than-period", "warning", Sheet.ELECTRICITY,
                         rec["row"], "grid_country", rec["grid_country"],
                         factor_year=rec["factor_year"], reporting_year=year)

    gen = rows_of(sub, Sheet.GENERATION)
    shares = project_shares(sub)
    if gen is not None and len(shares):
        # Avoided emissions need the host country's grid factor (docs/methodology.md).
        renewable = gen[gen["technology"].isin(RENEWABLE_TECHNOLOGIES)]
        host = renewable["project_id"].map(shares["host_country"])
        grid = grid_table(host, year, lib, ov)
        missing = host.map(grid["missing"].to_dict()).eq(True)
        for row, country in zip(renewable.loc[missing, "row"], host[missing], strict=True):
            yield at("grid-factor-missing", "error", Sheet.GENERATION, row, "project_id", country)
        later = host.map(grid["later"].to_dict()).eq(True)
        # One warning per country, at its first row: the same factor applies to all of them.
        first = renewable[later].assign(country=host[later]).sort_values("row")
        for rec in first.drop_duplicates("country").to_dict("records"):
            yield at("factor-year-later-than-period", "warning", Sheet.GENERATION, rec["row"],
                     "project_id", rec["country"],
                     factor_year=int(grid.loc[rec["country"], "factor_year"]),
                     reporting_year=year)

    p = rows_of(sub, Sheet.POLLUTANTS)
    if p is not None:
        unlisted = p[~p["pollutant"].isin(STANDARD_POLLUTANTS)]
        for rec in unlisted.to_dict("records"):
            yield at("pollutant-unlisted", "warning", Sheet.POLLUTANTS, rec["row"], "pollutant",
                     rec["pollutant"])
