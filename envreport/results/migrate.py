"""Stored results of an older ``schema_version`` read as the current version.

The ledger keeps every results.json it ever stored; this module is the one place that knows
how each version differs from the next. Each step is a pure function on the JSON dict.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from envreport.results.models import SCHEMA_VERSION


class UnknownSchemaVersionError(ValueError):
    """The stored results name a schema version this tool does not know (or a newer one)."""


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds ``comparison``, ``history`` and ``base_year``: ``null`` for old results.

    The figures of version 1 stay as they were computed (a v1 ``compliance.fines`` was scaled
    by the consolidation share; it is not recomputed: the inputs may be gone).
    """
    data["schema_version"] = "2"
    for key in ("comparison", "history", "base_year"):
        data.setdefault(key, None)
    return data


# from-version → the step to the next version
_STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"1": _v1_to_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a parsed results.json of any known version) as the current version.

    Returns a new dict; raises :class:`UnknownSchemaVersionError` for an unknown or newer
    version.
    """
    version = str(data.get("schema_version"))
    out = copy.deepcopy(data)
    while version != SCHEMA_VERSION:
        step = _STEPS.get(version)
        if step is None:
            raise UnknownSchemaVersionError(
                f"results schema_version {version!r} is not one this tool reads "
                f"(it reads up to {SCHEMA_VERSION!r})")
        out = step(out)
        version = str(out["schema_version"])
    return out
