"""From the inspected workbooks to a plan: roster, states, folders, cross-submission findings.

Runs in the main process on small summaries (:class:`~envreport.batch.jobs.Inspected`); no
submission's tables are loaded here.

States (docs/batch.md): ``unreadable`` (not a workbook), ``invalid`` (errors in the workbook, or
a group error that takes it out of the group: two files for one entity, another reporting
period or GWP set than the parent), ``unexpected`` (readable, its entity is not on the parent's
roster; not consolidated), ``valid_with_warnings``, ``valid``, and ``missing`` for a roster
entity without a file.

Group findings that do not exclude a submission (a project reported twice, money in a currency
the parent has no rate for, a control flag the parent's approach needs, a factor override that
would leak onto another member's rows) are errors of the group: the group report is built and
shows them, the batch exits 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envreport.batch.consolidate import Member, claimed_earlier, member_share
from envreport.batch.jobs import Inspected
from envreport.batch.naming import GROUP_FOLDER, FolderNames
from envreport.batch.overrides import GroupFinding, override_conflicts
from envreport.codes import Severity
from envreport.findings import USABLE_STATES, Finding
from envreport.schema import Sheet
from envreport.schema.sheets import gwp_set_or_default

OK_STATES = USABLE_STATES


# What a refused batch says, by kind: English, translated by BatchUsageError.message (the
# findings catalogue, findings.po, holds these).
USAGE_MESSAGES = {
    "not-found": "not found: {paths}",
    "no-workbooks": "no workbooks (*.xlsx, *.xlsm, *.ods) among the inputs",
    "two-parents": "more than one parent workbook (a Subsidiaries sheet with rows): {files}; "
                   "a batch consolidates one group",
}


class BatchUsageError(Exception):
    """The command was used wrongly (exit 2): no inputs, or more than one parent. ``kind``
    is a key of :data:`USAGE_MESSAGES`, ``params`` fill it in; ``str()`` is the English."""

    # lists, not any Sequence: a bare str is one too, and would be listed letter by letter
    def __init__(self, kind: str, **params: list[str] | list[tuple[str, str]]) -> None:
        self.kind, self.params = kind, params
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``lang``. A parameter is a list of names, listed as ``lang`` lists
        them (``a.xlsx, b.xlsx``; in Chinese ``a.xlsx、b.xlsx``); a name given with its code,
        ``(name, code)``, is followed by the code in the language's brackets
        (``p1.xlsx (CSIG)``, ``p1.xlsx（CSIG）``)."""
        from envreport.i18n import bracketed, gap, gettext, list_separator

        def named(item: str | tuple[str, str]) -> str:
            if isinstance(item, str):
                return item
            code = bracketed(item[1], lang)
            return item[0] + gap(item[0], code, lang) + code

        listed = {name: list_separator(lang).join(named(item) for item in items)
                  for name, items in self.params.items()}
        return gettext(USAGE_MESSAGES.get(self.kind, self.kind), lang).format(**listed)


@dataclass
class Entry:
    """One line of the status board: a file, or a roster entity without one."""

    entity_id: str | None
    entity_name: str | None
    role: str  # parent | subsidiary | unexpected | unidentified
    state: str
    inspected: Inspected | None = None
    folder: str | None = None
    in_group: bool = False
    share: float | None = None
    build: bool = False
    group_findings: list[GroupFinding] = field(default_factory=list)
    entity_name_zh: str | None = None  # the Chinese name, for the Chinese board

    @property
    def file_name(self) -> str | None:
        return self.inspected.file_name if self.inspected else None

    @property
    def sha256(self) -> str | None:
        return self.inspected.sha256 if self.inspected else None


@dataclass(frozen=True)
class KnownEntity:
    """An entity the caller knows for this group (the portal's entities), listed on the
    board as ``missing`` when it has no file and is not on the roster either."""

    entity_id: str
    name: str | None = None
    name_zh: str | None = None


@dataclass
class Plan:
    """What the batch will build."""

    entries: list[Entry]
    parent: Inspected | None
    members: list[Member]
    findings: list[GroupFinding]
    approach: str | None

    @property
    def group_buildable(self) -> bool:
        return bool(self.members) and any(m.is_parent for m in self.members)


def _f(code: str, severity: Severity, sheet: str | None = None, row: int | None = None,
       column: str | None = None, field_name: str | None = None, value: Any = None,
       **params: Any) -> Finding:
    return Finding(code, severity, sheet, row, column, field_name, value,
                   params)


def make_plan(inspected: list[Inspected], known: Sequence[KnownEntity] = ()) -> Plan:
    """Decide roster, states, members and folders (see the module's docstring).

    ``known``: entities the caller expects beyond the roster (the portal's, whose board page
    lists each of them): one without a file, not on the roster, gets a ``missing`` line of
    its own — role ``unexpected`` beside a parent, ``subsidiary`` without one, as a file of
    it would — without a finding: the group does not need it."""
    readable = [i for i in inspected if i.unreadable is None]
    parents = [i for i in readable if i.is_parent]
    if len(parents) > 1:
        raise BatchUsageError("two-parents",
                              files=[(p.file_name, str(p.entity_id)) for p in parents])
    parent = parents[0] if parents else None
    findings: list[GroupFinding] = []
    roster: dict[str, dict[str, Any]] = {}
    for rec in parent.roster if parent else []:
        roster.setdefault(str(rec["entity_id"]), rec)

    by_entity: dict[str, list[Inspected]] = {}
    for item in readable:
        if item.entity_id is not None:
            by_entity.setdefault(item.entity_id, []).append(item)
    for eid, items in by_entity.items():
        if len(items) > 1:
            files = tuple(i.file_name for i in items)  # listed as the message's language lists
            for item in items:
                findings.append(GroupFinding(
                    _f("entity-duplicate", "error", Sheet.ORGANIZATION, field_name="entity_id",
                       value=eid, entity_id=eid, files=files),
                    eid, item.file_name, item.index, excludes=True))

    porg = parent.organization if parent else None
    approach = porg.consolidation_approach if porg else None
    if porg is not None:
        for eid in roster:
            for item in by_entity.get(eid, []):
                org = item.organization
                assert org is not None
                if (org.reporting_period_start, org.reporting_period_end) != (
                        porg.reporting_period_start, porg.reporting_period_end):
                    findings.append(GroupFinding(_f(
                        "group-period-mismatch", "error", Sheet.ORGANIZATION,
                        field_name="reporting_period_start", entity_id=eid,
                        start=org.reporting_period_start.isoformat(),
                        end=org.reporting_period_end.isoformat(),
                        group_start=porg.reporting_period_start.isoformat(),
                        group_end=porg.reporting_period_end.isoformat()),
                        eid, item.file_name, item.index, excludes=True))
                if gwp_set_or_default(org.gwp_set) != gwp_set_or_default(porg.gwp_set):
                    findings.append(GroupFinding(_f(
                        "group-gwp-mismatch", "error", Sheet.ORGANIZATION, field_name="gwp_set",
                        value=org.gwp_set, entity_id=eid, gwp_set=org.gwp_set,
                        group_gwp_set=porg.gwp_set),
                        eid, item.file_name, item.index, excludes=True))

    # --- entries, in board order: parent, roster, unexpected, unidentified -----------------
    entries: list[Entry] = []
    if parent is not None:
        entries.append(Entry(parent.entity_id, porg.organization_name if porg else None,
                             "parent", "", parent, share=1.0,
                             entity_name_zh=porg.organization_name_zh if porg else None))
    for eid, rec in roster.items():
        items = by_entity.get(eid, [])
        if not items:
            findings.append(GroupFinding(
                _f("entity-missing", "error", Sheet.SUBSIDIARIES, field_name="entity_id",
                   value=eid, entity_id=eid), eid, None, None))
            entries.append(Entry(eid, rec.get("entity_name"), "subsidiary", "missing",
                                 entity_name_zh=rec.get("entity_name_zh")))
        for item in items:
            if parent is not None and item.index == parent.index:
                continue
            own_zh = item.organization.organization_name_zh if item.organization else None
            entries.append(Entry(eid, rec.get("entity_name"), "subsidiary", "", item,
                                 entity_name_zh=own_zh or rec.get("entity_name_zh")))
    listed = {e.inspected.index for e in entries if e.inspected}
    rest = sorted((i for i in inspected if i.index not in listed),
                  key=lambda i: (i.entity_id is None, i.entity_id or "", i.file_name))
    for item in rest:
        if item.entity_id is None:
            entries.append(Entry(None, None, "unidentified", "", item))
            continue
        org = item.organization
        entries.append(Entry(item.entity_id, org.organization_name if org else None,
                             "unexpected" if parent is not None else "subsidiary", "", item,
                             entity_name_zh=org.organization_name_zh if org else None))
        if parent is not None:
            findings.append(GroupFinding(
                _f("entity-not-in-roster", "warning", Sheet.ORGANIZATION, field_name="entity_id",
                   value=item.entity_id, entity_id=item.entity_id, file=item.file_name),
                item.entity_id, item.file_name, item.index))
    listed_ids = {e.entity_id for e in entries}
    for entity in known:
        if entity.entity_id not in listed_ids:
            listed_ids.add(entity.entity_id)
            entries.append(Entry(entity.entity_id, entity.name,
                                 "unexpected" if parent is not None else "subsidiary",
                                 "missing", entity_name_zh=entity.name_zh))
    if parent is None and inspected:
        findings.append(GroupFinding(_f("parent-missing", "error")))

    # --- states ----------------------------------------------------------------------------
    excluded = {gf.index for gf in findings if gf.excludes}  # what the group errors took out
    for entry in entries:
        checked = entry.inspected
        if checked is None:
            continue
        item = checked
        # a group error that takes the file out (a second file of its entity) breaks it as its
        # own errors do, on the roster or off it: no report is built for it (docs/batch.md)
        broken = bool(item.errors) or item.organization is None or item.index in excluded
        if item.unreadable is not None:
            entry.state = "unreadable"
        elif entry.role == "unexpected":
            # Defined by the roster alone (docs/batch.md): a file the group did not ask for is
            # "unexpected" whether or not it validates; its counts still show its errors.
            entry.state = "unexpected"
        elif broken:
            entry.state = "invalid"
        else:
            entry.state = "valid_with_warnings" if item.warnings else "valid"
        entry.build = entry.state in OK_STATES or (entry.state == "unexpected" and not broken)

    # --- members and the checks across them --------------------------------------------------
    members: list[Member] = []
    member_items: dict[str, Inspected] = {}
    parent_entry = entries[0] if parent is not None else None
    if parent_entry is not None and parent_entry.state in OK_STATES and approach:
        assert parent is not None
        assert parent.pickle is not None
        assert porg is not None
        members.append(Member(porg.entity_id, porg.organization_name, parent.file_name,
                              parent.pickle, True, 1.0, True,
                              name_zh=parent_entry.entity_name_zh))
        member_items[porg.entity_id] = parent
        parent_entry.in_group = True
        for entry in entries[1:]:
            if entry.role != "subsidiary" or entry.state not in OK_STATES or \
                    entry.inspected is None:
                continue
            item = entry.inspected
            assert entry.entity_id is not None
            assert item.pickle is not None
            rec = roster[entry.entity_id]
            share, controlled = member_share(rec, approach)
            entry.in_group, entry.share = True, share
            members.append(Member(entry.entity_id, entry.entity_name, item.file_name,
                                  item.pickle, False, share, controlled,
                                  name_zh=entry.entity_name_zh))
            member_items[entry.entity_id] = item
        findings += _cross_checks(members, member_items, approach, parent)

    # --- folders -----------------------------------------------------------------------------
    folder_names = FolderNames()
    counts: dict[str | None, int] = {}
    for entry in entries:
        counts[entry.entity_id] = counts.get(entry.entity_id, 0) + 1
    for entry in entries:
        if entry.inspected is None or entry.inspected.unreadable is not None:
            continue
        item = entry.inspected
        stem = Path(item.file_name).stem
        if entry.entity_id is None:
            entry.folder = folder_names.take(f"unidentified.{stem}")
        elif counts[entry.entity_id] > 1:
            entry.folder = folder_names.take(f"{entry.entity_id}.{stem}")
        else:
            entry.folder = folder_names.take(entry.entity_id)
    for gf in findings:
        for entry in entries:
            if entry.inspected is not None and gf.index == entry.inspected.index:
                entry.group_findings.append(gf)
            elif gf.index is None and gf.entity_id == entry.entity_id and \
                    entry.state == "missing":
                entry.group_findings.append(gf)
    return Plan(entries, parent, members, findings, approach)


def _cross_checks(members: list[Member], items: dict[str, Inspected], approach: str,
                  parent: Inspected) -> list[GroupFinding]:
    out: list[GroupFinding] = []
    porg = parent.organization
    assert porg is not None
    # A project in two submissions is counted once, from the first member (parent, then the
    # roster's order); the later ones are reported and left out.
    claimed = claimed_earlier((m.entity_id, [str(p["project_id"]) for p in
                                             items[m.entity_id].projects]) for m in members)
    for m in members:
        item = items[m.entity_id]
        earlier = claimed[m.entity_id]
        for p in item.projects:
            pid = str(p["project_id"])
            if pid in earlier:
                out.append(GroupFinding(_f(
                    "project-in-two-submissions", "error", Sheet.PROJECTS, p.get("row"),
                    item.letters.get(Sheet.PROJECTS, {}).get("project_id"), "project_id", pid,
                    project_id=pid, entities=f"{earlier[pid]}, {m.entity_id}"),
                    m.entity_id, item.file_name, item.index))
        m.drop_projects = frozenset(earlier)

    rates = {str(r["currency"]).upper() for r in parent.fx if r.get("currency")}
    rates.add(porg.reporting_currency.upper())
    for m in members:
        if m.is_parent or m.share <= 0:
            continue  # the parent's own money is checked by its validation
        item = items[m.entity_id]
        assert item.organization is not None
        own = item.organization.reporting_currency.upper()
        for row in item.money:
            currency = row["currency"] or own
            if currency not in rates:
                out.append(GroupFinding(_f(
                    "fx-rate-missing", "error", row["sheet"], row["row"],
                    item.letters.get(row["sheet"], {}).get("currency"), "currency", currency,
                    reporting_currency=porg.reporting_currency),
                    m.entity_id, item.file_name, item.index))

    if approach != "equity_share":
        for m in members:
            if m.is_parent or not m.controlled:
                continue
            item = items[m.entity_id]
            for p in item.projects:
                if p.get(approach) is None:
                    out.append(GroupFinding(_f(
                        "control-missing", "error", Sheet.PROJECTS, p.get("row"),
                        item.letters.get(Sheet.PROJECTS, {}).get(approach), approach, None,
                        approach=approach, field_label=approach.replace("_", " ")),
                        m.entity_id, item.file_name, item.index))

    out += override_conflicts(members, items)
    return out


__all__ = ["GROUP_FOLDER", "BatchUsageError", "Entry", "GroupFinding", "KnownEntity", "Plan",
           "make_plan", "override_conflicts"]
