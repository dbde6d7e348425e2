"""The web app's settings (issue 17) and the JSON log format, without a database."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from pydantic import ValidationError

from bot import logs
from bot.config import Settings, listen_address


def _settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)


def test_the_webhook_answers_on_its_urls_path() -> None:
    settings = _settings(DONDOC_WEBHOOK_URL="https://bot.example.gov.vn/tg/7f3a")
    assert settings.webhook_path == "/tg/7f3a"
    assert _settings(DONDOC_WEBHOOK_URL="https://bot.example.gov.vn").webhook_path == "/"
    assert _settings(DONDOC_WEBHOOK_URL=" ").webhook_url is None  # blank: polling
    with pytest.raises(ValidationError, match="DONDOC_WEBHOOK_URL"):
        _settings(DONDOC_WEBHOOK_URL="bot.example.gov.vn/tg")


def test_listen_addresses() -> None:
    assert listen_address("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert listen_address("[::1]:0") == ("::1", 0)
    assert listen_address("0.0.0.0:9000") == ("0.0.0.0", 9000)
    for bad in ("8080", "localhost:", ":8080", "host:99999", "host:http"):
        with pytest.raises(ValueError, match="DONDOC_LISTEN"):
            listen_address(bad)
    assert _settings().listen_address == ("127.0.0.1", 8080)  # the default: local only


def test_the_defaults_are_polling_text_logs_and_a_readiness_window() -> None:
    settings = _settings()
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert settings.log_format == "text" and settings.ready_idle_minutes == 15
    with pytest.raises(ValidationError):
        _settings(DONDOC_LOG_FORMAT="xml")


def test_a_json_line_holds_the_update_fields_the_exception_and_no_secret() -> None:
    formatter = logs.JsonFormatter(("123:SECRET",))
    logs.UPDATE.set(None)
    logs.begin_update(42, -1001)
    logs.note(unit="Xã Sơn Dương", outcome=None)
    try:
        raise RuntimeError("failed with 123:SECRET inside")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "at %s", ("bot123:SECRET/getMe",), sys.exc_info()
        )
    data = json.loads(formatter.format(record))
    assert data["update_id"] == 42 and data["chat"] == -1001 and data["unit"] == "Xã Sơn Dương"
    assert "outcome" not in data  # not known yet
    assert data["message"] == "at bot<token>/getMe" and data["level"] == "ERROR"
    assert "RuntimeError" in data["exception"] and "SECRET" not in data["exception"]
    # `extra=` fills a field too; outside any update there are none.
    logs.UPDATE.set(None)
    other = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", (), None)
    other.outcome = "answered"
    assert json.loads(formatter.format(other)).get("outcome") == "answered"
    assert "update_id" not in json.loads(formatter.format(other))
