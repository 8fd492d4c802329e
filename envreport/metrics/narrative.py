"""The Narrative sheet: the enterprise's own words, by topic, for the report's sections."""

from __future__ import annotations

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import column_or_blank, text_list
from envreport.results.models import NarrativeEntry
from envreport.schema.sheets import NARRATIVE_TOPICS
from envreport.submission import Submission


def narrative(submission: Submission) -> dict[str, list[NarrativeEntry]] | None:
    """``{topic: [{"text", "text_zh", "row"}]}`` in row order; ``None`` without the sheet.

    Every topic of the contract is a key (an empty list when the sheet says nothing on it),
    so the report can tell "no statement" from "no sheet".
    """
    rows = rows_of(submission, "Narrative")
    if rows is None:
        return None
    rows = rows.sort_values("row", kind="stable")
    out: dict[str, list[NarrativeEntry]] = {topic: [] for topic in NARRATIVE_TOPICS}
    for topic, text, text_zh, row in zip(text_list(rows["topic"]), text_list(rows["text"]),
                                         text_list(column_or_blank(rows, "text_zh")),
                                         rows["row"].astype("int64").tolist(), strict=True):
        if topic in out:
            out[topic].append(NarrativeEntry(text=text, text_zh=text_zh, row=row))
    return out
