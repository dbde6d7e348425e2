"""plans: where the year was read

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 15:00:00

``plans.year_source`` says where a plan's year came from (the title, a "Năm" row, the
deadlines, the signing date, or assumed), so a preview can say so. Plans imported
before it stay NULL (unknown).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("year_source", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop the table, and
    # dropping it with foreign keys on deletes every plan's tasks (ON DELETE CASCADE).
    op.drop_column("plans", "year_source")
