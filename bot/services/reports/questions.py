"""A report waiting for a choice: parked with its interpretation, the question asked, the
choice applied, the report stored once everything is settled."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.language.periods import Period, PeriodKind
from bot.language.statuses import Status
from bot.services.identity import Actor
from bot.services.reference import Reference, reference
from bot.services.reports.conflicts import Window
from bot.services.reports.ledger import record
from bot.services.reports.outcome import Asked, Message, Outcome, OutcomeKind, Question, local_day
from bot.services.reports.reading import check_permission, decide
from bot.understanding import parse_status_choice
from bot.understanding.model import (
    IndicatorItem,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
    TaskItem,
    UnitDecision,
    UnitPick,
)
from scheduling.answers import ReminderCancelling
from storage.db import Database
from storage.models import (
    PendingReport,
)


def park(
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
            "message": dataclasses.asdict(message),
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
            "decision": pick.decision.value,
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
                "done_on": t.done_on.isoformat() if t.done_on else None,
                "every": t.every,
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
                "not_arising": i.not_arising,
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

    units = {e.id: e for e in ref.catalogue.entries}
    unit_data = data.get("unit")
    pick = None
    if unit_data is not None:
        pick = UnitPick(
            decision=UnitDecision(unit_data["decision"]),
            unit=units.get(unit_data["id"]) if unit_data["id"] is not None else None,
            candidates=tuple(units[i] for i, _ in unit_data["candidates"] if i in units),
            written=unit_data.get("written", ""),
        )
    period = None
    if data.get("period"):
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
                done_on=date.fromisoformat(t["done_on"]) if t.get("done_on") else None,
                every=t.get("every", False),
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
                not_arising=i.get("not_arising", False),  # (rows parked before it was kept)
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


# What a plain yes settles: a task found by its content, a figure that moves a lot, a
# status said of every task of the unit.
_CONFIRMED = frozenset({ProblemCode.NEEDS_CONFIRMATION, ProblemCode.EVERY_TASK})


def question(interpretation: Interpretation, ref: Reference) -> Question | None:
    """What to ask next, or None when the report is complete."""
    pick = interpretation.unit
    if pick is not None and pick.decision is UnitDecision.ASK:
        return Question(Asked.UNIT, 0, pick.written, [(c.id, c.name) for c in pick.candidates[:4]])
    tasks = {t.id: t for t in ref.tasks}
    for index, item in enumerate(interpretation.tasks):
        if len(item.task_ids) > 1 or item.by_content:
            options = [
                (i, f"{tasks[i].code} {tasks[i].content}") for i in item.task_ids[:4] if i in tasks
            ]
            return Question(Asked.TASK, index, item.written, options)
    indicators = {i.id: i for i in ref.indicators}
    for index, value_item in enumerate(interpretation.indicators):
        if len(value_item.indicator_ids) > 1:
            options = [
                (i, indicators[i].name) for i in value_item.indicator_ids[:4] if i in indicators
            ]
            return Question(Asked.INDICATOR, index, value_item.written, options)
    for index, item in enumerate(interpretation.tasks):
        unclear = _unclear_status(interpretation, item)
        if unclear is not None:
            options = [(n, choice) for n, choice in enumerate(unclear.candidates, start=1)]
            return Question(Asked.STATUS, index, item.written, options)
    if any(p.code in _CONFIRMED for p in interpretation.problems):
        return Question(Asked.CONFIRM, 0, "", [])
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


def choose(
    db: Database,
    pending_id: int,
    option: int | None,
    actor: Actor,
    now: datetime,
    settings: Settings,
    reminders: ReminderCancelling,
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
        ref = reference(session, local_day(now, settings.tz))
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
            # a plain yes settles everything; a task chosen settles its content match
            and not (asked is not None and asked.kind is Asked.CONFIRM and p.code in _CONFIRMED)
            and not (
                asked is not None
                and asked.kind is Asked.TASK
                and p.code is ProblemCode.NEEDS_CONFIRMATION
                and p.value is None
            )
        ]
        if asked is not None and asked.kind is Asked.UNIT:
            check_permission(interpretation, actor)
            _check_assigned(interpretation, ref)
        outcome = decide(interpretation, ref)
        outcome.inbound_id = pending.inbound_message_id
        if outcome.kind is OutcomeKind.ASK:
            pending.payload = {**pending.payload, "interpretation": dump(interpretation)}
            outcome.pending_id = pending.id
            outcome.question = question(interpretation, ref)
            return outcome
        pending.closed_at = now
        if outcome.kind is OutcomeKind.STORED:
            message = _parked_message(pending.payload)
            outcome.correction = (
                message.edited or message.reply_to_bot or interpretation.intent is Intent.CORRECTION
            )
            window = Window.of(settings)
            record(session, outcome, actor, message, now, ref, reminders, window=window)
        return outcome


def _parked_message(payload: dict[str, Any]) -> Message:
    """The message a parked report came from (rows parked before the message was kept
    whole have its parts at the top level)."""
    if "message" in payload:
        kept = payload["message"]  # rows parked before inbound_id have transport, update_id
        known = {f.name for f in dataclasses.fields(Message)}
        return Message(**{"inbound_id": None, **{k: v for k, v in kept.items() if k in known}})
    return Message(
        None,
        payload.get("chat_id") or 0,
        payload.get("message_id"),
        payload["text"],
        edited=payload.get("edited", False),
        reply_to_bot=payload.get("reply_to_bot", False),
        evidence_file_id=payload.get("evidence"),
    )


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

    if asked.kind is Asked.UNIT and option is not None:
        unit = next((e for e in ref.catalogue.entries if e.id == option), None)
        interpretation.unit = UnitPick(UnitDecision.MATCH, unit, written=asked.subject)
    elif asked.kind is Asked.TASK and option is not None:
        interpretation.tasks[asked.index].task_ids = (option,)
        interpretation.tasks[asked.index].by_content = False
    elif asked.kind is Asked.INDICATOR and option is not None:
        interpretation.indicators[asked.index].indicator_ids = (option,)
    elif asked.kind is Asked.STATUS and option is not None:
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
