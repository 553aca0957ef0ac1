"""Every 1.6 command over a real socket: what the station receives, and both of its answers."""

from typing import Any

import pytest

from tests.commands.conftest import Online, command
from tests.commands.station import REJECTING
from tests.conftest import Tenant

PROFILE = {
    "id": 12,
    "purpose": "TxDefaultProfile",
    "kind": "Relative",
    "stack_level": 1,
    "schedule": {"unit": "A", "periods": [{"start_offset_s": 0, "limit": 16, "number_phases": 3}]},
}

# (command, body, OCPP action, what the station must receive)
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "remote-start",
        {"id_tag": "TAG1", "evse_id": 1},
        "RemoteStartTransaction",
        {"idTag": "TAG1", "connectorId": 1},
    ),
    ("reset", {"type": "hard"}, "Reset", {"type": "Hard"}),
    ("unlock-connector", {"evse_id": 2}, "UnlockConnector", {"connectorId": 2}),
    (
        "change-availability",
        {"operative": False},
        "ChangeAvailability",
        {"connectorId": 0, "type": "Inoperative"},
    ),
    (
        "trigger-message",
        {"message": "StatusNotification", "evse_id": 1},
        "TriggerMessage",
        {"requestedMessage": "StatusNotification", "connectorId": 1},
    ),
    (
        "change-configuration",
        {"key": "HeartbeatInterval", "value": "60"},
        "ChangeConfiguration",
        {"key": "HeartbeatInterval", "value": "60"},
    ),
    ("clear-cache", {}, "ClearCache", {}),
    (
        "data-transfer",
        {"vendor_id": "com.acme", "message_id": "ping", "data": "x"},
        "DataTransfer",
        {"vendorId": "com.acme", "messageId": "ping", "data": "x"},
    ),
    (
        "send-local-list",
        {"update_type": "differential", "id_tags": ["GONE"], "version": 3},
        "SendLocalList",
        {
            "listVersion": 3,
            "updateType": "Differential",
            "localAuthorizationList": [{"idTag": "GONE"}],
        },
    ),
    (
        "set-charging-profile",
        {"evse_id": 1, "charging_profile": PROFILE},
        "SetChargingProfile",
        {
            "connectorId": 1,
            "csChargingProfiles": {
                "chargingProfileId": 12,
                "stackLevel": 1,
                "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16, "numberPhases": 3}],
                },
            },
        },
    ),
    ("clear-charging-profile", {"id": 5}, "ClearChargingProfile", {"id": 5}),
    (
        "get-composite-schedule",
        {"evse_id": 1, "duration": 3600, "charging_rate_unit": "W"},
        "GetCompositeSchedule",
        {"connectorId": 1, "duration": 3600, "chargingRateUnit": "W"},
    ),
]

# Commands whose 1.6 answer has no status: the station's result reads as Accepted.
RESULTS: list[tuple[str, dict[str, Any], str, dict[str, Any], dict[str, Any]]] = [
    (
        "get-configuration",
        {"keys": ["HeartbeatInterval"]},
        "GetConfiguration",
        {"key": ["HeartbeatInterval"]},
        {"configuration_key": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]},
    ),
    ("get-local-list-version", {}, "GetLocalListVersion", {}, {"list_version": 7}),
    (
        "update-firmware",
        {
            "location": "https://fw.example/1.2.bin",
            "retrieve_at": "2026-02-01T00:00:00Z",
            "retries": 2,
        },
        "UpdateFirmware",
        {
            "location": "https://fw.example/1.2.bin",
            "retrieveDate": "2026-02-01T00:00:00Z",
            "retries": 2,
        },
        {},
    ),
    (
        "get-diagnostics",
        {"location": "ftp://logs.example/", "retries": 1},
        "GetDiagnostics",
        {"location": "ftp://logs.example/", "retries": 1},
        {"file_name": "diag-2026.zip"},
    ),
]


@pytest.mark.parametrize(("name", "body", "action", "wire"), CASES, ids=[c[0] for c in CASES])
async def test_accepted(
    tenant: Tenant,
    online: Online,
    name: str,
    body: dict[str, Any],
    action: str,
    wire: dict[str, Any],
) -> None:
    async with online() as (station_id, station):
        response = await command(tenant, station_id, name, body)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["status"] == station.answers[action]["status"]
        assert answer["response"]["status"] == answer["status"]
        assert station.calls(action) == [wire]
    record = (await tenant.api.get(f"/commands/{answer['command_id']}")).json()
    assert (record["command"], record["state"], record["ocpp_action"]) == (name, "answered", action)
    assert record["ocpp_request"] == wire


@pytest.mark.parametrize(("name", "body", "action", "wire"), CASES, ids=[c[0] for c in CASES])
async def test_rejected(
    tenant: Tenant,
    online: Online,
    name: str,
    body: dict[str, Any],
    action: str,
    wire: dict[str, Any],
) -> None:
    async with online() as (station_id, station):
        station.answers = dict(REJECTING)
        response = await command(tenant, station_id, name, body)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == REJECTING[action]["status"]
        assert station.calls(action) == [wire]


@pytest.mark.parametrize(
    ("name", "body", "action", "wire", "expected"), RESULTS, ids=[c[0] for c in RESULTS]
)
async def test_results_without_status(
    tenant: Tenant,
    online: Online,
    name: str,
    body: dict[str, Any],
    action: str,
    wire: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    async with online() as (station_id, station):
        response = await command(tenant, station_id, name, body)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["status"] == "Accepted"
        assert expected.items() <= answer["response"].items()
        assert station.calls(action) == [wire]


async def test_a_command_the_protocol_lacks_is_422_naming_it(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        response = await command(
            tenant, station_id, "trigger-message", {"message": "LogStatusNotification"}
        )
        assert response.status_code == 422
        assert "trigger-message of LogStatusNotification" in response.json()["detail"]
        assert "ocpp1.6" in response.json()["detail"]
        assert station.calls("TriggerMessage") == []


@pytest.mark.parametrize("reset_type", ["on_idle", "immediate"])
async def test_a_2x_reset_type_on_a_16_station_is_422_saying_so(
    reset_type: str, tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        response = await command(tenant, station_id, "reset", {"type": reset_type})
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert reset_type in detail and "ocpp1.6" in detail and "OCPP 2.x" in detail
        assert "soft or hard" in detail
        assert station.calls("Reset") == []


async def test_a_call_error_is_502_with_its_code(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        station.errors["Reset"] = "NotImplemented"
        response = await command(tenant, station_id, "reset", {"type": "soft"})
        assert response.status_code == 502
        assert "NotImplemented" in response.json()["detail"]
        record = (await tenant.api.get(f"/commands/{response.json()['command_id']}")).json()
        assert (record["state"], record["status"]) == ("failed", "StationCallError")


async def test_unknown_command_and_bad_body(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, _station):
        assert (await command(tenant, station_id, "self-destruct", {})).status_code == 404
        bad = await command(tenant, station_id, "reset", {"type": "gentle"})
        assert bad.status_code == 422
        extra = await command(tenant, station_id, "clear-cache", {"surprise": 1})
        assert extra.status_code == 422
