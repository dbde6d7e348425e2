"""The plan preview says how the file was read: a PDF or an old format named, OCR with
its mean confidence, repaired words counted; nothing said for a Word, Excel or text file."""

from __future__ import annotations

from typing import Any

from bot.plans.model import Source
from bot.services.plans.summaries import PlanSummary
from bot.views.plans import (
    grouped_warnings,
    preview_text,
    unit_tasks_usage_reply,
    warning_text,
)


def _summary(source: Source | None) -> PlanSummary:
    return PlanSummary(
        plan_id=1,
        title="Kế hoạch kiểm soát thủ tục hành chính năm 2025",
        issuer="UBND thị xã Sơn Tây",
        year=2025,
        filename="ke-hoach.pdf",
        draft=False,
        tasks=3,
        by_kind={"due": 3},
        by_unit=[("Xã Đường Lâm", 3)],
        units=1,
        indicators=[],
        warnings=[],
        source=source.as_json() if source else None,
    )


def _second_line(source: Source | None) -> str:
    return preview_text(_summary(source), "vi").split("\n")[2]


def test_a_file_read_straight_says_nothing_more() -> None:
    for source in (None, Source("docx"), Source("xlsx"), Source("text")):
        assert _second_line(source).startswith("3 nhiệm vụ")


def test_a_pdf_or_a_converted_file_is_named() -> None:
    assert _second_line(Source("pdf")) == "Đọc từ tệp PDF."
    assert _second_line(Source("doc")) == "Đọc từ tệp DOC."


def test_ocr_gives_its_confidence_and_repairs_are_counted() -> None:
    correct = "nhiệm vụ đọc sai thì sửa trong tệp “Xem chi tiết” rồi gửi lại chính tệp đó."
    line = _second_line(Source("pdf", ocr=True, confidence=86.6))
    assert line == (
        "Đọc bằng OCR (nhận dạng chữ từ ảnh quét/ảnh chụp, PDF), độ tin cậy trung bình 87%; "
        + correct
    )
    line = _second_line(Source("text", repaired_words=14))
    assert line == (
        "Đã khôi phục 14 từ của văn bản bị lỗi: kiểm tra các nhiệm vụ được đánh dấu và các chỉ "
        "tiêu (từ văn bản lỗi chỉ đọc các chỉ tiêu quốc gia); gửi chính bản quét (PDF hoặc ảnh) "
        "hoặc tệp Word thì đọc chắc chắn hơn; " + correct
    )
    line = _second_line(Source("pdf", ocr=True, confidence=60.0, repaired_words=3))
    assert "gửi chính bản quét" not in line and "khôi phục 3 từ" in line


def test_tables_read_without_borders_are_told() -> None:
    line = _second_line(Source("pdf", borderless_tables=2))
    assert line == (
        "Đọc từ tệp PDF; bảng không kẻ khung, đọc theo vị trí chữ: 2 (ô gộp nhiều dòng chỉ "
        "hiện ở một dòng)."
    )


def test_the_json_keeps_its_fields() -> None:
    data: dict[str, Any] = Source("jpg", ocr=True, confidence=91.0, repaired_words=2).as_json()
    assert data == {
        "format": "jpg",
        "ocr": True,
        "confidence": 91.0,
        "repaired_words": 2,
        "borderless_tables": 0,
    }


def test_the_count_to_check_is_the_lines_listed() -> None:
    """Warnings of one kind grouped on a line count once: the office counts what it
    sees ("Cần kiểm tra (7)" stood over six lines)."""
    warnings = [
        {"kind": "generated_code", "task": "1.1", "detail": "Công chức chủ trì …"},
        {"kind": "generated_code", "task": "1.2", "detail": "Giao Công chức …"},
        {"kind": "unresolved_unit", "task": "1.1", "detail": "Công chức Văn phòng"},
    ]
    summary = _summary(None)
    summary.warnings.extend(warnings)
    text = preview_text(summary, "vi")
    listed = text.split("Cần kiểm tra (", 1)[1]
    count, _, lines = listed.partition("):\n")
    assert int(count) == len(lines.splitlines()) == 2


def test_leads_taken_from_the_row_above_are_listed_to_check() -> None:
    warnings = [
        {"kind": "lead_from_above", "task": "1.2", "detail": "Văn phòng"},
        {"kind": "lead_from_above", "task": "1.3", "detail": "Văn phòng"},
    ]
    assert grouped_warnings(warnings, "vi") == [
        "ô chủ trì để trống, đã lấy đơn vị chủ trì của dòng trên (ô gộp nhiều dòng mà tệp"
        " không thể hiện được), cần kiểm tra: 1.2, 1.3"
    ]


def test_numbers_not_read_are_listed_together_to_compare_with_the_original() -> None:
    warnings = [
        {"kind": "numbers_missing", "task": None, "detail": "1.1–1.3"},
        {"kind": "check_reading", "task": "1.4", "detail": ""},
        {"kind": "numbers_missing", "task": None, "detail": "4"},
    ]
    lines = grouped_warnings(warnings, "vi")
    assert lines[0] == (
        "không đọc được số thứ tự, có thể bản quét làm mất dòng (hoặc kế hoạch bỏ qua số"
        " đó): 1.1–1.3, 4; hãy so với bản gốc"
    )
    assert lines[1].startswith("đọc từ bản quét hoặc văn bản lỗi")
    assert warning_text(warnings[2], "vi") == (
        "không đọc được nhiệm vụ số 4: có thể bản quét làm mất dòng (hoặc kế hoạch bỏ qua số"
        " đó); hãy so với bản gốc"
    )


def test_tasks_read_from_a_scan_are_listed_on_one_line() -> None:
    warnings = [
        {"kind": "check_reading", "task": "I.1", "detail": ""},
        {"kind": "check_reading", "task": "III.1", "detail": "I"},  # section inferred
        {"kind": "check_reading", "task": "III.2", "detail": ""},
    ]
    assert grouped_warnings(warnings, "vi") == [
        "đọc từ bản quét hoặc văn bản lỗi, cần kiểm tra từng nhiệm vụ: I.1, III.2",
        warning_text(warnings[1], "vi"),
    ]
    assert "“I”" in warning_text(warnings[1], "vi")


def test_targets_not_imported_from_damaged_text_are_listed_to_add_by_hand() -> None:
    warnings = [
        {"kind": "target_unread", "task": "5", "detail": ">= 10"},
        {"kind": "target_unread", "task": None, "detail": "= 100"},
        {
            "kind": "target_lost",
            "task": None,
            "detail": "Tỷ lệ cấp kết quả giải quyết TTHC điện tử",
        },
    ]
    assert grouped_warnings(warnings, "vi") == [
        "chỉ tiêu đọc được số nhưng không đọc được tên trong văn bản lỗi, chưa nhập (nhập tay):"
        " tối thiểu 10% (nhiệm vụ 5); bằng 100%",
        "chỉ tiêu không đọc được số trong văn bản lỗi, chưa nhập (nhập tay): Tỷ lệ cấp kết quả"
        " giải quyết TTHC điện tử",
    ]
    assert warning_text(warnings[0], "vi") == (
        "nhiệm vụ 5: đọc được chỉ tiêu tối thiểu 10% trong văn bản lỗi nhưng không đọc được tên"
        " chỉ tiêu, chưa nhập: nhập tay"
    )
    assert warning_text(warnings[1], "vi").startswith(
        "danh mục chỉ tiêu: đọc được chỉ tiêu bằng 100%"
    )


def test_which_unit_example_names_the_command_asked() -> None:
    assert unit_tasks_usage_reply("vi").text == "Đơn vị nào? Ví dụ: /nhiemvu Xã Sơn Dương"
    assert unit_tasks_usage_reply("vi", "lichsu").text == "Đơn vị nào? Ví dụ: /lichsu Xã Sơn Dương"
