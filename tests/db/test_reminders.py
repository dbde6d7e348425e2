"""The reminder rows: claimed atomically by competing dispatchers, each exactly once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from bot.config import Settings
from bot.services.identity import Actor
from scheduling import buttons, outbox
from scheduling.policy import reminder_settings
from storage import instances
from storage.db import Database
from storage.models import Reminder, ReminderState, Role, Unit, UnitKind, UnitSource

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
SETTINGS = reminder_settings(Settings(_env_file=None))


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
        while batch := outbox.claim(db, NOW, SETTINGS, limit=7):
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
    assert outbox.claim(db, NOW - timedelta(hours=1), SETTINGS) == []
    assert len(outbox.claim(db, NOW, SETTINGS)) == 3


def test_the_rows_of_an_instance_gone_are_sent_by_another_at_once(db: Database) -> None:
    _rows(db, 4)
    theirs = outbox.claim(db, NOW, SETTINGS, by="b", limit=2)
    assert len(theirs) == 2
    running = []
    if db.dialect == "postgresql":
        running = [instances.hold_alive(db, name) for name in ("a", "b")]
        assert len(outbox.claim(db, NOW, SETTINGS, by="a", limit=2)) == 2
        # Both running: a third finds nothing to take over.
        assert outbox.claim(db, NOW, SETTINGS, by="c") == []
        running.pop().close()  # b is killed: PostgreSQL lets its lock go
    # (SQLite is one process's: b was the process before a.)
    taken = outbox.claim(db, NOW + timedelta(seconds=30), SETTINGS, by="a")
    assert set(theirs) <= set(taken)  # well before the claim timeout
    with db.session() as session:
        owners = set(session.scalars(select(Reminder.claimed_by)))
    assert owners == {"a"}
    for connection in running:
        connection.close()


def test_a_row_claimed_by_no_known_instance_waits_for_the_timeout(db: Database) -> None:
    _rows(db, 1)
    [row] = outbox.claim(db, NOW, SETTINGS)  # by an instance that did not say
    assert outbox.claim(db, NOW + timedelta(minutes=9), SETTINGS, by="a") == []
    assert outbox.claim(
        db, NOW + outbox.CLAIM_TIMEOUT + timedelta(seconds=1), SETTINGS, by="a"
    ) == [row]


def test_a_failed_send_is_retried_then_given_up(db: Database) -> None:
    _rows(db, 1)
    [row] = outbox.claim(db, NOW, SETTINGS)
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        outbox.mark_failed(db, row, NOW, permanent=False)
        with db.session() as session:
            reminder = session.get(Reminder, row)
            assert reminder is not None and reminder.attempts == attempt
            state = reminder.state
        if attempt < outbox.MAX_ATTEMPTS:
            assert state is ReminderState.PENDING
            later = NOW + timedelta(hours=1)
            assert outbox.claim(db, later, SETTINGS) == [row]
    assert state is ReminderState.FAILED


def test_snoozing_a_reminder_that_is_gone_does_nothing(db: Database) -> None:
    _rows(db, 1)
    office = Actor(user_id=1, language="vi", official_id=1, role=Role.OFFICE)
    assert buttons.snooze(db, office, 99_999, 1, NOW, SETTINGS) is None
    [row] = outbox.claim(db, NOW, SETTINGS)
    assert buttons.snooze(db, office, row, 1, NOW, SETTINGS) is None  # not sent yet
    outbox.mark_sent(db, row, 42, NOW)
    first = buttons.snooze(db, office, row, 1, NOW, SETTINGS)
    again = buttons.snooze(db, office, row, 1, NOW, SETTINGS)  # pressed twice
    assert first is not None and first == again
    with db.session() as session:
        assert (
            len(session.scalars(select(Reminder).where(Reminder.key.like("snooze:%"))).all()) == 1
        )


def test_a_claim_takes_at_most_its_limit(db: Database) -> None:
    # On PostgreSQL, ``UPDATE … WHERE id IN (SELECT … LIMIT 100 FOR UPDATE SKIP LOCKED)``
    # claimed every one of 300 due rows: the planner ran the subquery more than once.
    _rows(db, 300)
    assert len(outbox.claim(db, NOW, SETTINGS, limit=100)) == 100
    assert len(outbox.claim(db, NOW, SETTINGS, limit=100)) == 100
    # The 200 claimed rows of an instance that died are released: 300 pending again, and
    # still 100 at a time.
    later = NOW + outbox.CLAIM_TIMEOUT + timedelta(minutes=1)
    assert [len(outbox.claim(db, later, SETTINGS, limit=100)) for _ in range(4)] == [
        100,
        100,
        100,
        0,
    ]


def _group_rows(db: Database, groups: int, each: int, private: int) -> list[int]:
    """``each`` due reminders for each of ``groups`` group chats, ``private`` for one
    official; returns the chat row ids."""
    from storage.models import Chat, Official

    with db.session() as session:
        unit = Unit(name="Xã Thử", kind=UnitKind.COMMUNE, source=UnitSource.MANUAL)
        official = Official(telegram_user_id=77, full_name="Lan", role=Role.OFFICIAL)
        chats = [
            Chat(telegram_chat_id=-100 - n, type="supergroup", title=f"Nhóm {n}")
            for n in range(groups)
        ]
        session.add_all([unit, official, *chats])
        session.flush()
        official.unit_id = unit.id
        for n, chat in enumerate(chats):
            for index in range(each):
                session.add(
                    Reminder(
                        key=f"g{n}:{index}",
                        kind="due",
                        unit_id=unit.id,
                        chat_id=chat.id,
                        due_at=NOW - timedelta(minutes=index % 7),
                        state=ReminderState.PENDING,
                        payload={},
                    )
                )
        for index in range(private):
            session.add(
                Reminder(
                    key=f"p:{index}",
                    kind="due",
                    unit_id=unit.id,
                    official_id=official.id,
                    due_at=NOW,
                    state=ReminderState.PENDING,
                    payload={},
                )
            )
        return [chat.id for chat in chats]


def _chat_of(db: Database, reminder_ids: list[int]) -> dict[int, int | None]:
    with db.session() as session:
        return dict(
            session.execute(
                select(Reminder.id, Reminder.chat_id).where(Reminder.id.in_(reminder_ids))
            ).all()
        )


def test_two_dispatchers_together_keep_each_group_within_its_minute(db: Database) -> None:
    """Two instances tick every 30 s, 15 s apart; each sends what it claimed over the next
    20 s. In no 60-second window does a group get more than the budget (Telegram: 20),
    private reminders go at once, and every reminder is sent in the end."""
    budget = outbox.GROUP_REMINDERS_PER_MINUTE
    chats = _group_rows(db, groups=2, each=60, private=40)
    sends: list[tuple[datetime, int | None]] = []
    in_flight: list[tuple[datetime, int, int | None]] = []  # (send at, reminder, chat)
    for step in range(0, 16 * 60, 5):  # sixteen minutes in steps of 5 s
        now = NOW + timedelta(seconds=step)
        for at, reminder_id, chat in [f for f in in_flight if f[0] <= now]:
            outbox.mark_sent(db, reminder_id, 1, at)
            sends.append((at, chat))
            in_flight.remove((at, reminder_id, chat))
        if step % 15 == 0:  # instance A at 0, 30, 60 s…, instance B at 15, 45, 75 s…
            claimed = outbox.claim(db, now, SETTINGS, limit=100)
            chat_of = _chat_of(db, claimed)
            for order, reminder_id in enumerate(claimed):
                at = now + timedelta(seconds=20 * order / max(1, len(claimed)))
                in_flight.append((at, reminder_id, chat_of[reminder_id]))
    assert not in_flight
    for chat in chats:
        times = sorted(at for at, sent_to in sends if sent_to == chat)
        assert len(times) == 60  # all sent, in the end
        most = max(
            sum(1 for t in times if start <= t < start + timedelta(seconds=60)) for start in times
        )
        assert most <= budget < 20
    private = [at for at, sent_to in sends if sent_to is None]
    assert len(private) == 40 and max(private) < NOW + timedelta(seconds=25)


def test_two_dispatchers_claiming_at_once_share_a_groups_budget(db: Database) -> None:
    budget = outbox.GROUP_REMINDERS_PER_MINUTE
    [chat] = _group_rows(db, groups=1, each=100, private=0)

    # Each claim waits (briefly) at its choice of rows for the other to get there too, so
    # that two instances count the group's minute at the same moment when nothing keeps
    # them apart; together they still take one share.
    arrived: list[int] = []
    both = threading.Event()

    def rendezvous(conn, cursor, statement, *args) -> None:
        if "row_number" in statement:
            arrived.append(1)
            if len(arrived) == 2:
                both.set()
            both.wait(timeout=0.5)

    def take(_: int) -> list[int]:
        return outbox.claim(db, NOW, SETTINGS, limit=100)

    event.listen(db.engine, "before_cursor_execute", rendezvous)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(take, range(2))
    finally:
        event.remove(db.engine, "before_cursor_execute", rendezvous)
    assert not set(first) & set(second)
    assert len(first) + len(second) == budget
    # A minute later, with those sent, the group has its next share.
    for reminder_id in first + second:
        outbox.mark_sent(db, reminder_id, 1, NOW + timedelta(seconds=1))
    assert outbox.claim(db, NOW + timedelta(seconds=30), SETTINGS) == []
    assert len(outbox.claim(db, NOW + timedelta(seconds=62), SETTINGS)) == budget
    assert set(_chat_of(db, first + second).values()) == {chat}
