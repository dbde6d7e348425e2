"""Free text, captions, edits and button presses: everything else goes to the core."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from handlers.common import respond


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(respond))
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.PHOTO | filters.Document.ALL | filters.UpdateType.EDITED)
            & ~filters.StatusUpdate.ALL,
            respond,
        )
    )
