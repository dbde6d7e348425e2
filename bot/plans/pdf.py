"""Read a PDF plan's text layer into a :class:`~bot.plans.model.Document`.

A plan exported from Word (and often signed digitally) keeps its text as positioned
glyphs, and its tables as ruling lines around them. pdfplumber (MIT) gives both: the
words with their boxes and fonts, and the tables found from the ruling lines, each cell a
box (a merged cell is one box over several grid columns or rows). PyMuPDF would read
faster, but it is AGPL-licensed, and pdfplumber's table finder is the one built on the
ruling lines.

What this module rebuilds on top of that:

* **Words.** Glyphs are joined into words by pdfplumber with a gap tolerance relative to
  the font size (``x_tolerance_ratio``), so that a PDF which draws no space characters
  (Word's export often does not) still has its words apart ("chỉ đạo", not "chỉđạo").
  Lines are the words sharing a baseline, in reading order.
* **Paragraphs.** Lines outside the tables are joined into paragraphs: a line that ends
  short of the right margin (the next line's first word would have fit after it), a
  larger gap than the page's line pitch, or an indented line starts a new paragraph.
  A paragraph cut by a page break is joined back.
* **Page headers and footers.** Lines in the top or bottom margin that are a page number
  ("3", "- 3 -", "Trang 3", "3/14") or that repeat at the same place on several pages
  are dropped.
* **Tables** on the grid, as :mod:`bot.plans.docx` gives them: a cell merged across
  columns keeps its text in its first column and the columns it covers are empty spanned
  cells; a cell merged down repeats its text, spanned, in the rows below. A cell's
  wrapped lines are joined with spaces; a line that ends short (a line break or a new
  paragraph in the cell) with a newline.
* **A table continued on the next page** (it ends one page and the same columns open the
  next) is joined into one table: its repeated header rows are dropped, the first row of
  the new page whose number cell is empty is the row cut by the page break and its text
  is joined to that row, and a cell merged down across the break goes on with its text.

Bounded like the other readers: more than ``MAX_PDF_PAGES`` pages is refused before a
page is read (``too_many_pages``), so are compressed streams that unpack to more than
``MAX_UNPACKED_BYTES`` (``unpacked_too_large``, measured with a bounded inflate), and
each page counts its rows, cells, characters and time on the
:class:`~bot.plans.files.Budget`.

Failures are :class:`~bot.plans.files.PlanFileError`: ``encrypted`` (a password is needed
to open it), ``corrupt_pdf`` (pdfminer cannot parse it), ``scanned_pdf`` (pages that are
pictures without a text layer, or whose text is glyphs without Unicode: OCR's job, not
this module's) and ``empty``.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream
from pdfplumber.utils.exceptions import PdfminerException

from bot.plans.files import (
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    MAX_UNPACKED_BYTES,
    Budget,
    PlanFileError,
)
from bot.plans.model import Cell, Document, Paragraph, Table
from bot.plans.pdf_borderless import Piece, find_tables

# Glyphs further apart than this fraction of their size are different words. A space in
# the fonts offices use is 0.25 of the size; letters of a word touch (or overlap, for
# Vietnamese marks drawn as glyphs of their own).
_WORD_GAP = 0.15
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_EDGE = 2.0  # points: grid lines closer than this are one line
_MARGIN = 0.1  # the top and bottom tenth of a page hold its header and footer
_PAGE_NUMBER = re.compile(
    r"^(?:(?:trang|page)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of|trên)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_MARKER = re.compile(r"^(?:[-–+•*▪●◦]|\(?\d{1,3}[.)]|\(?[a-zđ][.)]|[IVXLC]{1,6}[.)])\s")
_DASH = re.compile(r"^[-–+•▪●◦]\s")  # an item of a list in a cell
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_WORDISH = re.compile(r"\w")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    words: list[_Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        words = [w.bold for w in self.words if _WORDISH.search(w.text)]
        return bool(words) and all(words)


def _lines(words: list[_Word]) -> list[_Line]:
    """Words into lines (sharing a baseline), top to bottom, each left to right."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        line = lines[-1] if lines else None
        if line is not None and abs(word.bottom - line.words[-1].bottom) <= 0.4 * word.size:
            line.words.append(word)
        else:
            lines.append(_Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda line: line.top)
    return lines


def _top(block: _Line | _Grid) -> float:
    return block.top if isinstance(block, _Line) else block.bbox[1]


def _centred(line: _Line, left: float, right: float) -> bool:
    """Whether the line is set in the middle between ``left`` and ``right``."""
    return abs((line.x0 - left) - (right - line.x1)) < 0.05 * (right - left) and line.x0 > left + 4


def _hard_break(line: _Line, following: _Line, left: float, right: float) -> bool:
    """Whether ``following`` starts a new paragraph (or line) rather than wrapping
    ``line``: its first word (or the part of it up to a hyphen) would have fit at the
    end of ``line``."""
    # Room left on the line: at its end, or on both sides of a centred line.
    room = (right - left) - (line.x1 - line.x0) if _centred(line, left, right) else right - line.x1
    first = following.words[0]
    piece = re.match(r"[^-]*-?", first.text).group()  # type: ignore[union-attr]
    needed = (first.x1 - first.x0) * len(piece) / max(len(first.text), 1)
    if not _glued(line.words[-1].text, first.text):
        needed += 0.25 * first.size  # the space between them
    return needed < room - 1


def _glued(last: str, first: str) -> bool:
    """A line ending where a word may break without a space: after a hyphen inside a
    word ("181/KH-" / "UBND") or a slash inside a number ("107/2021/" / "NĐ-CP")."""
    if len(last) < 2 or not first[:1].isalnum():
        return False
    if last[-1] == "-":
        return True
    return last[-1] == "/" and "/" in last[:-1] and any(c.isdigit() for c in last)


def _separator(line: _Line, following: _Line, right: float) -> str:
    """What joins two lines of a paragraph the layout wrapped: a space, or nothing when
    the break fell inside a word (:func:`_glued`), or in a word longer than the line,
    which fills it alone up to the last character that fitted ("HĐND&U" / "BND",
    "07/12/202" / "1"; not "25/9/2015" / "của")."""
    last = line.words[-1].text
    first = following.words[0]
    if _glued(last, first.text):
        return ""
    char = (first.x1 - first.x0) / max(len(first.text), 1)
    if len(line.words) == 1 and right - line.x1 < char and _inside_word(last, first.text):
        return ""
    return " "


def _inside_word(last: str, first: str) -> bool:
    """Whether a word cut at the end of a line filled by it goes on with ``first``: not
    when a lower-case word follows a number or capitals, nor after a short lower-case
    one (a Vietnamese syllable is at most 7 letters)."""
    a, b = last[-1], first[0]
    if b.islower():
        return a.islower() and len(last) > 7
    return a.isalnum() or a in "&_"


def _tail(lines: list[_Line], right: float) -> str:
    """How a cell's last line joins the first line of its row's part on the next page."""
    if not lines:
        return " "
    last = lines[-1]
    if len(last.words) == 1 and right - last.x1 < 0.6 * last.size:
        return ""  # filled to the edge: the word goes on (told apart on joining)
    if _glued(last.words[-1].text, "x"):
        return ""
    return " "


def _join_lines(lines: list[_Line], left: float, right: float) -> str:
    """A cell's lines: wrapped ones joined with a space, broken ones with a newline."""
    parts: list[str] = []
    for i, line in enumerate(lines):
        if i:
            previous = lines[i - 1]
            item = _DASH.match(line.text) and previous.text[-1:] in ".:"
            if item or _hard_break(previous, line, left, right):
                parts.append("\n")
            else:
                parts.append(_separator(previous, line, right))
        parts.append(line.text)
    return _nfc("".join(parts)).strip()


# --- tables ----------------------------------------------------------------------------


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


_BOXES = itertools.count()


@dataclass
class _Grid:
    """One table on one page, on its grid."""

    bbox: tuple[float, float, float, float]
    columns: list[float]  # the column edges
    rows: list[list[Cell]]
    # For each grid slot: the cell box that covers it (a key unique in the document).
    owner: list[list[int]] = field(default_factory=list)
    # For each cell box: what joins its text to its part on the next page ("" when its
    # last line was cut inside a word).
    tails: dict[int, str] = field(default_factory=dict)
    # Whether the first row without a number of a table going on from the page before is
    # the row the page break cut (None: decided by :func:`_continue_table`).
    cut: bool | None = None
    borderless: bool = False  # found from the words' positions, not from ruling lines
    continued: bool = False  # a borderless table's part found going on from the page before
    centred: bool = False  # a borderless table's cells set in the middle of their rows


def _grid(table, words: list[_Word]) -> _Grid | None:
    boxes = [box for box in table.cells if box[2] - box[0] > 1 and box[3] - box[1] > 1]
    if not boxes:
        return None
    columns = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    tops = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    width, height = len(columns) - 1, len(tops) - 1
    if width < 1 or height < 1:
        return None
    rows: list[list[Cell | None]] = [[None] * width for _ in range(height)]
    owner: list[list[int]] = [[-1] * width for _ in range(height)]
    inside: dict[int, list[_Word]] = {i: [] for i in range(len(boxes))}
    tails: dict[int, str] = {}
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(word)
                break
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1 = _index(columns, x0), _index(columns, x1)
        r0, r1 = _index(tops, top), _index(tops, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        lines = _lines(inside[i])
        left = min((line.x0 for line in lines), default=x0)
        pad = max(min(left - x0, 8.0), 0.0)
        text = _join_lines(lines, x0 + pad, x1 - pad)
        key = next(_BOXES)
        tails[key] = _tail(lines, x1 - pad)
        bold = bool(lines) and all(line.bold for line in lines)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if rows[r][c] is not None:
                    continue
                owner[r][c] = key
                if c == c0:
                    rows[r][c] = Cell(text, bold=bold, spanned=r > r0)
                else:
                    rows[r][c] = Cell("", spanned=True)
    grid_rows = [[cell or Cell("") for cell in row] for row in rows]
    return _Grid(bbox=table.bbox, columns=columns, rows=grid_rows, owner=owner, tails=tails)


def _texts(row: list[Cell]) -> list[str]:
    return [" ".join(cell.text.split()) for cell in row]


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 * _EDGE for x, y in zip(a, b, strict=True))


def _join_text(a: str, b: str, glue: str) -> str:
    """A cell's text and the text of its part on the next page: glued without a space
    only when the break fell inside a word."""
    if not (a and b):
        return a or b
    last = a.split()[-1]
    if glue == "" and not (_glued(last, b) or _inside_word(last, b)):
        glue = " "
    if _DASH.match(b) and a[-1] in ".:;":
        glue = "\n"  # the next item of a list in the cell
    return f"{a}{glue}{b}"


def _continue_table(previous: _Grid, following: _Grid) -> None:
    """Join ``following`` (the same table on the next page) to ``previous``."""
    rows, owner = following.rows, following.owner
    # The header rows repeated at the top of the page.
    skip = 0
    while (
        skip < min(3, len(rows) - 1, len(previous.rows))
        and any(_texts(rows[skip]))
        and _texts(rows[skip]) == _texts(previous.rows[skip])
    ):
        skip += 1
    rows, owner = rows[skip:], owner[skip:]
    if not rows:
        return
    previous.tails.update(following.tails)
    last, last_owner = previous.rows[-1], previous.owner[-1]
    first, first_owner = rows[0], owner[0]
    numbered = any(row[0].text.strip() for row in previous.rows)
    # A first row without a number is the row the break cut, unless its number cell is
    # merged down over further rows (a merged cell going on, handled below).
    merged_down = len(owner) > 1 and owner[1][0] == first_owner[0]
    cut = (
        numbered
        and not first[0].text.strip()
        and not merged_down
        and any(c.text.strip() for c in last)
        and following.cut is not False
    )
    for c, cell in enumerate(first):
        if cell.spanned:
            continue  # a column a cell to its left spans
        if cut:
            # The row cut by the page break: the text of its part on this page goes on
            # in the cell above, in every row that cell spans.
            text = _join_text(last[c].text, cell.text, previous.tails.get(last_owner[c], " "))
        elif (
            not cell.text
            and last[c].text
            and (last[c].spanned or (c > 0 and len(owner) > 1 and owner[1][c] == first_owner[c]))
        ):
            # An empty cell under a cell merged down to the bottom of the page, or (not
            # the number's) merged down itself over the rows below it (a merged cell's
            # text stands at its top: one that starts empty started on the page before):
            # the same merged cell going on.
            text = last[c].text
        else:
            continue
        box, start = last_owner[c], first_owner[c]
        for r in range(len(previous.rows) - 1, -1, -1):
            if previous.owner[r][c] != box:
                break
            old = previous.rows[r][c]
            previous.rows[r][c] = Cell(text, bold=old.bold, spanned=old.spanned)
        for r in range(len(rows)):
            if owner[r][c] != start:
                break
            rows[r][c] = Cell(text, bold=last[c].bold, spanned=True)
            owner[r][c] = box
    if cut:
        rows, owner = rows[1:], owner[1:]
    previous.rows.extend(rows)
    previous.owner.extend(owner)
    previous.centred |= following.centred


def _bounds_of(piece: Piece) -> tuple[list[float], list[float]]:
    """Each column's text edges in a borderless table's part: the leftmost start of the
    words of its own (unmerged) cells, and as its right edge the next column's start less
    the narrowest gap between two columns' text (a cell's padding on both sides), or its
    rightmost word's end if that is further; else its edges."""
    edges = piece.layout.edges
    lefts, rights = list(edges[:-1]), list(edges[1:])
    starts: dict[int, list[float]] = {}
    ends: dict[int, list[float]] = {}
    for row in piece.rows:
        for cell in row:
            if cell.first == cell.last:
                for words in cell.lines:
                    starts.setdefault(cell.first, []).append(words[0].x0)
                    ends.setdefault(cell.first, []).append(words[-1].x1)
    for c in starts:
        lefts[c], rights[c] = min(starts[c]), max(ends[c])
    gaps = [lefts[c + 1] - rights[c] for c in starts if c + 1 in starts]
    if gaps:
        padding = max(min(gaps), 0.0)
        for c in starts:
            if c + 1 in starts:
                rights[c] = max(rights[c], lefts[c + 1] - padding)
    return lefts, rights


def _borderless_grid(lines: list[_Line], piece: Piece) -> _Grid:
    """A borderless table's part on a page (:mod:`bot.plans.pdf_borderless`) on a grid,
    as a ruled one: a cell merged across columns keeps its text in its first."""
    layout = piece.layout
    lefts, rights = _bounds_of(piece)
    rows: list[list[Cell]] = []
    owner: list[list[int]] = []
    tails: dict[int, str] = {}
    for row in piece.rows:
        cells: list[Cell] = []
        keys: list[int] = []
        for cell in row:
            cell_lines = [_Line(list(words)) for words in cell.lines]  # type: ignore[arg-type]
            left, right = lefts[cell.first], rights[cell.last]
            key = next(_BOXES)
            tails[key] = _tail(cell_lines, right)
            bold = bool(cell_lines) and all(line.bold for line in cell_lines)
            cells.append(Cell(_join_lines(cell_lines, left, right), bold=bold))
            cells += [Cell("", spanned=True)] * (cell.last - cell.first)
            keys += [key] * (cell.last - cell.first + 1)
        rows.append(cells)
        owner.append(keys)
    part = lines[piece.start : piece.end]
    bbox = (layout.edges[0], part[0].top, layout.edges[-1], part[-1].bottom)
    return _Grid(
        bbox=bbox,
        columns=list(layout.edges),
        rows=rows,
        owner=owner,
        tails=tails,
        cut=piece.cut,
        borderless=True,
        continued=piece.continued,
        centred=piece.centred,
    )


def _find_borderless(pages: list[_Page]) -> None:
    """Replace the lines of each page that form a table without ruling lines by that
    table (:mod:`bot.plans.pdf_borderless`), a table going on over pages included."""
    runs: list[list[_Line]] = []
    at_top: list[bool] = []
    where: list[int] = []  # each run's page
    for index, page in enumerate(pages):
        for first, group in itertools.groupby(
            enumerate(page.blocks), key=lambda item: isinstance(item[1], _Line)
        ):
            items = list(group)
            if first:
                runs.append([block for _, block in items])  # type: ignore[misc]
                at_top.append(items[0][0] == 0)
                where.append(index)
    found = find_tables(runs, goes_on=at_top)
    for run, pieces, index in zip(runs, found, where, strict=True):
        if not pieces:
            continue
        page = pages[index]
        taken = {id(line) for piece in pieces for line in run[piece.start : piece.end]}
        grids = [_borderless_grid(run, piece) for piece in pieces]
        kept = [b for b in page.blocks if id(b) not in taken]
        page.blocks = sorted([*kept, *grids], key=_top)


# --- text side by side ------------------------------------------------------------------


@dataclass
class _Columns:
    """Lines set side by side without ruling lines (a letterhead, a signature block: a
    borderless table in the Word file): read as a one-row table, a cell a column."""

    cells: list[tuple[list[_Line], tuple[float, float]]]  # a column's lines, its bounds


def _bounds(lines: list[_Line], low: float, high: float) -> tuple[float, float]:
    """A column's left and right edges: between its gutters, and for centred lines
    (their middles in line, their starts not) as wide on each side of the middle as the
    nearer gutter allows."""
    middles = [(line.x0 + line.x1) / 2 for line in lines]
    middle = statistics.median(middles)
    starts = [line.x0 for line in lines]
    if (
        len(lines) > 1
        and max(starts) - min(starts) > 3
        and all(abs(m - middle) < 3 for m in middles)
    ):
        half = min(middle - low, high - middle)
        return middle - half, middle + half
    return low, high


_GUTTER = 2.5  # ems: a wider gap between two words on a line is two columns' text


def _segments(line: _Line) -> list[_Line]:
    """The line's runs of words, cut where a gap is wider than a gutter."""
    out = [_Line([line.words[0]])]
    for word in line.words[1:]:
        previous = out[-1].words[-1]
        if word.x0 - previous.x1 > _GUTTER * max(word.size, previous.size):
            out.append(_Line([word]))
        else:
            out[-1].words.append(word)
    return out


def _gaps(segments: list[_Line]) -> list[tuple[float, float]]:
    """The spans of x no segment covers, between segments."""
    spans = sorted((s.x0, s.x1) for s in segments)
    out: list[tuple[float, float]] = []
    end = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > end + 2:
            out.append((end, x0))
        end = max(end, x1)
    return out


def _gutters(segments: list[_Line]) -> list[float]:
    """The middles of the gaps between segments (one per gap)."""
    return [(a + b) / 2 for a, b in _gaps(segments)]


def _side_by_side(lines: list[_Line], left: float, right: float) -> list[_Line | _Columns]:
    """Runs of lines that hold text side by side (two or more columns with a gutter
    between them, on one line at least) as :class:`_Columns`; other lines as they are."""
    narrow = 0.6 * (right - left)
    out: list[_Line | _Columns] = []
    i = 0
    while i < len(lines):
        best: tuple[int, list[float]] | None = None
        segments: list[_Line] = []
        side_by_side = False
        for j in range(i, len(lines)):
            line = lines[j]
            if j > i and (
                # a gap wider than a blank line, or text of another size: what follows
                line.top - max(x.bottom for x in lines[i:j]) > 1.5 * line.size
                or abs(line.size - lines[i].size) > 1
            ):
                break
            parts = _segments(line)
            if any(p.x1 - p.x0 > narrow for p in parts):
                break
            gaps = _gaps(segments) if j > i else []
            if any(
                p.x0 < (a + b) / 2 < p.x1 or a < (p.x0 + p.x1) / 2 < b
                for p in parts
                for a, b in gaps
            ):
                # across the columns' gutter, or centred in it: "KẾ HOẠCH" centred under
                # a letterhead
                break
            segments.extend(parts)
            side_by_side |= len(parts) > 1
            gutters = _gutters(segments)
            if not gutters:
                break
            if side_by_side and j > i:
                best = (j, gutters)
        if best is None:
            out.append(lines[i])
            i += 1
            continue
        end, gutters = best
        cells: list[list[_Line]] = [[] for _ in range(len(gutters) + 1)]
        for line in lines[i : end + 1]:
            for part in _segments(line):
                middle = (part.x0 + part.x1) / 2
                cells[sum(1 for g in gutters if middle > g)].append(part)
        edges = [left, *gutters, right]
        out.append(
            _Columns([(c, _bounds(c, edges[k], edges[k + 1])) for k, c in enumerate(cells) if c])
        )
        i = end + 1
    return out


# --- pages -----------------------------------------------------------------------------


@dataclass
class _Page:
    number: int
    height: float
    blocks: list[_Line | _Grid]


def _words(page) -> list[_Word]:
    out: list[_Word] = []
    for word in page.extract_words(
        x_tolerance_ratio=_WORD_GAP, keep_blank_chars=False, use_text_flow=False, return_chars=True
    ):
        chars = word.get("chars") or []
        text = word["text"]
        if not text.strip():
            continue
        bold_chars = sum(1 for ch in chars if _BOLD.search(ch.get("fontname", "")))
        size = statistics.median(ch.get("size", 0) for ch in chars) if chars else 0
        out.append(
            _Word(
                text=text,
                x0=word["x0"],
                x1=word["x1"],
                top=word["top"],
                bottom=word["bottom"],
                size=size or (word["bottom"] - word["top"]),
                bold=bool(chars) and bold_chars * 2 > len(chars),
            )
        )
    return out


def _read_page(page, number: int, budget: Budget) -> tuple[_Page, bool]:
    """The page's lines and tables in reading order, and whether it holds a picture."""
    budget.tick()
    if len(page.chars) > MAX_TEXT_CHARS:
        raise PlanFileError("too_long", f"more than {MAX_TEXT_CHARS} characters", file_type="pdf")
    words = _words(page)
    grids: list[_Grid] = []
    rest = words
    for table in page.find_tables(_TABLE_SETTINGS):
        x0, top, x1, bottom = table.bbox
        within = [
            w
            for w in rest
            if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
        ]
        grid = _grid(table, within)
        if grid is None:
            continue
        grids.append(grid)
        ids = {id(w) for w in within}
        rest = [w for w in rest if id(w) not in ids]
    blocks: list[_Line | _Grid] = [*_lines(rest), *grids]
    blocks.sort(key=_top)
    return _Page(number, float(page.height), blocks), bool(page.images)


def _strip_margins(pages: list[_Page]) -> None:
    """Drop page numbers and the lines repeated in the top or bottom margin of pages."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.split()).lower())

    def in_margin(line: _Line, page: _Page) -> bool:
        return line.bottom < page.height * _MARGIN or line.top > page.height * (1 - _MARGIN)

    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        for block in page.blocks:
            if isinstance(block, _Line) and in_margin(block, page):
                seen[(key(block), round(block.top / 5))] += 1
    repeated = 3 if len(pages) > 3 else 2
    for page in pages:
        page.blocks = [
            b
            for b in page.blocks
            if not (
                isinstance(b, _Line)
                and in_margin(b, page)
                and (
                    _PAGE_NUMBER.match(" ".join(b.text.split()))
                    or seen[(key(b), round(b.top / 5))] >= repeated
                )
            )
        ]


def _pitch(lines: list[_Line]) -> float:
    """The usual distance from one line of a paragraph to the next, per point of size."""
    ratios = [
        round((b.top - a.top) / a.size, 1)
        for a, b in itertools.pairwise(lines)
        if a.size and abs(a.size - b.size) < 0.5 and b.top > a.top
    ]
    if not ratios:
        return 1.5
    common = Counter(ratios).most_common()
    # The smallest of the frequent distances: paragraph gaps are larger and rarer.
    top = common[0][1]
    return min(r for r, n in common if n * 3 >= top)


class _Builder:
    """Blocks of the document, in order, joining what page breaks cut."""

    def __init__(self, budget: Budget, left: float, right: float, pitch: float) -> None:
        self.budget = budget
        self.left = left
        self.right = right
        self.pitch = pitch
        self.blocks: list[list[_Line] | _Grid | _Columns] = []
        self.open_table: _Grid | None = None

    def page(self, page: _Page) -> None:
        arranged: list[_Line | _Grid | _Columns] = []
        run: list[_Line] = []
        for block in [*page.blocks, None]:
            if isinstance(block, _Line):
                run.append(block)
                continue
            arranged.extend(_side_by_side(run, self.left, self.right))
            run = []
            if block is not None:
                arranged.append(block)
        for i, block in enumerate(arranged):
            last = self.blocks[-1] if self.blocks else None
            if isinstance(block, _Columns):
                self.blocks.append(block)
            elif isinstance(block, _Grid):
                if (
                    i == 0
                    and self.open_table is not None
                    and (block.continued or _same_columns(self.open_table.columns, block.columns))
                ):
                    _continue_table(self.open_table, block)
                else:
                    self.blocks.append(block)
            elif isinstance(last, list) and self._goes_on(last[-1], block, first=i == 0):
                last.append(block)
            else:
                self.blocks.append([block])
        # A table that ends the page may go on at the top of the next.
        ends = arranged[-1] if arranged else None
        self.open_table = self.blocks[-1] if isinstance(ends, _Grid) else None  # type: ignore[assignment]

    def _goes_on(self, line: _Line, following: _Line, *, first: bool) -> bool:
        """Whether ``following`` continues the paragraph ``line`` ends."""
        if _MARKER.match(following.text) or abs(line.size - following.size) > 0.5:
            return False
        if line.bold != following.bold:
            return False
        if not first:
            if following.top - line.top > (self.pitch + 0.3) * line.size:
                return False
            indented = following.x0 > line.x0 + line.size and following.x0 > self.left + line.size
            centred = _centred(line, self.left, self.right) and _centred(
                following, self.left, self.right
            )
            if indented and not centred:
                return False  # an indented first line (a centred line wrapped is not one)
        elif line.x1 < self.right - 3 * line.size:
            return False  # the page's last line ended short: its paragraph ended there
        return not _hard_break(line, following, self.left, self.right)

    def result(self) -> list[Paragraph | Table]:
        out: list[Paragraph | Table] = []
        for block in self.blocks:
            if isinstance(block, _Grid):
                for row in block.rows:
                    self.budget.table_row([cell.text for cell in row])
                if block.rows:
                    # Without borders, a cell merged down is seen in one row only.
                    hides = block.borderless and not block.centred
                    out.append(Table(tuple(tuple(row) for row in block.rows), hides_merges=hides))
            elif isinstance(block, _Columns):
                row = tuple(
                    Cell(_join_lines(lines, *bounds), bold=all(line.bold for line in lines))
                    for lines, bounds in block.cells
                )
                self.budget.table_row([cell.text for cell in row])
                out.append(Table(rows=(row,)))
            else:
                parts = [block[0].text]
                for previous, line in itertools.pairwise(block):
                    parts += [_separator(previous, line, self.right), line.text]
                text = _nfc("".join(parts)).strip()
                self.budget.paragraph(text)
                if text:
                    bold = all(line.bold for line in block)
                    out.append(Paragraph(text=text, bold=bold))
        return out


def _check_unpacked(doc) -> None:
    """Refuse a PDF whose compressed streams unpack to more than MAX_UNPACKED_BYTES (a
    "flate bomb": pdfminer inflates a stream whole), measuring each with a bounded
    inflate before pdfminer reads a page."""
    total = 0
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                obj = doc.getobj(objid)
            except Exception:  # a broken object: pdfminer skips it too
                continue
            if not isinstance(obj, PDFStream):
                continue
            raw = obj.get_rawdata() or b""
            filters = obj.get_filters()
            if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
                total += len(raw)
            else:
                inflate = zlib.decompressobj()
                chunk = raw
                try:
                    while chunk and total <= MAX_UNPACKED_BYTES:
                        total += len(inflate.decompress(chunk, 1024 * 1024))
                        chunk = inflate.unconsumed_tail
                except zlib.error:  # encrypted or damaged: pdfminer decides
                    total += len(raw)
            if total > MAX_UNPACKED_BYTES:
                raise PlanFileError(
                    "unpacked_too_large",
                    f"its streams unpack to more than {MAX_UNPACKED_BYTES // 2**20} MB",
                    file_type="pdf",
                )


def _open(data: bytes):
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise PlanFileError(
                "encrypted", "the PDF needs a password to open", file_type="pdf"
            ) from exc
        detail = f"not a readable PDF ({cause})"
        raise PlanFileError("corrupt_pdf", detail, file_type="pdf") from exc
    except Exception as exc:  # pdfminer's parser on a damaged file
        raise PlanFileError(
            "corrupt_pdf", f"not a readable PDF ({type(exc).__name__}: {exc})", file_type="pdf"
        ) from exc


def read_pdf(data: bytes, name: str = "plan.pdf", budget: Budget | None = None) -> Document:
    """Read a PDF's text layer into a Document; raise PlanFileError when it cannot (a
    password, a damaged file, a scan without text, or more than the readers' limits)."""
    budget = budget or Budget()
    pdf = _open(data)
    try:
        try:
            count = len(pdf.pages)
        except PdfminerException as exc:
            raise PlanFileError("corrupt_pdf", f"no page tree ({exc})", file_type="pdf") from exc
        if count > MAX_PDF_PAGES:
            raise PlanFileError(
                "too_many_pages", f"{count} pages, more than {MAX_PDF_PAGES}", file_type="pdf"
            )
        _check_unpacked(pdf.doc)
        pages: list[_Page] = []
        pictures = 0
        try:
            for number, page in enumerate(pdf.pages, start=1):
                read, has_picture = _read_page(page, number, budget)
                pages.append(read)
                pictures += has_picture
                page.close()
        except PlanFileError:
            raise
        except Exception as exc:  # a damaged content stream, a broken font…
            raise PlanFileError(
                "corrupt_pdf", f"{type(exc).__name__}: {exc}", file_type="pdf"
            ) from exc
    finally:
        pdf.close()

    _strip_margins(pages)
    lines = [b for page in pages for b in page.blocks if isinstance(b, _Line)]
    texts = [line.text for line in lines] + [
        cell.text
        for page in pages
        for b in page.blocks
        if isinstance(b, _Grid)
        for row in b.rows
        for cell in row
        if not cell.spanned
    ]
    letters = sum(len(text.replace(" ", "")) for text in texts)
    if letters < 20 * max(count, 1) and pictures:
        raise PlanFileError(
            "scanned_pdf", "the PDF's pages are pictures without a text layer", file_type="pdf"
        )
    # Glyphs whose font says no Unicode text ("(cid:71)"): a text layer with no words in
    # it, which only OCR reads.
    unmapped = sum(text.count("(cid:") for text in texts)
    if unmapped * 8 > 0.3 * letters:  # each written as about 8 characters
        raise PlanFileError(
            "scanned_pdf", f"{unmapped} glyphs without Unicode text", file_type="pdf"
        )
    if not letters:
        raise PlanFileError("empty", "the PDF holds no text", file_type="pdf")

    left = min((line.x0 for line in lines), default=0.0)
    ends = sorted(line.x1 for line in lines)
    right = ends[int(0.95 * (len(ends) - 1))] if ends else 0.0
    _find_borderless(pages)
    builder = _Builder(budget, left, right, _pitch(lines))
    for page in pages:
        builder.page(page)
    borderless = sum(1 for b in builder.blocks if isinstance(b, _Grid) and b.borderless)
    return Document(
        name=name, kind="pdf", blocks=tuple(builder.result()), borderless_tables=borderless
    )
