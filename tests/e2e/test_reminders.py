"""Reminders through Telegram on an injected clock: built, sent once, answered, restarted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.language.timeframes import parse_timeframe
from bot.plans.model import PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.digests import office_digest
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from handlers.reminders import dispatch
from scheduling import outbox, schedule
from scheduling.policy import reminder_settings
from scheduling.upcoming import sent as sent_reminders
from storage.db import Database
from storage.models import (
    CalendarDay,
    Official,
    Reminder,
    ReminderState,
    Role,
    StatusUpdate,
    Task,
    Unit,
)
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app

DATA = Path(__file__).parents[1] / "data"
START = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # Sunday 22/11/2026, 09:00 in Hà Nội
# Wednesday 25/11 08:00 in Hà Nội: 7 working days before the deadline (24/11 is a holiday).
FIRST_REMINDER = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _task(code: str, content: str, timeframe: str, lead: list[str] | None = None) -> TaskDraft:
    """A task of a 2026 plan, led by Phường Lê Lợi unless ``lead`` says otherwise."""
    return TaskDraft(
        code=code,
        content=content,
        lead=lead or ["Phường Lê Lợi"],
        timeframe_text=timeframe,
        timeframe=parse_timeframe(timeframe, 2026),
    )


def _plan() -> PlanDraft:
    return PlanDraft(
        title="Kế hoạch kiểm soát TTHC năm 2026",
        issuer="UBND thị xã Sơn Tây",
        year=2026,
        tasks=[
            _task(
                "1.1",
                "Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa",
                "Trước ngày 04/12/2026",
            )
        ],
    )


def _import(db: Database, draft: PlanDraft, name: str = "kh.docx") -> None:
    """Import a plan as the office would (preview, then Nhập)."""
    with db.session() as session:
        catalogue = unit_catalogue(session)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    resolved = resolve_plan(draft, catalogue)
    plans.confirm(db, plans.store_draft(db, resolved, name, office, START), START)


@pytest.fixture
async def app(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    clock.now = START
    import_units(db, DATA / "son-tay-units.csv")
    _import(db, _plan())
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _people(app, fake: FakeBotAPI, db: Database, clock):
    """An official of Phường Lê Lợi, and its group bound by the office."""
    official = fake.add_user(first_name="Lan")
    office = fake.add_user(first_name="Văn phòng")
    for user, role, unit in (
        (official, Role.OFFICIAL, "Phường Lê Lợi"),
        (office, Role.OFFICE, None),
    ):
        code = create_invite(db, role=role, unit_query=unit, now=clock(), days=7, created_by="t")
        mark = fake.mark()
        fake.send_text(user, user, f"/start {code.code}")
        await fake.wait_for("sendMessage", since=mark)
    group = fake.add_group("Đầu mối phường Lê Lợi")
    mark = fake.mark()
    fake.add_bot_to_group(office, group)
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    mark = fake.mark()
    fake.send_text(office, group, "/nhom Phường Lê Lợi")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    return official, group


def _states(db: Database) -> dict[str, int]:
    with db.session() as session:
        rows = session.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()
    return {state.value: count for state, count in rows}


async def test_a_deadline_reminder_reaches_the_group_and_the_official_once(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    built = core.rebuild_schedule()
    # Within the 10-day horizon: 7 and 3 working days before, × (the group + the official),
    # and Monday's digest for the office
    assert built.created == 5
    assert core.rebuild_schedule().created == 0  # built twice: each reminder exists once

    assert await dispatch(app.bot, core) == 0  # nothing due on Sunday
    clock.now = FIRST_REMINDER
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 2
    assert await dispatch(app.bot, core) == 0  # never twice
    in_group = fake.calls_of("sendMessage", since=mark, chat_id=group["id"])
    in_private = fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    assert len(in_group) == 1 and len(in_private) == 1
    text = in_private[0].params["text"]
    assert "1.1" in text and "04/12/2026" in text and "7 ngày làm việc" in text
    assert "nv 1.1 xong" in text
    assert "Lan" in in_group[0].params["text"]  # the group message names its official

    reminder = fake.last_bot_message(official)
    mark = fake.mark()
    fake.press(official, reminder, text="Đã xong")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    assert fake.last_bot_message(official)["text"].startswith("Đã ghi nhận cho Phường Lê Lợi")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(StatusUpdate)) == 1
    mark = fake.mark()
    fake.press(official, reminder, text="Đã xong")  # pressed twice: stored once
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    assert fake.last_bot_message(official)["text"].startswith("Đã ghi nhận là đã xong")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(StatusUpdate)) == 1
    # The task is done: the later reminders are cancelled and nothing more is sent.
    clock.now = FIRST_REMINDER + timedelta(days=9)
    assert await dispatch(app.bot, core) == 0
    assert _states(db) == {"sent": 2, "cancelled": 3}  # and the digest went stale


async def test_done_under_a_reminder_is_undone_by_huy_like_a_message(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    clock.now = FIRST_REMINDER
    assert await dispatch(app.bot, core) == 2
    reminder = fake.last_bot_message(official)
    mark = fake.mark()
    fake.press(official, reminder, text="Đã xong")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    with db.session() as session:
        [stored] = session.scalars(select(StatusUpdate)).all()
        assert stored.inbound_message_id is not None  # the press, as logged
    clock.advance(minutes=5)
    mark = fake.mark()
    fake.send_text(official, official, "hủy")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    assert "1.1" in fake.last_bot_message(official)["text"]
    with db.session() as session:
        [stored] = session.scalars(select(StatusUpdate)).all()
        assert stored.retracted_at is not None


async def test_snooze_a_restart_and_a_blocked_chat(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    clock.now = FIRST_REMINDER
    # An instance claims the due rows and dies before sending them.
    claimed = outbox.claim(core.db, clock.now, reminder_settings(core.settings))
    assert len(claimed) == 2
    assert await dispatch(app.bot, core) == 0  # still claimed by the dead instance
    clock.advance(minutes=11)  # past the claim timeout: released and sent, once
    assert await dispatch(app.bot, core) == 2

    reminder = fake.last_bot_message(official)
    mark = fake.mark()
    fake.press(official, reminder, text="Nhắc lại sau 1 ngày")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    assert "26/11/2026" in fake.last_bot_message(official)["text"]

    fake.block_bot(official)
    clock.now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # the snoozed reminder is due
    assert await dispatch(app.bot, core) == 0
    with db.session() as session:
        failed = session.scalars(
            select(Reminder).where(Reminder.state == ReminderState.FAILED)
        ).all()
    assert failed and all(r.official_id is not None for r in failed)
    clock.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 3 days before: only the group now
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    assert fake.calls_of("sendMessage", since=mark, chat_id=group["id"])
    # The office hears of it in the weekly digest.
    assert "Lan" in office_digest(core.db, clock.now, core.settings.tz).blocked


async def test_quiet_hours_and_stale_reminders(app, fake: FakeBotAPI, db: Database, clock) -> None:
    await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    clock.now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 22:00 in Hà Nội: quiet
    assert await dispatch(app.bot, core) == 0
    clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # two days late: stale, not sent
    assert await dispatch(app.bot, core) == 0
    assert _states(db).get("cancelled") == 3  # two reminders and Monday's digest


async def test_upcoming_reminders_command(app, fake: FakeBotAPI, db: Database, clock) -> None:
    official, _group = await _people(app, fake, db, clock)
    app.bot_data["core"].rebuild_schedule()
    mark = fake.mark()
    fake.send_text(official, official, "/nhacviec")
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(official)["text"]
    assert text.startswith("Nhắc việc sắp tới của Phường Lê Lợi")
    assert "25/11 08:00" in text and "1.1" in text


async def test_the_weekly_digest_lists_overdue_tasks(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    office_id = next(u for u in fake.users.values() if u.get("first_name") == "Văn phòng")["id"]
    clock.now = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sunday: the task is 2 days late
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội
    mark = fake.mark()
    await dispatch(app.bot, core)
    [digest] = [c for c in fake.calls_of("sendMessage", since=mark, chat_id=office_id)]
    text = digest.params["text"]
    assert text.startswith("Tổng hợp tuần.")
    assert "1 nhiệm vụ quá hạn ở 1 đơn vị" in text and "Phường Lê Lợi: 1.1 (3 ngày)" in text
    [chart] = fake.calls_of("sendPhoto", since=mark, chat_id=office_id)  # the month's chart
    assert chart.params["photo"].content[:4] == b"\x89PNG"


async def test_a_paused_unit_and_a_server_error(app, fake: FakeBotAPI, db: Database, clock) -> None:
    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    clock.now = FIRST_REMINDER
    fake.fail_next("sendMessage", error_code=500, description="Internal Server Error")
    assert await dispatch(app.bot, core) == 1  # one of the two failed: retried later
    clock.advance(minutes=6)
    assert await dispatch(app.bot, core) == 1  # … and sent, once
    assert len(fake.calls_of("sendMessage", chat_id=official["id"])) >= 1

    mark = fake.mark()
    fake.send_text(official, official, "/nhacviec tam dung 10 ngay")
    await fake.wait_for("sendMessage", since=mark)
    assert "Đã tạm dừng nhắc việc của Phường Lê Lợi" in fake.last_bot_message(official)["text"]
    core.rebuild_schedule()  # a rebuild during the pause adds nothing for the unit
    clock.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert await dispatch(app.bot, core) == 0


async def test_group_mentions_and_where_reminders_go(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    core.rebuild_schedule()
    clock.now = FIRST_REMINDER
    mark = fake.mark()
    await dispatch(app.bot, core)
    [in_group] = fake.calls_of("sendMessage", since=mark, chat_id=group["id"])
    [entity] = in_group.params["entities"]
    assert entity["type"] == "text_mention" and entity["user"]["id"] == official["id"]
    text = in_group.params["text"]
    assert text[entity["offset"] : entity["offset"] + entity["length"]] == "Lan"

    mark = fake.mark()
    fake.send_text(official, official, "/nhacviec nhom")
    await fake.wait_for("sendMessage", since=mark)
    assert "chỉ gửi vào nhóm" in fake.last_bot_message(official)["text"]
    clock.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    assert fake.calls_of("sendMessage", since=mark, chat_id=group["id"])
    assert not fake.calls_of("sendMessage", since=mark, chat_id=official["id"])


async def test_recurring_indicator_and_check_in_reminders(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    from decimal import Decimal

    from bot.plans.model import Comparator, IndicatorDraft

    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title = "Kế hoạch bổ sung"
    draft.issuer = "UBND phường Lê Lợi"
    draft.tasks = [
        _task("2.1", "Báo cáo tình hình giải quyết thủ tục hành chính", "Hằng tháng"),
        _task("2.2", "Niêm yết công khai thủ tục hành chính", "Thường xuyên"),
    ]
    draft.indicators = [
        IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80))
    ]
    _import(db, draft, "kh2.docx")
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)  # 3 working days before the 14th
    mark = fake.mark()
    await dispatch(app.bot, core)
    texts = [
        c.params["text"] for c in fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    ]
    assert any("2.1" in t and "tháng 12/2026" in t and "14/12/2026" in t for t in texts), texts
    assert any("2.2" in t and "quý này" in t for t in texts), texts
    assert any("Tỷ lệ số hóa hồ sơ" in t and "so hoa 85/100" in t for t in texts), texts


async def test_reporting_a_figure_stops_its_reminder(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    from decimal import Decimal

    from bot.plans.model import Comparator, IndicatorDraft

    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch chỉ tiêu", "UBND phường Lê Lợi"
    draft.indicators = [
        IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80))
    ]
    _import(db, draft, "kh3.docx")
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    core.rebuild_schedule()
    mark = fake.mark()
    fake.send_text(official, official, "so hoa 85%")  # December's figure, before the reminder
    await fake.wait_for("sendMessage", since=mark)
    assert fake.last_bot_message(official)["text"].startswith("Đã ghi nhận")
    clock.now = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)
    mark = fake.mark()
    await dispatch(app.bot, core)
    texts = [c.params["text"] for c in fake.calls_of("sendMessage", since=mark)]
    assert not any("Tỷ lệ số hóa hồ sơ" in t for t in texts), texts


async def test_after_a_recurring_deadline_the_group_gets_one_list_of_who_is_missing(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, group = await _people(app, fake, db, clock)
    office = next(u for u in fake.users.values() if u.get("first_name") == "Văn phòng")
    mark = fake.mark()
    fake.send_text(office, group, "/nhom Phường Ngô Quyền, Phường Quang Trung")
    await fake.wait_for("sendMessage", since=mark, chat_id=group["id"])
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch báo cáo", "UBND thị xã Sơn Tây"
    draft.tasks = [
        _task(
            "5.1",
            "Báo cáo tình hình giải quyết thủ tục hành chính",
            "Hằng tháng",
            ["Phường Lê Lợi", "Phường Ngô Quyền", "Phường Quang Trung"],
        )
    ]
    _import(db, draft, "kh4.docx")
    clock.now = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    core.rebuild_schedule()
    mark = fake.mark()
    fake.send_text(official, official, "nv 5.1 xong")  # Lê Lợi reports December
    await fake.wait_for("sendMessage", since=mark)
    clock.now = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)  # the day after the deadline
    mark = fake.mark()
    await dispatch(app.bot, core)
    [listing] = [
        c.params["text"]
        for c in fake.calls_of("sendMessage", since=mark, chat_id=group["id"])
        if "còn thiếu" in c.params["text"]
    ]
    assert "Phường Ngô Quyền; Phường Quang Trung" in listing
    assert "Lê Lợi" not in listing


async def test_done_under_a_late_periodic_report_reminder_is_for_its_quarter(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch báo cáo quý", "UBND thị xã Sơn Tây"
    draft.tasks = [_task("5.2", "Báo cáo kết quả kiểm soát thủ tục hành chính", "Hằng quý")]
    _import(db, draft, "kh5.docx")
    clock.now = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)  # the day after the deadline
    mark = fake.mark()
    await dispatch(app.bot, core)
    late = fake.last_bot_message(official)
    assert "5.2" in late["text"] and "quý IV/2026" in late["text"], late["text"]
    mark = fake.mark()
    fake.press(official, late, text="Đã xong")
    await fake.wait_for("sendMessage", since=mark, chat_id=official["id"])
    text = fake.last_bot_message(official)["text"]
    assert "(kỳ báo cáo quý IV/2026) — đã xong" in text, text
    with db.session() as session:
        # the reminder's quarter, not the message's month (15/12 reports into January)
        assert session.scalars(select(StatusUpdate.period_start)).all() == [date(2026, 10, 1)]


async def test_a_reporting_duty_of_the_plan_is_reminded(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    from bot.plans.model import Duty

    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch có chế độ báo cáo", "UBND thị xã Sơn Tây"
    text = "UBND các xã, phường báo cáo kết quả kiểm soát thủ tục hành chính định kỳ hằng quý."
    draft.duties = [Duty(text, parse_timeframe("Định kỳ hằng quý", 2026))]
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    resolved = resolve_plan(draft, catalogue)
    assert len(resolved.duties) == 1 and len(resolved.duties[0].units) == 14  # every ward
    plans.confirm(db, plans.store_draft(db, resolved, "kh5.docx", actor, START), START)
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)  # 3 working days before 14/12
    mark = fake.mark()
    await dispatch(app.bot, core)
    texts = [
        c.params["text"] for c in fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    ]
    assert any("báo cáo định kỳ quý IV/2026 hạn 14/12/2026" in t for t in texts), texts


async def test_a_weekly_report_is_reminded_an_hour_before_on_its_day(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    from bot.plans.model import Duty

    official, _group = await _people(app, fake, db, clock)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch báo cáo tuần", "UBND thị xã Sơn Tây"
    text = (
        "UBND các xã, phường gửi báo cáo tuần từ 16 giờ đến 16 giờ 15 phút ngày thứ Năm hằng tuần."
    )
    draft.duties = [Duty(text, parse_timeframe(text, 2026))]
    _import(db, draft, "kh6.docx")
    core.rebuild_schedule()
    clock.now = datetime(2026, 11, 26, 7, 59, tzinfo=UTC)  # Thursday 14:59 in Hà Nội
    mark = fake.mark()
    await dispatch(app.bot, core)
    early = [c.params["text"] for c in fake.calls_of("sendMessage", since=mark)]
    assert not any("16:00" in t for t in early), early
    mark = fake.mark()
    clock.now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 15:00
    await dispatch(app.bot, core)
    texts = [
        c.params["text"] for c in fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    ]
    assert any("hạn 16:00 26/11/2026" in t for t in texts), texts


async def test_the_chairman_gets_a_chart(app, fake: FakeBotAPI, db: Database, clock) -> None:
    await _people(app, fake, db, clock)
    leader = await _leader(fake, db, clock)
    clock.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # the task of 4/12 is overdue
    mark = fake.mark()
    fake.send_text(leader, leader, "tinh hinh thang 12")
    await fake.wait_for("sendPhoto", since=mark)
    text = fake.calls_of("sendMessage", since=mark, chat_id=leader["id"])[0].params["text"]
    assert text.startswith("tháng 12/2026: 1 lượt nhiệm vụ đến hạn — 1 quá hạn")
    photo = fake.calls_of("sendPhoto", since=mark)[0].params["photo"]
    assert photo.content[:4] == b"\x89PNG"


async def _leader(fake: FakeBotAPI, db: Database, clock) -> dict:
    leader = fake.add_user(first_name="Chủ tịch")
    code = create_invite(db, role=Role.LEADER, unit_query=None, now=clock(), days=7, created_by="t")
    mark = fake.mark()
    fake.send_text(leader, leader, f"/start {code.code}")
    await fake.wait_for("sendMessage", since=mark)
    return leader


async def test_leaders_get_the_month_overview_on_monday_morning(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    await _people(app, fake, db, clock)
    leader = await _leader(fake, db, clock)
    office_id = next(u for u in fake.users.values() if u.get("first_name") == "Văn phòng")["id"]
    core = app.bot_data["core"]
    clock.now = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sunday
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 7, 0, 29, tzinfo=UTC)  # Monday 07:29 in Hà Nội
    assert await dispatch(app.bot, core) == 0
    clock.now = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # 07:30
    mark = fake.mark()
    await dispatch(app.bot, core)
    [overview] = fake.calls_of("sendMessage", since=mark, chat_id=leader["id"])
    text = overview.params["text"]
    # the standing now, as a leader asking "tình hình tháng này" gets it
    assert text.startswith(
        "Tổng hợp hằng tuần gửi lãnh đạo.\nTình hình đến 07/12/2026 (kế hoạch năm 2026):\n"
        "Đã đến hạn: 1 lượt nhiệm vụ — 0 xong đúng hạn, 1 quá hạn ở 1 đơn vị."
    )
    assert "Chậm nhất: Phường Lê Lợi: 1.1 (3 ngày)." in text
    buttons = [b["text"] for row in overview.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["Đơn vị nào chậm", "Tháng 12/2026", "Phường Lê Lợi"]
    [chart] = fake.calls_of("sendPhoto", since=mark, chat_id=leader["id"])
    assert fake.file_bytes(chart.result["photo"][-1]["file_id"])[:4] == b"\x89PNG"
    # The office gets its own digest, not the leaders' overview.
    [digest] = fake.calls_of("sendMessage", since=mark, chat_id=office_id)
    assert digest.params["text"].startswith("Tổng hợp tuần.")
    # The leader presses "who is late" under it.
    mark = fake.mark()
    fake.press(leader, overview.result, text="Đơn vị nào chậm")
    await fake.wait_for("sendMessage", since=mark, chat_id=leader["id"])
    late = fake.last_bot_message(leader)["text"]
    assert late.startswith("Quá hạn đến 07/12/2026: 1 đơn vị, 1 lượt nhiệm vụ:")


async def test_the_leaders_day_and_hour_are_settings_and_skip_days_off(
    db: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    clock.now = START
    import_units(db, DATA / "son-tay-units.csv")
    _import(db, _plan())
    changed = settings.model_copy(
        update={"leader_digest_day": 3, "leader_digest_time": time(16, 0)}
    )
    async with running_app(application(db, changed, clock, fake), fake) as running:
        leader = await _leader(fake, db, clock)
        core = running.bot_data["core"]
        with db.session() as session:  # Wednesday is a day off this week
            session.add(CalendarDay(day=date(2026, 12, 2), working=False, note="Nghỉ bù"))
        clock.now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # Sunday
        core.rebuild_schedule()
        with db.session() as session:
            due = session.scalars(select(Reminder.due_at).where(Reminder.kind == "overview")).all()
        # Thursday 03/12 16:00 in Hà Nội (09:00 UTC), the next working day
        assert due == [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]
        clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
        mark = fake.mark()
        await dispatch(running.bot, core)
        [sent] = fake.calls_of("sendMessage", since=mark, chat_id=leader["id"])
        assert sent.params["text"].startswith("Tổng hợp hằng tuần gửi lãnh đạo.")


def test_no_leaders_overview_when_turned_off(db: Database, settings: Settings) -> None:
    assert reminder_settings(settings).leader_day == 1
    off = settings.model_copy(update={"leader_digest_day": 0})
    import_units(db, DATA / "son-tay-units.csv")
    _import(db, _plan())
    with db.session() as session:
        session.add(Official(telegram_user_id=77, role=Role.LEADER, full_name="Chủ tịch"))
    schedule.rebuild(db, reminder_settings(off), START)
    with db.session() as session:
        kinds = set(session.scalars(select(Reminder.kind)).all())
    assert "overview" not in kinds
    schedule.rebuild(db, reminder_settings(settings), START)
    with db.session() as session:
        kinds = set(session.scalars(select(Reminder.kind)).all())
    assert "overview" in kinds


async def test_the_office_reminds_the_units_missing_figures_now(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    from decimal import Decimal

    from bot.plans.model import Comparator, IndicatorDraft

    official, group = await _people(app, fake, db, clock)
    office = _office(fake)
    core = app.bot_data["core"]
    draft = _plan()
    draft.title, draft.issuer = "Kế hoạch chỉ tiêu", "UBND phường Lê Lợi"
    draft.indicators = [
        IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80))
    ]
    _import(db, draft, "kh5.docx")
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 09:00: December's figures due 14/12
    asked = await _say(fake, office, "xã nào chưa gửi số liệu?")
    assert "Chưa gửi gì (1): Phường Lê Lợi." in asked["text"], asked["text"]
    pressed = await _press(fake, office, asked, "Nhắc các đơn vị này")
    assert pressed["text"].startswith("Đang nhắc 1 đơn vị")
    # the group and the official, at once, through the reminder sender
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 2
    for chat in (group, official):
        [sent] = fake.calls_of("sendMessage", since=mark, chat_id=chat["id"])
        text = sent.params["text"]
        assert text.startswith("⏰ Phường Lê Lợi: số liệu kỳ tháng 12/2026 hạn 14/12/2026")
        assert "Tỷ lệ số hóa hồ sơ" in text and "(Văn phòng nhắc)" in text
    # the unit's reminders sent (its web page) name what it was reminded of
    [chased] = sent_reminders(db, _unit(db, "Phường Lê Lợi"), clock())[:1]
    assert chased.kind == "chase" and chased.subject == "Tỷ lệ số hóa hồ sơ"
    # pressed the next day, and the unit reports before the sender's turn: nothing goes
    clock.now += timedelta(days=1)
    await _chased_but_answered(app, fake, (office, asked), (official, "so hoa 85/100"), group)


async def test_the_office_reminds_the_units_late_on_tasks_now(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, group = await _people(app, fake, db, clock)
    office = _office(fake)
    core = app.bot_data["core"]
    clock.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 09:00 Monday: 1.1 was due 04/12
    asked = await _say(fake, office, "xã nào chậm?")
    assert "• Phường Lê Lợi: 1.1 (3 ngày)" in asked["text"], asked["text"]
    pressed = await _press(fake, office, asked, "Nhắc các đơn vị này")
    assert pressed["text"].startswith("Đang nhắc 1 đơn vị về các nhiệm vụ"), pressed["text"]
    # the group and the official, at once, through the reminder sender
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 2
    for chat in (group, official):
        [sent] = fake.calls_of("sendMessage", since=mark, chat_id=chat["id"])
        text = sent.params["text"]
        assert text.startswith(
            "⏰ Phường Lê Lợi: nhiệm vụ đã quá hạn mà chưa xong: 1.1 “Niêm yết công khai thủ"
        ), text
        assert "(hạn 04/12/2026). (Văn phòng nhắc)" in text and "nv 1.1 chậm do …" in text
    [chased] = sent_reminders(db, _unit(db, "Phường Lê Lợi"), clock())[:1]
    assert chased.kind == "chase-late" and chased.subject == "1.1"
    # pressed the next day, and the unit reports it done before the sender's turn
    clock.now += timedelta(days=1)
    await _chased_but_answered(app, fake, (office, asked), (official, "nv 1.1 xong"), group)


async def test_an_official_asks_for_more_time_and_the_office_agrees(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, _group = await _people(app, fake, db, clock)
    office = _office(fake)
    core = app.bot_data["core"]
    clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 1.1 due 04/12
    sent = await _say(fake, official, "xin gia hạn nv 1.1 đến 18/12 vì chờ hướng dẫn của Sở")
    assert sent["text"].startswith("Đã gửi Văn phòng đề nghị gia hạn: Nhiệm vụ 1.1")
    # the office's notice, through the reminder sender, with the button
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    [notice] = fake.calls_of("sendMessage", since=mark, chat_id=office["id"])
    text = notice.params["text"]
    assert text.startswith("📨 Phường Lê Lợi (Lan) xin gia hạn."), text
    assert "hạn 04/12/2026 → 18/12/2026." in text and "Lý do: chờ hướng dẫn của Sở" in text
    moved = await _press(fake, office, fake.last_bot_message(office), "Đồng ý đổi hạn")
    assert moved["text"].startswith("Đã đổi. Nhiệm vụ 1.1")
    with db.session() as session:
        due = session.scalars(select(Task.due_date).where(Task.code == "1.1")).one()
    assert due == date(2026, 12, 18)
    # the official who asked is told, once
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    [told] = fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    assert told.params["text"] == (
        "✅ Văn phòng đã đổi hạn. Nhiệm vụ 1.1 Niêm yết công khai thủ tục hành chính tại Bộ phận"
        " Một cửa: hạn 04/12/2026 → 18/12/2026."
    ), told.params["text"]
    assert await dispatch(app.bot, core) == 0


async def test_the_office_declines_a_request_and_the_official_is_told(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    official, _group = await _people(app, fake, db, clock)
    office = _office(fake)
    core = app.bot_data["core"]
    clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    await _say(fake, official, "xin gia hạn nv 1.1 đến 18/12")
    assert await dispatch(app.bot, core) == 1
    declined = await _press(fake, office, fake.last_bot_message(office), "Không đồng ý")
    assert declined["text"].startswith("Đã báo Phường Lê Lợi")
    mark = fake.mark()
    assert await dispatch(app.bot, core) == 1
    [told] = fake.calls_of("sendMessage", since=mark, chat_id=official["id"])
    assert told.params["text"] == (
        "❌ Văn phòng không đồng ý gia hạn nhiệm vụ 1.1 Niêm yết công khai thủ tục hành chính "
        "tại Bộ phận Một cửa đến 18/12/2026. Hạn vẫn là 04/12/2026."
    ), told.params["text"]


async def _say(fake: FakeBotAPI, user: dict, text: str) -> dict:
    """``user`` writes ``text`` to the bot in private; the bot's answer."""
    mark = fake.mark()
    fake.send_text(user, user, text)
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return fake.last_bot_message(user)


async def _press(fake: FakeBotAPI, user: dict, message: dict, label: str) -> dict:
    """``user`` presses the button ``label`` under ``message``; the bot's answer."""
    mark = fake.mark()
    fake.press(user, message, text=label)
    await fake.wait_for("sendMessage", since=mark, chat_id=user["id"])
    return fake.last_bot_message(user)


async def _chased_but_answered(
    app, fake: FakeBotAPI, pressed: tuple[dict, dict], report: tuple[dict, str], group: dict
) -> None:
    """The office presses **Nhắc các đơn vị này** under its answer (``pressed``: who,
    which message), the unit then reports (``report``: who, what) before the reminder
    sender's turn: the sender sends nothing to the unit's ``group``."""
    office, asked = pressed
    await _press(fake, office, asked, "Nhắc các đơn vị này")
    await _say(fake, *report)
    mark = fake.mark()
    assert await dispatch(app.bot, app.bot_data["core"]) == 0
    assert fake.calls_of("sendMessage", since=mark, chat_id=group["id"]) == []


def _office(fake: FakeBotAPI) -> dict:
    """The office member :func:`_people` registered."""
    return next(u for u in fake.users.values() if u.get("first_name") == "Văn phòng")


def _unit(db: Database, name: str) -> int:
    with db.session() as session:
        return session.scalars(select(Unit.id).where(Unit.name == name)).one()
