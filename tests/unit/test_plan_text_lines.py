"""Plans saved as bare lines (LibreOffice's "Text" export): a line per cell paragraph, an
empty cell an empty line, no tab or rule between cells."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language.timeframes import Cadence, TimeframeKind
from bot.plans.model import Table, WarningKind
from bot.plans.parser import parse_plan
from bot.plans.text import read_text
from tests.pdf_fixtures import needs_libreoffice, saved_as_text
from tests.plans_fixtures import SAMPLE_NAMES, sample_docx
from tests.repair_scoring import DATA, _lead_ok, _same_indicator, _tasks, _when

# As LibreOffice saves a commune's plan: the header's names wrapped in their cells ("Thời
# gian" / "hoàn thành" on the next line), the lead and cooperating units in one cell of
# two paragraphs, an empty note cell, a section's numeral and title in one cell merged
# across, a lead merged down over two rows (empty below), a last row ending the file
# with its empty cells.
PLAN = """ỦY BAN NHÂN DÂN
XÃ TÂN THANH
KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2026
I. NHIỆM VỤ
TT
Nội dung nhiệm vụ
Cơ quan thực hiện
Thời gian
hoàn thành
Ghi chú
1
Công khai TTHC tại Bộ phận Một cửa xã
Chủ trì: Văn phòng HĐND và UBND xã
Phối hợp: Công chức Tư pháp - Hộ tịch
Quý I/2026

2
Số hóa hồ sơ, kết quả giải quyết TTHC
- Bộ phận Một cửa xã chủ trì.
- Các công chức chuyên môn phối hợp.
Hằng tháng
Báo cáo trước ngày 20
II Tuyên truyền, hướng dẫn
3
Hướng dẫn người dân sử dụng dịch vụ công trực tuyến
Đoàn Thanh niên xã
Tháng 6/2026 và tháng 12/2026

4
Tuyên truyền trên loa truyền thanh

Hằng quý

II. CHỈ TIÊU
STT
Chỉ tiêu
Đơn vị tính
Chỉ tiêu năm 2026
1
Tỷ lệ hồ sơ giải quyết đúng hạn
%
≥ 98
2
Số cuộc tuyên truyền
cuộc
12
"""


def test_a_plan_saved_as_bare_lines_reads_its_tables() -> None:
    document = read_text(PLAN, "ke-hoach.txt")
    tasks_table, indicators_table = [b for b in document.blocks if isinstance(b, Table)]
    header = [c.text for c in tasks_table.rows[0]]
    assert header == [
        "TT",
        "Nội dung nhiệm vụ",
        "Cơ quan thực hiện",
        "Thời gian\nhoàn thành",
        "Ghi chú",
    ]
    assert tasks_table.hides_merges  # a cell merged down is saved in its first row only
    assert [c.text for c in indicators_table.rows[2]] == ["2", "Số cuộc tuyên truyền", "cuộc", "12"]

    draft = parse_plan(document)
    got = [
        (t.code, t.lead, t.cooperating, t.timeframe.kind if t.timeframe else None)
        for t in draft.tasks
    ]
    assert got == [
        ("1", ["Văn phòng HĐND và UBND xã"], ["Công chức Tư pháp - Hộ tịch"], TimeframeKind.DUE),
        (
            "2",
            ["Bộ phận Một cửa xã"],
            ["Các công chức chuyên môn"],
            TimeframeKind.RECURRING,
        ),
        ("3", ["Đoàn Thanh niên xã"], [], TimeframeKind.RECURRING),
        ("4", ["Đoàn Thanh niên xã"], [], TimeframeKind.RECURRING),  # merged down
    ]
    assert draft.tasks[0].timeframe is not None and draft.tasks[0].timeframe.due == date(
        2026, 3, 31
    )
    assert draft.tasks[2].timeframe is not None
    assert draft.tasks[2].timeframe.cadences == (Cadence.HALF,)
    assert [w.task_code for w in draft.warnings if w.kind is WarningKind.LEAD_FROM_ABOVE] == ["4"]
    # the figures "12" and "98" are the indicators' cells, not rows
    assert [(i.name, i.comparator.value, int(i.target)) for i in draft.indicators] == [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn", ">=", 98),
        ("Số cuộc tuyên truyền", ">=", 12),
    ]


def test_rows_cut_at_a_page_and_a_title_over_a_row_without_number() -> None:
    """A row cut in two at a page break (its second piece a row with an empty number
    cell) is one task; a section's title with the next row's number cell empty below it
    is the section and its first task; the table ends at the signature's prose."""
    text = "\n".join(
        [
            "STT",
            "Nội dung công việc",
            "Đơn vị chủ trì",
            "Thời gian thực hiện",
            "1",
            "Rà soát thủ tục hành chính",
            "Văn phòng HĐND và UBND xã",
            "Thường xuyên",
            "",
            "thuộc thẩm quyền giải quyết của xã",
            "",
            "",
            "2",
            "Kiểm tra việc thực hiện",
            "",
            "Tổ chức kiểm tra việc giải quyết TTHC tại Bộ phận Một cửa",
            "Công an xã",
            "Quý III/2026",
            "Nơi nhận:",
            "- Như trên;",
        ]
    )
    draft = parse_plan(read_text(text, "k.txt"))
    assert [(t.code, t.lead) for t in draft.tasks] == [
        ("1", ["Văn phòng HĐND và UBND xã"]),
        ("2.1", ["Công an xã"]),
    ]
    assert draft.tasks[0].content.endswith("thuộc thẩm quyền giải quyết của xã")
    assert draft.tasks[1].timeframe is not None and draft.tasks[1].timeframe.due == date(
        2026, 9, 30
    )
    blocks = read_text(text, "k.txt").blocks
    assert blocks[-1].text.startswith("- Như trên")  # type: ignore[union-attr]


def test_a_header_of_two_rows() -> None:
    """ "Cơ quan thực hiện" over "Chủ trì" and "Phối hợp": saved as the top row, then the
    row below with an empty line for each cell merged down."""
    text = "\n".join(
        [
            "STT",
            "Nội dung",
            "Cơ quan thực hiện",
            "Thời gian",
            "",
            "",
            "Chủ trì",
            "Phối hợp",
            "",
            "1",
            "Rà soát TTHC",
            "Văn phòng HĐND và UBND xã",
            "Công an xã",
            "Quý I/2027",
        ]
    )
    document = read_text(text, "k.txt")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[0]] == [
        "STT",
        "Nội dung",
        "Chủ trì",
        "Phối hợp",
        "Thời gian",
    ]
    (task,) = parse_plan(document).tasks
    assert (task.lead, task.cooperating) == (["Văn phòng HĐND và UBND xã"], ["Công an xã"])


def test_lines_that_only_look_like_a_header_stay_prose() -> None:
    """ "TT" alone, or column words not followed by a row number, are prose."""
    text = "TT\nNội dung công việc\nĐơn vị chủ trì\nThời gian\nĐây là lời dẫn, không có bảng."
    blocks = read_text(text, "k.txt").blocks
    assert not any(isinstance(b, Table) for b in blocks)


@needs_libreoffice
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_sample_saved_as_text_by_libreoffice(name: str) -> None:
    """Each sample's Word twin saved as text by LibreOffice gives its tasks and indicators
    (bench.plan_pdf measures it; the floors here are just under its figures)."""
    draft = parse_plan(read_text(saved_as_text(sample_docx(name)).decode("utf-8"), "k.txt"))
    clean = _tasks(DATA / f"{name}.txt", [])
    got = {t.code: t for t in draft.tasks}
    right = sum(
        1
        for t in clean
        if (g := got.get(t.code)) is not None and _lead_ok(g, t) and _when(g) == _when(t)
    )
    assert right >= len(clean) - 3
    from tests.repair_scoring import _indicators

    wanted = _indicators(DATA / f"{name}.txt", [])
    assert all(any(_same_indicator(r, c) for r in draft.indicators) for c in wanted)


def test_an_assignment_matrix_saved_as_bare_lines() -> None:
    """A column per unit after the content's, the unit's role marked in its cell: the
    units' names are the header's (they ended it: no table was found)."""
    text = "\n".join(
        [
            "KẾ HOẠCH",
            "Kiểm soát thủ tục hành chính năm 2026 trên địa bàn xã Kim Sơn",
            "STT", "Nội dung công việc", "Thời gian", "Văn phòng HĐND và UBND", "Công an xã",
            "Bộ phận Một cửa",
            "1", "Rà soát TTHC", "Quý II/2026", "CT", "PH", "",
            "2", "Công khai TTHC", "Thường xuyên", "PH", "", "CT",
            "3", "Tuyên truyền", "Tháng 6/2026", "", "x", "",
        ]
    )  # fmt: skip
    draft = parse_plan(read_text(text), year=2026)
    assert [(t.code, t.lead, t.cooperating, t.timeframe_text) for t in draft.tasks] == [
        ("1", ["Văn phòng HĐND và UBND"], ["Công an xã"], "Quý II/2026"),
        ("2", ["Bộ phận Một cửa"], ["Văn phòng HĐND và UBND"], "Thường xuyên"),
        ("3", ["Công an xã"], [], "Tháng 6/2026"),
    ]
