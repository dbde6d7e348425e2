"""Nothing fetched is lost: updates are logged before Telegram is told they arrived, and
whatever was logged but never answered is handled again.

Polling confirms a batch of updates by asking for the next one (``offset``), which PTB
does as soon as it has queued the batch, long before the handlers ran. So the request
that fetches updates (:class:`LoggedUpdates`) writes them to the message log first
(:func:`bot.services.inbound.receive`); only then does PTB see them. If the database
cannot take them, the fetch fails: PTB asks again with the same offset, with its own
backoff, and Telegram keeps the updates meanwhile (up to 24 hours). Those who wrote are
told once that their message waits, if the outage lasts (``NOTICE_AFTER``).

Each update is marked answered after its handlers ran (:func:`finish`, the last handler
group). At start, and every ``REDELIVER_EVERY`` while running, the updates logged but
never answered (the process died, or the database failed while handling them) are put
back in the queue (:func:`recover`, :func:`redeliver_job`); handling is idempotent (a
report already stored is confirmed again, not stored twice).

Several instances may share one PostgreSQL (:mod:`bot.services.inbound` says how an
update is known, by bot and within Telegram's redelivery horizon, and how one chat's
updates wait for each other): :class:`Intake` logs with this bot's id and horizon, and
:func:`finish` queues the chat's next update that waited. Each instance holds an advisory
lock while it runs (:func:`recover`, :func:`let_go`), so the claims of one that died are
released at once, at start and by the sweep, and a running one's never.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.i18n import translations
from bot.services import inbound
from handlers.common import TRANSPORT, BotContext, answered

log = logging.getLogger(__name__)

NOTICE_AFTER = timedelta(seconds=60)  # an outage this long is told to those who wrote
NOTICED_CHATS = 10_000  # chats remembered as told, per outage
REDELIVER_EVERY = 60  # seconds between looks for updates logged but never answered
# An update is handled again when it was fetched this long ago and its handling never
# began, or began longer than ``inbound.HANDLING_LEASE`` ago and never ended.
UNANSWERED_AFTER = timedelta(seconds=60)
INTAKE_THREADS = 4  # updates logged at once by one process (webhook requests in flight)
# Looks for the updates numbered before a posted one (the webhook's settle wait), at once
# by one process: threads apart from the logging's, so that many updates waiting never
# hold up the logging of the very updates they wait for.
LOOKUP_THREADS = 2
INTAKE = "intake"  # bot_data key: the Intake (the webhook logs posted updates through it)
ALIVE = "instance_alive"  # bot_data key: the connection holding this instance's lock


def bot_id_of(token: str) -> int:
    """The bot's id, the number before ":" in its token (what ``getMe`` answers as its
    id), known before the bot connects."""
    head, _, _ = token.partition(":")
    return int(head) if head.isdigit() else 0


class Intake:
    """Writes fetched updates to the message log, durably, and keeps track of an outage."""

    def __init__(
        self,
        db,
        clock: Callable[[], datetime],
        language: str,
        *,
        bot_id: int = 0,
        horizon: timedelta = inbound.HORIZON,
    ) -> None:
        self.db = db
        self.clock = clock
        self.language = language
        self.bot_id = bot_id  # the bot's id: Telegram's update ids are unique per bot
        self.horizon = horizon  # an id answered longer ago is a new update
        self.bot = None  # set once the application is built: to tell people of an outage
        self.outage_since: datetime | None = None
        self.told: set[int] = set()
        # Threads of its own: an update posted to the webhook is logged at once, not after
        # the handlers' database work queued in the default executor (one chat's updates
        # posted together to two instances reach the log close together, in order).
        self.threads = ThreadPoolExecutor(INTAKE_THREADS, thread_name_prefix="intake")
        self.lookups = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="intake-lookup")

    async def __call__(self, updates: list[dict[str, Any]]) -> None:
        now = self.clock()
        try:
            await asyncio.get_running_loop().run_in_executor(
                self.threads,
                partial(inbound.receive, bot_id=self.bot_id, horizon=self.horizon),
                self.db,
                TRANSPORT,
                updates,
                now,
            )
        except SQLAlchemyError as exc:
            self.outage_since = self.outage_since or now
            if now - self.outage_since >= NOTICE_AFTER:
                await self._tell(updates)
            raise NetworkError(
                f"the database cannot take updates ({exc.__class__.__name__}); "
                "Telegram keeps them until it can"
            ) from exc
        if self.outage_since is not None:
            log.warning("the database takes updates again after %s", now - self.outage_since)
        self.outage_since = None
        self.told.clear()

    async def missing_before(self, update_id: int) -> int:
        """How many updates numbered just before ``update_id`` are not logged yet
        (:func:`bot.services.inbound.missing_before`)."""
        return await asyncio.get_running_loop().run_in_executor(
            self.lookups,
            partial(inbound.missing_before, horizon=self.horizon),
            self.db,
            TRANSPORT,
            self.bot_id,
            update_id,
            self.clock(),
        )

    async def _tell(self, updates: list[dict[str, Any]]) -> None:
        """Tell each person once per outage that their message waits, in a private chat."""
        if self.bot is None:
            return
        _ = translations(self.language).gettext
        for item in updates:
            chat = (item.get("message") or {}).get("chat") or {}
            chat_id = chat.get("id")
            if chat.get("type") != "private" or chat_id in self.told:
                continue
            if len(self.told) >= NOTICED_CHATS:
                return
            self.told.add(chat_id)
            try:
                await self.bot.send_message(
                    chat_id,
                    _(
                        "The bot cannot save messages right now. Yours is kept and will be "
                        "handled as soon as it can; there is no need to send it again."
                    ),
                )
            except TelegramError as exc:
                log.warning("could not tell chat %s of the outage: %s", chat_id, exc)


class UpdatesRequest(BaseRequest):
    """A request that wraps the one PTB fetches updates with: everything goes to
    ``inner``; a subclass looks at what ``getUpdates`` answered (:meth:`answered`)."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        **timeouts: Any,
    ) -> tuple[int, bytes]:
        code, payload = await self.inner.do_request(url, method, request_data, **timeouts)
        if url.rsplit("/", 1)[-1].lower() == "getupdates":
            return await self.answered(code, payload)
        return code, payload

    async def answered(self, code: int, payload: bytes) -> tuple[int, bytes]:
        """What PTB gets for a ``getUpdates`` Telegram answered with ``code``."""
        return code, payload


class LoggedUpdates(UpdatesRequest):
    """The updates of every successful ``getUpdates`` go through ``intake`` before PTB
    reads them."""

    def __init__(
        self, inner: BaseRequest, intake: Callable[[list[dict[str, Any]]], Awaitable[None]]
    ) -> None:
        super().__init__(inner)
        self.intake = intake

    async def answered(self, code: int, payload: bytes) -> tuple[int, bytes]:
        if code == 200:
            updates = json.loads(payload).get("result") or []
            if updates:
                await self.intake(updates)
        return code, payload


async def finish(update: Update, context: BotContext) -> None:
    """The last handler group: the update was answered (or needed no answer), unless it
    was never claimed or its handling failed with the database. The next update of its
    chat that waited for it (another instance, or this one, took it meanwhile) is put in
    the queue now."""
    if context.incoming is not None and not context.retry_later:
        await answered(update, context)


async def _put_back(app: Application, claimed_before: datetime, received_before: datetime) -> int:
    core = app.bot_data["core"]
    payloads = await asyncio.to_thread(
        inbound.unhandled, core.db, TRANSPORT, received_before, claimed_before, bot_id=app.bot.id
    )
    for payload in payloads:
        await app.update_queue.put(Update.de_json(payload, app.bot))
    return len(payloads)


async def recover(app: Application) -> None:
    """At start: the updates the previous run logged but never answered are handled now.
    On SQLite this is the only process, so whatever it had begun died with it; on
    PostgreSQL other instances may be handling theirs: only the claims of instances gone
    are released (each running one holds an advisory lock, ``storage.instances``, let
    go by :func:`let_go` at shutdown or by PostgreSQL when the process dies)."""
    core = app.bot_data["core"]
    await asyncio.to_thread(inbound.adopt, core.db, TRANSPORT, app.bot.id)
    if core.db.dialect == "postgresql":
        if ALIVE not in app.bot_data:
            app.bot_data[ALIVE] = await asyncio.to_thread(
                inbound.hold_alive, core.db, core.instance
            )
        await asyncio.to_thread(inbound.release_dead_claims, core.db, TRANSPORT)
    else:
        await asyncio.to_thread(inbound.release_claims, core.db, TRANSPORT, bot_id=app.bot.id)
    now = core.clock()
    count = await _put_back(app, claimed_before=now, received_before=now)
    if count:
        log.info("%d update(s) fetched before the restart and never answered: handled now", count)


async def let_go(app: Application) -> None:
    """At shutdown: this instance's lock of :func:`recover` is let go."""
    connection = app.bot_data.pop(ALIVE, None)
    if connection is not None:
        await asyncio.to_thread(connection.close)


async def redeliver_job(context: BotContext) -> None:
    """Every ``REDELIVER_EVERY``: updates whose handling failed (the database was away),
    and on PostgreSQL those an instance that died had begun."""
    core = context.core
    if core.db.dialect == "postgresql":
        released = await asyncio.to_thread(inbound.release_dead_claims, core.db, TRANSPORT)
        if released:
            log.info("%d update(s) begun by an instance that stopped: handled here", released)
    now = core.clock()
    count = await _put_back(
        context.application,
        claimed_before=now - inbound.HANDLING_LEASE,
        received_before=now - UNANSWERED_AFTER,
    )
    if count:
        log.info("%d update(s) not answered yet: handled again", count)
