"""The permission rule: coverage through the site tree, dates, daily windows, the default."""

from datetime import UTC, datetime, time

from chargeyard.permissions.domain import Denial, Grant, Place, denial, in_force

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PLACE = Place("CP-1", frozenset({"car-park", "campus"}), time(12, 0))


def test_no_grant_keeps_the_default_unless_permissions_are_required() -> None:
    assert denial([], PLACE, NOW, required=False) is None
    assert denial([], PLACE, NOW, required=True) is Denial.NO_PERMISSION


def test_a_grant_covers_its_station_or_any_ancestor_location() -> None:
    assert denial([Grant("campus", None)], PLACE, NOW, required=False) is None
    assert denial([Grant(None, "CP-1")], PLACE, NOW, required=False) is None
    elsewhere = [Grant("depot", None), Grant(None, "CP-2")]
    assert denial(elsewhere, PLACE, NOW, required=False) is Denial.NOT_AT_THIS_LOCATION


def test_dates_bound_a_grant_from_inclusive_until_exclusive() -> None:
    assert in_force(Grant("campus", None, valid_from=NOW), NOW, time(12))
    assert not in_force(Grant("campus", None, valid_until=NOW), NOW, time(12))
    late = [Grant("campus", None, valid_from=datetime(2027, 1, 1, tzinfo=UTC))]
    assert denial(late, PLACE, NOW, required=False) is Denial.NOT_AT_THIS_TIME


def test_daily_windows_may_wrap_midnight() -> None:
    day = Grant("campus", None, daily_from=time(8), daily_until=time(18))
    night = Grant("campus", None, daily_from=time(22), daily_until=time(6))
    assert in_force(day, NOW, time(8)) and not in_force(day, NOW, time(18))
    assert in_force(night, NOW, time(23)) and in_force(night, NOW, time(5, 59))
    assert not in_force(night, NOW, time(12))
