"""Reports: every message that is not a command (a report, a correction, an undo, a
question, a plan file), ``/baocao``, ``/huy``, ``/lichsu``, the buttons under a
confirmation or a question, and those under the office's notice of two reports that
disagree. Which reply each outcome gets is a table (``REPLIES``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.areas import moving
from bot.areas import plans as plan_area
from bot.areas import progress as progress_area
from bot.areas.routes import commands
from bot.buttons import (
    CancelQuestion,
    ConfirmQuestion,
    KeepEarlier,
    KeepLater,
    PickOption,
    UndoReport,
)
from bot.language.numbers import find_task_codes
from bot.matching import PhraseIndex, PhraseItem
from bot.services import access, reports
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.services.reference import reference
from bot.transport import Incoming, Kind, Reply
from bot.understanding.model import IndicatorRef
from bot.views import common
from bot.views import conflicts as conflict_views
from bot.views import plans as plan_views
from bot.views import reports as report_views

if TYPE_CHECKING:
    from bot.core import Core

Kinds = reports.OutcomeKind


def message(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """Text, a caption, an edit: a report or a question; a file in private: the plan."""
    actor = claim.actor
    addressed = not incoming.chat.is_group or incoming.reply_to_bot
    if not actor.registered:
        # In a group, people talk to each other: only answer what is said to the bot.
        return [common.not_registered_reply(actor.language)] if addressed else []
    text = (incoming.text or "").strip()
    file = incoming.file
    private_media = incoming.kind is Kind.MEDIA and not incoming.chat.is_group
    if private_media and not text:
        # A file without a caption in private: the office's plan, or nothing to read.
        return plan_area.file_without_caption(core, incoming, actor)
    if not text:
        return []
    # "gia hạn nv 4.3 đến 31/12": the office's (someone else is told so when they say it
    # to the bot, not when they say it to their group)
    if moving.is_deadline_move(text) and (actor.manages or addressed):
        return moving.moved_by_words(core, actor, text)
    # "xin gia hạn nv 4.3 đến 31/12 vì …": an official's request, to the office; a report
    # in the same message ("nv 4.1 xong, xin gia hạn nv 4.3 …") is handled as one
    if moving.is_deadline_request(text):
        request, rest = moving.split_request(text)
        reported = report(core, incoming, actor, claim.inbound_id, rest, addressed) if rest else []
        asked = moving.requested_by_words(core, actor, request, addressed)
        return [*(reported or []), *asked]
    photo_of_plan = file is not None and file.photo and plan_area.is_plan_caption(text)
    if private_media and actor.manages and photo_of_plan:  # the plan's appendix, by OCR
        return plan_area.plan_file(core, incoming, actor)
    replies = report(core, incoming, actor, claim.inbound_id, text, addressed)
    if replies is not None:
        return replies
    if private_media and actor.manages and file is not None:
        return plan_area.plan_file(core, incoming, actor)  # the caption is no report
    return [common.not_understood_reply(actor.language)] if addressed else []


def report(
    core: Core,
    incoming: Incoming,
    actor: Actor,
    inbound_id: int | None,
    text: str,
    addressed: bool,
) -> list[Reply] | None:
    """Handle a report; None when the message is not one (nothing was done)."""
    message = reports.Message(
        inbound_id=inbound_id,
        chat_id=incoming.chat.id,
        message_id=incoming.message_id,
        text=text,
        edited=incoming.kind is Kind.EDITED,
        reply_to_bot=incoming.reply_to_bot,
        evidence_file_id=incoming.file.file_id if incoming.file else None,
    )
    outcome = reports.handle(core.db, message, actor, core.clock(), core.settings, core.reminders)
    return replies(core, outcome, actor, addressed)


def replies(
    core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool
) -> list[Reply] | None:
    """The replies to an outcome; None when there is nothing the bot understood. A
    message that reported and asked gets the report's reply, then the answer."""
    answer = REPLIES.get(outcome.kind)
    if outcome.query is not None:
        said = answer(core, outcome, actor, addressed) if answer is not None else []
        try:
            answered = progress_area.answer(core, outcome.query, actor)
        except access.NotAllowed as refused:  # the report's reply still goes out
            answered = common.not_allowed_reply(refused.view, actor)
        return [*said, answered]
    if answer is not None:
        return answer(core, outcome, actor, addressed)
    if not addressed:
        return []  # chit-chat among people in a group
    if outcome.kind is Kinds.HELP:
        return [common.help_reply(actor, False, undo_hours=core.settings.undo_hours)]
    return None


def _stored(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    return [report_views.stored_reply(outcome, actor.language)]


def _rejected(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    return [report_views.rejected_reply(outcome, actor.language)]


def _ask(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    return [report_views.ask_reply(outcome, outcome.question, actor.language)]


def _incomplete(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    return [report_views.incomplete_reply(outcome, actor.language)]


def _undone(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    return [report_views.undone_reply(outcome, actor.language, core.settings.tz)]


def _question(core: Core, outcome: reports.Outcome, actor: Actor, addressed: bool) -> list[Reply]:
    # "tình hình tháng này" is answered where it is asked, groups included; a bare "số
    # hóa quý 3" from a leader only when said to the bot.
    interpretation = outcome.interpretation
    if interpretation is not None and interpretation.bare_question and not addressed:
        return []
    return [progress_area.answer(core, outcome, actor)]


Reply_ = Callable[["Core", reports.Outcome, Actor, bool], list[Reply]]
REPLIES: dict[reports.OutcomeKind, Reply_] = {
    Kinds.STORED: _stored,
    Kinds.REJECTED: _rejected,
    Kinds.ASK: _ask,
    Kinds.INCOMPLETE: _incomplete,
    Kinds.UNDONE: _undone,
    Kinds.NOTHING_TO_UNDO: _undone,
    Kinds.UNDO_TOO_OLD: _undone,
    Kinds.ALREADY_UNDONE: _undone,
    Kinds.PENDING_DROPPED: _undone,
    Kinds.QUERY: _question,
}


# -- commands --------------------------------------------------------------------------


def report_command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/baocao nv 2.1 xong``: a report in a group where privacy hides plain messages."""
    actor = claim.actor
    text = " ".join(incoming.args)
    if not text:
        return [
            common.help_reply(actor, incoming.chat.is_group, undo_hours=core.settings.undo_hours)
        ]
    return report(core, incoming, actor, claim.inbound_id, text, True) or [
        common.not_understood_reply(actor.language)
    ]


def undo_command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    return report(core, incoming, claim.actor, claim.inbound_id, "hủy", True) or []


def history(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/lichsu [unit] [task code | indicator]``: who reported what, and when."""
    actor = claim.actor
    language = actor.language
    text = " ".join(incoming.args)
    with core.db.session() as session:
        ref = reference(session, core.today())
    unit_id, unit_name, rest = actor.unit_id, actor.unit_name, text
    found = ref.catalogue.find_in(text) if text else None
    if found is not None and found.match.unit is not None:
        unit_id, unit_name = found.match.unit.id, found.match.unit.name
        rest = (text[: found.start] + " " + text[found.end :]).strip()
    codes = find_task_codes(rest) if rest else []
    indicator = _indicator_named(ref.indicators, rest) if rest and not codes else None
    if (found is None or found.match.unit is None) and text and not codes and indicator is None:
        # words that name no unit (or several), task or indicator: a unit misspelt or
        # not this deployment's; say so rather than show another unit's history
        match = found.match if found is not None else ref.catalogue.match(text)
        return [plan_views.unknown_unit_reply(match, language, "lichsu")]
    if unit_id is None or unit_name is None:
        return [plan_views.unit_tasks_usage_reply(language, "lichsu")]
    task_id = None
    if codes:  # the plan in use's task: codes repeat across years
        known = {t.code: t.id for t in ref.tasks}
        written = {t.written_code: t.id for t in ref.tasks if unit_id in t.unit_ids}
        task_id = known.get(codes[0].code) or written.get(codes[0].code)
    indicator_id = indicator.id if indicator is not None else None
    rows = reports.history(core.db, actor, unit_id, task_id, indicator_id)
    return [report_views.history_reply(unit_name, rows, language, core.settings.tz)]


def _indicator_named(indicators: Sequence[IndicatorRef], text: str) -> PhraseItem | None:
    """The indicator ``text`` names (its name or an alias), if any."""
    items = [PhraseItem(i.id, i.name, (i.name, *i.aliases)) for i in indicators]
    return PhraseIndex(items).match(text).item


COMMANDS = {
    **commands(report_command, "baocao", "report"),
    **commands(undo_command, "huy", "undo"),
    **commands(history, "lichsu", "history"),
}


# -- buttons ---------------------------------------------------------------------------


def undo(core: Core, incoming: Incoming, claim: Claim, data: UndoReport) -> list[Reply]:
    actor = claim.actor
    outcome = reports.undo(core.db, data.inbound_id, actor, core.clock())
    return [report_views.undone_reply(outcome, actor.language, core.settings.tz)]


def cancel(core: Core, incoming: Incoming, claim: Claim, data: CancelQuestion) -> list[Reply]:
    actor = claim.actor
    if not reports.cancel(core.db, data.pending_id, actor, core.clock()):
        return [report_views.gone_reply(actor.language)]
    return [report_views.cancelled_reply(actor.language)]


def choose(
    core: Core, incoming: Incoming, claim: Claim, data: ConfirmQuestion | PickOption
) -> list[Reply]:
    actor = claim.actor
    option = data.option if isinstance(data, PickOption) else None
    outcome = reports.choose(
        core.db, data.pending_id, option, actor, core.clock(), core.settings, core.reminders
    )
    if outcome is None:
        return [report_views.gone_reply(actor.language)]
    return replies(core, outcome, actor, True) or []


def settle(
    core: Core, incoming: Incoming, claim: Claim, data: KeepEarlier | KeepLater
) -> list[Reply]:
    """A button under the office's notice of two reports that disagree: keep one."""
    actor = claim.actor
    settlement = reports.settle(
        core.db,
        data.conflict_id,
        isinstance(data, KeepEarlier),
        actor,
        claim.inbound_id,
        core.clock(),
        core.settings.tz,
    )
    return [conflict_views.settled_reply(settlement, actor.language)]


BUTTONS = {
    UndoReport: undo,
    KeepEarlier: settle,
    KeepLater: settle,
    CancelQuestion: cancel,
    ConfirmQuestion: choose,
    PickOption: choose,
}
