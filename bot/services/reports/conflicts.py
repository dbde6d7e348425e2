"""Two reporters who disagree: found when a fact is stored, kept in ``report_conflicts``,
told to the office (a notice through :mod:`scheduling.notices`), closed when it no
longer stands, read for the notice, the Monday digest and ``/lichsu``.

A stored fact (a task's status, an indicator's figure) disagrees with the one it
replaces as the standing fact of the same item (the same task and period of the same
unit, or the same indicator, unit and period) when:

- both were sent by registered people, and not the same person (a correction or a
  repetition by the same person is not a conflict);
- they say different things (another status, another percent when both give one,
  another figure; the same value twice is not a conflict; a note alone is no value);
- both were sent in the same monthly reporting window (:class:`Window`: the month's
  window by the cut-off day, 15/11–14/12 by default): a status reported again next
  month is progress, not a disagreement;
- the later one is not a correction by the office or an admin ("sửa: …"): the office
  deciding closes any open conflict on the item instead.

One conflict is open per item: a newer disagreement replaces the older
(``superseded``). When the later reporter reports again on the item, the conflict
follows their newest fact, or closes (``agreed``) if it now says what the earlier one
did. Undoing either report closes it (``withdrawn``). Settling it is
:mod:`bot.services.reports.settling`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from bot.language.periods import Period, PeriodKind, reporting_period
from bot.services.identity import Actor
from scheduling.notices import notify_office
from storage.db import Database
from storage.models import (
    Assignment,
    ConflictEnd,
    Indicator,
    IndicatorValue,
    Official,
    ReportConflict,
    Role,
    StatusUpdate,
    Task,
    Unit,
)

NOTICE = "conflict"  # the kind of the office's notice rows
Fact = StatusUpdate | IndicatorValue


@dataclass(frozen=True)
class Window:
    """Two reports can disagree when both were sent in one monthly reporting window."""

    tz: ZoneInfo
    cutoff_day: int

    @classmethod
    def of(cls, settings) -> Window:  # bot.config.Settings
        return cls(settings.tz, settings.report_cutoff_day)

    def period(self, at: datetime) -> Period:
        return reporting_period(at.astimezone(self.tz).date(), cutoff_day=self.cutoff_day)

    def same(self, a: datetime, b: datetime) -> bool:
        return self.period(a) == self.period(b)


# -- found when a fact is stored ---------------------------------------------------------


def check(
    session: Session,
    row: Fact,
    unit_id: int,
    actor: Actor,
    correction: bool,
    now: datetime,
    window: Window,
) -> ReportConflict | None:
    """After ``row`` was stored (flushed) for ``unit_id``: open a conflict with the fact
    it replaced if the two disagree (and queue the office's notice), or update the open
    one. Returns the conflict opened, if any."""
    if row.reported_by_id is None:  # nobody registered sent it: nobody to disagree with
        return None
    model = type(row)
    item = same_item(row)
    replaced_by_this = (
        model.retracted_by_id == row.inbound_message_id
        if row.inbound_message_id is not None
        else false()
    )
    previous = session.scalar(
        select(model)
        .where(*item, model.id < row.id, or_(model.retracted_at.is_(None), replaced_by_this))
        .order_by(model.id.desc())
        .limit(1)
    )
    if previous is None or previous.reported_by_id is None:
        return None
    open_here = _open_on_item(session, row)
    if correction and actor.manages:
        for conflict in open_here:
            _close(conflict, ConflictEnd.CORRECTED, now, actor.official_id)
        return None
    earlier_col, later_col = _columns(model)
    if previous.reported_by_id == row.reported_by_id:
        for conflict in open_here:
            if getattr(conflict, later_col) != previous.id:
                continue
            earlier = session.get(model, getattr(conflict, earlier_col))
            if earlier is not None and same_value(earlier, row):
                _close(conflict, ConflictEnd.AGREED, now, None)
            else:
                setattr(conflict, later_col, row.id)
        return None
    if same_value(previous, row) or not window.same(previous.created_at, row.created_at):
        return None
    for conflict in open_here:
        _close(conflict, ConflictEnd.SUPERSEDED, now, None)
    conflict = ReportConflict(unit_id=unit_id, opened_at=now)
    setattr(conflict, earlier_col, previous.id)
    setattr(conflict, later_col, row.id)
    session.add(conflict)
    session.flush()
    notify_office(session, NOTICE, f"{NOTICE}:{conflict.id}", {"conflict_id": conflict.id}, now)
    return conflict


def same_value(a: Fact, b: Fact) -> bool:
    """Whether two facts about one item say the same thing."""
    if isinstance(a, StatusUpdate) and isinstance(b, StatusUpdate):
        percents = a.percent is None or b.percent is None or a.percent == b.percent
        return a.status == b.status and percents
    assert isinstance(a, IndicatorValue) and isinstance(b, IndicatorValue)
    counts = None in (a.numerator, b.numerator, a.denominator, b.denominator) or (
        a.numerator,
        a.denominator,
    ) == (b.numerator, b.denominator)
    return a.value == b.value and counts


def close_withdrawn(
    session: Session,
    updates: Sequence[StatusUpdate],
    figures: Sequence[IndicatorValue],
    now: datetime,
) -> None:
    """Undoing a report ends the disagreements it was part of."""
    update_ids = [u.id for u in updates]
    value_ids = [f.id for f in figures]
    if not update_ids and not value_ids:
        return
    found = session.scalars(
        select(ReportConflict).where(
            ReportConflict.closed_at.is_(None),
            or_(
                ReportConflict.earlier_update_id.in_(update_ids),
                ReportConflict.later_update_id.in_(update_ids),
                ReportConflict.earlier_value_id.in_(value_ids),
                ReportConflict.later_value_id.in_(value_ids),
            ),
        )
    )
    for conflict in found:
        _close(conflict, ConflictEnd.WITHDRAWN, now, None)
    session.flush()


def _close(conflict: ReportConflict, end: ConflictEnd, now: datetime, by: int | None) -> None:
    conflict.closed_at, conflict.resolution, conflict.closed_by_id = now, end, by


def _columns(model: type[Fact]) -> tuple[str, str]:
    if model is StatusUpdate:
        return "earlier_update_id", "later_update_id"
    return "earlier_value_id", "later_value_id"


def same_item(row: Fact) -> list:
    """The conditions selecting the facts about the same item as ``row``."""
    if isinstance(row, StatusUpdate):
        return [
            StatusUpdate.assignment_id == row.assignment_id,
            StatusUpdate.period_start.is_(None)
            if row.period_start is None
            else StatusUpdate.period_start == row.period_start,
        ]
    return [
        IndicatorValue.indicator_id == row.indicator_id,
        IndicatorValue.unit_id == row.unit_id,
        IndicatorValue.period_start == row.period_start,
    ]


def _open_on_item(session: Session, row: Fact) -> list[ReportConflict]:
    model = type(row)
    _earlier, later_col = _columns(model)
    return list(
        session.scalars(
            select(ReportConflict)
            .join(model, model.id == getattr(ReportConflict, later_col))
            .where(ReportConflict.closed_at.is_(None), *same_item(row))
        )
    )


# -- read: the notice, the digest, /lichsu ------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One of the two reports, as the office sees it (``at`` in local time)."""

    who: str | None
    by_office: bool
    at: datetime
    status: str | None = None
    percent: int | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    measure: str | None = None
    standing: bool = True  # not withdrawn


@dataclass(frozen=True)
class ConflictView:
    id: int
    unit: str
    subject: str  # "2.1 Xây dựng kế hoạch…" or the indicator's name
    period: Period | None  # a figure's period; a periodic task's (None: one deadline)
    period_start: date | None
    earlier: Side
    later: Side
    closed: bool
    live: bool = True  # the two reports still disagree (see :func:`live`)
    resolution: ConflictEnd | None = None
    closed_by: str | None = None


def describe(db: Database, conflict_id: int, tz: ZoneInfo) -> ConflictView | None:
    with db.session() as session:
        conflict = session.get(ReportConflict, conflict_id)
        return view(session, conflict, tz) if conflict is not None else None


def open_conflicts(db: Database, tz: ZoneInfo, limit: int = 30) -> tuple[list[ConflictView], int]:
    """The open conflicts whose later report still stands, oldest first (at most
    ``limit``), and how many there are."""
    with db.session() as session:
        rows = [
            c
            for c in session.scalars(
                select(ReportConflict)
                .where(ReportConflict.closed_at.is_(None))
                .order_by(ReportConflict.opened_at, ReportConflict.id)
            )
            if live(session, *facts(session, c))
        ]
        return [view(session, c, tz) for c in rows[:limit]], len(rows)


def disputed(session: Session, unit_id: int) -> tuple[set[int], set[int]]:
    """The status updates and figures of ``unit_id`` in an open conflict."""
    updates: set[int] = set()
    values: set[int] = set()
    for conflict in session.scalars(
        select(ReportConflict).where(
            ReportConflict.unit_id == unit_id, ReportConflict.closed_at.is_(None)
        )
    ):
        if not live(session, *facts(session, conflict)):
            continue
        updates |= {conflict.earlier_update_id, conflict.later_update_id} - {None}
        values |= {conflict.earlier_value_id, conflict.later_value_id} - {None}
    return updates, values


def _stands(row: Fact | None) -> bool:
    return row is not None and row.retracted_at is None


def live(session: Session, earlier: Fact | None, later: Fact | None) -> bool:
    """Whether two facts still disagree: the later stands, and the earlier stands or was
    withdrawn by someone else's message (another reporter's correction), not by its own
    reporter (an edit of their message) nor by an undo."""
    if earlier is None or not _stands(later):
        return False
    if earlier.retracted_at is None:
        return True
    by = earlier.retracted_by_id
    if by is None:
        return False
    model = type(earlier)
    own = session.scalar(
        select(model.id)
        .where(model.inbound_message_id == by, model.reported_by_id == earlier.reported_by_id)
        .limit(1)
    )
    return own is None


def facts(session: Session, conflict: ReportConflict) -> tuple[Fact | None, Fact | None]:
    """The earlier and the later fact of a conflict."""
    if conflict.earlier_update_id is not None:
        return (
            session.get(StatusUpdate, conflict.earlier_update_id),
            session.get(StatusUpdate, conflict.later_update_id),
        )
    return (
        session.get(IndicatorValue, conflict.earlier_value_id),
        session.get(IndicatorValue, conflict.later_value_id),
    )


def view(session: Session, conflict: ReportConflict, tz: ZoneInfo) -> ConflictView:
    earlier, later = facts(session, conflict)
    assert earlier is not None and later is not None
    unit = session.get(Unit, conflict.unit_id)
    period: Period | None = None
    measure = None
    if isinstance(earlier, StatusUpdate):
        task = session.scalar(
            select(Task)
            .join(Assignment, Assignment.task_id == Task.id)
            .where(Assignment.id == earlier.assignment_id)
        )
        subject = f"{task.code} {task.content}" if task else "?"
        start = earlier.period_start
    else:
        indicator = session.get(Indicator, earlier.indicator_id)
        subject = indicator.name if indicator else "?"
        measure = indicator.measure if indicator else None
        period = _period(earlier.period_start, earlier.period_end)
        start = earlier.period_start
    closer = session.get(Official, conflict.closed_by_id) if conflict.closed_by_id else None
    return ConflictView(
        id=conflict.id,
        unit=unit.name if unit else "?",
        subject=subject,
        period=period,
        period_start=start,
        earlier=_side(session, earlier, tz, measure),
        later=_side(session, later, tz, measure),
        closed=conflict.closed_at is not None,
        live=live(session, earlier, later),
        resolution=conflict.resolution,
        closed_by=closer.full_name if closer else None,
    )


def _side(session: Session, row: Fact, tz: ZoneInfo, measure: str | None) -> Side:
    person = session.get(Official, row.reported_by_id) if row.reported_by_id else None
    common = {
        "who": person.full_name if person else None,
        "by_office": person is not None and person.role in (Role.OFFICE, Role.ADMIN),
        "at": row.created_at.astimezone(tz),
        "standing": row.retracted_at is None,
    }
    if isinstance(row, StatusUpdate):
        return Side(**common, status=row.status.value, percent=row.percent)
    return Side(
        **common,
        value=row.value,
        numerator=row.numerator,
        denominator=row.denominator,
        measure=measure,
    )


def _period(start: date, end: date) -> Period | None:
    for kind in PeriodKind:
        try:
            return Period(kind, start, end)
        except ValueError:
            continue
    return None
