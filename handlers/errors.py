"""Every failure answers: the person gets a short apology with a reference, and the log
gets the same reference with the update and the traceback, so the office can find it.
Fetching updates that fails (PTB calls this with no update and retries by itself) is one
line in the log: another process polling with the same token (409 Conflict), Telegram out
of reach, or another refusal.

Nothing half-stored remains: each service runs in one transaction, rolled back when it
raises (``storage.db.Database.session``).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError

from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import translations
from bot.views.common import error_reply, new_reference
from handlers.common import BotContext

log = logging.getLogger(__name__)


def _language(update: Update, context: BotContext) -> str:
    """The person's language as far as it is known without the database (which may be
    what failed): Telegram's, else the deployment's."""
    user = update.effective_user
    if user is not None and user.language_code in SUPPORTED_LANGUAGES:
        return user.language_code
    return context.core.settings.language


def _polling_failure(error: TelegramError, context: BotContext) -> None:
    """A failed ``getUpdates`` (PTB retries it by itself): one line, no traceback."""
    _ = translations(context.core.settings.language).gettext
    reason = str(error).replace(context.bot.token, "<token>")
    if isinstance(error, Conflict):
        log.error(
            _(
                "Telegram refused to give updates (%s): another process is polling with the "
                "same bot token. Stop it: one bot token, one running bot."
            ),
            reason,
        )
    elif isinstance(error, NetworkError):
        log.warning(_("Cannot reach Telegram while polling (%s): trying again."), reason)
    else:
        log.error(_("Telegram refused to give updates (%s): trying again."), reason)


async def on_error(update: object, context: BotContext) -> None:
    if update is None and isinstance(context.error, TelegramError):
        _polling_failure(context.error, context)  # fetching updates failed
        return
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
