"""``ledger export``: every table of the ledger as CSV or Parquet, for pandas, DuckDB or BI.

CSV fields go through :func:`envreport.safe_text.csv_safe` (a workbook's text never becomes a
live formula in a spreadsheet); the original workbooks (``submission_files.content``) are
base64 text in CSV and binary in Parquet. Tables are read in chunks, so a large ledger is not
held in memory at once.
"""

from __future__ import annotations

import base64
import csv
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Column, Engine, LargeBinary, Result, select

from envreport.ledger.tables import metadata

ExportFormat = Literal["csv", "parquet"]
_CHUNK = 10_000
# Credentials stay in the ledger: an export goes to BI tools and shared folders, and an
# argon2 hash can be attacked offline. Users and tokens are exported without them.
_CREDENTIALS = {"users": {"password_hash"}, "api_tokens": {"token_sha256"}}


def export_tables(engine: Engine, out_dir: Path, export_format: ExportFormat) -> list[Path]:
    """Write ``out_dir/<table>.csv`` (or ``.parquet``) for every ledger table (without the
    password hashes and token hashes: :data:`_CREDENTIALS`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            secret = _CREDENTIALS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in secret]
            names = [column.name for column in columns]
            binary = {c.name for c in columns if isinstance(c.type, LargeBinary)}
            key = list(table.primary_key.columns) or list(table.columns)
            result = connection.execution_options(stream_results=True).execute(
                select(*columns).order_by(*key))
            path = out_dir / f"{table.name}.{export_format}"
            if export_format == "csv":
                _write_csv(path, names, binary, result)
            else:
                _write_parquet(path, columns, result)
            written.append(path)
    return written


def _write_csv(path: Path, names: list[str], binary: set[str], result: Result[Any]) -> None:
    from envreport.safe_text import csv_safe

    positions = [i for i, name in enumerate(names) if name in binary]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(names)
        for chunk in result.partitions(_CHUNK):
            for row in chunk:
                values = list(row)
                for i in positions:
                    if values[i] is not None:
                        values[i] = base64.b64encode(bytes(values[i])).decode("ascii")
                writer.writerow([csv_safe(v.isoformat() if hasattr(v, "isoformat") else v)
                                 for v in values])


def _write_parquet(path: Path, exported: list[Column[Any]], result: Result[Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c.name, _arrow_type(c.type)) for c in exported])
    with pq.ParquetWriter(path, schema) as writer:
        empty = True
        for chunk in result.partitions(_CHUNK):
            columns = list(zip(*chunk, strict=True)) if chunk else []
            arrays = [pa.array(list(values), type=field.type)
                      for values, field in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            empty = False
        if empty:
            writer.write_table(schema.empty_table())


def _arrow_type(sql_type: object) -> object:
    import pyarrow as pa
    from sqlalchemy import Boolean, Date, DateTime, Float, Integer

    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Integer):
        return pa.int64()
    if isinstance(sql_type, Float):
        return pa.float64()
    if isinstance(sql_type, DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(sql_type, Date):
        return pa.date32()
    if isinstance(sql_type, LargeBinary):
        return pa.binary()
    return pa.string()
