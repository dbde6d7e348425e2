"""Numbers the Vietnamese way, quantities in chat messages, and task codes."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.language.normalize import nfc
from bot.language.numbers import Quantity, find_quantities, find_task_codes, parse_number

D = Decimal


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- parse_number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("72", D(72)),
        ("0", D(0)),
        ("007", D(7)),
        ("72,5", D("72.5")),
        ("72.5", D("72.5")),
        ("0,5", D("0.5")),
        ("0.5", D("0.5")),
        ("1.234", D(1234)),
        ("12.345", D(12345)),
        ("123.456", D(123456)),
        ("1.234.567", D(1234567)),
        ("1.234,5", D("1234.5")),
        ("1.234.567,89", D("1234567.89")),
        ("1,234", D("1.234")),  # the comma is the decimal separator
        ("0.500", D("0.5")),  # a thousands group never starts with 0
        ("1234.567", D("1234.567")),  # the first group has more than 3 digits
        ("1.2345", D("1.2345")),
        ("1.23", D("1.23")),
        ("-5", D(-5)),
        ("\u22125", D(-5)),  # minus sign
        ("-1.234,5", D("-1234.5")),
        ("  640 ", D(640)),
    ],
)
def test_parse_number(token: str, value: Decimal) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize(
    "token",
    [
        "",
        " ",
        "-",
        "abc",
        "72%",
        "2.1.3",
        "1,234,567",
        "1.234.5",
        "1.23.456",
        "15/10",
        "1 234",
        "1e5",
        "NaN",
        "Infinity",
        "٣",  # Arabic-Indic digit
        "７２",  # full-width digits
        "72,",
        ",5",
        ".5",
        "--5",
        "1..2",
    ],
)
def test_parse_number_rejects_junk(token: str) -> None:
    assert parse_number(token) is None


def vn_format(n: int) -> str:
    """An integer with Vietnamese thousands separators: 1234567 → 1.234.567."""
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=-(10**30), max_value=10**30))
@example(1000)
@example(-999)
def test_parse_number_round_trips_grouped_integers(n: int) -> None:
    assert parse_number(vn_format(n)) == n
    assert parse_number(str(n)) == n


@given(
    st.integers(min_value=0, max_value=10**12),
    st.text(alphabet="0123456789", min_size=1, max_size=6),
)
def test_parse_number_round_trips_decimal_comma(whole: int, frac: str) -> None:
    assert parse_number(f"{vn_format(whole)},{frac}") == D(f"{whole}.{frac}")
    assert parse_number(f"{whole},{frac}") == D(f"{whole}.{frac}")


@given(st.text())
def test_parse_number_never_raises(token: str) -> None:
    value = parse_number(token)
    assert value is None or value.is_finite()


# --- find_quantities ----------------------------------------------------------------

Row = tuple[str, Decimal | None, Decimal | None, Decimal | None, str | None, str]


def rows(text: str) -> list[Row]:
    return [
        (q.kind, q.value, q.numerator, q.denominator, q.unit_word, q.text)
        for q in find_quantities(text)
    ]


QUANTITIES: list[tuple[str, list[Row]]] = [
    # percentages
    ("72%", [("percent", D(72), None, None, None, "72%")]),
    ("72 %", [("percent", D(72), None, None, None, "72 %")]),
    ("72,5 %", [("percent", D("72.5"), None, None, None, "72,5 %")]),
    ("72.5%", [("percent", D("72.5"), None, None, None, "72.5%")]),
    ("72 phần trăm", [("percent", D(72), None, None, None, "72 phần trăm")]),
    ("72 phan tram", [("percent", D(72), None, None, None, "72 phan tram")]),
    ("đạt 100％", [("percent", D(100), None, None, None, "100％")]),
    ("số hóa đạt 0,5%", [("percent", D("0.5"), None, None, None, "0,5%")]),
    ("Tỷ lệ:95%", [("percent", D(95), None, None, None, "95%")]),
    ("-3%", [("percent", D(-3), None, None, None, "-3%")]),
    ("120%", [("percent", D(120), None, None, None, "120%")]),
    # ratios
    ("85/100", [("ratio", D(85), D(85), D(100), None, "85/100")]),
    ("85 / 100", [("ratio", D(85), D(85), D(100), None, "85 / 100")]),
    ("85/100 hồ sơ", [("ratio", D(85), D(85), D(100), "ho so", "85/100 hồ sơ")]),
    ("so hoa 85/100 hs", [("ratio", D(85), D(85), D(100), "hs", "85/100 hs")]),
    ("so hoa 85/100hs", [("ratio", D(85), D(85), D(100), "hs", "85/100hs")]),
    ("85 trên 100", [("ratio", D(85), D(85), D(100), None, "85 trên 100")]),
    ("85 tren 100", [("ratio", D(85), D(85), D(100), None, "85 tren 100")]),
    ("85 tren tong so 100", [("ratio", D(85), D(85), D(100), None, "85 tren tong so 100")]),
    (
        "85 trong tổng số 100 hồ sơ",
        [("ratio", D(85), D(85), D(100), "ho so", "85 trong tổng số 100 hồ sơ")],
    ),
    (
        "85 trên tổng số 100 hồ sơ",
        [("ratio", D(85), D(85), D(100), "ho so", "85 trên tổng số 100 hồ sơ")],
    ),
    (
        "đã số hóa 85 hồ sơ trên tổng số 100 hồ sơ",
        [("ratio", D(85), D(85), D(100), "ho so", "85 hồ sơ trên tổng số 100 hồ sơ")],
    ),
    # what is counted named between the number and its total: the span ends at the
    # number's noun, the words after it name the indicator
    (
        "nộp 12 hồ sơ trực tuyến trên tổng số 20 hồ sơ",
        [("ratio", D(60), D(12), D(20), "ho so", "12 hồ sơ")],
    ),
    ("12 ho so truc tuyen tren tong 20", [("ratio", D(60), D(12), D(20), "ho so", "12 ho so")]),
    # the noun typed before the slash
    ("số hóa 40 hồ sơ / 50", [("ratio", D(80), D(40), D(50), "ho so", "40 hồ sơ / 50")]),
    ("so hoa 40 hs/50 hs", [("ratio", D(80), D(40), D(50), "hs", "40 hs/50 hs")]),
    ("40 hồ sơ/KH-UBND", [("count", D(40), None, None, "ho so", "40 hồ sơ")]),
    # without "tổng" the number after "trên" is no total of it
    (
        "12 hồ sơ trực tuyến trên 20 xã",
        [
            ("count", D(12), None, None, "ho so", "12 hồ sơ"),
            ("count", D(20), None, None, None, "20"),
        ],
    ),
    ("640 trên 1.000", [("ratio", D(64), D(640), D(1000), None, "640 trên 1.000")]),
    ("1/3", [("ratio", D("33.33"), D(1), D(3), None, "1/3")]),
    ("2/3", [("ratio", D("66.67"), D(2), D(3), None, "2/3")]),
    ("1/8", [("ratio", D("12.50"), D(1), D(8), None, "1/8")]),  # ROUND_HALF_UP
    ("1/16", [("ratio", D("6.25"), D(1), D(16), None, "1/16")]),
    ("1/400", [("ratio", D("0.25"), D(1), D(400), None, "1/400")]),
    ("1/800", [("ratio", D("0.13"), D(1), D(800), None, "1/800")]),
    ("120/100", [("ratio", D(120), D(120), D(100), None, "120/100")]),  # kept as given
    ("85/0", [("ratio", None, D(85), D(0), None, "85/0")]),
    ("0/0 hồ sơ", [("ratio", None, D(0), D(0), "ho so", "0/0 hồ sơ")]),
    ("8/10", [("ratio", D(80), D(8), D(10), None, "8/10")]),  # not a date: day < month
    ("10/10 hồ sơ", [("ratio", D(100), D(10), D(10), "ho so", "10/10 hồ sơ")]),
    ("15/10 hồ sơ", [("ratio", D(150), D(15), D(10), "ho so", "15/10 hồ sơ")]),
    ("85/100%", [("ratio", D(85), D(85), D(100), None, "85/100")]),
    ("-85/100", [("ratio", D(-85), D(-85), D(100), None, "-85/100")]),
    ("72,5/100", [("ratio", D("72.5"), D("72.5"), D(100), None, "72,5/100")]),
    (
        "tháng 8 trên 10 hồ sơ",  # an explicit ratio beats the period word
        [("ratio", D(80), D(8), D(10), "ho so", "8 trên 10 hồ sơ")],
    ),
    # "tt" before a ratio is "trực tuyến", no code ("nv 85/100" stays none)
    ("thanh toan tt 180/245", [("ratio", D("73.47"), D(180), D(245), None, "180/245")]),
    # counts
    ("1.234 hồ sơ", [("count", D(1234), None, None, "ho so", "1.234 hồ sơ")]),
    ("640", [("count", D(640), None, None, None, "640")]),
    ("-5", [("count", D(-5), None, None, None, "-5")]),
    ("giảm -5 hồ sơ", [("count", D(-5), None, None, "ho so", "-5 hồ sơ")]),
    ("85 hs", [("count", D(85), None, None, "hs", "85 hs")]),
    ("85hs", [("count", D(85), None, None, "hs", "85hs")]),
    ("12 TTHC", [("count", D(12), None, None, "tthc", "12 TTHC")]),
    ("30 lượt truy cập", [("count", D(30), None, None, "luot", "30 lượt")]),
    ("2,5 hồ sơ", [("count", D("2.5"), None, None, "ho so", "2,5 hồ sơ")]),
    ("tiếp nhận 85 hồ sơ trực tuyến", [("count", D(85), None, None, "ho so", "85 hồ sơ")]),
    ("85 trên địa bàn", [("count", D(85), None, None, None, "85")]),
    (
        "85 trên 100%",  # "trên 100%" is "above 100 %", not a denominator
        [
            ("count", D(85), None, None, None, "85"),
            ("percent", D(100), None, None, None, "100%"),
        ],
    ),
    (
        "10-15",  # a range: two counts
        [
            ("count", D(10), None, None, None, "10"),
            ("count", D(15), None, None, None, "15"),
        ],
    ),
    ("xong.85%", [("percent", D(85), None, None, None, "85%")]),
    ("Xã Chiến Thắng 8 hồ sơ", [("count", D(8), None, None, "ho so", "8 hồ sơ")]),
    ("đạt mức 2", [("count", D(2), None, None, None, "2")]),  # mức is not mục
    ("năm 1800", [("count", D(1800), None, None, None, "1800")]),  # not a plausible year
    ("quý 5", [("count", D(5), None, None, None, "5")]),  # no fifth quarter
    ("thắng 10", [("count", D(10), None, None, None, "10")]),
    # a percentage beats a code word before it
    ("nv 72%", [("percent", D(72), None, None, None, "72%")]),
    ("nv 7,5%", [("percent", D("7.5"), None, None, None, "7,5%")]),
    ("tháng 10 85%", [("percent", D(85), None, None, None, "85%")]),
    # messages
    (
        "xa son duong nv 2.1 hoan thanh, so hoa 85/100",
        [("ratio", D(85), D(85), D(100), None, "85/100")],
    ),
    (
        "Xã Sơn Dương tháng 10/2025: nhiệm vụ 3.4 xong 72,5%, 640 trên 1.000 hồ sơ",
        [
            ("percent", D("72.5"), None, None, None, "72,5%"),
            ("ratio", D(64), D(640), D(1000), "ho so", "640 trên 1.000 hồ sơ"),
        ],
    ),
    (
        "T10/2025 nv 1.1, 1.2 và 1.3 đạt 100%; HS trực tuyến 60/80",
        [
            ("percent", D(100), None, None, None, "100%"),
            ("ratio", D(75), D(60), D(80), None, "60/80"),
        ],
    ),
    (
        "quý III/2025 số hóa 9 tháng đạt 90 %, 6 tháng đầu năm 45/50",
        [
            ("percent", D(90), None, None, None, "90 %"),
            ("ratio", D(90), D(45), D(50), None, "45/50"),
        ],
    ),
    (
        "ngày 15/10 báo cáo: 1.234 hồ sơ, trong đó 1.000 trực tuyến",
        [
            ("count", D(1234), None, None, "ho so", "1.234 hồ sơ"),
            ("count", D(1000), None, None, None, "1.000"),
        ],
    ),
    (
        "Thực hiện KH số 45/KH-UBND ngày 15/10/2025 lúc 16:15, đạt 80%",
        [("percent", D(80), None, None, None, "80%")],
    ),
    (
        "tháng 3-8 đạt 85%; tháng 3 đến 8 đạt 90%",
        [
            ("percent", D(85), None, None, None, "85%"),
            ("percent", D(90), None, None, None, "90%"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_find_quantities(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_find_quantities_on_decomposed_input(text: str, expected: list[Row]) -> None:
    decomposed = nfd(text)
    found = find_quantities(decomposed)
    assert [(q.kind, q.value, q.numerator, q.denominator, q.unit_word) for q in found] == [
        row[:5] for row in expected
    ]
    for q in found:
        assert nfc(decomposed)[q.span[0] : q.span[1]] == q.text


def strip_marks(text: str) -> str:
    decomposed = nfd(text.replace("đ", "d").replace("Đ", "D"))
    return nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for case in QUANTITIES if "Thắng" not in case[0] and "thắng" not in case[0]],
)
def test_find_quantities_without_diacritics(text: str, expected: list[Row]) -> None:
    bare = strip_marks(text)
    if "mức" in text:  # without diacritics "muc" is "mục": a task code word
        return
    assert [row[:5] for row in rows(bare)] == [row[:5] for row in expected]


@pytest.mark.parametrize(
    "text",
    [
        # task codes
        "2.1",
        "1.1, 1.2",
        "1.1, 1.2 và 1.3",
        "2.1.3",
        "72.5",  # two digits after the dot: a code unless % follows
        "II.3",
        "B.I.5",
        "a.1",
        "nv 2.1",
        "NV2.1",
        "nv.2.1",
        "nhiệm vụ 3.4",
        "nhiem vu 7",
        "nhiệm vụ số 7",
        "nv 7, 8 và 9",
        "nv 2,3",
        "mục 2",
        "muc 2",
        "nội dung 3",
        "noi dung 3",
        "STT 4",
        "tt 12",
        "nv 1234",
        "nv 85/100",
        "Phụ lục 2",
        "Điều 5",
        # periods and dates
        "tháng 10",
        "thang 10",
        "Tháng 01/2025",
        "tháng 10/2025",
        "Tháng 2 năm 2024",
        "Tháng 3 đến tháng 8 năm 2024",
        "T10",
        "t10/2025",
        "quý 3",
        "quy 3",
        "quý 3/2025",
        "quý III/2025",
        "Quý IV",
        "năm 2025",
        "nam 2025",
        "ngày 15/10",
        "ngay 15/10/2025",
        "15/10/2025",
        "15-10-2025",
        "15.10.2025",
        "15/10",
        "05/10",
        "31/12",
        "10/2025",
        "9 tháng",
        "9 thang",
        "6 tháng đầu năm",
        "Định kỳ 3 tháng/lần",
        "trong 3 ngày",
        "tuần 42",
        "đợt 2",
        "lần 3",
        "16:15",
        "16h15",
        "Q3",
        # digits inside words and other non-quantities
        "x4",
        "abc123def",
        "COVID-19",
        "Nghị định 61/2018/NĐ-CP",
        "KH 45/KH-UBND",
        "0912345678",
        "123456789",
        "",
        "   ",
        "hoàn thành",
        "%",
        "/",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []
    assert find_quantities(nfd(text)) == []


# --- find_task_codes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("2.1", [("2.1", "2.1")]),
        ("nv 2.1 xong", [("2.1", "2.1")]),
        ("2.1.3", [("2.1.3", "2.1.3")]),
        ("II.3", [("II.3", "II.3")]),
        ("ii.3", [("II.3", "ii.3")]),
        ("B.I.5", [("B.I.5", "B.I.5")]),
        ("mục B.I.5.", [("B.I.5", "B.I.5")]),
        ("02.1", [("2.1", "02.1")]),
        ("nv 02", [("2", "02")]),
        ("nv A", [("A", "A")]),
        ("nv a xong", [("A", "a")]),
        ("nhiệm vụ II", [("II", "II")]),
        ("NV2.1", [("2.1", "2.1")]),
        ("nv.2.1", [("2.1", "2.1")]),
        ("nv: 2.1", [("2.1", "2.1")]),
        ("nv số 4", [("4", "4")]),
        ("nhiem vu so 4", [("4", "4")]),
        ("nhiem vu 7", [("7", "7")]),
        ("Nhiệm vụ 7 hoàn thành", [("7", "7")]),
        ("mục 2", [("2", "2")]),
        ("nội dung 3", [("3", "3")]),
        ("STT 12", [("12", "12")]),
        ("công việc 5", [("5", "5")]),
        ("1.1, 1.2 và 1.3", [("1.1", "1.1"), ("1.2", "1.2"), ("1.3", "1.3")]),
        ("nv 1.1,1.2", [("1.1", "1.1"), ("1.2", "1.2")]),
        ("nv 7, 8 và 9 xong", [("7", "7"), ("8", "8"), ("9", "9")]),
        ("nv 7,8", [("7", "7"), ("8", "8")]),
        ("nv 2,3 xong", [("2", "2"), ("3", "3")]),
        ("nv A, B & C", [("A", "A"), ("B", "B"), ("C", "C")]),
        ("nv A, b", [("A", "A")]),  # a lower-case letter does not continue a list
        ("nv 7, 640 hồ sơ", [("7", "7")]),  # a count does not continue a list
        ("nv 7, 85%", [("7", "7")]),
        ("nv 7 và 85 trên 100", [("7", "7")]),
        (
            "xa son duong nv 2.1 hoan thanh, II.3 dang lam",
            [("2.1", "2.1"), ("II.3", "II.3")],
        ),
        ("72.5", [("72.5", "72.5")]),
        # a range's ends ("đến", a dash): the tasks between are the plan's to say
        ("nv 3 đến 7", [("3", "3"), ("7", "7")]),
        ("nv 12 - 14", [("12", "12"), ("14", "14")]),
        ("nv 4.1 đến nay", [("4.1", "4.1")]),  # "until now"
        ("nv 3 - 80%", [("3", "3")]),
        # not codes
        ("72.5%", []),
        ("72.5 %", []),
        ("72.5 phần trăm", []),
        ("nv 7,5%", []),
        ("nv 72%", []),
        ("1.234", []),
        ("1.234,5", []),
        ("nv 1.234", []),
        ("15/10/2025", []),
        ("15.10.2025", []),
        ("ngày 15.10", []),
        ("tháng 10.2025", []),
        ("v.v.", []),
        ("TP.HCM", []),
        ("v2.1", []),
        ("nv 2.1a", []),
        ("nv 1234", []),
        ("nv xong", []),
        ("nv ở xã", []),  # "ở" is not the letter O
        ("nvx 2", []),
        ("mức 2", []),  # mức is not mục
        ("TT 01/2018/TT-VPCP", []),
        ("nv 85/100", []),
        ("II", []),  # a bare roman numeral is not a code
        ("A", []),
        ("7", []),
        ("quý III/2025", []),
        ("T10", []),
        ("", []),
    ],
)
def test_find_task_codes(text: str, codes: list[tuple[str, str]]) -> None:
    found = find_task_codes(text)
    assert [(c.code, c.text) for c in found] == codes
    assert [(c.code, c.text) for c in find_task_codes(nfd(text))] == codes
    for c in found:
        assert nfc(text)[c.span[0] : c.span[1]] == c.text


def test_spans_index_nfc_text_with_diacritics_before() -> None:
    text = nfd("Xã Hồng Thái, Đặc khu Côn Đảo: nhiệm vụ 2.1 đạt 72,5 %")
    (quantity,) = find_quantities(text)
    (code,) = find_task_codes(text)
    composed = nfc(text)
    assert composed[quantity.span[0] : quantity.span[1]] == "72,5 %"
    assert composed[code.span[0] : code.span[1]] == "2.1"


# --- properties ---------------------------------------------------------------------


def check_quantities(text: str, found: list[Quantity]) -> None:
    composed = nfc(text)
    last_end = 0
    for q in found:
        start, end = q.span
        assert last_end <= start < end <= len(composed)
        assert composed[start:end] == q.text
        last_end = end
        assert q.kind in ("percent", "ratio", "count")
        if q.kind == "ratio":
            assert q.numerator is not None and q.denominator is not None
            assert (q.value is None) == (q.denominator == 0)
        else:
            assert q.numerator is None and q.denominator is None and q.value is not None


VOCAB = [
    "nv",
    "NV",
    "nhiệm vụ",
    "mục",
    "tháng",
    "thang",
    "quý",
    "năm",
    "ngày",
    "T",
    "II",
    "B",
    "xong",
    "hoàn thành",
    "hồ sơ",
    "hs",
    "trên",
    "tren tong so",
    "trong tổng số",
    "phần trăm",
    "%",
    "/",
    ".",
    ",",
    ":",
    "-",
    " ",
    " ",
    "và",
    "đạt",
    "Xã Sơn Dương",
]
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=2100).map(str),
    st.integers(min_value=0, max_value=10**7).map(vn_format),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda p: f"{p[0]},{p[1]}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
)
MESSAGES = st.lists(st.one_of(st.sampled_from(VOCAB), NUMBERS), max_size=14).map("".join)


@given(st.text())
@example("")
@example("\u0301")  # a lone combining mark
@example("İ.5 K 5")
@example("9" * 500 + "/" + "0" * 3)
@example("5/" + "9" * 5000)  # beyond int()'s digit limit
@example("tháng " + "1" * 5000)
@example("nv " + "0" * 5000)
def test_find_quantities_never_raises_and_spans_are_valid(text: str) -> None:
    check_quantities(text, find_quantities(text))


@given(MESSAGES)
def test_messages_keep_valid_spans_and_codes_never_overlap_quantities(text: str) -> None:
    quantities = find_quantities(text)
    check_quantities(text, quantities)
    codes = find_task_codes(text)
    composed = nfc(text)
    for c in codes:
        assert composed[c.span[0] : c.span[1]] == c.text
        for q in quantities:
            assert c.span[1] <= q.span[0] or q.span[1] <= c.span[0]
    assert [(q.kind, q.value, q.span) for q in find_quantities(nfd(text))] == [
        (q.kind, q.value, q.span) for q in quantities
    ]


@given(st.text())
def test_find_task_codes_never_raises_and_spans_are_valid(text: str) -> None:
    composed = nfc(text)
    last_end = 0
    for c in find_task_codes(text):
        assert last_end <= c.span[0] < c.span[1] <= len(composed)
        assert composed[c.span[0] : c.span[1]] == c.text
        assert c.code and c.code == c.code.upper()
        last_end = c.span[1]


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["%", " %", " phần trăm"]))
def test_percent_round_trip(n: int, suffix: str) -> None:
    text = f"đạt {vn_format(n)}{suffix}"
    (q,) = find_quantities(text)
    assert (q.kind, q.value, q.text) == ("percent", n, f"{vn_format(n)}{suffix}")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_ratio_value(num: int, den: int) -> None:
    (q,) = find_quantities(f"số hóa {vn_format(num)} trên {vn_format(den)} hồ sơ")
    assert q.kind == "ratio" and q.numerator == num and q.denominator == den
    assert q.unit_word == "ho so"
    assert q.value is not None
    assert abs(q.value - D(num) * 100 / D(den)) <= D("0.005")
    assert q.value == q.value.quantize(D("0.01"))
