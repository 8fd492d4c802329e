"""Values from a workbook written back out, inert: spreadsheet cells and CSV fields.

Every value that came from a submission is hostile: a project name ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` must reach the reader of our outputs as the text it is, never as a live
formula. Two helpers, one per output kind:

- :func:`csv_safe` — a CSV field. A text field that begins with ``=``, ``+``, ``-``, ``@``, tab
  or carriage return is prefixed with ``'`` (OWASP "CSV Injection" guidance), so a
  spreadsheet program shows it as text. Numbers we computed are written as numbers.
- :func:`set_text_cell` / :func:`set_cell` — an openpyxl cell. Text is stored as a string cell
  (``data_type = "s"``), which openpyxl writes as a shared string, never as ``<f>``; characters
  XML 1.0 cannot carry are dropped and the text is cut to Excel's 32,767-character limit, so
  writing never fails on data.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

#: first characters that make a spreadsheet program read a CSV field as a formula (OWASP)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: the longest text an Excel cell holds
EXCEL_MAX_TEXT = 32_767

#: Unicode's explicit direction controls: the embeddings and overrides (U+202A–U+202E) and
#: the isolates (U+2066–U+2069). Invisible, they change how the text after them shows: a name
#: with U+202E shows its letters (and a number its digits) in reverse order ("Trojan
#: Source", CVE-2021-42574), and one left open reaches past the name into the page around it.
#: Right-to-left text (Arabic, Urdu, Hebrew) shows right without them (Unicode's
#: bidirectional algorithm); the marks U+200E/U+200F, which open nothing, are not among them.
DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DIRECTION_CONTROL = re.compile(f"[{DIRECTION_CONTROLS}]")


def holds_direction_control(text: str) -> bool:
    """Whether ``text`` holds one of :data:`DIRECTION_CONTROLS`."""
    return _DIRECTION_CONTROL.search(text) is not None


def without_direction_controls(text: str) -> str:
    """``text`` without :data:`DIRECTION_CONTROLS`."""
    return _DIRECTION_CONTROL.sub("", text)


_SPACES = re.compile(r"\s+")


def one_line(value: object, limit: int) -> str | None:
    """Workbook text a citation carries (a supplier, a document, a rate's source): on one
    line, without direction controls, cut to ``limit`` characters (with "…"); ``None`` if
    blank. A long or many-line cell must not stretch a table or a citation."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _SPACES.sub(" ", without_direction_controls(str(value))).strip()
    if not text:
        return None
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# Control characters XML 1.0 forbids (openpyxl raises IllegalCharacterError on them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def csv_safe(value: Any) -> Any:
    """``value`` as a CSV field that no spreadsheet program evaluates.

    ``None`` becomes ``""``; finite ints and floats (our own figures) stay numbers; anything
    else becomes text, prefixed with ``'`` when it begins with a formula trigger.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> str:
    """Any value as text an xlsx cell can carry (illegal XML characters dropped, capped)."""
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    return _ILLEGAL_XML.sub("", text)[:EXCEL_MAX_TEXT]


def set_text_cell(cell: Any, value: Any) -> Any:
    """Store ``value`` in an openpyxl ``cell`` as a string cell — never a formula."""
    cell.value = None if value is None else cell_text(value)
    if value is not None:
        cell.data_type = "s"  # after the assignment: openpyxl infers "f" for text starting "="
    return cell


def set_cell(cell: Any, value: Any) -> Any:
    """Store ``value`` in ``cell``: finite numbers as numbers, everything else as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return set_text_cell(cell, str(value))
        if isinstance(value, int) and abs(value) >= 10**15:  # beyond Excel's 15 digits
            return set_text_cell(cell, str(value))
        cell.value = value
        return cell
    return set_text_cell(cell, value)
