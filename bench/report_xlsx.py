"""The periodic report's workbook for a quarter of 3,355 units × 50 tasks, built by hand
(no database: the time to read the data is the report service's bench).

    python -m bench.report_xlsx            # the log: one fact per assignment (167,750)
    python -m bench.report_xlsx 20000      # a shorter log

Prints, each three times: the whole workbook (the matrix, ten indicators of every unit,
the units overdue, the log) with the growth of the process's peak memory; then the
matrix alone (``report_xlsx`` of a report with only the tasks) against the
straightforward way in the same run (a normal workbook, a new ``Font`` and
``PatternFill`` set on every cell). Target: the matrix in a few seconds.
"""

from __future__ import annotations

import dataclasses
import io
import resource
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from bot.i18n import translations
from bot.language.periods import Period
from bot.services.periodic import (
    Behind,
    IndicatorReport,
    LogEntry,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)
from bot.sheets import put
from bot.views.documents.report_xlsx import FILLS, report_xlsx, standing_text

UNITS = 3355
TASKS = 50
INDICATORS = 10
START = datetime(2025, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def build(log_size: int) -> PeriodicReport:
    names = [f"Xã Số {n:04d}" for n in range(1, UNITS + 1)]
    standings = list(Standing)
    tasks = []
    for t in range(TASKS):
        units = []
        for u, name in enumerate(names):
            standing = standings[(t + u) % len(standings)]
            reported = standing in (Standing.DONE, Standing.LATE, Standing.IN_PROGRESS)
            late = standing in (Standing.LATE, Standing.OVERDUE)
            units.append(
                UnitStanding(
                    u + 1,
                    name,
                    u % 7 != 0,
                    standing,
                    50 if standing is Standing.IN_PROGRESS else None,
                    START + timedelta(minutes=u) if reported else None,
                    u % 30 + 1 if late else None,
                )
            )
        content = f"Nhiệm vụ số {t + 1} về kiểm soát thủ tục hành chính"
        tasks.append(
            TaskReport(
                f"{t // 10 + 1}.{t % 10 + 1}",
                content,
                None,
                None,
                date(2025, 8, 31),
                None,
                tuple(units),
            )
        )
    figures = tuple(
        UnitFigure(u + 1, name, Decimal("85.5"), Decimal(171), Decimal(200), True, START)
        for u, name in enumerate(names)
    )
    indicators = tuple(
        IndicatorReport(
            f"CT{i}",
            f"Chỉ tiêu {i}",
            "%",
            ">=",
            Decimal(80),
            Decimal("85.5"),
            Decimal(171 * UNITS),
            Decimal(200 * UNITS),
            True,
            figures,
            UNITS,
        )
        for i in range(1, INDICATORS + 1)
    )
    log = tuple(
        LogEntry(
            START + timedelta(seconds=n),
            names[n % UNITS],
            "Nguyễn Văn An",
            tasks[n % TASKS].code,
            f"{tasks[n % TASKS].code} xong, 3.4 đang làm 50% vướng do thiếu máy",
            n % 20 == 0,
            "done",
            inbound_id=n,  # a message per fact: the worst case
        )
        for n in range(log_size)
    )
    behind = tuple(
        Behind(
            unit.unit_id,
            unit.unit,
            task.code,
            task.content,
            date(2025, 8, 31),
            unit.days_late or 0,
            (Said(unit.unit, START, "thiếu máy scan"),),
        )
        for task in tasks
        for unit in task.units
        if unit.standing is Standing.OVERDUE
    )
    upcoming = tuple(
        Upcoming(f"9.{k}", "Tổng kết", date(2025, 12, 1), tuple(names)) for k in range(10)
    )
    return PeriodicReport(
        period=Period.quarter(2025, 3),
        window=(date(2025, 6, 15), date(2025, 9, 14)),
        made_on=date(2025, 9, 20),
        plan_title="Kế hoạch kiểm soát thủ tục hành chính năm 2025",
        plan_issuer="UBND tỉnh",
        plan_year=2025,
        unit=None,
        sections=(Section("I", tuple(tasks)),),
        indicators=indicators,
        behind=behind,
        next_period=Period.quarter(2025, 4),
        upcoming=upcoming,
        log=log,
        silent=tuple(names[:100]),
        units=tuple(names),
    )


def straightforward_matrix(report: PeriodicReport) -> bytes:
    """The matrix in a normal workbook with a new font and fill set on every cell."""
    _ = translations("vi").gettext
    book = Workbook()
    ws = book.active
    tasks = [task for section in report.sections for task in section.tasks]
    rows = {name: row for row, name in enumerate(report.units, start=4)}
    for column, task in enumerate(tasks, start=2):
        put(ws, 3, column, task.code).font = Font(bold=True)
        for unit in task.units:
            cell = put(ws, rows[unit.unit], column, standing_text(unit, _))
            cell.font = Font(italic=not unit.lead)
            cell.fill = PatternFill("solid", fgColor=FILLS[unit.standing])
    for name, row in rows.items():
        put(ws, row, 1, name)
    ws.freeze_panes = "B4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _times(write, report: PeriodicReport, runs: int = 3) -> tuple[list[float], int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        content = write(report)
        times.append(time.perf_counter() - start)
    return times, len(content)


def _seconds(times: list[float]) -> str:
    return f"{min(times):.2f}–{max(times):.2f} s"


def main(argv: list[str]) -> None:
    log_size = int(argv[0]) if argv else UNITS * TASKS
    report = build(log_size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    full, size = _times(lambda r: report_xlsx(r, "vi"), report)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    cells = (
        UNITS * TASKS
        + sum(len(i.units) + 1 for i in report.indicators) * 11
        + len(report.behind) * 6
        + len(report.log) * 7
    )
    print(
        f"whole workbook ({INDICATORS * UNITS:,} unit figures, {len(report.behind):,} overdue, "
        f"{len(report.log):,} log rows; about {cells / 1e6:.1f} million cells): "
        f"{_seconds(full)} ({size / 1e6:.1f} MB), peak memory +{grown:.0f} MB"
    )

    matrix = dataclasses.replace(report, indicators=(), behind=(), upcoming=(), log=())
    print(f"{UNITS:,} units × {TASKS} tasks = {UNITS * TASKS:,} matrix cells")
    ours, size = _times(lambda r: report_xlsx(r, "vi"), matrix)
    plain, _size = _times(straightforward_matrix, matrix)
    print(
        f"matrix alone: {_seconds(ours)} ({size / 1e6:.1f} MB); straightforward, same run: "
        f"{_seconds(plain)} ({min(plain) / min(ours):.1f}×)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
