"""report conflicts: two reporters who disagree

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 21:03:21

``report_conflicts`` keeps each disagreement between two reporters of one unit about
one item (a task's status or an indicator's figure, same period): the two facts, when it
was opened, and how and by whom it was closed. It outlives a restart, and closing it is
a conditional update, so a second press of the office's button changes nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDS = ("earlier", "later", "superseded", "withdrawn", "agreed", "corrected")


def _fact(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{table}.id"],
        name=op.f(f"fk_report_conflicts_{column}_{table}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "report_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("earlier_update_id", sa.Integer(), nullable=True),
        sa.Column("later_update_id", sa.Integer(), nullable=True),
        sa.Column("earlier_value_id", sa.Integer(), nullable=True),
        sa.Column("later_value_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "resolution",
            sa.Enum(
                *ENDS,
                name="conflict_end",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["officials.id"],
            name=op.f("fk_report_conflicts_closed_by_id_officials"),
        ),
        _fact("earlier_update_id", "status_updates"),
        _fact("earlier_value_id", "indicator_values"),
        _fact("later_update_id", "status_updates"),
        _fact("later_value_id", "indicator_values"),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_report_conflicts_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_conflicts")),
    )
    with op.batch_alter_table("report_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_conflicts_closed_at"), ["closed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_conflicts_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_conflicts_unit_id"))
        batch_op.drop_index(batch_op.f("ix_report_conflicts_closed_at"))
    op.drop_table("report_conflicts")
