"""Words and figures shared by the periodic report's documents: a period named in full
("quý III năm 2025"), dates and numbers the Vietnamese way, an indicator's target and
value, and text made safe for a document (no control characters).

Pure functions; the connecting words go through the catalogue passed in as ``_``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.language.periods import Period, PeriodKind
from bot.views.plans import with_measure

ROMAN_QUARTERS = ("I", "II", "III", "IV")
COMPARATORS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
PLACES = Decimal("0.01")  # figures are shown to two decimals at most

# Characters XML 1.0 (and so a .docx or .xlsx) cannot hold: the C0 controls but tab,
# newline and carriage return, lone surrogates, and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def period_phrase(period: Period, _: Any) -> str:
    """The period as a report's subject names it: "quý III năm 2025", "6 tháng đầu năm
    2025", "9 tháng năm 2025", "năm 2025", "tháng 10 năm 2025"."""
    start, year = period.start, period.start.year
    match period.kind:
        case PeriodKind.MONTH:
            return _("month {month} of {year}").format(month=start.month, year=year)
        case PeriodKind.QUARTER:
            quarter = ROMAN_QUARTERS[(start.month - 1) // 3]
            return _("quarter {quarter} of {year}").format(quarter=quarter, year=year)
        case PeriodKind.HALF:
            if start.month == 1:
                return _("the first six months of {year}").format(year=year)
            return _("the last six months of {year}").format(year=year)
        case PeriodKind.NINE_MONTHS:
            return _("the nine months of {year}").format(year=year)
        case PeriodKind.YEAR:
            return _("the year {year}").format(year=year)
        case PeriodKind.WEEK:
            return _("the week from {start} to {end}").format(
                start=short_date(period.start), end=short_date(period.end)
            )
    return _("the day {date}").format(date=vn_date(start))


def vn_date(day: date) -> str:
    """15/06/2025."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def short_date(day: date) -> str:
    """15/6/2025: the window line's form ("Số liệu từ ngày 15/6/2025 …")."""
    return f"{day.day}/{day.month}/{day.year}"


def decree_date(day: date) -> tuple[str, str, str]:
    """Day, month and year as an administrative document writes them (Nghị định
    30/2020): a day below 10 and the months 1 and 2 take a leading zero ("05", "01"),
    the other months none ("9")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def figure(value: Decimal | int) -> str:
    """1234.5 → "1.234,5"; at most two decimals, rounded half up; no trailing zeros."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    number = Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)
    whole, _point, fraction = f"{number:f}".partition(".")
    text = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    if whole == "-0" and fraction:
        text = "-0"  # -0,5 keeps its sign
    return f"{text},{fraction}" if fraction else text


def measured(value: Decimal | int, measure: str) -> str:
    """A value with its measure: "85,5%", "12 hồ sơ", "12"."""
    return with_measure(figure(value), measure)


def target_text(comparator: str, target: Decimal | None, measure: str) -> str:
    """ "≥ 85%", or "" without a target."""
    if target is None:
        return ""
    return f"{COMPARATORS.get(comparator, comparator)} {measured(target, measure)}"


def ratio_text(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """ "1.234/1.500", or "" when either is missing."""
    if numerator is None or denominator is None:
        return ""
    return f"{figure(numerator)}/{figure(denominator)}"


def clean(text: str | None) -> str:
    """``text`` without the characters a document cannot hold."""
    return _NOT_XML.sub("", text or "")


def one_line(text: str | None) -> str:
    """``clean(text)`` on one line, runs of white space as one space."""
    return " ".join(clean(text).split())
