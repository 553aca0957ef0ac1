"""`as_utc`: every datetime Chargeyard stores or compares passes through it."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chargeyard.clock import as_utc

PLUS_ONE = timezone(timedelta(hours=1))
MINUS_ONE = timezone(timedelta(hours=-1))


def test_naive_times_are_utc_and_others_are_converted() -> None:
    assert as_utc(datetime(2026, 12, 6, 9, 0)) == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    converted = as_utc(datetime(2026, 12, 6, 10, 0, tzinfo=PLUS_ONE))
    assert converted == datetime(2026, 12, 6, 9, 0, tzinfo=UTC) and converted.tzinfo is UTC


@pytest.mark.parametrize(
    ("given", "end"),
    [
        (datetime(1, 1, 1, tzinfo=PLUS_ONE), datetime.min),
        (datetime(9999, 12, 31, 23, 30, tzinfo=MINUS_ONE), datetime.max),
    ],
)
def test_a_time_beyond_the_calendar_in_utc_is_its_end(given: datetime, end: datetime) -> None:
    """A client may send such a time as a filter: it was an OverflowError (a 500) deep inside
    the query's parameters."""
    assert as_utc(given) == end.replace(tzinfo=UTC)
