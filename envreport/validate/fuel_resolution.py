"""The Fuel rows of one validated submission resolved to their factors and energy in one
call, for the checks that need them
(:func:`~envreport.validate.plausibility.generation_beyond_fuel`,
:func:`~envreport.validate.factor_checks.check_factors`): the rows either needs, never more.

Both ask :func:`envreport.factors.resolve.resolve_fuel` with the same library and the same
overrides (the Factors sheet's) about the same submission's Fuel rows; it answers each row
from that row's own cells and its project's sector and share, never from another row, so a
row resolved together with others is the row each check would have resolved alone. The
generation check needs every row of the projects that sell power from fuel (their energy,
quantity by quantity); the factor check one row of each distinct project, fuel, unit and
use (50 000 rows: a few dozen). Each call of ``resolve_fuel`` costs about as much as
resolving 20 000 rows (13 ms): one call for the union of both is cheaper than one each, and
resolving every row (76 000 rows, 60 ms) for a check that needs a few dozen is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from envreport.factors.library import load_library
from envreport.factors.resolve import parse_overrides, resolve_fuel, rows_of
from envreport.schema import Sheet
from envreport.submission import Submission

_T = TypeVar("_T")


def with_rows(submission: Submission, sheet: str, positions: np.ndarray) -> Submission:
    """``submission`` with only the rows of ``sheet`` at ``positions`` (table positions, in
    that order), numbered from 0."""
    frame = submission.tables[sheet]
    return replace(submission, tables={**submission.tables,
                                       sheet: frame.iloc[positions].reset_index(drop=True)})


class FuelResolution:
    """The Fuel rows of ``submission`` that the checks sharing it need, resolved
    (:func:`resolve_fuel`) at most once, in one call: on the first call of :meth:`rows`,
    together with every row that ``needs`` name (each, given this object, the ascending
    table positions of the rows a check will ask for)."""

    def __init__(self, submission: Submission,
                 *needs: Callable[[FuelResolution], np.ndarray]) -> None:
        self.submission = submission
        self._needs = needs
        self._answers: dict[Callable[[Submission], Any], Any] = {}
        self._positions: np.ndarray | None = None  # ascending; the rows of _rows
        self._rows: pd.DataFrame | None = None
        self.resolved = 0  # rows resolved so far (every call of resolve_fuel)

    def answer(self, question: Callable[[Submission], _T]) -> _T:
        """``question(submission)``, worked out once for every check that asks it (a need
        and its check ask the same)."""
        if question not in self._answers:
            self._answers[question] = question(self.submission)
        found: _T = self._answers[question]
        return found

    def rows(self, positions: np.ndarray) -> pd.DataFrame | None:
        """The Fuel rows at ``positions`` (ascending table positions) resolved, in that order
        and numbered from 0; ``None`` without a Fuel row. A row outside what the first call
        resolved (a check that named no need) is resolved then, with the others asked."""
        if rows_of(self.submission, Sheet.FUEL) is None or len(positions) == 0:
            return None
        if self._positions is None:
            wanted = [positions, *(need(self) for need in self._needs)]
            self._positions = np.unique(np.concatenate(wanted).astype(np.intp))
            self._rows = self._resolve(self._positions)
        if not np.isin(positions, self._positions).all():
            return self._resolve(positions)
        if self._rows is None:
            return None
        return self._rows.iloc[np.searchsorted(self._positions, positions)].reset_index(
            drop=True)

    def _resolve(self, positions: np.ndarray) -> pd.DataFrame | None:
        if len(positions) == 0:
            return None
        self.resolved += len(positions)
        own = with_rows(self.submission, Sheet.FUEL, positions)
        library = load_library()
        return resolve_fuel(own, library, parse_overrides(own, library))
