"""What to remind, to which unit, and when. Pure: the facts and the clock are arguments.

Each :class:`ReminderSpec` has a key naming what it is about, for whom and which
occurrence (a task's reminders name its deadline too, so that a deadline moved, "gia hạn",
or corrected by a new plan file gets reminders of its own and those of the old one are
cancelled), so building the schedule twice gives the same keys and a reminder exists
once. :mod:`scheduling.schedule` turns specs into ``reminders`` rows, one per destination
chat.

Kinds:

- ``due``: a task with a deadline, to its lead units that have not reported it done, at
  the configured offsets (7, 3, 1 and 0 working days before) at the reminder hour;
- ``overdue``: after the deadline, every ``overdue_every`` working days while not done;
- ``recurring``: a recurring task, before each period's deadline (the reporting cut-off)
  to lead units that have not reported for that period, and once after it if still missing;
- ``indicator``: each month, before the cut-off, to units that have not reported each
  indicator for the period;
- ``checkin``: a continuous task, once a quarter, to lead units with no report that quarter;
- ``digest``: Monday morning, to the office and leaders (built by
  :mod:`scheduling.schedule`: it needs people, not units).

A reminder that would fall on a day off moves to the previous working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checks import required
from bot.config import Settings
from bot.language.periods import Period, PeriodKind, period_of
from scheduling.calendar import WorkCalendar

CADENCE_KINDS = {
    "weekly": PeriodKind.WEEK,
    "monthly": PeriodKind.MONTH,
    "quarterly": PeriodKind.QUARTER,
    "half_yearly": PeriodKind.HALF,
    "yearly": PeriodKind.YEAR,
}


@dataclass(frozen=True)
class ReminderSettings:
    """What scheduling needs of the deployment's settings. The values a deployment may
    set have no default here: they come from :class:`bot.config.Settings` through
    :func:`reminder_settings`, where each default is written once."""

    hour: time  # the local time reminders are sent at
    offsets: tuple[int, ...]  # working days before a deadline
    overdue_every: int  # working days between reminders of an overdue task
    cutoff_day: int  # a period's figures are due the day before this one
    tz: ZoneInfo
    leader_day: int  # ISO weekday of the leaders' overview (0: none)
    leader_time: time
    quiet_start: time  # nothing is sent from quiet_start to quiet_end (local)
    quiet_end: time
    staleness: timedelta  # a row later than this is not sent, it is marked stale
    recurring_before: int = 3  # working days before a recurring deadline
    indicator_before: int = 3  # working days before the monthly cut-off
    horizon_days: int = 10  # rows are built this far ahead


def reminder_settings(settings: Settings) -> ReminderSettings:
    """The scheduling's settings of a deployment."""
    return ReminderSettings(
        hour=settings.reminder_time,
        offsets=tuple(settings.reminder_offsets),
        overdue_every=settings.overdue_every,
        cutoff_day=settings.report_cutoff_day,
        tz=settings.tz,
        leader_day=settings.leader_digest_day,
        leader_time=settings.leader_digest_time,
        staleness=timedelta(hours=settings.reminder_staleness_hours),
        quiet_start=settings.quiet_start,
        quiet_end=settings.quiet_end,
    )


@dataclass(frozen=True)
class AssignmentFacts:
    assignment_id: int
    unit_id: int
    task_code: str
    lead: bool
    timeframe_kind: str | None
    due_date: date | None
    recurrence: str | None
    done: bool  # reported done (for a task with one deadline)
    reported_periods: frozenset[date] = frozenset()  # starts of periods with a status


@dataclass(frozen=True)
class IndicatorFacts:
    indicator_id: int
    unit_ids: frozenset[int]  # the units expected to report it
    reported: frozenset[tuple[int, date]] = frozenset()  # (unit, period start)


@dataclass(frozen=True)
class DutyFacts:
    """A reporting duty of the plan ("báo cáo hằng quý …") and the units it falls on."""

    duty_id: int
    unit_ids: frozenset[int]
    recurrence: str | None
    weekday: int | None = None  # a weekly report's day (Monday 0) …
    due_time: time | None = None  # … and hour, when the plan says them


@dataclass(frozen=True)
class ReminderSpec:
    key: str
    kind: str
    due_at: datetime  # aware, UTC
    unit_id: int
    assignment_id: int | None = None
    indicator_id: int | None = None
    payload: dict[str, str | int | None] = field(default_factory=dict, compare=False)

    @property
    def stage_missing(self) -> bool:
        """A recurring task's reminder after its deadline (sent to groups as one list)."""
        return self.kind == "recurring" and self.payload.get("stage") == "missing"


def _at(day: date, settings: ReminderSettings) -> datetime:
    local = datetime.combine(day, settings.hour, tzinfo=settings.tz)
    return local.astimezone(ZoneInfo("UTC"))


def period_deadline(period: Period, cutoff_day: int) -> date:
    """The last day of a period's reporting window (the 14th by the national rule)."""
    return period.reporting_window(cutoff_day)[1]


def cadence_kind(recurrence: str | None) -> PeriodKind:
    """The period of a recurring task's reports ("quarterly": a quarter); a quarter when
    the plan's wording gave none or several ("Hàng quý/năm": reminded each quarter)."""
    return CADENCE_KINDS.get(recurrence or "", PeriodKind.QUARTER)


def last_closed(kind: PeriodKind, today: date, cutoff_day: int) -> Period:
    """The latest period of ``kind`` whose deadline is before ``today``."""
    period = period_of(kind, today)
    while period_deadline(period, cutoff_day) >= today:
        period = period.previous()
    return period


def answered_period(kind: PeriodKind, today: date, cutoff_day: int) -> Period:
    """The period a recurring report sent on ``today`` without naming one is for: of the
    last period whose deadline has passed and the one open now, the one whose deadline
    is nearer (the closed one on a tie). A quarterly report is sent around its deadline,
    on either side: "nv 4.2 xong" on 20/9 is the third quarter's, sent late (the fourth
    quarter's is due mid-December); on 10/12 it is the fourth quarter's. Depending on the
    day alone, a report and its correction a day later are for the same period."""
    closed = last_closed(kind, today, cutoff_day)
    opened = closed.next()
    late = today - period_deadline(closed, cutoff_day)
    early = period_deadline(opened, cutoff_day) - today
    return closed if late <= early else opened


def plan_reminders(
    assignments: Iterable[AssignmentFacts],
    indicators: Iterable[IndicatorFacts],
    calendar: WorkCalendar,
    settings: ReminderSettings,
    now: datetime,
    duties: Iterable[DutyFacts] = (),
) -> list[ReminderSpec]:
    """Every reminder due from the start of today up to the horizon."""
    today = now.astimezone(settings.tz).date()
    end = today + timedelta(days=settings.horizon_days)
    specs: list[ReminderSpec] = []
    for facts in assignments:
        if not facts.lead:
            continue
        if facts.timeframe_kind == "due" and facts.due_date is not None and not facts.done:
            specs += _due(facts, calendar, settings, today, end)
        elif facts.timeframe_kind == "recurring":
            specs += _recurring(facts, calendar, settings, today, end)
        elif facts.timeframe_kind == "continuous":
            specs += _checkin(facts, calendar, settings, today, end)
    for indicator in indicators:
        specs += _indicator(indicator, calendar, settings, today, end)
    for duty in duties:
        specs += _duty(duty, calendar, settings, today, end)
    return specs


def _weekly_duty(duty: DutyFacts, calendar, settings, today, end) -> list[ReminderSpec]:
    """A weekly report due at a stated day and hour: reminded an hour before, that day
    (or the working day before, when it is a day off)."""
    weekday = required(duty.weekday, "the duty's weekday")
    due_time = duty.due_time or time(16, 0)
    remind_at = (datetime.combine(today, due_time) - timedelta(hours=1)).time()
    monday = today - timedelta(days=today.weekday())
    specs = []
    while monday <= end:
        due_day = monday + timedelta(days=weekday)
        day = calendar.on_or_before(due_day)
        if today <= day <= end:
            local = datetime.combine(day, remind_at, tzinfo=settings.tz)
            week = period_of(PeriodKind.WEEK, due_day)
            for unit_id in sorted(duty.unit_ids):
                specs.append(
                    ReminderSpec(
                        f"duty:{duty.duty_id}:{unit_id}:{week.key}",
                        "duty",
                        local.astimezone(ZoneInfo("UTC")),
                        unit_id,
                        payload={
                            "period": week.key,
                            "deadline": due_day.isoformat(),
                            "time": due_time.strftime("%H:%M"),
                            "duty_id": duty.duty_id,
                        },
                    )
                )
        monday += timedelta(days=7)
    return specs


def _duty(duty: DutyFacts, calendar, settings, today, end) -> list[ReminderSpec]:
    """Before each period's deadline, to every unit the duty falls on."""
    kind = CADENCE_KINDS.get(duty.recurrence or "")
    if kind is None:
        return []
    if kind is PeriodKind.WEEK and duty.weekday is not None:
        return _weekly_duty(duty, calendar, settings, today, end)
    specs = []
    for period in _periods(kind, today, end):
        deadline = period_deadline(period, settings.cutoff_day)
        day = calendar.on_or_before(calendar.add_working_days(deadline, -settings.recurring_before))
        if not today <= day <= end:
            continue
        for unit_id in sorted(duty.unit_ids):
            specs.append(
                ReminderSpec(
                    f"duty:{duty.duty_id}:{unit_id}:{period.key}",
                    "duty",
                    _at(day, settings),
                    unit_id,
                    payload={
                        "period": period.key,
                        "deadline": deadline.isoformat(),
                        "duty_id": duty.duty_id,
                    },
                )
            )
    return specs


def _due(facts, calendar, settings, today, end) -> list[ReminderSpec]:
    due = facts.due_date
    specs = []
    for offset in settings.offsets:
        day = calendar.on_or_before(calendar.add_working_days(due, -offset) if offset else due)
        if today <= day <= end:
            specs.append(
                ReminderSpec(
                    f"due:{facts.assignment_id}:{due.isoformat()}:{offset}",
                    "due",
                    _at(day, settings),
                    facts.unit_id,
                    facts.assignment_id,
                    payload={"due": due.isoformat(), "days_left": offset},
                )
            )
    # Overdue: every few working days after the deadline, while not done.
    day = calendar.add_working_days(calendar.on_or_before(due), settings.overdue_every)
    while day <= end:
        if day >= today:
            late = (day - due).days
            specs.append(
                ReminderSpec(
                    f"overdue:{facts.assignment_id}:{due.isoformat()}:{day.isoformat()}",
                    "overdue",
                    _at(day, settings),
                    facts.unit_id,
                    facts.assignment_id,
                    payload={"due": due.isoformat(), "days_late": late},
                )
            )
        day = calendar.add_working_days(day, settings.overdue_every)
    return specs


def _periods(kind: PeriodKind, today: date, end: date) -> list[Period]:
    """Periods whose reporting deadline may fall between a little before today and end."""
    found: list[Period] = []
    current = period_of(kind, today - timedelta(days=40))
    while current.start <= end + timedelta(days=40):
        found.append(current)
        current = current.next()
    return found


def _recurring(facts, calendar, settings, today, end) -> list[ReminderSpec]:
    kind = cadence_kind(facts.recurrence)
    specs = []
    for period in _periods(kind, today, end):
        # a status for the period, or for a month inside it ("Báo cáo tháng 9: nv 4.2
        # xong" is stored for September: the third quarter's)
        if any(period.contains(day) for day in facts.reported_periods):
            continue
        deadline = period_deadline(period, settings.cutoff_day)
        before = calendar.on_or_before(
            calendar.add_working_days(deadline, -settings.recurring_before)
        )
        after = calendar.add_working_days(calendar.on_or_before(deadline), 1)
        for label, day in (("before", before), ("missing", after)):
            if today <= day <= end:
                specs.append(
                    ReminderSpec(
                        f"recurring:{facts.assignment_id}:{period.key}:{label}",
                        "recurring",
                        _at(day, settings),
                        facts.unit_id,
                        facts.assignment_id,
                        payload={
                            "period": period.key,
                            "deadline": deadline.isoformat(),
                            "stage": label,
                        },
                    )
                )
    return specs


def _checkin(facts, calendar, settings, today, end) -> list[ReminderSpec]:
    specs = []
    for quarter in _periods(PeriodKind.QUARTER, today, end):
        if any(quarter.contains(day) for day in facts.reported_periods):
            continue
        deadline = period_deadline(quarter, settings.cutoff_day)
        day = calendar.on_or_before(calendar.add_working_days(deadline, -settings.recurring_before))
        if today <= day <= end:
            specs.append(
                ReminderSpec(
                    f"checkin:{facts.assignment_id}:{quarter.key}",
                    "checkin",
                    _at(day, settings),
                    facts.unit_id,
                    facts.assignment_id,
                    payload={"period": quarter.key, "deadline": deadline.isoformat()},
                )
            )
    return specs


def _indicator(indicator, calendar, settings, today, end) -> list[ReminderSpec]:
    specs = []
    for month in _periods(PeriodKind.MONTH, today, end):
        deadline = period_deadline(month, settings.cutoff_day)
        day = calendar.on_or_before(calendar.add_working_days(deadline, -settings.indicator_before))
        if not today <= day <= end:
            continue
        for unit_id in sorted(indicator.unit_ids):
            if (unit_id, month.start) in indicator.reported:
                continue
            specs.append(
                ReminderSpec(
                    f"indicator:{indicator.indicator_id}:{unit_id}:{month.key}",
                    "indicator",
                    _at(day, settings),
                    unit_id,
                    indicator_id=indicator.indicator_id,
                    payload={"period": month.key, "deadline": deadline.isoformat()},
                )
            )
    return specs
