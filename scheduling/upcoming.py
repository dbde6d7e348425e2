"""A unit's reminders as people read them: ``/nhacviec``'s still to come (or everyone's),
one line per subject (a task, an indicator or a reporting duty), soonest first; and, for
the unit's web page, the ones sent lately, newest first, with the group they went to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from storage.db import Database
from storage.models import (
    Assignment,
    Chat,
    Indicator,
    PlanDuty,
    Reminder,
    ReminderState,
    Task,
    Unit,
)


@dataclass(frozen=True)
class Upcoming:
    due_at: datetime  # when it is due; a sent one's: when it was sent
    kind: str
    unit_name: str
    subject: str
    group: str | None = None  # the group chat it went to (sent ones; None: a private chat)


def upcoming(
    db: Database, unit_id: int | None, now: datetime, days: int = 14, limit: int = 30
) -> list[Upcoming]:
    """Pending reminders of a unit (or everyone's), one per subject, soonest first."""
    return _lines(
        db,
        unit_id,
        (Reminder.state == ReminderState.PENDING, Reminder.due_at <= now + timedelta(days=days)),
        (Reminder.due_at, Reminder.id),
        limit,
        one_per_subject=True,
    )


def sent(
    db: Database, unit_id: int, now: datetime, days: int = 30, limit: int = 30
) -> list[Upcoming]:
    """The reminders sent for a unit in the last ``days``, newest first, each with the
    group it went to (``due_at`` is when it was sent)."""
    return _lines(
        db,
        unit_id,
        (Reminder.state == ReminderState.SENT, Reminder.sent_at >= now - timedelta(days=days)),
        (Reminder.sent_at.desc(), Reminder.id.desc()),
        limit,
        one_per_subject=False,
    )


def _lines(db, unit_id, where, order, limit: int, *, one_per_subject: bool) -> list[Upcoming]:
    with db.session() as session:
        query = (
            select(Reminder, Unit.name, Task.code, Task.content, Indicator.name, Chat.title)
            .join(Unit, Unit.id == Reminder.unit_id)
            .outerjoin(Assignment, Assignment.id == Reminder.assignment_id)
            .outerjoin(Task, Task.id == Assignment.task_id)
            .outerjoin(Indicator, Indicator.id == Reminder.indicator_id)
            .outerjoin(Chat, Chat.id == Reminder.chat_id)
            .where(*where)
            .order_by(*order)
        )
        if unit_id is not None:
            query = query.where(Reminder.unit_id == unit_id)
        seen: set[str] = set()
        found: list[Upcoming] = []
        duties: dict[int, str] = {}  # a plan's reporting duty has neither task nor indicator
        for row, unit_name, code, content, indicator, group in session.execute(query):
            base = row.key.split(">", 1)[0]
            if one_per_subject and base in seen:
                continue
            seen.add(base)
            payload = row.payload or {}
            duty_id = payload.get("duty_id")
            if duty_id and duty_id not in duties:
                duties[duty_id] = session.scalar(
                    select(PlanDuty.text).where(PlanDuty.id == duty_id)
                )
            # a reminder sent on demand names the indicators or tasks it was about
            # (scheduling.chase)
            asked = "; ".join(
                [str(n) for n in payload.get("indicators") or []]
                + [str(t.get("code")) for t in payload.get("tasks") or []]
            )
            subject = f"{code} {content}" if code else (indicator or duties.get(duty_id) or asked)
            at = row.due_at if one_per_subject else (row.sent_at or row.due_at)
            found.append(Upcoming(at, row.kind, unit_name, subject, group))
            if len(found) >= limit:
                break
        return found
