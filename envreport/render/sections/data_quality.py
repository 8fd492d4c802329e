"""Data quality: validation counts and findings, rows read per sheet, estimated share, and
how many free texts the Chinese report shows untranslated."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText, sheet_title
from envreport.results import Results
from envreport.schema import template_position

#: validation findings listed in the data-quality section (all are in the attached JSON)
FINDINGS_LIST_LIMIT = 50


def data_quality(results: Results, validation: dict[str, Any] | None, text: FreeText
                 ) -> dict[str, Any]:
    """The data-quality section; ``validation`` is the ``validate --format json`` object
    (without it, the counts stored in the results)."""
    report = validation or {}
    findings = report.get("findings") or []
    lang = text.lang
    return {
        "errors": report.get("errors", results.validation.errors),
        "warnings": report.get("warnings", results.validation.warnings),
        "validated_file": report.get("file"),
        "validated_sha256": report.get("sha256"),
        "rows": [
            {"sheet": sheet_title(sheet, lang), "read": c.get("read"),
             "accepted": c.get("accepted"), "rejected": c.get("rejected"),
             "blank": c.get("blank")}
            for sheet, c in sorted((report.get("rows") or {}).items(),
                                   key=lambda item: (template_position(item[0]), item[0]))
        ],
        "findings": [
            {"severity_label": v.label(v.SEVERITY_FINDING, f.get("severity")),
             "code": f.get("code"), "sheet": f.get("sheet"), "cell": f.get("cell"),
             "message": f.get("message")}
            for f in findings[:FINDINGS_LIST_LIMIT]
        ],
        "findings_total": len(findings),
        "findings_limit": FINDINGS_LIST_LIMIT,
        "estimated_share_pct": (results.data_quality.estimated_share_pct
                                if results.data_quality is not None else None),
        # counted after every other section has printed its free text
        "untranslated": text.untranslated if lang == "zh" else None,
    }
