"""Opening a ledger database: the engine, its SQLite settings, and the schema migrations.

SQLite (the default) runs in WAL mode with a busy timeout, and every write transaction
starts with ``BEGIN IMMEDIATE`` so that two writers queue for the lock instead of one of
them failing half-way. PostgreSQL needs nothing special: each write is one transaction.
Migrations run under a lock (SQLite's write lock, a PostgreSQL advisory lock) so that two
processes opening a new database at once do not both create it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

DEFAULT_URL = "sqlite:///envreport.db"
MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant will do: it names the lock that serialises migrations on PostgreSQL.
_PG_MIGRATION_LOCK = 0x656E7672  # "envr"
SQLITE_BUSY_TIMEOUT_MS = 60_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


class LedgerError(Exception):
    """The ledger cannot be used as asked; the message is one line for the user."""


#: PostgreSQL can neither store nor compare text holding NUL (U+0000) and raises an error
#: the caller does not expect; SQLite would take it. The ledger refuses it on both, the same
#: way, rather than altering what it was asked to record.
_NUL = "\x00"
#: execution options of a statement whose parameters were checked for NUL already
_NUL_CHECKED_OPTION = "ledger_nul_checked"
NUL_CHECKED = {_NUL_CHECKED_OPTION: True}


def refuse_nul(values: Iterable[tuple[object, object]]) -> None:
    """Raise :class:`LedgerError` when one of the ``(name, value)`` pairs is text holding
    NUL (U+0000): nothing is altered, and the write's transaction is rolled back."""
    for name, value in values:
        if isinstance(value, str) and _NUL in value:
            raise LedgerError(f"{name}: the ledger does not take text holding a NUL "
                              "character (U+0000); nothing was recorded")


def refuse_nul_in_column(name: str, values: list[Any]) -> None:
    """:func:`refuse_nul` for one column of many rows, ``name`` naming it: the column's texts
    joined and searched once: about 0.05 s per million values (100 000 rows of 20 columns
    is two million), half what a check value by value took."""
    texts = [value for value in values if isinstance(value, str)]
    if texts and _NUL in "".join(texts):
        refuse_nul((name, text) for text in texts)


def _parameter_pairs(parameters: Any,
                     names: Sequence[str] | None) -> Iterator[tuple[object, object]]:
    """A statement's parameters as (name, value): a named parameter by its name (a column,
    ``name``), a positional one by the compiled statement's name for it (``names``, as
    SQLite's ``?`` parameters come) or else by its number (``parameter 3``). One set or an
    executemany's sets are told apart by their shape, not by the event's ``executemany``:
    an insertmanyvalues batch is one set sent with ``executemany`` true."""
    if not parameters:
        return
    sets = parameters if isinstance(parameters[0] if isinstance(parameters, Sequence)
                                    else None, Mapping | list | tuple) else (parameters,)
    for one in sets:
        if isinstance(one, Mapping):
            yield from one.items()
            continue
        named = names if names is not None and len(names) == len(one) else None
        for number, value in enumerate(one, start=1):
            yield (named[number - 1] if named else f"parameter {number}"), value


def _nul_guard(engine: Engine) -> None:
    """Every statement sent through SQLAlchemy (Core's, ``exec_driver_sql``'s), reads
    included, is refused before the database sees it when a text parameter holds NUL. The
    accepted rows (``rows.store_rows``) are checked by column before they are sent, through
    COPY, which bypasses SQLAlchemy, or as a statement marked :data:`NUL_CHECKED`."""

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse(_connection: Any, _cursor: Any, _statement: str, parameters: Any,
                context: Any, _executemany: bool) -> None:
        if not context.execution_options.get(_NUL_CHECKED_OPTION):
            compiled = getattr(context, "compiled", None)
            refuse_nul(_parameter_pairs(parameters, getattr(compiled, "positiontup", None)))


def default_url() -> str:
    """``$ENVREPORT_DB`` or ``sqlite:///envreport.db`` in the working folder."""
    return os.environ.get("ENVREPORT_DB") or DEFAULT_URL


def describe(url: URL) -> str:
    """The database as the user named it, without a password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def parse_url(text: str) -> URL:
    try:
        url = make_url(text)
    except ArgumentError:
        raise LedgerError(f"{text}: not a database URL (use sqlite:///FILE.db or "
                          "postgresql+psycopg://USER@HOST/DB)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    return url


def _check_sqlite_file(url: URL) -> None:
    """Refuse a file that exists but is not an SQLite database, before SQLite touches it."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise LedgerError(f"{path}: is a folder, not a ledger database")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                raise LedgerError(f"{path}: not an envreport ledger (the file is not an "
                                  "SQLite database; it may be damaged)")
    elif not path.parent.exists():
        raise LedgerError(f"{path}: its folder {path.parent} does not exist")


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A write takes the lock at BEGIN: a deferred transaction that upgrades later can
        # fail at once with "database is locked" when another writer got there first.
        immediate = connection.get_execution_options().get("ledger_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_engine(text: str) -> Engine:
    """An engine for the URL, with the settings above; one-line :class:`LedgerError`s."""
    url = parse_url(text)
    backend = url.get_backend_name()
    if backend == "sqlite":
        _check_sqlite_file(url)
    elif backend != "postgresql":
        raise LedgerError(f"{describe(url)}: the ledger runs on SQLite or PostgreSQL, "
                          f"not {backend}")
    try:
        if backend == "sqlite":
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _sqlite_settings(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as error:
        raise LedgerError(f"{describe(url)}: database driver missing ({error})") from None
    _nul_guard(engine)
    return engine


def write_options() -> dict[str, Any]:
    """Execution options of a connection that will write (BEGIN IMMEDIATE on SQLite)."""
    return {"ledger_write": True}


def _script() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    """The schema revision this envreport writes."""
    head = _script().get_current_head()
    assert head is not None
    return head


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*["']([^"']+)["']""", re.M)


@lru_cache(maxsize=1)
def shipped_heads() -> frozenset[str]:
    """The head revisions of the shipped migrations, read from their files' ``revision`` and
    ``down_revision`` lines: what alembic's script directory says (a test holds them equal),
    without importing alembic, which an up-to-date ledger does not need."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).add(value)
    return frozenset(revisions - parents)


def _up_to_date(engine: Engine) -> bool:
    """Whether the database is at the shipped head (read without alembic); ``False`` when
    that cannot be told: a new or damaged database, an older or newer schema."""
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(
                text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:
        return False
    return bool(stored) and stored == shipped_heads()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema; refuse a database made by a newer envreport."""
    if _up_to_date(engine):
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    script = _script()
    known = {revision.revision for revision in script.walk_revisions()}
    where = describe(engine.url)
    try:
        with engine.connect().execution_options(**write_options()) as connection:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
                current = set(MigrationContext.configure(connection).get_current_heads())
                unknown = current - known
                if unknown:
                    raise LedgerError(
                        f"{where}: this ledger was made by a newer envreport (schema "
                        f"{', '.join(sorted(unknown))}); upgrade envreport to use it")
                if current == {script.get_current_head()}:
                    return
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except DBAPIError as error:
        raise LedgerError(f"{where}: cannot be opened as a ledger "
                          f"({_first_line(error.orig)})") from None
    except SQLAlchemyError as error:
        raise LedgerError(f"{where}: cannot be opened as a ledger ({_first_line(error)})") \
            from None


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
