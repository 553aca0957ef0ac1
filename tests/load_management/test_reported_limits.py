"""Charging limits stations report (2.0.1 NotifyChargingLimit) are constraints of the plan."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.charging_profiles.domain import LimitUnit
from chargeyard.load_management.reported_limits import ReportedLimit, in_force
from chargeyard.simulator.station_v201 import SimulatedStationV201
from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _schedule(*periods: tuple[int, float], unit: str = "W", **fields: object) -> dict[str, object]:
    return {
        "id": 1,
        "charging_rate_unit": unit,
        "charging_schedule_period": [{"start_period": s, "limit": v} for s, v in periods],
        **fields,
    }


def test_the_period_in_force_now_is_the_limit() -> None:
    reported = ReportedLimit(
        "S", 1, (_schedule((0, 11_000), (600, 4_000)),), NOW - timedelta(minutes=15)
    )
    [limit] = in_force([reported], NOW)
    assert (limit.station_id, limit.evse_id, limit.limit, limit.unit) == ("S", 1, 4.0, LimitUnit.KW)
    [earlier] = in_force([reported], NOW - timedelta(minutes=14))
    assert earlier.limit == 11.0


def test_a_schedule_not_started_ended_or_empty_limits_nothing() -> None:
    later = _schedule((0, 16), unit="A", start_schedule=(NOW + timedelta(hours=1)).isoformat())
    over = _schedule((0, 16), unit="A", duration=60)
    station_wide = _schedule((0, 20), unit="A")
    reported = [
        ReportedLimit("S", 1, (later, over), NOW - timedelta(minutes=5)),
        ReportedLimit("S", 2, (), NOW),
        ReportedLimit("T", None, (station_wide,), NOW),
    ]
    [limit] = in_force(reported, NOW)
    assert (limit.station_id, limit.evse_id, limit.limit, limit.unit) == ("T", 0, 20.0, LimitUnit.A)


def _near(site: SimSite, kw: list[float]) -> bool:
    limits = sorted(site.session_limits_w())
    return len(limits) == len(kw) and all(
        abs(w - v * 1000) <= 60 for w, v in zip(limits, sorted(kw), strict=True)
    )


@pytest.mark.parametrize("evse_id", [1, None], ids=["evse", "station"])
async def test_a_reported_limit_gives_what_the_station_cannot_take_to_the_others(
    tenant: Tenant, evse_id: int | None
) -> None:
    async with simulated_site(
        tenant, 2, connectors=1, station_class=SimulatedStationV201, max_power_kw=22
    ) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: _near(site, [11.0, 11.0]))
        limited = site.stations[0]
        await limited.notify_charging_limit("EMS", evse_id, [_schedule((0, 8_000))])
        await until(lambda: _near(site, [8.0, 14.0]))
        await limited.cleared_charging_limit("EMS", evse_id)
        await until(lambda: _near(site, [11.0, 11.0]))
    assert max(site.samples) <= 22_000
