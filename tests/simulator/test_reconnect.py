"""The simulator survives its CSMS dying mid-session (issue 16, item 5): a call on a dropped
socket is `StationOffline` (never a websockets exception), the station reconnects with backoff
when the CSMS is back, boots again, and delivers the StopTransaction it kept: the session the
CSMS holds ends closed."""

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from ocpp.v16 import call
from websockets.exceptions import ConnectionClosedError

from chargeyard.settings import Settings
from chargeyard.simulator import SimulatedStation, StationOffline
from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.call_record import CallLog, CallOutcome
from chargeyard.simulator.clock import SystemClock
from chargeyard.simulator.connection import CsmsConnection, TimedSocket
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.reconnect import Backoff, keep_online
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD
from tests.support.server import ChildServer, RunningServer, free_port


@asynccontextmanager
async def child_server(tmp: Path) -> AsyncIterator[tuple[ChildServer, Tenant]]:
    async with fresh_database(tmp) as url:
        child = ChildServer(url, free_port(), env={"CHARGEYARD_NODE_ID": "reconnect-node"})
        await child.start()
        tenants = make_tenant(
            RunningServer(child.base_url, child.ocpp_url, Settings(database_url=url))
        )
        try:
            yield child, await anext(tenants)
        finally:
            await tenants.aclose()
            await child.stop()


async def transactions(tenant: Tenant, station_id: str) -> list[dict[str, object]]:
    response = await tenant.api.get("/transactions", params={"station_id": station_id})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_backoff_doubles_to_thirty_seconds_with_jitter() -> None:
    backoff = Backoff(random.Random(1))
    waits = [backoff.next() for _ in range(8)]
    bases = [1, 2, 4, 8, 16, 30, 30, 30]
    assert all(0.5 * b <= w <= 1.5 * b for w, b in zip(waits, bases, strict=True))
    backoff.reset()
    assert backoff.next() <= 1.5


async def test_a_station_charging_through_a_csms_crash_closes_its_session(tmp: Path) -> None:
    async with child_server(tmp) as (child, tenant):
        station_id = tenant.unique("SIM")
        for path, body in (
            ("/stations", {"id": station_id, "password": PASSWORD}),
            ("/id-tags", {"value": "TAG-RECONNECT"}),
        ):
            response = await tenant.api.post(path, json=body)
            assert response.status_code == 201, response.text
        station = SimulatedStation(child.ocpp_url, station_id, password=PASSWORD)
        keeper: asyncio.Task[None] | None = None
        try:
            keeper = asyncio.create_task(keep_online(station, Backoff(random.Random(0))))
            for _ in range(600):
                if station.connected:
                    break
                await asyncio.sleep(0.05)
            await station.plug_in(1)
            assert await station.begin_transaction(1, "TAG-RECONNECT", EVBattery(MID_SIZE_EV, 0.3))
            [open_tx] = await transactions(tenant, station_id)
            assert open_tx["stopped_at"] is None

            await child.kill()
            # Whatever the moment of the drop, a CALL fails as the simulator's own error.
            with pytest.raises(StationOffline):
                for _ in range(100):
                    await station.report_meter(1)
                    await asyncio.sleep(0.05)
            await station.end_transaction(1, StopReason.LOCAL)  # kept for later

            await child.start()
            deadline = asyncio.get_running_loop().time() + 120  # backoff reaches 30 s
            while (await transactions(tenant, station_id))[0]["stopped_at"] is None:
                assert asyncio.get_running_loop().time() < deadline, "the stop never arrived"
                assert not keeper.done(), keeper
                await asyncio.sleep(0.2)
            [closed] = await transactions(tenant, station_id)
            assert closed["id"] == open_tx["id"] and closed["stop_reason"] == "Local"
            detail = await tenant.api.get(f"/stations/{station_id}")
            assert detail.json()["connected"] is True
        finally:
            if keeper is not None:
                keeper.cancel()
                await asyncio.gather(keeper, return_exceptions=True)
            await station.close()


class _DroppingSession:
    """An OCPP session whose socket is already gone when the CALL's frame goes out."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()

    async def start(self) -> None:
        await self.stopped.wait()

    async def call(self, payload: object, suppress: bool = True, unique_id: str | None = None):  # type: ignore[no-untyped-def]
        raise ConnectionClosedError(None, None)


class _Socket:
    async def close(self) -> None:
        pass


async def test_a_call_on_a_socket_closed_under_it_is_station_offline() -> None:
    session = _DroppingSession()
    log = CallLog()
    connection = CsmsConnection(
        "CP",
        _Socket(),
        TimedSocket(_Socket()),
        session,
        log,
        SystemClock(),  # type: ignore[arg-type]
    )
    with pytest.raises(StationOffline):
        await connection.call(call.Heartbeat())
    assert [r.outcome for r in log.records] == [CallOutcome.DISCONNECTED]
    session.stopped.set()
    await connection.wait_closed()
