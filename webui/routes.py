"""The ``/web`` mount that ``bot/web.py`` adds to the web app: the page modules' routes,
the style sheet, the security headers on every answer.

Each page module (``login``, ``overview``, ``units``, …) has ``routes(site)`` and its
``NAV`` entries (name, path, label). A new page is a module and one entry in
:data:`PAGES`; its navigation entry follows the order of :data:`PAGES` (one task and one
indicator, in ``tasks``, have none: they are reached from the other pages).
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.config import Settings
from bot.core import Core
from webui import export, login, overview, plan, reports, tasks, units
from webui.site import HERE, PREFIX, SecurityHeaders, Site

PAGES = (overview, units, reports, plan, tasks, export, login)


def mount(core: Core, settings: Settings) -> Mount:
    """The ``/web`` mount: the pages, the login, the style sheet."""
    nav = [entry for module in PAGES for entry in module.NAV]
    site = Site(core, settings, nav)
    routes = [route for module in PAGES for route in module.routes(site)]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    return Mount(PREFIX, routes=routes, middleware=[Middleware(SecurityHeaders)], name="web")
