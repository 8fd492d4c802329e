"""Many submissions in one run: per-entity reports, the consolidated group, a status board.

``envreport batch`` calls :func:`run_batch`; docs/batch.md describes the output layout, the
states and the consolidation rules.
"""

from envreport.batch.isolate import Limits
from envreport.batch.plan import BatchUsageError, KnownEntity
from envreport.batch.run import (
    BatchInterruptedError,
    BatchOutcome,
    BatchProgress,
    ProgressStep,
    default_workers,
    run_batch,
)

__all__ = ["BatchInterruptedError", "BatchOutcome", "BatchProgress", "BatchUsageError",
           "KnownEntity", "Limits", "ProgressStep", "default_workers", "run_batch"]
