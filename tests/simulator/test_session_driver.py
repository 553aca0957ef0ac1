"""Whole sessions stepped through on a ManualClock: what the CSMS sees, and the physics."""

from typing import Any

import pytest

from chargeyard.simulator import ManualClock, SessionDriver, SessionPlan, StopReason
from chargeyard.simulator.battery import MID_SIZE_EV, SMALL_EV, Vehicle
from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ChargingSchedule,
    ProfileKind,
    ProfilePurpose,
    RateUnit,
    SchedulePeriod,
)
from chargeyard.simulator.session_driver import SessionPhase

from .fake_csms import FakeCsms
from .stations import online


async def drive(driver: SessionDriver, clock: ManualClock) -> None:
    while (delay := await driver.step()) is not None:
        clock.advance(delay)


def statuses(csms: FakeCsms, connector_id: int = 1) -> list[str]:
    return [
        m["status"]
        for m in csms.messages("StatusNotification")
        if m["connector_id"] == connector_id
    ]


def energy(meter_value: dict[str, Any]) -> int:
    return next(
        int(s["value"])
        for s in meter_value["meter_value"][0]["sampled_value"]
        if s["measurand"] == "Energy.Active.Import.Register"
    )


async def test_an_hour_at_11_kw(csms: FakeCsms) -> None:
    clock = ManualClock()
    plan = SessionPlan(1, "TAG-OK", MID_SIZE_EV, arrival_soc=0.2, stay_s=3600, tap_after_s=15)
    async with online(csms, clock=clock, meter_interval=300) as station:
        await drive(SessionDriver(station, plan, clock), clock)

    assert statuses(csms) == ["Available", "Preparing", "Charging", "Finishing", "Available"]
    assert [m["id_tag"] for m in csms.messages("Authorize")] == ["TAG-OK"]
    meter_values = csms.messages("MeterValues")
    assert len(meter_values) == 11  # every 5 minutes, the 12th slot is the stop
    for i, meter_value in enumerate(meter_values, start=1):
        assert energy(meter_value) == pytest.approx(11_000 * i / 12, abs=1)
    stop = csms.messages("StopTransaction")[0]
    assert stop["meter_stop"] == 11_000
    assert stop["reason"] == "Local"
    assert stop["timestamp"].startswith("2025-01-06T09:00:15")


async def test_a_full_battery_suspends_the_session_from_the_car_side(csms: FakeCsms) -> None:
    clock = ManualClock()
    plan = SessionPlan(1, "TAG-OK", SMALL_EV, arrival_soc=0.7, stay_s=8 * 3600)
    async with online(csms, clock=clock, meter_interval=600) as station:
        await drive(SessionDriver(station, plan, clock), clock)

    assert statuses(csms) == [
        "Available",
        "Preparing",
        "Charging",
        "SuspendedEV",
        "Finishing",
        "Available",
    ]
    soc = [
        int(s["value"])
        for m in csms.messages("MeterValues")
        for s in m["meter_value"][0]["sampled_value"]
        if s["measurand"] == "SoC"
    ]
    assert soc == sorted(soc) and soc[-1] == 100
    # 30 % of 40 kWh, all of it: the taper slows the end but does not lose energy.
    assert csms.messages("StopTransaction")[0]["meter_stop"] == pytest.approx(12_000, abs=2)


async def test_a_single_phase_car_draws_on_l1_only(csms: FakeCsms) -> None:
    clock = ManualClock()
    plan = SessionPlan(1, "TAG-OK", SMALL_EV, stay_s=600)
    async with online(csms, clock=clock, meter_interval=300) as station:
        await drive(SessionDriver(station, plan, clock), clock)

    currents = {
        s["phase"]: s["value"]
        for s in csms.messages("MeterValues")[0]["meter_value"][0]["sampled_value"]
        if s["measurand"] == "Current.Import"
    }
    assert currents == {"L1": "32.00", "L2": "0.00", "L3": "0.00"}  # 7.4 kW at 230 V


def tx_default(limit_a: float, *periods: tuple[int, float]) -> ChargingProfile:
    schedule = ChargingSchedule(
        RateUnit.AMPS, (SchedulePeriod(0, limit_a), *(SchedulePeriod(s, a) for s, a in periods))
    )
    return ChargingProfile(1, 0, ProfilePurpose.TX_DEFAULT, ProfileKind.RELATIVE, schedule)


async def test_the_car_obeys_the_charging_profile(csms: FakeCsms) -> None:
    clock = ManualClock()
    big_car = Vehicle("big", capacity_wh=100_000, max_power_w=22_000)
    plan = SessionPlan(1, "TAG-OK", big_car, stay_s=3 * 3600)
    async with online(csms, clock=clock, meter_interval=3600) as station:
        # 10 A for an hour, then paused (below the 6 A an AC charger can signal), then 16 A.
        assert station.charger.install_profile(0, tx_default(10, (3600, 4), (7200, 16)))
        await drive(SessionDriver(station, plan, clock), clock)

    assert statuses(csms) == [
        "Available",
        "Preparing",
        "Charging",
        "SuspendedEVSE",
        "Charging",
        "Finishing",
        "Available",
    ]
    readings = [energy(m) for m in csms.messages("MeterValues")]
    assert readings == [6_900, 6_900]  # 10 A x 3 x 230 V for one hour, then nothing
    assert csms.messages("StopTransaction")[0]["meter_stop"] == 6_900 + 11_040


async def test_a_refused_tag_leaves_without_a_transaction(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, clock=clock) as station:
        driver = SessionDriver(station, SessionPlan(2, "STOLEN"), clock)
        await drive(driver, clock)

    assert driver.phase is SessionPhase.DONE
    assert csms.messages("StartTransaction") == []
    assert statuses(csms, 2) == ["Available", "Preparing", "Available"]


async def test_a_remote_stop_ends_the_session_early(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, clock=clock, meter_interval=60) as station:
        driver = SessionDriver(station, SessionPlan(1, "TAG-OK", stay_s=3600), clock)
        for _ in range(3):
            clock.advance(await driver.step() or 0)
        await station.end_transaction(1, StopReason.REMOTE)
        await drive(driver, clock)

    stop = csms.messages("StopTransaction")[0]
    assert stop["reason"] == "Remote"
    assert stop["timestamp"].startswith("2025-01-06T08:02:10")  # tap 10 s, meter 70 s, stop 130 s
    assert len(csms.messages("MeterValues")) == 1
    assert statuses(csms) == ["Available", "Preparing", "Charging", "Finishing", "Available"]


async def test_an_occupied_connector_is_left_alone(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, clock=clock) as station:
        await station.status(1, "Unavailable")
        driver = SessionDriver(station, SessionPlan(1, "TAG-OK"), clock)

        assert await driver.step() is None
    assert csms.messages("Authorize") == []


async def test_a_car_driving_off_unplugs_right_after_the_stop(csms: FakeCsms) -> None:
    clock = ManualClock()
    plan = SessionPlan(
        1, "TAG-OK", stay_s=600, unplug_after_s=300, stop_reason=StopReason.EV_DISCONNECTED
    )
    async with online(csms, clock=clock, meter_interval=300) as station:
        driver = SessionDriver(station, plan, clock)
        delays = []
        while (delay := await driver.step()) is not None:
            delays.append(delay)
            clock.advance(delay)

    assert delays[-1] == 0.0
    assert csms.messages("StopTransaction")[0]["reason"] == "EVDisconnected"
    assert statuses(csms)[-2:] == ["Finishing", "Available"]
