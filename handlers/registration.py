"""/start (with a deep-link invite code) and /trogiup, /help."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from bot.core import HELP_COMMANDS, LANGUAGE_COMMANDS
from handlers.common import respond


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", respond))
    app.add_handler(CommandHandler(sorted(HELP_COMMANDS), respond))
    app.add_handler(CommandHandler(sorted(LANGUAGE_COMMANDS), respond))
