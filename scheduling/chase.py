"""Reminders sent on demand: the office (or an administrator) presses **Nhắc các đơn vị
này** under "xã nào chưa gửi số liệu?" (each unit still missing figures is reminded now)
or under "xã nào chậm?" (each unit with tasks past their deadline is reminded of them).

One ``reminders`` row of kind :data:`KIND` (figures) or :data:`LATE_KIND` (overdue tasks)
per destination of each unit (its groups and its officials' private chats, as the unit
chose: :mod:`scheduling.preferences`), due at once, so the reminder sender delivers it
like any other: after quiet hours, paced in groups, retried on failure, still after a
restart. The payload names what was missing when the button was pressed (the period,
its deadline and the indicators; or the tasks and their deadlines); what was sent or
done meanwhile is left out when it goes (:func:`still_missing`, :func:`still_late`), and
a unit with nothing left by then is not reminded. Pressed in the quiet hours, the rows
are due when they end; a row's key holds the (local) day it goes, so pressing again
before then, or that day, queues nothing more; a unit whose reminders are paused is
left out. ``rebuild`` never cancels these rows (their keys start with :data:`PREFIX`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.language.periods import Period
from scheduling.preferences import destinations, pauses
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    IndicatorValue,
    Reminder,
    ReminderState,
    Task,
    TaskStatus,
)

PREFIX = "chase:"
KIND = "chase"  # figures missing
LATE_KIND = "chase-late"  # tasks past their deadline


@dataclass(frozen=True)
class Chased:
    """What pressing the button did: the units reminded (rows queued or already queued
    today), those with nobody to remind (no group, no registered official), those whose
    reminders are paused, and the rows queued now."""

    reminded: int
    unreachable: int
    paused: int
    queued: int


def chase_figures(
    db: Database,
    missing: dict[int, list[tuple[int, str]]],
    period: Period,
    deadline: date,
    now: datetime,
    tz: ZoneInfo,
    at: datetime | None = None,
) -> Chased:
    """Queue a reminder to each unit of ``missing`` (unit id → the indicators, id and
    name, it has not sent for ``period``), due ``at`` (after the quiet hours; now when
    not given)."""
    payloads = {
        unit_id: {
            "period": period.key,
            "deadline": deadline.isoformat(),
            "indicator_ids": [i for i, _name in indicators],
            "indicators": [name for _i, name in indicators],
        }
        for unit_id, indicators in missing.items()
    }
    return _queue(db, KIND, f"figures:{period.key}", payloads, now, at or now, tz)


def chase_late(
    db: Database,
    late: dict[int, list[tuple[int, str, date]]],
    now: datetime,
    tz: ZoneInfo,
    at: datetime | None = None,
) -> Chased:
    """Queue a reminder to each unit of ``late`` (unit id → its tasks past their deadline
    and not done: assignment id, task code, deadline), due ``at`` (now when not given)."""
    payloads = {
        unit_id: {
            "tasks": [
                {"assignment_id": a, "code": code, "due": due.isoformat()} for a, code, due in tasks
            ]
        }
        for unit_id, tasks in late.items()
    }
    return _queue(db, LATE_KIND, "late", payloads, now, at or now, tz)


def _queue(
    db: Database,
    kind: str,
    what: str,
    payloads: dict[int, dict],
    now: datetime,
    at: datetime,
    tz: ZoneInfo,
) -> Chased:
    """One row of ``kind`` per destination of each unit of ``payloads``, due ``at``,
    unless the unit is reminded of ``what`` that (local) day already or its reminders
    are paused (pressed at night and again in the morning: one reminder)."""
    day = at.astimezone(tz).date().isoformat()
    reminded = unreachable = paused = queued = 0
    with db.session() as session:
        where = destinations(session)
        held = pauses(session, now)
        for unit_id, payload in payloads.items():
            if unit_id in held:
                paused += 1
                continue
            targets = where.get(unit_id, [])
            if not targets:
                unreachable += 1
                continue
            reminded += 1
            for target_kind, target in targets:
                key = f"{PREFIX}{what}:{unit_id}:{day}>{target_kind}{target}"
                if session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
                    continue
                session.add(
                    Reminder(
                        key=key,
                        kind=kind,
                        unit_id=unit_id,
                        chat_id=target if target_kind == "g" else None,
                        official_id=target if target_kind == "p" else None,
                        due_at=at,
                        state=ReminderState.PENDING,
                        attempts=0,
                        payload=payload,
                        created_at=now,
                    )
                )
                queued += 1
    return Chased(reminded, unreachable, paused, queued)


def still_missing(session: Session, unit_id: int, payload: dict) -> list[str]:
    """The names of a chase's indicators the unit has still sent nothing for (a figure or
    that nothing arose, not withdrawn) for exactly its period, when it goes out."""
    period = Period.from_key(str(payload.get("period")))
    ids = [int(i) for i in payload.get("indicator_ids") or []]
    names = [str(n) for n in payload.get("indicators") or []]
    if period is None or len(ids) != len(names):
        return names
    sent = set(
        session.scalars(
            select(IndicatorValue.indicator_id).where(
                IndicatorValue.unit_id == unit_id,
                IndicatorValue.indicator_id.in_(ids),
                IndicatorValue.period_start == period.start,
                IndicatorValue.period_end == period.end,
                IndicatorValue.retracted_at.is_(None),
            )
        )
    )
    return [name for i, name in zip(ids, names, strict=True) if i not in sent]


def still_late(session: Session, payload: dict) -> list[dict]:
    """A chase's tasks still past their deadline when it goes: not done (nor found not
    applicable), not withdrawn, their deadline not moved past the one it named; each as
    ``{"code", "content", "due"}`` with the deadline in force."""
    tasks = [t for t in payload.get("tasks") or [] if isinstance(t, dict)]
    ids = [int(t["assignment_id"]) for t in tasks if t.get("assignment_id") is not None]
    if not ids:
        return []
    finished = select(CurrentStatus.assignment_id).where(
        CurrentStatus.period_key == "-",
        CurrentStatus.status.in_((TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)),
    )
    due = {
        assignment_id: (code, content, day)
        for assignment_id, code, content, day in session.execute(
            select(Assignment.id, Task.code, Task.content, Task.due_date)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                Assignment.id.in_(ids),
                Assignment.id.not_in(finished),
                Task.withdrawn_at.is_(None),
                Task.timeframe_kind == "due",
                Task.due_date.is_not(None),
            )
        )
    }
    left = []
    for task in tasks:
        found = due.get(int(task.get("assignment_id") or 0))
        if found is None or found[2].isoformat() > str(task.get("due")):
            continue  # done, withdrawn, or given a later deadline since
        code, content, day = found
        left.append({"code": code, "content": content, "due": day.isoformat()})
    return left
