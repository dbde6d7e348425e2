"""Where one unit stands on one task at the end of a reporting window: the rule, without
the database (:mod:`bot.services.periodic.reading` finds what was reported).

The rule is :mod:`bot.services.progress`'s, read on the day the report stands at
(:func:`as_of`): the day after the window's last day once the window has closed, else
today. A report drafted on 20 September about the third quarter (window 15/6..14/9)
reads as the progress answers read on 15 September; one drafted on 10 September, as
they read that day.

- not applicable: the unit said so (whatever the deadline);
- done on time: the standing status is done and began (``current_status.since``) by the
  end of the deadline day, local time; a task without a deadline (continuous, recurring,
  on demand) done for the period is done;
- done late: done, but that began after the deadline; ``days_late`` counts the calendar
  days from the deadline to the local day it was done;
- overdue: due before the day the report stands at, and not done; ``days_late`` counts
  the days from the deadline to that day (as ``progress.overdue`` does on that day);
- in progress: not yet due (or without a deadline), and a status was reported;
- not reported: not yet due (or without a deadline), and nothing said.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.language.periods import local_midnight
from bot.services.periodic.model import Standing
from storage.models import TaskStatus


class Reported(NamedTuple):
    """The standing report of one unit on one task (for a periodic task: on its latest
    period inside the report's period), as it stood at the window's end. (A named tuple:
    a report of the whole country makes one for each of 170,000 assignments.)"""

    status: TaskStatus
    percent: int | None
    since: datetime | None  # when a finished status began (None: unknown, old rows)
    at: datetime  # when it was done (``since``), else when the standing report was sent


def as_of(window_end: date, today: date) -> date:
    """The day the report stands at the start of: the day after the window's last day
    once the window has closed, else today."""
    return min(today, window_end + timedelta(days=1))


@functools.lru_cache(maxsize=4096)
def standing(
    reported: Reported | None, due: date | None, on: date, tz: ZoneInfo
) -> tuple[Standing, int | None]:
    """The standing of a unit on a task due on ``due`` (None: no deadline) at the start of
    the day ``on`` (:func:`as_of`), and its days late (LATE and OVERDUE only)."""
    if reported is not None and reported.status is TaskStatus.NOT_APPLICABLE:
        return Standing.NOT_APPLICABLE, None
    if reported is not None and reported.status is TaskStatus.DONE:
        if due is None or reported.since is None:
            return Standing.DONE, None
        if reported.since < local_midnight(due + timedelta(days=1), tz):
            return Standing.DONE, None
        return Standing.LATE, (reported.since.astimezone(tz).date() - due).days
    if due is not None and due < on:
        return Standing.OVERDUE, (on - due).days
    if reported is not None:
        return Standing.IN_PROGRESS, None
    return Standing.NOT_REPORTED, None
