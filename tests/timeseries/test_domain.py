"""The resampling rule: aligned buckets, energy spread evenly between readings, power as the
bucket's average, the last SoC."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chargeyard.timeseries.domain import (
    Resolution,
    TooManyBuckets,
    edges,
    last_in,
    resample,
    resample_load,
    spread,
)

T0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_buckets_are_aligned_to_the_resolution() -> None:
    cuts = edges(at(7), at(40), Resolution.FIFTEEN_MINUTES)
    assert cuts == [at(0), at(15), at(30), at(45)]
    day = edges(at(0), at(60), Resolution.DAY)
    assert day == [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)]
    with pytest.raises(TooManyBuckets):
        edges(at(0), at(60 * 24 * 10), Resolution.MINUTE)


def test_an_end_a_fraction_of_a_second_past_an_edge_gets_its_bucket() -> None:
    """[start, end) is covered to the microsecond: an end 0.755 s into a minute was cut to
    whole seconds and its minute left out (the circuit series missed its last bucket)."""
    cuts = edges(at(0), at(16) + timedelta(milliseconds=755), Resolution.MINUTE)
    assert (cuts[0], cuts[-1], len(cuts)) == (at(0), at(17), 18)
    assert edges(at(0), at(1) + timedelta(microseconds=1), Resolution.MINUTE)[-1] == at(2)
    assert edges(at(0), at(1), Resolution.MINUTE) == [at(0), at(1)]


def test_a_start_before_the_epoch_is_floored_down_to_its_bucket() -> None:
    start = datetime(1969, 12, 31, 23, 59, 30, tzinfo=UTC)
    cuts = edges(start, start + timedelta(seconds=10), Resolution.MINUTE)
    assert cuts == [datetime(1969, 12, 31, 23, 59, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)]


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3)),
    st.sampled_from([Resolution.MINUTE, Resolution.FIFTEEN_MINUTES, Resolution.HOUR]),
)
def test_the_buckets_cover_start_to_end_and_no_more(
    start: datetime, length: timedelta, resolution: Resolution
) -> None:
    start = start.replace(tzinfo=UTC)
    end = start + length
    cuts = edges(start, end, resolution)
    assert cuts[0] <= start < cuts[1]
    assert cuts[-2] < end <= cuts[-1]


def test_energy_is_spread_evenly_between_readings() -> None:
    cuts = edges(at(0), at(60), Resolution.FIFTEEN_MINUTES)
    # 3 kWh between 10:10 and 10:40: 5, 15 and 10 minutes of it in three buckets.
    assert spread([(at(10), 1000.0), (at(40), 4000.0)], cuts) == pytest.approx(
        [500.0, 1500.0, 1000.0, 0.0]
    )
    # A register going backwards (a reset) adds nothing for that step.
    assert sum(spread([(at(0), 5000.0), (at(20), 10.0), (at(30), 1010.0)], cuts)) == 1000.0


def test_points_carry_power_and_the_last_soc() -> None:
    cuts = edges(at(0), at(30), Resolution.FIFTEEN_MINUTES)
    points = resample([[(at(0), 0.0), (at(30), 3000.0)]], [[(at(5), 20.0), (at(14), 25.0)]], cuts)
    assert [(p.energy_kwh, p.power_kw, p.soc_percent) for p in points] == [
        (1.5, 6.0, 25.0),
        (1.5, 6.0, None),
    ]
    two = resample([[(at(0), 0.0), (at(30), 3000.0)]] * 2, [[(at(5), 20.0)]] * 2, cuts)
    assert [(p.energy_kwh, p.soc_percent) for p in two] == [(3.0, None), (3.0, None)]
    assert last_in([(at(31), 1.0)], cuts) == [None, None]


@given(
    st.lists(
        st.tuples(st.integers(0, 600), st.floats(0, 1e6, allow_nan=False)),
        min_size=2,
        max_size=30,
        unique_by=lambda r: r[0],
    ),
    st.sampled_from(list(Resolution)),
)
def test_no_energy_is_lost_or_invented(
    readings: list[tuple[int, float]], resolution: Resolution
) -> None:
    ordered = sorted((at(minute), value) for minute, value in readings)
    cuts = edges(ordered[0][0], ordered[-1][0] + timedelta(seconds=1), resolution)
    expected = sum(max(b[1] - a[1], 0.0) for a, b in pairwise(ordered))
    assert sum(spread(ordered, cuts)) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_a_load_step_line_is_averaged_over_each_bucket_by_time() -> None:
    cuts = edges(at(0), at(45), Resolution.FIFTEEN_MINUTES)
    steps = [
        (at(5), 10.0, None, 22.0),  # from 10:05: 10 kW, a session without a limit yet
        (at(10), 20.0, 21.0, 22.0),  # 10:10: 20 kW under 21 kW of limits
        (at(20), 6.0, 12.0, 11.0),  # 10:20: a curtailment halves the circuit
        (at(25), 6.0, 12.0, 11.0),  # the end of what is known
    ]
    first, second, third = resample_load(steps, cuts)
    # 10:05-10:15: 5 min at 10 kW and 5 at 20 kW; the limits known for the last 5 only.
    assert (first.start, first.load_kw, first.peak_load_kw) == (at(0), 15.0, 20.0)
    assert (first.limits_kw, first.limit_kw) == (21.0, 22.0)
    # 10:15-10:25: 5 min at 20 kW, 5 at 6 kW; the circuit's lowest limit in it.
    assert (second.load_kw, second.peak_load_kw, second.limits_kw, second.limit_kw) == (
        13.0,
        20.0,
        16.5,
        11.0,
    )
    assert (third.load_kw, third.peak_load_kw, third.limits_kw, third.limit_kw) == (
        None,
        None,
        None,
        None,
    )  # not reached: nothing is known


@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.floats(0, 500), st.none() | st.floats(0, 500)),
        min_size=2,
        max_size=30,
    ),
    st.sampled_from([Resolution.MINUTE, Resolution.FIVE_MINUTES, Resolution.HOUR]),
)
def test_resampled_load_keeps_the_energy_of_the_steps(
    raw: list[tuple[int, float, float | None]], resolution: Resolution
) -> None:
    steps = sorted(((at(m), load, limits, None) for m, load, limits in raw), key=lambda s: s[0])
    cuts = edges(steps[0][0], steps[-1][0] + timedelta(minutes=1), resolution)
    points = resample_load(steps, cuts)
    expected = sum(load * (t1 - t0).total_seconds() for (t0, load, *_), (t1, *_) in pairwise(steps))
    covered = [
        sum(
            max(0.0, (min(t1, high) - max(t0, low)).total_seconds())
            for (t0, *_), (t1, *_) in pairwise(steps)
        )
        for low, high in pairwise(cuts)
    ]
    total = sum((p.load_kw or 0.0) * s for p, s in zip(points, covered, strict=True))
    # Each average is rounded to the watt: at most 0.5 W off over its covered time.
    assert total == pytest.approx(expected, rel=1e-6, abs=0.0005 * sum(covered) + 1e-6)
    for point in points:
        if point.load_kw is not None:
            assert point.peak_load_kw is not None
            assert point.load_kw <= point.peak_load_kw + 1e-3


def test_day_buckets_are_local_days_across_daylight_saving_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    cuts = edges(
        datetime(2026, 3, 28, 12, tzinfo=berlin),
        datetime(2026, 3, 30, 12, tzinfo=berlin),
        Resolution.DAY,
        berlin,
    )
    assert cuts == [datetime(2026, 3, d, tzinfo=berlin) for d in (28, 29, 30, 31)]
    assert [(b - a) / timedelta(hours=1) for a, b in pairwise(cuts)] == [24, 23, 24]
    # Spread energy follows the bucket's real length: 23 hours at a steady 1 kW.
    readings = [(cuts[1], 0.0), (cuts[2], 23_000.0)]
    [_, short, _] = resample([readings], [], cuts)
    assert (short.energy_kwh, short.power_kw) == pytest.approx((23.0, 1.0))
    with pytest.raises(TooManyBuckets):
        edges(cuts[0], cuts[0] + timedelta(days=6000), Resolution.DAY, berlin)
