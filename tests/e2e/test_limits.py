"""Long answers reach people within Telegram's limits (issue 19).

The fake Bot API refuses what Telegram refuses (a text over 4,096 UTF-16 code units, a
caption over 1,024, callback data over 64 bytes, more than 100 buttons) with the same 400.
Here the real bot gets a plan of 399 tasks for one commune and ten tasks for each of 300
communes, and is asked what produces the longest answers: a report of every task at once,
its undo, mixed statuses, an unknown unit with a very long name, the overview, who is late,
the history, the coming reminders of every unit, a unit's tasks. Every reply must arrive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.language.timeframes import parse_timeframe
from bot.plans.model import PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from bot.transport import MAX_TEXT, utf16_length
from handlers.reminders import dispatch
from storage.db import Database
from storage.models import Official, Role, Unit
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app

START = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 07/12/2026, 09:00 in Hà Nội
FIRST = ("An", "Bình", "Cẩm", "Đông", "Gia", "Hòa", "Hưng", "Kim", "Lạc", "Long")
FIRST += ("Minh", "Mỹ", "Ngọc", "Phú", "Quang", "Tân", "Thạch", "Thanh", "Vĩnh", "Xuân")
SECOND = ("Bắc", "Châu", "Đức", "Hà", "Hải", "Hiệp", "Khánh", "Lâm", "Lộc", "Lợi")
SECOND += ("Nam", "Phong", "Sơn", "Thịnh", "Trung")
COMMUNES = [f"Xã {a} {b}" for a in FIRST for b in SECOND]  # 300 communes
MINE = COMMUNES[0]
MANY = 399
SENDING = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText", "answerCallbackQuery")


def _units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    rows = ["name,kind,parent,aliases", "Tỉnh Thử Nghiệm,tỉnh,,"]
    rows += [f"{name},xã,Tỉnh Thử Nghiệm," for name in COMMUNES]
    rows.append("Văn phòng HĐND và UBND,văn phòng,Tỉnh Thử Nghiệm,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _task(code: str, content: str, lead: str, timeframe: str) -> TaskDraft:
    return TaskDraft(
        code=code,
        content=content,
        lead=[lead],
        timeframe_text=timeframe,
        timeframe=parse_timeframe(timeframe, 2026),
    )


def _plan() -> PlanDraft:
    """399 tasks of one commune, five overdue and five coming tasks of every commune."""
    tasks = [
        _task(
            str(n), f"Rà soát, công khai thủ tục hành chính lĩnh vực số {n}", MINE, "Tháng 12/2026"
        )
        for n in range(1, MANY + 1)
    ]
    for n in range(5):
        content = f"Báo cáo chuyên đề kiểm soát thủ tục hành chính số {n + 1} của cấp xã"
        tasks.append(_task(f"B.{n + 1}", content, "UBND các xã, phường", "Tháng 10/2026"))
        content = f"Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đợt {n + 1} năm 2026"
        tasks.append(_task(f"C.{n + 1}", content, "UBND các xã, phường", "Trước ngày 15/12/2026"))
    return PlanDraft(
        title="Kế hoạch kiểm soát TTHC năm 2026", issuer="UBND tỉnh", year=2026, tasks=tasks
    )


@pytest.fixture
async def app(
    db: Database, settings: Settings, clock, fake: FakeBotAPI, tmp_path: Path
) -> AsyncIterator:
    clock.now = START
    import_units(db, _units_csv(tmp_path))
    with db.session() as session:
        catalogue = unit_catalogue(session)
        # Someone registered in every other commune, so each one has reminders.
        others = session.scalars(select(Unit).where(Unit.name.in_(COMMUNES[1:])))
        for number, unit in enumerate(others):
            session.add(
                Official(
                    telegram_user_id=900_000 + number,
                    role=Role.OFFICIAL,
                    unit_id=unit.id,
                    full_name=f"Cán bộ {unit.name}",
                )
            )
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    resolved = resolve_plan(_plan(), catalogue)
    plans.confirm(db, plans.store_draft(db, resolved, "kh.xlsx", office, START), START)
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _register(fake: FakeBotAPI, db: Database, role: Role, unit: str | None, name: str):
    user = fake.add_user(first_name=name)
    code = create_invite(db, role=role, unit_query=unit, now=START, days=7, created_by="t").code
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return user


HEAVY = 60.0  # seconds to wait for the answer to a message of hundreds of tasks


async def _ask(fake: FakeBotAPI, user, text: str) -> dict:
    """Send ``text`` in private; the first message of the answer (its first part)."""
    mark = fake.mark()
    fake.send_text(user, user, text)
    # Hundreds of tasks in one message: a loaded machine may take a while (a safety net).
    await fake.wait_for(
        "sendMessage", since=mark, chat_id=user["id"], include_failed=True, timeout=HEAVY
    )
    return fake.calls_of("sendMessage", since=mark, chat_id=user["id"], include_failed=True)[0]


def _every_send_arrived(fake: FakeBotAPI) -> None:
    failed = [
        f"{call.method}: {call.response}"
        for call in fake.calls
        if call.method in SENDING and not call.ok
    ]
    assert not failed, "\n".join(failed)
    for call in fake.calls_of("sendMessage"):
        assert utf16_length(call.params["text"]) <= MAX_TEXT  # the fake checks it too
        assert not call.params["text"].startswith("Xin lỗi")  # no apology for a failure


async def test_a_report_of_399_tasks_is_confirmed_in_one_readable_message(
    app, fake: FakeBotAPI, db: Database
) -> None:
    user = await _register(fake, db, Role.OFFICIAL, MINE, "Lan")
    every = ", ".join(str(n) for n in range(1, MANY + 1))
    call = await _ask(fake, user, f"nv {every} xong")
    assert call.ok
    text = call.params["text"]
    assert text.startswith(f"Đã ghi nhận cho {MINE}")
    assert f"{MANY} nhiệm vụ — đã xong: 1–{MANY}" in text
    assert len(text.splitlines()) == 2
    # The Hủy button is on the last part: this first message is the whole answer.
    confirmation = fake.message(user, call.result["message_id"])
    assert fake.buttons(confirmation)[0][0][0] == "Hủy"

    # Its undo lists the same tasks the same way.
    mark = fake.mark()
    fake.press(user, confirmation, text="Hủy")
    [undone] = await fake.wait_for("sendMessage", since=mark, chat_id=user["id"], timeout=HEAVY)
    assert undone.params["text"].startswith("Đã hủy")
    assert f"1–{MANY}" in undone.params["text"]

    # Every other task, so that no run can be joined: forty codes, then a count.
    odd = ", ".join(str(n) for n in range(1, MANY + 1, 2))
    text = (await _ask(fake, user, f"nv {odd} xong")).params["text"]
    assert "200 nhiệm vụ — đã xong: 1, 3, 5," in text and "và 160 nhiệm vụ khác" in text

    # 150 different percentages: twenty lines, then how many more.
    mixed = ", ".join(f"nv {n} {n % 90 + 1}%" for n in range(2, 302, 2))
    text = (await _ask(fake, user, mixed)).params["text"]
    assert text.count("\n• ") == 20 and "và 75 nhiệm vụ khác" in text

    # Tasks the plan does not have: one line for all of them.
    text = (await _ask(fake, user, f"nv {', '.join(str(n) for n in range(500, 900))} xong")).params
    assert "Kế hoạch không có các nhiệm vụ 500–899" in text["text"]

    # A note as long as a message can be: its confirmation quotes it, in three parts
    # (the heading line, then the task's line cut at a space).
    note = " ".join(["mất điện 🌾 kéo dài"] * 203)
    assert utf16_length(f"nv 5 chậm do {note}") <= MAX_TEXT  # Telegram took it from the person
    mark = fake.mark()
    fake.send_text(user, user, f"nv 5 chậm do {note}")
    parts = await fake.wait_for("sendMessage", 3, since=mark, chat_id=user["id"])
    texts = [part.params["text"] for part in parts]
    assert texts[0] == f"Đã ghi nhận cho {MINE}:"  # a task with one deadline: no period
    assert texts[1].startswith("• 5 Rà soát") and (texts[1] + " " + texts[2]).endswith(note)
    assert ["reply_markup" in part.params for part in parts] == [False, False, True]
    history = await _ask(fake, user, "/lichsu")
    assert history.ok and f"{MINE}" in history.params["text"]
    _every_send_arrived(fake)


async def test_the_office_gets_long_answers_about_hundreds_of_units(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    office = await _register(fake, db, Role.OFFICE, None, "Văn phòng")
    leader = await _register(fake, db, Role.LEADER, None, "Chủ tịch")
    core = app.bot_data["core"]
    built = core.rebuild_schedule()
    assert built.created > 300

    for question in ("/tinhhinh", "xã nào chậm?", "đơn vị nào chưa báo cáo?", "/kehoach"):
        assert (await _ask(fake, office, question)).ok, question
    overview = await _ask(fake, leader, "tình hình tháng này")
    assert overview.ok
    late = await _ask(fake, office, "xã nào chậm?")
    assert "300 đơn vị" in late.params["text"]
    upcoming = await _ask(fake, office, "/nhacviec")
    assert upcoming.params["text"].startswith("Nhắc việc sắp tới (mọi đơn vị)")
    tasks = await _ask(fake, office, f"/nhiemvu {MINE}")
    assert "(409)" in tasks.params["text"] and "và 379 nhiệm vụ khác" in tasks.params["text"]
    history = await _ask(fake, office, f"/lichsu {MINE}")
    assert history.ok

    # The buttons under the overview: who is late, the month before, the full ranking.
    message = fake.message(leader, overview.result["message_id"])
    for _label, data in [b for row in fake.buttons(message) for b in row]:
        mark = fake.mark()
        fake.press(leader, fake.message(leader, overview.result["message_id"]), data)
        await fake.wait_for("answerCallbackQuery", since=mark)
        await fake.wait_for(None, since=mark + 1, chat_id=leader["id"], include_failed=True)

    # Monday's digest to the office lists the overdue tasks of 300 units.
    clock.now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    mark = fake.mark()
    await dispatch(app.bot, core)
    digest = fake.calls_of("sendMessage", since=mark, chat_id=office["id"], include_failed=True)
    assert digest and all(call.ok for call in digest)
    _every_send_arrived(fake)
