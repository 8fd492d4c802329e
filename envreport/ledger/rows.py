"""Accepted rows between a :class:`~envreport.submission.Submission` and the row tables.

Storing: one typed table per sheet (``rows_fuel`` ...), written in bulk. Loading: the same
DataFrames validation produced (contract columns, ``row``, the documented dtypes), so that
a stored period can be computed again under another envreport's methods (restatement).
The Organization sheet is stored as one JSON object on the submission.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from envreport.ledger.store import NUL_CHECKED, refuse_nul_in_column
from envreport.ledger.tables import ROW_KINDS, ROW_TABLES
from envreport.schema.registry import SHEETS_BY_NAME
from envreport.submission import InputFile, Organization, Submission


def _plain(value: Any) -> Any:
    """A cell value as the database driver wants it (no NaN, NaT, numpy or Timestamp)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, list | tuple | str):
        return _plain(value.item())  # numpy scalar
    return value


def _json_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _column_values(kind: str, column: pd.Series) -> list[Any]:
    """One column as plain Python values for the driver (None for blanks), vectorised."""
    present = column.notna()
    if kind == "date":
        # ISO text, made in C: SQLite keeps dates as ISO text (as SQLAlchemy's Date type
        # stores and reads them) and PostgreSQL's COPY parses it; per-value date objects and
        # isoformat() calls cost more than the insert
        days = pd.to_datetime(column, errors="coerce").to_numpy(dtype="datetime64[D]")
        return list(pd.Series(np.datetime_as_string(days, unit="D"), dtype=object,
                              index=column.index).where(present, None))
    if kind == "list":
        return [json.dumps(list(v), ensure_ascii=False) if isinstance(v, list | tuple)
                else None for v in column]
    if kind in ("number", "integer", "bool"):
        return list(column.astype(object).where(present, None))
    return [str(v) if ok else None for v, ok in zip(column.tolist(), present, strict=True)]


def frame_columns(sheet: str, frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The rows of ``frame`` column by column, named as the sheet's table (without the id)."""
    kinds = ROW_KINDS[sheet]
    if not frame["row"].is_unique:
        # A group's merged rows come from several workbooks: number them, keep the origin.
        frame = frame.assign(source_row=frame["row"], row=range(1, len(frame) + 1))
    known = [name for name in frame.columns if name in kinds]
    extra = [name for name in frame.columns if name not in kinds and name != "row"]
    columns: dict[str, list[Any]] = {"excel_row": [int(r) for r in frame["row"]]}
    for name in known:
        columns[name] = _column_values(kinds[name], frame[name])
    if extra:
        # A contract column this schema revision has no column for: kept as JSON, not lost.
        columns["extra"] = [
            json.dumps({name: _json_cell(frame[name].iloc[i]) for name in extra},
                       ensure_ascii=False, sort_keys=True)
            for i in range(len(frame))
        ]
    return columns


def _copy_rows(connection: Connection, table: Any, submission_id: int,
               columns: dict[str, list[Any]]) -> None:
    """PostgreSQL: the rows through COPY, inside the connection's open transaction."""
    quote = connection.dialect.identifier_preparer.quote
    names = ["submission_id", *columns]
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = (f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                 "FROM STDIN")
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for values in zip(*columns.values(), strict=True):
            copy.write_row((submission_id, *values))


def _insert_rows(connection: Connection, table: Any, submission_id: int,
                 columns: dict[str, list[Any]]) -> None:
    """SQLite: the rows as tuples through one ``executemany`` of the driver (SQLAlchemy's
    per-row parameter processing costs more than the insert; each row binds its own
    parameters, so no batch is needed for SQLite's variable limit). Dates come as ISO text
    and booleans are stored as 0/1, as SQLAlchemy's own SQLite types store and read them."""
    quote = connection.dialect.identifier_preparer.quote
    names = ["submission_id", *columns]
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                 f"VALUES ({', '.join('?' for _ in names)})")
    rows = list(zip(repeat(submission_id), *columns.values()))
    # checked by column in store_rows: the statement's guard would check every value again
    connection.exec_driver_sql(statement, rows, execution_options=NUL_CHECKED)


def store_rows(connection: Connection, submission_id: int, submission: Submission) -> int:
    """Insert every sheet's accepted rows in bulk; returns how many rows were written.

    PostgreSQL takes them through COPY, SQLite through batched ``executemany``.
    """
    written = 0
    for sheet, frame in submission.tables.items():
        if sheet not in ROW_TABLES or frame is None or frame.empty:
            continue
        table = ROW_TABLES[sheet]
        columns = frame_columns(sheet, frame)
        # the ledger's NUL guard, by column: COPY bypasses SQLAlchemy's statement events
        for name, values in columns.items():
            refuse_nul_in_column(f"{table.name}.{name}", values)
        if connection.dialect.name == "postgresql":
            _copy_rows(connection, table, submission_id, columns)
        else:
            _insert_rows(connection, table, submission_id, columns)
        written += len(frame)
    return written


def _typed(sheet: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give the loaded columns the dtypes validation gives them (see Submission)."""
    spec = SHEETS_BY_NAME.get(sheet)
    kinds = spec.kinds if spec else ROW_KINDS[sheet]
    for name, kind in kinds.items():
        if name not in frame.columns:
            frame[name] = None
        column = frame[name]
        if kind == "date":
            frame[name] = pd.to_datetime(column, errors="coerce")
        elif kind == "bool":
            frame[name] = column.astype("boolean")
        elif kind == "number":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "integer":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("Int64")
        elif kind == "list":
            frame[name] = [json.loads(v) if isinstance(v, str) else [] for v in column]
        else:
            frame[name] = column.astype(object).where(column.notna(), None)
    ordered = ["row", *kinds, *[c for c in frame.columns if c != "row" and c not in kinds]]
    return frame[ordered]


def load_tables(connection: Connection, submission_id: int,
                sheets: list[str]) -> dict[str, pd.DataFrame]:
    """The stored accepted rows of a submission, per sheet, as validation produced them."""
    tables: dict[str, pd.DataFrame] = {}
    for sheet in sheets:
        table = ROW_TABLES.get(sheet)
        if table is None:
            continue
        query = (select(table).where(table.c.submission_id == submission_id)
                 .order_by(table.c.excel_row))
        result = connection.execute(query)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        frame = frame.drop(columns=["submission_id"]).rename(columns={"excel_row": "row"})
        extras = frame.pop("extra")
        if extras.notna().any():
            unpacked = pd.DataFrame([json.loads(v) if isinstance(v, str) else {}
                                     for v in extras], index=frame.index)
            for name in unpacked.columns:
                frame[name] = unpacked[name]
        if "source_row" in frame.columns:
            frame["row"] = frame.pop("source_row")
        frame["row"] = frame["row"].astype("int64")
        tables[sheet] = _typed(sheet, frame)
    return tables


def organization_json(organization: Organization) -> str:
    """The Organization record as JSON (dates ISO)."""
    return json.dumps(organization.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def organization_from_json(text: str, **changes: Any) -> Organization:
    """The Organization record back from :func:`organization_json`, with ``changes``.

    A field an older or newer envreport stored and this one does not know is ignored.
    """
    return Organization.model_validate({**json.loads(text), **changes})


def rebuild_submission(connection: Connection, submission_id: int, file_name: str,
                       sha256: str, organization: str, sheets: list[str],
                       **organization_changes: Any) -> Submission:
    """A stored valid submission as a :class:`Submission` ready for ``compute``."""
    org = organization_from_json(organization, **organization_changes)
    tables = load_tables(connection, submission_id, sheets)
    return Submission(source=InputFile(file_name, sha256), organization=org, tables=tables)
