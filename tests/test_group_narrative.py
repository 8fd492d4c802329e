"""A group report's own words: the parent's, and each member's on water and biodiversity,
cited by entity (GRI 303-1, 303-2 and 304-2 are not "unavailable" when a member gave them)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from bs4 import BeautifulSoup

from envreport.batch.consolidate import GroupTask, Member, merge
from envreport.metrics.narrative import narrative
from envreport.render import render_html
from envreport.submission import InputFile, Submission
from tests.conftest import sample_results
from tests.html_tables import row_cells


def _words(*rows: tuple[int, str, str]) -> Submission:
    table = pd.DataFrame({"row": pd.Series([r for r, _, _ in rows], dtype="int64"),
                          "topic": [t for _, t, _ in rows], "text": [x for _, _, x in rows],
                          "text_zh": [None] * len(rows)})
    return Submission(source=InputFile("x.xlsx", ""),
                      organization=SimpleNamespace(reporting_currency="USD"),  # type: ignore[arg-type]
                      tables={"Narrative": table})


def test_a_group_cites_its_members_words_on_water_and_biodiversity_after_the_parents() -> None:
    subs = {
        "CSIG": _words((2, "governance", "The board oversees."), (3, "water", "Group policy.")),
        # SRE's governance is not the group's; its water and biodiversity text is its sites'
        "SRE": _words((6, "governance", "SRE's board."), (4, "water", "Seawater cooling."),
                      (5, "biodiversity", "3.2 km from a park.")),
        "OUT": _words((2, "water", "Outside the boundary.")),  # no share, no control
    }
    members = [Member("CSIG", None, "p.xlsx", Path("p"), True, 1.0, True),
               Member("SRE", None, "s.xlsx", Path("s"), False, 1.0, True),
               Member("OUT", None, "o.xlsx", Path("o"), False, 0.0, False)]
    task = GroupTask(members, "operational_control", [], [], [], Path("unused"))
    merged = merge(task, load=lambda member: subs[member.entity_id])
    entries = narrative(merged)
    assert entries is not None
    assert [(e.entity_id, e.row, e.topic, e.text) for e in entries] == [
        (None, 2, "governance", "The board oversees."), (None, 3, "water", "Group policy."),
        ("SRE", 4, "water", "Seawater cooling."), ("SRE", 5, "biodiversity", "3.2 km from a park.")]
    # the parent's rows keep results.json's keys as they were; a member's names its entity
    assert "entity_id" not in entries[0].model_dump(exclude_unset=True)
    assert entries[2].model_dump(exclude_unset=True)["entity_id"] == "SRE"


def test_the_group_report_prints_a_members_words_by_entity_and_indexes_them() -> None:
    results = sample_results()
    results["narrative"] = [
        {"topic": "governance", "text": "The board oversees.", "text_zh": "董事会监督。", "row": 2},
        {"topic": "water", "text": "Seawater cooling.", "text_zh": "海水冷却。", "row": 4,
         "entity_id": "SRE"},
        {"topic": "biodiversity", "text": "3.2 km from a park.", "text_zh": None, "row": 5,
         "entity_id": "SRE"}]
    soup = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert soup.find(id="narrative-water").get_text(strip=True) == "SRE: Seawater cooling."
    assert soup.find(id="narrative-biodiversity").get_text(strip=True) == (
        "SRE: 3.2 km from a park.")
    assert row_cells(soup, "table-gri", "303-1")[2] == "Water"
    assert row_cells(soup, "table-gri", "303-2")[2] == "Water"
    assert row_cells(soup, "table-gri", "304-2")[2] == "Biodiversity and protected areas"
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    assert zh.find(id="narrative-water").get_text(strip=True) == "SRE：海水冷却。"
