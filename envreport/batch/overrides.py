"""A member's Factors override in the merged group, and the finding type of the group.

A Factors override applies to its own workbook only; merged into the group it would apply to
every member's rows. The rule that leaves such an override out (:func:`override_conflicts`)
is used by the batch's plan, by a group's earlier period consolidated again from the ledger
(:func:`~envreport.batch.consolidate.regrouped`) and by the group's base year
(:mod:`envreport.batch.base_year`): it lives below all three so that none of them imports
another to reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from envreport.batch.jobs import Inspected, override_slot
from envreport.codes import OVERRIDE_IN_GROUP, own_reason
from envreport.findings import Finding
from envreport.schema import Sheet

if TYPE_CHECKING:
    from envreport.batch.consolidate import Member


@dataclass
class GroupFinding:
    """A finding about the group, with the submission it points into (if any)."""

    finding: Finding
    entity_id: str | None = None
    file_name: str | None = None
    index: int | None = None  # the Inspected it points into
    excludes: bool = False  # takes that submission out of the group (state invalid)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"entity_id": self.entity_id, "file": self.file_name,
                **self.finding.to_dict(lang)}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two Factors rows are the identical override (slot, type, gas, value and unit
    alike, whatever their case): two members may share one without a conflict."""
    keys = ("factor_type", "gas", "value", "unit")
    return override_slot(a) == override_slot(b) and all(
        str(a.get(k) or "").lower() == str(b.get(k) or "").lower() for k in keys)


def override_conflicts(members: list[Member], items: dict[str, Inspected]
                        ) -> list[GroupFinding]:
    """A Factors override applies to its own workbook only; in the merged group it would
    apply to every member's rows. When another member uses the same fuel, grid or gas without
    the identical override, the override is left out of the group (library factor for all)
    and reported: each member's ``drop_override_rows``. The same rule consolidates a
    group's earlier period again from the ledger (:func:`consolidate.regrouped`)."""
    out: list[GroupFinding] = []
    dropped: set[tuple[str, str]] = set()
    for m in members:
        item = items[m.entity_id]
        for rec in item.overrides:
            slot = override_slot(rec)
            if slot is None:
                continue
            others = [o.entity_id for o in members if o.entity_id != m.entity_id
                      and slot[1] in items[o.entity_id].uses.get(slot[0], set())
                      and not any(_same(rec, x) for x in items[o.entity_id].overrides)]
            if others:
                dropped.add(slot)
                reason = own_reason(OVERRIDE_IN_GROUP, entities=", ".join(others))
                out.append(GroupFinding(Finding(
                    "override-invalid", "error", Sheet.FACTORS, rec.get("row"),
                    item.letters.get(Sheet.FACTORS, {}).get("key"), "key", rec.get("key"),
                    {"factor_type": rec.get("factor_type"), "key": rec.get("key"),
                     "reason": reason}),
                    m.entity_id, item.file_name, item.index))
    for m in members:
        rows = {int(r["row"]) for r in items[m.entity_id].overrides
                if override_slot(r) in dropped}
        m.drop_override_rows = frozenset(rows)
    return out


__all__ = ["GroupFinding", "override_conflicts"]
