"""Sub-day buckets on a zone's own clock: hours that start on the local hour in zones whose
offset is not whole hours (India +05:30, South Australia +09:30/+10:30, Nepal +05:45, Lord Howe
with its half-hour daylight saving change), over real REST and as properties of the grid."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chargeyard.timeseries.domain import Resolution, edges
from tests.commands.conftest import Online, start_transaction
from tests.conftest import Tenant
from tests.timeseries.test_timeseries import energy_readings, located_station

ZONES = [
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/Berlin",
    "America/Havana",
    "America/Santiago",
    "UTC",
]
SUB_DAY = [r for r in Resolution if r is not Resolution.DAY]


def wall(instant: datetime, zone: ZoneInfo) -> timedelta:
    """The local time of day an instant shows."""
    local = instant.astimezone(zone)
    return timedelta(hours=local.hour, minutes=local.minute, seconds=local.second)


def clocks_change_at(instant: datetime, zone: ZoneInfo) -> bool:
    before = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
    return before != instant.astimezone(zone).utcoffset()


@pytest.mark.parametrize(
    ("zone", "resolution", "minutes", "expected"),
    [
        ("Asia/Kolkata", Resolution.HOUR, 140, ["10:00", "11:00", "12:00", "13:00"]),
        ("Asia/Kolkata", Resolution.SIX_HOURS, 120, ["06:00", "12:00", "18:00"]),
        ("Asia/Kathmandu", Resolution.HALF_HOUR, 60, ["10:30", "11:00", "11:30", "12:00"]),
        ("Asia/Kathmandu", Resolution.FIFTEEN_MINUTES, 20, ["10:30", "10:45", "11:00"]),
        ("Australia/Adelaide", Resolution.HOUR, 80, ["10:00", "11:00", "12:00"]),
    ],
)
def test_buckets_start_on_the_local_clock(
    zone: str, resolution: Resolution, minutes: int, expected: list[str]
) -> None:
    """From 10:40 local for `minutes`: the boundaries, as the local clock shows them."""
    tz = ZoneInfo(zone)
    start = datetime(2026, 1, 15, 10, 40, tzinfo=tz)
    cuts = edges(start, start + timedelta(minutes=minutes), resolution, tz)
    assert [c.astimezone(tz).strftime("%H:%M") for c in cuts] == expected


def test_an_hour_stays_an_hour_across_daylight_saving_in_adelaide() -> None:
    """Adelaide goes back from +10:30 to +09:30 at 03:00 on 5 April 2026: local 02:00 shows
    twice, and each is a boundary."""
    tz = ZoneInfo("Australia/Adelaide")
    cuts = edges(
        datetime(2026, 4, 4, 15, tzinfo=UTC),
        datetime(2026, 4, 4, 19, tzinfo=UTC),
        Resolution.HOUR,
        tz,
    )
    assert [c.astimezone(tz).strftime("%H:%M%z") for c in cuts] == [
        "01:00+1030",
        "02:00+1030",
        "02:00+0930",
        "03:00+0930",
        "04:00+0930",
        "05:00+0930",
    ]
    assert all(b - a == timedelta(hours=1) for a, b in pairwise(cuts))


@given(
    st.sampled_from(ZONES),
    st.sampled_from(SUB_DAY),
    st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    st.integers(1, 60),
)
@example("America/Santiago", Resolution.SIX_HOURS, datetime(2023, 9, 2, 20, tzinfo=UTC), 49)
def test_local_buckets_tile_the_period_on_the_local_grid(
    zone: str, resolution: Resolution, start: datetime, buckets: int
) -> None:
    """Every boundary shows a multiple of the resolution on the local clock, or is an instant
    the clocks change; the buckets tile the period from the one holding `start`; a bucket in
    which the clocks do not change lasts exactly the resolution."""
    tz = ZoneInfo(zone)
    step = timedelta(seconds=resolution.seconds)
    end = start + buckets * step
    cuts = edges(start, end, resolution, tz)
    assert cuts[0] <= start < cuts[1] and cuts[-2] < end <= cuts[-1]
    assert all(a < b for a, b in pairwise(cuts))
    for cut in cuts:
        assert wall(cut, tz) % step == timedelta(0) or clocks_change_at(cut, tz), cut
    for low, high in pairwise(cuts):
        # A bucket that ends where the clocks change is cut there: the next step of the local
        # grid may fall in the skipped hour (Chatham's 02:00 + 1 h, 2024-09-29, is 03:45). One
        # that starts there starts off the grid when the grid point was skipped (Santiago's
        # midnight, 2023-09-03, is 01:00: its 6-hour bucket lasts 5 hours).
        steady = (
            low.astimezone(tz).utcoffset()
            == (high - timedelta(seconds=1)).astimezone(tz).utcoffset()
            and not clocks_change_at(high, tz)
            and wall(low, tz) % step == timedelta(0)
        )
        if steady:
            assert high - low == step, (low, high)
        assert high - low <= step + timedelta(hours=1)


@given(
    st.sampled_from(ZONES),
    st.sampled_from(SUB_DAY),
    st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    st.integers(0, 24 * 60),
)
def test_any_start_falls_on_the_same_grid(
    zone: str, resolution: Resolution, start: datetime, later_min: int
) -> None:
    """A period starting later cuts on the boundaries an earlier one laid (the bucket holding a
    start is found the same way wherever the walk began, daylight saving changes included)."""
    tz = ZoneInfo(zone)
    later = start + timedelta(minutes=later_min)
    step = timedelta(seconds=resolution.seconds)
    laid = edges(start, later + 2 * step, resolution, tz)
    assert set(edges(later, later + step, resolution, tz)) <= set(laid)


@given(st.sampled_from(SUB_DAY), st.integers(0, 10**9))
def test_utc_keeps_the_epoch_grid(resolution: Resolution, seconds: int) -> None:
    """A zone at UTC's offset cuts where the epoch's grid does."""
    start = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    end = start + timedelta(hours=13)
    assert edges(start, end, resolution, ZoneInfo("Etc/UTC")) == edges(start, end, resolution)


async def test_hourly_energy_on_indian_hours(tenant: Tenant, online: Online) -> None:
    """A station at a location in Asia/Kolkata: its `1h` energy and availability buckets start
    on the local hour (+05:30), and 1 kWh delivered 10:00-11:00 local lands in one bucket."""
    station_id, _ = await located_station(tenant, "Pune depot", "Asia/Kolkata")
    async with online(station_id) as (_, station):
        transaction_id = await start_transaction(station, "TAG-IN")
        await energy_readings(
            station, transaction_id, (("2026-01-01T04:30:00Z", 0), ("2026-01-01T05:30:00Z", 1000))
        )
    period = {
        "resolution": "1h",
        "start": "2026-01-01T09:00:00+05:30",
        "end": "2026-01-01T12:00:00+05:30",
    }
    series = await tenant.api.get(f"/timeseries/stations/{station_id}", params=period)
    assert series.status_code == 200, series.text
    points = series.json()["points"]
    assert [p["start"] for p in points] == [
        "2026-01-01T09:00:00+05:30",
        "2026-01-01T10:00:00+05:30",
        "2026-01-01T11:00:00+05:30",
    ]
    assert [p["energy_kwh"] for p in points] == pytest.approx([0.0, 1.0, 0.0])
    availability = await tenant.api.get(
        f"/timeseries/stations/{station_id}/availability", params=period
    )
    assert availability.status_code == 200, availability.text
    assert [p["start"][11:] for p in availability.json()["points"]] == [
        "09:00:00+05:30",
        "10:00:00+05:30",
        "11:00:00+05:30",
    ]
    in_utc = await tenant.api.get(
        f"/timeseries/stations/{station_id}", params=period | {"timezone": "UTC"}
    )
    assert [p["energy_kwh"] for p in in_utc.json()["points"]] == pytest.approx([0.0, 0.5, 0.5, 0.0])
