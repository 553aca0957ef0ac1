"""A circuit's load and limits over time: steps that follow readings, accepted profiles as
OCPP stacks them, sessions starting and stopping, and the limit with its windows."""

from datetime import UTC, datetime, timedelta

from chargeyard.dashboard.circuit_load import (
    TX_DEFAULT,
    TX_PROFILE,
    LimitAccepted,
    PowerReading,
    SessionSpan,
    load_series,
)
from chargeyard.dashboard.domain import CircuitFigures, roll_up
from chargeyard.smart_charging.snapshot import CapacityWindow, Circuit, CircuitId

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_load_limits_and_limit_follow_sessions_readings_and_profiles() -> None:
    circuit = Circuit(
        CircuitId("c"),
        max_power_kw=22,
        buffer_kw=1,
        windows=(CapacityWindow(at(50), at(70), max_power_kw=11),),
    )
    sessions = [
        SessionSpan(1, "A", 1, at(10), None),
        SessionSpan(2, "B", 1, at(20), at(60)),
    ]
    readings = [
        PowerReading(1, at(-5), 3.0),  # before the series: the state it starts in
        PowerReading(1, at(15), 7.0),
        PowerReading(2, at(30), 5.0),
    ]
    limits = [
        LimitAccepted("A", 0, None, TX_DEFAULT, at(0), 11.0),  # the station-wide default
        LimitAccepted("B", 1, None, TX_DEFAULT, at(5), 10.5),
        LimitAccepted("A", 1, 1, TX_PROFILE, at(25), 10.0),
    ]
    series = load_series(circuit, sessions, readings, limits, at(0), at(80))
    points = {
        int(t - T0.timestamp()): (load, held, limit)
        for t, load, held, limit in zip(
            series.time, series.load_kw, series.limits_kw, series.limit_kw, strict=True
        )
    }
    assert points == {
        0: (0.0, 0.0, 21.0),
        5: (0.0, 0.0, 21.0),
        10: (3.0, 11.0, 21.0),  # A runs under its station's default, at its reading before
        15: (7.0, 11.0, 21.0),
        20: (7.0, 21.5, 21.0),  # B under its EVSE's default
        25: (7.0, 20.5, 21.0),  # A's own TxProfile wins over the default
        30: (12.0, 20.5, 21.0),
        50: (12.0, 20.5, 10.0),  # a capacity window lowers the limit
        60: (7.0, 10.0, 10.0),  # B stopped
        70: (7.0, 10.0, 21.0),
        80: (7.0, 10.0, 21.0),
    }
    assert series.session_limits_kw == {1: 10.0}


def test_a_running_session_with_no_limit_in_force_leaves_a_gap() -> None:
    circuit = Circuit(CircuitId("c"), max_power_kw=None, max_current_a=32)
    series = load_series(circuit, [SessionSpan(1, "A", 1, at(0), None)], [], [], at(0), at(10))
    assert series.limits_kw == [None, None] and series.limit_kw == [None, None]
    assert series.session_limits_kw == {1: None}


def test_figures_add_up_the_circuits_below() -> None:
    parents = {"site": None, "hall": "site", "bay": "hall", "other": None}
    direct = {"bay": CircuitFigures(2, 1, 7000.0), "hall": CircuitFigures(1, 1, 3000.0)}
    total = roll_up(parents, direct)
    assert total["site"] == CircuitFigures(3, 2, 10000.0)
    assert total["hall"] == CircuitFigures(3, 2, 10000.0)
    assert total["bay"] == CircuitFigures(2, 1, 7000.0)
    assert total["other"] == CircuitFigures()
    assert roll_up({"a": "b", "b": "a"}, {"a": CircuitFigures(1)})["b"] == CircuitFigures(1)
