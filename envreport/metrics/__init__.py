"""Metrics: every figure of the report from a validated submission, with its trail.

``compute(submission)`` returns the complete results.json content (docs/results.md). One
module per topic (:mod:`~envreport.metrics.ghg`, :mod:`~envreport.metrics.energy`,
:mod:`~envreport.metrics.environment`, ...); :mod:`~envreport.metrics.compute` puts them
together. Factor resolution lives in :mod:`envreport.factors.resolve`.
"""

from envreport.metrics.compute import compute
from envreport.metrics.targets import METRIC_FIGURES, base_value_finding, current_values

__all__ = ["METRIC_FIGURES", "base_value_finding", "compute", "current_values"]
