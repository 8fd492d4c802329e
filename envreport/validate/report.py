"""The validation report: the object ``envreport validate --format json`` prints (README)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envreport.findings import Finding
from envreport.io.safety import UnreadableWorkbookError
from envreport.submission import Submission


def validation_report(submission: Submission, lang: str = "en") -> dict[str, Any]:
    """The cli.md object for a workbook that could be read."""
    findings = submission.findings
    return {
        "file": submission.source.name,
        "sha256": submission.source.sha256,
        "valid": submission.valid,
        "errors": len(findings.errors),
        "warnings": len(findings.warnings),
        "truncated": findings.truncated,
        "rows": {sheet: count.to_dict() for sheet, count in submission.rows.items()},
        "findings": [finding.to_dict(lang) for finding in findings],
    }


def unreadable_finding(error: UnreadableWorkbookError) -> Finding:
    """The ``unreadable-file`` finding the error carries."""
    return error.finding


def unreadable_report(error: UnreadableWorkbookError, lang: str = "en",
                      sha256: str | None = None) -> dict[str, Any]:
    """The cli.md object for a file that cannot be read as a workbook: one finding."""
    return {
        "file": Path(error.path).name,
        "sha256": sha256,
        "valid": False,
        "errors": 1,
        "warnings": 0,
        "truncated": False,
        "rows": {},
        "findings": [unreadable_finding(error).to_dict(lang)],
    }
