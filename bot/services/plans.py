"""Importing the plan: read a file, preview it as a draft, confirm or drop it; which
plan is in use.

The pipeline is pure up to :func:`read_plan` (file → Document → PlanDraft → units
resolved). A preview is stored as a *draft* plan (its tasks and assignments as they
would be), so the preview survives a restart and "Xem chi tiết" can list it. Confirming
a draft either makes it a new plan or, when it is a corrected version of an imported
plan **of the same year** (same title, or same issuer), merges it into that plan:
changed tasks are updated by code, new ones added, missing ones marked withdrawn. A plan
of another year is always a new plan: plans of several years are kept side by side and
:mod:`storage.current_plan` says which one is in use (the office may choose another with
``/kehoach``: :func:`use_plan`). The preview says which plan a file will update, or that
it will be a new plan, and warns when an update would withdraw many tasks
(:data:`WITHDRAWAL_ALARM`). Assignments that have reported statuses are never deleted,
so no history is lost. Every step is one transaction.

Reading is bounded (:mod:`bot.plans.readers`' limits, and ``MAX_READ_SECONDS`` on the
``timer`` given); a file name is stored and shown without NUL or other control
characters (:func:`~bot.plans.files.clean_name`: PostgreSQL text cannot hold NUL).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, selectinload

from bot.checks import required
from bot.language.normalize import fold
from bot.matching import UnitCatalogue
from bot.plans.files import Budget, PlanFileError, clean_name
from bot.plans.model import IndicatorDraft, PlanWarning, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.resolve import ResolvedPlan, recurrence_name, resolve_plan, timeframe_dict
from bot.services import access
from bot.services.identity import Actor
from bot.services.reference import changed as reference_changed
from bot.services.units import unit_catalogue
from storage import current_plan as current
from storage.db import Database
from storage.models import (
    AliasKind,
    Assignment,
    CurrentStatus,
    Indicator,
    Plan,
    PlanDuty,
    StatusUpdate,
    Task,
    TaskUnitRole,
    Unit,
    UnitAlias,
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
    data: bytes,
    filename: str,
    catalogue: UnitCatalogue,
    year: int | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> ResolvedPlan:
    """File bytes → a plan with its units resolved. Raises :class:`PlanError`.

    Reading the file stops with ``too_slow`` after ``MAX_READ_SECONDS`` by ``timer``."""
    filename = clean_name(filename)
    try:
        document = read_document(data, filename, Budget(timer))
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


@dataclass(frozen=True)
class WithdrawalAlarm:
    """When an update withdraws "many" tasks: more than ``tasks`` of them, or more than
    ``share`` of the plan (so a small plan losing a few is flagged too)."""

    tasks: int
    share: float

    def raised(self, withdrawn: int, total: int) -> bool:
        return withdrawn > self.tasks or (total > 0 and withdrawn > self.share * total)


# An update that withdraws more than 3 tasks, or more than a fifth of the plan, says so
# in bold in the preview, before Nhập.
WITHDRAWAL_ALARM = WithdrawalAlarm(tasks=3, share=0.2)


@dataclass(frozen=True)
class PlanBrief:
    """An imported plan, in a list or as the one a file updates."""

    id: int
    year: int | None
    title: str
    tasks: int  # tasks not withdrawn


@dataclass(frozen=True)
class UpdateTarget:
    """The imported plan a draft would update, and what the update would withdraw."""

    plan: PlanBrief
    withdrawn: list[str]  # codes of its tasks the draft does not have
    current: bool  # it is the plan in use

    @property
    def alarming(self) -> bool:
        return WITHDRAWAL_ALARM.raised(len(self.withdrawn), self.plan.tasks)


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
    year_source: str | None = None  # bot.plans.model.YearSource
    # A draft only: the plan it would update (None: it would be a new plan), the plan in
    # use now, and whether the draft, as a new plan, would be the one in use.
    target: UpdateTarget | None = None
    in_use: PlanBrief | None = None
    becomes_current: bool = False


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


def summary(db: Database, plan_id: int, today: date) -> PlanSummary | None:
    """A plan's summary; for a draft, also what importing it would do on ``today``."""
    with db.session() as session:
        plan = _load_plan(session, plan_id)
        if plan is None:
            return None
        return _summarise(plan, session, today)


def _brief(session: Session, plan: Plan) -> PlanBrief:
    count = session.scalar(
        select(func.count()).where(Task.plan_id == plan.id, Task.withdrawn_at.is_(None))
    )
    return PlanBrief(plan.id, plan.year, plan.title, count or 0)


def _effect(
    session: Session,
    summary: PlanSummary,
    title: str,
    issuer: str | None,
    year: int | None,
    codes: set[str],
    today: date,
) -> None:
    """Fill in what importing a draft would do: which plan it updates (and withdraws
    from), which plan is in use, and whether a new plan would be the one in use."""
    plans = current.imported_plans(session)
    choice = current.read_choice(session)
    in_use_id = current.pick(plans, choice, today.year)
    in_use = session.get(Plan, in_use_id) if in_use_id is not None else None
    summary.in_use = _brief(session, in_use) if in_use is not None else None
    target = _same_plan_as(session, title, issuer, year)
    if target is None:
        # As a new plan (the newest one), would it be the plan in use once imported?
        newest = max((p.id for p in plans), default=0) + 1
        hypothetical = [*plans, current.PlanYear(newest, year)]
        summary.becomes_current = current.pick(hypothetical, choice, today.year) == newest
        return
    standing = session.scalars(
        select(Task.code)
        .where(Task.plan_id == target.id, Task.withdrawn_at.is_(None))
        .order_by(Task.position)
    ).all()
    withdrawn = [code for code in standing if code not in codes]
    summary.target = UpdateTarget(_brief(session, target), withdrawn, target.id == in_use_id)


def _summarise(plan: Plan, session: Session, today: date) -> PlanSummary:
    tasks = [t for t in plan.tasks if t.withdrawn_at is None]
    per_unit: Counter[str] = Counter()
    for task in tasks:
        for assignment in task.assignments:
            per_unit[assignment.unit.name] += 1
    result = PlanSummary(
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
        year_source=plan.year_source,
    )
    if plan.draft:
        codes = {t.code for t in tasks}
        _effect(session, result, plan.title, plan.issuer, plan.year, codes, today)
    return result


def summarise(resolved: ResolvedPlan, filename: str) -> PlanSummary:
    """The summary of a plan that was read but not stored (``--dry-run``)."""
    filename = clean_name(filename)
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
        year_source=draft.year_source.value if draft.year_source else None,
    )


def dry_run_summary(
    db: Database, resolved: ResolvedPlan, filename: str, today: date
) -> PlanSummary:
    """The summary of a plan read but not stored, with what importing it would do."""
    result = summarise(resolved, filename)
    draft = resolved.draft
    with db.session() as session:
        _effect(
            session,
            result,
            draft.title or filename,
            draft.issuer,
            draft.year,
            {t.draft.code for t in resolved.tasks},
            today,
        )
    return result


def preview(
    db: Database,
    data: bytes,
    filename: str,
    actor: Actor,
    now: datetime,
    today: date,
    timer: Callable[[], float] = time.monotonic,
) -> PlanSummary:
    """Read a file and store it as a draft; the summary is what the office checks.

    The year written in the document wins; ``today``'s year (local) is assumed only
    when none is written, and the summary says so."""
    filename = clean_name(filename)
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = read_plan(data, filename, catalogue, today.year, timer)
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
        plan = _load_plan(session, plan_id)
        if plan is None or not plan.draft or not 0 <= index < len(plan.warnings or []):
            return None
        warnings = [dict(w) for w in plan.warnings]
        warning = warnings[index]
        if warning.get("kind") != WarningKind.UNSURE_UNIT.value:
            return _summarise(plan, session, today)
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
        plan = _load_plan(session, plan_id)
        plan = required(plan, "plan")
        return _summarise(plan, session, today)


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
    """The imported plan a draft corrects: of the same year (a year assumed for a file
    that writes none counts as written), with the same title, else the same issuer.
    A plan of another year is never updated."""
    return _same_plan_as(session, draft.title, draft.issuer, draft.year)


def _same_plan_as(
    session: Session, title: str, issuer: str | None, year: int | None
) -> Plan | None:
    same_year = Plan.year.is_(None) if year is None else Plan.year == year
    candidates = session.scalars(
        select(Plan)
        .where(Plan.draft.is_(False), Plan.active.is_(True), same_year)
        .order_by(Plan.id.desc())
    ).all()
    for plan in candidates:
        if fold(plan.title) == fold(title):
            return plan
    for plan in candidates:
        if plan.issuer and issuer and fold(plan.issuer) == fold(issuer):
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
        target = required(target, "target")
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
    target.year_source = draft.year_source or target.year_source
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


def current_plan_id(db: Database, today: date) -> int | None:
    """The plan in use on ``today`` (local date): see :mod:`storage.current_plan`."""
    with db.session() as session:
        return current.current_plan_id(session, today)


@dataclass
class PlanChoice:
    """The imported plans (newest year first) and which one is in use."""

    plans: list[PlanBrief]
    in_use: int | None
    chosen: bool  # the office chose it (else: the plan of the year, or the nearest)
    year: int  # today's year (a choice holds until it ends)


def plan_choice(db: Database, today: date) -> PlanChoice:
    with db.session() as session:
        plans = current.imported_plans(session)
        choice = current.read_choice(session)
        in_use = current.pick(plans, choice, today.year)
        default = current.pick(plans, None, today.year)
        rows = session.scalars(select(Plan).where(Plan.id.in_([p.id for p in plans]))).all()
        briefs = sorted(
            (_brief(session, plan) for plan in rows),
            key=lambda b: (-(b.year or 0), -b.id),
        )
        chosen = in_use is not None and in_use != default
        return PlanChoice(briefs, in_use, chosen, today.year)


def use_plan(db: Database, plan_id: int, today: date) -> PlanBrief | None:
    """The office chooses the plan in use (until the end of this year); None when
    ``plan_id`` is not an imported plan. Choosing the plan of the year clears the choice."""
    with db.session() as session:
        plans = current.imported_plans(session)
        if all(p.id != plan_id for p in plans):
            return None
        default = current.pick(plans, None, today.year)
        chosen = None if plan_id == default else current.Choice(plan_id, today.year)
        current.write_choice(session, chosen)
        reference_changed(session)
        plan = session.get(Plan, plan_id)
        plan = required(plan, "plan")
        return _brief(session, plan)


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


def unit_tasks(db: Database, actor: Actor, unit_id: int, today: date) -> list[UnitTask]:
    """The tasks of one unit in the plan in use, with their current status (if any)."""
    access.require(actor, access.View.UNIT, unit_id)

    with db.session() as session:
        plan_id = current.current_plan_id(session, today)
        rows = session.execute(
            select(Task, Assignment, CurrentStatus.status)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(Plan, Plan.id == Task.plan_id)
            .outerjoin(CurrentStatus, CurrentStatus.assignment_id == Assignment.id)
            .where(
                Assignment.unit_id == unit_id,
                Plan.id == plan_id,
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
