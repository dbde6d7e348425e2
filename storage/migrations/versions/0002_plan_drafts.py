"""plan drafts, withdrawn tasks, indicator sources

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:15:55.306815
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=8), server_default="table", nullable=False)
        )
        batch_op.add_column(sa.Column("task_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("units_text", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("keep", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("draft", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("warnings", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plans_created_by_id_officials"), "officials", ["created_by_id"], ["id"]
        )

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("written_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("start_date")
        batch_op.drop_column("written_code")

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_plans_created_by_id_officials"), type_="foreignkey")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("warnings")
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("draft")

    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("keep")
        batch_op.drop_column("units_text")
        batch_op.drop_column("task_code")
        batch_op.drop_column("source")
