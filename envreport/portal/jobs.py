"""Work that runs outside the web server's process: uploads and group report builds.

A workbook is hostile until proven otherwise (a zip bomb, a file that takes minutes to
parse). The web process only streams the upload to a scratch file and hands its path to a
worker process; the event loop stays free, so ``/health`` and every other user's pages
answer while a bomb is being refused. Workers are *spawned* (never forked from a server that
runs threads) and each opens its own ledger connection; the ledger serialises writers itself
(SQLite's ``BEGIN IMMEDIATE`` with a busy timeout).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from envreport.portal.access import RefusedError

T = TypeVar("T")

# Per worker process: the ledger it opened.
_LEDGERS: dict[str | None, Any] = {}


def _ledger(db_url: str | None) -> Any:
    from envreport.ledger import Ledger

    if db_url not in _LEDGERS:
        _LEDGERS[db_url] = Ledger(url=db_url)
    return _LEDGERS[db_url]


@dataclass
class UploadOutcome:
    """What became of an upload: recorded (with its id) or refused (with findings or why)."""

    submission_id: int | None = None
    refused: str | None = None  # a sentence for the user, already in their language
    findings: list[dict[str, Any]] = field(default_factory=list)
    entity_id: str | None = None


def process_upload(db_url: str | None, path: str, original_name: str, by: str, source: str,
                   allowed_entities: tuple[str, ...] | None, lang: str) -> UploadOutcome:
    """Validate the workbook at ``path``; record it when the user may submit its entity.

    ``allowed_entities`` is ``None`` for a user who may submit for any entity. A workbook that
    cannot be read, or whose Organization sheet names no entity, is not recorded (it belongs
    to no entity); the user gets its findings. Runs in a worker process.
    """
    from envreport.i18n import gettext
    from envreport.io import UnreadableWorkbookError
    from envreport.pipeline import load_submission
    from envreport.validate.report import unreadable_finding

    named = Path(path).with_name(Path(original_name).name)
    shutil.move(path, named)  # findings and the ledger name the file as the user named it
    try:
        try:
            submission = load_submission(named)
        except UnreadableWorkbookError as error:
            finding = unreadable_finding(error)
            return UploadOutcome(refused=finding.message(lang),
                                 findings=[finding.to_dict(lang)])
        organization = submission.organization
        if organization is None:
            return UploadOutcome(
                refused=gettext("The workbook names no entity: fill in its Organization "
                                "sheet and upload it again.", lang),
                findings=[f.to_dict(lang) for f in submission.findings])
        entity = organization.entity_id
        if allowed_entities is not None and entity not in allowed_entities:
            return UploadOutcome(entity_id=entity, refused=gettext(
                "This workbook is for entity {entity}, which you may not submit for.",
                lang).format(entity=entity))
        ledger = _ledger(db_url)
        year = organization.reporting_year
        if not ledger.is_open(year):
            return UploadOutcome(entity_id=entity, refused=gettext(
                "The period {year} is closed: it accepts no more submissions.",
                lang).format(year=year))
        # validated above: the ledger stores that validation, it does not repeat it
        record = ledger.record(named, by=by, source=source, submission=submission)
        return UploadOutcome(submission_id=int(record.id), entity_id=entity)
    finally:
        named.unlink(missing_ok=True)


def annotate_stored(db_url: str | None, submission_id: int, lang: str) -> bytes:
    """The annotated copy of a stored submission, from its bytes as received.

    The stored workbook is read and validated again (in this worker, like any upload), so
    the copy carries every finding with its full position, ranges included.
    """
    from envreport.io import read_workbook
    from envreport.pipeline import check_computed_figures
    from envreport.portal.security import safe_filename
    from envreport.validate import validate
    from envreport.workbook.annotate import write_annotated

    ledger = _ledger(db_url)
    record = ledger.submission(submission_id, with_results=False)
    scratch = Path(tempfile.mkdtemp(prefix="envreport-portal-annotate-"))
    try:
        source = scratch / safe_filename(record.file_name, "submission.xlsx")
        source.write_bytes(ledger.file_bytes(submission_id))
        raw = read_workbook(source)
        submission = validate(raw)
        check_computed_figures(submission)  # as the ledger stored them: a target's base value
        out = scratch / "annotated.xlsx"
        write_annotated(raw, submission.findings, out, lang)
        return out.read_bytes()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# The whole report folder in one download: the status board links to the members' reports
# and the group's beside it (SRE/report.en.html), which a board downloaded alone cannot open.
ALL_FILES = "reports.zip"


def zip_folder(folder: Path, archive: Path) -> None:
    """Every file under ``folder`` into ``archive`` (written beside them, not into itself),
    by its path in the folder; sorted and dated 1980-01-01, so one build gives one zip."""
    from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

    files = sorted(p for p in folder.rglob("*") if p.is_file() and p != archive)
    with ZipFile(archive, "w", ZIP_DEFLATED) as bundle:
        for path in files:
            entry = ZipInfo(path.relative_to(folder).as_posix(), (1980, 1, 1, 0, 0, 0))
            entry.compress_type = ZIP_DEFLATED
            bundle.writestr(entry, path.read_bytes())


def build_group(db_url: str | None, period: int, out_dir: str, by: str) -> dict[str, Any]:
    """Build the group report of ``period`` from the current submissions in the ledger.

    The consolidated report is what the admin downloads: it is written as HTML and PDF in
    English and Chinese. Each member's report is written as HTML and results.json only (in
    the folder's :data:`ALL_FILES` zip, not offered one by one): a PDF per member per
    language would multiply the build's time by the group's size for files nobody asked for.

    The reports compare with the ledger's earlier periods as ``envreport batch --ledger``
    does, but the members are not recorded again: each is the upload it was read from (its
    reviews stay on it), and the build is noted on it; the group is recorded, by ``by``, as
    ``<parent>:group`` (a period built again records it again: the newer is current).
    """
    from envreport.batch import BatchUsageError, KnownEntity, run_batch
    from envreport.i18n import SUPPORTED_LANGUAGES
    from envreport.ledger import is_group_entity
    from envreport.portal.security import safe_filename
    from envreport.portal.service import board_entities

    ledger = _ledger(db_url)
    # the group's own records (an earlier build's) are no member: no workbook, no entity
    records = [r for r in ledger.submissions(period=period) if not is_group_entity(r.entity_id)]
    # the board page's entities: the downloadable board lists each of them too
    known = [KnownEntity(e["entity_id"], e["name"], e["name_zh"])
             for e in board_entities(ledger, records)]
    current = [r for r in records if r.status == "current"]
    scratch = Path(tempfile.mkdtemp(prefix="envreport-portal-group-"))
    try:
        recorded, uploaded = {}, {}
        for record in current:
            path = scratch / f"{record.id}-{safe_filename(record.file_name, 'submission.xlsx')}"
            path.write_bytes(ledger.file_bytes(record.id))
            recorded[path] = int(record.id)
            uploaded[path.name] = record.file_name  # a failure names the file as uploaded
        target = Path(out_dir)
        if target.exists():
            shutil.rmtree(target)
        try:
            outcome = run_batch([scratch], target, workers=1, langs=["en", "zh"], pdf=True,
                                member_pdf=False, known=known, ledger_url=ledger.url,
                                ledger_by=by, recorded=recorded)
        except BatchUsageError as error:  # why, in each language: the admin page and the
            # audit log show it in theirs, as a group not built (r16: English on 审计日志)
            return {"built": False,
                    "reasons": {lang: [error.message(lang)] for lang in SUPPORTED_LANGUAGES}}
        zip_folder(target, target / ALL_FILES)
        built = bool(outcome.board["group"]["built"])
        # what failed as data, said in each page's language (portal.build_outcome)
        failures = [{**f, "file": uploaded.get(str(f["file"]), f["file"])}
                    for f in outcome.failures]
        return {"built": built, "counts": outcome.board["counts"],
                **({"failures": failures} if failures else {}),
                **({} if built else {"reasons": outcome.group_not_built})}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def warm_up() -> None:
    """Import the pipeline in a fresh worker, so that the first upload is not the slow one."""
    import envreport.pipeline
    import envreport.workbook.annotate  # noqa: F401 - imported for what it loads


class Workers:
    """The process pool the web server hands uploads and builds to."""

    def __init__(self, db_url: str | None, processes: int = 2) -> None:
        self.db_url = db_url
        self.processes = processes
        self.build_timeout = 3600.0  # seconds a group build may take
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.processes,
                                   mp_context=multiprocessing.get_context("spawn"))

    async def _run(self, call: Callable[[], T], timeout: float) -> T:
        """Run ``call`` in a worker; a pool broken by a dying worker is replaced, not kept."""
        loop = asyncio.get_running_loop()
        pool = self._pool
        try:
            return await asyncio.wait_for(loop.run_in_executor(pool, call), timeout)
        except BrokenProcessPool:
            if self._pool is pool:
                self._pool = self._new_pool()
                pool.shutdown(wait=False, cancel_futures=True)
            raise RefusedError("The file could not be processed (a worker process ended).",
                               422) from None

    def warm(self) -> None:
        """Start every worker and let it import the pipeline (in the background)."""
        for _ in range(self.processes):
            self._pool.submit(warm_up)

    async def upload(self, path: Path, original_name: str, by: str, source: str,
                     allowed_entities: tuple[str, ...] | None, lang: str,
                     timeout: float = 600.0) -> UploadOutcome:
        call = partial(process_upload, self.db_url, str(path), original_name, by, source,
                       allowed_entities, lang)
        return await self._run(call, timeout)

    async def annotate(self, submission_id: int, lang: str) -> bytes:
        return await self._run(partial(annotate_stored, self.db_url, submission_id, lang), 600)

    async def build_group(self, period: int, out_dir: Path, by: str) -> dict[str, Any]:
        return await self._run(partial(build_group, self.db_url, period, str(out_dir), by),
                               self.build_timeout)

    def close(self) -> None:
        """Stop the pool and its processes now: queued work is cancelled, a busy worker is
        terminated.

        The server's process ends right after this (uvicorn re-raises the signal that stopped
        it, so no exit handler runs): workers left for the executor to stop outlived it, idle,
        with the ledger's file still open, one pair per start of the server.
        """
        # the pool's processes: public only from Python 3.14 on; None once it is shut down
        workers = list((self._pool._processes or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(timeout=10)
