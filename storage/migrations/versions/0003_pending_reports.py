"""pending reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:41:54.651948
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"],
            ["inbound_messages.id"],
            name=op.f("fk_pending_reports_inbound_message_id_inbound_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_pending_reports_official_id_officials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_reports")),
    )
    with op.batch_alter_table("pending_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_reports_official_id"), ["official_id"], unique=False
        )

    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_values_inbound_message_id"),
            ["inbound_message_id"],
            unique=False,
        )

    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_updates_inbound_message_id"), ["inbound_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_updates_inbound_message_id"))

    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_inbound_message_id"))

    with op.batch_alter_table("pending_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_reports_official_id"))

    op.drop_table("pending_reports")
