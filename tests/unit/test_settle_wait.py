"""How long a posted update waits for those numbered before it (bot/web.py,
``wait_for_earlier``): until they are all logged, or until none has arrived for the settle
time, never longer than ``SETTLE_LONGEST`` settle times. Looks are counted; no clock."""

from __future__ import annotations

from bot.web import SETTLE_LONGEST, wait_for_earlier

SETTLE = 1.0  # ten looks of 0.1 s


class Log:
    """The count of missing updates each look finds (the last one repeated), and the
    looks taken."""

    def __init__(self, *counts: int) -> None:
        self.counts = list(counts)
        self.looks = 0
        self.slept: list[float] = []

    async def missing(self) -> int:
        self.looks += 1
        return self.counts[min(self.looks, len(self.counts)) - 1]

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


async def wait(log: Log) -> int:
    return await wait_for_earlier(log.missing, SETTLE, poll=0.1, sleep=log.sleep)


async def test_nothing_missing_goes_at_once() -> None:
    log = Log(0)
    assert await wait(log) == 0
    assert log.looks == 1 and log.slept == []


async def test_an_update_that_arrives_ends_the_wait() -> None:
    log = Log(2, 2, 1, 0)
    assert await wait(log) == 0
    assert log.looks == 4 and log.slept == [0.1] * 3


async def test_an_update_that_never_comes_holds_the_settle_time() -> None:
    log = Log(1)
    assert await wait(log) == 1
    assert log.looks == 10  # one settle time of looks, then it goes


async def test_updates_still_arriving_extend_the_wait() -> None:
    # 5 missing, one arriving every eight looks: well past the settle time (ten looks),
    # until the last is in.
    log = Log(*[5 - look // 8 for look in range(40)], 0)
    assert await wait(log) == 0
    assert log.looks == 41


async def test_arrivals_never_hold_it_past_the_longest_wait() -> None:
    counts = [1000 - look for look in range(1000)]  # one arriving at every look, for ever
    log = Log(*counts)
    assert await wait(log) > 0
    assert log.looks == SETTLE_LONGEST * 10


async def test_the_quiet_time_starts_again_at_each_arrival() -> None:
    # 3 missing for 9 looks, one arrives, then none for ever: 9 + 10 looks.
    log = Log(*([3] * 9), 2)
    assert await wait(log) == 2
    assert log.looks == 19
