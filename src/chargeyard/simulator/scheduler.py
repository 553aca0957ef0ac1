"""One timer for the periodic work of a whole fleet.

A thousand stations each heartbeating and metering on their own sleep loops would keep
thousands of coroutines parked on timers. Instead every periodic job of the fleet sits in
one heap, one event-loop timer is armed for the earliest, and due jobs run as short
tasks that say when they want to run next.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable

# A job does one piece of work and returns the seconds until its next run, or None to stop.
Job = Callable[[], Awaitable[float | None]]

_log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Job]] = []
        self._order = itertools.count()
        self._running: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None
        self._draining = False

    def __len__(self) -> int:
        """Jobs waiting plus jobs running."""
        return len(self._heap) + len(self._running)

    def call_later(self, delay: float, job: Job) -> None:
        if self._draining:
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + max(0.0, delay)
        heapq.heappush(self._heap, (due, next(self._order), job))
        if self._heap[0][2] is job:
            self._arm(loop)

    async def run(self) -> None:
        """Run due jobs until cancelled; cancelling also cancels the jobs in flight."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                self._wake.clear()
                while self._heap and self._heap[0][0] <= loop.time():
                    _, _, job = heapq.heappop(self._heap)
                    task = asyncio.create_task(self._run(job))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
                self._arm(loop)
                await self._wake.wait()
        finally:
            if self._timer is not None:
                self._timer.cancel()
            for task in tuple(self._running):
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)

    async def drain(self, within_s: float) -> None:
        """Start no more jobs and give those running up to `within_s` to finish.

        Cancelling a job between a request and its answer leaves the two sides disagreeing: a
        StartTransaction the central system accepted but whose answer the station never read is
        a session nobody will stop. Draining first lets each exchange complete.
        """
        self._draining = True
        self._heap.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._running:
            await asyncio.wait(tuple(self._running), timeout=within_s)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(self._heap[0][0], self._wake.set) if self._heap else None

    async def _run(self, job: Job) -> None:
        try:
            delay = await job()
        except Exception:
            # A job that fails unexpectedly is dropped: retrying a bug would only spin.
            _log.exception("simulator job %r failed and was dropped", job)
            return
        if delay is not None:
            self.call_later(delay, job)
