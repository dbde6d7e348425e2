"""What a person sends is what is stored: corrections replace only what they name, undo
is bounded, a status is never stronger than its own words (issue 12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.transport import Kind
from storage.db import Database
from storage.models import IndicatorValue, StatusUpdate, TaskStatus, Unit
from tests.db.test_reports import COMMUNE, OFFICE, WARD, Chat, _current


def _figures(db: Database, unit: str = "Phường Lê Lợi") -> dict[str, tuple[Decimal, bool]]:
    """Every figure of a unit: indicator code → (value, still standing), latest last."""
    from storage.models import Indicator

    with db.session() as session:
        rows = session.execute(
            select(Indicator.code, IndicatorValue.value, IndicatorValue.retracted_at)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(Unit.name == unit)
            .order_by(IndicatorValue.id)
        ).all()
    return {code: (value, retracted is None) for code, value, retracted in rows}


def _standing(db: Database, unit: str = "Phường Lê Lợi") -> list[tuple[str, Decimal]]:
    from storage.models import Indicator

    with db.session() as session:
        return [
            (code, value)
            for code, value in session.execute(
                select(Indicator.code, IndicatorValue.value)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(Unit, Unit.id == IndicatorValue.unit_id)
                .where(Unit.name == unit, IndicatorValue.retracted_at.is_(None))
                .order_by(IndicatorValue.id)
            )
        ]


# -- a correction replaces exactly what it names ---------------------------------------


def test_a_correction_keeps_what_it_does_not_name(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "so hoa 85/100, hai long 96%")
    reply = chat.say(WARD, "sửa: so hoa 88/100")
    assert _standing(reporting) == [("10", Decimal(96)), ("6", Decimal(88))]
    assert reply.text.startswith("Đã sửa cho Phường Lê Lợi")
    assert "thay 85% (85/100) bằng 88% (88/100)" in reply.text
    assert "Giữ nguyên từ báo cáo trước:" in reply.text and "96%" in reply.text
    # a correction about a task leaves the figures alone
    chat.say(WARD, "nv 13 đang thực hiện")
    reply = chat.say(WARD, "sua nv 13 xong")
    assert "thay đang thực hiện bằng đã xong" in reply.text
    assert _standing(reporting) == [("10", Decimal(96)), ("6", Decimal(88))]
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DONE


def test_a_correction_that_names_nothing_earlier_is_a_new_report(
    chat: Chat, reporting: Database
) -> None:
    chat.say(WARD, "so hoa 85/100")
    reply = chat.say(WARD, "sửa: nv 13 xong")
    assert reply.text.startswith("Chưa có báo cáo trước về các mục này để sửa")
    assert _standing(reporting) == [("6", Decimal(85))]
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DONE


def test_the_office_corrects_the_unit_it_names(chat: Chat, reporting: Database) -> None:
    chat.say(OFFICE, "Xã Đường Lâm: nv 3 xong")
    chat.say(COMMUNE, "nv 3 xong")  # no effect on the ward
    chat.say(OFFICE, "Phường Lê Lợi: nv 3 xong")
    reply = chat.say(OFFICE, "sửa: Phường Lê Lợi: nv 3 đang thực hiện")
    assert reply.text.startswith("Đã sửa cho Phường Lê Lợi")
    assert _current(reporting, "Xã Đường Lâm", "3") is TaskStatus.DONE
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.IN_PROGRESS
    # an official corrects their own unit's report, whoever sent it
    reply = chat.say(WARD, "sửa: nv 3 xong")
    assert "thay đang thực hiện bằng đã xong" in reply.text
    assert _current(reporting, "Xã Đường Lâm", "3") is TaskStatus.DONE


def test_an_edit_replaces_the_whole_message_and_says_what_it_dropped(
    chat: Chat, reporting: Database
) -> None:
    chat.say(WARD, "so hoa 85/100, hai long 96%", message_id=700)
    reply = chat.say(WARD, "so hoa 88/100", kind=Kind.EDITED, message_id=700)
    assert "thay 85% (85/100) bằng 88% (88/100)" in reply.text
    assert "Đã bỏ (tin nhắn sau khi sửa không còn nêu):" in reply.text
    assert _standing(reporting) == [("6", Decimal(88))]


def test_a_correction_waiting_for_a_choice_still_replaces_only_its_items(
    chat: Chat, reporting: Database
) -> None:
    chat.say(WARD, "nv 13 đang thực hiện, so hoa 85%")
    asked = chat.say(WARD, "sửa: nv 13 xong 50%")
    assert "Là cái nào?" in asked.text
    [stored] = chat.press(WARD, asked, "đang thực hiện (50%)")
    assert stored.text.startswith("Đã sửa cho Phường Lê Lợi")
    assert _standing(reporting) == [("6", Decimal(85))]
    with reporting.session() as session:
        updates = session.scalars(select(StatusUpdate).order_by(StatusUpdate.id)).all()
    assert [(u.status, u.percent, u.retracted_at is None) for u in updates] == [
        (TaskStatus.IN_PROGRESS, None, False),
        (TaskStatus.IN_PROGRESS, 50, True),
    ]


# -- undo is bounded and explicit --------------------------------------------------------


def test_undo_reaches_the_latest_report_only(chat: Chat, reporting: Database, clock) -> None:
    chat.say(WARD, "nv 3 xong, so hoa 80%")
    clock.advance(days=30)
    chat.say(WARD, "nv 13 đang thực hiện")
    chat.say(WARD, "nv 15 xong")
    first = chat.say(WARD, "hủy")
    assert "Đã hủy, báo cáo gửi lúc" in first.text and "15" in first.text
    for _ in range(2):  # repeating it undoes nothing more
        again = chat.say(WARD, "hủy")
        assert "đã được hủy" in again.text and "/lichsu" in again.text
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.IN_PROGRESS
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _standing(reporting) == [("6", Decimal(80))]


def test_undo_is_refused_after_the_window(chat: Chat, reporting: Database, clock) -> None:
    chat.say(WARD, "nv 13 xong")
    clock.advance(hours=49)
    reply = chat.say(WARD, "hủy")
    assert "đã quá 48 giờ" in reply.text and "/lichsu" in reply.text
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DONE
    # the report is undone by its button in /lichsu
    history = chat.say(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    [label] = [b.label for row in history.buttons for b in row]
    assert label.startswith("Hủy ") and label.endswith(": 13")
    [undone] = chat.press(WARD, history, label)
    assert "Đã hủy" in undone.text
    assert _current(reporting, "Phường Lê Lợi", "13") is None


def test_history_offers_only_what_the_person_may_undo(chat: Chat, reporting: Database) -> None:
    chat.say(OFFICE, "Phường Lê Lợi: nv 3 xong")
    chat.say(WARD, "nv 13 xong")
    history = chat.say(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    assert len([b for row in history.buttons for b in row]) == 1  # their own report only
    office = chat.say(OFFICE, "/lichsu phường Lê Lợi", kind=Kind.COMMAND, command="lichsu",
                      args=("phường", "Lê", "Lợi"))  # fmt: skip
    assert len([b for row in office.buttons for b in row]) == 2


def test_undoing_a_correction_puts_back_what_it_replaced(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "so hoa 85/100, hai long 96%")
    chat.say(WARD, "sửa: so hoa 88/100")
    reply = chat.say(WARD, "hủy")
    assert "88%" in reply.text and "khôi phục" in reply.text and "85% (85/100)" in reply.text
    assert sorted(_standing(reporting)) == [("10", Decimal(96)), ("6", Decimal(85))]


def test_undo_naming_a_task_takes_back_only_that_task(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "nv 3 xong, nv 13 xong, so hoa 80%")
    reply = chat.say(WARD, "hủy nv 13")
    assert "13" in reply.text and "• 3 " not in reply.text
    assert _current(reporting, "Phường Lê Lợi", "13") is None
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _standing(reporting) == [("6", Decimal(80))]


def test_the_undo_window_is_configurable(reporting: Database, clock) -> None:
    from bot.config import Settings
    from bot.core import Core
    from tests.db.test_reports import NOW

    clock.now = NOW
    settings = Settings(_env_file=None, DONDOC_UNDO_HOURS=2)
    chat = Chat(Core(db=reporting, settings=settings, clock=clock))
    chat.say(WARD, "nv 13 xong")
    clock.advance(hours=3)
    assert "đã quá 2 giờ" in chat.say(WARD, "hủy").text


# -- nothing is stored that was not said ------------------------------------------------


def test_a_percentage_is_progress_and_a_contradiction_is_asked(
    chat: Chat, reporting: Database
) -> None:
    reply = chat.say(WARD, "nv 3 da xong 100%, nv 13 dat 80%")
    assert "13 Thực hiện niêm yết" in reply.text and "đang thực hiện (80%)" in reply.text
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.IN_PROGRESS
    asked = chat.say(WARD, "nv 15 xong 50%")
    assert "Nhiệm vụ 15 (50%): đã xong, hay đang thực hiện (50%)?" in asked.text
    assert _current(reporting, "Phường Lê Lợi", "15") is None  # nothing stored yet
    [stored] = chat.press(WARD, asked, "đã xong")
    assert "đã xong" in stored.text and "50%" not in stored.text
    assert _current(reporting, "Phường Lê Lợi", "15") is TaskStatus.DONE


def test_each_item_takes_its_own_words(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "nv 3 ok, nv 13 dang lam")
    assert _current(reporting, "Phường Lê Lợi", "3") is None
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.IN_PROGRESS
    assert "Chưa ghi nhận (chưa ghi tình trạng): 3." in reply.text


def test_a_bare_hundred_percent_is_asked(chat: Chat, reporting: Database) -> None:
    asked = chat.say(WARD, "nv 13 100%")
    labels = [b.label for row in asked.buttons for b in row]
    assert labels == ["đã xong (100%)", "đang thực hiện", "Hủy"]
    assert _current(reporting, "Phường Lê Lợi", "13") is None
    # a forged option stores nothing and asks again
    again = chat.press_data(WARD, asked.buttons[0][0].data.rsplit(":", 1)[0] + ":9")
    assert _current(reporting, "Phường Lê Lợi", "13") is None
    assert "Là cái nào?" in again[0].text


def test_nothing_is_stored_when_the_unit_is_not_yours(chat: Chat, reporting: Database) -> None:
    before = _figures(reporting, "Xã Đường Lâm")
    chat.say(WARD, "Xã Đường Lâm: so hoa 90%")
    assert _figures(reporting, "Xã Đường Lâm") == before


def test_a_failure_half_way_leaves_nothing_stored(
    chat: Chat, reporting: Database, monkeypatch
) -> None:
    from bot.services.reports import ledger

    def fails(*_args, **_kwargs):
        raise RuntimeError("lost the connection half-way")

    monkeypatch.setattr(ledger, "_set_current", fails)  # after the first row was added
    with pytest.raises(RuntimeError):
        chat.say(WARD, "nv 3 xong, nv 13 đang làm, so hoa 85%")
    with reporting.session() as session:
        assert session.scalars(select(StatusUpdate)).all() == []
        assert session.scalars(select(IndicatorValue)).all() == []


# -- the office naming several units in one message ----------------------------------------


def test_each_units_part_goes_to_that_unit(chat: Chat, reporting: Database) -> None:
    reply = chat.say(OFFICE, "Phường Lê Lợi: số hóa 80/100; Xã Đường Lâm: số hóa 90/100")
    assert _standing(reporting, "Phường Lê Lợi") == [("6", Decimal(80))]
    assert _standing(reporting, "Xã Đường Lâm") == [("6", Decimal(90))]
    assert "Đã ghi nhận cho Phường Lê Lợi" in reply.text
    assert "Đã ghi nhận cho Xã Đường Lâm" in reply.text
    [undone] = chat.press(OFFICE, reply, "Hủy")  # one report: undone together
    assert _standing(reporting, "Phường Lê Lợi") == _standing(reporting, "Xã Đường Lâm") == []
    assert "Đã hủy" in undone.text


def test_lines_per_unit_with_a_period_for_all(chat: Chat, reporting: Database) -> None:
    chat.say(
        OFFICE, "Số liệu tháng 11:\nP. Lê Lợi: nv 3 xong, so hoa 80%\nXa Duong Lam: nv 3 dang lam"
    )
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _current(reporting, "Xã Đường Lâm", "3") is TaskStatus.IN_PROGRESS
    with reporting.session() as session:
        starts = set(session.scalars(select(IndicatorValue.period_start)))
    assert {d.month for d in starts} == {11}


def test_one_wrong_part_stores_nothing_and_says_which(chat: Chat, reporting: Database) -> None:
    reply = chat.say(OFFICE, "Phường Lê Lợi: số hóa 80/100; Xã Tân Lập Mới: số hóa 90/100")
    assert reply.text.startswith("Chưa ghi nhận gì từ tin nhắn này (tin nêu 2 đơn vị)")
    assert "Phường Lê Lợi: đã hiểu là:" in reply.text and "cần sửa" in reply.text
    assert _standing(reporting, "Phường Lê Lợi") == []
    again = chat.say(OFFICE, "Phường Lê Lợi: số hóa 80/100; P. Le Loi: số hóa 90/100")
    assert "được nêu hai lần" in again.text
    assert _standing(reporting, "Phường Lê Lợi") == []


def test_an_official_naming_another_unit_stores_nothing(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "Phường Lê Lợi: so hoa 80%; Xã Đường Lâm: so hoa 90%")
    assert reply.text.startswith("Chưa ghi nhận gì")
    assert _standing(reporting, "Phường Lê Lợi") == _standing(reporting, "Xã Đường Lâm") == []


class RecordingReminders:
    """The reminders a report stops, recorded instead of cancelled (ReminderCancelling)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def answered_task(self, session, assignment_id, until) -> None:
        self.calls.append(("task", assignment_id, until))

    def answered_figure(self, session, indicator_id, unit_id, period_key) -> None:
        self.calls.append(("figure", indicator_id, unit_id, period_key))


def test_a_report_stops_the_reminders_it_answers_through_the_protocol(
    reporting: Database, clock
) -> None:
    from bot.config import Settings
    from bot.core import Core
    from scheduling.answers import ReminderCancelling
    from tests.db.test_reports import NOW

    clock.now = NOW
    recording = RecordingReminders()
    assert isinstance(recording, ReminderCancelling)
    chat = Chat(Core(db=reporting, settings=Settings(_env_file=None), clock=clock,
                     reminders=recording))  # fmt: skip
    chat.say(WARD, "nv 3 đang làm")  # a task with one deadline, in progress: not answered
    assert recording.calls == []
    chat.say(WARD, "nv 3 xong, so hoa 85%")  # done: all its reminders; the figure's too
    assert [(c[0], c[-1]) for c in recording.calls] == [("task", None), ("figure", "2025-12")]
    chat.say(WARD, "nv 13 đang làm")  # a continuous task: this period's reminders
    assert recording.calls[-1][0] == "task" and recording.calls[-1][2].isoformat() == "2025-12-31"
    chat.say(WARD, "so hoa 200%")  # refused: nothing stored, nothing stopped
    assert len(recording.calls) == 3
    chat.say(WARD, "thanh toan truc tuyen khong phat sinh")  # said so: answered, no figure
    assert recording.calls[-1][0] == "figure" and recording.calls[-1][-1] == "2025-12"
