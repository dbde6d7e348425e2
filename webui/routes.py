"""The web pages' routes, mounted under ``/web`` by ``bot/web.py``.

Every page but the login ones needs a live session (``webui.auth``): without one it
answers 302 to ``/web/login``, which explains how to get a link from the bot. A page the
visitor's role may not see (``access.NotAllowed`` from the services) answers 403. The
endpoints are plain functions: Starlette runs them in its thread pool, off the event
loop, as the services and charts need.

The pages: ``/web/`` Tổng quan, ``/web/units`` Đơn vị (``kind``, ``state``, ``sort``
and ``q`` query parameters), ``/web/units/<id>`` one unit, ``/web/chart.svg`` the
standing's chart. Logging in: ``GET /web/login/<token>`` shows a button that posts to the
same address, which spends the link (a link preview or a prefetch, which only GETs, never
spends it); ``POST /web/logout`` with the session's CSRF token. :data:`NAV` lists the
navigation; a page added later appends its entry.

Every answer under ``/web`` carries the security headers of :class:`SecurityHeaders`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode

from jinja2 import pass_context
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.core import Core
from bot.i18n import N_, translations
from bot.services import access, site_overview, weblogin
from bot.views.plans import vn_date
from bot.views.progress import percent_text, target_text
from bot.views.reports import period_name, status_name
from bot.views.standing import standing_chart, standing_lines
from webui.auth import COOKIE, Auth, Visit

PREFIX = "/web"
HERE = Path(__file__).parent
LOGIN = f"{PREFIX}/login"
# (name, path, label): the navigation, in order. Báo cáo, Kế hoạch and Xuất join it
# when their pages exist.
NAV: list[tuple[str, str, str]] = [
    ("overview", f"{PREFIX}/", N_("Overview")),
    ("units", f"{PREFIX}/units", N_("Unit list")),
]
MAX_FORM_BYTES = 4096
# The pages: no script at all, styles and images from the site only.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# The chart is an image: matplotlib's SVG styles its shapes with style attributes.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    # the login link's token never leaves in a Referer header
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


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


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def site(core: Core, settings: Settings) -> Mount:
    """The ``/web`` mount: the pages, the login, the style sheet."""
    auth = Auth(core, settings)
    templates = Jinja2Templates(directory=HERE / "templates")
    tz = settings.tz

    def local(moment) -> str:
        return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y") if moment else ""

    @pass_context
    def query(context, **changes) -> str:
        """The current page's query string with ``changes`` (sort and filter links)."""
        params = dict(context["request"].query_params)
        params.update({k: v for k, v in changes.items() if v is not None})
        return "?" + urlencode({k: v for k, v in params.items() if v})

    templates.env.filters.update(local=local, day=vn_date, percent=_percent)
    templates.env.globals.update(
        query=query, nav=NAV, target_text=target_text, percent_text=percent_text
    )

    def render(
        request: Request, name: str, visit: Visit | None, status: int = 200, **context
    ) -> Response:
        language = visit.actor.language if visit else settings.language
        _ = translations(language).gettext
        context.update(
            _=_,
            language=language,
            visit=visit,
            status_name=lambda s: status_name(s, _),
            period_name=lambda p: period_name(p, _),
        )
        return templates.TemplateResponse(request, name, context, status_code=status)

    def login_page(request: Request) -> Response:
        """How to log in (no session needed): ``/web`` in a private chat with the bot."""
        return render(request, "login.html", None, reason=request.query_params.get("why", ""))

    def login_link(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "GET":
            return render(request, "confirm.html", None, token=token)
        if request.headers.get("sec-fetch-site") == "cross-site":
            return render(request, "login.html", None, status=403, reason="invalid")
        key = weblogin.open_session(core.db, token, core.clock())
        if key is None:
            return render(request, "login.html", None, status=400, reason="invalid")
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        auth.set_cookie(response, key)
        return response

    async def logout(request: Request) -> Response:
        declared = request.headers.get("content-length", "0")
        small = declared.isdigit() and int(declared) <= MAX_FORM_BYTES
        body = await request.body() if small else b""
        return await run_in_threadpool(_logout, request, _form(body))

    def _logout(request: Request, form: dict[str, str]) -> Response:
        visit = auth.visit(request)
        if visit is None:
            return RedirectResponse(LOGIN, status_code=303)
        if not auth.csrf_ok(request, form.get("csrf", "")):
            return render(request, "error.html", visit, status=403, reason="csrf")
        weblogin.end_session(core.db, visit.visitor.session_id, core.clock())
        response = RedirectResponse(f"{LOGIN}?why=out", status_code=303)
        auth.clear_cookie(response)
        return response

    def page(endpoint):
        """A page that needs a session: 302 to the login page without one, 403 for what
        the visitor's role may not see."""

        def run(request: Request) -> Response:
            visit = auth.visit(request)
            if visit is None:
                response = RedirectResponse(LOGIN, status_code=302)
                if COOKIE in request.cookies:  # ended, idle or forged: forgotten
                    auth.clear_cookie(response)
                return response
            try:
                return endpoint(request, visit)
            except access.NotAllowed:
                return render(request, "error.html", visit, status=403, reason="forbidden")

        return run

    def overview(request: Request, visit: Visit) -> Response:
        actor = visit.actor
        data = core.standing_now(core.today(), viewer=actor)
        ranking = access.may_see(actor, access.View.RANKING)
        own_unit = None if ranking else actor.unit_id  # as the chat answers it
        lines = standing_lines(data, actor.language, detail=ranking, own_unit=own_unit)
        behind_ids = {u.unit_id for u in data.most_behind}
        rows = site_overview.unit_rows(core.db, data)
        return render(
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
        return render(
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
        found = site_overview.unit_page(core.db, visit.actor, unit_id, core.today(), core.clock())
        if found is None:
            return render(request, "error.html", visit, status=404, reason="missing")
        return render(request, "unit.html", visit, active="units", unit=found)

    routes = [
        Route("/", page(overview), methods=["GET"], name="overview"),
        Route("/units", page(units), methods=["GET"], name="units"),
        Route("/units/{unit_id:int}", page(unit), methods=["GET"], name="unit"),
        Route("/chart.svg", page(chart), methods=["GET"], name="chart"),
        Route("/login", login_page, methods=["GET"], name="login"),
        Route("/login/{token}", login_link, methods=["GET", "POST"], name="login_link"),
        Route("/logout", logout, methods=["POST"], name="logout"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Mount(PREFIX, routes=routes, middleware=[Middleware(SecurityHeaders)], name="web")


def _form(body: bytes) -> dict[str, str]:
    """A small url-encoded form's fields (the logout button), read without a multipart
    parser; a body too big reads as empty."""
    if len(body) > MAX_FORM_BYTES:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}
