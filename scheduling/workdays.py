"""The working-day calendar of this deployment: Vietnam's (``scheduling.calendar``) with
the office's own days off and make-up working days read from ``calendar_days``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.calendar import WorkCalendar
from storage.db import Database
from storage.models import CalendarDay


def calendar_for(session: Session) -> WorkCalendar:
    days = session.scalars(select(CalendarDay)).all()
    return WorkCalendar(
        days_off=[d.day for d in days if not d.working],
        workdays=[d.day for d in days if d.working],
    )


def calendar(db: Database) -> WorkCalendar:
    with db.session() as session:
        return calendar_for(session)
