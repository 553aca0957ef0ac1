"""A sweep that runs once in the cluster: every few seconds, by whichever worker holds its lease.

Background sweeps (reservations whose time is up, subscriptions whose period is over) are
idempotent, but run on every worker they would only contend for the same rows; the worker holding
the sweep's lease runs it, and when that worker dies another takes the lease over within its TTL.
A failed round is logged and the next one runs as usual.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from chargeyard.cluster.leases import LeaseKeeper

logger = logging.getLogger(__name__)


class LeasedSweep:
    def __init__(
        self,
        leases: LeaseKeeper,
        lease: str,
        interval_s: float,
        sweep: Callable[[], Awaitable[object]],
    ) -> None:
        self._leases = leases
        self._lease = lease
        self._interval_s = interval_s
        self._sweep = sweep
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._lease)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            try:
                if await self._leases.acquire(self._lease):
                    await self._sweep()
            except Exception:
                logger.exception("the %s sweep failed", self._lease)
