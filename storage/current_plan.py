"""Which plan is current: the plan of today's year (local time), unless the office chose
another.

Plans of several years are kept side by side (a 2027 plan is often imported in December
2026). Reading messages, answering questions, ``/kehoach`` and ``/nhiemvu`` use the
current plan only, so "nv 2.1" names one task. :func:`pick` decides (pure):

1. the plan the office chose with ``/kehoach``, for the rest of the year it was chosen in
   (in January the plan of the new year takes over again);
2. else the plan of today's year (the newest one imported, if there are several);
3. else the plan of the latest earlier year (last year's plan still being finished);
4. else the plan of the nearest later year (only next year's plan was imported);
5. else the newest plan without a year.

A report about a past period reads the plan of that period's year instead, when one is
imported (:func:`plan_for_year`: the third quarter of 2025 drafted in January 2026 is
about the 2025 plan, not the 2026 plan then in use).

The office's choice is stored in ``meta`` under :data:`CHOICE_KEY` as
``{"plan": id, "year": the year it was chosen in}``; whoever changes it also marks the
reference data changed (:func:`bot.services.reference.changed`).

It lives in storage because it reads nothing but the ``plans`` and ``meta`` tables and
both the services and the reminder schedule (``scheduling``, below the services) need it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Plan
from storage.queries import get_meta, set_meta

CHOICE_KEY = "current_plan"


@dataclass(frozen=True)
class PlanYear:
    id: int
    year: int | None


@dataclass(frozen=True)
class Choice:
    plan_id: int
    year: int  # the year it was chosen in: it holds until that year ends


def pick(plans: Sequence[PlanYear], choice: Choice | None, year: int) -> int | None:
    """The current plan among the imported ``plans`` in ``year`` (see the module's rules)."""
    if not plans:
        return None
    if choice is not None and choice.year == year and any(p.id == choice.plan_id for p in plans):
        return choice.plan_id
    dated = [(p.year, p.id) for p in plans if p.year is not None]
    this_year = [plan_id for plan_year, plan_id in dated if plan_year == year]
    if this_year:
        return max(this_year)
    earlier = [item for item in dated if item[0] < year]
    if earlier:
        return max(earlier)[1]  # the latest year, its newest plan
    later = [(plan_year, -plan_id) for plan_year, plan_id in dated if plan_year > year]
    if later:
        return -min(later)[1]  # the nearest year, its newest plan
    return max(p.id for p in plans)


def imported_plans(session: Session) -> list[PlanYear]:
    """Every imported (confirmed, active) plan with its year, oldest first."""
    rows = session.execute(
        select(Plan.id, Plan.year)
        .where(Plan.active.is_(True), Plan.draft.is_(False))
        .order_by(Plan.id)
    )
    return [PlanYear(plan_id, year) for plan_id, year in rows]


def read_choice(session: Session) -> Choice | None:
    raw = get_meta(session, CHOICE_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return Choice(int(data["plan"]), int(data["year"]))
    except (ValueError, KeyError, TypeError):
        return None


def write_choice(session: Session, choice: Choice | None) -> None:
    """Store the office's choice (None: back to the plan of the year). The caller marks
    the reference data changed in the same transaction."""
    value = "" if choice is None else json.dumps({"plan": choice.plan_id, "year": choice.year})
    set_meta(session, CHOICE_KEY, value)


def current_plan_id(session: Session, today: date) -> int | None:
    """The id of the current plan on ``today`` (local date), None when none is imported."""
    return pick(imported_plans(session), read_choice(session), today.year)


def pick_for_year(
    plans: Sequence[PlanYear], choice: Choice | None, year: int, this_year: int
) -> int | None:
    """The plan a report about a period of ``year`` reads, in ``this_year``: the plan in
    use when it is of that year (or no plan of that year is imported), else the plan of
    that year (the one the office chose in that year, else the newest)."""
    in_use = pick(plans, choice, this_year)
    of_year = [p for p in plans if p.year == year]
    if not of_year or any(p.id == in_use for p in of_year):
        return in_use
    return pick(of_year, choice, year)


def plan_for_year(session: Session, year: int, today: date) -> int | None:
    """The id of the plan a report about a period of ``year`` reads on ``today`` (local
    date): see :func:`pick_for_year`."""
    return pick_for_year(imported_plans(session), read_choice(session), year, today.year)
