"""Time and memory to refuse hostile files, next to reading real plans.

    python -m bench.big_files              # every case
    python -m bench.big_files units        # the cases whose name contains "units"

Builds the files in a temporary directory (`tests/hostile_files.py`: a 1,000,000-row
workbook, a 19 MB text on one line, a 1,000,000-row units CSV, …), then reads each in a
fresh Python process the way the bot does (plans: ``read_document`` with a clock, as
``bot.services.plans.read_plan`` calls it, then ``parse_plan``: the work before units
are resolved and the preview is stored; units: ``import_units`` into an empty SQLite
database) and prints the outcome, the wall time, and the peak resident memory the
process gained over its baseline after imports (``resource.getrusage``; it includes
what lxml and zlib allocate, which tracemalloc does not see). Each case runs alone in
its process, so one case's peak does not hide another's. ``--timeout S`` stops a case
after S seconds (default 300).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests import hostile_files as hostile
from tests.plans_fixtures import sample_docx, sample_path, sample_xlsx

DECISION = "quyet-dinh-huyen-son-tay-2025.txt"

# (label, file name, builder, what reads it)
CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("real plan: text, 50 tasks", "qd.txt", lambda: sample_path(DECISION).read_bytes(), "plan"),
    ("real plan: Word, 50 tasks", "qd.docx", lambda: sample_docx(DECISION), "plan"),
    ("real plan: Excel, 50 tasks", "qd.xlsx", lambda: sample_xlsx(DECISION), "plan"),
    ("plan .xlsx, 1,998 rows, under caps", "p.xlsx", lambda: hostile.plan_xlsx(1998, 4), "plan"),
    ("plan .docx, 1,998 rows, under caps", "p.docx", lambda: hostile.plan_docx(1998), "plan"),
    ("plan .txt, 2,000 paragraphs, under caps", "p.txt", lambda: hostile.plan_text(2000), "plan"),
    ("plan .xlsx, 1,000,000 rows", "p.xlsx", lambda: hostile.plan_xlsx(1_000_000), "plan"),
    ("plan .xlsx, 100,000 rows", "p.xlsx", lambda: hostile.plan_xlsx(100_000), "plan"),
    ("plan .docx, 1,000,000-row table", "p.docx", lambda: hostile.plan_docx(1_000_000), "plan"),
    ("plan .docx, 50,000-row table", "p.docx", lambda: hostile.plan_docx(50_000), "plan"),
    ("plan .txt, 19 MB on one line", "p.txt", lambda: hostile.one_line_text(19 * 2**20), "plan"),
    ("plan .txt, 400 KB on one line", "p.txt", lambda: hostile.one_line_text(400_000), "plan"),
    ("units .csv, 3,400 rows (a province)", "u.csv", lambda: hostile.units_csv(3_400), "units"),
    ("units .csv, 19,999 rows, under caps", "u.csv", lambda: hostile.units_csv(19_999), "units"),
    ("units .csv, 1,000,000 rows", "u.csv", lambda: hostile.units_csv(1_000_000), "units"),
    ("units .csv, 250,000 rows (8 MB)", "u.csv", lambda: hostile.units_csv(250_000), "units"),
    ("units .xlsx, 1,000,000 rows", "u.xlsx", lambda: hostile.units_xlsx(1_000_000), "units"),
    ("units .xlsx, 100,000 rows", "u.xlsx", lambda: hostile.units_xlsx(100_000), "units"),
    ("units .xlsx, 50,000 rows", "u.xlsx", lambda: hostile.units_xlsx(50_000), "units"),
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _one(kind: str, path: Path) -> dict[str, object]:
    """Run in the child: read one file, report the outcome, time and memory."""
    if kind == "plan":
        from bot.plans.files import Budget, PlanFileError
        from bot.plans.parser import parse_plan
        from bot.plans.readers import read_document

        for name, sample in (
            ("warm-up.txt", sample_path(DECISION).read_bytes()),
            ("warm-up.docx", sample_docx(DECISION)),
            ("warm-up.xlsx", sample_xlsx(DECISION)),
        ):
            read_document(sample, name)  # modules imported, caches filled
        data = path.read_bytes()
        base = _peak_mb()
        start = time.perf_counter()
        try:
            document = read_document(data, path.name, Budget(time.monotonic))
            draft = parse_plan(document, year=2026)
            outcome = f"read, {len(draft.tasks)} tasks"
        except PlanFileError as exc:
            outcome = f"refused: {exc.reason}"
    else:
        from bot.services.units import UnitImportError, import_units
        from storage.db import Database

        db = Database(f"sqlite:///{path.parent / (path.stem + '.db')}")
        db.ensure_ready()
        base = _peak_mb()
        start = time.perf_counter()
        try:
            report = import_units(db, path)
            outcome = f"imported, {len(report.created)} units"
        except UnitImportError as exc:
            error = exc.errors[0]
            outcome = "refused: " + error.message.format(**error.args)
    seconds = time.perf_counter() - start
    return {"outcome": outcome, "seconds": seconds, "memory_mb": _peak_mb() - base}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(_one(argv[1], Path(argv[2]))))
        return
    timeout = 300.0
    if "--timeout" in argv:
        at = argv.index("--timeout")
        timeout = float(argv[at + 1])
        del argv[at : at + 2]
    wanted = [c for c in CASES if not argv or any(word in c[0] for word in argv)]
    print(f"{'file':<46} {'size':>9}  {'outcome':<44} {'time':>8} {'memory':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for index, (label, name, build, kind) in enumerate(wanted):
            path = Path(tmp) / f"{index}-{name}"
            path.write_bytes(build())
            size = path.stat().st_size
            command = [sys.executable, "-m", "bench.big_files", "--one", kind, str(path)]
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=timeout, env=os.environ
                )
                result = json.loads(done.stdout.strip().splitlines()[-1])
                outcome = str(result["outcome"])[:44]
                seconds = f"{result['seconds']:.3f} s"
                memory = f"{result['memory_mb']:.0f} MB"
            except subprocess.TimeoutExpired:
                outcome, seconds, memory = "no answer", f"> {timeout:.0f} s", "?"
            except (ValueError, IndexError):
                outcome, seconds, memory = f"failed: {done.stderr[-60:]!r}", "?", "?"
            print(f"{label:<46} {size / 2**20:>6.1f} MB  {outcome:<44} {seconds:>8} {memory:>9}")
            path.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
