"""status updates and figures: the message that withdrew them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 15:00:19

A correction withdraws exactly the facts it names; ``retracted_by_id`` records which
message did it, so that undoing the correction puts them back. Rows withdrawn before this
revision keep a null (they were withdrawn by an undo or a whole-message correction).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("indicator_values", "status_updates")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("retracted_by_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_retracted_by_id_inbound_messages"),
                "inbound_messages",
                ["retracted_by_id"],
                ["id"],
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_retracted_by_id_inbound_messages"), type_="foreignkey"
            )
            batch_op.drop_column("retracted_by_id")
