"""Time on pathological long lines and cells: does the work grow with the length, not its
square?

    python -m bench.long_lines

Each input is timed at half the longest line or cell a reader accepts
(``MAX_LINE_CHARS``) and at the full length; the ratio is about 2 when the work is
linear, about 4 when it is quadratic. Beside it, in the same run: for the markdown lines,
the straightforward expression for inner emphasis (unbounded ``(.*?)`` where the reader
bounds the span to 500 characters) run over the same lines; for the long cells, parsing
the real 50-task decision (tests/data/plans), for scale.

The unit tests assert the counted work instead (tests/unit/test_plan_limits.py: the
characters the unit splitter searches, the percentages read, the emphasis span).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.plans.files import MAX_LINE_CHARS
from bot.plans.model import Cell, Document, Paragraph, Table
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document

CELLS = ["xã ", "đạt 80% hồ sơ ", "**a ", "Quý I, II, III, ", "Phòng Nội vụ, "]
HEADER = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian")
PLANS = Path(__file__).parents[1] / "tests" / "data" / "plans"
DECISION = "quyet-dinh-huyen-son-tay-2025.txt"
UNBOUNDED = re.compile(r"(\*{2,3}|_{2,3})(?=\S)(.*?)(?<=\S)\1", re.S)


def _median(function: Callable[[], object], repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _markdown(length: int) -> bytes:
    line = ("**a " * (length // 4 + 1))[: length - 1]
    return "\n\n".join([line] * 20).encode()


def _cells(words: str, length: int) -> Document:
    big = (words * length)[:length]
    rows = [tuple(Cell(t, bold=True) for t in HEADER)]
    rows += [tuple(Cell(t) for t in (str(i), big, big, big, big)) for i in range(1, 3)]
    return Document("a.docx", "docx", (Paragraph(big), Table(tuple(rows))))


def _line(label: str, half: float, full: float, beside: str) -> None:
    print(
        f"{label:<34} {half * 1e3:>9.1f} ms {full * 1e3:>9.1f} ms  ratio {full / half:>4.1f}"
        f"   {beside}"
    )


def main() -> None:
    half, full = MAX_LINE_CHARS // 2, MAX_LINE_CHARS
    print(f"{'input':<34} {f'{half:,} chars':>12} {f'{full:,} chars':>12}")
    texts = [_markdown(n) for n in (half, full)]
    times = [_median(lambda t=t: read_document(t, "a.md")) for t in texts]
    lines = _markdown(full).decode().split("\n\n")
    plain = _median(lambda: [UNBOUNDED.sub(r"\2", line) for line in lines], 1)
    _line("markdown '**a **a …' × 20 lines", *times, f"unbounded emphasis {plain * 1e3:.0f} ms")
    decision = read_document((PLANS / DECISION).read_bytes(), DECISION)
    real = _median(lambda: parse_plan(decision, year=2025))
    for words in CELLS:
        documents = [_cells(words, n) for n in (half, full)]
        times = [_median(lambda d=d: parse_plan(d, year=2026)) for d in documents]
        _line(f"two rows of cells {words.strip()!r}", *times, f"the real plan {real * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
