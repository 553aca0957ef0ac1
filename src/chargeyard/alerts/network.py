"""A station's network status, in the classes charge point management platforms show operators:
never connected, available, temporarily unavailable, long-term unavailable (pure).

"Long-term" is the organization's `station-long-term-unavailable` alert rule threshold (a day by
default), so the class a station is shown in and the alert it raises agree.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class NetworkStatus(StrEnum):
    NEVER_CONNECTED = "NeverConnected"
    AVAILABLE = "Available"
    TEMPORARILY_UNAVAILABLE = "TemporarilyUnavailable"
    LONG_TERM_UNAVAILABLE = "LongTermUnavailable"


@dataclass(frozen=True)
class Presence:
    """What the stations table says about a station's connection."""

    organization_id: str
    station_id: str
    created_at: datetime
    connected: bool
    connected_at: datetime | None
    disconnected_at: datetime | None


def network_status(
    presence: Presence, long_term_s: int, now: datetime
) -> tuple[NetworkStatus, datetime]:
    """The station's class, and since when it is in it (registration, connection, or
    disconnection)."""
    if presence.connected:
        return NetworkStatus.AVAILABLE, presence.connected_at or presence.created_at
    if presence.disconnected_at is None:
        return NetworkStatus.NEVER_CONNECTED, presence.created_at
    away_s = (now - presence.disconnected_at).total_seconds()
    if away_s >= long_term_s:
        return NetworkStatus.LONG_TERM_UNAVAILABLE, presence.disconnected_at
    return NetworkStatus.TEMPORARILY_UNAVAILABLE, presence.disconnected_at
