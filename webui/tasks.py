"""One task (``/web/tasks/<id>``): the task as the plan states it, the area's lead and
cooperating units by state, and the units by state, each linking to its page (an
official: the totals and their own unit's line only, as ``site.task_page`` decides);
and one indicator (``/web/indicators/<id>?period=2025-11``): the area against the
target for the chosen period, the units' figures, the trend over the periods as a small
chart and a table. 404 for a task or indicator not in an imported plan."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import translations
from bot.language.periods import Period, PeriodKind
from bot.services import site as pages
from webui.auth import Visit
from webui.site import Site

NAV: list[tuple[str, str, str]] = []  # reached from the plan, the overview, a unit's page
# The trend chart's drawing area (an inline SVG made of plain shapes: no style, no script).
CHART_W, CHART_H, CHART_PAD = 480, 190, 24


def group_names(_) -> dict[str, str]:
    return {
        "done": _("Done"),
        "in_progress": _("In progress"),
        "overdue": _("Overdue"),
        "not_reported": _("Not reported"),
    }


def short_label(period: Period) -> str:
    """A period under its bar: "11/25", "Q3/25", "H1/25", "9M/25", "2025"."""
    year = period.start.year % 100
    match period.kind:
        case PeriodKind.MONTH:
            return f"{period.start.month}/{year:02d}"
        case PeriodKind.QUARTER | PeriodKind.HALF | PeriodKind.NINE_MONTHS:
            return f"{period.key.split('-')[1]}/{year:02d}"
        case _:
            return period.key


def trend_bars(page: pages.IndicatorPage) -> dict:
    """The trend's bars as plain numbers for the template's SVG: one bar a period (the
    chosen one marked), and the target's line, scaled to the highest value."""
    values = [float(p.area) for p in page.trend if p.area is not None]
    target = page.indicator.target
    top = max([*values, float(target) if target is not None else 0.0, 1.0])
    count = max(len(page.trend), 1)
    slot = (CHART_W - 2 * CHART_PAD) / count
    inner = CHART_H - 2 * CHART_PAD

    def y(value: float) -> float:
        return round(CHART_PAD + inner * (1 - value / top), 1)

    bars = []
    for i, point in enumerate(page.trend):
        x = round(CHART_PAD + i * slot + slot * 0.15, 1)
        value = float(point.area) if point.area is not None else None
        bars.append(
            {
                "x": x,
                "w": round(slot * 0.7, 1),
                "y": y(value) if value is not None else CHART_H - CHART_PAD,
                "h": round(CHART_H - CHART_PAD - y(value), 1) if value is not None else 0,
                "mid": round(x + slot * 0.35, 1),
                "point": point,
                "label": short_label(point.period),
                "chosen": point.period == page.period,
            }
        )
    return {
        "width": CHART_W,
        "height": CHART_H,
        "pad": CHART_PAD,
        "base": CHART_H - CHART_PAD,
        "bars": bars,
        "target_y": y(float(target)) if target is not None else None,
    }


def routes(site: Site) -> list[BaseRoute]:
    core = site.core
    settings = site.settings

    def task(request: Request, visit: Visit) -> Response:
        page = pages.task_page(
            core.db,
            request.path_params["task_id"],
            core.today(),
            viewer=visit.actor,
            tz=settings.tz,
        )
        _ = translations(visit.actor.language).gettext
        return site.render(
            request,
            "task.html",
            visit,
            active="plan",
            page=page,
            groups=pages.GROUPS,
            group_names=group_names(_),
        )

    def indicator(request: Request, visit: Visit) -> Response:
        period = Period.from_key(request.query_params.get("period", "")[:20])
        page = pages.indicator_page(
            core.db,
            request.path_params["indicator_id"],
            core.today(),
            period,
            viewer=visit.actor,
            tz=settings.tz,
            cutoff_day=settings.report_cutoff_day,
        )
        return site.render(
            request,
            "indicator.html",
            visit,
            active="plan",
            page=page,
            chart=trend_bars(page) if page.trend else None,
        )

    return [
        Route("/tasks/{task_id:int}", site.page(task), methods=["GET"], name="task"),
        Route(
            "/indicators/{indicator_id:int}",
            site.page(indicator),
            methods=["GET"],
            name="indicator",
        ),
    ]
