"""The bot joining or leaving a group, and /nhom to bind a group to units."""

from __future__ import annotations

from telegram.ext import Application, ChatMemberHandler, CommandHandler

from handlers.common import respond


def register(app: Application) -> None:
    app.add_handler(ChatMemberHandler(respond, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("nhom", respond))
