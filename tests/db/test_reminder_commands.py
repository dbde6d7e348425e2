"""/nhacviec through the core: pausing for days, weeks or months or until a date, never
shortening a longer pause, resuming, and a listing that says what each reminder is about."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.language.timeframes import parse_timeframe
from bot.plans.model import Duty, PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from bot.transport import Kind, Reply
from scheduling import preferences
from storage.db import Database
from storage.models import Official, Reminder, ReminderState, Role, Unit
from tests.db.test_reports import Chat

DATA = Path(__file__).parents[1] / "data"
NOW = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)  # Friday 4/12/2026, 14:00 in Hà Nội
WARD, OFFICE = 301, 303


def _setup(db: Database, clock) -> Chat:
    import_units(db, DATA / "son-tay-units.csv")
    due = "Trước ngày 31/12/2026"
    duty = "UBND các xã, phường gửi báo cáo tuần trước 16 giờ ngày thứ Năm hằng tuần."
    draft = PlanDraft(
        title="Kế hoạch 2026",
        issuer="UBND thị xã Sơn Tây",
        year=2026,
        tasks=[
            TaskDraft(
                code="1.1",
                content="Niêm yết công khai thủ tục hành chính",
                lead=["Phường Lê Lợi"],
                timeframe_text=due,
                timeframe=parse_timeframe(due, 2026),
            )
        ],
        duties=[Duty(duty, parse_timeframe(duty, 2026))],
    )
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW), NOW)
    with db.session() as session:
        ward = session.scalar(select(Unit.id).where(Unit.name == "Phường Lê Lợi"))
        session.add(
            Official(telegram_user_id=WARD, role=Role.OFFICIAL, unit_id=ward, full_name="Lan")
        )
        session.add(Official(telegram_user_id=OFFICE, role=Role.OFFICE, full_name="Văn phòng"))
    clock.now = NOW
    core = Core(db=db, settings=Settings(_env_file=None), clock=clock)
    core.rebuild_schedule()
    return Chat(core)


def _command(chat: Chat, user: int, text: str) -> Reply:
    [reply] = chat.send(
        user, "/nhacviec " + text, kind=Kind.COMMAND, command="nhacviec", args=tuple(text.split())
    )
    return reply


def _ward(db: Database) -> int:
    with db.session() as session:
        ward = session.scalar(select(Unit.id).where(Unit.name == "Phường Lê Lợi"))
    assert ward is not None
    return ward


def _pending(db: Database) -> int:
    """The ward's pending reminders (the office's digest is not the ward's)."""
    with db.session() as session:
        query = select(Reminder.id).where(
            Reminder.state == ReminderState.PENDING, Reminder.unit_id == _ward(db)
        )
        return len(session.scalars(query).all())


def _pause_end(db: Database) -> str:
    end = preferences.pause_end(db, _ward(db), NOW)
    assert end is not None
    return end.isoformat()


def test_a_week_is_a_week_and_a_shorter_pause_keeps_the_longer(db: Database, clock) -> None:
    chat = _setup(db, clock)
    reply = _command(chat, WARD, "tạm dừng 1 tuần")
    assert reply.text.startswith("Đã tạm dừng nhắc việc của Phường Lê Lợi đến hết ngày 11/12/2026")
    assert "/nhacviec tiếp tục" in reply.text
    assert _pause_end(db) == "2026-12-12T00:00:00+07:00"

    reply = _command(chat, WARD, "tam dung 2 ngay")  # shorter: the week runs on, and it says so
    assert "đã được tạm dừng đến hết ngày 11/12/2026" in reply.text
    assert _pause_end(db) == "2026-12-12T00:00:00+07:00"

    reply = _command(chat, WARD, "tam dung 2 thang")  # longer: extends
    assert "đến hết ngày 04/02/2027" in reply.text
    reply = _command(chat, WARD, "tạm dừng đến 20/12")
    assert "04/02/2027" in reply.text and _pause_end(db) == "2027-02-05T00:00:00+07:00"


def test_too_long_or_unreadable_pauses_change_nothing(db: Database, clock) -> None:
    chat = _setup(db, clock)
    before = _pending(db)
    reply = _command(chat, WARD, "tạm dừng 4 tháng")
    assert "tối đa 90 ngày" in reply.text and "4 tháng" in reply.text
    reply = _command(chat, WARD, "tạm dừng đến 1/12/2026")
    assert "01/12/2026 đã qua" in reply.text
    reply = _command(chat, WARD, "tạm dừng ít hôm")
    assert "Chưa thay đổi gì" in reply.text and "tạm dừng 3 ngày, 2 tuần" in reply.text
    assert _pending(db) == before
    assert preferences.pause_end(db, _ward(db), NOW) is None


def test_resume_ends_the_pause_and_brings_the_reminders_back(db: Database, clock) -> None:
    chat = _setup(db, clock)
    before = _pending(db)
    assert before > 0
    _command(chat, WARD, "tạm dừng 2 tuần")
    assert _pending(db) == 0
    listing = _command(chat, WARD, "")
    assert "Đang tạm dừng đến hết ngày 18/12/2026" in listing.text

    reply = _command(chat, WARD, "tiep tuc")
    assert reply.text.startswith("Đã nhắc việc lại cho Phường Lê Lợi")
    assert _pending(db) == before
    assert preferences.pause_end(db, _ward(db), NOW) is None
    reply = _command(chat, WARD, "bat lai")
    assert "không bị tạm dừng" in reply.text


def test_every_listed_reminder_says_what_it_is_about(db: Database, clock) -> None:
    """The plan's weekly report (a duty: no task, no indicator) had a blank subject."""
    chat = _setup(db, clock)
    for user in (WARD, OFFICE):
        listing = _command(chat, user, "")
        lines = [line for line in listing.text.splitlines() if line.startswith("•")]
        assert lines, listing.text
        duty = [line for line in lines if "báo cáo định kỳ" in line]
        assert duty and all("gửi báo cáo tuần" in line for line in duty), duty
        assert all(not line.rstrip().endswith("—") for line in lines), lines
