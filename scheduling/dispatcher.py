"""The repeating job that sends due reminders (PTB's JobQueue runs it; tests call it).

It claims due rows, sends each one through the bot (the rate limiter paces them), and
records the outcome: sent with Telegram's message id; a chat that blocked the bot or no
longer exists is marked and not retried; other failures are retried a few times.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MessageEntity,
    User,
)
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.transport import Reply
from bot.views.reminders import digest_reply, reminder_reply
from scheduling import service

log = logging.getLogger(__name__)


async def dispatch(bot: Bot, core, limit: int = 100) -> int:
    """Send what is due now; returns how many were sent."""
    settings = core.settings
    now = core.clock()
    ids = await asyncio.to_thread(
        service.claim,
        core.db,
        now,
        limit=limit,
        quiet=(settings.quiet_start, settings.quiet_end),
        tz=settings.tz,
        staleness=timedelta(hours=settings.reminder_staleness_hours),
    )
    sent = 0
    digests: dict[str, tuple[Reply, bytes | None]] = {}
    for reminder_id in ids:
        out = await asyncio.to_thread(service.outgoing, core.db, reminder_id, settings.language)
        if out is None:
            await asyncio.to_thread(service.mark_failed, core.db, reminder_id, now, permanent=True)
            continue
        if out.kind == "missing" and not out.payload.get("units"):
            await asyncio.to_thread(service.mark_cancelled, core.db, reminder_id)
            continue  # everyone in the group has reported since
        picture = None
        if out.kind == "digest":
            # Every recipient of this tick gets the same digest: build it once per language.
            if out.language not in digests:
                data = await asyncio.to_thread(service.digest, core.db, now, settings.tz)
                # The month's overview chart comes with it (rendered off the event loop).
                chart = await asyncio.to_thread(_month_chart, core, now, out.language)
                digests[out.language] = (digest_reply(data, out.language), chart)
            reply, picture = digests[out.language]
        else:
            reply = reminder_reply(out)
        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                    for row in reply.buttons
                ]
            )
            if reply.buttons
            else None
        )
        entities = mention_entities(reply.text, out.mentions[:8]) if out.group else None
        try:
            message = await bot.send_message(
                out.telegram_chat_id, reply.text, reply_markup=markup, entities=entities
            )
        except Forbidden:
            log.info("reminder %s: chat %s blocked the bot", reminder_id, out.telegram_chat_id)
            await asyncio.to_thread(service.mark_failed, core.db, reminder_id, now, permanent=True)
        except BadRequest as exc:
            permanent = "not found" in str(exc).lower()
            log.warning("reminder %s: %s", reminder_id, exc)
            await asyncio.to_thread(
                service.mark_failed, core.db, reminder_id, now, permanent=permanent
            )
        except TelegramError as exc:
            log.warning("reminder %s will be retried: %s", reminder_id, exc)
            await asyncio.to_thread(service.mark_failed, core.db, reminder_id, now, permanent=False)
        else:
            await asyncio.to_thread(
                service.mark_sent, core.db, reminder_id, message.message_id, core.clock()
            )
            if picture is not None:
                try:
                    await bot.send_photo(
                        out.telegram_chat_id,
                        InputFile(io.BytesIO(picture), filename="tinh-hinh.png"),
                    )
                except TelegramError as exc:
                    log.warning("digest chart for %s not sent: %s", out.telegram_chat_id, exc)
            sent += 1
    return sent


def mention_entities(text: str, people: list[tuple[int, str]]) -> list[MessageEntity] | None:
    """Mentions of the unit's officials on the last line, so Telegram notifies each one.

    Offsets count UTF-16 code units, as the Bot API does.
    """
    if not people:
        return None
    entities = []
    start = text.rfind("\n") + 1
    for user_id, name in people:
        at = text.find(name, start)
        if at < 0:
            continue
        offset = len(text[:at].encode("utf-16-le")) // 2
        length = len(name.encode("utf-16-le")) // 2
        user = User(id=user_id, first_name=name, is_bot=False)
        entities.append(MessageEntity(MessageEntity.TEXT_MENTION, offset, length, user=user))
        start = at + len(name)
    return entities or None


def _month_chart(core, now, language: str) -> bytes | None:
    from bot.language.periods import PeriodKind, period_of
    from bot.services import progress
    from bot.views.progress import overview_reply

    today = now.astimezone(core.settings.tz).date()
    data = progress.overview(core.db, period_of(PeriodKind.MONTH, today), today)
    reply = overview_reply(data, language, detail=True)
    return reply.attachments[0].content if reply.attachments else None


async def rebuild(core) -> service.RebuildResult:
    return await asyncio.to_thread(
        service.rebuild, core.db, service.reminder_settings(core.settings), core.clock()
    )


async def tick_job(context) -> None:
    await dispatch(context.bot, context.application.bot_data["core"])


async def rebuild_job(context) -> None:
    result = await rebuild(context.application.bot_data["core"])
    log.info("reminders rebuilt: %s new, %s cancelled", result.created, result.cancelled)
