"""/xuat through Telegram: the Word report and its workbook as files, by role, and the
plain answers when a request names no report (issue 14)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.config import Settings
from bot.services import plans
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import Role
from tests.e2e.conftest import application
from tests.e2e.test_reports import DATA, PLAN
from tests.fakebot import FakeBotAPI, running_app

IN_Q3 = datetime(2025, 9, 10, 2, 0, tzinfo=UTC)  # 10/9/2025 09:00 in Hà Nội: in Q3's window
AFTER_Q3 = datetime(2025, 10, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def app(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    clock.now = IN_Q3
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, clock()), clock())
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _person(fake: FakeBotAPI, db: Database, clock, role: Role, unit: str | None = None):
    user = fake.add_user(first_name=role.value)
    code = create_invite(db, role=role, unit_query=unit, now=clock(), days=7, created_by="t")
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code.code}")
    await fake.wait_for("sendMessage", since=mark)
    return user


async def _say(fake: FakeBotAPI, user, text: str, chat=None) -> str:
    mark = fake.mark()
    fake.send_text(user, chat or user, text)
    await fake.wait_for("sendMessage", since=mark, chat_id=(chat or user)["id"], timeout=60)
    return fake.last_bot_message(chat or user)["text"]


async def _export(fake: FakeBotAPI, user, text: str) -> tuple[str, dict[str, bytes]]:
    """The answer's text and its files by name."""
    mark = fake.mark()
    fake.send_text(user, user, text)
    calls = await fake.wait_for("sendDocument", 2, since=mark, chat_id=user["id"], timeout=120)
    [message] = fake.calls_of("sendMessage", since=mark, chat_id=user["id"])
    files = {c.params["document"].filename: c.params["document"].content for c in calls}
    return message.params["text"], files


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_the_office_gets_the_quarters_report_and_workbook(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official = await _person(fake, db, clock, Role.OFFICIAL, "Phường Lê Lợi")
    office = await _person(fake, db, clock, Role.OFFICE)
    assert (await _say(fake, official, "nv 13 xong, so hoa 85/100 ho so")).startswith("Đã ghi nhận")
    assert (await _say(fake, official, "nv 3 chậm do thiếu máy scan")).startswith("Đã ghi nhận")

    clock.now = AFTER_Q3
    text, files = await _export(fake, office, "/xuat quý 3")
    assert "quý III/2025" in text and "15/06/2025" in text and "14/09/2025" in text
    assert sorted(files) == ["bao-cao-quy-3-2025.docx", "bao-cao-quy-3-2025.xlsx"]

    words = _docx_text(files["bao-cao-quy-3-2025.docx"])
    assert "BÁO CÁO" in words and "quý III năm 2025" in words
    assert "(Số liệu từ ngày 15/6/2025 đến ngày 14/9/2025)" in words
    assert "thiếu máy scan" in words  # the reason the ward gave, quoted

    workbook = load_workbook(io.BytesIO(files["bao-cao-quy-3-2025.xlsx"]))
    logged = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert any("so hoa 85/100 ho so" in value for value in logged)  # the raw message


async def test_an_official_gets_their_own_units_report_only(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official = await _person(fake, db, clock, Role.OFFICIAL, "Phường Lê Lợi")
    await _say(fake, official, "nv 13 xong")
    clock.now = AFTER_Q3
    text, files = await _export(fake, official, "/xuat quý 3")
    assert "Phường Lê Lợi" in text
    stem = "bao-cao-quy-3-2025-phuong-le-loi"
    assert sorted(files) == [f"{stem}.docx", f"{stem}.xlsx"]
    word = files[f"{stem}.docx"]
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG LÊ LỢI" in _docx_text(word)  # headed by the ward

    mark = fake.mark()
    answer = await _say(fake, official, "/xuat quý 3 Xã Đường Lâm")
    assert answer.startswith("Bạn xem được chi tiết của đơn vị mình (Phường Lê Lợi)")
    assert fake.calls_of("sendDocument", since=mark) == []


@pytest.mark.parametrize(
    ("request_text", "said"),
    [
        ("/xuat quý 5", "không phải một kỳ"),
        ("/xuat năm 2026", "chưa bắt đầu"),
        ("/xuat hôm nay", "tháng, quý"),
        ("/xuat quý 3 Xã Không Có", "Không tìm thấy đơn vị"),
    ],
)
async def test_a_request_naming_no_report_is_answered_plainly(
    app, fake: FakeBotAPI, db: Database, clock, request_text: str, said: str
) -> None:
    office = await _person(fake, db, clock, Role.OFFICE)
    clock.now = AFTER_Q3
    mark = fake.mark()
    answer = await _say(fake, office, request_text)
    assert said.lower() in answer.lower()
    assert fake.calls_of("sendDocument", since=mark) == []


async def test_in_a_group_it_asks_for_a_private_chat(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    office = await _person(fake, db, clock, Role.OFFICE)
    group = fake.add_group("Đầu mối")
    mark = fake.mark()
    fake.add_bot_to_group(office, group)
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    mark = fake.mark()
    answer = await _say(fake, office, "/xuat quý 3", chat=group)
    assert "riêng" in answer
    assert fake.calls_of("sendDocument", since=mark) == []
