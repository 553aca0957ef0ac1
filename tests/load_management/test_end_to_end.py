"""Load sharing through the real OCPP path: simulated 1.6 stations under a 22 kW circuit."""

import asyncio
import time
from typing import Any

import pytest

from chargeyard.simulator.station_v201 import SimulatedStationV201
from chargeyard.simulator.v16 import SimulatedStation
from tests.conftest import Tenant
from tests.load_management.conftest import simulated_site, until
from tests.support.payloads import fits

LIMIT_W = 22_000 - 1_000  # the circuit's limit less its buffer


@pytest.mark.parametrize("station_class", [SimulatedStation, SimulatedStationV201])
async def test_sessions_share_the_circuit_and_a_stop_hands_its_share_on(
    tenant: Tenant, station_class: type[Any]
) -> None:
    async with simulated_site(
        tenant, 3, station_class=station_class, max_power_kw=22, buffer_kw=1
    ) as site:
        started = time.perf_counter()
        for index in range(3):
            await site.start(index)
        await until(lambda: _settled(site.session_limits_w(), 3, LIMIT_W / 3))
        settle_s = time.perf_counter() - started
        shares = site.session_limits_w()
        await site.stop(0)
        await until(lambda: _settled(site.session_limits_w(), 2, LIMIT_W / 2))
        after_stop = site.session_limits_w()
    assert max(site.samples) <= LIMIT_W, max(site.samples)
    assert all(6_900 <= w <= LIMIT_W / 3 for w in shares), shares
    assert all(10_400 <= w <= LIMIT_W / 2 for w in after_stop), after_stop
    assert settle_s < 3
    sent = (await tenant.api.get("/smart-charging/profiles", params={"limit": 1000})).json()
    purposes = {item["purpose"] for item in sent["items"]}
    assert purposes == {"TxDefaultProfile", "TxProfile"}
    assert all(item["status"] == "delivered" and item["unit"] == "W" for item in sent["items"])
    results = await tenant.api.get(
        "/smart-charging/allocations", params={"circuit_id": site.circuit_id, "limit": 1000}
    )
    assert results.json()["total"] >= 3
    # Every payload the session recorded (stations, sessions, meter values, profiles) fits
    # its type, under both protocols.
    events = (await tenant.api.get("/events", params={"limit": 1000})).json()["items"]
    for event in events:
        fits(event["type"], event["data"])
    assert {"session.started", "meter_values.received", "charging_profile.delivered"} <= {
        event["type"] for event in events
    }


async def test_only_changes_are_sent(tenant: Tenant) -> None:
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=22) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: _settled(site.session_limits_w(), 2, 11_000))
        before = await _quiet(site)
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        assert sorted(s["power_kw"] for s in response.json()["sessions"]) == [11.0, 11.0]
        assert sum(s.commands_received for s in site.stations) == before
        lowered = await tenant.api.patch(f"/circuits/{site.circuit_id}", json={"max_power_kw": 16})
        assert lowered.status_code == 200
        await until(lambda: _settled(site.session_limits_w(), 2, 8_000))
    assert max(site.samples) <= 22_000


async def _quiet(site: Any, within_s: float = 60) -> int:
    """Commands received so far, once none arrived for 0.3 s (steps in flight finished).

    Commands that never stop coming fail the test after `within_s` rather than hang it.
    """
    count = -1
    async with asyncio.timeout(within_s):
        while count != (now := sum(s.commands_received for s in site.stations)):
            count = now
            await asyncio.sleep(0.3)
    return count


def _settled(limits: list[float], count: int, each_w: float) -> bool:
    return len(limits) == count and all(abs(w - each_w) <= 60 for w in limits)


@pytest.mark.parametrize("objective", ["off"])
async def test_an_unmanaged_circuit_sends_nothing(tenant: Tenant, objective: str) -> None:
    from tests.support.ocpp_client import PASSWORD

    created = await tenant.api.post(
        "/circuits", json={"name": "x", "max_power_kw": 5, "objective": objective}
    )
    station_id = tenant.unique("SC")
    await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    await tenant.api.patch(f"/stations/{station_id}", json={"circuit_id": created.json()["id"]})
    async with SimulatedStation(tenant.server.ocpp_url, station_id, password=PASSWORD) as station:
        assert await station.ensure_online()
        result = await tenant.api.post(f"/circuits/{created.json()['id']}/optimize")
        assert result.status_code == 200
        assert len(station.charger.profiles) == 0
