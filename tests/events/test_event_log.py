"""GET /api/v1/events: the organization's event log with filters and paging."""

from typing import Any

from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, raw_station


async def listed(tenant: Tenant, **params: Any) -> dict[str, Any]:
    answer = await tenant.api.get("/events", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_events_are_listed_with_filters(tenant: Tenant, other_tenant: Tenant) -> None:
    station = tenant.unique("CP")
    assert (
        await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    ).status_code == 201
    assert (
        await tenant.api.patch(f"/stations/{station}", json={"name": "Bay 1"})
    ).status_code == 200
    for value in ("LOG-1", "LOG-2"):
        assert (await tenant.api.post("/id-tags", json={"value": value})).status_code == 201

    everything = await listed(tenant, order="asc")
    assert [e["type"] for e in everything["items"]] == [
        "station.registered",
        "station.updated",
        "id_tag.created",
        "id_tag.created",
    ]
    first = everything["items"][0]
    assert set(first) >= {"id", "type", "occurred_at", "data", "station_id", "transaction_id"}
    assert first["station_id"] == station and first["data"]["station_id"] == station

    assert (await listed(tenant, type="id_tag.created"))["total"] == 2
    assert (await listed(tenant, type="station.*"))["total"] == 2
    assert (await listed(tenant, type="station.updated,id_tag.*"))["total"] == 3
    assert (await listed(tenant, station_id=station))["total"] == 2
    newest = await listed(tenant, limit=1)
    assert newest["total"] == 4 and newest["items"][0]["data"]["id_tag"] == "LOG-2"
    second_page = await listed(tenant, limit=1, offset=1, order="asc")
    assert second_page["items"][0]["type"] == "station.updated"

    since = everything["items"][2]["occurred_at"]
    assert (await listed(tenant, since=since))["total"] == 2
    assert (await listed(tenant, until=since))["total"] == 2
    assert (await tenant.api.get("/events", params={"type": "bad pattern!"})).status_code == 422

    one = await tenant.api.get(f"/events/{first['id']}")
    assert one.status_code == 200 and one.json()["type"] == "station.registered"
    assert (await other_tenant.api.get(f"/events/{first['id']}")).status_code == 404
    assert (await listed(other_tenant))["total"] == 0


async def test_a_session_filter_finds_its_events(tenant: Tenant) -> None:
    station = tenant.unique("CP")
    assert (
        await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    ).status_code == 201
    tag = {"value": tenant.unique("T"), "status": "Accepted"}
    assert (await tenant.api.post("/id-tags", json=tag)).status_code == 201
    async with raw_station(tenant.server.ocpp_url, station) as socket:
        await socket.ok("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "X"})
        start = await socket.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": tag["value"],
                "meterStart": 0,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
        await socket.ok(
            "StopTransaction",
            {
                "transactionId": start["transactionId"],
                "meterStop": 500,
                "timestamp": "2026-01-01T11:00:00Z",
            },
        )
    session = await listed(tenant, transaction_id=start["transactionId"], order="asc")
    assert [e["type"] for e in session["items"]] == ["session.started", "session.stopped"]
    assert session["items"][1]["occurred_at"] == "2026-01-01T11:00:00Z"
