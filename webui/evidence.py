"""The photo or file sent with a task report (``/web/evidence/<status update id>``), for
those who may see its unit's detail: fetched from where the transport keeps it (Telegram:
``getFile``, :class:`bot.web.TelegramFiles`) when the page is opened, never stored by
the site. A picture is shown in the browser; any other file is downloaded, so that a
file a person sent can never run as a page of the site."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

import anyio.from_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.services import site as site_reads
from webui.auth import Visit
from webui.site import Site

NAV: list[tuple[str, str, str]] = []
# Shown in the page; every other type is an attachment.
PICTURES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def routes(site: Site) -> list[BaseRoute]:
    def evidence(request: Request, visit: Visit) -> Response:
        ident = request.path_params["status_id"]
        file_id = site_reads.evidence(site.core.db, ident, viewer=visit.actor)
        if site.files is None:  # the console keeps no files
            raise LookupError(ident)
        # Pages run in a worker thread; the transport's client lives on the event loop.
        content, path = anyio.from_thread.run(site.files.fetch, file_id)
        suffix = PurePosixPath(path or "").suffix.lower()
        kind = mimetypes.types_map.get(suffix, "application/octet-stream")
        shown = "inline" if kind in PICTURES else "attachment"
        name = f"minh-chung-{ident}{suffix}"
        headers = {
            "content-disposition": f'{shown}; filename="{name}"',
            "cache-control": "private, max-age=3600",
        }
        return Response(content, media_type=kind, headers=headers)

    return [
        Route("/evidence/{status_id:int}", site.page(evidence), methods=["GET"], name="evidence")
    ]
