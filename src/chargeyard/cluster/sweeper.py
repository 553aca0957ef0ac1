"""`PresenceSweeper`: stations held by a worker whose heartbeat expired read as disconnected.

The stations table says which worker holds each connected station (`connected_node`). A worker
that dies cannot mark its stations offline, so every live worker looks, every heartbeat period,
for holders in the table that the bus no longer knows as alive, and marks their stations
disconnected. The sweep is idempotent (an UPDATE conditioned on the dead holder), so several
workers running it at once do no harm; it needs a bus that sees the whole cluster, so only the
Redis bus runs it (the in-memory bus of one process would take every other process for dead).
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from chargeyard.clock import Clock
from chargeyard.cluster.bus import Bus
from chargeyard.stations.repository import connected_holders
from chargeyard.stations.service import disconnect_holders
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)


class PresenceSweeper:
    def __init__(self, db: Database, bus: Bus, clock: Clock, period_s: float) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.period_s = period_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="cluster presence sweep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def sweep(self) -> Sequence[str]:
        """Mark the stations of dead workers disconnected; returns their ids."""
        async with self.db.reading() as uow:
            holders = await connected_holders(uow.session)
        dead = holders - await self.bus.alive(holders)
        if not dead:
            return []
        async with self.db.writing() as uow:
            ids = await disconnect_holders(uow, dead, self.clock)
            await uow.commit()
        if ids:
            logger.info(
                "%d stations of gone workers %s marked disconnected", len(ids), sorted(dead)
            )
        return ids

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                logger.exception("cluster presence sweep failed")
            await asyncio.sleep(self.period_s)
