"""Every failure answers: the person gets a short apology with a reference, and the log
gets the same reference with the update and the traceback, so the office can find it.

Nothing half-stored remains: each service runs in one transaction, rolled back when it
raises (``storage.db.Database.session``).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import TelegramError

from bot.config import SUPPORTED_LANGUAGES
from bot.views.common import error_reply, new_reference
from handlers.common import Context

log = logging.getLogger(__name__)


def _language(update: Update, context: Context) -> str:
    """The person's language as far as it is known without the database (which may be
    what failed): Telegram's, else the deployment's."""
    user = update.effective_user
    if user is not None and user.language_code in SUPPORTED_LANGUAGES:
        return user.language_code
    return context.core.settings.language


async def on_error(update: object, context: Context) -> None:
    reference = new_reference()
    detail = json.dumps(update.to_dict(), ensure_ascii=False) if isinstance(update, Update) else ""
    log.error(
        "error %s while handling update %s", reference, detail or update, exc_info=context.error
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return  # a job or an update with no chat: the log is all there is
    language = _language(update, context)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        reply = error_reply(reference, language, kept=isinstance(context.error, SQLAlchemyError))
        await context.bot.send_message(update.effective_chat.id, reply.text)
    except TelegramError as exc:
        log.warning("error %s: the apology could not be sent either: %s", reference, exc)
