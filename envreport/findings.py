"""Findings: every problem with a submission, as data.

A finding has a stable ``code`` (kebab-case, documented in ``docs/findings.md``), a
severity, and a position: sheet, Excel row, column letter and contract field. Checks are
small functions that *yield* findings; validation collects them all (up to a limit).
Messages are English templates in :mod:`envreport.codes`, translated through the
``findings`` gettext catalogue, and formatted with the finding's ``params``.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from envreport.codes import Severity, hint_for, message_for
from envreport.exit_codes import EXIT_FAILED, EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DEFAULT_FINDING_LIMIT", "EXIT_FAILED", "EXIT_INVALID", "EXIT_OK", "Finding",
           "FindingError", "Findings", "Severity", "column_letter", "message_figure"]

# Enough to describe any real submission; beyond it more findings add noise, not insight.
DEFAULT_FINDING_LIMIT = 10_000
# The validation states whose accepted rows are used (built, consolidated, compared): one
# definition for batch, ledger, portal and the report's group section.
USABLE_STATES = ("valid", "valid_with_warnings")


class FindingError(Exception):
    """A problem that stops the work, described by one finding (as validation would report it).

    The CLI catches this one type, prints the finding's message and exits with
    :attr:`exit_code`; library callers read :attr:`finding`.
    """

    exit_code = EXIT_FAILED  # the file cannot be used at all

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message())
        self.finding = finding


def column_letter(index: int) -> str:
    """Return the Excel column letter for a 1-based column index (1 → A, 28 → AB)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def message_figure(number: float) -> str:
    """A figure a check computed, as a finding's message writes it: grouped, six significant
    digits below a million (``12,345.7``, ``0.523``), whole above (``1,795,706``); never
    in exponent notation, which ``g`` writes for what rounds to a million (``1e+06``) or
    is below 0.0001 (``1.5e-05``): the rounded figure is written out through Decimal."""
    if abs(number) >= 1e6:
        return f"{number:,.0f}"
    return format(Decimal(f"{number:.6g}"), ",f")


def row_ranges(rows: Sequence[int] | np.ndarray, shown: int) -> str:
    """Workbook rows (in any order, a repeat counted once) as ranges, the first ``shown``
    then "…" (``2–5, 8, 10–11, …``): a finding's rows and a citation's, written alike."""
    # numpy here, not at the top: a command's --help imports this module, never numpy
    import numpy

    ordered = numpy.unique(numpy.asarray(rows, dtype=numpy.int64))
    breaks = numpy.flatnonzero(numpy.diff(ordered) != 1) + 1
    starts = numpy.concatenate(([0], breaks))[:shown]
    ends = numpy.concatenate((breaks, [len(ordered)]))[:shown] - 1
    parts = [str(top) if top == bottom else f"{top}–{bottom}"
             for top, bottom in zip(ordered[starts].tolist(), ordered[ends].tolist(),
                                    strict=True)]
    if len(breaks) >= shown:
        parts.append("…")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a submission, at a position a person can go to."""

    code: str
    severity: Severity
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: Any = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def cell(self) -> str | None:
        """The A1 reference of the cell, or ``None`` for a finding about a sheet or file."""
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return None

    def message(self, lang: str = "en") -> str:
        """The finding's message in ``lang`` with its parameters filled in."""
        return message_for(self, lang)

    def hint(self, lang: str = "en") -> str:
        """How to fix it, in ``lang``."""
        return hint_for(self.code, lang, self)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The finding in the shape of ``validate --format json`` (README)."""
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": _json_value(self.value),
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


# A cell value is echoed in full up to this length; beyond it, cut (hostile input).
MAX_VALUE_CHARS = 1000


def _json_value(value: Any) -> Any:
    """Make a cell value JSON-friendly, keeping what the user typed (up to a length)."""
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        # NaN → null; ±inf (a cell holding 1e400) as text: JSON has no infinity
        return value if math.isfinite(value) else (None if value != value else str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def reading_order(finding: Finding) -> tuple[int, str, int, int, str, str]:
    """Where a reader meets ``finding``: the file's own findings first, then the template's
    sheets in order (a sheet outside the contract after them, by name), then the row, the
    column (A … Z, AA …) and the code. The one order every list of findings is in."""
    # imported on first use: reading a finding's message needs no schema
    from envreport.schema import template_position

    return (
        -1 if finding.sheet is None else template_position(finding.sheet),
        finding.sheet or "",
        finding.row or 0,
        len(finding.column or ""),
        finding.column or "",
        finding.code,
    )


@dataclass
class Findings:
    """An ordered collection of findings with a limit, and helpers for tests and reports."""

    items: list[Finding] = dataclasses.field(default_factory=list)
    limit: int = DEFAULT_FINDING_LIMIT
    truncated: bool = False

    def add(self, finding: Finding) -> None:
        if self._has_room():
            self.items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def insert(self, finding: Finding) -> None:
        """Add ``finding`` where :func:`reading_order` puts it among findings already in that
        order (after any it ties with), within the limit."""
        if self._has_room():
            bisect.insort(self.items, finding, key=reading_order)

    def _has_room(self) -> bool:
        """Whether one more finding is within the limit; when not, the list is truncated."""
        if len(self.items) >= self.limit:
            self.truncated = True
            return False
        return True

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.items)

    def flatten(self, keys: Sequence[str] = ("sheet", "cell", "code")) -> list[list[Any]]:
        """Findings as lists of the named attributes, in the collection's order (for tests).

        ``envreport.validate`` adds them in reading order: contract sheet, row, column, code.
        """
        return [[getattr(f, k) for k in keys] for f in self.items]
