"""Telegram adapters, one module per area. Thin: Update → core → Replies → Telegram."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import groups, messages, registration
from handlers.common import preprocess


def register_all(app: Application) -> None:
    app.add_handler(TypeHandler(Update, preprocess), group=-1)
    registration.register(app)
    groups.register(app)
    messages.register(app)
