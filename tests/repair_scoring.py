"""Score the tasks and indicators read from damaged OCR text against the clean sample's.

A task is right when a task with the same code was read, its first lead unit is the
clean one's (both resolve to the same unit of the test catalogue, else they read
alike: rapidfuzz ``ratio`` ≥ 80 on fold keys; both empty counting as equal) and its
timeframe schedules the same (``Timeframe.schedule``: kind, due, start, cadences).

An indicator is right when the damaged text gives one of the same measure (the same
national indicator, else names that read alike), comparator and target.

The made-up plans' damaged texts (``damaged/synthetic``, ``tests/synthetic_plans.py``)
are scored the same way against what the plan holds (its ``.json``: each row's code,
lead and timeframe as written), the plan's own units as the catalogue.
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from bot.language.abbreviations import expand
from bot.language.normalize import fold
from bot.language.timeframes import parse_timeframe
from bot.language.units import kind_from_word
from bot.matching import UnitCatalogue, UnitEntry
from bot.plans.model import IndicatorDraft, TaskDraft
from bot.plans.national import national_indicator
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document

DATA = Path(__file__).parent / "data" / "plans"
DAMAGED = DATA / "damaged"
# Damaged texts the repair step was not built on (tests/tools/make_damaged_ocr.py
# --variants): other seeds, 225–300 dpi, landscape pages, Tesseract reading the page as
# one block or as columns (docs/benchmarks.md says which were looked at).
VARIANTS = (
    "300dpi",
    "landscape",
    "one-block",
    "250dpi-columns",
    "landscape-block",
    "225dpi",
    "landscape-columns",
)
UNITS = Path(__file__).parent / "data" / "son-tay-units.csv"
SYNTHETIC = DAMAGED / "synthetic"


def unit_names() -> list[str]:
    """The test deployment's unit names and aliases (the catalogue a deployment passes)."""
    names: list[str] = []
    for line in UNITS.read_text(encoding="utf-8").splitlines()[1:]:
        name, _kind, _parent, aliases = [*line.split(",", 3), "", "", ""][:4]
        names.append(name)
        names.extend(a for a in aliases.split(";") if a)
    return names


def _tasks(path: Path, names: list[str]) -> list[TaskDraft]:
    document = read_document(path.read_bytes(), path.name, unit_names=names)
    return parse_plan(document).tasks


def _when(task: TaskDraft) -> tuple[object, ...]:
    return task.timeframe.schedule if task.timeframe is not None else (None,)


@functools.cache
def catalogue() -> UnitCatalogue:
    """The test deployment's units, for telling whether two leads are the same unit."""
    entries = []
    for index, line in enumerate(UNITS.read_text(encoding="utf-8").splitlines()[1:], 1):
        name, kind, _parent, aliases = [*line.split(",", 3), "", "", ""][:4]
        entries.append(
            UnitEntry(
                index,
                name,
                kind_from_word(kind) or "other",
                tuple(a for a in aliases.split(";") if a),
            )
        )
    return UnitCatalogue(entries)


@functools.cache
def _catalogue_of(units: tuple[str, ...]) -> UnitCatalogue:
    """A made-up plan's units as a deployment's catalogue."""
    return UnitCatalogue(
        [UnitEntry(index, name, "other", ()) for index, name in enumerate(units, 1)]
    )


def _same_unit(a: str, b: str, units: UnitCatalogue | None = None) -> bool:
    """Both leads are one name (abbreviations written out: "Công chức VP-TK" is
    "Công chức Văn phòng - Thống kê"), resolve to one unit of the catalogue, or read
    alike."""
    if fold(a) == fold(b) or (a and b and expand(a) == expand(b)):
        return True
    if not a or not b:
        return False
    units = units or catalogue()
    ua, ub = units.match(a).unit, units.match(b).unit
    if ua is not None and ub is not None:
        return ua.id == ub.id
    return fuzz.ratio(fold(a), fold(b)) >= 80


def _lead_ok(read: TaskDraft, clean: TaskDraft) -> bool:
    return _same_unit(read.lead[0] if read.lead else "", clean.lead[0] if clean.lead else "")


@dataclass
class Score:
    tasks: int
    code: int
    lead: int
    when: int
    right: int  # code, lead and timeframe all right
    seconds: float = 0.0  # reading (with the repair) and parsing the damaged text

    @property
    def share(self) -> float:
        return self.right / self.tasks if self.tasks else 0.0


def score(name: str, names: list[str] | None = None, variant: str = "") -> Score:
    """Score one sample's damaged text: the original (``variant`` empty) or a variant."""
    names = unit_names() if names is None else names
    clean = _tasks(DATA / f"{name}.txt", [])
    start = time.perf_counter()
    read = {t.code: t for t in _tasks(DAMAGED / variant / f"{name}.txt", names)}
    result = Score(len(clean), 0, 0, 0, 0, time.perf_counter() - start)
    for task in clean:
        got = read.get(task.code)
        if got is None:
            continue
        result.code += 1
        lead, when = _lead_ok(got, task), _when(got) == _when(task)
        result.lead += lead
        result.when += when
        result.right += lead and when
    return result


@dataclass
class IndicatorScore:
    indicators: int  # the clean text's
    right: int  # read with the same measure, comparator and target
    missed: list[str]  # the clean text's not read right
    unexpected: list[str]  # read, but the clean text has no such indicator


def _indicators(path: Path, names: list[str]) -> list[IndicatorDraft]:
    document = read_document(path.read_bytes(), path.name, unit_names=names)
    return parse_plan(document).indicators


def _same_indicator(a: IndicatorDraft, b: IndicatorDraft) -> bool:
    """The same measure (one national indicator, else names that read alike: rapidfuzz
    ``ratio`` ≥ 80 on fold keys), comparator and target."""
    national_a, national_b = national_indicator(a.name), national_indicator(b.name)
    if national_a is not None or national_b is not None:
        alike = national_a is national_b
    else:
        alike = fuzz.ratio(fold(a.name), fold(b.name)) >= 80
    return alike and (a.comparator, a.target) == (b.comparator, b.target)


def _shown(indicator: IndicatorDraft) -> str:
    return f"{indicator.code} {indicator.name[:70]} {indicator.comparator} {indicator.target}"


def score_indicators(
    name: str, names: list[str] | None = None, variant: str = ""
) -> IndicatorScore:
    """Score the indicators one sample's damaged text gives against its clean text's."""
    names = unit_names() if names is None else names
    clean = _indicators(DATA / f"{name}.txt", [])
    read = _indicators(DAMAGED / variant / f"{name}.txt", names)
    missed = [c for c in clean if not any(_same_indicator(r, c) for r in read)]
    unexpected = [r for r in read if not any(_same_indicator(r, c) for c in clean)]
    return IndicatorScore(
        len(clean),
        len(clean) - len(missed),
        [_shown(i) for i in missed],
        [_shown(i) for i in unexpected],
    )


def _describe(task: TaskDraft) -> str:
    t = task.timeframe
    when = (
        "-"
        if t is None
        else f"{t.kind.value} {t.due or ''} {','.join(c.value for c in t.cadences)}"
    )
    return f"lead {task.lead[:1] or '-'} · {when.strip()}"


def diffs(name: str, names: list[str] | None = None, variant: str = "") -> list[str]:
    """One line per clean task not read right: what the clean text gives, what the
    damaged one gave (for the bench's ``-v``)."""
    names = unit_names() if names is None else names
    clean = _tasks(DATA / f"{name}.txt", [])
    read = {t.code: t for t in _tasks(DAMAGED / variant / f"{name}.txt", names)}
    out = []
    for task in clean:
        got = read.get(task.code)
        if got is None:
            out.append(f"{task.code:7} missing      clean: {_describe(task)}")
            continue
        lead, when = _lead_ok(got, task), _when(got) == _when(task)
        if lead and when:
            continue
        what = " and ".join(w for w, bad in (("lead", not lead), ("date", not when)) if bad)
        out.append(f"{task.code:7} {what:12} clean: {_describe(task)}  read: {_describe(got)}")
    return out


def synthetic_names() -> list[str]:
    """The made-up plans whose damaged text is at hand."""
    return sorted(p.stem for p in SYNTHETIC.glob("*.json"))


@dataclass(frozen=True)
class _Check:
    """One row of a made-up plan as written (its ``.json`` row), the task read with its
    code (None: not read), and whether its lead and timeframe are right."""

    row: dict
    got: TaskDraft | None
    lead: bool
    when: bool


def _synthetic_checks(name: str) -> tuple[float, list[_Check]]:
    """Each row of a made-up plan checked against the reading of its damaged text; and
    the time the reading took."""
    held = json.loads((SYNTHETIC / f"{name}.json").read_text(encoding="utf-8"))
    units = _catalogue_of(tuple(held["units"]))
    start = time.perf_counter()
    read = {t.code: t for t in _tasks(SYNTHETIC / f"{name}.txt", held["units"])}
    seconds = time.perf_counter() - start
    checks = []
    for row in held["rows"]:
        got = read.get(row["code"])
        if got is None:
            checks.append(_Check(row, None, False, False))
            continue
        lead = _same_unit(got.lead[0] if got.lead else "", row["lead"], units)
        when = _when(got) == parse_timeframe(row["when"], held["year"]).schedule
        checks.append(_Check(row, got, lead, when))
    return seconds, checks


def score_synthetic(name: str) -> Score:
    """Score one made-up plan's damaged text against what the plan holds."""
    seconds, checks = _synthetic_checks(name)
    result = Score(len(checks), 0, 0, 0, 0, seconds)
    for check in checks:
        result.code += check.got is not None
        result.lead += check.lead
        result.when += check.when
        result.right += check.lead and check.when
    return result


def diffs_synthetic(name: str) -> list[str]:
    """One line per row of a made-up plan not read right (for the bench's ``-v``)."""
    out = []
    for check in _synthetic_checks(name)[1]:
        code, row = check.row["code"], check.row
        plan = f"plan: lead {row['lead']!r} · {row['when']!r}"
        if check.got is None:
            out.append(f"{code:7} missing      {plan}")
        elif not (check.lead and check.when):
            bad = (("lead", not check.lead), ("date", not check.when))
            what = " and ".join(w for w, wrong in bad if wrong)
            out.append(f"{code:7} {what:12} {plan}  read: {_describe(check.got)}")
    return out
