"""Fixtures for 2.x command tests: a registered station online over OCPP 2.0.1 or 2.1, scripted
to answer every CSMS CALL from a table (accepting by default)."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import pytest
from websockets.asyncio.client import connect

from tests.commands.conftest import register
from tests.commands.station import ScriptedStation
from tests.commands.v201.answers import ACCEPTING
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, basic_auth

BOOT = {"chargingStation": {"vendorName": "Acme", "model": "Wallbox 22"}, "reason": "PowerUp"}
PROTOCOLS = ("ocpp2.0.1", "ocpp2.1")


class Online2x(Protocol):
    def __call__(
        self, protocol: str = ..., station_id: str | None = ...
    ) -> AbstractAsyncContextManager[tuple[str, ScriptedStation]]: ...


@asynccontextmanager
async def scripted_2x(
    ocpp_url: str, station_id: str, protocol: str
) -> AsyncIterator[ScriptedStation]:
    async with connect(
        f"{ocpp_url}/{station_id}",
        subprotocols=[protocol],  # type: ignore[list-item]
        additional_headers=basic_auth(station_id, PASSWORD),
        open_timeout=10,
    ) as socket:
        station = ScriptedStation(socket, answers=dict(ACCEPTING))
        try:
            assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
            yield station
        finally:
            await station.close()


@pytest.fixture
def online_2x(tenant: Tenant) -> Online2x:
    @asynccontextmanager
    async def connect_2x(
        protocol: str = "ocpp2.0.1", station_id: str | None = None
    ) -> AsyncIterator[tuple[str, ScriptedStation]]:
        station_id = station_id or await register(tenant)
        async with scripted_2x(tenant.server.ocpp_url, station_id, protocol) as station:
            yield station_id, station

    return connect_2x


async def start_transaction(
    station: ScriptedStation, id_tag: str, ocpp_tx: str = "TX-1", evse_id: int = 1
) -> None:
    """A TransactionEvent Started, as a station sends it when a session begins."""
    await station.ok(
        "TransactionEvent",
        {
            "eventType": "Started",
            "timestamp": "2026-01-01T10:00:00Z",
            "triggerReason": "Authorized",
            "seqNo": 0,
            "transactionInfo": {"transactionId": ocpp_tx},
            "evse": {"id": evse_id, "connectorId": 1},
            "idToken": {"idToken": id_tag, "type": "ISO14443"},
        },
    )


async def transaction_id(tenant: Tenant, station_id: str) -> int:
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == 1, listing
    return int(listing["items"][0]["id"])


def without(payload: dict[str, Any], key: str) -> dict[str, Any]:
    """`payload` minus a key whose value Chargeyard picks (a request id), which must be set."""
    assert isinstance(payload.get(key), int) and payload[key] > 0, payload
    return {k: v for k, v in payload.items() if k != key}
