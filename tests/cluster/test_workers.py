"""`chargeyard serve --workers 2` on PostgreSQL and Redis: both workers hold stations, and a
command posted to whichever worker the kernel hands the request reaches every station."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.cluster.nodes import cluster_database, cluster_tenant, command, node, register
from tests.commands.station import ScriptedStation, scripted_station

MAX_STATIONS = 40


@pytest.fixture
async def database_url(tmp: Path) -> AsyncIterator[str]:
    async with cluster_database(tmp) as url:
        yield url


async def holders(redis_url: str, station_ids: list[str]) -> list[str | None]:
    client = Redis.from_url(redis_url, decode_responses=True)
    try:
        return list(await client.mget([f"chargeyard:station:{sid}" for sid in station_ids]))
    finally:
        await client.aclose()


async def test_two_workers_each_hold_stations_and_reach_all_of_them(
    database_url: str, redis_server_url: str | None
) -> None:
    if redis_server_url is None:
        pytest.skip("redis-server is not on PATH and CHARGEYARD_TEST_REDIS_URL is not set")
    tenant = await cluster_tenant(database_url)
    args = ("--workers", "2")
    async with (
        node(database_url, redis_server_url, "node-w", args) as server,
        AsyncExitStack() as stack,
    ):
        stations: dict[str, ScriptedStation] = {}
        # The kernel spreads connections over the workers; connect until both hold some.
        while len(stations) < MAX_STATIONS:
            station_id = f"CP-W{len(stations):02d}"
            await register(tenant, server, station_id)
            stations[station_id] = await stack.enter_async_context(
                scripted_station(server.ocpp_url, station_id)
            )
            held = await holders(redis_server_url, list(stations))
            if len(stations) >= 4 and len(set(held)) >= 2:
                break
        held = await holders(redis_server_url, list(stations))
        assert None not in held
        workers = set(held)
        assert len(workers) == 2, f"{len(stations)} stations all on {workers}"
        assert all(str(worker).startswith("node-w:") for worker in workers)
        for round_ in range(3):
            results = await asyncio.gather(
                *(
                    command(tenant, server, sid, "data-transfer", {"vendor_id": f"r{round_}"})
                    for sid in stations
                )
            )
            assert [status for status, _ in results] == [200] * len(stations), results
        for station in stations.values():
            assert len(station.calls("DataTransfer")) == 3
