"""The ``envreport`` command's entry point (also ``python -m envreport``).

It only imports :mod:`envreport.cli` and runs it, so that Ctrl-C while Python imports the
CLI (typer, rich, the console: the first fifth of a second) ends as it does later — one
line and exit code 2 — and not in Python's traceback and a death by SIGINT.
"""

from __future__ import annotations

import sys

from envreport.exit_codes import EXIT_FAILED, INTERRUPTED


def main() -> None:
    """Run the CLI (:func:`envreport.cli.main`)."""
    try:
        from envreport.cli import main as run_cli
    except KeyboardInterrupt:
        # what envreport.cli.main says for Ctrl-C, written without its console: the console
        # is among the modules that were being imported
        sys.stderr.write(f"error: {INTERRUPTED}\n")
        raise SystemExit(EXIT_FAILED) from None
    run_cli()


if __name__ == "__main__":
    main()
