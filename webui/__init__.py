"""The office's web pages: a transport adapter like ``handlers/``, over the same services.

Served by the same ASGI app as the webhook (``bot/web.py`` adds :func:`webui.routes.mount`
under ``/web`` in polling and webhook mode). Server-rendered (Starlette's
``Jinja2Templates``), no JavaScript; every page needs a session opened from a one-time
link the bot sends (``/web``), and reads through the services with the visitor as the
actor, so the access table (``bot/services/access.py``) scopes it as it scopes the chat.

- ``auth.py``: the signed session cookie, the CSRF token, who is visiting;
- ``site.py``: what every page shares (rendering, the session guard, the headers);
- ``routes.py``: the mount, made of the page modules listed in ``PAGES``;
- ``login.py``, ``overview.py``, ``units.py``: the pages, each with ``routes(site)`` and
  its navigation entries ``NAV``;
- ``templates/``, ``static/site.css``: the pages' HTML and their one style sheet.
"""
