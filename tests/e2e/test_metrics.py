"""The counters the reminder sender, the outbox and the rate limiter keep (issue 17),
read from the web app's ``/metrics`` as Prometheus would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.config import Settings
from bot.services.units import import_units
from bot.web import create_web_app
from handlers.reminders import dispatch
from storage.db import Database
from storage.models import Reminder, ReminderState
from tests.e2e.conftest import application
from tests.e2e.test_reminders import DATA, FIRST_REMINDER, START, _import, _people, _plan
from tests.fakebot import FakeBotAPI, running_app


@pytest.fixture
async def reminding(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    """The reminder tests' area and one-task plan, the bot polling, a client to its web app."""
    clock.now = START
    import_units(db, DATA / "son-tay-units.csv")
    _import(db, _plan())
    app = application(db, settings, clock, fake)
    web = create_web_app(app, settings, webhook=False)
    async with (
        running_app(app, fake) as running,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://t") as client,
    ):
        yield running, client


def _unsent(db: Database) -> int:
    with db.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]))
        )


async def _value(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    text = (await client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    raise AssertionError(f"{name} {labels} not in /metrics")


async def test_reminders_sent_failed_and_stale_are_counted(
    reminding, fake: FakeBotAPI, db: Database, clock
) -> None:
    app, client = reminding
    await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    before = {
        o: await _value(client, "dondoc_reminders_total", outcome=o)
        for o in ("sent", "failed", "stale")
    }
    pending = await _value(client, "dondoc_reminders_pending")
    assert pending == _unsent(db) >= 2
    clock.now = FIRST_REMINDER
    fake.fail_next("sendMessage", error_code=500, description="Internal Server Error")
    assert await dispatch(app.bot, core) == 1  # one sent, one failed (retried later)
    assert await _value(client, "dondoc_reminders_total", outcome="sent") - before["sent"] == 1
    assert await _value(client, "dondoc_reminders_total", outcome="failed") - before["failed"] == 1
    assert await _value(client, "dondoc_reminders_pending") == _unsent(db) < pending
    clock.now = datetime(2026, 12, 30, 1, 0, tzinfo=UTC)  # weeks later: what is left is stale
    await dispatch(app.bot, core)
    assert await _value(client, "dondoc_reminders_total", outcome="stale") > before["stale"]


async def test_a_429_from_telegram_is_counted(
    reminding, fake: FakeBotAPI, db: Database, clock
) -> None:
    app, client = reminding
    official, _group = await _people(app, fake, db, clock)
    before = await _value(client, "dondoc_telegram_429_total")
    fake.fail_next("sendMessage", retry_after=0.05)  # the limiter waits, then retries
    mark = fake.mark()
    fake.send_text(official, official, "/trogiup")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    assert await _value(client, "dondoc_telegram_429_total") - before == 1
