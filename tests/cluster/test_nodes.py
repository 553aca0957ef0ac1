"""Two real nodes on one PostgreSQL and one Redis: any node reaches any station, a node that dies
leaves its stations disconnected within seconds, and a station that moves closes its old socket."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from websockets.exceptions import ConnectionClosed

from tests.cluster.nodes import (
    ClusterTenant,
    cluster_database,
    cluster_tenant,
    command,
    node,
    register,
)
from tests.commands.station import ScriptedStation, scripted_station
from tests.support.server import ChildServer

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with cluster_database(tmp_path_factory.mktemp("cluster")) as url:
        yield url


@pytest.fixture(scope="module")
async def nodes(
    database_url: str, redis_server_url: str | None
) -> AsyncIterator[tuple[ChildServer, ChildServer]]:
    if redis_server_url is None:
        pytest.skip("redis-server is not on PATH and CHARGEYARD_TEST_REDIS_URL is not set")
    async with (
        node(database_url, redis_server_url, "node-a") as a,
        node(database_url, redis_server_url, "node-b") as b,
    ):
        yield a, b


@pytest.fixture
async def tenant(database_url: str) -> ClusterTenant:
    return await cluster_tenant(database_url)


async def connected(tenant: ClusterTenant, server: ChildServer, station_id: str) -> bool:
    async with tenant.api(server) as api:
        return bool((await api.get(f"/stations/{station_id}")).json()["connected"])


async def test_a_command_through_another_node_gets_the_stations_answer(
    nodes: tuple[ChildServer, ChildServer], tenant: ClusterTenant
) -> None:
    a, b = nodes
    await register(tenant, a, "CP-ON-A")
    async with scripted_station(a.ocpp_url, "CP-ON-A") as station:
        station.answers["DataTransfer"] = {"status": "Accepted", "data": "from A"}
        status, body = await command(
            tenant, b, "CP-ON-A", "data-transfer", {"vendor_id": "acme", "data": "ping"}
        )
        assert status == 200, body
        assert body["response"] == {"status": "Accepted", "data": "from A"}
        assert station.calls("DataTransfer") == [{"vendorId": "acme", "data": "ping"}]
        assert await connected(tenant, b, "CP-ON-A")

        station.errors["Reset"] = "NotImplemented"
        status, body = await command(tenant, b, "CP-ON-A", "reset", {"type": "soft"})
        assert status == 502 and "NotImplemented" in str(body["detail"])

        station.silent.add("ClearCache")
        status, body = await command(tenant, b, "CP-ON-A", "clear-cache", {})
        assert status == 504, body


async def test_a_station_that_moves_closes_its_old_socket(
    nodes: tuple[ChildServer, ChildServer], tenant: ClusterTenant
) -> None:
    a, b = nodes
    await register(tenant, a, "CP-MOVES")
    async with (
        scripted_station(a.ocpp_url, "CP-MOVES") as old,
        scripted_station(b.ocpp_url, "CP-MOVES") as new,
    ):
        async with asyncio.timeout(10):
            await old.socket.wait_closed()
        assert old.socket.close_code == 1000
        assert old.socket.close_reason == "replaced by a new connection"
        # The old socket's teardown on A did not mark the station offline, and A now
        # reaches it on B.
        assert await connected(tenant, a, "CP-MOVES")
        status, body = await command(tenant, a, "CP-MOVES", "clear-cache", {})
        assert status == 200, body
        assert len(new.calls("ClearCache")) == 1
        assert old.calls("ClearCache") == []


async def test_a_dead_nodes_stations_are_offline_within_seconds(
    nodes: tuple[ChildServer, ChildServer],
    tenant: ClusterTenant,
    database_url: str,
    redis_server_url: str,
) -> None:
    _a, b = nodes
    async with node(database_url, redis_server_url, "node-c") as c:
        await register(tenant, c, "CP-ON-C")
        async with scripted_station(c.ocpp_url, "CP-ON-C") as station:
            status, _ = await command(tenant, b, "CP-ON-C", "clear-cache", {})
            assert status == 200
            await c.kill()
            async with asyncio.timeout(20):
                while True:  # 409 at once, not a wait for the call timeout
                    status, body = await command(tenant, b, "CP-ON-C", "clear-cache", {})
                    if status == 409:
                        break
                    assert status in (200, 504), body
            async with asyncio.timeout(20):
                while await connected(tenant, b, "CP-ON-C"):  # noqa: ASYNC110 - a REST poll
                    await asyncio.sleep(0.1)
            await _closed(station)


async def _closed(station: ScriptedStation) -> None:
    try:
        async with asyncio.timeout(10):
            await station.socket.wait_closed()
    except (ConnectionClosed, TimeoutError):
        pass
