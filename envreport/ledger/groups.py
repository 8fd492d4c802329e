"""A consolidated group's entity id in the ledger, ``<parent>:group``.

Its own module so that the comparison (:mod:`envreport.ledger.compare`) tells a group's
periods apart without importing the ledger that imports it (no import cycle).
"""

from __future__ import annotations

GROUP_SUFFIX = ":group"


def group_entity_id(parent_entity_id: str) -> str:
    """The ledger's entity id for a parent's consolidated group."""
    return f"{parent_entity_id}{GROUP_SUFFIX}"


def is_group_entity(entity_id: str | None) -> bool:
    """Whether ``entity_id`` is a consolidated group's (:func:`group_entity_id`): a colon
    never occurs in an entity id of a workbook."""
    return entity_id is not None and entity_id.endswith(GROUP_SUFFIX)
