"""The facts: status updates and figures, append-only, with the current status of each
assignment upserted in the same transaction; corrections withdraw exactly what they
replace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from bot.checks import required
from bot.language.periods import Period, local_midnight, period_of
from bot.language.statuses import Status
from bot.services.identity import Actor
from bot.services.reference import Reference, every_plan
from bot.services.reports import conflicts
from bot.services.reports.conflicts import Window
from bot.services.reports.outcome import (
    Fact,
    Message,
    Outcome,
    StoredValue,
    fact_key,
    stored_task,
)
from bot.understanding.model import TaskRef
from scheduling.answers import ReminderCancelling
from scheduling.policy import answered_period, cadence_kind
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    IndicatorValue,
    StatusUpdate,
    TaskStatus,
)

RECURRING = "recurring"  # one report per period of its cadence
PERIODIC_KINDS = {RECURRING, "continuous"}  # their statuses are kept per period
ONCE = "-"  # period key of a task with one deadline
FINISHED = (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)  # done on time: either counts


def record(
    session: Session,
    outcome: Outcome,
    actor: Actor,
    message: Message,
    now: datetime,
    ref: Reference,
    reminders: ReminderCancelling,
    *,
    window: Window,
) -> None:
    """Store a report; a correction first withdraws what it replaces. An edited message
    replaces everything the message said before; "sửa: …" and a reply to the bot replace
    exactly the items they name, for the same unit and period. A fact that disagrees
    with another reporter's (in ``window``) opens a conflict for the office."""
    inbound_id = outcome.inbound_id
    answering_periods(outcome, ref, window, now)
    if message.edited:
        original = _original_of_edit(session, message)
        if original is not None and original != inbound_id:
            _replace_message(session, outcome, original, actor, now)
    elif outcome.correction:
        _replace_items(session, outcome, now, ref)
    store(
        session,
        outcome,
        actor,
        inbound_id,
        now,
        message.evidence_file_id,
        ref,
        reminders,
        window=window,
    )
    outcome.evidence = message.evidence_file_id is not None and bool(outcome.tasks)


def store(
    session: Session,
    outcome: Outcome,
    actor: Actor,
    inbound_id: int | None,
    now: datetime,
    evidence: str | None,
    ref: Reference,
    reminders: ReminderCancelling,
    *,
    window: Window,
) -> None:
    """Store the facts of ``outcome``, upsert the current statuses, stop the reminders
    the report answers (through ``reminders``, in the same transaction), and open a
    conflict where a fact disagrees with another reporter's (:mod:`.conflicts`). The
    periods of its recurring tasks are named before (:func:`answering_periods`)."""
    unit, period = outcome.unit, outcome.period
    unit = required(unit, "unit")
    period = required(period, "period")
    by_code = {t.code: t for t in ref.tasks}
    for stored in outcome.tasks:
        task = by_code[stored.code]
        assignment = _assignment(session, task.id, unit.id)
        if assignment is None:  # checked by the understanding layer; a unit named anew
            continue
        periodic = task.timeframe_kind in PERIODIC_KINDS
        own = stored.period or period  # a recurring task's report is for its own period
        update = StatusUpdate(
            assignment_id=assignment.id,
            period_start=own.start if periodic else None,
            status=TaskStatus(stored.status.value),
            percent=stored.percent,
            note=stored.note,
            done_at=_start_of(stored.done_on, window) if stored.status is Status.DONE else None,
            evidence_file_id=evidence,
            reported_by_id=actor.official_id,
            inbound_message_id=inbound_id,
            created_at=now,
        )
        session.add(update)
        session.flush()
        _set_current(session, assignment.id, period_key(update.period_start), update, now)
        conflicts.check(session, update, unit.id, actor, outcome.correction, now, window)
        if stored.status is Status.DONE or periodic:
            # Answering stops the reminders about it (a periodic task: for this period).
            reminders.answered_task(session, assignment.id, own.end if periodic else None)
    for value in outcome.values:
        reminders.answered_figure(session, value.indicator.id, unit.id, period.key)
        figure = IndicatorValue(
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
        session.add(figure)
        session.flush()
        conflicts.check(session, figure, unit.id, actor, outcome.correction, now, window)


def answering_periods(outcome: Outcome, ref: Reference, window: Window, now: datetime) -> None:
    """Name the period each recurring task's report is for (``StoredTask.period``): one
    report per period of the task's cadence. With no period written, the one due nearest
    to the day it was sent (:func:`scheduling.policy.answered_period`), not the message's
    reporting month (a third quarter's report sent on 20/9 was October's, so the fourth
    quarter's). A period written stays the message's ("báo cáo quý 3: nv 4.2 xong"),
    unless it is a part of one of the task's periods: "báo cáo tháng 12" is the fourth
    quarter's report of a quarterly task. A period already named (the reminder a
    **Đã xong** answers) is kept."""
    interpretation = outcome.interpretation
    written = outcome.period if interpretation and interpretation.period_written else None
    recurring = {t.code: t for t in ref.tasks if t.timeframe_kind == RECURRING}
    today = now.astimezone(window.tz).date()
    for stored in outcome.tasks:
        task = recurring.get(stored.code)
        if task is None or stored.period is not None:
            continue
        stored.period = answered_by(task, written, today, window.cutoff_day)


def answered_by(
    task: TaskRef, written: Period | None, today: date, cutoff_day: int
) -> Period | None:
    """The period of recurring ``task`` a report of it sent on ``today`` answers, with
    ``written`` the period the message wrote (None: none written); None when it is the
    message's own (:func:`answering_periods`)."""
    kind = cadence_kind(task.recurrence)
    if written is None:
        return answered_period(kind, today, cutoff_day)
    holding = period_of(kind, written.start)
    return holding if holding.end >= written.end else None


def _start_of(day: date | None, window: Window) -> datetime | None:
    """The start of a day written in a report, in the deployment's time zone."""
    return local_midnight(day, window.tz).astimezone(UTC) if day is not None else None


def period_key(start: date | None) -> str:
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
    report it corrects, so it counts from when it was sent. A report of the day the
    work was done ("hoàn thành ngày 28/11") counts from that day."""
    same = FINISHED if update.status in FINISHED else (update.status,)
    history = session.execute(
        select(StatusUpdate.status, func.coalesce(StatusUpdate.done_at, StatusUpdate.created_at))
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
    since = update.finished_at
    for status, at in history:
        if status not in same:
            break
        since = min(since, at)
    return since


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


def withdraw(
    session: Session,
    updates: Sequence[StatusUpdate],
    figures: Sequence[IndicatorValue],
    now: datetime,
    by: int | None = None,
) -> None:
    for row in (*updates, *figures):
        row.retracted_at, row.retracted_by_id = now, by
    session.flush()
    recompute(session, updates, now)


def recompute(session: Session, updates: Sequence[StatusUpdate], now: datetime) -> None:
    """Upsert the current status of the assignments (and periods) of ``updates``."""
    for key in {(u.assignment_id, u.period_start) for u in updates}:
        latest = _standing_update(session, *key)
        _set_current(session, key[0], period_key(key[1]), latest, now)


def as_facts(
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
            fact = stored_task(task, status, update.percent, update.note)
            if task.timeframe_kind == RECURRING and update.period_start is not None:
                fact.period = period_of(cadence_kind(task.recurrence), update.period_start)
            facts.append(fact)
    indicators = {i.id: i for i in ref.indicators}
    for figure in figures:
        indicator = indicators.get(figure.indicator_id)
        if indicator is not None:
            facts.append(StoredValue(indicator, figure.value, figure.numerator, figure.denominator))
    return facts


def of_message(session: Session, inbound_id: int, actor: Actor | None = None):
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
    unit = required(unit, "unit")
    period = required(period, "period")
    by_code = {t.code: t for t in ref.tasks}
    updates: list[StatusUpdate] = []
    for stored in outcome.tasks:
        task = by_code[stored.code]
        assignment = _assignment(session, task.id, unit.id)
        if assignment is None:
            continue
        periodic = task.timeframe_kind in PERIODIC_KINDS
        own = stored.period or period
        found = _standing_update(session, assignment.id, own.start if periodic else None)
        if found is not None:
            updates.append(found)
    figures = [
        found
        for value in outcome.values
        if (found := _standing_value(session, value.indicator.id, unit.id, period.start))
    ]
    if not updates and not figures:
        return
    withdraw(session, updates, figures, now, by=outcome.inbound_id)
    for fact in as_facts(session, updates, figures):
        outcome.replaced[fact_key(fact)] = fact
    corrected = {r.inbound_message_id for r in (*updates, *figures)} - {None}
    for inbound_id in sorted(corrected):
        outcome.kept += as_facts(session, *of_message(session, inbound_id))


def _replace_message(
    session: Session,
    outcome: Outcome,
    original: int,
    actor: Actor,
    now: datetime,
) -> None:
    """An edited message: everything the message said before is withdrawn."""
    updates, figures = of_message(session, original, actor)
    if not updates and not figures:
        return
    withdraw(session, updates, figures, now, by=outcome.inbound_id)
    new = {fact_key(f) for f in (*outcome.tasks, *outcome.values)}
    for fact in as_facts(session, updates, figures):
        if fact_key(fact) in new:
            outcome.replaced[fact_key(fact)] = fact
        else:
            outcome.dropped.append(fact)


def latest_report(session: Session, actor: Actor) -> tuple[int, datetime] | None:
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
    """The first inbound row of the message being edited (same chat, same message id, the
    same bot's): first in Telegram's order (update ids), which with several instances is
    not always the order the rows were logged in."""
    if message.message_id is None:
        return None
    query = select(InboundMessage.id).where(
        InboundMessage.chat_id == message.chat_id,
        InboundMessage.message_id == message.message_id,
    )
    if message.inbound_id is not None:
        own = aliased(InboundMessage)
        query = query.join(
            own,
            and_(
                own.id == message.inbound_id,
                own.transport == InboundMessage.transport,
                own.bot_id == InboundMessage.bot_id,
            ),
        )
    return session.scalar(query.order_by(InboundMessage.update_id, InboundMessage.id).limit(1))
