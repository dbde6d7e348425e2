"""Báo cáo (``/web/reports``): the log of every report, newest first, narrowed by a GET
form (``unit``, ``task``, ``indicator``, ``person``, ``since`` and ``until`` as local
days) and paged by the log's cursor (``after``); undone and corrected reports struck
out; the disagreements still open. An official: their own unit's, and a filter on
another unit or person answers 403 (``site.report_log`` decides)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_
from bot.services import site as pages
from webui.auth import Visit
from webui.site import PREFIX, Site

NAV = [("reports", f"{PREFIX}/reports", N_("Reports"))]
PAGE = pages.LOG_PAGE  # reports a page
FILTERS = ("unit", "task", "indicator", "person", "since", "until")


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def filters_of(params) -> pages.LogFilter:
    """The log's filters from the query string; what cannot be read is left out."""
    return pages.LogFilter(
        unit_id=_number(params.get("unit")),
        task_id=_number(params.get("task")),
        indicator_id=_number(params.get("indicator")),
        official_id=_number(params.get("person")),
        since=_day(params.get("since")),
        until=_day(params.get("until")),
    )


def routes(site: Site) -> list[BaseRoute]:
    core = site.core
    settings = site.settings

    def reports(request: Request, visit: Visit) -> Response:
        actor = visit.actor
        params = request.query_params
        filters = filters_of(params)
        after = pages.Cursor.parse(params.get("after"))
        log = pages.report_log(
            core.db, viewer=actor, tz=settings.tz, filters=filters, after=after, limit=PAGE
        )
        choices = pages.log_choices(core.db, viewer=actor)
        plan = pages.plan_page(core.db, core.today(), viewer=actor, tz=settings.tz)
        tasks = [t for s in plan.sections for t in s.tasks] if plan else []
        return site.render(
            request,
            "reports.html",
            visit,
            active="reports",
            log=log,
            filters=filters,
            choices=choices,
            tasks=tasks,
            indicators=plan.indicators if plan else (),
            paged=after is not None,
            filtered=any(params.get(name) for name in FILTERS),
        )

    return [Route("/reports", site.page(reports), methods=["GET"], name="reports")]
