"""The real ``dondoc run`` in webhook mode, in its own process: uvicorn on a free port
(``DONDOC_LISTEN=127.0.0.1:0``), the fake Bot API over a socket, Telegram's deliveries
POSTed to it; ``dondoc webhook set|info|delete``; the startup error without a secret."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from storage.db import Database
from tests.cluster import START_TIMEOUT, WEBHOOK_SECRET, WEBHOOK_URL
from tests.cluster import area as _area
from tests.cluster import bot_env as _env
from tests.cluster import until as _until
from tests.cluster import until_ready as _until_ready
from tests.fakebot import FakeBotAPI
from tests.fakebot_server import serving

URL, SECRET = WEBHOOK_URL, WEBHOOK_SECRET


async def test_dondoc_run_serves_the_webhook_and_stops_cleanly(
    db: Database, tmp_path: Path
) -> None:
    database_url = db.url  # the test's own database, SQLite or PostgreSQL
    fake = FakeBotAPI()
    people = _area(db, fake)[:3]
    db.dispose()
    log_path = tmp_path / "bot.log"
    async with serving(fake) as base_url:
        env = _env(
            fake,
            base_url,
            database_url,
            tmp_path,
            DONDOC_WEBHOOK_URL=URL,
            DONDOC_WEBHOOK_SECRET=SECRET,
            DONDOC_LOG_FORMAT="json",
        )
        # Registered through the command, as an operator does.
        code = await asyncio.to_thread(_command, ["webhook", "set"], env, tmp_path)
        assert code == 0 and fake.webhook_url == URL and fake.webhook_secret == SECRET
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log_path.open("ab"),
        )  # fmt: skip
        try:

            def port() -> int | None:
                text = log_path.read_text(errors="replace")
                found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)
                return int(found.group(1)) if found and "Đôn Đốc starts" in text else None

            await _until(lambda: port() is not None, START_TIMEOUT)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port()}") as client:
                await _until_ready(client)
                for n, person in enumerate(people):
                    fake.send_text(person, person, f"so hoa {70 + n}/100")
                assert await fake.deliver_webhook(client) == len(people)
                for person in people:
                    await fake.wait_for("sendMessage", chat_id=person["id"], timeout=30)
                # Counted once the reply is sent: wait for the last one's count.
                answered = 'dondoc_updates_handled_total{kind="text",outcome="answered"} 3.0'
                pages: list[str] = []

                async def scrape() -> None:
                    pages.append((await client.get("/metrics")).text)

                await scrape()
                while answered not in pages[-1] and len(pages) < 200:
                    await asyncio.sleep(0.05)
                    await scrape()
                assert answered in pages[-1]
            # The start-up rebuild runs as a job (its line is checked below).
            await _until(lambda: "reminders rebuilt" in log_path.read_text(), START_TIMEOUT)
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 30) == 0
        except (AssertionError, TimeoutError) as exc:  # say what the bot logged
            tail = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(f"{exc!r}\n--- bot.log (end) ---\n{tail}") from exc
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert not fake.calls_of("getUpdates")
        code = await asyncio.to_thread(_command, ["webhook", "info", "--json"], env, tmp_path)
        assert code == 0
        code = await asyncio.to_thread(_command, ["webhook", "delete"], env, tmp_path)
        assert code == 0 and fake.webhook_url == ""
        [delete] = fake.calls_of("deleteWebhook")
        assert not delete.params.get("drop_pending_updates")  # never by default
        [first_set] = fake.calls_of("setWebhook")
        assert not first_set.params.get("drop_pending_updates")
        assert first_set.params["secret_token"] == SECRET and first_set.params["url"] == URL
        argv = ["webhook", "set", "--drop-pending-updates"]
        assert await asyncio.to_thread(_command, argv, env, tmp_path) == 0
        assert fake.calls_of("setWebhook")[-1].params["drop_pending_updates"] is True
    text = log_path.read_text()
    assert fake.token not in text and SECRET not in text
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    answered = [r for r in lines if r.get("outcome") == "answered"]
    assert len(answered) == 3 and all(r["unit"] and r["chat"] for r in answered)
    # APScheduler's two lines for each run of a job (four a minute per instance for the
    # reminders' tick; the start-up rebuild ran as one) are kept out of the log.
    assert not [r for r in lines if r["logger"] == "apscheduler.executors.default"]


def _command(argv: list[str], env: dict, cwd: Path) -> int:
    """``dondoc ARGV`` in this process (in a thread: the fake serves in the test's loop)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return main(argv)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_webhook_mode_without_a_secret_is_a_clear_startup_error(
    monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-part")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setenv("DONDOC_WEBHOOK_URL", URL)
    monkeypatch.delenv("DONDOC_WEBHOOK_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "chế độ webhook cần một mã bí mật" in err and "SECRET-part" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "dấu"])
def test_a_secret_telegram_would_refuse_is_refused_at_start(
    monkeypatch, tmp_path, capsys, secret: str
) -> None:
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", secret)
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    assert "DONDOC_WEBHOOK_SECRET" in capsys.readouterr().err


async def test_dondoc_run_polling_serves_the_health_endpoints_and_survives_a_taken_port(
    db: Database, tmp_path: Path
) -> None:
    import socket

    database_url = db.url  # the test's own database, SQLite or PostgreSQL
    fake = FakeBotAPI()
    [person] = _area(db, fake)[:1]
    db.dispose()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    try:
        async with serving(fake) as base_url:
            for listen in ("127.0.0.1:0", f"127.0.0.1:{busy}"):
                log_path = tmp_path / f"bot-{listen.rsplit(':', 1)[1]}.log"
                env = _env(fake, base_url, database_url, tmp_path, DONDOC_LISTEN=listen)
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                    stdout=asyncio.subprocess.DEVNULL, stderr=log_path.open("ab"),
                )  # fmt: skip
                try:
                    await _until(lambda: "starts polling" in log_path.read_text(), START_TIMEOUT)  # noqa: B023
                    text = log_path.read_text()
                    if listen.endswith(":0"):
                        port = int(re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)[1])
                        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
                            await _until_ready(c)
                            assert (await c.get("/healthz")).status_code == 200
                    else:  # the port is taken: a warning, and the bot polls all the same
                        assert "DONDOC_LISTEN" in text and "listening on" not in text
                    mark = fake.mark()
                    fake.send_text(person, person, "so hoa 71/100")
                    await fake.wait_for("sendMessage", since=mark, timeout=30)
                    process.send_signal(signal.SIGTERM)
                    assert await asyncio.wait_for(process.wait(), 30) == 0
                except (AssertionError, TimeoutError) as exc:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise AssertionError(f"{exc!r}\n--- {log_path.name} ---\n{tail}") from exc
                finally:
                    if process.returncode is None:
                        process.kill()
                        await process.wait()
    finally:
        taken.close()
