"""The reference data every message is read against, built once and kept while unchanged.

The units catalogue (with its matching index), the active plan's tasks with their
assigned units, and its indicators. Building them takes milliseconds (the catalogue's
index is most of it), far more than reading one message, so they are kept per database
and rebuilt only when a service that changes units or the plan calls :func:`changed`,
which writes a new token to the ``meta`` table in the same transaction. Every process
(the bot, the command line) compares that token on each use, so a change made by one is
seen by the others.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.matching import UnitCatalogue, UnitEntry
from bot.understanding.model import IndicatorRef, TaskRef
from storage.models import AliasKind, Assignment, Indicator, Plan, Task
from storage.queries import active_units, get_meta, set_meta

VERSION_KEY = "reference_version"


@dataclass(frozen=True)
class Reference:
    version: str | None
    catalogue: UnitCatalogue
    tasks: tuple[TaskRef, ...]
    indicators: tuple[IndicatorRef, ...]


_cache: dict[str, Reference] = {}
_lock = threading.Lock()


def changed(session: Session) -> None:
    """Mark the units or the plan as changed (call inside the changing transaction)."""
    set_meta(session, VERSION_KEY, uuid.uuid4().hex)


def reference(session: Session) -> Reference:
    """The current reference data for the database ``session`` is bound to."""
    key = str(session.get_bind().engine.url)
    version = get_meta(session, VERSION_KEY)
    cached = _cache.get(key)
    if cached is not None and cached.version == version and version is not None:
        return cached
    built = _build(session, version)
    with _lock:
        _cache[key] = built
    return built


def _build(session: Session, version: str | None) -> Reference:
    units = active_units(session)
    catalogue = UnitCatalogue(
        [
            UnitEntry(
                id=u.id,
                name=u.name,
                kind=u.kind.value,
                aliases=tuple(a.alias for a in u.aliases if a.kind is not AliasKind.FORMER),
                parent_name=u.parent.name if u.parent else None,
                former=tuple(a.alias for a in u.aliases if a.kind is AliasKind.FORMER),
            )
            for u in units
        ]
    )
    plans = select(Plan.id).where(Plan.active.is_(True), Plan.draft.is_(False))
    tasks = session.scalars(
        select(Task)
        .where(Task.plan_id.in_(plans), Task.withdrawn_at.is_(None))
        .options(selectinload(Task.assignments).load_only(Assignment.unit_id))
        .order_by(Task.plan_id, Task.position)
    ).all()
    indicators = session.scalars(
        select(Indicator)
        .where(Indicator.plan_id.in_(plans), Indicator.withdrawn_at.is_(None))
        .order_by(Indicator.plan_id, Indicator.id)
    ).all()
    return Reference(
        version=version,
        catalogue=catalogue,
        tasks=tuple(
            TaskRef(
                id=t.id,
                code=t.code,
                content=t.content,
                unit_ids=frozenset(a.unit_id for a in t.assignments),
                written_code=t.written_code,
                timeframe_kind=t.timeframe_kind,
            )
            for t in tasks
        ),
        indicators=tuple(
            IndicatorRef(
                id=i.id,
                code=i.code,
                name=i.name,
                aliases=tuple(i.aliases or ()),
                measure=i.measure,
                comparator=i.comparator,
                target=i.target,
            )
            for i in indicators
        ),
    )
