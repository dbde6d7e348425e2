"""The routing tables: which function answers each command, each kind of button and each
message, one module per area (people, reports, progress, reminders, the plan, a task's
deadline moved).

:class:`bot.core.Core` looks a command up in :data:`COMMANDS` by its name, a pressed
button in :data:`BUTTONS` by the type of its data (``bot/buttons.py``), and hands every
other message to :func:`bot.areas.reports.message`. A new command is one entry in its
area's ``COMMANDS``; a new button, a dataclass in ``bot/buttons.py`` and one entry in its
area's ``BUTTONS``.
"""

from __future__ import annotations

from bot.areas import moving, people, periodic, plans, progress, reminders, reports, web
from bot.areas.routes import Command, Press

COMMANDS: dict[str, Command] = {
    **people.COMMANDS,
    **reports.COMMANDS,
    **progress.COMMANDS,
    **reminders.COMMANDS,
    **plans.COMMANDS,
    **moving.COMMANDS,
    **periodic.COMMANDS,
    **web.COMMANDS,
}
BUTTONS: dict[type, Press] = {
    **reports.BUTTONS,
    **progress.BUTTONS,
    **reminders.BUTTONS,
    **plans.BUTTONS,
    **moving.BUTTONS,
}

__all__ = ["BUTTONS", "COMMANDS", "Command", "Press"]
