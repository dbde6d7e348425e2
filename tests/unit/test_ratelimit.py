"""SmoothRateLimiter on a fake clock (no wall-time sleeping), alone and through the fake
Bot API in limits mode."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, RetryAfter
from telegram.ext import ExtBot

from bot.ratelimit import SmoothRateLimiter
from tests.fakebot import FakeBotAPI

# Creating a RetryAfter with an int warns about its future timedelta type.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PERIOD = 1.0
GROUP_PERIOD = 60.0


class FakeClock:
    """Virtual time: ``sleep`` parks the caller; :meth:`run` advances the clock to the next
    wake-up whenever every task is blocked, so concurrent sleepers wake in time order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def time(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(delay, 0.0), next(self._seq), future))
        await future

    async def _settle(self) -> None:
        """Yield until no other callback is ready to run."""
        loop = asyncio.get_running_loop()
        ready = getattr(loop, "_ready", None)
        for _ in range(10_000):
            await asyncio.sleep(0)
            if ready is not None and not ready:
                return
        if ready is not None:
            raise AssertionError("the event loop never settled")

    async def run(self, awaitable: Awaitable[Any]) -> Any:
        task = asyncio.ensure_future(awaitable)
        while True:
            await self._settle()
            if task.done():
                return task.result()
            if not self._timers:
                raise AssertionError("deadlock: every task waits and no timer is pending")
            when, _, future = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            if not future.done():
                future.set_result(None)


def limiter(clock: FakeClock, **kwargs: Any) -> SmoothRateLimiter:
    return SmoothRateLimiter(time=clock.time, sleep=clock.sleep, **kwargs)


class Recorder:
    """A ``callback`` that records when (on the fake clock) each chat got a request."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, Any]] = []
        self.failures: dict[Any, list[BaseException]] = defaultdict(list)

    def fail(self, chat_id: Any, *errors: BaseException) -> None:
        self.failures[chat_id].extend(errors)

    async def __call__(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        chat_id = data.get("chat_id")
        self.sent.append((self.clock.now, chat_id))
        if self.failures.get(chat_id):
            raise self.failures[chat_id].pop(0)
        return {"ok": endpoint}

    def times(self, chat_id: Any = ...) -> list[float]:
        return [t for t, chat in self.sent if chat_id is ... or chat == chat_id]


def send(
    rl: SmoothRateLimiter,
    callback: Callable[..., Coroutine[Any, Any, Any]],
    chat_id: Any = None,
    endpoint: str = "sendMessage",
    rate_limit_args: int | None = None,
) -> Coroutine[Any, Any, Any]:
    data: dict[str, Any] = {"text": "nhắc việc"}
    if chat_id is not None:
        data["chat_id"] = chat_id
    return rl.process_request(
        callback,
        (endpoint, data),
        {},
        endpoint=endpoint,
        data=data,
        rate_limit_args=rate_limit_args,
    )


def max_in_window(times: list[float], window: float) -> int:
    """The most sends in any half-open window ``[t, t + window)``."""
    times = sorted(times)
    most, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.fixture
def clock() -> FakeClock:  # overrides the datetime clock of tests/conftest.py
    return FakeClock()


async def test_one_group_gets_at_most_20_a_minute(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, -100) for _ in range(100))))
    times = rec.times()
    assert len(times) == 100
    assert max_in_window(times, GROUP_PERIOD) == 20
    assert all(b >= a for a, b in itertools.pairwise(times))
    # 5 blocks of 20: the 81st waits for four windows, not more.
    assert 4 * GROUP_PERIOD <= times[-1] <= 4 * GROUP_PERIOD * 1.03 + 1


async def test_a_thousand_groups_are_paced_smoothly_at_30_per_second(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, -(10**12) - i) for i in range(1000))))
    times = rec.times()
    assert len(times) == 1000 == len({chat for _, chat in rec.sent})
    assert max_in_window(times, PERIOD) <= 30
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 1 / 30 - 1e-9  # smooth: no burst at the start or anywhere
    span = times[-1] - times[0]
    assert 999 / 30 <= span <= 999 / 30 * 1.03
    assert rl.stats.paced == 1000 and rl.stats.retry_after == 0


async def test_private_chats_count_only_toward_the_global_limit(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, 555) for _ in range(60))))
    times = rec.times()
    assert max_in_window(times, PERIOD) <= 30
    assert times[-1] <= 59 / 30 * 1.03  # no 20-a-minute limit in a private chat


async def test_calls_without_chat_id_pass_while_a_long_queue_waits(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)

    async def scenario() -> None:
        queue = [asyncio.ensure_future(send(rl, rec, -1 - i)) for i in range(300)]
        await asyncio.sleep(0)  # the reminders take their slots (≈ 10 s of them)
        assert rl.backlog() > 9
        answered = await send(rl, rec, None, endpoint="answerCallbackQuery")
        assert answered == {"ok": "answerCallbackQuery"} and clock.now == 0
        await send(rl, rec, -5, endpoint="getChatMember")  # reads are not paced either
        assert clock.now == 0
        await asyncio.gather(*queue)

    await clock.run(scenario())
    assert rl.stats.unpaced == 2 and rl.stats.paced == 300


async def test_a_reply_to_a_throttled_group_does_not_hold_up_other_chats(
    clock: FakeClock,
) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, -7) for _ in range(20))))
    start = clock.now
    await clock.run(asyncio.gather(send(rl, rec, -7), send(rl, rec, -8), send(rl, rec, 42)))
    assert rec.times(-8)[0] - start < 0.1 and rec.times(42)[0] - start < 0.1
    assert rec.times(-7)[-1] >= rec.times(-7)[0] + GROUP_PERIOD


async def test_retry_after_pauses_the_schedule_and_is_retried(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(-1, RetryAfter(5))
    results = await clock.run(asyncio.gather(*(send(rl, rec, -1 - i) for i in range(10))))
    assert results == [{"ok": "sendMessage"}] * 10
    first, retried = rec.times(-1)
    assert first == 0 and 5 <= retried < 5 + 1 / 29  # first in line once the pause is over
    later = [t for t, chat in rec.sent if chat != -1 and t > first]
    assert all(t >= 5 for t in later)  # everyone waited out the pause…
    assert max_in_window(rec.times(), PERIOD) <= 30  # …and was not released in a burst
    assert min(b - a for a, b in itertools.pairwise(sorted([*later, retried]))) >= 1 / 30 - 1e-9
    assert rl.stats.retry_after == 1 and rl.stats.retried == 1 and rl.stats.gave_up == 0


async def test_a_pause_moves_the_queue_on_without_reshuffling_it(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(-10, RetryAfter(3), RetryAfter(3))  # the 10th send fails twice
    await clock.run(asyncio.gather(*(send(rl, rec, -1 - i) for i in range(300))))
    times = rec.times()
    assert len(times) == 302 and max_in_window(times, PERIOD) <= 30
    assert min(b - a for a, b in itertools.pairwise(times)) >= 1 / 30 - 1e-9
    # The queue waited out two pauses of 3 s, once: it was not sent to the back each time.
    assert 301 * rl.interval + 6 <= times[-1] <= 301 * rl.interval + 6 + 0.5
    order = [chat for _, chat in rec.sent]
    assert order[:10] == [-1 - i for i in range(10)] and order[10:12] == [-10, -10]
    assert order[12:] == [-11 - i for i in range(290)]  # the others kept their order


async def test_a_float_retry_after_is_honoured(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(9, RetryAfter(timedelta(seconds=0.05)))
    await clock.run(send(rl, rec, 9))
    assert rec.times() == [0, pytest.approx(0.05)]


async def test_gives_up_after_max_retries_and_reraises(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(-1, *(RetryAfter(1) for _ in range(10)))
    with pytest.raises(RetryAfter):
        await clock.run(send(rl, rec, -1))
    assert len(rec.times(-1)) == 4  # the call and max_retries=3 retries
    assert rl.stats.retry_after == 4 and rl.stats.retried == 3 and rl.stats.gave_up == 1
    with pytest.raises(RetryAfter):
        await clock.run(send(rl, rec, -1, rate_limit_args=0))  # per-call override: no retry
    assert len(rec.times(-1)) == 5


async def test_unpaced_calls_are_retried_too(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(None, RetryAfter(2))
    await clock.run(send(rl, rec, None, endpoint="getMe"))
    assert rec.times() == [0, 2]


async def test_other_errors_propagate_without_retry(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rec.fail(-1, BadRequest("chat not found"))
    with pytest.raises(BadRequest):
        await clock.run(send(rl, rec, -1))
    assert len(rec.sent) == 1 and rl.stats.retry_after == 0


async def test_concurrent_callers_never_break_the_windows(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    rng = random.Random(7)
    chats = [rng.choice([-1, -2, -3, -4, 11, 12, *range(-100, -140, -1)]) for _ in range(200)]

    async def caller(chat: int) -> None:
        await clock.sleep(rng.random() * 5)  # arrivals spread over 5 s
        await send(rl, rec, chat)

    await clock.run(asyncio.gather(*(caller(chat) for chat in chats)))
    assert Counter(chat for _, chat in rec.sent) == Counter(chats)  # no loss, no duplicate
    assert max_in_window(rec.times(), PERIOD) <= 30
    for chat in {c for c in chats if c < 0}:
        assert max_in_window(rec.times(chat), GROUP_PERIOD) <= 20


async def test_burst_allowance_is_configurable(clock: FakeClock) -> None:
    rl, rec = limiter(clock, burst=3), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, 1) for _ in range(5))))
    assert rec.times()[:3] == [0, 0, 0] and rec.times()[3] > 0


async def test_idle_groups_are_forgotten_lazily(clock: FakeClock) -> None:
    rl, rec = limiter(clock), Recorder(clock)
    await clock.run(asyncio.gather(*(send(rl, rec, -1 - i) for i in range(600))))
    assert rl.tracked_groups == 600
    await clock.run(clock.sleep(2 * GROUP_PERIOD))
    await clock.run(send(rl, rec, -9999))
    assert rl.tracked_groups == 1


# ---------------------------------------------------------------------------------------------
# For real: the fake Bot API in limits mode
# ---------------------------------------------------------------------------------------------


async def test_the_fake_enforces_telegrams_limits() -> None:
    now = [0.0]
    fake = FakeBotAPI(enforce_limits=True, limit_clock=lambda: now[0])
    groups = fake.add_groups(2)
    person = fake.private_chat(fake.add_user())["id"]
    bot = ExtBot(fake.token, request=fake.make_request())  # no rate limiter
    async with bot:
        for _ in range(20):
            await bot.send_message(groups[0], "một")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(groups[0], "hai mươi mốt trong một phút")
        assert raised.value._retry_after == timedelta(seconds=60)
        for i in range(10):
            await bot.send_message(groups[1] if i % 2 else person, "cùng giây")
        with pytest.raises(RetryAfter):
            await bot.send_message(groups[1], "31 trong một giây")
        await bot.send_chat_action(groups[1], "typing")  # not a message
        now[0] = 1.0
        await bot.send_message(groups[1], "giây sau")
        now[0] = 60.0
        await bot.send_message(groups[0], "phút sau")
    assert fake.limit_rejections == 2
    rejected = [c for c in fake.calls_of("sendMessage", include_failed=True) if not c.ok]
    assert rejected[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 60",
        "parameters": {"retry_after": 60},
    }
    assert rejected[1].response["parameters"] == {"retry_after": 1}


async def test_45_messages_to_3_groups_through_the_limited_fake(clock: FakeClock) -> None:
    """The limiter and the fake's limits on one virtual clock: nothing is rejected."""
    fake = FakeBotAPI(enforce_limits=True, limit_clock=clock.time)
    groups = fake.add_groups(3)
    limiter = SmoothRateLimiter(time=clock.time, sleep=clock.sleep)
    bot = ExtBot(fake.token, request=fake.make_request(), rate_limiter=limiter)
    async with bot:
        start = clock.now
        sends = (bot.send_message(groups[i % 3], f"#{i}") for i in range(45))
        await clock.run(asyncio.gather(*sends))
    assert fake.limit_rejections == 0
    assert [len(fake.bot_messages(g)) for g in groups] == [15, 15, 15]
    assert clock.now - start >= 44 / 30
