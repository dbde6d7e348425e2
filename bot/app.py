"""Builds the PTB Application: handlers, rate limiter, defaults, storage, commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.charts import warm_up as warm_up_charts
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.core import Clock, Core, system_clock
from bot.i18n import translations
from bot.ratelimit import SmoothRateLimiter
from handlers import register_all
from handlers.common import BotContext
from handlers.errors import on_error
from handlers.intake import (
    INTAKE,
    REDELIVER_EVERY,
    Intake,
    LoggedUpdates,
    UpdatesRequest,
    bot_id_of,
    let_go,
    recover,
    redeliver_job,
)
from handlers.reminders import AT_START, REBUILD_EVERY, TICK_EVERY, rebuild_job, tick_job
from storage.db import Database
from storage.queries import set_meta

log = logging.getLogger(__name__)


def bot_commands(language: str, *, group: bool) -> list[BotCommand]:
    """The command menu for private chats or groups, in ``language``."""
    _ = translations(language).gettext
    commands = [
        BotCommand("trogiup", _("How to report, ask and get reminders")),
        BotCommand("tinhhinh", _("Progress this month, with a chart (tình hình)")),
        BotCommand("kehoach", _("The plan: its outline (the office sends the file here)")),
        BotCommand("nhiemvu", _("A unit's tasks, deadlines and status")),
        BotCommand("lichsu", _("A unit's reports: who sent what, and when")),
        BotCommand("huy", _("Undo your last report")),
    ]
    if group:
        commands.insert(1, BotCommand("baocao", _("Report: /baocao nv 2.1 xong")))
        commands.append(BotCommand("nhom", _("Bind this group to units (office)")))
    else:
        commands.insert(0, BotCommand("start", _("Register with your invite link")))
        commands.append(BotCommand("nhacviec", _("Coming reminders; pause or resume them")))
        commands.append(BotCommand("xuat", _("The periodic report upward (Word and Excel)")))
        commands.append(BotCommand("web", _("A login link to the web pages")))
    commands.append(BotCommand("ngonngu", _("Language: vi or en")))
    return commands


def _api_url(base: str, suffix: str) -> str:
    base = base.rstrip("/")
    return base if base.endswith(suffix) else base + suffix


async def _post_init(app: Application) -> None:
    """Register commands in every language, remember the bot's username."""
    core: Core = app.bot_data["core"]
    for language in SUPPORTED_LANGUAGES:
        code = None if language == core.settings.language else language
        for scope, group in (
            (BotCommandScopeAllPrivateChats(), False),
            (BotCommandScopeAllGroupChats(), True),
        ):
            await app.bot.set_my_commands(
                bot_commands(language, group=group), scope=scope, language_code=code
            )

    def remember() -> None:
        with core.db.session() as session:
            set_meta(session, "bot_username", app.bot.username)

    await asyncio.to_thread(remember)
    # What the last run fetched but never answered is handled first.
    await recover(app)
    # A first chart loads fonts and fills matplotlib's caches: do it now, not for the
    # first chairman who asks.
    await asyncio.to_thread(warm_up_charts)


class RedactToken(logging.Filter):
    """Replace the bot token in log records: PTB logs its API URLs at DEBUG, and those
    contain the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


# Loggers that see request URLs. A filter applies to records logged on its own logger.
URL_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
    "telegram.request",
    "httpx",
    "httpcore",
)


TOKEN_REJECTED = "token_rejected"  # bot_data key: Telegram rejected the token while running
STOP = "stop"  # bot_data key: a callable that stops the bot (the command sets it)
# The empty answer a getUpdates with a rejected token gets instead, so that PTB's polling
# loop does not give up with a traceback (and leave the bot running deaf) before it stops.
_NO_UPDATES = b'{"ok": true, "result": []}'


class WatchedUpdates(UpdatesRequest):
    """The outermost request PTB fetches updates with: when Telegram rejects the token
    while the bot runs (getUpdates answered 401, or 404 for a malformed token),
    ``rejected`` is called once and PTB sees no updates until the bot has stopped."""

    def __init__(self, inner: BaseRequest, rejected: Callable[[], None]) -> None:
        super().__init__(inner)
        self.rejected = rejected
        self.seen = False

    async def answered(self, code: int, payload: bytes) -> tuple[int, bytes]:
        if code in (401, 404):
            if not self.seen:
                self.seen = True
                self.rejected()
            return 200, _NO_UPDATES
        return code, payload


def _stop_rejected(app: Application, language: str) -> None:
    """The token was rejected while running: one line (no token) and the bot stops; the
    command exits with code 2 (``bot_data[TOKEN_REJECTED]``)."""
    _ = translations(language).gettext
    log.error(_("Telegram rejected TELEGRAM_BOT_TOKEN while the bot was running: the bot stops."))
    app.bot_data[TOKEN_REJECTED] = True
    stop = app.bot_data.get(STOP)
    if stop is not None:
        stop()  # the web server's loop (bot/web.py): the bot stops with it
    else:
        app.stop_running()


class OneLine(logging.Filter):
    """PTB logs some Telegram refusals with a traceback (the last ``getUpdates`` at
    shutdown while another process polls, a retry loop giving up): the reason on the
    same line instead, without the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, TelegramError):
            text = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.msg, record.args = text.replace(self.token, "<token>"), ()
            record.exc_info, record.exc_text = None, None
        return True


# Loggers PTB reports Telegram refusals on with a traceback.
REFUSAL_LOGGERS = ("telegram.ext", "telegram.ext.Updater")


def protect_token(token: str) -> None:
    """Keep the token out of every log: redact it, and keep httpx (which logs each request
    URL at INFO) at WARNING; Telegram refusals PTB logs with a traceback are one line."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in logger.filters):
            logger.addFilter(RedactToken(token))
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    for name in REFUSAL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) and f.token == token for f in logger.filters):
            logger.addFilter(OneLine(token))


async def connect(
    app: Application,
    report: Callable[[str, float], None],
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    first_delay: float = 1.0,
    max_delay: float = 60.0,
) -> None:
    """Initialise the application (``getMe``), waiting for Telegram while it cannot be
    reached: each failure is reported once, as its reason and the wait before the next
    try, which doubles up to ``max_delay``. A rejected token (``InvalidToken``) is not
    retried."""
    delay = first_delay
    while True:
        try:
            await app.initialize()
            return
        except NetworkError as exc:  # TimedOut included; InvalidToken is not a NetworkError
            report(str(exc), delay)
            await sleep(delay)
            delay = min(max_delay, delay * 2)


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Clock = system_clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    jobs: bool = True,
    webhook: bool = False,
) -> Application:
    """The Application; with ``webhook`` it has no Updater: the web app (bot/web.py) logs
    each update Telegram posts and puts it in the update queue."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    protect_token(settings.telegram_bot_token.get_secret_value())
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(Defaults(tzinfo=settings.tz))
        .rate_limiter(SmoothRateLimiter(max_retries=3))
        .concurrent_updates(settings.concurrent_updates)
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_shutdown(let_go)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(_api_url(settings.telegram_api_base_url, "/bot"))
    file_url = settings.telegram_api_file_url
    if file_url is None and settings.telegram_api_base_url:
        file_url = settings.telegram_api_base_url.rstrip("/").removesuffix("/bot")
    if file_url:
        builder = builder.base_file_url(_api_url(file_url, "/file/bot"))
    if request is not None:
        builder = builder.request(request)
    # Fetched updates are logged before Telegram is told they arrived (handlers/intake);
    # in webhook mode, before the webhook answers 200.
    intake = Intake(
        db,
        clock,
        settings.language,
        bot_id=bot_id_of(settings.telegram_bot_token.get_secret_value()),
        horizon=timedelta(hours=settings.update_horizon_hours),
    )
    watched = None
    if webhook:
        builder = builder.updater(None)
    else:
        fetching = get_updates_request or HTTPXRequest(connection_pool_size=1)
        watched = WatchedUpdates(LoggedUpdates(fetching, intake), lambda: None)
        builder = builder.get_updates_request(watched)
    app = builder.build()
    if watched is not None:
        watched.rejected = lambda: _stop_rejected(app, settings.language)
    intake.bot = app.bot
    app.bot_data[INTAKE] = intake
    app.bot_data["core"] = Core(db=db, settings=settings, clock=clock)
    register_all(app)
    app.add_error_handler(on_error)
    if jobs and app.job_queue is not None:
        # The schedule is data: one job sends what is due, another keeps the rows built.
        # The reminders' tick runs on every instance (rows are claimed one by one); the
        # rebuild runs once per hour across instances (scheduling/jobs.py).
        app.job_queue.run_repeating(tick_job, interval=TICK_EVERY, first=5, name="reminders")
        app.job_queue.run_once(rebuild_job, when=1, data=AT_START, name="schedule")
        app.job_queue.run_repeating(
            rebuild_job, interval=REBUILD_EVERY, first=REBUILD_EVERY, name="schedule"
        )
        # Updates whose handling failed with the database are handled again.
        app.job_queue.run_repeating(
            redeliver_job, interval=REDELIVER_EVERY, first=REDELIVER_EVERY, name="redeliver"
        )
    return app
