"""Where a unit stands on a task at the end of a reporting window: the pure rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.periodic.model import Standing
from bot.services.periodic.standings import Reported, as_of, standing
from storage.models import TaskStatus

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
END = date(2025, 9, 14)  # the third quarter's window ends (cut-off on the 15th)


def _said(status: TaskStatus, since: datetime | None) -> Reported:
    return Reported(status, None, since, since or datetime(2025, 9, 1, tzinfo=UTC))


def _hanoi(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 9, day, hour, minute, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 9, 10), date(2025, 9, 10)),  # drafted inside the window: today
        (date(2025, 9, 14), date(2025, 9, 14)),
        (date(2025, 9, 15), date(2025, 9, 15)),  # closed: the day after its last day
        (date(2026, 1, 20), date(2025, 9, 15)),
    ],
)
def test_the_day_the_report_stands_at(today: date, expected: date) -> None:
    assert as_of(END, today) == expected


ON = as_of(END, date(2025, 9, 20))


@pytest.mark.parametrize(
    ("reported", "due", "expected"),
    [
        (_said(TaskStatus.DONE, _hanoi(10, 23, 59)), date(2025, 9, 10), (Standing.DONE, None)),
        (_said(TaskStatus.DONE, _hanoi(11, 0, 1)), date(2025, 9, 10), (Standing.LATE, 1)),
        (_said(TaskStatus.DONE, _hanoi(14, 9)), date(2025, 9, 10), (Standing.LATE, 4)),
        (_said(TaskStatus.DONE, None), date(2025, 9, 10), (Standing.DONE, None)),  # old rows
        (_said(TaskStatus.DONE, _hanoi(3, 9)), None, (Standing.DONE, None)),  # recurring
        (
            _said(TaskStatus.NOT_APPLICABLE, _hanoi(14, 9)),
            date(2025, 8, 1),
            (Standing.NOT_APPLICABLE, None),
        ),
        (_said(TaskStatus.IN_PROGRESS, _hanoi(3, 9)), date(2025, 9, 10), (Standing.OVERDUE, 5)),
        (_said(TaskStatus.DELAYED, _hanoi(3, 9)), date(2025, 9, 14), (Standing.OVERDUE, 1)),
        (None, date(2025, 9, 14), (Standing.OVERDUE, 1)),
        (
            _said(TaskStatus.NOT_STARTED, _hanoi(3, 9)),
            date(2025, 9, 15),
            (Standing.IN_PROGRESS, None),
        ),
        (None, date(2025, 9, 15), (Standing.NOT_REPORTED, None)),
        (_said(TaskStatus.IN_PROGRESS, _hanoi(3, 9)), None, (Standing.IN_PROGRESS, None)),
        (None, None, (Standing.NOT_REPORTED, None)),
    ],
)
def test_the_standing(reported: Reported | None, due: date | None, expected) -> None:
    assert standing(reported, due, ON, HANOI) == expected
