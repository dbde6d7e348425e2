"""A message that reports and asks, through the real Application and the fake Bot API:
two messages in order, the report's confirmation (with Hủy) first, then the answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import StatusUpdate
from tests.e2e.test_reports import _official, app  # noqa: F401 (the fixture it runs in)
from tests.fakebot import FakeBotAPI


def _standing(db: Database) -> int:
    with db.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(StatusUpdate)
            .where(StatusUpdate.retracted_at.is_(None))
        )


@pytest.mark.usefixtures("app")
async def test_a_report_and_a_question_get_two_replies_in_order(
    fake: FakeBotAPI, db: Database, clock
) -> None:
    user = await _official(fake, db, clock, "Phường Lê Lợi")

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
