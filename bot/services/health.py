"""What the health and metrics endpoints read from the database: whether it answers,
whether its schema is the code's, how long the oldest unanswered update has waited, and
the two gauges (reminder rows pending, overdue assignments). Each is one cheap query.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, text

from bot.services.progress import FINISHED
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    Reminder,
    ReminderState,
    Task,
    TaskUnitRole,
)


def ping(db: Database) -> None:
    """Raises when the database does not answer."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def schema_current(db: Database, head: str | None) -> bool:
    """Whether the database's Alembic revision is ``head`` (the code's)."""
    return db.current_revision() == head


def oldest_unanswered(db: Database, transport: str) -> datetime | None:
    """When the oldest update logged and not answered yet was received (None: none)."""
    with db.session() as session:
        return session.scalar(
            select(func.min(InboundMessage.received_at)).where(
                InboundMessage.transport == transport,
                InboundMessage.handled_at.is_(None),
                InboundMessage.payload.is_not(None),
            )
        )


def pending_reminders(db: Database) -> int:
    """Reminder rows not sent yet (pending or being sent)."""
    with db.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]))
        )


def overdue_assignments(db: Database, today: date) -> int:
    """Lead assignments of the plan in use past their deadline and not done (as the
    office's overdue list counts them, :func:`bot.services.progress.overdue`)."""
    finished = select(CurrentStatus.assignment_id).where(
        CurrentStatus.period_key == "-", CurrentStatus.status.in_(FINISHED)
    )
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        if plan_id is None:
            return 0
        return session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                Task.plan_id == plan_id,
                Task.withdrawn_at.is_(None),
                Task.timeframe_kind == "due",
                Task.due_date < today,
                Assignment.role == TaskUnitRole.LEAD,
                Assignment.id.not_in(finished),
            )
        )
