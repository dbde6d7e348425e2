"""The progress chart and the overview answer, against a straightforward pyplot chart.

    python -m bench.charts

Targets: the 30-bar phone chart under 200 ms after warm-up and at least 3× faster than
``plt.barh`` + ``tight_layout`` at dpi 150 (the straightforward way, same data, same
run); the overview answer with its chart for about 130 units × 50 tasks under 400 ms,
and for every commune and ward of the country (3,321, with the provinces: 3,355 units)
× 50 tasks under 1.5 s: the overview of a period ("tình hình tháng 11") and, beside it,
the standing now ("tình hình tháng này": the plan to date, a month ago, this month, the
indicators and the silent units, with its chart) on 20/11 and on 10/12 (when the
standing a month before must be read from the history of half the statuses), and one
unit's standing to date ("tiến độ xã X") beside the whole area's taken for its line. The big
plan is imported through the plan service (about 20 s here); its 166,000 task statuses
are then inserted in bulk, as the report service would have stored them one by one.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bot.charts import Bar, progress_chart
from bot.language.periods import Period
from bot.language.timeframes import parse_timeframe
from bot.plans.model import PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans, progress, standing, units
from bot.services.access import staff
from bot.services.identity import Actor
from bot.views.progress import overview_reply
from bot.views.standing import standing_reply
from storage.db import Database
from storage.models import Role

STATES = ("done", "late", "in_progress", "overdue", "not_reported")


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _bars(count: int) -> list[Bar]:
    bars = []
    for i in range(count):
        counts = {s: (i * (j + 3)) % 7 for j, s in enumerate(STATES)}
        total = sum(counts.values()) or 1
        bars.append(Bar(f"Xã Thử Nghiệm Số {i:04d}", counts, 100 * counts["done"] / total))
    return bars


def _pyplot(bars: list[Bar]) -> bytes:
    fig, ax = plt.subplots(figsize=(9, 12))
    left = [0] * len(bars)
    for state in STATES:
        widths = [b.counts[state] for b in bars]
        ax.barh([b.label for b in bars], widths, left=left, label=state)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.legend()
    ax.set_title("Tiến độ")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    return buffer.getvalue()


def _time(function, repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    legend = {s: s for s in STATES}
    bars = _bars(30)
    progress_chart(bars, "warm-up", legend)  # fonts and caches
    _pyplot(bars)
    ours = _time(lambda: progress_chart(bars, "Tiến độ tháng 11/2026", legend))
    plain = _time(lambda: _pyplot(bars))
    print(
        f"30-bar chart: {ours * 1e3:.0f} ms; plt.barh + tight_layout at dpi 150: "
        f"{plain * 1e3:.0f} ms (ours is {plain / ours:.1f}× faster)"
    )
    many = _bars(3321)
    print(
        "3,321 units (top and bottom 15): "
        f"{_time(lambda: progress_chart(many, 't', legend)) * 1e3:.0f} ms"
    )

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'o.db'}")
        db.ensure_ready()
        units.load_official(db, "Tuyên Quang")
        catalogue = _fifty_tasks(db)
        took = _overview_answer(db, repeat=5)
        now = _standing_answer(db, date(2026, 11, 20), repeat=5)
        print(
            f"overview answer with its chart, {len(catalogue)} units × 50 tasks: "
            f"{took * 1e3:.0f} ms; the standing now: {now * 1e3:.0f} ms"
        )
        db.dispose()
        _nationwide(Path(tmp))


def _overview_answer(db: Database, repeat: int) -> float:
    """The median time of November's overview answer with its chart, after one warm run."""
    period = Period.month(2026, 11)

    def answer() -> None:
        data = progress.overview(db, period, date(2026, 11, 20), viewer=staff(), tz=HANOI)
        overview_reply(data, "vi", detail=True)

    answer()
    return _time(answer, repeat=repeat)


def _standing_answer(db: Database, today: date, repeat: int) -> float:
    """The median time of the standing on ``today`` with its chart, after one warm run."""

    def answer() -> None:
        data = standing.standing(db, today, viewer=staff(), tz=HANOI, cutoff_day=15)
        reply = standing_reply(data, "vi", detail=True)
        assert reply.attachments  # the chart was drawn

    answer()
    return _time(answer, repeat=repeat)


def _fifty_tasks(db: Database) -> list:
    """Import a plan of 50 tasks due in November, each led by every commune and ward of
    the units loaded, through the plan service; the unit catalogue."""
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    tasks = [
        TaskDraft(
            code=str(i),
            content=f"Nhiệm vụ {i}",
            lead=["UBND các xã, phường"],
            timeframe_text=f"Trước ngày {1 + i % 28:02d}/11/2026",
            timeframe=parse_timeframe(f"Trước ngày {1 + i % 28:02d}/11/2026", 2026),
        )
        for i in range(1, 51)
    ]
    with db.session() as session:
        catalogue = units.unit_catalogue(session)
    draft = PlanDraft(title="KH", issuer="UBND tỉnh", year=2026, tasks=tasks)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", office, now), now)
    return catalogue


def _nationwide(tmp: Path) -> None:
    import random

    from sqlalchemy import insert, select

    from storage.catalogue import provinces
    from storage.models import Assignment, CurrentStatus, StatusUpdate, TaskStatus

    db = Database(f"sqlite:///{tmp / 'n.db'}")
    db.ensure_ready()
    for name, _short in provinces():
        units.load_official(db, name)
    catalogue = _fifty_tasks(db)
    chance = random.Random(7)
    with db.session() as session:
        ids = session.scalars(select(Assignment.id)).all()
        updates, current = [], []
        for number, assignment_id in enumerate(ids, start=1):
            roll = chance.random()
            if roll > 0.8:
                continue  # nothing said
            status = TaskStatus.DONE if roll < 0.6 else TaskStatus.IN_PROGRESS
            at = datetime(2026, 11, 1 + number % 19, 3, 0, tzinfo=UTC)
            updates.append(
                {"id": number, "assignment_id": assignment_id, "status": status, "created_at": at}
            )
            current.append(
                {
                    "assignment_id": assignment_id,
                    "period_key": "-",
                    "status_update_id": number,
                    "status": status,
                    "since": at,
                    "updated_at": at,
                }
            )
        session.execute(insert(StatusUpdate), updates)
        session.execute(insert(CurrentStatus), current)
    took = _overview_answer(db, repeat=3)
    now = _standing_answer(db, date(2026, 11, 20), repeat=3)
    later = _standing_answer(db, date(2026, 12, 10), repeat=3)
    print(
        f"overview answer with its chart, {len(catalogue)} units × 50 tasks "
        f"({len(ids):,} assignments, {len(updates):,} statuses): {took * 1e3:.0f} ms; "
        f"the standing now on 20/11: {now * 1e3:.0f} ms, on 10/12: {later * 1e3:.0f} ms"
    )
    _one_unit(db, date(2026, 11, 20))
    db.dispose()


def _one_unit(db: Database, today: date) -> None:
    """One unit's standing to date ("tiến độ xã X"), beside the straightforward way: the
    whole area's standing, its line taken."""
    from sqlalchemy import select

    from storage.models import Assignment

    with db.session() as session:
        unit_id = session.scalar(select(Assignment.unit_id).limit(1))
    assert unit_id is not None

    def alone() -> standing.UnitStanding | None:
        return standing.unit_standing(db, today, unit_id, viewer=staff(), tz=HANOI)

    def whole() -> standing.UnitStanding | None:
        now = standing.standing(db, today, viewer=staff(), tz=HANOI, cutoff_day=15)
        return next((u for u in now.units if u.unit_id == unit_id), None)

    def counts(unit: standing.UnitStanding | None) -> tuple | None:
        return unit and (unit.done, unit.late, unit.overdue, unit.done_early, unit.upcoming)

    assert counts(alone()) == counts(whole())  # the same line
    ours, straightforward = _time(alone, repeat=5), _time(whole, repeat=3)
    print(
        f"one unit's standing to date: {ours * 1e3:.1f} ms; the whole area's, its line "
        f"taken: {straightforward * 1e3:.0f} ms ({straightforward / ours:.0f}× slower)"
    )


if __name__ == "__main__":
    main()
