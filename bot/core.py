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
from bot.matching import Decision
from bot.services import groups, identity, inbound, plans
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.transport import MAX_FILE_BYTES, Incoming, Kind, Reply
from bot.views import common
from bot.views import plans as plan_views
from storage.db import Database

Clock = Callable[[], datetime]

HELP_COMMANDS = {"trogiup", "help", "huongdan"}
LANGUAGE_COMMANDS = {"ngonngu", "language"}
PLAN_COMMANDS = {"kehoach", "plan"}
TASK_COMMANDS = {"nhiemvu", "tasks"}
# Files the office may send as the plan.
PLAN_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".txt", ".md", ".doc", ".xls")


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
            if (incoming.callback_data or "").startswith("plan:") and actor.registered:
                return self._plan_button(incoming, actor)
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
        if name in PLAN_COMMANDS:
            return [self._plan_outline(actor)]
        if name in TASK_COMMANDS:
            return [self._unit_tasks(incoming, actor)]
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
        file = incoming.file
        private_media = incoming.kind is Kind.MEDIA and not incoming.chat.is_group
        if private_media and actor.manages:
            # What the office sends in private is taken as the plan: a photo or another
            # kind of file gets the reason it cannot be read, and what to send instead.
            if file is None:
                reply = plan_views.plan_error_reply("unsupported_type", "", actor.language, "image")
                return [reply]
            return [self._plan_file(incoming, actor)]
        if private_media and file is not None and file.name.lower().endswith(PLAN_SUFFIXES):
            return [self._plan_file(incoming, actor)]
        return [common.not_understood_reply(actor.language)]

    # -- the plan ---------------------------------------------------------------------

    def _plan_file(self, incoming: Incoming, actor: Actor) -> Reply:
        language = actor.language
        if not actor.manages:
            return plan_views.plan_only_office_reply(language)
        file = incoming.file
        assert file is not None
        if file.content is None or (file.size or 0) > MAX_FILE_BYTES:
            return plan_views.plan_error_reply("too_large", file.name, language)
        try:
            summary = plans.preview(self.db, file.content, file.name, actor, self.clock())
        except plans.PlanError as exc:
            return plan_views.plan_error_reply(exc.reason, file.name, language, exc.file_type)
        return plan_views.preview_reply(summary, language)

    def _plan_button(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        language = actor.language
        parts = (incoming.callback_data or "").split(":")
        action, raw_id = (parts[1], parts[2]) if len(parts) >= 3 else ("", "")
        if not actor.manages:
            return [plan_views.plan_only_office_reply(language)]
        try:
            plan_id = int(raw_id)
        except ValueError:
            return [common.stale_button_reply(language)]
        if action == "ok":
            outcome = plans.confirm(self.db, plan_id, self.clock())
            if outcome is None:
                return [plan_views.plan_gone_reply(language)]
            return [plan_views.outcome_reply(outcome, language)]
        if action == "no":
            plans.discard(self.db, plan_id)
            return [plan_views.plan_cancelled_reply(language)]
        if action == "xlsx":
            rows = plans.detail_rows(self.db, plan_id)
            summary = plans.summary(self.db, plan_id)
            if rows is None or summary is None:
                return [plan_views.plan_gone_reply(language)]
            content = plan_views.detail_workbook(rows, summary.warnings, language)
            return [plan_views.detail_reply(content, language)]
        if action == "u" and len(parts) == 5 and parts[3].isdigit() and parts[4].isdigit():
            unit_id = int(parts[4]) or None
            summary = plans.choose_unit(self.db, plan_id, int(parts[3]), unit_id)
            if summary is None:
                return [plan_views.plan_gone_reply(language)]
            return [plan_views.preview_reply(summary, language)]
        if action in ("ti0", "ti1"):
            summary = plans.set_task_indicators(self.db, plan_id, keep=action == "ti1")
            if summary is None:
                return [plan_views.plan_gone_reply(language)]
            return [plan_views.preview_reply(summary, language)]
        return [common.stale_button_reply(language)]

    def _plan_outline(self, actor: Actor) -> Reply:
        plan_id = plans.current_plan_id(self.db)
        summary = plans.summary(self.db, plan_id) if plan_id is not None else None
        sections = plans.sections(self.db, plan_id) if plan_id is not None else []
        return plan_views.outline_reply(summary, sections, actor.language, actor.manages)

    def _unit_tasks(self, incoming: Incoming, actor: Actor) -> Reply:
        language = actor.language
        if incoming.args:
            with self.db.session() as session:
                match = unit_catalogue(session).match(" ".join(incoming.args))
            if match.decision is not Decision.MATCH or match.unit is None:
                return Reply(common.unit_problem(match, language))
            unit_id, unit_name = match.unit.id, match.unit.name
        elif actor.unit_id is not None and actor.unit_name is not None:
            unit_id, unit_name = actor.unit_id, actor.unit_name
        else:
            return plan_views.unit_tasks_usage_reply(language)
        return plan_views.unit_tasks_reply(unit_name, plans.unit_tasks(self.db, unit_id), language)
