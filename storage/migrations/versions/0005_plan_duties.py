"""plan duties

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 03:43:40.481733
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recurrence", sa.String(length=32), nullable=True),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=True),
        sa.Column("due_time", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_duties_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_duties")),
    )
    with op.batch_alter_table("plan_duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_duties_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_duties_plan_id"))

    op.drop_table("plan_duties")
