"""The ledger: every submission of every entity and period, kept in a database.

Beside the pipeline, never inside it: the ledger calls ``envreport.pipeline`` to validate
and compute, and stores what came out. SQLAlchemy 2 + Alembic; SQLite by default
(``sqlite:///envreport.db`` or ``$ENVREPORT_DB``), PostgreSQL via
``postgresql+psycopg://USER@HOST/DB``. The tables are described in ``docs/ledger.md``.

API (used by the CLI and the web page)::

    from envreport.ledger import Ledger, LedgerError
    led = Ledger(url=None)                 # opens, creates or upgrades; LedgerError (one line)
                                           # for a newer envreport's database or a corrupt file
    rec = led.record(path, by="alice", source="cli" | "web" | "api")   # -> SubmissionRecord
    led.submissions(entity=None, period=None, current_only=False)      # oldest first
    led.submission(id)           # + findings (en and zh), results, latest review; or None
    led.file_bytes(id)           # the workbook as received
    led.figures(id)              # {key path: number} of a valid submission
    led.load_submission(rec)     # a stored valid submission rebuilt for compute()
    led.history(entity)          # [{period_start, period_end, scope1_tco2e, ..., restated}]
    led.comparison(results | rec, entity=None, recorded=True)   # {"comparison", "history", ...}
    led.record_group(merged, results)   # a batch's consolidated group, entity "<parent>:group"
    led.note_report(id, used_ids)   # a report was built comparing with these submissions
    led.built_from(id)   # the submissions its reports used (a group's: its members' too)
    led.entities() / add_entity(id, name, parent=None) / roster(parent=None)
    led.periods() / open_period(year) / close_period(year) / is_open(year)
    led.add_user(name, role, entities, password) / users() / user(name)
    led.verify_password(name, pw)   # argon2; roles admin | auditor | submitter
    led.issue_token(name) -> str / user_for_token(token) -> User | None  (stored as SHA-256)
    led.review(id, decision="signed_off" | "returned", comment, by) / reviews(id)
    led.audit(action, actor, detail) / audit_log(limit)   # append-only

``SubmissionRecord.status`` is ``current`` (the newest valid submission of its entity and
period), ``superseded`` (an older one, valid or not) or ``rejected`` (invalid or unreadable,
nothing newer). Every write is one transaction together with its audit-log entry, and
records who acted (``by``): an account's name, the command line's ``cli:<login>``, or by
default ``CLI_ACTOR`` (``cli``), the command line without a login name.
"""

from envreport.ledger.accounts import CLI_ACTOR, ROLES, User
from envreport.ledger.api import Ledger, SubmissionRecord
from envreport.ledger.build import entity_with_periods, group_with_periods
from envreport.ledger.figures import flatten_figures
from envreport.ledger.groups import group_entity_id, is_group_entity
from envreport.ledger.store import LedgerError, default_url

__all__ = ["CLI_ACTOR", "ROLES", "Ledger", "LedgerError", "SubmissionRecord", "User", "default_url",
           "entity_with_periods", "flatten_figures", "group_entity_id", "group_with_periods",
           "is_group_entity"]
