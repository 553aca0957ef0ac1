"""Which sign makes an open session a zombie, and since when."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chargeyard.reconciliation.domain import OpenSession, ZombieReason, zombie

START = datetime(2026, 1, 1, 10, tzinfo=UTC)
NOW = START + timedelta(hours=2)
HEALTHY = OpenSession(
    "org", 7, "CP1", 1, 1, START, 1500, START, True, None, NOW, 300, "Occupied", START
)


def test_a_healthy_session_is_no_zombie() -> None:
    assert zombie(HEALTHY, 60, NOW) is None


def test_an_offline_station_counts_from_its_disconnect_never_before_the_start() -> None:
    offline = replace(HEALTHY, connected=False, disconnected_at=START + timedelta(minutes=5))
    found = zombie(offline, 60, NOW)
    assert found is not None and (found.reason, found.since) == (
        ZombieReason.STATION_OFFLINE,
        START + timedelta(minutes=5),
    )
    early = zombie(replace(offline, disconnected_at=START - timedelta(days=1)), 60, NOW)
    assert early is not None and early.since == START
    assert early.overdue(7200, NOW) and not early.overdue(7201, NOW)


def test_a_connector_available_comes_before_silence() -> None:
    available = replace(
        HEALTHY, connector_status="Available", connector_status_at=NOW - timedelta(minutes=1)
    )
    found = zombie(replace(available, last_seen_at=START), 60, NOW)
    assert found is not None and found.reason is ZombieReason.CONNECTOR_AVAILABLE


def test_silence_lasts_the_threshold_and_two_heartbeat_intervals() -> None:
    quiet = replace(HEALTHY, last_seen_at=NOW - timedelta(seconds=500))
    assert zombie(quiet, 60, NOW) is None  # within two heartbeats of 300 s
    silent = zombie(replace(quiet, last_seen_at=NOW - timedelta(seconds=600)), 60, NOW)
    assert silent is not None and silent.reason is ZombieReason.STATION_SILENT


def test_no_meter_progress_is_the_last_sign() -> None:
    stalled = replace(HEALTHY, stalled_since=START + timedelta(minutes=10))
    found = zombie(stalled, 60, NOW)
    assert found is not None and (found.reason, found.since) == (
        ZombieReason.NO_METER_PROGRESS,
        START + timedelta(minutes=10),
    )
    offline = zombie(replace(stalled, connected=False, disconnected_at=NOW), 60, NOW)
    assert offline is not None and offline.reason is ZombieReason.STATION_OFFLINE
