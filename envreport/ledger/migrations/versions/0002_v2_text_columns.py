"""Columns the workbook contract gained with version 2 after the first schema: the protected
area's name (Projects) and the Chinese text of ``standard`` (Pollutants, GreenFinance).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ADDED = {
    "rows_projects": ("protected_area_name", "protected_area_name_zh"),
    "rows_pollutants": ("standard_zh",),
    "rows_greenfinance": ("standard_zh",),
}


def upgrade() -> None:
    for table, columns in _ADDED.items():
        with op.batch_alter_table(table) as batch_op:
            for name in columns:
                batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    for table, columns in _ADDED.items():
        with op.batch_alter_table(table) as batch_op:
            for name in columns:
                batch_op.drop_column(name)
