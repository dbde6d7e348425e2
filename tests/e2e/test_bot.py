"""The real Application, polling the fake Bot API: conversations as an official has them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.services.identity import create_invite
from storage.db import Database
from storage.models import Chat, InboundMessage, Official, Role
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app


def _application(area: Database, settings: Settings, clock, fake: FakeBotAPI):
    return application(area, settings, clock, fake)


@pytest.fixture
async def app(area: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    async with running_app(_application(area, settings, clock, fake), fake) as running:
        yield running


def _invite(db: Database, clock, role: Role, unit: str | None) -> str:
    return create_invite(
        db, role=role, unit_query=unit, now=clock(), days=7, created_by="test"
    ).code


async def test_registration_by_deep_link(app, fake: FakeBotAPI, area: Database, clock) -> None:
    code = _invite(area, clock, Role.OFFICIAL, "Xã Sơn Dương")
    an = fake.add_user(first_name="An", last_name="Nguyễn", language_code="vi")
    mark = fake.mark()
    fake.send_text(an, an, f"/start {code}")
    [call] = await fake.wait_for("sendMessage", since=mark)
    assert call.params["chat_id"] == an["id"]
    text = fake.last_bot_message(an)["text"]
    assert "Xin chào An Nguyễn" in text and "cán bộ đầu mối của Xã Sơn Dương" in text
    assert "nv 2.1 xong" in text  # the help with examples follows the greeting
    with area.session() as session:
        official = session.scalar(select(Official).where(Official.telegram_user_id == an["id"]))
        assert official.unit.name == "Xã Sơn Dương" and official.role is Role.OFFICIAL


async def test_a_refused_code_binds_nothing(app, fake: FakeBotAPI, area: Database, clock) -> None:
    code = _invite(area, clock, Role.OFFICIAL, "Xã Hồng Thái")
    first, second = fake.add_user(first_name="Một"), fake.add_user(first_name="Hai")
    mark = fake.mark()
    fake.send_text(first, first, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark)
    mark = fake.mark()
    fake.send_text(second, second, f"/start {code}")
    fake.send_text(second, second, "/start made-up-code")
    await fake.wait_for("sendMessage", since=mark, count=2, chat_id=second["id"])
    texts = [m["text"] for m in fake.bot_messages(second)]
    assert any("đã được sử dụng" in t for t in texts)
    assert any("không tồn tại" in t for t in texts)
    with area.session() as session:
        assert session.scalar(select(func.count()).select_from(Official)) == 1


async def test_unregistered_user_is_told_how_to_register(
    app, fake: FakeBotAPI, area: Database
) -> None:
    stranger = fake.add_user(first_name="Khách", language_code="vi")
    mark = fake.mark()
    fake.send_text(stranger, stranger, "xa son duong nv 2.1 hoan thanh")
    await fake.wait_for("sendMessage", since=mark)
    assert "chưa đăng ký" in fake.last_bot_message(stranger)["text"]
    with area.session() as session:
        row = session.scalar(select(InboundMessage))
        assert row.text is None and row.official_id is None


async def test_english_speakers_get_english(app, fake: FakeBotAPI) -> None:
    stranger = fake.add_user(first_name="Sam", language_code="en-GB")
    mark = fake.mark()
    fake.send_text(stranger, stranger, "/start")
    await fake.wait_for("sendMessage", since=mark)
    assert "You are not registered" in fake.last_bot_message(stranger)["text"]


def _logged_kinds(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(InboundMessage.kind)).all())


async def _eventually(condition, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait for work the bot does without calling the Bot API (a safety-net timeout)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_bot_added_to_a_group_then_bound_and_help(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    office = fake.add_user(first_name="Văn phòng")
    mark = fake.mark()
    fake.send_text(office, office, f"/start {_invite(area, clock, Role.OFFICE, None)}")
    await fake.wait_for("sendMessage", since=mark)

    group = fake.add_group("Đầu mối TTHC xã")
    mark = fake.mark()
    fake.add_bot_to_group(office, group)
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    assert "/nhom" in fake.last_bot_message(group)["text"]
    assert len(fake.bot_messages(group)) == 1  # the new_chat_members message adds nothing
    # …but its update id is logged like every other (handled concurrently: wait for it)
    await _eventually(lambda: {"bot_added", "other"} <= set(_logged_kinds(area)))

    mark = fake.mark()
    fake.send_text(office, group, "/nhom Xã Sơn Dương, xa hong thai")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    assert "Xã Hồng Thái; Xã Sơn Dương" in fake.last_bot_message(group)["text"]

    mark = fake.mark()
    fake.send_text(office, group, "/trogiup@dondoc_test_bot")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    assert "/nhom <đơn vị" in fake.last_bot_message(group)["text"]
    with area.session() as session:
        chat = session.scalar(select(Chat))
        assert (chat.telegram_chat_id, chat.title) == (group["id"], "Đầu mối TTHC xã")
        assert sorted(u.name for u in chat.units) == ["Xã Hồng Thái", "Xã Sơn Dương"]


async def test_help_in_a_group_from_anyone(app, fake: FakeBotAPI) -> None:
    member = fake.add_user(first_name="Thành viên")
    group = fake.add_group("Nhóm xã")
    fake.add_bot_to_group(member, group)
    await fake.wait_for("sendMessage", chat_id=group["id"])
    mark = fake.mark()
    fake.send_text(member, group, "/trogiup")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    text = fake.last_bot_message(group)["text"]
    assert "Báo cáo bằng tin nhắn thường" in text and "chưa đăng ký" in text


async def test_commands_are_registered_in_both_languages(app, fake: FakeBotAPI) -> None:
    scope = {"type": "all_private_chats"}
    vietnamese = {c["command"]: c["description"] for c in fake.commands(scope)}
    english = {c["command"]: c["description"] for c in fake.commands(scope, "en")}
    assert vietnamese["trogiup"].startswith("Cách báo cáo")
    assert english["trogiup"].startswith("How to report")
    groups = {c["command"] for c in fake.commands({"type": "all_group_chats"})}
    assert groups == {
        "trogiup",
        "baocao",
        "tinhhinh",
        "kehoach",
        "nhiemvu",
        "lichsu",
        "huy",
        "nhom",
        "ngonngu",
    }


async def test_a_redelivered_update_is_handled_once(app, fake: FakeBotAPI) -> None:
    user = fake.add_user(first_name="Lặp")
    mark = fake.mark()
    update = fake.send_text(user, user, "/trogiup")
    await fake.wait_for("sendMessage", since=mark)
    fake.redeliver(update)
    mark = fake.mark()
    fake.send_text(user, user, "/start")  # a marker after the redelivered one
    await fake.wait_for("sendMessage", since=mark)
    texts = [m["text"] for m in fake.bot_messages(user)]
    assert len(texts) == 2 and "Báo cáo bằng" in texts[0] and "chưa đăng ký" in texts[1]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limited_sends_are_retried(app, fake: FakeBotAPI) -> None:
    user = fake.add_user(first_name="Chậm")
    fake.fail_next("sendMessage", retry_after=0.05)
    mark = fake.mark()
    fake.send_text(user, user, "/trogiup")
    await fake.wait_for("sendMessage", since=mark)
    assert len(fake.bot_messages(user)) == 1
    assert len(fake.calls_of("sendMessage", since=mark, include_failed=True)) == 2


async def test_the_token_never_reaches_the_logs(area, settings, clock, fake, caplog) -> None:
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    caplog.set_level(logging.DEBUG)
    async with running_app(_application(area, settings, clock, fake), fake):
        user = fake.add_user()
        fake.send_text(user, user, "/trogiup")
        await fake.wait_for("sendMessage")
    assert "sendMessage" in caplog.text  # PTB's debug log of the call is there…
    assert fake.token not in caplog.text  # …without the token
    assert "api.telegram.org/bot<token>" in caplog.text
