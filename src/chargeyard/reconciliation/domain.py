"""Zombie sessions: sessions Chargeyard holds open that the station has, by every sign, forgotten.

A session is a zombie when it is open while

1. its station is **offline** (since it disconnected),
2. its connector reports **Available**: nothing is plugged in, so nothing is charging (what a
   station that rebooted reports for a transaction it no longer knows), or
3. its station is connected but **silent**: no message at all for the threshold, and for at
   least two of its heartbeat intervals (a hung connection; a station between heartbeats is
   not silent), or
4. it makes **no meter progress**: it is charging (its connector reports Charging, or its
   2.x transaction's chargingState is Charging), but the energy register has
   not moved (since when, the `meter-stalled` alert rule's watch knows: `alerts/conditions.py`).
   A car that is full reports SuspendedEV, not Charging, so it is not taken for a zombie.

The first sign that applies, in that order, is its reason. A zombie is overdue once the sign has
lasted the organization's threshold (the `session-zombie` alert rule); overdue zombies are what
the alert names and what reconciliation offers to close.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ZombieReason(StrEnum):
    STATION_OFFLINE = "StationOffline"
    STATION_SILENT = "StationSilent"
    NO_METER_PROGRESS = "NoMeterProgress"
    CONNECTOR_AVAILABLE = "ConnectorAvailable"


@dataclass(frozen=True)
class OpenSession:
    """An open session with what its station and connector last said."""

    organization_id: str
    transaction_id: int
    station_id: str
    evse_id: int
    connector_id: int
    started_at: datetime
    last_meter_wh: int | None
    last_meter_at: datetime | None
    connected: bool
    disconnected_at: datetime | None
    last_seen_at: datetime | None
    heartbeat_interval_s: int | None
    connector_status: str | None
    connector_status_at: datetime | None
    stalled_since: datetime | None = None
    """Since when the energy register has not moved while the connector reports Charging."""


@dataclass(frozen=True)
class Zombie:
    session: OpenSession
    reason: ZombieReason
    since: datetime
    """When the sign began (never before the session started)."""

    def overdue(self, threshold_s: int, now: datetime) -> bool:
        return (now - self.since).total_seconds() >= threshold_s


def zombie(session: OpenSession, silent_after_s: int, now: datetime) -> Zombie | None:
    """The session as a zombie, or None when nothing says the station forgot it. A station is
    silent once `silent_after_s`, and two heartbeat intervals, passed since its last message."""
    start = session.started_at
    if not session.connected:
        return Zombie(
            session, ZombieReason.STATION_OFFLINE, max(session.disconnected_at or start, start)
        )
    if session.connector_status == "Available":
        at = session.connector_status_at or start
        return Zombie(session, ZombieReason.CONNECTOR_AVAILABLE, max(at, start))
    seen = session.last_seen_at
    silent_s = max(silent_after_s, 2 * (session.heartbeat_interval_s or 0))
    if seen is not None and (now - seen).total_seconds() >= silent_s:
        return Zombie(session, ZombieReason.STATION_SILENT, max(seen, start))
    if session.stalled_since is not None:
        return Zombie(session, ZombieReason.NO_METER_PROGRESS, max(session.stalled_since, start))
    return None
