import pytest

from chargeyard.simulator.battery import FAST_AC_EV, MID_SIZE_EV, EVBattery, Vehicle


def test_full_power_below_the_knee() -> None:
    battery = EVBattery(MID_SIZE_EV, soc=0.5)

    assert battery.acceptance_w() == 11_000
    assert battery.draw_w(22_000) == 11_000
    assert battery.draw_w(4_000) == 4_000


@pytest.mark.parametrize(
    ("soc", "expected_w"),
    [(0.8, 11_000), (0.85, 8_250), (0.9, 5_500), (0.99, 550), (0.995, 550), (1.0, 0)],
)
def test_power_tapers_linearly_from_80_percent_down_to_a_trickle(
    soc: float, expected_w: float
) -> None:
    assert EVBattery(MID_SIZE_EV, soc).acceptance_w() == pytest.approx(expected_w)


def test_charging_at_full_power_adds_power_times_time() -> None:
    battery = EVBattery(MID_SIZE_EV, soc=0.2)

    taken_wh = battery.charge(offered_w=22_000, seconds=3600)

    assert taken_wh == pytest.approx(11_000)
    assert battery.soc == pytest.approx(0.2 + 11_000 / 58_000)


def test_an_offer_below_the_cars_maximum_limits_the_charge() -> None:
    battery = EVBattery(FAST_AC_EV, soc=0.1)

    assert battery.charge(offered_w=7_000, seconds=1800) == pytest.approx(3_500)


def test_the_taper_makes_the_last_fifth_slow() -> None:
    vehicle = Vehicle("test", capacity_wh=50_000, max_power_w=10_000)
    fast = EVBattery(vehicle, soc=0.5)
    slow = EVBattery(vehicle, soc=0.8)

    fast_wh = fast.charge(10_000, 3600)
    slow_wh = slow.charge(10_000, 3600)

    assert fast_wh == pytest.approx(10_000)
    # From 80 %: d(1-soc)/dt = -(1-soc)/1 h, so (1-soc) falls by 1/e in an hour.
    assert slow_wh == pytest.approx(10_000 * (1 - 2.718281828**-1), rel=0.02)
    assert slow.soc < 1.0


def test_the_trickle_fills_the_battery_and_then_it_stops() -> None:
    battery = EVBattery(MID_SIZE_EV, soc=0.8)

    taken_wh = battery.charge(22_000, 10 * 3600)

    assert battery.full
    assert taken_wh == pytest.approx(0.2 * 58_000)
    assert battery.acceptance_w() == 0


def test_a_full_battery_takes_nothing() -> None:
    battery = EVBattery(MID_SIZE_EV, soc=1.0)

    assert battery.charge(22_000, 600) == 0
    assert battery.full


def test_state_of_charge_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        EVBattery(MID_SIZE_EV, soc=80)
