"""The output contract, generated from the models: ``schemas/results.schema.json`` and
``docs/results.md``.

``scripts/gen_docs.py`` writes both; a test fails when a committed copy drifts.
"""

from __future__ import annotations

import inspect
import json
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
from pydantic import BaseModel

from envreport.results.models import (
    SCHEMA_VERSION,
    EntityEntry,
    GroupResults,
    InputState,
    Results,
    TrailEntry,
)

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
    # One file validates both outputs: a group's results.json is an entity's plus these keys,
    # optional here (an entity's has none of them) while every other key stays closed, so a
    # reader checking a group's file against this schema is not told it is invalid.
    for name in group_only_keys():
        schema["properties"][name] = defs["GroupResults"]["properties"][name]
    schema["$id"] = SCHEMA_ID
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def group_only_keys() -> list[str]:
    """The keys a group's results.json adds to an entity's, in their order."""
    return [name for name in GroupResults.model_fields if name not in Results.model_fields]


def results_schema_text() -> str:
    """:func:`results_schema` as the committed file's text."""
    return json.dumps(results_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_BASIC = {str: "string", float: "number", int: "integer", bool: "true/false",
          type(None): "null"}


def _type_name(annotation: Any) -> str:
    """A field's type as a reader of the JSON sees it (Markdown, no ``|``)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation in _BASIC:
        return _BASIC[annotation]
    if annotation is pd.DataFrame or origin is Annotated:
        return "list of [TrailEntry](#trailentry)"
    if origin in (Union, UnionType):
        return " or ".join(_type_name(arg) for arg in args)
    if annotation is Any:
        return "any JSON value"
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"object of {_type_name(args[0])} → {_type_name(args[1])}"
    if origin is Literal:
        return "one of " + ", ".join(f"`{arg}`" for arg in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return str(annotation)


def _model_section(model: type[BaseModel], heading: str) -> list[str]:
    # the whole docstring: what a key means beyond its name is said there (TargetEntry's
    # target_value, which the ledger can measure from a recalculated base year)
    lines = [f"### {heading}", "", inspect.cleandoc(model.__doc__ or ""), "",
             "| key | type |", "|---|---|"]
    for name, info in model.model_fields.items():
        lines.append(f"| `{name}` | {_type_name(info.annotation)} |")
    return [*lines, ""]


def results_markdown() -> str:
    """``docs/results.md``: the output contract, from the models (a test checks it is current)."""
    lines = [
        "# results.json (output contract, schema version " + SCHEMA_VERSION + ")",
        "",
        "`envreport build` writes `results.json` beside the report: every figure the report",
        "shows, machine-readable, so that auditors and other tools can check the report without",
        "reading HTML. This page is generated from the models in `envreport/results/`",
        "(`python scripts/gen_docs.py`); `schemas/results.schema.json` is the same contract as",
        "a JSON Schema. A test fails when either drifts from the code.",
        "",
        "Rules that hold for every key:",
        "",
        "- Key names are promises: keys are added, never renamed. `schema_version` changes when",
        "  the meaning of a key changes; stored results of an older version are read through",
        "  `envreport.results.load_results` (which migrates them).",
        "- Amounts are JSON numbers in the unit the key ends with (`_tco2e`, `_t`, `_gj`, `_m3`,",
        "  `_mwh`, `_pct`; money in the reporting currency), rounded to 12 significant digits.",
        "- A topic without input rows is `null`, never `0`.",
        "- `comparison`, `history` and `base_year` are `null` unless the build used the ledger",
        "  and it holds earlier periods of the entity (`envreport build --ledger`).",
        "- `calculations` has one entry per input row, gas and method that produced an",
        "  emission; `tco2e` is after the consolidation share, so every total is the sum of its",
        "  entries (`TrailEntry` below).",
        "- Keys appear in the order listed; the same input always gives the same bytes.",
        "",
        "A group's `results.json` (`envreport batch`) has every key of an entity's plus",
        "`inputs`, `by_entity` and `group_findings`; its `by_project`, `calculations` and",
        "`factor_overrides` entries carry the `entity_id` of the member they come from; its",
        "`exchange_rates` entries the parent's, whose FxRates convert every member's money.",
        "",
        "## The top level",
        "",
    ]
    lines += _model_section(Results, "Results")[2:]
    seen: set[str] = {"Results"}
    order: list[type[BaseModel]] = []

    def collect(model: type[BaseModel]) -> None:
        for info in model.model_fields.values():
            for candidate in _models_in(info.annotation):
                if candidate.__name__ not in seen:
                    seen.add(candidate.__name__)
                    order.append(candidate)
                    collect(candidate)

    collect(Results)
    if TrailEntry.__name__ not in seen:
        order.append(TrailEntry)
    lines += ["## Sections and entries", ""]
    for model in order:
        lines += _model_section(model, model.__name__)
    lines += ["## Group results", "", inspect.cleandoc(GroupResults.__doc__ or ""), "",
              "| key | type |", "|---|---|"]
    lines += [f"| `{name}` | {_type_name(GroupResults.model_fields[name].annotation)} |"
              for name in group_only_keys()]
    lines.append("")
    for model in (InputState, EntityEntry):
        lines += _model_section(model, model.__name__)
    return "\n".join(lines).rstrip() + "\n"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found += _models_in(arg)
    return found
