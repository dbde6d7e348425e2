"""Drafts: a preview stored as a draft plan (it survives a restart), settled by the
office (targets inside task texts, unsure units, units to create) or dropped."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.checks import required
from bot.language.normalize import fold
from bot.language.units import guess_kind
from bot.matching import Decision
from bot.plans.files import clean_name
from bot.plans.model import WarningKind
from bot.plans.resolve import (
    ResolvedPlan,
    UnitRef,
    creatable_name,
    issuer_unit,
    new_unit_key,
    new_unit_names,
    own_name,
    recurrence_name,
    resolve_in_plan,
)
from bot.services.identity import Actor
from bot.services.ocr import OCR_SECONDS
from bot.services.plans.reading import read_plan, warning_json
from bot.services.plans.summaries import (
    PlanSummary,
    draft_deadline,
    indicator_row,
    load_plan,
    own_place,
    read_damaged,
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
    UnitChange,
    UnitSource,
)

log = logging.getLogger(__name__)


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
            source=draft.source.as_json() if draft.source else None,
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
    kind, due, _written = draft_deadline(draft)
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
        timeframe_kind=kind,
        due_date=due,
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
            _assign_written(plan, unit, written, own_place(plan, session))
            reference_changed(session)
            del warnings[index]
        plan.warnings = warnings
        session.flush()
        session.expire(plan)
        plan = load_plan(session, plan_id)
        plan = required(plan, "plan")
        return summarise_plan(plan, session, today)


def create_units(
    db: Database, plan_id: int, key: int, actor: Actor, inbound_id: int | None, today: date
) -> PlanSummary | None:
    """Create the units a draft names but the catalogue lacks, and give them their tasks.

    ``key`` picks one name (:func:`~bot.plans.resolve.new_unit_key`), 0 every one. A
    unit is created under the plan's issuer when the catalogue knows it (else under the
    deployment's only top unit, else at the top), of the kind its first words say
    (:func:`~bot.language.units.guess_kind`); a unit of that name already there is used
    instead. Each creation is logged in ``unit_changes`` with who pressed and the update.
    Then every name still unresolved is matched again (the new units may be what an
    abbreviation of it names), so the tasks get their lead. Only the office and the admin
    create units: for anyone else, and for a name already settled (a second press), the
    draft is left as it is. None when the draft is gone.
    """
    with db.session() as session:
        plan = load_plan(session, plan_id)
        if plan is None or not plan.draft:
            return None
        if not actor.manages:
            return summarise_plan(plan, session, today)
        warnings = [dict(w) for w in plan.warnings or []]
        unresolved = {
            i: w.get("detail") or ""
            for i, w in enumerate(warnings)
            if w.get("kind") == WarningKind.UNRESOLVED_UNIT.value
        }
        damaged, issuer = read_damaged(plan), own_place(plan, session)
        names = new_unit_names(list(unresolved.values()), issuer, damaged)
        wanted: dict[int, int] = {}  # warning index → the key of the unit it names
        for index, written in unresolved.items():
            name = creatable_name(written, issuer, damaged)
            if name is not None and key in (0, new_unit_key(name)):
                wanted[index] = new_unit_key(name)
        if not wanted:
            return summarise_plan(plan, session, today)
        parent = _issuer_unit(session, plan)
        catalogue = unit_catalogue(session)
        units: dict[int, Unit] = {}
        for index, unit_key in wanted.items():
            name = names[unit_key]
            written = warnings[index].get("detail") or ""
            unit = (
                units.get(unit_key)
                or _unit_named(session, parent, name)
                or _found(session, resolve_in_plan(written, issuer, catalogue))
            )
            if unit is None:
                unit = Unit(name=name, kind=guess_kind(name), parent=parent, source=UnitSource.PLAN)
                session.add(unit)
                session.flush()
                session.add(
                    UnitChange(
                        unit_id=unit.id,
                        action="created",
                        detail=warnings[index].get("detail"),
                        plan_id=plan.id,
                        official_id=actor.official_id,
                        inbound_message_id=inbound_id,
                    )
                )
                log.info(
                    "unit %d %r (%s) created from plan draft %d by official %s",
                    unit.id,
                    unit.name,
                    unit.kind,
                    plan.id,
                    actor.official_id,
                )
            units[unit_key] = unit
            _assign_written(plan, unit, written, issuer)
        settled = set(wanted)
        session.flush()
        reference_changed(session)
        catalogue = unit_catalogue(session)  # with the new units
        for index, warning in enumerate(warnings):
            if index in settled or warning.get("kind") != WarningKind.UNRESOLVED_UNIT.value:
                continue
            written = warning.get("detail") or ""
            found = _found(session, resolve_in_plan(written, issuer, catalogue))
            if found is not None:
                _assign_written(plan, found, written, issuer)
                settled.add(index)
        plan.warnings = [w for i, w in enumerate(warnings) if i not in settled]
        session.flush()
        session.expire(plan)
        plan = required(load_plan(session, plan_id), "plan")
        return summarise_plan(plan, session, today)


def _issuer_unit(session: Session, plan: Plan) -> Unit | None:
    """The unit that issued the plan, where new units of the plan go: the plan's unit,
    the issuer found in the catalogue (:func:`~bot.plans.resolve.issuer_unit`), or the
    deployment's only top unit."""
    if plan.unit_id is not None:
        return session.get(Unit, plan.unit_id)
    issuer = issuer_unit(plan.issuer, unit_catalogue(session))
    if issuer is not None:
        return session.get(Unit, issuer.id)
    tops = session.scalars(
        select(Unit).where(Unit.parent_id.is_(None), Unit.active.is_(True)).limit(2)
    ).all()
    return tops[0] if len(tops) == 1 else None


def _unit_named(session: Session, parent: Unit | None, name: str) -> Unit | None:
    """A unit of that name under ``parent`` already (made active again if it was not)."""
    where = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
    key = fold(name)
    for unit in session.scalars(select(Unit).where(where)):
        if fold(unit.name) == key:
            unit.active = True
            return unit
    return None


def _found(session: Session, ref: UnitRef) -> Unit | None:
    """The unit a name of the draft resolves to for sure, if any."""
    if ref.match is None or ref.match.decision is not Decision.MATCH or not ref.units:
        return None
    return session.get(Unit, ref.units[0].id)


def _assign_written(plan: Plan, unit: Unit, written: str, issuer: str | None) -> None:
    """Give ``unit`` every task of the draft that names ``written``, in the role it is
    written in; ``written`` becomes an alias of the unit if it is another name, but not
    a body's kind alone ("Công an xã" is every commune's police, :func:`own_name`)."""
    for task in plan.tasks:
        role = _role_written(task, written)
        if role is None:
            continue
        existing = next((a for a in task.assignments if a.unit_id == unit.id), None)
        if existing is None:
            task.assignments.append(Assignment(unit_id=unit.id, role=role))
        elif role is TaskUnitRole.LEAD:
            existing.role = role
    if own_name(written, issuer) is None:
        _remember_alias(unit, written)


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
