"""The fault test (issue 17): three real ``dondoc run`` instances in webhook mode behind
nginx (deploy/nginx.conf as written) on one PostgreSQL database, Telegram's side played
by the fake Bot API: it POSTs each update to the webhook with the secret header, up to 40
at once whatever their chat (so one person's consecutive updates reach two instances at
the same time), and posts again whatever did not get 200.

300 people send 3,000 updates (100 and 1,000 in the suite, see ``PEOPLE``): reports,
"hủy" right after a report, edits of a report's message, the "Hủy" button of a
confirmation, and some updates posted twice (Telegram's redeliveries). One instance is
killed with SIGKILL in the middle and started again; a few reminders fall due during
the run. Then: no update lost, none handled twice, no "hủy" or edit handled before its
report, every reply sent once (except, at most, those of the updates the killed instance
was sending: it cannot have recorded them), every reminder due sent once (the same
exception: those it was sending), the killed instance's reminders taken over at once. The
figures are printed (``pytest -s``) and in the assertions.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services import inbound
from storage.db import Database
from storage.models import (
    Assignment,
    InboundMessage,
    IndicatorValue,
    Official,
    Reminder,
    ReminderState,
)
from tests import cluster
from tests.fakebot import Call, FakeBotAPI
from tests.fakebot_server import serving

# 100 people (1,000 updates) in a developer's run, about two minutes here; the issue's
# full size, 300 people and 3,000 updates, with FAULT_TEST_PEOPLE=300, as .ci/run runs it
# (4.6 minutes on this 2-core machine while shared: docs/benchmarks.md).
PEOPLE = int(os.environ.get("FAULT_TEST_PEOPLE", "100"))
EACH = 10  # updates a person sends (see _person)
REDELIVERED = 0.1  # share of the updates Telegram posts twice
REMINDERS = 30  # reminder rows falling due during the run
REMINDERS_SPAN = timedelta(seconds=40)  # over which they fall due, from the start
CONCURRENT = 8  # DONDOC_CONCURRENT_UPDATES: what one instance may have in hand at once
KILL_AT = 0.4  # the share of updates taken before one instance is killed
DEADLINE = 300.0  # seconds for the whole exchange, a safety net
CONFIRMED, UNDONE, EDITED = "Đã ghi nhận", "Đã hủy", "Đã sửa"
ALREADY_UNDONE = "Báo cáo gần nhất của bạn"
# What each person must get back, in this order (one reply per update but the last
# edits', whose reply is the "Đã sửa").
EXPECTED = [CONFIRMED, UNDONE, CONFIRMED, EDITED, CONFIRMED, UNDONE, CONFIRMED, UNDONE]
EXPECTED += [CONFIRMED, EDITED]


@dataclass
class Load:
    """The updates the people sent (unique ids), and the redeliveries."""

    fake: FakeBotAPI
    rng: random.Random
    ids: list[int] = field(default_factory=list)
    chat_ids: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    presses: int = 0
    redelivered: int = 0

    def push(self, update: dict) -> dict:
        self.ids.append(update["update_id"])
        self.chat_ids[inbound.chat_of(update)].add(update["update_id"])
        if self.rng.random() < REDELIVERED:
            self.fake.redeliver(update)  # Telegram posts it twice
            self.redelivered += 1
        return update


async def _person(fake: FakeBotAPI, inbox: cluster.Replies, load: Load, user: dict, n: int) -> None:
    """Ten updates: a report and its "hủy" at once; a report and its edit at once; a
    report, then (once confirmed) its "Hủy" button; a report and its "hủy"; a report and
    its edit. Figures are the person's own, so each confirmation is recognisable."""
    chat = user["id"]
    base = 10 + n % 35  # so hoa {base+k}/100: seven figures, each at most 100%

    def send(k: int) -> dict:
        return load.push(fake.send_text(user, user, f"so hoa {base + k}/100"))

    send(1)
    load.push(fake.send_text(user, user, "hủy"))
    second = send(2)
    load.push(
        fake.edit_text(user, user, second["message"]["message_id"], f"so hoa {base + 52}/100")
    )
    send(3)
    mark = f"({base + 3}/100)"

    def confirmed(calls: list[Call]) -> bool:
        return any(
            c.params["text"].startswith(CONFIRMED) and mark in c.params["text"] for c in calls
        )

    await inbox.wait(chat, confirmed)
    reply = next(c for c in inbox.replies[chat] if mark in c.params["text"])
    load.push(fake.press(user, fake.message(user, reply.result["message_id"]), text="Hủy"))
    load.presses += 1
    send(4)
    load.push(fake.send_text(user, user, "hủy"))
    fifth = send(5)
    load.push(fake.edit_text(user, user, fifth["message"]["message_id"], f"so hoa {base + 55}/100"))


def _reminders(db: Database, start: datetime) -> int:
    """``REMINDERS`` reminder rows to officials, falling due one after another over the
    run's first ``REMINDERS_SPAN`` (kept by the instances' own rebuilds: snooze rows)."""
    with db.session() as session:
        people = session.execute(
            select(Official.id, Official.unit_id, func.min(Assignment.id))
            .join(Assignment, Assignment.unit_id == Official.unit_id)
            .group_by(Official.id, Official.unit_id)
            .order_by(Official.id)
            .limit(REMINDERS)
        ).all()
        for index, (official_id, unit_id, assignment_id) in enumerate(people):
            session.add(
                Reminder(
                    key=f"snooze:fault-{index}>p{official_id}",
                    kind="overdue",
                    assignment_id=assignment_id,
                    unit_id=unit_id,
                    official_id=official_id,
                    due_at=start + REMINDERS_SPAN * index / REMINDERS,
                    state=ReminderState.PENDING,
                    payload={"days_late": 100 + index, "due": "2025-03-31"},
                    created_at=start,
                )
            )
    return len(people)


def _chat_log(db: Database, chat: int) -> list[str]:
    """One chat's updates as the log has them, for an assertion's message."""
    with db.session() as session:
        return [
            f"{r.update_id} {r.kind} {r.text!r} logged {r.received_at:%H:%M:%S.%f} "
            f"claimed {r.claimed_at and f'{r.claimed_at:%H:%M:%S.%f}'} by {r.claimed_by}"
            for r in session.scalars(
                select(InboundMessage)
                .where(InboundMessage.chat_id == chat)
                .order_by(InboundMessage.update_id)
            )
        ]


def _kind(text: str) -> str:
    if text.startswith(ALREADY_UNDONE) and "đã được hủy" in text:
        return UNDONE  # a "hủy" handled again (after the kill): its report is undone
    return next((k for k in (CONFIRMED, UNDONE, EDITED) if text.startswith(k)), text[:40])


def _collapse(kinds: list[str]) -> list[str]:
    """The replies with a repeat of the one before dropped (an update answered, then
    answered again after the kill)."""
    return [t for i, t in enumerate(kinds) if i == 0 or t != kinds[i - 1]]


def _orders(again: list[int]) -> list[list[str]]:
    """The replies a person may get, in order: ``EXPECTED``, where an update the killed
    instance had in hand (positions ``again``) may also be answered as what it finds
    stored when it is handled again (its report confirmed: "Đã ghi nhận")."""
    orders = [EXPECTED]
    for k in again:
        orders += [[*order[:k], CONFIRMED, *order[k + 1 :]] for order in orders]
    return [_collapse(order) for order in orders]


async def test_three_instances_behind_nginx_survive_a_kill(db: Database, tmp_path: Path) -> None:
    if db.dialect != "postgresql":
        pytest.skip("several instances share one PostgreSQL (SQLite is one process's)")
    try:
        cluster.nginx_binary()
        cluster.self_signed(tmp_path)  # nginx's certificate: openssl is needed too
    except cluster.Unavailable as missing:
        pytest.skip(str(missing))
    began = time.monotonic()
    fake = FakeBotAPI()
    users = cluster.area(db, fake, PEOPLE)
    inbox = cluster.Replies(fake)
    load = Load(fake, random.Random(17))
    env = {
        "DONDOC_CONCURRENT_UPDATES": str(CONCURRENT),
        "DONDOC_QUIET_START": "00:00",  # no quiet hours: the reminders go out
        "DONDOC_QUIET_END": "00:00",
    }
    figures: dict[str, object] = {"people": PEOPLE}
    async with (
        serving(fake) as base_url,
        cluster.Cluster(fake, base_url, db.url, tmp_path, instances=3, env=env) as bots,
    ):
        figures["start (s)"] = round(time.monotonic() - began, 1)
        run_start = datetime.now(UTC)
        due = _reminders(db, run_start)
        try:
            async with bots.client(timeout=60) as client, cluster.delivering(fake, client):
                # The log's first update: a burst is ordered against the updates before it
                # (the very first burst of a fresh log is not: bot/services/inbound.py).
                first = fake.add_user(first_name="Khách")
                fake.send_text(first, first, "/trogiup")
                await asyncio.wait_for(inbox.wait(first["id"], bool), cluster.START_TIMEOUT)
                t0 = time.monotonic()
                people = asyncio.gather(
                    *(_person(fake, inbox, load, user, n) for n, user in enumerate(users))
                )
                wanted = PEOPLE * EACH
                taken = lambda: len({i for i, s in fake.webhook_deliveries if s == 200})  # noqa: E731
                await cluster.until(lambda: taken() >= KILL_AT * wanted, DEADLINE)
                await bots.kill(1)
                figures["killed at (s)"] = round(time.monotonic() - t0, 1)
                with db.session() as session:
                    in_hand = set(
                        session.scalars(
                            select(InboundMessage.update_id).where(
                                InboundMessage.claimed_at.is_not(None),
                                InboundMessage.handled_at.is_(None),
                            )
                        )
                    )
                    reminders_in_hand = session.scalar(
                        select(func.count())
                        .select_from(Reminder)
                        .where(Reminder.state == ReminderState.CLAIMED)
                    )
                figures["claimed, unanswered at the kill (all instances)"] = len(in_hand)
                figures["reminders being sent at the kill"] = reminders_in_hand
                await bots.start(1)
                figures["restarted at (s)"] = round(time.monotonic() - t0, 1)
                await asyncio.wait_for(people, DEADLINE)  # cancelled if not done by then

                def settled() -> bool:  # replies go out before an update is marked answered
                    if fake.pending_updates:
                        return False
                    with db.session() as session:
                        return session.scalar(
                            select(func.count())
                            .select_from(InboundMessage)
                            .where(InboundMessage.handled_at.is_not(None))
                        ) >= len(set(load.ids))

                await cluster.until(settled, DEADLINE)
                figures["answered (s)"] = round(time.monotonic() - t0, 1)
                # Every reminder of the run is due by then (on a fast run, once the
                # last falls due).
                run_end = max(datetime.now(UTC), run_start + REMINDERS_SPAN)

                def reminders_done() -> bool:
                    with db.session() as session:
                        return not session.scalar(
                            select(func.count())
                            .select_from(Reminder)
                            .where(
                                Reminder.due_at <= run_end,
                                # The killed instance's are taken over at once.
                                Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
                            )
                        )

                await cluster.until(reminders_done, 90)

                def unanswered() -> int:
                    with db.session() as session:
                        return session.scalar(
                            select(func.count())
                            .select_from(InboundMessage)
                            .where(InboundMessage.handled_at.is_(None))
                        )

                await cluster.until(lambda: unanswered() == 0, 90)
                figures["done (s)"] = round(time.monotonic() - t0, 1)
        except (AssertionError, TimeoutError) as exc:
            raise AssertionError(f"{exc!r}\nfigures so far: {figures}\n{bots.tails()}") from exc

    # Updates: each one logged, answered, its facts stored once.
    with db.session() as session:
        handled = set(
            session.scalars(
                select(InboundMessage.update_id).where(InboundMessage.handled_at.is_not(None))
            )
        )
        logged = session.scalar(select(func.count()).select_from(InboundMessage))
        stored_twice = session.scalar(
            select(func.count()).select_from(
                select(IndicatorValue.inbound_message_id)
                .where(IndicatorValue.inbound_message_id.is_not(None))
                .group_by(IndicatorValue.inbound_message_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        standing = session.scalar(
            select(func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.retracted_at.is_(None))
        )
        rows = session.execute(
            select(
                Reminder.id,
                Reminder.state,
                Reminder.due_at,
                Reminder.telegram_message_id,
                Official.telegram_user_id,
            ).join(Official, Official.id == Reminder.official_id)
        ).all()
    unique = set(load.ids)
    lost = unique - handled
    # Replies, chat by chat, in the order they reached Telegram.
    out_of_order, repeated = [], 0
    for user in users:
        kinds = [_kind(c.params["text"]) for c in inbox.replies[user["id"]]]
        repeated += max(0, len(kinds) - len(EXPECTED))  # every update gets its reply
        sent = [i for i in load.ids if i in load.chat_ids[user["id"]]]
        if _collapse(kinds) not in _orders([k for k, i in enumerate(sent) if i in in_hand]):
            out_of_order.append((user["id"], kinds))
    posts = len(fake.webhook_deliveries)
    refused = sum(1 for _, status in fake.webhook_deliveries if status != 200)
    sent_rows = [r for r in rows if r.state is ReminderState.SENT]  # due by now or a bit later
    rows = [r for r in rows if r.due_at <= run_end]  # due while the updates were handled
    reminder_messages = sum(len(calls) for calls in inbox.reminders.values())
    unsent = [r for r in rows if r.state is not ReminderState.SENT]
    figures |= {
        "updates": len(unique),
        "button presses": load.presses,
        "posted twice by Telegram": load.redelivered,
        "webhook POSTs": posts,
        "slowest POST (s)": round(max(end - sent for _, _, sent, end in fake.webhook_timings), 1),
        "POSTs not answered 200 (posted again)": refused,
        "rows in the log": logged,
        "lost": len(lost),
        "stored twice": stored_twice,
        "figures standing": standing,
        "chats out of order": len(out_of_order),
        "replies sent twice": repeated,
        "button answers": len(inbox.answers),
        "reminders due": len(rows),
        "reminders sent": len(sent_rows),
        "reminder messages": reminder_messages,
        "updates/s": round(len(unique) / float(figures["answered (s)"]), 1),
    }
    print("\nfault test:", ", ".join(f"{k} {v}" for k, v in figures.items()))
    say = f"figures: {figures}"
    assert len(unique) == PEOPLE * EACH, say
    assert not lost, f"{sorted(lost)[:20]} {say}"
    assert stored_twice == 0, say
    assert standing == 2 * PEOPLE, say  # two edited reports each; the rest undone
    assert not out_of_order, "\n".join(
        [say]
        + [
            f"{chat}: {kinds}\n  " + "\n  ".join(_chat_log(db, chat))
            for chat, kinds in out_of_order[:3]
        ]
    )
    # A reply sent and not yet recorded when the process died is sent again by another:
    # only the updates the killed instance had in hand can be answered twice.
    assert repeated <= CONCURRENT, say
    assert load.presses <= len(inbox.answers) <= load.presses + CONCURRENT, say
    assert len(rows) >= due and not unsent, f"{unsent} {say}"
    # Likewise a reminder sent and not yet recorded by the killed instance is sent again.
    assert len(sent_rows) <= reminder_messages <= len(sent_rows) + reminders_in_hand, say
    sent_ids = {
        (int(c.params["chat_id"]), c.result["message_id"])
        for calls in inbox.reminders.values()
        for c in calls
    }
    assert {(r.telegram_user_id, r.telegram_message_id) for r in sent_rows} <= sent_ids, say
