"""GET /api/v1/security-events: what stations report, filtered by station, type and time."""

from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, RawStation, raw_station
from tests.support.payloads import fits

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}


async def registered(tenant: Tenant) -> str:
    station_id = tenant.unique("CP")
    body = {"id": station_id, "password": PASSWORD}
    assert (await tenant.api.post("/stations", json=body)).status_code == 201
    return station_id


async def notify(station: RawStation, type: str, timestamp: str, tech_info: str | None) -> None:
    payload = {"type": type, "timestamp": timestamp}
    if tech_info is not None:
        payload["techInfo"] = tech_info
    assert await station.ok("SecurityEventNotification", payload) == {}


async def events(tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = await tenant.api.get("/security-events", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_v16_security_events_are_stored_and_filtered(tenant: Tenant) -> None:
    station_id = await registered(tenant)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        await notify(station, "StartupOfTheDevice", "2026-03-01T08:00:00Z", None)
        await notify(station, "InvalidMessages", "2026-03-01T09:00:00Z", "bad frame x")
        await notify(station, "ResetOrReboot", "2026-03-01T09:30:00+01:00", "watchdog")

    everything = await events(tenant, station_id=station_id)
    assert everything["total"] == 3
    # Newest first; the +01:00 reset happened at 08:30Z, between the other two.
    assert [e["type"] for e in everything["items"]] == [
        "InvalidMessages",
        "ResetOrReboot",
        "StartupOfTheDevice",
    ]
    invalid = everything["items"][0]
    assert invalid["tech_info"] == "bad frame x"
    assert invalid["source"] == "station" and invalid["ocpp_version"] == "1.6"
    assert invalid["critical"] is False
    assert everything["items"][2]["critical"] is True

    by_type = await events(tenant, station_id=station_id, type="ResetOrReboot")
    assert [e["tech_info"] for e in by_type["items"]] == ["watchdog"]

    window = await events(
        tenant, station_id=station_id, since="2026-03-01T08:30:00Z", until="2026-03-01T09:00:00Z"
    )
    assert [e["type"] for e in window["items"]] == ["ResetOrReboot"]

    critical = await events(tenant, station_id=station_id, critical=True)
    assert {e["type"] for e in critical["items"]} == {"StartupOfTheDevice", "ResetOrReboot"}

    # Each is an event of the log too, with the payload its type declares.
    logged = await tenant.api.get(
        "/events", params={"station_id": station_id, "type": "station.security_event"}
    )
    assert [e["data"]["type"] for e in logged.json()["items"]] == [
        "ResetOrReboot",
        "InvalidMessages",
        "StartupOfTheDevice",
    ]
    for event in logged.json()["items"]:
        fits(event["type"], event["data"])


async def test_security_events_page(tenant: Tenant) -> None:
    station_id = await registered(tenant)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        for minute in range(5):
            await notify(station, "InvalidMessages", f"2026-03-02T08:0{minute}:00Z", str(minute))
    first = await events(tenant, station_id=station_id, limit=2)
    second = await events(tenant, station_id=station_id, limit=2, offset=2)
    assert (first["total"], first["limit"], second["offset"]) == (5, 2, 2)
    assert [e["tech_info"] for e in first["items"] + second["items"]] == ["4", "3", "2", "1"]


async def test_another_organization_sees_none_of_them(tenant: Tenant, other_tenant: Tenant) -> None:
    station_id = await registered(tenant)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        await notify(station, "TamperDetectionActivated", "2026-03-03T08:00:00Z", None)
    assert (await events(tenant, station_id=station_id))["total"] == 1
    assert (await events(other_tenant, station_id=station_id))["total"] == 0


async def test_a_failed_login_is_a_security_event(tenant: Tenant) -> None:
    station_id = await registered(tenant)
    with pytest.raises(InvalidStatus) as refused:
        async with raw_station(tenant.server.ocpp_url, station_id, password="x" * 20):
            pass
    assert refused.value.response.status_code == 401
    [event] = (await events(tenant, station_id=station_id))["items"]
    assert event["type"] == "FailedToAuthenticateAtCsms"
    assert event["source"] == "csms" and event["ocpp_version"] is None
    assert event["tech_info"] == "wrong credentials (connection without TLS)"


async def test_the_listing_needs_a_token(tenant: Tenant) -> None:
    response = await tenant.api.get("/security-events", headers={"Authorization": ""})
    assert response.status_code == 401
