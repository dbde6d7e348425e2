"""What the web pages Tổng quan, Đơn vị and one unit's page read, scoped by role here
(``bot.services.access``), not in the templates.

- :func:`unit_rows`: each unit of a :class:`~bot.services.standing.Standing` (already
  only what the person may see by name: an official, their own unit) with its kind and
  its last report; :func:`pick_rows` filters them by kind, state and a name searched with
  the chat's fuzzy matcher ("son duong" finds Xã Sơn Dương), and sorts them.
- :func:`unit_page`: one unit's tasks with their status, its reports (status and
  figures, who sent them as far as the person may see names, the original message), its
  officials and groups, the reminders coming and those sent in the last 30 days;
  :class:`~bot.services.access.NotAllowed` for a unit the person may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from bot.language.normalize import fold
from bot.matching import Decision, kind_label
from bot.services import access
from bot.services.identity import Actor
from bot.services.reports.history import HistoryRow, history
from bot.services.standing import Standing, UnitStanding
from bot.services.units import unit_catalogue
from scheduling.upcoming import Upcoming, sent, upcoming
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    Chat,
    ChatUnit,
    CurrentStatus,
    InboundMessage,
    IndicatorValue,
    Official,
    StatusUpdate,
    Task,
    TaskUnitRole,
    Unit,
)

STATES = ("overdue", "due", "done", "none")  # the filter's choices, in this order
SORTS = ("behind", "name", "done", "overdue", "last")
HISTORY_ROWS = 100


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    kind: str  # the stored kind ("xa")
    kind_label: str  # its word ("xã")
    done: int  # done (on time or late) of what was due before today, and done early
    overdue: int
    due_month: int  # due from today to the month's end, not done yet
    percent: float | None
    last_report: datetime | None
    rank: int  # most behind first, as the chat ranks them

    @property
    def state(self) -> str:
        """``overdue``; ``due`` (something due this month); ``done`` (all done so far);
        ``none`` (nothing due yet)."""
        if self.overdue:
            return "overdue"
        if self.due_month:
            return "due"
        return "done" if self.done else "none"


def unit_rows(db: Database, data: Standing, only: set[int] | None = None) -> list[UnitRow]:
    """The units of ``data`` (as scoped by :func:`bot.services.standing.standing`), most
    behind first, with their kind and the time of their last report (status or figure);
    with ``only``, just those units (the overview's few: their last reports are looked up,
    not every unit's)."""
    ranked = [(rank, u) for rank, u in enumerate(data.units) if only is None or u.unit_id in only]
    ids = [u.unit_id for _rank, u in ranked]
    with db.session() as session:
        query = select(Unit.id, Unit.kind).where(Unit.id.in_(ids))
        kinds: dict[int, str] = {i: k for i, k in session.execute(query)} if ids else {}
        last: dict[int, datetime] = {}
        if ids:
            statuses = (
                select(Assignment.unit_id, func.max(StatusUpdate.created_at))
                .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
                .where(Assignment.unit_id.in_(ids), StatusUpdate.retracted_at.is_(None))
                .group_by(Assignment.unit_id)
            )
            figures = (
                select(IndicatorValue.unit_id, func.max(IndicatorValue.created_at))
                .where(IndicatorValue.unit_id.in_(ids), IndicatorValue.retracted_at.is_(None))
                .group_by(IndicatorValue.unit_id)
            )
            for query in (statuses, figures):
                for unit_id, at in session.execute(query):
                    if at is not None and (unit_id not in last or at > last[unit_id]):
                        last[unit_id] = at
    return [_row(u, kinds.get(u.unit_id, ""), last.get(u.unit_id), rank) for rank, u in ranked]


def _row(unit: UnitStanding, kind: str, last: datetime | None, rank: int) -> UnitRow:
    return UnitRow(
        unit.unit_id,
        unit.name,
        kind,
        kind_label(kind) if kind else "",
        unit.done + unit.late + unit.done_early,
        unit.overdue,
        unit.upcoming,
        unit.percent,
        last,
        rank,
    )


def kinds_of(rows: list[UnitRow]) -> list[tuple[str, str]]:
    """The kinds among ``rows`` (stored kind, its word), for the filter."""
    return sorted({(r.kind, r.kind_label) for r in rows if r.kind}, key=lambda k: k[1])


def search(db: Database, rows: list[UnitRow], query: str) -> list[UnitRow]:
    """The rows whose unit the chat's matcher finds for ``query`` (the unit it is sure
    of, as the chat would take it, or the candidates of an unsure one, best first), else
    those whose name holds it, accents aside."""
    query = query.strip()
    if not query:
        return rows
    with db.session() as session:
        found = unit_catalogue(session).match(query)
    if found.decision is not Decision.NONE and found.candidates:
        # Sure: that unit alone, whatever sort the form sends along with the search.
        chosen = found.candidates[:1] if found.decision is Decision.MATCH else found.candidates
        wanted = [c.entry.id for c in chosen]
        order = {unit_id: index for index, unit_id in enumerate(wanted)}
        picked = [r for r in rows if r.unit_id in order]
        if picked:
            return sorted(picked, key=lambda r: order[r.unit_id])
    folded = fold(query)
    return [r for r in rows if folded in fold(r.name)]


def pick_rows(
    rows: list[UnitRow], *, kind: str = "", state: str = "", sort: str = "behind"
) -> list[UnitRow]:
    """``rows`` of one kind and one state (empty: any), sorted by ``sort`` (see
    :data:`SORTS`; ``behind``: most behind first; another: in the order given)."""
    if kind:
        rows = [r for r in rows if r.kind == kind]
    if state in STATES:
        rows = [r for r in rows if r.state == state]
    keys = {
        "name": lambda r: fold(r.name),
        "done": lambda r: (-(r.percent if r.percent is not None else -1.0), r.rank),
        "overdue": lambda r: (-r.overdue, r.rank),
        "last": lambda r: (
            r.last_report is None,
            -(r.last_report.timestamp() if r.last_report else 0),
        ),
        "behind": lambda r: r.rank,
    }
    return sorted(rows, key=keys[sort]) if sort in keys else rows


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    code: str
    content: str
    role: str  # "lead" or "cooperate"
    due: date | None
    timeframe: str | None
    status: str | None  # the current status (TaskStatus value), None: nothing reported
    percent: int | None
    since: datetime | None


@dataclass(frozen=True)
class Report:
    """One report of the unit: a history row and the message it came from."""

    row: HistoryRow
    message: str | None


@dataclass(frozen=True)
class Person:
    name: str | None  # None: the person asking may not see this name
    role: str


@dataclass
class UnitPage:
    unit_id: int
    name: str
    kind_label: str
    parent: str | None
    tasks: list[TaskLine]
    statuses: list[Report]  # task reports, newest first
    figures: list[Report]  # figures, newest first
    officials: list[Person]
    reminders: list[Upcoming]  # coming
    groups: list[str]  # the group chats bound to the unit (its reminders go there)
    sent: list[Upcoming]  # reminders sent lately, newest first


def unit_page(
    db: Database, viewer: Actor, unit_id: int, today: date, now: datetime
) -> UnitPage | None:
    """One unit's page; None for a unit that does not exist (after the access check, so
    an official cannot tell other units' ids from missing ones)."""
    access.require(viewer, access.View.UNIT, unit_id)
    with db.session() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            return None
        name, kind, parent = (
            unit.name,
            kind_label(unit.kind),
            unit.parent.name if unit.parent else None,
        )
        plan_id = current_plan_id(session, today)
        tasks: list[TaskLine] = []
        if plan_id is not None:
            query = (
                select(Task, Assignment.role, CurrentStatus)
                .join(Assignment, Assignment.task_id == Task.id)
                .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
                .where(
                    Task.plan_id == plan_id,
                    Task.withdrawn_at.is_(None),
                    Assignment.unit_id == unit_id,
                )
                .order_by(Task.position, Task.id, CurrentStatus.period_key.desc())
            )
            seen: set[int] = set()
            for task, role, current in session.execute(query):
                if task.id in seen:  # a recurring task: its latest period's status
                    continue
                seen.add(task.id)
                tasks.append(
                    TaskLine(
                        task.id,
                        task.code,
                        task.content,
                        role.value if isinstance(role, TaskUnitRole) else str(role),
                        task.due_date,
                        task.timeframe_text,
                        current.status.value if current else None,
                        current.percent if current else None,
                        current.since if current else None,
                    )
                )
        groups = list(
            session.scalars(
                select(Chat.title)
                .join(ChatUnit, ChatUnit.chat_id == Chat.id)
                .where(ChatUnit.unit_id == unit_id, Chat.active.is_(True))
                .order_by(Chat.title)
            )
        )
        people = [
            Person(
                full_name if access.may_see(viewer, access.View.NAMES, official_id=oid) else None,
                role.value,
            )
            for oid, full_name, role in session.execute(
                select(Official.id, Official.full_name, Official.role)
                .where(Official.unit_id == unit_id, Official.active.is_(True))
                .order_by(Official.full_name)
            )
        ]
    rows = history(db, viewer, unit_id, limit=HISTORY_ROWS).rows
    messages = _messages(db, {r.inbound_id for r in rows if r.inbound_id is not None})
    reports = [Report(r, messages.get(r.inbound_id) if r.inbound_id else None) for r in rows]
    return UnitPage(
        unit_id,
        name,
        kind,
        parent,
        tasks,
        [r for r in reports if r.row.status is not None],
        [r for r in reports if r.row.status is None],
        people,
        upcoming(db, unit_id, now),
        [title or "" for title in groups],
        sent(db, unit_id, now),
    )


def _messages(db: Database, ids: set[int]) -> dict[int, str]:
    """The text of the messages the reports came from."""
    if not ids:
        return {}
    with db.session() as session:
        return {
            row_id: text
            for row_id, text in session.execute(
                select(InboundMessage.id, InboundMessage.text).where(InboundMessage.id.in_(ids))
            )
            if text
        }
