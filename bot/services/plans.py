"""Importing the plan: read a file, preview it as a draft, confirm or drop it.

The pipeline is pure up to :func:`read_plan` (file → Document → PlanDraft → units
resolved). A preview is stored as a *draft* plan (its tasks and assignments as they
would be), so the preview survives a restart and "Xem chi tiết" can list it. Confirming
a draft either makes it the active plan or, when it is a corrected version of an active
plan (same year and title, or same issuer and year), merges it into that plan: changed
tasks are updated by code, new ones added, missing ones marked withdrawn. Assignments
that have reported statuses are never deleted, so no history is lost. Every step is
one transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, selectinload

from bot.language.normalize import fold
from bot.matching import UnitCatalogue
from bot.plans.model import IndicatorDraft, PlanWarning, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import PlanFileError, read_document
from bot.plans.resolve import ResolvedPlan, recurrence_name, resolve_plan, timeframe_dict
from bot.services import access
from bot.services.identity import Actor
from bot.services.reference import changed as reference_changed
from bot.services.units import unit_catalogue
from storage.db import Database
from storage.models import (
    Assignment,
    Indicator,
    Plan,
    PlanDuty,
    StatusUpdate,
    Task,
    TaskUnitRole,
    Unit,
)

log = logging.getLogger(__name__)


class PlanError(ValueError):
    """The file is not a plan we can import; ``reason`` says why (views word it)."""

    def __init__(self, reason: str, detail: str = "", file_type: str | None = None) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail  # technical, for logs; the views word ``reason`` and ``file_type``
        self.file_type = file_type


def read_plan(
    data: bytes, filename: str, catalogue: UnitCatalogue, year: int | None = None
) -> ResolvedPlan:
    """File bytes → a plan with its units resolved. Raises :class:`PlanError`."""
    try:
        document = read_document(data, filename)
    except PlanFileError as exc:
        log.info("plan file %s refused: %s (%s)", filename, exc.reason, exc.detail)
        raise PlanError(exc.reason, exc.detail, exc.file_type) from exc
    draft = parse_plan(document, year=year)
    if not draft.tasks:
        raise PlanError("no_tasks", filename)
    return resolve_plan(draft, catalogue)


# -- the command line's JSON ------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def plan_json(resolved: ResolvedPlan) -> dict[str, Any]:
    """The ``dondoc plan import --json`` object (a stable contract)."""
    draft = resolved.draft
    return {
        "title": draft.title,
        "issuer": draft.issuer,
        "year": draft.year,
        "tasks": [
            {
                "code": task.draft.code,
                "section": task.draft.section,
                "content": task.draft.content,
                "lead": list(task.draft.lead),
                "lead_units": _units_json(task.lead),
                "cooperating": list(task.draft.cooperating),
                "cooperating_units": _units_json(task.cooperating),
                "timeframe": timeframe_dict(task.draft),
                "product": task.draft.product,
            }
            for task in resolved.tasks
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "measure": i.measure,
                "comparator": i.comparator.value,
                "target": _number(i.target),
                "source": i.source,
            }
            for i in draft.indicators
        ],
        "warnings": [warning_json(w) for w in draft.warnings],
    }


def _units_json(refs) -> list[dict[str, Any]]:
    seen: dict[int, str] = {}
    for ref in refs:
        for unit in ref.units:
            seen.setdefault(unit.id, unit.name)
    return [{"id": i, "name": n} for i, n in seen.items()]


def warning_json(warning: PlanWarning) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": warning.kind.value,
        "task": warning.task_code,
        "detail": warning.detail,
    }
    if warning.candidates and warning.kind is WarningKind.UNSURE_UNIT:
        data["candidates"] = [{"id": i, "name": n} for i, n in warning.candidates]
    return data


# -- drafts -----------------------------------------------------------------------------


def _indicator_row(draft: IndicatorDraft) -> Indicator:
    return Indicator(
        code=draft.code,
        name=draft.name,
        measure=draft.measure[:16],
        comparator=draft.comparator.value,
        target=draft.target,
        aliases=[],
        source=draft.source,
        task_code=draft.task_code,
        units_text=draft.units_text,
        keep=True,
    )


def store_draft(
    db: Database, resolved: ResolvedPlan, filename: str, actor: Actor, now: datetime
) -> int:
    """Store a preview as a draft plan; returns its id. Older drafts of the person go."""
    draft = resolved.draft
    with db.session() as session:
        if actor.official_id is not None:
            session.execute(
                delete(Plan).where(Plan.draft.is_(True), Plan.created_by_id == actor.official_id)
            )
        plan = Plan(
            title=draft.title or filename,
            issuer=draft.issuer,
            year=draft.year,
            source_filename=filename[:300],
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
        plan.indicators.extend(_indicator_row(i) for i in draft.indicators)
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


@dataclass
class PlanSummary:
    """What a preview or an imported plan looks like, for the views."""

    plan_id: int
    title: str
    issuer: str | None
    year: int | None
    filename: str | None
    draft: bool
    tasks: int
    by_kind: dict[str, int]
    by_unit: list[tuple[str, int]]  # unit name → tasks it leads or cooperates on
    units: int  # distinct responsible units
    indicators: list[Indicator]
    warnings: list[dict[str, Any]]
    assignments: int = 0
    duties: int = 0


def _load_plan(session: Session, plan_id: int) -> Plan | None:
    return session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.tasks).selectinload(Task.assignments).selectinload(Assignment.unit),
            selectinload(Plan.indicators),
            selectinload(Plan.duties),
        )
    )


def summary(db: Database, plan_id: int) -> PlanSummary | None:
    with db.session() as session:
        plan = _load_plan(session, plan_id)
        if plan is None:
            return None
        return _summarise(plan)


def _summarise(plan: Plan) -> PlanSummary:
    tasks = [t for t in plan.tasks if t.withdrawn_at is None]
    per_unit: Counter[str] = Counter()
    for task in tasks:
        for assignment in task.assignments:
            per_unit[assignment.unit.name] += 1
    return PlanSummary(
        plan_id=plan.id,
        title=plan.title,
        issuer=plan.issuer,
        year=plan.year,
        filename=plan.source_filename,
        draft=plan.draft,
        tasks=len(tasks),
        by_kind=dict(Counter(t.timeframe_kind or "unknown" for t in tasks)),
        by_unit=sorted(per_unit.items(), key=lambda item: (-item[1], fold(item[0]))),
        units=len(per_unit),
        indicators=[i for i in plan.indicators if i.withdrawn_at is None],
        warnings=list(plan.warnings or []),
        assignments=sum(len(t.assignments) for t in tasks),
        duties=len(plan.duties),
    )


def summarise(resolved: ResolvedPlan, filename: str) -> PlanSummary:
    """The summary of a plan that was read but not stored (``--dry-run``)."""
    draft = resolved.draft
    per_unit: Counter[str] = Counter()
    assignments = 0
    for task in resolved.tasks:
        for unit, _role in task.units().values():
            per_unit[unit.name] += 1
            assignments += 1
    return PlanSummary(
        plan_id=0,
        title=draft.title or filename,
        issuer=draft.issuer,
        year=draft.year,
        filename=filename,
        draft=True,
        tasks=len(resolved.tasks),
        by_kind=dict(
            Counter(
                t.draft.timeframe.kind.value if t.draft.timeframe else "unknown"
                for t in resolved.tasks
            )
        ),
        by_unit=sorted(per_unit.items(), key=lambda item: (-item[1], fold(item[0]))),
        units=len(per_unit),
        indicators=[_indicator_row(i) for i in draft.indicators],
        warnings=[warning_json(w) for w in draft.warnings],
        assignments=assignments,
        duties=len(resolved.duties),
    )


def preview(
    db: Database,
    data: bytes,
    filename: str,
    actor: Actor,
    now: datetime,
    year: int | None = None,
) -> PlanSummary:
    """Read a file and store it as a draft; the summary is what the office checks."""
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = read_plan(data, filename, catalogue, year or now.year)
    plan_id = store_draft(db, resolved, filename, actor, now)
    result = summary(db, plan_id)
    assert result is not None
    return result


def set_task_indicators(db: Database, plan_id: int, keep: bool) -> PlanSummary | None:
    """Keep or drop the targets found inside task texts (a draft only)."""
    with db.session() as session:
        plan = session.get(Plan, plan_id)
        if plan is None or not plan.draft:
            return None
        for indicator in plan.indicators:
            if indicator.source == "task":
                indicator.keep = keep
    return summary(db, plan_id)


def choose_unit(db: Database, plan_id: int, index: int, unit_id: int | None) -> PlanSummary | None:
    """Settle an unsure unit of a draft: assign the chosen unit, or leave it unassigned.

    Every task that names the expression gets the unit, in the role it was written in,
    and the expression becomes an alias of the unit, so the next file resolves it.
    """
    with db.session() as session:
        plan = _load_plan(session, plan_id)
        if plan is None or not plan.draft or not 0 <= index < len(plan.warnings or []):
            return None
        warnings = [dict(w) for w in plan.warnings]
        warning = warnings[index]
        if warning.get("kind") != WarningKind.UNSURE_UNIT.value:
            return _summarise(plan)
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
                current = next((a for a in task.assignments if a.unit_id == unit_id), None)
                if current is None:
                    task.assignments.append(Assignment(unit_id=unit_id, role=role))
                elif role is TaskUnitRole.LEAD:
                    current.role = role
            _remember_alias(unit, written)
            reference_changed(session)
            del warnings[index]
        plan.warnings = warnings
        session.flush()
        session.expire(plan)
        plan = _load_plan(session, plan_id)
        assert plan is not None
        return _summarise(plan)


def _role_written(task: Task, written: str) -> TaskUnitRole | None:
    key = fold(written)
    if any(fold(item) == key for item in (task.lead_text or "").split("; ")):
        return TaskUnitRole.LEAD
    if any(fold(item) == key for item in (task.cooperate_text or "").split("; ")):
        return TaskUnitRole.COOPERATE
    return None


def _remember_alias(unit: Unit, written: str) -> None:
    from storage.models import AliasKind, UnitAlias

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


# -- confirming -------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    plan_id: int
    merged: bool  # into an existing plan (a corrected version)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
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
_INDICATOR_FIELDS = ("name", "measure", "comparator", "target", "source", "task_code", "units_text")


def _same_plan(session: Session, draft: Plan) -> Plan | None:
    candidates = session.scalars(
        select(Plan).where(Plan.draft.is_(False), Plan.active.is_(True), Plan.year == draft.year)
    ).all()
    for plan in candidates:
        if fold(plan.title) == fold(draft.title):
            return plan
    for plan in candidates:
        if plan.issuer and draft.issuer and fold(plan.issuer) == fold(draft.issuer):
            return plan
    return None


def confirm(db: Database, plan_id: int, now: datetime) -> ImportOutcome | None:
    """Import a draft: make it the plan, or merge it into the plan it corrects."""
    with db.session() as session:
        draft = _load_plan(session, plan_id)
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
        target = _load_plan(session, target.id)
        assert target is not None
        outcome = _merge(session, target, draft, now)
        session.delete(draft)
        session.flush()
        return outcome


def _merge(session: Session, target: Plan, draft: Plan, now: datetime) -> ImportOutcome:
    outcome = ImportOutcome(target.id, merged=True)
    existing = {t.code: t for t in target.tasks}
    for new in draft.tasks:
        old = existing.pop(new.code, None)
        if old is None:
            copy = Task(code=new.code, **{f: getattr(new, f) for f in _TASK_FIELDS})
            copy.assignments = [Assignment(unit_id=a.unit_id, role=a.role) for a in new.assignments]
            target.tasks.append(copy)
            outcome.added.append(new.code)
            continue
        changed = old.withdrawn_at is not None
        for name in _TASK_FIELDS:
            if getattr(old, name) != getattr(new, name):
                setattr(old, name, getattr(new, name))
                changed = changed or name != "position"
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
    target.source_filename = draft.source_filename
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


# -- reading the plan -------------------------------------------------------------------


def current_plan_id(db: Database) -> int | None:
    with db.session() as session:
        return session.scalar(
            select(Plan.id)
            .where(Plan.draft.is_(False), Plan.active.is_(True))
            .order_by(Plan.year.desc().nulls_last(), Plan.id.desc())
            .limit(1)
        )


def sections(db: Database, plan_id: int) -> list[tuple[str, int]]:
    """The plan's sections in order, with how many tasks each has."""
    with db.session() as session:
        rows = session.execute(
            select(Task.section, Task.position)
            .where(Task.plan_id == plan_id, Task.withdrawn_at.is_(None))
            .order_by(Task.position)
        ).all()
    counts: dict[str, int] = {}
    for section, _position in rows:
        counts[section or ""] = counts.get(section or "", 0) + 1
    return [(s, n) for s, n in counts.items() if s]


@dataclass(frozen=True)
class UnitTask:
    code: str
    content: str
    role: str
    timeframe_kind: str | None
    timeframe_text: str | None
    due_date: Any
    status: str | None


def unit_tasks(db: Database, actor: Actor, unit_id: int) -> list[UnitTask]:
    """The active plans' tasks of one unit, with their current status (if any)."""
    access.require(actor, access.View.UNIT, unit_id)
    from storage.models import CurrentStatus

    with db.session() as session:
        rows = session.execute(
            select(Task, Assignment, CurrentStatus.status)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(Plan, Plan.id == Task.plan_id)
            .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(
                Assignment.unit_id == unit_id,
                Plan.draft.is_(False),
                Plan.active.is_(True),
                Task.withdrawn_at.is_(None),
            )
            .order_by(Plan.id, Task.position)
        ).all()
        seen: dict[int, UnitTask] = {}
        for task, assignment, status in rows:
            seen.setdefault(
                task.id,
                UnitTask(
                    task.code,
                    task.content,
                    assignment.role.value,
                    task.timeframe_kind,
                    task.timeframe_text,
                    task.due_date,
                    status.value if status is not None else None,
                ),
            )
        return list(seen.values())


def detail_rows(db: Database, plan_id: int) -> list[list[Any]] | None:
    """Every task as a row for the "Xem chi tiết" spreadsheet."""
    with db.session() as session:
        plan = _load_plan(session, plan_id)
        if plan is None:
            return None
        rows = []
        for task in plan.tasks:
            if task.withdrawn_at is not None:
                continue
            lead = sorted(a.unit.name for a in task.assignments if a.role is TaskUnitRole.LEAD)
            cooperating = sorted(
                a.unit.name for a in task.assignments if a.role is TaskUnitRole.COOPERATE
            )
            rows.append(
                [
                    task.code,
                    task.section or "",
                    task.content,
                    task.lead_text or "",
                    "; ".join(lead),
                    task.cooperate_text or "",
                    "; ".join(cooperating),
                    task.timeframe_text or "",
                    task.timeframe_kind or "",
                    task.due_date,
                    task.recurrence or "",
                    task.product or "",
                ]
            )
        return rows
