"""Fixtures for OCPP tests over real sockets: registered stations, booted sessions, event rows."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, RawStation, raw_station
from tests.support.payloads import fits
from tests.support.server import RunningServer

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}


class Stations:
    """Registers stations for one tenant and opens booted 1.6 sessions for them."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    async def register(self, **fields: Any) -> str:
        body = {"id": self.tenant.unique("CP"), "password": PASSWORD} | fields
        response = await self.tenant.api.post("/stations", json=body)
        assert response.status_code == 201, response.text
        return str(body["id"])

    @asynccontextmanager
    async def booted(self, station_id: str | None = None) -> AsyncIterator[RawStation]:
        station_id = station_id or await self.register()
        async with raw_station(self.tenant.server.ocpp_url, station_id) as station:
            assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
            yield station

    async def detail(self, station_id: str) -> dict[str, Any]:
        response = await self.tenant.api.get(f"/stations/{station_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 30) -> None:
    """Wait until `check` holds: for effects the server applies after answering (disconnects)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


async def events_of(server: RunningServer, station_id: str, type: str) -> list[dict[str, Any]]:
    """The `data` of every event row of one type about a station, oldest first; each fits its
    payload type (`events/payloads.py`), when the type has one."""
    db = Database(server.settings.database_url)
    try:
        async with db.reading() as uow:
            rows = await uow.session.scalars(
                select(Event.data)
                .where(Event.station_id == station_id, Event.type == type)
                .order_by(Event.seq)
            )
            found = [dict(row) for row in rows]
    finally:
        await db.dispose()
    for data in found:
        fits(type, data)
    return found
