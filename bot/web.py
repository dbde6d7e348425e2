"""The bot's web application (Starlette, served by uvicorn), as python-telegram-bot's
custom-webhook example runs a bot inside its own ASGI app: one app serves Telegram's
webhook (webhook mode), ``/healthz``, ``/readyz`` and ``/metrics`` (both modes) and
the office's web pages under ``/web`` (``webui/``, both modes). Owns the routes, the
readiness checks, the metrics page's database gauges, and running the PTB Application
beside the server (:func:`running`).

The webhook answers 200 only once the update is in the message log
(:class:`handlers.intake.Intake`, the same step polling takes before Telegram is told an
update arrived); the update goes to the Application's queue once the updates numbered
before it are in the log too, or once none of them has arrived for
``DONDOC_WEBHOOK_SETTLE_MS`` (:func:`wait_for_earlier`), so that an earlier update of its
chat posted at the same time is handled first. A request without
the secret header is 403, a body that is not an update 400 (nothing logged), a database
that cannot take it 503, so that Telegram sends it again later.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import math
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from datetime import timedelta
from functools import partial
from http import HTTPStatus
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application

from bot import metrics
from bot.config import Settings
from bot.core import Core
from bot.services import health
from bot.transport import MAX_FILE_BYTES
from handlers.common import LAST_HANDLED, QUEUE_SETTLED, TRANSPORT
from handlers.intake import INTAKE, Intake
from webui.routes import mount as web_pages

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes (a message's text is at most 4,096 characters): a bigger
# body is not Telegram's, and is refused unread past this.
MAX_UPDATE_BYTES = 1_000_000
SETTLE_POLL = 0.1  # seconds between looks for the updates numbered before a posted one
# The longest a posted update waits for those numbered before it, in settle times (the
# wait starts again while they are still arriving: :func:`wait_for_earlier`).
SETTLE_LONGEST = 6


async def wait_for_earlier(
    missing: Callable[[], Awaitable[int]],
    settle: float,
    *,
    poll: float = SETTLE_POLL,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> int:
    """Wait until ``missing()`` (the updates numbered before a posted one not logged yet)
    is 0, or until none of them has arrived for ``settle`` seconds: Telegram posts many
    updates at once, and on a loaded network or machine some reach the log seconds after
    the ones numbered after them, one by one; an id that never comes (a delivery that
    failed, ids that started over) changes nothing, so it holds the update ``settle``
    seconds. Never longer than ``SETTLE_LONGEST`` settle times. Counted in looks ``poll``
    apart, not read off a clock; returns what was still missing (0: all arrived, or
    ``settle`` is 0: no wait, no look)."""
    if settle <= 0:
        return 0
    quiet_looks = max(1, math.ceil(settle / poll))
    left, last = quiet_looks, None
    for _look in range(SETTLE_LONGEST * quiet_looks):
        now_missing = await missing()
        if not now_missing:
            return 0
        if now_missing != last:  # one arrived (or the first look): a quiet time again
            left, last = quiet_looks, now_missing
        left -= 1
        if left <= 0:
            break
        await sleep(poll)
    return last or 0


class DatabaseGauges(Collector):
    """The gauges computed on each scrape, one cheap query each."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def collect(self) -> Iterable[GaugeMetricFamily]:
        core = self.core
        today = core.clock().astimezone(core.settings.tz).date()
        try:
            pending = health.pending_reminders(core.db)
            overdue = health.overdue_assignments(core.db, today)
        except Exception as exc:  # the page still answers when the database does not
            log.warning("metrics: the database gauges could not be read: %s", exc)
            return
        yield GaugeMetricFamily(
            "dondoc_reminders_pending",
            "Reminder rows not sent yet (pending or being sent)",
            pending,
        )
        yield GaugeMetricFamily(
            "dondoc_assignments_overdue",
            "Lead assignments of the plan in use past their deadline and not done",
            overdue,
        )


async def _readiness(app: Application, core: Core, head: str | None) -> dict[str, str]:
    """Each check's result: ``ok``, or why it failed (``skipped`` when an earlier one did)."""
    checks: dict[str, str] = {}
    try:
        await asyncio.to_thread(health.ping, core.db)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable ({type(exc).__name__})"
    if checks["database"] == "ok":
        try:
            current = await asyncio.to_thread(health.schema_current, core.db, head)
            checks["schema"] = "ok" if current else "not at the code's revision"
        except Exception as exc:
            checks["schema"] = f"unreadable ({type(exc).__name__})"
    else:
        checks["schema"] = "skipped"
    queue = app.job_queue
    scheduler_running = queue is not None and queue.scheduler.running
    checks["job_queue"] = "ok" if app.running and scheduler_running else "not running"
    window = timedelta(minutes=core.settings.ready_idle_minutes)
    if not window:
        checks["updates"] = "not checked"
    elif checks["database"] != "ok":
        checks["updates"] = "skipped"
    else:
        now = core.clock()
        oldest = await asyncio.to_thread(health.oldest_unanswered, core.db, TRANSPORT)
        last = app.bot_data.get(LAST_HANDLED)
        waiting = oldest is not None and now - _aware(oldest, now) > window
        if waiting and (last is None or now - last > window):
            checks["updates"] = f"updates waiting over {core.settings.ready_idle_minutes} min"
        else:
            checks["updates"] = "ok"
    return checks


class TelegramFiles:
    """The web pages' :class:`webui.site.Files` in Telegram: a report's photo or file
    downloaded by its file id (``getFile``) when its page is opened."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, file_id: str) -> tuple[bytes, str | None]:
        try:
            found = await self.bot.get_file(file_id)
            if found.file_size is not None and found.file_size > MAX_FILE_BYTES:
                raise LookupError(file_id)
            content = bytes(await found.download_as_bytearray())
        except TelegramError as exc:  # gone, or Telegram out of reach: not on the page
            log.warning("evidence %s could not be fetched: %s", file_id, exc)
            raise LookupError(file_id) from exc
        # PTB gives the download address (with the token in it): only the name goes on.
        return content, PurePosixPath(urlsplit(found.file_path or "").path).name or None


def _aware(moment, like):
    """SQLite gives naive datetimes back: they are UTC."""
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None else moment


def create_web_app(app: Application, settings: Settings, *, webhook: bool) -> Starlette:
    """The ASGI app for ``app`` (a PTB Application built by :func:`bot.app.build_application`)."""
    core: Core = app.bot_data["core"]
    head = core.db.head_revision()
    gauges = CollectorRegistry(auto_describe=True)
    gauges.register(DatabaseGauges(core))
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    settle = settings.webhook_settle_ms / 1000
    intake: Intake = app.bot_data[INTAKE]

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            metrics.WEBHOOK_DELIVERIES.labels("forbidden").inc()
            return Response(status_code=HTTPStatus.FORBIDDEN)
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_UPDATE_BYTES:
            metrics.WEBHOOK_DELIVERIES.labels("malformed").inc()
            return Response(status_code=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_UPDATE_BYTES:
                    raise ValueError("over the size of an update")
            payload = json.loads(body)
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(payload, app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            metrics.WEBHOOK_DELIVERIES.labels("malformed").inc()
            return Response(status_code=HTTPStatus.BAD_REQUEST)
        try:
            # Logged first: the 200 below tells Telegram it may forget the update.
            await intake([payload])
        except NetworkError as exc:  # the database cannot take it: Telegram retries
            metrics.WEBHOOK_DELIVERIES.labels("unavailable").inc()
            log.warning("webhook update %s not taken: %s", payload["update_id"], exc)
            return Response(status_code=HTTPStatus.SERVICE_UNAVAILABLE)
        queue_settled(update)
        metrics.WEBHOOK_DELIVERIES.labels("accepted").inc()
        return Response()

    async def queue_when_settled(update: Update) -> None:
        """Into the queue once the updates Telegram numbered before it are in the log,
        or none of them has arrived for ``settle`` seconds (:func:`wait_for_earlier`): an
        earlier update of its chat posted at the same time to another instance is then
        logged, and this one waits for it when claimed (bot/services/inbound.py). If the
        process stops meanwhile, the update is in the log: the sweep or the next start
        handles it."""
        try:
            await wait_for_earlier(partial(intake.missing_before, update.update_id), settle)
        except Exception as exc:  # the database again: handled now, in its chat's turn
            log.warning("webhook update %s: the log could not be read: %s", update.update_id, exc)
        # Not once the Application is stopping: put after its stop signal, the update
        # would never be taken and stop() would wait for it for ever.
        if app.running:
            await app.update_queue.put(update)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        checks = await _readiness(app, core, head)
        failed = [name for name, result in checks.items() if result not in ("ok", "not checked")]
        body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
        return JSONResponse(body, status_code=503 if failed else 200)

    async def metrics_page(_: Request) -> Response:
        own = await asyncio.to_thread(generate_latest, metrics.REGISTRY)
        from_db = await asyncio.to_thread(generate_latest, gauges)
        return Response(own + from_db, media_type=CONTENT_TYPE_LATEST)

    def queue_settled(update: Update) -> None:
        app.create_task(queue_when_settled(update), name=f"settle:{update.update_id}")

    if webhook:
        app.bot_data[QUEUE_SETTLED] = queue_settled
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    if webhook:
        routes.insert(0, Route(settings.webhook_path, telegram, methods=["POST"]))
    # the office's web pages, under /web (webui/)
    routes.append(web_pages(core, settings, TelegramFiles(app.bot)))
    return Starlette(routes=routes)


def create_pages_app(core: Core, settings: Settings) -> Starlette:
    """The web app of the offline console: the office's pages and ``/healthz``, no bot
    behind them (no webhook, no readiness of a job queue that does not run)."""

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[Route("/healthz", healthz, methods=["GET"]), web_pages(core, settings)]
    )


@contextlib.contextmanager
def serving_in_background(web_app: Starlette, sock: socket.socket) -> Iterator[None]:
    """Serve ``web_app`` on ``sock`` from a thread for the duration of the block (the
    console reads the terminal in the main thread); stopped on the way out."""
    config = uvicorn.Config(
        web_app, log_config=None, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    # uvicorn installs its signal handlers only in the main thread: Ctrl-C stays the
    # console's.
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="web", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.asynccontextmanager
async def running(app: Application, *, webhook: bool) -> AsyncIterator[Application]:
    """Run ``app`` for the duration of the block: initialised (already, when
    :func:`bot.app.connect` waited for Telegram), its ``post_init``, polling (not in webhook
    mode: the web app feeds its queue), started; stopped and shut down on the way out, as
    ``run_polling`` does."""
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        if not webhook and app.updater is not None:

            def error_callback(exc: TelegramError) -> None:
                app.create_task(app.process_error(error=exc, update=None))

            await app.updater.start_polling(error_callback=error_callback)
        await app.start()
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
