"""units of any kind; units created from a plan's preview, and who created them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:10:00

``units.kind`` was one of fifteen codes (a CHECK constraint); plans name bodies of every
kind (Công an, Hội Nông dân, Chi cục Thuế …), so it holds a code or the kind word as
written, up to 60 characters. ``units.source`` gains ``plan`` and ``unit_changes`` logs
who created such a unit, from which update and which plan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "tinh",
    "thanh_pho",
    "xa",
    "phuong",
    "dac_khu",
    "huyen",
    "thi_xa",
    "thi_tran",
    "so",
    "van_phong",
    "phong",
    "ban",
    "trung_tam",
    "co_quan",
    "khac",
)
OLD_SOURCES = ("official", "import", "manual")
NEW_SOURCES = (*OLD_SOURCES, "plan")


def _in(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


def upgrade() -> None:
    # The CHECK constraints are dropped and made by name, the columns altered as plain
    # VARCHAR: the same statements on PostgreSQL and in SQLite's batch copy.
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_units_unit_kind"), type_="check")
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=24),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
        batch_op.drop_constraint(batch_op.f("ck_units_unit_source"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_units_unit_source"), _in("source", NEW_SOURCES)
        )
    op.create_table(
        "unit_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"],
            ["inbound_messages.id"],
            name=op.f("fk_unit_changes_inbound_message_id_inbound_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_unit_changes_official_id_officials")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_unit_changes_plan_id_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_unit_changes_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_changes")),
    )
    with op.batch_alter_table("unit_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_changes_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    """Units of a kind without a code become ``khac`` (their kind word is lost); units
    created from a plan become ``manual``."""
    with op.batch_alter_table("unit_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_changes_unit_id"))
    op.drop_table("unit_changes")
    units = sa.table("units", sa.column("kind", sa.String()), sa.column("source", sa.String()))
    bind = op.get_bind()
    bind.execute(units.update().where(units.c.kind.not_in(KINDS)).values(kind="khac"))
    bind.execute(units.update().where(units.c.source == "plan").values(source="manual"))
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_units_unit_source"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_units_unit_source"), _in("source", OLD_SOURCES)
        )
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=60),
            type_=sa.String(length=24),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f("ck_units_unit_kind"), _in("kind", KINDS))
