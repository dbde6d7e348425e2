"""A task's deadline set or moved by the office from a chat ("gia hạn nv 4.3 đến
31/12/2026", "/giahan 5.1 30/12"): a task the plan gives one deadline, or none yet ("Khi
có yêu cầu", no time line), gets the day named.

:func:`propose` reads what would change (nothing is written: the office confirms with a
button), :func:`move` changes it: the task of the plan in use becomes due on that day,
and a ``deadline_changes`` row keeps what it was, who changed it and when. Continuous and
recurring tasks have no one deadline to move. The reference data is marked changed in
the same transaction (:func:`bot.services.reference.changed`); the caller rebuilds the
reminders, which then follow the new deadline (and whether a unit finished on time is
judged against it). A corrected plan imported later sets the deadline its file writes
where it corrects that deadline; where it says what the plan said before the move, the
move stands (:func:`kept_move`, :func:`moves_in_force`).

An official asks for it instead ("xin gia hạn nv 4.3 đến 31/12 vì …"): :func:`request`
checks the same and that their unit leads the task, and sends the office a notice
(:mod:`scheduling.notices`, kind :data:`REQUEST_NOTICE`) with **Đồng ý đổi hạn**; nothing
of the plan changes until the office presses it. Once the task's deadline is moved (by
that button or any other way), each official who asked is told the new deadline
(:data:`GRANTED_NOTICE`), and the office's notices of their requests not yet sent are
dropped. The office may say no instead (:func:`decline`): the official is told
(:data:`DECLINED_NOTICE`), and the request leaves the list of those waiting.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services import access
from bot.services.identity import Actor
from bot.services.reference import changed as reference_changed
from bot.understanding.prepare import normalise_code
from scheduling.notices import PREFIX as NOTICE_PREFIX
from scheduling.notices import notify_office, notify_official
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    DeadlineChange,
    Official,
    Reminder,
    ReminderState,
    Role,
    Task,
    TaskStatus,
    TaskUnitRole,
)

MOVABLE = ("due", "on_demand", "unknown", None)  # timeframe kinds with one deadline, or none
REQUEST_NOTICE = "deadline-request"  # an official's request, to the office
GRANTED_NOTICE = "deadline-granted"  # the deadline moved, to the officials who asked
DECLINED_NOTICE = "deadline-declined"  # the office said no, to the official who asked


class Refused(enum.StrEnum):
    NO_TASK = "no_task"  # the plan in use has no task of that code
    NOT_ONE_DEADLINE = "not_one_deadline"  # continuous or recurring
    PAST = "past"  # the day is before today
    SAME = "same"  # already due that day
    NOT_LEAD = "not_lead"  # asked by a unit that does not lead the task
    EARLIER = "earlier"  # asked for a day before the deadline in force


@dataclass(frozen=True)
class Refusal:
    """Why a deadline cannot be moved, with the task's code (as written, when the plan has
    no such task) and its timeframe as the plan words it."""

    why: Refused
    code: str
    timeframe: str | None = None
    due: date | None = None  # the deadline in force (asked for an earlier day)


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


@dataclass(frozen=True)
class Request:
    """An official's request sent to the office: what granting it would change, and how
    many office members it went to (none registered: it could not be sent)."""

    move: Move
    unit: str
    offices: int


@dataclass(frozen=True)
class MovedDeadline:
    """A task's deadline set by the office and still in force: what the plan file said
    before (its kind and deadline, before the first of the moves since) and the day now."""

    kind_before: str | None
    due_before: date | None
    due: date

    @property
    def extended_from(self) -> date | None:
        """The plan's deadline it was moved from; None when the plan gave none ("Khi có
        yêu cầu": the office set one)."""
        return self.due_before if self.kind_before == "due" else None


class Deadlined(Protocol):
    """A task, or a row of one, with its deadline as stored."""

    id: int
    timeframe_kind: str | None
    due_date: date | None


def moves_in_force(session: Session, tasks: Collection[Deadlined]) -> dict[int, MovedDeadline]:
    """Of ``tasks``, those whose deadline is the office's (task id → the move): the last
    change's day is still the task's (a plan file imported since sets the deadline its
    file writes). "Before" is the plan's: a change that does not start from the day the
    one before it set follows a plan file's deadline, and starts again from it."""
    due = {t.id: (t.timeframe_kind, t.due_date) for t in tasks}
    runs: dict[int, tuple[str | None, date | None, date]] = {}
    for task_id, kind, before, after in session.execute(
        select(
            DeadlineChange.task_id,
            DeadlineChange.kind_before,
            DeadlineChange.due_before,
            DeadlineChange.due_after,
        )
        .where(DeadlineChange.task_id.in_(due))
        .order_by(DeadlineChange.id)
    ):
        run = runs.get(task_id)
        if run is not None and (kind, before) == ("due", run[2]):
            runs[task_id] = (run[0], run[1], after)
        else:
            runs[task_id] = (kind, before, after)
    return {
        task_id: MovedDeadline(kind, before, after)
        for task_id, (kind, before, after) in runs.items()
        if due[task_id] == ("due", after)
    }


def kept_move(move: MovedDeadline | None, kind: str | None, due: date | None) -> bool:
    """Whether a corrected plan file whose task says ``kind`` and ``due`` leaves the
    office's ``move`` in force: it says what the plan said before the move (it did not
    correct that deadline)."""
    return move is not None and (kind, due) == (move.kind_before, move.due_before)


@dataclass(frozen=True)
class Pending:
    """An official's request the office has not answered: what agreeing would change,
    who asked, why and when."""

    move: Move
    unit: str
    by: str
    reason: str | None
    asked_at: datetime
    request_id: int  # a row of the office's notice of it (what "Không đồng ý" names)


def pending_requests(db: Database, today: date, *, viewer: Actor) -> list[Pending]:
    """The requests for more time not answered yet (the deadline not moved since), the
    oldest first, each once; those that could no longer be granted (the task gone, the
    day past or already the deadline) are left out."""
    _require(viewer)
    seen: set[str] = set()
    found: list[Pending] = []
    with db.session() as session:
        plan_id = current_plan_id(session, today)
        for row in session.scalars(
            select(Reminder).where(Reminder.kind == REQUEST_NOTICE).order_by(Reminder.id)
        ):
            subject = row.key.split(">", 1)[0]
            payload = row.payload or {}
            if subject in seen or payload.get("answered"):
                continue
            seen.add(subject)
            task = session.get(Task, int(payload.get("task_id") or 0))
            if task is None or task.withdrawn_at is not None or task.plan_id != plan_id:
                continue
            move = _checked(session, task, date.fromisoformat(str(payload["due_after"])), today)
            if isinstance(move, Move):
                reason = payload.get("reason") or None
                by = str(payload.get("by") or "")
                unit = str(payload.get("unit") or "")
                found.append(Pending(move, unit, by, reason, row.created_at, row.id))
    return found


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
            change = DeadlineChange(
                task_id=task.id,
                kind_before=task.timeframe_kind,
                due_before=task.due_date,
                due_after=due,
                official_id=viewer.official_id,
                created_at=now,
            )
            session.add(change)
            task.timeframe_kind, task.due_date = "due", due
            reference_changed(session)
            session.flush()
            _answer_requests(session, found, change.id, now)
        return found


def request(
    db: Database,
    code: str,
    due: date,
    today: date,
    now: datetime,
    reason: str | None,
    *,
    viewer: Actor,
) -> Request | Refusal:
    """An official asks for task ``code``'s deadline to be ``due`` (``reason``: why, as
    written): checked as the office's would be, and their unit must lead the task; then
    a notice to each office member, in the same transaction (the same request again is
    not sent twice)."""
    if viewer.unit_id is None:
        raise access.NotAllowed(access.View.RANKING)
    with db.session() as session:
        task = _task(session, code, today)
        if task is None:
            return Refusal(Refused.NO_TASK, code)
        leads = session.scalar(
            select(Assignment.id).where(
                Assignment.task_id == task.id,
                Assignment.unit_id == viewer.unit_id,
                Assignment.role == TaskUnitRole.LEAD,
            )
        )
        if leads is None:
            return Refusal(Refused.NOT_LEAD, task.code)
        found = _checked(session, task, due, today)
        if not isinstance(found, Move):
            return found
        if found.kind_before == "due" and found.due_before is not None and due < found.due_before:
            return Refusal(Refused.EARLIER, task.code, due=found.due_before)
        offices = session.scalar(
            select(func.count())
            .select_from(Official)
            .where(Official.active.is_(True), Official.role == Role.OFFICE)
        )
        payload = {
            "task_id": task.id,
            "official_id": viewer.official_id,
            "unit": viewer.unit_name or "",
            "by": viewer.full_name or "",
            "kind_before": task.timeframe_kind,
            "due_before": task.due_date.isoformat() if task.due_date else None,
            "timeframe": task.timeframe_text,
            "due_after": due.isoformat(),
            "reason": reason,
            "leads": found.leads,
        }
        subject = f"{REQUEST_NOTICE}:{task.id}:{viewer.unit_id}:{due.isoformat()}"
        notify_office(session, REQUEST_NOTICE, subject, payload, now)
        return Request(found, viewer.unit_name or "", offices or 0)


@dataclass(frozen=True)
class Declined:
    """A request the office said no to: the task, the day asked for, the unit asking."""

    code: str
    day: date
    unit: str


def decline(db: Database, request_id: int, now: datetime, *, viewer: Actor) -> Declined | None:
    """Say no to the request whose office notice is row ``request_id``: every office
    member's notice of it is answered (those not sent yet dropped), and the official who
    asked is told. None when it is no longer waiting (granted, declined, gone)."""
    _require(viewer)
    with db.session() as session:
        row = session.get(Reminder, request_id)
        if row is None or row.kind != REQUEST_NOTICE or (row.payload or {}).get("answered"):
            return None
        subject = row.key.split(">", 1)[0]
        rows = session.scalars(
            select(Reminder).where(
                Reminder.kind == REQUEST_NOTICE, Reminder.key.like(f"{subject}>%")
            )
        ).all()
        for each in rows:
            if each.state is ReminderState.PENDING:
                each.state = ReminderState.CANCELLED
            each.payload = {**(each.payload or {}), "answered": True}
        payload = dict(row.payload or {})
        task = session.get(Task, int(payload.get("task_id") or 0))
        if task is None:
            return None
        if payload.get("official_id"):
            told = {
                k: payload.get(k) for k in ("task_id", "due_after", "due_before", "kind_before")
            }
            told["due_now"] = task.due_date.isoformat() if task.due_date else None
            notify_official(
                session, int(payload["official_id"]), DECLINED_NOTICE, f"{subject}:no", told, now
            )
        day = date.fromisoformat(str(payload["due_after"]))
        return Declined(task.code, day, str(payload.get("unit") or ""))


def _answer_requests(session: Session, move: Move, change_id: int, now: datetime) -> None:
    """Tell each official who asked for more time on the task, not told yet, its new
    deadline; drop the office's notices of their requests not sent yet."""
    rows = session.scalars(
        select(Reminder).where(
            Reminder.kind == REQUEST_NOTICE,
            Reminder.key.like(f"{NOTICE_PREFIX}{REQUEST_NOTICE}:{move.task_id}:%"),
        )
    ).all()
    asked: set[int] = set()
    for row in rows:
        if row.state is ReminderState.PENDING:
            row.state = ReminderState.CANCELLED
        payload = dict(row.payload or {})
        if payload.get("official_id") and not payload.get("answered"):
            asked.add(int(payload["official_id"]))
            row.payload = {**payload, "answered": True}
    told = {
        "task_id": move.task_id,
        "kind_before": move.kind_before,
        "due_before": move.due_before.isoformat() if move.due_before else None,
        "timeframe": move.timeframe_text,
        "due_after": move.due_after.isoformat(),
    }
    for official_id in sorted(asked):
        subject = f"{GRANTED_NOTICE}:{change_id}"
        notify_official(session, official_id, GRANTED_NOTICE, subject, told, now)


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
