"""The one path every transport takes: an :class:`Incoming` in, :class:`Reply` objects out.

``begin`` logs the update (a redelivered one is dropped) and loads the actor; ``handle``
routes it to a service and renders the result. Telegram runs both from PTB handlers
(``handlers/``), the console calls them directly; both run them off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.services import groups, identity, inbound
from bot.services.identity import Actor
from bot.transport import Incoming, Kind, Reply
from bot.views import common
from storage.db import Database

Clock = Callable[[], datetime]

HELP_COMMANDS = {"trogiup", "help", "huongdan"}
LANGUAGE_COMMANDS = {"ngonngu", "language"}


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Core:
    db: Database
    settings: Settings
    clock: Clock = system_clock

    def begin(self, incoming: Incoming) -> Actor | None:
        """Log the update and find who sent it; None when it was handled before."""
        with self.db.session() as session:
            actor = identity.load_actor(session, incoming)
            if not inbound.log_update(session, incoming, actor.official_id):
                return None
            return actor

    def handle(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        if incoming.kind is Kind.BOT_ADDED:
            language = actor.language
            groups.record_group(self.db, incoming.chat, actor.user_id, language, self.clock())
            return [common.group_added_reply(language)]
        if incoming.kind is Kind.BOT_REMOVED:
            groups.leave_group(self.db, incoming.chat, self.clock())
            return []
        if incoming.kind is Kind.COMMAND:
            return self._command(incoming, actor)
        if incoming.kind is Kind.CALLBACK:
            return [common.stale_button_reply(actor.language)]
        if incoming.kind in (Kind.TEXT, Kind.EDITED, Kind.MEDIA):
            return self._message(incoming, actor)
        return []

    def _command(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        name = incoming.command or ""
        if name == "start":
            if incoming.args and not incoming.chat.is_group:
                code = incoming.args[0]
                result = identity.redeem_invite(self.db, code, incoming.user, self.clock())
                return [common.redeem_reply(result, actor.language)]
            if actor.registered:
                return [common.welcome_reply(actor)]
            return [common.not_registered_reply(actor.language)]
        if name in HELP_COMMANDS:
            return [common.help_reply(actor, incoming.chat.is_group)]
        if not actor.registered:
            return [common.not_registered_reply(actor.language)]
        if name in LANGUAGE_COMMANDS:
            return [self._language(incoming, actor)]
        if name == "nhom":
            if not incoming.chat.is_group:
                return [common.group_only_reply(actor.language)]
            text = " ".join(incoming.args)
            result = groups.bind_units(self.db, incoming.chat, actor, text, self.clock())
            return [common.bind_reply(result, actor.language)]
        return [common.not_understood_reply(actor.language)]

    def _language(self, incoming: Incoming, actor: Actor) -> Reply:
        """``/ngonngu vi|en``: the person's language, or in a group the group's."""
        choice = incoming.args[0].lower() if incoming.args else ""
        if choice not in SUPPORTED_LANGUAGES:
            return common.language_usage_reply(actor.language)
        chat_id = incoming.chat.id if incoming.chat.is_group else None
        if not identity.set_language(self.db, actor, chat_id, choice):
            return common.language_refused_reply(actor.language)
        return common.language_set_reply(choice, group=chat_id is not None)

    def _message(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        addressed = not incoming.chat.is_group or incoming.reply_to_bot
        if not actor.registered:
            # In a group, people talk to each other: only answer what is said to the bot.
            return [common.not_registered_reply(actor.language)] if addressed else []
        if not addressed:
            return []
        return [common.not_understood_reply(actor.language)]
