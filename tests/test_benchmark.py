"""scripts/benchmark.py's batch measurement, with a stub in place of ``envreport batch``: which
runs it makes, in which order, and what it keeps of them (no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_script

benchmark = load_script("benchmark")

# Stands for one batch run: logs its worker count, fails if the run before left its output
# folder (every run must start from none), and holds (n × 40) MiB in the n-th run.
STUB = """\
import sys
from pathlib import Path

log, workers, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
done = log.read_text().split() if log.exists() else []
log.write_text(" ".join([*done, workers]))
if out.exists():
    sys.exit(4)
out.mkdir()
held = b"x" * ((len(done) + 1) * 40 << 20)
"""


def test_the_batch_benchmark_alternates_the_worker_counts_repeat_times(tmp_path: Path) -> None:
    group = tmp_path / "bench_group_3"
    group.mkdir()
    (group / "parent.xlsx").touch()  # the group exists: none is generated
    stub, log = tmp_path / "stub.py", tmp_path / "runs.txt"
    stub.write_text(STUB)

    def command(folder: Path, out: Path, workers: int, pdf: bool, db: Path | None
                ) -> list[str]:
        assert (folder, pdf, db) == (group, True, None)
        return [sys.executable, str(stub), str(log), str(workers), str(out)]

    records = benchmark.run_batch_benchmark(3, tmp_path, pdf=True, repeat=3, command=command)

    assert log.read_text().split() == ["1", "2", "1", "2", "1", "2"]
    assert [(r["workers"], r["runs"], r["exit_code"]) for r in records] == [(1, 3, 0), (2, 3, 0)]
    for r in records:
        assert len(r["seconds_runs"]) == len(r["cpu_s_runs"]) == 3
        assert r["seconds"] == min(r["seconds_runs"])
        assert (r["subsidiaries"], r["pdf"], r["ledger"]) == (3, True, False)
    # the largest of each count's runs: the 5th run (200 MiB) and the 6th (240 MiB), each
    # above the interpreter's own 10-30 MiB
    assert 200 < records[0]["largest_process_rss_mib"] < 240
    assert 240 < records[1]["largest_process_rss_mib"] < 280


def _run(seconds: float, rss: int, exit_code: int = 0, stderr: str = "") -> dict[str, Any]:
    return {"seconds": seconds, "cpu_s": seconds - 0.5, "load_before": 1.0,
            "exit_code": exit_code, "peak_tree_rss_mib": rss + 100,
            "largest_process_rss_mib": rss, "stderr": stderr}


def test_the_fastest_run_is_kept_with_the_largest_memory_of_all() -> None:
    kept = benchmark.fastest_batch_run([_run(20.4, 410), _run(18.9, 402), _run(19.6, 415)])

    assert kept == {"seconds": 18.9, "cpu_s": 18.4, "load_before": 1.0, "exit_code": 0,
                    "peak_tree_rss_mib": 515, "largest_process_rss_mib": 415, "stderr": "",
                    "runs": 3, "seconds_runs": [20.4, 18.9, 19.6],
                    "cpu_s_runs": [19.9, 18.4, 19.1]}


def test_a_failed_run_is_reported_even_when_another_run_was_faster() -> None:
    kept = benchmark.fastest_batch_run([_run(18.0, 400), _run(19.0, 400, 1, "MemoryError")])

    assert (kept["seconds"], kept["exit_code"], kept["stderr"]) == (18.0, 1, "MemoryError")


def test_a_run_that_failed_early_is_not_the_fastest_time() -> None:
    """A run that crashed after 2 s is no time of the batch: the fastest of the runs that
    ended well is kept (19.0 s), the failure still reported."""
    kept = benchmark.fastest_batch_run([_run(2.0, 90, 1, "Traceback"), _run(19.5, 400),
                                        _run(19.0, 410)])

    assert (kept["seconds"], kept["cpu_s"], kept["exit_code"], kept["stderr"]) == (
        19.0, 18.5, 1, "Traceback")
    assert (kept["seconds_runs"], kept["largest_process_rss_mib"]) == ([2.0, 19.5, 19.0], 410)
    # every run failed: the fastest of them, its failure
    every_failed = benchmark.fastest_batch_run([_run(3.0, 90, 1, "a"), _run(2.0, 90, 2, "b")])
    assert (every_failed["seconds"], every_failed["exit_code"], every_failed["stderr"]) == (
        2.0, 1, "a")


def test_the_speedup_is_the_ratio_of_the_fastest_runs() -> None:
    records = [{"workers": 1, "seconds": 36.0}, {"workers": 2, "seconds": 19.2}]

    assert benchmark.batch_speedup(records) == pytest.approx(1.875)
    assert benchmark.batch_speedup(records[:1]) is None
