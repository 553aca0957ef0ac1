"""What the simulated station answers when the CSMS sends it a CALL, unless a case says
otherwise: the OCTT's default of accepting what it is asked to do, per OCPP version.

An answer is a payload, or a function of the request for the messages whose answer must echo
what was asked (2.0.1 GetVariables and SetVariables). A CALL missing here is answered with
CALLERROR NotImplemented, as a station that lacks the feature would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Answer = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]

_ACCEPTED = {"status": "Accepted"}


def _get_variables(request: dict[str, Any]) -> dict[str, Any]:
    return {
        "getVariableResult": [
            {
                "attributeStatus": "UnknownVariable",
                "component": item["component"],
                "variable": item["variable"],
            }
            for item in request.get("getVariableData", [])
        ]
    }


def _set_variables(request: dict[str, Any]) -> dict[str, Any]:
    return {
        "setVariableResult": [
            {
                "attributeStatus": "Accepted",
                "component": item["component"],
                "variable": item["variable"],
            }
            for item in request.get("setVariableData", [])
        ]
    }


V16: dict[str, Answer] = {
    "RemoteStartTransaction": _ACCEPTED,
    "RemoteStopTransaction": _ACCEPTED,
    "Reset": _ACCEPTED,
    "UnlockConnector": {"status": "Unlocked"},
    "ChangeAvailability": _ACCEPTED,
    "TriggerMessage": _ACCEPTED,
    "ExtendedTriggerMessage": _ACCEPTED,
    "GetConfiguration": {
        "configurationKey": [
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
            {"key": "MeterValueSampleInterval", "readonly": False, "value": "60"},
            {"key": "NumberOfConnectors", "readonly": True, "value": "1"},
            {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core"},
        ],
        "unknownKey": [],
    },
    "ChangeConfiguration": _ACCEPTED,
    "ClearCache": _ACCEPTED,
    "DataTransfer": {"status": "UnknownVendorId"},
    "ReserveNow": _ACCEPTED,
    "CancelReservation": _ACCEPTED,
    "SendLocalList": _ACCEPTED,
    "GetLocalListVersion": {"listVersion": 0},
    "UpdateFirmware": {},
    "GetDiagnostics": {},
    "SetChargingProfile": _ACCEPTED,
    "ClearChargingProfile": _ACCEPTED,
    "GetCompositeSchedule": {"status": "Rejected"},
    "CertificateSigned": _ACCEPTED,
    "InstallCertificate": _ACCEPTED,
    "GetInstalledCertificateIds": {"status": "NotFound"},
    "DeleteCertificate": {"status": "NotFound"},
    "GetLog": {"status": "Rejected"},
    "SignedUpdateFirmware": _ACCEPTED,
}

V201: dict[str, Answer] = {
    "RequestStartTransaction": _ACCEPTED,
    "RequestStopTransaction": _ACCEPTED,
    "Reset": _ACCEPTED,
    "UnlockConnector": {"status": "Unlocked"},
    "ChangeAvailability": _ACCEPTED,
    "TriggerMessage": _ACCEPTED,
    "GetVariables": _get_variables,
    "SetVariables": _set_variables,
    "GetBaseReport": _ACCEPTED,
    "GetReport": _ACCEPTED,
    "ClearCache": _ACCEPTED,
    "DataTransfer": {"status": "UnknownVendorId"},
    "ReserveNow": _ACCEPTED,
    "CancelReservation": _ACCEPTED,
    "SendLocalList": _ACCEPTED,
    "GetLocalListVersion": {"versionNumber": 0},
    "UpdateFirmware": _ACCEPTED,
    "GetLog": {"status": "Rejected"},
    "SetChargingProfile": _ACCEPTED,
    "ClearChargingProfile": {"status": "Unknown"},
    "GetChargingProfiles": {"status": "NoProfiles"},
    "GetCompositeSchedule": {"status": "Rejected"},
    "CertificateSigned": _ACCEPTED,
    "InstallCertificate": _ACCEPTED,
    "CustomerInformation": _ACCEPTED,
}

DEFAULTS = {"1.6": V16, "2.0.1": V201}
