"""Handling one message: a report (or one per unit the office names), a question, an undo;
handled again after a crash, it is confirmed, not stored twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.language.periods import Period, reporting_period
from bot.language.statuses import Status
from bot.services.identity import Actor
from bot.services.reference import plan_reference, reference
from bot.services.reports.conflicts import Window
from bot.services.reports.ledger import (
    PERIODIC_KINDS,
    RECURRING,
    answering_periods,
    period_key,
    record,
    store,
)
from bot.services.reports.outcome import Message, Outcome, OutcomeKind, local_day, stored_task
from bot.services.reports.questions import park, question
from bot.services.reports.reading import context_for, decide, understand
from bot.services.reports.undoing import undo_request
from bot.understanding import unit_parts
from bot.understanding.model import (
    Intent,
    Problem,
    ProblemCode,
)
from scheduling.answers import ReminderCancelling
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    IndicatorValue,
    PendingReport,
    StatusUpdate,
    TaskStatus,
)


def handle(
    db: Database,
    message: Message,
    actor: Actor,
    now: datetime,
    settings: Settings,
    reminders: ReminderCancelling,
) -> Outcome:
    """Understand a message and act: store, ask, reject, undo or leave it to others;
    the reminders a stored report answers are stopped through ``reminders``."""
    today = local_day(now, settings.tz)
    cutoff_day, undo_window = settings.report_cutoff_day, settings.undo_window
    with db.session() as session:
        inbound_id = message.inbound_id
        if actor.manages and not message.edited:  # the office may name several units
            ref = reference(session, today)
            parts = unit_parts(message.text, context_for(ref, actor, today, cutoff_day))
            if len(parts) > 1:
                return _several(session, parts, message, actor, now, settings, reminders)
        interpretation, ref = understand(session, message.text, actor, today, cutoff_day)
        if interpretation.intent is Intent.UNDO:
            return undo_request(session, interpretation, actor, now, undo_window)
        outcome = decide(interpretation, ref)
        outcome.inbound_id = inbound_id
        outcome.correction = (
            message.edited or message.reply_to_bot or interpretation.intent is Intent.CORRECTION
        )
        if outcome.kind is OutcomeKind.ASK:
            outcome.question = question(interpretation, ref)
        if inbound_id is not None and _seen(session, outcome, inbound_id):
            return outcome  # handled again after a crash: confirmed again, not stored twice
        if outcome.kind is OutcomeKind.ASK:
            outcome.pending_id = park(session, interpretation, actor, inbound_id, message, now)
            return outcome
        if outcome.kind is OutcomeKind.STORED:
            window = Window.of(settings)
            record(session, outcome, actor, message, now, ref, reminders, window=window)
        return outcome


def _several(
    session: Session,
    parts: list[str],
    message: Message,
    actor: Actor,
    now: datetime,
    settings: Settings,
    reminders: ReminderCancelling,
) -> Outcome:
    """A message naming several units ("Xã A: …; Xã B: …"): each unit's part is read and
    stored for that unit, all of them or none (a part that is wrong or unsure stops the
    whole message, and the reply says which). A part that asks is answered after
    (the first question of the message: ``query``)."""
    today, cutoff_day = local_day(now, settings.tz), settings.report_cutoff_day
    inbound_id = message.inbound_id
    whole = Outcome(OutcomeKind.STORED, inbound_id=inbound_id)
    for text in parts:
        interpretation, ref = understand(session, text, actor, today, cutoff_day)
        part = decide(interpretation, ref)
        asked, part.query = part.query, None
        if part.kind is OutcomeKind.QUERY:
            asked = part  # "Xã A: số hóa 80/100; Xã B thế nào?": the question is answered
        whole.query = whole.query or asked
        if part.kind is OutcomeKind.QUERY:
            continue
        part.inbound_id = inbound_id
        part.correction = message.reply_to_bot or interpretation.intent is Intent.CORRECTION
        if part.unit is not None and any(p.unit == part.unit for p in whole.parts):
            problem = Problem(ProblemCode.REPEATED_UNIT, part.unit.name)
            interpretation.problems.append(problem)
            part.kind = OutcomeKind.REJECTED
        whole.parts.append(part)
    if not whole.parts and whole.query is not None:
        return whole.query  # every unit's part asks: one question
    if any(part.kind is not OutcomeKind.STORED for part in whole.parts):
        whole.kind = OutcomeKind.REJECTED
        return whole
    if inbound_id is not None and any(_seen(session, p, inbound_id) for p in whole.parts):
        return whole  # handled again after a crash: confirmed again, not stored twice
    for part in whole.parts:
        record(session, part, actor, message, now, ref, reminders, window=Window.of(settings))
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


def record_done(
    db: Database,
    assignment_id: int,
    actor: Actor,
    inbound_id: int | None,
    now: datetime,
    settings: Settings,
    reminders: ReminderCancelling,
    *,
    asked: Period | None = None,
) -> Outcome | None:
    """The **Đã xong** button under a reminder: the task is done, for the sender's unit
    (a recurring task: for the period the reminder ``asked`` about, when it names one).
    The facts point to the press (``inbound_id``), so ``hủy`` undoes it like a message."""

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
        period = reporting_period(
            local_day(now, settings.tz), cutoff_day=settings.report_cutoff_day
        )
        fact = stored_task(task, Status.DONE, None, None)
        if task.timeframe_kind == RECURRING:
            fact.period = asked
        outcome = Outcome(
            OutcomeKind.STORED, unit=unit, period=period, tasks=[fact], inbound_id=inbound_id
        )
        window = Window.of(settings)
        answering_periods(outcome, ref, window, now)
        periodic = task.timeframe_kind in PERIODIC_KINDS
        key = period_key((fact.period or period).start if periodic else None)
        current = session.get(CurrentStatus, (assignment_id, key))
        if current is not None and current.status is TaskStatus.DONE:
            return Outcome(OutcomeKind.ALREADY, unit=unit)
        store(session, outcome, actor, inbound_id, now, None, ref, reminders, window=window)
        return outcome
