"""a task's reminder keys name its deadline

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 19:50:00

``due:{assignment}:{offset}`` becomes ``due:{assignment}:{deadline}:{offset}`` and
``overdue:{assignment}:{day}`` becomes ``overdue:{assignment}:{deadline}:{day}`` (the part
after ``>``, the destination, unchanged): a deadline moved ("gia hạn") or corrected by a
new plan file gets reminders of its own. Before, the old rows kept the keys the new
deadline's reminders wanted, so those stayed at the old times, or could not be written at
all (the key is unique). The rows written so far are renamed with the deadline their
payload holds, so nothing already sent is sent again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REMINDERS = sa.table(
    "reminders",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("payload", sa.JSON()),
)
_KINDS = ("due", "overdue")


def _rows(bind) -> list[tuple[int, str, dict]]:
    found = bind.execute(
        sa.select(_REMINDERS.c.id, _REMINDERS.c.key, _REMINDERS.c.payload).where(
            sa.or_(*(_REMINDERS.c.key.like(f"{kind}:%") for kind in _KINDS))
        )
    ).all()
    return [(row_id, key, payload or {}) for row_id, key, payload in found]


def _rename(bind, renamed: dict[int, str]) -> None:
    for row_id, key in renamed.items():
        bind.execute(_REMINDERS.update().where(_REMINDERS.c.id == row_id).values(key=key))


def upgrade() -> None:
    bind = op.get_bind()
    renamed = {}
    for row_id, key, payload in _rows(bind):
        head, sep, destination = key.partition(">")
        parts = head.split(":")
        due = payload.get("due")
        if len(parts) == 3 and due:
            renamed[row_id] = f"{parts[0]}:{parts[1]}:{due}:{parts[2]}{sep}{destination}"
    _rename(bind, renamed)


def downgrade() -> None:
    """The deadline taken out of the keys; of rows that would then share a key (a deadline
    moved), the later keeps it and the others are left as they are."""
    bind = op.get_bind()
    rows = sorted(_rows(bind), key=lambda row: row[0], reverse=True)
    taken = {key for _id, key, _payload in rows}
    renamed = {}
    for row_id, key, _payload in rows:
        head, sep, destination = key.partition(">")
        parts = head.split(":")
        if len(parts) != 4:
            continue
        old = f"{parts[0]}:{parts[1]}:{parts[3]}{sep}{destination}"
        if old not in taken:
            taken.add(old)
            renamed[row_id] = old
    _rename(bind, renamed)
