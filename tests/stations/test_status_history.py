"""A station's `/status-history` over real REST: each row's vendor error code translated by the
organization's table, for the hardware the station reported at boot, from real 1.6 and 2.0.1
stations."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.v201.conftest import V2Stations
from tests.support.ocpp_client import raw_station

NOW = "2026-01-01T10:00:00Z"
RCD = {"vendor": "Acme", "code": "E-17", "title": "Residual current", "severity": "Medium"}
CODES = [
    RCD,
    RCD | {"model": "wallbox 22", "title": "RCD tripped (Wallbox 22)", "severity": "High"},
    RCD | {"model": "Other", "title": "Not this model"},
    {"vendor": "Acme", "firmware_version": "1.2.3", "code": "E-02", "title": "Lid open"},
    {"vendor": "Acme", "firmware_version": "9.9", "code": "E-05", "title": "Not this firmware"},
]


def faulted(code: str | None) -> dict[str, Any]:
    payload = {"connectorId": 1, "status": "Faulted", "errorCode": "OtherError"}
    return payload | ({"vendorId": "Acme", "vendorErrorCode": code} if code else {})


async def history(tenant: Tenant, station_id: str, **params: Any) -> list[dict[str, Any]]:
    answer = await tenant.api.get(f"/stations/{station_id}/status-history", params=params)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def test_a_16_stations_codes_are_translated_for_its_hardware(
    tenant: Tenant, other_tenant: Tenant, stations: Stations
) -> None:
    """The most specific entry for the vendor, model and firmware the station booted with;
    nothing for an unknown code, another organization's entry or another firmware's."""
    imported = await tenant.api.post("/vendor-error-codes/import", json={"codes": CODES})
    assert imported.status_code == 200, imported.text
    theirs = {"codes": [RCD | {"code": "E-99", "title": "Theirs"}]}
    assert (await other_tenant.api.post("/vendor-error-codes/import", json=theirs)).is_success
    station_id = await stations.register()
    boot = {
        "chargePointVendor": "ACME",
        "chargePointModel": "Wallbox 22",
        "firmwareVersion": "1.2.3",
    }
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", boot))["status"] == "Accepted"
        for code in ("E-17", "E-99", "E-02", "E-05", None):
            await station.ok("StatusNotification", faulted(code))

    rows = await history(tenant, station_id)
    assert [(r["vendor_error_code"], (r["vendor_error"] or {}).get("title")) for r in rows] == [
        (None, None),
        ("E-05", None),
        ("E-02", "Lid open"),
        ("E-99", None),
        ("E-17", "RCD tripped (Wallbox 22)"),
    ]
    assert rows[-1]["vendor_error"] == {
        "vendor": "Acme",
        "model": "wallbox 22",
        "firmware_version": None,
        "code": "E-17",
        "title": "RCD tripped (Wallbox 22)",
        "description": None,
        "severity": "High",
        "action": None,
    }
    paged = await history(tenant, station_id, limit=1, offset=2)
    assert [r["vendor_error"]["title"] for r in paged] == ["Lid open"]

    # The report reads the same translation.
    report = await tenant.api.get("/reports/status-history.csv", params={"station_id": station_id})
    assert report.status_code == 200, report.text
    assert "RCD tripped (Wallbox 22)" in report.text and "Lid open" in report.text


async def test_a_201_station_reports_its_codes_as_device_events(
    tenant: Tenant, v2: V2Stations
) -> None:
    """2.0.1 has no vendor error code on StatusNotification: a station reports it as a
    NotifyEvent's `techCode`, kept as a device event. Its status history carries no code to
    translate, and is answered all the same (no translation is guessed from the event)."""
    imported = await tenant.api.post("/vendor-error-codes/import", json={"codes": CODES})
    assert imported.status_code == 200, imported.text
    event = {
        "eventId": 1,
        "timestamp": NOW,
        "trigger": "Alerting",
        "actualValue": "Faulted",
        "techCode": "E-17",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "AvailabilityState"},
    }
    async with v2.booted_v2() as station:
        station_id = station.station_id  # type: ignore[attr-defined]
        status = {"timestamp": NOW, "connectorStatus": "Faulted", "evseId": 1, "connectorId": 1}
        await station.ok("StatusNotification", status)
        await station.ok("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [event]})

    rows = await history(tenant, station_id)
    assert [(r["status"], r["vendor_error_code"], r["vendor_error"]) for r in rows] == [
        ("Faulted", None, None)
    ]
    reports = await tenant.api.get(
        f"/stations/{station_id}/reports", params={"kind": "device_event"}
    )
    assert [r["data"]["tech_code"] for r in reports.json()["items"]] == ["E-17"]
