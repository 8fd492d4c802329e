"""The group's targets against its base year, consolidated from the members' base-year
submissions in the ledger (``batch --ledger``).

An entity's workbook of a target's base year checks that target's base value itself
(``target-base-value-differs``, :mod:`envreport.metrics.targets`); a later period's report
compares it with the base year's submission in the ledger (``base_value_recorded``,
``base_value_differs``: :mod:`envreport.ledger.compare`). The group has no workbook of its own
for an earlier year: its base year is its members' base-year submissions, consolidated as
today's group is (the same members, shares and approach: :func:`consolidate.merge`; a
member's Factors override that would apply to another member's rows of the base year left
out, :func:`overrides.override_conflicts`). When each
member has a valid current submission of the base year in the ledger, the consolidated figure
of each target's metric is its ``base_value_recorded`` (``base_value_consolidated`` true),
``base_value_differs`` says whether the parent's stated base value is off by more than the
tolerance, and such a target gets the warning at the parent's base_value cell. As for an
entity's base year in the ledger, a base value stated as the base year was reported (the
parent's base-year GWP set) or restated under today's GWP set is right; the figure recorded
is the base year as reported. When a member has none, ``base_value_unchecked`` names the
members without one: the base value could not be checked, and the report says so. A target
already compared with a ``<parent>:group`` record of its base year (an earlier ``batch
--ledger`` of that year) keeps that comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from envreport.batch.jobs import override_inputs
from envreport.batch.overrides import override_conflicts
from envreport.findings import Finding
from envreport.metrics import METRIC_FIGURES, base_value_finding, compute, current_values
from envreport.results import GroupResults, TargetEntry, Validation, differs
from envreport.schema import Sheet
from envreport.schema.sheets import gwp_set_or_default
from envreport.submission import Submission

if TYPE_CHECKING:
    from envreport.batch.consolidate import GroupTask, Member
    from envreport.ledger import Ledger

    # consolidate.merge, given by the caller (consolidate imports this module)
    Merge = Callable[[GroupTask, Callable[[Member], Submission]], Submission]


def check_group_base_values(ledger: Ledger, task: GroupTask, merged: Submission,
                            results: GroupResults, merge: Merge
                            ) -> tuple[GroupResults, list[Finding]]:
    """``results`` with each earlier base year's target checked against the members'
    consolidated base year (see the module's docstring), and the warnings it raised, which
    are also added to ``merged``'s findings and ``results.validation``. ``merge`` is
    :func:`consolidate.merge`, which consolidates the base year as it did today's group.
    Run before the group is recorded (:func:`envreport.ledger.group_with_periods`), so that
    its record holds what the report shows."""
    organization = merged.organization
    assert organization is not None
    year = organization.reporting_year
    targets = list(results.targets or [])
    pending = [i for i, t in enumerate(targets)
               if t.base_year is not None and t.base_year != year and t.base_value is not None
               and t.metric in METRIC_FIGURES and t.base_value_recorded is None]
    gwp_set = gwp_set_or_default(organization.gwp_set)
    for base_year in sorted({targets[i].base_year or 0 for i in pending}):
        figures, missing = _consolidated_base_year(ledger, task, base_year, merge, gwp_set)
        for i in pending:
            if targets[i].base_year == base_year:
                targets[i] = _checked(targets[i], figures, missing)
    column = merged.letters.get(Sheet.TARGETS, {}).get("base_value")
    found = [finding for t in targets if t.base_value_differs and t.base_year != year
             if (finding := base_value_finding(t, t.base_value_recorded, column)) is not None]
    for finding in found:
        if finding not in merged.findings.items:
            merged.findings.insert(finding)
    if not pending and not found:
        return results, []
    findings = merged.findings
    return results.model_copy(update={
        "targets": targets,
        "validation": Validation(errors=len(findings.errors),
                                 warnings=len(findings.warnings))}), found


#: The consolidated base year's figures by metric: as its submissions reported them (under
#: the parent's base-year GWP set), and restated under today's (the same when it is today's).
Figures = tuple[dict[Any, float | None], dict[Any, float | None]]


def _checked(target: TargetEntry, figures: Figures | None, missing: list[str]) -> TargetEntry:
    """``target`` with its base value against the consolidated base year's ``figures``, or,
    without them, the members that have no base-year submission. A base value stated as the
    base year was reported or restated under today's GWP set is right (as for an entity's
    base year in the ledger, :mod:`envreport.ledger.compare`); the figure recorded, and the
    one a warning names, is the base year as reported."""
    if figures is None:
        return target.model_copy(update={"base_value_unchecked": missing})
    reported, restated = (f.get(target.metric) for f in figures)
    if reported is None:  # a metric none of the members reported in the base year
        return target
    assert target.base_value is not None
    return target.model_copy(update={
        "base_value_recorded": reported, "base_value_consolidated": True,
        "base_value_differs": differs(target.base_value, reported) and (
            restated is None or differs(target.base_value, restated))})


def _consolidated_base_year(ledger: Ledger, task: GroupTask, base_year: int, merge: Merge,
                            gwp_set: str) -> tuple[Figures | None, list[str]]:
    """The group's figure of every target metric in ``base_year``: today's members'
    submissions of that year in the ledger (the valid current one of each), merged with
    today's shares and approach and computed, as reported and under today's ``gwp_set``;
    ``(None, members without one)`` when a member has none."""
    member_ids = {m.entity_id for m in task.members}
    records = {}
    # the year's submissions read once, not once per member; oldest first, so the newest
    # valid current one of each member is the one kept
    for record in ledger.submissions(period=base_year, current_only=True):
        if record.valid and record.entity_id in member_ids:
            records[record.entity_id] = record
    missing = [m.entity_id for m in task.members if m.entity_id not in records]
    if missing:
        return None, missing

    # Today's factor-override exclusions name rows of today's workbooks: the group's rule
    # decides them again from the base year's submissions (each read once more, alone, for
    # its Factors rows and the fuels, grids and gases its rows use), as the batch decided
    # them for the base year's own group
    members = [replace(m, drop_override_rows=frozenset()) for m in task.members]
    override_conflicts(members, {
        m.entity_id: override_inputs(i, ledger.load_submission(records[m.entity_id]))
        for i, m in enumerate(members)})

    def figures(**restated: str) -> dict[Any, float | None]:
        def load(member: Member) -> Submission:
            # the parent's approach of today (merge writes today's shares into its column);
            # its Organization's GWP set is the merged submission's
            changes = {"consolidation_approach": task.approach, **restated} \
                if member.is_parent else {}
            return ledger.load_submission(records[member.entity_id], **changes)

        base = compute(merge(replace(task, members=members, findings=[]), load))
        return dict(current_values(base.ghg, base.energy, base.water, base.waste))

    parent = next(m for m in task.members if m.is_parent)
    reported = figures()
    # ``gwp_set`` is an id already (check_group_base_values made it one)
    if gwp_set_or_default(records[parent.entity_id].gwp_set) == gwp_set:
        return (reported, reported), []
    return (reported, figures(gwp_set=gwp_set)), []
