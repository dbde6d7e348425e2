"""Borderless tables from word positions (bot.plans.pdf_borderless), on pages made of
words placed by hand: columns from the header's gaps, rows from the number column, cells
merged across columns, the text after the table, a table over pages, and text that only
looks like columns."""

from __future__ import annotations

from dataclasses import dataclass

from bot.plans.pdf_borderless import MIN_ROWS, Piece, find_tables

SIZE = 11.0
CHAR = 0.5 * SIZE  # every letter as wide
SPACE = 0.25 * SIZE
# The columns' left edges: number, content, lead unit, time.
NUMBER, CONTENT, LEAD, TIME = 90.0, 130.0, 300.0, 410.0


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = SIZE


@dataclass
class Line:
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


def line(top: float, *cells: tuple[float, str]) -> Line:
    """A printed line: each cell's text set from its x, a space between words."""
    words = []
    for x, text in cells:
        for token in text.split():
            width = len(token) * CHAR
            words.append(Word(token, x, x + width, top, top + SIZE))
            x += width + SPACE
    return Line(sorted(words, key=lambda w: w.x0))


HEADER = line(100, (NUMBER, "STT"), (CONTENT, "Nội dung"), (LEAD, "Chủ trì"), (TIME, "Thời gian"))


def rows(piece: Piece) -> list[list[tuple[int, int, str]]]:
    """Each row's cells: (first column, last column, text, lines joined by " / ")."""
    return [
        [
            (cell.first, cell.last, " / ".join(" ".join(w.text for w in ws) for ws in cell.lines))
            for cell in row
        ]
        for row in piece.rows
    ]


def texts(piece: Piece) -> list[list[str]]:
    return [[text for _, _, text in row] for row in rows(piece)]


def a_table(top: float = 125) -> list[Line]:
    return [
        line(top, (NUMBER, "1"), (CONTENT, "Rà soát thủ tục"), (LEAD, "Phòng Tư"), (TIME, "Quý I")),
        line(top + 15, (CONTENT, "hành chính"), (LEAD, "pháp")),
        line(
            top + 40,
            (NUMBER, "2"),
            (CONTENT, "Niêm yết công"),
            (LEAD, "Văn phòng"),
            (TIME, "Tháng 6"),
        ),
        line(top + 55, (CONTENT, "khai"), (LEAD, "UBND")),
    ]


def test_columns_from_the_header_and_rows_from_the_numbers() -> None:
    page = [line(60, (NUMBER, "Phụ lục kèm theo kế hoạch")), HEADER, *a_table()]
    (pieces,) = find_tables([page])
    (piece,) = pieces
    assert (piece.start, piece.end) == (1, len(page))
    assert texts(piece) == [
        ["STT", "Nội dung", "Chủ trì", "Thời gian"],
        ["1", "Rà soát thủ tục / hành chính", "Phòng Tư / pháp", "Quý I"],
        ["2", "Niêm yết công / khai", "Văn phòng / UBND", "Tháng 6"],
    ]
    edges = piece.layout.edges
    # Each edge between the last word of a column and the first of the next.
    assert NUMBER + 3 * CHAR < edges[1] <= CONTENT
    assert CONTENT + len("Rà soát thủ tục") * CHAR < edges[2] <= LEAD
    assert LEAD + len("Văn phòng") * CHAR < edges[3] <= TIME


def test_a_header_over_two_lines_is_one_row() -> None:
    header = [
        line(100, (NUMBER, "TT"), (CONTENT, "Nội dung"), (LEAD, "Đơn vị"), (TIME, "Thời gian")),
        line(115, (CONTENT, "công việc"), (LEAD, "chủ trì"), (TIME, "thực hiện")),
    ]
    (pieces,) = find_tables([[*header, *a_table(140)]])
    assert texts(pieces[0])[0] == [
        "TT",
        "Nội dung / công việc",
        "Đơn vị / chủ trì",
        "Thời gian / thực hiện",
    ]
    assert len(pieces[0].rows) == 3


def test_a_heading_written_across_columns_merges_them_for_its_row() -> None:
    heading = line(
        125, (NUMBER, "I"), (CONTENT, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH KIỂM SOÁT THỦ TỤC HÀNH")
    )
    (pieces,) = find_tables([[HEADER, heading, *a_table(150)]])
    first, last, text = rows(pieces[0])[1][1]
    assert (first, text) == (1, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH KIỂM SOÁT THỦ TỤC HÀNH")
    assert last >= 2  # it runs over the lead unit's column at least
    assert texts(pieces[0])[2][:2] == ["1", "Rà soát thủ tục / hành chính"]


def test_a_row_merged_across_the_whole_table_does_not_end_it() -> None:
    part = line(125, (NUMBER, "PHẦN A. NHIỆM VỤ TRỌNG TÂM CỦA CÁC CƠ QUAN"))
    (pieces,) = find_tables([[HEADER, part, *a_table(150)]])
    (piece,) = pieces
    assert len(piece.rows) == 4
    first, last, _ = rows(piece)[1][0]
    assert first == 0 and last >= 1  # from the number column over the content
    assert texts(piece)[2][0] == "1"


def test_the_text_after_the_table_is_not_in_it() -> None:
    after = [
        line(210, (NUMBER, "Nơi nhận: như trên.")),  # words in the number column alone
        line(235, (NUMBER, "Tổ chức thực hiện: các cơ quan căn cứ kế hoạch này triển khai")),
    ]
    page = [HEADER, *a_table(), *after]
    (pieces,) = find_tables([page])
    assert pieces[0].end == len(page) - len(after)


def test_a_number_set_in_the_middle_of_its_row_takes_the_lines_above_it() -> None:
    page = [
        HEADER,
        line(125, (CONTENT, "Rà soát thủ tục"), (LEAD, "Phòng Tư"), (TIME, "Quý I")),
        line(140, (NUMBER, "1"), (CONTENT, "hành chính"), (LEAD, "pháp")),
        line(155, (CONTENT, "cấp xã")),
        line(180, (CONTENT, "Niêm yết công"), (LEAD, "Văn phòng"), (TIME, "Tháng 6")),
        line(195, (NUMBER, "2"), (CONTENT, "khai")),
        line(210, (CONTENT, "thủ tục")),
    ]
    (pieces,) = find_tables([page])
    assert texts(pieces[0])[1:] == [
        ["1", "Rà soát thủ tục / hành chính / cấp xã", "Phòng Tư / pháp", "Quý I"],
        ["2", "Niêm yết công / khai / thủ tục", "Văn phòng", "Tháng 6"],
    ]


def test_a_table_goes_on_over_the_page_and_the_cut_row_is_marked() -> None:
    first = [HEADER, *a_table()]
    second = [
        line(60, (CONTENT, "tại bộ phận một cửa"), (LEAD, "HĐND")),
        line(85, (NUMBER, "3"), (CONTENT, "Kiểm tra"), (LEAD, "Phòng Nội vụ"), (TIME, "Quý IV")),
    ]
    pages = find_tables([first, second])
    (following,) = pages[1]
    assert following.continued and following.layout == pages[0][0].layout  # none to move
    assert following.cut is True
    assert texts(following) == [
        ["", "tại bộ phận một cửa", "HĐND", ""],
        ["3", "Kiểm tra", "Phòng Nội vụ", "Quý IV"],
    ]


def test_a_header_repeated_on_the_next_page_is_its_own_row() -> None:
    second = [
        line(60, *[(w.x0, w.text) for w in HEADER.words]),
        line(85, (NUMBER, "3"), (CONTENT, "Kiểm tra"), (LEAD, "Phòng Nội vụ"), (TIME, "Quý IV")),
    ]
    pages = find_tables([[HEADER, *a_table()], second])
    assert texts(pages[1][0])[0] == texts(pages[0][0])[0]
    assert pages[1][0].cut is None  # a numbered row opens the page


def test_a_new_row_without_number_after_a_heading_is_not_the_cut_row() -> None:
    heading = line(190, (NUMBER, "6"), (CONTENT, "KIỂM TRA HOẠT ĐỘNG KIỂM SOÁT THỦ TỤC HÀNH"))
    second = [
        line(60, (CONTENT, "Tổ chức kiểm tra"), (LEAD, "Văn phòng"), (TIME, "Năm 2025")),
        line(85, (NUMBER, "7"), (CONTENT, "Báo cáo"), (LEAD, "Phòng Nội vụ"), (TIME, "Quý IV")),
    ]
    pages = find_tables([[HEADER, *a_table(), heading], second])
    assert pages[1][0].cut is False


def test_a_page_that_starts_otherwise_ends_the_table() -> None:
    second = [line(60, (NUMBER, "II. TỔ CHỨC THỰC HIỆN các cơ quan căn cứ kế hoạch này"))]
    pages = find_tables([[HEADER, *a_table()], second])
    assert len(pages[0]) == 1 and pages[1] == []


def test_one_row_is_a_table_only_if_it_goes_on_over_the_page() -> None:
    assert MIN_ROWS == 2
    one = [HEADER, *a_table()[:2]]
    assert find_tables([one]) == [[]]
    prose = [line(60, (NUMBER, "Căn cứ kế hoạch này, các cơ quan đơn vị triển khai thực hiện"))]
    assert find_tables([one, prose]) == [[], []]
    more = [line(60, (NUMBER, "2"), (CONTENT, "Niêm yết"), (LEAD, "Văn phòng"), (TIME, "Quý II"))]
    pages = find_tables([one, more])
    assert [len(p) for p in pages] == [1, 1]


def test_a_table_is_not_continued_where_the_page_does_not_start_with_it() -> None:
    more = [line(60, (NUMBER, "2"), (CONTENT, "Niêm yết"), (LEAD, "Văn phòng"), (TIME, "Quý II"))]
    pages = find_tables([[HEADER, *a_table()], more], goes_on=[True, False])
    assert pages[1] == []


def test_prose_a_letterhead_and_typed_columns_are_no_table() -> None:
    # Justified prose: wide gaps, but lines run across every would-be column.
    prose = [
        line(
            100 + 15 * i,
            (90, "Căn cứ"),
            (160, "Luật Tổ chức"),
            (260, "chính quyền"),
            (380, "địa phương"),
        )
        for i in range(3)
    ] + [line(150, (90, "ngày 19 tháng 6 năm 2015 của Quốc hội về tổ chức chính quyền"))]
    assert find_tables([prose]) == [[]]
    # Two columns side by side (a letterhead): fewer than three.
    letterhead = [
        line(60, (90, "ỦY BAN NHÂN DÂN"), (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        line(75, (90, "HUYỆN SƠN TÂY"), (330, "Độc lập - Tự do - Hạnh phúc")),
        line(90, (90, "Số: 15/KH-UBND"), (330, "Sơn Tây, ngày 10 tháng 01")),
    ]
    assert find_tables([letterhead]) == [[]]
    # A text file printed as it is: a tab-separated header, then rows as long lines
    # wrapped at the margin, runs of spaces where the tabs were.
    typed = [
        HEADER,
        line(
            125, (NUMBER, "1.1 Kế hoạch kiểm soát thủ tục hành chính năm 2025"), (400, "Văn phòng")
        ),
        line(140, (NUMBER, "HĐND và UBND"), (190, "Các cơ quan đơn vị có liên quan Tháng 01/2025")),
        line(155, (NUMBER, "1.2"), (120, "Kế hoạch thông tin tuyên truyền về kiểm soát thủ tục")),
        line(170, (NUMBER, "hành chính Văn phòng HĐND và UBND"), (340, "Các cơ quan đơn vị")),
        line(185, (NUMBER, "1.3"), (120, "Kế hoạch kiểm tra việc thực hiện kiểm soát thủ tục")),
    ]
    assert find_tables([typed]) == [[]]


def test_the_header_of_another_table_is_not_taken_for_this_ones() -> None:
    other = line(
        200, (NUMBER, "STT"), (CONTENT, "Nội dung"), (LEAD, "tuyên truyền"), (TIME, "Kết quả")
    )
    words = {w.text for w in other.words}
    assert words - {w.text for w in HEADER.words}  # other words: another header
    second = [other, *a_table(225)]
    pages = find_tables([[HEADER, *a_table()], second])
    (piece,) = pages[1]
    assert not piece.headed  # the page's first row is that header, as a row
    assert texts(piece)[0][:2] == ["STT", "Nội dung"]


def test_a_table_with_other_columns_begins_where_its_header_is() -> None:
    second_header = line(
        220, (NUMBER, "TT"), (180, "Chỉ tiêu"), (420, "Đơn vị tính"), (700, "Mục tiêu")
    )
    page = [
        HEADER,
        *a_table(),
        second_header,
        line(245, (NUMBER, "1"), (180, "Tỷ lệ hồ sơ"), (420, "%"), (700, "100")),
        line(270, (NUMBER, "2"), (180, "Số hóa"), (420, "%"), (700, "80")),
    ]
    (pieces,) = find_tables([page])
    assert len(pieces) == 2
    assert pieces[0].end == page.index(second_header) == pieces[1].start
    assert texts(pieces[1])[1] == ["1", "Tỷ lệ hồ sơ", "%", "100"]


def test_a_header_cell_set_above_the_header_line_belongs_to_the_header() -> None:
    header = [
        line(92, (TIME, "Thời gian")),  # the tallest header cell, from the header's top
        line(100, (NUMBER, "STT"), (CONTENT, "Nội dung"), (LEAD, "Chủ trì")),
        line(108, (TIME, "thực hiện")),
    ]
    (pieces,) = find_tables([[line(40, (NUMBER, "PHỤ LỤC")), *header, *a_table()]])
    assert pieces[0].start == 1
    assert texts(pieces[0])[0] == ["STT", "Nội dung", "Chủ trì", "Thời gian / thực hiện"]


def test_a_number_centred_in_a_row_that_a_merged_cell_joins_to_the_next() -> None:
    # The lead unit is one cell merged over both rows, set in their middle: no blank
    # band parts the rows, so each row begins at the top of its content cell.
    page = [
        HEADER,
        line(125, (CONTENT, "Rà soát thủ tục"), (TIME, "Quý I")),
        line(140, (NUMBER, "1"), (CONTENT, "hành chính")),
        line(155, (CONTENT, "cấp xã"), (LEAD, "Văn phòng")),
        line(170, (LEAD, "UBND")),
        line(180, (CONTENT, "Niêm yết công"), (TIME, "Quý II")),
        line(195, (NUMBER, "2"), (CONTENT, "khai")),
        line(210, (CONTENT, "thủ tục")),
    ]
    (pieces,) = find_tables([page])
    assert texts(pieces[0])[1:] == [
        ["1", "Rà soát thủ tục / hành chính / cấp xã", "Văn phòng / UBND", "Quý I"],
        ["2", "Niêm yết công / khai / thủ tục", "", "Quý II"],
    ]
