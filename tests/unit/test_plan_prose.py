"""Plans whose tasks are written as prose, in each form offices write them, with and
without diacritics: labelled lines under numbered headings, "a) Nhiệm vụ / b) Cơ quan
thực hiện / c) Thời gian" blocks, a unit as the heading of the tasks it leads, tasks
with no time line, and the targets stated inside them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.language.normalize import strip_diacritics
from bot.language.timeframes import TimeframeKind
from bot.plans.model import Comparator, Document, Paragraph, PlanDraft, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_text

BLOCKS = """ỦY BAN NHÂN DÂN XÃ HÒA BÌNH
KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2025

II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Công khai thủ tục hành chính
a) Nhiệm vụ: Niêm yết, công khai đầy đủ TTHC tại Bộ phận Một cửa và trên Trang thông tin
điện tử của xã.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Văn phòng HĐND và UBND xã
- Đơn vị phối hợp: Công chức Tư pháp - Hộ tịch; Công an xã
c) Thời gian thực hiện: Thường xuyên
2. Số hóa hồ sơ, kết quả giải quyết TTHC
a) Nhiệm vụ: Số hóa hồ sơ khi tiếp nhận; tỷ lệ số hóa hồ sơ đạt tối thiểu 80% và tỷ lệ cấp
kết quả điện tử đạt 100%.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Bộ phận Một cửa
- Đơn vị phối hợp: Các công chức chuyên môn
c) Thời gian thực hiện: Trước ngày 30/6/2025
"""


def parsed(text: str) -> PlanDraft:
    return parse_plan(read_text(text, "plan.txt"))


def rows(draft: PlanDraft) -> list[tuple[object, ...]]:
    return [
        (
            t.code,
            t.section,
            t.content,
            t.lead,
            t.cooperating,
            t.timeframe.kind if t.timeframe else None,
            t.timeframe.due if t.timeframe else None,
        )
        for t in draft.tasks
    ]


def as_typed(rows: list, diacritics: bool) -> list:
    """What was expected, as a plan typed without marks gives it when ``diacritics`` is
    off: each value (or each row's values) in plain form."""
    if diacritics:
        return rows
    return [tuple(map(plain_form, r)) if isinstance(r, tuple) else plain_form(r) for r in rows]


def plain_form(value: object) -> object:
    if isinstance(value, str):
        return strip_diacritics(value)
    if isinstance(value, list):
        return [strip_diacritics(v) for v in value]
    return value


@pytest.mark.parametrize("diacritics", [True, False])
def test_nhiem_vu_co_quan_thoi_gian_blocks(diacritics: bool) -> None:
    text = BLOCKS if diacritics else strip_diacritics(BLOCKS)
    draft = parsed(text)
    expected = [
        ("1", "II. NHIỆM VỤ VÀ GIẢI PHÁP",
         "Công khai thủ tục hành chính: Niêm yết, công khai đầy đủ TTHC tại Bộ phận Một cửa "
         "và trên Trang thông tin điện tử của xã.",
         ["Văn phòng HĐND và UBND xã"], ["Công chức Tư pháp - Hộ tịch", "Công an xã"],
         TimeframeKind.CONTINUOUS, None),
        ("2", "II. NHIỆM VỤ VÀ GIẢI PHÁP",
         "Số hóa hồ sơ, kết quả giải quyết TTHC: Số hóa hồ sơ khi tiếp nhận; tỷ lệ số hóa hồ "
         "sơ đạt tối thiểu 80% và tỷ lệ cấp kết quả điện tử đạt 100%.",
         ["Bộ phận Một cửa"], ["Các công chức chuyên môn"], TimeframeKind.DUE,
         date(2025, 6, 30)),
    ]  # fmt: skip
    if not diacritics:
        expected = [tuple(plain_form(v) for v in row) for row in expected]
    assert rows(draft) == expected
    assert not draft.warnings
    # The two targets of task 2 are two indicators, by their national names.
    stated = [(i.task_code, i.name, i.comparator, i.target) for i in draft.indicators]
    assert stated == [
        ("2", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", Comparator.AT_LEAST, Decimal(80)),
        ("2", "Tỷ lệ cấp kết quả giải quyết TTHC điện tử", Comparator.EQUAL, Decimal(100)),
    ]


UNIT_HEADINGS = """KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2025 trên địa bàn xã Hòa Bình

III. NHIỆM VỤ CỤ THỂ
1. Văn phòng HĐND và UBND xã
a) Tham mưu UBND xã ban hành Kế hoạch kiểm soát TTHC năm 2025.
Thời gian thực hiện: Tháng 01/2025.
b) Theo dõi, đôn đốc các bộ phận thực hiện Kế hoạch; tổng hợp, báo cáo
kết quả về UBND huyện.
Thời gian thực hiện: Hằng quý.
2. Công chức Tư pháp - Hộ tịch
a) Rà soát quy định, TTHC thuộc lĩnh vực tư pháp.
Sản phẩm: Báo cáo kết quả rà soát.
Thời gian thực hiện: Quý II/2025.
b) Tuyên truyền, phổ biến các quy định về TTHC cho người dân.
c) Phối hợp với Bộ phận Một cửa hướng dẫn người dân nộp hồ sơ trực tuyến.
Cơ quan chủ trì: Bộ phận Một cửa
Thời gian thực hiện: Thường xuyên.
Công an xã:
- Thu thập, cập nhật dữ liệu dân cư phục vụ giải quyết TTHC.
- Xác thực thông tin công dân khi giải quyết TTHC.
Thời gian thực hiện: Theo yêu cầu của UBND huyện.
IV. TỔ CHỨC THỰC HIỆN
Văn phòng UBND xã theo dõi, đôn đốc việc thực hiện Kế hoạch.
"""


@pytest.mark.parametrize("diacritics", [True, False])
def test_a_unit_heading_leads_the_tasks_under_it(diacritics: bool) -> None:
    text = UNIT_HEADINGS if diacritics else strip_diacritics(UNIT_HEADINGS)
    draft = parsed(text)
    office, justice, police = (
        "Văn phòng HĐND và UBND xã",
        "Công chức Tư pháp - Hộ tịch",
        "Công an xã",
    )
    expected = [
        ("1.a", [office], TimeframeKind.DUE, date(2025, 1, 31)),
        ("1.b", [office], TimeframeKind.RECURRING, None),
        ("2.a", [justice], TimeframeKind.DUE, date(2025, 6, 30)),
        ("2.b", [justice], None, None),  # no time line: listed to check
        ("2.c", ["Bộ phận Một cửa"], TimeframeKind.CONTINUOUS, None),  # names its own lead
        ("III.1", [police], None, None),
        ("III.2", [police], TimeframeKind.ON_DEMAND, None),
    ]
    got = [(t.code, t.lead, *(v for v in rows(draft)[i][5:])) for i, t in enumerate(draft.tasks)]
    if not diacritics:
        expected = [tuple(plain_form(v) for v in row) for row in expected]
    assert [(c, lead, kind) for c, lead, kind, _ in got] == [
        (c, lead, kind) for c, lead, kind, _ in expected
    ]
    assert [due for *_, due in got][:3] == [due for *_, due in expected][:3]
    tasks = {t.code: t for t in draft.tasks}
    form = plain_form if not diacritics else (lambda v: v)
    assert tasks["1.b"].content == (
        form("Theo dõi, đôn đốc các bộ phận thực hiện Kế hoạch; tổng hợp, báo cáo kết "
                   "quả về UBND huyện.")
    )  # fmt: skip
    assert tasks["2.a"].section == form("2. Công chức Tư pháp - Hộ tịch")
    assert tasks["III.1"].content == form(
        "Thu thập, cập nhật dữ liệu dân cư phục vụ giải quyết TTHC."
    )
    no_time = [w.task_code for w in draft.warnings if w.kind is WarningKind.NO_TIMEFRAME]
    assert no_time == ["2.b", "III.1"]
    unreadable = [w.task_code for w in draft.warnings if w.kind is WarningKind.UNREADABLE_TIMEFRAME]
    assert unreadable == []
    assert not [w for w in draft.warnings if w.kind is WarningKind.NO_UNIT]


LABELLED = """KE HOACH
Kiem soat thu tuc hanh chinh nam 2025

II. NHIEM VU CU THE
1. Ra soat, cong bo TTHC
- Co quan chu tri: Van phong HDND va UBND xa
- Co quan phoi hop: Cong chuc Tu phap - Ho tich
- San pham: Quyet dinh cong bo danh muc TTHC
- Thoi gian thuc hien: Quy I/2025
2. Nang cao chat luong giai quyet TTHC; phan dau 100% ho so giai quyet dung han
Co quan thuc hien: Bo phan Mot cua
San pham: Bao cao ket qua
3. So hoa ho so
- Don vi chu tri: Bo phan Mot cua
- Thoi gian hoan thanh: Truoc ngay 30/6/2025
"""


def test_labelled_lines_typed_without_diacritics() -> None:
    draft = parsed(LABELLED)
    assert [(t.code, t.lead, t.cooperating, t.product) for t in draft.tasks] == [
        ("1", ["Van phong HDND va UBND xa"], ["Cong chuc Tu phap - Ho tich"],
         "Quyet dinh cong bo danh muc TTHC"),
        ("2", ["Bo phan Mot cua"], [], "Bao cao ket qua"),
        ("3", ["Bo phan Mot cua"], [], None),
    ]  # fmt: skip
    assert draft.tasks[0].timeframe is not None
    assert draft.tasks[0].timeframe.due == date(2025, 3, 31)
    assert draft.tasks[1].timeframe is None  # no time line: kind unknown, to check
    assert [(w.kind, w.task_code) for w in draft.warnings] == [(WarningKind.NO_TIMEFRAME, "2")]
    (indicator,) = draft.indicators
    assert (indicator.name, indicator.comparator, indicator.target) == (
        "Ty le ho so giai quyet dung han",
        Comparator.EQUAL,
        Decimal(100),
    )


def test_tasks_under_a_targets_heading_state_each_target_once() -> None:
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2025\n\n"
        "II. MỤC TIÊU VÀ NHIỆM VỤ\n"
        "1. Số hóa hồ sơ, kết quả giải quyết TTHC đạt tối thiểu 80%\n"
        "- Cơ quan chủ trì: Bộ phận Một cửa\n- Thời gian thực hiện: Thường xuyên\n"
        "2. Tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%\n"
        "- Cơ quan chủ trì: Các công chức chuyên môn\n- Thời gian thực hiện: Hằng tháng\n"
    )
    draft = parsed(text)
    assert [(i.code, i.source, i.name, i.comparator, i.target) for i in draft.indicators] == [
        ("1-CT1", "task", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", Comparator.AT_LEAST,
         Decimal(80)),
        ("2-CT1", "task", "Tỷ lệ hồ sơ giải quyết đúng hạn", Comparator.EQUAL, Decimal(100)),
    ]  # fmt: skip


def test_a_task_naming_a_unit_is_not_a_unit_heading() -> None:
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2025\n\n"
        "II. NHIỆM VỤ CỤ THỂ\n"
        "1. UBND xã ban hành Kế hoạch kiểm soát TTHC năm 2025\n"
        "- Thời gian thực hiện: Tháng 01/2025\n"
        "2. Trách nhiệm của Phòng Tư pháp\n"
        "a) Rà soát TTHC lĩnh vực tư pháp.\n"
        "3. Công chức, viên chức làm đầu mối kiểm soát TTHC\n"
        "- Cơ quan chủ trì: Văn phòng HĐND và UBND xã\n"
        "- Thời gian thực hiện: Quý I/2025\n"
    )
    draft = parsed(text)
    assert [(t.code, t.lead) for t in draft.tasks] == [
        ("1", []),
        ("2.a", ["Phòng Tư pháp"]),
        ("3", ["Văn phòng HĐND và UBND xã"]),
    ]
    assert [(w.kind, w.task_code) for w in draft.warnings] == [
        (WarningKind.NO_UNIT, "1"),
        (WarningKind.NO_TIMEFRAME, "2.a"),
    ]


def test_bold_unit_names_above_numbered_tasks() -> None:
    """A Word plan: bold unit names, each above its numbered tasks; the next section ends
    the last unit's tasks."""
    lines = [
        ("KẾ HOẠCH", True),
        ("Kiểm soát thủ tục hành chính năm 2025", True),
        ("II. NHIỆM VỤ CỤ THỂ", True),
        ("Văn phòng HĐND và UBND xã", True),
        ("1. Tham mưu ban hành Kế hoạch kiểm soát TTHC năm 2025.", False),
        ("Thời gian thực hiện: Tháng 01/2025", False),
        ("2. Tổng hợp, báo cáo kết quả kiểm soát TTHC.", False),
        ("Thời gian thực hiện: Hằng quý", False),
        ("Bộ phận tiếp nhận và trả kết quả", True),
        ("3. Số hóa hồ sơ, kết quả giải quyết TTHC.", False),
        ("III. TỔ CHỨC THỰC HIỆN", True),
        ("1. Các bộ phận triển khai thực hiện Kế hoạch này.", False),
    ]
    document = Document("plan.docx", "docx", tuple(Paragraph(t, bold=b) for t, b in lines))
    draft = parse_plan(document)
    assert [(t.code, t.lead, t.timeframe.kind if t.timeframe else None) for t in draft.tasks] == [
        ("1", ["Văn phòng HĐND và UBND xã"], TimeframeKind.DUE),
        ("2", ["Văn phòng HĐND và UBND xã"], TimeframeKind.RECURRING),
        ("3", ["Bộ phận tiếp nhận và trả kết quả"], None),
    ]


@pytest.mark.parametrize("diacritics", [True, False])
def test_labels_inside_a_line(diacritics: bool) -> None:
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2025\n\n"
        "II. NHIỆM VỤ CỤ THỂ\n"
        "1. Rà soát, đánh giá TTHC thuộc thẩm quyền. Cơ quan thực hiện: Công chức Tư pháp - "
        "Hộ tịch. Thời gian thực hiện: Quý II/2025.\n"
        "2. Niêm yết công khai TTHC (cơ quan chủ trì: Văn phòng HĐND và UBND xã; thời gian: "
        "thường xuyên).\n"
        "3. Tuyên truyền dịch vụ công trực tuyến\n"
        "- Cơ quan thực hiện: Công chức Văn hóa - Xã hội; thời gian thực hiện: Quý III/2025\n"
    )
    draft = parsed(text if diacritics else strip_diacritics(text))
    form = (lambda v: v) if diacritics else plain_form
    assert [(t.code, t.content, t.lead) for t in draft.tasks] == [
        ("1", form("Rà soát, đánh giá TTHC thuộc thẩm quyền."),
         form(["Công chức Tư pháp - Hộ tịch"])),
        ("2", form("Niêm yết công khai TTHC"), form(["Văn phòng HĐND và UBND xã"])),
        ("3", form("Tuyên truyền dịch vụ công trực tuyến"), form(["Công chức Văn hóa - Xã hội"])),
    ]  # fmt: skip
    kinds = [(t.timeframe.kind, t.timeframe.due) for t in draft.tasks if t.timeframe]
    assert kinds == [
        (TimeframeKind.DUE, date(2025, 6, 30)),
        (TimeframeKind.CONTINUOUS, None),
        (TimeframeKind.DUE, date(2025, 9, 30)),
    ]
    assert not draft.warnings


def _as_sent(expected: Any, diacritics: bool) -> Any:
    """What a test expects, its texts without diacritics where the plan had none."""
    if diacritics:
        return expected
    if isinstance(expected, str):
        return strip_diacritics(expected)
    if isinstance(expected, (list, tuple)):
        return type(expected)(_as_sent(item, diacritics) for item in expected)
    return expected


@pytest.mark.parametrize("diacritics", [True, False])
def test_who_does_a_task_said_in_a_sentence(diacritics: bool) -> None:
    """A task's body or heading says who does it as a sentence ("X chủ trì, phối hợp
    với Y thực hiện hằng quý"; "(X chủ trì; …)", "…: X thực hiện …"): its lead,
    cooperating units and timeframe; a target stated after a task's fields is the
    task's; a heading with a sentence that names no doer is no task."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2026\n\n"
        "II. NHIỆM VỤ CỤ THỂ\n"
        "1. Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến\n"
        "Công an xã chủ trì, phối hợp với Đoàn Thanh niên thực hiện hằng quý.\n"
        "2. Niêm yết công khai thủ tục hành chính\n"
        "Giao Văn phòng HĐND và UBND xã thực hiện trước ngày 30/6/2026.\n"
        "3. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính\n"
        "- Cơ quan chủ trì: Bộ phận Một cửa\n- Thời gian thực hiện: Thường xuyên\n"
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt 100%.\n"
        "4. Rà soát quy trình nội bộ\n"
        "Số hóa thực hiện thường xuyên theo quy định.\n"
        "5. Công khai thủ tục hành chính (Văn phòng HĐND và UBND xã chủ trì; thời gian:"
        " thường xuyên).\n"
        "6. Báo cáo kết quả kiểm soát thủ tục hành chính: Công chức Văn phòng - Thống kê"
        " thực hiện định kỳ hằng quý.\n"
    )
    draft = parsed(text if diacritics else strip_diacritics(text))
    got = [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks]
    expected = [
        ("1", ["Công an xã"], ["Đoàn Thanh niên"], "hằng quý"),
        ("2", ["Văn phòng HĐND và UBND xã"], [], "trước ngày 30/6/2026"),
        ("3", ["Bộ phận Một cửa"], [], "Thường xuyên"),
        ("5", ["Văn phòng HĐND và UBND xã"], [], "thường xuyên"),
        ("6", ["Công chức Văn phòng - Thống kê"], [], "định kỳ hằng quý"),
    ]
    assert got == _as_sent(expected, diacritics)
    assert draft.tasks[0].timeframe is not None
    assert draft.tasks[0].timeframe.kind is TimeframeKind.RECURRING
    assert draft.tasks[1].timeframe is not None
    assert draft.tasks[1].timeframe.due == date(2026, 6, 30)
    assert [(i.code, i.target) for i in draft.indicators] == [("3-CT1", Decimal(100))]
    title = "Công khai thủ tục hành chính"  # the doer in parentheses left out
    assert draft.tasks[3].content == (title if diacritics else strip_diacritics(title))


def test_doers_in_later_sentences_and_items_but_not_in_the_purposes() -> None:
    """The doer in a line's second sentence; "- " items each saying their doer in
    parentheses are tasks of their own under the heading; a doer sentence under the
    plan's purposes, requirements or how it is carried out assigns no task; a
    sub-heading ("1. Mục đích") is no part of the target sentence below it."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2026\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n"
        "Phấn đấu 100% hồ sơ được giải quyết đúng hạn.\n"
        "2. Yêu cầu\nCác công chức chuyên môn nghiêm túc thực hiện.\n"
        "II. NỘI DUNG THỰC HIỆN\n"
        "1. Tiếp nhận, xử lý phản ánh, kiến nghị\n"
        "Xử lý kịp thời phản ánh của người dân. Công chức Tư pháp - Hộ tịch chủ trì"
        " thực hiện thường xuyên.\n"
        "2. Công tác truyền thông\n"
        "- Cập nhật trang thông tin điện tử (Công chức Văn hóa - Xã hội thực hiện hằng"
        " tháng).\n"
        "- Tuyên truyền trên loa truyền thanh (Công an xã chủ trì, thực hiện hằng tuần).\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "Giao Công chức Văn phòng - Thống kê thực hiện báo cáo trước ngày 15/12/2026.\n"
    )
    draft = parsed(text)
    assert [(t.code, t.lead, t.timeframe_text) for t in draft.tasks] == [
        ("1", ["Công chức Tư pháp - Hộ tịch"], "thường xuyên"),
        ("2.1", ["Công chức Văn hóa - Xã hội"], "hằng tháng"),
        ("2.2", ["Công an xã"], "hằng tuần"),
    ]
    assert draft.tasks[0].content.endswith("Xử lý kịp thời phản ánh của người dân.")
    assert draft.tasks[1].content == "Cập nhật trang thông tin điện tử"
    assert [(i.name, i.target) for i in draft.indicators] == [
        ("Tỷ lệ hồ sơ được giải quyết đúng hạn", Decimal(100))
    ]


def test_items_that_start_with_who_does_them() -> None:
    """ "- " items under a heading that start with their doer and go on with the task's
    verb: the doer leads ("Giao …" too), one that "phối hợp" cooperates; the timeframe
    is the one after the verb, else the one before it ("định kỳ báo cáo")."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2026\n\n"
        "II. NHIỆM VỤ TRỌNG TÂM\n"
        "1. Công tác tiếp nhận, xử lý phản ánh, kiến nghị\n"
        "- Giao Công chức Văn phòng - Thống kê tiếp nhận, xử lý phản ánh thường xuyên.\n"
        "- Công an xã phối hợp tuyên truyền về thủ tục cư trú trong quý II/2026.\n"
        "- Công chức Tư pháp - Hộ tịch định kỳ báo cáo kết quả.\n"
        "- Rà soát các thủ tục hằng năm.\n"
    )
    draft = parsed(text)
    assert [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks] == [
        ("1.1", ["Công chức Văn phòng - Thống kê"], [], "thường xuyên"),
        ("1.2", [], ["Công an xã"], "trong quý II/2026"),
        ("1.3", ["Công chức Tư pháp - Hộ tịch"], [], "định kỳ báo cáo kết quả"),
    ]
    assert draft.tasks[0].content.startswith("Giao Công chức Văn phòng - Thống kê tiếp nhận")


def test_a_field_after_an_item_s_sentence_on_its_line() -> None:
    """OCR joins an item and the field below it into one line ("- Rà soát … xã. Thời
    gian thực hiện: Quý II/2026."): the field is cut off the item."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2026\n\n"
        "II. NỘI DUNG THỰC HIỆN\n"
        "1. Công tác rà soát thủ tục hành chính\n"
        "- Rà soát các thủ tục hành chính của UBND xã. Thời gian thực hiện: Quý II/2026.\n"
        "Trách nhiệm thực hiện: Công chức Tư pháp - Hộ tịch.\n"
    )
    (task,) = parsed(text).tasks
    assert (task.lead, task.timeframe_text) == (["Công chức Tư pháp - Hộ tịch"], "Quý II/2026")
    assert task.content.endswith("Rà soát các thủ tục hành chính của UBND xã.")


@pytest.mark.parametrize("diacritics", [True, False])
def test_a_doer_sentence_written_as_an_item(diacritics: bool) -> None:
    """A "- " item under a task's heading that is a doer sentence ("- Giao X phối hợp Y
    thực hiện …") gives the heading's task its fields, as the same sentence without the
    dash does; "X phối hợp (với) Y thực hiện": X is given the task, Y works with it."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2027\n\n"
        "II. NHIỆM VỤ\n"
        "1. Rà soát thủ tục hành chính lĩnh vực nông nghiệp\n"
        "- Giao Hội Nông dân xã phối hợp Công chức Địa chính - Nông nghiệp thực hiện trước"
        " ngày 30/6/2027.\n"
        "2. Hướng dẫn đăng ký thường trú trực tuyến\n"
        "- Công an xã chủ trì, phối hợp Đoàn Thanh niên thực hiện hằng quý.\n"
        "3. Niêm yết thủ tục hành chính\n"
        "- Giao Văn phòng - Thống kê thực hiện thường xuyên.\n"
    )
    draft = parsed(text if diacritics else strip_diacritics(text))
    expected = [
        ("1", ["Hội Nông dân xã"], ["Công chức Địa chính - Nông nghiệp"], "trước ngày 30/6/2027"),
        ("2", ["Công an xã"], ["Đoàn Thanh niên"], "hằng quý"),
        ("3", ["Văn phòng - Thống kê"], [], "thường xuyên"),
    ]
    got = [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks]
    assert got == as_typed(expected, diacritics)
    assert draft.tasks[0].timeframe is not None
    assert draft.tasks[0].timeframe.due == date(2027, 6, 30)


def test_a_doer_item_followed_by_other_items_with_their_doers() -> None:
    """Under one heading, a first item that is a doer sentence ("- Giao X chủ trì, phối
    hợp với Y niêm yết …") and a second that starts with its doer: each is a task under
    the heading (the first was the heading's task "1", the second "II.2"); a sentence
    "Giao X phối hợp với Y <verb> …, thực hiện từ tháng 4 …" gives the heading's task X,
    Y and the time (it was no task at all)."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2027\n\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Công tác công bố, công khai TTHC\n"
        "- Giao Văn phòng HĐND và UBND xã chủ trì, phối hợp với Bộ phận Một cửa niêm yết"
        " công khai TTHC. Thời gian: Quý I/2027.\n"
        "- Công chức Tư pháp - Hộ tịch cập nhật TTHC mới ban hành, trong tháng 3/2027.\n"
        "2. Công tác số hóa\n"
        "Giao Công an xã phối hợp với Công chức Tư pháp - Hộ tịch số hóa dữ liệu hộ tịch,"
        " thực hiện từ tháng 4 đến tháng 9/2027.\n"
    )
    draft = parsed(text)
    assert [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks] == [
        ("1.1", ["Văn phòng HĐND và UBND xã"], ["Bộ phận Một cửa"], "Quý I/2027"),
        ("1.2", ["Công chức Tư pháp - Hộ tịch"], [], "trong tháng 3/2027"),
        ("2", ["Công an xã"], ["Công chức Tư pháp - Hộ tịch"], "từ tháng 4 đến tháng 9/2027"),
    ]
    assert draft.tasks[0].content.startswith("Giao Văn phòng HĐND và UBND xã chủ trì")
    assert draft.tasks[0].section == "1. Công tác công bố, công khai TTHC"


@pytest.mark.parametrize("diacritics", [True, False])
def test_tasks_under_a_unit_say_their_time_and_partners_in_their_sentence(
    diacritics: bool,
) -> None:
    """Under "Trách nhiệm của Công an phường:", a task's sentence may end with its
    timeframe without a label ("…, hoàn thành trước 30/9/2027", "… định kỳ hằng quý") and
    start with whom it works with ("Phối hợp với Đoàn Thanh niên phường hướng dẫn …"); a
    heading "Hội Liên hiệp Phụ nữ phường: <task>" is that unit's task; letters restarting
    under numbered sections leave the next number ("3") as written."""
    text = (
        "KẾ HOẠCH\nThực hiện cơ chế một cửa năm 2027\n\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Trách nhiệm của Công an phường:\n"
        "a) Tiếp nhận hồ sơ cư trú trên môi trường điện tử; thời gian: thường xuyên.\n"
        "b) Phối hợp với Đoàn Thanh niên phường hướng dẫn người dân cài đặt VNeID, hoàn"
        " thành trước 30/9/2027.\n"
        "2. Trách nhiệm của Bộ phận Một cửa phường:\n"
        "a) Số hóa hồ sơ, kết quả giải quyết TTHC; thời gian: hằng tháng.\n"
        "b) Báo cáo kết quả giải quyết TTHC định kỳ hằng quý.\n"
        "3. Hội Liên hiệp Phụ nữ phường: tuyên truyền thanh toán trực tuyến đến hội viên,"
        " quý II/2027.\n"
        "4. Nâng cao chất lượng phục vụ trong năm 2027.\n"  # no one named: no task
    )
    draft = parsed(text if diacritics else strip_diacritics(text))
    expected = [
        ("1.a", ["Công an phường"], [], "thường xuyên"),
        ("1.b", ["Công an phường"], ["Đoàn Thanh niên phường"], "trước 30/9/2027"),
        ("2.a", ["Bộ phận Một cửa phường"], [], "hằng tháng"),
        ("2.b", ["Bộ phận Một cửa phường"], [], "định kỳ hằng quý"),
        ("3", ["Hội Liên hiệp Phụ nữ phường"], [], "quý II/2027"),
    ]
    got = [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks]
    assert got == as_typed(expected, diacritics)
    assert [t.timeframe.kind for t in draft.tasks if t.timeframe] == [
        TimeframeKind.CONTINUOUS,
        TimeframeKind.DUE,
        TimeframeKind.RECURRING,
        TimeframeKind.RECURRING,
        TimeframeKind.DUE,
    ]
    assert draft.tasks[4].content.startswith(as_typed(["tuyên truyền"], diacritics)[0])


def test_a_year_at_a_tasks_end_is_no_deadline() -> None:
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2027\n\n"
        "II. NHIỆM VỤ\n1. Trách nhiệm của Văn phòng HĐND và UBND xã:\n"
        "a) Xây dựng Kế hoạch kiểm soát thủ tục hành chính năm 2027.\n"
        "b) Tổng hợp báo cáo trong quý IV/2027.\n"
    )
    draft = parsed(text)
    assert [(t.code, t.timeframe_text) for t in draft.tasks] == [
        ("1.a", ""),  # no timeframe: listed to check, not guessed
        ("1.b", "trong quý IV/2027"),
    ]
    assert any(w.kind.value == "no_timeframe" and w.task_code == "1.a" for w in draft.warnings)


@pytest.mark.parametrize("diacritics", [True, False])
def test_what_a_doer_sentence_says_is_done_goes_on_the_task(diacritics: bool) -> None:
    """The words between a doer sentence's unit and its time are what is done: they go
    on the heading's content (a percentage there offers the task's indicator) and the
    timeframe starts at the time ("Bộ phận Một cửa thực hiện số hóa 100% hồ sơ …; báo
    cáo … trước ngày 15 của tháng cuối quý" was read whole as the timeframe). A line
    right under a heading that starts with its unit and a task's verb says who does it,
    and the reports it names are its timeframe."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2027\n\n"
        "II. NỘI DUNG THỰC HIỆN\n"
        "1. Số hóa hồ sơ\n"
        "Bộ phận Một cửa thực hiện số hóa 100% hồ sơ khi tiếp nhận; báo cáo kết quả trước"
        " ngày 15 của tháng cuối quý.\n"
        "2. Chuyển đổi số\n"
        "Giao Hội Nông dân xã phối hợp với Công chức Địa chính số hóa dữ liệu đất đai, thực"
        " hiện từ tháng 4/2027.\n"
        "3. Chế độ báo cáo\n"
        "Văn phòng HĐND và UBND xã tổng hợp báo cáo quý, 6 tháng, năm gửi UBND tỉnh.\n"
        "4. Truyền thông\n"
        "- Giao Công chức Tư pháp - Hộ tịch phối hợp với Công chức Văn hóa - Xã hội tuyên"
        " truyền về dịch vụ công trực tuyến, thực hiện hằng tháng.\n"
        "- Công an xã hướng dẫn người dân cài đặt VNeID trong quý II/2027.\n"
    )
    draft = parsed(text if diacritics else strip_diacritics(text))
    got = [(t.code, t.content, t.lead, t.timeframe_text) for t in draft.tasks]
    expected = [
        (
            "1",
            "Số hóa hồ sơ: số hóa 100% hồ sơ khi tiếp nhận; báo cáo kết quả",
            ["Bộ phận Một cửa"],
            "trước ngày 15 của tháng cuối quý",
        ),
        (
            "2",
            "Chuyển đổi số: số hóa dữ liệu đất đai",
            ["Hội Nông dân xã"],
            "từ tháng 4/2027",
        ),
        (
            "3",
            "Chế độ báo cáo: tổng hợp báo cáo quý, 6 tháng, năm gửi UBND tỉnh",
            ["Văn phòng HĐND và UBND xã"],
            "báo cáo quý, 6 tháng, năm",
        ),
    ]
    assert got[:3] == _as_sent(expected, diacritics)
    assert draft.tasks[1].cooperating == _as_sent(["Công chức Địa chính"], diacritics)
    kinds = [t.timeframe.kind if t.timeframe else None for t in draft.tasks]
    assert kinds[:3] == [
        TimeframeKind.RECURRING,
        TimeframeKind.CONTINUOUS,
        TimeframeKind.RECURRING,
    ]
    # an item "Giao X phối hợp với Y <verb> …": X leads, working with Y (both were lead)
    items = [
        ("4.1", ["Công chức Tư pháp - Hộ tịch"], ["Công chức Văn hóa - Xã hội"], "hằng tháng"),
        ("4.2", ["Công an xã"], [], "trong quý II/2027"),
    ]
    got = [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks[3:]]
    assert got == _as_sent(items, diacritics)
    assert [(i.code, i.target) for i in draft.indicators] == [("1-CT1", Decimal(100))]
    # the reports the tasks are are not reporting duties of their own (reminded twice)
    assert draft.duties == []


def test_a_task_given_in_other_words() -> None:
    """ "Giao cho X <verb> …", "Đồng chí Chủ tịch … chủ trì …", "UBND thị trấn giao X chủ
    trì, phối hợp với …": the unit given the task leads (the first two were no task, the
    third made "UBND thị trấn giao" a lead)."""
    text = (
        "KẾ HOẠCH\nKiểm soát thủ tục hành chính năm 2027\n\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Tuyên truyền dịch vụ công trực tuyến\n"
        "Giao cho Công an thị trấn hướng dẫn người dân đăng ký tài khoản định danh điện tử,"
        " hoàn thành trong quý II/2027.\n"
        "2. Kiểm tra công tác kiểm soát TTHC\n"
        "Đồng chí Chủ tịch UBND thị trấn chủ trì kiểm tra định kỳ 6 tháng/lần.\n"
        "3. Rà soát TTHC\n"
        "UBND thị trấn giao Công chức Tư pháp - Hộ tịch chủ trì, phối hợp với các bộ phận"
        " liên quan thực hiện trước 30/6/2027.\n"
        "4. Định danh điện tử\n"
        "Văn phòng HĐND và UBND thị trấn chủ trì, phối hợp với Công an thị trấn hướng dẫn"
        " người dân cài đặt VNeID, hoàn thành trong quý II/2027.\n"
    )
    draft = parsed(text)
    assert [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks] == [
        ("1", ["Công an thị trấn"], [], "trong quý II/2027"),
        ("2", ["Chủ tịch UBND thị trấn"], [], "định kỳ 6 tháng/lần"),
        ("3", ["Công chức Tư pháp - Hộ tịch"], ["các bộ phận liên quan"], "trước 30/6/2027"),
        # (the partner's name ends at the verb: it took the whole sentence, the time too)
        ("4", ["Văn phòng HĐND và UBND thị trấn"], ["Công an thị trấn"], "trong quý II/2027"),
    ]
    assert draft.tasks[3].content == "Định danh điện tử: hướng dẫn người dân cài đặt VNeID"
    assert draft.tasks[0].content == (
        "Tuyên truyền dịch vụ công trực tuyến: hướng dẫn người dân đăng ký tài khoản định danh"
        " điện tử"
    )
