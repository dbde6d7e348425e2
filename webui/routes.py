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
from webui import evidence, export, login, overview, plan, reports, tasks, units
from webui.site import HERE, PREFIX, Files, SecurityHeaders, Site

PAGES = (overview, units, reports, plan, tasks, export, evidence, login)


def mount(core: Core, settings: Settings, files: Files | None = None) -> Mount:
    """The ``/web`` mount: the pages, the login, the style sheet. ``files`` fetches the
    photos and files sent with reports (None: the console, which keeps none)."""
    nav = [entry for module in PAGES for entry in module.NAV]
    site = Site(core, settings, nav, files)
    routes = [route for module in PAGES for route in module.routes(site)]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    return Mount(PREFIX, routes=routes, middleware=[Middleware(SecurityHeaders)], name="web")
