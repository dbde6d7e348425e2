"""Who is visiting: the session cookie and the CSRF token of the web pages.

The cookie holds the session's random key (``bot.services.weblogin``), signed with
itsdangerous' ``Signer`` (HMAC-SHA256 keyed by ``DONDOC_WEB_SECRET`` or the key kept in
the database): a forged or altered cookie is refused before the database is asked, and
the session itself lives in the ``web_sessions`` table, so logging out, ``/web thoat`` and
the idle time end it on the server whatever the browser keeps. Starlette's
``SessionMiddleware`` was not used: it keeps the whole session in the cookie (nothing to
end on the server, an expiry counted from the login rather than from the last page) and
would wrap the webhook and health routes too.

The cookie is ``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the pages are served over
HTTPS (``DONDOC_PUBLIC_URL``), and lives for the browser session; the server ends the
session after ``DONDOC_WEB_IDLE_MINUTES`` without a page. The CSRF token of a session,
put in every form that changes something (logout), is an HMAC of its key.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response

from bot.config import Settings
from bot.core import Core
from bot.services import weblogin
from bot.services.weblogin import WebVisitor

COOKIE = "dondoc_web"
SALT = "dondoc-web-session"


@dataclass(frozen=True)
class Visit:
    """A visitor with a live session: who, and the token their forms carry."""

    visitor: WebVisitor
    csrf: str

    @property
    def actor(self):
        return self.visitor.actor


class Auth:
    def __init__(self, core: Core, settings: Settings) -> None:
        self.core = core
        self.settings = settings
        self.idle = timedelta(minutes=settings.web_idle_minutes)
        self._lock = threading.Lock()
        self._key: bytes | None = None
        self._signer: Signer | None = None

    def _keys(self) -> tuple[bytes, Signer]:
        """The signing key, read on first use (the app starts while the database is
        down, as ``/readyz`` reports)."""
        with self._lock:
            if self._key is None or self._signer is None:
                settings = self.settings
                secret = settings.web_secret.get_secret_value() if settings.web_secret else None
                self._key = weblogin.signing_key(self.core.db, secret).encode()
                self._signer = Signer(self._key, salt=SALT, digest_method=hashlib.sha256)
            return self._key, self._signer

    def csrf(self, session_key: str) -> str:
        key = self._keys()[0]
        return hmac.new(key, b"csrf:" + session_key.encode(), hashlib.sha256).hexdigest()

    def session_key(self, request: Request) -> str | None:
        """The session key in the request's cookie, if its signature holds."""
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            return self._keys()[1].unsign(raw).decode()
        except BadSignature:
            return None

    def visit(self, request: Request) -> Visit | None:
        """The visitor of a live session, or None (no cookie, forged, ended, idle)."""
        key = self.session_key(request)
        if key is None:
            return None
        found = weblogin.session_actor(self.core.db, key, self.core.clock(), self.idle)
        return Visit(found, self.csrf(key)) if found else None

    def csrf_ok(self, request: Request, given: str) -> bool:
        key = self.session_key(request)
        return key is not None and hmac.compare_digest(self.csrf(key), given)

    def set_cookie(self, response: Response, session_key: str) -> None:
        response.set_cookie(
            COOKIE,
            self._keys()[1].sign(session_key).decode(),
            path="/web",
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE, path="/web", httponly=True, samesite="lax", secure=self.settings.secure_cookies
        )
