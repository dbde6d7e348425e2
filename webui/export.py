"""Xuất (``/web/export?period=2025-Q3``): choose a period the periodic report is made
for (``site.export_choices``: the area's report, or an official's own unit's) and
download its Word and Excel files (``/web/export/<period>.docx`` and ``.xlsx``), made
by :func:`bot.areas.periodic.documents` as ``/xuat`` makes them."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.areas import periodic
from bot.i18n import N_
from bot.language.periods import Period
from bot.services import site as pages
from webui.auth import Visit
from webui.site import PREFIX, Site

NAV = [("export", f"{PREFIX}/export", N_("Export"))]
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def disposition(filename: str) -> str:
    """``attachment`` with the file's name: plain ASCII for old clients, and the
    Vietnamese name as RFC 6266/5987 ``filename*``."""
    folded = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if c.isascii() and c not in '"\\' and c.isprintable())
    return f"attachment; filename=\"{plain or 'report'}\"; filename*=UTF-8''{quote(filename)}"


def routes(site: Site) -> list[BaseRoute]:
    core = site.core

    def choices_for(visit: Visit) -> pages.ExportChoices:
        return pages.export_choices(
            core.db,
            core.today(),
            viewer=visit.actor,
            cutoff_day=site.settings.report_cutoff_day,
        )

    def export(request: Request, visit: Visit) -> Response:
        choices = choices_for(visit)
        asked = Period.from_key(request.query_params.get("period", "")[:20])
        chosen = asked if asked is not None and choices.offers(asked) else choices.default
        window = next((p for p in choices.periods if p.period == chosen), None)
        return site.render(
            request, "export.html", visit, active="export", choices=choices, chosen=window
        )

    def download(request: Request, visit: Visit) -> Response:
        kind = request.path_params["kind"]
        period = Period.from_key(request.path_params["period"][:20])
        choices = choices_for(visit)
        if kind not in TYPES or period is None or not choices.offers(period):
            raise LookupError("no such export")
        made = periodic.documents(core, visit.actor, period, choices.unit_id)
        if not isinstance(made, tuple):  # a reply saying why not (the template, …)
            return site.render(
                request,
                "export.html",
                visit,
                status=409,
                active="export",
                choices=choices,
                chosen=None,
                problem=made.text,
            )
        [found] = [a for a in made if a.filename.endswith("." + kind)]
        return Response(
            found.content,
            media_type=TYPES[kind],
            headers={"content-disposition": disposition(found.filename)},
        )

    return [
        Route("/export", site.page(export), methods=["GET"], name="export"),
        Route("/export/{period}.{kind}", site.page(download), methods=["GET"], name="download"),
    ]
