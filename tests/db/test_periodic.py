"""The periodic report's data (:func:`bot.services.periodic.report_data`): the reporting
window at the cut-off days in Hà Nội time, every standing of a unit on a task, figures
equal to the stored ones, notes, what is coming, who said nothing, who may see what, and
the plan of the period's year. Every report goes through the core as an official sends it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.language.periods import Period
from bot.language.timeframes import parse_timeframe
from bot.plans.model import Comparator, IndicatorDraft, PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import access, plans, progress
from bot.services.identity import Actor
from bot.services.periodic import PeriodicReport, Standing, UnitStanding, report_data
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import IndicatorValue, Official, Role, Unit
from tests.db.test_reports import DATA, Chat

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Q3 = Period.quarter(2025, 3)  # its window with the cut-off on the 15th: 15/6..14/9/2025
WARD, COMMUNE, OFFICE, LEADER = 201, 202, 203, 204
LE_LOI, DUONG_LAM, QUANG_TRUNG = "Phường Lê Lợi", "Xã Đường Lâm", "Phường Quang Trung"
STAFF = access.staff()


def _local(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2025) -> datetime:
    """A moment in Hà Nội (UTC+7) as the UTC instant the clock holds."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI).astimezone(UTC)


def _task(code: str, when: str, lead: list[str], section: str, **more) -> TaskDraft:
    return TaskDraft(
        code=code,
        content=f"Nhiệm vụ {code}",
        section=section,
        lead=lead,
        timeframe_text=when,
        timeframe=parse_timeframe(when, 2025),
        **more,
    )


def _plan(db: Database, draft: PlanDraft) -> None:
    with db.session() as session:
        catalogue = unit_catalogue(session)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    now = datetime(2025, 1, 5, 2, 0, tzinfo=UTC)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", office, now), now)


def _setup(db: Database) -> None:
    import_units(db, DATA / "son-tay-units.csv")
    first, second = "I. Công tác chỉ đạo", "II. Số hóa"
    _plan(
        db,
        PlanDraft(
            title="Kế hoạch kiểm soát TTHC năm 2025",
            issuer="UBND thị xã Sơn Tây",
            year=2025,
            tasks=[
                _task("1", "Trước ngày 10/9/2025", [LE_LOI, DUONG_LAM], first),
                _task("2", "Trước ngày 30/9/2025", [LE_LOI, DUONG_LAM, QUANG_TRUNG], first),
                _task("3", "Trước ngày 15/8/2025", [LE_LOI], second, cooperating=[DUONG_LAM]),
                _task("4", "Hàng quý", [LE_LOI, DUONG_LAM], second),
                _task("5", "Quý IV/2025", [LE_LOI], second, product="Báo cáo"),
                _task("6", "Trước ngày 14/9/2025", [LE_LOI, DUONG_LAM], second),
                _task("7", "Tháng 10/2025", [DUONG_LAM], second),
            ],
            indicators=[
                IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80)),
                IndicatorDraft(
                    "2", "Mức độ hài lòng của người dân", "%", Comparator.AT_LEAST, Decimal(90)
                ),
            ],
        ),
    )
    with db.session() as session:
        for telegram_id, role, name in (
            (WARD, Role.OFFICIAL, LE_LOI),
            (COMMUNE, Role.OFFICIAL, DUONG_LAM),
            (OFFICE, Role.OFFICE, "Văn phòng HĐND và UBND thị xã"),
            (LEADER, Role.LEADER, None),
        ):
            unit = session.scalar(select(Unit.id).where(Unit.name == name)) if name else None
            session.add(
                Official(
                    telegram_user_id=telegram_id,
                    role=role,
                    unit_id=unit,
                    full_name=f"Người {telegram_id}",
                )
            )


@pytest.fixture
def chat(db: Database, clock) -> Chat:
    _setup(db)
    return Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))


def _at(chat: Chat, clock, when: datetime, user: int, text: str) -> None:
    clock.now = when
    reply = chat.say(user, text)
    assert not reply.text.startswith("Không"), reply.text


def _report(
    db: Database,
    period: Period = Q3,
    today: date = date(2025, 9, 20),
    viewer: Actor = STAFF,
    unit_id: int | None = None,
) -> PeriodicReport:
    return report_data(db, period, today, viewer=viewer, tz=HANOI, cutoff_day=15, unit_id=unit_id)


def _unit_id(db: Database, name: str) -> int:
    with db.session() as session:
        found = session.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None
    return found


def _standings(report: PeriodicReport) -> dict[tuple[str, str], UnitStanding]:
    return {
        (task.code, unit.unit): unit
        for section in report.sections
        for task in section.tasks
        for unit in task.units
    }


def _official(db: Database, telegram_id: int) -> Actor:
    with db.session() as session:
        person = session.scalars(
            select(Official).where(Official.telegram_user_id == telegram_id)
        ).one()
        unit = session.get(Unit, person.unit_id) if person.unit_id else None
        return Actor(
            telegram_id,
            "vi",
            official_id=person.id,
            role=person.role,
            unit_id=person.unit_id,
            unit_name=unit.name if unit else None,
            full_name=person.full_name,
        )


# -- the window ------------------------------------------------------------------------------


def test_the_window_runs_from_the_cut_off_day_in_hanoi_time(
    db: Database, chat: Chat, clock
) -> None:
    # 15/6 00:00 in Hà Nội is 17:00 UTC on 14/6: the third quarter's first instant
    assert _local(6, 15, 0, 0) == datetime(2025, 6, 14, 17, 0, tzinfo=UTC)
    _at(chat, clock, _local(6, 14, 23, 59), WARD, "nv 2 đang thực hiện 10%")  # the 2nd quarter's
    _at(chat, clock, _local(6, 15, 0, 0), WARD, "nv 2 đang thực hiện 20%")
    _at(chat, clock, _local(9, 14, 23, 59), WARD, "nv 2 đang thực hiện 50%")  # 16:59 UTC
    _at(chat, clock, _local(9, 15, 0, 0), WARD, "nv 2 xong")  # 17:00 UTC on 14/9: the 4th's
    report = _report(db)
    assert report.window == (date(2025, 6, 15), date(2025, 9, 14))
    assert [(e.at, e.value) for e in report.log] == [
        (datetime(2025, 6, 15, 0, 0, tzinfo=HANOI), "in_progress 20%"),
        (datetime(2025, 9, 14, 23, 59, tzinfo=HANOI), "in_progress 50%"),
    ]
    assert all(e.at.tzinfo == HANOI for e in report.log)  # local times
    # "done" sent after the window's end does not count in the quarter's standing …
    ward = _standings(report)["2", LE_LOI]
    assert (ward.standing, ward.percent, ward.reported_at) == (
        Standing.IN_PROGRESS,
        50,
        datetime(2025, 9, 14, 23, 59, tzinfo=HANOI),
    )
    # … it is the fourth quarter's
    autumn = _report(db, Period.quarter(2025, 4), date(2025, 12, 20))
    assert autumn.window == (date(2025, 9, 15), date(2025, 12, 14))
    assert [(e.subject, e.value) for e in autumn.log] == [("2", "done")]
    assert _standings(autumn)["2", LE_LOI].standing is Standing.DONE
    # drafted on the window's last day, everything sent so far counts
    assert len(_report(db, today=date(2025, 9, 14)).log) == 2


def test_a_month_and_the_half_year_take_their_windows(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(8, 14, 23, 59), WARD, "nv 2 đang thực hiện")
    _at(chat, clock, _local(8, 15, 0, 0), COMMUNE, "nv 2 đang thực hiện")
    august = _report(db, Period.month(2025, 8), date(2025, 8, 20))
    assert august.window == (date(2025, 7, 15), date(2025, 8, 14))
    assert [e.unit for e in august.log] == [LE_LOI]
    assert [e.unit for e in _report(db, Period.month(2025, 9)).log] == [DUONG_LAM]
    half = _report(db, Period.half(2025, 1))
    assert half.window == (date(2024, 12, 15), date(2025, 6, 14)) and half.log == ()
    nine = _report(db, Period.nine_months(2025))
    assert nine.window == (date(2024, 12, 15), date(2025, 9, 14)) and len(nine.log) == 2


# -- standings -------------------------------------------------------------------------------


def test_every_standing_at_the_windows_end(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(6, 10), COMMUNE, "nv 4 xong")  # recurring: June's, the 2nd quarter
    _at(chat, clock, _local(7, 20), WARD, "nv 4 xong")  # August's (after the 15th)
    _at(chat, clock, _local(8, 1), WARD, "nv 3 đang thực hiện 40%")  # due 15/8
    _at(chat, clock, _local(9, 2), WARD, "nv 2 đang thực hiện")  # due 30/9
    _at(chat, clock, _local(9, 3), COMMUNE, "nv 6 không phát sinh")  # due 14/9
    _at(chat, clock, _local(9, 5), WARD, "nv 1 xong")  # due 10/9
    _at(chat, clock, _local(9, 5, 10), WARD, "nv 4 đang thực hiện")  # September's: the latest
    _at(chat, clock, _local(9, 12), COMMUNE, "nv 1 xong")
    report = _report(db)
    got = {key: (u.standing, u.days_late) for key, u in _standings(report).items()}
    assert got == {
        ("1", LE_LOI): (Standing.DONE, None),
        ("1", DUONG_LAM): (Standing.LATE, 2),  # done 12/9, due 10/9
        ("2", LE_LOI): (Standing.IN_PROGRESS, None),
        ("2", DUONG_LAM): (Standing.NOT_REPORTED, None),
        ("2", QUANG_TRUNG): (Standing.NOT_REPORTED, None),
        ("3", LE_LOI): (Standing.OVERDUE, 31),  # due 15/8, read on 15/9
        ("3", DUONG_LAM): (Standing.OVERDUE, 31),  # cooperating
        ("4", LE_LOI): (Standing.IN_PROGRESS, None),
        ("4", DUONG_LAM): (Standing.NOT_REPORTED, None),  # nothing for July..September
        ("5", LE_LOI): (Standing.NOT_REPORTED, None),
        ("6", LE_LOI): (Standing.OVERDUE, 1),  # due on the window's last day
        ("6", DUONG_LAM): (Standing.NOT_APPLICABLE, None),
        ("7", DUONG_LAM): (Standing.NOT_REPORTED, None),
    }
    standings = _standings(report)
    assert standings["3", LE_LOI].percent == 40 and standings["3", LE_LOI].lead
    assert not standings["3", DUONG_LAM].lead
    assert standings["1", LE_LOI].reported_at == datetime(2025, 9, 5, 9, 0, tzinfo=HANOI)
    assert [(s.title, [t.code for t in s.tasks]) for s in report.sections] == [
        ("I. Công tác chỉ đạo", ["1", "2"]),
        ("II. Số hóa", ["3", "4", "5", "6", "7"]),
    ]
    [task_3] = [t for s in report.sections for t in s.tasks if t.code == "3"]
    assert [(u.unit, u.lead) for u in task_3.units] == [(LE_LOI, True), (DUONG_LAM, False)]
    assert (task_3.due, task_3.timeframe_text) == (date(2025, 8, 15), "Trước ngày 15/8/2025")
    [task_4] = [t for s in report.sections for t in s.tasks if t.code == "4"]
    assert task_4.due is None  # recurring: no deadline
    # the counts are of lead units only
    counts = {standing: report.count(standing) for standing in Standing}
    assert counts == {
        Standing.DONE: 1,
        Standing.LATE: 1,
        Standing.OVERDUE: 2,
        Standing.IN_PROGRESS: 2,
        Standing.NOT_REPORTED: 5,
        Standing.NOT_APPLICABLE: 1,
    }
    # the progress answer read the day after the window agrees on September's tasks
    september = progress.overview(
        db, Period.month(2025, 9), date(2025, 9, 15), viewer=STAFF, tz=HANOI
    )
    due_in_september = [
        unit
        for section in report.sections
        for task in section.tasks
        if task.due and task.due.month == 9
        for unit in task.units
        if unit.lead
    ]
    mine = dict.fromkeys(progress.STATES, 0)
    for unit in due_in_september:
        finished = unit.standing in (Standing.DONE, Standing.NOT_APPLICABLE)
        mine["done" if finished else unit.standing.value] += 1
    assert september.totals == mine


def test_a_quarterly_task_in_a_monthly_report_is_read_for_its_quarter(
    db: Database, chat: Chat, clock
) -> None:
    _at(chat, clock, _local(9, 10), WARD, "nv 4 xong")  # the third quarter's (due 14/9)
    # September: the quarter's report, due on the window's last day (it read the reports
    # for September alone, and said nobody had reported)
    september = _report(db, Period.month(2025, 9))
    [task_4] = [t for s in september.sections for t in s.tasks if t.code == "4"]
    assert task_4.due == date(2025, 9, 14)
    got = {u.unit: (u.standing, u.days_late) for u in task_4.units}
    assert got == {LE_LOI: (Standing.DONE, None), DUONG_LAM: (Standing.OVERDUE, 1)}
    # August: not due yet, and the next month's deadlines name it
    august = _report(db, Period.month(2025, 8), date(2025, 8, 20))
    [task_4] = [t for s in august.sections for t in s.tasks if t.code == "4"]
    assert {u.standing for u in task_4.units} == {Standing.NOT_REPORTED}
    assert task_4.due == date(2025, 9, 14) and task_4.due > august.window[1]
    assert "4" in [u.code for u in august.upcoming]
    # the quarter's own report: as before, no deadline of its own
    [quarter_4] = [t for s in _report(db).sections for t in s.tasks if t.code == "4"]
    assert quarter_4.due is None
    assert {u.unit: u.standing for u in quarter_4.units}[LE_LOI] is Standing.DONE
    # reported otherwise after September's window: September's report as it stood then
    _at(chat, clock, _local(9, 16), WARD, "nv 4 đang thực hiện")
    september = _report(db, Period.month(2025, 9))
    [task_4] = [t for s in september.sections for t in s.tasks if t.code == "4"]
    assert {u.unit: u.standing for u in task_4.units}[LE_LOI] is Standing.DONE


def test_before_the_window_closes_it_stands_at_today(db: Database, chat: Chat, clock) -> None:
    on_the_deadline = _report(db, today=date(2025, 9, 10))
    assert _standings(on_the_deadline)["1", LE_LOI].standing is Standing.NOT_REPORTED
    the_day_after = _standings(_report(db, today=date(2025, 9, 11)))["1", LE_LOI]
    assert (the_day_after.standing, the_day_after.days_late) == (Standing.OVERDUE, 1)
    assert (
        the_day_after.days_late
        == progress.overdue(db, date(2025, 9, 11), _unit_id(db, LE_LOI), viewer=STAFF)[0]
        .tasks[-1]
        .days_late
    )


def test_done_at_midnight_on_the_deadline(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(9, 10, 23, 59), WARD, "nv 1 xong")  # 16:59 UTC: on time
    _at(chat, clock, _local(9, 11, 0, 1), COMMUNE, "nv 1 xong")  # 17:01 UTC on 10/9: late
    standings = _standings(_report(db))
    assert standings["1", LE_LOI].standing is Standing.DONE
    assert (standings["1", DUONG_LAM].standing, standings["1", DUONG_LAM].days_late) == (
        Standing.LATE,
        1,
    )


def test_done_on_a_day_written_in_a_later_report(db: Database, chat: Chat, clock) -> None:
    # sent on 12/9, two days after the deadline (10/9), saying it was done on 9/9: on time
    _at(chat, clock, _local(9, 12), WARD, "nv 1 đã hoàn thành ngày 9/9")
    _at(chat, clock, _local(9, 12), COMMUNE, "nv 1 xong")  # no day: late
    standings = _standings(_report(db))
    assert standings["1", LE_LOI].standing is Standing.DONE
    assert standings["1", DUONG_LAM].standing is Standing.LATE
    # changed after the window closed (14/9): its standing then is read from the history
    _at(chat, clock, _local(9, 18), WARD, "nv 1 đang làm lại")
    assert _standings(_report(db))["1", LE_LOI].standing is Standing.DONE


def test_an_undone_report_counts_for_nothing_but_stays_in_the_log(
    db: Database, chat: Chat, clock
) -> None:
    _at(chat, clock, _local(9, 2), COMMUNE, "nv 2 xong")
    _at(chat, clock, _local(9, 2, 9, 5), COMMUNE, "hủy")
    _at(chat, clock, _local(9, 3), WARD, "so hoa 10/100")
    _at(chat, clock, _local(9, 3, 9, 5), WARD, "hủy")
    report = _report(db)
    assert _standings(report)["2", DUONG_LAM].standing is Standing.NOT_REPORTED
    digit = report.indicators[0]
    assert digit.units == () and digit.value is None
    assert [(e.unit, e.subject, e.value, e.undone) for e in report.log] == [
        (DUONG_LAM, "2", "done", True),
        (LE_LOI, "1 Tỷ lệ số hóa hồ sơ", "10/100", True),
    ]
    assert report.reported  # something was sent …
    assert set(report.silent) == {LE_LOI, DUONG_LAM, QUANG_TRUNG}  # … but nothing stands


def test_a_report_undone_after_the_window_never_counted(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(9, 5), WARD, "nv 1 xong")
    _at(chat, clock, _local(9, 14, 22), WARD, "nv 1 đang thực hiện")  # a slip …
    _at(chat, clock, _local(9, 15, 8), WARD, "hủy")  # … undone after the window's end
    ward = _standings(_report(db))["1", LE_LOI]
    assert (ward.standing, ward.reported_at) == (
        Standing.DONE,
        datetime(2025, 9, 5, 9, 0, tzinfo=HANOI),
    )
    log = _report(db).log
    assert [(e.value, e.undone) for e in log] == [("done", False), ("in_progress", True)]


# -- figures ---------------------------------------------------------------------------------


def test_figures_equal_the_stored_ones_and_the_areas_sums(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(7, 3), WARD, "so hoa 60/100")  # July's
    _at(chat, clock, _local(8, 3), WARD, "so hoa 70/100")  # August's
    _at(chat, clock, _local(9, 3), COMMUNE, "so hoa 90/100")  # September's …
    _at(chat, clock, _local(9, 4), COMMUNE, "so hoa 95/100")  # … the latest stands
    _at(chat, clock, _local(9, 5), COMMUNE, "hai long 96%")
    _at(chat, clock, _local(9, 20), WARD, "so hoa 99/100")  # October's: after the cut-off
    report = _report(db, today=date(2025, 9, 25))
    digit, satisfied = report.indicators
    by_unit = {f.unit: f for f in digit.units}
    ward, commune = by_unit[LE_LOI], by_unit[DUONG_LAM]
    assert (ward.numerator, ward.denominator, ward.value) == (130, 200, 65)  # its months added
    assert (commune.numerator, commune.denominator, commune.value) == (95, 100, 95)
    assert (ward.meets, commune.meets) == (False, True)
    assert ward.reported_at == datetime(2025, 8, 3, 9, 0, tzinfo=HANOI)  # its latest month's
    assert (digit.numerator, digit.denominator, digit.value, digit.meets) == (225, 300, 75, False)
    assert (digit.code, digit.name, digit.measure, digit.comparator, digit.target) == (
        "1",
        "Tỷ lệ số hóa hồ sơ",
        "%",
        ">=",
        80,
    )
    assert digit.expected == 3  # the units leading a task
    assert [(f.unit, f.value, f.meets) for f in satisfied.units] == [(DUONG_LAM, 96, True)]
    assert (satisfied.numerator, satisfied.value, satisfied.meets) == (None, 96, True)
    # the stored rows, added by hand: the latest figure of each unit for each month
    with db.session() as session:
        rows = session.execute(
            select(
                IndicatorValue.unit_id,
                IndicatorValue.period_start,
                IndicatorValue.numerator,
                IndicatorValue.denominator,
            )
            .where(
                IndicatorValue.indicator_id == 1,
                IndicatorValue.retracted_at.is_(None),
                IndicatorValue.period_start >= Q3.start,
                IndicatorValue.period_end <= Q3.end,
            )
            .order_by(IndicatorValue.id)
        ).all()
    latest = {(unit, start): (num, den) for unit, start, num, den in rows}
    assert digit.numerator == sum(num for num, _den in latest.values())
    assert digit.denominator == sum(den for _num, den in latest.values())
    # and the progress answer about the quarter
    detail = progress.indicator_detail(db, 1, Q3, viewer=STAFF)
    assert detail is not None and detail.standing.area == digit.value
    assert {f.name: f.value for f in detail.figures} == {f.unit: f.value for f in digit.units}
    assert [(e.subject, e.value) for e in report.log if e.unit == DUONG_LAM] == [
        ("1 Tỷ lệ số hóa hồ sơ", "90/100"),
        ("1 Tỷ lệ số hóa hồ sơ", "95/100"),
        ("2 Mức độ hài lòng của người dân", "96"),
    ]
    # Month by month: each unit's latest figure for the month, and the area's sums.
    months = {m.period.key: m for m in digit.months}
    assert list(months) == ["2025-07", "2025-08", "2025-09"]
    assert [(f.unit, f.numerator, f.denominator) for f in months["2025-07"].units] == [
        (LE_LOI, 60, 100)
    ]
    assert [(f.unit, f.value) for f in months["2025-09"].units] == [(DUONG_LAM, 95)]
    for month in digit.months:
        assert month.numerator == sum(
            num for (unit, start), (num, _den) in latest.items() if start == month.period.start
        )
    assert (months["2025-08"].numerator, months["2025-08"].denominator) == (70, 100)
    assert [len(m.units) for m in satisfied.months] == [0, 0, 1]
    month_report = _report(db, period=Period.month(2025, 9), today=date(2025, 9, 25))
    assert all(i.months == () for i in month_report.indicators)  # a month has no months


def test_a_unit_with_nothing_arising_has_no_figure_and_is_named(
    db: Database, chat: Chat, clock
) -> None:
    _at(chat, clock, _local(7, 3), WARD, "so hoa 60/100")  # July's
    _at(chat, clock, _local(8, 3), WARD, "so hoa khong phat sinh")  # August's: nothing
    _at(chat, clock, _local(9, 3), WARD, "so hoa 80/100")  # September's
    _at(chat, clock, _local(7, 3), COMMUNE, "so hoa khong phat sinh")
    _at(chat, clock, _local(8, 3), COMMUNE, "số hóa không phát sinh")
    _at(chat, clock, _local(9, 3), COMMUNE, "so hoa 0/0")
    _at(chat, clock, _local(9, 4), COMMUNE, "hai long 96%")
    _at(chat, clock, _local(9, 5), COMMUNE, "hài lòng không phát sinh")  # the latest word
    report = _report(db, today=date(2025, 9, 25))
    digit, satisfied = report.indicators
    # the ward's months with figures are added; the month with nothing is no 0/0
    assert [(f.unit, f.numerator, f.denominator, f.value) for f in digit.units] == [
        (LE_LOI, 140, 200, 70)
    ]
    assert (digit.value, digit.nothing_arose) == (70, (DUONG_LAM,))
    assert (satisfied.units, satisfied.nothing_arose) == ((), (DUONG_LAM,))
    assert DUONG_LAM not in report.silent  # it said so: it reported
    said = [(e.subject, e.value) for e in report.log if e.unit == DUONG_LAM]
    assert said[0] == ("1 Tỷ lệ số hóa hồ sơ", "not_arising")
    august = {m.period.key: m for m in digit.months}["2025-08"]
    assert (august.units, august.value) == ((), None)
    # the progress answer about the quarter names the unit; its own answer says so
    detail = progress.indicator_detail(db, 1, Q3, viewer=STAFF)
    assert detail is not None and detail.nothing_arose == [DUONG_LAM]
    assert [f.name for f in detail.figures] == [LE_LOI]
    commune = _unit_id(db, DUONG_LAM)
    official = Actor(user_id=COMMUNE, language="vi", role=Role.OFFICIAL, unit_id=commune)
    own = progress.unit_indicator(db, 1, Q3, commune, viewer=official)
    assert own is not None and own.own is None and own.nothing_arose


# -- notes, the units behind, what is coming, who said nothing -------------------------------


def test_notes_in_said_and_behind(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(6, 10), WARD, "nv 3 chậm do mất điện")  # before the window
    _at(chat, clock, _local(8, 1), WARD, "nv 3 chậm do thiếu máy scan")
    _at(chat, clock, _local(8, 20), WARD, "nv 3 chậm do chờ phần mềm")
    _at(chat, clock, _local(9, 2), COMMUNE, "nv 2 chậm do bận")
    _at(chat, clock, _local(9, 2, 9, 5), COMMUNE, "hủy")  # undone: not said
    _at(chat, clock, _local(9, 12), COMMUNE, "nv 1 chậm do thiếu người")
    report = _report(db)
    assert [
        (b.unit, b.code, b.due, b.days_late, [s.text for s in b.said]) for b in report.behind
    ] == [
        (LE_LOI, "3", date(2025, 8, 15), 31, ["thiếu máy scan", "chờ phần mềm"]),
        (LE_LOI, "1", date(2025, 9, 10), 5, []),  # most days late first, then by name
        (DUONG_LAM, "1", date(2025, 9, 10), 5, ["thiếu người"]),
        (LE_LOI, "6", date(2025, 9, 14), 1, []),
        (DUONG_LAM, "6", date(2025, 9, 14), 1, []),
    ]
    said = _standings(report)["3", LE_LOI].said
    assert [(s.unit, s.at) for s in said] == [
        (LE_LOI, datetime(2025, 8, 1, 9, 0, tzinfo=HANOI)),
        (LE_LOI, datetime(2025, 8, 20, 9, 0, tzinfo=HANOI)),
    ]
    assert _standings(report)["2", DUONG_LAM].said == ()
    assert _standings(report)["3", DUONG_LAM].said == ()  # cooperating: said nothing


def test_upcoming_tasks_of_the_next_period(db: Database, chat: Chat, clock) -> None:
    report = _report(db)
    assert report.next_period == Period.quarter(2025, 4)
    assert [(u.code, u.due, u.units) for u in report.upcoming] == [
        ("7", date(2025, 10, 31), (DUONG_LAM,)),
        ("5", date(2025, 12, 31), (LE_LOI,)),
    ]


def test_silent_units_and_every_unit(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(7, 3), WARD, "nv 2 đang thực hiện")
    _at(chat, clock, _local(7, 4), COMMUNE, "so hoa 50/100")  # a figure is a report too
    report = _report(db)
    assert report.silent == (QUANG_TRUNG,)
    assert report.units == (LE_LOI, QUANG_TRUNG, DUONG_LAM)


def test_a_period_with_no_data(db: Database, chat: Chat, clock) -> None:
    report = _report(db, Period.quarter(2025, 1))
    assert report.log == () and not report.reported
    assert report.behind == ()
    assert set(report.silent) == {LE_LOI, DUONG_LAM, QUANG_TRUNG}
    assert all(i.units == () and i.value is None for i in report.indicators)
    assert {u.standing for u in _standings(report).values()} == {Standing.NOT_REPORTED}


# -- who may see what ------------------------------------------------------------------------


def test_an_official_gets_their_own_unit_only(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(9, 5), WARD, "nv 1 xong")
    _at(chat, clock, _local(9, 6), OFFICE, "Phường Lê Lợi: nv 2 đang thực hiện")
    _at(chat, clock, _local(9, 6, 10), COMMUNE, "nv 1 xong, so hoa 80/100")
    ward = _official(db, WARD)
    own = _report(db, viewer=ward)
    assert own == _report(db, viewer=ward, unit_id=ward.unit_id)  # None: their own
    assert own.unit == LE_LOI and own.units == (LE_LOI,) and own.silent == ()
    assert {unit for _code, unit in _standings(own)} == {LE_LOI}
    assert [t.code for s in own.sections for t in s.tasks] == ["1", "2", "3", "4", "5", "6"]
    assert [u.code for u in own.upcoming] == ["5"]  # not the commune's task 7
    # its own reports; the office's name is not the official's to see
    assert [(e.subject, e.person) for e in own.log] == [("1", "Người 201"), ("2", None)]
    assert own.indicators[0].units == () and own.indicators[0].expected == 1
    with pytest.raises(access.NotAllowed):
        _report(db, viewer=ward, unit_id=_unit_id(db, DUONG_LAM))
    with pytest.raises(access.NotAllowed):
        _report(db, viewer=Actor(999, "vi"))  # nobody registered
    # the leader sees every unit, and every name
    leader = _official(db, LEADER)
    commune = _report(db, viewer=leader, unit_id=_unit_id(db, DUONG_LAM))
    assert commune.unit == DUONG_LAM
    assert [(e.subject, e.person) for e in commune.log] == [
        ("1", "Người 202"),
        ("1 Tỷ lệ số hóa hồ sơ", "Người 202"),
    ]
    assert [e.person for e in _report(db, viewer=leader).log] == [
        "Người 201",
        "Người 203",
        "Người 202",
        "Người 202",
    ]
    assert _report(db, viewer=_official(db, OFFICE)).unit is None  # the office: the area


def test_a_unit_that_does_not_exist(db: Database, chat: Chat) -> None:
    with pytest.raises(LookupError):
        _report(db, unit_id=10_000)


# -- the plan --------------------------------------------------------------------------------


def test_the_plan_of_the_periods_year(db: Database, chat: Chat, clock) -> None:
    _at(chat, clock, _local(9, 5), WARD, "nv 1 xong")
    _plan(
        db,
        PlanDraft(
            title="Kế hoạch năm 2026",
            year=2026,
            tasks=[
                TaskDraft(
                    code="A",
                    content="Nhiệm vụ A",
                    lead=[LE_LOI],
                    timeframe_text="Trước ngày 10/3/2026",
                    timeframe=parse_timeframe("Trước ngày 10/3/2026", 2026),
                )
            ],
        ),
    )
    january = date(2026, 1, 20)  # the 2026 plan is in use
    old = _report(db, today=january)
    assert (old.plan_title, old.plan_year) == ("Kế hoạch kiểm soát TTHC năm 2025", 2025)
    assert [t.code for s in old.sections for t in s.tasks][:2] == ["1", "2"]
    assert _standings(old)["1", LE_LOI].standing is Standing.DONE
    new = _report(db, Period.quarter(2026, 1), january)
    assert (new.plan_title, new.plan_year) == ("Kế hoạch năm 2026", 2026)
    assert [t.code for s in new.sections for t in s.tasks] == ["A"]
