"""A session with no departure given is planned with the departures its driver's past stays at
the site suggest (`load_management.learnt_departures`, `smart_charging.departures`): shown as
their lower quartile, planned to the latest of them, each slot weighed by the chance the driver
is still there (`smart_charging.horizon`). Real server, simulated 1.6 stations on loopback, real
SQLite. The past sessions are planted rows (hours long, days ago), the running ones are real."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.load_management.learnt_departures import Learnt, LearntDepartures
from chargeyard.smart_charging.departures import BLUR, POINTS, DeparturePolicy
from chargeyard.storage.database import Database
from chargeyard.transactions.models import Transaction
from tests.conftest import Tenant
from tests.load_management.conftest import TAG, SimSite, simulated_site


async def _plant_stays(
    tenant: Tenant, station_id: str, id_tag: str, hours: Sequence[float]
) -> None:
    """Past sessions of `id_tag` at `station_id`, one a day on the last days, `hours` long."""
    db = Database(tenant.server.settings.database_url)
    today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    try:
        async with db.writing() as uow:
            for day, length in enumerate(hours, start=2):
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
                        stopped_at=begin + timedelta(hours=length),
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


def _energy_before(session: dict[str, Any], at: datetime, moment: datetime) -> float:
    """The kWh planned for the session in the slots that begin before `moment`, the slot under
    way at `at` counting only what is left of it."""
    step = session["slots"][1] - session["slots"][0]
    total = 0.0
    for kw, start in zip(session["schedule_kw"], session["slots"], strict=True):
        if start < moment:
            total += kw * (start + step - max(start, at)).total_seconds() / 3600
    return total


async def test_the_driver_likely_to_leave_first_is_charged_first_and_by_their_latest_departure(
    tenant: Tenant,
) -> None:
    """Two drivers plug in, each needing 18 kWh, on an 11 kW fleet circuit. Driver 0 has
    stayed 1.75 to 2.5 h (2.1 h on average, sd 0.36 h once widened for five stays), driver 1
    always 9 h. Each is shown the lower quartile of the departures their stays suggest (the
    normal around 2.1 h: 1 h 52 min; and 9 h after plugging in) and planned to the latest (the
    normal's top point, 2 h 55 min, plus the 10-minute blur, `departures.BLUR`), each slot's
    kWh weighed by the chance the driver is still there:
    driver 0 gets the circuit first, while surely still there, and all of their 18 kWh is
    planned by their latest plausible departure; driver 1's by theirs, most of it later. An
    operator's departure for driver 1 (in 12 h) wins over the learnt one."""
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=11, objective="fleet") as site:
        ids = [station.station_id for station in site.stations]
        await _plant_stays(tenant, ids[0], f"{TAG}-0-1", (2.0, 1.75, 2.5, 2.0, 2.25))
        await _plant_stays(tenant, ids[1], f"{TAG}-1-1", (9.0,) * 5)
        begun = datetime.now(UTC)
        await site.start(0)
        await site.start(1)
        first = await _plan(tenant, site)
        for session in first.values():
            path = f"/transactions/{session['transaction_id']}/charging-needs"
            assert (await tenant.api.patch(path, json={"energy_kwh": 18})).status_code == 200
        at = datetime.now(UTC)
        plan = await _plan(tenant, site)
        short, long = plan[ids[0]], plan[ids[1]]
        leaves_short = datetime.fromisoformat(short["departure"])
        leaves_long = datetime.fromisoformat(long["departure"])
        assert timedelta(minutes=111) <= leaves_short - begun <= timedelta(minutes=113)
        assert timedelta(hours=9) <= leaves_long - begun <= timedelta(hours=9, minutes=1)
        # By their latest plausible departure (2 h 55 min plus the blur; a minute for the
        # start): nothing planned in a slot that begins later, and all of the 18 kWh before.
        latest_short = begun + timedelta(minutes=175 + 1) + BLUR
        latest_long = begun + timedelta(hours=9, minutes=1) + BLUR
        assert _planned_after(short, latest_short) == 0.0
        assert _energy_before(short, at, latest_short) == pytest.approx(18.0, abs=0.1)
        assert _planned_after(long, latest_long) == 0.0
        assert _energy_before(long, at, latest_long) == pytest.approx(18.0, abs=0.1)
        # Driver 0 first: 18 kWh is more than the 11 kW circuit gives before they may be
        # leaving (their earliest likely departure, 1 h 17 min, less the blur), so every slot
        # until then is all theirs, and driver 1 waits (with one departure at 2 h, driver 0
        # got 9 kW).
        surely_there = begun + timedelta(minutes=77) - BLUR
        step = short["slots"][1] - short["slots"][0]
        early = [i for i, start in enumerate(short["slots"]) if start + step <= surely_there]
        assert len(early) >= 3
        for i in early:
            assert short["schedule_kw"][i] == pytest.approx(11.0, abs=0.01)
            assert long["schedule_kw"][i] == pytest.approx(0.0, abs=0.01)
        assert _energy_before(long, at, leaves_short) < _energy_before(short, at, leaves_short)
        assert _planned_after(long, leaves_short) > 0  # driver 1 gets most of theirs later

        later = (datetime.now(UTC) + timedelta(hours=12)).replace(microsecond=0)
        path = f"/transactions/{long['transaction_id']}/charging-needs"
        set_need = await tenant.api.patch(path, json={"departure_at": later.isoformat()})
        assert set_need.status_code == 200, set_need.text
        plan = await _plan(tenant, site)
        assert datetime.fromisoformat(plan[ids[1]]["departure"]) == later
        assert _planned_after(plan[ids[0]], latest_short) == 0.0
        assert _planned_after(plan[ids[1]], later) == 0.0


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
        leaves = day + timedelta(hours=2)  # three stays of 2 h: no spread around the line
        assert found == {1: Learnt(leaves, (leaves,) * POINTS)}
    assert site.reads == 2  # the site's stays and the driver's, once
    assert memory.reads == 1
    tx.id_tag = "B"  # a tag known later (2.x) is a new driver: read again
    await memory.of(site, ["S"], [tx], UTC, day)  # type: ignore[arg-type]
    assert memory.reads == 2
    assert site.reads == 4
