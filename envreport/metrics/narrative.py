"""The Narrative sheet: the enterprise's own words, by topic, for the report's sections."""

from __future__ import annotations

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import column_or_blank, text_list
from envreport.results.models import NarrativeEntry
from envreport.schema import Sheet
from envreport.submission import Submission


def narrative(submission: Submission) -> list[NarrativeEntry] | None:
    """Every Narrative row as ``{"topic", "text", "text_zh", "row"}``, in row order.

    ``None`` without the sheet (or without accepted rows): the report then tells "no
    statement given" apart from a statement. The report shows each row in its topic's section.
    """
    rows = rows_of(submission, Sheet.NARRATIVE)
    if rows is None:
        return None
    rows = rows.sort_values("row", kind="stable")
    return [NarrativeEntry(topic=topic or "other", text=text, text_zh=text_zh, row=row)
            for topic, text, text_zh, row in zip(
                text_list(rows["topic"]), text_list(rows["text"]),
                text_list(column_or_blank(rows, "text_zh")),
                rows["row"].astype("int64").tolist(), strict=True)]
