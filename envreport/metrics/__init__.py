"""Metrics: every figure of the report from a validated submission, with its trail.

``compute(submission)`` returns the complete results.json content (spec/results.md).
"""

from envreport.metrics.engine import compute

__all__ = ["compute"]
