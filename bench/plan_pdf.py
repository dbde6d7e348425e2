"""Plans from digital PDF and old Word files: the same tasks and indicators as the text?

    python -m bench.plan_pdf            # the three sample plans, every form
    python -m bench.plan_pdf --misses   # and each task not right, with what was read
    python -m bench.plan_pdf --synthetic 0:36   # made-up plans: PDF, .doc and text

Each sample's Word twin (``tests.plans_fixtures.sample_docx``) is exported by LibreOffice
as an office would send it: a digital PDF of its ruled tables, an old Word ``.doc``, the
plain text LibreOffice saves ("Text": a line per cell paragraph, no tab), and a PDF
printed without table borders, its cells' text at the top of each row or set in
the middle (``tests.pdf_fixtures.without_borders``). Each is imported as the office
would (``read_plan``: reading, conversion for the ``.doc``, parsing, units resolved
against the Sơn Tây catalogue, the preview text) and compared with the plan read from its
text: a task is right when a task of the same code has the same lead units and the same
timeframe, and the indicators are compared by name, comparator and target. Target for
the PDF and the ``.doc``: 100 %. A table without borders cannot show a cell merged down
over several rows (its text is printed once): with the text at the top of its cells the
task below takes the lead above (listed to check); centred, a lead read in another row
of the merge is counted apart ("merged"), and so is a lead taken from above where the
text's cell was empty ("taken").

Each line gives the import time beside the straightforward way of getting the text out
of the same file in the same run (pdfplumber's ``extract_text`` of every page; for the
``.doc``, LibreOffice's conversion alone; for the text, splitting its lines).

``--synthetic A:B`` does the same for the made-up plans of those seeds
(``tests/synthetic_plans.py``: other levels, units, columns, numbering, leads merged down
over several rows), exported as a digital PDF and a ``.doc``, each against its own
``.docx`` read in a deployment of its own units: plans nobody's rules were written on
(and saved as text).
"""

from __future__ import annotations

import argparse
import io
import time

import pdfplumber

from bench._plans import son_tay_catalogue
from bot.services import conversion, plans
from bot.views.plans import preview_text
from tests.pdf_fixtures import borderless_pdf, sample_pdf, saved_as_text, word_97
from tests.plans_fixtures import SAMPLE_NAMES, SAMPLES_DIR, sample_docx

FORMS = ("pdf", "doc", "text", "pdf, no borders", "pdf, no borders, centred")


def _file(name: str, form: str) -> tuple[bytes, str]:
    if form == "pdf":
        return sample_pdf(name), "pdf"
    if form == "doc":
        return word_97(sample_docx(name)), "doc"
    if form == "text":
        return saved_as_text(sample_docx(name)), "txt"
    return borderless_pdf(name, centred=form.endswith("centred")), "pdf"


def _baseline(data: bytes, suffix: str) -> float:
    start = time.perf_counter()
    if suffix == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
    elif suffix == "txt":
        data.decode("utf-8").splitlines()
    else:
        conversion.convert(data, suffix)
    return time.perf_counter() - start


def _indicators(read) -> list[tuple]:
    return [(i.name, i.comparator, i.target) for i in read.draft.indicators]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print each task not right")
    parser.add_argument("--synthetic", help="made-up plans A:B instead of the samples")
    args = parser.parse_args()
    if conversion.converter() is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    if args.synthetic:
        first, _, last = args.synthetic.rpartition(":")
        _synthetic(range(int(first or 0), int(last)), args.misses)
        return
    with son_tay_catalogue() as catalogue:
        totals = {form: [0, 0, 0, 0] for form in FORMS}  # right, merged, taken, tasks
        for name in SAMPLE_NAMES:
            text = plans.read_plan(
                (SAMPLES_DIR / f"{name}.txt").read_bytes(), f"{name}.txt", catalogue, None
            )
            for form in FORMS:
                data, suffix = _file(name, form)
                start = time.perf_counter()
                read = plans.read_plan(data, f"{name}.{suffix}", catalogue, None)
                preview_text(plans.summarise(read, f"{name}.{suffix}"), "vi")
                elapsed = time.perf_counter() - start
                baseline = _baseline(data, suffix)
                by_code = {t.draft.code: t for t in read.tasks}
                right = merged = taken = 0
                misses = []
                for i, task in enumerate(text.tasks):
                    found = by_code.get(task.draft.code)
                    if found is None:
                        misses.append(f"code {task.draft.code} not read")
                    elif found.draft.timeframe != task.draft.timeframe:
                        misses.append(
                            f"due {task.draft.code}: {task.draft.timeframe_text!r}"
                            f" read {found.draft.timeframe_text!r}"
                        )
                    elif sorted(found.units()) != sorted(task.units()):
                        around = text.tasks[max(i - 1, 0) : i + 2]
                        same = sum(t.draft.lead == task.draft.lead for t in around) > 1
                        above = i > 0 and found.draft.lead == text.tasks[i - 1].draft.lead
                        if not found.draft.lead and same and "borders" in form:
                            merged += 1  # a lead merged down: printed in another row
                        elif not task.draft.lead and above and "borders" in form:
                            taken += 1  # an empty lead cell took the lead above, shown
                        else:
                            misses.append(
                                f"lead {task.draft.code}: {task.draft.lead} read {found.draft.lead}"
                            )
                    else:
                        right += 1
                indicators = _indicators(read) == _indicators(text)
                count = len(text.tasks)
                totals[form][0] += right
                totals[form][1] += merged
                totals[form][2] += taken
                totals[form][3] += count
                print(
                    f"{name} {form}: {right}/{count} tasks right ({100 * right / count:.1f} %)"
                    f"{_apart(merged, taken)};"
                    f" indicators {'the same' if indicators else 'DIFFERENT'}"
                    f" ({len(read.draft.indicators)}/{len(text.draft.indicators)});"
                    f" import {elapsed:.2f} s, plain extraction {baseline:.2f} s"
                    f" (ratio {elapsed / baseline:.1f})"
                )
                if args.misses:
                    for miss in misses:
                        print(f"  {miss}")
        for form, (right, merged, taken, count) in totals.items():
            print(
                f"all {form}: {right}/{count} right ({100 * right / count:.1f} %)"
                f"{_apart(merged, taken)}"
            )


def _synthetic(seeds: range, misses: bool) -> None:
    """The made-up plans of ``seeds`` as a PDF and a ``.doc``, each against its .docx."""
    from tests.scan_fixtures import docx_pdf
    from tests.synthetic_plans import catalogue as catalogue_of
    from tests.synthetic_plans import plan, plan_docx

    totals = {"pdf": [0, 0], "doc": [0, 0], "text": [0, 0]}
    for seed in seeds:
        made = plan(seed)
        catalogue = catalogue_of(made)
        docx = plan_docx(made)
        text = plans.read_plan(docx, f"{made.name}.docx", catalogue, None)
        want = {t.draft.code: _task_key(t) for t in text.tasks}
        forms = (("pdf", docx_pdf(docx)), ("doc", word_97(docx)), ("text", saved_as_text(docx)))
        for form, data in forms:
            start = time.perf_counter()
            suffix = "txt" if form == "text" else form
            read = plans.read_plan(data, f"{made.name}.{suffix}", catalogue, None)
            elapsed = time.perf_counter() - start
            got = {t.draft.code: _task_key(t) for t in read.tasks}
            wrong = [code for code, key in want.items() if got.get(code) != key]
            totals[form][0] += len(want) - len(wrong)
            totals[form][1] += len(want)
            indicators = _indicators(read) == _indicators(text)
            print(
                f"{made.name} {form}: {len(want) - len(wrong)}/{len(want)} tasks right;"
                f" indicators {'the same' if indicators else 'DIFFERENT'};"
                f" import {elapsed:.2f} s"
            )
            if misses:
                for code in wrong:
                    print(f"  {code}: {want[code]} read {got.get(code)}")
    for form, (right, count) in totals.items():
        print(f"all {form}: {right}/{count} right ({100 * right / count:.1f} %)")


def _task_key(task) -> tuple:
    """What must match: the code, the lead and cooperating units, the timeframe."""
    return (sorted(task.units()), task.draft.timeframe)


def _apart(merged: int, taken: int) -> str:
    parts = [f"{merged} with a lead merged down read in another row"] if merged else []
    if taken:
        parts.append(f"{taken} whose empty lead cell took the lead above (shown)")
    return "".join(f", {part}" for part in parts)


if __name__ == "__main__":
    main()
