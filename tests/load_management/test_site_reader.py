"""Inputs the site reader turns into the plan take effect at the next control step, not the
next 15-minute slot: simulated 1.6 stations under a load-shared circuit on loopback."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until


def _each_near(site: SimSite, kw: float) -> bool:
    limits = site.session_limits_w()
    return len(limits) == 2 and all(abs(w - kw * 1000) <= 60 for w in limits)


async def _measure(
    tenant: Tenant, site: SimSite, kind: str, power_kw: float, ago: timedelta = timedelta()
) -> None:
    at = (datetime.now(UTC) - ago).isoformat()
    posted = await tenant.api.post(
        f"/circuits/{site.circuit_id}/measurements",
        json=[{"kind": kind, "measured_at": at, "power_kw": power_kw}],
    )
    assert posted.status_code == 201, posted.text


async def test_solar_and_baseload_posted_mid_slot_count_at_once(tenant: Tenant) -> None:
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=11) as site:
        await site.start(0)
        await site.start(1)
        # Readings before the slot under way began: the slot starts from them.
        await _measure(tenant, site, "solar", 0.0, ago=timedelta(minutes=20))
        await _measure(tenant, site, "baseload", 0.0, ago=timedelta(minutes=20))
        await until(lambda: _each_near(site, 5.5))
        await _measure(tenant, site, "solar", 8.0)  # 11 + 8 kW
        await until(lambda: _each_near(site, 9.5))
        high = len(site.samples)
        await _measure(tenant, site, "baseload", 5.0)  # 11 + 8 - 5 kW
        await until(lambda: _each_near(site, 7.0))
        low = len(site.samples)
    assert max(site.samples[:high]) <= 19_000
    # Lowered limits are in force once both sessions are at 7 kW: never above 14 kW after.
    assert max(site.samples[low:], default=0) <= 14_000
