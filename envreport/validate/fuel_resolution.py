"""The Fuel rows of one validated submission resolved to their factors and energy once, for
the checks that need them (:func:`~envreport.validate.plausibility.generation_beyond_fuel`,
:func:`~envreport.validate.factor_checks.check_factors`).

Both asked :func:`envreport.factors.resolve.resolve_fuel` with the same library and the same
overrides (the Factors sheet's) about the same submission's Fuel rows; it answers each row
from that row's own cells and its project's sector and share, never from another row, so a
row resolved for one check is the row the other would have resolved. The generation check
needs every row of the projects that sell power (their energy, quantity by quantity); the
factor check only the problem of each distinct project, fuel, unit and use, which it gets
from one row of each when nothing else resolved the rows (50 000 rows: a few dozen).
"""

from __future__ import annotations

import pandas as pd

from envreport.factors.library import load_library
from envreport.factors.resolve import parse_overrides, resolve_fuel
from envreport.submission import Submission


class FuelResolution:
    """Every Fuel row of ``submission`` resolved (:func:`resolve_fuel`, table order), at most
    once: on the first call of :meth:`rows`."""

    def __init__(self, submission: Submission) -> None:
        self._submission = submission
        self._rows: pd.DataFrame | None = None
        self._resolved = False

    def rows(self) -> pd.DataFrame | None:
        """Each Fuel row resolved (``None`` without a Fuel sheet)."""
        if not self._resolved:
            library = load_library()
            self._rows = resolve_fuel(self._submission, library,
                                      parse_overrides(self._submission, library))
            self._resolved = True
        return self._rows

    def if_resolved(self) -> pd.DataFrame | None:
        """The rows when a check has already resolved them, else ``None`` (not resolved
        here: the asker has a cheaper way to what it needs)."""
        return self._rows if self._resolved else None
