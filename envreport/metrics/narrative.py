"""The Narrative sheet: the enterprise's own words, by topic, for the report's sections."""

from __future__ import annotations

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import column_or_blank, text_list
from envreport.results.models import NarrativeEntry
from envreport.schema import Sheet
from envreport.submission import Submission


def narrative(submission: Submission) -> list[NarrativeEntry] | None:
    """Every Narrative row as ``{"topic", "text", "text_zh", "row", "entity_id"}``, in row
    order (a group's: the parent's, then each member's words on water and biodiversity,
    ``entity_id`` naming the member).

    ``None`` without the sheet (or without accepted rows): the report then tells "no
    statement given" apart from a statement. The report shows each row in its topic's section.
    """
    rows = rows_of(submission, Sheet.NARRATIVE)
    if rows is None:
        return None
    # a group's: the parent's rows, then each member's (entity_id), each in its row order
    members = pd.factorize(column_or_blank(rows, "entity_id").fillna(""))[0]
    rows = rows.assign(_member=members).sort_values(["_member", "row"], kind="stable")
    # entity_id set only on a member's row: an entity's results.json stays as it was
    return [NarrativeEntry(topic=topic or "other", text=text, text_zh=text_zh, row=row,
                           **({"entity_id": entity_id} if entity_id else {}))
            for topic, text, text_zh, row, entity_id in zip(
                text_list(rows["topic"]), text_list(rows["text"]),
                text_list(column_or_blank(rows, "text_zh")),
                rows["row"].astype("int64").tolist(),
                text_list(column_or_blank(rows, "entity_id")), strict=True)]
