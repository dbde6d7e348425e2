"""What a claimed reminder row says, gathered for the sender: the chat it goes to and in
which language, the unit, the task, indicator or reporting duty it is about, and in a
group the unit's officials to mention. A group's "still missing" list, and what a chase
still misses, are computed here, when the row is sent, so they name only what is still
missing by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.language.periods import Period
from scheduling import chase
from storage.db import Database
from storage.models import (
    Assignment,
    Chat,
    ChatUnit,
    Indicator,
    Official,
    PlanDuty,
    Reminder,
    StatusUpdate,
    Task,
    TaskUnitRole,
    Unit,
)


@dataclass
class Outgoing:
    reminder_id: int
    telegram_chat_id: int
    kind: str
    language: str
    group: bool
    unit_name: str
    task_code: str | None
    task_content: str | None
    indicator_name: str | None
    payload: dict[str, Any]
    mentions: list[tuple[int, str]]  # (telegram user id, name) of the unit's officials
    duty_text: str | None = None


def outgoing(db: Database, reminder_id: int, default_language: str) -> Outgoing | None:
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None:
            return None
        unit = session.get(Unit, row.unit_id) if row.unit_id else None
        task = None
        if row.assignment_id is not None:
            task = session.scalar(
                select(Task)
                .join(Assignment, Assignment.task_id == Task.id)
                .where(Assignment.id == row.assignment_id)
            )
        if task is None and (row.payload or {}).get("task_id"):
            task = session.get(Task, row.payload["task_id"])
        indicator = session.get(Indicator, row.indicator_id) if row.indicator_id else None
        payload = dict(row.payload or {})
        duty = session.get(PlanDuty, payload["duty_id"]) if payload.get("duty_id") else None
        if row.kind == "missing" and task is not None and row.chat_id is not None:
            payload["units"] = _missing_units(session, row.chat_id, task.id, payload)
        if row.kind == chase.KIND and row.unit_id is not None:
            payload["indicators"] = chase.still_missing(session, row.unit_id, payload)
        if row.kind == chase.LATE_KIND:
            payload["tasks"] = chase.still_late(session, payload)
        if row.chat_id is not None:
            chat = session.get(Chat, row.chat_id)
            if chat is None:
                return None
            telegram_chat_id, language, group = chat.telegram_chat_id, chat.locale, True
            mentions = [
                (user_id, name)
                for user_id, name in session.execute(
                    select(Official.telegram_user_id, Official.full_name).where(
                        Official.unit_id == row.unit_id, Official.active.is_(True)
                    )
                )
            ]
        else:
            official = session.get(Official, row.official_id) if row.official_id else None
            if official is None:
                return None
            telegram_chat_id, language, group = official.telegram_user_id, official.locale, False
            mentions = []
        return Outgoing(
            reminder_id=row.id,
            telegram_chat_id=telegram_chat_id,
            kind=row.kind,
            language=language or default_language,
            group=group,
            unit_name=unit.name if unit else "",
            task_code=task.code if task else None,
            task_content=task.content if task else None,
            indicator_name=indicator.name if indicator else None,
            payload=payload,
            mentions=mentions,
            duty_text=duty.text if duty else None,
        )


def _missing_units(session: Session, chat_id: int, task_id: int, payload: dict) -> list[str]:
    """Units of a group, leading a recurring task, with no report for the period yet."""
    period = Period.from_key(str(payload.get("period")))
    if period is None:
        return []
    reported = select(StatusUpdate.assignment_id).where(
        StatusUpdate.retracted_at.is_(None),
        StatusUpdate.period_start >= period.start,
        StatusUpdate.period_start <= period.end,
    )
    return list(
        session.scalars(
            select(Unit.name)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(ChatUnit, ChatUnit.unit_id == Unit.id)
            .where(
                ChatUnit.chat_id == chat_id,
                Assignment.task_id == task_id,
                Assignment.role == TaskUnitRole.LEAD,
                Assignment.id.not_in(reported),
            )
            .order_by(Unit.name)
        )
    )
