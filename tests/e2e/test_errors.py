"""Every failure answers: an apology with a reference, the update and the traceback in the
log; nothing half-stored; an unreachable Telegram at start is a line and a wait."""

from __future__ import annotations

import logging
import re

import pytest
from pydantic import SecretStr
from telegram.error import InvalidToken

from bot.app import build_application, connect
from bot.cli import main
from bot.config import Settings
from bot.services.identity import create_invite
from storage.db import Database
from storage.models import Role
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app


async def _official(fake: FakeBotAPI, area: Database, clock, app) -> dict:
    """A registered official of Xã Sơn Dương, through the deep link."""
    code = create_invite(
        area, role=Role.OFFICIAL, unit_query="Xã Sơn Dương", now=clock(), days=7, created_by="t"
    ).code
    person = fake.add_user(first_name="An", language_code="vi")
    mark = fake.mark()
    fake.send_text(person, person, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark)
    return person


async def test_a_failure_gets_an_apology_and_the_log_its_reference(
    area: Database, settings: Settings, clock, fake: FakeBotAPI, caplog
) -> None:
    app = application(area, settings, clock, fake)
    async with running_app(app, fake, raise_app_errors=False):
        person = await _official(fake, area, clock, app)

        def broken(*_args, **_kwargs):
            raise RuntimeError("the disk is full")

        app.bot_data["core"].handle = broken
        mark = fake.mark()
        with caplog.at_level(logging.ERROR):
            fake.send_text(person, person, "so hoa 85%")
            await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(person)["text"]
    assert text.startswith("Xin lỗi") and "mã lỗi" in text
    reference = re.search(r"\b([0-9a-f]{8})\b", text).group(1)
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert "so hoa 85%" in record.getMessage()  # the update is in the log …
    assert record.exc_info and "the disk is full" in str(record.exc_info[1])  # … and why


async def test_connect_waits_for_telegram_with_backoff(
    area: Database, settings: Settings, clock, fake: FakeBotAPI
) -> None:
    app = application(area, settings, clock, fake)
    fake.fail_next("getMe", error_code=502, times=3)  # PTB reads 502 as a network error
    waits: list[tuple[str, float]] = []
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    await connect(app, lambda reason, delay: waits.append((reason, delay)), sleep=sleep)
    assert [delay for _reason, delay in waits] == [1.0, 2.0, 4.0] == slept
    assert all("Bad Gateway" in reason for reason, _delay in waits)
    assert app.bot.username  # initialised
    await app.shutdown()


async def test_a_rejected_token_is_not_retried(area: Database, settings: Settings, clock) -> None:
    fake = FakeBotAPI(clock=clock)
    settings = settings.model_copy(update={"telegram_bot_token": SecretStr("999:wrong-token")})
    app = build_application(
        settings, area, clock=clock, request=fake.make_request(), jobs=False,
        get_updates_request=fake.make_request(),
    )  # fmt: skip
    with pytest.raises(InvalidToken):
        await connect(app, lambda *_: pytest.fail("a rejected token is not retried"))


def test_the_command_says_one_line_for_a_rejected_token(
    monkeypatch, tmp_path, capsys, caplog
) -> None:
    import bot.app

    async def rejected(app, report) -> None:
        raise InvalidToken("The token `123456:SECRET-part` was rejected by the server.")

    monkeypatch.setattr(bot.app, "connect", rejected)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-part")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "SECRET" not in err
    assert "Traceback" not in err and "SECRET" not in caplog.text


async def test_failures_to_fetch_updates_are_one_line_each(
    area: Database, settings: Settings, clock, fake: FakeBotAPI, caplog
) -> None:
    from telegram.error import BadRequest, Conflict, NetworkError

    from handlers.common import BotContext
    from handlers.errors import on_error

    app = application(area, settings, clock, fake)
    token = fake.token
    failures = [
        Conflict(
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running"
        ),
        NetworkError(f"httpx.ConnectError: All connection attempts failed (bot{token})"),
        BadRequest("Bad Request: wrong offset"),
    ]
    for error in failures:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            # PTB's run_polling hands a failed getUpdates to the error handler, no update.
            await on_error(None, BotContext.from_error(None, error, app))
        [record] = caplog.records
        assert record.exc_info is None and "\n" not in record.getMessage()
        assert token not in record.getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        await on_error(None, BotContext.from_error(None, failures[0], app))
    assert "một tiến trình khác đang chạy bot với cùng token" in caplog.text  # what to do
    # A failing job keeps its traceback: that one is a bug to find.
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        await on_error(None, BotContext.from_error(None, RuntimeError("bug"), app))
    [record] = caplog.records
    assert record.exc_info is not None
    assert fake.calls_of("sendMessage") == []  # nobody to apologise to


async def test_a_token_rejected_while_running_is_one_line_and_stops_the_bot(
    area: Database, settings: Settings, clock, fake: FakeBotAPI, caplog, monkeypatch
) -> None:
    from telegram.ext import Application

    from bot.app import TOKEN_REJECTED

    stopped: list[Application] = []
    # run_polling would stop its event loop; here the test's loop must go on.
    monkeypatch.setattr(Application, "stop_running", lambda self: stopped.append(self))
    app = application(area, settings, clock, fake)
    token = fake.token
    with caplog.at_level(logging.DEBUG):
        async with running_app(app, fake):
            await fake.wait_for("getUpdates", include_failed=True)
            mark = fake.mark()
            fake.token = "999:revoked-in-botfather"  # the office revoked the token
            await fake.wait_for("getUpdates", since=mark, include_failed=True)
            await fake.wait_for("getUpdates", 3, since=mark, include_failed=True)
    assert stopped == [app] and app.bot_data[TOKEN_REJECTED] is True
    rejected = [r for r in caplog.records if "TELEGRAM_BOT_TOKEN" in r.getMessage()]
    assert len(rejected) == 1 and rejected[0].levelno == logging.ERROR
    assert not [r for r in caplog.records if r.exc_info]  # no traceback anywhere
    assert token not in caplog.text


def test_telegram_refusals_logged_with_a_traceback_by_ptb_are_one_line(caplog) -> None:
    from telegram.error import Conflict

    from bot.app import protect_token

    token = "123456:SECRET-part"
    protect_token(token)
    try:
        raise Conflict(f"Conflict: terminated by other getUpdates request ({token})")
    except Conflict:
        with caplog.at_level(logging.ERROR):
            logging.getLogger("telegram.ext.Updater").exception("Error while calling get_updates")
    [record] = caplog.records
    assert record.exc_info is None
    assert record.getMessage() == (
        "Error while calling get_updates (Conflict: Conflict: terminated by other getUpdates "
        "request (<token>))"
    )


def test_the_command_exits_2_when_the_token_is_rejected_while_running(
    monkeypatch, tmp_path, capsys
) -> None:
    from telegram.ext import Application

    import bot.app
    import bot.cli

    async def connected(app, report) -> None:
        return None

    async def rejected_while_running(app, settings, sock, *, webhook) -> None:
        assert not webhook and sock is not None  # polling, with the health endpoints
        bot.app._stop_rejected(app, "vi")  # what the watched getUpdates request does

    monkeypatch.setattr(bot.app, "connect", connected)
    monkeypatch.setattr(Application, "stop_running", lambda self: None)
    monkeypatch.setattr(bot.cli, "serve", rejected_while_running)
    monkeypatch.setenv("DONDOC_LISTEN", "127.0.0.1:0")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-part")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "Telegram từ chối TELEGRAM_BOT_TOKEN" in err and "SECRET" not in err
