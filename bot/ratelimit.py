"""Smooth pacing of Bot API requests within Telegram's flood limits.

Telegram answers 429 ``Too Many Requests: retry after N`` when a bot sends more than about
30 messages a second overall or more than 20 a minute into one group. PTB's stock
``AIORateLimiter`` uses leaky buckets that let a full bucket out at once (so a cold start
sends 30 at once and then 30 more in the same second) and, past 512 groups, scans its whole
group table on every send. :class:`SmoothRateLimiter` instead:

* paces the requests that name a chat on one global schedule: the next send time advances by a fixed
  interval (``period / rate``, stretched by ``margin``) per message, so the sends are evenly
  spread and no one-second window ever holds more than ``rate`` of them (a generic cell rate
  algorithm; ``burst`` lets a few go back to back after a quiet spell, default none);
* keeps at most ``group_max_rate`` sends per rolling ``group_time_period`` in each group
  chat (negative ``chat_id`` or an ``@username``), looked up in a dict in O(1); a group
  whose quota is used up waits for its own window without holding up other chats; idle
  groups are forgotten lazily;
* lets requests without a ``chat_id`` (getMe, answerCallbackQuery, setMyCommands…) and the
  ``get*`` reads (getChat, getChatMember…) through at once, never behind a queue of
  reminders;
* on ``RetryAfter`` pauses the global schedule for ``retry_after`` seconds (floats are
  honoured): every slot already handed out moves later by the pause, keeping its spacing,
  and the failed request is retried first once the pause is over, up to ``max_retries``
  times; other errors propagate.

Slots are handed out synchronously on the event loop (no lock around the schedule, no
threads), then each request sleeps until its slot and checks, at the moment it is let
through, that the last ``rate`` grants and the group's last ``group_max_rate`` grants still
fit their windows (a guard against an event loop that stalled and woke many sleepers late).
Time and sleep are injectable so tests run on a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NamedTuple

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics

__all__ = ["RateLimiterStats", "SmoothRateLimiter"]

log = logging.getLogger(__name__)

TimeFn = Callable[[], float]
SleepFn = Callable[[float], Awaitable[Any]]
Result = bool | dict[str, Any] | list[dict[str, Any]]

_UNPACED = object()  # the chat key of requests that are not paced at all
ChatKey = int | str | None  # a group's id or @username; None for a private chat


@dataclass
class RateLimiterStats:
    """What the limiter did (counters only grow)."""

    paced: int = 0  # attempts let through on the schedule
    unpaced: int = 0  # attempts passed straight through (no chat_id, or a get* read)
    retry_after: int = 0  # RetryAfter answers received; each paused the schedule
    retried: int = 0  # of those, how many were retried
    gave_up: int = 0  # requests that still got RetryAfter after max_retries retries


class _Slot(NamedTuple):
    at: float  # when, on the schedule as it was when the slot was handed out
    pause_shift: float  # the schedule's totals then (see SmoothRateLimiter._due)
    front_shift: float | None  # None: a retry at the head, not moved by later head retries


class _Group:
    """The recent sends of one group chat."""

    __slots__ = ("granted", "lock", "pending", "reserved")

    def __init__(self, limit: int) -> None:
        self.reserved: deque[float] = deque(maxlen=limit)  # slot times, ascending
        self.granted: deque[float] = deque(maxlen=limit)  # times let through, ascending
        self.lock = asyncio.Lock()  # one request at a time waits for the group's quota (FIFO)
        self.pending = 0  # requests between arrival and being let through

    def last(self) -> float:
        return max(
            self.reserved[-1] if self.reserved else -math.inf,
            self.granted[-1] if self.granted else -math.inf,
        )


class SmoothRateLimiter(BaseRateLimiter[int]):
    """A :class:`telegram.ext.BaseRateLimiter` that spreads sends evenly within the limits.

    Args:
        overall_max_rate: paced requests allowed per ``overall_time_period`` for the whole
            bot (Telegram: 30 per second).
        overall_time_period: seconds.
        group_max_rate: paced requests allowed per ``group_time_period`` in one group chat
            (Telegram: 20 per minute).
        group_time_period: seconds.
        max_retries: retries after a ``RetryAfter``; ``rate_limit_args`` (an ``int``) passed
            to an ``ExtBot`` method overrides it for that call.
        burst: how many requests may go back to back after a quiet spell. ``1`` (the
            default) means none: with the default margin any window of
            ``overall_time_period`` then holds at most ``overall_max_rate`` requests; each
            extra unit of burst lets such a window hold one more.
        margin: the fraction by which the intervals and the group window are stretched, to
            absorb jitter between this process and Telegram's clock (default 2 %: 29.4
            messages/s).
        time: a monotonic clock in seconds; default: the running event loop's ``time()``.
        sleep: ``await sleep(seconds)``; default :func:`asyncio.sleep`.
    """

    __slots__ = (
        "_burst_tolerance",
        "_front",
        "_front_shift",
        "_granted",
        "_group_limit",
        "_group_period",
        "_group_window",
        "_groups",
        "_interval",
        "_max_retries",
        "_pause_shift",
        "_paused_until",
        "_period",
        "_sleep_fn",
        "_tat",
        "_time_fn",
        "stats",
    )

    def __init__(
        self,
        overall_max_rate: int = 30,
        overall_time_period: float = 1.0,
        group_max_rate: int = 20,
        group_time_period: float = 60.0,
        max_retries: int = 3,
        *,
        burst: int = 1,
        margin: float = 0.02,
        time: TimeFn | None = None,
        sleep: SleepFn | None = None,
    ) -> None:
        if overall_max_rate < 1 or group_max_rate < 1:
            raise ValueError("overall_max_rate and group_max_rate must be at least 1")
        if overall_time_period <= 0 or group_time_period <= 0:
            raise ValueError("the time periods must be positive")
        if burst < 1 or margin < 0 or max_retries < 0:
            raise ValueError("burst must be >= 1, margin and max_retries >= 0")
        self._period = float(overall_time_period)
        self._interval = overall_time_period / overall_max_rate * (1 + margin)
        self._burst_tolerance = (burst - 1) * self._interval
        self._granted: deque[float] = deque(maxlen=int(overall_max_rate))
        self._group_limit = int(group_max_rate)
        self._group_period = float(group_time_period)
        self._group_window = group_time_period * (1 + margin)
        self._groups: OrderedDict[int | str, _Group] = OrderedDict()
        self._max_retries = max_retries
        self._tat = -math.inf  # theoretical time of the next send on the schedule
        self._paused_until = -math.inf
        # A pause moves every slot already handed out later by the same amount, and a retry
        # after the pause is put at the head of the schedule, moving the others on by one
        # interval. Rather than touch the sleepers, a slot is read relative to these totals.
        self._pause_shift = 0.0  # seconds all slots were moved by pauses
        self._front_shift = 0.0  # seconds ordinary slots were moved by retries at the head
        self._front = -math.inf  # where the next retry goes at the head of the schedule
        self._time_fn = time
        self._sleep_fn = sleep or asyncio.sleep
        self.stats = RateLimiterStats()

    # ----------------------------------------------------------------------------------------
    # BaseRateLimiter
    # ----------------------------------------------------------------------------------------

    async def initialize(self) -> None:
        """Nothing to set up: the schedule starts on the first request."""

    async def shutdown(self) -> None:
        """Forget groups with nothing in flight (the schedule itself stays)."""
        for key in [key for key, group in self._groups.items() if not group.pending]:
            del self._groups[key]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for the request's slot, call ``callback``, retry after ``RetryAfter``.

        ``rate_limit_args``, if given, is the number of retries for this call.
        """
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        key = self._chat_key(endpoint, data)
        attempt = 0
        while True:
            if key is _UNPACED:
                self.stats.unpaced += 1
            else:
                await self._acquire(key, retry=attempt > 0)  # type: ignore[arg-type]
                self.stats.paced += 1
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                delay = _retry_after_seconds(exc)
                self.stats.retry_after += 1
                metrics.RATE_LIMITED.inc()
                self._pause(delay)
                if attempt >= max_retries:
                    self.stats.gave_up += 1
                    log.warning(
                        "%s still rate limited after %d retries (retry after %.3g s)",
                        endpoint,
                        max_retries,
                        delay,
                    )
                    raise
                attempt += 1
                self.stats.retried += 1
                log.info("%s rate limited: retrying in %.3g s", endpoint, delay)
                if key is _UNPACED:
                    await self._sleep_fn(delay)

    # ----------------------------------------------------------------------------------------
    # Introspection
    # ----------------------------------------------------------------------------------------

    @property
    def interval(self) -> float:
        """Seconds between two paced requests on the schedule."""
        return self._interval

    @property
    def tracked_groups(self) -> int:
        """Group chats whose recent sends are remembered (idle ones are dropped lazily)."""
        return len(self._groups)

    def backlog(self) -> float:
        """Seconds until the schedule is free again (0 when nothing is queued)."""
        return max(0.0, self._tat - self._now())

    # ----------------------------------------------------------------------------------------
    # Internals
    # ----------------------------------------------------------------------------------------

    def _now(self) -> float:
        if self._time_fn is not None:
            return self._time_fn()
        return asyncio.get_running_loop().time()

    @staticmethod
    def _chat_key(endpoint: str, data: dict[str, Any]) -> object:
        """``_UNPACED``, ``None`` for a private chat, or the group's key."""
        chat_id = data.get("chat_id")
        if chat_id is None or endpoint.startswith("get"):
            return _UNPACED
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        if isinstance(chat_id, int):
            return chat_id if chat_id < 0 else None
        return str(chat_id)  # "@username": a supergroup or channel

    def _reserve(self, now: float, *, retry: bool) -> _Slot:
        """Take the next slot on the global schedule, or, for a retry during a pause, the
        slot at its head. Synchronous: no other task interleaves."""
        if retry and self._paused_until > now:
            at = max(self._front, self._paused_until)
            self._front = at + self._interval
            self._front_shift += self._interval  # everyone else moves on by one interval
            self._tat += self._interval
            return _Slot(at, self._pause_shift, None)
        at = max(now, self._tat - self._burst_tolerance, self._paused_until)
        self._tat = max(self._tat, at) + self._interval
        return _Slot(at, self._pause_shift, self._front_shift)

    def _due(self, slot: _Slot) -> float:
        """When ``slot`` comes, after the pauses and head retries since it was handed out."""
        due = slot.at + self._pause_shift - slot.pause_shift
        if slot.front_shift is not None:
            due += self._front_shift - slot.front_shift
        return due

    def _pause(self, seconds: float) -> None:
        """Hold the schedule until ``seconds`` from now, moving every handed-out slot on."""
        now = self._now()
        until = now + seconds
        extra = until - max(now, self._paused_until)
        if extra > 0:
            self._pause_shift += extra
            self._tat = max(self._tat + extra, until)
            self._paused_until = until

    def _group(self, key: int | str, now: float) -> _Group:
        group = self._groups.get(key)
        if group is not None:
            self._groups.move_to_end(key)
            return group
        # Lazy pruning, amortised O(1): the table is ordered by last use, so the idle
        # groups are at its front.
        horizon = now - self._group_window
        while self._groups:
            oldest = next(iter(self._groups.values()))
            if oldest.pending or oldest.last() > horizon:
                break
            self._groups.popitem(last=False)
        group = self._groups[key] = _Group(self._group_limit)
        return group

    def _grant_wait(self, now: float, group: _Group | None) -> float:
        """Seconds until letting a request through now keeps every window within its limit."""
        wait = 0.0
        if len(self._granted) == self._granted.maxlen:
            wait = self._granted[0] + self._period - now
        if group is not None and len(group.granted) == self._group_limit:
            wait = max(wait, group.granted[0] + self._group_period - now)
        return wait

    async def _acquire(self, key: ChatKey, *, retry: bool = False) -> None:
        """Return when the request may be sent."""
        group = None if key is None else self._group(key, self._now())
        if group is None:
            slot = self._reserve(self._now(), retry=retry)
            await self._wait_for(slot, None)
            return
        group.pending += 1
        try:
            async with group.lock:  # FIFO among the requests to this group
                while True:
                    now = self._now()
                    ready = (
                        group.reserved[0] + self._group_window
                        if len(group.reserved) == self._group_limit
                        else now
                    )
                    if ready <= now:
                        break
                    await self._sleep_fn(ready - now)
                slot = self._reserve(now, retry=retry)
                group.reserved.append(slot.at)
            await self._wait_for(slot, group)
        finally:
            group.pending -= 1

    async def _wait_for(self, slot: _Slot, group: _Group | None) -> None:
        """Sleep until ``slot`` is due and letting the request through breaks no window."""
        while True:
            now = self._now()
            wait = max(
                self._due(slot) - now,
                self._paused_until - now,
                self._grant_wait(now, group),
            )
            if wait <= 0:
                self._granted.append(now)
                if group is not None:
                    group.granted.append(now)
                return
            await self._sleep_fn(wait)


def _retry_after_seconds(exc: RetryAfter) -> float:
    """``retry_after`` in seconds, as a float (PTB 22 keeps a timedelta)."""
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
