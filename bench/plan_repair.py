"""Tasks read right from damaged OCR text (Tesseract without Vietnamese data).

    python -m bench.plan_repair        # per sample: codes, leads, dates read right
    python -m bench.plan_repair -v     # also every task not read right, clean / read
    python -m bench.plan_repair --variants [-v]   # also the texts it was not built on
    python -m bench.plan_repair --synthetic [-v]  # plans that are not the samples
    python -m bench.plan_repair --indicators [--variants] [-v]  # the indicators instead

For each sample plan, its damaged OCR text (``tests/data/plans/damaged``, made by
``tests/tools/make_damaged_ocr.py``) is read with the repair step and compared with the
tasks of the clean text: the share of tasks with the right code, lead unit and due
date/recurrence (``tests/repair_scoring.py``), and the time to read (repair included)
and parse the damaged text.
With ``--variants``, the same for the same plans damaged otherwise (other seeds, 225–300
dpi, landscape pages, Tesseract reading the page as one block or as columns:
``tests/tools/make_damaged_ocr.py --variants``), which the repair step was not built
looking at: how well it reads damaged text in general, not only the texts it was built
on (docs/benchmarks.md says which variants were looked at, and when).
With ``--indicators``, the indicators the damaged texts give instead of the tasks:
those of the clean text read right (the same measure, comparator and target), and
those read that the clean text has not (a wrong target imported is worse than one
left for the office to enter).
With ``--synthetic``, made-up plans that are not the samples (other levels, units,
columns, numbering and timeframes: ``tests/synthetic_plans.py``), each damaged the way
of one variant (``tests/tools/make_damaged_ocr.py --synthetic N``), scored against what
the plan holds.
Target: ≥ 90 % of tasks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import partial

from tests.plans_fixtures import SAMPLE_NAMES
from tests.repair_scoring import (
    VARIANTS,
    Score,
    diffs,
    diffs_synthetic,
    score,
    score_indicators,
    score_synthetic,
    synthetic_names,
    unit_names,
)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    if "--synthetic" in args:
        _synthetic(verbose)
        return
    names = unit_names()
    variants = ("", *VARIANTS) if "--variants" in args else ("",)
    if "--indicators" in args:
        _indicators(names, variants, verbose)
        return
    grand = [0, 0]
    for variant in variants:
        if len(variants) > 1:
            print(f"== {variant or 'original'} ==")
        right, total = _measure(names, variant, verbose)
        grand[0] += right
        grand[1] += total
    if len(variants) > 1:
        print(f"== every text: {grand[0]}/{grand[1]} tasks right ({grand[0] / grand[1]:.1%})")


def _measure(names: list[str], variant: str, verbose: bool) -> tuple[int, int]:
    return _print_scores(
        (
            (name, score(name, names, variant), partial(diffs, name, names, variant))
            for name in SAMPLE_NAMES
        ),
        36,
        verbose,
    )


def _indicators(names: list[str], variants: tuple[str, ...], verbose: bool) -> None:
    total = right = unexpected = 0
    for variant in variants:
        for name in SAMPLE_NAMES:
            s = score_indicators(name, names, variant)
            total, right, unexpected = (
                total + s.indicators,
                right + s.right,
                unexpected + len(s.unexpected),
            )
            print(
                f"{variant or 'original':18} {name:36} indicators {s.indicators:3}  "
                f"right {s.right:3}  unexpected {len(s.unexpected):3}"
            )
            if verbose:
                for line in s.missed:
                    print(f"    missed      {line}")
                for line in s.unexpected:
                    print(f"    unexpected  {line}")
    share = right / total if total else 0.0
    print(f"all: {right}/{total} indicators right ({share:.1%}), {unexpected} unexpected")


def _synthetic(verbose: bool) -> None:
    scored = (
        (name, score_synthetic(name), partial(diffs_synthetic, name)) for name in synthetic_names()
    )
    _print_scores(scored, 16, verbose)


def _print_scores(
    scored: Iterable[tuple[str, Score, Callable[[], list[str]]]], width: int, verbose: bool
) -> tuple[int, int]:
    """One line per text (with what it read wrong when ``verbose``), then the total;
    (tasks right, tasks)."""
    total = right = 0
    for name, s, wrong in scored:
        total += s.tasks
        right += s.right
        print(
            f"{name:{width}} tasks {s.tasks:3}  code {s.code:3}  lead {s.lead:3}  "
            f"date {s.when:3}  all right {s.right:3} ({s.share:6.1%})  {s.seconds * 1000:6.0f} ms"
        )
        if verbose:
            for line in wrong():
                print(f"    {line}")
    print(f"{'all':{width}} {right}/{total} tasks right ({right / total:.1%})")
    return right, total


if __name__ == "__main__":
    main()
