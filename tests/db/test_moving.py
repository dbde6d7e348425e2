"""A task's deadline set or moved by the office from a chat ("gia hạn nv 2 đến 31/12",
"/giahan 2 15/1"), through the core: the proposal, **Đồng ý đổi hạn**, the task due on the
new day with a row of history, the reminders and who is late following it; what cannot
be moved and who may not move it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.plans.model import TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.digests import office_digest
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.transport import Kind
from bot.views.digests import digest_reply
from bot.views.plans import deadline_request_notice_reply, preview_reply
from scheduling.outgoing import outgoing
from storage.db import Database
from storage.models import DeadlineChange, Official, Reminder, ReminderState, Role, Task
from tests.db.test_progress import NOW, _setup, _task, plan_draft
from tests.db.test_reports import GROUP, Chat

OFFICE = 203


def _more() -> tuple[TaskDraft, ...]:
    """The plan's tasks besides the tests' three: one on request, one continuous."""
    return (
        _task("4", "Khi có yêu cầu", ["Phường Lê Lợi"]),
        _task("5", "Thường xuyên", ["Phường Lê Lợi"]),
    )


def _chat(db: Database, clock) -> Chat:
    _setup(db, *_more())
    with db.session() as session:
        session.add(Official(telegram_user_id=OFFICE, role=Role.OFFICE, full_name="Văn phòng"))
    clock.now = NOW  # 20/11/2026: task 1 (10/11) and 3 (15/10) overdue, 2 due 30/11
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.core.rebuild_schedule()
    return chat


def _task_due(db: Database, code: str) -> tuple[str | None, date | None]:
    with db.session() as session:
        task = session.scalars(select(Task).where(Task.code == code)).one()
        return task.timeframe_kind, task.due_date


def test_the_office_moves_a_deadline(db: Database, clock) -> None:
    chat = _chat(db, clock)
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 4/12")
    assert proposal.text.splitlines() == [
        "Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 04/12/2026.",
        "2 đơn vị chủ trì, 0 đơn vị đã xong; các đơn vị còn lại được nhắc theo hạn mới.",
    ], proposal.text
    assert _task_due(db, "2") == ("due", date(2026, 11, 30))  # nothing changed yet
    [done] = chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    assert done.text.startswith("Đã đổi. Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 04/12/2026.")
    assert _task_due(db, "2") == ("due", date(2026, 12, 4))
    with db.session() as session:
        [change] = session.scalars(select(DeadlineChange)).all()
        office = session.scalar(select(Official.id).where(Official.telegram_user_id == OFFICE))
        assert (change.kind_before, change.due_before, change.due_after) == (
            "due",
            date(2026, 11, 30),
            date(2026, 12, 4),
        )
        assert change.official_id == office
        # the reminders follow it: those of 30/11 cancelled, the new deadline's pending
        # (they kept the old times before, their keys being taken)
        rows = session.execute(
            select(Reminder.key, Reminder.state, Reminder.due_at).where(Reminder.key.like("due:%"))
        ).all()
        old = {state for key, state, _at in rows if ":2026-11-30:" in key}
        new = [(state, at.date()) for key, state, at in rows if ":2026-12-04:" in key]
        assert old == {ReminderState.CANCELLED}
        assert {state for state, _day in new} == {ReminderState.PENDING}
        # within the schedule's horizon: seven working days before 4/12
        assert {day for _state, day in new} == {date(2026, 11, 25)}
    # the unit's list of tasks says so
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 2 Nhiệm vụ 2 — 04/12/2026 (gia hạn từ 30/11/2026) — chưa báo cáo" in tasks.text
    assert "• 1 Nhiệm vụ 1 — 10/11/2026 — quá hạn" in tasks.text, tasks.text
    # the same again: nothing to do
    [same] = chat.send(OFFICE, "gia hạn nv 2 đến 04/12/2026")
    assert same.text == "Nhiệm vụ 2 đã có hạn 04/12/2026." and not same.buttons


def test_a_task_late_moved_is_no_longer_late_and_one_on_request_gets_a_deadline(
    db: Database, clock
) -> None:
    chat = _chat(db, clock)
    [late] = chat.send(204, "xã nào chậm?")
    assert "1 (10 ngày)" in late.text
    [proposal] = chat.send(
        OFFICE, "/giahan 1 30/11", kind=Kind.COMMAND, command="giahan", args=("1", "30/11")
    )
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    [late] = chat.send(204, "xã nào chậm?")
    assert "1 (" not in late.text and "3 (36 ngày)" in late.text, late.text
    # "Khi có yêu cầu": no date until someone sets one
    [proposal] = chat.send(OFFICE, "đặt hạn nv 4 ngày 15/1")
    assert proposal.text.startswith(
        "Nhiệm vụ 4 Nhiệm vụ 4: hạn 15/01/2027 (kế hoạch ghi “Khi có yêu cầu”)."
    ), proposal.text
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    assert _task_due(db, "4") == ("due", date(2027, 1, 15))
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 4 Nhiệm vụ 4 — 15/01/2027 (Văn phòng đặt hạn) — chưa báo cáo" in tasks.text
    # moved twice: from the plan's deadline
    [proposal] = chat.send(OFFICE, "gia hạn nv 1 đến 5/12")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 1 Nhiệm vụ 1 — 05/12/2026 (gia hạn từ 10/11/2026)" in tasks.text, tasks.text


def test_what_cannot_be_moved_and_who_may_not(db: Database, clock) -> None:
    chat = _chat(db, clock)
    refusals = {
        "gia hạn nv 5 đến 31/12": "Nhiệm vụ 5 làm thường xuyên hoặc theo kỳ (“Thường xuyên”): "
        "không có một hạn để đổi.",
        "gia hạn nv 9 đến 31/12": "Kế hoạch đang dùng không có nhiệm vụ 9 (/kehoach liệt kê các "
        "nhiệm vụ).",
        "gia hạn nv 2 đến 1/11/2026": "Ngày 01/11/2026 đã qua: hạn mới phải từ hôm nay trở đi.",
        "gia hạn nv 2": "Ghi số nhiệm vụ và hạn mới, ví dụ “gia hạn nv 4.3 đến 31/12/2026”.",
    }
    for asked, said in refusals.items():
        [reply] = chat.send(OFFICE, asked)
        assert (reply.text, reply.buttons) == (said, []), asked
    # an official may not, not even with the office's button
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 31/12")
    for user in (201, 204):
        office_only = "Chỉ Văn phòng hoặc quản trị viên mới đặt hoặc đổi được hạn nhiệm vụ."
        [refused] = chat.send(user, "gia hạn nv 2 đến 31/12")
        assert refused.text.startswith(office_only)  # an official: and how to ask it
        [pressed] = chat.press(user, proposal, "Đồng ý đổi hạn")
        assert pressed.text == office_only
    # said to their group, not to the bot: no refusal in front of everyone (a code with no
    # status is asked about, as any message is)
    in_group = chat.send(201, "gia hạn nv 2 đến 31/12 rồi nhé", chat=GROUP)
    assert not any("Chỉ Văn phòng" in reply.text for reply in in_group)
    assert _task_due(db, "2") == ("due", date(2026, 11, 30))
    with db.session() as session:
        assert session.scalars(select(DeadlineChange)).all() == []


def test_a_deadline_corrected_by_a_new_plan_file_gets_its_own_reminders(
    db: Database, clock
) -> None:
    """The plan corrected (task 2 due 4/12, not 30/11): the reminders of 30/11 cancelled,
    those of 4/12 written (their keys were the old rows')."""
    chat = _chat(db, clock)
    draft = plan_draft(second_due="04/12/2026")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    outcome = plans.confirm(
        db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW), NOW
    )
    assert outcome is not None and outcome.merged and "2" in outcome.updated
    chat.core.rebuild_schedule()
    with db.session() as session:
        rows = session.execute(
            select(Reminder.key, Reminder.state).where(Reminder.key.like("due:%"))
        ).all()
    assert {state for key, state in rows if ":2026-11-30:" in key} == {ReminderState.CANCELLED}
    assert {state for key, state in rows if ":2026-12-04:" in key} == {ReminderState.PENDING}


def _preview(db: Database, second_due: str) -> tuple[int, str]:
    """The plan file again, the second task due ``second_due``: its draft and preview."""
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    draft = plan_draft(*_more(), second_due=second_due)
    draft_id = plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW)
    summary = plans.summary(db, draft_id, NOW.date())
    assert summary is not None
    return draft_id, preview_reply(summary, "vi").text


def test_a_plan_file_imported_after_a_move_sets_its_own_deadline(db: Database, clock) -> None:
    chat = _chat(db, clock)
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 31/12")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    draft_id, preview = _preview(db, "15/12/2026")  # the file corrects that deadline
    assert (
        "⚠️ Tệp này đặt lại hạn Văn phòng đã đổi: 2 (31/12/2026 → Trước ngày 15/12/2026)." in preview
    ), preview
    plans.confirm(db, draft_id, NOW)
    assert _task_due(db, "2") == ("due", date(2026, 12, 15))
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 2 Nhiệm vụ 2 — 15/12/2026 — chưa báo cáo" in tasks.text, tasks.text
    # moved again: from the file's deadline, not the plan's first
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 20/12")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 2 Nhiệm vụ 2 — 20/12/2026 (gia hạn từ 15/12/2026)" in tasks.text, tasks.text


def test_the_same_plan_file_again_keeps_the_deadlines_the_office_moved(db: Database, clock) -> None:
    """A corrected file that still says what the plan said (30/11) did not correct that
    deadline: the office's stands, and the preview and the outcome say so."""
    chat = _chat(db, clock)
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 31/12")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    [proposal] = chat.send(OFFICE, "đặt hạn nv 4 ngày 15/1")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    draft_id, preview = _preview(db, "30/11/2026")
    assert (
        "Hạn Văn phòng đã đổi được giữ (tệp ghi như kế hoạch cũ): 2 (31/12/2026), 4 (15/01/2027)."
        in preview
    ), preview
    assert "đặt lại hạn" not in preview
    outcome = plans.confirm(db, draft_id, NOW)
    assert outcome is not None and outcome.kept_deadlines == ["2", "4"]
    assert "2" not in outcome.updated
    assert _task_due(db, "2") == ("due", date(2026, 12, 31))
    assert _task_due(db, "4") == ("due", date(2027, 1, 15))
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 2 Nhiệm vụ 2 — 31/12/2026 (gia hạn từ 30/11/2026)" in tasks.text, tasks.text
    assert "• 4 Nhiệm vụ 4 — 15/01/2027 (Văn phòng đặt hạn)" in tasks.text


def _requests(db: Database) -> list[Reminder]:
    with db.session() as session:
        return list(
            session.scalars(select(Reminder).where(Reminder.kind == "deadline-request")).all()
        )


def test_an_official_asks_the_office_for_more_time(db: Database, clock) -> None:
    chat = _chat(db, clock)
    [sent] = chat.send(201, "em xin gia han nv 2 den 15/12 vi cho huong dan cua So a")
    assert sent.text.splitlines() == [
        "Đã gửi Văn phòng đề nghị gia hạn: Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 15/12/2026.",
        "Khi Văn phòng đồng ý, hạn mới hiện trong /nhiemvu và nhắc việc theo hạn mới.",
    ], sent.text
    assert _task_due(db, "2") == ("due", date(2026, 11, 30))  # the office decides
    # the same again, the code after the words, "hết tháng": one notice all the same
    chat.send(201, "Nhiệm vụ 2 đề nghị cho phường được lùi hạn đến 15/12/2026")
    [row] = _requests(db)
    assert row.payload["reason"] == "cho huong dan cua So"  # not its "ạ"
    notice = outgoing(db, row.id, "vi")
    assert notice is not None and notice.telegram_chat_id == OFFICE
    reply = deadline_request_notice_reply(
        notice.payload, notice.task_code or "", notice.task_content or "", "vi", row.id
    )
    assert reply.text.splitlines() == [
        "📨 Phường Lê Lợi (A) xin gia hạn.",
        "Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 15/12/2026.",
        "Lý do: cho huong dan cua So",
        "Đồng ý là đổi hạn cho cả 2 đơn vị chủ trì nhiệm vụ này.",
    ], reply.text
    [[agree, no]] = reply.buttons
    assert (agree.label, no.label) == ("Đồng ý đổi hạn", "Không đồng ý")
    [refused] = chat.press_data(201, agree.data)  # not the official's own button
    assert refused.text.startswith("Chỉ Văn phòng hoặc quản trị viên")
    [moved] = chat.press_data(OFFICE, agree.data)
    assert moved.text.startswith("Đã đổi. Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 15/12/2026.")
    assert _task_due(db, "2") == ("due", date(2026, 12, 15))
    # the official who asked is told (once: moved again, they are not told again)
    [asked] = _requests(db)
    assert asked.state is ReminderState.CANCELLED  # agreed before the notice went
    proposal = chat.send(OFFICE, "gia hạn nv 2 đến 20/12")[0]
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    with db.session() as session:
        [told] = session.scalars(select(Reminder).where(Reminder.kind == "deadline-granted"))
        official = session.scalar(select(Official.id).where(Official.telegram_user_id == 201))
        assert told.official_id == official
        assert (told.payload["due_before"], told.payload["due_after"]) == (
            "2026-11-30",
            "2026-12-15",
        )
    # a month for a day: its last day
    [month] = chat.send(201, "xin lùi hạn nv 4 đến hết tháng 1 do chưa có kinh phí")
    assert "Nhiệm vụ 4 Nhiệm vụ 4: hạn 31/01/2027" in month.text, month.text


def test_a_request_that_cannot_go_says_why_and_sends_nothing(db: Database, clock) -> None:
    chat = _chat(db, clock)
    said = {
        # Đường Lâm does not lead task 3
        (202, "xin gia hạn nv 3 đến 31/12"): "Đơn vị của anh/chị không chủ trì nhiệm vụ 3: chỉ "
        "đơn vị chủ trì mới xin gia hạn được. Chưa gửi gì cho Văn phòng.",
        (201, "xin gia hạn nv 9 đến 31/12"): "Kế hoạch đang dùng không có nhiệm vụ 9 (/kehoach "
        "liệt kê các nhiệm vụ). Chưa gửi gì cho Văn phòng.",
        (201, "xin gia hạn nv 5 đến 31/12"): "Nhiệm vụ 5 làm thường xuyên hoặc theo kỳ (“Thường "
        "xuyên”): không có một hạn để đổi. Chưa gửi gì cho Văn phòng.",
        (201, "xin gia hạn nv 2 đến 25/11"): "Nhiệm vụ 2 đang có hạn 30/11/2026: xin gia hạn là "
        "xin một ngày sau hạn đó. Chưa gửi gì cho Văn phòng.",
        (201, "em xin gia hạn thêm ít hôm"): "Ghi số nhiệm vụ, hạn xin gia hạn và lý do, ví dụ "
        "“xin gia hạn nv 4.3 đến 31/12 vì chờ hướng dẫn của Sở”: chưa gửi gì cho Văn phòng.",
        (204, "xin gia hạn nv 2 đến 31/12"): "Chỉ Văn phòng hoặc quản trị viên mới đặt hoặc đổi "
        "được hạn nhiệm vụ.",
        # "gia hạn" without asking: the office's, and how to ask it
        (201, "gia hạn nv 2 đến 31/12"): "Chỉ Văn phòng hoặc quản trị viên mới đặt hoặc đổi "
        "được hạn nhiệm vụ. Muốn xin Văn phòng gia hạn, gửi “xin gia hạn nv 4.3 đến 31/12 vì "
        "…”.",
    }
    for (user, asked), expected in said.items():
        [reply] = chat.send(user, asked)
        assert (reply.text, reply.buttons) == (expected, []), asked
    # to their group, not to the bot, without a task or a day: chat among people
    assert chat.send(201, "em xin gia hạn thêm ít hôm nhé", chat=GROUP) == []
    assert _requests(db) == []
    # nobody of the office uses the bot: said, and nothing queued
    with db.session() as session:
        office = session.scalars(select(Official).where(Official.telegram_user_id == OFFICE)).one()
        office.active = False
    [nobody] = chat.send(201, "xin gia hạn nv 2 đến 31/12")
    assert nobody.text.startswith("Chưa có ai của Văn phòng dùng bot"), nobody.text
    assert _requests(db) == []
    assert _task_due(db, "2") == ("due", date(2026, 11, 30))


def test_a_report_and_a_request_in_one_message(db: Database, clock) -> None:
    """ "nv 3 xong, xin gia hạn nv 2 …": 3 stored done, 2 asked for (it was read as task
    3's request, the report lost); a request naming no task is the one before it's."""
    chat = _chat(db, clock)
    stored, sent = chat.send(201, "nv 3 da xong, xin gia han nv 2 den 15/12")
    assert "• 3 Nhiệm vụ 3" in stored.text and "đã xong" in stored.text, stored.text
    assert sent.text.startswith("Đã gửi Văn phòng đề nghị gia hạn: Nhiệm vụ 2 Nhiệm vụ 2"), (
        sent.text
    )
    stored, sent = chat.send(201, "nv 4 đang thực hiện, em xin gia hạn đến 20/12 vì chờ Sở")
    assert "• 4 Nhiệm vụ 4" in stored.text and "đang thực hiện" in stored.text, stored.text
    assert "Nhiệm vụ 4 Nhiệm vụ 4: hạn 20/12/2026" in sent.text, sent.text
    assert sorted(r.payload["task_id"] for r in _requests(db)) == sorted(
        _task_id(db, code) for code in ("2", "4")
    )


def _task_id(db: Database, code: str) -> int:
    with db.session() as session:
        return session.scalars(select(Task.id).where(Task.code == code)).one()


def test_the_office_lists_the_requests_waiting(db: Database, clock) -> None:
    """ "/giahan" alone or "ai xin gia hạn?": the requests not answered, each once, with a
    button; one granted (or no longer possible) leaves the list."""
    chat = _chat(db, clock)
    [empty] = chat.send(OFFICE, "/giahan", kind=Kind.COMMAND, command="giahan")
    assert empty.text.startswith("Không có đề nghị gia hạn nào đang chờ.\nGhi số nhiệm vụ")
    chat.send(201, "xin gia hạn nv 2 đến 15/12 vì chờ hướng dẫn")
    chat.send(201, "xin gia hạn nv 2 đến 15/12")  # the same again: listed once
    chat.send(202, "xin gia hạn nv 2 đến 20/12")
    chat.send(201, "xin gia hạn nv 4 đến 10/1")
    [waiting] = chat.send(OFFICE, "ai xin gia hạn?")
    lines = waiting.text.splitlines()
    assert lines[:4] == [
        "Đề nghị gia hạn chưa xử lý (3):",
        "• 20/11 Phường Lê Lợi (A): Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 15/12/2026. Lý do: "
        "chờ hướng dẫn",
        "• 20/11 Xã Đường Lâm (A): Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 20/12/2026.",
        "• 20/11 Phường Lê Lợi (A): Nhiệm vụ 4 Nhiệm vụ 4: hạn 10/01/2027 (kế hoạch ghi “Khi "
        "có yêu cầu”).",
    ], waiting.text
    assert [[b.label for b in row] for row in waiting.buttons] == [
        ["Đồng ý: 2 → 15/12 (Phường Lê Lợi)", "Không đồng ý"],
        ["Đồng ý: 2 → 20/12 (Xã Đường Lâm)", "Không đồng ý"],
        ["Đồng ý: 4 → 10/01 (Phường Lê Lợi)", "Không đồng ý"],
    ]
    # the office's Monday digest names them too
    digest = digest_reply(office_digest(db, clock(), chat.core.settings.tz), "vi").text
    assert (
        "Đề nghị gia hạn chưa xử lý (3): Phường Lê Lợi: 2 → 15/12/2026; Xã Đường Lâm: 2 → "
        "20/12/2026; Phường Lê Lợi: 4 → 10/01/2027 (/giahan để xem và đồng ý)." in digest
    ), digest
    [moved] = chat.press(OFFICE, waiting, "Đồng ý: 2 → 20/12 (Xã Đường Lâm)")
    assert moved.text.startswith("Đã đổi. Nhiệm vụ 2 Nhiệm vụ 2: hạn 30/11/2026 → 20/12/2026.")
    # task 2's requests are answered (the deadline moved): task 4's is left
    [left] = chat.send(OFFICE, "/giahan", kind=Kind.COMMAND, command="giahan")
    assert left.text.splitlines()[0] == "Đề nghị gia hạn chưa xử lý (1):", left.text
    assert [row[0].label for row in left.buttons] == ["Đồng ý: 4 → 10/01 (Phường Lê Lợi)"]
    # said no: the official is told, the request leaves the list; pressed again: answered
    [[_agree, no]] = left.buttons
    [refused] = chat.press_data(201, no.data)  # not an official's to press
    assert refused.text.startswith("Chỉ Văn phòng hoặc quản trị viên")
    [declined] = chat.press_data(OFFICE, no.data)
    assert declined.text == (
        "Đã báo Phường Lê Lợi: Văn phòng không đồng ý gia hạn nhiệm vụ 4 đến 10/01/2027, hạn "
        "giữ nguyên."
    ), declined.text
    [again] = chat.press_data(OFFICE, no.data)
    assert again.text == "Đề nghị này đã được trả lời rồi."
    [none] = chat.send(OFFICE, "/giahan", kind=Kind.COMMAND, command="giahan")
    assert none.text.startswith("Không có đề nghị gia hạn nào đang chờ."), none.text
    with db.session() as session:
        [told] = session.scalars(select(Reminder).where(Reminder.kind == "deadline-declined"))
        assert told.payload["due_after"] == "2027-01-10" and told.payload["due_now"] is None
    assert _task_due(db, "4") == ("on_demand", None)
