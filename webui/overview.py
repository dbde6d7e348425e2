"""Tổng quan (``/web/``): the standing now as the chat words it, its chart
(``/web/chart.svg``, for those who see the ranking), the indicators against their
targets, the units most behind (an official: their own unit instead)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_, translations
from bot.services import access, site_overview
from bot.views.standing import standing_chart, standing_lines
from webui.auth import Visit
from webui.site import PREFIX, Site

NAV = [("overview", f"{PREFIX}/", N_("Overview"))]
# The chart is an image: matplotlib's SVG styles its shapes with style attributes.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def routes(site: Site) -> list[BaseRoute]:
    core = site.core

    def overview(request: Request, visit: Visit) -> Response:
        actor = visit.actor
        data = core.standing_now(core.today(), viewer=actor)
        ranking = access.may_see(actor, access.View.RANKING)
        own_unit = None if ranking else actor.unit_id  # as the chat answers it
        lines = standing_lines(data, actor.language, detail=ranking, own_unit=own_unit)
        behind_ids = {u.unit_id for u in data.most_behind}
        shown = behind_ids | ({own_unit} if own_unit is not None else set())
        rows = site_overview.unit_rows(core.db, data, only=shown)
        return site.render(
            request,
            "overview.html",
            visit,
            active="overview",
            data=data,
            lines=lines,
            ranking=ranking,
            chart=ranking and data.charted,
            behind=[r for r in rows if r.unit_id in behind_ids],
            own=[r for r in rows if r.unit_id == own_unit],
        )

    def chart(request: Request, visit: Visit) -> Response:
        access.require(visit.actor, access.View.RANKING)
        data = core.standing_now(core.today(), viewer=visit.actor)
        _ = translations(visit.actor.language).gettext
        body = standing_chart(data, _, svg=True)
        return Response(
            body, media_type="image/svg+xml", headers={"content-security-policy": CHART_CSP}
        )

    return [
        Route("/", site.page(overview), methods=["GET"], name="overview"),
        Route("/chart.svg", site.page(chart), methods=["GET"], name="chart"),
    ]
