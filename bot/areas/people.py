"""People and groups: registering with an invite, help, the language, binding a group to
its units, the bot joining or leaving a group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.config import SUPPORTED_LANGUAGES
from bot.services import groups, identity
from bot.services.inbound import Claim
from bot.transport import Incoming, Reply
from bot.views import common

if TYPE_CHECKING:
    from bot.core import Core


def start(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/start CODE``: register with an invite (guessing codes is throttled)."""
    actor = claim.actor
    hours = core.settings.undo_hours
    if incoming.args and not incoming.chat.is_group and incoming.user is not None:
        code, user_id, now = incoming.args[0], incoming.user.id, core.clock()
        until = core.invite_guesses.blocked_until(user_id, now)
        if until is not None:  # guessing codes: refused without asking the database
            return [common.too_many_codes_reply(until, actor.language, core.settings.tz)]
        result = identity.redeem_invite(core.db, code, incoming.user, now)
        if result.outcome in (identity.Redeem.UNKNOWN, identity.Redeem.EXPIRED):
            core.invite_guesses.wrong(user_id, now)
        elif result.actor is not None:
            core.invite_guesses.forget(user_id)
        return [common.redeem_reply(result, actor.language, undo_hours=hours)]
    if actor.registered:
        return [common.welcome_reply(actor, undo_hours=hours)]
    return [common.not_registered_reply(actor.language)]


def help_(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    actor = claim.actor
    return [common.help_reply(actor, incoming.chat.is_group, undo_hours=core.settings.undo_hours)]


def language(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/ngonngu vi|en``: the person's language, or in a group the group's."""
    actor = claim.actor
    choice = incoming.args[0].lower() if incoming.args else ""
    if choice not in SUPPORTED_LANGUAGES:
        return [common.language_usage_reply(actor.language)]
    chat_id = incoming.chat.id if incoming.chat.is_group else None
    if not identity.set_language(core.db, actor, chat_id, choice):
        return [common.language_refused_reply(actor.language)]
    return [common.language_set_reply(choice, group=chat_id is not None)]


def bind_group(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/nhom Xã A, Xã B``: the units a group is for (the office)."""
    actor = claim.actor
    if not incoming.chat.is_group:
        return [common.group_only_reply(actor.language)]
    text = " ".join(incoming.args)
    result = groups.bind_units(core.db, incoming.chat, actor, text, core.clock())
    return [common.bind_reply(result, actor.language)]


def bot_added(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    actor = claim.actor
    groups.record_group(core.db, incoming.chat, actor.user_id, actor.language, core.clock())
    return [common.group_added_reply(actor.language)]


def bot_removed(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    groups.leave_group(core.db, incoming.chat, core.clock())
    return []


COMMANDS = {
    **commands(start, "start", anyone=True),
    **commands(help_, "trogiup", "help", "huongdan", anyone=True),
    **commands(language, "ngonngu", "language"),
    **commands(bind_group, "nhom"),
}
