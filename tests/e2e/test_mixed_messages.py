"""A message that reports and asks, through the real Application and the fake Bot API:
two messages in order, the report's confirmation (with Hủy) first, then the answer."""

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
from storage.models import Role, StatusUpdate
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


def _standing(db: Database) -> int:
    with db.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(StatusUpdate)
            .where(StatusUpdate.retracted_at.is_(None))
        )


async def test_a_report_and_a_question_get_two_replies_in_order(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    user = fake.add_user(first_name="Cán bộ")
    code = create_invite(
        db, role=Role.OFFICIAL, unit_query="Phường Lê Lợi", now=clock(), days=7, created_by="t"
    ).code
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark)

    before = len(fake.bot_messages(user))
    mark = fake.mark()
    fake.send_text(user, user, "nv 3 xong, nv 13 the nao?")
    await fake.wait_for("sendMessage", count=2, since=mark)
    confirmation, answer = fake.bot_messages(user)[before:]
    assert confirmation["text"].startswith("Đã ghi nhận cho Phường Lê Lợi:")
    assert "(hạn 31/03/2025) — đã xong" in confirmation["text"]
    buttons = confirmation["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in buttons for b in row] == ["Hủy"]
    assert answer["text"].startswith("Nhiệm vụ của Phường Lê Lợi (1):")
    assert "• 13 " in answer["text"]
    assert _standing(db) == 1

    mark = fake.mark()
    fake.press(user, confirmation, text="Hủy")
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(user)["text"].startswith("Đã hủy")
    assert _standing(db) == 0
