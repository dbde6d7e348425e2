"""Reporting periods, their cut-off windows and the period phrases officials type."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.language.normalize import nfc, strip_diacritics
from bot.language.periods import (
    Period,
    PeriodKind,
    PeriodMention,
    find_periods,
    parse_period,
    period_of,
    reporting_period,
)

TODAY = date(2025, 10, 20)  # a Monday, in ISO week 2025-W43

# ---------------------------------------------------------------------------------------
# Period values
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "key", "start", "end"),
    [
        (Period.day(date(2025, 10, 5)), "2025-10-05", date(2025, 10, 5), date(2025, 10, 5)),
        (Period.week_of(date(2025, 10, 15)), "2025-W42", date(2025, 10, 13), date(2025, 10, 19)),
        (Period.week_of(date(2025, 10, 13)), "2025-W42", date(2025, 10, 13), date(2025, 10, 19)),
        (Period.week_of(date(2025, 10, 19)), "2025-W42", date(2025, 10, 13), date(2025, 10, 19)),
        # ISO weeks belong to the year of their Thursday.
        (Period.week_of(date(2024, 12, 31)), "2025-W01", date(2024, 12, 30), date(2025, 1, 5)),
        (Period.week_of(date(2021, 1, 3)), "2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
        (Period.month(2025, 10), "2025-10", date(2025, 10, 1), date(2025, 10, 31)),
        (Period.month(2024, 2), "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (Period.month(2025, 2), "2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        (Period.quarter(2025, 1), "2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        (Period.quarter(2025, 3), "2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        (Period.quarter(2025, 4), "2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        (Period.half(2025, 1), "2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        (Period.half(2025, 2), "2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        (Period.nine_months(2025), "2025-9M", date(2025, 1, 1), date(2025, 9, 30)),
        (Period.year(2025), "2025", date(2025, 1, 1), date(2025, 12, 31)),
        (Period.year(999), "0999", date(999, 1, 1), date(999, 12, 31)),
    ],
)
def test_constructors_and_keys(period: Period, key: str, start: date, end: date) -> None:
    assert (period.key, period.start, period.end) == (key, start, end)
    assert len(period.key) <= 16
    assert Period.from_key(key) == period


@pytest.mark.parametrize(
    "key",
    [
        "",
        "2025-13",
        "2025-00",
        "2025-1",
        "2025-Q0",
        "2025-Q5",
        "2025-q3",
        "2025-H0",
        "2025-H3",
        "2025-W00",
        "2025-W54",
        "2021-W53",  # 2021 has 52 ISO weeks
        "2025-02-30",
        "2025-10-5",
        "25",
        "0000",
        " 2025",
        "2025 ",
        "2025-9m",
        "٢٠٢٥",  # Arabic-Indic digits
        "abcd",
        "2025-10-05T00:00",
    ],
)
def test_from_key_rejects_invalid_keys(key: str) -> None:
    assert Period.from_key(key) is None


def test_from_key_rejects_non_strings() -> None:
    assert Period.from_key(2025) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "build",
    [
        lambda: Period.month(2025, 13),
        lambda: Period.month(2025, 0),
        lambda: Period.quarter(2025, 0),
        lambda: Period.quarter(2025, 5),
        lambda: Period.half(2025, 3),
        lambda: Period(PeriodKind.MONTH, date(2025, 1, 2), date(2025, 1, 31)),
        lambda: Period(PeriodKind.YEAR, date(2025, 1, 1), date(2025, 6, 30)),
        lambda: Period(PeriodKind.WEEK, date(2025, 10, 14), date(2025, 10, 20)),
    ],
)
def test_invalid_periods_are_refused(build) -> None:
    with pytest.raises(ValueError):
        build()


def test_kind_accepts_its_string_value() -> None:
    period = Period("month", date(2025, 10, 1), date(2025, 10, 31))  # type: ignore[arg-type]
    assert period.kind is PeriodKind.MONTH
    assert period == Period.month(2025, 10)


@pytest.mark.parametrize(
    ("key", "previous", "following"),
    [
        ("2025-03-01", "2025-02-28", "2025-03-02"),
        ("2024-12-31", "2024-12-30", "2025-01-01"),
        ("2025-W01", "2024-W52", "2025-W02"),
        ("2020-W53", "2020-W52", "2021-W01"),
        ("2025-01", "2024-12", "2025-02"),
        ("2025-12", "2025-11", "2026-01"),
        ("2025-Q1", "2024-Q4", "2025-Q2"),
        ("2025-Q4", "2025-Q3", "2026-Q1"),
        ("2025-H1", "2024-H2", "2025-H2"),
        ("2025-H2", "2025-H1", "2026-H1"),
        ("2025-9M", "2024-9M", "2026-9M"),
        ("2025", "2024", "2026"),
    ],
)
def test_previous_and_next(key: str, previous: str, following: str) -> None:
    period = Period.from_key(key)
    assert period is not None
    assert period.previous().key == previous
    assert period.next().key == following
    assert period.previous().next() == period


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        (PeriodKind.DAY, date(2025, 10, 20), "2025-10-20"),
        (PeriodKind.WEEK, date(2025, 10, 20), "2025-W43"),
        (PeriodKind.MONTH, date(2025, 10, 20), "2025-10"),
        (PeriodKind.QUARTER, date(2025, 10, 20), "2025-Q4"),
        (PeriodKind.QUARTER, date(2025, 6, 30), "2025-Q2"),
        (PeriodKind.HALF, date(2025, 6, 30), "2025-H1"),
        (PeriodKind.HALF, date(2025, 7, 1), "2025-H2"),
        (PeriodKind.NINE_MONTHS, date(2025, 5, 1), "2025-9M"),
        (PeriodKind.NINE_MONTHS, date(2025, 11, 1), "2025-9M"),  # documented: same year
        (PeriodKind.YEAR, date(2025, 10, 20), "2025"),
        ("quarter", date(2025, 1, 1), "2025-Q1"),
    ],
)
def test_period_of(kind: PeriodKind, day: date, key: str) -> None:
    assert period_of(kind, day).key == key


def test_contains() -> None:
    q3 = Period.quarter(2025, 3)
    assert q3.contains(date(2025, 7, 1))
    assert q3.contains(date(2025, 9, 30))
    assert not q3.contains(date(2025, 6, 30))
    assert not q3.contains(date(2025, 10, 1))


def test_periods_are_ordered_and_hashable() -> None:
    months = [Period.month(2025, m) for m in (3, 1, 2)]
    assert [p.key for p in sorted(months)] == ["2025-01", "2025-02", "2025-03"]
    assert len({Period.month(2025, 1), Period.from_key("2025-01")}) == 1


# ---------------------------------------------------------------------------------------
# Reporting cut-off (Decree 09/2019/NĐ-CP)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "cutoff", "window"),
    [
        ("2025-10", 15, (date(2025, 9, 15), date(2025, 10, 14))),
        ("2025-01", 15, (date(2024, 12, 15), date(2025, 1, 14))),
        ("2025-03", 15, (date(2025, 2, 15), date(2025, 3, 14))),
        ("2025-Q1", 15, (date(2024, 12, 15), date(2025, 3, 14))),
        ("2025-Q3", 15, (date(2025, 6, 15), date(2025, 9, 14))),
        ("2025-H1", 15, (date(2024, 12, 15), date(2025, 6, 14))),
        ("2025-H2", 15, (date(2025, 6, 15), date(2025, 12, 14))),
        ("2025-9M", 15, (date(2024, 12, 15), date(2025, 9, 14))),
        ("2025", 15, (date(2024, 12, 15), date(2025, 12, 14))),
        ("2025-10", 1, (date(2025, 10, 1), date(2025, 10, 31))),
        ("2025", 1, (date(2025, 1, 1), date(2025, 12, 31))),
        ("2025-10", 20, (date(2025, 9, 20), date(2025, 10, 19))),
        ("2025-10", 0, (date(2025, 10, 1), date(2025, 10, 31))),  # clamped to 1
        ("2025-10", -3, (date(2025, 10, 1), date(2025, 10, 31))),
        ("2025-03", 31, (date(2025, 2, 28), date(2025, 3, 27))),  # clamped to 28
        ("2025-W42", 15, (date(2025, 10, 13), date(2025, 10, 19))),
        ("2025-10-05", 15, (date(2025, 10, 5), date(2025, 10, 5))),
    ],
)
def test_reporting_window(key: str, cutoff: int, window: tuple[date, date]) -> None:
    period = Period.from_key(key)
    assert period is not None
    assert period.reporting_window(cutoff) == window


def test_reporting_window_default_is_the_15th() -> None:
    assert Period.month(2025, 10).reporting_window() == (date(2025, 9, 15), date(2025, 10, 14))


@pytest.mark.parametrize(
    ("day", "kind", "cutoff", "key"),
    [
        (date(2025, 10, 20), PeriodKind.MONTH, 15, "2025-11"),
        (date(2025, 10, 14), PeriodKind.MONTH, 15, "2025-10"),
        (date(2025, 10, 15), PeriodKind.MONTH, 15, "2025-11"),
        (date(2025, 10, 1), PeriodKind.MONTH, 15, "2025-10"),
        (date(2025, 12, 20), PeriodKind.MONTH, 15, "2026-01"),
        (date(2025, 12, 20), PeriodKind.QUARTER, 15, "2026-Q1"),
        (date(2025, 12, 14), PeriodKind.QUARTER, 15, "2025-Q4"),
        (date(2025, 9, 14), PeriodKind.QUARTER, 15, "2025-Q3"),
        (date(2025, 9, 15), PeriodKind.QUARTER, 15, "2025-Q4"),
        (date(2025, 6, 14), PeriodKind.HALF, 15, "2025-H1"),
        (date(2025, 6, 15), PeriodKind.HALF, 15, "2025-H2"),
        (date(2025, 12, 15), PeriodKind.HALF, 15, "2026-H1"),
        (date(2025, 12, 14), PeriodKind.YEAR, 15, "2025"),
        (date(2025, 12, 15), PeriodKind.YEAR, 15, "2026"),
        (date(2024, 12, 20), PeriodKind.NINE_MONTHS, 15, "2025-9M"),
        (date(2025, 9, 14), PeriodKind.NINE_MONTHS, 15, "2025-9M"),
        (date(2025, 10, 20), PeriodKind.NINE_MONTHS, 15, "2025-9M"),  # outside any window
        (date(2025, 10, 20), PeriodKind.MONTH, 1, "2025-10"),
        (date(2025, 10, 31), PeriodKind.MONTH, 0, "2025-10"),
        (date(2025, 2, 28), PeriodKind.MONTH, 31, "2025-03"),  # cut-off clamped to 28
        (date(2025, 2, 27), PeriodKind.MONTH, 31, "2025-02"),
        (date(2025, 10, 20), PeriodKind.WEEK, 15, "2025-W43"),
        (date(2025, 10, 20), PeriodKind.DAY, 15, "2025-10-20"),
    ],
)
def test_reporting_period(day: date, kind: PeriodKind, cutoff: int, key: str) -> None:
    assert reporting_period(day, kind, cutoff).key == key


def test_reporting_period_defaults_to_month_and_the_15th() -> None:
    assert reporting_period(date(2025, 10, 20)).key == "2025-11"


# ---------------------------------------------------------------------------------------
# Period phrases
# ---------------------------------------------------------------------------------------

# (phrase, key of the period on TODAY = 2025-10-20)
PHRASES: list[tuple[str, str]] = [
    ("hôm nay", "2025-10-20"),
    ("ngày hôm nay", "2025-10-20"),
    ("hnay", "2025-10-20"),
    ("hôm qua", "2025-10-19"),
    ("hqua", "2025-10-19"),
    ("hôm kia", "2025-10-18"),
    ("ngày mai", "2025-10-21"),
    ("tuần này", "2025-W43"),
    ("tuần trước", "2025-W42"),
    ("tuần qua", "2025-W42"),
    ("tuần sau", "2025-W44"),
    ("tuần tới", "2025-W44"),
    ("tháng này", "2025-10"),
    ("tháng trước", "2025-09"),
    ("tháng vừa qua", "2025-09"),
    ("tháng sau", "2025-11"),
    ("tháng tới", "2025-11"),
    ("tháng 10", "2025-10"),
    ("tháng 9", "2025-09"),
    ("tháng 11", "2024-11"),  # no year: the latest November that has started
    ("tháng 01", "2025-01"),
    ("tháng 10/2025", "2025-10"),
    ("tháng 10 năm 2025", "2025-10"),
    ("tháng 10, năm 2025", "2025-10"),
    ("tháng 10-2025", "2025-10"),
    ("tháng 10 - 2025", "2025-10"),
    ("tháng 10.2025", "2025-10"),
    ("tháng 10 2025", "2025-10"),
    ("tháng 12/2026", "2026-12"),  # explicit future stays as written
    ("tháng 10 năm ngoái", "2024-10"),
    ("tháng 10 năm nay", "2025-10"),
    ("tháng 3 năm sau", "2026-03"),
    ("thg 10", "2025-10"),
    ("thg10", "2025-10"),
    ("tháng10", "2025-10"),
    ("T10", "2025-10"),
    ("T1", "2025-01"),
    ("T8", "2025-08"),
    ("T12", "2024-12"),
    ("t10/2025", "2025-10"),
    ("t10/25", "2025-10"),
    ("T5/2025", "2025-05"),
    ("quý này", "2025-Q4"),
    ("quý trước", "2025-Q3"),
    ("quý sau", "2026-Q1"),
    ("quý tới", "2026-Q1"),
    ("quý 3", "2025-Q3"),
    ("quý 4", "2025-Q4"),
    ("quý III", "2025-Q3"),
    ("quý IV", "2025-Q4"),
    ("quý I", "2025-Q1"),
    ("quý II", "2025-Q2"),
    ("quý III/2025", "2025-Q3"),
    ("quý 3 năm 2025", "2025-Q3"),
    ("quý 3/2024", "2024-Q3"),
    ("quý 3-2024", "2024-Q3"),
    ("quý 1 năm nay", "2025-Q1"),
    ("quý 4 năm ngoái", "2024-Q4"),
    ("Q3", "2025-Q3"),
    ("q4/2024", "2024-Q4"),
    ("6 tháng đầu năm", "2025-H1"),
    ("06 tháng đầu năm", "2025-H1"),
    ("6 tháng cuối năm", "2025-H2"),
    ("sáu tháng đầu năm", "2025-H1"),
    ("sáu tháng cuối năm", "2025-H2"),
    ("nửa đầu năm", "2025-H1"),
    ("6 tháng đầu năm 2025", "2025-H1"),
    ("6 tháng cuối năm 2024", "2024-H2"),
    ("6 tháng đầu năm nay", "2025-H1"),
    ("6 tháng", "2025-H1"),
    ("6 tháng năm 2024", "2024-H1"),
    ("9 tháng", "2025-9M"),
    ("9 tháng đầu năm", "2025-9M"),
    ("chín tháng", "2025-9M"),
    ("9 tháng năm 2024", "2024-9M"),
    ("9 tháng đầu năm 2024", "2024-9M"),
    ("năm nay", "2025"),
    ("năm ngoái", "2024"),
    ("năm trước", "2024"),
    ("năm sau", "2026"),
    ("năm tới", "2026"),
    ("năm 2025", "2025"),
    ("năm 2024", "2024"),
    ("cả năm", "2025"),
    ("cả năm 2024", "2024"),
    ("ngày 5/10", "2025-10-05"),
    ("ngày 20/10", "2025-10-20"),
    ("ngày 25/10", "2024-10-25"),  # not yet this year
    ("ngày 5/10/2025", "2025-10-05"),
    ("ngày 5 tháng 10 năm 2025", "2025-10-05"),
    ("20/10/2025", "2025-10-20"),
]


def _variants(phrase: str) -> list[str]:
    return [
        phrase,
        strip_diacritics(phrase),
        strip_diacritics(phrase).lower(),
        phrase.upper(),
        unicodedata.normalize("NFD", phrase),
        unicodedata.normalize("NFD", phrase.upper()),
    ]


@pytest.mark.parametrize(("phrase", "key"), PHRASES)
def test_phrases(phrase: str, key: str) -> None:
    for variant in _variants(phrase):
        mentions = find_periods(variant, TODAY)
        assert [m.period.key for m in mentions] == [key], variant
        assert mentions[0].span == (0, len(nfc(variant)))
        assert parse_period(variant, TODAY) == mentions[0].period


@pytest.mark.parametrize(("phrase", "key"), PHRASES)
def test_phrases_inside_a_sentence(phrase: str, key: str) -> None:
    text = f"Báo cáo {phrase}, xã Sơn Dương: 85/100 hồ sơ."
    mentions = find_periods(text, TODAY)
    assert [(m.period.key, m.text) for m in mentions] == [(key, phrase)]
    start, end = mentions[0].span
    assert nfc(text)[start:end] == phrase


@pytest.mark.parametrize(
    ("today", "phrase", "key"),
    [
        # The brief's example day.
        (date(2026, 11, 22), "tháng 12", "2025-12"),
        (date(2026, 11, 22), "tháng 11", "2026-11"),
        (date(2026, 11, 22), "quý 4", "2026-Q4"),
        (date(2026, 11, 22), "quý 1", "2026-Q1"),
        (date(2026, 11, 22), "6 tháng cuối năm", "2026-H2"),
        (date(2026, 11, 22), "9 tháng", "2026-9M"),
        (date(2026, 11, 22), "cả năm", "2026"),
        (date(2026, 11, 22), "ngày 22/11", "2026-11-22"),
        (date(2026, 11, 22), "ngày 23/11", "2025-11-23"),
        # 1 January.
        (date(2026, 1, 1), "tháng 1", "2026-01"),
        (date(2026, 1, 1), "T1", "2026-01"),
        (date(2026, 1, 1), "tháng 2", "2025-02"),
        (date(2026, 1, 1), "tháng 12", "2025-12"),
        (date(2026, 1, 1), "quý 1", "2026-Q1"),
        (date(2026, 1, 1), "quý II", "2025-Q2"),
        (date(2026, 1, 1), "quý 4", "2025-Q4"),
        (date(2026, 1, 1), "6 tháng đầu năm", "2026-H1"),
        (date(2026, 1, 1), "6 tháng cuối năm", "2025-H2"),
        (date(2026, 1, 1), "9 tháng", "2026-9M"),
        (date(2026, 1, 1), "cả năm", "2026"),
        (date(2026, 1, 1), "ngày 1/1", "2026-01-01"),
        (date(2026, 1, 1), "ngày 2/1", "2025-01-02"),
        (date(2026, 1, 1), "hôm qua", "2025-12-31"),
        (date(2026, 1, 1), "tuần này", "2026-W01"),
        (date(2026, 1, 1), "tuần trước", "2025-W52"),
        (date(2026, 1, 1), "tháng trước", "2025-12"),
        (date(2026, 1, 1), "quý trước", "2025-Q4"),
        (date(2026, 1, 1), "năm ngoái", "2025"),
        # 31 December.
        (date(2025, 12, 31), "tháng 12", "2025-12"),
        (date(2025, 12, 31), "tháng 1", "2025-01"),
        (date(2025, 12, 31), "quý 4", "2025-Q4"),
        (date(2025, 12, 31), "6 tháng cuối năm", "2025-H2"),
        (date(2025, 12, 31), "ngày 31/12", "2025-12-31"),
        (date(2025, 12, 31), "tháng sau", "2026-01"),
        (date(2025, 12, 31), "quý sau", "2026-Q1"),
        (date(2025, 12, 31), "năm sau", "2026"),
        (date(2025, 12, 31), "ngày mai", "2026-01-01"),
        (date(2025, 12, 31), "tuần này", "2026-W01"),
        (date(2025, 12, 31), "tuần sau", "2026-W02"),
        # First day of a quarter, of the second half, and a leap day.
        (date(2025, 7, 1), "quý 3", "2025-Q3"),
        (date(2025, 6, 30), "quý 3", "2024-Q3"),
        (date(2025, 7, 1), "6 tháng cuối năm", "2025-H2"),
        (date(2025, 6, 30), "6 tháng cuối năm", "2024-H2"),
        (date(2024, 2, 29), "ngày 29/2", "2024-02-29"),
        (date(2025, 3, 1), "ngày 29/2", "2024-02-29"),
        (date(2028, 2, 28), "ngày 29/2", "2024-02-29"),
    ],
)
def test_missing_year_is_the_latest_started_period(today: date, phrase: str, key: str) -> None:
    period = parse_period(phrase, today)
    assert period is not None
    assert period.key == key
    assert period.start <= today or phrase.endswith(("sau", "mai"))
    assert parse_period(strip_diacritics(phrase), today) == period


def test_today_may_be_a_datetime() -> None:
    assert parse_period("tháng này", datetime(2025, 10, 20, 9, 30)) == Period.month(2025, 10)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "tháng 13",
        "tháng 0",
        "tháng 13/2025",
        "quý 5",
        "quý 0",
        "quý V",
        "quý 5 năm 2025",  # invalid, and not re-read as "năm 2025"
        "q5",
        "q10",
        "T13",
        "T0",
        "T5",  # thứ năm (Thursday), not May
        "họp T2 và T7",
        "thứ 5",
        "6 tháng trước",
        "3 tháng trước",
        "6 tháng/lần",
        "6 tháng một lần",
        "trong 6 tháng",
        "chậm 9 tháng",
        "sau 6 tháng",
        "tháng sáu",  # June spelled out, not next month
        "năm qua",
        "tháng 10/1500",
        "85/100 hồ sơ",
        "NV 2.1 hoàn thành",
        "Việt Nam 2025",
        "theo quy định",
        "quy trình nội bộ",
        "quý vị đại biểu",
        "tháng 10/2025/3",
        "t10/5",
        "ngày 31/2/2025",
        "hàng tháng",
    ],
)
def test_not_periods(text: str) -> None:
    assert find_periods(text, TODAY) == []
    assert parse_period(text, TODAY) is None


def test_several_mentions_in_order_of_appearance() -> None:
    text = "So sánh tháng 9 và tháng 10/2025, quý 3 năm 2024 với quý III năm nay"
    mentions = find_periods(text, TODAY)
    assert [(m.period.key, m.text) for m in mentions] == [
        ("2025-09", "tháng 9"),
        ("2025-10", "tháng 10/2025"),
        ("2024-Q3", "quý 3 năm 2024"),
        ("2025-Q3", "quý III năm nay"),
    ]
    spans = [m.span for m in mentions]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_longest_wins_and_the_fraction_stays_inside_the_month() -> None:
    text = "Báo cáo tháng 10/2025 đạt 85/100 hồ sơ"
    assert find_periods(text, TODAY) == [
        PeriodMention(Period.month(2025, 10), (8, 21), "tháng 10/2025")
    ]
    assert [m.text for m in find_periods("6 tháng đầu năm 2025", TODAY)] == ["6 tháng đầu năm 2025"]


def test_spans_index_the_nfc_text() -> None:
    text = unicodedata.normalize("NFD", "Tình hình quý III/2025 của xã Hồng Thái")
    (mention,) = find_periods(text, TODAY)
    assert mention.period == Period.quarter(2025, 3)
    assert mention.text == "quý III/2025"
    assert nfc(text)[slice(*mention.span)] == "quý III/2025"


def test_chat_messages() -> None:
    assert parse_period("tinh hinh thang nay", TODAY) == Period.month(2025, 10)
    assert parse_period("so hoa quy 3 the nao", TODAY) == Period.quarter(2025, 3)
    # "qui", the old spelling of "quý", is still typed; "qui định" is no period.
    assert parse_period("bao cao qui 3", TODAY) == Period.quarter(2025, 3)
    assert parse_period("qui III/2024", TODAY) == Period.quarter(2024, 3)
    assert parse_period("qui truoc", TODAY) == Period.quarter(2025, 3)
    assert parse_period("qui định mới", TODAY) is None
    assert parse_period("xã nào chậm tuần trước?", TODAY) == Period.week_of(date(2025, 10, 13))
    assert parse_period("bc T9: 85/100", TODAY) == Period.month(2025, 9)
    assert parse_period("sau tháng này", TODAY) == Period.month(2025, 10)
    assert parse_period("kết quả 6 tháng", TODAY) == Period.half(2025, 1)
    assert parse_period("trong 9 tháng đầu năm", TODAY) == Period.nine_months(2025)
    assert parse_period("trong 6 tháng năm 2024", TODAY) == Period.half(2024, 1)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

_KINDS = st.sampled_from(list(PeriodKind))
_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31))
_PERIODS = st.builds(period_of, _KINDS, _DAYS)
_CUTOFFS = st.integers(min_value=-5, max_value=40)
_PHRASE_ALPHABET = "tThángquýQnămđầucuốisáu6901234578/-. ,IVvlđầyTrước"


@given(st.text(), _DAYS)
def test_find_periods_never_raises(text: str, today: date) -> None:
    mentions = find_periods(text, today)
    composed = nfc(text)
    for mention in mentions:
        assert composed[slice(*mention.span)] == mention.text
    spans = [m.span for m in mentions]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


@given(st.text(alphabet=_PHRASE_ALPHABET), st.dates())
def test_find_periods_never_raises_on_period_like_text(text: str, today: date) -> None:
    for mention in find_periods(text, today):
        assert nfc(text)[slice(*mention.span)] == mention.text
    parse_period(text, today)


@given(_PERIODS)
def test_key_round_trip(period: Period) -> None:
    assert len(period.key) <= 16
    assert Period.from_key(period.key) == period


@given(_PERIODS)
def test_next_and_previous_are_inverse(period: Period) -> None:
    assert period.next().previous() == period
    assert period.previous().next() == period
    assert period.next().kind is period.kind


@given(_KINDS, _DAYS)
def test_period_of_contains_the_day(kind: PeriodKind, day: date) -> None:
    period = period_of(kind, day)
    assert period.contains(day) or (kind is PeriodKind.NINE_MONTHS and day.month > 9)


def _months_between(first: date, after_last: date) -> int:
    return (after_last.year - first.year) * 12 + after_last.month - first.month


@given(_PERIODS, _CUTOFFS)
def test_reporting_window_is_the_period_shifted(period: Period, cutoff: int) -> None:
    first, last = period.reporting_window(cutoff)
    clamped = max(1, min(28, cutoff))
    assert first <= last
    if period.kind in (PeriodKind.DAY, PeriodKind.WEEK) or clamped == 1:
        assert (first, last) == (period.start, period.end)
        return
    after_last = last + timedelta(days=1)
    assert first.day == clamped
    assert after_last.day == clamped
    months = {"month": 1, "quarter": 3, "half": 6, "nine_months": 9, "year": 12}
    assert _months_between(first, after_last) == months[period.kind]
    # The window ends inside the period's last month, one month after it started.
    assert (after_last.year, after_last.month) == (period.end.year, period.end.month)


@given(_PERIODS.filter(lambda p: p.kind is not PeriodKind.NINE_MONTHS), _CUTOFFS)
def test_reporting_windows_tile(period: Period, cutoff: int) -> None:
    _, last = period.reporting_window(cutoff)
    following_first, _ = period.next().reporting_window(cutoff)
    assert following_first == last + timedelta(days=1)


@given(_DAYS, _KINDS, _CUTOFFS)
def test_reporting_period_window_contains_the_day(day: date, kind: PeriodKind, cutoff: int) -> None:
    period = reporting_period(day, kind, cutoff)
    first, last = period.reporting_window(cutoff)
    if kind is PeriodKind.NINE_MONTHS and not first <= day <= last:
        # Nine-month windows leave a gap each year (from the cut-off in September to
        # the one in December): a day in it belongs to the window that just closed.
        assert last < day < period.next().reporting_window(cutoff)[0]
        return
    assert first <= day <= last


@pytest.mark.parametrize(
    ("text", "invalid"),
    [
        ("so hoa quý 5: 85%", ["quý 5"]),
        ("nv 2.1 xong quy 0", ["quy 0"]),
        ("tháng 13", ["tháng 13"]),
        ("t13/2026", ["t13/2026"]),
        ("ngày 31/2 xong", ["ngày 31/2"]),
        ("31/2/2026", ["31/2/2026"]),
        ("năm 1800", ["năm 1800"]),
        # not periods by design, so not invalid either
        ("T5 xong", []),
        ("trong 6 tháng", []),
        ("năm qua", []),
        ("ngày 29/2", []),
        ("tháng 12/2026", []),
    ],
)
def test_phrases_that_name_no_period(text: str, invalid: list[str]) -> None:
    from bot.language.periods import find_invalid_periods

    assert [written for _span, written in find_invalid_periods(text, date(2026, 12, 4))] == invalid
    if invalid:
        assert find_periods(text, date(2026, 12, 4)) == []


def test_a_period_written_as_the_current_one() -> None:
    from bot.language.periods import written_as_current

    for text in ("tháng này", "thang nay", "Tháng  Này", "quý này", "năm nay", "tuần này"):
        assert written_as_current(text), text
    for text in ("tháng 12", "T12", "tháng trước", "tháng sau", "quý 4", "năm 2026", ""):
        assert not written_as_current(text), text
