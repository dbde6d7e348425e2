"""PDF twins of the sample plans and of a table that runs over pages, as an office exports
them from Word: LibreOffice converts a .docx (``soffice --headless --convert-to pdf``).

The conversion takes seconds, so each result is cached for the test session. Without
LibreOffice the tests that need it are skipped (``needs_libreoffice``).
"""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from bot.services import conversion
from tests.plans_fixtures import sample_docx

needs_libreoffice = pytest.mark.skipif(
    conversion.converter() is None,
    reason="LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui",
)


def save_as(data: bytes, source: str = "docx", target: str = "pdf") -> bytes | None:
    """``data`` (a .``source`` file) saved by LibreOffice as ``target`` (a filter and its
    options: "pdf", "odt", "doc:MS Word 97"), as an office would; None when LibreOffice
    wrote nothing."""
    program = conversion.converter()
    assert program is not None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / f"plan.{source}").write_bytes(data)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(work / "out"),
                str(work / f"plan.{source}"),
            ],
            check=False,
            capture_output=True,
            timeout=240,
        )
        result = work / "out" / f"plan.{target.split(':')[0]}"  # "doc:MS Word 97": plan.doc
        return result.read_bytes() if result.is_file() else None


def convert_to_pdf(data: bytes, export: str = "pdf") -> bytes | None:
    """A .docx exported as PDF by LibreOffice (``export``: the filter and its options);
    None when LibreOffice wrote nothing."""
    return save_as(data, "docx", export)


def saved_as_text(data: bytes) -> bytes:
    """A .docx saved by LibreOffice as plain text ("Text (encoded)", UTF-8): each cell
    paragraph on a line of its own, an empty cell an empty line, no tab or rule."""
    text = save_as(data, "docx", "txt:Text (encoded):UTF8")
    assert text is not None
    return text


def word_97(data: bytes) -> bytes:
    """A .docx saved as an old Word file (.doc). LibreOffice's .doc export drops the table
    python-docx wrote (no column grid); by way of its own .odt it writes it as Word does."""
    odt = save_as(data, "docx", "odt")
    assert odt is not None
    doc = save_as(odt, "odt", "doc:MS Word 97")
    assert doc is not None
    return doc


def _page_field(paragraph) -> None:
    """A PAGE field in ``paragraph``, as Word writes it (begin, instruction, end)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(separate)
    number = OxmlElement("w:t")
    number.text = "1"
    run._r.append(number)
    run._r.append(end)


def with_page_numbers(data: bytes) -> bytes:
    """The .docx with its page number at the top centre of each page (as the rules for
    administrative documents place it)."""
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def sample_pdf(name: str) -> bytes:
    """The sample plan's Word twin, with page numbers, exported as PDF."""
    data = convert_to_pdf(with_page_numbers(sample_docx(name)))
    assert data is not None, f"LibreOffice did not convert {name}"
    return data


# A table that runs over three pages: its header repeated on each, a lead unit merged
# down across the first page break, and a task too long for the rest of its page (cut by
# the break).
HEADER = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian")
_LONG = (
    "Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý của các cơ quan chuyên "
    "môn thuộc UBND huyện và UBND các xã, thị trấn, đề xuất phương án đơn giản hóa, cắt "
    "giảm thành phần hồ sơ, thời gian giải quyết và chi phí tuân thủ cho người dân"
)


def spanning_rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for i in range(1, 15):
        content = (
            " ".join([_LONG] * 6)
            if i == 6
            else (f"Nhiệm vụ số {i}: triển khai công tác kiểm soát thủ tục hành chính tại cơ quan")
        )
        lead = "Văn phòng HĐND và UBND huyện" if 4 <= i <= 8 else "Phòng Tư pháp"
        rows.append((str(i), content, lead, "Các cơ quan, đơn vị có liên quan", f"Tháng {i}/2025"))
    return rows


@functools.cache
def spanning_table_docx() -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_paragraph("KẾ HOẠCH kiểm soát thủ tục hành chính năm 2025").runs[0].bold = True
    for _ in range(12):
        document.add_paragraph(
            "Căn cứ các văn bản hướng dẫn của cấp trên, UBND huyện ban hành kế hoạch kiểm soát "
            "thủ tục hành chính năm 2025 với các nội dung như sau."
        )
    rows = spanning_rows()
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, text in enumerate(HEADER):
        cell = table.cell(0, c)
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if c == 2 and 5 <= int(row[0]) <= 8:
                continue  # merged down from task 4
            table.cell(r, c).text = text
    table.cell(4, 2).merge(table.cell(8, 2))
    table.cell(4, 2).text = "Văn phòng HĐND và UBND huyện"
    document.add_paragraph("Nơi nhận: như trên.")
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def spanning_table_pdf() -> bytes:
    data = convert_to_pdf(spanning_table_docx())
    assert data is not None
    return data


LETTERHEAD = (
    ("ỦY BAN NHÂN DÂN", "THỊ XÃ SƠN TÂY", "Số: 15/KH-UBND"),
    (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sơn Tây, ngày 10 tháng 01 năm 2025",
    ),
)
SIGNATURE = (
    ("Nơi nhận:", "- UBND Thành phố;", "- Lưu: VT, VP."),
    ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Đại Thắng"),
)


def _borderless(document, columns: tuple[tuple[str, ...], ...]):
    """A one-row table without borders, a column of paragraphs per cell (as offices lay
    out the letterhead and the signature block)."""
    table = document.add_table(rows=1, cols=len(columns))
    for cell, lines in zip(table.rows[0].cells, columns, strict=True):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = paragraph.text.isupper()
    return table


@functools.cache
def letterhead_docx() -> bytes:
    """The Sơn Tây plan with its letterhead and its signature block side by side in
    borderless tables (the sample writes them as paragraphs)."""
    document = docx.Document(io.BytesIO(sample_docx("ke-hoach-thi-xa-son-tay-2025")))
    body = document.element.body
    for paragraph in document.paragraphs[:2]:  # "Số: …" and the date: now in the letterhead
        body.remove(paragraph._p)
    body.insert(0, _borderless(document, LETTERHEAD)._tbl)
    signature = _borderless(document, SIGNATURE)._tbl
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(signature)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def letterhead_pdf() -> bytes:
    data = convert_to_pdf(letterhead_docx())
    assert data is not None
    return data


def without_borders(data: bytes, *, repeat_header: bool = True, centred: bool = False) -> bytes:
    """The .docx with its tables' borders removed (no table style, no table or cell
    borders), as an office prints a plan for a cleaner page; ``repeat_header`` False also
    stops the header row repeating on each page, ``centred`` sets every cell's text in the
    middle of its row (top to bottom)."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    for element in list(body.iter(qn("w:tblBorders"), qn("w:tcBorders"))):
        element.getparent().remove(element)
    if not repeat_header:
        for element in list(body.iter(qn("w:tblHeader"))):
            element.getparent().remove(element)
    for table in document.tables:
        table.style = None
        if centred:
            for row in table.rows:
                for cell in row.cells:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def borderless_docx(name: str, centred: bool = False) -> bytes:
    return without_borders(sample_docx(name), centred=centred)


@functools.cache
def borderless_pdf(name: str, centred: bool = False) -> bytes:
    """The sample's Word twin without table borders (``centred``: its cells' text in the
    middle of their rows), with page numbers, as PDF."""
    data = convert_to_pdf(with_page_numbers(borderless_docx(name, centred)))
    assert data is not None, f"LibreOffice did not convert {name}"
    return data


@functools.cache
def borderless_spanning_pdf() -> bytes:
    """The table over three pages without borders and without its header repeated."""
    data = convert_to_pdf(without_borders(spanning_table_docx(), repeat_header=False))
    assert data is not None
    return data
