"""Excel (.xlsx) plans: reading one into a Document, and Đôn Đốc's own template.

``read_xlsx`` turns every visible worksheet, in workbook order, into a heading
paragraph (the sheet's name) and a table of its used range. Cached formula values are
read (``data_only=True``); numbers are written as an official would write them
(``1`` not ``1.0``, ``80%`` for a percentage cell, ``15/01/2025`` for a date, ``01/2025``
for a date formatted as month and year). A merged range keeps its text in its top-left
cell; the cells it covers to the right are empty and spanned; the rows it covers below
repeat the text in its first column, spanned, as a vertically merged Word cell does.

A workbook is **surveyed before it is loaded whole** (``_survey``), because the reader
needs the merged cells, which openpyxl's streaming (read-only) mode does not give: (1)
the sheets' XML is scanned in the package (cells, rows, merged ranges and the cells they
cover, against ``MAX_CELLS``; a DTD is refused): openpyxl creates an object for every
cell a merged range covers, and its read-only mode reads a whole sheet to size it when
the ``<dimension>`` element is missing; (2) each sheet is streamed in read-only mode, its
rows counted as they come (cells stored; rows and area its values span, against
``MAX_ROWS`` and ``MAX_CELLS``); (3) only then is the workbook loaded whole. The survey
adds about 11 ms to a real plan and refuses a 100,000-row sheet in 0.1 s (figures in
docs/benchmarks.md).

``plan_workbook`` makes Đôn Đốc's own workbook of a plan (a ``PlanSheet``): the template
offices fill in to give Đôn Đốc a plan (``write_template``), and a previewed plan as read
("Xem chi tiết"), which the office may correct and send back: it reads as the same plan.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.checks import required
from bot.plans.files import (
    MAX_CELLS,
    MAX_ROWS,
    OLE2_MAGIC,
    Budget,
    PlanFileError,
    ole2_error,
    package_kind,
)
from bot.plans.model import Cell, Document, Paragraph, Table
from bot.sheets import put

# --- reading ---------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _number(value: float | int, number_format: str) -> str:
    fmt = (number_format or "General").lower()
    if "%" in fmt and not _quoted_only(fmt, "%"):
        value = value * 100
        return _plain_number(value) + "%"
    return _plain_number(value)


def _quoted_only(fmt: str, char: str) -> bool:
    """Whether every ``char`` in a number format is inside a quoted literal."""
    inside = False
    for ch in fmt:
        if ch == '"':
            inside = not inside
        elif ch == char and not inside:
            return False
    return True


def _plain_number(value: float | int) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(round(value, 10))
    if "e" in text or "E" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


def _date_parts(number_format: str) -> tuple[bool, bool, bool]:
    """Which of day, month and year a date format shows."""
    fmt = (number_format or "").lower()
    out = []
    inside = False
    for ch in fmt:
        if ch == '"':
            inside = not inside
        elif not inside:
            out.append(ch)
    bare = "".join(out)
    # Skip locale/colour sections like [$-42A] or [Red].
    while "[" in bare and "]" in bare[bare.index("[") :]:
        start = bare.index("[")
        bare = bare[:start] + bare[bare.index("]", start) + 1 :]
    has_day = "d" in bare
    has_year = "y" in bare
    has_month = "m" in bare.replace("h:mm", "").replace("mm:ss", "").replace(":mm", "")
    return has_day, has_month, has_year


def _date(value: datetime | date, number_format: str) -> str:
    day, month, year = _date_parts(number_format)
    if not (day or month or year):  # "General" or a time-only format on a datetime
        day = month = year = True
    if day and month and year:
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    elif month and year:
        text = f"{value.month:02d}/{value.year:04d}"
    elif day and month:
        text = f"{value.day:02d}/{value.month:02d}"
    elif year:
        text = f"{value.year:04d}"
    else:
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    # (midnight under a format with hours is a date typed without a time: "31/03/2026")
    if isinstance(value, datetime) and value.time() != time(0, 0):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def render_value(value: Any, number_format: str = "General") -> str:
    """A cell's value as an official would write it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _nfc(value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        return _date(value, number_format)
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}"
    if isinstance(value, int | float):
        return _number(value, number_format)
    return _nfc(str(value)).strip()


def _value_bounds(ws: Worksheet) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of the cells holding a value.

    openpyxl keeps a worksheet's cells in a sparse dict; iterating ``ws.iter_rows()``
    over the nominal dimension instead would create every empty cell of a sheet whose
    used range was inflated by formatting (a border down to row 1,048,576).
    """
    cells = getattr(ws, "_cells", None)
    if cells is None:  # pragma: no cover - openpyxl always has it
        coordinates = [
            (c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None
        ]
    else:
        coordinates = [
            key
            for key, cell in cells.items()
            if cell.value is not None
            and not (isinstance(cell.value, str) and not cell.value.strip())
        ]
    if not coordinates:
        return None
    rows = [r for r, _ in coordinates]
    cols = [c for _, c in coordinates]
    return min(rows), min(cols), max(rows), max(cols)


MAX_MERGE_OVERHANG = 1000  # rows a merge may add below the last value


def _sheet_table(ws: Worksheet) -> Table | None:
    bounds = _value_bounds(ws)
    if bounds is None:
        return None
    min_row, min_col, max_row, max_col = bounds
    ranges = list(ws.merged_cells.ranges)
    for merged in ranges:
        # A merge anchored on a value counts all its rows as used (within reason).
        if (
            min_col <= merged.min_col <= max_col
            and min_row <= merged.min_row <= max_row
            and merged.max_row - max_row <= MAX_MERGE_OVERHANG
            and ws.cell(merged.min_row, merged.min_col).value is not None
        ):
            max_row = max(max_row, merged.max_row)
    if max_row - min_row + 1 > MAX_ROWS:
        raise _too_many("too_many_rows", f"more than {MAX_ROWS} rows")
    covered = sum(
        max(0, min(m.max_row, max_row) - max(m.min_row, min_row) + 1)
        * max(0, min(m.max_col, max_col) - max(m.min_col, min_col) + 1)
        for m in ranges
    )
    if max(covered, (max_row - min_row + 1) * (max_col - min_col + 1)) > MAX_CELLS:
        raise _too_many("too_many_cells", f"a table of more than {MAX_CELLS} cells")
    merges: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell -> its anchor
    for merged in ranges:
        anchor = (merged.min_row, merged.min_col)
        for row in range(max(merged.min_row, min_row), min(merged.max_row, max_row) + 1):
            for col in range(max(merged.min_col, min_col), min(merged.max_col, max_col) + 1):
                if (row, col) != anchor:
                    merges[(row, col)] = anchor

    rendered: dict[tuple[int, int], Cell] = {}

    def anchor_cell(row: int, col: int) -> Cell:
        key = (row, col)
        if key not in rendered:
            cell = ws.cell(row, col)
            bold = bool(cell.font is not None and cell.font.b)
            rendered[key] = Cell(render_value(cell.value, cell.number_format), bold=bold)
        return rendered[key]

    rows: list[tuple[Cell, ...]] = []
    for row in range(min_row, max_row + 1):
        cells: list[Cell] = []
        for col in range(min_col, max_col + 1):
            anchor = merges.get((row, col))
            if anchor is None:
                cells.append(anchor_cell(row, col))
            elif col == anchor[1] and row != anchor[0]:
                top = anchor_cell(*anchor)
                cells.append(Cell(top.text, bold=top.bold, spanned=True))
            else:
                cells.append(Cell("", spanned=True))
        rows.append(tuple(cells))
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    return Table(rows=tuple(rows)) if rows else None


def _load(data: bytes, *, read_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions and styles it drops; none matter here.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=True, read_only=read_only)
    except zipfile.BadZipFile as exc:
        raise PlanFileError("corrupt_xlsx", f"not a zip package ({exc})", file_type="xlsx") from exc
    except Exception as exc:  # KeyError, lxml/ElementTree errors, InvalidFileException…
        raise PlanFileError(
            "corrupt_xlsx", f"{type(exc).__name__}: {exc}", file_type="xlsx"
        ) from exc


def _too_many(reason: str, detail: str) -> PlanFileError:
    return PlanFileError(reason, detail, file_type="xlsx")


# An element a sheet stores: a cell, a row or a merged range (any namespace prefix).
_STORED = re.compile(rb"<(?:[\w.-]+:)?(c|row|mergeCell)[\s/>]")
_REF = re.compile(rb"""\sref\s*=\s*["']([^"']{1,40})["']""")


def _merged_area(part: bytes, at: int) -> int:
    """The cells a ``<mergeCell ref="…">`` starting at ``at`` covers: openpyxl makes one
    object for each when it loads the sheet whole."""
    end = part.find(b">", at)
    found = _REF.search(part, at - 1, end if end >= 0 else at + 200)  # from the space
    if found is None:
        return 0
    try:
        min_col, min_row, max_col, max_row = range_boundaries(found.group(1).decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return 0  # openpyxl refuses it on load: corrupt_xlsx
    if None in (min_col, min_row, max_col, max_row):  # whole rows or columns
        return MAX_CELLS + 1
    return (max_col - min_col + 1) * (max_row - min_row + 1)


def _scan_parts(data: bytes, budget: Budget) -> None:
    """Refuse, from the package's bytes and before openpyxl parses anything, a workbook
    whose sheets store more than MAX_CELLS cells, rows, merged ranges and cells covered
    by merged ranges together (counted in the XML, stopping at the limit; each part is
    at most MAX_XML_BYTES), or whose XML declares a DTD (entities could expand it; no
    Excel file has one). Said as ``too_many_rows`` when more than MAX_ROWS of them were
    rows."""
    stored = rows = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                name = info.filename
                if not (name.startswith("xl/") and name.endswith(".xml")):
                    continue
                part = archive.read(info)
                if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                    raise PlanFileError("corrupt_xlsx", f"{name} declares a DTD", file_type="xlsx")
                if not name.startswith("xl/worksheets/"):
                    continue
                for match in _STORED.finditer(part):
                    kind = match.group(1)
                    rows += kind == b"row"
                    stored += 1 + (_merged_area(part, match.end()) if kind == b"mergeCell" else 0)
                    if stored > MAX_CELLS and rows > MAX_ROWS:
                        raise _too_many("too_many_rows", f"more than {MAX_ROWS} rows")
                    if stored > MAX_CELLS:
                        raise _too_many(
                            "too_many_cells", f"more than {MAX_CELLS} cells, rows and merges"
                        )
                budget.tick()
    except PlanFileError:
        raise
    except Exception as exc:  # a member that does not inflate, a bad CRC …
        raise PlanFileError(
            "corrupt_xlsx", f"{type(exc).__name__}: {exc}", file_type="xlsx"
        ) from exc


def _survey(data: bytes, budget: Budget) -> None:
    """Refuse a workbook over the limits before loading it whole.

    First the sheets' XML is counted (:func:`_scan_parts`); then every sheet is streamed
    in openpyxl's read-only mode: the cells it stores (what a full load would create,
    empty formatted cells included; a row counts at least one) against MAX_CELLS; for
    visible sheets, the rows and the area its values span (what the Document's table
    will hold) against MAX_ROWS and MAX_CELLS. Stops at the first limit passed.
    """
    _scan_parts(data, budget)
    workbook = _load(data, read_only=True)
    stored = rows = area = 0
    try:
        for ws in workbook.worksheets:
            visible = ws.sheet_state == "visible"
            ws.reset_dimensions()  # the stored dimension may lie: read the rows themselves
            first = last = left = right = 0
            for index, values in enumerate(ws.iter_rows(values_only=True), start=1):
                stored += max(len(values), 1)
                if stored > MAX_CELLS:
                    raise _too_many("too_many_cells", f"more than {MAX_CELLS} cells stored")
                if index % 200 == 0:
                    budget.tick()
                if not visible:
                    continue
                filled = [
                    col
                    for col, value in enumerate(values, start=1)
                    if value is not None and not (isinstance(value, str) and not value.strip())
                ]
                if not filled:
                    continue
                first = first or index
                last = index
                left = min(left or filled[0], filled[0])
                right = max(right, filled[-1])
                if rows + last - first + 1 > MAX_ROWS:
                    raise _too_many("too_many_rows", f"more than {MAX_ROWS} rows")
                if area + (last - first + 1) * (right - left + 1) > MAX_CELLS:
                    raise _too_many("too_many_cells", f"a table of more than {MAX_CELLS} cells")
            if first:
                rows += last - first + 1
                area += (last - first + 1) * (right - left + 1)
    except PlanFileError:
        raise
    except Exception as exc:  # malformed sheet XML met while streaming
        raise PlanFileError(
            "corrupt_xlsx", f"{type(exc).__name__}: {exc}", file_type="xlsx"
        ) from exc
    finally:
        workbook.close()


def read_xlsx(data: bytes, name: str = "plan.xlsx", budget: Budget | None = None) -> Document:
    """Read every visible worksheet into a Document; raise PlanFileError when it cannot
    (or when it holds more than the readers' limits: surveyed before the full load)."""
    budget = budget or Budget()
    if data[:8] == OLE2_MAGIC:
        raise ole2_error(data, name)
    if package_kind(data, name, expect="xlsx") != "xlsx":
        raise PlanFileError(
            "corrupt_xlsx",
            "the package is a Word document, not an Excel workbook",
            file_type="docx",
        )
    _survey(data, budget)
    budget.tick()
    workbook = _load(data, read_only=False)
    blocks: list[Paragraph | Table] = []
    try:
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible":
                continue
            table = _sheet_table(ws)
            if table is None:
                continue
            blocks.append(Paragraph(text=_nfc(ws.title), heading=1))
            blocks.append(table)
            budget.tick()
    except PlanFileError:
        raise
    except Exception as exc:  # a malformed merge range or style openpyxl accepted on load
        raise PlanFileError(
            "corrupt_xlsx", f"{type(exc).__name__}: {exc}", file_type="xlsx"
        ) from exc
    finally:
        workbook.close()
    document = Document(name=name, kind="xlsx", blocks=tuple(blocks))
    budget.count(document)
    return document


# --- the template ----------------------------------------------------------------------

PLAN_SHEET = "Kế hoạch"
INDICATOR_SHEET = "Chỉ tiêu"
UNITS_SHEET = "Đơn vị"
DUTY_SHEET = "Chế độ báo cáo"

PLAN_TITLE = "KẾ HOẠCH KIỂM SOÁT THỦ TỤC HÀNH CHÍNH VÀ THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG"
INDICATOR_TITLE = "CHỈ TIÊU KIỂM SOÁT THỦ TỤC HÀNH CHÍNH"
DUTY_TITLE = "CHẾ ĐỘ BÁO CÁO"
DUTY_WIDTH = 100

PLAN_HEADERS = (
    "STT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Dự kiến sản phẩm",
    "Loại thời hạn",
)
INDICATOR_HEADERS = (
    "STT",
    "Nội dung chỉ tiêu",
    "Đơn vị tính",
    "So sánh",
    "Chỉ tiêu",
    "Cơ quan thực hiện",
)
DEADLINE_KINDS = ("Có hạn cụ thể", "Thường xuyên", "Định kỳ", "Khi có yêu cầu")
COMPARATORS = ("Tối thiểu", "Tối đa", "Bằng")
MEASURES = ("%", "hồ sơ")

PLAN_WIDTHS = (7, 60, 30, 30, 22, 34, 17)
INDICATOR_WIDTHS = (7, 60, 12, 12, 10, 40)

PLAN_HEADER_ROW = 3  # title, year, then the header
INDICATOR_HEADER_ROW = 2  # title, then the header
TEMPLATE_ROWS = 500  # rows below the header the validations cover

_HEADER_NOTES = {
    "STT": "Số thứ tự: I, II… cho nhóm nhiệm vụ; 1, 1.1, 2… cho từng nhiệm vụ.",
    "Đơn vị chủ trì": "Mỗi đơn vị cách nhau bằng dấu chấm phẩy (;).",
    "Đơn vị phối hợp": "Mỗi đơn vị cách nhau bằng dấu chấm phẩy (;).",
    "Thời gian thực hiện": "Ví dụ: Tháng 3/2026; Quý II; trước ngày 30/6/2026; Thường xuyên.",
    "Loại thời hạn": "Chọn trong danh sách.",
    "So sánh": "Tối thiểu: đạt từ chỉ tiêu trở lên; Tối đa: không vượt quá; Bằng: đúng bằng.",
}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINE_HEIGHT = 15  # points: a line of 11-point text
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(ws, row, col, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cell.border = _BORDER
        note = _HEADER_NOTES.get(title)
        if note:
            cell.comment = Comment(note, "Đôn Đốc")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"
    _fit_to_width(ws)


def _fit_to_width(ws: Worksheet) -> None:
    """Printed landscape, as wide as a page, as many pages long as it takes."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _row(
    ws: Worksheet,
    row: int,
    values: Sequence[Any],
    widths: Sequence[int],
    *,
    bold: bool = False,
) -> None:
    lines = 1
    for col, (value, width) in enumerate(zip(values, widths, strict=True), start=1):
        cell = put(ws, row, col, value)
        cell.alignment = _WRAP
        cell.border = _BORDER
        if bold:
            cell.font = Font(bold=True)
        if isinstance(value, str):
            lines = max(lines, sum(math.ceil(len(p) / width) or 1 for p in value.split("\n")))
    # The height its wrapped text needs (a column's width is about that many characters):
    # LibreOffice does not fit a row to its text when it opens a workbook.
    ws.row_dimensions[row].height = _LINE_HEIGHT * lines


def _title(ws: Worksheet, text: str, width: int) -> None:
    cell = put(ws, 1, 1, text)
    cell.font = Font(bold=True, size=14)
    cell.alignment = _CENTER
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36


def _list_validation(
    items: Sequence[str], *, strict: bool, prompt: str, error: str = ""
) -> DataValidation:
    inline = ",".join(items)
    if len(inline) > 253 or any('"' in item or "," in item for item in items):
        raise ValueError("an inline list must be short and hold no commas or quotes")
    validation = DataValidation(
        type="list",
        formula1=f'"{inline}"',
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showErrorMessage=strict,
        showInputMessage=True,
        promptTitle="Đôn Đốc",
        prompt=prompt,
        errorTitle="Đôn Đốc",
        error=error,
    )
    return validation


def _range_validation(reference: str, prompt: str) -> DataValidation:
    # Units are offered, not enforced: a cell may name several of them.
    return DataValidation(
        type="list",
        formula1=reference,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=False,
        showInputMessage=True,
        promptTitle="Đôn Đốc",
        prompt=prompt,
    )


def _column_range(col: int, first_row: int, rows: int = TEMPLATE_ROWS) -> str:
    letter = get_column_letter(col)
    return f"{letter}{first_row}:{letter}{first_row + rows - 1}"


@dataclass(frozen=True)
class SheetRow:
    """A row of the plan sheet: a section (code "I", its title as ``content``) or a task,
    its cells as the template's columns hold them."""

    code: str
    content: str
    lead: str = ""
    cooperating: str = ""
    time: str = ""
    product: str = ""
    kind: str = ""  # one of DEADLINE_KINDS, or ""
    section: bool = False
    notes: tuple[str, ...] = ()  # the cells of ``PlanSheet.note_headers``


@dataclass(frozen=True)
class SheetIndicator:
    """A row of the indicator sheet."""

    code: str
    name: str
    measure: str = ""  # "%", a counted noun, or ""
    comparator: str = ""  # one of COMPARATORS, or ""
    target: Decimal | None = None
    units: str = ""


@dataclass(frozen=True)
class PlanSheet:
    """A plan as Đôn Đốc's workbook holds it; read back, it gives the same plan.

    ``note_headers`` name columns after the template's that the reader passes over (they
    say how Đôn Đốc read a row and what to check in it): their headers must hold no
    column role's word (:mod:`bot.plans.parse_columns`).
    """

    title: str
    year: int | None
    issuer: str | None = None
    rows: tuple[SheetRow, ...] = ()
    indicators: tuple[SheetIndicator, ...] = ()
    note_headers: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()  # reporting duties, a sentence each


def _example(year: int) -> PlanSheet:
    """The template's plan: one section, one task, one indicator, as examples."""
    return PlanSheet(
        title=PLAN_TITLE,
        year=year,
        rows=(
            SheetRow("I", "Xây dựng văn bản chỉ đạo, điều hành", section=True),
            SheetRow(
                "1",
                f"Xây dựng Kế hoạch kiểm soát thủ tục hành chính năm {year}",
                lead="Văn phòng HĐND và UBND",
                cooperating="Các phòng, ban chuyên môn; UBND các xã, phường",
                time=f"Tháng 01/{year}",
                product="Kế hoạch được ban hành",
                kind="Có hạn cụ thể",
            ),
        ),
        indicators=(
            SheetIndicator(
                "1",
                "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
                measure="%",
                comparator="Tối thiểu",
                target=Decimal(80),
                units="Các phòng, ban chuyên môn; UBND các xã, phường",
            ),
        ),
    )


def _cell_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_workbook(sheet: PlanSheet, *, units: Sequence[str] | None = None) -> Workbook:
    """Đôn Đốc's plan workbook holding ``sheet``; the template is one with examples.

    Sheet "Kế hoạch": the title, the year (and the issuer, as an appendix names the plan
    it goes with), the task header, then a row per section and task; "Loại thời hạn" is a
    list. Sheet "Chỉ tiêu": the indicator header and rows; "So sánh" and "Đơn vị tính"
    are lists. Sheet "Chế độ báo cáo", when the plan states reporting duties: one
    sentence a row (a sheet's cells outside its tables are its prose). With ``units``, a
    hidden sheet "Đơn vị" lists them and the unit columns offer them in a drop-down.
    """
    workbook = Workbook()
    plan = workbook.active
    plan = required(plan, "plan")
    plan.title = PLAN_SHEET
    headers = PLAN_HEADERS + sheet.note_headers
    widths = PLAN_WIDTHS + (40,) * len(sheet.note_headers)
    _title(plan, sheet.title, len(headers))
    year_label = put(plan, 2, 1, "Năm")
    year_label.font = Font(bold=True)
    year_cell = put(plan, 2, 2, sheet.year)
    year_cell.number_format = "0"
    year_cell.font = Font(bold=True)
    year_cell.alignment = Alignment(horizontal="left")
    if sheet.issuer:
        put(plan, 2, 3, f"(Kèm theo kế hoạch của {sheet.issuer})")
    _header(plan, PLAN_HEADER_ROW, headers, widths)
    first = PLAN_HEADER_ROW + 1
    for offset, row in enumerate(sheet.rows):
        cells = [row.code, row.content]
        if not row.section:
            cells += [row.lead, row.cooperating, row.time, row.product, row.kind]
        cells += [""] * (len(PLAN_HEADERS) - len(cells))
        notes = [*row.notes, *[""] * (len(sheet.note_headers) - len(row.notes))]
        _row(plan, first + offset, [*cells, *notes], widths, bold=row.section)
    last = max(TEMPLATE_ROWS, len(sheet.rows))
    kinds = _list_validation(
        DEADLINE_KINDS,
        strict=True,
        prompt="Có hạn cụ thể, Thường xuyên, Định kỳ hoặc Khi có yêu cầu",
        error="Chọn một loại thời hạn trong danh sách.",
    )
    plan.add_data_validation(kinds)
    kinds.add(_column_range(PLAN_HEADERS.index("Loại thời hạn") + 1, first, last))

    indicators = workbook.create_sheet(INDICATOR_SHEET)
    _title(indicators, INDICATOR_TITLE, len(INDICATOR_HEADERS))
    _header(indicators, INDICATOR_HEADER_ROW, INDICATOR_HEADERS, INDICATOR_WIDTHS)
    ifirst = INDICATOR_HEADER_ROW + 1
    for offset, item in enumerate(sheet.indicators):
        cells = [item.code, item.name, item.measure, item.comparator, _cell_number(item.target)]
        _row(indicators, ifirst + offset, [*cells, item.units], INDICATOR_WIDTHS)
    ilast = max(TEMPLATE_ROWS, len(sheet.indicators))
    comparators = _list_validation(
        COMPARATORS,
        strict=True,
        prompt="Tối thiểu, Tối đa hoặc Bằng",
        error="Chọn Tối thiểu, Tối đa hoặc Bằng.",
    )
    measures = _list_validation(
        MEASURES,
        strict=False,
        prompt="% hoặc hồ sơ (có thể ghi đơn vị khác)",
    )
    target = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Đôn Đốc",
        error="Chỉ tiêu là một số, ví dụ 80.",
    )
    for validation, header in (
        (comparators, "So sánh"),
        (measures, "Đơn vị tính"),
        (target, "Chỉ tiêu"),
    ):
        indicators.add_data_validation(validation)
        validation.add(_column_range(INDICATOR_HEADERS.index(header) + 1, ifirst, ilast))

    if sheet.duties:
        duties = workbook.create_sheet(DUTY_SHEET)
        _title(duties, DUTY_TITLE, 1)
        duties.column_dimensions["A"].width = DUTY_WIDTH
        _fit_to_width(duties)
        for offset, text in enumerate(sheet.duties, start=2):
            _row(duties, offset, [text], (DUTY_WIDTH,))

    names = [name.strip() for name in (units or []) if name and name.strip()]
    if names:
        units_sheet = workbook.create_sheet(UNITS_SHEET)
        units_sheet.sheet_state = "hidden"
        put(units_sheet, 1, 1, "Tên đơn vị").font = Font(bold=True)
        for row_number, name in enumerate(names, start=2):
            put(units_sheet, row_number, 1, name)
        units_sheet.column_dimensions["A"].width = 50
        reference = f"{quote_sheetname(UNITS_SHEET)}!$A$2:$A${len(names) + 1}"
        prompt = "Chọn trong danh sách hoặc ghi tên đơn vị; nhiều đơn vị cách nhau bằng ;"
        for ws, columns, start, stop in (
            (plan, ("Đơn vị chủ trì", "Đơn vị phối hợp"), first, last),
            (indicators, ("Cơ quan thực hiện",), ifirst, ilast),
        ):
            validation = _range_validation(reference, prompt)
            ws.add_data_validation(validation)
            table_headers = PLAN_HEADERS if ws is plan else INDICATOR_HEADERS
            for header in columns:
                validation.add(_column_range(table_headers.index(header) + 1, start, stop))
    workbook.active = 0
    return workbook


def write_template(
    path_or_buffer: str | IO[bytes] | Any,
    *,
    year: int,
    units: Sequence[str] | None = None,
) -> None:
    """Write Đôn Đốc's plan template (.xlsx) to a path or a binary buffer: the plan
    workbook (:func:`plan_workbook`) with an example section, task and indicator."""
    plan_workbook(_example(year), units=units).save(path_or_buffer)
