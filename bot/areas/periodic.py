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
from bot.language.report_requests import read_report_request
from bot.matching import Decision
from bot.services import periodic
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.services.units import unit_catalogue
from bot.transport import Incoming, Reply
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
    template = _template(core, language)
    if isinstance(template, Reply):
        return template
    report = periodic.report_data(
        core.db,
        request.period,
        today,
        viewer=actor,
        tz=settings.tz,
        cutoff_day=settings.report_cutoff_day,
        unit_id=unit_id,
    )
    return Draft(report, template, request.closed)


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
