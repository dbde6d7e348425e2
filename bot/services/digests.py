"""The weekly digests' data, read for the reminder sender (the rows that say when they go
are :mod:`scheduling.schedule`'s).

- The office's Monday digest (:func:`office_digest`): the tasks past their deadline by
  unit, the units nobody can be reminded in (no registered official, no group), how many
  reminders were too late to send in the past week, the chats and people reminders
  could not reach, the reports that disagree not settled yet, and the officials'
  requests for more time not answered.
- The standing now (:func:`month_overview`, :mod:`bot.services.standing`): the leaders'
  weekly overview, and the chart under the office's digest; what a leader asking "tình
  hình tháng này" would get.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select

from bot.services import access, plans, progress, reports
from bot.services.standing import Standing, standing
from scheduling.preferences import destinations
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    Chat,
    Official,
    Reminder,
    ReminderState,
    Task,
    Unit,
)


@dataclass
class Digest:
    # unit → [(task code, days late)], the units with the most overdue tasks first
    overdue: list[tuple[str, list[tuple[str, int]]]]
    unreachable: list[str]
    stale: int  # reminders that were too late to send this past week
    blocked: list[str] = field(default_factory=list)  # chats and people reminders cannot reach
    # Reports that disagree, not settled yet (the oldest first) and how many there are.
    conflicts: list[reports.ConflictView] = field(default_factory=list)
    conflicts_total: int = 0
    # Officials' requests for more time not answered (the oldest first).
    requests: list[plans.Pending] = field(default_factory=list)


def office_digest(db: Database, now: datetime, tz: ZoneInfo) -> Digest:
    """What the office gets on Monday: overdue tasks by unit, who is unreachable."""
    today = now.astimezone(tz).date()
    late = progress.overdue(db, today, viewer=access.staff())
    with db.session() as session:
        stale = len(
            session.scalars(
                select(Reminder.id).where(
                    Reminder.state == ReminderState.CANCELLED,
                    Reminder.due_at >= now - timedelta(days=7),
                    Reminder.payload["stale"].as_boolean().is_(True),
                )
            ).all()
        )
        week_ago = now - timedelta(days=7)
        blocked_groups = session.scalars(
            select(Chat.title)
            .join(Reminder, Reminder.chat_id == Chat.id)
            .where(Reminder.state == ReminderState.FAILED, Reminder.due_at >= week_ago)
            .distinct()
        ).all()
        blocked_people = session.scalars(
            select(Official.full_name)
            .join(Reminder, Reminder.official_id == Official.id)
            .where(Reminder.state == ReminderState.FAILED, Reminder.due_at >= week_ago)
            .distinct()
        ).all()
    by_unit = [(u.name, [(t.code, t.days_late) for t in u.tasks]) for u in late]
    blocked = sorted({t or "?" for t in blocked_groups} | set(blocked_people))
    disputes, disputes_total = reports.open_conflicts(db, tz)
    requests = plans.pending_requests(db, today, viewer=access.office_reader())
    return Digest(
        by_unit, unreachable_units(db, today), stale, blocked, disputes, disputes_total, requests
    )


def unreachable_units(db: Database, today: date) -> list[str]:
    """Units with tasks in the current plan but no registered official and no group:
    nobody gets reminders."""
    with db.session() as session:
        reachable = set(destinations(session))
        current = current_plan_id(session, today)
        units = session.execute(
            select(Unit.id, Unit.name)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(Task, and_(Task.id == Assignment.task_id, Task.plan_id == current))
            .distinct()
        ).all()
        return sorted(name for unit_id, name in units if unit_id not in reachable)


def month_overview(db: Database, today: date, tz: ZoneInfo, cutoff_day: int) -> Standing:
    """The standing on ``today`` as the office and leaders see it (``access.staff``): the
    answer a leader asking "tình hình tháng này" gets."""
    return standing(db, today, viewer=access.staff(), tz=tz, cutoff_day=cutoff_day)
