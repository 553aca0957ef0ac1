import numpy as np
import pytest

from chargeyard.smart_charging.forecast import ArrivalForecast, PastSession


def session(arrival: int, departure: int, evse: str = "A") -> PastSession:
    return PastSession(arrival, departure, energy_kwh=10.0, max_power_kw=6.6, evse=evse)


def test_expected_sessions_are_later_arrivals_of_past_days_averaged() -> None:
    forecast = ArrivalForecast(
        [[session(90, 200, "A"), session(130, 250, "B")], [session(140, 260, "C")]], grain=1
    )
    coming = forecast.expected(now=100, horizon=288)
    assert coming.evse == ("B", "C")  # the 90 arrival is past
    assert coming.arrives_in.tolist() == [30, 40]
    assert coming.periods_left.tolist() == [150, 160]
    assert coming.energy_kwh.tolist() == pytest.approx([5.0, 5.0])  # half: one of two days
    assert coming.max_power_kw.tolist() == pytest.approx([3.3, 3.3])


def test_times_are_rounded_to_the_grain_and_stay_a_window() -> None:
    forecast = ArrivalForecast([[session(104, 105), session(128, 250)]], grain=12)
    coming = forecast.expected(now=100, horizon=288)
    assert coming.arrives_in.tolist() == [1, 24]  # 4 rounds to 0: still ahead
    assert coming.periods_left.tolist() == [2, 156]  # 5 rounds to 0: still after arrival


def test_arrivals_beyond_the_horizon_are_left_out() -> None:
    forecast = ArrivalForecast([[session(150, 200), session(400, 500)]])
    assert len(forecast.expected(now=100, horizon=288)) == 1
    assert len(ArrivalForecast([]).expected(now=0, horizon=288)) == 0
    assert np.asarray(ArrivalForecast([]).expected(0, 288).energy_kwh).shape == (0,)
