"""Reporting periods, and the period phrases officials type in chat.

Pure module: no I/O and no clock. ``today`` is always an argument.

``Period`` is one calendar period (a day, an ISO week, a month, a quarter, a half
year, the first nine months of a year, or a year) with a short storage ``key``
("2025-10", "2025-Q3", ...). ``Period.reporting_window`` applies the national cut-off
rule for statistical reports (Decree 09/2019/NĐ-CP): the data of a monthly report run
from the 15th of the previous month to the 14th of the month, and the same shift
applies to quarters, halves, nine months and years. ``reporting_period`` is the
inverse: the period whose window holds a given day.

``find_periods`` recognises period phrases in free text ("tháng 10/2025", "quy 3", "qui 3",
"T10", "6 tháng đầu năm", "tuan truoc", ...), matching on ``plain(text)`` so missing
or decomposed diacritics do not matter. Decisions on ambiguous input:

* A period written without a year is the latest such period that has started on
  ``today`` (its start <= today): on 2026-11-22 "tháng 12" is 2025-12 and "quý 4" is
  2026-Q4. Explicit future periods ("tháng sau", "tháng 12/2026") are returned as
  written; the caller decides whether they are allowed.
* ``T2``..``T7`` without a year are weekdays (thứ hai .. thứ bảy) in chat shorthand,
  so they are not months; ``T1``, ``T8``..``T12`` and any ``T<n>/<year>`` are months.
* "6 tháng" alone is the first half (the usual name of the half-year report), like
  "9 tháng" is the nine-month report; "6 tháng trước" (six months ago) and
  "6 tháng/lần" are not periods.
* "năm qua" is left out: it means last year in January and this year in December.
* "tháng sáu" (June, spelled out) is not read as "tháng sau" (next month) when the
  diacritics say so; spelled-out month numbers are otherwise not recognised.
* A recognised but invalid phrase ("tháng 13", "quý 5", "quý 0") is not a period and
  its words are not re-read as a shorter phrase ("quý 5 năm 2025" is not 2025).
* Years written in text must be within 1900..2199; two-digit years ("t10/25") are
  accepted only right after a ``/``, ``-`` or ``.`` and mean 20xx.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.config import REPORT_CUTOFF_DAY
from bot.language.normalize import nfc, plain

__all__ = [
    "Period",
    "PeriodKind",
    "PeriodMention",
    "find_invalid_periods",
    "find_periods",
    "latest_day",
    "local_midnight",
    "parse_period",
    "period_of",
    "reporting_period",
    "written_as_current",
]


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


# Length in months of the month-based kinds.
_MONTHS: dict[PeriodKind, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.NINE_MONTHS: 9,
    PeriodKind.YEAR: 12,
}
# How far next()/previous() move, in months.
_STEP: dict[PeriodKind, int] = {**_MONTHS, PeriodKind.NINE_MONTHS: 12}

MIN_TEXT_YEAR = 1900
MAX_TEXT_YEAR = 2199


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    new_year, month0 = divmod(index, 12)
    return new_year, month0 + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(kind: PeriodKind, day: date) -> tuple[date, date]:
    """Start and end of the period of ``kind`` for ``day`` (see ``period_of``)."""
    if kind is PeriodKind.DAY:
        return day, day
    if kind is PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind is PeriodKind.NINE_MONTHS:
        return date(day.year, 1, 1), date(day.year, 9, 30)
    length = _MONTHS[kind]
    first = (day.month - 1) // length * length + 1
    last = first + length - 1
    return date(day.year, first, 1), _month_end(day.year, last)


def _clamp_cutoff(cutoff_day: int) -> int:
    return max(1, min(28, int(cutoff_day)))


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period; ``end`` is inclusive. Build it with the class methods."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        kind = PeriodKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if _bounds(kind, self.start) != (self.start, self.end):
            raise ValueError(f"not a {kind} period: {self.start}..{self.end}")

    # -- constructors -------------------------------------------------------------
    @classmethod
    def day(cls, day: date) -> Period:
        return cls(PeriodKind.DAY, day, day)

    @classmethod
    def week_of(cls, day: date) -> Period:
        """The ISO week (Monday..Sunday) holding ``day``."""
        return cls(PeriodKind.WEEK, *_bounds(PeriodKind.WEEK, day))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(PeriodKind.MONTH, date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, not {quarter}")
        return cls(PeriodKind.QUARTER, *_bounds(PeriodKind.QUARTER, date(year, quarter * 3, 1)))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """``half`` 1 is January..June, 2 is July..December."""
        if half not in (1, 2):
            raise ValueError(f"half must be 1 or 2, not {half}")
        return cls(PeriodKind.HALF, *_bounds(PeriodKind.HALF, date(year, half * 6, 1)))

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(PeriodKind.NINE_MONTHS, date(year, 1, 1), date(year, 9, 30))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))

    # -- keys -----------------------------------------------------------------------
    @property
    def key(self) -> str:
        """Storage key: 2025-10-05, 2025-W42, 2025-10, 2025-Q3, 2025-H1, 2025-9M, 2025."""
        y = self.start.year
        match self.kind:
            case PeriodKind.DAY:
                return f"{y:04d}-{self.start.month:02d}-{self.start.day:02d}"
            case PeriodKind.WEEK:
                iso_year, week, _ = self.start.isocalendar()
                return f"{iso_year:04d}-W{week:02d}"
            case PeriodKind.MONTH:
                return f"{y:04d}-{self.start.month:02d}"
            case PeriodKind.QUARTER:
                return f"{y:04d}-Q{(self.start.month - 1) // 3 + 1}"
            case PeriodKind.HALF:
                return f"{y:04d}-H{1 if self.start.month == 1 else 2}"
            case PeriodKind.NINE_MONTHS:
                return f"{y:04d}-9M"
            case _:
                return f"{y:04d}"

    @classmethod
    def from_key(cls, key: str) -> Period | None:
        """The period of a ``key``; None when ``key`` is not a valid key."""
        if not isinstance(key, str):
            return None
        for pattern, build in _KEY_PARSERS:
            m = pattern.fullmatch(key)
            if m is None:
                continue
            try:
                return build(m)
            except (ValueError, OverflowError):
                return None
        return None

    # -- navigation -------------------------------------------------------------------
    def next(self) -> Period:
        return self._shift(1)

    def previous(self) -> Period:
        return self._shift(-1)

    def _shift(self, steps: int) -> Period:
        if self.kind is PeriodKind.DAY:
            return Period.day(self.start + timedelta(days=steps))
        if self.kind is PeriodKind.WEEK:
            return Period.week_of(self.start + timedelta(days=7 * steps))
        year, month = _add_months(self.start.year, self.start.month, steps * _STEP[self.kind])
        return period_of(self.kind, date(year, month, 1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    # -- reporting cut-off --------------------------------------------------------------
    def reporting_window(self, cutoff_day: int = REPORT_CUTOFF_DAY) -> tuple[date, date]:
        """The inclusive range of days whose data belong to this period's report.

        Month-based periods start on ``cutoff_day`` of the month before their first
        month and end the day before ``cutoff_day`` of their last month (default 15:
        month 2025-10 is 2025-09-15..2025-10-14, the year 2025 is 2024-12-15..
        2025-12-14). ``cutoff_day`` is clamped into 1..28; with 1 the window is the
        calendar period. Days and weeks are their own window.
        """
        cutoff = _clamp_cutoff(cutoff_day)
        if self.kind in (PeriodKind.DAY, PeriodKind.WEEK) or cutoff == 1:
            return self.start, self.end
        year, month = _add_months(self.start.year, self.start.month, -1)
        return date(year, month, cutoff), date(self.end.year, self.end.month, cutoff - 1)


def _key_day(m: re.Match[str]) -> Period:
    return Period.day(date(int(m[1]), int(m[2]), int(m[3])))


def _key_week(m: re.Match[str]) -> Period:
    return Period.week_of(date.fromisocalendar(int(m[1]), int(m[2]), 1))


_KEY_PARSERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Period]]] = [
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), _key_day),
    (re.compile(r"([0-9]{4})-W([0-9]{2})"), _key_week),
    (re.compile(r"([0-9]{4})-([0-9]{2})"), lambda m: Period.month(int(m[1]), int(m[2]))),
    (re.compile(r"([0-9]{4})-Q([1-4])"), lambda m: Period.quarter(int(m[1]), int(m[2]))),
    (re.compile(r"([0-9]{4})-H([12])"), lambda m: Period.half(int(m[1]), int(m[2]))),
    (re.compile(r"([0-9]{4})-9M"), lambda m: Period.nine_months(int(m[1]))),
    (re.compile(r"([0-9]{4})"), lambda m: Period.year(int(m[1]))),
]


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` holding ``day``.

    For ``NINE_MONTHS`` this is January..September of ``day``'s year, even when
    ``day`` falls in October..December.
    """
    kind = PeriodKind(kind)
    return Period(kind, *_bounds(kind, day))


def reporting_period(
    day: date, kind: PeriodKind = PeriodKind.MONTH, cutoff_day: int = REPORT_CUTOFF_DAY
) -> Period:
    """The period of ``kind`` whose reporting window holds ``day``.

    With the default cut-off 2025-10-14 reports into 2025-10 and 2025-10-20 into
    2025-11; 2025-12-20 reports into 2026-01 (month) and 2026-Q1 (quarter).
    ``NINE_MONTHS`` windows do not cover the whole year (15 Sep..14 Dec belong to
    none); for those days the result is the nine months of the current reporting
    year, whose window has already closed.
    """
    kind = PeriodKind(kind)
    cutoff = _clamp_cutoff(cutoff_day)
    if kind in (PeriodKind.DAY, PeriodKind.WEEK) or cutoff == 1 or day.day < cutoff:
        return period_of(kind, day)
    year, month = _add_months(day.year, day.month, 1)
    return period_of(kind, date(year, month, 1))


# ---------------------------------------------------------------------------------------
# Period phrases in text
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodMention:
    """A period found in text; ``span`` indexes ``nfc(text)`` and ``text`` is that slice."""

    period: Period
    span: tuple[int, int]
    text: str


_B = r"(?<!\w)"  # a token starts here
_E = r"(?!\w)"  # a token ends here
# After a number: no more word characters, and no separator followed by a digit
# (so "tháng 10/2025/3" or "t10/5" are not read as a shorter period).
_NUM_END = r"(?!\w|[/.,\-]\d)"
_YEAR_REL = r"nay|ngoai|truoc|sau|toi"
# A year after a month or quarter number: /2025, - 2025, .25, " năm 2025", ", năm nay",
# " 2025".
_YEAR_SUFFIX = (
    r"(?:\s*[/\-.]\s*(?P<y>\d{4})"
    r"|[/\-.](?P<yy>\d{2})"
    r"|\s*,?\s*nam\s*(?P<y2>\d{4})"
    rf"|\s*,?\s*nam\s+(?P<yrel>{_YEAR_REL})"
    r"|\s+(?P<y3>(?:19|20|21)\d{2}))?"
)
# A year after the word "năm" (in "6 tháng đầu năm 2025", "9 tháng năm nay").
_NAM_TAIL = rf"(?:\s*[/\-.]?\s*(?P<y>\d{{4}})|\s+(?P<yrel>{_YEAR_REL}))?"
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_REL_OFFSET = {
    "nay": 0,
    "truoc": -1,
    "qua": -1,
    "roi": -1,
    "ngoai": -1,
    "vua qua": -1,
    "vua roi": -1,
    "sau": 1,
    "toi": 1,
    "ke tiep": 1,
    "tiep theo": 1,
}

_INVALID = -1  # a written year outside MIN_TEXT_YEAR..MAX_TEXT_YEAR


def _written_year(m: re.Match[str], today: date) -> int | None:
    """The year written after a period phrase; None if none, _INVALID if unusable."""
    groups = m.groupdict()
    for name in ("y", "y2", "y3"):
        if groups.get(name):
            year = int(groups[name])
            return year if MIN_TEXT_YEAR <= year <= MAX_TEXT_YEAR else _INVALID
    if groups.get("yy"):
        return 2000 + int(groups["yy"])
    if groups.get("yrel"):
        return today.year + _REL_OFFSET[groups["yrel"]]
    return None


class _Invalid(ValueError):
    """A phrase written as a period that names none: "quý 5", "tháng 13", "năm 1800"."""


def _latest(build: Callable[[int], Period], today: date) -> Period | None:
    """The latest period ``build(year)`` that has started on ``today``; invalid when it
    exists in none of these years ("ngày 31/2")."""
    exists = False
    for year in range(today.year, today.year - 9, -1):
        try:
            period = build(year)
        except (ValueError, OverflowError):
            continue
        exists = True
        if period.start <= today:
            return period
    if not exists:
        raise _Invalid("no such day")
    return None


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The first instant of ``day`` in the time zone ``tz`` (the deployment's)."""
    return datetime.combine(day, time(0), tzinfo=tz)


def latest_day(day: int, month: int, today: date) -> date | None:
    """The latest ``day``/``month`` that is not after ``today`` (this year's, else an
    earlier year's), as a day written without its year is read; None when there is no
    such day ("31/2")."""
    try:
        found = _latest(lambda year: Period.day(date(year, month, day)), today)
    except _Invalid:
        return None
    return found.start if found is not None else None


def _with_year(m: re.Match[str], today: date, build: Callable[[int], Period]) -> Period | None:
    year = _written_year(m, today)
    if year == _INVALID:
        raise _Invalid(m[0])
    if year is None:
        return _latest(build, today)
    return build(year)


def _quarter_number(token: str) -> int | None:
    number = _ROMAN_QUARTER.get(token) or (int(token) if token.isdigit() else 0)
    return number if 1 <= number <= 4 else None


def _h_month(m: re.Match[str], today: date, _orig: str) -> Period | None:
    month = int(m["n"])
    if not 1 <= month <= 12:
        raise _Invalid(m[0])
    return _with_year(m, today, lambda y: Period.month(y, month))


def _h_t_month(m: re.Match[str], today: date, orig: str) -> Period | None:
    # Bare T2..T7 are weekdays (thứ hai .. thứ bảy).
    if 2 <= int(m["n"]) <= 7 and _written_year(m, today) is None:
        return None
    return _h_month(m, today, orig)


def _h_quarter(m: re.Match[str], today: date, _orig: str) -> Period | None:
    quarter = _quarter_number(m["n"] or m["qn"])
    if quarter is None:
        raise _Invalid(m[0])
    return _with_year(m, today, lambda y: Period.quarter(y, quarter))


# "trong 6 tháng" (within six months), "chậm 9 tháng" (nine months late): durations.
_DURATION_BEFORE = re.compile(
    r"(?<!\w)(?:trong|cham|tre|khoang|gan|hon|mat|duoc|sau|vong|suot)\s*$"
)


def _is_duration(m: re.Match[str]) -> bool:
    """A bare "6 tháng" / "9 tháng" (no "đầu năm", no year) after a duration word."""
    bare = m[0].endswith("thang")
    return bare and _DURATION_BEFORE.search(m.string, 0, m.start()) is not None


def _h_half(m: re.Match[str], today: date, _orig: str) -> Period | None:
    part = m.groupdict().get("part")
    if _is_duration(m):
        return None
    half = 2 if part == "cuoi" else 1
    return _with_year(m, today, lambda y: Period.half(y, half))


def _h_nine(m: re.Match[str], today: date, _orig: str) -> Period | None:
    if _is_duration(m):
        return None
    return _with_year(m, today, Period.nine_months)


def _h_year(m: re.Match[str], today: date, _orig: str) -> Period | None:
    return _with_year(m, today, Period.year)


def _h_day(m: re.Match[str], today: date, _orig: str) -> Period | None:
    day, month = int(m["d"]), int(m["m"])
    return _with_year(m, today, lambda y: Period.day(date(y, month, day)))


def _h_relative_day(m: re.Match[str], today: date, _orig: str) -> Period | None:
    words = " ".join(m[0].split())
    if words in ("hom qua", "hqua", "ngay hom qua"):
        return Period.day(today - timedelta(days=1))
    if words == "hom kia":
        return Period.day(today - timedelta(days=2))
    if words == "ngay mai":
        return Period.day(today + timedelta(days=1))
    return Period.day(today)


_REL_KIND = {
    "tuan": PeriodKind.WEEK,
    "thang": PeriodKind.MONTH,
    "quy": PeriodKind.QUARTER,
    "qui": PeriodKind.QUARTER,  # the old spelling, still typed ("qui định")
    "nam": PeriodKind.YEAR,
}


def _h_relative(m: re.Match[str], today: date, orig: str) -> Period | None:
    unit, rel = m["unit"], " ".join(m["rel"].split())
    if rel == "qua" and unit == "nam":
        return None  # "năm qua": this year or last year depending on the season
    if rel == "ngoai" and unit != "nam":
        return None
    if rel == "sau" and orig[m.start("rel") : m.end("rel")] == "sáu":
        return None  # "tháng sáu" is June, not next month
    period = period_of(_REL_KIND[unit], today)
    offset = _REL_OFFSET[rel]
    if offset > 0:
        return period.next()
    if offset < 0:
        return period.previous()
    return period


_Handler = Callable[[re.Match[str], date, str], "Period | None"]

# "6 tháng" and "9 tháng" that are durations or frequencies, not periods.
_NOT_AFTER_MONTHS = (
    r"(?!\s*(?:/|mot\s+lan|1\s+lan|lan\b|truoc|qua\b|toi\b|sau\b|nua\b|roi\b|gan\b|\d))"
)

_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (
        re.compile(
            _B + r"(?:ngay\s+hom\s+(?:nay|qua)|hom\s+(?:nay|qua|kia)|hnay|hqua|ngay\s+mai)" + _E
        ),
        _h_relative_day,
    ),
    (
        re.compile(
            _B
            + r"(?<!\d)(?<!\d\s)(?P<unit>tuan|thang|quy|qui|nam)\s+"
            + r"(?P<rel>nay|truoc|sau|toi|qua|roi|ngoai|vua\s+qua|vua\s+roi|ke\s+tiep|tiep\s+theo)"
            + _E
        ),
        _h_relative,
    ),
    (re.compile(_B + r"(?:thang|thg)\s*(?P<n>\d{1,2})" + _YEAR_SUFFIX + _NUM_END), _h_month),
    (re.compile(_B + r"t(?P<n>\d{1,2})" + _YEAR_SUFFIX + _NUM_END), _h_t_month),
    (
        re.compile(
            _B + r"(?:qu[yi]\s*(?P<n>\d{1,2}|iv|iii|ii|i)|q(?P<qn>\d))" + _YEAR_SUFFIX + _NUM_END
        ),
        _h_quarter,
    ),
    (
        re.compile(
            _B + r"(?:(?:6|06|sau)\s*thang|nua)\s+(?P<part>dau|cuoi)\s+nam" + _NAM_TAIL + _NUM_END
        ),
        _h_half,
    ),
    (
        re.compile(
            _B
            + r"0?6\s*thang"
            + _NOT_AFTER_MONTHS
            + r"(?:\s*,?\s*nam"
            + _NAM_TAIL
            + r")?"
            + _NUM_END
        ),
        _h_half,
    ),
    (
        re.compile(
            _B
            + r"(?:9|09|chin)\s*thang(?:\s+dau)?"
            + _NOT_AFTER_MONTHS
            + r"(?:\s*,?\s*nam"
            + _NAM_TAIL
            + r")?"
            + _NUM_END
        ),
        _h_nine,
    ),
    (re.compile(_B + r"(?<!viet\s)(?:ca\s+)?nam\s*(?P<y>\d{4})" + _NUM_END), _h_year),
    (re.compile(_B + r"ca\s+nam" + _E), _h_year),
    (
        re.compile(
            _B
            + r"ngay\s*(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})"
            + r"(?:\s*[/\-.]\s*(?P<y>\d{4})|[/\-.](?P<yy>\d{2}))?"
            + _NUM_END
        ),
        _h_day,
    ),
    (
        re.compile(
            _B
            + r"ngay\s*(?P<d>\d{1,2})\s+thang\s*(?P<m>\d{1,2})"
            + r"(?:\s*,?\s*nam\s*(?P<y>\d{4}))?"
            + _NUM_END
        ),
        _h_day,
    ),
    (
        re.compile(_B + r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})" + _NUM_END),
        _h_day,
    ),
]


def _as_date(today: date) -> date:
    return today.date() if isinstance(today, datetime) else today


def find_periods(text: str, today: date) -> list[PeriodMention]:
    """Every period phrase in ``text``, in order of appearance, without overlaps.

    Where phrases overlap the longest wins ("tháng 10 năm 2025" rather than
    "năm 2025"). Spans index ``nfc(text)``.
    """
    return [mention for mention, _invalid in _scan(text, today) if mention.period is not None]


def find_invalid_periods(text: str, today: date) -> list[tuple[tuple[int, int], str]]:
    """Phrases written as a period that name none ("quý 5", "tháng 13", "ngày 31/2",
    "năm 1800"): (span in ``nfc(text)``, the phrase as written), in order of appearance.
    Phrases that are not periods by design ("T5" for Thursday, "trong 6 tháng") are not
    invalid."""
    return [(m.span, m.text) for m, invalid in _scan(text, today) if invalid]


def _scan(text: str, today: date) -> list[tuple[PeriodMention, bool]]:
    """Every period phrase without overlaps, with whether it is invalid; a phrase that
    is no period (by design, or invalid) carries ``period`` None."""
    if not isinstance(text, str) or not text:
        return []
    today = _as_date(today)
    composed = nfc(text)
    folded = plain(text)
    orig = composed.lower() if len(composed.lower()) == len(composed) else folded
    candidates: list[tuple[int, int, Period | None, bool]] = []
    for pattern, handler in _PATTERNS:
        for m in pattern.finditer(folded):
            invalid = False
            try:
                period = handler(m, today, orig)
            except (ValueError, OverflowError):  # _Invalid, or a date that does not exist
                period, invalid = None, True
            candidates.append((m.start(), m.end(), period, invalid))
    # Longest first, then leftmost; recognised-but-invalid phrases still take their span.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, Period | None, bool]] = []
    for start, end, period, invalid in candidates:
        if all(end <= s or start >= e for s, e, _, _ in taken):
            taken.append((start, end, period, invalid))
    taken.sort(key=lambda c: c[0])
    return [
        (PeriodMention(period, (start, end), composed[start:end]), invalid)  # type: ignore[arg-type]
        for start, end, period, invalid in taken
    ]


_THIS_PERIOD = re.compile(r"(?:tuan|thang|quy|qui|nam)\s+nay")


def written_as_current(text: str) -> bool:
    """Whether a period phrase names the period relative to today as the current one
    ("tháng này", "thang nay", "quý này"), not by its number ("tháng 12", "quý 4"): a
    question about "tháng này" asks how things stand now."""
    return _THIS_PERIOD.fullmatch(" ".join(plain(text).split())) is not None


def parse_period(text: str, today: date) -> Period | None:
    """The first period phrase in ``text``, or None."""
    mentions = find_periods(text, today)
    return mentions[0].period if mentions else None
