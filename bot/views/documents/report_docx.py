"""The periodic report upward as a Word document (python-docx), in the layout of an
administrative document (Nghị định 30/2020/NĐ-CP, ``shared/REPORTING.md`` §4).

:func:`report_docx` is a pure writer: a :class:`~bot.services.periodic.PeriodicReport`,
the office's :class:`~bot.views.documents.template.ReportTemplate` and the progress chart
in, the ``.docx`` bytes out. What the decree fixes is fixed here: A4 portrait, Times New
Roman (East Asian slot too), the header table (bodies and "Số: …/BC-…" on the left,
Quốc hiệu, Tiêu ngữ and "<place>, ngày dd tháng mm năm yyyy" on the right, each with its
rule), "BÁO CÁO" and the subject, justified body paragraphs with a 1.27 cm first line,
the signature block and "Nơi nhận", page numbers centred in the top margin from page 2,
and the annex with its "(Kèm theo Báo cáo số …)" line, numbered on its own.

Every sentence is composed from the report's values; headings, the subject and the
closing come from the template, and connecting words from the catalogue (``language``).
Lists of units are cut at :data:`MAX_NAMED` names ("… và 12 đơn vị khác"): a province
has thousands of units, the annex and the workbook carry them all. The data tables' rows
are written as XML text into the saved file, in place of a mark in each table: through
python-docx's cell API (quadratic in a table's rows) or even parsed and moved into the
document, an annex of 33,550 rows took 10 s and more; as text it takes about 1.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.table import _Cell as DocxCell
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.i18n import translations
from bot.language.shorten import shorten
from bot.services.periodic import (
    Behind,
    IndicatorReport,
    PeriodicReport,
    Said,
    Standing,
    TaskReport,
    UnitStanding,
)
from bot.views.common import and_more
from bot.views.documents.template import Issuer, ReportTemplate
from bot.views.documents.wording import (
    clean,
    decree_date,
    figure,
    measured,
    one_line,
    period_phrase,
    ratio_text,
    short_date,
    target_text,
    vn_date,
)

# Fixed by Nghị định 30/2020 (Điều 8, Phụ lục I and III): the words and the layout.
FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"
NUMBER_LABEL = "Số:"
RECIPIENTS_LABEL = "Kính gửi:"
DISTRIBUTION_LABEL = "Nơi nhận:"
ANNEX_LABEL = "Phụ lục"
ANNEX_REFERENCE = "(Kèm theo Báo cáo số {blank}/{symbol} ngày {blank} tháng {blank} năm {blank})"
BLANK = "……"  # what the clerk fills in: the number, the annex's date
PAGE_MM = (210, 297)  # A4 portrait
FIRST_LINE_CM = 1.27
SPACE_AFTER_PT = 6
LINE_SPACING = 1.15  # between single and 1.5 lines
# The motto's width in bold Times New Roman (measured on Liberation Serif, the same
# metrics), which its rule matches.
MOTTO_MM = {13: 56.5, 14: 61.0}
CELL_MARGIN_MM = 1.9  # Word's default left and right cell margin (0.08")
COMMITTEE = "ỦY BAN NHÂN DÂN"
CELL_STYLE = "Table Text"  # the paragraph style of the data tables' cells
MM_TWIPS = 1440 / 25.4  # twentieths of a point in a millimetre
ROWS_MARK = "dondoc-rows-"  # a comment in a table, where its rows go when saved
_ROWS = re.compile(f"<!--{ROWS_MARK}([0-9]+)-->")
DOCUMENT_PART = "word/document.xml"

MAX_NAMED = 10  # units named in one list before "và N đơn vị khác"
MAX_QUOTES = 3  # notes and reasons quoted per task
MAX_BEHIND_TASKS = 20  # overdue tasks listed in part III before "và N nhiệm vụ khác"
QUOTE_CHARS = 300  # a quoted note is cut at a word past this

T = TypeVar("T")
# What follows w:pgNumType in a w:sectPr (the schema's order).
_AFTER_PAGE_NUMBERING = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)

_STANDING_ORDER = (
    Standing.OVERDUE,
    Standing.LATE,
    Standing.IN_PROGRESS,
    Standing.NOT_APPLICABLE,
    Standing.DONE,
    Standing.NOT_REPORTED,
)


def report_docx(
    report: PeriodicReport,
    template: ReportTemplate,
    chart_png: bytes | None,
    language: str,
) -> bytes:
    """The report as ``.docx`` bytes. Never fails for want of data: a window in which
    nothing was sent is said to be so in the text."""
    writer = _Writer(report, template, translations(language).gettext)
    writer.write(chart_png)
    return writer.save()


class _Writer:
    def __init__(self, report: PeriodicReport, template: ReportTemplate, _: Any) -> None:
        self.report = report
        self.template = template
        self._ = _
        self.size = template.font_size
        margins = template.margins
        self.width_mm = PAGE_MM[0] - margins.left - margins.right
        self.issuer: Issuer = template.issuer_for(report.plan_issuer, report.unit)
        self.period = period_phrase(report.period, _)
        self.doc: DocumentObject = Document()
        self.rows: list[str] = []  # the data tables' rows, as XML (see table)
        self._page()
        self._styles()

    # -- document setup ----------------------------------------------------------------
    def _page(self) -> None:
        section = self.doc.sections[0]
        margins = self.template.margins
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
        section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # Page numbers: centred in the top margin, not on the first page.
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph, self.size)

    def _styles(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:  # the theme's fonts would win in the East Asian slot
            for fonts in defaults.iter(qn("w:rFonts")):
                _set_fonts(fonts)
            for lang in defaults.iter(qn("w:lang")):
                lang.set(qn("w:val"), "vi-VN")
                lang.set(qn("w:eastAsia"), "vi-VN")
        for name in ("Normal", "Header", "Footer"):
            if name not in [s.name for s in styles]:
                continue
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(self.size)
            _set_fonts(style.element.get_or_add_rPr().get_or_add_rFonts())
            rpr = style.element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "vi-VN")
            lang.set(qn("w:eastAsia"), "vi-VN")
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(0), Pt(0)
            fmt.line_spacing = 1.0
        # The text of the data tables: one point smaller, a little air above and below.
        cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = styles["Normal"]
        cell.font.size = Pt(self.size - 1)
        fmt = cell.paragraph_format
        fmt.space_before, fmt.space_after = Pt(1), Pt(1)
        fmt.first_line_indent = Cm(0)
        fmt.line_spacing = 1.0
        self.cell_style = cell.style_id

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        if not self.rows:
            return buffer.getvalue()
        return _with_rows(buffer.getvalue(), self.rows)

    # -- paragraphs --------------------------------------------------------------------
    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        size: int | None = None,
        after: float = SPACE_AFTER_PT,
        before: float = 0,
        spacing: float = LINE_SPACING,
        keep: bool = False,
        container: Any = None,
    ) -> Paragraph:
        """A paragraph of the body (justified, first line indented) unless told else."""
        if container is None:
            paragraph = self.doc.add_paragraph()
        elif _is_fresh_cell(container):
            paragraph = container.paragraphs[0]
        else:
            paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(FIRST_LINE_CM) if indent else Cm(0)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = spacing
        fmt.keep_with_next = keep
        if text:
            self.run(paragraph, text, bold=bold, italic=italic, size=size)
        return paragraph

    def run(
        self,
        paragraph: Paragraph,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        highlight: bool = False,
    ) -> None:
        lines = clean(text).split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = bold or None
            run.italic = italic or None
            if size is not None and size != self.size:
                run.font.size = Pt(size)
            if highlight:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if index < len(lines) - 1:
                run.add_break()

    def rule(self, container: Any, width_mm: float, column_mm: float) -> None:
        """A short solid rule, centred: an empty paragraph with a bottom border."""
        paragraph = container.add_paragraph()
        # The border, and the paragraph mark's size (it sets the empty line's height),
        # go in first: python-docx puts what it sets next in the schema's order around them.
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
                'w:color="000000"/></w:pBdr>'
            )
        )
        ppr.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>'))
        fmt = paragraph.paragraph_format
        inner = column_mm - 2 * CELL_MARGIN_MM
        side = max((inner - width_mm) / 2, 0)
        fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
        fmt.first_line_indent = Mm(0)
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing = 1.0

    def heading(self, text: str) -> None:
        """ "I. KẾT QUẢ THỰC HIỆN": capitals, bold (the decree's mục)."""
        self.para(text.upper(), bold=True, keep=True, before=6)

    def subheading(self, text: str) -> None:
        self.para(text, bold=True, keep=True)

    # -- the whole ---------------------------------------------------------------------
    def write(self, chart_png: bytes | None) -> None:
        self.header_table()
        self.title()
        self.recipients()
        self.results(chart_png)
        self.indicators()
        self.shortcomings()
        self.next_period()
        self.proposals()
        self.closing()
        self.signature()
        if self.has_annex:
            self.annex()

    # -- header ------------------------------------------------------------------------
    def header_table(self) -> None:
        left_mm = round(self.width_mm * 0.4, 1)
        right_mm = self.width_mm - left_mm
        table = self._plain_table(2, [left_mm, right_mm])
        issuer = self.issuer
        issuing = _break_committee(issuer.issuing_body.upper()) or BLANK
        # The bodies in 12 or 13 points, the Quốc hiệu in 12 or 13 (the decree's
        # ranges): 13 with a 14-point text when the lines fit their column.
        lines = [*issuer.governing_body.upper().split("\n"), *issuing.split("\n")]
        longest = max(len(line) for line in lines)
        room = left_mm - 2 * CELL_MARGIN_MM
        body_size = 13 if self.size == 14 and _caps_width_mm(longest, 13) <= room else 12
        national_size = 13 if self.size == 14 and right_mm - 2 * CELL_MARGIN_MM >= 97 else 12
        left, right = table.cell(0, 0), table.cell(0, 1)
        if issuer.governing_body:
            self.header_line(issuer.governing_body.upper(), left, size=body_size)
        self.header_line(issuing, left, bold=True, size=body_size)
        longest = max(len(line) for line in issuing.split("\n"))
        self.rule(left, min(_caps_width_mm(longest, body_size) * 0.45, room), left_mm)
        self.header_line(NATIONAL_NAME, right, bold=True, size=national_size)
        self.header_line(MOTTO, right, bold=True)
        self.rule(right, MOTTO_MM[self.size], right_mm)
        number, place = table.cell(1, 0), table.cell(1, 1)
        symbol = self.template.number_symbol
        self.header_line(f"{NUMBER_LABEL} {BLANK}/{symbol}", number, size=13, before=6)
        day, month, year = decree_date(self.report.made_on)
        self.header_line(
            f"{self.issuer.place or BLANK}, ngày {day} tháng {month} năm {year}",
            place,
            italic=True,
            before=6,
        )

    def header_line(self, text: str, container: Any, **style: Any) -> None:
        """One centred line of the header table, single-spaced, nothing after it."""
        self.para(
            text,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            after=0,
            spacing=1.0,
            container=container,
            **style,
        )

    def title(self) -> None:
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.para(DOCUMENT_TYPE, bold=True, align=center, indent=False, before=18, after=0)
        subject = self.template.subject.format(period=self.period)
        self.para(subject, bold=True, align=center, indent=False, after=0, spacing=1.0)
        self.rule(self.doc, self.width_mm / 3, self.width_mm + 2 * CELL_MARGIN_MM)
        start, end = self.report.window
        window = self._("(Figures from {start} to {end})").format(
            start=short_date(start), end=short_date(end)
        )
        self.para(window, italic=True, align=center, indent=False, before=6, after=6)

    def recipients(self) -> None:
        names = self.issuer.recipients
        if not names:
            return
        if len(names) == 1:
            self.para(
                f"{RECIPIENTS_LABEL} {_list_line(names[0], last=True)[2:]}",
                align=WD_ALIGN_PARAGRAPH.CENTER,
                indent=False,
                after=12,
            )
            return
        # Several: one per line, "- …;" and the last "- … .", aligned on the dash.
        label_mm = 25
        left = self.width_mm * 0.18
        for index, name in enumerate(names):
            last = index == len(names) - 1
            line = _list_line(name, last=last)
            paragraph = self.para(
                f"{RECIPIENTS_LABEL}\t{line}" if index == 0 else line,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                indent=False,
                after=12 if last else 0,
            )
            fmt = paragraph.paragraph_format
            fmt.left_indent = Mm(left + label_mm)
            fmt.first_line_indent = Mm(-label_mm) if index == 0 else Mm(0)

    # -- I. results --------------------------------------------------------------------
    def results(self, chart_png: bytes | None) -> None:
        _ = self._
        report = self.report
        self.heading(self.template.headings.results)
        self.para(
            _("Pursuant to {plan}, the results of {period} are as follows.").format(
                plan=one_line(report.plan_title), period=self.period
            )
        )
        start, end = report.window
        if not report.reported:
            if report.unit is None:
                text = _("No unit sent any report from {start} to {end}.")
            else:
                text = _("{unit} sent no report from {start} to {end}.")
            self.para(text.format(unit=report.unit, start=short_date(start), end=short_date(end)))
        elif report.unit is None and report.units:
            sent = len(report.units) - len(report.silent)
            self.para(
                _("{sent} of {total} units sent reports from {start} to {end}.").format(
                    sent=figure(sent),
                    total=figure(len(report.units)),
                    start=short_date(start),
                    end=short_date(end),
                )
            )
        counts = self._counts_text()
        if counts:
            self.para(counts)
        number = 0
        for section in report.sections:
            if not section.tasks:
                continue
            if section.title.strip():
                number += 1
                self.subheading(f"{number}. {_strip_numbering(one_line(section.title))}")
            for task in section.tasks:
                self.task(task)
        if not any(section.tasks for section in report.sections):
            self.para(_("The plan holds no task."))
        if chart_png:
            self.chart(chart_png)

    def _counts_text(self) -> str:
        _ = self._
        words = self._standing_words()
        parts = [
            f"{words[standing]} {figure(self.report.count(standing))}"
            for standing in (
                Standing.DONE,
                Standing.LATE,
                Standing.OVERDUE,
                Standing.IN_PROGRESS,
                Standing.NOT_REPORTED,
                Standing.NOT_APPLICABLE,
            )
            if self.report.count(standing)
        ]
        if not parts:
            return ""
        return _("Tasks of the lead units at the end of the window: {parts}.").format(
            parts="; ".join(parts)
        )

    def _standing_words(self) -> dict[Standing, str]:
        _ = self._
        return {
            Standing.DONE: _("completed on time"),
            Standing.LATE: _("completed late"),
            Standing.OVERDUE: _("past the deadline"),
            Standing.IN_PROGRESS: _("under way"),
            Standing.NOT_REPORTED: _("not yet reported"),
            Standing.NOT_APPLICABLE: _("does not apply"),
        }

    def task(self, task: TaskReport) -> None:
        _ = self._
        paragraph = self.para()
        self.run(paragraph, f"{task.code}. " if task.code else "", bold=True)
        self.run(paragraph, one_line(task.content))
        details = []
        if task.lead_text:
            details.append(_("lead: {units}").format(units=one_line(task.lead_text)))
        if task.due:
            deadline = _("deadline: {date}").format(date=vn_date(task.due))
            if task.moved_from is not None:
                deadline += " " + _("(extended from {date})").format(date=vn_date(task.moved_from))
            elif task.moved:
                deadline += " " + _("(set by the office)")
            details.append(deadline)
        elif task.timeframe_text:
            details.append(_("timeframe: {text}").format(text=one_line(task.timeframe_text)))
        if details:
            self.run(paragraph, f" ({'; '.join(details)})", italic=True)
        self.run(paragraph, ".")
        self.para(_first_upper(self.standing_text(task)))
        quotes = self.quotes(task.units)
        if quotes:
            self.para(_("Units wrote: {quotes}").format(quotes=quotes))

    def standing_text(self, task: TaskReport) -> str:
        """ "đã hoàn thành đúng hạn: 12/15 đơn vị; hoàn thành muộn: 1 (Xã A – 2 ngày);
        quá hạn: 2 (Xã B – 12 ngày, Xã C – 3 ngày); …" from the lead units."""
        _ = self._
        units = [u for u in task.units if u.lead] or list(task.units)
        end = self.report.window[1]
        if not units:
            return _("no unit is assigned.")
        if all(u.standing is Standing.NOT_REPORTED for u in units):
            if task.due and task.due > end:
                return _("not due yet (deadline {date}); no unit has reported.").format(
                    date=vn_date(task.due)
                )
            return _("no unit has reported.")
        if self.report.unit is not None and len(units) == 1:
            if not units[0].lead:  # the unit cooperates on a task another unit leads
                return _("As a cooperating unit: {standing}.").format(
                    standing=self._one_standing(units[0])
                )
            return self._one_standing(units[0]) + "."
        words = self._standing_words()
        by: dict[Standing, list[UnitStanding]] = {s: [] for s in Standing}
        for unit in units:
            by[unit.standing].append(unit)
        parts = [
            _("{standing}: {count}/{total} units").format(
                standing=words[Standing.DONE],
                count=figure(len(by[Standing.DONE])),
                total=figure(len(units)),
            )
        ]
        for standing in (
            Standing.LATE,
            Standing.OVERDUE,
            Standing.IN_PROGRESS,
            Standing.NOT_REPORTED,
            Standing.NOT_APPLICABLE,
        ):
            group = by[standing]
            if not group:
                continue
            if standing in (Standing.LATE, Standing.OVERDUE):
                group = sorted(group, key=lambda u: -(u.days_late or 0))
            parts.append(
                f"{words[standing]}: {figure(len(group))} ({self.some(group, self._named)})"
            )
        return "; ".join(parts) + "."

    def _named(self, unit: UnitStanding) -> str:
        """ "Xã B – 12 ngày", "Xã D – 50%", "Xã E"."""
        _ = self._
        name = one_line(unit.unit)
        if unit.standing in (Standing.LATE, Standing.OVERDUE) and unit.days_late is not None:
            return f"{name} – " + _("{days} days").format(days=figure(unit.days_late))
        if unit.standing is Standing.IN_PROGRESS and unit.percent is not None:
            return f"{name} – {unit.percent}%"
        return name

    def _one_standing(self, unit: UnitStanding) -> str:
        _ = self._
        text = self._standing_words()[unit.standing]
        if unit.standing in (Standing.LATE, Standing.OVERDUE) and unit.days_late is not None:
            text += " " + _("{days} days").format(days=figure(unit.days_late))
        elif unit.standing is Standing.IN_PROGRESS and unit.percent is not None:
            text += f" ({unit.percent}%)"
        if unit.reported_at is not None and unit.standing is not Standing.OVERDUE:
            text += " " + _("(reported on {date})").format(date=vn_date(unit.reported_at.date()))
        return text

    def quotes(self, units: Sequence[UnitStanding]) -> str:
        """The last note of each unit, units most behind first: "Xã B (12/09/2025):
        “vướng do thiếu máy”; … và 4 ý kiến khác"."""
        rank = {standing: index for index, standing in enumerate(_STANDING_ORDER)}
        ordered = sorted(
            (u for u in units if u.said),
            key=lambda u: (rank[u.standing], -(u.days_late or 0)),
        )
        shown = [self._quote(u.unit, u.said[-1]) for u in ordered[:MAX_QUOTES]]
        if not shown:
            return ""
        left = sum(len(u.said) for u in units) - len(shown)
        text = "; ".join(shown)
        if left > 0:
            text += " " + self._("and {count} more notes").format(count=figure(left))
        return text + "."

    def _quote(self, unit: str, said: Said) -> str:
        text = shorten(one_line(said.text), QUOTE_CHARS)
        return f"{one_line(unit)} ({vn_date(said.at.date())}): “{text}”"

    def some(self, items: Sequence[T], name: Callable[[T], str] = one_line) -> str:
        """The first :data:`MAX_NAMED` items named, the rest counted: "Xã A, Xã B và 12
        đơn vị khác" (only those shown are named: a list may hold thousands)."""
        text = ", ".join(name(item) for item in items[:MAX_NAMED])
        if len(items) > MAX_NAMED:
            text += " " + and_more(len(items) - MAX_NAMED, "units", self._)
        return text

    def chart(self, png: bytes) -> None:
        paragraph = self.para(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=6)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(self.width_mm))

    # -- II. indicators ----------------------------------------------------------------
    @property
    def has_annex(self) -> bool:
        return self.report.unit is None and any(i.units for i in self.report.indicators)

    def indicators(self) -> None:
        _ = self._
        self.heading(self.template.headings.indicators)
        indicators = self.report.indicators
        if not indicators:
            self.para(_("The plan sets no indicator."))
            return
        if self.report.unit is None:
            intro = _(
                "The area's value of each indicator is the sum of the units' numerators "
                "over the sum of their denominators; each unit's figures are in the annex."
            )
            if not self.has_annex:
                intro = _(
                    "The area's value of each indicator is the sum of the units' "
                    "numerators over the sum of their denominators."
                )
            self.para(intro)
        area = self.report.unit is None
        columns = [
            (_("No."), 12.0, "center"),
            (_("Indicator"), 41.0, "left"),
            (_("Target"), 20.0, "center"),
            (_("Result"), 22.0, "center"),
            (_("Numerator/denominator"), 30.0, "center"),
            *([(_("Units reported"), 18.0, "center")] if area else []),
            (_("Assessment"), 22.0, "center"),
        ]
        rows = []
        for index, indicator in enumerate(indicators, 1):
            value = indicator.value
            reported = f"{figure(len(indicator.units))}/{figure(indicator.expected)}"
            if indicator.nothing_arose:
                reported += "\n" + _("{count} nothing arose").format(
                    count=figure(len(indicator.nothing_arose))
                )
            rows.append(
                [
                    str(index),
                    _indicator_name(indicator, index),
                    target_text(indicator.comparator, indicator.target, indicator.measure),
                    measured(value, indicator.measure) if value is not None else _("no figures"),
                    ratio_text(indicator.numerator, indicator.denominator),
                    *([reported] if area else []),
                    self._meets(indicator.meets, value),
                ]
            )
        self.table(columns, rows)

    def _meets(self, meets: bool | None, value: Any) -> str:
        _ = self._
        if value is None:
            return ""
        if meets is None:
            return _("no target")
        return _("met") if meets else _("not met")

    # -- III. shortcomings -------------------------------------------------------------
    def shortcomings(self) -> None:
        _ = self._
        report = self.report
        self.heading(self.template.headings.shortcomings)
        # Standings are as of the window's end, or of today while it is still open.
        end = short_date(min(report.window[1], report.made_on))
        if not report.behind:
            self.para(_("At the end of the window ({date}) no unit was overdue.").format(date=end))
        else:
            groups: dict[str, list[Behind]] = {}
            # Most days late first: the units of a task, and the tasks by their latest unit.
            for item in sorted(report.behind, key=lambda item: -item.days_late):
                groups.setdefault(item.code, []).append(item)
            units = {item.unit_id for item in report.behind}
            self.para(
                _(
                    "At the end of the window ({date}), {units} units had not finished "
                    "{tasks} tasks past their deadline:"
                ).format(date=end, units=figure(len(units)), tasks=figure(len(groups)))
            )
            for items in list(groups.values())[:MAX_BEHIND_TASKS]:
                self.para(self._behind_line(items))
            if len(groups) > MAX_BEHIND_TASKS:
                self.para("- " + and_more(len(groups) - MAX_BEHIND_TASKS, "tasks", _) + ".")
        if report.unit is None and report.silent:
            self.para(
                _("Units that sent nothing in the window: {count} ({names}).").format(
                    count=figure(len(report.silent)),
                    names=self.some(report.silent),
                )
            )

    def _behind_line(self, items: Sequence[Behind]) -> str:
        """One overdue task and its units, most late first, with the reasons they gave:
        "- Nhiệm vụ 3.1 Niêm yết… (hạn 01/09/2025): 14 đơn vị quá hạn: Phường 3 – 13
        ngày, … và 4 đơn vị khác. Lý do đơn vị nêu: Xã B (08/09/2025): “…”."""
        _ = self._
        first = items[0]
        task = _("task {code} {content} (deadline {date})").format(
            code=first.code, content=shorten(one_line(first.content), 90), date=vn_date(first.due)
        )
        if self.report.unit is not None and len(items) == 1:
            late = _("{days} days late").format(days=figure(first.days_late))
        else:
            late = _("{count} units past the deadline: {names}").format(
                count=figure(len(items)), names=self.some(items, self._late_unit)
            )
        text = f"- {_first_upper(task)}: {late}"
        with_said = [item for item in items if item.said]
        if with_said:
            reasons = [self._quote(item.unit, item.said[-1]) for item in with_said[:MAX_QUOTES]]
            left = sum(len(item.said) for item in items) - len(reasons)
            quoted = "; ".join(reasons)
            if left > 0:
                quoted += " " + _("and {count} more notes").format(count=figure(left))
            text += ". " + _("Reasons given: {reasons}").format(reasons=quoted)
        return text + "."

    def _late_unit(self, item: Behind) -> str:
        return f"{one_line(item.unit)} – " + self._("{days} days").format(
            days=figure(item.days_late)
        )

    # -- IV. next period ---------------------------------------------------------------
    def next_period(self) -> None:
        _ = self._
        report = self.report
        self.heading(self.template.headings.next_period)
        following = period_phrase(report.next_period, _)
        if not report.upcoming:
            self.para(_("No task of the plan falls due in {period}.").format(period=following))
            return
        self.para(_("Tasks of the plan falling due in {period}:").format(period=following))
        for item in report.upcoming:
            text = f"- {item.code} {one_line(item.content)} (" + _("deadline {date}").format(
                date=vn_date(item.due)
            )
            if report.unit is None and item.units:
                text += "; " + self.some(item.units)
            self.para(text + ").")

    # -- V. proposals, closing, signature ----------------------------------------------
    def proposals(self) -> None:
        self.heading(self.template.headings.proposals)
        paragraph = self.para()
        self.run(
            paragraph,
            self._("[The office adds its proposals and recommendations here.]"),
            highlight=True,
        )

    def closing(self) -> None:
        if self.template.closing:
            # Kept with the signature: a signature never stands alone on a page.
            self.para(self.template.closing.format(period=self.period), keep=True)

    def signature(self) -> None:
        left_mm = round(self.width_mm * 0.45, 1)
        right_mm = self.width_mm - left_mm
        spacer = self.para(after=0, indent=False)
        spacer.paragraph_format.keep_with_next = True
        table = self._plain_table(1, [left_mm, right_mm])
        for row in table.rows:  # the block stays on one page
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        left, right = table.cell(0, 0), table.cell(0, 1)
        left_align = WD_ALIGN_PARAGRAPH.LEFT
        self.para(
            DISTRIBUTION_LABEL,
            bold=True,
            italic=True,
            align=left_align,
            indent=False,
            size=12,
            after=0,
            spacing=1.0,
            container=left,
        )
        lines = self.template.distribution
        for index, line in enumerate(lines):
            self.para(
                _list_line(line, last=index == len(lines) - 1),
                align=left_align,
                indent=False,
                size=11,
                after=0,
                spacing=1.0,
                container=left,
            )
        center = WD_ALIGN_PARAGRAPH.CENTER
        signature = self.template.signature
        for text in (signature.authority, signature.title):
            if text:
                self.para(
                    text.upper(),
                    bold=True,
                    align=center,
                    indent=False,
                    after=0,
                    spacing=1.0,
                    container=right,
                )
        for _line in range(4):  # room for the signature and the seal
            self.para(indent=False, after=0, spacing=1.0, container=right)
        self.para(
            signature.signer,
            bold=True,
            align=center,
            indent=False,
            after=0,
            spacing=1.0,
            container=right,
        )

    # -- annex -------------------------------------------------------------------------
    def annex(self) -> None:
        _ = self._
        self.doc.add_section(WD_SECTION.NEW_PAGE)
        # The paragraph that now holds the body's section break: no blank line of its own.
        holder = self.doc.paragraphs[-1].paragraph_format
        holder.space_after, holder.line_spacing = Pt(0), 1.0
        sect_pr = self.doc.sections[-1]._sectPr
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")  # the annex is numbered on its own
        sect_pr.insert_element_before(numbering, *_AFTER_PAGE_NUMBERING)
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.para(ANNEX_LABEL, bold=True, align=center, indent=False, size=14, after=0)
        self.para(
            self.template.headings.annex.upper(),
            bold=True,
            align=center,
            indent=False,
            after=0,
        )
        self.para(
            ANNEX_REFERENCE.format(blank=BLANK, symbol=self.template.number_symbol),
            italic=True,
            align=center,
            indent=False,
            after=12,
        )
        number = 0
        for indicator in self.report.indicators:
            if not indicator.units:
                continue
            number += 1
            facts = []
            target = target_text(indicator.comparator, indicator.target, indicator.measure)
            if target:
                facts.append(_("target {target}").format(target=target))
            if indicator.value is not None:
                facts.append(
                    _("area {value}").format(value=measured(indicator.value, indicator.measure))
                )
            facts.append(
                _("{count}/{expected} units reported").format(
                    count=figure(len(indicator.units)), expected=figure(indicator.expected)
                )
            )
            self.para(
                f"{number}. {_indicator_name(indicator, number)} ({'; '.join(facts)})",
                bold=True,
                indent=False,
                keep=True,
            )
            columns = [
                (_("No."), 12.0, "center"),
                (_("Unit"), 44.0, "left"),
                (_("Numerator"), 22.0, "right"),
                (_("Denominator"), 22.0, "right"),
                (_("Result"), 26.0, "right"),
                (_("Assessment"), 24.0, "center"),
                (_("Reported on"), 25.0, "center"),
            ]
            self.table(columns, self._annex_rows(indicator))
            if indicator.nothing_arose:
                names = ", ".join(one_line(name) for name in indicator.nothing_arose)
                self.para(_("Nothing arose in the period for: {units}.").format(units=names))
            self.para(after=0, indent=False)

    def _annex_rows(self, indicator: IndicatorReport) -> Iterable[list[str]]:
        measure = indicator.measure
        for index, unit in enumerate(indicator.units, 1):
            yield [
                str(index),
                one_line(unit.unit),
                "" if unit.numerator is None else figure(unit.numerator),
                "" if unit.denominator is None else figure(unit.denominator),
                measured(unit.value, measure),
                self._meets(unit.meets, unit.value),
                vn_date(unit.reported_at.date()),
            ]

    # -- tables ------------------------------------------------------------------------
    def _plain_table(self, rows: int, widths_mm: Sequence[float]) -> Table:
        """A borderless layout table (the header, the signature block)."""
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # a fixed layout: the widths below hold
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
        return table

    def table(
        self,
        columns: Sequence[tuple[str, float, str]],
        rows: Iterable[Sequence[str]],
    ) -> None:
        """A bordered table of texts, written as XML at once: ``columns`` are (heading,
        width in mm, alignment: left, center or right), the widths scaled to the text's;
        the heading row repeats on every page, no row is split across pages."""
        scale = self.width_mm / sum(width for _h, width, _a in columns)
        twips = [round(width * scale * MM_TWIPS) for _h, width, _a in columns]
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        parts = [
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/>'
            '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
            + "</w:tblGrid>"
        ]
        style = f'<w:pStyle w:val="{self.cell_style}"/>'
        heading = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr>{style}<w:jc w:val="center"/></w:pPr>'
            f"<w:r><w:rPr><w:b/></w:rPr>{_text_xml(text)}</w:r></w:p></w:tc>"
            for (text, _w, _a), w in zip(columns, twips, strict=True)
        )
        parts.append(f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{heading}</w:tr>")
        parts.append("</w:tbl>")
        table = parse_xml("".join(parts))
        self.doc.element.body.get_or_add_sectPr().addprevious(table)
        # Each cell is its column's opening, its text, and the same closing.
        openings = [
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{style}'
            + ("" if align == "left" else f'<w:jc w:val="{align}"/>')
            + "</w:pPr>"
            for (_h, _w, align), w in zip(columns, twips, strict=True)
        ]
        closing = "</w:p></w:tc>"
        body: list[str] = []
        for row in rows:
            body.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            body.extend(
                f"{opening}<w:r>{_text_xml(text)}</w:r>{closing}" if text else opening + closing
                for opening, text in zip(openings, row, strict=True)
            )
            body.append("</w:tr>")
        # The rows go in as text when the document is saved (:meth:`save`): parsing them
        # and moving them into the document would cost more than writing them.
        table.append(etree.Comment(f"{ROWS_MARK}{len(self.rows)}"))
        self.rows.append("".join(body))


# -----------------------------------------------------------------------------------------
# helpers
# -----------------------------------------------------------------------------------------


def _with_rows(docx: bytes, rows: Sequence[str]) -> bytes:
    """The saved document with each table's rows written in place of its mark."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == DOCUMENT_PART:
                xml = _ROWS.sub(lambda m: rows[int(m[1])], content.decode("utf-8"))
                content = xml.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _text_xml(text: str) -> str:
    """A run's text: line breaks as ``w:br``, escaped, without characters XML refuses."""
    text = escape(clean(text))
    if "\n" not in text:
        return f'<w:t xml:space="preserve">{text}</w:t>'
    return "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in text.split("\n"))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _list_line(text: str, *, last: bool) -> str:
    """ "- Như trên;" in a list of recipients, the last line ending with "." (or with the
    "…" the clerk completes)."""
    text = text.rstrip(" .;")
    if last:
        return f"- {text}" if text.endswith("…") else f"- {text}."
    return f"- {text};"


def _set_fonts(fonts: Any) -> None:
    """Times New Roman in every slot (Latin, high ANSI, East Asian, complex script)."""
    for name in list(fonts.attrib):
        if name.lower().endswith("theme"):  # asciiTheme … cstheme: they win over a name
            del fonts.attrib[name]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _page_field(paragraph: Paragraph, size: int) -> None:
    """A PAGE field: the page's number, as Word and LibreOffice compute it."""

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run.font.size = Pt(size)
    run._r.append(char("begin"))
    instruction = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("2")
    paragraph.add_run()._r.append(char("end"))


def _is_fresh_cell(container: Any) -> bool:
    """A table cell still holding only its first, empty paragraph."""
    if not isinstance(container, DocxCell):
        return False
    paragraphs = container.paragraphs
    return len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs


def _break_committee(name: str) -> str:
    """ "ỦY BAN NHÂN DÂN\\nTHỊ XÃ SƠN TÂY": the committee's words on a line of their own,
    as the issuing body is set in the header's narrow column."""
    if name.startswith(COMMITTEE + " ") and "\n" not in name:
        return COMMITTEE + "\n" + name[len(COMMITTEE) + 1 :]
    return name


def _caps_width_mm(chars: int, size: float) -> float:
    """The width of a line of capitals, from above (measured on Vietnamese names in
    Liberation Serif, Times New Roman's metrics: 0.20–0.22 mm per character and point)."""
    return chars * size * 0.225


def _indicator_name(indicator: IndicatorReport, number: int | None = None) -> str:
    """The name with the plan's code before it, unless the code is the number the row
    already shows ("1" in row 1) or the name starts with it."""
    name = one_line(indicator.name)
    code = one_line(indicator.code)
    if not code or name.startswith(code) or code == str(number):
        return name
    return f"{code}. {name}"


def _strip_numbering(title: str) -> str:
    """A section's own numbering dropped ("II. CÔNG BỐ…", "2. Công bố…"): the report
    numbers its parts itself."""
    head, _sep, rest = title.partition(" ")
    marker = head.rstrip(".)")
    if rest and head != marker and (marker.isdigit() or _is_roman(marker)):
        return rest.strip()
    return title


def _is_roman(text: str) -> bool:
    return bool(text) and all(ch in "IVXLC" for ch in text.upper()) and text.isupper()
