"""The workbook kinds the user is told about are the ones read: every message that lists
them (the CLI's help, a batch's refusal, the portal's upload form and its refusals) names
exactly :data:`envreport.io.WORKBOOK_SUFFIXES`, in order, which decide what a batch searches
for, what the portal takes and what the CLI reads early."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from envreport.io import WORKBOOK_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
#: where the kinds are listed in words (translated, so written out rather than formatted)
LISTING_FILES = ("envreport/cli.py", "envreport/batch/plan.py", "envreport/portal/pages.py",
                 "templates/portal/upload.html")


def _listings(relative: str) -> list[str]:
    """The texts of ``relative`` that list workbook kinds (those naming .xlsm)."""
    source = (ROOT / relative).read_text(encoding="utf-8")
    if relative.endswith(".py"):
        texts = [node.value for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    else:
        texts = re.findall(r'_\("([^"]*)"\)', source)
    return [text for text in texts if ".xlsm" in text]


@pytest.mark.parametrize("relative", LISTING_FILES)
def test_every_listing_of_the_workbook_kinds_names_those_read(relative: str) -> None:
    listings = _listings(relative)
    assert listings, relative  # the file still lists them (else drop it from here)
    for text in listings:
        assert tuple(re.findall(r"(?<!\w)\.[a-z]+\b", text)) == \
            WORKBOOK_SUFFIXES, text
