"""The periodic report's workbook, from a report built by hand (no database): every
matrix cell equal to the model's standing and coloured by it, figures stored as numbers
equal to the model's, dates as dates, messages that look like formulas kept as text,
undone reports marked, every sheet with frozen headers and a filter; an empty report
writes and says there is no data."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import translations
from bot.language.periods import Period
from bot.services.periodic import (
    Behind,
    IndicatorReport,
    LogEntry,
    MonthFigures,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)
from bot.views.documents.report_xlsx import FILLS, WRAPPED_LOG, report_xlsx, standing_text

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SHEETS = {
    "vi": [
        "Tổng hợp",
        "Tiến độ",
        "Chỉ tiêu",
        "Nhật ký",
        "Chưa báo cáo",
        "Chậm, quá hạn",
        "Sắp đến hạn",
    ],
    "en": ["Summary", "Progress", "Indicators", "Log", "Not reported", "Behind", "Coming due"],
}
SHORT = {  # the matrix's words, written here again so the test does not read the code's
    Standing.DONE: "Đúng hạn",
    Standing.LATE: "Muộn {days} ngày",
    Standing.OVERDUE: "Quá hạn {days} ngày",
    Standing.IN_PROGRESS: "Đang làm {percent}%",
    Standing.NOT_REPORTED: "Chưa báo cáo",
    Standing.NOT_APPLICABLE: "Không áp dụng",
}
HYPERLINK = '=HYPERLINK("http://example.invalid/","Bấm vào đây")'
PHONE = "+84 912 345 678 gọi lại giúp"


def _standing(
    unit_id: int,
    unit: str,
    standing: Standing,
    *,
    lead: bool = True,
    percent: int | None = None,
    reported: datetime | None = None,
    days_late: int | None = None,
) -> UnitStanding:
    return UnitStanding(unit_id, unit, lead, standing, percent, reported, days_late)


def _report() -> PeriodicReport:
    sent = datetime(2025, 9, 1, 8, 30, tzinfo=LOCAL)
    tasks = (
        TaskReport(
            code="1.1",
            content="Rà soát, công bố thủ tục hành chính",
            lead_text="UBND các xã",
            timeframe_text="Trước 31/8/2025",
            due=date(2025, 8, 31),
            product="Báo cáo",
            units=(
                _standing(1, "Xã An Bình", Standing.DONE, reported=datetime(2025, 8, 20, 9, 0)),
                _standing(
                    2,
                    "Xã Bình Minh",
                    Standing.LATE,
                    reported=datetime(2025, 9, 3, 10, 0),
                    days_late=3,
                ),
                _standing(3, "Xã Cát Tiên", Standing.OVERDUE, days_late=14),
                _standing(4, "Phường Đông Hà", Standing.OVERDUE, lead=False, days_late=14),
            ),
        ),
        TaskReport(
            code="2.1",
            content="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            lead_text=None,
            timeframe_text="Thường xuyên",
            due=None,
            product=None,
            units=(
                _standing(
                    1, "Xã An Bình", Standing.IN_PROGRESS, percent=50, reported=sent.replace()
                ),
                _standing(2, "Xã Bình Minh", Standing.NOT_REPORTED),
                _standing(
                    3,
                    "Xã Cát Tiên",
                    Standing.NOT_APPLICABLE,
                    lead=False,
                    reported=datetime(2025, 7, 2, 7, 45),
                ),
            ),
        ),
    )
    figures = IndicatorReport(
        code="CT1",
        name="Tỷ lệ hồ sơ trực tuyến toàn trình",
        measure="%",
        comparator=">=",
        target=Decimal("80"),
        value=Decimal("77.5"),
        numerator=Decimal("155"),
        denominator=Decimal("200"),
        meets=False,
        units=(
            UnitFigure(
                1,
                "Xã An Bình",
                Decimal("85.5"),
                Decimal("171"),
                Decimal("200"),
                True,
                datetime(2025, 9, 2, 14, 5, tzinfo=LOCAL),
            ),
            UnitFigure(
                2,
                "Xã Bình Minh",
                Decimal("0.6666666666666666666666666667"),
                None,
                None,
                False,
                datetime(2025, 9, 4, 16, 0),
            ),
        ),
        expected=4,
    )
    count = IndicatorReport(
        code="CT2",
        name="Số hồ sơ tiếp nhận",
        measure="hồ sơ",
        comparator="<=",
        target=None,
        value=Decimal("1234"),
        numerator=None,
        denominator=None,
        meets=None,
        units=(),
        expected=4,
    )
    log = (
        LogEntry(
            datetime(2025, 8, 20, 9, 0),
            "Xã An Bình",
            "Nguyễn Văn A",
            "1.1",
            "1.1 xong, 2.1 đang làm 50%",
            False,
            status="done",
            inbound_id=7,
        ),
        LogEntry(
            datetime(2025, 8, 20, 9, 0),
            "Xã An Bình",
            "Nguyễn Văn A",
            "2.1",
            "1.1 xong, 2.1 đang làm 50%",
            True,  # undone since: the message's other fact stands
            status="in_progress",
            percent=50,
            inbound_id=7,
        ),
        LogEntry(sent, "Xã An Bình", None, "2.1", HYPERLINK, False, "in_progress", 50),
        LogEntry(
            datetime(2025, 9, 2, 14, 5),
            "Xã Bình Minh",
            "Trần Thị B",
            "CT1 Tỷ lệ hồ sơ trực tuyến toàn trình",
            PHONE,
            True,
            figure=Decimal("85.5"),
            numerator=Decimal(171),
            denominator=Decimal(200),
            inbound_id=9,
        ),
    )
    return PeriodicReport(
        period=Period.quarter(2025, 3),
        window=(date(2025, 6, 15), date(2025, 9, 14)),
        made_on=date(2025, 9, 20),
        plan_title="Kế hoạch kiểm soát thủ tục hành chính năm 2025",
        plan_issuer="UBND tỉnh",
        plan_year=2025,
        unit=None,
        sections=(Section("I. Kiểm soát TTHC", tasks[:1]), Section("II. Số hóa", tasks[1:])),
        indicators=(figures, count),
        behind=(
            Behind(
                3,
                "Xã Cát Tiên",
                "1.1",
                "Rà soát, công bố thủ tục hành chính",
                date(2025, 8, 31),
                14,
                (Said("Xã Cát Tiên", datetime(2025, 9, 10, 8, 0), "=thiếu máy scan"),),
            ),
        ),
        next_period=Period.quarter(2025, 4),
        upcoming=(
            Upcoming("3.1", "Tổng kết năm", date(2025, 12, 15), ("Xã An Bình", "Xã Cát Tiên")),
        ),
        log=log,
        silent=("Phường Đông Hà", "Xã Dương Minh Châu"),
        units=("Phường Đông Hà", "Xã An Bình", "Xã Bình Minh", "Xã Cát Tiên", "Xã Dương Minh Châu"),
    )


def _empty() -> PeriodicReport:
    return PeriodicReport(
        period=Period.quarter(2025, 3),
        window=(date(2025, 6, 15), date(2025, 9, 14)),
        made_on=date(2025, 9, 20),
        plan_title="Kế hoạch năm 2025",
        plan_issuer=None,
        plan_year=None,
        unit="Xã An Bình",
        sections=(),
        indicators=(),
        behind=(),
        next_period=Period.quarter(2025, 4),
        upcoming=(),
        log=(),
        silent=(),
        units=(),
    )


def _open(report: PeriodicReport, language: str = "vi") -> Workbook:
    return load_workbook(io.BytesIO(report_xlsx(report, language)))


def _rows(ws: Worksheet, first: int = 2) -> list[list]:
    return [list(row) for row in ws.iter_rows(min_row=first, values_only=True)]


def _by_label(ws: Worksheet) -> dict[str, object]:
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def _expected_text(unit: UnitStanding) -> str:
    text = SHORT[unit.standing].format(days=unit.days_late, percent=unit.percent)
    if unit.reported_at:
        text += "\n" + unit.reported_at.strftime("%d/%m/%Y")
    return text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_sheets_in_order_each_with_frozen_headers_a_filter_and_print_settings(
    language: str,
) -> None:
    book = _open(_report(), language)
    assert book.sheetnames == SHEETS[language]
    for ws in book.worksheets:
        header_rows = 3 if ws.title in ("Tiến độ", "Progress") else 1
        assert ws.freeze_panes == f"B{header_rows + 1}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{header_rows}:")
        assert ws.auto_filter.ref.endswith(str(ws.max_row)), ws.title
        assert ws.page_setup.orientation == "landscape"
        assert ws.column_dimensions["A"].width > 0 and ws.column_dimensions["B"].width > 0
        header = ws.cell(header_rows, 1)
        assert header.font.b and header.fill.fgColor.rgb.endswith("BDD7EE"), ws.title


def test_the_matrix_is_the_models_standings_with_their_colours() -> None:
    report = _report()
    ws = _open(report)["Tiến độ"]
    tasks = [task for section in report.sections for task in section.tasks]
    assert [ws.cell(3, column).value for column in range(1, 4)] == ["Đơn vị", "1.1", "2.1"]
    assert ws.cell(1, 2).value == tasks[0].content
    assert ws.cell(2, 2).value == datetime(2025, 8, 31)
    assert ws.cell(2, 2).is_date and ws.cell(2, 2).number_format == "dd/mm/yyyy"
    assert ws.cell(2, 3).value == "Thường xuyên"  # no deadline: the timeframe as written
    units = [ws.cell(row, 1).value for row in range(4, ws.max_row + 1)]
    assert units == list(report.units)  # one row per unit, in the report's order
    expected = {(u.unit, task.code): u for task in tasks for u in task.units}
    for row, unit in enumerate(units, start=4):
        for column, task in enumerate(tasks, start=2):
            cell = ws.cell(row, column)
            standing = expected.get((unit, task.code))
            if standing is None:  # no assignment: blank
                assert cell.value is None and cell.fill.fill_type is None, (unit, task.code)
                continue
            assert cell.value == _expected_text(standing)
            assert cell.fill.fgColor.rgb.endswith(FILLS[standing.standing])
            assert bool(cell.font.i) is (not standing.lead)  # cooperating in italics
    # every standing is there, with distinct fills for on time, late, overdue, in progress
    cells = [ws.cell(r, c).value for r in range(4, ws.max_row + 1) for c in (2, 3)]
    seen = {value.split("\n")[0] for value in cells if value}
    assert seen == {
        "Đúng hạn",
        "Muộn 3 ngày",
        "Quá hạn 14 ngày",
        "Đang làm 50%",
        "Chưa báo cáo",
        "Không áp dụng",
    }
    assert len(set(FILLS.values())) == len(Standing)  # every standing its own colour


def test_figures_are_numbers_equal_to_the_models() -> None:
    report = _report()
    ws = _open(report)["Chỉ tiêu"]
    header = [cell.value for cell in ws[1]]
    assert header[:6] == ["Mã", "Chỉ tiêu", "Đơn vị", "Tử số", "Mẫu số", "Giá trị"]
    rows = _rows(ws)
    area, an_binh, binh_minh, count = rows
    assert area[:10] == [
        "CT1",
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "Toàn địa bàn (2/4 đơn vị báo cáo)",
        155,
        200,
        77.5,
        "%",
        "≥",
        80,
        "Không đạt",
    ]
    assert an_binh[2:10] == ["Xã An Bình", 171, 200, 85.5, "%", "≥", 80, "Đạt"]
    assert an_binh[10] == datetime(2025, 9, 2, 14, 5)  # local, naive
    assert binh_minh[3:5] == [None, None]
    assert binh_minh[5] == float(Decimal("0.6666666666666666666666666667"))
    assert count[:10] == [
        "CT2",
        "Số hồ sơ tiếp nhận",
        "Toàn địa bàn (0/4 đơn vị báo cáo)",
        None,
        None,
        1234,
        "hồ sơ",
        None,
        None,
        None,
    ]
    for row in range(2, 6):
        for column in (4, 5, 6, 9):
            cell = ws.cell(row, column)
            assert cell.value is None or cell.data_type == "n"
    figures = report.indicators[0]
    for row, model in [
        (2, figures.value),
        (3, figures.units[0].value),
        (4, figures.units[1].value),
        (5, report.indicators[1].value),
    ]:
        assert Decimal(str(ws.cell(row, 6).value)) == Decimal(str(float(model)))
    assert ws.cell(2, 6).number_format == "0.0"  # a "%" measure: percentage points
    assert ws.cell(5, 6).number_format == "#,##0"
    assert ws.cell(2, 1).font.b and not ws.cell(3, 1).font.b  # the area's row stands out


def test_units_with_nothing_arising_are_rows_without_a_figure() -> None:
    report = _report()
    figures = dataclasses.replace(report.indicators[0], nothing_arose=("Xã Cát Tiên",))
    said = LogEntry(datetime(2025, 9, 3, 8, 0), "Xã Cát Tiên", None, "CT1 Tỷ lệ", "0/0", False)
    report = dataclasses.replace(
        report, indicators=(figures, *report.indicators[1:]), log=(*report.log, said)
    )
    book = _open(report)
    rows = _rows(book["Chỉ tiêu"])
    assert rows[0][2] == "Toàn địa bàn (2/4 đơn vị báo cáo)"  # the figures sent, as before
    nothing = rows[3]
    assert nothing[:3] == ["CT1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Xã Cát Tiên"]
    assert nothing[3:6] == [None, None, None]  # no figure
    assert nothing[9:] == ["Không phát sinh", None]
    assert rows[4][0] == "CT2"  # the next indicator follows
    log = _rows(book["Nhật ký"])
    assert log[-1][3] == "CT1 Tỷ lệ: không phát sinh (không có số liệu)"


def test_the_log_has_a_row_per_message_in_words_and_marks_undone() -> None:
    report = _report()
    ws = _open(report)["Nhật ký"]
    rows = _rows(ws)
    assert len(rows) == 3  # the first two facts came in one message
    first, second, third = report.log[0], report.log[2], report.log[3]
    for row, entry in zip(range(2, 5), (first, second, third), strict=True):
        time = ws.cell(row, 1)
        assert time.is_date and time.value == entry.at.replace(tzinfo=None)
        assert time.number_format == "dd/mm/yyyy hh:mm"
        assert [ws.cell(row, c).value for c in (2, 3, 5)] == [
            entry.unit,
            entry.person,
            entry.message,
        ]
    assert ws.cell(2, 4).value == "1.1: đã xong\n2.1: đang thực hiện (50%) (đã hủy)"
    assert ws.cell(3, 4).value == "2.1: đang thực hiện (50%)"
    assert ws.cell(4, 4).value == "CT1 Tỷ lệ hồ sơ trực tuyến toàn trình: 171/200 (đã hủy)"
    # Struck and marked only where every fact of the message was undone.
    assert [ws.cell(row, 6).value for row in (2, 3, 4)] == [None, None, "Đã hủy"]
    assert [bool(ws.cell(row, 4).font.strike) for row in (2, 3, 4)] == [False, False, True]
    hyperlink, phone = ws.cell(3, 5), ws.cell(4, 5)
    for cell, text in ((hyperlink, HYPERLINK), (phone, PHONE)):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert phone.font.strike  # the undone row keeps its text safe too


def test_a_quarters_indicators_month_by_month() -> None:
    """The months side by side: the area's row, then each unit that sent a figure in any
    month, each month's numerator, denominator and value, the value filled against the
    target; a month a unit did not report is blank."""
    report = _report()
    first = report.indicators[0]
    an_binh, binh_minh = first.units
    july = MonthFigures(
        Period.month(2025, 7),
        Decimal("60"),
        Decimal(120),
        Decimal(200),
        tuple(dataclasses.replace(f, value=Decimal(60), meets=False) for f in first.units),
    )
    august = MonthFigures(
        Period.month(2025, 8),
        Decimal(90),
        Decimal(9),
        Decimal(10),
        (
            dataclasses.replace(
                binh_minh,
                value=Decimal(90),
                numerator=Decimal(9),
                denominator=Decimal(10),
                meets=True,
            ),
        ),
    )
    monthly = dataclasses.replace(first, months=(july, august))
    book = _open(dataclasses.replace(report, indicators=(monthly, *report.indicators[1:])))
    assert book.sheetnames.index("Theo tháng") == book.sheetnames.index("Chỉ tiêu") + 1
    ws = book["Theo tháng"]
    assert [cell.value for cell in ws[1]] == [
        "Mã",
        "Chỉ tiêu",
        "Đơn vị",
        "07/2025\nTử số",
        "07/2025\nMẫu số",
        "07/2025\nGiá trị",
        "08/2025\nTử số",
        "08/2025\nMẫu số",
        "08/2025\nGiá trị",
    ]
    rows = _rows(ws)
    assert rows[0][:2] == [first.code, first.name]
    assert rows[0][2] == "Toàn địa bàn (4 đơn vị)"
    assert rows[0][3:] == [120, 200, 60, 9, 10, 90]
    assert rows[1][:3] == [first.code, first.name, an_binh.unit]
    assert rows[1][3:] == [171, 200, 60, None, None, None]  # nothing sent in August
    assert rows[2][2:] == [binh_minh.unit, None, None, 60, 9, 10, 90]
    assert len(rows) == 3  # the other indicator has no months: no rows
    for row in (3, 4):
        for column in range(4, 10):
            cell = ws.cell(row, column)
            assert cell.value is None or cell.data_type == "n"
    assert ws.cell(3, 6).fill.fgColor.rgb.endswith(FILLS[Standing.OVERDUE])  # not met
    assert ws.cell(4, 9).fill.fgColor.rgb.endswith(FILLS[Standing.DONE])  # met
    assert ws.cell(2, 4).font.b and not ws.cell(3, 4).font.b
    assert "Theo tháng" not in _open(report).sheetnames  # no months: no sheet


def test_a_long_log_is_a_line_a_message() -> None:
    """Past WRAPPED_LOG messages the log is a list to filter: a line a message, what it
    stored joined by "; ", nothing wrapped, no row made high; texts stay texts."""
    report = _report()
    entry = report.log[0]
    many = tuple(
        dataclasses.replace(entry, inbound_id=100 + number, message=f"1.1 xong {number}")
        for number in range(WRAPPED_LOG)
    )
    ws = _open(dataclasses.replace(report, log=report.log + many))["Nhật ký"]
    rows = _rows(ws)
    assert len(rows) == 3 + WRAPPED_LOG
    assert rows[0][3] == "1.1: đã xong; 2.1: đang thực hiện (50%) (đã hủy)"
    assert rows[-1][1:5] == [
        entry.unit,
        entry.person,
        "1.1: đã xong",
        f"1.1 xong {WRAPPED_LOG - 1}",
    ]
    assert not ws.cell(2, 4).alignment.wrap_text and not ws.cell(2, 5).alignment.wrap_text
    assert ws.row_dimensions[2].height is None
    hyperlink, phone = ws.cell(3, 5), ws.cell(4, 5)
    for cell, text in ((hyperlink, HYPERLINK), (phone, PHONE)):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert phone.font.strike  # undone: struck as in a short log
    # A short log is wrapped, its rows as high as their text.
    short = _open(report)["Nhật ký"]
    assert short.cell(2, 4).alignment.wrap_text and short.row_dimensions[2].height


def test_silent_behind_and_upcoming() -> None:
    report = _report()
    book = _open(report)
    assert _rows(book["Chưa báo cáo"]) == [[1, "Phường Đông Hà"], [2, "Xã Dương Minh Châu"]]
    behind = book["Chậm, quá hạn"]
    assert _rows(behind) == [["Xã Cát Tiên", 1, 14, "1.1 (14)", "10/09/2025: =thiếu máy scan"]]
    assert behind.cell(2, 5).data_type == "s"
    upcoming = book["Sắp đến hạn"]
    assert _rows(upcoming) == [
        ["3.1", "Tổng kết năm", datetime(2025, 12, 15), 2, "Xã An Bình; Xã Cát Tiên"]
    ]
    assert upcoming.cell(2, 3).is_date and upcoming.cell(2, 3).number_format == "dd/mm/yyyy"


def test_the_units_behind_are_a_row_each_most_late_first() -> None:
    report = _report()
    [first] = report.behind
    said = Said("Xã Cát Tiên", datetime(2025, 9, 11, 8, 0), "chờ hướng dẫn")
    behind = (
        dataclasses.replace(first, unit_id=9, unit="Xã Bắc Sơn", days_late=30, said=(said,)),
        first,
        dataclasses.replace(first, code="2.2", days_late=5, said=(*first.said, said)),
    )
    rows = _rows(_open(dataclasses.replace(report, behind=behind))["Chậm, quá hạn"])
    assert rows == [
        ["Xã Bắc Sơn", 1, 30, "1.1 (30)", "11/09/2025: chờ hướng dẫn"],
        [
            "Xã Cát Tiên",
            2,
            14,
            "1.1 (14); 2.2 (5)",
            "10/09/2025: =thiếu máy scan\n11/09/2025: chờ hướng dẫn",  # each reason once
        ],
    ]


def test_summary_counts() -> None:
    summary = _by_label(_open(_report())["Tổng hợp"])
    assert summary["Kỳ báo cáo"] == "quý III/2025"
    assert summary["Thời gian lấy số liệu"] == "15/06/2025–14/09/2025"
    assert summary["Kế hoạch"] == "Kế hoạch kiểm soát thủ tục hành chính năm 2025"
    assert summary["Ngày lập"] == datetime(2025, 9, 20)
    assert "Đơn vị" not in summary  # the whole area's report
    # lead units only: Cát Tiên's overdue 1.1 counts, Đông Hà's (cooperating) does not
    assert summary["Đúng hạn"] == 1 and summary["Muộn"] == 1 and summary["Quá hạn"] == 1
    assert summary["Đang làm"] == 1 and summary["Chưa báo cáo"] == 1
    assert summary["Không áp dụng"] == 0
    assert summary["Chỉ tiêu đạt"] == 0 and summary["Chỉ tiêu không đạt"] == 1
    assert summary["Đơn vị chưa báo cáo"] == 2
    assert summary["Nhiệm vụ đến hạn trong quý IV/2025"] == 1
    assert "Ghi chú" not in summary


def test_an_empty_report_writes_and_says_there_is_no_data() -> None:
    book = _open(_empty())
    assert book.sheetnames == SHEETS["vi"]
    summary = _by_label(book["Tổng hợp"])
    assert summary["Đơn vị"] == "Xã An Bình"
    assert summary["Ghi chú"] == "Không có báo cáo nào được gửi trong kỳ này: chưa có số liệu."
    assert summary["Số nội dung báo cáo nhận trong kỳ"] == 0
    for ws in book.worksheets[1:]:
        header_rows = 3 if ws.title == "Tiến độ" else 1
        assert ws.max_row == header_rows, ws.title  # headers only
        assert ws.freeze_panes and ws.auto_filter.ref


def test_many_units_in_one_cell_are_cut_and_counted() -> None:
    names = tuple(f"Xã số {n:04d} của một tỉnh rất lớn" for n in range(3355))
    report = _empty()
    report = PeriodicReport(
        **{
            **report.__dict__,
            "upcoming": (Upcoming("9.9", "Việc chung", date(2025, 12, 31), names),),
        }
    )
    ws = _open(report)["Sắp đến hạn"]
    assert ws.cell(2, 4).value == 3355
    text = ws.cell(2, 5).value
    assert len(text) <= 32_767 and text.startswith("Xã số 0000") and "đơn vị khác" in text


@pytest.mark.parametrize(
    ("standing", "expected"),
    [
        (Standing.LATE, "Muộn"),
        (Standing.OVERDUE, "Quá hạn"),
        (Standing.IN_PROGRESS, "Đang làm"),
    ],
)
def test_a_standing_without_its_number_is_said_without_it(
    standing: Standing, expected: str
) -> None:
    unit = _standing(1, "Xã An Bình", standing)
    assert standing_text(unit, translations("vi").gettext) == expected
