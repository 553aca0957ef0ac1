"""`RedisBus`: the cluster bus on one Redis server (redis-py's asyncio client).

Keys (all under `chargeyard:`):

- `worker:{worker_id}`: the worker's heartbeat, written every `heartbeat_s` with a `ttl`
  expiry; a worker whose key is gone is dead;
- `station:{station_id}`: the worker holding the station's socket. It has no expiry of its own
  (refreshing one key per station every few seconds would cost more than it saves): a holder
  counts only while its worker key exists, and the next claim overwrites a dead one.

Channels are Redis pub/sub channels: PUBLISH answers how many subscribers got the message, which
is how a sender learns that a worker's inbox has nobody reading it.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from chargeyard.cluster.bus import Bus, BusError
from chargeyard.tracked_tasks import cancel_and_wait

logger = logging.getLogger(__name__)

_WORKER = "chargeyard:worker:"
_STATION = "chargeyard:station:"

# Delete the station's key only if this worker still holds it (compare-and-delete, atomically).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# The station's holder, if that worker's heartbeat is still there: one round trip.
_HOLDER = """
local worker = redis.call('GET', KEYS[1])
if worker and redis.call('EXISTS', ARGV[1] .. worker) == 1 then return worker end
return false
"""


@contextlib.contextmanager
def _reached() -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError) as error:
        raise BusError(f"Redis: {error}") from error


class RedisBus(Bus):
    def __init__(self, url: str, worker_id: str, *, ttl_s: float, heartbeat_s: float) -> None:
        self.worker_id = worker_id
        self.ttl_ms = max(1, int(ttl_s * 1000))
        self.heartbeat_s = heartbeat_s
        self.redis: Redis = Redis.from_url(url)
        self._release = self.redis.register_script(_RELEASE)
        self._holder = self.redis.register_script(_HOLDER)
        self._heartbeat: asyncio.Task[None] | None = None
        self._held: set[str] = set()  # what to claim again if Redis forgot this worker
        self._started = False

    async def start(self) -> None:
        await self._beat()
        self._started = True
        self._heartbeat = asyncio.create_task(self._keep_beating(), name="cluster heartbeat")

    async def stop(self) -> None:
        await cancel_and_wait(self._heartbeat)
        with contextlib.suppress(RedisError, OSError):
            await self.redis.delete(_WORKER + self.worker_id)
        await self.redis.aclose()

    async def _beat(self) -> None:
        with _reached():
            previous = await self.redis.set(
                _WORKER + self.worker_id, b"1", px=self.ttl_ms, get=True
            )
            if previous is not None or not self._started:
                return
            # This worker's key had expired (or Redis restarted empty): peers took it for dead.
            # Claim its stations again, unless another worker has taken one meanwhile.
            order = list(self._held)
            logger.warning("cluster presence had lapsed; claiming %d stations again", len(order))
            async with self.redis.pipeline(transaction=False) as pipe:
                for station_id in order:
                    pipe.set(_STATION + station_id, self.worker_id, nx=True)
                    pipe.get(_STATION + station_id)
                results = await pipe.execute()
            holders = results[1::2]
            held = {
                sid
                for sid, worker in zip(order, holders, strict=True)
                if worker and _text(worker) == self.worker_id
            }
        if self.revived is not None and held:
            await self.revived(held)

    async def _keep_beating(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                await self._beat()
            except BusError as error:
                # Missed beats make this worker's stations read as offline elsewhere; the next
                # beat that gets through restores it.
                logger.warning("cluster heartbeat failed: %s", error)
            except Exception:
                logger.exception("restoring this worker's stations after a lapse failed")

    async def claim(self, station_id: str) -> str | None:
        self._held.add(station_id)
        with _reached():
            previous = await self.redis.set(_STATION + station_id, self.worker_id, get=True)
            if previous is None or _text(previous) == self.worker_id:
                return None
            worker = _text(previous)
            return worker if await self.redis.exists(_WORKER + worker) else None

    async def release(self, station_id: str) -> bool:
        self._held.discard(station_id)
        with _reached():
            return bool(await self._release(keys=[_STATION + station_id], args=[self.worker_id]))

    async def holder(self, station_id: str) -> str | None:
        with _reached():
            worker = await self._holder(keys=[_STATION + station_id], args=[_WORKER])
        return _text(worker) if worker else None

    async def alive(self, worker_ids: Collection[str]) -> set[str]:
        ids = list(worker_ids)
        if not ids:
            return set()
        with _reached():
            beats = await self.redis.mget([_WORKER + worker for worker in ids])
        return {worker for worker, beat in zip(ids, beats, strict=True) if beat is not None}

    async def publish(self, channel: str, data: bytes) -> int:
        with _reached():
            return int(await self.redis.publish(channel, data))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        pubsub = self.redis.pubsub()
        try:
            with _reached():
                await pubsub.subscribe(channel)
                # Entered only once Redis confirms: a publish after this point is heard.
                async with asyncio.timeout(10):
                    while await pubsub.get_message(timeout=1.0) is None:
                        pass
            yield _listen(pubsub, channel)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.unsubscribe(channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated


async def _listen(pubsub: Any, channel: str) -> AsyncIterator[bytes]:
    backoff = 0.1
    while True:
        try:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
        except (RedisError, OSError) as error:
            # redis-py reconnects and subscribes again on the next read.
            logger.warning("cluster channel %s lost its connection: %s", channel, error)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
            continue
        backoff = 0.1
        if message is not None and message["type"] == "message":
            yield bytes(message["data"])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
