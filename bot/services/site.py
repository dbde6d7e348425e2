"""The read models of the office's web pages beyond the overview and the units: one task,
one indicator, the report log (with the disagreements still open), the plan as imported,
and the periods the periodic report can be exported for.

Each function is one unit of work (one transaction) returning frozen dataclasses; the
web layer renders them and knows no SQL. What a person gets follows
:mod:`bot.services.access` (``docs/access.md``), decided here and not in the templates:

- **One task** (:func:`task_page`): everyone with a role sees the task as the plan
  states it and the area's totals by state; the units by name are for those who may see
  the ranking, an official gets their own unit's line only (the query selects only it).
- **One indicator** (:func:`indicator_page`): the area's value, how many units reported
  and meet the target, and the trend are the area's (everyone); the units' figures are
  for those who may see the ranking, an official gets their own unit's figure only.
- **The report log** (:func:`report_log`): every status and figure as stored, newest
  first, withdrawn ones (undone or corrected) kept and flagged; an official gets their
  own unit's reports only (the query is scoped; asking for another unit or another
  person raises :class:`~bot.services.access.NotAllowed`), and names as the ``NAMES``
  row allows (their own; "the office" or "an official of the unit" for others).
- **Evidence** (:func:`evidence`): the Telegram file id of the photo or file sent with a
  task report, for those who may see that unit's detail (``UNIT``).
- **The plan** (:func:`plan_page`) and **the export periods** (:func:`export_choices`):
  the plan is the area's (everyone; a deadline the office moved or set says so, on the
  task's page too); the periodic report is the area's for those who may
  see the ranking, an official's own unit's for an official. The Word and Excel files
  themselves are made where ``/xuat`` makes them (:func:`bot.areas.periodic.documents`:
  the documents are views, above this layer).

The states of one task's units follow :mod:`bot.services.progress`: a unit's standing
status is its current status (``current_status``; a periodic task's latest period);
**done** when it is done or not applicable (``late`` when that began after the
deadline, local time), **overdue** when a one-deadline task is past its deadline and
not done, **in progress** when some other status stands, **not reported** otherwise.

Size: every function runs a fixed number of queries whatever the number of units
(counted by ``tests/db/test_site.py``): the task page 4 (whether the office moved its
deadline is one), the indicator page 3, the log 3 (and up to 6 more when disagreements are
open), the log's filter choices 2 (:func:`log_choices`), the plan 6 (the same), the export
periods 2. The units' rows are grouped and counted in the database where only totals are
shown; times for the whole country in ``docs/benchmarks.md`` (``bench/site.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session

from bot.language.periods import Period, PeriodKind, local_midnight, period_of, reporting_period
from bot.language.report_requests import REPORT_KINDS, closed_period
from bot.services import access, progress
from bot.services.identity import Actor
from bot.services.plans.moving import MovedDeadline, moves_in_force
from bot.services.reports import conflicts as conflict_rules
from storage import current_plan
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    Indicator,
    IndicatorValue,
    Official,
    Plan,
    ReportConflict,
    Role,
    StatusUpdate,
    Task,
    TaskUnitRole,
    Unit,
)

GROUPS = ("done", "in_progress", "overdue", "not_reported")
LOG_PAGE = 50  # reports per page of the log
MAX_LOG_PAGE = 500
_MANAGERS = (Role.OFFICE, Role.ADMIN)


def _local(at: datetime | None, tz: ZoneInfo) -> datetime | None:
    return at.astimezone(tz) if at is not None else None


def _frozen(mapping: dict[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


# -- one task --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskInfo:
    """A task as the plan states it."""

    id: int
    plan_id: int
    code: str
    section: str | None
    content: str
    lead_text: str | None  # the lead units as the plan writes them
    cooperate_text: str | None
    timeframe_text: str | None
    timeframe_kind: str | None  # "due", "recurring", "continuous", … (bot.language)
    due_date: date | None
    start_date: date | None
    recurrence: str | None
    product: str | None
    withdrawn: bool  # a corrected plan no longer has it
    # the office moved its deadline (from the plan's, ``moved_from``) or set one on a task
    # the plan gave none (``moved_from`` None): :func:`bot.services.plans.moves_in_force`
    moved: bool = False
    moved_from: date | None = None


@dataclass(frozen=True)
class TaskUnit:
    """One unit's line on a task."""

    unit_id: int
    name: str
    lead: bool  # a lead unit (else cooperating)
    group: str  # one of :data:`GROUPS`
    status: str | None  # the standing status as reported (a TaskStatus value)
    percent: int | None
    late: bool  # done after the deadline
    period_start: date | None  # a periodic task: the period the status is for
    last_report: datetime | None  # local time of its latest report on the task not withdrawn


@dataclass(frozen=True)
class TaskPage:
    task: TaskInfo
    today: date
    totals: Mapping[str, int]  # the area's lead units by group (:data:`GROUPS`)
    late: int  # … of the done ones, done after the deadline
    units: tuple[TaskUnit, ...]  # lead units first, then by group and name
    named: bool  # ``units`` holds every unit (else only the person's own unit's)
    cooperating: Mapping[str, int]  # the area's cooperating units by group

    def group(self, name: str) -> tuple[TaskUnit, ...]:
        return tuple(u for u in self.units if u.group == name)


def task_page(db: Database, task_id: int, today: date, *, viewer: Actor, tz: ZoneInfo) -> TaskPage:
    """One task of an imported plan: the plan's words, the area's lead units by state,
    and the units' lines as far as ``viewer`` may see them (an official: their own unit).
    Raises LookupError for a task that is not in an imported plan."""
    access.require(viewer, access.View.AREA)
    named = access.may_see(viewer, access.View.RANKING)
    with db.session() as session:
        task = session.scalar(
            select(Task)
            .join(Plan, Plan.id == Task.plan_id)
            .where(Task.id == task_id, Plan.draft.is_(False), Plan.active.is_(True))
        )
        if task is None:
            raise LookupError(f"no task {task_id}")
        info = TaskInfo(
            task.id,
            task.plan_id,
            task.code,
            task.section,
            task.content,
            task.lead_text,
            task.cooperate_text,
            task.timeframe_text,
            task.timeframe_kind,
            task.due_date,
            task.start_date,
            task.recurrence,
            task.product,
            task.withdrawn_at is not None,
            *_moved(moves_in_force(session, [task]).get(task.id)),
        )
        one_deadline = task.timeframe_kind == "due" and task.due_date is not None
        rows = _task_rows(session, task_id, info, today, tz, one_deadline)
        counted = rows.subquery()
        totals = {role: dict.fromkeys(GROUPS, 0) for role in TaskUnitRole}
        late = 0
        for role, state, count in session.execute(
            select(counted.c.role, counted.c.state, func.count()).group_by(
                counted.c.role, counted.c.state
            )
        ):
            totals[role]["done" if state == "late" else state] += count
            late += count if state == "late" and role is TaskUnitRole.LEAD else 0
        lines = rows.order_by(Assignment.role, Unit.name)
        if not named:
            lines = lines.where(Assignment.unit_id == (viewer.unit_id or -1))
        units = [
            TaskUnit(
                uid,
                name,
                role is TaskUnitRole.LEAD,
                "done" if state == "late" else state,
                status.value if status is not None else None,
                percent,
                state == "late",
                date.fromisoformat(key) if key and key != "-" else None,
                _local(last, tz),
            )
            for uid, name, role, state, status, percent, key, last in session.execute(lines)
        ]
    order = {g: i for i, g in enumerate(GROUPS)}
    units.sort(key=lambda u: (not u.lead, order[u.group], u.name))
    return TaskPage(
        info,
        today,
        _frozen(totals[TaskUnitRole.LEAD]),
        late,
        tuple(units),
        named,
        _frozen(totals[TaskUnitRole.COOPERATE]),
    )


def _task_rows(
    session: Session, task_id: int, task: TaskInfo, today: date, tz: ZoneInfo, one_deadline: bool
):
    """The task's assignments with each one's state (a CASE in the database), standing
    status and latest report (a query to narrow)."""
    # Correlated lookups, one index probe an assignment (``current_status``'s key and
    # ``status_updates.assignment_id``), rather than grouping the task's whole history.
    latest_key = (
        select(func.max(CurrentStatus.period_key))
        .where(CurrentStatus.assignment_id == Assignment.id)
        .correlate(Assignment)
        .scalar_subquery()
    )
    last_report = (
        select(func.max(StatusUpdate.created_at))
        .where(StatusUpdate.assignment_id == Assignment.id, StatusUpdate.retracted_at.is_(None))
        .correlate(Assignment)
        .scalar_subquery()
    )
    finished = and_(CurrentStatus.status.is_not(None), CurrentStatus.status.in_(progress.FINISHED))
    whens: list[tuple[Any, str]] = []
    if one_deadline and task.due_date is not None:
        bound = local_midnight(task.due_date + timedelta(days=1), tz).astimezone(UTC)
        whens.append((and_(finished, CurrentStatus.since >= bound), "late"))
    whens.append((finished, "done"))
    if one_deadline and task.due_date is not None and task.due_date < today:
        whens.append((true(), "overdue"))
    whens.append((CurrentStatus.status.is_not(None), "in_progress"))
    state = case(*whens, else_=literal("not_reported")).label("state")
    return (
        select(
            Assignment.unit_id,
            Unit.name,
            Assignment.role,
            state,
            CurrentStatus.status,
            CurrentStatus.percent,
            CurrentStatus.period_key,
            last_report.label("last_report"),
        )
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(
            CurrentStatus,
            and_(
                CurrentStatus.assignment_id == Assignment.id,
                CurrentStatus.period_key == latest_key,
            ),
        )
        .where(Assignment.task_id == task_id)
    )


# -- one indicator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    plan_id: int
    code: str
    name: str
    measure: str
    comparator: str  # ">=", "<=", "=" as stored
    target: Decimal | None
    aliases: tuple[str, ...]
    units_text: str | None  # the units the plan names for it, as written
    task_code: str | None  # a target stated in a task's text: that task


@dataclass(frozen=True)
class UnitFigure:
    unit_id: int
    name: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    meets: bool  # True when the indicator has no target
    sent_at: datetime | None  # local time (combined from months: the latest)


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    area: Decimal | None  # None: no unit sent a figure for it
    reported: int
    meeting: int


@dataclass(frozen=True)
class IndicatorPage:
    indicator: IndicatorInfo
    period: Period
    area: Decimal | None  # Σ numerators / Σ denominators, else the mean (progress)
    area_meets: bool | None  # None without figures
    reported: int  # units with a figure for the period
    meeting: int  # … of which meet the target
    units: tuple[UnitFigure, ...]  # those short of the target first, lowest first
    # The periods of ``period``'s kind in the plan's year begun by today, and ``period``.
    trend: tuple[TrendPoint, ...]
    named: bool  # ``units`` holds every unit (else only the person's own unit's)


def indicator_page(
    db: Database,
    indicator_id: int,
    today: date,
    period: Period | None = None,
    *,
    viewer: Actor,
    tz: ZoneInfo,
    cutoff_day: int,
) -> IndicatorPage:
    """One indicator of an imported plan for ``period`` (by default the month whose
    reporting window holds today, or the month before while nothing is in for it, as the
    standing now reads): the area's value against the target, the units' figures as far
    as ``viewer`` may see them, and the area's value over the periods of the same kind in
    the plan's year that have begun (and ``period``). Raises LookupError for an unknown
    indicator."""
    access.require(viewer, access.View.AREA)
    named = access.may_see(viewer, access.View.RANKING)
    with db.session() as session:
        found = session.execute(
            select(Indicator, Plan.year)
            .join(Plan, Plan.id == Indicator.plan_id)
            .where(Indicator.id == indicator_id, Plan.draft.is_(False), Plan.active.is_(True))
        ).first()
        if found is None:
            raise LookupError(f"no indicator {indicator_id}")
        indicator, plan_year = found
        info = IndicatorInfo(
            indicator.id,
            indicator.plan_id,
            indicator.code,
            indicator.name,
            indicator.measure,
            indicator.comparator,
            indicator.target,
            tuple(indicator.aliases or ()),
            indicator.units_text,
            indicator.task_code,
        )
        default = period is None
        if period is None:
            period = reporting_period(today, PeriodKind.MONTH, cutoff_day)
        trend = _trend_periods(period, plan_year or period.start.year, today)
        wanted = sorted({*trend, period, period.previous()})
        figures = progress.unit_figures(session, [indicator_id], wanted, None)
        before = period.previous()
        if (
            default
            and not figures.get((indicator_id, period))
            and figures.get((indicator_id, before))
        ):
            period = before
        if period not in trend:
            trend = sorted([*trend, period], key=lambda p: p.start)
        now = figures.get((indicator_id, period), {})
        shown = now if named else {u: f for u, f in now.items() if u == viewer.unit_id}
        names = (
            dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(shown)))).all())
            if shown
            else {}
        )
    units = sorted(
        (
            UnitFigure(
                uid,
                names.get(uid, "?"),
                f.value,
                f.numerator,
                f.denominator,
                progress.meets_target(f.value, indicator),
                _local(f.sent_at, tz),
            )
            for uid, f in shown.items()
        ),
        key=lambda u: (u.meets, u.value, u.name),
    )
    area = progress.area_value(list(now.values()))
    points = []
    for each in trend:
        sent = list(figures.get((indicator_id, each), {}).values())
        points.append(
            TrendPoint(
                each,
                progress.area_value(sent),
                len(sent),
                sum(1 for f in sent if progress.meets_target(f.value, indicator)),
            )
        )
    return IndicatorPage(
        info,
        period,
        area,
        progress.meets_target(area, indicator) if area is not None else None,
        len(now),
        sum(1 for f in now.values() if progress.meets_target(f.value, indicator)),
        tuple(units),
        tuple(points),
        named,
    )


def _trend_periods(period: Period, year: int, today: date) -> list[Period]:
    """The periods of ``period``'s kind (months for a day or a week) in ``year`` that have
    begun by today, oldest first."""
    kind = period.kind if period.kind not in (PeriodKind.DAY, PeriodKind.WEEK) else None
    each = period_of(kind or PeriodKind.MONTH, date(year, 1, 1))
    found = []
    while each.start.year == year and each.start <= today:
        found.append(each)
        following = each.next()
        if following.start <= each.start:  # nine months: one a year
            break
        each = following
    return found


# -- the report log --------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilter:
    """What the log is narrowed to; ``since`` and ``until`` are local days, inclusive."""

    unit_id: int | None = None
    task_id: int | None = None  # statuses about this task only
    indicator_id: int | None = None  # figures of this indicator only
    official_id: int | None = None  # sent by this person
    since: date | None = None
    until: date | None = None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STATUS, _FIGURE = 1, 0  # the order of a status and a figure sent at the same instant


@dataclass(frozen=True, order=True)
class Cursor:
    """Where a page of the log ends (keyset pagination): the next page holds the reports
    before it, newest first. ``token`` is its form in a URL."""

    at: datetime
    kind: int
    id: int

    @property
    def token(self) -> str:
        micros = (self.at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.kind}.{self.id}"

    @classmethod
    def parse(cls, token: str | None) -> Cursor | None:
        """The cursor of a ``token``; None for nothing or anything else."""
        try:
            micros, kind, ident = (int(part) for part in (token or "").split("."))
        except ValueError:
            return None
        if kind not in (_STATUS, _FIGURE) or ident < 0:
            return None
        try:
            at = _EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            return None
        return cls(at, kind, ident)


@dataclass(frozen=True)
class LogEntry:
    """One report as stored: a task's status or an indicator's figure."""

    kind: str  # "status" or "figure"
    id: int  # the status update's or the figure's id
    at: datetime  # local time
    unit_id: int
    unit: str
    subject: str  # "2.1 Xây dựng kế hoạch…" or the indicator's name
    who: str | None  # the sender's name when the person asking may see it
    by_office: bool  # sent by the office or an admin for the unit
    own: bool  # sent by the person asking
    text: str | None  # the original message
    withdrawn: bool  # undone or replaced by a correction: shown struck out
    withdrawn_at: datetime | None  # local time
    period_start: date | None  # a figure's period; a periodic task's
    disputed: bool = False  # in a disagreement still open
    # a task's status
    task_id: int | None = None
    status: str | None = None  # a TaskStatus value
    percent: int | None = None
    note: str | None = None
    evidence_file_id: str | None = None  # a photo or file sent with it (Telegram file id)
    done_on: date | None = None  # the day written as when it was done ("xong ngày 28/11")
    # an indicator's figure
    indicator_id: int | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    measure: str | None = None
    period_end: date | None = None

    @property
    def cursor(self) -> Cursor:
        return Cursor(
            self.at.astimezone(UTC), _STATUS if self.kind == "status" else _FIGURE, self.id
        )


@dataclass(frozen=True)
class Side:
    """One of two reports that disagree."""

    kind: str  # "status" or "figure"
    id: int
    at: datetime  # local time
    who: str | None
    by_office: bool
    status: str | None
    percent: int | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    withdrawn: bool


@dataclass(frozen=True)
class Disagreement:
    """Two reporters of one unit who disagree about one item, not settled yet."""

    id: int
    unit_id: int
    unit: str
    subject: str
    measure: str | None
    period_start: date | None
    opened_at: datetime  # local time
    earlier: Side
    later: Side


@dataclass(frozen=True)
class LogPage:
    entries: tuple[LogEntry, ...]  # newest first
    next: Cursor | None  # where the next page starts; None on the last page
    filters: LogFilter
    conflicts: tuple[Disagreement, ...]  # open, oldest first, within the person's reach
    unit_id: int | None  # the unit the log is limited to (an official: their own)


def report_log(
    db: Database,
    *,
    viewer: Actor,
    tz: ZoneInfo,
    filters: LogFilter = LogFilter(),
    after: Cursor | None = None,
    limit: int = LOG_PAGE,
) -> LogPage:
    """The reports (statuses and figures) newest first, ``limit`` a page, after the
    cursor ``after``, narrowed by ``filters``; and the open disagreements. An official
    gets their own unit's only, and may narrow to no other unit or person
    (:class:`~bot.services.access.NotAllowed`)."""
    limit = max(1, min(limit, MAX_LOG_PAGE))
    unit_id = _log_unit(viewer, filters)
    if filters.official_id is not None and not access.may_see(
        viewer, access.View.NAMES, official_id=filters.official_id
    ):
        raise access.NotAllowed(access.View.NAMES, unit_id)
    with db.session() as session:
        rows: list[LogEntry] = []
        if filters.indicator_id is None:
            rows += _status_entries(session, viewer, tz, filters, unit_id, after, limit + 1)
        if filters.task_id is None:
            rows += _figure_entries(session, viewer, tz, filters, unit_id, after, limit + 1)
        found = _disagreements(session, viewer, tz, unit_id)
    rows.sort(key=lambda e: e.cursor, reverse=True)
    page, more = rows[:limit], len(rows) > limit
    disputed = {(side.kind, side.id) for c in found for side in (c.earlier, c.later)}
    if disputed:
        page = [replace(e, disputed=True) if (e.kind, e.id) in disputed else e for e in page]
    return LogPage(tuple(page), page[-1].cursor if more else None, filters, tuple(found), unit_id)


def _log_unit(viewer: Actor, filters: LogFilter) -> int | None:
    """The unit the log is limited to: the one asked for, if ``viewer`` may see it; for
    someone who may not see every unit's reports, their own."""
    if filters.unit_id is not None:
        access.require(viewer, access.View.UNIT, filters.unit_id)
        return filters.unit_id
    if access.scope(viewer, access.View.UNIT) is access.Scope.ALL:
        return None
    access.require(viewer, access.View.UNIT, viewer.unit_id)
    return viewer.unit_id


def _after(cursor: Cursor | None, at, ident, kind: int):
    """The rows of one kind that come after ``cursor`` in the log's order."""
    if cursor is None:
        return true()
    if kind < cursor.kind:
        return at <= cursor.at
    if kind > cursor.kind:
        return at < cursor.at
    return or_(at < cursor.at, and_(at == cursor.at, ident < cursor.id))


def _when(filters: LogFilter, at, tz: ZoneInfo) -> list:
    found = []
    if filters.since is not None:
        found.append(at >= local_midnight(filters.since, tz))
    if filters.until is not None:
        found.append(at < local_midnight(filters.until + timedelta(days=1), tz))
    return found


def _sender(viewer: Actor, official_id: int | None, name: str | None) -> str | None:
    if official_id is None:
        return None
    return name if access.may_see(viewer, access.View.NAMES, official_id=official_id) else None


def _entry_facts(row: Any, unit: str, viewer: Actor, tz: ZoneInfo) -> dict[str, Any]:
    """What every report has, from a row of :func:`_status_entries`' or
    :func:`_figure_entries`' query: when, which unit, who, the message, undone or not."""
    return {
        "id": row.id,
        "at": row.created_at.astimezone(tz),
        "unit_id": row.unit_id,
        "unit": unit,
        "who": _sender(viewer, row.reported_by_id, row.full_name),
        "by_office": row.role in _MANAGERS,
        "own": row.reported_by_id is not None and row.reported_by_id == viewer.official_id,
        "text": row.text,
        "withdrawn": row.retracted_at is not None,
        "withdrawn_at": _local(row.retracted_at, tz),
        "period_start": row.period_start,
    }


def _status_entries(
    session: Session,
    viewer: Actor,
    tz: ZoneInfo,
    filters: LogFilter,
    unit_id: int | None,
    after: Cursor | None,
    limit: int,
) -> list[LogEntry]:
    query = (
        select(
            StatusUpdate.id,
            StatusUpdate.created_at,
            Assignment.unit_id,
            Unit.name,
            Task.id.label("task_id"),
            Task.code,
            Task.content,
            StatusUpdate.status,
            StatusUpdate.percent,
            StatusUpdate.note,
            StatusUpdate.evidence_file_id,
            StatusUpdate.period_start,
            StatusUpdate.reported_by_id,
            Official.full_name,
            Official.role,
            InboundMessage.text,
            StatusUpdate.retracted_at,
            StatusUpdate.done_at,
        )
        .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(Official, Official.id == StatusUpdate.reported_by_id)
        .outerjoin(InboundMessage, InboundMessage.id == StatusUpdate.inbound_message_id)
        .where(
            _after(after, StatusUpdate.created_at, StatusUpdate.id, _STATUS),
            *_when(filters, StatusUpdate.created_at, tz),
        )
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(limit)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    if filters.task_id is not None:
        query = query.where(Assignment.task_id == filters.task_id)
    if filters.official_id is not None:
        query = query.where(StatusUpdate.reported_by_id == filters.official_id)
    return [
        LogEntry(
            kind="status",
            **_entry_facts(row, row.name, viewer, tz),
            subject=f"{row.code} {row.content}",
            task_id=row.task_id,
            status=row.status.value,
            percent=row.percent,
            note=row.note,
            evidence_file_id=row.evidence_file_id,
            done_on=row.done_at.astimezone(tz).date() if row.done_at else None,
        )
        for row in session.execute(query)
    ]


def _figure_entries(
    session: Session,
    viewer: Actor,
    tz: ZoneInfo,
    filters: LogFilter,
    unit_id: int | None,
    after: Cursor | None,
    limit: int,
) -> list[LogEntry]:
    query = (
        select(
            IndicatorValue.id,
            IndicatorValue.created_at,
            IndicatorValue.unit_id,
            Unit.name.label("unit_name"),
            Indicator.id.label("indicator_id"),
            Indicator.name.label("indicator_name"),
            Indicator.measure,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.period_start,
            IndicatorValue.period_end,
            IndicatorValue.reported_by_id,
            Official.full_name,
            Official.role,
            InboundMessage.text,
            IndicatorValue.retracted_at,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Unit, Unit.id == IndicatorValue.unit_id)
        .outerjoin(Official, Official.id == IndicatorValue.reported_by_id)
        .outerjoin(InboundMessage, InboundMessage.id == IndicatorValue.inbound_message_id)
        .where(
            _after(after, IndicatorValue.created_at, IndicatorValue.id, _FIGURE),
            *_when(filters, IndicatorValue.created_at, tz),
        )
        .order_by(IndicatorValue.created_at.desc(), IndicatorValue.id.desc())
        .limit(limit)
    )
    if unit_id is not None:
        query = query.where(IndicatorValue.unit_id == unit_id)
    if filters.indicator_id is not None:
        query = query.where(IndicatorValue.indicator_id == filters.indicator_id)
    if filters.official_id is not None:
        query = query.where(IndicatorValue.reported_by_id == filters.official_id)
    return [
        LogEntry(
            kind="figure",
            **_entry_facts(row, row.unit_name, viewer, tz),
            subject=row.indicator_name,
            indicator_id=row.indicator_id,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            measure=row.measure,
            period_end=row.period_end,
        )
        for row in session.execute(query)
    ]


def _disagreements(
    session: Session, viewer: Actor, tz: ZoneInfo, unit_id: int | None
) -> list[Disagreement]:
    """The open conflicts (of ``unit_id``, or every unit) whose two reports still
    disagree (:func:`bot.services.reports.conflicts.live`), oldest first; their facts,
    subjects and people read in one query each."""
    query = select(ReportConflict).where(ReportConflict.closed_at.is_(None))
    if unit_id is not None:
        query = query.where(ReportConflict.unit_id == unit_id)
    found = list(session.scalars(query.order_by(ReportConflict.opened_at, ReportConflict.id)))
    if not found:
        return []
    update_ids = {
        i for c in found for i in (c.earlier_update_id, c.later_update_id) if i is not None
    }
    value_ids = {i for c in found for i in (c.earlier_value_id, c.later_value_id) if i is not None}
    updates = {
        u.id: u
        for u in session.scalars(select(StatusUpdate).where(StatusUpdate.id.in_(update_ids)))
    }
    values = {
        v.id: v
        for v in session.scalars(select(IndicatorValue).where(IndicatorValue.id.in_(value_ids)))
    }
    tasks = dict(
        (aid, f"{code} {content}")
        for aid, code, content in session.execute(
            select(Assignment.id, Task.code, Task.content)
            .join(Task, Task.id == Assignment.task_id)
            .where(Assignment.id.in_({u.assignment_id for u in updates.values()}))
        )
    )
    indicators = {
        iid: (name, measure)
        for iid, name, measure in session.execute(
            select(Indicator.id, Indicator.name, Indicator.measure).where(
                Indicator.id.in_({v.indicator_id for v in values.values()})
            )
        )
    }
    facts = [*updates.values(), *values.values()]
    people = {
        oid: (name, role)
        for oid, name, role in session.execute(
            select(Official.id, Official.full_name, Official.role).where(
                Official.id.in_({f.reported_by_id for f in facts if f.reported_by_id})
            )
        )
    }
    units = dict(
        session.execute(
            select(Unit.id, Unit.name).where(Unit.id.in_({c.unit_id for c in found}))
        ).all()
    )

    def side(fact: StatusUpdate | IndicatorValue) -> Side:
        name, role = people.get(fact.reported_by_id or -1, (None, None))
        common: dict[str, Any] = {
            "id": fact.id,
            "at": fact.created_at.astimezone(tz),
            "who": _sender(viewer, fact.reported_by_id, name),
            "by_office": role in _MANAGERS,
            "withdrawn": fact.retracted_at is not None,
        }
        if isinstance(fact, StatusUpdate):
            return Side(
                "status",
                **common,
                status=fact.status.value,
                percent=fact.percent,
                value=None,
                numerator=None,
                denominator=None,
            )
        return Side(
            "figure",
            **common,
            status=None,
            percent=None,
            value=fact.value,
            numerator=fact.numerator,
            denominator=fact.denominator,
        )

    shown = []
    for conflict in found:
        if conflict.earlier_update_id is not None:
            earlier = updates.get(conflict.earlier_update_id)
            later = updates.get(conflict.later_update_id or -1)
        else:
            earlier = values.get(conflict.earlier_value_id or -1)
            later = values.get(conflict.later_value_id or -1)
        if earlier is None or later is None or not conflict_rules.live(session, earlier, later):
            continue
        if isinstance(earlier, StatusUpdate):
            subject, measure = tasks.get(earlier.assignment_id, "?"), None
        else:
            subject, measure = indicators.get(earlier.indicator_id, ("?", None))
        shown.append(
            Disagreement(
                conflict.id,
                conflict.unit_id,
                units.get(conflict.unit_id, "?"),
                subject,
                measure,
                earlier.period_start,
                conflict.opened_at.astimezone(tz),
                side(earlier),
                side(later),
            )
        )
    return shown


# -- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTask:
    id: int
    code: str
    written_code: str | None  # the code as the plan wrote it, when it differs
    content: str
    lead_text: str | None
    cooperate_text: str | None
    timeframe_text: str | None  # as the plan words it
    timeframe_kind: str | None  # as read: "due", "recurring", "continuous", …
    due_date: date | None
    start_date: date | None
    recurrence: str | None
    product: str | None
    moved: bool = False  # as :class:`TaskInfo`'s
    moved_from: date | None = None


@dataclass(frozen=True)
class PlanSection:
    title: str  # empty for the tasks before any section
    tasks: tuple[PlanTask, ...]


@dataclass(frozen=True)
class PlanIndicator:
    id: int
    code: str
    name: str
    measure: str
    comparator: str
    target: Decimal | None
    aliases: tuple[str, ...]
    task_code: str | None  # a target stated in a task's text: that task
    units_text: str | None


@dataclass(frozen=True)
class PlanPage:
    id: int
    title: str
    issuer: str | None
    year: int | None
    source_filename: str | None
    source: Mapping[str, object] | None  # how the file was read (plans.source)
    imported_at: datetime  # local time
    in_use: bool  # the plan in use today
    sections: tuple[PlanSection, ...]  # in the plan's order
    indicators: tuple[PlanIndicator, ...]

    @property
    def tasks(self) -> int:
        return sum(len(s.tasks) for s in self.sections)


def _moved(move: MovedDeadline | None) -> tuple[bool, date | None]:
    """Whether the office moved or set a task's deadline, and the plan's it moved."""
    if move is None:
        return False, None
    return True, move.extended_from


def plan_page(
    db: Database, today: date, plan_id: int | None = None, *, viewer: Actor, tz: ZoneInfo
) -> PlanPage | None:
    """The plan in use (or the imported plan ``plan_id``) as imported: its sections with
    their tasks in order, the indicators it keeps with their targets, and how the file
    was read; withdrawn tasks and indicators left out. None when there is no such plan."""
    access.require(viewer, access.View.AREA)
    with db.session() as session:
        in_use = current_plan.current_plan_id(session, today)
        wanted = in_use if plan_id is None else plan_id
        plan = session.scalar(
            select(Plan).where(Plan.id == wanted, Plan.draft.is_(False), Plan.active.is_(True))
        )
        if plan is None:
            return None
        tasks = session.scalars(
            select(Task)
            .where(Task.plan_id == plan.id, Task.withdrawn_at.is_(None))
            .order_by(Task.position)
        ).all()
        indicators = session.scalars(
            select(Indicator)
            .where(
                Indicator.plan_id == plan.id,
                Indicator.withdrawn_at.is_(None),
                Indicator.keep.is_(True),
            )
            .order_by(Indicator.id)
        ).all()
        moves = moves_in_force(session, tasks)
        sections: list[tuple[str, list[PlanTask]]] = []
        for task in tasks:
            title = task.section or ""
            if not sections or sections[-1][0] != title:
                sections.append((title, []))
            sections[-1][1].append(
                PlanTask(
                    task.id,
                    task.code,
                    task.written_code if task.written_code != task.code else None,
                    task.content,
                    task.lead_text,
                    task.cooperate_text,
                    task.timeframe_text,
                    task.timeframe_kind,
                    task.due_date,
                    task.start_date,
                    task.recurrence,
                    task.product,
                    *_moved(moves.get(task.id)),
                )
            )
        return PlanPage(
            plan.id,
            plan.title,
            plan.issuer,
            plan.year,
            plan.source_filename,
            MappingProxyType(dict(plan.source)) if plan.source is not None else None,
            plan.created_at.astimezone(tz),
            plan.id == in_use,
            tuple(PlanSection(title, tuple(items)) for title, items in sections),
            tuple(
                PlanIndicator(
                    i.id,
                    i.code,
                    i.name,
                    i.measure,
                    i.comparator,
                    i.target,
                    tuple(i.aliases or ()),
                    i.task_code,
                    i.units_text,
                )
                for i in indicators
            ),
        )


# -- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportPeriod:
    period: Period
    window: tuple[date, date]  # its reporting window (local days)
    closed: bool  # the window has ended (else the figures run to today)


@dataclass(frozen=True)
class ExportChoices:
    """The periods the periodic report can be made for today, newest first (as ``/xuat``
    accepts them: a month, a quarter, six or nine months, a year whose reporting window
    has begun, in a year of an imported plan or this year), and whose report it is."""

    periods: tuple[ExportPeriod, ...]
    default: Period  # the report just closed (``/xuat`` alone)
    unit_id: int | None  # None: the whole area; else the person's own unit
    unit: str | None

    def offers(self, period: Period) -> bool:
        return any(p.period == period for p in self.periods)


def export_choices(db: Database, today: date, *, viewer: Actor, cutoff_day: int) -> ExportChoices:
    """What the Xuất page offers ``viewer``: the area's report for those who may see
    units by name, their own unit's for an official (NotAllowed for someone without
    either). The files are :func:`bot.areas.periodic.documents`'."""
    unit_id: int | None = None
    if not access.may_see(viewer, access.View.RANKING):
        access.require(viewer, access.View.UNIT, viewer.unit_id)
        unit_id = viewer.unit_id
    with db.session() as session:
        years = {p.year for p in current_plan.imported_plans(session) if p.year is not None}
        unit = session.scalar(select(Unit.name).where(Unit.id == unit_id)) if unit_id else None
    years = {y for y in years if y <= today.year + 1} | {today.year}
    offered = []
    for year in sorted(years):
        for period in _report_periods(year):
            window = period.reporting_window(cutoff_day)
            if window[0] <= today:
                offered.append(ExportPeriod(period, window, window[1] < today))
    offered.sort(key=lambda p: (p.window[1], p.period.end, p.period.start), reverse=True)
    return ExportChoices(tuple(offered), closed_period(today, cutoff_day), unit_id, unit)


def _report_periods(year: int) -> list[Period]:
    """Every period of ``year`` a periodic report is made for."""
    found: list[Period] = [Period.month(year, m) for m in range(1, 13)]
    found += [Period.quarter(year, q) for q in range(1, 5)]
    found += [Period.half(year, 1), Period.half(year, 2), Period.nine_months(year)]
    found.append(Period.year(year))
    assert all(p.kind in REPORT_KINDS for p in found)
    return found


# -- the log's filter choices ----------------------------------------------------------------


@dataclass(frozen=True)
class LogChoices:
    """What the report log's filter form offers ``viewer``: the units and the people whose
    reports they may see (an official: their own unit and themselves), by name."""

    units: tuple[tuple[int, str], ...]
    people: tuple[tuple[int, str], ...]


def log_choices(db: Database, *, viewer: Actor) -> LogChoices:
    """The units and people the log may be narrowed to by ``viewer`` (2 queries)."""
    every_unit = access.scope(viewer, access.View.UNIT) is access.Scope.ALL
    if not every_unit:
        access.require(viewer, access.View.UNIT, viewer.unit_id)
    everyone = access.scope(viewer, access.View.NAMES) is access.Scope.ALL
    with db.session() as session:
        units = select(Unit.id, Unit.name).order_by(Unit.name, Unit.id)
        if not every_unit:
            units = units.where(Unit.id == viewer.unit_id)
        people = (
            select(Official.id, Official.full_name)
            .where(Official.full_name.is_not(None))
            .order_by(Official.full_name, Official.id)
        )
        if not everyone:
            people = people.where(Official.id == (viewer.official_id or -1))
        return LogChoices(
            tuple((i, n) for i, n in session.execute(units)),
            tuple((i, n) for i, n in session.execute(people)),
        )


def evidence(db: Database, status_update_id: int, *, viewer: Actor) -> str:
    """The Telegram file id of the photo or file sent with one task report, for a person
    who may see its unit's detail; ``LookupError`` when there is no such report or it came
    without one (after the access check, so an official cannot tell other units' reports
    from missing ones)."""
    with db.session() as session:
        found = session.execute(
            select(Assignment.unit_id, StatusUpdate.evidence_file_id)
            .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
            .where(StatusUpdate.id == status_update_id)
        ).one_or_none()
    if found is None:
        access.require(viewer, access.View.RANKING)  # an official: 403, as for others' reports
        raise LookupError(status_update_id)
    unit_id, file_id = found
    access.require(viewer, access.View.UNIT, unit_id)
    if file_id is None:
        raise LookupError(status_update_id)
    return file_id
