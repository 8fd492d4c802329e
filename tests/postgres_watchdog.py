"""Stops a test cluster when the process that started it ends, however it ends.

``tests/postgres_cluster.py`` runs this file beside the cluster it starts:
``python postgres_watchdog.py OWNER_PID FOLDER PG_CTL [RUN_AS...]``. The postmaster runs
detached (``pg_ctl start``), so a pytest killed by a timeout or SIGKILL would leave it running
for ever with its folder in /tmp. The watchdog waits for the owner to end, then stops the
postmaster (``pg_ctl stop -m immediate``: it ends its backends and frees its shared memory and
socket) and removes the folder. After a normal teardown (``Cluster.stop``) the folder is
already gone and there is nothing left to do.

The owner holds the write end of the watchdog's stdin, which no other process receives
(``subprocess`` closes inherited descriptors): the kernel closes it when the owner exits, even
by SIGKILL, and the read here returns end-of-file at once. The owner's pid is polled as well,
for a child the owner forked without ``exec`` that would keep the pipe open.
Standard library only; it runs in its own session so that a signal sent to pytest's process
group does not end it too.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

POLL_SECONDS = 1.0
# An owner killed during ``pg_ctl start`` leaves that pg_ctl running: the postmaster it launched
# writes its postmaster.pid a moment later. Wait that long for it before removing the folder.
START_GRACE_SECONDS = 5.0


def process_start_time(pid: int) -> str | None:
    """The start time of a live process (field 22 of ``/proc/PID/stat``), or ``None`` when it
    has ended (gone, or a zombie its parent has not reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def wait_for_owner(owner: int) -> None:
    """Return once the owner process has ended (its pipe closed or its pid gone)."""
    started = process_start_time(owner)
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], POLL_SECONDS)
        if ready and not os.read(sys.stdin.fileno(), 1):
            return
        # A different start time means the pid was reused by another process.
        if started is None or process_start_time(owner) != started:
            return


def stop_cluster(folder: Path, pg_ctl: str, run_as: list[str]) -> None:
    """Stop the postmaster of ``folder`` if it runs and remove the folder."""
    if not folder.exists():
        return
    if (folder / "data" / "postmaster.pid").exists():
        subprocess.run([*run_as, pg_ctl, "-D", str(folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> None:
    owner, folder, pg_ctl, run_as = int(argv[0]), Path(argv[1]), argv[2], argv[3:]
    wait_for_owner(owner)
    deadline = time.monotonic() + START_GRACE_SECONDS
    while (folder.exists() and not (folder / "data" / "postmaster.pid").exists()
           and time.monotonic() < deadline):
        time.sleep(0.1)
    stop_cluster(folder, pg_ctl, run_as)


if __name__ == "__main__":
    main(sys.argv[1:])
