"""The web pages' read models (``bot.services.site``) for every commune and ward of the
country: the data of ``bench/periodic.py`` (3,355 units, a plan of 50 tasks led by every
commune and ward, a quarter's statuses and two indicators' monthly figures).

    python -m bench.site [--postgres URL]

Each page's read model is timed as the office and as an official (median of 5 runs),
with the number of queries it ran. Target: well under the 1.5 s a page may take.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select

from bench.periodic import HANOI, TODAY, _plan, _reports, fresh_database
from bot.services import site, units
from bot.services.identity import Actor
from storage.catalogue import provinces
from storage.models import Base, Indicator, Role, Task, Unit


def _time(function, repeat: int = 5) -> tuple[float, int]:
    """The median time of ``function`` and the statements it ran (the last run)."""
    runs, count = [], 0
    for _ in range(repeat):
        statements: list[str] = []

        def note(*args, statements: list[str] = statements) -> None:
            statements.append(args[2])

        event.listen(ENGINE[0], "before_cursor_execute", note)
        began = time.perf_counter()
        try:
            function()
        finally:
            runs.append(time.perf_counter() - began)
            event.remove(ENGINE[0], "before_cursor_execute", note)
        count = len(statements)
    return statistics.median(runs), count


ENGINE: list = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose schema is dropped and made")
    parser.add_argument(
        "--keep", action="store_true", help="leave the PostgreSQL data in place afterwards"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(args.postgres, Path(tmp) / "site.db")
        ENGINE.append(db.engine)
        for name, _short in provinces():
            units.load_official(db, name)
        _plan(db)
        statuses, figures = _reports(db, 3)
        with db.session() as session:
            one = session.scalar(select(Unit.id).where(Unit.kind == "xa").limit(1))
            task = session.scalar(select(Task.id).where(Task.code == "1"))
            indicator = session.scalar(select(Indicator.id).where(Indicator.code == "1"))
        office = Actor(user_id=None, language="vi", role=Role.OFFICE)
        official = Actor(user_id=1, language="vi", official_id=1, role=Role.OFFICIAL, unit_id=one)
        print(f"{db.engine.dialect.name}: {statuses:,} statuses, {figures:,} figures")
        pages = {
            "one task": lambda viewer: site.task_page(db, task, TODAY, viewer=viewer, tz=HANOI),
            "one indicator": lambda viewer: site.indicator_page(
                db, indicator, TODAY, viewer=viewer, tz=HANOI, cutoff_day=15
            ),
            "the log, first page": lambda viewer: site.report_log(db, viewer=viewer, tz=HANOI),
            "the log, one task": lambda viewer: site.report_log(
                db, viewer=viewer, tz=HANOI, filters=site.LogFilter(task_id=task)
            ),
            "the plan": lambda viewer: site.plan_page(db, TODAY, viewer=viewer, tz=HANOI),
            "export periods": lambda viewer: site.export_choices(
                db, TODAY, viewer=viewer, cutoff_day=15
            ),
        }
        for name, page in pages.items():
            for who, viewer in (("office", office), ("official", official)):
                took, count = _time(lambda page=page, viewer=viewer: page(viewer))
                print(f"{name} as {who}: {took * 1e3:.0f} ms, {count} queries")
        if args.postgres and not args.keep:
            Base.metadata.drop_all(db.engine)
        db.dispose()


if __name__ == "__main__":
    main()
