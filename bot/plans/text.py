"""Read a plan exported as text into a :class:`~bot.plans.model.Document`. Pure: no I/O.

Text exports of Word files come in a few shapes, all handled here:

* **tab-separated tables**: consecutive lines holding tabs (blank lines between them do
  not end the table: exports put them at page breaks) become one :class:`Table`, split
  on tabs; ``<b>…</b>`` in a cell makes it bold and the tags are removed;
* **flattened tables**: one cell per line, a line starting with a tab starts a cell,
  the lines after it without a tab continue it (after a blank line only when they are
  bullets "- …"), and a blank line before a tab line closes a row. Such a run is a
  table when its first row reads as a header ("Stt", "Nội dung công việc", …); its
  column count is the header's, and a row cut in two by a blank line (fewer cells than
  the header, the next piece not starting with a task number) is joined again. A run
  that does not start with a header (the letterhead "ỦY BAN NHÂN DÂN / HUYỆN …", the
  "Nơi nhận" list) gives one paragraph per cell;
* **tables saved as bare lines** (LibreOffice's "Text" export, converters): no tab or
  rule at all, each cell paragraph on a line of its own, an empty cell an empty line.
  Such a run is a table when a number column's name ("STT", "TT") is followed by lines
  each naming a column (or, after the content's, a unit: an assignment matrix's
  columns), together a header (of two rows too: "Cơ quan thực hiện" over
  "Chủ trì" and "Phối hợp", the cells merged down saved empty); its rows start at each
  line that is a row number alone that may follow the row before ("1", "1.2", "II";
  "100" after row 3 is a cell's figure; "V Tiếp nhận …", a section's numeral and title in
  one cell, a heading).
  A row with more lines than the header has cells gets its extra lines joined to the
  cell they go on (list items of one kind, "Phối hợp: …" under "Chủ trì: …", a sentence
  going on in lower case, a unit under a unit), else loses its trailing empty lines,
  else gives them to the content; a row cut at a page (its second piece with an empty
  number cell) is joined back; a row of one cell across is a section's heading (bold);
  a cell merged down is saved in its first row only; the last row
  ends where prose starts again (a numbered heading "II. CHỈ TIÊU", "Nơi nhận", a line
  in capitals such as the signature's "CHỦ TỊCH", more empty lines than a row has
  cells) or another header does;
* **OCR and markdown rows** with ``|`` between cells (three pipes or more, or a line
  starting and ending with one): consecutive ones become one table, ``|---|`` rules
  skipped;
* everything else is a :class:`Paragraph`: markdown headings (``#`` … → ``heading``),
  ``**bold**`` (the whole paragraph bold → ``bold``), markdown hard breaks (a line
  ending with two spaces) keep the next line in the same paragraph after a ``\\n``;
  emphasis marks and backslash escapes are removed.

A ``.csv`` name reads the text as comma/semicolon separated rows. All text is NFC.

Text damaged by OCR without Vietnamese data is repaired before it is read
(:mod:`bot.plans.repair`): its words restored from the domain vocabulary and its task
table rebuilt as tab-separated rows; ``Document.repaired_words`` counts the words (at
least 1 once a text was repaired), and the parser marks every task to be checked.

The text's length and its longest line are checked against the readers' limits before
any regular expression runs (some here take time quadratic in a line's length), and the
time is checked block by block (:class:`~bot.plans.files.Budget`).
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Sequence

from bot.language.normalize import nfc
from bot.plans.files import MAX_LINE_CHARS, MAX_TEXT_CHARS, Budget, PlanFileError
from bot.plans.model import Block, Cell, Document, Paragraph, Table
from bot.plans.parse_columns import CODE, CONTENT, cell_role, looks_like_header
from bot.plans.parse_units import role_label, starts_with_unit
from bot.plans.repair import looks_damaged, repair_text

_BLANK, _TABROW, _CELL, _PIPE, _TEXT = "blank", "tabrow", "cell", "pipe", "text"

_TAG_RE = re.compile(r"</?(?:b|strong|i|em|u|span|font|p|div|sup|sub)(?:\s[^>]*)?>", re.I)
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_BOLD_CELL_RE = re.compile(r"(?:\s*<(b|strong)>.*?</\1>\s*)+", re.I | re.S)
_ENTITY_RE = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_WRAP_RE = re.compile(r"^(\*{1,3}|_{2,3})(?=\S)(.*?)(?<=\S)\1$", re.S)
# Emphasis inside a line spans at most 500 characters: unbounded, a line of "**a **a …"
# took time quadratic in its length (0.27 s for 10,000 characters).
_INNER_EMPH_RE = re.compile(r"(\*{2,3}|_{2,3})(?=\S)(.{1,500}?)(?<=\S)\1", re.S)
_INNER_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_RULE_CELL_RE = re.compile(r"^:?-{2,}:?$")
_BULLET_RE = re.compile(r"^\s*(?:[-+•*–]\s|[a-zđ]\)\s|\d{1,2}\)\s)")
_ROW_CODE_RE = re.compile(r"(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,3})(?:[.\-]\d{1,3})*[.)]?")


def read_text(
    text: str,
    name: str = "plan.txt",
    budget: Budget | None = None,
    unit_names: Sequence[str] = (),
) -> Document:
    """The blocks of a text export, in reading order; PlanFileError over the limits.

    A text that looks damaged by OCR (:func:`bot.plans.repair.looks_damaged`) is
    repaired first (``unit_names``: the deployment's unit names and former names, for
    the repair to restore); the document counts the words restored."""
    budget = budget or Budget()
    if len(text) > MAX_TEXT_CHARS:
        raise PlanFileError("too_long", f"more than {MAX_TEXT_CHARS} characters", file_type="text")
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\u2028", "\n").replace("\x0c", "\n")
    text = text.replace("\u00a0", " ").replace("\x00", "")
    lines = text.split("\n")
    if max(map(len, lines)) > MAX_LINE_CHARS:
        raise PlanFileError(
            "line_too_long",
            f"a line is longer than {MAX_LINE_CHARS} characters",
            file_type="text",
        )
    if name.lower().endswith(".csv"):
        document = Document(name, "text", tuple(_read_csv(lines, budget)))
    else:
        repaired = 0
        restored: tuple[str, ...] = ()
        if looks_damaged(text):
            fixed = repair_text(text, unit_names, budget.tick)
            lines, repaired = fixed.text.split("\n"), max(fixed.words, 1)
            restored = fixed.restored
        blocks = tuple(_Reader(lines, budget).blocks())
        document = Document(name, "text", blocks, repaired_words=repaired, restored_lines=restored)
    budget.count(document)
    return document


def _kind(line: str) -> str:
    if not line.strip(" \t\v"):
        # A tab alone is an empty cell of a flattened table.
        return _CELL if line.strip(" ") == "\t" else _BLANK
    if "\t" in line:
        rest = line.lstrip(" ")
        if rest.startswith("\t") and "\t" not in rest[1:]:
            return _CELL
        return _TABROW
    pipes = line.count("|")
    stripped = line.strip()
    if pipes >= 3 or (pipes >= 2 and stripped.startswith("|") and stripped.endswith("|")):
        return _PIPE
    return _TEXT


class _Reader:
    def __init__(self, lines: list[str], budget: Budget) -> None:
        self.lines = lines
        self.budget = budget
        self.kinds = [_kind(line) for line in lines]
        self.out: list[Block] = []

    def blocks(self) -> list[Block]:
        i, n = 0, len(self.lines)
        while i < n:
            self.budget.tick()
            kind = self.kinds[i]
            if kind == _BLANK:
                i += 1
            elif kind == _TABROW and self._starts_tab_table(i):
                i = self._tab_table(i)
            elif kind in (_CELL, _TABROW):
                i = self._flattened(i)
            elif kind == _PIPE:
                i = self._pipe_table(i)
            elif (header := self._bare_header(i)) is not None:
                i = self._bare_table(i, *header)
            else:
                i = self._paragraph(i)
        return self.out

    # --- tab-separated tables -----------------------------------------------------

    def _starts_tab_table(self, i: int) -> bool:
        cells = self.lines[i].split("\t")
        return sum(1 for c in cells if c.strip()) >= 2 or not self.lines[i].startswith("\t")

    def _tab_table(self, i: int) -> int:
        rows: list[list[str]] = []
        n = len(self.lines)
        while i < n:
            self.budget.tick()
            kind = self.kinds[i]
            if kind in (_TABROW, _CELL):
                cells = self.lines[i].split("\t")
                if not all(_RULE_CELL_RE.match(c.strip()) or not c.strip() for c in cells):
                    rows.append(cells)
                i += 1
            elif kind == _BLANK:
                j = i
                while j < n and self.kinds[j] == _BLANK:
                    j += 1
                if j < n and self.kinds[j] == _TABROW:
                    i = j
                else:
                    break
            else:
                break
        if len(rows) == 1 and sum(1 for raw in rows[0] if raw.strip()) <= 1:
            cell = _cell(" ".join(rows[0]))
            if cell.text:
                self.out.append(Paragraph(cell.text, bold=cell.bold))
            return i
        self._emit_table([self._cells(row) for row in rows])
        return i

    def _cells(self, row: list[str]) -> list[Cell]:
        self.budget.tick()
        return [_cell(raw) for raw in row]

    # --- flattened one-cell-per-line tables ------------------------------------------

    def _flattened(self, i: int) -> int:
        n = len(self.lines)
        chunks: list[list[list[str]]] = []  # chunks of cells of lines
        chunk: list[list[str]] = []
        blanks = 0
        while i < n:
            self.budget.tick()
            kind, line = self.kinds[i], self.lines[i]
            if kind == _CELL or (kind == _TABROW and line.lstrip(" ").startswith("\t")):
                if blanks and chunk:
                    chunks.append(chunk)
                    chunk = []
                body = line.lstrip(" ")[1:]
                chunk.append([body] if kind == _CELL else body.split("\t"))
                if kind == _TABROW:  # a stray tab inside a cell: keep the text
                    chunk[-1] = [" ".join(chunk[-1])]
                blanks = 0
            elif kind == _BLANK:
                blanks += 1
            elif kind == _TEXT and chunk and (not blanks or (blanks <= 2 and _is_bullet(line))):
                chunk[-1].append(line)
                blanks = 0
            else:
                break
            i += 1
        if chunk:
            chunks.append(chunk)
        cells = [[_join_cell_lines(c) for c in ch] for ch in chunks]
        self.budget.tick()
        if cells and len(cells[0]) >= 2 and self._flat_header(cells[0]):
            self._emit_flat_table(cells)
        else:
            for ch in cells:
                for raw in self._cells(ch):
                    cell = raw
                    if cell.text:
                        self.out.append(Paragraph(cell.text, bold=cell.bold))
        return i

    @staticmethod
    def _flat_header(first: list[str]) -> bool:
        width = _header_width(first)
        return width >= 2 and looks_like_header([_cell(c).text for c in first[:width]])

    def _emit_flat_table(self, chunks: list[list[str]]) -> None:
        first = chunks[0]
        width = _header_width(first)
        pieces = [first[:width]]
        if first[width:]:
            pieces.append(first[width:])
        pieces.extend(chunks[1:])
        rows: list[list[str]] = []
        for piece in pieces:
            while len(piece) > width:
                rows.append(piece[:width])
                piece = piece[width:]
            if not piece:
                continue
            row = rows[-1] if len(rows) > 1 else None
            if (
                row is not None
                and len(row) < width
                and len(row) + len(piece) <= width
                and not _ROW_CODE_RE.fullmatch(_cell(piece[0]).text)
            ):
                row.extend(piece)
            else:
                rows.append(list(piece))
        self._emit_table([self._cells(row) for row in rows])

    # --- tables saved as bare lines -----------------------------------------------------

    def _bare_header(self, i: int) -> tuple[list[str], int] | None:
        """The column names of a header written one a line from line ``i`` (a number
        column's name) and the lines it takes, when a row number alone follows it;
        None otherwise."""
        if cell_role(self.lines[i].strip()) != CODE:
            return None
        header, used = _bare_header_cells(self.lines, self.kinds, i)
        if len(header) < 3 or not looks_like_header(header):
            return None
        k = i + used  # the first row follows: a row number alone on its line
        while k < len(self.lines) and self.kinds[k] == _BLANK:
            k += 1
        if k >= len(self.lines) or not _ROW_CODE_RE.fullmatch(self.lines[k].strip()):
            return None
        return header, used

    def _bare_table(self, i: int, header: list[str], used: int) -> int:
        width = len(header)
        rows: list[list[str]] = [header]
        i += used
        n = len(self.lines)
        while i < n and self.kinds[i] == _BLANK:
            i += 1
        code = number = ""  # the row's number, the last number of a task row
        first = True
        headings: set[int] = set()  # rows merged across the table
        while i < n and self.kinds[i] == _TEXT:
            start = _bare_row_start(self.lines[i].strip())
            if start is None or not (first or start[1] or _next_code(code, number, start[0])):
                break
            self.budget.tick()
            first = False
            code, title = start
            if _NUMBERED_RE.fullmatch(code.rstrip(".)")):
                number = code
            i += 1
            lines: list[str] = [title] if title else []
            while i < n and not title:
                line = self.lines[i].strip()
                if self.kinds[i] not in (_TEXT, _BLANK) or self._bare_header(i) is not None:
                    break
                if self.kinds[i] == _TEXT and _next_code(code, number, line):
                    break
                if self.kinds[i] == _BLANK and all(
                    self.kinds[k] == _BLANK for k in range(i, min(n, i + width))
                ):
                    # more empty lines together than a row has cells: the table ends (its
                    # last cells may be empty ones)
                    lines.extend([""] * min(width - 1, n - i))
                    break
                if len(lines) >= width - 1 and (
                    _PROSE_AFTER_RE.match(line)
                    or _SECTION_TITLE_RE.match(line)  # "V Tiếp nhận …": the next section
                    # the signature ("CHỦ TỊCH"), the next appendix's letterhead
                    or (line.isupper() and len(line.split()) >= 2)
                ):
                    break
                lines.append(line)
                i += 1
            if (
                len(lines) >= width + 1
                and lines[0]
                and not lines[1]
                and lines[2]
                and len(lines) - 2 <= width - 1 + _trailing_blanks(lines)
            ):
                # a section's title, then a row whose number cell is empty (numbered by
                # the parser)
                headings.add(len(rows))
                rows.append([code, lines[0], *[""] * (width - 2)])
                code, lines = "", lines[2:]
            elif len(lines) == 1 and lines[0]:
                headings.add(len(rows))  # one cell across the row, no empty ones: a heading
            rows.append([code, *_bare_cells(lines, width - 1)])
        # a row merged across is a section's heading (bold, as the parser knows them); a
        # cell merged down is saved in its first row only, the rows below empty
        cells = [
            [Cell(c.text, bold=index in headings) for c in self._cells(row)]
            for index, row in enumerate(rows)
        ]
        self._emit_table(cells, hides_merges=True)
        return i

    # --- pipe tables ------------------------------------------------------------------

    def _pipe_table(self, i: int) -> int:
        rows: list[list[Cell]] = []
        n = len(self.lines)
        while i < n:
            self.budget.tick()
            kind = self.kinds[i]
            if kind == _PIPE:
                parts = self.lines[i].strip().split("|")
                if self.lines[i].strip().startswith("|"):
                    parts = parts[1:]
                if self.lines[i].strip().endswith("|") and parts:
                    parts = parts[:-1]
                if not all(_RULE_CELL_RE.match(p.strip()) or not p.strip() for p in parts):
                    rows.append([_cell(_strip_markdown(p.strip())[1], md=p) for p in parts])
                i += 1
            elif kind == _BLANK and i + 1 < n and self.kinds[i + 1] == _PIPE:
                i += 1
            else:
                break
        self._emit_table(rows)
        return i

    # --- paragraphs -------------------------------------------------------------------

    def _paragraph(self, i: int) -> int:
        parts = [self.lines[i]]
        n = len(self.lines)
        while (
            (parts[-1].endswith("  ") or parts[-1].endswith("\\"))
            and i + 1 < n
            and self.kinds[i + 1] == _TEXT
        ):
            i += 1
            parts.append(self.lines[i])
        i += 1
        heading = 0
        lines = []
        for part in parts:
            part = part.rstrip().removesuffix("\\").strip()
            m = _HEADING_RE.match(part)
            if m and not lines:
                heading = len(m.group(1))
                part = m.group(2).rstrip("#").strip()
            lines.append(part)
        bold, text = _strip_markdown("\n".join(lines))
        bold_tag, text = _strip_tags(text)
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if text:
            self.out.append(Paragraph(text, bold=bold or bold_tag, heading=heading))
        return i

    def _emit_table(self, rows: list[list[Cell]], hides_merges: bool = False) -> None:
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        padded = tuple(tuple(row) + (Cell(""),) * (width - len(row)) for row in rows)
        self.out.append(Table(padded, hides_merges=hides_merges))


_MAX_BARE_COLUMNS = 10
# Prose after a table saved as bare lines: a numbered heading ("II. CHỈ TIÊU", "2.
# Tổ chức …"), the recipients, the signature (in capitals: see _bare_table).
_PROSE_AFTER_RE = re.compile(
    r"^(?:[IVXLC]{1,6}|\d{1,2})\.\s+\S|^(?:Nơi nhận|TM\.|KT\.|PHỤ LỤC)", re.IGNORECASE
)


def _bare_header_cells(lines: list[str], kinds: list[str], i: int) -> tuple[list[str], int]:
    """The column names written a line each from line ``i`` (a number column's name),
    and the lines they take: while each line names a column, a line in lower case going
    on the name above it ("Cơ quan, đơn vị" / "thực hiện"). A header of two rows (a name
    over two columns, "Cơ quan thực hiện" over "Chủ trì" and "Phối hợp") is saved as
    its top row, then the row below with an empty line for each cell merged down: the
    names below take the place of the one above them."""
    top = [lines[i].strip()]
    j = i + 1
    while j < len(lines) and len(top) < _MAX_BARE_COLUMNS and kinds[j] == _TEXT:
        line = lines[j].strip()
        if line[:1].islower() and len(line) <= 40:
            top[-1] += "\n" + line
        elif cell_role(line) not in (None, CODE) or (
            # an assignment matrix's units, after the content's column
            _names_unit(line) and any(cell_role(t) == CONTENT for t in top)
        ):
            top.append(line)
        else:
            break
        j += 1
    # the row below: empty lines and column names, up to the first row's number
    k = j
    while (
        k < len(lines)
        and k - j <= _MAX_BARE_COLUMNS
        and not _ROW_CODE_RE.fullmatch(lines[k].strip())
    ):
        if kinds[k] != _BLANK and cell_role(lines[k].strip()) in (None, CODE):
            return top, j - i
        k += 1
    below = [line.strip() for line in lines[j:k]]
    named = [index for index, name in enumerate(below) if name]
    runs = sum(1 for index in named if index - 1 not in named)
    if not named or below.count("") + runs != len(top):
        return top, j - i
    cells: list[str] = []
    above = iter(top)
    for index, name in enumerate(below):
        if not name:
            cells.append(next(above))
        else:
            if index - 1 not in named:
                next(above)  # the name over these columns
            cells.append(name)
    return cells, k - i


# A section's numeral and its title in one cell merged across the table ("V Tiếp nhận và
# xử lý phản ánh …").
_SECTION_TITLE_RE = re.compile(r"^([IVXLC]{1,6}|[A-ZĐ])[.:]?\s+(?=[A-ZĐÀ-Ỹ])(.{3,})$")


def _trailing_blanks(lines: list[str]) -> int:
    return next((k for k, line in enumerate(reversed(lines)) if line), len(lines))


def _bare_row_start(line: str) -> tuple[str, str] | None:
    """A row's number alone on its line, or a section's numeral with its title: (the
    number, the title or "")."""
    if _ROW_CODE_RE.fullmatch(line):
        return line, ""
    m = _SECTION_TITLE_RE.match(line)
    return (m.group(1), m.group(2)) if m else None


_NUMBERED_RE = re.compile(r"\d{1,3}(?:[.\-]\d{1,3})*")


def _next_code(previous: str, number: str, text: str) -> bool:
    """Whether ``text`` is a row number that may follow row ``previous`` (``number``: the
    last numbered row's): the next at its level or one above, a first child, a
    section's numeral or letter, after a section "1" or the next number (numbering that
    runs on through the sections). "100" or "12" alone after row 3 are a cell's figures."""
    if not _ROW_CODE_RE.fullmatch(text):
        return False
    code = text.rstrip(".)")
    if not _NUMBERED_RE.fullmatch(code):
        return True  # a section's numeral or letter
    parts = [int(x) for x in re.split(r"[.\-]", code)]
    if not number or parts == [1]:
        return True  # the table's first numbered row, or a numbering starting again
    last = [int(x) for x in re.split(r"[.\-]", number.rstrip(".)"))]
    if parts == [*last, 1]:
        return True
    if len(parts) > 1 and abs(parts[0] - last[0]) <= 1:
        return True  # a dotted number is never a figure: written twice, or out of order
    section = not _NUMBERED_RE.fullmatch(previous.rstrip(".)"))
    if section and parts[-1] == 1 and len(parts) > 1:
        return True  # "2.1" opening the section after row "1.4"
    for depth in range(1, len(last) + 1):  # the next at this level or one above (a gap of one)
        head = last[: depth - 1]
        if parts[: depth - 1] == head and 1 <= parts[depth - 1] - last[depth - 1] <= 2:
            return all(x == 1 for x in parts[depth:])
    return False


def _bare_cells(lines: list[str], cells: int) -> list[str]:
    """A row's lines after its number as its ``cells`` cells, an empty line an empty
    cell: a row cut in two at a page (its second piece a row of its own with an empty
    number cell) is joined cell by cell; extra lines are joined to the cell they surely
    go on (:func:`_goes_on`), else trailing empty lines are dropped, else a unit goes on
    the unit above it (the last such pair: a list of cooperating units), else the
    content takes them (a cell of several paragraphs)."""
    rest = lines[cells + 1 :]
    while len(rest) > cells and not rest[-1]:
        rest = rest[:-1]
    if len(lines) > cells and not lines[cells] and len(rest) == cells and rest[0]:
        # (a cell's paragraph going on across the page: joined with a space)
        return [" ".join(x for x in pair if x) for pair in zip(lines[:cells], rest, strict=True)]
    parts = [[line] for line in lines]
    while len(parts) > cells:
        at = next(
            (
                k
                for k in range(1, len(parts))
                if parts[k][0] and _goes_on(parts[k - 1], parts[k][0])
            ),
            None,
        )
        if at is None and not parts[-1][0]:
            parts.pop()
            continue
        if at is None:
            units = [
                k
                for k in range(2, len(parts))
                if parts[k][0]
                and starts_with_unit(parts[k][0])
                and starts_with_unit(parts[k - 1][-1])
            ]
            at = units[-1] if units else 1
        parts[at - 1].extend(parts.pop(at))
    joined = ["\n".join(line for line in part if line) for part in parts]
    return joined + [""] * (cells - len(joined))


def _goes_on(cell: list[str], line: str) -> bool:
    """Whether ``line`` surely goes on the cell of the lines ``cell``: a list item under
    a list item of its kind (units under units: "- Văn phòng … chủ trì." / "- Các phòng
    … phối hợp."; others under others), a "Phối hợp:" line under a "Chủ trì:" one, words
    in lower case going on a sentence."""
    last = cell[-1]
    if not last:
        return False
    if _is_bullet(line) and _is_bullet(last):
        return _names_unit(line) == _names_unit(last)
    if role_label(line) and role_label(cell[0]):
        return True
    return (
        line[:1].islower()
        and len(line.split()) >= 3
        and not _is_bullet(line)
        and not _is_bullet(last)
    )  # a sentence's second paragraph, in lower case


def _names_unit(line: str) -> bool:
    return starts_with_unit(_BULLET_RE.sub("", line, count=1))


def _header_width(first: list[str]) -> int:
    """Header cells of a flattened table: up to the first cell that reads as a row code."""
    for index, raw in enumerate(first):
        if index >= 2 and _ROW_CODE_RE.fullmatch(_cell(raw).text):
            return index
    return len(first)


def _is_bullet(line: str) -> bool:
    return bool(_BULLET_RE.match(line))


def _join_cell_lines(lines: list[str]) -> str:
    return "\n".join(part.strip() for part in lines if part.strip())


def _strip_tags(text: str) -> tuple[bool, str]:
    bold = bool(text.strip()) and bool(_BOLD_CELL_RE.fullmatch(text.strip()))
    text = _BR_RE.sub("\n", text)
    text = _TAG_RE.sub("", text)
    text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return bold, text


def _strip_markdown(text: str) -> tuple[bool, str]:
    """Remove emphasis marks; True when the whole text was bold (``**…**``)."""
    text = _ESCAPE_RE.sub(r"\1", text.strip())
    lines = [line.strip() for line in text.split("\n")]
    wraps = [_unwrap(line) for line in lines if line]
    bold = bool(wraps) and all(strong for strong, _ in wraps)
    text = "\n".join(_unwrap(line)[1] if line else "" for line in lines)
    whole = _unwrap(text)
    if whole[1] != text:
        bold = bold or whole[0]
        text = whole[1]
    text = _INNER_EMPH_RE.sub(r"\2", text)
    text = _INNER_STAR_RE.sub(r"\1", text)
    return bold, text


def _unwrap(text: str) -> tuple[bool, str]:
    """``**x**`` → (True, "x"), ``*x*`` → (False, "x"); the marks must not recur inside."""
    m = _WRAP_RE.match(text)
    if m is None or m.group(1) in m.group(2):
        return False, text
    return len(m.group(1)) >= 2, m.group(2)


def _cell(raw: str, md: str | None = None) -> Cell:
    bold, text = _strip_tags(raw)
    md_bold = False
    if md is not None:
        md_bold, _ = _strip_markdown(md.strip())
    text = "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
    return Cell(text.strip(), bold=bold or md_bold)


def _read_csv(lines: list[str], budget: Budget) -> list[Block]:
    sample = "\n".join(lines[:50])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    blocks: list[Block] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            blocks.append(Table(tuple(tuple(r) + (Cell(""),) * (width - len(r)) for r in rows)))
            rows.clear()

    try:
        records = list(csv.reader(lines, dialect))
    except csv.Error:
        records = [[line] for line in lines]
    for record in records:
        budget.tick()
        cells = [_cell(value) for value in record]
        filled = [c for c in cells if c.text]
        if len(filled) >= 2:
            rows.append(cells)
        elif filled:
            flush()
            blocks.append(Paragraph(filled[0].text, bold=filled[0].bold))
        else:
            flush()
    flush()
    return blocks
