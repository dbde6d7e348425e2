"""The reminder schedule as data: build it, claim what is due, record what was sent.

``rebuild`` turns the policy's specs into ``reminders`` rows, one per destination (each
bound group chat of the unit, each registered official's private chat), keyed so that a
row exists once however often the schedule is rebuilt; rows no longer wanted (the task
was reported done) are cancelled, never deleted. ``claim`` takes due rows atomically
(one claim at a time: an advisory lock on PostgreSQL; ``UPDATE … WHERE state = pending
RETURNING``) so two instances never send the same row, at most ``limit`` at once and at
most ``GROUP_REMINDERS_PER_MINUTE`` a minute into one group from every instance
together; a row claimed by an instance that died is released after ``CLAIM_TIMEOUT``.
Rows overdue by more than the staleness limit are not sent late: they are marked stale
for the office's digest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.language.periods import Period
from bot.services.identity import Actor
from scheduling.calendar import WorkCalendar, in_quiet_hours
from scheduling.policy import (
    AssignmentFacts,
    DutyFacts,
    IndicatorFacts,
    ReminderSettings,
    ReminderSpec,
    plan_reminders,
)
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CalendarDay,
    Chat,
    ChatUnit,
    CurrentStatus,
    Indicator,
    IndicatorValue,
    Meta,
    Official,
    Plan,
    PlanDuty,
    Reminder,
    ReminderState,
    Role,
    StatusUpdate,
    Task,
    TaskStatus,
    TaskUnitRole,
    Unit,
)
from storage.queries import set_meta

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CLAIM_TIMEOUT = timedelta(minutes=10)
# Telegram takes at most 20 messages a minute in a group. Reminders to one group, from
# every instance together, keep to this many in any minute, leaving room for answers.
PACING_WINDOW = timedelta(seconds=60)
GROUP_REMINDERS_PER_MINUTE = 15
CLAIM_LOCK = 0x646F6E646F63  # PostgreSQL advisory lock key of the claims ("dondoc")
MAX_ATTEMPTS = 5
LOCAL_KINDS = ("xa", "phuong", "dac_khu", "thi_tran")


def reminder_settings(settings: Settings) -> ReminderSettings:
    return ReminderSettings(
        hour=settings.reminder_time,
        offsets=tuple(settings.reminder_offsets),
        overdue_every=settings.overdue_every,
        cutoff_day=settings.report_cutoff_day,
        tz=settings.tz,
        leader_day=settings.leader_digest_day,
        leader_time=settings.leader_digest_time,
    )


def calendar_for(session: Session) -> WorkCalendar:
    days = session.scalars(select(CalendarDay)).all()
    return WorkCalendar(
        days_off=[d.day for d in days if not d.working],
        workdays=[d.day for d in days if d.working],
    )


def calendar(db: Database) -> WorkCalendar:
    with db.session() as session:
        return calendar_for(session)


# -- building ---------------------------------------------------------------------------


def _facts(
    session: Session, today: date, current: int | None
) -> tuple[list[AssignmentFacts], list[IndicatorFacts]]:
    """The current plan's assignments and indicators; of the other imported plans, only
    the assignments of tasks with a deadline still ahead (a 2027 task due in January is
    reminded in December 2026; a past year's overdue tasks are not chased once its plan
    is no longer current, as they cannot be reported on by message)."""
    others = select(Plan.id).where(Plan.active.is_(True), Plan.draft.is_(False), Plan.id != current)
    upcoming_elsewhere = and_(
        Task.plan_id.in_(others), Task.timeframe_kind == "due", Task.due_date >= today
    )
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.unit_id,
            Assignment.role,
            Task.code,
            Task.timeframe_kind,
            Task.due_date,
            Task.recurrence,
        )
        .join(Task, Task.id == Assignment.task_id)
        .where(
            or_(Task.plan_id == current, upcoming_elsewhere),
            Task.withdrawn_at.is_(None),
        )
    ).all()
    done = set(
        session.scalars(
            select(CurrentStatus.assignment_id).where(
                CurrentStatus.period_key == "-", CurrentStatus.status == TaskStatus.DONE
            )
        )
    )
    periods: dict[int, set[date]] = defaultdict(set)
    for assignment_id, start in session.execute(
        select(StatusUpdate.assignment_id, StatusUpdate.period_start).where(
            StatusUpdate.retracted_at.is_(None), StatusUpdate.period_start.is_not(None)
        )
    ):
        periods[assignment_id].add(start)
    assignments = [
        AssignmentFacts(
            assignment_id=assignment_id,
            unit_id=unit_id,
            task_code=code,
            lead=role is TaskUnitRole.LEAD,
            timeframe_kind=kind,
            due_date=due,
            recurrence=recurrence,
            done=assignment_id in done,
            reported_periods=frozenset(periods.get(assignment_id, ())),
        )
        for assignment_id, unit_id, role, code, kind, due, recurrence in rows
    ]
    local_units = frozenset(
        session.scalars(
            select(Unit.id).where(
                Unit.active.is_(True),
                Unit.kind.in_(LOCAL_KINDS),
                Unit.id.in_({a.unit_id for a in assignments}),
            )
        )
    )
    reported: dict[int, set[tuple[int, date]]] = defaultdict(set)
    for indicator_id, unit_id, start in session.execute(
        select(
            IndicatorValue.indicator_id, IndicatorValue.unit_id, IndicatorValue.period_start
        ).where(IndicatorValue.retracted_at.is_(None))
    ):
        reported[indicator_id].add((unit_id, start))
    indicators = [
        IndicatorFacts(i.id, local_units, frozenset(reported.get(i.id, ())))
        for i in session.scalars(
            select(Indicator).where(Indicator.plan_id == current, Indicator.withdrawn_at.is_(None))
        )
    ]
    return assignments, indicators


@dataclass
class RebuildResult:
    created: int = 0
    cancelled: int = 0
    kept: int = 0


DESTINATION_PREFIX = "reminder_destination:"
DESTINATIONS = ("both", "group", "private")


def destination_choices(session: Session) -> dict[int, str]:
    """Units that chose where their reminders go: "group" or "private" (default both)."""
    return {
        int(row.key.removeprefix(DESTINATION_PREFIX)): row.value
        for row in session.scalars(select(Meta).where(Meta.key.like(f"{DESTINATION_PREFIX}%")))
    }


def set_destination(db: Database, unit_id: int, choice: str) -> None:
    """Where a unit's reminders go from now on (pending rows follow at the next rebuild)."""
    assert choice in DESTINATIONS
    with db.session() as session:
        set_meta(session, f"{DESTINATION_PREFIX}{unit_id}", choice)


def _destinations(session: Session) -> dict[int, list[tuple[str, int]]]:
    """unit id → [("g", chat row id) for its groups, ("p", official id) for its people],
    as the unit chose (both by default; a unit with no group gets private messages)."""
    groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, chat_id in session.execute(
        select(ChatUnit.unit_id, Chat.id)
        .join(Chat, Chat.id == ChatUnit.chat_id)
        .where(Chat.active.is_(True))
    ):
        groups[unit_id].append(("g", chat_id))
    people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, official_id in session.execute(
        select(Official.unit_id, Official.id).where(
            Official.active.is_(True), Official.unit_id.is_not(None)
        )
    ):
        people[unit_id].append(("p", official_id))
    choices = destination_choices(session)
    found: dict[int, list[tuple[str, int]]] = {}
    for unit_id in set(groups) | set(people):
        choice = choices.get(unit_id, "both")
        if choice == "group" and groups.get(unit_id):
            found[unit_id] = groups[unit_id]
        elif choice == "private" and people.get(unit_id):
            found[unit_id] = people[unit_id]
        else:
            found[unit_id] = groups.get(unit_id, []) + people.get(unit_id, [])
    return found


def rebuild(db: Database, settings: ReminderSettings, now: datetime) -> RebuildResult:
    """Make the pending rows match what the policy wants from today to the horizon."""
    result = RebuildResult()
    with db.session() as session:
        today = now.astimezone(settings.tz).date()
        current = current_plan_id(session, today)
        assignments, indicators = _facts(session, today, current)
        duties = [
            DutyFacts(d.id, frozenset(d.unit_ids or ()), d.recurrence, d.weekday, d.due_time)
            for d in session.scalars(select(PlanDuty).where(PlanDuty.plan_id == current))
        ]
        specs = plan_reminders(
            assignments, indicators, calendar_for(session), settings, now, duties
        )
        destinations = _destinations(session)
        paused = pauses(session, now)
        wanted: dict[str, tuple[ReminderSpec, str, int]] = {}
        task_of = (
            dict(
                session.execute(
                    select(Assignment.id, Assignment.task_id).where(
                        Assignment.id.in_({s.assignment_id for s in specs if s.assignment_id})
                    )
                ).all()
            )
            if any(s.stage_missing for s in specs)
            else {}
        )
        for spec in specs:
            if spec.unit_id in paused and spec.due_at < paused[spec.unit_id]:
                continue
            for kind, target in destinations.get(spec.unit_id, ()):
                if spec.stage_missing and kind == "g":
                    # After a recurring deadline, a group gets one message listing every
                    # unit still missing (computed when it is sent), not one per unit.
                    task_id = task_of.get(spec.assignment_id)
                    period = spec.payload.get("period")
                    combined = ReminderSpec(
                        f"missing:{task_id}:{period}",
                        "missing",
                        spec.due_at,
                        0,
                        payload={**spec.payload, "task_id": task_id},
                    )
                    wanted[f"{combined.key}>g{target}"] = (combined, kind, target)
                    continue
                wanted[f"{spec.key}>{kind}{target}"] = (spec, kind, target)
        start_of_today = datetime.combine(
            now.astimezone(settings.tz).date(), time(0), tzinfo=settings.tz
        )
        for key, kind, due_at, official_id in _digests(session, settings, now):
            wanted[key] = (
                ReminderSpec(key.split(">")[0], kind, due_at, 0),
                "p",
                official_id,
            )
        existing = {
            key: state
            for key, state in session.execute(
                select(Reminder.key, Reminder.state).where(Reminder.due_at >= start_of_today)
            )
        }
        new_rows = []
        for key, (spec, kind, target) in wanted.items():
            if key in existing:
                result.kept += 1
                continue
            new_rows.append(
                {
                    "key": key,
                    "kind": spec.kind,
                    "assignment_id": spec.assignment_id,
                    "indicator_id": spec.indicator_id,
                    "unit_id": spec.unit_id or None,
                    "chat_id": target if kind == "g" else None,
                    "official_id": target if kind == "p" else None,
                    "due_at": spec.due_at,
                    "state": ReminderState.PENDING,
                    "attempts": 0,
                    "payload": dict(spec.payload),
                    "created_at": now,
                }
            )
        for chunk in range(0, len(new_rows), 5000):
            session.execute(insert(Reminder), new_rows[chunk : chunk + 5000])
        result.created = len(new_rows)
        stale_keys = [
            key
            for key, state in existing.items()
            if state is ReminderState.PENDING
            and key not in wanted
            and ">" in key
            and not key.startswith("snooze:")
        ]
        for chunk in range(0, len(stale_keys), 500):
            keys = stale_keys[chunk : chunk + 500]
            session.execute(
                update(Reminder)
                .where(Reminder.key.in_(keys), Reminder.state == ReminderState.PENDING)
                .values(state=ReminderState.CANCELLED)
            )
        result.cancelled = len(stale_keys)
    return result


DIGEST_TIME = time(7, 30)


def _digests(
    session: Session, settings: ReminderSettings, now: datetime
) -> list[tuple[str, str, datetime, int]]:
    """The weekly digests, as (key, kind, due, official):

    - ``digest`` for the office: overdue tasks by unit, who cannot be reached; the
      week's first working day at 07:30;
    - ``overview`` for leaders: the month so far with its chart; on the configured
      weekday and time, moved to the next working day when that is a day off.
    """
    today = now.astimezone(settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    cal = calendar_for(session)
    people = session.execute(
        select(Official.id, Official.role).where(
            Official.active.is_(True), Official.role.in_([Role.OFFICE, Role.LEADER])
        )
    ).all()
    found = []
    for week in (monday, monday + timedelta(days=7)):
        office_day = cal.on_or_after(week)
        leader_day = (
            cal.on_or_after(week + timedelta(days=settings.leader_day - 1))
            if settings.leader_day
            else None
        )
        for official_id, role in people:
            if role is Role.OFFICE:
                kind, day, at = "digest", office_day, DIGEST_TIME
            elif leader_day is not None:
                kind, day, at = "overview", leader_day, settings.leader_time
            else:
                continue
            if not today <= day <= today + timedelta(days=settings.horizon_days):
                continue
            due = datetime.combine(day, at, tzinfo=settings.tz).astimezone(ZoneInfo("UTC"))
            found.append((f"{kind}:{week.isoformat()}>p{official_id}", kind, due, official_id))
    return found


@dataclass
class Digest:
    # unit → [(task code, days late)], the units with the most overdue tasks first
    overdue: list[tuple[str, list[tuple[str, int]]]]
    unreachable: list[str]
    stale: int  # reminders that were too late to send this past week
    blocked: list[str] = field(default_factory=list)  # chats and people reminders cannot reach


def digest(db: Database, now: datetime, tz: ZoneInfo = HANOI) -> Digest:
    """What the office gets on Monday: overdue tasks by unit, who is unreachable."""
    from bot.services.access import staff
    from bot.services.progress import overdue

    today = now.astimezone(tz).date()
    late = overdue(db, today, viewer=staff())
    with db.session() as session:
        stale = len(
            session.scalars(
                select(Reminder.id).where(
                    Reminder.state == ReminderState.CANCELLED,
                    Reminder.due_at >= now - timedelta(days=7),
                    Reminder.payload["stale"].as_boolean().is_(True),
                )
            ).all()
        )
        week_ago = now - timedelta(days=7)
        blocked_groups = session.scalars(
            select(Chat.title)
            .join(Reminder, Reminder.chat_id == Chat.id)
            .where(Reminder.state == ReminderState.FAILED, Reminder.due_at >= week_ago)
            .distinct()
        ).all()
        blocked_people = session.scalars(
            select(Official.full_name)
            .join(Reminder, Reminder.official_id == Official.id)
            .where(Reminder.state == ReminderState.FAILED, Reminder.due_at >= week_ago)
            .distinct()
        ).all()
    by_unit = [(u.name, [(t.code, t.days_late) for t in u.tasks]) for u in late]
    blocked = sorted({t or "?" for t in blocked_groups} | set(blocked_people))
    return Digest(by_unit, unreachable_units(db, today), stale, blocked)


PAUSE_PREFIX = "reminder_pause:"


def pauses(session: Session, now: datetime) -> dict[int, datetime]:
    """Units whose reminders are paused, and until when."""
    found: dict[int, datetime] = {}
    for row in session.scalars(select(Meta).where(Meta.key.like(f"{PAUSE_PREFIX}%"))):
        until = datetime.fromisoformat(row.value)
        if until > now:
            found[int(row.key.removeprefix(PAUSE_PREFIX))] = until
    return found


def pause_end(db: Database, unit_id: int, now: datetime) -> datetime | None:
    """When a unit's pause ends, if its reminders are paused now."""
    with db.session() as session:
        return pauses(session, now).get(unit_id)


def pause(
    db: Database, unit_id: int, last_day: date, now: datetime, tz: ZoneInfo = HANOI
) -> tuple[datetime, bool]:
    """Pause a unit's reminders through ``last_day`` (local), or keep a longer pause
    already running: a new pause never shortens one. Returns when the pause in force
    ends, and whether that is a longer pause kept.

    Pending rows due before then are cancelled and marked ``paused`` in their payload,
    so that resuming can bring them back."""
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    with db.session() as session:
        running = pauses(session, now).get(unit_id)
        end = max(until, running) if running is not None else until
        set_meta(session, f"{PAUSE_PREFIX}{unit_id}", end.isoformat())
        rows = session.scalars(
            select(Reminder).where(
                Reminder.unit_id == unit_id,
                Reminder.state == ReminderState.PENDING,
                Reminder.due_at < end,
            )
        )
        for row in rows:
            row.state = ReminderState.CANCELLED
            row.payload = {**(row.payload or {}), "paused": True}
        return end, end > until


def resume(db: Database, unit_id: int, now: datetime) -> datetime | None:
    """End a unit's pause now; returns when it would have ended (None: it was not paused).

    The rows the pause cancelled that are still ahead are pending again (a rebuild then
    cancels those no longer wanted, say a task reported done meanwhile); a snooze the
    pause cancelled stays cancelled."""
    with db.session() as session:
        end = pauses(session, now).get(unit_id)
        row = session.get(Meta, f"{PAUSE_PREFIX}{unit_id}")
        if row is not None:
            session.delete(row)
        if end is None:
            return None
        paused = session.scalars(
            select(Reminder).where(
                Reminder.unit_id == unit_id,
                Reminder.state == ReminderState.CANCELLED,
                Reminder.due_at >= now,
                Reminder.due_at < end,
                Reminder.key.not_like("snooze:%"),
            )
        )
        for reminder in paused:
            if (reminder.payload or {}).get("paused"):
                reminder.state = ReminderState.PENDING
                reminder.payload = {k: v for k, v in reminder.payload.items() if k != "paused"}
        return end


def cancel_for_indicator(session: Session, indicator_id: int, unit_id: int, period: str) -> None:
    session.execute(
        update(Reminder)
        .where(
            Reminder.indicator_id == indicator_id,
            Reminder.unit_id == unit_id,
            Reminder.key.like(f"indicator:{indicator_id}:{unit_id}:{period}>%"),
            Reminder.state == ReminderState.PENDING,
        )
        .values(state=ReminderState.CANCELLED)
    )


# -- claiming and sending ---------------------------------------------------------------


def claim(
    db: Database,
    now: datetime,
    *,
    limit: int = 100,
    quiet: tuple[time, time] = (time(21, 0), time(7, 0)),
    tz: ZoneInfo = HANOI,
    staleness: timedelta = timedelta(hours=24),
    group_budget: int = GROUP_REMINDERS_PER_MINUTE,
) -> list[int]:
    """Claim at most ``limit`` due rows (nothing in quiet hours); rows too late are marked
    stale instead.

    A group gets at most ``group_budget`` reminders in any :data:`PACING_WINDOW`, however
    many instances claim: the rows sent to it within the window and the rows claimed for
    it and not sent yet (being sent) count against it, in the database, and claims are
    taken one at a time (a transaction-level advisory lock on PostgreSQL; SQLite has one
    writer at a time). Private chats are not held back.
    """
    local = now.astimezone(tz)
    if in_quiet_hours(local.time(), *quiet):
        return []
    with db.session() as session:
        # The common case, nothing due: one indexed look (every row below is due).
        anything = session.scalar(
            select(Reminder.id)
            .where(
                Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
                Reminder.due_at <= now,
            )
            .limit(1)
        )
        if anything is None:
            return []
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
        # Rows claimed by an instance that stopped are released.
        session.execute(
            update(Reminder)
            .where(
                Reminder.state == ReminderState.CLAIMED,
                Reminder.claimed_at < now - CLAIM_TIMEOUT,
            )
            .values(state=ReminderState.PENDING)
        )
        session.execute(
            update(Reminder)
            .where(Reminder.state == ReminderState.PENDING, Reminder.due_at < now - staleness)
            .values(state=ReminderState.CANCELLED, payload={"stale": True})
        )
        # Each group's share of the window already used: sent within it, or on its way.
        used = (
            select(Reminder.chat_id, func.count().label("used"))
            .where(
                Reminder.chat_id.is_not(None),
                or_(
                    Reminder.state == ReminderState.CLAIMED,
                    and_(
                        Reminder.state == ReminderState.SENT,
                        Reminder.sent_at > now - PACING_WINDOW,
                        # A row is sent at most a claim timeout after it was claimed, and
                        # claimed at most ``staleness`` after it was due (the index's bound).
                        Reminder.due_at > now - staleness - CLAIM_TIMEOUT - PACING_WINDOW,
                    ),
                ),
            )
            .group_by(Reminder.chat_id)
            .subquery()
        )
        ranked = (
            select(
                Reminder.id,
                Reminder.chat_id,
                Reminder.due_at,
                func.row_number()
                .over(partition_by=Reminder.chat_id, order_by=(Reminder.due_at, Reminder.id))
                .label("rank"),
            )
            .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now)
            .subquery()
        )
        # The ids first, then the update: a LIMIT inside ``UPDATE … WHERE id IN (…)`` is
        # not a bound on PostgreSQL (the planner may run the subquery again, and with
        # SKIP LOCKED each run finds other rows: 238 rows claimed for a limit of 100).
        ids = session.scalars(
            select(ranked.c.id)
            .outerjoin(used, used.c.chat_id == ranked.c.chat_id)
            .where(
                or_(
                    ranked.c.chat_id.is_(None),
                    ranked.c.rank + func.coalesce(used.c.used, 0) <= group_budget,
                )
            )
            .order_by(ranked.c.due_at, ranked.c.id)
            .limit(limit)
        ).all()
        if not ids:
            return []
        claimed = session.scalars(
            update(Reminder)
            .where(Reminder.id.in_(ids), Reminder.state == ReminderState.PENDING)
            .values(state=ReminderState.CLAIMED, claimed_at=now)
            .returning(Reminder.id)
        ).all()
        return sorted(claimed)


@dataclass
class Outgoing:
    reminder_id: int
    telegram_chat_id: int
    kind: str
    language: str
    group: bool
    unit_name: str
    task_code: str | None
    task_content: str | None
    indicator_name: str | None
    payload: dict[str, Any]
    mentions: list[tuple[int, str]]  # (telegram user id, name) of the unit's officials
    duty_text: str | None = None


def outgoing(db: Database, reminder_id: int, default_language: str) -> Outgoing | None:
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None:
            return None
        unit = session.get(Unit, row.unit_id) if row.unit_id else None
        task = None
        if row.assignment_id is not None:
            task = session.scalar(
                select(Task)
                .join(Assignment, Assignment.task_id == Task.id)
                .where(Assignment.id == row.assignment_id)
            )
        if task is None and (row.payload or {}).get("task_id"):
            task = session.get(Task, row.payload["task_id"])
        indicator = session.get(Indicator, row.indicator_id) if row.indicator_id else None
        payload = dict(row.payload or {})
        duty = session.get(PlanDuty, payload["duty_id"]) if payload.get("duty_id") else None
        if row.kind == "missing" and task is not None and row.chat_id is not None:
            payload["units"] = _missing_units(session, row.chat_id, task.id, payload)
        if row.chat_id is not None:
            chat = session.get(Chat, row.chat_id)
            if chat is None:
                return None
            telegram_chat_id, language, group = chat.telegram_chat_id, chat.locale, True
            mentions = [
                (user_id, name)
                for user_id, name in session.execute(
                    select(Official.telegram_user_id, Official.full_name).where(
                        Official.unit_id == row.unit_id, Official.active.is_(True)
                    )
                )
            ]
        else:
            official = session.get(Official, row.official_id) if row.official_id else None
            if official is None:
                return None
            telegram_chat_id, language, group = official.telegram_user_id, official.locale, False
            mentions = []
        return Outgoing(
            reminder_id=row.id,
            telegram_chat_id=telegram_chat_id,
            kind=row.kind,
            language=language or default_language,
            group=group,
            unit_name=unit.name if unit else "",
            task_code=task.code if task else None,
            task_content=task.content if task else None,
            indicator_name=indicator.name if indicator else None,
            payload=payload,
            mentions=mentions,
            duty_text=duty.text if duty else None,
        )


def _missing_units(session: Session, chat_id: int, task_id: int, payload: dict) -> list[str]:
    """Units of a group, leading a recurring task, with no report for the period yet."""
    period = Period.from_key(str(payload.get("period")))
    if period is None:
        return []
    reported = select(StatusUpdate.assignment_id).where(
        StatusUpdate.retracted_at.is_(None),
        StatusUpdate.period_start >= period.start,
        StatusUpdate.period_start <= period.end,
    )
    return list(
        session.scalars(
            select(Unit.name)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(ChatUnit, ChatUnit.unit_id == Unit.id)
            .where(
                ChatUnit.chat_id == chat_id,
                Assignment.task_id == task_id,
                Assignment.role == TaskUnitRole.LEAD,
                Assignment.id.not_in(reported),
            )
            .order_by(Unit.name)
        )
    )


def mark_cancelled(db: Database, reminder_id: int) -> None:
    with db.session() as session:
        session.execute(
            update(Reminder).where(Reminder.id == reminder_id).values(state=ReminderState.CANCELLED)
        )


def mark_sent(db: Database, reminder_id: int, message_id: int | None, now: datetime) -> None:
    with db.session() as session:
        session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id)
            .values(state=ReminderState.SENT, sent_at=now, telegram_message_id=message_id)
        )


def mark_failed(db: Database, reminder_id: int, now: datetime, *, permanent: bool) -> None:
    """A send failed: retry later, or give up (the chat blocked the bot or is gone)."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None:
            return
        row.attempts += 1
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.state = ReminderState.FAILED
            if permanent and row.chat_id is not None:
                chat = session.get(Chat, row.chat_id)
                if chat is not None:
                    chat.active = False
            if permanent and row.official_id is not None:
                # Stop planning private reminders for someone who blocked the bot.
                session.execute(
                    update(Reminder)
                    .where(
                        Reminder.official_id == row.official_id,
                        Reminder.state == ReminderState.PENDING,
                    )
                    .values(state=ReminderState.FAILED)
                )
        else:
            row.state = ReminderState.PENDING
            row.due_at = now + timedelta(minutes=5 * row.attempts)


# -- buttons and /nhacviec --------------------------------------------------------------


def snooze(
    db: Database,
    actor: Actor,
    reminder_id: int,
    days: int,
    now: datetime,
    settings: ReminderSettings,
) -> datetime | None:
    """Remind again in ``days`` working days (at the reminder hour); None if gone, or not
    the person's to snooze (the office's, or their unit's, or sent to them)."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None or row.state is not ReminderState.SENT:
            return None
        own = (row.official_id is not None and row.official_id == actor.official_id) or (
            row.unit_id is not None and row.unit_id == actor.unit_id
        )
        if not (own or actor.manages):
            return None
        day = calendar_for(session).add_working_days(now.astimezone(settings.tz).date(), days)
        due = datetime.combine(day, settings.hour, tzinfo=settings.tz)
        base = row.key.split(">", 1)
        key = f"snooze:{base[0]}:{day.isoformat()}>{base[1] if len(base) > 1 else ''}"
        if session.scalar(select(Reminder.id).where(Reminder.key == key)) is None:
            session.add(
                Reminder(
                    key=key,
                    kind=row.kind,
                    assignment_id=row.assignment_id,
                    indicator_id=row.indicator_id,
                    unit_id=row.unit_id,
                    chat_id=row.chat_id,
                    official_id=row.official_id,
                    due_at=due,
                    state=ReminderState.PENDING,
                    payload={**(row.payload or {}), "snoozed": True},
                    created_at=now,
                )
            )
        return due


def reminder_assignment(db: Database, reminder_id: int) -> tuple[int | None, int | None]:
    """(assignment id, unit id) a reminder is about."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        return (row.assignment_id, row.unit_id) if row else (None, None)


@dataclass(frozen=True)
class Upcoming:
    due_at: datetime
    kind: str
    unit_name: str
    subject: str


def upcoming(
    db: Database, unit_id: int | None, now: datetime, days: int = 14, limit: int = 30
) -> list[Upcoming]:
    """Pending reminders of a unit (or everyone's), one per subject, soonest first."""
    with db.session() as session:
        query = (
            select(Reminder, Unit.name, Task.code, Task.content, Indicator.name)
            .join(Unit, Unit.id == Reminder.unit_id)
            .outerjoin(Assignment, Assignment.id == Reminder.assignment_id)
            .outerjoin(Task, Task.id == Assignment.task_id)
            .outerjoin(Indicator, Indicator.id == Reminder.indicator_id)
            .where(
                Reminder.state == ReminderState.PENDING,
                Reminder.due_at <= now + timedelta(days=days),
            )
            .order_by(Reminder.due_at, Reminder.id)
        )
        if unit_id is not None:
            query = query.where(Reminder.unit_id == unit_id)
        seen: set[str] = set()
        found: list[Upcoming] = []
        duties: dict[int, str] = {}  # a plan's reporting duty has neither task nor indicator
        for row, unit_name, code, content, indicator in session.execute(query):
            base = row.key.split(">", 1)[0]
            if base in seen:
                continue
            seen.add(base)
            duty_id = (row.payload or {}).get("duty_id")
            if duty_id and duty_id not in duties:
                duties[duty_id] = session.scalar(
                    select(PlanDuty.text).where(PlanDuty.id == duty_id)
                )
            subject = f"{code} {content}" if code else (indicator or duties.get(duty_id) or "")
            found.append(Upcoming(row.due_at, row.kind, unit_name, subject))
            if len(found) >= limit:
                break
        return found


def unreachable_units(db: Database, today: date) -> list[str]:
    """Units with tasks in the current plan but no registered official and no group:
    nobody gets reminders."""
    with db.session() as session:
        reachable = set(_destinations(session))
        current = current_plan_id(session, today)
        units = session.execute(
            select(Unit.id, Unit.name)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(Task, and_(Task.id == Assignment.task_id, Task.plan_id == current))
            .distinct()
        ).all()
        return sorted(name for unit_id, name in units if unit_id not in reachable)
