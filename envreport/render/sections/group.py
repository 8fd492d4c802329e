"""Group structure and submissions: each entity's own and consolidated figures, which
reconcile with the group total, and every submission with its SHA-256."""

from __future__ import annotations

from typing import Any

from envreport.findings import USABLE_STATES
from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText, total
from envreport.results import GroupResults, Results

#: the figures of the group's reconciliation tables, in their column order
GROUP_FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj")


def group_section(results: Results, text: FreeText) -> dict[str, Any] | None:
    """Entities and submissions of a group report; ``None`` for one entity's report.

    ``by_entity`` holds each entity's figures as consolidated (after its share); the report
    shows them beside the entity's own figures (before the share), so that a reader can
    reconcile both with the group total: the consolidated column sums to it.
    """
    if not isinstance(results, GroupResults):
        return None
    org = results.organization
    entities = []
    for e in results.by_entity:
        share = e.share
        consolidated = {k: getattr(e, k) for k in GROUP_FIGURES}
        own = {k: (x / share if x is not None and share else None)
               for k, x in consolidated.items()}
        # the parent's Chinese name is the group's (stored results may lack name_zh)
        name_zh = org.name_zh if e.entity_id == org.entity_id and org.name_zh else e.name_zh
        entities.append({
            "entity_id": e.entity_id,
            "name": text.pick(e.name, name_zh),
            "share": share,
            "controlled": e.controlled,
            "own": own,
            "consolidated": consolidated,
            # kept for templates that read the consolidated figures directly
            **consolidated,
        })
    totals = {k: total(*(e["consolidated"][k] for e in entities)) for k in GROUP_FIGURES}
    submissions = [
        {
            "entity_id": i.entity_id,
            "file_name": i.file_name,
            "sha256": i.sha256,
            "state": i.state,
            "state_label": v.label(v.INPUT_STATES, i.state),
            "included": i.state in USABLE_STATES,
        }
        for i in results.inputs
    ]
    return {
        "entities": entities,
        "totals": totals,
        "inputs": submissions,
        "included": [s for s in submissions if s["included"]],
        "not_included": [s for s in submissions if not s["included"]],
    }
