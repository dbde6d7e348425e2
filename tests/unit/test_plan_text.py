"""Reading text exports of plans into documents: paragraphs and tables."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.plans.model import Document, Paragraph, Table
from bot.plans.text import read_text

PLANS = Path(__file__).parents[1] / "data" / "plans"
SON_TAY = "ke-hoach-thi-xa-son-tay-2025.txt"
TRUNG_LUONG = "ke-hoach-phuong-trung-luong-2024.txt"
QUYET_DINH = "quyet-dinh-huyen-son-tay-2025.txt"


def read(name: str) -> Document:
    return read_text((PLANS / name).read_text(encoding="utf-8"), name)


def tables(document: Document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def paragraphs(document: Document) -> list[Paragraph]:
    return [b for b in document.blocks if isinstance(b, Paragraph)]


def texts(row: tuple) -> list[str]:
    return [cell.text for cell in row]


# --- the samples --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shapes"),
    [
        # (rows, columns) of each table in reading order
        (SON_TAY, [(40, 6)]),
        (TRUNG_LUONG, [(25, 6), (14, 6)]),
        (QUYET_DINH, [(67, 5), (11, 5)]),
    ],
)
def test_sample_tables(name: str, shapes: list[tuple[int, int]]) -> None:
    document = read(name)
    assert document.kind == "text"
    assert document.name == name
    assert [(len(t.rows), len(t.rows[0])) for t in tables(document)] == shapes
    for table in tables(document):
        assert all(len(row) == len(table.rows[0]) for row in table.rows)


def test_tab_table_bold_cells_and_continuation_rows() -> None:
    (table,) = tables(read(SON_TAY))
    assert texts(table.rows[0])[:3] == ["STT", "Nội dung công việc", "Đơn vị chủ trì"]
    section = table.rows[1]
    assert section[0].text == "1" and section[0].bold
    assert section[1].bold and "<b>" not in section[1].text
    assert not table.rows[2][0].bold
    # A row cut at a page break stays a row of its own (the parser joins it).
    cut = next(row for row in table.rows if row[1].text.startswith("danh mục TTHC"))
    assert cut[0].text == "" and cut[3].text == "môn"
    # The "--\t---" rule at the end is no row.
    assert not any(set(row[0].text) == {"-"} for row in table.rows)


def test_flattened_table_rows() -> None:
    task_table, indicator_table = tables(read(QUYET_DINH))
    header = texts(task_table.rows[0])
    assert header[0] == "Stt"
    assert header[3] == "Cơ quan, đơn vị\nthực hiện"
    assert texts(task_table.rows[1])[:2] == [
        "A",
        "Ban hành văn bản quản lý nhà nước về kiểm soát thủ tục hành chính (TTHC)",
    ]
    first = texts(task_table.rows[2])
    assert first[0] == "1"
    assert first[3] == (
        "- Văn phòng HĐND&UBND huyện chủ trì.\n- Các phòng, ban, ngành liên quan phối hợp."
    )
    assert first[4] == "Quý I"
    second = texts(task_table.rows[3])
    assert second[0] == "2" and second[1] == "" and second[2].startswith("b) Đề nghị")
    # Rows cut by blank lines are joined again: task 17's units and time.
    row17 = next(texts(r) for r in task_table.rows if r[0].text == "17")
    assert row17[3] == "Các phòng, ban, ngành và địa phương phối hợp."
    assert row17[4] == "Thường xuyên"
    # Empty cells ("\t" alone) keep their place: task 7 has no unit and no time.
    row7 = next(texts(r) for r in task_table.rows if r[0].text == "7")
    assert row7[3:] == ["", ""]
    assert texts(indicator_table.rows[4])[:4] == [
        "4",
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC.",
        "%",
        "Tối thiểu 60",
    ]


def test_flattened_run_without_header_is_prose() -> None:
    document = read(QUYET_DINH)
    first = paragraphs(document)[0]
    assert first.text == "ỦY BAN NHÂN DÂN\nHUYỆN SƠN TÂY"
    assert any(p.text.startswith("Nơi nhận:\n- Như Điều 4;") for p in paragraphs(document))
    # The appendix title after the table is a paragraph, not a continued cell.
    assert any(p.text == "Phụ lục" for p in paragraphs(document))


def test_markdown_headings_bold_and_hard_breaks() -> None:
    document = read(SON_TAY)
    heading = next(p for p in paragraphs(document) if p.text == "KẾ HOẠCH")
    assert heading.heading == 2 and heading.bold
    assert any(
        p.heading == 3 and p.text.startswith("Công tác kiểm soát") for p in paragraphs(document)
    )
    signature = next(p for p in paragraphs(document) if p.text.startswith("TM."))
    assert signature.text == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert signature.bold
    appendix = next(p for p in paragraphs(document) if p.text.startswith("PHỤ LỤC"))
    assert appendix.text.split("\n")[:2] == [
        "PHỤ LỤC",
        "NỘI DUNG CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2025",
    ]
    assert not appendix.bold  # its last line is italic, not bold
    assert "*" not in appendix.text
    letterhead = next(
        p for p in paragraphs(read(TRUNG_LUONG)) if p.text.endswith("PHƯỜNG TRUNG LƯƠNG")
    )
    assert letterhead.text == "ỦY BAN NHÂN DÂN\nPHƯỜNG TRUNG LƯƠNG" and letterhead.bold


# --- small shapes -------------------------------------------------------------------


def test_pipe_rows_are_a_table() -> None:
    text = (
        "KE HOACH\n"
        "| STT | Noi dung | Don vi chu tri | Thoi gian |\n"
        "|---|:---:|---|---|\n"
        "| 1 | **Xay dung** | Van phong | Quy I |\n"
        "\n"
        "| 2 | Ra soat | UBND cac x4 | Quy II |\n"
        "Het.\n"
    )
    document = read_text(text)
    assert isinstance(document.blocks[0], Paragraph)
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert [texts(r) for r in table.rows] == [
        ["STT", "Noi dung", "Don vi chu tri", "Thoi gian"],
        ["1", "Xay dung", "Van phong", "Quy I"],
        ["2", "Ra soat", "UBND cac x4", "Quy II"],
    ]
    assert table.rows[1][1].bold
    assert document.blocks[2] == Paragraph("Het.")


def test_ocr_rows_without_outer_pipes() -> None:
    document = read_text("Stt | Noi dung | Chu tri | Phoi hop\n1 | Viec | A | B\n")
    (table,) = tables(document)
    assert texts(table.rows[1]) == ["1", "Viec", "A", "B"]


def test_text_is_nfc_and_line_endings_are_read() -> None:
    decomposed = unicodedata.normalize("NFD", "Xã Sơn Dương\r\nKế hoạch\r\n")
    document = read_text(decomposed)
    assert [p.text for p in paragraphs(document)] == ["Xã Sơn Dương", "Kế hoạch"]
    assert all(unicodedata.is_normalized("NFC", p.text) for p in paragraphs(document))


def test_html_tags_and_entities_in_cells() -> None:
    document = read_text("a\t<strong>b</strong>\tc &amp; d<br>e\n")
    (table,) = tables(document)
    assert texts(table.rows[0]) == ["a", "b", "c & d\ne"]
    assert table.rows[0][1].bold


def test_a_single_line_with_a_trailing_tab_is_a_paragraph() -> None:
    assert read_text("Số: /KH-UBND\t\n").blocks == (Paragraph("Số: /KH-UBND"),)


def test_csv() -> None:
    document = read_text(
        'Kế hoạch năm 2025\nSTT,Nội dung,Chủ trì\n1,"Rà soát, đơn giản hóa",VP\n',
        "plan.csv",
    )
    assert document.blocks[0] == Paragraph("Kế hoạch năm 2025")
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert texts(table.rows[1]) == ["1", "Rà soát, đơn giản hóa", "VP"]


def test_empty_text() -> None:
    assert read_text("").blocks == ()
    assert read_text("\n\n \t \n").blocks == ()


PIECES = st.sampled_from(
    [
        *"ab xyzÀạđĐ|*#-_\t\n\r<>/&;:.,()1234",
        *("<b>", "</b>", "**", "\t\n", "\n\n", "STT", "Nội dung", "Chủ trì", "&amp;", "\u0301"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=200)))
def test_never_raises(text: str) -> None:
    document = read_text(text)
    for block in document.blocks:
        if isinstance(block, Table):
            assert block.rows
            assert len({len(row) for row in block.rows}) == 1
        else:
            assert block.text.strip()
