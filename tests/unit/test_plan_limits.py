"""Bounded work: every plan reader refuses a file over a limit, quickly, with the reason
the views word, and still reads a file just under the limits. The files are built here
(tests/hostile_files.py), never stored."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from bot.plans.files import (
    LIMITS,
    MAX_CELLS,
    MAX_LINE_CHARS,
    MAX_READ_SECONDS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    REASONS,
    Budget,
    PlanFileError,
    clean_name,
)
from bot.plans.model import Table
from bot.plans.readers import read_document
from bot.views.plans import plan_error_reply
from tests import hostile_files as hostile
from tests import plans_fixtures as fx

DECISION = "quyet-dinh-huyen-son-tay-2025.txt"


def refused(data: bytes, name: str, budget: Budget | None = None) -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(PlanFileError) as caught:
        read_document(data, name, budget)
    return caught.value.reason, time.perf_counter() - start


def rows_of(document) -> int:
    return sum(len(b.rows) if isinstance(b, Table) else 1 for b in document.blocks)


# --- workbooks -----------------------------------------------------------------------


def test_a_sheet_part_over_the_xml_limit_is_refused_off_the_zip_directory() -> None:
    # A million short rows make an 80 MB sheet: refused before anything is parsed.
    head, tail = hostile._SHEET_HEAD, hostile._SHEET_TAIL.format(merges="")
    padded = [head, " " * (MAX_XML_BYTES + 1), tail]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, padded)
    reason, seconds = refused(data, "ke-hoach.xlsx")
    assert reason == "content_too_large" and seconds < 1


def test_a_hundred_thousand_row_sheet_is_refused_at_the_row_limit() -> None:
    data = hostile.plan_xlsx(100_000)  # 1.3 MB: 39 s and no answer before
    reason, seconds = refused(data, "ke-hoach.xlsx")
    assert reason == "too_many_rows" and seconds < 2


def test_rows_far_apart_are_refused_by_the_rows_they_span() -> None:
    # Two cells, a table of MAX_ROWS + 10 rows: the streaming survey sees the span.
    rows: list[list[object]] = [["STT", "Nội dung"]] + [[] for _ in range(MAX_ROWS + 8)]
    rows.append(["1", "Nhiệm vụ"])
    assert refused(hostile.xlsx(rows), "a.xlsx")[0] == "too_many_rows"


def test_a_row_reaching_far_right_counts_every_column_it_spans() -> None:
    wide = [["STT"] + [None] * 16_000 + ["x"] for _ in range(4)]  # 4 × 16,002 > MAX_CELLS
    assert MAX_CELLS < 4 * 16_002
    assert refused(hostile.xlsx(wide), "a.xlsx")[0] == "too_many_cells"


def test_many_stored_empty_cells_are_refused_before_loading() -> None:
    # Formatted empty cells cost the full load as much as values: counted in the XML.
    def row(r: int) -> str:
        cells = "".join(f'<c r="{hostile._column(c)}{r}" s="0"/>' for c in range(1, 1001))
        return f'<row r="{r}">{cells}</row>'

    sheet = [hostile._SHEET_HEAD, *map(row, range(1, 52)), hostile._SHEET_TAIL.format(merges="")]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, sheet)
    reason, seconds = refused(data, "a.xlsx")
    assert reason == "too_many_cells" and seconds < 1


@pytest.mark.parametrize(
    "merges",
    [["A1:XFD1048576"], ["A1:P1000"] * 10, ["A:A"]],
    ids=["one-huge", "overlapping", "whole-column"],
)
def test_merged_ranges_are_refused_before_openpyxl_expands_them(merges: list[str]) -> None:
    # Loading a sheet whole, openpyxl makes an object for every cell a merge covers.
    rows = [["Kế hoạch"] + [None] * 14 + ["x"]]
    reason, seconds = refused(hostile.xlsx(rows, merges), "a.xlsx")
    assert reason == "too_many_cells" and seconds < 1


def test_a_merge_reaching_below_the_values_counts_its_rows() -> None:
    # The values span 1,500 rows; a merge anchored on the last one adds 900 more (a merge
    # on a value counts its rows): the table read would pass MAX_ROWS.
    rows = [["STT", "Nội dung"]] + [[str(i), f"Nhiệm vụ {i}"] for i in range(1, 1500)]
    data = hostile.xlsx(rows, [f"B1500:B{1500 + 900}"])
    assert refused(data, "a.xlsx")[0] == "too_many_rows"


def test_a_workbook_declaring_a_dtd_is_refused() -> None:
    sheet = ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', "<worksheet/>"]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, sheet)
    assert refused(data, "a.xlsx")[0] == "corrupt_xlsx"


def test_a_workbook_just_under_the_limits_reads() -> None:
    document = read_document(hostile.plan_xlsx(MAX_ROWS - 2, width=4), "ke-hoach.xlsx")
    assert rows_of(document) == MAX_ROWS  # the sheet's name, the header, the tasks
    table = document.blocks[1]
    assert table.rows[-1][0].text == f"{(MAX_ROWS - 3) // 10 + 1}.{(MAX_ROWS - 3) % 10 + 1}"


# --- Word ----------------------------------------------------------------------------


def test_a_word_body_over_the_xml_limit_is_refused_off_the_zip_directory() -> None:
    padded = [hostile._BODY_HEAD, " " * (MAX_XML_BYTES + 1), hostile._BODY_TAIL]
    data = hostile._replace_part(hostile._empty_docx(), hostile.BODY_PART, padded)
    reason, seconds = refused(data, "ke-hoach.docx")
    assert reason == "content_too_large" and seconds < 1


def test_a_long_word_table_is_refused_at_the_row_limit() -> None:
    reason, seconds = refused(hostile.plan_docx(20_000), "ke-hoach.docx")
    assert reason == "too_many_rows" and seconds < 3


def test_empty_word_paragraphs_count_as_rows() -> None:
    assert refused(hostile.docx([""] * (MAX_ROWS + 1)), "a.docx")[0] == "too_many_rows"


def test_a_long_word_paragraph_is_refused() -> None:
    data = hostile.docx(["Kế hoạch", "x" * (MAX_LINE_CHARS + 1)])
    assert refused(data, "a.docx")[0] == "line_too_long"


def test_word_text_over_the_character_limit_is_refused() -> None:
    paragraphs = ["x" * MAX_LINE_CHARS] * (MAX_TEXT_CHARS // MAX_LINE_CHARS + 1)
    assert refused(hostile.docx(paragraphs), "a.docx")[0] == "too_long"


def test_a_word_file_just_under_the_limits_reads() -> None:
    # A title paragraph, then the header and the tasks.
    document = read_document(hostile.plan_docx(MAX_ROWS - 2), "ke-hoach.docx")
    assert rows_of(document) == MAX_ROWS


# --- text ----------------------------------------------------------------------------


def test_a_19_mb_line_is_refused_before_it_is_decoded() -> None:
    reason, seconds = refused(hostile.one_line_text(19 * 2**20), "ke-hoach.txt")
    assert reason == "too_long" and seconds < 0.5  # 85 s before


def test_a_long_line_is_refused_before_any_regular_expression() -> None:
    data = ("Kế hoạch\n" + "**a " * (MAX_LINE_CHARS // 4 + 1)).encode()
    reason, seconds = refused(data, "ke-hoach.md")
    assert reason == "line_too_long" and seconds < 0.5


def test_text_over_the_character_limit_is_refused() -> None:
    line = "x" * (MAX_LINE_CHARS - 1)
    data = "\n".join([line] * (MAX_TEXT_CHARS // MAX_LINE_CHARS + 1)).encode()
    assert len(data) < 4 * MAX_TEXT_CHARS  # past the cheap byte check: counted as text
    assert refused(data, "ke-hoach.txt")[0] == "too_long"


def test_text_over_the_row_limit_is_refused() -> None:
    assert refused(hostile.plan_text(MAX_ROWS + 1), "ke-hoach.txt")[0] == "too_many_rows"


def test_text_just_under_the_limits_reads() -> None:
    document = read_document(hostile.plan_text(MAX_ROWS), "ke-hoach.txt")
    assert rows_of(document) == MAX_ROWS
    lines = MAX_TEXT_CHARS // MAX_LINE_CHARS - 1
    data = "\n\n".join(["Kế hoạch " + "a" * (MAX_LINE_CHARS - 10)] * lines).encode()
    assert rows_of(read_document(data, "ke-hoach.txt")) == lines


def test_markdown_emphasis_on_a_long_line_is_read_in_linear_time() -> None:
    # "**a **a …": the inner-emphasis expression took 0.27 s per 10,000 characters.
    line = ("**a " * (MAX_LINE_CHARS // 4))[: MAX_LINE_CHARS - 1]
    data = "\n\n".join([line] * 20).encode()
    start = time.perf_counter()
    read_document(data, "ke-hoach.md")
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    "words",
    ["xã ", "đạt 80% hồ sơ ", "**a ", "Quý I, II, III, "],
)
def test_long_cells_parse_in_time_linear_in_their_length(words: str) -> None:
    # The unit splitter searched the whole piece at every separator, and every percentage
    # was read against its whole clause: two rows of such cells took 3-9 s.
    from bot.plans.model import Cell, Document, Paragraph
    from bot.plans.parser import parse_plan

    big = (words * MAX_LINE_CHARS)[:MAX_LINE_CHARS]
    header = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian")
    rows = [tuple(Cell(t, bold=True) for t in header)]
    rows += [tuple(Cell(t) for t in (str(i), big, big, big, big)) for i in range(1, 3)]
    document = Document("a.docx", "docx", (Paragraph(big), Table(tuple(rows))))
    start = time.perf_counter()
    parse_plan(document, year=2026)
    assert time.perf_counter() - start < 2


# --- time ----------------------------------------------------------------------------


class SteppingClock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ke-hoach.txt", fx.sample_path(DECISION).read_bytes()),
        ("ke-hoach.docx", fx.sample_docx(DECISION)),
        ("ke-hoach.xlsx", fx.sample_xlsx(DECISION)),
    ],
    ids=["text", "docx", "xlsx"],
)
def test_every_reader_watches_the_clock(name: str, data: bytes) -> None:
    assert read_document(data, name, Budget(lambda: 0.0)).blocks  # a still clock: read
    reason, _ = refused(data, name, Budget(SteppingClock()))
    assert reason == "too_slow"
    assert Budget(SteppingClock(), seconds=MAX_READ_SECONDS)._deadline == 1 + MAX_READ_SECONDS


# --- what the office is told ---------------------------------------------------------


def test_every_limit_is_told_with_its_value_in_vietnamese() -> None:
    assert set(LIMITS) <= REASONS
    expected = {
        "too_large": "20 MB",
        "unpacked_too_large": "200 MB",
        "content_too_large": "16 MB",
        "too_many_rows": "2.000 dòng",
        "too_many_cells": "50.000 ô",
        "too_long": "500.000 ký tự",
        "line_too_long": "10.000 ký tự",
        "too_slow": "10 giây",
        "too_many_pages": "100 trang",
    }
    assert set(expected) == set(LIMITS)
    for reason, limit in expected.items():
        text = plan_error_reply(reason, "bang.xlsx", "vi").text
        assert limit in text and "Chưa nhập gì" in text, (reason, text)
    english = plan_error_reply("too_many_rows", "bang.xlsx", "en").text
    assert "more than 2.000 rows" in english  # numbers are written the Vietnamese way


def test_a_file_name_is_shown_and_stored_without_control_characters() -> None:
    assert clean_name("ke-hoach\x00.txt") == "ke-hoach.txt"
    assert clean_name(" a\tb\r\n.docx ") == "ab.docx"
    assert len(clean_name("x" * 1000)) == 300
    reply = plan_error_reply("corrupt_docx", "ke\x00hoach.docx", "vi").text
    assert "“kehoach.docx”" in reply


def test_the_zip_directory_is_enough_to_refuse() -> None:
    # The declared sizes decide: no member is inflated.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "")
        archive.writestr("word/document.xml", b"\x00" * (MAX_XML_BYTES + 1))
    assert refused(buffer.getvalue(), "a.docx")[0] == "content_too_large"
