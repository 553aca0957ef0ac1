"""Fixtures for the messages only OCPP 2.1 has: booted 2.1 stations, answers checked against
2.1's response schemas, and REST reads."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from jsonschema.exceptions import best_match
from ocpp.messages import get_validator

from tests.conftest import Tenant
from tests.protocol.v201.conftest import V2Stations, tx_event
from tests.support.ocpp_client import RawStation

CALLRESULT = 3
NOW = "2026-03-01T10:00:00Z"


async def answer(station: RawStation, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Send a CALL that must succeed; its CALLRESULT payload, valid against 2.1's schema."""
    result = await station.ok(action, payload)
    error = best_match(get_validator(CALLRESULT, action, "2.1").iter_errors(result))
    assert error is None, f"{action} answer {result} breaks the schema: {error.message}"
    return result


async def items(tenant: Tenant, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await tenant.api.get(path, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def start_transaction(station: RawStation, tx_id: str, evse_id: int = 1) -> None:
    started = tx_event(
        "Started",
        tx_id,
        0,
        NOW,
        evse={"id": evse_id, "connectorId": 1},
        idToken={"idToken": "V21TAG", "type": "ISO14443"},
    )
    await station.ok("TransactionEvent", started)


class V21Stations:
    def __init__(self, stations: V2Stations) -> None:
        self.stations = stations

    @asynccontextmanager
    async def booted(self) -> AsyncIterator[tuple[str, RawStation]]:
        async with self.stations.booted_v2(subprotocol="ocpp2.1") as station:
            yield station.station_id, station  # type: ignore[attr-defined]


@pytest.fixture
def v21(tenant: Tenant) -> V21Stations:
    return V21Stations(V2Stations(tenant))
