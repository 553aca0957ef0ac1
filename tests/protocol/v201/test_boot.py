"""2.0.1 and 2.1 provisioning: subprotocol, boot, heartbeat, status, compression, errors."""

import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from chargeyard.protocol.connections import DEFLATE_WINDOW_BITS, STATION_WINDOW_BITS
from tests.conftest import Tenant
from tests.protocol.v201.conftest import BOOT_201, V2Stations
from tests.support.ocpp_client import PASSWORD, basic_auth, raw_station


async def test_boot_is_stored_with_station_info(v2: V2Stations, subprotocol: str) -> None:
    station_id = await v2.register()
    async with v2.booted_v2(station_id, subprotocol) as station:
        assert station.socket.subprotocol == subprotocol
        beat = await station.ok("Heartbeat", {})
        assert beat["currentTime"].endswith("Z")
        detail = await v2.detail(station_id)
    assert detail["protocol"] == subprotocol
    assert detail["vendor"] == "Acme" and detail["model"] == "Wallbox 2x22"
    assert detail["serial_number"] == "SN-201" and detail["firmware_version"] == "2.4.1"
    assert detail["iccid"] == "89490200001234567890" and detail["imsi"] == "262011234567890"


async def test_calls_before_boot_are_refused(v2: V2Stations) -> None:
    station_id = await v2.register()
    async with raw_station(v2.tenant.server.ocpp_url, station_id, subprotocol="ocpp2.0.1") as s:
        answer = await s.call("Heartbeat", {})
    assert answer[0] == 4 and answer[2] == "SecurityError"


async def test_status_notification_builds_topology(v2: V2Stations, subprotocol: str) -> None:
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        for evse_id, connector_id, status in (
            (1, 1, "Available"),
            (1, 2, "Occupied"),
            (2, 1, "Faulted"),
        ):
            await station.ok(
                "StatusNotification",
                {
                    "timestamp": "2026-01-01T10:00:00Z",
                    "connectorStatus": status,
                    "evseId": evse_id,
                    "connectorId": connector_id,
                },
            )
        detail = await v2.detail(station.station_id)  # type: ignore[attr-defined]
    evses = {e["evse_id"]: e for e in detail["evses"]}
    assert sorted(evses) == [1, 2]
    assert [c["connector_id"] for c in evses[1]["connectors"]] == [1, 2]
    assert evses[1]["status"] == "Occupied" and evses[2]["status"] == "Faulted"
    assert evses[1]["connectors"][1]["ocpp_status"] == "Occupied"


async def test_2x_error_codes_are_spelled_the_2x_way(v2: V2Stations, subprotocol: str) -> None:
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        missing = await station.call("StatusNotification", {"timestamp": "2026-01-01T10:00:00Z"})
        extra = await station.call("Heartbeat", {"unexpected": 1})
        bad_type = await station.send_raw(json.dumps([9, "x1", "Heartbeat", {}]))
        not_json = await station.send_raw("[2, ")
    assert missing[2] == "OccurrenceConstraintViolation"
    assert extra[2] == "FormatViolation"
    assert bad_type[:3] == [4, "x1", "MessageTypeNotSupported"]
    assert not_json[2] == "RpcFrameworkError"


def compressed(tenant: Tenant, station_id: str, **options: Any) -> connect:
    """A 2.0.1 station's socket offering permessage-deflate (websockets' default offer unless
    `extensions` says otherwise)."""
    return connect(
        f"{tenant.server.ocpp_url}/{station_id}",
        subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
        additional_headers=basic_auth(station_id, PASSWORD),
        **({"compression": "deflate"} | options),
    )


async def boot_and_send_meter_values(socket: ClientConnection) -> None:
    """Boot, then three MeterValues larger than either window, each referring back to the last
    one's history: every answer must come back."""
    await socket.send(json.dumps([2, "b1", "BootNotification", BOOT_201]))
    assert json.loads(await socket.recv())[2]["status"] == "Accepted"
    for n in range(3):
        await socket.send(json.dumps([2, f"m{n}", "MeterValues", METER_VALUES_5_KIB]))
        assert json.loads(await socket.recv()) == [3, f"m{n}", {}]


METER_VALUES_5_KIB = {
    "evseId": 1,
    "meterValue": [
        {
            "timestamp": "2026-12-07T10:00:00Z",
            "sampledValue": [
                {"value": 1000.0 + n, "measurand": "Energy.Active.Import.Register"}
                for n in range(80)
            ],
        }
    ],
}


async def test_permessage_deflate_is_negotiated(tenant: Tenant, v2: V2Stations) -> None:
    """RFC 7692: a client offering permessage-deflate gets it (2.0.1 requires it of a CSMS)."""
    station_id = await v2.register()
    async with compressed(tenant, station_id) as socket:
        assert socket.request is not None and socket.response is not None
        assert "permessage-deflate" in socket.request.headers["Sec-WebSocket-Extensions"]
        assert "permessage-deflate" in socket.response.headers["Sec-WebSocket-Extensions"]
        await socket.send(json.dumps([2, "b1", "BootNotification", BOOT_201]))
        answer = json.loads(await socket.recv())
    assert answer[0] == 3 and answer[2]["status"] == "Accepted"


async def test_compression_windows_are_small_and_frames_larger_than_them_pass(
    tenant: Tenant, v2: V2Stations
) -> None:
    """The server compresses with a 1 KiB window (zlib's state lives as long as the socket) and
    lets the station use 4 KiB: frames several windows long pass both ways' checks."""
    station_id = await v2.register()
    async with compressed(tenant, station_id) as socket:
        assert socket.response is not None
        agreed = socket.response.headers["Sec-WebSocket-Extensions"]
        assert f"server_max_window_bits={DEFLATE_WINDOW_BITS}" in agreed
        assert f"client_max_window_bits={STATION_WINDOW_BITS}" in agreed
        await boot_and_send_meter_values(socket)


async def test_a_client_that_keeps_its_own_window_is_still_understood(
    tenant: Tenant, v2: V2Stations
) -> None:
    """A client that does not offer client_max_window_bits compresses with zlib's full 32 KiB
    window (RFC 7692 7.1.2.2): the server may not shrink it, and inflates with it."""
    station_id = await v2.register()
    full_window = ClientPerMessageDeflateFactory(client_max_window_bits=None)
    async with compressed(tenant, station_id, compression=None, extensions=[full_window]) as socket:
        assert socket.response is not None
        agreed = socket.response.headers["Sec-WebSocket-Extensions"]
        assert "permessage-deflate" in agreed and "client_max_window_bits" not in agreed
        await boot_and_send_meter_values(socket)
