"""Check that two checkouts of envreport find the same things in the same workbooks.

    python scripts/compare_findings.py /work/main .               # samples + fuzz mutants
    python scripts/compare_findings.py OLD NEW --mutants 10 --extra /tmp/bench/bench_10000.xlsx

Every workbook under ``sample_inputs/`` and ``tests/`` (.xlsx, .xlsm, .ods), the
``--extra`` files and ``--mutants`` fuzz mutants of every class (tests/fuzzing.py, written
to a temporary folder) are validated by each checkout, in one fresh process per checkout
(``PYTHONPATH=checkout``), in English and Chinese: the exit code and the whole
``envreport validate --format json`` report (unreadable files included). Prints the files
whose reports differ; exit 1 when any does. A performance change must leave the count of
differences at 0. ``--text-may-differ zh`` compares the Chinese reports without the text of
their findings (every ``message`` and ``hint``), for a change of Chinese wording: the codes,
sheets, cells, values and exit codes must stay identical, and the reports that differ in
text only are counted apart.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".xlsx", ".xlsm", ".ods")

# Run inside each checkout: the validate command's JSON report and exit code for every file.
_PROBE = """
import json, sys
from typer.testing import CliRunner
from envreport.cli import app
runner = CliRunner()
out = {}
for path in sys.argv[1:]:
    for lang in ("en", "zh"):
        done = runner.invoke(app, ["validate", path, "--format", "json", "--lang", lang, "-q"])
        out[f"{path} [{lang}]"] = [done.exit_code, done.stdout]
print(json.dumps(out))
"""


def workbooks(extra: list[Path], mutants: int, folder: Path) -> list[Path]:
    """The files to compare: samples and test workbooks, ``extra``, fuzz mutants."""
    found = sorted(p for base in (ROOT / "sample_inputs", ROOT / "tests")
                   for p in base.rglob("*") if p.suffix.lower() in SUFFIXES)
    found += extra
    if mutants:
        sys.path.insert(0, str(ROOT / "tests"))
        import fuzzing

        for mutant in fuzzing.mutants(mutants, 0):
            path = folder / f"{mutant.name.replace('/', '-')}.xlsx"
            path.write_bytes(mutant.data)
            found.append(path)
    return found


def reports(checkout: Path, files: list[Path]) -> dict[str, list[object]]:
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    done = subprocess.run([sys.executable, "-c", _PROBE, *map(str, files)], env=env,
                          capture_output=True, text=True, check=True, cwd=checkout)
    answer: dict[str, list[object]] = json.loads(done.stdout.splitlines()[-1])
    return answer


def _without_text(report: list[object]) -> list[object]:
    """A report with the ``message`` and ``hint`` of every finding left out."""
    def strip(node: object) -> object:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("message", "hint")}
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    exit_code, stdout = report
    try:
        return [exit_code, strip(json.loads(str(stdout)))]
    except ValueError:  # not JSON: compared as printed
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument("--mutants", type=int, default=3, help="fuzz mutants per class")
    parser.add_argument("--text-may-differ", choices=("en", "zh"), action="append", default=[],
                        help="compare this language's reports without the findings' text")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="envreport-compare-") as folder:
        files = workbooks(args.extra, args.mutants, Path(folder))
        old, new = reports(args.old, files), reports(args.new, files)
    changed = sorted(key for key in old if old[key] != new.get(key))
    text_only = [key for key in changed if key in new
                 and any(key.endswith(f" [{lang}]") for lang in args.text_may_differ)
                 and _without_text(old[key]) == _without_text(new[key])]
    differ = [key for key in changed if key not in text_only]
    for key in differ:
        print(f"DIFFERS {key}\n  old: {str(old[key])[:400]}\n  new: {str(new.get(key))[:400]}")
    print(f"{len(old)} reports ({len(files)} files × en, zh): {len(differ)} differ"
          + (f", {len(text_only)} in the findings' text only" if args.text_may_differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
