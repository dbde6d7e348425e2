"""A unit's reports for ``/lichsu``, newest first, with who sent each as far as the person
asking may see names, those in an open disagreement marked, and the reports they may
undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from bot.services import access
from bot.services.identity import Actor
from bot.services.reports import conflicts
from storage.db import Database
from storage.models import (
    Assignment,
    Indicator,
    IndicatorValue,
    Official,
    Role,
    StatusUpdate,
    Task,
)


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str | None  # the sender's name, when the person asking may see it
    subject: str  # "2.1 Xây dựng kế hoạch…" or the indicator's name
    status: str | None
    percent: int | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str | None
    period_start: date | None
    retracted: bool
    measure: str | None = None
    by_office: bool = False  # sent by the office (or an admin) for the unit
    inbound_id: int | None = None
    disputed: bool = False  # in an open disagreement with another reporter
    # a task report's status update, when a photo or file came with it (the web pages show it)
    evidence_of: int | None = None
    done_at: datetime | None = None  # the day written as when it was done (its start, local)


@dataclass
class History:
    rows: list[HistoryRow]
    # Reports the person asking may still undo, newest first: (inbound message, when,
    # what it is about: its items' task codes or indicator names).
    undoable: list[tuple[int, datetime, list[str]]] = field(default_factory=list)


UNDO_BUTTONS = 5  # reports offered for undoing under /lichsu


def history(
    db: Database,
    actor: Actor,
    unit_id: int,
    task_id: int | None = None,
    indicator_id: int | None = None,
    limit: int = 15,
) -> History:
    """A unit's reports, newest first, with who sent each (as far as ``actor`` may see
    names) and what was retracted, and the reports ``actor`` may undo."""

    access.require(actor, access.View.UNIT, unit_id)
    managers = (Role.OFFICE, Role.ADMIN)
    rows: list[HistoryRow] = []
    standing: dict[int, tuple[datetime, int | None, list[str]]] = {}

    def who(name: str | None, official_id: int | None) -> str | None:
        return name if access.may_see(actor, access.View.NAMES, official_id=official_id) else None

    def note(row: StatusUpdate | IndicatorValue, about: str) -> None:
        if row.retracted_at is None and row.inbound_message_id is not None:
            found = standing.setdefault(
                row.inbound_message_id, (row.created_at, row.reported_by_id, [])
            )
            found[2].append(about)

    with db.session() as session:
        disputed_updates, disputed_values = conflicts.disputed(session, unit_id)
        if indicator_id is None:
            query = (
                select(StatusUpdate, Task, Official.full_name, Official.role)
                .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
                .join(Task, Task.id == Assignment.task_id)
                .outerjoin(Official, Official.id == StatusUpdate.reported_by_id)
                .where(Assignment.unit_id == unit_id)
                .order_by(StatusUpdate.id.desc())
                .limit(limit)
            )
            if task_id is not None:
                query = query.where(Task.id == task_id)
            for update, task, name, role in session.execute(query):
                note(update, task.code)
                rows.append(
                    HistoryRow(
                        update.created_at,
                        who(name, update.reported_by_id),
                        f"{task.code} {task.content}",
                        update.status.value,
                        update.percent,
                        None,
                        None,
                        None,
                        update.note,
                        update.period_start,
                        update.retracted_at is not None,
                        by_office=role in managers,
                        inbound_id=update.inbound_message_id,
                        disputed=update.id in disputed_updates,
                        evidence_of=update.id if update.evidence_file_id else None,
                        done_at=update.done_at,
                    )
                )
        if task_id is None:
            query = (
                select(
                    IndicatorValue,
                    Indicator.name,
                    Indicator.measure,
                    Official.full_name,
                    Official.role,
                )
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .outerjoin(Official, Official.id == IndicatorValue.reported_by_id)
                .where(IndicatorValue.unit_id == unit_id)
                .order_by(IndicatorValue.id.desc())
                .limit(limit)
            )
            if indicator_id is not None:
                query = query.where(IndicatorValue.indicator_id == indicator_id)
            for value, indicator, measure, name, role in session.execute(query):
                note(value, indicator)
                rows.append(
                    HistoryRow(
                        value.created_at,
                        who(name, value.reported_by_id),
                        indicator,
                        None,
                        None,
                        value.value,
                        value.numerator,
                        value.denominator,
                        None,
                        value.period_start,
                        value.retracted_at is not None,
                        measure,
                        by_office=role in managers,
                        inbound_id=value.inbound_message_id,
                        disputed=value.id in disputed_values,
                    )
                )
    rows.sort(key=lambda r: r.at, reverse=True)
    undoable = sorted(
        (
            (inbound_id, at, about)
            for inbound_id, (at, sender, about) in standing.items()
            if actor.manages or (sender is not None and sender == actor.official_id)
        ),
        key=lambda item: (item[1], item[0]),
        reverse=True,
    )
    return History(rows[:limit], undoable[:UNDO_BUTTONS])
