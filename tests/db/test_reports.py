"""Reporting by message through the core: stored with history, asked, rejected, undone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.cli import main
from bot.config import Settings
from bot.core import Core
from bot.transport import ChatRef, ChatType, Incoming, Kind, Reply, UserRef
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    InboundMessage,
    IndicatorValue,
    Official,
    PendingReport,
    Role,
    StatusUpdate,
    Task,
    TaskStatus,
    Unit,
)

DATA = Path(__file__).parents[1] / "data"
PLAN = DATA / "plans" / "quyet-dinh-huyen-son-tay-2025.txt"
NOW = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)  # 20/11/2025 09:00 in Hà Nội

WARD, COMMUNE, OFFICE, LEADER = 201, 202, 203, 204
GROUP = ChatRef(-500, ChatType.GROUP, "Đầu mối TTHC")


class Chat:
    """Send messages through the core as registered people and read the replies."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.update_id = 0

    def send(
        self,
        user: int,
        text: str,
        *,
        chat: ChatRef | None = None,
        kind: Kind = Kind.TEXT,
        message_id: int | None = None,
        reply_to_bot: bool = False,
        file=None,
        command: str | None = None,
        args: tuple[str, ...] = (),
    ) -> list[Reply]:
        self.update_id += 1
        incoming = Incoming(
            "telegram",
            self.update_id,
            kind,
            chat or ChatRef(user, ChatType.PRIVATE),
            UserRef(user, f"user {user}"),
            self.core.clock(),
            text=text,
            command=command,
            args=args,
            message_id=message_id or self.update_id,
            reply_to_bot=reply_to_bot,
            file=file,
        )
        claim = self.core.begin(incoming)
        assert claim is not None
        return self.core.handle(incoming, claim)

    def say(self, user: int, text: str, **kwargs) -> Reply:
        replies = self.send(user, text, **kwargs)
        assert len(replies) == 1, replies
        return replies[0]

    def press(self, user: int, reply: Reply, label: str) -> list[Reply]:
        data = next(b.data for row in reply.buttons for b in row if b.label == label)
        return self.press_data(user, data)

    def press_data(self, user: int, data: str) -> list[Reply]:
        """A button pressed, or forged: any callback data."""
        self.update_id += 1
        incoming = Incoming(
            "telegram",
            self.update_id,
            Kind.CALLBACK,
            ChatRef(user, ChatType.PRIVATE),
            UserRef(user, f"user {user}"),
            self.core.clock(),
            callback_data=data,
            message_id=self.update_id,
        )
        claim = self.core.begin(incoming)
        assert claim is not None
        return self.core.handle(incoming, claim)


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _current(db: Database, unit: str, code: str) -> TaskStatus | None:
    with db.session() as session:
        return session.scalar(
            select(CurrentStatus.status)
            .join(Assignment, Assignment.id == CurrentStatus.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Unit.name == unit, Task.code == code)
        )


# -- stored ---------------------------------------------------------------------------


def test_a_status_by_code_is_stored_and_confirmed(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "nv 3 xong")
    assert reply.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert "3 Các cơ quan, đơn vị xây dựng" in reply.text and "đã xong" in reply.text
    assert [b.label for row in reply.buttons for b in row] == ["Hủy"]
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    with reporting.session() as session:
        update = session.scalars(select(StatusUpdate)).one()
        assert update.reported_by_id is not None and update.inbound_message_id is not None


def test_several_items_and_a_reason(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "3, 13 hoàn thành; 15 chậm do thiếu nhân lực")
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DONE
    assert _current(reporting, "Phường Lê Lợi", "15") is TaskStatus.DELAYED
    assert "ghi chú: thiếu nhân lực" in reply.text


def test_indicator_figures_with_targets(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "so hoa 85/100 ho so, thanh toan truc tuyen 81%, hai long 96%")
    assert _count(reporting, IndicatorValue) == 3
    assert "85% (85/100)" in reply.text and "đạt chỉ tiêu (≥ 80%)" in reply.text
    assert "tháng 12/2025" in reply.text  # 20/11 is in December's reporting window
    with reporting.session() as session:
        value = session.scalar(select(IndicatorValue).where(IndicatorValue.numerator == 85))
        assert value is not None and value.value == 85 and value.denominator == 100


def _figures(db: Database) -> list[tuple[str, object]]:
    """(unit, value) of each standing figure, oldest first (value None: nothing arose)."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.name, IndicatorValue.value)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(IndicatorValue.retracted_at.is_(None))
            .order_by(IndicatorValue.id)
        )
        return [(name, value) for name, value in rows]


def test_an_indicator_with_nothing_arising_is_stored_as_such(
    chat: Chat, reporting: Database
) -> None:
    # with a figure: both stored, the indicator with nothing arising said so
    reply = chat.say(WARD, "so hoa 85%, thanh toan truc tuyen: khong phat sinh giao dich")
    assert reply.text.startswith("Đã ghi nhận cho Phường Lê Lợi, tháng 12/2025")
    assert "thanh toán trực tuyến" in reply.text
    assert "không phát sinh (không có số liệu)" in reply.text and reply.buttons
    assert _figures(reporting) == [("Phường Lê Lợi", 85), ("Phường Lê Lợi", None)]
    # alone, or as "0/0": recorded, with its undo button; nothing else said
    for text in ("thanh toán trực tuyến không phát sinh", "thanh toan truc tuyen 0/0"):
        alone = chat.say(WARD, text)
        assert alone.text.splitlines() == [
            "Đã ghi nhận cho Phường Lê Lợi, tháng 12/2025:",
            "• Tỷ lệ thanh toán trực tuyến trên Cổng Dịch vụ công…: "
            "không phát sinh (không có số liệu)",
        ]
        assert [b.label for row in alone.buttons for b in row] == ["Hủy"]
    [undone] = chat.press(WARD, alone, "Hủy")
    assert "Đã hủy" in undone.text
    assert _figures(reporting)[-1] == ("Phường Lê Lợi", None)  # the one before stands
    # a figure after it is no jump from nothing (it is stored without a question)
    figure = chat.say(WARD, "thanh toan truc tuyen 85%")
    assert figure.text.startswith("Đã ghi nhận") and _figures(reporting)[-1][1] == 85
    chat.say(WARD, "thanh toán trực tuyến không phát sinh")
    # the history says so
    history = chat.say(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu").text
    assert "thanh toán trực tuyến" in history and "không phát sinh" in history
    # a task's "không phát sinh" stays the task's status
    chat.say(WARD, "nv 3 khong phat sinh")
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.NOT_APPLICABLE
    # kept through a question asked first ("nv 13 100%": done, or in progress?)
    before = _count(reporting, IndicatorValue)
    asked = chat.say(WARD, "nv 13 100%, số hóa không phát sinh")
    assert "không phát sinh" in asked.text and _count(reporting, IndicatorValue) == before
    [stored] = chat.press(WARD, asked, next(b.label for row in asked.buttons for b in row))
    assert stored.text.startswith("Đã ghi nhận") and "không phát sinh" in stored.text
    assert _current(reporting, "Phường Lê Lợi", "13") is not None
    assert _figures(reporting)[-1] == ("Phường Lê Lợi", None)
    # the office, for several units: each stored
    several = chat.say(
        OFFICE, "Xã Đường Lâm: thanh toán trực tuyến không phát sinh; Phường Lê Lợi: 0/0 số hóa"
    )
    assert several.text.count("Đã ghi nhận cho") == 2 and several.buttons
    assert _figures(reporting)[-2:] == [("Xã Đường Lâm", None), ("Phường Lê Lợi", None)]


def test_nothing_arising_counts_as_said_but_never_as_a_value(
    chat: Chat, reporting: Database
) -> None:
    chat.say(WARD, "thanh toan truc tuyen khong phat sinh")
    chat.say(OFFICE, "Xã Đường Lâm: thanh toán trực tuyến 60/100")
    # the official asking sees their unit's word, not "no figure sent"
    own = chat.say(WARD, "thanh toan truc tuyen thang nay dat chua").text
    assert "Phường Lê Lợi: không phát sinh trong kỳ (không có số liệu)." in own
    # the leader: the area's value is the one figure; the unit is named as having none
    detail = chat.say(LEADER, "thanh toan truc tuyen thang nay the nao").text
    assert "0/1 đơn vị đạt" in detail and "60%" in detail
    assert "Không phát sinh trong kỳ: Phường Lê Lợi." in detail


def test_a_count_after_a_total_of_other_things_is_refused_saying_so(
    chat: Chat, reporting: Database
) -> None:
    reply = chat.say(WARD, "tiep nhan 120 ho so, so hoa 110, thanh toan truc tuyen 90")
    assert reply.text.startswith("Chưa ghi nhận gì")
    assert (
        "“thanh toan truc tuyen 90”: chỉ tiêu này tính trên số giao dịch thanh toán, "
        "không phải trên “tiep nhan 120 ho so”."
    ) in reply.text
    assert "91,67% (110/120)" in reply.text  # what was understood of the rest
    assert _count(reporting, IndicatorValue) == 0


def test_a_count_naming_no_one_indicator_is_said_not_recorded(
    chat: Chat, reporting: Database
) -> None:
    reply = chat.say(WARD, "tiếp nhận 120 hồ sơ, trực tuyến 90, đúng hạn 118")
    assert reply.text.startswith("Đã ghi nhận") and "75% (90/120)" in reply.text
    assert "Không ghi nhận: “đúng hạn 118” (không rõ là chỉ tiêu nào" in reply.text
    assert _count(reporting, IndicatorValue) == 1


def test_undo_by_button_retracts_exactly_that_report(chat: Chat, reporting: Database) -> None:
    first = chat.say(WARD, "nv 13 xong")
    chat.say(WARD, "nv 3 xong")
    [undone] = chat.press(WARD, first, "Hủy")
    assert "Đã hủy" in undone.text and "13" in undone.text
    assert _current(reporting, "Phường Lê Lợi", "13") is None
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _count(reporting, StatusUpdate) == 2  # history is kept
    assert _count(reporting, StatusUpdate, StatusUpdate.retracted_at.is_not(None)) == 1


def test_undo_command_and_word(chat: Chat, reporting: Database) -> None:
    assert "chưa có báo cáo nào để hủy" in chat.say(WARD, "hủy").text
    chat.say(WARD, "nv 13 đang thực hiện")
    chat.say(WARD, "nv 13 xong")
    assert "Đã hủy" in chat.say(WARD, "hủy").text
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.IN_PROGRESS
    # repeating it never walks further back: the earlier report stands
    again = chat.say(WARD, "/huy", kind=Kind.COMMAND, command="huy").text
    assert "đã được hủy" in again and "/lichsu" in again
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.IN_PROGRESS


def test_an_edited_message_replaces_its_report(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "nv 13 xong", message_id=900)
    reply = chat.say(WARD, "nv 13 chậm do mất điện", kind=Kind.EDITED, message_id=900)
    assert reply.text.startswith("Đã sửa")
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DELAYED
    assert _count(reporting, StatusUpdate, StatusUpdate.retracted_at.is_(None)) == 1


def test_a_correction_replaces_the_last_report(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "so hoa 70%")
    reply = chat.say(WARD, "sửa: so hoa 75%")
    assert reply.text.startswith("Đã sửa")
    with reporting.session() as session:
        values = session.scalars(select(IndicatorValue).order_by(IndicatorValue.id)).all()
    assert [(v.value, v.retracted_at is not None) for v in values] == [(70, True), (75, False)]


# -- rejected and asked ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nv 99 xong", "Kế hoạch không có nhiệm vụ 99"),
        ("nv 30 xong", "Nhiệm vụ 30 không giao cho đơn vị này"),
        ("so hoa 120%", "120%"),
        ("so hoa 120/100", "không được lớn hơn tổng số"),
        ("so hoa tháng 12/2026: 85%", "chưa bắt đầu"),
        ("Xã Đường Lâm: nv 3 xong", "chỉ báo cáo cho đơn vị của mình"),
    ],
)
def test_a_wrong_message_stores_nothing_and_says_why(
    chat: Chat, reporting: Database, text: str, expected: str
) -> None:
    reply = chat.say(WARD, text)
    assert reply.text.startswith("Chưa ghi nhận gì"), reply.text
    assert expected in reply.text
    assert _count(reporting, StatusUpdate) == 0 and _count(reporting, IndicatorValue) == 0


def test_a_leader_does_not_report(chat: Chat, reporting: Database) -> None:
    reply = chat.say(LEADER, "Phường Lê Lợi: nv 3 xong")
    assert "Lãnh đạo xem báo cáo" in reply.text
    assert _count(reporting, StatusUpdate) == 0


def test_the_office_reports_for_a_named_unit(chat: Chat, reporting: Database) -> None:
    reply = chat.say(OFFICE, "Xã Đường Lâm: nv 3 xong")
    assert reply.text.startswith("Đã ghi nhận cho Xã Đường Lâm")
    assert _current(reporting, "Xã Đường Lâm", "3") is TaskStatus.DONE


def test_a_big_jump_is_confirmed_before_it_is_stored(
    chat: Chat, reporting: Database, clock
) -> None:
    chat.say(WARD, "so hoa tháng 10: 40%")
    reply = chat.say(WARD, "so hoa tháng 11: 95%")
    assert "thay đổi nhiều" in reply.text
    assert _count(reporting, IndicatorValue) == 1
    [stored] = chat.press(WARD, reply, "Đúng, ghi nhận")
    assert stored.text.startswith("Đã ghi nhận")
    assert _count(reporting, IndicatorValue) == 2


def test_a_task_by_content_is_confirmed(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "xong tập huấn chuyên môn nghiệp vụ rồi ạ")
    assert _count(reporting, StatusUpdate) == 0
    labels = [b.label for row in reply.buttons for b in row]
    assert any(label.startswith("48 ") for label in labels), labels
    [stored] = chat.press(WARD, reply, next(x for x in labels if x.startswith("48 ")))
    assert _current(reporting, "Phường Lê Lợi", "48") is TaskStatus.DONE
    assert stored.text.startswith("Đã ghi nhận")


def test_cancel_a_pending_report(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "xong tập huấn chuyên môn nghiệp vụ rồi ạ")
    [cancelled] = chat.press(WARD, reply, "Hủy")
    assert "chưa ghi nhận gì" in cancelled.text
    assert _count(reporting, StatusUpdate) == 0


def test_undo_drops_a_message_waiting_for_a_choice(chat: Chat, reporting: Database) -> None:
    """ "hủy" (or /huy) right after a message the bot asked about drops that message,
    not the report before it; repeated, it reaches that report as before."""
    chat.say(WARD, "nv 13 xong")
    asked = chat.say(WARD, "xong tập huấn chuyên môn nghiệp vụ rồi ạ")
    reply = chat.say(WARD, "/huy", kind=Kind.COMMAND, command="huy").text
    assert reply.startswith("Đã hủy: tin bạn gửi lúc") and "chưa ghi nhận gì" in reply, reply
    assert _current(reporting, "Phường Lê Lợi", "13") is TaskStatus.DONE
    with reporting.session() as session:
        assert session.scalar(select(PendingReport.closed_at)) is not None
    # its buttons no longer store it
    chat.press(WARD, asked, next(b.label for row in asked.buttons for b in row))
    assert _current(reporting, "Phường Lê Lợi", "48") is None
    # the next "hủy" undoes the report before it
    assert "Đã hủy" in chat.say(WARD, "hủy").text
    assert _current(reporting, "Phường Lê Lợi", "13") is None


def test_group_chit_chat_is_ignored_and_reports_are_answered(
    chat: Chat, reporting: Database
) -> None:
    assert chat.send(WARD, "ok cảm ơn cả nhà", chat=GROUP) == []
    # A question is answered where it is asked: for an official, the totals only.
    [answer] = chat.send(WARD, "tình hình tháng này thế nào?", chat=GROUP)
    assert answer.attachments == [] and "Chậm nhất" not in answer.text
    [reply] = chat.send(WARD, "nv 3 xong", chat=GROUP)
    assert reply.text.startswith("Đã ghi nhận cho Phường Lê Lợi")


def test_evidence_with_a_photo(chat: Chat, reporting: Database) -> None:
    from bot.transport import FileRef

    photo = FileRef("photo.jpg", 1000, "AgACAgIAAxk-photo", photo=True)
    reply = chat.say(WARD, "nv 13 xong, ảnh niêm yết", kind=Kind.MEDIA, file=photo)
    assert "minh chứng" in reply.text
    with reporting.session() as session:
        assert session.scalars(select(StatusUpdate.evidence_file_id)).one() == "AgACAgIAAxk-photo"


def test_an_officials_file_without_caption_says_what_to_send(
    chat: Chat, reporting: Database
) -> None:
    from bot.transport import FileRef

    # a report as a Word file, a photo: not the plan ("only the office imports the plan"
    # was the answer), not read; sent again with a caption, it is the report's evidence
    report = FileRef("bao-cao-quy-3.docx", 1000, "BQACAgIAAxk-docx", b"PK\x03\x04")
    photo = FileRef("photo.jpg", 1000, "AgACAgIAAxk-photo", photo=True)
    for file in (report, photo):
        reply = chat.say(WARD, "", kind=Kind.MEDIA, file=file)
        assert reply.text.startswith("Tệp này không có chú thích nên chưa ghi nhận gì.")
        assert "“đã gửi báo cáo quý 4”" in reply.text and "minh chứng" in reply.text
    assert _count(reporting, StatusUpdate) == 0
    reply = chat.say(WARD, "nv 13 xong, báo cáo kèm theo", kind=Kind.MEDIA, file=report)
    assert reply.text.startswith("Đã ghi nhận cho Phường Lê Lợi") and "minh chứng" in reply.text
    with reporting.session() as session:
        assert session.scalars(select(StatusUpdate.evidence_file_id)).one() == "BQACAgIAAxk-docx"


def test_history_shows_who_and_what(chat: Chat, reporting: Database) -> None:
    chat.say(WARD, "nv 13 xong")
    chat.say(WARD, "hủy")
    chat.say(WARD, "so hoa 85%")
    reply = chat.say(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    assert reply.text.startswith("Báo cáo gần đây của Phường Lê Lợi")
    assert "(đã hủy)" in reply.text and "Người 201" in reply.text and "85" in reply.text


def test_history_of_a_unit_not_known_says_so(chat: Chat, reporting: Database) -> None:
    """ "/lichsu Phường Lê Lời" (misspelt past matching) or a unit the deployment has
    not: said, with the names nearest and an example of /lichsu itself; the official's
    own history is not shown in its place."""
    chat.say(WARD, "nv 13 xong")
    for user in (OFFICE, WARD):
        reply = chat.say(
            user, "/lichsu", kind=Kind.COMMAND, command="lichsu", args=("Xã", "Vân", "Hồ")
        )
        assert reply.text.startswith("Không tìm thấy đơn vị “Xã Vân Hồ”"), reply.text
        assert "Ví dụ: /lichsu " in reply.text and "/nhiemvu" not in reply.text
        assert "Báo cáo gần đây" not in reply.text
    # a task code or an indicator is still the official's own unit's
    reply = chat.say(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu", args=("nv", "13"))
    assert reply.text.startswith("Báo cáo gần đây của Phường Lê Lợi")


def test_a_redelivered_update_stores_once(chat: Chat, reporting: Database) -> None:
    incoming = Incoming(
        "telegram",
        7777,
        Kind.TEXT,
        ChatRef(WARD, ChatType.PRIVATE),
        UserRef(WARD, "x"),
        NOW,
        text="nv 3 xong",
        message_id=7777,
    )
    claim = chat.core.begin(incoming)
    assert claim is not None
    chat.core.handle(incoming, claim)
    assert chat.core.begin(incoming) is None  # the second delivery stops here
    assert _count(reporting, StatusUpdate) == 1
    with reporting.session() as session:
        logged = session.scalar(select(InboundMessage).where(InboundMessage.update_id == 7777))
        [stored] = session.scalars(select(StatusUpdate)).all()
    # The claim carries the log row, and the facts point to it (no second look-up).
    assert claim.inbound_id == logged.id == stored.inbound_message_id
    assert claim.actor.official_id is not None
    assert logged.official_id == claim.actor.official_id  # the sender, loaded with the claim


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_no_message_crashes_or_stores_with_a_problem(chat: Chat, reporting: Database, text):
    before = _count(reporting, StatusUpdate) + _count(reporting, IndicatorValue)
    replies = chat.send(WARD, text)
    after = _count(reporting, StatusUpdate) + _count(reporting, IndicatorValue)
    if after > before:
        assert replies and replies[0].text.startswith(("Đã ghi nhận", "Đã sửa"))
    else:
        assert all(not r.text.startswith("Đã ghi nhận") for r in replies)


# -- the command line -----------------------------------------------------------------


@pytest.fixture
def env(reporting: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", reporting.url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return reporting


def test_parse_json_contract_stores_nothing(env: Database, capsys) -> None:
    argv = ["parse", "p le loi: 3 xong, so hoa 85/100", "--as", "Phường Lê Lợi"]
    assert main([*argv, "--today", "2025-11-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "text",
        "intent",
        "unit",
        "period",
        "tasks",
        "indicators",
        "problems",
        "unused",
        "reply",
    }
    assert data["intent"] == "report" and data["unused"] == []
    assert data["unit"]["name"] == "Phường Lê Lợi" and data["unit"]["decision"] == "match"
    assert data["period"] == {"kind": "month", "start": "2025-11-01", "end": "2025-11-30"}
    assert data["tasks"] == [
        {"code": "3", "status": "done", "percent": None, "note": None, "done_on": None}
    ]
    [figure] = data["indicators"]
    assert figure["name"].startswith("Tỷ lệ số hóa")
    assert (figure["value"], figure["numerator"], figure["denominator"]) == (85, 85, 100)
    assert data["problems"] == [] and data["reply"].startswith("Đã ghi nhận")
    assert _count(env, StatusUpdate) == 0 and _count(env, IndicatorValue) == 0


def test_parse_reads_lines_and_reports_problems(
    env: Database, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    lines = "nv 99 xong\nok cảm ơn\ntình hình tháng này\nnv 3 xong\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["parse", "--as", "Phường Lê Lợi", "--today", "2025-11-10", "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["intent"] for o in out] == ["report", "other", "query", "report"]
    assert out[0]["problems"][0]["code"] == "unknown_task"
    assert "99" in out[0]["problems"][0]["detail"]
    assert out[1]["period"] is None and out[2]["unit"]["decision"] == "sender"
    assert out[3]["unit"] == {
        "id": out[3]["unit"]["id"],
        "name": "Phường Lê Lợi",
        "decision": "sender",
    }


def test_without_a_plan_the_reply_says_so(area: Database, clock) -> None:
    with area.session() as session:
        unit = session.scalar(select(Unit.id).where(Unit.name == "Xã Sơn Dương"))
        session.add(Official(telegram_user_id=301, role=Role.OFFICIAL, unit_id=unit, full_name="A"))
    chat = Chat(Core(db=area, settings=Settings(_env_file=None), clock=clock))
    reply = chat.say(301, "nv 2.1 xong")
    assert "Chưa có kế hoạch nào được nhập" in reply.text
    assert "không có nhiệm vụ 2.1" not in reply.text


def test_an_unsure_unit_is_chosen_then_stored(chat: Chat, reporting: Database) -> None:
    reply = chat.say(OFFICE, "Phường Lê Lai: nv 3 xong")
    assert _count(reporting, StatusUpdate) == 0
    labels = [b.label for row in reply.buttons for b in row]
    assert "Phường Lê Lợi" in labels, reply.text
    [stored] = chat.press(OFFICE, reply, "Phường Lê Lợi")
    assert stored.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert chat.press(OFFICE, reply, "Phường Lê Lợi")[0].text.startswith("Câu hỏi này đã đóng")


def test_a_nul_character_is_dropped_not_stored(chat: Chat, reporting: Database) -> None:
    reply = chat.say(WARD, "nv 3\x00 xong")  # PostgreSQL cannot store NUL in text
    assert reply.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    with reporting.session() as session:
        from storage.models import InboundMessage

        texts = session.scalars(select(InboundMessage.text)).all()
    assert "nv 3 xong" in texts


def _expand(runs: str) -> list[str]:
    """ "2, 4, 8–10" → ["2", "4", "8", "9", "10"] (whole-number codes)."""
    codes: list[str] = []
    for run in runs.split(", "):
        first, _sep, last = run.partition("–")
        codes += [str(n) for n in range(int(first), int(last or first) + 1)]
    return codes


def _unit_codes(db: Database, unit: str) -> list[str]:
    """The codes of the tasks ``unit`` is assigned, in the plan's order."""
    with db.session() as session:
        return list(
            session.scalars(
                select(Task.code)
                .join(Assignment, Assignment.task_id == Task.id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .where(Unit.name == unit)
                .order_by(Task.position)
            )
        )


def test_every_task_said_done_is_listed_confirmed_and_stored(
    chat: Chat, reporting: Database
) -> None:
    codes = _unit_codes(reporting, "Phường Lê Lợi")
    chat.say(WARD, "nv 3 xong")  # a deadline task, finished for good
    reply = chat.say(WARD, "đã xong hết các nhiệm vụ, trừ nv 15")
    # the tasks listed, each on a line, neither 3 (done) nor 15 (left out); nothing stored
    listed = [c for c in codes if c not in ("3", "15")]
    assert reply.text.startswith("Đã hiểu cho Phường Lê Lợi, tháng 12/2025 (chưa ghi nhận):")
    tasks, problem = [line for line in reply.text.splitlines() if line.startswith("• ")]
    # many tasks of one status share a line: "• 38 nhiệm vụ — đã xong: 2, 4, 6, 8–14, …"
    heading, _sep, runs = tasks.partition(": ")
    assert heading == f"• {len(listed)} nhiệm vụ — đã xong"
    assert _expand(runs) == listed
    assert "“đã xong hết các nhiệm vụ”: hiểu là từng nhiệm vụ" in problem
    assert f"({len(listed)}, liệt kê ở trên)" in problem
    assert _count(reporting, StatusUpdate) == 1
    [stored] = chat.press(WARD, reply, "Đúng, ghi nhận")
    assert stored.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert all(_current(reporting, "Phường Lê Lợi", c) is TaskStatus.DONE for c in listed)
    assert _current(reporting, "Phường Lê Lợi", "15") is None
    assert _count(reporting, StatusUpdate) == 1 + len(listed)
    # said again: only 15 is left
    again = chat.say(WARD, "xong het roi a")
    assert "• 15 " in again.text and "(1, liệt kê ở trên)" in again.text
    [_stored] = chat.press(WARD, again, "Đúng, ghi nhận")
    # and then nothing: said so, nothing stored
    done = chat.say(WARD, "tất cả các nhiệm vụ đã hoàn thành")
    assert "đã được báo cáo xong từ trước; không ghi thêm gì" in done.text
    assert not done.buttons
    assert _count(reporting, StatusUpdate) == 2 + len(listed)
