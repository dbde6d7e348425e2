"""Two instances of the bot on one database (issue 17): each person's report and its
"hủy" (or its edit) reach the two instances at once, the second one first; every report
is confirmed before it is undone or replaced, each update handled once, whichever
instance handles it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.services import inbound, plans
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import InboundMessage, Role, StatusUpdate
from tests.e2e.conftest import application
from tests.e2e.test_reports import DATA, PLAN
from tests.fakebot import FakeBotAPI, running_app

UNITS = (
    "Phường Lê Lợi",
    "Phường Ngô Quyền",
    "Phường Quang Trung",
    "Phường Sơn Lộc",
    "Phường Trung Hưng",
    "Phường Viên Sơn",
    "Xã Cổ Đông",
    "Xã Đường Lâm",
    "Xã Kim Sơn",
    "Xã Thanh Mỹ",
)


@contextlib.asynccontextmanager
async def _started(app: Application, fake: FakeBotAPI) -> AsyncIterator[Application]:
    """An instance that takes updates from its queue, as the webhook puts them there."""

    async def record_error(update: object, context) -> None:
        if context.error is not None:
            fake.record_app_error(context.error)

    app.add_error_handler(record_error)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


def _deliver(app: Application, db: Database, clock, payloads: list[dict]) -> list:
    """What an instance's webhook does: log the updates, then queue them."""
    inbound.receive(db, "telegram", payloads, clock(), bot_id=app.bot.id)
    return [app.update_queue.put(Update.de_json(p, app.bot)) for p in payloads]


async def test_two_instances_never_let_an_undo_or_an_edit_overtake_its_report(
    db: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    clock.now = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, clock()), clock())

    first = application(db, settings, clock, fake)
    second_app = application(db, settings, clock, fake)
    async with _started(first, fake), _started(second_app, fake):
        users = []
        mark = fake.mark()
        for unit in UNITS:
            user = fake.add_user(first_name="Cán bộ")
            code = create_invite(
                db, role=Role.OFFICIAL, unit_query=unit, now=clock(), days=7, created_by="t"
            ).code
            fake.send_text(user, user, f"/start {code}")
            users.append(user)
        for put in _deliver(first, db, clock, fake.take_pending()):
            await put
        await fake.wait_for("sendMessage", since=mark, count=len(users))

        mark = fake.mark()
        for index, user in enumerate(users):
            sent = fake.send_text(user, user, "nv 13 xong")
            if index % 4 < 2:
                fake.send_text(user, user, "hủy")
            else:
                fake.edit_text(user, user, sent["message"]["message_id"], "nv 13 chậm do mất điện")
            report, second = fake.take_pending()
            # Telegram hands both to two instances at once; the second gets there first.
            late, early = (first, second_app) if index % 2 else (second_app, first)
            puts = _deliver(early, db, clock, [second]) + _deliver(late, db, clock, [report])
            for put in puts:
                await put
        await fake.wait_for("sendMessage", since=mark, count=2 * len(users), timeout=30)

    assert fake.app_errors == []
    for index, (user, unit) in enumerate(zip(users, UNITS, strict=True)):
        texts = [m["text"] for m in fake.bot_messages(user)[1:]]
        assert len(texts) == 2, texts  # every reply sent once
        assert texts[0].startswith(f"Đã ghi nhận cho {unit}"), texts
        assert texts[1].startswith("Đã hủy" if index % 4 < 2 else "Đã sửa"), texts
    edited = sum(1 for index in range(len(users)) if index % 4 >= 2)
    with db.session() as session:
        live = session.scalar(
            select(func.count())
            .select_from(StatusUpdate)
            .where(StatusUpdate.retracted_at.is_(None))
        )
        assert live == edited  # every report undone or replaced, none stored twice
        unanswered = session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.handled_at.is_(None))
        )
        assert unanswered == 0


async def test_an_update_the_bot_cannot_read_does_not_hold_its_chat(
    db: Database, settings: Settings, clock, fake: FakeBotAPI, monkeypatch
) -> None:
    from handlers import common

    read = common.to_incoming
    user = fake.add_user(first_name="A")
    broken = fake.send_text(user, user, "/start")["update_id"]

    def to_incoming(update, bot):
        if update.update_id == broken:
            raise ValueError("a kind of update this version cannot read")
        return read(update, bot)

    monkeypatch.setattr(common, "to_incoming", to_incoming)
    fake.send_text(user, user, "/trogiup")
    async with running_app(application(db, settings, clock, fake), fake, raise_app_errors=False):
        # the apology for the first, then the help: the second did not wait for the first
        await fake.wait_for("sendMessage", count=2, chat_id=user["id"])
    texts = sorted(m["text"][:8] for m in fake.bot_messages(user))
    assert texts == ["Xin lỗi,", "Đôn Đốc "]  # the apology, and the help
    with db.session() as session:
        unanswered = session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.handled_at.is_(None))
        )
    assert unanswered == 0
