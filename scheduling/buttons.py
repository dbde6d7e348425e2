"""What the buttons under a sent reminder do to the schedule: "remind me tomorrow" and "in
3 days" snooze it (a new row, that many working days later at the reminder hour); "done"
needs the assignment and the period it is about (the report itself is the reporting
service's).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from scheduling.policy import ReminderSettings
from scheduling.workdays import calendar_for
from storage.db import Database
from storage.models import Reminder, ReminderState


class Presser(Protocol):
    """Who pressed the button, as far as snoozing needs to know: the person, their unit,
    and whether they act for every unit (the office). ``bot.services.identity.Actor`` is
    one; scheduling sits below the services, so it names what it reads instead."""

    @property
    def official_id(self) -> int | None: ...

    @property
    def unit_id(self) -> int | None: ...

    @property
    def manages(self) -> bool: ...


def snooze(
    db: Database,
    actor: Presser,
    reminder_id: int,
    days: int,
    now: datetime,
    settings: ReminderSettings,
) -> datetime | None:
    """Remind again in ``days`` working days (at the reminder hour); None if gone, or not
    the person's to snooze (the office's, or their unit's, or sent to them)."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None or row.state is not ReminderState.SENT:
            return None
        own = (row.official_id is not None and row.official_id == actor.official_id) or (
            row.unit_id is not None and row.unit_id == actor.unit_id
        )
        if not (own or actor.manages):
            return None
        day = calendar_for(session).add_working_days(now.astimezone(settings.tz).date(), days)
        due = datetime.combine(day, settings.hour, tzinfo=settings.tz)
        base = row.key.split(">", 1)
        key = f"snooze:{base[0]}:{day.isoformat()}>{base[1] if len(base) > 1 else ''}"
        if session.scalar(select(Reminder.id).where(Reminder.key == key)) is None:
            session.add(
                Reminder(
                    key=key,
                    kind=row.kind,
                    assignment_id=row.assignment_id,
                    indicator_id=row.indicator_id,
                    unit_id=row.unit_id,
                    chat_id=row.chat_id,
                    official_id=row.official_id,
                    due_at=due,
                    state=ReminderState.PENDING,
                    payload={**(row.payload or {}), "snoozed": True},
                    created_at=now,
                )
            )
        return due


def reminder_assignment(db: Database, reminder_id: int) -> tuple[int | None, str | None]:
    """(assignment id, period key) a reminder is about: the key of the period a periodic
    report's reminder asks for ("2026-Q3"), None for the others."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None:
            return None, None
        return row.assignment_id, (row.payload or {}).get("period")
