"""Đơn vị (``/web/units``: every unit the visitor may see, filtered by ``kind`` and
``state``, sorted by ``sort``, searched with ``q`` through the chat's matcher) and one
unit's page (``/web/units/<id>``: 403 for a unit the visitor's role does not show)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_, translations
from bot.language.periods import PeriodKind, reporting_period
from bot.services import progress, site_overview
from bot.views.progress import gaps_lines
from webui.auth import Visit
from webui.site import PREFIX, Site

NAV = [("units", f"{PREFIX}/units", N_("Unit list"))]


def routes(site: Site) -> list[BaseRoute]:
    core = site.core

    def units(request: Request, visit: Visit) -> Response:
        actor = visit.actor
        params = request.query_params
        data = core.standing_now(core.today(), viewer=actor)
        every = site_overview.unit_rows(core.db, data)
        q = params.get("q", "").strip()[:100]
        kind, state = params.get("kind", ""), params.get("state", "")
        # A search keeps the matcher's order (best first) unless a sort is asked for.
        sort = params.get("sort") or ("" if q else "behind")
        found = site_overview.search(core.db, every, q) if q else every
        rows = site_overview.pick_rows(found, kind=kind, state=state, sort=sort)
        _ = translations(actor.language).gettext
        return site.render(
            request,
            "units.html",
            visit,
            active="units",
            rows=rows,
            total=len(every),
            kinds=site_overview.kinds_of(every),
            states=site_overview.STATES,
            sorts=site_overview.SORTS,
            q=q,
            kind=kind,
            state=state,
            sort=sort,
            state_names={
                "overdue": _("with overdue work"),
                "due": _("due this month"),
                "done": _("all done so far"),
                "none": _("nothing due yet"),
            },
            sort_names={
                "behind": _("most behind first"),
                "name": _("by name"),
                "done": _("most done first"),
                "overdue": _("most overdue first"),
                "last": _("latest report first"),
            },
        )

    def unit(request: Request, visit: Visit) -> Response:
        unit_id = request.path_params["unit_id"]
        today = core.today()
        found = site_overview.unit_page(core.db, visit.actor, unit_id, today, core.clock())
        if found is None:
            return site.render(request, "error.html", visit, status=404, reason="missing")
        # what it has not sent, as "tiến độ xã X" says it: the figures coming in now, the
        # periodic reports past their deadline
        cutoff = core.settings.report_cutoff_day
        coming = reporting_period(today, PeriodKind.MONTH, cutoff)
        gaps = progress.unit_gaps(
            core.db, unit_id, coming, today, viewer=visit.actor, cutoff_day=cutoff
        )
        return site.render(
            request,
            "unit.html",
            visit,
            active="units",
            unit=found,
            gaps=gaps_lines(gaps, visit.actor.language),
        )

    return [
        Route("/units", site.page(units), methods=["GET"], name="units"),
        Route("/units/{unit_id:int}", site.page(unit), methods=["GET"], name="unit"),
    ]
