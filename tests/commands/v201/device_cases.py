"""What each OCPP 2.x device-management command (variables, reports, monitoring, display
messages, customer information, certificates, logs and firmware) sends to a station."""

from tests.commands.v201.cases import Case

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

DEVICE_CASES = [
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
    Case(
        "get-monitoring-report",
        {
            "request_id": 44,
            "monitoring_criteria": ["ThresholdMonitoring", "DeltaMonitoring"],
            "variables": [{"component": "EVSE", "evse_id": 1, "variable": "Power"}],
        },
        "GetMonitoringReport",
        {
            "requestId": 44,
            "monitoringCriteria": ["ThresholdMonitoring", "DeltaMonitoring"],
            "componentVariable": [
                {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}
            ],
        },
    ),
    Case(
        "get-monitoring-report",
        {},
        "GetMonitoringReport",
        {},
        picked="requestId",
        label="get-monitoring-report-whole",
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
]
