"""The exit codes of every envreport command, and the only ones (README, "Exit codes").

``EXIT_OK``: success (warnings allowed); ``EXIT_INVALID``: the submission has errors;
``EXIT_FAILED``: anything else that stops a command — a file that cannot be read as a
workbook, a misuse, an output that cannot be written, Ctrl-C, an internal error — each said
in one line (``error: ...``).

This module imports nothing: :mod:`envreport.__main__` reads it before the CLI is imported,
so that Ctrl-C during that import ends with the same line and code as later.
"""

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2
# What Ctrl-C prints after "error: ", wherever the command was when it came.
INTERRUPTED = "interrupted"
