"""``/nhacviec``: the reminders still to come for a unit (or for everyone), one line per
subject (a task, an indicator or a reporting duty), soonest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from storage.db import Database
from storage.models import Assignment, Indicator, PlanDuty, Reminder, ReminderState, Task, Unit


@dataclass(frozen=True)
class Upcoming:
    due_at: datetime
    kind: str
    unit_name: str
    subject: str


def upcoming(
    db: Database, unit_id: int | None, now: datetime, days: int = 14, limit: int = 30
) -> list[Upcoming]:
    """Pending reminders of a unit (or everyone's), one per subject, soonest first."""
    with db.session() as session:
        query = (
            select(Reminder, Unit.name, Task.code, Task.content, Indicator.name)
            .join(Unit, Unit.id == Reminder.unit_id)
            .outerjoin(Assignment, Assignment.id == Reminder.assignment_id)
            .outerjoin(Task, Task.id == Assignment.task_id)
            .outerjoin(Indicator, Indicator.id == Reminder.indicator_id)
            .where(
                Reminder.state == ReminderState.PENDING,
                Reminder.due_at <= now + timedelta(days=days),
            )
            .order_by(Reminder.due_at, Reminder.id)
        )
        if unit_id is not None:
            query = query.where(Reminder.unit_id == unit_id)
        seen: set[str] = set()
        found: list[Upcoming] = []
        duties: dict[int, str] = {}  # a plan's reporting duty has neither task nor indicator
        for row, unit_name, code, content, indicator in session.execute(query):
            base = row.key.split(">", 1)[0]
            if base in seen:
                continue
            seen.add(base)
            duty_id = (row.payload or {}).get("duty_id")
            if duty_id and duty_id not in duties:
                duties[duty_id] = session.scalar(
                    select(PlanDuty.text).where(PlanDuty.id == duty_id)
                )
            subject = f"{code} {content}" if code else (indicator or duties.get(duty_id) or "")
            found.append(Upcoming(row.due_at, row.kind, unit_name, subject))
            if len(found) >= limit:
                break
        return found
