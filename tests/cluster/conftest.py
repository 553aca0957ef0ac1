"""Cluster fixtures: a real Redis server for the run, and buses of both kinds."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from chargeyard.cluster.bus import Bus
from chargeyard.cluster.memory import InMemoryBus, InMemoryHub
from chargeyard.cluster.redis_bus import RedisBus
from tests.support.redis import REDIS_ENV, redis_server

NO_REDIS = f"redis-server is not on PATH and {REDIS_ENV} is not set"


@pytest.fixture(scope="session")
async def redis_server_url() -> AsyncIterator[str | None]:
    async with redis_server() as url:
        yield url


@pytest.fixture
def redis_url(redis_server_url: str | None) -> str:
    if redis_server_url is None:
        pytest.skip(NO_REDIS)
    return redis_server_url


MakeBus = Callable[[], Awaitable[Bus]]


@pytest.fixture(params=["memory", "redis"])
async def make_bus(
    request: pytest.FixtureRequest, redis_server_url: str | None
) -> AsyncIterator[MakeBus]:
    """Builds started buses of one kind that share one cluster; stopped after the test."""
    buses: list[Bus] = []
    hub = InMemoryHub()
    url = None
    if request.param == "redis":
        if redis_server_url is None:
            pytest.skip(NO_REDIS)
        url = redis_server_url

    async def make() -> Bus:
        worker = f"test:{uuid.uuid4().hex[:8]}"
        bus: Bus
        if url is None:
            bus = InMemoryBus(worker, hub)
        else:
            bus = RedisBus(url, worker, ttl_s=1.0, heartbeat_s=0.2)
        await bus.start()
        buses.append(bus)
        return bus

    yield make
    for bus in buses:
        await bus.stop()


async def die(bus: Bus) -> None:
    """What a SIGKILL does to a worker's presence: its heartbeat stops and then expires."""
    if isinstance(bus, InMemoryBus):
        bus.hub.expire(bus.worker_id)
    elif isinstance(bus, RedisBus) and bus._heartbeat is not None:
        bus._heartbeat.cancel()
