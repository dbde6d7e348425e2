"""Confirming a draft: it becomes a new plan, or is merged into the imported plan of
the same year it corrects (tasks updated by code, new ones added, missing ones
withdrawn; assignments with reported statuses are never deleted; a deadline the office
moved stands where the file still says what the plan said before the move)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.checks import required
from bot.services.plans.moving import kept_move, moves_in_force
from bot.services.plans.summaries import load_plan, same_plan_as
from bot.services.reference import changed as reference_changed
from storage.db import Database
from storage.models import (
    Assignment,
    Indicator,
    Plan,
    PlanDuty,
    StatusUpdate,
    Task,
)


@dataclass
class ImportOutcome:
    plan_id: int
    merged: bool  # into an existing plan (a corrected version)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    kept_deadlines: list[str] = field(default_factory=list)  # moved by the office, kept
    unchanged: int = 0
    assignments: int = 0


_TASK_FIELDS = (
    "written_code",
    "code_generated",
    "position",
    "section",
    "content",
    "product",
    "lead_text",
    "cooperate_text",
    "timeframe_text",
    "timeframe_kind",
    "due_date",
    "start_date",
    "recurrence",
)
# Fields that say where a task stands or how its number was read, not what it is: a
# change in them alone is no correction ("6.1", a number Đôn Đốc gave a row, written in
# the corrected file).
_BOOKKEEPING = frozenset({"position", "written_code", "code_generated"})
_DEADLINE = frozenset({"timeframe_kind", "due_date"})  # what the office may have moved
_INDICATOR_FIELDS = ("name", "measure", "comparator", "target", "source", "task_code", "units_text")


def _same_plan(session: Session, draft: Plan) -> Plan | None:
    """The imported plan a draft corrects: of the same year (a year assumed for a file
    that writes none counts as written), with the same title, else the same issuer.
    A plan of another year is never updated."""
    return same_plan_as(session, draft.title, draft.issuer, draft.year)


def confirm(db: Database, plan_id: int, now: datetime) -> ImportOutcome | None:
    """Import a draft: make it the plan, or merge it into the plan it corrects."""
    with db.session() as session:
        draft = load_plan(session, plan_id)
        if draft is None or not draft.draft:
            return None
        for indicator in [i for i in draft.indicators if not i.keep]:
            draft.indicators.remove(indicator)
        target = _same_plan(session, draft)
        reference_changed(session)
        if target is None:
            draft.draft, draft.active, draft.updated_at = False, True, now
            session.flush()
            return ImportOutcome(
                draft.id,
                merged=False,
                added=[t.code for t in draft.tasks],
                assignments=sum(len(t.assignments) for t in draft.tasks),
            )
        target = load_plan(session, target.id)
        target = required(target, "target")
        outcome = _merge(session, target, draft, now)
        session.delete(draft)
        session.flush()
        return outcome


def _merge(session: Session, target: Plan, draft: Plan, now: datetime) -> ImportOutcome:
    outcome = ImportOutcome(target.id, merged=True)
    existing = {t.code: t for t in target.tasks}
    moves = moves_in_force(session, list(existing.values()))
    for new in draft.tasks:
        old = existing.pop(new.code, None)
        if old is None:
            copy = Task(code=new.code, **{f: getattr(new, f) for f in _TASK_FIELDS})
            copy.assignments = [Assignment(unit_id=a.unit_id, role=a.role) for a in new.assignments]
            target.tasks.append(copy)
            outcome.added.append(new.code)
            continue
        changed = old.withdrawn_at is not None
        # the file says what the plan said before the office moved the deadline: it stands
        keep = kept_move(moves.get(old.id), new.timeframe_kind, new.due_date)
        if keep:
            outcome.kept_deadlines.append(old.code)
        for name in _TASK_FIELDS:
            if keep and name in _DEADLINE:
                continue
            if getattr(old, name) != getattr(new, name):
                setattr(old, name, getattr(new, name))
                changed = changed or name not in _BOOKKEEPING
        old.withdrawn_at = None
        changed = _sync_assignments(session, old, new) or changed
        if changed:
            outcome.updated.append(old.code)
        else:
            outcome.unchanged += 1
    for old in existing.values():
        if old.withdrawn_at is None:
            old.withdrawn_at = now
            outcome.withdrawn.append(old.code)

    indicators = {i.code: i for i in target.indicators}
    for new in draft.indicators:
        old_indicator = indicators.pop(new.code, None)
        if old_indicator is None:
            target.indicators.append(
                Indicator(
                    code=new.code,
                    aliases=list(new.aliases or []),
                    keep=True,
                    **{f: getattr(new, f) for f in _INDICATOR_FIELDS},
                )
            )
            continue
        for name in _INDICATOR_FIELDS:
            setattr(old_indicator, name, getattr(new, name))
        old_indicator.aliases = list(new.aliases or [])
        old_indicator.withdrawn_at = None
    for old_indicator in indicators.values():
        old_indicator.withdrawn_at = old_indicator.withdrawn_at or now

    target.duties = [
        PlanDuty(
            text=d.text,
            recurrence=d.recurrence,
            unit_ids=list(d.unit_ids),
            weekday=d.weekday,
            due_time=d.due_time,
        )
        for d in draft.duties
    ]
    target.warnings = list(draft.warnings or [])
    target.year_source = draft.year_source or target.year_source
    target.source_filename = draft.source_filename
    target.source = draft.source
    target.issuer = draft.issuer or target.issuer
    target.updated_at = now
    session.flush()
    outcome.assignments = sum(len(t.assignments) for t in target.tasks if t.withdrawn_at is None)
    return outcome


def _sync_assignments(session: Session, old: Task, new: Task) -> bool:
    wanted = {a.unit_id: a.role for a in new.assignments}
    changed = False
    for assignment in list(old.assignments):
        role = wanted.pop(assignment.unit_id, None)
        if role is None:
            has_history = session.scalar(
                select(exists().where(StatusUpdate.assignment_id == assignment.id))
            )
            if not has_history:  # a unit with reports keeps its assignment and history
                old.assignments.remove(assignment)
                changed = True
        elif assignment.role != role:
            assignment.role = role
            changed = True
    for unit_id, role in wanted.items():
        old.assignments.append(Assignment(unit_id=unit_id, role=role))
        changed = True
    return changed
