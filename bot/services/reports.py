"""Reporting by message: understand, check, store with history, undo, complete a choice.

A message is read against the reference data (units, the current plan's tasks and
indicators) by :func:`bot.understanding.interpret`; this service adds what needs the
database: who may report for which unit, and a figure that jumps more than
``JUMP_POINTS`` from the unit's previous period. Then:

- a problem that makes the message wrong: nothing is stored, the reply says what to fix;
- something unsure (a unit, task or indicator to choose, a figure to confirm): nothing is
  stored yet; the interpretation waits in ``pending_reports`` until the sender chooses;
- otherwise every fact is stored at once, append-only, carrying the sender, the time, the
  period and the inbound message it came from. The current status of each assignment is
  upserted in the same transaction. Undo and corrections retract rows; nothing is deleted.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as update_statement
from sqlalchemy.orm import Session

from bot.language.periods import Period
from bot.language.statuses import Status
from bot.matching import UnitEntry
from bot.services import access
from bot.services.identity import Actor
from bot.services.reference import Reference, every_plan, plan_reference, reference
from bot.understanding import interpret, unit_parts
from bot.understanding.interpret import parse_status_choice
from bot.understanding.model import (
    Context,
    IndicatorItem,
    IndicatorRef,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
    TaskItem,
)
from scheduling.answers import answered_figure as cancel_for_indicator
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    IndicatorValue,
    PendingReport,
    Reminder,
    ReminderState,
    Role,
    StatusUpdate,
    TaskStatus,
)

JUMP_POINTS = Decimal(30)  # a figure moving more than this from the last period is confirmed
PERIODIC_KINDS = {"recurring", "continuous"}  # their statuses are kept per period
ONCE = "-"  # period key of a task with one deadline


class OutcomeKind(enum.StrEnum):
    STORED = "stored"
    ASK = "ask"  # a choice or a confirmation is needed; nothing stored yet
    REJECTED = "rejected"  # something is wrong; nothing stored
    INCOMPLETE = "incomplete"  # task codes without a status; nothing stored
    UNDONE = "undone"
    NOTHING_TO_UNDO = "nothing_to_undo"
    UNDO_TOO_OLD = "undo_too_old"  # the latest report is older than the undo window
    ALREADY_UNDONE = "already_undone"  # the latest report no longer stands
    QUERY = "query"
    HELP = "help"
    OTHER = "other"
    ALREADY = "already"  # the task was already recorded done (a button pressed twice)


@dataclass
class StoredTask:
    code: str
    content: str
    status: Status
    percent: int | None
    note: str | None


@dataclass
class StoredValue:
    indicator: IndicatorRef
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def meets(self) -> bool | None:
        target = self.indicator.target
        if target is None:
            return None
        if self.indicator.comparator == "<=":
            return self.value <= target
        if self.indicator.comparator == "=":
            return self.value == target
        return self.value >= target


Fact = StoredTask | StoredValue


def fact_key(fact: Fact) -> tuple[str, str | int]:
    """What a fact is about, for pairing a correction with what it replaces."""
    if isinstance(fact, StoredTask):
        return ("task", fact.code)
    return ("indicator", fact.indicator.id)


@dataclass
class Outcome:
    kind: OutcomeKind
    interpretation: Interpretation | None = None
    unit: UnitEntry | None = None
    period: Period | None = None
    tasks: list[StoredTask] = field(default_factory=list)
    values: list[StoredValue] = field(default_factory=list)
    missing_status: list[str] = field(default_factory=list)  # codes written without a status
    pending_id: int | None = None
    inbound_id: int | None = None
    correction: bool = False  # sent as a correction: "sửa: …", a reply to the bot, an edit
    # What the correction replaced, by fact_key; facts of the corrected reports that
    # still stand; facts an edited message no longer says (withdrawn with it).
    replaced: dict[tuple[str, str | int], Fact] = field(default_factory=dict)
    kept: list[Fact] = field(default_factory=list)
    dropped: list[Fact] = field(default_factory=list)
    restored: list[Fact] = field(default_factory=list)  # put back by undoing a correction
    at: datetime | None = None  # when the report undone (or not undone) was sent
    parts: list[Outcome] = field(default_factory=list)  # one per unit a message names
    window_hours: int | None = None  # how recent "hủy" reaches (with UNDO_TOO_OLD)
    evidence: bool = False
    no_plan: bool = False  # tasks were reported but no plan has been imported
    task_codes: dict[int, str] = field(default_factory=dict)  # id → code, for display
    indicator_names: dict[int, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return self.interpretation.problems if self.interpretation else []


def _today(now: datetime, tz) -> date:
    return now.astimezone(tz).date()


def context_for(ref: Reference, actor: Actor, today: date, cutoff_day: int) -> Context:
    return Context(
        catalogue=ref.catalogue,
        tasks=ref.tasks,
        indicators=ref.indicators,
        today=today,
        sender_unit_id=actor.unit_id,
        cutoff_day=cutoff_day,
        plan_year=ref.plan_year,
        oversees=actor.role in (Role.OFFICE, Role.LEADER, Role.ADMIN),
    )


def understand(
    session: Session, text: str, actor: Actor, today: date, cutoff_day: int = 15
) -> tuple[Interpretation, Reference]:
    """Read a message as the bot would and add the checks that need the database."""
    ref = reference(session, today)
    interpretation = interpret(text, context_for(ref, actor, today, cutoff_day))
    if interpretation.intent in (Intent.REPORT, Intent.CORRECTION):
        _check_permission(interpretation, actor)
        _check_jumps(session, interpretation, ref)
    return interpretation, ref


def _check_permission(interpretation: Interpretation, actor: Actor) -> None:
    pick = interpretation.unit
    if actor.role is Role.LEADER:
        interpretation.problems.append(Problem(ProblemCode.NOT_ALLOWED, subject="leader"))
        return
    if actor.role is Role.OFFICIAL:
        if pick is not None and pick.unit is not None and pick.unit.id != actor.unit_id:
            interpretation.problems.append(Problem(ProblemCode.NOT_ALLOWED, subject=pick.unit.name))
        return
    # Office and admin report for any unit, but must name it unless they have their own.
    unnamed = pick is None or (pick.unit is None and pick.decision in ("sender", "none"))
    if unnamed and not any(p.code is ProblemCode.UNKNOWN_UNIT for p in interpretation.problems):
        interpretation.problems.append(Problem(ProblemCode.UNKNOWN_UNIT))


def _check_jumps(session: Session, interpretation: Interpretation, ref: Reference) -> None:
    pick, period = interpretation.unit, interpretation.period
    if pick is None or pick.unit is None or period is None:
        return
    for item in interpretation.indicators:
        if len(item.indicator_ids) != 1 or item.value is None:
            continue
        previous = session.scalar(
            select(IndicatorValue.value)
            .where(
                IndicatorValue.indicator_id == item.indicator_ids[0],
                IndicatorValue.unit_id == pick.unit.id,
                IndicatorValue.period_start < period.start,
                IndicatorValue.retracted_at.is_(None),
            )
            .order_by(IndicatorValue.period_start.desc(), IndicatorValue.id.desc())
            .limit(1)
        )
        if previous is not None and abs(item.value - previous) > JUMP_POINTS:
            interpretation.problems.append(
                Problem(
                    ProblemCode.NEEDS_CONFIRMATION,
                    subject=item.written,
                    value=f"{_plain(previous)} → {_plain(item.value)}",
                )
            )


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


# -- from an interpretation to facts ---------------------------------------------------


def _facts(interpretation: Interpretation, ref: Reference) -> Outcome:
    """What would be stored (resolved items only), without storing it."""
    tasks = {t.id: t for t in ref.tasks}
    indicators = {i.id: i for i in ref.indicators}
    pick = interpretation.unit
    # What a problem is about is not shown as understood ("so hoa 120%"), nor a task
    # whose status is asked ("xong 50%").
    troubled = {
        p.subject
        for p in interpretation.problems
        if p.subject and (p in interpretation.blocking or p.code is ProblemCode.STATUS_UNCLEAR)
    }
    outcome = Outcome(
        OutcomeKind.STORED,
        interpretation,
        unit=pick.unit if pick else None,
        period=interpretation.period,
    )
    for item in interpretation.tasks:
        if len(item.task_ids) != 1:
            continue
        task = tasks.get(item.task_ids[0])
        if task is None:
            continue
        if task.code in troubled or item.written in troubled:
            continue
        if item.status is None:
            outcome.missing_status.append(task.code)
            continue
        outcome.tasks.append(
            StoredTask(task.code, task.content, item.status, item.percent, item.note)
        )
    for value_item in interpretation.indicators:
        if len(value_item.indicator_ids) != 1 or value_item.value is None:
            continue
        if value_item.written in troubled or value_item.quantity in troubled:
            continue
        indicator = indicators.get(value_item.indicator_ids[0])
        if indicator is not None:
            outcome.values.append(
                StoredValue(
                    indicator, value_item.value, value_item.numerator, value_item.denominator
                )
            )
    return outcome


def preview(db: Database, text: str, actor: Actor, today: date, cutoff_day: int = 15) -> Outcome:
    """What the bot would do with ``text``, storing nothing (``dondoc parse``)."""
    with db.session() as session:
        interpretation, ref = understand(session, text, actor, today, cutoff_day)
    return _decide(interpretation, ref)


def _decide(interpretation: Interpretation, ref: Reference) -> Outcome:
    outcome = _decide_kind(interpretation, ref)
    task_ids = {i for item in interpretation.tasks for i in item.task_ids}
    outcome.task_codes = {t.id: t.code for t in ref.tasks if t.id in task_ids}
    indicator_ids = {i for item in interpretation.indicators for i in item.indicator_ids}
    outcome.indicator_names = {i.id: i.name for i in ref.indicators if i.id in indicator_ids}
    return outcome


def _decide_kind(interpretation: Interpretation, ref: Reference) -> Outcome:
    intent = interpretation.intent
    if intent is Intent.UNDO:
        return Outcome(OutcomeKind.UNDONE, interpretation)
    if intent is Intent.QUERY:
        return Outcome(OutcomeKind.QUERY, interpretation)
    if intent is Intent.HELP:
        return Outcome(OutcomeKind.HELP, interpretation)
    if intent is Intent.OTHER:
        return Outcome(OutcomeKind.OTHER, interpretation)
    outcome = _facts(interpretation, ref)
    outcome.no_plan = not ref.tasks and bool(interpretation.tasks)
    if interpretation.blocking:
        outcome.kind = OutcomeKind.REJECTED
    elif interpretation.asking:
        outcome.kind = OutcomeKind.ASK
    elif not outcome.tasks and not outcome.values:
        outcome.kind = OutcomeKind.INCOMPLETE if outcome.missing_status else OutcomeKind.OTHER
    return outcome


# -- handling a message ----------------------------------------------------------------


@dataclass
class Message:
    """What the reporting service needs from an inbound message."""

    transport: str
    update_id: int
    chat_id: int
    message_id: int | None
    text: str
    edited: bool = False
    reply_to_bot: bool = False
    evidence_file_id: str | None = None


def handle(
    db: Database,
    message: Message,
    actor: Actor,
    now: datetime,
    tz,
    cutoff_day: int = 15,
    *,
    undo_window: timedelta,
) -> Outcome:
    """Understand a message and act: store, ask, reject, undo or leave it to others."""
    today = _today(now, tz)
    with db.session() as session:
        inbound_id = _inbound_id(session, message)
        if actor.manages and not message.edited:  # the office may name several units
            ref = reference(session, today)
            parts = unit_parts(message.text, context_for(ref, actor, today, cutoff_day))
            if len(parts) > 1:
                return _several(session, parts, message, actor, now, today, cutoff_day)
        interpretation, ref = understand(session, message.text, actor, today, cutoff_day)
        if interpretation.intent is Intent.UNDO:
            return _undo_request(session, interpretation, actor, now, undo_window)
        outcome = _decide(interpretation, ref)
        outcome.inbound_id = inbound_id
        outcome.correction = (
            message.edited or message.reply_to_bot or interpretation.intent is Intent.CORRECTION
        )
        if inbound_id is not None and _seen(session, outcome, inbound_id):
            return outcome  # handled again after a crash: confirmed again, not stored twice
        if outcome.kind is OutcomeKind.ASK:
            outcome.pending_id = _park(session, interpretation, actor, inbound_id, message, now)
            return outcome
        if outcome.kind is OutcomeKind.STORED:
            _record(session, outcome, actor, message, now, ref)
        return outcome


def _several(
    session: Session,
    parts: list[str],
    message: Message,
    actor: Actor,
    now: datetime,
    today: date,
    cutoff_day: int,
) -> Outcome:
    """A message naming several units ("Xã A: …; Xã B: …"): each unit's part is read and
    stored for that unit, all of them or none (a part that is wrong or unsure stops the
    whole message, and the reply says which)."""
    inbound_id = _inbound_id(session, message)
    whole = Outcome(OutcomeKind.STORED, inbound_id=inbound_id)
    for text in parts:
        interpretation, ref = understand(session, text, actor, today, cutoff_day)
        part = _decide(interpretation, ref)
        part.inbound_id = inbound_id
        part.correction = message.reply_to_bot or interpretation.intent is Intent.CORRECTION
        if part.unit is not None and any(p.unit == part.unit for p in whole.parts):
            problem = Problem(ProblemCode.REPEATED_UNIT, part.unit.name)
            interpretation.problems.append(problem)
            part.kind = OutcomeKind.REJECTED
        whole.parts.append(part)
    if any(part.kind is not OutcomeKind.STORED for part in whole.parts):
        whole.kind = OutcomeKind.REJECTED
        return whole
    if inbound_id is not None and any(_seen(session, p, inbound_id) for p in whole.parts):
        return whole  # handled again after a crash: confirmed again, not stored twice
    for part in whole.parts:
        _record(session, part, actor, message, now, ref)
    return whole


def _seen(session: Session, outcome: Outcome, inbound_id: int) -> bool:
    """Whether this message was acted on before (its facts stored, or its question
    parked); the outcome then points at what was done."""
    if outcome.kind is OutcomeKind.ASK:
        parked = session.scalar(
            select(PendingReport.id).where(PendingReport.inbound_message_id == inbound_id)
        )
        outcome.pending_id = parked
        return parked is not None
    if outcome.kind is OutcomeKind.STORED:
        return any(
            session.scalar(select(model.id).where(model.inbound_message_id == inbound_id).limit(1))
            is not None
            for model in (StatusUpdate, IndicatorValue)
        )
    return False


def _record(
    session: Session,
    outcome: Outcome,
    actor: Actor,
    message: Message,
    now: datetime,
    ref: Reference,
) -> None:
    """Store a report; a correction first withdraws what it replaces. An edited message
    replaces everything the message said before; "sửa: …" and a reply to the bot replace
    exactly the items they name, for the same unit and period."""
    inbound_id = outcome.inbound_id
    if message.edited:
        original = _original_of_edit(session, message)
        if original is not None and original != inbound_id:
            _replace_message(session, outcome, original, actor, now)
    elif outcome.correction:
        _replace_items(session, outcome, now, ref)
    _store(session, outcome, actor, inbound_id, now, message.evidence_file_id, ref)
    outcome.evidence = message.evidence_file_id is not None and bool(outcome.tasks)


def _inbound_id(session: Session, message: Message) -> int | None:
    return session.scalar(
        select(InboundMessage.id).where(
            InboundMessage.transport == message.transport,
            InboundMessage.update_id == message.update_id,
        )
    )


def _store(
    session: Session,
    outcome: Outcome,
    actor: Actor,
    inbound_id: int | None,
    now: datetime,
    evidence: str | None,
    ref: Reference,
) -> None:
    unit, period = outcome.unit, outcome.period
    assert unit is not None and period is not None
    by_code = {t.code: t for t in ref.tasks}
    for stored in outcome.tasks:
        task = by_code[stored.code]
        assignment = _assignment(session, task.id, unit.id)
        if assignment is None:  # checked by the understanding layer; a unit named anew
            continue
        periodic = task.timeframe_kind in PERIODIC_KINDS
        update = StatusUpdate(
            assignment_id=assignment.id,
            period_start=period.start if periodic else None,
            status=TaskStatus(stored.status.value),
            percent=stored.percent,
            note=stored.note,
            evidence_file_id=evidence,
            reported_by_id=actor.official_id,
            inbound_message_id=inbound_id,
            created_at=now,
        )
        session.add(update)
        session.flush()
        _set_current(session, assignment.id, _period_key(update.period_start), update, now)
        if stored.status is Status.DONE or periodic:
            # Answering stops the reminders about it (a periodic task: for this period).
            _stop_reminders(session, assignment.id, period.end if periodic else None)
    for value in outcome.values:
        cancel_for_indicator(session, value.indicator.id, unit.id, period.key)
        session.add(
            IndicatorValue(
                indicator_id=value.indicator.id,
                unit_id=unit.id,
                period_start=period.start,
                period_end=period.end,
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                reported_by_id=actor.official_id,
                inbound_message_id=inbound_id,
                created_at=now,
            )
        )
    session.flush()


def _stop_reminders(session: Session, assignment_id: int, until: date | None) -> None:
    query = update_statement(Reminder).where(
        Reminder.assignment_id == assignment_id, Reminder.state == ReminderState.PENDING
    )
    if until is not None:
        query = query.where(Reminder.due_at <= datetime.combine(until, datetime.max.time(), UTC))
    session.execute(query.values(state=ReminderState.CANCELLED))


def record_done(
    db: Database, assignment_id: int, actor: Actor, now: datetime, tz, cutoff_day: int = 15
) -> Outcome | None:
    """The **Đã xong** button under a reminder: the task is done, for the sender's unit."""
    from bot.language.periods import reporting_period

    with db.session() as session:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None:
            return None
        if not actor.manages and actor.unit_id != assignment.unit_id:
            return Outcome(OutcomeKind.REJECTED)
        ref = plan_reference(session, assignment.task.plan_id)  # the reminder's own plan
        task = next((t for t in ref.tasks if t.id == assignment.task_id), None)
        unit = next((e for e in ref.catalogue.entries if e.id == assignment.unit_id), None)
        if task is None or unit is None:
            return None
        period = reporting_period(_today(now, tz), cutoff_day=cutoff_day)
        periodic = task.timeframe_kind in PERIODIC_KINDS
        key = _period_key(period.start if periodic else None)
        current = session.get(CurrentStatus, (assignment_id, key))
        if current is not None and current.status is TaskStatus.DONE:
            return Outcome(OutcomeKind.ALREADY, unit=unit)
        outcome = Outcome(
            OutcomeKind.STORED,
            unit=unit,
            period=period,
            tasks=[StoredTask(task.code, task.content, Status.DONE, None, None)],
        )
        _store(session, outcome, actor, None, now, None, ref)
        return outcome


FINISHED = (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)


def _period_key(start: date | None) -> str:
    return start.isoformat() if start else ONCE


def _set_current(
    session: Session, assignment_id: int, key: str, update: StatusUpdate | None, now: datetime
) -> None:
    current = session.get(CurrentStatus, (assignment_id, key))
    if update is None:
        if current is not None:
            session.delete(current)
        return
    if current is None:
        current = CurrentStatus(assignment_id=assignment_id, period_key=key)
        session.add(current)
    current.status_update_id = update.id
    current.status = update.status
    current.percent = update.percent
    current.since = _since(session, update)
    current.updated_at = now


def _since(session: Session, update: StatusUpdate) -> datetime:
    """When the standing status began: the first report of it (done and not applicable
    count as one) after the last non-retracted report saying otherwise. A report that
    repeats "done" later does not make a task done late; a correction replaces the
    report it corrects, so it counts from when it was sent."""
    same = FINISHED if update.status in FINISHED else (update.status,)
    history = session.execute(
        select(StatusUpdate.status, StatusUpdate.created_at)
        .where(
            StatusUpdate.assignment_id == update.assignment_id,
            StatusUpdate.retracted_at.is_(None),
            StatusUpdate.period_start.is_(None)
            if update.period_start is None
            else StatusUpdate.period_start == update.period_start,
            StatusUpdate.id <= update.id,
        )
        .order_by(StatusUpdate.id.desc())
    )
    since = update.created_at
    for status, created_at in history:
        if status not in same:
            break
        since = created_at
    return since


# -- undo and corrections --------------------------------------------------------------
#
# A fact is withdrawn by setting ``retracted_at``; ``retracted_by_id`` names the
# correction that replaced it, so that undoing the correction puts it back. The current
# status of every assignment touched is recomputed in the same transaction.


def _assignment(session: Session, task_id: int, unit_id: int) -> Assignment | None:
    return session.scalar(
        select(Assignment).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)
    )


def _standing_update(session: Session, assignment_id: int, period_start: date | None):
    """The standing status report of one assignment (and period, for periodic tasks)."""
    return session.scalar(
        select(StatusUpdate)
        .where(
            StatusUpdate.assignment_id == assignment_id,
            StatusUpdate.retracted_at.is_(None),
            StatusUpdate.period_start.is_(None)
            if period_start is None
            else StatusUpdate.period_start == period_start,
        )
        .order_by(StatusUpdate.id.desc())
        .limit(1)
    )


def _standing_value(session: Session, indicator_id: int, unit_id: int, period_start: date):
    return session.scalar(
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.unit_id == unit_id,
            IndicatorValue.period_start == period_start,
            IndicatorValue.retracted_at.is_(None),
        )
        .order_by(IndicatorValue.id.desc())
        .limit(1)
    )


def _withdraw(
    session: Session,
    updates: Sequence[StatusUpdate],
    figures: Sequence[IndicatorValue],
    now: datetime,
    by: int | None = None,
) -> None:
    for row in (*updates, *figures):
        row.retracted_at, row.retracted_by_id = now, by
    session.flush()
    _recompute(session, updates, now)


def _recompute(session: Session, updates: Sequence[StatusUpdate], now: datetime) -> None:
    """Upsert the current status of the assignments (and periods) of ``updates``."""
    for key in {(u.assignment_id, u.period_start) for u in updates}:
        latest = _standing_update(session, *key)
        _set_current(session, key[0], _period_key(key[1]), latest, now)


def _as_facts(
    session: Session, updates: Sequence[StatusUpdate], figures: Sequence[IndicatorValue]
) -> list[Fact]:
    """Stored rows as the facts a reply lists, tasks first in plan order, whichever plan
    they belong to (rows of withdrawn tasks or indicators are left out)."""
    ref = every_plan(session)
    tasks = {t.id: t for t in ref.tasks}
    task_of = dict(
        session.execute(
            select(Assignment.id, Assignment.task_id).where(
                Assignment.id.in_({u.assignment_id for u in updates})
            )
        ).all()
    )
    order = {t.id: n for n, t in enumerate(ref.tasks)}
    facts: list[Fact] = []
    for update in sorted(updates, key=lambda u: order.get(task_of.get(u.assignment_id, -1), 0)):
        task = tasks.get(task_of.get(update.assignment_id, -1))
        if task is not None:
            status = Status(update.status.value)
            facts.append(StoredTask(task.code, task.content, status, update.percent, update.note))
    indicators = {i.id: i for i in ref.indicators}
    for figure in figures:
        indicator = indicators.get(figure.indicator_id)
        if indicator is not None:
            facts.append(StoredValue(indicator, figure.value, figure.numerator, figure.denominator))
    return facts


def _of_message(session: Session, inbound_id: int, actor: Actor | None = None):
    """The standing facts stored from one message (only the sender's, unless the actor
    manages: the office and admins may withdraw anyone's)."""
    updates = [StatusUpdate.inbound_message_id == inbound_id, StatusUpdate.retracted_at.is_(None)]
    values = [
        IndicatorValue.inbound_message_id == inbound_id,
        IndicatorValue.retracted_at.is_(None),
    ]
    if actor is not None and not actor.manages:
        updates.append(StatusUpdate.reported_by_id == actor.official_id)
        values.append(IndicatorValue.reported_by_id == actor.official_id)
    return (
        session.scalars(select(StatusUpdate).where(*updates)).all(),
        session.scalars(select(IndicatorValue).where(*values)).all(),
    )


def _replace_items(session: Session, outcome: Outcome, now: datetime, ref: Reference) -> None:
    """ "sửa: …": withdraw the unit's standing facts about exactly the items named (the same
    task and period, the same indicator and period) and note what else of the corrected
    reports still stands."""
    unit, period = outcome.unit, outcome.period
    assert unit is not None and period is not None
    by_code = {t.code: t for t in ref.tasks}
    updates: list[StatusUpdate] = []
    for stored in outcome.tasks:
        task = by_code[stored.code]
        assignment = _assignment(session, task.id, unit.id)
        if assignment is None:
            continue
        periodic = task.timeframe_kind in PERIODIC_KINDS
        found = _standing_update(session, assignment.id, period.start if periodic else None)
        if found is not None:
            updates.append(found)
    figures = [
        found
        for value in outcome.values
        if (found := _standing_value(session, value.indicator.id, unit.id, period.start))
    ]
    if not updates and not figures:
        return
    _withdraw(session, updates, figures, now, by=outcome.inbound_id)
    for fact in _as_facts(session, updates, figures):
        outcome.replaced[fact_key(fact)] = fact
    corrected = {r.inbound_message_id for r in (*updates, *figures)} - {None}
    for inbound_id in sorted(corrected):
        outcome.kept += _as_facts(session, *_of_message(session, inbound_id))


def _replace_message(
    session: Session,
    outcome: Outcome,
    original: int,
    actor: Actor,
    now: datetime,
) -> None:
    """An edited message: everything the message said before is withdrawn."""
    updates, figures = _of_message(session, original, actor)
    if not updates and not figures:
        return
    _withdraw(session, updates, figures, now, by=outcome.inbound_id)
    new = {fact_key(f) for f in (*outcome.tasks, *outcome.values)}
    for fact in _as_facts(session, updates, figures):
        if fact_key(fact) in new:
            outcome.replaced[fact_key(fact)] = fact
        else:
            outcome.dropped.append(fact)


def _latest_report(session: Session, actor: Actor) -> tuple[int, datetime] | None:
    """The sender's latest report (its inbound message and when it was stored), whether
    it still stands or not."""
    if actor.official_id is None:
        return None
    found = []
    for model in (StatusUpdate, IndicatorValue):
        row = session.execute(
            select(model.inbound_message_id, model.created_at)
            .where(model.reported_by_id == actor.official_id, model.inbound_message_id.is_not(None))
            .order_by(model.inbound_message_id.desc())
            .limit(1)
        ).first()
        if row is not None:
            found.append((row[0], row[1]))
    return max(found) if found else None


def _original_of_edit(session: Session, message: Message) -> int | None:
    """The first inbound row of the message being edited (same chat, same message id)."""
    if message.message_id is None:
        return None
    return session.scalar(
        select(InboundMessage.id)
        .where(
            InboundMessage.chat_id == message.chat_id,
            InboundMessage.message_id == message.message_id,
        )
        .order_by(InboundMessage.id)
        .limit(1)
    )


def _undo_request(
    session: Session,
    interpretation: Interpretation,
    actor: Actor,
    now: datetime,
    window: timedelta,
) -> Outcome:
    """ "hủy": the sender's latest report, if it is recent and still stands; "hủy nv 2.1":
    the sender's latest standing report on those tasks, if recent. Anything older is
    undone from /lichsu, never by repeating "hủy"."""
    if interpretation.tasks:
        return _undo_tasks(session, interpretation, actor, now, window)
    latest = _latest_report(session, actor)
    if latest is None:
        return Outcome(OutcomeKind.NOTHING_TO_UNDO, interpretation)
    inbound_id, at = latest
    updates, figures = _of_message(session, inbound_id, actor)
    if not updates and not figures:
        return Outcome(OutcomeKind.ALREADY_UNDONE, interpretation, at=at)
    if now - at > window:
        return _too_old(interpretation, at, window)
    return _undo(session, inbound_id, updates, figures, now, interpretation)


def _undo_tasks(
    session: Session,
    interpretation: Interpretation,
    actor: Actor,
    now: datetime,
    window: timedelta,
) -> Outcome:
    task_ids = {
        i for item in interpretation.tasks if len(item.task_ids) == 1 for i in item.task_ids
    }
    if actor.official_id is None or not task_ids:
        return Outcome(OutcomeKind.NOTHING_TO_UNDO, interpretation)
    updates = []
    for task_id in sorted(task_ids):
        found = session.scalar(
            select(StatusUpdate)
            .join(Assignment, Assignment.id == StatusUpdate.assignment_id)
            .where(
                Assignment.task_id == task_id,
                StatusUpdate.reported_by_id == actor.official_id,
                StatusUpdate.retracted_at.is_(None),
            )
            .order_by(StatusUpdate.id.desc())
            .limit(1)
        )
        if found is not None:
            updates.append(found)
    if not updates:
        return Outcome(OutcomeKind.NOTHING_TO_UNDO, interpretation)
    at = max(u.created_at for u in updates)
    if now - at > window:
        return _too_old(interpretation, at, window)
    return _undo(session, None, updates, [], now, interpretation)


def _too_old(interpretation: Interpretation, at: datetime, window: timedelta) -> Outcome:
    hours = int(window.total_seconds() // 3600)
    return Outcome(OutcomeKind.UNDO_TOO_OLD, interpretation, at=at, window_hours=hours)


def _undo(
    session: Session,
    inbound_id: int | None,
    updates: Sequence[StatusUpdate],
    figures: Sequence[IndicatorValue],
    now: datetime,
    interpretation: Interpretation | None = None,
) -> Outcome:
    """Withdraw ``updates`` and ``figures`` (all of message ``inbound_id``, or some of
    its items when None) and put back what they had replaced as a correction."""
    _withdraw(session, updates, figures, now)
    restored_updates, restored_figures = _restore(session, inbound_id, updates, figures, now)
    outcome = Outcome(OutcomeKind.UNDONE, interpretation, inbound_id=inbound_id)
    outcome.at = max(r.created_at for r in (*updates, *figures))
    outcome.tasks, outcome.values = [], []
    for fact in _as_facts(session, updates, figures):
        (outcome.tasks if isinstance(fact, StoredTask) else outcome.values).append(fact)
    outcome.restored = _as_facts(session, restored_updates, restored_figures)
    return outcome


def _restore(
    session: Session,
    inbound_id: int | None,
    updates: Sequence[StatusUpdate],
    figures: Sequence[IndicatorValue],
    now: datetime,
) -> tuple[list[StatusUpdate], list[IndicatorValue]]:
    """Put back the facts a correction replaced, when the correction is undone: all of
    them for a whole message, else those about the same items."""
    messages = {r.inbound_message_id for r in (*updates, *figures)} - {None}
    if not messages:
        return [], []
    back_updates = list(
        session.scalars(select(StatusUpdate).where(StatusUpdate.retracted_by_id.in_(messages)))
    )
    back_figures = list(
        session.scalars(select(IndicatorValue).where(IndicatorValue.retracted_by_id.in_(messages)))
    )
    if inbound_id is None:  # only the items undone
        keys = {(u.assignment_id, u.period_start) for u in updates}
        back_updates = [u for u in back_updates if (u.assignment_id, u.period_start) in keys]
        value_keys = {(f.indicator_id, f.unit_id, f.period_start) for f in figures}
        back_figures = [
            f for f in back_figures if (f.indicator_id, f.unit_id, f.period_start) in value_keys
        ]
    for row in (*back_updates, *back_figures):
        row.retracted_at, row.retracted_by_id = None, None
    session.flush()
    _recompute(session, back_updates, now)
    return back_updates, back_figures


def undo(db: Database, inbound_id: int, actor: Actor, now: datetime) -> Outcome:
    """The Hủy button under a confirmation or in /lichsu: withdraw exactly that report
    (whatever its age: the button names it)."""
    with db.session() as session:
        updates, figures = _of_message(session, inbound_id, actor)
        if not updates and not figures:
            return Outcome(OutcomeKind.NOTHING_TO_UNDO)
        return _undo(session, inbound_id, updates, figures, now)


# -- a report waiting for a choice -------------------------------------------------------


def _park(
    session: Session,
    interpretation: Interpretation,
    actor: Actor,
    inbound_id: int | None,
    message: Message,
    now: datetime,
) -> int | None:
    if actor.official_id is None:
        return None
    pending = PendingReport(
        official_id=actor.official_id,
        inbound_message_id=inbound_id,
        payload={
            "text": message.text,
            "edited": message.edited,
            "reply_to_bot": message.reply_to_bot,
            "chat_id": message.chat_id,
            "message_id": message.message_id,
            "evidence": message.evidence_file_id,
            "interpretation": dump(interpretation),
        },
        created_at=now,
    )
    session.add(pending)
    session.flush()
    return pending.id


def dump(interpretation: Interpretation) -> dict[str, Any]:
    """An interpretation as JSON-ready data (the pending row, the command line)."""
    pick = interpretation.unit
    period = interpretation.period
    return {
        "text": interpretation.text,
        "intent": interpretation.intent.value,
        "unit": None
        if pick is None
        else {
            "decision": pick.decision,
            "id": pick.unit.id if pick.unit else None,
            "name": pick.unit.name if pick.unit else None,
            "candidates": [[c.id, c.name] for c in pick.candidates],
            "written": pick.written,
        },
        "period": None
        if period is None
        else {
            "kind": period.kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "written": interpretation.period_written,
        },
        "tasks": [
            {
                "written": t.written,
                "task_ids": list(t.task_ids),
                "status": t.status.value if t.status else None,
                "percent": t.percent,
                "note": t.note,
                "by_content": t.by_content,
            }
            for t in interpretation.tasks
        ],
        "indicators": [
            {
                "written": i.written,
                "indicator_ids": list(i.indicator_ids),
                "value": _dec(i.value),
                "numerator": _dec(i.numerator),
                "denominator": _dec(i.denominator),
                "quantity": i.quantity,
            }
            for i in interpretation.indicators
        ],
        "problems": [
            {
                "code": p.code.value,
                "subject": p.subject,
                "candidates": list(p.candidates),
                "value": p.value,
            }
            for p in interpretation.problems
        ],
    }


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def load(data: dict[str, Any], ref: Reference) -> Interpretation:
    """The inverse of :func:`dump`, against the current reference data."""
    from bot.understanding.model import UnitPick

    units = {e.id: e for e in ref.catalogue.entries}
    unit_data = data.get("unit")
    pick = None
    if unit_data is not None:
        pick = UnitPick(
            decision=unit_data["decision"],
            unit=units.get(unit_data["id"]) if unit_data["id"] is not None else None,
            candidates=tuple(units[i] for i, _ in unit_data["candidates"] if i in units),
            written=unit_data.get("written", ""),
        )
    period = None
    if data.get("period"):
        from bot.language.periods import PeriodKind

        p = data["period"]
        period = Period(
            PeriodKind(p["kind"]), date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
        )
    return Interpretation(
        text=data["text"],
        intent=Intent(data["intent"]),
        unit=pick,
        period=period,
        period_written=(data.get("period") or {}).get("written"),
        tasks=[
            TaskItem(
                written=t["written"],
                task_ids=tuple(t["task_ids"]),
                status=Status(t["status"]) if t["status"] else None,
                percent=t["percent"],
                note=t["note"],
                by_content=t["by_content"],
            )
            for t in data["tasks"]
        ],
        indicators=[
            IndicatorItem(
                written=i["written"],
                indicator_ids=tuple(i["indicator_ids"]),
                value=_undec(i["value"]),
                numerator=_undec(i["numerator"]),
                denominator=_undec(i["denominator"]),
                quantity=i["quantity"],
            )
            for i in data["indicators"]
        ],
        problems=[
            Problem(ProblemCode(p["code"]), p["subject"], tuple(p["candidates"]), p["value"])
            for p in data["problems"]
        ],
    )


def _undec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class Question:
    """The first thing a pending report needs: what to ask and the options."""

    kind: str  # "unit", "task", "indicator", "status", "confirm"
    index: int  # which item (for task / indicator / status)
    subject: str
    # (id, label); empty for a plain confirmation. For "status" the label is a choice
    # ("in_progress:50", see :func:`bot.understanding.interpret.parse_status_choice`)
    # that the view puts in words.
    options: list[tuple[int, str]]


def question(interpretation: Interpretation, ref: Reference) -> Question | None:
    """What to ask next, or None when the report is complete."""
    pick = interpretation.unit
    if pick is not None and pick.decision == "ask":
        return Question("unit", 0, pick.written, [(c.id, c.name) for c in pick.candidates[:4]])
    tasks = {t.id: t for t in ref.tasks}
    for index, item in enumerate(interpretation.tasks):
        if len(item.task_ids) > 1 or item.by_content:
            options = [
                (i, f"{tasks[i].code} {tasks[i].content}") for i in item.task_ids[:4] if i in tasks
            ]
            return Question("task", index, item.written, options)
    indicators = {i.id: i for i in ref.indicators}
    for index, value_item in enumerate(interpretation.indicators):
        if len(value_item.indicator_ids) > 1:
            options = [
                (i, indicators[i].name) for i in value_item.indicator_ids[:4] if i in indicators
            ]
            return Question("indicator", index, value_item.written, options)
    for index, item in enumerate(interpretation.tasks):
        unclear = _unclear_status(interpretation, item)
        if unclear is not None:
            options = [(n, choice) for n, choice in enumerate(unclear.candidates, start=1)]
            return Question("status", index, item.written, options)
    if any(p.code is ProblemCode.NEEDS_CONFIRMATION for p in interpretation.problems):
        return Question("confirm", 0, "", [])
    return None


def _unclear_status(interpretation: Interpretation, item: TaskItem) -> Problem | None:
    """The question about a task's status ("xong 50%"), if one is open."""
    return next(
        (
            p
            for p in interpretation.problems
            if p.code is ProblemCode.STATUS_UNCLEAR and p.subject == item.written
        ),
        None,
    )


def pending_question(
    db: Database, pending_id: int, today: date
) -> tuple[Interpretation, Question] | None:
    with db.session() as session:
        pending = session.get(PendingReport, pending_id)
        if pending is None or pending.closed_at is not None:
            return None
        ref = reference(session, today)
        interpretation = load(pending.payload["interpretation"], ref)
        asked = question(interpretation, ref)
        return (interpretation, asked) if asked else None


def choose(
    db: Database, pending_id: int, option: int | None, actor: Actor, now: datetime, today: date
) -> Outcome | None:
    """Apply the sender's choice (an option id, or None to confirm) to a pending report.

    Returns the outcome: another question, or the stored report. None when the pending
    report is gone or belongs to someone else.
    """
    with db.session() as session:
        pending = session.get(PendingReport, pending_id)
        if (
            pending is None
            or pending.closed_at is not None
            or pending.official_id != actor.official_id
        ):
            return None
        ref = reference(session, today)
        interpretation = load(pending.payload["interpretation"], ref)
        asked = question(interpretation, ref)
        if asked is not None:
            _apply(interpretation, asked, option, ref)
        # The choice settles what was asked; recheck what depends on it.
        interpretation.problems = [
            p
            for p in interpretation.problems
            if p.code
            not in (
                ProblemCode.AMBIGUOUS_UNIT,
                ProblemCode.AMBIGUOUS_TASK,
                ProblemCode.AMBIGUOUS_INDICATOR,
            )
            and not (
                asked is not None
                and p.code is ProblemCode.NEEDS_CONFIRMATION
                # a plain yes settles everything; a task chosen settles its content match
                and (asked.kind == "confirm" or (asked.kind == "task" and p.value is None))
            )
        ]
        if asked is not None and asked.kind == "unit":
            _check_permission(interpretation, actor)
            _check_assigned(interpretation, ref)
        outcome = _decide(interpretation, ref)
        outcome.inbound_id = pending.inbound_message_id
        if outcome.kind is OutcomeKind.ASK:
            pending.payload = {**pending.payload, "interpretation": dump(interpretation)}
            outcome.pending_id = pending.id
            return outcome
        pending.closed_at = now
        if outcome.kind is OutcomeKind.STORED:
            payload = pending.payload
            message = Message(
                "pending",
                0,
                payload.get("chat_id") or 0,
                payload.get("message_id"),
                payload["text"],
                edited=payload.get("edited", False),
                reply_to_bot=payload.get("reply_to_bot", False),
                evidence_file_id=payload.get("evidence"),
            )
            outcome.correction = (
                message.edited or message.reply_to_bot or interpretation.intent is Intent.CORRECTION
            )
            _record(session, outcome, actor, message, now, ref)
        return outcome


def _check_assigned(interpretation: Interpretation, ref: Reference) -> None:
    """Tasks the (newly chosen) unit has no assignment for."""
    pick = interpretation.unit
    if pick is None or pick.unit is None:
        return
    tasks = {t.id: t for t in ref.tasks}
    for item in interpretation.tasks:
        if len(item.task_ids) == 1 and item.task_ids[0] in tasks:
            task = tasks[item.task_ids[0]]
            if pick.unit.id not in task.unit_ids:
                interpretation.problems.append(
                    Problem(ProblemCode.TASK_NOT_ASSIGNED, subject=task.code)
                )


def _apply(interpretation: Interpretation, asked: Question, option: int | None, ref) -> None:
    from bot.understanding.model import UnitPick

    if asked.kind == "unit" and option is not None:
        unit = next((e for e in ref.catalogue.entries if e.id == option), None)
        interpretation.unit = UnitPick("match", unit, written=asked.subject)
    elif asked.kind == "task" and option is not None:
        interpretation.tasks[asked.index].task_ids = (option,)
        interpretation.tasks[asked.index].by_content = False
    elif asked.kind == "indicator" and option is not None:
        interpretation.indicators[asked.index].indicator_ids = (option,)
    elif asked.kind == "status" and option is not None:
        choices = dict(asked.options)
        if option in choices:
            item = interpretation.tasks[asked.index]
            interpretation.problems.remove(_unclear_status(interpretation, item))
            item.status, item.percent = parse_status_choice(choices[option])


def cancel(db: Database, pending_id: int, actor: Actor, now: datetime) -> bool:
    with db.session() as session:
        pending = session.get(PendingReport, pending_id)
        if pending is None or pending.closed_at is not None:
            return False
        if pending.official_id != actor.official_id:
            return False
        pending.closed_at = now
        return True


# -- history ---------------------------------------------------------------------------


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
    from storage.models import Indicator, Official, Task

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
