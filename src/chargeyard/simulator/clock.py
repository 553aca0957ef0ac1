"""Clocks a simulated station reads the time from and sleeps on.

Stations stamp their messages and integrate charged energy with an injected clock, so a
test can move time by hand instead of waiting for it. Answer latency is measured with
`time.perf_counter` instead, because it is a property of the real network, not of the
simulated world.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What a station needs from time: the current instant and a way to wait."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware in UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed on this clock."""
        ...


class SystemClock:
    """The wall clock, for stations talking to a real CSMS."""

    def now(self) -> datetime:
        return datetime.now(UTC)  # noqa: TID251  # a simulated station keeps its own time

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """Time that moves only when a test calls `advance`.

    Sleepers wake in the order they are due, so an hour of metering can be replayed in a
    few milliseconds while every timestamp stays exactly predictable.
    """

    def __init__(self, start: datetime = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)) -> None:
        self._now = start
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._slept = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    @property
    def sleepers(self) -> int:
        """How many coroutines are waiting for time to pass."""
        return sum(1 for _, _, waiter in self._sleepers if not waiter.done())

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        waiter = asyncio.get_running_loop().create_future()
        due = self._now + timedelta(seconds=seconds)
        heapq.heappush(self._sleepers, (due, next(self._order), waiter))
        self._slept.set()
        await waiter

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper that became due."""
        self._now += timedelta(seconds=seconds)
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, waiter = heapq.heappop(self._sleepers)
            if not waiter.done():
                waiter.set_result(None)

    async def wait_for_sleepers(self, count: int = 1) -> None:
        """Wait until `count` coroutines sleep, so that `advance` reaches them all."""
        while self.sleepers < count:
            self._slept.clear()
            await self._slept.wait()
