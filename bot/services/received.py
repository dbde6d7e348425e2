"""Who has reported lately ("hôm nay ai đã báo cáo?", "tuần này xã nào đã báo cáo?"):
the units that sent reports in a span of days, the latest first.

A report here is what the log of reports holds (:func:`bot.services.site.report_log`):
a task's status or an indicator's figure, sent in the span (local days, the deployment's
time zone) and not withdrawn since, whoever sent it (an official or the office for the
unit). Each unit comes with how many tasks and indicators it reported on and when it
last did; when none reported in the span, the latest report before its end is given
instead, so that "nobody today" also says since when. For those who see every unit's
standing (``View.RANKING``: the office and leaders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.language.periods import local_midnight
from bot.services import access
from bot.services.identity import Actor
from storage.db import Database
from storage.models import Assignment, IndicatorValue, StatusUpdate, Unit


@dataclass(frozen=True)
class Reporter:
    """One unit that reported in the span: how many tasks and indicators, and when it
    last did (local time)."""

    unit: str
    tasks: int
    indicators: int
    last: datetime


@dataclass(frozen=True)
class Received:
    first: date  # the span's first day
    last: date  # its last day (included)
    reporters: list[Reporter]  # the latest first
    # when nobody reported in the span: the latest report before it (unit, local time)
    before: tuple[str, datetime] | None = None


def received(db: Database, first: date, last: date, tz: ZoneInfo, *, viewer: Actor) -> Received:
    """:class:`Received` for the days ``first`` to ``last``."""
    access.require(viewer, access.View.RANKING)
    start, end = local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)
    statuses = (
        select(
            Assignment.unit_id,
            func.count(func.distinct(Assignment.task_id)),
            func.max(StatusUpdate.created_at),
        )
        .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
        .where(
            StatusUpdate.created_at >= start,
            StatusUpdate.created_at < end,
            StatusUpdate.retracted_at.is_(None),
        )
        .group_by(Assignment.unit_id)
    )
    figures = (
        select(
            IndicatorValue.unit_id,
            func.count(func.distinct(IndicatorValue.indicator_id)),
            func.max(IndicatorValue.created_at),
        )
        .where(
            IndicatorValue.created_at >= start,
            IndicatorValue.created_at < end,
            IndicatorValue.retracted_at.is_(None),
        )
        .group_by(IndicatorValue.unit_id)
    )
    with db.session() as session:
        counts: dict[int, list] = {}
        for index, query in enumerate((statuses, figures)):
            for unit_id, count, at in session.execute(query):
                found = counts.setdefault(unit_id, [0, 0, at])
                found[index] = count
                found[2] = max(found[2], at)
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(counts))).all())
        before = None if counts else _latest_before(session, start)
    reporters = [
        Reporter(names[unit_id], tasks, indicators, at.astimezone(tz))
        for unit_id, (tasks, indicators, at) in counts.items()
    ]
    reporters.sort(key=lambda r: (-r.last.timestamp(), r.unit))
    if before is not None:
        before = (before[0], before[1].astimezone(tz))
    return Received(first, last, reporters, before)


def _latest_before(session, start: datetime) -> tuple[str, datetime] | None:
    """The unit and time of the latest report, not withdrawn, sent before ``start``."""
    latest = [
        session.execute(
            select(Unit.name, StatusUpdate.created_at)
            .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(StatusUpdate.created_at < start, StatusUpdate.retracted_at.is_(None))
            .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
            .limit(1)
        ).first(),
        session.execute(
            select(Unit.name, IndicatorValue.created_at)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(IndicatorValue.created_at < start, IndicatorValue.retracted_at.is_(None))
            .order_by(IndicatorValue.created_at.desc(), IndicatorValue.id.desc())
            .limit(1)
        ).first(),
    ]
    found = [(name, at) for row in latest if row is not None for name, at in [row]]
    return max(found, key=lambda f: f[1]) if found else None
