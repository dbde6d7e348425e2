"""Bounded work: every plan reader refuses a file over a limit, before the expensive work,
with the reason the views word, and still reads a file just under the limits. The files
are built here (tests/hostile_files.py), never stored.

No test here times anything: "before the expensive work" is shown by the expensive step
never running (no zip member inflated, no full workbook load, no decoding, no regular
expression) or by where the count stopped. The times are in bench/big_files.py and
bench/long_lines.py (docs/benchmarks.md)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from bot.plans import parse_targets, parse_units
from bot.plans import readers as readers_module
from bot.plans import text as text_module
from bot.plans import xlsx as xlsx_module
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
from bot.plans.model import Cell, Document, Paragraph, Table
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.views.plans import plan_error_reply
from tests import hostile_files as hostile
from tests import plans_fixtures as fx

DECISION = "quyet-dinh-huyen-son-tay-2025.txt"


def refused(data: bytes, name: str, budget: Budget | None = None) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_document(data, name, budget)
    return caught.value.reason


def never(what: str):
    def called(*args, **kwargs):
        pytest.fail(f"{what} ran")

    return called


def watch_members(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The zip members read (inflated) from now on, by name."""
    names: list[str] = []
    real = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        names.append(getattr(name, "filename", name))
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return names


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The workbook loads openpyxl was asked for: "streamed" (read-only) or "whole"."""
    kinds: list[str] = []
    real = xlsx_module.load_workbook

    def spy(*args, **kwargs):
        kinds.append("streamed" if kwargs.get("read_only") else "whole")
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx_module, "load_workbook", spy)
    return kinds


def rows_of(document) -> int:
    return sum(len(b.rows) if isinstance(b, Table) else 1 for b in document.blocks)


# --- workbooks -----------------------------------------------------------------------


def test_a_sheet_part_over_the_xml_limit_is_refused_off_the_zip_directory(
    monkeypatch: pytest.MonkeyPatch, loads: list[str]
) -> None:
    # A million short rows make an 80 MB sheet: refused before anything is parsed.
    head, tail = hostile._SHEET_HEAD, hostile._SHEET_TAIL.format(merges="")
    padded = [head, " " * (MAX_XML_BYTES + 1), tail]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, padded)
    inflated = watch_members(monkeypatch)
    assert refused(data, "ke-hoach.xlsx") == "content_too_large"
    assert inflated == [] and loads == []  # off the directory: no member read


def test_a_hundred_thousand_row_sheet_is_refused_at_the_row_limit(loads: list[str]) -> None:
    data = hostile.plan_xlsx(100_000)  # 1.3 MB: 39 s and no answer before
    assert refused(data, "ke-hoach.xlsx") == "too_many_rows"
    assert loads == []  # counted in the sheet's XML: openpyxl never opened it


def test_rows_far_apart_are_refused_by_the_rows_they_span() -> None:
    # Two cells, a table of MAX_ROWS + 10 rows: the streaming survey sees the span.
    rows: list[list[object]] = [["STT", "Nội dung"]] + [[] for _ in range(MAX_ROWS + 8)]
    rows.append(["1", "Nhiệm vụ"])
    assert refused(hostile.xlsx(rows), "a.xlsx") == "too_many_rows"


def test_a_row_reaching_far_right_counts_every_column_it_spans() -> None:
    wide = [["STT"] + [None] * 16_000 + ["x"] for _ in range(4)]  # 4 × 16,002 > MAX_CELLS
    assert MAX_CELLS < 4 * 16_002
    assert refused(hostile.xlsx(wide), "a.xlsx") == "too_many_cells"


def test_many_stored_empty_cells_are_refused_before_loading(loads: list[str]) -> None:
    # Formatted empty cells cost the full load as much as values: counted in the XML.
    def row(r: int) -> str:
        cells = "".join(f'<c r="{hostile._column(c)}{r}" s="0"/>' for c in range(1, 1001))
        return f'<row r="{r}">{cells}</row>'

    sheet = [hostile._SHEET_HEAD, *map(row, range(1, 52)), hostile._SHEET_TAIL.format(merges="")]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, sheet)
    assert refused(data, "a.xlsx") == "too_many_cells"
    assert "whole" not in loads


@pytest.mark.parametrize(
    "merges",
    [["A1:XFD1048576"], ["A1:P1000"] * 10, ["A:A"]],
    ids=["one-huge", "overlapping", "whole-column"],
)
def test_merged_ranges_are_refused_before_openpyxl_expands_them(
    merges: list[str], loads: list[str]
) -> None:
    # Loading a sheet whole, openpyxl makes an object for every cell a merge covers.
    rows = [["Kế hoạch"] + [None] * 14 + ["x"]]
    assert refused(hostile.xlsx(rows, merges), "a.xlsx") == "too_many_cells"
    assert "whole" not in loads


def test_a_merge_reaching_below_the_values_counts_its_rows() -> None:
    # The values span 1,500 rows; a merge anchored on the last one adds 900 more (a merge
    # on a value counts its rows): the table read would pass MAX_ROWS.
    rows = [["STT", "Nội dung"]] + [[str(i), f"Nhiệm vụ {i}"] for i in range(1, 1500)]
    data = hostile.xlsx(rows, [f"B1500:B{1500 + 900}"])
    assert refused(data, "a.xlsx") == "too_many_rows"


def test_a_workbook_declaring_a_dtd_is_refused() -> None:
    sheet = ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', "<worksheet/>"]
    data = hostile._replace_part(hostile._empty_workbook(), hostile.SHEET_PART, sheet)
    assert refused(data, "a.xlsx") == "corrupt_xlsx"


def test_a_workbook_just_under_the_limits_reads() -> None:
    document = read_document(hostile.plan_xlsx(MAX_ROWS - 2, width=4), "ke-hoach.xlsx")
    assert rows_of(document) == MAX_ROWS  # the sheet's name, the header, the tasks
    table = document.blocks[1]
    assert table.rows[-1][0].text == f"{(MAX_ROWS - 3) // 10 + 1}.{(MAX_ROWS - 3) % 10 + 1}"


# --- Word ----------------------------------------------------------------------------


def test_a_word_body_over_the_xml_limit_is_refused_off_the_zip_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    padded = [hostile._BODY_HEAD, " " * (MAX_XML_BYTES + 1), hostile._BODY_TAIL]
    data = hostile._replace_part(hostile._empty_docx(), hostile.BODY_PART, padded)
    inflated = watch_members(monkeypatch)
    assert refused(data, "ke-hoach.docx") == "content_too_large"
    assert inflated == []  # no member read, python-docx never opened the package


def test_a_long_word_table_is_refused_at_the_row_limit() -> None:
    # Counted as the body is walked: the walk stops at the first row over the limit
    # instead of reading the 20,000.
    budget = Budget()
    assert refused(hostile.plan_docx(20_000), "ke-hoach.docx", budget) == "too_many_rows"
    assert budget.rows == MAX_ROWS + 1


def test_empty_word_paragraphs_count_as_rows() -> None:
    assert refused(hostile.docx([""] * (MAX_ROWS + 1)), "a.docx") == "too_many_rows"


def test_a_long_word_paragraph_is_refused() -> None:
    data = hostile.docx(["Kế hoạch", "x" * (MAX_LINE_CHARS + 1)])
    assert refused(data, "a.docx") == "line_too_long"


def test_word_text_over_the_character_limit_is_refused() -> None:
    paragraphs = ["x" * MAX_LINE_CHARS] * (MAX_TEXT_CHARS // MAX_LINE_CHARS + 1)
    assert refused(hostile.docx(paragraphs), "a.docx") == "too_long"


def test_a_word_file_just_under_the_limits_reads() -> None:
    # A title paragraph, then the header and the tasks.
    document = read_document(hostile.plan_docx(MAX_ROWS - 2), "ke-hoach.docx")
    assert rows_of(document) == MAX_ROWS


# --- text ----------------------------------------------------------------------------


def test_a_19_mb_line_is_refused_before_it_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    # 85 s before: now refused by its byte count alone.
    monkeypatch.setattr(readers_module, "decode_text", never("decoding"))
    assert refused(hostile.one_line_text(19 * 2**20), "ke-hoach.txt") == "too_long"


def test_a_long_line_is_refused_before_any_regular_expression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The text reader's expressions run in its _Reader (and the OCR check before it).
    monkeypatch.setattr(text_module, "_Reader", never("the text reader"))
    monkeypatch.setattr(text_module, "looks_damaged", never("the OCR check"))
    data = ("Kế hoạch\n" + "**a " * (MAX_LINE_CHARS // 4 + 1)).encode()
    assert refused(data, "ke-hoach.md") == "line_too_long"


def test_text_over_the_character_limit_is_refused() -> None:
    line = "x" * (MAX_LINE_CHARS - 1)
    data = "\n".join([line] * (MAX_TEXT_CHARS // MAX_LINE_CHARS + 1)).encode()
    assert len(data) < 4 * MAX_TEXT_CHARS  # past the cheap byte check: counted as text
    assert refused(data, "ke-hoach.txt") == "too_long"


def test_text_over_the_row_limit_is_refused() -> None:
    assert refused(hostile.plan_text(MAX_ROWS + 1), "ke-hoach.txt") == "too_many_rows"


def test_text_just_under_the_limits_reads() -> None:
    document = read_document(hostile.plan_text(MAX_ROWS), "ke-hoach.txt")
    assert rows_of(document) == MAX_ROWS
    lines = MAX_TEXT_CHARS // MAX_LINE_CHARS - 1
    data = "\n\n".join(["Kế hoạch " + "a" * (MAX_LINE_CHARS - 10)] * lines).encode()
    assert rows_of(read_document(data, "ke-hoach.txt")) == lines


def test_markdown_emphasis_spans_at_most_500_characters() -> None:
    # "**a **a …": an unbounded inner-emphasis expression took time quadratic in the line
    # (0.27 s per 10,000 characters). Its span is bounded, so the work at each position is
    # too: emphasis up to 500 characters is removed, a longer one is left as written.
    # The time is measured in bench/long_lines.py.
    assert read_document(b"x **" + b"a" * 499 + b"** y", "a.md").blocks[0].text == (
        "x " + "a" * 499 + " y"
    )
    longer = "x **" + "a" * 600 + "** y"
    assert read_document(longer.encode(), "a.md").blocks[0].text == longer
    line = ("**a " * (MAX_LINE_CHARS // 4))[: MAX_LINE_CHARS - 1]
    document = read_document("\n\n".join([line] * 20).encode(), "ke-hoach.md")
    assert [b.text for b in document.blocks] == [line] * 20


class Scanned:
    """A compiled expression that counts the characters its searches are given."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.chars = 0

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(string) if endpos is None else min(endpos, len(string))
        self.chars += max(0, end - pos)
        return self.pattern.search(string, pos, end)


LONG_CELLS = ["xã ", "đạt 80% hồ sơ ", "**a ", "Quý I, II, III, ", "Phòng Nội vụ, "]


@pytest.mark.parametrize("words", LONG_CELLS)
def test_the_unit_splitter_reads_a_bounded_window_at_each_separator(
    words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It searched the whole piece so far for a linking word at every separator: the
    # characters searched grew with the square of the cell (3-9 s for two rows of such
    # cells). Counted, not timed: twice the cell, twice the characters searched.
    def searched(length: int) -> int:
        spy = Scanned(parse_units._LINKING_END)
        monkeypatch.setattr(parse_units, "_LINKING_END", spy)
        parse_units.split_expressions((words * length)[:length])
        return spy.chars

    half, full = searched(MAX_LINE_CHARS // 2), searched(MAX_LINE_CHARS)
    assert 0 < full <= 2.1 * half


def test_a_cell_full_of_percentages_reads_only_the_first_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each percentage is read against its clause: reading all 700 of a long cell was
    # quadratic. Only the first MAX_STATED are read as targets.
    read: list[str] = []
    real = parse_targets.parse_number

    def spy(text: str, *args, **kwargs):
        read.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(parse_targets, "parse_number", spy)
    cell = ("đạt 80% hồ sơ " * MAX_LINE_CHARS)[:MAX_LINE_CHARS]
    assert cell.count("%") > 30 * parse_targets.MAX_STATED
    assert len(parse_targets.stated_targets(cell)) <= parse_targets.MAX_STATED
    assert len(read) == parse_targets.MAX_STATED


@pytest.mark.parametrize("words", LONG_CELLS)
def test_long_cells_are_read_whole(words: str) -> None:
    # Rows whose every cell is 10,000 characters of the same words still parse (the time
    # it takes is in bench/long_lines.py): two tasks, their text kept.
    big = (words * MAX_LINE_CHARS)[:MAX_LINE_CHARS]
    header = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian")
    rows = [tuple(Cell(t, bold=True) for t in header)]
    rows += [tuple(Cell(t) for t in (str(i), big, big, big, big)) for i in range(1, 3)]
    document = Document("a.docx", "docx", (Paragraph(big), Table(tuple(rows))))
    draft = parse_plan(document, year=2026)
    assert [t.code for t in draft.tasks] == ["1", "2"]
    assert all(t.content == big.strip() and t.lead for t in draft.tasks)


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
    assert refused(data, name, Budget(SteppingClock())) == "too_slow"
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
    # what to send instead of a file too large
    assert "200 dpi" in plan_error_reply("too_large", "scan.pdf", "vi").text
    english = plan_error_reply("too_many_rows", "bang.xlsx", "en").text
    assert "more than 2.000 rows" in english  # numbers are written the Vietnamese way


def test_a_file_name_is_shown_and_stored_without_control_characters() -> None:
    assert clean_name("ke-hoach\x00.txt") == "ke-hoach.txt"
    assert clean_name(" a\tb\r\n.docx ") == "ab.docx"
    assert len(clean_name("x" * 1000)) == 300
    reply = plan_error_reply("corrupt_docx", "ke\x00hoach.docx", "vi").text
    assert "“kehoach.docx”" in reply


def test_the_zip_directory_is_enough_to_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    # The declared sizes decide: no member is inflated.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "")
        archive.writestr("word/document.xml", b"\x00" * (MAX_XML_BYTES + 1))
    inflated = watch_members(monkeypatch)
    assert refused(buffer.getvalue(), "a.docx") == "content_too_large"
    assert inflated == []
