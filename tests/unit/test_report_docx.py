"""The periodic Word report: written from reports built by hand, opened again with
python-docx and checked against the layout of Nghị định 30/2020 and the report's values."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from decimal import Decimal

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

from bot.config import Settings
from bot.i18n import translations
from bot.language.periods import Period
from bot.services.periodic import Said, Section, Standing, TaskReport, UnitStanding
from bot.views.documents.report_docx import report_docx
from bot.views.documents.template import (
    TemplateError,
    default_template_text,
    load_template,
)
from bot.views.documents.wording import (
    decree_date,
    figure,
    measured,
    period_phrase,
    ratio_text,
    target_text,
)
from tests.periodic_fixtures import (
    INDICATOR_COUNT,
    INDICATOR_EMPTY,
    INDICATOR_PERCENT,
    MANY,
    area_report,
    empty_report,
)

PNG = bytes.fromhex(  # a 1×1 white PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4a40000000049454e44ae426082"
)


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def area() -> Document:
    return _open(report_docx(area_report(), load_template(), PNG, "vi"))


@pytest.fixture(scope="module")
def empty() -> Document:
    return _open(report_docx(empty_report(), load_template(), None, "vi"))


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _body(document: Document) -> str:
    return "\n".join(_texts(document))


def _paragraph(document: Document, start: str):
    found = [p for p in document.paragraphs if p.text.startswith(start)]
    assert found, f"no paragraph starts with {start!r}"
    return found[0]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text.rstrip("\n") for cell in row.cells] for row in table.rows]


def _table_with(document: Document, heading: str) -> list[Table]:
    return [t for t in document.tables if heading in [c.text for c in t.rows[0].cells]]


# -- page and fonts ----------------------------------------------------------------------


def test_the_page_is_a4_portrait_with_the_decrees_margins(area: Document) -> None:
    for section in area.sections:
        assert round(section.page_width.mm) == 210
        assert round(section.page_height.mm) == 297
        assert 20 <= round(section.top_margin.mm, 1) <= 25
        assert 20 <= round(section.bottom_margin.mm, 1) <= 25
        assert 30 <= round(section.left_margin.mm, 1) <= 35
        assert 15 <= round(section.right_margin.mm, 1) <= 20


def test_times_new_roman_in_every_slot_at_13_points(area: Document) -> None:
    normal = area.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(13)
    fonts = normal.element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    defaults = area.styles.element.find(qn("w:docDefaults"))
    for element in defaults.iter(qn("w:rFonts")):
        assert element.get(qn("w:eastAsia")) == "Times New Roman"
        assert not [name for name in element.attrib if name.lower().endswith("theme")]


def test_body_paragraphs_are_justified_and_indented(area: Document) -> None:
    paragraph = _paragraph(area, "Thực hiện Kế hoạch")
    fmt = paragraph.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(fmt.first_line_indent.cm, 2) == 1.27
    assert fmt.space_after >= Pt(6)
    assert 1 <= fmt.line_spacing <= 1.5


def test_page_numbers_in_the_header_but_not_on_page_one(area: Document) -> None:
    first = area.sections[0]
    assert first.different_first_page_header_footer
    header = first.header._element.xml
    assert "PAGE" in header and "fldChar" in header
    assert first.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not first.first_page_header.paragraphs[0].text


# -- header --------------------------------------------------------------------------------


def test_the_header_table(area: Document) -> None:
    header = area.tables[0]
    assert not header._tbl.xpath(".//w:tblBorders")  # no borders
    (left, right), (number, place) = _rows(header)
    assert left == "ỦY BAN NHÂN DÂN\nTHỊ XÃ SƠN TÂY"  # no governing body by default
    assert right == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert number == "Số: ……/BC-UBND"
    assert place == "Sơn Tây, ngày 05 tháng 9 năm 2025"
    cells = header.rows[0].cells
    issuing = cells[0].paragraphs[0]
    assert all(run.bold for run in issuing.runs)
    national, motto = cells[1].paragraphs[0], cells[1].paragraphs[1]
    assert national.runs[0].bold and national.runs[0].font.size in (Pt(12), Pt(13))
    assert motto.runs[0].bold
    # A rule under the issuing body and under the motto: a bordered empty paragraph.
    for cell in cells:
        assert cell.paragraphs[-1]._p.xpath("./w:pPr/w:pBdr/w:bottom")
    date_line = header.rows[1].cells[1].paragraphs[0]
    assert all(run.italic for run in date_line.runs)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 1, 5), ("05", "01", "2020")),
        (date(2025, 2, 28), ("28", "02", "2025")),
        (date(2025, 3, 9), ("09", "3", "2025")),
        (date(2025, 9, 5), ("05", "9", "2025")),
        (date(2025, 12, 10), ("10", "12", "2025")),
    ],
)
def test_the_date_takes_the_decrees_leading_zeros(day: date, expected: tuple) -> None:
    assert decree_date(day) == expected


def test_the_empty_reports_date_line_has_january_with_a_zero(empty: Document) -> None:
    assert _rows(empty.tables[0])[1][1] == "Sơn Tây, ngày 20 tháng 01 năm 2025"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.quarter(2025, 3), "quý III năm 2025"),
        (Period.half(2025, 1), "6 tháng đầu năm 2025"),
        (Period.half(2025, 2), "6 tháng cuối năm 2025"),
        (Period.nine_months(2025), "9 tháng năm 2025"),
        (Period.year(2025), "năm 2025"),
        (Period.month(2025, 10), "tháng 10 năm 2025"),
    ],
)
def test_the_period_in_words(period: Period, expected: str) -> None:
    assert period_phrase(period, translations("vi").gettext) == expected


def test_the_title_subject_and_window(area: Document) -> None:
    texts = _texts(area)
    index = texts.index("BÁO CÁO")
    title = area.paragraphs[index]
    assert title.runs[0].bold and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = area.paragraphs[index + 1]
    assert subject.text == (
        "Kết quả thực hiện công tác kiểm soát thủ tục hành chính, cơ chế một cửa, "
        "một cửa liên thông quý III năm 2025"
    )
    assert subject.runs[0].bold
    assert area.paragraphs[index + 2]._p.xpath("./w:pPr/w:pBdr/w:bottom")  # its rule
    window = area.paragraphs[index + 3]
    assert window.text == "(Số liệu từ ngày 15/6/2025 đến ngày 14/9/2025)"
    assert window.runs[0].italic


def test_no_recipients_line_by_default(area: Document) -> None:
    assert not [t for t in _texts(area) if t.startswith("Kính gửi")]


# -- I. results --------------------------------------------------------------------------


def test_sections_are_numbered_in_the_plans_order(area: Document) -> None:
    texts = _texts(area)
    texts = texts[texts.index("I. KẾT QUẢ THỰC HIỆN") : texts.index("II. CÁC CHỈ TIÊU")]
    headings = [t for t in texts if t[:2] in ("1.", "2.", "3.") and t[2] == " "]
    assert headings == [
        "1. CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH",
        "2. Tổng kết",
        "3. Niêm yết công khai",
    ]


def test_a_tasks_standing_names_its_units(area: Document) -> None:
    body = _body(area)
    assert (
        "1.1. Rà soát, công khai thủ tục hành chính tại Bộ phận Một cửa "
        "(chủ trì: UBND các xã, phường; thời hạn: 31/08/2025)."
    ) in body
    assert (
        "Đã hoàn thành đúng hạn: 1/5 đơn vị; hoàn thành muộn: 1 (Xã Cẩm Lý – 3 ngày); "
        "quá hạn: 2 (Xã Bắc Sơn – 14 ngày, Xã Đại Sơn – 14 ngày); "
        "không phát sinh: 1 (Xã Hòa Phú)."
    ) in body
    assert (
        "Đã hoàn thành đúng hạn: 0/3 đơn vị; đang thực hiện: 2 (Xã An Bình – 60%, "
        "Xã Bắc Sơn – 20%); chưa báo cáo: 1 (Xã Cẩm Lý)."
    ) in body
    assert "Chưa đến hạn (hạn 15/12/2025); chưa có đơn vị nào báo cáo." in body


def test_a_long_list_of_units_names_ten_and_counts_the_rest(area: Document) -> None:
    line = _paragraph(area, "Đã hoàn thành đúng hạn: 0/14 đơn vị").text
    assert line.endswith("và 4 đơn vị khác).")
    assert sum(name + " –" in line for name in MANY) == 10
    # most days late first
    assert line.index("Phường 3 – 13 ngày") < line.index("Phường 1 – 12 ngày")
    assert line.index("Phường 1 – 12 ngày") < line.index("Phường 2 – 11 ngày")


def test_the_notes_units_sent_are_quoted(area: Document) -> None:
    line = _paragraph(area, "Ý kiến của đơn vị:").text
    assert line == (
        "Ý kiến của đơn vị: Xã Bắc Sơn (08/09/2025): “Vướng do thiếu máy quét, đã đề nghị "
        "huyện hỗ trợ”; Xã Đại Sơn (12/09/2025): “Đang rà soát lại danh mục”; Xã Cẩm Lý "
        "(11/09/2025): “Cán bộ một cửa nghỉ ốm”."
    )


def test_the_summary_counts_the_lead_units(area: Document) -> None:
    report = area_report()
    line = _paragraph(area, "Tổng hợp theo lượt nhiệm vụ").text
    assert f"quá hạn {report.count(Standing.OVERDUE)}" in line
    assert f"đã hoàn thành đúng hạn {report.count(Standing.DONE)}" in line
    assert "Từ ngày 15/6/2025 đến ngày 14/9/2025, 6/19 đơn vị đã gửi báo cáo." in _texts(area)


def test_the_chart_is_embedded_at_the_text_width(area: Document) -> None:
    shapes = area.inline_shapes
    assert len(shapes) == 1
    section = area.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(shapes[0].width - text_width) < 1000  # EMU
    # at the end of part I, before part II
    texts = _texts(area)
    picture = next(i for i, p in enumerate(area.paragraphs) if p._p.xpath(".//w:drawing"))
    assert picture < texts.index("II. CÁC CHỈ TIÊU")
    assert picture > texts.index("I. KẾT QUẢ THỰC HIỆN")


# -- II. indicators and the annex ----------------------------------------------------------


def test_the_indicators_table_holds_the_models_figures(area: Document) -> None:
    (table,) = _table_with(area, "Chỉ tiêu giao")
    rows = _rows(table)
    assert rows[0] == [
        "STT",
        "Chỉ tiêu",
        "Chỉ tiêu giao",
        "Kết quả",
        "Tử số/Mẫu số",
        "Đơn vị báo cáo",
        "Đánh giá",
    ]
    assert rows[1:] == [
        [
            "1",
            "CT1. Tỷ lệ hồ sơ giải quyết đúng hạn",
            "≥ 95%",
            "85,53%",
            "1.300/1.520",
            "2/5",
            "Không đạt",
        ],
        [
            "2",
            "CT2. Số hồ sơ tiếp nhận trực tuyến",
            "",
            "1.234 hồ sơ",
            "",
            "1/5",
            "Không có chỉ tiêu",
        ],
        ["3", "CT3. Tỷ lệ thanh toán trực tuyến", "≥ 50%", "Chưa có số liệu", "", "0/5", ""],
    ]
    for row, indicator in zip(rows[1:], area_report().indicators, strict=True):
        assert row[2] == target_text(indicator.comparator, indicator.target, indicator.measure)
        if indicator.value is not None:
            assert row[3] == measured(indicator.value, indicator.measure)
        assert row[4] == ratio_text(indicator.numerator, indicator.denominator)
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeats on every page


def test_a_code_that_is_the_rows_number_is_not_written_twice() -> None:
    """A plan numbering its indicators 1, 2, 3: "1. Tỷ lệ …" in row 1, not "1 | 1. Tỷ lệ"."""
    report = area_report()
    numbered = tuple(
        dataclasses.replace(indicator, code=str(n))
        for n, indicator in enumerate(report.indicators, 1)
    )
    document = _open(
        report_docx(dataclasses.replace(report, indicators=numbered), load_template(), None, "vi")
    )
    table = _table_with(document, "Chỉ tiêu giao")[0]
    names = [row[1] for row in _rows(table)[1:]]
    assert names == [i.name for i in numbered]
    assert f"1. {numbered[0].name} (" in _body(document)  # the annex's heading: once


def test_the_annex_holds_every_units_figures(area: Document) -> None:
    texts = _texts(area)
    start = texts.index("Phụ lục")
    assert texts[start + 1] == "SỐ LIỆU CÁC CHỈ TIÊU CỦA TỪNG ĐƠN VỊ"
    assert texts[start + 2] == "(Kèm theo Báo cáo số ……/BC-UBND ngày …… tháng …… năm ……)"
    assert area.paragraphs[start + 2].runs[0].italic
    tables = _table_with(area, "Mẫu số")
    indicators = [i for i in area_report().indicators if i.units]
    assert [i.code for i in indicators] == [INDICATOR_PERCENT.code, INDICATOR_COUNT.code]
    assert len(tables) == len(indicators)
    for table, indicator in zip(tables, indicators, strict=True):
        rows = _rows(table)
        assert rows[0] == [
            "STT",
            "Đơn vị",
            "Tử số",
            "Mẫu số",
            "Kết quả",
            "Đánh giá",
            "Ngày báo cáo",
        ]
        expected = [
            [
                str(index),
                unit.unit,
                "" if unit.numerator is None else figure(unit.numerator),
                "" if unit.denominator is None else figure(unit.denominator),
                measured(unit.value, indicator.measure),
                {True: "Đạt", False: "Không đạt", None: "Không có chỉ tiêu"}[unit.meets],
                unit.reported_at.strftime("%d/%m/%Y"),
            ]
            for index, unit in enumerate(indicator.units, 1)
        ]
        assert rows[1:] == expected
    assert _rows(tables[0])[2][2:5] == ["785", "1.000", "78,5%"]
    assert INDICATOR_EMPTY.name not in "".join(texts[start:])  # nothing to show


def test_units_with_nothing_arising_are_counted_and_named() -> None:
    report = area_report()
    percent = dataclasses.replace(report.indicators[0], nothing_arose=("Xã Hòa Phú", "Xã Yên Sở"))
    document = _open(
        report_docx(
            dataclasses.replace(report, indicators=(percent, *report.indicators[1:])),
            load_template(),
            None,
            "vi",
        )
    )
    table = _table_with(document, "Chỉ tiêu giao")[0]
    assert _rows(table)[1][5] == "2/5\n2 không phát sinh"  # beside the units that reported
    texts = _texts(document)
    annex = texts[texts.index("Phụ lục") :]
    assert "Không phát sinh trong kỳ: Xã Hòa Phú, Xã Yên Sở." in annex


def test_the_annex_is_numbered_on_its_own(area: Document) -> None:
    assert len(area.sections) == 2
    annex = area.sections[1]
    assert annex.different_first_page_header_footer
    numbering = annex._sectPr.find(qn("w:pgNumType"))
    assert numbering is not None and numbering.get(qn("w:start")) == "1"
    # the annex follows the signature
    texts = _texts(area)
    assert texts.index("Phụ lục") > texts.index("V. ĐỀ XUẤT, KIẾN NGHỊ")


# -- III, IV, V and the signature ----------------------------------------------------------


def test_the_units_behind_most_late_first_with_their_reasons(area: Document) -> None:
    body = _body(area)
    # Drafted on 5/9, before the window closes on 14/9: the standings are as of that day.
    assert "Đến ngày 5/9/2025, 16 đơn vị chưa hoàn thành 2 nhiệm vụ đã quá hạn:" in body
    closed = _open(
        report_docx(
            dataclasses.replace(area_report(), made_on=date(2025, 9, 20)),
            load_template(),
            None,
            "vi",
        )
    )
    assert "Đến ngày 14/9/2025, 16 đơn vị" in _body(closed)
    first = _paragraph(area, "- Nhiệm vụ 1.1").text
    assert first == (
        "- Nhiệm vụ 1.1 Rà soát, công khai thủ tục hành chính tại Bộ phận Một cửa "
        "(hạn 31/08/2025): 2 đơn vị quá hạn: Xã Bắc Sơn – 14 ngày, Xã Đại Sơn – 14 ngày. "
        "Lý do đơn vị nêu: Xã Bắc Sơn (08/09/2025): “Vướng do thiếu máy quét, đã đề nghị "
        "huyện hỗ trợ”; Xã Đại Sơn (12/09/2025): “Đang rà soát lại danh mục”."
    )
    second = _paragraph(area, "- Nhiệm vụ 3.1").text
    assert "14 đơn vị quá hạn: Phường 3 – 13 ngày" in second
    assert second.endswith("và 4 đơn vị khác.")
    silent = _paragraph(area, "Đơn vị chưa gửi báo cáo nào trong kỳ").text
    assert silent.startswith("Đơn vị chưa gửi báo cáo nào trong kỳ: 13 (Xã Hòa Phú, Phường 1,")
    assert silent.endswith("và 3 đơn vị khác).")


def test_the_tasks_of_the_next_period(area: Document) -> None:
    body = _body(area)
    assert "Các nhiệm vụ của kế hoạch đến hạn trong quý IV năm 2025:" in body
    assert (
        "- 4.1 Báo cáo kết quả kiểm soát TTHC năm 2025 (hạn 10/12/2025; Xã An Bình, "
        "Xã Bắc Sơn, Xã Cẩm Lý, Xã Đại Sơn, Xã Hòa Phú)."
    ) in body
    assert _paragraph(area, "- 4.2").text.endswith("và 4 đơn vị khác).")


def test_part_five_is_a_highlighted_placeholder(area: Document) -> None:
    texts = _texts(area)
    placeholder = area.paragraphs[texts.index("V. ĐỀ XUẤT, KIẾN NGHỊ") + 1]
    assert placeholder.text == "[Văn phòng bổ sung đề xuất, kiến nghị]"
    assert placeholder.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_the_signature_block_and_the_distribution(area: Document) -> None:
    (block,) = [t for t in area.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
    left, right = block.rows[0].cells
    label, *lines = left.paragraphs
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and label.runs[0].font.size == Pt(12)
    assert [p.text for p in lines] == ["- Như trên;", "- Lưu: VT, …"]
    assert all(p.runs[0].font.size == Pt(11) for p in lines)
    authority, title = right.paragraphs[0], right.paragraphs[1]
    assert (authority.text, title.text) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert authority.runs[0].bold and title.runs[0].bold
    assert authority.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert right.paragraphs[-1].text == ""  # the signer's name, left to the office
    assert len(right.paragraphs) >= 6  # room to sign
    closing = _paragraph(area, "Trên đây là báo cáo").text
    assert closing.endswith("một cửa liên thông quý III năm 2025.")


# -- other reports ---------------------------------------------------------------------------


def test_a_window_with_no_report_says_so(empty: Document) -> None:
    body = _body(empty)
    assert "Từ ngày 15/6/2025 đến ngày 14/9/2025, không có đơn vị nào gửi báo cáo." in body
    assert "Kế hoạch không có nhiệm vụ nào." in body
    assert "Kế hoạch không đặt chỉ tiêu nào." in body
    assert "Không có nhiệm vụ nào của kế hoạch đến hạn trong quý IV năm 2025." in body
    assert "Phụ lục" not in _texts(empty)
    assert len(empty.sections) == 1
    assert not empty.inline_shapes


def test_a_units_own_report_is_headed_by_the_unit() -> None:
    report = dataclasses.replace(area_report(), unit="Xã Bắc Sơn")
    document = _open(report_docx(report, load_template(), None, "vi"))
    (left, _right), (_number, place) = _rows(document.tables[0])
    assert left == "UBND THỊ XÃ SƠN TÂY\nỦY BAN NHÂN DÂN\nXÃ BẮC SƠN"
    assert place.startswith("Bắc Sơn, ngày 05 tháng 9 năm 2025")
    assert "Kính gửi: Ủy ban nhân dân thị xã Sơn Tây." in _texts(document)
    assert "Phụ lục" not in _texts(document)
    (table,) = _table_with(document, "Chỉ tiêu giao")
    assert "Đơn vị báo cáo" not in _rows(table)[0]


def test_a_units_own_task_reads_as_one_standing() -> None:
    unit = UnitStanding(2, "Xã Bắc Sơn", True, Standing.OVERDUE, None, None, 14)
    task = TaskReport("1.1", "Rà soát", None, None, date(2025, 8, 31), None, (unit,))
    report = dataclasses.replace(area_report(), unit="Xã Bắc Sơn", sections=(Section("", (task,)),))
    document = _open(report_docx(report, load_template(), None, "vi"))
    assert "Quá hạn 14 ngày." in _texts(document)
    helping = dataclasses.replace(unit, lead=False)  # it cooperates on another's task
    task = dataclasses.replace(task, units=(helping,))
    report = dataclasses.replace(report, sections=(Section("", (task,)),))
    document = _open(report_docx(report, load_template(), None, "vi"))
    assert "Đơn vị phối hợp: quá hạn 14 ngày." in _texts(document)


def test_text_a_document_cannot_hold_is_dropped() -> None:
    said = Said("Xã A", datetime(2025, 9, 1, 8), "máy\x00 hỏng <b>&\x07 “gấp”")
    unit = UnitStanding(1, "Xã A\x0b", True, Standing.OVERDUE, None, None, 3, (said,))
    task = TaskReport("1.1", "Rà soát\x1f", "UBND <xã>", None, date(2025, 8, 31), None, (unit,))
    report = dataclasses.replace(area_report(), sections=(Section("A & B", (task,)),))
    body = _body(_open(report_docx(report, load_template(), None, "vi")))
    assert "Xã A (01/09/2025): “máy hỏng <b>& “gấp””" in body
    assert "1.1. Rà soát (chủ trì: UBND <xã>; thời hạn: 31/08/2025)." in body


def test_english_connecting_words_keep_the_decrees_texts() -> None:
    document = _open(report_docx(area_report(), load_template(), None, "en"))
    texts = _texts(document)
    assert "BÁO CÁO" in texts
    assert "(Figures from 15/6/2025 to 14/9/2025)" in texts
    assert _rows(document.tables[0])[0][1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_a_large_area_has_every_unit_in_the_annex() -> None:
    """3,355 units reporting five indicators: the annex holds every one (its speed is
    measured in bench/periodic.py, not asserted here)."""
    units = [f"Xã Số {n}" for n in range(3355)]
    figures = tuple(
        dataclasses.replace(INDICATOR_PERCENT.units[0], unit_id=n, unit=name)
        for n, name in enumerate(units)
    )
    indicators = tuple(
        dataclasses.replace(INDICATOR_PERCENT, code=f"CT{k}", units=figures) for k in range(5)
    )
    report = dataclasses.replace(area_report(), indicators=indicators, units=tuple(units))
    data = report_docx(report, load_template(), None, "vi")
    tables = _table_with(_open(data), "Mẫu số")
    assert [len(t.rows) for t in tables] == [3356] * 5
    assert _rows(tables[-1])[-1][1] == "Xã Số 3354"


# -- the template --------------------------------------------------------------------------

OFFICE = """
[issuer]
governing_body = "UBND TỈNH TUYÊN QUANG"
issuing_body = "ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN"
number_symbol = "BC-VP"

[report]
recipients = ["- Văn phòng UBND tỉnh;", "Sở Tư pháp"]

[headings]
results = "I. Kết quả nổi bật"
proposals = "IV. Kiến nghị"

[signature]
authority = "TM. ỦY BAN NHÂN DÂN"
title = "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"
signer = "Nguyễn Văn Bình"

[distribution]
recipients = ["Như trên", "TT Đảng ủy xã", "Lưu: VT, VP (02)."]

[page]
font_size = 14
margin_left_mm = 35
margin_right_mm = 20
margin_top_mm = 25
"""


def test_the_offices_template_overrides_the_default() -> None:
    template = load_template(OFFICE)
    assert template.subject == load_template().subject  # left out: the default
    document = _open(report_docx(area_report(), template, None, "vi"))
    texts = _texts(document)
    (left, _right), (number, place) = _rows(document.tables[0])
    assert left == "UBND TỈNH TUYÊN QUANG\nỦY BAN NHÂN DÂN\nXÃ ĐẠI SƠN"
    assert number == "Số: ……/BC-VP"
    assert place.startswith("Đại Sơn, ngày 05")  # the place from the issuing body
    assert "I. KẾT QUẢ NỔI BẬT" in texts and "IV. KIẾN NGHỊ" in texts
    assert "II. CÁC CHỈ TIÊU" in texts
    assert "Kính gửi:\t- Văn phòng UBND tỉnh;" in texts and "- Sở Tư pháp." in texts
    block = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
    left_cell, right_cell = block.rows[0].cells
    assert [p.text for p in left_cell.paragraphs[1:]] == [
        "- Như trên;",
        "- TT Đảng ủy xã;",
        "- Lưu: VT, VP (02).",
    ]
    assert right_cell.paragraphs[1].text == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert right_cell.paragraphs[-1].text == "Nguyễn Văn Bình"
    assert document.styles["Normal"].font.size == Pt(14)
    section = document.sections[0]
    assert round(section.left_margin.mm) == 35 and round(section.top_margin.mm) == 25
    assert "(Kèm theo Báo cáo số ……/BC-VP ngày …… tháng …… năm ……)" in texts


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[page]\nfont_size = 12", "page.font_size"),
        ("[page]\nmargin_left_mm = 40", "page.margin_left_mm"),
        ("[page]\nmargin_top_mm = 19.5", "page.margin_top_mm"),
        ("[page]\nmargin_right_mm = 21", "page.margin_right_mm"),
        ("[page]\nmargin_bottom_mm = true", "page.margin_bottom_mm"),
        ("[page]\nfont_sise = 13", "page.font_sise"),
        ("[pages]\nfont_size = 13", "pages"),
        ("[report]\nrecipients = 'Sở Tư pháp'", "report.recipients"),
        ("[report]\nsubject = 'Kết quả công tác'", "report.subject"),
        ("[report]\nclosing = 'Trên đây là {ky}'", "report.closing"),
        ("[issuer]\nnumber_symbol = 'QĐ-UBND'", "issuer.number_symbol"),
        ("[issuer]\nnumber_symbol = 'BC - UBND'", "issuer.number_symbol"),
        ("[distribution]\nrecipients = ['Như trên;']", "distribution.recipients"),
        ("[headings]\nresults = ''", "headings.results"),
        ("issuer = 'x'", "issuer"),
    ],
)
def test_a_broken_template_is_refused_naming_the_key(text: str, key: str) -> None:
    with pytest.raises(TemplateError) as caught:
        load_template(text)
    assert caught.value.key == key
    assert key in str(caught.value)


def test_a_template_that_is_not_toml_is_refused() -> None:
    with pytest.raises(TemplateError, match="not valid TOML"):
        load_template("[page\nfont_size = 13")


def test_the_default_template_is_the_packaged_file() -> None:
    text = default_template_text()
    assert text.startswith("# Mẫu báo cáo định kỳ")
    assert load_template(text) == load_template(None) == load_template("")
    template = load_template()
    assert template.font_size == 13
    assert (template.margins.top, template.margins.left, template.margins.right) == (20, 30, 15)
    assert template.number_symbol == "BC-UBND"
    assert template.signature.authority == "TM. ỦY BAN NHÂN DÂN"
    assert template.distribution[-1].startswith("Lưu: VT")


@pytest.mark.parametrize(
    ("issuer", "unit", "expected"),
    [
        ("UBND thị xã Sơn Tây", None, ("", "ỦY BAN NHÂN DÂN THỊ XÃ SƠN TÂY", "Sơn Tây")),
        (
            "Ủy ban nhân dân tỉnh Tuyên Quang",
            None,
            ("", "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", "Tuyên Quang"),
        ),
        ("UBND TP. Hà Nội", None, ("", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Hà Nội")),
        ("UBND xã Đại Sơn", None, ("", "ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN", "Đại Sơn")),
        ("Văn phòng UBND tỉnh", None, ("", "VĂN PHÒNG UBND TỈNH", "")),
        (None, None, ("", "", "")),
        (
            "UBND thị xã Sơn Tây",
            "Xã Sơn Dương",
            ("UBND THỊ XÃ SƠN TÂY", "ỦY BAN NHÂN DÂN XÃ SƠN DƯƠNG", "Sơn Dương"),
        ),
        (
            "UBND tỉnh Tuyên Quang",
            "Phường 1",
            ("UBND TỈNH TUYÊN QUANG", "ỦY BAN NHÂN DÂN PHƯỜNG 1", "Phường 1"),
        ),
        (
            "UBND tỉnh Tuyên Quang",
            "Phòng Kinh tế",
            ("UBND TỈNH TUYÊN QUANG", "PHÒNG KINH TẾ", "Tuyên Quang"),
        ),
    ],
)
def test_the_header_comes_from_the_plans_issuer(
    issuer: str | None, unit: str | None, expected: tuple[str, str, str]
) -> None:
    resolved = load_template().issuer_for(issuer, unit)
    assert (resolved.governing_body, resolved.issuing_body, resolved.place) == expected


def test_the_template_names_the_place_it_is_told() -> None:
    template = load_template("[issuer]\nplace = 'Tuyên Quang'")
    assert template.issuer_for("UBND thị xã Sơn Tây", None).place == "Tuyên Quang"


def test_the_settings_name_the_offices_template() -> None:
    assert Settings(DONDOC_REPORT_TEMPLATE="mau-bao-cao.toml").report_template == (
        "mau-bao-cao.toml"
    )
    assert Settings().report_template is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("85.52631578947368"), "85,53"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.004"), "0"),
        (Decimal("-0.5"), "-0,5"),
        (1234567, "1.234.567"),
    ],
)
def test_figures_the_vietnamese_way(value: Decimal | int, expected: str) -> None:
    assert figure(value) == expected
