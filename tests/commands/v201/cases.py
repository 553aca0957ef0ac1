"""What each command common to every OCPP version sends to a 2.x station: one `Case` per
command (or per variant of one), with the API body and the payload the station must receive.
The 2.x-only device-management commands are in `device_cases.py`."""

from typing import Any

from tests.commands.v201.conftest import without

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


CONTROL_CASES = [
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
