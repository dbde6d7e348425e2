"""What each role may see and act on: one table, checked by the services that read.

An official follows their own unit and the area's totals; the office, leaders and
admins follow every unit. The services that return a unit's detail, a list of units or
people's names call :func:`require` or :func:`may_see` with the person asking, so that
no command, button or question can show more than this table allows, whichever handler
calls them. ``docs/access.md`` prints the table for people.

======================  =========  ======  ======  =====
what                    official   office  leader  admin
======================  =========  ======  ======  =====
``UNIT`` a unit's        own unit   all     all     all
detail: its tasks and
statuses, figures,
reports, reminders
``AREA`` the area's      all        all     all     all
totals and indicators
``RANKING`` units by     none       all     all     all
name: who is behind,
late, silent; per-unit
figures; charts; the
full list
``NAMES`` who sent a     self       all     all     all
report (people's names)
``REMINDERS`` what is    own unit   all     own     all
coming (/nhacviec)
======================  =========  ======  ======  =====

What a role may *do* beyond reporting for its unit is :data:`ACTS`, checked with
:func:`may_do`: ``SETTLE``, keeping one of two reports that disagree (the office's
notice), is the office's and the admins'.
"""

from __future__ import annotations

import enum

from bot.services.identity import Actor
from storage.models import Role


class View(enum.StrEnum):
    UNIT = "unit"
    AREA = "area"
    RANKING = "ranking"
    NAMES = "names"
    REMINDERS = "reminders"


class Scope(enum.StrEnum):
    ALL = "all"
    OWN_UNIT = "own_unit"
    SELF = "self"
    NONE = "none"


_EVERYONE = {Role.OFFICE: Scope.ALL, Role.LEADER: Scope.ALL, Role.ADMIN: Scope.ALL}
TABLE: dict[View, dict[Role, Scope]] = {
    View.UNIT: {Role.OFFICIAL: Scope.OWN_UNIT, **_EVERYONE},
    View.AREA: {Role.OFFICIAL: Scope.ALL, **_EVERYONE},
    View.RANKING: {Role.OFFICIAL: Scope.NONE, **_EVERYONE},
    View.NAMES: {Role.OFFICIAL: Scope.SELF, **_EVERYONE},
    View.REMINDERS: {**_EVERYONE, Role.OFFICIAL: Scope.OWN_UNIT, Role.LEADER: Scope.OWN_UNIT},
}


class Act(enum.StrEnum):
    SETTLE = "settle"  # keep one of two reports that disagree
    CHASE = "chase"  # remind now the units missing figures, or late on tasks
    SET_DEADLINE = "set_deadline"  # set or move a task's deadline ("gia hạn nv 4.3")


ACTS: dict[Act, frozenset[Role]] = {
    Act.SETTLE: frozenset({Role.OFFICE, Role.ADMIN}),
    Act.CHASE: frozenset({Role.OFFICE, Role.ADMIN}),
    Act.SET_DEADLINE: frozenset({Role.OFFICE, Role.ADMIN}),
}


def may_do(actor: Actor, act: Act) -> bool:
    """Whether ``actor``'s role may do ``act``; nobody without a role may."""
    return actor.role is not None and actor.role in ACTS[act]


class NotAllowed(Exception):
    """The person may not see this; the view says so without naming what was asked."""

    def __init__(self, view: View, unit_id: int | None = None) -> None:
        super().__init__(f"{view} of unit {unit_id}")
        self.view = view
        self.unit_id = unit_id


def scope(actor: Actor, view: View) -> Scope:
    """The person's reach for ``view``; nobody without a role sees anything."""
    if actor.role is None:
        return Scope.NONE
    return TABLE[view].get(actor.role, Scope.NONE)


def staff() -> Actor:
    """Who reads for what the scheduler sends the office and leaders (digests, weekly
    overviews): a leader's view. It only reads; replies take the recipient's language."""
    return Actor(user_id=None, language="", role=Role.LEADER)


def office_reader() -> Actor:
    """Who reads for what only the office gets from the scheduler (the requests for more
    time in its Monday digest). It only reads."""
    return Actor(user_id=None, language="", role=Role.OFFICE)


def may_see(
    actor: Actor, view: View, unit_id: int | None = None, official_id: int | None = None
) -> bool:
    """Whether ``actor`` may see ``view`` for a unit (``UNIT``, ``REMINDERS``) or for a
    person (``NAMES``: ``official_id``)."""
    reach = scope(actor, view)
    if reach is Scope.ALL:
        return True
    if reach is Scope.OWN_UNIT:
        return unit_id is not None and unit_id == actor.unit_id
    if reach is Scope.SELF:
        return official_id is not None and official_id == actor.official_id
    return False


def require(actor: Actor, view: View, unit_id: int | None = None) -> None:
    if not may_see(actor, view, unit_id):
        raise NotAllowed(view, unit_id)


def reminder_unit(actor: Actor) -> int | None:
    """Whose reminders /nhacviec lists: None for everyone's, else the person's unit."""
    if scope(actor, View.REMINDERS) is Scope.ALL:
        return None
    require(actor, View.REMINDERS, actor.unit_id)
    return actor.unit_id
