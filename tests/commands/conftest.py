"""Fixtures for command tests: a registered station, online as a scripted 1.6 station."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from tests.commands.station import ScriptedStation, scripted_station
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

Online = Callable[..., AbstractAsyncContextManager[tuple[str, ScriptedStation]]]


async def register(tenant: Tenant) -> str:
    station_id = tenant.unique("CP")
    response = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return station_id


@pytest.fixture
def online(tenant: Tenant) -> Online:
    @asynccontextmanager
    async def connect(station_id: str | None = None) -> AsyncIterator[tuple[str, ScriptedStation]]:
        station_id = station_id or await register(tenant)
        async with scripted_station(tenant.server.ocpp_url, station_id) as station:
            yield station_id, station

    return connect


async def start_transaction(station: ScriptedStation, id_tag: str, connector: int = 1) -> int:
    answer = await station.ok(
        "StartTransaction",
        {
            "connectorId": connector,
            "idTag": id_tag,
            "meterStart": 1000,
            "timestamp": "2026-01-01T10:00:00Z",
        },
    )
    return int(answer["transactionId"])


async def command(
    tenant: Tenant, station_id: str, name: str, body: dict[str, Any], **params: Any
) -> Any:
    return await tenant.api.post(
        f"/stations/{station_id}/commands/{name}", json=body, params=params
    )


Send = Callable[..., Awaitable[Any]]
