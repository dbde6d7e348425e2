"""The chat's replies about the web pages: the one-time link ``/web`` sends, the refusals,
and ``/web thoat``."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.i18n import translations
from bot.transport import Reply


def _time(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y")


def link_reply(url: str, expires_at: datetime, language: str, tz: tzinfo) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "Your link to the web pages (it opens once, until {time}; do not forward it):\n"
            "{url}\n"
            "To log out everywhere: /web thoat"
        ).format(url=url, time=_time(expires_at, tz))
    )


def too_many_links_reply(retry_at: datetime, language: str, tz: tzinfo) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "Several links were sent a moment ago. Use the newest one, or ask again after {time}."
        ).format(time=_time(retry_at, tz))
    )


def private_only_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("/web sends a personal login link: send it to me in a private chat."))


def ended_reply(count: int, language: str) -> Reply:
    _ = translations(language).gettext
    if not count:
        return Reply(_("You were not logged in to the web pages anywhere."))
    return Reply(_("Logged out of the web pages on {count} device(s).").format(count=count))
