"""The Chinese text of a factor override's and an exchange rate's ``source`` (workbook v2).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ADDED = {"rows_factors": ("source_zh",), "rows_fxrates": ("source_zh",)}


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
