"""The plans in use: which plan is current (and the office's choice of it), its
sections, one unit's tasks with their status, a plan whole (its tasks, indicators and
reporting duties, for the "Xem chi tiết" workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.checks import required
from bot.services import access
from bot.services.identity import Actor
from bot.services.plans.moving import moves_in_force
from bot.services.plans.summaries import PlanBrief, brief, load_plan
from bot.services.reference import changed as reference_changed
from storage import current_plan as current
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    Plan,
    Task,
    TaskStatus,
    TaskUnitRole,
)


def current_plan_id(db: Database, today: date) -> int | None:
    """The plan in use on ``today`` (local date): see :mod:`storage.current_plan`."""
    with db.session() as session:
        return current.current_plan_id(session, today)


@dataclass
class PlanChoice:
    """The imported plans (newest year first) and which one is in use."""

    plans: list[PlanBrief]
    in_use: int | None
    chosen: bool  # the office chose it (else: the plan of the year, or the nearest)
    year: int  # today's year (a choice holds until it ends)


def plan_choice(db: Database, today: date) -> PlanChoice:
    with db.session() as session:
        plans = current.imported_plans(session)
        choice = current.read_choice(session)
        in_use = current.pick(plans, choice, today.year)
        default = current.pick(plans, None, today.year)
        rows = session.scalars(select(Plan).where(Plan.id.in_([p.id for p in plans]))).all()
        briefs = sorted(
            (brief(session, plan) for plan in rows),
            key=lambda b: (-(b.year or 0), -b.id),
        )
        chosen = in_use is not None and in_use != default
        return PlanChoice(briefs, in_use, chosen, today.year)


def use_plan(db: Database, plan_id: int, today: date) -> PlanBrief | None:
    """The office chooses the plan in use (until the end of this year); None when
    ``plan_id`` is not an imported plan. Choosing the plan of the year clears the choice."""
    with db.session() as session:
        plans = current.imported_plans(session)
        if all(p.id != plan_id for p in plans):
            return None
        default = current.pick(plans, None, today.year)
        chosen = None if plan_id == default else current.Choice(plan_id, today.year)
        current.write_choice(session, chosen)
        reference_changed(session)
        plan = session.get(Plan, plan_id)
        plan = required(plan, "plan")
        return brief(session, plan)


def sections(db: Database, plan_id: int) -> list[tuple[str, int]]:
    """The plan's sections in order, with how many tasks each has."""
    with db.session() as session:
        rows = session.execute(
            select(Task.section, Task.position)
            .where(Task.plan_id == plan_id, Task.withdrawn_at.is_(None))
            .order_by(Task.position)
        ).all()
    counts: dict[str, int] = {}
    for section, _position in rows:
        counts[section or ""] = counts.get(section or "", 0) + 1
    return [(s, n) for s, n in counts.items() if s]


@dataclass(frozen=True)
class UnitTask:
    code: str
    content: str
    role: str
    timeframe_kind: str | None
    timeframe_text: str | None
    due_date: Any
    status: str | None
    days_late: int | None = None  # led, past its deadline and not done: days since
    # the deadline the office moved ("gia hạn": the plan's, before the first move) or set
    # on a task the plan gave none ("đặt hạn": None with ``deadline_set``)
    moved_from: date | None = None
    deadline_set: bool = False

    @property
    def periodic(self) -> bool:
        """A continuous or recurring task: its status is its latest period's, never done
        with."""
        return self.timeframe_kind in ("continuous", "recurring")


def unit_tasks(db: Database, actor: Actor, unit_id: int, today: date) -> list[UnitTask]:
    """The tasks of one unit in the plan in use, with their current status (if any; a
    periodic task's: its latest period's) and, for one it leads past its deadline and not
    done, the days since."""
    access.require(actor, access.View.UNIT, unit_id)

    with db.session() as session:
        plan_id = current.current_plan_id(session, today)
        rows = session.execute(
            select(Task, Assignment, CurrentStatus.status)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(Plan, Plan.id == Task.plan_id)
            .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(
                Assignment.unit_id == unit_id,
                Plan.id == plan_id,
                Task.withdrawn_at.is_(None),
            )
            .order_by(Plan.id, Task.position, CurrentStatus.period_key.desc())
        ).all()
        # the deadlines the office moved (a plan file imported since sets its own)
        moves = moves_in_force(session, {task for task, _a, _s in rows})
        seen: dict[int, UnitTask] = {}
        for task, assignment, status in rows:
            moved = moves.get(task.id)
            late = (
                task.timeframe_kind == "due"
                and task.due_date is not None
                and task.due_date < today
                and assignment.role is TaskUnitRole.LEAD
                and status not in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)
            )
            seen.setdefault(
                task.id,
                UnitTask(
                    task.code,
                    task.content,
                    assignment.role.value,
                    task.timeframe_kind,
                    task.timeframe_text,
                    task.due_date,
                    status.value if status is not None else None,
                    (today - task.due_date).days if late else None,
                    moved.extended_from if moved else None,
                    moved is not None,
                ),
            )
        return list(seen.values())


@dataclass(frozen=True)
class TaskRecord:
    """A task as stored: its cells as written and what they were read as."""

    code: str
    section: str | None
    content: str
    lead_text: str
    lead_units: tuple[str, ...]
    cooperate_text: str
    cooperating_units: tuple[str, ...]
    timeframe_text: str
    kind: str | None  # a ``TimeframeKind`` value
    due: date | None
    start: date | None
    recurrence: str | None  # "monthly", "half_yearly,yearly"
    product: str


@dataclass(frozen=True)
class IndicatorRecord:
    code: str
    name: str
    measure: str  # "%", a counted noun, or "count" when unknown
    comparator: str  # ">=", "<=", "="
    target: Decimal | None
    units_text: str
    source: str  # "table", "text", or "task": stated in the task ``task_code``
    task_code: str | None


@dataclass(frozen=True)
class PlanRecord:
    """A plan (or a previewed draft) whole, for the "Xem chi tiết" workbook: its tasks in
    order (none withdrawn), the indicators it imports and its reporting duties."""

    title: str
    year: int | None
    issuer: str | None
    tasks: tuple[TaskRecord, ...]
    indicators: tuple[IndicatorRecord, ...]
    duties: tuple[str, ...] = ()  # the reporting duties' sentences


def plan_record(db: Database, plan_id: int) -> PlanRecord | None:
    """The plan ``plan_id`` whole (None when it is gone)."""
    with db.session() as session:
        plan = load_plan(session, plan_id)
        if plan is None:
            return None
        tasks = []
        for task in plan.tasks:
            if task.withdrawn_at is not None:
                continue
            units = {
                role: tuple(sorted(a.unit.name for a in task.assignments if a.role is role))
                for role in (TaskUnitRole.LEAD, TaskUnitRole.COOPERATE)
            }
            tasks.append(
                TaskRecord(
                    code=task.code,
                    section=task.section,
                    content=task.content,
                    lead_text=task.lead_text or "",
                    lead_units=units[TaskUnitRole.LEAD],
                    cooperate_text=task.cooperate_text or "",
                    cooperating_units=units[TaskUnitRole.COOPERATE],
                    timeframe_text=task.timeframe_text or "",
                    kind=task.timeframe_kind,
                    due=task.due_date,
                    start=task.start_date,
                    recurrence=task.recurrence,
                    product=task.product or "",
                )
            )
        indicators = tuple(
            IndicatorRecord(
                code=indicator.code,
                name=indicator.name,
                measure=indicator.measure,
                comparator=indicator.comparator,
                target=indicator.target,
                units_text=indicator.units_text or "",
                source=indicator.source,
                task_code=indicator.task_code,
            )
            for indicator in plan.indicators
            if indicator.keep and indicator.withdrawn_at is None
        )
        duties = tuple(duty.text for duty in plan.duties)
        return PlanRecord(plan.title, plan.year, plan.issuer, tuple(tasks), indicators, duties)
