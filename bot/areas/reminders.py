"""Reminders: ``/nhacviec`` (what is coming, pause, resume, where reminders go) and the
buttons under a reminder (Đã xong, Nhắc lại sau)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.buttons import ReminderDone, Snooze
from bot.language.pauses import Action, read_reminder_request
from bot.language.periods import Period
from bot.services import access, reports
from bot.services.inbound import Claim
from bot.transport import Incoming, Reply
from bot.views import reminders as reminder_views
from bot.views import reports as report_views
from scheduling import buttons, preferences, upcoming
from scheduling.policy import reminder_settings

if TYPE_CHECKING:
    from bot.core import Core

SNOOZE_DAYS = range(1, 11)  # working days a reminder may be put off by a button


def reminders_command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/nhacviec``: what the sender's unit (the office: everyone) will be reminded of;
    ``tạm dừng 1 tuần`` / ``tiếp tục``: pause the unit's reminders, or end the pause;
    ``nhóm|riêng|cả hai``: where they go (read by ``bot.language.pauses``)."""
    actor = claim.actor
    language, tz, now = actor.language, core.settings.tz, core.clock()
    request = read_reminder_request(" ".join(incoming.args), core.today())
    if request.action is not Action.LIST and actor.unit_id is None:
        return [reminder_views.pause_usage_reply(language)]
    unit_name = actor.unit_name or ""
    if request.action is Action.DESTINATION and actor.unit_id is not None:
        preferences.set_destination(core.db, actor.unit_id, request.destination)
        core.rebuild_schedule()
        return [reminder_views.destination_reply(request.destination, language)]
    if request.action is Action.PAUSE and actor.unit_id is not None:
        if request.problem is not None or request.last_day is None:
            return [reminder_views.pause_problem_reply(request, language)]
        end, kept = preferences.pause(core.db, actor.unit_id, request.last_day, now, tz)
        return [reminder_views.paused_reply(unit_name, end, kept, language, tz)]
    if request.action is Action.RESUME and actor.unit_id is not None:
        ended = preferences.resume(core.db, actor.unit_id, now)
        core.rebuild_schedule()
        return [reminder_views.resumed_reply(unit_name, ended, language, tz)]
    unit_id = access.reminder_unit(actor)
    items = upcoming.upcoming(core.db, unit_id, now)
    paused = preferences.pause_end(core.db, unit_id, now) if unit_id is not None else None
    unit = actor.unit_name if unit_id is not None else None
    return [reminder_views.upcoming_reply(items, unit, language, tz, paused)]


COMMANDS = commands(reminders_command, "nhacviec", "reminders")


def snooze(core: Core, incoming: Incoming, claim: Claim, data: Snooze) -> list[Reply]:
    actor = claim.actor
    days = min(max(data.days, SNOOZE_DAYS.start), SNOOZE_DAYS.stop - 1)
    settings = reminder_settings(core.settings)
    when = buttons.snooze(core.db, actor, data.reminder_id, days, core.clock(), settings)
    return [reminder_views.snoozed_reply(when, actor.language, core.settings.tz)]


def done(core: Core, incoming: Incoming, claim: Claim, data: ReminderDone) -> list[Reply]:
    """Đã xong under a reminder: the task is done, for the sender's unit."""
    actor = claim.actor
    language = actor.language
    assignment_id, period = buttons.reminder_assignment(core.db, data.reminder_id)
    if assignment_id is None:
        return [reminder_views.snoozed_reply(None, language, core.settings.tz)]
    outcome = reports.record_done(
        core.db,
        assignment_id,
        actor,
        claim.inbound_id,
        core.clock(),
        core.settings,
        core.reminders,
        asked=Period.from_key(period) if period else None,
    )
    if outcome is not None and outcome.kind is reports.OutcomeKind.ALREADY:
        return [report_views.already_done_reply(language)]
    if outcome is None or outcome.kind is not reports.OutcomeKind.STORED:
        return [report_views.not_your_task_reply(language)]
    return [report_views.stored_reply(outcome, language)]


BUTTONS = {Snooze: snooze, ReminderDone: done}
