"""What a plan document is read into. Pure data: no I/O.

Readers turn a file into a :class:`Document` (paragraphs and tables in reading order);
the parser turns a Document into a :class:`PlanDraft` (title, issuer, year, tasks,
indicators, reporting duties and warnings); the plan service resolves the units and
stores it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from bot.language.timeframes import Timeframe


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose. ``heading`` is its outline level (0 = body text)."""

    text: str
    bold: bool = False
    heading: int = 0


@dataclass(frozen=True)
class Cell:
    """One table cell on the table's grid.

    A cell merged across columns keeps its text in its first column; the columns it
    spans are empty cells with ``spanned=True``. A cell merged down several rows has
    its text repeated in each of them, with ``spanned=True`` below the first.
    """

    text: str
    bold: bool = False
    spanned: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    # A table printed without borders, its cells' text at their top: a cell merged down
    # over rows shows its text in its first row only, and an empty cell under a filled one
    # is most likely that cell going on. (Plain text is taken as written: its cells are
    # typed, and a Word file's merges reach it repeated or not at all.)
    hides_merges: bool = False


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A plan file as read: its blocks in reading order."""

    name: str  # the file name, for messages
    kind: str  # how it was read: "docx", "xlsx", "text", "pdf" (its text layer), "ocr"
    blocks: tuple[Block, ...]
    ocr_confidence: float | None = None  # OCR's mean word confidence (0–100), when OCR read it
    repaired_words: int = 0  # words the repair of damaged OCR text restored
    # Tables a PDF printed without ruling lines, read from the words' positions.
    borderless_tables: int = 0
    # A repaired text's lines as restored, before its task table was rebuilt (the rebuilt
    # table may take in the indicator list below it): the indicator list is read from
    # these (:mod:`bot.plans.damaged_targets`).
    restored_lines: tuple[str, ...] = ()


class WarningKind(enum.StrEnum):
    """What looked wrong while reading a plan; the views word each one."""

    DUPLICATE_CODE = "duplicate_code"  # two tasks written with the same code
    GENERATED_CODE = "generated_code"  # a task row without a number: one was made up
    NO_UNIT = "no_unit"  # a task with no lead unit
    # A task whose lead cell is empty in a table that cannot show merged cells: the lead
    # of the task above it was taken, as a cell merged down would give (to check).
    LEAD_FROM_ABOVE = "lead_from_above"
    NO_TIMEFRAME = "no_timeframe"  # a task with no timeframe
    UNREADABLE_TIMEFRAME = "unreadable_timeframe"  # a timeframe that could not be read
    NO_YEAR = "no_year"  # the document gives no year (and none was assumed)
    YEAR_MISMATCH = "year_mismatch"  # the title's year is not the year of most deadlines
    UNRESOLVED_UNIT = "unresolved_unit"  # a unit name the catalogue does not know
    UNSURE_UNIT = "unsure_unit"  # a unit name the matcher is not sure of
    CHECK_READING = "check_reading"  # read by OCR or from repaired text: check it ("cần kiểm tra")
    # Read by OCR or from repaired text, the numbering skips numbers (a row lost?); the
    # detail holds them: "1.1–1.3".
    NUMBERS_MISSING = "numbers_missing"
    # From damaged text: a target whose measure could not be read (not imported; the
    # detail holds the target as read, "toi thieu 60", ">= 80%"), and a national
    # indicator whose target was lost (the detail holds its name).
    TARGET_UNREAD = "target_unread"
    TARGET_LOST = "target_lost"
    # An indicator table giving each unit its own target (a column per commune): not
    # imported (a plan's indicator has one target); the detail names the units.
    TARGETS_PER_UNIT = "targets_per_unit"


@dataclass(frozen=True)
class PlanWarning:
    kind: WarningKind
    task_code: str | None = None
    detail: str = ""  # the text concerned, as written
    # For an unsure unit: the units to choose from, as (id, name).
    candidates: tuple[tuple[int, str], ...] = ()


class YearSource(enum.StrEnum):
    """Where a plan's year was read (the preview says so unless it was in the title)."""

    TITLE = "title"  # the title, or a heading of the document ("… NĂM 2027")
    LABEL = "label"  # a "Năm: 2027" row (Đôn Đốc's template)
    DEADLINES = "deadlines"  # most of the years written in the tasks' timeframes
    DATE = "date"  # the date the document was signed ("ngày … tháng 12 năm 2026")
    ASSUMED = "assumed"  # nothing written: the year the caller gave (the current year)


@dataclass
class TaskDraft:
    code: str  # unique within the plan (see ``written_code``)
    content: str
    written_code: str = ""  # the number as written in its row ("1", "2.1", "")
    code_generated: bool = False
    section: str | None = None  # "II. Rà soát, đơn giản hóa TTHC" (code and title)
    lead: list[str] = field(default_factory=list)  # lead units as written, one per item
    cooperating: list[str] = field(default_factory=list)
    timeframe_text: str = ""
    timeframe: Timeframe | None = None
    product: str | None = None
    position: int = 0  # 1-based order in the plan


class Comparator(enum.StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="


@dataclass
class IndicatorDraft:
    code: str
    name: str
    measure: str  # "%" or a counted noun ("hồ sơ"); "count" when unknown
    comparator: Comparator
    target: Decimal
    # "table": an indicator table; "text": a target sentence of the plan's prose outside
    # the tasks (under a "Mục tiêu, chỉ tiêu" heading); "task": stated in a task's text
    source: str = "table"
    task_code: str | None = None  # for source "task": the task that states it
    units_text: str | None = None  # "Các phòng, ban, ngành; UBND cấp xã"
    # Other names reports may use: the plan's own wording when ``name`` is a national
    # indicator's standard name, or the standard name when the plan words it otherwise.
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Duty:
    """A reporting duty stated in the prose ("báo cáo tuần … thứ Năm hằng tuần")."""

    text: str
    timeframe: Timeframe


@dataclass(frozen=True)
class Source:
    """How a plan's file was read, for the preview and ``--json``: its format as sent
    ("docx", "xlsx", "text", "pdf", an old "doc" converted, …), whether OCR read it, OCR's
    mean word confidence (0–100), the words the repair of damaged text restored and the
    tables printed without borders, read from the words' positions."""

    format: str
    ocr: bool = False
    confidence: float | None = None
    repaired_words: int = 0
    borderless_tables: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "ocr": self.ocr,
            "confidence": self.confidence,
            "repaired_words": self.repaired_words,
            "borderless_tables": self.borderless_tables,
        }


@dataclass
class PlanDraft:
    title: str | None = None
    issuer: str | None = None  # "UBND thị xã Sơn Tây"
    year: int | None = None
    year_source: YearSource | None = None  # None when there is no year at all
    tasks: list[TaskDraft] = field(default_factory=list)
    indicators: list[IndicatorDraft] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    source: Source | None = None  # how the file was read
