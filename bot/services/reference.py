"""The reference data every message is read against, built once and kept while unchanged.

The units catalogue (with its matching index), and the imported plans' tasks with their
assigned units and indicators, grouped by plan. Building them takes milliseconds (the
catalogue's index is most of it), far more than reading one message, so they are kept
per database and rebuilt only when a service that changes units, the plans or the
office's choice of plan calls :func:`changed`, which writes a new token to the ``meta``
table in the same transaction. Every process (the bot, the command line) compares that
token on each use, so a change made by one is seen by the others.

A message is read against the **current** plan only (:func:`reference`, see
:mod:`storage.current_plan`), so a code like "2.1" names one task even when the plans
of 2026 and 2027 both have one. :func:`plan_reference` gives one given plan (a reminder
answered with **Đã xong** belongs to its own plan), :func:`every_plan` all of them, for
finding tasks and indicators by id only (codes repeat across plans).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.matching import UnitCatalogue, UnitEntry
from bot.understanding.model import IndicatorRef, TaskRef
from storage.current_plan import Choice, PlanYear, imported_plans, pick, read_choice
from storage.models import AliasKind, Assignment, Indicator, Task
from storage.queries import active_units, get_meta, set_meta

VERSION_KEY = "reference_version"
_EVERY_PLAN = -1  # the key of the view over every plan


@dataclass(frozen=True)
class Reference:
    version: str | None
    catalogue: UnitCatalogue
    tasks: tuple[TaskRef, ...]
    indicators: tuple[IndicatorRef, ...]
    plan_id: int | None = None  # the plan the tasks belong to (None: none, or every plan)
    plan_year: int | None = None  # that plan's year


@dataclass
class _Snapshot:
    """Everything read at one version: the catalogue and every plan's tasks."""

    version: str | None
    catalogue: UnitCatalogue
    plans: tuple[PlanYear, ...]
    choice: Choice | None
    tasks: dict[int, tuple[TaskRef, ...]]
    indicators: dict[int, tuple[IndicatorRef, ...]]
    views: dict[int | None, Reference] = field(default_factory=dict)

    def view(self, plan_id: int | None) -> Reference:
        found = self.views.get(plan_id)
        if found is not None:
            return found
        if plan_id == _EVERY_PLAN:
            tasks = tuple(t for plan in self.plans for t in self.tasks.get(plan.id, ()))
            indicators = tuple(i for plan in self.plans for i in self.indicators.get(plan.id, ()))
            built = Reference(self.version, self.catalogue, tasks, indicators, None)
        elif plan_id is not None and plan_id in self.tasks:
            tasks, indicators = self.tasks[plan_id], self.indicators[plan_id]
            year = next((p.year for p in self.plans if p.id == plan_id), None)
            built = Reference(self.version, self.catalogue, tasks, indicators, plan_id, year)
        else:  # no plan imported, or not this one
            built = Reference(self.version, self.catalogue, (), (), None)
        with _lock:
            self.views[plan_id] = built
        return built


_cache: dict[str, _Snapshot] = {}
_lock = threading.Lock()


def changed(session: Session) -> None:
    """Mark the units, the plans or the choice of plan as changed (call inside the
    changing transaction)."""
    set_meta(session, VERSION_KEY, uuid.uuid4().hex)


def _snapshot(session: Session) -> _Snapshot:
    key = str(session.get_bind().engine.url)
    version = get_meta(session, VERSION_KEY)
    cached = _cache.get(key)
    if cached is not None and cached.version == version and version is not None:
        return cached
    built = _build(session, version)
    with _lock:
        _cache[key] = built
    return built


def reference(session: Session, today: date) -> Reference:
    """The units and the current plan's tasks and indicators on ``today`` (local date)."""
    snapshot = _snapshot(session)
    return snapshot.view(pick(snapshot.plans, snapshot.choice, today.year))


def plan_reference(session: Session, plan_id: int | None) -> Reference:
    """The units and one plan's tasks and indicators (none if it is not imported)."""
    return _snapshot(session).view(plan_id)


def every_plan(session: Session) -> Reference:
    """The units and every imported plan's tasks and indicators: look them up by id only."""
    return _snapshot(session).view(_EVERY_PLAN)


def catalogue(session: Session) -> UnitCatalogue:
    """The units' catalogue."""
    return _snapshot(session).catalogue


def _build(session: Session, version: str | None) -> _Snapshot:
    units = active_units(session)
    catalogue = UnitCatalogue(
        [
            UnitEntry(
                id=u.id,
                name=u.name,
                kind=u.kind,
                aliases=tuple(a.alias for a in u.aliases if a.kind is not AliasKind.FORMER),
                parent_name=u.parent.name if u.parent else None,
                former=tuple(a.alias for a in u.aliases if a.kind is AliasKind.FORMER),
            )
            for u in units
        ]
    )
    plans = imported_plans(session)
    ids = [p.id for p in plans]
    tasks: dict[int, list[TaskRef]] = {plan_id: [] for plan_id in ids}
    for t in session.scalars(
        select(Task)
        .where(Task.plan_id.in_(ids), Task.withdrawn_at.is_(None))
        .options(selectinload(Task.assignments).load_only(Assignment.unit_id))
        .order_by(Task.plan_id, Task.position)
    ):
        tasks[t.plan_id].append(
            TaskRef(
                id=t.id,
                code=t.code,
                content=t.content,
                unit_ids=frozenset(a.unit_id for a in t.assignments),
                written_code=t.written_code,
                timeframe_kind=t.timeframe_kind,
                due=t.due_date,
                recurrence=t.recurrence,
            )
        )
    indicators: dict[int, list[IndicatorRef]] = {plan_id: [] for plan_id in ids}
    for i in session.scalars(
        select(Indicator)
        .where(Indicator.plan_id.in_(ids), Indicator.withdrawn_at.is_(None))
        .order_by(Indicator.plan_id, Indicator.id)
    ):
        indicators[i.plan_id].append(
            IndicatorRef(
                id=i.id,
                code=i.code,
                name=i.name,
                aliases=tuple(i.aliases or ()),
                measure=i.measure,
                comparator=i.comparator,
                target=i.target,
            )
        )
    return _Snapshot(
        version=version,
        catalogue=catalogue,
        plans=tuple(plans),
        choice=read_choice(session),
        tasks={k: tuple(v) for k, v in tasks.items()},
        indicators={k: tuple(v) for k, v in indicators.items()},
    )
