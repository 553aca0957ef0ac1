"""Frames that cannot hurt (issue 16, item 6): oversized messages close with 1009 and are
recorded; JSON nested thousands deep is a CALLERROR and the session lives on."""

import pytest
from websockets.exceptions import ConnectionClosedError

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, eventually
from tests.support.ocpp_client import raw_station

DEEP = '[2, "deep", "Heartbeat", ' + "[" * 10_000 + "]" * 10_000 + "]"


@pytest.mark.parametrize(
    ("subprotocol", "code"),
    [("ocpp1.6", "FormationViolation"), ("ocpp2.0.1", "FormatViolation")],
)
async def test_deeply_nested_json_is_a_format_error(
    stations: Stations, tenant: Tenant, subprotocol: str, code: str
) -> None:
    station_id = await stations.register()
    async with raw_station(tenant.server.ocpp_url, station_id, subprotocol=subprotocol) as station:
        answer = await station.send_raw(DEEP)
        assert answer[:3] == [4, "-1", code]
        assert "nested" in answer[3]
        # Still the same session: an ordinary CALL gets an ordinary answer (a CALLERROR
        # for "boot first", which only a live session can give).
        assert (await station.call("Heartbeat", {}))[0] in (3, 4)
        assert (await stations.detail(station_id))["connected"] is True


async def test_oversized_message_closes_with_1009_and_is_recorded(
    stations: Stations, tenant: Tenant
) -> None:
    limit = tenant.server.settings.ws_max_frame_bytes
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        payload = {"data": "x" * (limit + 1)}
        with pytest.raises(ConnectionClosedError) as closed:
            await station.call("DataTransfer", {"vendorId": "v"} | payload)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009

    async def recorded() -> bool:
        response = await tenant.api.get("/security-events", params={"station_id": station_id})
        return any(e["type"] == "InvalidMessages" for e in response.json()["items"])

    async def disconnected() -> bool:
        return (await stations.detail(station_id))["connected"] is False

    await eventually(recorded)
    await eventually(disconnected)


async def test_message_just_under_the_limit_is_read(stations: Stations, tenant: Tenant) -> None:
    async with stations.booted() as station:
        answer = await station.call("DataTransfer", {"vendorId": "v", "data": "x" * 60_000})
        assert answer[0] == 3
