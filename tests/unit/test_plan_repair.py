"""The repair of plan text damaged by OCR without Vietnamese data (bot.plans.repair)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.language.normalize import fold, strip_diacritics
from bot.language.timeframes import Cadence, TimeframeKind, parse_timeframe
from bot.plans import repair
from bot.plans.files import Budget, PlanFileError
from bot.plans.model import WarningKind
from bot.plans.parse_columns import detect_columns
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.repair import looks_damaged, measure, repair_text
from bot.plans.text import read_text
from tests.plans_fixtures import SAMPLE_NAMES
from tests.repair_scoring import (
    DAMAGED,
    DATA,
    SYNTHETIC,
    VARIANTS,
    score,
    score_synthetic,
    synthetic_names,
    unit_names,
)

DEMO = Path(__file__).parents[2] / "bot" / "data" / "demo-plan.txt"


def _line(text: str, names: tuple[str, ...] = ()) -> str:
    return repair_text(text, names).text


# --- the measure: clean texts are never touched ---------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_clean_samples_do_not_look_damaged(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    assert not looks_damaged(text)
    document = read_text(text, f"{name}.txt", unit_names=unit_names())
    assert document.repaired_words == 0
    assert document == read_text(text, f"{name}.txt")


def test_demo_plan_and_unaccented_text_are_left_alone() -> None:
    assert not looks_damaged(DEMO.read_text(encoding="utf-8"))
    unaccented = (
        "Ke hoach kiem soat thu tuc hanh chinh nam 2025 cua UBND xa Son Duong. "
        "Cac phong ban thuc hien thuong xuyen trong nam, bao cao hang thang."
    )
    assert not looks_damaged(unaccented)


# A clean table with what the second and third rounds' repairs look for: a page's
# repeated header, a row whose number is printed below its cells, a remark in
# parentheses, the next appendix, "Bộ Công an", short civil servant titles, a section
# numeral, a numberless row after the last number.
_CLEAN_TRAPS = """KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2025 của UBND xã Sơn Đông

PHỤ LỤC I
STT\tNội dung công việc\tĐơn vị chủ trì\tThời gian thực hiện\tSản phẩm
1\tThực hiện văn bản của Bộ Công an về dữ liệu dân cư\tCông chức Tư pháp\tThường xuyên\tBáo cáo
2\tTổng hợp báo cáo (báo cáo quý I, II, III, cả năm)\tCông chức Văn hóa\tTrong năm\tBáo cáo
3\tRà soát thành phần hồ sơ\tVăn phòng HĐND và UBND\tĐịnh kỳ 06 tháng và cuối năm\tDanh mục
STT\tNội dung công việc\tĐơn vị chủ trì\tThời gian thực hiện\tSản phẩm
4\tThực hiện rà soát thủ tục nội bộ\tCông an xã\tTheo lộ trình\t
III.\tThực hiện TTHC trên môi trường điện tử\t\t\t
5\tBáo cáo về tình hình\tVăn phòng HĐND và UBND\tĐịnh kỳ 3 tháng/lần\tBáo cáo
\tTriển khai thực hiện báo cáo\tCông chức Văn hóa\tTheo kế hoạch\t

Phụ lục II
CHỈ TIÊU LIÊN QUAN
"""


def test_clean_table_is_never_repaired() -> None:
    """None of the repairs fires on a clean text: it does not look damaged, and it is
    read the same with the deployment's names as without them."""
    assert not looks_damaged(_CLEAN_TRAPS)
    document = read_text(_CLEAN_TRAPS, "ke-hoach.txt", unit_names=("Công an xã",))
    assert document.repaired_words == 0
    assert document == read_text(_CLEAN_TRAPS, "ke-hoach.txt")
    draft = parse_plan(document, year=2025)
    got = {t.code: (t.lead, t.timeframe_text) for t in draft.tasks}
    assert got["1"] == (["Công chức Tư pháp"], "Thường xuyên")
    assert got["2"] == (["Công chức Văn hóa"], "Trong năm")
    assert got["3"][1] == "Định kỳ 06 tháng và cuối năm"
    assert got["4"] == (["Công an xã"], "Theo lộ trình")
    assert got["5"] == (["Văn phòng HĐND và UBND"], "Định kỳ 3 tháng/lần")
    assert "6" not in got  # a numberless last row is numbered by the repair only


def test_short_text_is_not_judged() -> None:
    assert not looks_damaged("Kiém soat tha tuc hanh chmh")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_damaged_samples_look_damaged(name: str) -> None:
    damage = measure((DAMAGED / f"{name}.txt").read_text(encoding="utf-8"))
    assert damage.damaged
    assert damage.vietnamese_share < 0.05


@pytest.mark.parametrize(
    "path", sorted(DAMAGED.glob("*/*.txt")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_every_damaged_text_looks_damaged(path: Path) -> None:
    """The variants and the made-up plans' texts too (a short plan has few words OCR
    made unreadable: 2.5 % of them)."""
    assert looks_damaged(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [*(DATA / f"{n}.txt" for n in SAMPLE_NAMES), DEMO])
def test_plans_typed_without_accents_do_not_look_damaged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not looks_damaged(strip_diacritics(text).replace("Đ", "D").replace("đ", "d"))


# --- words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("Kiém soat tha tuc hanh chmh", "Kiểm soát thủ tục hành chính"),
        ("trình UBND x4 phê duyệt", "trình UBND xã phê duyệt"),
        ("Thang 8/2025", "Tháng 8/2025"),
        ("Quy Il1/2025", "Quý III/2025"),
        ("Thuong xuyén", "Thường xuyên"),
        ("Truoc ngay 15/3/2025", "Trước ngày 15/3/2025"),
        ("Il1. NHIEM VU VA GIAI PHAP", "III. NHIỆM VỤ VÀ GIẢI PHÁP"),
        ("IV. T6 CHUC THUC HIEN", "IV. TỔ CHỨC THỰC HIỆN"),
        ("Tháng O1/2O25", "Tháng 01/2025"),
        ("l. MUC DICH, YEU CAU", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("1. Muc dich", "1. Mục đích"),
        ("ngay l0/10/2012", "ngày 10/10/2012"),
        ("Van phong HDND va UBND", "Văn phòng HĐND và UBND"),
        ("Dw kién san pham", "Dự kiến sản phẩm"),
    ],
)
def test_words_restored(damaged: str, restored: str) -> None:
    assert _line(damaged) == restored


@pytest.mark.parametrize(
    "kept",
    [
        "theo quy dinh cua phap luat",  # "quy" not before a number: not Quý
        "xa hon nua",  # "xa" not after a unit word: not xã
        "nam sinh vien",  # "nam" not before a year
        "Il faut",  # a roman-looking word not numbering a section
    ],
)
def test_ambiguous_words_kept(kept: str) -> None:
    assert _line(kept) == kept


def test_unit_names_given_are_restored() -> None:
    names = ("Phường Trung Lương", "Xã Cổ Đông")
    assert _line("UBND phuong Trung Luong va x4 C6 Dong", names) == (
        "UBND phường Trung Lương va xã Cổ Đông"
    )


def test_national_indicator_restored() -> None:
    assert _line("Ty lé hé so truc tuyén trén tong s6 hé so tiép nhan, giai quyét TTHC") == (
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC"
    )


# --- tables ----------------------------------------------------------------------------

_TABLE = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
TT | Noi dung céng viéc | Don vi chu tri | Thoi gian thuc hién
Il Céng tac chi dao diéu hanh
1 | Xay dung Ké hoach kiém soat | Van phong HDND | Thang 2/2025
thu tuc hanh chinh nam | va UBND |
2025 |
2 | Cong khai thu tuc hanh chinh | Céng an x4 | Thuong
tai Bo phan Mot cua | | xuyén
3 | Bao cao két qua | Van phong HDND | Quy Il1/2025
va UBND |
"""


def test_damaged_table_goes_in_with_every_task_to_check() -> None:
    document = read_document(_TABLE.encode(), "ocr.txt", unit_names=("Công an xã",))
    assert document.repaired_words > 10
    draft = parse_plan(document, year=2025)
    got = {t.code: (t.lead, t.timeframe) for t in draft.tasks}
    assert set(got) == {"1", "2", "3"}
    assert got["1"][0] == ["Văn phòng HĐND và UBND"]
    assert got["1"][1] is not None and str(got["1"][1].due) == "2025-02-28"
    assert got["2"][0] == ["Công an xã"]
    assert got["2"][1] is not None and got["2"][1].kind is TimeframeKind.CONTINUOUS
    assert got["3"][1] is not None and str(got["3"][1].due) == "2025-09-30"
    checks = {w.task_code for w in draft.warnings if w.kind is WarningKind.CHECK_READING}
    assert checks == {"1", "2", "3"}
    assert draft.tasks[0].section is not None and draft.tasks[0].section.startswith("II")


# The number column read apart from the cells (each number a paragraph of its own):
# the rows whose cells are lost are not made up, their numbers are listed as not read.
_NUMBERS_ALONE = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
TT | Noi dung céng viéc | Don vi chu tri | Thoi gian thuc hién
1 | Xay dung Ké hoach kiém soat | Van phong HDND | Thang 2/2025
thu tuc hanh chinh nam | va UBND |
2025 |

2

3

4 | Bao cao két qua | Van phong HDND | Quy Il1/2025
va UBND |
"""


def test_numbers_read_without_their_rows_are_listed_not_made_up() -> None:
    document = read_document(_NUMBERS_ALONE.encode(), "ocr.txt")
    assert document.repaired_words > 10
    draft = parse_plan(document, year=2025)
    assert [t.code for t in draft.tasks] == ["1", "4"]
    assert draft.tasks[1].content.startswith("Bao cao kết quả")
    missing = [w.detail for w in draft.warnings if w.kind is WarningKind.NUMBERS_MISSING]
    assert missing == ["2–3"]


# Roman numerals all lost, numbers starting again at 1 in each section, a speck read as
# a digit before a number ("72"), the header's words run together ("Noidung").
_NUMERALS_LOST = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2024 cua UBND phuong Trung Luong

PHU LUC
TT | Noidung céng viéc | Co quan chu tri | Thoi gian thuc hién
I Céng tac chi dao diéu hanh kiém soat TTHC
1 | Xay dung Ké hoach kiém soat | Céng chirc Van phong | Thang 2
2 | Chi dao, huéng dan céng chirc | Céng chirc Van phong | Thuong xuyén
1 | Ra soat, don gian héa thu tuc | Céng chirc Tu phap | Thang 3
2 | Tong hop két qua ra soat | Céng chirc Tu phap | Thang 8
1 | Cap nhat, niém yét TTHC | Céng chirc Van hoa | Thuong xuyén
72 | Gép y du thao Quyét dinh | Céng chirc Van hoa | Khi cé yéu cau
"""


def test_sections_whose_numerals_were_lost_are_opened_where_numbers_start_again() -> None:
    draft = parse_plan(read_document(_NUMERALS_LOST.encode(), "ocr.txt"), year=2024)
    assert [t.code for t in draft.tasks] == ["I.1", "I.2", "II.1", "II.2", "III.1", "III.2"]
    # the lost sections' titles were not read: said so, not made up
    assert [t.section for t in draft.tasks[2:]] == ["II. …"] * 2 + ["III. …"] * 2
    assert draft.tasks[3].lead == ["Công chức Tư pháp"]
    assert draft.tasks[5].timeframe is not None
    assert draft.tasks[5].timeframe.kind is TimeframeKind.ON_DEMAND
    assert not [w for w in draft.warnings if w.kind is WarningKind.NUMBERS_MISSING]


@pytest.mark.parametrize("title", ["TP-HT", "VH-XH", "TC-KT", "ĐC-XD", "VP-TK"])
def test_commune_civil_servants_titles_in_short_are_units(title: str) -> None:
    text = _NUMERALS_LOST.replace("Céng chirc Tu phap | Thang 3", f"Céng chirc {title} | Thang 3")
    draft = parse_plan(read_document(text.encode(), "ocr.txt"), year=2024)
    assert draft.tasks[2].lead == [f"Công chức {title}"]


def test_a_numbering_running_on_with_a_few_ones_opens_no_sections() -> None:
    # Tasks 1–20 numbered on through the sections, three items numbered "1" (a
    # sub-heading's number read as a task's): no section is opened at each "1".
    head, _, _ = _NUMERALS_LOST.partition("1 | Xay dung")
    rows = [f"{n} | Ra soat thu tuc so {n} | Céng chirc Tu phap | Thang 3" for n in range(1, 21)]
    for at in (15, 10, 5):
        rows.insert(at, "1 | Kiém soat viéc ban hanh quy dinh | Céng chirc Van hoa | Thang 4")
    draft = parse_plan(read_document((head + "\n".join(rows)).encode(), "ocr.txt"), year=2024)
    codes = [t.code for t in draft.tasks]
    assert codes[:6] == ["1", "2", "3", "4", "5", "1 (2)"]
    assert codes[-1] == "20" and not any(t.section and "…" in t.section for t in draft.tasks)


# A units cell read line by line among the other columns' words: "Cong an" / "huyén
# phéi" / … "hop." ("Công an huyện phối hợp"), its "hợp" far under another column.
_PHOI_APART = """KE HOACH
Hoat dong kiém soat tha tuc hanh chmh nam 2025 trén dia ban huyén Son Tay
Can cti Nghi dinh s6 63/2010/ND-CP cia Chinh phi vé kiém soat tha tuc hanh chmh;
Uy ban nhan dan huyén ban hanh Ké hoach nhu sau

Stt Noi dung Két qua Co quan, Thoi gian
céng viéc céng viéc don vi thuc hién
thuc hién
1 Xay dung ké | Ké hoach | - Van phong | Quy I
hoach kiém soat | ban hanh | HDND&UBND huyén chu tri. |
TTHC nam 2025.
2 Tiép tuc theo | Van ban kién:| Cong an Thuong
doi, huéng nghi B6 Céng | huyén phéi xuyén
dan trién an huéng hop.
khai viéc tich | dan thuc ;
hop, két néi | hién viéc tich
"""


def test_a_unit_followed_by_phoi_cooperates_when_its_hop_went_far() -> None:
    names = ("Công an huyện", "Văn phòng HĐND&UBND huyện")
    document = read_document(_PHOI_APART.encode(), "ocr.txt", unit_names=names)
    assert document.repaired_words > 20
    first, second = parse_plan(document, year=2025).tasks
    assert first.lead == ["Văn phòng HĐND&UBND huyện"]
    assert second.lead == []  # the plan names no lead there: nothing made up
    assert second.timeframe is not None and second.timeframe.kind is TimeframeKind.CONTINUOUS


@pytest.mark.parametrize(
    ("lines", "cadences"),
    [
        (
            [
                "42 Thu trudng Bao cao cu - Cac phong, | Dinh ky 06",
                "cac phong, thé két qua’ | ban, nganh; |. thang.va cudi",
                "ban, nganh; | trién khai UBND cap nam",
                "Chi tich thuc hién xa.",
            ],
            {Cadence.HALF, Cadence.YEAR},
        ),
        (
            [
                "50 Bao cao vé - Bao cao ve’ | - Van phong. | -'Dinh ky 3",
                "tinh hinh, két | tinh hinh va. | HDND&UBN | thang/lan.",
                "qua kiém két qua thuc. | D huyén cht .| - Dot xuat",
            ],
            {Cadence.QUARTER},
        ),
    ],
)
def test_a_period_read_across_lines_keeps_its_months(
    lines: list[str], cadences: set[Cadence]
) -> None:
    # "Định kỳ 06" at one line's end, "tháng và cuối" at the next, "năm" below: the
    # other columns' words between are no part of it
    text = repair._time_in(lines, last=True)
    assert text.startswith("Định kỳ")
    timeframe = parse_timeframe(text, 2025)
    assert timeframe.kind is TimeframeKind.RECURRING and set(timeframe.cadences) == cadences


def test_a_header_with_words_run_together_and_misread_is_a_header() -> None:
    lines = [
        "TT Noidung.|Coquan |Coquan. | Du kién Thoi gian",
        "tuyén chủ trì phéi hep | sản phẩm | thực hiện",  # "hợp" read "hep"
        ". truyén",
        "1 100% ho Cong chute | Văn phòng |°S6 hé so Thuong",
    ]
    assert repair._header_at(lines, 0) == 2
    # "N6idung": a digit read for a letter in the content column's name
    lines[0] = "TT ‘| N6idung [Co quan | Co quan Dw kién ~ | Thoi gian |"
    assert repair._header_at(lines, 0) == 2


def test_repair_keeps_to_the_reading_time_budget() -> None:
    text = (DAMAGED / f"{SAMPLE_NAMES[2]}.txt").read_text(encoding="utf-8")
    ticks = iter(range(10_000))  # a clock that moves one second at each look
    with pytest.raises(PlanFileError) as caught:
        read_text(text, "ocr.txt", Budget(lambda: float(next(ticks)), seconds=50))
    assert caught.value.reason == "too_slow"


def test_clean_plan_has_no_check_warnings() -> None:
    name = SAMPLE_NAMES[1]
    document = read_document((DATA / f"{name}.txt").read_bytes(), f"{name}.txt")
    draft = parse_plan(document)
    assert not [w for w in draft.warnings if w.kind is WarningKind.CHECK_READING]


# --- rebuilding rows from flattened lines (written for the tests) ---------------------


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("2.1 Xay dung ké hoach | Van phong", ("2.1", False)),
        ("[3:2 | Cong khai TTHC", ("3.2", False)),
        ("} 4", ("4", False)),
        ("1 cua UBND tinh.", None),  # a date wrapped ("…/202" / "1 của"), not a row
        ("V Tiép nhan va xu ly phan anh, kién nghi", ("V", True)),
        ("B Thuc hién, giai quyét TTHC, cung cap", ("B", True)),
        ("I Thang 9", None),  # a stray stroke before a timeframe
        ("‘17", ("17", False)),  # a speck read as a quote before the number
        ("'II | Cai cach thu tuc hanh chinh cap xa", ("II", True)),
        ("“ nam 2025", None),
    ],
)
def test_row_starts(line: str, start: tuple[str, bool] | None) -> None:
    got = repair._row_start(line)
    assert (got[0], got[2]) == start if got else start is None


# Roman sections, a task whose number OCR lost right under its section, a lead cell
# merged down two rows (printed once), units spelt apart and misspelt in a column read
# line by line.
_SECTIONS = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
TT Noi dung | Don vi | Don vi | San pham | Thoi gian
céng viéc | chu tri | phéi hop | | thuc hién
I Céng tac chi dao diéu hanh kiém soat thu tuc
hanh chinh

Ban hanh | Céng chitc | Cac co quan | Ké hoach | Thang 3
ké hoach | VP-TK | don vi co | | nam 2025
kiém soat | | lién quan |
2 Tong hop | | Cac co quan | Bao cao | Thuong
bao cao | | don vi co | | xuyén
| | lién quan |
II Tiép nhan, xu ly phan anh, kién nghi cua ca nhan
1 Tiép nhan | Céng an | Céng chitc | Van ban | Quy Il1
phan anh | x4 | VP-TK | tra loi | nam 2025
"""


def test_rows_rebuilt_under_sections() -> None:
    document = read_document(_SECTIONS.encode(), "ocr.txt", unit_names=("Công an xã",))
    assert document.repaired_words > 10
    draft = parse_plan(document, year=2025)
    tasks = draft.tasks
    assert [(t.section or "")[:3] for t in tasks] == ["I. ", "I. ", "II."]
    assert [t.written_code for t in tasks][1:] == ["2", "1"]  # the first one's was lost
    assert [t.lead for t in tasks] == [["Công chức VP-TK"], ["Công chức VP-TK"], ["Công an xã"]]
    # "Céng chitc" / "VP-TK" spelt in its column; then merged down from the row above
    due = [t.timeframe.due if t.timeframe else None for t in tasks]
    assert [str(d) for d in due] == ["2025-03-31", "None", "2025-09-30"]
    assert tasks[1].timeframe is not None
    assert tasks[1].timeframe.kind is TimeframeKind.CONTINUOUS
    checks = {w.task_code for w in draft.warnings if w.kind is WarningKind.CHECK_READING}
    assert checks == {t.code for t in tasks}


def test_header_with_a_rule_read_between_each_column() -> None:
    """Six columns, a "|" read at each rule: the rules are no words (eighteen pieces,
    twelve words)."""
    lines = [
        "TT | Noi dung | Don vi | Don vi a Thoi gian | D Du kien | Ghi chu |",
        "",
        "thuc hien | phoi hop | hoan san pham.",
        "1.1 To chuc | Cong an | Truoc",
    ]
    assert repair._header_at(lines, 0) == 3


def test_header_whose_content_column_name_was_lost() -> None:
    """ "STT" and three other columns named, the content column's name lost (OCR read
    "Nội dung" into the shading): still the header; a line naming two columns is not."""
    lines = [
        ": STT. Bon vi Co quan' | Ket Thoi gian",
        "thuc hien | phoi hop |-qua/san - | hoan",
        "pham thanh",
        "1 Thuc hien | Phong Tai | Phong Tu | Van ban Quy III",
    ]
    assert repair._header_at(lines, 0) == 3
    assert repair._header_at(["STT Don vi Thoi gian", "1 Thuc hien | Phong Tai"], 0) == 0


# A lead merged down over the two rows that share it and printed once, in the first
# (the second row names no unit at all), as a Word table with merged cells is scanned.
_PRINTED_ONCE = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
TT | Noi dung | Don vi | Don vi | Thoi gian | Du kién |
| cong viéc | thuc hién | phéi hop | hoan thanh | san pham |
1 Ra soat | Céng an | Céng chitc | Thang 3 | Bao cao
thu tuc | x4 | VP-TK | nam 2025 | két qua
2 Cong khai | | | Khi co yéu | Danh muc
thu tuc | | | cau |
3 Tiép nhan | Céng chitc | | Thuong | Van ban
ho so | VP-TK | | xuyén |
"""


def test_a_row_naming_no_unit_takes_the_lead_printed_once_above_it() -> None:
    document = read_document(_PRINTED_ONCE.encode(), "ocr.txt", unit_names=("Công an xã",))
    assert document.repaired_words > 10
    draft = parse_plan(document, year=2025)
    assert [t.code for t in draft.tasks] == ["1", "2", "3"]
    assert [t.lead for t in draft.tasks] == [["Công an xã"], ["Công an xã"], ["Công chức VP-TK"]]
    # a guess: every task read from repaired text is listed to be checked
    checks = {w.task_code for w in draft.warnings if w.kind is WarningKind.CHECK_READING}
    assert checks == {"1", "2", "3"}


def test_a_row_with_neither_unit_nor_time_keeps_no_lead() -> None:
    """A numbered row whose lead and time cells are both empty (the plan left them
    so, or OCR lost them): the lead above is not guessed for it, nothing says it was
    merged down; the task is listed without a lead, to be checked."""
    text = _PRINTED_ONCE.replace(
        "3 Tiép nhan", "3 Ra soat quy | | | | Quyét dinh\ntrinh noi bo | | | |\n4 Tiép nhan"
    )
    document = read_document(text.encode(), "ocr.txt", unit_names=("Công an xã",))
    leads = {t.code: t.lead for t in parse_plan(document, year=2025).tasks}
    assert leads["2"] == ["Công an xã"]  # its time read: the lead merged down
    assert leads["3"] == []
    assert leads["4"] == ["Công chức VP-TK"]


def _codes(rows: list[tuple[str, bool]]) -> list[str]:
    table = [repair._Row(code, ["x"], section) for code, section in rows]
    repair._mend_codes(table)
    return [row.code for row in table]


def test_numbers_mended_by_their_neighbours() -> None:
    # "1." lost before "3"; a ruling line read as "1" before "8"
    assert _codes([("1.2", False), ("3", False), ("1.4", False)]) == ["1.2", "1.3", "1.4"]
    assert _codes([("7.2", False), ("18", False), ("8.1", False)]) == ["7.2", "8", "8.1"]
    # rows whose numbers were lost, as many as the numbers missing between two
    assert _codes([("2", False), ("", False), ("", False), ("5", False)]) == [
        "2",
        "3",
        "4",
        "5",
    ]
    # one row for two missing numbers: which one it is cannot be told
    assert _codes([("2", False), ("", False), ("5", False)]) == ["2", "", "5"]
    assert _codes([("I", True), ("", False), ("2", False)]) == ["I", "", "2"]


def test_last_rows_of_the_table_go_on_from_its_last_number() -> None:
    """Rows whose numbers were lost after the table's last numbered row (no neighbour
    below to mend them) go on from it."""
    assert _codes([("44", False), ("45", False), ("", False), ("", False)]) == [
        "44",
        "45",
        "46",
        "47",
    ]
    assert _codes([("5", True), ("5.3", False), ("", False)]) == ["5", "5.3", "5.4"]
    # under a section with no numbered task: still the section's own numbering
    assert _codes([("6", True), ("", False)]) == ["6", "6.1"]
    # nothing numbered before them: nothing to go on from
    assert _codes([("I", True), ("", False)]) == ["I", ""]


def _cell_rows(lines: list[str], time_last: bool = False) -> list[list[str]]:
    rows = repair._split_cell_rows([repair._Row("45", lines)], time_last)
    return [[line for line in row.lines if line.strip()][:1] for row in rows]


# The end of a table read cell by cell (each cell a paragraph of short lines, in the
# columns' order: content, product, unit, time), the next rows' numbers lost.
_CELLS = [
    "Thuc hién cac | Bao cao | - Cac co | Theo lo trinh",
    "nhiém vu cua | két qua | quan, don vi | Ké hoach",
    "",
    "Trién khai",
    "thuc hién cac",
    "",
    "Van ban, bao",
    "cao két qua",
    "",
    "Theo lo trinh",
    "Céng van",
    "",
    "Bao cao vé",
    "tinh hinh, két",
    "qua kiém soat",
    "",
    "- Van phong",
    "HDND&UBND",
    "huyén chu tri",
    "",
    "- Dinh ky 3",
    "thang/lan.",
]


def test_rows_read_cell_by_cell_split_where_a_content_cell_opens() -> None:
    """A row that has its timeframe ends where a content cell opens (short lines, a
    capitalised word then lower case) that a time cell of its own follows."""
    assert _cell_rows(_CELLS) == [
        ["Thuc hién cac | Bao cao | - Cac co | Theo lo trinh"],
        ["Trién khai"],
        ["Bao cao vé"],
    ]
    # no time cell after it: a product cell after the row's time (the product column
    # comes after the time column), not a new row …
    product_after = _CELLS[:9]
    assert len(_cell_rows(product_after)) == 1
    # … unless the time column is the table's last: nothing of the row follows it
    assert len(_cell_rows(product_after, time_last=True)) == 2
    # the row has no timeframe yet: its own cells go on
    assert len(_cell_rows(_CELLS[2:])) == 2
    # a timeframe inside the content cell's words is no time cell: the product opens
    # no row
    own = ["Xay dung Ké", "hoach trong", "nam 2025", "", "Ké hoach duoc", "ban hanh", ""]
    assert len(_cell_rows([*own, "Thang 2/2025"])) == 1
    assert len(_cell_rows([*own, "Thang 2/2025"], time_last=True)) == 1
    # a unit, a timeframe, an acronym or a header's words open no content cell
    for first in (["Cac phong,", "ban, nganh"], ["Thuong", "xuyén"], ["TTHC, Bo", "phan mot"]):
        assert not repair._opens_content(first)
    assert not repair._opens_content(["Két qua", "céng viéc"])
    assert not repair._opens_content(["D huyén phoi", "hop."])  # a name's broken end
    # a long line is no cell read alone
    assert not repair._opens_content(["Trién khai thuc hién cac ché do bao cao", "trén"])
    assert repair._time_paragraph(["~ Dinh ky", "theo quy", "dinh."])
    assert not repair._time_paragraph(["theo yéu cau,", "nhiém vu"])  # lower case


def test_a_word_across_a_rule_does_not_make_a_unit_the_content_s_object() -> None:
    """ "tại" before a unit makes it the content's place ("… tại UBND xã"), but the
    content's "tái" (re-) across a rule is another column's word."""
    names = ("UBND các xã, thị trấn", "Phòng Tư pháp")
    lines = [
        "Khai thac, tai | UBND cac Truoc ngay Bao cao két",
        "st.dung dir -| xa; thi tran 15/12/2027 qua ;",
    ]
    assert [m.name for m in repair._mentions(lines, names)] == ["UBND các xã, thị trấn"]
    inside = ["Kiem tra tai UBND cac Truoc ngay", "xa, thi tran 15/12/2027"]
    assert repair._mentions(inside, names) == []


def test_a_row_without_a_unit_ends_where_a_line_opens_content_unit_and_time() -> None:
    """A row with its timeframe but no unit (its lead printed once, above it): the
    next row, its number lost, opens on a line that holds a content's first words, a
    unit's and a timeframe ("Tiép nhan, Chi-cuc Thué.| Nam 2027"); the unit's "khu
    vurc" below spelt as OCR does ("ư" read "ur")."""
    names = ("Chi cục Thuế khu vực", "Phòng Tư pháp")
    row = repair._Row("3", ["To chic tap Truoc ngay", "- | hudn-nghiép 31/3/2027", "mdi"])
    line = "Tiép nhan, Chi-cuc Thué.| Nam 2027 H6.so duoc"
    assert repair._starts_unnumbered(line, row, names)
    assert not repair._starts_unnumbered("Tiép nhan, Chi-cuc Thué.| H6.so", row, names)
    lines = [line, "xu ly phan khu vurc so hoa"]
    assert [m.name for m in repair._mentions(lines, names)] == ["Chi cục Thuế khu vực"]


def test_content_cell_opening_with_ocr_digits_and_a_misspelt_unit_cell() -> None:
    """Read cell by cell: "T6i thiéu / 70% ngwoi" ("Tối thiểu", its "ố" read as a 6)
    opens a content cell; "Céng chic / chuyén / mon, BO" (a unit misspelt as OCR does)
    is a unit's cell, and opens none."""
    assert repair._opens_content(["T6i thiéu", "70% ngwoi", "dan;"])
    assert not repair._opens_content(["Céng chic", "chuyén", "mon, BO", "phan Mot", "ctra"])
    assert repair._opens_content(["Tuyen truyén, pho", "bién viéc"])


def test_an_institution_named_at_a_line_start_opens_no_cell() -> None:
    """ "… của Thủ tướng / Chính phủ giao tại …" wrapped in a narrow cell: "Chính phủ"
    (misspelt "Chinh phi") goes on the sentence; a document's name may open one."""
    assert not repair._opens_content(["Chinh phi", "giao tai Chi", "thi s6 27"])
    assert not repair._opens_cell("Chinh phu giao tai Chi thi")
    assert repair._opens_content(["Chi thi ve", "viéc cu thé"])
    assert repair._opens_content(["Trién khai", "thuc hién"])


def test_a_section_whose_numeral_was_lost_takes_its_tasks_number() -> None:
    table = [
        repair._Row(code, ["x"], section)
        for code, section in [("", True), ("", False), ("1.4", False), ("", True), ("2.1", False)]
    ]
    repair._number_sections(table)
    assert [row.code for row in table] == ["1", "", "1.4", "2", "2.1"]
    # running numbers, or a section "1" already read: nothing to go on
    table = [
        repair._Row(code, ["x"], section)
        for code, section in [
            ("1", True),
            ("1.1", False),
            ("", True),
            ("1.2", False),
            ("", True),
            ("7", False),
        ]
    ]
    repair._number_sections(table)
    assert [row.code for row in table] == ["1", "1.1", "", "1.2", "", "7"]


def test_lost_numbers_at_a_section_edge() -> None:
    # the heading of section "4" lost: the row before "4.2" is "4.1", not "3.5"
    assert _codes([("3.4", False), ("", False), ("4.2", False)]) == ["3.4", "4.1", "4.2"]
    # the last tasks of section "5", right before section "6"
    assert _codes([("5.3", False), ("", False), ("", False), ("6", True)]) == [
        "5.3",
        "5.4",
        "5.5",
        "6",
    ]
    # not before a section that is not the next one, nor for "4.3" after one row
    assert _codes([("5.3", False), ("", False), ("8", True)]) == ["5.3", "", "8"]
    assert _codes([("3.4", False), ("", False), ("4.3", False)]) == ["3.4", "", "4.3"]


# A row whose number OCR lost, read line by line after a complete row; a section
# heading whose numeral OCR lost (the tasks numbered "5.1", "5.2": the next is "6").
_LOST = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
STT Noi dung | Don vi | Don vi | Thoi gian | San pham
céng viéc | chu tri | phéi hop | thuc hién |
5 Cai cach thu tuc hanh chinh
5.1 Xay dung | Van phong | Cac phong | Thang 4 | Ké hoach
ké hoach | HDND va | chuyén mén | nam 2025 |
| UBND | |
Rà soat quy | Céng chitc | Cac phong | Thuong | Bao cao
trinh noi bé | Tu phap - | chuyén mén | xuyén |
| H6 tich | |

Kiém tra hoat dong kiém soat thu tuc hanh chinh nam 2025

Té chitc kiém | Van phong | Cac phong | Quy Il1 | Két luan
tra cong tac | HDND va | chuyén mén | nam 2025 |
| UBND | |
"""


def test_rows_and_headings_whose_numbers_were_lost() -> None:
    document = read_document(_LOST.encode(), "ocr.txt")
    draft = parse_plan(document, year=2025)
    got = {t.code: (t.lead[:1], t.timeframe) for t in draft.tasks}
    assert set(got) == {"5.1", "5.2", "6.1"}
    assert got["5.1"][0] == ["Văn phòng HĐND và UBND"]
    assert got["5.2"][0] == ["Công chức Tư pháp - Hộ tịch"]
    assert got["5.2"][1] is not None and got["5.2"][1].kind is TimeframeKind.CONTINUOUS
    assert got["6.1"][0] == ["Văn phòng HĐND và UBND"]
    assert got["6.1"][1] is not None and str(got["6.1"][1].due) == "2025-09-30"
    sections = {t.section for t in draft.tasks}
    assert any(s and s.startswith("6") for s in sections)


def test_month_range_read_across_lines() -> None:
    """ "Tháng 3 đến tháng 8 năm 2024" in a column read line by line, other cells' words
    between its own: the range, due at its end; a figure of another cell after "Tháng 3"
    with no "đến" is no second month."""
    lines = [
        "2 | Trién khai | Cac céng | Cong chic | Van ban Thang 3",
        "thuc hién | chitc cé VP-TK chi dao, dén thang",
        "ra soat va | lién quan cac biéu 8 nam",
        "kién nghi mau, tong |.2024",
    ]
    assert repair._time_in(lines) == "Tháng 3 đến tháng 8/2024"
    assert repair._time_in(["Tuyen truyén | Thang 3 | - Bao cao 8", "so | nam 2024"]) == (
        "Tháng 3/2024"
    )


def test_timeframe_known_by_its_first_word() -> None:
    """A timeframe cell whose rest OCR lost or cut off: "Theo …" (the plan's own
    timing), "Thường" outside the content column, "xuyên" wrapped alone; the content's
    own "Theo dõi" and a "Thường" starting the content column are none."""
    assert repair._time_in(["Trien khai | Hoan thanh - | Cac phong | Theo Nghi", "quyét"]) == (
        "Theo Nghi"
    )
    assert repair._time_in(["Thuc hién 100% cac ho Thuong", "dong bo so TTHC"]) == ("Thường xuyên")
    assert repair._time_in(["Ra soat | Van phong | Cac", "HDND&U | phong", "xuyén"]) == (
        "Thường xuyên"
    )
    # "Thường" alone on a line, its "xuyên" lost: before the year of "trong năm 2024"
    lines = ["Cap nhat,", "", "Bo phan", "Thuong", "cong khai | va tra | trong nam", ".2024"]
    assert repair._time_in(lines) == "Thường xuyên"
    lines[3] = "Thuong truc HDND"
    assert fold(repair._time_in(lines)) == "trong nam 2024"
    # "xuyên" whose "Thường" was lost or lies far above; not "xuyên suốt"
    lines = ["Co y kién | Van ban gop | - Van phong", "trudc vé noi | y kién vé | HDND xuyén"]
    assert repair._time_in(lines) == "Thường xuyên"
    lines[1] = "trudc vé noi | xuyén suot | HDND"
    assert repair._time_in(lines) == ""
    assert repair._time_in(["Thuc hién | Theo dõi, | Van ban"]) == ""
    assert repair._time_in(["Thuong truc | Van phong", "dan | UBND"]) == ""


# Sections numbered in roman, tasks from "1" in each; the heading "III" lost its numeral
# after a repeated header (its title read into the row above); the next appendix's
# letterhead ends the table; a rule read twice ("||") before the lead column.
_RESTART = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC I
TT Noi dung | Co quan | Co quan | Thoi gian
céng viéc | chu tri | phéi hop | thuc hién
I Cong tac chi dao dieu hanh kiém soat
1 Xay dung | Céng chitc | Van phong | Thang 3
ké hoach | VP-TK | UBND | nam 2025
II Ra soat, don gian hoa thu tuc hanh chinh
1 Ra soat | Céng chitc | Van phong | Thuong
TTHC | chuyén mon | UBND | xuyén

TT Noi dung | Co quan | Co quan | Thoi gian
céng viéc | chu tri | phéi hop | thuc hién
Cong tac khac
1 Tap huan || Van phong | Cong chirc | Quy Il1
nghiép vu | UBND Cong chitc | chuyén mon | nam 2025

UY BAN NHAN DAN XA SON DUONG

PHU LUC II
"""


def test_lost_section_numeral_where_numbers_restart() -> None:
    draft = parse_plan(read_document(_RESTART.encode(), "ocr.txt"), year=2025)
    got = {t.code: t.lead[:1] for t in draft.tasks}
    assert set(got) == {"I.1", "II.1", "III.1"}
    assert got["III.1"] == ["Văn phòng UBND"]
    section = next(t.section for t in draft.tasks if t.code == "III.1")
    assert section is not None and "khac" in fold(section)
    # the letterhead of the next appendix ends the table: no row of its own
    rows = [line for line in repair_text(_RESTART).text.splitlines() if "\t" in line]
    assert not [row for row in rows if "NHÂN DÂN" in row]


def test_repeated_header_starting_with_other_columns() -> None:
    """A header repeated on a new page whose first columns' words came after the
    others' ("Két qua Co quan, Thoi gian" / "céng viéc don vi thuc hién") is dropped
    inside a table, not at its start; a cell naming two columns' words among others is
    no header."""
    lines = ["Két qua Co.quan, Thoi gian", "céng viéc don vi thuc hién", "thuc hién", "ddi ngu"]
    assert repair._header_at(lines, 0, repeated=True) == 3
    assert repair._header_at(lines, 0) == 0
    lines[0] = "Két qua thuc hién cua co quan, thoi gian"
    assert repair._header_at(lines, 0, repeated=True) == 0


def test_ban_hanh_opens_no_unit() -> None:
    """ "Ban hành" (to issue) opens a content cell; "Ban Chỉ huy …" is a unit."""
    assert repair._unit_at_start("Ban hanh Bo chi so phuc vu", ()) == ""
    assert repair._unit_at_start("Ban hành Quy chế", ()) == ""
    assert repair._unit_at_start("Ban Chi huy Quan su xa", ()) == "Ban Chỉ huy Quân sự"


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("Til. Thuc hién TTHC trén méi truong", "III. Thuc hién TTHC trén méi truong"),
        ("TI: Kiém soat viéc ban hanh", "II: Kiém soat viéc ban hanh"),
        ("Tin. Cong tac", "Tin. Cong tac"),  # no numeral
        ("Tl Thuc hién", "Tl Thuc hién"),  # no numeral's stop
        ("Til. thuc hién", "Til. thuc hién"),  # no title after it
    ],
)
def test_section_numeral_with_a_serif_i_read_as_t(line: str, fixed: str) -> None:
    assert repair._fix_numbers(line) == fixed


def test_time_column_last() -> None:
    """Where the header names no column after the time column, a row read line by line
    takes the timeframe at its lines' end, not the product's "Định kỳ hằng tháng"
    before it; "Thường" alone on a short line still counts."""
    assert repair._time_is_last(["Stt Két qua Co quan, Thoi gian", "céng viéc don vi"])
    assert not repair._time_is_last(["STT Noi dung | Don vi | Thoi gian | Du kién"])
    lines = [
        "Cong khai Dinh ky hang | - Van phong | Thuong",
        "két qua thang céng HDND&UBND | xuyén",
        "gia chat khai qua | huyén cht tri",
    ]
    # (without the header's word too: the capitalised cell's start over "hằng tháng")
    assert repair._time_in(lines) == "Thường xuyên"
    assert repair._time_in(lines, last=True) == "Thường xuyên"
    assert repair._time_in(
        ["Cap nhat, | Bo phan", "Thuong", "cong khai | trong nam"], last=True
    ) == ("Thường xuyên")
    assert repair._time_in(["Thuong xuyén ra soat | Van phong | Bao cao"], last=True) == ""


def test_units_marked_cooperating_leave_no_lead() -> None:
    lines = [
        "Cap nhat TTHC | Cac phong, | Thuong",
        "trén Hé thong | ban, nganh va | xuyén",
        "thong tin | UBND cap xa |",
        "giai quyét | phéi hop. |",
    ]
    mentions = repair._mentions(lines, ())
    assert [m.name for m in mentions][:2] == ["Các phòng, ban, ngành", "UBND cấp xã"]
    assert repair._lead_of(mentions, coop_column=False) == ""
    lines[1] = "trén Hé thong | ban, nganh; | xuyén"  # "A; B phối hợp": A leads
    assert repair._lead_of(repair._mentions(lines, ()), coop_column=False) == (
        "Các phòng, ban, ngành"
    )
    lines[3] = "giai quyét | chu tri. |"
    assert repair._lead_of(repair._mentions(lines, ()), coop_column=False) == (
        "Các phòng, ban, ngành"
    )


def test_unit_cooperating_with_a_lead_leads_too() -> None:
    """ "A phối hợp với B chủ trì" makes both lead (as the plain reader reads it): A,
    first, leads; "A phối hợp với B" where B does not lead leaves A cooperating."""
    names = ("Phòng Tư pháp",)
    lines = [
        "Tiép tuc thuc | Phong Tu phap phéi hop | Thuong",
        "hién phuong | voi Van phong HDND&UBND | xuyén",
        "thuc tiép nhan | huyén cht tri. |",
    ]
    mentions = repair._mentions(lines, names)
    assert [m.name for m in mentions] == ["Phòng Tư pháp", "Văn phòng HĐND&UBND"]
    assert repair._lead_of(mentions, coop_column=False) == "Phòng Tư pháp"
    # B does not lead: A cooperates, and B after "với" is no unit of the row
    lines[2] = "thuc tiép nhan | huyén. |"
    mentions = repair._mentions(lines, names)
    assert [m.name for m in mentions] == ["Phòng Tư pháp"]
    assert repair._lead_of(mentions, coop_column=False) == ""


def test_two_letter_word_of_a_unit_misspelt() -> None:
    """ "cé" for "có" in "Các công chức có liên quan", its cell read line by line; a
    two-letter word with another consonant is no misspelling."""
    lines = ["Trién khai | Cac céng | Van ban", "thuc hién | chitc cé | chi dao", "| lién quan |"]
    assert [m.name for m in repair._mentions(lines, ())] == ["Các công chức có liên quan"]
    lines[1] = "thuc hién | chitc la | chi dao"
    assert [m.name for m in repair._mentions(lines, ())] == ["Các công chức"]


def test_short_word_with_a_consonant_swapped_is_no_misspelling() -> None:
    """OCR garbles vowels, not consonants: "chuyén" (chuyên) does not spell "Công",
    while "chitc" still spells "chức"."""
    lines = ["Phat trien | Mau bieu", "thuc hién chuyén", "ke hoach an | Van ban"]
    assert [m.name for m in repair._mentions(lines, ())] == []
    assert [m.name for m in repair._mentions(["Gui Céng an | Van ban"], ())] == ["Công an"]
    assert repair._consume("chitc", "congchuc", 4, {0: 4, 4: 8}) == -8
    assert repair._consume("chat", "congchuc", 4, {0: 4, 4: 8}) == 0
    # nor its last letter ("trén" is no "Trung", "huyén" no "Hưng")
    assert repair._consume("tren", "phuongtrunghung", 6, {0: 6, 6: 11, 11: 15}) == 0
    assert repair._consume("trung", "phuongtrunghung", 6, {0: 6, 6: 11, 11: 15}) == 11
    assert repair._consume("huyen", "trunghung", 5, {0: 5, 5: 9}) == 0


def test_of_two_names_from_one_word_the_one_spelt_right() -> None:
    """Two names spelt from one word ("Công chức" of two cells, read line by line):
    the one with more words spelt right, not the longer one spelt with the next
    column's misspelt words."""
    lines = [
        "2 Lap bao cao | Céng chitc | Céng chitc | Bao cao",
        "tong hop | VP-TK chuyén | nam 2025",
        "| mén |",
    ]
    names = ("Công chức VP-TK", "Công chức chuyên môn")
    assert repair._mentions(lines, names)[0].name == "Công chức VP-TK"
    # alike: the longer
    lines = ["Trién khai | Cac céng | Van ban", "thuc hién | chitc cé | chi dao", "| lién quan |"]
    assert repair._mentions(lines, ())[0].name == "Các công chức có liên quan"


def test_abbreviation_with_a_letter_doubled_restored_in_text() -> None:
    """ "HDBND&U" (a letter doubled by OCR) in a unit name wrapped in a narrow column:
    the abbreviation is mended and the unit found."""
    assert _line("Van phong | HDBND&U") == "Văn phòng | HDND&U"
    lines = ["4.2 Tiep nhan, | Van phong", "xu ly kien | HDBND&U", "nghi | BND Thi xa"]
    names = ("Văn phòng HĐND&UBND Thị xã",)
    lines = [_line(line, names) for line in lines]
    assert [m.name for m in repair._mentions(lines, names)] == ["Văn phòng HĐND&UBND Thị xã"]


def test_unit_goes_on_at_a_short_line_alone() -> None:
    """A name's last piece alone on a short line ("D huyén." under "… | HDND&UBN"):
    where it stands in its line says nothing of its column; spelt right, it goes on."""
    lines = ["Lap ke hoach | Van phong", "kiem tra noi | HDND&UBN", "D huyén."]
    names = ("Văn phòng HĐND&UBND huyện",)
    assert [m.name for m in repair._mentions(lines, names)] == ["Văn phòng HĐND&UBND huyện"]
    # two lines below, past another cell's line, it does not
    lines[2:] = ["bo phan mot cua va cac", "D huyén."]
    assert [m.name for m in repair._mentions(lines, names)] != ["Văn phòng HĐND&UBND huyện"]


def test_cell_by_cell_lead_opening_a_later_item() -> None:
    """A row read cell by cell whose product and lead columns came side by side on
    one paragraph's lines ("- Văn bản - Văn phòng"): the unit opening the second item
    leads, before the units of the paragraphs after it."""
    paragraphs = [
        ["Tu kiem tra noi bo", "hoat dong tiep nhan"],
        ["- Văn bản - Văn phòng", "kiém tra ndi | HDND&UBN", "D huyén."],
        ["- Cac phong,", "ban, nganh."],
        ["Thuong", "xuyén"],
    ]
    names = ("Văn phòng HĐND&UBND huyện", "Các phòng, ban, ngành")
    lead = repair._lead_paragraph(paragraphs[1:], names, coop_column=False)
    assert lead == "Văn phòng HĐND&UBND huyện"
    assert repair._item_starts("- Van ban - Văn phòng") == [2]
    assert repair._item_starts("- Van ban") == []


def test_a_unit_that_follows_the_work_does_not_lead() -> None:
    """ "- Văn phòng … theo dõi, đôn đốc thực hiện. - Các phòng, ban, ngành … thực hiện
    báo cáo": the office that follows the work cooperates, the unit after it leads;
    its role is its own, not given to a unit before it ("A; B theo dõi")."""
    names = ("Văn phòng HĐND&UBND huyện", "Các phòng, ban, ngành")
    paragraphs = [
        ["- Văn phòng", "HDND&UBN", "D huyén theo", "doi, dn déc", "thuc hién."],
        ["- Cac phong,", "ban, nganh;", "cap xa va", "don vi lién", "quan thuc"],
        ["- Dinh ky", "theo quy", "dinh."],
    ]
    assert repair._lead_paragraph(paragraphs, names, coop_column=False) == "Các phòng, ban, ngành"
    lines = ["Các phòng, ban, ngành và Văn phòng HĐND&UBND huyện theo déi."]
    mentions = repair._mentions(lines, names)
    assert repair._roles_of(mentions, coop_column=False) == [None, "coop"]
    # "phối hợp" is still said of the units before it
    lines = ["Các phòng, ban, ngành và Văn phòng HĐND&UBND huyện phối hợp."]
    mentions = repair._mentions(lines, names)
    assert repair._roles_of(mentions, coop_column=False) == ["coop", "coop"]


def test_ministry_named_in_the_content_is_no_unit() -> None:
    """ "Bộ Công an" in the content names a ministry: the row's own "Công an huyện"
    is the unit, its role read from its cell's lines given out of order ("hợp" above
    "huyện phối"): it cooperates, and the row has no lead."""
    lines = [
        "Van ban kién",
        "nghi Bo Céng",
        "an huéng dan",
        "",
        "Céng an",
        "",
        "hop",
        "",
        "huyén phoi",
    ]
    mentions = repair._mentions(lines, ("Công an huyện",))
    assert [(m.name, m.role) for m in mentions] == [("Công an huyện", "coop")]
    # a lower-case "bộ" ("cán bộ") is no ministry
    assert [m.name for m in repair._mentions(["can bo Céng an huyén"], ())] == ["Công an"]


def test_w_read_for_u_horn() -> None:
    """Vietnamese never writes "w": OCR read "ư" as one ("Phong Tw phap")."""
    assert repair._skeleton("Tw") == "tu"
    lines = [
        "Tiep tuc | Thuc hien | Phong Tw | Thuong",
        "trien khai | dich vu | phap cht tri | xuyén",
    ]
    assert [(m.name, m.role) for m in repair._mentions(lines, ("Phòng Tư pháp",))] == [
        ("Phòng Tư pháp", "lead")
    ]


def test_row_number_after_a_slash_speck() -> None:
    assert repair._row_start("/ 30 : Tiep tuc Thuc hien | Thuong") == (
        "30",
        "Tiep tuc Thuc hien | Thuong",
        False,
    )


def test_header_line_ends_at_a_cell_s_words() -> None:
    """A line of a header repeated on a new page names columns only: one with three
    words or more that name none ("hồ sơ, giấy tờ xã phối hợp") is a cell's."""
    lines = [
        "Stt Noi dung Két qua Co quan, Thoi gian",
        "",
        "céng viéc céng viéc don vi thuc: hién",
        "thuc hién",
        "",
        "ho so, giay to xa phoi hop.",
    ]
    assert repair._header_at(lines, 0) == 4
    lines[5] = "phoi hop"
    assert repair._header_at(lines, 0) == 6


def test_phrase_compared_fuzzily_keeps_its_words_last_letters() -> None:
    """ "thanh phan" (thành phần) is no "Thành phố", though they read alike; "Thuong
    xuyén" still is "Thường xuyên"."""
    assert _line("Danh muc thanh phan ho so") == "Danh muc thanh phan ho so"
    assert _line("Thuong xuyén") == "Thường xuyên"


def test_next_appendix_ends_the_table() -> None:
    """ "Phụ lục" alone on a line (any case, its number or not), a title in capitals
    after it: the next appendix starts, the task table has ended."""
    assert repair._appendix_heading(["Phu luc", "", "VE CHi TIEU LIEN QUAN CAI"], 0)
    assert repair._appendix_heading(["Phu luc Il", "DANH MUC CHI TIEU"], 0)
    assert not repair._appendix_heading(["Phu luc", "kem theo ke hoach nay"], 0)
    assert not repair._appendix_heading(["theo Phu luc", "VE CHI TIEU LIEN QUAN"], 0)


def test_role_on_a_short_line_below() -> None:
    """ "phối hợp." alone on the line below the unit, wherever it stands in it: the
    unit cooperates (and the content's unit before it with it: no lead)."""
    lines = [
        "Trien khai | Hoan thanh | Theo Nghi",
        "mo hinh",
        "Trung tam",
        "phuc vu hanh",
        "chinh cong",
        "",
        "xa lam | UBND cap xa",
        "phoi hop.",
    ]
    mentions = repair._mentions(lines, ())
    assert [(m.name, m.role) for m in mentions][-1] == ("UBND cấp xã", "coop")
    assert repair._lead_of(mentions, coop_column=False) == ""


def test_unit_before_a_semicolon_leads_when_the_next_cooperates() -> None:
    """ "Các phòng, ban, ngành; UBND cấp xã phối hợp" in the one column of units: the
    first clause leads (as ``parse_units`` reads the clean text); joined by "và" or
    "," both cooperate, and the row names no lead."""
    lines = ["9 Xay dung du | Cac phong, ban, nganh;.. | Thuong", "UBND cap xa phdi hap."]
    mentions = repair._mentions(lines, ("Các phòng, ban, ngành",))
    assert repair._lead_of(mentions, coop_column=False) == "Các phòng, ban, ngành"
    lines[0] = "9 Xay dung du | Cac phong, ban, nganh va | Thuong"
    mentions = repair._mentions(lines, ("Các phòng, ban, ngành",))
    assert repair._lead_of(mentions, coop_column=False) == ""


def test_cell_by_cell_unit_inside_a_narrow_cell_is_no_lead() -> None:
    """A row read cell by cell, every cell narrow, none starting with a unit: a unit
    named inside the content ("… tại một số cơ quan và UBND cấp xã") does not lead
    (its lead cell was not read); where a cooperating column stands apart, a unit
    there may still lead (merged down from the row above)."""
    row = repair._Row(
        "38",
        [
            "Thuc hien Thong bao Theo ke |",
            "",
            "kiem tra dot",
            "xuat tai cac",
            "co quan va",
            "UBND cap",
            "xa.",
            "",
            "ket luan",
            "kiem tra.",
            "",
            "hoach",
        ],
    )
    cells = repair._cells(row, (), coop_column=False)
    assert cells[2] == ""
    assert row.units == ()  # none read in a unit's cell: the row takes the lead above
    assert cells[3].startswith("Theo")
    assert repair._cells(row, (), coop_column=True)[2] == "UBND cấp xã"


def test_short_civil_servant_title_spelt_with_an_inner_d() -> None:
    """ "Công chức Văn hóa" (the short form of a commune civil servant's title), its
    "hóa" read "hda" on the cell's next line: the title, not the bare "Công chức"."""
    lines = ["Day manh | Công chức | Văn phòng", "truyen thong | Van hda,- | UBND", "ban bien"]
    assert repair._mentions(lines, ())[0].name == "Công chức Văn hóa"


def test_bare_ubnd_alone_in_the_lead_column_leads() -> None:
    """ "UBND" alone in the lead column (the cooperating unit right after it, in the
    same piece between "|") leads; not "UBND tỉnh" in a product."""
    lines = [
        "Cong chuc. | UBND Cong chirc | Bao cao Thuong",
        "tu kiém chuyén két qua xuyén",
        "tra va t6 mon kiém tra trong nam",
    ]
    row = repair._Row("1", lines)
    assert repair._cells(row, ())[2] == "UBND"
    lines[0] = "Cong chuc. | UBND tinh Cong chirc | Bao cao Thuong"
    assert repair._cells(repair._Row("1", lines), ())[2] != "UBND"


def test_unit_spelt_past_another_column_s_piece() -> None:
    """A unit cell read line by line beside a product column: "qua" (of "Kết quả")
    is no piece of "quan" when "quan" itself follows on the line; "vi__" is "vị" (a
    rule read as underscores); "cht tri" right after the cell's last word gives the
    role."""
    lines = [
        "Trién khai Bao cao két - Cac co | Thuong",
        "cac nhiém vu | qua thuc quan, don vi__| xuyén",
        "cua Chinh phu hién cac va dia",
        "dan so nhiém vu phuong duoc",
        "12/CT-TTg theo Ké giao cht tri",
    ]
    mentions = repair._mentions(lines, ())
    assert [(m.name, m.role) for m in mentions] == [("Các cơ quan, đơn vị và địa phương", "lead")]


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("Aa Cong khai két qua", "Cong khai két qua"),  # "44"
        ("lO Thuc hién viéc", "Thuc hién viéc"),  # "10"
        ("Ba Cong chuc", ""),  # a word ("Ba"), not a number
        ("So Tay quan ly", ""),
        ("Il Kiém soat viéc", ""),  # a roman numeral: a section
    ],
)
def test_row_number_read_as_letters(line: str, rest: str) -> None:
    assert repair._garbled_number(line) == rest


_GARBLED = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
STT Noi dung | Don vi | Don vi | Thoi gian | San pham
céng viéc | chu tri | phéi hop | thuc hién |
43 Xay dung | Van phong | Cac phong | Thang 4 | Ké hoach
ké hoach | HDND va | chuyén mén | nam 2025 |
| UBND | |
Aa Ra soat quy | Céng chitc | Cac phong | Thuong | Bao cao
trinh noi bé | Tu phap - | chuyén mén | xuyén |
| H6 tich | |
45 Té chitc kiém | Van phong | Cac phong | Quy Il1 | Két luan
tra cong tac | HDND va | chuyén mén | nam 2025 |
| UBND | |
"""


def test_row_number_read_as_letters_mended_by_neighbours() -> None:
    draft = parse_plan(read_document(_GARBLED.encode(), "ocr.txt"), year=2025)
    got = {t.code: t.lead[:1] for t in draft.tasks}
    assert got == {
        "43": ["Văn phòng HĐND và UBND"],
        "44": ["Công chức Tư pháp - Hộ tịch"],
        "45": ["Văn phòng HĐND và UBND"],
    }


# Task numbers running on through lettered and roman sections; row 13's number lost
# under section "II", row 14's after the header repeated on a new page.
_RUN_ON = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
STT Noi dung | Don vi | Don vi | Thoi gian | San pham
céng viéc | chu tri | phéi hop | thuc hién |
12 Lap danh | Van phong | Cac phong | Thang 4 | Ké hoach
muc tai lieu | HDND va | chuyén mén | nam 2025 |
| UBND | |
B Tiep nhan va giai quyet ho so cua nguoi dan
II | Niem yet cong khai cac quy dinh moi
Cap nhat quy | Céng chitc | Cac phong | Thuong | Bao cao
trinh noi bé | Tu phap - | chuyén mén | xuyén |
| H6 tich | |


Noi dung Don vi Don vi Thoi gian
céng viéc chu tri phéi hop thuc hién

Huéng dan
nguoi dan
nop ho so

Céng chitc
Van hoa - Xa
hoi

Thuong
xuyén

15 Té chitc kiém | Van phong | Cac phong | Quy Il1 | Két luan
tra cong tac | HDND va | chuyén mén | nam 2025 |
| UBND | |
"""


def test_row_opened_after_a_repeated_header_and_numbers_running_on() -> None:
    """After a header repeated on a new page, a capitalised content cell wrapped onto
    the next lines opens a row whose number was lost; where the numbers run on through
    the sections, the rows lost between "12" and "15" are "13" and "14"."""
    draft = parse_plan(read_document(_RUN_ON.encode(), "ocr.txt"), year=2025)
    got = {t.code.rsplit(".", 1)[-1]: t.lead[:1] for t in draft.tasks}
    assert got == {
        "12": ["Văn phòng HĐND và UBND"],
        "13": ["Công chức Tư pháp - Hộ tịch"],
        "14": ["Công chức Văn hóa - Xã hội"],
        "15": ["Văn phòng HĐND và UBND"],
    }


def test_repeated_header_ends_where_a_cell_opens() -> None:
    """A header line is made of column names: after a blank line, "Thực hiện rà" (a
    capitalised cell's start with a word no column has) is the next row's, while a
    column name misread past recognition ("Dw kién") is still the header's."""
    lines = ["Noi dung Don vi Thoi gian", "céng viéc chu tri thuc hién", "", "Thuc hién ra", "soat"]
    assert repair._header_at(lines, 0, repeated=True) == 2
    lines[3] = "Dw kién san pham"
    assert repair._header_at(lines, 0, repeated=True) == 4
    assert not repair._opens_cell("thuc hién ra")
    assert not repair._opens_cell("Thoi gian thuc hién")
    assert repair._opens_cell("Huéng dan nguoi")


def test_content_words_take_no_role_from_the_unit_after_them() -> None:
    """ "Cong khai" at a line's start and "chức" far from it spell "Công chức" in the
    content column: it does not take the "chủ trì" of the unit after it."""
    lines = [
        "Cong khai Dinh ky | - Van phong |.-Thuong",
        "két qua thang céng HDND&UBND | xuyén",
        "gia chat khai qua | huyén cht",
        "luong phuc hién Bo | tri.",
        "can b6 cong chitc vién | - Cac phong,",
    ]
    mentions = repair._mentions(lines, ())
    # ("chất" is no misspelt "chức": the content's words spell no unit at all)
    assert not any(m.at_start for m in mentions)
    assert repair._lead_of(mentions, coop_column=False) == "Văn phòng HĐND&UBND"
    lines[2] = "gia chitc khai qua | huyén cht"  # they do spell one: it takes no role
    mentions = repair._mentions(lines, ())
    assert [m.name for m in mentions][:2] == ["Công chức", "Văn phòng HĐND&UBND"]
    assert repair._lead_of(mentions, coop_column=False) == "Văn phòng HĐND&UBND"


def test_unit_after_of_is_not_a_lead() -> None:
    """ "Kế hoạch của UBND Thị xã" names the issuer in the product, not the lead."""
    mentions = repair._mentions(["Ké hoach cua UBND cap xa | Céng an x4"], ("Công an xã",))
    assert [m.name for m in mentions] == ["Công an xã"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_rebuilt_row_reads_as_a_header(name: str) -> None:
    """A row without a number whose short cells name columns ("Công an", "Thường
    xuyên": the Sơn Tây plan has one) would make the parser open a new table and read
    every row after it wrong: its words stay in its content."""
    text = repair_text((DAMAGED / f"{name}.txt").read_text(encoding="utf-8"), unit_names()).text
    rows = [line.split("\t") for line in text.splitlines() if line.count("\t") == 4]
    assert len(rows) > 10
    assert not [cells for cells in rows[1:] if not cells[0] and detect_columns(cells)]


def test_inner_d_read_as_the_vowel_it_was() -> None:
    """A "d" inside a word is no Vietnamese letter there: OCR read "ô"/"ơ" with their
    marks as "d" ("cudi" for "cuối"); the word is restored where the vocabulary has it,
    while acronyms keep their "D" and a word starting with "d" is left alone."""
    assert _line("Bao cao dinh ky cudi nam") == "Bao cao định kỳ cuối năm"
    assert _line("Giao cho phdi hop") == "Giao cho phối hợp"
    assert _line("Van ban cua HDND xa") == "Van ban cua HĐND xã"
    assert repair._word_skeleton("HDND") == "hdnd"
    assert repair._word_skeleton("dan") == "dan"
    assert repair._word_skeleton("ndi") == "noi"


def test_timeframe_words_restored_across_lines() -> None:
    """A timeframe whose words OCR damaged over two lines of its cell is given back
    restored: "cudi / nam" → "cuối năm" (the parser reads the second cadence)."""
    lines = ["Tong hop bao cao", "", "Định kỳ 06", "thang va cudi", "nam"]
    assert repair._time_in(lines) == "Định kỳ 06 tháng và cuối năm"


def test_timeframe_inside_a_remark_comes_last() -> None:
    """A timeframe inside parentheses is the content's remark ("(báo cáo quý I, II,
    III, cả năm)", over several lines), not the time cell: the cell's own "Trong năm"
    (no year: the plan's) comes first; a remark is read when nothing else is."""
    lines = [
        "Tong hop",
        "(bao cao",
        "quy I, Il,",
        "III, ca nam).",
        "Phong Noi vu | Bao cao Trong nam |",
    ]
    assert repair._time_in(lines) == "Trong năm"
    assert repair._time_in(lines[:4]) == "Quý I"
    # a lower-case "trong năm" of the content, with no year, is no cell
    assert repair._time_in(["Thuc hien trong nam | Van ban"]) == ""
    # a "(" never closed stops counting after a few lines
    lines = ["Ra soat (", "a", "b", "c", "d", "e", "f", "g", "Cac phong | Quy II"]
    assert repair._time_in(lines) == "Quý II"


def test_timeframe_starting_a_cell_comes_before_content_words() -> None:
    """A time cell starts with a capital: "Theo kế hoạch" over "định … kỳ" spelt
    from the content's "Quyết định" and a "kỳ" lines below."""
    lines = ["Lap bao cao - Quyết định Theo ké", "kiém tra dinh | thanh lap hoach", "ky cong tac"]
    assert repair._time_in(lines) == "Theo kế hoạch"
    # with no capitalised one, a content's words are still read
    assert repair._time_in(["Ra soat | Van ban", "thuong | xuyén"]) == "Thường xuyên"


def test_second_cadence_after_a_slash() -> None:
    """ "Hằng quý/năm": each quarter and each year, its words apart in a column read
    line by line; "Hằng quý" followed by a year is one cadence."""
    lines = ["Thuc hien | Két qua | BO phan Hang", "danh gia | cac | quy/nam"]
    assert repair._time_in(lines) == "Hằng quý/năm"
    assert repair._time_in(["Bao cao | Hang quy | nam 2025"]) == "Hằng quý"
    assert repair._time_in(["Bao cao | Hang thang / quy"]) == "Hằng tháng/quý"


def test_timeframe_words_run_together() -> None:
    """OCR lost the space between two words of a timeframe ("Theolo" / "trinh")."""
    assert repair._time_in(["Trien khai | Cac | Theolo | Van ban", "mo hinh | phong, | trinh"]) == (
        "Theo lộ trình"
    )
    assert repair._time_in(["Trien khai | Cac | Theolo | Van ban"]) == ""


# A section "3" whose number OCR read with specks ("(3..."), the first lines of row
# 3.1's cells printed above its number.
_ABOVE = """KE HOACH
Kiém soat tha tuc hanh chmh nam 2025 cua UBND x4 Son Duong

PHU LUC
STT Noi dung | Don vi | Don vi | Thoi gian | San pham
céng viéc | chu tri | phéi hop | thuc hién |
2.1 Lap danh | Van phong | Cac phong | Thang 4 | Ké hoach
muc tai lieu | HDND va | chuyén mén | nam 2025 |
| UBND | |
(3... | Cong bo, cong khai thu tuc hanh chinh
Cac Trong nam | Danh muc
3.1 Ra soat | Van phong | phong, 2025. | TTHC
thuong | HDND va | chuyén mén |
xuyén thu | UBND | |
"""


def test_cells_printed_above_the_row_number() -> None:
    """Lines after a section's title that hold other cells' words ("Các | Trong năm |
    Danh mục") are the next row's, printed above its number: its timeframe is "Trong
    năm 2025", not the content's "thường xuyên"; the section keeps its title only."""
    assert repair._row_start("(3... | Cong bo, cong khai")[0] == "3"
    rows = [line.split("\t") for line in repair_text(_ABOVE).text.splitlines() if "\t" in line]
    section = next(row for row in rows if row[0] == "3")
    assert section[1:4] == ["Cong bo, cong khai thủ tục hành chính", "", ""]
    task = next(row for row in rows if row[0] == "3.1")
    assert task[2:4] == ["Văn phòng HĐND và UBND", "Trong năm 2025"]


def test_acronym_opening_a_line_opens_no_row() -> None:
    """ "TTHC theo … | UBND" wraps a sentence of the content: an acronym opens no
    content cell of a row whose number was lost."""
    row = repair._Row("8.2", ["Trien khai | Cac | Thuong | Bao cao", "viec danh | phong | xuyen"])
    assert repair._complete(row)
    assert not repair._starts_unnumbered("TTHC theo x4 UBND- | UBND", row, ())
    assert repair._starts_unnumbered("Triển khai thực hiện | Các phòng | Thường", row, ())


def test_parenthesis_depths() -> None:
    assert repair._paren_depths("a (b c) d") == [0, 1, 1, 0, 0]
    assert repair._paren_depths("nam).") == [0, -1]


# --- the damaged samples (tests/tools/make_damaged_ocr.py) ------------------------------

# Each sample's share just under what it reached when this was written (see
# docs/benchmarks.md): a floor against regressions; the samples together meet the
# issue's target (test_damaged_samples_meet_the_target).
_FLOORS = {
    "ke-hoach-phuong-trung-luong-2024": 0.84,
    "ke-hoach-thi-xa-son-tay-2025": 0.88,
    "quyet-dinh-huyen-son-tay-2025": 0.88,
}
TARGET = 0.90  # of the samples' tasks read right from damaged OCR text (issue 15)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_damaged_samples_go_in(name: str) -> None:
    path = DAMAGED / f"{name}.txt"
    document = read_document(path.read_bytes(), path.name, unit_names=unit_names())
    assert document.repaired_words > 100
    draft = parse_plan(document)
    assert len(draft.tasks) >= 10
    assert all(
        any(w.kind is WarningKind.CHECK_READING and w.task_code == t.code for w in draft.warnings)
        for t in draft.tasks
    )
    result = score(name)
    assert result.code / result.tasks >= 0.5
    assert result.share >= _FLOORS[name]


def test_damaged_samples_meet_the_target() -> None:
    results = [score(name) for name in SAMPLE_NAMES]
    right = sum(r.right for r in results)
    total = sum(r.tasks for r in results)
    assert total == 101
    assert right / total >= TARGET


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_damaged_texts_it_was_not_built_on_go_in_marked_to_check(name: str, variant: str) -> None:
    """Other damage of the same plans (tests/tools/make_damaged_ocr.py --variants):
    whatever is read, it is read without failing and every task is listed to check."""
    path = DAMAGED / variant / f"{name}.txt"
    document = read_document(path.read_bytes(), path.name, unit_names=unit_names())
    assert document.repaired_words > 100
    draft = parse_plan(document)
    assert draft.tasks
    checked = {w.task_code for w in draft.warnings if w.kind is WarningKind.CHECK_READING}
    assert checked == {t.code for t in draft.tasks}


def test_damaged_texts_it_was_not_built_on_stay_read_as_well() -> None:
    """A floor just under what the variants gave when this was last raised (397 of
    707 tasks right, docs/benchmarks.md): a rule that reads the original texts better by
    reading damaged text in general worse fails here."""
    right = total = 0
    for variant in VARIANTS:
        for name in SAMPLE_NAMES:
            result = score(name, variant=variant)
            right += result.right
            total += result.tasks
    assert total == 7 * 101
    assert right >= 390


# --- plans that are not the samples (tests/synthetic_plans.py) ---------------------------


def test_header_with_wrapped_column_names() -> None:
    """A narrow column's name wraps ("Đơn vị chủ" / "trì" a line below, between the
    other columns' words) and OCR runs words together ("Don vichu"): the columns are
    known by their first words."""
    lines = ["Noi dung Don vichu | Thoi han San pham", "nhiém vu_ tri", "1 Ra soat"]
    assert repair._header_at(lines, 0) == 2
    lines = ["TT Nhiem vu | Co quan | Co quan Thoi gian | San", "thuc hien | phoi hop | pham"]
    assert repair._header_at(lines, 0) == 2
    # a cell's sentence naming a unit and a time is no header
    assert repair._header_at(["Nội dung kiểm tra của cơ quan trong thời gian tới", "x"], 0) == 0


def test_phrase_never_spans_a_column_rule() -> None:
    """ "Đơn vị chủ | Thoi han": the rule between "chủ" and "Thời" is a column's edge,
    no "chủ trì" spelt across it."""
    assert _line("Don vi chu | Thoi han") == "Don vi chu | Thời hạn"
    assert _line("Don vi chu tri | Thoi han") == "Đơn vị chủ trì | Thời hạn"


def test_deadline_date_on_the_line_below() -> None:
    """ "Trước ngày" ends a line of its wrapped cell, the date on a line below among
    other columns' words."""
    lines = [
        "1.1 Té chuc doi Bao hiém xa Quyết định Trước ngày",
        "thoai voi h6i tinh cong b6 30/6/2026",
    ]
    assert repair._time_in(lines) == "Trước ngày 30/6/2026"
    assert repair._time_in(["Ra soat | Truoc ngay", "Phong | 15/12"]) == "Trước ngày 15/12"
    # "Trước" as OCR misreads it, "ngày" after it
    assert repair._time_in(["Ra soat | Truc", "Phong | ngay 15/12/2024"]) == "Trước ngày 15/12/2024"
    assert repair._time_in(["Ra soat | Trung tam", "Phong | ngay 15/12/2024"]) != (
        "Trước ngày 15/12/2024"
    )
    # a number that is no date is not taken
    assert repair._time_in(["Ra soat | Truoc ngay", "Phong | 45/12"]) == ""


def test_periodic_and_yearly_across_lines() -> None:
    lines = ["Thuc hien | Cong an | Dinh ky 6", "co ché | tinh | thang va", "mot cua | | hang nam"]
    assert repair._time_in(lines) == "Định kỳ 6 tháng và hằng năm"
    assert parse_timeframe(repair._time_in(lines), 2025).cadences == (Cadence.HALF, Cadence.YEAR)


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("Quyll nam 2025", "Quý II năm 2025"),
        ("QuyIV/2024", "Quý IV/2024"),
        ("Quyét dinh", "Quyết định"),
        # Vietnamese OCR's misreads of III: the serifs of two I joined into an "H"; the
        # numeral run into the "năm" after it
        ("Quý IH năm 2024", "Quý III năm 2024"),
        ("Quý HI năm 2027", "Quý III năm 2027"),
        ("Quý ïH năm 2026", "Quý III năm 2026"),
        ("Quý IInăm 2024", "Quý II năm 2024"),
        ("Quý Hà Nội", "Quý Hà Nội"),
    ],
)
def test_quarter_numeral_run_into_its_word(written: str, fixed: str) -> None:
    assert _line(written) == fixed


def test_department_names_are_units() -> None:
    """A province's departments ("Sở …") and offices ("Cục Thuế …") are looked for in
    the rows as the district's and commune's offices are."""
    names = ("Sở Kế hoạch và Đầu tư", "Cục Thuế tỉnh", "Sơn Tây")
    vocabulary = repair._unit_vocabulary(names)
    assert "Sở Kế hoạch và Đầu tư" in vocabulary and "Cục Thuế tỉnh" in vocabulary
    assert "Sơn Tây" not in vocabulary  # a bare place: content names it too
    lines = ["1.2 Trién khai S6 Kế hoạch Quý II/2026", "thanh toan va Dau tu", "true tuyén"]
    assert [m.name for m in repair._mentions(lines, names)] == ["Sở Kế hoạch và Đầu tư"]


def test_unit_name_ends_on_the_next_line_wherever_it_stands() -> None:
    """A name's last word spelt right on the line below ends it, though lines of other
    lengths put it at another place ("Phong Tai" / "chinh - Ké" / … "hoach")."""
    names = ("Phòng Tài chính - Kế hoạch",)
    lines = [
        "2 Ra soat, Phong Tai Trong thang .| H6 so.dugc",
        "chuan héa chinh - Ké 4/2024 86 héa",
        "quy trinh noi .| hoach",
    ]
    assert [m.name for m in repair._mentions(lines, names)] == ["Phòng Tài chính - Kế hoạch"]


def test_unit_whose_words_ocr_ran_together() -> None:
    """ "SéThdng": a capital after a small letter, two words run together ("Sở
    Thông"), the name going on over the lines below."""
    names = ("Sở Thông tin và Truyền thông", "Công an tỉnh")
    lines = [
        "10. Khai thac, | SéThdng =! Céng an Van ban",
        "tai str tin va tinh,",
        "Truyén",
        "thong",
    ]
    assert [m.name for m in repair._mentions(lines, names)][:1] == ["Sở Thông tin và Truyền thông"]


_HEADLESS = """PHU LUC
NHIEM VU KIEM SOAT THU TUC HANH CHINH
Pee eee eee
hién
[I -.. .~ | Céng khai, minh bach thu tuc hanh chinh
1 Xu ly ho so Van phong Quyét dinh Nam 2025
tre han, xin | HDND va céng bo
loi nguoi dan | UBND huyén
2 To chuc tap Phong Tu | Quyét dinh Nam 2025
huan nghiep | phap céng bé
[Il -.___ | Céng tac kiém soat quy dinh, thu tuc hanh chinh
3 To chic doi | Phong Tu | Quyét dinh Truoc ngay
thoai voi phap -céng bo 15/12/2025
"""


def test_table_whose_header_ocr_lost() -> None:
    """After an appendix's heading, rows numbered one after another make a table even
    when OCR made nothing of its (shaded) header; numbers that do not follow, or rows
    before any appendix, do not."""
    names = ("Văn phòng HĐND và UBND huyện", "Phòng Tư pháp")
    repaired = repair_text(_HEADLESS, names).text
    draft = parse_plan(read_text(repaired, "ke-hoach.txt"), year=2025)
    got = {t.code: (t.lead[:1], t.timeframe_text) for t in draft.tasks}
    assert got["1"] == (["Văn phòng HĐND và UBND huyện"], "Năm 2025")
    assert got["3"] == (["Phòng Tư pháp"], "Trước ngày 15/12/2025")
    assert not repair._headless_table_at(["1 Mot", "3 Ba", "2 Hai", "4 Bon"], 0)
    text = _HEADLESS.replace("PHU LUC", "KE HOACH")
    assert "\t" not in repair_text(text, names).text


def test_a_name_goes_on_with_the_word_spelt_right_not_a_misspelt_one_before_it() -> None:
    """A row read line by line: "Ban Chi" / "chuan héa | huy Quan" / "| su xa": the
    name goes on with "huy", not with the content's "héa" (a misspelt "huy") before it."""
    lines = [
        "Ra soat, Ban Chi Céng. chic Quy",
        "chuan héa | huy Quan | Dia chinh - 11/2027",
        "quy trinh _ | su xa Xay. dung",
    ]
    names = ("Ban Chỉ huy Quân sự xã", "Công chức Địa chính - Xây dựng")
    assert [m.name for m in repair._mentions(lines, names)] == list(names)
    assert repair._cells(repair._Row("1.2", lines), names)[2] == names[0]


# A table read cell by cell (each cell a paragraph), its shaded header read as junk
# but for the ends of two column names, its number column lost on the whole page, a
# section's title across the table; the product column after the time column.
_NUMBERLESS = """PHU LUC
NHIEM VU KIEM SOAT THU TUC HANH CHINH

ee ae [eee
cht tri thuc hién

Cong khai, minh bach thu tuc hanh chinh tai tru so

Niém yét
cong khai
dia chi tiép
nhan

So Tu
phap

Cong an
tinh

Trudc
ngay
31/3/2025

Bao cao
két qua

To chuc
doi thoai
voi nguoi
dan

Cong an
tinh

Hang quy

Thong bao
két qua

Ra soat
quy trinh
noi bo

So Noi vu

Nam 2025

Ké hoach
"""


def test_table_whose_number_column_ocr_lost() -> None:
    """No row numbered: the first row opens after the header all the same (a title
    alone on its line, across the table, is a section's), rows split where a content
    cell opens, a product cell after the time cell is the row's own; the parser
    numbers the rows, listed as numbered by the bot."""
    names = ("Sở Tư pháp", "Sở Nội vụ", "Công an tỉnh")
    repaired = repair_text(_NUMBERLESS, names).text
    rows = [line.split("\t") for line in repaired.splitlines() if "\t" in line][1:]
    assert [row[1][:15] for row in rows] == [
        "<b>Cong khai, m",  # a section's title: bold tells the text reader
        "Niém yét cong k",
        "To chuc doi tho",
        "Ra soat quy tri",
    ]
    assert [row[2] for row in rows] == ["", "Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ"]
    assert [row[3] for row in rows] == ["", "Trước ngày 31/3/2025", "Hằng quý", "Năm 2025"]
    draft = parse_plan(read_text(repaired, "ke-hoach.txt"), year=2025)
    tasks = [(t.code, t.lead[:1], t.code_generated, t.section[:9]) for t in draft.tasks]
    assert tasks == [
        ("1", ["Sở Tư pháp"], True, "Cong khai"),
        ("2", ["Công an tỉnh"], True, "Cong khai"),
        ("3", ["Sở Nội vụ"], True, "Cong khai"),
    ]
    # the product column named before the time column: "Thong bao / két qua" after a
    # time cell opens the next row (its content), as "Bao cao / két qua" would
    header = ["Noi dung | Thoi gian | San pham"]
    assert repair._product_after_time(header)
    assert repair._product_after_time(["Noi dung | San pham | Thoi gian"]) is False
    assert repair._product_after_time(["ee ae", "cht tri"]) is None
    # a name read whole is preferred to one whose first word it takes ("Sở" … "Tư
    # pháp" from the cell below); a phrase read whole to one gathered over the next
    # cell ("Hang" … "Thong bao" as "Hằng tháng"); a time cell as OCR spelt it
    mentions = repair._mentions(["Sở Nội vụ", "So Tu", "phap,"], names)
    assert [m.name for m in mentions] == ["Sở Nội vụ", "Sở Tư pháp"]
    # read line by line: of two titles spelt from one "Cong chic", the one whose next
    # words stand under it (its cell), not the next column's
    titles = ("Công chức Tư pháp - Hộ tịch", "Công chức Địa chính - Xây dựng")
    lines = [
        "Danh gia | Cong chic | Céng chttc | Bao cdo Hang",
        "muc do Tu phap - | Dia chinh - | két qua thang",
        "hai long H6 tich Xay dung,",
    ]
    assert repair._mentions(lines, titles)[0].name == titles[0]
    assert repair._time_in(["Hang quy", "", "Thong bao"]) == "Hằng quý"
    assert repair._time_in(["Hang", "", "thang"]) == "Hằng tháng"
    assert repair._time_paragraph(["Trudc", "ngay", "31/3/2025"])
    # the junk alone, no column's words under it, is no header
    assert repair._header_at(["ee ae [eee", "Niém yét cong khai"], 0) == 0
    assert repair._junk("ee ae [eee") and not repair._junk("TTHC ctia")
    assert not repair._junk("tt thudc") and not repair._junk("So Tu")


@pytest.mark.parametrize("name", synthetic_names())
def test_made_up_plans_damaged_go_in_marked_to_check(name: str) -> None:
    """Plans that are not the samples (tests/synthetic_plans.py), damaged as the
    samples were: read without failing, every task read listed to check."""
    path = SYNTHETIC / f"{name}.txt"
    units = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["units"]
    document = read_document(path.read_bytes(), path.name, unit_names=units)
    assert document.repaired_words > 20
    draft = parse_plan(document)
    checked = {w.task_code for w in draft.warnings if w.kind is WarningKind.CHECK_READING}
    assert checked == {t.code for t in draft.tasks}


# 267 of 504 tasks right when this was last raised (docs/benchmarks.md, made-up plans
# 0-47): a rule that reads the samples better by reading other plans worse fails here.
FLOOR_SYNTHETIC = 258


def test_made_up_plans_damaged_stay_read_as_well() -> None:
    """A floor just under what the made-up plans gave when this was written
    (docs/benchmarks.md, "Plans that are not the samples")."""
    right = total = 0
    for name in synthetic_names():
        result = score_synthetic(name)
        right += result.right
        total += result.tasks
    assert total >= 390
    assert right >= FLOOR_SYNTHETIC


def test_timeframe_cell_whose_words_ocr_ran_together() -> None:
    """A scan's time cell read "Theoyêucầu": a timeframe phrase, spaces aside."""
    assert repair.repair_timeframe("Theoyêucầu") == "Theo yêu cầu"
    assert repair.repair_timeframe("Khicóyêucầu") == "Khi có yêu cầu"
    assert repair.repair_timeframe("Quý III năm 2024") == "Quý III năm 2024"
    assert repair.repair_timeframe("Theoyêucầucủa tỉnh") == "Theoyêucầucủa tỉnh"


def test_timeframe_cell_with_some_words_run_together() -> None:
    """Words run into a number ("kỳ6tháng") or into one another ("Địnhkỳ", with a
    letter doubled: "Địnhhkỳ") are set apart; numbers and numerals stay whole."""
    assert repair.repair_timeframe("Địnhkỳ6tháng và hằng năm") == "Định kỳ 6 tháng và hằng năm"
    assert repair.repair_timeframe("Địnhhkỳ6tháng và hãng năm") == "Định kỳ 6 tháng và hãng năm"
    assert repair.repair_timeframe("Trướcngày 30/6/2026") == "Trước ngày 30/6/2026"
    assert repair.repair_timeframe("Tháng9/2026") == "Tháng 9/2026"
    for whole in ("T6/2026", "Quý II/2026", "Năm 2026", "Trước 30/6/2026", "Hàng loạt"):
        assert repair.repair_timeframe(whole) == whole
    # a word that is no syllable and no two timeframe words stays as OCR read it
    assert repair.repair_timeframe("Quýxyz 2026") == "Quýxyz 2026"
