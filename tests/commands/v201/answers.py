"""What a scripted 2.x station answers to each CSMS command: cooperative, and refusing."""

from typing import Any

VARIABLE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
MONITOR = {
    "component": {"name": "EVSE", "evse": {"id": 1}},
    "variable": {"name": "Power"},
    "type": "UpperThreshold",
    "severity": 5,
}

ACCEPTING: dict[str, dict[str, Any]] = {
    "RequestStartTransaction": {"status": "Accepted"},
    "RequestStopTransaction": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "ChangeAvailability": {"status": "Accepted"},
    "TriggerMessage": {"status": "Accepted"},
    "GetVariables": {
        "getVariableResult": [VARIABLE | {"attributeStatus": "Accepted", "attributeValue": "300"}]
    },
    "SetVariables": {"setVariableResult": [VARIABLE | {"attributeStatus": "Accepted"}]},
    "GetBaseReport": {"status": "Accepted"},
    "GetReport": {"status": "Accepted"},
    "GetMonitoringReport": {"status": "Accepted"},
    "SetVariableMonitoring": {"setMonitoringResult": [MONITOR | {"status": "Accepted", "id": 7}]},
    "ClearVariableMonitoring": {"clearMonitoringResult": [{"status": "Accepted", "id": 7}]},
    "SetMonitoringBase": {"status": "Accepted"},
    "SetMonitoringLevel": {"status": "Accepted"},
    "CustomerInformation": {"status": "Accepted"},
    "SetDisplayMessage": {"status": "Accepted"},
    "GetDisplayMessages": {"status": "Accepted"},
    "ClearDisplayMessage": {"status": "Accepted"},
    "InstallCertificate": {"status": "Accepted"},
    "DeleteCertificate": {"status": "Accepted"},
    "GetInstalledCertificateIds": {
        "status": "Accepted",
        "certificateHashDataChain": [
            {
                "certificateType": "CSMSRootCertificate",
                "certificateHashData": {
                    "hashAlgorithm": "SHA256",
                    "issuerNameHash": "aa",
                    "issuerKeyHash": "bb",
                    "serialNumber": "01",
                },
            }
        ],
    },
    "GetLog": {"status": "Accepted", "filename": "diag-2026.zip"},
    "UpdateFirmware": {"status": "Accepted"},
    "ClearCache": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted", "data": "pong"},
    "ReserveNow": {"status": "Accepted"},
    "CancelReservation": {"status": "Accepted"},
    "SendLocalList": {"status": "Accepted"},
    "GetLocalListVersion": {"versionNumber": 7},
    "SetChargingProfile": {"status": "Accepted"},
    "ClearChargingProfile": {"status": "Accepted"},
    "GetChargingProfiles": {"status": "Accepted"},
    "SetDefaultTariff": {"status": "Accepted"},
    "GetTariffs": {"status": "NoTariff"},
    "ClearTariffs": {"clearTariffsResult": [{"status": "Accepted", "tariffId": "T-v1"}]},
    "ChangeTransactionTariff": {"status": "Accepted"},
    "GetCompositeSchedule": {
        "status": "Accepted",
        "schedule": {
            "evseId": 1,
            "duration": 3600,
            "scheduleStart": "2026-01-01T10:00:00Z",
            "chargingRateUnit": "W",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}],
        },
    },
}

REJECTING: dict[str, dict[str, Any]] = {
    "RequestStartTransaction": {"status": "Rejected"},
    "RequestStopTransaction": {"status": "Rejected"},
    "Reset": {"status": "Rejected"},
    "UnlockConnector": {"status": "UnlockFailed"},
    "ChangeAvailability": {"status": "Rejected"},
    "TriggerMessage": {"status": "NotImplemented"},
    "GetVariables": {"getVariableResult": [VARIABLE | {"attributeStatus": "UnknownVariable"}]},
    "SetVariables": {
        "setVariableResult": [
            VARIABLE | {"attributeStatus": "Accepted"},
            VARIABLE | {"attributeStatus": "Rejected"},
        ]
    },
    "GetBaseReport": {"status": "NotSupported"},
    "GetReport": {"status": "EmptyResultSet"},
    "GetMonitoringReport": {"status": "Rejected"},
    "SetVariableMonitoring": {"setMonitoringResult": [MONITOR | {"status": "UnknownVariable"}]},
    "ClearVariableMonitoring": {"clearMonitoringResult": [{"status": "NotFound", "id": 7}]},
    "SetMonitoringBase": {"status": "NotSupported"},
    "SetMonitoringLevel": {"status": "Rejected"},
    "CustomerInformation": {"status": "Invalid"},
    "SetDisplayMessage": {"status": "NotSupportedPriority"},
    "GetDisplayMessages": {"status": "Unknown"},
    "ClearDisplayMessage": {"status": "Unknown"},
    "InstallCertificate": {"status": "Rejected"},
    "DeleteCertificate": {"status": "NotFound"},
    "GetInstalledCertificateIds": {"status": "NotFound"},
    "GetLog": {"status": "Rejected"},
    "UpdateFirmware": {"status": "InvalidCertificate"},
    "ClearCache": {"status": "Rejected"},
    "DataTransfer": {"status": "UnknownVendorId"},
    "ReserveNow": {"status": "Occupied"},
    "CancelReservation": {"status": "Rejected"},
    "SendLocalList": {"status": "VersionMismatch"},
    "GetLocalListVersion": {"versionNumber": 0},
    "SetChargingProfile": {"status": "Rejected"},
    "ClearChargingProfile": {"status": "Unknown"},
    "GetChargingProfiles": {"status": "NoProfiles"},
    "GetCompositeSchedule": {"status": "Rejected"},
}
