"""Regenerate the files that are derived from code (docs/findings.md, docs/units.md,
schemas/, envreport/unit_conversions.json, envreport/schema/iso_codes.json)."""

import json
from pathlib import Path

from envreport.docs import findings_markdown
from envreport.results.export import results_markdown, results_schema_text
from envreport.schema.export import export_schemas
from envreport.schema.iso_codes import ISO_CODES_FILE, iso_code_text
from envreport.units import CONVERSIONS_FILE, conversion_table, vocabulary_markdown

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    (ROOT / "docs" / "findings.md").write_text(findings_markdown(), encoding="utf-8")
    (ROOT / "docs" / "units.md").write_text(vocabulary_markdown(), encoding="utf-8")
    CONVERSIONS_FILE.write_text(json.dumps(conversion_table(), indent=1) + "\n",
                                encoding="utf-8")
    ISO_CODES_FILE.write_text(iso_code_text(), encoding="utf-8")
    export_schemas(ROOT / "schemas")
    (ROOT / "schemas" / "results.schema.json").write_text(results_schema_text(), encoding="utf-8")
    (ROOT / "docs" / "results.md").write_text(results_markdown(), encoding="utf-8")
    print("wrote docs/findings.md, docs/units.md, envreport/unit_conversions.json, "
          "envreport/schema/iso_codes.json and schemas/")
