"""The overview at the edges: deadlines at midnight in Hà Nội, reports repeated,
corrected and undone, tasks overdue from earlier months, figures for the period they
were sent for. Every report goes through the core as an official would send it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from bot.config import Settings
from bot.core import Core
from bot.language.periods import Period
from bot.services import progress
from bot.services.access import staff
from storage.db import Database
from storage.models import CurrentStatus
from tests.db.test_progress import _setup
from tests.db.test_reports import Chat

WARD, COMMUNE, LEADER = 201, 202, 204
NOVEMBER = Period.month(2026, 11)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

STAFF = staff()  # what the office and leaders may see


def _local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment in Hà Nội (UTC+7) as the UTC instant the clock holds."""
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI).astimezone(UTC)


def _chat(db: Database, clock) -> Chat:
    _setup(db)  # task 1 due 10/11, task 2 due 30/11, task 3 due 15/10 (Phường Lê Lợi)
    return Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))


def _overview(db: Database, period: Period) -> progress.Overview:
    return progress.overview(db, period, date(2026, 11, 20), viewer=STAFF, tz=HANOI)


def _counts(db: Database, name: str, today: date, period: Period = NOVEMBER) -> dict:
    data = progress.overview(db, period, today, viewer=STAFF, tz=HANOI)
    return next(u.counts for u in data.units if u.name == name)


def test_done_at_a_minute_to_midnight_is_on_time_a_minute_after_is_late(
    db: Database, clock
) -> None:
    chat = _chat(db, clock)
    clock.now = _local(10, 23, 59)  # 16:59 UTC on the deadline: on time in Hà Nội
    chat.say(WARD, "nv 1 xong")
    clock.now = _local(11, 0, 1)  # 17:01 UTC on the 10th, but the 11th in Hà Nội: late
    chat.say(COMMUNE, "nv 1 xong")
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["done"] == 1
    assert _counts(db, "Xã Đường Lâm", date(2026, 11, 20))["late"] == 1


def test_a_deadline_today_is_not_overdue_yet(db: Database, clock) -> None:
    _chat(db, clock)
    assert _counts(db, "Xã Đường Lâm", date(2026, 11, 10))["not_reported"] == 2
    assert _counts(db, "Xã Đường Lâm", date(2026, 11, 11))["overdue"] == 1


def test_saying_done_again_after_the_deadline_keeps_it_on_time(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(5, 9)
    chat.say(WARD, "nv 1 xong")
    clock.now = _local(12, 9)
    chat.say(WARD, "nv 1 đã hoàn thành, có biên bản")
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["done"] == 1
    with db.session() as session:
        since = session.scalars(select(CurrentStatus.since)).all()
    assert _local(5, 9) in since


def test_reopened_and_done_again_after_the_deadline_is_late(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(5, 9)
    chat.say(WARD, "nv 1 xong")
    clock.now = _local(7, 9)
    chat.say(WARD, "nv 1 đang thực hiện")  # not done after all
    clock.now = _local(12, 9)
    chat.say(WARD, "nv 1 xong")
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["late"] == 1


def test_an_undone_report_counts_for_nothing(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(5, 9)
    chat.say(COMMUNE, "nv 1 xong")
    chat.say(COMMUNE, "hủy")
    counts = _counts(db, "Xã Đường Lâm", date(2026, 11, 20))
    assert counts["overdue"] == 1 and counts["done"] == 0
    # … nor is the unit counted as having reported this month
    assert (
        "Xã Đường Lâm"
        in progress.overview(db, NOVEMBER, date(2026, 11, 20), viewer=STAFF, tz=HANOI).silent
    )


def test_undoing_a_later_report_restores_the_earlier_one(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(5, 9)
    chat.say(WARD, "nv 1 xong")
    clock.now = _local(12, 9)
    chat.say(WARD, "nv 1 đang thực hiện")
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["overdue"] == 1
    chat.say(WARD, "hủy")  # the "in progress" was a mistake
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["done"] == 1


def test_a_correction_after_the_deadline_counts_from_when_it_was_sent(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(5, 9)
    chat.say(WARD, "nv 1 đang thực hiện")
    clock.now = _local(12, 9)
    reply = chat.say(WARD, "sửa: nv 1 xong")
    assert reply.text.startswith("Đã sửa")
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["late"] == 1


def test_a_task_overdue_since_october_is_still_on_the_late_list(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    late = {u.name: u for u in progress.overdue(db, date(2026, 11, 20), viewer=STAFF)}
    assert [(t.code, t.days_late) for t in late["Phường Lê Lợi"].tasks] == [("3", 36), ("1", 10)]
    # in November's overview it is not due, so not counted there …
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20))["overdue"] == 1
    # … and once done (late), it leaves the list
    chat.say(WARD, "nv 3 xong")
    late = {u.name: u for u in progress.overdue(db, date(2026, 11, 20), viewer=STAFF)}
    assert [t.code for t in late["Phường Lê Lợi"].tasks] == ["1"]
    assert _counts(db, "Phường Lê Lợi", date(2026, 11, 20), Period.month(2026, 10))["late"] == 1
    # asked about one month: only the tasks due in it
    october = progress.overdue(db, date(2026, 11, 20), period=Period.month(2026, 10), viewer=STAFF)
    assert october == []
    [quiet] = chat.send(LEADER, "đơn vị nào chưa báo cáo?")  # the silent ones first
    assert quiet.text.startswith("Chưa báo cáo gì trong kỳ: Xã Đường Lâm.")
    [late] = chat.send(LEADER, "xã nào chậm tháng 11?")
    assert late.text.startswith(
        "Quá hạn đến 20/11/2026: 2 đơn vị, 2 lượt nhiệm vụ (đến hạn trong tháng 11/2026):"
    )


def test_figures_count_for_the_period_they_were_sent_for(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(3, 9)  # before the cut-off day: November's figures
    chat.say(WARD, "so hoa 60/100")
    chat.say(COMMUNE, "so hoa thang 10: 50/100")  # October's, sent late
    clock.now = _local(20, 9)  # after the 15th: December's
    chat.say(WARD, "so hoa 85/100")
    chat.say(WARD, "so hoa 88/100")  # the latest figure of a unit for a period stands
    figures = {
        key: progress.overview(
            db, Period.month(2026, m), date(2026, 11, 20), viewer=STAFF, tz=HANOI
        ).indicators[0]
        for key, m in (("oct", 10), ("nov", 11), ("dec", 12))
    }
    assert (figures["oct"].reported, figures["oct"].area) == (1, Decimal(50))
    assert (figures["nov"].reported, figures["nov"].area) == (1, Decimal(60))
    assert (figures["dec"].reported, figures["dec"].area) == (1, Decimal(88))
    assert figures["nov"].previous_area == Decimal(50)  # the change against October
    # A quarter adds up its months: (50 + 60 + 88) / 300 for the ward and the commune.
    quarter = progress.indicator_detail(db, 1, Period.quarter(2026, 4), viewer=STAFF)
    assert quarter is not None
    assert quarter.standing.area == Decimal(100) * Decimal(198) / Decimal(300)
    # An undone figure is gone from its period.
    chat.say(WARD, "hủy")
    dec = progress.overview(
        db, Period.month(2026, 12), date(2026, 11, 20), viewer=STAFF, tz=HANOI
    ).indicators[0]
    assert dec.area == Decimal(85)


def test_the_chairman_this_month_sees_the_figures_coming_in(db: Database, clock) -> None:
    chat = _chat(db, clock)
    clock.now = _local(3, 9)
    chat.say(WARD, "so hoa 60/100")  # November's
    clock.now = _local(20, 9)
    [reply] = chat.send(LEADER, "số hóa tháng này")  # nothing for December yet: November
    assert reply.text.startswith("Tỷ lệ số hóa hồ sơ, tháng 11/2026: 0/1 đơn vị đạt ≥ 80%.")
    chat.say(COMMUNE, "so hoa 85/100")  # December's, sent now
    [reply] = chat.send(LEADER, "số hóa tháng này")
    assert reply.text.startswith("Tỷ lệ số hóa hồ sơ, tháng 12/2026: 1/1 đơn vị đạt ≥ 80%.")
    assert "Các kỳ gần đây: T11 60% → T12 85%." in reply.text
    assert "↑ so với 60% kỳ trước" in reply.text
    [overview] = chat.send(LEADER, "tình hình tháng này")
    assert "Chỉ tiêu kỳ tháng 12/2026 (15/11–14/12):" in overview.text
    assert "(toàn địa bàn 85%, ↑ từ 60%)" in overview.text  # not "up 60%"


def test_0006_fills_in_since_from_the_history(db: Database, clock, tmp_path) -> None:
    from alembic import command

    if db.engine.dialect.name != "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'since.db'}")
        db.ensure_ready()
    chat = _chat(db, clock)
    for day, message in ((5, "nv 1 xong"), (6, "nv 1 xong, có biên bản"), (7, "nv 2 đang làm")):
        clock.now = _local(day, 9)
        chat.say(WARD, message)
    with db.session() as session:
        before = dict(
            session.execute(select(CurrentStatus.assignment_id, CurrentStatus.since)).all()
        )
    cfg = db._alembic_config()
    with db.engine.connect() as conn:
        # as Database.upgrade does: batch migrations rebuild tables others refer to
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
    with db.engine.connect() as conn:
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(current_status)"))]
    assert "since" not in columns
    db.upgrade()
    with db.session() as session:
        after = dict(
            session.execute(select(CurrentStatus.assignment_id, CurrentStatus.since)).all()
        )
    assert after == before and _local(5, 9) in after.values() and _local(7, 9) in after.values()


def test_in_a_group_an_official_gets_totals_and_a_leader_the_detail(db: Database, clock) -> None:
    from tests.db.test_reports import GROUP

    chat = _chat(db, clock)
    clock.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    [official] = chat.send(COMMUNE, "tình hình tháng này", chat=GROUP)
    assert official.text.startswith("Tình hình đến 20/11/2026 (kế hoạch năm 2026):")
    assert "Đã đến hạn: 3 lượt nhiệm vụ" in official.text  # the area's totals
    assert "Chậm nhất" not in official.text and official.attachments == []
    assert official.buttons == []
    [leader] = chat.send(LEADER, "tình hình tháng này", chat=GROUP)
    assert "Chậm nhất" in leader.text and leader.attachments[0].is_picture
    # A leader's bare "số hóa" in a group is chit-chat unless said to the bot …
    assert chat.send(LEADER, "số hóa tháng này", chat=GROUP) == []
    # … and a question when it is.
    [asked] = chat.send(LEADER, "số hóa tháng này", chat=GROUP, reply_to_bot=True)
    assert asked.text.startswith("Tỷ lệ số hóa hồ sơ")
