"""deploy/nginx.conf serving for real: nginx started on the repo file (its placeholders,
listening ports and instance ports rendered to this test's), in front of one real
``dondoc run`` in webhook mode and two instance ports where nothing listens. Telegram's
deliveries (the fake Bot API's) go through TLS and nginx; the dead instances are passed
over; the secret header reaches the bot; what is not the webhook's is refused."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import httpx
import pytest

from storage.db import Database
from tests import cluster
from tests.cluster import WEBHOOK_SECRET, WEBHOOK_URL
from tests.cluster import area as _area
from tests.cluster import bot_env as _env
from tests.cluster import until as _until
from tests.cluster import until_ready as _until_ready
from tests.fakebot import FakeBotAPI
from tests.fakebot_server import serving

URL, SECRET, START_TIMEOUT = WEBHOOK_URL, WEBHOOK_SECRET, cluster.START_TIMEOUT


def _prepare(tmp_path: Path) -> tuple[str, Path, int, int, int]:
    """nginx, its main configuration (checked with nginx -t), and the live instance's,
    HTTP and HTTPS ports."""
    live, dead_a, dead_b = (cluster.free_port() for _ in range(3))
    try:
        # The live instance is the last one: nginx tries the dead ones first, round robin.
        nginx, main, http, https = cluster.prepare_nginx(tmp_path, [dead_a, dead_b, live])
    except cluster.Unavailable as missing:
        pytest.skip(str(missing))
    return nginx, main, live, http, https


async def test_nginx_conf_in_front_of_a_real_instance(db: Database, tmp_path: Path) -> None:
    nginx, main, live, http, https = await asyncio.to_thread(_prepare, tmp_path)
    database_url = db.url
    fake = FakeBotAPI()
    people = _area(db, fake)[:4]
    db.dispose()
    log_path = tmp_path / "bot.log"
    async with serving(fake) as base_url:
        env = _env(
            fake, base_url, database_url, tmp_path,
            DONDOC_WEBHOOK_URL=URL, DONDOC_WEBHOOK_SECRET=SECRET,
            DONDOC_LISTEN=f"127.0.0.1:{live}",
        )  # fmt: skip
        fake.webhook_url, fake.webhook_secret = URL, SECRET
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log_path.open("ab"),
        )  # fmt: skip
        proxy = await asyncio.create_subprocess_exec(
            nginx, "-p", str(tmp_path), "-c", str(main), "-g", "daemon off;",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{live}") as direct:
                await _until_ready(direct)
            async with httpx.AsyncClient(
                base_url=f"https://127.0.0.1:{https}",
                verify=False,
                headers={"Host": "bot.example.gov.vn"},
                timeout=30,
            ) as client:
                await _until(lambda: (tmp_path / "nginx.pid").exists(), START_TIMEOUT)
                health = await client.get("/healthz")
                assert health.status_code == 200 and health.json() == {"status": "ok"}
                assert (await client.get("/readyz")).status_code == 200
                # From this machine (127.0.0.1) the metrics are served.
                assert "dondoc_webhook_deliveries_total" in (await client.get("/metrics")).text

                for n, person in enumerate(people):
                    fake.send_text(person, person, f"so hoa {70 + n}/100")
                assert await fake.deliver_webhook(client, attempts=1) == len(people)
                assert {status for _, status in fake.webhook_deliveries} == {200}
                for person in people:
                    await fake.wait_for("sendMessage", chat_id=person["id"], timeout=30)

                # Without the secret: the bot's 403 comes back (the header is not invented).
                fake.send_text(people[0], people[0], "so hoa 99/100")
                assert await fake.deliver_webhook(client, attempts=1, secret="") == 0
                assert fake.webhook_deliveries[-1][1] == 403
                # The webhook takes only POST; other paths are nobody's.
                assert (await client.get("/tg/hook-path")).status_code == 403
                assert (await client.post("/other", json={})).status_code == 404
                big = b"x" * 2_000_000
                response = await client.post("/tg/hook-path", content=big)
                assert response.status_code == 413
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http}") as plain:
                moved = await plain.get("/tg/hook-path", headers={"Host": "bot.example.gov.vn"})
                assert moved.status_code == 301
                assert moved.headers["location"] == "https://bot.example.gov.vn/tg/hook-path"
        except (AssertionError, TimeoutError, httpx.HTTPError) as exc:
            tail = log_path.read_text(errors="replace")[-2000:]
            errors = (tmp_path / "error.log").read_text(errors="replace")[-2000:]
            raise AssertionError(
                f"{exc!r}\n--- bot.log ---\n{tail}\n--- nginx error.log ---\n{errors}"
            ) from exc
        finally:
            for process in (proxy, bot):
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(process.wait(), 30)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
    # Passed over, the dead instances were: nginx says so in its error log.
    errors = (tmp_path / "error.log").read_text(errors="replace")
    assert "connect() failed (111: Connection refused) while connecting to upstream" in errors
