"""``period_events.seq``: each event's place among its year's, unique with the year.

Opening a period read its newest event, then wrote the next one, in one transaction; at
PostgreSQL's default isolation (read committed) two admins opening it at the same instant
both read "not open" and both wrote an opening (and two ``period.open`` audit entries). The
next event now takes the next place of its year, and the unique ``(year, seq)`` lets one of
two such writers in: the other reads again (``Accounts._period_event``). Earlier events are
numbered in the order they were written (by ``id``).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("period_events") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    op.execute("UPDATE period_events SET seq = (SELECT COUNT(*) FROM period_events AS e "
               "WHERE e.year = period_events.year AND e.id <= period_events.id)")
    with op.batch_alter_table("period_events") as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_period_events_year_seq", ["year", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("period_events") as batch_op:
        batch_op.drop_constraint("uq_period_events_year_seq", type_="unique")
        batch_op.drop_column("seq")
