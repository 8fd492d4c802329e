"""Load test of the portal on loopback: N concurrent uploads, all recorded, with latencies.

    python scripts/portal_load.py                 # 20 concurrent uploads
    python scripts/portal_load.py --uploads 40 --workers 2
    python scripts/benchmark.py --portal 20       # the same, from the benchmark

A fresh ledger in a scratch folder (period 2024 open, one submitter for the sample
entities), ``envreport serve`` on 127.0.0.1 and a free port, then N uploads at once through
the JSON API, cycling through the bundled sample workbooks (the group's parent, SRE, SRI and
the faulty workbook), after one untimed warm-up upload. Each upload's latency runs from
sending the file to receiving its findings (the API answers with them). Meanwhile
``/health`` is polled; its slowest answer is reported. Afterwards the ledger must hold exactly
N new submissions: none lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "sample_inputs" / "group" / name for name in
           ("parent.xlsx", "sre.xlsx", "sri.xlsx")] + [
    ROOT / "sample_inputs" / "faulty" / "faulty_submission.xlsx"]
LOAD_USER, LOAD_PASSWORD = "erp", "erp-load-password"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, workdir: Path,
                 workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """``envreport serve`` on 127.0.0.1 and a free port (loopback only), once it answers
    /health: the process and its address. The caller stops it (:func:`stop_server`)."""
    import httpx2

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENVREPORT_SECRET": "load-" + "x" * 44}
    process = subprocess.Popen(
        [sys.executable, "-c", "from envreport.cli import main; main()", "serve", "--db",
         db_url, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx2.get(base + "/health", timeout=1).status_code == 200:
                return process, base
        except httpx2.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"the portal did not start: {output[-2000:]}")
        time.sleep(0.2)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server as a service manager would (SIGTERM), killing it after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def live_server(db_url: str, workdir: Path, workers: int = 2) -> Iterator[str]:
    """``envreport serve`` on 127.0.0.1 and a free port (loopback only), stopped afterwards."""
    process, base = start_server(db_url, workdir, workers)
    try:
        yield base
    finally:
        stop_server(process)


def seed_ledger(folder: Path) -> str:
    """An empty ledger with period 2024 open and a submitter for every sample entity."""
    from envreport.ledger import Ledger

    url = f"sqlite:///{folder / 'load.db'}"
    with Ledger(url) as ledger:
        ledger.open_period(2024, by="load")
        for entity, name in (("CSIG", "Group"), ("SRE", "Silk Road Energy"),
                             ("SRI", "Silk Road Infrastructure"), ("SREA", "East Africa")):
            ledger.add_entity(entity, name, by="load")
        ledger.add_user(LOAD_USER, "submitter", ["CSIG", "SRE", "SRI", "SREA"], LOAD_PASSWORD,
                        by="load")
    return url


async def _uploads(base: str, n: int) -> tuple[list[float], list[int], list[float]]:
    import httpx2

    async with httpx2.AsyncClient(base_url=base, timeout=600) as client:
        token = (await client.post("/api/v1/token", json={
            "username": LOAD_USER, "password": LOAD_PASSWORD})).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        contents = [(path.name, path.read_bytes()) for path in SAMPLES]
        # one untimed upload first: the worker processes have started and imported the
        # pipeline, as on a server that has been up for a while
        warm = await client.post("/api/v1/submissions", headers=headers,
                                 files={"workbook": (contents[0][0], contents[0][1], XLSX)})
        assert warm.status_code == 201, warm.text
        health: list[float] = []
        done = asyncio.Event()

        async def poll_health() -> None:
            while not done.is_set():
                started = time.perf_counter()
                answer = await client.get("/health")
                assert answer.status_code == 200
                health.append(time.perf_counter() - started)
                await asyncio.sleep(0.1)

        async def one(i: int) -> tuple[float, int]:
            name, content = contents[i % len(contents)]
            started = time.perf_counter()
            answer = await client.post("/api/v1/submissions", headers=headers,
                                       files={"workbook": (name, content, XLSX)})
            elapsed = time.perf_counter() - started
            if answer.status_code == 201:
                assert "findings" in answer.json()
            return elapsed, answer.status_code

        poller = asyncio.create_task(poll_health())
        results = await asyncio.gather(*(one(i) for i in range(n)))
        done.set()
        await poller
    return [r[0] for r in results], [r[1] for r in results], health


def run_load(n: int = 20, workers: int = 2, workdir: Path | None = None) -> dict[str, Any]:
    """Run the load test; return its figures (latencies in seconds)."""
    from envreport.ledger import Ledger

    folder = Path(workdir or tempfile.mkdtemp(prefix="envreport-portal-load-"))
    url = seed_ledger(folder)
    with live_server(url, folder, workers) as base:
        started = time.perf_counter()
        latencies, statuses, health = asyncio.run(_uploads(base, n))
        wall = time.perf_counter() - started
    with Ledger(url) as ledger:
        recorded = len(ledger.submissions()) - 1  # less the warm-up upload
    ordered = sorted(latencies)
    return {
        "uploads": n, "workers": workers, "recorded": recorded,
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_s": round(ordered[-1], 2), "wall_s": round(wall, 2),
        "health_max_ms": round(max(health) * 1000, 1) if health else None,
        "health_polls": len(health),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--uploads", type=int, default=20, help="concurrent uploads")
    parser.add_argument("--workers", type=int, default=2, help="portal worker processes")
    args = parser.parse_args(argv)
    figures = run_load(args.uploads, args.workers)
    print(json.dumps(figures, indent=2))
    print(f"{figures['recorded']}/{figures['uploads']} recorded; upload-to-findings p50 "
          f"{figures['p50_s']} s, p95 {figures['p95_s']} s; /health max "
          f"{figures['health_max_ms']} ms")
    return 0 if figures["recorded"] == figures["uploads"] else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
