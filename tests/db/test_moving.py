"""A task's deadline set or moved by the office from a chat ("gia hạn nv 2 đến 31/12",
"/giahan 2 15/1"), through the core: the proposal, **Đồng ý đổi hạn**, the task due on the
new day with a row of history, the reminders and who is late following it; what cannot
be moved and who may not move it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.transport import Kind
from storage.db import Database
from storage.models import DeadlineChange, Official, Reminder, ReminderState, Role, Task
from tests.db.test_progress import NOW, _setup, _task, plan_draft
from tests.db.test_reports import GROUP, Chat

OFFICE = 203


def _chat(db: Database, clock) -> Chat:
    _setup(
        db,
        _task("4", "Khi có yêu cầu", ["Phường Lê Lợi"]),
        _task("5", "Thường xuyên", ["Phường Lê Lợi"]),
    )
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
        [refused] = chat.send(user, "gia hạn nv 2 đến 31/12")
        assert (
            refused.text == "Chỉ Văn phòng hoặc quản trị viên mới đặt hoặc đổi được hạn nhiệm vụ."
        )
        [pressed] = chat.press(user, proposal, "Đồng ý đổi hạn")
        assert pressed.text == refused.text
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


def test_a_plan_file_imported_after_a_move_sets_its_own_deadline(db: Database, clock) -> None:
    chat = _chat(db, clock)
    [proposal] = chat.send(OFFICE, "gia hạn nv 2 đến 31/12")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    draft = plan_draft(second_due="15/12/2026")
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW), NOW)
    assert _task_due(db, "2") == ("due", date(2026, 12, 15))
    [tasks] = chat.send(201, "/nhiemvu", kind=Kind.COMMAND, command="nhiemvu")
    assert "• 2 Nhiệm vụ 2 — 15/12/2026 — chưa báo cáo" in tasks.text, tasks.text
