"""Telegram adapters, one module per area. Thin: Update → core → Replies → Telegram."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import groups, messages, registration
from handlers.common import preprocess
from handlers.intake import finish

FIRST, LAST = -1, 1  # the handler groups around the areas' handlers (group 0)


def register_all(app: Application) -> None:
    # Group -1: claim the update in the message log and load who sent it; a redelivered
    # one stops here.
    app.add_handler(TypeHandler(Update, preprocess), group=FIRST)
    # Group 0: one handler per area answers.
    registration.register(app)
    groups.register(app)
    messages.register(app)
    # Group 1: the update was answered, even when its handler failed (the person got an
    # apology); one that failed with the database is left for the intake to retry.
    app.add_handler(TypeHandler(Update, finish), group=LAST)
