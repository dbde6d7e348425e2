"""plans: how the plan's file was read

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:30:00

``plans.source`` says how a plan's file was read ({"format", "ocr", "confidence",
"repaired_words"}: the format as sent, whether OCR read it, OCR's mean confidence, the
words the repair of damaged text restored), so a preview can say how sure the reading
is. Plans imported before it stay NULL (unknown).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), as 0008: batch mode would copy and drop the
    # table, and dropping it with foreign keys on deletes every plan's tasks.
    op.drop_column("plans", "source")
