"""The suite's own scheduling under ``pytest -n 2``: the longest modules it names exist.

A module renamed or split without updating ``LONGEST_FIRST`` would silently lose its early
start and could end the run alone on one worker.
"""

from __future__ import annotations

from tests.conftest import LONGEST_FIRST, ROOT


def test_every_module_named_longest_first_exists_once() -> None:
    missing = [module for module in LONGEST_FIRST if not (ROOT / module).is_file()]
    assert missing == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
