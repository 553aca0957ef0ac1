"""`LoopLagMonitor`: how long the worker's event loop keeps everything else waiting.

One worker serves all its stations, REST requests and background rounds on one event loop. A
piece of work that holds the loop (a long background round, a large ORM read, a full garbage
collection) delays every answer of the worker by the same amount, and no per-call figure shows
it: each call's own handler was quick, it merely started late. So the monitor asks the loop for
a timer every `interval_s` and records how late the loop ran it
(`chargeyard_event_loop_lag_seconds`). A p99 of command round trips far above the command's own
cost, with a lag histogram of the same shape, says the loop is the queue; the job rounds'
histogram (`chargeyard_job_round_seconds`) then says which job to look at.

The lag is measured on the loop's own monotonic clock (`loop.time()`), never the wall clock,
and costs one timer per interval.
"""

import asyncio
from collections.abc import Callable

from chargeyard.observability.metrics import observe_loop_lag
from chargeyard.tracked_tasks import cancel_and_wait

INTERVAL_S = 0.25
"""Often enough that a stall of a tenth of a second shows, seldom enough to cost nothing."""


class LoopLagMonitor:
    def __init__(
        self, interval_s: float = INTERVAL_S, observe: Callable[[float], None] = observe_loop_lag
    ) -> None:
        self.interval_s = interval_s
        self._observe = observe
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-loop-lag")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + self.interval_s
            await asyncio.sleep(self.interval_s)
            self._observe(max(0.0, loop.time() - due))
