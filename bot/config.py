"""Settings from environment variables and an optional ``.env`` file."""

from __future__ import annotations

import re
from datetime import time, timedelta
from functools import cached_property
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES = ("vi", "en")


# The national cut-off for statistical reports (Decree 09/2019/NĐ-CP): a month's figures
# run from the 15th of the month before to the 14th.
REPORT_CUTOFF_DAY = 15
INVITE_DAYS = (1, 365)  # how long an invite link may stay valid, in days (inclusive)
WEB_IDLE_MINUTES = 120  # a web session ends after this long without a page opened
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def listen_address(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8080`` for IPv6; port 0: any free port) as (host, port)."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535 or not host:
        raise ValueError("DONDOC_LISTEN: host:port, such as 127.0.0.1:8080")
    return host.strip("[]"), int(port)


class Settings(BaseSettings):
    """Everything configurable about a deployment.

    Names map to environment variables as written in the README: ``TELEGRAM_BOT_TOKEN``,
    ``DATABASE_URL``, ``DONDOC_TIMEZONE`` and so on.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    telegram_api_file_url: str | None = Field(default=None, alias="TELEGRAM_API_FILE_URL")
    bot_username: str | None = Field(default=None, alias="TELEGRAM_BOT_USERNAME")
    database_url: str = Field(default="sqlite:///dondoc.db", alias="DATABASE_URL")
    demo_database_url: str = Field(
        default="sqlite:///dondoc-demo.db", alias="DONDOC_DEMO_DATABASE_URL"
    )
    demo_province: str = Field(default="Tuyên Quang", alias="DONDOC_DEMO_PROVINCE")
    timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="DONDOC_TIMEZONE")
    language: str = Field(default="vi", alias="DONDOC_LANGUAGE")
    invite_days: int = Field(
        default=7, ge=INVITE_DAYS[0], le=INVITE_DAYS[1], alias="DONDOC_INVITE_DAYS"
    )
    # First day of a reporting period's data (Decree 09/2019: the 15th of the previous
    # month to the 14th); 1 makes reporting periods calendar months.
    report_cutoff_day: int = Field(
        default=REPORT_CUTOFF_DAY, ge=1, le=28, alias="DONDOC_REPORT_CUTOFF_DAY"
    )
    concurrent_updates: int = Field(default=8, ge=1, le=256, alias="DONDOC_CONCURRENT_UPDATES")
    # Reading a scanned plan or a photo by OCR: the time one file may take, all pages.
    ocr_seconds: int = Field(default=300, ge=10, le=3600, alias="DONDOC_OCR_SECONDS")
    # Telegram redelivers an update for at most 24 hours: an update id answered longer ago
    # than this, seen again, is a new update (ids start over after a week of silence).
    update_horizon_hours: int = Field(
        default=24, ge=1, le=24 * 30, alias="DONDOC_UPDATE_HORIZON_HOURS"
    )
    # "hủy" undoes the sender's latest report only when it is this recent; older reports
    # are undone with their button in /lichsu.
    undo_hours: int = Field(default=48, ge=1, le=24 * 60, alias="DONDOC_UNDO_HOURS")
    # Reminders: the local time they are sent, the working days before a deadline, how
    # often an overdue task is chased, the quiet hours, and how late is too late to send.
    reminder_time: time = Field(default=time(8, 0), alias="DONDOC_REMINDER_TIME")
    reminder_offsets: Annotated[list[int], NoDecode] = Field(
        default=[7, 3, 1, 0], alias="DONDOC_REMINDER_OFFSETS"
    )
    overdue_every: int = Field(default=3, ge=1, le=30, alias="DONDOC_OVERDUE_EVERY")
    quiet_start: time = Field(default=time(21, 0), alias="DONDOC_QUIET_START")
    quiet_end: time = Field(default=time(7, 0), alias="DONDOC_QUIET_END")
    reminder_staleness_hours: int = Field(default=24, ge=1, alias="DONDOC_REMINDER_STALENESS_HOURS")
    # The leaders' weekly overview (the month so far, with its chart), sent privately:
    # ISO weekday (1 = Monday … 7 = Sunday; 0 turns it off) and local time. A day off
    # moves it to the next working day.
    leader_digest_day: int = Field(default=1, ge=0, le=7, alias="DONDOC_LEADER_DIGEST_DAY")
    leader_digest_time: time = Field(default=time(7, 30), alias="DONDOC_LEADER_DIGEST_TIME")
    output_dir: str = Field(default="dondoc-output", alias="DONDOC_OUTPUT_DIR")
    # The office's template of the periodic report (a TOML file, a copy of
    # bot/data/report-template.toml); None: the packaged default.
    report_template: str | None = Field(default=None, alias="DONDOC_REPORT_TEMPLATE")
    # Webhook mode (README, "Running modes"): set DONDOC_WEBHOOK_URL (the public HTTPS
    # address Telegram posts to; the server answers on its path) and the secret Telegram
    # sends back in every request's X-Telegram-Bot-Api-Secret-Token header. Without a
    # URL the bot polls. Both modes serve /healthz, /readyz and /metrics on DONDOC_LISTEN.
    webhook_url: str | None = Field(default=None, alias="DONDOC_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="DONDOC_WEBHOOK_SECRET")
    # Telegram posts several updates at once (up to setWebhook's max_connections), one
    # person's consecutive ones possibly to two instances: a posted update is handled
    # once the updates numbered before it are in the log, or once none of them has
    # arrived for this long (at most six times this long in all), so that an earlier
    # update of its chat is handled first (bot/web.py, wait_for_earlier).
    webhook_settle_ms: int = Field(default=5000, ge=0, le=10_000, alias="DONDOC_WEBHOOK_SETTLE_MS")
    listen: str = Field(default="127.0.0.1:8080", alias="DONDOC_LISTEN")
    log_format: Literal["text", "json"] = Field(default="text", alias="DONDOC_LOG_FORMAT")
    # /readyz fails when updates have waited unanswered in the log this many minutes and
    # this process handled none meanwhile; 0 turns the check off.
    ready_idle_minutes: int = Field(default=15, ge=0, le=24 * 60, alias="DONDOC_READY_IDLE_MINUTES")

    # The web pages (README, "Web pages"): links start with DONDOC_PUBLIC_URL (default
    # http:// + DONDOC_LISTEN); a session ends after this many idle minutes; the key that
    # signs the session cookie (unset: a random key kept in the database, shared by every
    # instance).
    public_url: str | None = Field(default=None, alias="DONDOC_PUBLIC_URL")
    web_idle_minutes: int = Field(
        default=WEB_IDLE_MINUTES, ge=5, le=7 * 24 * 60, alias="DONDOC_WEB_IDLE_MINUTES"
    )
    web_secret: SecretStr | None = Field(default=None, alias="DONDOC_WEB_SECRET")

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"DONDOC_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> object:
        if isinstance(value, str):
            value = [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, list) and any(int(v) < 0 or int(v) > 60 for v in value):
            raise ValueError("DONDOC_REMINDER_OFFSETS: working days between 0 and 60")
        return sorted({int(v) for v in value}, reverse=True) if isinstance(value, list) else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", "webhook_secret", "public_url", "web_secret", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError("DONDOC_WEBHOOK_URL: a full address such as https://bot.example/tg/…")
        return value.strip()

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError("DONDOC_PUBLIC_URL: a full address such as https://dondoc.example")
        return value.strip().rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("DONDOC_WEBHOOK_SECRET: 1 to 256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        listen_address(value)  # raises for a malformed one
        return value.strip()

    @property
    def webhook_path(self) -> str:
        """The path the webhook answers on: the URL's path ("/" when it has none)."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def site_url(self) -> str:
        """Where the web pages are reached: ``DONDOC_PUBLIC_URL``, else ``http://`` and
        ``DONDOC_LISTEN``; without a trailing slash."""
        return self.public_url or f"http://{self.listen}"

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the pages are served over HTTPS."""
        return self.site_url.startswith("https://")

    @property
    def listen_address(self) -> tuple[str, int]:
        return listen_address(self.listen)

    @property
    def undo_window(self) -> timedelta:
        return timedelta(hours=self.undo_hours)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
