"""The plan: a file the office sends (previewed, then imported), ``/kehoach`` (the plan
in use, the plans of other years), ``/nhiemvu`` (a unit's tasks), and the buttons under a
preview or the list of plans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.buttons import (
    DropTargets,
    KeepTargets,
    PlanDetail,
    PlanDiscard,
    PlanImport,
    PlanNewUnit,
    PlanUnit,
    PlanUse,
)
from bot.language.normalize import fold
from bot.matching import Decision
from bot.services import plans
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.services.units import unit_catalogue
from bot.transport import MAX_FILE_BYTES, Incoming, Reply
from bot.views import common
from bot.views import plans as plan_views
from bot.views import reports as report_views

if TYPE_CHECKING:
    from bot.core import Core


def is_plan_caption(text: str | None) -> bool:
    """Whether a photo's caption says it is the plan ("kế hoạch", "Ke hoach", "KẾ HOẠCH
    năm 2025"): such a photo is read by OCR as the plan's appendix."""
    return " ke hoach " in f" {fold(text or '')} "


def file_without_caption(core: Core, incoming: Incoming, actor: Actor) -> list[Reply]:
    """A file sent in private with no caption: the office's plan; anyone else's (a
    report as a Word file, a photo of the notice board) is not read, and the reply says
    to send it again with a caption saying what it is (it is then kept as evidence)."""
    file = incoming.file
    if actor.manages:
        if file is None or file.photo:
            return [plan_views.plan_error_reply("photo_without_caption", "", actor.language)]
        return plan_file(core, incoming, actor)
    return [report_views.file_without_caption_reply(actor.language)]


def plan_file(core: Core, incoming: Incoming, actor: Actor) -> list[Reply]:
    """A plan file, or a photo captioned "kế hoạch": previewed, with its buttons (the
    office only)."""
    language = actor.language
    file = incoming.file
    if not actor.manages:
        return [plan_views.plan_only_office_reply(language)]
    if file is None or (file.photo and not is_plan_caption(incoming.text)):
        return [plan_views.plan_error_reply("photo_without_caption", "", language)]
    if file.content is None or (file.size or 0) > MAX_FILE_BYTES:
        return [plan_views.plan_error_reply("too_large", file.name, language)]
    try:
        summary = plans.preview(
            core.db,
            file.content,
            file.name,
            actor,
            core.clock(),
            core.today(),
            ocr_seconds=core.settings.ocr_seconds,
        )
    except plans.PlanError as exc:
        return [plan_views.plan_error_reply(exc.reason, file.name, language, exc.file_type)]
    return [plan_views.preview_reply(summary, language)]


def outline(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    actor = claim.actor
    return [outline_reply(core, actor)]


def outline_reply(core: Core, actor: Actor) -> Reply:
    """``/kehoach``: the plan in use; with several plans, the list (and for the office, a
    button to use each other one)."""
    today = core.today()
    choice = plans.plan_choice(core.db, today)
    plan_id = choice.in_use
    summary = plans.summary(core.db, plan_id, today) if plan_id is not None else None
    sections = plans.sections(core.db, plan_id) if plan_id is not None else []
    return plan_views.outline_reply(summary, sections, actor.language, actor.manages, choice)


def unit_tasks(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/nhiemvu [unit]``: a unit's tasks with their deadlines and status."""
    actor = claim.actor
    language = actor.language
    if incoming.args:
        with core.db.session() as session:
            match = unit_catalogue(session).match(" ".join(incoming.args))
        if match.decision is not Decision.MATCH or match.unit is None:
            return [Reply(common.unit_problem(match, language))]
        unit_id, unit_name = match.unit.id, match.unit.name
    elif actor.unit_id is not None and actor.unit_name is not None:
        unit_id, unit_name = actor.unit_id, actor.unit_name
    else:
        return [plan_views.unit_tasks_usage_reply(language)]
    tasks = plans.unit_tasks(core.db, actor, unit_id, core.today())
    return [plan_views.unit_tasks_reply(unit_name, tasks, language)]


COMMANDS = {
    **commands(outline, "kehoach", "plan"),
    **commands(unit_tasks, "nhiemvu", "tasks"),
}


# -- buttons (the office only) -------------------------------------------------------------


def _office_only(press):
    """A plan button: someone else pressing it (or forging it) is told it is the office's."""

    def guarded(core: Core, incoming: Incoming, claim: Claim, data) -> list[Reply]:
        actor = claim.actor
        if not actor.manages:
            if isinstance(data, PlanUse):
                return [plan_views.plan_choice_only_office_reply(actor.language)]
            return [plan_views.plan_only_office_reply(actor.language)]
        return press(core, incoming, claim, data)

    return guarded


def _import(core: Core, incoming: Incoming, claim: Claim, data: PlanImport) -> list[Reply]:
    actor = claim.actor
    outcome = plans.confirm(core.db, data.plan_id, core.clock())
    if outcome is None:
        return [plan_views.plan_gone_reply(actor.language)]
    core.rebuild_schedule()
    choice = plans.plan_choice(core.db, core.today())
    return [plan_views.outcome_reply(outcome, actor.language, choice)]


def _use(core: Core, incoming: Incoming, claim: Claim, data: PlanUse) -> list[Reply]:
    actor = claim.actor
    chosen = plans.use_plan(core.db, data.plan_id, core.today())
    if chosen is None:
        return [common.stale_button_reply(actor.language)]
    core.rebuild_schedule()  # reminders follow the plan in use
    reply = outline_reply(core, actor)
    reply.notice = plan_views.plan_in_use_notice(chosen, actor.language)
    return [reply]


def _discard(core: Core, incoming: Incoming, claim: Claim, data: PlanDiscard) -> list[Reply]:
    actor = claim.actor
    plans.discard(core.db, data.plan_id)
    return [plan_views.plan_cancelled_reply(actor.language)]


def _detail(core: Core, incoming: Incoming, claim: Claim, data: PlanDetail) -> list[Reply]:
    actor = claim.actor
    record = plans.plan_record(core.db, data.plan_id)
    summary = plans.summary(core.db, data.plan_id, core.today())
    if record is None or summary is None:
        return [plan_views.plan_gone_reply(actor.language)]
    content = plan_views.detail_workbook(record, summary.warnings, actor.language)
    return [plan_views.detail_reply(content, actor.language)]


def _unit(core: Core, incoming: Incoming, claim: Claim, data: PlanUnit) -> list[Reply]:
    actor = claim.actor
    unit_id = data.unit_id or None
    summary = plans.choose_unit(core.db, data.plan_id, data.index, unit_id, core.today())
    if summary is None:
        return [plan_views.plan_gone_reply(actor.language)]
    return [plan_views.preview_reply(summary, actor.language)]


def _new_unit(core: Core, incoming: Incoming, claim: Claim, data: PlanNewUnit) -> list[Reply]:
    actor = claim.actor
    summary = plans.create_units(
        core.db, data.plan_id, data.key, actor, claim.inbound_id, core.today()
    )
    if summary is None:
        return [plan_views.plan_gone_reply(actor.language)]
    return [plan_views.preview_reply(summary, actor.language)]


def _targets(
    core: Core, incoming: Incoming, claim: Claim, data: KeepTargets | DropTargets
) -> list[Reply]:
    actor = claim.actor
    keep = isinstance(data, KeepTargets)
    summary = plans.set_task_indicators(core.db, data.plan_id, keep, core.today())
    if summary is None:
        return [plan_views.plan_gone_reply(actor.language)]
    return [plan_views.preview_reply(summary, actor.language)]


BUTTONS = {
    PlanImport: _office_only(_import),
    PlanUse: _office_only(_use),
    PlanDiscard: _office_only(_discard),
    PlanDetail: _office_only(_detail),
    PlanUnit: _office_only(_unit),
    PlanNewUnit: _office_only(_new_unit),
    KeepTargets: _office_only(_targets),
    DropTargets: _office_only(_targets),
}
