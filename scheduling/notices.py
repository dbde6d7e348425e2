"""Notices to the office: a message the office must act on (two reporters who disagree,
an official asking for more time) goes out as ``reminders`` rows, one per active office
member's private chat, due at once (and the office's answer back to one official the
same way: :func:`notify_official`), so the reminder sender delivers it like the Monday
digest: after quiet hours, once, retried on failure, and still after a restart.
``rebuild`` never cancels these rows (their keys start with :data:`PREFIX`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Official, Reminder, ReminderState, Role

PREFIX = "notice:"


def notify_office(
    session: Session, kind: str, subject: str, payload: dict[str, Any], now: datetime
) -> int:
    """Queue one notice of ``kind`` about ``subject`` (its key part: "conflict:12") to
    every active office member, in the caller's transaction; returns how many were
    queued (a notice already queued for a person is not queued again)."""
    people = session.scalars(
        select(Official.id).where(Official.active.is_(True), Official.role == Role.OFFICE)
    ).all()
    return sum(notify_official(session, p, kind, subject, payload, now) for p in people)


def notify_official(
    session: Session,
    official_id: int,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    """Queue one notice of ``kind`` about ``subject`` to one official (an office member,
    or the official the office answers), in the caller's transaction; 1 if queued, 0 if
    it already was."""
    key = f"{PREFIX}{subject}>p{official_id}"
    if session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
        return 0
    session.add(
        Reminder(
            key=key,
            kind=kind,
            official_id=official_id,
            due_at=now,
            state=ReminderState.PENDING,
            payload=dict(payload),
            created_at=now,
        )
    )
    session.flush()
    return 1
