"""Working days in Vietnam: weekends, public holidays (Tết included), make-up days.

Public holidays and the Saturdays worked in exchange for a bridge day come from the
``holidays`` package's calendar for VN; the office adds its own days off and make-up
working days (``dondoc calendar add``), which win over both. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays


class WorkCalendar:
    def __init__(
        self,
        days_off: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ) -> None:
        self._country = holidays.country_holidays("VN")
        self._named: dict[str, holidays.HolidayBase] = {}  # language → the same, named in it
        self._days_off = frozenset(days_off)
        self._workdays = frozenset(workdays)

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        if day in self._days_off:
            return False
        if day in self._country:  # loads the day's year on first use
            return False
        if day.weekday() >= 5:
            return day in getattr(self._country, "weekend_workdays", ())
        return True

    def holiday_name(self, day: date, language: str = "vi") -> str | None:
        """The public holiday's name in ``language`` ("vi" or "en"), from the package's
        own translations ("Tết Nguyên Đán"); None on other days and on the office's days."""
        if day in self._days_off or day in self._workdays:
            return None
        named = self._named.get(language)
        if named is None:
            code = "vi" if language == "vi" else "en_US"
            named = self._named[language] = holidays.country_holidays("VN", language=code)
        return named.get(day)

    def on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day`` (before, if negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if reversed)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Whether a local time of day falls in the quiet hours (which may span midnight)."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def after_quiet_hours(local: datetime, start: time, end: time) -> datetime:
    """``local`` if it is outside the quiet hours, else the moment they end."""
    if not in_quiet_hours(local.timetz().replace(tzinfo=None), start, end):
        return local
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate
