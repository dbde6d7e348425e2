"""a task's deadline set or moved from a chat

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 19:20:00

``deadline_changes``: the office sets a deadline for a task the plan gives none ("Khi
có yêu cầu") or moves one ("gia hạn nv 4.3 đến 31/12"); the task holds the new deadline,
each row what it was before, who changed it and when.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deadline_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind_before", sa.String(length=16), nullable=True),
        sa.Column("due_before", sa.Date(), nullable=True),
        sa.Column("due_after", sa.Date(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_deadline_changes_official_id_officials"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_deadline_changes_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_changes")),
    )
    with op.batch_alter_table("deadline_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_changes_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deadline_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_changes_task_id"))
    op.drop_table("deadline_changes")
