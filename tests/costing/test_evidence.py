"""Reducing what a station reported to a session's evidence."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from chargeyard.costing.evidence import (
    ChargingState,
    Evidence,
    MeterPoint,
    meter_curve,
    state_of,
    state_timeline,
)
from tests.costing.factories import T0


def minutes(n: int) -> object:
    return T0 + timedelta(minutes=n)


def test_the_curve_is_clipped_sorted_and_never_decreases() -> None:
    readings = [(minutes(20), 1500), (minutes(10), 1800), (minutes(-5), 0), (minutes(90), 9000)]
    curve = meter_curve(T0, 1000, readings, minutes(30), 2500)  # type: ignore[arg-type]
    assert [(p.at, p.wh) for p in curve] == [
        (T0, 1000),
        (minutes(10), 1800),
        (minutes(20), 1800),  # a reading below an earlier one adds nothing
        (minutes(30), 2500),
    ]


def test_a_stop_reading_below_the_last_one_is_held() -> None:
    curve = meter_curve(T0, 0, [(minutes(10), 500)], minutes(20), 400)  # type: ignore[arg-type]
    assert curve[-1].wh == Fraction(500)


def test_statuses_become_charging_states() -> None:
    assert state_of("Charging") is ChargingState.CHARGING
    assert state_of("SuspendedEVSE") is ChargingState.CHARGING  # the station paused: not parking
    assert state_of("SuspendedEV") is ChargingState.PARKED
    assert state_of("EVConnected") is ChargingState.PARKED  # 2.0.1 chargingState
    assert state_of("Preparing") is None and state_of(None) is None


def test_the_timeline_drops_repeats_and_silent_statuses() -> None:
    timeline = state_timeline(
        [
            (minutes(30), "Finishing"),
            (minutes(0), "Preparing"),
            (minutes(5), "Charging"),
            (minutes(20), "SuspendedEV"),
            (minutes(10), "SuspendedEVSE"),
        ]
    )
    assert [(c.at, c.state) for c in timeline] == [
        (minutes(5), ChargingState.CHARGING),
        (minutes(20), ChargingState.PARKED),
    ]


def test_a_reading_at_the_end_counts() -> None:
    """A running session is costed up to its latest reading: that reading is the curve's end."""
    curve = meter_curve(T0, 0, [(minutes(5), 1000), (minutes(10), 3000)], minutes(10), None)  # type: ignore[arg-type]
    assert [p.wh for p in curve] == [0, 1000, 3000]


def test_the_instant_energy_reaches_a_level_is_never_before_it() -> None:
    """An energy restriction flips at `time_reaching`'s answer: rounded down to the
    microsecond, 1 kWh of 4,464 Wh delivered in one second was "reached" at 999.998 Wh, and a
    `min_kwh` element read as not yet in force for the rest of the session."""
    start = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    evidence = Evidence(
        start,
        start + timedelta(seconds=1),
        (MeterPoint(start, Fraction(0)), MeterPoint(start + timedelta(seconds=1), Fraction(4464))),
    )
    for wh in (Fraction(1000), Fraction(1), Fraction(4463), Fraction(4464)):
        reached = evidence.time_reaching(wh)
        assert reached is not None
        assert evidence.energy_at(reached) >= wh
        assert evidence.energy_at(reached - timedelta(microseconds=1)) < wh
