"""Timeframes as plan documents write them."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.language.normalize import strip_diacritics
from bot.language.timeframes import Cadence, Timeframe, TimeframeKind, parse_timeframe

DUE = TimeframeKind.DUE
CONTINUOUS = TimeframeKind.CONTINUOUS
RECURRING = TimeframeKind.RECURRING
ON_DEMAND = TimeframeKind.ON_DEMAND
UNKNOWN = TimeframeKind.UNKNOWN
W, M, Q, H, Y = Cadence.WEEK, Cadence.MONTH, Cadence.QUARTER, Cadence.HALF, Cadence.YEAR

# (text, plan_year, kind, due, start, cadences)
Case = tuple[str, int | None, TimeframeKind, date | None, date | None, tuple[Cadence, ...]]

CASES: list[Case] = [
    # A month.
    ("Tháng 01/2025", 2025, DUE, date(2025, 1, 31), None, ()),
    ("Tháng 2 năm 2024", 2024, DUE, date(2024, 2, 29), None, ()),
    ("Trong tháng 9/2026", 2025, DUE, date(2026, 9, 30), None, ()),
    ("tháng 9", 2025, DUE, date(2025, 9, 30), None, ()),
    ("Trong tháng 9", 2026, DUE, date(2026, 9, 30), None, ()),
    ("thang 9/2025", None, DUE, date(2025, 9, 30), None, ()),
    ("Tháng 3/2025", 2025, DUE, date(2025, 3, 31), None, ()),
    ("Tháng 12-2025", 2025, DUE, date(2025, 12, 31), None, ()),
    ("Cuối tháng 6/2025", 2025, DUE, date(2025, 6, 30), None, ()),
    ("Hoàn thành trong tháng 10", 2025, DUE, date(2025, 10, 31), None, ()),
    ("T6/2025", None, DUE, date(2025, 6, 30), None, ()),
    ("trước tháng 6/2025", 2025, DUE, date(2025, 5, 31), None, ()),
    ("Trước Quý III", 2025, DUE, date(2025, 6, 30), None, ()),
    # A quarter.
    ("Quý I", 2025, DUE, date(2025, 3, 31), None, ()),
    ("Quý I ", 2025, DUE, date(2025, 3, 31), None, ()),
    ("Quý II", 2025, DUE, date(2025, 6, 30), None, ()),
    ("Quý III/2025", 2024, DUE, date(2025, 9, 30), None, ()),
    ("Quý IV", 2025, DUE, date(2025, 12, 31), None, ()),
    ("Quy IV", 2025, DUE, date(2025, 12, 31), None, ()),
    ("quý 2 năm 2025", None, DUE, date(2025, 6, 30), None, ()),
    ("Quý 3/2025", None, DUE, date(2025, 9, 30), None, ()),
    ("Q4/2025", None, DUE, date(2025, 12, 31), None, ()),
    ("Hoàn thành trong quý II", 2025, DUE, date(2025, 6, 30), None, ()),
    ("Quý I, II/2025", None, DUE, date(2025, 6, 30), date(2025, 1, 1), ()),
    ("Quý I - Quý III năm 2025", None, DUE, date(2025, 9, 30), date(2025, 1, 1), ()),
    # A date.
    ("trước ngày 10/9/2026", 2025, DUE, date(2026, 9, 10), None, ()),
    ("báo cáo trước ngày 10/9/2026", 2025, DUE, date(2026, 9, 10), None, ()),
    ("chậm nhất ngày 15/12", 2025, DUE, date(2025, 12, 15), None, ()),
    ("ngày 30/6/2025", None, DUE, date(2025, 6, 30), None, ()),
    ("30/6/2025", None, DUE, date(2025, 6, 30), None, ()),
    ("30-6-2025", None, DUE, date(2025, 6, 30), None, ()),
    ("30.6.2025", None, DUE, date(2025, 6, 30), None, ()),
    ("30/6/25", None, DUE, date(2025, 6, 30), None, ()),
    ("Trước 15/02", 2025, DUE, date(2025, 2, 15), None, ()),
    ("ngày 30 tháng 6 năm 2025", None, DUE, date(2025, 6, 30), None, ()),
    ("Trước ngày 15 tháng 12", 2024, DUE, date(2024, 12, 15), None, ()),
    ("31/6/2025", None, DUE, date(2025, 6, 30), None, ()),  # typo: last day of June
    ("Từ 01/3 đến 30/6/2025", None, DUE, date(2025, 6, 30), date(2025, 3, 1), ()),
    # A date beats continuous, recurring and on-demand words.
    ("Thường xuyên; trước ngày 30/6/2025", 2025, DUE, date(2025, 6, 30), None, ()),
    ("Hàng năm, trước ngày 15/12", 2025, DUE, date(2025, 12, 15), None, ()),
    # ... but not a cadence of the year's parts: a deliverable each quarter, the year's
    # report among them
    (
        "Định kỳ hằng quý (trước ngày 15 của tháng cuối quý) và báo cáo năm (trước ngày 15/12)",
        2027,
        RECURRING,
        None,
        None,
        (Q, Y),
    ),
    ("Hằng tháng, báo cáo năm trước 15/12/2027", 2027, RECURRING, None, None, (M, Y)),
    # reports labelled by their period
    (
        "Quý: trước ngày 18 tháng cuối quý; năm: trước ngày 18/11",
        2027,
        RECURRING,
        None,
        None,
        (Q, Y),
    ),
    ("Tháng: trước ngày 20 hằng tháng", 2027, RECURRING, None, None, (M,)),
    ("Năm: trước ngày 18/11", 2027, DUE, date(2027, 11, 18), None, ()),
    ("Quý II: hoàn thành dự thảo", 2027, DUE, date(2027, 6, 30), None, ()),
    ("Theo kế hoạch, hoàn thành trước 30/6/2025", 2025, DUE, date(2025, 6, 30), None, ()),
    # A span.
    ("Tháng 3 đến tháng 8 năm 2024", 2024, DUE, date(2024, 8, 31), date(2024, 3, 1), ()),
    ("từ tháng 3 - tháng 8/2024", None, DUE, date(2024, 8, 31), date(2024, 3, 1), ()),
    ("Tháng 3-8/2024", None, DUE, date(2024, 8, 31), date(2024, 3, 1), ()),
    ("Tháng 3 đến tháng 8", 2024, DUE, date(2024, 8, 31), date(2024, 3, 1), ()),
    ("Tháng 12 đến tháng 2/2025", None, DUE, date(2025, 2, 28), date(2024, 12, 1), ()),
    ("Tháng 11/2024 - tháng 02/2025", None, DUE, date(2025, 2, 28), date(2024, 11, 1), ()),
    ("Quý III/2025 và tháng 1", None, DUE, date(2026, 1, 31), date(2025, 7, 1), ()),
    ("Giai đoạn 2021-2025", None, DUE, date(2025, 12, 31), date(2021, 1, 1), ()),
    # A half, nine months, parts of a year.
    ("6 tháng đầu năm", 2025, DUE, date(2025, 6, 30), None, ()),
    ("06 tháng đầu năm 2025", None, DUE, date(2025, 6, 30), None, ()),
    ("6 tháng cuối năm", 2025, DUE, date(2025, 12, 31), None, ()),
    ("Sáu tháng cuối năm 2024", None, DUE, date(2024, 12, 31), None, ()),
    ("9 tháng đầu năm", 2025, DUE, date(2025, 9, 30), None, ()),
    ("Đầu năm 2025", None, DUE, date(2025, 3, 31), None, ()),
    ("Giữa năm", 2025, DUE, date(2025, 6, 30), None, ()),
    # A year.
    ("Năm 2025", None, DUE, date(2025, 12, 31), None, ()),
    ("Trong năm 2025", None, DUE, date(2025, 12, 31), None, ()),
    ("Cả năm", 2025, DUE, date(2025, 12, 31), None, ()),
    ("Trong năm", 2024, DUE, date(2024, 12, 31), None, ()),
    ("Cuối năm", 2025, DUE, date(2025, 12, 31), None, ()),
    ("Đến hết năm 2025", None, DUE, date(2025, 12, 31), None, ()),
    # Continuous.
    ("Thường xuyên", 2025, CONTINUOUS, None, None, ()),
    ("Thường xuyên ", 2025, CONTINUOUS, None, None, ()),
    ("Thường\nxuyên", 2025, CONTINUOUS, None, None, ()),
    ("Thường xuyên trong năm 2024", 2024, CONTINUOUS, None, None, ()),
    ("Thường xuyên, liên tục", 2025, CONTINUOUS, None, None, ()),
    ("Thuong xuyen", None, CONTINUOUS, None, None, ()),
    ("Thưòng xuyen", None, CONTINUOUS, None, None, ()),  # OCR: wrong tone mark
    ("Liên tục", None, CONTINUOUS, None, None, ()),
    ("Hằng ngày", None, CONTINUOUS, None, None, ()),
    ("Thường xuyên theo yêu cầu của UBND Thành phố", 2025, CONTINUOUS, None, None, ()),
    ("Từ tháng 3/2025", None, CONTINUOUS, None, date(2025, 3, 1), ()),
    ("Thường xuyên từ Quý II", 2025, CONTINUOUS, None, date(2025, 4, 1), ()),
    # Recurring.
    ("Định kỳ 3 tháng/lần", 2025, RECURRING, None, None, (Q,)),
    ("- Định kỳ 3 tháng/lần.", 2025, RECURRING, None, None, (Q,)),
    ("Hàng quý/năm", 2025, RECURRING, None, None, (Q, Y)),
    ("Hàng quý/năm ", 2025, RECURRING, None, None, (Q, Y)),
    ("Hằng tháng", 2025, RECURRING, None, None, (M,)),
    ("Hàng tháng", None, RECURRING, None, None, (M,)),
    ("Hàng tuần", 2025, RECURRING, None, None, (W,)),
    ("Thứ 5 hàng tuần", 2025, RECURRING, None, None, (W,)),
    ("Định kỳ 06 tháng và cuối năm", 2025, RECURRING, None, None, (H, Y)),
    ("báo cáo quý I, II, III, cả năm", 2024, RECURRING, None, None, (Q, Y)),
    ("Quý I, II, III", 2024, RECURRING, None, None, (Q,)),
    ("hằng tuần, tháng, quý, năm", 2025, RECURRING, None, None, (W, M, Q, Y)),
    ("định kỳ hàng tháng", 2025, RECURRING, None, None, (M,)),
    ("Mỗi quý một lần", 2025, RECURRING, None, None, (Q,)),
    ("6 tháng/lần", 2025, RECURRING, None, None, (H,)),
    ("1 tháng/lần", 2025, RECURRING, None, None, (M,)),
    ("2 lần/năm", 2025, RECURRING, None, None, (H,)),
    # the work goes on year after year: a yearly deliverable ("tiếp theo" asks for nothing)
    ("Năm 2026 và các năm tiếp theo", 2026, RECURRING, None, None, (Y,)),
    # months listed a quarter, half a year or a month apart: a deliverable in each
    ("Tháng 3, 6, 9, 12", 2026, RECURRING, None, None, (Q,)),
    ("tháng 3, 6, 9 và 12 năm 2026", 2026, RECURRING, None, None, (Q,)),
    ("Tháng 6/2026 và tháng 12/2026", 2026, RECURRING, None, None, (H,)),
    ("Tháng 1, 2, 3", 2026, RECURRING, None, None, (M,)),
    # dates listed a quarter or half a year apart: a deliverable by each
    ("Trước 15/3, 15/6, 15/9, 15/12/2027", 2027, RECURRING, None, None, (Q,)),
    ("Trước ngày 15/6 và ngày 15/12 hằng năm", 2027, RECURRING, None, None, (H,)),
    ("20/6/2027; 20/12/2027", 2027, RECURRING, None, None, (H,)),
    # ... not a span, dates a month apart but only two, nor dates of two years
    ("Từ 01/6/2027 đến 31/12/2027", 2027, DUE, date(2027, 12, 31), date(2027, 6, 1), ()),
    ("15/6 - 15/12/2027", 2027, DUE, date(2027, 12, 15), date(2027, 6, 15), ()),
    ("15/5 và 15/6/2027", 2027, DUE, date(2027, 6, 15), date(2027, 5, 15), ()),
    ("30/6/2026 và 31/12/2027", 2026, DUE, date(2027, 12, 31), date(2026, 6, 30), ()),
    ("Tháng 5, 2026", 2026, DUE, date(2026, 5, 31), None, ()),  # a month and its year
    # a month and its year alone (an Excel date shown as month/year)
    ("03/2027", 2027, DUE, date(2027, 3, 31), None, ()),
    ("6-2027", 2027, DUE, date(2027, 6, 30), None, ()),
    ("03/2027 - 06/2027", 2027, DUE, date(2027, 6, 30), date(2027, 3, 1), ()),
    ("Tháng 3, 6/2027", 2027, DUE, date(2027, 6, 30), date(2027, 3, 1), ()),
    # ... not a document's number
    ("Theo Thông tư 01/2023/TT-VPCP", 2027, ON_DEMAND, None, None, ()),
    ("Nghị định 61/2018", 2027, UNKNOWN, None, None, ()),
    ("Năm 2026 và những năm sau", 2026, RECURRING, None, None, (Y,)),
    ("4 lần/năm", 2025, RECURRING, None, None, (Q,)),
    ("Báo cáo tháng, quý, năm", 2025, RECURRING, None, None, (M, Q, Y)),
    ("Báo cáo 6 tháng, năm", 2025, RECURRING, None, None, (H, Y)),
    ("Hằng năm", 2025, RECURRING, None, None, (Y,)),
    ("Bán niên", 2025, RECURRING, None, None, (H,)),
    ("Định kỳ bán niên", 2025, RECURRING, None, None, (H,)),
    ("Thường xuyên, định kỳ hàng quý", 2025, RECURRING, None, None, (Q,)),
    ("Định kỳ và đột xuất", 2024, RECURRING, None, None, ()),
    ("Định kỳ theo quy định", 2025, RECURRING, None, None, ()),
    # On demand.
    ("Khi có yêu cầu", 2025, ON_DEMAND, None, None, ()),
    ("Khi có yêu cầu của Thành phố", 2025, ON_DEMAND, None, None, ()),
    ("Theo yêu cầu của các Sở, ngành", 2025, ON_DEMAND, None, None, ()),
    ("Theo kế hoạch", 2025, ON_DEMAND, None, None, ()),
    ("Theo KH của Ủy ban nhân dân Thị xã", 2024, ON_DEMAND, None, None, ()),
    ("Theo lộ trình của UBND Thành phố", 2025, ON_DEMAND, None, None, ()),
    ("Theo lộ trình …", 2025, ON_DEMAND, None, None, ()),
    ("Theo chỉ đạo của UBND Thành phố", 2025, ON_DEMAND, None, None, ()),
    ("Theo quy định", 2025, ON_DEMAND, None, None, ()),
    ("Kịp thời", 2025, ON_DEMAND, None, None, ()),
    ("Đột xuất", 2025, ON_DEMAND, None, None, ()),
    ("Sau khi có văn bản của tỉnh", 2025, ON_DEMAND, None, None, ()),
    ("Theo kế hoạch năm 2025", 2025, ON_DEMAND, None, None, ()),
    # a time counted from an event: no date until it happens
    ("Trong vòng 05 ngày làm việc kể từ ngày có quyết định", 2027, ON_DEMAND, None, None, ()),
    ("Chậm nhất 03 ngày trước ngày họp", 2027, ON_DEMAND, None, None, ()),
    ("Trong 10 ngày sau khi nhận được văn bản", 2027, ON_DEMAND, None, None, ()),
    ("Hai tuần kể từ ngày ban hành", 2027, ON_DEMAND, None, None, ()),
    # The issuance date of a cited document is not a deadline.
    ("Theo Kế hoạch số 12/KH-UBND ngày 30/01/2024", 2024, ON_DEMAND, None, None, ()),
    ("Theo Quyết định 53/2021/QĐ-UBND ngày 07/12/2021", 2025, ON_DEMAND, None, None, ()),
    ("Theo Công văn số 3132/UBND-TTHC ngày 28/6/2022", 2025, ON_DEMAND, None, None, ()),
    (
        "Theo KH số 12/KH-UBND ngày 30/01/2024; hoàn thành trước 30/6/2024",
        2024,
        DUE,
        date(2024, 6, 30),
        None,
        (),
    ),
    ("Quý I hằng năm", 2025, RECURRING, None, None, (Y,)),
    # A day named by its place in every quarter: once a quarter; in one quarter: a date.
    ("Trước ngày 15 của tháng cuối quý", 2026, RECURRING, None, None, (Q,)),
    ("Trước ngày 10 tháng đầu quý sau", 2026, RECURRING, None, None, (Q,)),
    ("Định kỳ trước ngày 15 tháng cuối quý", 2026, RECURRING, None, None, (Q,)),
    ("Từng quý", 2026, RECURRING, None, None, (Q,)),
    ("Các quý trong năm", 2026, RECURRING, None, None, (Q,)),
    ("Tháng cuối quý II", 2026, DUE, date(2026, 6, 30), None, ()),
    ("Các quý I, II", 2026, DUE, date(2026, 6, 30), date(2026, 1, 1), ()),
    ("Cuối quý", 2026, UNKNOWN, None, None, ()),
    # early in a quarter: its first month (it was the quarter's end)
    ("Đầu quý II/2027", 2026, DUE, date(2027, 4, 30), None, ()),
    ("Trước đầu quý III", 2027, DUE, date(2027, 6, 30), None, ()),
    # a part of a month: its week, its first ten days, its middle, its last days (each
    # was the month's end)
    ("Tuần đầu tiên của tháng 4/2026", 2026, DUE, date(2026, 4, 7), None, ()),
    ("tuan thu 2 thang 3", 2026, DUE, date(2026, 3, 14), None, ()),
    ("Tuần cuối tháng 2", 2028, DUE, date(2028, 2, 29), None, ()),
    ("Đầu tháng 4", 2026, DUE, date(2026, 4, 10), None, ()),
    ("Thượng tuần tháng 7/2026", 2025, DUE, date(2026, 7, 10), None, ()),
    ("Giữa tháng 5", 2026, DUE, date(2026, 5, 15), None, ()),
    ("Trung tuần tháng 5", 2026, DUE, date(2026, 5, 20), None, ()),
    ("Cuối tháng 11 năm 2026", 2025, DUE, date(2026, 11, 30), None, ()),
    ("Từ đầu tháng 3 đến giữa tháng 5", 2026, DUE, date(2026, 5, 15), date(2026, 3, 1), ()),
    ("Trước giữa tháng 6", 2026, DUE, date(2026, 6, 10), None, ()),
    ("Tuần đầu hằng tháng", 2026, RECURRING, None, None, (M,)),
    # a year alone in its cell; so many days with no event named: counted from one
    ("2027", 2026, DUE, date(2027, 12, 31), None, ()),
    ("Trong 05 ngày làm việc", 2026, ON_DEMAND, None, None, ()),
    ("Trong vòng 10 ngày", 2026, ON_DEMAND, None, None, ()),
    ("Thanh toán qua ngân hàng tháng 6", 2025, DUE, date(2025, 6, 30), None, ()),
    # Unknown.
    ("", 2025, UNKNOWN, None, None, ()),
    ("   ", 2025, UNKNOWN, None, None, ()),
    ("--", 2025, UNKNOWN, None, None, ()),
    ("…", 2025, UNKNOWN, None, None, ()),
    ("Văn bản góp ý", 2025, UNKNOWN, None, None, ()),
    ("Quý V", 2025, UNKNOWN, None, None, ()),
    ("Tháng 13/2025", 2025, UNKNOWN, None, None, ()),
    # A deadline without a year and no plan year.
    ("Quý I", None, UNKNOWN, None, None, ()),
    ("tháng 9", None, UNKNOWN, None, None, ()),
    ("chậm nhất ngày 15/12", None, UNKNOWN, None, None, ()),
    ("Cả năm", None, UNKNOWN, None, None, ()),
    ("Trong năm", None, UNKNOWN, None, None, ()),
    ("6 tháng đầu năm", None, UNKNOWN, None, None, ()),
]


def _check(tf: Timeframe, text: str, kind, due, start, cadences) -> None:
    assert (tf.kind, tf.due, tf.start, tf.cadences) == (kind, due, start, cadences), text


@pytest.mark.parametrize(("text", "plan_year", "kind", "due", "start", "cadences"), CASES)
def test_timeframes(text, plan_year, kind, due, start, cadences) -> None:
    tf = parse_timeframe(text, plan_year)
    assert tf.text == text
    _check(tf, text, kind, due, start, cadences)


@pytest.mark.parametrize(("text", "plan_year", "kind", "due", "start", "cadences"), CASES)
def test_timeframes_without_diacritics_decomposed_and_upper_case(
    text, plan_year, kind, due, start, cadences
) -> None:
    for variant in (
        strip_diacritics(text),
        unicodedata.normalize("NFD", text),
        text.upper(),
        strip_diacritics(text).lower(),
    ):
        tf = parse_timeframe(variant, plan_year)
        assert tf.text == variant
        _check(tf, variant, kind, due, start, cadences)


# Every timeframe cell of the sample plans in /work/shared/samples (as exported,
# including a cell broken over two lines and one with decomposed diacritics).
SAMPLES_2024 = [  # ke-hoach-phuong-trung-luong-2024.txt
    ("Tháng 2 năm 2024", DUE, date(2024, 2, 29), None, ()),
    ("Thường xuyên trong năm 2024", CONTINUOUS, None, None, ()),
    ("Tháng 3 đến tháng 8 năm 2024", DUE, date(2024, 8, 31), date(2024, 3, 1), ()),
    ("Tháng 8 năm 2024", DUE, date(2024, 8, 31), None, ()),
    ("Khi có yêu cầu", ON_DEMAND, None, None, ()),
    ("Theo KH của Ủy ban nhân dân Thị xã", ON_DEMAND, None, None, ()),
    ("Định kỳ và đột xuất", RECURRING, None, None, ()),
    ("Trong năm", DUE, date(2024, 12, 31), None, ()),
    ("", UNKNOWN, None, None, ()),
]
SAMPLES_2025 = [  # ke-hoach-thi-xa-son-tay-2025.txt, quyet-dinh-huyen-son-tay-2025.txt
    ("Tháng 01/2025", DUE, date(2025, 1, 31), None, ()),
    ("Tháng 3/2025", DUE, date(2025, 3, 31), None, ()),
    ("Năm 2025", DUE, date(2025, 12, 31), None, ()),
    ("Trong năm 2025", DUE, date(2025, 12, 31), None, ()),
    ("Thường xuyên", CONTINUOUS, None, None, ()),
    ("Thường xuyên ", CONTINUOUS, None, None, ()),
    ("Thường\nxuyên", CONTINUOUS, None, None, ()),
    ("Thường xuyên theo yêu cầu của UBND Thành phố", CONTINUOUS, None, None, ()),
    ("Khi có yêu cầu của Thành phố", ON_DEMAND, None, None, ()),
    ("Theo chỉ đạo của UBND Thành phố", ON_DEMAND, None, None, ()),
    ("Theo lộ trình của UBND Thành phố", ON_DEMAND, None, None, ()),
    ("Theo yêu cầu của các Sở, ngành", ON_DEMAND, None, None, ()),
    ("--", UNKNOWN, None, None, ()),
    ("Quý I", DUE, date(2025, 3, 31), None, ()),
    ("Quý I ", DUE, date(2025, 3, 31), None, ()),
    ("Quý IV", DUE, date(2025, 12, 31), None, ()),
    ("Theo kế hoạch", ON_DEMAND, None, None, ()),
    ("Theo k\u00ea\u0300 hoa\u0323ch", ON_DEMAND, None, None, ()),
    ("Theo Kế hoạch", ON_DEMAND, None, None, ()),
    ("Theo Nghị quyết", ON_DEMAND, None, None, ()),
    ("Theo lộ trình Công văn", ON_DEMAND, None, None, ()),
    ("Theo lộ trình Kế hoạch", ON_DEMAND, None, None, ()),
    ("Theo yêu cầu của Bộ, ngành, Chủ tịch UBND tỉnh", ON_DEMAND, None, None, ()),
    ("Hàng quý/năm ", RECURRING, None, None, (Q, Y)),
    ("Định kỳ 06 tháng và cuối năm", RECURRING, None, None, (H, Y)),
    ("- Định kỳ theo quy định.\n\n- Đột xuất theo thời điểm yêu cầu.", RECURRING, None, None, ()),
    ("- Định kỳ 3 tháng/lần.\n\n- Đột xuất theo thời điểm yêu cầu.", RECURRING, None, None, (Q,)),
]


@pytest.mark.parametrize(("text", "kind", "due", "start", "cadences"), SAMPLES_2024)
def test_sample_plan_2024(text, kind, due, start, cadences) -> None:
    _check(parse_timeframe(text, 2024), text, kind, due, start, cadences)


@pytest.mark.parametrize(("text", "kind", "due", "start", "cadences"), SAMPLES_2025)
def test_sample_plans_2025(text, kind, due, start, cadences) -> None:
    _check(parse_timeframe(text, 2025), text, kind, due, start, cadences)


def test_recurrence_strings() -> None:
    assert parse_timeframe("Hàng quý/năm", 2025).recurrence == "quarter,year"
    assert parse_timeframe("hằng tuần, tháng, quý, năm", 2025).recurrence == (
        "week,month,quarter,year"
    )
    assert parse_timeframe("Định kỳ và đột xuất", 2025).recurrence is None
    assert parse_timeframe("Quý I", 2025).recurrence is None
    every = Timeframe("x", RECURRING, cadences=tuple(Cadence))
    assert every.recurrence == "week,month,quarter,half,year"
    assert len(every.recurrence) <= 32


def test_plan_year_out_of_range_is_ignored() -> None:
    assert parse_timeframe("Quý I", 0).kind is UNKNOWN
    assert parse_timeframe("Quý I", 10_000).kind is UNKNOWN
    assert parse_timeframe("Quý I/2025", 0).due == date(2025, 3, 31)


def test_non_string_text_is_unknown() -> None:
    assert parse_timeframe(None, 2025).kind is UNKNOWN  # type: ignore[arg-type]


_TF_ALPHABET = "TtháángquýQIVnămđầucuốiờxyênhàằkỳ0123456789/-.,; ()"


@given(st.text(), st.one_of(st.none(), st.integers(min_value=-10, max_value=20_000)))
def test_parse_timeframe_never_raises(text: str, plan_year: int | None) -> None:
    _check_invariants(parse_timeframe(text, plan_year), text)


@given(
    st.text(alphabet=_TF_ALPHABET),
    st.one_of(st.none(), st.integers(min_value=1, max_value=9998)),
)
def test_parse_timeframe_never_raises_on_timeframe_like_text(
    text: str, plan_year: int | None
) -> None:
    _check_invariants(parse_timeframe(text, plan_year), text)


def _check_invariants(tf: Timeframe, text: str) -> None:
    assert tf.text == text
    assert list(tf.cadences) == sorted(set(tf.cadences), key=list(Cadence).index)
    assert tf.recurrence is None or len(tf.recurrence) <= 32
    if tf.kind is DUE:
        assert tf.due is not None
    if tf.kind is not RECURRING:
        assert tf.cadences == ()
    if tf.kind in (ON_DEMAND, UNKNOWN, RECURRING):
        assert tf.due is None and tf.start is None
    if tf.start is not None and tf.due is not None:
        assert tf.start <= tf.due
