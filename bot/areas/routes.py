"""What an entry of the routing tables is: the function that answers, and who may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.services.inbound import Claim
from bot.transport import Incoming, Reply

if TYPE_CHECKING:
    from bot.core import Core


@dataclass(frozen=True)
class Command:
    """``answer(core, incoming, claim)``; ``anyone``: also for people not registered.
    The claim (:class:`~bot.services.inbound.Claim`) is the sender and the update's row in
    the message log."""

    answer: Callable[[Core, Incoming, Claim], list[Reply]]
    anyone: bool = False


# ``press(core, incoming, claim, data)`` with the button's typed data (bot/buttons.py);
# only registered people press buttons that do something.
Press = Callable[["Core", Incoming, Claim, Any], list[Reply]]


def commands(answer: Callable[..., list[Reply]], *names: str, anyone: bool = False) -> dict:
    """One entry per name (Vietnamese and English) for the same answer."""
    return dict.fromkeys(names, Command(answer, anyone))
