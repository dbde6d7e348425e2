"""The web pages Tổng quan (``/web/``) and Đơn vị (``/web/units``) for every commune and
ward of the country, beside the chat's overview of the same data.

    python -m bench.web_pages [--postgres URL] [--requests N]

The data of ``bench/periodic.py`` (3,355 units, 50 tasks led by every commune and ward,
a quarter's statuses and two indicators' monthly figures). An office member logs in as a
person does (``/web`` in the console, the link's POST), then each page is requested N
times (50) through the ASGI app (``webui.routes.mount``, httpx's ASGI transport: routing,
the session lookup, the service, the template, the headers), and the chat's overview
("tình hình tháng này" typed in the console: the same standing service, its words and its
chart) as many times. p50 and p99 of each, and each page against the chat's answer.
Target: each page under 1.5 s (p50 and p99). The overview's chart, an image the page
loads (``/web/chart.svg``), is timed too.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import text
from starlette.applications import Starlette

from bench.periodic import _plan, _reports, fresh_database
from bot.config import Settings
from bot.console import Console, console_official
from bot.core import Core
from bot.services import units
from storage.catalogue import provinces
from storage.models import Base
from webui.routes import mount

NOW = datetime(2025, 9, 20, 2, 0, tzinfo=UTC)  # bench.periodic's TODAY, 09:00 in Hà Nội
TARGET = 1.5
PAGES = {
    "overview (/web/)": "/web/",
    "units (/web/units)": "/web/units",
    "the overview's chart (/web/chart.svg)": "/web/chart.svg",  # the page's image
}
CHAT = "tình hình tháng này"


def _quantiles(runs: list[float]) -> tuple[float, float]:
    """p50 and p99 (the nearest rank: the slowest of 50 is the p99's neighbour)."""
    ordered = sorted(runs)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return statistics.median(ordered), p99


async def _pages(core: Core, console: Console, requests: int) -> dict[str, list[float]]:
    out = console.out
    console.send("/web")
    found = re.search(r"https?://\S+", out.getvalue())
    assert found is not None, out.getvalue()
    app = Starlette(routes=[mount(core, core.settings)])
    transport = httpx.ASGITransport(app=app)
    timings: dict[str, list[float]] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        opened = await client.post(urlsplit(found.group()).path)
        assert opened.status_code == 303, opened.status_code
        for name, path in PAGES.items():
            first = await client.get(path)  # a warm-up, checked
            assert first.status_code == 200 and ("<h1>" in first.text or "<svg" in first.text)
            runs = []
            for _ in range(requests):
                began = time.perf_counter()
                answer = await client.get(path)
                runs.append(time.perf_counter() - began)
                assert answer.status_code == 200
            timings[name] = runs
            print(f"  {name}: {len(first.content) / 1024:.0f} KiB")
    return timings


def _chat(console: Console, requests: int) -> list[float]:
    replies = console.send(CHAT)  # a warm-up, checked
    assert replies and replies[0].text, replies
    runs = []
    for _ in range(requests):
        began = time.perf_counter()
        console.send(CHAT)
        runs.append(time.perf_counter() - began)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose schema is dropped and made")
    parser.add_argument("--requests", type=int, default=50, help="requests per page (50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(args.postgres, Path(tmp) / "web.db")
        began = time.perf_counter()
        for name, _short in provinces():
            units.load_official(db, name)
        _plan(db)
        statuses, figures = _reports(db, 3)
        if args.postgres:
            with db.engine.begin() as conn:
                # bench.periodic inserts with its own ids: the sequences go past them, so
                # the console's messages get new ones.
                for table in ("inbound_messages", "status_updates"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
                conn.execute(text("ANALYZE"))
        print(
            f"{db.engine.dialect.name}: 3,355 units × 50 tasks, {statuses:,} statuses, "
            f"{figures:,} figures (set up in {time.perf_counter() - began:.0f} s)"
        )
        settings = Settings(
            _env_file=None,
            DATABASE_URL=db.url,
            DONDOC_OUTPUT_DIR=str(Path(tmp) / "out"),
        )
        core = Core(db=db, settings=settings, clock=lambda: NOW)
        office = console_official(core, None, None)  # the first office user, made
        console = Console(core, office, io.StringIO(), Path(tmp) / "out")
        timings = asyncio.run(_pages(core, console, args.requests))
        chat = _chat(console, args.requests)
        chat50, chat99 = _quantiles(chat)
        print(f"chat overview ({CHAT!r} in the console): p50 {chat50:.2f} s, p99 {chat99:.2f} s")
        for name, runs in timings.items():
            p50, p99 = _quantiles(runs)
            verdict = "ok" if p99 < TARGET else "OVER TARGET"
            print(
                f"{name}: p50 {p50:.2f} s, p99 {p99:.2f} s over {len(runs)} requests "
                f"({p50 / chat50:.1f}× the chat's p50; target {TARGET} s: {verdict})"
            )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average at the end (1, 5, 15 min; {os.cpu_count()} cores): {load}")
        if args.postgres:
            Base.metadata.drop_all(db.engine)
        db.dispose()


if __name__ == "__main__":
    main()
