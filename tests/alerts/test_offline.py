"""The station-offline rule over real REST and a real 1.6 station on loopback: the organization's
threshold, an alert naming the station, resolved by itself when the station is back; the
operator workflow (acknowledge, resolve with a note) and tenant isolation."""

from typing import Any

from chargeyard.simulator import SimulatedStation
from tests.alerts.conftest import alerts, wait_for_alert
from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD
from tests.support.payloads import fits


async def set_threshold(tenant: Tenant, seconds: int) -> dict[str, Any]:
    response = await tenant.api.patch("/alert-rules/station-offline", json={"threshold_s": seconds})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def go_offline(tenant: Tenant, station_id: str) -> None:
    async with SimulatedStation(tenant.server.ocpp_url, station_id, password=PASSWORD) as station:
        assert await station.ensure_online()


async def offline_alert(tenant: Tenant, station_id: str, status: str) -> dict[str, Any]:
    return await wait_for_alert(
        tenant,
        lambda alert: alert["station_id"] == station_id and alert["status"] == status,
        status=status,
        name="station-offline",
    )


async def test_a_station_away_past_the_threshold_raises_an_alert_resolved_when_it_returns(
    tenant: Tenant,
) -> None:
    rule = await set_threshold(tenant, 1)
    assert (rule["name"], rule["threshold_s"], rule["default_threshold_s"]) == (
        "station-offline",
        1,
        300,
    )
    station_id = await register(tenant)
    await go_offline(tenant, station_id)

    raised = await offline_alert(tenant, station_id, "Triggered")
    station = (await tenant.api.get(f"/stations/{station_id}")).json()
    assert raised["name"] == "station-offline"
    assert (raised["urgency"], raised["category"]) == ("High", "Connectivity")
    assert raised["started_at"] == station["disconnected_at"]
    assert raised["ended_at"] is None

    await go_offline(tenant, station_id)  # back for a moment: the first absence ended
    resolved = await offline_alert(tenant, station_id, "Resolved")
    assert resolved["id"] == raised["id"]
    assert resolved["resolved_by"] == "system"
    assert resolved["ended_at"] is not None and resolved["ended_at"] > resolved["started_at"]

    # The second absence is an alert of its own.
    second = await offline_alert(tenant, station_id, "Triggered")
    assert second["id"] != raised["id"]

    events = (await tenant.api.get("/events", params={"type": "alert.*"})).json()["items"]
    kinds = [(event["type"], event["data"]["alert_id"]) for event in events]
    assert ("alert.triggered", raised["id"]) in kinds
    assert ("alert.resolved", raised["id"]) in kinds


async def test_acknowledge_then_resolve_with_a_note(tenant: Tenant, other_tenant: Tenant) -> None:
    await set_threshold(tenant, 1)
    station_id = await register(tenant)
    await go_offline(tenant, station_id)
    alert = await offline_alert(tenant, station_id, "Triggered")
    url = f"/alerts/{alert['id']}"

    stale = await tenant.api.patch(url, json={"note": "x"}, headers={"If-Match": '"stale.1"'})
    assert stale.status_code == 412
    etag = (await tenant.api.get(url)).headers["etag"]
    acknowledged = await tenant.api.patch(
        url,
        json={"status": "Acknowledged", "note": "technician on the way"},
        headers={"If-Match": etag},
    )
    assert acknowledged.status_code == 200, acknowledged.text
    body = acknowledged.json()
    assert body["status"] == "Acknowledged" and body["acknowledged_at"] is not None
    assert [(n["text"], n["status"]) for n in body["notes"]] == [
        ("technician on the way", "Acknowledged")
    ]
    listed = await alerts(tenant, status="Acknowledged", station_id=station_id)
    assert [a["id"] for a in listed] == [alert["id"]]

    without_note = await tenant.api.patch(url, json={"status": "Resolved"})
    assert without_note.status_code == 422
    assert without_note.headers["content-type"].startswith("application/problem+json")

    resolved = await tenant.api.patch(url, json={"status": "Resolved", "note": "power cut"})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "Resolved"
    assert resolved.json()["resolved_by"].startswith("token:")
    assert len(resolved.json()["notes"]) == 2

    again = await tenant.api.patch(url, json={"status": "Acknowledged"})
    assert again.status_code == 409

    assert (await other_tenant.api.get(url)).status_code == 404
    assert (await other_tenant.api.patch(url, json={"note": "x"})).status_code == 404
    assert await alerts(other_tenant, station_id=station_id) == []

    # The three events of its life carry the payload their type declares.
    events = (await tenant.api.get("/events", params={"type": "alert.*"})).json()["items"]
    assert {e["type"] for e in events} == {
        "alert.triggered",
        "alert.acknowledged",
        "alert.resolved",
    }
    for event in events:
        fits(event["type"], event["data"])
