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
    """The what-if plan's sessions by station (one session per station here), each with the
    start of its schedule's slots (`slots`): quarter hours on the clock, the first under way."""
    made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
    assert made.status_code == 200, made.text
    plan = made.json()
    at, step = datetime.fromisoformat(plan["at"]), timedelta(minutes=plan["slot_minutes"])
    first = at - (at - at.replace(hour=0, minute=0, second=0, microsecond=0)) % step
    sessions = {s["station_id"]: s for s in plan["sessions"]}
    for session in sessions.values():
        session["slots"] = [first + i * step for i in range(len(session["schedule_kw"] or []))]
    return sessions


def _planned_after(session: dict[str, Any], moment: datetime) -> float:
    """The most power the session is planned in a slot that begins at `moment` or later."""
    return max(
        (
            kw
            for kw, start in zip(session["schedule_kw"], session["slots"], strict=True)
            if start >= moment
        ),
        default=0.0,
    )


async def test_a_driver_who_always_leaves_after_two_hours_is_charged_first(
    tenant: Tenant,
) -> None:
    """Two drivers plug in, each needing 18 kWh, on an 11 kW fleet circuit. Driver 0 has
    always left after 2 h, driver 1 after 9 h: driver 0 is planned to leave 2 h after
    plugging in and gets all of theirs before then; driver 1 is planned to 9 h.
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
        leaves_short = datetime.fromisoformat(short["departure"])
        leaves_long = datetime.fromisoformat(long["departure"])
        assert timedelta(hours=2) <= leaves_short - begun <= timedelta(hours=2, minutes=1)
        assert timedelta(hours=9) <= leaves_long - begun <= timedelta(hours=9, minutes=1)
        # Driver 0's 18 kWh is all planned before they leave (2 h at 11 kW would give 22):
        # nothing in a slot that begins after their departure. The LP is free to choose how
        # the two share each slot until then, so the test asks no particular split.
        assert _planned_after(short, leaves_short) == 0.0
        assert max(short["schedule_kw"]) > 0
        assert _planned_after(long, leaves_long) == 0.0
        assert _planned_after(long, leaves_short) > 0  # driver 1 gets most of theirs later

        later = (datetime.now(UTC) + timedelta(hours=12)).replace(microsecond=0)
        path = f"/transactions/{long['transaction_id']}/charging-needs"
        set_need = await tenant.api.patch(path, json={"departure_at": later.isoformat()})
        assert set_need.status_code == 200, set_need.text
        plan = await _plan(tenant, site)
        assert datetime.fromisoformat(plan[ids[1]]["departure"]) == later
        assert _planned_after(plan[ids[0]], leaves_short) == 0.0


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
