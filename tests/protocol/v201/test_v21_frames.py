"""OCPP 2.1's new message types: SEND (6) is stored, never answered; CALLRESULTERROR (5) is
heard, never answered. On 2.0.1 both are unknown message types."""

import json

from tests.conftest import Tenant
from tests.protocol.v201.conftest import V2Stations

STREAM = {
    "id": 4,
    "pending": 0,
    "basetime": "2026-01-01T10:00:00Z",
    "data": [{"t": 0.5, "v": "11.2"}, {"t": 1.5, "v": "11.4"}],
}


async def test_send_is_stored_and_not_answered(tenant: Tenant, v2: V2Stations) -> None:
    async with v2.booted_v2(subprotocol="ocpp2.1") as station:
        await station.socket.send(json.dumps([6, "s1", "NotifyPeriodicEventStream", STREAM]))
        await station.socket.send(json.dumps([6, "s2", "NotifyPeriodicEventStream", {"id": 5}]))
        await station.socket.send(json.dumps([5, "r1", "FormatViolation", "bad result", {}]))
        # The next answer on the socket is the heartbeat's: nothing answered the frames above.
        beat = await station.call("Heartbeat", {}, unique_id="after")
        sid = station.station_id  # type: ignore[attr-defined]
    assert beat[:2] == [3, "after"]
    streams = (await tenant.api.get(f"/stations/{sid}/event-streams")).json()["items"]
    assert [(s["stream_id"], s["value_count"]) for s in streams] == [(4, 2)]
    values = await tenant.api.get(f"/stations/{sid}/event-streams/{streams[0]['id']}/values")
    assert [v["value"] for v in values.json()["items"]] == ["11.2", "11.4"]


async def test_2_0_1_does_not_know_send(v2: V2Stations) -> None:
    async with v2.booted_v2(subprotocol="ocpp2.0.1") as station:
        send = await station.send_raw(json.dumps([6, "s1", "NotifyPeriodicEventStream", STREAM]))
        result_error = await station.send_raw(json.dumps([5, "r1", "FormatViolation", "x", {}]))
    assert send[:3] == [4, "s1", "MessageTypeNotSupported"]
    assert result_error[:3] == [4, "r1", "MessageTypeNotSupported"]


async def test_csms_to_station_message_is_known_but_not_supported(v2: V2Stations) -> None:
    async with v2.booted_v2(subprotocol="ocpp2.1") as station:
        answer = await station.call("ClearDERControl", {"isDefault": True})
    assert answer[0] == 4 and answer[2] == "NotSupported"
