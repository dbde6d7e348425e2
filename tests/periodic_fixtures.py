"""Periodic reports built by hand, for the document writers' tests (no database).

A small area: a plan of three sections, tasks in every standing, indicators with and
without a target, units behind with their reasons, tasks of the next quarter, a log and
silent units; and the same quarter with nothing sent.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.language.periods import Period
from bot.services.periodic import (
    Behind,
    IndicatorReport,
    LogEntry,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)

QUARTER = Period.quarter(2025, 3)
WINDOW = (date(2025, 6, 15), date(2025, 9, 14))
MADE_ON = date(2025, 9, 5)  # day < 10, month 9: "ngày 05 tháng 9"
UNITS = tuple(f"Xã {name}" for name in ("An Bình", "Bắc Sơn", "Cẩm Lý", "Đại Sơn", "Hòa Phú"))
MANY = tuple(f"Phường {n}" for n in range(1, 15))  # more units than a list names


def _at(day: int, month: int = 9, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, 30)


def _unit(
    index: int,
    name: str,
    standing: Standing,
    *,
    lead: bool = True,
    percent: int | None = None,
    days_late: int | None = None,
    said: tuple[Said, ...] = (),
) -> UnitStanding:
    reported = None if standing in (Standing.NOT_REPORTED, Standing.OVERDUE) else _at(10)
    return UnitStanding(index, name, lead, standing, percent, reported, days_late, said)


SAID_B = Said("Xã Bắc Sơn", _at(8), "Vướng do thiếu máy quét, đã đề nghị huyện hỗ trợ")
SAID_C = Said("Xã Cẩm Lý", _at(11), "Cán bộ một cửa nghỉ ốm")
SAID_D = Said("Xã Đại Sơn", _at(12), "Đang rà soát lại danh mục")

TASK_MIXED = TaskReport(
    code="1.1",
    content="Rà soát, công khai thủ tục hành chính tại Bộ phận Một cửa",
    lead_text="UBND các xã, phường",
    timeframe_text="Tháng 8/2025",
    due=date(2025, 8, 31),
    product="Danh mục TTHC",
    units=(
        _unit(1, "Xã An Bình", Standing.DONE),
        _unit(2, "Xã Bắc Sơn", Standing.OVERDUE, days_late=14, said=(SAID_B,)),
        _unit(3, "Xã Cẩm Lý", Standing.LATE, days_late=3, said=(SAID_C,)),
        _unit(4, "Xã Đại Sơn", Standing.OVERDUE, days_late=14, said=(SAID_D,)),
        _unit(5, "Xã Hòa Phú", Standing.NOT_APPLICABLE),
    ),
)
TASK_PROGRESS = TaskReport(
    code="1.2",
    content="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    lead_text="UBND các xã",
    timeframe_text="Thường xuyên",
    due=None,
    product=None,
    units=(
        _unit(1, "Xã An Bình", Standing.IN_PROGRESS, percent=60),
        _unit(2, "Xã Bắc Sơn", Standing.IN_PROGRESS, percent=20),
        _unit(3, "Xã Cẩm Lý", Standing.NOT_REPORTED),
        _unit(6, "Văn phòng HĐND và UBND", Standing.DONE, lead=False),
    ),
)
TASK_NOT_DUE = TaskReport(
    code="2.1",
    content="Tổng kết công tác kiểm soát thủ tục hành chính năm 2025",
    lead_text="Văn phòng HĐND và UBND",
    timeframe_text="Tháng 12/2025",
    due=date(2025, 12, 15),
    product="Báo cáo",
    units=(_unit(6, "Văn phòng HĐND và UBND", Standing.NOT_REPORTED),),
)
TASK_MANY = TaskReport(
    code="3.1",
    content="Niêm yết công khai số điện thoại đường dây nóng",
    lead_text="UBND các phường",
    timeframe_text="Quý III",
    due=date(2025, 9, 1),
    product=None,
    units=tuple(
        _unit(100 + n, name, Standing.OVERDUE, days_late=13 - n % 3)
        for n, name in enumerate(MANY, 1)
    ),
)

INDICATOR_PERCENT = IndicatorReport(
    code="CT1",
    name="Tỷ lệ hồ sơ giải quyết đúng hạn",
    measure="%",
    comparator=">=",
    target=Decimal("95"),
    value=Decimal("85.52631578947368"),
    numerator=Decimal("1300"),
    denominator=Decimal("1520"),
    meets=False,
    units=(
        UnitFigure(1, "Xã An Bình", Decimal("100"), Decimal("520"), Decimal("520"), True, _at(9)),
        UnitFigure(
            2, "Xã Bắc Sơn", Decimal("78.5"), Decimal("785"), Decimal("1000"), False, _at(10)
        ),
    ),
    expected=5,
)
INDICATOR_COUNT = IndicatorReport(
    code="CT2",
    name="Số hồ sơ tiếp nhận trực tuyến",
    measure="hồ sơ",
    comparator=">=",
    target=None,
    value=Decimal("1234"),
    numerator=None,
    denominator=None,
    meets=None,
    units=(UnitFigure(3, "Xã Cẩm Lý", Decimal("1234"), None, None, None, _at(12)),),
    expected=5,
)
INDICATOR_EMPTY = IndicatorReport(
    code="CT3",
    name="Tỷ lệ thanh toán trực tuyến",
    measure="%",
    comparator=">=",
    target=Decimal("50"),
    value=None,
    numerator=None,
    denominator=None,
    meets=None,
    units=(),
    expected=5,
)

BEHIND = (
    Behind(2, "Xã Bắc Sơn", "1.1", TASK_MIXED.content, date(2025, 8, 31), 14, (SAID_B,)),
    Behind(4, "Xã Đại Sơn", "1.1", TASK_MIXED.content, date(2025, 8, 31), 14, (SAID_D,)),
    *sorted(
        (
            Behind(100 + n, name, "3.1", TASK_MANY.content, date(2025, 9, 1), 13 - n % 3)
            for n, name in enumerate(MANY, 1)
        ),
        key=lambda behind: -behind.days_late,
    ),
)
UPCOMING = (
    Upcoming("4.1", "Báo cáo kết quả kiểm soát TTHC năm 2025", date(2025, 12, 10), UNITS),
    Upcoming("4.2", "Kiểm tra công tác một cửa tại các phường", date(2025, 11, 30), MANY),
)
LOG = (
    LogEntry(
        _at(8), "Xã Bắc Sơn", "Nguyễn Văn A", "1.1", "nv 1.1 vướng thiếu máy", False, "delayed"
    ),
    LogEntry(_at(9), "Xã An Bình", "Trần Thị B", "1.1", "xong 1.1", False, "done"),
)


def area_report() -> PeriodicReport:
    return PeriodicReport(
        period=QUARTER,
        window=WINDOW,
        made_on=MADE_ON,
        plan_title="Kế hoạch kiểm soát thủ tục hành chính năm 2025",
        plan_issuer="UBND thị xã Sơn Tây",
        plan_year=2025,
        unit=None,
        sections=(
            Section("I. CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH", (TASK_MIXED, TASK_PROGRESS)),
            Section("2. Tổng kết", (TASK_NOT_DUE,)),
            Section("Niêm yết công khai", (TASK_MANY,)),
        ),
        indicators=(INDICATOR_PERCENT, INDICATOR_COUNT, INDICATOR_EMPTY),
        behind=BEHIND,
        next_period=QUARTER.next(),
        upcoming=UPCOMING,
        log=LOG,
        silent=("Xã Hòa Phú", *MANY[:12]),
        units=UNITS + MANY,
    )


def empty_report() -> PeriodicReport:
    return PeriodicReport(
        period=QUARTER,
        window=WINDOW,
        made_on=date(2025, 1, 20),
        plan_title="Kế hoạch kiểm soát thủ tục hành chính năm 2025",
        plan_issuer="UBND thị xã Sơn Tây",
        plan_year=2025,
        unit=None,
        sections=(),
        indicators=(),
        behind=(),
        next_period=QUARTER.next(),
        upcoming=(),
        log=(),
        silent=UNITS,
        units=UNITS,
    )
