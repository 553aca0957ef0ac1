"""Stream values at their offsets, and how many streams a station may hold open."""

from datetime import UTC, datetime

from chargeyard.event_streams.domain import MAX_OPEN_STREAMS, may_open, value_at


def test_values_are_placed_at_their_offset() -> None:
    base = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert value_at(base, 1.25, "7").at == datetime(2026, 3, 1, 10, 0, 1, 250000, tzinfo=UTC)


def test_open_streams_are_limited_but_reopening_is_not() -> None:
    assert may_open(MAX_OPEN_STREAMS - 1, reopening=False).accepted
    refused = may_open(MAX_OPEN_STREAMS, reopening=False)
    assert (refused.accepted, refused.reason_code) == (False, "TooManyStreams")
    assert may_open(MAX_OPEN_STREAMS, reopening=True).accepted
