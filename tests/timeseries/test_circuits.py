"""A circuit's load series over a real server, smart charging and simulated 1.6 stations on
loopback: two cars sharing a 22 kW circuit (1 kW buffer) draw 10.5 kW each, under limits that
add up to the circuit's 21 kW."""

import math
from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.load_management.conftest import simulated_site, until


async def test_a_circuits_load_against_its_limits(tenant: Tenant, other_tenant: Tenant) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=22, buffer_kw=1) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: site.planned_limits_w() == [10_500, 10_500])
        for station in site.stations:
            await station.report_meter(1)
        end = datetime.now(UTC) + timedelta(minutes=5)
        params = {"resolution": "1m", "start": start.isoformat(), "end": end.isoformat()}
        response = await tenant.api.get(f"/timeseries/circuits/{site.circuit_id}", params=params)
    assert response.status_code == 200, response.text
    series = response.json()
    assert (series["circuit_id"], series["resolution"], series["truncated"]) == (
        site.circuit_id,
        "1m",
        False,
    )
    points = series["points"]
    # Minute buckets from the one holding start to the one holding end (about 15; more when
    # a loaded machine took minutes to get the cars charging).
    first = start.replace(second=0, microsecond=0)
    assert len(points) == math.ceil((end - first) / timedelta(minutes=1))
    assert points[0]["start"] == start.replace(second=0, microsecond=0).isoformat().replace(
        "+00:00", "Z"
    )
    # Before the sessions: nothing drawn, no limits to add up, the circuit's limit in force.
    assert (points[0]["load_kw"], points[0]["limits_kw"], points[0]["limit_kw"]) == (0, 0, 21)
    # The cars' readings: 10.5 kW each, never above the circuit's limit.
    assert max(p["peak_load_kw"] or 0 for p in points) == 21.0
    reached = [p for p in points if p["load_kw"] is not None]
    assert all(p["load_kw"] <= p["peak_load_kw"] <= 21.0 for p in reached)
    assert all(p["limits_kw"] is None or p["limits_kw"] <= 21.0 for p in reached)
    assert all(p["limit_kw"] == 21.0 for p in reached)
    # Nothing is known of the minutes after now.
    assert points[-1] == {
        "start": points[-1]["start"],
        "load_kw": None,
        "peak_load_kw": None,
        "limits_kw": None,
        "limit_kw": None,
    }

    theirs = await other_tenant.api.get(f"/timeseries/circuits/{site.circuit_id}")
    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    backwards = {"start": end.isoformat(), "end": start.isoformat()}
    wrong = await tenant.api.get(f"/timeseries/circuits/{site.circuit_id}", params=backwards)
    assert wrong.status_code == 422
    too_fine = {"resolution": "1m", "start": (end - timedelta(days=30)).isoformat()}
    wrong = await tenant.api.get(f"/timeseries/circuits/{site.circuit_id}", params=too_fine)
    assert wrong.status_code == 422
