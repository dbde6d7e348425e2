"""What handling a report produces: its kind, the facts stored, the question asked, and the
message it came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.language.periods import Period
from bot.language.statuses import Status
from bot.matching import UnitEntry
from bot.understanding.model import (
    IndicatorRef,
    Interpretation,
    Problem,
    TaskRef,
)


class OutcomeKind(enum.StrEnum):
    STORED = "stored"
    ASK = "ask"  # a choice or a confirmation is needed; nothing stored yet
    REJECTED = "rejected"  # something is wrong; nothing stored
    INCOMPLETE = "incomplete"  # task codes without a status; nothing stored
    UNDONE = "undone"
    NOTHING_TO_UNDO = "nothing_to_undo"
    UNDO_TOO_OLD = "undo_too_old"  # the latest report is older than the undo window
    ALREADY_UNDONE = "already_undone"  # the latest report no longer stands
    # "hủy" while the sender's latest message waits for a choice or a confirmation: it
    # is dropped, nothing of it stored
    PENDING_DROPPED = "pending_dropped"
    QUERY = "query"
    HELP = "help"
    OTHER = "other"
    ALREADY = "already"  # the task was already recorded done (a button pressed twice)


@dataclass
class StoredTask:
    code: str
    content: str
    status: Status
    percent: int | None
    note: str | None
    due: date | None = None  # a task with one deadline: its deadline, not a period's
    # A recurring task: the period whose report this is ("Báo cáo quý" sent on 20/9: the
    # third quarter), set when stored; None for the others (the message's period).
    period: Period | None = None
    done_on: date | None = None  # the day it was done, as the report wrote it


def stored_task(
    task: TaskRef,
    status: Status,
    percent: int | None,
    note: str | None,
    done_on: date | None = None,
) -> StoredTask:
    """A task's fact as a reply lists it; a task with one deadline carries it."""
    due = task.due if task.timeframe_kind == ONE_DEADLINE else None
    return StoredTask(task.code, task.content, status, percent, note, due, done_on=done_on)


ONE_DEADLINE = "due"  # the timeframe kind of a task with one deadline


@dataclass
class StoredValue:
    """A figure as a reply lists it; ``value`` None: nothing arose in the period ("thanh
    toán trực tuyến không phát sinh", "0/0"), stored as such, with no figure."""

    indicator: IndicatorRef
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def meets(self) -> bool | None:
        target = self.indicator.target
        if target is None or self.value is None:
            return None
        if self.indicator.comparator == "<=":
            return self.value <= target
        if self.indicator.comparator == "=":
            return self.value == target
        return self.value >= target


Fact = StoredTask | StoredValue


def fact_key(fact: Fact) -> tuple[str, str | int]:
    """What a fact is about, for pairing a correction with what it replaces."""
    if isinstance(fact, StoredTask):
        return ("task", fact.code)
    return ("indicator", fact.indicator.id)


@dataclass
class Outcome:
    kind: OutcomeKind
    interpretation: Interpretation | None = None
    unit: UnitEntry | None = None
    period: Period | None = None
    tasks: list[StoredTask] = field(default_factory=list)
    values: list[StoredValue] = field(default_factory=list)
    missing_status: list[str] = field(default_factory=list)  # codes written without a status
    pending_id: int | None = None
    inbound_id: int | None = None
    correction: bool = False  # sent as a correction: "sửa: …", a reply to the bot, an edit
    # What the correction replaced, by fact_key; facts of the corrected reports that
    # still stand; facts an edited message no longer says (withdrawn with it).
    replaced: dict[tuple[str, str | int], Fact] = field(default_factory=dict)
    kept: list[Fact] = field(default_factory=list)
    dropped: list[Fact] = field(default_factory=list)
    restored: list[Fact] = field(default_factory=list)  # put back by undoing a correction
    at: datetime | None = None  # when the report undone (or not undone) was sent
    parts: list[Outcome] = field(default_factory=list)  # one per unit a message names
    question: Question | None = None  # what to ask, when the kind is ASK
    window_hours: int | None = None  # how recent "hủy" reaches (with UNDO_TOO_OLD)
    evidence: bool = False
    no_plan: bool = False  # tasks were reported but no plan has been imported
    task_codes: dict[int, str] = field(default_factory=dict)  # id → code, for display
    indicator_names: dict[int, str] = field(default_factory=dict)
    # The message also asked ("nv 3.1 xong, nv 3.2 thế nào?"): the question's outcome
    # (kind QUERY), answered after the report's reply.
    query: Outcome | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.interpretation.problems if self.interpretation else []


def local_day(now: datetime, tz) -> date:
    return now.astimezone(tz).date()


@dataclass
class Message:
    """What the reporting service needs from an inbound message; ``inbound_id`` is its
    row in the message log (None for a message that was never logged)."""

    inbound_id: int | None
    chat_id: int
    message_id: int | None
    text: str
    edited: bool = False
    reply_to_bot: bool = False
    evidence_file_id: str | None = None


class Asked(enum.StrEnum):
    """What a question is about."""

    UNIT = "unit"  # which unit ("Xã Tân Lập" could be several)
    TASK = "task"  # which task (found by its content, or a code shared by several)
    INDICATOR = "indicator"  # which indicator
    STATUS = "status"  # which status ("xong 50%")
    CONFIRM = "confirm"  # yes or no (a figure that jumps, a task found by content)


@dataclass
class Question:
    """The first thing a pending report needs: what to ask and the options."""

    kind: Asked
    index: int  # which item (for task / indicator / status)
    subject: str
    # (id, label); empty for a plain confirmation. For "status" the label is a choice
    # ("in_progress:50", see :func:`bot.understanding.choices.parse_status_choice`)
    # that the view puts in words.
    options: list[tuple[int, str]]
