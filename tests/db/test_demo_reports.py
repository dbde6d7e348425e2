"""The demo database's history of reports: sent through the core, dated in the past,
believable for the chairman's questions, and sent only once."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.cli import build_demo
from bot.config import Settings
from bot.demo import FIRST_USER_ID, TRANSPORT, seed_reports
from bot.language.periods import Period
from bot.services import progress
from bot.services.access import staff
from storage.db import Database
from storage.models import (
    InboundMessage,
    Indicator,
    IndicatorValue,
    Official,
    PendingReport,
    StatusUpdate,
    Task,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the deployment's time zone in these tests

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
TODAY = date(2026, 11, 22)

STAFF = staff()  # what the office and leaders may see


def _settings(db: Database) -> Settings:
    url = db.engine.url.render_as_string(hide_password=False)
    return Settings(_env_file=None, DONDOC_DEMO_DATABASE_URL=url)


def _build(db: Database, now: datetime) -> None:
    """``build_demo`` into the test database, as the console builds it."""
    build_demo(_settings(db), now=now).dispose()


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _counts(db: Database) -> tuple[int, ...]:
    return tuple(
        _count(db, model) for model in (InboundMessage, StatusUpdate, IndicatorValue, Official)
    )


def _indicator_id(db: Database, word: str) -> int:
    with db.session() as session:
        found = session.scalar(select(Indicator.id).where(Indicator.name.contains(word)))
    assert found is not None
    return found


def test_the_demo_as_the_chairman_sees_it(db: Database) -> None:
    """Built on 22/11/2026: every report stored, deadlines met, missed and met late,
    figures rising month by month; building again sends nothing more."""
    _build(db, NOW)
    _every_message_is_stored_and_none_is_in_the_future(db)
    _deadlines_show_done_late_and_overdue_units(db)
    _figures_rise_over_the_months_and_some_units_are_below_target(db)
    _the_reports_are_sent_once(db)


def _every_message_is_stored_and_none_is_in_the_future(demo: Database) -> None:
    with demo.session() as session:
        messages = session.execute(
            select(InboundMessage.id, InboundMessage.text, InboundMessage.received_at).where(
                InboundMessage.transport == TRANSPORT
            )
        ).all()
        with_facts = set(session.scalars(select(StatusUpdate.inbound_message_id).distinct())) | set(
            session.scalars(select(IndicatorValue.inbound_message_id).distinct())
        )
        ids = session.scalars(select(Official.telegram_user_id)).all()
        latest = session.scalar(select(func.max(StatusUpdate.created_at)))
    assert 300 < len(messages) < 1000
    assert all(at.replace(tzinfo=UTC) <= NOW for _id, _text, at in messages)
    assert latest is not None and latest.replace(tzinfo=UTC) <= NOW
    # Every message was understood and stored (the undo stores nothing of its own).
    unstored = [text for mid, text, _at in messages if mid not in with_facts and text != "hủy"]
    assert unstored == []
    assert _count(demo, PendingReport) == 0
    # demo people: negative ids, below the console's own (the lowest id minus one)
    assert ids and all(i <= FIRST_USER_ID for i in ids)
    # a status corrected, one undone, and one monthly report corrected: retracted rows
    assert _count(demo, StatusUpdate, StatusUpdate.retracted_at.is_not(None)) == 2
    assert _count(demo, IndicatorValue, IndicatorValue.retracted_at.is_not(None)) >= 3
    assert sum(1 for _id, text, _at in messages if text == "hủy") == 1
    assert sum(1 for _id, text, _at in messages if text.startswith("sửa lại")) == 2


def _deadlines_show_done_late_and_overdue_units(demo: Database) -> None:
    for quarter in (1, 3):
        data = progress.overview(demo, Period.quarter(2026, quarter), TODAY, viewer=STAFF, tz=HANOI)
        totals = data.totals
        assert totals["done"] > totals["late"] > 0 and totals["overdue"] > 0, totals
        assert 0.55 <= totals["done"] / sum(totals.values()) <= 0.75, totals
        assert data.most_behind
    late = progress.overdue(demo, TODAY, viewer=STAFF)
    assert len(late) > 10
    assert {t.code for unit in late for t in unit.tasks} >= {"1.3", "4.1"}
    with demo.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == "4.1"))
    standing = progress.task_states(demo, task_id, viewer=STAFF)
    assert standing.label.startswith("4.1 ") and standing.timeframe == "Quý III/2026"
    assert standing.due == date(2026, 9, 30)
    found = {state.status for state in standing.states}
    assert {"done", "in_progress", "delayed", "not_reported"} <= found
    # the quarterly report: most units sent the third quarter's, some did not
    [missed] = progress.missed_reports(demo, TODAY, viewer=STAFF, cutoff_day=15)
    assert missed.code == "4.2" and missed.period == Period.quarter(2026, 3)
    with demo.session() as session:
        leads = len(session.scalar(select(Task).where(Task.code == "4.2")).assignments)
    assert 0 < len(missed.units) < leads / 2, (len(missed.units), leads)


def _figures_rise_over_the_months_and_some_units_are_below_target(demo: Database) -> None:
    digitised = _indicator_id(demo, "số hóa")
    detail = progress.indicator_detail(demo, digitised, Period.month(2026, 11), viewer=STAFF)
    assert detail is not None
    standing = detail.standing
    assert standing.reported > 60 and 0 < standing.meeting < standing.reported
    assert all(f.numerator is not None and f.denominator for f in detail.figures)
    assert len(detail.trend) >= 3
    areas = [area for _period, area in detail.trend]
    assert areas[-1] > areas[0]
    with demo.session() as session:
        rows = session.execute(
            select(IndicatorValue.unit_id, IndicatorValue.period_start, IndicatorValue.value)
            .where(
                IndicatorValue.indicator_id == digitised,
                IndicatorValue.retracted_at.is_(None),
            )
            .order_by(IndicatorValue.period_start)
        ).all()
    by_unit: dict[int, list] = defaultdict(list)
    for unit_id, _start, value in rows:
        by_unit[unit_id].append(value)
    rising = [v for v in by_unit.values() if len(v) >= 3 and v[-1] > v[0]]
    assert len(rising) > 20
    # Every indicator has figures this month and for the quarter (its months added up);
    # some units sent nothing this month.
    overview = progress.overview(demo, Period.month(2026, 11), TODAY, viewer=STAFF, tz=HANOI)
    assert all(s.reported > 20 for s in overview.indicators)
    quarter = progress.overview(demo, Period.quarter(2026, 3), TODAY, viewer=STAFF, tz=HANOI)
    assert all(s.reported > 20 and s.area is not None for s in quarter.indicators)
    assert overview.silent


def _the_reports_are_sent_once(demo: Database) -> None:
    before = _counts(demo)
    assert seed_reports(demo, _settings(demo), NOW) is None
    assert seed_reports(demo, _settings(demo), datetime(2026, 12, 20, tzinfo=UTC)) is None
    _build(demo, NOW)  # the console opening the demo again
    assert _counts(demo) == before


def test_before_a_deadline_units_are_still_in_progress(db: Database) -> None:
    """Dates follow ``now``: on 22/9 task 4.1 (due 30/9) is in progress for many, and
    nothing is dated after that day."""
    now = datetime(2026, 9, 22, 3, 0, tzinfo=UTC)
    _build(db, now)
    today = date(2026, 9, 22)
    totals = progress.overview(db, Period.quarter(2026, 3), today, viewer=STAFF, tz=HANOI).totals
    assert totals["in_progress"] > 0 and totals["not_reported"] > 0 and totals["done"] > 0
    assert totals["late"] == totals["overdue"] == 0  # not due yet
    year = progress.overview(db, Period.year(2026), today, viewer=STAFF, tz=HANOI).totals
    assert all(year[state] > 0 for state in progress.STATES), year
    with db.session() as session:
        latest = session.scalar(select(func.max(InboundMessage.received_at)))
    assert latest is not None and latest.replace(tzinfo=UTC) <= now


def test_a_demo_database_of_an_older_version_is_upgraded(tmp_path) -> None:
    """The demo database is the demo's own: one an earlier version made is migrated when
    the demo opens it, not refused (a deployment's database is upgraded by its operator)."""
    from alembic import command

    old = Database(f"sqlite:///{tmp_path / 'dondoc-demo.db'}")
    command.upgrade(old._alembic_config(), "0012")
    assert old.current_revision() == "0012"
    build_demo(_settings(old), now=NOW).dispose()
    assert old.current_revision() == old.head_revision()
    assert _count(old, Task) == 11
    old.dispose()
