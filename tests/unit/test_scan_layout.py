"""The layout of a scanned page (bot.plans.scan), without Tesseract: ruled tables drawn
with Pillow, words placed by hand as Tesseract's TSV would give them."""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.plans import scan
from bot.plans.model import Cell, Paragraph, Table

XS = (100, 200, 600, 900, 1150)  # four columns: STT, Nội dung, Chủ trì, Thời gian
YS = (300, 380, 460, 700, 820, 1000)  # five rows


def _page(skip=(), width: int = 1250, height: int = 1400) -> Image.Image:
    """A page with a ruled table; ``skip`` lists the cell edges left undrawn, as
    ("v", row, boundary index) or ("h", boundary index, column)."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for i, y in enumerate(YS):
        for c in range(len(XS) - 1):
            if ("h", i, c) not in skip:
                draw.line([(XS[c], y), (XS[c + 1], y)], fill=0, width=3)
    for j, x in enumerate(XS):
        for r in range(len(YS) - 1):
            if ("v", r, j) not in skip:
                draw.line([(x, YS[r]), (x, YS[r + 1])], fill=0, width=3)
    # some text-like ink that must not be taken for lines
    for y in range(120, 200, 20):
        for x in range(100, 1000, 14):
            draw.rectangle([x, y, x + 8, y + 12], fill=0)
    return image


# Row 1 is a section merged across columns 1-3; the lead cell of row 2 is merged down
# into row 3.
MERGES = {("v", 1, 2), ("v", 1, 3), ("h", 3, 2)}


def test_ruling_lines_give_the_grid_and_its_merged_cells() -> None:
    grids = scan.find_rules(_page(MERGES))
    assert len(grids) == 1
    grid = grids[0]
    assert [abs(a - b) <= 3 for a, b in zip(grid.xs, XS, strict=True)] == [True] * 5
    assert [abs(a - b) <= 3 for a, b in zip(grid.ys, YS, strict=True)] == [True] * 6
    assert [c for c in range(4) if grid.open_left[1][c]] == [2, 3]
    assert [c for c in range(4) if grid.open_top[3][c]] == [2]
    assert not any(any(row) for r, row in enumerate(grid.open_left) if r != 1)


def test_a_tilted_page_is_turned_upright_before_the_lines_are_found() -> None:
    tilted = _page(MERGES).rotate(1.0, fillcolor=255, expand=True)
    angle = scan.skew_angle(tilted)
    assert abs(angle + 1.0) <= 0.2
    grids = scan.find_rules(scan.deskew(tilted))
    assert len(grids) == 1
    assert len(grids[0].xs) == 5 and len(grids[0].ys) == 6


def test_cleaning_whitens_the_lines_and_keeps_the_text() -> None:
    page = _page()
    clean = scan.clean_page(page)
    pixels = clean.load()
    assert pixels[XS[1], 600] == 255 and pixels[400, YS[2]] == 255  # lines gone
    assert pixels[104, 125] == 0  # text kept


def _word(text: str, x: int, y: int, width: int = 60, conf: float = 90.0, block: int = 1):
    return scan.Word(text, x, y, width, 24, conf, block, 1)


def test_words_fill_the_cells_merged_across_and_down() -> None:
    grid = scan.find_rules(_page(MERGES))[0]
    words = [
        _word("PHỤ", 300, 150, block=9),
        _word("LỤC", 370, 150, block=9),
        _word("STT", 110, 320),
        _word("Nội", 210, 320),
        _word("dung", 280, 320),
        _word("Chủ", 610, 320),
        _word("trì", 680, 320),
        _word("Thời", 910, 320),
        _word("gian", 980, 320),
        _word("1", 110, 400),
        _word("Công", 210, 400),
        _word("tác", 290, 400),
        _word("chung", 620, 400),  # the section's words run on past its first column
        _word("1.1", 110, 480),
        _word("Rà", 210, 480),
        _word("soát", 260, 480),
        _word("thủ", 210, 520),  # a wrapped line
        _word("tục", 260, 520),
        _word("Phòng", 610, 480, 80),
        _word("Tư", 700, 480, 40),
        _word("pháp", 750, 480),
        _word("Quý", 910, 480),
        _word("I", 970, 480, 10),
        _word("1.2", 110, 720),
        _word("Niêm", 210, 720),
        _word("yết", 280, 720),
        _word("-", 210, 760, 10),  # a list item keeps its line
        _word("Hằng", 230, 760),
        _word("Tháng", 910, 720),
        _word("6/2025", 980, 720),
    ]
    page = scan.page_blocks(words, [grid], 1400)
    document = scan.scan_document("scan.pdf", [page], 90.0)
    assert document.kind == "ocr" and document.ocr_confidence == 90.0
    assert document.blocks[0] == Paragraph("PHỤ LỤC")
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[0]] == ["STT", "Nội dung", "Chủ trì", "Thời gian"]
    assert table.rows[1] == (
        Cell("1"),
        Cell("Công tác chung"),
        Cell("", spanned=True),
        Cell("", spanned=True),
    )
    assert table.rows[2][1].text == "Rà soát thủ tục"
    # the lead cell merged down: its text repeated below, spanned
    assert table.rows[2][2] == Cell("Phòng Tư pháp")
    assert table.rows[3][2] == Cell("Phòng Tư pháp", spanned=True)
    assert table.rows[3][1].text == "Niêm yết\n- Hằng"
    assert table.rows[3][3].text == "Tháng 6/2025"


def test_a_table_over_two_pages_is_one_table_and_the_cut_row_is_joined() -> None:
    grid = scan.find_rules(_page())[0]  # its last rows ruled but empty
    header = [_word("STT", 110, 320), _word("Nội", 210, 320), _word("Chủ", 610, 320)]
    first = scan.page_blocks(
        [*header, _word("1.1", 110, 480), _word("Rà", 210, 480), _word("Phòng", 610, 480)],
        [grid],
        1400,
    )
    # Page 2: the header again, then the rest of row 1.1 (no number), then row 1.2
    # whose lead cell is merged down from the cut row.
    second_grid = scan.find_rules(_page({("h", 2, 2)}))[0]
    second = scan.page_blocks(
        [
            _word("12", 600, 20, 20, block=5),  # the page number
            *header,
            _word("soát", 210, 400),
            _word("1.2", 110, 480),
            _word("Niêm", 210, 480),
        ],
        [second_grid],
        1400,
    )
    document = scan.scan_document("scan.pdf", [first, second], 90.0)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    codes = [row[0].text for row in tables[0].rows if row[0].text]
    assert codes == ["STT", "1.1", "1.2"]
    cut = next(row for row in tables[0].rows if row[0].text == "1.1")
    assert cut[1].text == "Rà soát"
    below = next(row for row in tables[0].rows if row[0].text == "1.2")
    assert below[2] == Cell("Phòng", spanned=True)


def test_cells_tesseract_passed_over_are_read_again_from_a_strip() -> None:
    page = _page()
    draw = ImageDraw.Draw(page)
    draw.rectangle([120, 480, 135, 505], fill=0)  # ink in cell (2, 0), no word read there
    grid = scan.find_rules(page)[0]
    clean = scan.clean_page(page)
    boxes = scan.missed_cells(clean, [grid], [_word("Rà", 210, 480)])
    assert len(boxes) == 1 and boxes[0][0] < 120 < boxes[0][2]
    strip, tops = scan.strip(clean, boxes)
    assert strip.height > boxes[0][3] - boxes[0][1]
    read = [scan.Word("2", 40 + 15, tops[0] + 170, 16, 25, 91.0)]
    moved = scan.unstrip(read, boxes, tops)
    assert len(moved) == 1
    assert boxes[0][0] <= moved[0].cx <= boxes[0][2] and boxes[0][1] <= moved[0].cy <= boxes[0][3]


def test_tesseract_tsv_is_read_into_words() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
        "\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t\n"
        "5\t1\t2\t1\t1\t1\t422\t1448\t50\t30\t96.43\t1.1\n"
        "5\t1\t2\t1\t1\t2\t500\t1448\t80\t30\t95.0\tKế\n"
        "5\t1\t2\t1\t1\t3\t600\t1448\t10\t30\t95.0\t \n"
    )
    words = scan.read_tsv(tsv)
    assert [(w.text, w.left, w.block) for w in words] == [("1.1", 422, 2), ("Kế", 500, 2)]
    assert scan.mean_confidence(words) == 95.7


def test_a_page_without_lines_is_paragraphs() -> None:
    blank = Image.new("L", (1000, 1400), 255)
    assert scan.find_rules(blank) == []
    page = scan.page_blocks([_word("Kế", 100, 100), _word("hoạch", 170, 100)], [], 1400)
    document = scan.scan_document("p.png", [page], 80.0)
    assert document.blocks == (Paragraph("Kế hoạch"),)


def test_a_number_cell_takes_the_reading_that_is_a_number() -> None:
    box = (100, 300, 200, 360)
    first = [_word('"', 110, 320, 20, conf=77.0), _word("Rà", 210, 320)]
    as_is = [_word("I", 110, 320, 10, conf=0.0)]
    larger = [_word("II", 110, 320, 20, conf=43.0)]
    dot = [_word("21", 110, 320, 20, conf=83.0)]
    picked = scan.pick_numbers(first, [as_is, larger], [box])
    assert sorted(w.text for w in picked) == ["II", "Rà"]
    again = [_word("2.1", 110, 320, 30, conf=96.0)]  # both numbers: the surer
    assert [w.text for w in scan.pick_numbers(dot, [again], [box])] == ["2.1"]
    assert [w.text for w in scan.pick_numbers(again, [dot], [box])] == ["2.1"]
    half = scan.scaled([_word("5.5", 220, 640, 60)], 2)
    assert (half[0].left, half[0].top, half[0].width) == (110, 320, 30)


def test_the_column_lines_of_a_short_row_under_a_merged_row_are_found() -> None:
    # A row of one line of text cut by the page break, under a section merged across:
    # its column lines are too short to be ruling lines on their own.
    ys = (300, 380, 470, 500)
    image = Image.new("L", (1250, 1400), 255)
    draw = ImageDraw.Draw(image)
    for y in ys:
        draw.line([(XS[0], y), (XS[-1], y)], fill=0, width=3)
    for j, x in enumerate(XS):
        for r in range(len(ys) - 1):
            if r != 1 or j in (0, 1, 4):  # row 1 merged across columns 1-3
                draw.line([(x, ys[r]), (x, ys[r + 1])], fill=0, width=3)
    grid = scan.find_rules(image)[0]
    assert len(grid.ys) == 4
    assert [c for c in range(4) if grid.open_left[1][c]] == [2, 3]
    assert not any(grid.open_left[2])


def test_a_ruling_line_read_as_a_bar_is_no_text() -> None:
    grid = scan.find_rules(_page())[0]
    words = [_word("1.1", 110, 480), _word("Rà", 210, 480), _word("|", 590, 480, 8)]
    page = scan.page_blocks(words, [grid], 1400)
    table = scan.scan_document("scan.pdf", [page], 90.0).blocks[0]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[2]] == ["1.1", "Rà", "", ""]


def test_a_cell_merged_down_over_the_page_break_is_read_on_both_pages() -> None:
    # Page 1: rows 1.1 and 1.2 share their lead cell (merged down); page 2: the header
    # again, then row 1.3 whose lead cell is blank: the merged cell going on.
    header = [_word("STT", 110, 320), _word("Nội", 210, 320), _word("Chủ", 610, 320)]
    grid = scan.mark_ink(scan.find_rules(_page({("h", 3, 2)})), _page({("h", 3, 2)}))[0]
    first = scan.page_blocks(
        [
            *header,
            _word("1.1", 110, 480),
            _word("Rà", 210, 480),
            _word("Phòng", 610, 480),
            _word("1.2", 110, 720),
            _word("Niêm", 210, 720),
        ],
        [grid],
        1400,
    )
    plain = scan.find_rules(_page())[0]
    second = scan.page_blocks(
        [*header, _word("1.3", 110, 400), _word("Số", 210, 400), _word("Quý", 910, 400)],
        [plain],
        1400,
    )
    table = scan.scan_document("scan.pdf", [first, second], 90.0).blocks[0]
    assert isinstance(table, Table)
    rows = {row[0].text: row for row in table.rows}
    assert rows["1.2"][2] == Cell("Phòng", spanned=True)
    assert rows["1.3"][2] == Cell("Phòng", spanned=True)
    assert rows["1.3"][3].text == "Quý"


def test_a_cell_merged_down_from_the_last_row_of_the_page_before_is_read_below() -> None:
    # Page 1 ends with row 1.4, its lead "Phòng" in a cell the page break closes; page
    # 2 opens (after its header) with rows 1.5 and 1.6 sharing a blank lead cell, merged
    # down: the same cell going on (Word writes a merged cell's text at its top).
    header = [_word("STT", 110, 320), _word("Nội", 210, 320), _word("Chủ", 610, 320)]
    body = [("1.1", 400), ("1.2", 550), ("1.3", 750), ("1.4", 900)]
    first = scan.page_blocks(
        [
            *header,
            *(w for code, y in body for w in (_word(code, 110, y), _word("Rà", 210, y))),
            _word("Phòng", 610, 900),
        ],
        [scan.find_rules(_page())[0]],
        1400,
    )
    merged = _page({("h", 2, 2)})
    grid = scan.mark_ink(scan.find_rules(merged), merged)[0]
    words = [*header, _word("1.5", 110, 400), _word("Số", 210, 400), _word("Quý", 910, 400)]
    words += [_word("1.6", 110, 550), _word("Lập", 210, 550), _word("Năm", 910, 550)]
    words += [_word("1.7", 110, 750), _word("Mở", 210, 750), _word("Sở", 610, 750)]
    second = scan.page_blocks(words, [grid], 1400)
    table = scan.scan_document("scan.pdf", [first, second], 90.0).blocks[0]
    assert isinstance(table, Table)
    rows = {row[0].text: row for row in table.rows}
    assert rows["1.5"][2] == Cell("Phòng", spanned=True)
    assert rows["1.6"][2] == Cell("Phòng", spanned=True)
    assert rows["1.7"][2] == Cell("Sở")


def test_a_blank_cell_at_the_top_of_a_page_not_merged_down_stays_blank() -> None:
    header = [_word("STT", 110, 320), _word("Nội", 210, 320), _word("Chủ", 610, 320)]
    first = scan.page_blocks(
        [*header, _word("1.1", 110, 400), _word("Rà", 210, 400), _word("Phòng", 610, 400)],
        [scan.find_rules(_page())[0]],
        1400,
    )
    words = [*header, _word("1.2", 110, 400), _word("Số", 210, 400)]
    words += [_word("1.3", 110, 550), _word("Lập", 210, 550), _word("Sở", 610, 550)]
    second = scan.page_blocks(words, [scan.find_rules(_page())[0]], 1400)
    table = scan.scan_document("scan.pdf", [first, second], 90.0).blocks[0]
    assert isinstance(table, Table)
    rows = {row[0].text: row for row in table.rows}
    assert rows["1.2"][2] == Cell("")


def _numeral_page(
    strokes: int, year: bool = False, nam: bool = False, below: bool = False
) -> Image.Image:
    """ "Quý" then a numeral of ``strokes`` upright I's (serifs joining them at the top
    and bottom, as in Times), "/2025" after it when ``year``, "năm" run into it (small
    letters' stems, two thirds of a capital's height) when ``nam``; on the next line
    when ``below``."""
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 40, 90, 75], fill=0)  # "Quý" (its ink does not matter)
    if below:
        image.paste(_numeral_page(strokes, year, nam).crop((100, 30, 600, 90)), (10, 90))
        return image
    left = 110
    for k in range(strokes):
        x = left + 17 * k
        draw.rectangle([x, 40, x + 5, 75], fill=0)
        draw.line([(x - 3, 40), (x + 8, 40)], fill=0, width=2)
        draw.line([(x - 3, 75), (x + 8, 75)], fill=0, width=2)
    if year:
        end = left + 17 * strokes
        draw.line([(end + 2, 78), (end + 14, 38)], fill=0, width=3)  # "/"
        for d in range(4):  # "2025": round figures, no upright stroke
            x = end + 22 + 22 * d
            draw.ellipse([x, 42, x + 16, 74], outline=0, width=3)
    if nam:
        end = left + 17 * strokes
        for x in (end + 4, end + 16, end + 34, end + 46, end + 58):  # n, ă, m stems
            draw.rectangle([x, 52, x + 4, 75], fill=0)
    return image


def _numeral_words(
    text: str, strokes: int, year: bool = False, nam: bool = False, below: bool = False
) -> list[scan.Word]:
    width = 17 * strokes + (112 if year else 0) + (64 if nam else 0)
    left, top = (16, 98) if below else (106, 38)
    return [
        scan.Word("Quý", 20, 38, 70, 40, 95.0),
        scan.Word(text, left, top, width, 40, 90.0),
    ]


def test_a_quarter_numeral_is_counted_again_on_the_page() -> None:
    """Tesseract dropped an I ("II" for III, "I/2025" for II/2025) or joined two ("IH"):
    the strokes on the page say which quarter."""
    for said, strokes, year, nam, below, fixed in [
        ("II", 3, False, False, False, "III"),
        ("IH", 3, False, False, False, "III"),
        ("I/2025", 2, True, False, False, "II/2025"),
        ("III", 3, False, False, False, "III"),  # right as read: left alone
        ("II/2025", 2, True, False, False, "II/2025"),
        ("IInăm", 3, False, True, False, "IIInăm"),  # "năm" run into it
        ("11/2025", 2, True, False, True, "II/2025"),  # at the cell's next line
    ]:
        page = _numeral_page(strokes, year, nam, below)
        words = scan.recount_quarters(_numeral_words(said, strokes, year, nam, below), page)
        assert words[1].text == fixed, (said, strokes)
    # a numeral not after "Quý" (a section's) is not touched here
    words = [scan.Word("Mục", 20, 38, 70, 40, 95.0), *_numeral_words("II", 3)[1:]]
    assert scan.recount_quarters(words, _numeral_page(3))[1].text == "II"


def test_a_dash_inside_open_parentheses_goes_on_the_line_above() -> None:
    """ "- " at a line's start opens a list item, but not inside parentheses left open
    above it: "(Công chức Văn hóa" / "- Xã hội thực hiện)" is one name wrapped."""
    words = [
        _word("-", 100, 100, 10),
        _word("Cập", 120, 100),
        _word("(Công", 200, 100),
        _word("Văn", 280, 100),
        _word("-", 100, 140, 10),
        _word("Xã", 120, 140),
        _word("hội)", 200, 140),
        _word("-", 100, 180, 10),
        _word("Tuyên", 120, 180),
    ]
    assert scan.words_text(words) == "- Cập (Công Văn - Xã hội)\n- Tuyên"


def test_a_paragraph_keeps_its_heading_lines_apart() -> None:
    """Tesseract gave one paragraph for "KẾ HOẠCH", the title under it and the next
    part's heading: joined, the title read "KẾ HOẠCH Kiểm soát … II. NỘI DUNG". A line in
    capitals after one not (and the other way round) and a roman numeral's heading open a
    line of their own; in a cell, lines are joined as before."""
    words = [
        _word("KẾ", 300, 100),
        _word("HOẠCH", 370, 100),
        _word("Kiểm", 200, 140),
        _word("soát", 270, 140),
        _word("TTHC", 340, 140),
        _word("II.", 100, 180, 20),
        _word("NHIỆM", 130, 180),
        _word("VỤ", 200, 180),
    ]
    assert scan.words_text(words) == "KẾ HOẠCH\nKiểm soát TTHC\nII. NHIỆM VỤ"
    assert scan.words_text(words[:5], right=600) == "KẾ HOẠCH Kiểm soát TTHC"


def _slanted(image: Image.Image, inset: int) -> Image.Image:
    """The page photographed at a slant: its top edge ``inset`` pixels narrower on each
    side than its bottom edge (the top further from the lens)."""
    width, height = image.size
    square = [(0, 0), (width, 0), (width, height), (0, height)]
    seen = [(inset, 0), (width - inset, 0), (width, height), (0, height)]
    return scan.warped(image, seen, square)


def test_a_page_photographed_at_a_slant_is_squared_up() -> None:
    """A photo taken with the page's top further away: the table's column lines lean in
    (the left and right borders by opposite slopes), and the grid was not found whole.
    Squared up, every column line is straight again; a page whose borders are parallel is
    left as it is."""
    page = _page(MERGES)
    slanted = _slanted(page, 45)
    squared = scan.unslant(slanted)
    (grid,) = scan.find_rules(squared)
    assert len(grid.xs) == 5 and len(grid.ys) == 6
    _assert_columns_straight(squared, grid)
    assert scan.unslant(page).tobytes() == page.convert("L").tobytes()


def _assert_columns_straight(squared: Image.Image, grid: scan.Grid) -> None:
    """The column lines stand straight: each at the same x at the table's top and
    bottom."""
    ink = scan._ink(squared)
    for x in grid.xs:
        top = ink[grid.ys[0] + 10, x - 4 : x + 5].any()
        bottom = ink[grid.ys[-1] - 10, x - 4 : x + 5].any()
        assert top and bottom, x


def test_a_dark_band_beside_a_table_is_no_column() -> None:
    """A photo's shadowed page edge runs down beside the table like a ruling line: it
    made an empty first column ("" before each row's number), so the next table's header
    differed. A column line lies within the table's row lines."""
    page = _page()
    ImageDraw.Draw(page).rectangle([20, 250, 40, 1050], fill=0)
    (grid,) = scan.find_rules(page)
    assert [abs(a - b) <= 3 for a, b in zip(grid.xs, XS, strict=True)] == [True] * 5


def test_thin_ruling_lines_of_a_large_photo_are_seen_to_square_it_up() -> None:
    """A large photo's ruling lines two pixels thin: looked at smaller to find the borders,
    they were averaged into grey and lost (the page left slanted); a block is ink when
    any of its pixels is."""
    width, height = 2500, 2800
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    xs, ys = (200, 400, 1200, 1800, 2300), (600, 760, 920, 1400, 1640, 2000)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    squared = scan.unslant(_slanted(page, 90))
    (grid,) = scan.find_rules(squared)
    assert len(grid.xs) == 5 and len(grid.ys) == 6


def test_a_table_low_on_a_slanted_photo_is_squared_up_too() -> None:
    """A table only in the lower part of a photo at a slant (the appendix starting under
    the plan's last lines): its short column lines, sheared about the page's middle
    height, which they do not reach, were gathered by a band of columns and taken for a
    shadow: the page was left slanted and its table not read. Sheared about the lines'
    own middle, they are found and the page squared up."""
    width, height = 1250, 1700
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    xs, ys = (100, 200, 600, 900, 1150), (1200, 1280, 1360, 1450, 1550)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for y in range(150, 1100, 60):  # the plan's last lines of text above it
        draw.line([(100, y), (1100, y)], fill=0, width=1)
    squared = scan.unslant(_slanted(page, 70))
    (grid,) = scan.find_rules(squared)
    assert len(grid.xs) == 5 and len(grid.ys) == 5
    _assert_columns_straight(squared, grid)
