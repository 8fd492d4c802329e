"""Demo data for ``envreport serve --demo``: the bundled group sample in an empty ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from envreport.ledger.accounts import DEMO_ACTOR
from envreport.resources import resource_dir

DEMO_PERIOD = 2024
DEMO_FILES = ("parent.xlsx", "sre.xlsx", "sri.xlsx")


def seed_demo(ledger: Any) -> Iterator[str]:
    """Open the demo period and record the sample workbooks, unless submissions exist."""
    if not ledger.is_open(DEMO_PERIOD):
        ledger.open_period(DEMO_PERIOD, by=DEMO_ACTOR)
        yield f"opened period {DEMO_PERIOD}"
    if ledger.submissions():
        yield "the ledger has submissions already: no demo data added"
        return
    folder = resource_dir("sample_inputs") / "group"
    for name in DEMO_FILES:
        record = ledger.record(folder / name, by=DEMO_ACTOR, source="cli")
        yield f"recorded {name}: {record.entity_id} {record.outcome}"
