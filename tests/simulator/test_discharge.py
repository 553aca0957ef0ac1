"""A simulated station discharging its vehicle under a negative limit (V2G): the battery gives
power back, the export register counts it, and the limit in force counts negative."""

import pytest

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.charger import Charger
from chargeyard.simulator.charging_profile import ProfileKind, ProfilePurpose, RateUnit
from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.connector import AC_11_KW, Transaction, TransactionId
from chargeyard.simulator.v201_smart_charging import parse_profile
from tests.simulator.test_charging_limits import TX, profile


def test_a_battery_gives_back_what_it_is_asked_at_most_its_chargers_maximum() -> None:
    battery = EVBattery(MID_SIZE_EV, 0.5)
    assert battery.draw_w(-5_000) == -5_000
    assert battery.draw_w(-50_000) == -MID_SIZE_EV.max_power_w
    taken = battery.charge(-5_800, 3600)
    assert taken == pytest.approx(-5_800)
    assert battery.soc == pytest.approx(0.5 - 5.8 / 58)


def test_an_empty_battery_gives_nothing_back() -> None:
    battery = EVBattery(MID_SIZE_EV, 0.001)
    assert battery.charge(-11_000, 3600) == pytest.approx(-58.0)
    assert battery.soc == 0.0
    assert battery.draw_w(-11_000) == 0.0


def test_a_station_under_a_negative_txprofile_discharges_and_counts_it_negative() -> None:
    clock = ManualClock()
    charger = Charger(1, AC_11_KW, clock)
    connector = charger.connector(1)
    connector.transaction = Transaction(
        TransactionId(TX), "TAG", clock.now(), 0, EVBattery(MID_SIZE_EV, 0.5)
    )
    tx = profile(
        1,
        ProfilePurpose.TX,
        (0, -6_000.0),
        unit=RateUnit.WATTS,
        kind=ProfileKind.RELATIVE,
        start=None,
        transaction_id=TX,
    )
    cap = profile(2, ProfilePurpose.TX_DEFAULT, (0, 8_000.0), unit=RateUnit.WATTS)
    assert charger.install_profile(0, cap)
    assert charger.install_profile(1, tx)
    assert charger.in_force_w() == {1: -6_000.0}
    charger.advance(connector)
    assert connector.power_w == -6_000.0
    clock.advance(1800)
    charger.advance(connector)
    assert connector.exported_wh == pytest.approx(3_000.0)
    assert connector.energy_wh == 0.0  # the import register never runs backwards


def test_a_21_central_setpoint_is_read_as_its_negative_setpoint() -> None:
    clock = ManualClock()
    parsed = parse_profile(
        {
            "id": 3,
            "stack_level": 1,
            "charging_profile_purpose": "TxProfile",
            "charging_profile_kind": "Relative",
            "transaction_id": "tx",
            "charging_schedule": [
                {
                    "id": 3,
                    "charging_rate_unit": "W",
                    "charging_schedule_period": [
                        {"start_period": 0, "limit": 2_000},
                        {
                            "start_period": 900,
                            "limit": 0,
                            "discharge_limit": -4_000,
                            "setpoint": -4_000,
                            "operation_mode": "CentralSetpoint",
                        },
                    ],
                }
            ],
        },
        clock.now(),
    )
    assert [p.limit for p in parsed.schedule.periods] == [2_000, -4_000]
