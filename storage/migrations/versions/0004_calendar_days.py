"""calendar days

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:10:10.143816
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )


def downgrade() -> None:
    op.drop_table("calendar_days")
