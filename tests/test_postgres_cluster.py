"""The test cluster ends with the process that started it, even one killed by SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.postgres_watchdog import process_start_time, stop_cluster

ROOT = Path(__file__).resolve().parent.parent

# Starts a cluster as the fixture does, says where, then waits to be killed. With "fork", it
# first forks (no exec) a process that inherits the watchdog's pipe and outlives it.
CHILD = """
import json, os, sys, time
from tests.postgres_cluster import PostgresUnavailableError, start_cluster
try:
    cluster = start_cluster()
except PostgresUnavailableError as error:
    print("unavailable", error, flush=True)
    sys.exit(0)
forked = os.fork() if sys.argv[1:] == ["fork"] else None
if forked == 0:
    time.sleep(600)
    os._exit(0)
print("started", json.dumps([str(cluster.folder), cluster.pg_ctl, cluster.run_as, forked]),
      flush=True)
time.sleep(600)
"""


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _start_cluster_in_child(*args: str) -> tuple[subprocess.Popen[str], Path,
                                                 tuple[str, list[str]], int | None]:
    """The child, its cluster's folder, the ``pg_ctl`` and ``run_as`` that stop it, and the
    pid of the process it forked, if asked to fork one."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    with child.stdout:  # one line, then the child only sleeps
        word, _, rest = child.stdout.readline().strip().partition(" ")
    if word != "started":
        child.wait(timeout=30)
        pytest.skip(f"PostgreSQL tests skipped: {rest or 'the child started no cluster'}")
    folder, pg_ctl, run_as, forked = json.loads(rest)
    return child, Path(folder), (pg_ctl, run_as), forked


@pytest.mark.parametrize("fork", [False, True], ids=["alone", "with-a-forked-child"])
def test_a_sigkilled_owner_leaves_no_cluster_behind(fork: bool) -> None:
    # With a forked child holding the pipe open, only the pid poll can see the owner end.
    child, folder, cluster, forked = _start_cluster_in_child(*(["fork"] if fork else []))
    assert (forked is not None) == fork
    try:
        postmaster = int((folder / "data" / "postmaster.pid").read_text().split()[0])
        assert process_start_time(postmaster) is not None
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        gone = _wait_until(lambda: process_start_time(postmaster) is None
                           and not folder.exists(), 15)
        assert gone, f"postmaster {postmaster} or {folder} still there after its owner was killed"
    finally:
        # Should the watchdog fail, this test must not leave the cluster behind itself.
        child.kill()
        child.wait()
        if forked is not None:
            os.kill(forked, signal.SIGKILL)
        stop_cluster(folder, *cluster)


def test_a_killed_owner_not_yet_reaped_is_seen_as_ended() -> None:
    # A zombie still answers kill(pid, 0): the watchdog reads its state instead.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    assert _wait_until(lambda: Path(f"/proc/{child.pid}/stat").read_text().split(") ")[1][0]
                       == "Z", 10)
    assert process_start_time(child.pid) is None
    child.wait()
    assert process_start_time(os.getpid()) is not None
