"""The working-day calendar and the reminder policy (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from bot.config import Settings
from bot.language.periods import Period, PeriodKind
from scheduling.calendar import WorkCalendar, after_quiet_hours, in_quiet_hours
from scheduling.policy import (
    AssignmentFacts,
    IndicatorFacts,
    answered_period,
    plan_reminders,
    reminder_settings,
)

CAL = WorkCalendar()
SETTINGS = replace(reminder_settings(Settings(_env_file=None)), horizon_days=40)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 17), False),  # Tết
        (date(2026, 2, 16), False),  # Tết eve
        (date(2026, 9, 2), False),  # National Day
        (date(2026, 11, 21), False),  # a Saturday
        (date(2026, 8, 22), True),  # a Saturday worked for the 31/8 bridge day
        (date(2026, 11, 23), True),
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_office_days_off_and_make_up_days_win() -> None:
    cal = WorkCalendar(days_off=[date(2026, 11, 23)], workdays=[date(2026, 11, 22)])
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.is_working_day(date(2026, 11, 22))
    assert cal.on_or_before(date(2026, 11, 23)) == date(2026, 11, 22)


def test_counting_working_days_skips_tet() -> None:
    assert CAL.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CAL.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [(time(21, 0), True), (time(23, 59), True), (time(6, 59), True), (time(7, 0), False)],
)
def test_quiet_hours_span_midnight(moment: time, quiet: bool) -> None:
    assert in_quiet_hours(moment, time(21, 0), time(7, 0)) is quiet


def test_after_quiet_hours() -> None:
    late = datetime(2026, 11, 23, 22, 30)
    assert after_quiet_hours(late, time(21, 0), time(7, 0)) == datetime(2026, 11, 24, 7, 0)


def _task(**overrides) -> AssignmentFacts:
    values = {
        "assignment_id": 1,
        "unit_id": 10,
        "task_code": "1.1",
        "lead": True,
        "timeframe_kind": "due",
        "due_date": date(2026, 12, 4),
        "recurrence": None,
        "done": False,
    }
    return AssignmentFacts(**(values | overrides))


NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _local(spec) -> datetime:
    return spec.due_at.astimezone(SETTINGS.tz)


def test_deadline_reminders_at_the_offsets_at_eight() -> None:
    specs = [s for s in plan_reminders([_task()], [], CAL, SETTINGS, NOW) if s.kind == "due"]
    days = [_local(s).date() for s in specs]
    # 7, 3, 1, 0 working days before Friday 4/12; 24/11 is a holiday in 2026
    assert days == [date(2026, 11, 25), date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 4)]
    assert all(_local(s).time() == time(8, 0) for s in specs)
    assert len({s.key for s in specs}) == 4


def test_a_deadline_on_a_day_off_moves_before_it() -> None:
    task = _task(due_date=date(2026, 2, 18))  # in Tết
    specs = plan_reminders([task], [], CAL, SETTINGS, datetime(2026, 2, 1, tzinfo=UTC))
    on_the_day = next(s for s in specs if s.key.endswith(":0"))
    assert _local(on_the_day).date() == date(2026, 2, 13)


def test_overdue_every_three_working_days_and_done_stops_all() -> None:
    task = _task(due_date=date(2026, 11, 13))
    specs = plan_reminders([task], [], CAL, SETTINGS, NOW)
    overdue = [_local(s).date() for s in specs if s.kind == "overdue"]
    assert overdue[:3] == [date(2026, 11, 23), date(2026, 11, 27), date(2026, 12, 2)]
    assert plan_reminders([_task(done=True)], [], CAL, SETTINGS, NOW) == []
    assert plan_reminders([_task(lead=False)], [], CAL, SETTINGS, NOW) == []


def test_recurring_before_and_after_each_period_unless_reported() -> None:
    task = _task(timeframe_kind="recurring", due_date=None, recurrence="monthly")
    specs = plan_reminders([task], [], CAL, SETTINGS, NOW)
    stages = [(s.payload["period"], s.payload["stage"]) for s in specs]
    assert ("2026-12", "before") in stages and ("2026-12", "missing") in stages
    reported = _task(
        timeframe_kind="recurring",
        due_date=None,
        recurrence="monthly",
        reported_periods=frozenset({date(2026, 12, 1)}),
    )
    assert all(
        s.payload["period"] != "2026-12" for s in plan_reminders([reported], [], CAL, SETTINGS, NOW)
    )


def test_a_quarterly_task_reported_in_a_month_of_the_quarter_is_reported_for_it() -> None:
    """A status for a month written ("Báo cáo tháng 12: nv 4.2 xong") is stored for that
    month. The fourth quarter's reminders stop (they were built again)."""
    quarterly = {"timeframe_kind": "recurring", "due_date": None, "recurrence": "quarterly"}
    specs = plan_reminders([_task(**quarterly)], [], CAL, SETTINGS, NOW)
    assert {s.payload["period"] for s in specs} >= {"2026-Q4"}
    reported = _task(**quarterly, reported_periods=frozenset({date(2026, 12, 1)}))
    later = plan_reminders([reported], [], CAL, SETTINGS, NOW)
    assert all(s.payload["period"] != "2026-Q4" for s in later)


@pytest.mark.parametrize(
    ("kind", "sent", "period"),
    [
        # the third quarter's deadline is 14/9, the fourth's 14/12
        (PeriodKind.QUARTER, date(2026, 9, 10), Period.quarter(2026, 3)),  # before it
        (PeriodKind.QUARTER, date(2026, 9, 18), Period.quarter(2026, 3)),  # late
        (PeriodKind.QUARTER, date(2026, 10, 29), Period.quarter(2026, 3)),  # 45 days each way
        (PeriodKind.QUARTER, date(2026, 10, 30), Period.quarter(2026, 4)),
        (PeriodKind.QUARTER, date(2026, 12, 20), Period.quarter(2026, 4)),  # late, in December
        (PeriodKind.MONTH, date(2026, 11, 18), Period.month(2026, 11)),  # due 14/11
        (PeriodKind.MONTH, date(2026, 12, 5), Period.month(2026, 12)),  # due 14/12
        (PeriodKind.YEAR, date(2027, 1, 10), Period.year(2026)),  # the year's report, late
        (PeriodKind.YEAR, date(2026, 11, 1), Period.year(2026)),
    ],
)
def test_a_periodic_report_is_for_the_period_due_nearest(
    kind: PeriodKind, sent: date, period: Period
) -> None:
    assert answered_period(kind, sent, 15) == period


def test_indicator_reminders_per_unit_not_yet_reported() -> None:
    indicator = IndicatorFacts(5, frozenset({10, 11}), frozenset({(11, date(2026, 12, 1))}))
    specs = plan_reminders([], [indicator], CAL, SETTINGS, NOW)
    assert [(s.unit_id, s.payload["period"]) for s in specs] == [(10, "2026-12")]
    assert _local(specs[0]).date() == date(2026, 12, 9)  # 3 working days before the 14th


def test_continuous_tasks_get_a_quarterly_check_in() -> None:
    task = _task(timeframe_kind="continuous", due_date=None)
    specs = plan_reminders([task], [], CAL, SETTINGS, NOW)
    assert [s.payload["period"] for s in specs] == ["2026-Q4"]


def test_the_schedule_is_the_same_when_built_twice() -> None:
    first = plan_reminders([_task()], [], CAL, SETTINGS, NOW)
    assert [s.key for s in first] == [
        s.key for s in plan_reminders([_task()], [], CAL, SETTINGS, NOW)
    ]
