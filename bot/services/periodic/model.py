"""What the periodic report upward holds: every fact the Word report and the workbook
show, read from the database for one reporting window and nothing else.

These are frozen values, built by :func:`bot.services.periodic.report_data` and read by
the document writers (``bot/views/documents/``). Names of units and people are as stored;
dates are local (the deployment's time zone); figures are ``Decimal`` as stored. Nothing
here is worded: the writers choose the words (through gettext) and the layout.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.language.periods import Period


class Standing(enum.StrEnum):
    """Where one unit stands on one task at the end of the window.

    A task due by the window's end is done on time, done late or overdue; a task due
    later (or without a deadline: continuous, recurring) is in progress when a status
    was reported, else not reported; not applicable is the unit's own answer."""

    DONE = "done"  # finished by its deadline
    LATE = "late"  # finished after its deadline
    OVERDUE = "overdue"  # past its deadline at the window's end, not finished
    IN_PROGRESS = "in_progress"  # not yet due (or no deadline), a status reported
    NOT_REPORTED = "not_reported"  # not yet due (or no deadline), nothing reported
    NOT_APPLICABLE = "not_applicable"  # the unit said the task does not apply to it


@dataclass(frozen=True)
class Said:
    """A note or reason a unit sent with a status in the window ("vướng do thiếu máy")."""

    unit: str
    at: datetime  # local time
    text: str


@dataclass(frozen=True)
class UnitStanding:
    """One unit on one task."""

    unit_id: int
    unit: str
    lead: bool  # the lead unit (else cooperating)
    standing: Standing
    percent: int | None  # the last percent reported, if any
    reported_at: datetime | None  # local time of the standing report, if any
    days_late: int | None  # LATE: days after the deadline; OVERDUE: days past it at the end
    said: tuple[Said, ...] = ()  # notes and reasons sent in the window, oldest first


@dataclass(frozen=True)
class TaskReport:
    code: str
    content: str
    lead_text: str | None  # the lead unit as the plan writes it ("UBND các xã, phường")
    timeframe_text: str | None  # as the plan writes it
    due: date | None
    product: str | None
    units: tuple[UnitStanding, ...]  # lead units first, then by name
    # the office moved its deadline (from ``moved_from``, the plan's) or set one
    moved: bool = False
    moved_from: date | None = None


@dataclass(frozen=True)
class Section:
    """A section of the plan in its own order; ``title`` is empty for tasks before any."""

    title: str
    tasks: tuple[TaskReport, ...]


@dataclass(frozen=True)
class UnitFigure:
    unit_id: int
    unit: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    meets: bool | None  # None: the indicator has no target
    reported_at: datetime  # local time of the figure's report


@dataclass(frozen=True)
class MonthFigures:
    """An indicator's figures for one month of the report's period (the months of a
    quarter, a half year, …): each unit's, and the area's."""

    period: Period
    value: Decimal | None  # the area's, as ``IndicatorReport.value``
    numerator: Decimal | None
    denominator: Decimal | None
    units: tuple[UnitFigure, ...]  # by unit name


@dataclass(frozen=True)
class IndicatorReport:
    code: str
    name: str
    measure: str  # "%", "hồ sơ", …
    comparator: str  # ">=", "<=", "=" as stored
    target: Decimal | None
    value: Decimal | None  # the area's: Σ numerators / Σ denominators, else the mean
    numerator: Decimal | None  # Σ numerators when every unit gave one
    denominator: Decimal | None
    meets: bool | None
    units: tuple[UnitFigure, ...]  # by unit name
    expected: int  # units expected to report it (the units of the plan)
    months: tuple[MonthFigures, ...] = ()  # a longer period's months, in order
    nothing_arose: tuple[str, ...] = ()  # units that said nothing arose (no figure), by name


@dataclass(frozen=True)
class Behind:
    """A unit overdue on a task at the window's end, with the reasons it gave."""

    unit_id: int
    unit: str
    code: str
    content: str
    due: date
    days_late: int
    said: tuple[Said, ...] = ()


@dataclass(frozen=True)
class Upcoming:
    """A task falling due in the next period, with the units it concerns."""

    code: str
    content: str
    due: date
    units: tuple[str, ...]


@dataclass(frozen=True)
class LogEntry:
    """One stored fact sent in the window: a task's status or a figure (undone ones
    marked). The facts of one message share its ``inbound_id``."""

    at: datetime  # local time it was sent
    unit: str
    person: str | None  # the official who sent it (None: unknown, or not to be shown)
    subject: str  # the task code ("2.1") or the indicator's code and name
    message: str | None  # the raw message it came from
    undone: bool  # retracted since (by hủy or a correction)
    status: str | None = None  # a task's status as stored (``TaskStatus`` values)
    percent: int | None = None  # with the status
    figure: Decimal | None = None  # a figure's value as stored
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    inbound_id: int | None = None  # the message's row in the log, if it came by message

    @property
    def value(self) -> str:
        """What was stored, language-neutral: "done", "in_progress 50%", "85/100", "72.5",
        "not_arising" (nothing arose in the period)."""
        if self.status is not None:
            return self.status if self.percent is None else f"{self.status} {self.percent}%"
        if self.numerator is not None and self.denominator is not None:
            return f"{_plain(self.numerator)}/{_plain(self.denominator)}"
        return _plain(self.figure) if self.figure is not None else "not_arising"


def _plain(number: Decimal) -> str:
    """A stored number without trailing zeros or an exponent: 85.00 → "85"."""
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class PeriodicReport:
    """The report of one reporting window, for the whole area or one unit."""

    period: Period
    window: tuple[date, date]  # inclusive, local dates (the national cut-off)
    made_on: date  # the day it was drafted (local)
    plan_title: str
    plan_issuer: str | None
    plan_year: int | None
    unit: str | None  # a unit's own report; None for the whole area
    sections: tuple[Section, ...]
    indicators: tuple[IndicatorReport, ...]
    behind: tuple[Behind, ...]  # most days late first
    next_period: Period
    upcoming: tuple[Upcoming, ...]  # by due date
    log: tuple[LogEntry, ...]  # oldest first
    silent: tuple[str, ...]  # units of the plan that sent nothing in the window
    units: tuple[str, ...]  # every unit of the report (the matrix's columns), by name

    @property
    def reported(self) -> bool:
        """Anything at all was sent in the window (else the report says so)."""
        return bool(self.log)

    def count(self, standing: Standing) -> int:
        """Unit-task pairs of lead units in ``standing``."""
        return sum(
            1
            for section in self.sections
            for task in section.tasks
            for unit in task.units
            if unit.lead and unit.standing is standing
        )
