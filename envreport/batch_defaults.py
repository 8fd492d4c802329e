"""What one task of a batch (a workbook's reading, a report) may take unless told otherwise:
the defaults of ``envreport batch --timeout/--memory`` and of
:class:`envreport.batch.isolate.Limits`. Kept outside the batch package so that the CLI can
state them in its help without importing the batch (about half a second of imports)."""

#: wall-clock seconds one task may take
TASK_SECONDS = 600
#: megabytes of memory one task may use beyond the batch's own
TASK_MEMORY_MB = 4096
