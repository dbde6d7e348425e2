"""Telegram ⇄ core: turn an Update into an Incoming, run the core, deliver the Replies."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import (
    Bot,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import MessageEntityType
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ExtBot

from bot import logs, metrics
from bot.areas.plans import is_plan_caption
from bot.core import Core
from bot.photos import SentPhotos, sent_photos
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.transport import (
    MAX_FILE_BYTES,
    ChatRef,
    ChatType,
    FileRef,
    Incoming,
    Kind,
    Reply,
    UserRef,
    fit,
    utf16_length,
)

log = logging.getLogger(__name__)

TRANSPORT = "telegram"
# bot_data key: in webhook mode, schedules an update into the queue once the updates
# numbered before it are in the log (bot/web.py); a waiting update handed back goes
# through it too.
QUEUE_SETTLED = "queue_settled"
LAST_HANDLED = "last_handled"  # bot_data key: when this process last answered an update
_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with what the pre-processing handler found for this update."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.incoming: Incoming | None = None
        self.claim: Claim | None = None  # the actor and the update's row in the log
        # Handling failed with the database: the update is left unanswered in the log, to
        # be handled again once the database is back (``handlers/intake.py``).
        self.retry_later = False

    @property
    def core(self) -> Core:
        return self.application.bot_data["core"]


def _chat_ref(chat: Any) -> ChatRef:
    return ChatRef(id=chat.id, type=ChatType(chat.type), title=chat.title)


def _user_ref(user: Any) -> UserRef | None:
    if user is None:
        return None
    return UserRef(user.id, user.full_name, user.username, user.language_code)


def _command(message: Message, bot_username: str) -> tuple[str, tuple[str, ...]] | None:
    """``(name, args)`` when the message is a command for this bot."""
    text = message.text or ""
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntityType.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, target = text[1 : entity.length].partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name.lower(), tuple(text[entity.length :].split())


def to_incoming(update: Update, bot: Bot) -> Incoming | None:
    """The transport-neutral form of an update (``Kind.OTHER`` for what the bot does not
    act on, so its id is still logged), or None for an update with no chat at all."""
    base: dict[str, Any] = {
        "transport": TRANSPORT,
        "update_id": update.update_id,
        "bot_id": bot.id,
    }
    if update.my_chat_member is not None:
        member = update.my_chat_member
        now_in = member.new_chat_member.status in _PRESENT
        was_in = member.old_chat_member.status in _PRESENT
        kind = Kind.OTHER
        if member.new_chat_member.user.id == bot.id and now_in != was_in:
            kind = Kind.BOT_ADDED if now_in else Kind.BOT_REMOVED
        return Incoming(
            **base,
            kind=kind,
            chat=_chat_ref(member.chat),
            user=_user_ref(member.from_user),
            date=member.date,
        )
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if message is None:
            return None
        return Incoming(
            **base,
            kind=Kind.CALLBACK,
            chat=_chat_ref(message.chat),
            user=_user_ref(query.from_user),
            date=message.date,
            callback_data=query.data,
            message_id=message.message_id,
        )
    message = update.message or update.edited_message
    if message is None:
        return None
    reply_to = message.reply_to_message
    common: dict[str, Any] = {
        **base,
        "chat": _chat_ref(message.chat),
        "user": _user_ref(message.from_user),
        "date": message.edit_date or message.date,
        "message_id": message.message_id,
        "reply_to_bot": bool(reply_to and reply_to.from_user and reply_to.from_user.id == bot.id),
    }
    if update.edited_message is not None:
        return Incoming(**common, kind=Kind.EDITED, text=message.text or message.caption)
    if message.text:
        command = _command(message, bot.username)
        if command is not None:
            return Incoming(
                **common, kind=Kind.COMMAND, text=message.text, command=command[0], args=command[1]
            )
        return Incoming(**common, kind=Kind.TEXT, text=message.text)
    if message.document:
        document = message.document
        file = FileRef(document.file_name or "file", document.file_size, document.file_id)
        return Incoming(**common, kind=Kind.MEDIA, text=message.caption, file=file)
    if message.photo:
        largest = message.photo[-1]
        file = FileRef("photo.jpg", largest.file_size, largest.file_id, photo=True)
        return Incoming(**common, kind=Kind.MEDIA, text=message.caption, file=file)
    return Incoming(**common, kind=Kind.OTHER)


def bold_entities(reply: Reply) -> list[MessageEntity] | None:
    """The reply's bold parts as Telegram entities: offsets and lengths in UTF-16 code
    units (an emoji outside the Basic Multilingual Plane counts two), no parse mode, so
    nothing in the text needs escaping."""
    entities = [
        MessageEntity(
            MessageEntityType.BOLD,
            utf16_length(reply.text[:start]),
            utf16_length(reply.text[start:end]),
        )
        for start, end in reply.bold_spans()
    ]
    return entities or None


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (None without buttons)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


async def deliver(
    bot: Bot,
    incoming: Incoming,
    replies: list[Reply],
    query: Any = None,
    photos: SentPhotos | None = None,
) -> None:
    """Send the replies where they belong; answer a pressed button exactly once.

    Pictures go through ``photos`` when given, so one already uploaded is re-sent by its
    file id; without it they are uploaded each time. Each reply goes out as the messages
    :func:`bot.transport.fit` makes of it, within Telegram's limits.
    """
    messages = [message for reply in replies for message in fit(reply)]
    notice = next((m.notice for m in messages if m.notice), None)
    if query is not None:
        await query.answer(notice)
    for reply in messages:
        chat_id = reply.chat_id or incoming.chat.id
        if reply.text:
            await bot.send_message(
                chat_id, reply.text, reply_markup=markup(reply), entities=bold_entities(reply)
            )
        for item in reply.attachments:
            if item.is_picture and photos is not None:
                await photos.send(bot, chat_id, item.content, item.filename, item.caption)
                continue
            data = InputFile(io.BytesIO(item.content), filename=item.filename)
            if item.is_picture:
                await bot.send_photo(chat_id, data, caption=item.caption)
            else:
                await bot.send_document(chat_id, data, caption=item.caption)


async def answered(update: Update, context: BotContext) -> None:
    """Mark the update answered in the log; the next update of its chat that waited for
    it (another instance, or this one, took it meanwhile) is put in the queue now."""
    waiting = await asyncio.to_thread(
        context.core.finish, TRANSPORT, update.update_id, context.bot.id
    )
    if waiting is not None:
        update = Update.de_json(waiting, context.bot)
        settled = context.application.bot_data.get(QUEUE_SETTLED)
        if settled is not None:  # webhook mode: once those numbered before it are logged
            settled(update)
        elif context.application.running:  # stopping: it waits in the log for the next start
            await context.application.update_queue.put(update)


async def preprocess(update: Update, context: BotContext) -> None:
    """Group −1: log the update id (drop redeliveries) and load who sent it."""
    chat = update.effective_chat
    logs.begin_update(update.update_id, chat.id if chat is not None else None)
    try:
        incoming = to_incoming(update, context.bot)
    except Exception:
        # An update the bot cannot read is answered (the error handler apologises), so
        # that it neither comes back every minute nor holds its chat's later updates.
        await answered(update, context)
        raise
    if incoming is None:  # nothing to answer: only the log needs to know
        await answered(update, context)
        metrics.UPDATES.labels("none", "ignored").inc()
        raise ApplicationHandlerStop
    claim = await asyncio.to_thread(context.core.begin, incoming)
    if claim is None:
        # Handled or being handled (a redelivery), or it waits for an earlier update of
        # its chat, which hands it back when answered (handlers/intake.finish).
        logs.note(outcome="not_claimed")
        metrics.UPDATES.labels(incoming.kind.value, "not_claimed").inc()
        log.info("update %s handled already, or waits for its chat's turn", update.update_id)
        raise ApplicationHandlerStop
    logs.note(unit=claim.actor.unit_name)
    context.incoming, context.claim = incoming, claim


async def respond(update: Update, context: BotContext) -> None:
    """The one handler body: the core decides, the replies are delivered."""
    incoming, claim = context.incoming, context.claim
    if incoming is None or claim is None:
        return
    started, outcome = time.perf_counter(), "failed"
    try:
        incoming = await _fetch_file(context.bot, incoming, claim.actor)
        try:
            replies = await asyncio.to_thread(context.core.handle, incoming, claim)
        except SQLAlchemyError:
            context.retry_later, outcome = True, "retry_later"
            raise
        photos = sent_photos(context.application.bot_data)
        await deliver(context.bot, incoming, replies, update.callback_query, photos)
        outcome = "answered"
    finally:
        seconds = time.perf_counter() - started
        metrics.UPDATES.labels(incoming.kind.value, outcome).inc()
        metrics.HANDLING_SECONDS.labels(incoming.kind.value).observe(seconds)
        context.application.bot_data[LAST_HANDLED] = context.core.clock()
        logs.note(outcome=outcome)
        log.info("update %s %s in %.3f s", update.update_id, outcome, seconds)


async def _fetch_file(bot: Bot, incoming: Incoming, actor: Actor) -> Incoming:
    """Download a document the office sent in private (a plan to import), or a photo
    captioned "kế hoạch" (its largest size: the plan's appendix, read by OCR).

    Evidence attached to a report is kept by its Telegram file id: nothing to fetch.
    """
    file = incoming.file
    if (
        file is None
        or file.file_id is None
        or incoming.chat.is_group
        or not actor.manages
        or (file.photo and not is_plan_caption(incoming.text))
        or (file.size or 0) > MAX_FILE_BYTES
    ):
        return incoming
    telegram_file = await bot.get_file(file.file_id)
    content = bytes(await telegram_file.download_as_bytearray())
    return replace(incoming, file=replace(file, content=content))
