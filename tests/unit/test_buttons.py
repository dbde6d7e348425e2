"""Button data: every kind packs within 64 bytes and reads back; anything else is None."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import buttons
from bot.buttons import (
    ChaseLate,
    ChaseLateIn,
    DeclineRequest,
    DropTargets,
    KeepEarlier,
    KeepLater,
    KeepTargets,
    LateUnits,
    PickOption,
    PlanNewUnit,
    PlanUnit,
    Snooze,
    UndoReport,
    UnitProgress,
    unpack,
)
from bot.language.periods import Period

BIG = 10**15  # ids far beyond any table, still within 64 bytes


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (UndoReport(12), "rep:undo:12"),
        (PickOption(7, 2), "rep:pick:7:2"),
        (Snooze(5, 3), "rem:snz:5:3"),
        (LateUnits(Period.month(2026, 11)), "q:late:2026-11"),
        (UnitProgress(Period.quarter(2026, 3), 44), "q:unit:2026-Q3:44"),
        (PlanUnit(9, 3, 0), "plan:u:9:3:0"),
        (PlanNewUnit(9, 4294967295), "plan:new:9:4294967295"),
        (PlanNewUnit(9, 0), "plan:new:9:0"),
        (KeepTargets(9), "plan:ti1:9"),
        (KeepEarlier(4), "cf:old:4"),
        (KeepLater(4), "cf:new:4"),
        (DropTargets(9), "plan:ti0:9"),
        (ChaseLate(), "q:chlate"),
        (ChaseLateIn(Period.month(2026, 11)), "q:chlatein:2026-11"),
        (DeclineRequest(31), "plan:due0:31"),
    ],
)
def test_the_wire_format_is_the_one_in_chats(button, data: str) -> None:
    assert button.pack() == data
    assert unpack(data) == button


def test_every_kind_has_a_prefix_of_its_own() -> None:
    """Two kinds sharing a prefix read one as the other (a plan's Hủy read as an answer
    to a request for more time did: "Đề nghị này đã được trả lời rồi")."""
    kinds = {
        kind
        for kind in vars(buttons).values()
        if isinstance(kind, type) and issubclass(kind, buttons.ButtonData)
    } - {buttons.ButtonData}
    assert set(buttons._KINDS.values()) == kinds
    assert len({kind.prefix for kind in kinds}) == len(kinds)


def test_every_kind_fits_with_the_largest_values() -> None:
    for kind in buttons._KINDS.values():
        values = [
            Period.day(Period.month(2026, 12).end) if f.type in (Period, "Period") else BIG
            for f in dataclasses.fields(kind)
        ]
        button = kind(*values)
        assert len(button.pack().encode()) <= 64
        assert unpack(button.pack()) == button


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "rep:undo",
        "rep:undo:x",
        "rep:undo:1:2",
        "rep:undo:-1",
        "q:late:2026-13",
        "q:unit:2026-11:abc",
        "nope:1",
        "rem:snz:" + "9" * 70,
        "rep:undo:" + "9" * 30,
        "rep:undo:012",
        "q:chlate:1",
    ],
)
def test_what_the_bot_never_sent_reads_as_nothing(data) -> None:
    assert unpack(data) is None


@given(st.text(max_size=80))
def test_any_data_reads_as_a_button_or_nothing(data: str) -> None:
    button = unpack(data)
    assert button is None or button.pack() == data
