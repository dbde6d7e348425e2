"""Reading a plan file: bytes → a plan with its units resolved (nothing stored), and
the ``dondoc plan import --json`` object of what was read."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.matching import UnitCatalogue
from bot.plans.files import Budget, PlanFileError, clean_name
from bot.plans.model import Document, PlanWarning, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.resolve import ResolvedPlan, resolve_plan, timeframe_dict
from bot.services.conversion import CONVERTIBLE, ConversionError, convert

log = logging.getLogger(__name__)


class PlanError(ValueError):
    """The file is not a plan we can import; ``reason`` says why (views word it)."""

    def __init__(self, reason: str, detail: str = "", file_type: str | None = None) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail  # technical, for logs; the views word ``reason`` and ``file_type``
        self.file_type = file_type


def read_plan(
    data: bytes,
    filename: str,
    catalogue: UnitCatalogue,
    year: int | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> ResolvedPlan:
    """File bytes → a plan with its units resolved. Raises :class:`PlanError`.

    An old or OpenDocument file (.doc, .rtf, .odt, .xls, .ods) is converted by LibreOffice
    (:mod:`bot.services.conversion`) and read as .docx or .xlsx; its reasons when that
    cannot be done are ``no_converter`` and ``conversion_failed``. Reading the file stops
    with ``too_slow`` after ``MAX_READ_SECONDS`` by ``timer`` (the conversion has its own
    timeout)."""
    filename = clean_name(filename)
    converted_from: str | None = None
    try:
        document = read_document(data, filename, Budget(timer), _unit_names(catalogue))
    except PlanFileError as exc:
        if exc.reason != "unsupported_type" or exc.file_type not in CONVERTIBLE:
            log.info("plan file %s refused: %s (%s)", filename, exc.reason, exc.detail)
            raise PlanError(exc.reason, exc.detail, exc.file_type) from exc
        document = _converted(data, filename, exc.file_type, timer)
        converted_from = exc.file_type
    draft = parse_plan(document, year=year)
    if converted_from and draft.source:  # the format the office sent
        draft.source = replace(draft.source, format=converted_from)
    if not draft.tasks:
        raise PlanError("no_tasks", filename)
    return resolve_plan(draft, catalogue)


def _unit_names(catalogue: UnitCatalogue) -> list[str]:
    """The names the repair of a damaged text may restore: each unit's name, aliases
    and former names."""
    return [n for e in catalogue.entries for n in (e.name, *e.aliases, *e.former)]


def _converted(data: bytes, filename: str, file_type: str, timer: Callable[[], float]) -> Document:
    """An old or OpenDocument file, converted and read like the file it became."""
    try:
        converted, target = convert(data, file_type)
    except ConversionError as exc:
        reason = "no_converter" if exc.reason == "no_converter" else "conversion_failed"
        log.info("plan file %s not converted: %s (%s)", filename, reason, exc.detail)
        raise PlanError(reason, exc.detail, file_type) from exc
    try:  # the reading limits apply to what it became
        return read_document(converted, f"{filename}.{target}", Budget(timer))
    except PlanFileError as exc:
        log.info("converted plan file %s refused: %s (%s)", filename, exc.reason, exc.detail)
        raise PlanError(exc.reason, exc.detail, file_type) from exc


# -- the command line's JSON ------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def plan_json(resolved: ResolvedPlan) -> dict[str, Any]:
    """The ``dondoc plan import --json`` object (a stable contract)."""
    draft = resolved.draft
    return {
        "title": draft.title,
        "issuer": draft.issuer,
        "year": draft.year,
        "tasks": [
            {
                "code": task.draft.code,
                "section": task.draft.section,
                "content": task.draft.content,
                "lead": list(task.draft.lead),
                "lead_units": _units_json(task.lead),
                "cooperating": list(task.draft.cooperating),
                "cooperating_units": _units_json(task.cooperating),
                "timeframe": timeframe_dict(task.draft),
                "product": task.draft.product,
            }
            for task in resolved.tasks
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "measure": i.measure,
                "comparator": i.comparator.value,
                "target": _number(i.target),
                "source": i.source,
                "task": i.task_code,
                "aliases": list(i.aliases),
            }
            for i in draft.indicators
        ],
        "warnings": [warning_json(w) for w in draft.warnings],
        "source": draft.source.as_json() if draft.source else None,
    }


def _units_json(refs) -> list[dict[str, Any]]:
    seen: dict[int, str] = {}
    for ref in refs:
        for unit in ref.units:
            seen.setdefault(unit.id, unit.name)
    return [{"id": i, "name": n} for i, n in seen.items()]


def warning_json(warning: PlanWarning) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": warning.kind.value,
        "task": warning.task_code,
        "detail": warning.detail,
    }
    if warning.candidates and warning.kind is WarningKind.UNSURE_UNIT:
        data["candidates"] = [{"id": i, "name": n} for i, n in warning.candidates]
    return data
