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
