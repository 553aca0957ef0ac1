"""A circuit's load and limits over time: steps that follow readings, accepted profiles as
OCPP stacks them, sessions starting and stopping, and the limit with its windows."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from chargeyard.load_management.circuit_load import (
    MAX_POINTS,
    TX_DEFAULT,
    TX_PROFILE,
    LimitAccepted,
    MeterPower,
    PowerReading,
    SessionSpan,
    load_series,
)
from chargeyard.smart_charging.snapshot import CapacityWindow, Circuit, CircuitId

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
T = TypeVar("T", PowerReading, LimitAccepted)


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


def newest(items: list[T], instant: datetime, keep: Callable[[T], bool]) -> T | None:
    """The last item (in arrival order) of the newest instant up to `instant` that `keep`s."""
    found: T | None = None
    for item in items:
        stamp = item.at  # type: ignore[attr-defined]
        if stamp <= instant and keep(item) and (found is None or stamp >= found.at):  # type: ignore[attr-defined]
            found = item
    return found


def brute_force(
    sessions: list[SessionSpan],
    readings: list[PowerReading],
    limits: list[LimitAccepted],
    instant: datetime,
) -> tuple[float, float | None]:
    """Load and sum of limits at one instant, worked out from scratch."""
    load, held = 0.0, []
    for s in (s for s in sessions if s.running(instant)):
        reading = newest(readings, instant, lambda r, s=s: r.transaction_id == s.transaction_id)
        load += reading.kw if reading else 0.0
        places = [
            lambda x, s=s: x.purpose == TX_PROFILE and x.transaction_id == s.transaction_id,
            lambda x, s=s: (
                x.purpose == TX_DEFAULT and (x.station_id, x.evse_id) == (s.station_id, s.evse_id)
            ),
            lambda x, s=s: (
                x.purpose == TX_DEFAULT and (x.station_id, x.evse_id) == (s.station_id, 0)
            ),
        ]
        found = next((f for f in (newest(limits, instant, p) for p in places) if f), None)
        held.append(None if found is None else found.kw)
    total = None if None in held else round(sum(v or 0.0 for v in held), 3)
    return round(load, 3), total


def test_the_running_sums_match_a_recount_at_every_point() -> None:
    rng = random.Random(12)
    stations = ["A", "B", "C"]
    sessions = []
    for tx in range(1, 13):
        start = rng.randrange(-100, 900)
        stop = start + rng.randrange(10, 600)
        sessions.append(
            SessionSpan(
                tx,
                rng.choice(stations),
                rng.randrange(1, 3),
                at(start),
                at(stop) if stop < 1000 else None,
            )
        )
    readings = [
        PowerReading(
            rng.randrange(1, 13), at(rng.randrange(-200, 1000)), round(rng.uniform(0, 11), 3)
        )
        for _ in range(300)
    ]
    limits = [
        LimitAccepted(
            rng.choice(stations),
            rng.randrange(0, 3),
            rng.randrange(1, 13),
            rng.choice([TX_PROFILE, TX_DEFAULT]),
            at(rng.randrange(-200, 1000)),
            round(rng.uniform(4, 11), 2),
        )
        for _ in range(120)
    ]
    circuit = Circuit(CircuitId("c"), max_power_kw=40)
    series = load_series(circuit, sessions, readings, limits, at(0), at(1000))
    assert len(series.time) > 200
    for t, load, held in zip(series.time, series.load_kw, series.limits_kw, strict=True):
        instant = datetime.fromtimestamp(t, UTC)
        assert (load, held) == brute_force(sessions, readings, limits, instant), instant


def test_a_long_span_is_drawn_at_its_peaks() -> None:
    session = SessionSpan(1, "A", 1, at(0), None)
    readings = [PowerReading(1, at(s), 5.0 if s != 4321 else 9.5) for s in range(0, 10_000)]
    circuit = Circuit(
        CircuitId("c"), max_power_kw=11, windows=(CapacityWindow(at(5000), at(5001), 3.0),)
    )
    series = load_series(circuit, [session], readings, [], at(0), at(10_000))
    assert len(series.time) <= MAX_POINTS + 1
    assert max(series.load_kw) == 9.5  # one second's peak survives
    assert min(v for v in series.limit_kw if v is not None) == 3.0  # and a one-second dip
    assert series.time[-1] == at(10_000).timestamp()


def test_a_discharge_counts_as_no_import_in_the_sum_of_limits() -> None:
    """A session told to discharge (a negative TxProfile, V2G) adds 0 to the limits in force,
    never a credit the others' limits could use: its vehicle may not discharge at all."""
    circuit = Circuit(CircuitId("c"), max_power_kw=22)
    sessions = [SessionSpan(1, "A", 1, at(0), None), SessionSpan(2, "B", 1, at(0), None)]
    limits = [
        LimitAccepted("A", 1, 1, TX_PROFILE, at(0), 11.0),
        LimitAccepted("B", 1, 2, TX_PROFILE, at(0), 11.0),
        LimitAccepted("B", 1, 2, TX_PROFILE, at(10), -11.0),
        LimitAccepted("B", 1, 2, TX_PROFILE, at(20), 5.0),
    ]
    series = load_series(circuit, sessions, [], limits, at(0), at(30))
    held = dict(zip((int(t - T0.timestamp()) for t in series.time), series.limits_kw, strict=True))
    assert held == {0: 22.0, 10: 11.0, 20: 16.0, 30: 16.0}
    assert series.session_limits_kw == {1: 11.0, 2: 5.0}


def test_external_meters_count_in_the_load_and_in_the_limits_in_force() -> None:
    """A meter's latest reading is load, signed, and part of what the circuit may draw as an
    import (a meter feeding in counts 0 there, as a discharge does)."""
    circuit = Circuit(CircuitId("c"), max_power_kw=11, buffer_kw=1)
    sessions = [SessionSpan(1, "A", 1, at(0), None)]
    readings = [PowerReading(1, at(0), 3.0)]
    limits = [LimitAccepted("A", 1, 1, TX_PROFILE, at(0), 6.0)]
    meters = [
        MeterPower("heat pump", at(-3600), 4.0),  # an hour old: it holds until the next
        MeterPower("solar", at(10), -2.0),
        MeterPower("heat pump", at(20), 1.5),
    ]
    series = load_series(circuit, sessions, readings, limits, at(0), at(30), meters)
    points = {
        int(t - T0.timestamp()): (load, held)
        for t, load, held in zip(series.time, series.load_kw, series.limits_kw, strict=True)
    }
    assert points == {0: (7.0, 10.0), 10: (5.0, 10.0), 20: (2.5, 7.5), 30: (2.5, 7.5)}
    assert series.limit_kw == [10.0] * 4
