"""/start (with a deep-link invite code), /trogiup, /help and /ngonngu: the people area's
commands (``bot.areas.people``), answered even before registering."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from bot.areas import people
from handlers.common import respond

GROUP_COMMANDS = {"nhom"}  # registered by handlers.groups


def register(app: Application) -> None:
    names = sorted(set(people.COMMANDS) - GROUP_COMMANDS)
    app.add_handler(CommandHandler(names, respond))
