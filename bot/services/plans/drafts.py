"""Drafts: a preview stored as a draft plan (it survives a restart), settled by the
office (targets inside task texts, unsure units) or dropped."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete

from bot.checks import required
from bot.language.normalize import fold
from bot.plans.files import clean_name
from bot.plans.model import WarningKind
from bot.plans.resolve import ResolvedPlan, recurrence_name
from bot.services.identity import Actor
from bot.services.ocr import OCR_SECONDS
from bot.services.plans.reading import read_plan, warning_json
from bot.services.plans.summaries import (
    PlanSummary,
    indicator_row,
    load_plan,
    summarise_plan,
    summary,
)
from bot.services.reference import changed as reference_changed
from bot.services.units import unit_catalogue
from storage.db import Database
from storage.models import (
    AliasKind,
    Assignment,
    Plan,
    PlanDuty,
    Task,
    TaskUnitRole,
    Unit,
    UnitAlias,
)


def store_draft(
    db: Database, resolved: ResolvedPlan, filename: str, actor: Actor, now: datetime
) -> int:
    """Store a preview as a draft plan; returns its id. Older drafts of the person go."""
    draft = resolved.draft
    filename = clean_name(filename)
    with db.session() as session:
        if actor.official_id is not None:
            session.execute(
                delete(Plan).where(Plan.draft.is_(True), Plan.created_by_id == actor.official_id)
            )
        plan = Plan(
            title=draft.title or filename,
            issuer=draft.issuer,
            year=draft.year,
            year_source=draft.year_source.value if draft.year_source else None,
            source_filename=filename,
            active=False,
            draft=True,
            created_by_id=actor.official_id,
            warnings=[warning_json(w) for w in draft.warnings],
            created_at=now,
        )
        session.add(plan)
        for position, task in enumerate(resolved.tasks, start=1):
            row = _task_row(task.draft, position)
            for unit_id, (_unit, role) in task.units().items():
                row.assignments.append(Assignment(unit_id=unit_id, role=TaskUnitRole(role)))
            plan.tasks.append(row)
        plan.indicators.extend(indicator_row(i) for i in draft.indicators)
        plan.duties.extend(
            PlanDuty(
                text=d.duty.text,
                recurrence=d.recurrence,
                unit_ids=[u.id for u in d.units],
                weekday=d.weekday,
                due_time=d.due_time,
            )
            for d in resolved.duties
        )
        session.flush()
        return plan.id


def _task_row(draft, position: int) -> Task:
    timeframe = draft.timeframe
    return Task(
        code=draft.code[:32],
        written_code=(draft.written_code or None) and draft.written_code[:32],
        code_generated=draft.code_generated,
        position=position,
        section=draft.section,
        content=draft.content,
        product=draft.product,
        lead_text="; ".join(draft.lead) or None,
        cooperate_text="; ".join(draft.cooperating) or None,
        timeframe_text=draft.timeframe_text or None,
        timeframe_kind=timeframe.kind.value if timeframe else "unknown",
        due_date=timeframe.due if timeframe else None,
        start_date=timeframe.start if timeframe else None,
        recurrence=recurrence_name(draft),
    )


def preview(
    db: Database,
    data: bytes,
    filename: str,
    actor: Actor,
    now: datetime,
    today: date,
    timer: Callable[[], float] = time.monotonic,
    ocr_seconds: float = OCR_SECONDS,
) -> PlanSummary:
    """Read a file and store it as a draft; the summary is what the office checks.

    The year written in the document wins; ``today``'s year (local) is assumed only
    when none is written, and the summary says so."""
    filename = clean_name(filename)
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = read_plan(data, filename, catalogue, today.year, timer, ocr_seconds)
    plan_id = store_draft(db, resolved, filename, actor, now)
    result = summary(db, plan_id, today)
    result = required(result, "result")
    return result


def set_task_indicators(db: Database, plan_id: int, keep: bool, today: date) -> PlanSummary | None:
    """Keep or drop the targets found inside task texts (a draft only)."""
    with db.session() as session:
        plan = session.get(Plan, plan_id)
        if plan is None or not plan.draft:
            return None
        for indicator in plan.indicators:
            if indicator.source == "task":
                indicator.keep = keep
    return summary(db, plan_id, today)


def choose_unit(
    db: Database, plan_id: int, index: int, unit_id: int | None, today: date
) -> PlanSummary | None:
    """Settle an unsure unit of a draft: assign the chosen unit, or leave it unassigned.

    Every task that names the expression gets the unit, in the role it was written in,
    and the expression becomes an alias of the unit, so the next file resolves it.
    """
    with db.session() as session:
        plan = load_plan(session, plan_id)
        if plan is None or not plan.draft or not 0 <= index < len(plan.warnings or []):
            return None
        warnings = [dict(w) for w in plan.warnings]
        warning = warnings[index]
        if warning.get("kind") != WarningKind.UNSURE_UNIT.value:
            return summarise_plan(plan, session, today)
        written = warning.get("detail") or ""
        if unit_id is None:
            warning["kind"] = WarningKind.UNRESOLVED_UNIT.value
            warning.pop("candidates", None)
        else:
            unit = session.get(Unit, unit_id)
            if unit is None:
                return None
            for task in plan.tasks:
                role = _role_written(task, written)
                if role is None:
                    continue
                existing = next((a for a in task.assignments if a.unit_id == unit_id), None)
                if existing is None:
                    task.assignments.append(Assignment(unit_id=unit_id, role=role))
                elif role is TaskUnitRole.LEAD:
                    existing.role = role
            _remember_alias(unit, written)
            reference_changed(session)
            del warnings[index]
        plan.warnings = warnings
        session.flush()
        session.expire(plan)
        plan = load_plan(session, plan_id)
        plan = required(plan, "plan")
        return summarise_plan(plan, session, today)


def _role_written(task: Task, written: str) -> TaskUnitRole | None:
    key = fold(written)
    if any(fold(item) == key for item in (task.lead_text or "").split("; ")):
        return TaskUnitRole.LEAD
    if any(fold(item) == key for item in (task.cooperate_text or "").split("; ")):
        return TaskUnitRole.COOPERATE
    return None


def _remember_alias(unit: Unit, written: str) -> None:

    key = fold(written)
    if key and key != fold(unit.name) and all(a.fold_key != key for a in unit.aliases):
        unit.aliases.append(
            UnitAlias(alias=written[:200], fold_key=key[:200], kind=AliasKind.OTHER, note="plan")
        )


def discard(db: Database, plan_id: int) -> bool:
    with db.session() as session:
        plan = session.get(Plan, plan_id)
        if plan is None or not plan.draft:
            return False
        session.delete(plan)
        return True
