"""The ``envreport`` command's entry point (also ``python -m envreport``).

It only imports :mod:`envreport.cli` and runs it, so that Ctrl-C while Python imports the
CLI (typer, rich, the console: the first fifth of a second) ends as it does later — one
line and exit code 2 — and not in Python's traceback and a death by SIGINT.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI (:func:`envreport.cli.main`)."""
    try:
        from envreport.cli import main as run_cli
    except KeyboardInterrupt:
        # what envreport.cli.main says for Ctrl-C and its exit code (findings.EXIT_FAILED),
        # written out here: their modules are what was being imported
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(2) from None
    run_cli()


if __name__ == "__main__":
    main()
