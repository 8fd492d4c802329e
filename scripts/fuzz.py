"""Run the mutation fuzzer of tests/fuzzing.py over the sample workbooks.

    .venv/bin/python scripts/fuzz.py --long 2000            # 2000 mutants of every class
    .venv/bin/python scripts/fuzz.py --per-class 20 --classes number,text --seed 7

Each failing mutant is written to --keep (default ``fuzz-failures/``) under its name, with
the command's output beside it, so that it can become a named regression case. Exit code 1
when any mutant failed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import fuzzing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--long", type=int, metavar="N", help="N mutants per class")
    parser.add_argument("--per-class", type=int, default=25)
    parser.add_argument("--start", type=int, default=0, help="first mutant number")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classes", default=",".join(fuzzing.MUTATORS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    options = parser.parse_args()
    per_class = options.long or options.per_class
    classes = tuple(options.classes.split(","))
    tried: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    started = time.monotonic()

    def report(outcome: fuzzing.Outcome) -> None:
        cls = outcome.mutant.split("/")[0]
        tried[cls] += 1
        if sum(tried.values()) % 50 == 0:
            print(f"... {sum(tried.values())} commands, {sum(failed.values())} failed, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
        if outcome.problems:
            failed[cls] += 1
            print(f"FAIL {outcome.mutant} {' '.join(outcome.args[:-1])}: "
                  f"{'; '.join(outcome.problems)}", flush=True)
            options.keep.mkdir(parents=True, exist_ok=True)
            stem = outcome.mutant.replace("/", "-")
            mutant = fuzzing.make_mutant(*outcome.mutant.split("/")[0:1],
                                         int(outcome.mutant.split("/")[1]), options.seed)
            (options.keep / f"{stem}.xlsx").write_bytes(mutant.data)
            (options.keep / f"{stem}.{outcome.args[0]}.txt").write_text(
                f"{outcome.args}\nexit {outcome.code}, {outcome.seconds:.1f} s, "
                f"{outcome.peak_mb:.0f} MB\n--- stdout\n{outcome.stdout[-5000:]}\n"
                f"--- stderr\n{outcome.stderr[-5000:]}\n", encoding="utf-8")

    items = list(fuzzing.mutants(per_class, options.seed, classes, options.start))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill still prints the summary
    outcomes: list[fuzzing.Outcome] = []
    try:
        outcomes = fuzzing.run_campaign(items, jobs=options.jobs, on_outcome=report)
    except KeyboardInterrupt:
        print("interrupted: the counts below are what was run", flush=True)
    if outcomes:
        slowest = max(outcomes, key=lambda o: o.cpu)
        biggest = max(outcomes, key=lambda o: o.peak_mb)
        print(f"{len(items)} mutants, {len(outcomes)} commands in "
              f"{time.monotonic() - started:.0f} s; most CPU {slowest.cpu:.1f} s "
              f"({slowest.mutant}), largest {biggest.peak_mb:.0f} MB ({biggest.mutant})")
    for cls in classes:
        print(f"  {cls:15} {tried[cls]:5} commands, {failed[cls]} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
