"""The web pages from a Telegram chat: the real Application polls the fake Bot API, a
registered person sends /web, and the link in the bot's answer opens the pages of the
same ASGI app that serves the webhook and health endpoints (both modes)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest

from bot.config import Settings
from bot.services.identity import create_invite
from bot.web import create_web_app
from storage.db import Database
from storage.models import Role
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app


@pytest.mark.parametrize("webhook", [False, True])
async def test_web_link_from_the_chat_opens_the_pages(
    area: Database, settings: Settings, clock, fake: FakeBotAPI, webhook: bool
) -> None:
    app = application(area, settings, clock, fake)
    web = create_web_app(app, settings, webhook=webhook)
    transport = httpx.ASGITransport(app=web)
    async with (
        running_app(app, fake),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
    ):
        assert (await client.get("/web/")).status_code == 302
        if webhook:
            return  # the mount is there; the conversation below is polling's
        code = create_invite(
            area, role=Role.OFFICE, unit_query=None, now=clock(), days=7, created_by="test"
        ).code
        an = fake.add_user(first_name="An", language_code="vi")
        mark = fake.mark()
        fake.send_text(an, an, f"/start {code}")
        await fake.wait_for("sendMessage", since=mark)
        mark = fake.mark()
        fake.send_text(an, an, "/web")
        await fake.wait_for("sendMessage", since=mark)
        text = fake.last_bot_message(an)["text"]
        url = re.search(r"https?://\S+", text)
        assert url is not None and url.group().startswith(settings.site_url + "/web/login/")
        path = urlsplit(url.group()).path
        opened = await client.post(path)
        assert opened.status_code == 303 and opened.headers["location"] == "/web/"
        overview = await client.get("/web/")
        assert overview.status_code == 200 and "An" in overview.text
