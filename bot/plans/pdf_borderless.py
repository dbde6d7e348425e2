"""Tables drawn without ruling lines in a PDF's text layer, found from the words'
positions alone: which lines of a page form a table, its column edges, its rows, and
which words each cell holds. Pure geometry on words with boxes; :mod:`bot.plans.pdf`
gives it the lines no ruled table holds and turns what it finds into tables.

A Word table whose borders were removed (offices do, for a cleaner print) is exported
with its cells' text where the cells were and nothing else: pdfplumber's ``lines``
strategy sees no table, its ``text`` strategy cuts columns inside words. What is read
here instead, as a person reads such a page:

* **The header.** A line whose words fall into three runs or more, each apart from the
  next by at least a cell's padding (:data:`CELL_GAP` ems; words of one cell are a space
  apart), is a line of a header; the header's cells are the runs of the lines set close
  to it, above (a cell set in the middle of the header's height) and below, down to a
  line that starts with a row number.
* **The columns.** Each edge lies in the gap between two header cells, where the fewest
  words of the table's body cross it (none, but for a cell merged across columns). Text
  that only looks like columns (a typed page, tab stops) crosses the edges everywhere
  and is no table (:data:`_MAX_CROSSING`); a table needs :data:`MIN_ROWS` numbered rows.
* **The rows** open at each line with a word in the first column (the rows' numbers).
  A number set in the middle of its row (cells centred top to bottom) opens it at the
  blank band above, or, where a cell merged over rows fills that band, at the top of the
  cell of the column with most text around it, when the number lies halfway down.
* **The end.** A line across the first column's edge, or words in the first column
  alone that are no row number ("Nơi nhận"), is the text after the table, unless a row
  follows at once (a row merged across the table); so is a header whose cells do not fit
  the columns (the next table). The table's own header printed again is a row of it.
* **The cells.** A line's runs of words go to the columns they lie in; a run over several
  columns merges them for that row (a section heading written across the table).
* **Over pages.** A table that reaches the foot of its page goes on at the top of the
  next when the lines there fit its columns (its header repeated there is recognised).
  Lines above the first row number there are the end of the row the break cut only if
  they fit that row's cells (:attr:`Piece.cut`); otherwise they are a row of their own.

A cell merged down over rows shows its text in one of them and the others read empty:
nothing on the page tells them from cells left empty. The parser fills an empty lead
cell from the task above, flagged to check, where the merged text sits at the top of its
rows (Word's default); where the cells are centred top to bottom (:attr:`Piece.centred`)
the text sits in a middle row and the rows above it belong to it, so nothing is filled.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

CELL_GAP = 0.8  # ems: words further apart than this on a line are in different cells
MIN_COLUMNS = 3
MIN_ROWS = 2  # numbered rows below the header
_HEADER_LINES = 6  # a header cell wraps onto at most this many lines
_HEADER_PITCH = 1.6  # ems from a header line to the next: further, the body begins
_LOOKAHEAD = 4  # lines a row merged across the table may take before the next row
_MAX_CROSSING = 0.25  # share of a table's lines that may run across a column edge
_ROW_GAP = 1.4  # a gap this many line pitches tall between lines of a row starts one
_NUMBER = re.compile(r"^(?:\d+|[IVXLC]+|[A-Za-z])(?:[.)]\d*)*[.)]?$")


class Word(Protocol):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


class Line(Protocol):
    words: list  # list[Word], left to right

    @property
    def top(self) -> float: ...

    @property
    def bottom(self) -> float: ...


@dataclass(frozen=True)
class Layout:
    """A borderless table's columns: their edges left to right, and its header's lines."""

    edges: tuple[float, ...]
    header: tuple[str, ...]

    def column(self, x: float) -> int:
        for k in range(1, len(self.edges) - 1):
            if x < self.edges[k]:
                return k - 1
        return len(self.edges) - 2

    @property
    def width(self) -> int:
        return len(self.edges) - 1


@dataclass
class CellWords:
    """A cell of a row: the columns it covers and its words, line by line."""

    first: int
    last: int
    lines: list[list[Word]] = field(default_factory=list)


@dataclass
class Piece:
    """A table's part on one page: the page's lines ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    layout: Layout
    rows: list[list[CellWords]]
    # On a page the table goes on to: whether the lines above the first row number are
    # the end of the row the page break cut (None: no such lines, or not a continuation).
    cut: bool | None = None
    body: int = 0  # the first line after its header (``start`` when none is printed here)
    continued: bool = False  # the table of the page before, going on
    centred: bool = False  # a row's number set in the middle of the row: cells centred

    @property
    def headed(self) -> bool:
        """Whether its first row is the table's header, printed on this page."""
        return self.body > self.start


def _runs(words: Sequence[Word], gap: float = CELL_GAP) -> list[list[Word]]:
    """A line's words in runs, cut where two words are further apart than ``gap`` ems."""
    out: list[list[Word]] = []
    for word in words:
        if out and word.x0 - out[-1][-1].x1 <= gap * max(word.size, out[-1][-1].size):
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _text(line: Line) -> str:
    return " ".join(w.text for w in line.words)


def _spans(lines: Sequence[Line]) -> list[tuple[float, float]]:
    """The x extents of the lines' runs of words, overlapping ones merged."""
    spans = sorted((run[0].x0, run[-1].x1) for line in lines for run in _runs(line.words))
    out: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if out and x0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _crosses(word: Word, x: float) -> bool:
    return word.x0 < x - 0.5 and word.x1 > x + 0.5


def _edge(low: float, high: float, words: Sequence[Word]) -> float:
    """The column edge between two header cells ending at ``low`` and starting at
    ``high``: the middle of the widest stretch that the fewest body words cross."""
    steps = max(int((high - low) * 2), 1)
    xs = [low + (high - low) * (i + 0.5) / steps for i in range(steps)]
    counts = [sum(_crosses(w, x) for w in words) for x in xs]
    least = min(counts)
    best: tuple[int, int] = (0, 0)  # (length, start) of the longest run at the minimum
    i = 0
    while i < steps:
        if counts[i] != least:
            i += 1
            continue
        j = i
        while j < steps and counts[j] == least:
            j += 1
        best = max(best, (j - i, i))
        i = j
    length, start = best
    return (xs[start] + xs[start + length - 1]) / 2


def _first_word_is_number(line: Line, edge: float) -> bool:
    first = line.words[0]
    return (first.x0 + first.x1) / 2 < edge and bool(_NUMBER.match(first.text))


def _in_first(line: Line, edge: float) -> bool:
    first = line.words[0]
    return (first.x0 + first.x1) / 2 < edge and not _crosses(first, edge)


def _foreign(line: Line, layout: Layout) -> bool:
    """A line that is no part of the table's grid: a word crosses the first column's
    edge, or lies outside the table."""
    left, right = layout.edges[0], layout.edges[-1]
    slack = 2 * line.words[0].size
    if line.words[0].x0 < left - slack or line.words[-1].x1 > right + slack:
        return True
    return any(_crosses(w, layout.edges[1]) for w in line.words)


def _row_line(line: Line, layout: Layout) -> bool:
    """A line that opens a row of the table: a word in the first column and words in
    another column, none crossing the first column's edge."""
    if _foreign(line, layout) or not _in_first(line, layout.edges[1]):
        return False
    return any(layout.column(w.x0) > 0 for w in line.words)


def _outside(line: Line, layout: Layout) -> bool:
    """A line that may be text after the table: :func:`_foreign`, or words in the first
    column alone that are no row number ("Nơi nhận: như trên.")."""
    if _foreign(line, layout):
        return True
    edge = layout.edges[1]
    alone = all((w.x0 + w.x1) / 2 < edge for w in line.words)
    return alone and not _first_word_is_number(line, edge)


def _other_header(line: Line, layout: Layout) -> bool:
    """Whether ``line`` opens the header of another table: three cells or more side by
    side (see :func:`_header`), some across this table's column edges."""
    runs = _runs(line.words)
    if len(runs) < MIN_COLUMNS:
        return False
    inner = layout.edges[1:-1]
    half = 0.5 * line.words[0].size  # well across: not a word that touches an edge
    return any(run[0].x0 < edge - half < edge + half < run[-1].x1 for run in runs for edge in inner)


def _header_again(lines: Sequence[Line], at: int, layout: Layout) -> int:
    """How many lines from ``lines[at]`` print the table's header again, word for word
    (0: it is not there)."""
    size = len(layout.header)
    printed = tuple(_text(line) for line in lines[at : at + size])
    return size if printed == layout.header else 0


def _table_end(lines: Sequence[Line], start: int, layout: Layout, *, rough: bool = False) -> int:
    """The index after the table's last line, scanning from ``start`` (``rough``: with
    edges only guessed from the header, a line across them is no other table's header)."""
    i = start
    while i < len(lines):
        again = _header_again(lines, i, layout)
        if again:
            i += again  # the header printed again
            continue
        if i > start and not rough and _other_header(lines[i], layout):
            return i  # the next table begins
        if not _outside(lines[i], layout):
            i += 1
            continue
        # A line across the first edge: a row merged across the table when a row of the
        # grid follows at once (its number, or its cells side by side), else the text
        # after the table.
        ahead = lines[i + 1 : i + 1 + _LOOKAHEAD]
        nxt = next((k for k, line in enumerate(ahead) if not _outside(line, layout)), None)
        if nxt is None or not (
            _row_line(ahead[nxt], layout)
            or len({layout.column((w.x0 + w.x1) / 2) for w in ahead[nxt].words} - {0}) > 1
        ):
            return i
        i += 1 + nxt
    return len(lines)


def _header(
    lines: Sequence[Line], at: int, floor: int = 0
) -> tuple[int, int, list[tuple[float, float]]] | None:
    """Whether ``lines[at]`` is a line of a table's header: (the index of the header's
    first line, not above ``floor``, the index after its last, the header cells' x
    extents). A header cell set in the middle of the header's height has lines above
    and below the first line with three cells."""
    runs = _runs(lines[at].words)
    if len(runs) < MIN_COLUMNS:
        return None
    first_edge = (runs[0][-1].x1 + runs[1][0].x0) / 2

    def close(upper: Line, lower: Line) -> bool:
        return lower.top - upper.top <= _HEADER_PITCH * upper.words[0].size

    end = at + 1
    while end < min(len(lines), at + _HEADER_LINES):
        if _first_word_is_number(lines[end], first_edge) or not close(lines[end - 1], lines[end]):
            break
        end += 1
    if end == at + _HEADER_LINES and end < len(lines) and close(lines[end - 1], lines[end]):
        return None  # no blank after it: a row of a table's body, not its header
    spans = _spans(lines[at:end])
    if len(spans) < MIN_COLUMNS:
        return None
    cuts = [span[0] - 1 for span in spans[1:]]  # where each header cell starts
    start = at
    while start > max(floor, at - _HEADER_LINES) and close(lines[start - 1], lines[start]):
        above = lines[start - 1]
        if _first_word_is_number(above, first_edge) or any(
            run[0].x0 < cut < run[-1].x1 for run in _runs(above.words) for cut in cuts
        ):
            break
        start -= 1
    return start, end, _spans(lines[start:end])


def _layout(
    lines: Sequence[Line], at: int, floor: int = 0
) -> tuple[Layout, int, int, int, int] | None:
    """The table whose header has ``lines[at]``: its layout, the indices of its header's
    first line, of its body's first line and after its last line, and how many rows it
    has; None when the lines below are no table's rows (fewer than :data:`MIN_ROWS`,
    unless the table reaches the foot of the page and may go on over the next)."""
    found = _header(lines, at, floor)
    if found is None:
        return None
    start, body_start, spans = found
    # Provisional edges in the middle of the header's gaps, to find the body.
    middles = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)]
    left = spans[0][0] - 1
    right = spans[-1][1] + 1
    header = tuple(_text(line) for line in lines[start:body_start])
    rough = Layout((left, *middles, right), header)
    end = _table_end(lines, body_start, rough, rough=True)
    if sum(_row_line(line, rough) for line in lines[body_start:end]) < 1:
        return None
    words = [w for line in lines[body_start:end] for w in line.words]
    edges = [_edge(a[1], b[0], words) for a, b in itertools.pairwise(spans)]
    left = min([left, *(w.x0 - 1 for w in words)])
    right = max([right, *(w.x1 + 1 for w in words)])
    layout = Layout((left, *edges, right), header)
    end = _table_end(lines, body_start, layout)
    rows = sum(_row_line(line, layout) for line in lines[body_start:end])
    if rows < (1 if end == len(lines) else MIN_ROWS):
        return None
    # Text in columns by chance (a form's tab stops, a typed page): its lines cross the
    # column edges everywhere; a table's only in its rows merged across columns.
    crossing = sum(
        any(_crosses(w, x) for w in line.words for x in edges) for line in lines[body_start:end]
    )
    if crossing > _MAX_CROSSING * (end - body_start):
        return None
    return layout, start, body_start, end, rows


def _pitch(lines: Sequence[Line], layout: Layout) -> float:
    """The distance from a line of a cell to the next in the same column: the usual one
    under two ems (a wider one is a gap between rows or paragraphs), else that of single
    spacing. Taken column by column: cells set in the middle of their rows put their
    lines between those of the column beside them."""
    size = lines[0].words[0].size if lines else 0.0
    tops: dict[int, list[float]] = {}
    for line in lines:
        for column in {layout.column((w.x0 + w.x1) / 2) for w in line.words}:
            tops.setdefault(column, []).append(line.top)
    steps = [
        b - a
        for column_tops in tops.values()
        for a, b in itertools.pairwise(column_tops)
        if 0 < b - a < 2 * size
    ]
    return statistics.median(steps) if steps else 1.3 * size


def _gap_above(lines: Sequence[Line], i: int, pitch: float) -> bool:
    return i == 0 or lines[i].top - lines[i - 1].top > _ROW_GAP * pitch


def _row_top(lines: Sequence[Line], i: int, low: int, fresh: bool, pitch: float) -> int:
    """Where the row whose number is on ``lines[i]`` begins: there, or, for a number set
    in the middle of its row (cells centred top to bottom), at the gap above it when the
    number lies halfway between that gap and the next one. The row begins at ``low`` at
    the earliest, where a row begins anyway when ``fresh`` (the top of the table's body,
    the line after its header)."""
    top = i
    while top > low and not _gap_above(lines, top, pitch):
        top -= 1
    if top == i or not (_gap_above(lines, top, pitch) or fresh):
        return i
    bottom = i
    while bottom + 1 < len(lines) and not _gap_above(lines, bottom + 1, pitch):
        bottom += 1
    return top if _halfway(lines[i], lines[top].top, lines[bottom].bottom, pitch) else i


def _halfway(line: Line, top: float, bottom: float, pitch: float) -> bool:
    return abs((line.top + line.bottom) / 2 - (top + bottom) / 2) <= pitch


def _block_top(
    lines: Sequence[Line], i: int, low: int, pitch: float, layout: Layout, column: int
) -> int:
    """Where the row whose number is on ``lines[i]`` begins, told by one column alone:
    the first line of that column's block of lines (a cell) around the number, when the
    number lies halfway down it. For rows that no blank band parts: a cell merged down
    over several rows, set in their middle, fills the gap between them."""
    mine = [
        k
        for k in range(low, len(lines))
        if any(layout.column((w.x0 + w.x1) / 2) == column for w in lines[k].words)
    ]
    blocks: list[list[int]] = []
    for k in mine:
        if blocks and lines[k].top - lines[blocks[-1][-1]].top <= _ROW_GAP * pitch:
            blocks[-1].append(k)
        else:
            blocks.append([k])
    middle = (lines[i].top + lines[i].bottom) / 2
    for block in blocks:
        first, last = lines[block[0]], lines[block[-1]]
        inside = first.top <= middle <= last.bottom and block[0] < i
        if inside and _halfway(lines[i], first.top, last.bottom, pitch):
            return block[0]
    return i


def _row_starts(lines: Sequence[Line], layout: Layout) -> tuple[list[int], bool]:
    """Where the rows open among ``lines`` (a table's body on one page), and whether a
    row's number was set in the middle of its row (its cells' text centred top to
    bottom, a merged cell's too)."""
    edge = layout.edges[1]
    pitch = _pitch(lines, layout)
    starts: list[int] = []
    low, fresh = 0, True  # where the next row may begin; whether a row begins there
    centred = False
    counts = Counter(layout.column((w.x0 + w.x1) / 2) for line in lines for w in line.words)
    main = max(range(1, layout.width), key=lambda c: counts[c])  # the column of most text
    i = 0
    while i < len(lines):
        line = lines[i]
        again = _header_again(lines, i, layout)
        if again:
            if fresh and low < i:
                starts.append(low)
            starts.append(i)  # the header again (a page of the table, a second part)
            low, fresh = i + again, True
            i += again
            continue
        previous = None if i == 0 or (fresh and i == low) else lines[i - 1]
        opens = (_foreign(line, layout) or _in_first(line, edge)) and not (
            previous is not None
            and _foreign(previous, layout)
            and line.top - previous.top <= 1.2 * pitch
            and not _first_word_is_number(line, edge)
        )  # not the wrapped line of a row merged across the table
        if opens:
            start = _row_top(lines, i, low, fresh, pitch)
            if start == i:
                start = _block_top(lines, i, low, pitch, layout, main)
            centred |= start != i
            if fresh and low < start:
                starts.append(low)  # lines before it: a row without a number
            starts.append(start)
            low, fresh = start + 1, False
        i += 1
    if fresh and low < len(lines):
        starts.append(low)
    return starts, centred


def _cells(lines: Sequence[Line], layout: Layout) -> list[CellWords]:
    """One row's cells: its lines' runs of words in the columns they lie in, the columns
    a run covers merged into one cell."""
    head = list(range(layout.width))  # each column's cell, by the cell's first column
    runs = [_runs(line.words) for line in lines]
    for run in (run for line_runs in runs for run in line_runs):
        first = layout.column(run[0].x0 + 0.5)
        for c in range(first + 1, layout.column(run[-1].x1 - 0.5) + 1):
            head[c] = head[first]
    for c in range(1, layout.width):  # a merge that reaches into another one
        head[c] = head[head[c]]
    cells: dict[int, CellWords] = {}
    for c in range(layout.width):
        cells.setdefault(head[c], CellWords(head[c], c)).last = c
    for line_runs in runs:
        words: dict[int, list[Word]] = {}
        for run in line_runs:
            words.setdefault(head[layout.column(run[0].x0 + 0.5)], []).extend(run)
        for first, found in words.items():
            cells[first].lines.append(found)
    return [cells[first] for first in sorted(cells)]


def _piece(lines: Sequence[Line], start: int, body: int, end: int, layout: Layout) -> Piece:
    rows: list[list[CellWords]] = []
    if body > start:  # the header's lines: one row
        rows.append(_cells(lines[start:body], layout))
    part = lines[body:end]
    starts, centred = _row_starts(part, layout)
    if not starts or starts[0] > 0:
        starts = [0, *starts]  # lines before the first number: the row a page break cut
    for a, b in zip(starts, [*starts[1:], len(part)], strict=True):
        rows.append(_cells(part[a:b], layout))
    return Piece(start, end, layout, rows, body=body, centred=centred)


def _same_row(before: list[CellWords], after: list[CellWords]) -> bool:
    """Whether ``after`` (the lines at the top of a page, before a row number) can be the
    rest of ``before`` (the last row of the page before): its cells with text are cells
    of that row, not columns that row had merged."""
    cells = {(cell.first, cell.last) for cell in before}
    return all((cell.first, cell.last) in cells for cell in after if cell.lines)


def _going_on(lines: Sequence[Line], carry: Piece) -> tuple[Piece, int] | None:
    """The table ``carry`` (at the foot of the page before) going on at the top of
    ``lines``, and how many rows open there; None when the page starts otherwise."""
    layout = carry.layout
    body = _header_again(lines, 0, layout)
    repeated = body > 0
    if body >= len(lines) or _outside(lines[body], layout):
        return None
    end = _table_end(lines, body, layout)
    piece = _piece(lines, 0, body, end, layout)
    piece.continued = True
    rows = piece.rows[1:] if repeated else piece.rows
    if rows and not rows[0][0].lines:  # no number: maybe the row the break cut
        piece.cut = _same_row(carry.rows[-1], rows[0])
    return piece, sum(_row_line(line, layout) for line in lines[body:end])


def find_tables(
    pages: Sequence[Sequence[Line]], *, goes_on: Sequence[bool] | None = None
) -> list[list[Piece]]:
    """The borderless tables on each page's lines (runs of lines outside ruled tables, in
    reading order). ``goes_on[p]``: whether page ``p``'s lines start the page, so that a
    table ending page ``p - 1`` may go on in them. A table is kept when it has
    :data:`MIN_ROWS` rows at least, over all its pages."""
    out: list[list[Piece]] = []
    going: list[tuple[int, Piece]] = []  # the parts of the table at the foot of the page
    rows = 0  # and how many rows they hold

    def ended() -> bool:
        """The table at the foot of the page ended; False when it had too few rows to be
        a table and its parts were taken back."""
        short = bool(going) and rows < MIN_ROWS
        if short:
            for page, piece in going:
                out[page].remove(piece)
        going.clear()
        return not short

    for p, lines in enumerate(pages):
        out.append([])
        i = 0
        if going:
            top = lines and (goes_on is None or goes_on[p])
            found = _going_on(lines, going[-1][1]) if top else None
            if found is not None:
                piece, count = found
                out[p].append(piece)
                going.append((p, piece))
                rows += count
                i = piece.end
            if (found is None or i < len(lines)) and not ended():
                i = 0  # its part on this page was taken back: read the page afresh
        floor = i
        while i < len(lines):
            layout_found = _layout(lines, i, floor)
            if layout_found is None:
                i += 1
                continue
            layout, start, body, end, count = layout_found
            piece = _piece(lines, start, body, end, layout)
            out[p].append(piece)
            if end == len(lines):
                going[:] = [(p, piece)]
                rows = count
            i = floor = end
    ended()
    return out
