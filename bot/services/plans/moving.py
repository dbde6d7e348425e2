"""A task's deadline set or moved by the office from a chat ("gia hạn nv 4.3 đến
31/12/2026", "/giahan 5.1 30/12"): a task the plan gives one deadline, or none yet ("Khi
có yêu cầu", no time line), gets the day named.

:func:`propose` reads what would change (nothing is written: the office confirms with a
button), :func:`move` changes it: the task of the plan in use becomes due on that day,
and a ``deadline_changes`` row keeps what it was, who changed it and when. Continuous and
recurring tasks have no one deadline to move. The reference data is marked changed in
the same transaction (:func:`bot.services.reference.changed`); the caller rebuilds the
reminders, which then follow the new deadline (and whether a unit finished on time is
judged against it). A corrected plan imported later sets the deadline its file writes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services import access
from bot.services.identity import Actor
from bot.services.reference import changed as reference_changed
from bot.understanding.prepare import normalise_code
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    DeadlineChange,
    Task,
    TaskStatus,
    TaskUnitRole,
)

MOVABLE = ("due", "on_demand", "unknown", None)  # timeframe kinds with one deadline, or none


class Refused(enum.StrEnum):
    NO_TASK = "no_task"  # the plan in use has no task of that code
    NOT_ONE_DEADLINE = "not_one_deadline"  # continuous or recurring
    PAST = "past"  # the day is before today
    SAME = "same"  # already due that day


@dataclass(frozen=True)
class Refusal:
    """Why a deadline cannot be moved, with the task's code (as written, when the plan has
    no such task) and its timeframe as the plan words it."""

    why: Refused
    code: str
    timeframe: str | None = None


@dataclass(frozen=True)
class Move:
    """A task's deadline as it is and as it would be (or is now)."""

    task_id: int
    code: str
    content: str
    kind_before: str | None
    due_before: date | None
    timeframe_text: str | None  # the plan's wording
    due_after: date
    leads: int  # its lead units
    done: int  # of them, those that finished it (or found it not applicable)


def propose(db: Database, code: str, due: date, today: date, *, viewer: Actor) -> Move | Refusal:
    """What moving task ``code``'s deadline to ``due`` would change, or why it cannot."""
    _require(viewer)
    with db.session() as session:
        task = _task(session, code, today)
        if task is None:
            return Refusal(Refused.NO_TASK, code)
        return _checked(session, task, due, today)


def move(
    db: Database, task_id: int, due: date, today: date, now: datetime, *, viewer: Actor
) -> Move | Refusal:
    """Move the deadline (pressed **Đồng ý đổi hạn**): checked again, then written with its row of
    history."""
    _require(viewer)
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None or task.withdrawn_at is not None:
            return Refusal(Refused.NO_TASK, "")
        found = _checked(session, task, due, today)
        if isinstance(found, Move):
            session.add(
                DeadlineChange(
                    task_id=task.id,
                    kind_before=task.timeframe_kind,
                    due_before=task.due_date,
                    due_after=due,
                    official_id=viewer.official_id,
                    created_at=now,
                )
            )
            task.timeframe_kind, task.due_date = "due", due
            reference_changed(session)
        return found


def _require(viewer: Actor) -> None:
    if not access.may_do(viewer, access.Act.SET_DEADLINE):
        raise access.NotAllowed(access.View.RANKING)


def _task(session: Session, code: str, today: date) -> Task | None:
    """The task of the plan in use numbered ``code`` (as written: "04.3" is "4.3")."""
    plan_id = current_plan_id(session, today)
    wanted = normalise_code(code)
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan_id, Task.withdrawn_at.is_(None))
    ).all()
    return next((t for t in tasks if normalise_code(t.code) == wanted), None)


def _checked(session: Session, task: Task, due: date, today: date) -> Move | Refusal:
    if task.timeframe_kind not in MOVABLE:
        return Refusal(Refused.NOT_ONE_DEADLINE, task.code, task.timeframe_text)
    if due < today:
        return Refusal(Refused.PAST, task.code)
    if task.timeframe_kind == "due" and task.due_date == due:
        return Refusal(Refused.SAME, task.code)
    leads = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.task_id == task.id, Assignment.role == TaskUnitRole.LEAD)
    )
    done = session.scalar(
        select(func.count(func.distinct(Assignment.id)))
        .join(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
        .where(
            Assignment.task_id == task.id,
            Assignment.role == TaskUnitRole.LEAD,
            CurrentStatus.status.in_((TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)),
        )
    )
    return Move(
        task.id,
        task.code,
        task.content,
        task.timeframe_kind,
        task.due_date,
        task.timeframe_text,
        due,
        leads or 0,
        done or 0,
    )
