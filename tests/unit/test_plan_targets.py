"""Targets stated in a plan's prose: one indicator per target, named by what it measures,
with its comparator and number; national indicators by their standard name, the plan's
wording kept as an alias; and the sample plans' target sentences (bench.prose_targets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bench.prose_targets import EXPECTED, evaluate
from bench.prose_targets import main as bench_main
from bot.matching import UnitCatalogue
from bot.plans.model import Comparator
from bot.plans.national import national_indicator
from bot.plans.parse_targets import parse_target, plan_targets, stated_targets
from bot.plans.parser import parse_plan
from bot.plans.readers import read_text
from bot.understanding import interpret
from bot.understanding.model import Context, IndicatorRef

GE, LE, EQ = Comparator.AT_LEAST, Comparator.AT_MOST, Comparator.EQUAL

ONLINE = "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC"
PAYMENT = "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công"
DIGITISED = "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"
SATISFACTION = "Mức độ hài lòng của người dân, doanh nghiệp"
E_RESULTS = "Tỷ lệ cấp kết quả giải quyết TTHC điện tử"
PUBLISHED = "Tỷ lệ công bố, công khai TTHC đúng hạn"
FULL_ONLINE = "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC có đủ điều kiện"


def found(text: str) -> list[tuple[str, Comparator, int | Decimal]]:
    return [(t.name, t.comparator, t.value) for t in stated_targets(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A target stated after its subject, a national indicator: its standard name.
        (
            "Mức độ hài lòng của người dân, doanh nghiệp trong tiếp nhận, giải quyết TTHC "
            "đạt tối thiểu 92%.",
            [(SATISFACTION, GE, 92)],
        ),
        ("Phấn đấu 100% TTHC được công khai đầy đủ, đúng hạn.", [(PUBLISHED, EQ, 100)]),
        ("Giảm ít nhất 20% thời gian giải quyết TTHC so với quy định.", [
            ("Giảm thời gian giải quyết TTHC", GE, 20)]),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn không dưới 90%.", [
            ("Tỷ lệ hồ sơ giải quyết đúng hạn", GE, 90)]),
        ("Tỷ lệ hồ sơ giải quyết quá hạn không quá 2%.", [
            ("Tỷ lệ hồ sơ giải quyết quá hạn", LE, 2)]),
        ("Tỷ lệ hồ sơ trễ hạn dưới 1%, tỷ lệ hồ sơ phải bổ sung tối đa 5%.", [
            ("Tỷ lệ hồ sơ trễ hạn", LE, 1), ("Tỷ lệ hồ sơ phải bổ sung", LE, 5)]),
        # Two targets joined by "và", ";" and ",".
        (
            "Tỷ lệ hồ sơ nộp trực tuyến đạt tối thiểu 60% và tỷ lệ thanh toán trực tuyến "
            "đạt ít nhất 80%.",
            [(ONLINE, GE, 60), (PAYMENT, GE, 80)],
        ),
        (
            "Tỷ lệ số hóa hồ sơ đạt 100%, tỷ lệ cấp kết quả điện tử đạt 100%; tỷ lệ hồ sơ "
            "trễ hạn không quá 2%.",
            [(DIGITISED, EQ, 100), (E_RESULTS, EQ, 100), ("Tỷ lệ hồ sơ trễ hạn", LE, 2)],
        ),
        (
            "Phấn đấu tỷ lệ hồ sơ nộp trực tuyến trên 70%, tỷ lệ thanh toán trực tuyến trên 50%.",
            [(ONLINE, GE, 70), (PAYMENT, GE, 50)],
        ),
        (
            "100% hồ sơ TTHC được số hóa và 90% kết quả giải quyết TTHC được cấp bản điện tử.",
            [(DIGITISED, EQ, 100), ("Tỷ lệ kết quả giải quyết TTHC được cấp bản điện tử", GE, 90)],
        ),
        # "lần lượt": the subjects shared out in order.
        ("Tỷ lệ hồ sơ trực tuyến, thanh toán trực tuyến lần lượt đạt 60% và 80%.", [
            (ONLINE, GE, 60), (PAYMENT, GE, 80)]),
        # Typed without diacritics, as officials do.
        (
            "Ty le ho so nop truc tuyen dat toi thieu 60%, muc do hai long cua nguoi dan dat "
            "tren 90%.",
            [(ONLINE, GE, 60), (SATISFACTION, GE, 90)],
        ),
        ("Phan dau 100% TTHC duoc niem yet cong khai tai Bo phan Mot cua.", [
            ("Ty le TTHC duoc niem yet cong khai tai Bo phan Mot cua", EQ, 100)]),
        ("Ty le ho so giai quyet dung han khong thap hon 95%", [
            ("Ty le ho so giai quyet dung han", GE, 95)]),
        # A year or a purpose before the subject is not part of its name.
        ("Năm 2025, tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt từ 50% trở lên.", [
            ("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", GE, 50)]),
        ("Rà soát TTHC với mục tiêu cắt giảm tối thiểu 15% chi phí tuân thủ.", [
            ("Cắt giảm chi phí tuân thủ", GE, 15)]),
        # A verb and its object around the number; a subject before a colon.
        ("Số hóa 100% kết quả giải quyết TTHC còn hiệu lực.", [(DIGITISED, EQ, 100)]),
        ("Tiếp nhận 80% hồ sơ qua dịch vụ bưu chính công ích.", [
            ("Tỷ lệ tiếp nhận hồ sơ qua dịch vụ bưu chính công ích", GE, 80)]),
        ("Tỷ lệ hồ sơ TTHC giải quyết quá hạn: dưới 2%.", [
            ("Tỷ lệ hồ sơ TTHC giải quyết quá hạn", LE, 2)]),
        (
            "Phấn đấu đến hết năm 2025: 100% TTHC đủ điều kiện được cung cấp DVC trực tuyến "
            "toàn trình; tối thiểu 80% hồ sơ được số hóa.",
            [(FULL_ONLINE, EQ, 100),
             (DIGITISED, GE, 80)],
        ),
        # Where each target holds, after its number.
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 100% ở cấp xã và 98% ở cấp huyện.", [
            ("Tỷ lệ hồ sơ giải quyết đúng hạn (cấp xã)", EQ, 100),
            ("Tỷ lệ hồ sơ giải quyết đúng hạn (cấp huyện)", GE, 98)]),
        # A rule for handing targets down is no target; nor is a percentage with no subject.
        ("Trường hợp đạt cao hơn thì phấn đấu tăng thêm 10%, nhưng không thấp hơn chỉ tiêu.", []),
        ("Tăng 5%.", []),
    ],
)  # fmt: skip
def test_sentence_shapes(sentence: str, expected: list[tuple[str, Comparator, int]]) -> None:
    assert found(sentence) == [(n, c, Decimal(v)) for n, c, v in expected]


def test_national_wording_is_kept_as_an_alias() -> None:
    (target,) = stated_targets("Tỷ lệ giao dịch thanh toán trực tuyến đạt từ 50% trở lên.")
    assert (target.name, target.written) == (PAYMENT, "Tỷ lệ giao dịch thanh toán trực tuyến")
    (other,) = stated_targets("Tỷ lệ hồ sơ trễ hạn dưới 1%.")
    assert other.written == ""  # no national indicator: its own name, no alias


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tỷ lệ nộp hồ sơ trực tuyến", "online_filing"),
        ("ty le ho so truc tuyen", "online_filing"),
        ("Tỷ lệ nộp hồ sơ trực tuyến toàn trình", None),
        ("Tỷ lệ giao dịch thanh toán trực tuyến", "online_payment"),
        ("Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến", None),
        ("Tỷ lệ hồ sơ TTHC được số hóa", "digitisation"),
        ("Tỷ lệ số hóa kết quả giải quyết TTHC", "digitisation"),
        ("Tỷ lệ số hóa", "digitisation"),  # a plan's short name for it
        ("Tỷ lệ số hóa dữ liệu đất đai", None),
        ("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa", "data_reuse"),
        ("Mức độ hài lòng trong tiếp nhận, giải quyết TTHC", "satisfaction"),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn", None),
        ("Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn", "feedback"),
        ("Tỷ lệ công khai TTHC đúng hạn", "publication"),
        ("Tỷ lệ TTHC được công khai đầy đủ", None),
    ],
)
def test_national_indicators(name: str, key: str | None) -> None:
    national = national_indicator(name)
    assert (national.key if national else None) == key


def test_target_cells() -> None:
    assert (parse_target("100").comparator, parse_target("100").value) == (EQ, 100)
    assert parse_target("Tối thiểu 60").comparator is GE
    assert parse_target("Không quá 5%").comparator is LE
    assert parse_target("≥ 100").comparator is GE  # written: as written


# --- the plan's targets section and a heading naming the subject -------------------------

TARGETS_PLAN = """KẾ HOẠCH
Kiểm soát thủ tục hành chính năm 2025 của UBND xã Tân Lập

I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm 100% cán bộ nắm vững quy định.

II. MỤC TIÊU, CHỈ TIÊU
1. Chỉ tiêu chung
- 100% TTHC thuộc thẩm quyền được công bố, công khai đúng hạn;
- Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 60%; tỷ lệ thanh toán trực tuyến đạt tối thiểu 80%.
2. Tỷ lệ hồ sơ giải quyết đúng hạn:
- Cấp xã: tối thiểu 98%;
- Hồ sơ liên thông: không dưới 95%.
3. Về số hóa hồ sơ, kết quả giải quyết TTHC:
- đạt tối thiểu 80%.

III. NHIỆM VỤ CỤ THỂ
1. Niêm yết công khai TTHC tại Bộ phận Một cửa
- Cơ quan chủ trì: Công chức Văn phòng - Thống kê
- Thời gian thực hiện: Thường xuyên
"""


def test_plan_targets_section() -> None:
    targets = [(t.name, t.comparator, t.value) for t in plan_targets(TARGETS_PLAN.split("\n"))]
    assert targets == [
        ("Tỷ lệ công bố, công khai TTHC đúng hạn", EQ, 100),
        (ONLINE, GE, 60),
        (PAYMENT, GE, 80),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn (cấp xã)", GE, 98),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn (hồ sơ liên thông)", GE, 95),
        (DIGITISED, GE, 80),
    ]


def test_a_plan_without_a_targets_heading_states_them_in_its_purposes() -> None:
    """No "Mục tiêu, chỉ tiêu" heading: the targets under "Mục đích, yêu cầu" count;
    a stop before a capital ends a sentence (a second line's subject is not cut at the
    comma of "người dân, doanh nghiệp"), an abbreviation's ("TP. Hà Nội") does not."""
    lines = [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt 98% trở lên và tỷ lệ hồ sơ trực"
        " tuyến toàn trình đạt ít nhất 60%.",
        "Mức độ hài lòng của người dân, doanh nghiệp đối với việc giải quyết TTHC đạt tối"
        " thiểu 90%.",
        "II. NHIỆM VỤ CỤ THỂ",
        "1. Số hóa hồ sơ đạt 100%.",
    ]
    targets = [(t.name, t.comparator, t.value) for t in plan_targets(lines)]
    assert targets == [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn", GE, 98),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", GE, 60),
        ("Mức độ hài lòng của người dân, doanh nghiệp", GE, 90),
    ]
    # a plan with a targets heading: its purposes' percentages are no targets
    assert len(plan_targets(TARGETS_PLAN.split("\n"))) == 6
    (one,) = stated_targets("Tỷ lệ hồ sơ của UBND TP. Hà Nội giải quyết đúng hạn đạt 95%.")
    assert one.name.startswith("Tỷ lệ hồ sơ của UBND TP. Hà Nội")


def test_an_unnumbered_targets_label_heads_its_list() -> None:
    """A plan typed without numbered headings: "Chỉ tiêu:" over its list, after the
    task table; the list ends at the next heading."""
    lines = [
        "Kiểm soát thủ tục hành chính năm 2026",
        "Chỉ tiêu:",
        "- Tỷ lệ hồ sơ trực tuyến đạt 60% trở lên",
        "- Tỷ lệ thanh toán trực tuyến đạt ít nhất 45%",
        "III. TỔ CHỨC THỰC HIỆN",
        "Phấn đấu 100% cán bộ được tập huấn.",
    ]
    targets = [(t.name, t.comparator, t.value) for t in plan_targets(lines)]
    assert targets == [(ONLINE, GE, 60), (PAYMENT, GE, 45)]


def test_plan_targets_in_the_draft() -> None:
    draft = parse_plan(read_text(TARGETS_PLAN, "targets.txt"))
    assert [t.code for t in draft.tasks] == ["1"]
    text = [i for i in draft.indicators if i.source == "text"]
    assert [i.code for i in text] == ["CT1", "CT2", "CT3", "CT4", "CT5", "CT6"]
    first = text[0]
    assert first.name == "Tỷ lệ công bố, công khai TTHC đúng hạn"
    assert first.aliases == ["Tỷ lệ TTHC thuộc thẩm quyền được công bố, công khai đúng hạn"]
    assert all(i.measure == "%" for i in text)


# --- the samples: every target sentence gives its indicators ----------------------------


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_sample_target_sentences(sample: str) -> None:
    result = evaluate(sample)
    assert result.missed == []
    assert result.unexpected == []
    assert result.sentences_found == result.sentences


def test_bench_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main([]) == 0
    out = capsys.readouterr().out
    assert "20 / 20" in out


# --- a report finds a stated indicator by the plan's wording or the standard words -------


def test_reports_find_a_stated_indicator_by_alias() -> None:
    draft = parse_plan(read_text(TARGETS_PLAN, "targets.txt"))
    indicators = [
        IndicatorRef(i, d.code, d.name, tuple(d.aliases), d.measure, d.comparator.value, d.target)
        for i, d in enumerate(draft.indicators, start=1)
    ]
    context = Context(UnitCatalogue([]), [], indicators, date(2025, 5, 5))
    by_code = {i.id: i.code for i in indicators}
    for message, code in [
        ("thanh toan truc tuyen 85%", "CT3"),
        ("ho so truc tuyen 61%", "CT2"),
        ("cong khai dung han 100%", "CT1"),
    ]:
        (item,) = interpret(message, context).indicators
        assert [by_code[i] for i in item.indicator_ids] == [code], message
