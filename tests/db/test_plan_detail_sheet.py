"""The previewed plan's "Xem chi tiết" workbook: read back, it is the same plan, so the
office can correct it in Excel and send it back."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from bot.plans.xlsx import PLAN_HEADER_ROW, PLAN_HEADERS
from bot.services import plans
from bot.services.identity import Actor
from bot.services.plans import IndicatorRecord
from bot.views.plans import detail_workbook
from storage.db import Database
from storage.models import Role
from tests.plans_fixtures import SAMPLE_NAMES, sample_docx, sample_path, sample_xlsx
from tests.repair_scoring import DAMAGED

NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)
OFFICE = Actor(user_id=1, language="vi", role=Role.OFFICE)


def _files() -> list[tuple[str, str]]:
    """(kind, sample name): each sample as text, Word and Excel, and its damaged text."""
    return [(kind, name) for name in SAMPLE_NAMES for kind in ("txt", "docx", "xlsx", "damaged")]


def _read(kind: str, name: str) -> tuple[bytes, str]:
    if kind == "txt":
        return sample_path(name).read_bytes(), f"{name}.txt"
    if kind == "docx":
        return sample_docx(name), f"{name}.docx"
    if kind == "xlsx":
        return sample_xlsx(name), f"{name}.xlsx"
    return (DAMAGED / f"{name}.txt").read_bytes(), f"{name}.txt"


def _previewed(db: Database, data: bytes, filename: str) -> tuple[plans.PlanRecord, bytes]:
    summary = plans.preview(db, data, filename, OFFICE, NOW, TODAY)
    record = plans.plan_record(db, summary.plan_id)
    assert record is not None
    return record, detail_workbook(record, summary.warnings, OFFICE.language)


@pytest.mark.parametrize(("kind", "name"), _files())
def test_the_detail_workbook_reads_back_as_the_same_plan(
    son_tay: Database, kind: str, name: str
) -> None:
    record, workbook = _previewed(son_tay, *_read(kind, name))
    assert len(record.tasks) > 10
    if kind == "txt" and name == "ke-hoach-thi-xa-son-tay-2025":
        assert record.duties  # a reporting duty stated in the prose
    again, _ = _previewed(son_tay, workbook, "ke-hoach-chi-tiet.xlsx")
    assert (again.title, again.issuer, again.year) == (record.title, record.issuer, record.year)
    assert again.tasks == record.tasks
    assert again.duties == record.duties
    if kind != "damaged":
        assert again.indicators == record.indicators
    else:
        # From damaged text only national indicators were taken; the workbook is read as
        # a clean file, so the targets in the tasks' texts are offered too (the office
        # keeps or drops them in the preview). Their codes number a task's targets in
        # order ("-CT1", "-CT2"), so a target offered before a national one moves its
        # code: compared without it.
        def uncoded(indicators: list[IndicatorRecord]) -> set[IndicatorRecord]:
            return {dataclasses.replace(i, code="") for i in indicators}

        assert uncoded(record.indicators) <= uncoded(again.indicators)
        added = uncoded(again.indicators) - uncoded(record.indicators)
        assert {i.source for i in added} <= {"task"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_detail_workbook_says_how_each_row_was_read(son_tay: Database, language) -> None:
    data, filename = _read("txt", "ke-hoach-thi-xa-son-tay-2025")
    summary = plans.preview(son_tay, data, filename, OFFICE, NOW, TODAY)
    record = plans.plan_record(son_tay, summary.plan_id)
    assert record is not None
    book = load_workbook(io.BytesIO(detail_workbook(record, summary.warnings, language)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[PLAN_HEADER_ROW]]
    assert header[: len(PLAN_HEADERS)] == list(PLAN_HEADERS)
    read_as, to_check = header[len(PLAN_HEADERS) :]
    rows = {
        row[0].value: {h: c.value for h, c in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=PLAN_HEADER_ROW + 1)
    }
    first = record.tasks[0]
    assert rows[first.code]["Đơn vị chủ trì"] == first.lead_text
    assert all(unit in rows[first.code][read_as] for unit in first.lead_units)
    duplicate = next(w for w in summary.warnings if w["kind"] == "duplicate_code")
    assert duplicate["task"] in rows[duplicate["task"]][to_check]
    assert book.sheetnames[-1] == ("Cần kiểm tra" if language == "vi" else "To check")
    # Read back in either language, the notes' columns are passed over.
    again, _ = _previewed(son_tay, *_bytes_of(book))
    assert again.tasks == record.tasks


def _bytes_of(book) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), "ke-hoach-chi-tiet.xlsx"


def test_a_corrected_detail_workbook_gives_the_corrected_plan(son_tay: Database) -> None:
    """The office fixes a lead and a timeframe the damaged text lost, in Excel, and sends
    the workbook back: the new preview has them, the rest unchanged."""
    record, workbook = _previewed(son_tay, *_read("damaged", "ke-hoach-thi-xa-son-tay-2025"))
    missing = next(t for t in record.tasks if not t.lead_units)
    untimed = next(t for t in record.tasks if t.kind == "unknown")
    book = load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    lead = PLAN_HEADERS.index("Đơn vị chủ trì")
    time = PLAN_HEADERS.index("Thời gian thực hiện")
    for row in sheet.iter_rows(min_row=PLAN_HEADER_ROW + 1):
        if row[0].value == missing.code:
            row[lead].value = "Phòng Tư pháp"
        if row[0].value == untimed.code:
            row[time].value = "Trước ngày 30/6/2025"
    again, _ = _previewed(son_tay, *_bytes_of(book))
    fixed = {t.code: t for t in again.tasks}
    assert fixed[missing.code].lead_units == ("Phòng Tư pháp",)
    assert (fixed[untimed.code].kind, fixed[untimed.code].due) == ("due", date(2025, 6, 30))
    changed = {missing.code, untimed.code}
    assert [t for t in again.tasks if t.code not in changed] == [
        t for t in record.tasks if t.code not in changed
    ]
    assert dataclasses.replace(fixed[missing.code], lead_text="", lead_units=()) == (
        dataclasses.replace(missing, lead_text="", lead_units=())
    )
