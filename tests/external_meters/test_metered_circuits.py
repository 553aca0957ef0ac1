"""An external meter on a sub-circuit is a load on that circuit (and every one above it), as a
station's draw is: over a real server with simulated 1.6 stations on loopback, the two sessions
of an 11 kW sub-circuit under a 50 kW site connection are lowered so that they and the meter fit
the sub-circuit's limit less its buffer, while the site connection is far from binding; the
circuit pages count the meter in the sum of the limits in force."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user
from tests.load_management.conftest import SimSite, circuit, simulated_site, until
from tests.permissions.test_authorization import created

SUB_LIMIT_KW, BUFFER_KW = 11.0, 1.0


async def _planned(tenant: Tenant, circuit_id: str) -> list[float]:
    made = await tenant.api.post(f"/circuits/{circuit_id}/what-if", json={})
    assert made.status_code == 200, made.text
    return sorted(s["power_kw"] for s in made.json()["sessions"])


def _each_at(site: SimSite, kw: float) -> bool:
    limits = site.session_limits_w()
    return len(limits) == 2 and all(abs(w - kw * 1000) <= 60 for w in limits)


async def _reading(tenant: Tenant, meter_id: str, at: datetime, kw: float) -> None:
    body = {"measured_at": at.isoformat(), "power_kw": kw}
    posted = await tenant.api.post(f"/external-meters/{meter_id}/readings", json=body)
    assert posted.status_code == 201, posted.text


async def _limits_in_force_now(client: Any, circuit_id: str, expected: float) -> None:
    """The circuit page's plot data ends at the sum of the limits in force now (the profiles'
    delivery rows are written as the stations answer: polled until they are)."""

    async def last() -> float | None:
        load = await client.get(f"/circuits/{circuit_id}/load", params={"hours": 1})
        assert load.status_code == 200, load.text
        value = load.json()["limits_kw"][-1]
        return None if value is None else float(value)

    async with asyncio.timeout(20):
        while await last() != pytest.approx(expected, abs=0.07):  # noqa: ASYNC110 - an HTTP read, no event to wait on
            await asyncio.sleep(0.05)


async def test_a_meter_on_a_sub_circuit_counts_against_its_limit(tenant: Tenant) -> None:
    root = await circuit(tenant, max_power_kw=50)
    async with simulated_site(
        tenant,
        2,
        connectors=1,
        parent_id=root,
        max_power_kw=SUB_LIMIT_KW,
        buffer_kw=BUFFER_KW,
    ) as site:
        for station in site.stations:
            # A low minimum, so that the two sessions share what the meter leaves (3 kW each)
            # rather than take turns.
            wired = await tenant.api.put(
                f"/stations/{station.station_id}/wiring", json={"min_power_kw": 1.4}
            )
            assert wired.status_code == 200, wired.text
        await site.start(0)
        await site.start(1)
        await until(lambda: _each_at(site, 5.0))
        assert await _planned(tenant, site.circuit_id) == [5.0, 5.0]

        meter = await created(
            tenant, "/external-meters", {"name": "heat pump", "circuit_id": site.circuit_id}
        )
        # A reading three hours old still counts: a reading holds until a newer one, however
        # old (as baseload readings do).
        await _reading(tenant, meter["id"], datetime.now(UTC) - timedelta(hours=3), 4.0)
        # 11 kW less the 1 kW buffer less the meter's 4 kW; the site connection (50 kW less
        # 4 kW) is far from binding, so before, the sessions kept 5 kW each.
        assert await _planned(tenant, site.circuit_id) == [
            pytest.approx(3.0),
            pytest.approx(3.0),
        ]
        assert await _planned(tenant, root) == [pytest.approx(3.0), pytest.approx(3.0)]
        await until(lambda: _each_at(site, 3.0), within_s=20)
        assert sum(site.session_limits_w()) / 1000 + 4.0 <= SUB_LIMIT_KW - BUFFER_KW + 0.06

        viewer = await make_user(tenant, "viewer")
        async with browser_client(tenant, viewer) as client:
            # The meter's 4 kW is in the sum of the limits in force, of the sub-circuit and of
            # the site connection above it.
            await _limits_in_force_now(client, site.circuit_id, 3.0 + 3.0 + 4.0)
            await _limits_in_force_now(client, root, 3.0 + 3.0 + 4.0)

            # A newer reading replaces it: the sessions are raised to what 2 kW leaves.
            await _reading(tenant, meter["id"], datetime.now(UTC), 2.0)
            assert await _planned(tenant, site.circuit_id) == [
                pytest.approx(4.0),
                pytest.approx(4.0),
            ]
            await until(lambda: _each_at(site, 4.0), within_s=20)
            await _limits_in_force_now(client, site.circuit_id, 4.0 + 4.0 + 2.0)
