"""The ledger's people and calendar: entities, reporting periods, web accounts, API tokens
and auditors' reviews. Mixed into :class:`envreport.ledger.Ledger`; every write is one
transaction with its audit-log entry, and nothing is updated in place (a period's state and
a submission's review are their newest rows).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from envreport.i18n import fill, gettext
from envreport.ledger import tables as t
from envreport.ledger.store import LedgerError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

Role = Literal["admin", "auditor", "submitter"]
Decision = Literal["signed_off", "returned"]
#: the roles and decisions, spelled once: the Literal types' own values
ROLES: tuple[str, ...] = get_args(Role)
DECISIONS: tuple[str, ...] = get_args(Decision)
#: who the ledger records an action by when no account took it: a command that has no login
#: name to give, the demo data of ``serve --demo``. No account may take one of these names
#: (:meth:`Accounts.add_user`), and the portal shows them by these labels (its catalogue
#: translates them: 命令行, 演示数据), apart from the users' names.
CLI_ACTOR, DEMO_ACTOR = "cli", "demo"
SYSTEM_ACTORS: dict[str, str] = {CLI_ACTOR: "Command line", DEMO_ACTOR: "Demo data"}
#: a command run under an OS login is recorded as ``cli:<login>`` (:func:`cli_actor`): the
#: bare login (``root``) read exactly as a portal account of that name. No account may take
#: a name of this form (a portal name holds no ``:``; :meth:`Accounts.add_user` refuses it).
#: Older ledgers hold the bare login: shown as stored, history is not rewritten.
CLI_LOGIN_PREFIX = CLI_ACTOR + ":"
#: the actor columns' width (``String(100)``): PostgreSQL refuses a longer value
_ACTOR_LENGTH = 100
#: an account's name, for the command line and the portal alike: a letter or a digit, then
#: letters, digits, ``_ . @ -``, as long as an actor column holds. No space, no bracket, no
#: ``:``, so that no account reads as the command line's ``cli:<login>`` or as a system
#: actor's label ("Command line (login root)") in the audit log or ``ledger list``.
ACCOUNT_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.@-]{{0,{_ACTOR_LENGTH - 1}}}")
#: why a name is refused: English sentences the portal's catalogue translates (portal.po),
#: ``{name}`` filled in after translation
ACCOUNT_NAME_RULE = "User names are letters, digits, '-', '_', '.', '@' (up to 100)."
RESERVED_NAME = "The name {name} is reserved for actions taken without an account."
# ids bound in one IN list: far below SQLite's and PostgreSQL's limits on parameters
_IDS_PER_QUERY = 500


def password_hasher() -> PasswordHasher:
    """The accounts' password hasher: argon2id with argon2-cffi's defaults, RFC 9106's second
    recommended profile (3 passes over 64 MiB, 4 lanes). A check reads the parameters from
    the stored hash, so hashes made with other parameters still verify."""
    from argon2 import PasswordHasher  # only the commands that hash or check pay its import

    return PasswordHasher()


@dataclass(frozen=True)
class User:
    """A web account: its role and, for a submitter, the entities it may submit for."""

    name: str
    role: str
    entities: tuple[str, ...]
    created_at: datetime


def is_command_line(name: str) -> bool:
    """Whether ``name`` is how the command line records its actions: ``cli`` or
    ``cli:<login>`` (as stored, not in another case: no account holds either)."""
    return name == CLI_ACTOR or name.startswith(CLI_LOGIN_PREFIX)


class AccountNameError(LedgerError):
    """A name no account may take: :attr:`template` is the English sentence that says why
    (:data:`ACCOUNT_NAME_RULE`, :data:`RESERVED_NAME`), :attr:`params` what fills it; the
    error's text is the sentence filled in, in English."""

    def __init__(self, template: str, **params: str) -> None:
        self.template, self.params = template, params
        super().__init__(template.format(**params) if params else template)


def check_account_name(name: str) -> None:
    """Raise :class:`AccountNameError` unless ``name`` may be an account's: the rule
    (:data:`ACCOUNT_NAME`), then none of :data:`SYSTEM_ACTORS`' names in any case (a user
    ``CLI`` would read as the command line all the same). The command line's ``cli:<login>``
    form needs no test of its own: the rule refuses every name with a ``:`` (tests/test_ledger
    checks that it does). The name as given: a caller that trims does so before."""
    if not ACCOUNT_NAME.fullmatch(name):
        raise AccountNameError(ACCOUNT_NAME_RULE)
    if name.lower() in SYSTEM_ACTORS:
        raise AccountNameError(RESERVED_NAME, name=name)


def cli_actor(login: str | None) -> str:
    """Who the command line records an action by: ``cli:<login>`` (the OS login name kept as
    a detail), or ``cli`` without one. The login is an environment variable's
    (``getpass.getuser`` reads ``LOGNAME``, ``USER`` ...): what is not printable (control
    characters, NUL, invisible direction controls) is dropped, and it is cut to fit the
    actor columns."""
    text = "".join(c for c in login or "" if c.isprintable()).strip()
    return (CLI_LOGIN_PREFIX + text)[:_ACTOR_LENGTH] if text else CLI_ACTOR


def actor_label(name: str, lang: str) -> str | None:
    """A system actor's label in ``lang`` ("Command line (login root)", 命令行（登录名 root）,
    "Demo data"), or ``None`` for an account's name, which is shown as it is. The exact
    stored forms only: a bare login an older ledger recorded is shown as stored."""
    if name.startswith(CLI_LOGIN_PREFIX):
        return fill(gettext("Command line (login {login})", lang),
                    {"login": name[len(CLI_LOGIN_PREFIX):]}, lang)
    label = SYSTEM_ACTORS.get(name)  # the portal's catalogue holds them (its tests check)
    return None if label is None else gettext(label, lang)


def utc_now() -> datetime:
    """Now, in UTC (every time the ledger stores)."""
    return datetime.now(tz=UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes: they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _chinese_name(organization: str | None) -> str | None:
    """``organization_name_zh`` of a stored Organization sheet (JSON), if it gives one."""
    if not organization:
        return None
    name = json.loads(organization).get("organization_name_zh")
    text = str(name).strip() if name else ""
    return text or None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Entities, periods, users, tokens and reviews (needs ``engine``, ``_write``, ``_audit``)."""

    engine: Any

    def _write(self) -> Any:  # provided by Ledger
        raise NotImplementedError

    def _audit(self, connection: Connection, action: str, actor: str,
               detail: dict[str, Any]) -> None:  # provided by Ledger
        raise NotImplementedError

    # -- entities and periods ---------------------------------------------------------------

    def entities(self) -> list[dict[str, Any]]:
        """Every entity, with ``name_zh``: the Chinese name its newest submission gives
        (``organization_name_zh``), for pages in Chinese; ``None`` when there is none."""
        newest = (select(func.max(t.submissions.c.id))
                  .where(t.submissions.c.entity_id.is_not(None))
                  .group_by(t.submissions.c.entity_id))
        with self.engine.connect() as connection:
            chinese = {r.entity_id: _chinese_name(r.organization) for r in connection.execute(
                select(t.submissions.c.entity_id, t.submissions.c.organization)
                .where(t.submissions.c.id.in_(newest)))}
            return [{"entity_id": r.entity_id, "name": r.name, "parent_id": r.parent_id,
                     "created_at": as_utc(r.created_at), "name_zh": chinese.get(r.entity_id)}
                    for r in connection.execute(select(t.entities)
                                                .order_by(t.entities.c.entity_id))]

    def add_entity(self, entity_id: str, name: str, parent: str | None = None,
                   by: str = CLI_ACTOR) -> None:
        """Add an entity to the roster; an existing id is a :class:`LedgerError`."""
        try:
            with self._write() as connection, connection.begin():
                connection.execute(insert(t.entities).values(
                    entity_id=entity_id, name=name, parent_id=parent, created_at=utc_now(),
                    created_by=by))
                self._audit(connection, "entity.add", by,
                            {"entity_id": entity_id, "name": name, "parent_id": parent})
        except IntegrityError:
            raise LedgerError(f"entity {entity_id}: already in the ledger") from None

    def roster(self, parent: str | None = None) -> list[dict[str, Any]]:
        """Entities whose parent is ``parent`` (all entities when ``None``)."""
        return [e for e in self.entities() if parent is None or e["parent_id"] == parent]

    def periods(self) -> list[dict[str, Any]]:
        """Every year that was ever opened, with its current state (the newest event)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(t.period_events).order_by(t.period_events.c.id))
            state: dict[int, dict[str, Any]] = {}
            for row in rows:
                state[row.year] = {"year": row.year, "state": row.state,
                                   "changed_at": as_utc(row.at), "changed_by": row.by}
        return [state[year] for year in sorted(state)]

    def _period_event(self, year: int, new_state: str, by: str) -> bool:
        """Put the period in ``new_state``; ``False`` when it is in it already, which
        changes nothing and records nothing (no event, no audit entry): opening an open
        period twice is not two openings, even at the same instant.

        The event takes the next place (``seq``) of its year, inserted with ON CONFLICT DO
        NOTHING: at PostgreSQL's read committed, two writers may both read the same newest
        event; the unique ``(year, seq)`` lets the first in and the second inserts nothing,
        reads the winner's event (a new statement sees it committed) and decides again.
        SQLite's writers queue for its lock (``BEGIN IMMEDIATE``) and never meet here."""
        with self._write() as connection, connection.begin():
            for _attempt in range(3):  # a second reads the first's winner: one more is slack
                newest = connection.execute(
                    select(t.period_events.c.state, t.period_events.c.seq)
                    .where(t.period_events.c.year == year)
                    .order_by(t.period_events.c.seq.desc()).limit(1)).first()
                if newest is not None and newest.state == new_state:
                    return False
                added = connection.execute(_insert_new(connection, t.period_events).values(
                    year=year, state=new_state, at=utc_now(), by=by,
                    seq=(newest.seq if newest is not None else 0) + 1)
                    .returning(t.period_events.c.id)).first()
                if added is not None:  # (psycopg's rowcount of an INSERT ... RETURNING: -1)
                    break
            else:  # not at read committed (each statement its own snapshot)? say so
                raise LedgerError(f"period {year}: its newest event could not be read")
            self._audit(connection, f"period.{new_state}", by, {"year": year})
        return True

    def open_period(self, year: int, by: str = CLI_ACTOR) -> bool:
        """Open the period; ``False`` when it was open already (nothing recorded)."""
        return self._period_event(year, "open", by)

    def close_period(self, year: int, by: str = CLI_ACTOR) -> bool:
        """Close the period; ``False`` when it was closed already (nothing recorded)."""
        return self._period_event(year, "closed", by)

    def is_open(self, year: int) -> bool:
        return any(p["year"] == year and p["state"] == "open" for p in self.periods())

    # -- users, tokens, reviews ---------------------------------------------------------------

    def add_user(self, name: str, role: str, entities: Sequence[str] = (),
                 password: str | None = None, by: str = CLI_ACTOR) -> None:
        """Create an account (argon2 hash of the password). A name the rule refuses
        (:func:`check_account_name`) is an :class:`AccountNameError`, an existing name or an
        unknown role a :class:`LedgerError`."""
        check_account_name(name)
        if role not in ROLES:
            raise LedgerError(f"role {role!r}: use admin, auditor or submitter")
        secret = password if password else secrets.token_urlsafe(24)
        try:
            with self._write() as connection, connection.begin():
                connection.execute(insert(t.users).values(
                    name=name, role=role, password_hash=password_hasher().hash(secret),
                    created_at=utc_now()))
                for entity_id in dict.fromkeys(entities):
                    connection.execute(insert(t.user_entities).values(
                        user_name=name, entity_id=entity_id))
                self._audit(connection, "user.add", by,
                            {"name": name, "role": role, "entities": list(entities)})
        except IntegrityError:
            raise LedgerError(f"user {name}: already exists") from None

    def users(self) -> list[User]:
        with self.engine.connect() as connection:
            links: dict[str, list[str]] = {}
            for link in connection.execute(select(t.user_entities)
                                           .order_by(t.user_entities.c.entity_id)):
                links.setdefault(link.user_name, []).append(link.entity_id)
            return [User(r.name, r.role, tuple(links.get(r.name, [])), as_utc(r.created_at))
                    for r in connection.execute(select(t.users).order_by(t.users.c.name))]

    def user(self, name: str) -> User | None:
        """One account (every portal request asks for its session's): its row and its
        entities only, not every account's."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(t.users.c.name, t.users.c.role, t.users.c.created_at)
                .where(t.users.c.name == name)).first()
            if row is None:
                return None
            entities = connection.execute(
                select(t.user_entities.c.entity_id).where(t.user_entities.c.user_name == name)
                .order_by(t.user_entities.c.entity_id)).scalars()
            return User(row.name, row.role, tuple(entities), as_utc(row.created_at))

    def verify_password(self, name: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        with self.engine.connect() as connection:
            stored = connection.execute(select(t.users.c.password_hash).where(
                t.users.c.name == name)).scalar_one_or_none()
        if stored is None:
            return False
        try:
            return password_hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def issue_token(self, name: str, by: str | None = None) -> str:
        """A new API token for the user; only its SHA-256 is stored."""
        if self.user(name) is None:
            raise LedgerError(f"user {name}: no such user")
        token = secrets.token_urlsafe(32)
        with self._write() as connection, connection.begin():
            connection.execute(insert(t.api_tokens).values(
                token_sha256=_hash_token(token), user_name=name, created_at=utc_now()))
            self._audit(connection, "token.issue", by or name, {"user": name})
        return token

    def user_for_token(self, token: str) -> User | None:
        with self.engine.connect() as connection:
            name = connection.execute(select(t.api_tokens.c.user_name).where(
                t.api_tokens.c.token_sha256 == _hash_token(token))).scalar_one_or_none()
        return self.user(name) if name else None

    def review(self, submission_id: int, decision: str, comment: str, by: str) -> None:
        """Sign off or return a submission (a new row; the newest review counts)."""
        if decision not in DECISIONS:
            raise LedgerError(f"decision {decision!r}: use signed_off or returned")
        with self._write() as connection, connection.begin():
            exists = connection.execute(select(func.count()).select_from(t.submissions).where(
                t.submissions.c.id == submission_id)).scalar_one()
            if not exists:
                raise LedgerError(f"submission {submission_id}: not in the ledger")
            connection.execute(insert(t.reviews).values(
                submission_id=submission_id, decision=decision, comment=comment, by=by,
                at=utc_now()))
            self._audit(connection, f"review.{decision}", by,
                        {"submission_id": submission_id, "comment": comment})

    def reviews(self, submission_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [review_dict(r) for r in connection.execute(
                select(t.reviews).where(t.reviews.c.submission_id == submission_id)
                .order_by(t.reviews.c.id))]

    def latest_reviews(self, submission_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The newest review of each of these submissions that has one, by submission id:
        one query per 500 ids (a list of submissions asks for all of its rows at once)."""
        ids = sorted(set(submission_ids))
        latest: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                for row in connection.execute(
                        select(t.reviews)
                        .where(t.reviews.c.submission_id.in_(ids[start:start + _IDS_PER_QUERY]))
                        .order_by(t.reviews.c.id)):
                    latest[row.submission_id] = review_dict(row)  # the newest comes last
        return latest


def review_dict(row: Any) -> dict[str, Any]:
    return {"id": row.id, "submission_id": row.submission_id, "decision": row.decision,
            "comment": row.comment, "by": row.by, "at": as_utc(row.at)}


def _insert_new(connection: Connection, table: Any) -> Any:
    """An INSERT of ``table`` that inserts nothing (and returns no row) where a row with the
    same unique key is there already, in the dialect's words (the ledger's are these two)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()
