"""The one path every transport takes: an :class:`Incoming` in, :class:`Reply` objects out.

``begin`` claims the update in the message log (a redelivered one is dropped) and loads
the actor, in one transaction (:class:`~bot.services.inbound.Claim`: the actor and the
log row, which the facts stored from the update point to); ``handle`` routes it through
the tables of ``bot/areas`` (commands by name, buttons by the type of their data,
everything else to the reports area) and returns the replies; ``finish`` marks the update
answered. Telegram runs them from PTB handlers (``handlers/``), the console calls them
directly; both run them off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

from bot import areas
from bot.areas import people
from bot.areas import reports as report_area
from bot.buttons import unpack
from bot.config import Settings
from bot.language.periods import Period
from bot.services import access, identity, inbound, progress, standing
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.transport import Incoming, Kind, Reply
from bot.views import common
from scheduling import schedule
from scheduling.answers import AnsweredReminders, ReminderCancelling
from scheduling.policy import reminder_settings
from storage.db import Database

Clock = Callable[[], datetime]


def _without_nul(incoming: Incoming) -> Incoming:
    """Text with NUL characters removed: PostgreSQL cannot store them, and they mean nothing."""
    text, data = incoming.text, incoming.callback_data
    if (text is None or "\x00" not in text) and (data is None or "\x00" not in data):
        return incoming
    return replace(
        incoming,
        text=text.replace("\x00", "") if text else text,
        callback_data=data.replace("\x00", "") if data else data,
        args=tuple(a.replace("\x00", "") for a in incoming.args),
    )


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Core:
    db: Database
    settings: Settings
    clock: Clock = system_clock
    invite_guesses: identity.InviteGuesses = field(default_factory=identity.InviteGuesses)
    # What a report answers stops its reminders (a recording fake in tests).
    reminders: ReminderCancelling = field(default_factory=AnsweredReminders)
    # This process among several on one database: its claims in the message log.
    instance: str = field(default_factory=lambda: uuid4().hex)

    def begin(self, incoming: Incoming) -> Claim | None:
        """Claim the update and find who sent it; None when it was handled before (or is
        being handled), or waits for an earlier update of its chat."""
        horizon = timedelta(hours=self.settings.update_horizon_hours)
        return inbound.claim(
            self.db, _without_nul(incoming), self.clock(), horizon=horizon, by=self.instance
        )

    def finish(self, transport: str, update_id: int, bot_id: int = 0) -> dict[str, Any] | None:
        """The update is answered (its replies went out, or it needed none); the payload
        of the next update of its chat that waited for it, if any."""
        return inbound.finish(self.db, transport, update_id, self.clock(), bot_id=bot_id)

    def handle(self, incoming: Incoming, claim: Claim) -> list[Reply]:
        """The replies to ``incoming``; what the person may not see is refused plainly."""
        incoming = _without_nul(incoming)
        try:
            return self._route(incoming, claim)
        except access.NotAllowed as refused:
            return [common.not_allowed_reply(refused.view, claim.actor)]

    def _route(self, incoming: Incoming, claim: Claim) -> list[Reply]:
        actor = claim.actor
        match incoming.kind:
            case Kind.COMMAND:
                command = areas.COMMANDS.get(incoming.command or "")
                if not actor.registered and (command is None or not command.anyone):
                    return [common.not_registered_reply(actor.language)]
                if command is None:
                    return [common.not_understood_reply(actor.language)]
                return command.answer(self, incoming, claim)
            case Kind.CALLBACK:
                data = unpack(incoming.callback_data)
                press = areas.BUTTONS.get(type(data))
                if press is None or not actor.registered:
                    return [common.stale_button_reply(actor.language)]
                return press(self, incoming, claim, data)
            case Kind.TEXT | Kind.EDITED | Kind.MEDIA:
                return report_area.message(self, incoming, claim)
            case Kind.BOT_ADDED:
                return people.bot_added(self, incoming, claim)
            case Kind.BOT_REMOVED:
                return people.bot_removed(self, incoming, claim)
        return []

    # -- what several areas use ------------------------------------------------------

    def today(self) -> date:
        return self.clock().astimezone(self.settings.tz).date()

    def rebuild_schedule(self) -> schedule.RebuildResult:
        return schedule.rebuild(self.db, reminder_settings(self.settings), self.clock())

    def progress_overview(
        self, period: Period, today: date, unit_id: int | None = None, *, viewer: Actor
    ) -> progress.Overview:
        return progress.overview(
            self.db,
            period,
            today,
            unit_id,
            viewer=viewer,
            tz=self.settings.tz,
            indicator_periods=progress.figure_periods(
                period, today, self.settings.report_cutoff_day
            ),
        )

    def standing_now(
        self, today: date, *, viewer: Actor, every_unit_tasks: bool = False
    ) -> standing.Standing:
        """The standing on ``today``: "tình hình tháng này"."""
        return standing.standing(
            self.db,
            today,
            viewer=viewer,
            tz=self.settings.tz,
            cutoff_day=self.settings.report_cutoff_day,
            every_unit_tasks=every_unit_tasks,
        )
