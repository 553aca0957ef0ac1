"""Periodic event streams (OCPP 2.1): a station streams the values of one variable monitor at a
fixed interval instead of sending a NotifyEvent for each.

The station opens a stream (its id, the monitor, the interval and how many values it batches),
sends batches of values as offsets from a base time, and closes it. Chargeyard keeps which
streams are open, their parameters and every value. Pure values and rules.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MAX_OPEN_STREAMS = 32
"""Per station. A station needs a handful (one per monitored variable); a station asking for
more than this is misconfigured, and every open stream costs a row per value."""

TOO_MANY = "TooManyStreams"


class StreamState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class StreamOpening:
    """`interval_s` and `values`: send a batch every `interval_s` seconds or every `values`
    values, whichever comes first (absent: the station's configured defaults)."""

    stream_id: int
    variable_monitoring_id: int | None
    interval_s: int | None = None
    values: int | None = None


@dataclass(frozen=True)
class StreamValue:
    at: datetime
    value: str


@dataclass(frozen=True)
class StreamBatch:
    """`pending`: how many values the station still holds for this stream."""

    stream_id: int
    basetime: datetime
    pending: int
    values: tuple[StreamValue, ...]


@dataclass(frozen=True)
class OpenDecision:
    accepted: bool
    reason_code: str | None = None
    reason: str | None = None


def value_at(basetime: datetime, offset_s: float, value: str) -> StreamValue:
    """A value the station sent as an offset (seconds, fractions allowed) from its base time."""
    return StreamValue(basetime + timedelta(seconds=offset_s), value)


def may_open(open_streams: int, reopening: bool) -> OpenDecision:
    """Re-opening a stream that is still open replaces it (a station that rebooted opens its
    streams again), so it never counts against the limit."""
    if reopening or open_streams < MAX_OPEN_STREAMS:
        return OpenDecision(True)
    reason = f"the station already has {open_streams} open streams (at most {MAX_OPEN_STREAMS})"
    return OpenDecision(False, TOO_MANY, reason)
