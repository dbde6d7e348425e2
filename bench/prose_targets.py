"""Targets stated in the sample plans: every target sentence against the indicators it
must give (name, comparator, number), listed by hand from reading the samples.

    python -m bench.prose_targets        # per sample: sentences and indicators found
    python -m bench.prose_targets -v     # also the missed and the unexpected

A sentence is found when every indicator it states is in the plan's draft: an
indicator whose name, or one of its aliases, is the expected name, with the expected
comparator and number. "Unexpected" counts indicators of the draft no sentence
accounts for. ``tests/unit/test_plan_targets.py`` asserts all of it on every run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bot.language.normalize import fold
from bot.plans.model import Comparator, IndicatorDraft
from bot.plans.parser import parse_plan
from bot.plans.readers import read_text

SAMPLES = Path(__file__).parents[1] / "tests" / "data" / "plans"

GE, LE, EQ = Comparator.AT_LEAST, Comparator.AT_MOST, Comparator.EQUAL
Expected = tuple[str, Comparator, int]

# Where the sentence is (a task's code, or the indicator table's row), and what it states.
EXPECTED: dict[str, dict[str, list[Expected]]] = {
    "ke-hoach-phuong-trung-luong-2024.txt": {
        # "100% hồ sơ giải quyết TTHC được luân chuyển trong nội bộ … bằng phương thức điện tử."
        "task PL2.1": [
            (
                "Tỷ lệ hồ sơ giải quyết TTHC được luân chuyển trong nội bộ giữa các cơ quan có "
                "thẩm quyền giải quyết hoặc các cơ quan có liên quan được thực hiện bằng "
                "phương thức điện tử",
                EQ,
                100,
            )
        ],
        # "Tiếp tục triển khai thực hiện số hóa kết quả giải quyết TTHC … đạt tỷ lệ tối
        # thiểu tương ứng là 80% …": the national digitisation indicator.
        "task PL2.2": [("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", GE, 80)],
        # "100% TTHC đủ điều kiện … ; tỷ lệ nộp hồ sơ trực tuyến đạt 70%; tỷ lệ nộp hồ sơ
        # trực tuyến toàn trình đạt 90%."
        "task PL2.3": [
            (
                "Tỷ lệ TTHC đủ điều kiện được cung cấp dịch vụ công (DVC) trực tuyến (toàn "
                "trình, một phần)",
                EQ,
                100,
            ),
            ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC", GE, 70),
            ("Tỷ lệ nộp hồ sơ trực tuyến", GE, 70),  # the plan's wording, as an alias
            ("Tỷ lệ nộp hồ sơ trực tuyến toàn trình", GE, 90),
        ],
        # "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt từ 95% trở lên."
        "task PL2.4": [
            ("Mức độ hài lòng của người dân, doanh nghiệp", GE, 95),
            (
                "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính",
                GE,
                95,
            ),
        ],
        # "Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán
        # trực tuyến, trong số đó, tỷ lệ giao dịch thanh toán trực tuyến đạt từ 50% trở lên."
        "task PL2.7": [
            (
                "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến",
                GE,
                80,
            ),
            (
                "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công",
                GE,
                50,
            ),
            ("Tỷ lệ giao dịch thanh toán trực tuyến", GE, 50),
        ],
        # "Tối thiểu 70% người dân, doanh nghiệp khi thực hiện TTHC không phải cung cấp lại
        # … trước đó, mà cơ quan nhà nước … đang quản lý, …"
        "task PL2.8": [
            (
                "Tỷ lệ người dân, doanh nghiệp khi thực hiện thủ tục hành chính không phải "
                "cung cấp lại các thông tin, giấy tờ, tài liệu đã được chấp nhận khi thực "
                "hiện thành công thủ tục hành chính trước đó",
                GE,
                70,
            )
        ],
        # "100% TTHC nội bộ giữa các cơ quan hành chính nhà nước được rà soát, công bố, công khai."
        "task PL2.9": [
            (
                "Tỷ lệ TTHC nội bộ giữa các cơ quan hành chính nhà nước được rà soát, công "
                "bố, công khai",
                EQ,
                100,
            )
        ],
    },
    # No percentage and no target anywhere in this plan.
    "ke-hoach-thi-xa-son-tay-2025.txt": {},
    "quyet-dinh-huyen-son-tay-2025.txt": {
        # "… với mục tiêu cắt giảm tối thiểu 10% chi phí tuân thủ TTHC mà cá nhân, tổ chức
        # phải bỏ ra khi thực hiện TTHC."
        "task 5": [("Cắt giảm chi phí tuân thủ TTHC", GE, 10)],
        # "100% các hồ sơ TTHC tiếp nhận, giải quyết tại các cơ quan, đơn vị được theo dõi
        # trạng thái xử lý trên Hệ thống thông tin giải quyết TTHC tỉnh và …"
        "task 20": [
            (
                "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết tại các cơ quan, đơn vị được theo "
                "dõi trạng thái xử lý",
                EQ,
                100,
            )
        ],
        # "100% các hồ sơ TTHC được đồng bộ trên Cổng Dịch vụ công quốc gia và công khai
        # kết quả …": the national indicator the appendix lists as its row 2.
        "task 21": [
            (
                "Tỷ lệ kết quả xử lý hồ sơ TTHC được đồng bộ đầy đủ trên Cổng Dịch vụ công "
                "quốc gia",
                EQ,
                100,
            ),
            ("Tỷ lệ hồ sơ TTHC được đồng bộ trên Cổng Dịch vụ công quốc gia", EQ, 100),
        ],
        # "Phụ lục … 2. Danh mục các chỉ tiêu liên quan": one row a target.
        "table 1": [("Tỷ lệ công bố, công khai TTHC đúng hạn", EQ, 100)],
        "table 2": [
            (
                "Tỷ lệ kết quả xử lý hồ sơ TTHC của ngành, địa phương được đồng bộ đầy đủ "
                "trên Cổng Dịch vụ công quốc gia",
                EQ,
                100,
            )
        ],
        "table 3": [
            (
                "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC có đủ "
                "điều kiện trên Cổng Dịch vụ công quốc gia",
                EQ,
                100,
            )
        ],
        "table 4": [
            ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC", GE, 60)
        ],
        "table 5": [
            (
                "Tỷ lệ thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia trên tổng số "
                "giao dịch thanh toán của dịch vụ công",
                GE,
                80,
            ),
            (
                "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công",
                GE,
                80,
            ),
        ],
        "table 6": [("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", GE, 80)],
        "table 7": [("Tỷ lệ cấp kết quả giải quyết TTHC điện tử", EQ, 100)],
        "table 8": [("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", GE, 50)],
        "table 9": [("Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn", EQ, 100)],
        "table 10": [
            (
                "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC của người dân, doanh nghiệp",
                GE,
                90,
            ),
            ("Mức độ hài lòng của người dân, doanh nghiệp", GE, 90),
        ],
        # "phấn đấu tăng thêm 10%, nhưng không nhỏ hơn chỉ tiêu được giao" (the rule for
        # handing targets down, in "Nguyên tắc thực hiện chỉ tiêu") states no target.
    },
}


@dataclass
class SampleResult:
    name: str
    sentences: int
    sentences_found: int
    indicators: int  # expected (name, comparator, number) triples
    indicators_found: int
    missed: list[tuple[str, Expected]]
    unexpected: list[IndicatorDraft]


def _names(indicator: IndicatorDraft) -> set[str]:
    return {fold(indicator.name), *(fold(a) for a in getattr(indicator, "aliases", ()))}


def _matches(indicator: IndicatorDraft, expected: Expected) -> bool:
    name, comparator, value = expected
    return (
        fold(name) in _names(indicator)
        and indicator.comparator is comparator
        and indicator.target == Decimal(value)
    )


def evaluate(name: str) -> SampleResult:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    draft = parse_plan(read_text(text, name))
    expected = EXPECTED[name]
    missed: list[tuple[str, Expected]] = []
    used: set[int] = set()
    sentences_found = 0
    for where, targets in expected.items():
        ok = True
        for target in targets:
            hits = [i for i in draft.indicators if _matches(i, target)]
            if hits:
                used.update(id(i) for i in hits)
            else:
                ok = False
                missed.append((where, target))
        sentences_found += ok
    unexpected = [i for i in draft.indicators if id(i) not in used]
    total = sum(len(t) for t in expected.values())
    return SampleResult(
        name,
        len(expected),
        sentences_found,
        total,
        total - len(missed),
        missed,
        unexpected,
    )


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    results = [evaluate(name) for name in EXPECTED]
    print(f"{'sample':40} {'sentences':>11} {'indicators':>11} {'unexpected':>10}")
    for r in results:
        print(
            f"{r.name:40} {r.sentences_found:>4} / {r.sentences:<4} "
            f"{r.indicators_found:>4} / {r.indicators:<4} {len(r.unexpected):>10}"
        )
        if verbose:
            for where, (n, c, v) in r.missed:
                print(f"    missed   {where}: {n} {c.value} {v}")
            for i in r.unexpected:
                print(f"    unexpected {i.code}: {i.name} {i.comparator.value} {i.target}")
    found = sum(r.sentences_found for r in results)
    total = sum(r.sentences for r in results)
    extra = sum(len(r.unexpected) for r in results)
    print(f"{'all':40} {found:>4} / {total:<4} {'':11} {extra:>10}")
    return 0 if found == total and extra == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
