"""PDF plans (bot.plans.pdf): the text layer reads as the same plan's .docx; a table
continued over pages is one table; scans, passwords, damaged files and too many pages
are refused with their own reasons, worded for the office."""

from __future__ import annotations

import io
import itertools
import zlib

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image

from bot.plans import pdf as pdf_reader
from bot.plans.files import MAX_PDF_PAGES, MAX_UNPACKED_BYTES, Budget, PlanFileError
from bot.plans.model import Document, Paragraph, Table, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.views.plans import plan_error_reply
from tests.pdf_fixtures import (
    HEADER,
    LETTERHEAD,
    SIGNATURE,
    borderless_docx,
    borderless_pdf,
    borderless_spanning_pdf,
    convert_to_pdf,
    letterhead_docx,
    letterhead_pdf,
    needs_libreoffice,
    sample_pdf,
    spanning_rows,
    spanning_table_docx,
    spanning_table_pdf,
)
from tests.plans_fixtures import available_samples, sample_docx


def _reason(data: bytes, name: str = "ke-hoach.pdf") -> str:
    with pytest.raises(PlanFileError) as caught:
        read_document(data, name)
    return caught.value.reason


def _tasks(document: Document) -> list[tuple]:
    return [
        (
            t.code,
            t.content,
            tuple(t.lead),
            tuple(t.cooperating),
            t.timeframe_text,
            t.timeframe,
            t.product,
        )
        for t in parse_plan(document).tasks
    ]


def _indicators(document: Document) -> list[tuple]:
    return [
        (i.code, i.name, i.measure, i.comparator, i.target, i.source)
        for i in parse_plan(document).indicators
    ]


def _tables(document: Document) -> list[list[list[tuple[str, bool]]]]:
    return [
        [[(" ".join(cell.text.split()), cell.spanned) for cell in row] for row in block.rows]
        for block in document.blocks
        if isinstance(block, Table)
    ]


def _paragraphs(document: Document) -> list[str]:
    """The paragraphs, each with its spaces as a PDF keeps them: one between words."""
    return [" ".join(b.text.split()) for b in document.blocks if isinstance(b, Paragraph)]


@needs_libreoffice
@pytest.mark.parametrize("name", available_samples())
def test_a_sample_plan_exported_as_pdf_reads_as_its_word_file(name: str) -> None:
    word = read_document(sample_docx(name), f"{name}.docx")
    pdf = read_document(sample_pdf(name), f"{name}.pdf")
    assert pdf.kind == "pdf"
    assert pdf.borderless_tables == 0  # ruled tables only: none found from positions
    tasks = _tasks(pdf)
    assert len(tasks) >= 20
    assert tasks == _tasks(word)  # every task: code, content, units, timeframe, product
    assert _indicators(pdf) == _indicators(word)
    # The tables cell for cell (merges, the header repeated on each page dropped), and
    # the prose paragraph for paragraph, without the page numbers.
    assert _tables(pdf) == _tables(word)
    assert _paragraphs(pdf) == _paragraphs(word)
    draft, word_draft = parse_plan(pdf), parse_plan(word)
    assert (draft.title, draft.issuer, draft.year) == (
        word_draft.title,
        word_draft.issuer,
        word_draft.year,
    )


@needs_libreoffice
def test_a_table_over_pages_is_one_table() -> None:
    data = spanning_table_pdf()
    with pdfplumber.open(io.BytesIO(data)) as opened:
        assert len(opened.pages) >= 3  # the table does run over pages
        # The long task is cut by a page break: its text is on two pages at least.
        cut = [p.page_number for p in opened.pages if "tuân" in p.extract_text()]
        assert len(cut) >= 2
    document = read_document(data, "ke-hoach.pdf")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [c.text for c in rows[0]] == list(HEADER)
    assert sum(1 for row in rows if row[0].text == "STT") == 1  # repeated headers dropped
    expected = spanning_rows()
    assert [row[0].text for row in rows[1:]] == [row[0] for row in expected]
    for row, (code, content, lead, coop, time) in zip(rows[1:], expected, strict=True):
        assert " ".join(row[1].text.split()) == content, code  # the cut row joined back
        assert (row[2].text, row[3].text, row[4].text) == (lead, coop, time), code
    # The lead merged down from task 4 to task 8, across page breaks.
    assert [row[2].spanned for row in rows[4:10]] == [False, True, True, True, True, False]
    assert _tables(document) == _tables(read_document(spanning_table_docx(), "k.docx"))
    # No page number is left as a paragraph.
    assert not [p for p in _paragraphs(document) if p.strip().isdigit()]


def _flat(text: str | None) -> str:
    """Text without its spaces: a PDF may join a word the layout broke ("TTg" + "ngày")."""
    return "".join((text or "").split())


@needs_libreoffice
@pytest.mark.parametrize("centred", [False, True], ids=["top", "centred"])
@pytest.mark.parametrize("name", available_samples())
def test_a_table_without_borders_reads_as_its_word_file(name: str, centred: bool) -> None:
    """The appendix table drawn without ruling lines (its cells' text at the top of each
    row, or in the middle): the same tasks and indicators as the Word file, except what no
    reader can see without borders, a cell merged down over rows. With the text at the
    top, an empty lead cell takes the lead above (listed to check): right where the Word
    file merged it, a guess shown where its cell was empty; centred, the merged text is
    read in one of its rows and the others stay empty."""
    word = parse_plan(read_document(borderless_docx(name, centred), f"{name}.docx"))
    document = read_document(borderless_pdf(name, centred), f"{name}.pdf")
    assert document.borderless_tables == sum(isinstance(b, Table) for b in document.blocks) > 0
    pdf = parse_plan(document)
    assert pdf.source is not None and pdf.source.borderless_tables > 0
    assert len(pdf.tasks) == len(word.tasks) >= 20
    from_above = {w.task_code for w in pdf.warnings if w.kind is WarningKind.LEAD_FROM_ABOVE}
    assert not (centred and from_above)
    for i, (got, want) in enumerate(zip(pdf.tasks, word.tasks, strict=True)):
        assert got.code == want.code
        assert _flat(got.content) == _flat(want.content), want.code
        assert (got.timeframe_text, got.timeframe) == (want.timeframe_text, want.timeframe)
        assert _flat(got.product) == _flat(want.product), want.code
        above = pdf.tasks[i - 1] if i else None
        for field in ("lead", "cooperating"):
            read, written = getattr(got, field), getattr(want, field)
            if _flat(" ".join(read)) == _flat(" ".join(written)):
                continue
            if got.code in from_above:  # the Word file's cell was empty: shown to check
                assert not written and above is not None and got.lead == above.lead
                continue
            # Empty only where the Word file's cell is merged with the row above or below.
            neighbours = [getattr(t, field) for t in word.tasks[max(i - 1, 0) : i + 2]]
            assert not read and neighbours.count(written) > 1, (want.code, field, read)
    for i, task in enumerate(pdf.tasks):  # each lead taken from above is the one above
        assert task.code not in from_above or (i and task.lead == pdf.tasks[i - 1].lead)
    if not centred:  # every lead merged down in the Word file is found
        merged = [
            t.code
            for i, t in enumerate(word.tasks)
            if i and t.lead and t.lead == word.tasks[i - 1].lead
        ]
        assert set(merged) <= {t.code for t in pdf.tasks if t.lead}
    assert _indicators(read_document(borderless_pdf(name, centred), "k.pdf")) == _indicators(
        read_document(borderless_docx(name, centred), "k.docx")
    )


@needs_libreoffice
def test_a_table_without_borders_over_pages_without_its_header_repeated() -> None:
    document = read_document(borderless_spanning_pdf(), "ke-hoach.pdf")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[0]] == list(HEADER)
    expected = spanning_rows()
    assert [row[0].text for row in table.rows[1:]] == [row[0] for row in expected]
    for row, (code, content, lead, coop, time) in zip(table.rows[1:], expected, strict=True):
        assert " ".join(row[1].text.split()) == content, code  # the cut row joined back
        assert (row[3].text, row[4].text) == (coop, time), code
        # The lead merged down from task 4 to task 8 shows in its first row only.
        assert row[2].text == ("" if 5 <= int(code) <= 8 else lead), code
    assert _paragraphs(document)[-1] == "Nơi nhận: như trên."  # after the table, not in it
    # Parsed, the tasks under the merged lead take it, listed to check.
    draft = parse_plan(document)
    assert [t.lead for t in draft.tasks[3:8]] == [["Văn phòng HĐND và UBND huyện"]] * 5
    from_above = [w.task_code for w in draft.warnings if w.kind is WarningKind.LEAD_FROM_ABOVE]
    assert from_above == ["5", "6", "7", "8"]


@needs_libreoffice
def test_a_letterhead_and_a_signature_side_by_side_are_read_as_their_table() -> None:
    word = read_document(letterhead_docx(), "k.docx")
    pdf = read_document(letterhead_pdf(), "k.pdf")
    rows = [b.rows[0] for b in pdf.blocks if isinstance(b, Table) and len(b.rows) == 1]
    assert rows[0][0].text == "\n".join(LETTERHEAD[0])
    assert [cell.text for cell in rows[-1]] == ["\n".join(c) for c in SIGNATURE]
    draft, word_draft = parse_plan(pdf), parse_plan(word)
    assert draft.issuer == word_draft.issuer == "UBND thị xã Sơn Tây"
    assert draft.title == word_draft.title and draft.title.startswith("Kế hoạch Công tác")
    assert _tasks(pdf) == _tasks(word)


@needs_libreoffice
def test_a_pdf_drawn_without_space_characters_keeps_its_words_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Word's export places words apart without drawing spaces: the gaps decide."""
    words = pdf_reader._words

    def without_spaces(page):
        return words(
            page.filter(lambda o: not (o.get("object_type") == "char" and o["text"] == " "))
        )

    name = "ke-hoach-thi-xa-son-tay-2025"
    data = sample_pdf(name)
    monkeypatch.setattr(pdf_reader, "_words", without_spaces)
    pdf = read_document(data, "k.pdf")
    assert _tasks(pdf) == _tasks(read_document(sample_docx(name), "k.docx"))


@needs_libreoffice
def test_words_keep_their_spaces() -> None:
    document = read_document(sample_pdf("ke-hoach-thi-xa-son-tay-2025"), "k.pdf")
    text = " ".join(
        [*_paragraphs(document), *(c for t in _tables(document) for r in t for c, _ in r)]
    )
    assert "chỉ đạo" in text and "chỉđạo" not in text
    assert "Văn phòng HĐND&UBND Thị xã" in text  # cut inside the word by the cell's edge


@needs_libreoffice
def test_a_password_protected_pdf_is_encrypted() -> None:
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"matkhau"}}'
    )
    data = convert_to_pdf(sample_docx("ke-hoach-thi-xa-son-tay-2025"), options)
    if data is None or b"/Encrypt" not in data:
        pytest.skip("this LibreOffice does not export a PDF with a password")
    assert _reason(data) == "encrypted"
    reply = plan_error_reply("encrypted", "ke-hoach.pdf", "vi").text
    assert "mật khẩu" in reply


def _picture_pdf(pages: int, size: tuple[int, int] = (200, 280)) -> bytes:
    images = [Image.new("RGB", size, "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


@needs_libreoffice
def test_a_scan_without_text_is_scanned_pdf() -> None:
    # A page of a plan rendered to a picture, and the picture saved as a PDF.
    with pdfplumber.open(io.BytesIO(sample_pdf("ke-hoach-thi-xa-son-tay-2025"))) as opened:
        picture = opened.pages[3].to_image(resolution=100).original.convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PDF", resolution=100)
    with pytest.raises(PlanFileError) as caught:
        read_document(out.getvalue(), "scan.pdf")
    assert caught.value.reason == "scanned_pdf"
    assert caught.value.file_type == "pdf"
    reply = plan_error_reply("scanned_pdf", "scan.pdf", "vi").text
    assert "bản quét" in reply and "Word (.docx)" in reply and "Chưa nhập gì" in reply


def test_more_pages_than_the_cap_are_refused_before_any_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_page(*args, **kwargs):
        raise AssertionError("a page was read")

    monkeypatch.setattr(pdf_reader, "_read_page", no_page)
    assert _reason(_picture_pdf(MAX_PDF_PAGES + 1, (20, 20))) == "too_many_pages"
    reply = plan_error_reply("too_many_pages", "dai.pdf", "vi").text
    assert str(MAX_PDF_PAGES) in reply and "trang" in reply


def test_a_picture_pdf_under_the_cap_is_a_scan() -> None:
    assert _reason(_picture_pdf(2)) == "scanned_pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(200),
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF",
    ],
)
def test_a_damaged_pdf_is_corrupt_pdf(data: bytes) -> None:
    assert _reason(data) == "corrupt_pdf"


def test_a_file_renamed_pdf_is_not_read_as_one() -> None:
    with pytest.raises(PlanFileError) as caught:
        read_document(b"Ke hoach nam 2025\nkhong phai PDF", "ke-hoach.pdf")
    assert (caught.value.reason, caught.value.file_type) == ("corrupt_pdf", "pdf")
    reply = plan_error_reply("corrupt_pdf", "ke-hoach.pdf", "vi").text
    assert "PDF" in reply and "ke-hoach.pdf" in reply and "Chưa nhập gì" in reply


@needs_libreoffice
def test_reading_a_pdf_is_bounded_in_time() -> None:
    ticks = itertools.count(step=5.0)
    with pytest.raises(PlanFileError) as caught:
        read_document(sample_pdf("ke-hoach-thi-xa-son-tay-2025"), "k.pdf", Budget(ticks.__next__))
    assert caught.value.reason == "too_slow"


def _flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of spaces."""
    pack = zlib.compressobj(9)
    block = b" " * 2**20
    stream = b"".join(pack.compress(block) for _ in range(megabytes)) + pack.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_a_flate_bomb_is_refused_before_a_page_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_page(*args, **kwargs):
        raise AssertionError("a page was read")

    monkeypatch.setattr(pdf_reader, "_read_page", no_page)
    data = _flate_bomb(MAX_UNPACKED_BYTES // 2**20 + 8)
    assert len(data) < 2 * 2**20
    assert _reason(data) == "unpacked_too_large"
    # The same file, small: read through, an empty page (no text, no picture).
    monkeypatch.undo()
    assert _reason(_flate_bomb(1)) == "empty"


def _fragment(rows: list[list[tuple[str, int]]]) -> pdf_reader._Grid:
    """A table's part on one page: each slot (text, box); a box over several slots is a
    merged cell, its text in its first slot."""
    cells, owner, seen = [], [], set()
    for row in rows:
        cells.append([])
        owner.append([])
        for c, (text, box) in enumerate(row):
            first = box not in seen
            seen.add(box)
            above = owner[-2][c] == box if len(owner) > 1 else False
            cells[-1].append(pdf_reader.Cell(text, spanned=not first and (above or c > 0)))
            owner[-1].append(box)
    return pdf_reader._Grid((0, 0, 1, 1), [0, 1, 2, 3], cells, owner, {})


def test_a_number_cell_merged_across_the_break_is_not_a_cut_row() -> None:
    before = _fragment(
        [
            [("STT", 1), ("Nội dung", 2), ("Chủ trì", 3)],
            [("1", 4), ("Rà soát", 5), ("Phòng Tư pháp", 6)],
        ]
    )
    # The next page: the header again, then "1" merged down over two rows (sub-tasks).
    after = _fragment(
        [
            [("STT", 11), ("Nội dung", 12), ("Chủ trì", 13)],
            [("", 14), ("a) Niêm yết", 15), ("Phòng Nội vụ", 16)],
            [("", 14), ("b) Công khai", 17), ("Phòng Nội vụ", 18)],
        ]
    )
    pdf_reader._continue_table(before, after)
    assert [[c.text for c in row] for row in before.rows] == [
        ["STT", "Nội dung", "Chủ trì"],
        ["1", "Rà soát", "Phòng Tư pháp"],
        ["", "a) Niêm yết", "Phòng Nội vụ"],
        ["", "b) Công khai", "Phòng Nội vụ"],
    ]


def test_a_row_cut_by_the_break_is_joined_back() -> None:
    before = _fragment(
        [
            [("STT", 1), ("Nội dung", 2), ("Chủ trì", 3)],
            [("1", 4), ("Rà soát thủ tục", 5), ("Phòng Tư", 6)],
        ]
    )
    before.tails[6] = " "
    after = _fragment(
        [
            [("STT", 11), ("Nội dung", 12), ("Chủ trì", 13)],
            [("", 14), ("hành chính", 15), ("pháp", 16)],
            [("2", 17), ("Niêm yết", 18), ("Phòng Nội vụ", 19)],
        ]
    )
    pdf_reader._continue_table(before, after)
    assert [[c.text for c in row] for row in before.rows] == [
        ["STT", "Nội dung", "Chủ trì"],
        ["1", "Rà soát thủ tục hành chính", "Phòng Tư pháp"],
        ["2", "Niêm yết", "Phòng Nội vụ"],
    ]


def test_a_lead_merged_down_from_the_last_row_of_the_page_before() -> None:
    # The lead of task 3, the last row of the page, is merged down over tasks 4 and 5
    # on the next page: there its cell starts empty (a merged cell's text stands at its
    # top) and spans both rows.
    before = _fragment(
        [
            [("STT", 1), ("Nội dung", 2), ("Chủ trì", 3)],
            [("3", 4), ("Rà soát", 5), ("Phòng Tư pháp", 6)],
        ]
    )
    after = _fragment(
        [
            [("STT", 11), ("Nội dung", 12), ("Chủ trì", 13)],
            [("4", 14), ("Niêm yết", 15), ("", 16)],
            [("5", 17), ("Công khai", 18), ("", 16)],
            [("6", 19), ("Số hóa", 20), ("", 21)],
        ]
    )
    pdf_reader._continue_table(before, after)
    assert [[c.text for c in row] for row in before.rows] == [
        ["STT", "Nội dung", "Chủ trì"],
        ["3", "Rà soát", "Phòng Tư pháp"],
        ["4", "Niêm yết", "Phòng Tư pháp"],
        ["5", "Công khai", "Phòng Tư pháp"],
        ["6", "Số hóa", ""],  # a cell of its own, left empty
    ]


@needs_libreoffice
def test_a_title_centred_right_under_the_letterhead_is_no_part_of_it() -> None:
    """ "KẾ HOẠCH" set at the letterhead's size right under it, centred on the page: it
    lies across the gutter between the letterhead's columns, so it is the title's line,
    not the right column's last (the plan took "Kế hoạch thực hiện như sau:" for title)."""
    word = docx.Document()
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "UBND TỈNH TUYÊN QUANG\nSỞ TƯ PHÁP"
    table.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for text in ("KẾ HOẠCH", "Kiểm soát thủ tục hành chính năm 2027 của Sở Tư pháp"):
        word.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph("Sở Tư pháp ban hành Kế hoạch thực hiện như sau:")
    out = io.BytesIO()
    word.save(out)
    data = convert_to_pdf(out.getvalue())
    assert data is not None
    document = read_document(data, "k.pdf")
    (letterhead,) = [b for b in document.blocks if isinstance(b, Table)]
    assert "KẾ HOẠCH" not in letterhead.rows[0][1].text
    assert parse_plan(document).title == (
        "Kế hoạch Kiểm soát thủ tục hành chính năm 2027 của Sở Tư pháp"
    )


@needs_libreoffice
def test_a_title_centred_in_the_letterhead_gutter_and_wrapped_centred_lines() -> None:
    """A commune's letterhead whose right column wraps ("… năm" / "2027") leaves a wide
    gutter: "KẾ HOẠCH" centred under it lies in the gutter, not across its middle, and is
    still the title's line. A centred title wrapped onto a shorter second line, and the
    appendix's "(Kèm theo … xã Thái" / "Bình)", are one paragraph each (the second line
    starts further right, but is no indented first line)."""
    word = docx.Document()
    table = word.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "ỦY BAN NHÂN DÂN\nXÃ THÁI BÌNH"
    table.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.rows[1].cells[0].text = "Số: 12/KH-UBND"
    table.rows[1].cells[1].text = "Thái Bình, ngày 08 tháng 01 năm 2027"
    subject = "Kiểm soát thủ tục hành chính, thực hiện cơ chế một cửa, một cửa liên thông năm 2027"
    appendix = "(Kèm theo Kế hoạch số 12/KH-UBND ngày 08/01/2027 của UBND xã Thái Bình)"
    for text, bold in (("KẾ HOẠCH", True), (subject, True), ("PHỤ LỤC", True), (appendix, False)):
        paragraph = word.add_paragraph()
        paragraph.add_run(text).bold = bold
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    word.save(out)
    data = convert_to_pdf(out.getvalue())
    assert data is not None
    document = read_document(data, "k.pdf")
    (letterhead,) = [b for b in document.blocks if isinstance(b, Table)]
    assert "KẾ HOẠCH" not in letterhead.rows[0][-1].text
    assert _paragraphs(document) == ["KẾ HOẠCH", subject, "PHỤ LỤC", appendix]
    assert parse_plan(document).title == f"Kế hoạch {subject}"
