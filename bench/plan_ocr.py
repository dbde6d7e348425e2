"""Plans read from scans by OCR: how many tasks come out right, and how long it takes.

    python -m bench.plan_ocr            # the three sample plans' appendices
    python -m bench.plan_ocr --quick    # two pages of one sample
    python -m bench.plan_ocr --misses   # and each task not right, with what was read
    python -m bench.plan_ocr --seed 1 --dpi 250   # other scans: not the ones studied
    python -m bench.plan_ocr --synthetic 0:8      # made-up plans, not the samples
    python -m bench.plan_ocr --slant 0.03         # photos at a slant (the far edge 3 %
                                                  # of the width narrower each side)

Each sample's Word twin is printed to PDF by LibreOffice and its appendix pages made
into a scan (``tests.scan_fixtures``: 200 dpi, turned ±1°, blurred, noise), put together
as an image-only PDF. The scan is imported as the office would (``read_plan``: OCR with
Tesseract's Vietnamese data, layout, parsing, units resolved, then the preview text),
and each task of the plan read from its text is looked up by its code among the tasks
read from the scan: it is right when the scan gives it the same lead units and the same
timeframe (``Timeframe.schedule``: kind, due date, start and cadences, its words aside).
Target: ≥ 95 % of the tasks right. The indicators the text gives are looked up the same
way, by name, comparator and target (the appendix pages hold only those stated there);
a name read with a letter misread (ratio ≥ ``ALIKE``) is counted apart.

``--slant F`` makes each page a phone's photo taken at a slant first (the far edge, the
top or the bottom by turns, F of the width narrower on each side: a perspective, white
around), then turned, blurred and noised as a scan.

``--seed`` and ``--dpi`` make other scans of the same pages (other turns and noise,
another resolution): the OCR rules were studied on the default ones, so these tell how
they hold on scans they were not built on. ``--synthetic A:B`` scans the made-up plans of
those seeds instead (``tests/synthetic_plans.py``: other levels, units, columns and
timeframes), every page, each compared with its own .docx read, its own units as the
catalogue.

Each line gives the import time with the time spent in OCR (pages out of the PDF,
cleaning, Tesseract, layout) beside it; the Sơn Tây plan's appendix is ten pages.
"""

from __future__ import annotations

import argparse
import time

from rapidfuzz import fuzz

from bench._plans import son_tay_catalogue
from bot.language.normalize import fold
from bot.services import plans
from bot.services.plans import reading
from bot.views.plans import preview_text
from tests import scan_fixtures
from tests.plans_fixtures import SAMPLE_NAMES, SAMPLES_DIR

ALIKE = 95  # rapidfuzz ratio of two indicator names on fold keys: a letter misread


class _Timed:
    """``read_scan`` with the time it took added up."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._read = reading.read_scan

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._read(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two pages of one sample")
    parser.add_argument("--misses", action="store_true", help="print each task not right")
    parser.add_argument("--seed", type=int, default=0, help="another scan (0: the default)")
    parser.add_argument("--dpi", type=int, default=scan_fixtures.SCAN_DPI, help="scan resolution")
    parser.add_argument("--synthetic", help="made-up plans A:B instead of the samples")
    parser.add_argument(
        "--slant", type=float, default=0.0, help="photos at a slant: the far edge narrower by"
    )
    args = parser.parse_args()
    missing = scan_fixtures.have_tools()
    if missing:
        raise SystemExit(missing)
    if args.synthetic:
        first, _, last = args.synthetic.rpartition(":")
        _synthetic(range(int(first or 0), int(last)), args)
        return
    with son_tay_catalogue() as catalogue:
        timed = _Timed()
        reading.read_scan = timed
        names = SAMPLE_NAMES[1:2] if args.quick else SAMPLE_NAMES
        totals = [0, 0]
        for name in names:
            pages = scan_fixtures.appendix_pages(name)
            if args.quick:
                pages = pages[:2]
            text = plans.read_plan(
                (SAMPLES_DIR / f"{name}.txt").read_bytes(), f"{name}.txt", catalogue, None
            )
            scan = scan_fixtures.scanned_pdf(name, tuple(pages), args.seed, args.dpi, args.slant)
            _measure(name, len(pages), text, scan, catalogue, timed, args, totals)
        _total(totals)


def _synthetic(seeds: range, args: argparse.Namespace) -> None:
    """The made-up plans of ``seeds``, scanned whole, each against its .docx read."""
    from tests.synthetic_plans import catalogue as catalogue_of
    from tests.synthetic_plans import plan, plan_docx

    timed = _Timed()
    reading.read_scan = timed
    totals = [0, 0]
    for seed in seeds:
        made = plan(seed)
        catalogue = catalogue_of(made)
        data = plan_docx(made)
        text = plans.read_plan(data, f"{made.name}.docx", catalogue, None)
        pdf = scan_fixtures.docx_pdf(data)
        scan = scan_fixtures.pdf_scan(pdf, args.seed, args.dpi, args.slant)
        _measure(
            made.name, scan_fixtures.pdf_pages(pdf), text, scan, catalogue, timed, args, totals
        )
    _total(totals)


def _measure(name, pages, text, scan, catalogue, timed, args, totals: list[int]) -> None:
    """Import ``scan`` as the office would, timed, and print how many tasks of ``text``
    (the plan read from its text) it gives right; add (right, tasks) to ``totals``."""
    timed.seconds = 0.0
    start = time.perf_counter()
    read = plans.read_plan(scan, f"{name}.pdf", catalogue, None, ocr_seconds=3600)
    preview_text(plans.summarise(read, f"{name}.pdf"), "vi")
    elapsed = time.perf_counter() - start
    by_code = {t.draft.code: t for t in read.tasks}
    expected = [t for t in text.tasks if args.quick is False or t.draft.code in by_code]
    right = wrong_code = wrong_lead = wrong_due = 0
    misses = []
    for task in expected:
        found = by_code.get(task.draft.code)
        if found is None:
            wrong_code += 1
            misses.append(f"code {task.draft.code} not read")
        elif sorted(found.units()) != sorted(task.units()):
            wrong_lead += 1
            misses.append(
                f"lead {task.draft.code}: {task.draft.lead + task.draft.cooperating}"
                f" read {found.draft.lead + found.draft.cooperating}"
            )
        elif _schedule(found.draft.timeframe) != _schedule(task.draft.timeframe):
            wrong_due += 1
            misses.append(
                f"due {task.draft.code}: {task.draft.timeframe_text!r}"
                f" read {found.draft.timeframe_text!r}"
            )
        else:
            right += 1
    share = 100 * right / len(expected) if expected else 0.0
    wanted, got = _indicators(text), _indicators(read)
    alike = {w for w in wanted - got if any(_alike(w, g) for g in got - wanted)}
    print(
        f"{name}: {pages} pages, {len(expected)} tasks, {right} right ({share:.1f} %)"
        f" — code missing {wrong_code}, lead wrong {wrong_lead}, due wrong {wrong_due};"
        f" indicators {len(wanted & got)}/{len(wanted)} the same, {len(alike)} with a letter"
        f" misread, {len(got - wanted) - len(alike)} not in the text;"
        f" confidence {_confidence(read)}; import {elapsed:.1f} s,"
        f" of which OCR {timed.seconds:.1f} s"
    )
    if args.misses:
        for miss in misses:
            print(f"  {miss}")
        for indicator in sorted(wanted - got):
            print(f"  indicator not read: {indicator}")
        for indicator in sorted(got - wanted):
            print(f"  indicator not in the text: {indicator}")
    totals[0] += right
    totals[1] += len(expected)


def _indicators(read) -> set[tuple[str, str, str]]:
    """A plan's indicators by name, comparator and target (the appendix pages scanned
    hold only some of the text's: those stated elsewhere are not read from them)."""
    return {(i.name, i.comparator.value, str(i.target)) for i in read.draft.indicators}


def _alike(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """The same indicator with a letter or two misread in its name ("luân chuyến")."""
    return a[1:] == b[1:] and fuzz.ratio(fold(a[0]), fold(b[0])) >= ALIKE


def _total(totals: list[int]) -> None:
    right, total = totals
    if total:
        print(f"all: {right}/{total} tasks right ({100 * right / total:.1f} %)")


def _schedule(timeframe) -> tuple[object, ...]:
    return timeframe.schedule if timeframe is not None else (None,)


def _confidence(read) -> str:
    source = read.draft.source
    return "?" if source is None or source.confidence is None else f"{source.confidence:.1f}"


if __name__ == "__main__":
    main()
