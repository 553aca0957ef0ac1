"""A session with no departure given is planned to the one its driver's past stays at the site
suggest (`load_management.learnt_departures`, `smart_charging.departures`): real server,
simulated 1.6 stations on loopback, real SQLite. The past sessions are planted rows (hours
long, days ago), the running ones are real."""

from datetime import UTC, datetime, timedelta
from typing import Any

from chargeyard.load_management.learnt_departures import LearntDepartures
from chargeyard.smart_charging.departures import DeparturePolicy
from chargeyard.storage.database import Database
from chargeyard.transactions.models import Transaction
from tests.conftest import Tenant
from tests.load_management.conftest import TAG, SimSite, simulated_site


async def _plant_stays(tenant: Tenant, station_id: str, id_tag: str, hours: float) -> None:
    """Five past sessions of `id_tag` at `station_id`, each `hours` long, on the last days."""
    db = Database(tenant.server.settings.database_url)
    today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    try:
        async with db.writing() as uow:
            for day in range(2, 7):
                begin = today - timedelta(days=day)
                uow.session.add(
                    Transaction(
                        organization_id=tenant.organization_id,
                        station_id=station_id,
                        evse_id=1,
                        connector_id=1,
                        ocpp_transaction_id=f"past-{id_tag}-{day}",
                        id_tag=id_tag.lower(),  # tags compare case-insensitively
                        auth_status="Accepted",
                        started_at=begin,
                        stopped_at=begin + timedelta(hours=hours),
                        meter_start_wh=0,
                        meter_stop_wh=10_000,
                        energy_wh=10_000,
                    )
                )
            await uow.commit()
    finally:
        await db.dispose()


async def _plan(tenant: Tenant, site: SimSite) -> dict[str, Any]:
    """The what-if plan's sessions by station (one session per station here)."""
    made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
    assert made.status_code == 200, made.text
    return {s["station_id"]: s for s in made.json()["sessions"]}


async def test_a_driver_who_always_leaves_after_two_hours_is_charged_first(
    tenant: Tenant,
) -> None:
    """Two drivers plug in, each needing 18 kWh, on an 11 kW fleet circuit. Driver 0 has
    always left after 2 h, driver 1 after 9 h: driver 0 is planned to leave 2 h after
    plugging in and gets (nearly) all the power now; driver 1 is planned to 9 h and waits.
    An operator's departure for driver 1 (in 12 h) wins over the learnt one."""
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=11, objective="fleet") as site:
        ids = [station.station_id for station in site.stations]
        await _plant_stays(tenant, ids[0], f"{TAG}-0-1", 2.0)
        await _plant_stays(tenant, ids[1], f"{TAG}-1-1", 9.0)
        begun = datetime.now(UTC)
        await site.start(0)
        await site.start(1)
        first = await _plan(tenant, site)
        for session in first.values():
            path = f"/transactions/{session['transaction_id']}/charging-needs"
            assert (await tenant.api.patch(path, json={"energy_kwh": 18})).status_code == 200
        plan = await _plan(tenant, site)
        short, long = plan[ids[0]], plan[ids[1]]
        leaves_short = datetime.fromisoformat(short["departure"]) - begun
        leaves_long = datetime.fromisoformat(long["departure"]) - begun
        assert timedelta(hours=2) <= leaves_short <= timedelta(hours=2, minutes=1)
        assert timedelta(hours=9) <= leaves_long <= timedelta(hours=9, minutes=1)
        # 18 kWh in 2 h is 9 of the 11 kW in every slot until driver 0 leaves.
        assert short["schedule_kw"][0] >= 9.0 - 0.01
        assert long["schedule_kw"][0] <= 2.0 + 0.01

        later = (datetime.now(UTC) + timedelta(hours=12)).replace(microsecond=0)
        path = f"/transactions/{long['transaction_id']}/charging-needs"
        set_need = await tenant.api.patch(path, json={"departure_at": later.isoformat()})
        assert set_need.status_code == 200, set_need.text
        plan = await _plan(tenant, site)
        assert datetime.fromisoformat(plan[ids[1]]["departure"]) == later
        assert plan[ids[0]]["schedule_kw"][0] >= 9.0 - 0.01


class _CountingSite:
    """Stands in for `SiteRepository.past_stays`, counting its reads."""

    def __init__(self, stays: list[tuple[datetime, datetime]]) -> None:
        self.stays = stays
        self.reads = 0

    async def past_stays(
        self, station_ids: Any, id_tag: str | None, before: datetime, limit: int
    ) -> list[tuple[datetime, datetime]]:
        self.reads += 1
        return [s for s in self.stays if s[1] <= before][-limit:]


async def test_a_sessions_past_is_read_once_not_at_every_step() -> None:
    day = datetime(2026, 3, 2, 8, tzinfo=UTC)
    stays = [
        (day - timedelta(days=d), day - timedelta(days=d) + timedelta(hours=2)) for d in (1, 2, 3)
    ]
    site = _CountingSite(stays)
    memory = LearntDepartures(DeparturePolicy(quantile=0.5))
    tx = Transaction(id=1, id_tag="A", started_at=day, station_id="S", evse_id=1)
    for minutes in (0, 5, 10):
        found = await memory.of(site, ["S"], [tx], UTC, day + timedelta(minutes=minutes))  # type: ignore[arg-type]
        assert found == {1: day + timedelta(hours=2)}
    assert site.reads == 2  # the site's stays and the driver's, once
    assert memory.reads == 1
    tx.id_tag = "B"  # a tag known later (2.x) is a new driver: read again
    await memory.of(site, ["S"], [tx], UTC, day)  # type: ignore[arg-type]
    assert memory.reads == 2
    assert site.reads == 4
