"""Turn a :class:`~bot.plans.model.Document` into a :class:`~bot.plans.model.PlanDraft`.

Pure: no I/O. Works on the document model only (paragraphs, tables of cells with
``bold`` and ``spanned``), so text, Word and Excel readers all feed it.

**Task tables** are found by their header words (:mod:`bot.plans.parse_columns`), not
by position; a table without a content column is no task table, and one with "chỉ
tiêu" and a target column is an indicator table. A table without a header continues
the table before it when it has as many columns, holds a numbered row, at most three
paragraphs lie between (a table cut at a page break) and its first row is no header of
its own ("STT | Loại báo cáo | Thời hạn gửi …": another table). A numbered heading right
above a task table ("2. Thực hiện cơ chế một cửa") is the section of its tasks, and a
table with the same header as the one before, nothing but such a heading between them,
goes on with it (a plan whose sections are headings between tables: numbers that start
again in each read "2.1"); from OCR, the heading is a paragraph's last line, its words
may go on in a paragraph of their own in lower case, and a paragraph of strokes (a
ruling line read) is no prose between. Rows are read as:

* a **repeated header** (after a page break) or a column-number row "(1) (2) (3)" (a
  scan's "Œ) (2). (3)" too): skipped; a different header inside a table starts a new
  table (one naming its number column or three columns: two short cells read fuzzily as
  columns' names are a row);
* a **section**: a number and a title with no unit, time or product, when the row is
  bold, or its number is a letter (A, B, Đ) or roman (I, II), or a plain number that
  the next numbered row extends ("1" before "1.1"); also a title in the number cell
  ("V Tiếp nhận …"). A bold or lower-case title row right after a section continues
  its title (a title wrapped onto a second row);
* a **continuation**: no number, the previous row a task, and the content empty, or a
  cell starting in lower case, or no unit and no time (text cut at a page break); or
  the number cell merged down from the previous row: its cells are appended to the
  previous task's;
* a **task** otherwise; a numbered row with an empty content cell continues the
  previous task's content (a merged content cell: QĐ's "2" with "b) …" in its product).

**Codes** (``TaskDraft.code``) are unique in the plan:

* the number as written ("1.1") when it is unique;
* when numbering restarts in each section (most steps from a section's last task to
  the next one's first go back; as many each way, or none: two sections or more whose
  first task has the same number), the section's number is put before it: "I.1",
  "II.3" (the whole section path "B.I.1" if that is still ambiguous);
* when a later task table (a second appendix) reuses numbers of an earlier one, its
  codes get "PL<n>." before them, n being the appendix number read from the "PHỤ LỤC
  II" line before it (else the table's order): "PL2.1";
* "a)", "b)" under a numbered section are "2.a", "2.b";
* a task without a number gets "<section>.<k>" (its order in the section) or "<k>",
  with a GENERATED_CODE warning;
* a number still taken (a mistake in the plan: Sơn Tây numbers 8.2 and 8.3 twice) gets
  " (2)", " (3)" … after it — "8.2 (2)" — with a DUPLICATE_CODE warning.

``written_code`` keeps the number as written in the row (a sheet's "1.1" right after
"1.9" is "1.10": typed as a number, Excel kept no last zero).

**Units** are split with :func:`bot.plans.parse_units.split_units` (lead column:
role-less units lead; cooperating column: they cooperate); a unit named in both lists
stays a lead only. A task without a lead under a section that names a unit ("II | CÔNG
AN PHƯỜNG", :func:`bot.plans.parse_prose.unit_heading`) is that unit's (its name in
capitals written as in a sentence: "Công an phường"), and so is one on a sheet named by
a unit (a workbook of a sheet per unit). **Timeframes** use
``parse_timeframe(text, year)`` (a start column of its own read with the end: "Từ
01/01/2026 đến 31/3/2026"): an empty cell warns NO_TIMEFRAME, an unreadable one
UNREADABLE_TIMEFRAME; no lead warns NO_UNIT. In a table that cannot show merged cells
(``Table.hides_merges``: a PDF table printed without borders), an empty lead cell under
a task with a lead is that lead's cell merged down: the task takes it, and
LEAD_FROM_ABOVE lists it to check.

**Indicators** come from indicator tables (code as numbered there, a bare target is ``>=``) and
from percentages stated in a task's content or product (source "task", code
"<task code>-CT<k>"), offered to the office to keep or drop. From repaired text only
national indicators are taken: the indicator list's (:mod:`bot.plans.damaged_targets`,
read from ``Document.restored_lines``) and a task's whose name, as restored, is one; any
other target read there is a TARGET_UNREAD warning, a national indicator whose number was
lost a TARGET_LOST one, for the office to enter by hand.

Plans without a task table are read as **prose** (:mod:`bot.plans.parse_prose`); a
document with neither gives a draft with no tasks, for the caller to report. Title,
issuer, year and duties: :mod:`bot.plans.parse_meta`. The **year** is read from the whole
document, the tasks' timeframes included, before the timeframes are parsed with it; the
caller's ``year`` applies only when none is written (``year_source`` says which).

A document read by OCR (``kind`` "ocr") or from repaired text (``repaired_words``)
gets a CHECK_READING warning for every task: the preview lists them as "cần kiểm tra";
and a NUMBERS_MISSING warning for each hole in its numbering (:func:`missing_numbers`:
"1.1–1.3" before a section's first task read "1.4"), the rows OCR may have lost.

**Sections of a scan.** OCR misreads a bold roman numeral ("III" read "I", "IV" read
"14") or drops it, and loses a number now and then; every task code after it would be
wrong. In such a document a section's number is also **inferred** from the numbering
around it (:meth:`_TableReader._inferred_section`):

* a row spanning the table (a title and no unit, time or product) after a roman
  section's tasks, whose number is unreadable or roman-like ("I", "14", "Il", its
  strokes joined "n" or "mĩ", none) and after which the task numbers restart (or,
  numbered, go on from the last task's: "14" read for "IV" before task 14), is the next
  roman section ("III" after "II"); such a row before the first section of a table
  whose later rows hold a roman "II" is section "I", and so is one whose number is
  strokes or a speck right under a letter section ("`." under "B");
* a title-only row numbered as the next section at the level of the current one ("6"
  after section "5", whose tasks are "5.1", "5.2" …) is that section, even when its
  first task's number was not read or the section's only task lost its number; "71"
  right under it, its next task in a table of "x.k" numbers, is "7.1";
* specks around a number cell's number are dropped ("t2", "1< IV", "r< IV"), and a
  task whose number was lost between two running numbers gets the one between ("4"
  between "3" and "5", listed as numbered by the bot);
* a title-only row without a number followed by "3.1" (the tasks' own numbers) is
  section "3"; and a numbered section whose tasks all read "3.k" is section "3"
  whatever its own number was read as;
* a repeated header with a cell not read ("TT" lost) is still the table's header.

A section so inferred keeps the number as read (``Section.read_as``); the
CHECK_READING warnings of its tasks carry that reading, and the preview says the
number was taken from the numbering.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from bot.checks import required
from bot.language.normalize import fold, plain, set_apart
from bot.language.timeframes import TimeframeKind, parse_timeframe
from bot.plans.damaged_targets import damaged_targets
from bot.plans.model import (
    Cell,
    Comparator,
    Document,
    Duty,
    IndicatorDraft,
    Paragraph,
    PlanDraft,
    PlanWarning,
    Source,
    Table,
    TaskDraft,
    WarningKind,
    YearSource,
)
from bot.plans.national import national_indicator
from bot.plans.parse_columns import (
    CODE,
    COMPARE,
    CONTENT,
    COOP,
    LEAD,
    MEASURE,
    PRODUCT,
    START,
    TARGET,
    TIME,
    Columns,
    cell_role,
    detect_columns,
    header_roles,
    mark_columns,
    mark_role,
)
from bot.plans.parse_common import (
    ROMANS,
    RawTask,
    Section,
    clean_text,
    code_kind,
    is_roman,
    join_text,
    level_of,
    split_code,
)
from bot.plans.parse_meta import find_duties, find_issuer, find_title, find_year, sheet_title
from bot.plans.parse_prose import prose_tasks, unit_heading
from bot.plans.parse_targets import StatedTarget, parse_target, plan_targets, stated_targets
from bot.plans.parse_units import COOP as UNIT_COOP
from bot.plans.parse_units import LEAD as UNIT_LEAD
from bot.plans.parse_units import split_units, starts_with_unit, unit_case
from bot.plans.repair import repair_abbreviations, repair_timeframe

__all__ = ["parse_plan"]

_NUMBERING_CELL = re.compile(r"\(?\d{1,2}\)?\.?")
_MISREAD_NUMBERING = 4  # characters: "Œ)" for "(1)"
_MAX_GAP_PARAGRAPHS = 3


def parse_plan(document: Document, *, year: int | None = None) -> PlanDraft:
    """Read a plan document: title, issuer, year, tasks, indicators, duties, warnings."""
    draft = PlanDraft()
    draft.source = Source(
        document.kind,
        ocr=document.kind == "ocr",
        confidence=document.ocr_confidence,
        repaired_words=document.repaired_words,
        borderless_tables=document.borderless_tables,
    )
    lines: list[str] = []
    paragraphs: list[str] = []
    prose: list[tuple[str, bool, int]] = []
    reader = _TableReader(
        infer=document.kind == "ocr" or document.repaired_words > 0,
        numbers=document.kind == "xlsx",
    )
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            paragraphs.append(text)
            for line in text.split("\n"):
                if line.strip():
                    lines.append(line.strip())
                    prose.append((line.strip(), block.bold, block.heading))
            reader.paragraph(text)
        elif isinstance(block, Table):
            reader.table(block)

    # Sheets have no paragraphs: their title rows are cells above the header (and their
    # paragraphs are sheet names, which say nothing of the title).
    cell_lines = [line for c in reader.other_cells for line in c.split("\n") if line]
    meta_lines = lines + cell_lines
    if document.kind == "xlsx":
        draft.title = sheet_title(cell_lines) or find_title(cell_lines)[0]
    else:
        draft.title = find_title(lines)[0] or find_title(meta_lines)[0]
    draft.issuer = find_issuer(lines, reader.other_cells, draft.title)

    raw = reader.tasks
    groups = reader.groups
    if not raw:
        raw = prose_tasks(prose)
        groups = [_Group(0, None)] if raw else []
    _read_year(draft, meta_lines, [clean_text(task.time) for task in raw], year)
    if reader.infer:
        _sections_from_task_numbers(raw)
    _assign_codes(raw, groups, draft.warnings, between=reader.infer)
    for position, task in enumerate(raw, start=1):
        draft.tasks.append(_finish(task, position, draft.year, draft.warnings, reader.infer))

    if document.kind == "ocr" or document.repaired_words:
        # A row OCR lost leaves a hole in the numbering: say which numbers to look for.
        draft.warnings.extend(
            PlanWarning(WarningKind.NUMBERS_MISSING, None, numbers)
            for numbers in missing_numbers([t.code for t in draft.tasks])
        )
        # Read by OCR or from repaired text: every task is listed to be checked, with
        # the section number as read when the task's section number was inferred.
        draft.warnings.extend(
            PlanWarning(WarningKind.CHECK_READING, task.code, _read_as(raw_task))
            for task, raw_task in zip(draft.tasks, raw, strict=True)
        )
    draft.warnings.extend(
        PlanWarning(WarningKind.TARGETS_PER_UNIT, None, units) for units in reader.per_unit_targets
    )
    rows = reader.indicator_rows
    if document.repaired_words:
        rows = rows + _damaged_indicators(
            [line.strip() for line in document.restored_lines] or lines, draft.warnings
        )
    draft.indicators.extend(_table_indicators(rows))
    damaged = draft.warnings if document.repaired_words else None
    stated = [i for task in draft.tasks for i in _task_indicators(task, damaged)]
    # A target under the "Mục tiêu" heading that a task states too is the task's.
    in_tasks = {(fold(i.name), i.target) for i in stated}
    text = _text_indicators(plan_targets(lines))
    draft.indicators.extend(i for i in text if (fold(i.name), i.target) not in in_tasks)
    draft.indicators.extend(stated)
    draft.indicators = _merged(draft.indicators)
    # (a sheet's prose is its cells outside the task tables: a reporting duty written in
    # a row of its own, as Đôn Đốc's workbook writes one)
    prose_texts = paragraphs + cell_lines if document.kind == "xlsx" else paragraphs
    draft.duties = [d for d in find_duties(prose_texts, draft.year) if not _a_task(d, draft.tasks)]
    return draft


def _a_task(duty: Duty, tasks: list[TaskDraft]) -> bool:
    """Whether a reporting duty of the prose is a recurring task of the plan already: its
    sentence names the task's lead and states its timeframe ("Văn phòng … tổng hợp báo
    cáo quý, 6 tháng, năm …", read as that office's task), reminded as the task."""
    key = fold(duty.text)
    return any(
        task.timeframe is not None
        and task.timeframe.kind is TimeframeKind.RECURRING
        and task.lead
        and fold(task.timeframe_text) in key
        and all(fold(unit) in key for unit in task.lead)
        for task in tasks
    )


def _read_year(draft: PlanDraft, lines: list[str], timeframes: list[str], year: int | None) -> None:
    """The year written in the document wins over the caller's ``year`` (the current
    year); when the title's year is not the one most deadlines are written in, the
    title's is kept and a YEAR_MISMATCH warning names the deadlines' year."""
    found = find_year(draft.title, lines, timeframes)
    draft.year, draft.year_source = found.year, found.source
    if draft.year is None and year is not None:
        draft.year, draft.year_source = year, YearSource.ASSUMED
    if draft.year is None:
        draft.warnings.append(PlanWarning(WarningKind.NO_YEAR))
    elif (
        found.source in (YearSource.TITLE, YearSource.LABEL)
        and found.deadlines is not None
        and found.deadlines != draft.year
    ):
        draft.warnings.append(PlanWarning(WarningKind.YEAR_MISMATCH, None, str(found.deadlines)))


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Group:
    """One task table (with the tables continuing it): its numbering and sections."""

    index: int
    appendix: int | None
    tasks: list[RawTask] = field(default_factory=list)
    stack: list[Section] = field(default_factory=list)
    last_letter: str | None = None
    last_roman: str | None = None
    last_kind: str | None = None  # "section" | "task"
    prefix: str = ""
    above: Section | None = None  # the numbered heading right above its first table

    def section_tasks(self) -> list[RawTask]:
        """The numbered tasks read under the current section."""
        section = self.stack[-1] if self.stack else None
        return [t for t in self.tasks if t.section is section and t.written]


@dataclass
class _IndicatorRow:
    written: str
    name: str
    measure: str
    target: str
    units: str


def _texts(row: tuple[Cell, ...]) -> list[str]:
    return [cell.text.strip() for cell in row]


def _full_header(columns: Columns) -> bool:
    """Whether a header met inside a table names enough to open another one: its number
    column, or three columns. (Unnumbered cells such as "Công chức | Công chức" above a
    "Bộ phận …" row read as names of two columns, fuzzily: no header.)"""
    return CODE in columns.roles or len(columns.roles) >= 3


def _is_subheader(row: tuple[Cell, ...]) -> bool:
    texts = [t for t in _texts(row) if t]
    if not texts or any(len(t) > 60 for t in texts):
        return False
    return all(cell_role(t) is not None for t in texts)


def _is_numbering_row(texts: list[str]) -> bool:
    """A row numbering the columns, "(1) (2) (3)" (a scan's "Œ) (2). (3)": a cell or a
    third of them misread, each still a short one in brackets)."""
    filled = [t for t in texts if t]
    misread = [t for t in filled if not _NUMBERING_CELL.fullmatch(t)]
    return (
        len(filled) >= 3
        and len(filled) - len(misread) >= 2 * len(filled) / 3
        and all(len(t) <= _MISREAD_NUMBERING and re.search(r"[()]", t) for t in misread)
    )


def _numbered_heading(line: str) -> tuple[str, str] | None:
    """(number, title) of a numbered heading ("2. Thực hiện cơ chế một cửa, một cửa liên
    thông"): above a task table, the section its tasks are in."""
    code, title = split_code(line)
    title = title.rstrip(".:").strip()
    if code and 3 <= len(title) <= 150 and re.match(rf"\s*{re.escape(code)}[.)]\s", line):
        return code, title
    return None


def _appendix_number(text: str) -> int | bool:
    """The n of a "PHỤ LỤC n" line; True for an unnumbered "Phụ lục"; False otherwise."""
    key = fold(text.split("\n", 1)[0])
    m = re.match(r"^phu luc(?:\s+so)?(?:\s+([ivxlc]+|\d{1,2}))?\b", key)
    if m is None:
        return False
    if m.group(1) is None:
        return True
    token = m.group(1).upper()
    if token.isdigit():
        return int(token)
    return ROMANS.index(token) + 1 if token in ROMANS else True


# A place's type word opening a column's name: the column is that commune's, ward's …
_PLACE_COLUMN = re.compile(r"(?:xa|phuong|thi tran|thi xa|huyen|dac khu|thanh pho|tp) \S")


def _target_units(header: list[str], body: list[list[str]]) -> list[str]:
    """The units an indicator table's header gives a column each ("Chỉ tiêu | ĐVT | Xã
    Kim Sơn | Xã Cổ Đông", their cells numbers: a target per unit), else []. A place's
    name is never a column's role (whatever a fuzzy match of "Xã Cổ Đông" says); another
    unit's is when it names one ("Cơ quan thực hiện")."""
    if not any("chi tieu" in fold(text) for text in header):
        return []
    units = [
        index
        for index, text in enumerate(header)
        if text
        and (
            _PLACE_COLUMN.match(fold(text)) or (starts_with_unit(text) and cell_role(text) is None)
        )
        and _numbers_under(body, index)
    ]
    return [header[i] for i in units] if len(units) >= 2 else []


def _numbers_under(body: list[list[str]], index: int) -> bool:
    """Whether a column's cells are figures ("60", "70%", "1.250"), some of them."""
    cells = [row[index].strip() for row in body if index < len(row) and row[index].strip()]
    return bool(cells) and all(re.fullmatch(r"[\d.,]+\s*%?", cell) for cell in cells)


def _appendix(code: str) -> str:
    """ "PL2" of an appendix's task number "PL2.1" ("" for any other)."""
    m = re.match(r"PL\d+(?=\.)", code)
    return m[0] if m else ""


class _TableReader:
    def __init__(self, infer: bool = False, numbers: bool = False) -> None:
        self.infer = infer  # a scan or repaired text: section numbers may be inferred
        self.numbers = numbers  # a sheet: a code typed as a number lost its last zero
        self.tasks: list[RawTask] = []
        self.groups: list[_Group] = []
        self.indicator_rows: list[_IndicatorRow] = []
        self.other_cells: list[str] = []
        self.group: _Group | None = None
        self.columns: Columns | None = None
        self.gap = 0  # paragraphs since the last table
        self.prose_gap = 0  # of them, those that are no numbered heading
        self.heading: tuple[str, str] | None = None  # the last paragraph, a numbered heading
        self.appendix: int | None = None
        self.hides_merges = False  # the table being read cannot show merged cells
        self.sheet: str | None = None  # a workbook's: the sheet being read
        self.per_unit_targets: list[str] = []  # indicator tables by unit: their units

    # --- blocks -------------------------------------------------------------------

    def paragraph(self, text: str) -> None:
        self.gap += 1
        if self.numbers:
            self.sheet = text.strip()  # a workbook's paragraphs are its sheets' names
        if self.heading is not None and text[:1].islower() and len(text) < 100:
            # a heading's words OCR put in a paragraph of their own ("… thủ tục" /
            # "hành chính")
            self.heading = (self.heading[0], f"{self.heading[1]} {text.strip()}")
            return
        # (its last line: OCR may join the part's heading and the section's in one)
        self.heading = _numbered_heading(text.rsplit("\n", 1)[-1])
        # (a line of strokes OCR read off a ruling line is no prose)
        self.prose_gap += self.heading is None and any(c.isalpha() for c in text)
        number = _appendix_number(text)
        if number is True:
            self.appendix = None
        elif number is not False:
            self.appendix = int(number)

    def table(self, table: Table) -> None:
        self.hides_merges = table.hides_merges
        rows = [row for row in table.rows if any(cell.text.strip() for cell in row)]
        found = self._find_header(rows)
        if found is None:
            if (
                self.columns is not None
                and rows
                and len(rows[0]) == self.columns.width
                and self.gap <= _MAX_GAP_PARAGRAPHS
                and any(self._written(row) for row in rows)
                # a header of its own that names no task columns ("STT | Loại báo cáo |
                # Thời hạn gửi | Cơ quan nhận"): another table, not the tasks going on
                and cell_role(rows[0][0].text.strip()) != CODE
            ):
                self._rows(rows, 0)
            else:
                self._keep_cells(rows[:4])
            self.gap = 0
            return
        at, columns, used = found
        units = _target_units(_texts(rows[at]), [_texts(r) for r in rows[at + used :]])
        if units:
            # an indicator per unit (a column per commune): no target of the plan's
            self.per_unit_targets.append(", ".join(units))
            self._keep_cells(rows)
            self.gap = 0
            return
        if not columns.indicator:
            columns, names = mark_columns(
                columns, _texts(rows[at + used - 1]), [_texts(r) for r in rows[at + used :]]
            )
            used += names
        self._keep_cells(rows[:at])  # title rows above a sheet's header
        heading, self.heading = self.heading, None
        self._open(columns, heading)
        if heading is not None and self.group is not None and not columns.indicator:
            # (above the table's first rows, its numeral is not the table's numbering: a
            # section row whose "I" a scan lost is still its first)
            first = not self.group.tasks and not self.group.stack
            self._push_section(*heading, numbering=not first)
            if first:
                self.group.above = self.group.stack[-1]
        self.gap = self.prose_gap = 0
        self._rows(rows, at + used)

    def _keep_cells(self, rows: list[tuple[Cell, ...]]) -> None:
        """Cells of a table that holds no tasks (a letterhead), and each column's cells
        joined, for the title, issuer and year."""
        for row in rows:
            texts = [t for t in _texts(row) if t]
            self.other_cells.extend(texts)
            if 1 < len(texts) <= 3 and sum(len(t) for t in texts) < 60:
                self.other_cells.append(" ".join(texts))  # a label and its value: "Năm 2026"
        if len(rows) > 1:
            for column in zip(*rows, strict=False):
                joined = "\n".join(c.text.strip() for c in column if c.text.strip())
                if joined:
                    self.other_cells.append(joined)

    def _find_header(
        self, rows: list[tuple[Cell, ...]], at_most: int = 12
    ) -> tuple[int, Columns, int] | None:
        """(row index, columns, header rows used) of the first header among the rows."""
        for index, row in enumerate(rows[:at_most]):
            sub = rows[index + 1] if index + 1 < len(rows) else None
            # A two-row header names something in its top row too ("Năm | 2026" above
            # the header is a label, not the header's first row).
            if sub is not None and _is_subheader(sub) and header_roles(_texts(row)):
                columns = detect_columns(_texts(row), _texts(sub))
                if columns is not None:
                    return index, columns, 2
            columns = detect_columns(_texts(row))
            if columns is not None:
                return index, columns, 1
        return None

    def _open(self, columns: Columns, heading: tuple[str, str] | None = None) -> None:
        """Read the rows under ``columns``: the table the last ones went on (the same
        header right after them, or after nothing but a numbered heading: a section's
        table), else a new one."""
        previous = self.columns
        if self._same_header(columns):
            columns = required(previous, "the table's columns")
        self.columns = columns
        if columns.indicator:
            return
        same = (
            self.group is not None
            and previous is not None
            and not previous.indicator
            and previous.signature() == columns.signature()
            and (self.gap == 0 or (heading is not None and self.prose_gap == 0))
        )
        if not same:
            self.group = _Group(len(self.groups), self.appendix)
            self.groups.append(self.group)

    def _same_header(self, columns: Columns) -> bool:
        """Whether a header read by OCR is the current table's header with cells not
        read ("TT" lost): as wide, and each role it names where the table has it."""
        current = self.columns
        return (
            self.infer
            and current is not None
            and not current.indicator
            and not columns.indicator
            and columns.width == current.width
            and columns.signature() != current.signature()
            and all(current.roles.get(role) == index for role, index in columns.roles.items())
        )

    # --- rows ---------------------------------------------------------------------

    def _rows(self, rows: list[tuple[Cell, ...]], start: int) -> None:
        written = [self._written(row) for row in rows]
        index = start
        while index < len(rows):
            row = rows[index]
            texts = _texts(row)
            if _is_numbering_row(texts):
                index += 1
                continue
            if not written[index]:
                # A header repeated after a page break (one or two rows), or another one.
                found = self._find_header(rows[index : index + 2], at_most=1)
                if found is not None and not _full_header(found[1]):
                    found = None  # two cells read as column names: a task's short cells
                if found is not None:
                    _, header, used = found
                    columns = required(self.columns, "the table's columns")
                    if header.signature() != columns.signature() and not self._same_header(header):
                        self.gap = 0
                        self._open(header)
                    index += used
                    continue
            if self.columns is not None and self.columns.indicator:
                self._indicator_row(row)
            elif self.group is not None:
                self._task_row(row, written[index + 1 :])
            index += 1

    def _cell(self, row: tuple[Cell, ...], role: str) -> Cell:
        columns = required(self.columns, "the table's columns")
        index = columns.roles.get(role)
        if index is None or index >= len(row):
            return Cell("")
        return row[index]

    def _written(self, row: tuple[Cell, ...]) -> str:
        if self.columns is None or CODE not in self.columns.roles:
            return ""
        return split_code(self._code_text(row))[0]

    def _dot_lost(self, written: str) -> str:
        """A scan's "71" under section "7" whose tasks are numbered "7.k": "7.1", the
        dot lost, when it is the section's next number."""
        group = required(self.group, "the task table")
        section = group.stack[-1] if group.stack else None
        if section is None or section.kind != "number" or not section.code.isdigit():
            return written
        head, tail = section.code, written[len(section.code) :]
        if not written.startswith(head) or not tail or tail.startswith("0"):
            return written
        under = [t for t in group.tasks if t.section is section]
        dotted = [t for t in group.tasks if "." in t.written]
        if dotted and int(tail) == len(under) + 1:
            return f"{head}.{tail}"
        return written

    def _zero_lost(self, written: str) -> str:
        """A sheet's "1.1" right after task "1.9": "1.10", typed as a number, which
        keeps no last zero (also "1.2" after "1.19")."""
        group = required(self.group, "the task table")
        last = next((t.written for t in reversed(group.tasks) if t.written), "")
        head, _, tail = last.rpartition(".")
        if not head or not tail.isdigit() or (int(tail) + 1) % 10:
            return written
        following = int(tail) + 1
        return f"{head}.{following}" if written == f"{head}.{following // 10}" else written

    def _code_text(self, row: tuple[Cell, ...]) -> str:
        """The number cell's text; in a scan, without the specks OCR read around its
        number: "t2" is "2", "1< IV" is "IV"."""
        text = self._cell(row, CODE).text.strip()
        if self.infer:
            text = _SPECK_BEFORE_NUMBER.sub(r"\1", text)
            text = _SPECKS_BEFORE_NUMERAL.sub(r"\1", text)
        return text

    def _indicator_row(self, row: tuple[Cell, ...]) -> None:
        target = self._cell(row, TARGET).text.strip()
        compare = self._cell(row, COMPARE).text.strip()
        if compare and target:
            target = f"{compare} {target}"
        name = clean_text(self._cell(row, CONTENT).text)
        if not target or not name:
            return
        self.indicator_rows.append(
            _IndicatorRow(
                written=split_code(self._cell(row, CODE).text)[0],
                name=name,
                measure=self._cell(row, MEASURE).text.strip(),
                target=target,
                units=clean_text(self._cell(row, LEAD).text),
            )
        )

    def _task_row(self, row: tuple[Cell, ...], following: list[str]) -> None:
        group = required(self.group, "the task table")
        columns = required(self.columns, "the table's columns")
        code_cell = self._cell(row, CODE)
        content_cell = self._cell(row, CONTENT)
        content = content_cell.text.strip()
        details = [
            row[i].text.strip()
            for i in columns.details
            if i < len(row) and row[i].text.strip() and not row[i].spanned
        ]
        if details:  # "Nhiệm vụ | Nội dung cụ thể": the details go on the content
            content = _with_details(content, details)
        code_text = self._code_text(row)
        written, rest = split_code(code_text) if code_text else ("", "")
        unread = ""  # a numeral OCR made a letter of ("n" for "II"): no number, no title
        if self.infer and not written and rest and _ROMANISH.fullmatch(rest) and content:
            unread, rest = rest, ""
        if self.infer and written.isdigit() and not rest:
            written = self._dot_lost(written)
        if self.numbers:
            written = self._zero_lost(written)
        if CODE not in columns.roles and content:
            # No number column: a number may open the content ("1. Xây dựng …").
            number, after = split_code(content)
            if number and after and re.match(r"^\s*\S+\s*[.)]", content):
                written, content = number, after
        others = {role: self._cell(row, role).text.strip() for role in (LEAD, COOP, TIME, PRODUCT)}
        for index, unit in columns.marks:
            # an assignment matrix: the units whose cell marks the task
            role = mark_role(row[index].text) if index < len(row) else ""
            if role:
                others[role] = "; ".join(t for t in (others[role], unit) if t)
        marked = [p for i, p in columns.periods if i < len(row) and mark_role(row[i].text)]
        if marked and not others[TIME]:
            others[TIME] = ", ".join(marked)  # a timeline: the periods marked
        others[TIME] = _with_start(self._cell(row, START).text.strip(), others[TIME])
        bold = any(cell.bold for cell in (code_cell, content_cell) if cell.text.strip())
        title = join_text(rest, content) if rest and content else (content or rest)
        if not title and not written and not any(others.values()):
            return
        previous = group.tasks[-1] if group.tasks else None

        # A number cell merged down from the previous row: the same task goes on.
        if (
            code_cell.spanned
            and previous is not None
            and group.last_kind == "task"
            and written == previous.written
        ):
            self._continue(previous, row, content if not content_cell.spanned else "")
            return

        if title and not any(others.values()):
            if (
                not written
                and group.last_kind == "section"
                and group.stack
                and (title[:1].islower() or bold)
            ):
                group.stack[-1].title = join_text(group.stack[-1].title, title)
                return
            inferred = self._inferred_section(written, title, following)
            if inferred is None and unread and group.stack and group.stack[-1].kind == "letter":
                inferred = "I"  # a numeral's strokes under "B": its first roman section
            if inferred is not None:
                self._push_section(inferred, title, read_as=written or unread)
                return
            if self._is_section(written, bold, following, title):
                self._push_section(written, title)
                return

        if not written:
            # After a task, a row without a number whose text starts in lower case, or
            # (in a numbered table) that names no unit and no time, is that task cut at
            # a page break.
            fragments = [t for t in (content, *others.values()) if t]
            continues = previous is not None and (
                not content
                or any(t[:1].islower() for t in fragments)
                or (bool(previous.written) and not (others[LEAD] or others[COOP] or others[TIME]))
            )
            if previous is not None and group.last_kind == "task" and continues:
                self._continue(previous, row, content)
                return
            if not content:
                return
        elif not content:
            if rest:
                content = rest
            elif previous is not None and previous.section is self._section():
                content = previous.content
            elif not any(others.values()):
                return
            else:
                content = others[PRODUCT] or ""
        # A task numbered in another appendix ("PL2.1" after "VII.2") is in none of the
        # sections above it, unless a section row came after the last task.
        if (
            previous is not None
            and _appendix(written) != _appendix(previous.written)
            and previous.sections == tuple(group.stack)
        ):
            group.stack.clear()
        # A lead cell merged down from the task above, in a table that cannot show it.
        from_above = (
            self.hides_merges
            and not others[LEAD]
            and LEAD in columns.roles
            and previous is not None
            and group.last_kind == "task"
            and bool(previous.lead)
        )
        task = RawTask(
            written=written,
            content=content,
            lead=required(previous, "the task above").lead if from_above else others[LEAD],
            coop=others[COOP],
            time=others[TIME],
            product=others[PRODUCT],
            section=self._section(),
            sections=tuple(group.stack),
            group=group.index,
            lead_from_above=from_above,
            sheet=self.sheet,
        )
        group.tasks.append(task)
        group.last_kind = "task"
        self.tasks.append(task)

    def _section(self) -> Section | None:
        group = required(self.group, "the task table")
        return group.stack[-1] if group.stack else None

    def _is_section(self, written: str, bold: bool, following: list[str], title: str) -> bool:
        group = self.group
        group = required(group, "group")
        if bold:
            return True
        kind = code_kind(written, group.last_letter, group.last_roman)
        if kind in ("letter", "roman"):
            return True
        if kind == "number":
            nxt = next((w for w in following if w), "")
            return nxt.startswith(written + ".")
        return False

    def _inferred_section(self, written: str, title: str, following: list[str]) -> str | None:
        """The number of a section heading row misread by OCR, inferred from the
        numbering around it (see the module's docstring); None when the row is not one
        (or is read well enough for :meth:`_is_section`). Only for a scan or repaired
        text; the row has a title and no unit, time or product."""
        group = required(self.group, "the task table")
        if not self.infer or title[:1].islower():
            return None
        nxt = next((w for w in following if w), "")
        numbered = group.section_tasks()
        # The tasks' own numbers: a row before "3.1" is section "3".
        parent, _, last = nxt.rpartition(".")
        if last == "1" and parent and parent != written and code_kind(parent) == "number":
            level = level_of(parent, "number")
            if not written or (
                code_kind(written) == "number" and level_of(written, "number") == level
            ):
                return parent
        if group.last_roman is not None and group.last_kind == "task":
            # After a roman section's tasks.
            expected = _next_roman(group.last_roman)
            if expected is None or written == expected:
                return None
            if is_roman(written) and ROMANS.index(written) > ROMANS.index(group.last_roman):
                return None  # a later numeral read well (a section left out): as written
            if written and not _ROMANISH.fullmatch(written):
                return None
            # Task numbers restart under each section, or go on through the table.
            last_task = next((t.written for t in reversed(group.tasks) if t.written), "")
            going_on = _next_number(last_task) if last_task else None
            if written and written == going_on and nxt != going_on:
                return None  # the next task, its row merged across
            first = numbered[0].written if numbered else "1"
            restarts = nxt in (first, "1")
            # A number lost is no section unless the numbering restarts after it.
            goes_on = bool(written) and going_on is not None and nxt == going_on
            return expected if restarts or goes_on else None
        if group.last_roman is None and not group.tasks and group.stack in ([], [group.above]):
            # The table's first row (under the heading above it, if any): section "I"
            # when a roman numeral comes later ("II", or "I" read for it).
            if (written and not _ROMANISH.fullmatch(written)) or is_roman(written):
                return None
            if nxt == "1" and any(w in ("I", "II") for w in following):
                return "I"
            return None
        section = group.stack[-1] if group.stack else None
        if section is None or section.kind != "number" or not section.code:
            return None
        # The next section at the same level ("6" after "5", whose tasks are "5.k", or
        # whose one task lost its number).
        under = [t for t in numbered if t.written.startswith(section.code + ".")]
        unnumbered = [t for t in group.tasks if t.section is section and not t.written]
        if written and (under or unnumbered) and written == _next_number(section.code):
            return written
        return None

    def _push_section(
        self, written: str, title: str, read_as: str | None = None, numbering: bool = True
    ) -> None:
        group = self.group
        group = required(group, "group")
        kind = code_kind(written, group.last_letter, group.last_roman)
        if not numbering:
            pass
        elif kind == "letter":
            group.last_letter, group.last_roman = written, None
        elif kind == "roman":
            group.last_roman = written
        level = level_of(written, kind) if written else -1
        while group.stack and group.stack[-1].level >= level:
            group.stack.pop()
        inferred = read_as if read_as is not None and read_as != written else None
        group.stack.append(Section(written, title, level, kind, read_as=inferred))
        group.last_kind = "section"

    def _continue(self, task: RawTask, row: tuple[Cell, ...], content: str) -> None:
        if content:
            task.content = join_text(task.content, content)
        for role, attr in ((LEAD, "lead"), (COOP, "coop"), (TIME, "time"), (PRODUCT, "product")):
            cell = self._cell(row, role)
            if cell.text.strip() and not cell.spanned:
                setattr(task, attr, join_text(getattr(task, attr), cell.text))


# What OCR makes of a bold roman numeral: "III" read "I", "Il", "HI", '"', "mĩ"; "IV"
# read "14", "1V"; "II" read "11", "U", "n": strokes as "l", "1", "|", "!" or an "i"
# with a mark of the Vietnamese data, serifs joined, specks around it.
_ROMANISH = re.compile(r"[IVXLlHhUunm1|!47\"'`‘’.,:;\[\]()iìíỉĩịïı]{1,5}")
# A letter no digit is read as, alone before a number cell's number ("t2"): a speck;
# so are a mark, or a character and a mark, before a roman numeral ("1< IV", "r< IV").
_SPECK_BEFORE_NUMBER = re.compile(r"^[a-km-zA-HJ-NP-RT-Y](\d{1,2}(?:\.\d{1,2})*)$")
_SPECKS_BEFORE_NUMERAL = re.compile(r"^[^\sIVX]?[^\w\s]\s+([IVX]{1,4})$")


def _with_details(content: str, details: list[str]) -> str:
    """A task's content with its other content columns' text: "Rà soát TTHC: Rà soát 20
    TTHC lĩnh vực tư pháp"."""
    for detail in details:
        if not content:
            content = detail
        elif content.rstrip()[-1:] in ":;.,":
            content = f"{content} {detail}"
        else:
            content = f"{content}: {detail}"
    return content


def _with_start(start: str, end: str) -> str:
    """A timeframe whose start has a column of its own: "Từ <start> đến <end>" when the
    end is a time ("01/01/2026" | "31/3/2026"), "Từ <start>" when no end is written
    (ongoing from then), the end alone when it is not a time ("Hằng tháng")."""
    if not start:
        return end
    if not end:
        return f"Từ {start}"
    if parse_timeframe(end, _ANY_YEAR).kind is TimeframeKind.DUE:
        return f"Từ {start} đến {end}"
    return end


_ANY_YEAR = 2000  # a year for a cell written without one ("Tháng 12"): only its kind is asked


def _next_roman(code: str) -> str | None:
    index = ROMANS.index(code) if code in ROMANS else -1
    return ROMANS[index + 1] if 0 <= index < len(ROMANS) - 1 else None


def _next_number(code: str) -> str | None:
    """ "6" after "5", "2.4" after "2.3"; None for what is not a number."""
    head, _, last = code.rpartition(".")
    if not last.isdigit():
        return None
    return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)


def _sections_from_task_numbers(tasks: list[RawTask]) -> None:
    """A numbered section whose tasks all read "P.k" is section P, whatever its own
    number was read as (a scan's "8" read "3")."""
    under: dict[int, tuple[Section, set[str]]] = {}
    for task in tasks:
        section = task.section
        if section is None or section.kind != "number" or not task.written:
            continue
        parent = task.written.rpartition(".")[0]
        under.setdefault(id(section), (section, set()))[1].add(parent)
    for section, parents in under.values():
        if len(parents) != 1:
            continue
        parent = next(iter(parents))
        if (
            parent
            and parent != section.code
            and code_kind(parent) == "number"
            and level_of(parent, "number") == section.level
        ):
            section.read_as = section.code if section.read_as is None else section.read_as
            section.code = parent


def _read_as(task: RawTask) -> str:
    """How OCR read the number of the task's section, when its number was inferred."""
    for section in reversed(task.sections):
        if section.read_as is not None:
            return section.read_as or "?"
    return ""


# ---------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------

MAX_MISSING_RUN = 9  # a longer hole is a number misread ("3841" for "38"), not lost rows


def missing_numbers(codes: list[str]) -> list[str]:
    """The task numbers a plan's codes skip, as ranges: "1.1–1.3" when section 1's
    first task read is "1.4", "4" between "3" and "5".

    Codes are grouped by what comes before their last number ("1.", "PL2.", "" for
    plain numbers), so a section's numbering starts at 1, in the order the groups come;
    a row read out of its place fills its hole. Plain numbers among mostly other codes
    are sections' numbers read as tasks: no numbering of their own. Codes ending
    otherwise ("2.a", "8.2 (2)") are left out, and so is a number past a hole longer
    than ``MAX_MISSING_RUN`` (a number misread: "3841" for "38"). Said of a reading by
    OCR or of repaired text, where a hole is most often a row lost (a plan can skip a
    number too: the office compares with the original)."""
    groups: dict[str, set[int]] = {}
    for code in codes:
        match = re.fullmatch(r"(.*?)(\d+)", code)
        if match is not None:
            groups.setdefault(match[1], set()).add(int(match[2]))
    plain = len(groups.get("", ()))
    if plain and plain * 2 < sum(len(numbers) for numbers in groups.values()):
        del groups[""]  # in a plan numbered "1.1", "1.2" …, a bare "6" is a section's
    out: list[str] = []
    for prefix, numbers in groups.items():
        expected = 1
        for number in sorted(numbers):
            if number > expected + MAX_MISSING_RUN:
                break
            if number > expected:
                last = number - 1
                out.append(
                    f"{prefix}{expected}"
                    if expected == last
                    else f"{prefix}{expected}–{prefix}{last}"
                )
            expected = number + 1
    return out


def _section_code(task: RawTask, *, full: bool) -> str:
    if full:
        return ".".join(s.code for s in task.sections if s.code)
    # The closest section with a number (an unnumbered heading, "Công an xã:", has none).
    return next((s.code for s in reversed(task.sections) if s.code), "")


def _numbering_restarts(members: list[RawTask]) -> bool:
    """Whether a table's task numbers start again in each section ("1", "2" under I,
    "1" … under II) rather than run on through them (1–3 under A, 4 … under B).

    Where sections' numbers can be compared (plain numbers), by most of the steps from
    one section's last task to the next one's first: back or the same is a restart.
    One section that starts again in a table that runs on (a "1" misread, an item
    numbered apart) does not make every code relative. Otherwise (no step, or as many
    each way): two sections whose first tasks have the same number (not letter)."""
    runs: dict[int, list[str]] = {}  # each section's written numbers, in order
    for task in members:
        if task.section is not None and task.written:
            runs.setdefault(id(task.section), []).append(task.written)
    back = on = 0
    edges = list(runs.values())
    for before, after in itertools.pairwise(edges):
        if before[-1].isdigit() and after[0].isdigit():
            if int(after[0]) <= int(before[-1]):
                back += 1
            else:
                on += 1
    if back != on:
        return back > on
    # (letters "a)", "b)" are read under their section's number anyway: they say
    # nothing of whether the numbers restart)
    return any(n >= 2 for n in Counter(run[0] for run in edges if run[0].isdigit()).values())


def _numbers_between(tasks: list[RawTask]) -> dict[int, str]:
    """Tasks of a scan whose numbers OCR lost, between two plain numbers as far apart as
    there are such tasks ("3", one lost, "5"): id → the number they had ("4")."""
    out: dict[int, str] = {}
    run: list[RawTask] = []
    before: RawTask | None = None
    for task in tasks:
        if not task.written:
            run.append(task)
            continue
        if (
            run
            and before is not None
            and before.group == task.group
            and all(t.group == task.group for t in run)
            and before.written.isdigit()
            and task.written.isdigit()
            and before.code == before.written
            and task.code == task.written
            and int(task.written) - int(before.written) - 1 == len(run)
        ):
            for offset, lost in enumerate(run, start=1):
                out[id(lost)] = str(int(before.written) + offset)
        before, run = task, []
    return out


def _assign_codes(
    tasks: list[RawTask],
    groups: list[_Group],
    warnings: list[PlanWarning],
    between: bool = False,
) -> None:
    """Each task's unique code (see the module's docstring). ``between`` (a scan or
    repaired text): a task whose number was lost between two running numbers gets the
    one between them (:func:`_numbers_between`), listed as numbered by the bot."""
    by_group: dict[int, list[RawTask]] = {}
    for task in tasks:
        by_group.setdefault(task.group, []).append(task)
    earlier: set[str] = set()
    used_appendices: set[int] = set()
    for group in groups:
        members = by_group.get(group.index, [])
        restart = _numbering_restarts(members)
        for full in (False, True):
            for task in members:
                if not task.written:
                    continue
                task.code = task.written
                base = _section_code(task, full=full)
                # Numbers restarting in each section, and "a)", "b)" under a section,
                # are read with the section's number.
                relative = restart or re.fullmatch(r"[a-zđ]", task.written) is not None
                if relative and base and not task.code.startswith(base + "."):
                    task.code = f"{base}.{task.code}"
            codes = Counter(t.code for t in members if t.written)
            if not restart or all(n == 1 for n in codes.values()):
                break
        written = {t.written for t in members if t.written}
        if group.index > 0 and written & earlier:
            number = group.appendix
            if number is None or number in used_appendices:
                number = group.index + 1
            group.prefix = f"PL{number}"
            for task in members:
                if task.written:
                    task.code = f"{group.prefix}.{task.code}"
        if group.appendix is not None:
            used_appendices.add(group.appendix)
        earlier |= written

    used = {t.code for t in tasks if t.written}
    prefixes = {g.index: g.prefix for g in groups}
    order: Counter[tuple[int, int]] = Counter()
    lost = _numbers_between(tasks) if between else {}
    for task in tasks:
        key = (task.group, id(task.section))
        order[key] += 1
        if task.written:
            continue
        base = ".".join(
            part for part in (prefixes.get(task.group, ""), _section_code(task, full=False)) if part
        )
        n = order[key]
        candidate = f"{base}.{n}" if base else str(n)
        if lost.get(id(task)) and lost[id(task)] not in used:
            candidate = lost[id(task)]
        while candidate in used:
            n += 1
            candidate = f"{base}.{n}" if base else str(n)
        task.code = candidate
        task.generated = True
        used.add(candidate)
        warnings.append(
            PlanWarning(WarningKind.GENERATED_CODE, candidate, " ".join(task.content.split())[:80])
        )

    seen: set[str] = set()
    for task in tasks:
        if task.code in seen:
            k = 2
            while f"{task.code} ({k})" in used or f"{task.code} ({k})" in seen:
                k += 1
            new = f"{task.code} ({k})"
            warnings.append(PlanWarning(WarningKind.DUPLICATE_CODE, new, task.written))
            task.code = new
            used.add(new)
        seen.add(task.code)


# ---------------------------------------------------------------------------------------
# Tasks and indicators
# ---------------------------------------------------------------------------------------


def _finish(
    task: RawTask,
    position: int,
    year: int | None,
    warnings: list[PlanWarning],
    scanned: bool = False,
) -> TaskDraft:
    lead_text, coop_text = task.lead, task.coop
    if scanned:  # "Văn phòng HDĐND&UBND" read for "Văn phòng HĐND&UBND", "UBNDcác"
        lead_text = set_apart(repair_abbreviations(lead_text))
        coop_text = set_apart(repair_abbreviations(coop_text))
    lead, coop = split_units(lead_text, UNIT_LEAD)
    more_lead, more_coop = split_units(coop_text, UNIT_COOP)
    lead = _unique(lead + more_lead)
    if not lead and task.section is not None:
        # a section that names a unit ("II | CÔNG AN PHƯỜNG") leads the tasks under it
        named = unit_heading(task.section.title)
        lead = [unit_case(named)] if named else []
    if not lead and task.sheet:
        # so does a sheet named by a unit (a workbook of a sheet per unit)
        named = unit_heading(task.sheet)
        lead = [unit_case(named)] if named else []
    lead_keys = {fold(u) for u in lead}
    coop = [u for u in _unique(coop + more_coop) if fold(u) not in lead_keys]
    time_text = clean_text(task.time)
    if scanned:  # "Quý ï" read for "Quý I", a stray quote before "Thường xuyên"
        time_text = repair_timeframe(time_text)
    timeframe = parse_timeframe(time_text, year) if time_text else None
    product = clean_text(task.product)
    draft = TaskDraft(
        code=task.code,
        content=clean_text(task.content),
        written_code=task.written,
        code_generated=task.generated,
        section=task.section.label() if task.section is not None else None,
        lead=lead,
        cooperating=coop,
        timeframe_text=time_text,
        timeframe=timeframe,
        product=product or None,
        position=position,
    )
    if not lead:
        warnings.append(PlanWarning(WarningKind.NO_UNIT, task.code, task.lead or task.coop))
    elif task.lead_from_above:
        warnings.append(PlanWarning(WarningKind.LEAD_FROM_ABOVE, task.code, task.lead))
    if timeframe is None:
        warnings.append(PlanWarning(WarningKind.NO_TIMEFRAME, task.code))
    elif timeframe.kind is TimeframeKind.UNKNOWN:
        warnings.append(PlanWarning(WarningKind.UNREADABLE_TIMEFRAME, task.code, time_text))
    return draft


def _unique(units: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for unit in units:
        key = fold(unit)
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def _measure(measure: str, target_text: str, name: str) -> str:
    key = plain(measure).strip()
    if "%" in measure or "phan tram" in key or "ty le" in key:
        return "%"
    if measure.strip():
        return " ".join(measure.split())
    if "%" in target_text or re.match(r"(?:ty le|muc do hai long)", plain(name)):
        return "%"
    return "count"


def _table_indicators(rows: list[_IndicatorRow]) -> list[IndicatorDraft]:
    out: list[IndicatorDraft] = []
    codes: set[str] = set()
    for index, row in enumerate(rows, start=1):
        target = parse_target(row.target)
        if target is None:
            continue
        # The number as written ("4", as the indicator table numbers it), else its place.
        code = row.written.strip() or str(index)
        while code in codes:
            index += 1
            code = str(index)
        codes.add(code)
        out.append(
            IndicatorDraft(
                code=code,
                name=" ".join(row.name.split()).rstrip(" ."),
                measure=_measure(row.measure, row.target, row.name),
                comparator=target.comparator,
                target=target.value,
                source="table",
                units_text=row.units or None,
            )
        )
    return out


def _stated(stated: StatedTarget, code: str, **more: object) -> IndicatorDraft:
    return IndicatorDraft(
        code=code,
        name=stated.name,
        measure="%",
        comparator=stated.comparator,
        target=stated.value,
        aliases=[stated.written] if stated.written else [],
        **more,  # type: ignore[arg-type]
    )


def _text_indicators(targets: list[StatedTarget]) -> list[IndicatorDraft]:
    """Targets stated in the prose outside the tasks: codes "CT1", "CT2" …"""
    out: list[IndicatorDraft] = []
    seen: set[tuple[str, str]] = set()
    for stated in targets:
        key = (fold(stated.name), str(stated.value))
        if key not in seen:
            seen.add(key)
            out.append(_stated(stated, f"CT{len(out) + 1}", source="text"))
    return out


def _damaged_indicators(lines: list[str], warnings: list[PlanWarning]) -> list[_IndicatorRow]:
    """The national indicators of a damaged text's indicator list, as rows of an
    indicator table; a target whose name could not be read, or a national indicator
    whose target was lost, is warned about (nothing is guessed)."""
    found = damaged_targets(lines)
    for text in found.nameless:
        target = parse_target(text)
        if target is not None:
            detail = _target_detail(target.comparator, target.value)
            warnings.append(PlanWarning(WarningKind.TARGET_UNREAD, None, detail))
    warnings.extend(PlanWarning(WarningKind.TARGET_LOST, None, n) for n in found.numberless)
    return [_IndicatorRow(r.number, r.indicator.name, "%", r.target, "") for r in found.rows]


def _target_detail(comparator: Comparator, value: Decimal) -> str:
    """A target as a warning's detail holds it: ">= 80" (the views word it)."""
    return f"{comparator.value} {value}"


def _task_indicators(
    task: TaskDraft, damaged: list[PlanWarning] | None = None
) -> list[IndicatorDraft]:
    """The targets a task's content or product states. From damaged text (``damaged``
    holds the plan's warnings), a target is kept only when its name, as restored, is a
    national indicator's: other columns' words run into a row's content, so no other
    name read there is sure, nor a name only alike (a row's words are as like another
    indicator's); another is warned about, not imported."""
    out: list[IndicatorDraft] = []
    seen: set[tuple[str, str]] = set()
    for text in (task.content, task.product or ""):
        for stated in stated_targets(text):
            if damaged is not None and national_indicator(stated.name) is None:
                detail = _target_detail(stated.comparator, stated.value)
                damaged.append(PlanWarning(WarningKind.TARGET_UNREAD, task.code, detail))
                continue
            key = (fold(stated.name), str(stated.value))
            if key in seen:
                continue
            seen.add(key)
            out.append(
                _stated(
                    stated,
                    f"{task.code}-CT{len(out) + 1}",
                    source="task",
                    task_code=task.code,
                    units_text="; ".join(task.lead) or None,
                )
            )
    return out


def _merged(indicators: list[IndicatorDraft]) -> list[IndicatorDraft]:
    """Each national indicator once: a table's indicator (or the first stated) keeps it,
    with the standard name as an alias when the plan words it otherwise (the standard
    name itself when it differs only in its marks or case); a later
    target for the same national indicator with the same number only adds its wording
    to the aliases (a task repeating the plan's target)."""
    out: list[IndicatorDraft] = []
    kept: dict[tuple[str, str], IndicatorDraft] = {}
    for indicator in indicators:
        national = national_indicator(indicator.name)
        if national is None:
            out.append(indicator)
            continue
        if fold(indicator.name) != fold(national.name):
            _add_alias(indicator, national.name)
        else:  # the standard name, its marks as the standard writes them (OCR: "hỗ sơ")
            indicator.name = national.name
        key = (national.key, str(indicator.target))
        first = kept.get(key)
        if first is None or first.comparator != indicator.comparator:
            kept.setdefault(key, indicator)
            out.append(indicator)
            continue
        for alias in (indicator.name, *indicator.aliases):
            if fold(alias) != fold(first.name):
                _add_alias(first, alias)
    return out


def _add_alias(indicator: IndicatorDraft, alias: str) -> None:
    if all(fold(a) != fold(alias) for a in indicator.aliases):
        indicator.aliases.append(alias)
