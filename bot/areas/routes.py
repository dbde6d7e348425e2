"""What an entry of the routing tables is: the function that answers, and who may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.services.identity import Actor
from bot.transport import Incoming, Reply

if TYPE_CHECKING:
    from bot.core import Core


@dataclass(frozen=True)
class Command:
    """``answer(core, incoming, actor)``; ``anyone``: also for people not registered."""

    answer: Callable[[Core, Incoming, Actor], list[Reply]]
    anyone: bool = False


# ``press(core, incoming, actor, data)`` with the button's typed data (bot/buttons.py);
# only registered people press buttons that do something.
Press = Callable[["Core", Incoming, Actor, Any], list[Reply]]


def commands(answer: Callable[..., list[Reply]], *names: str, anyone: bool = False) -> dict:
    """One entry per name (Vietnamese and English) for the same answer."""
    return dict.fromkeys(names, Command(answer, anyone))
