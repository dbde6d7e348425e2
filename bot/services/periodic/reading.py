"""The periodic report read from the database: :func:`report_data` fills a
:class:`~bot.services.periodic.model.PeriodicReport` for one reporting window, for the
whole area or one unit, in one transaction.

- **The window** is ``period.reporting_window(cutoff_day)`` (the national cut-off: the
  third quarter with cut-off 15 is 15/6..14/9), in local days; a fact is *sent in the
  window* when its ``created_at`` falls in them in the deployment's time zone.
- **The plan** is the plan of the period's year when one is imported, else the plan in
  use (:func:`storage.current_plan.plan_for_year`): the third quarter of 2025 drafted in
  January 2026 reads the 2025 plan. Tasks and indicators withdrawn from it are left out;
  the log keeps every fact about its tasks and indicators.
- **Standings** come from the current-status table (``current_status``: the key "-" for a
  task with one deadline; for a recurring or continuous task its latest period key
  inside the report's period; for a recurring task whose period is longer and holds the
  report's, a quarterly task in a monthly report, that period's key, the task due on its
  deadline, as the reminders have it), judged by :mod:`bot.services.periodic.standings`. A
  standing report sent after the window's end does not count: where the current status
  changed after it (rare: the report drafted late), the status as it stood at the end
  is read from the history of those assignments only. Retracted (undone or corrected)
  facts never count, wherever they fall. ``reported_at`` is when a finished task was
  done (the status's ``since``), else when the standing report was sent.
- **Figures** (for the period, and for each of its months when it is longer than a month)
  are :mod:`bot.services.progress`'s (:func:`~bot.services.progress.unit_figures`):
  a unit's figure for the period is its latest for exactly the period, else its figures
  for the periods inside it combined; the area's value is Σ numerators / Σ denominators,
  else the mean. A figure belongs to the period it was sent for, not to the day. A unit
  that said nothing arose in the period (``nothing_arose``, by name) has no figure.
- **Units**: ``units`` are every unit given a task of the plan (lead or cooperating);
  the units *expected to report* are those leading a task (as ``progress``'s silent
  units): ``silent`` lists those that sent no standing fact in the window, and an
  indicator's ``expected`` is how many they are. A unit's report has that unit alone.
- **Said**: the notes units sent with a status in the window (retracted ones left out),
  per unit and task, oldest first; ``behind`` lists the lead units overdue at the end,
  most days late first, with their notes. ``upcoming``: the tasks due in
  ``period.next()`` with their lead units.
- **The log**: every status and figure about the plan sent in the window, oldest first,
  with its sender (as far as the person asking may see names), the raw message, and
  ``undone`` when retracted since. Values are language-neutral: "done", "in_progress 50%",
  "85/100", "72.5", "not_arising".
- **Access** (:mod:`bot.services.access`): the whole area for those who may see units by
  name (the office, leaders, admins), any unit for those who may see its detail; an
  official gets their own unit (``unit_id`` None means theirs), another unit raises
  :class:`~bot.services.access.NotAllowed`.

Every query selects plain rows (Core), one per kind of fact, whatever the number of units.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, case, or_, select
from sqlalchemy.orm import Session

from bot.language.periods import Period, PeriodKind, local_midnight, period_of
from bot.services import access, progress
from bot.services.identity import Actor
from bot.services.periodic.model import (
    Behind,
    IndicatorReport,
    LogEntry,
    MonthFigures,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)
from bot.services.periodic.standings import Reported, as_of, standing
from bot.services.plans.moving import moves_in_force
from bot.services.reports.ledger import FINISHED, ONCE, PERIODIC_KINDS
from scheduling.policy import cadence_kind, period_deadline
from storage.current_plan import plan_for_year
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    Indicator,
    IndicatorValue,
    Official,
    Plan,
    StatusUpdate,
    Task,
    TaskStatus,
    TaskUnitRole,
    Unit,
)


def report_data(
    db: Database,
    period: Period,
    today: date,
    *,
    viewer: Actor,
    tz: ZoneInfo,
    cutoff_day: int,
    unit_id: int | None = None,
) -> PeriodicReport:
    """The report of ``period``'s reporting window as drafted on ``today`` (local), for
    the whole area (``unit_id`` None, for those who may see units by name) or one unit.

    Raises :class:`~bot.services.access.NotAllowed` when ``viewer`` may not see it and
    :class:`LookupError` for a unit that does not exist."""
    unit_id = _whose(viewer, unit_id)
    with _collector_paused():
        with db.session() as session:
            read = _read(session, period, today, viewer, tz, cutoff_day, unit_id)
        return _assemble(read)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the report is read and made.

    The whole country's quarter is some 500,000 new objects (rows, standings, log
    entries) and no reference cycle; the collector, triggered every few hundred new
    objects, walked them (and everything else the process holds) again and again: the
    report took 8 s with it running, 3.6 s without (``bench/periodic.py``). Reference
    counting still frees everything; the collector is restored as it was (another thread
    doing the same leaves it to whoever paused it first)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(
    session: Session,
    period: Period,
    today: date,
    viewer: Actor,
    tz: ZoneInfo,
    cutoff_day: int,
    unit_id: int | None,
) -> _Read:
    """Everything the report holds, read in one transaction."""
    window = period.reporting_window(cutoff_day)
    start, end = local_midnight(window[0], tz), local_midnight(window[1] + timedelta(days=1), tz)
    names: dict[int, str] = dict(session.execute(select(Unit.id, Unit.name)).all())
    if unit_id is not None and unit_id not in names:
        raise LookupError(f"no unit {unit_id}")
    plan_id = plan_for_year(session, period.start.year, today)
    plan = session.execute(
        select(Plan.title, Plan.issuer, Plan.year).where(Plan.id == plan_id)
    ).first()
    tasks = _tasks(session, plan_id, period, cutoff_day)
    cadences = frozenset(t.cadence_key for t in tasks.values() if t.cadence_key is not None)
    scope = _Scope(plan_id, period, unit_id, start, end, cadences)
    assignments, reported = _standing_reports(session, scope, tasks)
    indicators = list(
        session.scalars(
            select(Indicator)
            .where(Indicator.plan_id == plan_id, Indicator.withdrawn_at.is_(None))
            .order_by(Indicator.id)
        )
    )
    months = _months(period)
    ids = [i.id for i in indicators]
    figures, nothing = progress.period_figures(session, ids, [period, *months], unit_id)
    return _Read(
        period=period,
        window=window,
        today=today,
        tz=tz,
        viewer=viewer,
        unit_id=unit_id,
        names=names,
        plan=tuple(plan) if plan is not None else None,
        tasks=tasks,
        assignments=assignments,
        reported=reported,
        updates=_sent_updates(session, scope),
        figures_sent=_sent_figures(session, scope),
        indicators=indicators,
        figures={i.id: figures.get((i.id, period), {}) for i in indicators},
        nothing_arose={i.id: nothing.get((i.id, period), set()) for i in indicators},
        month_figures={
            (i.id, month): figures.get((i.id, month), {}) for i in indicators for month in months
        },
        months=months,
    )


def _whose(viewer: Actor, unit_id: int | None) -> int | None:
    """The unit of the report (None: the whole area), as ``viewer`` may see it."""
    if unit_id is None:
        if access.may_see(viewer, access.View.RANKING):
            return None
        unit_id = viewer.unit_id  # an official: their own unit
    access.require(viewer, access.View.UNIT, unit_id)
    return unit_id


# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    plan_id: int | None
    period: Period
    unit_id: int | None
    start: datetime  # the window's first instant
    end: datetime  # the first instant after the window
    # the keys of the recurring tasks' periods that hold the report's shorter one (a
    # quarterly task in a monthly report: its quarter's)
    cadences: frozenset[str] = frozenset()

    @property
    def keys(self):
        """The current-status rows that matter: a task with one deadline's, and a periodic
        task's for the periods inside the report's period, or holding it (keys are ISO
        dates)."""
        return or_(
            CurrentStatus.period_key == ONCE,
            and_(
                CurrentStatus.period_key >= self.period.start.isoformat(),
                CurrentStatus.period_key <= self.period.end.isoformat(),
            ),
            CurrentStatus.period_key.in_(sorted(self.cadences)),
        )

    @property
    def cadence_starts(self) -> list[date]:
        return sorted(date.fromisoformat(key) for key in self.cadences)

    def fits(self, key: str, task: _Task) -> bool:
        """Whether a current-status key is the kind the task keeps, for the report."""
        if not task.periodic:
            return key == ONCE
        if task.cadence_key is not None:
            return key == task.cadence_key
        return self.period.start.isoformat() <= key <= self.period.end.isoformat()


@dataclass(frozen=True)
class _Task:
    id: int
    code: str
    content: str
    section: str
    lead_text: str | None
    timeframe_text: str | None
    # the deadline of a task with one; of a recurring task whose period holds the
    # report's shorter one, that period's report's (None: continuous, on demand, …)
    due: date | None
    periodic: bool
    product: str | None
    position: int
    cadence_key: str | None = None  # that recurring task's period's key (its first day)
    moved: bool = False  # the office moved or set its deadline (from ``moved_from``)
    moved_from: date | None = None


class _Assignment(NamedTuple):
    id: int
    task_id: int
    unit_id: int
    lead: bool


def _tasks(
    session: Session, plan_id: int | None, period: Period, cutoff_day: int
) -> dict[int, _Task]:
    """The plan's tasks. A recurring task whose period is longer than the report's and
    holds it (a quarterly report in a monthly report) is read for that period, due on its
    deadline (the last day of its reporting window, as the reminders have it)."""
    rows = session.execute(
        select(
            Task.id,
            Task.code,
            Task.content,
            Task.section,
            Task.lead_text,
            Task.timeframe_text,
            Task.timeframe_kind,
            Task.recurrence,
            Task.due_date,
            Task.product,
            Task.position,
        )
        .where(Task.plan_id == plan_id, Task.withdrawn_at.is_(None))
        .order_by(Task.position, Task.id)
    ).all()
    moves = moves_in_force(session, rows)
    tasks: dict[int, _Task] = {}
    for row in rows:
        move = moves.get(row.id)
        due, key = (row.due_date if row.timeframe_kind == "due" else None), None
        if row.timeframe_kind == "recurring":
            holding = period_of(cadence_kind(row.recurrence), period.start)
            if holding != period and holding.end >= period.end:
                due, key = period_deadline(holding, cutoff_day), holding.start.isoformat()
        tasks[row.id] = _Task(
            row.id,
            row.code,
            row.content,
            row.section or "",
            row.lead_text,
            row.timeframe_text,
            due,
            row.timeframe_kind in PERIODIC_KINDS,
            row.product,
            row.position,
            key,
            move is not None,
            move.extended_from if move is not None else None,
        )
    return tasks


def _standing_reports(
    session: Session, scope: _Scope, tasks: dict[int, _Task]
) -> tuple[list[_Assignment], dict[int, Reported]]:
    """The plan's assignments (of the unit, for a unit's report) and the standing report of
    each that has one, as it stood at the window's end.

    One row per assignment and current-status key, with one time each (when a finished
    task was done, else when the standing report was sent) and whether the status was set
    after the window's end, both worked out in SQL: converting three timestamps a row
    took a second for the whole country."""
    finished = and_(CurrentStatus.status.in_(FINISHED), CurrentStatus.since.is_not(None))
    query = (
        select(
            Assignment.id,
            Assignment.task_id,
            Assignment.unit_id,
            Assignment.role == TaskUnitRole.LEAD,
            CurrentStatus.period_key,
            CurrentStatus.status,
            CurrentStatus.percent,
            finished,
            case((finished, CurrentStatus.since), else_=StatusUpdate.created_at),
            CurrentStatus.updated_at >= scope.end,
        )
        .join(Task, Task.id == Assignment.task_id)
        .outerjoin(CurrentStatus, and_(CurrentStatus.assignment_id == Assignment.id, scope.keys))
        .outerjoin(StatusUpdate, StatusUpdate.id == CurrentStatus.status_update_id)
        .where(Task.plan_id == scope.plan_id, Task.withdrawn_at.is_(None))
        .order_by(Assignment.id)
    )
    if scope.unit_id is not None:
        query = query.where(Assignment.unit_id == scope.unit_id)
    assignments: dict[int, _Assignment] = {}
    # assignment → (its period key, the report); a periodic task's latest key wins
    found: dict[int, tuple[str, Reported]] = {}
    stale: set[int] = set()  # a current status set after the window's end
    for (
        aid,
        task_id,
        uid,
        lead,
        key,
        status,
        percent,
        done,
        at,
        late,
    ) in session.connection().execute(query).all():
        if aid not in assignments:
            assignments[aid] = _Assignment(aid, task_id, uid, bool(lead))
        if key is None or not scope.fits(key, tasks[task_id]):
            continue
        if late:
            stale.add(aid)
            continue
        held = found.get(aid)
        if held is None or key > held[0]:
            found[aid] = (key, Reported(status, percent, at if done else None, at))
    reported = {aid: report for aid, (_key, report) in found.items() if aid not in stale}
    if stale:
        reported.update(_as_it_stood(session, scope, tasks, assignments, stale))
    return list(assignments.values()), reported


def _as_it_stood(
    session: Session,
    scope: _Scope,
    tasks: dict[int, _Task],
    assignments: dict[int, _Assignment],
    stale: set[int],
) -> dict[int, Reported]:
    """The standing report at the window's end of the assignments whose current status
    was set after it, from their history (retracted reports never count)."""
    changed = (
        select(CurrentStatus.assignment_id)
        .join(Assignment, Assignment.id == CurrentStatus.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id == scope.plan_id, CurrentStatus.updated_at >= scope.end, scope.keys)
    )
    if scope.unit_id is not None:
        changed = changed.where(Assignment.unit_id == scope.unit_id)
    rows = session.connection().execute(
        select(
            StatusUpdate.assignment_id,
            StatusUpdate.period_start,
            StatusUpdate.status,
            StatusUpdate.percent,
            StatusUpdate.created_at,
            StatusUpdate.done_at,
        )
        .where(
            StatusUpdate.assignment_id.in_(changed),
            StatusUpdate.retracted_at.is_(None),
            StatusUpdate.created_at < scope.end,
            or_(
                StatusUpdate.period_start.is_(None),
                and_(
                    StatusUpdate.period_start >= scope.period.start,
                    StatusUpdate.period_start <= scope.period.end,
                ),
                StatusUpdate.period_start.in_(scope.cadence_starts),
            ),
        )
        .order_by(StatusUpdate.id)
    )
    # assignment → period start → its reports, oldest first
    history: dict[
        int, dict[date | None, list[tuple[TaskStatus, int | None, datetime, datetime]]]
    ] = defaultdict(lambda: defaultdict(list))
    for aid, period_start, status, percent, at, done_at in rows:
        if aid in stale:
            history[aid][period_start].append((status, percent, at, done_at or at))
    reported: dict[int, Reported] = {}
    for aid, by_period in history.items():
        task = tasks[assignments[aid].task_id]
        starts = [s for s in by_period if scope.fits(s.isoformat() if s else ONCE, task)]
        if not starts:
            continue
        reports = by_period[max(starts) if task.periodic else None]
        status, percent, at, done = reports[-1]
        if status not in FINISHED:
            reported[aid] = Reported(status, percent, None, at)
            continue
        # the first of the finished reports since the last one saying otherwise, on the
        # day it says the work was done ("hoàn thành ngày 28/11") if it says one
        since = done
        for earlier, _percent, _at, when in reversed(reports):
            if earlier not in FINISHED:
                break
            since = min(since, when)
        reported[aid] = Reported(status, percent, since, since)
    return reported


def _sent_updates(session: Session, scope: _Scope) -> list[Row]:
    """The statuses sent in the window, oldest first."""
    query = (
        select(
            StatusUpdate.created_at.label("at"),
            StatusUpdate.id,
            Assignment.unit_id,
            Assignment.task_id,
            Task.code,
            StatusUpdate.status,
            StatusUpdate.percent,
            StatusUpdate.note,
            StatusUpdate.retracted_at.is_not(None).label("undone"),
            StatusUpdate.reported_by_id.label("official_id"),
            Official.full_name.label("person"),
            InboundMessage.text.label("message"),
            StatusUpdate.inbound_message_id.label("inbound_id"),
        )
        .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .outerjoin(Official, Official.id == StatusUpdate.reported_by_id)
        .outerjoin(InboundMessage, InboundMessage.id == StatusUpdate.inbound_message_id)
        .where(
            Task.plan_id == scope.plan_id,
            StatusUpdate.created_at >= scope.start,
            StatusUpdate.created_at < scope.end,
        )
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    )
    if scope.unit_id is not None:
        query = query.where(Assignment.unit_id == scope.unit_id)
    return session.connection().execute(query).all()


def _sent_figures(session: Session, scope: _Scope) -> list[Row]:
    """The figures sent in the window, oldest first."""
    query = (
        select(
            IndicatorValue.created_at.label("at"),
            IndicatorValue.id,
            IndicatorValue.unit_id,
            Indicator.code,
            Indicator.name,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.retracted_at.is_not(None).label("undone"),
            IndicatorValue.reported_by_id.label("official_id"),
            Official.full_name.label("person"),
            InboundMessage.text.label("message"),
            IndicatorValue.inbound_message_id.label("inbound_id"),
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .outerjoin(Official, Official.id == IndicatorValue.reported_by_id)
        .outerjoin(InboundMessage, InboundMessage.id == IndicatorValue.inbound_message_id)
        .where(
            Indicator.plan_id == scope.plan_id,
            IndicatorValue.created_at >= scope.start,
            IndicatorValue.created_at < scope.end,
        )
        .order_by(IndicatorValue.created_at, IndicatorValue.id)
    )
    if scope.unit_id is not None:
        query = query.where(IndicatorValue.unit_id == scope.unit_id)
    return session.connection().execute(query).all()


# -- assembling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """Everything read in the transaction."""

    period: Period
    window: tuple[date, date]
    today: date
    tz: ZoneInfo
    viewer: Actor
    unit_id: int | None
    names: dict[int, str]
    plan: tuple[str, str | None, int | None] | None
    tasks: dict[int, _Task]
    assignments: list[_Assignment]
    reported: dict[int, Reported]
    updates: list[Row]  # statuses sent in the window (``_sent_updates``)
    figures_sent: list[Row]  # figures sent in the window (``_sent_figures``)
    indicators: list[Indicator]
    figures: dict[int, dict[int, progress.Figure]]
    nothing_arose: dict[int, set[int]]  # indicator → units that said nothing arose
    # A longer period's months, and each indicator's figures for each of them.
    month_figures: dict[tuple[int, Period], dict[int, progress.Figure]]
    months: list[Period]


def _assemble(read: _Read) -> PeriodicReport:
    tz, names = read.tz, read.names
    on = as_of(read.window[1], read.today)
    said: dict[tuple[int, int], list[Said]] = defaultdict(list)
    for at, _id, uid, task_id, _code, _status, _percent, note, undone, *_sender in read.updates:
        if not undone and note and note.strip():
            said[uid, task_id].append(Said(names[uid], at.astimezone(tz), note.strip()))

    by_task: dict[int, list[UnitStanding]] = defaultdict(list)
    behind: list[tuple[int, Behind]] = []
    tasks, reports = read.tasks, read.reported
    for aid, task_id, uid, lead in read.assignments:
        task = tasks[task_id]
        reported = reports.get(aid)
        where, days_late = standing(reported, task.due, on, tz)
        notes = tuple(said[uid, task_id]) if (uid, task_id) in said else ()
        name = names[uid]
        by_task[task_id].append(
            UnitStanding(
                uid,
                name,
                lead,
                where,
                None if reported is None else reported.percent,
                None if reported is None else reported.at.astimezone(tz),
                days_late,
                notes,
            )
        )
        if lead and where is Standing.OVERDUE and task.due is not None:
            behind.append(
                (
                    task.position,
                    Behind(uid, name, task.code, task.content, task.due, days_late or 0, notes),
                )
            )
    behind.sort(key=lambda item: (-item[1].days_late, item[1].unit, item[0]))

    sections: dict[str, list[TaskReport]] = {}
    for task in read.tasks.values():
        units = by_task.get(task.id, [])
        if read.unit_id is not None and not units:
            continue  # a unit's report: its own tasks only
        units.sort(key=lambda u: (not u.lead, u.unit, u.unit_id))
        sections.setdefault(task.section, []).append(
            TaskReport(
                task.code,
                task.content,
                task.lead_text,
                task.timeframe_text,
                task.due,
                task.product,
                tuple(units),
                task.moved,
                task.moved_from,
            )
        )

    leads = {a.unit_id for a in read.assignments if a.lead}
    if read.unit_id is not None:
        every, expected = {read.unit_id}, {read.unit_id}
    else:
        every, expected = {a.unit_id for a in read.assignments}, leads
    reporting = {row[2] for row in read.updates if not row[8]}  # unit, undone
    reporting |= {row[2] for row in read.figures_sent if not row[8]}

    title, issuer, year = read.plan if read.plan is not None else ("", None, None)
    return PeriodicReport(
        period=read.period,
        window=read.window,
        made_on=read.today,
        plan_title=title,
        plan_issuer=issuer,
        plan_year=year,
        unit=names[read.unit_id] if read.unit_id is not None else None,
        sections=tuple(Section(title, tuple(tasks)) for title, tasks in sections.items()),
        indicators=_indicator_reports(read, len(expected)),
        behind=tuple(b for _position, b in behind),
        next_period=read.period.next(),
        upcoming=_upcoming(read),
        log=_log(read),
        silent=_sorted_names(names, expected - reporting),
        units=_sorted_names(names, every),
    )


def _sorted_names(names: dict[int, str], unit_ids: set[int]) -> tuple[str, ...]:
    return tuple(sorted(names[u] for u in unit_ids))


def _months(period: Period) -> list[Period]:
    """The months of a period longer than a month (none for a month)."""
    if period.kind is PeriodKind.MONTH:
        return []
    months, month = [], Period.month(period.start.year, period.start.month)
    while month.start <= period.end:
        months.append(month)
        month = month.next()
    return months


def _unit_figures(
    read: _Read, indicator: Indicator, figures: dict[int, progress.Figure]
) -> tuple[UnitFigure, ...]:
    has_target = indicator.target is not None
    return tuple(
        sorted(
            (
                UnitFigure(
                    uid,
                    read.names[uid],
                    figure.value,
                    figure.numerator,
                    figure.denominator,
                    progress.meets_target(figure.value, indicator) if has_target else None,
                    _local(figure.sent_at, read.tz),
                )
                for uid, figure in figures.items()
            ),
            key=lambda f: (f.unit, f.unit_id),
        )
    )


def _area(figures: dict[int, progress.Figure]) -> tuple[Decimal | None, ...]:
    """The area's value, Σ numerators and Σ denominators (when every unit gave both)."""
    values = list(figures.values())
    ratio = bool(values) and all(f.numerator is not None and f.denominator for f in values)
    return (
        progress.area_value(values),
        sum((f.numerator for f in values), Decimal(0)) if ratio else None,
        sum((f.denominator for f in values), Decimal(0)) if ratio else None,
    )


def _indicator_reports(read: _Read, expected: int) -> tuple[IndicatorReport, ...]:
    reports = []
    for indicator in read.indicators:
        figures = read.figures.get(indicator.id, {})
        value, numerator, denominator = _area(figures)
        months = []
        for month in read.months:
            of_month = read.month_figures.get((indicator.id, month), {})
            months.append(
                MonthFigures(month, *_area(of_month), _unit_figures(read, indicator, of_month))
            )
        reports.append(
            IndicatorReport(
                indicator.code,
                indicator.name,
                indicator.measure,
                indicator.comparator,
                indicator.target,
                value,
                numerator,
                denominator,
                progress.meets_target(value, indicator)
                if value is not None and indicator.target is not None
                else None,
                _unit_figures(read, indicator, figures),
                expected,
                tuple(months),
                _sorted_names(read.names, read.nothing_arose[indicator.id]),
            )
        )
    return tuple(reports)


def _local(at: datetime | None, tz: ZoneInfo) -> datetime:
    if at is None:  # every stored figure has its time; kept total for the type
        raise ValueError("a figure without the time it was sent")
    return at.astimezone(tz)


def _upcoming(read: _Read) -> tuple[Upcoming, ...]:
    """The tasks due in the next period with their lead units (a unit's report: the tasks
    it leads)."""
    following = read.period.next()
    leads: dict[int, list[str]] = defaultdict(list)
    for assignment in read.assignments:
        if assignment.lead:
            leads[assignment.task_id].append(read.names[assignment.unit_id])
    found = []
    for task in read.tasks.values():
        if task.due is None or not following.contains(task.due):
            continue
        if read.unit_id is not None and task.id not in leads:
            continue
        found.append(
            (
                task.due,
                task.position,
                Upcoming(task.code, task.content, task.due, tuple(sorted(leads.get(task.id, ())))),
            )
        )
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in found)


def _log(read: _Read) -> tuple[LogEntry, ...]:
    """Every status and figure sent in the window, oldest first (rows unpacked as tuples:
    a quarter of the whole country is 150,000 of them)."""
    tz, names = read.tz, read.names
    seen: dict[int | None, bool] = {}

    def person(official_id: int | None, name: str | None) -> str | None:
        if official_id not in seen:
            seen[official_id] = access.may_see(
                read.viewer, access.View.NAMES, official_id=official_id
            )
        return name if seen[official_id] else None

    entries: list[tuple[datetime, int, int, LogEntry]] = []
    add = entries.append
    for (
        at,
        row_id,
        uid,
        _task,
        code,
        status,
        percent,
        _note,
        undone,
        sender,
        name,
        text,
        inbound_id,
    ) in read.updates:
        entry = LogEntry(
            at.astimezone(tz),
            names[uid],
            person(sender, name),
            code,
            text,
            undone,
            status=status.value,
            percent=percent,
            inbound_id=inbound_id,
        )
        add((at, 0, row_id, entry))
    for (
        at,
        row_id,
        uid,
        code,
        title,
        number,
        num,
        den,
        undone,
        sender,
        name,
        text,
        inbound_id,
    ) in read.figures_sent:
        entry = LogEntry(
            at.astimezone(tz),
            names[uid],
            person(sender, name),
            f"{code} {title}",
            text,
            undone,
            figure=number,
            numerator=num,
            denominator=den,
            inbound_id=inbound_id,
        )
        add((at, 1, row_id, entry))
    entries.sort(key=lambda item: (item[0], item[1], item[2]))  # two sorted runs: merged
    return tuple(item[3] for item in entries)
