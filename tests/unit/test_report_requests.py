"""Reading what /xuat asks for: the period (or the one just closed) and the unit."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language.periods import Period
from bot.language.report_requests import Trouble, closed_period, read_report_request

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "key", "unit"),
    [
        ("quý 3", "2026-Q3", ""),
        ("quy 3/2025 xa son duong", "2025-Q3", "xa son duong"),
        ("Xã Sơn Dương, quý 2", "2026-Q2", "Xã Sơn Dương"),
        ("báo cáo 6 tháng", "2026-H1", ""),
        ("9 thang", "2026-9M", ""),
        ("tháng 10", "2026-10", ""),
        ("năm 2025", "2025", ""),
        ("quý III năm 2025", "2025-Q3", ""),
        ("Kỳ Sơn", "2026-Q3", "Kỳ Sơn"),  # no period: the one just closed, for Kỳ Sơn
        ("cho moi quy 1", "2026-Q1", "cho moi"),  # "Chợ Mới" typed plain keeps its words
    ],
)
def test_the_period_and_the_unit_are_read(text: str, key: str, unit: str) -> None:
    request = read_report_request(text, TODAY, 15)
    assert request.trouble is None
    assert request.period is not None and request.period.key == key
    assert request.unit_text == unit


@pytest.mark.parametrize(
    ("text", "trouble"),
    [
        ("quý 5", Trouble.INVALID),
        ("thang 13/2026", Trouble.INVALID),
        ("hôm nay", Trouble.NOT_A_REPORT_PERIOD),
        ("tuần này", Trouble.NOT_A_REPORT_PERIOD),
        ("quý 1 năm 2027", Trouble.FUTURE),
        ("năm 2027", Trouble.FUTURE),
    ],
)
def test_what_names_no_report_is_refused_with_its_reason(text: str, trouble: Trouble) -> None:
    request = read_report_request(text, TODAY, 15)
    assert request.period is None and request.trouble is trouble and request.written


def test_a_window_already_begun_is_no_future_and_an_open_one_says_so() -> None:
    # January 2027's window begins on 15 December 2026.
    assert read_report_request("tháng 1/2027", date(2026, 12, 14), 15).trouble is Trouble.FUTURE
    request = read_report_request("tháng 1/2027", date(2026, 12, 15), 15)
    assert request.period == Period.month(2027, 1) and not request.closed
    assert read_report_request("quý 3", TODAY, 15).closed


@pytest.mark.parametrize(
    ("today", "key"),
    [
        (date(2026, 1, 10), "2025"),  # Q4's window closed on 14/12: the year's report
        (date(2026, 3, 14), "2025"),
        (date(2026, 3, 15), "2026-Q1"),  # Q1's window 15/12–14/3 has just closed
        (date(2026, 6, 20), "2026-Q2"),
        (date(2026, 9, 14), "2026-Q2"),
        (date(2026, 9, 15), "2026-Q3"),
        (date(2026, 12, 4), "2026-Q3"),
        (date(2026, 12, 15), "2026"),
    ],
)
def test_nothing_written_is_the_report_just_closed(today: date, key: str) -> None:
    assert closed_period(today, 15).key == key
    assert read_report_request("", today, 15).period == closed_period(today, 15)


def test_the_cutoff_day_moves_the_report_just_closed() -> None:
    # Calendar quarters: the third closes with 30/9.
    assert closed_period(date(2026, 9, 30), 1).key == "2026-Q2"
    assert closed_period(date(2026, 10, 1), 1).key == "2026-Q3"
    assert closed_period(date(2026, 9, 30), 15).key == "2026-Q3"
    assert closed_period(date(2026, 9, 14), 15).key == "2026-Q2"
