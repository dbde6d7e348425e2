"""A message that reports and asks, through the core: the report is stored and confirmed
(with Hủy), then the question is answered; nothing of a part that was not understood is
stored. Also the smaller answers the office notices: a one-deadline task's confirmation
names its deadline, an official asking about another unit gets their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.transport import Reply
from storage.db import Database
from storage.models import Assignment, IndicatorValue, StatusUpdate, Task, TaskStatus, Unit
from tests.db.test_reports import GROUP, LEADER, OFFICE, WARD, Chat, _current


@pytest.fixture
def env(reporting: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The command line on the reporting database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", reporting.url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return reporting


def _stored(db: Database) -> int:
    with db.session() as session:
        tasks = session.scalar(
            select(func.count())
            .select_from(StatusUpdate)
            .where(StatusUpdate.retracted_at.is_(None))
        )
        figures = session.scalar(
            select(func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.retracted_at.is_(None))
        )
    return tasks + figures


def _labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def test_a_task_reported_and_another_asked_about(chat: Chat, reporting: Database) -> None:
    first, second = chat.send(WARD, "nv 3 xong, nv 13 thế nào?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert "3 Các cơ quan, đơn vị xây dựng" in first.text and "đã xong" in first.text
    assert [line[:4] for line in first.text.splitlines()[1:]] == ["• 3 "]  # only task 3
    assert _labels(first) == ["Hủy"]
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert _current(reporting, "Phường Lê Lợi", "13") is None
    # the answer: where the official's unit stands on task 13 (with its deadline)
    assert second.text.startswith("Nhiệm vụ của Phường Lê Lợi (1):")
    assert "• 13 " in second.text
    # Hủy under the confirmation undoes the report the message made
    [undone] = chat.press(WARD, first, "Hủy")
    assert "Đã hủy" in undone.text
    assert _current(reporting, "Phường Lê Lợi", "3") is None


def test_without_diacritics_and_the_question_first(chat: Chat, reporting: Database) -> None:
    first, second = chat.send(WARD, "nv 13 ra sao? nv 3 xong roi")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert "• 13 " in second.text and _stored(reporting) == 1


def test_a_figure_and_a_question_from_the_office(chat: Chat, reporting: Database) -> None:
    chat.send(OFFICE, "Xã Đường Lâm: số hóa 70/100")
    first, second = chat.send(OFFICE, "Phường Lê Lợi: so hoa 85/100, so hoa dat chua?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert "85% (85/100)" in first.text and _labels(first) == ["Hủy"]
    assert _stored(reporting) == 2
    # the office asked about an indicator: each unit against its target (the figure
    # just reported among them), with a chart
    assert second.text.startswith("Tỷ lệ số hóa")
    assert "1/2 đơn vị đạt ≥ 80%" in second.text and "✓ Phường Lê Lợi: 85%" in second.text
    assert any(a.is_picture for a in second.attachments), second


def test_a_figure_and_a_question_from_an_official(chat: Chat, reporting: Database) -> None:
    first, second = chat.send(WARD, "số hóa 85%, hồ sơ trực tuyến đạt chưa?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _stored(reporting) == 1
    # their own unit's figure (none yet for this one) and the area's, no unit by name
    assert second.text.startswith("Tỷ lệ hồ sơ trực tuyến")
    assert "• Phường Lê Lợi: chưa gửi số liệu kỳ này." in second.text
    assert not any(a.is_picture for a in second.attachments)  # an official: no ranking
    chat.send(OFFICE, "Xã Đường Lâm: hồ sơ trực tuyến 50/100")
    first, second = chat.send(WARD, "nv 3 xong, hồ sơ trực tuyến 70/100. Số hóa đạt chưa?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi") and _stored(reporting) == 4
    assert second.text.startswith("Tỷ lệ số hóa")
    assert "• Phường Lê Lợi: 85% — đạt ≥ 80%" in second.text
    [online] = chat.send(WARD, "hồ sơ trực tuyến đạt chưa?")
    assert "• Phường Lê Lợi: 70% (70/100) — đạt ≥ 60%" in online.text
    assert "1/2 đơn vị đạt ≥ 60%." in online.text and "Đường Lâm" not in online.text


def test_a_wrong_report_part_stores_nothing_and_the_question_is_answered(
    chat: Chat, reporting: Database
) -> None:
    first, second = chat.send(WARD, "nv 99 xong, nv 13 thế nào?")
    assert first.text.startswith("Chưa ghi nhận gì") and "99" in first.text
    assert _stored(reporting) == 0
    assert "• 13 " in second.text
    # a status not understood: asked for, nothing stored, and the question answered
    first, second = chat.send(WARD, "nv 3 xng, nv 13 thế nào?")
    assert first.text.startswith("Nhiệm vụ 3: tình trạng thế nào? Chưa ghi nhận gì.")
    assert _stored(reporting) == 0 and "• 13 " in second.text
    # unsure: asked with buttons, nothing stored yet, and the question answered
    first, second = chat.send(WARD, "nv 3 xong 50%, nv 13 thế nào?")
    assert _stored(reporting) == 0 and first.buttons
    assert "• 13 " in second.text


def test_a_message_of_one_kind_gets_one_reply(chat: Chat, reporting: Database) -> None:
    [question] = chat.send(WARD, "nv 13 thế nào?")
    assert "• 13 " in question.text and _stored(reporting) == 0
    [report] = chat.send(WARD, "nv 3 xong")
    assert report.text.startswith("Đã ghi nhận") and _stored(reporting) == 1
    [both] = chat.send(WARD, "nv 3, nv 13 thế nào?")  # codes alone: what is asked about
    assert _stored(reporting) == 1 and not both.text.startswith("Đã ghi nhận")


def test_in_a_group_both_are_answered(chat: Chat, reporting: Database) -> None:
    chat.send(OFFICE, "/nhom Phường Lê Lợi", chat=GROUP)
    first, second = chat.send(WARD, "nv 3 xong. con nv 13 the nao", chat=GROUP)
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert "• 13 " in second.text


def test_the_office_reports_one_unit_and_asks_about_another(
    chat: Chat, reporting: Database
) -> None:
    first, second = chat.send(OFFICE, "Phường Lê Lợi: nv 3 xong; Xã Đường Lâm thế nào?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi")
    assert _current(reporting, "Phường Lê Lợi", "3") is TaskStatus.DONE
    assert second.text.startswith("Xã Đường Lâm, tháng")


def test_an_official_asking_about_another_unit_gets_their_own(
    chat: Chat, reporting: Database
) -> None:
    [alone] = chat.send(WARD, "tiến độ xã Đường Lâm")
    assert alone.text.startswith("Chi tiết của đơn vị khác dành cho Văn phòng và lãnh đạo.")
    assert "Phường Lê Lợi" in alone.text and "Đường Lâm" not in alone.text.split("\n", 1)[1]
    # within a report: the report still confirmed, and the same answer after it
    first, second = chat.send(WARD, "nv 3 xong, xã Đường Lâm thế nào?")
    assert first.text.startswith("Đã ghi nhận cho Phường Lê Lợi") and _labels(first) == ["Hủy"]
    assert second.text.startswith("Chi tiết của đơn vị khác dành cho Văn phòng")


def test_a_one_deadline_task_is_confirmed_with_its_deadline(
    chat: Chat, reporting: Database
) -> None:
    reply = chat.say(WARD, "nv 3 xong")
    header, line = reply.text.splitlines()[:2]
    assert header == "Đã ghi nhận cho Phường Lê Lợi:"  # no reporting period for it
    assert "(hạn 31/03/2025)" in line and "tháng" not in reply.text
    # with a figure, the period is the figure's; the task still names its deadline
    both = chat.say(WARD, "nv 13 xong, so hoa 80%")
    assert both.text.startswith("Đã ghi nhận cho Phường Lê Lợi, tháng 12/2025:")


def test_the_answer_about_one_task_names_its_deadline(chat: Chat, reporting: Database) -> None:
    [answer] = chat.send(OFFICE, "nhiệm vụ 3 ai chưa xong?")
    assert answer.text.splitlines()[0].endswith("— hạn 31/03/2025")


def test_parse_json_gives_both_parts(env: Database, capsys) -> None:
    argv = ["parse", "nv 3 xong, nv 13 thế nào?", "--as", "Phường Lê Lợi"]
    assert main([*argv, "--today", "2025-11-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "report" and data["text"] == "nv 3 xong, nv 13 thế nào?"
    assert data["tasks"] == [
        {"code": "3", "status": "done", "percent": None, "note": None, "done_on": None}
    ]
    assert data["reply"].startswith("Đã ghi nhận")
    question = data["question"]
    assert question["intent"] == "query" and question["text"] == "nv 13 thế nào?"
    assert [t["code"] for t in question["tasks"]] == ["13"]
    assert _stored(env) == 0
    # a message of one kind has no "question"
    assert main(["parse", "nv 3 xong", "--as", "Phường Lê Lợi", "--json"]) == 0
    assert "question" not in json.loads(capsys.readouterr().out)


def test_an_official_asking_about_a_task_not_theirs_gets_it_with_its_deadline(
    chat: Chat, reporting: Database
) -> None:
    with reporting.session() as session:  # a task none of the ward's
        ward = session.scalar(select(Unit.id).where(Unit.name == "Phường Lê Lợi"))
        theirs = select(Assignment.task_id).where(Assignment.unit_id == ward)
        task = session.scalars(
            select(Task).where(Task.id.not_in(theirs), Task.timeframe_kind == "due")
        ).first()
        assert task is not None and task.due_date is not None
        code, due = task.code, task.due_date.strftime("%d/%m/%Y")
    [answer] = chat.send(WARD, f"nv {code} thế nào?")
    first, second = answer.text.splitlines()
    assert first.startswith(f"{code} ") and first.endswith(f"— hạn {due}")
    assert second == (
        "Nhiệm vụ này không giao cho Phường Lê Lợi; tình trạng của từng đơn vị dành cho "
        "Văn phòng và lãnh đạo."
    )


def test_a_leader_who_cannot_report_is_answered_the_question(
    chat: Chat, reporting: Database
) -> None:
    """Leaders only read: their message is the question it can only be, read whole."""
    [answer] = chat.send(LEADER, "Phường Lê Lợi xong nv 3 rồi, còn nv 13 thế nào?")
    assert answer.text.startswith("3 ")  # the first task it names, unit by unit
    assert "Phường Lê Lợi" in answer.text and _stored(reporting) == 0
