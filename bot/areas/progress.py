"""Progress: "tình hình tháng này" (the standing now), ``/tinhhinh``, the overview of a
named period, the questions about one task, one indicator, one unit or who is late, and
the buttons under an overview."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.buttons import (
    ChaseFigures,
    ChaseLate,
    ChaseLateIn,
    LateUnits,
    PeriodOverview,
    Ranking,
    StandingRanking,
    UnitProgress,
)
from bot.checks import required
from bot.language.normalize import fold
from bot.language.periods import (
    Period,
    PeriodKind,
    find_periods,
    period_of,
    written_as_current,
)
from bot.services import access, deadlines, plans, progress, received, reports, standing
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.transport import Incoming, Reply
from bot.understanding.intent import (
    asks_best,
    asks_chase,
    asks_comparison,
    asks_deadlines,
    asks_figures_missing,
    asks_open_tasks,
    asks_own_gaps,
    asks_ranking,
    asks_task_list,
    asks_who_reported,
)
from bot.understanding.model import UnitDecision
from bot.views import common
from bot.views import plans as plan_views
from bot.views import progress as progress_views
from bot.views import reports as report_views
from bot.views import standing as standing_views
from scheduling.calendar import after_quiet_hours
from scheduling.policy import reminder_settings

if TYPE_CHECKING:
    from bot.core import Core

LATE_WORDS = ("cham", "tre", "qua han", "chua bao cao")  # "xã nào chậm?" (folded)
# Asking which units ("xã nào chậm?", "ai chưa báo cáo?"), not which tasks.
_WHICH_UNITS = re.compile(r"\b(?:(?:xa|phuong|don vi|dv|co quan|phong|noi) nao|ai)\b")


def overview_command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/tinhhinh [period | unit]``: read as the question "tình hình …"."""
    actor = claim.actor
    text = " ".join(incoming.args) or "tình hình tháng này"
    if not text.startswith(("tình hình", "tinh hinh")):
        text = "tình hình " + text
    outcome = reports.preview(core.db, text, actor, core.today(), core.settings)
    return [answer(core, outcome, actor)]


def answer(core: Core, outcome: reports.Outcome, actor: Actor) -> Reply:
    """A question about progress: one task, one indicator, one unit, who is late, else
    the standing now ("tình hình tháng này", "tình hình", ``/tinhhinh``) or the overview
    of the period named ("tháng 9", "quý 3", "năm 2026", "tháng 12" in December: the
    deadlines in it)."""
    interpretation = outcome.interpretation
    today = core.today()
    written = interpretation.period if interpretation and interpretation.period_written else None
    period = written or period_of(PeriodKind.MONTH, today)
    # "tình hình tháng này" asks how things stand now, "tình hình tháng 12" about December
    # "so sánh với tháng trước" asks the standing now, which compares with a month ago
    key = fold(interpretation.text) if interpretation is not None else ""
    compared = asks_comparison(key)
    now_asked = (
        compared
        or written is None
        or (
            written == period_of(PeriodKind.MONTH, today)
            and written_as_current(interpretation.period_written or "")
        )
    )
    detail = access.may_see(actor, access.View.RANKING)
    language = actor.language
    if interpretation is not None:
        # One task: "nhiệm vụ 2.1 ai chưa xong?" (an official: where their unit stands)
        tasks = [t for t in interpretation.tasks if len(t.task_ids) == 1]
        if tasks and detail:
            standing = progress.task_states(core.db, tasks[0].task_ids[0], today, viewer=actor)
            return progress_views.task_reply(standing, language)
        if tasks and actor.unit_id is not None and actor.unit_name is not None:
            codes = {outcome.task_codes.get(t.task_ids[0]) for t in tasks}
            mine = plans.unit_tasks(core.db, actor, actor.unit_id, today)
            found_tasks = [t for t in mine if t.code in codes]
            if found_tasks:
                return plan_views.unit_tasks_reply(actor.unit_name, found_tasks, language)
            # not their unit's: the task as the plan states it, its deadline included
            outline = progress.task_outline(core.db, tasks[0].task_ids[0], viewer=actor)
            if outline is not None:
                return progress_views.other_task_reply(outline, actor.unit_name, language)
        # Reminding units: "nhắc các xã chậm", "đôn đốc các đơn vị chưa gửi số liệu": who
        # they are, with the office's Nhắc các đơn vị này (every overdue task; the figures
        # of the period coming in, or the one named)
        if detail and asks_chase(key):
            if asks_figures_missing(key) or "so lieu" in key:
                figures_for = _figures_for(core, period, today, now_asked)
                return _figures_missing(core, figures_for, today, actor)
            return late_reply(core, period, today, None, actor, "chua bao cao" in key)
        pick = interpretation.unit
        named = pick.unit if pick is not None and pick.decision is UnitDecision.MATCH else None
        # When things are due: "hạn báo cáo quý là ngày nào" (a unit's, else the plan's)
        if asks_deadlines(key):
            return _deadlines(core, named, today, actor)
        # One indicator: "số hóa quý 3 thế nào?"
        figures = [i for i in interpretation.indicators if len(i.indicator_ids) == 1]
        if figures and detail:
            return _indicator(core, figures[0].indicator_ids[0], period, today, language, actor)
        if figures and actor.unit_id is not None and actor.unit_name is not None:
            return _own_indicator(core, figures[0].indicator_ids[0], period, today, actor)
        # One unit: "tiến độ xã Sơn Dương" (an official: their own unit only).
        # Its list of tasks: "nhiệm vụ của xã mình", "danh sách nhiệm vụ" (as /nhiemvu)
        if asks_task_list(key) and not any(word in key for word in LATE_WORDS):
            listed = _task_list(core, named, today, actor, open_only=asks_open_tasks(key))
            if listed is not None:
                return listed
        if named is not None and not access.may_see(actor, access.View.UNIT, named.id):
            return _own_unit_instead(core, period, today, actor, now_asked)
        if named is not None:
            return unit_reply(core, named.id, named.name, period, today, actor, now_asked)
        # Who has not sent the figures: "xã nào chưa gửi số liệu?" (the period coming in,
        # or the one named; an official: their own unit's, below)
        if detail and asks_figures_missing(key):
            return _figures_missing(
                core, _figures_for(core, period, today, now_asked), today, actor
            )
        # Who has reported lately: "hôm nay ai đã báo cáo?", "tuần này xã nào đã báo cáo"
        if detail and asks_who_reported(key):
            first, last = _days_asked(interpretation.text, today)
            found = received.received(core.db, first, last, core.settings.tz, viewer=actor)
            return progress_views.received_reply(found, today, language)
        # The whole ranking: "bảng xếp hạng" (every unit, most behind first, a workbook)
        if detail and asks_ranking(key):
            now = core.standing_now(today, viewer=actor, every_unit_tasks=True)
            return standing_views.standing_ranking_reply(now, language)
        # Who is doing best: "xã nào làm tốt nhất", "đơn vị nào dẫn đầu"
        if detail and asks_best(key):
            now = core.standing_now(today, viewer=actor)
            return standing_views.best_units_reply(now, language)
        # Who is late: "xã nào chậm?", "đơn vị nào chưa báo cáo?"; an official asking
        # which tasks ("nhiệm vụ nào quá hạn?") gets their own unit's, a line each
        late_asked = any(word in key for word in LATE_WORDS)
        own_tasks = not detail and not _WHICH_UNITS.search(key)
        if late_asked and own_tasks and actor.unit_id is not None and actor.unit_name:
            return unit_reply(core, actor.unit_id, actor.unit_name, period, today, actor, now_asked)
        if late_asked:
            return late_reply(core, period, today, written, actor, "chua bao cao" in key)
        # What their unit has not sent or not met: "đã báo cáo đủ chưa", "còn thiếu gì",
        # "chỉ tiêu nào chưa đạt" (an official; the office and leaders get the area's)
        if not detail and asks_own_gaps(key) and actor.unit_id is not None and actor.unit_name:
            return unit_reply(core, actor.unit_id, actor.unit_name, period, today, actor, now_asked)
    own = None if detail else actor.unit_id
    if now_asked:
        now = core.standing_now(today, viewer=actor)
        return standing_views.standing_reply(now, language, detail=detail, own_unit=own)
    data = core.progress_overview(period, today, viewer=actor)
    # An official also sees their own unit's tasks overdue from any month.
    late = next(iter(progress.overdue(core.db, today, own, viewer=actor)), None) if own else None
    return progress_views.overview_reply(data, language, detail=detail, own_unit=own, late=late)


def _figures_missing(core: Core, period: Period, today: date, actor: Actor) -> Reply:
    """Who has not sent the figures of ``period``, with **Nhắc các đơn vị này** for the
    office."""
    missing = progress.figures_missing(
        core.db, period, today, viewer=actor, cutoff_day=core.settings.report_cutoff_day
    )
    chase = access.may_do(actor, access.Act.CHASE)
    return progress_views.figures_missing_reply(missing, actor.language, chase=chase)


def _task_list(
    core: Core, named, today: date, actor: Actor, *, open_only: bool = False
) -> Reply | None:
    """The tasks of the unit named, if the asker may see it, else of their own unit; None
    when there is neither (a leader asking with no unit: the standing answers). With
    ``open_only`` ("cần làm gì", "còn việc gì chưa xong"): those it leads and has not
    finished, the overdue first, then by deadline, those without one last."""
    if named is not None and access.may_see(actor, access.View.UNIT, named.id):
        unit_id, name = named.id, named.name
    elif actor.unit_id is not None and actor.unit_name is not None:
        unit_id, name = actor.unit_id, actor.unit_name
    else:
        return None
    tasks = plans.unit_tasks(core.db, actor, unit_id, today)
    if open_only:
        tasks = sorted(
            (t for t in tasks if t.role == "lead" and not _finished(t)),
            key=lambda t: (-(t.days_late or 0), t.due_date or date.max),
        )
    return plan_views.unit_tasks_reply(name, tasks, actor.language, open_only=open_only)


def _deadlines(core: Core, named, today: date, actor: Actor) -> Reply:
    """The deadlines ahead of the unit named, if the asker may see it, else of their own
    unit, else of the plan in use."""
    if named is not None and access.may_see(actor, access.View.UNIT, named.id):
        unit_id, name = named.id, named.name
    else:
        unit_id, name = actor.unit_id, actor.unit_name
    found = deadlines.deadlines(
        core.db, today, unit_id, viewer=actor, cutoff_day=core.settings.report_cutoff_day
    )
    return progress_views.deadlines_reply(
        found, name if unit_id is not None else None, actor.language
    )


def _days_asked(text: str, today: date) -> tuple[date, date]:
    """The days a question about who reported names ("hôm nay", "hôm qua", "tuần này",
    "tháng 11"), up to today; today when it names none."""
    for mention in find_periods(text, today):
        if mention.period.start <= today:
            return mention.period.start, min(mention.period.end, today)
    return today, today


def _figures_for(core: Core, period: Period, today: date, now_asked: bool) -> Period:
    """The period whose figures are asked about: the one coming in now when asked of the
    present (after the cut-off day, next month's), else the period named."""
    if not now_asked:
        return period
    return progress.figure_periods(period, today, core.settings.report_cutoff_day)[0]


def _finished(task: plans.UnitTask) -> bool:
    """Done with (a task with one deadline, or one on demand); a continuous or recurring
    task never is, whatever its latest period says."""
    return not task.periodic and task.status in ("done", "not_applicable")


def _own_unit_instead(
    core: Core, period: Period, today: date, actor: Actor, now_asked: bool
) -> Reply:
    """An official asked about another unit ("tiến độ xã Bạch Xa"): that detail is for
    the office and leaders; their own unit's standing is what they get."""
    if actor.unit_id is None or actor.unit_name is None:
        return common.not_allowed_reply(access.View.UNIT, actor)
    reply = unit_reply(core, actor.unit_id, actor.unit_name, period, today, actor, now_asked)
    notice = progress_views.other_unit_notice(actor.unit_name, actor.language)
    reply.text = notice + "\n" + reply.text
    return reply


def _indicator(
    core: Core, indicator_id: int, period: Period, today: date, language: str, actor: Actor
) -> Reply:
    """One indicator: each unit against the target, the figures coming in now first."""
    candidates = progress.figure_periods(period, today, core.settings.report_cutoff_day)
    found = None
    asked = candidates[-1]
    for each in candidates:
        found = progress.indicator_detail(core.db, indicator_id, each, viewer=actor)
        if found is None or found.figures:
            asked = each
            break
    return progress_views.indicator_reply(found, asked, language)


def _own_indicator(
    core: Core, indicator_id: int, period: Period, today: date, actor: Actor
) -> Reply:
    """One indicator for an official: their unit's figure against the target, and the
    area's standing; the figures coming in now first, as for the office."""
    unit_id = required(actor.unit_id, "the official's unit")
    candidates = progress.figure_periods(period, today, core.settings.report_cutoff_day)
    found = None
    asked = candidates[-1]
    for each in candidates:
        found = progress.unit_indicator(core.db, indicator_id, each, unit_id, viewer=actor)
        if found is None or found.own is not None or found.standing.reported:
            asked = each
            break
    return progress_views.own_indicator_reply(found, asked, actor.unit_name or "", actor.language)


def late_reply(
    core: Core,
    period: Period,
    today: date,
    written: Period | None,
    actor: Actor,
    silent_first: bool = False,
) -> Reply:
    late = progress.overdue(core.db, today, period=written, viewer=actor)
    quiet = progress.silent(core.db, period, today, viewer=actor, tz=core.settings.tz)
    cutoff = core.settings.report_cutoff_day
    # the periodic reports of recurring tasks not sent (asked of a named period: its
    # deadlines only, none of which is a recurring task's)
    missed = (
        progress.missed_reports(core.db, today, viewer=actor, cutoff_day=cutoff)
        if written is None
        else []
    )
    return progress_views.late_reply(
        late,
        quiet,
        today,
        actor.language,
        due_in=written,
        silent_first=silent_first,
        missed=missed,
        chase=access.may_do(actor, access.Act.CHASE),
    )


def unit_reply(
    core: Core,
    unit_id: int,
    name: str,
    period: Period,
    today: date,
    actor: Actor,
    now_asked: bool = False,
) -> Reply:
    """One unit: its tasks due in the period by status, with ``now_asked`` ("tiến độ xã
    X", no period or this month) also those due so far; its indicators, and its latest
    reports."""
    language = actor.language
    data = core.progress_overview(period, today, unit_id, viewer=actor)
    late = next(iter(progress.overdue(core.db, today, unit_id, viewer=actor)), None)
    reply = progress_views.overview_reply(
        data, language, detail=True, unit=(unit_id, name), late=late
    )
    if now_asked:
        mine = standing.unit_standing(core.db, today, unit_id, viewer=actor, tz=core.settings.tz)
        first, _, rest = reply.text.partition("\n")
        so_far = standing_views.unit_to_date_line(mine, today, language)
        reply.text = "\n".join(line for line in (first, so_far, rest) if line)
    # what it has not sent: the figures coming in now, the periodic reports past due
    # and those due with the figures (asked of a past period: its own figures alone)
    figures_for = _figures_for(core, period, today, now_asked)
    gaps = progress.unit_gaps(
        core.db,
        unit_id,
        figures_for,
        today,
        viewer=actor,
        cutoff_day=core.settings.report_cutoff_day,
    )
    if not now_asked:
        gaps = replace(gaps, missed=[], coming=[])
    reply.text = "\n".join([reply.text, *progress_views.gaps_lines(gaps, language)])
    latest = reports.history(core.db, actor, unit_id, limit=3)
    if latest.rows:
        latest.undoable = []  # undone from /lichsu, not from a summary
        recent = report_views.history_reply(name, latest, language, core.settings.tz)
        reply.text += "\n" + recent.text
    return reply


COMMANDS = commands(overview_command, "tinhhinh", "progress")


# -- the buttons under an overview -------------------------------------------------------


def late_button(core: Core, incoming: Incoming, claim: Claim, data: LateUnits) -> list[Reply]:
    actor = claim.actor
    access.require(actor, access.View.RANKING)
    return [late_reply(core, data.period, core.today(), None, actor)]


def unit_button(core: Core, incoming: Incoming, claim: Claim, data: UnitProgress) -> list[Reply]:
    actor = claim.actor
    access.require(actor, access.View.UNIT, data.unit_id)  # an official: their own unit
    name = progress.unit_name(core.db, data.unit_id)
    if name is None:
        return [common.stale_button_reply(actor.language)]
    return [unit_reply(core, data.unit_id, name, data.period, core.today(), actor)]


def overview_button(
    core: Core, incoming: Incoming, claim: Claim, data: PeriodOverview | Ranking
) -> list[Reply]:
    actor = claim.actor
    access.require(actor, access.View.RANKING)
    overview = core.progress_overview(data.period, core.today(), viewer=actor)
    if isinstance(data, Ranking):
        return [progress_views.ranking_reply(overview, actor.language)]
    return [progress_views.overview_reply(overview, actor.language, detail=True)]


def standing_ranking_button(
    core: Core, incoming: Incoming, claim: Claim, data: StandingRanking
) -> list[Reply]:
    actor = claim.actor
    access.require(actor, access.View.RANKING)
    now = core.standing_now(core.today(), viewer=actor, every_unit_tasks=True)
    return [standing_views.standing_ranking_reply(now, actor.language)]


def chase_button(
    core: Core, incoming: Incoming, claim: Claim, data: ChaseFigures | ChaseLate | ChaseLateIn
) -> list[Reply]:
    """Nhắc các đơn vị này: each unit still missing figures of the period, or with tasks
    past their deadline (due in the period asked about, if one was), is reminded now (the
    office and admins only)."""
    actor = claim.actor
    if not access.may_do(actor, access.Act.CHASE):
        return [progress_views.chase_refused_reply(actor.language)]
    now, tz = core.clock(), core.settings.tz
    # pressed in the quiet hours: due (and said to go) when they end
    quiet = reminder_settings(core.settings)
    local = now.astimezone(tz)
    goes = after_quiet_hours(local, quiet.quiet_start, quiet.quiet_end)
    later = goes if goes != local else None
    due_in = data.period if isinstance(data, ChaseLateIn) else None
    if isinstance(data, ChaseLate | ChaseLateIn):
        period = None  # the reply speaks of overdue tasks
        chased = progress.chase_overdue(
            core.db, core.today(), viewer=actor, now=now, tz=tz, at=goes, period=due_in
        )
    else:
        period = data.period
        chased = progress.chase_figures_missing(
            core.db,
            period,
            core.today(),
            viewer=actor,
            cutoff_day=core.settings.report_cutoff_day,
            now=now,
            tz=tz,
            at=goes,
        )
    return [progress_views.chased_reply(chased, period, actor.language, later, due_in)]


BUTTONS = {
    ChaseFigures: chase_button,
    ChaseLate: chase_button,
    ChaseLateIn: chase_button,
    LateUnits: late_button,
    UnitProgress: unit_button,
    PeriodOverview: overview_button,
    Ranking: overview_button,
    StandingRanking: standing_ranking_button,
}
