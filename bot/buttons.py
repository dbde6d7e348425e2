"""What a pressed button means: one frozen dataclass per kind, packed into Telegram's
``callback_data`` (at most 64 bytes) as ``prefix:field:field``.

Views build buttons from these (``Button(label, Undo(12).pack())``) and the core routes a
pressed button by the type :func:`unpack` returns; nothing else reads or writes button
data. The wire format is the one the bot has always sent, so buttons already in chats keep
working. :func:`unpack` returns None for anything it cannot read (old, stale or forged
data): the caller answers that the button is no longer valid.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from bot.language.periods import Period
from bot.transport import MAX_CALLBACK_BYTES

__all__ = [
    "ButtonData",
    "CancelQuestion",
    "ChaseFigures",
    "ChaseLate",
    "ChaseLateIn",
    "ConfirmQuestion",
    "DeclineRequest",
    "DropTargets",
    "KeepEarlier",
    "KeepLater",
    "KeepTargets",
    "LateUnits",
    "MoveDeadline",
    "PeriodOverview",
    "PickOption",
    "PlanDetail",
    "PlanDiscard",
    "PlanImport",
    "PlanNewUnit",
    "PlanUnit",
    "PlanUse",
    "Ranking",
    "ReminderDone",
    "Snooze",
    "StandingRanking",
    "UndoReport",
    "UnitProgress",
    "unpack",
]

_DIGITS = 18  # an id that a database's 64-bit integer can hold


@dataclass(frozen=True)
class ButtonData:
    """A kind of button: ``prefix`` and the fields, in order, that follow it."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        values = [_text(getattr(self, f.name)) for f in dataclasses.fields(self)]
        data = ":".join([self.prefix, *values])
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"button data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data


def _text(value: object) -> str:
    return value.key if isinstance(value, Period) else str(value)


# -- reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoReport(ButtonData):
    """Hủy under a confirmation or in /lichsu: withdraw that report."""

    prefix: ClassVar[str] = "rep:undo"
    inbound_id: int


@dataclass(frozen=True)
class ConfirmQuestion(ButtonData):
    """Yes, record it: the open question is settled as it stands."""

    prefix: ClassVar[str] = "rep:ok"
    pending_id: int


@dataclass(frozen=True)
class PickOption(ButtonData):
    """One of the options of an open question (a unit, a task, a status …)."""

    prefix: ClassVar[str] = "rep:pick"
    pending_id: int
    option: int


@dataclass(frozen=True)
class CancelQuestion(ButtonData):
    prefix: ClassVar[str] = "rep:no"
    pending_id: int


@dataclass(frozen=True)
class KeepEarlier(ButtonData):
    """Under the office's notice of two reports that disagree: keep the earlier one (the
    later is withdrawn)."""

    prefix: ClassVar[str] = "cf:old"
    conflict_id: int


@dataclass(frozen=True)
class KeepLater(ButtonData):
    """Keep the later of two reports that disagree (it already stands)."""

    prefix: ClassVar[str] = "cf:new"
    conflict_id: int


# -- reminders -------------------------------------------------------------------------


@dataclass(frozen=True)
class Snooze(ButtonData):
    """Nhắc lại sau: remind again in ``days`` working days."""

    prefix: ClassVar[str] = "rem:snz"
    reminder_id: int
    days: int


@dataclass(frozen=True)
class ReminderDone(ButtonData):
    """Đã xong under a reminder: the task it is about is done."""

    prefix: ClassVar[str] = "rem:done"
    reminder_id: int


# -- questions about progress ----------------------------------------------------------


@dataclass(frozen=True)
class LateUnits(ButtonData):
    prefix: ClassVar[str] = "q:late"
    period: Period


@dataclass(frozen=True)
class ChaseFigures(ButtonData):
    """Nhắc các đơn vị này, under "xã nào chưa gửi số liệu?": remind them now."""

    prefix: ClassVar[str] = "q:chase"
    period: Period


@dataclass(frozen=True)
class ChaseLate(ButtonData):
    """Nhắc các đơn vị này, under "xã nào chậm?": remind each unit of its overdue tasks
    now."""

    prefix: ClassVar[str] = "q:chlate"


@dataclass(frozen=True)
class ChaseLateIn(ButtonData):
    """Nhắc các đơn vị này, under "xã nào chậm tháng 11?": remind each unit of its tasks
    due in ``period`` and still overdue, now."""

    prefix: ClassVar[str] = "q:chlatein"
    period: Period


@dataclass(frozen=True)
class PeriodOverview(ButtonData):
    prefix: ClassVar[str] = "q:ov"
    period: Period


@dataclass(frozen=True)
class Ranking(ButtonData):
    """Xem đầy đủ: every unit's progress as a spreadsheet."""

    prefix: ClassVar[str] = "q:xlsx"
    period: Period


@dataclass(frozen=True)
class StandingRanking(ButtonData):
    """Xem đầy đủ under the standing now: every unit's standing to date as a spreadsheet
    (the standing on the day it is pressed)."""

    prefix: ClassVar[str] = "q:nowxlsx"


@dataclass(frozen=True)
class UnitProgress(ButtonData):
    prefix: ClassVar[str] = "q:unit"
    period: Period
    unit_id: int


# -- the plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanImport(ButtonData):
    """Nhập: the previewed plan becomes the plan (or updates it)."""

    prefix: ClassVar[str] = "plan:ok"
    plan_id: int


@dataclass(frozen=True)
class PlanDiscard(ButtonData):
    prefix: ClassVar[str] = "plan:no"
    plan_id: int


@dataclass(frozen=True)
class PlanDetail(ButtonData):
    """Xem chi tiết: the previewed plan as a spreadsheet."""

    prefix: ClassVar[str] = "plan:xlsx"
    plan_id: int


@dataclass(frozen=True)
class PlanUnit(ButtonData):
    """The unit chosen for an unsure name in a previewed plan (``unit_id`` 0: none)."""

    prefix: ClassVar[str] = "plan:u"
    plan_id: int
    index: int
    unit_id: int


@dataclass(frozen=True)
class PlanNewUnit(ButtonData):
    """Create a unit a previewed plan names but the list lacks (``key``: which name, as
    ``bot.plans.resolve.new_unit_key`` gives it; 0: every one)."""

    prefix: ClassVar[str] = "plan:new"
    plan_id: int
    key: int


@dataclass(frozen=True)
class KeepTargets(ButtonData):
    """Keep the targets found in task texts as indicators."""

    prefix: ClassVar[str] = "plan:ti1"
    plan_id: int


@dataclass(frozen=True)
class DropTargets(ButtonData):
    prefix: ClassVar[str] = "plan:ti0"
    plan_id: int


@dataclass(frozen=True)
class MoveDeadline(ButtonData):
    """Đồng ý đổi hạn, under "gia hạn nv 4.3 đến 31/12": the task becomes due on that day."""

    prefix: ClassVar[str] = "plan:due"
    task_id: int
    day: Period  # a day


@dataclass(frozen=True)
class DeclineRequest(ButtonData):
    """Không đồng ý, under an official's request for more time: they are told so."""

    prefix: ClassVar[str] = "plan:due0"
    request_id: int  # a row of the office's notice of the request


@dataclass(frozen=True)
class PlanUse(ButtonData):
    """Dùng kế hoạch năm …: the office chooses the plan in use."""

    prefix: ClassVar[str] = "plan:use"
    plan_id: int


_KINDS: dict[str, type[ButtonData]] = {
    kind.prefix: kind
    for kind in (
        ChaseFigures,
        ChaseLate,
        ChaseLateIn,
        UndoReport,
        ConfirmQuestion,
        PickOption,
        CancelQuestion,
        KeepEarlier,
        KeepLater,
        Snooze,
        ReminderDone,
        LateUnits,
        PeriodOverview,
        Ranking,
        StandingRanking,
        UnitProgress,
        PlanImport,
        PlanDiscard,
        PlanDetail,
        PlanUnit,
        PlanNewUnit,
        KeepTargets,
        DropTargets,
        PlanUse,
        MoveDeadline,
        DeclineRequest,
    )
}


def unpack(data: str | None) -> ButtonData | None:
    """The button ``data`` stands for, or None when it is not one the bot sends."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    parts = data.split(":")
    kind = _KINDS.get(":".join(parts[:2]))
    fields = dataclasses.fields(kind) if kind is not None else ()
    values = parts[2:]
    if kind is None or len(values) != len(fields):
        return None
    typed: list[object] = []
    for field, value in zip(fields, values, strict=True):
        if field.type in (int, "int"):
            if not (value.isascii() and value.isdigit() and len(value) <= _DIGITS):
                return None
            if value != str(int(value)):  # "012": not what the bot writes
                return None
            typed.append(int(value))
        else:
            period = Period.from_key(value)
            if period is None or period.key != value:
                return None
            typed.append(period)
    return kind(*typed)
