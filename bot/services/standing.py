"""The standing now: what "tình hình tháng này" answers on any day of the year, and what
the leaders' weekly overview and the office's Monday digest show.

Read from the current-state table (``current_status``) for the plan in use
(:mod:`storage.current_plan`), one-deadline tasks only (as ``progress.overdue``: "xã nào
chậm?" counts the same assignments), each lead unit's assignment counted once:

- **to date**: the assignments due before today (a deadline today is not missed yet),
  done on time, done late or overdue (``progress``'s rules: done on time when the
  standing "done" began by the end of the deadline day, local time); the units with
  overdue work, the oldest overdue task and its days late;
- **a month ago**: the same, as it stood at the end of the same day last month (the 31st
  of a month with 30 days: its last day): the current status where it was set before
  then, else the assignment's history up to then (retracted reports never count: a
  correction is taken as the truth, as the periodic report takes it);
- **this month**: the assignments due from today to the month's end (done already or
  not), the next deadline from today (in this month or after) and how many units it
  concerns; what was reported since the month began (the units that sent a status or a
  figure, the assignments whose "done" began since);
- **the units most behind**: by overdue assignments to date, then their oldest;
- **the indicators** of the reporting period whose window holds today (the cut-off day:
  ``DONDOC_REPORT_CUTOFF_DAY``), against targets, with the period before; when no unit
  has sent a figure for it yet (the first days after the cut-off), the period before,
  whose window has just closed; and, for those who may see the ranking, how many of the
  units leading a task sent every figure of the period holding today
  (:func:`bot.services.progress.figures_unsent`);
- **silent**: the units leading a task of the plan that sent nothing since the month
  began (a status on any assignment or a figure);
- **the periodic reports not sent** (recurring tasks, counted apart: they have no single
  deadline), as "xã nào chậm?" lists them (:func:`bot.services.progress.missed_reports`).

Questions about a named period keep :func:`bot.services.progress.overview`. One unit's
assignments to date ("tiến độ xã X") are the same pass over its assignments alone
(:func:`unit_standing`).

Size: the whole country's plan (3,355 units × 50 tasks, 166,000 assignments) is counted
in the database in one pass (a CASE per assignment grouped by unit, "on time" against a
table of the deadlines' local midnights), a few rows a unit coming back; the history is
read only for the assignments whose status changed since the same day last month (see
docs/benchmarks.md).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, column, distinct, func, or_, select, union, values
from sqlalchemy.orm import Session

from bot.language.periods import Period, PeriodKind, local_midnight, period_of, reporting_period
from bot.services import access, progress
from bot.services.identity import Actor
from scheduling.policy import period_deadline
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    IndicatorValue,
    Plan,
    StatusUpdate,
    Task,
    TaskStatus,
    TaskUnitRole,
    Unit,
)
from storage.types import UTCDateTime

FINISHED = progress.FINISHED
MOST_BEHIND = 5


@dataclass(frozen=True)
class Overdue:
    code: str
    due: date
    days_late: int


@dataclass
class UnitStanding:
    """One lead unit's assignments due before today and in the rest of the month."""

    unit_id: int
    name: str
    done: int = 0  # due before today, done on time
    late: int = 0  # due before today, done after the deadline
    overdue: int = 0  # due before today, not done
    done_early: int = 0  # due from today to the month's end, done already
    upcoming: int = 0  # due from today to the month's end, not done
    oldest: int = 0  # days late of its oldest overdue task
    # Its overdue tasks, oldest first: read for the units named (the most behind, an
    # official's own), for every unit when asked (the spreadsheet).
    late_tasks: list[Overdue] = field(default_factory=list)

    @property
    def due(self) -> int:
        """Assignments due before today."""
        return self.done + self.late + self.overdue

    @property
    def percent(self) -> float | None:
        """The share done (on time or late) of the assignments due before today."""
        return 100.0 * (self.done + self.late) / self.due if self.due else None


def _behind_key(unit: UnitStanding) -> tuple:
    """Most behind first: the most overdue, then the oldest, then the least done."""
    percent = unit.percent
    return (-unit.overdue, -unit.oldest, 101.0 if percent is None else percent, unit.name)


@dataclass(frozen=True)
class ToDate:
    """The plan's assignments due before a day, by standing."""

    day: date
    done: int = 0
    late: int = 0
    overdue: int = 0
    units_overdue: int = 0

    @property
    def due(self) -> int:
        return self.done + self.late + self.overdue

    @property
    def finished(self) -> int:
        return self.done + self.late


@dataclass(frozen=True)
class Oldest:
    """The oldest overdue task: its code, deadline, days late, and the units behind on it."""

    code: str
    due: date
    days_late: int
    units: int


@dataclass(frozen=True)
class NextDeadline:
    due: date
    codes: tuple[str, ...]
    units: int  # lead units with an assignment due that day


@dataclass(frozen=True)
class ThisMonth:
    month: Period
    due_rest: int  # assignments due from today to the month's end
    done_early: int  # … of which done already
    next_deadline: NextDeadline | None  # from today, in this month or after
    units_reported: int  # units that sent a status or a figure since the month began
    finished: int  # assignments whose "done" began since the month began


class FiguresSent(NamedTuple):
    """The figures of a reporting period: the units that sent every one of the plan's
    indicators (or said nothing arose), of those expected to (leading a task)."""

    period: Period
    deadline: date
    sent: int
    expected: int


@dataclass
class Standing:
    """The standing on ``today``. ``units``, ``most_behind`` and ``silent`` hold only what
    the person asking may see by name (an official: their own unit); the totals are the
    whole area's."""

    today: date
    plan_year: int | None
    to_date: ToDate
    month_ago: ToDate
    oldest: Oldest | None
    month: ThisMonth
    units: list[UnitStanding]  # most behind first
    indicators: list[progress.IndicatorStanding]
    indicator_period: Period  # the reporting period the figures are for
    window: tuple[date, date]  # its reporting window
    silent: list[str]
    continuous: int = 0  # the plan's tasks without a deadline (continuous, recurring, …)
    # the periodic reports not sent (those who may see the ranking only)
    missed: list[progress.MissedReport] = field(default_factory=list)
    # the figures of the reporting period holding today (those who may see the ranking,
    # when the plan has indicators)
    figures_sent: FiguresSent | None = None

    @property
    def most_behind(self) -> list[UnitStanding]:
        return [u for u in self.units if u.overdue][:MOST_BEHIND]

    @property
    def charted(self) -> bool:
        """Whether the answer has a chart: some assignment was due before today."""
        return self.to_date.due > 0


def same_day_last_month(day: date) -> date:
    """The same day a month before (the month's last day when it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def standing(
    db: Database,
    today: date,
    *,
    viewer: Actor,
    tz: ZoneInfo,
    cutoff_day: int,
    every_unit_tasks: bool = False,
) -> Standing:
    """The standing on ``today`` (see the module), the area's for everyone, the units
    named only for those who may see the ranking (an official: their own unit). The
    overdue tasks are read for the units most behind, or for every unit with
    ``every_unit_tasks``."""
    month = period_of(PeriodKind.MONTH, today)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        plan_year = session.scalar(select(Plan.year).where(Plan.id == plan_id)) if plan_id else None
        month_start = local_midnight(month.start, tz)
        scan = _scan(session, plan_id, _bounds(session, plan_id, tz), today, month.end, tz)
        units = scan.units
        month_ago = _as_it_stood(session, plan_id, scan, tz)
        oldest = _oldest(session, plan_id, today, scan.oldest_due)
        next_deadline = _next_deadline(session, plan_id, scan.next_due)
        reporting = _reporting_units(session, month_start)
        coming = indicator_period = reporting_period(today, PeriodKind.MONTH, cutoff_day)
        indicators = progress.indicator_standings(session, indicator_period, None, plan_id)
        if not any(s.reported for s in indicators):
            earlier = progress.indicator_standings(
                session, indicator_period.previous(), None, plan_id
            )
            if any(s.reported for s in earlier):
                indicator_period, indicators = indicator_period.previous(), earlier
        silent = _silent(session, plan_id, reporting)
        continuous = _without_deadline(session, plan_id)
        ranked = sorted(units.values(), key=_behind_key)
        to_date = ToDate(
            today,
            sum(u.done for u in ranked),
            sum(u.late for u in ranked),
            sum(u.overdue for u in ranked),
            sum(1 for u in ranked if u.overdue),
        )
        this_month = ThisMonth(
            month,
            sum(u.done_early + u.upcoming for u in ranked),
            sum(u.done_early for u in ranked),
            next_deadline,
            len(reporting),
            scan.finished,
        )
        missed, figures_sent = [], None
        if not access.may_see(viewer, access.View.RANKING):
            ranked = [u for u in ranked if access.may_see(viewer, access.View.UNIT, u.unit_id)]
            silent = [name for name in silent if name == viewer.unit_name]
        elif plan_id is not None:
            missed = progress.reports_not_sent(session, plan_id, today, cutoff_day)
            count, unsent = progress.figures_unsent(session, plan_id, coming, None)
            if count:
                complete = sum(1 for _name, left in unsent.values() if not left)
                deadline = period_deadline(coming, cutoff_day)
                figures_sent = FiguresSent(coming, deadline, complete, len(unsent))
        named = ranked if every_unit_tasks else [u for u in ranked if u.overdue][:MOST_BEHIND]
        _late_tasks(session, plan_id, today, named)
    return Standing(
        today,
        plan_year,
        to_date,
        month_ago,
        oldest,
        this_month,
        ranked,
        indicators,
        indicator_period,
        indicator_period.reporting_window(cutoff_day),
        silent,
        continuous,
        missed,
        figures_sent,
    )


def unit_standing(
    db: Database, today: date, unit_id: int, *, viewer: Actor, tz: ZoneInfo
) -> UnitStanding | None:
    """One unit's assignments due before ``today`` by standing, and this month's ("tiến
    độ xã X": where it stands on the plan so far), counted as :func:`standing` counts
    them but over its assignments alone; None when none has a deadline."""
    access.require(viewer, access.View.UNIT, unit_id)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        month_end = period_of(PeriodKind.MONTH, today).end
        bounds = _bounds(session, plan_id, tz)
        scan = _scan(session, plan_id, bounds, today, month_end, tz, unit_id)
    return scan.units.get(unit_id)


def _deadline_tasks(plan_id: int | None, unit_id: int | None = None):
    """The plan's lead assignments of one-deadline tasks (one unit's with ``unit_id``), a
    query to add to."""
    query = (
        select()
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind == "due",
            Task.due_date.is_not(None),
            Assignment.role == TaskUnitRole.LEAD,
        )
    )
    return query if unit_id is None else query.where(Assignment.unit_id == unit_id)


def _bounds(session: Session, plan_id: int | None, tz: ZoneInfo):
    """The plan's deadlines, each with the first instant after it (local time), as a
    table to join: "done on time" is judged in the database."""
    dues = session.scalars(_deadline_tasks(plan_id).add_columns(Task.due_date).distinct()).all()
    rows = [(due, local_midnight(due + timedelta(days=1), tz)) for due in sorted(dues)]
    table = values(column("due", Date), column("bound", UTCDateTime()), name="bounds")
    return table.data(rows).cte("bounds") if rows else None  # SQLite: a CTE, not VALUES AS


def _state(bounds, day: date):
    """Each assignment's standing on ``day`` from its current status (a CASE): done
    (on time), late, overdue (due before ``day``), early (due from ``day``, done already),
    upcoming."""
    on_time = or_(CurrentStatus.since.is_(None), CurrentStatus.since < bounds.c.bound)
    past = Task.due_date < day
    return case(
        (and_(past, _FINISHED, on_time), "done"),
        (and_(past, _FINISHED), "late"),
        (past, "overdue"),
        (_FINISHED, "early"),
        else_="upcoming",
    )


_FINISHED = and_(CurrentStatus.status.is_not(None), CurrentStatus.status.in_(FINISHED))


@dataclass
class _Scan:
    """What one pass over the plan's one-deadline assignments found."""

    units: dict[int, UnitStanding]
    then: date  # the same day last month
    end: datetime  # the first instant after it
    then_counts: dict[str, int]  # standing then of those whose status has not changed since
    then_behind: set[int]  # … the units overdue among them
    stale: int  # assignments due before then whose status changed since
    finished: int  # assignments whose "done" began since the month began
    oldest_due: date | None  # the oldest deadline overdue
    next_due: date | None  # the first deadline from today


def _scan(
    session: Session,
    plan_id: int | None,
    bounds,
    today: date,
    month_end: date,
    tz: ZoneInfo,
    unit_id: int | None = None,
) -> _Scan:
    """One pass over the plan's lead assignments of one-deadline tasks (one unit's with
    ``unit_id``), counted in the database by unit, standing today and standing then (a few
    rows a unit instead of a row an assignment: the country's plan is 166,000)."""
    then = same_day_last_month(today)
    end = local_midnight(then + timedelta(days=1), tz)
    month_start = local_midnight(today.replace(day=1), tz)
    scan = _Scan(
        {}, then, end, dict.fromkeys(("done", "late", "overdue"), 0), set(), 0, 0, None, None
    )
    if bounds is None:
        return scan
    changed = CurrentStatus.updated_at >= end
    state_then = case((Task.due_date >= then, None), (changed, "stale"), else_=_state(bounds, then))
    fresh = case((and_(_FINISHED, CurrentStatus.since >= month_start), 1), else_=0)
    rows = _with_status(
        _deadline_tasks(plan_id, unit_id).add_columns(
            Assignment.unit_id.label("uid"),
            case((Task.due_date > month_end, "later"), else_=_state(bounds, today)).label("now"),
            state_then.label("then"),
            fresh.label("fresh"),
            Task.due_date.label("due"),
        ),
        bounds,
    ).subquery()
    query = select(
        rows.c.uid,
        rows.c.now,
        rows.c.then,
        func.count(),
        func.min(rows.c.due),
        func.sum(rows.c.fresh),
    ).group_by(rows.c.uid, rows.c.now, rows.c.then)
    units = scan.units
    for uid, now, before, count, first, fresh_count in session.connection().execute(query):
        scan.finished += fresh_count or 0
        if now in ("early", "upcoming", "later"):
            scan.next_due = min(first, scan.next_due or first)
        if now == "later":
            continue  # due after this month
        unit = units.get(uid)
        if unit is None:
            unit = units[uid] = UnitStanding(uid, "")
        attribute = "done_early" if now == "early" else now
        setattr(unit, attribute, getattr(unit, attribute) + count)
        if now == "overdue":
            unit.oldest = max(unit.oldest, (today - first).days)
            scan.oldest_due = min(first, scan.oldest_due or first)
        if before == "stale":
            scan.stale += count
        elif before is not None:
            scan.then_counts[before] += count
            if before == "overdue":
                scan.then_behind.add(uid)
    if units:
        names = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(units))))
        for uid, name in names:
            units[uid].name = name
    return scan


def _with_status(query, bounds):
    return query.join(bounds, bounds.c.due == Task.due_date).outerjoin(
        CurrentStatus,
        and_(CurrentStatus.assignment_id == Assignment.id, CurrentStatus.period_key == "-"),
    )


def _open(query):
    """Only the assignments not finished (no status, or one not done)."""
    return query.outerjoin(
        CurrentStatus,
        and_(CurrentStatus.assignment_id == Assignment.id, CurrentStatus.period_key == "-"),
    ).where(or_(CurrentStatus.status.is_(None), CurrentStatus.status.not_in(FINISHED)))


def _late_tasks(
    session: Session, plan_id: int | None, today: date, units: list[UnitStanding]
) -> None:
    """Fill in the overdue tasks of ``units``, oldest first."""
    wanted = {u.unit_id: u for u in units if u.overdue}
    if not wanted:
        return
    query = (
        _open(_deadline_tasks(plan_id).add_columns(Assignment.unit_id, Task.code, Task.due_date))
        .where(Task.due_date < today)
        .order_by(Task.due_date, Task.position)
    )
    if len(wanted) <= MOST_BEHIND:
        query = query.where(Assignment.unit_id.in_(list(wanted)))
    for uid, code, due in session.connection().execute(query):
        unit = wanted.get(uid)
        if unit is not None:
            unit.late_tasks.append(Overdue(code, due, (today - due).days))


def _oldest(session: Session, plan_id: int | None, today: date, due: date | None) -> Oldest | None:
    """The task overdue the longest (due on ``due``, the oldest deadline overdue), and
    how many units are behind on it."""
    if due is None:
        return None
    row = session.execute(
        _open(_deadline_tasks(plan_id).add_columns(Task.code, func.count()))
        .where(Task.due_date == due)
        .group_by(Task.id, Task.code, Task.position)
        .order_by(Task.position)
        .limit(1)
    ).first()
    if row is None:
        return None
    code, count = row
    return Oldest(code, due, (today - due).days, count)


def _as_it_stood(session: Session, plan_id: int | None, scan: _Scan, tz: ZoneInfo) -> ToDate:
    """The assignments due before the same day last month by standing at its end: the
    current status where it was set before then (counted by :func:`_scan`), else the
    history up to then (retracted reports never count)."""
    counts, behind = dict(scan.then_counts), set(scan.then_behind)
    if scan.stale:
        history = (
            select(
                Assignment.id,
                Assignment.unit_id,
                Task.due_date,
                StatusUpdate.status,
                func.coalesce(StatusUpdate.done_at, StatusUpdate.created_at),  # done on
            )
            .join(Task, Task.id == Assignment.task_id)
            .join(
                CurrentStatus,
                and_(CurrentStatus.assignment_id == Assignment.id, CurrentStatus.period_key == "-"),
            )
            .outerjoin(
                StatusUpdate,
                and_(
                    StatusUpdate.assignment_id == Assignment.id,
                    StatusUpdate.period_start.is_(None),
                    StatusUpdate.retracted_at.is_(None),
                    StatusUpdate.created_at < scan.end,
                ),
            )
            .where(
                Task.plan_id == plan_id,
                Task.withdrawn_at.is_(None),
                Task.timeframe_kind == "due",
                Task.due_date < scan.then,
                Assignment.role == TaskUnitRole.LEAD,
                CurrentStatus.updated_at >= scan.end,
            )
            .order_by(Assignment.id, StatusUpdate.id)
        )
        reports: dict[int, list[tuple[TaskStatus, datetime]]] = defaultdict(list)
        stale: dict[int, tuple[int, date]] = {}
        for aid, uid, due, status, at in session.connection().execute(history):
            stale[aid] = (uid, due)
            if status is not None:
                reports[aid].append((status, at))
        for aid, (uid, due) in stale.items():
            sent = reports.get(aid, [])
            status, since = sent[-1] if sent else (None, None)
            if status in FINISHED:
                for earlier, at in reversed(sent):
                    if earlier not in FINISHED:
                        break
                    since = min(since, at)
                on_time = since < local_midnight(due + timedelta(days=1), tz)
                counts["done" if on_time else "late"] += 1
            else:
                counts["overdue"] += 1
                behind.add(uid)
    return ToDate(scan.then, counts["done"], counts["late"], counts["overdue"], len(behind))


def _next_deadline(
    session: Session, plan_id: int | None, first: date | None
) -> NextDeadline | None:
    """The first deadline from today (``first``), its tasks and how many units lead them."""
    if first is None:
        return None
    due = _deadline_tasks(plan_id).where(Task.due_date == first)
    codes = session.scalars(
        due.add_columns(Task.code)
        .group_by(Task.id, Task.code, Task.position)
        .order_by(Task.position)
    ).all()
    units = session.scalar(due.add_columns(func.count(distinct(Assignment.unit_id))))
    return NextDeadline(first, tuple(dict.fromkeys(codes)), units or 0)


def _reporting_units(session: Session, since: datetime) -> set[int]:
    """Units that sent a status or a figure since ``since``, not withdrawn since."""
    statuses = (
        select(Assignment.unit_id)
        .join(StatusUpdate, StatusUpdate.assignment_id == Assignment.id)
        .where(StatusUpdate.created_at >= since, StatusUpdate.retracted_at.is_(None))
    )
    figures = select(IndicatorValue.unit_id).where(
        IndicatorValue.created_at >= since, IndicatorValue.retracted_at.is_(None)
    )
    return set(session.scalars(union(statuses, figures)))


def _silent(session: Session, plan_id: int | None, reporting: set[int]) -> list[str]:
    """The units leading a task of the plan that are not in ``reporting``."""
    leading = session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(progress.leading_units(plan_id)))
    )
    return sorted(name for uid, name in leading if uid not in reporting)


def _without_deadline(session: Session, plan_id: int | None) -> int:
    """The plan's tasks without one deadline (continuous, recurring, on demand, unknown)."""
    return session.scalar(
        select(func.count())
        .select_from(Task)
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            (Task.timeframe_kind != "due") | Task.due_date.is_(None),
        )
    )
