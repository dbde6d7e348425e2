"""Progress for a period: tasks due in it by status, per unit, and indicators against targets.

Read from the current-state table (``current_status``) and the figures, never by
replaying the history. A task with a deadline in the period counts for each lead unit:
done on time, done late, in progress (not yet due), overdue (due and not done) or not
reported (not yet due and nothing said).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from bot.language.periods import Period
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


@dataclass
class UnitProgress:
    unit_id: int
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    behind: list[str] = field(default_factory=list)  # codes of overdue tasks

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> float:
        """Share of the period's tasks done (on time or late)."""
        done = self.counts["done"] + self.counts["late"]
        return 100.0 * done / self.total if self.total else 0.0


@dataclass
class IndicatorStanding:
    name: str
    comparator: str
    target: Decimal | None
    measure: str
    reported: int  # units with a figure for the period
    meeting: int  # … of which meet the target
    area: Decimal | None  # Σ numerators / Σ denominators, else the mean of the figures


@dataclass
class Overview:
    period: Period
    units: list[UnitProgress]
    indicators: list[IndicatorStanding]
    silent: list[str]  # units with tasks that reported nothing in the period
    previous_percent: float | None

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(STATES, 0)
        for unit in self.units:
            for state, count in unit.counts.items():
                totals[state] += count
        return totals

    @property
    def percent(self) -> float | None:
        totals = self.totals
        count = sum(totals.values())
        return 100.0 * (totals["done"] + totals["late"]) / count if count else None

    @property
    def most_behind(self) -> list[UnitProgress]:
        ranked = sorted(
            (u for u in self.units if u.counts["overdue"]),
            key=lambda u: (-u.counts["overdue"], u.percent, u.name),
        )
        return ranked[:5]


def _progress(session, period: Period, today: date, unit_id: int | None) -> list[UnitProgress]:
    active = select(Plan.id).where(Plan.active.is_(True), Plan.draft.is_(False))
    query = (
        select(
            Unit.id,
            Unit.name,
            Task.code,
            Task.due_date,
            CurrentStatus.status,
            StatusUpdate.created_at,
        )
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Task, Task.id == Assignment.task_id)
        .outerjoin(
            CurrentStatus,
            (CurrentStatus.assignment_id == Assignment.id) & (CurrentStatus.period_key == "-"),
        )
        .outerjoin(StatusUpdate, StatusUpdate.id == CurrentStatus.status_update_id)
        .where(
            Task.plan_id.in_(active),
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind == "due",
            Task.due_date >= period.start,
            Task.due_date <= period.end,
            Assignment.role == TaskUnitRole.LEAD,
        )
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    units: dict[int, UnitProgress] = {}
    for uid, name, code, due, status, reported_at in session.execute(query):
        unit = units.setdefault(uid, UnitProgress(uid, name))
        if status is TaskStatus.DONE or status is TaskStatus.NOT_APPLICABLE:
            on_time = reported_at is None or reported_at.date() <= due
            unit.counts["done" if on_time else "late"] += 1
        elif due < today:
            unit.counts["overdue"] += 1
            unit.behind.append(code)
        elif status is None:
            unit.counts["not_reported"] += 1
        else:
            unit.counts["in_progress"] += 1
    return sorted(units.values(), key=lambda u: (u.percent, u.name))


def _indicators(
    session, period: Period, unit_id: int | None, indicator_id: int | None = None
) -> list[IndicatorStanding]:
    """Each active indicator's standing in the period (or just ``indicator_id``'s)."""
    active = select(Plan.id).where(Plan.active.is_(True), Plan.draft.is_(False))
    query = select(Indicator).where(Indicator.plan_id.in_(active), Indicator.withdrawn_at.is_(None))
    if indicator_id is not None:
        query = query.where(Indicator.id == indicator_id)
    standings = []
    for indicator in session.scalars(query):
        query = (
            select(IndicatorValue)
            .where(
                IndicatorValue.indicator_id == indicator.id,
                IndicatorValue.retracted_at.is_(None),
                # the figures sent during the period (each unit's latest stands)
                IndicatorValue.created_at >= _midnight(period.start),
                IndicatorValue.created_at < _midnight(period.end + timedelta(days=1)),
            )
            .order_by(IndicatorValue.id)
        )
        if unit_id is not None:
            query = query.where(IndicatorValue.unit_id == unit_id)
        latest: dict[int, IndicatorValue] = {}
        for value in session.scalars(query):
            latest[value.unit_id] = value  # the latest figure of each unit stands
        figures = list(latest.values())
        meeting = sum(1 for v in figures if _meets(v.value, indicator))
        numerators = [v for v in figures if v.numerator is not None and v.denominator]
        area = None
        if numerators and len(numerators) == len(figures):
            area = (
                Decimal(100)
                * sum(v.numerator for v in figures)
                / sum(v.denominator for v in figures)
            )
        elif figures:
            area = sum(v.value for v in figures) / len(figures)
        standings.append(
            IndicatorStanding(
                indicator.name,
                indicator.comparator,
                indicator.target,
                indicator.measure,
                len(figures),
                meeting,
                area,
            )
        )
    return standings


def _meets(value: Decimal, indicator: Indicator) -> bool:
    if indicator.target is None:
        return True
    if indicator.comparator == "<=":
        return value <= indicator.target
    if indicator.comparator == "=":
        return value == indicator.target
    return value >= indicator.target


def overview(db: Database, period: Period, today: date, unit_id: int | None = None) -> Overview:
    with db.session() as session:
        units = _progress(session, period, today, unit_id)
        previous = _progress(session, period.previous(), today, unit_id)
        indicators = _indicators(session, period, unit_id)
        silent = _silent(session, period, unit_id)
    done_before = sum(u.counts["done"] + u.counts["late"] for u in previous)
    total_before = sum(u.total for u in previous)
    return Overview(
        period,
        units,
        indicators,
        silent,
        100.0 * done_before / total_before if total_before else None,
    )


def _silent(session, period: Period, unit_id: int | None) -> list[str]:
    """Units with tasks in the active plan that reported nothing during the period."""
    active = select(Plan.id).where(Plan.active.is_(True), Plan.draft.is_(False))
    with_tasks = (
        select(Assignment.unit_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id.in_(active), Assignment.role == TaskUnitRole.LEAD)
    )
    start = period.start
    reporting = (
        select(Assignment.unit_id)
        .join(StatusUpdate, StatusUpdate.assignment_id == Assignment.id)
        .where(StatusUpdate.created_at >= _midnight(start), StatusUpdate.retracted_at.is_(None))
    )
    figures = select(IndicatorValue.unit_id).where(
        IndicatorValue.created_at >= _midnight(start), IndicatorValue.retracted_at.is_(None)
    )
    query = select(Unit.name).where(
        Unit.id.in_(with_tasks), Unit.id.not_in(reporting), Unit.id.not_in(figures)
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return sorted(session.scalars(query))


def _midnight(day: date):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass(frozen=True)
class UnitState:
    name: str
    status: str  # a TaskStatus value, or "not_reported"


def task_states(db: Database, task_id: int) -> tuple[str, list[UnitState]]:
    """One task's lead units by their current status (for "nhiệm vụ 2.1 ai chưa xong?")."""
    with db.session() as session:
        task = session.get(Task, task_id)
        rows = session.execute(
            select(Unit.name, CurrentStatus.status, CurrentStatus.period_key)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(Assignment.task_id == task_id, Assignment.role == TaskUnitRole.LEAD)
            .order_by(Unit.name, CurrentStatus.period_key.desc())
        ).all()
    latest: dict[str, str] = {}
    for name, status, _key in rows:
        latest.setdefault(name, status.value if status is not None else "not_reported")
    label = f"{task.code} {task.content}" if task else ""
    return label, [UnitState(n, s) for n, s in latest.items()]


@dataclass(frozen=True)
class UnitFigure:
    name: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    meets: bool


def indicator_figures(
    db: Database, indicator_id: int, period: Period
) -> tuple[IndicatorStanding | None, list[UnitFigure]]:
    """Every unit's latest figure sent during the period, against the target."""
    with db.session() as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            return None, []
        rows = session.execute(
            select(Unit.name, IndicatorValue)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(
                IndicatorValue.indicator_id == indicator_id,
                IndicatorValue.retracted_at.is_(None),
                IndicatorValue.created_at >= _midnight(period.start),
                IndicatorValue.created_at < _midnight(period.end + timedelta(days=1)),
            )
            .order_by(IndicatorValue.id)
        ).all()
        latest: dict[str, IndicatorValue] = {}
        for name, value in rows:
            latest[name] = value
        figures = [
            UnitFigure(n, v.value, v.numerator, v.denominator, _meets(v.value, indicator))
            for n, v in latest.items()
        ]
        standing = next(iter(_indicators(session, period, None, indicator_id)), None)
    figures.sort(key=lambda f: (f.meets, f.value, f.name))
    return standing, figures


def indicator_trend(
    db: Database, indicator_id: int, period: Period, count: int = 6
) -> list[tuple[Period, Decimal]]:
    """The area's value of an indicator over the last ``count`` periods (those with figures)."""
    periods = [period]
    for _ in range(count - 1):
        periods.insert(0, periods[0].previous())
    with db.session() as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            return []
        found = []
        for each in periods:
            standing = next(iter(_indicators(session, each, None, indicator_id)), None)
            if standing is not None and standing.area is not None:
                found.append((each, standing.area))
        return found
