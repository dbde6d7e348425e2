"""Plans that are not the samples: made up, from a seed, out of the domain's words, to
measure the plan reader on plans nobody tuned it on (``bench.plan_repair --synthetic``).

The three sample plans are all the real plans this repository holds, and every rule of
the repair step and the parser was written looking at them. A plan made here differs in
what a real office's plan differs in: the level that issues it (a province, a district,
a commune) and so its units (departments, district offices, a commune's civil servants,
police, tax, social insurance), the place, the year, the task table's columns (their
order and words: "Cơ quan chủ trì" or "Đơn vị thực hiện", time before or after the
product, no cooperating column), how tasks are numbered (running numbers under roman
sections, dotted numbers under numbered sections), the timeframes' wording, and the
lead written once for several rows. :func:`plan_docx` writes it as the .docx an office
would send; ``tests/tools/make_damaged_ocr.py --synthetic`` damages it like the samples.

What a plan holds is known (:attr:`SyntheticPlan.rows`), so a reading is scored
against the plan, not against another reading.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

YEARS = (2024, 2025, 2026, 2027)

PROVINCES = ("Bắc Giang", "Hà Tĩnh", "Quảng Ngãi", "Đồng Tháp", "Lào Cai", "Bình Định", "Nghệ An")
DISTRICTS = ("Lục Nam", "Cẩm Xuyên", "Tư Nghĩa", "Cao Lãnh", "Bảo Thắng", "Phù Mỹ", "Diễn Châu")
COMMUNES = ("Tân Dĩnh", "Cẩm Bình", "Nghĩa Kỳ", "Mỹ Hiệp", "Xuân Quang", "Mỹ Đức", "Diễn Hồng")

# The units a plan of each level assigns work to ({place}: the issuer's place).
UNITS = {
    "tỉnh": (
        "Văn phòng UBND tỉnh",
        "Sở Tư pháp",
        "Sở Nội vụ",
        "Sở Thông tin và Truyền thông",
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài nguyên và Môi trường",
        "Công an tỉnh",
        "Bảo hiểm xã hội tỉnh",
        "Cục Thuế tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "UBND các huyện, thị xã, thành phố",
    ),
    "huyện": (
        "Văn phòng HĐND và UBND huyện",
        "Phòng Tư pháp",
        "Phòng Nội vụ",
        "Phòng Tài chính - Kế hoạch",
        "Phòng Tài nguyên và Môi trường",
        "Phòng Văn hóa và Thông tin",
        "Công an huyện",
        "Chi cục Thuế khu vực",
        "Bảo hiểm xã hội huyện",
        "UBND các xã, thị trấn",
    ),
    "xã": (
        "Công chức Văn phòng - Thống kê",
        "Công chức Tư pháp - Hộ tịch",
        "Công chức Địa chính - Xây dựng",
        "Công chức Văn hóa - Xã hội",
        "Công chức Tài chính - Kế toán",
        "Công an xã",
        "Ban Chỉ huy Quân sự xã",
        "Bộ phận Một cửa xã",
    ),
}

TASKS = (
    "Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý, đề xuất phương án đơn giản hóa",
    "Công bố, công khai thủ tục hành chính mới ban hành, sửa đổi, bổ sung hoặc bãi bỏ",
    "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
    "Thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Cập nhật, công khai tiến độ giải quyết hồ sơ trên Hệ thống thông tin giải quyết thủ tục "
    "hành chính",
    "Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến",
    "Kiểm tra công tác kiểm soát thủ tục hành chính tại các cơ quan, đơn vị",
    "Triển khai thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính",
    "Đánh giá mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan "
    "hành chính",
    "Rà soát, chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính",
    "Tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ đầu mối",
    "Thực hiện cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa",
    "Xây dựng báo cáo tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính",
    "Rà soát, cắt giảm thời gian giải quyết thủ tục hành chính nội bộ",
    "Thực hiện liên thông thủ tục hành chính đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
    "bảo hiểm y tế",
    "Duy trì hoạt động của Cổng dịch vụ công và tích hợp dữ liệu với Cổng Dịch vụ công quốc gia",
    "Khai thác, tái sử dụng dữ liệu đã được số hóa trong giải quyết thủ tục hành chính",
    "Tổ chức đối thoại với người dân, doanh nghiệp về thủ tục hành chính",
    "Niêm yết công khai địa chỉ tiếp nhận phản ánh, kiến nghị tại trụ sở",
    "Xử lý hồ sơ trễ hạn, xin lỗi người dân theo quy định",
)

SECTIONS = (
    "Công tác kiểm soát quy định, thủ tục hành chính",
    "Công khai, minh bạch thủ tục hành chính",
    "Thực hiện cơ chế một cửa, một cửa liên thông",
    "Ứng dụng công nghệ thông tin, chuyển đổi số",
    "Công tác thông tin, tuyên truyền và kiểm tra",
)

PRODUCTS = (
    "Báo cáo kết quả",
    "Quyết định công bố",
    "Kế hoạch",
    "Văn bản đề xuất",
    "Hồ sơ được số hóa",
    "Thông báo kết quả kiểm tra",
    "",
)


def timeframes(year: int) -> tuple[str, ...]:
    """Ways a plan writes when a task is due, for a plan of ``year``."""
    return (
        "Thường xuyên",
        "Thường xuyên trong năm",
        f"Trước ngày 31/3/{year}",
        f"Trước ngày 30/6/{year}",
        f"Trước ngày 15/12/{year}",
        f"Quý II/{year}",
        f"Quý III năm {year}",
        f"Tháng 9/{year}",
        f"Trong tháng 4/{year}",
        "Hằng tháng",
        "Hằng quý",
        "Định kỳ 6 tháng và hằng năm",
        f"Năm {year}",
        "Theo yêu cầu",
        "Khi có yêu cầu",
    )


# Columns a task table has, in the words plans use for them.
NUMBER_HEADS = ("STT", "TT", "Stt")
CONTENT_HEADS = ("Nội dung công việc", "Nhiệm vụ", "Nội dung nhiệm vụ", "Nội dung")
LEAD_HEADS = ("Cơ quan chủ trì", "Đơn vị chủ trì", "Đơn vị thực hiện", "Cơ quan thực hiện")
PARTNER_HEADS = ("Cơ quan phối hợp", "Đơn vị phối hợp")
TIME_HEADS = ("Thời gian thực hiện", "Thời gian hoàn thành", "Thời hạn")
PRODUCT_HEADS = ("Sản phẩm", "Dự kiến sản phẩm", "Kết quả/sản phẩm")

ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class Row:
    """A task row as the plan writes it, and the code a reader should give it."""

    code: str
    number: str  # what the number cell says
    content: str
    lead: str
    partners: str
    when: str
    product: str


@dataclass(frozen=True)
class SyntheticPlan:
    name: str
    level: str  # "tỉnh", "huyện", "xã"
    place: str
    year: int
    columns: tuple[str, ...]  # "number", "content", "lead", "partners", "when", "product"
    heads: tuple[str, ...]  # the header's words, column by column
    sections: tuple[tuple[str, str, tuple[Row, ...]], ...]  # (number, title, rows)
    lead_once: bool  # a lead written once for the rows under it that share it

    @property
    def units(self) -> tuple[str, ...]:
        return UNITS[self.level]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for _n, _t, rows in self.sections for row in rows)

    @property
    def issuer(self) -> str:
        return f"UBND {self.level} {self.place}".upper()


def plan(seed: int) -> SyntheticPlan:
    """The plan of ``seed``: the same plan for the same seed."""
    rng = random.Random(f"synthetic-plan-{seed}")
    level = rng.choice(tuple(UNITS))
    place = rng.choice({"tỉnh": PROVINCES, "huyện": DISTRICTS, "xã": COMMUNES}[level])
    year = rng.choice(YEARS)
    units = UNITS[level]
    columns = ["number", "content", "lead"]
    if rng.random() < 0.7:
        columns.append("partners")
    tail = ["when", "product"]
    rng.shuffle(tail)
    columns += tail
    heads = {
        "number": rng.choice(NUMBER_HEADS),
        "content": rng.choice(CONTENT_HEADS),
        "lead": rng.choice(LEAD_HEADS),
        "partners": rng.choice(PARTNER_HEADS),
        "when": rng.choice(TIME_HEADS),
        "product": rng.choice(PRODUCT_HEADS),
    }
    dotted = rng.random() < 0.5  # 1 / 1.1, 1.2 … or I / 1, 2, 3 … running on
    lead_once = rng.random() < 0.4
    when_words = timeframes(year)
    tasks = list(TASKS)
    rng.shuffle(tasks)
    sections = []
    running = 0
    for s, title in enumerate(rng.sample(SECTIONS, rng.randint(2, 4))):
        rows = []
        section_lead = rng.choice(units)
        for k in range(rng.randint(2, 5)):
            running += 1
            lead = section_lead if lead_once and rng.random() < 0.7 else rng.choice(units)
            others = [u for u in units if u != lead]
            partners = ", ".join(rng.sample(others, rng.randint(0, 2)))
            number = f"{s + 1}.{k + 1}" if dotted else str(running)
            rows.append(
                Row(
                    code=number,
                    number=number,
                    content=tasks.pop() if tasks else rng.choice(TASKS),
                    lead=lead,
                    partners=partners,
                    when=rng.choice(when_words),
                    product=rng.choice(PRODUCTS),
                )
            )
        sections.append((str(s + 1) if dotted else ROMAN[s], title, tuple(rows)))
    return SyntheticPlan(
        name=f"synthetic-{seed}",
        level=level,
        place=place,
        year=year,
        columns=tuple(columns),
        heads=tuple(heads[c] for c in columns),
        sections=tuple(sections),
        lead_once=lead_once,
    )


# The places under each level's issuer: a deployment's catalogue holds them, so that
# "UBND các xã, thị trấn" (every commune) names someone.
PLACES_UNDER = {
    "tỉnh": ("UBND huyện Yên Dũng", "UBND thị xã Việt Yên", "UBND thành phố Bắc Ninh"),
    "huyện": ("UBND xã Tân An", "UBND xã Hòa Bình", "UBND thị trấn Đồi Ngô"),
    "xã": (),
}


def catalogue(p: SyntheticPlan):  # -> bot.matching.UnitCatalogue
    """The deployment a plan of ``p``'s level would be read in: its units that are
    units (not "UBND các xã, thị trấn", a group), and the places under its issuer, each
    of the kind its name says."""
    from bot.language.units import guess_kind
    from bot.matching import UnitCatalogue, UnitEntry
    from bot.plans.resolve import resolve_unit

    empty = UnitCatalogue([])
    names = [n for n in p.units if resolve_unit(n, empty).group is None]
    names += PLACES_UNDER[p.level]
    return UnitCatalogue(UnitEntry(i, n, guess_kind(n)) for i, n in enumerate(names, 1))


def _cell_text(row: Row, column: str) -> str:
    return {
        "number": row.number,
        "content": row.content,
        "lead": row.lead,
        "partners": row.partners,
        "when": row.when,
        "product": row.product,
    }[column]


def plan_docx(p: SyntheticPlan) -> bytes:
    """The plan as the .docx an office sends: the issuer and the title, a few lines of
    purpose, the appendix's task table (the header repeated on each page; section rows
    merged across; with ``lead_once``, a lead merged down over the rows that share it)."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph(p.issuer)
    document.add_paragraph("Số: /KH-UBND")
    document.add_heading("KẾ HOẠCH", level=1)
    document.add_paragraph(
        f"Kiểm soát thủ tục hành chính năm {p.year} trên địa bàn {p.level} {p.place}"
    )
    document.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=2)
    document.add_paragraph(
        "Bảo đảm việc kiểm soát thủ tục hành chính đồng bộ, thống nhất, hiệu quả; xác định "
        "rõ trách nhiệm, thời hạn thực hiện và sản phẩm của từng cơ quan, đơn vị."
    )
    document.add_heading("II. NHIỆM VỤ CỤ THỂ", level=2)
    document.add_paragraph("(Chi tiết tại Phụ lục kèm theo)")
    document.add_heading("PHỤ LỤC", level=2)
    document.add_paragraph("NHIỆM VỤ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH")
    width = len(p.columns)
    lines: list[tuple[str, object]] = [("head", None)]
    for number, title, rows in p.sections:
        lines.append(("section", (number, title)))
        lines.extend(("row", row) for row in rows)
    table = document.add_table(rows=len(lines), cols=width)
    table.style = "Table Grid"
    lead_col = p.columns.index("lead")
    for r, (kind, value) in enumerate(lines):
        cells = table.rows[r].cells
        if kind == "head":
            for c, head in enumerate(p.heads):
                cells[c].paragraphs[0].add_run(head).bold = True
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        elif kind == "section":
            number, title = value  # type: ignore[misc]
            cells[0].paragraphs[0].add_run(number).bold = True
            merged = cells[1].merge(cells[width - 1])
            merged.paragraphs[0].add_run(title).bold = True
        else:
            for c, column in enumerate(p.columns):
                cells[c].paragraphs[0].add_run(_cell_text(value, column))  # type: ignore[arg-type]
    if p.lead_once:  # merge a lead down over the consecutive rows that share it
        r = 1
        while r < len(lines):
            if lines[r][0] != "row":
                r += 1
                continue
            end = r
            lead = lines[r][1].lead  # type: ignore[union-attr]
            while (
                end + 1 < len(lines)
                and lines[end + 1][0] == "row"
                and (
                    lines[end + 1][1].lead == lead  # type: ignore[union-attr]
                )
            ):
                end += 1
            if end > r:
                top = table.cell(r, lead_col)
                merged = top.merge(table.cell(end, lead_col))
                for paragraph in merged.paragraphs[1:]:
                    paragraph._p.getparent().remove(paragraph._p)
                merged.paragraphs[0].text = lead
            r = end + 1
    document.add_paragraph("")
    document.add_paragraph("CHỦ TỊCH")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_xlsx(p: SyntheticPlan) -> bytes:
    """The plan as the .xlsx an office keeps it in: the issuer and the title merged
    across the table's width above it, a blank row, the header, section rows merged
    across, the task rows (with ``lead_once``, a lead merged down over the rows that
    share it, as :func:`plan_docx` does)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    width = len(p.columns)
    titles = (
        p.issuer,
        "KẾ HOẠCH",
        f"Kiểm soát thủ tục hành chính năm {p.year} trên địa bàn {p.level} {p.place}",
    )
    for r, title in enumerate(titles, 1):
        sheet.cell(row=r, column=1, value=title).font = Font(bold=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    top = len(titles) + 2
    for c, head in enumerate(p.heads, 1):
        sheet.cell(row=top, column=c, value=head).font = Font(bold=True)
    r = top
    lead_col = p.columns.index("lead") + 1
    runs: list[tuple[int, int]] = []  # rows sharing a lead, to merge
    previous: tuple[int, str] | None = None
    for number, title, rows in p.sections:
        r += 1
        sheet.cell(row=r, column=1, value=number).font = Font(bold=True)
        sheet.cell(row=r, column=2, value=title).font = Font(bold=True)
        sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
        previous = None
        for row in rows:
            r += 1
            for c, column in enumerate(p.columns, 1):
                value = _cell_text(row, column)
                if value:
                    cell = sheet.cell(row=r, column=c, value=value)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if p.lead_once and previous is not None and previous[1] == row.lead:
                runs[-1] = (runs[-1][0], r)
            else:
                runs.append((r, r))
            previous = (r, row.lead)
    if p.lead_once:
        for first, last in runs:
            if last > first:
                for below in range(first + 1, last + 1):
                    sheet.cell(row=below, column=lead_col).value = None
                sheet.merge_cells(
                    start_row=first, start_column=lead_col, end_row=last, end_column=lead_col
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
