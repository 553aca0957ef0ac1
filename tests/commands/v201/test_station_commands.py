"""Every command over a real OCPP 2.0.1 and 2.1 connection: what the station receives, and how
each of its answers (accepting and refusing) comes back through the API."""

from typing import Any

import pytest

from tests.commands.conftest import command
from tests.commands.v201.answers import ACCEPTING, REJECTING
from tests.commands.v201.conftest import PROTOCOLS, Online2x, without
from tests.conftest import Tenant

PROFILE = {
    "id": 12,
    "purpose": "TxDefaultProfile",
    "kind": "Relative",
    "stack_level": 1,
    "schedule": {"unit": "A", "periods": [{"start_offset_s": 0, "limit": 16, "number_phases": 3}]},
}
STATION_MAX = {
    "id": 2,
    "purpose": "ChargePointMaxProfile",
    "kind": "Absolute",
    "schedule": {
        "unit": "W",
        "start": "2026-01-01T00:00:00Z",
        "periods": [{"start_offset_s": 0, "limit": 22000.5}],
    },
}
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
HASH = {
    "hash_algorithm": "SHA256",
    "issuer_name_hash": "aa",
    "issuer_key_hash": "bb",
    "serial_number": "01",
}
WIRE_HASH = {
    "hashAlgorithm": "SHA256",
    "issuerNameHash": "aa",
    "issuerKeyHash": "bb",
    "serialNumber": "01",
}
HEARTBEAT = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}


class Case:
    def __init__(
        self,
        name: str,
        body: dict[str, Any],
        action: str,
        wire: dict[str, Any],
        *,
        picked: str | None = None,
        label: str | None = None,
    ) -> None:
        """`picked`: a field whose value Chargeyard chooses (request or reservation id)."""
        self.name, self.body, self.action, self.wire, self.picked = name, body, action, wire, picked
        self.label = label or name

    def received(self, payload: dict[str, Any]) -> dict[str, Any]:
        return payload if self.picked is None else without(payload, self.picked)


CASES = [
    Case(
        "remote-start",
        {"id_tag": "TAG1", "evse_id": 1},
        "RequestStartTransaction",
        {"idToken": {"idToken": "TAG1", "type": "ISO14443"}, "evseId": 1},
        picked="remoteStartId",
    ),
    Case("reset", {"type": "hard"}, "Reset", {"type": "Immediate"}),
    Case(
        "reset",
        {"type": "on_idle", "evse_id": 2},
        "Reset",
        {"type": "OnIdle", "evseId": 2},
        label="reset-evse",
    ),
    Case("unlock-connector", {"evse_id": 2}, "UnlockConnector", {"evseId": 2, "connectorId": 1}),
    Case(
        "change-availability",
        {"operative": False},
        "ChangeAvailability",
        {"operationalStatus": "Inoperative"},
    ),
    Case(
        "change-availability",
        {"evse_id": 1, "connector_id": 2, "operative": True},
        "ChangeAvailability",
        {"operationalStatus": "Operative", "evse": {"id": 1, "connectorId": 2}},
        label="change-availability-connector",
    ),
    Case(
        "trigger-message",
        {"message": "TransactionEvent", "evse_id": 1},
        "TriggerMessage",
        {"requestedMessage": "TransactionEvent", "evse": {"id": 1}},
    ),
    Case(
        "get-variables",
        {"variables": [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}]},
        "GetVariables",
        {"getVariableData": [HEARTBEAT]},
    ),
    Case(
        "set-variables",
        {
            "variables": [
                {"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval", "value": "60"},
                {
                    "component": "EVSE",
                    "evse_id": 1,
                    "variable": "Power",
                    "value": "11000",
                    "attribute": "Target",
                },
            ]
        },
        "SetVariables",
        {
            "setVariableData": [
                HEARTBEAT | {"attributeValue": "60"},
                {
                    "component": {"name": "EVSE", "evse": {"id": 1}},
                    "variable": {"name": "Power"},
                    "attributeValue": "11000",
                    "attributeType": "Target",
                },
            ]
        },
    ),
    Case(
        "get-base-report",
        {"report_base": "ConfigurationInventory", "request_id": 42},
        "GetBaseReport",
        {"requestId": 42, "reportBase": "ConfigurationInventory"},
    ),
    Case(
        "get-report",
        {
            "request_id": 43,
            "component_criteria": ["Problem"],
            "variables": [{"component": "EVSE", "evse_id": 1}],
        },
        "GetReport",
        {
            "requestId": 43,
            "componentCriteria": ["Problem"],
            "componentVariable": [{"component": {"name": "EVSE", "evse": {"id": 1}}}],
        },
    ),
    Case(
        "set-variable-monitoring",
        {
            "monitors": [
                {
                    "component": "EVSE",
                    "evse_id": 1,
                    "variable": "Power",
                    "type": "UpperThreshold",
                    "value": 11000.5,
                    "severity": 5,
                }
            ]
        },
        "SetVariableMonitoring",
        {
            "setMonitoringData": [
                {
                    "transaction": False,
                    "value": 11000.5,
                    "type": "UpperThreshold",
                    "severity": 5,
                    "component": {"name": "EVSE", "evse": {"id": 1}},
                    "variable": {"name": "Power"},
                }
            ]
        },
    ),
    Case("clear-variable-monitoring", {"ids": [7]}, "ClearVariableMonitoring", {"id": [7]}),
    Case(
        "set-monitoring-base",
        {"base": "FactoryDefault"},
        "SetMonitoringBase",
        {"monitoringBase": "FactoryDefault"},
    ),
    Case("set-monitoring-level", {"severity": 4}, "SetMonitoringLevel", {"severity": 4}),
    Case(
        "customer-information",
        {"id_tag": "CUST1", "clear": True, "request_id": 44},
        "CustomerInformation",
        {
            "requestId": 44,
            "report": True,
            "clear": True,
            "idToken": {"idToken": "CUST1", "type": "ISO14443"},
        },
    ),
    Case(
        "set-display-message",
        {"id": 3, "priority": "InFront", "message": "Welcome", "language": "en", "state": "Idle"},
        "SetDisplayMessage",
        {
            "message": {
                "id": 3,
                "priority": "InFront",
                "state": "Idle",
                "message": {"format": "UTF8", "language": "en", "content": "Welcome"},
            }
        },
    ),
    Case(
        "get-display-messages",
        {"ids": [3], "request_id": 45},
        "GetDisplayMessages",
        {"requestId": 45, "id": [3]},
    ),
    Case("clear-display-message", {"id": 3}, "ClearDisplayMessage", {"id": 3}),
    Case(
        "install-certificate",
        {"certificate_type": "CSMSRootCertificate", "certificate": PEM},
        "InstallCertificate",
        {"certificateType": "CSMSRootCertificate", "certificate": PEM},
    ),
    Case("delete-certificate", HASH, "DeleteCertificate", {"certificateHashData": WIRE_HASH}),
    Case(
        "get-installed-certificate-ids",
        {"certificate_types": ["CSMSRootCertificate"]},
        "GetInstalledCertificateIds",
        {"certificateType": ["CSMSRootCertificate"]},
    ),
    Case(
        "get-log",
        {
            "location": "https://logs.example/up",
            "log_type": "SecurityLog",
            "request_id": 46,
            "retries": 1,
        },
        "GetLog",
        {
            "log": {"remoteLocation": "https://logs.example/up"},
            "logType": "SecurityLog",
            "requestId": 46,
            "retries": 1,
        },
    ),
    Case(
        "get-diagnostics",
        {"location": "ftp://logs.example/", "retries": 1, "start": "2026-01-01T00:00:00Z"},
        "GetLog",
        {
            "log": {
                "remoteLocation": "ftp://logs.example/",
                "oldestTimestamp": "2026-01-01T00:00:00Z",
            },
            "logType": "DiagnosticsLog",
            "retries": 1,
        },
        picked="requestId",
    ),
    Case(
        "update-firmware",
        {
            "location": "https://fw.example/1.2.bin",
            "retrieve_at": "2026-02-01T00:00:00Z",
            "retries": 2,
        },
        "UpdateFirmware",
        {
            "firmware": {
                "location": "https://fw.example/1.2.bin",
                "retrieveDateTime": "2026-02-01T00:00:00Z",
            },
            "retries": 2,
        },
        picked="requestId",
    ),
    Case(
        "signed-update-firmware",
        {
            "location": "https://fw.example/1.3.bin",
            "retrieve_at": "2026-02-01T00:00:00Z",
            "install_at": "2026-02-02T00:00:00Z",
            "signing_certificate": PEM,
            "signature": "c2lnbmF0dXJl",
            "request_id": 47,
        },
        "UpdateFirmware",
        {
            "requestId": 47,
            "firmware": {
                "location": "https://fw.example/1.3.bin",
                "retrieveDateTime": "2026-02-01T00:00:00Z",
                "installDateTime": "2026-02-02T00:00:00Z",
                "signingCertificate": PEM,
                "signature": "c2lnbmF0dXJl",
            },
        },
    ),
    Case("clear-cache", {}, "ClearCache", {}),
    Case(
        "data-transfer",
        {"vendor_id": "com.acme", "message_id": "ping", "data": "x"},
        "DataTransfer",
        {"vendorId": "com.acme", "messageId": "ping", "data": "x"},
    ),
    Case(
        "reserve-now",
        {
            "evse_id": 1,
            "id_tag": "RES1",
            "expires_at": "2030-01-01T00:00:00Z",
            "parent_id_tag": "GROUP",
        },
        "ReserveNow",
        {
            "expiryDateTime": "2030-01-01T00:00:00Z",
            "idToken": {"idToken": "RES1", "type": "ISO14443"},
            "evseId": 1,
            "groupIdToken": {"idToken": "GROUP", "type": "Central"},
        },
        picked="id",
    ),
    Case(
        "send-local-list",
        {"update_type": "differential", "id_tags": ["GONE"], "version": 3},
        "SendLocalList",
        {
            "versionNumber": 3,
            "updateType": "Differential",
            "localAuthorizationList": [{"idToken": {"idToken": "GONE", "type": "ISO14443"}}],
        },
    ),
    Case("get-local-list-version", {}, "GetLocalListVersion", {}),
    Case(
        "set-charging-profile",
        {"evse_id": 1, "charging_profile": PROFILE},
        "SetChargingProfile",
        {
            "evseId": 1,
            "chargingProfile": {
                "id": 12,
                "stackLevel": 1,
                "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": [
                    {
                        "id": 12,
                        "chargingRateUnit": "A",
                        "chargingSchedulePeriod": [
                            {"startPeriod": 0, "limit": 16, "numberPhases": 3}
                        ],
                    }
                ],
            },
        },
    ),
    Case(
        "set-charging-profile",
        {"evse_id": 0, "charging_profile": STATION_MAX},
        "SetChargingProfile",
        {
            "evseId": 0,
            "chargingProfile": {
                "id": 2,
                "stackLevel": 0,
                "chargingProfilePurpose": "ChargingStationMaxProfile",
                "chargingProfileKind": "Absolute",
                "chargingSchedule": [
                    {
                        "id": 2,
                        "startSchedule": "2026-01-01T00:00:00Z",
                        "chargingRateUnit": "W",
                        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 22000.5}],
                    }
                ],
            },
        },
        label="set-charging-profile-station-max",
    ),
    Case(
        "clear-charging-profile",
        {"evse_id": 1, "purpose": "TxDefaultProfile", "stack_level": 1},
        "ClearChargingProfile",
        {
            "chargingProfileCriteria": {
                "evseId": 1,
                "chargingProfilePurpose": "TxDefaultProfile",
                "stackLevel": 1,
            }
        },
    ),
    Case(
        "clear-charging-profile",
        {"id": 5},
        "ClearChargingProfile",
        {"chargingProfileId": 5},
        label="clear-charging-profile-id",
    ),
    Case(
        "get-charging-profiles",
        {"evse_id": 1, "purpose": "TxProfile", "request_id": 48},
        "GetChargingProfiles",
        {"requestId": 48, "evseId": 1, "chargingProfile": {"chargingProfilePurpose": "TxProfile"}},
    ),
    Case(
        "get-composite-schedule",
        {"evse_id": 1, "duration": 3600, "charging_rate_unit": "W"},
        "GetCompositeSchedule",
        {"duration": 3600, "evseId": 1, "chargingRateUnit": "W"},
    ),
]

# Answers that list per-item outcomes read as the first outcome that was not Accepted; an answer
# without any status (GetLocalListVersion) reads as Accepted.
REFUSED_STATUS = {
    "GetVariables": "UnknownVariable",
    "SetVariables": "Rejected",
    "SetVariableMonitoring": "UnknownVariable",
    "ClearVariableMonitoring": "NotFound",
    "GetLocalListVersion": "Accepted",
}
PARAMS = [
    pytest.param(case, protocol, id=f"{case.label}-{protocol}")
    for case in CASES
    for protocol in PROTOCOLS
]


@pytest.mark.parametrize(("case", "protocol"), PARAMS)
async def test_accepted(tenant: Tenant, online_2x: Online2x, case: Case, protocol: str) -> None:
    async with online_2x(protocol) as (station_id, station):
        response = await command(tenant, station_id, case.name, case.body)
        assert response.status_code == 200, response.text
        answer = response.json()
        [received] = station.calls(case.action)
        assert case.received(received) == case.wire
    assert answer["status"] == ACCEPTING[case.action].get("status", "Accepted")
    record = (await tenant.api.get(f"/commands/{answer['command_id']}")).json()
    assert (record["command"], record["state"], record["ocpp_action"]) == (
        case.name,
        "answered",
        case.action,
    )
    assert record["ocpp_request"] == received


@pytest.mark.parametrize(("case", "protocol"), PARAMS)
async def test_refused(tenant: Tenant, online_2x: Online2x, case: Case, protocol: str) -> None:
    async with online_2x(protocol) as (station_id, station):
        station.answers = dict(REJECTING)
        response = await command(tenant, station_id, case.name, case.body)
        assert response.status_code == 200, response.text
        assert len(station.calls(case.action)) == 1
    expected = REFUSED_STATUS.get(case.action) or REJECTING[case.action]["status"]
    assert response.json()["status"] == expected


async def test_results_come_back_in_snake_case(tenant: Tenant, online_2x: Online2x) -> None:
    async with online_2x() as (station_id, _station):
        version = await command(tenant, station_id, "get-local-list-version", {})
        variables = await command(
            tenant,
            station_id,
            "get-variables",
            {"variables": [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}]},
        )
        schedule = await command(
            tenant, station_id, "get-composite-schedule", {"evse_id": 1, "duration": 3600}
        )
    assert version.json()["response"] == {"version_number": 7}
    [result] = variables.json()["response"]["get_variable_result"]
    assert (result["attribute_status"], result["attribute_value"]) == ("Accepted", "300")
    periods = schedule.json()["response"]["schedule"]["charging_schedule_period"]
    assert periods == [{"start_period": 0, "limit": 11000}]
