"""What each unit chose about its reminders, kept in ``meta``: where they go (its groups,
its people's private chats, or both) and a pause until a date.

``destinations`` says, for every unit, which chats its reminders go to; ``pause`` keeps
the later of the running and the asked end, cancels the unit's pending rows before it and
marks them ``paused`` in their payload; ``resume`` ends the pause and makes the marked
rows still ahead pending again (the rebuild that follows cancels those no longer wanted).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Chat, ChatUnit, Meta, Official, Reminder, ReminderState
from storage.queries import set_meta

DESTINATION_PREFIX = "reminder_destination:"
PAUSE_PREFIX = "reminder_pause:"


class Destination(enum.StrEnum):
    BOTH = "both"
    GROUP = "group"
    PRIVATE = "private"


def destination_choices(session: Session) -> dict[int, str]:
    """Units that chose where their reminders go: "group" or "private" (default both)."""
    return {
        int(row.key.removeprefix(DESTINATION_PREFIX)): row.value
        for row in session.scalars(select(Meta).where(Meta.key.like(f"{DESTINATION_PREFIX}%")))
    }


def set_destination(db: Database, unit_id: int, choice: str) -> None:
    """Where a unit's reminders go from now on (pending rows follow at the next rebuild).

    Raises ``ValueError`` for a choice that is not a :class:`Destination`."""
    chosen = Destination(choice)
    with db.session() as session:
        set_meta(session, f"{DESTINATION_PREFIX}{unit_id}", chosen.value)


def destinations(session: Session) -> dict[int, list[tuple[str, int]]]:
    """unit id → [("g", chat row id) for its groups, ("p", official id) for its people],
    as the unit chose (both by default; a unit with no group gets private messages)."""
    groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, chat_id in session.execute(
        select(ChatUnit.unit_id, Chat.id)
        .join(Chat, Chat.id == ChatUnit.chat_id)
        .where(Chat.active.is_(True))
    ):
        groups[unit_id].append(("g", chat_id))
    people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, official_id in session.execute(
        select(Official.unit_id, Official.id).where(
            Official.active.is_(True), Official.unit_id.is_not(None)
        )
    ):
        people[unit_id].append(("p", official_id))
    choices = destination_choices(session)
    found: dict[int, list[tuple[str, int]]] = {}
    for unit_id in set(groups) | set(people):
        choice = choices.get(unit_id, Destination.BOTH)
        if choice == Destination.GROUP and groups.get(unit_id):
            found[unit_id] = groups[unit_id]
        elif choice == Destination.PRIVATE and people.get(unit_id):
            found[unit_id] = people[unit_id]
        else:
            found[unit_id] = groups.get(unit_id, []) + people.get(unit_id, [])
    return found


def pauses(session: Session, now: datetime) -> dict[int, datetime]:
    """Units whose reminders are paused, and until when."""
    found: dict[int, datetime] = {}
    for row in session.scalars(select(Meta).where(Meta.key.like(f"{PAUSE_PREFIX}%"))):
        until = datetime.fromisoformat(row.value)
        if until > now:
            found[int(row.key.removeprefix(PAUSE_PREFIX))] = until
    return found


def pause_end(db: Database, unit_id: int, now: datetime) -> datetime | None:
    """When a unit's pause ends, if its reminders are paused now."""
    with db.session() as session:
        return pauses(session, now).get(unit_id)


def pause(
    db: Database, unit_id: int, last_day: date, now: datetime, tz: ZoneInfo
) -> tuple[datetime, bool]:
    """Pause a unit's reminders through ``last_day`` (local), or keep a longer pause
    already running: a new pause never shortens one. Returns when the pause in force
    ends, and whether that is a longer pause kept.

    Pending rows due before then are cancelled and marked ``paused`` in their payload,
    so that resuming can bring them back."""
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    with db.session() as session:
        running = pauses(session, now).get(unit_id)
        end = max(until, running) if running is not None else until
        set_meta(session, f"{PAUSE_PREFIX}{unit_id}", end.isoformat())
        rows = session.scalars(
            select(Reminder).where(
                Reminder.unit_id == unit_id,
                Reminder.state == ReminderState.PENDING,
                Reminder.due_at < end,
            )
        )
        for row in rows:
            row.state = ReminderState.CANCELLED
            row.payload = {**(row.payload or {}), "paused": True}
        return end, end > until


def resume(db: Database, unit_id: int, now: datetime) -> datetime | None:
    """End a unit's pause now; returns when it would have ended (None: it was not paused).

    The rows the pause cancelled that are still ahead are pending again (a rebuild then
    cancels those no longer wanted, say a task reported done meanwhile); a snooze the
    pause cancelled stays cancelled."""
    with db.session() as session:
        end = pauses(session, now).get(unit_id)
        row = session.get(Meta, f"{PAUSE_PREFIX}{unit_id}")
        if row is not None:
            session.delete(row)
        if end is None:
            return None
        paused = session.scalars(
            select(Reminder).where(
                Reminder.unit_id == unit_id,
                Reminder.state == ReminderState.CANCELLED,
                Reminder.due_at >= now,
                Reminder.due_at < end,
                Reminder.key.not_like("snooze:%"),
            )
        )
        for reminder in paused:
            if (reminder.payload or {}).get("paused"):
                reminder.state = ReminderState.PENDING
                reminder.payload = {k: v for k, v in reminder.payload.items() if k != "paused"}
        return end
