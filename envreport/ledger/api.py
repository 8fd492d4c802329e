"""The :class:`Ledger`: recording submissions and reading them back.

Every write is one transaction with its audit-log entry inside it, so a write is either
entirely in the ledger or not at all. Nothing is updated or deleted: the status of a
submission (current, superseded, rejected) is derived by the ``submission_status`` view,
reviews and period states are new rows whose newest one counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, and_, insert, select
from sqlalchemy.exc import DBAPIError

from envreport import __version__
from envreport.findings import USABLE_STATES
from envreport.ledger import tables as t
from envreport.ledger.accounts import CLI_ACTOR, Accounts, as_utc, review_dict, utc_now
from envreport.ledger.figures import flatten_figures
from envreport.ledger.groups import group_entity_id
from envreport.ledger.report_builds import ReportBuild, first_use, used_by
from envreport.ledger.rows import rebuild_submission, store_rows
from envreport.ledger.store import (
    LedgerError,
    default_url,
    describe,
    open_engine,
    upgrade,
    write_options,
)
from envreport.results import Results, migrate
from envreport.schema import Sheet
from envreport.schema.sheets import gwp_set_or_default
from envreport.submission import Submission

if TYPE_CHECKING:
    from envreport.ledger.compare import Regroup

Source = Literal["cli", "web", "api"]
VALID_OUTCOMES = USABLE_STATES

# Called inside the recording transaction after the rows are written, before the commit;
# tests set it to stop a process there (a killed write must leave nothing behind).
after_rows_hook: Callable[[int], None] | None = None


@dataclass
class SubmissionRecord:
    """One stored submission. ``findings``/``results``/``review`` are filled by
    :meth:`Ledger.submission` and :meth:`Ledger.record`, not by :meth:`Ledger.submissions`."""

    id: int
    entity_id: str | None
    period_start: date | None
    period_end: date | None
    file_name: str
    sha256: str
    size_bytes: int
    received_at: datetime
    received_by: str
    source: str
    outcome: str  # valid | valid_with_warnings | invalid | unreadable
    errors: int
    warnings: int
    envreport_version: str
    factor_library_version: str | None
    gwp_set: str | None
    consolidation_approach: str | None
    status: str  # current | superseded | rejected
    organization: dict[str, Any] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, Any] | None = None
    review: dict[str, Any] | None = None
    # The validated workbook when this record was just made (not stored; saves a re-read),
    # or why it could not be read.
    submission: Submission | None = field(default=None, repr=False)
    unreadable: Exception | None = field(default=None, repr=False)
    computed: Results | None = field(default=None, repr=False)  # what compute() returned
    # The trail of ``computed`` as results.json writes it (``jsonfile.trail_json``), encoded
    # once for the stored results.json and reused for the build's file.
    trail_text: bytes | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.outcome in VALID_OUTCOMES

    @property
    def period_year(self) -> int | None:
        return self.period_end.year if self.period_end else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``ledger list --format json``."""
        return {
            "id": self.id, "entity_id": self.entity_id,
            "period_start": _iso(self.period_start), "period_end": _iso(self.period_end),
            "file_name": self.file_name, "sha256": self.sha256, "size_bytes": self.size_bytes,
            "received_at": _iso(self.received_at), "received_by": self.received_by,
            "source": self.source, "outcome": self.outcome, "errors": self.errors,
            "warnings": self.warnings, "status": self.status,
            "envreport_version": self.envreport_version,
            "factor_library_version": self.factor_library_version,
            "gwp_set": self.gwp_set, "consolidation_approach": self.consolidation_approach,
        }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _as_dict(results: Results | dict[str, Any]) -> dict[str, Any]:
    """results as plain JSON data, whether given as a dict or as the results model (its
    trail a lazy sequence: figures and comparisons never read it)."""
    if isinstance(results, dict):
        return results
    return results.to_json_dict(lazy_trail=True)


def _results_text(results: Results | dict[str, Any], trail_text: bytes | None = None) -> str:
    """results.json as stored: exactly the bytes a build writes to its ``results.json``
    (one encoder, :mod:`envreport.results.jsonfile`; the trail column by column when given
    the model), so that the file and the stored copy never differ."""
    from envreport.results.jsonfile import results_json

    return results_json(results, trail_text).decode()


def _counts(findings: Sequence[Any]) -> tuple[int, int]:
    """How many of ``findings`` are errors, and how many warnings."""
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def _without_periods(results: Results | dict[str, Any]) -> Results | dict[str, Any]:
    """``results`` without the ledger's ``comparison``, ``history`` and ``base_year``,
    which are derived from the other periods whenever a report compares them, not stored."""
    periods = dict.fromkeys(("comparison", "history", "base_year"))
    if isinstance(results, dict):
        return {**results, **periods}
    return results.model_copy(update=periods)


class Ledger(Accounts):
    """The ledger database: ``Ledger(url)`` opens (creating or upgrading) it.

    ``url`` is an SQLAlchemy URL; ``None`` means ``$ENVREPORT_DB`` or
    ``sqlite:///envreport.db``. Raises :class:`LedgerError` (one line) when the database
    cannot be used: made by a newer envreport, not a database, unreachable.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine: Engine = open_engine(self.url)
        upgrade(self.engine)

    @property
    def where(self) -> str:
        return describe(self.engine.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def _write(self) -> Any:
        """A connection whose ``begin()`` takes the write lock at once (SQLite)."""
        return self.engine.connect().execution_options(**write_options())

    def _audit(self, connection: Connection, action: str, actor: str,
               detail: dict[str, Any]) -> None:
        connection.execute(insert(t.audit_log).values(
            at=utc_now(), actor=actor, action=action,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))

    def audit(self, action: str, actor: str, detail: dict[str, Any] | None = None) -> None:
        """Append an entry to the audit log (for actions that write nothing else)."""
        with self._write() as connection, connection.begin():
            self._audit(connection, action, actor, detail or {})

    def record(self, path: Path | str, by: str = CLI_ACTOR, source: Source = "cli", *,
               submission: Submission | None = None,
               computed: Results | None = None,
               trail_text: bytes | None = None) -> SubmissionRecord:
        """Validate the workbook (and compute it when valid) and store it, in one transaction.

        Valid or not, the file, its findings and the outcome are kept; a valid one also keeps
        its accepted rows, ``results.json`` and figures. A newer submission of the same entity
        and period supersedes the older one (derived, nothing is updated).

        A caller that has validated ``path`` already (the portal, the batch) passes its
        ``submission`` and, when it has computed it, its results model as ``computed``: a
        100 000-row workbook is then neither validated nor computed a second time; and,
        when it has encoded their trail (``jsonfile.trail_json``), that as ``trail_text``.
        """
        from envreport.factors import load_library
        from envreport.io import UnreadableWorkbookError
        from envreport.io.safety import MAX_FILE_BYTES
        from envreport.metrics import compute
        from envreport.pipeline import load_submission
        from envreport.validate.report import unreadable_finding

        path = Path(path)
        try:
            size = path.stat().st_size
            # A file the reader refuses for its size (or a non-file) is recorded as unreadable
            # without being read into memory, hashed or stored: a 16 GiB upload costs nothing.
            content = path.read_bytes() if path.is_file() and size <= MAX_FILE_BYTES else None
        except OSError as error:
            raise LedgerError(f"{path}: cannot be read ({error.strerror or error})") from None
        unreadable: UnreadableWorkbookError | None = None
        findings: list[Any]
        if submission is not None:
            findings = list(submission.findings)
        else:
            try:
                submission = load_submission(path)
                findings = list(submission.findings)
            except UnreadableWorkbookError as error:
                unreadable = error
                findings = [unreadable_finding(error)]
        results: dict[str, Any] | None = None
        results_text: str | None = None
        if submission is not None and submission.valid:
            from envreport.results.jsonfile import trail_json

            if computed is None:  # (a trail given without its results is not theirs)
                computed, trail_text = compute(submission), None
            # The trail (~90 MB of JSON at 100 000 rows) is encoded once: for the stored
            # results.json here, and again written as is by build --ledger's results.json.
            if trail_text is None:
                trail_text = trail_json(computed)
            results_text = _results_text(computed, trail_text)
            results = _as_dict(computed)
            # compute adds the findings only the figures can make (a base year's workbook
            # whose target states another base value): stored with validation's
            findings = list(submission.findings)
        else:
            trail_text = None
        org = submission.organization if submission is not None else None
        errors, warnings = _counts(findings)
        if submission is None:
            outcome = "unreadable"
        elif not submission.valid:
            outcome = "invalid"
        else:
            outcome = "valid_with_warnings" if warnings else "valid"
        row = {
            "entity_id": org.entity_id if org else None,
            "period_start": org.reporting_period_start if org else None,
            "period_end": org.reporting_period_end if org else None,
            "period_year": org.reporting_year if org else None,
            "file_name": path.name,
            "sha256": hashlib.sha256(content).hexdigest() if content is not None else "",
            "size_bytes": size, "received_at": utc_now(), "received_by": by,
            "source": source, "outcome": outcome, "errors": errors, "warnings": warnings,
            "envreport_version": __version__,
            "factor_library_version": load_library().version if results is not None else None,
            "gwp_set": gwp_set_or_default(org.gwp_set) if org else None,
            "consolidation_approach": org.consolidation_approach if org else None,
            "organization": _organization_text(org),
            "row_counts": json.dumps({s: c.to_dict() for s, c in submission.rows.items()})
            if submission is not None else None,
        }
        try:
            with self._write() as connection, connection.begin():
                submission_id = self._insert_submission(connection, row, content, findings,
                                                        submission, results, results_text)
                if after_rows_hook is not None:
                    after_rows_hook(submission_id)
                self._audit(connection, "submission.record", by, {
                    "submission_id": submission_id, "file_name": path.name,
                    "sha256": row["sha256"], "entity_id": row["entity_id"],
                    "period_end": row["period_end"], "outcome": outcome, "source": source})
        except DBAPIError as error:
            raise LedgerError(f"{self.where}: the submission could not be stored "
                              f"({str(error.orig).strip().splitlines()[0]})") from None
        record = self.submission(submission_id, with_results=False)
        assert record is not None
        record.results = results
        record.submission = submission
        record.unreadable = unreadable
        record.computed = computed
        record.trail_text = trail_text
        return record

    def record_group(self, merged: Submission, results: Results | dict[str, Any],
                     by: str = CLI_ACTOR, source: Source = "cli") -> SubmissionRecord:
        """Store a consolidated group as its report gave it: its figures, merged rows and
        findings (``merged.findings``: the plan's, its compute's and the base-year check's),
        as the group's own period.

        ``results`` may carry the ledger's ``comparison``, ``history`` and ``base_year``
        (``batch --ledger`` records the group after comparing and checking it): they are not
        stored, as for any submission. The group is the entity ``<parent>:group`` (a colon
        never occurs in an entity id), so that its periods are compared and restated like
        any entity's without touching the parent's own submissions. There is no workbook
        file: ``file_bytes`` refuses it.
        """
        from envreport.factors import load_library

        org = merged.organization
        assert org is not None
        results = _without_periods(results)
        data = _as_dict(results)
        results_text = _results_text(results)
        findings = list(merged.findings)
        errors, warnings = _counts(findings)
        # Always valid: its figures were computed and reported. An error among its findings
        # is the batch's about a member (missing, excluded), which the group was built without.
        outcome = "valid_with_warnings" if findings else "valid"
        inputs = [i.get("file_name") for i in data.get("inputs") or [] if i.get("file_name")]
        row = {
            "entity_id": group_entity_id(org.entity_id),
            "period_start": org.reporting_period_start, "period_end": org.reporting_period_end,
            "period_year": org.reporting_year,
            "file_name": f"group of {len(inputs)} workbooks",
            "sha256": hashlib.sha256(results_text.encode()).hexdigest(),
            "size_bytes": 0, "received_at": utc_now(), "received_by": by, "source": source,
            "outcome": outcome, "errors": errors, "warnings": warnings,
            "envreport_version": __version__,
            "factor_library_version": load_library().version,
            "gwp_set": gwp_set_or_default(org.gwp_set),
            "consolidation_approach": org.consolidation_approach,
            "organization": _organization_text(org),
            "row_counts": json.dumps({s: c.to_dict() for s, c in merged.rows.items()}
                                     or {s: {} for s in merged.tables}),
        }
        try:
            with self._write() as connection, connection.begin():
                submission_id = self._insert_submission(connection, row, None, findings,
                                                        merged, data, results_text)
                self._audit(connection, "group.record", by, {
                    "submission_id": submission_id, "entity_id": row["entity_id"],
                    "period_end": row["period_end"], "inputs": inputs})
        except DBAPIError as error:
            raise LedgerError(f"{self.where}: the group could not be stored "
                              f"({str(error.orig).strip().splitlines()[0]})") from None
        record = self.submission(submission_id, with_results=False)
        assert record is not None
        record.results = data
        record.submission = merged
        return record

    def _insert_submission(self, connection: Connection, row: dict[str, Any],
                           content: bytes | None,
                           findings: Sequence[Any], submission: Submission | None,
                           results: dict[str, Any] | None, results_text: str | None) -> int:
        submission_id = connection.execute(
            insert(t.submissions).values(**row).returning(t.submissions.c.id)).scalar_one()
        if content is not None:
            connection.execute(insert(t.submission_files).values(
                submission_id=submission_id, content=content))
        if findings:
            connection.execute(insert(t.findings), [
                _finding_row(submission_id, seq, finding) for seq, finding in enumerate(findings)])
        if row["entity_id"] is not None:
            self._ensure_entity(connection, row["entity_id"], submission, row["received_by"])
        if submission is not None and results is not None and results_text is not None:
            store_rows(connection, submission_id, submission)
            connection.execute(insert(t.results).values(
                submission_id=submission_id, schema_version=str(results.get("schema_version")),
                results_json=results_text))
            figures = flatten_figures(results)
            if figures:
                connection.execute(insert(t.figures), [
                    {"submission_id": submission_id, "key": key, "value": value}
                    for key, value in figures.items()])
        return int(submission_id)

    def _ensure_entity(self, connection: Connection, entity_id: str,
                       submission: Submission | None, by: str) -> None:
        exists = connection.execute(select(t.entities.c.entity_id).where(
            t.entities.c.entity_id == entity_id)).first()
        if exists:
            return
        org = submission.organization if submission else None
        connection.execute(insert(t.entities).values(
            entity_id=entity_id, name=org.organization_name if org else entity_id,
            parent_id=org.parent_entity_id if org else None, created_at=utc_now(), created_by=by))
        self._audit(connection, "entity.add", by, {"entity_id": entity_id, "auto": True})

    def note_report(self, submission_id: int, used: Iterable[int], by: str = CLI_ACTOR) -> None:
        """Remember that a report was built from ``submission_id`` comparing with ``used``."""
        used_ids = sorted(set(used))
        with self._write() as connection, connection.begin():
            connection.execute(insert(t.report_builds).values(
                submission_id=submission_id, used_submission_ids=json.dumps(used_ids),
                at=utc_now(), by=by))
            self._audit(connection, "report.build", by,
                        {"submission_id": submission_id, "used": used_ids})

    # -- reading submissions ----------------------------------------------------------------

    def _select_submissions(self) -> Any:
        view = t.submission_status
        return (select(t.submissions, view.c.status)
                .join(view, view.c.submission_id == t.submissions.c.id))

    def _record(self, row: Any) -> SubmissionRecord:
        data = row._mapping
        return SubmissionRecord(
            id=data["id"], entity_id=data["entity_id"], period_start=data["period_start"],
            period_end=data["period_end"], file_name=data["file_name"], sha256=data["sha256"],
            size_bytes=data["size_bytes"], received_at=as_utc(data["received_at"]),
            received_by=data["received_by"], source=data["source"], outcome=data["outcome"],
            errors=data["errors"], warnings=data["warnings"],
            envreport_version=data["envreport_version"],
            factor_library_version=data["factor_library_version"], gwp_set=data["gwp_set"],
            consolidation_approach=data["consolidation_approach"], status=data["status"],
            organization=json.loads(data["organization"]) if data["organization"] else None)

    def submissions(self, entity: str | None = None, period: int | None = None,
                    current_only: bool = False) -> list[SubmissionRecord]:
        """Submissions, oldest first; ``period`` is a reporting year."""
        query = self._select_submissions().order_by(t.submissions.c.id)
        if entity is not None:
            query = query.where(t.submissions.c.entity_id == entity)
        if period is not None:
            query = query.where(t.submissions.c.period_year == period)
        with self.engine.connect() as connection:
            records = [self._record(row) for row in connection.execute(query)]
        if current_only:
            records = [r for r in records if r.status == "current"]
        return records

    def submission(self, submission_id: int, with_results: bool = True) -> SubmissionRecord | None:
        """One submission with its findings, results (when valid) and latest review."""
        with self.engine.connect() as connection:
            row = connection.execute(self._select_submissions().where(
                t.submissions.c.id == submission_id)).first()
            if row is None:
                return None
            record = self._record(row)
            record.findings = [
                _finding_dict(f) for f in connection.execute(
                    select(t.findings).where(t.findings.c.submission_id == submission_id)
                    .order_by(t.findings.c.seq))]
            if with_results:
                text = connection.execute(select(t.results.c.results_json).where(
                    t.results.c.submission_id == submission_id)).scalar_one_or_none()
                # stored by any earlier version of the tool: read as the current version
                record.results = migrate(json.loads(text)) if text else None
            review = connection.execute(
                select(t.reviews).where(t.reviews.c.submission_id == submission_id)
                .order_by(t.reviews.c.id.desc()).limit(1)).first()
            record.review = review_dict(review) if review is not None else None
        return record

    def file_bytes(self, submission_id: int) -> bytes:
        """The workbook exactly as it was received."""
        with self.engine.connect() as connection:
            content = connection.execute(select(t.submission_files.c.content).where(
                t.submission_files.c.submission_id == submission_id)).scalar_one_or_none()
        if content is None:
            raise LedgerError(f"submission {submission_id}: no workbook stored (not in the "
                              "ledger, a group, or refused unread for its size)")
        return bytes(content)

    def figures(self, submission_id: int) -> dict[str, float | None]:
        """The stored figures of a valid submission by key path (see ``flatten_figures``)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(t.figures.c.key, t.figures.c.value).where(
                t.figures.c.submission_id == submission_id))
            return {key: value for key, value in rows}

    def roster_rows(self, submission_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The Subsidiaries rows of the given stored (valid) submissions, in their order:
        ``entity_id``, ``entity_name``, ``entity_name_zh`` and the listing ``submission_id``.
        One query, without rebuilding the submissions (a status board asks on each view)."""
        ids = sorted(set(submission_ids))
        if not ids:
            return []
        table = t.ROW_TABLES[Sheet.SUBSIDIARIES]
        query = (select(table.c.submission_id, table.c.entity_id, table.c.entity_name,
                        table.c.entity_name_zh)
                 .where(table.c.submission_id.in_(ids))
                 .order_by(table.c.submission_id, table.c.excel_row))
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def load_submission(self, record: SubmissionRecord,
                        **organization_changes: Any) -> Submission:
        """A stored valid submission rebuilt from its rows (for recomputation)."""
        if not record.valid:
            raise LedgerError(f"submission {record.id}: only a valid submission has rows")
        with self.engine.connect() as connection:
            text, counts = connection.execute(
                select(t.submissions.c.organization, t.submissions.c.row_counts)
                .where(t.submissions.c.id == record.id)).one()
            sheets = [s for s in json.loads(counts or "{}") if s != Sheet.ORGANIZATION]
            return rebuild_submission(connection, record.id, record.file_name, record.sha256,
                                      text, sheets, **organization_changes)

    def report_builds(self, built_from: int | None = None) -> list[ReportBuild]:
        """Every report built (those built from submission ``built_from`` if given), oldest
        first: the submission it was built from, those it used and when (one query: the
        comparison reads them once for all its periods)."""
        builds = select(t.report_builds.c.submission_id, t.report_builds.c.used_submission_ids,
                        t.report_builds.c.at).order_by(t.report_builds.c.id)
        if built_from is not None:
            builds = builds.where(t.report_builds.c.submission_id == built_from)
        with self.engine.connect() as connection:
            return [ReportBuild(int(built), tuple(int(u) for u in json.loads(used)), as_utc(at))
                    for built, used, at in connection.execute(builds)]

    def reports_using(self, submission_ids: Iterable[int]) -> dict[int, datetime]:
        """For each submission id: when a report first used it (if ever), built from it or
        comparing with it: either way the report published its figures."""
        return first_use(self.report_builds(), submission_ids)

    def built_from(self, submission_id: int) -> set[int]:
        """The submissions the reports built from ``submission_id`` used: compared with, and
        for a group, the members' submissions it was consolidated from."""
        return used_by(self.report_builds(submission_id), submission_id)

    # -- history and comparison (envreport.ledger.compare) ---------------------------------

    def history(self, entity: str, regroup: Regroup | None = None) -> list[dict[str, Any]]:
        """The entity's current periods, oldest first, with key figures (restated where the
        methods of the newest period differ from a period's own; with ``regroup``, a group's
        period whose member was corrected since, consolidated again)."""
        from envreport.ledger.compare import entity_history

        return entity_history(self, entity, regroup)

    def comparison(self, current: Any, entity: str | None = None,
                   recorded: bool = True, record_id: int | None = None,
                   regroup: Regroup | None = None) -> dict[str, Any]:
        """``comparison``, ``history`` and ``base_year`` for results (or a record).

        ``entity`` overrides the results' own entity id (a group: ``group_entity_id``);
        ``recorded=False``: results not in the ledger yet; ``record_id``: the submission
        the results were computed from, given; ``regroup``: how a group's earlier period is
        consolidated again when a member was corrected since (see ``periods_sections``).
        """
        from envreport.ledger.compare import periods_sections

        if isinstance(current, SubmissionRecord):
            if current.results is None:
                loaded = self.submission(current.id)
                current = loaded.results if loaded else None
            else:
                current = current.results
            if current is None:
                raise LedgerError("only a valid submission has figures to compare")
        return periods_sections(self, _as_dict(current), entity, recorded, record_id, regroup)

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest ``limit`` audit entries, newest first."""
        with self.engine.connect() as connection:
            return [{"id": r.id, "at": as_utc(r.at), "actor": r.actor, "action": r.action,
                     "detail": json.loads(r.detail)}
                    for r in connection.execute(select(t.audit_log)
                                                .order_by(t.audit_log.c.id.desc()).limit(limit))]

    def current_for(self, entity: str, period_start: date,
                    period_end: date) -> SubmissionRecord | None:
        """The current submission of an entity for exactly this period."""
        query = self._select_submissions().where(and_(
            t.submissions.c.entity_id == entity, t.submissions.c.period_start == period_start,
            t.submissions.c.period_end == period_end))
        with self.engine.connect() as connection:
            records = [self._record(r) for r in connection.execute(query)]
        return next((r for r in records if r.status == "current"), None)


def _organization_text(org: Any) -> str | None:
    from envreport.ledger.rows import organization_json

    return organization_json(org) if org is not None else None


def _finding_row(submission_id: int, seq: int, finding: Any) -> dict[str, Any]:
    en, zh = finding.to_dict("en"), finding.to_dict("zh")
    return {
        "submission_id": submission_id, "seq": seq, "severity": en["severity"],
        "code": en["code"], "sheet": en["sheet"], "cell": en["cell"], "row": en["row"],
        "column": en["column"], "field": en["field"],
        "value": json.dumps(en["value"], ensure_ascii=False),
        "message_en": en["message"], "message_zh": zh["message"],
        "hint_en": en["hint"], "hint_zh": zh["hint"],
    }


def _finding_dict(row: Any) -> dict[str, Any]:
    return {
        "severity": row.severity, "code": row.code, "sheet": row.sheet, "cell": row.cell,
        "row": row.row, "column": row.column, "field": row.field,
        "value": json.loads(row.value) if row.value is not None else None,
        "message": row.message_en, "message_zh": row.message_zh,
        "hint": row.hint_en, "hint_zh": row.hint_zh,
    }
