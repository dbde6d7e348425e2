"""Reminders sent on demand: the office (or an administrator) presses **Nhắc các đơn vị
này** under "xã nào chưa gửi số liệu?" and each unit still missing figures is reminded
now.

One ``reminders`` row of kind :data:`KIND` per destination of each unit (its groups and
its officials' private chats, as the unit chose: :mod:`scheduling.preferences`), due at
once, so the reminder sender delivers it like any other: after quiet hours, paced in
groups, retried on failure, still after a restart. The payload names the period, its
deadline and the indicators missing when the button was pressed; those sent meanwhile
are left out when it goes (:func:`still_missing`), and a unit that has sent them all by
then is not reminded. A row's key holds the day (local), so pressing again the same day
queues nothing more; a unit whose reminders are paused is left out. ``rebuild`` never
cancels these rows (their keys start with :data:`PREFIX`).
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
from storage.models import IndicatorValue, Reminder, ReminderState

PREFIX = "chase:"
KIND = "chase"


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
) -> Chased:
    """Queue a reminder now to each unit of ``missing`` (unit id → the indicators, id and
    name, it has not sent for ``period``)."""
    day = now.astimezone(tz).date().isoformat()
    reminded = unreachable = paused = queued = 0
    with db.session() as session:
        where = destinations(session)
        held = pauses(session, now)
        for unit_id, indicators in missing.items():
            if unit_id in held:
                paused += 1
                continue
            targets = where.get(unit_id, [])
            if not targets:
                unreachable += 1
                continue
            reminded += 1
            for kind, target in targets:
                key = f"{PREFIX}figures:{period.key}:{unit_id}:{day}>{kind}{target}"
                if session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
                    continue
                session.add(
                    Reminder(
                        key=key,
                        kind=KIND,
                        unit_id=unit_id,
                        chat_id=target if kind == "g" else None,
                        official_id=target if kind == "p" else None,
                        due_at=now,
                        state=ReminderState.PENDING,
                        attempts=0,
                        payload={
                            "period": period.key,
                            "deadline": deadline.isoformat(),
                            "indicator_ids": [i for i, _name in indicators],
                            "indicators": [name for _i, name in indicators],
                        },
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
