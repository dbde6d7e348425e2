"""The web pages from the chat: ``/web`` sends a one-time login link (private chats only),
``/web thoat`` ends every session of the person (``bot.services.weblogin``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.language.normalize import fold
from bot.services import weblogin
from bot.services.inbound import Claim
from bot.transport import Incoming, Reply
from bot.views import web

if TYPE_CHECKING:
    from bot.core import Core

LOGOUT_WORDS = {"thoat", "dangxuat", "dang xuat", "logout", "exit"}
LOGIN_PATH = "/web/login/"  # the web adapter's route that opens a link (webui/routes.py)


def web_link(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    actor = claim.actor
    tz = core.settings.tz
    if " ".join(fold(a) for a in incoming.args).strip() in LOGOUT_WORDS:
        count = weblogin.end_all(core.db, actor.official_id, core.clock())
        return [web.ended_reply(count, actor.language)]
    if incoming.chat.is_group:
        return [web.private_only_reply(actor.language)]
    link = weblogin.issue_link(core.db, actor, core.clock())
    if link.token is None:
        return [web.too_many_links_reply(link.retry_at, actor.language, tz)]
    url = core.settings.site_url + LOGIN_PATH + link.token
    return [web.link_reply(url, link.expires_at, actor.language, tz)]


COMMANDS = {**commands(web_link, "web", "trang")}
