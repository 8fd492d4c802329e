"""Regenerate the documentation that is derived from code (docs/findings.md, schemas/)."""

from pathlib import Path

from envreport.docs import findings_markdown
from envreport.schema.export import export_schemas

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    (ROOT / "docs" / "findings.md").write_text(findings_markdown(), encoding="utf-8")
    export_schemas(ROOT / "schemas")
    print("wrote docs/findings.md and schemas/")
