"""Building the Application from settings (no network: nothing is started)."""

from __future__ import annotations

import pytest

from bot.app import bot_commands, build_application
from bot.config import Settings
from storage.db import Database


def _settings(**extra: str) -> Settings:
    return Settings(_env_file=None, TELEGRAM_BOT_TOKEN="1:abc", **extra)


def test_default_api_urls() -> None:
    app = build_application(_settings(), Database("sqlite://"))
    assert app.bot.base_url == "https://api.telegram.org/bot1:abc"


@pytest.mark.parametrize("base", ["http://127.0.0.1:8081", "http://127.0.0.1:8081/bot"])
def test_self_hosted_bot_api_server(base: str) -> None:
    app = build_application(_settings(TELEGRAM_API_BASE_URL=base), Database("sqlite://"))
    assert app.bot.base_url == "http://127.0.0.1:8081/bot1:abc"
    assert app.bot.base_file_url == "http://127.0.0.1:8081/file/bot1:abc"


def test_separate_file_url() -> None:
    settings = _settings(
        TELEGRAM_API_BASE_URL="http://api:8081", TELEGRAM_API_FILE_URL="http://files:8082"
    )
    app = build_application(settings, Database("sqlite://"))
    assert app.bot.base_file_url == "http://files:8082/file/bot1:abc"


def test_settings_never_show_the_token() -> None:
    settings = _settings()
    assert "abc" not in repr(settings) and "abc" not in str(settings.model_dump())


def test_no_token_no_application() -> None:
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(Settings(_env_file=None), Database("sqlite://"))


def test_command_menus() -> None:
    private = [c.command for c in bot_commands("vi", group=False)]
    group = [c.command for c in bot_commands("en", group=True)]
    assert private == [
        "start",
        "trogiup",
        "tinhhinh",
        "kehoach",
        "nhiemvu",
        "lichsu",
        "huy",
        "nhacviec",
        "xuat",  # the periodic report: files, in private only
        "web",  # a login link to the web pages, in private only
        "ngonngu",
    ]
    assert group == [
        "trogiup",
        "baocao",
        "tinhhinh",
        "kehoach",
        "nhiemvu",
        "lichsu",
        "huy",
        "nhom",
        "ngonngu",
    ]


def test_the_report_cutoff_day_is_configurable_within_a_month() -> None:
    from pydantic import ValidationError

    from bot.language.periods import Period, reporting_period

    assert _settings().report_cutoff_day == 15
    calendar = _settings(DONDOC_REPORT_CUTOFF_DAY="1")
    october = Period.month(2025, 10)
    assert october.reporting_window(calendar.report_cutoff_day) == (october.start, october.end)
    assert reporting_period(october.end, cutoff_day=calendar.report_cutoff_day) == october
    with pytest.raises(ValidationError):
        _settings(DONDOC_REPORT_CUTOFF_DAY="31")
