"""The standing now ("tình hình tháng này") on the days where it could go wrong: the first
of a month, the cut-off (the 14th and the 15th), a month without a deadline, the last day
of a quarter, 1 January; plans whose deadlines are all past, all future, or continuous
only. Reports go through the core as officials send them; today is the clock's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.language.periods import Period
from bot.plans.model import PlanDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans, standing
from bot.services.access import staff
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from bot.transport import Kind
from bot.views.standing import standing_reply
from storage.db import Database
from storage.models import Official, Role, Unit
from tests.db.test_progress import DATA, NOW, _setup, _task
from tests.db.test_reports import Chat

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
WARD, COMMUNE, LEADER = 201, 202, 204
STAFF = staff()


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    """A moment in Hà Nội as the UTC instant the clock holds."""
    return datetime(year, month, day, hour, tzinfo=HANOI).astimezone(UTC)


def _now(db: Database, today: date, viewer=STAFF) -> standing.Standing:
    return standing.standing(db, today, viewer=viewer, tz=HANOI, cutoff_day=15)


def _chat(db: Database, clock) -> Chat:
    return Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))


def _plan(db: Database, tasks: list, year: int = 2026) -> None:
    """The Sơn Tây units, a plan of ``tasks``, and the people of ``test_progress``."""
    import_units(db, DATA / "son-tay-units.csv")
    draft = PlanDraft(
        title=f"Kế hoạch {year}", issuer="UBND thị xã Sơn Tây", year=year, tasks=tasks
    )
    with db.session() as session:
        catalogue = unit_catalogue(session)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", office, NOW), NOW)
    with db.session() as session:
        for telegram_id, role, name in (
            (WARD, Role.OFFICIAL, "Phường Lê Lợi"),
            (COMMUNE, Role.OFFICIAL, "Xã Đường Lâm"),
            (LEADER, Role.LEADER, None),
        ):
            unit = session.scalar(select(Unit.id).where(Unit.name == name)) if name else None
            session.add(
                Official(telegram_user_id=telegram_id, role=role, unit_id=unit, full_name="A")
            )


BOTH = ["Phường Lê Lợi", "Xã Đường Lâm"]


# -- the plan to date -----------------------------------------------------------------------


def test_the_standing_counts_what_was_due_before_today_whatever_month(db: Database, clock) -> None:
    _setup(db)  # task 1 due 10/11 (both), task 2 due 30/11 (both), task 3 due 15/10 (ward)
    chat = _chat(db, clock)
    clock.now = _at(2026, 11, 5)
    chat.say(WARD, "nv 1 xong")  # on time
    clock.now = _at(2026, 11, 12)
    chat.say(WARD, "nv 3 xong")  # 28 days late
    now = _now(db, date(2026, 11, 20))
    assert (now.to_date.done, now.to_date.late, now.to_date.overdue) == (1, 1, 1)
    assert now.to_date.units_overdue == 1
    assert now.oldest == standing.Oldest("1", date(2026, 11, 10), 10, 1)
    [behind] = now.most_behind
    assert behind.name == "Xã Đường Lâm" and [t.code for t in behind.late_tasks] == ["1"]
    # The rest of the month: task 2, due 30/11, for both units, none done yet.
    assert (now.month.due_rest, now.month.done_early) == (2, 0)
    assert now.month.next_deadline == standing.NextDeadline(date(2026, 11, 30), ("2",), 2)
    assert now.month.units_reported == 1 and now.month.finished == 2
    assert now.silent == ["Xã Đường Lâm"]
    assert now.charted


def test_one_units_standing_is_its_line_of_the_whole(db: Database, clock) -> None:
    """ "tiến độ xã X" counts that unit's assignments alone: the same as its line of the
    whole area's standing (it computed the whole to take one line)."""
    _setup(db)
    chat = _chat(db, clock)
    clock.now = _at(2026, 11, 5)
    chat.say(WARD, "nv 1 xong")
    clock.now = _at(2026, 11, 12)
    chat.say(WARD, "nv 3 xong")
    today = date(2026, 11, 20)
    whole = {u.unit_id: u for u in _now(db, today).units}
    assert len(whole) == 2
    for unit_id, line in whole.items():
        mine = standing.unit_standing(db, today, unit_id, viewer=STAFF, tz=HANOI)
        assert mine is not None
        counts = (mine.done, mine.late, mine.overdue, mine.done_early, mine.upcoming)
        assert counts == (line.done, line.late, line.overdue, line.done_early, line.upcoming)
        assert (mine.name, mine.oldest) == (line.name, line.oldest)
    with db.session() as session:
        other = session.scalar(select(Unit.id).where(Unit.name == "Xã Cổ Đông"))
    assert standing.unit_standing(db, today, other, viewer=STAFF, tz=HANOI) is None


def test_a_deadline_today_is_not_missed_yet_and_on_the_first_of_the_month_it_is(
    db: Database, clock
) -> None:
    _setup(db)
    on_the_day = _now(db, date(2026, 11, 30))  # the last day of November: task 2 due today
    assert on_the_day.month.due_rest == 2 and on_the_day.to_date.overdue == 3
    assert on_the_day.month.next_deadline.due == date(2026, 11, 30)
    first = _now(db, date(2026, 12, 1))
    assert first.to_date.overdue == 5 and first.to_date.units_overdue == 2
    assert first.month.due_rest == 0 and first.month.next_deadline is None
    assert first.month_ago.day == date(2026, 11, 1)
    assert first.month_ago.overdue == 1  # task 3 only: task 1 was not due on 1/11


def test_on_the_first_day_of_a_month_nothing_was_reported_in_it_yet(db: Database, clock) -> None:
    _setup(db)
    chat = _chat(db, clock)
    clock.now = _at(2026, 11, 30, 23)  # 23:00 on the 30th in Hà Nội
    chat.say(WARD, "nv 2 xong")
    on_the_first = _now(db, date(2026, 12, 1))
    assert on_the_first.month.units_reported == 0 and on_the_first.month.finished == 0
    assert on_the_first.silent == ["Phường Lê Lợi", "Xã Đường Lâm"]
    clock.now = _at(2026, 12, 1, 0)  # midnight: the 1st in Hà Nội, still the 30th in UTC
    chat.say(COMMUNE, "nv 2 xong")
    later = _now(db, date(2026, 12, 1))
    assert later.month.units_reported == 1 and later.silent == ["Phường Lê Lợi"]
    assert (later.to_date.done, later.to_date.late) == (1, 1)  # the commune's came too late


def test_the_change_since_a_month_ago_reads_the_history(db: Database, clock) -> None:
    _setup(db)
    chat = _chat(db, clock)
    clock.now = _at(2026, 10, 20)
    chat.say(WARD, "nv 3 đang thực hiện")  # task 3 (due 15/10) still overdue
    clock.now = _at(2026, 11, 25)
    chat.say(WARD, "nv 3 xong")  # done late, after the same day last month
    chat.say(WARD, "nv 1 xong")
    chat.say(COMMUNE, "nv 1 xong")
    chat.say(COMMUNE, "hủy")  # undone: never counts
    now = _now(db, date(2026, 12, 20))
    before = now.month_ago
    assert before.day == date(2026, 11, 20)
    # On 20/11 tasks 3 (ward) and 1 (both) were due: all three overdue then …
    assert (before.done, before.late, before.overdue, before.units_overdue) == (0, 0, 3, 2)
    # … and now the ward finished both, late; the commune has tasks 1 and 2 overdue.
    assert (now.to_date.late, now.to_date.overdue) == (2, 3)
    text = standing_reply(now, "vi", detail=True).text
    assert "So với 20/11: quá hạn 3 → 3, đã xong 0 → 2." in text


def test_a_month_ago_a_task_done_on_a_day_written_was_done_on_time(db: Database, clock) -> None:
    _setup(db)  # task 1 due 10/11
    chat = _chat(db, clock)
    clock.now = _at(2026, 11, 12)
    chat.say(WARD, "nv 1 đã hoàn thành ngày 9/11")  # sent late, done on time
    clock.now = _at(2026, 12, 1)
    chat.say(WARD, "nv 1 đang thực hiện")  # changed since: a month ago is history
    before = _now(db, date(2026, 12, 13)).month_ago
    assert before.day == date(2026, 11, 13)
    assert (before.done, before.late) == (1, 0)


def test_the_same_day_last_month() -> None:
    assert standing.same_day_last_month(date(2026, 3, 31)) == date(2026, 2, 28)
    assert standing.same_day_last_month(date(2028, 3, 30)) == date(2028, 2, 29)
    assert standing.same_day_last_month(date(2027, 1, 1)) == date(2026, 12, 1)
    assert standing.same_day_last_month(date(2026, 12, 4)) == date(2026, 11, 4)


# -- the indicators, around the cut-off -------------------------------------------------------


def test_the_indicators_are_those_of_the_reporting_period_holding_today(
    db: Database, clock
) -> None:
    _setup(db)
    chat = _chat(db, clock)
    clock.now = _at(2026, 11, 14)
    chat.say(WARD, "so hoa 70/100")  # the 14th: November's window (15/10–14/11)
    on_14 = _now(db, date(2026, 11, 14))
    assert on_14.indicator_period == Period.month(2026, 11)
    assert on_14.window == (date(2026, 10, 15), date(2026, 11, 14))
    assert on_14.indicators[0].reported == 1
    # On the 15th December's window opens; nothing sent for it yet: November's, stated.
    on_15 = _now(db, date(2026, 11, 15))
    assert on_15.indicator_period == Period.month(2026, 11)
    text = standing_reply(on_15, "vi", detail=True).text
    assert "Chỉ tiêu kỳ tháng 11/2026 (15/10–14/11):" in text
    clock.now = _at(2026, 11, 15)
    chat.say(COMMUNE, "so hoa 90/100")  # for December
    on_15 = _now(db, date(2026, 11, 15))
    assert on_15.indicator_period == Period.month(2026, 12)
    assert on_15.window == (date(2026, 11, 15), date(2026, 12, 14))
    [figure] = on_15.indicators
    assert (figure.reported, figure.meeting, figure.previous_area) == (1, 1, 70)
    text = standing_reply(on_15, "vi", detail=True).text
    assert "Chỉ tiêu kỳ tháng 12/2026 (15/11–14/12):" in text
    assert "(toàn địa bàn 90%, ↑ từ 70%)" in text


def test_a_plan_without_figures_says_none_came_for_the_period(db: Database, clock) -> None:
    _setup(db)
    text = standing_reply(_now(db, date(2026, 12, 4)), "vi", detail=True).text
    assert "Chỉ tiêu kỳ tháng 12/2026 (15/11–14/12): chưa đơn vị nào gửi số liệu." in text


# -- plans and months without a deadline ---------------------------------------------------------


def test_a_month_without_a_deadline_names_the_next_one(db: Database, clock) -> None:
    _plan(
        db,
        [
            _task("1", "Trước ngày 15/10/2026", BOTH),
            _task("2", "Trước ngày 20/12/2026", ["Xã Đường Lâm"]),
        ],
    )
    now = _now(db, date(2026, 11, 4))
    assert now.month.due_rest == 0
    assert now.month.next_deadline == standing.NextDeadline(date(2026, 12, 20), ("2",), 1)
    assert now.to_date.overdue == 2 and now.charted
    reply = standing_reply(now, "vi", detail=True)
    assert (
        "Tháng 11/2026: không còn hạn nào đến cuối tháng; "
        "hạn gần nhất 20/12/2026: nhiệm vụ 2 (1 đơn vị)."
    ) in reply.text
    [chart] = reply.attachments
    assert chart.is_picture and chart.content[:4] == b"\x89PNG"


def test_the_last_day_of_a_quarter(db: Database, clock) -> None:
    _plan(
        db,
        [
            _task("1", "Quý III/2026", BOTH),  # due 30/09
            _task("2", "Trước ngày 15/09/2026", BOTH),
        ],
    )
    chat = _chat(db, clock)
    clock.now = _at(2026, 9, 30, 8)
    chat.say(WARD, "nv 1 xong")
    now = _now(db, date(2026, 9, 30))
    assert now.to_date.due == 2 and now.to_date.overdue == 2  # task 2 only
    assert (now.month.due_rest, now.month.done_early) == (2, 1)  # task 1, due today
    ward = next(u for u in now.units if u.name == "Phường Lê Lợi")
    assert (ward.done_early, ward.upcoming, ward.overdue) == (1, 0, 1)
    # The next day, the ward's is on time and the commune's is overdue.
    after = _now(db, date(2026, 10, 1))
    assert (after.to_date.done, after.to_date.overdue) == (1, 3)


def test_on_the_first_of_january_last_years_plan_is_all_past(db: Database, clock) -> None:
    _plan(db, [_task("1", "Trước ngày 30/11/2026", BOTH), _task("2", "Tháng 12/2026", BOTH)])
    chat = _chat(db, clock)
    clock.now = _at(2026, 12, 10)
    chat.say(WARD, "nv 2 xong")
    now = _now(db, date(2027, 1, 1))
    assert now.plan_year == 2026 and now.month.month == Period.month(2027, 1)
    assert (now.to_date.done, now.to_date.overdue) == (1, 3)
    assert now.month.due_rest == 0 and now.month.next_deadline is None
    assert now.month_ago.day == date(2026, 12, 1) and now.month_ago.overdue == 2
    text = standing_reply(now, "vi", detail=True).text
    assert text.startswith("Tình hình đến 01/01/2027 (kế hoạch năm 2026):\n")
    assert "Tháng 1/2027: không còn hạn nào đến cuối tháng; kế hoạch không còn hạn nào." in text


def test_a_plan_all_in_the_future_has_no_chart(db: Database, clock) -> None:
    _plan(db, [_task("1", "Trước ngày 20/12/2026", BOTH)])
    now = _now(db, date(2026, 12, 4))
    assert now.to_date.due == 0 and not now.charted and now.oldest is None
    reply = standing_reply(now, "vi", detail=True)
    assert reply.attachments == []
    lines = reply.text.split("\n")
    assert lines[1] == "Chưa có hạn nào của kế hoạch đã qua."
    assert lines[2] == (
        "Tháng 12/2026: còn 2 lượt nhiệm vụ đến hạn đến cuối tháng (0 đã xong); "
        "hạn gần nhất 20/12/2026: nhiệm vụ 1 (2 đơn vị)."
    )
    assert "Chậm nhất" not in reply.text


def test_a_plan_of_continuous_tasks_only(db: Database, clock) -> None:
    _plan(db, [_task("1", "Thường xuyên", BOTH), _task("2", "Hằng quý", BOTH)])
    chat = _chat(db, clock)
    clock.now = _at(2026, 12, 2)
    chat.say(WARD, "nv 1 đang thực hiện")
    now = _now(db, date(2026, 12, 4))
    assert now.continuous == 2 and now.to_date.due == 0 and now.units == []
    assert now.month.next_deadline is None and now.month.units_reported == 1
    assert now.silent == ["Xã Đường Lâm"]
    reply = standing_reply(now, "vi", detail=True)
    assert reply.attachments == []
    assert (
        "Chưa có hạn nào của kế hoạch đã qua. (2 nhiệm vụ không có một hạn riêng: "
        "thường xuyên, định kỳ hoặc khi có yêu cầu.)"
    ) in reply.text
    assert "Chưa báo cáo gì từ 01/12: Xã Đường Lâm." in reply.text


def test_the_standing_names_the_periodic_reports_not_sent(db: Database, clock) -> None:
    _plan(db, [_task("1", "Thường xuyên", BOTH), _task("2", "Hằng quý", BOTH)])
    chat = _chat(db, clock)
    today = date(2026, 12, 4)  # the third quarter's report was due 14/9
    reply = standing_reply(_now(db, today), "vi", detail=True)
    assert "Báo cáo định kỳ chưa gửi: 2 (quý III/2026): 2 đơn vị." in reply.text, reply.text
    clock.now = _at(2026, 9, 16)
    chat.say(WARD, "nv 2 xong")  # the third quarter's, sent two days late
    reply = standing_reply(_now(db, today), "vi", detail=True)
    assert "Báo cáo định kỳ chưa gửi: 2 (quý III/2026): Xã Đường Lâm." in reply.text
    # an official sees the totals, not the other units' reports
    assert _now(db, today, viewer=_ward_official(db)).missed == []
    chat.say(COMMUNE, "báo cáo quý 3: nv 2 xong")
    assert "Báo cáo định kỳ" not in standing_reply(_now(db, today), "vi", detail=True).text


def _ward_official(db: Database) -> Actor:
    """The official of Phường Lê Lợi, as the services see them."""
    with db.session() as session:
        ward = session.scalar(select(Unit.id).where(Unit.name == "Phường Lê Lợi"))
    return Actor(
        user_id=1,
        language="vi",
        official_id=1,
        role=Role.OFFICIAL,
        unit_id=ward,
        unit_name="Phường Lê Lợi",
    )


def test_an_official_sees_the_totals_and_only_their_own_unit(db: Database, clock) -> None:
    _setup(db)
    official = _ward_official(db)
    ward = official.unit_id
    now = _now(db, date(2026, 11, 20), viewer=official)
    assert now.to_date.overdue == 3 and now.to_date.units_overdue == 2  # the area's
    assert [u.name for u in now.units] == ["Phường Lê Lợi"]
    assert now.silent == ["Phường Lê Lợi"]  # not the commune's name
    reply = standing_reply(now, "vi", detail=False, own_unit=ward)
    assert "Đơn vị của bạn: 2 quá hạn: 3 (36 ngày), 1 (10 ngày); 1 còn hạn trong tháng." in (
        reply.text
    )
    assert "Xã Đường Lâm" not in reply.text and reply.buttons == [] and reply.attachments == []


def test_which_question_answers_what(db: Database, clock) -> None:
    """ "tình hình tháng này", "tình hình" and /tinhhinh: the standing now; a period named
    by its number, even the current month's: the deadlines in it."""
    _setup(db)
    chat = _chat(db, clock)
    clock.now = _at(2026, 12, 4)
    command = chat.send(LEADER, "/tinhhinh", kind=Kind.COMMAND, command="tinhhinh")
    for reply in [*command, *(chat.say(LEADER, q) for q in ("tình hình tháng này", "tinh hinh"))]:
        assert reply.text.startswith("Tình hình đến 04/12/2026"), reply.text
        assert reply.attachments[0].is_picture  # the plan had deadlines before today
    [named] = chat.send(LEADER, "tình hình tháng 12")
    assert named.text.startswith("tháng 12/2026: không có nhiệm vụ nào của kế hoạch đến hạn")
    [november] = chat.send(LEADER, "tình hình tháng 11")
    assert november.text.startswith("tháng 11/2026: 4 lượt nhiệm vụ đến hạn")
    [quarter] = chat.send(LEADER, "tình hình quý 4")
    assert quarter.text.startswith("quý IV/2026: 5 lượt nhiệm vụ đến hạn")
