"""Reports for the demo database: a year of reporting, sent as real messages.

:func:`seed_reports` registers one official for each unit that leads a task of the
active plan, then has them send plain Vietnamese messages ("nv 1.3 xong", "Báo cáo
tháng 10: số hóa 412/480, …; nv 4.1 xong") through :class:`bot.core.Core`, the clock
set to when each was sent, so every fact is understood, checked and stored exactly as a
Telegram message's would be:

- the tasks with one deadline: most communes and wards done on time, some late, some
  still in progress or delayed, some never reporting; one status corrected
  ("sửa lại: …") and one report undone ("hủy");
- the quarterly tasks for the last quarter ended, now and then a continuous task;
- the indicator figures of each of the last ``FIGURE_MONTHS`` months (numerator and
  denominator where counted), rising slowly towards the targets, some units below
  them, more units reporting as the year goes on; one monthly report corrected.

A status due around a monthly report goes in it, as officials do; otherwise it is a
message of its own. Everything is dated around the plan's deadlines and months, in
office hours, and never after ``now``. Each unit's choices come from a random generator
seeded with its name, so the same ``now`` gives the same reports. It runs once per
database: the ``meta`` table remembers it, and each message carries an update id made
from its content (transport ``demo``), which the core drops if it sees it again (a run
cut short, then resumed).
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core import Core
from bot.language.normalize import plain
from bot.transport import ChatRef, ChatType, Incoming, Kind, UserRef
from storage.db import Database
from storage.models import Assignment, Official, Plan, Role, Task, TaskUnitRole, Unit
from storage.queries import get_meta, set_meta

log = logging.getLogger(__name__)

SEED = 2026
TRANSPORT = "demo"
MARKER = "demo_reports"  # meta key: when the demo reports were sent
# Demo officials get user ids -1_000_001, -1_000_002, … Telegram ids are positive, and
# the console gives its own person the lowest id minus one, so neither can collide.
FIRST_USER_ID = -1_000_000
FIGURE_MONTHS = 4  # months of indicator figures, up to the current one
# quarters of the quarterly tasks, up to the one ending in the current month (its
# reports are sent from the 12th: on the 6th of December none is yet, the third's are)
QUARTERS = 2
NEVER_REPORTS = 0.06  # share of communes and wards that send nothing at all
NO_FIGURES = 0.08  # … of the others, that send no figures
# Slips happen after office hours (17:05–17:30), when nothing else is sent: the
# correction or undo that follows cannot hit another report.
SLIP_MINUTES = (17 * 60 + 5, 17 * 60 + 30)
# The slips three communes make: a status corrected, a report undone, figures corrected.
SLIPS = ("correct_status", "undo", "correct_figures")

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
    "Dương", "Lý", "Ma", "Hà", "Nông", "Triệu", "Lương", "Hầu",
)  # fmt: skip
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hồng", "Hữu", "Kim")
GIVEN = (
    "Lan", "Hùng", "Hoa", "Dũng", "Hương", "Tuấn", "Mai", "Thắng", "Hà", "Long", "Nga",
    "Sơn", "Thảo", "Hải", "Linh", "Cường", "Yến", "Bình", "Phương", "Trang", "Khánh",
)  # fmt: skip
DONE = ("nv {code} xong", "nhiệm vụ {code} đã hoàn thành", "nv {code} đã xong", "nv {code} ht")
PROGRESS = (
    "nv {code} đang thực hiện, đạt {percent}%",
    "nhiệm vụ {code} đang thực hiện {percent}%",
    "nv {code} đang làm, được khoảng {percent}%",
)
DELAYED = "nv {code} chậm do {reason}"
_REASON = " do "  # in a status with a reason
REASONS = (
    "thiếu cán bộ",
    "cán bộ đầu mối mới chuyển công tác",
    "chờ hướng dẫn của tỉnh",
    "đường truyền mạng yếu",
    "đang tập trung sắp xếp thôn, tổ dân phố",
    "thiếu kinh phí",
)
STEADY = ("nv {code} xong", "nv {code} đang thực hiện")  # continuous tasks, now and then


@dataclass(frozen=True, order=True)
class Sent:
    """One message: when it was sent, by which unit's official, and what it said."""

    at: datetime
    unit_id: int
    order: int  # a unit's messages in the order it sends them
    text: str = field(compare=False)


@dataclass(frozen=True)
class PlanTask:
    code: str
    kind: str | None
    due: date | None
    recurrence: str | None
    lead_ids: frozenset[int]


@dataclass(frozen=True)
class DemoUnit:
    id: int
    name: str
    user_id: int
    full_name: str


def seed_reports(
    db: Database, settings: Settings, now: datetime, *, seed: int = SEED
) -> int | None:
    """Send the demo reports, dated up to ``now``; the number of messages, or None when
    they were sent before (or there is no plan to report on)."""
    with db.session() as session:
        if get_meta(session, MARKER) is not None:
            return None
        plan = session.scalar(
            select(Plan).where(Plan.active.is_(True), Plan.draft.is_(False)).order_by(Plan.id)
        )
        if plan is None:
            return None
        year = plan.year or now.year
        tasks = _plan_tasks(session, plan.id)
        units = _register(session, {u for t in tasks for u in t.lead_ids}, seed)
    tz = settings.tz
    plan_start = date(year, 1, 8)  # the plan is issued on 05/01; work starts the week after
    months = _figure_months(now.astimezone(tz).date(), year)
    communes = [u for u in units if _leads_with_others(u, tasks)]
    picker = random.Random(f"{seed}:slips")
    chosen = picker.sample(communes, min(len(SLIPS), len(communes)))
    slips = dict(zip(chosen, SLIPS, strict=False))
    messages: list[Sent] = []
    for unit in units:
        messages += _unit_messages(
            unit, unit in communes, slips.get(unit), tasks, months, plan_start, tz, seed
        )
    limit = now.astimezone(UTC)
    messages = sorted(m for m in messages if m.at <= limit)
    started = perf_counter()
    _send(db, settings, units, messages)
    with db.session() as session:
        set_meta(session, MARKER, limit.isoformat())
    elapsed = perf_counter() - started
    log.info("Demo: %d reports of %d units sent in %.1f s", len(messages), len(units), elapsed)
    return len(messages)


def _plan_tasks(session: Session, plan_id: int) -> list[PlanTask]:
    rows = session.execute(
        select(Task.code, Task.timeframe_kind, Task.due_date, Task.recurrence, Assignment.unit_id)
        .join(Assignment, Assignment.task_id == Task.id)
        .where(
            Task.plan_id == plan_id,
            Task.withdrawn_at.is_(None),
            Assignment.role == TaskUnitRole.LEAD,
        )
        .order_by(Task.position)
    ).all()
    found: dict[str, PlanTask] = {}
    for code, kind, due, recurrence, unit_id in rows:
        leads = found[code].lead_ids if code in found else frozenset()
        found[code] = PlanTask(code, kind, due, recurrence, leads | {unit_id})
    return list(found.values())


def _leads_with_others(unit: DemoUnit, tasks: list[PlanTask]) -> bool:
    """A commune or ward: one of the many units leading a task ("UBND các xã, phường")."""
    return any(unit.id in t.lead_ids and len(t.lead_ids) > 1 for t in tasks)


def _register(session: Session, unit_ids: set[int], seed: int) -> list[DemoUnit]:
    """One official (role OFFICIAL) per unit, in the order of the units' names."""
    names = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()
    units = []
    for index, (unit_id, name) in enumerate(sorted(names, key=lambda row: (row[1], row[0]))):
        user_id = FIRST_USER_ID - 1 - index
        rng = random.Random(f"{seed}:{name}:name")
        full_name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if session.scalar(select(Official.id).where(Official.telegram_user_id == user_id)) is None:
            session.add(
                Official(
                    telegram_user_id=user_id,
                    full_name=full_name,
                    role=Role.OFFICIAL,
                    unit_id=unit_id,
                    locale="vi",
                )
            )
        units.append(DemoUnit(unit_id, name, user_id, full_name))
    return units


def _figure_months(today: date, year: int) -> list[tuple[int, int]]:
    """The last ``FIGURE_MONTHS`` months of the plan's year, up to ``today``'s."""
    if today.year < year:
        return []
    last = today.month if today.year == year else 12
    return [(year, month) for month in range(max(1, last - FIGURE_MONTHS + 1), last + 1)]


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _send(db: Database, settings: Settings, units: list[DemoUnit], messages: list[Sent]) -> None:
    """Each message through the core as its unit's official, the clock at its time."""
    clock = _Clock(datetime.now(UTC))
    core = Core(db=db, settings=settings, clock=clock)
    people = {u.id: u for u in units}
    for message in messages:
        unit = people[message.unit_id]
        clock.now = message.at
        # the same message has the same update id whenever it is sent
        key = f"{message.unit_id}|{message.at.isoformat()}|{message.text}".encode()
        update_id = int.from_bytes(hashlib.sha256(key).digest()[:7], "big")
        incoming = Incoming(
            TRANSPORT,
            update_id,
            Kind.TEXT,
            ChatRef(unit.user_id, ChatType.PRIVATE),
            UserRef(unit.user_id, unit.full_name, None, "vi"),
            message.at,
            text=message.text,
            message_id=update_id,
        )
        claim = core.begin(incoming)
        if claim is not None:  # None: sent by an earlier run that was cut short
            core.handle(incoming, claim)
            core.finish(TRANSPORT, update_id)


# -- when --------------------------------------------------------------------------------


def _when(
    day: date,
    rng: random.Random,
    tz: ZoneInfo,
    *,
    forward: bool = False,
    minutes: tuple[int, int] = (7 * 60 + 30, 16 * 60 + 45),
) -> datetime:
    """A moment on ``day`` (office hours unless ``minutes`` says otherwise), moved off
    the weekend: back to Friday, or with ``forward`` on to Monday."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    minute = rng.randint(*minutes)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz).astimezone(UTC)


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


# -- what each unit sends ------------------------------------------------------------------


@dataclass
class _Note:
    """A task's status: in a monthly report sent between ``earliest`` and ``latest``,
    else on its own at ``at`` (``alone``: always on its own)."""

    code: str
    at: datetime
    text: str
    earliest: date
    latest: date
    alone: bool = False


@dataclass
class _Report:
    """A monthly report of figures (``wrong``: first sent with a mistake, then
    corrected), and the statuses that went with it."""

    at: datetime
    day: date
    month: int
    style: int
    parts: list[tuple[str, str]]
    wrong: list[tuple[str, str]] | None = None
    notes: list[_Note] = field(default_factory=list)

    def takes(self, note: _Note, after: datetime | None) -> bool:
        """Whether ``note`` can go in this report: sent in its window, after the task's
        status before, no other status of the task, at most one reason."""
        return (
            note.earliest <= self.day <= note.latest
            and (after is None or self.at > after)
            and all(n.code != note.code for n in self.notes)
            and not (_REASON in note.text and any(_REASON in n.text for n in self.notes))
        )

    def text(self, parts: list[tuple[str, str]]) -> str:
        text = _monthly_text(self.month, parts, self.style)
        # a status with its reason ("chậm do …") last: the reason runs to the end
        notes = sorted(self.notes, key=lambda n: _REASON in n.text)
        return "; ".join([text, *(n.text for n in notes)])


def _unit_messages(
    unit: DemoUnit,
    commune: bool,
    slip: str | None,
    tasks: list[PlanTask],
    months: list[tuple[int, int]],
    plan_start: date,
    tz: ZoneInfo,
    seed: int,
) -> list[Sent]:
    """Everything one unit's official sends in the year (the caller keeps what was sent
    by now); ``slip``: one of ``SLIPS`` the unit makes."""
    rng = random.Random(f"{seed}:{unit.name}")
    if commune and slip is None and rng.random() < NEVER_REPORTS:
        return []
    diligence = rng.random()
    # the slips are made on the first and the last deadline the communes share
    shared = [t for t in tasks if t.kind == "due" and t.due and len(t.lead_ids) > 1] or [None]
    notes: list[_Note] = []
    for task in tasks:
        if unit.id not in task.lead_ids:
            continue
        task_rng = random.Random(f"{seed}:{unit.name}:{task.code}")
        if task.kind == "due" and task.due is not None:
            start = max(plan_start, task.due - timedelta(days=90))
            # a unit of its own (the office, the centre) keeps to its few deadlines
            fate = _fate(task_rng, diligence) if commune else "on_time"
            if slip == "correct_status" and task == shared[0]:
                fate = "corrected"
            elif slip == "undo" and task == shared[-1]:
                fate = "undone"
            notes += _deadline(task.code, start, task.due, fate, task_rng, tz)
        elif task.recurrence == "quarterly":
            notes += _quarterly(task.code, months, diligence, task_rng, tz)
    reports: list[_Report] = []
    if commune and (slip is not None or rng.random() >= NO_FIGURES):
        steady = [t.code for t in tasks if t.kind == "continuous" and unit.id in t.lead_ids]
        corrected = months[-2] if slip == "correct_figures" and len(months) > 1 else None
        reports = _figures(unit, months, diligence, steady, corrected, tz, seed)
    sent: list[tuple[datetime, str]] = []
    last: dict[str, datetime] = {}  # a task's statuses keep their order
    for note in notes:
        after = last.get(note.code)
        report = None
        if not note.alone:
            report = next((r for r in reports if r.takes(note, after)), None)
        if report is not None:
            report.notes.append(note)
            last[note.code] = report.at
        else:
            at = note.at if after is None or note.at > after else after + timedelta(minutes=20)
            sent.append((at, note.text))
            last[note.code] = at
    for report in reports:
        if report.wrong is not None:
            sent.append((report.at, report.text(report.wrong)))
            sent.append((report.at + timedelta(minutes=6), "sửa lại: " + report.text(report.parts)))
        else:
            sent.append((report.at, report.text(report.parts)))
    sent.sort(key=lambda item: item[0])  # stable: a slip's messages keep their order
    return [Sent(at, unit.id, index, text) for index, (at, text) in enumerate(sent)]


def _fate(rng: random.Random, diligence: float) -> str:
    """How a unit fares with one deadline; the diligent mostly finish on time."""
    fates = ("on_time", "late", "in_progress", "delayed", "silent")
    weights = (0.45 + 0.50 * diligence, 0.10, 0.07, 0.04, 0.16 * (1 - diligence))
    return rng.choices(fates, weights)[0]


def _deadline(
    code: str, start: date, due: date, fate: str, rng: random.Random, tz: ZoneInfo
) -> list[_Note]:
    """The statuses one unit reports on one task due on ``due``, worked on from
    ``start``. The windows of successive statuses are days apart."""
    notes: list[_Note] = []
    span = (due - start).days

    def between(low: float, high: float) -> tuple[date, date]:
        return start + timedelta(days=round(span * low)), start + timedelta(days=round(span * high))

    def say(low: float, high: float, text: str) -> None:
        earliest, latest = between(low, high)
        day = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        # in a monthly report sent a little earlier or later, if there is one
        merge = between(max(0.0, low - 0.15), min(1.0, high + 0.1))
        notes.append(_Note(code, _when(day, rng, tz), text, *merge))

    def progress(low: float, high: float, *percents: int) -> None:
        say(low, high, rng.choice(PROGRESS).format(code=code, percent=rng.choice(percents)))

    def delayed(low: float, high: float) -> None:
        say(low, high, DELAYED.format(code=code, reason=rng.choice(REASONS)))

    def done_late() -> None:
        earliest, latest = due + timedelta(days=4), due + timedelta(days=45)
        day = earliest + timedelta(days=rng.randint(0, 41))
        at = _when(day, rng, tz, forward=True)
        text = rng.choice(DONE).format(code=code)
        notes.append(_Note(code, at, text, due + timedelta(days=1), latest + timedelta(days=15)))

    def slip(low: float, high: float, *texts: str) -> None:
        """Texts sent one after another, after office hours, each on its own."""
        day = between(low, high)[0] + timedelta(days=rng.randint(0, max(0, round(span * 0.1))))
        at = _when(day, rng, tz, minutes=SLIP_MINUTES)
        for index, text in enumerate(texts):
            moment = at + timedelta(minutes=4 * index)
            notes.append(_Note(code, moment, text, day, day, alone=True))

    if fate == "on_time":
        if rng.random() < 0.1:
            progress(0.2, 0.45, 30, 40, 50, 60)
        say(0.6, 1.0, rng.choice(DONE).format(code=code))
    elif fate == "late":
        if rng.random() < 0.4:
            progress(0.3, 0.55, 30, 40, 50)
        if rng.random() < 0.6:
            delayed(0.8, 1.0)
        done_late()
    elif fate == "in_progress":
        progress(0.3, 0.55, 20, 30, 40)
        if rng.random() < 0.3:
            progress(0.7, 1.0, 60, 70, 80)
    elif fate == "delayed":
        if rng.random() < 0.5:
            progress(0.2, 0.45, 10, 20, 30)
        delayed(0.7, 1.0)
    elif fate == "corrected":  # "done" by mistake, corrected at once; finished late
        slip(0.4, 0.5, f"nv {code} xong", f"sửa lại: nv {code} đang thực hiện, đạt 70%")
        delayed(0.8, 1.0)
        done_late()
    elif fate == "undone":  # "done" by mistake, undone at once; still in progress
        progress(0.2, 0.4, 30, 40)
        slip(0.7, 0.8, f"nv {code} xong", "hủy", f"nv {code} đang thực hiện, đạt 70%")
    return notes


def _quarterly(
    code: str, months: list[tuple[int, int]], diligence: float, rng: random.Random, tz: ZoneInfo
) -> list[_Note]:
    """A quarterly task (the quarterly report) done from mid last month of the last
    ``QUARTERS`` quarters ending within ``months`` to early the month after; most units
    send it (it is the report the office compiles), the diligent more surely."""
    notes = []
    ends = [(year, month) for year, month in months if month % 3 == 0][-QUARTERS:]
    for year, month in ends:
        if rng.random() > 0.6 + 0.35 * diligence:
            continue
        earliest = date(year, month, 12)
        day = earliest + timedelta(days=rng.randint(0, 21))
        text = rng.choice(DONE).format(code=code) + f" quý {month // 3}"
        at = _when(day, rng, tz, forward=True)
        notes.append(_Note(code, at, text, earliest, day, alone=True))  # its own period
    return notes


@dataclass(frozen=True)
class _Course:
    """An indicator's course at one unit: its value in January and its monthly gain."""

    start: float
    gain: float

    def at(self, month: int, noise: float) -> float:
        return max(5.0, min(100.0, self.start + self.gain * (month - 1) + noise))


def _figures(
    unit: DemoUnit,
    months: list[tuple[int, int]],
    diligence: float,
    steady: list[str],
    corrected: tuple[int, int] | None,
    tz: ZoneInfo,
    seed: int,
) -> list[_Report]:
    """The monthly reports of figures. A month's figures depend on the month only, not
    on which months are sent; ``corrected``: that month's report is first sent with a
    wrong figure, then corrected."""
    rng = random.Random(f"{seed}:{unit.name}:figures")
    cases = rng.randint(40, 420)  # dossiers a month
    digitised = _Course(rng.uniform(45, 68), rng.uniform(1.4, 3.2))  # target ≥ 80
    online = _Course(rng.uniform(26, 48), rng.uniform(1.2, 3.0))  # ≥ 60
    payments = _Course(rng.uniform(45, 68), rng.uniform(1.2, 3.0))  # ≥ 80
    satisfied = _Course(rng.uniform(84, 92), rng.uniform(0.0, 0.6))  # ≥ 90
    style = rng.randrange(3)
    reports = []
    for position, (year, month) in enumerate(months):
        month_rng = random.Random(f"{seed}:{unit.name}:figures:{year}-{month}")
        # more units send figures month after month; the diligent skip fewer months
        sends = (0.45 + 0.11 * position) * (0.85 + 0.2 * diligence)
        if (year, month) != corrected and month_rng.random() >= sends:
            continue
        dossiers = max(12, round(cases * month_rng.uniform(0.8, 1.2)))
        paid = max(6, round(dossiers * month_rng.uniform(0.3, 0.5)))
        share = digitised.at(month, month_rng.uniform(-1.5, 1.5))
        parts = [
            ("số hóa", _count(share, dossiers)),
            ("hồ sơ trực tuyến", _count(online.at(month, month_rng.uniform(-2, 2)), dossiers)),
            ("thanh toán trực tuyến", _count(payments.at(month, month_rng.uniform(-2, 2)), paid)),
        ]
        petitions = max(0, month_rng.randint(-8, 9))  # many months bring none
        if petitions:
            late = 1 if petitions >= 4 and month_rng.random() < 0.25 * (1.2 - diligence) else 0
            parts.append(("phản ánh kiến nghị đúng hạn", f"{petitions - late}/{petitions}"))
        parts.append(("hài lòng", f"{round(satisfied.at(month, month_rng.uniform(-1, 1)))}%"))
        late_report = month_rng.random() < 0.25 * (1 - diligence)
        day = date(
            year, month, month_rng.randint(16, 24) if late_report else month_rng.randint(3, 14)
        )
        wrong = None
        if (year, month) == corrected:  # a slip of the finger in the first figure
            wrong = [("số hóa", _count(share - 6, dossiers)), *parts[1:]]
            at = _when(day, month_rng, tz, forward=True, minutes=SLIP_MINUTES)
        else:
            at = _when(day, month_rng, tz, forward=True)
        report = _Report(at, _local_day(at, tz), month, style, parts, wrong)
        if steady and month_rng.random() < 0.15:
            code = month_rng.choice(steady)
            text = month_rng.choice(STEADY).format(code=code)
            report.notes.append(_Note(code, at, text, report.day, report.day))
        reports.append(report)
    return reports


def _count(percent: float, total: int) -> str:
    return f"{min(total, round(total * percent / 100))}/{total}"


def _monthly_text(month: int, parts: list[tuple[str, str]], style: int) -> str:
    """A monthly report as officials write it: with or without diacritics, commas or
    semicolons, the month first."""
    if style == 0:
        return f"Báo cáo tháng {month}: " + ", ".join(f"{name} {value}" for name, value in parts)
    if style == 1:
        return f"tháng {month}: " + "; ".join(f"{name} {value}" for name, value in parts)
    # "T2".."T7" are weekdays in chat shorthand: those months are written out
    head = f"T{month}" if month in (1, 8, 9, 10, 11, 12) else f"thang {month}"
    return f"{head}: " + ", ".join(f"{plain(name)} {value}" for name, value in parts)
