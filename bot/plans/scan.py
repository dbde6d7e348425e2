"""A scanned page or a photo of a plan, as OCR read it, into a
:class:`~bot.plans.model.Document`: paragraphs and tables from the page's layout. Pure
computation on images held in memory and on Tesseract's TSV text: no I/O (running
Tesseract and rendering PDF pages is :mod:`bot.services.ocr`'s job).

The steps, for each page:

1. :func:`deskew`: the page's tilt (a scan fed askew, a photo taken at an angle) is the
   rotation that makes the rows of ink sharpest (the variance of the horizontal
   projection profile, searched coarse then fine); the page is turned back upright so that
   ruling lines are horizontal and vertical. :func:`unslant`: a photo taken at a slant
   (the page's far edge narrower) is squared up, the tables' outermost ruling lines, leaning
   by different slopes, mapped onto the rectangle they stand for.
2. :func:`find_rules`: a table's ruling lines are long straight runs of dark pixels
   (numpy: runs counted with cumulative sums, small gaps from blur and noise closed
   first). Horizontal lines give the row boundaries, vertical lines (within the row
   lines' reach: not a shadowed page edge beside the table) the column boundaries; each
   boundary is then looked for cell by cell, so a cell merged across columns (no
   vertical line inside it) or down rows (no horizontal line above it) is seen as
   merged. :func:`mark_ink` notes which cells hold ink. :func:`clean_page` binarises the
   page (a local threshold: noise and uneven light gone) and whitens the lines before
   OCR: Tesseract reads a table far better so (a cell's "1.1" was read "Nà)" on the
   grey, noisy page).
3. :func:`read_tsv`: Tesseract's TSV output as words with their boxes and confidences.
   Cells with ink that no sure word covers (Tesseract's layout drops a lone "2" in a
   wide cell as a speck, or a word of a cell: :func:`missed_cells`) and cells read as a
   bare number (:func:`numbered_cells`: a dot is easily lost, "2.1" read "21") are cut
   out and stacked on a strip (:func:`strip`), read again in one go, and their words
   put back where the second reading is surer (:func:`unstrip`,
   :func:`replace_cells`).
4. :func:`page_blocks`: every word inside a table's grid goes to the cell its centre
   falls in; a cell's words are rebuilt into lines by their positions (a line starting
   with a bullet or a number keeps its line break, a wrapped line is joined with a
   space, a word broken by a narrow column is joined back). Words outside the tables
   become paragraphs, one per Tesseract paragraph, in reading order from the top.

:func:`scan_document` joins the pages: a table that goes on over the next page (same
columns) is one table, its repeated header left out, and a row cut by the page break
(its first cell without ink) is joined to the row it continues, so that a cell merged
down across the break is read whole. A cell merged down repeats its text in each row
(``spanned`` below the first), one merged across keeps it in its first column, as
:mod:`bot.plans.docx` does. OCR gives no bold: the parser tells sections by their
numbers.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageFilter
from rapidfuzz import fuzz

from bot.language.normalize import fold, in_capitals
from bot.plans.model import Block, Cell, Document, Paragraph, Table

# -- tuning (fractions of the page, so that they hold at any resolution) -----------------
_MAX_SKEW = 5.0  # degrees searched either way
_DARK = 160  # grey level under which a pixel is ink (blur lightens thin lines)
_MIN_RULE = 0.06  # a ruling line is at least this share of the page's width/height
_RULE_PRESENT = 0.6  # share of a cell's edge that must be inked for a line to be there
_MIN_CELL = 0.008  # boundaries closer than this share of the page are one line


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    block: int = 0  # Tesseract's block and paragraph numbers
    paragraph: int = 0

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class Grid:
    """One table on a page: its boundaries and which cell edges are drawn.

    ``xs`` (n+1 for n columns) and ``ys`` (m+1 for m rows) are the boundaries;
    ``open_left[r][c]`` says cell (r, c) has no line on its left (merged with the cell
    before it), ``open_top[r][c]`` that it has no line above (merged with the cell
    above)."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    open_left: tuple[tuple[bool, ...], ...]
    open_top: tuple[tuple[bool, ...], ...]
    inked: frozenset[tuple[int, int]] = frozenset()  # cells with ink in them (mark_ink)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, word: Word) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= word.cx <= x1 and y0 <= word.cy <= y1


# -- deskew --------------------------------------------------------------------------


def _ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < _DARK


def _sharpness(image: Image.Image, angle: float) -> float:
    turned = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    profile = (np.asarray(turned) < _DARK).sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise as ``Image.rotate`` takes it) that puts
    the page's lines of text and ruling lines level."""
    small = image.convert("L")
    scale = 800 / max(small.size)
    if scale < 1:
        small = small.resize((round(small.width * scale), round(small.height * scale)))
    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.5), key=lambda a: _sharpness(small, a))
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return round(float(max(fine, key=lambda a: _sharpness(small, a))), 2)


def deskew(image: Image.Image) -> Image.Image:
    """The page in grey levels, turned upright."""
    grey = image.convert("L")
    angle = skew_angle(grey)
    if abs(angle) < 0.05:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


# -- a photo's slant ------------------------------------------------------------------

_SLANTS = np.linspace(-0.06, 0.06, 49)  # slopes of a ruling line searched (dx/dy, dy/dx)
_SLANT_SIZE = 900  # pixels: the page is looked at this large to find its border lines
_KEYSTONE = 0.006  # slopes of opposite borders further apart: a photo taken at a slant
_LINE_WIDTH = 0.008  # of the page: a ruling line seen this wide at most


def _border_lines(ink: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The outermost long lines across the page's columns (the tables' left and right
    borders), each as (position at mid-height, slope dx/dy): the ink of vertical strokes
    sheared at each slope in :data:`_SLANTS`, a line being the column that gathers most
    of it. None without two such lines."""
    height, width = ink.shape
    strokes = _runs(_close(ink, 1, 1), max(8, height // 60), 0)
    ys, xs = np.nonzero(strokes)
    if len(xs) == 0:
        return None
    # sheared about the strokes' middle height, not the page's: a table in the lower part
    # of a page, its lines sheared about a height they do not reach, gathered in a band of
    # columns as wide as the slopes tried, and was taken for a shadow
    pivot = float(np.median(ys))
    rows = []
    for slope in _SLANTS:
        sheared = np.round(xs - slope * (ys - pivot)).astype(np.int64)
        inside = (sheared >= 0) & (sheared < width)
        rows.append(np.bincount(sheared[inside], minlength=width))
    counts = np.stack(rows)
    best = counts.max(axis=0)
    strong = np.flatnonzero(best >= max(0.2 * height, 0.6 * best.max()))
    # a line is a few columns wide; a wider band is the page's shadowed edge or what lies
    # around the page, not one of its lines
    groups = np.split(strong, np.flatnonzero(np.diff(strong) > 1) + 1) if len(strong) else []
    lines = [int(g[best[g].argmax()]) for g in groups if g[-1] - g[0] < _LINE_WIDTH * width]
    if len(lines) < 2 or lines[-1] - lines[0] < 0.3 * width:
        return None
    (first, first_slope), (last, last_slope) = (
        _leaning(counts, lines[0]),
        _leaning(counts, lines[-1]),
    )
    # (each line's position at the page's middle height, as the callers take it)
    return (
        (first + first_slope * (height / 2 - pivot), first_slope),
        (last + last_slope * (height / 2 - pivot), last_slope),
    )


def _leaning(counts: np.ndarray, x: int) -> tuple[float, float]:
    """The line gathered at column ``x``: its position and its slope, the middle of the
    slopes that gather (nearly) all its ink (a line a few pixels thick gathers as much
    at neighbouring slopes: the first best would lean it by chance)."""
    column = counts[:, x]
    near = _SLANTS[column >= column.max() * 0.98]
    return float(x), float(near.mean())


def _corner(
    vertical: tuple[float, float], horizontal: tuple[float, float], width: int, height: int
) -> tuple[float, float]:
    """Where a line x = a + s(y - h/2) meets a line y = b + t(x - w/2)."""
    (a, s), (b, t) = vertical, horizontal
    y = (b + t * (a - s * height / 2 - width / 2)) / (1 - t * s)
    return a + s * (y - height / 2), y


def _homography(
    to: list[tuple[float, float]], source: list[tuple[float, float]]
) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE coefficients taking each point of ``to`` (the output) to the
    matching point of ``source``."""
    rows, values = [], []
    for (x, y), (u, v) in zip(to, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend([u, v])
    return tuple(float(c) for c in np.linalg.solve(np.array(rows), np.array(values)))


def unslant(image: Image.Image) -> Image.Image:
    """A photo taken at a slant squared up: when the tables' left and right borders (or
    top and bottom; both pairs found) lean differently (one edge of the page nearer the
    lens), the quadrilateral they enclose is mapped onto the rectangle it stands for, so
    that every ruling line is straight up or level again (a perspective maps lines to
    lines). A page whose borders are parallel (a scan, a photo taken square), or without
    both pairs, is returned as it is."""
    grey = image.convert("L")
    # the ink seen smaller, a block inked when any of its pixels is (a thin ruling line
    # averaged away by a resize was no line)
    block = max(1, -(-max(grey.size) // _SLANT_SIZE))
    full = np.asarray(grey) < _DARK
    rows_n, cols_n = full.shape[0] // block, full.shape[1] // block
    ink = full[: rows_n * block, : cols_n * block].reshape(rows_n, block, cols_n, block)
    ink = ink.any(axis=(1, 3))
    columns = _border_lines(ink)
    rows = _border_lines(ink.T)
    if columns is None or rows is None:
        return grey
    (left, right), (top, bottom) = columns, rows
    if abs(left[1] - right[1]) < _KEYSTONE and abs(top[1] - bottom[1]) < _KEYSTONE:
        return grey
    height, width = ink.shape
    quad = [
        _corner(v, h, width, height)
        for v, h in ((left, top), (right, top), (right, bottom), (left, bottom))
    ]
    quad = [(x * block, y * block) for x, y in quad]
    x0, x1 = (quad[0][0] + quad[3][0]) / 2, (quad[1][0] + quad[2][0]) / 2
    y0, y1 = (quad[0][1] + quad[1][1]) / 2, (quad[2][1] + quad[3][1]) / 2
    square = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return warped(grey, square, quad)


def warped(
    image: Image.Image, to: list[tuple[float, float]], source: list[tuple[float, float]]
) -> Image.Image:
    """``image`` in perspective: each point of ``source`` moved to the matching point of
    ``to`` (white where nothing maps)."""
    return image.transform(
        image.size,
        Image.Transform.PERSPECTIVE,
        _homography(to, source),
        resample=Image.Resampling.BICUBIC,
        fillcolor=255,
    )


# -- ruling lines --------------------------------------------------------------------


def _close(mask: np.ndarray, axis: int, gap: int) -> np.ndarray:
    """Fill gaps of up to ``gap`` pixels along ``axis`` (a dilation)."""
    out = mask.copy()
    for shift in range(1, gap + 1):
        out |= np.roll(mask, shift, axis=axis)
    return out


def _runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels that are part of a straight run of at least ``length`` inked pixels along
    ``axis``."""
    m = mask if axis == 1 else mask.T
    padded = np.pad(m.astype(np.int32), ((0, 0), (1, 0)))
    sums = np.cumsum(padded, axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # window [j, j+length) all ink
    starts = np.zeros_like(m, dtype=np.int32)
    starts[:, : full.shape[1]] = full
    # spread each full window over the pixels it covers
    # pixel i is covered by a window that starts in (i - length, i]
    cover = np.cumsum(np.pad(starts, ((0, 0), (length, 0))), axis=1)
    out = (cover[:, length:] - cover[:, :-length]) > 0
    return out if axis == 1 else out.T


def _positions(profile: np.ndarray, minimum: float, merge: int) -> list[int]:
    """Centres of the stretches of ``profile`` at or above ``minimum``, stretches closer
    than ``merge`` taken as one."""
    hits = np.flatnonzero(profile >= minimum)
    groups: list[list[int]] = []
    for index in hits.tolist():
        if groups and index - groups[-1][-1] <= merge:
            groups[-1].append(index)
        else:
            groups.append([index])
    return [round(sum(g) / len(g)) for g in groups]


def _vertical_rule(height: int) -> int:
    """The least length (pixels) of a vertical ruling line on a page this high."""
    return max(20, round(_MIN_RULE * height / 2))


def _line_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    height, width = ink.shape
    horizontal = _runs(_close(ink, 1, 2), max(20, round(_MIN_RULE * width)), 1)
    vertical = _runs(_close(ink, 0, 2), _vertical_rule(height), 0)
    return horizontal, vertical


def find_rules(image: Image.Image) -> list[Grid]:
    """The ruled tables of an upright page, top to bottom."""
    ink = _ink(image)
    width = ink.shape[1]
    horizontal, vertical = _line_masks(ink)
    merge = max(3, round(_MIN_CELL * width))
    # A row boundary: a horizontal line at least a narrow column wide.
    rows = _positions(horizontal.sum(axis=1), max(20, 0.04 * width), merge)
    grids: list[Grid] = []
    if len(rows) < 2:
        return grids
    # Tables are runs of row boundaries joined by vertical lines.
    table_rows: list[list[int]] = [[rows[0]]]
    for y in rows[1:]:
        previous = table_rows[-1][-1]
        band = vertical[previous + 2 : max(previous + 3, y - 1)]
        if band.size and band.all(axis=0).any():
            table_rows[-1].append(y)
        else:
            table_rows.append([y])
    for ys in table_rows:
        if len(ys) < 2:
            continue
        top, bottom = ys[0], ys[-1]
        columns = vertical[top:bottom].sum(axis=0)
        lowest = min(b - a for a, b in itertools.pairwise(ys))
        xs = _positions(columns, max(10, 0.5 * lowest), merge)
        # a column line lies within the table's row lines: a dark band beside the table
        # (a photo's shadowed page edge) is none
        ruled = np.flatnonzero(horizontal[max(0, top - 2) : top + 3].any(axis=0))
        if len(ruled):
            xs = [x for x in xs if ruled[0] - merge <= x <= ruled[-1] + merge]
        if len(xs) < 3:  # fewer than two columns: a box, not a table
            continue
        grids.append(_grid(horizontal, vertical, tuple(xs), tuple(ys), ink))
    return grids


def _present(mask: np.ndarray, fixed: int, start: int, end: int, axis: int, slack: int) -> bool:
    """Whether a line runs along ``axis`` at ``fixed`` from ``start`` to ``end`` (its
    middle part, where cells meet no other lines)."""
    margin = (end - start) // 5
    a, b = start + margin, end - margin
    if b <= a:
        return True
    lo, hi = max(0, fixed - slack), fixed + slack + 1
    strip = mask[lo:hi, a:b] if axis == 1 else mask[a:b, lo:hi].T
    return bool(strip.any(axis=0).mean() >= _RULE_PRESENT)


def _spans(ink: np.ndarray, x: int, top: int, bottom: int, slack: int) -> bool:
    """Whether ink runs at ``x`` (give or take ``slack``) down the whole height between
    two row boundaries: the column line of a row too short for its lines to count as
    ruling lines (a row of one line of text, cut at a page break). Letters never run
    from one rule to the next: rows have padding above and below their text."""
    a, b = top + 3, bottom - 2
    if b - a < 8:
        return False
    strip = ink[a:b, max(0, x - slack) : x + slack + 1]
    return bool(strip.any(axis=1).mean() >= 0.95)


def _grid(
    horizontal: np.ndarray,
    vertical: np.ndarray,
    xs: tuple[int, ...],
    ys: tuple[int, ...],
    ink: np.ndarray | None = None,
) -> Grid:
    slack = 4
    short = _vertical_rule(vertical.shape[0])

    def line_left(r: int, c: int) -> bool:
        if _present(vertical, xs[c], ys[r], ys[r + 1], 0, slack):
            return True
        return (
            ink is not None
            and ys[r + 1] - ys[r] < 1.5 * short
            and _spans(ink, xs[c], ys[r], ys[r + 1], slack)
        )

    open_left = tuple(
        tuple(c > 0 and not line_left(r, c) for c in range(len(xs) - 1)) for r in range(len(ys) - 1)
    )
    open_top = tuple(
        tuple(
            r > 0 and not _present(horizontal, ys[r], xs[c], xs[c + 1], 1, slack)
            for c in range(len(xs) - 1)
        )
        for r in range(len(ys) - 1)
    )
    return Grid(xs, ys, open_left, open_top)


def binarize(image: Image.Image) -> np.ndarray:
    """Ink as a boolean array: darker than its neighbourhood (a local mean, so that the
    uneven light of a photo does not hide text) and dark enough."""
    grey = image.convert("L")
    radius = max(8, round(max(grey.size) / 80))
    background = np.asarray(grey.filter(ImageFilter.BoxBlur(radius)), dtype=np.int16)
    pixels = np.asarray(grey.filter(ImageFilter.MedianFilter(3)), dtype=np.int16)
    return (pixels < background - 30) | (pixels < 90)


def clean_page(image: Image.Image) -> Image.Image:
    """The page as Tesseract reads it best: black ink on white (noise and uneven light
    gone) with the ruling lines whitened."""
    ink = binarize(image)
    horizontal, vertical = _line_masks(_ink(image))
    lines = horizontal | vertical
    for _ in range(3):  # a blurred line is wider than its dark core
        lines = _close(_close(lines, 0, 1), 1, 1)
        lines |= np.roll(lines, -1, axis=0) | np.roll(lines, -1, axis=1)
    ink &= ~lines
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


# -- a second look at cells Tesseract passed over -------------------------------------

_GAP = 40  # white pixels around each cell put on the strip
_UNSURE = 60  # words read with less confidence are taken as not read
_UNREAD_INK = 120  # pixels of ink no sure word covers (about a letter): the cell is read again


def _cell_box(grid: Grid, r: int, c: int) -> tuple[int, int, int, int]:
    return grid.xs[c] + 4, grid.ys[r] + 4, grid.xs[c + 1] - 4, grid.ys[r + 1] - 4


def _has_ink(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return False
    return bool(ink[box[1] : box[3], box[0] : box[2]].sum() >= 40)


def mark_ink(grids: Sequence[Grid], page: Image.Image) -> list[Grid]:
    """The grids with the cells that hold ink on the cleaned ``page`` marked: a cell
    OCR read nothing in is still known not to be empty (a row whose number was not read
    is not taken for a row cut by the page break)."""
    ink = np.asarray(page.convert("L")) < 128
    return [
        replace(
            grid,
            inked=frozenset(
                (r, c)
                for r in range(len(grid.ys) - 1)
                for c in range(len(grid.xs) - 1)
                if _has_ink(ink, _cell_box(grid, r, c))
            ),
        )
        for grid in grids
    ]


def missed_cells(
    page: Image.Image, grids: Sequence[Grid], words: Sequence[Word]
) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom) of table cells with ink that no word
    Tesseract read surely covers: its page layout drops a lone short text ("2", "3.1")
    in a wide empty cell as if it were a speck, reads it as "t)" with no confidence, or
    leaves out a word of a cell ("Thường" of "Thường xuyên"). ``page`` is the cleaned
    page."""
    ink = np.asarray(page.convert("L")) < 128
    covered = np.zeros_like(ink)
    for word in words:
        if word.confidence >= _UNSURE:
            covered[
                max(0, word.top - 4) : word.bottom + 4,
                max(0, word.left - 4) : word.left + word.width + 4,
            ] = True
    left = ink & ~covered
    boxes = []
    for grid in grids:
        for r in range(len(grid.ys) - 1):
            for c in range(len(grid.xs) - 1):
                box = _cell_box(grid, r, c)
                if box[2] - box[0] < 8 or box[3] - box[1] < 8:
                    continue
                if left[box[1] : box[3], box[0] : box[2]].sum() >= _UNREAD_INK:
                    boxes.append(box)
    return boxes


# A bare number, or what OCR makes of one: a roman "II" read as '"', "III" as "IH".
_NUMBER_LIKE = re.compile(r"^(?:[0-9IVXivxl|.,]{1,8}|[IVXlHhU1|!\"'.,:;\[\]()]{1,4})$")
NUMBER_CHARS = "0123456789.IVX"  # what a row's number is written with ("2.1", "IV")


def numbered_cells(grids: Sequence[Grid], words: Sequence[Word]) -> list[tuple[int, int, int, int]]:
    """The boxes of the cells read as a number or a roman numeral alone ("21", "5.3",
    "II", or what OCR makes of one: '"', "IH"), one line high: read again with only
    those characters allowed, since a blurred dot is easily lost ("2.1" read "21")."""
    boxes = []
    for grid in grids:
        cells: dict[tuple[int, int], list[Word]] = {}
        for word in words:
            if grid.contains(word):
                cells.setdefault(_cell_of(grid, word), []).append(word)
        for (_r, c), found in cells.items():
            if len(found) != 1 or not _NUMBER_LIKE.match(found[0].text):
                continue
            word = found[0]
            pad = max(6, word.height // 2)
            boxes.append((grid.xs[c] + 5, word.top - pad, grid.xs[c + 1] - 5, word.bottom + pad))
    return boxes


_WELL_FORMED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVX]{1,5})\.?$")


def pick_numbers(
    words: Sequence[Word],
    readings: Sequence[Sequence[Word]],
    boxes: Sequence[tuple[int, int, int, int]],
) -> list[Word]:
    """The page's words with each number cell (``boxes``, :func:`numbered_cells`) read
    as the best of its readings (the first, then ``readings``, each from
    :func:`unstrip`): a well-formed number ("2.1", "II") before anything else ('"',
    "IH"), then the surest."""
    out = list(words)
    for box in boxes:

        def inside(word: Word, box=box) -> bool:
            return box[0] <= word.cx <= box[2] and box[1] <= word.cy <= box[3]

        candidates = [[w for w in out if inside(w)]]
        candidates += [[w for w in reading if inside(w)] for reading in readings]
        candidates = [c for c in candidates if len(c) == 1]
        if not candidates:
            continue
        best = max(
            candidates,
            key=lambda c: (bool(_WELL_FORMED.match(c[0].text)), c[0].confidence),
        )
        out = [w for w in out if not inside(w)] + best
    return out


def scaled(words: Sequence[Word], factor: float) -> list[Word]:
    """Words read on a picture scaled by ``factor``, in the picture's own pixels."""
    return [
        replace(
            w,
            left=round(w.left / factor),
            top=round(w.top / factor),
            width=round(w.width / factor),
            height=round(w.height / factor),
        )
        for w in words
    ]


def strip(
    page: Image.Image, boxes: Sequence[tuple[int, int, int, int]]
) -> tuple[Image.Image, list[int]]:
    """The cells cut out of the page and stacked one under the other (read at once),
    with the top of each on the strip."""
    width = max(b[2] - b[0] for b in boxes) + 2 * _GAP
    height = sum(b[3] - b[1] + _GAP for b in boxes) + _GAP
    out = Image.new("L", (width, height), 255)
    tops = []
    y = _GAP
    for box in boxes:
        out.paste(page.crop(box), (_GAP, y))
        tops.append(y)
        y += box[3] - box[1] + _GAP
    return out, tops


def replace_cells(
    words: Sequence[Word], again: Sequence[Word], boxes: Sequence[tuple[int, int, int, int]]
) -> list[Word]:
    """The page's words with those of the cells read again (``again``, from
    :func:`unstrip`) in place of the first reading, cell by cell, where the second
    reading is surer, or reads more with about the same confidence."""
    out = list(words)
    for box in boxes:

        def inside(word: Word, box=box) -> bool:
            return box[0] <= word.cx <= box[2] and box[1] <= word.cy <= box[3]

        first = [w for w in out if inside(w)]
        second = [w for w in again if inside(w)]
        sure_first, sure_second = mean_confidence(first) or 0, mean_confidence(second) or 0
        more = sum(len(w.text) for w in second) > sum(len(w.text) for w in first)
        if second and (sure_second >= sure_first or (more and sure_second >= sure_first - 5)):
            out = [w for w in out if not inside(w)] + second
    return out


def unstrip(
    words: Sequence[Word], boxes: Sequence[tuple[int, int, int, int]], tops: Sequence[int]
) -> list[Word]:
    """The words read on a strip, moved back to where their cell is on the page."""
    out = []
    for word in words:
        slot = int(np.searchsorted(tops, word.cy, side="right")) - 1
        if slot < 0:
            continue
        box = boxes[slot]
        left = box[0] + word.left - _GAP
        top = box[1] + word.top - tops[slot]
        cx, cy = left + word.width / 2, top + word.height / 2
        if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
            continue
        out.append(
            Word(word.text, left, top, word.width, word.height, word.confidence, -1 - slot, 0)
        )
    return out


# -- Tesseract's TSV -------------------------------------------------------------------


# A quarter's numeral as OCR gives it: I's (an "H" for two whose serifs joined, a "1"),
# the year after a slash, or "năm" run into it, or nothing ("II", "IH", "I/2025",
# "IInăm").
_QUARTER_WORD_RE = re.compile(r"^([Il1|ïíH]{1,3})(?=/\d{4}$|n[aăâ]m$|$)")
_QUY_WORD_RE = re.compile(r"^qu[yý]$", re.IGNORECASE)
# Share of a column's height inked in an upright stroke of an "I" (a capital's height:
# the stems of "n", "m" run into it are a small letter's, two thirds of it).
_STROKE_INK = 0.8


def recount_quarters(words: Sequence[Word], page: Image.Image) -> list[Word]:
    """The numeral after "Quý" counted again on ``page`` (as :func:`clean_page` made it:
    black on white): Tesseract drops or joins an "I" of "III" now and then ("Quý II" for
    "Quý III", "Quý I/2025" for "Quý II/2025", in a word box that holds every stroke;
    the numeral beside "Quý" or at the start of its cell's next line).
    An "I" is an upright stroke inked over most of the word's height; the strokes from
    the word's left, each close after the one before, are the numeral's, and the word
    says as many I's."""
    out = list(words)
    ink: np.ndarray | None = None
    for index in range(1, len(out)):
        before, word = out[index - 1], out[index]
        m = _QUARTER_WORD_RE.match(word.text)
        if m is None or not _QUY_WORD_RE.match(before.text):
            continue
        beside = abs(word.cy - before.cy) <= word.height
        below = 0 <= word.top - before.bottom <= before.height and (
            abs(word.left - before.left) <= before.width  # the cell's next line
        )
        if not (beside or below):
            continue
        if ink is None:
            ink = np.asarray(page.convert("L")) < 128  # (a page clean_page made)
        box = ink[word.top : word.bottom, max(0, word.left - 2) : word.left + word.width + 2]
        strokes = _strokes(box)
        if 1 <= strokes <= 3 and "I" * strokes != m.group(1):
            out[index] = replace(word, text="I" * strokes + word.text[m.end() :])
    return out


def _strokes(box: np.ndarray) -> int:
    """How many upright strokes stand one after another from the box's left, each at
    most about half the height from the one before (a slash, then figures, end them)."""
    if box.size == 0:
        return 0
    height = box.shape[0]
    inked = box.mean(axis=0) > _STROKE_INK
    count, last = 0, None
    for x, (a, b) in enumerate(itertools.pairwise([False, *inked])):
        if b and not a:  # a stroke starts
            if last is not None and x - last > 0.6 * height:
                break
            count += 1
        if b:
            last = x
    return count


def read_tsv(text: str, min_confidence: float = 0.0) -> list[Word]:
    """The words of Tesseract's TSV output (level 5 rows with text)."""
    words: list[Word] = []
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        try:
            if int(row["level"]) != 5:
                continue
            confidence = float(row["conf"])
            token = (row.get("text") or "").strip()
            if not token or confidence < min_confidence:
                continue
            words.append(
                Word(
                    text=token,
                    left=int(row["left"]),
                    top=int(row["top"]),
                    width=int(row["width"]),
                    height=int(row["height"]),
                    confidence=confidence,
                    block=int(row["block_num"]),
                    paragraph=int(row["par_num"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return words


# -- words into text -----------------------------------------------------------------

_LINE_START = re.compile(r"^(?:[-–+•*]|\(?[0-9]{1,2}[.)]|[a-zđ]\)|[IVX]{1,5}\.\s)")


def _capitals(text: str) -> bool:
    return in_capitals(text) and sum(c.isalpha() for c in text) >= 3


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into lines by their vertical overlap, top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.left)):
        for line in lines:
            top = min(w.top for w in line)
            bottom = max(w.bottom for w in line)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= 0.5 * min(word.height, bottom - top):
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.left)
    lines.sort(key=lambda line: min(w.top for w in line))
    return lines


def words_text(words: Sequence[Word], right: float | None = None) -> str:
    """The text of the words of one cell or paragraph: wrapped lines joined with a
    space; a line that opens a list item ("- …", "a) …", "2. …", "II. …") on a line of its
    own, and in a paragraph a line in capitals after one not or the other way round
    ("KẾ HOẠCH" / "Kiểm soát …"), but inside parentheses left open above it ("(Công chức
    Văn hóa" / "- Xã hội …)").

    In a cell (``right``: its right edge), a line that is one word running to the edge
    is a word too long for the column, broken where the line ended ("HĐND&U" / "BND"):
    the next line's first word is joined to it without a space."""
    out = ""
    broken = False
    previous = ""
    for line in _lines(words):
        text = " ".join(w.text for w in line)
        # outside a cell, a line in capitals and one not are two lines ("KẾ HOẠCH" /
        # "Kiểm soát thủ tục hành chính năm 2027")
        heading = right is None and bool(previous) and _capitals(text) != _capitals(previous)
        previous = text
        if not out:
            out = text
        elif broken and not _LINE_START.match(text):
            out += text
        elif (_LINE_START.match(text) or heading) and out.count("(") <= out.count(")"):
            out += "\n" + text
        else:  # (inside parentheses, "- Xã hội" goes on "(Công chức Văn hóa")
            out += " " + text
        last = line[-1]
        char = last.width / max(1, len(last.text))
        broken = (
            right is not None
            and len(line) == 1
            and len(last.text) >= 3
            and right - (last.left + last.width) < 2.5 * char
        )
    return out


# -- a page --------------------------------------------------------------------------


@dataclass
class _Row:
    texts: list[str]
    open_left: list[bool]
    open_top: list[bool]
    words: list[list[Word]] = field(default_factory=list)
    first_inked: bool = False  # its first cell holds ink, read or not
    inked: list[bool] = field(default_factory=list)  # each cell holds ink, read or not


@dataclass
class _PageTable:
    top: int
    rows: list[_Row]
    page: int = -1  # the page's index, set when the pages are joined


@dataclass
class Page:
    """One page read: its paragraphs and tables by their top, and the page's height."""

    height: int
    items: list[tuple[int, Paragraph | _PageTable]]


def _cell_of(grid: Grid, word: Word) -> tuple[int, int]:
    col = max(0, min(len(grid.xs) - 2, int(np.searchsorted(grid.xs, word.cx)) - 1))
    row = max(0, min(len(grid.ys) - 2, int(np.searchsorted(grid.ys, word.cy)) - 1))
    return row, col


def _span_end(grid: Grid, row: int, col: int) -> int:
    """The index of the right boundary of the cell at (row, col), past the columns it is
    merged across."""
    end = col + 1
    while end < len(grid.xs) - 1 and grid.open_left[row][end]:
        end += 1
    return end


_RULE_READ = re.compile(r"[|¦]+")


def page_blocks(words: Sequence[Word], grids: Sequence[Grid], height: int) -> Page:
    """A page's words laid out: the words of each grid in its cells, the rest as
    paragraphs (one per Tesseract paragraph)."""
    items: list[tuple[int, Paragraph | _PageTable]] = []
    loose: dict[tuple[int, int], list[Word]] = {}
    cells: list[dict[tuple[int, int], list[Word]]] = [{} for _ in grids]
    for word in words:
        for index, grid in enumerate(grids):
            if grid.contains(word):
                if not _RULE_READ.fullmatch(word.text):  # a ruling line read as "|"
                    cells[index].setdefault(_cell_of(grid, word), []).append(word)
                break
        else:
            loose.setdefault((word.block, word.paragraph), []).append(word)
    for group in loose.values():
        # A Tesseract paragraph may run past a table: split it where a table lies between.
        for part in _split_around(group, grids):
            text = words_text(part)
            if text.strip():
                items.append((min(w.top for w in part), Paragraph(text)))
    for grid, found in zip(grids, cells, strict=True):
        rows = []
        for r in range(len(grid.ys) - 1):
            cell_words = [list(found.get((r, c), [])) for c in range(len(grid.xs) - 1)]
            for c in range(len(cell_words) - 1, 0, -1):  # merged across: one text
                if grid.open_left[r][c]:
                    cell_words[c - 1].extend(cell_words[c])
                    cell_words[c] = []
            rows.append(
                _Row(
                    texts=[
                        words_text(w, grid.xs[_span_end(grid, r, c)])
                        for c, w in enumerate(cell_words)
                    ],
                    open_left=list(grid.open_left[r]),
                    open_top=list(grid.open_top[r]),
                    words=cell_words,
                    first_inked=(r, 0) in grid.inked,
                    inked=[(r, c) in grid.inked for c in range(len(grid.xs) - 1)],
                )
            )
        items.append((grid.ys[0], _PageTable(grid.ys[0], rows)))
    items.sort(key=lambda item: item[0])
    return Page(height, items)


def _split_around(words: list[Word], grids: Sequence[Grid]) -> list[list[Word]]:
    if not grids:
        return [words]
    parts: dict[int, list[Word]] = {}
    for word in words:
        zone = sum(1 for g in grids if word.cy > g.box[3])
        parts.setdefault(zone, []).append(word)
    return [parts[k] for k in sorted(parts)]


# -- pages into a document -----------------------------------------------------------


def _row_key(row: _Row) -> str:
    return fold(" ".join(t for t in row.texts if t))


def _is_repeat(row: _Row, header: _Row) -> bool:
    a, b = _row_key(row), _row_key(header)
    return bool(a) and fuzz.ratio(a, b) >= 80


def _join_row(into: _Row, row: _Row) -> None:
    for c, text in enumerate(row.texts):
        if text:
            into.texts[c] = f"{into.texts[c]} {text}".strip() if into.texts[c] else text


def _trimmed(rows: list[_Row]) -> list[_Row]:
    """A page's rows without the empty rows at its end (ruled but never filled)."""
    rows = list(rows)
    while len(rows) > 1 and not any(rows[-1].texts) and not any(rows[-1].open_top):
        rows.pop()
    return rows


def _merge_tables(tables: list[_PageTable]) -> list[_Row]:
    """The rows of a table that goes on over several pages, the rows cut by a page
    break joined."""
    rows = _trimmed(tables[0].rows)
    for table in tables[1:]:
        body = _trimmed(table.rows)
        # The header repeated on the new page is left out: the row after it then
        # follows (and merges down into) the last row of the page before.
        repeated = 0
        while len(body) > 1 and repeated < min(3, len(rows)):
            if not _is_repeat(body[0], rows[repeated]):
                break
            body.pop(0)
            repeated += 1
        if body and rows:
            first = body[0]
            cut = not first.texts[0].strip() and not first.first_inked
            if cut and any(first.texts) and rows[-1].texts[0].strip():
                _join_row(rows[-1], first)  # a row cut by the page break
                body.pop(0)
            elif first.texts[0].strip():
                _merged_over_break(rows[-1], first, body[1] if len(body) > 1 else None)
        rows.extend(body)
    return rows


def _merged_over_break(last: _Row, first: _Row, second: _Row | None) -> None:
    """A cell merged down over the page break: at the top of the new page, a blank cell
    (no ink) of a row that has text, under a cell the last page had merged down (open
    at its top) or that has text, when the blank cell is merged down into the row below
    it (``second``: a merged cell's text stands at its top, so one that starts blank
    started on the page before) — a unit or a product shared by rows on both pages. Its
    ruled top is the page's, not the cell's."""
    for c in range(1, min(len(last.texts), len(first.texts))):
        blank = not first.texts[c] and not (c < len(first.inked) and first.inked[c])
        if not blank or first.open_left[c]:
            continue
        merged_below = (
            second is not None
            and c < len(second.open_top)
            and second.open_top[c]
            and not second.open_left[c]
            and bool(last.texts[c])
        )
        if last.open_top[c] or merged_below:
            first.open_top[c] = True


def _cells(rows: list[_Row]) -> Table:
    """The rows with their merges resolved into :class:`Cell` objects."""
    width = max(len(r.texts) for r in rows)
    # Region roots: each cell points at the top-left cell of the merged area it is in.
    root: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c in range(width):
            if c >= len(row.texts):
                root[(r, c)] = (r, c)
                continue
            if c > 0 and row.open_left[c]:
                root[(r, c)] = root[(r, c - 1)]
            elif r > 0 and row.open_top[c] and c < len(rows[r - 1].texts):
                above = root[(r - 1, c)]
                # merged down only when the cell above spans the same columns
                root[(r, c)] = above if above[1] == c else (r, c)
            else:
                root[(r, c)] = (r, c)
    texts: dict[tuple[int, int], list[str]] = {}
    for r, row in enumerate(rows):
        for c in range(width):
            text = row.texts[c] if c < len(row.texts) else ""
            if text:
                texts.setdefault(root[(r, c)], []).append(text)
    out: list[tuple[Cell, ...]] = []
    for r in range(len(rows)):
        cells: list[Cell] = []
        for c in range(width):
            top = root[(r, c)]
            text = " ".join(texts.get(top, []))
            if top == (r, c):
                cells.append(Cell(text))
            elif top[0] == r:  # merged across: the text stays in the first column
                cells.append(Cell("", spanned=True))
            else:  # merged down: the text is repeated below
                first_col = top[1] == c
                cells.append(Cell(text if first_col else "", spanned=True))
        out.append(tuple(cells))
    return Table(tuple(out))


def scan_document(name: str, pages: Iterable[Page], confidence: float | None) -> Document:
    """The pages of a scan as one Document of kind ``ocr``."""
    blocks: list[Block] = []
    pending: list[_PageTable] = []
    page_list = list(pages)

    def flush() -> None:
        if pending:
            blocks.append(_cells(_merge_tables(pending)))
            pending.clear()

    for index, page in enumerate(page_list):
        for position, (top, item) in enumerate(page.items):
            if isinstance(item, _PageTable):
                item.page = index
                if (
                    pending
                    and pending[-1].page < index
                    and _continues(pending[-1], item, page_list, index, position)
                ):
                    pending.append(item)
                else:
                    flush()
                    pending.append(item)
                continue
            if pending and _page_furniture(item, top, page):
                continue  # a page number or running header between a table's pages
            flush()
            blocks.append(item)
    flush()
    return Document(name=name, kind="ocr", blocks=tuple(blocks), ocr_confidence=confidence)


def _page_furniture(paragraph: Paragraph, top: int, page: Page) -> bool:
    near_edge = top < 0.08 * page.height or top > 0.9 * page.height
    return near_edge and len(paragraph.text) <= 40


def _continues(
    previous: _PageTable, table: _PageTable, pages: list[Page], index: int, position: int
) -> bool:
    """Whether ``table`` is the previous page's table going on: the same number of
    columns, and nothing but page furniture before it on its page."""
    if len(previous.rows[0].texts) != len(table.rows[0].texts):
        return False
    before = pages[index].items[:position]
    return all(
        isinstance(item, Paragraph) and _page_furniture(item, top, pages[index])
        for top, item in before
    )


def mean_confidence(words: Iterable[Word]) -> float | None:
    values = [w.confidence for w in words]
    return round(sum(values) / len(values), 1) if values else None
