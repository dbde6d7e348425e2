"""Reading the periodic report's data (``bot.services.periodic.report_data``) for every
commune and ward of the country.

    python -m bench.periodic [--postgres URL]

Every province's units are loaded (3,355 units: the 3,321 communes, wards and special
zones and the 34 provinces) and a plan of 50 tasks is imported through the plan service,
each led by every commune and ward (about 166,000 assignments; 40 tasks due in the third
quarter, 5 recurring, 5 due in the fourth). A quarter's reports are then inserted in
bulk, as the report service would have stored them one by one: a status for four
assignments in five (with its current status and its inbound message, one in ten with a
note, one in fifty undone) and two indicators' figures for every month from every unit.
Target: the whole area's third quarter read in a few seconds, and both files of the
export (the Word report with its chart, the workbook) written in under 10 s, printed
beside the time to read the data. The same report made with
Python's garbage collector running meanwhile (the straightforward way: the service pauses
it) and one unit's report are timed too, and "xã nào chậm?"'s two parts on the same
data: the overdue tasks and the periodic reports not sent, beside "xã nào chưa gửi số
liệu?" (every unit's figures of September) and September's own report (its quarterly
tasks read for the quarter).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

from bot.language.periods import Period
from bot.language.timeframes import parse_timeframe
from bot.plans.model import Comparator, IndicatorDraft, PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans, progress, units
from bot.services.access import staff
from bot.services.identity import Actor
from bot.services.periodic import Standing, reading, report_data
from bot.views import periodic as periodic_views
from bot.views.documents.report_docx import report_docx
from bot.views.documents.report_xlsx import report_xlsx
from bot.views.documents.template import load_template
from storage.catalogue import provinces
from storage.db import Database
from storage.models import (
    Assignment,
    Base,
    CurrentStatus,
    InboundMessage,
    Indicator,
    IndicatorValue,
    Role,
    StatusUpdate,
    Task,
    TaskStatus,
    Unit,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Q3 = Period.quarter(2025, 3)
SEPTEMBER = Period.month(2025, 9)
TODAY = date(2025, 9, 20)


def _timeframe(i: int) -> str:
    if i <= 40:
        return f"Trước ngày {1 + i % 28:02d}/{7 + i % 3}/2025"
    if i <= 45:
        return "Hàng quý"
    return "Quý IV/2025"


def _plan(db: Database) -> None:
    now = datetime(2025, 1, 5, 2, 0, tzinfo=UTC)
    tasks = [
        TaskDraft(
            code=str(i),
            content=f"Nhiệm vụ {i}",
            section=f"{'I' if i <= 25 else 'II'}. Phần",
            lead=["UBND các xã, phường"],
            timeframe_text=_timeframe(i),
            timeframe=parse_timeframe(_timeframe(i), 2025),
        )
        for i in range(1, 51)
    ]
    indicators = [
        IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80)),
        IndicatorDraft("2", "Tỷ lệ hồ sơ trực tuyến", "%", Comparator.AT_LEAST, Decimal(60)),
    ]
    with db.session() as session:
        catalogue = units.unit_catalogue(session)
    draft = PlanDraft(title="KH", issuer="UBND tỉnh", year=2025, tasks=tasks, indicators=indicators)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", office, now), now)


def _reports(db: Database, per_message: int) -> tuple[int, int]:
    """A quarter's facts, inserted in bulk; (statuses, figures). A unit's statuses come
    ``per_message`` to a message ("nv 1.1, 1.2 xong, 1.3 đang làm 50%"), and its two
    figures of a month in one message."""
    chance = random.Random(7)
    start = datetime(2025, 6, 14, 17, 0, tzinfo=UTC)  # 15/6 00:00 in Hà Nội
    span = (datetime(2025, 9, 14, 17, 0, tzinfo=UTC) - start).total_seconds()
    with db.session() as session:
        rows = session.execute(
            select(Assignment.id, Assignment.unit_id, Task.timeframe_kind)
            .join(Task, Task.id == Assignment.task_id)
            .order_by(Assignment.unit_id, Assignment.id)
        ).all()
        indicator_ids = session.scalars(select(Indicator.id)).all()
        unit_ids = sorted({unit for _a, unit, _k in rows})
        messages, updates, current, figures = [], [], [], []
        number = 0  # status rows
        message_id = 0
        in_message, message_unit, at = per_message, None, start

        def new_message(text: str, when: datetime) -> int:
            nonlocal message_id
            message_id += 1
            messages.append(
                {
                    "id": message_id,
                    "transport": "telegram",
                    "update_id": message_id,
                    "kind": "text",
                    "text": text,
                    "received_at": when,
                }
            )
            return message_id

        for assignment_id, unit_id, kind in rows:
            roll = chance.random()
            if roll > 0.8:
                continue  # nothing said
            number += 1
            if in_message >= per_message or unit_id != message_unit:
                at = start + timedelta(seconds=chance.random() * span)
                current_message = new_message(f"nv {number % 50} xong", at)
                in_message, message_unit = 0, unit_id
            in_message += 1
            status = TaskStatus.DONE if roll < 0.5 else TaskStatus.IN_PROGRESS
            periodic = kind in ("recurring", "continuous")
            period_start = date(2025, 9, 1) if periodic else None
            undone = chance.random() < 0.02
            updates.append(
                {
                    "id": number,
                    "assignment_id": assignment_id,
                    "period_start": period_start,
                    "status": status,
                    "percent": None if status is TaskStatus.DONE else 50,
                    "note": "thiếu người" if chance.random() < 0.1 else None,
                    "inbound_message_id": current_message,
                    "created_at": at,
                    "retracted_at": at + timedelta(minutes=5) if undone else None,
                }
            )
            if not undone:
                current.append(
                    {
                        "assignment_id": assignment_id,
                        "period_key": period_start.isoformat() if period_start else "-",
                        "status_update_id": number,
                        "status": status,
                        "percent": None if status is TaskStatus.DONE else 50,
                        "since": at,
                        "updated_at": at,
                    }
                )
        for unit_id in unit_ids:
            for month in (7, 8, 9):
                sent = datetime(2025, month, 3, 2, 0, tzinfo=UTC)
                message = new_message("so hoa 85/100, truc tuyen 40/90", sent)
                for indicator_id in indicator_ids:
                    denominator = chance.randint(50, 200)
                    numerator = chance.randint(0, denominator)
                    figures.append(
                        {
                            "indicator_id": indicator_id,
                            "unit_id": unit_id,
                            "period_start": date(2025, month, 1),
                            "period_end": date(2025, month, 28),
                            "value": Decimal(100 * numerator) / denominator,
                            "numerator": numerator,
                            "denominator": denominator,
                            "inbound_message_id": message,
                            "created_at": sent,
                        }
                    )
        session.execute(insert(InboundMessage), messages)
        session.execute(insert(StatusUpdate), updates)
        session.execute(insert(CurrentStatus), current)
        session.execute(insert(IndicatorValue), figures)
    return len(updates), len(figures)


def _time(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def fresh_database(postgres: str | None, sqlite_file: Path) -> Database:
    """An empty database at the code's schema: ``postgres``'s public schema dropped and
    made again, or without it a new SQLite file (the benches' data go in after)."""
    if postgres:
        db = Database(postgres)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db = Database(f"sqlite:///{sqlite_file}")
    db.ensure_ready()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose schema is dropped and made")
    parser.add_argument(
        "--per-message",
        type=int,
        default=3,
        help="statuses a message carries (3: as in the demo, 2.8 on average; 1: the worst case)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(args.postgres, Path(tmp) / "periodic.db")
        for name, _short in provinces():
            units.load_official(db, name)
        began = time.perf_counter()
        _plan(db)
        statuses, figures = _reports(db, args.per_message)
        print(f"set up in {time.perf_counter() - began:.0f} s")
        with db.session() as session:
            count = len(session.scalars(select(Unit.id)).all())
            assignments = len(session.scalars(select(Assignment.id)).all())
            one = session.scalar(select(Unit.id).where(Unit.kind == "xa").limit(1))

        def area() -> None:
            report_data(db, Q3, TODAY, viewer=staff(), tz=HANOI, cutoff_day=15)

        report = report_data(db, Q3, TODAY, viewer=staff(), tz=HANOI, cutoff_day=15)
        took = _time(area, 3)
        print(
            f"{db.engine.dialect.name}: the third quarter for {count:,} units × 50 tasks "
            f"({assignments:,} assignments, {statuses:,} statuses, {figures:,} figures; "
            f"{len(report.log):,} facts in {len({e.inbound_id for e in report.log}):,} messages, "
            f"{report.count(Standing.OVERDUE):,} overdue): "
            f"{took:.2f} s"
        )
        paused = reading._collector_paused
        reading._collector_paused = contextlib.nullcontext  # the straightforward way
        try:
            running = _time(area, 3)
        finally:
            reading._collector_paused = paused
        print(f"… with the garbage collector running meanwhile: {running:.2f} s")
        unit = _time(
            lambda: report_data(
                db, Q3, TODAY, viewer=staff(), tz=HANOI, cutoff_day=15, unit_id=one
            ),
            5,
        )
        print(f"one unit's: {unit * 1e3:.0f} ms")
        # a month of the quarter: its recurring (quarterly) tasks read for the quarter
        month = _time(
            lambda: report_data(db, SEPTEMBER, TODAY, viewer=staff(), tz=HANOI, cutoff_day=15), 3
        )
        print(
            f"its last month (September; the quarterly tasks read for the quarter): {month:.2f} s"
        )
        # "xã nào chậm?": the overdue tasks, and beside them the periodic reports not sent
        # (each recurring task's last closed quarter, the lead units with nothing for it)
        late = _time(lambda: progress.overdue(db, TODAY, viewer=staff()), 3)
        missed = _time(lambda: progress.missed_reports(db, TODAY, viewer=staff(), cutoff_day=15), 3)
        print(
            f"who is late: the overdue tasks {late * 1e3:.0f} ms, the periodic reports not "
            f"sent {missed * 1e3:.0f} ms ({missed / late:.1f}× the overdue tasks' time)"
        )
        # "xã nào chưa gửi số liệu?": every unit's figures of a month, against the plan's
        # indicators
        unsent = _time(
            lambda: progress.figures_missing(db, SEPTEMBER, TODAY, viewer=staff(), cutoff_day=15),
            3,
        )
        print(
            f"who has not sent September's figures: {unsent * 1e3:.0f} ms "
            f"({unsent / late:.1f}× the overdue tasks' time)"
        )
        # The export: both files from the data read above, as /xuat sends them.
        began = time.perf_counter()
        picture = periodic_views.chart(report, "vi")
        word = report_docx(report, load_template(), picture, "vi")
        drafted = time.perf_counter() - began
        began = time.perf_counter()
        workbook = report_xlsx(report, "vi")
        written = time.perf_counter() - began
        print(
            f"export: Word {drafted:.2f} s ({len(word) / 2**20:.1f} MB, chart included), "
            f"workbook {written:.2f} s ({len(workbook) / 2**20:.1f} MB); both "
            f"{drafted + written:.2f} s against {took:.2f} s to read the data "
            f"({(drafted + written) / took:.1f}×)"
        )
        if args.postgres:
            Base.metadata.drop_all(db.engine)
        db.dispose()


if __name__ == "__main__":
    main()
