"""Hostile values in every field of every command's body, sent to a station that is connected
(OCPP 1.6 and 2.0.1) and answers, so each value reaches the rendering of the OCPP payload and the
station's answer, not only the edge (tests/api/test_sweeps.py sends commands to an offline
station, refused before any payload is built). Each is answered 2xx or a 4xx problem document,
and the station stays connected. Values beyond the OCPP schema's lengths (20, 50, 500
characters) are tried with every field; the others are drawn as in tests/api/hostile.py."""

import json
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from tests.api.hostile import BODY_VALUES, judged, minimal_body, with_field
from tests.api.hostile import drawn as drawn_values
from tests.api.openapi_walk import operations
from tests.commands.conftest import register
from tests.commands.station import ScriptedStation, scripted_station
from tests.commands.v201.conftest import scripted_2x
from tests.conftest import Tenant

PAST_OCPP_LENGTHS = ["x" * 21, "x" * 51, "x" * 501, "é" * 30, ""]


def _online(
    tenant: Tenant, protocol: str
) -> AbstractAsyncContextManager[tuple[str, ScriptedStation]]:
    """A registered station, connected over `protocol` and answering every CALL."""

    @asynccontextmanager
    async def connected() -> AsyncIterator[tuple[str, ScriptedStation]]:
        station_id = await register(tenant)
        url = tenant.server.ocpp_url
        if protocol == "ocpp1.6":
            async with scripted_station(url, station_id) as station:
                yield station_id, station
        else:
            async with scripted_2x(url, station_id, protocol) as station:
                yield station_id, station

    return connected()


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
async def test_hostile_command_bodies_to_a_connected_station_are_answered(
    protocol: str, tenant: Tenant
) -> None:
    failures: list[str] = []
    headers = {"content-type": "application/json"}
    async with _online(tenant, protocol) as (station_id, _):
        for operation in await operations(tenant):
            if "/{station_id}/commands/" not in operation.path:
                continue
            body, item = minimal_body(operation)
            url = operation.url({"station_id": station_id, "evse_id": 1, "connector_id": 1})
            for name in (item or {}).get("properties", {}):
                values = PAST_OCPP_LENGTHS + drawn_values(BODY_VALUES, operation, name)
                for value in values:
                    content = json.dumps(with_field(body, name, value))
                    await judged(
                        tenant.api, "POST", url, failures, content=content, headers=headers
                    )
        still = (await tenant.api.get(f"/stations/{station_id}")).json()
        assert still["connected"] is True
    assert failures == []
