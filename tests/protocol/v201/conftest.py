"""Fixtures for OCPP 2.0.1 / 2.1 tests: booted sessions and payload factories."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.support.ocpp_client import RawStation, raw_station

BOOT_201 = {
    "chargingStation": {
        "vendorName": "Acme",
        "model": "Wallbox 2x22",
        "serialNumber": "SN-201",
        "firmwareVersion": "2.4.1",
        "modem": {"iccid": "89490200001234567890", "imsi": "262011234567890"},
    },
    "reason": "PowerUp",
}


def sampled(value: float, context: str = "Sample.Periodic", **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "context": context,
        "measurand": "Energy.Active.Import.Register",
    } | extra


def meter(timestamp: str, *samples: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"timestamp": timestamp, "sampledValue": list(samples)}]


def tx_event(
    event_type: str,
    tx_id: str,
    seq_no: int,
    timestamp: str,
    *,
    trigger: str = "Authorized",
    **fields: Any,
) -> dict[str, Any]:
    info = {"transactionId": tx_id} | fields.pop("info", {})
    return {
        "eventType": event_type,
        "timestamp": timestamp,
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": info,
    } | fields


class V2Stations(Stations):
    """Registers stations for one tenant and opens booted 2.x sessions for them."""

    @asynccontextmanager
    async def booted_v2(
        self, station_id: str | None = None, subprotocol: str = "ocpp2.0.1"
    ) -> AsyncIterator[RawStation]:
        station_id = station_id or await self.register()
        async with raw_station(
            self.tenant.server.ocpp_url, station_id, subprotocol=subprotocol
        ) as station:
            assert (await station.ok("BootNotification", BOOT_201))["status"] == "Accepted"
            station.station_id = station_id  # type: ignore[attr-defined]
            yield station


@pytest.fixture
def v2(tenant: Tenant) -> V2Stations:
    return V2Stations(tenant)


@pytest.fixture(params=["ocpp2.0.1", "ocpp2.1"])
def subprotocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)
