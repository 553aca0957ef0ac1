"""`Bus`: the transport between the workers of a cluster, as one small abstract class.

Like an httpx transport it is the only I/O seam: everything above it (the mailbox, the cluster
dispatcher, presence and the sweeper) is written once and runs on either implementation:
`memory.py: InMemoryBus` (one process, the default, no service needed) and
`redis_bus.py: RedisBus` (several processes and nodes sharing one Redis).

A bus is bound to one worker (`worker_id`). It keeps two kinds of state:

- presence: each worker announces itself with a heartbeat that expires (a dead worker vanishes
  within `ttl`), and records which stations' sockets it holds; a station's holder counts only
  while the holder is alive;
- channels: `publish` sends bytes to whoever subscribes to a channel right now (at most once,
  nothing kept), and says how many listeners got it, so a sender knows when nobody is there.

Every failure of the transport itself (Redis unreachable) is a `BusError`.
"""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import AbstractAsyncContextManager

# Called with the stations this worker holds when its presence had lapsed and is back.
Revived = Callable[[set[str]], Awaitable[None]]


class BusError(Exception):
    """The bus could not be reached or refused an operation."""


class Bus(ABC):
    worker_id: str
    revived: Revived | None = None

    def on_revived(self, callback: Revived) -> None:
        """`callback(stations)` runs when this worker's presence had expired (missed heartbeats,
        a Redis restart) and is restored: peers may have marked its stations disconnected."""
        self.revived = callback

    @abstractmethod
    async def start(self) -> None:
        """Announce this worker (and keep announcing it until `stop`)."""

    @abstractmethod
    async def stop(self) -> None:
        """Withdraw this worker at once (its stations read as held by nobody) and disconnect."""

    @abstractmethod
    async def claim(self, station_id: str) -> str | None:
        """Record this worker as the station's holder; returns the previous holder when it is
        another worker that is still alive (whose old socket must be closed)."""

    @abstractmethod
    async def release(self, station_id: str) -> bool:
        """Forget the station if this worker still holds it; False when another worker has
        claimed it meanwhile (its socket moved: this worker's teardown must not say offline)."""

    @abstractmethod
    async def holder(self, station_id: str) -> str | None:
        """The live worker holding the station's socket, if any."""

    @abstractmethod
    async def alive(self, worker_ids: Collection[str]) -> set[str]:
        """Those of `worker_ids` whose heartbeat has not expired."""

    @abstractmethod
    async def publish(self, channel: str, data: bytes) -> int:
        """Send `data` to the channel's current subscribers; returns how many there were."""

    @abstractmethod
    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Listen to a channel: once entered, every later `publish` to it is received."""


def worker_channel(worker_id: str) -> str:
    """The channel a worker reads its requests, answers and notices from."""
    return f"chargeyard:worker:{worker_id}:inbox"
