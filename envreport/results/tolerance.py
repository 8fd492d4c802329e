"""How far a target's stated base value may be from its base year's figure: one rule for the
check that warns (``target-base-value-differs``, computed in :mod:`envreport.metrics.targets`),
the ledger's ``base_value_differs`` and the report's wording, which must never contradict
each other. Here, beside the results model, so that every stage that reads results can
apply it without importing the metrics."""

from __future__ import annotations

# A base value is usually stated rounded (to the tonne, to three significant digits), never
# 0.5 % off (docs/methodology.md).
BASE_VALUE_TOLERANCE_PCT = 0.5


def differs(stated: float, computed: float) -> bool:
    """Whether a stated base value is more than :data:`BASE_VALUE_TOLERANCE_PCT` of the
    computed figure away from it (any difference when the figure is 0)."""
    return abs(stated - computed) > BASE_VALUE_TOLERANCE_PCT / 100.0 * abs(computed)
