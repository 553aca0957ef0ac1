"""SIGTERM drains a node (issue 16, item 4): every station socket gets a 1012 close at once,
the process exits within the drain bound, and the database shows the stations disconnected,
written in one go by the lifespan, with their `station.disconnected` events. In a cluster the
closes are paced so the other nodes admit the moving stations (tests/cluster/test_rolling_restart.py);
a single node closes them all at once."""

import asyncio
import math
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

import chargeyard.protocol.server as station_server
from chargeyard.events.models import Event
from chargeyard.protocol.connections import DrainPacer, drain_close_rate
from chargeyard.settings import Settings
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.server import ChildServer, RunningServer, free_port, in_process_server

STATIONS = 50


async def test_sigterm_closes_every_station_with_1012_and_marks_them_disconnected(
    tmp: Path,
) -> None:
    async with fresh_database(tmp) as url:
        child = ChildServer(
            url,
            free_port(),
            env={"CHARGEYARD_NODE_ID": "drain-node", "CHARGEYARD_SHUTDOWN_DRAIN_S": "5"},
        )
        await child.start()
        sockets: list[ClientConnection] = []
        try:
            tenants = make_tenant(
                RunningServer(child.base_url, child.ocpp_url, Settings(database_url=url))
            )
            tenant = await anext(tenants)
            ids = [tenant.unique("DRAIN") for _ in range(STATIONS)]
            for station_id in ids:
                body = {"id": station_id, "security_profile": 0}
                assert (await tenant.api.post("/stations", json=body)).status_code == 201
            await tenants.aclose()
            for station_id in ids:
                sockets.append(
                    await connect(
                        f"{child.ocpp_url}/{station_id}",
                        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                        open_timeout=30,
                    )
                )
            deadline = asyncio.get_running_loop().time() + 60
            while await connected_count(url, ids) < STATIONS:  # committed after the accept
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0.1)

            assert child.process is not None
            child.process.send_signal(signal.SIGTERM)
            # Bounds against a hang, far above the 5 s drain on a loaded machine.
            await asyncio.wait_for(
                asyncio.gather(*(socket.wait_closed() for socket in sockets)), 60
            )
            assert {socket.close_code for socket in sockets} == {1012}
            # uvicorn re-raises the SIGTERM once it has shut down cleanly: that is the status.
            assert await asyncio.wait_for(child.process.wait(), 60) in (0, -signal.SIGTERM)

            assert await connected_count(url, ids) == 0
            assert await disconnected_events(url, ids) == STATIONS
        finally:
            for socket in sockets:
                await socket.close()
            await child.stop()


async def connected_count(url: str, ids: list[str]) -> int:
    db = Database(url)
    try:
        async with db.reading() as uow:
            count = await uow.session.scalar(
                select(func.count())
                .select_from(Station)
                .where(Station.id.in_(ids), Station.connected.is_(True))
            )
            return int(count or 0)
    finally:
        await db.dispose()


async def disconnected_events(url: str, ids: list[str]) -> int:
    db = Database(url)
    try:
        async with db.reading() as uow:
            count = await uow.session.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.station_id.in_(ids), Event.type == "station.disconnected")
            )
            return int(count or 0)
    finally:
        await db.dispose()


def test_a_cluster_drain_paces_its_closes_within_the_drain() -> None:
    pacer = DrainPacer(rate=100.0, within_s=8.0)
    delays = [pacer.next_delay() for _ in range(1000)]
    assert delays[:3] == [0.0, 0.01, 0.02]
    assert delays == sorted(delays)
    assert max(delays) == 8.0  # 1,000 at 100/s would take 10 s: the drain's share bounds it


def test_a_single_node_closes_every_station_at_once() -> None:
    single = Settings(database_url="sqlite+aiosqlite://", shutdown_close_rate=50)
    clustered = single.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    assert drain_close_rate(single) == math.inf
    assert drain_close_rate(clustered) == 50
    assert DrainPacer(drain_close_rate(single), 8.0).next_delay() == 0.0


async def test_a_handshake_still_being_admitted_at_shutdown_is_told_to_come_back(
    tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a 500: nothing went wrong with the station, it should connect again (to another node
    in a cluster, or to this one once it has restarted)."""
    admitting = asyncio.Event()

    async def admission_that_never_ends(*_args: Any, **_kwargs: Any) -> None:
        admitting.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(station_server, "admit", admission_that_never_ends)
    async with fresh_database(tmp) as url:
        settings = Settings(database_url=url, port=free_port(), shutdown_drain_s=1)
        async with in_process_server(settings) as running:
            url_ = f"{running.ocpp_url}/HS-1"

            async def handshake() -> ClientConnection:
                return await connect(url_, subprotocols=["ocpp1.6"], open_timeout=60)  # type: ignore[list-item]

            attempt = asyncio.create_task(handshake())
            async with asyncio.timeout(30):
                await admitting.wait()
        # Leaving the block shut the server down while the handshake waited for admission.
        with pytest.raises(InvalidStatus) as refused:
            await attempt
    assert refused.value.response.status_code == 503
    assert refused.value.response.headers["Retry-After"] == "1"
