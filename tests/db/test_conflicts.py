"""Two reporters who disagree, through the core: two officials of Phường Lê Lợi (and the
office) send different statuses or figures; the later is stored, the office is told, and
keeps either; the Monday digest lists what is open and /lichsu marks it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from bot.buttons import KeepEarlier, KeepLater
from bot.services import digests
from bot.services.reports import conflicts
from bot.transport import Kind, Reply
from bot.views.conflicts import conflict_notice_reply
from bot.views.digests import digest_reply
from storage.db import Database
from storage.models import (
    ConflictEnd,
    IndicatorValue,
    Official,
    Reminder,
    ReminderState,
    ReportConflict,
    TaskStatus,
    Unit,
)
from tests.db.test_reports import LEADER, OFFICE, WARD, Chat, _current

WARD_NAME = "Phường Lê Lợi"


def _conflicts(db: Database) -> list[ReportConflict]:
    with db.session() as session:
        return list(session.scalars(select(ReportConflict).order_by(ReportConflict.id)))


def _standing_figure(db: Database) -> Decimal | None:
    """The ward's standing "số hóa" figure (the latest not withdrawn)."""
    with db.session() as session:
        return session.scalar(
            select(IndicatorValue.value)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(Unit.name == WARD_NAME, IndicatorValue.retracted_at.is_(None))
            .order_by(IndicatorValue.id.desc())
            .limit(1)
        )


def _notices(db: Database) -> list[Reminder]:
    with db.session() as session:
        return list(session.scalars(select(Reminder).where(Reminder.kind == conflicts.NOTICE)))


def _notice(chat: Chat, conflict_id: int) -> Reply:
    core = chat.core
    found = conflicts.describe(core.db, conflict_id, core.settings.tz)
    assert found is not None
    return conflict_notice_reply(found, "vi")


def _disagree_on_a_figure(chat: Chat, clock, colleague: int) -> ReportConflict:
    first = chat.say(WARD, "so hoa 85/100")
    assert first.text.startswith("Đã ghi nhận")
    clock.advance(days=1)
    second = chat.say(colleague, "so hoa 60/100")
    assert second.text.startswith("Đã ghi nhận")  # stored as usual
    [conflict] = _conflicts(chat.core.db)
    return conflict


# -- found -----------------------------------------------------------------------------


def test_two_officials_send_different_figures(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    assert conflict.closed_at is None and conflict.earlier_value_id is not None
    assert _standing_figure(reporting) == 60  # the later one stands, the history keeps both
    with reporting.session() as session:
        office = session.scalar(select(Official.id).where(Official.telegram_user_id == OFFICE))
    [notice] = _notices(reporting)
    assert notice.official_id == office and notice.state is ReminderState.PENDING
    assert notice.unit_id is None  # not one of the unit's reminders (/nhacviec)
    text = _notice(chat, conflict.id).text
    assert "Phường Lê Lợi" in text and "Tỷ lệ số hóa" in text
    assert "Người 201" in text and "Người 205" in text
    assert "85% (85/100)" in text and "60% (60/100)" in text
    assert "09:00 20/11" in text and "09:00 21/11" in text


def test_a_figure_against_nothing_arising_is_a_conflict_said_in_words(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "so hoa 85/100")
    clock.advance(days=1)
    assert chat.say(colleague, "so hoa khong phat sinh").text.startswith("Đã ghi nhận")
    [conflict] = _conflicts(reporting)
    text = _notice(chat, conflict.id).text
    assert "85% (85/100)" in text and "không phát sinh (không có số liệu)" in text


def test_two_officials_send_different_statuses(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "nv 3 xong")
    clock.advance(hours=5)
    chat.say(colleague, "nv 3 đang thực hiện 50%")
    [conflict] = _conflicts(reporting)
    assert conflict.earlier_update_id is not None and conflict.later_update_id is not None
    assert _current(reporting, WARD_NAME, "3") is TaskStatus.IN_PROGRESS
    text = _notice(chat, conflict.id).text
    assert "đã xong" in text and "đang thực hiện (50%)" in text and "3 Các cơ quan" in text


def test_the_office_reporting_otherwise_is_a_conflict_its_correction_is_not(
    chat: Chat, reporting: Database, clock
) -> None:
    chat.say(WARD, "so hoa 85/100")
    chat.say(OFFICE, "Phường Lê Lợi: so hoa 80/100")
    [conflict] = _conflicts(reporting)
    assert "(Văn phòng)" in _notice(chat, conflict.id).text
    # The office correcting the item decides: the open conflict closes, no new one.
    chat.say(OFFICE, "sửa: Phường Lê Lợi: so hoa 70/100")
    [closed] = _conflicts(reporting)
    assert closed.resolution is ConflictEnd.CORRECTED
    assert _standing_figure(reporting) == 70


def test_the_office_correcting_with_the_unit_named_first_is_no_conflict(
    chat: Chat, reporting: Database, clock
) -> None:
    chat.say(WARD, "so hoa 85/100")
    # "Phường Lê Lợi: sửa: …" was a new report, disagreeing with the ward's: a conflict
    reply = chat.say(OFFICE, "Phường Lê Lợi: sửa: so hoa 70/100")
    assert reply.text.startswith("Đã sửa"), reply.text
    assert _conflicts(reporting) == []
    assert _standing_figure(reporting) == 70
    chat.say(OFFICE, "phuong le loi - sua lai so hoa 75/100")
    assert _conflicts(reporting) == [] and _standing_figure(reporting) == 75


def test_the_same_person_correcting_is_no_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "so hoa 85/100")
    clock.advance(hours=2)
    assert chat.say(WARD, "sửa: so hoa 60/100").text.startswith("Đã sửa")
    chat.say(WARD, "nv 3 xong")
    chat.say(WARD, "nv 3 đang thực hiện")  # said again otherwise, by the same person
    assert _conflicts(reporting) == [] and _notices(reporting) == []


def test_the_same_value_twice_is_no_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "so hoa 85/100")
    chat.say(WARD, "nv 3 đang thực hiện 40%")
    clock.advance(days=1)
    chat.say(colleague, "so hoa 85/100")
    chat.say(colleague, "nv 3 đang thực hiện")  # no percent: it does not say otherwise
    assert _conflicts(reporting) == []


def test_an_undone_report_is_no_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "so hoa 85/100")
    assert "Đã hủy" in chat.say(WARD, "hủy").text
    chat.say(colleague, "so hoa 60/100")
    assert _conflicts(reporting) == []


def test_undoing_either_report_closes_the_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    assert "Đã hủy" in chat.say(colleague, "hủy").text
    [closed] = _conflicts(reporting)
    assert closed.id == conflict.id and closed.resolution is ConflictEnd.WITHDRAWN
    assert _standing_figure(reporting) == 85
    # the office's press after that changes nothing
    [reply] = chat.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert "không còn khác nhau" in reply.text


def test_reports_in_different_reporting_windows_are_no_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "nv 3 đang thực hiện")  # 20/11: the window 15/11–14/12
    clock.advance(days=30)  # 20/12: the next window
    chat.say(colleague, "nv 3 xong")
    assert _conflicts(reporting) == []


def test_the_later_reporter_coming_round_closes_it(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    _disagree_on_a_figure(chat, clock, colleague)
    chat.say(colleague, "sửa: so hoa 85/100")
    [closed] = _conflicts(reporting)
    assert closed.resolution is ConflictEnd.AGREED


# -- settled by the office -------------------------------------------------------------


def test_keeping_the_earlier_figure_restores_it(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    notice = _notice(chat, conflict.id)
    labels = [b.label for row in notice.buttons for b in row]
    assert labels == ["Giữ 85% (85/100) (Người 201)", "Giữ 60% (60/100) (Người 205)"]
    [reply] = chat.press(OFFICE, notice, labels[0])
    assert "Đã giữ 85% (85/100) do Người 201 gửi" in reply.text
    assert "Báo cáo của Người 205 (60% (60/100)) đã được thu hồi" in reply.text
    assert _standing_figure(reporting) == 85
    [closed] = _conflicts(reporting)
    assert closed.resolution is ConflictEnd.EARLIER and closed.closed_by_id is not None
    # a second press (or the other button) changes nothing more
    for label in labels:
        [again] = chat.press(OFFICE, notice, label)
        assert again.text.startswith("Đã xử lý")
    assert _standing_figure(reporting) == 85
    assert _conflicts(reporting)[0].resolution is ConflictEnd.EARLIER
    with reporting.session() as session:
        assert session.scalars(select(IndicatorValue)).all().__len__() == 2  # history kept


def test_keeping_the_earlier_status_puts_it_back_as_current(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "nv 3 xong")
    chat.say(colleague, "sửa: nv 3 chưa thực hiện")  # another's correction: a conflict
    [conflict] = _conflicts(reporting)
    assert _current(reporting, WARD_NAME, "3") is TaskStatus.NOT_STARTED
    [reply] = chat.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert reply.text.startswith("Đã giữ đã xong")
    assert _current(reporting, WARD_NAME, "3") is TaskStatus.DONE


def test_keeping_the_later_one_only_closes_it(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    [reply] = chat.press_data(OFFICE, KeepLater(conflict.id).pack())
    assert "Đã giữ 60% (60/100) do Người 205 gửi" in reply.text
    assert "thu hồi" not in reply.text
    assert _standing_figure(reporting) == 60
    assert _conflicts(reporting)[0].resolution is ConflictEnd.LATER
    [again] = chat.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert again.text.startswith("Đã xử lý") and _standing_figure(reporting) == 60


def test_only_the_office_settles(chat: Chat, reporting: Database, clock, colleague: int) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    for person in (WARD, colleague, LEADER):
        [reply] = chat.press_data(person, KeepEarlier(conflict.id).pack())
        assert "Chỉ Văn phòng" in reply.text
    assert _conflicts(reporting)[0].closed_at is None
    assert _standing_figure(reporting) == 60
    [gone] = chat.press_data(OFFICE, KeepLater(conflict.id + 99).pack())
    assert "không còn khác nhau" in gone.text


def test_a_newer_disagreement_replaces_the_open_one(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    _disagree_on_a_figure(chat, clock, colleague)
    chat.say(WARD, "so hoa 90/100")
    first, second = _conflicts(reporting)
    assert first.resolution is ConflictEnd.SUPERSEDED and second.closed_at is None
    assert len(_notices(reporting)) == 2


# -- the digest and /lichsu --------------------------------------------------------------


def test_the_monday_digest_lists_open_conflicts(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    conflict = _disagree_on_a_figure(chat, clock, colleague)
    tz = chat.core.settings.tz
    data = digests.office_digest(reporting, clock(), tz)
    assert data.conflicts_total == 1 and data.conflicts[0].id == conflict.id
    text = digest_reply(data, "vi").text
    assert "Báo cáo không khớp, chưa xử lý (1):" in text
    assert "Phường Lê Lợi — Tỷ lệ số hóa" in text
    assert "85% (85/100) (Người 201, 20/11)" in text and "60% (60/100) (Người 205, 21/11)" in text
    chat.press_data(OFFICE, KeepLater(conflict.id).pack())
    settled = digests.office_digest(reporting, clock(), tz)
    assert settled.conflicts_total == 0
    assert "không khớp" not in digest_reply(settled, "vi").text


def test_history_marks_the_reports_in_an_open_conflict(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "nv 13 xong")
    conflict = _disagree_on_a_figure(chat, clock, colleague)

    def history() -> list[str]:
        reply = chat.say(OFFICE, "/lichsu", kind=Kind.COMMAND, command="lichsu", args=("P Le Loi",))
        return reply.text.splitlines()

    marked = [line for line in history() if "⚠️" in line]
    assert len(marked) == 2 and all("Văn phòng sẽ quyết định" in line for line in marked)
    assert any("Người 201" in line for line in marked) and any(
        "Người 205" in line for line in marked
    )
    assert not any("13 " in line for line in marked)
    chat.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert not any("⚠️" in line for line in history())


def test_a_conflict_outlives_a_restart(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    """Kept in the database: a new core (a restarted bot) settles it."""
    from bot.core import Core

    conflict = _disagree_on_a_figure(chat, clock, colleague)
    restarted = Chat(Core(db=reporting, settings=chat.core.settings, clock=clock))
    restarted.update_id = chat.update_id
    [reply] = restarted.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert reply.text.startswith("Đã giữ") and _standing_figure(reporting) == 85
    assert clock() - timedelta(days=1) < _conflicts(reporting)[0].closed_at


def test_the_earlier_reporter_editing_to_agree_ends_it(
    chat: Chat, reporting: Database, clock, colleague: int
) -> None:
    chat.say(WARD, "so hoa 85/100", message_id=900)
    clock.advance(hours=1)
    chat.say(colleague, "so hoa 60/100")
    [conflict] = _conflicts(reporting)
    assert chat.say(WARD, "so hoa 60/100", kind=Kind.EDITED, message_id=900).text.startswith(
        "Đã sửa"
    )
    assert len(_conflicts(reporting)) == 1  # no new one: they now agree
    assert digests.office_digest(reporting, clock(), chat.core.settings.tz).conflicts_total == 0
    [reply] = chat.press_data(OFFICE, KeepEarlier(conflict.id).pack())
    assert "không còn khác nhau" in reply.text
    assert _standing_figure(reporting) == 60
