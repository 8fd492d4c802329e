"""A throwaway PostgreSQL cluster for the ledger tests: ``initdb`` + ``pg_ctl`` in a temp dir.

No mock and no in-memory stand-in: the tests run against the real server binaries from
Debian's ``postgresql`` package (``scripts/setup.sh`` installs it). ``initdb`` refuses to run
as root, so as root the cluster runs as the ``postgres`` system user (``runuser``). Only a
Unix socket in the temporary folder is opened: nothing listens on the network. A watchdog
(``tests/postgres_watchdog.py``) stops the cluster and removes its folder when the process that
started it ends without stopping it (pytest killed by a timeout or SIGKILL).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailableError(Exception):
    """The PostgreSQL server binaries cannot be found or started (the reason says why)."""


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass
class Cluster:
    folder: Path
    port: int
    run_as: list[str]
    pg_ctl: str
    watchdog: subprocess.Popen[bytes]

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def url(self, database: str) -> str:
        return (f"postgresql+psycopg://envreport@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def create_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"ledger_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=self.socket_dir, port=self.port, user="envreport",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.folder / "data"), "-m",
                        "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        _end_watchdog(self.watchdog)


def _start_watchdog(folder: Path, pg_ctl: str, run_as: list[str]) -> subprocess.Popen[bytes]:
    """The watchdog of ``folder``'s cluster: this process keeps the write end of its stdin,
    which the kernel closes when this process ends, however it ends."""
    script = Path(__file__).with_name("postgres_watchdog.py")
    # -I: the watchdog needs nothing but the standard library, whatever the environment says.
    return subprocess.Popen(
        [sys.executable, "-I", str(script), str(os.getpid()), str(folder), pg_ctl, *run_as],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _end_watchdog(watchdog: subprocess.Popen[bytes]) -> None:
    """Close the watchdog's pipe (its folder is gone: it exits at once) and reap it."""
    if watchdog.stdin is not None:
        watchdog.stdin.close()
    try:
        watchdog.wait(timeout=10)
    except subprocess.TimeoutExpired:
        watchdog.kill()
        watchdog.wait()


def start_cluster() -> Cluster:
    """Start a cluster; raises :class:`PostgresUnavailableError` with the reason."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise PostgresUnavailableError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's "
            "postgresql package (scripts/setup.sh does)")
    folder = Path(tempfile.mkdtemp(prefix="envreport-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise PostgresUnavailableError("running as root without runuser: cannot run "
                                           "initdb as an unprivileged user")
        try:
            shutil.chown(folder, user="postgres")
        except (LookupError, PermissionError) as error:
            raise PostgresUnavailableError(f"no 'postgres' user to run initdb as: {error}") \
                from None
        run_as = ["runuser", "-u", "postgres", "--"]
    # Started before initdb, so that a run killed during initdb leaves no folder behind.
    watchdog = _start_watchdog(folder, pg_ctl, run_as)
    # A port number only names the socket file here (no TCP listener), so clashes are
    # impossible across folders; vary it anyway to keep logs distinguishable.
    port = 20000 + (os.getpid() % 20000)
    data = folder / "data"
    steps = [
        [*run_as, initdb, "-D", str(data), "-U", "envreport", "-A", "trust", "-E", "UTF8",
         "--locale=C", "--no-sync"],
        [*run_as, pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
         "-o", f"-F -k {folder} -p {port} -c listen_addresses='' -c max_connections=40",
         "start"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = folder / "server.log"
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            if log.exists():
                detail += log.read_text(errors="replace").strip().splitlines()[-2:]
            shutil.rmtree(folder, ignore_errors=True)
            _end_watchdog(watchdog)
            raise PostgresUnavailableError(f"{Path(step[len(run_as)]).name} failed: "
                                           + " | ".join(detail))
    return Cluster(folder, port, run_as, pg_ctl, watchdog)
