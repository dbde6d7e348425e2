"""Big and hostile files, built in memory for the limits' tests and `bench/big_files.py`
(none is kept in the repository).

Workbooks and Word files are written XML-first into a package made by openpyxl or
python-docx, so a million rows take a second or two to build instead of minutes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

SHEET_PART = "xl/worksheets/sheet1.xml"
BODY_PART = "word/document.xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData>{merges}</worksheet>"
_BODY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>"
)
_BODY_TAIL = "<w:sectPr/></w:body></w:document>"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _replace_part(package: bytes, part: str, chunks: Iterable[str]) -> bytes:
    """``package`` with ``part`` rewritten from ``chunks`` (streamed into the zip)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename == part:
                with target.open(part, "w") as stream:
                    buffer: list[str] = []
                    for chunk in chunks:
                        buffer.append(chunk)
                        if len(buffer) >= 5000:
                            stream.write("".join(buffer).encode("utf-8"))
                            buffer.clear()
                    stream.write("".join(buffer).encode("utf-8"))
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _empty_workbook() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(rows: Iterable[Iterable[object]], merges: Iterable[str] = ()) -> Iterable[str]:
    """The XML of a sheet holding ``rows`` (inline strings and numbers)."""
    yield _SHEET_HEAD
    for number, values in enumerate(rows, start=1):
        cells = []
        for col, value in enumerate(values, start=1):
            ref = f"{_column(col)}{number}"
            if value is None:
                continue
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        yield f'<row r="{number}">{"".join(cells)}</row>'
    ranges = list(merges)
    merged = ""
    if ranges:
        merged = f'<mergeCells count="{len(ranges)}">' + "".join(
            f'<mergeCell ref="{r}"/>' for r in ranges
        )
        merged += "</mergeCells>"
    yield _SHEET_TAIL.format(merges=merged)


def xlsx(rows: Iterable[Iterable[object]], merges: Iterable[str] = ()) -> bytes:
    """A workbook whose only sheet holds ``rows``."""
    return _replace_part(_empty_workbook(), SHEET_PART, sheet_rows(rows, merges))


def plan_rows(count: int, width: int = 2) -> Iterable[list[object]]:
    """A task table's header and ``count`` short task rows (codes 1.1, 1.2 …)."""
    header = ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian thực hiện"][:width]
    yield header
    for i in range(count):
        row = [f"{i // 10 + 1}.{i % 10 + 1}", f"Nhiệm vụ {i}", "Văn phòng", "Quý I"]
        yield row[:width]


def plan_xlsx(rows: int, width: int = 2) -> bytes:
    """A plan sheet of ``rows`` task rows under a header."""
    return xlsx(plan_rows(rows, width))


def _empty_docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def body(paragraphs: Iterable[str] = (), table: Iterable[Iterable[str]] = ()) -> Iterable[str]:
    """The XML of a Word body: paragraphs, then one table."""
    yield _BODY_HEAD
    for text in paragraphs:
        yield f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
    rows = iter(table)
    first = next(rows, None)
    if first is not None:
        yield "<w:tbl>"
        for row in _chain(first, rows):
            cells = "".join(
                f"<w:tc><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:tc>" for text in row
            )
            yield f"<w:tr>{cells}</w:tr>"
        yield "</w:tbl>"
    yield _BODY_TAIL


def _chain(first: Iterable[str], rest: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
    yield first
    yield from rest


def docx(paragraphs: Iterable[str] = (), table: Iterable[Iterable[str]] = ()) -> bytes:
    return _replace_part(_empty_docx(), BODY_PART, body(paragraphs, table))


def plan_docx(rows: int) -> bytes:
    """A Word plan: a title and a task table of ``rows`` rows under a header."""
    table = ([str(v) for v in row] for row in plan_rows(rows, 4))
    return docx(["KẾ HOẠCH kiểm soát thủ tục hành chính năm 2026"], table)


def one_line_text(size: int) -> bytes:
    """About ``size`` bytes of Vietnamese words with no line break."""
    words = "Nhiệm vụ kiểm soát thủ tục hành chính năm 2026 ".encode()
    cut = (words * (size // len(words) + 1))[:size]
    return cut.decode("utf-8", "ignore").encode()  # whole characters: still UTF-8


def plan_text(lines: int, line: str = "Nhiệm vụ kiểm soát thủ tục hành chính") -> bytes:
    """A text of ``lines`` paragraphs (a blank line between them)."""
    return "\n\n".join(f"{i}. {line}" for i in range(lines)).encode()


def units_lines(rows: int) -> Iterable[list[object]]:
    yield ["name", "kind", "parent", "aliases"]
    for i in range(rows):
        yield [f"Phòng số {i}", "phòng", "", f"PS{i}"]


def units_csv(rows: int) -> bytes:
    return "\n".join(",".join(map(str, row)) for row in units_lines(rows)).encode()


def units_xlsx(rows: int) -> bytes:
    return xlsx(units_lines(rows))


BUILDERS: dict[str, Callable[[int], bytes]] = {
    "plan_xlsx": plan_xlsx,
    "plan_docx": plan_docx,
    "one_line_text": one_line_text,
    "units_csv": units_csv,
    "units_xlsx": units_xlsx,
}
