"""A baseload reading lowers the fail-safe and idle defaults the stations hold, at the next
control step; solar never raises them (a fail-safe default must hold with the server gone,
and solar may go with it). A real server on loopback, two simulated stations (1.6, then
2.0.1) with two connectors (EVSEs) each under a 22 kW site connection with a 2 kW buffer: 20 kW for four EVSEs."""

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest

from chargeyard.simulator.charging_profile import ProfilePurpose, RateUnit
from chargeyard.simulator.station_v201 import SimulatedStationV201
from chargeyard.simulator.v16 import SimulatedStation
from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until
from tests.permissions.test_authorization import created

LIMIT_KW, BUFFER_KW = 22.0, 2.0


def _default_w(station: Any, connector_id: int) -> float | None:
    """The limit of the TxDefaultProfile installed on `connector_id` (0: station-wide), W."""
    for installed in station.charger.profiles:
        profile = installed.profile
        if installed.connector_id == connector_id and profile.purpose is ProfilePurpose.TX_DEFAULT:
            assert profile.schedule.unit is RateUnit.WATTS
            return profile.schedule.periods[0].limit
    return None


def _starting_w(station: Any, connector_id: int) -> float:
    """The limit a session starting on the connector now runs under: its own TxDefaultProfile,
    else the station-wide one (OCPP 1.6 3.13.2, 2.0.1 K01); inf: none."""
    for value in (_default_w(station, connector_id), _default_w(station, 0)):
        if value is not None:
            return value
    return float("inf")


def _fail_safe_sum_w(site: SimSite) -> float:
    """What the station-wide defaults let every EVSE draw at once (a session on each that
    nothing else reached)."""
    return sum(_starting_w(s, 0) * len(s.charger.connectors) for s in site.stations)


def _every_evse_w(site: SimSite) -> float:
    """The sum over every connector of the limit a session starting there now runs under."""
    return sum(_starting_w(s, c) for s in site.stations for c in s.charger.connectors)


def _all_at(site: SimSite, kw: float) -> bool:
    """Every station-wide and per-connector default at `kw`."""
    return all(
        abs(_starting_w(s, c) - kw * 1000) <= 1
        for s in site.stations
        for c in (0, *s.charger.connectors)
    )


async def _measure(tenant: Tenant, circuit_id: str, kind: str, power_kw: float) -> None:
    posted = await tenant.api.post(
        f"/circuits/{circuit_id}/measurements",
        json=[{"kind": kind, "measured_at": datetime.now(UTC).isoformat(), "power_kw": power_kw}],
    )
    assert posted.status_code == 201, posted.text


async def _meter_reading(tenant: Tenant, meter_id: str, power_kw: float) -> None:
    body = {"measured_at": datetime.now(UTC).isoformat(), "power_kw": power_kw}
    posted = await tenant.api.post(f"/external-meters/{meter_id}/readings", json=body)
    assert posted.status_code == 201, posted.text


async def _planned_defaults(tenant: Tenant, circuit_id: str) -> set[float]:
    """The TxDefaultProfile limits (station-wide and per EVSE) the controller's plan gives."""
    made = await tenant.api.post(f"/circuits/{circuit_id}/what-if", json={})
    assert made.status_code == 200, made.text
    return {x["limit_kw"] for x in made.json()["limits"] if x["purpose"] == "TxDefaultProfile"}


@pytest.mark.parametrize("station_class", [SimulatedStation, SimulatedStationV201])
async def test_baseload_lowers_the_defaults_stations_hold_and_solar_does_not_raise_them(
    tenant: Tenant, station_class: type[Any]
) -> None:
    fail_safe: list[float] = []
    every_evse: list[float] = []
    async with simulated_site(
        tenant,
        2,
        connectors=2,
        station_class=station_class,
        max_power_kw=LIMIT_KW,
        buffer_kw=BUFFER_KW,
    ) as site:

        async def sample() -> None:
            while True:
                fail_safe.append(_fail_safe_sum_w(site))
                every_evse.append(_every_evse_w(site))
                await asyncio.sleep(0.002)

        sampler = asyncio.create_task(sample())
        try:
            # 20 kW for four idle EVSEs.
            await until(lambda: _all_at(site, 5.0))
            assert await _planned_defaults(tenant, site.circuit_id) == {5.0}

            # 8 kW of baseload leaves 12 kW: 3 kW each, station-wide and per EVSE.
            await _measure(tenant, site.circuit_id, "baseload", 8.0)
            await until(lambda: _all_at(site, 3.0), within_s=20)
            lowered = len(fail_safe)

            # 10 kW of solar: the live plan could give 22 kW, the defaults stay at 3 kW.
            await _measure(tenant, site.circuit_id, "solar", 10.0)
            assert await _planned_defaults(tenant, site.circuit_id) == {3.0}

            # A newer baseload of 6 kW leaves 14 kW: 3.5 kW each. Had solar counted, the
            # defaults would be 6 kW each (20 - 6 + 10 over four).
            before_six = len(fail_safe)
            await _measure(tenant, site.circuit_id, "baseload", 6.0)
            await until(lambda: _all_at(site, 3.5), within_s=20)
            assert await _planned_defaults(tenant, site.circuit_id) == {3.5}

            # A meter on the site connection feeding 4 kW in (a battery, say) may stop with
            # the server gone too: it raises no default (18 kW over four would be 4.5 kW).
            meter = await created(
                tenant, "/external-meters", {"name": "battery", "circuit_id": site.circuit_id}
            )
            await _meter_reading(tenant, meter["id"], -4.0)
            assert await _planned_defaults(tenant, site.circuit_id) == {3.5}
            # Drawing 2 kW, it is baseload like the rest: 20 - 6 - 2 kW over four.
            await _meter_reading(tenant, meter["id"], 2.0)
            assert await _planned_defaults(tenant, site.circuit_id) == {3.0}
            await until(lambda: _all_at(site, 3.0), within_s=20)
        finally:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
        assert _all_at(site, 3.0)

    # Once lowered for the 8 kW baseload, never above what it leaves (12 kW) until the 6 kW
    # reading, never above what that leaves (14 kW) after.
    assert max(fail_safe[lowered:before_six]) <= 12_000 + 1
    assert max(every_evse[lowered:before_six]) <= 12_000 + 1
    assert max(fail_safe[before_six:]) <= 14_000 + 1
    assert max(every_evse[before_six:]) <= 14_000 + 1
