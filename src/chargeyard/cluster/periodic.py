"""`PeriodicJob`: the loop of a background job that runs once in the cluster, every period.

The sequencer, the report builder, the alert evaluator and mailer, retention, the KPI rollup,
automatic reconciliation and the sweeps share one shape: a task started with the server that,
every `period_s`, asks for the job's lease (`cluster/leases.py`) and runs a round while this
worker holds it, so only one worker of the cluster runs a given job; a failed round is logged
with its traceback and the next one runs as usual; `stop()` cancels the task at once (a round
is idempotent, or commits step by step, so cutting it short loses nothing but its remainder).
A subclass keeps only its round (`run_once`), its name (which is its lease and its task's name)
and what it logs when a round fails; its logs go to its own module's logger.

A job whose readers want it sooner than the next period fires its `wakeup` (the sequencer after
a commit that published events, the evaluator after new events were numbered). A job that should
leave a starting server to its stations first waits one period before its first round
(`wait_first`). A job without a lease keeper runs on every worker (the presence sweep, which is
idempotent and needs each worker's own view of the bus).

Each round's duration is recorded (`chargeyard_job_round_seconds{job=<name>}`): a round runs on
the worker's event loop, so a long one is time every station of the worker waited.

The wait is `pause(ticket, seconds)` (`events/signal.py: wait` by default), injected so a test
can drive the rounds itself instead of waiting for the clock.

What does not live here: jobs with a graceful stop or work of their own beyond the round (the
webhook dispatcher lets its delivery lanes finish; smart charging leases per organization and
runs control steps, schedule checks and constraint reads on separate clocks).
"""

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.observability.metrics import observe_job_round
from chargeyard.tracked_tasks import cancel_and_wait

Pause = Callable[[asyncio.Event, float], Awaitable[object]]
"""Wait until the ticket is set or the seconds have passed."""


class PeriodicJob(ABC):
    name: ClassVar[str]
    """The job's lease (one holder in the cluster) and its task's name."""
    failure: ClassVar[str]
    """What the log says, with the traceback, when a round fails."""
    wait_first: ClassVar[bool] = False
    """Wait one period before the first round (a starting server serves its stations first)."""

    def __init__(
        self,
        leases: LeaseKeeper | None,
        period_s: float,
        *,
        enabled: bool = True,
        pause: Pause = wait,
    ) -> None:
        self.leases = leases
        """None: the job runs on every worker (no lease)."""
        self.period_s = period_s
        self.enabled = enabled
        """False: `start()` starts nothing (a job its settings turn off)."""
        self.wakeup = CommitSignal()
        """Fired to run the next round now rather than at the end of the period."""
        self._pause = pause
        self._logger = logging.getLogger(type(self).__module__)
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    async def run_once(self) -> object:
        """One round, run while this worker holds the lease (tests drive it directly)."""

    async def round(self) -> object:
        """Ask for the lease and run a round if this worker holds it; None when refused."""
        if self.leases is not None and not await self.leases.acquire(self.name):
            return None
        started = time.perf_counter()
        try:
            return await self.run_once()
        finally:
            observe_job_round(self.name, time.perf_counter() - started)

    def start(self) -> None:
        if self.enabled:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        if self.wait_first:
            await self._pause(asyncio.Event(), self.period_s)
        while True:
            ticket = self.wakeup.ticket()
            try:
                await self.round()
            except Exception:
                self._logger.exception(self.failure)
            await self._pause(ticket, self.period_s)
