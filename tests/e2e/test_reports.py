"""Reporting through Telegram: in a group and in private, undo, a choice, an edit, a photo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.services import plans
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import IndicatorValue, Role, StatusUpdate
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app

DATA = Path(__file__).parents[1] / "data"
PLAN = DATA / "plans" / "quyet-dinh-huyen-son-tay-2025.txt"


@pytest.fixture
async def app(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    clock.now = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, clock()), clock())
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _official(fake: FakeBotAPI, db: Database, clock, unit: str):
    user = fake.add_user(first_name="Cán bộ")
    code = create_invite(
        db, role=Role.OFFICIAL, unit_query=unit, now=clock(), days=7, created_by="t"
    ).code
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark)
    return user


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _labels(message) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_report_in_private_then_undo(app, fake: FakeBotAPI, db: Database, clock) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")
    mark = fake.mark()
    fake.send_text(user, user, "nv 13 xong, so hoa 85/100 ho so")
    await fake.wait_for("sendMessage", since=mark)
    reply = fake.last_bot_message(user)
    assert reply["text"].startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert "85% (85/100)" in reply["text"]
    assert _count(db, StatusUpdate) == 1 and _count(db, IndicatorValue) == 1

    mark = fake.mark()
    fake.press(user, reply, text="Hủy")
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(user)["text"].startswith("Đã hủy")
    assert _count(db, StatusUpdate, StatusUpdate.retracted_at.is_(None)) == 0
    assert _count(db, IndicatorValue, IndicatorValue.retracted_at.is_(None)) == 0


async def test_report_in_a_group_and_chit_chat(app, fake: FakeBotAPI, db: Database, clock) -> None:
    user = await _official(fake, db, clock, "Xã Đường Lâm")
    fake.privacy_mode = False  # the admin turned privacy off in BotFather
    group = fake.add_group("Đầu mối TTHC")
    mark = fake.mark()
    fake.add_bot_to_group(user, group)
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    mark = fake.mark()
    fake.send_text(user, group, "cảm ơn cả nhà")
    fake.send_text(user, group, "Xa Duong Lam: nv 3 xong")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    messages = fake.bot_messages(group)
    assert len(messages) == 2  # the welcome and the confirmation: the thanks got no answer
    assert messages[1]["text"].startswith("Đã ghi nhận cho Xã Đường Lâm")


async def test_an_edit_replaces_and_a_wrong_message_is_explained(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")
    mark = fake.mark()
    update = fake.send_text(user, user, "nv 13 xong")
    await fake.wait_for("sendMessage", since=mark)
    mark = fake.mark()
    fake.edit_text(user, user, update["message"]["message_id"], "nv 13 chậm do mất điện")
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(user)["text"].startswith("Đã sửa")
    assert _count(db, StatusUpdate, StatusUpdate.retracted_at.is_(None)) == 1

    mark = fake.mark()
    fake.send_text(user, user, "so hoa 120%")
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(user)["text"]
    assert text.startswith("Chưa ghi nhận gì") and "120%" in text
    assert _count(db, IndicatorValue) == 0


async def test_a_choice_completes_the_report(app, fake: FakeBotAPI, db: Database, clock) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")
    mark = fake.mark()
    fake.send_text(user, user, "xong tập huấn chuyên môn nghiệp vụ rồi ạ")
    await fake.wait_for("sendMessage", since=mark)
    question = fake.last_bot_message(user)
    choice = next(label for label in _labels(question) if label.startswith("48 "))
    assert _count(db, StatusUpdate) == 0
    mark = fake.mark()
    fake.press(user, question, text=choice)
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(user)["text"].startswith("Đã ghi nhận")
    assert _count(db, StatusUpdate) == 1


async def test_a_photo_is_kept_as_evidence(app, fake: FakeBotAPI, db: Database, clock) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")
    mark = fake.mark()
    fake.send_photo(user, user, caption="nv 13 xong, ảnh niêm yết")
    await fake.wait_for("sendMessage", since=mark)
    assert "minh chứng" in fake.last_bot_message(user)["text"]
    with db.session() as session:
        evidence = session.scalars(select(StatusUpdate.evidence_file_id)).one()
    assert evidence  # Telegram's file id of the photo


async def test_a_figure_that_is_not_a_number_is_explained_and_not_stored(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")
    mark = fake.mark()
    fake.send_text(user, user, "nv 13 xong, so hoa 8o/100")
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(user)["text"]
    assert text.startswith("Chưa ghi nhận gì")
    assert "Tỷ lệ số hóa hồ sơ" in text and "“8o/100”" in text and "80/100" in text
    understood = text.split("Phần còn lại tôi hiểu là:\n", 1)[1]
    assert understood.startswith("• 13 ") and "— đã xong" in understood
    assert _count(db, StatusUpdate) == 0 and _count(db, IndicatorValue) == 0

    mark = fake.mark()
    fake.send_text(user, user, "nv 13 xong, so hoa 80/100")  # sent again, with digits
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(user)["text"].startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _count(db, StatusUpdate) == 1 and _count(db, IndicatorValue) == 1
