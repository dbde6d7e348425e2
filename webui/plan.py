"""Kế hoạch (``/web/plan``, or ``/web/plan/<id>`` for another imported plan): the plan
in use as imported, its tasks by section with their timeframes and its indicators with
their targets, each linking to its page (``webui.tasks``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_
from bot.services import site as pages
from webui.auth import Visit
from webui.site import PREFIX, Site

NAV = [("plan", f"{PREFIX}/plan", N_("Plan"))]


def routes(site: Site) -> list[BaseRoute]:
    core = site.core

    def plan(request: Request, visit: Visit) -> Response:
        plan_id = request.path_params.get("plan_id")
        page = pages.plan_page(
            core.db, core.today(), plan_id, viewer=visit.actor, tz=site.settings.tz
        )
        if page is None and plan_id is not None:
            raise LookupError(f"no plan {plan_id}")
        return site.render(request, "plan.html", visit, active="plan", plan=page)

    return [
        Route("/plan", site.page(plan), methods=["GET"], name="plan"),
        Route("/plan/{plan_id:int}", site.page(plan), methods=["GET"], name="one_plan"),
    ]
