"""Webhook mode (issue 17): the real Application inside the bot's web app, Telegram's
deliveries played by the fake Bot API POSTing to it (``FakeBotAPI.deliver_webhook``), in
process through ``httpx.ASGITransport``; the health, readiness and metrics endpoints in
both modes; JSON log lines."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.app import build_application
from bot.config import Settings
from bot.logs import JsonFormatter
from bot.services import access, inbound, progress
from bot.web import SECRET_HEADER, create_web_app, running
from storage.db import Database
from storage.models import InboundMessage, StatusUpdate
from tests.e2e.conftest import application
from tests.e2e.test_reports import DATA, PLAN
from tests.fakebot import FakeBotAPI, running_app

URL = "https://bot.example.gov.vn/tg/7f3a9c"
SECRET = "s3cret-from-the-env_file"
REPORTED = "Đã ghi nhận cho Phường Lê Lợi"


@pytest.fixture
def reporting(db: Database, clock) -> Database:
    """The Sơn Tây units and the district's plan, on 20 November 2025."""
    from datetime import UTC, datetime

    from bot.services import plans
    from bot.services.identity import Actor
    from bot.services.units import import_units, unit_catalogue
    from storage.models import Role

    clock.now = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, clock()), clock())
    return db


def _webhook_settings(settings: Settings, fake: FakeBotAPI, **extra) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(fake.token),
            "webhook_url": URL,
            "webhook_secret": SecretStr(SECRET),
            **extra,
        }
    )


@contextlib.asynccontextmanager
async def webhook_bot(
    db: Database, settings: Settings, clock, fake: FakeBotAPI
) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    """The real Application in webhook mode, registered with the fake, and a client to
    its web app (a crash in the app is a 500, as a server would answer)."""
    app = build_application(
        settings, db, clock=clock, request=fake.make_request(), jobs=False, webhook=True
    )
    web = create_web_app(app, settings, webhook=True)
    transport = httpx.ASGITransport(app=web, raise_app_exceptions=False)
    async with (
        running(app, webhook=True),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client,
    ):
        await app.bot.set_webhook(URL, secret_token=SECRET)
        yield app, client


async def _register(fake: FakeBotAPI, client, db: Database, clock, unit: str) -> dict:
    from bot.services.identity import create_invite
    from storage.models import Role

    user = fake.add_user(first_name="Cán bộ")
    code = create_invite(
        db, role=Role.OFFICIAL, unit_query=unit, now=clock(), days=7, created_by="t"
    ).code
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code}")
    assert await fake.deliver_webhook(client) == 1
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return user


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_message_delivered_by_webhook_gets_its_reply(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    settings = _webhook_settings(settings, fake)
    async with webhook_bot(reporting, settings, clock, fake) as (_app, client):
        assert fake.webhook_url == URL and fake.webhook_secret == SECRET
        user = await _register(fake, client, reporting, clock, "Phường Lê Lợi")
        mark = fake.mark()
        fake.send_text(user, user, "nv 13 xong")
        assert await fake.deliver_webhook(client) == 1
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    assert fake.bot_messages(user)[-1]["text"].startswith(REPORTED)
    assert fake.pending_updates == []
    assert [status for _id, status in fake.webhook_deliveries] == [200, 200]
    assert _count(reporting, StatusUpdate) == 1
    assert _count(reporting, InboundMessage, InboundMessage.handled_at.is_(None)) == 0
    assert not fake.calls_of("getUpdates")  # nothing polls in webhook mode


async def test_without_the_secret_the_webhook_answers_403_and_handles_nothing(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    settings = _webhook_settings(settings, fake)
    async with webhook_bot(reporting, settings, clock, fake) as (_app, client):
        user = await _register(fake, client, reporting, clock, "Phường Lê Lợi")
        logged = _count(reporting, InboundMessage)
        mark = fake.mark()
        fake.send_text(user, user, "nv 13 xong")
        assert await fake.deliver_webhook(client, secret="") == 0  # no header
        assert await fake.deliver_webhook(client, secret="guessed") == 0
        statuses = [status for _id, status in fake.webhook_deliveries[1:]]
        assert statuses == [403] * 6  # three attempts each, all refused
        assert len(fake.pending_updates) == 1  # Telegram still holds it
        assert _count(reporting, InboundMessage) == logged
        assert fake.calls_of("sendMessage", since=mark) == []
        # With the secret, the same update is taken and answered once.
        assert await fake.deliver_webhook(client) == 1
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    assert _count(reporting, StatusUpdate) == 1


async def test_a_body_that_is_not_an_update_is_400_and_not_logged(
    db: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    settings = _webhook_settings(settings, fake)
    async with webhook_bot(db, settings, clock, fake) as (_app, client):
        path, headers = "/tg/7f3a9c", {SECRET_HEADER: SECRET}
        for body in (b"not json", b"[1, 2]", b'{"update_id": "7"}', b'{"message": {}}'):
            response = await client.post(path, content=body, headers=headers)
            assert response.status_code == 400, body
        bad = {"update_id": 9, "message": {"text": "no chat, no date"}}
        assert (await client.post(path, json=bad, headers=headers)).status_code == 400
        huge = {"update_id": 10, "message": {"text": "x" * 1_100_000}}
        assert (await client.post(path, json=huge, headers=headers)).status_code == 413
        # Only the webhook's path takes updates; GET is not a delivery.
        assert (await client.get(path, headers=headers)).status_code == 405
        assert (await client.post("/tg/other", json=bad, headers=headers)).status_code == 404
    assert _count(db, InboundMessage) == 0


async def test_a_crash_before_logging_is_not_200_and_the_redelivery_is_handled_once(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI, monkeypatch
) -> None:
    settings = _webhook_settings(settings, fake)
    real_receive = inbound.receive
    failures = iter(
        [RuntimeError("the process crashed"), OperationalError("INSERT", {}, Exception("down"))]
    )

    def failing_then_working(*args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real_receive(*args, **kwargs)

    async with webhook_bot(reporting, settings, clock, fake) as (_app, client):
        user = await _register(fake, client, reporting, clock, "Phường Lê Lợi")
        monkeypatch.setattr(inbound, "receive", failing_then_working)
        mark = fake.mark()
        fake.send_text(user, user, "so hoa 85/100")
        assert await fake.deliver_webhook(client) == 1
        update_id = fake.webhook_deliveries[-1][0]
        # A crash is a 500, a database that cannot take it a 503: both sent again.
        tries = [status for id_, status in fake.webhook_deliveries if id_ == update_id]
        assert tries == [500, 503, 200]
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
        # Telegram sending it once more (a lost 200) changes nothing.
        fake.redeliver(fake.updates[-1])
        assert await fake.deliver_webhook(client) == 1
        await asyncio.sleep(0)
        for _ in range(50):  # let the queue drain (the duplicate is dropped at claim)
            if _app.update_queue.empty():
                break
            await asyncio.sleep(0.01)
    confirmations = [
        c for c in fake.calls_of("sendMessage", since=mark) if c.params["text"].startswith("Đã")
    ]
    assert len(confirmations) == 1
    from storage.models import IndicatorValue

    assert _count(reporting, IndicatorValue) == 1
    assert _count(reporting, InboundMessage, InboundMessage.update_id == update_id) == 1


async def _metric_reaches(
    client: httpx.AsyncClient, value: float, name: str, **labels: str
) -> float:
    """The metric once it reaches ``value`` (an update is counted just after its reply
    is sent, so a test seeing the reply may scrape a moment early), bounded."""
    for _ in range(200):
        current = await _metric(client, name, **labels)
        if current >= value:
            return current
        await asyncio.sleep(0.01)
    return current


async def _metric(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    text = (await client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def test_health_readiness_and_metrics_in_webhook_mode(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    settings = _webhook_settings(settings, fake, ready_idle_minutes=10)
    async with webhook_bot(reporting, settings, clock, fake) as (app, client):
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {
            "database": "ok",
            "schema": "ok",
            "job_queue": "ok",
            "updates": "ok",
        }
        answered = await _metric(
            client, "dondoc_updates_handled_total", kind="text", outcome="answered"
        )
        commands = await _metric(
            client, "dondoc_updates_handled_total", kind="command", outcome="answered"
        )
        user = await _register(fake, client, reporting, clock, "Phường Lê Lợi")
        for text in ("nv 13 xong", "so hoa 85/100"):
            mark = fake.mark()
            fake.send_text(user, user, text)
            await fake.deliver_webhook(client)
            await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
        page = (await client.get("/metrics")).text
        assert "dondoc_update_handling_seconds_bucket" in page
        assert "dondoc_telegram_429_total" in page
        after = await _metric_reaches(
            client, answered + 2, "dondoc_updates_handled_total", kind="text", outcome="answered"
        )
        assert after - answered == 2
        command_count = await _metric_reaches(
            client,
            commands + 1,
            "dondoc_updates_handled_total",
            kind="command",
            outcome="answered",
        )
        assert command_count - commands == 1
        # Gauges read from the database on each scrape.
        assert await _metric(client, "dondoc_reminders_pending") >= 0
        # As many as the office's overdue list names, now and once every deadline passed.
        for days in (0, 400):
            clock.advance(days=days)
            today = clock().astimezone(settings.tz).date()
            listed = progress.overdue(reporting, today, viewer=access.staff())
            expected = sum(len(unit.tasks) for unit in listed)
            assert await _metric(client, "dondoc_assignments_overdue") == expected
        assert expected > 0
        clock.advance(days=-400)
        # Updates waiting unanswered longer than the window, none handled meanwhile: 503.
        inbound.receive(
            reporting,
            "telegram",
            [{"update_id": 999_999, "message": {"message_id": 1}}],
            clock() - timedelta(minutes=30),
        )
        clock.advance(minutes=11)  # this process last handled one 11 minutes ago
        stalled = await client.get("/readyz")
        assert stalled.status_code == 503
        assert stalled.json()["failed"] == ["updates"]
        app.bot_data["core"].settings.ready_idle_minutes = 0  # 0: not checked
        assert (await client.get("/readyz")).status_code == 200


async def test_readyz_fails_when_the_database_is_gone(
    _migrated: str, settings: Settings, clock, fake: FakeBotAPI, tmp_path: Path
) -> None:
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("a database file's disk gone is SQLite's case (PostgreSQL's: test_crash)")
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(_migrated, folder / "bot.db")
    db = Database(f"sqlite:///{folder / 'bot.db'}")
    settings = _webhook_settings(settings, fake)
    async with webhook_bot(db, settings, clock, fake) as (_app, client):
        assert (await client.get("/readyz")).status_code == 200
        db.dispose()
        shutil.rmtree(folder)  # the disk the database was on is gone
        gone = await client.get("/readyz")
        assert gone.status_code == 503
        body = gone.json()
        assert body["status"] == "fail" and body["failed"][0] == "database"
        assert body["checks"]["database"].startswith("unreachable")
        assert (await client.get("/healthz")).status_code == 200  # alive all the same
        # An update Telegram posts now is not taken: 503, sent again later.
        user = fake.add_user(first_name="Ai đó")
        fake.send_text(user, user, "xin chào")
        assert await fake.deliver_webhook(client, attempts=1) == 0
        assert fake.webhook_deliveries[-1][1] == 503
    db.dispose()


async def test_polling_mode_serves_the_health_endpoints_too(
    area: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    app = application(area, settings, clock, fake)
    web = create_web_app(app, settings, webhook=False)
    transport = httpx.ASGITransport(app=web)
    async with (
        running_app(app, fake),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
    ):
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
        assert "dondoc_updates_handled" in (await client.get("/metrics")).text
        # No webhook route in polling mode.
        assert (await client.post(settings.webhook_path, json={})).status_code == 404


async def test_json_log_lines_parse_and_never_hold_the_token(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter((fake.token, SECRET)))
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        settings = _webhook_settings(settings, fake)
        async with webhook_bot(reporting, settings, clock, fake) as (_app, client):
            user = await _register(fake, client, reporting, clock, "Phường Lê Lợi")
            mark = fake.mark()
            fake.send_text(user, user, "nv 13 xong")
            await fake.deliver_webhook(client)
            await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
            # Whatever logs the token (a URL at DEBUG), the line does not hold it.
            logging.getLogger("somewhere").info("calling https://api/bot%s/getMe", fake.token)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert lines
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert fake.token not in stream.getvalue() and SECRET not in stream.getvalue()
    assert any("<token>" in r["message"] for r in records)
    handled = [r for r in records if r.get("outcome") == "answered" and r.get("unit")]
    assert handled, records[-5:]
    last = handled[-1]
    assert last["chat"] == user["id"] and last["unit"] == "Phường Lê Lợi"
    assert isinstance(last["update_id"], int)
