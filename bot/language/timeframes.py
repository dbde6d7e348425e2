"""Timeframes as plan documents write them ("Quý I", "Thường xuyên", "Hàng quý/năm").

Pure module: no I/O and no clock. ``parse_timeframe(text, plan_year)`` reads the
"thời gian thực hiện" cell of a plan's task and returns a ``Timeframe``:

* ``DUE``: one deadline (``due``), and ``start`` when a span is written
  ("Tháng 3 đến tháng 8 năm 2024" → 2024-03-01..2024-08-31). A month, quarter, half
  year ("6 tháng đầu năm"), nine months or year ("Năm 2027", "2027" alone) is due on
  its last day; a date is due on that day ("trước ngày 10/9/2026" → 2026-09-10);
  "trước tháng 6" (before June) is due on the day before the period starts. "Đầu năm"
  is read as the end of the first quarter, "đầu quý II" as the end of its first month
  and "giữa năm" as 30 June; a part of a month by its days: "tuần đầu (tiên của) tháng
  4" the 7th, "tuần thứ 2" the 14th, "đầu tháng"/"thượng tuần" the 10th, "giữa tháng"
  the 15th, "trung tuần" the 20th, "cuối tháng"/"hạ tuần" its last day.
* ``CONTINUOUS``: ongoing work, progress reported each period ("Thường xuyên",
  "liên tục", "hằng ngày"). A written year is context only ("Thường xuyên trong năm
  2024": ``due`` stays None). "Từ tháng 3/2025" (a start and no end) is continuous
  with that ``start``.
* ``RECURRING``: one deliverable per period, with the ``cadences`` written ("Hàng
  quý/năm" → quarter, year). "Định kỳ" with no readable cadence ("Định kỳ theo quy
  định") is recurring with no cadences.
* ``ON_DEMAND``: no date until someone sets one ("Khi có yêu cầu", "Theo kế hoạch",
  "Theo lộ trình …", "Theo chỉ đạo …", "Kịp thời", "Đột xuất"), or a time counted from
  an event ("Trong vòng 05 ngày làm việc kể từ ngày có quyết định", "Trong 05 ngày làm
  việc").
* ``UNKNOWN``: empty or unreadable text, or a deadline whose year is neither written
  nor given as ``plan_year``.

Precedence when a cell mixes several of these, first match wins:

1. an explicit calendar date ("30/6/2025", "ngày 15 tháng 12") → DUE, unless a
   recurrence marker (2.) names a cadence shorter than the year ("hằng quý … và báo cáo
   năm trước ngày 15/12": RECURRING; "Hằng năm, trước ngày 15/12": DUE); dates that
   are the issuance date of a cited document ("Kế hoạch số 12/KH-UBND ngày
   30/01/2024") are ignored; dates listed (not a span) a month or a quarter apart,
   three or more, or half a year apart in one year ("Trước 15/3, 15/6, 15/9, 15/12") →
   RECURRING;
2. a recurrence marker ("hàng/hằng/mỗi/định kỳ" + cadence, "3 tháng/lần",
   "2 lần/năm", "bán niên", "báo cáo tháng, quý", reports labelled by a period shorter
   than the year ("Quý: trước ngày 18 …; năm: …"), a list of three or more quarters, of
   quarters and the year, or of quarters after "báo cáo"; months listed a quarter or a
   month apart, three or more, or half a year apart: "Tháng 3, 6, 9, 12", "tháng 6 và
   tháng 12"; "Năm 2026 và các năm tiếp theo": yearly; a day named by its place in
   every quarter, "trước ngày 15 tháng cuối quý", "từng quý": quarterly) → RECURRING
   ("Quý I, II" alone is a span, Q1..Q2; "tháng cuối quý II" a date);
3. a month ("Tháng 3/2027", "T3/2027", "03/2027"), quarter, half, nine months,
   "đầu/giữa năm", or a span of these → DUE;
4. a continuous marker → CONTINUOUS;
5. an on-demand marker (any "theo …" except "theo dõi", "tiếp theo", "khi …", "yêu
   cầu", …, "N ngày kể từ/sau/trước …") → ON_DEMAND;
6. a year alone ("Năm 2025", "Trong năm 2025", "Cả năm", "Trong năm") → DUE on
   31 December;
7. otherwise UNKNOWN.

Several dates or periods in one cell make a span: ``start`` is the earliest start and
``due`` the latest end. A period without a year takes the year written next to it in
the same cell (after it, else before it), else ``plan_year``. Matching runs on
``plain(text)``, so missing, decomposed or OCR-damaged diacritics do not matter.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.language.normalize import plain
from bot.language.periods import Period

__all__ = ["Cadence", "Timeframe", "TimeframeKind", "parse_timeframe"]


class TimeframeKind(StrEnum):
    DUE = "due"
    CONTINUOUS = "continuous"
    RECURRING = "recurring"
    ON_DEMAND = "on_demand"
    UNKNOWN = "unknown"


class Cadence(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


_CADENCE_ORDER = list(Cadence)


@dataclass(frozen=True)
class Timeframe:
    """A parsed timeframe; ``text`` is the original cell text."""

    text: str
    kind: TimeframeKind
    due: date | None = None
    start: date | None = None
    cadences: tuple[Cadence, ...] = ()

    @property
    def schedule(self) -> tuple[object, ...]:
        """What the timeframe schedules (kind, due, start, cadences), its words aside: a
        letter misread in them ("yêu câu") changes no reminder."""
        return (self.kind, self.due, self.start, self.cadences)

    @property
    def recurrence(self) -> str | None:
        """The cadences for storage, small to large ("month,quarter"), or None."""
        if not self.cadences:
            return None
        return ",".join(cadence.value for cadence in self.cadences)


# ---------------------------------------------------------------------------------------
# Dates and periods written in the cell
# ---------------------------------------------------------------------------------------

_B = r"(?<!\w)"
_E = r"(?!\w)"
_NUM_END = r"(?!\w|[/.,\-]\d)"
_YEAR4 = r"(?:19|20|21)\d{2}"
_YEAR_SUFFIX = (
    rf"(?:\s*[/\-.]\s*(?P<y>{_YEAR4})"
    rf"|\s*,?\s*nam\s*(?P<y2>{_YEAR4})"
    rf"|\s+(?P<y3>{_YEAR4}))?"
)
_NAM_TAIL = rf"(?:\s*[/\-.]?\s*(?P<y>{_YEAR4}))?"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Q = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_Q_TOKEN = re.compile(r"iv|iii|ii|i|[1-4]")
_Q_SEP = r"\s*(?:,|;|-|–|—|&|\+|va|den|toi)?\s*"
_QUARTER_LIST = rf"quy\s*(?P<list>{_Q}(?:{_Q_SEP}(?:quy\s*)?{_Q})+)"

# Months per occurrence of the words used with "N ... /lần" and "N lần/...".
_UNIT_MONTHS = {"tuan": 0.25, "thang": 1.0, "quy": 3.0, "nam": 12.0}
_SMALL_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6}

_Build = Callable[[int], tuple[date, date]]


@dataclass(frozen=True)
class _Comp:
    start: int  # span in plain(text)
    end: int
    cls: str  # "date", "period" or "year"
    year: int | None  # the year written with it
    build: _Build | None  # year -> (first day, last day); None: recognised but invalid
    is_span: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _written_year(m: re.Match[str]) -> int | None:
    groups = m.groupdict()
    for name in ("y", "y2", "y3"):
        if groups.get(name):
            return int(groups[name])
    if groups.get("yy"):
        return 2000 + int(groups["yy"])
    return None


def _quarter(token: str) -> int:
    return _ROMAN.get(token) or int(token)


def _c_date(m: re.Match[str]) -> _Comp:
    day, month = int(m["d"]), int(m["m"])
    build: _Build | None = None
    if 1 <= month <= 12 and 1 <= day <= 31:

        def build(year: int) -> tuple[date, date]:
            # "31/6" and "29/2" in a common year are typos for the month's last day.
            the_day = date(year, month, min(day, calendar.monthrange(year, month)[1]))
            return the_day, the_day

    return _Comp(m.start(), m.end(), "date", _written_year(m), build)


def _c_month(m: re.Match[str]) -> _Comp:
    month = int(m["a"])
    build: _Build | None = None
    if 1 <= month <= 12:

        def build(year: int) -> tuple[date, date]:
            return date(year, month, 1), _month_end(year, month)

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


# A part of a month ("tuần đầu tiên của tháng 4", "giữa tháng 5", "hạ tuần tháng 6"):
# (first day, last day) of the part in a month of ``last`` days. "Đầu"/"thượng tuần" is
# its first ten days, "giữa" to the 15th, "trung tuần" the middle ten, "cuối"/"hạ tuần"
# from the 21st; a week by its number counts seven days from the 1st, the last week the
# month's last seven.
_WEEK_NUMBER = {"dau": 1, "dau tien": 1, "nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4}


def _month_part(part: str, last: int) -> tuple[int, int]:
    part = re.sub(r"\s+", " ", part)
    if part.startswith("tuan"):
        word = re.sub(r"^tuan\s*(?:thu\s*)?", "", part)
        if word.startswith("cuoi"):
            return last - 6, last
        week = int(word) if word.isdigit() else _WEEK_NUMBER[word]
        return 7 * week - 6, min(7 * week, last)
    return {
        "dau": (1, 10),
        "thuong tuan": (1, 10),
        "nua dau": (1, 15),
        "giua": (11, 15),
        "trung tuan": (11, 20),
        "nua cuoi": (16, last),
        "cuoi": (21, last),
        "ha tuan": (21, last),
    }[part]


def _c_month_part(m: re.Match[str]) -> _Comp:
    month = int(m["a"])
    build: _Build | None = None
    if 1 <= month <= 12:

        def build(year: int) -> tuple[date, date]:
            first, last = _month_part(m["part"], calendar.monthrange(year, month)[1])
            return date(year, month, first), date(year, month, last)

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


def _c_month_range(m: re.Match[str]) -> _Comp:
    first, last = int(m["a"]), int(m["b"])
    build: _Build | None = None
    if 1 <= first <= 12 and 1 <= last <= 12:

        def build(year: int) -> tuple[date, date]:
            first_year = year if first <= last else year - 1
            return date(first_year, first, 1), _month_end(year, last)

    return _Comp(m.start(), m.end(), "period", _written_year(m), build, is_span=True)


def _c_quarter(m: re.Match[str]) -> _Comp:
    quarter = _quarter(m["q"] or m["q2"])
    early = bool(m["early"])  # "đầu quý II": its first month

    def build(year: int) -> tuple[date, date]:
        period = Period.quarter(year, quarter)
        if early:
            return period.start, _month_end(year, period.start.month)
        return period.start, period.end

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


def _c_quarter_list(m: re.Match[str]) -> _Comp:
    quarters = [_quarter(token) for token in _Q_TOKEN.findall(m["list"])]
    first, last = min(quarters), max(quarters)

    def build(year: int) -> tuple[date, date]:
        return Period.quarter(year, first).start, Period.quarter(year, last).end

    return _Comp(m.start(), m.end(), "period", _written_year(m), build, is_span=True)


def _c_half(m: re.Match[str]) -> _Comp:
    half = 2 if m["part"] == "cuoi" else 1

    def build(year: int) -> tuple[date, date]:
        period = Period.half(year, half)
        return period.start, period.end

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


def _c_nine(m: re.Match[str]) -> _Comp:
    def build(year: int) -> tuple[date, date]:
        return date(year, 1, 1), date(year, 9, 30)

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


def _c_part_of_year(m: re.Match[str]) -> _Comp:
    last_month = 3 if m["w"] == "dau" else 6

    def build(year: int) -> tuple[date, date]:
        return date(year, 1, 1), _month_end(year, last_month)

    return _Comp(m.start(), m.end(), "period", _written_year(m), build)


def _c_year(m: re.Match[str]) -> _Comp:
    def build(year: int) -> tuple[date, date]:
        return date(year, 1, 1), date(year, 12, 31)

    return _Comp(m.start(), m.end(), "year", _written_year(m), build)


def _c_year_range(m: re.Match[str]) -> _Comp:
    first, last = sorted((int(m["a"]), int(m["b"])))

    def build(_year: int) -> tuple[date, date]:
        return date(first, 1, 1), date(last, 12, 31)

    return _Comp(m.start(), m.end(), "year", last, build, is_span=True)


# "6 tháng", "9 tháng" that are durations or frequencies.
_NOT_AFTER_MONTHS = r"(?!\s*(?:/|mot\s+lan|1\s+lan|lan\b|truoc|qua\b|toi\b|sau\b|nua\b|\d))"

_COMPONENTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], _Comp]]] = [
    (
        re.compile(
            _B
            + r"(?<!thang\s)(?<!thang)(?<!thg\s)(?<!quy\s)(?:ngay\s*)?"
            + r"(?P<d>\d{1,2})\s*[/\-]\s*(?P<m>\d{1,2})"
            + rf"(?:\s*[/\-]\s*(?P<y>{_YEAR4})|[/\-](?P<yy>\d{{2}}))?"
            + _NUM_END
        ),
        _c_date,
    ),
    (
        re.compile(
            _B + rf"(?:ngay\s*)?(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>{_YEAR4})" + _NUM_END
        ),
        _c_date,
    ),
    (
        re.compile(
            _B
            + r"ngay\s*(?P<d>\d{1,2})\s+thang\s*(?P<m>\d{1,2})"
            + rf"(?:\s*,?\s*nam\s*(?P<y>{_YEAR4}))?"
            + _NUM_END
        ),
        _c_date,
    ),
    (
        re.compile(
            _B
            + r"(?:thang|thg)\s*(?P<a>\d{1,2})\s*(?:den|toi|-|–|—|~)\s*(?:het\s+)?"
            + r"(?:thang\s*)?(?P<b>\d{1,2})"
            + _YEAR_SUFFIX
            + _NUM_END
        ),
        _c_month_range,
    ),
    (re.compile(_B + r"(?:thang|thg)\s*(?P<a>\d{1,2})" + _YEAR_SUFFIX + _NUM_END), _c_month),
    (
        re.compile(
            _B
            + r"(?P<part>tuan\s*(?:thu\s*)?(?:dau(?:\s*tien)?|nhat|mot|hai|ba|tu|bon|[1-4]|cuoi)"
            + r"|dau|giua|cuoi|nua\s*(?:dau|cuoi)|(?:thuong|trung|ha)\s*tuan)"
            + r"\s+(?:cua\s+|trong\s+)?(?:thang|thg)\s*(?P<a>\d{1,2})"
            + _YEAR_SUFFIX
            + _NUM_END
        ),
        _c_month_part,
    ),
    (
        re.compile(_B + rf"t(?P<a>\d{{1,2}})\s*[/\-.]\s*(?P<y>{_YEAR4})" + _NUM_END),
        _c_month,
    ),
    (  # "03/2027": a month and its year (an Excel date shown as month/year); not a
        # document's "01/2023/TT-VPCP"
        re.compile(
            r"(?<![\w/.\-])(?P<a>\d{1,2})\s*[/\-]\s*"
            + rf"(?P<y>{_YEAR4})(?!\s*[/\-]\s*[^\W\d])"
            + _NUM_END
        ),
        _c_month,
    ),
    (re.compile(_B + _QUARTER_LIST + _YEAR_SUFFIX + _NUM_END), _c_quarter_list),
    (
        re.compile(
            _B
            + rf"(?:(?P<early>dau\s+)?quy\s*(?P<q>{_Q})|q(?P<q2>[1-4]))"
            + _YEAR_SUFFIX
            + _NUM_END
        ),
        _c_quarter,
    ),
    (
        re.compile(
            _B + r"(?:(?:0?6|sau)\s*thang|nua)\s+(?P<part>dau|cuoi)\s+nam" + _NAM_TAIL + _NUM_END
        ),
        _c_half,
    ),
    (
        re.compile(
            _B
            + r"(?:0?9|chin)\s*thang(?:\s+dau)?"
            + _NOT_AFTER_MONTHS
            + r"(?:\s*,?\s*nam"
            + _NAM_TAIL
            + r")?"
            + _NUM_END
        ),
        _c_nine,
    ),
    (re.compile(_B + r"(?P<w>dau|giua)\s+nam" + _NAM_TAIL + _NUM_END), _c_part_of_year),
    (
        re.compile(
            _B
            + rf"(?:nam|giai\s*doan)\s*(?P<a>{_YEAR4})\s*(?:-|–|—|den|toi)\s*"
            + rf"(?:nam\s*)?(?P<b>{_YEAR4})"
            + _NUM_END
        ),
        _c_year_range,
    ),
    (
        re.compile(
            _B + rf"(?<!viet\s)(?:(?:trong|ca|het|suot|cuoi)\s+)?nam\s*(?P<y>{_YEAR4})" + _NUM_END
        ),
        _c_year,
    ),
    (re.compile(_B + r"(?:trong|ca|het|suot|cuoi)\s+nam(?!\s*\d)" + _E), _c_year),
    (re.compile(rf"^\W*(?P<y>{_YEAR4})\W*$"), _c_year),  # a cell holding a year alone
]


def _components(folded: str) -> list[_Comp]:
    """Dates and periods in ``folded``: longest first, without overlaps, by position."""
    candidates = [build(m) for pattern, build in _COMPONENTS for m in pattern.finditer(folded)]
    candidates.sort(key=lambda c: (c.start - c.end, c.start))
    taken: list[_Comp] = []
    for comp in candidates:
        if all(comp.end <= t.start or comp.start >= t.end for t in taken):
            taken.append(comp)
    return sorted((c for c in taken if c.build is not None), key=lambda c: c.start)


_DOC_NUMBER = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z][a-z\-&]*")
_DEADLINE_WORD = re.compile(r"truoc|han|cham|den|toi|tu(?!\w)|hoan\s*thanh|xong|trong")


def _is_issuance_date(folded: str, comp: _Comp) -> bool:
    """Whether a date is the issuance date of a cited document, not a deadline."""
    window = folded[max(0, comp.start - 60) : comp.start]
    refs = [m.end() for m in _DOC_NUMBER.finditer(window)]
    if not refs:
        return False
    between = window[max(refs) :]
    return len(between) <= 40 and _DEADLINE_WORD.search(between) is None


def _resolve(comp: _Comp, comps: list[_Comp], plan_year: int | None) -> tuple[date, date] | None:
    """(first day, last day) of ``comp``; None if its year is unknown."""
    if comp.build is None:
        return None
    year = comp.year
    if year is None:
        i = comps.index(comp)
        after = next((c for c in comps[i + 1 :] if c.year is not None), None)
        before = next((c for c in reversed(comps[:i]) if c.year is not None), None)
        try:
            if after is not None and after.year is not None and after.build is not None:
                year = after.year
                # "Tháng 12 đến tháng 2/2025": December of the year before.
                if after.cls != "year" and comp.build(year)[0] > after.build(year)[0]:
                    year -= 1
            elif before is not None and before.year is not None and before.build is not None:
                year = before.year
                if before.cls != "year" and comp.build(year)[0] < before.build(year)[0]:
                    year += 1
            elif plan_year is not None:
                year = plan_year
            else:
                return None
        except (ValueError, OverflowError):
            return None
    try:
        return comp.build(year)
    except (ValueError, OverflowError):
        return None


_FROM = re.compile(r"(?:^|\W)(?:tu|bat\s*dau(?:\s*tu)?|ke\s*tu)\s*$")
_BEFORE = re.compile(r"(?:^|\W)truoc\s*$")


def _dated(
    text: str, folded: str, chosen: list[_Comp], comps: list[_Comp], plan_year: int | None
) -> Timeframe:
    """A DUE timeframe (or an open CONTINUOUS one) from the chosen components."""
    resolved = [_resolve(c, comps, plan_year) for c in chosen]
    spans = [span for span in resolved if span is not None]
    if len(spans) < len(resolved):
        return Timeframe(text, TimeframeKind.UNKNOWN)
    if len(chosen) > 1:
        return Timeframe(
            text,
            TimeframeKind.DUE,
            due=max(end for _, end in spans),
            start=min(start for start, _ in spans),
        )
    comp, (first, last) = chosen[0], spans[0]
    before = folded[: comp.start]
    if _FROM.search(before) and not comp.is_span:
        return Timeframe(text, TimeframeKind.CONTINUOUS, start=first)
    if comp.cls != "date" and not comp.is_span and _BEFORE.search(before):
        return Timeframe(text, TimeframeKind.DUE, due=first - timedelta(days=1))
    return Timeframe(text, TimeframeKind.DUE, due=last, start=first if comp.is_span else None)


# ---------------------------------------------------------------------------------------
# Recurrence, continuous and on-demand markers
# ---------------------------------------------------------------------------------------

_SEP = re.compile(r"(?:[\s,;/&+\-–—.()]|va(?![a-z])|hoac(?![a-z])|hay(?![a-z]))*")
_ITEM = re.compile(
    r"(?:"
    r"(?P<half>(?:0?6|sau)\s*thang(?!\s*(?:dau|cuoi|\d))|nua\s*nam|ban\s*nien)"
    r"|(?P<quarter>(?:0?3|ba)\s*thang(?!\s*\d)"
    r"|quy(?!\s*(?:iv|iii|ii|i|\d)(?![a-z]))"
    r"(?!\s+(?:dinh|trinh|che|mo|hoach|tac|chuan|pham|uoc|doi|vi|nay|truoc|sau|toi)(?![a-z])))"
    r"|(?P<year>12\s*thang|(?:ca\s+|cuoi\s+)?nam(?!\s*\d))"
    r"|(?P<nine>(?:0?9|chin)\s*thang)"
    r"|(?P<month>thang(?!\s*\d))"
    r"|(?P<week>tuan)"
    r"|(?P<day>ngay)"
    r"|(?P<marker>hang|moi|dinh\s*ky|thuong\s*ky)"
    r")(?![a-z0-9])"
)
_MARKER = re.compile(_B + r"(?P<w>hang|moi|dinh\s*ky|thuong\s*ky)" + _E)
_REPORT = re.compile(_B + r"bao\s*cao" + _E)
_NUMBER_WORD = r"(?P<n>\d{1,2}|mot|hai|ba|bon|sau)"
_PER_TIME = re.compile(
    _B + _NUMBER_WORD + r"?\s*(?P<unit>tuan|thang|quy|nam)\s*(?:/|mot|1)\s*lan" + _E
)
_TIMES_PER = re.compile(
    _B + _NUMBER_WORD + r"\s*lan\s*(?:/|moi|tren|trong|mot|1)\s*(?:1\s*|mot\s*)?"
    r"(?P<unit>tuan|thang|quy|nam)" + _E
)
_QUARTER_LIST_RE = re.compile(
    _B
    + _QUARTER_LIST
    + _YEAR_SUFFIX
    + r"(?P<year_item>\s*(?:,|;|&|va)?\s*(?:ca\s+|cuoi\s+)?nam(?!\s*\d)(?!\w))?"
)
_SEMI_ANNUAL = re.compile(_B + r"ban\s*nien" + _E)
# A day of a month named by its place in every quarter ("trước ngày 15 tháng cuối
# quý", "tháng đầu quý sau", "từng quý", "các quý trong năm"): once a quarter. A quarter
# of its own ("tháng cuối quý II") is a date, not this.
_EACH_QUARTER = re.compile(
    _B
    + r"(?:thang\s+(?:cuoi|dau|giua)\s+(?:cua\s+)?(?:moi\s+|tung\s+|cac\s+)?quy"
    + r"|(?:tung|cac)\s+quy)"
    + r"(?!\s*(?:iv|iii|ii|i|\d)(?![a-z]))"
    + _E
)
# A time counted from an event ("trong vòng 05 ngày làm việc kể từ ngày có quyết định",
# "chậm nhất 03 ngày trước ngày họp"): no date until the event, as on demand.
_RELATIVE = re.compile(
    _B
    + r"(?:(?:\d{1,3}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)\s*(?:ngay|tuan|thang)"
    + r"(?:\s*lam\s*viec)?\s*,?\s*(?:ke\s*tu|tinh\s*tu|sau|truoc)"
    # "Trong (vòng) 05 ngày làm việc": counted from the event that starts it
    + r"|trong\s*(?:vong\s*)?\d{1,3}\s*(?:ngay|tuan)(?:\s*lam\s*viec)?\s*$)"
    + _E
)
_CONTINUOUS = re.compile(
    _B
    + r"(?:thuong\s*xuyen|lien\s*tuc|hang\s*ngay|moi\s*ngay|quanh\s*nam|"
    + r"suot\s*(?:ca\s*)?nam|thuong\s*truc)"
    + _E
)
_ON_DEMAND = re.compile(
    _B
    + r"(?:(?<!tiep\s)theo(?!\s+(?:doi|do)(?!\w))|khi|yeu\s*cau|dot\s*xuat|kip\s*thoi|"
    + r"phat\s*sinh|"
    + r"chi\s*dao|tuy\s*tinh\s*hinh)"
    + _E
)
# A list of months ("tháng 3, 6, 9 và 12", "tháng 6/2026 và tháng 12/2026"): a deliverable in
# each, recurring when they fall a month, a quarter or half a year apart.
_MONTH_LIST = re.compile(
    _B
    + r"thang\s*\d{1,2}(?:\s*/\s*\d{4})?"
    + r"(?:\s*(?:,|;|va|-)\s*(?:thang\s*)?\d{1,2}(?!\s*/\s*\d{1,2}\s*/)(?:\s*/\s*\d{4})?)+"
    + r"(?!\d)"
)


def _months_cadence(months: list[int]) -> Cadence | None:
    """The cadence of months listed in order: three or more a month or a quarter apart,
    or two or more half a year apart ("tháng 6 và tháng 12"); None for others."""
    steps = {b - a for a, b in itertools.pairwise(months)}
    if len(steps) != 1 or not all(1 <= m <= 12 for m in months):
        return None
    (step,) = steps
    if step == 6 or (step in (1, 3) and len(months) >= 3):
        return _cadence_of_months(step)
    return None


_LIST_SEP = re.compile(r"\s*(?:,|;|va|&|\+)\s*(?:ngay\s*)?")


def _dates_cadence(
    folded: str, dates: list[_Comp], comps: list[_Comp], plan_year: int | None
) -> Cadence | None:
    """The cadence of dates listed one after another ("15/6 và 15/12", "15/3, 15/6, 15/9,
    15/12/2026": a deliverable by each, the months as ``_months_cadence`` reads them); None
    when the dates are fewer than two, a span ("từ 01/6 đến 31/12") or of other years."""
    if len(dates) < 2:
        return None
    for a, b in itertools.pairwise(dates):
        if not _LIST_SEP.fullmatch(folded, a.end, b.start):
            return None
    spans = [_resolve(c, comps, plan_year) for c in dates]
    if any(span is None for span in spans) or len({s[0].year for s in spans if s}) != 1:
        return None
    return _months_cadence([s[0].month for s in spans if s])


# Reports labelled by their period ("Quý: trước ngày 18 tháng cuối quý; năm: trước ngày
# 18/11"): recurring when a period shorter than the year is labelled.
_LABELLED = re.compile(
    r"(?:^|[;,.(]\s*)(?:bao\s*cao\s+)?"
    r"(?:(?P<half>(?:0?6|sau)\s*thang)|(?P<week>tuan)|(?P<month>thang)|(?P<quarter>quy)"
    r"|(?P<year>nam))\s*:"
)
_YEARS_AFTER = re.compile(_B + r"(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau|ke\s+tiep)" + _E)
_ITEM_CADENCE = {
    "half": Cadence.HALF,
    "quarter": Cadence.QUARTER,
    "year": Cadence.YEAR,
    "month": Cadence.MONTH,
    "week": Cadence.WEEK,
}


def _cadence_items(folded: str, pos: int) -> set[Cadence]:
    """The cadence words listed from ``pos`` on ("tuần, tháng, quý và năm")."""
    found: set[Cadence] = set()
    while True:
        m = _ITEM.match(folded, _SEP.match(folded, pos).end())
        if m is None or m.end() == pos:
            return found
        for name, cadence in _ITEM_CADENCE.items():
            if m[name]:
                found.add(cadence)
        pos = m.end()


def _cadence_of_months(months: float) -> Cadence:
    if months < 1:
        return Cadence.WEEK
    if months < 3:
        return Cadence.MONTH
    if months < 6:
        return Cadence.QUARTER
    if months < 12:
        return Cadence.HALF
    return Cadence.YEAR


def _count(word: str | None) -> int:
    if not word:
        return 1
    return _SMALL_NUMBERS.get(word) or max(1, int(word))


def _recurrence(folded: str) -> tuple[bool, set[Cadence]]:
    """Whether the cell is recurring, and the cadences it names."""
    recurring = False
    cadences: set[Cadence] = set()
    for m in _MARKER.finditer(folded):
        found = _cadence_items(folded, m.end())
        cadences |= found
        if found or m["w"] not in ("hang", "moi"):
            recurring = True
    for m in _REPORT.finditer(folded):
        found = _cadence_items(folded, m.end())
        cadences |= found
        recurring = recurring or bool(found)
    for m in _PER_TIME.finditer(folded):
        cadences.add(_cadence_of_months(_UNIT_MONTHS[m["unit"]] * _count(m["n"])))
        recurring = True
    for m in _TIMES_PER.finditer(folded):
        cadences.add(_cadence_of_months(_UNIT_MONTHS[m["unit"]] / _count(m["n"])))
        recurring = True
    for m in _MONTH_LIST.finditer(folded):  # "Tháng 3, 6, 9, 12": once a quarter
        listed = re.sub(r"/\s*\d{4}", "", m.group(0))  # the year a month is written with
        cadence = _months_cadence([int(x) for x in re.findall(r"\d{1,2}", listed)])
        if cadence is not None:
            cadences.add(cadence)
            recurring = True
    labelled = {
        cadence
        for m in _LABELLED.finditer(folded)
        for name, cadence in _ITEM_CADENCE.items()
        if m[name]
    }
    if labelled - {Cadence.YEAR}:
        cadences |= labelled
        recurring = True
    if _YEARS_AFTER.search(folded):  # "Năm 2026 và các năm tiếp theo": once a year
        cadences.add(Cadence.YEAR)
        recurring = True
    if _SEMI_ANNUAL.search(folded):
        cadences.add(Cadence.HALF)
        recurring = True
    if _EACH_QUARTER.search(folded):
        cadences.add(Cadence.QUARTER)
        recurring = True
    for m in _QUARTER_LIST_RE.finditer(folded):
        quarters = set(_Q_TOKEN.findall(m["list"]))
        reported = _REPORT.search(folded, 0, m.start()) is not None
        if len(quarters) >= 3 or m["year_item"] or reported:
            cadences.add(Cadence.QUARTER)
            if m["year_item"]:
                cadences.add(Cadence.YEAR)
            recurring = True
    return recurring, cadences


def parse_timeframe(text: str, plan_year: int | None) -> Timeframe:
    """Read a plan's timeframe cell; ``plan_year`` supplies a missing year."""
    original = text if isinstance(text, str) else ""
    folded = plain(original)
    if not re.search(r"[^\W_]", folded):
        return Timeframe(original, TimeframeKind.UNKNOWN)
    if plan_year is not None and not 1 <= plan_year <= 9998:
        plan_year = None
    comps = _components(folded)

    dates = [c for c in comps if c.cls == "date" and not _is_issuance_date(folded, c)]
    listed = _dates_cadence(folded, dates, comps, plan_year)
    if listed is not None:  # "Trước 15/3, 15/6, 15/9, 15/12": once a quarter
        return Timeframe(original, TimeframeKind.RECURRING, cadences=(listed,))
    recurring, cadences = _recurrence(folded)
    if dates and not (recurring and cadences - {Cadence.YEAR}):
        # (a date beats "hằng năm": due once in the plan's year)
        return _dated(original, folded, dates, comps, plan_year)

    if recurring:
        ordered = tuple(sorted(cadences, key=_CADENCE_ORDER.index))
        return Timeframe(original, TimeframeKind.RECURRING, cadences=ordered)

    periods = [c for c in comps if c.cls == "period"]
    if periods:
        return _dated(original, folded, periods, comps, plan_year)
    if _CONTINUOUS.search(folded):
        return Timeframe(original, TimeframeKind.CONTINUOUS)
    if _ON_DEMAND.search(folded) or _RELATIVE.search(folded):
        return Timeframe(original, TimeframeKind.ON_DEMAND)
    years = [c for c in comps if c.cls == "year"]
    if years:
        return _dated(original, folded, years, comps, plan_year)
    return Timeframe(original, TimeframeKind.UNKNOWN)
