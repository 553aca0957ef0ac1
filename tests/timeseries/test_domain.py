"""The resampling rule: aligned buckets, energy spread evenly between readings, power as the
bucket's average, the last SoC."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chargeyard.timeseries.domain import (
    Resolution,
    TooManyBuckets,
    edges,
    last_in,
    resample,
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
