"""The periodic report's workbook (``.xlsx``): every figure of a
:class:`~bot.services.periodic.PeriodicReport`, one sheet per kind of fact. Pure: a
report and a language in, the file's bytes out.

Sheets (names and headers through gettext; the Vietnamese ones shown):

- **Tổng hợp**: the period, the window, the plan, the unit (a unit's own report), the day
  it was made, the lead units' tasks by standing (each label in its matrix colour, so the
  sheet is also the legend), indicators met and not met, the units that sent nothing, the
  units behind, the tasks due next period; an empty report says there is no data.
- **Tiến độ**: the task × unit matrix, one row per unit and one column per task (a
  province's 3,355 units fit as rows, not as columns). Three header rows: the task's
  content, its due date (a date cell; the timeframe as written when it has none) and its
  code (the filter row). A cell is the standing in short words and, on a second line, the
  day of the report behind it ("Muộn 3 ngày" / "12/09/2025"), filled by standing; a
  cooperating unit's cell is in italics; blank where the unit has no assignment.
- **Chỉ tiêu**: one row per indicator for the whole area (bold: Σ numerators,
  Σ denominators, the area's value), then one row per unit that sent a figure.
- **Theo tháng** (a period longer than a month): each indicator's figures for each of
  its months, the area's row and then each unit's.
- **Nhật ký**: every message that stored something in the window, oldest first: one row
  per message with what it stored in words ("1.1: đã xong", "CT1 …: 85/100", an undone
  fact marked "(đã hủy)") and the raw message; a message whose every fact was undone says
  "Đã hủy" and is struck through.
- **Chưa báo cáo**, **Chậm, quá hạn** (a row per unit overdue: its tasks with their days
  overdue, and its reasons),
  **Sắp đến hạn** (the tasks of the next period).

Numbers are stored as numbers, exactly as the model holds them (``Decimal`` → ``int`` when
whole, else ``float``): a "%" indicator's value and target are percentage points (85.5
means 85.5 %), shown with the format ``0.0`` and the measure in its own column; never a
fraction with a ``%`` format, so the number read from the cell is the number the unit
sent. Whole counts are shown ``#,##0``, others ``#,##0.00``; Excel shows the decimal comma
of the reader's locale. Dates and times are real date and datetime cells (``dd/mm/yyyy``,
``dd/mm/yyyy hh:mm``), local and naive. Every text goes through :func:`bot.sheets.store`,
so a message such as ``=HYPERLINK(…)`` or ``+84…`` stays text.

Every sheet has its header row bold on a fill, frozen with the first column, an
autofilter, set widths, long text wrapped, and prints in landscape on A4, fitted to the
page's width (the matrix when it has at most :data:`FIT_TASKS` tasks; a wider one prints
across pages with the units and the headers repeated).

Size: the workbook is written in openpyxl's write-only mode, each row streamed to disk as
it is made, so a quarter of 3,355 units × 50 tasks with a full log holds no cells in
memory (a normal workbook of the same took 600 MB more; writing is as fast either way:
openpyxl's cost per cell is the floor, about 10 µs). openpyxl looks a ``Font`` or
``Fill`` up in the workbook's lists every time one is set on a cell: here each
combination is made once per workbook (:class:`_Looks`) and its style array copied onto
the cells. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import translations
from bot.services.periodic import (
    Behind,
    LogEntry,
    PeriodicReport,
    Said,
    Standing,
    TaskReport,
    UnitStanding,
)
from bot.sheets import MAX_CELL_CHARS, store
from bot.views.common import and_more
from bot.views.documents import wording
from bot.views.reports import period_name, status_name

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0"  # a "%" measure: percentage points, one decimal shown
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
FIT_TASKS = 12  # a matrix of at most this many tasks is fitted to the page's width
LINE_HEIGHT = 15  # points: a line of 11-point Calibri
MAX_LINES = 27  # Excel's highest row is 409 points

# Fills (RGB): the standings' colours, the header, the area's rows, met and not met.
FILLS: dict[Standing, str] = {
    Standing.DONE: "C6EFCE",  # green
    Standing.LATE: "E3EFA9",  # yellow-green
    Standing.OVERDUE: "FFC7CE",  # red
    Standing.IN_PROGRESS: "DDEBF7",  # light blue
    Standing.NOT_REPORTED: "D9D9D9",  # grey
    Standing.NOT_APPLICABLE: "EDEDED",  # light grey
}
HEADER_FILL = "BDD7EE"
AREA_FILL = "FFF2CC"
MET_FILL = FILLS[Standing.DONE]
NOT_MET_FILL = FILLS[Standing.OVERDUE]
COMPARATORS = {">=": "≥", "<=": "≤", "=": "="}


class _Looks:
    """Cell styles made once per workbook, copied onto cells.

    A look is a font (bold, italic, struck through), a fill, a number format and
    whether text wraps; the first request makes it on a cell of a sheet that is never
    added to the workbook, later ones return the same style array."""

    def __init__(self, book: Workbook) -> None:
        self._sheet = Worksheet(book)  # a parent for the styles' cells, never saved
        self._arrays: dict[tuple[Any, ...], StyleArray] = {}
        self.wrapping: set[int] = set()  # id() of the looks whose text wraps

    def __call__(
        self,
        *,
        bold: bool = False,
        italic: bool = False,
        strike: bool = False,
        fill: str | None = None,
        number_format: str | None = None,
        wrap: bool = False,
        center: bool = False,
    ) -> StyleArray:
        key = (bold, italic, strike, fill, number_format, wrap, center)
        array = self._arrays.get(key)
        if array is None:
            cell = Cell(self._sheet)
            if bold or italic or strike:
                cell.font = Font(name="Calibri", size=11, bold=bold, italic=italic, strike=strike)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if number_format:
                cell.number_format = number_format
            cell.alignment = Alignment(  # top: beside a wrapped text in the same row
                wrap_text=wrap,
                vertical="center" if center else "top",
                horizontal="center" if center else None,
            )
            array = self._arrays[key] = cell._style
            if wrap:
                self.wrapping.add(id(array))
        return array


Look = StyleArray | None
Item = tuple[Any, Look]  # a cell to write: its value and its look


class _Sheet:
    """One write-only sheet: widths, frozen panes and print settings before its first
    row (openpyxl writes them first), rows appended in order, the filter at the end."""

    def __init__(
        self,
        book: Workbook,
        wrapping: set[int],
        title: str,
        widths: list[float],
        *,
        header_rows: int = 1,
        fit: bool = True,
    ) -> None:
        self.ws = ws = book.create_sheet(title[:31])
        self.wrapping = wrapping
        self.widths = widths
        self.header_rows = header_rows
        self.rows = 0
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = f"B{header_rows + 1}"
        ws.print_title_rows = f"1:{header_rows}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        if fit:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        else:
            ws.print_title_cols = "A:A"

    def row(self, items: Iterable[Item], max_lines: int = MAX_LINES) -> None:
        """Append one row, as high as its longest wrapped text needs (a workbook holds no
        heights that fit themselves: Excel and LibreOffice show the height written); an
        empty value without a look leaves its cell empty."""
        ws = self.ws
        cells: list[Cell | None] = []
        lines = 1
        for column, (value, look) in enumerate(items):
            if look is None and not isinstance(value, str):
                cells.append(value)  # a number or nothing: openpyxl's own cell takes it
                continue
            cell = WriteOnlyCell(ws)
            if look is not None:
                cell._style = copy(look)  # before store, which may mark it quoted
                if isinstance(value, str) and id(look) in self.wrapping:
                    lines = max(lines, _lines(value, self.widths[column]))
            cells.append(store(cell, value))
        self.rows += 1
        if lines > 1:
            ws.row_dimensions[self.rows].height = LINE_HEIGHT * min(lines, max_lines)
        ws.append(cells)  # written out at once: the row's height is not needed again
        ws.row_dimensions.pop(self.rows, None)

    def close(self) -> None:
        """The filter over the header's last row and every row below it."""
        last = get_column_letter(len(self.widths))
        bottom = max(self.rows, self.header_rows)
        self.ws.auto_filter.ref = f"A{self.header_rows}:{last}{bottom}"


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a little more
    than it needs: a letter is narrower than the digit a width counts)."""
    per_line = max(1, int(width))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _number(value: Decimal | int | None) -> int | float | None:
    """A figure for a cell: whole numbers as ``int``, others as ``float``."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _number_format(value: Decimal | None, measure: str) -> str:
    if measure == "%":
        return PERCENT_FORMAT
    if value is None or value == value.to_integral_value():
        return WHOLE_FORMAT
    return DECIMAL_FORMAT


def _naive(moment: datetime) -> datetime:
    """The model's local time as a cell takes it (Excel has no time zones)."""
    return moment.replace(tzinfo=None)


def _vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _joined(names: Iterable[str], _: Callable[[str], str], separator: str = "; ") -> str:
    """Names for one cell, as many as fit in Excel's limit, the rest counted."""
    names = list(names)
    shown: list[str] = []
    length = 0
    for name in names:
        length += len(name) + (len(separator) if shown else 0)
        if length > MAX_CELL_CHARS - 100:  # room for "và 1.234 đơn vị khác"
            rest = and_more(len(names) - len(shown), "units", _)
            return f"{separator.join(shown)} {rest}"
        shown.append(name)
    return separator.join(shown)


def _said_text(said: Iterable[Said]) -> str:
    return "\n".join(f"{_vn_date(item.at.date())}: {item.text}" for item in said)


def _short(standing: Standing, _: Callable[[str], str]) -> str:
    """A standing in the matrix's words, without its numbers: "Đúng hạn", "Quá hạn"."""
    return {
        Standing.DONE: _("On time"),
        Standing.LATE: _("Late"),
        Standing.OVERDUE: _("Overdue"),
        Standing.IN_PROGRESS: _("In progress"),
        Standing.NOT_REPORTED: _("Not reported"),
        Standing.NOT_APPLICABLE: _("Not applicable"),
    }[standing]


def standing_text(unit: UnitStanding, _: Callable[[str], str]) -> str:
    """One matrix cell: "Muộn 3 ngày", "Đang làm 50%", then the report's day on a second
    line when there is a report behind it."""
    text = _short(unit.standing, _)
    if unit.standing is Standing.LATE and unit.days_late is not None:
        text = _("Late by {days} days").format(days=unit.days_late)
    elif unit.standing is Standing.OVERDUE and unit.days_late is not None:
        text = _("Overdue by {days} days").format(days=unit.days_late)
    elif unit.standing is Standing.IN_PROGRESS and unit.percent is not None:
        text = _("In progress {percent}%").format(percent=unit.percent)
    if unit.reported_at is not None:
        text += "\n" + _vn_date(unit.reported_at.date())
    return text


class _Book:
    """One workbook being written: its looks and the sheets' helpers."""

    def __init__(self, language: str) -> None:
        self._ = translations(language).gettext
        self.book = Workbook(write_only=True)
        self.looks = _Looks(self.book)
        self.header = self.looks(bold=True, fill=HEADER_FILL, wrap=True, center=True)
        self.wrap = self.looks(wrap=True)
        self.top = self.looks()  # plain, at the top of a row a wrapped text makes high
        self.day = self.looks(number_format=DATE_FORMAT)

    def sheet(
        self,
        title: str,
        widths: list[float],
        headers: list[str] | None = None,
        **options: Any,
    ) -> _Sheet:
        sheet = _Sheet(self.book, self.looks.wrapping, title, widths, **options)
        if headers is not None:
            sheet.row((text, self.header) for text in headers)
        return sheet

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _tasks(report: PeriodicReport) -> list[TaskReport]:
    return [task for section in report.sections for task in section.tasks]


def _matrix_units(report: PeriodicReport, tasks: list[TaskReport]) -> list[tuple[int | None, str]]:
    """The matrix's rows: every unit of the report in its order, by id where the unit has
    an assignment (two units may share a name), then any unit of a task the report's
    list does not name."""
    by_name: dict[str, list[int]] = {}
    names: dict[int, str] = {}
    for task in tasks:
        for unit in task.units:
            if unit.unit_id not in names:
                names[unit.unit_id] = unit.unit
                by_name.setdefault(unit.unit, []).append(unit.unit_id)
    rows: list[tuple[int | None, str]] = []
    placed: set[int] = set()
    for name in dict.fromkeys(report.units):
        ids = sorted(by_name.get(name, ()))
        if not ids:
            rows.append((None, name))
        for unit_id in ids:
            rows.append((unit_id, name))
            placed.add(unit_id)
    rows.extend((unit_id, name) for unit_id, name in names.items() if unit_id not in placed)
    return rows


def _summary(out: _Book, report: PeriodicReport) -> None:
    _ = out._
    sheet = out.sheet(_("Summary"), [48, 70], [_("Item"), _("Value")])
    label = out.looks(wrap=True)
    section = out.looks(bold=True, wrap=True)
    rows: list[tuple[Item, Item]] = [
        ((_("Reporting period"), label), (period_name(report.period, _), out.wrap)),
        (
            (_("Figures from"), label),
            (f"{_vn_date(report.window[0])}–{_vn_date(report.window[1])}", out.wrap),
        ),
        ((_("Plan"), label), (report.plan_title, out.wrap)),
    ]
    if report.plan_issuer:
        rows.append(((_("Issued by"), label), (report.plan_issuer, out.wrap)))
    if report.plan_year:
        rows.append(((_("Plan year"), label), (report.plan_year, None)))
    if report.unit:
        rows.append(((_("Unit"), label), (report.unit, out.wrap)))
    rows.append(((_("Drafted on"), label), (report.made_on, out.day)))
    rows.append(((_("Reports received in the window"), label), (len(report.log), None)))
    if not report.reported:
        no_data = _("No report was sent in this window: there is no data.")
        rows.append(((_("Note"), section), (no_data, section)))
    rows.append(((_("Tasks by standing (lead units)"), section), (None, None)))
    for standing in Standing:
        rows.append(
            ((_short(standing, _), out.looks(fill=FILLS[standing])), (report.count(standing), None))
        )
    met = sum(1 for indicator in report.indicators if indicator.meets is True)
    not_met = sum(1 for indicator in report.indicators if indicator.meets is False)
    next_period = period_name(report.next_period, _)
    rows += [
        ((_("Indicators"), section), (len(report.indicators), None)),
        ((_("Indicators met"), out.looks(fill=MET_FILL)), (met, None)),
        ((_("Indicators not met"), out.looks(fill=NOT_MET_FILL)), (not_met, None)),
        (
            (_("Indicators not assessed (no figure or no target)"), label),
            (len(report.indicators) - met - not_met, None),
        ),
        ((_("Units that sent nothing"), label), (len(report.silent), None)),
        (
            (_("Units behind (overdue tasks)"), label),
            (len({item.unit_id for item in report.behind}), None),
        ),
        (
            (_("Tasks due in {period}").format(period=next_period), label),
            (len(report.upcoming), None),
        ),
        ((_("Legend"), section), (None, None)),
        (
            (_("Italics"), out.looks(italic=True, wrap=True)),
            (_("a cooperating unit (sheet “{sheet}”)").format(sheet=_("Progress")), out.wrap),
        ),
        (
            (_("Struck through"), out.looks(strike=True, wrap=True)),
            (_("an undone report (sheet “{sheet}”)").format(sheet=_("Log")), out.wrap),
        ),
    ]
    for row in rows:
        sheet.row(
            (value, out.top if look is None and value is not None else look) for value, look in row
        )
    sheet.close()


def _progress(out: _Book, report: PeriodicReport) -> None:
    _ = out._
    tasks = _tasks(report)
    sheet = out.sheet(
        _("Progress"), [40] + [16] * len(tasks), header_rows=3, fit=len(tasks) <= FIT_TASKS
    )
    due = out.looks(bold=True, fill=HEADER_FILL, number_format=DATE_FORMAT, center=True)
    sheet.row(
        [(_("Content"), out.header), *((task.content, out.header) for task in tasks)],
        max_lines=8,
    )
    sheet.row(
        [
            (_("Due date"), out.header),
            *(
                (task.due, due) if task.due else (task.timeframe_text or "", out.header)
                for task in tasks
            ),
        ]
    )
    sheet.row([(_("Unit"), out.header), *((task.code, out.header) for task in tasks)])
    looks = {
        (standing, lead): out.looks(fill=FILLS[standing], italic=not lead, wrap=True)
        for standing in Standing
        for lead in (True, False)
    }
    cells: dict[int | None, dict[int, UnitStanding]] = {}  # unit id → task → standing
    for column, task in enumerate(tasks):
        for unit in task.units:
            cells.setdefault(unit.unit_id, {})[column] = unit
    texts: dict[tuple[Any, ...], str] = {}  # a few hundred distinct texts in 170,000 cells
    blank: Item = (None, None)
    for unit_id, name in _matrix_units(report, tasks):
        row: list[Item] = [(name, out.wrap)] + [blank] * len(tasks)
        for column, unit in cells.get(unit_id, {}).items():
            day = unit.reported_at.date() if unit.reported_at else None
            key = (unit.standing, unit.days_late, unit.percent, day)
            text = texts.get(key)
            if text is None:
                text = texts[key] = standing_text(unit, _)
            row[column + 1] = (text, looks[(unit.standing, unit.lead)])
        sheet.row(row)
    sheet.close()


def _indicators(out: _Book, report: PeriodicReport) -> None:
    _ = out._
    looks = out.looks
    sheet = out.sheet(
        _("Indicators"),
        [10, 40, 34, 12, 12, 12, 10, 10, 12, 12, 17],
        [
            _("Code"),
            _("Indicator"),
            _("Unit"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Measure"),
            _("Comparison"),
            _("Target"),
            _("Result"),
            _("Reported on"),
        ],
    )
    area = looks(bold=True, fill=AREA_FILL)
    area_text = looks(bold=True, fill=AREA_FILL, wrap=True)
    reported_on = looks(number_format=DATETIME_FORMAT)

    def number(value: Decimal | None, measure: str, bold: bool) -> Item:
        number_format = _number_format(value, measure)
        if bold:
            return _number(value), looks(bold=True, fill=AREA_FILL, number_format=number_format)
        return _number(value), looks(number_format=number_format)

    def result(meets: bool | None, bold: bool) -> Item:
        if meets is None:
            return None, area if bold else None
        if meets:
            return _("Met"), looks(bold=bold, fill=MET_FILL)
        return _("Not met"), looks(bold=bold, fill=NOT_MET_FILL)

    for indicator in report.indicators:
        measure = indicator.measure if indicator.measure not in ("", "count") else None
        comparator = None
        if indicator.target is not None:
            comparator = COMPARATORS.get(indicator.comparator, indicator.comparator)
        whole = _("Whole area ({count}/{expected} units reported)").format(
            count=len(indicator.units), expected=indicator.expected
        )
        sheet.row(
            [
                (indicator.code, area),
                (indicator.name, area_text),
                (whole, area_text),
                number(indicator.numerator, "", True),
                number(indicator.denominator, "", True),
                number(indicator.value, indicator.measure, True),
                (measure, area),
                (comparator, area),
                number(indicator.target, indicator.measure, True),
                result(indicator.meets, True),
                (None, area),
            ]
        )
        code: Item = (indicator.code, out.top)
        name: Item = (indicator.name, out.wrap)
        fixed: list[Item] = [
            (measure, out.top),
            (comparator, out.top),
            number(indicator.target, indicator.measure, False),
        ]
        for figure in indicator.units:
            sheet.row(
                [
                    code,
                    name,
                    (figure.unit, out.wrap),
                    number(figure.numerator, "", False),
                    number(figure.denominator, "", False),
                    number(figure.value, indicator.measure, False),
                    *fixed,
                    result(figure.meets, False),
                    (_naive(figure.reported_at), reported_on),
                ]
            )
    sheet.close()


def _by_month(out: _Book, report: PeriodicReport) -> None:
    """The indicators' figures month by month (a quarter's three months, …): the area's
    row, then each unit's. Only for a period longer than a month."""
    if not any(indicator.months for indicator in report.indicators):
        return
    _ = out._
    looks = out.looks
    sheet = out.sheet(
        _("By month"),
        [10, 40, 12, 34, 12, 12, 12, 12],
        [
            _("Code"),
            _("Indicator"),
            _("Month"),
            _("Unit"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Result"),
        ],
    )
    area = looks(bold=True, fill=AREA_FILL)
    met, not_met = looks(fill=MET_FILL), looks(fill=NOT_MET_FILL)

    def number(value: Decimal | None, measure: str, look_of_area: bool) -> Item:
        number_format = _number_format(value, measure)
        if look_of_area:
            return _number(value), looks(bold=True, fill=AREA_FILL, number_format=number_format)
        return _number(value), looks(number_format=number_format)

    for indicator in report.indicators:
        code: Item = (indicator.code, out.top)
        name: Item = (indicator.name, out.wrap)
        for month in indicator.months:
            label = f"{month.period.start.month:02d}/{month.period.start.year}"
            whole = _("Whole area ({count}/{expected} units reported)").format(
                count=len(month.units), expected=indicator.expected
            )
            sheet.row(
                [
                    (indicator.code, area),
                    (indicator.name, area),
                    (label, area),
                    (whole, area),
                    number(month.numerator, "", True),
                    number(month.denominator, "", True),
                    number(month.value, indicator.measure, True),
                    (None, area),
                ]
            )
            for figure in month.units:
                meets = None
                if figure.meets is not None:
                    meets = (_("Met"), met) if figure.meets else (_("Not met"), not_met)
                sheet.row(
                    [
                        code,
                        name,
                        (label, out.top),
                        (figure.unit, out.wrap),
                        number(figure.numerator, "", False),
                        number(figure.denominator, "", False),
                        number(figure.value, indicator.measure, False),
                        meets or (None, None),
                    ]
                )
    sheet.close()


def _messages(log: Iterable[LogEntry]) -> list[list[LogEntry]]:
    """The log's facts by the message they came in (in the order of its first fact); a
    fact that came by no message is a row of its own."""
    grouped: dict[object, list[LogEntry]] = {}
    for index, entry in enumerate(log):
        key = ("message", entry.inbound_id) if entry.inbound_id is not None else index
        grouped.setdefault(key, []).append(entry)
    return list(grouped.values())


def _stored_words(entry: LogEntry, _: Any) -> str:
    """One fact in words: "1.1: đã xong", "2.1: đang thực hiện (50%)", "CT1 …: 85/100"."""
    if entry.status is not None:
        words = status_name(entry.status, _)
        if entry.percent is not None:
            words = f"{words} ({entry.percent}%)"
    elif entry.numerator is not None and entry.denominator is not None:
        words = wording.ratio_text(entry.numerator, entry.denominator)
    else:
        words = wording.figure(entry.figure) if entry.figure is not None else ""
    text = f"{entry.subject}: {words}"
    if entry.undone:
        text += " " + _("(undone)")
    return text


def _log(out: _Book, report: PeriodicReport) -> None:
    """One row per message: when, who, for which unit, what it stored (undone facts
    marked), the message as sent; a message whose every fact was undone is struck."""
    _ = out._
    looks = out.looks
    sheet = out.sheet(
        _("Log"),
        [17, 34, 24, 48, 70, 10],
        [
            _("Time"),
            _("Unit"),
            _("Sent by"),
            _("What was stored"),
            _("Message"),
            _("Undone"),
        ],
    )
    wrap, struck_wrap = out.wrap, looks(strike=True, wrap=True)
    plain = (looks(number_format=DATETIME_FORMAT), wrap, out.top, wrap, wrap, None)
    struck = (
        looks(number_format=DATETIME_FORMAT, strike=True),
        struck_wrap,
        looks(strike=True),
        struck_wrap,
        struck_wrap,
        looks(strike=True, bold=True),
    )
    undone = _("Undone")
    for facts in _messages(report.log):
        first = facts[0]
        gone = all(entry.undone for entry in facts)
        values = (
            _naive(first.at),
            first.unit,
            first.person,
            "\n".join(_stored_words(entry, _) for entry in facts),
            first.message,
            undone if gone else None,
        )
        sheet.row(zip(values, struck if gone else plain, strict=True))
    sheet.close()


def _silent(out: _Book, report: PeriodicReport) -> None:
    _ = out._
    sheet = out.sheet(_("Not reported"), [8, 60], [_("No."), _("Unit")])
    for number, name in enumerate(report.silent, start=1):
        sheet.row([(number, None), (name, out.wrap)])
    sheet.close()


def _behind(out: _Book, report: PeriodicReport) -> None:
    """A row per unit behind, most days overdue first: the office's list of whom to call
    (each task's cell is red in the matrix already): its overdue tasks with their days,
    and the reasons it gave."""
    _ = out._
    sheet = out.sheet(
        _("Behind"),
        [34, 10, 12, 50, 60],
        [
            _("Unit"),
            _("Overdue tasks"),
            _("Most days overdue"),
            _("Tasks (days overdue)"),
            _("Reasons given"),
        ],
    )
    units: dict[int, list[Behind]] = {}
    for item in report.behind:  # most days late first: a unit's first is its latest
        units.setdefault(item.unit_id, []).append(item)
    for items in units.values():
        tasks = "; ".join(f"{item.code} ({item.days_late})" for item in items)
        said = {said: None for item in items for said in item.said}  # once each, in order
        sheet.row(
            [
                (items[0].unit, out.wrap),
                (len(items), out.top),
                (items[0].days_late, out.top),
                (tasks, out.wrap),
                (_said_text(said) or None, out.wrap),
            ]
        )
    sheet.close()


def _upcoming(out: _Book, report: PeriodicReport) -> None:
    _ = out._
    sheet = out.sheet(
        _("Coming due"),
        [8, 60, 12, 10, 70],
        [_("Code"), _("Content"), _("Due date"), _("Number of units"), _("Units")],
    )
    for task in report.upcoming:
        sheet.row(
            [
                (task.code, out.top),
                (task.content, out.wrap),
                (task.due, out.day),
                (len(task.units), out.top),
                (_joined(task.units, _) or None, out.wrap),
            ]
        )
    sheet.close()


def report_xlsx(report: PeriodicReport, language: str) -> bytes:
    """The workbook of ``report`` with its headers in ``language`` (``vi`` or ``en``)."""
    out = _Book(language)
    _summary(out, report)
    _progress(out, report)
    _indicators(out, report)
    _by_month(out, report)
    _log(out, report)
    _silent(out, report)
    _behind(out, report)
    _upcoming(out, report)
    return out.save()
