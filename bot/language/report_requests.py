"""What ``/xuat`` (and ``dondoc report --period``) asks for: a reporting period, perhaps a
unit, read from what the person typed.

Pure module: no I/O and no clock; ``today`` is an argument.

- The period is the first period phrase (:func:`bot.language.periods.find_periods`):
  "quý 3", "tháng 10", "6 tháng", "9 tháng", "năm 2025", "quy III/2025". Only the kinds a
  periodic report is made for count (:data:`REPORT_KINDS`); a day or a week is refused.
- Nothing written: the reporting period that has **just closed**
  (:func:`closed_period`): the quarter whose reporting window ended most recently, and
  the year instead of its fourth quarter (the regime reports "quý I, II, III, cả năm").
- What is left once the period's words are taken out is the unit's name ("quý 3 xã Sơn
  Dương"), for the caller to match.
- A period whose reporting window begins after ``today`` is in the future: refused, as
  is a phrase written as a period that names none ("quý 5"). A period whose window is
  still open is allowed (``closed`` False: the caller says the figures run to today).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from bot.language.normalize import nfc
from bot.language.periods import (
    Period,
    PeriodKind,
    find_invalid_periods,
    find_periods,
    reporting_period,
)

REPORT_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)
# What carries nothing around the period and the unit ("báo cáo quý 3, xã …"). Short
# words like "của", "cho", "kỳ" stay: without diacritics they begin names ("Cửa Lò",
# "Chợ Mới", "Kỳ Sơn"), and the unit matcher weighs them.
_FILLER = re.compile(r"(?i)^(?:\s|[,;:.\-–]|bao cao(?!\w)|báo cáo(?!\w))+|(?:\s|[,;:.\-–])+$")


class Trouble(enum.StrEnum):
    """Why a request names no report."""

    INVALID = "invalid"  # written as a period, names none ("quý 5", "tháng 13")
    NOT_A_REPORT_PERIOD = "not_a_report_period"  # a day or a week
    FUTURE = "future"  # starts after today


@dataclass(frozen=True)
class ReportRequest:
    period: Period | None  # None: see ``trouble``
    unit_text: str  # what is left: the unit's name as written, or ""
    trouble: Trouble | None = None
    written: str = ""  # the period as written (for the reply), "" when none was written
    closed: bool = True  # the period's reporting window has ended by ``today``


def closed_period(today: date, cutoff_day: int) -> Period:
    """The report whose window ended most recently before ``today``: a quarter, or the
    year for the fourth quarter."""
    current = reporting_period(today, PeriodKind.QUARTER, cutoff_day)
    last = current.previous()
    if last.start.month == 10:
        return Period.year(last.start.year)
    return last


def read_report_request(text: str, today: date, cutoff_day: int) -> ReportRequest:
    """The period and the unit's name in ``text`` (see the module's rules)."""
    text = nfc(text or "").strip()
    invalid = find_invalid_periods(text, today)
    if invalid:
        span, written = invalid[0]
        return ReportRequest(None, _rest(text, span), Trouble.INVALID, written)
    mentions = find_periods(text, today)
    if not mentions:
        period = closed_period(today, cutoff_day)
        return ReportRequest(period, _rest(text, None), closed=True)
    mention = mentions[0]
    rest = _rest(text, mention.span)
    period = mention.period
    if period.kind not in REPORT_KINDS:
        return ReportRequest(None, rest, Trouble.NOT_A_REPORT_PERIOD, mention.text)
    start, end = period.reporting_window(cutoff_day)
    if start > today:  # its window has not begun (January's begins on 15 December)
        return ReportRequest(None, rest, Trouble.FUTURE, mention.text)
    return ReportRequest(period, rest, written=mention.text, closed=end < today)


def _rest(text: str, span: tuple[int, int] | None) -> str:
    if span is not None:
        text = f"{text[: span[0]]} {text[span[1] :]}"
    previous = None
    while previous != text:
        previous, text = text, _FILLER.sub("", text)
    return " ".join(text.split())
