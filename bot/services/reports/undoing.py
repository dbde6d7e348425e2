"""Undo: ``hủy`` reaches the sender's latest report only if it is recent, or drops the
message after it that still waits for the sender's choice (nothing of it was stored);
the Hủy buttons undo the report they name; undoing a correction puts back what it
replaced; an undone report is no longer part of a disagreement (its conflict closes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.identity import Actor
from bot.services.reports import conflicts
from bot.services.reports.ledger import as_facts, latest_report, of_message, recompute, withdraw
from bot.services.reports.outcome import Outcome, OutcomeKind, StoredTask
from bot.understanding.model import (
    Interpretation,
)
from storage.db import Database
from storage.models import (
    Assignment,
    IndicatorValue,
    PendingReport,
    StatusUpdate,
)


def undo_request(
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
    latest = latest_report(session, actor)
    waiting = _waiting(session, actor, now - window)
    if waiting is not None and (latest is None or waiting.created_at >= latest[1]):
        # "nv 2.1 xong" asked "Là cái nào?", then "hủy": the question is what to undo
        waiting.closed_at = now
        return Outcome(OutcomeKind.PENDING_DROPPED, interpretation, at=waiting.created_at)
    if latest is None:
        return Outcome(OutcomeKind.NOTHING_TO_UNDO, interpretation)
    inbound_id, at = latest
    updates, figures = of_message(session, inbound_id, actor)
    if not updates and not figures:
        return Outcome(OutcomeKind.ALREADY_UNDONE, interpretation, at=at)
    if now - at > window:
        return _too_old(interpretation, at, window)
    return _undo(session, inbound_id, updates, figures, now, interpretation)


def _waiting(session: Session, actor: Actor, since: datetime) -> PendingReport | None:
    """The sender's latest message still waiting for a choice, if sent since ``since``."""
    if actor.official_id is None:
        return None
    return session.scalar(
        select(PendingReport)
        .where(
            PendingReport.official_id == actor.official_id,
            PendingReport.closed_at.is_(None),
            PendingReport.created_at >= since,
        )
        .order_by(PendingReport.created_at.desc(), PendingReport.id.desc())
        .limit(1)
    )


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
    withdraw(session, updates, figures, now)
    conflicts.close_withdrawn(session, updates, figures, now)
    restored_updates, restored_figures = _restore(session, inbound_id, updates, figures, now)
    outcome = Outcome(OutcomeKind.UNDONE, interpretation, inbound_id=inbound_id)
    outcome.at = max(r.created_at for r in (*updates, *figures))
    outcome.tasks, outcome.values = [], []
    for fact in as_facts(session, updates, figures):
        (outcome.tasks if isinstance(fact, StoredTask) else outcome.values).append(fact)
    outcome.restored = as_facts(session, restored_updates, restored_figures)
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
    recompute(session, back_updates, now)
    return back_updates, back_figures


def undo(db: Database, inbound_id: int, actor: Actor, now: datetime) -> Outcome:
    """The Hủy button under a confirmation or in /lichsu: withdraw exactly that report
    (whatever its age: the button names it)."""
    with db.session() as session:
        updates, figures = of_message(session, inbound_id, actor)
        if not updates and not figures:
            return Outcome(OutcomeKind.NOTHING_TO_UNDO)
        return _undo(session, inbound_id, updates, figures, now)
