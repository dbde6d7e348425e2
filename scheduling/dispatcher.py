"""The repeating job that sends due reminders (PTB's JobQueue runs it; tests call it).

It claims due rows, sends each one through the bot (the rate limiter paces them), and
records the outcome: sent with Telegram's message id; a chat that blocked the bot or no
longer exists is marked and not retried; other failures are retried a few times.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    User,
)
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.photos import SentPhotos, sent_photos
from bot.transport import Reply, fit
from bot.views.reminders import digest_reply, reminder_reply
from scheduling import service

log = logging.getLogger(__name__)


async def dispatch(bot: Bot, core, limit: int = 100, photos: SentPhotos | None = None) -> int:
    """Send what is due now; returns how many were sent.

    Charts go through ``photos`` (the Application's, from ``tick_job``); without it, one
    for this call, so a chart going to several people is still uploaded once.
    """
    if photos is None:
        photos = SentPhotos()
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
        if out.kind in ("digest", "overview"):
            # Every recipient of this tick gets the same one: built once per language.
            key = f"{out.kind}:{out.language}"
            if key not in digests:
                build = _office_digest if out.kind == "digest" else _leaders_overview
                digests[key] = await asyncio.to_thread(build, core, now, out.language)
            reply, picture = digests[key]
        else:
            reply = reminder_reply(out)
        try:
            message = await _send(bot, out, reply)
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
                    await photos.send(bot, out.telegram_chat_id, picture, "tinh-hinh.png")
                except TelegramError as exc:
                    log.warning("digest chart for %s not sent: %s", out.telegram_chat_id, exc)
            sent += 1
    return sent


async def _send(bot: Bot, out: service.Outgoing, reply: Reply):
    """Send a reminder's text as the messages Telegram accepts (``bot.transport.fit``):
    the buttons and the mentions (on the last line) go with the last one, which is
    returned."""
    parts = [part for part in fit(reply) if part.text]
    message = None
    for index, part in enumerate(parts):
        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                    for row in part.buttons
                ]
            )
            if part.buttons
            else None
        )
        last = index == len(parts) - 1
        mentions = out.mentions[:8] if out.group and last else []
        message = await bot.send_message(
            out.telegram_chat_id,
            part.text,
            reply_markup=markup,
            entities=mention_entities(part.text, mentions),
        )
    return message


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


def _month_overview(core, now, language: str) -> Reply:
    """The overview of the current month with its chart, as a leader asking would get it."""
    from bot.language.periods import PeriodKind, period_of
    from bot.services import access
    from bot.views.progress import overview_reply

    today = now.astimezone(core.settings.tz).date()
    data = core.progress_overview(period_of(PeriodKind.MONTH, today), today, viewer=access.staff())
    return overview_reply(data, language, detail=True)


def _office_digest(core, now, language: str) -> tuple[Reply, bytes | None]:
    """The office's Monday digest (overdue tasks, who cannot be reached) and the month's
    chart."""
    data = service.digest(core.db, now, core.settings.tz)
    overview = _month_overview(core, now, language)
    chart = overview.attachments[0].content if overview.attachments else None
    return digest_reply(data, language), chart


def _leaders_overview(core, now, language: str) -> tuple[Reply, bytes | None]:
    """The leaders' weekly overview: the month so far, its buttons and its chart."""
    from bot.i18n import translations

    overview = _month_overview(core, now, language)
    heading = translations(language).gettext("Weekly summary for leaders.")
    overview.text = f"{heading}\n{overview.text}"
    chart = overview.attachments[0].content if overview.attachments else None
    overview.attachments = []
    return overview, chart


async def rebuild(core) -> service.RebuildResult:
    return await asyncio.to_thread(
        service.rebuild, core.db, service.reminder_settings(core.settings), core.clock()
    )


async def tick_job(context) -> None:
    bot_data = context.application.bot_data
    await dispatch(context.bot, bot_data["core"], photos=sent_photos(bot_data))


async def rebuild_job(context) -> None:
    result = await rebuild(context.application.bot_data["core"])
    log.info("reminders rebuilt: %s new, %s cancelled", result.created, result.cancelled)
