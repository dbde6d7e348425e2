"""Word and Excel twins of the sample plans in ``tests/data/plans``.

The samples are text exports of real plans: two with their tables as tab-separated
lines (``<b>…</b>`` marks bold cells, the prose is Markdown), and one decision
(``quyet-dinh-huyen-son-tay-2025.txt``) with its tables flattened to one cell per
line. This module reads their rows back with a small extraction of its own (it does
not use the plan text reader) and builds the files an office would have sent:

* the prose before and between the tables as paragraphs, Markdown headings as Word
  headings, ``**bold**`` as bold runs;
* each table as a real table with the same header; the header row is marked as
  repeated on each page, and is also present once more mid-table, as after a page
  break in a converted file (the tab-separated samples already repeat it; one copy is
  added to tables that do not);
* a section row ("I | Công tác …" followed by empty cells) as a bold cell merged
  across the remaining columns;
* the lead unit ("Cơ quan chủ trì", "Cơ quan, đơn vị thực hiện", …) merged down over
  consecutive task rows that name the same unit.

The Excel twin puts each table on its own sheet, under the document's first lines
(issuer, number, date) and the appendix's own heading lines, with the same merges.

``sample_tables(name)`` exposes the layout (rows, header rows, merges) the twins were
built from, so tests can check that a reader gives it back.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES_DIR = Path(__file__).parent / "data" / "plans"

SAMPLE_NAMES = (
    "ke-hoach-phuong-trung-luong-2024",
    "ke-hoach-thi-xa-son-tay-2025",
    "quyet-dinh-huyen-son-tay-2025",
)
FLATTENED = "quyet-dinh-huyen-son-tay-2025"


@dataclass(frozen=True)
class SampleCell:
    paragraphs: tuple[str, ...] = ()  # a paragraph may hold "\n" (a line break)
    bold: bool = False

    @property
    def raw(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """The text a reader gives back (NFC: parts of the samples are decomposed)."""
        return unicodedata.normalize("NFC", self.raw)


@dataclass
class SampleParagraph:
    runs: list[tuple[str, bool]]  # (text, bold); "\n" inside a run is a line break
    heading: int = 0  # 0: body; -1: the Title style; N: Heading N

    @property
    def raw(self) -> str:
        return "".join(text for text, _ in self.runs).strip()

    @property
    def text(self) -> str:
        return unicodedata.normalize("NFC", self.raw)

    @property
    def bold(self) -> bool:
        words = [bold for text, bold in self.runs if re.search(r"\w", text)]
        return bool(words) and all(words)


@dataclass
class SampleTable:
    rows: list[list[SampleCell]]
    header_rows: set[int] = field(default_factory=set)  # row indexes holding the header
    hspans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> columns
    vspans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> rows
    added_header: int | None = None  # the header copy this module added, if any

    @property
    def width(self) -> int:
        return len(self.rows[0])


Block = SampleParagraph | SampleTable


# --- finding the samples -----------------------------------------------------------


def _stem(name: str) -> str:
    return name.removesuffix(".txt")


def sample_path(name: str) -> Path:
    return SAMPLES_DIR / f"{_stem(name)}.txt"


def sample_available(name: str) -> bool:
    return sample_path(name).is_file()


def available_samples() -> list[str]:
    return [name for name in SAMPLE_NAMES if sample_available(name)]


@functools.cache
def _sample_text(name: str) -> str:
    return sample_path(name).read_text(encoding="utf-8")


# --- extraction: Markdown prose and tab-separated rows ------------------------------

_INLINE = re.compile(r"(\*\*\*|\*\*|\*)")
_HEADING = re.compile(r"^(#{1,6})\s+")
_DASHES = re.compile(r"^-*$")


def _inline_runs(text: str) -> list[tuple[str, bool]]:
    """``**bold**`` and ``*italic*`` markers into runs (italic is dropped)."""
    runs: list[tuple[str, bool]] = []
    bold = False
    for piece in _INLINE.split(text):
        if piece in ("***", "**"):
            bold = not bold
        elif piece == "*":
            continue
        elif piece:
            runs.append((piece, bold))
    return runs


def _markdown_block(lines: list[str]) -> list[SampleParagraph]:
    """One Markdown block (lines between blank lines): a paragraph per line."""
    heading = 0
    first = lines[0]
    match = _HEADING.match(first)
    if match:
        heading = len(match.group(1))
        lines = [first[match.end() :], *lines[1:]]
    runs = _inline_runs("\n".join(line.rstrip() for line in lines))
    paragraphs: list[SampleParagraph] = []
    current: list[tuple[str, bool]] = []
    for text, bold in runs:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append(SampleParagraph(current, heading))
                current = []
            if part:
                current.append((part, bold))
    paragraphs.append(SampleParagraph(current, heading))
    return [p for p in paragraphs if p.text]


def _tsv_cell(text: str) -> SampleCell:
    bold = "<b>" in text
    clean = text.replace("<b>", "").replace("</b>", "").strip()
    return SampleCell((clean,) if clean else (), bold)


def _extract_tsv(text: str) -> list[Block]:
    blocks: list[Block] = []
    prose: list[str] = []
    rows: list[list[SampleCell]] | None = None

    def flush_prose() -> None:
        if prose:
            blocks.extend(_markdown_block(prose))
            prose.clear()

    def flush_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(SampleTable(rows=rows))
        rows = None

    for line in text.split("\n"):
        if "\t" in line:
            flush_prose()
            cells = [_tsv_cell(cell) for cell in line.split("\t")]
            if all(_DASHES.match(cell.text) for cell in cells):
                continue  # a Markdown rule left by the export, not a row
            if rows is None:
                rows = []
            rows.append(cells)
        elif not line.strip():
            flush_prose()
        else:
            flush_table()
            prose.append(line)
    flush_prose()
    flush_table()
    return blocks


# --- extraction: the flattened decision ----------------------------------------------

_SECTION_CODE = re.compile(r"^(?:[A-DĐ]|[IVX]+)$")


def _caps(text: str) -> bool:
    """A line in capitals ("ỦY BAN NHÂN DÂN"), which the original set in bold."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and text == text.upper() and not text.startswith("-")


def _decision_paragraph(line: str) -> SampleParagraph:
    text = line.strip()
    heading = {"QUYẾT ĐỊNH": -1, "KẾ HOẠCH": 1, "Phụ lục": 2}.get(text, 0)
    bold = heading != 0 or _caps(text)
    return SampleParagraph([(text, bold)], heading)


def _flattened_table(lines: list[str], start: int) -> tuple[SampleTable, int]:
    """Rebuild a table whose cells were written one per line, from ``lines[start]``.

    A line starting with a tab starts a cell; lines without one continue it (after a
    blank line: as a new paragraph). The header ends at the first blank line. A row
    is complete with as many cells as the header; a section row ("A", "II" and its
    title) has two. Three blank lines followed by text end the table.
    """
    rows: list[list[list[str]]] = []  # row -> cells -> paragraphs
    row: list[list[str]] = []
    width = 0
    blanks = 0
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() and not line.startswith("\t"):
            blanks += 1
            if not width and row:
                width = len(row)  # the header row ends at its first blank line
                rows.append(row)
                row = []
            i += 1
            continue
        if not line.startswith("\t") and blanks >= 3:
            break  # past the table
        if line.startswith("\t"):
            complete = len(row) >= width > 0 or (
                blanks
                and len(row) == 2
                and _SECTION_CODE.match(row[0][0].strip() if row[0] else "")
            )
            if row and complete:
                rows.append(row)
                row = []
            row.append([line[1:]])
        elif row:
            if blanks:
                row[-1].append(line)
            else:
                row[-1][-1] += "\n" + line
        blanks = 0
        i += 1
    if row:
        rows.append(row)
    out: list[list[SampleCell]] = []
    for cells in rows:
        section = len(cells) == 2 and bool(_SECTION_CODE.match(cells[0][0].strip()))
        header = not out
        sample_cells = []
        for paragraphs in cells:
            clean = []
            for paragraph in paragraphs:
                text = "\n".join(part.strip() for part in paragraph.split("\n") if part.strip())
                if text:
                    clean.append(text)
            sample_cells.append(SampleCell(tuple(clean), bold=section or header))
        sample_cells += [SampleCell()] * (width - len(sample_cells))
        out.append(sample_cells[:width] if width else sample_cells)
    return SampleTable(rows=out), i


def _extract_flattened(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().casefold() == "stt" and line.startswith("\t"):
            table, i = _flattened_table(lines, i)
            blocks.append(table)
            continue
        if line.strip():
            blocks.append(_decision_paragraph(line))
        i += 1
    return blocks


# --- the office's layout ----------------------------------------------------------------


def _texts(row: list[SampleCell]) -> tuple[str, ...]:
    return tuple(cell.text for cell in row)


def _is_section(row: list[SampleCell]) -> bool:
    filled = [cell for cell in row if cell.text]
    return bool(filled) and not row[-1].text and all(cell.bold for cell in filled)


def _lead_column(header: list[SampleCell]) -> int | None:
    for i, cell in enumerate(header):
        text = cell.text.casefold()
        if "chủ trì" in text:
            return i
    for i, cell in enumerate(header):
        text = cell.text.casefold()
        if "thực hiện" in text and ("cơ quan" in text or "đơn vị" in text):
            return i
    return None


def _lay_out(table: SampleTable) -> SampleTable:
    rows = [list(row) for row in table.rows]
    width = max(len(row) for row in rows)
    rows = [row + [SampleCell()] * (width - len(row)) for row in rows]
    header = [SampleCell(cell.paragraphs, bold=True) for cell in rows[0]]
    rows[0] = header
    heads = {0} | {i for i, row in enumerate(rows) if i and _texts(row) == _texts(header)}
    added = None
    if len(heads) == 1 and len(rows) > 4:
        # Physically repeat the header once, before the section row nearest the middle.
        middle = len(rows) // 2
        sections = [i for i in range(2, len(rows)) if _is_section(rows[i])]
        added = min(sections, key=lambda i: abs(i - middle)) if sections else middle
        rows.insert(added, list(header))
        heads.add(added)
    for i in heads:
        rows[i] = list(header)
    laid = SampleTable(rows=rows, header_rows=heads, added_header=added)
    for r, row in enumerate(rows):
        if r in heads or not _is_section(row):
            continue
        last = max(c for c, cell in enumerate(row) if cell.text)
        if last < width - 1:
            laid.hspans[(r, last)] = width - last
    lead = _lead_column(header)
    if lead is not None:
        r = 0
        while r < len(rows):
            text = rows[r][lead].text
            end = r + 1
            if (
                r not in heads
                and (r, lead) not in laid.hspans
                and text
                and not _covered(laid, r, lead)
            ):
                while (
                    end < len(rows)
                    and end not in heads
                    and rows[end][lead].text == text
                    and not _covered(laid, end, lead)
                    and (end, lead) not in laid.hspans
                ):
                    end += 1
                if end - r > 1:
                    laid.vspans[(r, lead)] = end - r
                    for below in range(r + 1, end):
                        rows[below][lead] = SampleCell()  # a merged cell holds its text once
            r = end
    return laid


def _covered(table: SampleTable, row: int, col: int) -> bool:
    """Whether (row, col) lies under another cell's horizontal span."""
    return any(r == row and c < col < c + span for (r, c), span in table.hspans.items())


@functools.cache
def sample_blocks(name: str) -> tuple[Block, ...]:
    """The sample's paragraphs and laid-out tables, in reading order."""
    text = _sample_text(_stem(name))
    raw = _extract_flattened(text) if _stem(name) == FLATTENED else _extract_tsv(text)
    return tuple(_lay_out(block) if isinstance(block, SampleTable) else block for block in raw)


def sample_tables(name: str) -> list[SampleTable]:
    return [block for block in sample_blocks(name) if isinstance(block, SampleTable)]


def sample_paragraphs(name: str) -> list[SampleParagraph]:
    return [block for block in sample_blocks(name) if isinstance(block, SampleParagraph)]


def expected_cell(table: SampleTable, row: int, col: int) -> tuple[str, bool]:
    """(text, spanned) a reader should give for a twin's cell."""
    if (row, col) in table.hspans or (row, col) in table.vspans:
        return table.rows[row][col].text, False
    if _covered(table, row, col):
        return "", True
    for (r, c), span in table.vspans.items():
        if c == col and r < row < r + span:
            return table.rows[r][c].text, True
    return table.rows[row][col].text, False


# --- Word ---------------------------------------------------------------------------------


def _fill_cell(cell, sample: SampleCell) -> None:  # type: ignore[no-untyped-def]
    paragraphs = sample.paragraphs or ("",)
    for i, text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if text:
            run = paragraph.add_run(text)  # "\n" becomes a line break
            run.bold = sample.bold or None


def _mark_header(row) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


@functools.cache
def sample_docx(name: str) -> bytes:
    """The sample as the .docx an office would send."""
    import docx

    document = docx.Document()
    for block in sample_blocks(name):
        if isinstance(block, SampleParagraph):
            if block.heading:
                paragraph = document.add_heading("", level=max(block.heading, 0))
            else:
                paragraph = document.add_paragraph()
            for text, bold in block.runs:
                run = paragraph.add_run(text)
                if bold:
                    run.bold = True
            continue
        word_table = document.add_table(rows=len(block.rows), cols=block.width)
        word_table.style = "Table Grid"
        for (r, c), span in block.hspans.items():
            word_table.cell(r, c).merge(word_table.cell(r, c + span - 1))
        for (r, c), span in block.vspans.items():
            word_table.cell(r, c).merge(word_table.cell(r + span - 1, c))
        for r, row in enumerate(block.rows):
            for c, sample in enumerate(row):
                if _covered(block, r, c) or any(
                    cc == c and rr < r < rr + span for (rr, cc), span in block.vspans.items()
                ):
                    continue
                _fill_cell(word_table.cell(r, c), sample)
        _mark_header(word_table.rows[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel --------------------------------------------------------------------------------

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def _preamble(blocks: tuple[Block, ...], index: int) -> list[SampleParagraph]:
    """The appendix heading lines just before the table at ``blocks[index]``."""
    lines: list[SampleParagraph] = []
    i = index - 1
    while i >= 0 and isinstance(blocks[i], SampleParagraph) and len(lines) < 3:
        paragraph = blocks[i]
        assert isinstance(paragraph, SampleParagraph)
        if len(paragraph.text) > 200:
            break
        lines.insert(0, paragraph)
        i -= 1
    return lines


def _document_head(blocks: tuple[Block, ...]) -> list[SampleParagraph]:
    """The document's first lines: issuer, number, place and date, title."""
    head: list[SampleParagraph] = []
    for block in blocks:
        if not isinstance(block, SampleParagraph) or len(block.text) > 150 or len(head) == 6:
            break
        head.append(block)
    return head


def _excel_value(text: str):  # type: ignore[no-untyped-def]
    if re.fullmatch(r"[1-9]\d{0,5}", text):
        return int(text)
    return text


@functools.cache
def sample_xlsx(name: str) -> bytes:
    """The sample as the .xlsx an office would send: one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    blocks = sample_blocks(name)
    workbook = Workbook()
    workbook.remove(workbook.active)
    first_sheet = True
    number = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, SampleTable):
            continue
        ws = workbook.create_sheet(f"Phụ lục {_ROMAN[number]}")
        number += 1
        width = block.width
        lines = _preamble(blocks, index)
        if first_sheet:
            head = _document_head(blocks)
            lines = head + [SampleParagraph([])] + [p for p in lines if p not in head]
            first_sheet = False
        row_no = 1
        for paragraph in lines:
            if paragraph.text:
                cell = ws.cell(row=row_no, column=1, value=paragraph.raw)
                cell.font = Font(bold=paragraph.bold or paragraph.heading != 0)
                cell.alignment = Alignment(horizontal="center", wrap_text=True)
                ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=width)
            row_no += 1
        row_no += 1  # a blank row before the table
        top = row_no
        for r, row in enumerate(block.rows):
            for c, sample in enumerate(row):
                if not sample.text:
                    continue
                cell = ws.cell(row=top + r, column=c + 1, value=_excel_value(sample.raw))
                cell.font = Font(bold=sample.bold)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for (r, c), span in block.hspans.items():
            ws.merge_cells(
                start_row=top + r, start_column=c + 1, end_row=top + r, end_column=c + span
            )
        for (r, c), span in block.vspans.items():
            ws.merge_cells(
                start_row=top + r, start_column=c + 1, end_row=top + r + span - 1, end_column=c + 1
            )
        ws.print_title_rows = f"{top}:{top}"
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
        for c in range(width):
            ws.column_dimensions[get_column_letter(c + 1)].width = 12 if c == 0 else 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_table_top(name: str, table_index: int) -> int:
    """How many rows precede the table on its sheet of the Excel twin (title lines)."""
    blocks = sample_blocks(name)
    indexes = [i for i, block in enumerate(blocks) if isinstance(block, SampleTable)]
    lines = _preamble(blocks, indexes[table_index])
    if table_index == 0:
        head = _document_head(blocks)
        lines = head + [SampleParagraph([])] + [p for p in lines if p not in head]
    return len(lines) + 1


# --- a commune's plan for a given year, in the three formats -----------------------------
#
# Xã Sơn Dương's plan for ``year``, signed in December of the year before (as plans for the
# next year often are), with ten tasks whose deadlines are written in ``year``. Each
# format states the year differently, so that only reading the whole document finds it:
#
# * .xlsx: only in the merged title cell spanning the sheet's top row ("KẾ HOẠCH … NĂM
#   2027"); the row below cites the plan "ngày 15/12/2026";
# * .docx: a letterhead table with the signing date ("ngày 15 tháng 12 năm 2026"), then
#   "KẾ HOẠCH" and the subtitle naming the year, then the appendix table;
# * .txt: a title without a year and the signing date: only the deadlines give the year.
#
# ``drop`` leaves tasks out (a corrected version that withdraws them).

YEAR_PLAN_HEADER = (
    "STT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Dự kiến sản phẩm",
)
_YEAR_PLAN_TASKS = (
    (
        "1",
        "Xây dựng, ban hành kế hoạch kiểm soát TTHC",
        "Văn phòng HĐND và UBND",
        "",
        "Tháng 01/{y}",
        "Kế hoạch",
    ),
    (
        "2",
        "Rà soát, công bố danh mục TTHC",
        "Văn phòng HĐND và UBND",
        "UBND các xã, phường",
        "Quý I/{y}",
        "Danh mục TTHC",
    ),
    (
        "3",
        "Niêm yết công khai TTHC tại Bộ phận Một cửa",
        "UBND các xã, phường",
        "",
        "Thường xuyên",
        "TTHC được niêm yết",
    ),
    (
        "4",
        "Kiện toàn cán bộ đầu mối kiểm soát TTHC",
        "UBND các xã, phường",
        "Văn phòng HĐND và UBND",
        "Tháng 3/{y}",
        "Quyết định kiện toàn",
    ),
    (
        "5",
        "Số hóa hồ sơ, kết quả giải quyết TTHC",
        "Trung tâm Phục vụ hành chính công",
        "UBND các xã, phường",
        "trước ngày 30/6/{y}",
        "Hồ sơ được số hóa",
    ),
    (
        "6",
        "Tập huấn nghiệp vụ kiểm soát TTHC",
        "Văn phòng HĐND và UBND",
        "",
        "Quý III/{y}",
        "Lớp tập huấn",
    ),
    (
        "7",
        "Báo cáo tình hình kiểm soát TTHC",
        "UBND các xã, phường",
        "",
        "Định kỳ hằng quý",
        "Báo cáo quý",
    ),
    (
        "8",
        "Tự kiểm tra việc giải quyết TTHC",
        "Xã Sơn Dương",
        "",
        "Quý IV/{y}",
        "Báo cáo tự kiểm tra",
    ),
    (
        "9",
        "Rà soát quy định, TTHC nội bộ",
        "Xã Hồng Thái",
        "Văn phòng HĐND và UBND",
        "trước ngày 15/11/{y}",
        "Báo cáo rà soát",
    ),
    (
        "10",
        "Tiếp nhận, xử lý phản ánh, kiến nghị",
        "Văn phòng HĐND và UBND",
        "",
        "Khi có yêu cầu",
        "Phản ánh được xử lý",
    ),
)
YEAR_PLAN_TASKS = len(_YEAR_PLAN_TASKS)
# "TTHC", as offices often abbreviate it (a title without "thủ tục" was not found before).
YEAR_PLAN_TITLE = "KẾ HOẠCH KIỂM SOÁT TTHC VÀ THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG NĂM {y}"


def year_plan_rows(year: int, drop: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The plan's task rows, deadlines in ``year``, without the codes in ``drop``."""
    return [
        tuple(cell.format(y=year) for cell in row) for row in _YEAR_PLAN_TASKS if row[0] not in drop
    ]


def year_plan_xlsx(year: int, drop: tuple[str, ...] = ()) -> bytes:
    """The plan as a sheet: its year only in the merged title cell of the top row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Phụ lục"
    width = len(YEAR_PLAN_HEADER)
    top = [
        (YEAR_PLAN_TITLE.format(y=year), True),
        (f"(Kèm theo Kế hoạch số 215/KH-UBND ngày 15/12/{year - 1} của UBND xã Sơn Dương)", False),
    ]
    for row, (text, bold) in enumerate(top, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if bold else 11)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    header = len(top) + 2  # a blank row before the table
    for col, title in enumerate(YEAR_PLAN_HEADER, start=1):
        ws.cell(row=header, column=col, value=title).font = Font(bold=True)
    for r, values in enumerate(year_plan_rows(year, drop), start=header + 1):
        for col, value in enumerate(values, start=1):
            ws.cell(row=r, column=col, value=int(value) if value.isdigit() else value or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def year_plan_docx(year: int, drop: tuple[str, ...] = ()) -> bytes:
    """The plan as a Word file: letterhead table, title paragraphs, the appendix table."""
    import docx

    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ SƠN DƯƠNG"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 215/KH-UBND"
    head.cell(1, 1).text = f"Sơn Dương, ngày 15 tháng 12 năm {year - 1}"
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    subtitle = (
        "Kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông "
        f"năm {year} trên địa bàn xã"
    )
    document.add_paragraph().add_run(subtitle).bold = True
    document.add_paragraph(
        "Thực hiện Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát "
        "thủ tục hành chính, UBND xã ban hành Kế hoạch như sau:"
    )
    document.add_paragraph("PHỤ LỤC").runs[0].bold = True
    rows = year_plan_rows(year, drop)
    table = document.add_table(rows=len(rows) + 1, cols=len(YEAR_PLAN_HEADER))
    table.style = "Table Grid"
    for col, title in enumerate(YEAR_PLAN_HEADER):
        table.cell(0, col).paragraphs[0].add_run(title).bold = True
    _mark_header(table.rows[0])
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            table.cell(r, col).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def year_plan_txt(year: int, drop: tuple[str, ...] = ()) -> bytes:
    """The plan as text: no year in its title, signed the year before; only the
    deadlines say which year it is for."""
    lines = [
        "ỦY BAN NHÂN DÂN",
        "XÃ SƠN DƯƠNG",
        "",
        "Số: 215/KH-UBND",
        "",
        f"Sơn Dương, ngày 15 tháng 12 năm {year - 1}",
        "",
        "KẾ HOẠCH",
        "Kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông",
        "",
        "\t".join(YEAR_PLAN_HEADER),
        *("\t".join(row) for row in year_plan_rows(year, drop)),
        "",
    ]
    return "\n".join(lines).encode("utf-8")
