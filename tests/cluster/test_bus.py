"""The bus contract, run on both implementations: presence that expires, and channels."""

import asyncio
import uuid

from tests.cluster.conftest import MakeBus, die


def station() -> str:
    return f"CP-{uuid.uuid4().hex[:8]}"


async def test_a_claim_names_the_live_worker_it_takes_the_station_from(make_bus: MakeBus) -> None:
    a, b = await make_bus(), await make_bus()
    cp = station()
    assert await a.claim(cp) is None
    assert await a.claim(cp) is None  # claiming again is no takeover
    assert await b.holder(cp) == a.worker_id
    assert await b.claim(cp) == a.worker_id
    assert await a.holder(cp) == b.worker_id


async def test_release_forgets_only_a_station_still_held(make_bus: MakeBus) -> None:
    a, b = await make_bus(), await make_bus()
    cp = station()
    await a.claim(cp)
    await b.claim(cp)
    assert await a.release(cp) is False  # moved to b: a's teardown is no disconnection
    assert await a.holder(cp) == b.worker_id
    assert await b.release(cp) is True
    assert await a.holder(cp) is None
    assert await b.release(cp) is False


async def test_a_dead_workers_stations_are_held_by_nobody(make_bus: MakeBus) -> None:
    a, b = await make_bus(), await make_bus()
    cp = station()
    await a.claim(cp)
    await die(a)
    async with asyncio.timeout(10):
        while await b.holder(cp) is not None:  # noqa: ASYNC110 - expiry in Redis signals nothing
            await asyncio.sleep(0.05)
    assert await b.alive([a.worker_id, b.worker_id]) == {b.worker_id}
    assert await b.claim(cp) is None  # nobody to close a socket on
    assert await a.holder(cp) == b.worker_id


async def test_a_stopped_worker_is_gone_at_once(make_bus: MakeBus) -> None:
    a, b = await make_bus(), await make_bus()
    cp = station()
    await a.claim(cp)
    assert await b.alive([a.worker_id]) == {a.worker_id}
    await a.stop()
    assert await b.alive([a.worker_id]) == set()
    assert await b.holder(cp) is None


async def test_publish_reaches_current_subscribers_and_counts_them(make_bus: MakeBus) -> None:
    a, b = await make_bus(), await make_bus()
    channel = f"chargeyard:test:{uuid.uuid4().hex}"
    assert await a.publish(channel, b"nobody") == 0
    async with b.subscribe(channel) as messages, a.subscribe(channel) as own:
        assert await a.publish(channel, b"one") == 2
        assert await b.publish(channel, b"two") == 2
        async with asyncio.timeout(10):
            assert [await anext(messages), await anext(messages)] == [b"one", b"two"]
            assert await anext(own) == b"one"
    assert await a.publish(channel, b"after") == 0
