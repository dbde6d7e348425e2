"""Section numbers of a scanned plan inferred from the numbering around them (a bold
roman numeral misread by OCR, a number not read, a repeated header with a cell lost),
on small synthetic tables; the same tables from a clean file are read as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.plans.model import Cell, Document, PlanDraft, Table, WarningKind
from bot.plans.parser import parse_plan
from bot.views.plans import warning_text

HEADER = ("TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian thực hiện")


def C(text: str = "", *, spanned: bool = False) -> Cell:
    return Cell(text, spanned=spanned)


def head(*texts: str) -> tuple[Cell, ...]:
    return tuple(C(t) for t in (texts or HEADER))


def section(number: str, title: str) -> tuple[Cell, ...]:
    """A heading row: merged across the table, as a scan's grid gives it."""
    return (C(number), C(title), C(spanned=True), C(spanned=True))


def task(number: str, content: str, lead: str = "Văn phòng", time: str = "Quý II") -> tuple:
    return (C(number), C(content), C(lead), C(time))


def read(*rows: tuple[Cell, ...], kind: str = "ocr") -> PlanDraft:
    table = Table((head(), *rows))
    return parse_plan(Document(f"plan.{kind}", kind, (table,)), year=2025)


def codes(draft: PlanDraft) -> list[str]:
    return [t.code for t in draft.tasks]


def checks(draft: PlanDraft) -> dict[str, str]:
    """Task code → the section number as read, for the tasks whose section number was
    inferred."""
    return {
        w.task_code or "": w.detail
        for w in draft.warnings
        if w.kind is WarningKind.CHECK_READING and w.detail
    }


ROMAN_ROWS = (
    section("I", "Chỉ đạo điều hành"),
    task("1", "Xây dựng kế hoạch"),
    task("2", "Đôn đốc thực hiện"),
    section("II", "Rà soát thủ tục"),
    task("1", "Rà soát quy định"),
    section("I", "Kiểm soát thủ tục"),  # "III" read "I"
    task("1", "Niêm yết công khai"),
    task("2", "Góp ý dự thảo"),
    section("14", "Kiểm tra đánh giá"),  # "IV" read "14"
    task("1", "Tự kiểm tra"),
    section("V", "Tiếp nhận phản ánh"),
    task("1", "Xử lý phản ánh"),
)


def test_misread_roman_sections_are_inferred_from_the_numbering() -> None:
    draft = read(*ROMAN_ROWS)
    assert codes(draft) == ["I.1", "I.2", "II.1", "III.1", "III.2", "IV.1", "V.1"]
    assert [t.section for t in draft.tasks][3:6] == [
        "III. Kiểm soát thủ tục",
        "III. Kiểm soát thủ tục",
        "IV. Kiểm tra đánh giá",
    ]
    # Their tasks are to be checked, with the number as it was read.
    assert checks(draft) == {"III.1": "I", "III.2": "I", "IV.1": "14"}
    assert not [w for w in draft.warnings if w.kind is WarningKind.DUPLICATE_CODE]
    assert not [w for w in draft.warnings if w.kind is WarningKind.NO_UNIT]


def test_a_clean_file_is_read_as_written() -> None:
    draft = read(*ROMAN_ROWS, kind="docx")
    assert "III.1" not in codes(draft)
    assert [w.task_code for w in draft.warnings if w.kind is WarningKind.DUPLICATE_CODE]
    assert not checks(draft)


def test_a_heading_whose_number_was_not_read() -> None:
    draft = read(
        section("I", "Chỉ đạo"),
        task("1", "Xây dựng kế hoạch"),
        task("2", "Đôn đốc"),
        section("", "Rà soát thủ tục hành chính"),  # "II" not read at all
        task("1", "Rà soát quy định"),
    )
    assert codes(draft) == ["I.1", "I.2", "II.1"]
    assert checks(draft) == {"II.1": "?"}


def test_a_row_merged_across_that_goes_on_numbering_is_a_task() -> None:
    # "3" after task "2" is the section's next task (its cells merged by the scan),
    # and a roman numeral further on than the next one is kept as read.
    draft = read(
        section("I", "Chỉ đạo"),
        task("1", "Xây dựng kế hoạch"),
        task("2", "Đôn đốc"),
        section("3", "Niêm yết công khai thủ tục"),
        section("IV", "Kiểm tra"),
        task("1", "Tự kiểm tra"),
    )
    assert codes(draft) == ["I.1", "I.2", "I.3", "IV.1"]
    assert not checks(draft)


def test_without_restart_a_heading_row_is_not_taken_for_a_section() -> None:
    # Numbering that goes on after the row: the row is no new section.
    draft = read(
        section("I", "Chỉ đạo"),
        task("1", "Xây dựng kế hoạch"),
        section("", "Tổng hợp kết quả"),
        task("2", "Đôn đốc"),
    )
    assert [t.section for t in draft.tasks] == ["I. Chỉ đạo", "I. Chỉ đạo"]
    assert not checks(draft)


def test_the_first_section_misread_before_a_roman_two() -> None:
    draft = read(
        section("1", "Chỉ đạo điều hành"),  # "I" read "1"
        task("1", "Xây dựng kế hoạch"),
        task("2", "Đôn đốc"),
        section("II", "Rà soát"),
        task("1", "Rà soát quy định"),
    )
    assert codes(draft) == ["I.1", "I.2", "II.1"]
    assert checks(draft) == {"I.1": "1", "I.2": "1"}


def test_a_numbered_section_whose_first_task_number_was_not_read() -> None:
    draft = read(
        section("5", "Ứng dụng công nghệ thông tin"),
        task("5.1", "Số hóa hồ sơ"),
        task("5.2", "Thanh toán trực tuyến"),
        section("6", "Kiểm tra hoạt động kiểm soát"),
        task("", "Tổ chức kiểm tra", "Văn phòng", "Năm 2025"),  # "6.1" not read
        section("7", "Trách nhiệm người đứng đầu"),
        task("7.1", "Chỉ đạo thực hiện"),
    )
    assert codes(draft) == ["5.1", "5.2", "6.1", "7.1"]
    assert draft.tasks[2].section == "6. Kiểm tra hoạt động kiểm soát"
    assert draft.tasks[2].code_generated
    assert not checks(draft)  # the section's number was read


def test_section_numbers_from_the_tasks_numbers() -> None:
    draft = read(
        section("2", "Rà soát"),
        task("2.1", "Rà soát quy định"),
        section("8", "Số hóa"),  # "3" read "8"
        task("3.1", "Số hóa hồ sơ"),
        task("3.2", "Cập nhật dữ liệu"),
        section("", "Kiểm tra"),  # "4" not read
        task("4.1", "Tự kiểm tra"),
    )
    assert codes(draft) == ["2.1", "3.1", "3.2", "4.1"]
    assert [t.section for t in draft.tasks] == [
        "2. Rà soát",
        "3. Số hóa",
        "3. Số hóa",
        "4. Kiểm tra",
    ]
    assert checks(draft) == {"3.1": "8", "3.2": "8", "4.1": "?"}


def test_a_repeated_header_with_a_cell_not_read_keeps_the_table() -> None:
    draft = read(
        section("I", "Chỉ đạo"),
        task("1", "Xây dựng kế hoạch"),
        head("", *HEADER[1:]),  # the header repeated on the next page, "TT" lost
        task("2", "Đôn đốc"),
        section("II", "Rà soát"),
        task("1", "Rà soát quy định"),
    )
    assert codes(draft) == ["I.1", "I.2", "II.1"]


def test_timeframes_misread_by_ocr_are_restored() -> None:
    rows = (
        task("1", "Xây dựng kế hoạch", time="Quý ï"),
        task("2", "Đôn đốc", time="“Thường xuyên"),
    )
    scanned = read(*rows)
    assert [t.timeframe_text for t in scanned.tasks] == ["Quý I", "Thường xuyên"]
    assert all(t.timeframe is not None for t in scanned.tasks)
    assert not [w for w in scanned.warnings if w.kind is WarningKind.UNREADABLE_TIMEFRAME]
    clean = read(*rows, kind="docx")  # a clean file's text is kept as written
    assert [t.timeframe_text for t in clean.tasks] == ["Quý ï", "“Thường xuyên"]


def test_the_preview_says_the_section_number_was_inferred() -> None:
    inferred = {"kind": "check_reading", "task": "III.1", "detail": "I"}
    plain = {"kind": "check_reading", "task": "I.1", "detail": ""}
    assert "“I”" in warning_text(inferred, "en") and "III.1" in warning_text(inferred, "en")
    assert warning_text(plain, "en") == "task I.1 was read from a scan or damaged text: check it"


def test_an_abbreviation_with_a_letter_read_twice_is_restored() -> None:
    rows = (task("1", "Kiểm tra", lead="Văn phòng HDĐND&UBND thị xã"),)
    assert read(*rows).tasks[0].lead == ["Văn phòng HĐND&UBND thị xã"]
    assert read(*rows, kind="docx").tasks[0].lead == ["Văn phòng HDĐND&UBND thị xã"]


def test_an_abbreviation_run_into_the_next_word_keeps_its_letters() -> None:
    """A photo's "Văn phòng HĐND&UBNDThịxã" was set apart "UBNDT hịxã" (no unit found),
    "HĐND&6UBND" kept its speck; a clean file's cell is read as written."""
    rows = (
        task("1", "Kiểm tra", lead="Văn phòng HĐND&UBNDThịxã"),
        task("2", "Rà soát", lead="Văn phòng HĐND&6UBND huyện"),
    )
    assert [t.lead for t in read(*rows).tasks] == [
        ["Văn phòng HĐND&UBND Thịxã"],
        ["Văn phòng HĐND&UBND huyện"],
    ]
    assert read(*rows, kind="docx").tasks[1].lead == ["Văn phòng HĐND&6UBND huyện"]


def test_numerals_and_numbers_with_specks_or_strokes_joined() -> None:
    # From another scan of the ward plan: "II" read "n" (its strokes joined), task 2 read
    # "t2", "III" read "II", "IV" read "1< IV".
    draft = read(
        section("I", "Chỉ đạo điều hành"),
        task("1", "Xây dựng kế hoạch"),
        task("2", "Đôn đốc thực hiện"),
        section("n", "Thực hiện rà soát, đơn giản hóa"),
        task("1", "Xây dựng kế hoạch rà soát"),
        task("t2", "Triển khai rà soát"),
        section("II", "Kiểm soát việc thực hiện"),
        task("1", "Niêm yết công khai"),
        section("1< IV", "Kiểm tra, đánh giá"),
        task("1", "Tự kiểm tra"),
        section("r< V", "Tiếp nhận phản ánh"),
        task("1", "Tiếp nhận, phân loại"),
        section("mĩ", "Thông tin, tuyên truyền"),  # strokes, one with a tilde ("III" in a scan)
        task("1", "Đẩy mạnh truyền thông"),
    )
    assert codes(draft) == ["I.1", "I.2", "II.1", "II.2", "III.1", "IV.1", "V.1", "VI.1"]
    assert checks(draft) == {"II.1": "n", "II.2": "n", "III.1": "II", "VI.1": "mĩ"}
    assert draft.tasks[3].section == "II. Thực hiện rà soát, đơn giản hóa"
    # a clean file's cells are read as written
    clean = read(task("t2", "Triển khai rà soát"), kind="docx")
    assert clean.tasks[0].code_generated


def test_a_section_after_one_whose_task_lost_its_number_and_a_dot_lost() -> None:
    # Another scan of the Sơn Tây plan: section 6's one task lost its number, section 7's
    # title row reads as a task "7", and its first task "7.1" was read "71".
    draft = read(
        section("5", "Rà soát, đánh giá"),
        task("5.1", "Phối hợp rà soát"),
        section("6", "Kiểm tra hoạt động kiểm soát"),
        task("", "Tổ chức kiểm tra việc thực hiện"),
        section("7", "Thực hiện trách nhiệm người đứng đầu"),
        task("71", "Thực hiện nghiêm Kế hoạch"),
        task("7.2", "Chỉ thị về cá thể hóa trách nhiệm"),
    )
    assert codes(draft) == ["5.1", "6.1", "7.1", "7.2"]
    assert draft.tasks[2].section == "7. Thực hiện trách nhiệm người đứng đầu"
    # "71" stays 71 where it is no section's next number
    draft = read(section("7", "Trách nhiệm"), task("7.1", "Một"), task("71", "Hai"))
    assert codes(draft) == ["7.1", "71"]


def test_a_number_lost_between_two_running_ones_is_the_one_between() -> None:
    # A decision numbered on through its sections: sub-section "I" under "B" read as a
    # speck ("`."), then task 4 with its number lost entirely.
    rows = (
        section("A", "Ban hành văn bản"),
        task("3", "Xây dựng văn bản"),
        section("B", "Cải cách quy định"),
        section("`.", "Kiểm soát việc ban hành quy định"),
        task("", "Có ý kiến trước về nội dung quy định"),
        section("II", "Rà soát, đơn giản hóa"),
        task("5", "Thực hiện rà soát"),
    )
    draft = read(*rows)
    assert codes(draft) == ["3", "4", "5"]
    assert draft.tasks[1].section == "I. Kiểm soát việc ban hành quy định"
    assert [w.task_code for w in draft.warnings if w.kind is WarningKind.GENERATED_CODE] == ["4"]
    # a clean file's row without a number keeps a number of its section
    assert codes(read(*rows, kind="docx"))[1] != "4"


def test_an_abbreviation_with_two_letters_read_too_many_is_restored() -> None:
    # "Đ" read three times, once as the Icelandic eth "Ð" (a scan at 250 dpi)
    rows = (task("1", "Kiểm tra", lead="Văn phòng HĐÐĐND&UBND Thị xã"),)
    assert read(*rows).tasks[0].lead == ["Văn phòng HĐND&UBND Thị xã"]
    # no known abbreviation a letter or two away: left as read
    rows = (task("1", "Kiểm tra", lead="Phòng KTHTĐT"),)
    assert read(*rows).tasks[0].lead == ["Phòng KTHTĐT"]


def test_timeframe_words_misread_by_a_scan_are_restored() -> None:
    rows = (
        task("1", "Góp ý dự thảo", time="Khi có yêu câu"),
        task("2", "Rà soát", time="Theo lộ trình của UBND Thành phổ"),
    )
    draft = read(*rows)
    assert [t.timeframe_text for t in draft.tasks] == [
        "Khi có yêu cầu",
        "Theo lộ trình của UBND Thành phố",
    ]
    clean = read(*rows, kind="docx")  # a clean file's text is kept as written
    assert clean.tasks[0].timeframe_text == "Khi có yêu câu"


def test_misread_roman_sections_in_a_table_numbered_throughout() -> None:
    # Task numbers go on through the sections (a decision's appendix): "III" read "I",
    # "IV" read "14" just before task 14 itself.
    draft = read(
        section("I", "Kiểm soát quy định"),
        task("11", "Công bố thủ tục"),
        section("II", "Một cửa"),
        task("12", "Niêm yết"),
        section("I", "Số hóa"),
        task("13", "Số hóa hồ sơ"),
        section("14", "Phản ánh kiến nghị"),
        task("14", "Tiếp nhận phản ánh"),
        section("V", "Thông tin"),
        task("15", "Tuyên truyền"),
    )
    assert codes(draft) == ["11", "12", "13", "14", "15"]
    assert [t.section for t in draft.tasks][2:4] == ["III. Số hóa", "IV. Phản ánh kiến nghị"]
    assert checks(draft) == {"13": "I", "14": "14"}


NUMBERS = ["", "1", "2", "3", "14", "I", "II", "III", "IV", "Il", "5", "6", "5.1", "6.1", "3.1"]
TEXTS = ["", "Rà soát", "rà soát tiếp", "Văn phòng", "Quý ï", "“Thường xuyên"]
ROWS = st.tuples(
    st.sampled_from(NUMBERS),
    st.sampled_from(TEXTS),
    st.sampled_from(TEXTS),
    st.sampled_from(TEXTS),
    st.booleans(),
).map(lambda r: (C(r[0]), C(r[1]), C(r[2], spanned=r[4]), C(r[3], spanned=r[4])))


@settings(max_examples=300, deadline=None)
@given(st.lists(ROWS, min_size=1, max_size=16))
def test_inference_never_raises_and_codes_stay_unique(rows: list[tuple[Cell, ...]]) -> None:
    draft = read(*rows)
    codes = [t.code for t in draft.tasks]
    assert len(set(codes)) == len(codes)
    assert all(t.code for t in draft.tasks)


def test_the_first_section_s_lost_numeral_under_the_heading_above_the_table() -> None:
    """A scan of a table under "II. NHIỆM VỤ …" whose column numbers read "Œ) (2). (3)"
    and whose first section lost its "I" (the second's "II" read "I"): the numbering row
    is no task, and the sections are I and II (they were a task "II.3" with time "(4)",
    then sections II and III, the heading above counted as the table's numbering)."""
    from bot.plans.model import Paragraph

    rows = (
        head(),
        (C("Œ)"), C("(2)."), C("(3)"), C("(4)")),
        section("", "KIỂM SOÁT QUY ĐỊNH TTHC"),
        task("1", "Rà soát TTHC"),
        task("2", "Đánh giá tác động"),
        section("I", "THỰC HIỆN CƠ CHẾ MỘT CỬA"),
        task("1", "Niêm yết công khai"),
    )
    blocks = (Paragraph("II. NHIỆM VỤ (có phụ lục kèm theo)"), Table(rows))
    draft = parse_plan(Document("plan.ocr", "ocr", blocks), year=2025)
    assert codes(draft) == ["I.1", "I.2", "II.1"]
    assert draft.tasks[0].section == "I. KIỂM SOÁT QUY ĐỊNH TTHC"
    assert checks(draft) == {"I.1": "?", "I.2": "?", "II.1": "I"}
    # a clean file: the heading above sections tasks of a table without sections
    clean = parse_plan(
        Document("plan.docx", "docx", (blocks[0], Table((head(), task("1", "Rà soát"))))),
        year=2025,
    )
    assert [(t.code, t.section) for t in clean.tasks] == [
        ("1", "II. NHIỆM VỤ (có phụ lục kèm theo)")
    ]
