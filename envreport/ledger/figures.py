"""A results document's numbers as flat ``key.path -> value`` figures.

The ledger stores these per submission and compares periods on them; kept apart from
:mod:`envreport.ledger.api` so that the comparison reads them without importing the
ledger that imports it (no import cycle).
"""

from __future__ import annotations

from typing import Any


def flatten_figures(results: dict[str, Any]) -> dict[str, float]:
    """Every number of results except the calculation trail, by key path.

    Lists of projects, countries and entities are keyed by their id:
    ``by_project.P1.scope1_tco2e``, ``by_country.PAK.scope1_tco2e``.
    """
    ids = {"by_project": "project_id", "by_country": "country", "by_entity": "entity_id"}
    out: dict[str, float] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            out[prefix] = float(value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and prefix in ids:
            for entry in value:
                if isinstance(entry, dict) and entry.get(ids[prefix]) is not None:
                    walk(f"{prefix}.{entry[ids[prefix]]}", entry)

    for key, value in results.items():
        if key not in ("calculations", "comparison", "history", "base_year"):
            walk(key, value)
    return out
