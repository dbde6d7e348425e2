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
- **Theo tháng** (a period longer than a month): the months side by side, for each
  indicator the area's row and then each unit's, a month's numerator, denominator and
  value (filled green or red against the target).
- **Nhật ký**: every message that stored something in the window, oldest first: one row
  per message with what it stored in words ("1.1: đã xong", "CT1 …: 85/100", an undone
  fact marked "(đã hủy)") and the raw message; a message whose every fact was undone says
  "Đã hủy" and is struck through. Past :data:`WRAPPED_LOG` messages, a line a message.
- **Chưa báo cáo**, **Chậm, quá hạn** (a row per unit overdue: its tasks with their days
  overdue, and its reasons),
  **Sắp đến hạn** (the tasks of the next period).

Numbers are stored as numbers, exactly as the model holds them (``Decimal`` → ``int`` when
whole, else ``float``): a "%" indicator's value and target are percentage points (85.5
means 85.5 %), shown with the format ``0.0`` and the measure in its own column; never a
fraction with a ``%`` format, so the number read from the cell is the number the unit
sent. Whole counts are shown ``#,##0``, others ``#,##0.00``; Excel shows the decimal comma
of the reader's locale. Dates and times are real date and datetime cells (``dd/mm/yyyy``,
``dd/mm/yyyy hh:mm``), local and naive. Every text is stored as text (:mod:`bot.sheets`),
so a message such as ``=HYPERLINK(…)`` or ``+84…`` stays text.

Every sheet has its header row bold on a fill, frozen with the first column, an
autofilter, set widths, long text wrapped, and prints in landscape on A4, fitted to the
page's width (the matrix when it has at most :data:`FIT_TASKS` tasks; a wider one prints
across pages with the units and the headers repeated).

Size: the workbook is written in openpyxl's write-only mode, each row streamed to disk as
it is made, so a quarter of 3,355 units × 50 tasks with a full log holds no cells in
memory (a normal workbook of the same took 600 MB more). openpyxl's own work per cell is
the floor (about 6 µs a bare value, 11 µs a styled cell here), so what is ours is kept
small: each look is made once per workbook (:class:`_Looks`) and its style array shared
by the cells that have it, a sheet's cells are used again row after row, and a text that
needs no style goes in as a bare value. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import functools
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
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import translations
from bot.services.periodic import (
    Behind,
    LogEntry,
    PeriodicReport,
    Said,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
)
from bot.sheets import FORMULA_STARTS, MAX_CELL_CHARS, clean, plain, store
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
WRAPPED_LOG = 5_000  # messages: a longer log is a line a message (see _log)

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
        self.cells: list[Cell] = []  # one per column, used again on every row
        self.plain = StyleArray()  # a text without a look
        self.heights: dict[int, RowDimension] = {}  # lines → the rows' dimension
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
        empty value without a look leaves its cell empty.

        A styled cell or a text is one of the sheet's cells, one per column, used again
        on every row: ``append`` writes a row's cells out before it returns, so nothing
        holds them after it, and a million cells are not made (a fifth of the workbook's
        time). The look's style array is shared, not copied: only a text that needs
        the quote prefix gets a copy of its own."""
        ws = self.ws
        cells = self.cells
        row: list[Any] = []
        lines = 1
        for column, (value, look) in enumerate(items):
            if look is None:  # a number, nothing or a safe text: openpyxl's own cell
                bare = plain(value) if isinstance(value, str) else value
                if bare is not None or value is None:
                    row.append(bare)
                    continue
            if column >= len(cells):
                cells.extend(WriteOnlyCell(ws) for _ in range(column + 1 - len(cells)))
            cell = cells[column]
            style = look if look is not None else self.plain
            if isinstance(value, str):
                value = clean(value)
                if value.startswith(FORMULA_STARTS):
                    style = copy(style)  # store marks it quoted: not the shared array
                if id(look) in self.wrapping and (
                    len(value) > self.widths[column] or "\n" in value
                ):
                    lines = max(lines, _lines(value, self.widths[column]))
            cell._style = style
            row.append(store(cell, value))
        self.rows += 1
        if lines > 1:  # one dimension per height: a row's number is not in it
            lines = min(lines, max_lines)
            height = self.heights.get(lines)
            if height is None:
                height = self.heights[lines] = RowDimension(ws, ht=LINE_HEIGHT * lines)
            ws.row_dimensions[self.rows] = height
        ws.append(row)  # written out at once: the row's height is not needed again
        ws.row_dimensions.pop(self.rows, None)

    def close(self) -> None:
        """The filter over the header's last row and every row below it."""
        last = get_column_letter(len(self.widths))
        bottom = max(self.rows, self.header_rows)
        self.ws.auto_filter.ref = f"A{self.header_rows}:{last}{bottom}"


@functools.lru_cache(maxsize=4096)  # the matrix's 170,000 cells hold a few hundred texts
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
        self.area = self.looks(bold=True, fill=AREA_FILL)  # the whole area's rows
        self.area_text = self.looks(bold=True, fill=AREA_FILL, wrap=True)

    def number(
        self, value: Decimal | None, measure: str, *, area: bool = False, meets: bool | None = None
    ) -> Item:
        """A figure in its number format (a "%" measure's, whole, decimal): bold on the
        area's fill for the whole area, else filled green or red when ``meets`` is known."""
        number_format = _number_format(value, measure)
        if area:
            look = self.looks(bold=True, fill=AREA_FILL, number_format=number_format)
        else:
            fill = None if meets is None else MET_FILL if meets else NOT_MET_FILL
            look = self.looks(fill=fill, number_format=number_format)
        return _number(value), look

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
    area, area_text = out.area, out.area_text
    reported_on = looks(number_format=DATETIME_FORMAT)
    number = out.number

    def result(meets: bool | None, bold: bool) -> Item:
        if meets is None:
            return None, area if bold else None
        if meets:
            return _("Met"), looks(bold=bold, fill=MET_FILL)
        return _("Not met"), looks(bold=bold, fill=NOT_MET_FILL)

    nothing: Item = (_("Nothing arose"), None)

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
                number(indicator.numerator, "", area=True),
                number(indicator.denominator, "", area=True),
                number(indicator.value, indicator.measure, area=True),
                (measure, area),
                (comparator, area),
                number(indicator.target, indicator.measure, area=True),
                result(indicator.meets, True),
                (None, area),
            ]
        )
        code: Item = (indicator.code, out.top)
        name: Item = (indicator.name, out.top)  # one line: the area's row shows it whole
        fixed: list[Item] = [
            (measure, out.top),
            (comparator, out.top),
            number(indicator.target, indicator.measure),
        ]
        for figure in indicator.units:
            sheet.row(
                [
                    code,
                    name,
                    (figure.unit, out.wrap),
                    number(figure.numerator, ""),
                    number(figure.denominator, ""),
                    number(figure.value, indicator.measure),
                    *fixed,
                    result(figure.meets, False),
                    (_naive(figure.reported_at), reported_on),
                ]
            )
        blank: Item = (None, None)
        for unit in indicator.nothing_arose:  # no figure: said so, in the result's column
            sheet.row([code, name, (unit, out.wrap), blank, blank, blank, *fixed, nothing, blank])
    sheet.close()


def _by_month(out: _Book, report: PeriodicReport) -> None:
    """The indicators' figures month by month, the months side by side (a quarter's
    three, a year's twelve): for each indicator the area's row, then a row for each unit
    that sent a figure in any of the months, each month its numerator, denominator and
    value (filled green or red against the target). Only for a period longer than a
    month."""
    indicators = [indicator for indicator in report.indicators if indicator.months]
    if not indicators:
        return
    _ = out._
    starts = sorted({month.period.start for item in indicators for month in item.months})
    headers = [_("Code"), _("Indicator"), _("Unit")]
    words = (_("Numerator"), _("Denominator"), _("Value"))
    for start in starts:
        headers += [f"{start.month:02d}/{start.year}\n{word}" for word in words]
    sheet = out.sheet(
        _("By month"),
        [10, 40, 34] + [12] * (3 * len(starts)),
        headers,
        fit=len(starts) <= 4,
    )
    blank: list[Item] = [(None, None)] * 3
    for indicator in indicators:
        months = {month.period.start: month for month in indicator.months}
        whole = _("Whole area ({expected} units)").format(expected=indicator.expected)
        row: list[Item] = [(indicator.code, out.area), (indicator.name, out.area_text)]
        row.append((whole, out.area_text))
        for start in starts:
            month = months.get(start)
            if month is None:
                row += [(None, out.area)] * 3
                continue
            row += [
                out.number(month.numerator, "", area=True),
                out.number(month.denominator, "", area=True),
                out.number(month.value, indicator.measure, area=True),
            ]
        sheet.row(row)
        figures: dict[int, dict[date, UnitFigure]] = {}
        names: dict[int, str] = {}
        for start, month in months.items():
            for figure in month.units:
                figures.setdefault(figure.unit_id, {})[start] = figure
                names[figure.unit_id] = figure.unit
        code: Item = (indicator.code, out.top)
        name: Item = (indicator.name, out.top)  # one line: the area's row shows it whole
        for unit_id in sorted(figures, key=lambda unit_id: (names[unit_id], unit_id)):
            row = [code, name, (names[unit_id], out.wrap)]
            for start in starts:
                figure = figures[unit_id].get(start)
                if figure is None:
                    row += blank
                    continue
                row += [
                    out.number(figure.numerator, ""),
                    out.number(figure.denominator, ""),
                    out.number(figure.value, indicator.measure, meets=figure.meets),
                ]
            sheet.row(row)
    sheet.close()


def _messages(log: Iterable[LogEntry]) -> list[list[LogEntry]]:
    """The log's facts by the message they came in (in the order of its first fact); a
    fact that came by no message is a row of its own."""
    grouped: dict[object, list[LogEntry]] = {}
    for index, entry in enumerate(log):
        key = ("message", entry.inbound_id) if entry.inbound_id is not None else index
        grouped.setdefault(key, []).append(entry)
    return list(grouped.values())


def _stored_words(entry: LogEntry, _: Any, statuses: dict[str, str]) -> str:
    """One fact in words: "1.1: đã xong", "2.1: đang thực hiện (50%)", "CT1 …: 85/100";
    ``statuses`` keeps each status's words once translated (150,000 facts, five words)."""
    if entry.status is not None:
        words = statuses.get(entry.status)
        if words is None:
            words = statuses[entry.status] = status_name(entry.status, _)
        if entry.percent is not None:
            words = f"{words} ({entry.percent}%)"
    elif entry.numerator is not None and entry.denominator is not None:
        words = wording.ratio_text(entry.numerator, entry.denominator)
    elif entry.figure is not None:
        words = wording.figure(entry.figure)
    else:
        words = _("nothing arose (no figure)")
    text = f"{entry.subject}: {words}"
    if entry.undone:
        text += " " + _("(undone)")
    return text


def _log(out: _Book, report: PeriodicReport) -> None:
    """One row per message: when, who, for which unit, what it stored (undone facts
    marked), the message as sent; a message whose every fact was undone is struck.

    A log of at most :data:`WRAPPED_LOG` messages (a commune's, a district's quarter) is
    wrapped, each row as high as its text. A longer one (a province's quarter: 55,000
    messages) is a line a message, what it stored joined by "; ", its texts bare values
    without a style: a list to filter rather than to read through, written in half the
    time (select the columns and wrap them in Excel to read a filtered part)."""
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
    messages = _messages(report.log)
    wrapped = len(messages) <= WRAPPED_LOG
    text, top = (out.wrap, out.top) if wrapped else (None, None)
    struck_text = looks(strike=True, wrap=wrapped)
    plain = (looks(number_format=DATETIME_FORMAT), text, top, text, text, None)
    struck = (
        looks(number_format=DATETIME_FORMAT, strike=True),
        struck_text,
        looks(strike=True),
        struck_text,
        struck_text,
        looks(strike=True, bold=True),
    )
    separator = "\n" if wrapped else "; "
    undone = _("Undone")
    statuses: dict[str, str] = {}
    for facts in messages:
        first = facts[0]
        gone = all(entry.undone for entry in facts)
        values = (
            _naive(first.at),
            first.unit,
            first.person,
            separator.join(_stored_words(entry, _, statuses) for entry in facts),
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
