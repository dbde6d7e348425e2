"""Stopping the reminders a report answers, in the reporting transaction.

A task reported done stops its pending reminders; a report on a recurring or continuous
task stops those of its period (due up to the period's end). A figure stops the pending
reminders of that indicator, unit and period. :class:`ReminderCancelling` is what the
reporting service needs (so it can be given a fake); :class:`AnsweredReminders` is the
real one, over the ``reminders`` table, in the session the report is stored in: the
reminders stop if and only if the report is stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models import Reminder, ReminderState


@runtime_checkable
class ReminderCancelling(Protocol):
    def answered_task(self, session: Session, assignment_id: int, until: date | None) -> None:
        """A report on an assignment: cancel its pending reminders (due up to the end of
        ``until``, a period's last day, when given; all of them when None)."""

    def answered_figure(
        self, session: Session, indicator_id: int, unit_id: int, period_key: str
    ) -> None:
        """A figure for an indicator, unit and period (``Period.key``): cancel the pending
        reminders asking for it."""


def answered_task(session: Session, assignment_id: int, until: date | None) -> None:
    query = update(Reminder).where(
        Reminder.assignment_id == assignment_id, Reminder.state == ReminderState.PENDING
    )
    if until is not None:
        query = query.where(Reminder.due_at <= datetime.combine(until, datetime.max.time(), UTC))
    session.execute(query.values(state=ReminderState.CANCELLED))


def answered_figure(session: Session, indicator_id: int, unit_id: int, period_key: str) -> None:
    session.execute(
        update(Reminder)
        .where(
            Reminder.indicator_id == indicator_id,
            Reminder.unit_id == unit_id,
            Reminder.key.like(f"indicator:{indicator_id}:{unit_id}:{period_key}>%"),
            Reminder.state == ReminderState.PENDING,
        )
        .values(state=ReminderState.CANCELLED)
    )


class AnsweredReminders:
    """The real :class:`ReminderCancelling`: the functions of this module."""

    answered_task = staticmethod(answered_task)
    answered_figure = staticmethod(answered_figure)
