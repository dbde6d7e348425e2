"""Progress for a period: tasks due in it by status, per unit, and indicators against targets.

Read from the current-state table (``current_status``) and the figures, never by
replaying the history, for the plan in use only (:mod:`storage.current_plan`). A task
with a deadline in the period counts for each lead unit:

- done on time: the standing status is done (or not applicable) and began
  (``current_status.since``: the first report of it after the last report saying
  otherwise) by the end of the deadline, local time. An undone report does not count;
  a correction counts from when it was sent (it replaces the report it corrects);
- done late: that report came after the deadline;
- overdue: past its deadline and not done;
- in progress: not yet due, and a status was reported;
- not reported: not yet due and nothing said.

Progress (the percentage of the answer and the chart) counts a finished task in full and
an unfinished one (in progress or overdue) by the percent its unit reported, so a unit
half way through its only task stands at 50 %, not 0 %.

Indicator figures belong to the reporting period they were sent for (stored with the
figure), not to the day they were sent. A unit's figure for a period is its latest
figure for exactly that period; failing that, its figures for the periods inside it
(the months of a quarter) combined: numerators and denominators added when every one
has them, else the latest. The area's value is Σ numerators / Σ denominators when every
unit gave both, else the mean of the units' figures. A unit whose latest word for the
period is that nothing arose ("không phát sinh": a figure without a value) has no
figure and counts in no value; :func:`period_figures` names those units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from bot.language.periods import Period, PeriodKind, local_midnight, period_of, reporting_period
from bot.services import access
from bot.services.identity import Actor
from scheduling.chase import Chased, chase_figures, chase_late
from scheduling.policy import cadence_kind, last_closed, period_deadline
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    Indicator,
    IndicatorValue,
    Plan,
    StatusUpdate,
    Task,
    TaskStatus,
    TaskUnitRole,
    Unit,
)

STATES = ("done", "late", "in_progress", "overdue", "not_reported")
FINISHED = (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)
TREND_PERIODS = 6


@dataclass
class UnitProgress:
    unit_id: int
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    behind: list[str] = field(default_factory=list)  # codes of overdue tasks
    # state → the reported share of its unfinished tasks done, in tasks (two tasks at
    # 50 % and 30 %: 0.8), for "in_progress" and "overdue"
    partial: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> float:
        """Progress on the period's tasks: done ones (on time or late) in full,
        unfinished ones by their reported percent."""
        return progress_percent([self]) or 0.0


def progress_percent(units: list[UnitProgress]) -> float | None:
    """Progress of ``units`` together (None without tasks): finished tasks in full,
    unfinished ones by their reported percent."""
    total = sum(u.total for u in units)
    if not total:
        return None
    done = sum(u.counts["done"] + u.counts["late"] + sum(u.partial.values()) for u in units)
    return 100.0 * done / total


@dataclass(frozen=True)
class Figure:
    """One unit's figure of an indicator for a period (perhaps combined from its months)."""

    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    # When it was sent (UTC); combined from months: the latest of them. Not compared.
    sent_at: datetime | None = field(default=None, compare=False)


@dataclass
class IndicatorStanding:
    name: str
    comparator: str
    target: Decimal | None
    measure: str
    reported: int  # units with a figure for the period
    meeting: int  # … of which meet the target
    area: Decimal | None  # Σ numerators / Σ denominators, else the mean of the figures
    indicator_id: int = 0
    previous_area: Decimal | None = None  # the area's value the period before


def _totals(units: list[UnitProgress]) -> dict[str, int]:
    totals = dict.fromkeys(STATES, 0)
    for unit in units:
        for state, count in unit.counts.items():
            totals[state] += count
    return totals


@dataclass
class Overview:
    """The period's standing. ``units`` and ``silent`` hold only what the person asking
    may see by name (an official: their own unit); ``totals`` are the whole area's."""

    period: Period
    units: list[UnitProgress]
    indicators: list[IndicatorStanding]
    silent: list[str]  # units with tasks that reported nothing in the period
    previous_percent: float | None
    indicator_period: Period | None = None  # the period of the figures, if not ``period``
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    # Progress of all the units together (finished tasks in full, unfinished ones by their
    # reported percent), and whether a reported percent counts in it; kept as computed
    # from every unit, whatever list of units is shown.
    percent: float | None = None
    partial: bool = False

    @property
    def most_behind(self) -> list[UnitProgress]:
        ranked = sorted(
            (u for u in self.units if u.counts["overdue"]),
            key=lambda u: (-u.counts["overdue"], u.percent, u.name),
        )
        return ranked[:5]


def _progress(
    session: Session, period: Period, today: date, unit_id: int | None, tz: ZoneInfo
) -> list[UnitProgress]:
    plan_id = current_plan_id(session, today)
    query = (
        select(
            Assignment.unit_id,
            Task.code,
            Task.due_date,
            CurrentStatus.status,
            CurrentStatus.since,
            CurrentStatus.percent,
        )
        .join(Task, Task.id == Assignment.task_id)
        .outerjoin(
            CurrentStatus,
            (CurrentStatus.assignment_id == Assignment.id) & (CurrentStatus.period_key == "-"),
        )
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind == "due",
            Task.due_date >= period.start,
            Task.due_date <= period.end,
            Assignment.role == TaskUnitRole.LEAD,
        )
        .order_by(Task.position)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    units: dict[int, UnitProgress] = {}
    bounds: dict[date, datetime] = {}  # a deadline → the first instant after it
    # Core execution: a hundred thousand plain rows, no ORM bookkeeping per row.
    for uid, code, due, status, since, percent in session.connection().execute(query):
        unit = units.get(uid)
        if unit is None:
            unit = units[uid] = UnitProgress(uid, "")
        if status in FINISHED:
            bound = bounds.get(due)
            if bound is None:
                bound = bounds[due] = local_midnight(due + timedelta(days=1), tz)
            on_time = since is None or since < bound
            unit.counts["done" if on_time else "late"] += 1
        elif status is None and due >= today:
            unit.counts["not_reported"] += 1
        else:
            state = "overdue" if due < today else "in_progress"
            unit.counts[state] += 1
            if state == "overdue":
                unit.behind.append(code)
            if percent:
                unit.partial[state] = unit.partial.get(state, 0.0) + min(percent, 100) / 100
    if units:
        names = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(units))))
        for uid, name in names:
            units[uid].name = name
    return sorted(units.values(), key=lambda u: (u.percent, u.name))


# -- indicators ----------------------------------------------------------------------------


def _latest_sent(
    session: Session, indicator_ids: list[int], periods: list[Period], unit_id: int | None
) -> dict[tuple[int, int], dict[tuple[date, date], Figure | None]]:
    """(indicator, unit) → the bounds of each period it sent a figure for (within
    ``periods``) → its latest for that period, None where that said nothing arose."""
    query = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.unit_id,
            IndicatorValue.period_start,
            IndicatorValue.period_end,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.created_at,
        )
        .where(
            IndicatorValue.indicator_id.in_(indicator_ids),
            IndicatorValue.retracted_at.is_(None),
            IndicatorValue.period_start >= min(p.start for p in periods),
            IndicatorValue.period_end <= max(p.end for p in periods),
        )
        .order_by(IndicatorValue.id)
    )
    if unit_id is not None:
        query = query.where(IndicatorValue.unit_id == unit_id)
    latest: dict[tuple[int, int], dict[tuple[date, date], Figure | None]] = defaultdict(dict)
    for indicator_id, uid, start, end, value, numerator, denominator, at in session.execute(query):
        sent = latest[indicator_id, uid]
        sent.pop((start, end), None)  # keep insertion order: the latest sent last
        sent[start, end] = None if value is None else Figure(value, numerator, denominator, at)
    return latest


def unit_figures(
    session: Session, indicator_ids: list[int], periods: list[Period], unit_id: int | None
) -> dict[tuple[int, Period], dict[int, Figure]]:
    """(indicator, period) → unit → its figure for the period: :func:`period_figures`'s
    figures alone."""
    return period_figures(session, indicator_ids, periods, unit_id)[0]


def period_figures(
    session: Session, indicator_ids: list[int], periods: list[Period], unit_id: int | None
) -> tuple[dict[tuple[int, Period], dict[int, Figure]], dict[tuple[int, Period], set[int]]]:
    """(indicator, period) → unit → its figure for the period, and (indicator, period) →
    the units that said nothing arose in it ("không phát sinh"); one query for all.

    A unit's figure is its latest for exactly the period, else its figures for the periods
    inside it combined (:func:`combine_figures`); retracted figures never count. A unit
    whose latest word for exactly the period (else for every period inside it it sent one
    for) is that nothing arose has no figure: it is in the second mapping."""
    figures: dict[tuple[int, Period], dict[int, Figure]] = defaultdict(dict)
    nothing: dict[tuple[int, Period], set[int]] = defaultdict(set)
    if not indicator_ids or not periods:
        return figures, nothing
    for (indicator_id, uid), sent in _latest_sent(session, indicator_ids, periods, unit_id).items():
        for period in periods:
            figure = combine_figures(sent, period)
            if figure is not None:
                figures[indicator_id, period][uid] = figure
                continue
            exact = (period.start, period.end)
            said = [sent[exact]] if exact in sent else [f for _b, f in _inside(sent, period)]
            if said and all(f is None for f in said):
                nothing[indicator_id, period].add(uid)
    return figures, nothing


def _inside(
    sent: dict[tuple[date, date], Figure | None], period: Period
) -> list[tuple[tuple[date, date], Figure | None]]:
    """What a unit sent for the periods inside ``period`` (its months), by bounds."""
    return [(b, f) for b, f in sent.items() if period.start <= b[0] and b[1] <= period.end]


def combine_figures(sent: dict[tuple[date, date], Figure | None], period: Period) -> Figure | None:
    """A unit's figure for ``period`` from its latest figure for each period it sent one
    for (None: nothing arose): the one for exactly ``period``, else those inside it with
    their numerators and denominators added when every one has them, else the latest
    period's; None when there is none."""
    bounds = (period.start, period.end)
    if bounds in sent:
        return sent[bounds]
    inside = [(b, figure) for b, figure in _inside(sent, period) if figure is not None]
    if not inside:
        return None
    if all(f.numerator is not None and f.denominator for _b, f in inside):
        numerator = sum(f.numerator for _b, f in inside)
        denominator = sum(f.denominator for _b, f in inside)
        sent_at = max((f.sent_at for _b, f in inside if f.sent_at is not None), default=None)
        return Figure(Decimal(100) * numerator / denominator, numerator, denominator, sent_at)
    return max(inside, key=lambda item: item[0][1])[1]  # the latest period's


def area_value(figures: list[Figure]) -> Decimal | None:
    """The area's value: Σ numerators / Σ denominators when every unit gave both, else the
    mean of the units' figures; None without figures."""
    if not figures:
        return None
    if all(f.numerator is not None and f.denominator for f in figures):
        return (
            Decimal(100) * sum(f.numerator for f in figures) / sum(f.denominator for f in figures)
        )
    return sum(f.value for f in figures) / len(figures)


def meets_target(value: Decimal, indicator: Indicator) -> bool:
    """Whether ``value`` meets the indicator's target (True when it has none)."""
    if indicator.target is None:
        return True
    if indicator.comparator == "<=":
        return value <= indicator.target
    if indicator.comparator == "=":
        return value == indicator.target
    return value >= indicator.target


def _standing(indicator: Indicator, now: list[Figure], before: list[Figure]) -> IndicatorStanding:
    """An indicator's standing from the units' figures for a period and the one before."""
    return IndicatorStanding(
        indicator.name,
        indicator.comparator,
        indicator.target,
        indicator.measure,
        len(now),
        sum(1 for f in now if meets_target(f.value, indicator)),
        area_value(now),
        indicator.id,
        area_value(before),
    )


def indicator_standings(
    session: Session, period: Period, unit_id: int | None, plan_id: int | None
) -> list[IndicatorStanding]:
    """Each of the plan's indicators' standing in the period (the period before too)."""
    query = select(Indicator).where(Indicator.plan_id == plan_id, Indicator.withdrawn_at.is_(None))
    indicators = list(session.scalars(query.order_by(Indicator.id)))
    previous = period.previous()
    figures = unit_figures(session, [i.id for i in indicators], [previous, period], unit_id)
    return [
        _standing(
            indicator,
            list(figures.get((indicator.id, period), {}).values()),
            list(figures.get((indicator.id, previous), {}).values()),
        )
        for indicator in indicators
    ]


@dataclass
class OwnFigure:
    """One indicator as an official sees it: the area's standing and their unit's figure."""

    standing: IndicatorStanding
    own: Figure | None  # the unit's figure for the period, if it sent one
    nothing_arose: bool = False  # the unit said nothing arose in the period (no figure)


def unit_indicator(
    db: Database, indicator_id: int, period: Period, unit_id: int, *, viewer: Actor
) -> OwnFigure | None:
    """One indicator for one unit ("hồ sơ trực tuyến đạt chưa?" from an official): the
    area's standing in the period (how many units meet the target, the area's value and
    its change) and the unit's own figure; no other unit by name."""
    access.require(viewer, access.View.AREA)
    access.require(viewer, access.View.UNIT, unit_id)
    previous = period.previous()
    with db.session() as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            return None
        figures, nothing = period_figures(session, [indicator_id], [previous, period], None)
    now = figures.get((indicator_id, period), {})
    before = list(figures.get((indicator_id, previous), {}).values())
    return OwnFigure(
        _standing(indicator, list(now.values()), before),
        now.get(unit_id),
        unit_id in nothing.get((indicator_id, period), set()),
    )


# -- the overview --------------------------------------------------------------------------


def figure_periods(period: Period, today: date, cutoff_day: int) -> tuple[Period, ...]:
    """Where to look for indicator figures when asked about ``period``.

    After the cut-off day, figures sent without a period are for the next month
    (Decree 09/2019): asked about the current month, show the figures coming in now,
    else the month's own.
    """
    if period != period_of(PeriodKind.MONTH, today):
        return (period,)
    now = reporting_period(today, PeriodKind.MONTH, cutoff_day)
    return (now, period) if now != period else (period,)


def overview(
    db: Database,
    period: Period,
    today: date,
    unit_id: int | None = None,
    *,
    viewer: Actor,
    tz: ZoneInfo,
    indicator_periods: tuple[Period, ...] = (),
) -> Overview:
    """Tasks due in ``period``, and the indicators' figures for the first of
    ``indicator_periods`` that has any (by default ``period`` itself: "this month" after
    the cut-off day reports into the next month, and early in a period nothing is in).
    One unit's (``unit_id``) for those who may see it; the area's for everyone, with the
    units named only for those who may see the ranking."""
    if unit_id is not None:
        access.require(viewer, access.View.UNIT, unit_id)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        units = _progress(session, period, today, unit_id, tz)
        previous = _progress(session, period.previous(), today, unit_id, tz)
        figures_for = period
        indicators: list[IndicatorStanding] = []
        for figures_for in indicator_periods or (period,):
            indicators = indicator_standings(session, figures_for, unit_id, plan_id)
            if any(s.reported for s in indicators):
                break
        quiet = _silent(session, period, unit_id, tz, plan_id)
    totals = _totals(units)
    percent, partial = progress_percent(units), any(u.partial for u in units)
    if not access.may_see(viewer, access.View.RANKING):
        units = [u for u in units if access.may_see(viewer, access.View.UNIT, u.unit_id)]
        quiet = [name for name in quiet if name == viewer.unit_name]
    return Overview(
        period,
        units,
        indicators,
        quiet,
        progress_percent(previous),
        figures_for if figures_for != period else None,
        totals,
        percent,
        partial,
    )


def silent(db: Database, period: Period, today: date, *, viewer: Actor, tz: ZoneInfo) -> list[str]:
    """Units with tasks that reported nothing during the period ("chưa báo cáo")."""
    access.require(viewer, access.View.RANKING)
    with db.session() as session:
        return _silent(session, period, None, tz, current_plan_id(session, today))


def leading_units(plan_id: int | None):
    """The ids of the units leading a task of the plan (a subquery): those expected to
    report, and to send figures."""
    return (
        select(Assignment.unit_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Assignment.role == TaskUnitRole.LEAD,
        )
    )


def _silent(
    session: Session, period: Period, unit_id: int | None, tz: ZoneInfo, plan_id: int | None
) -> list[str]:
    """Units with tasks in the current plan that reported nothing during the period."""
    with_tasks = leading_units(plan_id)
    start = local_midnight(period.start, tz)
    end = local_midnight(period.end + timedelta(days=1), tz)
    reporting = (
        select(Assignment.unit_id)
        .join(StatusUpdate, StatusUpdate.assignment_id == Assignment.id)
        .where(
            StatusUpdate.created_at >= start,
            StatusUpdate.created_at < end,
            StatusUpdate.retracted_at.is_(None),
        )
    )
    figures = select(IndicatorValue.unit_id).where(
        IndicatorValue.created_at >= start,
        IndicatorValue.created_at < end,
        IndicatorValue.retracted_at.is_(None),
    )
    query = select(Unit.name).where(
        Unit.id.in_(with_tasks), Unit.id.not_in(reporting), Unit.id.not_in(figures)
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return sorted(session.scalars(query))


def unit_name(db: Database, unit_id: int) -> str | None:
    with db.session() as session:
        return session.scalar(select(Unit.name).where(Unit.id == unit_id))


# -- who is late ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LateTask:
    code: str
    due: date
    days_late: int  # calendar days since the deadline
    content: str = ""  # what the task is, as the plan words it


@dataclass
class UnitLate:
    name: str
    tasks: list[LateTask] = field(default_factory=list)

    @property
    def most_days(self) -> int:
        return max((t.days_late for t in self.tasks), default=0)


def overdue(
    db: Database,
    today: date,
    unit_id: int | None = None,
    period: Period | None = None,
    *,
    viewer: Actor,
) -> list[UnitLate]:
    """Every lead unit's tasks past their deadline and not done, whatever period they were
    due in (or only those due in ``period``); the units with the most overdue tasks first.
    One unit's for those who may see it; every unit's for those who may see the ranking."""
    if unit_id is None:
        access.require(viewer, access.View.RANKING)
    else:
        access.require(viewer, access.View.UNIT, unit_id)
    units: dict[str, UnitLate] = {}
    with db.session() as session:
        for _unit_id, name, _assignment_id, code, due, content in _overdue_rows(
            session, today, unit_id, period
        ):
            units.setdefault(name, UnitLate(name)).tasks.append(
                LateTask(code, due, (today - due).days, content)
            )
    return sorted(units.values(), key=lambda u: (-len(u.tasks), -u.most_days, u.name))


def _overdue_rows(
    session: Session, today: date, unit_id: int | None, period: Period | None
) -> Iterator[Row[tuple[int, str, int, str, date, str]]]:
    """The lead assignments of the plan in use past their deadline and not finished (of
    ``unit_id``, due in ``period``, if given): unit id and name, assignment id, task code,
    deadline and content, by unit, deadline and the plan's order. Read as they come (a
    country's are tens of thousands: a list of them held beside would cost twice)."""
    finished = select(CurrentStatus.assignment_id).where(
        CurrentStatus.period_key == "-", CurrentStatus.status.in_(FINISHED)
    )
    query = (
        select(Unit.id, Unit.name, Assignment.id, Task.code, Task.due_date, Task.content)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Task.plan_id == current_plan_id(session, today),
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind == "due",
            Task.due_date < today,
            Assignment.role == TaskUnitRole.LEAD,
            Assignment.id.not_in(finished),
        )
        .order_by(Unit.name, Task.due_date, Task.position)
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    if period is not None:
        query = query.where(Task.due_date >= period.start, Task.due_date <= period.end)
    yield from session.execute(query)


def chase_overdue(
    db: Database,
    today: date,
    *,
    viewer: Actor,
    now: datetime,
    tz: ZoneInfo,
    at: datetime | None = None,
    period: Period | None = None,
) -> Chased:
    """Remind each unit with tasks past their deadline and not done (those due in
    ``period``, if given), now or ``at`` (the office's button under "xã nào chậm?", "xã
    nào chậm tháng 11?": :mod:`scheduling.chase`)."""
    if not access.may_do(viewer, access.Act.CHASE):
        raise access.NotAllowed(access.View.RANKING)
    late: dict[int, list[tuple[int, str, date]]] = {}
    with db.session() as session:
        for unit_id, _name, assignment_id, code, due, _content in _overdue_rows(
            session, today, None, period
        ):
            late.setdefault(unit_id, []).append((assignment_id, code, due))
    return chase_late(db, late, now, tz, at)


@dataclass(frozen=True)
class MissedReport:
    """A recurring task's latest period whose deadline has passed (or, for the reports
    coming, its open period), and its lead units that reported nothing for it."""

    code: str
    content: str
    period: Period
    deadline: date
    units: list[str]


def missed_reports(
    db: Database, today: date, *, viewer: Actor, cutoff_day: int
) -> list[MissedReport]:
    """Each recurring task of the plan in use ("Báo cáo … hằng quý"): its latest period
    whose deadline (the end of its reporting window, as the reminders have it) is before
    ``today``, with the lead units that sent no status for it (for the period or a month
    inside it, retracted ones not counting); tasks whose units all reported are left out.
    Recurring tasks have no single deadline, so "xã nào chậm?" counts them apart."""
    access.require(viewer, access.View.RANKING)
    with db.session() as session:
        return reports_not_sent(session, current_plan_id(session, today), today, cutoff_day)


def reports_not_sent(
    session: Session, plan_id: int | None, today: date, cutoff_day: int, unit_id: int | None = None
) -> list[MissedReport]:
    """:func:`missed_reports` of one plan (of one unit's assignments with ``unit_id``), in
    a session the caller holds (the standing reads them with the rest)."""
    return _unsent(_recurring_reports(session, plan_id, unit_id), today, cutoff_day)


@dataclass(frozen=True)
class _Recurring:
    """A plan's recurring tasks' lead assignments (of one unit, if asked) and the periods
    each has reported on: what :func:`_unsent` reads periods from."""

    plan_year: int | None
    rows: list[Row[tuple[int, str, str, str | None, int, str]]]
    said: dict[int, set[date]]  # assignment id → the starts of the periods it reported on


def _recurring_reports(session: Session, plan_id: int | None, unit_id: int | None) -> _Recurring:
    plan_year = session.scalar(select(Plan.year).where(Plan.id == plan_id))
    own = (Assignment.unit_id == unit_id,) if unit_id is not None else ()
    rows = session.execute(
        select(Task.id, Task.code, Task.content, Task.recurrence, Assignment.id, Unit.name)
        .join(Assignment, Assignment.task_id == Task.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind == "recurring",
            Assignment.role == TaskUnitRole.LEAD,
            *own,
        )
        .order_by(Task.position, Unit.name)
    ).all()
    said: dict[int, set[date]] = defaultdict(set)
    for assignment_id, start in session.execute(
        select(StatusUpdate.assignment_id, StatusUpdate.period_start)
        .distinct()
        .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.timeframe_kind == "recurring",
            StatusUpdate.retracted_at.is_(None),
            StatusUpdate.period_start.is_not(None),
            *own,
        )
    ):
        said[assignment_id].add(start)
    return _Recurring(plan_year, list(rows), said)


def _unsent(
    recurring: _Recurring, today: date, cutoff_day: int, due_by: date | None = None
) -> list[MissedReport]:
    """Each recurring task's latest period past its deadline, with the lead units that
    reported nothing for it; with ``due_by``, its open period instead (the one after),
    if due on or before ``due_by`` ("tháng này phải báo cáo gì": the quarter's report due
    on the 14th)."""
    found: dict[int, MissedReport] = {}
    for task_id, code, content, recurrence, assignment_id, unit in recurring.rows:
        if task_id not in found:
            period = last_closed(cadence_kind(recurrence), today, cutoff_day)
            if due_by is not None:
                period = period.next()
            deadline = period_deadline(period, cutoff_day)
            if recurring.plan_year is not None and period.end.year < recurring.plan_year:
                continue  # before the plan's year: nothing was due
            if due_by is not None and deadline > due_by:
                continue  # not due that soon
            found[task_id] = MissedReport(code, content, period, deadline, [])
        missed = found[task_id]
        if not any(missed.period.contains(day) for day in recurring.said[assignment_id]):
            missed.units.append(unit)
    return [m for m in found.values() if m.units]


@dataclass(frozen=True)
class UnitGaps:
    """What one unit has not sent ("đã báo cáo đủ chưa?", "còn thiếu gì?"): the plan's
    indicators it sent no figure for in ``period`` (the figures coming in now), not
    having said nothing arose, with the period's deadline; its recurring tasks'
    periodic reports not sent (:func:`missed_reports`, this unit alone), and those due
    by the same deadline, not sent yet (``coming``). ``expected``:
    whether the unit owes figures at all (the plan has indicators and the unit leads a
    task of it, as the periodic report counts the units expected to report)."""

    period: Period
    deadline: date
    expected: bool
    indicators: int  # the plan's indicators
    unsent: list[str]  # the names of those it sent nothing for
    missed: list[MissedReport]
    # its periodic reports due by the figures' deadline, not sent yet
    coming: list[MissedReport] = field(default_factory=list)


def unit_gaps(
    db: Database, unit_id: int, period: Period, today: date, *, viewer: Actor, cutoff_day: int
) -> UnitGaps:
    """:class:`UnitGaps` of one unit, for those who may see its detail."""
    access.require(viewer, access.View.UNIT, unit_id)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        count, unsent = figures_unsent(session, plan_id, period, unit_id)
        recurring = _recurring_reports(session, plan_id, unit_id)  # read once, for both
        missed = _unsent(recurring, today, cutoff_day)
        deadline = period_deadline(period, cutoff_day)
        coming = _unsent(recurring, today, cutoff_day, due_by=deadline)
    expected = unit_id in unsent
    return UnitGaps(
        period,
        deadline,
        expected,
        count,
        [name for _id, name in unsent[unit_id][1]] if expected else [],
        missed,
        coming,
    )


@dataclass(frozen=True)
class FiguresMissing:
    """Who has not sent the figures of a period ("xã nào chưa gửi số liệu?"): of the units
    expected to (those leading a task of the plan), those that sent none, and those that
    sent some, with how many indicators they left out (nothing arose counts as sent)."""

    period: Period
    deadline: date
    expected: int  # units expected to send figures
    indicators: int  # the plan's indicators
    none: list[str]  # units that sent no figure, by name
    some: list[tuple[str, int]]  # units that sent some: name, indicators not sent


def figures_missing(
    db: Database, period: Period, today: date, *, viewer: Actor, cutoff_day: int
) -> FiguresMissing:
    """:class:`FiguresMissing` of the area, for those who may see the ranking."""
    access.require(viewer, access.View.RANKING)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        count, unsent = figures_unsent(session, plan_id, period, None)
    none = sorted(name for name, left in unsent.values() if count and len(left) == count)
    some = sorted((name, len(left)) for name, left in unsent.values() if left and len(left) < count)
    deadline = period_deadline(period, cutoff_day)
    return FiguresMissing(period, deadline, len(unsent), count, none, some)


def chase_figures_missing(
    db: Database,
    period: Period,
    today: date,
    *,
    viewer: Actor,
    cutoff_day: int,
    now: datetime,
    tz: ZoneInfo,
    at: datetime | None = None,
) -> Chased:
    """Remind each unit that has not sent every figure of ``period``, now or ``at`` (the
    office's button under "xã nào chưa gửi số liệu?": :mod:`scheduling.chase`)."""
    if not access.may_do(viewer, access.Act.CHASE):
        raise access.NotAllowed(access.View.RANKING)
    with db.session() as session:
        _count, unsent = figures_unsent(session, current_plan_id(session, today), period, None)
    missing = {uid: left for uid, (_name, left) in unsent.items() if left}
    deadline = period_deadline(period, cutoff_day)
    return chase_figures(db, missing, period, deadline, now, tz, at)


def figures_unsent(
    session: Session, plan_id: int | None, period: Period, unit_id: int | None
) -> tuple[int, dict[int, tuple[str, list[tuple[int, str]]]]]:
    """The number of the plan's indicators, and each unit expected to send figures (it
    leads a task of the plan; ``unit_id`` alone if given) → its name and the indicators
    (id, name) it sent no figure for in ``period`` without saying nothing arose (no unit
    when the plan has no indicator)."""
    indicators = session.execute(
        select(Indicator.id, Indicator.name)
        .where(Indicator.plan_id == plan_id, Indicator.withdrawn_at.is_(None))
        .order_by(Indicator.id)
    ).all()
    if not indicators:
        return 0, {}
    query = select(Unit.id, Unit.name).where(Unit.id.in_(leading_units(plan_id)))
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    units = session.execute(query).all()
    figures, nothing = period_figures(session, [i for i, _n in indicators], [period], unit_id)
    unsent = {
        uid: (
            name,
            [
                (indicator_id, indicator_name)
                for indicator_id, indicator_name in indicators
                if uid not in figures.get((indicator_id, period), {})
                and uid not in nothing.get((indicator_id, period), set())
            ],
        )
        for uid, name in units
    }
    return len(indicators), unsent


# -- one task, one indicator ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitState:
    name: str
    status: str  # a TaskStatus value, or "not_reported"


@dataclass(frozen=True)
class TaskStanding:
    """One task: "code content", its lead units by status, and when it is due."""

    label: str
    states: list[UnitState]
    due: date | None = None  # a task with one deadline
    timeframe: str | None = None  # as the plan words it ("Hằng quý", "Thường xuyên")


def task_states(
    db: Database, task_id: int, today: date | None = None, *, viewer: Actor
) -> TaskStanding:
    """One task's lead units by their current status (for "nhiệm vụ 2.1 ai chưa xong?");
    past a one-deadline task's deadline, a unit that has not finished it is "overdue"."""
    access.require(viewer, access.View.RANKING)
    with db.session() as session:
        task = session.get(Task, task_id)
        rows = session.execute(
            select(Unit.name, CurrentStatus.status, CurrentStatus.period_key)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(Assignment.task_id == task_id, Assignment.role == TaskUnitRole.LEAD)
            .order_by(Unit.name, CurrentStatus.period_key.desc())
        ).all()
    late = (
        task is not None
        and task.timeframe_kind == "due"
        and task.due_date is not None
        and today is not None
        and task.due_date < today
    )
    latest: dict[str, str] = {}
    for name, status, _key in rows:
        if name in latest:
            continue
        if late and status not in FINISHED:
            latest[name] = "overdue"
        else:
            latest[name] = status.value if status is not None else "not_reported"
    label = f"{task.code} {task.content}" if task else ""
    states = [UnitState(n, s) for n, s in latest.items()]
    if task is None:
        return TaskStanding(label, states)
    due = task.due_date if task.timeframe_kind == "due" else None
    return TaskStanding(label, states, due, task.timeframe_text)


def task_outline(db: Database, task_id: int, *, viewer: Actor) -> TaskStanding | None:
    """One task as the plan states it (its code, content and deadline), with no unit's
    status: what anyone may see of a task that is not their unit's."""
    access.require(viewer, access.View.AREA)
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None:
            return None
        due = task.due_date if task.timeframe_kind == "due" else None
        return TaskStanding(f"{task.code} {task.content}", [], due, task.timeframe_text)


@dataclass(frozen=True)
class UnitFigure:
    name: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    meets: bool


@dataclass
class IndicatorDetail:
    standing: IndicatorStanding
    figures: list[UnitFigure]  # those not meeting the target first, lowest first
    trend: list[tuple[Period, Decimal]]  # the area's value, oldest first, periods with figures
    nothing_arose: list[str] = field(default_factory=list)  # units with nothing in the period


def indicator_detail(
    db: Database,
    indicator_id: int,
    period: Period,
    count: int = TREND_PERIODS,
    *,
    viewer: Actor,
) -> IndicatorDetail | None:
    """Every unit's figure for the period against the target, the area's value, and the
    area's value over the last ``count`` periods of the same kind."""
    access.require(viewer, access.View.RANKING)
    periods = [period]
    for _ in range(count - 1):
        periods.insert(0, periods[0].previous())
    with db.session() as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            return None
        figures, nothing_in = period_figures(session, [indicator_id], periods, None)
        now = figures.get((indicator_id, period), {})
        nothing = nothing_in.get((indicator_id, period), set())
        names = dict(
            session.execute(select(Unit.id, Unit.name).where(Unit.id.in_([*now, *nothing]))).all()
        )
    rows = [
        UnitFigure(
            names[uid], f.value, f.numerator, f.denominator, meets_target(f.value, indicator)
        )
        for uid, f in now.items()
    ]
    rows.sort(key=lambda f: (f.meets, f.value, f.name))
    before = list(figures.get((indicator_id, periods[-2]), {}).values()) if count > 1 else []
    standing = _standing(indicator, list(now.values()), before)
    trend = []
    for each in periods:
        area = area_value(list(figures.get((indicator_id, each), {}).values()))
        if area is not None:
            trend.append((each, area))
    return IndicatorDetail(standing, rows, trend, sorted(names[uid] for uid in nothing))
