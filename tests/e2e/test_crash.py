"""The real ``dondoc run`` in its own process, against the fake Bot API over a socket:
killed with SIGKILL in the middle of a burst and started again, and cut off from
PostgreSQL for a while. No message is lost, none is stored twice (issue 19).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.models import InboundMessage, IndicatorValue
from tests import cluster
from tests.cluster import bot_env
from tests.cluster import until as _until
from tests.fakebot import FakeBotAPI
from tests.fakebot_server import Relay, serving

PEOPLE, EACH = 30, 5  # a burst of 150 reports
START_TIMEOUT = cluster.START_TIMEOUT
CONCURRENT = 8  # DONDOC_CONCURRENT_UPDATES: at most this many replies may be sent twice


def _area(db: Database, fake: FakeBotAPI) -> list[dict]:
    return cluster.area(db, fake, PEOPLE)


@contextlib.asynccontextmanager
async def _bot(base_url: str, fake: FakeBotAPI, database_url: str, cwd: Path) -> AsyncIterator:
    """``python -m bot run`` against the fake; stopped with SIGTERM at the end."""
    # nothing but replies: reminders wait for the quiet hours to end
    env = bot_env(fake, base_url, database_url, cwd, DONDOC_CONCURRENT_UPDATES=str(CONCURRENT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=(cwd / "bot.log").open("ab"),
    )  # fmt: skip
    try:
        yield process
    except AssertionError as exc:  # say what the bot logged
        log = (cwd / "bot.log").read_text(errors="replace")[-3000:]
        raise AssertionError(f"{exc}\n--- bot.log (end) ---\n{log}") from exc
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


def _confirmations(fake: FakeBotAPI, since: int = 0) -> int:
    return sum(
        1
        for call in fake.calls_of("sendMessage", since=since)
        if str(call.params.get("text", "")).startswith("Đã ghi nhận")
    )


def _stored(db: Database) -> tuple[int, int, int]:
    """(figures standing, messages with more than one figure, messages not answered)."""
    with db.session() as session:
        figures = session.scalar(select(func.count()).select_from(IndicatorValue))
        twice = session.scalar(
            select(func.count()).select_from(
                select(IndicatorValue.inbound_message_id)
                .group_by(IndicatorValue.inbound_message_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        open_ = session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.handled_at.is_(None))
        )
    return figures, twice, open_


def _fetched(fake: FakeBotAPI, update_id: int, since: int) -> int:
    """How many times the bot fetched the update ``update_id`` since call ``since``."""
    return sum(
        1
        for call in fake.calls[since:]
        if call.method == "getUpdates"
        and call.ok
        and any(u["update_id"] == update_id for u in call.result)
    )


def _burst(fake: FakeBotAPI, people: list[dict]) -> int:
    for round_ in range(EACH):
        for person in people:
            fake.send_text(person, person, f"so hoa {60 + round_}/100")
    return len(people) * EACH


async def test_a_killed_bot_loses_no_message_and_stores_none_twice(
    db: Database, clock, tmp_path: Path
) -> None:
    fake = FakeBotAPI(clock=clock)
    people = _area(db, fake)
    async with serving(fake) as url:
        async with _bot(url, fake, db.url, tmp_path) as first:
            await fake.wait_for("getUpdates", timeout=START_TIMEOUT)
            sent = _burst(fake, people)
            await _until(lambda: _confirmations(fake) >= 10, START_TIMEOUT)
            first.send_signal(signal.SIGKILL)
            await first.wait()
        answered_before = _confirmations(fake)
        assert answered_before < sent, "the kill came too late to test anything"
        async with _bot(url, fake, db.url, tmp_path):
            await _until(lambda: _stored(db)[0] >= sent and _stored(db)[2] == 0, 120)
            await _until(lambda: _confirmations(fake) >= sent, 120)
    figures, twice, unanswered = _stored(db)
    assert (figures, twice, unanswered) == (sent, 0, 0)
    assert sent <= _confirmations(fake) <= sent + CONCURRENT


async def test_messages_sent_while_postgresql_is_away_are_kept(
    db: Database, clock, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("an outage is a PostgreSQL server going away (SQLite is a file)")
    fake = FakeBotAPI(clock=clock)
    people = _area(db, fake)[:10]
    real = make_url(db.url)
    async with Relay(real.host or "127.0.0.1", real.port or 5432) as relay:
        relayed = real.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        async with serving(fake) as url, _bot(url, fake, relayed, tmp_path):
            await fake.wait_for("getUpdates", timeout=START_TIMEOUT)
            relay.cut()
            mark = len(fake.calls)
            first = None
            for person in people:
                update = fake.send_text(person, person, "so hoa 70/100")
                first = first or update["update_id"]
            # the database refuses them: the bot fetches them again and again
            await _until(lambda: _fetched(fake, first, mark) >= 3, 60)
            assert _confirmations(fake) == 0 and len(fake.pending_updates) == len(people)
            relay.restore()
            await _until(lambda: _confirmations(fake) >= len(people), 120)
    figures, twice, unanswered = _stored(db)
    assert (figures, twice, unanswered) == (len(people), 0, 0)
