"""Plans of several years: a plan for next year is a new plan, never an update of this
year's; an update that withdraws many tasks says so in bold; the office chooses the plan
in use with /kehoach, and reporting, questions and reminders follow it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.core import Core
from bot.language.periods import Period
from bot.services import plans, progress
from bot.services.access import staff
from bot.transport import FileRef, Kind, Reply
from storage.db import Database
from storage.models import (
    Assignment,
    Official,
    Plan,
    Reminder,
    Role,
    StatusUpdate,
    Task,
    Unit,
)
from tests import plans_fixtures as fx
from tests.db.test_reports import Chat

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the deployment's time zone in these tests

OFFICE, OFFICIAL, LEADER = 501, 502, 503
DECEMBER = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
BUILD = {"xlsx": fx.year_plan_xlsx, "docx": fx.year_plan_docx, "txt": fx.year_plan_txt}


class Office(Chat):
    def file(self, user: int, name: str, content: bytes) -> Reply:
        [reply] = self.send(
            user, "", kind=Kind.MEDIA, file=FileRef(name, len(content), None, content)
        )
        return reply

    def command(self, user: int, name: str, *args: str) -> Reply:
        text = " ".join((f"/{name}", *args))
        [reply] = self.send(user, text, kind=Kind.COMMAND, command=name, args=args)
        return reply

    def import_plan(self, name: str, content: bytes) -> Reply:
        preview = self.file(OFFICE, name, content)
        [outcome] = self.press(OFFICE, preview, "Nhập")
        return outcome


@pytest.fixture
def office(area: Database, clock) -> Office:
    clock.now = DECEMBER
    with area.session() as session:
        commune = session.scalar(select(Unit.id).where(Unit.name == "Xã Sơn Dương"))
        secretariat = session.scalar(select(Unit.id).where(Unit.name.startswith("Văn phòng")))
        session.add_all(
            [
                Official(
                    telegram_user_id=504,
                    full_name="Chuyên viên Văn phòng",
                    role=Role.OFFICIAL,
                    unit_id=secretariat,
                ),
                Official(telegram_user_id=OFFICE, full_name="Văn phòng", role=Role.OFFICE),
                Official(
                    telegram_user_id=OFFICIAL,
                    full_name="Cán bộ Sơn Dương",
                    role=Role.OFFICIAL,
                    unit_id=commune,
                ),
                Official(telegram_user_id=LEADER, full_name="Chủ tịch", role=Role.LEADER),
            ]
        )
    return Office(Core(db=area, settings=Settings(_env_file=None), clock=clock))


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _plan_of_year(db: Database, year: int) -> int:
    with db.session() as session:
        found = session.scalar(select(Plan.id).where(Plan.year == year, Plan.draft.is_(False)))
        assert found is not None
        return found


def _snapshot(db: Database, plan_id: int) -> tuple:
    """A plan's tasks, assignments and reports, to check they are untouched."""
    with db.session() as session:
        tasks = session.execute(
            select(Task.id, Task.code, Task.content, Task.due_date, Task.withdrawn_at)
            .where(Task.plan_id == plan_id)
            .order_by(Task.id)
        ).all()
        assignments = session.execute(
            select(Assignment.id, Assignment.unit_id, Assignment.role)
            .join(Task)
            .where(Task.plan_id == plan_id)
            .order_by(Assignment.id)
        ).all()
        reports = session.execute(
            select(StatusUpdate.id, StatusUpdate.status, StatusUpdate.retracted_at)
            .join(Assignment)
            .join(Task)
            .where(Task.plan_id == plan_id)
            .order_by(StatusUpdate.id)
        ).all()
        plan = session.get(Plan, plan_id)
        assert plan is not None
        return (plan.title, plan.year, plan.updated_at, tasks, assignments, reports)


# -- a plan for next year ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "docx", "txt"])
def test_a_2027_plan_previews_as_2027_and_imports_as_a_new_plan(
    office: Office, area: Database, kind: str
) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    plan_2026 = _plan_of_year(area, 2026)
    assert office.say(OFFICIAL, "nv 2 xong").text.startswith("Đã ghi nhận")
    before = _snapshot(area, plan_2026)
    assert len(before[3]) == 10 and len(before[5]) == 1

    preview = office.file(OFFICE, f"ke-hoach-2027.{kind}", BUILD[kind](2027))
    assert "năm 2027" in preview.text and "năm 2026 ·" not in preview.text
    assert "Nhập sẽ tạo kế hoạch mới cho năm 2027; các kế hoạch khác giữ nguyên." in preview.text
    assert "Kế hoạch năm 2026 vẫn là kế hoạch đang dùng" in preview.text
    assert preview.bold == ()
    [outcome] = office.press(OFFICE, preview, "Nhập")
    assert outcome.text.startswith("Đã nhập kế hoạch năm 2027: 10 nhiệm vụ")

    assert _count(area, Plan, Plan.draft.is_(False)) == 2
    assert _snapshot(area, plan_2026) == before  # tasks, assignments, reports untouched
    plan_2027 = _plan_of_year(area, 2027)
    assert _count(area, Task, Task.plan_id == plan_2027, Task.withdrawn_at.is_(None)) == 10
    # December 2026: the 2026 plan is still the one in use; "nv 2" is its task 2.
    assert plans.current_plan_id(area, date(2026, 12, 4)) == plan_2026
    reply = office.say(OFFICIAL, "nv 4 xong")
    assert reply.text.startswith("Đã ghi nhận") and "4 Kiện toàn" in reply.text
    with area.session() as session:
        reported = session.scalars(
            select(Task.plan_id).join(Assignment).join(StatusUpdate).distinct()
        ).all()
    assert reported == [plan_2026]


def test_the_2027_plan_is_in_use_from_january(office: Office, area: Database, clock) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    office.import_plan("ke-hoach-2027.xlsx", fx.year_plan_xlsx(2027))
    clock.now = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 January in Hà Nội
    reply = office.say(OFFICIAL, "nv 4 xong")
    assert reply.text.startswith("Đã ghi nhận")
    with area.session() as session:
        [year] = session.scalars(
            select(Plan.year).join(Task).join(Assignment).join(StatusUpdate)
        ).all()
    assert year == 2027
    outline = office.command(LEADER, "kehoach")
    assert "• 2027 — " in outline.text and "— đang dùng" in outline.text.split("• 2027")[1]


def test_a_plan_with_no_year_written_updates_only_the_plan_of_the_assumed_year(
    office: Office, area: Database, clock
) -> None:
    no_year = fx.year_plan_txt(2026).decode().replace("/2026", "").replace("năm 2025", "")
    office.import_plan("ke-hoach-2026.txt", fx.year_plan_txt(2026))
    plan_2026 = _plan_of_year(area, 2026)
    preview = office.file(OFFICE, "ke-hoach.txt", no_year.encode())
    assert "năm 2026 (không thấy năm trong văn bản, lấy năm hiện tại)" in preview.text
    assert "Nhập sẽ cập nhật kế hoạch năm 2026 đang dùng" in preview.text
    # In 2027 the same file is assumed to be for 2027: a new plan, the 2026 one untouched.
    clock.now = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
    before = _snapshot(area, plan_2026)
    preview = office.file(OFFICE, "ke-hoach.txt", no_year.encode())
    assert "năm 2027 (không thấy năm trong văn bản, lấy năm hiện tại)" in preview.text
    assert "Nhập sẽ tạo kế hoạch mới cho năm 2027" in preview.text
    [outcome] = office.press(OFFICE, preview, "Nhập")
    assert outcome.text.startswith("Đã nhập kế hoạch năm 2027")
    assert _snapshot(area, plan_2026) == before


# -- an update that withdraws many tasks --------------------------------------------------------


def test_a_correction_dropping_5_of_10_tasks_warns_in_bold(office: Office, area: Database) -> None:
    office.import_plan("ke-hoach-2026.docx", fx.year_plan_docx(2026))
    preview = office.file(
        OFFICE, "sua.docx", fx.year_plan_docx(2026, drop=("6", "7", "8", "9", "10"))
    )
    alarm = "Cập nhật này sẽ rút 5/10 nhiệm vụ của kế hoạch năm 2026 đang dùng."
    assert preview.bold == (alarm,)
    assert "⚠️ " + alarm + " Không có trong tệp này: 6, 7, 8, 9, 10." in preview.text
    assert "Nhập sẽ cập nhật kế hoạch năm 2026 đang dùng" in preview.text
    # The warning comes before the question and the buttons, near the top.
    assert preview.text.index(alarm) < preview.text.index("nhiệm vụ, ")
    [outcome] = office.press(OFFICE, preview, "Nhập")
    assert "5 rút khỏi kế hoạch" in outcome.text
    assert "Rút khỏi kế hoạch: 6, 7, 8, 9, 10." in outcome.text


def test_a_correction_dropping_one_task_lists_it_without_alarm(office: Office) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    preview = office.file(OFFICE, "sua.xlsx", fx.year_plan_xlsx(2026, drop=("10",)))
    assert preview.bold == ()
    assert "Các nhiệm vụ không có trong tệp này sẽ bị rút: 10." in preview.text


# -- which plan is in use -------------------------------------------------------------------------


def test_kehoach_lists_the_plans_and_the_office_switches(office: Office, area: Database) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    office.import_plan("ke-hoach-2027.txt", fx.year_plan_txt(2027))
    plan_2027 = _plan_of_year(area, 2027)
    outline = office.command(OFFICE, "kehoach")
    assert "Các kế hoạch (2):" in outline.text
    lines = outline.text.splitlines()
    assert any(line.startswith("• 2027 — ") and line.endswith("— 10 nhiệm vụ") for line in lines)
    assert any(line.startswith("• 2026 — ") and line.endswith("— đang dùng") for line in lines)
    # the plan in use as its workbook, to correct and send back; the other plan to use
    labels = [b.label for row in outline.buttons for b in row]
    assert labels == ["Xem chi tiết", "Dùng kế hoạch năm 2027"]
    assert outline.buttons[0][0].data == f"plan:xlsx:{_plan_of_year(area, 2026)}"
    assert outline.buttons[1][0].data == f"plan:use:{plan_2027}"

    quarter = Period.quarter(2027, 1)
    in_use = progress.overview(area, quarter, date(2026, 12, 4), viewer=staff(), tz=HANOI)
    assert in_use.units == []  # 2026 in use

    [switched] = office.press(OFFICE, outline, "Dùng kế hoạch năm 2027")
    assert switched.notice == "Đã chuyển sang dùng kế hoạch năm 2027."
    assert "Kế hoạch đang dùng do Văn phòng chọn, áp dụng đến hết năm 2026." in switched.text
    assert [b.label for row in switched.buttons for b in row][1:] == ["Dùng kế hoạch năm 2026"]
    assert plans.current_plan_id(area, date(2026, 12, 4)) == plan_2027
    # Reporting now reads "nv 4" as the 2027 plan's task 4 (the reference was rebuilt).
    assert office.say(OFFICIAL, "nv 4 xong").text.startswith("Đã ghi nhận")
    with area.session() as session:
        [reported] = session.scalars(select(Task.plan_id).join(Assignment).join(StatusUpdate)).all()
    assert reported == plan_2027
    # Questions too: the first quarter of 2027 has the 2027 plan's tasks 1, 2 and 4.
    overview = progress.overview(area, quarter, date(2026, 12, 4), viewer=staff(), tz=HANOI)
    assert sum(unit.total for unit in overview.units) == 1 + 1 + 3  # task 4: every commune
    tasks = office.command(OFFICIAL, "nhiemvu")
    assert "trước ngày 15/11/2027" not in tasks.text  # task 9 is Xã Hồng Thái's
    assert "31/12/2027" in tasks.text  # task 8 (Quý IV/2027) is Sơn Dương's own

    # Choosing the plan of the year again clears the choice.
    [back] = office.press(OFFICE, switched, "Dùng kế hoạch năm 2026")
    assert "Kế hoạch đang dùng là kế hoạch năm 2026" in back.text


@pytest.mark.parametrize("who", [OFFICIAL, LEADER])
def test_others_see_the_plans_but_cannot_switch(office: Office, area: Database, who: int) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    office.import_plan("ke-hoach-2027.xlsx", fx.year_plan_xlsx(2027))
    plan_2027 = _plan_of_year(area, 2027)
    outline = office.command(who, "kehoach")
    assert "Các kế hoạch (2):" in outline.text and outline.buttons == []
    [refused] = office.press_data(who, f"plan:use:{plan_2027}")  # a forged button
    assert refused.text == "Chỉ Văn phòng hoặc quản trị viên mới chọn được kế hoạch đang dùng."
    assert plans.current_plan_id(area, date(2026, 12, 4)) == _plan_of_year(area, 2026)


def test_a_button_for_a_plan_that_is_gone(office: Office) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    [reply] = office.press_data(OFFICE, "plan:use:999")
    assert reply.notice == "Nút này không còn hiệu lực."


# -- reminders ---------------------------------------------------------------------------------


def test_reminders_follow_the_plan_in_use_and_the_other_plans_next_deadlines(
    office: Office, area: Database, clock
) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    office.import_plan("ke-hoach-2027.xlsx", fx.year_plan_xlsx(2027))
    clock.now = datetime(2027, 1, 20, 2, 0, tzinfo=UTC)
    outline = office.command(OFFICE, "kehoach")
    office.press(OFFICE, outline, "Dùng kế hoạch năm 2026")  # finishing last year's plan
    office.core.rebuild_schedule()
    with area.session() as session:
        rows = session.execute(
            select(Plan.year, Task.code, Reminder.kind)
            .join(Assignment, Assignment.id == Reminder.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Plan, Plan.id == Task.plan_id)
            .where(Reminder.state == "pending")
        ).all()
    by_year = {(year, code) for year, code, _kind in rows}
    # 2026, in use: its overdue tasks are chased, its recurring report is reminded.
    assert (2026, "1") in by_year and (2026, "7") in by_year
    # 2027: only its deadline coming within the horizon (task 1, January), nothing else.
    assert {code for year, code in by_year if year == 2027} == {"1"}

    # "Đã xong" under that reminder records it on the 2027 task, not on 2026's task 1.
    with area.session() as session:
        reminder = session.scalar(
            select(Reminder.id)
            .join(Assignment, Assignment.id == Reminder.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Plan, Plan.id == Task.plan_id)
            .where(Plan.year == 2027, Reminder.official_id.is_not(None))
        )
    [done] = office.press_data(504, f"rem:done:{reminder}")
    assert done.text.startswith("Đã ghi nhận") and "1 Xây dựng, ban hành" in done.text
    with area.session() as session:
        [year] = session.scalars(
            select(Plan.year).join(Task).join(Assignment).join(StatusUpdate)
        ).all()
    assert year == 2027


def test_history_of_a_task_is_the_plan_in_use_s(office: Office, area: Database) -> None:
    office.import_plan("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026))
    office.import_plan("ke-hoach-2027.txt", fx.year_plan_txt(2027))
    office.say(OFFICIAL, "nv 4 đang thực hiện")  # the 2026 plan's task 4
    outline = office.command(OFFICE, "kehoach")
    office.press(OFFICE, outline, "Dùng kế hoạch năm 2027")
    office.say(OFFICIAL, "nv 4 xong")  # the 2027 plan's
    history = office.command(OFFICIAL, "lichsu", "nv", "4")
    assert "đã xong" in history.text and "đang thực hiện" not in history.text
