"""A rolling restart of one node of a cluster refuses no station (issue 16, item 4).

Two real nodes on one PostgreSQL and one Redis, behind a round-robin TCP load balancer that skips
a backend refusing connections (nginx's `proxy_next_upstream error`). Simulated stations, 1.6 and
2.0.1 mixed, connect through it. SIGTERM to node A drains it: its stations get a 1012 close,
reconnect with the simulator's backoff, and the balancer places them on node B. Every station is
back and booted on B within a bound, no attempt to come online failed (a refused or unplaced
connection, an HTTP refusal, a socket closed before the boot was answered), a command through B
reaches a station that was on A, and a transaction open across the move ends on B. Then A starts
again and B is drained: the same the other way.
"""

import asyncio
import signal
from collections.abc import AsyncIterator

import pytest

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.call_record import CallOutcome
from chargeyard.simulator.connector import StopReason
from tests.cluster.nodes import ClusterTenant, cluster_database, cluster_tenant, command, node
from tests.support.balancer import Backend, RoundRobinBalancer, round_robin_balancer
from tests.support.ocpp_client import PASSWORD
from tests.support.redis import REDIS_ENV
from tests.support.rolling_fleet import RollingFleet
from tests.support.server import ChildServer

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

STATIONS = 40
BACK_WITHIN_S = 60.0
"""Far above the few seconds a move takes (the drain, then the 0.5-1.5 s first backoff), so a
loaded CI machine does not fail the test; a refused station would retry after 2-30 s more and
is counted as a failure whatever the time."""

STOP_ACTIONS = {"StopTransaction", "TransactionEvent"}


@pytest.fixture
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with cluster_database(tmp_path_factory.mktemp("rolling")) as url:
        yield url


async def test_a_rolling_restart_refuses_no_station(
    database_url: str, redis_server_url: str | None
) -> None:
    if redis_server_url is None:
        pytest.skip(f"redis-server is not on PATH and {REDIS_ENV} is not set")
    tenant = await cluster_tenant(database_url)
    async with (
        node(database_url, redis_server_url, "node-a") as a,
        node(database_url, redis_server_url, "node-b") as b,
    ):
        ids = [f"ROLL{n:03d}" for n in range(STATIONS)]
        await _register(tenant, a, ids)
        backends = {a: Backend("127.0.0.1", a.port), b: Backend("127.0.0.1", b.port)}
        async with round_robin_balancer(list(backends.values())) as balancer:
            fleet = RollingFleet(balancer.ocpp_url, ids, PASSWORD)
            fleet.start()
            try:
                async with asyncio.timeout(BACK_WITHIN_S):
                    await fleet.wait_online(ids)
                assert fleet.failures() == {}
                placed = {sid: balancer.backend_of(f"/ocpp/{sid}") for sid in ids}
                assert set(placed.values()) == set(backends.values())  # round robin: both

                # A restart is a drain, then the node back: the same twice, each way once.
                charged = await _roll(tenant, fleet, balancer, a, b, backends, set())
                await a.start()
                await _roll(tenant, fleet, balancer, b, a, backends, charged)
                assert balancer.placements.unplaced == 0
                assert fleet.recorder.boots_unanswered == 0
            finally:
                await fleet.stop()


async def _roll(
    tenant: ClusterTenant,
    fleet: RollingFleet,
    balancer: RoundRobinBalancer,
    drained: ChildServer,
    survivor: ChildServer,
    backends: dict[ChildServer, Backend],
    charged: set[str],
) -> set[str]:
    """SIGTERM `drained` and check that its stations moved to `survivor` with nothing lost;
    returns the stations that charged across the move."""
    moving = [
        sid for sid in fleet.stations if balancer.backend_of(f"/ocpp/{sid}") == backends[drained]
    ]
    assert moving, "the balancer placed no station on the node about to restart"
    # A transaction open across the move, on a 1.6 and a 2.0.1 station that never charged.
    charging = _one_of_each_version(fleet, [sid for sid in moving if sid not in charged])
    for sid in charging:
        station = fleet.stations[sid]
        await station.plug_in(1)
        started = await station.begin_transaction(1, _tag(sid), EVBattery(MID_SIZE_EV, 0.3))
        assert started, (sid, {k: v for k, v in fleet.recorder.last.items() if k[0] == sid})
    marks = fleet.marks()

    assert drained.process is not None
    drained.process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(BACK_WITHIN_S):
        await fleet.wait_online(moving, since=marks)
        await asyncio.wait_for(drained.process.wait(), BACK_WITHIN_S)
    assert fleet.failures() == {}
    assert balancer.placements.unplaced == 0
    assert {balancer.backend_of(f"/ocpp/{sid}") for sid in fleet.stations} == {backends[survivor]}
    async with tenant.api(survivor) as api:
        for sid in fleet.stations:
            body = (await api.get(f"/stations/{sid}")).json()
            assert body["connected"] is True, (sid, body)

    # A command through the survivor reaches a station that was on the drained node.
    for sid in charging:
        status, body = await command(tenant, survivor, sid, "clear-cache", {})
        assert status == 200, body

    # The sessions opened before the move end on the survivor.
    for sid in charging:
        station = fleet.stations[sid]
        await station.end_transaction(1, StopReason.LOCAL)
        await station.unplug(1)
        stops = {
            outcome
            for (station_id, action), outcome in fleet.recorder.last.items()
            if station_id == sid and action in STOP_ACTIONS
        }
        assert stops == {CallOutcome.ANSWERED}, (sid, stops)
    async with tenant.api(survivor) as api:
        for sid in charging:
            response = await api.get("/transactions", params={"station_id": sid})
            assert response.status_code == 200, response.text
            transactions = response.json()["items"]
            assert transactions, sid
            assert all(t["stopped_at"] is not None for t in transactions), transactions
    return set(charging)


def _one_of_each_version(fleet: RollingFleet, moving: list[str]) -> list[str]:
    chosen: dict[type, str] = {}
    for sid in moving:
        chosen.setdefault(type(fleet.stations[sid]), sid)
    return list(chosen.values())


async def _register(tenant: ClusterTenant, server: ChildServer, ids: list[str]) -> None:
    async with tenant.api(server) as api:
        for sid in ids:
            response = await api.post("/id-tags", json={"value": _tag(sid)})
            assert response.status_code == 201, response.text
            response = await api.post("/stations", json={"id": sid, "password": PASSWORD})
            assert response.status_code == 201, response.text


def _tag(station_id: str) -> str:
    return f"TAG-{station_id}"
