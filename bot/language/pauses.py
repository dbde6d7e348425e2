"""What the words after ``/nhacviec`` ask for: the list, a pause, resuming, or where to.

- ``tạm dừng 3 ngày``, ``tam dung 1 tuan``, ``tạm dừng 2 tháng``, ``pause 2 weeks``,
  ``tạm dừng 5`` (days), ``tạm dừng một tuần``: a pause of that length, to the end of
  the day it reaches (``1 ngày`` on a Friday: no reminder before Sunday);
- ``tạm dừng đến 20/12``, ``tam dung toi ngay 20/12/2026``: a pause through that day (a
  day and month already past this year mean next year's);
- ``1 năm`` is read too, to be answered that it is longer than a pause may last;
- ``tiếp tục``, ``tiep tuc``, ``bật lại``, ``resume``: end the pause now;
- ``nhóm``, ``riêng``, ``cả hai`` (``group``, ``private``, ``both``): where reminders go;
- anything else: the list of coming reminders.

A pause lasts at most :data:`MAX_PAUSE_DAYS` days. Pure: today is an argument.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.checks import required
from bot.language.normalize import fold

MAX_PAUSE_DAYS = 90

_PAUSE_WORDS = (("tam", "dung"), ("tam", "ngung"), ("pause",))
_RESUME_WORDS = (("tiep", "tuc"), ("bat", "lai"), ("mo", "lai"), ("resume",))
_DESTINATIONS = {
    "nhom": "group",
    "group": "group",
    "rieng": "private",
    "private": "private",
    "ca": "both",
    "both": "both",
}
_UNITS = {
    "ngay": "day",
    "day": "day",
    "days": "day",
    "tuan": "week",
    "week": "week",
    "weeks": "week",
    "thang": "month",
    "month": "month",
    "months": "month",
    "nam": "year",
    "year": "year",
    "years": "year",
}
# Numbers spelt out; not "tư" or "sáu", which fold to "tu" (from) and "sau" (after).
_SMALL_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")


class Action(enum.StrEnum):
    LIST = "list"
    PAUSE = "pause"
    RESUME = "resume"
    DESTINATION = "destination"


class PauseProblem(enum.StrEnum):
    NO_LENGTH = "no_length"  # "tạm dừng" with no length or date read
    TOO_LONG = "too_long"  # past MAX_PAUSE_DAYS
    PAST = "past"  # "đến 01/12/2026" on 4/12/2026
    BAD_DATE = "bad_date"  # "đến 31/2"


@dataclass(frozen=True)
class ReminderRequest:
    action: Action
    destination: str | None = None  # "group", "private" or "both"
    last_day: date | None = None  # a pause: the last day without reminders
    amount: int | None = None  # … as asked: 2 …
    unit: str | None = None  # … "day", "week" or "month"; None for "đến <date>"
    problem: PauseProblem | None = None


def _starts(words: list[str], choices: tuple[tuple[str, ...], ...]) -> int:
    """How many words of ``words`` a choice takes at its start (0: none)."""
    for choice in choices:
        if tuple(words[: len(choice)]) == choice:
            return len(choice)
    return 0


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of(amount: int, unit: str, today: date) -> date:
    if unit in ("month", "year"):
        return add_months(today, amount * (12 if unit == "year" else 1))
    return today + timedelta(days=amount * (7 if unit == "week" else 1))


def _written_date(token: str, today: date) -> date | PauseProblem | None:
    """ "20/12" or "20/12/2026" as a date; None when the token is no date."""
    found = _DATE.match(token)
    if found is None:
        return None
    day, month = int(found[1]), int(found[2])
    if found[3]:
        years = [int(found[3]) + (2000 if len(found[3]) == 2 else 0)]
    else:
        years = [today.year, today.year + 1]
    for year in years:
        try:
            written = date(year, month, day)
        except ValueError:
            continue
        if written >= today or year == years[-1]:
            return written
    return PauseProblem.BAD_DATE


def _pause(words: list[str], today: date) -> ReminderRequest:
    for index, word in enumerate(words):
        written = _written_date(word, today)
        if isinstance(written, PauseProblem):
            return ReminderRequest(Action.PAUSE, problem=written)
        if written is not None:
            if written < today:
                return ReminderRequest(Action.PAUSE, last_day=written, problem=PauseProblem.PAST)
            return _checked(ReminderRequest(Action.PAUSE, last_day=written), today)
        if word.isdigit() or word in _SMALL_NUMBERS:
            amount = int(word) if word.isdigit() else _SMALL_NUMBERS[word]
            following = words[index + 1] if index + 1 < len(words) else "ngay"
            unit = _UNITS.get(following, "day")
            if amount < 1:
                break
            if amount > 999:  # no date to compute: far too long in any unit
                return ReminderRequest(
                    Action.PAUSE, amount=amount, unit=unit, problem=PauseProblem.TOO_LONG
                )
            last = _end_of(amount, unit, today)
            return _checked(
                ReminderRequest(Action.PAUSE, last_day=last, amount=amount, unit=unit), today
            )
    return ReminderRequest(Action.PAUSE, problem=PauseProblem.NO_LENGTH)


def _checked(request: ReminderRequest, today: date) -> ReminderRequest:
    last_day = required(request.last_day, "the pause's last day")
    if last_day > today + timedelta(days=MAX_PAUSE_DAYS):
        return ReminderRequest(
            Action.PAUSE,
            last_day=last_day,
            amount=request.amount,
            unit=request.unit,
            problem=PauseProblem.TOO_LONG,
        )
    return request


def read_reminder_request(text: str, today: date) -> ReminderRequest:
    """What ``/nhacviec <text>`` asks for, read on ``today`` (local date)."""
    words = fold(text).split()
    if taken := _starts(words, _PAUSE_WORDS):
        return _pause(words[taken:], today)
    if _starts(words, _RESUME_WORDS):
        return ReminderRequest(Action.RESUME)
    choice = _DESTINATIONS.get(words[0]) if words else None
    if choice is not None:
        return ReminderRequest(Action.DESTINATION, destination=choice)
    return ReminderRequest(Action.LIST)
