"""The periodic report upward: ``/xuat [period] [unit]`` in a private chat sends the Word
report and its workbook (the office, leaders and administrators: the area or any unit; an
official: their own unit)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.i18n import translations
from bot.language.periods import Period
from bot.language.report_requests import (
    REPORT_KINDS,
    ReportRequest,
    Trouble,
    read_report_request,
)
from bot.matching import Decision
from bot.services import periodic
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.services.units import unit_catalogue
from bot.transport import Attachment, Incoming, Reply
from bot.views import common
from bot.views import periodic as periodic_views
from bot.views.documents.template import ReportTemplate, TemplateError, load_template

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """What a report request comes to: the data, the template, whether its window ended."""

    report: periodic.PeriodicReport
    template: ReportTemplate
    closed: bool  # the window has ended


def export_command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/xuat quý 3``, ``/xuat tháng 10 Xã Sơn Dương``, ``/xuat`` (the period just closed)."""
    actor = claim.actor
    if incoming.chat.is_group:
        return [periodic_views.private_only_reply(actor.language)]
    draft = prepare(core, actor, " ".join(incoming.args))
    if isinstance(draft, Reply):
        return [draft]
    return [periodic_views.report_reply(draft.report, draft.template, draft.closed, actor.language)]


def prepare(core: Core, actor: Actor, text: str) -> Draft | Reply:
    """Read the request and gather the report (the chat and ``dondoc report`` alike); a
    reply saying what to fix when it names no report, an unknown unit, or the template
    cannot be used. Another unit than an official's own raises ``access.NotAllowed``."""
    language = actor.language
    today, settings = core.today(), core.settings
    request = read_report_request(text, today, settings.report_cutoff_day)
    if request.period is None:
        return periodic_views.trouble_reply(request, language)
    unit_id = None
    if request.unit_text:
        with core.db.session() as session:
            match = unit_catalogue(session).match(request.unit_text)
        if match.decision is not Decision.MATCH or match.unit is None:
            problem = common.unit_problem(match, language)
            return Reply(problem + "\n" + periodic_views.usage(language))
        unit_id = match.unit.id
    return _draft(core, actor, request.period, unit_id, request.closed)


def _draft(
    core: Core, actor: Actor, period: Period, unit_id: int | None, closed: bool
) -> Draft | Reply:
    template = _template(core, actor.language)
    if isinstance(template, Reply):
        return template
    settings = core.settings
    report = periodic.report_data(
        core.db,
        period,
        core.today(),
        viewer=actor,
        tz=settings.tz,
        cutoff_day=settings.report_cutoff_day,
        unit_id=unit_id,
    )
    return Draft(report, template, closed)


def documents(
    core: Core, actor: Actor, period: Period, unit_id: int | None = None
) -> tuple[Attachment, Attachment] | Reply:
    """The Word report and the workbook of ``period`` as ``/xuat`` makes them (for the
    web page's Xuất): the area's for those who may see units by name, else the person's
    own unit's (another unit raises ``access.NotAllowed``); a reply saying why not when
    the period is not one a report is made for, its window has not begun, or the
    template cannot be used."""
    today, cutoff_day = core.today(), core.settings.report_cutoff_day
    if period.kind not in REPORT_KINDS:
        request = ReportRequest(None, "", Trouble.NOT_A_REPORT_PERIOD, period.key)
        return periodic_views.trouble_reply(request, actor.language)
    start, end = period.reporting_window(cutoff_day)
    if start > today:
        request = ReportRequest(None, "", Trouble.FUTURE, period.key)
        return periodic_views.trouble_reply(request, actor.language)
    draft = _draft(core, actor, period, unit_id, end < today)
    if isinstance(draft, Reply):
        return draft
    return periodic_views.report_files(draft.report, draft.template, actor.language)


def _template(core: Core, language: str) -> ReportTemplate | Reply:
    """The office's template (``DONDOC_REPORT_TEMPLATE``), read for every report so an
    edit needs no restart; else the one shipped."""
    path = core.settings.report_template
    try:
        text = Path(path).read_text(encoding="utf-8") if path else None
        return load_template(text)
    except OSError as exc:
        log.warning("report template %s unreadable: %s", path, exc)
        _ = translations(language).gettext
        problem = _("the file {path} cannot be read").format(path=Path(path or "").name)
        return periodic_views.template_problem_reply(problem, language)
    except TemplateError as exc:
        return periodic_views.template_problem_reply(str(exc), language)


COMMANDS = commands(export_command, "xuat", "export")
