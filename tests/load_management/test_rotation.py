"""Through the controller and real OCPP: paused sessions take turns, and an operator's power
limit below an EV's minimum pauses that session and gives its share to the others."""

import asyncio
import time

from chargeyard.load_management.repository import TurnRepository
from chargeyard.smart_charging.rotation import Turn
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until

SLICE_S = 2.0


async def stored_turns(tenant: Tenant) -> dict[int, Turn]:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.reading() as uow:
            return await TurnRepository(uow.session, tenant.organization_id).all()
    finally:
        await db.dispose()


def charging(site: SimSite) -> list[bool]:
    """Per station (one connector each): whether its running session may draw now."""
    return [w > 0 for w in site.session_limits_w()]


async def test_three_sessions_where_two_fit_take_turns(tenant: Tenant) -> None:
    # 10 kW: two AC sessions at their 6 A minimum (4.14 kW) fit, three do not.
    async with simulated_site(
        tenant, 3, connectors=1, max_power_kw=10, rotation_slice_s=SLICE_S
    ) as site:
        for index in range(3):
            await site.start(index)
        await until(lambda: len(charging(site)) == 3 and charging(site).count(True) == 2)
        # Every session is paused at some point and then served again, within three slices
        # (each turn lasts one; a step's delivery takes some tens of ms more).
        paused_once: set[int] = set()
        back_at: dict[int, float] = {}
        started = time.monotonic()
        while len(back_at) < 3 and time.monotonic() - started < 6 * SLICE_S:
            for index, on in enumerate(charging(site)):
                if not on:
                    paused_once.add(index)
                elif index in paused_once and index not in back_at:
                    back_at[index] = time.monotonic() - started
            await asyncio.sleep(0.02)
        assert len(back_at) == 3, back_at
        assert max(back_at.values()) <= 3 * SLICE_S + 1.0, back_at
        circuit = await tenant.api.get(f"/circuits/{site.circuit_id}")
        assert circuit.json()["rotation_slice_s"] == SLICE_S
        # The turns are stored (a restarted controller goes on with them): one waits.
        turns = await stored_turns(tenant)
        assert len(turns) == 3
        assert sum(1 for t in turns.values() if t.waiting_since is not None) == 1
    assert max(site.samples) <= 10_000, max(site.samples)


async def test_an_operator_limit_below_the_minimum_pauses_and_gives_the_share_away(
    tenant: Tenant,
) -> None:
    async with simulated_site(tenant, 3, connectors=1, max_power_kw=21) as site:
        for index in range(3):
            await site.start(index)
        await until(lambda: _near(site.session_limits_w(), [7_000] * 3))
        station_id = site.stations[0].station_id
        limited = await tenant.api.post(
            f"/stations/{station_id}/power-limit", json={"limit": "3", "unit": "kW"}
        )
        assert limited.status_code == 200, limited.text
        # Its session cannot draw under 3 kW (6 A is 4.14 kW): it gets 0, the others 10.5 kW.
        await until(lambda: _near(site.session_limits_w(), [0, 10_500, 10_500]))
        plan = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
        assert plan.status_code == 200, plan.text
        by_station = {item["station_id"]: item["power_kw"] for item in plan.json()["sessions"]}
        assert by_station[station_id] == 0.0
        assert sorted(by_station.values()) == [0.0, 10.5, 10.5]
        cleared = await tenant.api.delete(f"/stations/{station_id}/power-limit")
        assert cleared.status_code == 200, cleared.text
        await until(lambda: _near(site.session_limits_w(), [7_000] * 3))
    assert max(site.samples) <= 21_000, max(site.samples)


def _near(limits: list[float], expected: list[float]) -> bool:
    return len(limits) == len(expected) and all(
        abs(got - want) <= 60 for got, want in zip(limits, expected, strict=True)
    )
