"""Periods compared: the prior period, restatement, the base year, history and targets.

The rules (GHG Protocol Corporate Standard ch. 5; docs/ledger.md, "Restatement"):

- The prior period is the entity's latest earlier *current* submission whose period has the
  same length in months. ``change_pct = (current - prior) / prior × 100``, ``None`` when the
  prior is 0 or absent.
- A stored period computed with other methods (GWP set, factor library version,
  consolidation approach) is recomputed from its stored rows under today's methods and marked
  ``restated``; its figures as originally reported stay beside it.
- A period corrected after a report used it is restated (``replaced_submission_id``); a
  group's period whose members' submissions were corrected after its report was built is
  consolidated again from the current ones (``member_corrections``; the consolidation is
  the batch's, given as ``regroup``), under today's methods, its consolidation approach
  too; a group's period under another approach is consolidated again from the members'
  submissions its report was built from (its merged rows hold the period's shares).
- Base-year triggers, each with its effect in tCO2e (Scope 1 + Scope 2 location-based) and as
  a share of the base year as reported: ``structural-divestment``, ``structural-acquisition``,
  ``methodology-change``, ``error-correction``. The base year is recalculated when the
  absolute effects add up to the threshold (``recalculation_threshold_pct``, default 5 %); a
  methodology change is applied to the compared figures whatever its size.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from envreport.findings import message_figure
from envreport.ledger.figures import flatten_figures
from envreport.ledger.groups import is_group_entity
from envreport.ledger.report_builds import ReportBuild, first_use, used_by
from envreport.schema import Sheet
from envreport.schema.sheets import gwp_set_or_default

if TYPE_CHECKING:
    from envreport.ledger.api import Ledger, SubmissionRecord

    # A group's period consolidated again from its members' submissions given (current, or
    # those its report was built from), each by its entity id, under today's methods: its
    # figures (the batch's consolidation, given by the caller: the ledger does not import
    # the batch; envreport.batch.consolidate.regrouped)
    Regroup = Callable[[Ledger, SubmissionRecord, Mapping[str, float | None],
                        Mapping[str, SubmissionRecord], "Methods"],
                       Mapping[str, float | None]]

DEFAULT_THRESHOLD_PCT = 5.0
HISTORY_PERIODS = 10

SCOPE1 = "ghg.scope1_tco2e"
SCOPE2_LOCATION = "ghg.scope2_location_tco2e"
SCOPE2_MARKET = "ghg.scope2_market_tco2e"
ENERGY_TOTAL = "energy.total_consumption_gj"

# The figures compared with the prior period (results.md, "comparison.figures"), beyond
# which every Scope 1 source and every country's scopes are compared too.
COMPARED_KEYS: tuple[str, ...] = (
    SCOPE1, SCOPE2_LOCATION, SCOPE2_MARKET, "ghg.biogenic_co2_t",
    ENERGY_TOTAL, "energy.fuel_gj", "energy.purchased_gj", "energy.renewable_gj",
    "energy.non_renewable_gj", "energy.self_generated_renewable_gj", "energy.sold_gj",
    "energy.renewable_fuel_gj", "energy.non_renewable_fuel_gj", "energy.purchased_renewable_gj",
    "water.withdrawal_m3", "water.withdrawal_stressed_m3", "water.discharge_m3",
    "water.consumption_m3",
    "waste.total_t", "waste.hazardous_t", "waste.diverted_t", "waste.disposed_t",
    "mitigation.renewable_generation_mwh", "mitigation.avoided_tco2e",
)
# Each topic table of the report compares its rows too: these splits, row by row.
_COMPARED_PREFIXES = ("ghg.scope1_by_source_tco2e.", "energy.by_fuel_gj.",
                      "water.withdrawal_by_source_m3.", "water.discharge_by_destination_m3.",
                      "water.withdrawal_by_quality_m3.", "water.discharge_by_quality_m3.",
                      "water.withdrawal_stressed_by_source_m3.", "waste.by_disposal_t.")
# Figures the report's tables print that results derive from others, not store: compared
# like the rest (``key: ((sign, term), ...)``).
DERIVED_KEYS: dict[str, tuple[tuple[float, str], ...]] = {
    "ghg.scope1_2_location_tco2e": ((1.0, SCOPE1), (1.0, SCOPE2_LOCATION)),
    "ghg.scope1_2_market_tco2e": ((1.0, SCOPE1), (1.0, SCOPE2_MARKET)),
    "waste.non_hazardous_t": ((1.0, "waste.total_t"), (-1.0, "waste.hazardous_t")),
}
_COUNTRY_FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e")


@dataclass(frozen=True)
class Methods:
    """What a period's figures depend on besides its rows."""

    gwp_set: str
    factor_library_version: str | None
    consolidation_approach: str | None

    def differences(self, other: Methods) -> list[str]:
        """Human-readable changes from ``other`` (the stored period) to ``self`` (today)."""
        changes = []
        if self.gwp_set != other.gwp_set:
            changes.append(f"GWP set {other.gwp_set} → {self.gwp_set}")
        if self.factor_library_version != other.factor_library_version:
            changes.append(f"factor library {other.factor_library_version} → "
                           f"{self.factor_library_version}")
        if self.consolidation_approach != other.consolidation_approach:
            changes.append(f"consolidation {other.consolidation_approach} → "
                           f"{self.consolidation_approach}")
        return changes


@dataclass(frozen=True)
class MemberCorrection:
    """A member's submission a group's period was consolidated from, corrected since."""

    entity_id: str
    replaced: SubmissionRecord  # the one the group's report was built from
    current: SubmissionRecord  # the member's current submission of that period

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "submission_id": self.current.id,
                "replaced_submission_id": self.replaced.id}


@dataclass
class Period:
    """A stored period's figures as reported and under today's methods."""

    record: SubmissionRecord
    as_reported: Mapping[str, float | None]
    figures: Mapping[str, float | None]
    restated: bool
    changes: list[str]
    # the submission of this period that a report used before this one corrected it, and
    # its figures: those first reported (GHG Protocol ch. 5: a corrected error restates)
    replaced: SubmissionRecord | None = None
    first_reported: Mapping[str, float | None] | None = None
    # a group's period: the members' submissions it was consolidated from that were
    # corrected since (its figures are then consolidated again from the current ones)
    corrected_members: tuple[MemberCorrection, ...] = ()
    # such a period's figures before it is consolidated again: as reported, or restated
    # under today's methods alone when they changed too (the methodology change's own effect)
    uncorrected: Mapping[str, float | None] | None = None

    @property
    def marked(self) -> bool:
        """Restated under today's methods, corrected after a report used it, or a group's
        period with a member corrected since."""
        return self.restated or self.replaced is not None or bool(self.corrected_members)

    @property
    def originally(self) -> Mapping[str, float | None]:
        """The figures as originally reported: the replaced submission's, when corrected."""
        return self.first_reported if self.first_reported is not None else self.as_reported

    @property
    def before_member_corrections(self) -> Mapping[str, float | None]:
        """The figures under today's methods before any member's correction: the methodology
        change's end, the members' corrections' start."""
        return self.uncorrected if self.uncorrected is not None else self.figures

    @property
    def start(self) -> date:
        assert self.record.period_start is not None
        return self.record.period_start

    @property
    def end(self) -> date:
        assert self.record.period_end is not None
        return self.record.period_end


def change_pct(current: float | None, prior: float | None) -> float | None:
    """``(current - prior) / prior × 100``; ``None`` when either is missing or prior is 0."""
    if current is None or prior is None or prior == 0:
        return None
    return (current - prior) / prior * 100


def months(start: date, end: date) -> int:
    """A period's length in whole calendar months (a calendar year is 12)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _date(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) else None


def methods_of_results(results: dict[str, Any]) -> Methods:
    return Methods(
        gwp_set=gwp_set_or_default(results.get("gwp_set")),
        factor_library_version=(results.get("factor_library") or {}).get("version"),
        consolidation_approach=(results.get("organization") or {}).get("consolidation_approach"),
    )


def methods_of_record(record: SubmissionRecord) -> Methods:
    return Methods(gwp_set=gwp_set_or_default(record.gwp_set),
                   factor_library_version=record.factor_library_version,
                   consolidation_approach=record.consolidation_approach)


class PeriodSource:
    """Stored periods of the ledger, restated under one set of methods (cached)."""

    def __init__(self, ledger: Ledger, today: Methods, regroup: Regroup | None = None) -> None:
        self.ledger = ledger
        self.today = today
        self.regroup = regroup
        self._cache: dict[int, Period] = {}
        self._reported: dict[int, Mapping[str, float | None]] = {}
        self._of_entity: dict[str, list[SubmissionRecord]] = {}
        self._of_year: dict[int, list[SubmissionRecord]] = {}
        self._builds: list[ReportBuild] | None = None

    def as_reported(self, record: SubmissionRecord) -> Mapping[str, float | None]:
        """The record's figures as it reported them, read from the ledger once for every
        part of the comparison (the periods, the base year, the targets); read-only,
        because every part shares it."""
        if record.id not in self._reported:
            self._reported[record.id] = MappingProxyType(dict(self.ledger.figures(record.id)))
        return self._reported[record.id]

    def submissions_of(self, entity: str) -> list[SubmissionRecord]:
        """Every submission of ``entity``, oldest first, read from the ledger once: each of
        its periods looks there for the submission it corrected."""
        if entity not in self._of_entity:
            self._of_entity[entity] = self.ledger.submissions(entity=entity)
        return self._of_entity[entity]

    def submissions_of_year(self, year: int) -> list[SubmissionRecord]:
        """Every submission of ``year``, oldest first, read from the ledger once: a group's
        period looks there for its members' submissions."""
        if year not in self._of_year:
            self._of_year[year] = self.ledger.submissions(period=year)
        return self._of_year[year]

    def report_builds(self) -> list[ReportBuild]:
        """Every report built, read from the ledger once for all the periods (each asks which
        reports used its submissions, a group's which members its builds used)."""
        if self._builds is None:
            self._builds = self.ledger.report_builds()
        return self._builds

    def period(self, record: SubmissionRecord) -> Period:
        if record.id in self._cache:
            return self._cache[record.id]
        as_reported = self.as_reported(record)
        stored = methods_of_record(record)
        changes = self.today.differences(stored)
        figures = as_reported
        group = _group_members(self, record, as_reported) if self.regroup is not None \
            else None
        corrected = group.corrected if group is not None else ()
        if changes and group is not None and self.regroup is not None \
                and stored.consolidation_approach != self.today.consolidation_approach \
                and set(group.built_from) == set(group.current):
            # A group under another approach: its members' submissions it was built from,
            # consolidated again under today's (its merged rows hold each member's share or
            # control under the period's approach, not today's). Only when the ledger still
            # holds each member's (its current ones would bring in a correction as a change
            # of method); without one, the merged rows are recomputed as an entity's are
            figures = dict(self.regroup(self.ledger, record, as_reported, group.built_from,
                                        self.today))
        elif changes:
            from envreport.metrics import compute

            submission = self.ledger.load_submission(
                record, gwp_set=self.today.gwp_set,
                consolidation_approach=self.today.consolidation_approach)
            restated = compute(submission)
            # Figures only: the trail (the costly part of the JSON form) is not needed.
            data = restated if isinstance(restated, dict) else restated.model_dump(
                mode="json", exclude={"calculations"})
            figures = dict(flatten_figures(data))
        uncorrected = None
        if corrected and group is not None and self.regroup is not None:
            # a member corrected since: the period as it now stands, consolidated again
            # under today's methods (the methods' own effect kept apart for the base year)
            now = dict(self.regroup(self.ledger, record, as_reported, group.current,
                                    self.today))
            if now == figures:  # the same figures consolidated again: correct nothing
                corrected = ()
            else:
                uncorrected = figures
                figures = now
        replaced = _replaced_after_use(self, record)
        first = self.as_reported(replaced) if replaced is not None else None
        if first == as_reported:  # the same figures recorded again (a group built anew)
            replaced = first = None  # correct nothing
        period = Period(record, as_reported, figures, bool(changes), changes, replaced, first,
                        corrected, uncorrected)
        self._cache[record.id] = period
        return period


def _earlier_periods(ledger: Ledger, entity: str, start: date, end: date,
                     exclude: int | None) -> list[SubmissionRecord]:
    """Current submissions of ``entity`` that end before ``start``, same length, oldest first."""
    length = months(start, end)
    records = [r for r in ledger.submissions(entity=entity, current_only=True)
               if r.id != exclude and r.period_start and r.period_end
               and r.period_end < start and months(r.period_start, r.period_end) == length]
    return sorted(records, key=lambda r: (r.period_end, r.id))


def _compared_keys(current: Mapping[str, Any], prior: Mapping[str, Any]) -> list[str]:
    keys = list(COMPARED_KEYS)
    for key in sorted(set(current) | set(prior)):
        if key.startswith(_COMPARED_PREFIXES) or (
                key.startswith("by_country.") and key.rsplit(".", 1)[-1] in _COUNTRY_FIGURES):
            keys.append(key)
    return keys


def with_derived(figures: Mapping[str, float | None]) -> dict[str, float | None]:
    """``figures`` with :data:`DERIVED_KEYS` added (``None`` where a term is missing)."""
    out = dict(figures)
    for key, terms in DERIVED_KEYS.items():
        values = [figures.get(term) for _sign, term in terms]
        out[key] = None if any(value is None for value in values) else sum(
            sign * value for (sign, _term), value in zip(terms, values, strict=True)
            if value is not None)
    return out


def _comparison(current: Mapping[str, float | None], prior: Period) -> dict[str, Any]:
    from envreport.render.formatters import differs_as_shown

    figures = {}
    now_figures, prior_figures = with_derived(current), with_derived(prior.figures)
    reported = with_derived(prior.originally)
    for key in [*_compared_keys(current, prior.figures), *DERIVED_KEYS]:
        now, before = now_figures.get(key), prior_figures.get(key)
        entry: dict[str, Any] = {"current": now, "prior": before,
                                 "change_pct": change_pct(now, before)}
        if prior.marked:  # the period is restated; the figure only where it reads otherwise
            entry["prior_as_reported"] = reported.get(key)
            entry["prior_restated"] = differs_as_shown(before, reported.get(key))
        figures[key] = entry
    replaced = prior.replaced.id if prior.replaced is not None else None
    members = [c.to_dict() for c in prior.corrected_members]
    return {
        "prior_period": {"start": prior.start.isoformat(), "end": prior.end.isoformat(),
                         "restated": prior.marked, "restatement_reasons": prior.changes,
                         "submission_id": prior.record.id,
                         **({"replaced_submission_id": replaced} if replaced else {}),
                         **({"member_corrections": members} if members else {})},
        "figures": figures,
    }


def _history_entry(start: date, end: date, figures: Mapping[str, float | None], restated: bool,
                   as_reported: Mapping[str, float | None]) -> dict[str, Any]:
    return {
        "period_start": start.isoformat(), "period_end": end.isoformat(),
        "scope1_tco2e": figures.get(SCOPE1),
        "scope2_location_tco2e": figures.get(SCOPE2_LOCATION),
        "scope2_market_tco2e": figures.get(SCOPE2_MARKET),
        "energy_total_gj": figures.get(ENERGY_TOTAL),
        "restated": restated,
        "as_reported_scope1_tco2e": as_reported.get(SCOPE1),
    }


def _scope12(figures: Mapping[str, float | None], prefix: str = "ghg.") -> float:
    return (figures.get(f"{prefix}scope1_tco2e") or 0.0) + (
        figures.get(f"{prefix}scope2_location_tco2e") or 0.0)


def _projects(figures: Mapping[str, float | None]) -> set[str]:
    return {key.split(".")[1] for key in figures if key.startswith("by_project.")}


def _threshold(results: dict[str, Any], record: SubmissionRecord | None) -> float:
    organization = results.get("organization") or {}
    value = organization.get("recalculation_threshold_pct")
    if value is None and record is not None and record.organization:
        value = record.organization.get("recalculation_threshold_pct")
    return float(value) if value is not None else DEFAULT_THRESHOLD_PCT


def _current_projects(ledger: Ledger, record: SubmissionRecord | None,
                      results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Today's projects with their status and acquisition date (stored rows, else results)."""
    projects: dict[str, dict[str, Any]] = {}
    for entry in results.get("by_project") or []:
        projects[str(entry.get("project_id"))] = {"status": entry.get("status"),
                                                 "acquired_date": entry.get("acquired_date")}
    if record is not None and record.valid:
        from envreport.ledger.rows import load_tables

        with ledger.engine.connect() as connection:
            frame = load_tables(connection, record.id, [Sheet.PROJECTS]).get(Sheet.PROJECTS)
        if frame is not None:
            for row in frame.itertuples(index=False):
                acquired = getattr(row, "acquired_date", None)
                projects[str(row.project_id)] = {
                    "status": row.status,
                    "acquired_date": acquired.date() if acquired is not None
                    and acquired == acquired else None,
                }
    return projects


def _project_figure(figures: Mapping[str, float | None], project_id: str, name: str) -> float:
    return figures.get(f"by_project.{project_id}.{name}") or 0.0


def _shifted(total: float | None, change: float) -> float | None:
    """A base-year figure with a project's part added or taken away; one the base year did
    not report (no Scope 2 at all) stays not reported — ``None``, never a 0 — unless the
    change gives it a value."""
    return total if not change else (total or 0.0) + change


def _base_year(ledger: Ledger, source: PeriodSource, results: dict[str, Any],
               current_figures: Mapping[str, float | None], record: SubmissionRecord | None,
               earlier: list[SubmissionRecord]) -> dict[str, Any] | None:
    organization = results.get("organization") or {}
    year = organization.get("base_year")
    if year is None:
        return None
    year = int(year)
    threshold = _threshold(results, record)
    start, end = _date((results.get("period") or {}).get("start")), _date(
        (results.get("period") or {}).get("end"))
    section: dict[str, Any] = {
        "year": year, "scope1_tco2e": None, "scope2_location_tco2e": None,
        "scope2_market_tco2e": None, "as_reported_scope1_tco2e": None,
        "recalculated": False, "threshold_pct": threshold, "triggers": [],
        "in_ledger": False, "restated": False, "submission_id": None,
    }
    if end is not None and end.year == year:
        # This period is the base year: its figures are today's, nothing to recalculate.
        section.update(in_ledger=record is not None, submission_id=record.id if record else None,
                       scope1_tco2e=current_figures.get(SCOPE1),
                       scope2_location_tco2e=current_figures.get(SCOPE2_LOCATION),
                       scope2_market_tco2e=current_figures.get(SCOPE2_MARKET),
                       as_reported_scope1_tco2e=current_figures.get(SCOPE1),
                       as_reported_scope2_location_tco2e=current_figures.get(SCOPE2_LOCATION),
                       as_reported_scope2_market_tco2e=current_figures.get(SCOPE2_MARKET))
        return section
    base_record = _record_of_year(earlier, year)
    if base_record is None or start is None:
        return section
    base = source.period(base_record)
    reported_total = _scope12(base.as_reported)
    triggers: list[dict[str, Any]] = []

    def trigger(code: str, project_id: str | None, detail: str, effect: float) -> None:
        triggers.append({
            "code": code, "project_id": project_id, "detail": detail, "effect_tco2e": effect,
            "effect_pct": effect / reported_total * 100 if reported_total else None})

    figures = dict(base.figures)
    if base.restated:
        trigger("methodology-change", None, "; ".join(base.changes),
                _scope12(base.before_member_corrections) - reported_total)
    today = _current_projects(ledger, record, results)
    structural: list[tuple[str, str]] = []  # (project, "-" leaves | "+" joins the base year)
    for project_id in sorted(_projects(base.figures)):
        state = today.get(project_id)
        if state is None or state.get("status") == "divested":
            effect = -_scope12(base.figures, f"by_project.{project_id}.")
            why = "divested" if state else "no longer among the projects"
            trigger("structural-divestment", project_id,
                    f"{project_id} {why}: its base-year emissions leave the base year", effect)
            structural.append((project_id, "-"))
    base_end = base.end
    for project_id, state in sorted(today.items()):
        acquired = state.get("acquired_date")
        if isinstance(acquired, str):
            acquired = _date(acquired)
        if acquired is None or acquired <= base_end:
            continue
        elsewhere = _base_year_figures_elsewhere(source, project_id, base_record)
        if elsewhere is None:
            trigger("structural-acquisition", project_id,
                    f"{project_id} acquired {acquired.isoformat()}; no base-year submission "
                    "for it in the ledger, so nothing is added", 0.0)
        else:
            found, taken_from, seller_share = elsewhere
            # GHG Protocol ch. 5: as if the project had been held in the base year at the
            # share held now (this period's, under today's approach: control is 100 % or 0)
            share = current_figures.get(f"by_project.{project_id}.consolidation_share") or 0.0
            prefix = f"by_project.{project_id}."
            scaled = {key: None if (value := found.get(key)) is None
                      else value * share / seller_share
                      for key in (f"{prefix}{name}" for name in _COUNTRY_FIGURES)}
            effect = _scope12(scaled, prefix)
            trigger("structural-acquisition", project_id,
                    f"{project_id} acquired {acquired.isoformat()}: its base-year emissions "
                    f"join the base year at the {_pct(share)} held now, "
                    + taken_from(f"held there at {_pct(seller_share)}: "
                                 f"{message_figure(_scope12(found, prefix))} tCO2e × "
                                 f"{_pct(share)} ÷ {_pct(seller_share)}"), effect)
            structural.append((project_id, "+"))
            figures.update(scaled)
    for detail, effect in _error_corrections(base):
        trigger("error-correction", None, detail, effect)
    total_effect = sum(abs(t["effect_tco2e"]) for t in triggers)
    recalculated = bool(reported_total) and total_effect / reported_total * 100 >= threshold
    scope1 = figures.get(SCOPE1)
    scope2_location = figures.get(SCOPE2_LOCATION)
    scope2_market = figures.get(SCOPE2_MARKET)
    if recalculated:
        for project_id, sign in structural:
            factor = -1.0 if sign == "-" else 1.0
            source_figures = base.figures if sign == "-" else figures
            scope1 = _shifted(scope1, factor * _project_figure(source_figures, project_id,
                                                               "scope1_tco2e"))
            scope2_location = _shifted(scope2_location, factor * _project_figure(
                source_figures, project_id, "scope2_location_tco2e"))
            scope2_market = _shifted(scope2_market, factor * _project_figure(
                source_figures, project_id, "scope2_market_tco2e"))
    section.update(
        in_ledger=True, submission_id=base_record.id, restated=base.restated,
        scope1_tco2e=scope1, scope2_location_tco2e=scope2_location,
        scope2_market_tco2e=scope2_market,
        as_reported_scope1_tco2e=base.as_reported.get(SCOPE1),
        as_reported_scope2_location_tco2e=base.as_reported.get(SCOPE2_LOCATION),
        as_reported_scope2_market_tco2e=base.as_reported.get(SCOPE2_MARKET),
        recalculated=recalculated, triggers=triggers,
        total_effect_pct=total_effect / reported_total * 100 if reported_total else None,
    )
    return section


def _pct(share: float) -> str:
    """A consolidation share (0–1) as a trigger's words write it: ``60 %``."""
    return f"{message_figure(share * 100)} %"


def _base_year_figures_elsewhere(source: PeriodSource, project_id: str,
                                 base_record: SubmissionRecord
                                 ) -> tuple[Mapping[str, float | None], Callable[[str], str],
                                            float] | None:
    """An acquired project's base-year figures from another entity's current submission of
    the base year's period, ``base_record``'s (under today's methods, but the holder's own
    consolidation approach), the words naming it for the trigger (given what to say of its
    figure) and the share that entity held it at (its ``consolidation_share``: its figures
    are at that share, not the project's whole); ``None`` when no other entity's holds a
    share of the project. A group's record (``<parent>:group``) is never taken: its
    ``by_project`` figures are at the group's share, and its share is not stored with them.
    Of two entities holding it, the first by entity id, so that the figure does not depend on
    the order they were recorded in; the words name the others too. One that held none of
    it (a share of 0) holds no figure to scale: it is not taken. Nor is one of another
    period than the base year's (period_start and period_end both equal, as
    :func:`_replaced_after_use` compares periods): a quarter or a half of the base year is
    not the project's base year."""
    restated: dict[int, Mapping[str, float | None]] = {}  # by submission id, each once

    def held(record: SubmissionRecord) -> Mapping[str, float | None]:
        if record.id in restated:
            return restated[record.id]
        # under today's GWP set and factor library but the holder's own consolidation
        # approach: the share it held the project at, and its figure at that share (under
        # today's approach, a holder's equity share of 50 % reads as no control, 0 %: its
        # figure of the project would be lost, not scaled)
        own = Methods(source.today.gwp_set, source.today.factor_library_version,
                      record.consolidation_approach)
        restated[record.id] = source.period(record).figures if own == source.today \
            else PeriodSource(source.ledger, own).period(record).figures
        return restated[record.id]

    def share(record: SubmissionRecord) -> float:
        return held(record).get(f"by_project.{project_id}.consolidation_share") or 0.0

    assert base_record.period_year is not None  # _record_of_year found it by its year
    holding = sorted(
        (r for r in source.submissions_of_year(base_record.period_year)
         if r.status == "current" and r.entity_id and r.entity_id != base_record.entity_id
         and r.period_start == base_record.period_start
         and r.period_end == base_record.period_end
         and not is_group_entity(r.entity_id)
         and f"by_project.{project_id}.scope1_tco2e" in source.as_reported(r)
         and share(r) > 0),
        key=lambda r: (r.entity_id or "", r.id))
    if not holding:
        return None
    chosen, *others = holding
    also = "; the first by entity id of those holding it; also " + ", ".join(
        f"{r.entity_id}'s submission {r.id}" for r in others) if others else ""

    def words(figure_words: str) -> str:
        return f"from {chosen.entity_id}'s submission {chosen.id} ({figure_words}{also})"

    return held(chosen), words, share(chosen)


def _replaced_after_use(source: PeriodSource, record: SubmissionRecord
                        ) -> SubmissionRecord | None:
    """The valid submission of ``record``'s period that a report used before ``record``
    superseded it (the newest such), or ``None``: ``record`` corrects it."""
    if record.entity_id is None:
        return None
    # The same file recorded again corrects nothing.
    older = [r for r in source.submissions_of(record.entity_id)
             if r.period_year == record.period_year and r.valid and r.id < record.id
             and r.period_start == record.period_start and r.period_end == record.period_end
             and r.sha256 != record.sha256]
    if not older:
        return None
    used = first_use(source.report_builds(), [r.id for r in older])
    candidates = [r for r in older if r.id in used and used[r.id] <= record.received_at]
    return candidates[-1] if candidates else None


@dataclass(frozen=True)
class GroupMembers:
    """A group's period (``<parent>:group``) and the members it was consolidated from."""

    # the members' submissions its report was built from, by entity id
    built_from: Mapping[str, SubmissionRecord]
    # each member's current submission of the period, by entity id
    current: Mapping[str, SubmissionRecord]
    # those of ``built_from`` that a newer submission with other content corrected since
    corrected: tuple[MemberCorrection, ...]


def _group_members(source: PeriodSource, record: SubmissionRecord,
                   as_reported: Mapping[str, float | None]) -> GroupMembers | None:
    """For a group's period (``<parent>:group``): its members (``by_entity``), the
    submissions its report was built from (the ledger notes them on the group's build), each
    member's current submission of the period, and those corrected since by a newer
    submission of the same member and period. ``None`` for an entity's period, a group
    recorded before its builds noted its members, or one a member of which has no
    submission left to consolidate: the period cannot be consolidated again."""
    if not is_group_entity(record.entity_id) or record.period_year is None:
        return None
    built_from = used_by(source.report_builds(), record.id)
    if not built_from:
        return None
    year = [r for r in source.submissions_of_year(record.period_year)
            if not is_group_entity(r.entity_id) and r.period_start == record.period_start
            and r.period_end == record.period_end]
    current = {r.entity_id: r for r in year if r.status == "current" and r.entity_id}
    used = {r.entity_id: r for r in year if r.id in built_from and r.entity_id}
    corrected = []
    for entity, was in used.items():
        now = current.get(entity)
        # the same file recorded again corrects nothing
        if now is not None and now.id != was.id and now.sha256 != was.sha256:
            corrected.append(MemberCorrection(entity, was, now))
    prefix, suffix = "by_entity.", ".share"
    members = sorted(key[len(prefix):-len(suffix)] for key in as_reported
                     if key.startswith(prefix) and key.endswith(suffix))
    if not members or not set(members) <= set(current):  # no members stored, or one without
        return None
    # oldest replaced submission first: member_corrections (results.json, the report's
    # sentence) in one order whatever order ``used`` was built in
    corrected.sort(key=lambda c: c.replaced.id)
    return GroupMembers({e: used[e] for e in members if e in used},
                        {e: current[e] for e in members}, tuple(corrected))


def _error_corrections(base: Period) -> list[tuple[str, float]]:
    """Each correction of the base year, its detail and effect: a valid submission of the
    base year that a report used, superseded afterwards; for a group, its members'
    submissions it was consolidated from, corrected since (one effect: the base year
    consolidated again from the current ones less the group's base year as reported, or as
    restated under today's methods when they changed too: the methodology change is the
    rest)."""
    out = []
    if base.replaced is not None:
        out.append((f"base year resubmitted after a report used submission {base.replaced.id}",
                    _scope12(base.as_reported) - _scope12(base.originally)))
    if base.corrected_members:
        members = ", ".join(f"{c.entity_id} (submission {c.replaced.id}, replaced by "
                            f"submission {c.current.id})" for c in base.corrected_members)
        out.append((f"base year's member submissions corrected after the group report used "
                    f"them: {members}",
                    _scope12(base.figures) - _scope12(base.before_member_corrections)))
    return out


def _record_of_year(earlier: list[SubmissionRecord], year: int) -> SubmissionRecord | None:
    """The last of ``earlier`` whose period is ``year``, or ``None``."""
    return next((r for r in reversed(earlier) if r.period_year == year), None)


def _recorded_figures(source: PeriodSource, earlier: list[SubmissionRecord], year: int,
                      current: Mapping[str, float | None], end: date
                      ) -> Mapping[str, float | None] | None:
    """The figures of ``year`` as the ledger's submission of that year reported them (this
    period's own when it is that year); ``None`` when the ledger holds no such period.
    Read through ``source``: a base year the periods or the base-year section read already
    is not read again."""
    if end.year == year:
        return current
    record = _record_of_year(earlier, year)
    return source.as_reported(record) if record is not None else None


def _base_year_used(base: dict[str, Any]) -> dict[str, float | None]:
    """The base year's Scope 1 and 2 as the report uses them (restated, and recalculated when
    the triggers reach the threshold), by results key path."""
    return {SCOPE1: base.get("scope1_tco2e"), SCOPE2_LOCATION: base.get("scope2_location_tco2e"),
            SCOPE2_MARKET: base.get("scope2_market_tco2e")}


def _targets(results: dict[str, Any], year: int | None, base: dict[str, Any] | None,
             recorded: Callable[[int], Mapping[str, float | None] | None]
             ) -> list[dict[str, Any]]:
    """Each target against the ledger: its base year as recorded (and recalculated), its
    straight-line trajectory value for this year and whether it is met.

    ``recorded(year)`` is the ledger's figures of ``year`` as reported. When the base year
    was recalculated, a Scope 1 or 2 target is recalculated with it (GHG Protocol Corporate
    Standard, ch. 5 and 11): its target value, progress and trajectory are measured from the
    recalculated base year (``base_value_source``), the workbook's ``base_value`` is kept.
    The trajectory runs from the base value used in the base year to the target value in the
    target year; a reduction target is on track when the current value is at or below it.
    """
    from envreport.metrics.targets import metric_value, target_and_progress
    from envreport.results import differs

    out = []
    for target in results.get("targets") or []:
        metric = target.get("metric")
        base_year, target_year = target.get("base_year"), target.get("target_year")
        base_value, target_value = target.get("base_value"), target.get("target_value")
        current = target.get("current_value")
        extra: dict[str, Any] = {"base_value_recorded": None, "base_value_recalculated": None,
                                 "base_value_differs": None, "base_value_source": "workbook"}
        figures = recorded(base_year) if base_year is not None else None
        recorded_value = metric_value(metric, figures) if figures is not None else None
        # the base year as this report uses it (restated under its methods, recalculated)
        in_use = base is not None and bool(base.get("in_ledger")) \
            and base.get("year") == base_year
        used_value = metric_value(metric, _base_year_used(base)) \
            if base is not None and in_use else None
        if recorded_value is not None:
            extra["base_value_recorded"] = recorded_value
            if base_value is not None:
                # a workbook that already states the base year restated or recalculated
                # states it right
                extra["base_value_differs"] = differs(base_value, recorded_value) and (
                    used_value is None or differs(base_value, used_value))
        if base is not None and in_use and base.get("recalculated"):
            recalculated = used_value
            reduction = target.get("target_reduction_pct")
            if reduction is None and base_value and target_value is not None:
                reduction = (1 - target_value / base_value) * 100  # a result of an older run
            if recalculated is not None and reduction is not None:
                target_value, progress = target_and_progress(recalculated, reduction, current)
                base_value = recalculated
                extra.update(base_value_recalculated=recalculated,
                             base_value_source="ledger_recalculated",
                             target_value=target_value, progress_pct=progress)
        expected = None
        if None not in (base_year, target_year, base_value, target_value, year) and \
                target_year != base_year:
            share = min(max((year - base_year) / (target_year - base_year), 0.0), 1.0)
            expected = base_value + (target_value - base_value) * share
        on_track = None
        if expected is not None and current is not None:
            reducing = target_value <= base_value
            on_track = current <= expected if reducing else current >= expected
        out.append({"trajectory_value": expected, "on_track": on_track, **extra})
    return out


def _find_record(ledger: Ledger, results: dict[str, Any],
                 entity: str | None) -> SubmissionRecord | None:
    """The ledger's submission these results were computed from (newest with that file)."""
    if entity is not None and entity != (results.get("organization") or {}).get("entity_id"):
        # A group: its results were stored as computed (record_group), so they match exactly.
        matches = [r for r in ledger.submissions(entity=entity) if r.status == "current"]
        end = _date((results.get("period") or {}).get("end"))
        return next((r for r in reversed(matches) if r.period_end == end), None)
    entity = (results.get("organization") or {}).get("entity_id")
    sha = (results.get("input") or {}).get("sha256")
    start = _date((results.get("period") or {}).get("start"))
    end = _date((results.get("period") or {}).get("end"))
    if not entity or end is None:
        return None
    matches = [r for r in ledger.submissions(entity=entity, period=end.year)
               if r.sha256 == sha and r.period_start == start and r.period_end == end
               and r.valid]
    current = [r for r in matches if r.status == "current"]
    found = current or matches
    return found[-1] if found else None


def periods_sections(ledger: Ledger, results: dict[str, Any],
                     entity: str | None = None, recorded: bool = True,
                     record_id: int | None = None,
                     regroup: Regroup | None = None) -> dict[str, Any]:
    """``comparison``, ``history`` and ``base_year`` for a period's results (results v2).

    Every section is ``None`` when the ledger holds no earlier period of the entity.
    ``entity`` overrides the results' entity id (a group's ``<parent>:group``).
    ``recorded=False``: the results are not in the ledger yet (a group is recorded once
    compared and checked), so no stored record is taken for theirs (a previous run's of the
    same period would be); today's projects come from the results, the threshold from their
    Organization, and a base year that is this period is not yet ``in_ledger``.
    ``record_id``: the submission the results were computed from, when the caller knows it
    (the portal's group build, whose members are its uploads): taken as it is, not looked
    for by the results' file and period.
    ``regroup``: consolidates a group's earlier period again (the batch's group): one whose
    member was corrected after its report was built is restated with it.
    """
    record = (ledger.submission(record_id, with_results=False) if record_id is not None
              else _find_record(ledger, results, entity) if recorded else None)
    # the stored record even without an earlier period: its report is noted all the same
    empty: dict[str, Any] = {"record_id": record.id if record else None, "comparison": None,
                             "history": None, "base_year": None, "target_progress": None}
    entity = entity or (results.get("organization") or {}).get("entity_id")
    start = _date((results.get("period") or {}).get("start"))
    end = _date((results.get("period") or {}).get("end"))
    if not entity or start is None or end is None:
        return empty
    earlier = _earlier_periods(ledger, entity, start, end, record.id if record else None)
    if not earlier:
        return empty
    source = PeriodSource(ledger, methods_of_results(results), regroup)
    current: dict[str, float | None] = dict(flatten_figures(results))
    prior = source.period(earlier[-1])
    history = [_history_entry(p.start, p.end, p.figures, p.marked, p.originally)
               for p in (source.period(r) for r in earlier[-(HISTORY_PERIODS - 1):])]
    history.append(_history_entry(start, end, current, False, current))
    base = _as_figures(_base_year(ledger, source, results, current, record, earlier))
    used = [prior.record.id, *(r.id for r in earlier[-(HISTORY_PERIODS - 1):])]
    if base and base.get("submission_id"):
        used.append(base["submission_id"])
    return {
        "record_id": record.id if record else None,
        "comparison": _as_figures(_comparison(current, prior)),
        "history": _as_figures(history),
        "base_year": base,
        "target_progress": _as_figures(_targets(
            results, end.year, base,  # each base year's figures read once, for all its targets
            functools.cache(lambda year: _recorded_figures(source, earlier, year, current, end)))),
        "used_submission_ids": sorted(set(used)),
    }


def _as_figures(value: Any) -> Any:
    """``value`` with every float rounded as every figure of results.json is, to 12
    significant digits (:func:`envreport.metrics.numbers.figure`): the sections' own sums
    and shares — a base year less a divested project, a change in % — otherwise carried
    binary noise into results.json (1618122.2820140002, -55.00000000000001)."""
    from envreport.metrics.numbers import figure

    if isinstance(value, float):
        return figure(value)
    if isinstance(value, dict):
        return {key: _as_figures(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_figures(item) for item in value]
    return value


def entity_history(ledger: Ledger, entity: str,
                   regroup: Regroup | None = None) -> list[dict[str, Any]]:
    """Every current period of ``entity``, oldest first, under the newest period's methods;
    with ``regroup``, a group's period whose member was corrected since its report as it
    now stands (``member_corrections`` names them)."""
    records = sorted((r for r in ledger.submissions(entity=entity, current_only=True)
                      if r.period_end is not None), key=lambda r: (r.period_end, r.id))
    if not records:
        return []
    source = PeriodSource(ledger, methods_of_record(records[-1]), regroup)
    out = []
    for record in records:
        period = source.period(record)
        entry = _history_entry(period.start, period.end, period.figures, period.marked,
                               period.originally)
        entry.update(submission_id=record.id, gwp_set=record.gwp_set,
                     restatement_reasons=period.changes)
        if period.corrected_members:
            entry["member_corrections"] = [c.to_dict() for c in period.corrected_members]
        out.append(entry)
    return out
