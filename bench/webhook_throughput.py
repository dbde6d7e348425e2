"""Updates per second through nginx with 1, 2 and 3 webhook instances on PostgreSQL,
beside the same load on one polling instance, with the latency of each update.

    python -m bench.webhook_throughput --database-url postgresql+psycopg://…/dondoc_bench
        [--people 300] [--each 5] [--instances 1,2,3] [--no-polling] [--settle-ms MS]

The database's schema is DROPPED and made again for each run: give a database of its own.

Real processes, as deployed (tests/cluster.py, shared with the fault test): nginx on
deploy/nginx.conf, ``dondoc run`` instances on one PostgreSQL database, the fake Bot API
over a socket playing Telegram (in webhook mode it POSTs each update, up to 40 at once).
The Sơn Tây units and plan, ``--people`` officials; each person reports ``--each`` times,
the next report once the bot confirmed the one before (a closed loop: 300 people typing).
Throughput is the updates over the time from the first sent to the last confirmed;
latency is from the moment the bot was handed an update (its first POST, or the
getUpdates answer holding it) to the bot's reply reaching the fake API. Everything runs
on this machine: the fake and nginx share its cores with the instances and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from storage.db import Database
from tests import cluster
from tests.fakebot import FakeBotAPI
from tests.fakebot_server import serving

DEADLINE = 600.0  # seconds for one configuration's load, a safety net
SETTLE_MS = Settings.model_fields["webhook_settle_ms"].default


@dataclass
class Run:
    label: str
    updates: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _reset(url: str) -> Database:
    db = Database(url)
    if db.dialect != "postgresql":
        raise SystemExit(
            "the instances share one PostgreSQL database: give a postgresql+psycopg URL"
        )
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    return db


async def _load(fake: FakeBotAPI, replies: cluster.Replies, users: list[dict], each: int) -> Run:
    latencies: list[float] = []

    async def person(user: dict) -> None:
        chat = user["id"]
        for k in range(each):
            update = fake.send_text(user, user, f"so hoa {10 + k}/100")
            await replies.wait(chat, lambda calls, k=k: len(calls) > k)
            reply = replies.replies[chat][k]
            latencies.append(reply.at - fake.delivered_at[update["update_id"]])

    began = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(person(u) for u in users)), DEADLINE)
    return Run("", len(users) * each, time.monotonic() - began, latencies)


async def measure(
    url: str, instances: int, webhook: bool, people: int, each: int, settle_ms: int
) -> Run:
    db = _reset(url)
    fake = FakeBotAPI()
    users = cluster.area(db, fake, people)
    db.dispose()
    replies = cluster.Replies(fake)
    env = {"DONDOC_WEBHOOK_SETTLE_MS": str(settle_ms)}
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as workdir:
        async with (
            serving(fake) as base_url,
            cluster.Cluster(
                fake, base_url, url, Path(workdir), instances=instances, webhook=webhook, env=env
            ) as bots,
        ):
            if not webhook:
                return await _load(fake, replies, users, each)
            async with bots.client(timeout=60) as client, cluster.delivering(fake, client):
                return await _load(fake, replies, users, each)


def report(runs: list[Run], people: int, each: int) -> None:
    print(f"\n{people} people, {each} reports each ({people * each:,} updates a run)\n")
    print("| run | updates/s | p50 latency | p99 latency | duration |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for run in runs:
        print(
            f"| {run.label} | {run.rate:.1f} | {run.percentile(50) * 1000:,.0f} ms "
            f"| {run.percentile(99) * 1000:,.0f} ms | {run.seconds:.1f} s |"
        )


async def main(args: argparse.Namespace) -> None:
    runs = []
    if args.polling:
        run = await measure(args.database_url, 1, False, args.people, args.each, args.settle_ms)
        run.label = "polling, 1 instance"
        runs.append(run)
        print(f"{run.label}: {run.rate:.1f} updates/s", flush=True)
    for n in args.instances:
        run = await measure(args.database_url, n, True, args.people, args.each, args.settle_ms)
        run.label = f"webhook through nginx, {n} instance{'s' if n > 1 else ''}"
        runs.append(run)
        print(f"{run.label}: {run.rate:.1f} updates/s", flush=True)
    report(runs, args.people, args.each)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        required=True,
        help="a PostgreSQL database of its own (its schema is dropped)",
    )
    parser.add_argument("--people", type=int, default=300, help="officials reporting (300)")
    parser.add_argument("--each", type=int, default=5, help="reports per person (5)")
    parser.add_argument(
        "--instances",
        type=lambda v: [int(n) for n in v.split(",")],
        default=[1, 2, 3],
        help="webhook instance counts to run (1,2,3)",
    )
    parser.add_argument("--no-polling", dest="polling", action="store_false")
    parser.add_argument(
        "--settle-ms",
        type=int,
        default=SETTLE_MS,
        help=f"DONDOC_WEBHOOK_SETTLE_MS ({SETTLE_MS}, its default)",
    )
    try:
        asyncio.run(main(parser.parse_args()))
    except cluster.Unavailable as missing:
        raise SystemExit(str(missing)) from None


if __name__ == "__main__":
    cli()
