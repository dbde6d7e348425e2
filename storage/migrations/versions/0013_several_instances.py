"""several instances: the message log keyed by bot and horizon; job runs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:00:00

``inbound_messages`` is unique on (transport, bot_id, update_id, live) instead of
(transport, update_id): Telegram's update ids start over for a new token, and an id
answered longer ago than the redelivery horizon may be reused (``live`` is set NULL when
such a row is retired). Rows already there get bot 0 and stay live; the first start
adopts those never answered for its bot. ``claimed_by`` names the instance handling
an update, so that a dead one's claims are released. ``chat_id, handled_at`` is indexed for the
per-chat order of handling. ``job_runs`` lets one instance of several run each slot of a
scheduled job.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bot_id", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("live", sa.Boolean(), server_default=sa.true(), nullable=True)
        )
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=36), nullable=True))
        batch_op.drop_constraint(
            batch_op.f("uq_inbound_messages_transport_update_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_inbound_messages_transport_bot_id_update_id_live"),
            ["transport", "bot_id", "update_id", "live"],
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_messages_chat_id"), ["chat_id", "handled_at"], unique=False
        )
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.alter_column("live", server_default=None)
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("slot", UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("name", "slot", name=op.f("uq_job_runs_name_slot")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.execute("DELETE FROM inbound_messages WHERE live IS NULL")
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_messages_chat_id"))
        batch_op.drop_constraint(
            batch_op.f("uq_inbound_messages_transport_bot_id_update_id_live"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_inbound_messages_transport_update_id"), ["transport", "update_id"]
        )
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("live")
        batch_op.drop_column("bot_id")
