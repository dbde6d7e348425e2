"""A damaged OCR text's indicator list: the national indicators it names, each with the
target of its own row, and nothing guessed where a name or a number was lost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.plans.damaged_targets import damaged_targets
from bot.plans.model import Cell, Comparator, Document, Paragraph, Table, WarningKind
from bot.plans.national import national_in_damaged
from bot.plans.parser import parse_plan

HEADING = "2. Danh muc cac chi tiéu lién quan"
HEADER = ["Stt Noi dung Don vi Chi tiéu Co quan", "chi tiéu nam 2026 thuc hién"]


def _found(lines: list[str]) -> dict[str, str]:
    return {row.indicator.key: row.target for row in damaged_targets(lines).rows}


def test_a_row_read_across_with_its_target_on_its_first_line() -> None:
    lines = [
        HEADING,
        *HEADER,
        "1 Ty lé cong % 100 Cac phong,",
        "b6, cong khai ban, nganh;",
        "TTHC dung UBND cap xa",
        "han. phéi hop",
        "2 Ty 1é thanh | % Tôi thiéu 75 | Cac phong,",
        "toan truc tuyén trén téng s6 giao dich",
    ]
    assert _found(lines) == {"publication": "100", "online_payment": "toi thieu 75"}
    assert [row.number for row in damaged_targets(lines).rows] == ["1", "2"]


def test_a_block_of_names_then_their_targets_column_by_column() -> None:
    """Tesseract reads the names of a page's rows, then the "%" of the unit column, then
    the numbers of the target column, each on a line of its own."""
    lines = [
        HEADING,
        *HEADER,
        "Ty lé s6 héa h6 so, két qua giai quyét TTHC.",
        "%",
        "T6i thiéu 85",
        "Ty 1é khai thac, str dung lai thong tin, dir liéu s6 hoa.",
        "Ty lé xu ly phan anh, kién nghi dung han.",
        "%",
        "%",
        "Toi thiéu 40",
        "100",
        "10",  # the next row's number, not a target
        "Mic do hai long cua nguoi dan, doanh nghiép.",
        "%",
        "Téi thiéu 92",
    ]
    assert _found(lines) == {
        "digitisation": "toi thieu 85",
        "data_reuse": "toi thieu 40",
        "feedback": "100",
        "satisfaction": "toi thieu 92",
    }


def test_a_lost_number_or_name_shifts_no_other_rows_target() -> None:
    lines = [
        HEADING,
        *HEADER,
        "Ty lé so hoa ho so, két qua giai quyét TTHC.",
        "Ty le cap ket qua giai quyet TTHC dién tir",
        "% Tối thiểu 80",
        "%",  # the electronic results' 100 was lost
        "Ty lé xu ly phan anh, kién nghi dung han.",
        "% 100",
        "{yigeua—]%",  # a row's start lost in a smudge: its target goes to no row
        "Tyléhéso truc tuyén trén téng s6 ho so tiép nhan",  # the next page's first row
        *HEADER,
        "Ty lé hé so nop truc tuyén",
        "% 65",
        "Ty lé TTHC ndi bé duoc ra soat, cong bé, cong khai",  # no national indicator
        "% 100",
    ]
    found = damaged_targets(lines)
    assert {row.indicator.key: row.target for row in found.rows} == {
        "digitisation": "toi thieu 80",
        "feedback": "100",
        "online_filing": "65",
    }
    # the row whose target the new page cut off, and the one whose number was lost
    assert found.numberless == [
        "Tỷ lệ cấp kết quả giải quyết TTHC điện tử",
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
    ]
    assert found.nameless == ["100"]


def test_nothing_outside_the_list_is_read() -> None:
    lines = [
        "Ty lé hé so truc tuyén dat 70%",  # a sentence of the plan, not under the list
        "1, Nguyén tac thuc hién chi tiéu",
        "b) tang thém 10%, nhung khéng nhé hon chi tiéu duge giao",
        "CHU TICH",
        "Ty lé so hoa % 90",
    ]
    found = damaged_targets(lines)
    assert (found.rows, found.nameless, found.numberless) == ([], [], [])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ty lé hé so truc tuyén trén téng s6 ho so tiép nhan, giai quyét TTHC", "online_filing"),
        ("Ty 1é khai thac, str dung lai théng tin, dir liéu s6.héa", "data_reuse"),
        ("Ty lé so hoa ho so, két qua giai quyét TTHC", "digitisation"),
        ("Mu do hai long cua nguoi dan, doanh nghiép", "satisfaction"),
        ("Ty lé két qua xu ly hé so TTHC dugc dong bo day du trén Cong", "synchronised"),
        # a measure no national indicator is, however alike its words
        ("Ty lé TTHC ndi bé duoc ra soat, cong bé, cong khai", None),
        ("Ty lé hé so giai quyét dung han", None),
        ("Ty lé nop hé so truc tuyén toan trinh", None),  # online filing, but end to end
    ],
)
def test_which_national_indicator_a_damaged_name_is(text: str, key: str | None) -> None:
    found = national_in_damaged(text)
    assert (found.key if found else None) == key


def test_a_damaged_plan_imports_only_what_it_read_surely() -> None:
    """The parser takes the list's national indicators under their standard names; a
    target in a task's damaged content whose name is no national indicator's is warned
    about, not imported."""
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian"],
        ["1", "Phan dau 100% ho so ndi bé duoc luan chuyén", "Văn phòng", "Thường xuyên"],
    ]
    table = Table(tuple(tuple(Cell(text) for text in row) for row in rows))
    listed = [HEADING, *HEADER, "1 Ty lé hé so truc tuyén trén téng s6 ho so | % Toi thiéu 70"]
    document = Document(
        "ke-hoach.txt",
        "text",
        (Paragraph("KE HOACH kiém soat thu tuc hanh chinh nam 2026"), table),
        repaired_words=12,
        restored_lines=tuple(["KE HOACH", *("\t".join(row) for row in rows), *listed]),
    )
    draft = parse_plan(document, year=2026)
    [indicator] = draft.indicators
    assert indicator.name == "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC"
    assert (indicator.comparator, indicator.target) == (Comparator.AT_LEAST, Decimal(70))
    assert indicator.aliases == []  # the damaged words are no name to keep
    unread = [w for w in draft.warnings if w.kind is WarningKind.TARGET_UNREAD]
    assert [(w.task_code, w.detail) for w in unread] == [("1", "= 100")]


def test_a_name_wrapped_onto_a_line_of_header_like_words_is_no_new_page() -> None:
    lines = [
        HEADING,
        *HEADER,
        "Ty le cap",
        "két qua",  # "kết quả" alone: the name going on, not the header repeated
        "giai quyét TTHC dién tir",
        "%",
        "100",
    ]
    assert _found(lines) == {"electronic_results": "100"}


def test_a_percent_whose_number_never_came_is_lost_at_the_next_row() -> None:
    lines = [
        HEADING,
        *HEADER,
        "Ty 16 s6 héa hé so, két qua giai quyét TTHC.",
        "ix",
        "Ti thiéu 85",  # "Tối thiểu", its first word garbled
        "Ty lé xu ly phan anh, kién nghi dung han.",
        "%",
        "hae",  # its 100, garbled past reading
        "10",  # the next row's number, though a "%" waits
        "Muc do hai long cua nguoi dan, doanh nghiép.",
        "te",
        "Le thiéu 92",
        "Ty léhoso truc tuyén trén téng so ho so tiép nhan | % 75",  # "lệ hồ sơ" run together
    ]
    found = damaged_targets(lines)
    assert {row.indicator.key: row.target for row in found.rows} == {
        "digitisation": "toi thieu 85",
        "satisfaction": "toi thieu 92",
        "online_filing": "75",
    }
    assert found.numberless == ["Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn"]
