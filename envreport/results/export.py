"""The output contract, generated from the models: ``schemas/results.schema.json``.

``scripts/gen_docs.py`` writes the file; a test fails when the committed copy drifts.
"""

from __future__ import annotations

import json
from typing import Any

from envreport.results.models import SCHEMA_VERSION, GroupResults, Results, TrailEntry

SCHEMA_ID = f"https://envreport.invalid/schemas/results/v{SCHEMA_VERSION}/results.schema.json"


def results_schema() -> dict[str, Any]:
    """The JSON Schema of results.json (an entity's; a group's adds ``inputs``, ``by_entity``).

    The trail is a DataFrame in memory; in the file it is ``calculations``, a list of
    :class:`~envreport.results.TrailEntry`.
    """
    schema = Results.model_json_schema(mode="serialization")
    group = GroupResults.model_json_schema(mode="serialization")
    defs = schema.setdefault("$defs", {})
    for name, definition in group.get("$defs", {}).items():
        defs.setdefault(name, definition)
    defs["TrailEntry"] = TrailEntry.model_json_schema(mode="serialization")
    defs["GroupResults"] = {k: v for k, v in group.items() if k != "$defs"}
    for properties in (schema["properties"], defs["GroupResults"]["properties"]):
        properties["calculations"]["items"] = {"$ref": "#/$defs/TrailEntry"}
    schema["$id"] = SCHEMA_ID
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def results_schema_text() -> str:
    """:func:`results_schema` as the committed file's text."""
    return json.dumps(results_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
