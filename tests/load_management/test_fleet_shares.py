"""Under `fleet`, sessions that nothing tells apart share a circuit evenly, as load sharing
shares it: simulated 1.6 stations on loopback, with no energy needs known.

The fleet LP is indifferent as to who gets a circuit's power when no session has a need, a
departure or a priority of its own; it gave all of it to one or two sessions and nothing to
the others (`schedule.FAIR_COST` breaks that tie).
"""

import pytest

from tests.conftest import Tenant
from tests.load_management.conftest import simulated_site, until


async def test_sessions_with_no_needs_share_the_circuit_evenly_under_fleet(
    tenant: Tenant,
) -> None:
    async with simulated_site(tenant, 3, connectors=1, objective="fleet", max_power_kw=21) as site:
        for index in range(3):
            await site.start(index)

        def even() -> bool:
            limits = site.session_limits_w()
            return len(limits) == 3 and all(abs(w - 7_000) < 50 for w in limits)

        await until(even, within_s=15.0)
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        sessions = response.json()["sessions"]
        assert len(sessions) == 3
        for session in sessions:
            # Every slot of the day ahead, not only the one under way.
            assert session["schedule_kw"] == pytest.approx(
                [7.0] * len(session["schedule_kw"]), abs=0.01
            )
    assert max(site.samples) <= 21_000 + 1
