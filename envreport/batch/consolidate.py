"""The group report: one merged :class:`Submission` computed like any entity's.

GHG Protocol Corporate Standard, chapter 3: the *parent's* consolidation approach applies to
every project through the chain of ownership.

- ``equity_share``: a subsidiary's project counts parent share × the subsidiary's project share
  (``Subsidiaries.ownership_pct / 100 × Projects.ownership_pct / 100``), written into the merged
  ``Projects.ownership_pct``;
- ``operational_control`` / ``financial_control``: a subsidiary's project counts fully when the
  parent controls the subsidiary (its ``Subsidiaries`` flag) *and* the subsidiary controls the
  project (its ``Projects`` flag), else 0 — written into the merged flag column.

The parent's own projects count with their own share. The activity sheets of every member are
concatenated (project ids are unique across the group: a project reported twice is counted
once, from the first member, and reported), money keeps its currency (a blank currency becomes
the member's reporting currency) and is converted with the *parent's* FxRates; revenue,
employees, targets and the Narrative are the parent's, but for the members' own words on
water and biodiversity (:data:`MEMBER_NARRATIVE_TOPICS`), cited after the parent's by
entity. :func:`envreport.metrics.compute` then produces the group's figures, so the group
report is the same report as an entity's, and every group total is the sum of its
calculation trail. ``entity_id`` is added to ``by_project``,
``calculations``, ``factor_overrides`` and ``exchange_rates`` (the parent's), and
``by_entity`` sums ``by_project`` per entity.

Memory: the members' submissions are read one at a time from their pickles; only the rows the
figures need (the contract's sheets, all columns) are kept for the merge, and each member's
submission is dropped before the next is read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from envreport.batch.jobs import (
    Recording,
    headline,
    load_submission_pickle,
    override_inputs,
    override_slot,
)
from envreport.batch.overrides import override_conflicts
from envreport.factors import supplied
from envreport.findings import Finding, Findings
from envreport.results import PROJECT_FIGURES, EntityEntry, GroupResults, Results
from envreport.schema import PROJECT_SHEETS, Sheet
from envreport.submission import Submission

if TYPE_CHECKING:
    from envreport.ledger import Ledger, SubmissionRecord
    from envreport.ledger.compare import Methods

# Entity-level sheets taken from the parent only.
PARENT_ONLY = (Sheet.TARGETS, Sheet.FX_RATES, Sheet.SUBSIDIARIES, Sheet.NARRATIVE)
#: the Narrative topics a member's words are cited on, by entity, after the parent's: water
#: and biodiversity are managed at the members' sites (GRI 303-1, 303-2 and 304-2 ask how),
#: so the group report must not call that text unavailable when a member gave it; the other
#: topics (governance, targets, boundary, assurance ...) are the group's, the parent's alone
MEMBER_NARRATIVE_TOPICS = ("water", "biodiversity")


@dataclass
class Member:
    """A submission consolidated into the group."""

    entity_id: str
    name: str | None
    file_name: str
    pickle: Path
    is_parent: bool
    share: float  # the parent's share of the entity: equity fraction, or 1/0 under control
    controlled: bool
    drop_projects: frozenset[str] = frozenset()
    name_zh: str | None = None  # the Chinese name, for the Chinese group report
    drop_override_rows: frozenset[int] = frozenset()


@dataclass
class GroupTask:
    """Everything the group build needs; small and picklable."""

    members: list[Member]
    approach: str
    findings: list[Finding]
    group_findings: list[dict[str, Any]]
    inputs: list[dict[str, Any]]
    folder: Path
    langs: list[str] | None = None
    pdf: bool = True
    ledger: Recording | None = None  # batch --ledger: record the group, compare its periods
    # batch --ledger: each member's submission in the ledger, by entity id (noted on the
    # group's build: a later correction of one restates this period)
    member_submissions: dict[str, int] = field(default_factory=dict)


@dataclass
class GroupBuilt:
    """What the group build wrote."""

    files: list[Path] = field(default_factory=list)
    headline: dict[str, float | None] | None = None
    by_entity: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    languages: list[str] = field(default_factory=list)  # of the report written
    # found by the build (a target's base value against the group's figure of its base
    # year: this year's, or with --ledger the members' consolidated), for the board beside
    # the plan's group findings
    findings: list[Finding] = field(default_factory=list)


def _with_currency(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    if "currency" in frame.columns:
        frame["currency"] = frame["currency"].fillna(currency)
    return frame


def member_share(row: Mapping[Any, Any], approach: str) -> tuple[float, bool]:
    """A subsidiary's share of the group and whether it is consolidated, from its row of the
    parent's Subsidiaries sheet: its ownership under equity share; all or nothing under a
    control approach, by the row's answer for that control."""
    if approach == "equity_share":
        share = float(row.get("ownership_pct") or 0.0) / 100.0
        return share, share > 0
    controlled = bool(row.get(approach))
    return (1.0 if controlled else 0.0), controlled


def claimed_earlier(projects: Iterable[tuple[str, Iterable[str]]]) -> dict[str, dict[str, str]]:
    """A project in two submissions is counted once, from the first member (the parent, then
    the roster's order): for each member of ``projects`` (its entity id and project ids, in
    that order), the projects an earlier member claimed, each with that member."""
    seen: dict[str, str] = {}
    out: dict[str, dict[str, str]] = {}
    for entity, project_ids in projects:
        mine = out.setdefault(entity, {})
        for project_id in project_ids:
            if project_id in seen and seen[project_id] != entity:
                mine[project_id] = seen[project_id]
            else:
                seen.setdefault(project_id, entity)
    return out


def merge(task: GroupTask, load: Callable[[Member], Submission] | None = None) -> Submission:
    """The group as one submission (see the module's docstring). ``load`` gives a member's
    submission (default: its pickle; the base year's check gives its ledger record's)."""
    load = load or (lambda member: load_submission_pickle(member.pickle))
    parent = next(m for m in task.members if m.is_parent)
    parent_sub = load(parent)
    org = parent_sub.organization
    assert org is not None
    parts: dict[str, list[pd.DataFrame]] = {}
    overrides: list[pd.DataFrame] = []
    member_words: list[pd.DataFrame] = []
    seen_slots: set[tuple[str, str, str, str]] = set()
    for member in task.members:
        sub = parent_sub if member.is_parent else load(member)
        assert sub.organization is not None
        currency = sub.organization.reporting_currency.upper()
        projects = sub.table(Sheet.PROJECTS)
        if projects is not None:
            p = projects[~projects["project_id"].isin(member.drop_projects)].copy()
            if not member.is_parent:
                if task.approach == "equity_share":
                    own = pd.to_numeric(p["ownership_pct"], errors="coerce")
                    p["ownership_pct"] = own * member.share
                else:
                    flag = (p[task.approach] if task.approach in p.columns
                            else pd.Series(pd.NA, index=p.index, dtype="boolean"))
                    flag = flag.astype("boolean").fillna(False)
                    p[task.approach] = (flag & member.controlled).astype("boolean")
            parts.setdefault(Sheet.PROJECTS, []).append(p.assign(entity_id=member.entity_id))
        for sheet in PROJECT_SHEETS:
            table = sub.table(sheet)
            if table is None:
                continue
            t = table[~table["project_id"].isin(member.drop_projects)].copy()
            parts.setdefault(sheet, []).append(
                _with_currency(t, currency).assign(entity_id=member.entity_id))
        green = sub.table(Sheet.GREEN_FINANCE)
        # Finance is raised by the entity: it counts when the entity is in the boundary.
        if green is not None and (member.is_parent or member.share > 0):
            parts.setdefault(Sheet.GREEN_FINANCE, []).append(
                _with_currency(green.copy(), currency).assign(entity_id=member.entity_id))
        words = sub.table(Sheet.NARRATIVE)
        # a member outside the boundary (no share, no control) speaks for none of its sites
        if not member.is_parent and member.share > 0 and words is not None:
            site = words[words["topic"].isin(MEMBER_NARRATIVE_TOPICS)]
            if len(site):
                member_words.append(site.assign(entity_id=member.entity_id))
        factors = sub.table(Sheet.FACTORS)
        if factors is not None and not factors.empty:
            keep = []
            for i, rec in factors.iterrows():
                slot = override_slot({str(k): v for k, v in rec.to_dict().items()})
                full = (str(rec.get("factor_type")).lower(), *(slot or ("", "")),
                        str(rec.get("gas") or "").upper())
                if int(rec["row"]) in member.drop_override_rows or full in seen_slots:
                    continue
                seen_slots.add(full)
                keep.append(i)
            overrides.append(factors.loc[keep].assign(entity_id=member.entity_id))
        if not member.is_parent:
            del sub
    tables: dict[str, pd.DataFrame] = {}
    for sheet, frames in parts.items():
        tables[sheet] = pd.concat(frames, ignore_index=True)
    if overrides:
        tables[Sheet.FACTORS] = pd.concat(overrides, ignore_index=True)
    for sheet in PARENT_ONLY:
        table = parent_sub.table(sheet)
        if table is not None:
            tables[sheet] = table
    if member_words:  # the parent's words first (entity_id blank: the group's own)
        parent_words = tables.get(Sheet.NARRATIVE)
        tables[Sheet.NARRATIVE] = pd.concat(
            [*([parent_words] if parent_words is not None else []), *member_words],
            ignore_index=True)
    findings = Findings()
    findings.extend(task.findings)
    # the Targets are the parent's: a finding at one of their cells names the parent's column
    letters = {Sheet.TARGETS: parent_sub.letters[Sheet.TARGETS]} \
        if Sheet.TARGETS in parent_sub.letters else {}
    return Submission(parent_sub.source, org, tables, findings, {}, letters=letters,
                      consolidated=True)


def _add_entity_ids(results: Results, merged: Submission) -> None:
    """Name the member behind each project, trail entry and factor override, and the
    parent behind each exchange rate."""
    projects = merged.table(Sheet.PROJECTS)
    owner: dict[str, str] = {}
    if projects is not None:
        owner = dict(zip(projects["project_id"], projects["entity_id"], strict=True))
    for entry in results.by_project:
        entry.entity_id = owner.get(entry.project_id)
    trail = results.trail
    trail["entity_id"] = trail["project_id"].map(owner).astype(object)
    # a supplied factor's rows are the member's workbook's: its full citation names the member
    # (two members may cite one supplier's document)
    results.factor_sources.update(
        supplied.full_texts(trail["factor_source"], trail["row"], trail["entity_id"]))
    factors = merged.table(Sheet.FACTORS)
    if factors is not None:
        by_row = {(int(r), str(t).lower()): e for r, t, e in
                  zip(factors["row"], factors["factor_type"], factors["entity_id"], strict=True)}
        for override in results.factor_overrides:
            override.entity_id = by_row.get((override.row, override.factor_type))
    # the group's money is converted with the parent's FxRates (PARENT_ONLY): its rows
    if merged.organization is not None:
        for rate in results.exchange_rates or []:
            rate.entity_id = merged.organization.entity_id


def by_entity(results: Results, members: list[Member]) -> list[EntityEntry]:
    """Each member's contribution to the group: the sums of its projects in ``by_project``."""
    out = []
    for m in members:
        mine = [p for p in results.by_project if p.entity_id == m.entity_id]
        sums: dict[str, float | None] = {}
        for key in PROJECT_FIGURES:
            values = [v for v in (getattr(p, key) for p in mine) if v is not None]
            # the engine's by_project rounding (12 significant digits) is kept for the sum
            sums[key] = float(f"{math.fsum(values):.12g}") + 0.0 if values else None
        out.append(EntityEntry(entity_id=m.entity_id, name=m.name, name_zh=m.name_zh,
                               file_name=m.file_name,
                               parent=m.is_parent, share=1.0 if m.is_parent else m.share,
                               controlled=m.controlled if not m.is_parent else True,
                               projects=len(mine),
                               projects_in_boundary=sum(1 for p in mine if p.in_boundary),
                               **sums))
    return out


def compute_group(task: GroupTask, load: Callable[[Member], Submission] | None = None
                  ) -> tuple[Submission, GroupResults]:
    """The merged submission and the group's results (nothing written); ``load`` as
    :func:`merge`'s."""
    from envreport.metrics import compute

    merged = merge(task, load)
    results = compute(merged)
    _add_entity_ids(results, merged)
    fields = {name: getattr(results, name) for name in results.model_fields_set}
    group = GroupResults.model_validate({
        **fields, "inputs": task.inputs, "by_entity": by_entity(results, task.members),
        "group_findings": task.group_findings})
    return merged, group


def regrouped(ledger: Ledger, group: SubmissionRecord, reported: Mapping[str, float | None],
              current: Mapping[str, SubmissionRecord], today: Methods
              ) -> dict[str, float | None]:
    """A group's stored period consolidated again from its members' submissions ``current``
    (each member's current one: the period as it now stands, a member's submission corrected
    since its report; or those its report was built from: the period under today's
    consolidation approach), merged as that period's group was (each member with its share
    in the parent's Subsidiaries sheet given, or, one the sheet no longer lists, the share
    ``reported``'s ``by_entity`` gave it; a project claimed by an earlier member left out)
    and computed under ``today``'s methods: its GWP set and consolidation approach; a
    member's Factors override left out when another member uses its fuel, grid or gas, as
    the batch leaves it out of a group. Its figures by key path, as the ledger stores them."""
    from envreport.ledger import flatten_figures, group_entity_id

    parent = next(e for e in current if group_entity_id(e) == group.entity_id)
    # today's approach, like the GWP set: the period compared like with like (a change of
    # approach is the restatement's reason, its effect the methodology change)
    approach = (today.consolidation_approach or group.consolidation_approach
                or "operational_control")
    submissions = {parent: ledger.load_submission(
        current[parent], consolidation_approach=approach, gwp_set=today.gwp_set)}
    # the parent's current roster: a member's share as the parent now states it (its own
    # correction may change one), in the roster's order
    table = submissions[parent].table(Sheet.SUBSIDIARIES)
    roster = {} if table is None else {str(row["entity_id"]): row
                                       for row in table.to_dict("records")}
    order = [parent, *(e for e in roster if e in current and e != parent),
             *sorted(e for e in current if e != parent and e not in roster)]
    submissions.update((e, ledger.load_submission(current[e])) for e in order[1:])

    def projects(entity: str) -> list[str]:
        table = submissions[entity].table(Sheet.PROJECTS)
        return [] if table is None else [str(p) for p in table["project_id"]]

    claimed = claimed_earlier((e, projects(e)) for e in order)
    members: list[Member] = []
    for entity in order:
        if entity in roster and entity != parent:
            share, controlled = member_share(roster[entity], approach)
        else:  # the parent itself, or a member its roster no longer lists: as reported
            stated = reported.get(f"by_entity.{entity}.share")
            share = 1.0 if stated is None else stated
            controlled = share > 0
        members.append(Member(entity, None, current[entity].file_name, Path(), entity == parent,
                              share, controlled, frozenset(claimed[entity])))
    # the group's rule for Factors overrides, as the batch applies it to the period's
    # workbooks: an override the period's group left out (another member uses its fuel, grid
    # or gas) is left out again, one it applied is applied again, unless the correction
    # itself changes that (the period's methods; the correction the only change)
    override_conflicts(members, {m.entity_id: override_inputs(i, submissions[m.entity_id])
                                 for i, m in enumerate(members)})
    task = GroupTask(members, approach, [], [], [], Path())
    _merged, results = compute_group(task, lambda member: submissions[member.entity_id])
    return dict(flatten_figures(results.model_dump(mode="json", exclude={"calculations"})))


def build_group(task: GroupTask) -> GroupBuilt:
    """Merge, compute and write the group report into ``task.folder``."""
    from envreport.pipeline import write_outputs

    out = GroupBuilt()
    try:
        merged, results = compute_group(task)
        assert merged.organization is not None
        # what the group's own compute found (a target of this year's base whose base value
        # its consolidated figure contradicts): on the board with the plan's group findings
        out.findings = [f for f in merged.findings.items if f not in task.findings]
        if task.ledger is not None:
            from envreport.batch.base_year import check_group_base_values
            from envreport.ledger import group_with_periods

            # compared, checked, then recorded: the ledger holds the group as reported
            results, found = group_with_periods(
                task.ledger.url, merged, results,
                lambda ledger, compared: check_group_base_values(ledger, task, merged,
                                                                 compared, merge),
                by=task.ledger.by, members=task.member_submissions.values(),
                regroup=regrouped)
            out.findings += found
        langs = list(task.langs or merged.organization.report_languages)
        out.files = write_outputs(merged, results, task.folder, langs, pdf=task.pdf)
        out.languages = langs
        out.headline = headline(results)
        out.by_entity = [entry.model_dump(mode="python") for entry in results.by_entity]
    except MemoryError:  # the task's memory limit: its runner reports it
        raise
    except Exception as error:  # reported on the status board; the batch goes on
        out.failure = f"{type(error).__name__}: {error}"
    return out
