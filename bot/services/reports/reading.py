"""Reading a report against the reference data and the database: who may report for which
unit, a figure that jumps, what would be stored (``preview``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.language.statuses import Status
from bot.services.identity import Actor
from bot.services.reference import Reference, reference
from bot.services.reports.ledger import PERIODIC_KINDS, RECURRING, answered_by, period_key
from bot.services.reports.outcome import Outcome, OutcomeKind, StoredValue, stored_task
from bot.understanding import interpret
from bot.understanding.model import (
    Context,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
    UnitDecision,
)
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    IndicatorValue,
    Role,
    TaskStatus,
)

JUMP_POINTS = Decimal(30)  # a figure moving more than this from the last period is confirmed


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
        may_report=actor.role is not Role.LEADER,
    )


def understand(
    session: Session, text: str, actor: Actor, today: date, cutoff_day: int
) -> tuple[Interpretation, Reference]:
    """Read a message as the bot would and add the checks that need the database."""
    ref = reference(session, today)
    interpretation = interpret(text, context_for(ref, actor, today, cutoff_day))
    if interpretation.intent in (Intent.REPORT, Intent.CORRECTION):
        check_permission(interpretation, actor)
        _check_jumps(session, interpretation, ref)
        _without_finished(session, interpretation, ref, today, cutoff_day)
    return interpretation, ref


def check_permission(interpretation: Interpretation, actor: Actor) -> None:
    pick = interpretation.unit
    if actor.role is Role.LEADER:
        interpretation.problems.append(Problem(ProblemCode.NOT_ALLOWED, subject="leader"))
        return
    if actor.role is Role.OFFICIAL:
        if pick is not None and pick.unit is not None and pick.unit.id != actor.unit_id:
            interpretation.problems.append(Problem(ProblemCode.NOT_ALLOWED, subject=pick.unit.name))
        return
    # Office and admin report for any unit, but must name it unless they have their own.
    unnamed = pick is None or (
        pick.unit is None and pick.decision in (UnitDecision.SENDER, UnitDecision.NONE)
    )
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
                IndicatorValue.value.is_not(None),  # nothing arose then: no figure
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


def _without_finished(
    session: Session, interpretation: Interpretation, ref: Reference, today: date, cutoff_day: int
) -> None:
    """ "Đã xong hết các nhiệm vụ": leave out of every task of the unit those it has
    finished (done, or not applicable) for good, or for the period the report would be
    stored for (a periodic task's); say so when none is left."""
    pick, period = interpretation.unit, interpretation.period
    written = period if interpretation.period_written else None
    every = [item for item in interpretation.tasks if item.every]
    if not every or pick is None or pick.unit is None or period is None:
        return
    tasks = {t.id: t for t in ref.tasks}
    finished = {
        (task_id, key)
        for task_id, key in session.execute(
            select(Assignment.task_id, CurrentStatus.period_key)
            .join(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(
                Assignment.unit_id == pick.unit.id,
                Assignment.task_id.in_([i for item in every for i in item.task_ids]),
                CurrentStatus.status.in_((TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)),
            )
        )
    }

    def done(task_id: int) -> bool:
        task = tasks[task_id]
        own = period
        if task.timeframe_kind == RECURRING:
            own = answered_by(task, written, today, cutoff_day) or period
        key = period_key(own.start if task.timeframe_kind in PERIODIC_KINDS else None)
        return (task_id, key) in finished

    left = [item for item in every if not done(item.task_ids[0])]
    if len(left) == len(every):
        return
    kept = {id(item) for item in left}
    interpretation.tasks = [
        item for item in interpretation.tasks if not item.every or id(item) in kept
    ]
    problems = interpretation.problems
    for index, problem in enumerate(problems):
        if problem.code is ProblemCode.EVERY_TASK:
            problems[index] = (
                replace(problem, value=str(len(left)))
                if left
                else Problem(ProblemCode.NO_TASK_LEFT, problem.subject, value="done")
            )


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


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
        done_on = item.done_on if item.status is Status.DONE else None
        outcome.tasks.append(stored_task(task, item.status, item.percent, item.note, done_on))
    for value_item in interpretation.indicators:
        if len(value_item.indicator_ids) != 1:
            continue
        if value_item.written in troubled or value_item.quantity in troubled:
            continue
        indicator = indicators.get(value_item.indicator_ids[0])
        if indicator is not None and value_item.not_arising:
            outcome.values.append(StoredValue(indicator, None, None, None))
        elif indicator is not None and value_item.value is not None:
            outcome.values.append(
                StoredValue(
                    indicator, value_item.value, value_item.numerator, value_item.denominator
                )
            )
    return outcome


def preview(db: Database, text: str, actor: Actor, today: date, settings: Settings) -> Outcome:
    """What the bot would do with ``text`` on ``today``, storing nothing (``dondoc parse``,
    ``/tinhhinh``)."""
    with db.session() as session:
        interpretation, ref = understand(session, text, actor, today, settings.report_cutoff_day)
    return decide(interpretation, ref)


def decide(interpretation: Interpretation, ref: Reference) -> Outcome:
    outcome = _decide_kind(interpretation, ref)
    if interpretation.question is not None:
        outcome.query = decide(interpretation.question, ref)
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
        if outcome.missing_status:
            outcome.kind = OutcomeKind.INCOMPLETE
        else:
            outcome.kind = OutcomeKind.OTHER
    return outcome
