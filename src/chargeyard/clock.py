"""The injectable source of the current time: every timestamp Chargeyard makes is UTC-aware."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)  # noqa: TID251  # the one wall clock, behind every injected one


def as_utc(value: datetime) -> datetime:
    """Read naive datetimes (as SQLite returns them) as UTC. A time whose UTC is beyond the
    calendar (year 1 with a positive offset, 9999 with a negative one, as a client may send) is
    its end: an OverflowError here, deep inside a query's parameters, was a 500."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        end = datetime.min if value.year == datetime.min.year else datetime.max
        return end.replace(tzinfo=UTC)
