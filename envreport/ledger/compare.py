"""Periods compared: prior period, restatement, base year, history (placeholder)."""

from __future__ import annotations

from typing import Any


def entity_history(ledger: Any, entity: str) -> list[dict[str, Any]]:
    return []


def periods_sections(ledger: Any, results: dict[str, Any]) -> dict[str, Any]:
    return {"comparison": None, "history": None, "base_year": None}
