"""Which plan is in use (and which one a report about a past year reads), and when an
update withdraws "many" tasks: pure rules."""

from __future__ import annotations

import pytest

from bot.services.plans import WITHDRAWAL_ALARM
from storage.current_plan import Choice, PlanYear, pick, pick_for_year


@pytest.mark.parametrize(
    ("years", "choice", "year", "expected"),
    [
        ([], None, 2026, None),
        ([(1, 2026), (2, 2027)], None, 2026, 1),
        ([(1, 2026), (2, 2027)], None, 2027, 2),
        ([(1, 2026), (2, 2027)], Choice(2, 2026), 2026, 2),  # the office's choice
        ([(1, 2026), (2, 2027)], Choice(1, 2026), 2027, 2),  # lapses with its year
        ([(1, 2026), (2, 2027)], Choice(9, 2026), 2026, 1),  # a plan since removed
        ([(1, 2025)], None, 2026, 1),  # last year's plan, still being finished
        ([(1, 2024), (2, 2025), (3, 2028)], None, 2026, 2),  # the latest earlier year
        ([(3, 2028), (4, 2027)], None, 2026, 4),  # else the nearest later year
        ([(1, 2026), (5, 2026)], None, 2026, 5),  # two of the year: the newest
        ([(1, None), (2, None)], None, 2026, 2),
    ],
)
def test_pick(years, choice, year, expected) -> None:
    assert pick([PlanYear(i, y) for i, y in years], choice, year) == expected


@pytest.mark.parametrize(
    ("years", "choice", "year", "this_year", "expected"),
    [
        ([], None, 2025, 2026, None),
        ([(1, 2025), (2, 2026)], None, 2025, 2026, 1),  # Q3/2025 drafted in January 2026
        ([(1, 2025), (2, 2026)], None, 2026, 2026, 2),
        ([(1, 2025), (2, 2026)], None, 2026, 2025, 2),  # next year's, drafted ahead
        ([(2, 2026)], None, 2025, 2026, 2),  # no plan of that year: the plan in use
        ([(1, 2025), (3, 2025), (2, 2026)], Choice(1, 2025), 2025, 2026, 1),  # chosen then
        ([(1, 2025), (3, 2025), (2, 2026)], None, 2025, 2026, 3),  # else the newest
        ([(1, 2025), (3, 2025)], Choice(1, 2025), 2025, 2025, 1),  # the plan in use
    ],
)
def test_the_plan_of_a_periods_year(years, choice, year, this_year, expected) -> None:
    plans = [PlanYear(i, y) for i, y in years]
    assert pick_for_year(plans, choice, year, this_year) == expected


@pytest.mark.parametrize(
    ("withdrawn", "total", "raised"),
    [(3, 100, False), (4, 100, True), (2, 10, False), (3, 10, True), (1, 3, True), (0, 0, False)],
)
def test_the_withdrawal_threshold(withdrawn: int, total: int, raised: bool) -> None:
    assert WITHDRAWAL_ALARM.raised(withdrawn, total) is raised
