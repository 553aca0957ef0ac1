"""Maintenance windows over real REST: the CRUD and its rules, planned downtime excluded from
uptime (the KPI and the availability series) as a real 1.6 station on loopback reports it, and
offline alerts kept quiet while a window lasts."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.alerts.conftest import alerts, wait_for_alert
from tests.alerts.test_offline import go_offline, set_threshold
from tests.commands.conftest import Online, register
from tests.conftest import Tenant, make_tenant
from tests.kpis.test_kpis import STEP, kpi, until_past, wire


async def create(tenant: Tenant, **body: Any) -> dict[str, Any]:
    response = await tenant.api.post("/maintenance-windows", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def location(tenant: Tenant, *station_ids: str, parent_id: str | None = None) -> str:
    body = {"name": tenant.unique("site"), "parent_id": parent_id}
    made = await tenant.api.post("/locations", json=body)
    assert made.status_code == 201, made.text
    location_id = str(made.json()["id"])
    for station_id in station_ids:
        placed = await tenant.api.patch(
            f"/stations/{station_id}", json={"location_id": location_id}
        )
        assert placed.status_code == 200, placed.text
    return location_id


async def test_windows_are_planned_moved_listed_and_cancelled(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await register(tenant)
    now = datetime.now(UTC).replace(microsecond=0)
    response = await tenant.api.post(
        "/maintenance-windows",
        json={
            "station_id": station_id,
            "starts_at": wire(now),
            "ends_at": wire(now + timedelta(hours=2)),
            "reason": "Replacing the RCD",
        },
    )
    assert response.status_code == 201, response.text
    window = response.json()
    assert response.headers["location"] == f"/api/v1/maintenance-windows/{window['id']}"
    assert (window["station_id"], window["location_id"], window["reason"]) == (
        station_id,
        None,
        "Replacing the RCD",
    )
    assert window["created_by"].startswith("token:")
    later = await create(
        tenant,
        location_id=await location(tenant),
        starts_at=wire(now + timedelta(days=1)),
        ends_at=wire(now + timedelta(days=1, hours=1)),
    )

    listed = (await tenant.api.get("/maintenance-windows")).json()
    assert [w["id"] for w in listed["items"]] == [window["id"], later["id"]]
    active = await tenant.api.get(
        "/maintenance-windows", params={"active_at": wire(now + timedelta(hours=1))}
    )
    assert [w["id"] for w in active.json()["items"]] == [window["id"]]
    mine = await tenant.api.get("/maintenance-windows", params={"station_id": station_id})
    assert [w["id"] for w in mine.json()["items"]] == [window["id"]]

    moved = await tenant.api.patch(
        f"/maintenance-windows/{window['id']}", json={"ends_at": wire(now + timedelta(hours=3))}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ends_at"] == wire(now + timedelta(hours=3)).replace(".000", "")
    backwards = await tenant.api.patch(
        f"/maintenance-windows/{window['id']}", json={"ends_at": wire(now - timedelta(hours=1))}
    )
    assert backwards.status_code == 422
    assert backwards.headers["content-type"] == "application/problem+json"

    assert (await other_tenant.api.get(f"/maintenance-windows/{window['id']}")).status_code == 404
    assert (await other_tenant.api.get("/maintenance-windows")).json()["total"] == 0
    deleted = await tenant.api.delete(f"/maintenance-windows/{window['id']}")
    assert deleted.status_code == 204
    assert (await tenant.api.get(f"/maintenance-windows/{window['id']}")).status_code == 404
    events = (await tenant.api.get("/events", params={"type": "maintenance_window.*"})).json()
    kinds = [e["type"] for e in events["items"]]
    assert sorted(kinds) == sorted(
        [
            "maintenance_window.created",
            "maintenance_window.created",
            "maintenance_window.updated",
            "maintenance_window.deleted",
        ]
    ), kinds


@pytest.mark.parametrize(
    "body",
    [
        {},  # neither a station nor a location
        {"station_id": "S", "location_id": "L"},  # both
        {"station_id": "NOT-THERE"},  # another organization's, or nobody's
        {"location_id": "nowhere"},
    ],
)
async def test_a_window_is_for_one_station_or_location_of_the_organization(
    tenant: Tenant, body: dict[str, Any]
) -> None:
    now = datetime.now(UTC)
    times = {"starts_at": wire(now), "ends_at": wire(now + timedelta(hours=1))}
    response = await tenant.api.post("/maintenance-windows", json=body | times)
    assert response.status_code == 422, response.text


async def test_a_window_ends_after_it_starts_and_viewers_only_read(tenant: Tenant) -> None:
    station_id = await register(tenant)
    now = datetime.now(UTC)
    for ends in (now, now - timedelta(minutes=1), now + timedelta(days=400)):
        body = {"station_id": station_id, "starts_at": wire(now), "ends_at": wire(ends)}
        assert (await tenant.api.post("/maintenance-windows", json=body)).status_code == 422
    async for viewer in make_tenant(tenant.server, role="viewer"):
        assert (await viewer.api.get("/maintenance-windows")).status_code == 200
        body = {"station_id": station_id, "starts_at": wire(now), "ends_at": wire(now)}
        assert (await viewer.api.post("/maintenance-windows", json=body)).status_code == 403


async def test_planned_downtime_is_excluded_from_uptime(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        site = await location(tenant, station_id)
        a = datetime.now(UTC)
        b, c, d, e = a + STEP, a + 2 * STEP, a + 3 * STEP, a + 4 * STEP
        for instant, status in ((a, "Charging"), (b, "Faulted"), (d, "Available")):
            await station.ok(
                "StatusNotification",
                {
                    "connectorId": 1,
                    "status": status,
                    "errorCode": "NoError",
                    "timestamp": wire(instant),
                },
            )
        await until_past(e)
        before = await kpi(tenant, "uptime", a, e, station_id=station_id)
        # The fault fell in planned maintenance: the station's own window, then its site's.
        await create(tenant, station_id=station_id, starts_at=wire(b), ends_at=wire(c))
        await create(tenant, location_id=site, starts_at=wire(c), ends_at=wire(d))
        up = await kpi(tenant, "uptime", a, e, station_id=station_id)
        at_site = await kpi(tenant, "uptime", a, e, location_id=site)
        series = await tenant.api.get(
            f"/timeseries/stations/{station_id}/availability",
            params={"resolution": "1m", "start": wire(a), "end": wire(e)},
        )

    # Without the windows: up a-b and d-e, down b-d (Faulted).
    assert before["fraction"] == pytest.approx(0.5, abs=0.02)
    assert (up["up_s"], up["down_s"], up["excluded_s"]) == pytest.approx((0.4, 0.0, 0.4), abs=0.01)
    assert up["fraction"] == 1.0
    assert at_site["fraction"] == 1.0
    assert series.status_code == 200, series.text
    points = series.json()["points"]
    assert sum(p["down_s"] for p in points) == 0
    assert sum(p["excluded_s"] for p in points) >= 0.4 - 0.01


async def test_offline_alerts_wait_for_the_end_of_a_window(tenant: Tenant) -> None:
    await set_threshold(tenant, 1)
    resting, plain = await register(tenant), await register(tenant)
    now = datetime.now(UTC)
    window = await create(
        tenant,
        location_id=await location(tenant, resting),
        starts_at=wire(now - timedelta(minutes=1)),
        ends_at=wire(now + timedelta(hours=1)),
        reason="Site works",
    )
    await go_offline(tenant, resting)
    await go_offline(tenant, plain)  # away after the other: its alert comes after the other's

    await wait_for_alert(tenant, lambda a: a["name"] == "station-offline", station_id=plain)
    assert await alerts(tenant, station_id=resting) == []
    network = (await tenant.api.get("/network-status")).json()["items"]
    shown = {item["station_id"]: item for item in network}
    assert shown[resting]["in_maintenance"] is True
    assert shown[plain]["in_maintenance"] is False
    assert shown[resting]["network_status"] == "TemporarilyUnavailable"  # away, as it is

    ended = await tenant.api.patch(
        f"/maintenance-windows/{window['id']}", json={"ends_at": wire(datetime.now(UTC))}
    )
    assert ended.status_code == 200, ended.text
    late = await wait_for_alert(
        tenant, lambda a: a["name"] == "station-offline", station_id=resting
    )
    away = (await tenant.api.get(f"/stations/{resting}")).json()
    assert late["status"] == "Triggered" and late["started_at"] == away["disconnected_at"]


async def test_a_sites_window_covers_its_sub_locations_and_not_above(tenant: Tenant) -> None:
    """A window for a site covers the stations of every location below it (two levels down
    here) in the network status (the alert evaluator's quiet list) and in uptime; not the
    stations of the site's parent, nor of a sibling of the site."""
    above, deep, beside = await register(tenant), await register(tenant), await register(tenant)
    parent = await location(tenant, above)
    site = await location(tenant, parent_id=parent)
    building = await location(tenant, parent_id=site)
    await location(tenant, deep, parent_id=building)
    await location(tenant, beside, parent_id=parent)
    now = datetime.now(UTC)
    await create(
        tenant,
        location_id=site,
        starts_at=wire(now - timedelta(hours=1)),
        ends_at=wire(now + timedelta(hours=1)),
    )

    network = (await tenant.api.get("/network-status")).json()["items"]
    resting = {item["station_id"] for item in network if item["in_maintenance"]}
    assert resting == {deep}
    listed = await tenant.api.get("/maintenance-windows", params={"active_at": wire(now)})
    assert [w["location_id"] for w in listed.json()["items"]] == [site]

    # Never connected: down from registration, unless planned.
    start, end = now - timedelta(minutes=1), datetime.now(UTC) + timedelta(minutes=1)
    planned = await kpi(tenant, "uptime", start, end, station_id=deep)
    assert (planned["up_s"], planned["down_s"], planned["fraction"]) == (0.0, 0.0, None)
    assert planned["excluded_s"] > 0
    for unplanned in (above, beside):
        measured = await kpi(tenant, "uptime", start, end, station_id=unplanned)
        assert measured["down_s"] > 0 and measured["excluded_s"] == 0.0
        assert measured["fraction"] == 0.0
