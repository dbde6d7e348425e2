"""Telegram's side for trying docs/deploy.md by hand (``try_deploy_guide.sh``): the test
suite's fake Bot API served on a free port of 127.0.0.1, delivering updates to the webhook
registered with it through nginx, as Telegram would.

Writes its base URL (for ``TELEGRAM_API_BASE_URL``) to ``DIR/base_url``, waits for
``dondoc webhook set``, then sends every line appended to ``DIR/say`` (``NAME|TEXT``: a
private message from the person NAME, made on first use) and prints the bot's answers.
Update and user ids start high, so a second run against the same database is not taken
for Telegram redelivering the first run's updates. Stopped with Ctrl-C / SIGTERM::

    .venv/bin/python tests/tools/fake_telegram.py DIR [HOST]

HOST (default ``bot.example.gov.vn``) is the name nginx serves; requests go to
https://127.0.0.1 with that Host header, the certificate unchecked (a self-signed one).
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fakebot import FakeBotAPI
from tests.fakebot_server import serving


async def main(folder: Path, host: str) -> None:
    fake = FakeBotAPI(first_ids=random.randrange(10**6, 10**8))
    async with serving(fake) as base:
        (folder / "base_url").write_text(base)
        print("fake Bot API at", base, flush=True)
        while not fake.webhook_url:  # noqa: ASYNC110 - set by another process's request
            await asyncio.sleep(0.5)
        print("webhook registered:", fake.webhook_url, flush=True)
        people: dict[str, dict] = {}
        said = 0
        inbox = folder / "say"
        async with httpx.AsyncClient(
            base_url="https://127.0.0.1", verify=False, headers={"Host": host}, timeout=60
        ) as client:
            delivering = asyncio.create_task(fake.serve_webhook(client))
            while not delivering.done():
                lines = inbox.read_text().splitlines() if inbox.exists() else []
                for line in lines[said:]:
                    said += 1
                    name, _, text = line.partition("|")
                    person = people.setdefault(name, fake.add_user(first_name=name))
                    mark = len(fake.calls)
                    fake.send_text(person, person, text)
                    print(f">>> [{name}] {text}", flush=True)
                    try:
                        await fake.wait_for(
                            "sendMessage", chat_id=person["id"], since=mark, timeout=60
                        )
                    except AssertionError:
                        print("<<< (no answer within 60 s)", flush=True)
                        continue
                    await asyncio.sleep(1)  # an answer may take several messages
                    for call in fake.calls_of("sendMessage", since=mark, chat_id=person["id"]):
                        print("<<<", call.params["text"], flush=True)
                    print(flush=True)
                await asyncio.sleep(0.5)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "bot.example.gov.vn"))
