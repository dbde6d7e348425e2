"""inbound messages: the update as fetched, when handling began and ended

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 16:00:00

Updates are logged as they are fetched (``payload``), before Telegram is told they were
received, and marked ``handled_at`` once answered; the rows already there were handled.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handled_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_inbound_messages_handled_at"), ["handled_at"], unique=False
        )
    inbound = sa.table(
        "inbound_messages",
        sa.column("received_at", UTCDateTime()),
        sa.column("handled_at", UTCDateTime()),
    )
    op.get_bind().execute(inbound.update().values(handled_at=inbound.c.received_at))


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_messages_handled_at"))
        batch_op.drop_column("handled_at")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("payload")
