"""Nothing fetched is lost: updates logged before Telegram is told, handled after a crash,
kept through a database outage, never stored twice (issue 19)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from telegram.error import NetworkError

from bot.config import Settings
from bot.services import inbound
from handlers import intake
from handlers.common import BotContext
from handlers.intake import NOTICE_AFTER, Intake, LoggedUpdates
from storage.db import Database
from storage.models import InboundMessage, StatusUpdate
from tests.e2e.conftest import application
from tests.e2e.test_reports import DATA, PLAN, _official
from tests.fakebot import FakeBotAPI, running_app


@pytest.fixture
def reporting(db: Database, clock) -> Database:
    """The Sơn Tây units and the district's plan (as tests/e2e/test_reports.py has them)."""
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


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


async def _running(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    return running_app(application(db, settings, clock, fake), fake, raise_app_errors=False)


def _down(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


async def test_updates_fetched_before_a_crash_are_handled_after_the_restart(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    async with await _running(reporting, settings, clock, fake):
        user = await _official(fake, reporting, clock, "Phường Lê Lợi")
    # The bot fetched two messages, logged them and died before handling them.
    fake.send_text(user, user, "nv 13 xong")
    fake.send_text(user, user, "so hoa 85/100")
    inbound.receive(reporting, "telegram", fake.take_pending(), clock())
    assert fake.pending_updates == []  # Telegram will not send them again
    mark = fake.mark()
    async with await _running(reporting, settings, clock, fake):
        await fake.wait_for("sendMessage", since=mark, count=2, chat_id=user["id"])
    texts = [m["text"] for m in fake.bot_messages(user)[-2:]]
    assert all(t.startswith("Đã ghi nhận cho Phường Lê Lợi") for t in texts)
    assert _count(reporting, StatusUpdate) == 1
    assert _count(reporting, InboundMessage, InboundMessage.handled_at.is_(None)) == 0
    with reporting.session() as session:  # answered: the payload is not kept
        assert set(session.scalars(select(InboundMessage.payload))) == {None}


async def test_a_report_stored_but_never_confirmed_is_confirmed_not_stored_again(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI, monkeypatch
) -> None:
    from handlers import common

    async with await _running(reporting, settings, clock, fake) as app:
        user = await _official(fake, reporting, clock, "Phường Lê Lợi")

        finished = threading.Event()  # the update went through its handlers

        async def died(*_args, **_kwargs) -> None:
            """The process died after storing the report, before replying."""

        monkeypatch.setattr(common, "deliver", died)
        monkeypatch.setattr(app.bot_data["core"], "finish", lambda *_args: finished.set())
        fake.send_text(user, user, "nv 13 xong, so hoa 85/100")
        # Put back only once the update has gone through every handler (putting them back
        # as soon as the report was stored raced with the reply on a loaded machine).
        assert await asyncio.to_thread(finished.wait, 60)
        monkeypatch.undo()
        assert _count(reporting, StatusUpdate) == 1
    assert fake.last_bot_message(user)["text"].startswith("Xin chào")  # never confirmed
    mark = fake.mark()
    async with await _running(reporting, settings, clock, fake):
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    assert fake.last_bot_message(user)["text"].startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _count(reporting, StatusUpdate) == 1
    assert _count(reporting, InboundMessage, InboundMessage.handled_at.is_(None)) == 0


async def test_a_database_failure_while_handling_is_retried(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    async with await _running(reporting, settings, clock, fake) as app:
        user = await _official(fake, reporting, clock, "Phường Lê Lợi")
        core = app.bot_data["core"]
        real = core.handle
        core.handle = _down
        mark = fake.mark()
        fake.send_text(user, user, "nv 13 xong")
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
        kept = fake.last_bot_message(user)["text"]
        assert "được giữ lại" in kept and "không cần gửi lại" in kept
        assert _count(reporting, InboundMessage, InboundMessage.handled_at.is_(None)) == 1
        core.handle = real  # the database is back
        clock.advance(minutes=6)  # past the lease of the failed handling
        mark = fake.mark()
        await intake.redeliver_job(BotContext(app))
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    assert fake.last_bot_message(user)["text"].startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _count(reporting, StatusUpdate) == 1
    assert _count(reporting, InboundMessage, InboundMessage.handled_at.is_(None)) == 0


async def test_while_the_database_refuses_updates_telegram_keeps_them(
    reporting: Database, settings: Settings, clock, fake: FakeBotAPI, monkeypatch
) -> None:
    async with await _running(reporting, settings, clock, fake):
        user = await _official(fake, reporting, clock, "Phường Lê Lợi")
        real = inbound.receive
        failures = 0

        def refuses_once(*args, **kwargs):
            nonlocal failures
            if failures < 1:
                failures += 1
                _down()
            return real(*args, **kwargs)

        monkeypatch.setattr(inbound, "receive", refuses_once)
        mark = fake.mark()
        update = fake.send_text(user, user, "nv 13 xong")
        await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    offsets = [c.params.get("offset") for c in fake.calls if c.method == "getUpdates"]
    # asked again from the same offset after the refusal: the update was not confirmed
    assert failures == 1 and offsets.count(update["update_id"]) >= 2
    assert fake.last_bot_message(user)["text"].startswith("Đã ghi nhận")
    assert _count(reporting, StatusUpdate) == 1


# -- the pieces --------------------------------------------------------------------------


class _Inner:
    """A request answering getUpdates with two updates."""

    read_timeout = 5.0

    def __init__(self) -> None:
        self.updates = [{"update_id": 7, "message": {}}, {"update_id": 8, "message": {}}]

    async def do_request(self, url, method, request_data=None, **timeouts):
        return 200, json.dumps({"ok": True, "result": self.updates}).encode()


async def test_fetched_updates_reach_ptb_only_once_logged() -> None:
    logged = []

    async def log(updates) -> None:
        logged.append([u["update_id"] for u in updates])

    request = LoggedUpdates(_Inner(), log)
    code, payload = await request.do_request("https://api/bot1:x/getUpdates", "POST")
    assert code == 200 and logged == [[7, 8]]
    assert json.loads(payload)["result"][0]["update_id"] == 7

    async def refuse(updates) -> None:
        raise NetworkError("the database cannot take updates")

    with pytest.raises(NetworkError):  # PTB retries with the same offset
        await LoggedUpdates(_Inner(), refuse).do_request("https://api/bot1:x/getUpdates", "POST")
    await request.do_request("https://api/bot1:x/sendMessage", "POST")
    assert logged == [[7, 8]]  # other methods are not logged


async def test_people_are_told_once_when_an_outage_lasts(db: Database, clock, monkeypatch) -> None:
    monkeypatch.setattr(inbound, "receive", _down)
    told = []

    class Bot:
        async def send_message(self, chat_id, text) -> None:
            told.append((chat_id, text))

    taking = Intake(db, clock, "vi")
    taking.bot = Bot()
    private = {"update_id": 1, "message": {"chat": {"id": 5, "type": "private"}}}
    group = {"update_id": 2, "message": {"chat": {"id": -9, "type": "supergroup"}}}
    with pytest.raises(NetworkError):
        await taking([private, group])
    assert told == []  # a short outage goes unnoticed
    clock.advance(seconds=NOTICE_AFTER.total_seconds())
    for _ in range(3):
        with pytest.raises(NetworkError):
            await taking([private, group])
    assert [chat for chat, _text in told] == [5]  # once, and only in private
    assert "không cần gửi lại" in told[0][1]
    monkeypatch.undo()
    await taking([{"update_id": 3}])  # the database is back
    assert taking.outage_since is None and taking.told == set()
