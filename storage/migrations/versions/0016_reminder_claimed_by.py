"""reminders name the instance sending them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 02:30:00

``reminders.claimed_by`` names the instance that claimed a row to send it, so that the
rows an instance had claimed when it died are sent by another at its next claim rather
than when the claim's timeout ends (``scheduling.outbox``). Rows claimed before have no
instance and wait for the timeout as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
