"""Time-weighted connectivity and uptime over synthetic histories."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.kpis.domain import (
    Judged,
    Tally,
    Timeline,
    charging_change,
    connectivity,
    connector_state,
    uptime,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_connectivity_counts_connected_time_and_the_state_before_the_period() -> None:
    history = Timeline(None, [(at(-5), True), (at(30), False), (at(45), True)])
    tally = connectivity(at(0), at(60), history)
    assert (tally.up_s, tally.down_s) == (45 * 60, 15 * 60)
    assert tally.fraction == 0.75


def test_a_station_never_connected_has_no_connectivity() -> None:
    assert connectivity(at(0), at(10), Timeline(None)).fraction == 0.0


def test_an_empty_period_measures_nothing() -> None:
    assert connectivity(at(10), at(10), Timeline(None)).fraction is None
    assert connectivity(at(10), at(0), Timeline(None)) == Tally()


def test_connector_states() -> None:
    assert connector_state(True, "Available", None) is Judged.UP
    assert connector_state(True, "Occupied", "Available") is Judged.UP
    assert connector_state(False, "Available", None) is Judged.DOWN
    assert connector_state(True, "Faulted", None) is Judged.DOWN
    assert connector_state(True, "Available", "Faulted") is Judged.DOWN
    assert connector_state(True, "Unavailable", None) is Judged.EXCLUDED
    assert connector_state(False, "Available", "Unavailable") is Judged.EXCLUDED
    assert connector_state(True, None, None) is Judged.EXCLUDED


def test_uptime_excludes_planned_unavailability_and_counts_faults_and_offline_time() -> None:
    online = Timeline(None, [(at(-1), True), (at(50), False)])
    connector = Timeline(
        None,
        [
            (at(-10), "Available"),
            (at(10), "Faulted"),
            (at(20), "Unavailable"),
            (at(30), "Occupied"),
        ],
    )
    tally = uptime(at(0), at(60), online, Timeline(None), [connector])
    # up: 0-10 and 30-50; down: 10-20 (fault) and 50-60 (offline); excluded: 20-30 (planned)
    assert (tally.up_s, tally.down_s, tally.excluded_s) == (30 * 60, 20 * 60, 10 * 60)
    assert tally.fraction == 0.6
    assert tally.occupied_s == 20 * 60 and tally.utilisation == 0.4


def test_a_station_is_measured_over_all_its_connectors() -> None:
    online = Timeline(True)
    one = Timeline("Available")
    two = Timeline(None, [(at(0), "Faulted"), (at(30), "Available")])
    tally = uptime(at(0), at(60), online, Timeline(None), [one, two])
    assert tally.fraction == 0.75


def test_a_connector_counts_from_its_first_report() -> None:
    late = Timeline(None, [(at(30), "Available")])
    tally = uptime(at(0), at(60), Timeline(True), Timeline(None), [late])
    assert (tally.up_s, tally.excluded_s, tally.fraction) == (30 * 60, 30 * 60, 1.0)


def test_a_station_without_connector_reports_is_judged_by_itself() -> None:
    online = Timeline(None, [(at(0), True), (at(30), False)])
    by_connection = uptime(at(0), at(60), online, Timeline(None), [])
    assert by_connection.fraction == 0.5
    faulted = Timeline(None, [(at(15), "Faulted")])
    assert uptime(at(0), at(60), online, faulted, []).fraction == 0.25


def test_planned_downtime_is_excluded_whatever_the_connectors_report() -> None:
    connected = Timeline(True)
    faulted = Timeline("Faulted")
    planned = Timeline(False, [(at(10), True), (at(40), False)])
    tally = uptime(
        at(0), at(60), connected, Timeline(None), [faulted, Timeline("Available")], planned
    )
    # Two connectors: 30 planned minutes each excluded; outside it one up, one down.
    assert (tally.up_s, tally.down_s, tally.excluded_s) == (30 * 60, 30 * 60, 60 * 60)
    assert tally.fraction == 0.5
    # A station whose connectors never reported is one unit: its planned time counts once.
    alone = uptime(at(0), at(60), Timeline(False), Timeline(None), [], planned)
    assert (alone.up_s, alone.down_s, alone.excluded_s) == (0, 30 * 60, 30 * 60)


def test_charging_is_the_part_of_occupied_time_energy_flowed() -> None:
    online = Timeline(None, [(at(-1), True), (at(40), False)])
    connector = Timeline(None, [(at(-5), "Occupied"), (at(50), "Available")])
    flowing = Timeline(False, [(at(10), True), (at(20), False), (at(30), True)])
    tally = uptime(at(0), at(60), online, Timeline(None), [connector], charging=[flowing])
    # Occupied and up 0-40; charging 10-20 and 30-40 (40-60 the station is offline: down, so
    # neither occupied nor charging, whatever the session said).
    assert (tally.occupied_s, tally.charging_s) == (40 * 60, 20 * 60)
    assert tally.utilisation == pytest.approx(40 / 60) and tally.charging == pytest.approx(1 / 3)
    # A connector with no charging timeline never charges; an empty period measures nothing.
    assert uptime(at(0), at(60), online, Timeline(None), [connector]).charging_s == 0
    assert uptime(at(0), at(0), online, Timeline(None), [connector]).charging is None


def test_which_reports_say_a_connector_charges() -> None:
    assert charging_change("Charging") is True
    assert [charging_change(s) for s in ("SuspendedEV", "SuspendedEVSE", "Preparing")] == [
        False,
        False,
        False,
    ]
    assert charging_change("Available") is False
    assert charging_change("Occupied") is None  # a 2.x connector: its session says
