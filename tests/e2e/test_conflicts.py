"""Two reporters who disagree, through the real Application and the fake Bot API: two
officials of Phường Lê Lợi report task 1.1 differently, the office receives one notice
from the reminder sender and presses a button to keep the earlier report."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.services.identity import create_invite
from bot.services.units import import_units
from handlers.reminders import dispatch
from storage.db import Database
from storage.models import (
    ConflictEnd,
    CurrentStatus,
    Reminder,
    ReminderState,
    ReportConflict,
    Role,
    TaskStatus,
)
from tests.e2e.conftest import application
from tests.e2e.test_reminders import DATA, START, _import, _plan
from tests.fakebot import FakeBotAPI, running_app


@pytest.fixture
async def app(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    clock.now = START
    import_units(db, DATA / "son-tay-units.csv")
    _import(db, _plan())
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _register(fake: FakeBotAPI, db: Database, clock, name: str, role: Role, unit):
    user = fake.add_user(first_name=name)
    code = create_invite(db, role=role, unit_query=unit, now=clock(), days=7, created_by="t")
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code.code}")
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return user


async def _say(fake: FakeBotAPI, user, text: str) -> str:
    mark = fake.mark()
    fake.send_text(user, user, text)
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return fake.last_bot_message(user)["text"]


def _status(db: Database) -> TaskStatus | None:
    with db.session() as session:
        return session.scalar(select(CurrentStatus.status))


async def test_the_office_is_told_and_keeps_the_earlier_report(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    lan = await _register(fake, db, clock, "Lan", Role.OFFICIAL, "Phường Lê Lợi")
    minh = await _register(fake, db, clock, "Minh", Role.OFFICIAL, "Phường Lê Lợi")
    office = await _register(fake, db, clock, "Hà", Role.OFFICE, None)
    core = app.bot_data["core"]

    assert (await _say(fake, lan, "nv 1.1 xong")).startswith("Đã ghi nhận")
    clock.advance(hours=3)
    assert (await _say(fake, minh, "nv 1.1 đang thực hiện 50%")).startswith("Đã ghi nhận")
    assert _status(db) is TaskStatus.IN_PROGRESS  # the later one stands

    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    assert await dispatch(app.bot, core) == 0  # once
    [sent] = fake.calls_of("sendMessage", since=mark)
    assert sent.params["chat_id"] == office["id"]  # the office, in private; nobody else
    notice = fake.last_bot_message(office)
    text = notice["text"]
    assert "Hai báo cáo không khớp: Phường Lê Lợi — 1.1" in text
    assert "09:00 22/11, Lan: đã xong" in text
    assert "12:00 22/11, Minh: đang thực hiện (50%)" in text

    clock.advance(minutes=10)
    mark = fake.mark()
    fake.press(office, notice, text="Giữ đã xong (Lan)")
    await fake.wait_for("sendMessage", since=mark, chat_id=office["id"])
    reply = fake.last_bot_message(office)["text"]
    assert reply.startswith("Đã giữ đã xong do Lan gửi")
    assert "Báo cáo của Minh (đang thực hiện (50%)) đã được thu hồi" in reply
    assert _status(db) is TaskStatus.DONE

    mark = fake.mark()
    fake.press(office, notice, text="Giữ đang thực hiện (50%) (Minh)")  # too late
    await fake.wait_for("sendMessage", since=mark, chat_id=office["id"])
    assert fake.last_bot_message(office)["text"].startswith("Đã xử lý trước đó")
    assert _status(db) is TaskStatus.DONE
    with db.session() as session:
        [conflict] = session.scalars(select(ReportConflict)).all()
        assert conflict.resolution is ConflictEnd.EARLIER
    clock.advance(minutes=1)
    assert await dispatch(app.bot, core) == 0  # nothing more goes out


async def test_a_notice_closed_before_it_goes_out_is_dropped(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    lan = await _register(fake, db, clock, "Lan", Role.OFFICIAL, "Phường Lê Lợi")
    minh = await _register(fake, db, clock, "Minh", Role.OFFICIAL, "Phường Lê Lợi")
    await _register(fake, db, clock, "Hà", Role.OFFICE, None)
    core = app.bot_data["core"]
    await _say(fake, lan, "nv 1.1 xong")
    await _say(fake, minh, "nv 1.1 chưa thực hiện")
    assert "Đã hủy" in await _say(fake, minh, "hủy")  # undone before the sender's tick
    assert await dispatch(app.bot, core) == 0
    with db.session() as session:
        [notice] = session.scalars(select(Reminder).where(Reminder.kind == "conflict")).all()
        assert notice.state is ReminderState.CANCELLED
        [conflict] = session.scalars(select(ReportConflict)).all()
        assert conflict.resolution is ConflictEnd.WITHDRAWN
