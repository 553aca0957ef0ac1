"""What a 2.x station reports about itself: each message stored and readable through REST."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import events_of, eventually
from tests.protocol.v201.conftest import V2Stations

NOW = "2026-01-01T10:00:00Z"
SCHEDULE = {
    "id": 1,
    "chargingRateUnit": "W",
    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}],
}
REPORT = [
    {
        "component": {"name": "EVSE", "evse": {"id": 3}},
        "variable": {"name": "Power"},
        "variableAttribute": [
            {"type": "Actual", "value": "22000", "mutability": "ReadOnly"},
            {"type": "MaxSet", "value": "22000"},
        ],
        "variableCharacteristics": {
            "dataType": "decimal",
            "unit": "W",
            "maxLimit": 22000,
            "supportsMonitoring": True,
        },
    },
    {
        "component": {"name": "Connector", "evse": {"id": 3, "connectorId": 2}},
        "variable": {"name": "ConnectorType"},
        "variableAttribute": [{"value": "cType2"}],
        "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False},
    },
    {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "HeartbeatInterval"},
        "variableAttribute": [{"value": "300", "persistent": True}],
        "variableCharacteristics": {
            "dataType": "integer",
            "unit": "s",
            "supportsMonitoring": False,
        },
    },
]


async def _get(tenant: Tenant, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await tenant.api.get(path, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_notify_report_is_the_device_model(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "NotifyReport",
            {"requestId": 7, "generatedAt": NOW, "seqNo": 0, "reportData": REPORT[:2], "tbc": True},
        )
        await station.ok(
            "NotifyReport",
            {"requestId": 7, "generatedAt": NOW, "seqNo": 1, "reportData": REPORT[2:]},
        )
        changed = dict(REPORT[2], variableAttribute=[{"value": "600"}])
        await station.ok(
            "NotifyReport",
            {"requestId": 8, "generatedAt": NOW, "seqNo": 0, "reportData": [changed]},
        )
    every = await _get(tenant, f"/stations/{sid}/device-model")
    assert len(every) == 4  # Power has two attributes; the heartbeat interval was updated in place
    power = await _get(
        tenant, f"/stations/{sid}/device-model", component="EVSE", attribute_type="MaxSet"
    )
    assert [
        (p["variable_name"], p["value"], p["evse_id"], p["unit"], p["max_limit"]) for p in power
    ] == [("Power", "22000", 3, "W", 22000.0)]
    beat = await _get(tenant, f"/stations/{sid}/device-model", variable="HeartbeatInterval")
    assert [(b["value"], b["report_request_id"], b["persistent"]) for b in beat] == [
        ("600", 8, False)
    ]  # the new report omits it: the default
    by_evse = await _get(tenant, f"/stations/{sid}/device-model", evse_id=3)
    assert {b["component_name"] for b in by_evse} == {"EVSE", "Connector"}
    # The report names EVSE 3 with connector 2: the station's topology learns it.
    detail = await v2.detail(sid)
    assert [
        (e["evse_id"], [c["connector_id"] for c in e["connectors"]]) for e in detail["evses"]
    ] == [(3, [1, 2])]
    assert (await tenant.api.get("/stations/nope/device-model")).status_code == 404


async def test_monitoring_report_and_device_events(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    monitor = {
        "component": {"name": "EVSE", "evse": {"id": 1}},
        "variable": {"name": "Power"},
        "variableMonitoring": [
            {
                "id": 11,
                "transaction": False,
                "value": 20000,
                "type": "UpperThreshold",
                "severity": 4,
            }
        ],
    }
    if subprotocol == "ocpp2.1":  # 2.1 says how each monitor was made
        monitor["variableMonitoring"][0]["eventNotificationType"] = "CustomMonitor"  # type: ignore[index]
    event = {
        "eventId": 1,
        "timestamp": NOW,
        "trigger": "Alerting",
        "actualValue": "21000",
        "eventNotificationType": "HardWiredMonitor",
        "component": {"name": "EVSE", "evse": {"id": 1}},
        "variable": {"name": "Power"},
    }
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "NotifyMonitoringReport",
            {"requestId": 3, "seqNo": 0, "generatedAt": NOW, "monitor": [monitor]},
        )
        await station.ok("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [event]})
    monitors = await _get(tenant, f"/stations/{sid}/device-model/monitors")
    assert [
        (m["monitor_id"], m["type"], m["value"], m["severity"], m["evse_id"]) for m in monitors
    ] == [(11, "UpperThreshold", 20000.0, 4, 1)]
    events = await _get(tenant, f"/stations/{sid}/reports", kind="device_event")
    assert [(e["status"], e["evse_id"], e["data"]["actual_value"]) for e in events] == [
        ("Alerting", 1, "21000")
    ]
    assert len(await events_of(tenant.server, sid, "station.device_event")) == 1


async def test_charging_limits_and_ev_needs(tenant: Tenant, v2: V2Stations) -> None:
    needs = {
        "requestedEnergyTransfer": "AC_three_phase",
        "departureTime": "2026-01-01T18:00:00Z",
        "acChargingParameters": {
            "energyAmount": 30000,
            "evMinCurrent": 6,
            "evMaxCurrent": 32,
            "evMaxVoltage": 400,
        },
    }
    async with v2.booted_v2() as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "NotifyChargingLimit",
            {
                "chargingLimit": {"chargingLimitSource": "EMS", "isGridCritical": True},
                "evseId": 1,
                "chargingSchedule": [SCHEDULE],
            },
        )
        await station.ok(
            "NotifyChargingLimit", {"chargingLimit": {"chargingLimitSource": "SO"}, "evseId": 2}
        )
        await station.ok("ClearedChargingLimit", {"chargingLimitSource": "EMS", "evseId": 1})
        answer = await station.ok(
            "NotifyEVChargingNeeds", {"evseId": 1, "chargingNeeds": needs, "maxScheduleTuples": 24}
        )
        chosen = await station.ok(
            "NotifyEVChargingSchedule", {"timeBase": NOW, "evseId": 1, "chargingSchedule": SCHEDULE}
        )
    assert answer == {"status": "Processing"} and chosen == {"status": "Accepted"}
    active = await _get(tenant, f"/stations/{sid}/charging-limits", active=True)
    assert [(a["source"], a["evse_id"]) for a in active] == [("SO", 2)]
    cleared = await _get(tenant, f"/stations/{sid}/charging-limits", active=False)
    assert (
        cleared[0]["grid_critical"] is True
        and cleared[0]["schedules"][0]["charging_rate_unit"] == "W"
    )
    [need] = await _get(tenant, f"/stations/{sid}/charging-needs")
    assert (
        need["energy_amount_wh"],
        need["ev_max_current_a"],
        need["ev_max_voltage_v"],
        need["max_schedule_tuples"],
    ) == (30000, 32, 400, 24)
    assert need["departure_time"] == "2026-01-01T18:00:00Z"
    [schedule] = await _get(tenant, f"/stations/{sid}/ev-charging-schedules", evse_id=1)
    assert schedule["schedule"]["charging_schedule_period"] == [{"start_period": 0, "limit": 11000}]


async def test_listings_and_progress_reports(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    profile = {
        "id": 5,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [SCHEDULE],
    }
    message = {
        "id": 1,
        "priority": "NormalCycle",
        "message": {"format": "UTF8", "content": "Welcome"},
    }
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "ReportChargingProfiles",
            {
                "requestId": 4,
                "chargingLimitSource": "CSO",
                "chargingProfile": [profile],
                "evseId": 1,
            },
        )
        await station.ok(
            "NotifyCustomerInformation",
            {"data": "card ABC used 3 times", "seqNo": 0, "generatedAt": NOW, "requestId": 5},
        )
        await station.ok("NotifyDisplayMessages", {"requestId": 6, "messageInfo": [message]})
        await station.ok("LogStatusNotification", {"status": "Uploaded", "requestId": 9})
        await station.ok("FirmwareStatusNotification", {"status": "Installed", "requestId": 10})
        await station.ok(
            "PublishFirmwareStatusNotification",
            {"status": "Published", "location": ["http://cs/fw.bin"], "requestId": 11},
        )
        await station.ok(
            "ReservationStatusUpdate", {"reservationId": 999, "reservationUpdateStatus": "Expired"}
        )
        transfer = await station.ok(
            "DataTransfer", {"vendorId": "com.acme", "messageId": "diag", "data": {"temp": 41}}
        )
    assert transfer == {"status": "Accepted"}
    reports = await _get(tenant, f"/stations/{sid}/reports")
    by_kind = {r["kind"]: r for r in reports}
    assert by_kind["charging_profiles"]["data"]["profiles"][0]["id"] == 5
    assert by_kind["charging_profiles"]["request_id"] == 4
    assert by_kind["customer_information"]["data"] == {"data": "card ABC used 3 times"}
    assert by_kind["display_messages"]["data"]["messages"][0]["message"]["content"] == "Welcome"
    assert (by_kind["log_status"]["status"], by_kind["log_status"]["request_id"]) == ("Uploaded", 9)
    assert by_kind["publish_firmware_status"]["data"] == {"locations": ["http://cs/fw.bin"]}
    assert by_kind["reservation_status"]["status"] == "Expired"
    assert [r["kind"] for r in await _get(tenant, f"/stations/{sid}/reports", request_id=5)] == [
        "customer_information"
    ]
    detail = await v2.detail(sid)
    assert (detail["firmware_status"], detail["diagnostics_status"]) == ("Installed", "Uploaded")
    [transfer_event] = await events_of(tenant.server, sid, "station.data_transfer")
    assert transfer_event["data"] == '{"temp": 41}'


async def test_security_and_certificate_requests(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    ocsp = {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": "aa",
        "issuerKeyHash": "bb",
        "serialNumber": "01",
        "responderURL": "http://ocsp",
    }
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "SecurityEventNotification",
            {"type": "TamperDetectionActivated", "timestamp": NOW, "techInfo": "lid open"},
        )
        signed = await station.ok(
            "SignCertificate",
            {
                "csr": "-----BEGIN CERTIFICATE REQUEST-----",
                "certificateType": "ChargingStationCertificate",
            },
        )
        ev = await station.ok(
            "Get15118EVCertificate",
            {
                "iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
                "action": "Install",
                "exiRequest": "AAAA",
            },
        )
        status = await station.ok("GetCertificateStatus", {"ocspRequestData": ocsp})
    # The test server has no CA and no ISO 15118 provider: clear refusals, no certificate.
    assert (
        signed["status"] == "Rejected" and signed["statusInfo"]["reasonCode"] == "NoCertAuthority"
    )
    assert ev["status"] == "Failed" and ev["exiResponse"] == ""
    assert ev["statusInfo"]["reasonCode"] == "NoIso15118Provider"
    assert status["status"] == "Failed" and "ocspResult" not in status
    [review] = await events_of(tenant.server, sid, "station.certificate_requested")
    assert review["accepted"] is False
    security = (await tenant.api.get("/security-events", params={"station_id": sid})).json()[
        "items"
    ]
    assert [(s["type"], s["tech_info"]) for s in security] == [
        ("TamperDetectionActivated", "lid open")
    ]
    requests = await _get(tenant, f"/stations/{sid}/reports", kind="certificate_request")
    assert [(r["data"]["action"], r["status"]) for r in requests] == [
        ("Get15118EVCertificate", "Failed"),
        ("GetCertificateStatus", "Failed"),
    ]


async def test_a_reported_password_variable_is_stored_masked(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    """Write-only variables should never be reported; a station that does anyway has the value
    masked in the device model and the message log like every stored copy (issue 10)."""
    secret = "a-station-password-reported-by-mistake"
    leak = {
        "component": {"name": "SecurityCtrlr"},
        "variable": {"name": "BasicAuthPassword"},
        "variableAttribute": [{"value": secret}],
        "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False},
    }
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        sid = station.station_id  # type: ignore[attr-defined]
        await station.ok(
            "NotifyReport", {"requestId": 9, "generatedAt": NOW, "seqNo": 0, "reportData": [leak]}
        )
    (stored,) = await _get(tenant, f"/stations/{sid}/device-model", variable="BasicAuthPassword")
    assert stored["value"] == "********"
    frames: list[str] = []

    async def logged() -> bool:
        answer = await tenant.api.get("/message-log", params={"station_id": sid})
        frames[:] = [item["frame"] for item in answer.json()["items"]]
        return any("NotifyReport" in frame for frame in frames)

    await eventually(logged)
    assert not any(secret in frame for frame in frames)
