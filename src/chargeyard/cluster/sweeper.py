"""`PresenceSweeper`: stations held by a worker whose heartbeat expired read as disconnected.

The stations table says which worker holds each connected station (`connected_node`). A worker
that dies cannot mark its stations offline, so every live worker looks, every heartbeat period,
for holders in the table that the bus no longer knows as alive, and marks their stations
disconnected. The sweep is idempotent (an UPDATE conditioned on the dead holder), so several
workers running it at once do no harm; it needs a bus that sees the whole cluster, so only the
Redis bus runs it (the in-memory bus of one process would take every other process for dead).
It holds no lease: every worker runs it (`periodic.py: PeriodicJob` without a lease keeper).
"""

import logging
from collections.abc import Sequence

from chargeyard.clock import Clock
from chargeyard.cluster.bus import Bus
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.stations.repository import connected_holders
from chargeyard.stations.service import disconnect_holders
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)


class PresenceSweeper(PeriodicJob):
    name = "cluster presence sweep"
    failure = "cluster presence sweep failed"

    def __init__(self, db: Database, bus: Bus, clock: Clock, period_s: float) -> None:
        super().__init__(None, period_s)
        self.db = db
        self.bus = bus
        self.clock = clock

    async def run_once(self) -> Sequence[str]:
        return await self.sweep()

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
