"""The reminder rows: claimed atomically by competing dispatchers, each exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.services.identity import Actor
from scheduling import service
from storage.db import Database
from storage.models import Reminder, ReminderState, Role, Unit, UnitKind, UnitSource

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def _rows(db: Database, count: int) -> None:
    with db.session() as session:
        unit = Unit(name="Xã Thử", kind=UnitKind.COMMUNE, source=UnitSource.MANUAL)
        session.add(unit)
        session.flush()
        for index in range(count):
            session.add(
                Reminder(
                    key=f"test:{index}",
                    kind="due",
                    unit_id=unit.id,
                    due_at=NOW - timedelta(minutes=index % 30),
                    state=ReminderState.PENDING,
                    payload={},
                )
            )


def test_two_dispatchers_never_claim_the_same_row(db: Database) -> None:
    _rows(db, 300)

    def drain(_: int) -> list[int]:
        mine: list[int] = []
        while batch := service.claim(db, NOW, limit=7):
            mine += batch
        return mine

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(drain, range(2))
    assert not set(first) & set(second)
    assert len(first) + len(second) == 300
    with db.session() as session:
        states = set(session.scalars(select(Reminder.state)))
    assert states == {ReminderState.CLAIMED}


def test_not_yet_due_rows_wait(db: Database) -> None:
    _rows(db, 3)
    assert service.claim(db, NOW - timedelta(hours=1)) == []
    assert len(service.claim(db, NOW)) == 3


def test_a_failed_send_is_retried_then_given_up(db: Database) -> None:
    _rows(db, 1)
    [row] = service.claim(db, NOW)
    for attempt in range(1, service.MAX_ATTEMPTS + 1):
        service.mark_failed(db, row, NOW, permanent=False)
        with db.session() as session:
            reminder = session.get(Reminder, row)
            assert reminder is not None and reminder.attempts == attempt
            state = reminder.state
        if attempt < service.MAX_ATTEMPTS:
            assert state is ReminderState.PENDING
            later = NOW + timedelta(hours=1)
            assert service.claim(db, later) == [row]
    assert state is ReminderState.FAILED


def test_snoozing_a_reminder_that_is_gone_does_nothing(db: Database) -> None:
    from scheduling.policy import ReminderSettings

    _rows(db, 1)
    office = Actor(user_id=1, language="vi", official_id=1, role=Role.OFFICE)
    assert service.snooze(db, office, 99_999, 1, NOW, ReminderSettings()) is None
    [row] = service.claim(db, NOW)
    assert service.snooze(db, office, row, 1, NOW, ReminderSettings()) is None  # not sent yet
    service.mark_sent(db, row, 42, NOW)
    first = service.snooze(db, office, row, 1, NOW, ReminderSettings())
    again = service.snooze(db, office, row, 1, NOW, ReminderSettings())  # pressed twice
    assert first is not None and first == again
    with db.session() as session:
        assert (
            len(session.scalars(select(Reminder).where(Reminder.key.like("snooze:%"))).all()) == 1
        )
