"""What every web page shares: the core and settings, who is visiting (``webui.auth``),
the templates and their helpers, rendering, the session guard (:meth:`Site.page`), the
security headers (:class:`SecurityHeaders`) and the navigation (made by
``webui.routes`` from each page module's own ``NAV``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from jinja2 import pass_context
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.core import Core
from bot.i18n import translations
from bot.services import access
from bot.views.plans import vn_date, vn_number, with_measure
from bot.views.progress import percent_text, target_text
from bot.views.reports import period_name, status_name
from webui.auth import COOKIE, Auth, Visit

PREFIX = "/web"
LOGIN = f"{PREFIX}/login"
HERE = Path(__file__).parent
# The pages: no script at all, styles and images from the site only.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    # the login link's token never leaves in a Referer header
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}

Endpoint = Callable[[Request, Visit], Response]


class Files(Protocol):
    """Where the photos and files sent with reports are kept (Telegram)."""

    async def fetch(self, file_id: str) -> tuple[bytes, str | None]:
        """The file's bytes and its name (its suffix tells its type); ``LookupError``
        when it cannot be had."""
        ...


class SecurityHeaders:
    """ASGI middleware: the headers of :data:`HEADERS` on every answer that has not set
    its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.decode().lower() for name, _ in headers}
                headers += [
                    (name.encode(), value.encode())
                    for name, value in HEADERS.items()
                    if name not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _amount(value, measure: str | None = None) -> str:
    """A figure the Vietnamese way with its measure ("85,5%", "1.300 hộ")."""
    if value is None:
        return ""
    return with_measure(vn_number(round(Decimal(str(value)), 1)), measure or "")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


@pass_context
def _query(context, **changes) -> str:
    """The current page's query string with ``changes`` (sort and filter links)."""
    params = dict(context["request"].query_params)
    params.update({k: v for k, v in changes.items() if v is not None})
    return "?" + urlencode({k: v for k, v in params.items() if v})


class Site:
    """The web pages' shared state, one per ASGI app."""

    def __init__(
        self,
        core: Core,
        settings: Settings,
        nav: list[tuple[str, str, str]],
        files: Files | None = None,
    ) -> None:
        self.core = core
        self.settings = settings
        self.files = files
        self.auth = Auth(core, settings)
        self.templates = Jinja2Templates(directory=HERE / "templates")
        tz = settings.tz

        def local(moment) -> str:
            return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y") if moment else ""

        self.templates.env.filters.update(local=local, day=vn_date, percent=_percent)
        self.templates.env.globals.update(
            query=_query,
            nav=nav,
            target_text=target_text,
            percent_text=percent_text,
            amount=_amount,
            evidence_shown=files is not None,
        )

    def render(
        self, request: Request, name: str, visit: Visit | None, status: int = 200, **context
    ) -> Response:
        """Template ``name`` in the visitor's language (the deployment's without one),
        with ``_``, ``visit`` and the status and period names."""
        language = visit.actor.language if visit else self.settings.language
        _ = translations(language).gettext
        context.update(
            _=_,
            language=language,
            visit=visit,
            status_name=lambda s: status_name(s, _),
            period_name=lambda p: period_name(p, _),
        )
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def page(self, endpoint: Endpoint) -> Callable[[Request], Response]:
        """A page that needs a session: 302 to the login page without one (a cookie that
        no longer opens one is dropped), 403 for what the visitor's role may not see
        (``access.NotAllowed`` from the services), 404 for what does not exist
        (``LookupError``). Plain functions: Starlette runs them
        in its thread pool, off the event loop, as the services and charts need."""

        def run(request: Request) -> Response:
            visit = self.auth.visit(request)
            if visit is None:
                response = RedirectResponse(LOGIN, status_code=302)
                if COOKIE in request.cookies:
                    self.auth.clear_cookie(response)
                return response
            try:
                return endpoint(request, visit)
            except access.NotAllowed:
                return self.render(request, "error.html", visit, status=403, reason="forbidden")
            except LookupError:
                return self.render(request, "error.html", visit, status=404, reason="missing")

        return run
