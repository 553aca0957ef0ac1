"""What only the Redis bus does: a worker whose presence lapsed (missed heartbeats, or Redis
restarted empty) claims its stations again and says so, without taking one that moved."""

import uuid

from redis.asyncio import Redis

from chargeyard.cluster.redis_bus import RedisBus


async def test_a_lapsed_worker_claims_its_stations_again(redis_url: str) -> None:
    here = RedisBus(redis_url, f"test:{uuid.uuid4().hex[:8]}", ttl_s=30, heartbeat_s=30)
    there = RedisBus(redis_url, f"test:{uuid.uuid4().hex[:8]}", ttl_s=30, heartbeat_s=30)
    revived: list[set[str]] = []

    async def hear(stations: set[str]) -> None:
        revived.append(stations)

    here.on_revived(hear)
    await here.start()
    await there.start()
    client = Redis.from_url(redis_url)
    try:
        kept, moved, gone = (f"CP-{uuid.uuid4().hex[:8]}" for _ in range(3))
        for station in (kept, moved, gone):
            await here.claim(station)
        await here.release(gone)
        await here._beat()
        assert revived == []  # an ordinary beat
        # Redis forgets this worker and its station keys, as after a restart without persistence;
        # meanwhile `moved` connects to another worker.
        await client.delete(f"chargeyard:worker:{here.worker_id}", f"chargeyard:station:{kept}")
        await there.claim(moved)
        assert await there.holder(kept) is None
        await here._beat()
        assert revived == [{kept}]  # `moved` is another worker's now
        assert await there.holder(kept) == here.worker_id
        assert await there.holder(moved) == there.worker_id
        assert await there.holder(gone) is None
    finally:
        await client.aclose()
        await here.stop()
        await there.stop()
