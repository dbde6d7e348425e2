"""a task reported done on a day written in the report

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:00:00

``status_updates.done_at``: "nv 4.3 đã hoàn thành ngày 28/11" sent on 2/12 says when the
work was finished; the start of that day in the deployment's time zone, NULL when the
report names no day (the report's own time stands for it). Whether a task was done on
time counts from it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.drop_column("done_at")
