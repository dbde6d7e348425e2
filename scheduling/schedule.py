"""The reminder schedule as data: make the ``reminders`` rows match what the policy wants.

``rebuild`` reads the facts (the plan in use's assignments and indicators, the other
plans' deadlines still ahead, the reporting duties, what was reported), asks
:func:`scheduling.policy.plan_reminders` for the specs, and turns them into rows, one per
destination (each bound group chat of the unit, each registered official's private chat,
as the unit chose: :mod:`scheduling.preferences`), keyed so that a row exists once however
often the schedule is rebuilt. Rows no longer wanted (the task was reported done) are
cancelled, never deleted (not the notices to the office, the snoozed reminders, nor those
sent on demand: :mod:`scheduling.chase`); nothing is added for a paused unit before its
pause ends. The
weekly digests (the office's, the leaders' overview) are rows here too, one per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from scheduling import chase, notices
from scheduling.policy import (
    AssignmentFacts,
    DutyFacts,
    IndicatorFacts,
    ReminderSettings,
    ReminderSpec,
    plan_reminders,
)
from scheduling.preferences import destinations, pauses
from scheduling.workdays import calendar_for
from storage.current_plan import current_plan_id
from storage.db import Database
from storage.models import (
    Assignment,
    CurrentStatus,
    Indicator,
    IndicatorValue,
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

LOCAL_KINDS = ("xa", "phuong", "dac_khu", "thi_tran")
DIGEST_TIME = time(7, 30)  # the office's Monday digest, local time
REBUILD_LOCK = 0x646F6E646F6373  # PostgreSQL advisory lock key of the rebuilds ("dondocs")


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


def rebuild(db: Database, settings: ReminderSettings, now: datetime) -> RebuildResult:
    """Make the pending rows match what the policy wants from today to the horizon."""
    result = RebuildResult()
    with db.session() as session:
        if session.get_bind().dialect.name == "postgresql":
            # One rebuild at a time across instances (the hourly one and a plan's).
            session.execute(select(func.pg_advisory_xact_lock(REBUILD_LOCK)))
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
        where = destinations(session)
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
            for kind, target in where.get(spec.unit_id, ()):
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
        for key, kind, due_at, official_id in digest_rows(session, settings, now):
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
            and not key.startswith(("snooze:", notices.PREFIX, chase.PREFIX))
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


def digest_rows(
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
