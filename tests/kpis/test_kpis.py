"""Connectivity and uptime over real REST from what a real 1.6 station on loopback reported."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.commands.conftest import Online, register
from tests.conftest import Tenant

STEP = timedelta(milliseconds=200)


def wire(instant: datetime) -> str:
    return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def until_past(instant: datetime) -> None:
    """Wait until `instant` lies in the past (a KPI never measures the future)."""
    await asyncio.sleep(max(0.0, (instant - datetime.now(UTC)).total_seconds()) + 0.01)
    assert datetime.now(UTC) > instant


async def kpi(tenant: Tenant, name: str, start: datetime, end: datetime, **params: Any) -> Any:
    response = await tenant.api.get(
        f"/kpis/{name}", params={"start": wire(start), "end": wire(end), **params}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def wait_connected(tenant: Tenant, station_id: str, connected: bool) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while (await tenant.api.get(f"/stations/{station_id}")).json()["connected"] != connected:
        assert loop.time() < deadline
        await asyncio.sleep(0.05)


async def test_uptime_and_connectivity_of_a_station(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        a = datetime.now(UTC)
        b, c, d = a + STEP, a + 2 * STEP, a + 3 * STEP
        for instant, status in (
            (a, "Charging"),
            (b, "Faulted"),
            (c, "Unavailable"),
            (d, "Available"),
        ):
            await station.ok(
                "StatusNotification",
                {
                    "connectorId": 1,
                    "status": status,
                    "errorCode": "NoError",
                    "timestamp": wire(instant),
                },
            )
        await until_past(d)
        up = await kpi(tenant, "uptime", a, d, station_id=station_id)
        online_share = await kpi(tenant, "connectivity", a, d, station_id=station_id)
        used = await kpi(tenant, "utilisation", a, d, station_id=station_id)

    # Charging (Occupied) a-b is up, Faulted b-c down, Unavailable c-d planned (excluded).
    assert up["kpi"] == "uptime" and up["station_id"] == station_id
    assert up["fraction"] == pytest.approx(0.5)
    assert (up["up_s"], up["down_s"], up["excluded_s"]) == pytest.approx((0.2, 0.2, 0.2))
    assert online_share["fraction"] == 1.0
    assert used["kpi"] == "utilisation" and used["fraction"] == pytest.approx(0.5)

    await wait_connected(tenant, station_id, False)
    e = datetime.now(UTC)
    await until_past(e + STEP)
    away = await kpi(tenant, "connectivity", e, e + STEP, station_id=station_id)
    assert away["fraction"] == 0.0
    offline_uptime = await kpi(tenant, "uptime", e, e + STEP, station_id=station_id)
    assert offline_uptime["fraction"] == 0.0  # Available, but offline: down


async def test_the_organization_and_defaults(tenant: Tenant, other_tenant: Tenant) -> None:
    station_id = await register(tenant)
    whole = await tenant.api.get("/kpis/uptime")
    assert whole.status_code == 200
    assert whole.json()["stations"] == 1
    never = await tenant.api.get("/kpis/connectivity", params={"station_id": station_id})
    assert never.json()["fraction"] == 0.0  # registered, never connected

    foreign = await other_tenant.api.get("/kpis/uptime", params={"station_id": station_id})
    assert foreign.status_code == 404
    backwards = await tenant.api.get(
        "/kpis/uptime", params={"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
    )
    assert backwards.status_code == 422


async def test_only_stations_in_production_count(tenant: Tenant, online: Online) -> None:
    """A station in stock (or planned, or deprecated) is not in service: no KPI counts it, and
    asking for it alone measures nothing rather than 404."""
    in_service = await register(tenant)
    in_stock = await register(tenant)
    stocked = await tenant.api.patch(f"/stations/{in_stock}", json={"deploy_state": "Stock"})
    assert stocked.status_code == 200, stocked.text
    a = datetime.now(UTC)
    for station_id in (in_service, in_stock):
        async with online(station_id) as (_, station):
            await station.ok(
                "StartTransaction",
                {"connectorId": 1, "idTag": "ANY", "meterStart": 0, "timestamp": wire(a)},
            )
    b = datetime.now(UTC) + STEP
    await until_past(b)
    uptime = await kpi(tenant, "uptime", a, b)
    sessions = await kpi(tenant, "sessions", a, b)
    alone = await kpi(tenant, "connectivity", a, b, station_id=in_stock)
    assert uptime["stations"] == 1
    assert sessions["total"]["sessions"] == 1
    assert alone["stations"] == 0
    promoted = await tenant.api.patch(f"/stations/{in_stock}", json={"deploy_state": "Production"})
    assert promoted.status_code == 200
    assert (await kpi(tenant, "sessions", a, b))["total"]["sessions"] == 2


async def test_a_locations_kpis_include_the_locations_below_it(tenant: Tenant) -> None:
    campus = await tenant.api.post("/locations", json={"name": "Campus"})
    car_park = await tenant.api.post(
        "/locations", json={"name": "Car park", "parent_id": campus.json()["id"]}
    )
    station_id = await register(tenant)
    moved = await tenant.api.patch(
        f"/stations/{station_id}", json={"location_id": car_park.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    for location in (campus, car_park):
        measured = await tenant.api.get(
            "/kpis/uptime", params={"location_id": location.json()["id"]}
        )
        assert measured.json()["stations"] == 1


async def test_uptime_of_one_connector(tenant: Tenant, online: Online) -> None:
    """A 1.6 connector n is EVSE n's connector 1: one faulted and one available connector make
    the station half up and each connector all down or all up; an EVSE or a connector the
    station does not have is not found."""
    async with online() as (station_id, station):
        a = datetime.now(UTC)
        b = a + 2 * STEP
        for connector, status in ((1, "Faulted"), (2, "Available")):
            await station.ok(
                "StatusNotification",
                {
                    "connectorId": connector,
                    "status": status,
                    "errorCode": "GroundFailure" if status == "Faulted" else "NoError",
                    "timestamp": wire(a),
                },
            )
        await until_past(b)
        whole = await kpi(tenant, "uptime", a, b, station_id=station_id)
        faulted, available = [
            await kpi(tenant, "uptime", a, b, station_id=station_id, evse_id=evse, connector_id=c)
            for evse, c in ((1, 1), (2, 1))
        ]
        absent = [
            await tenant.api.get("/kpis/uptime", params={"station_id": station_id} | lacking)
            for lacking in (
                {"evse_id": 1, "connector_id": 2},
                {"evse_id": 3, "connector_id": 1},
                {"evse_id": 3},
            )
        ]
        sessions = await tenant.api.get(
            "/kpis/sessions", params={"station_id": station_id, "evse_id": 2, "connector_id": 1}
        )
        alone = await tenant.api.get(
            "/kpis/uptime", params={"station_id": station_id, "connector_id": 1}
        )

    assert whole["fraction"] == pytest.approx(0.5, abs=0.05)
    assert (faulted["fraction"], available["fraction"]) == (0.0, 1.0)
    assert (faulted["evse_id"], faulted["connector_id"]) == (1, 1)
    assert [answer.status_code for answer in absent] == [404, 404, 404]
    assert sessions.status_code == 200 and sessions.json()["connector_id"] == 1
    assert alone.status_code == 422, alone.text


CALENDAR_ENDS = [
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "0001-01-03T00:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T00:00:00Z",
]


@pytest.mark.parametrize("instant", CALENDAR_ENDS)
async def test_periods_at_the_ends_of_the_calendar_are_answered_or_refused(
    tenant: Tenant, instant: str
) -> None:
    """A KPI, a session statistic or an uptime report from or to year 1 or 9999 is measured
    or refused (422), never a 500: the default week before or after it, and the day or week a
    boundary falls in, lie beyond the calendar (the edge refuses instants outside 1900-9000)."""
    station_id = await register(tenant)
    paths = [
        "/kpis/uptime",
        "/kpis/connectivity",
        "/kpis/utilisation",
        "/kpis/sessions",
        "/reports/uptime.csv",
    ]
    for path in paths:
        for name in ("start", "end"):
            for interval in ("day", "week", "month"):
                params = {name: instant, "station_id": station_id, "interval": interval}
                answer = await tenant.api.get(path, params=params)
                assert answer.status_code in (200, 422), (path, params, answer.text)
                if answer.status_code == 422:
                    assert answer.headers["content-type"] == "application/problem+json"
                if path != "/kpis/sessions":
                    break  # the interval matters to session statistics only
    # The widest period the edge takes (`api/limits.py: Moment`) is refused before millions of
    # intervals are built.
    whole = await tenant.api.get(
        "/kpis/sessions",
        params={"start": "1900-01-01T00:00:00Z", "end": "8999-12-31T23:59:59Z"},
    )
    assert whole.status_code == 422 and "at most 1000 intervals" in whole.text


async def test_a_locations_figures_cover_its_sub_locations(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    """A site's KPIs, its uptime report and its series cover the stations of every location
    below it; the scope is one station or one location, and a foreign location is not found."""
    site = (await tenant.api.post("/locations", json={"name": tenant.unique("site")})).json()
    body = {"name": tenant.unique("car park"), "parent_id": site["id"]}
    car_park = (await tenant.api.post("/locations", json=body)).json()
    direct, below, elsewhere = [await register(tenant) for _ in range(3)]
    placed = {direct: site["id"], below: car_park["id"], elsewhere: None}
    for station_id, location_id in placed.items():
        if location_id is not None:
            moved = await tenant.api.patch(
                f"/stations/{station_id}", json={"location_id": location_id}
            )
            assert moved.status_code == 200, moved.text
    ids = list(placed)
    end = datetime.now(UTC) + timedelta(minutes=1)
    start = end - timedelta(hours=1)

    for name in ("uptime", "connectivity", "utilisation"):
        at_site = await kpi(tenant, name, start, end, location_id=site["id"])
        assert at_site["stations"] == 2, name
        assert (await kpi(tenant, name, start, end, location_id=car_park["id"]))["stations"] == 1
    report = await tenant.api.get("/reports/uptime.csv", params={"location_id": site["id"]})
    assert report.status_code == 200, report.text
    rows = report.text.splitlines()[1:]
    assert sorted(row.split(",")[0] for row in rows) == sorted(ids[:2])
    series = await tenant.api.get(f"/timeseries/locations/{site['id']}")
    assert series.status_code == 200, series.text

    refused = {
        "both": {"station_id": ids[0], "location_id": site["id"]},
        "evse alone": {"evse_id": 1},
    }
    for why, params in refused.items():
        answer = await tenant.api.get("/kpis/uptime", params=params)
        assert answer.status_code == 422, (why, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    both = await tenant.api.get("/reports/uptime.csv", params=refused["both"])
    assert both.status_code == 422, both.text
    for api, location_id in ((tenant.api, "nowhere"), (other_tenant.api, site["id"])):
        for name in ("uptime", "connectivity", "sessions"):
            answer = await api.get(f"/kpis/{name}", params={"location_id": location_id})
            assert answer.status_code == 404, (name, answer.text)
