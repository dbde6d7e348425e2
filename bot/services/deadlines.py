"""The deadlines ahead ("hạn báo cáo là ngày nào?", "khi nào hết hạn gửi số liệu?"): of
one unit, or of the whole plan for those who ask with no unit.

Three kinds, each as the reminders have it (:mod:`scheduling.policy`):

- **figures**: the indicators' figures of the reporting period whose window holds today
  are due on the window's last day (the 14th by the national cut-off); a unit's line
  says how many of the plan's indicators it has not sent for it
  (:func:`progress.figures_unsent`, in the same transaction);
- **periodic reports**: each recurring task's next period still open, due on the last day
  of its reporting window; a unit's line says whether it has reported for that period;
- **tasks**: the tasks with one deadline still ahead, the nearest first (a unit's: those
  it leads and has not finished; the plan's: every one).

A unit's tasks past their deadline and not done are listed apart (``overdue``). Read for
the plan in use; a unit's for those who may see its detail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, null, select

from bot.language.periods import Period, PeriodKind, reporting_period
from bot.services import access, progress
from bot.services.identity import Actor
from scheduling.policy import cadence_kind, last_closed, period_deadline
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    Indicator,
    StatusUpdate,
    Task,
    TaskUnitRole,
)

TASKS_SHOWN = 5  # tasks with a deadline ahead, the nearest


@dataclass(frozen=True)
class Deadline:
    day: date
    kind: str  # "figures", "periodic" or "task"
    code: str | None = None  # a task's
    content: str = ""  # a task's
    period: Period | None = None  # the figures' or the periodic report's period
    # a unit's: the indicators not sent (figures), 1 not reported / 0 reported (a
    # periodic report); None: the plan's, no unit asked about, or a task (its unit's
    # are those it has not finished)
    pending: int | None = None


@dataclass
class Deadlines:
    items: list[Deadline] = field(default_factory=list)  # the nearest first
    # a unit's tasks past their deadline and not done, the longest overdue first
    overdue: list[str] = field(default_factory=list)


def deadlines(
    db: Database, today: date, unit_id: int | None, *, viewer: Actor, cutoff_day: int
) -> Deadlines:
    """The deadlines from ``today`` on, of ``unit_id`` (its tasks: those it leads), else of
    the plan in use."""
    if unit_id is not None:
        access.require(viewer, access.View.UNIT, unit_id)
    found = Deadlines()
    figures_period = reporting_period(today, PeriodKind.MONTH, cutoff_day)
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        if unit_id is not None:  # how many of the plan's indicators it has not sent
            count, unsent = progress.figures_unsent(session, plan_id, figures_period, unit_id)
            figures = (count, len(unsent[unit_id][1]) if unit_id in unsent else None)
        else:
            count = session.scalar(
                select(func.count(Indicator.id)).where(
                    Indicator.plan_id == plan_id, Indicator.withdrawn_at.is_(None)
                )
            )
            figures = (count or 0, None)
        columns = (
            Task.id,
            Task.code,
            Task.content,
            Task.timeframe_kind,
            Task.recurrence,
            Task.due_date,
        )
        if unit_id is not None:  # its assignments as lead
            query = (
                select(*columns, Assignment.id)
                .join(Assignment, Assignment.task_id == Task.id)
                .where(Assignment.unit_id == unit_id, Assignment.role == TaskUnitRole.LEAD)
            )
        else:  # the plan's tasks, no assignment
            query = select(*columns, null())
        query = query.where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Task.timeframe_kind.in_(("due", "recurring")),
        )
        rows = session.execute(query.order_by(Task.position)).all()
        assignments = [row[6] for row in rows if row[6] is not None]
        finished = set(
            session.scalars(
                select(CurrentStatus.assignment_id).where(
                    CurrentStatus.assignment_id.in_(assignments),
                    CurrentStatus.period_key == "-",
                    CurrentStatus.status.in_(progress.FINISHED),
                )
            )
        )
        said: dict[int, set[date]] = defaultdict(set)
        for assignment_id, start in session.execute(
            select(StatusUpdate.assignment_id, StatusUpdate.period_start).where(
                StatusUpdate.assignment_id.in_(assignments),
                StatusUpdate.retracted_at.is_(None),
                StatusUpdate.period_start.is_not(None),
            )
        ):
            said[assignment_id].add(start)
    count, pending = figures
    if count and (unit_id is None or pending is not None):  # a unit owing figures, or the plan's
        day = period_deadline(figures_period, cutoff_day)
        found.items.append(Deadline(day, "figures", period=figures_period, pending=pending))
    ahead: list[Deadline] = []
    late: list[tuple[date, str]] = []
    for _task_id, code, content, kind, recurrence, due, assignment_id in rows:
        if kind == "recurring":
            period = last_closed(cadence_kind(recurrence), today, cutoff_day).next()
            pending = None
            if assignment_id is not None:
                pending = 0 if any(period.contains(d) for d in said[assignment_id]) else 1
            day = period_deadline(period, cutoff_day)
            found.items.append(Deadline(day, "periodic", code, content, period, pending))
        elif due is not None and assignment_id in finished:
            continue
        elif due is not None and due >= today:
            ahead.append(Deadline(due, "task", code, content))
        elif due is not None and assignment_id is not None:
            late.append((due, code))
    found.items += sorted(ahead, key=lambda d: d.day)[:TASKS_SHOWN]
    found.overdue = [code for _due, code in sorted(late)]
    found.items.sort(key=lambda d: (d.day, d.kind != "figures"))
    return found
