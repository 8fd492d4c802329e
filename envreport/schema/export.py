"""JSON Schemas of the workbook's sheets, exported from the models.

``schemas/`` in the repository holds the output of :func:`export_schemas`; a test fails
when the committed files drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from envreport.schema.registry import SHEETS

SCHEMA_BASE = "https://envreport.invalid/schemas/workbook/v1/"


def sheet_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one sheet's rows."""
    spec = next(s for s in SHEETS if s.name == name)
    schema = spec.model.model_json_schema(mode="validation")
    schema["$id"] = f"{SCHEMA_BASE}{spec.name}.schema.json"
    schema["title"] = spec.name
    schema["description"] = spec.instructions
    schema["x-required-sheet"] = spec.required
    schema["x-layout"] = "key-value" if spec.key_value else "table"
    return schema


def schema_files() -> dict[str, str]:
    """File name → JSON text for every sheet, plus an index."""
    files: dict[str, str] = {}
    listed: list[dict[str, Any]] = []
    index = {"title": "envreport submission workbook, contract version 1", "sheets": listed}
    for spec in SHEETS:
        file_name = f"{spec.name}.schema.json"
        files[file_name] = json.dumps(sheet_schema(spec.name), ensure_ascii=False, indent=2,
                                      sort_keys=True) + "\n"
        listed.append({"sheet": spec.name, "schema": file_name, "required": spec.required})
    files["index.json"] = json.dumps(index, ensure_ascii=False, indent=2) + "\n"
    return files


def export_schemas(out_dir: Path | str) -> list[Path]:
    """Write every sheet's JSON Schema into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
