"""Reading plan files: Word and Excel twins of the samples, the template, bad files."""

from __future__ import annotations

import importlib.util
import io
import random
import struct
import unicodedata
import zipfile
from datetime import date, datetime

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from bot.plans.docx import read_docx
from bot.plans.files import (
    MAX_BYTES,
    OLE2_MAGIC,
    REASONS,
    PlanFileError,
    decode_text,
)
from bot.plans.model import Cell, Document, Paragraph, Table
from bot.plans.readers import read_document
from bot.plans.xlsx import (
    COMPARATORS,
    DEADLINE_KINDS,
    INDICATOR_HEADERS,
    PLAN_HEADERS,
    read_xlsx,
    render_value,
    write_template,
)
from tests import plans_fixtures as fx

SONTAY = "ke-hoach-thi-xa-son-tay-2025"
TRUNGLUONG = "ke-hoach-phuong-trung-luong-2024"
DECISION = "quyet-dinh-huyen-son-tay-2025"

# (rows, columns) of each table of each twin, header copies included.
SHAPES = {
    TRUNGLUONG: [(25, 6), (14, 6)],
    SONTAY: [(41, 6)],
    DECISION: [(68, 5), (12, 5)],
}


def needs(name: str) -> None:
    if not fx.sample_available(name):
        pytest.skip(f"sample {name}.txt is not in {fx.SAMPLES_DIR}")


def tables(document: Document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def paragraphs_before_first_table(document: Document) -> list[Paragraph]:
    out = []
    for block in document.blocks:
        if isinstance(block, Table):
            break
        out.append(block)
    return out


def texts(row: tuple[Cell, ...]) -> list[str]:
    return [cell.text for cell in row]


def spans(row: tuple[Cell, ...]) -> list[bool]:
    return [cell.spanned for cell in row]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def check_layout(table: Table, sample: fx.SampleTable, top: int = 0) -> None:
    """Every cell of the sample's layout, read back from row ``top`` of ``table``."""
    for r in range(len(sample.rows)):
        got = table.rows[top + r]
        assert len(got) == sample.width
        for c in range(sample.width):
            assert (got[c].text, got[c].spanned) == fx.expected_cell(sample, r, c), (r, c)
        if r in sample.header_rows:
            assert all(cell.bold for cell in got if cell.text), r
        elif any((r, c) in sample.hspans for c in range(sample.width)):
            assert all(cell.bold for cell in got if cell.text and not cell.spanned), r
        else:
            assert not any(cell.bold for cell in got), r


# --- Word twins ------------------------------------------------------------------------


@pytest.mark.parametrize("name", fx.SAMPLE_NAMES)
def test_docx_twin_tables_have_the_sample_shape(name: str) -> None:
    needs(name)
    document = read_docx(fx.sample_docx(name), f"{name}.docx")
    assert document.kind == "docx"
    assert document.name == f"{name}.docx"
    assert [(len(t.rows), len(t.rows[0])) for t in tables(document)] == SHAPES[name]
    for table, sample in zip(tables(document), fx.sample_tables(name), strict=True):
        check_layout(table, sample)


@pytest.mark.parametrize("name", fx.SAMPLE_NAMES)
def test_docx_twin_paragraphs_come_in_order(name: str) -> None:
    needs(name)
    document = read_docx(fx.sample_docx(name))
    expected = list(fx.sample_blocks(name))
    assert len(document.blocks) == len(expected)
    for got, want in zip(document.blocks, expected, strict=True):
        if isinstance(want, fx.SampleTable):
            assert isinstance(got, Table)
            continue
        assert isinstance(got, Paragraph)
        assert got.text == want.text
        assert got.heading == (1 if want.heading == -1 else want.heading)
        if not want.heading:  # heading styles may be bold themselves
            assert got.bold == want.bold, got.text


def test_docx_son_tay_section_and_lead_unit_merges() -> None:
    needs(SONTAY)
    (table,) = tables(read_docx(fx.sample_docx(SONTAY)))
    header = texts(table.rows[0])
    assert header == [
        "STT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
        "Dự kiến sản phẩm",
    ]
    assert all(cell.bold for cell in table.rows[0])
    section = table.rows[1]
    assert section[0] == Cell("1", bold=True)
    assert section[1].text.startswith("Xây dựng văn bản thực hiện nhiệm vụ")
    assert section[1].bold and not section[1].spanned
    assert spans(section) == [False, False, True, True, True, True]
    assert texts(section)[2:] == ["", "", "", ""]
    # 1.1 to 1.4 share their lead unit: one cell merged down four rows.
    leads = [table.rows[r][2] for r in range(2, 6)]
    assert [c.text for c in leads] == ["Văn phòng HĐND&UBND Thị xã"] * 4
    assert [c.spanned for c in leads] == [False, True, True, True]
    assert table.rows[6][2] == Cell("", spanned=True)  # the next section's title covers it
    # The header is repeated once mid-table, as after a page break.
    repeats = [i for i, row in enumerate(table.rows) if texts(row) == header]
    assert len(repeats) == 2 and repeats[0] == 0


def test_docx_son_tay_prose_before_the_table() -> None:
    needs(SONTAY)
    before = paragraphs_before_first_table(read_docx(fx.sample_docx(SONTAY)))
    assert before[0] == Paragraph("Số: /KH-UBND")
    assert before[1].text == "Sơn Tây, ngày tháng 01 năm 2025"
    assert before[2].text == "KẾ HOẠCH" and before[2].heading == 2
    assert before[-3:] == [
        Paragraph("PHỤ LỤC", bold=True),
        Paragraph("NỘI DUNG CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2025", bold=True),
        Paragraph("(Kèm theo Kế hoạch số /KH-UBND ngày /01/2025 của UBND thị xã Sơn Tây)"),
    ]
    # "**1. Văn phòng …:** text" style paragraphs are not bold as a whole.
    signed = [p for p in before if p.text == "Lê Đại Thăng"]
    assert signed == [Paragraph("Lê Đại Thăng", bold=True)]


def test_docx_decision_has_the_task_and_indicator_tables() -> None:
    needs(DECISION)
    document = read_docx(fx.sample_docx(DECISION))
    tasks, indicators = tables(document)
    assert texts(tasks.rows[0]) == [
        "Stt",
        "Nội dung công việc",
        "Kết quả công việc",
        "Cơ quan, đơn vị\nthực hiện",
        "Thời gian\nthực hiện",
    ]
    assert texts(tasks.rows[1])[:2] == [
        "A",
        "Ban hành văn bản quản lý nhà nước về kiểm soát thủ tục hành chính (TTHC)",
    ]
    assert spans(tasks.rows[1]) == [False, False, True, True, True]
    task_1 = tasks.rows[2]
    assert task_1[0].text == "1"
    assert task_1[3].text == (
        "- Văn phòng HĐND&UBND huyện chủ trì.\n- Các phòng, ban, ngành liên quan phối hợp."
    )
    assert task_1[4].text == "Quý I"
    assert texts(indicators.rows[0]) == [
        "Stt",
        "Nội dung chỉ tiêu",
        "Đơn vị",
        "Chỉ tiêu năm 2025",
        "Cơ quan thực hiện",
    ]
    first, second = indicators.rows[1], indicators.rows[2]
    assert texts(first)[:4] == ["1", "Tỷ lệ công bố, công khai TTHC đúng hạn.", "%", "100"]
    assert second[4] == Cell("Các phòng, ban, ngành; UBND cấp xã phối hợp", spanned=True)
    title = [b for b in document.blocks if isinstance(b, Paragraph) and b.text == "QUYẾT ĐỊNH"]
    assert title and title[0].heading == 1  # the Title style


def test_docx_twin_marks_its_header_row_as_repeated() -> None:
    needs(SONTAY)
    word = docx.Document(io.BytesIO(fx.sample_docx(SONTAY)))
    rows = word.tables[0]._tbl.tr_lst
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert rows[1].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None


# --- Excel twins -------------------------------------------------------------------------


@pytest.mark.parametrize("name", fx.SAMPLE_NAMES)
def test_xlsx_twin_sheets_hold_the_tables(name: str) -> None:
    needs(name)
    document = read_xlsx(fx.sample_xlsx(name), f"{name}.xlsx")
    assert document.kind == "xlsx"
    samples = fx.sample_tables(name)
    headings = [b for b in document.blocks if isinstance(b, Paragraph)]
    roman = ["I", "II"]
    assert headings == [Paragraph(f"Phụ lục {roman[i]}", heading=1) for i in range(len(samples))]
    # Each sheet: a heading paragraph, then its table.
    assert [type(b) for b in document.blocks] == [Paragraph, Table] * len(samples)
    for i, (table, sample) in enumerate(zip(tables(document), samples, strict=True)):
        top = fx.xlsx_table_top(name, i)
        assert len(table.rows) == top + len(sample.rows)
        # The title lines are merged across the table's width.
        assert table.rows[0][0].text and spans(table.rows[0])[1:] == [True] * (sample.width - 1)
        check_layout(table, sample, top)


def test_xlsx_son_tay_title_lines_and_numbers() -> None:
    needs(SONTAY)
    (table,) = tables(read_xlsx(fx.sample_xlsx(SONTAY)))
    top = fx.xlsx_table_top(SONTAY, 0)
    assert table.rows[0][0] == Cell("Số: /KH-UBND")
    assert table.rows[top - 1] == tuple(Cell("") for _ in range(6))  # the blank row
    assert table.rows[top][0] == Cell("STT", bold=True)
    assert table.rows[top + 1][0] == Cell("1", bold=True)  # stored as the number 1
    assert table.rows[top + 2][0].text == "1.1"


def test_xlsx_decision_numbers_are_written_plainly() -> None:
    needs(DECISION)
    workbook = load_workbook(io.BytesIO(fx.sample_xlsx(DECISION)))
    ws = workbook.worksheets[1]
    assert any(cell.value == 100 for row in ws.iter_rows() for cell in row)
    _, indicators = tables(read_xlsx(fx.sample_xlsx(DECISION)))
    top = fx.xlsx_table_top(DECISION, 1)
    assert texts(indicators.rows[top + 1])[:4] == [
        "1",
        "Tỷ lệ công bố, công khai TTHC đúng hạn.",
        "%",
        "100",
    ]


# --- Word, built by hand ---------------------------------------------------------------


def save(document) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_nested_table_is_flattened_into_its_cell() -> None:
    word = docx.Document()
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "1"
    outer = table.cell(0, 1)
    outer.text = "Nhiệm vụ"
    nested = outer.add_table(rows=2, cols=2)
    nested.cell(0, 0).text = "a"
    nested.cell(0, 1).text = "b"
    nested.cell(1, 0).text = "c"
    (read,) = tables(read_docx(save(word)))
    assert read.rows == ((Cell("1"), Cell("Nhiệm vụ\na\nb\nc")),)


def test_docx_vertical_merge_under_a_horizontal_one() -> None:
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    merged = table.cell(0, 0).merge(table.cell(1, 1))  # a 2x2 block
    merged.text = "Khối"
    table.cell(2, 0).text = "x"
    (read,) = tables(read_docx(save(word)))
    assert read.rows[0] == (Cell("Khối"), Cell("", spanned=True), Cell(""))
    assert read.rows[1] == (Cell("Khối", spanned=True), Cell("", spanned=True), Cell(""))
    assert read.rows[2] == (Cell("x"), Cell(""), Cell(""))


def test_docx_ragged_rows_are_padded_to_the_grid() -> None:
    word = docx.Document()
    table = word.add_table(rows=2, cols=3)
    table.cell(1, 1).text = "b"
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row now starts one grid column in
    tr_pr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.insert(0, before)
    tr.remove(tr.tc_lst[-1])  # and stops one short, with no gridAfter
    (read,) = tables(read_docx(save(word)))
    assert [len(row) for row in read.rows] == [3, 3]
    assert texts(read.rows[1]) == ["", "b", ""]


def test_docx_bold_is_judged_on_the_words() -> None:
    word = docx.Document()
    p = word.add_paragraph()
    p.add_run("Nơi nhận").bold = True
    p.add_run(":")  # an unbolded colon does not count
    p = word.add_paragraph()
    p.add_run("1. Văn phòng UBND:").bold = True
    p.add_run(" theo dõi, đôn đốc")
    p = word.add_paragraph()
    p.add_run("TM. ỦY BAN NHÂN DÂN", style="Strong")  # bold through a character style
    word.add_paragraph("Trích yếu", style="Intense Quote")  # bold through the paragraph style
    p = word.add_paragraph()
    run = p.add_run("Không đậm", style="Strong")
    run.bold = False  # direct formatting beats the style
    document = read_docx(save(word))
    assert [(b.text, b.bold) for b in document.blocks] == [
        ("Nơi nhận:", True),
        ("1. Văn phòng UBND: theo dõi, đôn đốc", False),
        ("TM. ỦY BAN NHÂN DÂN", True),
        ("Trích yếu", True),
        ("Không đậm", False),
    ]


def test_docx_headings_from_styles_and_outline_levels() -> None:
    word = docx.Document()
    word.add_heading("QUYẾT ĐỊNH", level=0)
    word.add_heading("I. MỤC ĐÍCH", level=1)
    word.add_heading("1. Mục đích", level=3)
    p = word.add_paragraph("II. NỘI DUNG")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    p._p.get_or_add_pPr().append(level)
    word.add_paragraph("Thân bài")
    word.add_paragraph("")  # empty paragraphs are dropped
    document = read_docx(save(word))
    assert [(b.text, b.heading) for b in document.blocks] == [
        ("QUYẾT ĐỊNH", 1),
        ("I. MỤC ĐÍCH", 1),
        ("1. Mục đích", 3),
        ("II. NỘI DUNG", 2),
        ("Thân bài", 0),
    ]


def test_docx_reads_in_order_through_content_controls_and_revisions() -> None:
    word = docx.Document()
    word.add_paragraph("Trước")
    table = word.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Ô"
    wrapped = word.add_paragraph("Trong khung")
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    wrapped._p.addprevious(sdt)
    content.append(wrapped._p)
    p = word.add_paragraph("Giữ ")
    deleted = OxmlElement("w:del")
    run = OxmlElement("w:r")
    gone = OxmlElement("w:delText")
    gone.text = "bỏ "
    run.append(gone)
    deleted.append(run)
    p._p.append(deleted)
    inserted = OxmlElement("w:ins")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "thêm"
    run.append(text)
    inserted.append(run)
    p._p.append(inserted)
    word.add_paragraph(unicodedata.normalize("NFD", "Kế hoạch"))
    document = read_docx(save(word))
    assert [b.text if isinstance(b, Paragraph) else "<table>" for b in document.blocks] == [
        "Trước",
        "<table>",
        "Trong khung",
        "Giữ thêm",
        "Kế hoạch",
    ]
    assert document.blocks[-1].text == nfc("Kế hoạch")  # type: ignore[union-attr]


def test_docx_line_breaks_and_cell_paragraphs_become_newlines() -> None:
    word = docx.Document()
    table = word.add_table(rows=1, cols=1)
    cell = table.cell(0, 0)
    cell.paragraphs[0].add_run("Cơ quan, đơn vị\nthực hiện")
    cell.add_paragraph("")
    cell.add_paragraph("- UBND cấp xã.")
    (read,) = tables(read_docx(save(word)))
    assert read.rows[0][0].text == "Cơ quan, đơn vị\nthực hiện\n- UBND cấp xã."


# --- Excel, built by hand ------------------------------------------------------------------


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_numbers_and_dates_as_an_official_writes_them() -> None:
    workbook = Workbook()
    ws = workbook.active
    values = [
        (1, "General"),
        (1.0, "General"),
        (2.5, "General"),
        (1.1, "General"),
        (0.8, "0%"),
        (0.955, "0.0%"),
        (1234567, "#,##0"),
        (datetime(2025, 1, 15), "dd/mm/yyyy"),
        (datetime(2025, 1, 15), "m/d/yy"),
        (datetime(2025, 1, 1), "mm/yyyy"),
        (datetime(2025, 3, 10, 8, 30), "dd/mm/yyyy hh:mm"),
        (datetime(2026, 3, 31), "dd/mm/yyyy hh:mm"),
        (date(2026, 9, 10), "yyyy-mm-dd"),
        (True, "General"),
        ("  Quý I  ", "@"),
    ]
    for row, (value, fmt) in enumerate(values, start=1):
        cell = ws.cell(row=row, column=1, value=value)
        cell.number_format = fmt
    (table,) = tables(read_xlsx(xlsx_bytes(workbook)))
    assert [row[0].text for row in table.rows] == [
        "1",
        "1",
        "2.5",
        "1.1",
        "80%",
        "95.5%",
        "1234567",
        "15/01/2025",
        "15/01/2025",
        "01/2025",
        "10/03/2025 08:30",
        "31/03/2026",  # a date typed without its time
        "10/09/2026",
        "TRUE",
        "Quý I",
    ]


def test_render_value_edge_cases() -> None:
    assert render_value(None) == ""
    assert render_value(float("nan")) == ""
    assert render_value(0.1 + 0.2) == "0.3"
    assert render_value(1e20) == "100000000000000000000"
    assert render_value("Ke\u0302\u0301 hoa\u0323ch\r\nnăm") == "Kế hoạch\nnăm"


def test_xlsx_merged_ranges_bold_and_used_range() -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Nhiệm vụ"
    ws["B2"] = "TT"
    ws["C2"] = "Nội dung"
    ws["D2"] = "Chủ trì"
    for cell in ws[2][1:4]:
        cell.font = Font(bold=True)
    ws["B3"] = "I"
    ws["C3"] = "Nhóm một"
    ws["C3"].font = Font(bold=True)
    ws.merge_cells("C3:D3")
    ws["B4"] = 1
    ws["C4"] = "Việc một"
    ws["D4"] = "Văn phòng"
    ws.merge_cells("D4:D5")
    ws["B5"] = 2
    ws["C5"] = "Việc hai"
    ws["B40"].font = Font(bold=True)  # formatted but empty: not part of the used range
    hidden = workbook.create_sheet("Ẩn")
    hidden["A1"] = "bí mật"
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Trống")
    document = read_xlsx(xlsx_bytes(workbook))
    assert document.blocks[0] == Paragraph("Nhiệm vụ", heading=1)
    assert len(document.blocks) == 2  # the hidden and the empty sheets are skipped
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert table.rows == (
        (Cell("TT", bold=True), Cell("Nội dung", bold=True), Cell("Chủ trì", bold=True)),
        (Cell("I"), Cell("Nhóm một", bold=True), Cell("", spanned=True)),
        (Cell("1"), Cell("Việc một"), Cell("Văn phòng")),
        (Cell("2"), Cell("Việc hai"), Cell("Văn phòng", spanned=True)),
    )


def test_xlsx_merge_anchored_on_the_last_row_keeps_its_rows() -> None:
    workbook = Workbook()
    ws = workbook.active
    ws["A1"] = "Đơn vị"
    ws["B1"] = "x"
    ws.merge_cells("A1:A3")
    (table,) = tables(read_xlsx(xlsx_bytes(workbook)))
    assert table.rows == (
        (Cell("Đơn vị"), Cell("x")),
        (Cell("Đơn vị", spanned=True), Cell("")),
        (Cell("Đơn vị", spanned=True), Cell("")),
    )


def test_xlsx_merged_title_of_the_top_row_reaches_the_title_finder() -> None:
    from bot.plans.parser import parse_plan

    document = read_xlsx(fx.year_plan_xlsx(2027))
    (table,) = tables(document)
    title = fx.YEAR_PLAN_TITLE.format(y=2027)
    assert table.rows[0] == (Cell(title, bold=True),) + (Cell("", spanned=True),) * 5
    draft = parse_plan(document, year=2026)
    assert draft.title is not None and draft.title.endswith("năm 2027")
    assert draft.year == 2027


# --- the template ------------------------------------------------------------------------


def template_bytes(**kwargs) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    write_template(buffer, **kwargs)
    return buffer.getvalue()


def validations(ws) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """sqref -> formula1 of a sheet's data validations."""
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_template_sheets_headers_and_validations() -> None:
    workbook = load_workbook(io.BytesIO(template_bytes(year=2026)))
    assert workbook.sheetnames == ["Kế hoạch", "Chỉ tiêu"]
    plan, indicators = workbook["Kế hoạch"], workbook["Chỉ tiêu"]
    assert tuple(c.value for c in plan[3]) == PLAN_HEADERS
    assert PLAN_HEADERS == (
        "STT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
        "Dự kiến sản phẩm",
        "Loại thời hạn",
    )
    assert plan["B2"].value == 2026
    assert plan.freeze_panes == "A4"
    assert plan.column_dimensions["B"].width >= 40
    kinds = validations(plan)
    assert kinds == {"G4:G503": '"Có hạn cụ thể,Thường xuyên,Định kỳ,Khi có yêu cầu"'}
    assert DEADLINE_KINDS == ("Có hạn cụ thể", "Thường xuyên", "Định kỳ", "Khi có yêu cầu")
    assert tuple(c.value for c in indicators[2]) == INDICATOR_HEADERS
    assert INDICATOR_HEADERS == (
        "STT",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "So sánh",
        "Chỉ tiêu",
        "Cơ quan thực hiện",
    )
    checks = validations(indicators)
    assert checks["D3:D502"] == '"Tối thiểu,Tối đa,Bằng"'
    assert COMPARATORS == ("Tối thiểu", "Tối đa", "Bằng")
    assert checks["C3:C502"] == '"%,hồ sơ"'
    assert indicators.freeze_panes == "A3"


def test_template_reads_back_as_a_plan_shape() -> None:
    document = read_document(template_bytes(year=2026), "mau-ke-hoach.xlsx")
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == [
        "Kế hoạch",
        "Chỉ tiêu",
    ]
    plan, indicators = tables(document)
    assert plan.rows[1][:2] == (Cell("Năm", bold=True), Cell("2026", bold=True))
    assert tuple(texts(plan.rows[2])) == PLAN_HEADERS
    assert texts(plan.rows[3])[:2] == ["I", "Xây dựng văn bản chỉ đạo, điều hành"]
    task = texts(plan.rows[4])
    assert task[0] == "1" and task[4] == "Tháng 01/2026" and task[6] == "Có hạn cụ thể"
    assert tuple(texts(indicators.rows[1])) == INDICATOR_HEADERS
    assert texts(indicators.rows[2])[2:5] == ["%", "Tối thiểu", "80"]


def test_template_with_units_offers_them_from_a_hidden_sheet() -> None:
    units = [f"UBND xã số {i} của huyện Sơn Tây" for i in range(40)] + ["=1+1"]
    assert len(",".join(units)) > 255  # too long for an inline list
    workbook = load_workbook(io.BytesIO(template_bytes(year=2026, units=units)))
    assert workbook.sheetnames == ["Kế hoạch", "Chỉ tiêu", "Đơn vị"]
    sheet = workbook["Đơn vị"]
    assert sheet.sheet_state == "hidden"
    assert [c.value for c in sheet["A"][1:]] == units
    assert sheet["A42"].data_type == "s"  # a name, never a formula
    reference = "'Đơn vị'!$A$2:$A$42"
    assert validations(workbook["Kế hoạch"])["C4:C503 D4:D503"] == reference
    assert validations(workbook["Chỉ tiêu"])["F3:F502"] == reference
    # The hidden sheet is not part of the plan as read.
    document = read_xlsx(template_bytes(year=2026, units=units))
    assert len(tables(document)) == 2


def test_template_writes_to_a_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mau.xlsx"
    write_template(path, year=2025)
    assert load_workbook(path)["Kế hoạch"]["B2"].value == 2025


# --- bad files ---------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def small_docx(text: str = "Kế hoạch năm 2025") -> bytes:
    word = docx.Document()
    if text:
        word.add_paragraph(text)
    return save(word)


def reason(data: bytes, name: str) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_document(data, name)
    assert isinstance(caught.value, ValueError)
    assert caught.value.detail
    return caught.value.reason


RANDOM = random.Random(20250101).randbytes(4096)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + RANDOM[:200]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + RANDOM[:200]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
OLE2_DOC = OLE2_MAGIC + b"\x00" * 56 + "WordDocument".encode("utf-16-le") + b"\x00" * 400
OLE2_XLS = OLE2_MAGIC + b"\x00" * 56 + "Workbook".encode("utf-16-le") + b"\x00" * 400
OLE2_ENCRYPTED = (
    OLE2_MAGIC
    + b"\x00" * 56
    + "EncryptionInfo".encode("utf-16-le")
    + "EncryptedPackage".encode("utf-16-le")
)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (RANDOM, "ke-hoach.docx", "corrupt_docx"),
        (RANDOM, "ke-hoach.xlsx", "corrupt_xlsx"),
        (RANDOM, "ke-hoach.bin", "unsupported_type"),
        (zip_bytes({"readme.txt": b"hello"}), "ke-hoach.docx", "corrupt_docx"),
        (zip_bytes({"readme.txt": b"hello"}), "ke-hoach.xlsx", "corrupt_xlsx"),
        (zip_bytes({"readme.txt": b"hello"}), "ke-hoach.zip", "unsupported_type"),
        (
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "a.odt",
            "unsupported_type",
        ),
        (b"PK\x03\x04" + RANDOM[:500], "ke-hoach.docx", "corrupt_docx"),
        (PNG, "anh-chup.png", "unsupported_type"),
        (PNG, "ke-hoach.docx", "unsupported_type"),  # the bytes decide, not the name
        (JPEG, "IMG_0001.jpg", "unsupported_type"),
        (PDF, "ke-hoach.pdf", "corrupt_pdf"),  # a header and no page tree
        (OLE2_DOC, "ke-hoach.doc", "unsupported_type"),
        (OLE2_XLS, "ke-hoach.xls", "unsupported_type"),
        (OLE2_ENCRYPTED, "ke-hoach.docx", "encrypted"),
        (b"{\\rtf1\\ansi Ke hoach}", "ke-hoach.rtf", "unsupported_type"),
        (b"", "ke-hoach.docx", "empty"),
        (b"", "ke-hoach.txt", "empty"),
        (b"K\xe1\xba\xbf ho\xe1\xba\xa1ch\x00\x01\x02\x03", "ke-hoach.txt", "unsupported_type"),
        (RANDOM, "ke-hoach.txt", "unsupported_type"),
        (small_docx(""), "trong.docx", "empty"),
    ],
)
def test_bad_files_raise_plan_file_error(data: bytes, name: str, expected: str) -> None:
    assert reason(data, name) == expected


def test_file_types_are_named() -> None:
    def file_type(data: bytes, name: str) -> str | None:
        with pytest.raises(PlanFileError) as caught:
            read_document(data, name)
        return caught.value.file_type

    assert file_type(PNG, "a.png") == "image"
    assert file_type(PDF, "a.pdf") == "pdf"
    assert file_type(OLE2_DOC, "a.doc") == "doc"
    assert file_type(OLE2_XLS, "a.xls") == "xls"


def test_a_docx_missing_its_document_part() -> None:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    assert reason(zip_bytes({"[Content_Types].xml": types}), "a.docx") == "corrupt_docx"


def test_a_truncated_docx_and_xlsx() -> None:
    data = small_docx()
    assert reason(data[: len(data) // 2], "a.docx") == "corrupt_docx"
    workbook = xlsx_bytes(Workbook())
    assert reason(workbook[: len(workbook) // 2], "a.xlsx") == "corrupt_xlsx"


def test_a_docx_whose_xml_is_broken() -> None:
    data = small_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = members["word/document.xml"][:-40]
    assert reason(zip_bytes(members), "a.docx") == "corrupt_docx"


def test_readers_refuse_the_other_kind() -> None:
    with pytest.raises(PlanFileError) as caught:
        read_docx(xlsx_bytes(Workbook()), "a.docx")
    assert caught.value.reason == "corrupt_docx"
    with pytest.raises(PlanFileError) as caught:
        read_xlsx(small_docx(), "a.xlsx")
    assert caught.value.reason == "corrupt_xlsx"
    with pytest.raises(PlanFileError) as caught:
        read_xlsx(OLE2_ENCRYPTED, "a.xlsx")
    assert caught.value.reason == "encrypted"


def _patch_central_directory(data: bytes, offset: int, value: bytes) -> bytes:
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    while start != -1:
        out[start + offset : start + offset + len(value)] = value
        start = out.find(b"PK\x01\x02", start + 4)
    return bytes(out)


def test_an_encrypted_zip_and_a_zip_bomb() -> None:
    data = small_docx()
    flags = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = flags.find(signature)
        while start != -1:
            (value,) = struct.unpack_from("<H", flags, start + offset)
            struct.pack_into("<H", flags, start + offset, value | 0x1)
            start = flags.find(signature, start + 4)
    assert reason(bytes(flags), "a.docx") == "encrypted"
    bomb = _patch_central_directory(data, 24, struct.pack("<I", 0xFFFFFFF0))
    assert reason(bomb, "a.docx") == "unpacked_too_large"


def test_too_large() -> None:
    # One allocation for this module: a file just over the limit.
    big = b"PK\x03\x04" + bytes(MAX_BYTES - 3)
    assert reason(big, "ke-hoach.docx") == "too_large"
    assert reason(big, "ke-hoach.txt") == "too_large"


def test_a_docx_is_read_whatever_its_name() -> None:
    document = read_document(small_docx(), "ke-hoach")
    assert document.kind == "docx"
    assert document.blocks == (Paragraph("Kế hoạch năm 2025"),)
    assert read_document(xlsx_bytes(_one_cell_workbook()), "bang.docx").kind == "xlsx"


def _one_cell_workbook() -> Workbook:
    workbook = Workbook()
    workbook.active["A1"] = "Kế hoạch"
    return workbook


# --- text --------------------------------------------------------------------------------


def test_decode_text() -> None:
    assert decode_text("Kế hoạch\r\nnăm 2025".encode()) == "Kế hoạch\nnăm 2025"
    assert decode_text(b"\xef\xbb\xbfK\xe1\xba\xbf") == "Kế"  # UTF-8 with a BOM
    assert decode_text("Kế hoạch".encode("utf-16")) == "Kế hoạch"
    # Windows-1258 has the base letters (ê) and the tone marks as combining characters.
    legacy = "Kê\u0301 hoa\u0323ch kiê\u0309m soa\u0301t".encode("cp1258")
    assert decode_text(legacy) == "Kế hoạch kiểm soát"  # Windows-1258, made NFC
    assert decode_text(b"abc\x00def") is None
    assert decode_text(RANDOM) is None


def test_text_files_go_to_the_text_reader() -> None:
    pytest.importorskip("bot.plans.text")
    document = read_document("KẾ HOẠCH\nKiểm soát TTHC năm 2025\n".encode(), "ke-hoach.txt")
    assert document.kind == "text"
    assert reason(b"  \n\t\n", "ke-hoach.md") == "empty"


# --- nothing but PlanFileError -----------------------------------------------------------

PREFIXES = [b"", b"PK\x03\x04", b"PK\x05\x06", OLE2_MAGIC, b"%PDF-", b"\x89PNG\r\n\x1a\n", b"BM"]
BINARY_NAMES = ["a.docx", "a.xlsx", "a.pdf", "a.png", "a.doc", "a.xls", "a.bin", "a.zip"]


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        document = read_document(data, name)
    except PlanFileError as exc:
        assert exc.reason in REASONS
    else:
        assert isinstance(document, Document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    name=st.sampled_from(BINARY_NAMES),
)
def test_random_bytes_only_ever_raise_plan_file_error(
    prefix: bytes, body: bytes, name: str
) -> None:
    _read_or_refuse(prefix + body, name)


_DOCX = small_docx()
_XLSX = template_bytes(year=2026)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(["docx", "xlsx"]),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    cut=st.none() | st.floats(0, 1),
)
def test_damaged_office_files_only_ever_raise_plan_file_error(
    which: str, edits: list[tuple[float, int]], cut: float | None
) -> None:
    data = bytearray(_DOCX if which == "docx" else _XLSX)
    for where, value in edits:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    _read_or_refuse(bytes(data), f"a.{which}")


HAVE_TEXT_READER = importlib.util.find_spec("bot.plans.text") is not None


@pytest.mark.skipif(not HAVE_TEXT_READER, reason="bot.plans.text is not there yet")
@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=500), name=st.sampled_from(["a.txt", "a.md", "a.csv", "a"]))
def test_random_bytes_named_as_text(body: bytes, name: str) -> None:
    _read_or_refuse(body, name)


# --- Word's list numbers ------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered(word: docx.Document, levels: list[tuple[str, str]], restarts: int = 0) -> list[str]:
    """Add a list definition to ``word`` (one (format, text) per level) and ``1 +
    restarts`` instances of it, the later ones restarting level 0: their numIds."""
    from docx.oxml import parse_xml

    numbering = word.part.numbering_part.element
    abstract_id = str(100 + len(numbering.findall(qn("w:abstractNum"))))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {_W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    )
    ids = []
    for k in range(1 + restarts):
        num_id = str(200 + len(numbering.findall(qn("w:num"))))
        override = (
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if k else ""
        )
        numbering.append(
            parse_xml(
                f'<w:num {_W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>"
            )
        )
        ids.append(num_id)
    return ids


def _in_list(paragraph, num_id: str, level: int = 0):  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {_W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def test_docx_list_numbers_are_read_as_word_prints_them() -> None:
    word = docx.Document()
    (outline,) = _numbered(
        word, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]
    )
    first, again = _numbered(word, [("decimal", "%1.")], restarts=1)
    _in_list(word.add_paragraph("MỤC ĐÍCH"), outline)
    _in_list(word.add_paragraph("NHIỆM VỤ"), outline)
    _in_list(word.add_paragraph("Rà soát TTHC"), outline, 1)
    _in_list(word.add_paragraph("Văn phòng chủ trì"), outline, 2)
    _in_list(word.add_paragraph("Công an xã phối hợp"), outline, 2)
    _in_list(word.add_paragraph("Số hóa hồ sơ"), outline, 1)
    _in_list(word.add_paragraph("Ý kiến góp ý"), outline, 2)  # lettered again from a)
    _in_list(word.add_paragraph("TỔ CHỨC THỰC HIỆN"), outline)
    _in_list(word.add_paragraph("một"), first)
    _in_list(word.add_paragraph("hai"), first)
    _in_list(word.add_paragraph("lại một"), again)  # a restarted instance
    _in_list(word.add_paragraph("không đánh số"), "0")
    word.add_paragraph("Nhiệm vụ", style="List Bullet")  # a bullet: a list item
    document = read_docx(save(word))
    assert [b.text for b in document.blocks] == [
        "I. MỤC ĐÍCH",
        "II. NHIỆM VỤ",
        "1. Rà soát TTHC",
        "a) Văn phòng chủ trì",
        "b) Công an xã phối hợp",
        "2. Số hóa hồ sơ",
        "a) Ý kiến góp ý",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. một",
        "2. hai",
        "1. lại một",
        "không đánh số",
        "- Nhiệm vụ",
    ]


def test_docx_a_table_numbered_by_word_keeps_its_task_numbers() -> None:
    """The STT column left to Word's numbering: empty cells, numbered as printed; the
    tasks keep their codes instead of running together."""
    from bot.plans.parser import parse_plan

    word = docx.Document()
    (rows_list,) = _numbered(word, [("decimal", "%1")])
    table = word.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"], strict=True
    ):
        cell.text = text
    for content, lead, when in [
        ("Rà soát TTHC", "Văn phòng", "Quý I/2026"),
        ("Số hóa hồ sơ", "Công an xã", "Thường xuyên"),
        ("Báo cáo", "Văn phòng", "Hằng quý"),
    ]:
        cells = table.add_row().cells
        _in_list(cells[0].paragraphs[0], rows_list)
        cells[1].text, cells[2].text, cells[3].text = content, lead, when
    draft = parse_plan(read_docx(save(word)), year=2026)
    assert [(t.code, t.content, t.lead) for t in draft.tasks] == [
        ("1", "Rà soát TTHC", ["Văn phòng"]),
        ("2", "Số hóa hồ sơ", ["Công an xã"]),
        ("3", "Báo cáo", ["Văn phòng"]),
    ]
    assert not [w for w in draft.warnings if w.kind == "generated_code"]  # read, not made up
