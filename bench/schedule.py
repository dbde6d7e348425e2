"""Building the reminder schedule for every commune and ward, and an idle tick.

    python -m bench.schedule [PROVINCES]

Loads the official units of all 34 provinces (3,321 communes, wards and special zones) or
the first PROVINCES of them, a 50-task plan assigned to "UBND các xã, phường" (one
assignment per unit: 166,050 for the whole country), one registered official per unit,
then times ``rebuild`` (facts → policy → rows) and ``claim`` when nothing is due.
Targets: the schedule in under 10 s, an idle tick under 1 ms. The floor in the same run
is a bulk INSERT of the same number of reminder rows, computing nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.config import Settings
from bot.language.timeframes import parse_timeframe
from bot.plans.model import PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans, units
from bot.services.identity import Actor
from scheduling import outbox, schedule
from scheduling.policy import reminder_settings
from storage.catalogue import provinces
from storage.db import Database
from storage.models import Official, Reminder, ReminderState, Role, Unit

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _plan() -> PlanDraft:
    tasks = []
    for index in range(1, 51):
        text = f"Trước ngày {1 + index % 28:02d}/12/2026" if index % 2 else "Thường xuyên"
        tasks.append(
            TaskDraft(
                code=str(index),
                content=f"Nhiệm vụ số {index}",
                lead=["UBND các xã, phường"],
                timeframe_text=text,
                timeframe=parse_timeframe(text, 2026),
            )
        )
    return PlanDraft(title="Kế hoạch thử", issuer="UBND tỉnh", year=2026, tasks=tasks)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 34
    settings = Settings(_env_file=None)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'schedule.db'}")
        db.ensure_ready()
        for name, _short in provinces()[:count]:
            units.load_official(db, name)
        with db.session() as session:
            catalogue = units.unit_catalogue(session)
        office = Actor(user_id=None, language="vi", role=Role.OFFICE)
        resolved = resolve_plan(_plan(), catalogue)
        plans.confirm(db, plans.store_draft(db, resolved, "kh", office, NOW), NOW)
        with db.session() as session:
            ids = session.scalars(select(Unit.id).where(Unit.kind.in_(["xa", "phuong", "dac_khu"])))
            session.execute(
                insert(Official),
                [
                    {
                        "telegram_user_id": 1_000_000 + unit_id,
                        "unit_id": unit_id,
                        "role": Role.OFFICIAL,
                        "full_name": f"Cán bộ {unit_id}",
                    }
                    for unit_id in ids
                ],
            )
        reminding = reminder_settings(settings)
        began = time.perf_counter()
        result = schedule.rebuild(db, reminding, NOW)
        build = time.perf_counter() - began
        began = time.perf_counter()
        again = schedule.rebuild(db, reminding, NOW)
        rebuild = time.perf_counter() - began
        ticks = []
        for _ in range(200):
            began = time.perf_counter()
            outbox.claim(db, NOW, reminding)  # Sunday 09:00: nothing due
            ticks.append(time.perf_counter() - began)
        rows = result.created
        began = time.perf_counter()
        with db.session() as session:
            session.execute(
                insert(Reminder),
                [
                    {
                        "key": f"floor:{i}",
                        "kind": "due",
                        "due_at": NOW + timedelta(days=1),
                        "state": ReminderState.CANCELLED,
                        "payload": {},
                    }
                    for i in range(rows)
                ],
            )
        floor = time.perf_counter() - began
        print(
            f"{len(catalogue)} units, 50 tasks; first build {build:.2f} s ({rows:,} rows), "
            f"rebuild with nothing new {rebuild:.2f} s ({again.created} rows); "
            f"idle tick median {statistics.median(ticks) * 1e3:.2f} ms, "
            f"p99 {statistics.quantiles(ticks, n=100)[98] * 1e3:.2f} ms; "
            f"floor: bulk insert of {rows:,} rows {floor:.2f} s (ratio {build / floor:.1f})"
        )
        db.dispose()


if __name__ == "__main__":
    main()
