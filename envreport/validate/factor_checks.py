"""Factor findings: rows whose factors the library cannot supply, at the exact cell.

:func:`check_factors` runs on the submission validation has built (accepted rows) and
uses the same resolution as metrics (:mod:`envreport.factors.resolve`), so every row it
reports as an error is a row metrics could not compute, and every warning describes what
metrics did. Validation adds these findings; a submission with errors builds nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping

import pandas as pd

from envreport.factors.library import load_library
from envreport.factors.resolve import (
    fuel_id,
    grid_table,
    parse_overrides,
    project_shares,
    resolve_electricity,
    resolve_fuel,
    resolve_refrigerants,
    rows_of,
)
from envreport.findings import Finding, column_letter
from envreport.schema import Sheet
from envreport.schema.registry import SHEETS
from envreport.schema.sheets import RENEWABLE_TECHNOLOGIES, STANDARD_POLLUTANTS
from envreport.submission import Submission

ROW_OWN_CODES = frozenset({"fuel-unknown", "refrigerant-unknown", "gas-volume-needs-ncv",
                           "fuel-volume-not-convertible", "fuel-use-fallback",
                           "override-invalid"})


def fuel_suggestion(text: object) -> str | None:
    """The library fuels nearest to an unknown one ("disel" → diesel), for "did you mean"."""
    if not isinstance(text, str) or not text.strip():
        return None
    close = difflib.get_close_matches(fuel_id(text)[:64], load_library().fuel_ids(), n=2,
                                      cutoff=0.7)
    return " or ".join(close) or None


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


def default_columns() -> dict[str, dict[str, str]]:
    """Sheet → field → column letter in the template's column order (the sheet's model)."""
    return {spec.name: {f: column_letter(i) for i, f in enumerate(spec.fields, start=1)}
            for spec in SHEETS if not spec.key_value}


def check_factors(submission: Submission,
                  columns: Mapping[str, Mapping[str, str]] | None = None) -> Iterator[Finding]:
    """Yield the factor findings of ``submission`` at their cells.

    ``columns`` maps sheet → field → column letter as read from the workbook's header row;
    sheets or fields it lacks fall back to the template's order.
    """
    sub = submission
    lib = load_library()
    letters = default_columns()
    for sheet, fields in (columns or {}).items():
        # The workbook's own header decides; a field it lacks (an optional column left out,
        # such as grid_country) is pointed at through the row's project_id cell instead.
        letters[sheet] = {**fields, "_fallback": fields.get("project_id", "A")}

    def at(code: str, severity: str, sheet: str, row: int, field: str, value: object,
           **params: object) -> Finding:
        value = None if isinstance(value, float) and pd.isna(value) else value
        sheet_letters = letters.get(sheet, {})
        column = sheet_letters.get(field, sheet_letters.get("_fallback"))
        return Finding(code=code, severity=severity, sheet=sheet, row=int(row),  # type: ignore[arg-type]
                       column=column, field=field, value=value, params=dict(params))

    ov = parse_overrides(sub, lib)
    for row, params in ov.invalid:
        yield at("override-invalid", "error", Sheet.FACTORS, row, "key", params.get("key"),
                 **params)

    year = sub.organization.reporting_year if sub.organization else 0
    gwp_set = (sub.organization.gwp_set if sub.organization else "AR6") or "AR6"

    f = resolve_fuel(sub, lib, ov)
    if f is not None:
        flagged = f[f["problem"].notna() | f["fallback"]]
        for rec in flagged.to_dict("records"):  # only the rows with a problem
            code = rec["problem"]
            if code == "fuel-unknown":
                yield at(code, "error", Sheet.FUEL, rec["row"], "fuel", rec["fuel"],
                         **_suggestion(fuel_suggestion(rec["fuel"])))
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

    e = resolve_electricity(sub, lib, ov)
    if e is not None:
        warned: set[str] = set()
        for rec in e[e["problem"].notna() | e["later"]].sort_values("row").to_dict("records"):
            if rec["problem"] == "grid-factor-missing":
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
        # Avoided emissions need the host country's grid factor (spec/methods.md).
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
