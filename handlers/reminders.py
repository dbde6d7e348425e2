"""Reminders over Telegram: the jobs PTB's JobQueue runs (``tick_job`` every 30 s sends
what is due, on every instance, the rows claimed one by one; ``rebuild_job`` every hour
rebuilds the schedule, on one instance of several: :mod:`scheduling.jobs`; tests call
``dispatch``).

A tick claims due rows (:mod:`scheduling.outbox`), sends each one through the bot (the
rate limiter paces them) and records the outcome: sent with Telegram's message id; a chat
that blocked the bot or no longer exists is marked and not retried; other failures are
retried a few times. A reminder to a group mentions the unit's officials (text mentions
on its last line, so Telegram notifies each one); the weekly digests are built once per
language and tick (:mod:`bot.services.digests`) and their chart follows them. A notice
of two reports that disagree (:mod:`bot.services.reports.conflicts`) is worded when it
goes out, and dropped if the disagreement was closed meanwhile; an official's request
for more time (:mod:`bot.services.plans.moving`) goes with **Đồng ý đổi hạn** and
**Không đồng ý**, and the office's answer back to them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from telegram import Bot, Message, MessageEntity, User
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import metrics
from bot.core import Core
from bot.photos import SentPhotos, sent_photos
from bot.services import digests, plans
from bot.services.reports import conflicts
from bot.transport import Reply, fit, utf16_length
from bot.views.conflicts import conflict_notice_reply
from bot.views.digests import leaders_overview_reply, office_digest_reply
from bot.views.plans import (
    deadline_granted_reply,
    deadline_refused_notice_reply,
    deadline_request_notice_reply,
)
from bot.views.reminders import reminder_reply
from handlers.common import BotContext, markup
from scheduling import chase, jobs, outbox
from scheduling.outgoing import Outgoing, outgoing
from scheduling.policy import reminder_settings

log = logging.getLogger(__name__)

MAX_MENTIONS = 8  # officials mentioned under a group's reminder
TICK_EVERY = timedelta(seconds=30)  # each instance claims what is due this often
REBUILD_EVERY = timedelta(hours=1)  # one instance of all rebuilds the schedule this often


async def dispatch(
    bot: Bot, core: Core, limit: int = outbox.CLAIM_LIMIT, photos: SentPhotos | None = None
) -> int:
    """Send what is due now; returns how many were sent.

    Charts go through ``photos`` (the Application's, from ``tick_job``); without it, one
    for this call, so a chart going to several people is still uploaded once.
    """
    if photos is None:
        photos = SentPhotos()
    settings = core.settings
    now = core.clock()
    ids = await asyncio.to_thread(
        outbox.claim, core.db, now, reminder_settings(settings), by=core.instance, limit=limit
    )
    sent = 0
    built: dict[str, tuple[Reply, bytes | None]] = {}
    for reminder_id in ids:
        out = await asyncio.to_thread(outgoing, core.db, reminder_id, settings.language)
        if out is None:
            await asyncio.to_thread(outbox.mark_failed, core.db, reminder_id, now, permanent=True)
            metrics.REMINDERS.labels("failed").inc()
            continue
        if out.kind == "missing" and not out.payload.get("units"):
            await asyncio.to_thread(outbox.mark_cancelled, core.db, reminder_id)
            continue  # everyone in the group has reported since
        if out.kind == chase.KIND and not out.payload.get("indicators"):
            await asyncio.to_thread(outbox.mark_cancelled, core.db, reminder_id)
            continue  # the unit has sent every figure since the office pressed
        if out.kind == chase.LATE_KIND and not out.payload.get("tasks"):
            await asyncio.to_thread(outbox.mark_cancelled, core.db, reminder_id)
            continue  # the unit has done its overdue tasks since the office pressed
        picture = None
        if out.kind == conflicts.NOTICE:
            notice = await asyncio.to_thread(
                conflicts.describe, core.db, int(out.payload.get("conflict_id") or 0), settings.tz
            )
            if notice is None or notice.closed or not notice.live:
                await asyncio.to_thread(outbox.mark_cancelled, core.db, reminder_id)
                continue  # settled or undone before it went out
            reply = conflict_notice_reply(notice, out.language)
        elif out.kind in (plans.REQUEST_NOTICE, plans.GRANTED_NOTICE, plans.DECLINED_NOTICE):
            if out.task_code is None:
                await asyncio.to_thread(outbox.mark_cancelled, core.db, reminder_id)
                continue  # the task is gone
            said = (out.payload, out.task_code, out.task_content or "", out.language)
            if out.kind == plans.REQUEST_NOTICE:
                reply = deadline_request_notice_reply(*said, reminder_id)
            elif out.kind == plans.GRANTED_NOTICE:
                reply = deadline_granted_reply(*said)
            else:
                reply = deadline_refused_notice_reply(*said)
        elif out.kind in ("digest", "overview"):
            # Every recipient of this tick gets the same one: built once per language.
            key = f"{out.kind}:{out.language}"
            if key not in built:
                build = _office_digest if out.kind == "digest" else _leaders_overview
                built[key] = await asyncio.to_thread(build, core, now, out.language)
            reply, picture = built[key]
        else:
            reply = reminder_reply(out)
        try:
            message = await _send(bot, out, reply)
        except Forbidden:
            log.info("reminder %s: chat %s blocked the bot", reminder_id, out.telegram_chat_id)
            metrics.REMINDERS.labels("failed").inc()
            await asyncio.to_thread(outbox.mark_failed, core.db, reminder_id, now, permanent=True)
        except BadRequest as exc:
            permanent = "not found" in str(exc).lower()
            log.warning("reminder %s: %s", reminder_id, exc)
            metrics.REMINDERS.labels("failed").inc()
            await asyncio.to_thread(
                outbox.mark_failed, core.db, reminder_id, now, permanent=permanent
            )
        except TelegramError as exc:
            log.warning("reminder %s will be retried: %s", reminder_id, exc)
            metrics.REMINDERS.labels("failed").inc()
            await asyncio.to_thread(outbox.mark_failed, core.db, reminder_id, now, permanent=False)
        else:
            await asyncio.to_thread(
                outbox.mark_sent,
                core.db,
                reminder_id,
                message.message_id,
                core.clock(),
            )
            metrics.REMINDERS.labels("sent").inc()
            if picture is not None:
                try:
                    await photos.send(bot, out.telegram_chat_id, picture, "tinh-hinh.png")
                except TelegramError as exc:
                    log.warning("digest chart for %s not sent: %s", out.telegram_chat_id, exc)
            sent += 1
    return sent


async def _send(bot: Bot, out: Outgoing, reply: Reply) -> Message:
    """Send a reminder's text as the messages Telegram accepts (``bot.transport.fit``):
    the buttons and the mentions (on the last line) go with the last one, which is
    returned."""
    parts = [part for part in fit(reply) if part.text]
    if not parts:
        raise ValueError(f"reminder {out.reminder_id} has no text to send")
    *before, last = parts
    for part in before:
        await bot.send_message(out.telegram_chat_id, part.text, reply_markup=markup(part))
    mentions = out.mentions[:MAX_MENTIONS] if out.group else []
    return await bot.send_message(
        out.telegram_chat_id,
        last.text,
        reply_markup=markup(last),
        entities=mention_entities(last.text, mentions),
    )


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
        user = User(id=user_id, first_name=name, is_bot=False)
        entities.append(
            MessageEntity(
                MessageEntity.TEXT_MENTION,
                utf16_length(text[:at]),
                utf16_length(name),
                user=user,
            )
        )
        start = at + len(name)
    return entities or None


def _office_digest(core: Core, now: datetime, language: str) -> tuple[Reply, bytes | None]:
    """The office's Monday digest (overdue tasks, who cannot be reached) and the chart of
    the standing now."""
    tz = core.settings.tz
    data = digests.office_digest(core.db, now, tz)
    month = digests.month_overview(
        core.db, now.astimezone(tz).date(), tz, core.settings.report_cutoff_day
    )
    return office_digest_reply(data, month, language)


def _leaders_overview(core: Core, now: datetime, language: str) -> tuple[Reply, bytes | None]:
    """The leaders' weekly overview: the standing now, its buttons and its chart."""
    tz = core.settings.tz
    month = digests.month_overview(
        core.db, now.astimezone(tz).date(), tz, core.settings.report_cutoff_day
    )
    return leaders_overview_reply(month, language)


async def tick_job(context: BotContext) -> None:
    bot_data = context.application.bot_data
    await dispatch(context.bot, bot_data["core"], photos=sent_photos(bot_data))


AT_START = "start"  # the job's data for the rebuild an instance runs as it starts


async def rebuild_job(context: BotContext) -> None:
    """Rebuild the schedule: as the instance starts (its code may plan otherwise), then
    once per slot of ``REBUILD_EVERY`` across every instance."""
    core: Core = context.application.bot_data["core"]
    at_start = context.job is not None and context.job.data == AT_START
    if not at_start and not await asyncio.to_thread(
        jobs.claim_slot, core.db, "schedule", REBUILD_EVERY, core.clock()
    ):
        return  # another instance rebuilt it in this slot
    result = await asyncio.to_thread(core.rebuild_schedule)
    log.info("reminders rebuilt: %s new, %s cancelled", result.created, result.cancelled)
