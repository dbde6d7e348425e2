"""The office settles two reporters who disagree: keeping the earlier report withdraws
the later one (and any newer report on the item) and puts the earlier back as the
standing fact, the way undoing a correction puts back what it replaced; keeping the later
one closes the conflict. Only those :func:`bot.services.access.may_do` allows
(``SETTLE``: the office and admins); the conflict is closed by one conditional update,
so a second press, or two people pressing at once, changes nothing more."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.services import access
from bot.services.identity import Actor
from bot.services.reports.conflicts import ConflictView, facts, live, same_item, view
from bot.services.reports.ledger import recompute, withdraw
from storage.db import Database
from storage.models import ConflictEnd, IndicatorValue, ReportConflict, StatusUpdate


class Settled(enum.StrEnum):
    KEPT = "kept"
    ALREADY = "already"  # settled or closed before: nothing changed
    GONE = "gone"  # no such conflict, or one of its reports no longer stands
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class Settlement:
    kind: Settled
    conflict: ConflictView | None = None
    kept_earlier: bool = False


def settle(
    db: Database,
    conflict_id: int,
    keep_earlier: bool,
    actor: Actor,
    inbound_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> Settlement:
    """Keep the earlier or the later report of a conflict (the office's button)."""
    if not access.may_do(actor, access.Act.SETTLE):
        return Settlement(Settled.NOT_ALLOWED)
    end = ConflictEnd.EARLIER if keep_earlier else ConflictEnd.LATER
    with db.session() as session:
        claimed = session.execute(
            update(ReportConflict)
            .where(ReportConflict.id == conflict_id, ReportConflict.closed_at.is_(None))
            .values(closed_at=now, closed_by_id=actor.official_id, resolution=end)
            .execution_options(synchronize_session=False)
        ).rowcount
        conflict = session.get(ReportConflict, conflict_id)
        if conflict is None:
            return Settlement(Settled.GONE)
        session.refresh(conflict)
        if claimed != 1:
            return Settlement(Settled.ALREADY, view(session, conflict, tz))
        earlier, later = facts(session, conflict)
        if earlier is None or later is None or not live(session, earlier, later):
            conflict.resolution, conflict.closed_by_id = ConflictEnd.WITHDRAWN, None
            return Settlement(Settled.GONE)
        if keep_earlier:
            _restore(session, earlier, now, inbound_id)
        return Settlement(Settled.KEPT, view(session, conflict, tz), keep_earlier)


def _restore(session, earlier, now: datetime, inbound_id: int | None) -> None:
    """Withdraw every standing report on the item newer than ``earlier`` (retracted by
    the press, as a correction is by its message) and put ``earlier`` back."""
    model = type(earlier)
    newer = list(
        session.scalars(
            select(model).where(
                *same_item(earlier), model.id > earlier.id, model.retracted_at.is_(None)
            )
        )
    )
    updates = [r for r in newer if isinstance(r, StatusUpdate)]
    figures = [r for r in newer if isinstance(r, IndicatorValue)]
    withdraw(session, updates, figures, now, by=inbound_id)
    if earlier.retracted_at is not None:  # a correction by the later reporter replaced it
        earlier.retracted_at, earlier.retracted_by_id = None, None
        session.flush()
    if isinstance(earlier, StatusUpdate):
        recompute(session, [earlier], now)
