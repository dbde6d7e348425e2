"""Pushing one reminder to each of thousands of group chats within Telegram's flood limits.

    python -m bench.reminders_send [GROUPS] [--stock-groups N] [--concurrency C] [--margin M]

Sends one message to each of GROUPS group chats (default 3,321: one per commune and ward)
with a PTB ``ExtBot`` through the fake Bot API of ``tests/fakebot.py`` in limits mode: it
answers 429 ``retry after N`` when a message would make more than 30 in any one-second
window overall or more than 20 in any minute in one group. The caller fires the sends as
concurrently as a semaphore of C (64) allows, so the rate limiter, not the caller, does the
pacing. It runs once with ``SmoothRateLimiter(max_retries=3)`` (ours) and once with PTB's
stock ``AIORateLimiter(max_retries=3)`` on N groups (default 300: past 512 groups the stock
limiter scans its group table on every send, and a full run takes two minutes each).

Target for ours: finish within 5 % of the floor that 30 messages/s sets (GROUPS / 30 s,
111 s for 3,321 groups) with no 429, no duplicate and no loss. ``--stock-groups 0`` skips
the stock run.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot

from bot.ratelimit import SmoothRateLimiter
from tests.fakebot import FakeBotAPI

RATE = 30  # Telegram: messages per second, all chats together
TEXT = "Nhắc việc: hạn báo cáo tiến độ tháng này là thứ Sáu."


@dataclass
class Run:
    name: str
    groups: int
    duration: float = 0.0
    rejections: int = 0  # 429s the fake answered
    duplicates: int = 0  # messages beyond the first in a group
    losses: int = 0  # groups that got no message
    errors: Counter[str] = field(default_factory=Counter)  # exceptions the caller saw
    note: str = ""

    @property
    def floor(self) -> float:
        return self.groups / RATE

    @property
    def rate(self) -> float:
        return (self.groups - self.losses) / self.duration if self.duration else 0.0

    @property
    def over_floor(self) -> float:
        return (self.duration / self.floor - 1) * 100


async def push(name: str, limiter: BaseRateLimiter, groups: int, concurrency: int) -> Run:
    fake = FakeBotAPI(enforce_limits=True, limit_clock=time.monotonic)
    chat_ids = fake.add_groups(groups)
    run = Run(name, groups)
    gate = asyncio.Semaphore(concurrency)
    bot = ExtBot(fake.token, request=fake.make_request(), rate_limiter=limiter)

    async def send(chat_id: int) -> None:
        async with gate:
            try:
                await bot.send_message(chat_id, TEXT)
            except TelegramError as error:
                run.errors[type(error).__name__] += 1

    async with bot:
        mark = fake.mark()
        started = time.monotonic()
        await asyncio.gather(*(send(chat_id) for chat_id in chat_ids))
        run.duration = time.monotonic() - started
    delivered = Counter(
        int(call.params["chat_id"]) for call in fake.calls_of("sendMessage", since=mark)
    )
    run.duplicates = sum(count - 1 for count in delivered.values() if count > 1)
    run.losses = sum(1 for chat_id in chat_ids if not delivered[chat_id])
    run.rejections = fake.limit_rejections
    return run


def report(runs: list[Run], concurrency: int) -> None:
    print(
        "One message to each group through the fake Bot API in limits mode "
        f"(≤ {RATE} messages in any 1 s, ≤ 20 per group per minute, else 429); "
        f"{concurrency} concurrent senders."
    )
    rows = [
        ("groups", lambda r: f"{r.groups:,}"),
        ("duration", lambda r: f"{r.duration:.1f} s"),
        ("floor (groups / 30)", lambda r: f"{r.floor:.1f} s"),
        ("duration vs floor", lambda r: f"{r.over_floor:+.1f} %"),
        ("messages/s", lambda r: f"{r.rate:.1f}"),
        ("429s caused", lambda r: f"{r.rejections}"),
        ("duplicates", lambda r: f"{r.duplicates}"),
        ("losses", lambda r: f"{r.losses}"),
        ("errors seen by caller", lambda r: ", ".join(f"{k} {v}" for k, v in r.errors.items())),
    ]
    width = max(len(r.name) for r in runs) + 2
    print(f"{'':24}" + "".join(f"{r.name:>{width}}" for r in runs))
    for label, cell in rows:
        print(f"{label:24}" + "".join(f"{cell(r) or '-':>{width}}" for r in runs))
    for r in runs:
        if r.note:
            print(f"  {r.name}: {r.note}")
    if len(runs) == 2:
        ours, stock = runs
        print(
            f"ratio ours/stock: {ours.rate / stock.rate:.2f}× the messages/s, "
            f"429s {ours.rejections} vs {stock.rejections} "
            f"(on {ours.groups:,} vs {stock.groups:,} groups)"
        )
    ours = runs[0]
    met = (
        ours.over_floor <= 5 and ours.rejections == 0 and ours.duplicates == 0 and ours.losses == 0
    )
    print(f"target (≤ +5 % of the floor, no 429, duplicate or loss): {'met' if met else 'MISSED'}")


async def main(groups: int, stock_groups: int, concurrency: int, margin: float | None) -> None:
    ours = SmoothRateLimiter(max_retries=3)
    if margin is not None:
        ours = SmoothRateLimiter(max_retries=3, margin=margin)
    runs = [await push("SmoothRateLimiter", ours, groups, concurrency)]
    runs[0].note = f"pacing interval {ours.interval * 1000:.2f} ms ({1 / ours.interval:.2f}/s)"
    if stock_groups:
        stock = await push(
            "AIORateLimiter", AIORateLimiter(max_retries=3), stock_groups, concurrency
        )
        if stock_groups != groups:
            stock.note = (
                f"run on {stock_groups:,} groups (--stock-groups; default 300: a full run takes "
                "two minutes, and past 512 groups the stock limiter scans its whole group table "
                "on every send)"
            )
        runs.append(stock)
    report(runs, concurrency)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="?", type=int, default=3321, help="groups (3,321)")
    parser.add_argument(
        "--stock-groups", type=int, default=300, help="groups for AIORateLimiter (300; 0: skip)"
    )
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent senders (64)")
    parser.add_argument(
        "--margin", type=float, default=None, help="SmoothRateLimiter's margin (its default)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.groups, args.stock_groups, args.concurrency, args.margin))


if __name__ == "__main__":
    cli()
