"""What a message is understood as. Pure data: no I/O.

The service builds a :class:`Context` from the database (the deployment's units, the
active plan's tasks and indicators, today's date, the sender's unit) and calls
``bot.understanding.interpret(text, context)``, which returns an
:class:`Interpretation`: the intent, the unit, the period, the tasks and indicators
with their values, and every problem found. The service then checks what needs the
database (permissions, a figure's jump from the previous period), stores, and replies.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.config import REPORT_CUTOFF_DAY
from bot.language.periods import Period
from bot.language.statuses import Status
from bot.matching import UnitCatalogue, UnitEntry


class Intent(enum.StrEnum):
    REPORT = "report"
    QUERY = "query"  # "tình hình tháng này", "xã nào chậm?" (answered by the summaries)
    CORRECTION = "correction"  # "sửa: …" (a reply to the bot or an edit is told by the caller)
    UNDO = "undo"  # "hủy", "hủy báo cáo"
    HELP = "help"
    OTHER = "other"  # chit-chat ("ok", "cảm ơn", "chào cả nhà") or nothing recognisable


class ProblemCode(enum.StrEnum):
    UNKNOWN_UNIT = "unknown_unit"
    AMBIGUOUS_UNIT = "ambiguous_unit"
    UNKNOWN_TASK = "unknown_task"
    TASK_NOT_ASSIGNED = "task_not_assigned"
    AMBIGUOUS_TASK = "ambiguous_task"
    UNKNOWN_INDICATOR = "unknown_indicator"
    AMBIGUOUS_INDICATOR = "ambiguous_indicator"
    VALUE_OUT_OF_RANGE = "value_out_of_range"
    NUMERATOR_EXCEEDS_DENOMINATOR = "numerator_exceeds_denominator"
    # A count alone for a percentage indicator ("số hóa 110 hồ sơ"): the total is missing.
    COUNT_FOR_PERCENT = "count_for_percent"
    # A count after a total of other things ("tiếp nhận 120 hồ sơ, thanh toán trực tuyến
    # 90": payments are counted over payment transactions): ``value`` the count,
    # ``candidates`` the total's words and what the indicator counts (:mod:`.counted`).
    NOT_OF_TOTAL = "not_of_total"
    # A percentage written as a change ("số hóa tăng 5%", "vượt 5%"): not the level the
    # indicator stands at; ``subject`` the words as written, ``value`` the percentage.
    CHANGE_NOT_FIGURE = "change_not_figure"
    FUTURE_PERIOD = "future_period"
    # A task said done on a day not yet come, or before the plan's year ("xong ngày
    # 10/12" read on 6/12 is last year's 10/12): ``subject`` the task, ``value`` the day.
    DONE_DATE = "done_date"
    INVALID_PERIOD = "invalid_period"  # "quý 5", "tháng 13", "ngày 31/2"
    PERIOD_OUTSIDE_PLAN = "period_outside_plan"  # "tháng 5/2016" against the 2026 plan
    # Figures written with two periods or more ("số hóa tháng 10 85%, thanh toán tháng 9
    # 80%"): a message reports for one period; ``subject`` the periods as written.
    SEVERAL_PERIODS = "several_periods"
    # The same task or indicator twice in one message with different values
    # ("số hóa 80/100 … số hóa 90/100"): which one is meant is not guessed.
    REPEATED_ITEM = "repeated_item"
    REPEATED_UNIT = "repeated_unit"  # "Xã A: …; Xã B: …; Xã A: …" (the office, several units)
    NOT_ALLOWED = "not_allowed"
    NEEDS_CONFIRMATION = "needs_confirmation"
    # A task's words and its figure disagree ("xong 50%") or a figure alone could mean done
    # ("nv 3.1 100%"): the sender chooses between the statuses in ``candidates``.
    STATUS_UNCLEAR = "status_unclear"
    # An indicator named with a figure that is not a number ("so hoa 8o/100", "8x%", "tám
    # mươi phần trăm"): ``candidates`` the indicators named, ``value`` the figure as
    # written, ``reading`` what its letters typed for digits would read ("80/100").
    UNREADABLE_FIGURE = "unreadable_figure"
    # A status said of every task of the unit ("đã xong hết các nhiệm vụ"): an item for
    # each, to confirm; ``subject`` the words as written, ``value`` how many tasks.
    EVERY_TASK = "every_task"
    # The same with no task of the unit to say it of (none assigned, or each one named
    # on its own or reported done already): ``subject`` the words as written.
    NO_TASK_LEFT = "no_task_left"


# Problems that only need a choice or a yes (nothing is wrong with the message itself).
ASKING = frozenset(
    {
        ProblemCode.AMBIGUOUS_UNIT,
        ProblemCode.AMBIGUOUS_TASK,
        ProblemCode.AMBIGUOUS_INDICATOR,
        ProblemCode.NEEDS_CONFIRMATION,
        ProblemCode.STATUS_UNCLEAR,
        ProblemCode.EVERY_TASK,
    }
)


@dataclass(frozen=True)
class TaskRef:
    """A task of the active plan, as the understanding layer needs it."""

    id: int
    code: str  # unique in the plan: "1.1", "II.3", "PL2.1", "8.2 (2)"
    content: str
    unit_ids: frozenset[int]  # units assigned (lead or cooperating)
    written_code: str | None = None  # as the plan numbers it ("1" under section II)
    timeframe_kind: str | None = None
    due: date | None = None  # the deadline of a task with one ("Quý I/2026": 31/03/2026)
    recurrence: str | None = None  # a recurring task's cadence ("quarterly")


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    measure: str = "%"  # "%" or a counted noun
    comparator: str = ">="
    target: Decimal | None = None


@dataclass
class Context:
    catalogue: UnitCatalogue
    tasks: Sequence[TaskRef]
    indicators: Sequence[IndicatorRef]
    today: date
    sender_unit_id: int | None = None
    cutoff_day: int = REPORT_CUTOFF_DAY
    plan_year: int | None = None  # the year of the plan reports are read against
    # The sender follows the plan rather than reports on it (the office, leaders): a
    # message of theirs that names a task, an indicator or a unit with no status and no
    # figure ("số hóa quý 3", "tiến độ xã Sơn Dương") can only be a question.
    oversees: bool = False
    # The sender may report (not a leader): a message of theirs that reports and asks is
    # read as both; a leader's is read whole, as the question it can only be.
    may_report: bool = True


class UnitDecision(enum.StrEnum):
    """How the unit a message is about was decided."""

    MATCH = "match"  # named in the text
    ASK = "ask"  # named, but several units could be meant: the sender chooses
    SENDER = "sender"  # none named: the sender's own unit
    NONE = "none"  # none named and the sender has none, or the name matches no unit


@dataclass(frozen=True)
class UnitPick:
    """The unit a message is about."""

    decision: UnitDecision
    unit: UnitEntry | None = None
    candidates: tuple[UnitEntry, ...] = ()
    written: str = ""  # the unit as written in the message, if named
    span: tuple[int, int] | None = None


@dataclass
class TaskItem:
    """One task the message reports on."""

    written: str  # the code or the content fragment as written
    task_ids: tuple[int, ...] = ()  # one: resolved; several: ambiguous; none: unknown
    status: Status | None = None
    percent: int | None = None
    note: str | None = None  # the reason after "do", "vì", "lý do"
    by_content: bool = False  # found by a fragment of its content, not by its code
    # The day it was done, when written with "done" ("hoàn thành ngày 28/11")
    done_on: date | None = None
    every: bool = False  # one of every task of the unit ("xong hết các nhiệm vụ")


@dataclass
class IndicatorItem:
    """One indicator figure the message reports."""

    written: str  # the indicator as written ("so hoa")
    indicator_ids: tuple[int, ...] = ()  # one: resolved; several: ambiguous; none: unknown
    value: Decimal | None = None  # a percentage, or the count for a counted indicator
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    quantity: str = ""  # the figure as written ("85/100 ho so")
    # Nothing arose in the period ("thanh toán trực tuyến không phát sinh", "0/0"): no
    # figure to record, the indicator does not count for the unit in that period.
    not_arising: bool = False


# The most names a problem offers to choose from.
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    subject: str = ""  # what it is about, as written ("2.9", "so hoa", "Xã Sơn Dươg")
    candidates: tuple[str, ...] = ()  # names to choose from, or the nearest names
    value: str | None = None  # the offending value, as written ("120%")
    # A figure's likely reading, only to suggest ("80/100" for "8o/100"): never stored.
    reading: str | None = None


@dataclass
class Interpretation:
    text: str
    intent: Intent
    unit: UnitPick | None = None
    period: Period | None = None
    period_written: str | None = None  # None: the default reporting period
    tasks: list[TaskItem] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A question only because the sender oversees and gave no status or figure (no
    # question word): answered when addressed to the bot, never as group chit-chat.
    bare_question: bool = False
    # A message that reports and asks ("nv 3.1 xong, nv 3.2 thế nào?"): this is the
    # report, read from the clauses that report; ``question`` the clauses that ask.
    question: Interpretation | None = None
    # Counts named with indicator words that name no one indicator ("đúng hạn 118",
    # "giải quyết 118 hồ sơ"), as written: not read, and the reply says so (a count that
    # names nothing, "gửi 2 ảnh", or sits in a task's clause is no figure and unsaid).
    unused: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Problem]:
        """Problems that stop the report: something is wrong, not just unsure."""
        return [p for p in self.problems if p.code not in ASKING]

    @property
    def asking(self) -> list[Problem]:
        return [p for p in self.problems if p.code in ASKING]
