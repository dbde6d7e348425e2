"""/nhacviec's words: a pause's length or end, resuming, where reminders go."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.language.pauses import (
    MAX_PAUSE_DAYS,
    Action,
    PauseProblem,
    add_months,
    read_reminder_request,
)

TODAY = date(2026, 12, 4)  # a Friday


@pytest.mark.parametrize(
    ("text", "last_day", "amount", "unit"),
    [
        ("tạm dừng 1 tuần", date(2026, 12, 11), 1, "week"),  # the tester's case: not 1 day
        ("tam dung 1 tuan", date(2026, 12, 11), 1, "week"),
        ("tạm dừng 2 tháng", date(2027, 2, 4), 2, "month"),
        ("tam dung 2 thang", date(2027, 2, 4), 2, "month"),
        ("tạm dừng 3 ngày", date(2026, 12, 7), 3, "day"),
        ("Tạm dừng 5", date(2026, 12, 9), 5, "day"),  # no unit: days, as before
        ("tạm dừng một tuần", date(2026, 12, 11), 1, "week"),
        ("tam ngung hai tuan", date(2026, 12, 18), 2, "week"),
        ("pause 2 weeks", date(2026, 12, 18), 2, "week"),
        ("tạm dừng 1 ngày", date(2026, 12, 5), 1, "day"),
    ],
)
def test_lengths(text: str, last_day: date, amount: int, unit: str) -> None:
    request = read_reminder_request(text, TODAY)
    assert request.action is Action.PAUSE and request.problem is None
    assert (request.last_day, request.amount, request.unit) == (last_day, amount, unit)


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("tạm dừng đến 20/12", date(2026, 12, 20)),
        ("tam dung den ngay 20/12/2026", date(2026, 12, 20)),
        ("tạm dừng tới 5/1", date(2027, 1, 5)),  # already past this year: next year's
        ("tam dung den 10/01/27", date(2027, 1, 10)),
        ("tạm dừng đến 4/12", TODAY),  # today is allowed: through the end of today
    ],
)
def test_until_a_date(text: str, last_day: date) -> None:
    request = read_reminder_request(text, TODAY)
    assert (request.action, request.problem, request.last_day) == (Action.PAUSE, None, last_day)
    assert request.unit is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tạm dừng 4 tháng", PauseProblem.TOO_LONG),
        ("tam dung 13 tuan", PauseProblem.TOO_LONG),  # 91 days
        ("tạm dừng 1 năm", PauseProblem.TOO_LONG),
        ("tạm dừng 100000 ngày", PauseProblem.TOO_LONG),
        ("tạm dừng đến 20/12/2027", PauseProblem.TOO_LONG),
        ("tạm dừng đến 1/12/2026", PauseProblem.PAST),
        ("tạm dừng đến 31/2", PauseProblem.BAD_DATE),
        ("tạm dừng", PauseProblem.NO_LENGTH),
        ("tạm dừng 0 ngày", PauseProblem.NO_LENGTH),
        ("tam dung it hom", PauseProblem.NO_LENGTH),
    ],
)
def test_problems(text: str, problem: PauseProblem) -> None:
    request = read_reminder_request(text, TODAY)
    assert (request.action, request.problem) == (Action.PAUSE, problem)


def test_the_cap_is_ninety_days() -> None:
    assert read_reminder_request("tạm dừng 90 ngày", TODAY).problem is None
    assert read_reminder_request("tạm dừng 91 ngày", TODAY).problem is PauseProblem.TOO_LONG
    assert read_reminder_request("tạm dừng 3 tháng", TODAY).last_day == date(2027, 3, 4)
    assert MAX_PAUSE_DAYS == 90


@pytest.mark.parametrize("text", ["tiếp tục", "tiep tuc", "bật lại", "bat lai", "resume"])
def test_resume(text: str) -> None:
    assert read_reminder_request(text, TODAY).action is Action.RESUME


@pytest.mark.parametrize(
    ("text", "where"),
    [("nhóm", "group"), ("rieng", "private"), ("cả hai", "both"), ("group", "group")],
)
def test_destinations(text: str, where: str) -> None:
    request = read_reminder_request(text, TODAY)
    assert (request.action, request.destination) == (Action.DESTINATION, where)


@pytest.mark.parametrize("text", ["", "xem", "tuần này"])
def test_anything_else_is_the_list(text: str) -> None:
    assert read_reminder_request(text, TODAY).action is Action.LIST


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 4), 12) == date(2027, 12, 4)


@given(st.integers(min_value=1, max_value=400), st.sampled_from(["ngày", "tuần", "tháng"]))
def test_an_accepted_pause_ends_after_today_within_the_cap(amount: int, unit: str) -> None:
    request = read_reminder_request(f"tạm dừng {amount} {unit}", TODAY)
    if request.problem is None:
        assert request.last_day is not None
        assert TODAY < request.last_day <= TODAY + timedelta(days=MAX_PAUSE_DAYS)
    else:
        assert request.problem is PauseProblem.TOO_LONG
