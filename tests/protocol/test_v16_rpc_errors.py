"""OCPP-J errors under 1.6: each malformed frame gets its CALLERROR, and the connection lives on."""

import json
from typing import Any

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import BOOT, Stations
from tests.support.ocpp_client import RawStation, raw_station

STATUS = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
START = {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": "2026-01-01T00:00:00Z"}


async def still_usable(station: RawStation) -> None:
    answer = await station.call("Heartbeat", {})
    assert answer[0] == 3 and "currentTime" in answer[2], answer


@pytest.mark.parametrize(
    ("frame", "unique_id", "code"),
    [
        ('[2, "f1", "Heartbeat", {', "-1", "FormationViolation"),
        ('{"messageTypeId": 2}', "-1", "FormationViolation"),
        ('[2, "f2"]', "-1", "FormationViolation"),
        ('[2, 17, "Heartbeat", {}]', "-1", "FormationViolation"),
        (f'[2, "{"x" * 37}", "Heartbeat", {{}}]', "-1", "FormationViolation"),
        ('[7, "f3", "Heartbeat", {}]', "f3", "ProtocolError"),
        ('[2, "f4", "Heartbeat", []]', "f4", "FormationViolation"),
        ('[2, "f5", "Heartbeat", "{}"]', "f5", "FormationViolation"),
        ('[2, "f6", "Heartbeat"]', "f6", "FormationViolation"),
    ],
    ids=[
        "invalid-json",
        "not-an-array",
        "too-short",
        "id-not-a-string",
        "id-too-long",
        "unknown-message-type",
        "payload-array",
        "payload-string",
        "call-without-payload",
    ],
)
async def test_malformed_frames(stations: Stations, frame: str, unique_id: str, code: str) -> None:
    async with stations.booted() as station:
        answer = await station.send_raw(frame)
        assert answer[:3] == [4, unique_id, code]
        assert isinstance(answer[3], str) and answer[3]
        assert answer[4] == {}
        await still_usable(station)


async def test_duplicate_message_id_is_a_protocol_error(stations: Stations) -> None:
    async with stations.booted() as station:
        assert (await station.call("Heartbeat", {}, "same"))[0] == 3
        again = await station.call("Heartbeat", {}, "same")
        assert again[:3] == [4, "same", "ProtocolError"]
        await still_usable(station)


async def test_unknown_and_csms_only_actions(stations: Stations) -> None:
    async with stations.booted() as station:
        unknown = await station.call("MakeCoffee", {})
        assert unknown[2] == "NotImplemented"
        csms_only = await station.call("RemoteStartTransaction", {"idTag": "T"})
        assert csms_only[2] == "NotSupported"
        assert (await station.call("Reset", {"type": "Hard"}))[2] == "NotSupported"
        other_version = await station.call("TransactionEvent", {})
        assert other_version[2] == "NotImplemented"
        await still_usable(station)


@pytest.mark.parametrize(
    ("action", "payload", "code"),
    [
        ("BootNotification", {"chargePointVendor": "Acme"}, "ProtocolError"),
        ("StatusNotification", STATUS | {"connectorId": "1"}, "TypeConstraintViolation"),
        ("StatusNotification", STATUS | {"connectorId": 1.5}, "TypeConstraintViolation"),
        ("StartTransaction", START | {"meterStart": None}, "TypeConstraintViolation"),
        ("StatusNotification", STATUS | {"status": "Sleeping"}, "PropertyConstraintViolation"),
        ("StatusNotification", STATUS | {"colour": "red"}, "FormationViolation"),
        ("Authorize", {"idTag": "X" * 21}, "TypeConstraintViolation"),
        ("BootNotification", BOOT | {"chargePointVendor": "V" * 21}, "TypeConstraintViolation"),
        ("StartTransaction", START | {"timestamp": "yesterday"}, "TypeConstraintViolation"),
        (
            "StartTransaction",
            START | {"timestamp": "2026-13-01T00:00:00Z"},
            "TypeConstraintViolation",
        ),
        ("StatusNotification", STATUS | {"timestamp": "not a time"}, "TypeConstraintViolation"),
        (
            "StopTransaction",
            {"transactionId": 1, "meterStop": 1, "timestamp": ""},
            "TypeConstraintViolation",
        ),
    ],
    ids=[
        "missing-required",
        "string-for-integer",
        "float-for-integer",
        "null-for-integer",
        "bad-enum",
        "unknown-field",
        "id-tag-too-long",
        "vendor-too-long",
        "timestamp-words",
        "timestamp-month-13",
        "status-timestamp",
        "stop-empty-timestamp",
    ],
)
async def test_schema_violations(
    stations: Stations, action: str, payload: dict[str, Any], code: str
) -> None:
    async with stations.booted() as station:
        answer = await station.call(action, payload, "bad")
        assert answer[:3] == [4, "bad", code], answer
        await still_usable(station)


async def test_bad_meter_value_timestamp_stores_nothing(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    good = {"timestamp": "2026-01-01T00:00:00Z", "sampledValue": [{"value": "1"}]}
    bad = {"timestamp": "soon", "sampledValue": [{"value": "2"}]}
    async with stations.booted(station_id) as station:
        answer = await station.call("MeterValues", {"connectorId": 1, "meterValue": [good, bad]})
        assert answer[2] == "TypeConstraintViolation"
        await still_usable(station)
    stored = (await tenant.api.get("/meter-values", params={"station_id": station_id})).json()
    assert stored["total"] == 0


async def test_calls_before_an_accepted_boot_are_security_errors(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        for action, payload in [
            ("Heartbeat", {}),
            ("StatusNotification", STATUS),
            ("StartTransaction", START),
        ]:
            answer = await station.call(action, payload)
            assert answer[2] == "SecurityError", answer
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
        await still_usable(station)
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == 0


async def test_pending_station_is_held_until_an_operator_accepts_it(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register(registration_status="Pending")
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        pending = await station.ok("BootNotification", BOOT)
        assert pending["status"] == "Pending"
        assert pending["interval"] == 60
        assert (await station.call("Heartbeat", {}))[2] == "SecurityError"
        patched = await tenant.api.patch(
            f"/stations/{station_id}", json={"registration_status": "Accepted"}
        )
        assert patched.status_code == 200, patched.text
        # Still held: the station learns of its acceptance only by booting again.
        assert (await station.call("Heartbeat", {}))[2] == "SecurityError"
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
        await still_usable(station)


async def test_rejected_station_stays_rejected(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register(registration_status="Rejected")
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Rejected"
        assert (await station.call("Heartbeat", {}))[2] == "SecurityError"


async def test_answers_are_logged_in_order(stations: Stations) -> None:
    """Every CALL gets exactly one answer, in the order sent, even when interleaved with errors."""
    async with stations.booted() as station:
        frames = [
            json.dumps([2, "a", "Heartbeat", {}]),
            "garbage",
            json.dumps([2, "b", "Nope", {}]),
            json.dumps([2, "c", "Heartbeat", {}]),
        ]
        for frame in frames:
            await station.socket.send(frame)
        answers = [json.loads(await station.socket.recv()) for _ in frames]
    assert [(a[0], a[1]) for a in answers] == [(3, "a"), (4, "-1"), (4, "b"), (3, "c")]


async def test_nul_characters_are_refused_on_every_database(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        for action, payload in [
            ("StatusNotification", STATUS | {"info": "a\u0000b"}),
            ("Authorize", {"idTag": "A\u0000"}),
            ("StartTransaction", START | {"idTag": "A\u0000"}),
            ("DataTransfer", {"vendorId": "v", "data": "x\u0000y"}),
        ]:
            answer = await station.call(action, payload)
            assert answer[2] == "PropertyConstraintViolation", (action, answer)
        await still_usable(station)
    assert (await stations.detail(station_id))["evses"] == []
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == 0
