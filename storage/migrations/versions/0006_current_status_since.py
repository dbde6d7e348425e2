"""current status: when the standing status began

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 06:40:00

``current_status.since`` is filled for the rows already there from the history: the
first non-retracted report of the standing status (done and not applicable count as
one) after the last non-retracted report saying otherwise.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINISHED = {"done", "not_applicable"}  # task_status values, stored as text


def upgrade() -> None:
    with op.batch_alter_table("current_status", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    updates = sa.table(
        "status_updates",
        sa.column("id", sa.Integer),
        sa.column("assignment_id", sa.Integer),
        sa.column("period_start", sa.Date),
        sa.column("status", sa.String),
        sa.column("created_at", UTCDateTime()),
        sa.column("retracted_at", UTCDateTime()),
    )
    current = sa.table(
        "current_status",
        sa.column("assignment_id", sa.Integer),
        sa.column("period_key", sa.String),
        sa.column("since", UTCDateTime()),
    )
    history = defaultdict(list)
    rows = bind.execute(
        sa.select(
            updates.c.assignment_id, updates.c.period_start, updates.c.status, updates.c.created_at
        )
        .where(updates.c.retracted_at.is_(None))
        .order_by(updates.c.id.desc())
    )
    for assignment_id, start, status, created_at in rows:
        key = start.isoformat() if start else "-"
        history[assignment_id, key].append((status, created_at))
    for (assignment_id, key), reports in history.items():
        latest = reports[0][0]
        same = FINISHED if latest in FINISHED else {latest}
        since = reports[0][1]
        for status, created_at in reports:
            if status not in same:
                break
            since = created_at
        bind.execute(
            current.update()
            .where(current.c.assignment_id == assignment_id, current.c.period_key == key)
            .values(since=since)
        )


def downgrade() -> None:
    with op.batch_alter_table("current_status", schema=None) as batch_op:
        batch_op.drop_column("since")
