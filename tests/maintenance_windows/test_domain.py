"""What makes a maintenance window valid, and windows merged into a planned history."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.errors import Invalid
from chargeyard.maintenance_windows.domain import check_window, merged, planned_changes

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_window_is_for_one_place_and_ends_after_it_starts() -> None:
    check_window("CP1", None, at(0), at(1))
    check_window(None, "site", at(0), at(24 * 366))
    for station, location, start, end in (
        (None, None, at(0), at(1)),
        ("CP1", "site", at(0), at(1)),
        ("CP1", None, at(1), at(1)),
        ("CP1", None, at(2), at(1)),
        ("CP1", None, at(0), at(24 * 366 + 1)),
    ):
        with pytest.raises(Invalid):
            check_window(station, location, start, end)


def test_overlapping_and_touching_windows_merge() -> None:
    windows = [(at(5), at(6)), (at(0), at(2)), (at(1), at(3)), (at(3), at(4))]
    assert merged(windows) == [(at(0), at(4)), (at(5), at(6))]
    assert planned_changes(windows) == [
        (at(0), True),
        (at(4), False),
        (at(5), True),
        (at(6), False),
    ]
    assert planned_changes([]) == []
