"""The ledger's tables (SQLAlchemy Core), as the newest migration leaves them.

The migrations in ``envreport/ledger/migrations/versions`` create these tables; this module
describes them for queries and inserts. ``tests/test_ledger.py`` checks that the migrated
database and this module agree, and that every column of the workbook contract has a place
in its sheet's row table. Nothing here is ever updated in place: a resubmission, a review and
a period's opening or closing are new rows (docs/ledger.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    table,
)
from sqlalchemy.types import TypeEngine

from envreport.schema import Sheet

metadata = MetaData()

entities = Table(
    "entities", metadata,
    Column("entity_id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_id", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
)

period_events = Table(
    "period_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False, index=True),
    Column("state", String(10), nullable=False),  # open | closed
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(100), nullable=False),
    # the event's place among its year's (1, 2, ...): two writers that read the same newest
    # event both insert the next place, and the constraint lets one in (migration 0005)
    Column("seq", Integer, nullable=False),
    UniqueConstraint("year", "seq", name="uq_period_events_year_seq"),
)

users = Table(
    "users", metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),  # admin | auditor | submitter
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

user_entities = Table(
    "user_entities", metadata,
    Column("user_name", String(100), ForeignKey("users.name"), primary_key=True),
    Column("entity_id", String(100), primary_key=True),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(100), nullable=True, index=True),  # null: unreadable file
    Column("period_start", Date, nullable=True),
    Column("period_end", Date, nullable=True),
    Column("period_year", Integer, nullable=True, index=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("received_by", String(100), nullable=False),
    Column("source", String(10), nullable=False),  # cli | web | api
    # valid | valid_with_warnings | invalid | unreadable
    Column("outcome", String(20), nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("envreport_version", String(40), nullable=False),
    Column("factor_library_version", String(40), nullable=True),
    Column("gwp_set", String(10), nullable=True),
    Column("consolidation_approach", String(30), nullable=True),
    Column("organization", Text, nullable=True),  # the Organization sheet as JSON
    Column("row_counts", Text, nullable=True),  # {sheet: {read, accepted, rejected, blank}}
    Index("ix_submissions_entity_period", "entity_id", "period_start", "period_end"),
)

submission_files = Table(
    "submission_files", metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

findings = Table(
    "findings", metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("severity", String(10), nullable=False),
    Column("code", String(60), nullable=False),
    Column("sheet", Text, nullable=True),
    Column("cell", String(20), nullable=True),
    Column("row", Integer, nullable=True),
    Column("column", String(5), nullable=True),
    Column("field", Text, nullable=True),
    Column("value", Text, nullable=True),  # JSON
    Column("message_en", Text, nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("hint_en", Text, nullable=True),
    Column("hint_zh", Text, nullable=True),
)

results = Table(
    "results", metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("schema_version", String(10), nullable=False),
    Column("results_json", Text, nullable=False),  # results.json exactly as built
)

# Every numeric figure of a valid submission's results, one row per key path, so that
# history, comparison and SQL users need not parse results.json.
figures = Table(
    "figures", metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("value", Float, nullable=True),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
    Column("decision", String(20), nullable=False),  # signed_off | returned
    Column("comment", Text, nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Reports built from the ledger: which submission, and which stored periods it compared
# against (for the error-correction trigger: a period resubmitted after a report used it).
report_builds = Table(
    "report_builds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
    Column("used_submission_ids", Text, nullable=False),  # JSON list
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(100), nullable=False),
)

# The view the first migration creates: current | superseded | rejected per submission
# (a lightweight table clause, so that it is not part of ``metadata``'s tables).
submission_status = table("submission_status", column("submission_id"), column("status"))

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(60), nullable=False),
    Column("detail", Text, nullable=False),  # JSON
)

# Accepted rows of every sheet, typed: kind → SQL type. The column lists are the contract at
# the time of the migration that created them (see migrations); a column the contract gains
# later without a migration is kept in ``extra`` (JSON) so that nothing is lost.
ROW_KINDS: dict[str, dict[str, str]] = {
    Sheet.PROJECTS: {
        "project_id": "text", "project_name": "text", "project_name_zh": "text",
        "host_country": "text", "sector": "text", "project_type": "text", "status": "text",
        "ownership_pct": "number", "operational_control": "bool", "financial_control": "bool",
        "installed_capacity_mw": "number", "construction_start": "date",
        "operation_start": "date", "acquired_date": "date", "eia_status": "text",
        "eia_approval_date": "date", "eia_authority": "text", "eia_authority_zh": "text",
        "environmental_standard": "text", "protected_area_distance_km": "number",
        "water_stressed": "bool", "latitude": "number", "longitude": "number",
        "protected_area_name": "text", "protected_area_name_zh": "text",  # 0002
    },
    Sheet.FUEL: {
        "project_id": "text", "period_start": "date", "period_end": "date", "fuel": "text",
        "quantity": "number", "unit": "text", "use": "text", "data_quality": "text",
        "source_ref": "text",
    },
    Sheet.ELECTRICITY: {
        "project_id": "text", "period_start": "date", "period_end": "date",
        "energy_type": "text", "quantity": "number", "unit": "text", "grid_country": "text",
        "supplier": "text", "instrument": "text", "instrument_quantity": "number",
        "instrument_factor_kg_per_kwh": "number", "supplier_factor_kg_per_kwh": "number",
        "data_quality": "text", "source_ref": "text",
    },
    Sheet.GENERATION: {
        "project_id": "text", "period_start": "date", "period_end": "date",
        "technology": "text", "gross_generation_mwh": "number", "net_export_mwh": "number",
    },
    Sheet.REFRIGERANTS: {
        "project_id": "text", "period_start": "date", "period_end": "date", "gas": "text",
        "quantity_kg": "number", "method": "text",
    },
    Sheet.WATER: {
        "project_id": "text", "period_start": "date", "period_end": "date", "flow": "text",
        "source": "text", "quantity": "number", "unit": "text", "treated": "bool",
        "water_quality": "text", "data_quality": "text",
    },
    Sheet.WASTE: {
        "project_id": "text", "period_start": "date", "period_end": "date",
        "waste_type": "text", "waste_type_zh": "text", "hazardous": "bool",
        "quantity": "number", "unit": "text", "disposal": "text", "location": "text",
        "data_quality": "text",
    },
    Sheet.POLLUTANTS: {
        "project_id": "text", "period_start": "date", "period_end": "date",
        "pollutant": "text", "quantity_t": "number", "limit_exceedances": "integer",
        "standard": "text", "standard_zh": "text",  # 0002
    },
    Sheet.INCIDENTS: {
        "project_id": "text", "incident_id": "text", "related_incident_id": "text",
        "date": "date", "type": "text", "severity": "text", "description": "text",
        "description_zh": "text", "fine_amount": "number", "currency": "text",
        "status": "text", "corrective_action": "text", "corrective_action_zh": "text",
    },
    Sheet.MITIGATION: {
        "project_id": "text", "action": "text", "action_zh": "text", "category": "text",
        "status": "text", "annual_reduction_tco2e": "number", "investment": "number",
        "currency": "text", "completion_date": "date",
    },
    Sheet.GREEN_FINANCE: {
        "instrument": "text", "amount": "number", "currency": "text", "issue_date": "date",
        "maturity_date": "date", "use_of_proceeds": "text", "use_of_proceeds_zh": "text",
        "project_ids": "list", "standard": "text", "standard_zh": "text",  # 0002
    },
    Sheet.FACTORS: {
        "factor_type": "text", "key": "text", "gas": "text", "value": "number",
        "unit": "text", "year": "integer", "source": "text", "source_zh": "text",  # 0003
    },
    Sheet.TARGETS: {
        "metric": "text", "base_year": "integer", "base_value": "number",
        "target_year": "integer", "target_reduction_pct": "number",
    },
    Sheet.SUBSIDIARIES: {
        "entity_id": "text", "entity_name": "text", "entity_name_zh": "text",
        "ownership_pct": "number", "operational_control": "bool", "financial_control": "bool",
    },
    Sheet.FX_RATES: {
        "currency": "text", "rate_to_reporting_currency": "number", "source": "text",
        "source_zh": "text",  # 0003
    },
    Sheet.NARRATIVE: {
        "topic": "text", "text": "text", "text_zh": "text",
    },
}


def row_table_name(sheet: str) -> str:
    """``Fuel`` → ``rows_fuel``, ``GreenFinance`` → ``rows_greenfinance``."""
    return f"rows_{sheet.lower()}"


def sql_type(kind: str) -> type[TypeEngine[Any]]:
    """The SQL type a contract kind is stored as (lists as JSON text)."""
    return {"number": Float, "integer": Integer, "date": Date, "bool": Boolean}.get(kind, Text)


def _row_table(sheet: str, kinds: dict[str, str]) -> Table:
    # Contract columns keep their contract names; the Excel row number is ``excel_row`` so
    # that no contract column can clash with it.
    columns: list[Column[Any]] = [Column(name, sql_type(kind), nullable=True)
                                  for name, kind in kinds.items()]
    return Table(
        row_table_name(sheet), metadata,
        Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
        Column("excel_row", Integer, primary_key=True),
        *columns,
        Column("extra", Text, nullable=True),
    )


ROW_TABLES: dict[str, Table] = {
    sheet: _row_table(sheet, kinds) for sheet, kinds in ROW_KINDS.items()
}
