"""`InMemoryBus`: the bus of one process (the default), and of several workers in one test.

Workers that share an `InMemoryHub` see each other's presence and channels; a bus built without
a hub gets its own, which is the whole cluster of a single process. Liveness has no clock here:
a worker is alive from `start` to `stop` (or until a test calls `hub.expire`).
"""

import asyncio
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from chargeyard.cluster.bus import Bus


@dataclass
class InMemoryHub:
    workers: set[str] = field(default_factory=set)
    holders: dict[str, str] = field(default_factory=dict)
    channels: dict[str, set[asyncio.Queue[bytes]]] = field(default_factory=dict)

    def expire(self, worker_id: str) -> None:
        """What a dead worker's missed heartbeats do on Redis."""
        self.workers.discard(worker_id)


class InMemoryBus(Bus):
    def __init__(self, worker_id: str, hub: InMemoryHub | None = None) -> None:
        self.worker_id = worker_id
        self.hub = hub or InMemoryHub()

    async def start(self) -> None:
        self.hub.workers.add(self.worker_id)

    async def stop(self) -> None:
        self.hub.expire(self.worker_id)

    async def claim(self, station_id: str) -> str | None:
        previous = self.hub.holders.get(station_id)
        self.hub.holders[station_id] = self.worker_id
        if previous in (None, self.worker_id) or previous not in self.hub.workers:
            return None
        return previous

    async def release(self, station_id: str) -> bool:
        if self.hub.holders.get(station_id) != self.worker_id:
            return False
        del self.hub.holders[station_id]
        return True

    async def holder(self, station_id: str) -> str | None:
        worker = self.hub.holders.get(station_id)
        return worker if worker in self.hub.workers else None

    async def alive(self, worker_ids: Collection[str]) -> set[str]:
        return set(worker_ids) & self.hub.workers

    async def publish(self, channel: str, data: bytes) -> int:
        queues = self.hub.channels.get(channel, set())
        for queue in queues:
            queue.put_nowait(data)
        return len(queues)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.hub.channels.setdefault(channel, set()).add(queue)
        try:
            yield _drain(queue)
        finally:
            self.hub.channels[channel].discard(queue)


async def _drain(queue: "asyncio.Queue[bytes]") -> AsyncIterator[bytes]:
    while True:
        yield await queue.get()
