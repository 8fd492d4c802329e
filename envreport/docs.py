"""Documentation that is generated from the code, so that it cannot drift.

``docs/findings.md`` is the table of finding codes; ``scripts/gen_docs.py`` writes it and
``tests/test_docs.py`` fails when the committed file differs.
"""

from __future__ import annotations

from envreport.codes import CODES
from envreport.i18n import gettext

_SCOPES = {
    "file": "the file", "sheet": "a sheet", "column": "a header cell", "cell": "a cell",
    "row": "a row", "group": "a group batch",
}


def findings_markdown() -> str:
    """The finding-code table in Markdown."""
    lines = [
        "# Finding codes",
        "",
        "Every problem envreport reports has a stable code. Tools and auditors may key on it;",
        "the wording of messages may improve. This page is generated from `envreport/codes.py`",
        "(`python scripts/gen_docs.py`); a test fails when it is out of date.",
        "",
        "Severity `error` means the row (or the file) is not used and nothing is built until it",
        "is fixed; `warning` means the value was used but deserves a look.",
        "",
        "| code | severity | at | title | what it means | how to fix it | 中文说明 |",
        "|---|---|---|---|---|---|---|",
    ]
    for code in CODES.values():
        message = code.message + (f" For one: {code.message_one}" if code.message_one else "")
        cells = [f"`{code.code}`", code.severity, _SCOPES.get(code.scope, code.scope),
                 code.title, message, code.hint, gettext(code.title, "zh")]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
