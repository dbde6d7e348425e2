"""Logging in and out: ``/web/login`` explains how (no session needed), ``/web/login/<token>``
shows a button (GET) that spends the one-time link (POST), ``/web/logout`` ends the
session (POST with its CSRF token).

The link is spent by a POST, not by opening it: a link preview or a browser's prefetch
(GETs) never spends it. A POST another site's page sends (``Sec-Fetch-Site: cross-site``)
is refused."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.services import weblogin
from webui.site import LOGIN, PREFIX, Site

NAV: list[tuple[str, str, str]] = []
MAX_FORM_BYTES = 4096


def routes(site: Site) -> list[BaseRoute]:
    core = site.core

    def login_page(request: Request) -> Response:
        why = request.query_params.get("why", "")
        return site.render(request, "login.html", None, reason=why)

    def login_link(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "GET":
            return site.render(request, "confirm.html", None, token=token)
        if request.headers.get("sec-fetch-site") == "cross-site":
            return site.render(request, "login.html", None, status=403, reason="invalid")
        key = weblogin.open_session(core.db, token, core.clock())
        if key is None:
            return site.render(request, "login.html", None, status=400, reason="invalid")
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        site.auth.set_cookie(response, key)
        return response

    async def logout(request: Request) -> Response:
        declared = request.headers.get("content-length", "0")
        small = declared.isdigit() and int(declared) <= MAX_FORM_BYTES
        body = await request.body() if small else b""
        return await run_in_threadpool(_logout, request, _form(body))

    def _logout(request: Request, form: dict[str, str]) -> Response:
        visit = site.auth.visit(request)
        if visit is None:
            return RedirectResponse(LOGIN, status_code=303)
        if not site.auth.csrf_ok(request, form.get("csrf", "")):
            return site.render(request, "error.html", visit, status=403, reason="csrf")
        weblogin.end_session(core.db, visit.visitor.session_id, core.clock())
        response = RedirectResponse(f"{LOGIN}?why=out", status_code=303)
        site.auth.clear_cookie(response)
        return response

    return [
        Route("/login", login_page, methods=["GET"], name="login"),
        Route("/login/{token}", login_link, methods=["GET", "POST"], name="login_link"),
        Route("/logout", logout, methods=["POST"], name="logout"),
    ]


def _form(body: bytes) -> dict[str, str]:
    """A small url-encoded form's fields (the logout button), read without a multipart
    parser; a body too big reads as empty."""
    if len(body) > MAX_FORM_BYTES:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}
