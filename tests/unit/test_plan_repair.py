"""The repair of plan text damaged by OCR without Vietnamese data (bot.plans.repair)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.language.timeframes import TimeframeKind
from bot.plans.files import Budget, PlanFileError
from bot.plans.model import WarningKind
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.repair import looks_damaged, measure, repair_text
from bot.plans.text import read_text
from tests.plans_fixtures import SAMPLE_NAMES
from tests.repair_scoring import DAMAGED, DATA, score, unit_names

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


def test_short_text_is_not_judged() -> None:
    assert not looks_damaged("Kiém soat tha tuc hanh chmh")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_damaged_samples_look_damaged(name: str) -> None:
    damage = measure((DAMAGED / f"{name}.txt").read_text(encoding="utf-8"))
    assert damage.damaged
    assert damage.vietnamese_share < 0.05


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


# --- the damaged samples (tests/tools/make_damaged_ocr.py) ------------------------------

# The shares reached when this was written (see docs/benchmarks.md): a floor against
# regressions, below the 90 % target, which is not met yet.
_FLOORS = {
    "ke-hoach-phuong-trung-luong-2024": 0.18,
    "ke-hoach-thi-xa-son-tay-2025": 0.28,
    "quyet-dinh-huyen-son-tay-2025": 0.24,
}


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
