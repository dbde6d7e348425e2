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
from bot.plans.files import Budget, PlanFileError, clean_name, extension
from bot.plans.model import Document, PlanWarning, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.resolve import ResolvedPlan, resolve_plan, timeframe_dict
from bot.services.conversion import CONVERTIBLE, ConversionError, convert
from bot.services.ocr import OCR_SECONDS, OcrError, read_scan

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
    ocr_seconds: float = OCR_SECONDS,
) -> ResolvedPlan:
    """File bytes → a plan with its units resolved. Raises :class:`PlanError`.

    An old or OpenDocument file (.doc, .rtf, .odt, .xls, .ods) is converted by LibreOffice
    (:mod:`bot.services.conversion`) and read as .docx or .xlsx; its reasons when that
    cannot be done are ``no_converter`` and ``conversion_failed``. Reading the file stops
    with ``too_slow`` after ``MAX_READ_SECONDS`` by ``timer`` (the conversion has its own
    timeout).

    A PDF without a text layer and a picture (a scan, a photo of the appendix) are read
    by OCR (:mod:`bot.services.ocr`, within ``ocr_seconds``); every task so read gets a
    ``CHECK_READING`` warning, and a scan read too unsurely or holding no task table is
    refused (``unreadable_scan``, ``scan_no_tasks``)."""
    filename = clean_name(filename)
    converted_from: str | None = None  # the format the office sent, when converted
    scanned: str | None = None  # "pdf" or "image" when read by OCR
    try:
        document = read_document(data, filename, Budget(timer), _unit_names(catalogue))
    except PlanFileError as exc:
        scanned = _scanned(exc)
        if scanned is not None:
            document = _read_by_ocr(data, filename, scanned, ocr_seconds, timer)
        elif exc.reason == "unsupported_type" and exc.file_type in CONVERTIBLE:
            document = _converted(data, filename, exc.file_type, timer)
            converted_from = exc.file_type
        else:
            log.info("plan file %s refused: %s (%s)", filename, exc.reason, exc.detail)
            raise PlanError(exc.reason, exc.detail, exc.file_type) from exc
    draft = parse_plan(document, year=year)
    sent_as = converted_from or (scanned and (extension(filename).lstrip(".") or scanned))
    if sent_as and draft.source:  # the format the office sent
        draft.source = replace(draft.source, format=sent_as)
    if not draft.tasks:
        if document.kind == "ocr":
            raise PlanError("scan_no_tasks", filename, scanned)
        raise PlanError("no_tasks", filename)
    return resolve_plan(draft, catalogue)


def _unit_names(catalogue: UnitCatalogue) -> list[str]:
    """The names the repair of a damaged text may restore: each unit's name, aliases
    and former names."""
    return [n for e in catalogue.entries for n in (e.name, *e.aliases, *e.former)]


# OCR reads a PDF without a text layer and pictures. ``scanned_pdf`` is what the PDF
# reader says of a PDF with no text; a PDF refused as ``unsupported_type`` is read by OCR
# too (a reader that does not read PDFs at all).
MIN_OCR_CONFIDENCE = 55  # mean word confidence (0–100) under which a scan is not read


def _scanned(exc: PlanFileError) -> str | None:
    """ "pdf" or "image" when the file is to be read by OCR, else None."""
    if exc.reason == "scanned_pdf":
        return "pdf"
    if exc.reason == "unsupported_type" and exc.file_type in ("pdf", "image"):
        return exc.file_type
    return None


def _read_by_ocr(
    data: bytes, filename: str, kind: str, seconds: float, timer: Callable[[], float]
) -> Document:
    """A scan or a photo read by OCR (:mod:`bot.services.ocr`); its reasons when it
    cannot be read: ``no_ocr``, ``ocr_too_slow``, ``too_many_scanned_pages``, ``unreadable_image``,
    ``ocr_failed`` and ``unreadable_scan`` (too little read, or read too unsurely)."""
    try:
        document = read_scan(data, filename, kind, seconds, timer)
    except OcrError as exc:
        log.info("plan file %s not read by OCR: %s (%s)", filename, exc.reason, exc.detail)
        raise PlanError(exc.reason, exc.detail, kind) from exc
    confidence = document.ocr_confidence
    if confidence is None or confidence < MIN_OCR_CONFIDENCE:
        log.info("plan file %s: OCR too unsure (%s)", filename, confidence)
        raise PlanError("unreadable_scan", f"mean confidence {confidence}", kind)
    try:
        Budget().count(document)  # the reading limits apply to what OCR read
    except PlanFileError as exc:
        raise PlanError(exc.reason, exc.detail, kind) from exc
    return document


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
