"""a figure may say that nothing arose in its period

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:00:00

``indicator_values.value`` may be NULL: the unit said that nothing arose for the
indicator in the period ("thanh toán trực tuyến không phát sinh", "0/0"), so it has no
figure to give; numerator and denominator are NULL with it. Stored as a fact like any
figure (undone, corrected, answering the reminder), never counted in a value.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.alter_column(
            "value", existing_type=sa.Numeric(precision=14, scale=4), nullable=True
        )


def downgrade() -> None:
    # A statement that nothing arose has no value to keep as a figure.
    op.execute("DELETE FROM indicator_values WHERE value IS NULL")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.alter_column(
            "value", existing_type=sa.Numeric(precision=14, scale=4), nullable=False
        )
