"""Two admins opening (closing) a period at the same instant record one event, one entry.

The opening read the period's newest event, then wrote the next one; at PostgreSQL's read
committed both writers read "not open" before either wrote, and both wrote an opening and
a ``period.open`` audit entry. Here both are held after their read until the other has read
too, so the race happens every run on PostgreSQL; SQLite queues its writers (``BEGIN
IMMEDIATE``): the second reads only after the first has written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select, text

from envreport.ledger import Ledger
from envreport.ledger import tables as t


@contextmanager
def both_read_first(ledger: Ledger) -> Iterator[list[bool]]:
    """While open, a thread that has read a period's newest event waits (up to 2 s) for a
    second to have read it too. Yields ``[True]`` if two met so, ``[]`` if not (SQLite)."""
    met: list[bool] = []
    barrier = threading.Barrier(2, timeout=2)

    def hold(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM period_events" in statement and "LIMIT" in statement:
            try:
                barrier.wait()
                met[:] = [True]
            except threading.BrokenBarrierError:  # the other writer waits for the lock
                pass

    event.listen(ledger.engine, "after_cursor_execute", hold)
    try:
        yield met
    finally:
        event.remove(ledger.engine, "after_cursor_execute", hold)


def _race(ledger: Ledger, act: Any) -> list[bool]:
    answers: list[bool] = []

    def run() -> None:
        answers.append(act())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(answers)


def test_two_opening_a_period_at_once_record_one_opening(ledger_url: str) -> None:
    with Ledger(ledger_url) as ledger:
        with both_read_first(ledger) as met:
            opened = _race(ledger, lambda: ledger.open_period(2030, by="adm"))
        # PostgreSQL: both read "never opened" before either wrote; SQLite: one after the other
        assert met == ([True] if ledger.engine.dialect.name == "postgresql" else [])
        assert opened == [False, True]
        with both_read_first(ledger):
            closed = _race(ledger, lambda: ledger.close_period(2030, by="adm"))
        assert closed == [False, True]
        assert [(p["year"], p["state"]) for p in ledger.periods()] == [(2030, "closed")]
        assert [(e["action"], e["detail"]) for e in reversed(ledger.audit_log(10))] == [
            ("period.open", {"year": 2030}), ("period.closed", {"year": 2030})]
        with ledger.engine.connect() as connection:
            assert connection.execute(select(t.period_events.c.state, t.period_events.c.seq)
                                      .order_by(t.period_events.c.id)).all() == [
                ("open", 1), ("closed", 2)]


def test_an_older_ledgers_period_events_are_numbered_in_their_order(ledger_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from envreport.ledger.store import MIGRATIONS

    with Ledger(ledger_url) as ledger:
        for year, opening in ((2023, True), (2024, True), (2023, False), (2023, True)):
            (ledger.open_period if opening else ledger.close_period)(year, by="adm")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with ledger.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")  # before period_events.seq
    with Ledger(ledger_url) as ledger:  # opening upgrades it: each year's events numbered
        with ledger.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT year, state, seq FROM period_events ORDER BY id")).all() == [
                (2023, "open", 1), (2024, "open", 1), (2023, "closed", 2), (2023, "open", 3)]
        assert ledger.close_period(2023, by="adm") is True  # the next place: 4
        assert ledger.open_period(2023, by="adm") is True
        assert [(p["year"], p["state"]) for p in ledger.periods()] == [
            (2023, "open"), (2024, "open")]
