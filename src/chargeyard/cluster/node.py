"""`ClusterNode`: this process's place in the cluster, built from the settings.

With `redis_url` the bus is Redis (several workers and nodes share it) and this worker's id is
`node_id:pid`, unique among the workers of a node; without it the bus is in memory, the worker
id is the node id, and this process is the whole cluster. `start` announces the worker and
clears what the stations table says this worker id held before (a restart), then, on Redis,
sweeps the stations of workers that died.
"""

import os

from chargeyard.clock import Clock
from chargeyard.cluster.bus import Bus
from chargeyard.cluster.dispatcher import ClusterDispatcher, Holds, RoundTrip
from chargeyard.cluster.mailbox import Mailbox
from chargeyard.cluster.memory import InMemoryBus
from chargeyard.cluster.presence import StationPresence
from chargeyard.cluster.redis_bus import RedisBus
from chargeyard.cluster.sweeper import PresenceSweeper
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.settings import Settings
from chargeyard.stations.repository import mark_held
from chargeyard.stations.service import disconnect_holders
from chargeyard.storage.database import Database


def worker_id_for(settings: Settings) -> str:
    if settings.worker_id:
        return settings.worker_id
    if settings.redis_url:
        return f"{settings.node_id}:{os.getpid()}"
    return settings.node_id


def bus_for(settings: Settings) -> Bus:
    worker_id = worker_id_for(settings)
    if settings.redis_url is None:
        return InMemoryBus(worker_id)
    return RedisBus(
        settings.redis_url,
        worker_id,
        ttl_s=settings.cluster_worker_ttl_s,
        heartbeat_s=settings.cluster_heartbeat_s,
    )


class ClusterNode:
    def __init__(self, settings: Settings, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.bus = bus_for(settings)
        self.mailbox = Mailbox(self.bus)
        self.presence = StationPresence(self.bus, self.mailbox)
        self.bus.on_revived(self._revived)
        self.sweeper = (
            PresenceSweeper(db, self.bus, clock, settings.cluster_heartbeat_s)
            if settings.redis_url
            else None
        )

    @property
    def worker_id(self) -> str:
        return self.bus.worker_id

    def dispatcher(
        self,
        local: Dispatcher,
        holds: Holds,
        on_round_trip: RoundTrip | None = None,
    ) -> ClusterDispatcher:
        return ClusterDispatcher(local, holds, self.bus, self.mailbox, on_round_trip)

    async def start(self) -> None:
        await self.bus.start()
        await self.mailbox.start()
        async with self.db.writing() as uow:
            await disconnect_holders(uow, [self.worker_id], self.clock)
            await uow.commit()
        if self.sweeper is not None:
            self.sweeper.start()

    async def _revived(self, station_ids: set[str]) -> None:
        async with self.db.writing() as uow:
            await mark_held(uow.session, station_ids, self.worker_id)
            await uow.commit()

    async def stop(self) -> None:
        if self.sweeper is not None:
            await self.sweeper.stop()
        await self.mailbox.stop()
        await self.bus.stop()
