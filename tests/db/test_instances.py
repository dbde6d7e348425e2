"""Several instances on one database (issue 17): the message log keyed by bot and by
Telegram's redelivery horizon, one chat's updates claimed one at a time and in order,
and a scheduled job's slot run once. On SQLite and, with TEST_DATABASE_URL, PostgreSQL
(where the threads below are separate connections racing for real)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.services import inbound
from bot.transport import ChatRef, ChatType, Incoming, Kind, UserRef
from scheduling import jobs
from storage.db import Database
from storage.models import InboundMessage, JobRun

NOW = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
BOT, NEW_BOT = 111111, 222222
HOUR = timedelta(hours=1)


def _payload(update_id: int, chat: int, text: str = "nv 1 xong") -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(NOW.timestamp()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "text": text,
        },
    }


def _incoming(update_id: int, chat: int, bot_id: int = BOT) -> Incoming:
    return Incoming(
        "telegram",
        update_id,
        Kind.TEXT,
        ChatRef(chat, ChatType.PRIVATE),
        UserRef(chat, "A"),
        NOW,
        text="nv 1 xong",
        bot_id=bot_id,
    )


def _handle(db: Database, update_id: int, chat: int, now: datetime, bot_id: int = BOT) -> bool:
    """Receive, claim and answer one update as the bot does; whether it was handled."""
    inbound.receive(db, "telegram", [_payload(update_id, chat)], now, bot_id=bot_id)
    claim = inbound.claim(db, _incoming(update_id, chat, bot_id), now)
    if claim is None:
        return False
    inbound.finish(db, "telegram", update_id, now, bot_id=bot_id)
    return True


def _rows(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(InboundMessage))


def test_a_new_token_starting_ids_over_is_handled(db: Database) -> None:
    assert _handle(db, 1, chat=5, now=NOW)
    # The office recreated its bot: the new one's ids start over, within the hour.
    assert _handle(db, 1, chat=5, now=NOW + HOUR, bot_id=NEW_BOT)
    # The old bot's redelivery is still known.
    assert not _handle(db, 1, chat=5, now=NOW + HOUR)
    assert _rows(db) == 2


def test_a_redelivery_inside_the_horizon_is_handled_once(db: Database) -> None:
    assert _handle(db, 7, chat=5, now=NOW)
    assert not _handle(db, 7, chat=5, now=NOW + timedelta(hours=23))
    assert not _handle(db, 7, chat=5, now=NOW + timedelta(hours=24))  # the edge: still old
    assert _rows(db) == 1


def test_an_id_reused_after_the_horizon_is_a_new_update(db: Database) -> None:
    assert _handle(db, 7, chat=5, now=NOW)
    later = NOW + timedelta(days=8)  # a Tết week without updates: ids picked anew
    assert _handle(db, 7, chat=6, now=later)
    assert not _handle(db, 7, chat=6, now=later + HOUR)  # and that one is known now
    with db.session() as session:
        rows = session.execute(
            select(InboundMessage.chat_id, InboundMessage.live).order_by(InboundMessage.id)
        ).all()
    assert rows == [(5, None), (6, True)]  # the old row is kept (facts point to it)


def test_the_horizon_is_a_setting(db: Database) -> None:
    assert _handle(db, 7, chat=5, now=NOW)
    payload = _payload(7, 5)
    later = NOW + timedelta(hours=3)
    inbound.receive(db, "telegram", [payload], later, bot_id=BOT, horizon=2 * HOUR)
    claim = inbound.claim(db, _incoming(7, 5), later, horizon=2 * HOUR)
    assert claim is not None
    assert _rows(db) == 2


def test_an_unanswered_row_is_never_retired(db: Database) -> None:
    """An update logged and never answered is still owed its answer, however old."""
    inbound.receive(db, "telegram", [_payload(9, 5)], NOW, bot_id=BOT)
    later = NOW + timedelta(days=3)
    inbound.receive(db, "telegram", [_payload(9, 5)], later, bot_id=BOT)
    assert _rows(db) == 1
    assert inbound.claim(db, _incoming(9, 5), later) is not None


def test_one_chats_updates_are_claimed_in_order_one_at_a_time(db: Database) -> None:
    report, undo = _payload(10, 5), _payload(11, 5, "hủy")
    inbound.receive(db, "telegram", [report, undo], NOW, bot_id=BOT)
    # The undo reaches an instance first: it waits for the report.
    assert inbound.claim(db, _incoming(11, 5), NOW) is None
    assert inbound.claim(db, _incoming(10, 5), NOW) is not None
    # While the report is handled, the undo still waits; another chat does not.
    assert inbound.claim(db, _incoming(11, 5), NOW) is None
    assert _handle(db, 12, chat=6, now=NOW)
    # Answering the report hands the undo back, to be handled now.
    assert inbound.finish(db, "telegram", 10, NOW, bot_id=BOT) == undo
    assert inbound.claim(db, _incoming(11, 5), NOW) is not None
    assert inbound.finish(db, "telegram", 11, NOW, bot_id=BOT) is None


def test_a_later_update_logged_first_is_not_blocked_by_nothing(db: Database) -> None:
    """An update waits only for what is logged: a lone later id is handled at once."""
    assert _handle(db, 20, chat=5, now=NOW)
    assert _handle(db, 19, chat=5, now=NOW)  # logged after 20 was answered: handled


def test_a_failed_handling_holds_its_chat_until_its_lease_ends(db: Database) -> None:
    inbound.receive(db, "telegram", [_payload(30, 5), _payload(31, 5)], NOW, bot_id=BOT)
    assert inbound.claim(db, _incoming(30, 5), NOW) is not None  # then the instance died
    assert inbound.claim(db, _incoming(31, 5), NOW + timedelta(minutes=1)) is None
    later = NOW + inbound.HANDLING_LEASE + timedelta(seconds=1)
    # The sweep hands 30 back first (oldest first), then 31 follows it.
    assert inbound.unhandled(db, "telegram", later, later - inbound.HANDLING_LEASE, bot_id=BOT)[
        0
    ] == _payload(30, 5)
    assert inbound.claim(db, _incoming(30, 5), later) is not None
    assert inbound.finish(db, "telegram", 30, later, bot_id=BOT) == _payload(31, 5)


def test_rows_from_before_bots_were_known_are_adopted(db: Database) -> None:
    inbound.receive(db, "telegram", [_payload(40, 5)], NOW)  # logged as bot 0
    assert inbound.adopt(db, "telegram", BOT) == 1
    assert inbound.claim(db, _incoming(40, 5), NOW) is not None
    assert inbound.finish(db, "telegram", 40, NOW, bot_id=BOT) is None
    assert inbound.unhandled(db, "telegram", NOW, NOW) == []


def test_two_instances_racing_on_one_chat_take_turns(db: Database) -> None:
    """Many rounds of a report and its undo, claimed from two threads at the same
    moment (a barrier): the undo is never claimed while the report is not answered."""
    rounds = 25
    payloads = [
        p
        for r in range(rounds)
        for p in (_payload(100 + 2 * r, 5), _payload(101 + 2 * r, 5, "hủy"))
    ]
    inbound.receive(db, "telegram", payloads, NOW, bot_id=BOT)
    barrier = threading.Barrier(2, timeout=30)
    answered: list[int] = []
    lock = threading.Lock()
    violations: list[int] = []

    def instance(parity: int) -> None:
        for r in range(rounds):
            update_id = 100 + 2 * r + parity
            barrier.wait()
            claim = inbound.claim(db, _incoming(update_id, 5), NOW)
            barrier.wait()
            if claim is not None:
                with lock:
                    if update_id - 1 not in answered and parity == 1:
                        violations.append(update_id)
                    answered.append(update_id)
                waiting = inbound.finish(db, "telegram", update_id, NOW, bot_id=BOT)
                if waiting is not None:  # handed back: this instance handles it now
                    nxt = waiting["update_id"]
                    assert inbound.claim(db, _incoming(nxt, 5), NOW) is not None
                    with lock:
                        answered.append(nxt)
                    inbound.finish(db, "telegram", nxt, NOW, bot_id=BOT)
            barrier.wait()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(instance, (0, 1)))
    assert violations == []
    assert sorted(answered) == list(range(100, 100 + 2 * rounds))  # each once
    assert answered == sorted(answered)  # in update order


def test_a_job_slot_claimed_by_two_instances_runs_once(db: Database) -> None:
    barrier = threading.Barrier(2, timeout=30)
    at = NOW + timedelta(minutes=17)

    def instance(seconds: int) -> bool:
        barrier.wait()
        return jobs.claim_slot(db, "schedule", HOUR, at + timedelta(seconds=seconds))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(instance, (0, 5)))
    assert sorted(results) == [False, True]
    # The next hour is a new slot; another job's slot is its own.
    assert jobs.claim_slot(db, "schedule", HOUR, NOW + HOUR)
    assert jobs.claim_slot(db, "other", HOUR, at)
    assert not jobs.claim_slot(db, "schedule", HOUR, NOW + HOUR + timedelta(minutes=59))
    # Old runs are pruned as new ones are claimed.
    assert jobs.claim_slot(db, "schedule", HOUR, NOW + timedelta(days=30))
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(JobRun)) == 1


def test_slots_are_the_interval_from_the_epoch() -> None:
    assert jobs.slot_of(datetime(2026, 3, 9, 2, 59, 59, tzinfo=UTC), HOUR) == datetime(
        2026, 3, 9, 2, 0, tzinfo=UTC
    )


def test_only_the_claims_of_an_instance_gone_are_released(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("instances hold advisory locks on PostgreSQL; SQLite has one process")
    inbound.receive(db, "telegram", [_payload(50, 5), _payload(60, 6)], NOW, bot_id=BOT)
    alive = inbound.hold_alive(db, "a")
    dead = inbound.hold_alive(db, "b")
    assert inbound.claim(db, _incoming(50, 5), NOW, by="a") is not None
    assert inbound.claim(db, _incoming(60, 6), NOW, by="b") is not None
    assert inbound.release_dead_claims(db, "telegram") == 0  # both are running
    dead.close()  # killed: PostgreSQL lets its lock go
    assert inbound.release_dead_claims(db, "telegram") == 1
    assert inbound.claim(db, _incoming(60, 6), NOW, by="a") is not None  # taken over
    assert inbound.claim(db, _incoming(50, 5), NOW, by="c") is None  # still a's
    alive.close()


def test_updates_numbered_before_one_and_not_logged_yet_are_counted(db: Database) -> None:
    def missing(update_id: int, now: datetime = NOW, **kwargs) -> int:
        return inbound.missing_before(db, "telegram", BOT, update_id, now, **kwargs)

    # A fresh log: nothing before the first update is waited for.
    inbound.receive(db, "telegram", [_payload(11, 5)], NOW, bot_id=BOT)
    assert missing(11) == 0
    # 12 and 13 are on their way (posted together with 14, to other instances).
    inbound.receive(db, "telegram", [_payload(14, 6)], NOW, bot_id=BOT)
    assert missing(14) == 2
    inbound.receive(db, "telegram", [_payload(13, 7)], NOW, bot_id=BOT)
    assert missing(14) == 1 and missing(13) == 1
    inbound.receive(db, "telegram", [_payload(12, 8)], NOW, bot_id=BOT)
    assert missing(14) == 0 and missing(12) == 0
    # Another bot's updates are its own; only the ids within the window are looked at.
    assert inbound.missing_before(db, "telegram", NEW_BOT, 14, NOW) == 0
    inbound.receive(db, "telegram", [_payload(40, 9)], NOW, bot_id=BOT)
    assert missing(40) == 25 and missing(40, window=10) == 0
    # Updates logged longer ago than the horizon are history: nothing waits for them.
    assert missing(40, NOW + 2 * HOUR, horizon=HOUR) == 0
