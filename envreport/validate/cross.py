"""Rules across rows and sheets: project ids, incident ids, duplicates, currencies.

Each check takes the typed tables (accepted rows so far) and the column letters, and
yields findings; none of them loops over rows in Python where pandas can do the work.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from envreport.findings import Finding
from envreport.schema import Sheet
from envreport.schema.registry import PROJECT_SHEETS
from envreport.submission import Organization
from envreport.suggest import did_you_mean
from envreport.units import BASE_UNIT, conversion_factor, dimension_of
from envreport.validate.combinations import combination_ids

Letters = Mapping[str, Mapping[str, str]]

# What makes two activity rows "the same" besides project, period and quantity. On sheets
# with a unit column the quantity is compared after conversion (1.784 m3 is 1,784 L).
DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    Sheet.FUEL: ("fuel", "use"),
    Sheet.ELECTRICITY: ("energy_type",),
    Sheet.GENERATION: ("technology",),
    Sheet.REFRIGERANTS: ("gas",),
    Sheet.WATER: ("flow", "source"),
    Sheet.WASTE: ("waste_type", "disposal"),
    Sheet.POLLUTANTS: ("pollutant",),
}
# Significant digits kept when comparing converted quantities: 1784 L × 0.001 must equal
# 1.784 m3 although the float product is 1.7840000000000003.
_COMPARE_DIGITS = 9
_QUANTITY = {Sheet.GENERATION: "gross_generation_mwh", Sheet.REFRIGERANTS: "quantity_kg",
             Sheet.POLLUTANTS: "quantity_t"}
MONEY_SHEETS = (Sheet.INCIDENTS, Sheet.MITIGATION, Sheet.GREEN_FINANCE)


def _cell(letters: Letters, sheet: str, field: str) -> str | None:
    return letters.get(sheet, {}).get(field)


def duplicate_projects(projects: pd.DataFrame, letters: Letters) -> Iterator[Finding]:
    """A project_id listed twice: the later rows are errors (the first one stands)."""
    dup = projects[projects.duplicated("project_id", keep="first")]
    if dup.empty:
        return
    first = projects.drop_duplicates("project_id").set_index("project_id")["row"]
    for row, pid in zip(dup["row"], dup["project_id"], strict=True):
        yield Finding("project-duplicate", "error", Sheet.PROJECTS, int(row),
                      _cell(letters, Sheet.PROJECTS, "project_id"), "project_id", pid,
                      {"first_row": int(first[pid])})


class _ProjectSuggestions:
    """The listed project ids nearest to an unknown one, for "Did you mean …?": the same id in
    other case ('sre-id-coal' → SRE-ID-COAL), else the nearest in any case
    (:mod:`envreport.suggest`: 'EA-RAIL-1' → EA-RAIL-01). Each distinct id is looked up
    once, and only the first :attr:`LIMIT` of them: a hostile sheet of distinct ids costs
    no quadratic time."""

    LIMIT = 200

    def __init__(self, known: set[str]) -> None:
        self.by_case = {k.casefold(): k for k in sorted(str(k) for k in known)}
        self.found: dict[object, dict[str, str]] = {}

    def __call__(self, pid: object) -> dict[str, str]:
        if pid in self.found or len(self.found) >= self.LIMIT:
            return self.found.get(pid, {})
        suggestion = did_you_mean(str(pid).strip().casefold(), self.by_case)
        self.found[pid] = {"suggestion": suggestion} if suggestion else {}
        return self.found[pid]


def unknown_projects(tables: Mapping[str, pd.DataFrame], known: set[str],
                     letters: Letters, listed: Mapping[str, int] | None = None
                     ) -> Iterator[Finding]:
    """project_id values that are not on the Projects sheet.

    ``listed`` maps the ids that *are* on Projects but whose row was rejected to that row:
    their rows elsewhere cannot be used either, and the finding says so
    (``project-rows-unusable``) instead of a misleading "unknown project"; so does a green
    finance row's ``project_ids`` naming one.
    """
    listed = listed or {}
    # every id the Projects sheet declares, its row accepted or not: 'pk-sol-01' is a typo
    # of PK-SOL-01 whether or not PK-SOL-01's own row has an error
    nearest = _ProjectSuggestions(known | listed.keys())
    for sheet in PROJECT_SHEETS:
        frame = tables.get(sheet)
        if frame is None or frame.empty:
            continue
        bad = frame[~frame["project_id"].isin(known)]
        unusable = bad[bad["project_id"].isin(listed.keys())]
        for row, pid in zip(unusable["row"], unusable["project_id"], strict=True):
            yield Finding("project-rows-unusable", "error", sheet, int(row),
                          _cell(letters, sheet, "project_id"), "project_id", pid,
                          {"project_row": listed[pid]})
        unknown = bad[~bad["project_id"].isin(listed.keys())]
        for row, pid in zip(unknown["row"], unknown["project_id"], strict=True):
            yield Finding("project-unknown", "error", sheet, int(row),
                          _cell(letters, sheet, "project_id"), "project_id", pid,
                          nearest(pid))
    finance = tables.get(Sheet.GREEN_FINANCE)
    if finance is not None and not finance.empty:
        for row, ids in zip(finance["row"], finance["project_ids"], strict=True):
            cell = _cell(letters, Sheet.GREEN_FINANCE, "project_ids")
            for pid in ids or []:
                if pid in known:
                    continue
                if pid in listed:  # on Projects, its row rejected: not "not listed"
                    yield Finding("project-rows-unusable", "error", Sheet.GREEN_FINANCE,
                                  int(row), cell, "project_ids", pid,
                                  {"project_row": listed[pid]})
                else:
                    yield Finding("project-unknown", "error", Sheet.GREEN_FINANCE, int(row),
                                  cell, "project_ids", pid)


def incident_links(incidents: pd.DataFrame, letters: Letters) -> Iterator[Finding]:
    """Incident ids are unique; a related_incident_id names an incident on the sheet.

    A penalty or follow-up row belongs to the incident it names (docs/methodology.md: incidents
    are counted once), so an id used twice or a link to nothing would put a fine or a count
    in the wrong place: both are errors at the cell. A chain (a follow-up of a penalty) is
    allowed as long as it ends at a row that is the incident itself.
    """
    if incidents.empty or "incident_id" not in incidents:
        return
    with_id = incidents[incidents["incident_id"].notna()]
    repeated = with_id.duplicated("incident_id", keep="first")
    first = with_id.drop_duplicates("incident_id").set_index("incident_id")["row"]
    for row, iid in zip(with_id.loc[repeated, "row"], with_id.loc[repeated, "incident_id"],
                        strict=True):
        yield Finding("incident-id-duplicate", "error", Sheet.INCIDENTS, int(row),
                      _cell(letters, Sheet.INCIDENTS, "incident_id"), "incident_id", iid,
                      {"first_row": int(first[iid])})
    if "related_incident_id" not in incidents:
        return
    parent_of = {iid: rel for iid, rel in zip(with_id["incident_id"][~repeated],
                                              with_id["related_incident_id"][~repeated],
                                              strict=True)}
    linked = incidents[incidents["related_incident_id"].notna()]
    letter = _cell(letters, Sheet.INCIDENTS, "related_incident_id")
    for row, own, related in zip(linked["row"], linked["incident_id"],
                                 linked["related_incident_id"], strict=True):
        if related not in parent_of:
            yield Finding("incident-related-unknown", "error", Sheet.INCIDENTS, int(row), letter,
                          "related_incident_id", related)
        elif _links_back(related, own, parent_of):
            yield Finding("incident-related-cycle", "error", Sheet.INCIDENTS, int(row), letter,
                          "related_incident_id", related)


def _links_back(related: str, own: str | None, parent_of: Mapping[str, str | None]) -> bool:
    """Does following related_incident_id from ``related`` come back to ``own`` (a circle)?"""
    seen: set[str] = set()
    current: str | None = related
    while current is not None and current in parent_of:
        if current == own or current in seen:
            return True
        seen.add(current)
        current = parent_of[current]
    return False


def _comparable_quantity(frame: pd.DataFrame, sheet: str) -> list[pd.Series | np.ndarray]:
    """The quantity as (dimension, exponent, mantissa) in the dimension's base unit.

    Converted once per distinct unit, then column-wise; rounded to
    :data:`_COMPARE_DIGITS` significant digits so that conversion noise does not hide a
    duplicate.
    """
    quantity = frame[_QUANTITY.get(sheet, "quantity")].astype("float64")
    if "unit" in frame:
        # Each distinct unit once, spread by its code (a blank unit, code -1, takes the
        # trailing NaN): a dict ``map`` over the column cost ten times as much.
        codes, units = pd.factorize(frame["unit"])
        dims = [dimension_of(u) for u in units]
        factors = np.array([conversion_factor(u, BASE_UNIT[d]) if d else np.nan
                            for u, d in zip(units, dims, strict=True)] + [np.nan])
        dimension = pd.Series(np.array([*dims, np.nan], dtype=object)[codes],
                              index=frame.index)
        quantity = quantity * factors[codes]
    else:
        dimension = pd.Series("", index=frame.index)
    magnitude = quantity.abs().where(quantity != 0, 1.0)
    exponent = np.floor(np.log10(magnitude))
    mantissa = (quantity / 10.0 ** exponent).round(_COMPARE_DIGITS - 1)
    return [dimension, exponent, mantissa]


def duplicate_rows(tables: Mapping[str, pd.DataFrame], letters: Letters) -> Iterator[Finding]:
    """Activity rows with the same project, period, key and quantity (after unit conversion):
    a warning at each of them, naming the other row (the first row of its group; for that
    first row, the second)."""
    for sheet, keys in DUPLICATE_KEYS.items():
        frame = tables.get(sheet)
        if frame is None or len(frame) < 2:
            continue
        compared: list[pd.Series | np.ndarray] = [
            frame[column] for column in ("project_id", "period_start", "period_end", *keys)]
        ids = combination_ids(compared + _comparable_quantity(frame, sheet))
        repeated = np.flatnonzero(np.bincount(ids)[ids] > 1)  # in table order
        if not len(repeated):
            continue
        rows = frame["row"].to_numpy()[repeated]
        group = ids[repeated]
        # each group's rows in table order: its first and second are where it starts
        order = np.argsort(group, kind="stable")
        starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
        first = np.zeros(ids.max() + 1, dtype=np.int64)
        second = np.zeros(ids.max() + 1, dtype=np.int64)
        first[group[order[starts]]] = rows[order[starts]]
        second[group[order[starts]]] = rows[order[starts + 1]]  # a group has two rows or more
        other = np.where(rows != first[group], first[group], second[group])
        for row, other_row in zip(rows.tolist(), other.tolist(), strict=True):
            yield Finding("duplicate-row", "warning", sheet, int(row),
                          _cell(letters, sheet, "project_id"), None, None,
                          {"other_row": int(other_row), "key": "/".join(keys)})


def repeated_fx_rates(rates: pd.DataFrame, letters: Letters) -> Iterator[Finding]:
    """A currency given on more than one FxRates row: the money is converted with its last
    row (:func:`envreport.metrics.finance.fx_rows`), so each later row is reported at its
    currency cell, naming the row before it with that currency. Two different rates are an
    error (which one is right?); the same rate twice a warning (one row is redundant)."""
    if len(rates) < 2:
        return
    previous: dict[str, tuple[int, float]] = {}
    for currency, rate, row in zip(rates["currency"], rates["rate_to_reporting_currency"],
                                   rates["row"], strict=True):
        key = str(currency).upper()  # as fx_rows keys it
        if key in previous:
            other_row, other_rate = previous[key]
            same = float(rate) == other_rate
            yield Finding("fx-rate-repeated" if same else "fx-rate-conflict",
                          "warning" if same else "error", Sheet.FX_RATES, int(row),
                          _cell(letters, Sheet.FX_RATES, "currency"), "currency", currency,
                          {"other_row": other_row, "rate": _rate_text(float(rate)),
                           "other_rate": _rate_text(other_rate)})
        previous[key] = (int(row), float(rate))


def _rate_text(rate: float) -> str:
    """A rate as the workbook gives it, in full (no rounding, no exponent): two rates that
    differ never read alike in the message (7.12345678 against 7.12345679)."""
    return format(Decimal(repr(rate)).normalize(), "f")


def missing_fx_rates(tables: Mapping[str, pd.DataFrame], organization: Organization,
                     letters: Letters) -> Iterator[Finding]:
    """Money in a currency that is neither the reporting currency nor in FxRates."""
    rates = tables.get(Sheet.FX_RATES)
    known = {organization.reporting_currency}
    if rates is not None:
        known.update(rates["currency"])
    for sheet in MONEY_SHEETS:
        frame = tables.get(sheet)
        if frame is None or frame.empty:
            continue
        bad = frame[frame["currency"].notna() & ~frame["currency"].isin(known)]
        for row, currency in zip(bad["row"], bad["currency"], strict=True):
            yield Finding("fx-rate-missing", "error", sheet, int(row),
                          _cell(letters, sheet, "currency"), "currency", currency,
                          {"reporting_currency": organization.reporting_currency})
