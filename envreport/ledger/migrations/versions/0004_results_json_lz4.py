"""PostgreSQL: ``results.results_json`` compressed with lz4 instead of pglz.

A 100 000-row workbook's results.json is ~100 MB of text; PostgreSQL's default TOAST
compression (pglz) took the server about twice as long to write it as lz4, which compresses
it as well (about a tenth). Only where the server has lz4 (PostgreSQL 14 and later, built with
it, as Debian's is); older values stay as they are (a column's compression applies to new
writes). SQLite is unchanged.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    values = bind.execute(sa.text(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")).scalar()
    return values is not None and "lz4" in values  # enumvals: the setting's choices


def upgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE results ALTER COLUMN results_json SET COMPRESSION lz4")


def downgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE results ALTER COLUMN results_json SET COMPRESSION pglz")
