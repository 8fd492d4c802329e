"""The reports built from the ledger (its ``report_builds`` table), as the comparisons read
them: which submission each report was built from and which it used, and when.

Apart from :mod:`envreport.ledger.api` (which reads the table) so that the comparisons
(:mod:`envreport.ledger.compare`, which :mod:`~envreport.ledger.api` calls) can ask these
questions of builds they have already read without importing it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = ["ReportBuild", "first_use", "used_by"]


@dataclass(frozen=True)
class ReportBuild:
    """A report built (``report_builds``): from ``submission_id``, using ``used``, ``at``."""

    submission_id: int
    used: tuple[int, ...]
    at: datetime


def first_use(builds: Iterable[ReportBuild], submission_ids: Iterable[int]
              ) -> dict[int, datetime]:
    """For each of ``submission_ids``: when one of ``builds`` first used it (if one did),
    built from it or comparing with it."""
    wanted = set(submission_ids)
    first: dict[int, datetime] = {}
    for build in builds:
        for submission_id in (build.submission_id, *build.used):
            if submission_id in wanted:
                first[submission_id] = min(first.get(submission_id, build.at), build.at)
    return first


def used_by(builds: Iterable[ReportBuild], submission_id: int) -> set[int]:
    """The submissions that ``builds`` from ``submission_id`` used."""
    return {used for build in builds if build.submission_id == submission_id
            for used in build.used}
